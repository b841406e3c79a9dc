"""Invalid specs: tests/errors/<case>.yaml fails `luogen check` with exactly <case>.expected.

Regenerate the expected messages with `make goldens` (LUOGEN_OVERWRITE_EXPECTED=1, refused under
CI) and review every changed line: each must point at the offending node and say what to do.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from strict_ci import overwrite_expected

from luogen.cli import main

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "errors"
CASES = sorted(p.stem for p in FOLDER.glob("*.yaml"))
OVERWRITE = overwrite_expected()  # never under CI: strict_ci refuses it there
LOCATED = re.compile(r"^tests/errors/[\w.]+:\d+:\d+: error: \S")


def test_every_case_has_its_message() -> None:
    assert len(CASES) >= 40
    assert sorted(p.stem for p in FOLDER.glob("*.expected")) == CASES


@pytest.mark.parametrize("case", CASES)
def test_error_message(
    case: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", f"tests/errors/{case}.yaml"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert all(LOCATED.match(line) for line in err.splitlines()), err
    expected = FOLDER / f"{case}.expected"
    if OVERWRITE:
        expected.write_text(err)
    assert err == expected.read_text()


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("tests/errors/yaml_not_utf8.yaml", "error: not valid UTF-8"),
        ("tests/errors", "error: is a directory, not a spec file"),
        ("tests/errors/no-such-spec.yaml", "error: cannot read: No such file or directory"),
    ],
)
def test_command_line_failures_are_located_never_tracebacks(argument: str, message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "luogen", "check", argument],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert re.match(rf"^{re.escape(argument)}:\d+:\d+: ", first), first
    assert message in first


def test_the_real_specs_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "spec/liveupdate.yaml"), str(ROOT / "spec/fwctl.yaml")]) == 0
    assert capsys.readouterr().err == (
        f"{ROOT}/spec/liveupdate.yaml: ok: 2 ranges, 6 commands, 0 warnings\n"
        f"{ROOT}/spec/fwctl.yaml: ok: 1 range, 2 commands, 0 warnings\n"
    )
