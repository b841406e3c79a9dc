"""Golden cases: tests/golden/<case>/spec.yaml renders exactly to tests/golden/<case>/expected/.

Regenerate every golden with `make goldens` (LUOGEN_OVERWRITE_EXPECTED=1, refused under CI),
then review the diff like code.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from strict_ci import overwrite_expected

from luogen.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p.parent.name for p in (ROOT / "tests" / "golden").glob("*/spec.yaml"))
OVERWRITE = overwrite_expected()  # never under CI: strict_ci refuses it there


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 2


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    folder = Path("tests/golden") / case
    expected = folder / "expected"
    if OVERWRITE:
        shutil.rmtree(expected, ignore_errors=True)
        assert main(["generate", str(folder / "spec.yaml"), "-o", str(expected)]) == 0
        return
    assert main(["generate", str(folder / "spec.yaml"), "-o", str(tmp_path)]) == 0
    got, want = _tree(tmp_path), _tree(expected)
    assert sorted(got) == sorted(want), "outputs differ in which files exist"
    diffs = [
        "".join(
            difflib.unified_diff(
                want[name].splitlines(keepends=True),
                got[name].splitlines(keepends=True),
                f"expected/{name}",
                f"rendered/{name}",
            )
        )
        for name in want
        if got[name] != want[name]
    ]
    assert not diffs, "golden mismatch (make goldens to accept):\n" + "\n".join(diffs)
