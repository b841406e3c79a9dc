"""The targets luogen renders: each a set of templates and where their outputs go.

Kept apart from rendering so that listing or checking targets imports nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .model import Model


class Output(NamedTuple):
    """One file a target writes: a template and its path below the output folder."""

    template: str
    path: str  # formatted with the model's attributes

    def path_for(self, model: Model) -> str:
        return self.path.format(
            name=model.name,
            header=model.header,
            kernel_dir=model.kernel.dir,
            module=model.kernel.module,
        )


TARGETS: dict[str, tuple[Output, ...]] = {
    "uapi": (Output("uapi/header.h.j2", "{name}/include/uapi/{header}"),),
    "docs": (
        Output("docs/page.rst.j2", "{name}/Documentation/userspace-api/{name}.rst"),
        Output(
            "docs/ioctl-number.rst.j2",
            "{name}/Documentation/userspace-api/ioctl/ioctl-number.{name}.rst.txt",
        ),
    ),
    "kernel": (
        Output("kernel/dispatch.c.j2", "{name}/{kernel_dir}/{name}_ioctl.c"),
        Output("kernel/ioctl.h.j2", "{name}/{kernel_dir}/{name}_ioctl.h"),
        Output("kernel/module.kbuild.j2", "{name}/{kernel_dir}/{module}.kbuild"),
    ),
    "rust": (
        Output("rust/Cargo.toml.j2", "{name}/rust/Cargo.toml"),
        Output("rust/lib.rs.j2", "{name}/rust/src/lib.rs"),
        Output("rust/safe.rs.j2", "{name}/rust/src/safe.rs"),
        Output("rust/layout.rs.j2", "{name}/rust/examples/layout.rs"),
    ),
    "python": (
        Output("python/pyproject.toml.j2", "{name}/python/pyproject.toml"),
        Output("python/init.py.j2", "{name}/python/{name}_uapi/__init__.py"),
        Output("python/py.typed.j2", "{name}/python/{name}_uapi/py.typed"),
    ),
}
