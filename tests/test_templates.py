"""Templates only read: they do not branch on a result shape, an object kind, a member kind or a
count (the model's classes spell those), and they stay short. Modules stay short too."""

from __future__ import annotations

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
