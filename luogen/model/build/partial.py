"""What the builder leaves out of a spec that failed its schema check, so that the ABI rules still
run on every part that passed it.

A part is one item of a top-level list (a constant, enum, flag set, nested struct, errno or range)
or one command of a range. A part with a schema error anywhere in it is skipped whole; a name it
declares is known to be missing, so a reference to it is no error of its own (the skipped part's
error says it all).

A top-level key that only names or describes the header (its title, overview, header path, type
byte, guard, kernel build) and has a schema error, or is missing, is read as a stand-in instead,
and so is a bad or missing doc or brief anywhere; an unknown key is not read at all: the rules
still run on every part. Any other schema error outside every part (the spec's name or ranges, a
list itself, typedefs, targets, arches) stops the build: only the schema errors are reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ...spec import PathKey
from ..kinds import Array, Kind, Nested
from ..nodes import Struct

SECTIONS = ("constants", "enums", "flags", "structs", "errnos", "ranges")
# What the builder reads for a top-level key with a schema error (None: the key's default, as
# if the spec did not set it). No rule depends on these values beyond the names they give.
STAND_INS: dict[str, Any] = {
    "$schema": None,
    "title": "{name}",
    "overview": "{name}",
    "header": "linux/{name}.h",
    "ioctl-type": 0,
    "copyright": None,
    "contact": None,
    "spdx": None,
    "guard": None,
    "ioctl-type-name": None,
    "kernel": None,
}
PROSE = ("doc", "brief")
PROSE_STAND_IN = "Undocumented."
REMOVED = object()  # what _replaced() takes a node out for


def _part(path: PathKey) -> PathKey | None:
    """The part a schema error at `path` is in (None: the spec itself)."""
    if len(path) < 2 or path[0] not in SECTIONS or not isinstance(path[1], int):
        return None
    if path[0] == "ranges" and len(path) >= 4 and path[2] == "commands":
        return path[:4] if isinstance(path[3], int) else None
    return path[:2]


def _stands_in(path: PathKey) -> bool:
    """Whether a schema error at `path` outside every part leaves the rest buildable: it is in
    a top-level key with a stand-in."""
    return bool(path) and path[0] in STAND_INS


def _prose(path: PathKey) -> bool:
    """Whether `path` is the prose of a node inside the spec (a doc or a command's brief), which
    no rule reads: a schema error there, or its absence, leaves its part buildable."""
    return len(path) > 1 and path[-1] in PROSE


def _harmless(path: PathKey, near: str | None) -> bool:
    """Whether leaving out the unknown key at `path`, most like the known key `near`, can cause
    no error of its own: it is like no key, like prose, or like a top-level key with a
    stand-in (`enmus:` is not: every reference to its enums would be an error)."""
    return near is None or near in PROSE or (len(path) == 1 and near in STAND_INS)


def _replaced(data: Any, path: PathKey, value: Any) -> Any:
    """`data` with the node at `path` set to `value` (REMOVED: taken out), copied along the path
    only; unchanged when the path leads nowhere."""
    head, rest = path[0], path[1:]
    if isinstance(data, dict) and (rest == () or head in data):
        copy: Any = dict(data)
    elif isinstance(data, list) and isinstance(head, int) and head < len(data):
        copy = list(data)
    else:
        return data
    if rest:
        copy[head] = _replaced(copy[head], rest, value)
    elif value is REMOVED:
        copy.pop(head, None)
    else:
        copy[head] = value
    return copy


class Skipped:
    """The parts of `data` with schema errors at `paths`, at the `missing` keys it must have,
    and what the builder reads past: its `unknown` keys, and bad or missing prose."""

    def __init__(
        self,
        data: Any,
        paths: Iterable[PathKey],
        unknown: Iterable[tuple[PathKey, str | None]] = (),
        missing: Iterable[PathKey] = (),
    ) -> None:
        missing = tuple(missing)
        # An unknown key is read past unless it looks like a misspelt key that matters.
        misspelt = tuple(path for path, near in unknown if not _harmless(path, near))
        paths = (*paths, *misspelt)
        parts = [_part(p) for p in paths if not _stands_in(p) and not _prose(p)]
        for key in missing:  # a spec's key that has a stand-in, or prose: no part is lost
            if len(key) == 1 and key[0] not in STAND_INS:
                parts.append(None)
            elif len(key) > 1 and not _prose(key):
                parts.append(_part(key[:-1]))
        self.whole = None in parts  # nothing can be built
        self.parts = frozenset(p for p in parts if p is not None)
        self.replaced = frozenset(str(p[0]) for p in paths if _stands_in(p))
        self.unknown = tuple(path for path, _ in unknown if path not in misspelt)
        self.stand_ins = tuple(p for p in (*paths, *missing) if _prose(p))
        self.names: dict[str, set[str]] = {section: set() for section in SECTIONS}
        for part in self.parts if not self.whole else ():
            if len(part) == 2:
                item = data[part[0]][part[1]]
                name = item.get("name") if isinstance(item, dict) else None
                if isinstance(name, str):
                    self.names[str(part[0])].add(name)

    def read(self, data: dict[str, Any]) -> dict[str, Any]:
        """`data` as the builder reads it: each top-level key that has a schema error, or that
        the spec must have and has not, is its stand-in; unknown keys are left out, and bad or
        missing prose is a stand-in."""
        read = {key: value for key, value in data.items() if key not in self.replaced}
        for key, stand_in in STAND_INS.items():
            if stand_in is not None and key not in read:
                read[key] = stand_in.format(**data) if isinstance(stand_in, str) else stand_in
        for path in self.unknown:
            read = _replaced(read, path, REMOVED)
        for path in self.stand_ins:
            read = _replaced(read, path, PROSE_STAND_IN)
        return read

    def skips(self, path: PathKey) -> bool:
        """Whether the node at `path` is in a skipped part."""
        return path[:2] in self.parts or path[:4] in self.parts

    def missing(self, section: str, name: str) -> bool:
        """Whether `name` is declared by a skipped part of `section` (so references to it are
        not errors of their own)."""
        return name in self.names[section]

    def items(self, data: Any, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """(index, item) of each part of `section` that is not skipped."""
        for index, item in enumerate(data.get(section, [])):
            if (section, index) not in self.parts:
                yield index, item


def _embedded(kind: Kind) -> str | None:
    while isinstance(kind, Array):
        kind = kind.element
    return kind.struct.name if isinstance(kind, Nested) else None


def complete(structs: Iterable[Struct], incomplete: set[str]) -> list[Struct]:
    """The structs laid out as the spec says: built with all their members, embedding only such
    structs (`structs` come after the structs they embed)."""
    broken, result = set(incomplete), []
    for struct in structs:
        if struct.name in broken or any(_embedded(m.kind) in broken for m in struct.members):
            broken.add(struct.name)
        else:
            result.append(struct)
    return result
