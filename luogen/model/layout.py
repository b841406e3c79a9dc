"""C struct layout: where a compiler puts each member on an architecture, and the padding it adds.

Computed from the member kinds' sizes and alignments per architecture; the model's structs call it,
and the builder's layout rules read the holes it finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def lay_out(members: Sequence[Member], arch: Arch) -> StructLayout:
    """The C layout of `members` on `arch`, with every hole the compiler would insert."""
    offsets: list[int] = []
    holes: list[Hole] = []
    cursor = 0
    align = 1
    for member in members:
        member_align = member.kind.align(arch)
        align = max(align, member_align)
        offset = _round_up(cursor, member_align)
        if offset > cursor:
            holes.append(Hole(cursor, offset - cursor, member))
        offsets.append(offset)
        cursor = offset + member.kind.size(arch)
    size = _round_up(cursor, align)
    if size > cursor:
        holes.append(Hole(cursor, size - cursor, None))
    return StructLayout(arch, size, align, tuple(offsets), tuple(holes))


def lay_out_everywhere(members: Sequence[Member]) -> dict[str, StructLayout]:
    """The layout on every architecture, by architecture name. Architectures that align every
    integer alike lay a struct out alike: each such class is computed once."""
    by_rules: dict[tuple[int, int], StructLayout] = {}
    result = {}
    for arch in ARCHES:
        rules = (arch.int_align, arch.s64_align)
        if rules not in by_rules:
            by_rules[rules] = lay_out(members, arch)
        same = by_rules[rules]
        result[arch.name] = StructLayout(arch, same.size, same.align, same.offsets, same.holes)
    return result
