"""What kind of C type a clang type is: a fixed-width uapi integer, a plain C one, a pointer, a
record, an enum, an array with all its dimensions, a flexible array member.

Whether an integer is fixed-width is a matter of the names it is written with: `__u64` is 64 bits
on every architecture though it is `unsigned long` on some and `unsigned long long` on others, while
`__kernel_size_t` follows the architecture. So the typedef chain is followed from the written type
inwards, and the first fixed-width name found decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .ir import (
    Array,
    CFloat,
    CInt,
    Endian,
    EnumType,
    FixedInt,
    FlexibleArray,
    Location,
    Pointer,
    RecordType,
    Tag,
    TypeKind,
    Unreadable,
)

FIXED_WIDTH = re.compile(
    r"^(?:__([us])(8|16|32|64|128)|__(le|be)(16|32|64)|(u?)int(8|16|32|64)_t|__sum16|__wsum)$"
)

Locate = Callable[[Any], Location]


def fixed_width(name: str) -> tuple[int, Endian] | None:
    """The width and byte order a fixed-width name promises, or None."""
    match = FIXED_WIDTH.match(name)
    if match is None:
        return None
    if name == "__sum16":
        return 16, "native"
    if name == "__wsum":
        return 32, "native"
    bits = match.group(2) or match.group(4) or match.group(6)
    endian: Endian = {"le": "little", "be": "big"}.get(match.group(3) or "", "native")  # type: ignore[assignment]
    return int(bits), endian


class TypeReader:
    def __init__(self, ci: Any, locate: Locate) -> None:
        self._ci = ci
        self._locate = locate
        self._record_kinds = (ci.CursorKind.STRUCT_DECL, ci.CursorKind.UNION_DECL)
        # The declaration of each record and enum a kind was made for, to read them afterwards.
        self.decls: dict[RecordType | EnumType, Any] = {}
        kinds = ci.TypeKind
        self._ints: dict[Any, tuple[str, bool]] = {
            kinds.CHAR_S: ("char", True), kinds.CHAR_U: ("char", False),
            kinds.SCHAR: ("signed char", True), kinds.UCHAR: ("unsigned char", False),
            kinds.SHORT: ("short", True), kinds.USHORT: ("unsigned short", False),
            kinds.INT: ("int", True), kinds.UINT: ("unsigned int", False),
            kinds.LONG: ("long", True), kinds.ULONG: ("unsigned long", False),
            kinds.LONGLONG: ("long long", True), kinds.ULONGLONG: ("unsigned long long", False),
            kinds.INT128: ("__int128", True), kinds.UINT128: ("unsigned __int128", False),
            kinds.BOOL: ("_Bool", False),
        }  # fmt: skip
        self._floats = {kinds.FLOAT: "float", kinds.DOUBLE: "double",
                        kinds.LONGDOUBLE: "long double"}  # fmt: skip

    def peel(self, t: Any) -> tuple[list[str], Any]:
        """The typedef names `t` goes through, outermost first, and the type below them."""
        kinds = self._ci.TypeKind
        names: list[str] = []
        while True:
            if t.kind == kinds.ELABORATED:
                t = t.get_named_type()
            elif t.kind == kinds.TYPEDEF:
                names.append(t.get_typedef_name() or t.spelling)
                t = t.get_declaration().underlying_typedef_type
            else:
                return names, t

    def kind(self, t: Any, leaf: Any = None) -> tuple[TypeKind, tuple[str, ...]]:
        """The kind of `t` and its typedef chain. `leaf` is the type an unsugared `t` (from
        __typeof__) was written with at its innermost level, to recover the names it used."""
        kinds = self._ci.TypeKind
        names, base = self.peel(t)
        canonical = base.get_canonical()
        shape = base if base.kind in (kinds.POINTER, kinds.CONSTANTARRAY,
                                      kinds.INCOMPLETEARRAY) else canonical  # fmt: skip
        if shape.kind == kinds.POINTER:
            return self._pointer(shape, leaf), tuple(names)
        if shape.kind in (kinds.CONSTANTARRAY, kinds.INCOMPLETEARRAY):
            return self._array(shape, leaf), tuple(names)
        if not names and leaf is not None:
            names, _ = self.peel(leaf)
        return self._scalar(canonical, names), tuple(names)

    def _pointer(self, t: Any, leaf: Any) -> Pointer:
        kinds = self._ci.TypeKind
        pointee = t.get_pointee()
        target = pointee.get_canonical()
        function = target.kind in (kinds.FUNCTIONPROTO, kinds.FUNCTIONNOPROTO)
        spelling, written = pointee.spelling, pointee
        if leaf is not None and pointee.get_canonical().spelling == leaf.get_canonical().spelling:
            spelling, written = leaf.spelling, leaf
        record, anonymous = None, False
        if self.peel(written)[0] and target.kind == kinds.RECORD:  # through a typedef
            spelled = target.spelling.removeprefix("const ").removeprefix("volatile ")
            # clang names a tagless record by its typedef: `an_t`, not `struct an_t`.
            anonymous = "(anonymous" in spelled or not spelled.startswith(("struct ", "union "))
            record = None if anonymous else spelled
        return Pointer(spelling, function, record, anonymous)

    def _array(self, t: Any, leaf: Any) -> TypeKind:
        kinds = self._ci.TypeKind
        dims: list[int] = []
        flexible = t.kind == kinds.INCOMPLETEARRAY
        element = t.element_type if flexible else t
        while True:
            _, base = self.peel(element)
            shape = base if base.kind == kinds.CONSTANTARRAY else base.get_canonical()
            if shape.kind != kinds.CONSTANTARRAY:
                break
            dims.append(shape.element_count)
            element = shape.element_type
        inner, _ = self.kind(element, leaf)
        if flexible:
            return FlexibleArray(Array(inner, tuple(dims)) if dims else inner, zero_length=False)
        if dims and dims[0] == 0:
            rest = tuple(dims[1:])
            return FlexibleArray(Array(inner, rest) if rest else inner, zero_length=True)
        return Array(inner, tuple(dims))

    def _scalar(self, canonical: Any, names: list[str]) -> TypeKind:
        kinds = self._ci.TypeKind
        if canonical.kind in self._ints:
            c_name, signed = self._ints[canonical.kind]
            for name in names:
                fixed = fixed_width(name)
                if fixed is not None and fixed[0] == canonical.get_size() * 8:
                    return FixedInt(name, fixed[0], signed, fixed[1])
            return CInt(c_name, signed)
        if canonical.kind in self._floats:
            return CFloat(self._floats[canonical.kind])
        if canonical.kind == kinds.RECORD:
            return self.record_type(canonical.get_declaration())
        if canonical.kind == kinds.ENUM:
            decl = canonical.get_declaration()
            return self.enum_type(decl)
        return Unreadable(canonical.spelling)

    def record_type(self, decl: Any) -> RecordType:
        tag: Tag = "union" if decl.kind == self._ci.CursorKind.UNION_DECL else "struct"
        spelled = decl.type.spelling
        named = spelled.startswith(f"{tag} ") and not decl.is_anonymous()
        location = self._locate(decl)
        depth = 0
        if not named:
            parent = decl.semantic_parent
            while parent is not None and parent.kind in self._record_kinds:
                depth += self._locate(parent) == location
                parent = parent.semantic_parent
        found = RecordType(tag, decl.spelling if named else None, location, depth)
        self.decls[found] = decl
        return found

    def enum_type(self, decl: Any) -> EnumType:
        named = decl.type.spelling.startswith("enum ") and not decl.is_anonymous()
        found = EnumType(decl.spelling if named else None, self._locate(decl))
        self.decls[found] = decl
        return found

    def typedef_of(self, decl: Any) -> str | None:
        """The name of `typedef struct { ... } name;`."""
        spelled = decl.type.spelling
        if decl.is_anonymous() or spelled.startswith(("struct ", "union ", "enum ")):
            return None
        return str(spelled)
