"""tests/strict_ci.py, run as the plugin it is in sessions of its own (pytester): under CI every
kind of skip fails with its reason; elsewhere skips stay skips and the closing line says what was
missing and how to install it."""

from __future__ import annotations

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
