"""Finding things in a translation unit without walking all of it through Python.

A uapi header that includes glibc has a few thousand top-level cursors, nearly all macros; asking
each for its name costs more than parsing the header. So macro definitions are found from the
text of the files the unit includes (a `#define NAME` there) and confirmed with clang at that
place: only a definition clang took (not one in an #if branch it skipped) is a macro cursor there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .macros import defined_names
from .source import SourceFile, Sources


def children(ci: Any, cursor: Any, kinds: Iterable[Any]) -> list[Any]:
    """The children of `cursor` of the given kinds, filtered before Python sees the others."""
    wanted = {kind.value for kind in kinds}
    kind_of = ci.conf.lib.clang_getCursorKind
    unit = cursor._tu
    found: list[Any] = []

    def visit(child: Any, parent: Any, data: Any) -> int:
        if kind_of(child) in wanted:
            child._tu = unit  # keeps the unit alive as long as the cursor, as cindex does
            found.append(child)
        return 1  # CXChildVisit_Continue

    ci.conf.lib.clang_visitChildren(cursor, ci.callbacks["cursor_visit"](visit), None)
    return found


class DefineIndex:
    """Where each file's text #defines each name (every branch), per file, read once."""

    def __init__(self, sources: Sources) -> None:
        self._sources = sources
        self._files: dict[str, dict[str, list[int]]] = {}
        self.names: set[str] = set()  # defined by any file read so far

    def of(self, path: str) -> dict[str, list[int]]:
        found = self._files.get(path)
        if found is None:
            found = defaultdict(list)
            for written in defined_names(self._sources.get(path).text):
                found[written.name].append(written.offset)
            self._files[path] = found = dict(found)
            self.names.update(found)
        return found


class UnitMacros:
    """The macro definitions a unit took, found by name."""

    def __init__(self, ci: Any, unit: Any, index: DefineIndex, sources: Sources) -> None:
        self._ci = ci
        self._unit = unit
        self._sources = sources
        own = unit.spelling  # the probe unit defines no macros
        entered = [i.include.name for i in unit.get_includes()]
        self._files = [path for path in dict.fromkeys(entered) if path != own]
        self._index = index
        for path in self._files:
            index.of(path)  # so that index.names has every name the unit's files define

    def find(self, name: str, prefer: str | None = None) -> tuple[SourceFile, int] | None:
        """The file and offset of the definition of `name` in force at the unit's end (the last
        one clang took, in the order the files were entered); `prefer` is asked first."""
        if name not in self._index.names:  # most identifiers are no macro anywhere
            return None
        if prefer is not None and (found := self._taken(prefer, name)) is not None:
            return found
        for path in reversed(self._files):
            if (found := self._taken(path, name)) is not None:
                return found
        return None

    def _taken(self, path: str, name: str) -> tuple[SourceFile, int] | None:
        """The definition of `name` in `path` that clang took, if any."""
        offsets = self._index.of(path).get(name)
        if not offsets:
            return None
        ci, source = self._ci, self._sources.get(path)
        for offset in reversed(offsets):
            line, column = source.position(offset)
            location = ci.SourceLocation.from_position(
                self._unit, self._unit.get_file(path), line, column
            )
            cursor = ci.Cursor.from_location(self._unit, location)
            if cursor.kind == ci.CursorKind.MACRO_DEFINITION and cursor.spelling == name:
                return source, offset
        return None
