"""The builder's check of the kernel's C namespace: the generated kernel files define names that
follow from the spec (kernel.py: each range's dispatcher, op table and buffer union, each
command's check function, the kernel header's guard) and the handlers, and include the uapi
header. None of them may be a name the spec sets, or the same as another; a macro of the spec
may not spell any identifier of the header (its members, those of the records defined in its
structs, the words of their types and attributes, and the union members, which are the command
names)."""

from __future__ import annotations

import re

from ...errors import Location
from ..kernel_arrays import kernel_arrays
from ..kernel_data import kernel_data
from ..kinds import Array, Inline
from ..nodes import Model
from ..reserved import reserved
from .context import Context

# What the claims of a spec's names call the names the header #defines.
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
MACROS = frozenset({"constant", "ioctl macro", "ioctl type macro", "include guard"})


def _generated(context: Context, model: Model) -> list[tuple[str, str, Location]]:
    """(name, what it is, where the spec gives rise to it) of every name the kernel target
    derives from the spec."""
    guard = (model.kernel_guard, "the kernel header's include guard", context.at("name"))
    names = [guard]
    named: set[str] = set()
    for r in model.ranges:
        if r.name in named:
            continue  # a range named twice: reported as such
        named.add(r.name)
        names += [
            (r.kernel_ioctl, f"the dispatcher of range '{r.name}'", r.where),
            (r.kernel_ops, f"the op table of range '{r.name}'", r.where),
            (r.kernel_union, f"the buffer union of range '{r.name}'", r.where),
        ]
        for command, function in r.checked_commands:
            where = command.where or r.where
            names.append((function, f"the check function of command '{command.name}'", where))
    for array in kernel_arrays(model.ranges, model.kernel.ucmd_struct):  # kernel_arrays.py
        where = array.member.where or array.range.where
        what = f"a helper of array '{array.member.name}' of command '{array.command.name}'"
        names += [(function, what, where) for function in array.functions]
    for data in kernel_data(model.ranges):  # kernel_data.py
        where = data.member.where or data.range.where
        what = f"a helper of driver data '{data.member.name}' of command '{data.command.name}'"
        names += [(function, what, where) for function in data.functions]
    return names


def check_kernel_names(
    context: Context, model: Model, handlers: list[tuple[str, Location, str]]
) -> None:
    """Report every clash in the kernel's C namespace, at the name the spec sets (or the node a
    generated name follows from)."""
    generated: dict[str, tuple[str, Location]] = {}
    for name, what, where in _generated(context, model):
        if name in generated:
            first, at = generated[name]
            context.error(
                where,
                f"{what} is named '{name}', as is {first} (line {at.line}): rename the range or "
                "the command",
            )
        generated.setdefault(name, (what, where))
    for name, (what, where) in context.global_names.items():
        if name in generated:
            context.error(
                where,
                f"{what} '{name}' is also {generated[name][0]}, which the kernel target "
                "generates: rename it",
            )
    seen: dict[str, tuple[str, Location]] = {}
    for name, where, what in handlers:
        if name in seen:
            first, at = seen[name]
            if first != what:  # a handler and a fallback have different prototypes
                context.error(
                    where,
                    f"{what} '{name}' is also a {first} (line {at.line}), whose prototype "
                    "differs: rename it",
                )
            continue  # one handler may carry out several commands
        seen[name] = (what, where)
        context.check_identifier(name, what, where, "any", file_scope=True)
        if name in generated:
            context.error(
                where,
                f"{what} '{name}' is also {generated[name][0]}, which the kernel target "
                "generates: rename it",
            )
        elif name in context.global_names and context.global_names[name][0] not in TAGS:
            other, declared = context.global_names[name]
            context.error(
                where,
                f"{what} '{name}' is also the {other} of that name in the uapi header (line "
                f"{declared.line}), which the kernel includes: rename it",
            )
    _check_macros(context, model)
    if context.kernel_target:
        _check_objects(context, model)


def _check_objects(context: Context, model: Model) -> None:
    """The maintainer's objects may not be the generated dispatch's (luogen writes its source),
    and the composite object may not be one of its own parts: kbuild links MODULE.o from them,
    and ld refuses an input that is its output ("input file 'demo.o' is the same as output
    file", Linux 6.1's kbuild)."""
    module, dispatch = f"{model.kernel.module}.o", model.kernel_objects[0]
    for index, part in enumerate(model.kernel.objects):
        if part == dispatch:
            context.error(
                context.at("kernel", "objects", index),
                f"kernel object '{part}' is the generated dispatch, which luogen writes (from "
                f"{part[:-2]}.c) and links itself: list only the maintainer's own objects",
            )
        elif part == module:
            context.error(
                context.at("kernel", "objects", index),
                f"kernel object '{part}' is named as the module it is linked into: "
                f"{_linked(model)}; rename the object's source file or set 'kernel: module:'",
            )
    if dispatch == module:
        context.error(
            context.at("kernel", "module"),
            f"kernel module '{model.kernel.module}' is named as the generated dispatch: "
            f"{_linked(model)}; rename the module",
        )


def _linked(model: Model) -> str:
    parts = ", ".join(dict.fromkeys(model.kernel_objects))
    return (
        f"kbuild links {model.kernel.module}.o from {parts}, and ld refuses an input that is "
        "its own output"
    )


def _words(model: Model) -> dict[str, str]:
    """What each identifier of the header's structs is: their members (those of the records
    defined inside them too), the words of the members' types and of the structs' attributes
    (`packed`)."""
    words: dict[str, str] = {}
    pending = [(struct, struct.name) for struct in model.all_structs]
    while pending:
        struct, outer = pending.pop(0)
        for word in _IDENTIFIER.findall(struct.c_attributes):
            words.setdefault(word, f"the attribute '{word}' of struct {outer}")
        for member in struct.members:
            for name in member.c_names:
                if name:
                    words.setdefault(name, f"member '{name}' of struct {outer}")
            kind = member.kind
            while isinstance(kind, Array):
                kind = kind.element
            if isinstance(kind, Inline):
                pending.append((kind.struct, outer))
                continue
            for word in _IDENTIFIER.findall(kind.c_type):
                if reserved(word) is None:  # else reported as reserved
                    words.setdefault(word, f"the type of member '{member.name}' of struct {outer}")
    return words


# What the header names in C's namespace of tags (C11 6.2.3), apart from functions: a handler
# may share a name with one, as the kernel's iommufd_option() does with enum iommufd_option.
TAGS = frozenset({"struct", "enum", "flags"})


def _check_macros(context: Context, model: Model) -> None:
    """A macro of the header must spell no word of its structs and no command: it would replace
    them."""
    identifiers = _words(model)
    for command in model.commands:
        identifiers.setdefault(command.name, f"command '{command.name}'")
    for name, (what, where) in context.global_names.items():
        if what in MACROS and name in identifiers:
            context.error(
                where,
                f"{what} '{name}' is a macro, which would replace {identifiers[name]} wherever "
                "the header is included: rename it",
            )
