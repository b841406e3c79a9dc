"""The model: frozen, fully resolved declarations. Layout, minimum sizes and ioctl numbers are
computed here and nowhere else; every output and check reads them from these objects.

Declarations without members (docs, constants, enums...) are in `values.py`. The classes hold the
ABI; what each target reads beside it comes from mixins of its own: the
kernel's names and checks (`kernel.py`), the bindings' names, shapes and layouts (`bindings/`).
"""

from __future__ import annotations

from ..cached import cached_property
from ..errors import Diagnostic, Location
from ..prose import Block, add_words
from ..records import dataclass, field
from .arch import ARCHES, GENERIC, HOST_REFERENCE, Arch, IoctlEncoding
from .bindings.objects import ObjectKind
from .bindings.python import PyCommand, PyMember, PyModel, PyStruct
from .bindings.rust import RustCommand, RustMember, RustModel, RustStruct
from .bindings.safe import SafeRange
from .cstruct import CStruct
from .direction import Direction
from .direction_by import DirectionBy
from .docs import DocsModel
from .encodings import EXTENSIBLE, CommandEncoding
from .kernel import KernelBuild, KernelCommand, KernelMember, KernelModel, KernelRange
from .kinds import Kind
from .layout import StructLayout, lay_out_everywhere
from .order import Placement
from .values import (
    Constant,
    Doc,
    Enum,
    EnumValue,
    Errno,
    Flag,
    FlagSet,
    Include,
    Typedef,
    UnionName,
)

__all__ = [
    "Command",
    "CommandRange",
    "Constant",
    "Doc",
    "Enum",
    "EnumValue",
    "Errno",
    "Flag",
    "FlagSet",
    "KernelBuild",
    "Member",
    "Model",
    "Struct",
    "Typedef",
]


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
    when: Flag | None = None  # the flag without which the kernel does not read it
    when_in: Member | None = field(default=None, compare=False, repr=False)  # holds `when`
    union_names: tuple[UnionName, ...] = ()  # its other names, in an anonymous union with it
    direction_by: DirectionBy | None = None  # `dir-by`: `direction` is what its values add up to
    safety: str | None = None  # a raw pointer: what its caller vouches for (`safety:`)
    # An fd output: the range whose object it is. Resolved after every range is built, and
    # left out of comparisons (ranges hold the members that point at them).
    opens: CommandRange | None = field(default=None, compare=False, repr=False)
    where: Location | None = field(default=None, compare=False)

    @cached_property
    def c_decl(self) -> str:
        return self.kind.c_declaration(self.name)

    @cached_property
    def c_names(self) -> tuple[str, ...]:
        """Every name the header gives it: its other names (`union-names`), then its own."""
        return (*(other.name for other in self.union_names), self.name)

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


@dataclass(frozen=True)
class Struct(CStruct, RustStruct, PyStruct):
    """A struct or union: a command's, a nested one, or one defined inside another (`inline`:
    its C body is written where it is used, with no tag when it is anonymous)."""

    name: str
    doc: Doc
    members: tuple[Member, ...]
    where: Location = field(compare=False)
    union: bool = False
    packed: bool = False
    inline: bool = False
    external: str | None = None  # the included header that defines it, or None
    aligned: int | None = None  # __attribute__((aligned(N))): at least N; packed: exactly N

    @cached_property
    def size_member(self) -> Member | None:
        """A command's struct: its implicit `__u32` size header; None for any other struct."""
        return self.members[0] if self.members and self.members[0].implicit else None

    def layout(self, arch: Arch) -> StructLayout:
        return self.layouts[arch.name]

    @cached_property
    def layouts(self) -> dict[str, StructLayout]:
        return lay_out_everywhere(self.members, self.union, self.packed, self.aligned)

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
    config: str | None = None  # the Kconfig symbol it is dispatched under (None: always)
    retired: str | None = None
    since: str | None = None
    brief: str | None = None  # of its struct's kernel-doc; default ioctl(NAME)
    object_class: str = ""  # the binding type of the object it is issued on
    encoding: CommandEncoding = EXTENSIBLE
    # A classic command: what its number encodes the size of (None: nothing), and its type
    # byte and number as the header spells them.
    argument: Member | None = None
    type_spelling: str = ""
    nr_spelling: str = ""
    argument_by_value: bool = False  # the argument is the ioctl's arg itself, not a pointer
    returns_fd: bool = False  # the ioctl's int result is a new fd (`returns: {type: fd}`)
    returns_opens: CommandRange | None = None  # the range whose object that fd is (resolved)
    # A safe method of a command with `dir-by` members: the selector value it fixes.
    variant: EnumValue | None = field(default=None, compare=False)
    where: Location | None = field(default=None, compare=False)

    @cached_property
    def kdoc_brief(self) -> str:
        return self.brief or f"ioctl({self.ioctl_name})"

    def number(self, encoding: IoctlEncoding = GENERIC) -> int:
        """`_IO(type, nr)` under `encoding` (a classic number may vary: see `number_on`)."""
        return encoding.io(self.ioctl_type, self.nr)

    def number_on(self, arch: Arch) -> int:
        """The command's number on `arch`."""
        return self.encoding.number(self, arch)

    @cached_property
    def numbers(self) -> dict[str, int]:
        return {arch.name: self.number_on(arch) for arch in ARCHES}

    @cached_property
    def c_io(self) -> str:
        """The macro's value: `_IO(type, nr)` for an extensible command (the number carries no
        size and no direction), the header's encoding for a classic one."""
        return self.encoding.c_value(self)

    @cached_property
    def argument_spelling(self) -> str:
        """The classic argument as the number encodes it: `struct loop_info64`, `void *`."""
        assert self.argument is not None
        kind = self.encoding.encoded_kind(self.argument.kind)
        return f"{kind.c_type}{kind.c_suffix}"

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
    fallback: str | None = None  # the driver's function for numbers outside the op table

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
        return tuple(c for c in self.commands if c.retired is None)

    @cached_property
    def retired(self) -> tuple[Command, ...]:
        """The numbers kept for commands that are gone."""
        return tuple(c for c in self.commands if c.retired is not None)

    @cached_property
    def classic(self) -> bool:
        """Whether the range's commands are classic ones (numbers given, no size header)."""
        return any(c.encoding.classic for c in self.commands)


@dataclass(frozen=True)
class Model(DocsModel, KernelModel, PyModel, RustModel):
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
    typedefs: tuple[Typedef, ...] = ()
    includes: tuple[Include, ...] = ()  # what the header includes besides types.h, ioctl.h
    targets: tuple[str, ...] = ()  # what `luogen generate` writes without -t (empty: all)
    arches: tuple[str, ...] = ()  # the architectures the ABI exists on (empty: all 16)
    ioctl_type_spelling: str = ""  # a character literal as the spec spells the type byte
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
        return Placement.of(self.own_enums, self.all_structs)

    @cached_property
    def c_ioctl_type(self) -> str:
        return self.ioctl_type_spelling or f"0x{self.ioctl_type:02X}"

    # --- what the header defines itself (not what its includes do) ----------------------------

    @cached_property
    def own_constants(self) -> tuple[Constant, ...]:
        return tuple(c for c in self.constants if not c.external)

    @cached_property
    def own_typedefs(self) -> tuple[Typedef, ...]:
        return tuple(t for t in self.typedefs if not t.external)

    @cached_property
    def own_enums(self) -> tuple[Enum | FlagSet, ...]:
        groups: tuple[Enum | FlagSet, ...] = (*self.enums, *self.flag_sets)
        return tuple(e for e in groups if e.external is None)

    @cached_property
    def own_structs(self) -> tuple[Struct, ...]:
        return tuple(s for s in self.structs if s.external is None)

    @cached_property
    def extensible_ranges(self) -> tuple[CommandRange, ...]:
        return tuple(r for r in self.ranges if not r.classic)

    @cached_property
    def extensible_commands(self) -> tuple[Command, ...]:
        return tuple(c for c in self.commands if not c.encoding.classic)

    @cached_property
    def classic_commands(self) -> tuple[Command, ...]:
        return tuple(c for c in self.commands if c.encoding.classic)

    @cached_property
    def c_encoding_macros(self) -> tuple[str, ...]:
        """What the header defines for its commands' macros beyond <linux/ioctl.h> (OSS')."""
        return tuple(dict.fromkeys(d for c in self.commands if (d := c.encoding.c_definitions)))

    @cached_property
    def type_macro_used(self) -> bool:
        """Whether any command spells its type byte with the spec's type macro."""
        return (
            any(
                not c.encoding.classic or c.type_spelling == self.ioctl_type_name
                for c in self.commands
            )
            or not self.commands
        )
