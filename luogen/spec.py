"""Load a spec: YAML text -> plain data with the source position of every node, schema-checked.

PyYAML drops positions and silently keeps the last of two duplicate keys; luogen composes the data
from PyYAML's events itself (`compose.py`) so that every later error, schema or semantic, can point
at the offending node.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from . import package
from .compose import Composer, location
from .errors import Diagnostic, Location, SpecError, closest, suggest
from .records import dataclass, field
from .schema_check import Validator

PathKey = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Spec:
    """A loaded spec: `data` is plain JSON-like data; positions map a path in it to its source."""

    path: str
    data: Any
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)  # read past: duplicate keys, anchors

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


def _offset_location(path: str, text: bytes, offset: int) -> Location:
    """Where byte `offset` of `text` is (the column counts characters)."""
    before = text[:offset]
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", "replace")) + 1
    return Location(path, before.count(b"\n") + 1, column)


def _syntax_error(path: str, exc: yaml.MarkedYAMLError) -> SpecError:
    """A YAML syntax error, located at its cause: where the text went wrong, or, when the text
    ends inside a construct (an unclosed quote, say), where the construct begins."""
    message = " ".join(p for p in (exc.context, exc.problem) if p)
    opened, problem = exc.context_mark, exc.problem_mark
    if opened is not None and problem is not None and "end of stream" in (exc.problem or ""):
        ends = f"the file ends at line {problem.line + 1}, column {problem.column + 1}"
        if "quoted scalar" in (exc.context or ""):
            message = f"this quoted string is never closed ({ends}): add its closing quote"
        else:
            message += f" ({ends})"
        return SpecError.at(location(path, opened), f"invalid YAML: {message}")
    if opened is not None and problem is not None and opened.line != problem.line:
        message += f" (the construct began at line {opened.line + 1}, column {opened.column + 1})"
    return SpecError.at(location(path, problem), f"invalid YAML: {message}")


def _reader_error(path: str, text: str, exc: yaml.reader.ReaderError) -> SpecError:
    """A character YAML does not allow, located: the C reader counts bytes, PyYAML's own
    characters."""
    encoded = text.encode()
    offset = len(text[: exc.position].encode()) if _Loader is yaml.SafeLoader else exc.position
    where = _offset_location(path, encoded, offset)
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    # YAML's escapes: \x for 8 bits, \u for 16, \U for 32; a noncharacter is no control.
    escape = (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )
    what = "control character" if code < 0xA0 else "character"
    return SpecError.at(
        where,
        f"invalid YAML: {what} U+{code:04X} is not allowed; remove it (in a double-quoted "
        f'string, write it as the escape "{escape}")',
    )


def parse(path: str, raw: bytes) -> Spec:
    """Parse YAML bytes into a positioned Spec (no schema check)."""
    spec = Spec(path, None)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = _offset_location(path, raw, exc.start)
        raise SpecError.at(where, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    composer = Composer(spec)
    try:
        spec.data = composer.compose(yaml.parse(text, Loader=_Loader))
    except yaml.reader.ReaderError as exc:
        raise _with(composer, _reader_error(path, text, exc)) from None
    except yaml.MarkedYAMLError as exc:
        raise _with(composer, _syntax_error(path, exc)) from None
    except yaml.YAMLError as exc:
        error = SpecError.at(Location(path, 1, 1), f"invalid YAML: {exc}")
        raise _with(composer, error) from None
    except SpecError as exc:
        raise _with(composer, exc) from None
    spec.problems = composer.problems
    return spec


def _with(composer: Composer, error: SpecError) -> SpecError:
    """`error`, and what the composer read past before it."""
    return SpecError([*composer.problems, *error.diagnostics]) if composer.problems else error


def read(path: str | Path) -> Spec:
    """Read, parse and schema-check one spec file."""
    spec = read_unchecked(path)
    validate(spec)
    return spec


def read_unchecked(path: str | Path) -> Spec:
    """Read and parse one spec file (no schema check)."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise SpecError.at(Location(name, 1, 1), "is a directory, not a spec file") from None
    except OSError as exc:
        raise SpecError.at(Location(name, 1, 1), f"cannot read: {exc.strerror}") from None
    return parse(name, raw)


# --- schema -----------------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    text = package.read("schema.json")
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
            hint = suggest(key, known) or f" (known keys: {listed})"
            out.append(
                Diagnostic(
                    spec.key_at((*path, key)), "error", f"unknown key '{key}' in {what}{hint}"
                )
            )
        return out
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        known = set(error.schema.get("properties", {}))
        misspelt = [k for k in error.instance if k not in known and suggest(k, missing)]
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
        hint = suggest(str(error.instance), allowed)
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
    elif kind == "not":  # "none of these keys" (of a retired, a classic or another command)
        banned = [r["required"][0] for r in error.validator_value.get("anyOf", [])]
        present = ", ".join(repr(k) for k in banned if k in error.instance)
        message = f"{what} cannot have {present}: {_NOT_WHY.get(error.schema.get('title'), '')}"
    elif kind == "uniqueItems":
        message = f"{what} lists a value twice"
    else:  # a keyword the schema may gain later: still located
        message = f"{what}: {error.message}"
    return [Diagnostic(where, "error", message)]


# Why a kind of command cannot have a key, by the title of the schema that says so.
_NOT_WHY = {
    "retired command": "it keeps only its number",
    "classic command": "those are an extensible command's (a classic one has an 'encoding')",
    "command": "those are a classic command's, which says its 'encoding'",
}


class SchemaProblems(NamedTuple):
    """What the schema check found: where each problem is, and the messages."""

    paths: tuple[PathKey, ...]  # where each problem is, but for the two below
    diagnostics: tuple[Diagnostic, ...]
    unknown: tuple[tuple[PathKey, str | None], ...] = ()  # each unknown key, the key it is near
    missing: tuple[PathKey, ...] = ()  # each missing required key


def schema_problems(spec: Spec) -> SchemaProblems:
    """Check the spec against the JSON Schema: every problem, located (SpecError when there is
    no spec at all)."""
    if spec.data is None:
        raise SpecError.at(Location(spec.path, 1, 1), "the spec is empty")
    paths: list[PathKey] = []
    unknown: list[tuple[PathKey, str | None]] = []
    missing: list[PathKey] = []
    diagnostics: list[Diagnostic] = list(spec.problems)
    for error in _validator().iter_errors(spec.data):
        path: PathKey = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            for key in sorted(set(error.instance) - set(known)):
                unknown.append(((*path, key), closest(key, known)))
        elif error.validator == "required":
            missing += [(*path, k) for k in error.validator_value if k not in error.instance]
        else:
            paths.append(path)
        diagnostics.extend(_diagnostics(spec, error))
    found = tuple(sorted(set(diagnostics)))
    return SchemaProblems(tuple(paths), found, tuple(unknown), tuple(missing))


def validate(spec: Spec) -> None:
    """Check the spec against the JSON Schema; raise SpecError with every problem, located."""
    problems = schema_problems(spec)
    if problems.diagnostics:
        raise SpecError(list(problems.diagnostics))
