"""What the builder leaves out of a spec that failed its schema check, so that the ABI rules still
run on every part that passed it.

A part is one item of a top-level list (a constant, enum, flag set, nested struct, errno or range)
or one command of a range. A part with a schema error anywhere in it is skipped whole; a name it
declares is known to be missing, so a reference to it is no error of its own (the skipped part's
error says it all).

A top-level key that only names or describes the header (its title, overview, header path, type
byte, guard, kernel build) and has a schema error, or is missing, is read as a stand-in instead,
and an unknown top-level key is not read at all: the rules still run on every part. Any other
schema error outside every part (the spec's name, a list itself, typedefs, targets, arches)
stops the build: only the schema errors are reported.
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
NEEDED = ("name", "ranges")  # without them, there is nothing to build


def _part(path: PathKey) -> PathKey | None:
    """The part a schema error at `path` is in (None: the spec itself)."""
    if len(path) < 2 or path[0] not in SECTIONS or not isinstance(path[1], int):
        return None
    if path[0] == "ranges" and len(path) >= 4 and path[2] == "commands":
        return path[:4] if isinstance(path[3], int) else None
    return path[:2]


def _stands_in(data: Any, path: PathKey) -> bool:
    """Whether the builder can go on past a schema error at `path` outside every part: at a key
    with a stand-in, or at the spec itself (a missing or unknown key) when what it needs is
    there."""
    if not path:
        return isinstance(data, dict) and all(key in data for key in NEEDED)
    return path[0] in STAND_INS


class Skipped:
    """The parts of `data` with schema errors at `paths`."""

    def __init__(self, data: Any, paths: Iterable[PathKey]) -> None:
        paths = tuple(paths)
        parts = [_part(p) for p in paths if not _stands_in(data, p)]
        self.whole = None in parts  # nothing can be built
        self.parts = frozenset(p for p in parts if p is not None)
        self.replaced = frozenset(str(p[0]) for p in paths if p and p[0] in STAND_INS)
        self.names: dict[str, set[str]] = {section: set() for section in SECTIONS}
        for part in self.parts if not self.whole else ():
            if len(part) == 2:
                item = data[part[0]][part[1]]
                name = item.get("name") if isinstance(item, dict) else None
                if isinstance(name, str):
                    self.names[str(part[0])].add(name)

    def read(self, data: dict[str, Any]) -> dict[str, Any]:
        """`data` as the builder reads it: each top-level key that has a schema error, or that
        the spec must have and has not, is its stand-in."""
        read = {key: value for key, value in data.items() if key not in self.replaced}
        for key, stand_in in STAND_INS.items():
            if stand_in is not None and key not in read:
                read[key] = stand_in.format(**data) if isinstance(stand_in, str) else stand_in
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
