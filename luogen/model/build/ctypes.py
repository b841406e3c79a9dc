"""The builder's reading of the C types classic headers use: C types as spelled, the spec's own
typedefs, native pointers, C enum types, and the array forms (several dimensions, flexible)."""

from __future__ import annotations

from typing import Any

from ...errors import suggest
from ...spec import PathKey
from .. import ctypes
from ..kinds import INTEGERS, Array, CEnum, CScalar, FlexibleArray, Kind, NativePointer, Nested
from ..nodes import Typedef
from .context import Context
from .declarations import Declarations

# luogen's own type names (the schema's examples list them for editors).
LUOGEN_TYPES = ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "fd", "ptr", "struct")
RECORD_TYPES = ("struct", "union")


class CTypes:
    """Resolves type spellings to kinds: C types luogen has facts for, and the spec's typedefs
    (a typedef of a typedef resolves to the first known type)."""

    def __init__(self, context: Context, declarations: Declarations) -> None:
        self.context = context
        self.declarations = declarations
        self.typedefs: dict[str, str] = {}  # name -> the known C type it ends at
        self.declared: list[Typedef] = []
        self.records: dict[str, str] = {}  # name -> the record it names: 'struct foo'

    def record_typedef(self, raw: dict[str, Any], kind: Kind | None, path: PathKey) -> Kind | None:
        """A nested record written through the typedef `raw` names, which must name it."""
        name = raw.get("typedef")
        if name is None or not isinstance(kind, Nested):
            return kind
        record = f"{kind.struct.c_keyword} {kind.struct.name}"
        if self.records.get(name) != record:
            self.context.error(
                self.context.at(*path, "typedef"),
                f"typedef '{name}' is not declared under 'typedefs' as '{record}'",
            )
            return kind
        return Nested(kind.struct, typedef=name)

    def declare_typedefs(self) -> None:
        context = self.context
        for i, item in enumerate(context.data.get("typedefs", [])):
            path = ("typedefs", i)
            where = context.at(*path, "name")
            tag, _, record = item["type"].partition(" ")
            if not (tag in RECORD_TYPES and record == item["name"]):  # C: names of two kinds
                context.claim(item["name"], "typedef", where, "lower")
            doc = context.doc(item["doc"], *path, "doc")
            self.declared.append(
                Typedef(item["name"], item["type"], doc, where, bool(item.get("external")))
            )
            if item["type"].split(" ")[0] in RECORD_TYPES:
                self.records[item["name"]] = item["type"]  # its record is checked where used
                continue
            base = self.typedefs.get(item["type"], item["type"])
            if not ctypes.known(base):
                hint = suggest(item["type"], [*ctypes.spellings(), *self.typedefs])
                context.error(
                    context.at(*path, "type"),
                    f"typedef '{item['name']}' names unknown C type '{item['type']}'{hint}",
                )
                continue
            self.typedefs[item["name"]] = base

    def named(self, spelling: str) -> CScalar | None:
        """The C type a spec writes by name, or None when luogen does not know it."""
        if spelling in self.typedefs:
            return CScalar(spelling, self.typedefs[spelling])
        if ctypes.known(spelling):
            return CScalar(spelling)
        return None

    def unknown(self, spelling: str, path: PathKey) -> None:
        choices = [*LUOGEN_TYPES, *RECORD_TYPES, "enum", "pointer", *ctypes.spellings()]
        hint = suggest(spelling, [*choices, *self.typedefs])
        self.context.error(self.context.at(*path, "type"), f"unknown type '{spelling}'{hint}")

    def pointer(self, raw: dict[str, Any], path: PathKey) -> Kind | None:
        if "to" not in raw:
            self.context.error(
                self.context.at(*path, "type"),
                f"member '{raw.get('name', '')}' is a pointer: say to what with 'to' "
                "(e.g. 'to: void')",
            )
            return None
        return NativePointer(raw["to"])

    def enum_type(self, raw: dict[str, Any], path: PathKey) -> Kind | None:
        name = raw.get("enum")
        enum = self.declarations.enums.get(name or "")
        if enum is None:
            where = self.context.at(*path, "enum" if name else "type")
            hint = suggest(name or "", self.declarations.enums)
            message = f"an enum type needs a known 'enum': '{name}'{hint}"
            self.context.unknown("enums", name or "", where, message)
            return None
        return CEnum(enum)

    def array_of(
        self, element: Kind, length: int | str | list[int | str], path: PathKey
    ) -> Kind | None:
        """`element` in the array form `length` spells: `x[4]`, `x[N]`, `x[4][N]`, `x[]`, `x[0]`."""
        if length == "flexible":
            return FlexibleArray(element)
        if length == 0:
            return FlexibleArray(element, zero_length=True)
        dims = length if isinstance(length, list) else [length]
        kind: Kind | None = element
        for dim in reversed(dims):
            kind = self._dimension(kind, dim, path) if kind is not None else None
        return kind

    def _dimension(self, element: Kind, length: int | str, path: PathKey) -> Kind | None:
        if isinstance(length, int):
            return Array(element, length)
        constant = self.declarations.constants.get(length)
        if constant is None:
            hint = suggest(length, self.declarations.constants)
            where = self.context.at(*path)
            self.context.unknown("constants", length, where, f"unknown constant '{length}'{hint}")
            return None
        if constant.value < 1:
            self.context.error(
                self.context.at(*path),
                f"array length {length} is {constant.value}: arrays must have at least one element",
            )
            return None
        return Array(element, constant.value, length)


def is_luogen_integer(spelling: str) -> bool:
    return spelling in INTEGERS
