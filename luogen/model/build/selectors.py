"""Members whose direction a selector chooses: `dir-by: {VALUE: in|out|inout|none}` on a member of
a command's struct names values of one enum; the member of the same struct that holds that enum
(the selector) chooses the member's direction (iommufd's IOMMU_OPTION reads `val64` with
IOMMU_OPTION_OP_SET and writes it with IOMMU_OPTION_OP_GET). Every value of the enum is listed,
so no direction is left implicit."""

from __future__ import annotations

from typing import Any

from ...errors import Location, suggest
from ...records import replace
from ...spec import PathKey
from ..direction_by import SPELLINGS, DirectionBy
from ..kinds import EnumStorage, FlagStorage
from ..nodes import Command, CommandRange, Enum, Member
from .context import Context


def _problem(member: Member, raw: dict[str, Any], in_command: bool) -> str | None:
    """Why `member` cannot have its direction chosen by a selector, or None."""
    if not in_command:
        return (
            f"member '{member.name}' is in a nested struct, whose members go the way of the "
            "member that embeds the struct: only a member of a command's own struct can have "
            "'dir-by'"
        )
    if member.reserved:
        return f"member '{member.name}' is reserved, so userspace writes it whatever the selector"
    if "when" in raw:
        return (
            f"member '{member.name}' is read under flag '{raw['when']}' and has 'dir-by': give "
            "its direction by one of them"
        )
    if not raw["dir-by"]:
        return f"member '{member.name}' has an empty 'dir-by': list every value of its enum"
    return None


def _holders(enum: Enum, members: list[Member], member: Member) -> list[Member]:
    """The other members of the struct that hold a value of `enum`."""
    return [
        m
        for m in members
        if m is not member
        and isinstance(m.kind, EnumStorage)
        and not isinstance(m.kind, FlagStorage)
        and m.kind.enum is enum
    ]


class _Resolver:
    """Ties each `dir-by` member of one struct to its enum and selector, reporting each rule it
    breaks."""

    def __init__(
        self, context: Context, enums: dict[str, Enum], item: dict[str, Any], members: list[Member]
    ) -> None:
        self.context, self.item = context, item
        self.value_enum = {v.name: e for e in enums.values() for v in e.values}
        self.selected: tuple[Member, Enum] | None = None  # the struct's first selector
        # A member with an error is left out: the selector may be one of them.
        named = {raw.get("name") for raw in item.get("members", [])}
        self.dropped = bool(named - {m.name for m in members})

    def enum_of(self, member: Member, keys: list[str], where: Location) -> Enum | None:
        """The one enum whose values `keys` are, or None (reported)."""
        unknown = [k for k in keys if k not in self.value_enum]
        if unknown:
            if not self.context.skipped.names["enums"]:  # else: maybe a skipped enum's
                names = list(self.value_enum)
                self.context.error(
                    where,
                    f"member '{member.name}' has its direction chosen by '{unknown[0]}', which "
                    f"is no value of an enum{suggest(unknown[0], names)}",
                )
            return None
        found = list(dict.fromkeys(self.value_enum[k] for k in keys))
        if len(found) > 1:
            first, second = found[0], found[1]
            a = next(k for k in keys if self.value_enum[k] is first)
            b = next(k for k in keys if self.value_enum[k] is second)
            self.context.error(
                where,
                f"member '{member.name}' has 'dir-by' values of two enums: '{a}' of enum "
                f"{first.name} and '{b}' of enum {second.name}: one member of the struct "
                "chooses its direction, so list the values of one enum",
            )
            return None
        return found[0]

    def cases(self, member: Member, enum: Enum, raw: dict[str, str], where: Location) -> bool:
        """Whether `raw` gives a direction under every value of `enum`, each once (reported)."""
        for key in raw:
            value = next(v for v in enum.values if v.name == key)
            if value.alias_of is not None:
                self.context.error(
                    where,
                    f"member '{member.name}' gives its direction under '{key}', an alias of "
                    f"'{value.alias_of.name}': give it under '{value.alias_of.name}' alone",
                )
                return False
        missing = [v.name for v in enum.distinct if v.name not in raw]
        if missing:
            self.context.error(
                where,
                f"member '{member.name}' has no direction under {', '.join(missing)} of enum "
                f"{enum.name}: 'dir-by' lists every value (with 'none' where the kernel "
                "neither reads nor writes it)",
            )
            return False
        if all(SPELLINGS[d] is None for d in raw.values()):
            self.context.error(
                where,
                f"member '{member.name}' is 'none' under every value of enum {enum.name}: the "
                "kernel never reads nor writes it, so make it reserved",
            )
            return False
        return True

    def selector(
        self, member: Member, enum: Enum, members: list[Member], where: Location
    ) -> Member | None:
        """The one member of the struct that holds `enum`, always read (reported)."""
        holders = _holders(enum, members, member)
        struct = self.item["name"]
        if len(holders) > 1:
            names = " and ".join(f"'{m.name}'" for m in holders[:2])
            self.context.error(
                where,
                f"members {names} of struct {struct} both hold enum {enum.name}: one member "
                f"must hold it to choose the direction of '{member.name}'",
            )
            return None
        if not holders and self.dropped:
            return None  # the selector may be a member with an error: that error says it all
        if not holders:
            self.context.error(
                where,
                f"member '{member.name}' has its direction chosen by enum {enum.name}, which "
                f"no other member of struct {struct} holds",
            )
            return None
        (holder,) = holders
        always = holder.direction is not None and holder.direction.kernel_reads
        if not always or holder.reserved or holder.when is not None or holder.direction_by:
            self.context.error(
                where,
                f"member '{holder.name}' chooses the direction of '{member.name}', so it must "
                "be an input the kernel always reads (not an output, reserved, nor read "
                "under a flag or a selector)",
            )
            return None
        return holder

    def same_selector(self, member: Member, selector: Member, enum: Enum, at: Location) -> bool:
        """Whether the struct's `dir-by` members share one selector (reported): the safe
        bindings have a method per its value."""
        if self.selected is None:
            self.selected = (selector, enum)
        first, first_enum = self.selected
        if first is selector:
            return True
        self.context.error(
            at,
            f"member '{member.name}' has its direction chosen by '{selector.name}' (enum "
            f"{enum.name}), another member's by '{first.name}' (enum {first_enum.name}): "
            "one member of a struct chooses the directions, as the bindings have a method "
            "per value of it",
        )
        return False


def resolve_direction_by(
    context: Context,
    enums: dict[str, Enum],
    item: dict[str, Any],
    path: PathKey,
    members: list[Member],
    in_command: bool,
) -> list[Member]:
    """`members` with each member that says `dir-by` tied to its enum and selector; every rule
    it breaks is reported (the member keeps the direction its values add up to)."""
    by_name = {m.name: m for m in members}
    resolver = _Resolver(context, enums, item, members)
    result = list(members)
    for i, raw in enumerate(item.get("members", [])):
        member = by_name.get(raw.get("name", ""))
        if "dir-by" not in raw or member is None:
            continue
        where = context.spec.at((*path, "members", i, "dir-by"))
        problem = _problem(member, raw, in_command)
        if problem:
            context.error(where, problem)
            continue
        mapping: dict[str, str] = raw["dir-by"]
        enum = resolver.enum_of(member, list(mapping), where)
        if enum is None or not resolver.cases(member, enum, mapping, where):
            continue
        selector = resolver.selector(member, enum, members, where)
        if selector is None or not resolver.same_selector(member, selector, enum, where):
            continue
        cases = tuple((v, SPELLINGS[mapping[v.name]]) for v in enum.distinct)
        by = DirectionBy(enum, cases, selector)
        result[result.index(member)] = replace(member, direction_by=by)
    return result


def _described(method: Command) -> str:
    """`command 'option' with OP_SET` of a selector value's method, `command 'x'` of another."""
    value = f" with {method.variant.name}" if method.variant is not None else ""
    return f"command '{method.name}'{value}"


def check_variant_methods(context: Context, ranges: tuple[CommandRange, ...]) -> None:
    """The method of a selector value (`option_set`) is no other method of its object."""
    for command_range in ranges:
        methods: dict[str, Command] = {}
        for method in (v for c in command_range.live for v in c.variants):
            other = methods.setdefault(method.binding_method, method)
            if other is method or (method.variant is None and other.variant is None):
                continue  # (two commands of one name are reported as such)
            context.error(
                method.where or method.struct.where,  # type: ignore[union-attr]
                f"{_described(method)} is the safe bindings' method '{method.binding_method}', "
                f"as {_described(other)} is: rename one of them",
            )
