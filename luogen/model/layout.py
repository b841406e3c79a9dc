"""C struct layout: where a compiler puts each member on an architecture, and the padding it adds.

Computed from the member kinds' sizes and alignments per architecture; the model's structs call it,
and the builder's layout rules read the holes it finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..records import dataclass
from .arch import ARCHES, Arch

if TYPE_CHECKING:
    from .nodes import Member


@dataclass(frozen=True)
class Hole:
    """Padding a compiler inserts: `length` bytes at `offset` before `before` (None: at the end)."""

    offset: int
    length: int
    before: Member | None


@dataclass(frozen=True)
class StructLayout:
    arch: Arch
    size: int
    align: int
    offsets: tuple[int, ...]
    holes: tuple[Hole, ...]


def _round_up(value: int, align: int) -> int:
    return (value + align - 1) // align * align


def lay_out(
    members: Sequence[Member],
    arch: Arch,
    union: bool = False,
    packed: bool = False,
    aligned: int | None = None,
    pack: int | None = None,
) -> StructLayout:
    """The C layout of `members` on `arch`, with every hole the compiler would insert: a
    struct's members one after another, a union's all at offset 0; a packed record aligns
    nothing, an `aligned` one is aligned to at least that. `pack` caps every member's alignment
    instead (Rust's `repr(packed(N))`)."""
    offsets: list[int] = []
    holes: list[Hole] = []
    cursor = end = 0
    align = aligned or 1
    for member in members:
        member_align = 1 if packed else member.kind.align(arch)
        member_align = min(member_align, pack) if pack else member_align
        align = max(align, member_align)
        offset = 0 if union else _round_up(cursor, member_align)
        if offset > cursor:
            holes.append(Hole(cursor, offset - cursor, member))
        offsets.append(offset)
        cursor = offset + member.kind.size(arch)
        end = max(end, cursor)
    size = _round_up(end, align)
    if size > end:
        holes.append(Hole(end, size - end, None))
    return StructLayout(arch, size, align, tuple(offsets), tuple(holes))


def lay_out_everywhere(
    members: Sequence[Member], union: bool = False, packed: bool = False, aligned: int | None = None
) -> dict[str, StructLayout]:
    """The layout on every architecture, by architecture name. Architectures whose members have
    the same sizes and alignments lay the record out alike: each such class is computed once
    (for the fixed-width types, the architecture's integer alignment rules decide it)."""
    by_rules = all(m.kind.layout_by_rules for m in members)
    classes: dict[object, StructLayout] = {}
    result = {}
    for arch in ARCHES:
        key: object = (
            (arch.int_align, arch.s64_align)
            if by_rules
            else tuple((m.kind.size(arch), m.kind.align(arch)) for m in members)
        )
        if key not in classes:
            classes[key] = lay_out(members, arch, union, packed, aligned)
        same = classes[key]
        result[arch.name] = StructLayout(arch, same.size, same.align, same.offsets, same.holes)
    return result
