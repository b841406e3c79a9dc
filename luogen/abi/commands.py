"""Rules for command ranges and commands: numbers, macros, retirements and their structs."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.arch import ARCHES
from ..model.nodes import Command, CommandRange
from . import codes
from .finding import as_hex
from .interface import compare_errnos
from .match import Counterpart, Key, match
from .record import Recorder
from .structs import StructRules


def compare_ranges(
    record: Recorder, old: Sequence[CommandRange], new: Sequence[CommandRange]
) -> None:
    """A range is the same range by name or, failing that, by base; each new range is one old
    range's at most (the commands inside are compared on their own)."""
    new_by_name = {r.name: r for r in new}
    new_by_base = {r.base: r for r in new}
    matched: set[str] = set()
    for before in old:
        after = new_by_name.get(before.name) or new_by_base.get(before.base)
        if after is None or after.name in matched:
            record.add(
                codes.RANGE_REMOVED,
                before.base_name,
                as_hex(before.base),
                None,
                "the command range is gone (its commands are reported one by one)",
            )
            continue
        matched.add(after.name)
        _compare_range(record, before, after)
    for added in new:
        if added.name not in matched:
            record.add(
                codes.RANGE_ADDED,
                added.base_name,
                None,
                as_hex(added.base),
                "a new command range at numbers nobody used before",
            )


def _compare_range(record: Recorder, old: CommandRange, new: CommandRange) -> None:
    if old.base != new.base:
        record.add(
            codes.RANGE_BASE_CHANGED,
            new.base_name,
            as_hex(old.base),
            as_hex(new.base),
            "every command of the range is renumbered",
        )
    if old.base_name != new.base_name:
        record.renamed(
            codes.ENUMERATOR_RENAMED,
            new.base_name,
            old.base_name,
            new.base_name,
            "range base enumerator",
        )
    record.doc(new.base_name, old.doc, new.doc, "range's description")


def _number(command: Command) -> tuple[int, int]:
    return command.ioctl_type, command.nr


def _arches(names: Sequence[str]) -> str:
    if len(names) == len(ARCHES):
        return "every architecture"
    return ", ".join(names)


class CommandRules:
    """Compares the commands of two sides: live ones by ioctl macro, then by number (a rename);
    retired numbers by number alone."""

    def __init__(self, record: Recorder, structs: StructRules) -> None:
        self.record = record
        self.structs = structs

    def compare(self, old: Sequence[CommandRange], new: Sequence[CommandRange]) -> None:
        old_all = [c for r in old for c in r.commands]
        new_all = [c for r in new for c in r.commands]
        old_live = [c for c in old_all if c.retired is None]
        new_live = [c for c in new_all if c.retired is None]
        # A number is its type byte and nr: classic headers may use several type bytes.
        matching = match(old_live, new_live, lambda c: c.ioctl_name, [Key(_number)])
        fate = {id(each.old): each for each in matching.each_old}
        new_at = {_number(c): c for c in new_all}
        for before in old_all:  # in header order, retired numbers among live commands
            if before.retired is not None:
                self._compare_retired(before, new_at.get(_number(before)))
            else:
                self._compare_live(fate[id(before)], new_at.get(_number(before)))
        added = {_number(c) for c in matching.added}
        self._report_new(new_all, added, {_number(c): c for c in old_all})

    def _compare_live(self, each: Counterpart[Command], at_number: Command | None) -> None:
        """One live old command; `at_number`: the new side's command at its number, if any."""
        before, after = each.old, each.new
        name = before.ioctl_name or before.cmd_name
        if after is not None and not each.renamed:
            if after.nr != before.nr:
                self.record.add(
                    codes.COMMAND_RENUMBERED,
                    name,
                    as_hex(before.nr),
                    as_hex(after.nr),
                    "binaries built against the old header send the old number: they reach "
                    "another command or none",
                )
            self._compare_command(before, after)
        elif after is not None:
            self.record.renamed(
                codes.COMMAND_RENAMED,
                after.ioctl_name or after.cmd_name,
                name,
                after.ioctl_name or "",
                "ioctl macro",
            )
            self._compare_command(before, after)
        elif at_number is not None and at_number.retired is not None:
            self.record.add(
                codes.COMMAND_RETIRED,
                name,
                as_hex(before.nr),
                f"retired: {at_number.retired}",
                "the ioctl is removed (its number stays reserved): binaries that call it now "
                "get ENOTTY - a userspace regression unless no userspace ever used it",
            )
        else:
            self.record.add(
                codes.COMMAND_REMOVED,
                name,
                as_hex(before.nr),
                None,
                "the ioctl is gone and its number not reserved: binaries that call it get "
                "ENOTTY, and the number may be reused",
            )

    def _compare_retired(self, before: Command, at_number: Command | None) -> None:
        """A retired old number; `at_number`: the new side's command at that number, if any."""
        if at_number is None:
            self.record.add(
                codes.RETIRED_NUMBER_RELEASED,
                before.cmd_name,
                as_hex(before.nr),
                None,
                "a retired number is no longer reserved: it can be handed to a new command that "
                "binaries of the retired one would then reach",
            )
        elif at_number.retired is None:
            self.record.add(
                codes.RETIRED_NUMBER_REUSED,
                at_number.ioctl_name or at_number.cmd_name,
                f"retired: {before.retired}",
                at_number.ioctl_name,
                f"number {as_hex(before.nr)} was retired: binaries of the old command now reach "
                "this one with the wrong struct",
            )
        else:
            self._compare_enumerator(before, at_number)
            self.record.doc(
                at_number.cmd_name, before.retired, at_number.retired, "retirement note"
            )

    def _report_new(
        self,
        new_all: Sequence[Command],
        added: set[tuple[int, int]],
        old_at: dict[tuple[int, int], Command],
    ) -> None:
        """The new side's commands no old one became (`added`: their numbers) and its new
        retired numbers; what was at their number before decides."""
        for after in new_all:
            was = old_at.get(_number(after))
            if after.retired is not None and was is None:
                self.record.add(
                    codes.NUMBER_RESERVED,
                    after.cmd_name,
                    None,
                    as_hex(after.nr),
                    "a new number is reserved (retired) without ever being used",
                )
            if after.retired is not None or _number(after) not in added:
                continue
            name = after.ioctl_name or after.cmd_name
            if was is not None and was.retired is None:
                self.record.add(
                    codes.COMMAND_NUMBER_REUSED,
                    name,
                    was.ioctl_name,
                    after.ioctl_name,
                    f"number {as_hex(after.nr)} belonged to {was.ioctl_name}: old binaries "
                    "calling it reach this command with the wrong struct",
                )
            elif was is None:
                self.record.add(
                    codes.COMMAND_ADDED,
                    name,
                    None,
                    as_hex(after.nr),
                    "a new command at a number nobody used before",
                )
            # (a new command at a retired number is reported with that number: see above)

    def _compare_command(self, old: Command, new: Command) -> None:
        name = new.ioctl_name or new.cmd_name
        self._compare_enumerator(old, new)
        self.record.doc(name, old.doc, new.doc, "command's description")
        self.record.doc(name, old.brief, new.brief, "command's brief")
        compare_errnos(self.record, name, old.errnos, new.errnos)
        if old.struct is not None and new.struct is not None:
            self.structs.compare(old.struct, new.struct, command=True)
        methods = [[v.binding_method for v in c.variants] for c in (old, new)]
        if old.name == new.name and methods[0] != methods[1]:  # a rename is reported as such
            self.record.add(
                codes.BINDING_METHODS_CHANGED,
                name,
                ", ".join(methods[0]),
                ", ".join(methods[1]),
                "the safe bindings have other methods for the command (one per value of the "
                "selector of its `dir-by` members, or one): code that calls them must change",
            )
        if old.encoding.classic or new.encoding.classic:
            self._compare_classic(name, old, new)

    def _compare_classic(self, name: str, old: Command, new: Command) -> None:
        """A classic number carries the direction and the argument's size: it is compared on
        every architecture (the argument's struct is compared with the other structs)."""
        changed = [a for a, number in old.numbers.items() if new.numbers[a] != number]
        if changed:
            arch = changed[0]
            self.record.add(
                codes.CLASSIC_NUMBER_CHANGED,
                name,
                f"{arch}:{as_hex(old.numbers[arch])}",
                f"{arch}:{as_hex(new.numbers[arch])}",
                f"the number changes on {_arches(changed)}: binaries built against the old "
                "header send the old number, which the driver no longer answers",
            )
        spelled = [c.argument_spelling if c.argument is not None else "" for c in (old, new)]
        if not changed and spelled[0] != spelled[1]:
            self.record.add(
                codes.CLASSIC_ARGUMENT_RETYPED,
                name,
                spelled[0] or None,
                spelled[1] or None,
                "the argument is another C type of the same size on every architecture: "
                "binaries are unaffected, sources that name the type may not be",
            )

    def _compare_enumerator(self, old: Command, new: Command) -> None:
        if old.cmd_name != new.cmd_name:
            self.record.renamed(
                codes.ENUMERATOR_RENAMED,
                new.cmd_name,
                old.cmd_name,
                new.cmd_name,
                "command enumerator",
            )
