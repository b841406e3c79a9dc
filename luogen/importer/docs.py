"""Comments of a real header as spec docs: kernel-doc blocks taken apart, plain comments kept."""

from __future__ import annotations

import re

from ..prose import LIST, PROSE, Block, parse, problem

_KDOC_HEAD = re.compile(r"^(?:struct|union|enum)\s+\w+\s*-\s*")
_MEMBER_LINE = re.compile(r"^@[\w.]+:")


def from_comment(comment: str | None, undocumented: str) -> str:
    """The prose of `comment` (the comment's text, markers already gone): a kernel-doc block
    loses its `struct x - ` head and its `@member:` lines, which belong to the members. Text
    that would close a C comment is spelled so it cannot."""
    if not comment:
        return undocumented
    kept: list[str] = []
    in_members = False
    for raw in comment.replace("\t", "    ").splitlines():
        line = raw.rstrip()
        if _MEMBER_LINE.match(line.strip()):
            in_members = True  # the members' lines run to the next blank line
            continue
        if in_members and line.strip():
            continue
        in_members = False
        kept.append(line)
    text = "\n".join(kept).strip()
    text = _KDOC_HEAD.sub("", text, count=1)
    text = text.replace("*/", "* /").replace("/*", "/ *")
    return settled(text) or undocumented


def settled(text: str) -> str:
    """`text` as it reads back from the comment luogen writes of it: each paragraph's words on
    one line (the header wraps them again), a list's lines without their indentation, and a
    literal block, whose indentation the comment's reader does not keep, as the paragraph or
    list it becomes without it. A paragraph ending in '::' before no literal block ends in ':',
    as reST reads it."""
    for _ in range(4):  # each pass can only turn literal blocks into paragraphs or lists
        blocks = list(parse(text))
        if problem(tuple(blocks)):
            blocks = [_one_colon(b) if b.kind == PROSE else b for b in blocks]
        again = "\n\n".join(_flat(b) for b in blocks)
        if again == text:
            break
        text = again
    return text


def _flat(block: Block) -> str:
    if block.kind == PROSE:
        return block.text
    lines = [line.strip() for line in block.text.split("\n")]
    if block.kind == LIST:
        return "\n".join(line for line in lines if line)
    return "\n".join(lines).strip("\n")


def _one_colon(block: Block) -> Block:
    return Block(PROSE, block.text[:-1]) if block.text.endswith("::") else block
