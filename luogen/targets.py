"""The targets luogen renders: each a list of outputs, templates rendered from the model or
runtime files copied whole, and where each goes below the output folder.

Kept apart from rendering so that listing or checking targets imports nothing heavy. A new target
is a `Target` given to `register()`: its templates may live in a folder of its own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .records import dataclass

if TYPE_CHECKING:
    from .errors import Diagnostic
    from .model import Model

RUNTIME_BANNER = "its runtime (the same for every spec)"


@dataclass(frozen=True)
class Output:
    """One file a target writes; `path` is formatted with the model's names."""

    path: str

    def path_for(self, model: Model) -> str:
        return self.path.format(
            name=model.name,
            header=model.header,
            kernel_dir=model.kernel.dir,
            module=model.kernel.module,
        )

    def banner_source(self, spec: str) -> str:
        """What the output's banner says it was generated from."""
        return spec

    def content(self, model: Model) -> str:
        """The output's text for `model`, without the banner."""
        raise NotImplementedError

    def wanted(self, model: Model) -> bool:
        """Whether `model` has this output (every output by default)."""
        return True


@dataclass(frozen=True)
class Template(Output):
    """An output rendered from a template (a path below a template folder)."""

    template: str

    def content(self, model: Model) -> str:
        from .render import environment  # jinja2: only rendering needs it

        text: str = environment().get_template(self.template).render(model=model)
        return text


@dataclass(frozen=True)
class Runtime(Output):
    """A file of luogen's runtime (`luogen/runtime/`), copied whole."""

    source: str
    # The name of a boolean property of the model that says whether it needs this file (""
    # for every model): the classic runtime goes only with classic headers, so that the
    # crates and packages of extensible specs stay as they were.
    needed_when: str = ""

    def content(self, model: Model) -> str:
        return _runtime_text(self.source)

    def wanted(self, model: Model) -> bool:
        return not self.needed_when or bool(getattr(model, self.needed_when))

    def banner_source(self, spec: str) -> str:
        return RUNTIME_BANNER


@cache
def _runtime_text(name: str) -> str:
    from .package import read

    return read("runtime", name)


@dataclass(frozen=True)
class Target:
    name: str
    outputs: tuple[Output, ...]
    templates: Path | None = None  # a folder of its own templates; None: luogen's
    # The name of a property of the model that is the error saying why this target cannot
    # render it (None when it can; "": every model can be rendered).
    refusal: str = ""

    def refuse(self, model: Model) -> None:
        """Raise the model's error for this target, if it has one."""
        error = getattr(model, self.refusal) if self.refusal else None
        if error is not None:
            raise error


def refusals(model: Model) -> list[Diagnostic]:
    """Why the targets the spec asks for without -t (its `targets:`, or all) cannot render it:
    what `luogen generate` would refuse, for `luogen check` to report."""
    found: list[Diagnostic] = []
    for name in model.targets or tuple(TARGETS):
        target = TARGETS[name]
        error = getattr(model, target.refusal) if target.refusal else None
        if error is not None:
            found += error.diagnostics
    return found


UAPI_HEADER = Template("{name}/include/uapi/{header}", "uapi/header.h.j2")

TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("uapi", (UAPI_HEADER,)),
        Target(
            "docs",
            (
                Template("{name}/Documentation/userspace-api/{name}.rst", "docs/page.rst.j2"),
                Template(
                    "{name}/Documentation/userspace-api/ioctl/ioctl-number.{name}.rst.txt",
                    "docs/ioctl-number.rst.j2",
                ),
            ),
        ),
        Target(
            "kernel",
            (
                Template("{name}/{kernel_dir}/{name}_ioctl.c", "kernel/dispatch.c.j2"),
                Template("{name}/{kernel_dir}/{name}_ioctl.h", "kernel/ioctl.h.j2"),
                Runtime("{name}/{kernel_dir}/luogen_dispatch.h", "luogen_dispatch.h"),
                Template("{name}/{kernel_dir}/{module}.kbuild", "kernel/module.kbuild.j2"),
            ),
            refusal="kernel_refusal",
        ),
        Target(
            "rust",
            (
                Template("{name}/rust/Cargo.toml", "rust/Cargo.toml.j2"),
                Template("{name}/rust/src/lib.rs", "rust/lib.rs.j2"),
                Runtime("{name}/rust/src/runtime.rs", "runtime.rs"),
                Runtime("{name}/rust/src/classic.rs", "classic.rs", "classic_runtime"),
                Template("{name}/rust/src/safe.rs", "rust/safe.rs.j2"),
                Template("{name}/rust/examples/layout.rs", "rust/layout.rs.j2"),
            ),
        ),
        Target(
            "python",
            (
                Template("{name}/python/pyproject.toml", "python/pyproject.toml.j2"),
                Template("{name}/python/{name}_uapi/__init__.py", "python/init.py.j2"),
                Runtime("{name}/python/{name}_uapi/_runtime.py", "python_runtime.py"),
                Runtime(
                    "{name}/python/{name}_uapi/_classic.py", "python_classic.py", "classic_runtime"
                ),
                Template("{name}/python/{name}_uapi/py.typed", "python/py.typed.j2"),
            ),
        ),
    )
}


def register(target: Target) -> None:
    """Make `target` one of the targets (`luogen generate -t NAME`), replacing any of its name."""
    from .render import environment

    TARGETS[target.name] = target
    environment.cache_clear()  # its template folder joins the loader


def unregister(name: str) -> None:
    """Forget the target `name` (and its template folder)."""
    from .render import environment

    del TARGETS[name]
    environment.cache_clear()


def uapi_include_dir(model: Model) -> str:
    """The folder below the output folder that `#include <HEADER>` finds the header in."""
    return UAPI_HEADER.path_for(model).removesuffix("/" + model.header)
