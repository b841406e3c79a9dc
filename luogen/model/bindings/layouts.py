"""A record's layout as both raw binding layers read it: whether it has luogen's extensible style
(one layout everywhere, the struct items of the flagships) or a classic header's (C types, holes,
unions, packing: a layout per architecture), the names of its anonymous members, and its size,
alignment and offsets on every architecture as `PerArch` values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...cached import cached_property
from ..arch import ARCHES
from ..kinds import Array, FlexibleArray, Inline, Kind, Nested
from .perarch import PerArch

if TYPE_CHECKING:
    from ..layout import StructLayout
    from ..nodes import Member, Struct


def kinds_within(kind: Kind) -> Iterator[Kind]:
    """`kind` and every kind it is made of, through arrays and nested records."""
    yield kind
    if isinstance(kind, Array | FlexibleArray):
        yield from kinds_within(kind.element)
    elif isinstance(kind, Nested):
        for member in kind.struct.members:
            yield from kinds_within(member.kind)


def inline_records(kind: Kind) -> Iterator[Struct]:
    """The records defined inside `kind` (inline structs and unions), innermost first."""
    if isinstance(kind, Array | FlexibleArray):
        yield from inline_records(kind.element)
    elif isinstance(kind, Inline):
        for member in kind.struct.members:
            yield from inline_records(member.kind)
        yield kind.struct


class RecordLayout:
    if TYPE_CHECKING:

        @property
        def members(self) -> tuple[Member, ...]: ...
        @property
        def union(self) -> bool: ...
        @property
        def packed(self) -> bool: ...
        @property
        def aligned(self) -> int | None: ...
        @property
        def inline(self) -> bool: ...
        @property
        def layouts(self) -> dict[str, StructLayout]: ...

    @cached_property
    def extensible_style(self) -> bool:
        """Whether the record has luogen's own style: a struct of fixed-width members only, of
        one size and offsets on every architecture (alignments may differ: m68k's are 2). The
        bindings give it the flagships' items; any other record is a classic one, laid out per
        architecture."""
        if self.union or self.packed or self.aligned or self.inline:
            return False
        if not all(member.kind.fixed_width for member in self.members):
            return False
        layouts = {(lay.size, lay.offsets) for lay in self.layouts.values()}
        return len(layouts) == 1

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        """Each member's name, an anonymous one numbered as bindgen numbers them
        (`anon_1`, ...: the bindings spell it `__bindgen_anon_1` in Rust)."""
        names, count = [], 0
        for member in self.members:
            if member.name:
                names.append(member.name)
            else:
                count += 1
                names.append(f"anon_{count}")
        return tuple(names)

    @cached_property
    def size_on(self) -> PerArch[int]:
        return PerArch(tuple(self.layouts[a.name].size for a in ARCHES))

    @cached_property
    def align_on(self) -> PerArch[int]:
        return PerArch(tuple(self.layouts[a.name].align for a in ARCHES))

    @cached_property
    def offsets_on(self) -> tuple[PerArch[int], ...]:
        """Each member's offset on every architecture, in member order."""
        return tuple(
            PerArch(tuple(self.layouts[a.name].offsets[i] for a in ARCHES))
            for i in range(len(self.members))
        )

    @cached_property
    def inline_records(self) -> tuple[Struct, ...]:
        """The records defined inside this one's members, innermost first."""
        return tuple(s for m in self.members for s in inline_records(m.kind))

    @cached_property
    def flexible(self) -> tuple[Member, ...]:
        """Its flexible array members (no bytes in the fixed part)."""
        return tuple(m for m in self.members if isinstance(m.kind, FlexibleArray))
