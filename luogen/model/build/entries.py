"""Arrays of driver data: `data` with `count`, tied to the member that counts the entries, and
its maximum (`max`), as counted arrays have one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...records import replace
from ..direction import Direction
from ..kinds import Integer
from ..kinds.entries import DataEntries, EntryCount, EntryLength
from ..nodes import Member
from .buffers import companion
from .counted import resolve_maximum

if TYPE_CHECKING:
    from ..kinds.selected import DriverData
    from .selected import DriverDatas


def _count_problem(count: Member) -> str | None:
    """Why `count` cannot count the entries of an array of driver data, or None."""
    if count.implicit:
        return "is the size header"
    if count.reserved:
        return "is reserved"
    kind = count.kind
    if type(kind) is not Integer or kind.signed or kind.bits > 32:
        return f"holds {kind.summary}, not an unsigned integer (u8, u16 or u32)"
    if count.direction is not Direction.INOUT:
        return (
            f"is 'dir: {count.direction}', but the kernel sets it to the entries it handled: "
            "it needs 'dir: inout'"
        )
    return None


def _count(
    datas: DriverDatas,
    spec: dict[str, Any],
    name: str,
    i: int,
    by_name: dict[str, Member],
    taken: set[str],
) -> Member | None:
    """The member that counts the entries, or None (reported)."""
    if spec["count"] in taken:
        datas.context.error(
            datas.at(i, "count"),
            f"driver data '{name}' is counted by '{spec['count']}', which already measures or "
            "counts other data; each needs a count member of its own",
        )
        return None
    count = companion(
        datas.context,
        datas.at(i, "count"),
        f"driver data '{name}'",
        "counted",
        spec["count"],
        by_name,
        _count_problem,
    )
    if count is None:
        return None
    return count


def entries(
    datas: DriverDatas,
    raw: dict[str, Any],
    i: int,
    data: DriverData,
    by_name: dict[str, Member],
    taken: set[str],
) -> tuple[DataEntries, Member, Member] | None:
    """`data` as an array of entries, and its length and count members, for the member `raw`
    whose `data` has `count` or `max`; None when a rule is broken (reported)."""
    spec, name = raw["data"], raw["name"]
    if "count" not in spec:
        datas.context.error(
            datas.at(i, "max"),
            f"driver data '{name}' has 'max' but no 'count': only an array of entries has "
            "a maximum",
        )
        return None
    if data.direction is not Direction.IN:
        datas.context.error(
            datas.at(i, "count"),
            f"driver data '{name}' is 'dir: {data.direction}', but only data 'dir: in' may be "
            "an array of entries: drop 'count'",
        )
        return None
    count = _count(datas, spec, name, i, by_name, taken)
    if count is None:
        return None
    kind = count.kind
    assert isinstance(kind, Integer)
    subject = f"driver data '{name}' has at most {{n}} entries"
    maximum = resolve_maximum(datas.builder, spec.get("max"), datas.at(i, "max"), subject, kind)
    if maximum is None:
        return None
    counted = replace(count, kind=EntryCount(kind.bits, False, name))
    stride = data.length_kind
    length = replace(data.length, kind=EntryLength(stride.bits, False, name, data.direction))
    array = DataEntries(
        data.direction,
        length,
        data.selector,
        data.choices,
        data.owner,
        counted,
        *maximum,
    )
    return array, length, counted
