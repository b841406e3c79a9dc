"""What the C compiler sees in a real uapi header, for one architecture: plain frozen values.

Nothing here knows luogen's model or spec language; `luogen.cheader.merge` combines the facts of
several architectures. Offsets are in bits (a bit-field needs them), sizes and alignments in bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Literal, TypeVar

from ..records import dataclass

Tag = Literal["struct", "union"]
Endian = Literal["native", "little", "big"]
Encoding = Literal["_IO", "_IOR", "_IOW", "_IOWR", "_IOC"]
ArgCategory = Literal["struct", "union", "scalar", "enum", "pointer", "array", "expression"]


@dataclass(frozen=True, order=True)
class Location:
    """Where a name is written: the file as an #include names it (linux/loop.h), 1-based."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


WarningCode = Literal[
    "not-found",  # the header is in no include directory
    "compile-error",  # clang cannot compile the header: no facts of it
    "needs-ioctl-h",  # uses _IOR... but includes no linux/ioctl.h: read after it (kept)
    "no-encoding",  # ioctl macros, but the unit does not define the encodings (_IOR...)
    "unfollowed",  # a macro uses an encoding in a form the reader does not take apart
    "unevaluated",  # clang cannot evaluate a command's number, type, nr or argument
    "clang-warning",  # clang warns about a value (an overflow): the value is kept
    "expression-argument",  # an ioctl's "type" argument is an expression
    "field-overflow",  # a type, nr or size does not fit its field of the number
    "incomplete-record",  # a record that is declared but not defined
    "unknown-type",  # a type of no kind the reader knows
    "probe-failure",  # the probe unit has an error no probe line explains
    "unchecked-layout",  # clang is known to lay records out otherwise here; GCC did not check
    "gcc-disagrees",  # the architecture's own GCC computes a fact differently
]


@dataclass(frozen=True)
class ReadWarning:
    """Something the reader could not read or express exactly: its facts are left out (but
    clang-warning's, kept as clang has them, and needs-ioctl-h's, read after <linux/ioctl.h>)."""

    location: Location
    code: WarningCode
    message: str
    arch: str

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message} [{self.code}, {self.arch}]"


# How the reader's parts report a warning: where, which, what.
Warn = Callable[[Location, WarningCode, str], None]


# --- C types ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedInt:
    """A uapi or stdint integer of a width fixed by its name: __u32, __le64, __s8, uint16_t."""

    name: str  # the fixed-width typedef the type goes through
    bits: int
    signed: bool
    endian: Endian


@dataclass(frozen=True)
class CInt:
    """A plain C integer type, whose width the architecture decides: int, unsigned long, char."""

    name: str  # the canonical C spelling
    signed: bool  # plain char: as the architecture has it


@dataclass(frozen=True)
class CFloat:
    name: str  # float, double, long double


@dataclass(frozen=True)
class Pointer:
    target: str  # the pointed-to type as clang spells it: void, struct foo, const char
    function: bool = False
    # The record a typedef target names (`atreq_t *`, typedef struct atreq atreq_t): its tag.
    typedef_of: str | None = None
    anonymous_record: bool = False  # a tagless record through a typedef: typedef struct {} x_t


@dataclass(frozen=True, order=True)
class EnumType:
    name: str | None  # None: an anonymous enum
    location: Location


@dataclass(frozen=True, order=True)
class RecordType:
    """A struct or union, by identity: anonymous ones are told apart by where they are written."""

    tag: Tag
    name: str | None
    location: Location
    # Anonymous records a macro declares share the macro's location (__DECLARE_FLEX_ARRAY nests
    # two): how many enclosing records have the same one.
    depth: int = 0

    def __str__(self) -> str:
        if self.name:
            return f"{self.tag} {self.name}"
        nested = f" (nested {self.depth})" if self.depth else ""
        return f"anonymous {self.tag} at {self.location}{nested}"


@dataclass(frozen=True)
class Array:
    element: TypeKind  # never an Array: every dimension is in `dims`
    dims: tuple[int, ...]


@dataclass(frozen=True)
class FlexibleArray:
    """A flexible array member: `x[]`, or the GNU zero-length `x[0]`."""

    element: TypeKind  # an Array for `x[][4]`
    zero_length: bool


@dataclass(frozen=True)
class Unreadable:
    """A type the reader has no kind for (a vector, _Complex, _Atomic...); always warned about."""

    spelling: str


TypeKind = (
    FixedInt | CInt | CFloat | Pointer | EnumType | RecordType | Array | FlexibleArray | Unreadable
)


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Padding:
    """Bits no member occupies: a hole before a member, or tail padding up to the record's size."""

    offset_bits: int
    bits: int
    tail: bool


@dataclass(frozen=True)
class Field:
    name: str | None  # None: an anonymous struct/union member, or an unnamed bit-field
    location: Location
    offset_bits: int  # from the start of the record that declares it
    size: int  # sizeof the declared type (0 for a flexible array)
    align: int
    bit_width: int | None
    spelling: str  # the type as written before the name: __aligned_u64, const char *, struct bar
    suffix: str  # what follows the name as written: [4][8], : 3, [] ('' when nothing)
    macro: str | None  # the macro the member is declared through, when it is not written out
    typedefs: tuple[str, ...]  # the typedef chain from the written type inwards
    kind: TypeKind
    attributes: tuple[str, ...]  # packed, aligned on the member itself
    kdoc: str | None  # the record's kernel-doc `@name:` text
    comment: str | None  # a plain comment on the member's line or directly above it


@dataclass(frozen=True)
class Record:
    type: RecordType
    typedef: str | None  # `typedef struct { ... } name;`
    size: int
    align: int
    packed: bool
    fields: tuple[Field, ...]
    padding: tuple[Padding, ...]
    doc: str | None  # the comment directly above the definition (kernel-doc or plain)
    aligned: int | None = None  # __attribute__((aligned(N))) on the record itself

    @property
    def anonymous(self) -> bool:
        return self.type.name is None


# --- enums and constants ------------------------------------------------------------------------


@dataclass(frozen=True)
class EnumConstant:
    name: str
    location: Location
    value: int
    spelling: str | None  # the value as written after `=`, when written
    doc: str | None


@dataclass(frozen=True)
class Enum:
    type: EnumType
    typedef: str | None
    underlying: CInt
    size: int
    constants: tuple[EnumConstant, ...]
    doc: str | None
    flag_like: bool  # every non-zero value a distinct single bit


@dataclass(frozen=True)
class Define:
    """An object-like macro that is an integer constant expression, evaluated by clang."""

    name: str
    location: Location
    spelling: str
    value: int
    doc: str | None
    flag_like: bool  # written as a shift of 1 (1 << n, _BITUL(n)) and a single bit


@dataclass(frozen=True)
class OtherMacro:
    """A macro that is neither an ioctl nor an integer constant (types, strings, helpers)."""

    name: str
    location: Location
    params: tuple[str, ...] | None
    spelling: str
    why: str


# --- ioctls ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    text: str  # as written (after substituting the parameters of helper macros)
    value: int | None  # None: depends on a parameter of a family


@dataclass(frozen=True)
class IoctlArg:
    """The type an ioctl number encodes the size of: the 3rd argument of _IOR/_IOW/_IOWR, or T
    of `_IOC(dir, type, nr, sizeof(T))`."""

    spelling: str
    category: ArgCategory
    kind: TypeKind
    typedefs: tuple[str, ...]
    size: int
    via_sizeof: bool


@dataclass(frozen=True)
class Decoded:
    """The number taken apart by the architecture's own _IOC_DIR, _IOC_TYPE, _IOC_NR, _IOC_SIZE."""

    direction: int
    type: int
    nr: int
    size: int


@dataclass(frozen=True)
class IoctlCommand:
    name: str
    location: Location
    encoding: Encoding
    via: tuple[str, ...]  # the macros expanded on the way to the encoding (DRM_IOWR, aliases)
    alias_of: str | None  # `#define NEW OLD`: OLD
    # `#define X (cond ? A : B)`: the condition as written, which chose alias_of here.
    selected_by: str | None
    direction: Expr | None  # only a raw _IOC names it
    type: Expr
    nr: Expr
    size: Expr | None  # a raw _IOC's size, when it is not sizeof(a type)
    arg: IoctlArg | None
    number: int
    decoded: Decoded
    doc: str | None


@dataclass(frozen=True)
class IoctlFamily:
    """A function-like macro that yields ioctl numbers: EVIOCGNAME(len), SPI_IOC_MESSAGE(N).
    A helper (DRM_IOWR(nr, type)) is one that other ioctl macros are built with."""

    name: str
    location: Location
    params: tuple[str, ...]
    encoding: Encoding
    via: tuple[str, ...]
    helper: bool
    direction: Expr | None
    type: Expr
    nr: Expr
    size: Expr | None
    arg_spelling: str | None
    arg: IoctlArg | None  # None when there is none or it depends on a parameter
    doc: str | None


@dataclass(frozen=True)
class EncoderAlias:
    """`#define _SIOR _IOR`: another name for an encoding macro itself."""

    name: str
    location: Location
    target: str


# --- one header, one architecture -----------------------------------------------------------


@dataclass(frozen=True)
class HeaderFacts:
    header: str  # as an #include names it
    arch: str
    target: str  # the clang target it was parsed for
    prelude: tuple[str, ...]  # headers included before it (a header that needs the C library's)
    readable: bool  # False: clang could not compile it; the warnings say why, no facts follow
    commands: tuple[IoctlCommand, ...]
    families: tuple[IoctlFamily, ...]
    encoder_aliases: tuple[EncoderAlias, ...]
    # The records the header defines, and every record an ioctl argument is, points to or
    # contains, transitively.
    records: tuple[Record, ...]
    enums: tuple[Enum, ...]  # the header's own, and those the records use
    defines: tuple[Define, ...]
    other_macros: tuple[OtherMacro, ...]
    warnings: tuple[ReadWarning, ...]
    # The headers its own #include lines bring in (those the preprocessor took), as #include
    # names them.
    includes: tuple[str, ...] = ()

    @property
    def type_bytes(self) -> tuple[int, ...]:
        return tuple(sorted({c.decoded.type for c in self.commands}))

    @property
    def shared_numbers(self) -> dict[int, tuple[str, ...]]:
        """Numbers that several commands (not mere aliases of one another) share."""
        names: dict[int, list[str]] = defaultdict(list)
        for command in self.commands:
            if command.alias_of is None:  # an alias shares its number by design
                names[command.number].append(command.name)
        return {n: tuple(v) for n, v in sorted(names.items()) if len(v) > 1}

    def command(self, name: str) -> IoctlCommand:
        return _named(self.commands, name)

    def family(self, name: str) -> IoctlFamily:
        return _named(self.families, name)

    def record(self, name: str, tag: Tag = "struct") -> Record:
        for record in self.records:
            if record.type.name == name and record.type.tag == tag:
                return record
        raise KeyError(f"{tag} {name}")


Named = TypeVar("Named", IoctlCommand, IoctlFamily)


def _named(items: tuple[Named, ...], name: str) -> Named:
    for item in items:
        if item.name == name:
            return item
    raise KeyError(name)


@dataclass(frozen=True)
class ArchScan:
    arch: str
    target: str
    include_dirs: tuple[str, ...]
    notes: tuple[str, ...]  # how this architecture was read (stand-in targets, missing libc)
    headers: tuple[HeaderFacts, ...]
    seconds: float

    def header(self, name: str) -> HeaderFacts:
        for facts in self.headers:
            if facts.header == name:
                return facts
        raise KeyError(name)
