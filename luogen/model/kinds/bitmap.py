"""IOVA bitmaps: a user pointer to 64-bit words the kernel sets bits in, one bit per page of an
IOVA range (the contract of the kernel's include/linux/iova_bitmap.h, which iommufd's
IOMMU_HWPT_GET_DIRTY_BITMAP and VFIO's DMA logging report share)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import dataclass
from .scalars import UserBuffer

if TYPE_CHECKING:
    from ..nodes import Member, Struct


@dataclass(frozen=True)
class IovaBitmap(UserBuffer):
    """A bitmap over `length` bytes of IOVA at one bit per `page_size` bytes. Both stay
    arguments of the safe methods (they say which range to report); the bitmap argument is a
    slice of words that the bindings refuse when it is shorter than the kernel writes, so they
    need no `unsafe`. The kernel's granule is page_size's lowest set bit (`__ffs()`), and it
    writes ((length - 1) / (64 * granule)) + 1 words, in 64-bit arithmetic."""

    page_size: Member

    @cached_property
    def measured_by(self) -> Member | None:
        return None  # the bitmap does not measure the range: the caller says it

    @cached_property
    def binding_form(self) -> str:
        return f"bitmap over {self.length.name} bytes by {self.page_size.name}"

    @cached_property
    def addresses(self) -> str:
        return f"bitmap over {self.length.name} at {self.page_size.name} per bit"

    rust_arg_type = "&mut [u64]"

    def rust_store(self, var: str, name: str) -> str:
        what = name.removeprefix("r#")
        length, page = self.length.rust_name, self.page_size.rust_name
        return (
            f'bitmap_room({name}.len(), {length}, {page}, "{what}")?;\n'
            f"{var}.{name} = {name}.as_mut_ptr() as usize as u64;"
        )

    @cached_property
    def binding_note(self) -> str:
        length, page = self.length.name, self.page_size.name
        return (
            f"A bitmap of 64-bit words the kernel sets bits in, one per `{page}` bytes of the "
            f"`{length}` bytes; it must hold ((`{length}` - 1) / (64 * `{page}`)) + 1 words "
            "at least, or the call is refused before the ioctl."
        )

    @cached_property
    def py_arg_annotation(self) -> str:
        return "bytearray | memoryview | UserBuffer"

    def py_buffer_arg(self, expr: str, what: str, struct: Struct) -> str:
        length, page = self.length.python_name, self.page_size.python_name
        return f'_bitmap({expr}, {length}, {page}, "{what}")'

    py_arg_helpers = frozenset({"_bitmap"})
