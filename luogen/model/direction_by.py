"""Members whose direction a selector chooses: `dir-by: {VALUE: in|out|inout|none}` says which
way the member goes under each value of the enum another member of the command's struct holds
(iommufd's IOMMU_OPTION reads `val64` with IOMMU_OPTION_OP_SET and writes it with
IOMMU_OPTION_OP_GET, include/uapi/linux/iommufd.h)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cached import cached_property
from ..records import dataclass, field
from .direction import Direction

if TYPE_CHECKING:
    from .nodes import Member
    from .values import Enum, EnumValue

# A member's direction under one value: a Direction, or None (`none`: neither way).
SPELLINGS: dict[str, Direction | None] = {
    "in": Direction.IN,
    "out": Direction.OUT,
    "inout": Direction.INOUT,
    "none": None,
}
_NOTE_WORDS = {Direction.IN: "Input", Direction.OUT: "Output", Direction.INOUT: "Input/Output"}


def derived(directions: list[Direction | None]) -> Direction:
    """The member's direction overall: an input when no value has the kernel write it, an
    output when none has it read it, both otherwise (layout and header see only this)."""
    reads = any(d is not None and d.kernel_reads for d in directions)
    writes = any(d is not None and d.kernel_writes for d in directions)
    if reads and writes:
        return Direction.INOUT
    return Direction.OUT if writes else Direction.IN


@dataclass(frozen=True)
class DirectionBy:
    """A member's direction under each value of `enum`, which `selector` holds."""

    enum: Enum
    cases: tuple[tuple[EnumValue, Direction | None], ...]  # every distinct value, in order
    selector: Member = field(compare=False, repr=False)

    def under(self, value: EnumValue) -> Direction | None:
        """The member's direction with `value` in the selector (None: neither way)."""
        return dict(self.cases)[value]

    @cached_property
    def _prefix(self) -> int:
        """The length of what the values' names share, up to an underscore: each name keeps
        a word of its own (IOMMU_OPTION_OP_ of IOMMU_OPTION_OP_SET and IOMMU_OPTION_OP_GET)."""
        words = [v.name.split("_") for v, _ in self.cases]
        shared = 0
        while len(words) > 1 and all(len(w) > shared + 1 for w in words):
            if len({w[shared] for w in words}) > 1:
                break
            shared += 1
        return sum(len(word) + 1 for word in words[0][:shared])

    def suffix(self, value: EnumValue) -> str:
        """What a safe method of the command under `value` adds to its name: `set`."""
        return value.name[self._prefix :].lower()

    @cached_property
    def reading(self) -> tuple[EnumValue, ...]:
        """The values with which the kernel reads the member."""
        return tuple(v for v, d in self.cases if d is not None and d.kernel_reads)

    def c_reads(self, struct: str) -> str:
        """The C condition, true when the kernel reads the member of `struct` (`cmd`)."""
        test = f"{struct}->{self.selector.name}"
        return " || ".join(f"{test} == {v.name}" for v in self.reading)

    @cached_property
    def note(self) -> str:
        """What the member's doc says of its direction under each value: `Input with %A in
        @op; output with %B; unused with %C.`"""
        groups: dict[str, list[str]] = {}
        for value, direction in self.cases:
            word = _NOTE_WORDS[direction] if direction is not None else "Unused"
            groups.setdefault(word, []).append(f"%{value.name}")
        parts = [
            f"{word if i == 0 else word.lower()} with {' or '.join(names)}"
            + (f" in @{self.selector.name}" if i == 0 else "")
            for i, (word, names) in enumerate(groups.items())
        ]
        return "; ".join(parts) + "."

    def rust_value(self, value: EnumValue) -> str:
        """`value` as the safe layer stores it in the selector: the newtype's associated const."""
        return f"{self.enum.rust_name}::{value.name}"

    def py_value(self, value: EnumValue) -> str:
        """`value` as the Python method packs it: the IntEnum's member."""
        return f"{self.enum.rust_name}.{value.name}"
