"""A validator for the subset of JSON Schema (2020-12) that luogen's own schema uses.

`import jsonschema` costs more than all the rest of a `luogen generate`; this module checks a spec
in well under a millisecond and reports errors with the attributes luogen's messages read
(`validator`, `validator_value`, `schema`, `instance`, `absolute_path`). The test suite holds it
to the same answers as the jsonschema package, and to the keywords it supports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from .records import dataclass

# Keywords that only describe; they never make an instance invalid.
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "default", "x-rule", "examples"}
)
KEYWORDS = frozenset(
    {
        "$ref", "type", "properties", "additionalProperties", "required", "enum", "pattern",
        "minimum", "maximum", "minItems", "minLength", "maxLength", "items", "if", "then", "else",
        "not", "anyOf",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SchemaError:
    validator: str
    validator_value: Any
    schema: dict[str, Any]
    instance: Any
    absolute_path: tuple[str | int, ...]

    @property
    def message(self) -> str:
        return f"fails '{self.validator}': {self.validator_value!r}"


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    return name == "null" and value is None


@cache
def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _number(value: Any) -> bool:
    return _is_type(value, "number")


class Validator:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        result: dict[str, Any] = node
        return result

    def is_valid(self, instance: Any, schema: dict[str, Any] | None = None) -> bool:
        return (
            next(self.errors(instance, self.root if schema is None else schema, ()), None) is None
        )

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        return self.errors(instance, self.root, ())

    def errors(
        self, value: Any, schema: dict[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[SchemaError]:
        def fail(keyword: str) -> SchemaError:
            return SchemaError(keyword, schema[keyword], schema, value, path)

        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            if "title" in schema and "title" not in target:  # errors name what refers to it
                target = {**target, "title": schema["title"]}
            yield from self.errors(value, target, path)
        if "type" in schema:
            types = schema["type"]
            names = [types] if isinstance(types, str) else types
            if not any(_is_type(value, n) for n in names):
                yield fail("type")
                return  # the other keywords would only repeat the same problem
        if "enum" in schema and not any(
            value == v and type(value) is type(v) for v in schema["enum"]
        ):
            yield fail("enum")
        if isinstance(value, str):
            if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
                yield fail("pattern")
            if "minLength" in schema and len(value) < schema["minLength"]:
                yield fail("minLength")
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                yield fail("maxLength")
        if _number(value):
            if "minimum" in schema and value < schema["minimum"]:
                yield fail("minimum")
            if "maximum" in schema and value > schema["maximum"]:
                yield fail("maximum")
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                yield fail("minItems")
            if "items" in schema:
                for i, item in enumerate(value):
                    yield from self.errors(item, schema["items"], (*path, i))
        if isinstance(value, dict):
            yield from self._object_errors(value, schema, path)
        if "if" in schema:
            branch = "then" if self.is_valid(value, schema["if"]) else "else"
            if branch in schema:
                yield from self.errors(value, schema[branch], path)
        if "not" in schema and self.is_valid(value, schema["not"]):
            yield fail("not")
        if "anyOf" in schema and not any(self.is_valid(value, s) for s in schema["anyOf"]):
            yield fail("anyOf")

    def _object_errors(
        self, value: dict[str, Any], schema: dict[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[SchemaError]:
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:  # one error per missing key, naming just that key
                yield SchemaError("required", [key], schema, value, path)
        for key, item in value.items():
            if key in properties:
                yield from self.errors(item, properties[key], (*path, key))
        extra = schema.get("additionalProperties", True)
        if extra is False and any(k not in properties for k in value):
            yield SchemaError("additionalProperties", False, schema, value, path)
        elif isinstance(extra, dict):  # a map: every other key's value follows `extra`
            for key, item in value.items():
                if key not in properties:
                    yield from self.errors(item, extra, (*path, key))


def patterns(schema: Any) -> Iterator[str]:
    """Every `pattern` in `schema`: a run compiles each as a spec's strings meet it."""
    if isinstance(schema, dict):
        if isinstance(schema.get("pattern"), str):
            yield schema["pattern"]
        for value in schema.values():
            yield from patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from patterns(item)


def unsupported_keywords(schema: Any) -> set[str]:
    """Keywords in `schema` this validator does not implement (the test suite wants none)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key not in KEYWORDS | ANNOTATIONS:
                found.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    found |= unsupported_keywords(sub)
            elif key not in ("enum", "required", "x-rule", "default", "examples"):
                found |= unsupported_keywords(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= unsupported_keywords(item)
    return found
