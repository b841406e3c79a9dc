"""Rules for enums and flag sets, and their values (a flag's value is its bit)."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.nodes import Enum, EnumValue, FlagSet
from ..records import dataclass
from . import codes
from .codes import Code
from .match import Key, match
from .record import Recorder

ValueSet = Enum | FlagSet


@dataclass(frozen=True)
class Vocabulary:
    """How findings on enums, or on flag sets, are coded and worded."""

    noun: str  # of the type: "enum", "flags"
    unit: str  # what a binary passes: "value", "bit"
    item: str  # one of the values: "enum value", "flag"
    removed: Code
    renamed: Code
    added: Code
    value_changed: Code
    value_renamed: Code
    value_removed: Code
    value_reused: Code
    value_added: Code
    alias_added: Code
    alias_removed: Code
    alias_retargeted: Code
    number_prefix: str  # before a number in a message: "" (a value), "bit "

    def said(self, number: int) -> str:
        """A value or bit as a message says it."""
        return f"{self.number_prefix}{number}"


ENUMS = Vocabulary(
    "enum",
    "value",
    "enum value",
    codes.ENUM_REMOVED,
    codes.ENUM_RENAMED,
    codes.ENUM_ADDED,
    codes.ENUM_VALUE_CHANGED,
    codes.ENUM_VALUE_RENAMED,
    codes.ENUM_VALUE_REMOVED,
    codes.ENUM_VALUE_REUSED,
    codes.ENUM_VALUE_ADDED,
    codes.ENUM_ALIAS_ADDED,
    codes.ENUM_ALIAS_REMOVED,
    codes.ENUM_ALIAS_RETARGETED,
    "",
)
FLAGS = Vocabulary(
    "flags",
    "bit",
    "flag",
    codes.FLAGS_REMOVED,
    codes.FLAGS_RENAMED,
    codes.FLAGS_ADDED,
    codes.FLAG_BIT_CHANGED,
    codes.FLAG_RENAMED,
    codes.FLAG_REMOVED,
    codes.FLAG_BIT_REUSED,
    codes.FLAG_ADDED,
    codes.FLAG_ALIAS_ADDED,
    codes.FLAG_ALIAS_REMOVED,
    codes.FLAG_ALIAS_RETARGETED,
    "bit ",
)


def _signature(value_set: ValueSet) -> frozenset[tuple[str, int]]:
    """What a renamed enum or flag set keeps: its values' names and numbers."""
    return frozenset((v.name, v.number) for v in value_set.values)


def compare_value_sets(
    record: Recorder, words: Vocabulary, old: Sequence[ValueSet], new: Sequence[ValueSet]
) -> dict[str, str]:
    """Enums (or flag sets) are the same by name, then by their values; returns the renames,
    old name -> new name."""
    renames: dict[str, str] = {}
    matching = match(old, new, lambda s: s.name, [Key(_signature)])
    for each in matching.each_old:
        if each.new is None:
            record.add(
                words.removed,
                f"enum {each.old.name}",
                each.old.name,
                None,
                f"API break: the {words.noun} and its enumerators are gone",
            )
            continue
        if each.renamed:
            before, after = each.old.name, each.new.name
            record.renamed(words.renamed, f"enum {after}", before, after, f"{words.noun} type")
            renames[before] = after
        compare_values(record, words, each.old, each.new)
    for added in matching.added:
        path = f"enum {added.name}"
        record.add(words.added, path, None, added.name, f"a new {words.noun} type")
    return renames


def compare_values(record: Recorder, words: Vocabulary, old: ValueSet, new: ValueSet) -> None:
    """The values of one enum (or flag set): the same by name, then by number (a rename)."""
    path = f"enum {new.name}"
    record.doc(path, old.doc, new.doc, f"{words.noun}'s description")
    aliases = {v.name for v in (*old.values, *new.values) if v.alias_of is not None}
    _compare_aliases(record, words, path, (old, new), aliases)
    kept_old = [v for v in old.values if v.name not in aliases]
    kept_new = [v for v in new.values if v.name not in aliases]
    matching = match(kept_old, kept_new, lambda v: v.name, [Key(lambda v: v.number)])
    for each in matching.each_old:
        if each.new is None:
            number = each.old.number
            record.add(
                words.value_removed,
                f"{path}.{each.old.name}",
                number,
                None,
                f"binaries may still pass {words.unit} {number}; code naming it no longer compiles",
            )
        elif each.renamed:
            before, after = each.old.name, each.new.name
            record.renamed(words.value_renamed, f"{path}.{after}", before, after, words.item)
        else:
            _compare_kept_value(record, words, f"{path}.{each.old.name}", each.old, each.new)
    _report_new_values(record, words, path, old, matching.added)


def _compare_kept_value(
    record: Recorder, words: Vocabulary, path: str, old: EnumValue, new: EnumValue
) -> None:
    if old.number != new.number:
        record.add(
            words.value_changed,
            path,
            old.number,
            new.number,
            f"binaries pass the old {words.unit}, which the kernel now reads differently",
        )
    record.doc(path, old.doc, new.doc, f"{words.item}'s description")


def _report_new_values(
    record: Recorder,
    words: Vocabulary,
    path: str,
    old: ValueSet,
    added: Sequence[EnumValue],
) -> None:
    """A new value is harmless only at a number no old value had."""
    old_at = {v.number: v for v in old.values}
    for value in added:
        was = old_at.get(value.number)
        if was is not None:
            record.add(
                words.value_reused,
                f"{path}.{value.name}",
                was.name,
                value.name,
                f"{words.unit} {value.number} meant {was.name}: old binaries passing it now ask "
                f"for {value.name}",
            )
        else:
            record.add(
                words.value_added,
                f"{path}.{value.name}",
                None,
                value.number,
                f"a new {words.unit} nobody used before; old binaries never pass it",
            )


def _compare_aliases(
    record: Recorder,
    words: Vocabulary,
    path: str,
    sides: tuple[ValueSet, ValueSet],
    aliases: set[str],
) -> None:
    """The names that are a second name of a value or flag (`alias-of`) on either side: only
    code that spells them sees them; binaries pass the value (or bit)."""
    before = {v.name: v for v in sides[0].values}
    after = {v.name: v for v in sides[1].values}
    for name in sorted(aliases, key=lambda n: (n not in after, n)):
        was, now = before.get(name), after.get(name)
        if was is None and now is not None:
            target = now.alias_of.name if now.alias_of is not None else now.name
            record.add(
                words.alias_added,
                f"{path}.{name}",
                None,
                target,
                f"a second name of {target} ({words.said(now.number)}): binaries see the same "
                f"{words.unit}",
            )
        elif now is None and was is not None:
            record.add(
                words.alias_removed,
                f"{path}.{name}",
                was.number,
                None,
                f"code spelling {name} no longer compiles; binaries still pass "
                f"{words.said(was.number)}, which keeps its meaning",
            )
        elif was is not None and now is not None and was.number != now.number:
            record.add(
                words.alias_retargeted,
                f"{path}.{name}",
                was.number,
                now.number,
                f"{name} names another {words.unit}: code built against the new header passes "
                f"{words.said(now.number)} where it meant {words.said(was.number)}",
            )
