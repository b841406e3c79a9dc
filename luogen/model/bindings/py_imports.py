"""The import lines of a generated Python package's `__init__`: only what the module uses, as
ruff's isort writes and sorts them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kinds.entries import DataEntries
from .data_out import output_data
from .py_classic import CLASSIC_NAMES, classic_import

if TYPE_CHECKING:
    from .python import PyModel

# Runtime names every generated module uses: the object base class, and `UserBuffer`, which the
# package offers its users whether or not a command takes a buffer.
_ALWAYS_IMPORTED = ("UserBuffer", "_FdObject", "_numbers_on")
# The runtime's names a package re-exports: its users name them too.
_PUBLIC_RUNTIME = frozenset({"UnknownData", "UserBuffer"})


def module_imports(model: PyModel) -> tuple[str, ...]:
    """The module's import lines."""
    uses_sequence = any(
        "Sequence[" in m.kind.py_arg_annotation or isinstance(m.kind, DataEntries)
        for c in model.commands
        for m in c.arguments
    )
    uses = model.py_uses
    uses_alias = any(output_data(c) for c in model.extensible_commands) or any(
        isinstance(m.kind, DataEntries) for c in model.commands for m in c.arguments
    )
    typing = [
        *(["ClassVar"] if uses["ClassVar"] else []),
        "Final",
        *(["NamedTuple"] if model.out_shapes else []),
        *(["Self"] if uses["Self"] else []),
        *(["TypeAlias"] if uses_alias else []),
    ]
    runtime = set(_ALWAYS_IMPORTED).union(
        *(v.py_runtime_names for c in model.extensible_commands for v in c.variants),
        *(c.py_classic_runtime_names for c in model.classic_commands),
    )
    classic = runtime & CLASSIC_NAMES
    if model.classic_runtime:
        runtime = runtime - CLASSIC_NAMES - {"_numbers_on"}
        classic |= {"_per_arch", "_this_arch"}
    return (
        *(["import dataclasses"] if uses["dataclasses"] else []),
        *(["import enum"] if model.enums or model.flag_sets else []),
        *([] if model.classic_runtime else ["import platform"]),
        *(["import struct"] if uses["struct"] else []),
        *(["from collections.abc import Sequence"] if uses_sequence else []),
        f"from typing import {', '.join(typing)}",
        "",
        *(classic_import(classic) if model.classic_runtime else []),
        *_runtime_import(runtime),
    )


def _runtime_import(names: set[str]) -> list[str]:
    """The imports from `_runtime`: each public name re-exported on its own line, then the
    other names in one statement, sorted case-insensitively."""
    public = sorted(names & _PUBLIC_RUNTIME)
    ordered = sorted(names - _PUBLIC_RUNTIME, key=str.lower)
    line = f"from ._runtime import {', '.join(ordered)}"
    if len(line) > 100:
        line = "\n".join(["from ._runtime import (", *(f"    {n}," for n in ordered), ")"])
    return [*(f"from ._runtime import {n} as {n}" for n in public), line]
