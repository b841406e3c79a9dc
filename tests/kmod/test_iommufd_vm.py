"""spec/iommufd.yaml in a real kernel: the kernel files luogen generated from it
(generated/iommufd/drivers/iommu/iommufd/), unchanged, built with W=1 -Werror into the
iommufd-shaped test module (tests/kmod/ioas: in-memory IOAS, HWPT and vIOMMU objects behind
/dev/luogen-iommu), loaded in Debian's kernel under qemu and driven, in one boot, by three programs:
programs/ioas_test.c (the generated uapi header only), the crate tests/kmod/ioas_rust (the generated
Rust crate's safe layer) and tests/kmod/ioas_python.py (the generated Python package, run by the
host's Python chrooted into the host's root over 9p). Each covers IOAS IDs, the IOVA ranges query
protocol and its retrying forms, allowed IOVAs and their element checks, HWPT allocation with VT-d
stage-1 driver data, the hardware info of three devices (VT-d, SMMUv3 with Tegra241 CMDQV, and one
of a type no binding knows; the safe layers read it as typed driver data), vIOMMU allocation with
Tegra241 CMDQV data the kernel writes back, cache invalidation of the nested HWPT from arrays of
VT-d entries (each copied by the generated helper at its stride, entry_num set to those handled),
options and the VFIO compatibility IOAS (a method per op: `dir-by`), destroy and the numbers the
module does not carry out. The same boot runs the fuzzer programs/ioas_fuzz.c, built for x86-64
and for i386 (ioas_fuzz_m32: the compat path):
FUZZ_ITERATIONS random calls each from a fixed seed of IOMMU_IOAS_ALLOC, IOMMU_IOAS_IOVA_RANGES,
IOMMU_IOAS_ALLOW_IOVAS, IOMMU_HWPT_ALLOC and IOMMU_DESTROY only, judged by an oracle of the
generated helpers' and the module's contract. The harness fails the run on any oops, WARN or BUG in
dmesg.

The run stays out of `make e2e` (tests/kmod/run_e2e.py and expected-checks.txt, the liveupdate
and fwctl run with its negative controls), as the counted-array and driver-data runs do: one
boot of its own, asserting each program's exact count of checks here.

    python -m pytest -q tests/kmod/test_iommufd_vm.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import harness  # noqa: E402
from run_e2e import build_i386, build_rust, guest_python  # noqa: E402
from stage import stage_beside  # noqa: E402
from test_smoke import needs_kernel  # noqa: E402

from luogen.pipeline import load  # noqa: E402

ROOT = HERE.parents[1]
SPEC = ROOT / "spec" / "iommufd.yaml"
GENERATED = ROOT / "generated" / "iommufd"
FUZZER = HERE / "programs" / "ioas_fuzz.c"
# The fuzzers' runs: reproducible (the seed is printed).
FUZZ_CFLAGS = ["-DFUZZ_SEED=0x10a5eed", "-DFUZZ_ITERATIONS=200000"]
# The checks each program prints.
CHECKS = {
    "ioas_test": 165,
    "ioas_fuzz": 7,
    "ioas_fuzz_m32": 7,
    "ioas_rust": 105,
    "ioas_python": 118,
}


@pytest.mark.e2e
@needs_kernel
def test_iommufd_in_a_real_kernel() -> None:
    include = GENERATED / "include"
    cflags = [f"-I{include / 'uapi'}", *FUZZ_CFLAGS]
    with tempfile.TemporaryDirectory(prefix="luogen-ioas-") as tmp:
        kernel_dir = GENERATED / load(str(SPEC)).kernel.dir
        module = stage_beside("ioas", kernel_dir, Path(tmp) / "ioas")
        programs = [
            HERE / "programs" / "ioas_test.c",
            FUZZER,
            build_i386(FUZZER, "ioas_fuzz_m32", cflags, Path(tmp)),
            build_rust("ioas_rust", Path(tmp)),
            guest_python(
                "ioas_python",
                HERE / "ioas_python.py",
                Path(tmp),
                python_path=[GENERATED / "python"],
            ),
        ]
        result = harness.run(
            modules=[module],
            programs=programs,
            cflags=cflags,
            kcflags=[f"-I{include}"],
            share_host_root=True,
        )
    assert result.problems == [], result.log[-4000:]
    assert result.checks == CHECKS, result.log[-4000:]
    assert all(t.passed for t in result.tests), result.log[-4000:]
