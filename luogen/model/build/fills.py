"""The reserved members that fill a struct's holes, planned together so that following every piece
of advice gives a struct with no padding on any architecture.

Holes depend on each other: a member added for one hole moves every member after it, so a hole
that only some architectures have may close by itself, and the holes that architectures have
before one member may differ in length. The plan adds one member at a time, at the first place
that still has a hole on some architecture (the first architecture's length there), and lays
the struct out again, until no hole is left.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..arch import ARCHES
from ..kinds import INTEGERS, Array, Kind
from ..layout import Hole, lay_out_everywhere
from ..nodes import Doc, Member, Struct

_SPELLED = {1: "u8", 2: "u16", 4: "u32"}


def filler_kind(length: int) -> Kind:
    """The type of a reserved member of `length` bytes: __u8, __u16, __u32 or a __u8 array."""
    if length in _SPELLED:
        return INTEGERS[_SPELLED[length]]
    return Array(INTEGERS["u8"], length)


def reserved_names(struct: Struct) -> Iterator[str]:
    """Names for reserved members, none of them a member of `struct` already."""
    taken = {m.name for m in struct.members}
    number = 1
    while True:
        name = "__reserved" if number == 1 else f"__reserved{number}"
        if name not in taken:
            yield name
        number += 1


class Fill(NamedTuple):
    """A reserved member to add: `member`, before `before` (a member of the spec's struct;
    None: appended)."""

    member: Member
    before: Member | None


def _first_hole(members: list[Member]) -> Hole | None:
    """The hole nearest the start of `members` on any architecture (the first architecture's,
    of those that have one there)."""
    layouts = lay_out_everywhere(members)
    found = [h for arch in ARCHES for h in layouts[arch.name].holes]
    if not found:
        return None
    position = {id(m): i for i, m in enumerate(members)}
    return min(found, key=lambda h: len(members) if h.before is None else position[id(h.before)])


def fill_plan(struct: Struct) -> dict[Member | None, Fill] | None:
    """The reserved member to add before each member of `struct` (None: at the end) so that it
    has no padding on any architecture; None when adding one member per place does not do it."""
    members, names = list(struct.members), reserved_names(struct)
    own = {id(m) for m in struct.members}
    plan: dict[Member | None, Fill] = {}
    for _ in range(len(members) + 1):
        hole = _first_hole(members)
        if hole is None:
            return plan
        if hole.before is not None and id(hole.before) not in own:
            return None  # a hole before a member the plan added
        if hole.before in plan:
            return None  # a second member in one place
        filler = Member(next(names), filler_kind(hole.length), Doc(""), reserved=True)
        plan[hole.before] = Fill(filler, hole.before)
        at = next((i for i, m in enumerate(members) if m is hole.before), len(members))
        members.insert(at, filler)
    return None
