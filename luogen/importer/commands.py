"""A real header's ioctl macros as classic commands of the spec language."""

from __future__ import annotations

import re
from typing import Any

from ..cheader import ir
from ..model.encodings import OSS
from .docs import from_comment
from .types import Needs, Unexpressible, dimensions, spelled

_NR = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?: *\+ *(0x[0-9A-Fa-f]+|[0-9]+))?$")
_CHAR = re.compile(r"^\(?'[^'\\]'\)?$")
_IOC_DIRECTIONS = {
    "_IOC_NONE": "_IOC_NONE",
    "_IOC_READ": "_IOC_READ",
    "_IOC_WRITE": "_IOC_WRITE",
    "_IOC_READ|_IOC_WRITE": "_IOC_READ|_IOC_WRITE",
    "_IOC_WRITE|_IOC_READ": "_IOC_READ|_IOC_WRITE",
}


def _spelled_number(expr: ir.Expr, constants: set[str]) -> int | str:
    """A type byte or number as the header writes it, when the spec language can say it (a
    constant, a constant plus a number, a character literal), else its value."""
    text = " ".join(expr.text.split())
    match = _NR.match(text)
    if match and match.group(1) in constants:
        return text
    if _CHAR.match(text):
        return text
    assert expr.value is not None
    return expr.value


def command_names(macros: list[str]) -> dict[str, str]:
    """Each ioctl macro's command name: lower case, without the prefix all of them share."""
    if not macros:
        return {}
    shared = 0
    if len(macros) > 1:
        while all(len(m) > shared and m[shared] == macros[0][shared] for m in macros):
            shared += 1
    prefix = macros[0][:shared]
    prefix = prefix[: prefix.rfind("_") + 1]
    names = {m: m[len(prefix) :].lower() or m.lower() for m in macros}
    if len(set(names.values())) < len(names) or any(not n[0].isalpha() for n in names.values()):
        names = {m: _identifier(m.lower()) for m in macros}
    return names if len(set(names.values())) == len(names) else _numbered(names)


def _identifier(name: str) -> str:
    """A spec command name for a macro spelled `name` in lower case: no leading underscores
    (`__KVM_DEPRECATED_MAIN_W_0x06`), a letter first."""
    name = name.lstrip("_")
    return name if name[:1].isalpha() else f"c_{name}"


def _numbered(names: dict[str, str]) -> dict[str, str]:
    """Names that stripping made equal (`_X` and `X`) told apart by a number."""
    seen: dict[str, int] = {}
    out = {}
    for macro, name in names.items():
        seen[name] = seen.get(name, 0) + 1
        out[macro] = name if seen[name] == 1 else f"{name}_{seen[name]}"
    return out


def unheaded(doc: str | None, name: str) -> str | None:
    """A command's comment less the `NAME: ` that luogen's header starts it with."""
    return doc[len(name) + 2 :] if doc and doc.startswith(f"{name}: ") else doc


def command(
    source: ir.IoctlCommand, name: str, constants: set[str], needs: Needs
) -> dict[str, Any]:
    """The spec command of `source` (Unexpressible when the spec language cannot say it)."""
    if source.selected_by:
        raise Unexpressible(
            f"{source.name} is chosen by a condition ({source.selected_by})", "condition"
        )
    spec: dict[str, Any] = {
        "name": name,
        "ioctl": source.name,
        "doc": from_comment(
            unheaded(source.doc, source.name), f"Undocumented in {source.location.file}."
        ),
        "encoding": _macro(source),
        "type": _spelled_number(source.type, constants),
        "nr": _spelled_number(source.nr, constants),
    }
    if source.encoding == "_IOC":
        direction = _IOC_DIRECTIONS.get(
            "".join((source.direction.text if source.direction else "").split())
        )
        if direction is None:
            raise Unexpressible(
                f"{source.name}: _IOC direction '{source.direction}'", "ioc-direction"
            )
        spec["direction"] = direction
        if source.size is not None:
            assert source.size.value is not None
            spec["size"] = source.size.value
    if source.arg is not None:
        spec["argument"] = argument(source.arg, needs)
    return spec


def _macro(source: ir.IoctlCommand) -> str:
    """The encoding as the spec says it: an OSS macro (`_SIOR`) the header goes through, which is
    its architecture's own (`_IOR`) only where the reader read it, or the macro reached."""
    oss = {str(name): str(base) for name, base in OSS.items()}
    return next((m for m in source.via if oss.get(m) == source.encoding), source.encoding)


def argument(arg: ir.IoctlArg, needs: Needs) -> dict[str, Any]:
    kind = arg.kind
    if isinstance(kind, ir.Array):
        written = arg.spelling[arg.spelling.index("[") :] if "[" in arg.spelling else ""
        if written.count("[") < len(kind.dims):
            raise Unexpressible(
                f"an argument of an array type written through a typedef ('{arg.spelling}')",
                "array-typedef",
            )
        base = arg.spelling[: arg.spelling.index("[")].strip() if "[" in arg.spelling else ""
        return {**spelled(kind.element, base, arg.typedefs, needs),
                "array": dimensions(written, kind.dims, needs)}  # fmt: skip
    if isinstance(kind, ir.FlexibleArray):
        raise Unexpressible(
            f"an argument of flexible array type ('{arg.spelling}')", "flexible-argument"
        )
    return spelled(kind, arg.spelling, arg.typedefs, needs)
