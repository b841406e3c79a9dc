"""Comments of a real header as spec docs: kernel-doc blocks taken apart, plain comments kept."""

from __future__ import annotations

import re

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
    return text or undocumented
