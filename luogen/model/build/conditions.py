"""Members read only under a flag: `when: FLAG` on a member of a command's struct says the kernel
reads it only when FLAG is set in the flags member of the same struct that holds it (iommufd's
`iova` is an input only with `IOMMU_IOAS_MAP_FIXED_IOVA`)."""

from __future__ import annotations

from typing import Any

from ...errors import suggest
from ...records import replace
from ...spec import PathKey
from ..direction import Direction
from ..kinds import FlagStorage
from ..nodes import Flag, Member
from .context import Context


def _flags_of(members: list[Member]) -> dict[str, tuple[Flag, Member]]:
    """Each flag a member that userspace writes holds, with that member."""
    found: dict[str, tuple[Flag, Member]] = {}
    for member in members:
        kind = member.kind
        readable = member.direction is not None and member.direction.kernel_reads
        if isinstance(kind, FlagStorage) and readable and not member.reserved:
            for flag in kind.enum.values:
                found.setdefault(flag.name, (flag, member))  # type: ignore[arg-type]
    return found


def _problem(member: Member, in_command: bool) -> str | None:
    """Why `member` cannot be read under a flag, or None."""
    if not in_command:
        return (
            f"member '{member.name}' is in a nested struct: only a member of a command's own "
            "struct can be read under a flag of that struct"
        )
    if member.reserved:
        return f"member '{member.name}' is reserved, so it must be zero whatever the flags"
    if member.direction is Direction.OUT:
        return (
            f"member '{member.name}' is an output, which the kernel writes whatever the flags: "
            "drop 'when', or make it 'dir: inout'"
        )
    return None


def resolve_when(
    context: Context, item: dict[str, Any], path: PathKey, members: list[Member], in_command: bool
) -> list[Member]:
    """`members` with each member that says `when` tied to its flag and the member holding it;
    every rule it breaks is reported."""
    by_name = {m.name: m for m in members}
    raws = item.get("members", [])
    dropped = {raw.get("name") for raw in raws} - by_name.keys()  # had errors
    # A flag set with a schema error is left out: the members holding it hold plain integers.
    dropped |= {r["flags"] for r in raws if context.skipped.missing("flags", r.get("flags", ""))}
    flags = _flags_of(members)
    result = list(members)
    for i, raw in enumerate(item.get("members", [])):
        member = by_name.get(raw.get("name", ""))
        if raw.get("when") is None or member is None:
            continue
        where = context.spec.at((*path, "members", i, "when"))
        problem = _problem(member, in_command)
        if problem:
            context.error(where, problem)
            continue
        found = flags.get(raw["when"])
        if found is None and dropped:
            continue  # the flag may be one of a member with an error: that error says it all
        if found is None or found[1] is member:
            hint = suggest(raw["when"], list(flags)) or (
                f" (its flags members hold {', '.join(flags)})" if flags else ""
            )
            context.error(
                where,
                f"member '{member.name}' is read under flag '{raw['when']}', which no other "
                f"member of struct {item['name']} that userspace writes holds{hint}",
            )
            continue
        flag, holder = found
        if flag.alias_of is not None:  # one spelling of each bit, as driver data and dir-by
            context.error(
                where,
                f"member '{member.name}' is read under flag '{flag.name}', an alias of "
                f"'{flag.alias_of.name}': name the flag itself, 'when: {flag.alias_of.name}'",
            )
            continue
        result[result.index(member)] = replace(member, when=flag, when_in=holder)
    return result
