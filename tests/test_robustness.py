"""No input crashes luogen or slips into an output unescaped: arbitrary bytes and YAML end in a
located error, and hostile doc text either renders into outputs that still compile or is refused."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from cheaders import Header, compile_c
from hypothesis import given, settings
from hypothesis import strategies as st
from kerneltools import checkpatch, kernel_doc
from specs import member, spec_data, with_members

from luogen import pipeline, spec
from luogen.errors import SpecError
from luogen.model import build
from luogen.render import render
from luogen.targets import TARGETS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("LUOGEN_EXAMPLES", "500"))


def _load(raw: bytes) -> None:
    """The way every command loads a spec: a schema error does not stop the rules from running
    on the parts of the spec that passed the schema."""
    pipeline.load_bytes("fuzz.yaml", raw)


def _only_located_errors(raw: bytes) -> None:
    try:
        _load(raw)
    except SpecError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert diagnostic.where.path == "fuzz.yaml"
            assert diagnostic.where.line >= 1 and diagnostic.where.col >= 1
            assert str(diagnostic).startswith("fuzz.yaml:")
            assert "\n" not in str(diagnostic), str(diagnostic)  # one line, like a compiler's


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    _only_located_errors(raw)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab:- \n\t[]{}&*!|>'\"#%@`,?0x1.~\\é"), max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    _only_located_errors(text.encode())


# Every tag PyYAML's safe loader constructs, and some it does not.
TAGS = sorted(t.removeprefix("tag:yaml.org,2002:") for t in yaml.SafeLoader.yaml_constructors if t)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.sampled_from([f"!!{t}" for t in TAGS] + ["!local", "!!python/name:os.system"]),
    st.text(alphabet=st.sampled_from("ab01-.xeEtrufnlYN=+_ "), max_size=12),
)
def test_tagged_scalars(tag: str, value: str) -> None:
    _only_located_errors(f"name: demo\ntitle: {tag} {value}\n".encode())


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(spec_data())), yaml_values, max_size=6), yaml_values)
def test_spec_shaped_garbage(keys: dict[str, Any], extra: Any) -> None:
    data = {**spec_data(), **keys}
    if isinstance(extra, dict):
        data["ranges"] = [{"name": "r", "doc": "R.", "base": 0, "commands": [extra]}]
    _only_located_errors(yaml.safe_dump(data).encode())


@pytest.mark.parametrize(
    "raw",
    [
        b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + b"".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
            for i in range(9)
        ),
        b"[" * 20000,
        b"{" * 20000,
        b"- " * 5000 + b"x",
    ],
    ids=["alias-bomb", "deep-lists", "deep-maps", "deep-block"],
)
def test_pathological_documents_fail_fast(raw: bytes) -> None:
    start = time.perf_counter()
    with pytest.raises(SpecError):
        _load(raw)
    assert time.perf_counter() - start < 10


REAL_SPECS = sorted([*ROOT.glob("spec/*.yaml"), *ROOT.glob("tests/golden/*/spec.yaml")])


def _parts(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """The path of every part of a spec the builder can leave out: each item of a top-level list,
    and each command."""
    parts: list[tuple[str | int, ...]] = []
    for section in ("constants", "enums", "flags", "structs", "errnos", "ranges"):
        parts += [(section, i) for i in range(len(data.get(section, [])))]
    for i, command_range in enumerate(data["ranges"]):
        parts += [("ranges", i, "commands", j) for j in range(len(command_range["commands"]))]
    return parts


@pytest.mark.parametrize(
    ("path", "part"),
    [(p, part) for p in REAL_SPECS for part in _parts(yaml.safe_load(p.read_text()))],
    ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else "/".join(map(str, v)),
)
def test_a_part_with_a_schema_error_causes_no_other_error(path: Path, part: Any) -> None:
    """Any part of a valid spec given a schema error (an unknown key) is left out of the build,
    and nothing that refers to it reports an error of its own."""
    data = yaml.safe_load(path.read_text())
    node: Any = data
    for key in part:
        node = node[key]
    node["bogus"] = 1
    with pytest.raises(SpecError) as raised:
        pipeline.load_bytes("t.yaml", yaml.safe_dump(data, sort_keys=False).encode())
    (error,) = [d.message for d in raised.value.diagnostics if d.severity == "error"]
    assert error.startswith("unknown key 'bogus' in ")


HOSTILE = [
    "100% of the {{ model.name }} and {% raw %} survive; %s %d %n too.",
    "Back\\slashes \\n and \\ at the end\\",
    "Non-ASCII: déjà vu, 日本語, ünïcödé — and an em dash.",
    "Quotes ' \" ` and <angle> & ampersand; @size and &struct refs.",
    "Line one.\nLine two.\n\nA second paragraph with trailing spaces.   ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_doc_text_still_compiles_and_passes_the_kernel_checks(
    text: str, tmp_path: Path
) -> None:
    data = with_members(member("x", "u32", doc=text), overview=text, title="T " + text[:20])
    data["ranges"][0]["commands"][0]["doc"] = text
    data["ranges"][0]["doc"] = text
    loaded = spec.parse("t.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    spec.validate(loaded)
    model = build(loaded)
    outputs = render(model, tuple(TARGETS))
    for rel, rendered in outputs.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered)
        if path.suffix in (".h", ".c"):
            assert kernel_doc(path) == [], rel
            assert checkpatch(path)[0][0] == 0, checkpatch(path)[1]  # no ERROR
    header = Header(Path("t.yaml"), model, tmp_path / "t/include/uapi")
    source = f"#include <{model.header}>\nint luogen_unused;\n"
    assert (
        compile_c("gcc", ["-std=c90", "-Wall", "-Wextra", "-Werror"], source, header, tmp_path)
        == ""
    )


@pytest.mark.parametrize("token", ["*/", "/*"])
@pytest.mark.parametrize("where", ["doc", "title", "retired", "object"])
def test_comment_delimiters_are_refused_wherever_text_reaches_a_comment(
    token: str, where: str
) -> None:
    data = spec_data()
    text = f"Before {token} after."
    if where == "doc":
        data["ranges"][0]["commands"][0]["doc"] = text
    elif where == "title":
        data["title"] = text
    elif where == "retired":
        data["ranges"][0]["commands"].append({"name": "gone", "retired": text})
    else:
        data["ranges"][0]["object"] = text
    with pytest.raises(SpecError, match=rf"must not contain '{re.escape(token)}'"):
        _load(yaml.safe_dump(data).encode())


@pytest.mark.parametrize("name", ["in", "type", "match", "def", "lambda", "async", "fn", "loop"])
def test_rust_and_python_keywords_are_fine_member_names(name: str) -> None:
    # They are spelled r#name in Rust and name_ in Python; C has no quarrel with them.
    build_ok = with_members(member(name, "u32"))
    loaded = spec.parse("t.yaml", yaml.safe_dump(build_ok).encode())
    spec.validate(loaded)
    assert build(loaded).commands[0].struct.members[1].name == name  # type: ignore[union-attr]
