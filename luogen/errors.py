"""Everything luogen reports to a user: located diagnostics and the errors that carry them.

`str()` of each class is exactly what the user sees; the CLI prints it and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple


class Location(NamedTuple):  # a tuple: one is made for every node of every spec
    path: str
    line: int  # 1-based
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


# A message is one line, whatever text of the spec it quotes: control characters (but tab) and
# Unicode's line separators are spelled as escapes.
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, 0x85) if c != 0x09}
_ESCAPES |= {0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"}


class Diagnostic(NamedTuple):
    where: Location
    severity: Literal["error", "warning"]
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message.translate(_ESCAPES)}"


class LuogenError(Exception):
    """Base of every error luogen reports instead of a traceback."""


class SpecError(LuogenError):
    """One or more errors in a spec, each at its source position."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__(str(self))

    @classmethod
    def at(cls, where: Location, message: str) -> SpecError:
        return cls([Diagnostic(where, "error", message)])

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)


class UsageError(LuogenError):
    """Bad command-line arguments or an unreadable input path."""

    def __str__(self) -> str:
        return f"luogen: error: {self.args[0]}"


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one of `choices` that `word` is most likely a misspelling of, if any."""
    import difflib  # only a misspelling needs it

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest of `choices`, or ""."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""
