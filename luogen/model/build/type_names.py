"""The builder's check of the type names the bindings give: one Python module and one Rust crate
hold every range's object type, struct, enum, flag set and result type, so no two may share a
name (Rust refuses the crate with E0428; in Python the later class silently replaces the
earlier)."""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import Location
from ..nodes import CommandRange, Enum, FlagSet, Struct
from ..reserved import binding_reserved
from .context import Context

# What the spec names that the bindings define at module scope, as the builder's claims call it.
MODULE_SCOPE = frozenset(
    {"constant", "ioctl macro", "ioctl type macro", "command enumerator", "command base"}
)


class _TypeNames:
    def __init__(self, context: Context) -> None:
        self.context = context
        # type name -> (the C name it is made from, if any; what it is; where)
        self.taken: dict[str, tuple[str | None, str, Location]] = {}

    def take(self, type_name: str, c_name: str | None, what: str, where: Location) -> None:
        if type_name not in self.taken:
            self.taken[type_name] = (c_name, what, where)
            return
        first_c_name, first, at = self.taken[type_name]
        if c_name is not None and c_name == first_c_name:
            return  # one C name declared twice: claim() reported it
        self.context.error(
            where,
            f"{what} is the type '{type_name}' in the Rust and Python bindings, and so is "
            f"{first} at line {at.line}: rename one of them",
        )


def check_range_names(context: Context, ranges: Iterable[CommandRange]) -> None:
    """Every range has a name of its own: it names the range's dispatcher, op table and buffer
    union in the kernel and its object type in the bindings."""
    seen: dict[str, Location] = {}
    for command_range in ranges:
        first = seen.setdefault(command_range.name, command_range.where)
        if first is not command_range.where:
            context.error(
                command_range.where,
                f"range '{command_range.name}' is defined twice (first at line {first.line}): "
                "each range is an object of its own, with its own dispatcher in the kernel and "
                "its own type in the bindings; rename one of them",
            )


def check_type_names(
    context: Context,
    values: Iterable[Enum | FlagSet],
    nested: Iterable[Struct],
    ranges: tuple[CommandRange, ...],
) -> None:
    """No two types of the bindings share a name (a range named twice is reported by
    `check_range_names`)."""
    names = _TypeNames(context)
    for value in values:
        kind = "enum" if isinstance(value, Enum) else "flags"
        names.take(value.rust_name, value.name, f"{kind} '{value.name}'", value.where)
    for struct in nested:
        names.take(struct.rust_name, struct.name, f"struct '{struct.name}'", struct.where)
    named: set[str] = set()
    for index, command_range in enumerate(ranges):
        if command_range.name not in named:
            named.add(command_range.name)
            what = f"range '{command_range.name}'"
            if index == 0:
                what += " (the first, whose type is named after the spec)"
            names.take(command_range.class_name, None, what, command_range.where)
    for command in (c for r in ranges for c in r.live):
        if command.struct is None:
            continue  # a classic command: its argument's struct is one of `nested`
        struct = command.struct
        names.take(struct.rust_name, struct.name, f"struct '{struct.name}'", struct.where)
        for method in command.variants:  # one per selector value of `dir-by` members
            if len(method.results) > 1:
                where = command.where or struct.where
                what = f"the result type of command '{method.variant_name}'"
                names.take(method.out_type_name, None, what, where)


def check_binding_scope(context: Context) -> None:
    """No constant, macro or enumerator of the spec is a name the bindings' module scope has
    of its own (Rust refuses the crate with E0255; in Python the later name silently replaces
    the earlier)."""
    for name, (what, where) in context.global_names.items():
        source = binding_reserved(name, context.targets) if what in MODULE_SCOPE else None
        if source is not None:
            context.error(
                where,
                f"{what} '{name}' is already a name in {source}, where the spec's {what}s are "
                "module-scope names too: rename it",
            )
