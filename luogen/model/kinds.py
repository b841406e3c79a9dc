"""Member kinds: each knows its size and alignment per architecture and its C, Rust and Python
spelling. Templates read these spellings; they never switch on a kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .arch import Arch

if TYPE_CHECKING:
    from .nodes import Enum, FlagSet, Struct


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

    @property
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

    @property
    def scalar(self) -> Integer | None:
        """The integer this kind is stored as, or None for arrays and structs."""
        return None

    @property
    def summary(self) -> str:
        """How the docs name the type."""
        return f"{self.c_type}{self.c_suffix}"

    @property
    def kdoc_note(self) -> str:
        """What the member's kdoc says about its values, beyond the spec's own doc."""
        return ""

    def c_unsupported(self, expr: str) -> str | None:
        """A C condition, true when the value at `expr` is one the kernel cannot support."""
        return None


@dataclass(frozen=True)
class Integer(Kind):
    bits: int
    signed: bool

    @property
    def name(self) -> str:
        return f"{'s' if self.signed else 'u'}{self.bits}"

    @property
    def nbytes(self) -> int:
        return self.bits // 8

    def size(self, arch: Arch) -> int:
        return self.nbytes

    def align(self, arch: Arch) -> int:
        # An unsigned 64-bit member is always spelled __aligned_u64, which is 8 everywhere.
        if self.bits == 64 and not self.signed:
            return 8
        return arch.align_of(self.nbytes)

    @property
    def c_type(self) -> str:
        if self.bits == 64 and not self.signed:
            return "__aligned_u64"
        return f"__{self.name}"

    @property
    def rust_type(self) -> str:
        return f"{'i' if self.signed else 'u'}{self.bits}"

    @property
    def py_format(self) -> str:
        letter = {8: "b", 16: "h", 32: "i", 64: "q"}[self.bits]
        return letter if self.signed else letter.upper()

    @property
    def scalar(self) -> Integer:
        return self

    @property
    def min_value(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
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

    @property
    def scalar(self) -> Integer:
        return INTEGERS["s32"]


@dataclass(frozen=True)
class UserPointer(Kind):
    """A pointer into the caller's memory, carried as `__aligned_u64` on every architecture."""

    def size(self, arch: Arch) -> int:
        return 8

    def align(self, arch: Arch) -> int:
        return 8

    c_type = "__aligned_u64"
    rust_type = "u64"
    py_format = "Q"
    summary = "user pointer (__aligned_u64)"

    @property
    def scalar(self) -> Integer:
        return INTEGERS["u64"]


@dataclass(frozen=True)
class EnumStorage(Kind):
    """An integer member that holds one value of an enum."""

    storage: Integer
    enum: Enum | FlagSet

    def size(self, arch: Arch) -> int:
        return self.storage.size(arch)

    def align(self, arch: Arch) -> int:
        return self.storage.align(arch)

    @property
    def c_type(self) -> str:
        return self.storage.c_type

    @property
    def rust_type(self) -> str:
        return self.storage.rust_type

    @property
    def py_format(self) -> str:
        return self.storage.py_format

    @property
    def scalar(self) -> Integer:
        return self.storage

    @property
    def summary(self) -> str:
        return f"{self.storage.c_type} (enum {self.enum.name})"

    @property
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

    @property
    def summary(self) -> str:
        return f"{self.storage.c_type} (flags {self.enum.name})"

    @property
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

    @property
    def c_type(self) -> str:
        return f"struct {self.struct.name}"

    @property
    def rust_type(self) -> str:
        return self.struct.rust_name

    @property
    def py_format(self) -> str:
        return f"{self.struct.size}s"


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

    @property
    def c_type(self) -> str:
        return self.element.c_type

    @property
    def c_suffix(self) -> str:
        return f"[{self.length_name or self.length}]"

    @property
    def rust_type(self) -> str:
        return f"[{self.element.rust_type}; {self.length_name or self.length}]"

    @property
    def py_format(self) -> str:
        if self.element.py_format == "B":
            return f"{self.length}s"
        return self.element.py_format * self.length
