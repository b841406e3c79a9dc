"""How a command's ioctl number is built: luogen's extensible `_IO(type, nr)`, or a classic
header's `_IO`, `_IOR`, `_IOW`, `_IOWR` or raw `_IOC`, whose number carries the direction and the
size of the argument (so it differs where the argument's size does)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Literal

from ..records import dataclass
from .arch import ARCHES, Arch, IoctlEncoding
from .direction import Direction

if TYPE_CHECKING:
    from .kinds import Kind
    from .nodes import Command

Macro = Literal[
    "_IO", "_IOR", "_IOW", "_IOWR", "_IOC", "literal", "_SIO", "_SIOR", "_SIOW", "_SIOWR"
]
# <linux/soundcard.h>'s OSS macros, each the architecture's own macro but where the architecture
# has an `oss_encoding` (sparc): then the header builds the number itself (see OSS_SPARC).
OSS: dict[Macro, Macro] = {"_SIO": "_IO", "_SIOR": "_IOR", "_SIOW": "_IOW", "_SIOWR": "_IOWR"}
# What each classic macro says of the argument: who writes it.
_DIRECTIONS: dict[str, Direction | None] = {
    "_IO": None,
    "literal": None,
    "_IOR": Direction.OUT,
    "_IOW": Direction.IN,
    "_IOWR": Direction.INOUT,
}
_IOC_FIELDS = {
    "_IOC_NONE": (False, False),
    "_IOC_READ": (True, False),
    "_IOC_WRITE": (False, True),
    "_IOC_READ|_IOC_WRITE": (True, True),
}


class CommandEncoding(ABC):
    @abstractmethod
    def number(self, command: Command, arch: Arch) -> int:
        """The command's number on `arch`."""

    @abstractmethod
    def c_value(self, command: Command) -> str:
        """The value of the command's macro in the header."""

    def size_on(self, command: Command, arch: Arch) -> int:
        """The size the number encodes on `arch` (0: none)."""
        return 0

    @property
    def classic(self) -> bool:
        return True

    @property
    def c_definitions(self) -> str | None:
        """What the header must define for the command's macro (None: <linux/ioctl.h> does)."""
        return None

    @property
    def argument_direction(self) -> Direction | None:
        """Who writes the argument, as the encoding says (None: it says nothing)."""
        return None

    def encoded_kind(self, argument: Kind) -> Kind:
        """The type the number encodes the size of, for an argument of kind `argument`."""
        return argument


@dataclass(frozen=True)
class Extensible(CommandEncoding):
    """`_IO(type, nr)`: the number carries no size and no direction; the struct says both."""

    def number(self, command: Command, arch: Arch) -> int:
        return arch.encoding.io(command.ioctl_type, command.nr)

    def c_value(self, command: Command) -> str:
        return f"_IO({command.ioctl_type_name}, {command.cmd_name})"

    @property
    def classic(self) -> bool:
        return False


@dataclass(frozen=True)
class Classic(CommandEncoding):
    """A classic header's encoding macro; `_IOC` gives its direction and its size (a number, or
    `sizeof` of the argument) itself."""

    macro: Macro
    direction: str | None = None  # _IOC: _IOC_NONE, _IOC_READ, _IOC_WRITE or both
    size: int | None = None  # _IOC with a number for the size
    # The type whose size the number encodes where the driver transfers another (`transfers:`):
    # BLKGETSIZE64 encodes size_t and writes a u64.
    encoded: Kind | None = None

    def encoded_kind(self, argument: Kind) -> Kind:
        return self.encoded or argument

    @property
    def base(self) -> Macro:
        """The architecture's own macro this one is (an OSS `_SIOR`: `_IOR`)."""
        return OSS.get(self.macro, self.macro)

    @property
    def argument_direction(self) -> Direction | None:
        if self.macro != "_IOC":
            return _DIRECTIONS[self.base]
        reads, writes = _IOC_FIELDS[self.direction or "_IOC_NONE"]
        if reads and writes:
            return Direction.INOUT
        return Direction.OUT if reads else Direction.IN if writes else None

    def bits(self, encoding: IoctlEncoding) -> int:
        direction = self.argument_direction
        if direction is None:
            return encoding.dir_none
        bits = encoding.dir_read if direction.kernel_writes else 0
        return bits | (encoding.dir_write if direction.kernel_reads else 0)

    def size_on(self, command: Command, arch: Arch) -> int:
        """The size the number encodes on `arch`."""
        if self.size is not None:
            return self.size
        argument = command.argument
        if argument is None or self.base == "_IO":
            return 0
        return self.encoded_kind(argument.kind).size(arch)

    @property
    def c_definitions(self) -> str | None:
        return oss_macros() if self.macro in OSS else None

    def encoding_on(self, arch: Arch) -> IoctlEncoding:
        """The `_IOC` layout the number is built with on `arch`."""
        if self.macro in OSS and arch.oss_encoding is not None:
            return arch.oss_encoding
        return arch.encoding

    def number(self, command: Command, arch: Arch) -> int:
        if self.macro == "literal":  # no direction, no size: the same everywhere
            return command.ioctl_type << 8 | command.nr
        size = self.size_on(command, arch)
        encoding = self.encoding_on(arch)
        return encoding.ioc(self.bits(encoding), command.ioctl_type, command.nr, size)

    def c_value(self, command: Command) -> str:
        if self.macro == "literal":
            return f"0x{command.ioctl_type:02X}{command.nr:02X}"
        if self.base == "_IO":
            return f"{self.macro}({command.type_spelling}, {command.nr_spelling})"
        head = f"{command.type_spelling}, {command.nr_spelling}"
        if self.size is not None:
            return f"_IOC({self.direction}, {head}, {self.size})"
        spelled = command.argument_spelling
        if self.macro != "_IOC":
            return f"{self.macro}({head}, {spelled})"
        return f"_IOC({self.direction}, {head}, sizeof({spelled}))"


EXTENSIBLE = Extensible()


def oss_macros() -> str:
    """The definitions of the OSS macros as <linux/soundcard.h> has them: its own numbers where
    `sparc` or `__sparc__` is defined, the architecture's _IO.. macros elsewhere."""
    own = next(a.oss_encoding for a in ARCHES if a.oss_encoding is not None)
    size = f"((sizeof(__oss_arg) & 0x{own.max_size:x}) << 16)"
    head = "((__oss_typ) << 8) | (__oss_nr)"
    lines = [
        "#ifndef _SIOWR",
        "#if defined(_IOWR) && !defined(sparc) && !defined(__sparc__)",
        *(f"#define {oss} {base}" for oss, base in OSS.items()),
        "#else",
    ]
    for oss in OSS:
        bits = f"0x{Classic(oss).bits(own) << own.dir_shift:08x}"
        if oss == "_SIO":
            lines.append(f"#define {oss}(__oss_typ, __oss_nr) ((int)({bits} | {head}))")
        else:
            params = "__oss_typ, __oss_nr, __oss_arg"
            lines.append(f"#define {oss}({params}) \\\n\t((int)({bits} | {size} | {head}))")
    return "\n".join([*lines, "#endif", "#endif"])
