"""Kinds stored as one integer: plain integers, file descriptors and user pointers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import dataclass
from ..arch import Arch
from ..direction import Direction
from .base import Kind

if TYPE_CHECKING:
    from ..nodes import Member, Struct


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
    def c_type_name(self) -> str:
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
    def rust_c_type(self) -> str:
        # luogen's u64 is `__aligned_u64` in C.
        return "AlignedU64" if self.bits == 64 and not self.signed else self.rust_type

    @cached_property
    def rust_packed_type(self) -> str:
        return self.rust_type

    fixed_width = True

    @cached_property
    def py_is_byte(self) -> bool:
        return self.bits == 8 and not self.signed

    @cached_property
    def min_value(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @cached_property
    def max_value(self) -> int:
        return (1 << (self.bits - (1 if self.signed else 0))) - 1


INTEGERS = {i.name: i for i in (Integer(b, s) for b in (8, 16, 32, 64) for s in (False, True))}


class Stored(Kind):
    """A kind that gives an integer a meaning: laid out, spelled and packed as its `storage`."""

    if TYPE_CHECKING:
        storage: Integer

    def size(self, arch: Arch) -> int:
        return self.storage.size(arch)

    def align(self, arch: Arch) -> int:
        return self.storage.align(arch)

    @cached_property
    def c_type(self) -> str:
        return self.storage.c_type

    @cached_property
    def c_type_name(self) -> str:
        return self.storage.c_type_name

    @cached_property
    def rust_type(self) -> str:
        return self.storage.rust_type

    @cached_property
    def py_format(self) -> str:
        return self.storage.py_format

    @cached_property
    def scalar(self) -> Integer:
        return self.storage


@dataclass(frozen=True)
class Fd(Stored):
    """A file descriptor: `__s32` (luogen's `fd`), or the `__u32` some real headers declare one
    as (`type: u32, fd: true`), -1 or unused when none."""

    storage: Integer = INTEGERS["s32"]

    @cached_property
    def summary(self) -> str:
        return f"fd ({self.storage.c_type})"

    meaning = "fd"

    fixed_width = True
    rust_arg_type = "BorrowedFd<'_>"
    rust_out_type = "OwnedFd"

    @cached_property
    def _rust_cast(self) -> str:
        # A borrowed fd is never negative, so it fits a __u32 as it is; a __u32 the kernel
        # wrote is read back as the int an fd is, which owned_fd() refuses when negative.
        return "" if self.storage.signed else f" as {self.storage.rust_type}"

    def rust_store(self, var: str, name: str) -> str:
        return f"{var}.{name} = {name}.as_raw_fd(){self._rust_cast};"

    def rust_load(self, expr: str) -> str:
        return f"owned_fd({expr})?" if self.storage.signed else f"owned_fd({expr} as i32)?"

    def py_arg(self, expr: str, what: str) -> str:
        return f'_int({expr}, 0, {INTEGERS["s32"].max_value}, "{what}")'

    def py_out(self, expr: str) -> str:
        return f"_fd({expr})"

    py_out_helpers = frozenset({"_fd"})


@dataclass(frozen=True)
class UserPointer(Kind):
    """A pointer into the caller's memory, carried as `__aligned_u64` on every architecture."""

    def size(self, arch: Arch) -> int:
        return 8

    def align(self, arch: Arch) -> int:
        return 8

    c_type = "__aligned_u64"
    c_type_name = "__u64"
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

    rust_c_type = "AlignedU64"
    rust_packed_type = "u64"
    fixed_width = True
    carries_pointer = True

    @cached_property
    def addresses(self) -> str | None:
        return "memory only its handler knows"

    def rust_store(self, var: str, name: str) -> str:
        return f"{var}.{name} = {name} as usize as u64;"


@dataclass(frozen=True)
class UserBuffer(UserPointer):
    """A user pointer to `length` bytes, `length` being another member of the struct: the safe
    layers take a byte buffer and fill both members from it, so they need no `unsafe`."""

    direction: Direction  # IN: the kernel reads the bytes; OUT: it writes them
    length: Member

    carries_pointer = False

    @cached_property
    def length_kind(self) -> Integer:
        kind = self.length.kind
        assert isinstance(kind, Integer), "the builder pairs buffers with integer lengths"
        return kind

    @cached_property
    def measured_by(self) -> Member | None:
        """The member the safe layers fill from the argument's length (None: none)."""
        return self.length

    @cached_property
    def entries_counted_by(self) -> Member | None:
        """The member the safe layers fill from the number of entries of an array of driver
        data (None: none; kinds/entries.py)."""
        return None

    @cached_property
    def binding_form(self) -> str:
        return f"{self.direction} buffer measured by {self.length.name}"

    @cached_property
    def addresses(self) -> str:
        return f"{self.direction} buffer"

    @cached_property
    def rust_arg_type(self) -> str:
        return "&[u8]" if self.direction is Direction.IN else "&mut [u8]"

    def rust_store(self, var: str, name: str) -> str:
        pointer = "as_ptr" if self.direction is Direction.IN else "as_mut_ptr"
        what = name.removeprefix("r#")
        return (
            f"{var}.{name} = {name}.{pointer}() as usize as u64;\n"
            f'{var}.{self.length.rust_name} = buffer_len({name}.len(), "{what}")?;'
        )

    @cached_property
    def binding_note(self) -> str:
        access = "reads" if self.direction is Direction.IN else "writes into"
        return f"A byte buffer the kernel {access}; its length goes into `{self.length.name}`."

    @cached_property
    def py_arg_annotation(self) -> str:
        if self.direction is Direction.IN:
            return "bytes | bytearray | memoryview | UserBuffer"
        return "bytearray | memoryview | UserBuffer"

    @cached_property
    def py_optional_arg_annotation(self) -> str:
        return f"{self.py_arg_annotation} | None"

    py_arg_default = "None"
    py_arg_default_note = "None (the default) passes no buffer: a NULL pointer and length 0."

    def py_arg(self, expr: str, what: str) -> str:
        """A `_Memory` (keeper, address, length) for the buffer `expr` (None: no buffer); the
        method packs its address here and its length into the length member."""
        writable = self.direction.kernel_writes
        return f'_memory({expr}, {writable}, {self.length_kind.max_value}, "{what}")'

    def py_buffer_arg(self, expr: str, what: str, struct: Struct) -> str:
        """`py_arg` of the buffer of `struct`, which a kind that needs its offsets reads."""
        return self.py_arg(expr, what)

    def py_fill(self, expr: str, memory: str) -> str | None:
        """The statement a method runs after the ioctl for the argument `expr` (None: none)."""
        return None

    py_arg_helpers = frozenset({"_memory"})
