"""Load a spec: YAML text -> plain data with the source position of every node, schema-checked.

PyYAML drops positions and silently keeps the last of two duplicate keys; luogen composes the node
graph itself so that every later error, schema or semantic, can point at the offending node.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, Location, SpecError
from .schema_check import Validator

PathKey = tuple[str | int, ...]

# A spec of 250 commands has ~50k nodes; far more can only come from alias expansion.
MAX_NODES = 1_000_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Spec:
    """A loaded spec: `data` is plain JSON-like data; positions map a path in it to its source."""

    path: str
    data: Any
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)

    def at(self, path: Iterable[str | int]) -> Location:
        """Where the value at `path` starts (or its nearest enclosing node)."""
        key = tuple(path)
        while key not in self.values and key:
            key = key[:-1]
        return self.values.get(key, Location(self.path, 1, 1))

    def key_at(self, path: Iterable[str | int]) -> Location:
        """Where the key of the mapping entry at `path` is written."""
        key = tuple(path)
        return self.keys.get(key) or self.at(key)


def _location(path: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(path, 1, 1)
    return Location(path, mark.line + 1, mark.column + 1)


class _Composer:
    """Turns a PyYAML node graph into plain data, recording positions and rejecting duplicates."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.nodes = 0
        self.scalars = yaml.SafeLoader("")

    def error(self, mark: yaml.Mark | None, message: str) -> SpecError:
        return SpecError.at(_location(self.spec.path, mark), message)

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        self.spec.values[path] = _location(self.spec.path, node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:str":  # most scalars: skip the constructor machinery
            return node.value
        try:
            return self.scalars.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            kind = node.tag.rsplit(":", 1)[-1]
            if kind == "int" and "digits" in str(exc):
                raise self.error(node.start_mark, "integer is too large") from None
            raise self.error(node.start_mark, f"invalid {kind}: {exc}") from None

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.error(key_node.start_mark, "merge keys ('<<') are not supported")
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":str")):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                raise self.error(key_node.start_mark, f"key {shown} must be a plain string")
            key = key_node.value
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                raise self.error(
                    key_node.start_mark, f"duplicate key '{key}' (first set at line {line})"
                )
            first_seen[key] = key_node
            self.spec.keys[(*path, key)] = _location(self.spec.path, key_node.start_mark)
            result[key] = self.convert(value_node, (*path, key))
        return result


def _check_expansion(path: str, root: yaml.Node) -> None:
    """Refuse a document whose aliases expand it past MAX_NODES, before expanding anything,
    pointing at the anchor that is expanded most."""
    sizes: dict[int, int] = {}
    uses: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        uses[key] = uses.get(key, 0) + 1
        if key not in sizes:
            nodes[key] = node
            if isinstance(node, yaml.MappingNode):
                sizes[key] = 1 + sum(size(k) + size(v) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                sizes[key] = 1 + sum(size(item) for item in node.value)
            else:
                sizes[key] = 1
        return sizes[key]

    total = size(root)
    if total <= MAX_NODES:
        return
    key = max((k for k in uses if uses[k] > 1), key=lambda k: sizes[k] * uses[k], default=id(root))
    message = (
        f"the document expands to {total:,} nodes through its aliases (at most {MAX_NODES:,}); "
        f"this anchor is used {uses[key]:,} times"
    )
    raise SpecError.at(_location(path, nodes[key].start_mark), message)


def _offset_location(path: str, text: bytes, offset: int) -> Location:
    before = text[:offset]
    line = before.count(b"\n") + 1
    return Location(path, line, offset - (before.rfind(b"\n") + 1) + 1)


def parse(path: str, raw: bytes) -> Spec:
    """Parse YAML bytes into a positioned Spec (no schema check)."""
    spec = Spec(path, None)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = _offset_location(path, raw, exc.start)
        raise SpecError.at(where, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        where = _location(path, exc.problem_mark)
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        opened = exc.context_mark
        if (
            opened is not None
            and exc.problem_mark is not None
            and opened.line != exc.problem_mark.line
        ):
            message += (
                f" (the construct began at line {opened.line + 1}, column {opened.column + 1})"
            )
        raise SpecError.at(where, f"invalid YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise SpecError.at(Location(path, 1, 1), f"invalid YAML: {exc}") from None
    except RecursionError:
        raise SpecError.at(Location(path, 1, 1), "invalid YAML: nested too deeply") from None
    if node is not None:
        try:
            _check_expansion(path, node)
            spec.data = _Composer(spec).convert(node, ())
        except RecursionError:
            raise SpecError.at(Location(path, 1, 1), "the document is nested too deeply") from None
    return spec


def read(path: str | Path) -> Spec:
    """Read, parse and schema-check one spec file."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise SpecError.at(Location(name, 1, 1), "is a directory, not a spec file") from None
    except OSError as exc:
        raise SpecError.at(Location(name, 1, 1), f"cannot read: {exc.strerror}") from None
    spec = parse(name, raw)
    validate(spec)
    return spec


# --- schema -----------------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    text = resources.files("luogen").joinpath("schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Validator:
    return Validator(schema())


_JSON_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "number": "a number",
    "null": "nothing",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, str):
        return f"the string '{value}'"
    return f"the {type(value).__name__} {value}"


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _what(error: Any) -> str:
    title = error.schema.get("title")
    if title:
        return str(title)
    path = list(error.absolute_path)
    named = [p for p in path if isinstance(p, str)]
    return f"'{named[-1]}'" if named else "the spec"


def _diagnostics(spec: Spec, error: Any) -> list[Diagnostic]:
    path: PathKey = tuple(error.absolute_path)
    kind = error.validator
    where = spec.at(path)
    what = _what(error)
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - known):
            listed = ", ".join(error.schema.get("properties", {}))
            hint = _did_you_mean(key, known) or f" (known keys: {listed})"
            out.append(
                Diagnostic(
                    spec.key_at((*path, key)), "error", f"unknown key '{key}' in {what}{hint}"
                )
            )
        return out
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        known = set(error.schema.get("properties", {}))
        misspelt = [k for k in error.instance if k not in known and _did_you_mean(k, missing)]
        if misspelt:
            return []  # the unknown-key error for the misspelt key says it all
        message = f"{what} is missing the required key '{missing[0]}'"
    elif kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_JSON_TYPES[n] for n in names)
        message = f"{what} must be {wanted}, not {_describe(error.instance)}"
    elif kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        hint = _did_you_mean(str(error.instance), allowed)
        message = f"{what} cannot be '{error.instance}'{hint}; choose one of: {', '.join(allowed)}"
    elif kind == "pattern":
        rule = error.schema.get("x-rule", f"must match {error.validator_value}")
        message = f"{what} '{error.instance}' {rule}"
    elif kind in ("minimum", "maximum", "exclusiveMinimum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        if low is not None and high == 255:  # a byte: quote it as ioctl numbers are quoted
            message = f"{what} must be within 0x{low:02x}..0xff, not {error.instance}"
        elif low is not None and high is not None:
            message = f"{what} must be within {low}..{high}, not {error.instance}"
        elif kind == "minimum":
            message = f"{what} must be at least {error.validator_value}, not {error.instance}"
        else:
            message = f"{what} must be at most {error.validator_value}, not {error.instance}"
    elif kind == "minItems" or kind == "minLength":
        message = f"{what} must not be empty"
    elif kind == "maxLength":
        message = f"{what} is longer than {error.validator_value} characters"
    elif kind == "not":  # the schema says "none of these keys" (a retired command)
        banned = [r["required"][0] for r in error.validator_value.get("anyOf", [])]
        present = ", ".join(repr(k) for k in banned if k in error.instance)
        message = f"{what} cannot have {present}: it keeps only its number"
    elif kind == "uniqueItems":
        message = f"{what} lists a value twice"
    else:  # a keyword the schema may gain later: still located
        message = f"{what}: {error.message}"
    return [Diagnostic(where, "error", message)]


def validate(spec: Spec) -> None:
    """Check the spec against the JSON Schema; raise SpecError with every problem, located."""
    if spec.data is None:
        raise SpecError.at(Location(spec.path, 1, 1), "the spec is empty")
    diagnostics: list[Diagnostic] = []
    for error in _validator().iter_errors(spec.data):
        diagnostics.extend(_diagnostics(spec, error))
    if diagnostics:
        raise SpecError(_dedupe(diagnostics))


def _dedupe(items: Sequence[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(items))
