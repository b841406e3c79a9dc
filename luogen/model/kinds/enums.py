"""Integer members that hold an enum's value or a set of flag bits."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ...cached import cached_property
from ...records import dataclass
from .scalars import Integer, Stored

if TYPE_CHECKING:
    from ..nodes import Enum, FlagSet


@dataclass(frozen=True)
class EnumStorage(Stored):
    """An integer member that holds one value of an enum."""

    storage: Integer
    enum: Enum | FlagSet

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

    fixed_width = True

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
        return f"A value of {self.enum.kdoc_reference}."

    def c_unsupported(self, expr: str) -> str | None:
        values = sorted(self.enum.distinct, key=lambda v: v.value)
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
        return f"Flags of {self.enum.kdoc_reference}; other bits must be zero."

    @cached_property
    def kdoc_output_note(self) -> str:
        return f"Flags of {self.enum.kdoc_reference}."

    def c_unsupported(self, expr: str) -> str | None:
        # Each bit once: an alias names a bit its flag already adds to the mask.
        return f"{expr} & ~({' | '.join(v.name for v in self.enum.distinct)})"
