"""Driver data chosen by a selector: a user pointer to one of several structs, the value of an
enum member of the same struct (the selector) saying which, and another member its length in
bytes. The kernel copies the chosen struct in, out, or in and back through generated helpers
(`model/kernel_data.py`), with a minimum size per struct and the extensible rules of
copy_struct_from_user()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...cached import cached_property
from ...records import dataclass
from ..direction import Direction
from ..names import camel
from .scalars import Integer, UserBuffer

if TYPE_CHECKING:
    from ..nodes import Member, Struct
    from ..values import EnumValue

# What the kernel does with the data, as the pointer's kernel-doc says it.
_ACCESS = {
    Direction.IN: "the kernel reads",
    Direction.OUT: "the kernel writes",
    Direction.INOUT: "the kernel reads and writes back",
}


@dataclass(frozen=True)
class DataChoice:
    """One value of the selector and the struct it chooses (None: no data)."""

    value: EnumValue
    struct: Struct | None = None
    min_member: str | None = None  # the last member of the struct's first version (None: all)

    @cached_property
    def min_size(self) -> int:
        """The fewest bytes the kernel accepts: offsetofend() of `min_member`, or the whole
        struct."""
        assert self.struct is not None
        if self.min_member is None:
            return self.struct.size
        for member, offset in self.struct.fields:
            if member.name == self.min_member:
                return offset + member.kind.size(self.struct.reference.arch)
        raise AssertionError(f"{self.min_member} is no member of struct {self.struct.name}")

    @cached_property
    def c_struct(self) -> str:
        return f"struct {self.struct.name}" if self.struct is not None else ""

    @cached_property
    def summary(self) -> str:
        """How the header's prose says what the value chooses."""
        if self.struct is None:
            return f"{self.value.name}: no data"
        return f"{self.value.name}: {self.c_struct}"


@dataclass(frozen=True)
class DataLength(Integer):
    """The member that holds the length in bytes of driver data."""

    pointer: str = ""
    data: Direction = Direction.IN  # which way the data it measures goes

    @cached_property
    def kdoc_note(self) -> str:
        if self.data is Direction.OUT:
            return (
                f"The room at @{self.pointer}, in bytes; the kernel writes at most that many and "
                "sets it to the length of the data it has."
            )
        if self.data is Direction.INOUT:
            return (
                f"The length in bytes of the data at @{self.pointer}; the kernel writes back at "
                "most that many."
            )
        return f"The length in bytes of the data at @{self.pointer}."

    @cached_property
    def meaning(self) -> str:
        return f"length of {self.pointer}"

    @cached_property
    def companion_of(self) -> str:
        return self.pointer


@dataclass(frozen=True)
class DriverData(UserBuffer):
    """A user pointer to the struct `selector` chooses, `length` (a DataLength) bytes long.
    `direction` IN: userspace passes the data; OUT: the kernel writes at most `length` bytes
    and reports the length it has; INOUT: userspace passes the data and the kernel writes the
    struct back over it (at most `length` bytes)."""

    selector: Member | None = None
    choices: tuple[DataChoice, ...] = ()
    owner: str = ""  # the C name of the command's struct

    @cached_property
    def structs(self) -> tuple[Struct, ...]:
        return tuple(c.struct for c in self.choices if c.struct is not None)

    @cached_property
    def enum_value_names(self) -> tuple[str, ...]:
        """The names of every value of the selector's enum."""
        assert self.selector is not None
        enum = self.selector.kind.enum  # type: ignore[attr-defined]
        return tuple(v.name for v in enum.distinct)

    @cached_property
    def selector_name(self) -> str:
        assert self.selector is not None
        return self.selector.name

    @cached_property
    def summary(self) -> str:
        return "user pointer to driver data (__aligned_u64)"

    @cached_property
    def kdoc_note(self) -> str:
        access = _ACCESS[self.direction]
        choices = "; ".join(c.summary for c in self.choices)
        return (
            f"User pointer to the driver data @{self.selector_name} selects, "
            f"@{self.length.name} bytes, which {access} ({choices})."
        )

    @cached_property
    def kdoc_output_note(self) -> str:
        return self.kdoc_note

    @cached_property
    def meaning(self) -> str:
        choices = ", ".join(c.summary for c in self.choices)
        return (
            f"{self.direction} driver data selected by {self.selector_name} and measured by "
            f"{self.length.name} ({choices})"
        )

    @cached_property
    def binding_form(self) -> str:
        """The safe layers take the data by its members, whatever structs it chooses from: a
        new choice is a new variant, not a new signature."""
        return (
            f"{self.direction} driver data selected by {self.selector_name} and measured by "
            f"{self.length.name}"
        )

    @cached_property
    def addresses(self) -> str:
        return f"{self.direction} driver data"

    @cached_property
    def refusals(self) -> tuple[str, ...]:
        if not self.direction.kernel_reads:
            return ()  # the kernel writes at most the caller's room
        found = [
            "data of another selector value, or shorter than its struct's minimum (EINVAL)",
            "non-zero bytes past the kernel's struct (E2BIG)",
        ]
        checked = any(
            m.c_checks(f"data->{m.name}", Direction.IN, 0) for s in self.structs for m in s.members
        )
        if checked:
            found.append(
                "data with a non-zero reserved member, an unknown flag or enum value (EOPNOTSUPP)"
            )
        return tuple(found)

    @cached_property
    def typed(self) -> bool:
        """Whether the safe layers take the data as a typed value (input and inout data);
        output data is a byte buffer they fill."""
        return self.direction.kernel_reads

    @cached_property
    def written_back(self) -> bool:
        """Whether the kernel writes the struct userspace passed back over it (inout data)."""
        return self.direction is Direction.INOUT

    @cached_property
    def selector_enum(self) -> Any:
        assert self.selector is not None
        return self.selector.kind.enum  # type: ignore[attr-defined]

    @cached_property
    def stems(self) -> dict[str, str]:
        """Each value's name without the words every value of the enum has (value_stems)."""
        return value_stems(self.enum_value_names)

    @cached_property
    def variants(self) -> tuple[str, ...]:
        """Each choice's stem in CamelCase (IOMMU_HWPT_DATA_VTD_S1: `VtdS1`)."""
        return tuple(camel(self.stems[c.value.name].lower()) for c in self.choices)

    @cached_property
    def binding_note(self) -> str:
        if not self.typed:
            return super().binding_note
        back = " The kernel writes the struct back: the `_data` method returns it."
        return (
            f"The driver data, as one of its structs; it sets `{self.selector_name}` and "
            f"`{self.length.name}`.{back * self.written_back}"
        )

    # --- Rust -------------------------------------------------------------------------------

    @cached_property
    def rust_enum(self) -> str:
        """The Rust enum of the possible data: a variant per selector value."""
        return f"{camel(self.owner)}Data"

    @cached_property
    def rust_arg_type(self) -> str:
        if not self.typed:
            return super().rust_arg_type
        return f"&mut {self.rust_enum}" if self.written_back else f"&{self.rust_enum}"

    def rust_store(self, var: str, name: str) -> str:
        if not self.typed:
            return super().rust_store(var, name)
        assert self.selector is not None
        address = "address_mut" if self.written_back else "address"
        return (
            f"{var}.{self.selector.rust_name} = {name}.selector();\n"
            f"{var}.{name} = {name}.{address}();\n"
            f"{var}.{self.length.rust_name} = {name}.length();"
        )

    def _rust_match(self, signature: str, arms: list[str]) -> str:
        body = "".join(_rust_arm(arm) for arm in arms)
        return f"    {signature} {{\n        match self {{\n{body}        }}\n    }}"

    @cached_property
    def rust_definition(self) -> str:
        """The enum, its doc, and the methods that fill the three members (no `unsafe`: the
        address is a reference's, which lives through the call)."""
        enum = self.selector_enum.rust_name
        lines = [
            f"/// The driver data of `struct {self.owner}`: the struct `{self.selector_name}` "
            "selects.",
            "#[derive(Clone, Copy, Debug, PartialEq, Eq)]",
            f"pub enum {self.rust_enum} {{",
        ]
        selectors, addresses, lengths = [], [], []
        for variant, choice in zip(self.variants, self.choices, strict=True):
            value = f"{enum}::{choice.value.name}"
            if choice.struct is None:
                lines += [f"    /// `{choice.value.name}`: no data.", f"    {variant},"]
                selectors.append(f"Self::{variant} => {value},")
                addresses.append(f"Self::{variant} => 0,")
                lengths.append(f"Self::{variant} => 0,")
                continue
            rust = choice.struct.rust_name
            lines += [f"    /// `{choice.value.name}`: [`{rust}`].", f"    {variant}({rust}),"]
            selectors.append(f"Self::{variant}(_) => {value},")
            addresses.append(
                f"Self::{variant}(data) => data as {self._rust_pointer} {rust} as usize as u64,"
            )
            lengths.append(f"Self::{variant}(_) => {choice.struct.size},")
        lines += ["}", "", f"impl {self.rust_enum} {{"]
        lines += [
            f"    /// The value of `{self.selector_name}` that selects the data.",
            self._rust_match(f"pub fn selector(&self) -> {enum}", selectors),
            "",
            self._rust_address_doc,
            self._rust_match(self._rust_address_fn, addresses),
            "",
            f"    /// The length of the data in bytes: `{self.length.name}`.",
            self._rust_match("fn length(&self) -> u32", lengths),
            "}",
        ]
        return "\n".join(lines)

    @cached_property
    def _rust_pointer(self) -> str:
        """The raw pointer the address is taken through: `*mut` for data the kernel writes
        back (the method holds a `&mut`), `*const` otherwise."""
        return "*mut" if self.written_back else "*const"

    @cached_property
    def _rust_address_fn(self) -> str:
        return (
            "fn address_mut(&mut self) -> u64" if self.written_back else "fn address(&self) -> u64"
        )

    @cached_property
    def _rust_address_doc(self) -> str:
        if self.written_back:
            return "    /// The address of the data, which the kernel writes back (0 for none)."
        return "    /// The address of the data (0 for none)."

    # --- Python -----------------------------------------------------------------------------

    @cached_property
    def py_arg_annotation(self) -> str:
        if not self.typed:
            return super().py_arg_annotation
        names = [c.struct.rust_name for c in self.choices if c.struct]
        return " | ".join(names + ["None"] * any(c.struct is None for c in self.choices))

    @cached_property
    def py_optional_arg_annotation(self) -> str:
        return self.py_arg_annotation if self.typed else super().py_optional_arg_annotation

    def py_data_arg(self, expr: str, what: str, choices: str) -> str:
        """A `_data` (keeper, address, length, selector) of the struct `expr`, packed, its type
        looked up in the module constant `choices` (`py_choices_constant`); the method packs
        its address, length and selector value into the request."""
        limit = self.length_kind.max_value
        return f'_data({expr}, {choices}, {limit}, "{what}")'

    def py_choices_constant(self, name: str) -> str:
        """The module constant `name`: each struct class (`type(None)` for no data) and the
        selector value that chooses it."""
        enum = self.selector_enum.rust_name
        items = "".join(
            _py_item(c.struct.rust_name if c.struct else "type(None)", f"{enum}.{c.value.name}")
            for c in self.choices
        )
        return f"{name}: Final[dict[type, int]] = {{\n{items}}}"

    @cached_property
    def py_arg_helpers(self) -> frozenset[str]:
        return frozenset({"_data"}) if self.typed else frozenset({"_memory"})


def _py_item(key: str, value: str) -> str:
    """A dict item at its indent, as ruff format keeps it: the value in parentheses on a line of
    its own when the item does not fit in 100 columns."""
    item = f"    {key}: {value},\n"
    if len(item) <= 101:
        return item
    return f"    {key}: (\n        {value}\n    ),\n"


def _rust_arm(arm: str) -> str:
    """A match arm at its indent, as rustfmt writes it: its value in a block when the arm does
    not fit in 100 columns."""
    if len(arm) + 12 <= 100:
        return f"            {arm}\n"
    pattern, value = arm.removesuffix(",").split(" => ", 1)
    return f"            {pattern} => {{\n                {value}\n            }}\n"


def value_stems(names: tuple[str, ...]) -> dict[str, str]:
    """Each name without the words (between underscores) that every name has, wherever they
    are (IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 and IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3:
    HWPT_VTD_S1, VIOMMU_ARM_SMMUV3); without what they all begin with instead when that would
    leave a name empty or two names alike."""
    split = [name.split("_") for name in names]
    shared = set.intersection(*(set(words) for words in split))
    stems = ["_".join(w for w in words if w not in shared) for words in split]
    if all(stems) and len(set(stems)) == len(stems):
        return dict(zip(names, stems, strict=True))
    cut = len(common_prefix(names))
    return {name: name[cut:] for name in names}


def common_prefix(names: tuple[str, ...]) -> str:
    """What every name begins with, up to and including an underscore, leaving each name a
    non-empty rest."""
    shortest = min(names, key=len)
    end = 0
    for i, char in enumerate(shortest[:-1]):
        if any(name[i] != char for name in names):
            break
        if char == "_":
            end = i + 1
    return shortest[:end]
