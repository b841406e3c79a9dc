"""`alias-of`: a second name of an earlier value of an enum, or of an earlier flag of a flag set.
Both follow one rule, worded for each: the alias names an earlier item of its own enum or flag
set that is no alias itself, and has no value (or bit) of its own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ...errors import suggest
from ...records import dataclass
from ...spec import PathKey
from ..nodes import EnumValue
from .context import Context

Item = TypeVar("Item", bound=EnumValue)


@dataclass(frozen=True)
class AliasWords:
    """How the rule speaks of one kind of set."""

    item: str  # "enum value", "flag"
    thing: str  # what an alias names: "value", "flag"
    own: str  # the key that gives an item its number: "value", "bit"
    kind: str  # the set: "enum", "flag set"
    section: str  # the spec's list of such sets: "enums", "flags"
    entries: str  # the set's list of items: "values", "bits"


ENUM_WORDS = AliasWords("enum value", "value", "value", "enum", "enums", "values")
FLAG_WORDS = AliasWords("flag", "flag", "bit", "flag set", "flags", "bits")


def aliased(
    context: Context,
    words: AliasWords,
    raw: dict[str, Any],
    path: PathKey,
    item: dict[str, Any],
    earlier: Mapping[str, Item],
) -> Item | None:
    """The earlier item the alias `raw` (at `path`, in the set `item`) names, or None
    (reported)."""
    target, name = raw["alias-of"], raw["name"]
    where = context.spec.at((*path, "alias-of"))
    said = f"{words.item} '{name}' is an alias of '{target}'"
    if words.own in raw:
        context.error(
            context.spec.at((*path, words.own)),
            f"{said}, which gives it its {words.own}: drop '{words.own}'",
        )
        return None
    found = earlier.get(target)
    if found is None:
        why = _not_earlier(context, words, raw, path, item, earlier)
        if why is not None:
            context.error(where, why)
        return None  # else an earlier item with an error of its own
    if found.alias_of is not None:
        first = found.alias_of.name
        context.error(
            where,
            f"{said}, itself an alias of '{first}': name the {words.thing}, 'alias-of: {first}'",
        )
        return None
    return found


def _not_earlier(
    context: Context,
    words: AliasWords,
    raw: dict[str, Any],
    path: PathKey,
    item: dict[str, Any],
    earlier: Mapping[str, EnumValue],
) -> str | None:
    """Why the alias names no earlier item of its set, or None when it names one that has an
    error of its own."""
    target, name, title = raw["alias-of"], raw["name"], f"{words.kind} {item['name']}"
    names, at = [x["name"] for x in item[words.entries]], int(path[-1])
    said = f"{words.item} '{name}' is an alias of '{target}'"
    if target == name:
        return (
            f"{words.item} '{name}' is an alias of itself: an alias names another, earlier "
            f"{words.thing} of {title}"
        )
    if target in names[at + 1 :]:
        return (
            f"{said}, which comes after it: an alias names an earlier {words.thing} (as C's "
            "NAME = OTHER does)"
        )
    if target in names[:at]:
        return None
    other = _holder(context, words, target, item["name"])
    if other is not None:
        return (
            f"{said}, a {words.thing} of {words.kind} {other}: an alias names an earlier "
            f"{words.thing} of its own {words.kind}, {item['name']}"
        )
    hint = suggest(target, [n for n in earlier if n != name])
    return f"{said}, which is no earlier {words.thing} of {title}{hint}"


def _holder(context: Context, words: AliasWords, name: str, besides: str) -> str | None:
    """The other set of the spec (of the same section) that has an item `name`, or None."""
    for _, other in context.items(words.section):
        if other["name"] != besides and any(x["name"] == name for x in other[words.entries]):
            return str(other["name"])
    return None
