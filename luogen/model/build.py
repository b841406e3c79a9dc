"""Build the model from a schema-checked spec, enforcing the ABI rules with located errors."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from ..errors import Diagnostic, Location, SpecError
from ..spec import PathKey, Spec
from .arch import ARCHES
from .kinds import (
    INTEGERS,
    Array,
    EnumStorage,
    Fd,
    FlagStorage,
    Integer,
    Kind,
    Nested,
    UserBuffer,
    UserPointer,
)
from .names import reserved_in
from .nodes import (
    Command,
    CommandRange,
    Constant,
    Doc,
    Enum,
    EnumValue,
    Errno,
    Flag,
    FlagSet,
    Hole,
    KernelBuild,
    Member,
    Model,
    Struct,
)

DEFAULT_SPDX = "GPL-2.0 WITH Linux-syscall-note"

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

_LOWER = re.compile(r"^_*[a-z][a-z0-9_]*$")
_UPPER = re.compile(r"^_*[A-Z][A-Z0-9_]*$")


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _reserved_member_hint(length: int) -> str:
    spelled = {1: "__u8 __reserved", 2: "__u16 __reserved", 4: "__u32 __reserved"}
    return spelled.get(length, f"__u8 __reserved[{length}]")


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.data: dict[str, Any] = spec.data
        self.diagnostics: list[Diagnostic] = []
        self.global_names: dict[str, tuple[str, Location]] = {}
        self.constants: dict[str, Constant] = {}
        self.enums: dict[str, Enum] = {}
        self.flag_sets: dict[str, FlagSet] = {}
        self.structs: dict[str, Struct] = {}
        self.struct_owner: dict[str, tuple[str, Location]] = {}
        self.stored_as: dict[str, tuple[Integer, str, Location]] = {}
        self.upper = self.data["name"].upper()

    # --- reporting -----------------------------------------------------------------------------

    def error(self, where: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(where, "error", message))

    def warn(self, where: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(where, "warning", message))

    def at(self, *path: str | int) -> Location:
        return self.spec.at(path)

    def claim(self, name: str, what: str, where: Location, style: str = "upper") -> None:
        """Register a name in the header's global C namespace (macros, enumerators, tags)."""
        if name in self.global_names:
            other, first = self.global_names[name]
            self.error(
                where, f"{what} '{name}' clashes with the {other} of that name (line {first.line})"
            )
            return
        self.global_names[name] = (what, where)
        self.check_identifier(name, what, where, style)

    def check_identifier(self, name: str, what: str, where: Location, style: str) -> None:
        language = reserved_in(name)
        if language:
            self.error(where, f"{what} '{name}' is a {language} keyword; choose another name")
        elif style == "upper" and not _UPPER.match(name):
            self.warn(where, f"{what} '{name}' should be UPPER_CASE")
        elif style == "lower" and not _LOWER.match(name):
            self.warn(where, f"{what} '{name}' should be lower_case")

    def text(self, text: str, *path: str | int) -> str:
        """Free text that luogen writes into C comments: it must not open or close one."""
        for token, effect in (("*/", "end the C comment"), ("/*", "nest a C comment")):
            if token in text:
                self.error(self.at(*path), f"text must not contain '{token}' (it would {effect})")
                break
        return text

    def doc(self, text: str, *path: str | int) -> Doc:
        return Doc(self.text(text, *path))

    # --- declarations --------------------------------------------------------------------------

    def build(self) -> Model:
        d = self.data
        name = d["name"]
        type_name = d.get("ioctl-type-name", f"{self.upper}_TYPE")
        self.claim(
            type_name,
            "ioctl type macro",
            self.spec.key_at(("ioctl-type-name",))
            if "ioctl-type-name" in d
            else self.spec.key_at(("ioctl-type",)),
        )
        guard = d.get("guard") or "_UAPI_" + re.sub(r"[^A-Za-z0-9]", "_", d["header"]).upper()
        self.claim(
            guard, "include guard", self.spec.key_at(("guard" if "guard" in d else "header",))
        )
        for i, item in enumerate(d.get("constants", [])):
            self.constant(item, ("constants", i))
        for i, item in enumerate(d.get("enums", [])):
            self.enum(item, ("enums", i))
        for i, item in enumerate(d.get("flags", [])):
            self.flag_set(item, ("flags", i))
        nested = self.nested_structs()
        errnos = self.errnos(d.get("errnos", []), ("errnos",), GENERAL_ERRNOS)
        ranges = tuple(self.command_range(r, i, type_name) for i, r in enumerate(d["ranges"]))
        self.check_overlaps(ranges)
        copyright_lines = self.text(d.get("copyright", ""), "copyright").strip("\n").splitlines()
        model = Model(
            path=self.spec.path,
            name=name,
            title=self.text(d["title"], "title"),
            header=d["header"],
            kernel=KernelBuild(
                dir=d.get("kernel", {}).get("dir", f"drivers/{name}"),
                config=d.get("kernel", {}).get("config", f"CONFIG_{self.upper}"),
                module=d.get("kernel", {}).get("module", name),
                objects=tuple(d.get("kernel", {}).get("objects", ())),
            ),
            spdx=d.get("spdx", DEFAULT_SPDX),
            guard=guard,
            copyright=tuple(line.rstrip() for line in copyright_lines),
            contact=d.get("contact"),
            overview=self.doc(d["overview"], "overview"),
            errnos=errnos,
            ioctl_type=d["ioctl-type"],
            ioctl_type_name=type_name,
            constants=tuple(self.constants.values()),
            enums=tuple(self.enums.values()),
            flag_sets=tuple(self.flag_sets.values()),
            structs=nested,
            ranges=ranges,
            warnings=tuple(x for x in self.diagnostics if x.severity == "warning"),
        )
        errors = [x for x in self.diagnostics if x.severity == "error"]
        if errors:
            raise SpecError(self.diagnostics)
        return model

    def errnos(
        self, items: list[dict[str, str]], path: PathKey, inherited: Iterable[Errno] = ()
    ) -> tuple[Errno, ...]:
        general = {e.name for e in inherited}
        seen: set[str] = set()
        result = list(inherited)
        for i, item in enumerate(items):
            where = self.spec.at((*path, i, "name"))
            if item["name"] in general:
                self.error(where, f"errno '{item['name']}' is one of the general errnos already")
            elif item["name"] in seen:
                self.error(where, f"errno '{item['name']}' is listed twice")
            seen.add(item["name"])
            result.append(Errno(item["name"], self.doc(item["doc"], *path, i, "doc")))
        return tuple(result)

    def constant(self, item: dict[str, Any], path: PathKey) -> None:
        where = self.spec.at((*path, "name"))
        self.claim(item["name"], "constant", where)
        doc = self.doc(item["doc"], *path, "doc")
        self.constants[item["name"]] = Constant(item["name"], item["value"], doc, where)

    def enum(self, item: dict[str, Any], path: PathKey) -> None:
        where = self.spec.at((*path, "name"))
        self.claim(item["name"], "enum", where, "lower")
        values: list[EnumValue] = []
        by_value: dict[int, str] = {}
        next_value = 0
        for i, v in enumerate(item["values"]):
            vpath = (*path, "values", i)
            value = v.get("value", next_value)
            self.claim(v["name"], "enum value", self.spec.at((*vpath, "name")))
            if value in by_value:
                self.error(
                    self.spec.at((*vpath, "value") if "value" in v else (*vpath, "name")),
                    f"enum value {value} of '{v['name']}' is already used by '{by_value[value]}'",
                )
            by_value.setdefault(value, v["name"])
            values.append(EnumValue(v["name"], value, self.doc(v["doc"], *vpath, "doc"), _since(v)))
            next_value = value + 1
        self.enums[item["name"]] = Enum(
            item["name"], self.doc(item["doc"], *path, "doc"), tuple(values), where
        )

    def flag_set(self, item: dict[str, Any], path: PathKey) -> None:
        where = self.spec.at((*path, "name"))
        self.claim(item["name"], "flags", where, "lower")
        if item["name"] in self.enums:
            return  # claim() reported it
        bits: list[Flag] = []
        by_bit: dict[int, str] = {}
        for i, b in enumerate(item["bits"]):
            bpath = (*path, "bits", i)
            self.claim(b["name"], "flag", self.spec.at((*bpath, "name")))
            if b["bit"] in by_bit:
                self.error(
                    self.spec.at((*bpath, "bit")),
                    f"flag bit {b['bit']} of '{b['name']}' is already used by '{by_bit[b['bit']]}'",
                )
            by_bit.setdefault(b["bit"], b["name"])
            doc = self.doc(b["doc"], *bpath, "doc")
            bits.append(Flag(b["name"], 1 << b["bit"], doc, _since(b), bit=b["bit"]))
        self.flag_sets[item["name"]] = FlagSet(
            item["name"], self.doc(item["doc"], *path, "doc"), tuple(bits), where
        )

    def nested_structs(self) -> tuple[Struct, ...]:
        """Build the non-command structs in dependency order, rejecting cycles."""
        items = {s["name"]: (i, s) for i, s in enumerate(self.data.get("structs", []))}
        for name, (i, _) in items.items():
            self.claim(name, "struct", self.spec.at(("structs", i, "name")), "lower")
            self.struct_owner[name] = ("a nested struct", self.spec.at(("structs", i, "name")))
        order: list[Struct] = []
        state: dict[str, str] = {}

        def visit(name: str, chain: tuple[str, ...]) -> None:
            if state.get(name) == "done":
                return
            i, item = items[name]
            if state.get(name) == "busy":
                cycle = " -> ".join((*chain[chain.index(name) :], name))
                self.error(
                    self.spec.at(("structs", i, "name")), f"structs contain themselves: {cycle}"
                )
                return
            state[name] = "busy"
            for member in item["members"]:
                target = member.get("struct")
                if member.get("type") == "struct" and target in items:
                    visit(target, (*chain, name))
            if name not in self.structs:
                struct = self.struct(item, ("structs", i), implicit_size=False)
                self.structs[name] = struct
                order.append(struct)
            state[name] = "done"

        for name in items:
            visit(name, ())
        return tuple(order)

    # --- structs and members -------------------------------------------------------------------

    def struct(self, item: dict[str, Any], path: PathKey, implicit_size: bool) -> Struct:
        name = item["name"]
        where = self.spec.at((*path, "name") if "name" in item else path)
        members: list[Member] = []
        if implicit_size:
            size_doc = Doc(f"sizeof(struct {name})")
            members.append(Member("size", INTEGERS["u32"], size_doc, "in", implicit=True))
        seen: dict[str, Location] = {}
        optional_from: Member | None = None
        for i, raw in enumerate(item.get("members", [])):
            mpath = (*path, "members", i)
            member = self.member(raw, mpath, name, implicit_size)
            if member is None:
                continue
            if member.name in seen:
                self.error(
                    member.where or where,
                    f"member '{member.name}' appears twice in struct {name} "
                    f"(first at line {seen[member.name].line})",
                )
            seen[member.name] = member.where or where
            if member.optional:
                optional_from = optional_from or member
            elif optional_from is not None:
                self.error(
                    member.where or where,
                    f"member '{member.name}' is mandatory but follows optional member "
                    f"'{optional_from.name}': the minimum size covers a prefix of the struct, so "
                    f"mark it optional or move it before '{optional_from.name}'",
                )
            members.append(member)
        members = self.pair_buffers(item, path, members, implicit_size)
        struct = Struct(name, self.doc(item["doc"], *path, "doc"), tuple(members), where)
        self.check_layout(struct)
        return struct

    def pair_buffers(
        self, item: dict[str, Any], path: PathKey, members: list[Member], in_command: bool
    ) -> list[Member]:
        """Turn each user pointer with a `buffer` into a UserBuffer tied to its length member."""
        by_name = {m.name: m for m in members}
        measured: dict[str, str] = {}
        for i, raw in enumerate(item.get("members", [])):
            buffer = raw.get("buffer")
            pointer = by_name.get(raw["name"])
            if buffer is None or pointer is None:
                continue
            bpath = (*path, "members", i, "buffer")
            name = raw["name"]
            if not in_command:
                self.error(
                    self.spec.at(bpath),
                    f"member '{name}' has a buffer, but only a command's own struct can pair a "
                    "pointer with its length (the safe bindings take them as one argument)",
                )
                continue
            if not isinstance(pointer.kind, UserPointer) or isinstance(pointer.kind, Array):
                self.error(
                    self.spec.at(bpath),
                    f"member '{name}' has a buffer, so its type must be 'ptr', not '{raw['type']}'",
                )
                continue
            if pointer.direction != "in":
                self.error(
                    self.spec.at((*path, "members", i, "dir")),
                    f"member '{name}' is a buffer's address, which userspace passes: drop "
                    f"'dir: {pointer.direction}' (the buffer's own 'dir' says which way its "
                    "bytes go)",
                )
                continue
            length_name = buffer["length"]
            lpath = (*bpath, "length")
            length = by_name.get(length_name)
            if length is None:
                hint = _suggest(length_name, [m.name for m in members if not m.implicit])
                self.error(
                    self.spec.at(lpath),
                    f"buffer '{name}' is measured by unknown member '{length_name}'{hint}",
                )
                continue
            kind = length.kind
            problem = None
            if length.implicit or length.reserved:
                problem = "is the size header" if length.implicit else "is reserved"
            elif not isinstance(kind, Integer) or kind.signed:
                problem = f"holds {kind.summary}, not an unsigned integer"
            elif length.direction not in ("in", "inout"):
                problem = "is an output: userspace must pass the buffer's length (dir in or inout)"
            if problem:
                self.error(
                    self.spec.at(lpath),
                    f"buffer '{name}' is measured by '{length_name}', which {problem}",
                )
                continue
            if length_name in measured:
                self.error(
                    self.spec.at(lpath),
                    f"member '{length_name}' already measures buffer '{measured[length_name]}'; "
                    "each buffer needs a length member of its own",
                )
                continue
            measured[length_name] = name
            assert isinstance(kind, Integer)
            paired = UserBuffer(buffer["dir"], length_name, kind)
            by_name[name] = Member(
                pointer.name,
                paired,
                pointer.doc,
                pointer.direction,
                optional=pointer.optional,
                since=pointer.since,
                where=pointer.where,
            )
        return [by_name[m.name] for m in members]

    def member(
        self, raw: dict[str, Any], path: PathKey, struct_name: str, in_command: bool
    ) -> Member | None:
        name = raw["name"]
        where = self.spec.at((*path, "name"))
        if in_command and name == "size":
            self.error(
                where,
                "the '__u32 size' header is implicit: luogen adds it as the first member of every "
                "command struct; remove this member",
            )
            return None
        self.check_identifier(name, "member", where, "lower")
        kind = self.kind(raw, path)
        if kind is None:
            return None
        reserved = bool(raw.get("reserved", False))
        direction = raw.get("dir", "in" if in_command else None)
        if reserved:
            scalar = kind.element if isinstance(kind, Array) else kind
            if not isinstance(scalar, Integer) or scalar.signed:
                self.error(
                    self.spec.at((*path, "reserved")),
                    f"reserved member '{name}' must be an unsigned integer or an array of them",
                )
            if direction not in ("in", None):
                self.error(
                    self.spec.at((*path, "dir")),
                    f"reserved member '{name}' is written by userspace only: "
                    f"drop 'dir: {direction}'",
                )
        opens = raw.get("opens")
        if opens is not None:
            ranges = [r["name"] for r in self.data["ranges"]]
            if not isinstance(kind, Fd) or direction not in ("out", "inout"):
                self.error(
                    self.spec.at((*path, "opens")),
                    f"member '{name}' has 'opens', so it must be an fd the kernel returns "
                    "('type: fd', 'dir: out')",
                )
            elif opens not in ranges:
                self.error(
                    self.spec.at((*path, "opens")),
                    f"member '{name}' opens unknown range '{opens}'{_suggest(opens, ranges)}",
                )
        since = _since(raw)
        optional = bool(raw.get("optional", since is not None))
        if since is not None and not optional:
            self.error(
                self.spec.at((*path, "optional")),
                f"member '{name}' was appended in {since}, so it cannot be mandatory "
                "(old userspace does not pass it): drop 'optional: false'",
            )
        return Member(
            name,
            kind,
            self.doc(raw["doc"], *path, "doc"),
            direction,
            reserved=reserved,
            optional=optional,
            since=since,
            opens=opens,
            where=where,
        )

    def kind(self, raw: dict[str, Any], path: PathKey) -> Kind | None:
        type_name = raw["type"]
        name = raw["name"]
        base: Kind
        for key in ("enum", "flags"):
            if key in raw and type_name not in INTEGERS:
                self.error(
                    self.spec.at((*path, key)),
                    f"member '{name}' holds {key} '{raw[key]}', so its type must be an integer "
                    f"such as u32, not '{type_name}'",
                )
                return None
        if "struct" in raw and type_name != "struct":
            self.error(
                self.spec.at((*path, "struct")),
                f"member '{name}' names struct '{raw['struct']}': set 'type: struct'",
            )
            return None
        if type_name == "struct":
            target = raw.get("struct")
            if target is None:
                self.error(self.spec.at((*path, "type")), f"member '{name}' needs 'struct: <name>'")
                return None
            if target not in self.structs:
                if target in self.struct_owner:  # a struct of a cycle, reported as such
                    return None
                hint = _suggest(target, self.structs)
                self.error(self.spec.at((*path, "struct")), f"unknown struct '{target}'{hint}")
                return None
            base = Nested(self.structs[target])
        elif type_name == "fd":
            base = Fd()
        elif type_name == "ptr":
            base = UserPointer()
        else:
            base = INTEGERS[type_name]
            if "enum" in raw and "flags" in raw:
                self.error(
                    self.spec.at((*path, "flags")), f"member '{name}' cannot be both enum and flags"
                )
                return None
            if "enum" in raw:
                base = self.enum_storage(raw["enum"], base, (*path, "enum"), name)
            elif "flags" in raw:
                base = self.flag_storage(raw["flags"], base, (*path, "flags"), name)
        if "array" not in raw:
            return base
        length = raw["array"]
        length_name = None
        if isinstance(length, str):
            constant = self.constants.get(length)
            if constant is None:
                hint = _suggest(length, self.constants)
                self.error(self.spec.at((*path, "array")), f"unknown constant '{length}'{hint}")
                return None
            length_name, length = length, constant.value
            if length < 1:
                self.error(
                    self.spec.at((*path, "array")),
                    f"array length {length_name} is {length}: "
                    "arrays must have at least one element",
                )
                return None
        return Array(base, length, length_name)

    def enum_storage(self, enum_name: str, storage: Integer, path: PathKey, member: str) -> Kind:
        enum = self.enums.get(enum_name)
        if enum is None:
            self.error(
                self.spec.at(path), f"unknown enum '{enum_name}'{_suggest(enum_name, self.enums)}"
            )
            return storage
        if enum.low < storage.min_value or enum.high > storage.max_value:
            self.error(
                self.spec.at(path),
                f"enum '{enum_name}' has values {enum.low}..{enum.high}, which do not fit "
                f"member '{member}' of type {storage.name}",
            )
        self.same_storage(enum_name, "enum", storage, path, member)
        return EnumStorage(storage, enum)

    def flag_storage(self, flags_name: str, storage: Integer, path: PathKey, member: str) -> Kind:
        flag_set = self.flag_sets.get(flags_name)
        if flag_set is None:
            hint = _suggest(flags_name, self.flag_sets) or (
                "" if self.flag_sets else " (the spec declares no flags: add them under 'flags')"
            )
            self.error(self.spec.at(path), f"unknown flags '{flags_name}'{hint}")
            return storage
        if storage.signed:
            self.error(
                self.spec.at(path), f"flags member '{member}' must be unsigned, not {storage.name}"
            )
        elif flag_set.high >= storage.bits:
            self.error(
                self.spec.at(path),
                f"flags '{flags_name}' use bit {flag_set.high}, which does not fit member "
                f"'{member}' of type {storage.name}",
            )
        self.same_storage(flags_name, "flags", storage, path, member)
        return FlagStorage(storage, flag_set)

    def same_storage(
        self, name: str, what: str, storage: Integer, path: PathKey, member: str
    ) -> None:
        """Every member holding one enum or flag set has one width: the bindings give the enum a
        type of that width, used for all of them."""
        where = self.spec.at(path)
        first = self.stored_as.setdefault(name, (storage, member, where))
        if first[0] != storage:
            self.error(
                where,
                f"{what} '{name}' is stored as {first[0].name} in member '{first[1]}' (line "
                f"{first[2].line}) but as {storage.name} in member '{member}': every member "
                f"holding it must have one type",
            )

    def check_layout(self, struct: Struct) -> None:
        """No implicit padding on any architecture: every hole must be an explicit member."""
        found: dict[Hole, list[str]] = {}
        for arch in ARCHES:
            for hole in struct.layout(arch).holes:
                found.setdefault(hole, []).append(arch.name)
        for hole, arches in found.items():
            on = _on_architectures(arches)
            add = _reserved_member_hint(hole.length)
            if hole.before is None:
                last = struct.members[-1]
                where = last.where or struct.where
                message = (
                    f"struct {struct.name} has {hole.length} bytes of tail padding after "
                    f"'{last.name}' at offset {hole.offset} {on}; append an explicit "
                    f"'{add}' member (must be zero)"
                )
            else:
                where = hole.before.where or struct.where
                natural = (
                    " (64-bit members must be naturally aligned)"
                    if hole.before.kind.size(ARCHES[0]) == 8 and hole.before.kind.scalar is not None
                    else ""
                )
                message = (
                    f"struct {struct.name} has a {hole.length}-byte hole at offset {hole.offset} "
                    f"before '{hole.before.name}' {on}{natural}; add an explicit '{add}' "
                    f"member (must be zero) before it"
                )
            self.error(where, message)

    # --- commands ------------------------------------------------------------------------------

    def command_range(self, item: dict[str, Any], index: int, type_name: str) -> CommandRange:
        path: PathKey = ("ranges", index)
        d = self.data
        infix = "" if index == 0 else item["name"].upper() + "_"
        cmd_prefix = item.get("cmd-prefix", f"{self.upper}_CMD_{infix}")
        ioctl_prefix = item.get("ioctl-prefix", f"{self.upper}_{infix}")
        struct_prefix = item.get("struct-prefix", f"{d['name']}_{infix.lower()}")
        base_name = item.get("base-name", f"{cmd_prefix}BASE")
        kernel_prefix = f"{d['name']}_{item['name']}"
        self.claim(
            base_name,
            "command base",
            self.spec.at((*path, "base-name") if "base-name" in item else (*path, "name")),
        )
        if item["base"] + len(item["commands"]) - 1 > 255:
            self.error(
                self.spec.at((*path, "base")),
                f"range '{item['name']}' holds {len(item['commands'])} commands from "
                f"0x{item['base']:02x}, past the last ioctl number 0xff: lower its base to "
                f"0x{256 - len(item['commands']):02x} at most",
            )
        commands = []
        for i, raw in enumerate(item["commands"]):
            cpath = (*path, "commands", i)
            nr = item["base"] + i
            where = self.spec.at((*cpath, "name"))
            if "nr" in raw and raw["nr"] != nr:
                self.error(
                    self.spec.at((*cpath, "nr")),
                    f"command '{raw['name']}' is number 0x{nr:02x} (0x{item['base']:02x} + {i}) "
                    f"but its 'nr' says 0x{raw['nr']:02x}: commands are numbered in order from the "
                    "range base with no gaps; keep a removed command as 'retired' to hold its "
                    "number",
                )
            upper = raw["name"].upper()
            cmd_name = raw.get("cmd", f"{cmd_prefix}{upper}")
            self.claim(
                cmd_name,
                "command enumerator",
                self.spec.at((*cpath, "cmd") if "cmd" in raw else (*cpath, "name")),
            )
            if "retired" in raw:
                commands.append(
                    Command(
                        raw["name"],
                        nr,
                        cmd_name,
                        None,
                        None,
                        None,
                        d["ioctl-type"],
                        type_name,
                        retired=self.text(raw["retired"], *cpath, "retired"),
                        since=_since(raw),
                        where=where,
                    )
                )
                continue
            struct_name = raw.get("struct", f"{struct_prefix}{raw['name']}")
            handler = raw.get("handler", f"{kernel_prefix}_cmd_{raw['name']}")
            ioctl_name = raw.get("ioctl", f"{ioctl_prefix}{upper}")
            struct_where = self.spec.at((*cpath, "struct") if "struct" in raw else (*cpath, "name"))
            if struct_name in self.struct_owner:
                owner, first = self.struct_owner[struct_name]
                self.error(
                    struct_where,
                    f"struct '{struct_name}' is already {owner} (line {first.line}): every ioctl "
                    "needs a struct of its own",
                )
            else:
                self.struct_owner[struct_name] = (
                    f"the struct of command '{raw['name']}'",
                    struct_where,
                )
                self.claim(struct_name, "struct", struct_where, "lower")
            self.claim(
                ioctl_name,
                "ioctl macro",
                self.spec.at((*cpath, "ioctl") if "ioctl" in raw else (*cpath, "name")),
            )
            if not struct_name.startswith(d["name"]):
                self.warn(
                    struct_where,
                    f"struct '{struct_name}' does not start with the spec name '{d['name']}'",
                )
            struct = self.struct({**raw, "name": struct_name}, cpath, implicit_size=True)
            commands.append(
                Command(
                    raw["name"],
                    nr,
                    cmd_name,
                    self.doc(raw["doc"], *cpath, "doc"),
                    ioctl_name,
                    struct,
                    d["ioctl-type"],
                    type_name,
                    errnos=self.errnos(raw.get("errnos", []), (*cpath, "errnos")),
                    handler=handler,
                    since=_since(raw),
                    where=where,
                )
            )
        return CommandRange(
            item["name"],
            self.doc(item["doc"], *path, "doc"),
            self.text(item.get("object", item["name"]), *path, "object"),
            item["base"],
            base_name,
            tuple(commands),
            self.spec.at((*path, "name")),
            kernel_prefix,
        )

    def check_overlaps(self, ranges: tuple[CommandRange, ...]) -> None:
        for i, later in enumerate(ranges):
            for earlier in ranges[:i]:
                if later.base <= earlier.last and earlier.base <= later.last:
                    self.error(
                        self.spec.at(("ranges", i, "base")),
                        f"range '{later.name}' (0x{later.base:02x}..0x{later.last:02x}) overlaps "
                        f"range '{earlier.name}' (0x{earlier.base:02x}..0x{earlier.last:02x}): "
                        "move its base past the other range's last number",
                    )


def _on_architectures(names: list[str]) -> str:
    if len(names) == len(ARCHES):
        return "on every architecture"
    if len(names) > len(ARCHES) // 2:
        others = [a.name for a in ARCHES if a.name not in names]
        return "on every architecture but " + " and ".join(
            [", ".join(others[:-1]), others[-1]] if len(others) > 1 else others
        )
    return "on " + ", ".join(names)


def _since(item: dict[str, Any]) -> str | None:
    since = item.get("since")
    return None if since is None else str(since)


def build(spec: Spec) -> Model:
    """The resolved model of a schema-checked spec; SpecError lists every rule it breaks."""
    return _Builder(spec).build()
