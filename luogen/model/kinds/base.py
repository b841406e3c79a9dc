"""The base of every member kind, and the kernel checks kinds spell."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, NamedTuple

from ...cached import cached_property
from ..arch import Arch

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..direction import Direction
    from .scalars import Integer


_AFTER_OPERATOR = re.compile(r"(?:(?<= &&)|(?<= \|\|)|(?<= \|)) ")  # where a condition may wrap


class KernelCheck(NamedTuple):
    """A C condition the kernel tests before a command's handler, true when it must answer
    EOPNOTSUPP, inside `loops` (for-loop headers, outermost first) over arrays."""

    loops: tuple[str, ...]
    condition: str

    @property
    def c_statement(self) -> str:
        """The check as C statements, the first line indented by one tab, every line within
        the kernel's 100 columns (a tab counts 8): a long condition breaks after `&&`, `||` or
        a flag mask's `|`, each continued line aligned after its innermost open parenthesis."""
        lines = ["\t" * (depth + 1) + header for depth, header in enumerate(self.loops)]
        tabs = "\t" * (len(self.loops) + 1)
        start = 8 * len(tabs) + len("if (")
        parts = _AFTER_OPERATOR.split(self.condition)
        rows, opens = [(start, parts[0])], _open_columns([], start, parts[0])
        for part in parts[1:]:
            column, text = rows[-1]
            if column + len(text) + 1 + len(part) + len(")") <= 100:
                rows[-1] = (column, f"{text} {part}")
                opens = _open_columns(opens, column + len(text) + 1, part)
            else:
                column = opens[-1] if opens else start
                rows.append((column, part))
                opens = _open_columns(opens, column, part)
        first = f"{tabs}if ({rows[0][1]}"
        rest = ["\t" * (column // 8) + " " * (column % 8) + text for column, text in rows[1:]]
        condition = "\n".join([first, *rest])
        return "\n".join([*lines, f"{condition})", f"{tabs}\treturn -EOPNOTSUPP;"])


def _open_columns(opens: list[int], column: int, text: str) -> list[int]:
    """The columns just after each parenthesis still open once `text`, written from `column`,
    follows the ones in `opens`."""
    stack = list(opens)
    for offset, char in enumerate(text):
        if char == "(":
            stack.append(column + offset + 1)
        elif char == ")" and stack:
            stack.pop()
    return stack


# The loop variables of checks over arrays, by nesting depth.
LOOP_VARIABLES = "ijklmn"


def loop_variables(checks: Iterable[KernelCheck]) -> str:
    """The loop variables `checks` use, for one declaration ("i, j"; "" when none loops)."""
    return ", ".join(LOOP_VARIABLES[: max((len(c.loops) for c in checks), default=0)])


class Kind(ABC):
    """The type of a struct member."""

    @abstractmethod
    def size(self, arch: Arch) -> int: ...

    @abstractmethod
    def align(self, arch: Arch) -> int: ...

    @property
    @abstractmethod
    def c_type(self) -> str:
        """The C type before the member name, e.g. `__aligned_u64` or `struct foo`."""

    @cached_property
    def c_suffix(self) -> str:
        """What follows the member name in C, e.g. `[LIVEUPDATE_SESSION_NAME_LENGTH]`."""
        return ""

    def c_declaration(self, name: str) -> str:
        """The member declared in C, without the semicolon: `__u8 name[64]`."""
        return f"{self.c_type} {name}{self.c_suffix}"

    def c_lines(self, name: str) -> tuple[str, ...]:
        """The member's declaration as lines of its struct's body (an inline union takes
        several)."""
        return (self.c_declaration(name) + ";",)

    @property
    @abstractmethod
    def rust_type(self) -> str: ...

    @property
    @abstractmethod
    def py_format(self) -> str:
        """The `struct` module format of this member (on the reference architecture)."""

    def py_format_on(self, arch: Arch) -> str:
        """The `struct` module format of this member on `arch` (standard sizes, no alignment)."""
        return self.py_format

    @cached_property
    def layout_by_rules(self) -> bool:
        """Whether the architecture's integer alignment rules (`Arch.int_align`, `s64_align`)
        decide its size and alignment, as for luogen's fixed-width kinds; a C type as spelled
        has facts of its own per architecture."""
        return True

    @cached_property
    def scalar(self) -> Integer | None:
        """The integer this kind is stored as, or None for arrays and structs."""
        return None

    @cached_property
    def summary(self) -> str:
        """How the docs name the type."""
        return f"{self.c_type}{self.c_suffix}"

    @cached_property
    def kdoc_note(self) -> str:
        """What the member's kdoc says about its values, beyond the spec's own doc."""
        return ""

    @cached_property
    def kdoc_output_note(self) -> str:
        """The same of a member only the kernel writes: no rule of what userspace passes."""
        return self.kdoc_note

    @cached_property
    def binding_note(self) -> str:
        """What the safe layers' docs say of the argument, beyond the member's own description."""
        return ""

    @cached_property
    def meaning(self) -> str:
        """What the value means beyond its C type (what the kernel checks it against); an ABI
        diff compares it."""
        return "integer"

    # --- what an ABI comparison asks of a kind --------------------------------------------------

    @cached_property
    def shape(self) -> tuple[object, ...]:
        """What the C compiler sees of the type (an fd is an __s32, a pointer an
        __aligned_u64): equal shapes are the same bytes with the same meaning to C."""
        scalar = self.scalar
        assert scalar is not None, f"{type(self).__name__} must state its shape"
        return ("int", scalar.bits, scalar.signed)

    @cached_property
    def c_resolved(self) -> str:
        """The C type with array lengths as numbers: `__u8[64]`."""
        return self.c_type

    @cached_property
    def c_type_name(self) -> str:
        """The type's name once the uapi macros are expanded, as a compiler reports it:
        `__aligned_u64` is `__u64` with an attribute."""
        return self.c_type

    @cached_property
    def binding_form(self) -> str | None:
        """How the safe bindings take a user pointer held here (None: no pointer): code that
        calls them changes when this does."""
        return "raw user pointer" if self.carries_pointer else None

    @cached_property
    def addresses(self) -> str | None:
        """What a user pointer held here addresses, as an ABI diff names it (None: no
        pointer): code that reads it and the kernel's copy change when this does."""
        return None

    @cached_property
    def refusals(self) -> tuple[str, ...]:
        """What the kernel's generated copy of what a user pointer addresses refuses, each with
        its errno: input a handler given the raw pointer may have taken."""
        return ()

    @cached_property
    def companion_of(self) -> str | None:
        """The pointer member whose elements or bytes this integer counts or measures (None:
        none); an ABI diff judges it with that pointer."""
        return None

    def c_unsupported(self, expr: str) -> str | None:
        """A C condition, true when the value at `expr` is one the kernel cannot support."""
        return None

    def c_checks(
        self, expr: str, direction: Direction | None, depth: int
    ) -> tuple[KernelCheck, ...]:
        """The kernel's checks of an input value at `expr`, `depth` loops deep; `direction` is
        that of the member holding it, which nested structs pass down to their members."""
        condition = self.c_unsupported(expr)
        return (KernelCheck((), condition),) if condition else ()

    # --- bindings: how the Rust and Python targets spell this kind --------------------------
    # Raw layer: the field of a #[repr(C)] struct / a value in a `struct.Struct` tuple. Safe
    # layer: the argument a method takes for an input member and the value it returns for an
    # output member. Each `*_store`/`*_arg`/`*_load` spelling is an expression or statement the
    # templates paste as is.

    @cached_property
    def rust_field_type(self) -> str:
        """The type of the member in the raw `#[repr(C)]` struct (enums and flags typed)."""
        return self.rust_type

    @cached_property
    def rust_c_type(self) -> str:
        """The type of the member in a raw classic struct, whose layout is C's on every target
        without a struct-wide `align` (an `__aligned_u64` is the runtime's `AlignedU64`)."""
        return self.rust_field_type

    @cached_property
    def rust_packed_type(self) -> str:
        """The type of the member in a packed raw struct, which Rust lets hold nothing aligned
        by `repr(align)`: C's packed attribute drops that alignment too."""
        return self.rust_c_type

    @cached_property
    def fixed_width(self) -> bool:
        """Whether the kind is one of luogen's fixed-width ones (or made of them), which the
        bindings lay out as the extensible style does: one layout everywhere."""
        return False

    @cached_property
    def rust_zero(self) -> str:
        """A constant expression of the all-zero value."""
        return "0"

    @cached_property
    def rust_arg_type(self) -> str:
        """What a safe method takes for an input member."""
        return self.rust_field_type

    def rust_store(self, var: str, name: str) -> str:
        """Statements storing the safe argument `name` into the field `name` of the raw struct
        `var`."""
        return f"{var}.{name} = {name};"

    @cached_property
    def rust_out_type(self) -> str:
        """What a safe method returns for an output member."""
        return self.rust_field_type

    def rust_load(self, expr: str) -> str:
        """An expression (it may use `?`) turning the raw field `expr` into `rust_out_type`."""
        return expr

    @cached_property
    def carries_pointer(self) -> bool:
        """True when the kernel follows a user pointer held here whose memory the safe layer
        cannot vouch for (its safe method is unsafe)."""
        return False

    @cached_property
    def py_is_byte(self) -> bool:
        """Whether an array of it is a byte string in Python (`__u8`, `char`)."""
        return False

    @cached_property
    def py_count(self) -> int:
        """How many values this member is in the tuple its struct's `struct.Struct` packs."""
        return 1

    @cached_property
    def py_annotation(self) -> str:
        """The annotation of the member in the raw Python class."""
        return "int"

    @cached_property
    def py_zero(self) -> str:
        """An expression of the all-zero value."""
        return "0"

    @cached_property
    def py_arg_default(self) -> str:
        """The default of a safe method's argument for an optional member: a value `py_arg`
        accepts that packs to zero."""
        return self.py_zero

    @cached_property
    def py_arg_default_note(self) -> str:
        """What the docs of an optional argument say of its default ("" when it needs no
        words: it is zero)."""
        return ""

    @cached_property
    def py_optional_arg_annotation(self) -> str:
        """What a safe method takes for an optional input member (`py_arg_default` included)."""
        return self.py_arg_annotation

    @cached_property
    def py_default(self) -> str:
        """The dataclass default of the member: its all-zero value."""
        return self.py_zero

    def py_pack(self, expr: str) -> str:
        """`expr` (the member) spelled as argument(s) of `struct.Struct.pack`."""
        return expr

    def py_arg_packed(self, expr: str, what: str) -> tuple[str, str]:
        """The argument `expr` checked (`py_arg`) and spelled as argument(s) of
        `struct.Struct.pack`: ("*", iterable) when it is several, else ("", value)."""
        return "", self.py_pack(self.py_arg(expr, what))

    def py_from_raw(self, expr: str) -> str:
        """One unpacked value `expr` turned into the member's Python value."""
        return expr

    @cached_property
    def py_raw_types(self) -> tuple[str, ...]:
        """The types of the values this member unpacks to (`py_count` of them)."""
        return ("bytes",) if self.py_format.endswith("s") else ("int",) * self.py_count

    @cached_property
    def py_zero_values(self) -> str:
        """The all-zero member as argument(s) of `struct.Struct.pack`."""
        if self.py_format.endswith("s"):
            return 'b""'
        return ", ".join(["0"] * self.py_count)

    def py_unpack(self, values: str, index: int) -> str:
        """The member's value from the unpacked tuple `values`, where it starts at `index`."""
        return self.py_from_raw(f"{values}[{index}]")

    @cached_property
    def py_arg_annotation(self) -> str:
        """What a safe method takes for an input member."""
        return self.py_annotation

    def py_arg(self, expr: str, what: str) -> str:
        """An expression validating the argument `expr` (ValueError naming `what`) and
        converting it to what `py_pack` takes."""
        scalar = self.scalar
        if scalar is None:
            return expr
        return f'_int({expr}, {scalar.min_value}, {scalar.max_value}, "{what}")'

    @cached_property
    def py_arg_helpers(self) -> frozenset[str]:
        """The runtime's names that `py_arg` spells."""
        return frozenset({"_int"}) if self.scalar is not None else frozenset()

    @cached_property
    def py_out_annotation(self) -> str:
        """What a safe method returns for an output member."""
        return self.py_annotation

    @cached_property
    def py_out_helpers(self) -> frozenset[str]:
        """The runtime's names that `py_out` spells."""
        return frozenset()

    def py_out(self, expr: str) -> str:
        """The member's value `expr` (as `py_unpack` spells it) turned into what a safe method
        returns."""
        return expr
