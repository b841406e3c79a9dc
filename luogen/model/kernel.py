"""The kernel target's view of the model: the names of the generated dispatch and the checks it
runs before a handler. What does not vary with the spec is the dispatch core
(`luogen/runtime/luogen_dispatch.h`), which every generated kernel folder gets as a file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cached import cached_property
from ..errors import Diagnostic, Location, SpecError
from ..records import dataclass
from ..text import c_call
from .direction import Direction
from .kernel_arrays import kernel_arrays
from .kernel_data import kernel_data
from .kinds import Array, KernelCheck, loop_variables

if TYPE_CHECKING:
    from .direction_by import DirectionBy
    from .kinds import Kind
    from .nodes import Command, CommandRange, Struct
    from .values import Flag


@dataclass(frozen=True)
class DriverUcmd:
    """The driver's own struct of one call, which its handlers take (`kernel: ucmd:`)."""

    struct: str  # its tag
    header: str  # the driver's header that defines it
    context: str  # its member the dispatch sets to the file's private_data

    @property
    def c_lines(self) -> tuple[str, ...]:
        """What the generated header says before it includes the dispatch core: the driver's
        header and the macros by which the core declares and fills the struct."""
        return (
            f'#include "{self.header}"',
            "",
            f"/* The handlers take struct {self.struct}; the dispatch sets its {self.context}. */",
            f"#define LUOGEN_UCMD {self.struct}",
            f"#define LUOGEN_UCMD_OPEN(ucmd, filp) ((ucmd)->{self.context} = (filp)->private_data)",
            "",
        )


@dataclass(frozen=True)
class KernelBuild:
    """Where the generated dispatch lives in a kernel tree and what it is linked with."""

    dir: str
    config: str
    module: str
    objects: tuple[str, ...]  # the maintainer's own, besides the generated dispatch
    # (object, Kconfig symbol) of each of the maintainer's objects linked only under a symbol
    conditional: tuple[tuple[str, str], ...] = ()
    ucmd: DriverUcmd | None = None  # None: the handlers take the core's struct luogen_ucmd

    @property
    def ucmd_struct(self) -> str:
        """The struct the handlers take."""
        return self.ucmd.struct if self.ucmd else "luogen_ucmd"

    @property
    def ucmd_lines(self) -> tuple[str, ...]:
        """The generated header's lines that declare the driver's struct to the core."""
        return self.ucmd.c_lines if self.ucmd else ()


def _grouped(condition: str) -> str:
    """`condition` as an operand of `&&`: in parentheses when it has an `||`."""
    return f"({condition})" if " || " in condition else condition


class KernelMember:
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def kind(self) -> Kind: ...
        @property
        def reserved(self) -> bool: ...
        @property
        def direction(self) -> Direction | None: ...
        @property
        def when(self) -> Flag | None: ...
        @property
        def when_in(self) -> KernelMember | None: ...
        @property
        def direction_by(self) -> DirectionBy | None: ...
        @property
        def doc_notes(self) -> bool: ...
        @property
        def since(self) -> str | None: ...

    @cached_property
    def notes(self) -> tuple[str, ...]:
        """What luogen adds to the member's doc: what its values are, what the kernel checks
        (under which flag or selector values), since when it is there."""
        if not self.doc_notes:
            return ()
        out = self.direction is Direction.OUT
        note = self.kind.kdoc_output_note if out else self.kind.kdoc_note
        reserved = "Must be zero." if self.reserved else ""
        since = f"Optional: appended in {self.since}." if self.since else ""
        by = self.direction_by.note if self.direction_by is not None else ""
        return tuple(text for text in (self.when_note, by, note, reserved, since) if text)

    @cached_property
    def when_note(self) -> str:
        """What the member's doc says of the flag it is read under ("" when it has none)."""
        if self.when is None or self.when_in is None:
            return ""
        flag = f"%{self.when.name} set in @{self.when_in.name}"
        if self.direction is Direction.INOUT:
            return f"An input only with {flag}."
        return f"Read only with {flag}; must be zero without it."

    def when_checks(self, expr: str) -> tuple[KernelCheck, ...]:
        """The member's checks at `expr` under the flag it is read under: its own only with the
        flag set, and, for an input only, must-be-zero without it."""
        assert self.when is not None and self.when_in is not None
        flag = f"(cmd->{self.when_in.name} & {self.when.name})"
        own = self.c_checks(expr, self.direction)
        checks = [KernelCheck(c.loops, f"{flag} && {_grouped(c.condition)}") for c in own]
        if self.direction is Direction.IN:
            scalar = self.kind.scalar is not None and not isinstance(self.kind, Array)
            address = expr if isinstance(self.kind, Array) else f"&{expr}"
            nonzero = expr if scalar else f"memchr_inv({address}, 0, sizeof({expr}))"
            checks.append(KernelCheck((), f"!{flag} && {nonzero}"))
        return tuple(checks)

    def direction_by_checks(self, expr: str) -> tuple[KernelCheck, ...]:
        """The member's checks at `expr` under the selector values that have the kernel read
        it; with any other value the kernel reads nothing there, so nothing is checked."""
        assert self.direction_by is not None
        reads = _grouped(self.direction_by.c_reads("cmd"))
        own = self.c_checks(expr, self.direction)
        return tuple(KernelCheck(c.loops, f"{reads} && {_grouped(c.condition)}") for c in own)

    def kernel_checks_at(self, expr: str) -> tuple[KernelCheck, ...]:
        """The member's checks at `expr` of the command's struct: under its flag, under the
        selector values that read it, or always."""
        if self.when is not None:
            return self.when_checks(expr)
        if self.direction_by is not None:
            return self.direction_by_checks(expr)
        return self.c_checks(expr, self.direction)

    def c_checks(
        self, expr: str, direction: Direction | None, depth: int = 0
    ) -> tuple[KernelCheck, ...]:
        """The kernel's checks of the member at `expr` (`direction`: its own, or its
        container's), each true when it must answer EOPNOTSUPP: a reserved member that is not
        zero, or an input holding an unknown enum value or flag, at any depth of nested structs
        and arrays."""
        if self.reserved:
            if isinstance(self.kind, Array):
                return (KernelCheck((), f"memchr_inv({expr}, 0, sizeof({expr}))"),)
            return (KernelCheck((), expr),)
        if direction is not None and direction.kernel_reads:
            return self.kind.c_checks(expr, direction, depth)
        return ()


class KernelCommand:
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def struct(self) -> Struct | None: ...
        @property
        def config(self) -> str | None: ...

    @cached_property
    def kernel_if(self) -> str:
        """The line that opens what the dispatch has of the command only under its Kconfig
        symbol ("" when it has no symbol); `kernel_endif` closes it."""
        return f"#if IS_ENABLED({self.config})\n" if self.config else ""

    @cached_property
    def kernel_endif(self) -> str:
        return "#endif\n" if self.config else ""

    @cached_property
    def kernel_checks(self) -> tuple[KernelCheck, ...]:
        """Checks of `cmd`, each true when the dispatcher must answer EOPNOTSUPP."""
        if self.struct is None:
            return ()
        return tuple(
            check for m in self.struct.members for check in m.kernel_checks_at(f"cmd->{m.name}")
        )

    @cached_property
    def kernel_loop_declaration(self) -> str:
        """The declaration of the loop variables the checks use, led by a newline ("" when
        none loops)."""
        variables = loop_variables(self.kernel_checks)
        return f"\n\tunsigned int {variables};" if variables else ""


class KernelRange:
    if TYPE_CHECKING:

        @property
        def kernel_prefix(self) -> str: ...
        @property
        def live(self) -> tuple[Command, ...]: ...
        @property
        def fallback(self) -> str | None: ...
        @property
        def base_name(self) -> str: ...

    @cached_property
    def kernel_fallback(self) -> str:
        """The dispatcher's statement that hands a number outside the op table to the
        driver's fallback ("" without one)."""
        if self.fallback is None:
            return ""
        test = f"!luogen_in_table(cmd, ARRAY_SIZE({self.kernel_ops}), {self.base_name})"
        return f"\tif ({test})\n\t\treturn {self.fallback}(file, cmd, arg);\n"

    @cached_property
    def kernel_fallback_prototype(self) -> str:
        """The fallback's prototype in the kernel header, a line ("" without one)."""
        if self.fallback is None:
            return ""
        params = ["struct file *file", "unsigned int cmd", "unsigned long arg"]
        return c_call(params, f"long {self.fallback}(", ");") + "\n"

    @cached_property
    def kernel_union(self) -> str:
        return f"{self.kernel_prefix}_ucmd_buffer"

    @cached_property
    def kernel_ops(self) -> str:
        return f"{self.kernel_prefix}_ops"

    @cached_property
    def kernel_ioctl(self) -> str:
        """The range's dispatcher: its file_operations' unlocked_ioctl."""
        return f"{self.kernel_prefix}_ioctl"

    @cached_property
    def checked_commands(self) -> tuple[tuple[Command, str], ...]:
        """(command, check function) for each command with checks before its handler."""
        return tuple(
            (c, f"{self.kernel_prefix}_check_{c.name}") for c in self.live if c.kernel_checks
        )

    @cached_property
    def kernel_check_fns(self) -> dict[str, str]:
        """Each live command's check function in the op table ("NULL": none), by name."""
        checked = {c.name: fn for c, fn in self.checked_commands}
        return {c.name: checked.get(c.name, "NULL") for c in self.live}


class KernelModel:
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def path(self) -> str: ...
        @property
        def kernel(self) -> KernelBuild: ...
        @property
        def classic_commands(self) -> tuple[Command, ...]: ...
        @property
        def ranges(self) -> tuple[CommandRange, ...]: ...

    @cached_property
    def kernel_refusal(self) -> SpecError | None:
        """Why the kernel target cannot render the spec: it generates the extensible dispatch,
        which classic commands have no part in (their driver keeps its own ioctl handler, whose
        semantics per command no spec states)."""
        classic = self.classic_commands
        if not classic:
            return None
        first = classic[0]
        more = f" (and {len(classic) - 1} more)" if len(classic) > 1 else ""
        message = (
            f"the kernel target cannot dispatch classic command '{first.ioctl_name}'{more}: it "
            "generates the extensible dispatch (a size-first struct per command, copied with "
            "copy_struct_from_user()), and a classic ioctl keeps its driver's own handler; "
            "generate the other targets (list them under 'targets:', or -t uapi -t rust -t python)"
        )
        where = first.where or Location(self.path, 1, 1)
        return SpecError([Diagnostic(where, "error", message)])

    @cached_property
    def kernel_header(self) -> str:
        """The generated kernel header (handlers' prototypes), as the dispatch includes it."""
        return f"{self.name}_ioctl.h"

    @cached_property
    def kernel_guard(self) -> str:
        return f"_{self.name.upper()}_IOCTL_H"

    @cached_property
    def kernel_objects(self) -> tuple[str, ...]:
        """The composite object's parts: the generated dispatch, then the maintainer's."""
        return (f"{self.name}_ioctl.o", *self.kernel.objects)

    @cached_property
    def kernel_array_helpers(self) -> tuple[str, ...]:
        """The kernel header's helpers of the commands' counted arrays (kernel_arrays.py)."""
        arrays = kernel_arrays(self.ranges, self.kernel.ucmd_struct)
        return tuple(helper for array in arrays for helper in array.helpers)

    @cached_property
    def kernel_data_helpers(self) -> tuple[str, ...]:
        """The kernel header's helpers of the commands' driver data (kernel_data.py)."""
        return tuple(data.helper for data in kernel_data(self.ranges))
