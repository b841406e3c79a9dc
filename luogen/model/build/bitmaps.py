"""IOVA bitmaps: a user pointer tied to the members that hold the IOVA range's length and the
bytes of a bit (`bitmap: {length, page-size}`)."""

from __future__ import annotations

from typing import Any

from ...records import replace
from ...spec import PathKey
from ..direction import Direction
from ..kinds import UserBuffer, UserPointer
from ..kinds.bitmap import IovaBitmap
from ..nodes import Member
from .buffers import companion, unsigned_problem
from .context import Context

_OTHER_DESCRIPTIONS = ("buffer", "elements", "data")


def _operand_problem(member: Member) -> str | None:
    """Why `member` cannot say a bitmap's range, or None."""
    problem = unsigned_problem(member)
    if problem is None and member.direction is not Direction.IN:
        problem = "is not an input: userspace says which range the bitmap reports (dir in)"
    return problem


def _pointer_problem(raw: dict[str, Any], pointer: Member, in_command: bool) -> str | None:
    name = raw["name"]
    others = [key for key in _OTHER_DESCRIPTIONS if key in raw]
    if others:
        return f"member '{name}' has both 'bitmap' and '{others[0]}': keep one"
    if not in_command:
        return (
            f"member '{name}' has a bitmap, but only a command's own struct can tie a pointer "
            "to the members that say its range"
        )
    if not isinstance(pointer.kind, UserPointer) or isinstance(pointer.kind, UserBuffer):
        return f"member '{name}' has a bitmap, so its type must be 'ptr', not '{raw['type']}'"
    if pointer.direction is not Direction.IN:
        return (
            f"member '{name}' is a bitmap's address, which userspace passes: drop "
            f"'dir: {pointer.direction}'"
        )
    return None


def pair_bitmaps(
    context: Context, item: dict[str, Any], path: PathKey, members: list[Member], in_command: bool
) -> list[Member]:
    """`members` with each user pointer that has a `bitmap` turned into an IovaBitmap tied to
    its length and page-size members; every rule the pairing breaks is reported."""
    by_name = {m.name: m for m in members}
    for i, raw in enumerate(item.get("members", [])):
        pointer = by_name.get(raw.get("name", ""))
        if raw.get("bitmap") is None or pointer is None:
            continue
        mpath = (*path, "members", i, "bitmap")
        problem = _pointer_problem(raw, pointer, in_command)
        if problem:
            context.error(context.spec.at(mpath), problem)
            continue
        subject, found = f"bitmap '{pointer.name}'", []
        for key in ("length", "page-size"):
            where = context.spec.at((*mpath, key))
            wanted = raw["bitmap"][key]
            found.append(
                companion(context, where, subject, "sized", wanted, by_name, _operand_problem)
            )
        length, page_size = found
        if length is None or page_size is None:
            continue
        if length is page_size:
            context.error(
                context.spec.at((*mpath, "page-size")),
                f"{subject} takes its length and its page size from one member, "
                f"'{length.name}': name the member that holds the page size",
            )
            continue
        kind = IovaBitmap(Direction.OUT, length, page_size)
        by_name[pointer.name] = replace(pointer, kind=kind)
    return [by_name[m.name] if m.name else m for m in members]
