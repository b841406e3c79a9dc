"""The kernel target's helpers of counted arrays: for each array of a command, `static inline`
functions of the kernel header that a handler calls to copy the elements in (checked as the
dispatch checks the struct) or out, the query protocol included. They wrap the dispatch core's
`luogen_array_*()` with the element type, the count member and the maximum count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cached import cached_property
from ..records import dataclass
from ..text import c_call
from .direction import Direction
from .kernel_helpers import KernelHelper, kdoc
from .kinds import KernelCheck, loop_variables
from .kinds.counted import CountedArray

if TYPE_CHECKING:
    from .nodes import CommandRange

_UNSUPPORTED = (
    "-EOPNOTSUPP when an element has a non-zero reserved member, an unknown flag or enum value"
)


@dataclass(frozen=True)
class KernelArray(KernelHelper):
    """One counted array of a command, as the kernel's helpers see it."""

    ucmd_struct: str  # the struct of one call the handlers take (KernelBuild.ucmd_struct)

    @cached_property
    def kind(self) -> CountedArray:
        kind = self.member.kind
        assert isinstance(kind, CountedArray)
        return kind

    @cached_property
    def prefix(self) -> str:
        return f"{self.range.kernel_prefix}_{self.command.name}_{self.member.name}"

    @cached_property
    def element(self) -> str:
        """The C type of an element, as a kernel C file spells it."""
        scalar = self.kind.element.scalar
        return scalar.name if scalar is not None else self.kind.element_c

    @cached_property
    def count(self) -> str:
        return f"cmd->{self.kind.length.name}"

    @cached_property
    def count_type(self) -> str:
        return self.kind.length_kind.name

    @cached_property
    def pointer(self) -> str:
        return f"cmd->{self.member.name}"

    @cached_property
    def checks(self) -> tuple[KernelCheck, ...]:
        """The element pre-checks, over every element `elems[i]` (a struct's members by their
        own rules: reserved ones zero, enums and flags known)."""
        loop = "for (i = 0; i < count; i++)"
        return tuple(
            KernelCheck((loop, *check.loops), check.condition)
            for check in self.kind.element.c_checks("elems[i]", Direction.IN, 1)
        )

    @cached_property
    def functions(self) -> tuple[str, ...]:
        """The names of the array's helpers, as `helpers` defines them."""
        if self.kind.query:
            names = ["answer"]
        elif self.kind.direction is Direction.OUT:
            names = ["alloc", "copy_out"]
        else:
            names = ["check"] if self.checks else []
            names += ["copy_in"] + (["copy_out"] if self.kind.direction is Direction.INOUT else [])
        return tuple(f"{self.prefix}_{name}" for name in names)

    # --- the helpers ----------------------------------------------------------------------

    @cached_property
    def helpers(self) -> tuple[str, ...]:
        """The C functions the array's direction needs, each with its kernel-doc."""
        if self.kind.query:
            return (self.answer,)
        if self.kind.direction is Direction.IN:
            return (*self.check_fn, self.copy_in)
        if self.kind.direction is Direction.INOUT:
            return (*self.check_fn, self.copy_in, self.copy_out)
        return (self.alloc, self.copy_out)

    @cached_property
    def check_fn(self) -> tuple[str, ...]:
        """The function that checks the elements (none when nothing is to check)."""
        if not self.checks:
            return ()
        variables = loop_variables(self.checks)
        body = "\n".join(check.c_statement for check in self.checks)
        head = c_call(
            [f"const {self.element} *elems", f"{self.count_type} count"],
            f"static inline int {self.prefix}_check(",
            ")",
        )
        return (
            f"/* The checks of each element of @{self.member.name} of {self.ioctl}. */\n"
            f"{head}\n{{\n\tunsigned int {variables};\n\n{body}\n\treturn 0;\n}}",
        )

    def _signature(self, name: str, result: str, params: list[str]) -> str:
        """A definition's head: the result type on a line of its own when it is a pointer."""
        if result.endswith("*"):
            return f"static inline {result}\n" + c_call(params, f"{self.prefix}_{name}(", ")")
        return c_call(params, f"static inline {result} {self.prefix}_{name}(", ")")

    @cached_property
    def _limit(self) -> str:
        return (
            f"{self.kind.max_spelled} ({self.kind.max_value})"
            if self.kind.max_name
            else (self.kind.max_spelled)
        )

    @cached_property
    def copy_in(self) -> str:
        checked = bool(self.checks)
        refusal = f"; {_UNSUPPORTED}" if checked else ""
        doc = kdoc(
            f"{self.prefix}_copy_in() - Copy in the elements at @{self.member.name}",
            [self.cmd_param],
            f"Return: the {self.count} elements, to free with kvfree(); NULL when there are "
            f"none; an ERR_PTR(): -E2BIG over {self._limit} elements, -EFAULT, -ENOMEM"
            f"{refusal}.",
        )
        call = c_call(
            [self.pointer, self.count, self.kind.max_spelled, "sizeof(*elems)"],
            "elems = luogen_array_copy_in(",
            ");",
            "\t",
        )
        if not checked:
            lines = [
                c_call(
                    [self.pointer, self.count, self.kind.max_spelled, f"sizeof({self.element})"],
                    "return luogen_array_copy_in(",
                    ");",
                    "\t",
                )
            ]
        else:
            lines = [
                f"\t{self.element} *elems;",
                "\tint ret;",
                "",
                call,
                "\tif (IS_ERR_OR_NULL(elems))",
                "\t\treturn elems;",
                f"\tret = {self.prefix}_check(elems, {self.count});",
                "\tif (ret) {",
                "\t\tkvfree(elems);",
                "\t\treturn ERR_PTR(ret);",
                "\t}",
                "\treturn elems;",
            ]
        head = self._signature("copy_in", f"{self.element} *", [f"const {self.struct} *cmd"])
        return f"{doc}\n{head}\n{{\n" + "\n".join(lines) + "\n}"

    @cached_property
    def alloc(self) -> str:
        doc = kdoc(
            f"{self.prefix}_alloc() - Room for the elements at @{self.member.name}",
            [self.cmd_param],
            f"Return: {self.count} zeroed elements, to free with kvfree(); NULL when there are "
            f"none; an ERR_PTR(): -E2BIG over {self._limit} elements, -ENOMEM.",
        )
        call = c_call(
            [self.count, self.kind.max_spelled, f"sizeof({self.element})"],
            "return luogen_array_alloc(",
            ");",
            "\t",
        )
        head = self._signature("alloc", f"{self.element} *", [f"const {self.struct} *cmd"])
        return f"{doc}\n{head}\n{{\n{call}\n}}"

    @cached_property
    def copy_out(self) -> str:
        doc = kdoc(
            f"{self.prefix}_copy_out() - Copy out the elements at @{self.member.name}",
            [self.cmd_param, ("elems", f"The {self.count} elements.")],
            "Return: 0, or -EFAULT.",
        )
        call = c_call(
            [self.pointer, "elems", self.count, "sizeof(*elems)"],
            "return luogen_array_copy_out(",
            ");",
            "\t",
        )
        params = [f"const {self.struct} *cmd", f"const {self.element} *elems"]
        head = self._signature("copy_out", "int", params)
        return f"{doc}\n{head}\n{{\n{call}\n}}"

    @cached_property
    def answer(self) -> str:
        count = self.kind.length.name
        doc = kdoc(
            f"{self.prefix}_answer() - Answer with the elements at @{self.member.name}",
            [
                ("ucmd", f"The call of {self.ioctl}."),
                ("elems", "The elements the kernel has."),
                ("total", "How many there are."),
            ],
            f"Copies the elements that fit the caller's array (its capacity is the {count} it "
            f"passed), sets {count} to @total and copies the struct back: the handler returns "
            "what this returns.",
            "Return: 0; -EMSGSIZE when the array is too small; -EFAULT.",
        )
        copy = c_call(
            [self.pointer, "elems", f"min_t({self.count_type}, capacity, total)", "sizeof(*elems)"],
            "ret = luogen_array_copy_out(",
            ");",
            "\t",
        )
        answer = c_call(
            ["ucmd", "sizeof(*cmd)", "capacity", "total"], "return luogen_array_answer(", ");", "\t"
        )
        lines = [
            f"\t{self.struct} *cmd = ucmd->cmd;",
            f"\t{self.count_type} capacity = {self.count};",
            "\tint ret;",
            "",
            copy,
            "\tif (ret)",
            "\t\treturn ret;",
            f"\t{self.count} = total;",
            answer,
        ]
        params = [
            f"struct {self.ucmd_struct} *ucmd",
            f"const {self.element} *elems",
            f"{self.count_type} total",
        ]
        head = self._signature("answer", "int", params)
        return f"{doc}\n{head}\n{{\n" + "\n".join(lines) + "\n}"


def kernel_arrays(ranges: tuple[CommandRange, ...], ucmd_struct: str) -> tuple[KernelArray, ...]:
    """Every counted array of the commands of `ranges`, in order; their answer helpers take a
    `struct ucmd_struct`."""
    return tuple(
        KernelArray(r, c, m, ucmd_struct)
        for r in ranges
        for c in r.live
        if c.struct is not None
        for m in c.struct.members
        if isinstance(m.kind, CountedArray)
    )
