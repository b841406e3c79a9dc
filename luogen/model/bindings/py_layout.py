"""The Python target's view of a record's layout: the `struct` format of it on every
architecture (explicit pad bytes where C puts holes), the class constants that hold its format,
size and offsets (per architecture where they differ), and the fields of its dataclass (a
flexible array has none: its elements follow the fixed part the class packs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ..arch import ARCHES, Arch
from ..names import python_field
from .layouts import RecordLayout
from .perarch import PerArch

if TYPE_CHECKING:
    from ..nodes import Member

_CLASS = "    "


def _quoted(text: str) -> str:
    return f'"{text}"'


class PyLayout(RecordLayout):
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def size(self) -> int: ...
        @property
        def min_size(self) -> int: ...
        @property
        def py_format(self) -> str: ...
        @property
        def fields(self) -> tuple[tuple[Member, int], ...]: ...

    def py_format_on(self, arch: Arch) -> str:
        """The `struct` format of the record on `arch`: standard sizes, no alignment, and a pad
        byte for every byte of a hole."""
        layout = self.layouts[arch.name]
        parts, cursor = [], 0
        for member, offset in zip(self.members, layout.offsets, strict=True):
            if offset > cursor:
                parts.append(f"{offset - cursor}x")
            parts.append(member.kind.py_format_on(arch))
            cursor = max(cursor, offset + member.kind.size(arch))
        if layout.size > cursor:
            parts.append(f"{layout.size - cursor}x")
        return "=" + "".join(parts)

    @cached_property
    def py_formats(self) -> PerArch[str]:
        return PerArch(tuple(self.py_format_on(arch) for arch in ARCHES))

    @cached_property
    def py_size_name(self) -> str:
        """Its size in Python: the number, or the module's constant of it where it differs
        per architecture (see PyClassicModel.py_record_sizes)."""
        if self.size_on.varies:
            return f"_{self.name.upper()}_SIZE"
        return str(self.size_on.reference)

    @cached_property
    def py_named_members(self) -> tuple[tuple[Member, str], ...]:
        """(member, dataclass field) of each member the class packs (not a flexible array),
        keywords and the class's own names escaped, `__x` spelled `_x` (a class would mangle
        it), an anonymous one `anon_N`."""
        return tuple(
            (member, python_field(name[1:] if name.startswith("__") else name))
            for member, name in zip(self.members, self.field_names, strict=True)
            if member not in self.flexible
        )

    @cached_property
    def py_unpacked(self) -> tuple[tuple[Member, str, int], ...]:
        """(member, field, index of its first value in the unpacked tuple)."""
        result, index = [], 0
        for member, name in self.py_named_members:
            result.append((member, name, index))
            index += member.kind.py_count
        return tuple(result)

    @cached_property
    def py_class_constants(self) -> str:
        """The class's `STRUCT`, `SIZE` (and for an extensible struct `MIN_SIZE`) and
        `OFFSETS`: values of the architecture it runs on where they differ."""
        if self.extensible_style:
            head = [
                f'{_CLASS}STRUCT: ClassVar[struct.Struct] = struct.Struct("{self.py_format}")',
                f"{_CLASS}SIZE: ClassVar[int] = {self.size}",
                f"{_CLASS}MIN_SIZE: ClassVar[int] = {self.min_size}",
            ]
            offsets = [f'{_CLASS}    "{m.name}": {offset},' for m, offset in self.fields]
        else:
            head = [
                self.py_formats.python_lines(
                    "STRUCT: ClassVar[struct.Struct] = struct.Struct(", ")", _CLASS, _quoted
                ),
                self.size_on.python_lines("SIZE: ClassVar[int] = ", "", _CLASS),
            ]
            offsets = [
                offset.python_lines(f'"{name}": ', ",", _CLASS + "    ")
                for name, offset in zip(self.field_names, self.offsets_on, strict=True)
            ]
        lines = [*head, f"{_CLASS}OFFSETS: ClassVar[dict[str, int]] = {{", *offsets, f"{_CLASS}}}"]
        return "\n".join(lines)

    @cached_property
    def py_layout_note(self) -> tuple[str, ...]:
        """What the class's docstring adds on its layout (nothing for an extensible struct)."""
        if self.extensible_style:
            return ()
        notes = [
            "Packed and unpacked with the layout of the architecture it runs on (`ARCH`): "
            "sizes and offsets are C's there, holes are pad bytes; a union or an inline record "
            "is the bytes of it."
        ]
        notes += [
            f"The flexible array `{m.name}` is not a field: its elements follow the {self.size}"
            "-byte fixed part (on amd64) that `pack()` and `unpack()` handle."
            for m in self.flexible
        ]
        return tuple(notes)
