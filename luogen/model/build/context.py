"""What every builder pass shares: the spec, the diagnostics found so far and the header's C
namespace, in which every macro, enumerator and tag must be unique."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from ...errors import Diagnostic, Location
from ...spec import Spec
from ..names import reserved_in
from ..nodes import Doc

_LOWER = re.compile(r"^_*[a-z][a-z0-9_]*$")
_UPPER = re.compile(r"^_*[A-Z][A-Z0-9_]*$")


def suggest(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest of `choices`, or ""."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def since(item: dict[str, Any]) -> str | None:
    value = item.get("since")
    return None if value is None else str(value)


class Context:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.data: dict[str, Any] = spec.data
        self.diagnostics: list[Diagnostic] = []
        self.global_names: dict[str, tuple[str, Location]] = {}
        self.upper = self.data["name"].upper()

    # --- reporting -----------------------------------------------------------------------------

    def error(self, where: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(where, "error", message))

    def warn(self, where: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(where, "warning", message))

    def at(self, *path: str | int) -> Location:
        return self.spec.at(path)

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    # --- names ---------------------------------------------------------------------------------

    def claim(self, name: str, what: str, where: Location, style: str = "upper") -> None:
        """Register a name in the header's global C namespace (macros, enumerators, tags)."""
        if name in self.global_names:
            other, first = self.global_names[name]
            self.error(
                where, f"{what} '{name}' clashes with the {other} of that name (line {first.line})"
            )
            return
        self.global_names[name] = (what, where)
        self.check_identifier(name, what, where, style)

    def check_identifier(
        self, name: str, what: str, where: Location, style: str, cxx: bool = True
    ) -> None:
        """Refuse a keyword of a language luogen writes; `cxx=False` leaves C++'s keywords to
        the caller (a classic struct's member may be one: C programs compile it)."""
        language = reserved_in(name)
        if language == "C++" and not cxx:
            language = None
        if language:
            self.error(where, f"{what} '{name}' is a {language} keyword; choose another name")
        elif style == "upper" and not _UPPER.match(name):
            self.warn(where, f"{what} '{name}' should be UPPER_CASE")
        elif style == "lower" and not _LOWER.match(name):
            self.warn(where, f"{what} '{name}' should be lower_case")

    # --- prose ---------------------------------------------------------------------------------

    def text(self, text: str, *path: str | int) -> str:
        """Free text that luogen writes into C comments: it must not open or close one."""
        for token, effect in (("*/", "end the C comment"), ("/*", "nest a C comment")):
            if token in text:
                self.error(self.at(*path), f"text must not contain '{token}' (it would {effect})")
                break
        return text

    def doc(self, text: str, *path: str | int) -> Doc:
        doc = Doc(self.text(text, *path))
        if doc.problem:
            self.error(self.at(*path), doc.problem)
        return doc
