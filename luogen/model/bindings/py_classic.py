"""The Python target's view of a module that holds classic records and commands: which structs
are dataclasses, the template of its ioctl numbers, the sizes of the records it holds as bytes,
and which of the standard modules it uses (a classic header may define no struct at all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...text import py_str, spelled_names, wrap
from ..kinds import Nested
from .layouts import kinds_within

if TYPE_CHECKING:
    from ..nodes import Command, CommandRange, Struct

# As the flagships' modules have always said it, line breaks included.
_EXTENSIBLE_RAW = (
    "Raw layer: the constants, `IntEnum`/`IntFlag` classes and one frozen dataclass per struct, "
    "packed\nand unpacked by a precompiled `struct.Struct` (native byte order, no implicit "
    "padding: the spec\nguarantees none). The ioctl numbers are those of `platform.machine()`."
)
# The names the classic runtime (`_classic.py`) has, which a module imports from it.
CLASSIC_NAMES = frozenset({"_packed", "_per_arch", "_this_arch"})


def classic_import(names: set[str]) -> list[str]:
    """The imports from `_classic`: `ARCHES` re-exported, then the names the module uses."""
    line = f"from ._classic import {', '.join(sorted(names, key=str.lower))}"
    return ["from ._classic import ARCHES as ARCHES", line]


class PyClassicModel:
    if TYPE_CHECKING:

        @property
        def structs(self) -> tuple[Struct, ...]: ...
        @property
        def ranges(self) -> tuple[CommandRange, ...]: ...
        @property
        def extensible_commands(self) -> tuple[Command, ...]: ...
        @property
        def classic_commands(self) -> tuple[Command, ...]: ...
        @property
        def classic_runtime(self) -> bool: ...
        @property
        def ioctl_type(self) -> int: ...
        @property
        def ioctl_type_spelling(self) -> str: ...
        @property
        def c_ioctl_type(self) -> str: ...
        @property
        def size_member_names(self) -> tuple[str, ...]: ...

    @cached_property
    def py_layers_doc(self) -> str:
        """The module docstring's paragraphs on its raw and safe layers."""
        classes = "`, `".join(r.class_name for r in self.ranges)
        if not self.classic_runtime:
            size = spelled_names(self.size_member_names, "`")
            safe = (
                f"Safe layer: a class per object (`{classes}`), a method per ioctl named after "
                f"its command. Each method fills {size}, takes the input members as arguments, "
                "checks them (ValueError, before any ioctl) and returns the output members: "
                "None, the one output, or an `...Out` NamedTuple. An fd output whose range the "
                "spec names is an object of that range's class, returned or a field of the "
                "NamedTuple. A failing ioctl raises OSError with its errno and the ioctl's name."
            )
            return _EXTENSIBLE_RAW + "\n\n" + wrap(safe, "", width=100)
        raw = (
            "Raw layer: the constants, `IntEnum`/`IntFlag` classes and one frozen dataclass per "
            "struct, packed and unpacked by a `struct.Struct` of the C layout of the architecture "
            "it runs on (`ARCH`, told at import: holes are pad bytes, a union or an inline record "
            "is the bytes of it, a flexible array is left out of the fixed part). The ioctl "
            "numbers are those of `ARCH` (`ioctl_numbers(arch)` gives any architecture's)."
        )
        safe = (
            f"Safe layer: a class per object (`{classes}`), a method per ioctl named after its "
            "command. As the encoding says, `_IOR` returns the argument, `_IOW` takes it, `_IOWR` "
            "takes and returns it, `_IO` without one returns the ioctl's result; arguments are "
            "checked (ValueError, before any ioctl). A failing ioctl raises OSError with its errno "
            "and the ioctl's name."
        )
        return wrap(raw, "", width=100) + "\n\n" + wrap(safe, "", width=100)

    @cached_property
    def py_structs(self) -> tuple[Struct, ...]:
        """The structs that are dataclasses (a union is the bytes of it), in dependency order."""
        return tuple(s for s in self.structs if not s.union)

    @cached_property
    def py_numbers_template(self) -> str:
        """The template of the module's ioctl numbers: by encoding, or (classic headers) by
        architecture."""
        return "python/classic_numbers.py.j2" if self.classic_runtime else "python/numbers.py.j2"

    @cached_property
    def py_ioctl_type(self) -> str:
        """The type byte's value (a character literal as the byte's `ord`)."""
        if self.ioctl_type_spelling:
            return f"ord({py_str(chr(self.ioctl_type))})"
        return self.c_ioctl_type

    @cached_property
    def py_record_sizes(self) -> tuple[str, ...]:
        """The module's constants of the sizes of the records it holds as bytes (unions,
        inline records) where they differ per architecture: their dataclass defaults."""
        found: dict[str, str] = {}
        for struct in self.py_structs:
            for member in struct.members:
                for kind in kinds_within(member.kind):
                    if isinstance(kind, Nested) and kind.py_blob and kind.struct.size_on.varies:
                        record = kind.struct
                        found[record.py_size_name] = record.size_on.python_lines(
                            f"{record.py_size_name}: Final = ", "", ""
                        )
        return tuple(found.values())

    @cached_property
    def py_uses(self) -> dict[str, bool]:
        """Which standard modules and typing names the module uses."""
        classes = bool(self.py_structs or self.extensible_commands)
        codecs = any(c.classic_passing.py_module_constants for c in self.classic_commands)
        return {
            "dataclasses": classes,
            "struct": classes or codecs,
            "ClassVar": classes or any(r.object.py_members for r in self.ranges),
            "Self": classes or any(r.object.openable for r in self.ranges),
        }


def runtime_import(names: set[str]) -> list[str]:
    """The imports from `_runtime`, as ruff's isort writes them: `UserBuffer` re-exported on its
    own line, then the other names in one statement, sorted case-insensitively."""
    ordered = sorted(names - {"UserBuffer"}, key=str.lower)
    line = f"from ._runtime import {', '.join(ordered)}"
    if len(line) > 100:
        line = "\n".join(["from ._runtime import (", *(f"    {n}," for n in ordered), ")"])
    return ["from ._runtime import UserBuffer as UserBuffer", line]
