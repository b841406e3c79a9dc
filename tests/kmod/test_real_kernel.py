"""The generated LUO and fwctl dispatch, built into test modules and exercised inside Debian's
real kernel under qemu by C test programs, a fuzzer, and the generated Rust and Python bindings
(rust_test, python_test; run_e2e.py; `make e2e` shows each line).

Skipped only on a developer machine that is not root and lacks the packages; under CI a skip
fails (tests/strict_ci.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from strict_ci import missing

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import harness  # noqa: E402
import run_e2e  # noqa: E402

# Root installs what is missing on first use; anyone else needs it installed.
CANNOT_BOOT = os.geteuid() != 0 and bool(harness.missing_packages())


@pytest.mark.e2e
@pytest.mark.skipif(CANNOT_BOOT, reason=missing(" ".join(harness.missing_packages())))
def test_generated_dispatch_in_a_real_kernel() -> None:
    result = run_e2e.run()
    assert result.problems == [], result.log[-4000:]  # expected-checks.txt held, among others
    expected = run_e2e.expected_checks()
    assert [(t.name, t.passed) for t in result.tests] == [(name, True) for name in expected]
    assert result.checks == {name: n for name, n in expected.items() if n is not None}
    # What the run is for, whatever the lists say: the C tests (64- and 32-bit), the fuzzer, the
    # Rust and Python bindings, no WARN, BUG or oops in the kernel log.
    assert set(run_e2e.PROGRAMS) == {n for n, count in expected.items() if count is not None}
    required = {"luo_test", "fwctl_test", "luo_test_m32", "fwctl_test_m32", "fuzz", "rust_test",
                "python_test", "mount:hostroot", "dmesg"}  # fmt: skip
    assert required <= set(expected)
