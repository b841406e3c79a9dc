"""Driver data chosen by a selector: a user pointer to one of several structs, the value of an
enum member of the same struct (the selector) saying which, and another member its length in
bytes. The kernel copies the chosen struct in or out through generated helpers
(`model/kernel_data.py`), with a minimum size per struct and the extensible rules of
copy_struct_from_user()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import dataclass
from ..direction import Direction
from .scalars import Integer, UserBuffer

if TYPE_CHECKING:
    from ..nodes import Member, Struct
    from ..values import EnumValue


@dataclass(frozen=True)
class DataChoice:
    """One value of the selector and the struct it chooses (None: no data)."""

    value: EnumValue
    struct: Struct | None = None
    min_member: str | None = None  # the last member of the struct's first version (None: all)

    @cached_property
    def min_size(self) -> int:
        """The fewest bytes the kernel accepts: offsetofend() of `min_member`, or the whole
        struct."""
        assert self.struct is not None
        if self.min_member is None:
            return self.struct.size
        for member, offset in self.struct.fields:
            if member.name == self.min_member:
                return offset + member.kind.size(self.struct.reference.arch)
        raise AssertionError(f"{self.min_member} is no member of struct {self.struct.name}")

    @cached_property
    def c_struct(self) -> str:
        return f"struct {self.struct.name}" if self.struct is not None else ""

    @cached_property
    def summary(self) -> str:
        """How the header's prose says what the value chooses."""
        if self.struct is None:
            return f"{self.value.name}: no data"
        return f"{self.value.name}: {self.c_struct}"


@dataclass(frozen=True)
class DataLength(Integer):
    """The member that holds the length in bytes of driver data."""

    pointer: str = ""
    output: bool = False

    @cached_property
    def kdoc_note(self) -> str:
        if self.output:
            return (
                f"The room at @{self.pointer}, in bytes; the kernel writes at most that many and "
                "sets it to the length of the data it has."
            )
        return f"The length in bytes of the data at @{self.pointer}."

    @cached_property
    def meaning(self) -> str:
        return f"length of {self.pointer}"


@dataclass(frozen=True)
class DriverData(UserBuffer):
    """A user pointer to the struct `selector` chooses, `length` (a DataLength) bytes long.
    `direction` IN: userspace passes the data; OUT: the kernel writes at most `length` bytes
    and reports the length it has."""

    selector: Member | None = None
    choices: tuple[DataChoice, ...] = ()

    @cached_property
    def structs(self) -> tuple[Struct, ...]:
        return tuple(c.struct for c in self.choices if c.struct is not None)

    @cached_property
    def enum_value_names(self) -> tuple[str, ...]:
        """The names of every value of the selector's enum."""
        assert self.selector is not None
        enum = self.selector.kind.enum  # type: ignore[attr-defined]
        return tuple(v.name for v in enum.values)

    @cached_property
    def selector_name(self) -> str:
        assert self.selector is not None
        return self.selector.name

    @cached_property
    def summary(self) -> str:
        return "user pointer to driver data (__aligned_u64)"

    @cached_property
    def kdoc_note(self) -> str:
        access = "the kernel reads" if self.direction is Direction.IN else "the kernel writes"
        choices = "; ".join(c.summary for c in self.choices)
        return (
            f"User pointer to the driver data @{self.selector_name} selects, "
            f"@{self.length.name} bytes, which {access} ({choices})."
        )

    @cached_property
    def kdoc_output_note(self) -> str:
        return self.kdoc_note

    @cached_property
    def meaning(self) -> str:
        choices = ", ".join(c.summary for c in self.choices)
        return (
            f"{self.direction} driver data selected by {self.selector_name} and measured by "
            f"{self.length.name} ({choices})"
        )

    @cached_property
    def binding_form(self) -> str:
        return self.meaning
