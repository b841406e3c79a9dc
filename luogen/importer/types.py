"""A real header's C types as the spec language spells them: what a member's or an argument's
`type` and `array` say, and the typedefs and records the spelling needs."""

from __future__ import annotations

import re
from typing import Any

from ..cheader import ir
from ..model import ctypes
from ..records import dataclass, field

_DIM = re.compile(r"\[([^\]]*)\]")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Unexpressible(Exception):
    """A type the spec language cannot say: the importer warns and leaves its user out. `code`
    names the reason for the round trip's report (luogen.verify.roundtrip)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Needs:
    """What the spelled types need from the rest of the spec."""

    typedefs: dict[str, str] = field(default_factory=dict)  # name -> the known type it names
    records: list[ir.RecordType] = field(default_factory=list)  # named records, in first use
    enums: list[str] = field(default_factory=list)
    constants: dict[str, int] = field(default_factory=dict)  # array lengths spelled by one
    enumerators: frozenset[str] = frozenset()  # names that are no constant of the spec
    record_typedefs: dict[str, ir.RecordType] = field(default_factory=dict)  # name -> record
    pointed_typedefs: dict[str, str] = field(default_factory=dict)  # name -> 'struct tag'


_QUALIFIERS = ("const", "volatile", "__volatile__", "__const")
_SHORT = {"unsigned": "unsigned int", "signed": "int"}


def _plain(spelling: str) -> str:
    """A type as written, less comments and qualifiers (`__volatile__ __u32`: `__u32`), the
    lone `unsigned` as C reads it: `unsigned int`."""
    text = re.sub(r"/\*.*?\*/|//.*$", " ", spelling)
    words = [w for w in text.split() if w not in _QUALIFIERS]
    written = " ".join(words)
    return _SHORT.get(written, written)


def _scalar(
    spelling: str, typedefs: tuple[str, ...], needs: Needs, builtin: str | None = None
) -> str:
    """The spec type of a scalar written `spelling` (through `typedefs`, outermost first, to
    the C type `builtin` when it is one: `typedef unsigned int drm_magic_t`)."""
    written = _plain(spelling)
    if ctypes.known(written):
        return written
    chain = (*typedefs, builtin) if builtin and typedefs else typedefs
    for i, name in enumerate(chain):
        if name is not None and ctypes.known(name):  # a typedef chain ending at a known type
            for outer in chain[:i]:
                if outer is not None:
                    needs.typedefs.setdefault(outer, name)
            if typedefs[0] != written:
                raise Unexpressible(
                    f"type '{spelling}' is written through '{typedefs[0]}'", "typedef-spelling"
                )
            return written
    raise Unexpressible(f"no architecture facts for C type '{spelling}'", "unknown-type")


def spelled(
    kind: ir.TypeKind, spelling: str, typedefs: tuple[str, ...], needs: Needs
) -> dict[str, Any]:
    """`type` (and `struct`, `enum`, `to`) for `kind`, written `spelling` in the header."""
    if isinstance(kind, ir.FixedInt | ir.CInt | ir.CFloat):
        builtin = None if isinstance(kind, ir.FixedInt) else kind.name
        return {"type": _scalar(spelling, typedefs, needs, builtin)}
    if isinstance(kind, ir.Pointer):
        if kind.function:
            raise Unexpressible(f"a function pointer ('{spelling}')", "function-pointer")
        if kind.anonymous_record:
            raise Unexpressible(
                f"a pointer to an anonymous record written through a typedef ('{spelling}')",
                "anonymous-record",
            )
        if kind.typedef_of is not None:  # `atreq_t *`: the header's typedef comes along
            name = kind.target.removeprefix("const ").removeprefix("volatile ").strip()
            needs.pointed_typedefs[name] = kind.typedef_of
        return {"type": "pointer", "to": kind.target}
    if isinstance(kind, ir.EnumType):
        if kind.name is None:
            raise Unexpressible("a member of an anonymous enum type", "anonymous-enum")
        needs.enums.append(kind.name)
        return {"type": "enum", "enum": kind.name}
    if isinstance(kind, ir.RecordType):
        if kind.name is None:
            raise Unexpressible(
                "an anonymous record outside a member", "anonymous-record"
            )  # members inline them
        needs.records.append(kind)
        if not typedefs:
            return {"type": kind.tag, "struct": kind.name}
        if len(typedefs) > 1 or spelling.split()[-1] != typedefs[0]:
            raise Unexpressible(
                f"a record written through typedefs {', '.join(typedefs)}", "record-typedef"
            )
        needs.record_typedefs[typedefs[0]] = kind
        return {"type": kind.tag, "struct": kind.name, "typedef": typedefs[0]}
    raise Unexpressible(f"type '{spelling}' is of no kind luogen describes", "unknown-kind")


def dimensions(suffix: str, dims: tuple[int, ...], needs: Needs) -> int | str | list[int | str]:
    """An array's `array`: each dimension as the header writes it (a number or a constant)."""
    written = _DIM.findall(suffix)
    spelled_dims: list[int | str] = []
    for i, size in enumerate(dims):
        text = written[i].strip() if i < len(written) else ""
        if _IDENT.match(text) and text not in needs.enumerators:
            needs.constants[text] = size
            spelled_dims.append(text)
        else:
            spelled_dims.append(size)
    return spelled_dims[0] if len(spelled_dims) == 1 else spelled_dims
