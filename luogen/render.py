"""The one jinja2 Environment, and what each target renders from a model.

Templates only read the model; the filters and globals are text layout from `text.py`, they
compute nothing about the ABI.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import text
from .targets import TARGETS, Output, Target

if TYPE_CHECKING:
    from .model import Model


def _bytecode_cache(jinja2: Any) -> Any:
    """Compiled templates kept between runs (compiling them costs more than rendering)."""
    from .cache import folder

    path = folder() / f"templates-{jinja2.__version__}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(path))


@cache
def environment() -> Any:
    import jinja2  # costly to import; only generation needs it

    folders = [str(resources.files("luogen.templates"))]
    folders += [str(t.templates) for t in TARGETS.values() if t.templates is not None]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
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
        *("lay_out", "c_comment", "kdoc", "kdoc_member", "py_text", "fit", "py_docstring"),
        "rust_docs",
        *("rust_call", "rust_signature", "rust_literal"),
    ):
        env.globals[name] = getattr(text, name)
    return env


def target(name: str | Target) -> Target:
    return name if isinstance(name, Target) else TARGETS[name]


def outputs_of(targets: Sequence[str | Target]) -> list[Output]:
    return [output for chosen in targets for output in target(chosen).outputs]


def render(model: Model, targets: Sequence[str | Target]) -> dict[str, str]:
    """Every output of `targets` for `model`, without banners: path below the output folder ->
    text."""
    return {output.path_for(model): output.content(model) for output in outputs_of(targets)}
