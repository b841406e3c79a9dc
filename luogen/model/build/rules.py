"""ABI rules run on the built structs: no implicit padding on any architecture."""

from __future__ import annotations

from collections.abc import Iterable

from ..arch import ARCHES
from ..layout import Hole
from ..nodes import Struct
from .context import Context


def _reserved_member_hint(length: int) -> str:
    spelled = {1: "__u8 __reserved", 2: "__u16 __reserved", 4: "__u32 __reserved"}
    return spelled.get(length, f"__u8 __reserved[{length}]")


def _on_architectures(names: list[str]) -> str:
    if len(names) == len(ARCHES):
        return "on every architecture"
    if len(names) > len(ARCHES) // 2:
        others = [a.name for a in ARCHES if a.name not in names]
        return "on every architecture but " + " and ".join(
            [", ".join(others[:-1]), others[-1]] if len(others) > 1 else others
        )
    return "on " + ", ".join(names)


def check_padding(context: Context, structs: Iterable[Struct]) -> None:
    """Every hole, on any architecture, must be an explicit member: report each one, where it
    is and which reserved member fills it."""
    for struct in structs:
        found: dict[Hole, list[str]] = {}
        for arch in ARCHES:
            for hole in struct.layout(arch).holes:
                found.setdefault(hole, []).append(arch.name)
        for hole, arches in found.items():
            _report(context, struct, hole, _on_architectures(arches))


def _report(context: Context, struct: Struct, hole: Hole, on: str) -> None:
    add = _reserved_member_hint(hole.length)
    if hole.before is None:
        last = struct.members[-1]
        context.error(
            last.where or struct.where,
            f"struct {struct.name} has {hole.length} bytes of tail padding after "
            f"'{last.name}' at offset {hole.offset} {on}; append an explicit "
            f"'{add}' member (must be zero)",
        )
        return
    kind = hole.before.kind
    natural = (
        " (64-bit members must be naturally aligned)"
        if kind.size(ARCHES[0]) == 8 and kind.scalar is not None
        else ""
    )
    context.error(
        hole.before.where or struct.where,
        f"struct {struct.name} has a {hole.length}-byte hole at offset {hole.offset} "
        f"before '{hole.before.name}' {on}{natural}; add an explicit '{add}' "
        f"member (must be zero) before it",
    )
