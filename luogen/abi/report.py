"""Reports of an ABI comparison: for people, and a stable JSON document for tools.

JSON schema (version 1; fields are only ever added, never renamed or removed):

    {
      "format": "luogen-abi-diff",       always this string
      "version": 1,                      bumped only on an incompatible change of this document
      "old": "origin/main:spec/x.yaml",  the two sides as given on the command line
      "new": "spec/x.yaml",
      "verdict": "breaking" | "compatible" | "identical",
      "counts": {"breaking": 1, "compatible": 2},
      "findings": [                      breaking first, then in header order
        {
          "kind": "breaking" | "compatible",
          "code": "member-offset-changed",     stable code (`luogen abi-diff --list-codes`)
          "scope": "abi" | "api" | "doc",      binary, source (a C name) or prose only
          "path": "struct fwctl_rpc.in",       the C name concerned
          "old": "..." | 8 | null,             the value before, null when it did not exist
          "new": "..." | 16 | null,            the value after, null when it is gone
          "message": "one line of explanation"
        }
      ]
    }
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .codes import CATALOGUE
from .finding import BREAKING, COMPATIBLE, Finding

JSON_SCHEMA_VERSION = 1


def verdict(findings: Sequence[Finding]) -> str:
    if any(f.kind == BREAKING for f in findings):
        return "breaking"
    return "compatible" if findings else "identical"


def exit_code(findings: Sequence[Finding]) -> int:
    """0: nothing breaks; 1: something breaks (2, usage and spec errors, is the CLI's)."""
    return 1 if any(f.kind == BREAKING for f in findings) else 0


def to_json(old: str, new: str, findings: Sequence[Finding]) -> str:
    document = {
        "format": "luogen-abi-diff",
        "version": JSON_SCHEMA_VERSION,
        "old": old,
        "new": new,
        "verdict": verdict(findings),
        "counts": {
            "breaking": sum(f.kind == BREAKING for f in findings),
            "compatible": sum(f.kind == COMPATIBLE for f in findings),
        },
        "findings": [f.as_dict() for f in findings],
    }
    return json.dumps(document, indent=2) + "\n"


def _value(value: str | int | None) -> str:
    return "(none)" if value is None else str(value)


def human(old: str, new: str, findings: Sequence[Finding]) -> str:
    breaking = [f for f in findings if f.kind == BREAKING]
    compatible = [f for f in findings if f.kind == COMPATIBLE]
    lines = [
        f"ABI diff {old} -> {new}: {verdict(findings)} "
        f"({len(breaking)} breaking, {len(compatible)} compatible)"
    ]
    for title, group in (("Breaking changes", breaking), ("Compatible changes", compatible)):
        if not group:
            continue
        lines += ["", f"{title}:"]
        for f in group:
            change = ""
            if f.old is not None or f.new is not None:
                change = f": {_value(f.old)} -> {_value(f.new)}"
            api = " [API]" if f.scope == "api" else ""
            lines.append(f"  {f.code}{api}  {f.path}{change}")
            lines.append(f"      {f.message}")
    return "\n".join(lines) + "\n"


def code_list() -> str:
    """The catalogue of codes, as `luogen abi-diff --list-codes` prints it: one code a line, in
    the catalogue's order, with its kind, scope and description in aligned columns."""
    rows = [("CODE", "KIND", "SCOPE", "DESCRIPTION")]
    rows += [(c.name, "/".join(c.kinds), c.scope, c.description) for c in CATALOGUE]
    code_width = max(len(row[0]) for row in rows)
    kind_width = max(len(row[1]) for row in rows)
    scope_width = max(len(row[2]) for row in rows)
    lines = [
        f"{code:<{code_width}}  {kind:<{kind_width}}  {scope:<{scope_width}}  {description}"
        for code, kind, scope, description in rows
    ]
    return "\n".join(lines) + "\n"
