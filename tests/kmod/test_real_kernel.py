"""The generated LUO and fwctl dispatch, built into test modules and exercised inside Debian's
real kernel under qemu by C test programs, a fuzzer, and the generated Rust and Python bindings
(rust_test, python_test; run_e2e.py; `make e2e` shows each line).

Skipped only on a developer machine that is not root and lacks the packages; under CI a skip
fails (tests/strict_ci.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import run_e2e  # noqa: E402
from test_smoke import needs_kernel  # noqa: E402


@pytest.mark.e2e
@needs_kernel
def test_generated_dispatch_in_a_real_kernel() -> None:
    result = run_e2e.run()
    assert result.problems == [], result.log[-4000:]  # expected-checks.txt held, among others
    expected = run_e2e.expected_checks()
    assert [(t.name, t.passed) for t in result.tests] == [(name, True) for name in expected]
    assert result.checks == {name: n for name, n in expected.items() if n is not None}
