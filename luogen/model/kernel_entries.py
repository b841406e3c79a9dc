"""The kernel header's helper of an array of driver data: entry `index` of the array copied in,
as include/linux/iommu.h's iommu_copy_struct_from_user_array() copies it (the selector, the
stride's minimum, copy_struct_from_user() of `length` bytes at `index * length`), with the
count checked and the struct's pre-checks. The handler copies the entries from 0 up and sets
the count to the number it handled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import c_call
from .kernel_helpers import checked_body, kdoc

if TYPE_CHECKING:
    from .kernel_data import KernelData
    from .kinds.entries import DataEntries


def _doc(helper: KernelData, kind: DataEntries) -> str:
    choice = helper.choice
    selector, length, count = kind.selector_name, kind.length.name, kind.entry_count.name
    value = choice.value.name
    refusal = (
        ", -EOPNOTSUPP when it has a non-zero reserved member, an unknown flag or enum value"
        if helper.checks
        else ""
    )
    most = (
        f"; -E2BIG when @{count} is over {kind.max_spelled} or the bytes of the entry beyond "
        "the struct are not zero"
        if kind.max_count is not None
        else "; -E2BIG when the bytes of the entry beyond the struct are not zero"
    )
    return kdoc(
        f"{helper.function}_copy_in() - Copy in entry @index of the {choice.c_struct} array "
        f"at @{helper.member.name}",
        [
            helper.cmd_param,
            ("index", f"The entry to copy, from 0; under @{count}."),
            ("data", f"Where the {choice.c_struct} goes."),
        ],
        f"The entries are {choice.c_struct} when @{selector} is {value}, each @{length} bytes "
        "long. An entry shorter than the kernel's struct is zero-extended; a longer one must "
        f"be zero beyond it. The handler copies the entries from 0 up, stops at the first it "
        f"cannot handle and sets @{count} to the number it handled.",
        f"Return: 0; -EINVAL when @{selector} is not {value}, @{length} is under "
        f"{choice.min_size} or @index is not under @{count}{most}; -EFAULT{refusal}.",
    )


def copy_entry(helper: KernelData, kind: DataEntries) -> str:
    """The `_copy_in` helper of one struct of an array of driver data."""
    selector = f"cmd->{kind.selector_name}"
    length, count = f"cmd->{kind.length.name}", f"cmd->{kind.entry_count.name}"
    copy = c_call(
        ["data", "sizeof(*data)", "u64_to_user_ptr(uptr)", length],
        "ret = copy_struct_from_user(",
        ");",
        "\t",
    )
    lines = [
        "\tu64 uptr;",
        "\tint ret;",
        "",
        f"\tif ({selector} != {helper.choice.value.name} || {length} < {helper.choice.min_size})",
        "\t\treturn -EINVAL;",
    ]
    if kind.max_count is not None:
        lines += [f"\tif ({count} > {kind.max_spelled})", "\t\treturn -E2BIG;"]
    offset = f"\tif (check_add_overflow(cmd->{helper.member.name}, (u64)index * {length}, &uptr))"
    lines += [
        f"\tif (index >= {count})",
        "\t\treturn -EINVAL;",
        offset,
        "\t\treturn -EFAULT;",
        copy,
        "\tif (ret)",
        "\t\treturn ret;",
    ]
    params = [f"const {helper.struct} *cmd", "u32 index", f"{helper.choice.c_struct} *data"]
    head = c_call(params, f"static inline int {helper.function}_copy_in(", ")")
    return f"{_doc(helper, kind)}\n{head}\n{{\n{checked_body(lines, helper.checks)}\n}}"
