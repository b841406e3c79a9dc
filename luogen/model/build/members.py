"""The builder's struct pass: structs and their members, each member's kind resolved to the
constants, enums, flag sets and structs it names."""

from __future__ import annotations

from typing import Any

from ...errors import Location, suggest
from ...spec import PathKey
from ..direction import Direction
from ..direction_by import SPELLINGS, derived
from ..kinds import (
    BYTE_ORDERED,
    INTEGERS,
    Array,
    Fd,
    Inline,
    Integer,
    Kind,
    Nested,
    UserPointer,
)
from ..nodes import Doc, Member, Struct
from ..values import UnionName
from .bitmaps import pair_bitmaps
from .buffers import pair_buffers
from .conditions import resolve_when
from .context import Context, since
from .counted import CountedArrays
from .ctypes import RECORD_TYPES, CTypes
from .declarations import Declarations
from .safety import resolve_safety
from .selected import DriverDatas
from .selectors import resolve_direction_by
from .storage import StorageKinds


def _referenced_records(members: list[dict[str, Any]]) -> list[str]:
    """The records `members` name, including those inside their inline records."""
    found = []
    for member in members:
        if member.get("type") in RECORD_TYPES and "struct" in member:
            found.append(member["struct"])
        found += _referenced_records(member.get("members", []))
    return found


class Members(StorageKinds):
    def __init__(self, context: Context, declarations: Declarations) -> None:
        self.context = context
        self.declarations = declarations
        self.ctypes = CTypes(context, declarations)
        self.nested: dict[str, Struct] = {}  # the non-command structs built so far
        self.struct_owner: dict[str, tuple[str, Location]] = {}
        # enum or flag set name -> (storage, member, where) of the first member holding it
        self.stored_as: dict[str, tuple[Integer, str, Location]] = {}
        self.pending_opens: list[tuple[Member, str]] = []  # resolved once ranges exist
        self.incomplete: set[str] = set()  # structs built without a member that has errors

    def nested_structs(self) -> tuple[Struct, ...]:
        """Build the non-command structs in dependency order, rejecting cycles."""
        context = self.context
        items = {s["name"]: (i, s) for i, s in context.items("structs")}
        for name, (i, _) in items.items():
            context.claim(name, "struct", context.at("structs", i, "name"), "lower")
            context.check_struct_prefix(name, context.at("structs", i, "name"))
            self.struct_owner[name] = ("a nested struct", context.at("structs", i, "name"))
        order: list[Struct] = []
        state: dict[str, str] = {}

        def visit(name: str, chain: tuple[str, ...]) -> None:
            if state.get(name) == "done":
                return
            i, item = items[name]
            if state.get(name) == "busy":
                cycle = " -> ".join((*chain[chain.index(name) :], name))
                context.error(
                    context.at("structs", i, "name"), f"structs contain themselves: {cycle}"
                )
                return
            state[name] = "busy"
            for target in _referenced_records(item["members"]):
                if target in items:
                    visit(target, (*chain, name))
            if name not in self.nested:
                self.nested[name] = self.struct(item, ("structs", i), in_command=False)
                order.append(self.nested[name])
            state[name] = "done"

        for name in items:
            visit(name, ())
        return tuple(order)

    def struct(
        self,
        item: dict[str, Any],
        path: PathKey,
        in_command: bool,
        inline: bool = False,
        size_member: str = "size",
    ) -> Struct:
        """A struct or union; a command's gets the implicit `__u32` size header first, named
        `size_member`."""
        context = self.context
        name = item["name"]
        where = context.spec.at((*path, "name") if "name" in item else path)
        members: list[Member] = []
        size = size_member if in_command else None
        if size is not None:
            size_doc = Doc(f"sizeof(struct {name})")
            members.append(Member(size, INTEGERS["u32"], size_doc, Direction.IN, implicit=True))
        for i, raw in enumerate(item.get("members", [])):
            member = self.member(raw, (*path, "members", i), size, name)
            if member is not None:
                members.append(member)
            else:
                self.incomplete.add(name)  # its layout is not the spec's: no padding rules
        self.check_order(name, members, where)
        members = resolve_when(context, item, path, members, in_command)
        enums = self.declarations.enums
        members = resolve_direction_by(context, enums, item, path, members, in_command)
        members = pair_buffers(context, item, path, members, in_command)
        members = pair_bitmaps(context, item, path, members, in_command)
        members = CountedArrays(self, item, path).pair(members, in_command)
        members = DriverDatas(self, item, path).pair(members, in_command)
        members = resolve_safety(context, item, path, members, in_command)
        doc = context.doc(item.get("doc", ""), *path, "doc")
        union, packed = bool(item.get("union")), bool(item.get("packed"))
        external = item.get("external")
        aligned = item.get("aligned")
        return Struct(name, doc, tuple(members), where, union, packed, inline, external, aligned)

    def check_order(self, struct: str, members: list[Member], where: Location) -> None:
        """Members are unique, and mandatory ones come before optional ones."""
        seen: dict[str, Location] = {}
        optional_from: Member | None = None
        for member in members:
            at = member.where or where
            named = [(member.name, at), *((u.name, u.where or at) for u in member.union_names)]
            for name, name_at in named:
                if name and name in seen:
                    self.context.error(
                        name_at,
                        f"member '{name}' appears twice in struct {struct} "
                        f"(first at line {seen[name].line})",
                    )
                seen[name] = name_at
            if member.optional:
                optional_from = optional_from or member
            elif optional_from is not None:
                self.context.error(
                    at,
                    f"member '{member.name}' is mandatory but follows optional member "
                    f"'{optional_from.name}': the minimum size covers a prefix of the struct, so "
                    f"mark it optional or move it before '{optional_from.name}'",
                )

    def union_names(self, raw: dict[str, Any], path: PathKey) -> tuple[UnionName, ...]:
        """The member's other names (`union-names`), each a C identifier with its doc."""
        context, found = self.context, []
        if raw.get("union-names") and not raw.get("name"):
            context.error(
                context.spec.at((*path, "union-names")),
                "an anonymous member has no name to share: give it a 'name' or drop 'union-names'",
            )
            return ()
        for i, other in enumerate(raw.get("union-names", [])):
            where = context.spec.at((*path, "union-names", i, "name"))
            context.check_identifier(other["name"], "member", where, "lower", cxx=False)
            doc = context.doc(other["doc"], *path, "union-names", i, "doc")
            found.append(UnionName(other["name"], doc, where))
        return tuple(found)

    def member(
        self, raw: dict[str, Any], path: PathKey, size: str | None, outer: str
    ) -> Member | None:
        """The member at `path` of struct `outer`; `size` is the implicit size header of a
        command's struct (None in any other)."""
        context = self.context
        in_command = size is not None
        name = raw.get("name", "")
        where = context.spec.at((*path, "name") if name else path)
        if name == size:
            context.error(
                where,
                f"the '__u32 {size}' header is implicit: luogen adds it as the first member of "
                "every command struct; remove this member",
            )
            return None
        if name:
            context.check_identifier(name, "member", where, "lower", cxx=False)
        elif not (raw["type"] in RECORD_TYPES and "members" in raw):
            context.error(
                where, "only an inline struct or union may be anonymous: give it a 'name'"
            )
            return None
        kind = self.kind(raw, path, outer)
        if kind is None:
            return None
        direction = self.direction(raw, path, in_command)
        reserved = bool(raw.get("reserved", False))
        if reserved:  # with `dir-by`, the direction is not the spec's: its own error says it
            self.check_reserved(name, kind, None if "dir-by" in raw else direction, path)
        member_since = since(raw)
        optional = bool(raw.get("optional", member_since is not None))
        if member_since is not None and not optional:
            context.error(
                context.spec.at((*path, "optional")),
                f"member '{name}' was appended in {member_since}, so it cannot be mandatory "
                "(old userspace does not pass it): drop 'optional: false'",
            )
        member = Member(
            name,
            kind,
            context.doc(raw["doc"], *path, "doc"),
            direction,
            reserved=reserved,
            optional=optional,
            since=member_since,
            doc_prefix=raw.get("doc-prefix", True),
            doc_notes=raw.get("doc-notes", True),
            union_names=self.union_names(raw, path),
            where=where,
        )
        if "opens" in raw and self.check_opens(member, raw["opens"], path):
            self.pending_opens.append((member, raw["opens"]))
        return member

    def direction(self, raw: dict[str, Any], path: PathKey, in_command: bool) -> Direction | None:
        """A command member's direction; a nested struct's members have none of their own."""
        if in_command and "dir-by" in raw:
            if "dir" in raw:
                self.context.error(
                    self.context.spec.at((*path, "dir")),
                    f"member '{raw['name']}' has 'dir-by', which gives its direction under each "
                    f"value: drop 'dir: {raw['dir']}'",
                )
            return derived([SPELLINGS.get(d) for d in raw["dir-by"].values()])
        if in_command:
            return Direction(raw.get("dir", "in"))
        if "dir" in raw:
            self.context.error(
                self.context.spec.at((*path, "dir")),
                f"member '{raw['name']}' is in a nested struct, whose members go the way of the "
                f"member that embeds the struct: drop 'dir: {raw['dir']}'",
            )
        return None

    def check_reserved(
        self, name: str, kind: Kind, direction: Direction | None, path: PathKey
    ) -> None:
        scalar = kind.element if isinstance(kind, Array) else kind
        if not isinstance(scalar, Integer) or scalar.signed:
            self.context.error(
                self.context.spec.at((*path, "reserved")),
                f"reserved member '{name}' must be an unsigned integer or an array of them",
            )
        if direction not in (Direction.IN, None):
            self.context.error(
                self.context.spec.at((*path, "dir")),
                f"reserved member '{name}' is written by userspace only: drop 'dir: {direction}'",
            )

    def check_opens(self, member: Member, opens: str, path: PathKey) -> bool:
        """Whether `opens` may name the object of `member`'s fd: a known range, an fd output."""
        ranges = [r["name"] for _, r in self.context.items("ranges")]
        where = self.context.spec.at((*path, "opens"))
        if not isinstance(member.kind, Fd) or not (
            member.direction and member.direction.kernel_writes
        ):
            self.context.error(
                where,
                f"member '{member.name}' has 'opens', so it must be an fd the kernel returns "
                "('type: fd' or 'fd: true', 'dir: out')",
            )
            return False
        if opens not in ranges:
            self.context.unknown(
                "ranges",
                opens,
                where,
                f"member '{member.name}' opens unknown range '{opens}'{suggest(opens, ranges)}",
            )
            return False
        return True

    # --- kinds ---------------------------------------------------------------------------------

    def kind(self, raw: dict[str, Any], path: PathKey, outer: str) -> Kind | None:
        context = self.context
        type_name, name = raw["type"], raw.get("name", "")
        for key in ("enum", "flags"):
            if key in raw and type_name not in INTEGERS and (key, type_name) != ("enum", "enum"):
                context.error(
                    context.spec.at((*path, key)),
                    f"member '{name}' holds {key} '{raw[key]}', so its type must be an integer "
                    f"such as u32, not '{type_name}'",
                )
                return None
        if "struct" in raw and type_name not in RECORD_TYPES:
            context.error(
                context.spec.at((*path, "struct")),
                f"member '{name}' names struct '{raw['struct']}': set 'type: struct'",
            )
            return None
        base = self.base_kind(raw, path, outer)
        if base is None or "array" not in raw:
            return base
        return self.ctypes.array_of(base, raw["array"], (*path, "array"))

    def base_kind(self, raw: dict[str, Any], path: PathKey, outer: str) -> Kind | None:
        """The member's kind, before any `array`."""
        type_name, name = raw["type"], raw.get("name", "")
        if raw.get("fd"):
            return self.fd_storage(raw, (*path, "fd"))
        if type_name in RECORD_TYPES:
            if "members" in raw:
                return self.inline(raw, path, outer)
            kind = self.nested_kind(raw.get("struct"), name, path, type_name == "union")
            return self.ctypes.record_typedef(raw, kind, path)
        if type_name == "fd":
            return Fd()
        if type_name == "ptr":
            return UserPointer()
        if type_name == "pointer":
            return self.ctypes.pointer(raw, path)
        if type_name == "enum":
            return self.ctypes.enum_type(raw, path)
        if type_name in BYTE_ORDERED:
            return BYTE_ORDERED[type_name]
        if type_name not in INTEGERS:
            named = self.ctypes.named(type_name)
            if named is None:
                self.ctypes.unknown(type_name, path)
            return named
        integer = INTEGERS[type_name]
        if "enum" in raw and "flags" in raw:
            self.context.error(
                self.context.spec.at((*path, "flags")),
                f"member '{name}' cannot be both enum and flags",
            )
            return None
        if "enum" in raw:
            return self.enum_storage(raw["enum"], integer, (*path, "enum"), name)
        if "flags" in raw:
            return self.flag_storage(raw["flags"], integer, (*path, "flags"), name)
        return integer

    def inline(self, raw: dict[str, Any], path: PathKey, outer: str) -> Kind:
        """A struct or union defined where it is used; one without a name is anonymous."""
        name = raw.get("name", "")
        item = {
            **raw,
            "name": f"{outer}_{name or f'anon{path[-1]}'}",
            "union": raw["type"] == "union",
        }
        struct = self.struct(item, path, in_command=False, inline=True)
        return Inline(struct, anonymous=not name)

    def nested_kind(
        self, target: str | None, member: str, path: PathKey, union: bool = False
    ) -> Kind | None:
        context = self.context
        if target is None:
            context.error(
                context.spec.at((*path, "type")), f"member '{member}' needs 'struct: <name>'"
            )
            return None
        struct = self.nested.get(target)
        if struct is not None:
            if struct.union != union:
                context.error(
                    context.spec.at((*path, "type")),
                    f"'{target}' is a {struct.c_keyword}: set 'type: {struct.c_keyword}'",
                )
            return Nested(struct)
        declared = [s["name"] for _, s in context.items("structs")]
        if target not in declared:
            hint = suggest(target, declared)
            where = context.spec.at((*path, "struct"))
            context.unknown("structs", target, where, f"unknown struct '{target}'{hint}")
        return None  # else: a struct of a cycle, reported as such
