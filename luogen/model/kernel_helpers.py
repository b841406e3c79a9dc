"""What the kernel header's per-member helpers (counted arrays: kernel_arrays.py; driver data:
kernel_data.py) share: the command and member they serve, and their kernel-doc."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cached import cached_property
from ..records import dataclass
from ..text import wrap
from .kinds import loop_variables

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .kinds import KernelCheck
    from .nodes import Command, CommandRange, Member


def kdoc(brief: str, params: list[tuple[str, str]], *paragraphs: str) -> str:
    """A function's kernel-doc comment, its paragraphs wrapped to 80 columns."""
    lines = ["/**", wrap(brief, " * ", " * ", 100)]
    lines += [wrap(f"@{name}: {text}", " * ", " *\t", 80) for name, text in params]
    for paragraph in paragraphs:
        lines += [" *", wrap(paragraph, " * ", " * ", 80)]
    return "\n".join([*lines, " */"])


def checked_body(lines: list[str], checks: Sequence[KernelCheck]) -> str:
    """A helper's body: `lines`, then `checks` and `return 0`, with the loop variables the
    checks use declared first."""
    variables = loop_variables(checks)
    head = [f"\tunsigned int {variables};"] if variables else []
    tail = [check.c_statement for check in checks]
    return "\n".join([*head, *lines, *tail, "\treturn 0;"])


@dataclass(frozen=True)
class KernelHelper:
    """A member of a command's struct that the kernel header has helpers for."""

    range: CommandRange
    command: Command
    member: Member

    @cached_property
    def struct(self) -> str:
        assert self.command.struct is not None
        return f"struct {self.command.struct.name}"

    @cached_property
    def ioctl(self) -> str:
        return self.command.ioctl_name or self.command.name

    @cached_property
    def cmd_param(self) -> tuple[str, str]:
        """The kernel-doc of every helper's `cmd` parameter."""
        return ("cmd", f"The struct of {self.ioctl}, as the dispatch copied it in.")
