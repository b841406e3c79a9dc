"""Kinds made of other kinds: nested structs and fixed-length arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import dataclass
from ..arch import HOST_REFERENCE, Arch
from .base import LOOP_VARIABLES, KernelCheck, Kind

if TYPE_CHECKING:
    from ..direction import Direction
    from ..nodes import Struct


@dataclass(frozen=True)
class Nested(Kind):
    """A non-command struct embedded by value."""

    struct: Struct
    typedef: str | None = None  # a classic header's typedef of the record it is written as

    def size(self, arch: Arch) -> int:
        return self.struct.layout(arch).size

    def align(self, arch: Arch) -> int:
        return self.struct.layout(arch).align

    @cached_property
    def c_type(self) -> str:
        return self.typedef or f"{self.struct.c_keyword} {self.struct.name}"

    meaning = "struct"

    @cached_property
    def rust_type(self) -> str:
        return self.struct.rust_name

    @cached_property
    def py_format(self) -> str:
        return f"{self.struct.size}s"

    def py_format_on(self, arch: Arch) -> str:
        return f"{self.struct.layout(arch).size}s"

    @cached_property
    def rust_zero(self) -> str:
        return f"{self.struct.rust_name}::ZERO"

    @cached_property
    def fixed_width(self) -> bool:
        return self.struct.extensible_style

    @cached_property
    def py_blob(self) -> bool:
        """Whether Python holds it as the bytes of it (a union or an inline record) rather than
        as its own dataclass."""
        return self.struct.union

    @cached_property
    def _py_blob_zero(self) -> str:
        return f"bytes({self.struct.py_size_name})"

    @cached_property
    def carries_pointer(self) -> bool:
        return self.struct.carries_pointer

    @cached_property
    def layout_by_rules(self) -> bool:
        return all(m.kind.layout_by_rules for m in self.struct.members)

    @cached_property
    def shape(self) -> tuple[object, ...]:
        return ("struct", self.struct.name)

    def c_checks(
        self, expr: str, direction: Direction | None, depth: int
    ) -> tuple[KernelCheck, ...]:
        # Its members go the way of the member that holds the struct.
        return tuple(
            check
            for member in self.struct.members
            for check in member.c_checks(f"{expr}.{member.name}", direction, depth)
        )

    @cached_property
    def py_annotation(self) -> str:
        return "bytes" if self.py_blob else self.struct.rust_name

    @cached_property
    def py_zero(self) -> str:
        return self._py_blob_zero if self.py_blob else f"{self.struct.rust_name}()"

    @cached_property
    def py_default(self) -> str:
        if self.py_blob:
            return self._py_blob_zero
        return f"dataclasses.field(default_factory={self.struct.rust_name})"

    def py_pack(self, expr: str) -> str:
        return expr if self.py_blob else f"{expr}.pack()"

    def py_from_raw(self, expr: str) -> str:
        return expr if self.py_blob else f"{self.struct.rust_name}.unpack({expr})"

    @cached_property
    def py_raw_types(self) -> tuple[str, ...]:
        return ("bytes",)

    def py_arg(self, expr: str, what: str) -> str:
        return f'_instance({expr}, {self.py_annotation}, "{what}")'

    py_arg_helpers = frozenset({"_instance"})


@dataclass(frozen=True)
class Inline(Nested):
    """A struct or union defined where it is used, `union { ... } u;`, or anonymous (C11: its
    members are the enclosing record's, `name` is empty)."""

    anonymous: bool = False

    @cached_property
    def c_type(self) -> str:
        return self.struct.c_keyword

    py_blob = True

    def c_lines(self, name: str) -> tuple[str, ...]:
        body = tuple(f"\t{line}" for line in self.struct.c_body)
        attribute = " __attribute__((packed))" if self.struct.packed else ""
        closing = f"}}{attribute};" if self.anonymous else f"}}{attribute} {name};"
        return (f"{self.struct.c_keyword} {{", *body, closing)

    @cached_property
    def shape(self) -> tuple[object, ...]:
        return ("inline", self.struct.c_keyword, tuple(m.kind.shape for m in self.struct.members))


@dataclass(frozen=True)
class Array(Kind):
    """A fixed-length array; its length may be spelled by a constant."""

    element: Kind
    length: int
    length_name: str | None = None

    def size(self, arch: Arch) -> int:
        return self.element.size(arch) * self.length

    def align(self, arch: Arch) -> int:
        return self.element.align(arch)

    @cached_property
    def layout_by_rules(self) -> bool:
        return self.element.layout_by_rules

    @cached_property
    def c_type(self) -> str:
        return self.element.c_type

    @cached_property
    def c_suffix(self) -> str:
        return f"[{self.length_name or self.length}]{self.element.c_suffix}"

    def c_lines(self, name: str) -> tuple[str, ...]:
        """An array of an inline record is the record's body, then the name and its length."""
        if isinstance(self.element, Inline):
            return self.element.c_lines(f"{name}[{self.length_name or self.length}]")
        return super().c_lines(name)

    @cached_property
    def meaning(self) -> str:
        return self.element.meaning

    @cached_property
    def rust_type(self) -> str:
        return f"[{self.element.rust_type}; {self.length_name or self.length}]"

    @cached_property
    def py_format(self) -> str:
        return self.py_format_on(HOST_REFERENCE)

    def py_format_on(self, arch: Arch) -> str:
        element = self.element.py_format_on(arch)
        if self.is_bytes or element == "B":
            return f"{self.length}s"
        return element * self.length

    @cached_property
    def is_bytes(self) -> bool:
        """An array of bytes (u8, char): a C string in the safe layers, `bytes` in Python."""
        return self.element.py_is_byte

    @cached_property
    def fixed_width(self) -> bool:
        return self.element.fixed_width

    @cached_property
    def rust_c_type(self) -> str:
        return f"[{self.element.rust_c_type}; {self.spelled_length}]"

    @cached_property
    def rust_packed_type(self) -> str:
        return f"[{self.element.rust_packed_type}; {self.spelled_length}]"

    @cached_property
    def carries_pointer(self) -> bool:
        return self.element.carries_pointer

    @cached_property
    def shape(self) -> tuple[object, ...]:
        return ("array", self.element.shape, self.length)

    @cached_property
    def c_resolved(self) -> str:
        return f"{self.element.c_resolved}[{self.length}]"

    @cached_property
    def c_type_name(self) -> str:
        """The element's: a compiler reports an array member's type as its element's."""
        return self.element.c_type_name

    def c_checks(
        self, expr: str, direction: Direction | None, depth: int
    ) -> tuple[KernelCheck, ...]:
        if depth == len(LOOP_VARIABLES):
            raise ValueError(f"{expr}: arrays nest deeper than {depth} levels")
        i = LOOP_VARIABLES[depth]
        loop = f"for ({i} = 0; {i} < {self.spelled_length}; {i}++)"
        return tuple(
            KernelCheck((loop, *check.loops), check.condition)
            for check in self.element.c_checks(f"{expr}[{i}]", direction, depth + 1)
        )

    @cached_property
    def spelled_length(self) -> str:
        return self.length_name or str(self.length)

    @cached_property
    def rust_field_type(self) -> str:
        return f"[{self.element.rust_field_type}; {self.spelled_length}]"

    @cached_property
    def rust_zero(self) -> str:
        return f"[{self.element.rust_zero}; {self.spelled_length}]"

    @cached_property
    def rust_arg_type(self) -> str:
        return "&CStr" if self.is_bytes else self.rust_field_type

    def rust_store(self, var: str, name: str) -> str:
        if self.is_bytes:
            return f'copy_cstr(&mut {var}.{name}, {name}, "{name.removeprefix("r#")}")?;'
        return f"{var}.{name} = {name};"

    @cached_property
    def rust_out_type(self) -> str:
        return "CString" if self.is_bytes else self.rust_field_type

    def rust_load(self, expr: str) -> str:
        return f"to_cstring(&{expr})" if self.is_bytes else expr

    @cached_property
    def py_count(self) -> int:
        return 1 if self.is_bytes else self.length * self.element.py_count

    @cached_property
    def py_annotation(self) -> str:
        return "bytes" if self.is_bytes else f"tuple[{self.element.py_annotation}, ...]"

    @cached_property
    def py_zero(self) -> str:
        if self.is_bytes:
            return f'b"\\0" * {self.spelled_length}'
        return f"({self.element.py_zero},) * {self.length}"

    @cached_property
    def py_arg_default(self) -> str:
        return 'b""' if self.is_bytes else self.py_zero

    @cached_property
    def py_default(self) -> str:
        if self.is_bytes:
            return self.py_zero
        return f"dataclasses.field(default_factory=lambda: {self.py_zero})"

    def py_pack(self, expr: str) -> str:
        if self.is_bytes:
            return expr
        return f"*{self._py_values(expr, 0)}"

    def _py_values(self, expr: str, depth: int) -> str:
        """A generator of the values `struct` packs for the array `expr`, an array of arrays
        flattened (`depth`: how deep in such arrays `expr` is)."""
        var = "e" if depth == 0 else f"e{depth}"
        element = self.element
        if isinstance(element, Array) and not element.is_bytes:
            return f"(v for {var} in {expr} for v in {element._py_values(var, depth + 1)})"
        return f"({element.py_pack(var)} for {var} in {expr})"

    def py_arg_packed(self, expr: str, what: str) -> tuple[str, str]:
        if self.is_bytes:
            return super().py_arg_packed(expr, what)
        star, element = self.element.py_arg_packed("e", what)
        assert not star, "arrays of arrays are not a member kind"
        return "*", f'_array({expr}, {self.length}, "{what}", lambda e: {element})'

    def py_unpack(self, values: str, index: int) -> str:
        if self.is_bytes:
            return f"{values}[{index}]"
        return self._py_rows(values, str(index), 0)

    def _py_rows(self, values: str, start: str, depth: int) -> str:
        """The array from the unpacked `values`, its first at index `start` (an expression),
        an array of arrays as tuples of tuples."""
        element = self.element
        if isinstance(element, Array) and not element.is_bytes:
            var = f"i{depth}"
            row = element._py_rows(values, f"{start} + {element.py_count} * {var}", depth + 1)
            return f"tuple({row} for {var} in range({self.length}))"
        if start.isdigit():
            bounds = f"{start}:{int(start) + self.py_count}"
        else:  # a slice of expressions is spaced as PEP 8 (and ruff format) want it
            bounds = f"{start} : {start} + {self.py_count}"
        return f"tuple({element.py_from_raw('v')} for v in {values}[{bounds}])"

    @cached_property
    def py_arg_annotation(self) -> str:
        if self.is_bytes:
            return "str | bytes"
        return f"Sequence[{self.element.py_arg_annotation}]"

    def py_arg(self, expr: str, what: str) -> str:
        if self.is_bytes:
            return f'_cstring({expr}, {self.spelled_length}, "{what}")'
        element = self.element.py_arg("e", what)
        return f'_array({expr}, {self.length}, "{what}", lambda e: {element})'

    @cached_property
    def py_arg_helpers(self) -> frozenset[str]:
        if self.is_bytes:
            return frozenset({"_cstring"})
        return frozenset({"_array"}) | self.element.py_arg_helpers

    @cached_property
    def py_out_annotation(self) -> str:
        return "str" if self.is_bytes else self.py_annotation

    def py_out(self, expr: str) -> str:
        # Inline, not a helper: a call costs as much as the decoding.
        if self.is_bytes:
            return f'{expr}.partition(b"\\0")[0].decode("utf-8", "surrogateescape")'
        return expr
