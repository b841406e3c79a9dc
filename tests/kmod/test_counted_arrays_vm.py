"""Counted arrays in a real kernel: the kernel files of tests/golden/counted_arrays, unchanged,
built with W=1 -Werror into the tally test module (tests/kmod/tally, handlers that use only the
generated helpers), loaded in Debian's kernel under qemu and driven by programs/tally_test.c:
each direction, the maximum count, a count of 2^32-1, element checks, memory that faults in the
middle of an array, and the query protocol with -EMSGSIZE. In the same boot the fuzzer
programs/tally_fuzz.c, built for x86-64 and for i386 (tally_fuzz_m32: the compat path), makes
FUZZ_ITERATIONS random calls each from a fixed seed, judged by an oracle of the helpers' and
handlers' contract. The harness fails the run on any oops, WARN or BUG in dmesg.

    python -m pytest -q tests/kmod/test_counted_arrays_vm.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import harness  # noqa: E402
from run_e2e import build_i386  # noqa: E402
from stage import golden_kernel_dir, stage_beside  # noqa: E402
from test_smoke import needs_kernel  # noqa: E402

GOLDEN = HERE.parent / "golden" / "counted_arrays"
PROGRAM = HERE / "programs" / "tally_test.c"
FUZZER = HERE / "programs" / "tally_fuzz.c"
# The fuzzers' runs: reproducible (the seed is printed), 200,000 calls each in about a second.
FUZZ_CFLAGS = ["-DFUZZ_SEED=0x7a11ea5eed", "-DFUZZ_ITERATIONS=200000"]
# The checks each program prints.
CHECKS = {"tally_test": 30, "tally_fuzz": 6, "tally_fuzz_m32": 6}


@pytest.mark.e2e
@needs_kernel
def test_counted_arrays_in_a_real_kernel() -> None:
    include = GOLDEN / "expected" / "tally" / "include"
    cflags = [f"-I{include / 'uapi'}", *FUZZ_CFLAGS]
    with tempfile.TemporaryDirectory(prefix="luogen-tally-") as tmp:
        module = stage_beside("tally", golden_kernel_dir("counted_arrays"), Path(tmp) / "tally")
        result = harness.run(
            modules=[module],
            programs=[PROGRAM, FUZZER, build_i386(FUZZER, "tally_fuzz_m32", cflags, Path(tmp))],
            cflags=cflags,
            kcflags=[f"-I{include}"],
        )
    assert result.problems == [], result.log[-4000:]
    assert result.checks == CHECKS, result.log[-4000:]
    assert all(t.passed for t in result.tests), result.log[-4000:]
