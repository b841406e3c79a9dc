"""tests/strict_ci.py, run as the plugin it is in sessions of its own (pytester): under CI every
kind of skip fails with its reason and the golden-overwrite mode is refused; elsewhere skips stay
skips and the closing line says what was missing and how to install it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# One test of each way the suite skips: a skipif mark, pytest.skip() in a test and in a fixture,
# and a module that skips whole at import.
SKIPPING = {
    "test_marks": """
        import pytest
        from strict_ci import missing

        @pytest.mark.skipif(True, reason=missing("g++"))
        def test_marked():
            pass

        @pytest.fixture
        def tools():
            pytest.skip(missing("abidiff (abigail-tools)"))

        def test_fixture(tools):
            pass

        def test_body():
            pytest.skip("gcc -m32 does not compile here")

        def test_runs():
            pass
    """,
    "test_module": """
        import pytest
        pytest.skip("no busybox", allow_module_level=True)
    """,
}


@pytest.fixture
def session(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest('pytest_plugins = ["strict_ci"]')
    pytester.makepyfile(**SKIPPING)
    return pytester


def test_under_ci_every_skip_fails_quoting_its_reason(
    session: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = session.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # the module's skip is a collection error
    result.assert_outcomes(errors=1)
    result = session.runpytest("test_marks.py")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, failed=1, errors=2)  # the marks and fixtures fail at setup
    output = result.stdout.str()
    for reason in ("g++ missing", "abidiff (abigail-tools) missing", "gcc -m32 does not compile"):
        assert f"skipped under CI, where every test must run: {reason}" in output
    result = session.runpytest("test_module.py")
    assert "skipped under CI, where every test must run: no busybox" in result.stdout.str()


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_outside_ci_skips_stay_skips_and_the_closing_line_says_how_to_install(
    session: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    result = session.runpytest("-ra")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=4)
    closing = result.stdout.lines[-1]
    missing = "g++ and abidiff (abigail-tools) missing, install: make tools"
    assert f"1 passed, 4 skipped ({missing}; " in closing
    assert "; no busybox; gcc -m32 does not compile here) in " in closing
    assert "SKIPPED [1] test_marks.py:4: g++ missing (install: make tools)" in result.stdout.lines


def test_under_ci_the_overwrite_mode_is_refused(
    session: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("LUOGEN_OVERWRITE_EXPECTED", "1")
    result = session.runpytest("test_marks.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "LUOGEN_OVERWRITE_EXPECTED is set under CI" in result.stderr.str()
    assert "passed" not in result.stdout.str()  # nothing ran


def _copy_of_the_golden_tests(dest: Path) -> Path:
    """The golden and error-message tests with their expectations, in a folder of their own: if
    the refusal failed, they would rewrite this copy, never the real tree."""
    for rel in ("pyproject.toml", "spec", "tests/golden", "tests/errors"):
        (shutil.copytree if (ROOT / rel).is_dir() else shutil.copy)(ROOT / rel, dest / rel)
    for name in ("conftest.py", "strict_ci.py", "test_golden.py", "test_errors.py"):
        shutil.copy(ROOT / "tests" / name, dest / "tests" / name)
    return dest


def _expectations(root: Path) -> dict[str, tuple[int, str]]:
    files = [*(root / "tests" / "golden").rglob("*"), *(root / "tests" / "errors").glob("*")]
    return {
        str(p): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(files)
        if p.is_file()
    }


def test_make_goldens_under_ci_fails_and_rewrites_nothing(tmp_path: Path) -> None:
    """The golden and error-message tests, as `make goldens` runs them, with CI set."""
    root = _copy_of_the_golden_tests(tmp_path)
    before = _expectations(root)
    assert len(before) > 100
    env = {**os.environ, "CI": "true", "LUOGEN_OVERWRITE_EXPECTED": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_golden.py", "tests/test_errors.py"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "LUOGEN_OVERWRITE_EXPECTED is set under CI" in result.stderr
    assert _expectations(root) == before
