"""The builder's first pass: the header's constants, enums, flag sets and errnos."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...spec import PathKey
from ..nodes import Constant, Doc, Enum, EnumValue, Errno, Flag, FlagSet
from .aliases import ENUM_WORDS, FLAG_WORDS, aliased
from .context import Context, since

# The errno contract every luogen interface follows; a spec appends its own.
GENERAL_ERRNOS = (
    Errno("ENOTTY", Doc("The ioctl number itself is not supported at all.")),
    Errno(
        "E2BIG",
        Doc(
            "The ioctl number is supported, but the provided structure has non-zero bytes in a "
            "part the kernel does not understand."
        ),
    ),
    Errno(
        "EOPNOTSUPP",
        Doc(
            "The ioctl number is supported and the structure is understood, but a known field "
            "has a value the kernel does not support (unknown flag bits, non-zero reserved "
            "fields)."
        ),
    ),
    Errno(
        "EINVAL",
        Doc(
            "Everything about the ioctl was understood, but a field is not correct, or the "
            "structure is shorter than its minimum size."
        ),
    ),
    Errno("EFAULT", Doc("The structure or a buffer it points to is not accessible.")),
)


class Declarations:
    """What the spec declares before any struct: built in order, each name claimed."""

    def __init__(self, context: Context) -> None:
        self.context = context
        # Whether the spec defines a new ABI (an extensible command) rather than describing a
        # classic header, whose legacy is reported as warnings.
        self.extensible = any(
            isinstance(c, dict) and "encoding" not in c
            for _, r in context.items("ranges")
            for c in r["commands"]
        )
        self.constants: dict[str, Constant] = {}
        self.enums: dict[str, Enum] = {}
        self.flag_sets: dict[str, FlagSet] = {}

    def build(self) -> None:
        for i, item in self.context.items("constants"):
            self.constant(item, ("constants", i))
        for i, item in self.context.items("enums"):
            self.enum(item, ("enums", i))
        for i, item in self.context.items("flags"):
            self.flag_set(item, ("flags", i))

    def errnos(
        self, items: list[dict[str, str]], path: PathKey, inherited: Iterable[Errno] = ()
    ) -> tuple[Errno, ...]:
        general = {e.name for e in inherited}
        seen: set[str] = set()
        result = list(inherited)
        for i, item in enumerate(items):
            if self.context.skipped.skips((*path, i)):
                continue
            where = self.context.spec.at((*path, i, "name"))
            if item["name"] in general:
                self.context.error(
                    where, f"errno '{item['name']}' is one of the general errnos already"
                )
            elif item["name"] in seen:
                self.context.error(where, f"errno '{item['name']}' is listed twice")
            seen.add(item["name"])
            result.append(Errno(item["name"], self.context.doc(item["doc"], *path, i, "doc")))
        return tuple(result)

    def constant(self, item: dict[str, Any], path: PathKey) -> None:
        where = self.context.spec.at((*path, "name"))
        self.context.claim(item["name"], "constant", where)
        doc = self.context.doc(item["doc"], *path, "doc")
        value, spelling = item["value"], ""
        if isinstance(value, str):  # a character literal (the schema allows no other string)
            spelling, value = value, ord(value.strip("()")[1])
        external = bool(item.get("external", False))
        self.constants[item["name"]] = Constant(item["name"], value, doc, where, spelling, external)

    def enum(self, item: dict[str, Any], path: PathKey) -> None:
        context = self.context
        where = context.spec.at((*path, "name"))
        context.claim(item["name"], "enum", where, "lower")
        values: dict[str, EnumValue] = {}
        by_value: dict[int, str] = {}
        next_value = 0
        for i, v in enumerate(item["values"]):
            vpath = (*path, "values", i)
            context.claim(v["name"], "enum value", context.spec.at((*vpath, "name")))
            doc = context.doc(v["doc"], *vpath, "doc")
            if "alias-of" in v:
                alias = self.alias(v, vpath, item, values, doc)
                if alias is None:
                    continue
                values.setdefault(v["name"], alias)
                next_value = alias.value + 1  # as C numbers what follows `NAME = OTHER`
                continue
            value = v.get("value", next_value)
            if value in by_value:
                # A classic header may give one value two names; a new ABI may not, unless
                # it says so with `alias-of`.
                report = context.error if self.extensible else context.warn
                report(
                    context.spec.at((*vpath, "value") if "value" in v else (*vpath, "name")),
                    f"enum value {value} of '{v['name']}' is already used by '{by_value[value]}' "
                    f"(a second name of that value says 'alias-of: {by_value[value]}')",
                )
            by_value.setdefault(value, v["name"])
            values.setdefault(v["name"], EnumValue(v["name"], value, doc, since(v)))
            next_value = value + 1
        doc = context.doc(item.get("doc", ""), *path, "doc")
        place = item.get("place", "top")
        self.enums[item["name"]] = Enum(
            item["name"], doc, tuple(values.values()), where, item.get("external"), place=place
        )

    def alias(
        self,
        v: dict[str, Any],
        vpath: PathKey,
        item: dict[str, Any],
        earlier: dict[str, EnumValue],
        doc: Doc,
    ) -> EnumValue | None:
        """The alias `v`, of the earlier value it names a second time, or None (reported)."""
        found = aliased(self.context, ENUM_WORDS, v, vpath, item, earlier)
        if found is None:
            return None
        return EnumValue(v["name"], found.value, doc, since(v), alias_of=found)

    def flag_set(self, item: dict[str, Any], path: PathKey) -> None:
        context = self.context
        where = context.spec.at((*path, "name"))
        context.claim(item["name"], "flags", where, "lower")
        if item["name"] in self.enums:
            return  # claim() reported it
        bits: dict[str, Flag] = {}
        by_bit: dict[int, str] = {}
        for i, b in enumerate(item["bits"]):
            bpath = (*path, "bits", i)
            context.claim(b["name"], "flag", context.spec.at((*bpath, "name")))
            doc = context.doc(b["doc"], *bpath, "doc")
            if "alias-of" in b:
                found = aliased(context, FLAG_WORDS, b, bpath, item, bits)
                if found is not None:
                    alias = Flag(b["name"], found.value, doc, since(b), found, bit=found.bit)
                    bits.setdefault(b["name"], alias)
                continue
            if b["bit"] in by_bit:
                first = by_bit[b["bit"]]
                context.error(
                    context.spec.at((*bpath, "bit")),
                    f"flag bit {b['bit']} of '{b['name']}' is already used by '{first}' (a "
                    f"second name of that flag says 'alias-of: {first}')",
                )
            by_bit.setdefault(b["bit"], b["name"])
            bits.setdefault(b["name"], Flag(b["name"], 1 << b["bit"], doc, since(b), bit=b["bit"]))
        doc = context.doc(item.get("doc", ""), *path, "doc")
        place = item.get("place", "top")
        values = tuple(bits.values())
        self.flag_sets[item["name"]] = FlagSet(item["name"], doc, values, where, place=place)

    def check_places(self, held: Iterable[str]) -> None:
        """An enum or flag set placed before its first use has one."""
        used = set(held)
        for key in ("enums", "flags"):
            for i, item in enumerate(self.context.data.get(key, [])):
                if item.get("place") == "before-first-use" and item["name"] not in used:
                    self.context.warn(
                        self.context.at(key, i, "place"),
                        f"'{item['name']}' has 'place: before-first-use' but no member holds "
                        "it: the header declares it at the top with the others",
                    )
