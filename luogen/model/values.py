"""The declarations of a spec that hold no members: docs, errnos, constants, typedefs, enums and
flag sets."""

from __future__ import annotations

from ..cached import cached_property
from ..errors import Location
from ..prose import PROSE, Block, parse, problem
from ..records import dataclass, field
from .bindings.python import PyEnum
from .bindings.rust import RustValues
from .bindings.rust_classic import RustConstant
from .kinds import Integer

INT_BITS = 32  # a C int, which every enumerator is, on every architecture luogen knows


@dataclass(frozen=True)
class Include:
    """A header the generated header includes; `defining` is a macro defined around the
    #include only, which the included header asks for (linux/patchkey.h is included by
    linux/soundcard.h alone, with _LINUX_PATCHKEY_H_INDIRECT defined)."""

    header: str
    defining: str | None = None

    @cached_property
    def c_lines(self) -> tuple[str, ...]:
        line = f"#include <{self.header}>"
        if self.defining is None:
            return (line,)
        return (f"#define {self.defining}", line, f"#undef {self.defining}")


@dataclass(frozen=True)
class UnionName:
    """Another name of a member, which the header declares with it in an anonymous union
    (`union { __u32 in_data_type; __u32 out_data_type; };`), with its own kernel-doc."""

    name: str
    doc: Doc
    where: Location | None = field(default=None, compare=False)

    @cached_property
    def doc_blocks(self) -> tuple[Block, ...]:
        return self.doc.blocks


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
class Constant(RustConstant):
    name: str
    value: int
    doc: Doc
    where: Location = field(compare=False)
    spelling: str = ""  # a character literal as the spec spells the value
    external: bool = False  # defined by an included header, not by this one

    @cached_property
    def c_value(self) -> str:
        return self.spelling or str(self.value)


@dataclass(frozen=True)
class Typedef:
    """`typedef TYPE NAME;` of a classic header: members of type NAME are laid out as TYPE."""

    name: str
    type: str  # the C type it names, as the spec spells it
    doc: Doc
    where: Location = field(compare=False)
    external: bool = False

    @property
    def names_a_record(self) -> bool:
        """`typedef struct x NAME;`: the bindings spell the record itself, and need no alias."""
        return self.type.split(" ")[0] in ("struct", "union")


@dataclass(frozen=True)
class EnumValue:
    name: str
    value: int
    doc: Doc
    since: str | None = None
    # A second name of that earlier value of the same enum (`alias-of`), whose value it has.
    alias_of: EnumValue | None = None

    @cached_property
    def c_value(self) -> str:
        """As the header spells it: an alias too is spelled with its value, as real headers do
        (include/uapi/linux/iommufd.h: IOMMU_HW_INFO_TYPE_DEFAULT = 0)."""
        if self.value > 2**31 - 1:  # wider than int: in hex, which C gives an unsigned type
            return f"{self.value:#x}"
        return str(self.value)

    @cached_property
    def py_value(self) -> str:
        """The right side of the IntEnum member: an alias names its value's member."""
        return self.alias_of.name if self.alias_of is not None else str(self.value)

    @cached_property
    def rust_value(self) -> str:
        """The associated const's value: an alias is the const of its value's name."""
        return f"Self::{self.alias_of.name}" if self.alias_of is not None else f"Self({self.value})"

    @cached_property
    def number(self) -> int:
        """What an ABI diff compares: the value (a flag's bit)."""
        return self.value


@dataclass(frozen=True)
class Enum(RustValues, PyEnum):
    c_template = "uapi/enum.j2"  # the template that declares it in the uapi header

    name: str
    doc: Doc
    values: tuple[EnumValue, ...]
    where: Location = field(compare=False)
    external: str | None = None  # the included header that defines it, or None
    # The integer every member holding it is stored as (the builder makes them agree);
    # None when no member holds it.
    storage: Integer | None = field(default=None, compare=False)
    place: str = field(default="top", compare=False)  # or "before-first-use": see order.py

    @cached_property
    def distinct(self) -> tuple[EnumValue, ...]:
        """The values without their aliases: each value once."""
        return tuple(v for v in self.values if v.alias_of is None)

    @cached_property
    def low(self) -> int:
        return min(v.value for v in self.values)

    @cached_property
    def c_title(self) -> str:
        return f"enum {self.name}"

    @cached_property
    def kdoc_reference(self) -> str:
        return f"&enum {self.name}"

    @cached_property
    def high(self) -> int:
        return max(v.value for v in self.values)


@dataclass(frozen=True)
class Flag(EnumValue):
    bit: int = 0

    @cached_property
    def c_value(self) -> str:
        """As an enumerator of a flag set whose bits all fit an int: an alias is spelled as the
        flag it names, as real headers do (include/uapi/linux/netfilter/nf_tables.h:
        NFT_RULE_COMPAT_F_MASK = NFT_RULE_COMPAT_F_INV)."""
        return self.alias_of.name if self.alias_of is not None else f"1 << {self.bit}"

    def c_macro(self, one: str) -> str:
        """The right side of its macro in a wide set, `one` the set's unsigned 1 (`1ULL`)."""
        return self.alias_of.name if self.alias_of is not None else f"({one} << {self.bit})"

    @cached_property
    def shifted(self) -> str:
        """The value as Rust and Python spell it, in the type of the set."""
        return f"1 << {self.bit}"

    @cached_property
    def py_value(self) -> str:
        """The right side of the IntFlag member: an alias names its flag's member."""
        return self.alias_of.name if self.alias_of is not None else self.shifted

    @cached_property
    def rust_value(self) -> str:
        """The associated const's value: an alias is the const of its flag's name."""
        return (
            f"Self::{self.alias_of.name}" if self.alias_of is not None else f"Self({self.shifted})"
        )

    @cached_property
    def number(self) -> int:
        return self.bit


@dataclass(frozen=True)
class FlagSet(RustValues):
    name: str
    doc: Doc
    values: tuple[Flag, ...]
    where: Location = field(compare=False)
    external: str | None = None  # as Enum's
    storage: Integer | None = field(default=None, compare=False)  # as Enum's
    place: str = field(default="top", compare=False)
    low = 0  # flags are stored unsigned

    @cached_property
    def distinct(self) -> tuple[Flag, ...]:
        """The flags without their aliases: each bit once."""
        return tuple(flag for flag in self.values if flag.alias_of is None)

    @cached_property
    def mask(self) -> int:
        mask = 0
        for flag in self.distinct:
            mask |= flag.value
        return mask

    @cached_property
    def high(self) -> int:
        return max(flag.bit for flag in self.values)

    @cached_property
    def wide(self) -> bool:
        """Whether a bit is past what a C enumerator (an int) holds: the header then defines
        each flag as a macro of an unsigned constant, as uapi headers do for 64-bit flags."""
        return self.high > INT_BITS - 2

    @cached_property
    def width(self) -> int:
        """The bits of the integer the set is stored in (when no member holds it, the
        narrowest of 32 or 64 bits that holds every bit)."""
        if self.storage is not None:
            return self.storage.bits
        return 32 if self.high < 32 else 64

    @cached_property
    def rust_repr(self) -> str:
        return self.storage.rust_type if self.storage is not None else f"u{self.width}"

    @cached_property
    def c_template(self) -> str:
        """The template that declares the set in the uapi header."""
        return "uapi/flag_macros.j2" if self.wide else "uapi/enum.j2"

    @cached_property
    def c_title(self) -> str:
        """What the set is called in C: `enum NAME`, or the name of its macros' DOC section."""
        return self.name if self.wide else f"enum {self.name}"

    @cached_property
    def kdoc_reference(self) -> str:
        """How a kernel-doc comment refers to the set."""
        return f"``{self.name}``" if self.wide else f"&enum {self.name}"

    @cached_property
    def c_defines(self) -> tuple[tuple[str, str], ...]:
        """(macro, value) of each flag of a wide set: an unsigned constant of the set's width
        shifted, which C gives the same value on every architecture (`1ULL << 63`); an alias's
        is the name of its flag."""
        one = "1ULL" if self.width > 32 else "1U"
        return tuple((flag.name, flag.c_macro(one)) for flag in self.values)
