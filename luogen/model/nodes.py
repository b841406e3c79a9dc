"""The model: frozen, fully resolved declarations. Layout, minimum sizes and ioctl numbers are
computed here and nowhere else; every output and check reads them from these objects.

The classes hold the ABI; what each target reads beside it comes from mixins of its own: the
kernel's names and checks (`kernel.py`), the bindings' names, shapes and layouts (`bindings/`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..errors import Diagnostic, Location
from ..prose import PROSE, Block, add_words, parse, problem
from .arch import ARCHES, GENERIC, HOST_REFERENCE, Arch, IoctlEncoding
from .bindings.objects import ObjectKind
from .bindings.python import PyCommand, PyEnum, PyMember, PyModel, PyStruct
from .bindings.rust import RustCommand, RustMember, RustModel, RustStruct, RustValues
from .bindings.safe import SafeRange
from .direction import Direction
from .kernel import KernelCommand, KernelMember, KernelModel, KernelRange
from .kinds import Integer, Kind
from .layout import StructLayout, lay_out_everywhere
from .order import Placement


@dataclass(frozen=True)
class Doc:
    """Prose from the spec: its blocks, paragraphs and verbatim blocks (`prose.py`)."""

    text: str

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        return parse(self.text)

    @cached_property
    def paragraphs(self) -> tuple[str, ...]:
        """Each block on one line, for places that hold no structure."""
        return tuple(block.line for block in self.blocks)

    @cached_property
    def first(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""

    @cached_property
    def brief(self) -> str:
        """The one-paragraph summary a kernel-doc comment starts with: the first block when it
        is prose, else none."""
        blocks = self.blocks
        return blocks[0].text if blocks and not blocks[0].verbatim else ""

    @cached_property
    def body(self) -> tuple[Block, ...]:
        """The blocks after the brief."""
        return self.blocks[1:] if self.brief else self.blocks

    @cached_property
    def problem(self) -> str:
        """What reST would warn about in the text, or ""."""
        return problem(self.blocks)

    def headed(self, head: str) -> tuple[Block, ...]:
        """The blocks with `head` before the brief (`head: brief`), or as a paragraph of its
        own (`head.`) when there is no brief."""
        lead = f"{head}: {self.brief}" if self.brief else f"{head}."
        return (Block(PROSE, lead), *self.body)


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

    @cached_property
    def c_value(self) -> str:
        return str(self.value)

    @cached_property
    def number(self) -> int:
        """What an ABI diff compares: the value (a flag's bit)."""
        return self.value


@dataclass(frozen=True)
class Enum(RustValues, PyEnum):
    name: str
    doc: Doc
    values: tuple[EnumValue, ...]
    where: Location = field(compare=False)
    # The integer every member holding it is stored as (the builder makes them agree);
    # None when no member holds it.
    storage: Integer | None = field(default=None, compare=False)
    place: str = field(default="top", compare=False)  # or "before-first-use": see order.py

    @cached_property
    def low(self) -> int:
        return min(v.value for v in self.values)

    @cached_property
    def high(self) -> int:
        return max(v.value for v in self.values)


@dataclass(frozen=True)
class Flag(EnumValue):
    bit: int = 0

    @cached_property
    def c_value(self) -> str:
        return f"1 << {self.bit}"

    @cached_property
    def number(self) -> int:
        return self.bit


@dataclass(frozen=True)
class FlagSet(RustValues):
    name: str
    doc: Doc
    values: tuple[Flag, ...]
    where: Location = field(compare=False)
    storage: Integer | None = field(default=None, compare=False)  # as Enum's
    place: str = field(default="top", compare=False)
    low = 0  # flags are stored unsigned

    @cached_property
    def mask(self) -> int:
        mask = 0
        for flag in self.values:
            mask |= flag.value
        return mask

    @cached_property
    def high(self) -> int:
        return max(flag.bit for flag in self.values)


@dataclass(frozen=True)
class Member(KernelMember, PyMember, RustMember):
    name: str
    kind: Kind
    doc: Doc
    direction: Direction | None = Direction.IN  # None in nested structs: their container says
    reserved: bool = False  # must be zero
    optional: bool = False  # past the minimum size
    since: str | None = None
    implicit: bool = False  # the `__u32 size` header luogen adds
    doc_prefix: bool = True  # its doc starts with who writes it (Input; Output;)
    doc_notes: bool = True  # its doc ends with what luogen knows (values, checks, since)
    # An fd output: the range whose object it is. Resolved after every range is built, and
    # left out of comparisons (ranges hold the members that point at them).
    opens: CommandRange | None = field(default=None, compare=False, repr=False)
    where: Location | None = field(default=None, compare=False)

    @cached_property
    def c_decl(self) -> str:
        return f"{self.kind.c_type} {self.name}{self.kind.c_suffix}"

    @cached_property
    def description(self) -> str:
        """The member's doc on one line: who writes it, what it is, its rules."""
        return " ".join(block.line for block in self.doc_blocks)

    @cached_property
    def doc_blocks(self) -> tuple[Block, ...]:
        """The member's doc: who writes it (`doc_prefix`), the spec's blocks, and the rules
        luogen knows of it (`doc_notes`), each added to a paragraph of prose."""
        if self.implicit:
            return self.doc.blocks[:1]
        blocks = list(self.doc.blocks)
        if self.doc_prefix and self.direction and not self.reserved:
            add_words(blocks, 0, f"{self.direction.kdoc_word};")
        notes = " ".join(self.notes)
        if notes:
            add_words(blocks, len(blocks), notes)
        return tuple(blocks)

    @cached_property
    def notes(self) -> tuple[str, ...]:
        """What luogen adds to the member's doc: what its values are, what the kernel checks."""
        if not self.doc_notes:
            return ()
        out = self.direction is Direction.OUT
        note = self.kind.kdoc_output_note if out else self.kind.kdoc_note
        reserved = "Must be zero." if self.reserved else ""
        since = f"Optional: appended in {self.since}." if self.since else ""
        return tuple(text for text in (note, reserved, since) if text)


@dataclass(frozen=True)
class Struct(RustStruct, PyStruct):
    name: str
    doc: Doc
    members: tuple[Member, ...]
    where: Location = field(compare=False)

    def layout(self, arch: Arch) -> StructLayout:
        return self.layouts[arch.name]

    @cached_property
    def layouts(self) -> dict[str, StructLayout]:
        return lay_out_everywhere(self.members)

    @cached_property
    def reference(self) -> StructLayout:
        return self.layout(HOST_REFERENCE)

    @cached_property
    def size(self) -> int:
        return self.reference.size

    @cached_property
    def align(self) -> int:
        return self.reference.align

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        return self.reference.offsets

    @cached_property
    def fields(self) -> tuple[tuple[Member, int], ...]:
        """(member, offset) pairs on the reference architecture."""
        return tuple(zip(self.members, self.offsets, strict=True))

    @cached_property
    def min_size(self) -> int:
        """offsetofend() of the last mandatory member."""
        end = 0
        for member, offset in self.fields:
            if not member.optional:
                end = offset + member.kind.size(HOST_REFERENCE)
        return end

    @cached_property
    def last_mandatory(self) -> Member | None:
        mandatory = [m for m in self.members if not m.optional]
        return mandatory[-1] if mandatory else None


@dataclass(frozen=True)
class Command(KernelCommand, PyCommand, RustCommand):
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
    brief: str | None = None  # of its struct's kernel-doc; default ioctl(NAME)
    object_class: str = ""  # the binding type of the object it is issued on
    where: Location | None = field(default=None, compare=False)

    @cached_property
    def kdoc_brief(self) -> str:
        return self.brief or f"ioctl({self.ioctl_name})"

    def number(self, encoding: IoctlEncoding = GENERIC) -> int:
        """The value of `_IO(type, nr)` under `encoding`."""
        return encoding.io(self.ioctl_type, self.nr)

    @cached_property
    def numbers(self) -> dict[str, int]:
        return {arch.name: self.number(arch.encoding) for arch in ARCHES}

    @cached_property
    def c_io(self) -> str:
        """The macro's value: the number carries no size and no direction."""
        return f"_IO({self.ioctl_type_name}, {self.cmd_name})"

    @cached_property
    def c_nr(self) -> str:
        return f"0x{self.nr:02x}"

    @cached_property
    def c_number(self) -> str:
        return f"0x{self.number():08x}"


@dataclass(frozen=True)
class CommandRange(KernelRange, SafeRange):
    """The commands of one object or fd, numbered contiguously from `base`."""

    name: str
    doc: Doc
    object: ObjectKind  # what the commands are issued on
    base: int
    base_name: str
    commands: tuple[Command, ...]
    where: Location = field(compare=False)
    kernel_prefix: str = ""  # of the range's dispatch, op table and buffer union
    class_name: str = ""  # the binding type of its object

    @cached_property
    def issued_on(self) -> str:
        return self.object.text

    @cached_property
    def last(self) -> int:
        return self.base + len(self.commands) - 1

    @cached_property
    def c_base(self) -> str:
        return f"0x{self.base:02x}"

    @cached_property
    def seq(self) -> str:
        """The NRs in use, as ioctl-number.rst writes them: `40-43`."""
        if self.last == self.base:
            return f"{self.base:02X}"
        return f"{self.base:02X}-{self.last:02X}"

    @cached_property
    def live(self) -> tuple[Command, ...]:
        """The commands that still exist (not retired)."""
        return tuple(c for c in self.commands if c.struct is not None)

    @cached_property
    def retired(self) -> tuple[Command, ...]:
        """The numbers kept for commands that are gone."""
        return tuple(c for c in self.commands if c.struct is None)


@dataclass(frozen=True)
class KernelBuild:
    """Where the generated dispatch lives in a kernel tree and what it is linked with."""

    dir: str
    config: str
    module: str
    objects: tuple[str, ...]  # the maintainer's own, besides the generated dispatch


@dataclass(frozen=True)
class Model(KernelModel, PyModel, RustModel):
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
    c_names: frozenset[str] = field(default=frozenset(), compare=False)  # all the header defines
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @cached_property
    def commands(self) -> tuple[Command, ...]:
        return tuple(c for r in self.ranges for c in r.live)

    @cached_property
    def all_structs(self) -> tuple[Struct, ...]:
        return self.structs + tuple(c.struct for c in self.commands if c.struct is not None)

    @cached_property
    def placed(self) -> Placement:
        """Where the header declares each enum and flag set."""
        return Placement.of(self.enums + self.flag_sets, self.all_structs)

    @cached_property
    def c_ioctl_type(self) -> str:
        return f"0x{self.ioctl_type:02X}"
