"""Whether importing a generated header gives the spec it was generated from: the two specs
compared part by part, and each difference charged to the commands whose ABI it is part of.

A command's part of a spec is its own entry, the structs its argument is or holds (through
every member), the enums, constants and typedefs those name, and the spec's head (name, header,
guard, type byte, includes) and the range it is in. A difference elsewhere (a constant no command
uses) is the spec's, reported with the header, charged to no command.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..records import dataclass

SECTIONS = ("constants", "typedefs", "enums", "flags", "structs")
_HEAD_SKIP = {*SECTIONS, "ranges"}


@dataclass(frozen=True)
class Difference:
    part: str  # 'command X', 'struct x', 'constant X', 'head', 'range r'
    before: Any
    after: Any

    def __str__(self) -> str:
        return f"{self.part}: {_short(self.before)} -> {_short(self.after)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _index(spec: dict[str, Any]) -> dict[str, Any]:
    """Every part of a spec by name: 'head', 'constant X', 'struct x', 'command X', 'range r'."""
    parts: dict[str, Any] = {"head": {k: v for k, v in spec.items() if k not in _HEAD_SKIP}}
    for section in SECTIONS:
        for item in spec.get(section, []):
            parts[f"{section[:-1]} {item['name']}"] = item
    for command_range in spec.get("ranges", []):
        head = {k: v for k, v in command_range.items() if k != "commands"}
        parts[f"range {command_range['name']}"] = head
        for command in command_range["commands"]:
            parts[f"command {command['ioctl']}"] = {**command, "range": command_range["name"]}
    return parts


def _names(node: Any) -> Iterator[str]:
    """Every name a part refers to: structs, enums, flags, constants and typedef'd types."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "struct" and isinstance(value, str):
                yield f"struct {value}"
            elif key in ("enum", "flags") and isinstance(value, str):
                yield f"{'enum' if key == 'enum' else 'flag'} {value}"
            elif key in ("type", "array", "nr", "value"):
                yield from _spelled(value)
            if key != "doc":
                yield from _names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _names(item)


def _spelled(value: Any) -> Iterator[str]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            word = item.split()[0] if item.split() else item
            yield f"constant {word}"
            yield f"typedef {word}"


def closure(parts: dict[str, Any], command: str) -> set[str]:
    """The parts `command` depends on."""
    entry = parts.get(f"command {command}")
    seen = {"head", f"command {command}"}
    if entry is not None:
        seen.add(f"range {entry['range']}")
    queue = [entry]
    while queue:
        for name in _names(queue.pop()):
            if name in parts and name not in seen:
                seen.add(name)
                queue.append(parts[name])
    return seen


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[Difference]:
    """Every part that differs, in the order of `before` (then what only `after` has)."""
    old, new = _index(before), _index(after)
    found = []
    for part in [*old, *(p for p in new if p not in old)]:
        if old.get(part) != new.get(part):
            found.append(Difference(part, old.get(part), new.get(part)))
    return found


def charged(before: dict[str, Any], differences: list[Difference]) -> dict[str, Difference]:
    """Each command of `before` whose part of the spec differs, with the first difference."""
    parts = _index(before)
    out = {}
    for key in parts:
        if not key.startswith("command "):
            continue
        name = key.removeprefix("command ")
        mine = closure(parts, name)
        first = next((d for d in differences if d.part in mine), None)
        if first is not None:
            out[name] = first
    return out
