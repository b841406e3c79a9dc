"""ABI rules run on the built structs. Structs of extensible commands, and every struct they
contain, follow the extensible style: no implicit padding on any architecture, fixed-width uapi
types only. Other (classic) structs are described as they are: their padding draws warnings,
never errors.

Each hole is reported with the reserved member that fills it, planned with the others
(`fills.py`) so that following every piece of advice for one struct gives distinct members
(`__reserved`, `__reserved2`, ...) and no padding on any architecture, and,
for an extensible struct, with the order of the members that needs no padding at all, when there
is one (a classic struct's order is its ABI).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ...errors import Location
from ..arch import ARCHES, HOST_REFERENCE
from ..layout import Hole, lay_out_everywhere
from ..nodes import Member, Struct
from .context import Context
from .fills import fill_plan, filler_kind, reserved_names


def _on_architectures(names: list[str]) -> str:
    if len(names) == len(ARCHES):
        return "on every architecture"
    if len(names) > len(ARCHES) // 2:
        others = [a.name for a in ARCHES if a.name not in names]
        return "on every architecture but " + " and ".join(
            [", ".join(others[:-1]), others[-1]] if len(others) > 1 else others
        )
    return "on " + ", ".join(names)


def _strictest_align(member: Member) -> int:
    return max(member.kind.align(arch) for arch in ARCHES)


def _earliest(fitting: list[Member]) -> Member:
    return fitting[0]


def _most_aligned(fitting: list[Member]) -> Member:
    return max(fitting, key=_strictest_align)


def _packed(
    members: Sequence[Member], offset: int, pick: Callable[[list[Member]], Member]
) -> list[Member] | None:
    """`members` in an order that leaves no hole from `offset` on, choosing at each offset with
    `pick` among the members that fit there (in their order); None when none fits."""
    left, order = list(members), []
    while left:
        fitting = [m for m in left if offset % _strictest_align(m) == 0]
        if not fitting:
            return None
        best = pick(fitting)
        left.remove(best)
        order.append(best)
        offset += best.kind.size(HOST_REFERENCE)
    return order


def _padless_order(struct: Struct) -> list[Member] | None:
    """An order of the members the spec writes that needs no padding on any architecture (the
    implicit header stays first, optional members stay last), if one is found: the one that
    moves the fewest members first."""
    head = [m for m in struct.members if m.implicit]
    groups = (
        [m for m in struct.members if not m.implicit and not m.optional],
        [m for m in struct.members if m.optional],
    )
    for pick in (_earliest, _most_aligned):
        order = list(head)
        for group in groups:
            offset = sum(m.kind.size(HOST_REFERENCE) for m in order)
            order += _packed(group, offset, pick) or group
        if not any(layout.holes for layout in lay_out_everywhere(order).values()):
            return [m for m in order if not m.implicit]
    return None


def check_padding(
    context: Context, structs: Iterable[Struct], strict: frozenset[str] = frozenset()
) -> None:
    """Every hole of a struct in `strict` (by name), on any architecture, must be an explicit
    member: report each one, where it is, which reserved member fills it, and which order of
    the members needs none. Elsewhere the report is a warning: classic structs may have
    implicit padding."""
    for struct in structs:
        found: dict[Hole, list[str]] = {}
        for arch in ARCHES:
            for hole in struct.layout(arch).holes:
                found.setdefault(hole, []).append(arch.name)
        if not found:
            continue
        report = context.error if struct.name in strict else context.warn
        holes = sorted(found, key=lambda h: (h.before is None, h.offset, h.length))
        order = _padless_order(struct) if struct.name in strict else None
        reorder = (
            f"; or reorder the members as {', '.join(m.name for m in order)}, which needs no "
            "padding on any architecture"
            if order
            else ""
        )
        if struct.name not in strict:  # a classic struct's padding is its ABI: kept
            for hole in holes:
                report(*_report(struct, hole, _on_architectures(found[hole]), _KEPT))
            continue
        advice = _planned(struct, holes) or _one_by_one(struct, holes)
        for hole in holes:
            on = _on_architectures(found[hole])
            report(*_report(struct, hole, on, advice[hole] + reorder))


def _planned(struct: Struct, holes: list[Hole]) -> dict[Hole, str] | None:
    """The advice for each hole from one plan of reserved members that fills them all (a hole
    that an earlier member of the plan closes says so); None without such a plan."""
    plan = fill_plan(struct)
    if plan is None:
        return None
    position = {id(m): i for i, m in enumerate(struct.members)}

    def place(member: Member | None) -> int:
        return len(position) if member is None else position[id(member)]

    advice = {}
    for hole in holes:
        fill = plan.get(hole.before)
        if fill is not None:
            advice[hole] = _advice(hole, fill.member.c_decl)
            continue
        earlier = max((f for f in plan.values() if place(f.before) < place(hole.before)),
                      key=lambda f: place(f.before))  # fmt: skip
        assert earlier.before is not None  # only a hole before a member closes by itself
        advice[hole] = (
            f"; adding the '{earlier.member.c_decl}' member before {_named(earlier.before)} "
            "removes it too"
        )
    return advice


def _one_by_one(struct: Struct, holes: list[Hole]) -> dict[Hole, str]:
    """A reserved member of its own for each hole."""
    names = reserved_names(struct)
    return {h: _advice(h, filler_kind(h.length).c_declaration(next(names))) for h in holes}


_KEPT = (
    ": implicit padding, kept as the header has it (an extensible struct makes every hole an "
    "explicit member)"
)


def _advice(hole: Hole, add: str) -> str:
    if hole.before is None:
        return f"; append an explicit '{add}' member (must be zero)"
    return f"; add an explicit '{add}' member (must be zero) before it"


def _named(member: Member) -> str:
    return f"'{member.name}'" if member.name else f"the anonymous {member.kind.c_type}"


def _report(struct: Struct, hole: Hole, on: str, advice: str) -> tuple[Location, str]:
    """Where a hole is reported and what is said."""
    if hole.before is None:
        last = struct.members[-1]
        bytes_ = "1 byte" if hole.length == 1 else f"{hole.length} bytes"
        return last.where or struct.where, (
            f"struct {struct.name} has {bytes_} of tail padding after {_named(last)} at offset "
            f"{hole.offset} {on}{advice}"
        )
    kind = hole.before.kind
    natural = (
        " (64-bit members must be naturally aligned)"
        if kind.size(ARCHES[0]) == 8 and kind.scalar is not None
        else ""
    )
    return hole.before.where or struct.where, (
        f"struct {struct.name} has a {hole.length}-byte hole at offset {hole.offset} "
        f"before {_named(hole.before)} {on}{natural}{advice}"
    )
