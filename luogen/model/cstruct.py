"""How the uapi header spells a struct: its keyword and attributes, the kernel-doc names of its
members, and the lines of its body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cached import cached_property
from ..text import WIDTH, c_comment
from .kinds import Inline

if TYPE_CHECKING:
    from .nodes import Member
    from .values import UnionName


class CStruct:
    if TYPE_CHECKING:

        @property
        def members(self) -> tuple[Member, ...]: ...
        @property
        def union(self) -> bool: ...
        @property
        def packed(self) -> bool: ...
        @property
        def aligned(self) -> int | None: ...

    @cached_property
    def c_keyword(self) -> str:
        return "union" if self.union else "struct"

    @cached_property
    def c_attributes(self) -> str:
        """What follows the closing brace of its definition."""
        words = ["packed"] * self.packed + [f"aligned({self.aligned})"] * bool(self.aligned)
        return f" __attribute__(({', '.join(words)}))" if words else ""

    @cached_property
    def kdoc_members(self) -> tuple[tuple[str, Member | UnionName], ...]:
        """(kernel-doc name, member or other name of one): an anonymous record's are its
        container's, `name.x`; a member's other names come before it."""
        found: list[tuple[str, Member | UnionName]] = []
        for member in self.members:
            inner = member.kind.struct if isinstance(member.kind, Inline) else None
            found += [(other.name, other) for other in member.union_names]
            if inner is None or member.name:
                found.append((member.name, member))
            if inner is not None:
                prefix = f"{member.name}." if member.name else ""
                found += [(prefix + n, d) for n, d in inner.kdoc_members]
        return tuple(found)

    @cached_property
    def c_body(self) -> tuple[str, ...]:
        """The lines between the braces of its C definition, one tab less than they stand."""
        return tuple(line for m in self.members for line in (*c_doc(m), *c_member_lines(m)))


def c_member_lines(member: Member) -> tuple[str, ...]:
    """The member's declaration in its struct's body; with other names, an anonymous union of
    them and it, in that order."""
    if not member.union_names:
        return member.kind.c_lines(member.name)
    return ("union {", *(f"\t{member.kind.c_declaration(n)};" for n in member.c_names), "};")


def c_doc(member: Member) -> tuple[str, ...]:
    """An anonymous member's doc, which kernel-doc has no @name for, as the comment lines above
    it in its struct's body (which may be nested: they wrap 16 columns short)."""
    if member.name or not member.doc.blocks:
        return ()
    return tuple(c_comment(member.doc.blocks, width=WIDTH - 16).splitlines())
