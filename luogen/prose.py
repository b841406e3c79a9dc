"""The structure of the spec's prose, as reStructuredText and kernel-doc read it: paragraphs,
which the outputs wrap, and verbatim blocks, which they keep line for line.

A verbatim block is a literal block (the indented lines after a paragraph ending in `::`, or
any indented paragraph, which reST reads as a block quote) or a list (a paragraph whose lines
start with `-`, `*`, `+`, `1.`, `1)` or `#.`; prose lines before its first item stay a
paragraph of their own). Text layout only: nothing here knows the ABI.
"""

from __future__ import annotations

import re

from .cached import cached_property
from .records import dataclass

PROSE, LIST, LITERAL = "prose", "list", "literal"

_ITEM = re.compile(r"^(?:[-*+]|\d+[.)]|#[.)])(?:\s|$)")


@dataclass(frozen=True)
class Block:
    """One paragraph of prose (its words on one line) or one verbatim block (its lines, joined
    by newlines, with their indentation relative to the paragraph they belong to)."""

    kind: str
    text: str

    @property
    def verbatim(self) -> bool:
        return self.kind != PROSE

    @cached_property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n"))

    @cached_property
    def line(self) -> str:
        """The block's words on one line, for a place that holds one line only."""
        return " ".join(self.text.split())

    @cached_property
    def dedented(self) -> tuple[str, ...]:
        """The lines less their common indentation."""
        cut = min((_indent(line) for line in self.lines if line), default=0)
        return tuple(line[cut:] for line in self.lines)

    @cached_property
    def introduces_literal(self) -> bool:
        """A paragraph ending in `::`, which reST turns into `:` (or nothing, after a blank)."""
        return self.kind == PROSE and self.text.endswith("::")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.expandtabs(8).split("\n")]
    cut = min((_indent(line) for line in lines if line), default=0)
    return [line[cut:] for line in lines]


def parse(text: str) -> tuple[Block, ...]:
    """The blocks of `text`, in order."""
    lines = _lines(text)
    blocks: list[Block] = []
    literal_after: int | None = None  # the indentation of a paragraph ending in `::`
    i = 0
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        indent = _indent(lines[i])
        if literal_after is not None and indent > literal_after:
            end = i
            while end < len(lines) and (not lines[end] or _indent(lines[end]) > literal_after):
                end += 1
            chunk = lines[i:end]
            while not chunk[-1]:
                chunk.pop()
            blocks.append(Block(LITERAL, "\n".join(line[literal_after:] for line in chunk)))
            literal_after, i = None, end
            continue
        end = i
        while end < len(lines) and lines[end]:
            end += 1
        if indent > 0 and blocks and blocks[-1].kind == LIST:  # a list item's next paragraph
            blocks[-1] = Block(LIST, "\n".join([blocks[-1].text, "", *lines[i:end]]))
        else:
            blocks.extend(_paragraph(lines[i:end], indent))
        literal_after = indent if blocks[-1].introduces_literal else None
        i = end
    return tuple(blocks)


def _paragraph(lines: list[str], indent: int) -> list[Block]:
    """The blocks of one paragraph (lines with no blank between them)."""
    if indent > 0:  # reST: a block quote
        return [Block(LITERAL, "\n".join(lines))]
    first_item = next((n for n, line in enumerate(lines) if _ITEM.match(line)), None)
    if first_item is None:
        return [Block(PROSE, " ".join(" ".join(lines).split()))]
    lead = [Block(PROSE, " ".join(" ".join(lines[:first_item]).split()))] if first_item else []
    return [*lead, Block(LIST, "\n".join(_items(lines[first_item:])))]


def _items(lines: list[str]) -> list[str]:
    """A list's lines, a line that continues an item unindented (reST would end the list
    there) indented under the item's text."""
    hang, out = "", []
    for line in lines:
        item = _ITEM.match(line)
        if item:
            hang = " " * len(item[0].rstrip() + " ")
        out.append(line if item or line.startswith(" ") else hang + line)
    return out


def problem(blocks: tuple[Block, ...]) -> str:
    """What docutils would warn about in `blocks`, or "": a paragraph ending in `::` that no
    literal block follows ("Literal block expected; none found")."""
    for n, block in enumerate(blocks):
        if block.introduces_literal and (n + 1 == len(blocks) or blocks[n + 1].kind != LITERAL):
            return (
                f"paragraph {n + 1} ends in '::' but no indented block follows it (reST: "
                "literal block expected): indent the block after a blank line, or end the "
                "paragraph in ':'"
            )
    return ""


def add_words(blocks: list[Block], at: int, words: str) -> None:
    """`words` before the paragraph at `at` (0) or after the one before `at` (the end), or as
    a paragraph of their own next to a verbatim block."""
    if at == 0 and blocks and not blocks[0].verbatim:
        blocks[0] = Block(PROSE, f"{words} {blocks[0].text}")
    elif at > 0 and not blocks[at - 1].verbatim:
        blocks[at - 1] = Block(PROSE, f"{blocks[at - 1].text} {words}")
    else:
        blocks.insert(at, Block(PROSE, words))
