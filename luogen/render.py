"""The one jinja2 Environment, and what each target renders from a model.

Templates only read the model; the filters and globals are text layout from `text.py`, they
compute nothing about the ABI.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from . import bundle, text
from .package import FOLDER
from .targets import TARGETS, Output, Target

if TYPE_CHECKING:
    from .model import Model


def _bytecode_cache(jinja2: Any) -> Any:
    """Compiled templates kept between runs (compiling them costs more than rendering)."""
    from pathlib import Path

    from .cache import folder

    path = Path(folder()) / f"templates-{jinja2.__version__}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(path))


# Where a built wheel carries its templates compiled to Python modules (luogen/_build.py), with
# the jinja2 version they were compiled by: an installed luogen compiles no template, even on its
# first run. A source tree or an editable install has none and uses the bytecode cache.
COMPILED = "compiled_templates"
_COMPILED_BY = "jinja2-version"


def _loader(jinja2: Any, folders: list[str]) -> Any:
    files = jinja2.FileSystemLoader(folders)
    compiled = FOLDER / COMPILED
    marker = compiled.joinpath(_COMPILED_BY)
    if not marker.is_file() or marker.read_text().strip() != jinja2.__version__:
        return files
    if bundle.INSTALLED is not None:
        return jinja2.ChoiceLoader([_bundled_templates(jinja2, bundle.INSTALLED), files])
    return jinja2.ChoiceLoader([jinja2.ModuleLoader(str(compiled)), files])


def _bundled_templates(jinja2: Any, modules: bundle.Bundle) -> Any:
    """The compiled templates from the wheel's bundle of modules, which holds them too: as
    jinja2's ModuleLoader loads them from the folder, without a search of the path for each."""

    class BundledTemplates(jinja2.BaseLoader):  # type: ignore[misc]  # jinja2 is imported late
        def load(self, environment: Any, name: str, globals: Any = None) -> Any:
            module = f"luogen.{COMPILED}.{jinja2.ModuleLoader.get_template_key(name)}"
            if module not in modules.index:
                raise jinja2.TemplateNotFound(name)
            namespace: dict[str, Any] = {"__name__": module, "__file__": modules.origin(module)}
            exec(modules.get_code(module), namespace)
            template_class = environment.template_class
            return template_class.from_module_dict(environment, namespace, globals or {})

    return BundledTemplates()


@cache
def environment() -> Any:
    import jinja2  # costly to import; only generation needs it

    folders = [str(FOLDER / "templates")]
    folders += [str(t.templates) for t in TARGETS.values() if t.templates is not None]
    env = jinja2.Environment(
        loader=_loader(jinja2, folders),
        bytecode_cache=_bytecode_cache(jinja2),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    for name in ("wrap", "define", "c_call", "underline", "kdoc_brief"):
        env.filters[name] = getattr(text, name)
    for name in (
        *(
            "lay_out",
            "c_comment",
            "kdoc",
            "kdoc_member",
            "kdoc_item",
            "py_text",
            "fit",
            "py_docstring",
        ),
        "rust_docs",
        *("rust_call", "rust_signature", "rust_literal"),
    ):
        env.globals[name] = getattr(text, name)
    return env


def compile_templates(target: str) -> None:
    """Compile luogen's own templates into `target`, a folder made afresh (a build folder may
    hold an earlier build's), as a wheel carries them."""
    import shutil

    import jinja2

    shutil.rmtree(target, ignore_errors=True)

    env = environment()
    env.loader = jinja2.FileSystemLoader(str(FOLDER / "templates"))
    env.compile_templates(target, extensions=["j2"], zip=None, ignore_errors=False)
    with open(f"{target}/{_COMPILED_BY}", "w", encoding="utf-8") as marker:
        marker.write(jinja2.__version__ + "\n")
    environment.cache_clear()


def target(name: str | Target) -> Target:
    return name if isinstance(name, Target) else TARGETS[name]


def outputs_of(targets: Sequence[str | Target], model: Model) -> list[Output]:
    """The outputs of `targets` that `model` has; SpecError when a target cannot render it."""
    chosen = [target(name) for name in targets]
    for each in chosen:
        each.refuse(model)
    return [output for each in chosen for output in each.outputs if output.wanted(model)]


def render(model: Model, targets: Sequence[str | Target]) -> dict[str, str]:
    """Every output of `targets` for `model`, without banners: path below the output folder ->
    text."""
    return {output.path_for(model): output.content(model) for output in outputs_of(targets, model)}
