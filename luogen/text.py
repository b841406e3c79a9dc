"""Text layout for the outputs: wrapping prose, and breaking C, Rust and Python lines as the
kernel's style, rustfmt and ruff would. Formatting only: nothing here knows the ABI.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

from .prose import LITERAL, Block

WIDTH = 80  # kernel style: prose wraps at 80 columns
LIMIT = 100  # the longest line checkpatch --strict accepts
# A word and a list marker after it (`x - y`, `(a) + 32`), which a line break must not part.
_MARKER = re.compile(r"(\S) ([-+*]|\d+[.)])(?= )")
KDOC_HANG = " *   "  # continuation of a member's or value's doc of several blocks

Prose = str | Block  # a paragraph, or a block of the spec's prose


def wrap(text: str, first: str, rest: str | None = None, width: int = WIDTH) -> str:
    """`text` wrapped to `width` columns, the first line after `first`, the others after `rest`.
    No line starts with what reads as a list item's marker (`- `, `+ `, `1. `): the word before
    it goes along."""
    if text and len(first) + len(text) <= width and " ".join(text.split()) == text:
        return first + text  # what textwrap makes of it, without its cost: one line
    rest = first if rest is None else rest
    lines = _wrapped(_MARKER.sub("\\1\u00a0\\2", text), width, first, rest)
    return "\n".join(lines).replace("\u00a0", " ") if lines else first.rstrip()


_TEXTWRAP_SPACES = "\t\n\x0b\x0c\r"  # besides " ", what textwrap breaks lines at


def _wrapped(text: str, width: int, first: str, rest: str) -> list[str]:
    """textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, tabsize=8,
    break_long_words=False, break_on_hyphens=False), line for line.

    Prose is mostly words between single spaces: those are wrapped here, greedily as textwrap
    does, a word too long for its line alone on one, in 5 us where textwrap took 17 (a kdoc
    paragraph of 30 words; textwrap's chunk loop was the largest part of rendering). Any other
    text goes to textwrap itself."""
    words = text.split(" ")
    if width <= 0 or not all(w.strip() for w in words) or any(c in text for c in _TEXTWRAP_SPACES):
        return textwrap.wrap(
            text,
            width=width,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
            tabsize=8,
        )
    lines: list[str] = []
    line: list[str] = []
    indent, room, length = first, width - len(first), 0
    for word in words:
        if line and length + 1 + len(word) <= room:
            line.append(word)
            length += 1 + len(word)
            continue
        if line:
            lines.append(indent + " ".join(line))
            indent, room = rest, width - len(rest)
        line, length = [word], len(word)
        if length > room:  # too long for any line: alone on its own
            lines.append(indent + word)
            indent, room, line = rest, width - len(rest), []
    if line:
        lines.append(indent + " ".join(line))
    return lines


def lay_out(item: Prose, first: str, rest: str | None = None, width: int = WIDTH) -> str:
    """A paragraph wrapped as `wrap` does, or a verbatim block line for line: its first line
    after `first`, the others after `rest`, no trailing blanks."""
    if isinstance(item, str) or not item.verbatim:
        return wrap(item if isinstance(item, str) else item.text, first, rest, width)
    rest = first if rest is None else rest
    return "\n".join(
        ((first if n == 0 else rest) + line).rstrip() for n, line in enumerate(item.lines)
    )


def c_comment(blocks: Sequence[Prose], head: str = "", width: int = WIDTH) -> str:
    """A plain C comment of every block: `/* head first */` when there is one paragraph, else
    the first after `/* head`, each other after a bare ` *` line, and ` */` on its own line."""
    if not blocks:
        return f"/* {head.rstrip()} */"
    first = lay_out(blocks[0], f"/* {head}", " * ", width)
    if len(blocks) == 1:  # kernel style: a comment of several lines ends on a line of its own
        return f"{first}\n */" if "\n" in first else f"{first} */"
    rest = [lay_out(block, " * ", width=width) for block in blocks[1:]]
    return "\n *\n".join([first, *rest]) + "\n */"


def kdoc(blocks: Iterable[Prose], prefix: str = " * ") -> str:
    """The free text of a kernel-doc comment: its blocks, a bare ` *` line between them."""
    return f"\n{prefix.rstrip()}\n".join(lay_out(block, prefix) for block in blocks)


def kdoc_brief(brief: str, declaration: str) -> str:
    """A kernel-doc comment's first line: `declaration - brief`, or the declaration alone."""
    return wrap(brief, f" * {declaration} - ", " * ") if brief else f" * {declaration}"


def kdoc_member(name: str, blocks: Sequence[Prose]) -> str:
    """`@name: doc`. One paragraph continues after a tab; a doc of several blocks continues
    indented by spaces, so that kernel-doc keeps the blocks after a blank line in the member
    (a line of ` *` and one non-blank after a tab would start the comment's description)."""
    head = f" * @{name}: "
    prose = bool(blocks) and (isinstance(blocks[0], str) or not blocks[0].verbatim)
    if prose and len(blocks) == 1:
        return lay_out(blocks[0], head, " *\t")
    lines = [lay_out(blocks[0], head, KDOC_HANG)] if prose else [head.rstrip()]
    for n, block in enumerate(blocks[1:] if prose else blocks):
        lines += [" *"] if n or prose else []
        lines.append(lay_out(block, KDOC_HANG))
    return "\n".join(lines)


def kdoc_item(name: str, blocks: Sequence[Prose]) -> str:
    """`- %name: doc`, an item of a kernel-doc list: its first paragraph after the name, its
    other blocks indented under it."""
    head = f" * - %{name}: "
    prose = bool(blocks) and (isinstance(blocks[0], str) or not blocks[0].verbatim)
    lines = [lay_out(blocks[0], head, KDOC_HANG)] if prose else [head.rstrip()]
    for n, block in enumerate(blocks[1:] if prose else blocks):
        lines += [" *"] if n or prose else []
        lines.append(lay_out(block, KDOC_HANG))
    return "\n".join(lines)


def spelled_names(names: tuple[str, ...], mark: str) -> str:
    """`names` as prose: each between `mark`s, the last two joined by "or"."""
    quoted = [f"{mark}{name}{mark}" for name in names]
    return " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)


def define(name: str, value: str, width: int = WIDTH) -> str:
    """A `#define`, its value on a continuation line when one line would pass `width`."""
    line = f"#define {name} {value}"
    if len(line) <= width:
        return line
    return f"#define {name} \\\n\t{value}"


def c_call(args: list[str], head: str, tail: str = "", indent: str = "") -> str:
    """`head` + `args` + `tail` in kernel style: the arguments fill lines of at most `WIDTH`
    columns, continuation lines aligned with the open parenthesis (tabs, then spaces). When an
    argument so aligned would pass the 100 columns checkpatch allows (a long function name),
    the return type goes on a line of its own, above the name."""
    aligned = _c_arguments(args, indent + head, tail)
    if all(len(line.expandtabs(8)) <= LIMIT for line in aligned.splitlines()):
        return aligned
    returns, _, name = head.rpartition(" ")
    if not returns:
        return aligned  # nothing to move: a macro call
    pointer = name[: len(name) - len(name.lstrip("*"))]
    above = f"{indent}{returns} {pointer}".rstrip()
    return above + "\n" + _c_arguments(args, indent + name[len(pointer) :], tail)


def _c_arguments(args: list[str], first: str, tail: str) -> str:
    """`first` + `args` + `tail`, continuation lines starting at the column `first` ends at."""
    column = len(first.expandtabs(8))
    continuation = "\t" * (column // 8) + " " * (column % 8)
    lines, line = [], first
    for i, arg in enumerate(args):
        piece = arg + ("," if i < len(args) - 1 else tail)
        fresh = line in (first, continuation)
        if not fresh and len(f"{line} {piece}".expandtabs(8)) > WIDTH:
            lines.append(line)
            line = continuation + piece
        else:
            line += piece if fresh else " " + piece
    lines.append(line)
    return "\n".join(lines)


def underline(title: str, char: str, overline: bool = False) -> str:
    """An reStructuredText title with its adornment."""
    rule = char * len(title)
    return f"{rule}\n{title}\n{rule}" if overline else f"{title}\n{rule}"


# --- line breaking for the binding templates, as rustfmt and ruff would break -----------------
# Python functions rather than template macros: a macro call costs more than the line it breaks.


def fit(head: str, value: str, tail: str, indent: str, width: int = 100) -> str:
    """Python: `head` + `value` on one line when it fits, else the value in parentheses on a line
    of its own."""
    line = f"{indent}{head}{value}{tail}"
    if len(line) <= width:
        return line
    opened = _outer_bracket(value)
    if opened is None:
        return f"{indent}{head}(\n{indent}    {value}\n{indent}){tail}"
    # A bracketed value breaks inside its own brackets, as ruff format does.
    inner = value[opened + 1 : -1]
    return f"{indent}{head}{value[: opened + 1]}\n{indent}    {inner}\n{indent}{value[-1]}{tail}"


def _outer_bracket(value: str) -> int | None:
    """Where the bracket that the last character of `value` closes opens, when that is the
    first bracket of `value` (`{...}`, `name(...)`): else None."""
    pairs = {")": "(", "]": "[", "}": "{"}
    if not value or value[-1] not in pairs:
        return None
    first = next((i for i, c in enumerate(value) if c in "([{"), None)
    depth = 0
    for i, c in enumerate(value):
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and first is not None and i >= first:
            return first if i == len(value) - 1 and value[first] == pairs[value[-1]] else None
    return None


def py_str(value: str) -> str:
    """A Python string literal as ruff format writes it: in double quotes, unless the text holds
    a double quote and no single one."""
    literal = repr(value)
    if literal.startswith("'") and '"' not in value:
        return '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def py_text(paragraphs: Iterable[Prose], indent: str, lead: str = "") -> list[str]:
    """The blocks of a docstring, escaped for one: `lead` before the first paragraph (on a line
    of its own before a verbatim block), every line within 100 columns but verbatim ones."""
    blocks = []
    for i, item in enumerate(paragraphs):
        head = indent + (lead if i == 0 else "")
        if isinstance(item, Block) and item.verbatim:
            lines = [f"{indent}{_docstring(line)}".rstrip() for line in item.lines]
            blocks.append("\n".join([head.rstrip(), *lines] if i == 0 and lead else lines))
        else:
            text = item if isinstance(item, str) else item.text
            blocks.append(wrap(_docstring(text), head, indent, width=100))
    return blocks


def _docstring(value: str) -> str:  # as a docstring holds it
    return value.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def py_docstring(
    paragraphs: Iterable[Prose],
    indent: str,
    lead: str,
    args: Iterable[tuple[str, str]] = (),
    returns: str = "",
) -> str:
    """A docstring: `lead` (with the opening quotes) before the first paragraph, then an `Args:`
    section of (name, text) pairs and a `Returns:` text, every line within 100 columns, the
    closing quotes on a line of their own."""
    blocks = py_text(paragraphs, indent, lead)
    named = [wrap(_docstring(t), f"{indent}    {n}: ", f"{indent}        ", 100) for n, t in args]
    if named:
        blocks.append("\n".join([f"{indent}Args:", *named]))
    if returns:
        blocks.append(f"{indent}Returns:\n" + wrap(_docstring(returns), f"{indent}    ", width=100))
    text = "\n\n".join(blocks)
    if "\n" not in text and len(text) + 3 <= 100:
        return text + '"""'  # one line: its closing quotes too, as ruff format puts them
    return text + f'\n{indent}"""'


def rust_docs(paragraphs: Iterable[Prose], indent: str = "", mark: str = "///") -> str:
    """Doc comment lines: each paragraph wrapped at 100 columns, a bare `mark` between them; a
    list line for line, a literal block fenced as `text` (rustdoc would compile an indented
    block as a doctest), the `::` that introduces it read as reST reads it."""
    items, out = list(paragraphs), []
    for n, item in enumerate(items):
        if isinstance(item, Block) and item.verbatim:
            lines = ("```text", *item.dedented, "```") if item.kind == LITERAL else item.lines
            out.append("\n".join(f"{indent}{mark} {line}".rstrip() for line in lines))
            continue
        text = item if isinstance(item, str) else item.text
        after = items[n + 1] if n + 1 < len(items) else None
        if isinstance(after, Block) and after.kind == LITERAL and text.endswith("::"):
            stem = text[:-2]  # reST: `text::` is `text:`, `text ::` and `::` lose it
            text = stem.rstrip() if stem[-1:] in ("", " ") else text[:-1]
        if text:
            out.append(wrap(text, f"{indent}{mark} ", width=100))
    return f"\n{indent}{mark}\n".join(out)


def _broken(head: str, items: list[str], close: str, indent: str, last: str = ",") -> str:
    lines = [f"{indent}{head}"]
    lines += [
        f"{indent}    {item}{',' if i < len(items) - 1 else last}" for i, item in enumerate(items)
    ]
    return "\n".join([*lines, f"{indent}{close}"])


def rust_call(
    head: str, args: list[str], tail: str = "", indent: str = "", limit: int = 60, comma: str = ""
) -> str:
    """A call (or attribute) on one line when its arguments take at most `limit` columns, else
    one argument per line."""
    inner = ", ".join(args)
    one = f"{indent}{head}({inner}){tail}"
    if len(inner) <= limit and len(one) <= 100:
        return one
    return _broken(f"{head}(", args, f"){tail}", indent, comma)


def rust_cfg(head: str, arches: list[str], tail: str, indent: str = "") -> str:
    inner = head + ", ".join(arches) + tail
    one = f"{indent}#[cfg({inner})]"
    if len(inner) <= 70 and len(one) <= 100:
        return one
    return _broken(f"#[cfg({head}", arches, f"{tail})]", indent, "")


def rust_signature(head: str, params: list[str], tail: str, indent: str = "") -> str:
    one = f"{indent}{head}({', '.join(params)}){tail}"
    if len(one) <= 100:
        return one
    return _broken(f"{head}(", params, f"){tail}", indent)


def rust_literal(head: str, fields: list[str], tail: str, indent: str = "") -> str:
    """A struct literal, on one line when its body takes at most 18 columns (rustfmt's rule)."""
    body = ", ".join(fields)
    one = f"{indent}{head} {{ {body} }}{tail}"
    if len(body) <= 18 and len(one) <= 100:
        return one
    return _broken(f"{head} {{", fields, f"}}{tail}", indent)
