"""ABI rules run on the built structs. Structs of extensible commands, and every struct they
contain, follow the extensible style: no implicit padding on any architecture, fixed-width uapi
types only. Other (classic) structs are described as they are: their padding and C types draw
warnings, never errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ...errors import Location
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


def check_padding(
    context: Context, structs: Iterable[Struct], strict: frozenset[str] = frozenset()
) -> None:
    """Every hole of a struct in `strict` (by name), on any architecture, must be an explicit
    member: report each one, where it is and which reserved member fills it. Elsewhere the
    same report is a warning: classic structs may have implicit padding."""
    for struct in structs:
        found: dict[Hole, list[str]] = {}
        for arch in ARCHES:
            for hole in struct.layout(arch).holes:
                found.setdefault(hole, []).append(arch.name)
        report = context.error if struct.name in strict else context.warn
        for hole, arches in found.items():
            _report(report, struct, hole, _on_architectures(arches))


def _report(report: Callable[[Location, str], None], struct: Struct, hole: Hole, on: str) -> None:
    add = _reserved_member_hint(hole.length)
    if hole.before is None:
        last = struct.members[-1]
        report(
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
    report(
        hole.before.where or struct.where,
        f"struct {struct.name} has a {hole.length}-byte hole at offset {hole.offset} "
        f"before '{hole.before.name}' {on}{natural}; add an explicit '{add}' "
        f"member (must be zero) before it",
    )
