"""Compare two models and classify every difference as breaking or compatible.

Identity rules (what "the same thing" is across the two sides):

- a command is the same command when its ioctl macro keeps its name; failing that, the command
  at the same number is taken as a rename of it;
- a member is the same member when its name is kept; failing that, a new member at the same offset
  with the same C type is taken as a rename;
- constants, enums, enumerators and flags are matched by name, then by value (a rename).

A rename keeps the binary interface but breaks code that spells the old name: it is breaking, with
scope "api". Layout, numbers, minimum sizes and value checks are scope "abi"; prose is "doc".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from ..model.arch import ARCHES, HOST_REFERENCE
from ..model.kinds import Array, Kind, Nested, UserBuffer
from ..model.nodes import (
    Command,
    CommandRange,
    Constant,
    Doc,
    Enum,
    Errno,
    Flag,
    FlagSet,
    Member,
    Model,
    Struct,
)

Kind_ = Literal["breaking", "compatible"]
Scope = Literal["abi", "api", "doc"]
Value = str | int | None

T = TypeVar("T")

BREAKING: Kind_ = "breaking"
COMPATIBLE: Kind_ = "compatible"


@dataclass(frozen=True)
class Finding:
    """One classified difference between the two sides."""

    kind: Kind_
    code: str  # stable, kebab-case: what tools match on
    scope: Scope
    path: str  # the C name: `struct liveupdate_session_finish.reserved`, `FWCTL_RPC`, ...
    old: Value
    new: Value
    message: str  # one line, for people

    def as_dict(self) -> dict[str, Value]:
        return {
            "kind": self.kind,
            "code": self.code,
            "scope": self.scope,
            "path": self.path,
            "old": self.old,
            "new": self.new,
            "message": self.message,
        }


def _hex(value: int | None) -> str | None:
    return None if value is None else f"0x{value:02x}"


def _shape(kind: Kind) -> tuple[object, ...]:
    """What the C compiler sees of a member type (an fd is an __s32, a pointer an __aligned_u64)."""
    if isinstance(kind, Array):
        return ("array", _shape(kind.element), kind.length)
    if isinstance(kind, Nested):
        return ("struct", kind.struct.name)
    scalar = kind.scalar
    if scalar is not None:
        return ("int", scalar.bits, scalar.signed)
    return ("other", type(kind).__name__)  # pragma: no cover - every kind is covered above


def _c_type(kind: Kind) -> str:
    """The C type with a resolved array length: `__u8[64]`."""
    if isinstance(kind, Array):
        return f"{_c_type(kind.element)}[{kind.length}]"
    return kind.c_type


def _size(kind: Kind) -> int:
    return kind.size(HOST_REFERENCE)


class _Differ:
    def __init__(self, old: Model, new: Model) -> None:
        self.old = old
        self.new = new
        self.findings: list[Finding] = []
        self.enum_renames: dict[str, str] = {}  # old enum/flag-set name -> new name
        self.struct_renames: dict[str, str] = {}

    # --- recording -----------------------------------------------------------------------------

    def add(
        self, kind: Kind_, code: str, scope: Scope, path: str, old: Value, new: Value, message: str
    ) -> None:
        self.findings.append(Finding(kind, code, scope, path, old, new, message))

    def breaking(self, code: str, path: str, old: Value, new: Value, message: str) -> None:
        self.add(BREAKING, code, "abi", path, old, new, message)

    def compatible(self, code: str, path: str, old: Value, new: Value, message: str) -> None:
        self.add(COMPATIBLE, code, "abi", path, old, new, message)

    def renamed(self, code: str, path: str, old: str, new: str, what: str) -> None:
        self.add(
            BREAKING,
            code,
            "api",
            path,
            old,
            new,
            f"API break: the {what} is renamed; the binary interface is unchanged but code "
            f"spelling '{old}' no longer compiles",
        )

    def doc(self, path: str, old: Doc | str | None, new: Doc | str | None, what: str) -> None:
        o = old.text.strip() if isinstance(old, Doc) else old
        n = new.text.strip() if isinstance(new, Doc) else new
        if o != n:
            self.add(
                COMPATIBLE,
                "doc-changed",
                "doc",
                path,
                None,
                None,
                f"the {what} changed (prose only: no effect on the ABI)",
            )

    # --- the whole interface -------------------------------------------------------------------

    def run(self) -> list[Finding]:
        old, new = self.old, self.new
        if old.header != new.header:
            self.add(
                BREAKING,
                "header-moved",
                "api",
                "header",
                old.header,
                new.header,
                f"API break: code including <{old.header}> no longer finds the header",
            )
        if old.ioctl_type != new.ioctl_type:
            self.breaking(
                "ioctl-type-changed",
                new.ioctl_type_name,
                _hex(old.ioctl_type),
                _hex(new.ioctl_type),
                "every ioctl number changes: binaries built against the old header reach no "
                "command at all (ENOTTY)",
            )
        if old.ioctl_type_name != new.ioctl_type_name:
            self.renamed(
                "macro-renamed",
                new.ioctl_type_name,
                old.ioctl_type_name,
                new.ioctl_type_name,
                "ioctl type macro",
            )
        self.doc("overview", old.overview, new.overview, "overview")
        self.doc("title", old.title, new.title, "title")
        self.errnos("errnos", old.errnos, new.errnos)
        self.constants()
        self.value_sets("enum", old.enums, new.enums)
        self.value_sets("flags", old.flag_sets, new.flag_sets)
        self.nested_structs()
        self.ranges()
        self.commands()
        return self.findings

    def errnos(self, path: str, old: Sequence[Errno], new: Sequence[Errno]) -> None:
        o = {e.name: e.doc.text.strip() for e in old}
        n = {e.name: e.doc.text.strip() for e in new}
        if o != n:
            added = sorted(set(n) - set(o))
            removed = sorted(set(o) - set(n))
            detail = ", ".join([*(f"+{e}" for e in added), *(f"-{e}" for e in removed)])
            self.add(
                COMPATIBLE,
                "errnos-changed",
                "doc",
                path,
                None,
                None,
                f"the documented errnos changed ({detail or 'their descriptions'}); the dispatch "
                "contract itself is the same",
            )

    # --- constants -----------------------------------------------------------------------------

    def constants(self) -> None:
        old = {c.name: c for c in self.old.constants}
        new = {c.name: c for c in self.new.constants}
        gone = [c for c in old.values() if c.name not in new]
        fresh = [c for c in new.values() if c.name not in old]
        for name, o in old.items():
            n = new.get(name)
            if n is None:
                continue
            if o.value != n.value:
                self.breaking(
                    "constant-value-changed",
                    name,
                    o.value,
                    n.value,
                    "binaries keep the old value compiled in while the kernel uses the new one",
                )
            self.doc(name, o.doc, n.doc, "constant's description")
        for o in gone:
            match = _take(fresh, _value_of, o.value)
            if match is not None:
                self.renamed("constant-renamed", match.name, o.name, match.name, "constant")
            else:
                self.add(
                    BREAKING,
                    "constant-removed",
                    "api",
                    o.name,
                    o.value,
                    None,
                    "API break: code using the constant no longer compiles",
                )
        for n in fresh:
            self.compatible(
                "constant-added", n.name, None, n.value, "a new constant; nothing existing moves"
            )

    # --- enums and flags -----------------------------------------------------------------------

    def value_sets(
        self,
        noun: Literal["enum", "flags"],
        old: Sequence[Enum | FlagSet],
        new: Sequence[Enum | FlagSet],
    ) -> None:
        old_by = {e.name: e for e in old}
        new_by = {e.name: e for e in new}
        fresh = [e for e in new if e.name not in old_by]
        for o in old:
            n = new_by.get(o.name)
            if n is None:
                signature = _values(o)
                n = _take(fresh, _values, signature)
                if n is None:
                    self.add(
                        BREAKING,
                        f"{'enum' if noun == 'enum' else 'flags'}-removed",
                        "api",
                        f"enum {o.name}",
                        o.name,
                        None,
                        f"API break: the {noun} and its enumerators are gone",
                    )
                    continue
                self.renamed(f"{noun}-renamed", f"enum {n.name}", o.name, n.name, f"{noun} type")
                self.enum_renames[o.name] = n.name
            self.values(noun, o, n)
        for n in fresh:
            if n.name in self.enum_renames.values():
                continue
            self.compatible(f"{noun}-added", f"enum {n.name}", None, n.name, f"a new {noun} type")

    def values(
        self, noun: Literal["enum", "flags"], old: Enum | FlagSet, new: Enum | FlagSet
    ) -> None:
        path = f"enum {new.name}"
        self.doc(path, old.doc, new.doc, f"{noun}'s description")
        o_by = {v.name: v for v in old.values}
        n_by = {v.name: v for v in new.values}
        o_at = {_number(v): v for v in old.values}
        unit = "value" if noun == "enum" else "bit"
        item = "enum-value" if noun == "enum" else "flag"
        code = "enum-value" if noun == "enum" else "flag-bit"
        fresh = [v for v in new.values if v.name not in o_by]
        for o in old.values:
            n = n_by.get(o.name)
            vpath = f"{path}.{o.name}"
            if n is not None:
                if _number(o) != _number(n):
                    self.breaking(
                        f"{code}-changed",
                        vpath,
                        _number(o),
                        _number(n),
                        f"binaries pass the old {unit}, which the kernel now reads differently",
                    )
                self.doc(vpath, o.doc, n.doc, f"{item.replace('-', ' ')}'s description")
                continue
            same = _take(fresh, _number, _number(o))
            if same is not None:
                self.renamed(
                    f"{item}-renamed",
                    f"{path}.{same.name}",
                    o.name,
                    same.name,
                    item.replace("-", " "),
                )
            else:
                self.breaking(
                    f"{item}-removed",
                    vpath,
                    _number(o),
                    None,
                    f"binaries may still pass {unit} {_number(o)}; code naming it no longer "
                    "compiles",
                )
        for n in fresh:
            was = o_at.get(_number(n))
            if was is not None:
                self.breaking(
                    f"{code}-reused",
                    f"{path}.{n.name}",
                    was.name,
                    n.name,
                    f"{unit} {_number(n)} meant {was.name}: old binaries passing it now ask for "
                    f"{n.name}",
                )
            else:
                self.compatible(
                    f"{item}-added",
                    f"{path}.{n.name}",
                    None,
                    _number(n),
                    f"a new {unit} nobody used before; old binaries never pass it",
                )

    # --- structs -------------------------------------------------------------------------------

    def nested_structs(self) -> None:
        old_by = {s.name: s for s in self.old.structs}
        new_by = {s.name: s for s in self.new.structs}
        fresh = [s for s in self.new.structs if s.name not in old_by]
        for o in self.old.structs:
            n = new_by.get(o.name)
            if n is None:
                n = _take(fresh, _layout_key, _layout_key(o))
                if n is None:
                    self.add(
                        BREAKING,
                        "struct-removed",
                        "api",
                        f"struct {o.name}",
                        o.name,
                        None,
                        "API break: code using the struct no longer compiles",
                    )
                    continue
                self.renamed("struct-renamed", f"struct {n.name}", o.name, n.name, "struct")
                self.struct_renames[o.name] = n.name
            self.struct(o, n, command=False)
        for n in fresh:
            if n.name not in self.struct_renames.values():
                self.compatible(
                    "struct-added", f"struct {n.name}", None, n.name, "a new nested struct"
                )

    def struct(self, old: Struct, new: Struct, command: bool) -> None:
        path = f"struct {new.name}"
        if old.name != new.name and old.name not in self.struct_renames:
            self.renamed("struct-renamed", path, old.name, new.name, "struct")
        self.doc(path, old.doc, new.doc, "struct's description")
        o_by = {m.name: m for m in old.members}
        n_by = {m.name: m for m in new.members}
        o_off = dict(old.fields)
        n_off = dict(new.fields)
        fresh = [m for m in new.members if m.name not in o_by]
        for o in old.members:
            n = n_by.get(o.name)
            mpath = f"{path}.{o.name}"
            if n is None:
                at = o_off[o]
                n = _take(fresh, lambda m: (n_off[m], _shape(m.kind)), (at, _shape(o.kind)))
                if n is None and o.reserved:  # the same bytes, given a meaning
                    n = _take(fresh, lambda m: (n_off[m], _size(m.kind)), (at, _size(o.kind)))
                if n is None:
                    self.breaking(
                        "member-removed",
                        mpath,
                        _c_type(o.kind),
                        None,
                        "the member is gone: what binaries put there is read as something else "
                        "or ignored, and code naming it no longer compiles",
                    )
                    continue
                if o.reserved and not n.reserved:
                    self.compatible(
                        "reserved-member-used",
                        f"{path}.{n.name}",
                        o.name,
                        n.name,
                        "a must-be-zero member gets a meaning: old binaries pass zero, which must "
                        "mean the old behaviour (code should never name reserved members)",
                    )
                else:
                    self.renamed("member-renamed", f"{path}.{n.name}", o.name, n.name, "member")
                self.member(path, o, n, o_off[o], n_off[n], old, new, renamed=True)
                continue
            self.member(path, o, n, o_off[o], n_off[n], old, new, renamed=False)
        for n in fresh:
            npath = f"{path}.{n.name}"
            at = n_off[n]
            if at < old.size:
                self.breaking(
                    "member-inserted",
                    npath,
                    None,
                    at,
                    f"inserted at offset {at}, inside the old struct ({old.size} bytes): "
                    "old binaries put something else there",
                )
            elif not command:
                self.breaking(
                    "member-appended-nested",
                    npath,
                    None,
                    at,
                    "a nested struct grows: every struct or array that embeds it moves",
                )
            elif n.optional:
                self.compatible(
                    "member-appended",
                    npath,
                    None,
                    at,
                    "an optional member appended past the old end: old binaries pass a shorter "
                    "struct, which the kernel zero-fills",
                )
            else:
                self.breaking(
                    "member-appended-mandatory",
                    npath,
                    None,
                    at,
                    "a mandatory member appended: old binaries pass a struct that lacks it and "
                    "now fail the minimum-size check (EINVAL)",
                )
        self.sizes(path, old, new, command)

    def member(
        self,
        path: str,
        o: Member,
        n: Member,
        o_at: int,
        n_at: int,
        old: Struct,
        new: Struct,
        renamed: bool,
    ) -> None:
        mpath = f"{path}.{n.name}"
        if _shape(o.kind) != _shape(n.kind):
            if (
                isinstance(o.kind, Nested)
                and isinstance(n.kind, Nested)
                and self.struct_renames.get(o.kind.struct.name) == n.kind.struct.name
            ):
                pass  # the nested struct's rename is reported on its own
            elif _size(o.kind) != _size(n.kind):
                self.breaking(
                    "member-size-changed",
                    mpath,
                    f"{_c_type(o.kind)} ({_size(o.kind)} bytes)",
                    f"{_c_type(n.kind)} ({_size(n.kind)} bytes)",
                    "binaries built against the old header read and write the wrong bytes",
                )
            else:
                self.breaking(
                    "member-type-changed",
                    mpath,
                    _c_type(o.kind),
                    _c_type(n.kind),
                    "same size, different C type: values are interpreted differently "
                    "(sign, element count or struct)",
                )
        else:
            om, nm = o.kind.meaning, n.kind.meaning
            om = self._renamed_meaning(om)
            if om != nm:
                reads = (n.direction or "in") in ("in", "inout")
                self.add(
                    BREAKING if reads else COMPATIBLE,
                    "member-meaning-changed",
                    "abi",
                    mpath,
                    o.kind.meaning,
                    nm,
                    (
                        "the kernel now checks and interprets the value differently: what old "
                        "binaries pass may be rejected or misread"
                        if reads
                        else "an output member's documented meaning changed; old binaries "
                        "still read the same C type"
                    ),
                )
        moved = self.offsets(old, new, o, n)
        if moved is not None:
            self.breaking(
                "member-offset-changed",
                mpath,
                moved[0],
                moved[1],
                f"the member moved{moved[2]}: binaries built against the old header read and "
                "write the wrong bytes",
            )
        # (a reserved member that takes a meaning may take any direction: see struct())
        if (
            o.direction != n.direction
            and o.direction is not None
            and n.direction is not None
            and not (renamed and o.reserved)
        ):
            self.breaking(
                "member-direction-changed",
                mpath,
                o.direction,
                n.direction,
                _direction_note(o.direction, n.direction),
            )
        if _buffer(o.kind) != _buffer(n.kind):
            self.add(
                BREAKING,
                "buffer-changed",
                "api",
                mpath,
                _buffer(o.kind),
                _buffer(n.kind),
                "the safe bindings take a different argument for this pointer (a byte buffer, "
                "or a raw address and a length): code that calls them must change",
            )
        if o.reserved and not n.reserved and not renamed:
            self.breaking(
                "reserved-check-dropped",
                mpath,
                "must be zero",
                "unchecked",
                "the kernel stops rejecting non-zero values: binaries may start passing "
                "garbage, and the member can never be given a meaning safely",
            )
        if n.reserved and not o.reserved:
            self.breaking(
                "member-now-reserved",
                mpath,
                "checked value" if o.direction != "out" else "output",
                "must be zero",
                "the kernel now rejects non-zero values (EOPNOTSUPP) that old binaries pass",
            )
        if o.implicit:
            return  # the size header's doc names the struct: a rename is reported once
        if o.doc.text.strip() != n.doc.text.strip() or o.since != n.since:
            self.doc(mpath, o.doc, n.doc if o.since == n.since else Doc(""), "member's description")

    def _renamed_meaning(self, meaning: str) -> str:
        for old_name, new_name in self.enum_renames.items():
            for noun in ("enum", "flags"):
                if meaning == f"{noun} {old_name}":
                    return f"{noun} {new_name}"
        return meaning

    def offsets(
        self, old: Struct, new: Struct, o: Member, n: Member
    ) -> tuple[int | str, int | str, str] | None:
        """(old, new, where) when the member's offset differs on some architecture."""
        oi = old.members.index(o)
        ni = new.members.index(n)
        differ = [
            arch for arch in ARCHES if old.layout(arch).offsets[oi] != new.layout(arch).offsets[ni]
        ]
        if not differ:
            return None
        ref = HOST_REFERENCE
        if ref in differ:
            where = "" if len(differ) == len(ARCHES) else f" on {', '.join(a.name for a in differ)}"
            return old.layout(ref).offsets[oi], new.layout(ref).offsets[ni], where
        arch = differ[0]
        return (
            f"{arch.name}:{old.layout(arch).offsets[oi]}",
            f"{arch.name}:{new.layout(arch).offsets[ni]}",
            f" on {', '.join(a.name for a in differ)}",
        )

    def sizes(self, path: str, old: Struct, new: Struct, command: bool) -> None:
        if old.size > new.size:
            self.breaking(
                "struct-shrunk",
                path,
                old.size,
                new.size,
                "binaries pass the old size: the kernel sees bytes past its struct (E2BIG unless "
                "zero) and copies back less than they expect",
            )
        elif old.size < new.size:
            if command:
                self.compatible(
                    "struct-grown",
                    path,
                    old.size,
                    new.size,
                    "the struct grows at its end; old binaries' shorter size is zero-filled",
                )
            else:
                self.breaking(
                    "struct-size-changed",
                    path,
                    old.size,
                    new.size,
                    "a nested struct's size changed: everything that embeds it moves",
                )
        else:
            for arch in ARCHES:
                if old.layout(arch).size != new.layout(arch).size:
                    self.breaking(
                        "struct-size-changed",
                        path,
                        f"{arch.name}:{old.layout(arch).size}",
                        f"{arch.name}:{new.layout(arch).size}",
                        f"the size changes on {arch.name}",
                    )
                    break
        if command and old.min_size != new.min_size:
            if new.min_size > old.min_size:
                self.breaking(
                    "min-size-grown",
                    path,
                    old.min_size,
                    new.min_size,
                    "old binaries pass a struct shorter than the new minimum size and get EINVAL",
                )
            else:
                self.compatible(
                    "min-size-shrunk",
                    path,
                    old.min_size,
                    new.min_size,
                    "the kernel accepts shorter structs than before; old binaries pass enough",
                )

    # --- ranges and commands -------------------------------------------------------------------

    def ranges(self) -> None:
        new_by = {r.name: r for r in self.new.ranges}
        new_base = {r.base: r for r in self.new.ranges}
        matched: set[str] = set()
        for o in self.old.ranges:
            n = new_by.get(o.name) or new_base.get(o.base)
            if n is None or n.name in matched:
                self.breaking(
                    "range-removed",
                    o.base_name,
                    _hex(o.base),
                    None,
                    "the command range is gone (its commands are reported one by one)",
                )
                continue
            matched.add(n.name)
            if o.base != n.base:
                self.breaking(
                    "range-base-changed",
                    n.base_name,
                    _hex(o.base),
                    _hex(n.base),
                    "every command of the range is renumbered",
                )
            if o.base_name != n.base_name:
                self.renamed(
                    "enumerator-renamed",
                    n.base_name,
                    o.base_name,
                    n.base_name,
                    "range base enumerator",
                )
            self.doc(n.base_name, o.doc, n.doc, "range's description")
        for n in self.new.ranges:
            if n.name not in matched:
                self.compatible(
                    "range-added",
                    n.base_name,
                    None,
                    _hex(n.base),
                    "a new command range at numbers nobody used before",
                )

    def commands(self) -> None:
        old_all = _all_commands(self.old.ranges)
        new_all = _all_commands(self.new.ranges)
        old_live = {c.ioctl_name: c for c in old_all if c.struct is not None}
        new_live = {c.ioctl_name: c for c in new_all if c.struct is not None}
        new_at = {c.nr: c for c in new_all}
        old_at = {c.nr: c for c in old_all}
        handled: set[int] = set()
        for o in old_all:
            if o.struct is None:
                self.retired(o, new_at.get(o.nr), handled)
                continue
            name = o.ioctl_name or o.cmd_name
            n = new_live.get(o.ioctl_name)
            if n is not None:
                if n.nr != o.nr:
                    self.breaking(
                        "command-renumbered",
                        name,
                        _hex(o.nr),
                        _hex(n.nr),
                        "binaries built against the old header send the old number: they reach "
                        "another command or none",
                    )
                handled.add(n.nr)
                self.command(o, n)
                continue
            n = new_at.get(o.nr)
            if n is not None and n.struct is None:
                handled.add(n.nr)
                self.breaking(
                    "command-retired",
                    name,
                    _hex(o.nr),
                    f"retired: {n.retired}",
                    "the ioctl is removed (its number stays reserved): binaries that call it now "
                    "get ENOTTY - a userspace regression unless no userspace ever used it",
                )
            elif n is not None and n.ioctl_name not in old_live:
                handled.add(n.nr)
                self.renamed(
                    "command-renamed",
                    n.ioctl_name or n.cmd_name,
                    name,
                    n.ioctl_name or "",
                    "ioctl macro",
                )
                self.command(o, n)
            else:
                self.breaking(
                    "command-removed",
                    name,
                    _hex(o.nr),
                    None,
                    "the ioctl is gone and its number not reserved: binaries that call it get "
                    "ENOTTY, and the number may be reused",
                )
        for n in new_all:
            if n.nr in handled:
                continue
            was = old_at.get(n.nr)
            name = n.ioctl_name or n.cmd_name
            if n.struct is None:
                if was is None:
                    self.compatible(
                        "number-reserved",
                        n.cmd_name,
                        None,
                        _hex(n.nr),
                        "a new number is reserved (retired) without ever being used",
                    )
                continue
            if was is not None and was.struct is not None:
                self.breaking(
                    "command-number-reused",
                    name,
                    was.ioctl_name,
                    n.ioctl_name,
                    f"number {_hex(n.nr)} belonged to {was.ioctl_name}: old binaries calling it "
                    "reach this command with the wrong struct",
                )
            elif was is None:
                self.compatible(
                    "command-added",
                    name,
                    None,
                    _hex(n.nr),
                    "a new command at a number nobody used before",
                )

    def retired(self, o: Command, n: Command | None, handled: set[int]) -> None:
        handled.add(o.nr)
        if n is None:
            self.breaking(
                "retired-number-released",
                o.cmd_name,
                _hex(o.nr),
                None,
                "a retired number is no longer reserved: it can be handed to a new command that "
                "binaries of the retired one would then reach",
            )
        elif n.struct is not None:
            self.breaking(
                "retired-number-reused",
                n.ioctl_name or n.cmd_name,
                f"retired: {o.retired}",
                n.ioctl_name,
                f"number {_hex(o.nr)} was retired: binaries of the old command now reach this one "
                "with the wrong struct",
            )
        else:
            if o.cmd_name != n.cmd_name:
                self.renamed(
                    "enumerator-renamed", n.cmd_name, o.cmd_name, n.cmd_name, "command enumerator"
                )
            self.doc(n.cmd_name, o.retired, n.retired, "retirement note")

    def command(self, o: Command, n: Command) -> None:
        name = n.ioctl_name or n.cmd_name
        if o.cmd_name != n.cmd_name:
            self.renamed(
                "enumerator-renamed", n.cmd_name, o.cmd_name, n.cmd_name, "command enumerator"
            )
        self.doc(name, o.doc, n.doc, "command's description")
        self.errnos(name, o.errnos, n.errnos)
        if o.struct is not None and n.struct is not None:
            self.struct(o.struct, n.struct, command=True)


def _all_commands(ranges: Iterable[CommandRange]) -> list[Command]:
    return [c for r in ranges for c in r.commands]


def _number(value: object) -> int:
    return value.bit if isinstance(value, Flag) else int(getattr(value, "value", 0))


def _values(e: Enum | FlagSet) -> frozenset[tuple[str, int]]:
    return frozenset((v.name, _number(v)) for v in e.values)


def _layout_key(s: Struct) -> tuple[object, ...]:
    return tuple((m.name, _shape(m.kind)) for m in s.members)


def _take(items: list[T], key: Callable[[T], object], want: object) -> T | None:
    """Remove and return the first item whose `key` is `want`."""
    for i, item in enumerate(items):
        if key(item) == want:
            return items.pop(i)
    return None


def _value_of(constant: Constant) -> int:
    return constant.value


def _buffer(kind: Kind) -> str | None:
    """How the bindings spell a user pointer: a byte buffer and its length member, or raw."""
    if isinstance(kind, UserBuffer):
        return f"{kind.direction} buffer measured by {kind.length}"
    return "raw user pointer" if kind.carries_pointer else None


def _direction_note(old: str, new: str) -> str:
    if "in" in old and new == "out":
        return "the kernel no longer reads what binaries pass in this member"
    if old == "out":
        return "the kernel now reads this member, which old binaries leave as an output slot"
    if old == "inout" and new == "in":
        return "the kernel no longer writes this member back: old binaries read a stale value"
    return "the kernel now writes this member, which old binaries treat as input only"


def compare(old: Model, new: Model) -> list[Finding]:
    """Every difference from `old` to `new`, breaking ones first (then in header order)."""
    findings = _Differ(old, new).run()
    order = {BREAKING: 0, COMPATIBLE: 1}
    return sorted(findings, key=lambda f: order[f.kind])
