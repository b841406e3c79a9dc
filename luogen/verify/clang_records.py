"""How libclang's reading of a record differs from the model's struct, member by member, on one
architecture: size, alignment, member names, offsets, sizes and C types; an inline record's
members as a record of their own, and a member with other names (`union-names`) as the
anonymous union that declares it under each."""

from __future__ import annotations

from typing import Any

from ..model.arch import Arch
from ..model.kinds import Array, FlexibleArray, Inline
from ..model.nodes import Struct


def struct_problems(struct: Struct, kind: Any, arch: Arch, align_arch: Arch, ci: Any) -> list[str]:
    """Every way clang's record `kind` differs from the model's `struct` on `arch`."""
    problems = []
    layout, align_layout = struct.layout(arch), struct.layout(align_arch)
    where = f"{arch.name}: {struct.c_keyword} {struct.name}"
    size, align = kind.get_size(), kind.get_align()
    if size != layout.size:
        problems.append(f"{where}: size: expected {layout.size}, actual {size}")
    if align != align_layout.align:
        problems.append(f"{where}: align: expected {align_layout.align}, actual {align}")
    fields = list(kind.get_fields())
    # clang names an anonymous member after its record ("union x::(anonymous at ...)"); a
    # member with other names is one, an anonymous union of them all.
    want = ["" if m.union_names else m.name for m in struct.members]
    got = ["" if "(anonymous" in f.spelling else f.spelling for f in fields]
    if got != want:
        problems.append(f"{where}: members: expected {want}, actual {got}")
        return problems
    for member, offset, seen in zip(struct.members, layout.offsets, fields, strict=True):
        at = f"{where}: member {member.name or '(anonymous)'}"
        if member.union_names:
            problems += _union_names_problems(member, offset, seen, arch, align_arch, ci, at)
        else:
            problems += _member_problems(member, offset, seen, arch, align_arch, ci, at)
    return problems


def _union_names_problems(
    member: Any, offset: int, seen: Any, arch: Arch, align_arch: Arch, ci: Any, at: str
) -> list[str]:
    """The anonymous union that declares `member` under each of its names: every name at the
    member's offset, with its size and type."""
    record = seen.type.get_declaration().type
    names = list(member.c_names)
    fields = list(record.get_fields())
    if [f.spelling for f in fields] != names:
        return [f"{at}: names: expected {names}, actual {[f.spelling for f in fields]}"]
    base = seen.get_field_offsetof()
    problems = []
    for name, one in zip(names, fields, strict=True):
        shifted = _Shifted(one, base)
        problems += _member_problems(member, offset, shifted, arch, align_arch, ci, f"{at}: {name}")
    return problems


class _Shifted:
    """A field of an anonymous record as its container sees it: its offset the record's plus
    its own."""

    def __init__(self, one: Any, base: int) -> None:
        self.type, self._offset, self._base = one.type, one.get_field_offsetof(), base

    def get_field_offsetof(self) -> int:
        return self._base + self._offset if min(self._base, self._offset) >= 0 else -1


def _member_problems(
    member: Any, offset: int, seen: Any, arch: Arch, align_arch: Arch, ci: Any, at: str
) -> list[str]:
    problems = []
    got = seen.get_field_offsetof()
    if got < 0 or got % 8:
        problems.append(f"{at}: offset: expected {offset}, actual none (error {got})")
    elif got // 8 != offset:
        problems.append(f"{at}: offset: expected {offset}, actual {got // 8}")
    msize = max(seen.type.get_size(), 0)  # a flexible array has none (clang says -2)
    if msize != member.kind.size(arch):
        problems.append(f"{at}: size: expected {member.kind.size(arch)}, actual {msize}")
    spelled = seen.type
    while spelled.kind in (ci.TypeKind.CONSTANTARRAY, ci.TypeKind.INCOMPLETEARRAY):
        spelled = spelled.element_type
    kind = member.kind
    while isinstance(kind, Array | FlexibleArray):
        kind = kind.element
    if isinstance(kind, Inline):  # its members are checked as a record of their own
        record = spelled.get_declaration().type
        return problems + struct_problems(kind.struct, record, arch, align_arch, ci)
    expected_type = member.kind.c_type_name
    if spelled.spelling != expected_type:
        problems.append(f"{at}: type: expected {expected_type}, actual {spelled.spelling}")
    return problems
