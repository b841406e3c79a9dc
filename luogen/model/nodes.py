"""The model: frozen, fully resolved declarations. Layout, minimum sizes and ioctl numbers are
computed here and nowhere else; every output and check reads them from these objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from ..errors import Diagnostic, Location
from .arch import ARCHES, GENERIC, HOST_REFERENCE, Arch, IoctlEncoding
from .kinds import Array, Kind

Direction = Literal["in", "out", "inout"]
DIRECTION_WORDS = {"in": "Input", "out": "Output", "inout": "Input/Output"}


def camel(name: str) -> str:
    """`liveupdate_session_finish` -> `LiveupdateSessionFinish` (Rust and Python type names)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"_+", name) if part)


@dataclass(frozen=True)
class Doc:
    """Prose from the spec: paragraphs separated by blank lines, each paragraph one string."""

    text: str

    @cached_property
    def paragraphs(self) -> tuple[str, ...]:
        blocks = re.split(r"\n\s*\n", self.text.strip())
        return tuple(" ".join(block.split()) for block in blocks if block.strip())

    @property
    def first(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""

    @property
    def rest(self) -> tuple[str, ...]:
        return self.paragraphs[1:]


@dataclass(frozen=True)
class Errno:
    name: str
    doc: Doc


@dataclass(frozen=True)
class Constant:
    name: str
    value: int
    doc: Doc
    where: Location = field(compare=False)


@dataclass(frozen=True)
class EnumValue:
    name: str
    value: int
    doc: Doc
    since: str | None = None

    @property
    def c_value(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Enum:
    name: str
    doc: Doc
    values: tuple[EnumValue, ...]
    where: Location = field(compare=False)

    @property
    def rust_name(self) -> str:
        return camel(self.name)

    @property
    def low(self) -> int:
        return min(v.value for v in self.values)

    @property
    def high(self) -> int:
        return max(v.value for v in self.values)


@dataclass(frozen=True)
class Flag(EnumValue):
    bit: int = 0

    @property
    def c_value(self) -> str:
        return f"1 << {self.bit}"


@dataclass(frozen=True)
class FlagSet:
    name: str
    doc: Doc
    values: tuple[Flag, ...]
    where: Location = field(compare=False)

    @property
    def rust_name(self) -> str:
        return camel(self.name)

    @property
    def mask(self) -> int:
        mask = 0
        for flag in self.values:
            mask |= flag.value
        return mask

    @property
    def high(self) -> int:
        return max(flag.bit for flag in self.values)


@dataclass(frozen=True)
class Member:
    name: str
    kind: Kind
    doc: Doc
    direction: Direction | None = "in"  # None in nested structs: their container says
    reserved: bool = False  # must be zero
    optional: bool = False  # past the minimum size
    since: str | None = None
    implicit: bool = False  # the `__u32 size` header luogen adds
    where: Location | None = field(default=None, compare=False)

    @property
    def c_decl(self) -> str:
        return f"{self.kind.c_type} {self.name}{self.kind.c_suffix}"

    def c_unsupported(self, var: str) -> str | None:
        """A C condition on `var->member`, true when the kernel must answer EOPNOTSUPP: a
        reserved member that is not zero, or an input holding an unknown enum value or flag."""
        expr = f"{var}->{self.name}"
        if self.reserved:
            if isinstance(self.kind, Array):
                return f"memchr_inv({expr}, 0, sizeof({expr}))"
            return expr
        if self.direction in ("in", "inout"):
            return self.kind.c_unsupported(expr)
        return None

    @property
    def description(self) -> str:
        """The member's one-paragraph kdoc: who writes it, what it is, its rules."""
        if self.implicit:
            return self.doc.first
        parts = (
            [f"{DIRECTION_WORDS[self.direction]};"] if self.direction and not self.reserved else []
        )
        parts.append(" ".join(self.doc.paragraphs))
        if self.kind.kdoc_note:
            parts.append(self.kind.kdoc_note)
        if self.reserved:
            parts.append("Must be zero.")
        if self.since:
            parts.append(f"Optional: appended in {self.since}.")
        return " ".join(parts)


@dataclass(frozen=True)
class Hole:
    """Padding a compiler inserts: `length` bytes at `offset` before `before` (None: at the end)."""

    offset: int
    length: int
    before: Member | None


@dataclass(frozen=True)
class StructLayout:
    arch: Arch
    size: int
    align: int
    offsets: tuple[int, ...]
    holes: tuple[Hole, ...]


@dataclass(frozen=True)
class Struct:
    name: str
    doc: Doc
    members: tuple[Member, ...]
    where: Location = field(compare=False)

    @property
    def rust_name(self) -> str:
        return camel(self.name)

    def layout(self, arch: Arch) -> StructLayout:
        return self.layouts[arch.name]

    @cached_property
    def layouts(self) -> dict[str, StructLayout]:
        # Architectures that align every integer alike lay a struct out alike: compute once.
        by_rules: dict[tuple[int, int], StructLayout] = {}
        result = {}
        for arch in ARCHES:
            rules = (arch.int_align, arch.s64_align)
            if rules not in by_rules:
                by_rules[rules] = _lay_out(self.members, arch)
            result[arch.name] = replace(by_rules[rules], arch=arch)
        return result

    @property
    def reference(self) -> StructLayout:
        return self.layout(HOST_REFERENCE)

    @property
    def size(self) -> int:
        return self.reference.size

    @property
    def align(self) -> int:
        return self.reference.align

    @property
    def offsets(self) -> tuple[int, ...]:
        return self.reference.offsets

    @property
    def fields(self) -> tuple[tuple[Member, int], ...]:
        """(member, offset) pairs on the reference architecture."""
        return tuple(zip(self.members, self.offsets, strict=True))

    @property
    def min_size(self) -> int:
        """offsetofend() of the last mandatory member."""
        end = 0
        for member, offset in self.fields:
            if not member.optional:
                end = offset + member.kind.size(HOST_REFERENCE)
        return end

    @property
    def last_mandatory(self) -> Member | None:
        mandatory = [m for m in self.members if not m.optional]
        return mandatory[-1] if mandatory else None

    @property
    def reserved_members(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.reserved)


def _round_up(value: int, align: int) -> int:
    return (value + align - 1) // align * align


def _lay_out(members: tuple[Member, ...], arch: Arch) -> StructLayout:
    """The C layout of `members` on `arch`, with every hole the compiler would insert."""
    offsets: list[int] = []
    holes: list[Hole] = []
    cursor = 0
    align = 1
    for member in members:
        member_align = member.kind.align(arch)
        align = max(align, member_align)
        offset = _round_up(cursor, member_align)
        if offset > cursor:
            holes.append(Hole(cursor, offset - cursor, member))
        offsets.append(offset)
        cursor = offset + member.kind.size(arch)
    size = _round_up(cursor, align)
    if size > cursor:
        holes.append(Hole(cursor, size - cursor, None))
    return StructLayout(arch, size, align, tuple(offsets), tuple(holes))


@dataclass(frozen=True)
class Command:
    """One ioctl: a command number in its range, its struct and macro; or a retired number."""

    name: str
    nr: int
    cmd_name: str  # the enumerator
    doc: Doc | None
    ioctl_name: str | None
    struct: Struct | None  # None when retired
    ioctl_type: int
    ioctl_type_name: str
    errnos: tuple[Errno, ...] = ()
    handler: str | None = None  # the kernel function that carries it out
    retired: str | None = None
    since: str | None = None
    where: Location | None = field(default=None, compare=False)

    def number(self, encoding: IoctlEncoding = GENERIC) -> int:
        """The value of `_IO(type, nr)` under `encoding`."""
        return encoding.io(self.ioctl_type, self.nr)

    @property
    def numbers(self) -> dict[str, int]:
        return {arch.name: self.number(arch.encoding) for arch in ARCHES}

    @property
    def kernel_checks(self) -> tuple[str, ...]:
        """C conditions on `cmd`, each true when the dispatcher must answer EOPNOTSUPP."""
        if self.struct is None:
            return ()
        checks = (m.c_unsupported("cmd") for m in self.struct.members)
        return tuple(c for c in checks if c)

    @property
    def c_io(self) -> str:
        """The macro's value: the number carries no size and no direction."""
        return f"_IO({self.ioctl_type_name}, {self.cmd_name})"

    @property
    def c_nr(self) -> str:
        return f"0x{self.nr:02x}"

    @property
    def c_number(self) -> str:
        return f"0x{self.number():08x}"


@dataclass(frozen=True)
class CommandRange:
    """The commands of one object or fd, numbered contiguously from `base`."""

    name: str
    doc: Doc
    issued_on: str
    base: int
    base_name: str
    commands: tuple[Command, ...]
    where: Location = field(compare=False)
    kernel_prefix: str = ""  # of the range's dispatch, op table and buffer union

    @property
    def last(self) -> int:
        return self.base + len(self.commands) - 1

    @property
    def c_base(self) -> str:
        return f"0x{self.base:02x}"

    @property
    def seq(self) -> str:
        """The NRs in use, as ioctl-number.rst writes them: `40-43`."""
        if self.last == self.base:
            return f"{self.base:02X}"
        return f"{self.base:02X}-{self.last:02X}"

    @property
    def live(self) -> tuple[Command, ...]:
        """The commands that still exist (not retired)."""
        return tuple(c for c in self.commands if c.struct is not None)


@dataclass(frozen=True)
class KernelBuild:
    """Where the generated dispatch lives in a kernel tree and what it is linked with."""

    dir: str
    config: str
    module: str
    objects: tuple[str, ...]  # the maintainer's own, besides the generated dispatch


@dataclass(frozen=True)
class Model:
    path: str  # the spec file, as given
    name: str
    title: str
    header: str  # below include/uapi/
    kernel: KernelBuild
    spdx: str
    guard: str
    copyright: tuple[str, ...]
    contact: str | None
    overview: Doc
    errnos: tuple[Errno, ...]
    ioctl_type: int
    ioctl_type_name: str
    constants: tuple[Constant, ...]
    enums: tuple[Enum, ...]
    flag_sets: tuple[FlagSet, ...]
    structs: tuple[Struct, ...]  # nested (non-command) structs, each after what it embeds
    ranges: tuple[CommandRange, ...]
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def commands(self) -> tuple[Command, ...]:
        return tuple(c for r in self.ranges for c in r.live)

    @property
    def all_structs(self) -> tuple[Struct, ...]:
        return self.structs + tuple(c.struct for c in self.commands if c.struct is not None)

    @property
    def c_ioctl_type(self) -> str:
        return f"0x{self.ioctl_type:02X}"
