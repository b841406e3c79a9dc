"""ioctl macros: what each one's encoding is called with, as written, and what clang makes of it.

A macro is planned first (which values and types the probe must ask clang for), then built from
the probe's answers. Every value comes from clang: the number itself (the macro evaluated, in the
first probe, with every other object-like macro of the header), the type and nr expressions as
written and the argument's type and size (a second probe, once the expansions are known), and the
shifts and masks of the architecture's own asm/ioctl.h, which take the number apart as _IOC_DIR,
_IOC_TYPE, _IOC_NR and _IOC_SIZE do; so a type, nr or size too large for its field shows.
"""

from __future__ import annotations

from typing import Any

from ..records import dataclass, field
from .ir import (
    ArgCategory,
    Array,
    Decoded,
    Encoding,
    EnumType,
    Expr,
    FlexibleArray,
    IoctlArg,
    IoctlCommand,
    IoctlFamily,
    Location,
    Pointer,
    RecordType,
    TypeKind,
    Unreadable,
    Warn,
)
from .macros import Invocation, MacroDef, Tokens, join, mentions, self_contained, strip_parens
from .probe import Probe, ProbeResult
from .types import TypeReader

ARG_COUNT = {"_IO": 2, "_IOR": 3, "_IOW": 3, "_IOWR": 3, "_IOC": 4}
_UNBALANCED = "it is not an expression on its own (a brace, semicolon or unclosed bracket)"
# The fields of a number, in the order of Decoded: each one's shift and mask macro.
FIELDS = (("_IOC_DIRSHIFT", "_IOC_DIRMASK"), ("_IOC_TYPESHIFT", "_IOC_TYPEMASK"),
          ("_IOC_NRSHIFT", "_IOC_NRMASK"), ("_IOC_SIZESHIFT", "_IOC_SIZEMASK"))  # fmt: skip
LAYOUT_MACROS = tuple(name for pair in FIELDS for name in pair)


@dataclass
class Plan:
    """One ioctl macro, its encoding's arguments as written, and the probe ids to read."""

    definition: MacroDef
    location: Location
    invocation: Invocation
    alias_of: str | None
    direction: Tokens | None = None
    type: Tokens = ()
    nr: Tokens = ()
    size: Tokens | None = None  # a raw _IOC's size expression, when not sizeof(T)
    arg: Tokens | None = None
    via_sizeof: bool = False
    number_id: int | None = None  # in the first probe
    ids: dict[str, int] = field(default_factory=dict)  # in the second probe

    @property
    def encoding(self) -> Encoding:
        return self.invocation.encoding  # type: ignore[return-value]

    @property
    def params(self) -> tuple[str, ...]:
        return self.definition.params or ()


def plan(definition: MacroDef, location: Location, invocation: Invocation,
         alias_of: str | None) -> Plan | str:  # fmt: skip
    """The plan of an ioctl macro, or why its encoding's arguments cannot be told apart."""
    args, encoding = invocation.args, invocation.encoding
    if len(args) != ARG_COUNT[encoding]:
        return f"{encoding} takes {ARG_COUNT[encoding]} arguments, it is given {len(args)}"
    found = Plan(definition, location, invocation, alias_of)
    if encoding == "_IOC":
        found.direction, found.type, found.nr, size = args
        inner = strip_parens(size)
        if len(inner) >= 3 and inner[0].text == "sizeof" and strip_parens(inner[1:]) != inner[1:]:
            found.arg, found.via_sizeof = strip_parens(inner[1:]), True
        else:
            found.size = size
    else:
        found.type, found.nr = args[0], args[1]
        found.arg = args[2] if encoding != "_IO" else None
    return found


def ask(found: Plan, probe: Probe) -> None:
    """Register with the second probe every value and type `found` needs beyond its number (what
    a family's parameters leave open is not asked)."""
    params = found.params
    exprs = {"type": found.type, "nr": found.nr, "direction": found.direction,
             "size": found.size}  # fmt: skip
    for key, tokens in exprs.items():
        if tokens is not None and not mentions(tokens, params):
            found.ids[key] = probe.value(join(tokens)) if self_contained(tokens) else \
                probe.refuse(_UNBALANCED)  # fmt: skip
    if found.arg is not None and not mentions(found.arg, params):
        if self_contained(found.arg):
            found.ids["arg"] = probe.type(join(found.arg))
            found.ids["arg_size"] = probe.value(f"sizeof({join(found.arg)})")
        else:
            found.ids["arg"] = found.ids["arg_size"] = probe.refuse(_UNBALANCED)


class Builder:
    def __init__(self, types: TypeReader, first: ProbeResult, second: ProbeResult,
                 layout: dict[str, int], warn: Warn, arch: str) -> None:  # fmt: skip
        self._types = types
        self._first = first
        self._second = second
        self._layout = layout  # the values of LAYOUT_MACROS
        self._warn = warn
        self._arch = arch
        self._warned: set[str] = set()
        self.roots: list[RecordType] = []  # the records the arguments are, hold or point to

    def _value(self, found: Plan, key: str) -> int | None:
        result, i = (self._first, found.number_id) if key == "number" else \
            (self._second, found.ids.get(key))  # fmt: skip
        if i is None:
            return None
        name = found.definition.name
        if i in result.errors:
            if name not in self._warned:  # its first failure says why; the rest follow from it
                self._warned.add(name)
                what = "its number" if key == "number" else f"its {key.replace('_', ' ')}"
                self._warn(found.location, "unevaluated", f"{name}: clang cannot evaluate {what} "
                           f"on {self._arch}: {result.errors[i]}")  # fmt: skip
            return None
        if i in result.notes:
            self._warn(found.location, "clang-warning",
                       f"{name}: clang warns about its {key}: {result.notes[i]}")  # fmt: skip
        return result.values.get(i)

    def decode(self, number: int) -> Decoded | None:
        if any(name not in self._layout for name in LAYOUT_MACROS):
            return None
        fields = [number >> self._layout[s] & self._layout[m] for s, m in FIELDS]
        return Decoded(*fields)

    def _expr(self, found: Plan, key: str, tokens: Tokens | None) -> Expr | None:
        if tokens is None:
            return None
        return Expr(join(tokens), self._value(found, key))

    def _arg(self, found: Plan) -> IoctlArg | None:
        i = found.ids.get("arg")
        if found.arg is None or i is None:
            return None
        size = self._value(found, "arg_size")
        typedef = self._second.types.get(i)
        if typedef is None or size is None:
            return None
        leaf = next((c.type for c in typedef.get_children() if c.kind.name == "TYPE_REF"), None)
        kind, typedefs = self._types.kind(typedef.underlying_typedef_type, leaf)
        self._collect(found, kind, typedef.underlying_typedef_type.get_canonical())
        spelling = join(found.arg)
        category = _category(kind, found.arg)
        name = found.definition.name
        if category == "expression":
            self._warn(found.location, "expression-argument", f"{name}: the argument "
                       f"`{spelling}` is an expression, not a type: the number encodes the size "
                       "of its type")  # fmt: skip
        if isinstance(kind, Unreadable):
            self._warn(found.location, "unknown-type", f"{name}: argument type "
                       f"{kind.spelling} has no kind the reader knows")  # fmt: skip
        return IoctlArg(spelling, category, kind, typedefs, size, found.via_sizeof)

    def _collect(self, found: Plan, kind: TypeKind, canonical: Any) -> None:
        while isinstance(kind, Array | FlexibleArray):
            kind = kind.element
        if isinstance(kind, RecordType):
            self.roots.append(kind)
        elif isinstance(kind, Pointer) and canonical.kind.name == "POINTER":
            pointee = canonical.get_pointee().get_canonical()
            if pointee.kind.name != "RECORD":
                return
            if pointee.get_size() < 0:  # a pointer to it is fine; what it points to is unknown
                self._warn(found.location, "incomplete-record", f"{found.definition.name}: its "
                           f"argument points to {pointee.spelling}, which is declared but not "
                           "defined: what it points to is unknown")  # fmt: skip
                return
            self.roots.append(self._types.record_type(pointee.get_declaration()))

    def command(self, found: Plan, doc: str | None) -> IoctlCommand | None:
        number = self._value(found, "number")
        type_, nr = self._expr(found, "type", found.type), self._expr(found, "nr", found.nr)
        arg = self._arg(found)
        if number is None or type_ is None or nr is None or type_.value is None or \
                nr.value is None or (found.arg is not None and arg is None):  # fmt: skip
            return None
        decoded = self.decode(number)
        if decoded is None:
            return None
        command = IoctlCommand(
            name=found.definition.name,
            location=found.location,
            encoding=found.encoding,
            via=found.invocation.via,
            alias_of=found.alias_of,
            selected_by=None,
            direction=self._expr(found, "direction", found.direction),
            type=type_,
            nr=nr,
            size=self._expr(found, "size", found.size),
            arg=arg,
            number=number,
            decoded=decoded,
            doc=doc,
        )
        self._check_fields(command)
        return command

    def _check_fields(self, command: IoctlCommand) -> None:
        """What the encoding silently truncates or spills into the next field."""
        checks = [("type", command.type.value, command.decoded.type),
                  ("nr", command.nr.value, command.decoded.nr)]  # fmt: skip
        if command.arg is not None:
            checks.append(("argument size", command.arg.size, command.decoded.size))
        elif command.size is not None:
            checks.append(("size", command.size.value, command.decoded.size))
        for what, written, decoded in checks:
            if written is not None and written != decoded:
                self._warn(command.location, "field-overflow", f"{command.name}: its {what} is "
                           f"{written} but the number holds {decoded} on {self._arch}: the value "
                           "does not fit its field")  # fmt: skip

    def family(self, found: Plan, helper: bool, doc: str | None) -> IoctlFamily:
        def expr(key: str, tokens: Tokens | None) -> Expr | None:
            return self._expr(found, key, tokens)

        return IoctlFamily(
            name=found.definition.name,
            location=found.location,
            params=found.params,
            encoding=found.encoding,
            via=found.invocation.via,
            helper=helper,
            direction=expr("direction", found.direction),
            type=Expr(join(found.type), self._value(found, "type")),
            nr=Expr(join(found.nr), self._value(found, "nr")),
            size=expr("size", found.size),
            arg_spelling=join(found.arg) if found.arg is not None else None,
            arg=self._arg(found),
            doc=doc,
        )


def _category(kind: TypeKind, written: Tokens) -> ArgCategory:
    first = written[0].text if written else ""
    if first == "sizeof" or first[:1].isdigit():
        return "expression"
    if isinstance(kind, RecordType):
        return kind.tag
    if isinstance(kind, EnumType):
        return "enum"
    if isinstance(kind, Pointer):
        return "pointer"
    if isinstance(kind, Array | FlexibleArray):
        return "array"
    return "scalar"


def is_helper(found: Plan, used_by_commands: set[str]) -> bool:
    """A function-like ioctl macro commands are written with (MIXER_READ(dev)), or one that
    passes a parameter on whole as the nr or the argument type (DRM_IOWR(nr, type),
    SECCOMP_IO(nr)): a way of writing ioctls, not a family of them like EVIOCGNAME(len)."""
    if found.definition.name in used_by_commands:
        return True
    for tokens in (found.nr, found.arg or ()):
        words = [t.text for t in tokens if t.text not in ("struct", "union", "enum")]
        if len(words) == 1 and words[0] in found.params:
            return True
    return False
