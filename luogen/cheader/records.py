"""Structs and unions as clang lays them out, members as the header writes them, and the enums.

Layout (size, alignment, each member's bit offset) is clang's record layout for the target; how a
member's type is written comes from the header's text, because clang already expanded the macros
(`__aligned_u64 x` is `__u64 x __attribute__((aligned(8)))` to it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..records import dataclass
from .cursors import children
from .ir import (
    Array,
    CInt,
    Enum,
    EnumConstant,
    EnumType,
    Field,
    FlexibleArray,
    Location,
    Padding,
    Record,
    RecordType,
    TypeKind,
    Unreadable,
    Warn,
)
from .source import SourceFile, Sources, kdoc_members
from .types import TypeReader

_ATTRIBUTE_WORDS = re.compile(r"attribute|aligned|packed", re.I)
_SHIFTED = re.compile(r"<<|\bBIT(?:_ULL)?\s*\(|\b_BITU?L?L?\s*\(")


def contained(kind: TypeKind) -> Iterator[RecordType | EnumType]:
    """The records and enums a member of this kind holds by value."""
    if isinstance(kind, RecordType | EnumType):
        yield kind
    elif isinstance(kind, Array | FlexibleArray):
        yield from contained(kind.element)


def padding(tag: str, size: int, fields: Iterable[Field]) -> tuple[Padding, ...]:
    """The bits no member covers: holes between members, and the tail up to `size`."""
    spans = sorted(
        (f.offset_bits, f.offset_bits + (f.size * 8 if f.bit_width is None else f.bit_width))
        for f in fields
    )
    total, found = size * 8, []
    if tag == "union":
        used = max((end - start for start, end in spans), default=0)
    else:
        used = 0
        for start, end in spans:
            if start > used:
                found.append(Padding(used, start - used, tail=False))
            used = max(used, end)
    if total > used:
        found.append(Padding(used, total - used, tail=True))
    return tuple(found)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class _Written:
    spelling: str
    suffix: str
    macro: str | None


class RecordReader:
    def __init__(self, ci: Any, types: TypeReader, sources: Sources, locate: Any, warn: Warn):
        self._ci = ci
        self._types = types
        self._sources = sources
        self._locate = locate
        self._warn = warn
        kinds = ci.CursorKind
        self._attribute_kinds = (kinds.PACKED_ATTR, kinds.ALIGNED_ATTR)
        # Anonymous records: the kernel-doc of the record they are members of, and their path.
        self._nested: dict[RecordType, tuple[dict[str, str], str]] = {}

    def read(self, roots: Iterable[RecordType]) -> tuple[list[Record], list[EnumType]]:
        """Every record in `roots` and every record and enum they contain, transitively."""
        queue, seen = list(roots), set()
        records, enums = [], []
        while queue:
            record_type = queue.pop()
            if record_type in seen:
                continue
            seen.add(record_type)
            kdoc, prefix = self._nested.get(record_type, ({}, ""))
            record = self._record(record_type, self._types.decls[record_type], kdoc, prefix)
            if record is None:
                continue
            records.append(record)
            for field in record.fields:
                for inner in contained(field.kind):
                    if isinstance(inner, RecordType):
                        queue.append(inner)
                    elif inner not in enums:
                        enums.append(inner)
        return sorted(records, key=lambda r: (r.type.location, r.type.depth)), enums

    def _record(
        self, record_type: RecordType, decl: Any, kdoc: dict[str, str], prefix: str
    ) -> Record | None:
        size, align = decl.type.get_size(), decl.type.get_align()
        location = record_type.location
        if size < 0:
            self._warn(location, "incomplete-record", f"{record_type} is declared but not "
                       "defined here: its layout is unknown")  # fmt: skip
            return None
        source = self._sources.get(decl.location.file.name)
        comment = source.above(decl.extent.start.line)
        if comment is not None and comment.kdoc:
            kdoc, prefix = kdoc_members(comment.text), ""
        cursors = list(decl.type.get_fields())  # with the unnamed fields of anonymous members
        fields = tuple(self._fields(cursors, source, kdoc, prefix))
        attrs = {c.kind: c for c in children(self._ci, decl, self._attribute_kinds)}
        return Record(
            type=record_type,
            typedef=self._types.typedef_of(decl),
            size=size,
            align=align,
            packed=self._ci.CursorKind.PACKED_ATTR in attrs,
            fields=fields,
            padding=padding(record_type.tag, size, fields),
            doc=comment.cleaned if comment is not None else None,
            aligned=_aligned(attrs.get(self._ci.CursorKind.ALIGNED_ATTR), align),
        )

    def _fields(
        self, cursors: list[Any], source: SourceFile, kdoc: dict[str, str], prefix: str
    ) -> Iterator[Field]:
        group_start, group_spec = None, ""
        for cursor in cursors:
            kind, typedefs = self._types.kind(cursor.type)
            location = self._locate(cursor)
            if isinstance(kind, Unreadable):
                self._warn(location, "unknown-type", f"member {cursor.spelling or '(unnamed)'}: "
                           f"clang type {kind.spelling} has no kind the reader knows")  # fmt: skip
            # clang spells an anonymous member by its record: `union s::(anonymous at f.h:2:3)`
            # (a macro's members, __struct_group's `struct { ... } frame`, share one location).
            anonymous = isinstance(kind, RecordType) and (
                "(anonymous" in cursor.spelling or "(unnamed" in cursor.spelling
            )
            name = None if anonymous or not cursor.spelling else cursor.spelling
            start = (cursor.extent.start.line, cursor.extent.start.column)
            if start != group_start:
                group_start, group_spec = start, ""
            written, group_spec = self._written(cursor, name, kind, source, group_spec)
            if isinstance(kind, RecordType) and kind.name is None:
                # An anonymous record's members are documented as its parent's (kernel-doc
                # `@member:` or `@outer.member:`).
                inner_prefix = prefix if name is None else f"{prefix}{name}."
                self._nested[kind] = (kdoc, inner_prefix)
            attributes = self._attributes(cursor, written)
            yield Field(
                name=name,
                location=location,
                offset_bits=cursor.get_field_offsetof(),
                size=max(cursor.type.get_size(), 0),
                align=max(cursor.type.get_align(), 0),
                bit_width=cursor.get_bitfield_width() if cursor.is_bitfield() else None,
                spelling=written.spelling,
                suffix=written.suffix,
                macro=written.macro,
                typedefs=typedefs,
                kind=kind,
                attributes=tuple(attributes),
                kdoc=kdoc.get(f"{prefix}{name}") if name else None,
                comment=source.doc(start[0], (cursor.extent.end.line, cursor.extent.end.column)),
            )

    def _attributes(self, cursor: Any, written: _Written) -> list[str]:
        """packed or aligned on the member itself. Only a declaration whose words say so can
        have one (__aligned_u64, __attribute__((aligned(8))), __packed): clang is asked then."""
        text = f"{written.spelling} {written.suffix} {written.macro or ''}"
        if not _ATTRIBUTE_WORDS.search(text):
            return []
        return sorted(c.kind.name.removesuffix("_ATTR").lower()
                      for c in children(self._ci, cursor, self._attribute_kinds))  # fmt: skip

    def _written(
        self, cursor: Any, name: str | None, kind: TypeKind, source: SourceFile, group_spec: str
    ) -> tuple[_Written, str]:
        """How the member's type is written, and the declaration specifiers its group shares
        (`__u32 a, *b;`: b is `__u32 *`)."""
        extent = cursor.extent
        start = (extent.start.line, extent.start.column)
        end = (extent.end.line, extent.end.column)
        if isinstance(kind, RecordType) and kind.name is None:
            return _Written(f"{kind.tag} {{...}}", "", None), group_spec
        text = source.slice(start, end)
        if name is None:  # an unnamed bit-field
            before, _, width = text.rpartition(":")
            after = f": {width.strip()}"
        else:
            at = (cursor.location.line, cursor.location.column)
            past = (at[0], at[1] + len(name))
            if source.slice(at, past) != name:  # declared by a macro: only clang's words remain
                macro = re.match(r"\s*(\w+)", text)
                spelled = _words(cursor.type.spelling)
                return _Written(spelled, "", macro.group(1) if macro else None), group_spec
            before, after = source.slice(start, at), source.slice(past, end)
        _, comma, own = before.rpartition(",")
        if not comma:  # the first declarator: what precedes its first `*` is the group's
            return _Written(_words(before), _words(after), None), before.split("*", 1)[0]
        return _Written(_words(f"{group_spec} {own}"), _words(after), None), group_spec

    def enum(self, decl: Any) -> Enum:
        location = self._locate(decl)
        source = self._sources.get(decl.location.file.name)
        comment = source.above(decl.extent.start.line)
        kdoc = kdoc_members(comment.text) if comment is not None and comment.kdoc else {}
        underlying, _ = self._types.kind(decl.enum_type)
        lib = self._ci.conf.lib
        signed = not isinstance(underlying, CInt) or underlying.signed
        value_of = lib.clang_getEnumConstantDeclValue if signed else \
            lib.clang_getEnumConstantDeclUnsignedValue  # fmt: skip
        file = location.file
        constants = []
        for cursor in children(self._ci, decl, (self._ci.CursorKind.ENUM_CONSTANT_DECL,)):
            extent = cursor.extent
            start, end = extent.start, extent.end
            start_at, end_at = (start.line, start.column), (end.line, end.column)
            _, equals, value = source.slice(start_at, end_at).partition("=")
            name = cursor.spelling
            constants.append(EnumConstant(
                name=name,
                location=Location(file, *start_at),  # its extent starts at its name
                value=value_of(cursor),
                spelling=_words(value) if equals else None,
                doc=kdoc.get(name) or source.doc(start_at[0], end_at),
            ))  # fmt: skip
        return Enum(
            type=EnumType(location=location, name=self._types.enum_type(decl).name),
            typedef=self._types.typedef_of(decl),
            underlying=underlying if isinstance(underlying, CInt) else CInt("int", True),
            size=decl.type.get_size(),
            constants=tuple(constants),
            doc=comment.cleaned if comment is not None else None,
            flag_like=flag_like(constants),
        )


def is_single_bit(value: int) -> bool:
    return value > 0 and value & (value - 1) == 0


def flag_like(constants: list[EnumConstant]) -> bool:
    """Every non-zero value a distinct single bit, and either three of them or written as shifts
    (0, 1, 2 alone is a count as much as flags)."""
    values = [c.value for c in constants if c.value != 0]
    if len(values) < 2 or len(set(values)) != len(values):
        return False
    if not all(is_single_bit(v) for v in values):
        return False
    shifted = any(c.spelling and _SHIFTED.search(c.spelling) for c in constants)
    return shifted or len(values) >= 3


def shifted_bit(spelling: str, value: int) -> bool:
    """Written as a shift of 1 and a single bit: (1 << 31) in an int is the sign bit alone."""
    single = is_single_bit(value) or (value < 0 and is_single_bit(-value))
    return bool(_SHIFTED.search(spelling)) and single


def _aligned(attribute: Any, align: int) -> int | None:
    """The N of a record's `aligned(N)` as written, else the alignment it gives the record."""
    if attribute is None:
        return None
    tokens = [t.spelling for t in attribute.get_tokens()]
    if len(tokens) == 4 and tokens[:2] == ["aligned", "("] and tokens[2].isdigit():
        return int(tokens[2])
    return align
