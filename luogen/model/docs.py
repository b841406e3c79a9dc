"""What the docs page says of the commands: a table row per command and the paragraph before
the table, for extensible commands (a size-first struct, any size from the minimum up) and
classic ones (the number encodes the argument's direction and size)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cached import cached_property
from ..text import spelled_names
from .arch import ARCHES, HOST_REFERENCE

if TYPE_CHECKING:
    from .nodes import Command, CommandRange

_EXTENSIBLE = (
    "Each takes a pointer to its own structure, whose first member, {size}, userspace sets to "
    "the size of the structure it was built with; the kernel accepts any size from the minimum "
    "size up."
)

_CLASSIC = (
    "Each is a classic ioctl: its number encodes who writes the argument (``_IOR``: the kernel, "
    "``_IOW``: userspace, ``_IOWR``: both, ``_IO``: there is none) and the argument's size, so "
    "where that size differs between architectures, so does the number."
)


def _classic_size(command: Command) -> str:
    """The size the classic command's number encodes: the host's, and where it differs."""
    host = command.encoding.size_on(command, HOST_REFERENCE)
    others: dict[int, list[str]] = {}
    for arch in ARCHES:
        size = command.encoding.size_on(command, arch)
        if size != host:
            others.setdefault(size, []).append(arch.name)
    elsewhere = [f"{size} on {', '.join(names)}" for size, names in others.items()]
    return "; ".join([str(host) if host else "none", *elsewhere])


def _row(command: Command, model_type: str, issued_on: str) -> tuple[str, ...]:
    if not command.encoding.classic:
        assert command.struct is not None
        struct = command.struct
        number = f"``_IO({model_type}, {command.c_nr})``"
        return (f"``{command.ioctl_name}``", number, f"``struct {struct.name}``", issued_on,
                str(struct.size), str(struct.min_size))  # fmt: skip
    argument = f"``{command.argument_spelling}``" if command.argument is not None else "none"
    if command.argument_by_value:
        argument += " (by value)"
    return (f"``{command.ioctl_name}``", f"``{command.c_io}``", argument, issued_on,
            _classic_size(command), "-")  # fmt: skip


class DocsModel:
    if TYPE_CHECKING:

        @property
        def ranges(self) -> tuple[CommandRange, ...]: ...
        @property
        def c_ioctl_type(self) -> str: ...
        @property
        def ioctl_type_name(self) -> str: ...
        @property
        def ioctl_type(self) -> int: ...
        @property
        def commands(self) -> tuple[Command, ...]: ...
        @property
        def classic_commands(self) -> tuple[Command, ...]: ...
        @property
        def extensible_commands(self) -> tuple[Command, ...]: ...

    @cached_property
    def docs_ioctl_type(self) -> str:
        """The type byte as ioctl-number.rst spells it: a character literal bare (`';'`, where
        the header's macro says `(';')`), else the header's number."""
        spelled = self.c_ioctl_type
        return spelled[1:-1] if spelled.startswith("(") and spelled.endswith(")") else spelled

    @cached_property
    def size_member_names(self) -> tuple[str, ...]:
        """The names of the extensible commands' size headers (`size`, `argsz`), each once."""
        names = (c.struct.size_member for c in self.extensible_commands if c.struct is not None)
        return tuple(dict.fromkeys(m.name for m in names if m is not None))

    @cached_property
    def docs_command_rows(self) -> tuple[tuple[str, ...], ...]:
        """The command table's rows: ioctl, number, argument, issued on, size, minimum size."""
        return tuple(
            _row(command, self.docs_ioctl_type, command_range.issued_on)
            for command_range in self.ranges
            for command in command_range.live
        )

    @cached_property
    def docs_commands_intro(self) -> str:
        """The paragraph before the command table."""
        if {c.ioctl_type for c in self.commands} <= {self.ioctl_type}:
            lead = f"All commands use ioctl type ``{self.docs_ioctl_type}``"
            if self.c_ioctl_type != self.ioctl_type_name:
                lead += f" (``{self.ioctl_type_name}``)"
            sentences = [lead + "."]
        else:
            sentences = ["The commands use several ioctl types: the number column names each."]
        size = spelled_names(self.size_member_names, "``")
        sentences += [_EXTENSIBLE.format(size=size)] if self.extensible_commands else []
        sentences += [_CLASSIC] if self.classic_commands else []
        return " ".join(sentences)
