"""The safe binding layers' view of commands and ranges, common to Rust and Python: what a
method takes and returns, and what it is called."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...records import replace
from ..arch import GENERIC
from ..kinds import UserBuffer
from ..names import camel, rust_ident
from .classic_commands import ClassicCommand
from .shapes import NoResult, OneValue, OpensObject, ResultShape, SeveralValues

if TYPE_CHECKING:
    from ..arch import IoctlEncoding
    from ..direction import Direction
    from ..direction_by import DirectionBy
    from ..encodings import CommandEncoding
    from ..nodes import Command, Doc, EnumValue, Member, Struct

# What the object types of the safe layers (Rust and Python) define themselves; a command of that
# name becomes the method `ioctl_<name>`.
BINDING_RESERVED = frozenset(
    {"open", "open_default", "from_fd", "into_fd", "close", "closed", "fileno", "detach"}
    | {"as_fd", "as_raw_fd", "from", "into", "drop", "fmt", "clone"}
)


class SafeCommand(ClassicCommand):
    """What both safe layers know of a command; the Python and Rust views build on it."""

    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def encoding(self) -> CommandEncoding: ...
        @property
        def doc(self) -> Doc | None: ...
        @property
        def struct(self) -> Struct | None: ...
        @property
        def nr(self) -> int: ...
        @property
        def ioctl_name(self) -> str | None: ...
        @property
        def cmd_name(self) -> str: ...
        @property
        def object_class(self) -> str: ...
        @property
        def variant(self) -> EnumValue | None: ...
        def number(self, encoding: IoctlEncoding = GENERIC) -> int: ...

    @cached_property
    def py_nr(self) -> str:
        """The number as ruff format writes a hex literal: upper-case digits."""
        return f"0x{self.nr:02X}"

    @cached_property
    def direction_by(self) -> DirectionBy | None:
        """What chooses the directions of the struct's `dir-by` members (one selector holds
        it), or None when none has `dir-by`."""
        if self.struct is None:
            return None
        return next((m.direction_by for m in self.struct.members if m.direction_by), None)

    @cached_property
    def variants(self) -> tuple[Command, ...]:
        """The safe layers' methods of the command: one per value of the selector of its
        `dir-by` members, or the command itself."""
        by = self.direction_by
        if by is None:
            return (self._command,)
        return tuple(replace(self._command, variant=value) for value, _ in by.cases)

    @cached_property
    def fixed(self) -> tuple[Member, EnumValue] | None:
        """A variant's selector and the value it fixes; None for a command itself."""
        by = self.direction_by
        return None if by is None or self.variant is None else (by.selector, self.variant)

    def direction_of(self, member: Member) -> Direction | None:
        """`member`'s direction in this method: under the variant's value, for `dir-by`."""
        if member.direction_by is not None and self.variant is not None:
            return member.direction_by.under(self.variant)
        return member.direction

    def argument_doc(self, member: Member, python: bool = False) -> str:
        """`member`'s doc as an argument of this method: a variant's with the direction under
        its value, not the note of every value's; Python's with what the caller vouches for
        (Rust says it under `# Safety`)."""
        if member.direction_by is not None and self.variant is not None:
            member = replace(member, direction=self.direction_of(member), direction_by=None)
        doc = member.argument_description
        return f"{doc} Safety: {member.safety}" if python and member.safety else doc

    @cached_property
    def arguments(self) -> tuple[Member, ...]:
        """What a safe method takes: the members the kernel reads but `size`, reserved ones,
        buffer lengths (the method takes them from the buffer) and a variant's selector."""
        if self.struct is None:
            return ()
        taken = self.struct.buffer_lengths | self.struct.data_selectors
        fixed = {self.fixed[0]} if self.fixed else set()
        return tuple(
            m
            for m in self.struct.members
            if (direction := self.direction_of(m)) is not None
            and direction.kernel_reads
            and not m.reserved
            and not m.implicit
            and m not in taken
            and m not in fixed
        )

    @cached_property
    def results(self) -> tuple[Member, ...]:
        """What a safe method returns: the members the kernel writes."""
        if self.struct is None:
            return ()
        return tuple(
            m
            for m in self.struct.members
            if (direction := self.direction_of(m)) is not None and direction.kernel_writes
        )

    @cached_property
    def variant_suffix(self) -> str:
        """What a variant's method adds to the command's name: its value's own word(s), `set`
        of IOMMU_OPTION_OP_SET ("" for a command itself)."""
        by = self.direction_by
        if by is None or self.variant is None:
            return ""
        return by.suffix(self.variant)

    @cached_property
    def variant_name(self) -> str:
        """The command's name, with a variant's suffix: `option_set`."""
        suffix = self.variant_suffix
        return f"{self.name}_{suffix}" if suffix else self.name

    def _doc_head(self, mark: str) -> str:
        """How the method's doc names what it issues, each name between `mark`s:
        `ioctl(NAME)`, with a variant's value."""
        fixed, head = self.fixed, f"ioctl({mark}{self.ioctl_name}{mark})"
        return (
            f"{head} with {mark}{fixed[0].name}{mark} = {mark}{fixed[1].name}{mark}"
            if fixed
            else head
        )

    @cached_property
    def doc_head(self) -> str:
        return self._doc_head("")

    @cached_property
    def rust_doc_head(self) -> str:
        return self._doc_head("`")

    @cached_property
    def parameterless(self) -> bool:
        """Whether the safe methods take no argument."""
        if self.encoding.classic:
            return self.classic_passing.parameterless
        return not self.arguments

    @cached_property
    def result(self) -> ResultShape:
        results = self.results
        if not results:
            return NoResult()
        if len(results) > 1:
            return SeveralValues(self._command, self.object_class)
        (only,) = results
        if only.opens is not None:
            return OpensObject(only)
        return OneValue(only)

    @property
    def _command(self) -> Command:
        return self  # type: ignore[return-value]  # the mixin is only ever a Command's

    def local(self, name: str) -> str:
        """`name`, or `name_`, `name__`, ...: a local variable of a safe method that no argument
        shadows."""
        taken = {m.python_name for m in self.arguments} | {m.rust_name for m in self.arguments}
        while name in taken:
            name += "_"
        return name

    @cached_property
    def getter(self) -> str | None:
        """`x` for a command `get_x` that takes nothing and returns one value: the safe layers
        also offer it as a property (Python) or a method named `x` (Rust)."""
        plain = self.variant is None
        if plain and self.name.startswith("get_") and not self.arguments and len(self.results) == 1:
            return self.name[4:]
        return None

    @cached_property
    def binding_method(self) -> str:
        """The command's name as a method of its object, in both safe layers: the command name,
        or `ioctl_<name>` when that is one of the names the object type has of its own."""
        name = self.variant_name
        return f"ioctl_{name}" if name in BINDING_RESERVED else name

    @cached_property
    def rust_method(self) -> str:
        getter = self.getter
        return rust_ident(
            getter if getter and getter not in BINDING_RESERVED else self.binding_method
        )

    @cached_property
    def out_type_name(self) -> str:
        """The type a safe method returns when it has several results."""
        base = camel(self.struct.name if self.struct else self.name)
        return base + camel(self.variant_suffix) + "Out"


class SafeStruct:
    if TYPE_CHECKING:

        @property
        def members(self) -> tuple[Member, ...]: ...

    @cached_property
    def carries_pointer(self) -> bool:
        """Whether the kernel follows a user pointer in it that a safe layer cannot vouch for."""
        return any(m.kind.carries_pointer for m in self.members)

    @cached_property
    def buffer_pointers(self) -> tuple[Member, ...]:
        """The user pointers paired with a length member: byte buffers in the safe layers."""
        return tuple(m for m in self.members if isinstance(m.kind, UserBuffer))

    @cached_property
    def buffer_lengths(self) -> frozenset[Member]:
        """The members that hold a buffer's length, or count the entries of an array of driver
        data (the safe layers take them from the argument)."""
        kinds = [m.kind for m in self.buffer_pointers]
        measured = [k.measured_by for k in kinds]  # type: ignore[attr-defined]
        measured += [k.entries_counted_by for k in kinds]  # type: ignore[attr-defined]
        return frozenset(m for m in measured if m is not None)

    @cached_property
    def data_selectors(self) -> frozenset[Member]:
        """The selectors of typed driver data (the safe layers take them from the data)."""
        return frozenset(
            m.kind.selector  # type: ignore[attr-defined]
            for m in self.buffer_pointers
            if getattr(m.kind, "typed", False)
        )


class SafeRange:
    if TYPE_CHECKING:

        @property
        def live(self) -> tuple[Command, ...]: ...
        @property
        def base(self) -> int: ...

    @cached_property
    def py_base(self) -> str:
        """The base as ruff format writes a hex literal: upper-case digits."""
        return f"0x{self.base:02X}"

    @cached_property
    def extensible_live(self) -> tuple[Command, ...]:
        """The safe layers' methods of the extensible commands: a command's variants, one per
        value of its selector, or the command."""
        return tuple(v for c in self.live if not c.encoding.classic for v in c.variants)

    @cached_property
    def classic_live(self) -> tuple[Command, ...]:
        return tuple(c for c in self.live if c.encoding.classic)

    @cached_property
    def out_shapes(self) -> tuple[SeveralValues, ...]:
        """The result types of the range's methods that return several values."""
        methods = (v for c in self.live for v in c.variants)
        return tuple(c.result for c in methods if isinstance(c.result, SeveralValues))
