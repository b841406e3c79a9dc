"""luogen's own schema validator answers as the jsonschema package does, on every spec we have."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from specs import spec_data, with_members

from luogen.schema_check import Validator, unsupported_keywords

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "luogen" / "schema.json").read_text())


def _answers(validator: Any, data: Any) -> Counter[tuple[str, tuple[Any, ...]]]:
    return Counter((e.validator, tuple(e.absolute_path)) for e in validator.iter_errors(data))


def test_schema_uses_only_supported_keywords() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert unsupported_keywords(SCHEMA) == set()


def _loadable(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_bytes())
    except (yaml.YAMLError, ValueError, LookupError, RecursionError):  # !!bool maybe: KeyError
        return None


# Every spec the repository holds that parses as YAML (the loader's own errors aside).
SPECS = [
    p
    for p in sorted(
        [
            *ROOT.glob("spec/*.yaml"),
            *ROOT.glob("tests/golden/*/spec.yaml"),
            *ROOT.glob("tests/errors/*.yaml"),
        ]
    )
    if _loadable(p) is not None
]


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_answers_as_jsonschema(path: Path) -> None:
    data = _loadable(path)
    reference = jsonschema.Draft202012Validator(SCHEMA)
    assert _answers(Validator(SCHEMA), data) == _answers(reference, data)


MUTATIONS: list[tuple[str, Any]] = [
    ("type byte as string", spec_data(**{"ioctl-type": "0xBA"})),
    ("type byte too big", spec_data(**{"ioctl-type": 256})),
    ("boolean for integer", spec_data(**{"ioctl-type": True})),
    ("float for integer", spec_data(**{"ioctl-type": 1.5})),
    ("unknown keys", spec_data(colour="red", sise=3)),
    ("empty ranges", spec_data(ranges=[])),
    ("bad member type", with_members({"name": "x", "type": "9x", "doc": "X."})),
    ("member missing doc and type", with_members({"name": "x"})),
    ("array as empty list", with_members({"name": "x", "type": "u8", "doc": "X.", "array": []})),
    ("array negative", with_members({"name": "x", "type": "u8", "doc": "X.", "array": -1})),
    ("array bad name", with_members({"name": "x", "type": "u8", "doc": "X.", "array": "9x"})),
    ("list as spec", [1, 2]),
    ("string as spec", "hello"),
]


@pytest.mark.parametrize(("name", "data"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_same_answers_on_mutations(name: str, data: Any) -> None:
    reference = jsonschema.Draft202012Validator(SCHEMA)
    ours = _answers(Validator(SCHEMA), data)
    assert ours == _answers(reference, data)
    assert ours, f"{name}: the mutation must be invalid"


def test_retired_command_with_members_is_refused_by_both() -> None:
    data = spec_data()
    data["ranges"][0]["commands"].append({"name": "gone", "retired": "Old.", "members": []})
    reference = jsonschema.Draft202012Validator(SCHEMA)
    assert _answers(Validator(SCHEMA), data) == _answers(reference, data) != Counter()
