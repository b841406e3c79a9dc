"""The e2e run is held to tests/kmod/expected-checks.txt (run_e2e.unexpected_checks), judged here
on serial logs written as the guest writes them, without booting."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import harness  # noqa: E402
import run_e2e  # noqa: E402

EXPECTED = run_e2e.expected_checks()


def _result(checks: dict[str, int | None]) -> harness.Result:
    """What harness makes of a guest that reports `checks`, each program printing its count."""
    lines = []
    for name, count in checks.items():
        if count is not None:
            lines.append(f"LUOGEN-E2E-RUN {name}")
            lines += [f"ok {n} - check {n}" for n in range(1, count + 1)]
        lines.append(f"LUOGEN-E2E {name} PASS 0")
    lines.append(f"LUOGEN-E2E-SUMMARY passed={len(checks)} failed=0")
    return harness.parse_log("\n".join(lines), 1, False, len(checks))


def _problems(
    checks: dict[str, int | None], programs: tuple[str, ...] = run_e2e.PROGRAMS
) -> list[str]:
    return [p.removesuffix(" (tests/kmod/expected-checks.txt)")
            for p in run_e2e.unexpected_checks(_result(checks), programs)]  # fmt: skip


def test_the_run_is_for_every_program_and_the_kernel_log() -> None:
    programs = {name for name, count in EXPECTED.items() if count is not None}
    assert programs == set(run_e2e.PROGRAMS)
    assert {"luo_test", "fwctl_test", "luo_test_m32", "fwctl_test_m32", "fuzz", "rust_test",
            "python_test", "mount:hostroot", "dmesg"} <= set(EXPECTED)  # fmt: skip
    assert all(count for count in EXPECTED.values() if count is not None)


def test_the_expected_run_has_no_problem() -> None:
    assert _result(EXPECTED).problems == []
    assert _problems(EXPECTED) == []


@pytest.mark.parametrize("dropped", ["fuzz", "luo_test_m32", "dmesg"])
def test_a_check_missing_from_the_run_fails_it(dropped: str) -> None:
    checks = {name: count for name, count in EXPECTED.items() if name != dropped}
    assert _problems(checks) == [f"{dropped}: expected, not reported"]


def test_a_changed_count_fails_the_run() -> None:
    assert _problems({**EXPECTED, "luo_test": 113}) == ["luo_test: 113 checks, expected 114"]


def test_an_extra_program_fails_the_run() -> None:
    assert _problems({**EXPECTED, "new_test": 3}) == ["new_test: reported, not expected"]


def test_a_run_of_some_programs_is_held_to_their_counts_only() -> None:
    guest = {name: None for name in ("insmod:liveupdate.ko", "insmod:fwctl.ko", "dmesg")}
    assert _problems({**guest, "luo_test": 114}, ("luo_test",)) == []
    assert _problems({**guest, "luo_test": 100}, ("luo_test",)) == [
        "luo_test: 100 checks, expected 114"
    ]
    assert _problems(guest, ("luo_test",)) == ["luo_test: expected, not reported"]


def test_misnumbered_checks_are_a_problem() -> None:
    log = "\n".join(["LUOGEN-E2E-RUN t", "ok 1 - a", "not ok 2 - b", "ok 2 - c",
                     "LUOGEN-E2E t FAIL 1", "LUOGEN-E2E-SUMMARY passed=0 failed=1"])  # fmt: skip
    result = harness.parse_log(log, 3, False, 1)
    assert result.checks == {"t": 3}
    assert "t: its check 3 is numbered 2" in result.problems
