"""`safety:` on a raw user pointer: what the caller of a safe method vouches for, which the Rust
safe layer's `# Safety` section and the Python argument's doc state (the pointer's memory is the
handler's business, so only the spec can say what the kernel does with it)."""

from __future__ import annotations

from typing import Any

from ...records import replace
from ...spec import PathKey
from ..kinds import UserPointer
from ..nodes import Member
from .context import Context


def resolve_safety(
    context: Context, item: dict[str, Any], path: PathKey, members: list[Member], in_command: bool
) -> list[Member]:
    """`members` with each raw pointer's `safety` text; a `safety` elsewhere is reported."""
    by_name = {m.name: m for m in members}
    for i, raw in enumerate(item.get("members", [])):
        member = by_name.get(raw.get("name", ""))
        if "safety" not in raw or member is None:
            continue
        problem = None
        if not in_command:
            problem = "only a command's own members are arguments of the safe methods"
        elif not isinstance(member.kind, UserPointer):
            problem = f"it is {member.kind.summary}, not a user pointer"
        elif not member.kind.carries_pointer:
            problem = (
                f"the safe layers pass its memory ({member.kind.addresses}) without `unsafe`: "
                "only a raw user pointer (no buffer, elements, data or bitmap) has a caller "
                "who vouches for what it addresses"
            )
        if problem:
            context.error(
                context.spec.at((*path, "members", i, "safety")),
                f"member '{member.name}' has 'safety', but {problem}",
            )
            continue
        by_name[member.name] = replace(member, safety=" ".join(raw["safety"].split()))
    return [by_name[m.name] if m.name else m for m in members]
