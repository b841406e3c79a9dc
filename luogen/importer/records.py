"""A real header's structs and unions as spec structs, anonymous members inline."""

from __future__ import annotations

from typing import Any

from ..cheader import ir
from .docs import from_comment
from .types import Needs, Unexpressible, dimensions, spelled


class Records:
    """Turns records into spec structs; `by_type` holds every record the reader saw."""

    def __init__(self, facts: ir.HeaderFacts) -> None:
        self.header = facts.header
        self.by_type = {r.type: r for r in facts.records}

    def struct(self, record: ir.Record, needs: Needs) -> dict[str, Any]:
        """The spec struct of a named record (Unexpressible when a member cannot be said)."""
        spec: dict[str, Any] = {
            "name": record.type.name,
            "doc": from_comment(record.doc, f"Undocumented in {record.type.location.file}."),
        }
        if record.type.tag == "union":
            spec["union"] = True
        if record.packed:
            spec["packed"] = True
        if record.aligned:
            spec["aligned"] = record.aligned
        spec["members"] = self.members(record, needs)
        return spec

    def members(self, record: ir.Record, needs: Needs) -> list[dict[str, Any]]:
        if not record.fields:
            raise Unexpressible(f"{record.type} has no members", "empty-record")
        return [self.member(f, record, needs) for f in record.fields]

    def member(self, field: ir.Field, record: ir.Record, needs: Needs) -> dict[str, Any]:
        if field.bit_width is not None:
            raise Unexpressible(f"{record.type} has a bit-field ('{field.name}')", "bit-field")
        if field.macro is not None:
            raise Unexpressible(
                f"member '{field.name}' is declared through macro {field.macro}", "macro-member"
            )
        if set(field.attributes) - {"aligned"} or (
            "aligned" in field.attributes and not field.spelling.startswith("__aligned_")
        ):
            raise Unexpressible(
                f"member '{field.name}' has attributes {field.attributes}", "member-attributes"
            )
        doc = from_comment(field.kdoc or field.comment, f"Undocumented in {field.location.file}.")
        member: dict[str, Any] = {"name": field.name} if field.name else {}
        member.update(self._kind(field, needs))
        member["doc"] = doc
        return member

    def _kind(self, field: ir.Field, needs: Needs) -> dict[str, Any]:
        kind = field.kind
        array: dict[str, Any] = {}
        if isinstance(kind, ir.FlexibleArray):
            if "[" not in field.suffix:
                raise Unexpressible(
                    f"member '{field.name}' is of an array type written through a typedef "
                    f"('{field.spelling}')",
                    "array-typedef",
                )
            if isinstance(kind.element, ir.Array):
                raise Unexpressible(
                    f"'{field.name}' is a flexible array of arrays", "flexible-array-of-arrays"
                )
            array = {"array": 0 if kind.zero_length else "flexible"}
            kind = kind.element
        elif isinstance(kind, ir.Array):
            if field.suffix.count("[") < len(kind.dims):
                raise Unexpressible(
                    f"member '{field.name}' is of an array type written through a typedef "
                    f"('{field.spelling}')",
                    "array-typedef",
                )
            array = {"array": dimensions(field.suffix, kind.dims, needs)}
            kind = kind.element
        if isinstance(kind, ir.RecordType) and kind.name is None:
            inner = self.by_type.get(kind)
            if inner is None:
                raise Unexpressible(f"{kind}: the reader has no definition of it", "no-definition")
            inline: dict[str, Any] = {"type": kind.tag}
            if inner.packed:
                inline["packed"] = True
            inline["members"] = self.members(inner, needs)
            return {**inline, **array}
        return {**spelled(kind, field.spelling, field.typedefs, needs), **array}
