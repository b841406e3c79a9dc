"""Driver data in a real kernel: the kernel files of tests/golden/driver_data, unchanged, built
with W=1 -Werror into the pager test module (tests/kmod/pager, handlers that use only the
generated helpers), loaded in Debian's kernel under qemu and driven by programs/pager_test.c:
each struct a selector value chooses, lengths around the minimum, bytes beyond the struct, the
struct's checks, unknown and mismatched selector values, unmapped memory, and output data in
rooms smaller and larger than the struct. In the same boot the fuzzer programs/pager_fuzz.c,
built for x86-64 and for i386 (pager_fuzz_m32: the compat path), makes FUZZ_ITERATIONS random
calls each from a fixed seed, judged by an oracle of the helpers' and handlers' contract. The
harness fails the run on any oops, WARN or BUG in dmesg.

    python -m pytest -q tests/kmod/test_driver_data_vm.py
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

GOLDEN = HERE.parent / "golden" / "driver_data"
PROGRAM = HERE / "programs" / "pager_test.c"
FUZZER = HERE / "programs" / "pager_fuzz.c"
# The fuzzers' runs: reproducible (the seed is printed), 200,000 calls each in about a second.
FUZZ_CFLAGS = ["-DFUZZ_SEED=0xda7a5eed", "-DFUZZ_ITERATIONS=200000"]
# The checks each program prints.
CHECKS = {"pager_test": 29, "pager_fuzz": 4, "pager_fuzz_m32": 4}


@pytest.mark.e2e
@needs_kernel
def test_driver_data_in_a_real_kernel() -> None:
    include = GOLDEN / "expected" / "pager" / "include"
    cflags = [f"-I{include / 'uapi'}", *FUZZ_CFLAGS]
    with tempfile.TemporaryDirectory(prefix="luogen-pager-") as tmp:
        module = stage_beside("pager", golden_kernel_dir("driver_data"), Path(tmp) / "pager")
        result = harness.run(
            modules=[module],
            programs=[PROGRAM, FUZZER, build_i386(FUZZER, "pager_fuzz_m32", cflags, Path(tmp))],
            cflags=cflags,
            kcflags=[f"-I{include}"],
        )
    assert result.problems == [], result.log[-4000:]
    assert result.checks == CHECKS, result.log[-4000:]
    assert all(t.passed for t in result.tests), result.log[-4000:]
