"""Driver data in a real kernel: the kernel files of tests/golden/driver_data, unchanged, built
with W=1 -Werror into the pager test module (tests/kmod/pager, handlers that use only the
generated helpers), loaded in Debian's kernel under qemu and driven by programs/pager_test.c:
each struct a selector value chooses, lengths around the minimum, bytes beyond the struct, the
struct's checks, unknown and mismatched selector values, unmapped memory, and output data in
rooms smaller and larger than the struct. The harness fails the run on any oops, WARN or BUG
in dmesg.

    python -m pytest -q tests/kmod/test_driver_data_vm.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import harness  # noqa: E402
from test_smoke import needs_kernel  # noqa: E402

from luogen.pipeline import load  # noqa: E402

GOLDEN = HERE.parent / "golden" / "driver_data"
PROGRAM = HERE / "programs" / "pager_test.c"
CHECKS = 29  # the checks pager_test.c prints


def _stage(dest: Path) -> Path:
    """tests/kmod/pager/ and the golden's generated kernel files, side by side in `dest`."""
    model = load(str(GOLDEN / "spec.yaml"))
    shutil.copytree(HERE / "pager", dest)
    for generated in sorted((GOLDEN / "expected" / model.name / model.kernel.dir).iterdir()):
        assert not (dest / generated.name).exists(), f"{generated.name} shadows a generated file"
        shutil.copy2(generated, dest / generated.name)
    return dest


@pytest.mark.e2e
@needs_kernel
def test_driver_data_in_a_real_kernel() -> None:
    include = GOLDEN / "expected" / "pager" / "include"
    with tempfile.TemporaryDirectory(prefix="luogen-pager-") as tmp:
        module = _stage(Path(tmp) / "pager")
        result = harness.run(
            modules=[module],
            programs=[PROGRAM],
            cflags=[f"-I{include / 'uapi'}"],
            kcflags=[f"-I{include}"],
        )
    assert result.problems == [], result.log[-4000:]
    assert result.checks == {"pager_test": CHECKS}, result.log[-4000:]
    assert all(t.passed for t in result.tests), result.log[-4000:]
