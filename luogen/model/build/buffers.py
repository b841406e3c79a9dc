"""Buffers: a user pointer paired with the member of its struct that holds its length."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import Location, suggest
from ...spec import PathKey
from ..direction import Direction
from ..kinds import Array, Integer, UserBuffer, UserPointer
from ..nodes import Member
from .context import Context


def unsigned_problem(member: Member) -> str | None:
    """Why `member` cannot be an unsigned integer that userspace sets for a pointer's memory
    (a buffer's length, a bitmap's range), or None."""
    if member.implicit:
        return "is the size header"
    if member.reserved:
        return "is reserved"
    if not isinstance(member.kind, Integer) or member.kind.signed:
        return f"holds {member.kind.summary}, not an unsigned integer"
    return None


def _length_problem(length: Member) -> str | None:
    """Why `length` cannot measure a buffer, or None."""
    problem = unsigned_problem(length)
    if problem:
        return problem
    if length.direction is None or not length.direction.kernel_reads:
        return "is an output: userspace must pass the buffer's length (dir in or inout)"
    return None


def _pointer_problem(pointer: Member, raw: dict[str, Any], in_command: bool) -> str | None:
    """Why `pointer` cannot be a buffer's address, or None (the key the problem is at: see
    `pair_buffers`)."""
    name = raw["name"]
    if not in_command:
        return (
            f"member '{name}' has a buffer, but only a command's own struct can pair a "
            "pointer with its length (the safe bindings take them as one argument)"
        )
    if not isinstance(pointer.kind, UserPointer) or isinstance(pointer.kind, Array):
        return f"member '{name}' has a buffer, so its type must be 'ptr', not '{raw['type']}'"
    return None


def pair_buffers(
    context: Context, item: dict[str, Any], path: PathKey, members: list[Member], in_command: bool
) -> list[Member]:
    """`members` with each user pointer that has a `buffer` turned into a UserBuffer tied to its
    length member; every rule the pairing breaks is reported."""
    by_name = {m.name: m for m in members}
    dropped = {raw.get("name") for raw in item.get("members", [])} - by_name.keys()  # had errors
    measured: dict[str, str] = {}
    for i, raw in enumerate(item.get("members", [])):
        pointer = by_name.get(raw.get("name", ""))
        if raw.get("buffer") is None or pointer is None:
            continue
        mpath = (*path, "members", i)
        problem = _pointer_problem(pointer, raw, in_command)
        if problem:
            context.error(context.spec.at((*mpath, "buffer")), problem)
            continue
        if pointer.direction is not Direction.IN:
            context.error(
                context.spec.at((*mpath, "dir")),
                f"member '{pointer.name}' is a buffer's address, which userspace passes: drop "
                f"'dir: {pointer.direction}' (the buffer's own 'dir' says which way its "
                "bytes go)",
            )
            continue
        if raw["buffer"]["length"] in dropped:
            continue  # the length member's own error says it all
        length = _length_member(context, raw, by_name, members, measured, mpath)
        if length is not None:
            measured[length.name] = pointer.name
            paired = UserBuffer(Direction(raw["buffer"]["dir"]), length)
            by_name[pointer.name] = Member(
                pointer.name,
                paired,
                pointer.doc,
                pointer.direction,
                optional=pointer.optional,
                since=pointer.since,
                where=pointer.where,
            )
    return [by_name[m.name] if m.name else m for m in members]  # anonymous ones: as they are


def _length_member(
    context: Context,
    raw: dict[str, Any],
    by_name: dict[str, Member],
    members: list[Member],
    measured: dict[str, str],
    mpath: PathKey,
) -> Member | None:
    """The member a buffer's `length` names, if it may measure the buffer (else reported)."""
    name, length_name = raw["name"], raw["buffer"]["length"]
    where = context.spec.at((*mpath, "buffer", "length"))
    subject = f"buffer '{name}'"
    length = companion(context, where, subject, "measured", length_name, by_name, _length_problem)
    if length is None:
        return None
    if length_name in measured:
        context.error(
            where,
            f"member '{length_name}' already measures buffer '{measured[length_name]}'; "
            "each buffer needs a length member of its own",
        )
        return None
    return length


def companion(
    context: Context,
    where: Location,
    subject: str,
    verb: str,
    wanted: str,
    by_name: dict[str, Member],
    problem: Callable[[Member], str | None] | None = None,
) -> Member | None:
    """The member `wanted` of a struct that a pointer's buffer, array or data (`subject`:
    "buffer 'b'") is `verb` by ("measured", "counted", "selected"), or None when it is unknown
    or `problem` (if given) says why it cannot be; reported at `where`."""
    found = by_name.get(wanted)
    if found is None:
        hint = suggest(wanted, [n for n, m in by_name.items() if not m.implicit])
        context.error(where, f"{subject} is {verb} by unknown member '{wanted}'{hint}")
        return None
    why = problem(found) if problem else None
    if why:
        context.error(where, f"{subject} is {verb} by '{wanted}', which {why}")
        return None
    return found
