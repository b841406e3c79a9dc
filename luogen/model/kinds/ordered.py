"""Integers of a fixed byte order: the kernel's `__le16`/`__le32`/`__aligned_le64` and their
big-endian kin, as device and firmware interfaces carry them (an SMMUv3 stream table entry is
two `__aligned_le64`).

They are laid out as the unsigned integers of their width (`le64` as `__aligned_u64`: 8-aligned
everywhere), and their bytes are the ones the device reads whatever the host's own byte order.
So the bindings never hand a user the stored bytes read as a host integer: the Rust raw layer
holds the runtime's `Le64`-like newtypes (`Le64::new(value)`, `.get()`), its safe layer and
Python take and return host integers, converted at the boundary."""

from __future__ import annotations

from ...cached import cached_property
from ...records import dataclass
from ..arch import Arch
from .base import Kind
from .scalars import INTEGERS, Integer


@dataclass(frozen=True)
class ByteOrdered(Kind):
    """An unsigned integer of `bits` stored little-endian (or big-endian when `big`)."""

    bits: int
    big: bool

    @cached_property
    def name(self) -> str:
        return f"{'be' if self.big else 'le'}{self.bits}"

    @cached_property
    def nbytes(self) -> int:
        return self.bits // 8

    def size(self, arch: Arch) -> int:
        return self.nbytes

    def align(self, arch: Arch) -> int:
        # As luogen's u64, a 64-bit one is always the 8-aligned macro (`__aligned_le64`).
        return 8 if self.bits == 64 else arch.align_of(self.nbytes)

    @cached_property
    def c_type(self) -> str:
        return f"__aligned_{self.name}" if self.bits == 64 else f"__{self.name}"

    @cached_property
    def c_type_name(self) -> str:
        return f"__{self.name}"

    @cached_property
    def scalar(self) -> Integer:
        """The host integer of its width: the values a binding takes and returns."""
        return INTEGERS[f"u{self.bits}"]

    @cached_property
    def shape(self) -> tuple[object, ...]:
        return ("int", self.bits, False, self.byte_order)

    @cached_property
    def byte_order(self) -> str:
        return "big" if self.big else "little"

    @cached_property
    def meaning(self) -> str:
        return f"{self.byte_order}-endian integer"

    fixed_width = True

    # --- Rust: a newtype of the runtime in the raw layer, a host integer in the safe one -----

    @cached_property
    def rust_type(self) -> str:
        return f"{'Be' if self.big else 'Le'}{self.bits}"

    @cached_property
    def rust_zero(self) -> str:
        return f"{self.rust_type}::ZERO"

    @cached_property
    def rust_arg_type(self) -> str:
        return self.scalar.rust_type

    def rust_store(self, var: str, name: str) -> str:
        return f"{var}.{name} = {self.rust_type}::new({name});"

    @cached_property
    def rust_out_type(self) -> str:
        return self.scalar.rust_type

    def rust_load(self, expr: str) -> str:
        return f"{expr}.get()"

    @cached_property
    def binding_note(self) -> str:
        return f"Stored {self.byte_order}-endian (`__{self.name}`); given as a host integer."

    # --- Python: its bytes in the struct, a host int in the class ------------------------------

    @cached_property
    def py_format(self) -> str:
        return f"{self.nbytes}s"

    def py_pack(self, expr: str) -> str:
        # struct's own packing: a value out of range is a struct.error, as for any member.
        return f'struct.pack("{self.py_order_format}", {expr})'

    @cached_property
    def py_order_format(self) -> str:
        return (">" if self.big else "<") + self.scalar.py_format

    def py_from_raw(self, expr: str) -> str:
        return f'int.from_bytes({expr}, "{self.byte_order}")'


_BY_NAME = {k.name: k for k in (ByteOrdered(b, big) for b in (16, 32, 64) for big in (False, True))}
# By luogen's name (le64) and by C spelling (__le32, __aligned_le64); a plain `__le64` is none
# of them: it is 4-aligned on i386.
BYTE_ORDERED = {
    **_BY_NAME,
    **{k.c_type: k for k in _BY_NAME.values()},
}
