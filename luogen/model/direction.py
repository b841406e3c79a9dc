"""Which way a member's bytes go between userspace and the kernel."""

from __future__ import annotations

from enum import Enum


class Direction(Enum):
    """A command member's direction, as the spec's `dir` spells it."""

    IN = "in"  # userspace writes it, the kernel reads it
    OUT = "out"  # the kernel writes it back
    INOUT = "inout"  # both

    @property
    def kernel_reads(self) -> bool:
        """The kernel reads what userspace put there: it is checked, and a binding takes it."""
        return self is not Direction.OUT

    @property
    def kernel_writes(self) -> bool:
        """The kernel writes it back: a binding returns it."""
        return self is not Direction.IN

    @property
    def kdoc_word(self) -> str:
        """How a member's kdoc starts."""
        return _KDOC_WORDS[self]

    def __str__(self) -> str:
        return self.value


_KDOC_WORDS = {Direction.IN: "Input", Direction.OUT: "Output", Direction.INOUT: "Input/Output"}
