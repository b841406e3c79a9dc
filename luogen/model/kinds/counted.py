"""Counted arrays: a user pointer to elements of one type whose number is another member of the
struct, and that count member. The kernel copies the elements in and out through generated
helpers (`model/kernel_arrays.py`); the safe bindings take slices and sequences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import dataclass
from ..arch import HOST_REFERENCE
from ..direction import Direction
from .base import Kind
from .compound import Nested
from .scalars import Integer, UserBuffer

if TYPE_CHECKING:
    from ..nodes import Struct


# The most bytes luogen_array_alloc() allocates: a larger size is -E2BIG (kvmalloc's own limit).
ALLOCATION_LIMIT = 2**31 - 1


def element_summary(element: Kind) -> str:
    """How C prose names one element: `struct iommu_iova_range`, `__u32`."""
    return element.c_type_name


@dataclass(frozen=True)
class ElementCount(Integer):
    """The member that counts the elements of a counted array: an unsigned integer, which
    userspace sets to the number of elements it passes (or, by the query protocol, to the
    capacity of the array, and the kernel to the total)."""

    array: str = ""  # the pointer member whose elements it counts
    element: str = ""  # one element, as C prose names it
    query: bool = False

    @cached_property
    def kdoc_note(self) -> str:
        if self.query:
            return (
                f"The capacity of @{self.array}, in elements of {self.element}; the kernel sets "
                "it to the number of elements it has."
            )
        return f"The number of {self.element} elements at @{self.array}."

    @cached_property
    def meaning(self) -> str:
        return f"count of {self.array}"

    @cached_property
    def companion_of(self) -> str:
        return self.array


@dataclass(frozen=True)
class CountedArray(UserBuffer):
    """A user pointer to `length` elements of `element`, `length` being the struct's count
    member (an ElementCount). `direction` says which way the elements go; `max_count` bounds
    what the kernel allocates (None: the count's type does); `query` is the protocol of an
    output array whose count is its capacity on input and the total on output, the kernel
    answering -EMSGSIZE when the array is too small."""

    element: Kind
    max_count: int | None = None
    max_name: str | None = None  # the constant that spells `max_count`
    query: bool = False

    # --- C ----------------------------------------------------------------------------------

    @cached_property
    def element_c(self) -> str:
        return element_summary(self.element)

    @cached_property
    def summary(self) -> str:
        return f"user pointer to {self.element_c}[] (__aligned_u64)"

    @cached_property
    def kdoc_note(self) -> str:
        access = {
            Direction.IN: "the kernel reads",
            Direction.OUT: "the kernel writes",
            Direction.INOUT: "the kernel reads and writes back",
        }[self.direction]
        note = f"User pointer to an array of @{self.length.name} {self.element_c}, which {access}."
        if self.max_count is not None:
            note += f" At most {self.max_spelled} elements."
        if self.query:
            note += (
                f" When @{self.length.name} is smaller than the number of elements, the ioctl "
                f"fills what fits, sets @{self.length.name} to the number it has and fails "
                "with -EMSGSIZE."
            )
        return note

    @cached_property
    def kdoc_output_note(self) -> str:
        return self.kdoc_note

    @cached_property
    def max_spelled(self) -> str:
        """The maximum count as C spells it: its constant, its number, or the count type's
        largest value."""
        if self.max_name:
            return self.max_name
        if self.max_count is not None:
            return str(self.max_count)
        return f"U{self.length_kind.bits}_MAX"

    @cached_property
    def max_value(self) -> int:
        """The largest count the kernel accepts (for an input array) or reports."""
        return self.length_kind.max_value if self.max_count is None else self.max_count

    @cached_property
    def element_size(self) -> int:
        """The bytes of one element: the same on every architecture (no padding, fixed
        widths)."""
        return self.element.size(HOST_REFERENCE)

    @cached_property
    def most_bytes(self) -> int:
        """The most bytes the kernel's helpers allocate for the elements at userspace's count:
        the maximum count's, and never past ALLOCATION_LIMIT."""
        return min(self.max_value * self.element_size, ALLOCATION_LIMIT)

    @cached_property
    def meaning(self) -> str:
        spelled = " with the query protocol" if self.query else ""
        return f"{self.direction} array of {self.element_c} counted by {self.length.name}{spelled}"

    @cached_property
    def binding_form(self) -> str:
        return self.meaning

    @cached_property
    def addresses(self) -> str:
        return f"{self.direction} counted array"

    @cached_property
    def refusals(self) -> tuple[str, ...]:
        found = []
        if self.max_count is not None:
            found.append(f"more than {self.max_spelled} elements (E2BIG)")
        if self.query:
            found.append(
                "an array smaller than the kernel's elements (EMSGSIZE, the count overwritten)"
            )
        if self.direction.kernel_reads and self.element.c_checks("e", Direction.IN, 1):
            found.append(
                "elements with a non-zero reserved member, an unknown flag or enum value "
                "(EOPNOTSUPP)"
            )
        return tuple(found)

    # --- Rust -------------------------------------------------------------------------------

    @cached_property
    def rust_element(self) -> str:
        return self.element.rust_field_type

    @cached_property
    def rust_arg_type(self) -> str:
        if self.direction is Direction.IN:
            return f"&[{self.rust_element}]"
        return f"&mut [{self.rust_element}]"

    def rust_store(self, var: str, name: str) -> str:
        pointer = "as_ptr" if self.direction is Direction.IN else "as_mut_ptr"
        what = name.removeprefix("r#")
        return (
            f"{var}.{name} = {name}.{pointer}() as usize as u64;\n"
            f"{var}.{self.length.rust_name} = array_len({name}.len(), {self.max_value}, "
            f'"{what}")?;'
        )

    @cached_property
    def binding_note(self) -> str:
        note = f"Its length goes into `{self.length.name}`."
        if self.query:
            note += " Too short, it fails with EMSGSIZE and the kernel reports how many it has."
        return note

    # --- Python -----------------------------------------------------------------------------

    @cached_property
    def py_element(self) -> str:
        """The Python type of one element."""
        return self.element.py_annotation

    @cached_property
    def py_arg_annotation(self) -> str:
        if self.direction is Direction.IN:
            return f"Sequence[{self.py_element}]"
        return f"list[{self.py_element}]"

    @cached_property
    def py_optional_arg_annotation(self) -> str:
        return f"{self.py_arg_annotation} | None"

    py_arg_default_note = "None (the default) passes no elements: a NULL pointer and count 0."

    @cached_property
    def py_codec(self) -> str:
        """How the runtime packs one element: the struct's dataclass, or a `_Scalar`."""
        if isinstance(self.element, Nested):
            return self.element.struct.rust_name
        scalar = self.element.scalar
        assert scalar is not None
        wrapped = self.element.py_from_raw("v")
        wrap = "" if wrapped == "v" else f", lambda v: {wrapped}"
        if wrapped == f"{self.element.py_annotation}(v)":
            wrap = f", {self.element.py_annotation}"
        bounds = f"{scalar.min_value}, {scalar.max_value}"
        return f'_Scalar("={self.element.py_format}", {bounds}{wrap})'

    def py_arg(self, expr: str, what: str) -> str:
        """An `_Elements` for the sequence `expr`: its elements checked and packed (an output
        array: zeroed room for as many), its address and count packed into the request."""
        return self._py_elements(expr, what, "")

    def py_buffer_arg(self, expr: str, what: str, struct: Struct) -> str:
        """`py_arg`, with where the query protocol finds the count and the pointer in the
        request of `struct`."""
        if not self.query:
            return self.py_arg(expr, what)
        offsets = {m.name: offset for m, offset in struct.fields}
        pointer = next(m.name for m in struct.members if m.kind is self)
        count_at, pointer_at = offsets[self.length.name], offsets[pointer]
        at = f'({count_at}, "={self.length_kind.py_format}", {pointer_at})'
        return self._py_elements(expr, what, f", {at}")

    def _py_elements(self, expr: str, what: str, tail: str) -> str:
        reads = self.direction.kernel_reads
        return f'_elements({expr}, {self.py_codec}, {self.max_value}, "{what}", {reads}{tail})'

    @cached_property
    def py_arg_helpers(self) -> frozenset[str]:
        scalar = frozenset() if isinstance(self.element, Nested) else frozenset({"_Scalar"})
        return frozenset({"_elements"}) | scalar

    def py_fill(self, expr: str, memory: str) -> str | None:
        """The statement that replaces the items of the list argument `expr` with what the
        kernel wrote into `memory` (an `_Elements`); None for an input array."""
        return f"{memory}.fill({expr})" if self.direction.kernel_writes else None
