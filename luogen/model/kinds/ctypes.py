"""Kinds of the C types that real (classic) uapi headers use beside the fixed-width ones: C types
as spelled (`int`, `unsigned long`, `__kernel_pid_t`, plain `__u64`...), native pointers, enum
types, and flexible array members. Their sizes and alignments are each architecture's own
(`luogen/model/ctypes.py`); the extensible style refuses them, the classic style warns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import dataclass
from .. import ctypes
from ..arch import ARCHES, HOST_REFERENCE, Arch
from ..bindings.perarch import PerArch
from .base import Kind


class _ByFacts:
    """A kind whose size and alignment are facts per architecture, not integer rules."""

    layout_by_rules = False


if TYPE_CHECKING:
    from ..nodes import Enum

# Rust spellings of the C types whose Rust name the core library gives (`core::ffi`): they have
# the target's C size, alignment and signedness.
_RUST_C_TYPES = {
    "char": "c_char",
    "signed char": "c_schar",
    "unsigned char": "c_uchar",
    "short": "c_short",
    "unsigned short": "c_ushort",
    "int": "c_int",
    "unsigned int": "c_uint",
    "long": "c_long",
    "unsigned long": "c_ulong",
    "long long": "c_longlong",
    "unsigned long long": "c_ulonglong",
    "size_t": "usize",
    "uintptr_t": "usize",
    "ssize_t": "isize",
    "ptrdiff_t": "isize",
    "intptr_t": "isize",
    "float": "f32",
    "double": "f64",
    "_Bool": "bool",
}
_PY_INTEGERS = {1: "b", 2: "h", 4: "i", 8: "q"}
# The 64-bit types aligned to 8 everywhere: the runtime's aligned newtypes (classic.rs), and
# what a packed record holds instead, as Rust lets it hold nothing aligned by `repr(align)`.
_RUST_ALIGNED = {
    "__aligned_u64": "AlignedU64",
    "__aligned_s64": "AlignedI64",
    "__aligned_be64": "AlignedU64",
    "__aligned_le64": "AlignedU64",
}
_RUST_PACKED = {"AlignedU64": "u64", "AlignedI64": "i64"}


def _rust_type_of(facts: ctypes.CFacts) -> str:
    if facts.type_class == "float":
        return f"f{8 * facts.size}"
    if facts.type_class == "pointer":
        return "*mut c_void"
    return f"{'i' if facts.type_class == 'signed' else 'u'}{8 * facts.size}"


@dataclass(frozen=True)
class CScalar(_ByFacts, Kind):
    """A scalar C type as the header spells it: one `ctypes.known` knows, or a typedef of the
    spec's whose `base` is one."""

    spelling: str
    base: str | None = None

    @cached_property
    def facts(self) -> dict[str, ctypes.CFacts]:
        return ctypes.facts(self.base or self.spelling)

    def size(self, arch: Arch) -> int:
        return self.facts[arch.name].size

    def align(self, arch: Arch) -> int:
        return self.facts[arch.name].align

    @cached_property
    def c_type(self) -> str:
        return self.spelling

    @cached_property
    def c_type_name(self) -> str:
        return ctypes.ALIGNED_MACROS.get(self.spelling, self.spelling)

    @cached_property
    def varies(self) -> bool:
        """Whether its size, alignment or signedness is not the same on every architecture."""
        return len(set(self.facts.values())) > 1

    @cached_property
    def meaning(self) -> str:
        return {"float": "float", "pointer": "pointer"}.get(self._class, "integer")

    @cached_property
    def _class(self) -> str:
        return self.facts[HOST_REFERENCE.name].type_class

    @cached_property
    def shape(self) -> tuple[object, ...]:
        # What C sees: the type's facts everywhere (a typedef of the same facts is the same).
        return ("c", tuple(sorted(self.facts.items())))

    @cached_property
    def scalar(self) -> None:
        return None  # not one of luogen's fixed-width integers: no checks, no bindings' _int

    @cached_property
    def summary(self) -> str:
        return self.spelling

    @cached_property
    def rust_type(self) -> str:
        if self.base is not None:
            return self.spelling  # the spec's typedef: the crate defines it
        if self.spelling in _RUST_ALIGNED:
            return _RUST_ALIGNED[self.spelling]
        if self.spelling in _RUST_C_TYPES:
            return _RUST_C_TYPES[self.spelling]
        if len(set(self.rust_types.values)) > 1:
            return self.spelling  # the crate defines it per target (RustModel.rust_type_aliases)
        return self.rust_types.reference

    @cached_property
    def rust_types(self) -> PerArch[str]:
        """The Rust type of its facts on each architecture (`i64`, `u16`, `*mut c_void`)."""
        return PerArch.of(lambda arch: _rust_type_of(self.facts[arch.name]))

    @cached_property
    def rust_packed_type(self) -> str:
        return _RUST_PACKED.get(self.rust_type, self.rust_type)

    @cached_property
    def py_is_byte(self) -> bool:
        return all(f.size == 1 and f.type_class in ("signed", "unsigned")
                   for f in self.facts.values())  # fmt: skip

    @cached_property
    def rust_zero(self) -> str:
        return {"float": "0.0", "pointer": "core::ptr::null_mut()"}.get(self._class, "0")

    def py_format_on(self, arch: Arch) -> str:
        facts = self.facts[arch.name]
        if facts.type_class == "float":
            return "f" if facts.size == 4 else "d"
        letter = _PY_INTEGERS[facts.size]
        return letter if facts.type_class == "signed" else letter.upper()

    @cached_property
    def py_format(self) -> str:
        return self.py_format_on(HOST_REFERENCE)

    @cached_property
    def py_annotation(self) -> str:
        return "float" if self._class == "float" else "int"

    @cached_property
    def py_zero(self) -> str:
        return "0.0" if self._class == "float" else "0"


@dataclass(frozen=True)
class NativePointer(_ByFacts, Kind):
    """A pointer in the architecture's own width (`void *`, `struct foo *`): 4 or 8 bytes."""

    target: str  # the pointed-to type, as written: void, const char, struct foo

    @cached_property
    def _facts(self) -> dict[str, ctypes.CFacts]:
        return ctypes.facts("void *")

    def size(self, arch: Arch) -> int:
        return self._facts[arch.name].size

    def align(self, arch: Arch) -> int:
        return self._facts[arch.name].align

    @cached_property
    def c_type(self) -> str:
        return f"{self.target} *"

    def c_declaration(self, name: str) -> str:
        return f"{self.target} *{name}"

    meaning = "pointer"
    carries_pointer = True

    @cached_property
    def shape(self) -> tuple[object, ...]:
        return ("pointer", self.target)

    @cached_property
    def c_type_name(self) -> str:
        return f"{self.target} *"

    rust_type = "*mut c_void"
    rust_zero = "core::ptr::null_mut()"

    def py_format_on(self, arch: Arch) -> str:
        return "Q" if self.size(arch) == 8 else "I"

    @cached_property
    def py_format(self) -> str:
        return self.py_format_on(HOST_REFERENCE)


@dataclass(frozen=True)
class CEnum(_ByFacts, Kind):
    """A member of a C enum type (`enum foo x;`): an `int` (the architecture's) by C's rules."""

    enum: Enum

    @cached_property
    def _int(self) -> CScalar:
        """The integer GNU C stores the enum as: the first of int, unsigned int, long long and
        unsigned long long that holds every value."""
        low, high = self.enum.low, self.enum.high
        if low >= -(2**31) and high < 2**31:
            return CScalar("int")
        if low >= 0 and high < 2**32:
            return CScalar("unsigned int")
        return CScalar("long long" if low < 0 or high < 2**63 else "unsigned long long")

    def size(self, arch: Arch) -> int:
        return self._int.size(arch)

    def align(self, arch: Arch) -> int:
        return self._int.align(arch)

    @cached_property
    def c_type(self) -> str:
        return f"enum {self.enum.name}"

    @cached_property
    def meaning(self) -> str:
        return f"enum {self.enum.name}"

    @cached_property
    def shape(self) -> tuple[object, ...]:
        return ("enum", self.enum.name)

    @cached_property
    def rust_type(self) -> str:
        return self.enum.rust_name

    @cached_property
    def rust_zero(self) -> str:
        return f"{self.enum.rust_name}(0)"

    def py_format_on(self, arch: Arch) -> str:
        return self._int.py_format_on(arch)

    @cached_property
    def py_format(self) -> str:
        return self._int.py_format


@dataclass(frozen=True)
class FlexibleArray(Kind):
    """A flexible array member, `x[]` (or GNU's zero-length `x[0]`): no bytes of its own; the
    struct ends where its elements start."""

    element: Kind
    zero_length: bool = False

    def size(self, arch: Arch) -> int:
        return 0

    def align(self, arch: Arch) -> int:
        return self.element.align(arch)

    @cached_property
    def c_type(self) -> str:
        return self.element.c_type

    @cached_property
    def c_suffix(self) -> str:
        return ("[0]" if self.zero_length else "[]") + self.element.c_suffix

    @cached_property
    def shape(self) -> tuple[object, ...]:
        return ("flexible", self.element.shape)

    @cached_property
    def meaning(self) -> str:
        return self.element.meaning

    @cached_property
    def rust_type(self) -> str:
        return f"[{self.element.rust_type}; 0]"

    @cached_property
    def rust_zero(self) -> str:
        return "[]"

    @cached_property
    def rust_c_type(self) -> str:
        return f"[{self.element.rust_c_type}; 0]"

    @cached_property
    def rust_packed_type(self) -> str:
        return f"[{self.element.rust_packed_type}; 0]"

    py_format = ""
    py_count = 0

    @cached_property
    def layout_by_rules(self) -> bool:
        return self.element.layout_by_rules

    def py_format_on(self, arch: Arch) -> str:
        return ""


def every_arch_alike(kind: Kind) -> bool:
    """Whether `kind` has one size and alignment on every architecture."""
    return len({(kind.size(a), kind.align(a)) for a in ARCHES}) == 1
