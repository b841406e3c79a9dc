"""Templates only read: they do not branch on a result shape, an object kind, a member kind or a
count (the model's classes spell those), and they stay short. Modules stay short too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.j2"))
MODULES = sorted((ROOT / "luogen").rglob("*.py"))
# A condition naming one of these decides what the model's shapes and kinds decide.
SHAPE_WORDS = re.compile(
    r"\b(results?|arguments|members|opens|opened|object|openable|device_path|carries_pointer"
    r"|kind|shape|length|isinstance)\b"
)
CONDITION = re.compile(
    r"{%-?\s*(?:el)?if\s+(?P<condition>.*?)\s*-?%}|\bif\s+(?P<inline>[^%}]*?)\belse\b"
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_branches_on_a_shape_kind_or_count(path: Path) -> None:
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        for match in CONDITION.finditer(line):
            condition = match["condition"] or match["inline"] or ""
            if SHAPE_WORDS.search(condition):
                found.append(f"{path.name}:{number}: {condition}")
        if re.search(r"{%-?\s*for\b[^%]*\bif\b", line):
            found.append(f"{path.name}:{number}: a filtered loop")
    assert found == []


def test_the_check_finds_what_it_forbids() -> None:
    assert CONDITION.search("{% if command.results | length > 1 %}")
    assert SHAPE_WORDS.search("command.results | length > 1")
    assert not SHAPE_WORDS.search("loop.first")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_templates_stay_under_300_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 300


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_modules_stay_under_400_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 400


def _long_functions(source: str, limit: int = 60) -> list[str]:
    return [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > limit
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_functions_stay_under_60_lines(path: Path) -> None:
    assert _long_functions(path.read_text()) == []


def test_the_function_check_counts_lines() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    assert _long_functions(f"def f():\n{body}") == ["f: 61 lines"]
    assert _long_functions(f"def f():\n{body[: -len('    x59 = 59') - 1]}") == []
