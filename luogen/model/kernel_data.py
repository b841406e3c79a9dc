"""The kernel target's helpers of driver data: for each struct a selector value chooses,
a `static inline` function of the kernel header that a handler calls to copy the struct in
(the selector checked, the minimum size, copy_struct_from_user(), the struct's pre-checks), to
copy it out (at most the caller's length, the rest of its room zeroed, the length and the
selector reported), or, for data the kernel writes back, to copy it in and then back (at most
the caller's length, over what it passed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cached import cached_property
from ..records import dataclass
from ..text import c_call
from .direction import Direction
from .kernel_entries import copy_entry
from .kernel_helpers import KernelHelper, checked_body, kdoc
from .kinds import KernelCheck
from .kinds.entries import DataEntries
from .kinds.selected import DataChoice, DriverData

if TYPE_CHECKING:
    from .nodes import CommandRange


@dataclass(frozen=True)
class KernelData(KernelHelper):
    """One struct that driver data of a command may be, as the kernel's helper sees it."""

    choice: DataChoice

    @cached_property
    def kind(self) -> DriverData:
        kind = self.member.kind
        assert isinstance(kind, DriverData)
        return kind

    @cached_property
    def function(self) -> str:
        """`<prefix>_<command>_<value>`, the value without the words every value of its enum
        has (IOMMU_HWPT_DATA_VTD_S1: `vtd_s1`)."""
        stem = self.kind.stems[self.choice.value.name]
        return f"{self.range.kernel_prefix}_{self.command.name}_{stem.lower()}"

    @cached_property
    def functions(self) -> tuple[str, ...]:
        verbs = _VERBS[self.kind.direction]
        return tuple(f"{self.function}_{verb}" for verb in verbs)

    @cached_property
    def checks(self) -> tuple[KernelCheck, ...]:
        """The pre-checks of the copied struct (reserved members zero, flags and enums known)."""
        struct = self.choice.struct
        assert struct is not None
        return tuple(
            check
            for m in struct.members
            for check in m.c_checks(f"data->{m.name}", Direction.IN, 0)
        )

    @cached_property
    def helper(self) -> str:
        """The helpers' definitions, one after the other."""
        direction = self.kind.direction
        if direction is Direction.INOUT:
            return f"{self.copy_in}\n\n{self.copy_back}"
        return self.copy_in if direction is Direction.IN else self.copy_out

    @cached_property
    def _names(self) -> tuple[str, str, str, str]:
        kind = self.kind
        return (
            f"cmd->{kind.selector_name}",
            f"cmd->{kind.length.name}",
            f"cmd->{self.member.name}",
            self.choice.value.name,
        )

    @cached_property
    def copy_in(self) -> str:
        if isinstance(self.kind, DataEntries):
            return copy_entry(self, self.kind)
        selector, length, pointer, value = self._names
        minimum = self.choice.min_size
        refusal = (
            ", -EOPNOTSUPP when it has a non-zero reserved member, an unknown flag or enum value"
            if self.checks
            else ""
        )
        doc = kdoc(
            f"{self.function}_copy_in() - Copy in the {self.choice.c_struct} at "
            f"@{self.member.name}",
            [self.cmd_param, ("data", f"Where the {self.choice.c_struct} goes.")],
            f"The data is {self.choice.c_struct} when @{selector[5:]} is {value}. Shorter "
            "data than the kernel's struct is zero-extended; longer data must be zero beyond "
            "it.",
            f"Return: 0; -EINVAL when @{selector[5:]} is not {value} or @{length[5:]} is under "
            f"{minimum}; -E2BIG when the bytes beyond the struct are not zero; -EFAULT{refusal}.",
        )
        copy = c_call(
            ["data", "sizeof(*data)", f"u64_to_user_ptr({pointer})", length],
            "ret = copy_struct_from_user(",
            ");",
            "\t",
        )
        lines = [
            "\tint ret;",
            "",
            f"\tif ({selector} != {value} || {length} < {minimum})",
            "\t\treturn -EINVAL;",
            copy,
            "\tif (ret)",
            "\t\treturn ret;",
        ]
        params = [f"const {self.struct} *cmd", f"{self.choice.c_struct} *data"]
        head = c_call(params, f"static inline int {self.function}_copy_in(", ")")
        return f"{doc}\n{head}\n{{\n{checked_body(lines, self.checks)}\n}}"

    @cached_property
    def copy_out(self) -> str:
        selector, length, pointer, value = self._names
        doc = kdoc(
            f"{self.function}_copy_out() - Copy out the {self.choice.c_struct} at "
            f"@{self.member.name}",
            [
                ("cmd", f"The struct of {self.ioctl}, which the handler answers with."),
                ("data", f"The {self.choice.c_struct} the kernel reports."),
            ],
            f"Copies at most the @{length[5:]} bytes the caller has room for and zeroes the "
            f"rest of its room; sets @{length[5:]} to the size of the struct and "
            f"@{selector[5:]} to {value}; the handler then answers with "
            "luogen_ucmd_respond().",
            "Return: 0, or -EFAULT.",
        )
        copy = c_call(["uptr", "data", "len"], "if (copy_to_user(", "))", "\t")
        lines = [
            f"\tvoid __user *uptr = u64_to_user_ptr({pointer});",
            f"\tu32 len = min_t(u32, {length}, sizeof(*data));",
            "",
            copy,
            "\t\treturn -EFAULT;",
            f"\tif ({length} > len && clear_user(uptr + len, {length} - len))",
            "\t\treturn -EFAULT;",
            f"\t{length} = sizeof(*data);",
            f"\t{selector} = {value};",
            "\treturn 0;",
        ]
        params = [f"{self.struct} *cmd", f"const {self.choice.c_struct} *data"]
        head = c_call(params, f"static inline int {self.function}_copy_out(", ")")
        return f"{doc}\n{head}\n{{\n" + "\n".join(lines) + "\n}"

    @cached_property
    def copy_back(self) -> str:
        selector, length, pointer, value = self._names
        doc = kdoc(
            f"{self.function}_copy_back() - Write the {self.choice.c_struct} back to "
            f"@{self.member.name}",
            [
                ("cmd", f"The struct of {self.ioctl}, as the dispatch copied it in."),
                ("data", f"The {self.choice.c_struct} the kernel writes back."),
            ],
            f"Writes the struct over the data userspace passed, at most its @{length[5:]} "
            "bytes (fewer when the struct is shorter); @cmd is unchanged. The handler calls it "
            f"after {self.function}_copy_in(), before it answers.",
            f"Return: 0; -EINVAL when @{selector[5:]} is not {value}; -EFAULT.",
        )
        copy = c_call(
            [f"u64_to_user_ptr({pointer})", "data", f"min_t(u32, {length}, sizeof(*data))"],
            "if (copy_to_user(",
            "))",
            "\t",
        )
        lines = [
            f"\tif ({selector} != {value})",
            "\t\treturn -EINVAL;",
            copy,
            "\t\treturn -EFAULT;",
            "\treturn 0;",
        ]
        params = [f"const {self.struct} *cmd", f"const {self.choice.c_struct} *data"]
        head = c_call(params, f"static inline int {self.function}_copy_back(", ")")
        return f"{doc}\n{head}\n{{\n" + "\n".join(lines) + "\n}"


# The helpers of each direction of data, by the verb that ends their names.
_VERBS = {
    Direction.IN: ("copy_in",),
    Direction.OUT: ("copy_out",),
    Direction.INOUT: ("copy_in", "copy_back"),
}


def kernel_data(ranges: tuple[CommandRange, ...]) -> tuple[KernelData, ...]:
    """Every struct the driver data of the commands of `ranges` may be, in order."""
    return tuple(
        KernelData(r, c, m, choice)
        for r in ranges
        for c in r.live
        if c.struct is not None
        for m in c.struct.members
        if isinstance(m.kind, DriverData)
        for choice in m.kind.choices
        if choice.struct is not None
    )
