"""The text of the headers, for what libclang does not keep: how a type is written (clang expands
`__aligned_u64`), and the comments next to macros, records and members.

Files are read as latin-1 so that a column (clang counts bytes) is an index into the text.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

from ..cached import cached_property
from ..records import dataclass

# Comments, and the literals a comment marker may hide in.
_LEXEME = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.S)
_KDOC_ITEM = re.compile(r"^@([\w.\[\]]+)\s*:\s?(.*)$")
_KDOC_SECTION = re.compile(r"^(Description|Return|Returns|Context|Note|Notes)\s*:", re.I)


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    end_line: int
    text: str  # as written, markers included
    alone: bool  # nothing but blanks before it on its first line

    @property
    def kdoc(self) -> bool:
        return self.text.startswith("/**") and not self.text.startswith("/***")

    @property
    def cleaned(self) -> str:
        """Its words (a kernel-doc comment's less the paragraphs that continue an item)."""
        return kdoc_text(self.text) if self.kdoc else clean(self.text)


def clean(text: str) -> str:
    """A comment's words: without /* */ // markers and the leading `*` of each line."""
    lines = [line.strip() for line in _body(text)]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines).strip("\n")


def _body(text: str) -> list[str]:
    """A comment's lines without its markers, each as indented after its `* `."""
    if text.startswith("//"):
        return [line.lstrip()[2:] for line in text.splitlines()]
    body = text[2:-2].lstrip("*!").splitlines()
    return [re.sub(r"^\s*\*(?!/) ?", "", line).rstrip() for line in body]


def _kdoc_items(text: str) -> tuple[dict[str, list[list[str]]], list[str]]:
    """The `@name: description` items of a kernel-doc comment, each as its paragraphs' lines,
    and the comment's lines less the paragraphs that continue an item. As kernel-doc reads
    them, an item runs to a blank line, and on past it through each paragraph written indented
    (` *   more of @name`)."""
    items: dict[str, list[list[str]]] = {}
    rest: list[str] = []
    current: list[list[str]] | None = None  # the item being read
    dropped = blank = False  # in an indented paragraph of `current`; after a blank line
    for raw in _body(text):
        line = raw.strip()
        if not line:
            blank = True
            continue
        if match := _KDOC_ITEM.match(line):
            current = items.setdefault(match.group(1), [])
            current.append([match.group(2).strip()])
            dropped = False
        elif current is not None and blank and raw[:1].isspace():
            current.append([line])  # the item's next paragraph
            dropped = True
        elif current is not None and not blank and not _KDOC_SECTION.match(line):
            current[-1].append(line)
        else:
            current, dropped = None, False
        if not dropped:
            rest += ["", line] if blank and rest else [line]
        blank = False
    return items, rest


def kdoc_members(text: str) -> dict[str, str]:
    """The `@name: description` items of a kernel-doc comment (continuation lines joined, an
    indented paragraph after a blank line the item's next one)."""
    items, _ = _kdoc_items(text)
    return {
        name: "\n\n".join(" ".join(w for w in lines if w) for lines in paragraphs if any(lines))
        for name, paragraphs in items.items()
    }


def kdoc_text(text: str) -> str:
    """A kernel-doc comment's words as `clean` gives them, less the paragraphs that continue an
    item (they are the item's: `kdoc_members`)."""
    _, rest = _kdoc_items(text)
    while rest and not rest[0]:
        rest.pop(0)
    while rest and not rest[-1]:
        rest.pop()
    return "\n".join(rest)


class SourceFile:
    def __init__(self, path: str, text: str | None = None) -> None:
        self.path = path
        self.text = Path(path).read_text(encoding="latin-1") if text is None else text
        self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        # The tokens of each directive by offset, as macros.tokenize_directive found them: the
        # same files are included by header after header.
        self.directives: dict[int, Any] = {}

    def offset(self, line: int, column: int) -> int:
        return self._starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def slice(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        return self.text[self.offset(*start) : self.offset(*end)]

    def line_text(self, line: int) -> str:
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[self._starts[line - 1] : end]

    @cached_property
    def comments(self) -> list[Comment]:
        found = []
        for match in _LEXEME.finditer(self.text):
            if match.group().startswith(("//", "/*")):
                start, end = match.start(), match.end()
                line = bisect.bisect_right(self._starts, start)
                column = start - self._starts[line - 1] + 1
                end_line = bisect.bisect_right(self._starts, max(start, end - 1))
                alone = not self.text[self._starts[line - 1] : start].strip()
                found.append(Comment(line, column, end_line, match.group(), alone))
        return _join_line_comments(found)

    @cached_property
    def _by_end_line(self) -> dict[int, Comment]:
        return {c.end_line: c for c in self.comments if c.alone}

    @cached_property
    def _by_line(self) -> dict[int, list[Comment]]:
        lines: dict[int, list[Comment]] = {}
        for comment in self.comments:
            lines.setdefault(comment.line, []).append(comment)
        return lines

    def above(self, line: int) -> Comment | None:
        """The comment that ends on the line before `line`, on lines of its own."""
        return self._by_end_line.get(line - 1)

    def trailing(self, line: int, column: int) -> Comment | None:
        """The first comment that starts on `line` at or after `column`."""
        for comment in self._by_line.get(line, ()):
            if comment.column >= column:
                return comment
        return None

    def doc(self, line: int, end: tuple[int, int]) -> str | None:
        """What documents a declaration from `line` to `end`: the comment after it on its last
        line, else the one directly above it."""
        found = self.trailing(*end) or self.above(line)
        return found.cleaned if found is not None else None


def _join_line_comments(comments: list[Comment]) -> list[Comment]:
    """Consecutive `//` comments alone on their lines are one comment."""
    joined: list[Comment] = []
    for comment in comments:
        last = joined[-1] if joined else None
        if (
            last is not None
            and comment.alone
            and last.alone
            and comment.text.startswith("//")
            and last.text.startswith("//")
            and comment.line == last.end_line + 1
        ):
            text = last.text + "\n" + comment.text
            joined[-1] = Comment(last.line, last.column, comment.line, text, True)
        else:
            joined.append(comment)
    return joined


class Sources:
    """The files of one architecture's headers, each read once; `unsaved` are those clang is
    given as text (the freestanding headers)."""

    def __init__(self, unsaved: dict[str, str] | None = None) -> None:
        self._files: dict[str, SourceFile] = {}
        self._unsaved = unsaved or {}

    def get(self, path: str) -> SourceFile:
        found = self._files.get(path)
        if found is None:
            found = self._files[path] = SourceFile(path, self._unsaved.get(path))
        return found
