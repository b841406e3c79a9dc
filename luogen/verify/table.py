"""The pahole-like layout table of a model: every struct as the model lays it out, and every
command's ioctl number under each encoding. Computed from the model alone (no compiler)."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Model
from ..model.arch import Arch
from ..model.layout import StructLayout
from ..model.nodes import Command, Struct

TYPE_COLUMN = 32  # pahole's: a member's type, padded, then its name
NAME_COLUMN = 24


def _member_line(c_type: str, name: str, offset: int, size: int) -> str:
    decl = f"{c_type:<{TYPE_COLUMN - 1}} {name};"
    return f"\t{decl:<{TYPE_COLUMN + NAME_COLUMN}} /* {offset:5d} {size:5d} */"


def _layout_key(layout: StructLayout) -> tuple[object, ...]:
    return (layout.size, layout.offsets, layout.holes)


def _align_text(struct: Struct, arches: Sequence[Arch]) -> str:
    """`8`, or `4 (2 on m68k)` when architectures align the struct differently."""
    by_align: dict[int, list[str]] = {}
    for arch in arches:
        by_align.setdefault(struct.layout(arch).align, []).append(arch.name)
    first, *others = by_align.items()
    text = str(first[0])
    if others:
        text += " (" + "; ".join(f"{a} on {', '.join(names)}" for a, names in others) + ")"
    return text


def struct_table(struct: Struct, arches: Sequence[Arch]) -> str:
    """`struct` as pahole prints it, from the model: one table per distinct layout among `arches`
    (the model rejects every hole, so there is one; architectures that differ only in the
    struct's alignment share it, the last line naming them)."""
    groups: dict[tuple[object, ...], list[Arch]] = {}
    for arch in arches:
        groups.setdefault(_layout_key(struct.layout(arch)), []).append(arch)
    tables = []
    for group in groups.values():
        layout = struct.layout(group[0])
        head = f"struct {struct.name} {{"
        if len(groups) > 1:
            head += f" /* {', '.join(a.name for a in group)} */"
        lines = [head]
        holes = {id(h.before): h for h in layout.holes if h.before is not None}
        for member, offset in zip(struct.members, layout.offsets, strict=True):
            hole = holes.get(id(member))
            if hole is not None:
                lines.append(f"\n\t/* XXX {hole.length} bytes hole, try to pack */\n")
            lines.append(
                _member_line(member.kind.c_type, member.name + member.kind.c_suffix, offset,
                             member.kind.size(group[0]))
            )  # fmt: skip
        for hole in layout.holes:
            if hole.before is None:
                lines.append(f"\n\t/* XXX {hole.length} bytes of tail padding */")
        lines.append("")
        lines.append(
            f"\t/* size: {layout.size}, min_size: {struct.min_size}, "
            f"align: {_align_text(struct, group)} */"
        )
        lines.append("};")
        tables.append("\n".join(lines))
    return "\n\n".join(tables)


def command_numbers(command: Command, arches: Sequence[Arch]) -> str:
    """`NAME = _IO(TYPE, NR)`, then each of its numbers and the architectures of `arches` that
    have it (the encoding's name when the encoding alone decides)."""
    lines = [f"{command.ioctl_name} = {command.c_io} /* nr {command.c_nr} */"]
    by_number: dict[int, list[Arch]] = {}
    for arch in arches:
        by_number.setdefault(command.number_on(arch), []).append(arch)
    for number, users in by_number.items():
        names = ", ".join(a.name for a in users)
        encodings = list(dict.fromkeys(a.encoding for a in users))
        every = [a for a in arches if a.encoding in encodings]
        label = ", ".join(e.name for e in encodings) + ": " if every == users else ""
        lines.append(f"\t0x{number:08x}  {label}{names}")
    return "\n".join(lines)


def model_table(model: Model, arches: Sequence[Arch]) -> str:
    """Every nested struct, then every command with its struct, as the model lays them out."""
    parts = [f"/* {model.name}: {model.header} */"]
    parts += [struct_table(struct, arches) for struct in model.structs]
    for command in model.commands:
        parts.append(command_numbers(command, arches))
        if command.struct is not None:
            parts.append(struct_table(command.struct, arches))
    return "\n\n".join(parts) + "\n"
