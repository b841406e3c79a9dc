"""The C types real uapi headers use, as each architecture has them: facts measured from the
architectures' own uapi headers and compilers (`c_types.json`, made and checked by
tests/tools/extract_c_types.py), read here once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal, NamedTuple

from .arch import ARCHES

TypeClass = Literal["signed", "unsigned", "float", "pointer", "record"]

# `__aligned_u64` and its kin are macros of <linux/types.h>: their type with 8-byte alignment.
ALIGNED_MACROS = {
    "__aligned_u64": "__u64",
    "__aligned_s64": "__s64",
    "__aligned_be64": "__be64",
    "__aligned_le64": "__le64",
}


class CFacts(NamedTuple):
    """One C type on one architecture."""

    size: int
    align: int
    type_class: TypeClass


@cache
def _table() -> dict[str, dict[str, CFacts | None]]:
    text = resources.files("luogen.model").joinpath("c_types.json").read_text(encoding="utf-8")
    result: dict[str, dict[str, CFacts | None]] = {}
    for name, by_arch in json.loads(text)["types"].items():
        common = by_arch["*"]
        result[name] = {arch.name: _facts(by_arch.get(arch.name, common)) for arch in ARCHES}
    return result


def _facts(spelled: list[object] | None) -> CFacts | None:
    if spelled is None:
        return None
    size, align, type_class = spelled
    assert isinstance(size, int) and isinstance(align, int)
    return CFacts(size, align, type_class)  # type: ignore[arg-type]


def known(spelling: str) -> bool:
    """Whether luogen knows the C type `spelling` on the architectures (a scalar, not a
    record)."""
    name = ALIGNED_MACROS.get(spelling, spelling)
    by_arch = _table().get(name)
    return by_arch is not None and all(
        f is not None and f.type_class != "record" for f in by_arch.values()
    )


def facts(spelling: str) -> dict[str, CFacts]:
    """The facts of a known type (see `known`) on every architecture, by architecture name."""
    by_arch = _table()[ALIGNED_MACROS.get(spelling, spelling)]
    result = {arch: f for arch, f in by_arch.items() if f is not None}
    if spelling in ALIGNED_MACROS:
        return {arch: f._replace(align=8) for arch, f in result.items()}
    return result


def spellings() -> tuple[str, ...]:
    """Every known scalar C type, as a spec may spell it."""
    return tuple(sorted([n for n in _table() if known(n)] + list(ALIGNED_MACROS)))
