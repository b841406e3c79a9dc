"""What the model states of a header on one architecture, as C expressions a compiler evaluates:
each struct's size and alignment, each member's offset and size, each command's ioctl number.

`luogen layout`'s GCC probe (gcc.py) reads them back as array sizes; the round trip
(roundtrip.py) asserts them with `_Static_assert`, against the original header and the generated
one alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model.arch import Arch
from ..model.kinds import FlexibleArray, Inline
from ..model.nodes import Command, Struct
from ..records import dataclass


@dataclass(frozen=True)
class Fact:
    """One value the model states: `expr` must evaluate to `expected` on the architecture."""

    where: str  # struct x, struct x: member y, IOCTL_NAME
    what: str  # size, align, offset, ioctl number
    expr: str
    expected: int


def struct_facts(struct: Struct, arch: Arch) -> list[Fact]:
    """The size and alignment of `struct` and the offset and size of each of its members,
    those of its inline records' members included."""
    layout, tag = struct.layout(arch), f"{struct.c_keyword} {struct.name}"
    facts = [
        Fact(tag, "size", f"sizeof({tag})", layout.size),
        Fact(tag, "align", f"__alignof__({tag})", layout.align),
    ]
    return facts + list(_member_facts(struct, arch, tag, "", 0))


def _member_facts(struct: Struct, arch: Arch, tag: str, path: str, base: int) -> Iterator[Fact]:
    """The members of `struct` as `tag`'s members `path` + name, at `base` within `tag`; an
    anonymous record's members are the container's own (C11), a named one's are `name.x`."""
    for member, offset in zip(struct.members, struct.layout(arch).offsets, strict=True):
        kind = member.kind
        if isinstance(kind, Inline) and not member.name:
            yield from _member_facts(kind.struct, arch, tag, path, base + offset)
            continue
        for name in member.c_names:
            at, designator = f"{tag}: member {path}{name}", f"{path}{name}"
            yield Fact(at, "offset", f"__builtin_offsetof({tag}, {designator})", base + offset)
            if not isinstance(kind, FlexibleArray):  # sizeof cannot be applied to one
                yield Fact(at, "size", f"sizeof((({tag} *)0)->{designator})", kind.size(arch))
        if isinstance(kind, Inline):
            inner = f"{path}{member.name}."
            yield from _member_facts(kind.struct, arch, tag, inner, base + offset)


def command_fact(command: Command, arch: Arch) -> Fact:
    """The command's ioctl number on `arch` (numbers are 32 bits on every architecture)."""
    name = command.ioctl_name or command.cmd_name
    expr = f"(unsigned int)({name})"
    return Fact(name, "ioctl number", expr, command.number_on(arch))
