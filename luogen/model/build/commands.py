"""The builder's command pass: each range's names, numbers and commands, each command's struct."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ...errors import Location
from ...spec import PathKey
from ..bindings.objects import object_kind
from ..names import camel
from ..nodes import Command, CommandRange
from .classic import ClassicCommands, char_value
from .context import Context, since
from .declarations import Declarations
from .members import Members


class RangeNames(NamedTuple):
    """The C and binding names a range's commands are spelled with."""

    cmd_prefix: str  # of the command enumerators
    ioctl_prefix: str  # of the ioctl macros
    struct_prefix: str
    base_name: str  # the enumerator of the range's base
    kernel_prefix: str  # of the range's dispatch, op table and buffer union
    class_name: str  # the binding type of the range's object
    size_member: str = "size"  # the implicit `__u32` size header of its command structs


_WORD = re.compile(r"[A-Za-z0-9]+")


def binding_name(name: str, title: str) -> str:
    """The type name of the spec's first object: the spec name, in words as the title spells
    them when the title starts with those words (`liveupdate` + "Live Update Orchestrator"
    -> `LiveUpdate`), else `camel(name)` (`fwctl` -> `Fwctl`). An acronym is one word, as Rust's
    and Python's naming conventions spell it (`iommufd` + "IOMMUFD - ..." -> `Iommufd`)."""
    words = _WORD.findall(title)
    for count in range(1, len(words) + 1):
        if "".join(words[:count]).lower() == name.replace("_", "").lower():
            return "".join(_word(w) for w in words[:count])
    return camel(name)


def _word(word: str) -> str:
    return word[:1].upper() + (word[1:].lower() if word.isupper() else word[1:])


class Commands:
    def __init__(self, context: Context, declarations: Declarations, members: Members) -> None:
        self.context = context
        self.declarations = declarations
        self.members = members
        self.type_name = ""  # the ioctl type macro, set by build()
        self.classic = ClassicCommands(context, declarations, members)
        self.type_value: int | str = context.data["ioctl-type"]  # as the spec spells it
        literal = char_value(self.type_value) if isinstance(self.type_value, str) else None
        self.type_byte: int = literal if literal is not None else int(self.type_value)
        # (name, where it is set, what it is) of each live command's handler and each fallback
        self.handlers: list[tuple[str, Location, str]] = []
        self.pending_returns: list[tuple[Command, str]] = []  # `returns: opens`, resolved last

    def build(self, type_name: str) -> tuple[CommandRange, ...]:
        self.type_name = type_name
        self.check_size_member(("size-member",))
        built = [(i, self.command_range(item, i)) for i, item in self.context.items("ranges")]
        self.check_overlaps(built)
        return tuple(r for _, r in built)

    def names(self, item: dict[str, Any], index: int) -> RangeNames:
        """The range's names: as the spec spells them, or the defaults (the first range's
        without the range name)."""
        name, upper = self.context.data["name"], self.context.upper
        infix = "" if index == 0 else item["name"].upper() + "_"
        cmd_prefix = item.get("cmd-prefix", f"{upper}_CMD_{infix}")
        first = binding_name(name, self.context.data["title"])
        return RangeNames(
            cmd_prefix,
            item.get("ioctl-prefix", f"{upper}_{infix}"),
            item.get("struct-prefix", f"{name}_{infix.lower()}"),
            item.get("base-name", f"{cmd_prefix}BASE"),
            item.get("kernel-prefix", f"{name}_{item['name']}"),
            first if index == 0 else camel(item["name"]),
            item.get("size-member", self.context.data.get("size-member", "size")),
        )

    def command_range(self, item: dict[str, Any], index: int) -> CommandRange:
        context = self.context
        path: PathKey = ("ranges", index)
        names = self.names(item, index)
        classic = [c for c in item["commands"] if "encoding" in c]
        if classic:
            return self.classic_range(item, path, names, len(classic))
        if "base" not in item:
            context.error(
                context.at(*path, "name"),
                f"range '{item['name']}' has extensible commands, numbered from its 'base': "
                "give it one",
            )
            item = {**item, "base": 0}
        self.check_size_member((*path, "size-member"))
        base_at = (*path, "base-name") if "base-name" in item else (*path, "name")
        context.claim(names.base_name, "command base", context.spec.at(base_at))
        count = len(item["commands"])
        if item["base"] + count - 1 > 255:
            context.error(
                context.at(*path, "base"),
                f"range '{item['name']}' holds {count} commands from 0x{item['base']:02x}, "
                f"past the last ioctl number 0xff: lower its base to 0x{256 - count:02x} at most",
            )
        commands = tuple(
            self.skipped_command(raw, item["base"] + i)
            if context.skipped.skips((*path, "commands", i))
            else self.command(raw, (*path, "commands", i), item["base"], i, names)
            for i, raw in enumerate(item["commands"])
        )
        return CommandRange(
            item["name"],
            context.doc(item["doc"], *path, "doc"),
            object_kind(context.text(item.get("object", item["name"]), *path, "object")),
            item["base"],
            names.base_name,
            commands,
            context.at(*path, "name"),
            names.kernel_prefix,
            names.class_name,
            self.fallback(item, path),
        )

    def fallback(self, item: dict[str, Any], path: PathKey) -> str | None:
        """The driver's function for the numbers outside the range's op table, claimed as a
        name the kernel target's files use."""
        name: str | None = item.get("fallback")
        if name is not None:
            self.handlers.append((name, self.context.at(*path, "fallback"), "fallback"))
        return name

    def classic_range(
        self, item: dict[str, Any], path: PathKey, names: RangeNames, classic: int
    ) -> CommandRange:
        """A range of classic commands: each has its own number, no enumerator and no base."""
        context = self.context
        if classic != len(item["commands"]):
            context.error(
                context.at(*path, "name"),
                f"range '{item['name']}' mixes classic commands (with 'encoding') and extensible "
                "ones: put each style in a range of its own",
            )
        commands = tuple(
            self.classic_command(raw, (*path, "commands", i), names)
            for i, raw in enumerate(item["commands"])
            if "encoding" in raw
        )
        return CommandRange(
            item["name"],
            context.doc(item["doc"], *path, "doc"),
            object_kind(context.text(item.get("object", item["name"]), *path, "object")),
            item.get("base", 0),
            "",
            commands,
            context.at(*path, "name"),
            names.kernel_prefix,
            names.class_name,
        )

    def classic_command(self, raw: dict[str, Any], path: PathKey, names: RangeNames) -> Command:
        context = self.context
        ioctl_name = raw.get("ioctl", f"{names.ioctl_prefix}{raw['name'].upper()}")
        ioctl_at = (*path, "ioctl") if "ioctl" in raw else (*path, "name")
        context.claim(ioctl_name, "ioctl macro", context.spec.at(ioctl_at))
        encoding = self.classic.encoding(raw, path, ioctl_name.lower())
        type_value = raw.get("type", self.type_value)
        ioctl_type = self.classic.spelled_value(
            type_value, context.at(*path, "type"), "type", (self.type_name, self.type_byte)
        )
        nr = self.classic.spelled_value(raw.get("nr", 0), context.at(*path, "nr"), "nr")
        if "nr" not in raw:
            context.error(context.at(*path, "name"), "a classic command needs its 'nr'")
        spelled_type = self.type_name if "type" not in raw else str(raw["type"])
        command = Command(
            name=raw["name"],
            nr=nr or 0,
            cmd_name="",
            doc=context.doc(raw.get("doc", ""), *path, "doc"),
            ioctl_name=ioctl_name,
            struct=None,
            ioctl_type=ioctl_type or 0,
            ioctl_type_name=self.type_name,
            errnos=self.declarations.errnos(raw.get("errnos", []), (*path, "errnos")),
            since=since(raw),
            object_class=names.class_name,
            encoding=encoding,
            argument=self.classic.argument(raw, path, encoding, ioctl_name.lower()),
            argument_by_value=bool(raw.get("argument", {}).get("by-value", False)),
            returns_fd="returns" in raw and self.classic.returns(raw, path),
            type_spelling=spelled_type,
            nr_spelling=raw["nr"] if isinstance(raw.get("nr"), str) else f"0x{nr or 0:02x}",
            where=context.at(*path, "name"),
        )
        if command.returns_fd and "opens" in raw["returns"]:
            self.pending_returns.append((command, raw["returns"]["opens"]))
        return command

    def command(
        self, raw: dict[str, Any], path: PathKey, base: int, index: int, names: RangeNames
    ) -> Command:
        context = self.context
        nr = base + index
        if "nr" in raw and raw["nr"] != nr:
            context.error(
                context.at(*path, "nr"),
                f"command '{raw['name']}' is number 0x{nr:02x} (0x{base:02x} + {index}) but its "
                f"'nr' says 0x{raw['nr']:02x}: commands are numbered in order from the range "
                "base with no gaps; keep a removed command as 'retired' to hold its number",
            )
        upper = raw["name"].upper()
        cmd_name = raw.get("cmd", f"{names.cmd_prefix}{upper}")
        cmd_at = (*path, "cmd") if "cmd" in raw else (*path, "name")
        context.claim(cmd_name, "command enumerator", context.spec.at(cmd_at))
        common = {
            "name": raw["name"],
            "nr": nr,
            "cmd_name": cmd_name,
            "ioctl_type": self.type_byte,
            "ioctl_type_name": self.type_name,
            "since": since(raw),
            "object_class": names.class_name,
            "where": context.at(*path, "name"),
        }
        if "retired" in raw:
            retired = context.text(raw["retired"], *path, "retired")
            return Command(doc=None, ioctl_name=None, struct=None, retired=retired, **common)
        struct_name = self.struct_name(raw, path, names)
        ioctl_name = raw.get("ioctl", f"{names.ioctl_prefix}{upper}")
        ioctl_at = (*path, "ioctl") if "ioctl" in raw else (*path, "name")
        context.claim(ioctl_name, "ioctl macro", context.spec.at(ioctl_at))
        struct = self.members.struct(
            {**raw, "name": struct_name}, path, in_command=True, size_member=names.size_member
        )
        handler = raw.get("handler", f"{names.kernel_prefix}_cmd_{raw['name']}")
        handler_at = (*path, "handler") if "handler" in raw else (*path, "name")
        self.handlers.append((handler, context.spec.at(handler_at), "handler"))
        return Command(
            doc=context.doc(raw["doc"], *path, "doc"),
            ioctl_name=ioctl_name,
            struct=struct,
            errnos=self.declarations.errnos(raw.get("errnos", []), (*path, "errnos")),
            handler=handler,
            config=raw.get("config"),
            brief=" ".join(context.text(raw.get("brief", ""), *path, "brief").split()) or None,
            **common,
        )

    def skipped_command(self, raw: Any, nr: int) -> Command:
        """What holds the number of a command that failed the schema (never output: the spec
        has errors)."""
        name = raw.get("name") if isinstance(raw, dict) else None
        return Command(
            str(name), nr, "", None, None, None, self.type_byte, self.type_name, retired=""
        )

    def check_size_member(self, path: PathKey) -> None:
        """The name a spec or range gives the size header is a member's name."""
        spec = self.context.spec
        node: Any = self.context.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else node[key]
            if node is None:
                return
        self.context.check_identifier(node, "size member", spec.at(path), "lower", cxx=False)

    def struct_name(self, raw: dict[str, Any], path: PathKey, names: RangeNames) -> str:
        """The command's struct, claimed: no other command or nested struct may have it."""
        context, owners = self.context, self.members.struct_owner
        name: str = raw.get("struct", f"{names.struct_prefix}{raw['name']}")
        where = context.spec.at((*path, "struct") if "struct" in raw else (*path, "name"))
        if name in owners:
            owner, first = owners[name]
            context.error(
                where,
                f"struct '{name}' is already {owner} (line {first.line}): every ioctl needs a "
                "struct of its own",
            )
        else:
            owners[name] = (f"the struct of command '{raw['name']}'", where)
            context.claim(name, "struct", where, "lower")
        context.check_struct_prefix(name, where)
        return name

    def check_overlaps(self, ranges: list[tuple[int, CommandRange]]) -> None:
        for n, (i, later) in enumerate(ranges):
            for _, earlier in ranges[:n]:
                if later.classic or earlier.classic:
                    continue  # the header's own numbers: shared, interleaved, of other types
                if later.base <= earlier.last and earlier.base <= later.last:
                    self.context.error(
                        self.context.at("ranges", i, "base"),
                        f"range '{later.name}' (0x{later.base:02x}..0x{later.last:02x}) overlaps "
                        f"range '{earlier.name}' (0x{earlier.base:02x}..0x{earlier.last:02x}): "
                        "move its base past the other range's last number",
                    )
