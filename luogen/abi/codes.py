"""The catalogue of finding codes: every code `luogen abi-diff` can report, each once.

Codes are stable (tools match on them): a code is never renamed or given another kind or scope;
new ones may be added. Findings are made only from these entries (`Recorder.add`), so no code is
spelled anywhere else. `luogen abi-diff --list-codes` prints this catalogue in this order.
"""

from __future__ import annotations

from ..records import dataclass
from .finding import BREAKING, COMPATIBLE, FindingKind, Scope


@dataclass(frozen=True)
class Code:
    """One kind of difference: its stable name, verdict, scope and what it means."""

    name: str  # kebab-case, as findings and the JSON report carry it
    kind: FindingKind
    scope: Scope
    description: str  # one line, for --list-codes
    # The kind where the member concerned is one the kernel never reads (it only writes it):
    # set only for the one code whose harm depends on that, None for every other.
    output_kind: FindingKind | None = None

    @property
    def kinds(self) -> tuple[FindingKind, ...]:
        """Every kind a finding of this code can have."""
        return (self.kind,) if self.output_kind is None else (self.kind, self.output_kind)


_ENTRIES: list[Code] = []


def _code(
    name: str,
    kind: FindingKind,
    scope: Scope,
    description: str,
    output_kind: FindingKind | None = None,
) -> Code:
    code = Code(name, kind, scope, description, output_kind)
    _ENTRIES.append(code)
    return code


# --- the interface as a whole -------------------------------------------------------------------
HEADER_MOVED = _code("header-moved", BREAKING, "api", "the header's include path changed")
IOCTL_TYPE_CHANGED = _code(
    "ioctl-type-changed", BREAKING, "abi", "the ioctl type byte changed: every ioctl number changes"
)
MACRO_RENAMED = _code("macro-renamed", BREAKING, "api", "the ioctl type macro is renamed")
DOC_CHANGED = _code("doc-changed", COMPATIBLE, "doc", "prose changed: a description, title or note")
ERRNOS_CHANGED = _code(
    "errnos-changed",
    COMPATIBLE,
    "doc",
    "the documented errnos of the interface or a command changed",
)

# --- constants ----------------------------------------------------------------------------------
CONSTANT_VALUE_CHANGED = _code(
    "constant-value-changed", BREAKING, "abi", "a constant's value changed"
)
CONSTANT_RENAMED = _code(
    "constant-renamed", BREAKING, "api", "a constant keeps its value, not its name"
)
CONSTANT_REMOVED = _code("constant-removed", BREAKING, "api", "a constant is gone")
CONSTANT_ADDED = _code("constant-added", COMPATIBLE, "abi", "a new constant")

# --- enums --------------------------------------------------------------------------------------
ENUM_REMOVED = _code("enum-removed", BREAKING, "api", "an enum and its enumerators are gone")
ENUM_RENAMED = _code("enum-renamed", BREAKING, "api", "an enum keeps its values, not its name")
ENUM_ADDED = _code("enum-added", COMPATIBLE, "abi", "a new enum")
ENUM_VALUE_CHANGED = _code("enum-value-changed", BREAKING, "abi", "an enumerator's value changed")
ENUM_VALUE_RENAMED = _code(
    "enum-value-renamed", BREAKING, "api", "an enumerator keeps its value, not its name"
)
ENUM_VALUE_REMOVED = _code("enum-value-removed", BREAKING, "abi", "an enumerator is gone")
ENUM_VALUE_REUSED = _code(
    "enum-value-reused", BREAKING, "abi", "a new enumerator takes a value that meant another one"
)
ENUM_VALUE_ADDED = _code(
    "enum-value-added", COMPATIBLE, "abi", "a new enumerator at an unused value"
)
ENUM_ALIAS_ADDED = _code(
    "enum-alias-added", COMPATIBLE, "api", "a second name of an enumerator's value (alias-of)"
)
ENUM_ALIAS_REMOVED = _code(
    "enum-alias-removed", BREAKING, "api", "a second name of an enumerator's value is gone"
)
ENUM_ALIAS_RETARGETED = _code(
    "enum-alias-retargeted", BREAKING, "api", "a second name of a value names another value"
)

# --- flag sets ----------------------------------------------------------------------------------
FLAGS_REMOVED = _code("flags-removed", BREAKING, "api", "a flag set and its flags are gone")
FLAGS_RENAMED = _code("flags-renamed", BREAKING, "api", "a flag set keeps its bits, not its name")
FLAGS_ADDED = _code("flags-added", COMPATIBLE, "abi", "a new flag set")
FLAG_BIT_CHANGED = _code("flag-bit-changed", BREAKING, "abi", "a flag's bit changed")
FLAG_RENAMED = _code("flag-renamed", BREAKING, "api", "a flag keeps its bit, not its name")
FLAG_REMOVED = _code("flag-removed", BREAKING, "abi", "a flag is gone")
FLAG_BIT_REUSED = _code(
    "flag-bit-reused", BREAKING, "abi", "a new flag takes a bit that meant another"
)
FLAG_ADDED = _code("flag-added", COMPATIBLE, "abi", "a new flag at an unused bit")
FLAG_ALIAS_ADDED = _code(
    "flag-alias-added", COMPATIBLE, "api", "a second name of a flag's bit (alias-of)"
)
FLAG_ALIAS_REMOVED = _code(
    "flag-alias-removed", BREAKING, "api", "a second name of a flag's bit is gone"
)
FLAG_ALIAS_RETARGETED = _code(
    "flag-alias-retargeted", BREAKING, "api", "a second name of a bit names another bit"
)

# --- structs ------------------------------------------------------------------------------------
STRUCT_REMOVED = _code("struct-removed", BREAKING, "api", "a nested struct is gone")
STRUCT_RENAMED = _code("struct-renamed", BREAKING, "api", "a struct keeps its layout, not its name")
STRUCT_ADDED = _code("struct-added", COMPATIBLE, "abi", "a new nested struct")
STRUCT_SHRUNK = _code("struct-shrunk", BREAKING, "abi", "a struct is smaller")
STRUCT_GROWN = _code(
    "struct-grown",
    COMPATIBLE,
    "abi",
    "a command struct grows at its end (old sizes are zero-filled)",
)
STRUCT_SIZE_CHANGED = _code(
    "struct-size-changed",
    BREAKING,
    "abi",
    "a nested struct grew, or a size changed on an architecture",
)
MIN_SIZE_GROWN = _code("min-size-grown", BREAKING, "abi", "a command struct's minimum size grew")
MIN_SIZE_SHRUNK = _code(
    "min-size-shrunk", COMPATIBLE, "abi", "a command struct's minimum size shrank"
)

# --- members ------------------------------------------------------------------------------------
MEMBER_REMOVED = _code("member-removed", BREAKING, "abi", "a member is gone")
MEMBER_RENAMED = _code(
    "member-renamed", BREAKING, "api", "a member keeps its offset and C type, not its name"
)
UNION_NAME_ADDED = _code(
    "union-name-added", COMPATIBLE, "api", "a member gains another name in an anonymous union"
)
UNION_NAME_REMOVED = _code(
    "union-name-removed", BREAKING, "api", "a member's other name (in an anonymous union) is gone"
)
RESERVED_MEMBER_USED = _code(
    "reserved-member-used", COMPATIBLE, "abi", "a must-be-zero member is given a meaning"
)
MEMBER_INSERTED = _code(
    "member-inserted", BREAKING, "abi", "a new member inside the old struct's bytes"
)
MEMBER_APPENDED_NESTED = _code(
    "member-appended-nested", BREAKING, "abi", "a member appended to a nested struct"
)
MEMBER_APPENDED = _code(
    "member-appended", COMPATIBLE, "abi", "an optional member appended to a command struct"
)
MEMBER_APPENDED_MANDATORY = _code(
    "member-appended-mandatory", BREAKING, "abi", "a mandatory member appended to a command struct"
)
MEMBER_SIZE_CHANGED = _code(
    "member-size-changed", BREAKING, "abi", "a member's C type changed size"
)
MEMBER_TYPE_CHANGED = _code(
    "member-type-changed", BREAKING, "abi", "a member's C type changed at the same size"
)
MEMBER_MEANING_CHANGED = _code(
    "member-meaning-changed",
    BREAKING,
    "abi",
    "what the kernel checks a member's value against changed (compatible on an output member)",
    output_kind=COMPATIBLE,
)
MEMBER_OFFSET_CHANGED = _code(
    "member-offset-changed", BREAKING, "abi", "a member moved, on at least one architecture"
)
MEMBER_DIRECTION_CHANGED = _code(
    "member-direction-changed", BREAKING, "abi", "who reads or writes a member changed"
)
BUFFER_CHANGED = _code(
    "buffer-changed", BREAKING, "api", "the safe bindings take a pointer member differently"
)
RESERVED_CHECK_DROPPED = _code(
    "reserved-check-dropped", BREAKING, "abi", "the kernel stops checking that a member is zero"
)
MEMBER_NOW_RESERVED = _code("member-now-reserved", BREAKING, "abi", "a member becomes must-be-zero")
MEMBER_WHEN_ADDED = _code(
    "member-when-added",
    BREAKING,
    "abi",
    "a member the kernel always read is read only under a flag (an input: zero without it)",
)
MEMBER_WHEN_REMOVED = _code(
    "member-when-removed",
    COMPATIBLE,
    "abi",
    "an input member read only under a flag, zero without it, is always read",
)
MEMBER_WHEN_REMOVED_INOUT = _code(
    "member-when-removed-inout",
    BREAKING,
    "abi",
    "an inout member, an input only under a flag, is always read",
)
MEMBER_WHEN_CHANGED = _code(
    "member-when-changed", BREAKING, "abi", "a member is read under another flag"
)
MEMBER_DIRECTION_BY_CHANGED = _code(
    "member-direction-by-changed",
    BREAKING,
    "abi",
    "who reads or writes a member under a selector value changed (`dir-by`)",
)
MEMBER_DIRECTION_BY_NARROWED = _code(
    "member-direction-by-narrowed",
    COMPATIBLE,
    "abi",
    "an inout member is read or written only under some selector values (`dir-by`)",
)
BINDING_METHODS_CHANGED = _code(
    "binding-methods-changed",
    BREAKING,
    "api",
    "the safe bindings' methods of a command changed: one per selector value, or one",
)

# --- what a user pointer addresses: a raw pointer, a buffer, a counted array, driver data ------
POINTER_DESCRIBED = _code(
    "pointer-described",
    COMPATIBLE,
    "abi",
    "a raw user pointer is described (a buffer, counted array or driver data), or a buffer "
    "becomes one of the others, at the same bytes, and the kernel refuses nothing it took",
)
POINTER_DESCRIBED_CHECKED = _code(
    "pointer-described-checked",
    BREAKING,
    "abi",
    "a raw user pointer or a buffer becomes a counted array or driver data whose kernel copy "
    "refuses input (E2BIG, EINVAL, EOPNOTSUPP, EMSGSIZE) a handler may have taken",
)
POINTER_UNDESCRIBED = _code(
    "pointer-undescribed",
    COMPATIBLE,
    "abi",
    "a described pointer whose kernel copy refused nothing becomes a raw pointer or a buffer",
)
POINTER_CHECKS_DROPPED = _code(
    "pointer-checks-dropped",
    BREAKING,
    "abi",
    "a counted array or driver data becomes a raw pointer or a buffer: the kernel's checks of "
    "it are gone",
)
POINTER_REDESCRIBED = _code(
    "pointer-redescribed",
    BREAKING,
    "abi",
    "a counted array becomes driver data, or driver data a counted array",
)
POINTER_DIRECTION_CHANGED = _code(
    "pointer-direction-changed",
    BREAKING,
    "abi",
    "a buffer's, counted array's or driver data's bytes go the other way",
)
POINTER_COMPANION_CHANGED = _code(
    "pointer-companion-changed",
    BREAKING,
    "abi",
    "another member counts, measures or selects what a pointer addresses",
)
ARRAY_ELEMENT_CHANGED = _code(
    "array-element-changed",
    BREAKING,
    "abi",
    "a counted array's element type (or what the kernel checks it against) changed",
)
ARRAY_MAX_LOWERED = _code(
    "array-max-lowered", BREAKING, "abi", "a counted array's maximum count is lower (E2BIG)"
)
ARRAY_MAX_RAISED = _code(
    "array-max-raised", COMPATIBLE, "abi", "a counted array's maximum count is higher"
)
ARRAY_QUERY_ADDED = _code(
    "array-query-added", BREAKING, "abi", "an output array follows the query protocol now"
)
ARRAY_QUERY_REMOVED = _code(
    "array-query-removed", BREAKING, "abi", "an output array no longer follows the query protocol"
)
DATA_TYPE_ADDED = _code(
    "data-type-added", COMPATIBLE, "abi", "a new selector value chooses a driver data struct"
)
DATA_TYPE_REMOVED = _code(
    "data-type-removed", BREAKING, "abi", "a selector value no longer chooses a struct"
)
DATA_TYPE_CHANGED = _code(
    "data-type-changed",
    BREAKING,
    "abi",
    "a selector value chooses another struct, or one where it chose no data",
)
DATA_MEMBER_APPENDED = _code(
    "data-member-appended",
    COMPATIBLE,
    "abi",
    "a member appended to a struct only driver data chooses (shorter data is zero-extended)",
)
DATA_MIN_RAISED = _code(
    "data-min-raised",
    BREAKING,
    "abi",
    "the minimum size of driver data the kernel reads (input or inout) is larger (EINVAL)",
)
DATA_MIN_LOWERED = _code(
    "data-min-lowered",
    COMPATIBLE,
    "abi",
    "the minimum size of driver data the kernel reads (input or inout) is smaller",
)

# --- ranges -------------------------------------------------------------------------------------
RANGE_REMOVED = _code("range-removed", BREAKING, "abi", "a command range is gone")
RANGE_BASE_CHANGED = _code(
    "range-base-changed", BREAKING, "abi", "a command range moved: its commands are renumbered"
)
RANGE_ADDED = _code("range-added", COMPATIBLE, "abi", "a new command range at unused numbers")
ENUMERATOR_RENAMED = _code(
    "enumerator-renamed", BREAKING, "api", "a command or range base enumerator is renamed"
)

# --- commands -----------------------------------------------------------------------------------
COMMAND_RENUMBERED = _code("command-renumbered", BREAKING, "abi", "a command's number changed")
COMMAND_RETIRED = _code(
    "command-retired", BREAKING, "abi", "a command is retired (its number reserved)"
)
COMMAND_RENAMED = _code("command-renamed", BREAKING, "api", "a command's ioctl macro is renamed")
COMMAND_REMOVED = _code(
    "command-removed", BREAKING, "abi", "a command is gone and its number not reserved"
)
COMMAND_ADDED = _code("command-added", COMPATIBLE, "abi", "a new command at an unused number")
COMMAND_NUMBER_REUSED = _code(
    "command-number-reused",
    BREAKING,
    "abi",
    "a new command takes the number of a command that moved",
)
NUMBER_RESERVED = _code(
    "number-reserved", COMPATIBLE, "abi", "an unused number is reserved (retired)"
)
RETIRED_NUMBER_RELEASED = _code(
    "retired-number-released", BREAKING, "abi", "a retired number is no longer reserved"
)
RETIRED_NUMBER_REUSED = _code(
    "retired-number-reused", BREAKING, "abi", "a new command takes a retired number"
)
CLASSIC_NUMBER_CHANGED = _code(
    "classic-number-changed",
    BREAKING,
    "abi",
    "a classic command's number changed on some architecture: its encoding's direction, its "
    "type byte or number, or the size of its argument",
)
CLASSIC_ARGUMENT_RETYPED = _code(
    "classic-argument-retyped",
    COMPATIBLE,
    "api",
    "a classic command's argument is another C type of the same size everywhere",
)

CATALOGUE: tuple[Code, ...] = tuple(_ENTRIES)
BY_NAME: dict[str, Code] = {code.name: code for code in CATALOGUE}
assert len(BY_NAME) == len(CATALOGUE), "a code is catalogued twice"
