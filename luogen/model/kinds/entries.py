"""Arrays of driver data: a user pointer to `count` entries of the struct a selector chooses,
each `length` bytes long (the stride, which may be shorter or longer than the kernel's struct),
as iommufd's IOMMU_HWPT_INVALIDATE has them. The kernel copies each entry in with the rules of
copy_struct_from_user() (`model/kernel_data.py`) and sets the count to the entries it handled;
the safe bindings take a slice (a sequence) of one of the structs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import dataclass
from .scalars import Integer
from .selected import DataLength, DriverData

if TYPE_CHECKING:
    from ..nodes import Member


@dataclass(frozen=True)
class EntryCount(Integer):
    """The member that counts the entries of an array of driver data: the entries userspace
    passes on input, the entries the kernel handled on output."""

    pointer: str = ""

    @cached_property
    def kdoc_note(self) -> str:
        return (
            f"The number of entries at @{self.pointer}; the kernel sets it to the number of "
            "entries it handled."
        )

    @cached_property
    def meaning(self) -> str:
        return f"count of {self.pointer}"

    @cached_property
    def companion_of(self) -> str:
        return self.pointer


@dataclass(frozen=True)
class EntryLength(DataLength):
    """The member that holds the length in bytes of each entry of an array of driver data: the
    stride, which the kernel copies each entry with."""

    @cached_property
    def kdoc_note(self) -> str:
        return f"The length in bytes of each entry at @{self.pointer}."


@dataclass(frozen=True)
class DataEntries(DriverData):
    """Input driver data as an array: `count` (an EntryCount) entries of the struct `selector`
    chooses, each `length` bytes apart; `max_count` bounds the entries (None: the count's
    type does)."""

    count: Member | None = None
    max_count: int | None = None
    max_name: str | None = None  # the constant that spells `max_count`

    @cached_property
    def entry_count(self) -> Member:
        assert self.count is not None
        return self.count

    @cached_property
    def entries_counted_by(self) -> Member | None:
        return self.count

    @cached_property
    def max_value(self) -> int:
        """The most entries the kernel takes."""
        if self.max_count is not None:
            return self.max_count
        kind = self.entry_count.kind
        assert isinstance(kind, Integer)
        return kind.max_value

    @cached_property
    def max_spelled(self) -> str:
        if self.max_name:
            return self.max_name
        return str(self.max_value)

    @cached_property
    def summary(self) -> str:
        return "user pointer to an array of driver data (__aligned_u64)"

    @cached_property
    def kdoc_note(self) -> str:
        choices = "; ".join(c.summary for c in self.choices)
        most = f" At most {self.max_spelled} entries." if self.max_count is not None else ""
        return (
            f"User pointer to @{self.entry_count.name} entries of the driver data "
            f"@{self.selector_name} selects, each @{self.length.name} bytes, which the kernel "
            f"reads ({choices}).{most}"
        )

    @cached_property
    def meaning(self) -> str:
        choices = ", ".join(c.summary for c in self.choices)
        return (
            f"array of {self.direction} driver data selected by {self.selector_name}, "
            f"{self.length.name} bytes apart and counted by {self.entry_count.name} ({choices})"
        )

    @cached_property
    def binding_form(self) -> str:
        return (
            f"array of {self.direction} driver data selected by {self.selector_name}, "
            f"{self.length.name} bytes apart and counted by {self.entry_count.name}"
        )

    @cached_property
    def addresses(self) -> str:
        return f"an array of {self.direction} driver data"

    @cached_property
    def refusals(self) -> tuple[str, ...]:
        found = [
            "entries of another selector value, or shorter than their struct's minimum (EINVAL)",
            "non-zero bytes of an entry past the kernel's struct (E2BIG)",
        ]
        if self.max_count is not None:
            found.append(f"more than {self.max_spelled} entries (E2BIG)")
        if super().refusals[2:]:
            found.append(
                "an entry with a non-zero reserved member, an unknown flag or enum value "
                "(EOPNOTSUPP)"
            )
        return tuple(found)

    @cached_property
    def binding_note(self) -> str:
        return (
            "The entries, all of one of the structs; it sets "
            f"`{self.selector_name}`, `{self.length.name}` (the struct's size) and "
            f"`{self.entry_count.name}`, which comes back as the number of entries the kernel "
            "handled."
        )

    # --- Rust -------------------------------------------------------------------------------

    @cached_property
    def rust_arg_type(self) -> str:
        return f"&{self.rust_enum}<'_>"

    def rust_store(self, var: str, name: str) -> str:
        assert self.selector is not None
        what = name.removeprefix("r#")
        return (
            f"{var}.{self.selector.rust_name} = {name}.selector();\n"
            f"{var}.{name} = {name}.address();\n"
            f"{var}.{self.length.rust_name} = {name}.length();\n"
            f"{var}.{self.entry_count.rust_name} = "
            f'array_len({name}.count(), {self.max_value}, "{what}")?;'
        )

    @cached_property
    def rust_definition(self) -> str:
        """The enum of the entries, a variant per selector value holding a slice, and the
        methods that fill the four members (no `unsafe`: the address is a slice's, which lives
        through the call)."""
        enum = self.selector_enum.rust_name
        lines = [
            f"/// The driver data of `struct {self.owner}`: entries of the struct "
            f"`{self.selector_name}` selects.",
            "#[derive(Clone, Copy, Debug, PartialEq, Eq)]",
            f"pub enum {self.rust_enum}<'a> {{",
        ]
        selectors, addresses, lengths, counts = [], [], [], []
        for variant, choice in zip(self.variants, self.choices, strict=True):
            value = f"{enum}::{choice.value.name}"
            if choice.struct is None:
                lines += [f"    /// `{choice.value.name}`: no data.", f"    {variant},"]
                selectors.append(f"Self::{variant} => {value},")
                addresses.append(f"Self::{variant} => 0,")
                lengths.append(f"Self::{variant} => 0,")
                counts.append(f"Self::{variant} => 0,")
                continue
            rust = choice.struct.rust_name
            lines += [
                f"    /// `{choice.value.name}`: entries of [`{rust}`].",
                f"    {variant}(&'a [{rust}]),",
            ]
            selectors.append(f"Self::{variant}(_) => {value},")
            addresses.append(f"Self::{variant}(data) => data.as_ptr() as usize as u64,")
            lengths.append(f"Self::{variant}(_) => {choice.struct.size},")
            counts.append(f"Self::{variant}(data) => data.len(),")
        lines += ["}", "", f"impl {self.rust_enum}<'_> {{"]
        lines += [
            f"    /// The value of `{self.selector_name}` that selects the entries.",
            self._rust_match(f"pub fn selector(&self) -> {enum}", selectors),
            "",
            "    /// The address of the first entry.",
            self._rust_match("fn address(&self) -> u64", addresses),
            "",
            f"    /// The length of each entry in bytes: `{self.length.name}`.",
            self._rust_match("fn length(&self) -> u32", lengths),
            "",
            f"    /// The number of entries: `{self.entry_count.name}`.",
            self._rust_match("fn count(&self) -> usize", counts),
            "}",
        ]
        return "\n".join(lines)

    # --- Python -----------------------------------------------------------------------------

    @cached_property
    def py_arg_annotation(self) -> str:
        """The module's type alias of the entries (`py_choices_constant`)."""
        return self.rust_enum

    @cached_property
    def py_optional_arg_annotation(self) -> str:
        return self.rust_enum

    @cached_property
    def py_alias(self) -> str:
        """The type alias of the entries: a sequence of one struct class, or the class alone
        (no entries: the kernel then says whether it knows the type)."""
        names = [c.struct.rust_name for c in self.choices if c.struct]
        spelled = [f"Sequence[{n}] | type[{n}]" for n in names]
        spelled += ["None"] * any(c.struct is None for c in self.choices)
        head = f"{self.rust_enum}: TypeAlias = "
        line = head + " | ".join(spelled)
        if len(line) <= 100:
            return line
        if len(line) - len(head) + 4 <= 100:  # as ruff format does: one line in parentheses
            return f"{head}(\n    {' | '.join(spelled)}\n)"
        parts = [p for s in spelled for p in s.split(" | ")]
        return "\n".join([f"{head}(", f"    {parts[0]}", *(f"    | {p}" for p in parts[1:]), ")"])

    def py_choices_constant(self, name: str) -> str:
        return f"{self.py_alias}\n{super().py_choices_constant(name)}"

    def py_data_arg(self, expr: str, what: str, choices: str) -> str:
        """An `_entries` (keeper, address, stride, selector, count) of the entries `expr`,
        packed one after the other; a struct class alone passes no entries of its type."""
        return f'_entries({expr}, {choices}, {self.max_value}, "{what}")'

    @cached_property
    def py_arg_helpers(self) -> frozenset[str]:
        return frozenset({"_entries"})
