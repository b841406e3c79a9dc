"""The loader: positions of values and keys, duplicate keys, and schema errors in source order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from luogen import spec
from luogen.errors import Location, SpecError

ROOT = Path(__file__).resolve().parent.parent

TEXT = b"""\
name: t
ranges:
  - name: device
    commands:
      - name: op
        members:
          - {name: x, type: u32}
"""


def test_values_and_keys_have_their_source_positions() -> None:
    loaded = spec.parse("t.yaml", TEXT)
    assert loaded.at(("ranges", 0, "commands", 0, "name")) == Location("t.yaml", 5, 15)
    assert loaded.key_at(("ranges", 0, "commands", 0, "members")) == Location("t.yaml", 6, 9)
    assert loaded.at(("ranges", 0, "commands", 0, "members", 0, "type")) == Location(
        "t.yaml", 7, 29
    )
    # A path that does not exist falls back to its nearest enclosing node.
    assert loaded.at(("ranges", 0, "commands", 0, "doc")) == Location("t.yaml", 5, 9)


def test_duplicate_keys_are_errors_not_silently_dropped() -> None:
    """The first value stays, the duplicate is an error of the spec, and the document is read
    on (its other errors are reported with it)."""
    loaded = spec.parse("t.yaml", b"name: a\ntitle: b\nname: c\n")
    assert loaded.data == {"name": "a", "title": "b"}
    with pytest.raises(SpecError) as raised:
        spec.validate(loaded)
    assert "t.yaml:3:1: error: duplicate key 'name' (first set at line 1)" in str(raised.value)


def test_a_duplicate_anchor_is_an_error_and_an_alias_names_the_last_one() -> None:
    loaded = spec.parse("t.yaml", b"a: &x 1\nb: &x 2\nc: *x\n")
    assert loaded.data == {"a": 1, "b": 2, "c": 2}
    assert [str(d) for d in loaded.problems] == [
        "t.yaml:2:4: error: anchor '&x' is defined twice (first at line 1): rename one"
    ]


def test_a_duplicate_key_before_a_syntax_error_is_reported_with_it() -> None:
    with pytest.raises(SpecError) as raised:
        spec.parse("t.yaml", b"name: a\nname: b\ntitle: [\n")
    assert [d.where.line for d in raised.value.diagnostics] == [2, 4]


def test_schema_errors_are_all_reported_in_source_order() -> None:
    loaded = spec.parse("t.yaml", TEXT)
    with pytest.raises(SpecError) as raised:
        spec.validate(loaded)
    lines = [(d.where.line, d.where.col) for d in raised.value.diagnostics]
    assert lines == sorted(lines)
    assert len(lines) >= 5  # title, header, overview, ioctl-type, docs, base ... all at once
    assert "t.yaml:1:1: error: spec is missing the required key 'title'" in str(raised.value)


def test_what_an_alias_copies_is_located_at_the_alias() -> None:
    loaded = spec.parse("t.yaml", b"a: &m {name: x, sub: [1, 2]}\nb: *m\n")
    assert loaded.data == {"a": {"name": "x", "sub": [1, 2]}, "b": {"name": "x", "sub": [1, 2]}}
    assert loaded.at(("a", "sub", 1)) == Location("t.yaml", 1, 26)  # the anchored node itself
    alias = Location("t.yaml", 2, 4)
    assert loaded.at(("b",)) == loaded.at(("b", "sub", 1)) == loaded.key_at(("b", "name")) == alias


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"a: 1\n---\nb: 2\n", "2:1: error: invalid YAML: expected a single document"),
        (b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 120)), "nests more than 100"),
        (b"*k : 1\n", "1:1: error: alias '*k' names no anchor"),
        (b"a: &k [1]\n*k : 1\n", "2:1: error: key '*k' must be an alias of a plain string"),
    ],
)
def test_documents_luogen_cannot_read_are_refused_where_they_go_wrong(
    text: bytes, message: str
) -> None:
    with pytest.raises(SpecError) as raised:
        spec.parse("t.yaml", text)
    assert message in str(raised.value)


def test_an_alias_of_a_string_may_be_a_key() -> None:
    loaded = spec.parse("t.yaml", b"a: &k name\nb: {*k : 1}\n")
    assert loaded.data == {"a": "name", "b": {"name": 1}}
    assert loaded.key_at(("b", "name")) == Location("t.yaml", 2, 5)


def test_scalars_keep_yaml_types() -> None:
    loaded = spec.parse("t.yaml", b"a: 0xBA\nb: '0xBA'\nc: true\nd: ~\ne: 1.5\n")
    assert loaded.data == {"a": 0xBA, "b": "0xBA", "c": True, "d": None, "e": 1.5}


def test_schema_command_prints_a_valid_schema_that_accepts_the_real_specs() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "luogen", "schema"], capture_output=True, text=True, check=True
    ).stdout
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "spec").glob("*.yaml")):
        assert list(validator.iter_errors(yaml.safe_load(path.read_text()))) == [], path
