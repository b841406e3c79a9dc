"""Member kinds: each knows its size and alignment per architecture and its C, Rust and Python
spelling. Templates read these spellings; they never switch on a kind.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal, NamedTuple, cast

from .arch import Arch
from .names import rust_ident

if TYPE_CHECKING:
    from .nodes import Enum, FlagSet, Struct


class KernelCheck(NamedTuple):
    """A C condition the kernel tests before a command's handler, true when it must answer
    EOPNOTSUPP, inside `loops` (for-loop headers, outermost first) over arrays."""

    loops: tuple[str, ...]
    condition: str

    @property
    def c_statement(self) -> str:
        """The check as C statements, the first line indented by one tab, every line within
        the kernel's 100 columns (a tab counts 8): a long condition breaks after `&&`/`||`."""
        lines = ["\t" * (depth + 1) + header for depth, header in enumerate(self.loops)]
        tabs = "\t" * (len(self.loops) + 1)
        room = 100 - 8 * len(tabs) - len("if (") - len(")")
        parts = re.split(r"(?<= &&| \|\|) ", self.condition)
        wrapped = [parts[0]]
        for part in parts[1:]:
            if len(wrapped[-1]) + 1 + len(part) <= room:
                wrapped[-1] += " " + part
            else:
                wrapped.append(part)
        condition = f"\n{tabs}    ".join(wrapped)
        return "\n".join([*lines, f"{tabs}if ({condition})", f"{tabs}\treturn -EOPNOTSUPP;"])


# The loop variables of checks over arrays, by nesting depth.
LOOP_VARIABLES = "ijklmn"


class Kind(ABC):
    """The type of a struct member."""

    @abstractmethod
    def size(self, arch: Arch) -> int: ...

    @abstractmethod
    def align(self, arch: Arch) -> int: ...

    @property
    @abstractmethod
    def c_type(self) -> str:
        """The C type before the member name, e.g. `__aligned_u64` or `struct foo`."""

    @cached_property
    def c_suffix(self) -> str:
        """What follows the member name in C, e.g. `[LIVEUPDATE_SESSION_NAME_LENGTH]`."""
        return ""

    @property
    @abstractmethod
    def rust_type(self) -> str: ...

    @property
    @abstractmethod
    def py_format(self) -> str:
        """The `struct` module format of this member."""

    @cached_property
    def scalar(self) -> Integer | None:
        """The integer this kind is stored as, or None for arrays and structs."""
        return None

    @cached_property
    def summary(self) -> str:
        """How the docs name the type."""
        return f"{self.c_type}{self.c_suffix}"

    @cached_property
    def kdoc_note(self) -> str:
        """What the member's kdoc says about its values, beyond the spec's own doc."""
        return ""

    @cached_property
    def binding_note(self) -> str:
        """What the safe layers' docs say of the argument, beyond the member's own description."""
        return ""

    @cached_property
    def meaning(self) -> str:
        """What the value means beyond its C type (what the kernel checks it against); an ABI
        diff compares it."""
        return "integer"

    def c_unsupported(self, expr: str) -> str | None:
        """A C condition, true when the value at `expr` is one the kernel cannot support."""
        return None

    def c_checks(self, expr: str, depth: int) -> tuple[KernelCheck, ...]:
        """The kernel's checks of an input value at `expr`, `depth` loops deep."""
        condition = self.c_unsupported(expr)
        return (KernelCheck((), condition),) if condition else ()

    # --- bindings: how the Rust and Python targets spell this kind --------------------------
    # Raw layer: the field of a #[repr(C)] struct / a value in a `struct.Struct` tuple. Safe
    # layer: the argument a method takes for an input member and the value it returns for an
    # output member. Each `*_store`/`*_arg`/`*_load` spelling is an expression or statement the
    # templates paste as is.

    @cached_property
    def rust_field_type(self) -> str:
        """The type of the member in the raw `#[repr(C)]` struct (enums and flags typed)."""
        return self.rust_type

    @cached_property
    def rust_zero(self) -> str:
        """A constant expression of the all-zero value."""
        return "0"

    @cached_property
    def rust_arg_type(self) -> str:
        """What a safe method takes for an input member."""
        return self.rust_field_type

    def rust_store(self, var: str, name: str) -> str:
        """Statements storing the safe argument `name` into the field `name` of the raw struct
        `var`."""
        return f"{var}.{name} = {name};"

    @cached_property
    def rust_out_type(self) -> str:
        """What a safe method returns for an output member."""
        return self.rust_field_type

    def rust_load(self, expr: str) -> str:
        """An expression (it may use `?`) turning the raw field `expr` into `rust_out_type`."""
        return expr

    @cached_property
    def carries_pointer(self) -> bool:
        """True when the kernel follows a user pointer held here whose memory the safe layer
        cannot vouch for (its safe method is unsafe)."""
        return False

    @cached_property
    def py_count(self) -> int:
        """How many values this member is in the tuple its struct's `struct.Struct` packs."""
        return 1

    @cached_property
    def py_annotation(self) -> str:
        """The annotation of the member in the raw Python class."""
        return "int"

    @cached_property
    def py_zero(self) -> str:
        """An expression of the all-zero value."""
        return "0"

    @cached_property
    def py_default(self) -> str:
        """The dataclass default of the member: its all-zero value."""
        return self.py_zero

    def py_pack(self, expr: str) -> str:
        """`expr` (the member) spelled as argument(s) of `struct.Struct.pack`."""
        return expr

    def py_arg_packed(self, expr: str, what: str) -> tuple[str, str]:
        """The argument `expr` checked (`py_arg`) and spelled as argument(s) of
        `struct.Struct.pack`: ("*", iterable) when it is several, else ("", value)."""
        return "", self.py_pack(self.py_arg(expr, what))

    def py_from_raw(self, expr: str) -> str:
        """One unpacked value `expr` turned into the member's Python value."""
        return expr

    @cached_property
    def py_raw_types(self) -> tuple[str, ...]:
        """The types of the values this member unpacks to (`py_count` of them)."""
        return ("bytes",) if self.py_format.endswith("s") else ("int",) * self.py_count

    @cached_property
    def py_zero_values(self) -> str:
        """The all-zero member as argument(s) of `struct.Struct.pack`."""
        if self.py_format.endswith("s"):
            return 'b""'
        return ", ".join(["0"] * self.py_count)

    def py_unpack(self, values: str, index: int) -> str:
        """The member's value from the unpacked tuple `values`, where it starts at `index`."""
        return self.py_from_raw(f"{values}[{index}]")

    @cached_property
    def py_arg_annotation(self) -> str:
        """What a safe method takes for an input member."""
        return self.py_annotation

    def py_arg(self, expr: str, what: str) -> str:
        """An expression validating the argument `expr` (ValueError naming `what`) and
        converting it to what `py_pack` takes."""
        scalar = self.scalar
        if scalar is None:
            return expr
        return f'_int({expr}, {scalar.min_value}, {scalar.max_value}, "{what}")'

    @cached_property
    def py_out_annotation(self) -> str:
        """What a safe method returns for an output member."""
        return self.py_annotation

    def py_out(self, expr: str) -> str:
        """The member's value `expr` (as `py_unpack` spells it) turned into what a safe method
        returns."""
        return expr


@dataclass(frozen=True)
class Integer(Kind):
    bits: int
    signed: bool

    @cached_property
    def name(self) -> str:
        return f"{'s' if self.signed else 'u'}{self.bits}"

    @cached_property
    def nbytes(self) -> int:
        return self.bits // 8

    def size(self, arch: Arch) -> int:
        return self.nbytes

    def align(self, arch: Arch) -> int:
        # An unsigned 64-bit member is always spelled __aligned_u64, which is 8 everywhere. A
        # signed one stays a plain __s64 (4-aligned on i386, 2 on m68k): __aligned_s64 is too
        # new for the uapi headers of 6.1-era userspace, and the no-hole rule keeps the layout.
        if self.bits == 64 and not self.signed:
            return 8
        return arch.align_of(self.nbytes)

    @cached_property
    def c_type(self) -> str:
        if self.bits == 64 and not self.signed:
            return "__aligned_u64"
        return f"__{self.name}"

    @cached_property
    def rust_type(self) -> str:
        return f"{'i' if self.signed else 'u'}{self.bits}"

    @cached_property
    def py_format(self) -> str:
        letter = {8: "b", 16: "h", 32: "i", 64: "q"}[self.bits]
        return letter if self.signed else letter.upper()

    @cached_property
    def scalar(self) -> Integer:
        return self

    @cached_property
    def min_value(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @cached_property
    def max_value(self) -> int:
        return (1 << (self.bits - (1 if self.signed else 0))) - 1


INTEGERS = {i.name: i for i in (Integer(b, s) for b in (8, 16, 32, 64) for s in (False, True))}


@dataclass(frozen=True)
class Fd(Kind):
    """A file descriptor: `__s32`, -1 when none."""

    def size(self, arch: Arch) -> int:
        return 4

    def align(self, arch: Arch) -> int:
        return arch.align_of(4)

    c_type = "__s32"
    rust_type = "i32"
    py_format = "i"
    summary = "fd (__s32)"
    meaning = "fd"

    @cached_property
    def scalar(self) -> Integer:
        return INTEGERS["s32"]

    rust_arg_type = "BorrowedFd<'_>"
    rust_out_type = "OwnedFd"

    def rust_store(self, var: str, name: str) -> str:
        return f"{var}.{name} = {name}.as_raw_fd();"

    def rust_load(self, expr: str) -> str:
        return f"owned_fd({expr})?"

    def py_arg(self, expr: str, what: str) -> str:
        return f'_int({expr}, 0, {INTEGERS["s32"].max_value}, "{what}")'

    def py_out(self, expr: str) -> str:
        return f"_fd({expr})"


@dataclass(frozen=True)
class UserPointer(Kind):
    """A pointer into the caller's memory, carried as `__aligned_u64` on every architecture."""

    def size(self, arch: Arch) -> int:
        return 8

    def align(self, arch: Arch) -> int:
        return 8

    c_type = "__aligned_u64"
    rust_type = "u64"
    meaning = "user pointer"
    py_format = "Q"
    summary = "user pointer (__aligned_u64)"

    @cached_property
    def scalar(self) -> Integer:
        return INTEGERS["u64"]

    @cached_property
    def rust_arg_type(self) -> str:
        return "*mut c_void"

    carries_pointer = True

    def rust_store(self, var: str, name: str) -> str:
        return f"{var}.{name} = {name} as usize as u64;"


@dataclass(frozen=True)
class UserBuffer(UserPointer):
    """A user pointer to `length` bytes, `length` being another member of the struct: the safe
    layers take a byte buffer and fill both members from it, so they need no `unsafe`."""

    direction: Literal["in", "out"]  # "in": the kernel reads the bytes; "out": it writes them
    length: str
    length_kind: Integer

    carries_pointer = False

    @cached_property
    def rust_arg_type(self) -> str:
        return "&[u8]" if self.direction == "in" else "&mut [u8]"

    def rust_store(self, var: str, name: str) -> str:
        pointer = "as_ptr" if self.direction == "in" else "as_mut_ptr"
        what = name.removeprefix("r#")
        return (
            f"{var}.{name} = {name}.{pointer}() as usize as u64;\n"
            f'{var}.{rust_ident(self.length)} = buffer_len({name}.len(), "{what}")?;'
        )

    @cached_property
    def binding_note(self) -> str:
        access = "reads" if self.direction == "in" else "writes into"
        return f"A byte buffer the kernel {access}; its length goes into `{self.length}`."

    @cached_property
    def py_arg_annotation(self) -> str:
        if self.direction == "in":
            return "bytes | bytearray | memoryview | UserBuffer"
        return "bytearray | memoryview | UserBuffer"

    def py_arg(self, expr: str, what: str) -> str:
        """A `_Memory` (keeper, address, length) for the buffer `expr` (a method takes the one a
        UserBuffer carries first); the method packs its address here and its length into the
        length member."""
        writable = self.direction == "out"
        return f'_memory({expr}, {writable}, {self.length_kind.max_value}, "{what}")'


@dataclass(frozen=True)
class EnumStorage(Kind):
    """An integer member that holds one value of an enum."""

    storage: Integer
    enum: Enum | FlagSet

    def size(self, arch: Arch) -> int:
        return self.storage.size(arch)

    def align(self, arch: Arch) -> int:
        return self.storage.align(arch)

    @cached_property
    def c_type(self) -> str:
        return self.storage.c_type

    @cached_property
    def rust_type(self) -> str:
        return self.storage.rust_type

    @cached_property
    def py_format(self) -> str:
        return self.storage.py_format

    @cached_property
    def scalar(self) -> Integer:
        return self.storage

    @cached_property
    def summary(self) -> str:
        return f"{self.storage.c_type} (enum {self.enum.name})"

    @cached_property
    def meaning(self) -> str:
        return f"enum {self.enum.name}"

    @cached_property
    def rust_field_type(self) -> str:
        return self.enum.rust_name

    @cached_property
    def rust_zero(self) -> str:
        return f"{self.enum.rust_name}(0)"

    @cached_property
    def py_annotation(self) -> str:
        return f"{self.enum.rust_name} | int"

    def py_from_raw(self, expr: str) -> str:
        # A dict look-up: calling an IntEnum class is several times slower. (FlagStorage
        # overrides this: here the values are an Enum's.)
        by_value = cast("Enum", self.enum).py_by_value
        return f"{by_value}.get({expr}, {expr})"

    @cached_property
    def py_arg_annotation(self) -> str:
        return f"{self.enum.rust_name} | int"

    @cached_property
    def kdoc_note(self) -> str:
        return f"A value of &enum {self.enum.name}."

    def c_unsupported(self, expr: str) -> str | None:
        values = sorted(self.enum.values, key=lambda v: v.value)
        low, high = values[0], values[-1]
        if high.value - low.value + 1 == len(values):  # contiguous: a range check
            if low.value == 0 and not self.storage.signed:
                return f"{expr} > {high.name}"
            return f"{expr} < {low.name} || {expr} > {high.name}"
        return " && ".join(f"{expr} != {v.name}" for v in values)


@dataclass(frozen=True)
class FlagStorage(EnumStorage):
    """An integer member that holds a set of flag bits."""

    @cached_property
    def summary(self) -> str:
        return f"{self.storage.c_type} (flags {self.enum.name})"

    @cached_property
    def meaning(self) -> str:
        return f"flags {self.enum.name}"

    @cached_property
    def py_annotation(self) -> str:
        return self.enum.rust_name

    @cached_property
    def py_zero(self) -> str:
        return f"{self.enum.rust_name}(0)"

    @cached_property
    def py_default(self) -> str:
        return f"dataclasses.field(default_factory=lambda: {self.py_zero})"

    def py_from_raw(self, expr: str) -> str:
        return f"{self.enum.rust_name}({expr})"

    @cached_property
    def kdoc_note(self) -> str:
        return f"Flags of &enum {self.enum.name}; other bits must be zero."

    def c_unsupported(self, expr: str) -> str | None:
        return f"{expr} & ~({' | '.join(v.name for v in self.enum.values)})"


@dataclass(frozen=True)
class Nested(Kind):
    """A non-command struct embedded by value."""

    struct: Struct

    def size(self, arch: Arch) -> int:
        return self.struct.layout(arch).size

    def align(self, arch: Arch) -> int:
        return self.struct.layout(arch).align

    @cached_property
    def c_type(self) -> str:
        return f"struct {self.struct.name}"

    meaning = "struct"

    @cached_property
    def rust_type(self) -> str:
        return self.struct.rust_name

    @cached_property
    def py_format(self) -> str:
        return f"{self.struct.size}s"

    @cached_property
    def rust_zero(self) -> str:
        return f"{self.struct.rust_name}::ZERO"

    @cached_property
    def carries_pointer(self) -> bool:
        return any(m.kind.carries_pointer for m in self.struct.members)

    def c_checks(self, expr: str, depth: int) -> tuple[KernelCheck, ...]:
        # Its members are as much the caller's input as the struct that holds them.
        return tuple(
            check
            for member in self.struct.members
            for check in member.c_checks(f"{expr}.{member.name}", "in", depth)
        )

    @cached_property
    def py_annotation(self) -> str:
        return self.struct.rust_name

    @cached_property
    def py_zero(self) -> str:
        return f"{self.struct.rust_name}()"

    @cached_property
    def py_default(self) -> str:
        return f"dataclasses.field(default_factory={self.struct.rust_name})"

    def py_pack(self, expr: str) -> str:
        return f"{expr}.pack()"

    def py_from_raw(self, expr: str) -> str:
        return f"{self.struct.rust_name}.unpack({expr})"

    def py_arg(self, expr: str, what: str) -> str:
        return f'_instance({expr}, {self.struct.rust_name}, "{what}")'


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
    def c_type(self) -> str:
        return self.element.c_type

    @cached_property
    def c_suffix(self) -> str:
        return f"[{self.length_name or self.length}]"

    @cached_property
    def meaning(self) -> str:
        return self.element.meaning

    @cached_property
    def rust_type(self) -> str:
        return f"[{self.element.rust_type}; {self.length_name or self.length}]"

    @cached_property
    def py_format(self) -> str:
        if self.element.py_format == "B":
            return f"{self.length}s"
        return self.element.py_format * self.length

    @cached_property
    def is_bytes(self) -> bool:
        """An array of u8: a C string in the safe layers, `bytes` in Python."""
        return self.element == INTEGERS["u8"]

    @cached_property
    def carries_pointer(self) -> bool:
        return self.element.carries_pointer

    def c_checks(self, expr: str, depth: int) -> tuple[KernelCheck, ...]:
        if depth == len(LOOP_VARIABLES):
            raise ValueError(f"{expr}: arrays nest deeper than {depth} levels")
        i = LOOP_VARIABLES[depth]
        loop = f"for ({i} = 0; {i} < {self.spelled_length}; {i}++)"
        return tuple(
            KernelCheck((loop, *check.loops), check.condition)
            for check in self.element.c_checks(f"{expr}[{i}]", depth + 1)
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
    def py_default(self) -> str:
        if self.is_bytes:
            return self.py_zero
        return f"dataclasses.field(default_factory=lambda: {self.py_zero})"

    def py_pack(self, expr: str) -> str:
        if self.is_bytes:
            return expr
        return f"*({self.element.py_pack('e')} for e in {expr})"

    def py_arg_packed(self, expr: str, what: str) -> tuple[str, str]:
        if self.is_bytes:
            return super().py_arg_packed(expr, what)
        star, element = self.element.py_arg_packed("e", what)
        assert not star, "arrays of arrays are not a member kind"
        return "*", f'_array({expr}, {self.length}, "{what}", lambda e: {element})'

    @cached_property
    def py_raw_types(self) -> tuple[str, ...]:
        """The types of the values this member unpacks to (`py_count` of them)."""
        return ("bytes",) if self.py_format.endswith("s") else ("int",) * self.py_count

    @cached_property
    def py_zero_values(self) -> str:
        """The all-zero member as argument(s) of `struct.Struct.pack`."""
        if self.py_format.endswith("s"):
            return 'b""'
        return ", ".join(["0"] * self.py_count)

    def py_unpack(self, values: str, index: int) -> str:
        if self.is_bytes:
            return f"{values}[{index}]"
        end = index + self.py_count
        return f"tuple({self.element.py_from_raw('v')} for v in {values}[{index}:{end}])"

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
    def py_out_annotation(self) -> str:
        return "str" if self.is_bytes else self.py_annotation

    def py_out(self, expr: str) -> str:
        # Inline, not a helper: a call costs as much as the decoding.
        if self.is_bytes:
            return f'{expr}.partition(b"\\0")[0].decode("utf-8", "surrogateescape")'
        return expr
