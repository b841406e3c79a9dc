"""The two styles of command and the rules each follows.

An extensible command (no `encoding`) has a struct of its own, starting with `__u32 size`; it and
every struct inside it hold only fixed-width uapi types, so the layout is the same on every
architecture and the struct can grow. A classic command (`_IOR` and its kin) encodes its
argument's size in its number; its structs are described as real headers write them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import ctypes
from ..kinds import Array, CEnum, CScalar, FlexibleArray, Kind, NativePointer, Nested
from ..kinds.counted import CountedArray
from ..kinds.selected import DriverData
from ..names import reserved_in
from ..nodes import CommandRange, Member, Struct
from .context import Context

# The C spellings with one size and alignment everywhere that extensible structs may use.
FIXED_WIDTH = frozenset(
    {"__u8", "__s8", "__u16", "__s16", "__u32", "__s32", "__le16", "__be16", "__le32", "__be32"}
    | {"__sum16", "__wsum"}
    | set(ctypes.ALIGNED_MACROS)
)
_PLAIN_64 = {"__u64": "u64", "__s64": "s64", "__le64": "__aligned_le64", "__be64": "__aligned_be64"}


def _inside(kind: Kind) -> Iterator[Struct]:
    """The structs a member of `kind` holds, at any depth of arrays (a counted array's elements
    are held too: the kernel copies them as the bindings lay them out, and so are the structs
    driver data chooses from)."""
    if isinstance(kind, DriverData):
        yield from kind.structs
        return
    while isinstance(kind, Array | FlexibleArray | CountedArray):
        kind = kind.element
    if isinstance(kind, Nested):  # an Inline is one too
        yield kind.struct


def strict_structs(ranges: Iterable[CommandRange]) -> tuple[Struct, ...]:
    """The structs of the extensible commands and every struct inside them."""
    found: dict[str, Struct] = {}
    pending = [c.struct for r in ranges for c in r.live if c.struct is not None]
    while pending:
        struct = pending.pop()
        if struct.name not in found:
            found[struct.name] = struct
            pending += [s for m in struct.members for s in _inside(m.kind)]
    return tuple(found.values())


def _problem(kind: Kind) -> str | None:
    """Why an extensible struct cannot hold `kind`, or None."""
    while isinstance(kind, Array):
        kind = kind.element
    if isinstance(kind, CScalar):
        if kind.spelling in FIXED_WIDTH:
            return None
        if kind.spelling in _PLAIN_64:
            return (
                f"'{kind.spelling}' is 4-byte aligned on i386 and 2 on m68k, which moves "
                f"what follows: use {_PLAIN_64[kind.spelling]}"
            )
        return (
            f"'{kind.spelling}' has the size and alignment each architecture gives it: use a "
            "fixed-width type (u8..s64, __le32, ...)"
        )
    if isinstance(kind, NativePointer):
        return "a native pointer is 4 or 8 bytes: use 'ptr' (a user pointer in __aligned_u64)"
    if isinstance(kind, CEnum):
        return "an enum type's size is the compiler's: store it in a u32 with 'enum: NAME'"
    if isinstance(kind, FlexibleArray):
        return (
            "a flexible array member fixes where the struct ends, and extensible structs grow "
            "by appending members: point to the elements with a 'ptr'"
        )
    return None


def check_extensible(context: Context, structs: Iterable[Struct]) -> None:
    """Report every member of the extensible `structs` that breaks the style, and packing."""
    for struct in structs:
        if struct.packed:
            context.error(
                struct.where,
                f"{struct.c_keyword} {struct.name} is packed, but an extensible command's "
                "structs are laid out naturally: drop 'packed' and add explicit reserved members",
            )
        for member in struct.members:
            _member(context, struct, member)


def check_classic(context: Context, structs: Iterable[Struct]) -> None:
    """What real headers get away with and new ABIs must not, as warnings."""
    for struct in structs:
        _rust_packed(context, struct)
        for member in struct.members:
            language = reserved_in(member.name)
            if language == "C++":
                context.warn(
                    member.where or struct.where,
                    f"member '{member.name}' of {struct.c_keyword} {struct.name} is a C++ keyword: "
                    "C++ programs cannot include the header",
                )
            elif language == "Rust":
                context.warn(
                    member.where or struct.where,
                    f"member '{member.name}' of {struct.c_keyword} {struct.name} is a Rust keyword "
                    f"no raw identifier can spell: the Rust binding names it '{member.rust_name}'",
                )


def _member(context: Context, struct: Struct, member: Member) -> None:
    if reserved_in(member.name) in ("C++", "Rust"):
        context.error(
            member.where or struct.where,
            f"member '{member.name}' is a {reserved_in(member.name)} keyword; choose another name",
        )
    problem = _problem(member.kind)
    if problem is not None:
        context.error(
            member.where or struct.where,
            f"member '{member.name}' of {struct.c_keyword} {struct.name}, used by an extensible "
            f"command: {problem}",
        )


def _rust_packed(context: Context, struct: Struct) -> None:
    """A packed record aligned to N, which no Rust `repr` lays out as C does, is refused."""
    if struct.packed and struct.aligned and struct.rust_packed_aligned is None:
        context.error(
            struct.where,
            f"{struct.c_keyword} {struct.name} is packed and aligned({struct.aligned}): neither "
            f"Rust's repr(align({struct.aligned})) nor repr(packed({struct.aligned})) lays it out "
            "as C does on every architecture",
        )
