"""ioctl numbers a header writes as literals (linux/loop.h: `#define LOOP_SET_FD 0x4C00`): no
encoding macro says they are ioctls, so they are told from other constants by how they are
written: a run of two or more consecutive #defines, each a four-digit hex literal 0xTTNN with
the same type byte TT (not zero), the first documented by a comment that calls them ioctls. The
importer says each run it reads so with a located warning: a maintainer checks it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..cheader import ir
from ..cheader.source import clean

_LITERAL = re.compile(r"^\(?0[xX]([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})\)?$")
_IOCTL = re.compile(r"\bioctl", re.I)


def _type_byte(define: ir.Define) -> int | None:
    match = _LITERAL.match(define.spelling.strip())
    value = int(match.group(1), 16) if match else 0
    return value or None


def lead(text: str, define: ir.Define) -> str | None:
    """The comment that documents a run: the first define's own, or one that ends at most
    two lines above it (linux/loop.h has a blank line between)."""
    if define.doc:
        return define.doc
    before = "\n".join(text.splitlines()[: define.location.line - 1])
    found = re.search(r"/\*((?:(?!\*/).)*)\*/(\s*)$", before[-2000:], re.S)
    if found is None or found.group(2).count("\n") > 2:
        return None
    return clean(f"/*{found.group(1)}*/")


def runs(defines: Sequence[ir.Define], text: str) -> Iterator[list[ir.Define]]:
    """Each run of literal ioctl numbers among `defines` (in the order the header has them)."""
    run: list[ir.Define] = []
    for define in [*defines, None]:
        byte = _type_byte(define) if define is not None else None
        if run and (byte is None or byte != _type_byte(run[0])):
            if len(run) > 1 and _IOCTL.search(lead(text, run[0]) or ""):
                yield run
            run = []
        if define is not None and byte is not None:
            run.append(define)
