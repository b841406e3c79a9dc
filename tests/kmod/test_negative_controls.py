"""Negative controls of the e2e run: a defect planted in a staged copy of a module must fail it,
in the way that names the defect. The real tree is never edited (stage.Edit works on the copy
in a temporary folder).

- a kernel WARN in a test module's init: the guest's dmesg check fails on it;
- the generated dispatch with one must-be-zero pre-check deleted: luo_test fails exactly the
  checks that set that reserved member, and the fuzzer finds calls the contract refuses;
- the counted arrays' allocation (luogen_array_alloc(), tests/golden/counted_arrays) without
  its maximum count: tally_test fails the three checks over a maximum, and tally_fuzz finds
  calls the contract answers E2BIG;
- the VT-d table's copy-in helper (tests/golden/driver_data) without its minimum length:
  pager_test fails the three checks of short VT-d data, and pager_fuzz finds VT-d tables
  under 24 bytes the contract answers EINVAL.

Each boots the VM once with one or two programs (a few seconds under TCG).
"""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import harness  # noqa: E402
import run_e2e  # noqa: E402
import test_counted_arrays_vm as tally_vm  # noqa: E402
import test_driver_data_vm as pager_vm  # noqa: E402
from stage import Edit, golden_kernel_dir, stage_beside  # noqa: E402
from test_smoke import needs_kernel  # noqa: E402

WARN_AT_INIT = Edit(
    "fwctl",
    "main.c",
    "\treturn misc_register(&fwctl_fake_miscdev);",
    "\tWARN_ON_ONCE(1);\n\treturn misc_register(&fwctl_fake_miscdev);",
)
GET_NAME_CHECK = """static int liveupdate_session_check_get_name(const void *buf)
{
\tconst struct liveupdate_session_get_name *cmd = buf;

\tif (cmd->reserved)
\t\treturn -EOPNOTSUPP;
\treturn 0;
}"""
NO_RESERVED_CHECK = Edit(
    "liveupdate",
    "liveupdate_ioctl.c",
    GET_NAME_CHECK,
    "static int liveupdate_session_check_get_name(const void *buf)\n{\n\treturn 0;\n}",
)
GENERATED_DISPATCH = (
    HERE.parents[1] / "generated" / "liveupdate" / "kernel" / "liveupdate" / "liveupdate_ioctl.c"
)

# luogen_array_alloc() (the runtime's, which every counted array's copy-in and alloc helper
# calls) without its maximum count: only the byte size's INT_MAX still bounds an array.
NO_MAX_COUNT_CHECK = Edit(
    "tally",
    "luogen_dispatch.h",
    "\tif (count > max_count || bytes > INT_MAX)\n\t\treturn ERR_PTR(-E2BIG);",
    "\tif (bytes > INT_MAX)\n\t\treturn ERR_PTR(-E2BIG);",
)
# The VT-d table's copy-in helper without its minimum length (24: the spec names no smaller
# minimum than the whole struct): shorter data is then zero-extended like a longer struct's.
NO_VTD_MIN_LEN_CHECK = Edit(
    "pager",
    "pager_ioctl.h",
    "\tif (cmd->data_type != PAGER_TABLE_VTD || cmd->data_len < 24)\n",
    "\tif (cmd->data_type != PAGER_TABLE_VTD)\n",
)


def _failed(result: harness.Result) -> list[str]:
    return [t.name for t in result.tests if not t.passed]


def _failures(result: harness.Result) -> list[str]:
    """The log's failed checks ("not ok N - ..."), without their numbers."""
    lines = result.log.splitlines()
    return [re.sub(r"^not ok \d+ - ", "", line) for line in lines if line.startswith("not ok")]


def _iterations(cflags: Sequence[str], iterations: int) -> list[str]:
    """A fuzzer's cflags (its seed) with another number of iterations."""
    kept = [flag for flag in cflags if not flag.startswith("-DFUZZ_ITERATIONS=")]
    return [*kept, f"-DFUZZ_ITERATIONS={iterations}"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _boot_golden(
    case: str, include: Path, programs: Sequence[Path], cflags: Sequence[str], edit: Edit
) -> harness.Result:
    """Boot once with tests/kmod/<edit.module> built from tests/golden/<case>'s kernel files,
    `edit` planted in the staged copy, and the C programs, built against the golden's headers
    (`include`)."""
    kernel_dir = golden_kernel_dir(case)
    module = edit.module
    before = _digest(kernel_dir / edit.file)
    with tempfile.TemporaryDirectory(prefix=f"luogen-{module}-control-") as tmp:
        staged = stage_beside(module, kernel_dir, Path(tmp) / module, [edit])
        result = harness.run(
            modules=[staged],
            programs=programs,
            cflags=[f"-I{include / 'uapi'}", *cflags],
            kcflags=[f"-I{include}"],
        )
    assert _digest(kernel_dir / edit.file) == before, "the real tree was edited"
    return result


@pytest.mark.e2e
@needs_kernel
def test_a_kernel_warning_fails_the_run() -> None:
    result = run_e2e.run(programs=(), edits=[WARN_AT_INIT])
    assert _failed(result) == ["dmesg"]
    assert result.problems == ["dmesg failed (exit 1)"]
    dmesg = [line for line in result.log.splitlines() if line.startswith("LUOGEN-E2E-DMESG ")]
    assert any("WARNING:" in line and "main.c" in line for line in dmesg), dmesg
    assert any("fwctl_fake_init" in line for line in dmesg), dmesg


@pytest.mark.e2e
@needs_kernel
def test_a_deleted_must_be_zero_check_fails_the_kernel_tests() -> None:
    before = hashlib.sha256(GENERATED_DISPATCH.read_bytes()).hexdigest()
    result = run_e2e.run(
        ("luo_test", "fuzz"), cflags=("-DFUZZ_ITERATIONS=30000",), edits=[NO_RESERVED_CHECK]
    )
    assert hashlib.sha256(GENERATED_DISPATCH.read_bytes()).hexdigest() == before
    assert _failed(result) == ["luo_test", "fuzz"]
    assert result.problems == ["luo_test failed (exit 1)", "fuzz failed (exit 1)"]
    lines = result.log.splitlines()
    failures = [re.sub(r"^not ok \d+ - ", "", line) for line in lines if line.startswith("not ok")]
    assert failures == [
        "GET_NAME reserved = 1 -> EOPNOTSUPP (got success, 0)",
        "GET_NAME reserved = 0x80000000 -> EOPNOTSUPP (got success, 0)",
        failures[-1],
    ]
    assert re.fullmatch(r"fuzz: 30000 random ioctls, \d+ results the contract does not allow",
                        failures[-1])  # fmt: skip
    unexpected = [line for line in lines if line.startswith("UNEXPECTED ")]  # the first 20
    assert len(unexpected) == 20
    assert all(
        line.startswith("UNEXPECTED success on session fd: cmd 0xba43 (GET_NAME) ")
        and line.endswith(": the dispatch contract says EOPNOTSUPP")
        for line in unexpected
    ), unexpected


@pytest.mark.e2e
@needs_kernel
def test_a_deleted_max_count_check_fails_the_counted_array_tests() -> None:
    # 5,000 calls, not the 200,000 of the real run: without the maximum the kernel allocates
    # up to INT_MAX bytes for a count, and further calls exhaust the guest's 512 MB (the OOM
    # killer ends the fuzzer, its report unprinted).
    result = _boot_golden(
        "counted_arrays",
        tally_vm.GOLDEN / "expected" / "tally" / "include",
        [tally_vm.PROGRAM, tally_vm.FUZZER],
        _iterations(tally_vm.FUZZ_CFLAGS, 5000),
        NO_MAX_COUNT_CHECK,
    )
    assert _failed(result) == ["tally_test", "tally_fuzz"], result.log[-4000:]
    assert result.problems == ["tally_test failed (exit 1)", "tally_fuzz failed (exit 1)"]
    failures = _failures(result)
    # What the kernel answers instead depends on what lies past each array in the program
    # (ALLOW_RANGES passes 3 ranges and a count of 257): the checks' names only.
    assert [failure.partition(" (got ")[0] for failure in failures[:-1]] == [
        "ALLOW_RANGES over the maximum count -> E2BIG",
        "CONFIGURE of 65 counters (max 64) -> E2BIG",
        "SAMPLE of 1025 values (max 1024) -> E2BIG",
    ]
    assert re.fullmatch(
        r"tally_fuzz: 5000 random ioctls, \d+ results the contract does not allow", failures[-1]
    )
    unexpected = [line for line in result.log.splitlines() if line.startswith("UNEXPECTED ")]
    assert len(unexpected) == 20  # the first 20
    assert all(line.endswith(": the handler's contract says E2BIG") for line in unexpected), (
        unexpected
    )


@pytest.mark.e2e
@needs_kernel
def test_a_deleted_minimum_length_fails_the_driver_data_tests() -> None:
    result = _boot_golden(
        "driver_data",
        pager_vm.GOLDEN / "expected" / "pager" / "include",
        [pager_vm.PROGRAM, pager_vm.FUZZER],
        pager_vm.FUZZ_CFLAGS,
        NO_VTD_MIN_LEN_CHECK,
    )
    assert _failed(result) == ["pager_test", "pager_fuzz"], result.log[-4000:]
    assert result.problems == ["pager_test failed (exit 1)", "pager_fuzz failed (exit 1)"]
    failures = _failures(result)
    assert failures == [
        "VTD table 4 bytes under its minimum size -> EINVAL (got success, 0)",
        "VTD table of length 0 -> EINVAL (got success, 0)",
        "VTD selected with an ARM table's length -> EINVAL (got EOPNOTSUPP, 95)",
        failures[-1],
    ]
    assert re.fullmatch(
        r"pager_fuzz: 200000 random ioctls, \d+ results the contract does not allow", failures[-1]
    )
    unexpected = [line for line in result.log.splitlines() if line.startswith("UNEXPECTED ")]
    assert len(unexpected) == 20  # the first 20
    for line in unexpected:  # each a VT-d table shorter than its 24 bytes
        match = re.fullmatch(r"UNEXPECTED \w+ on TABLE_ALLOC: .* len (\d+): "
                             r"the handler's contract says EINVAL", line)  # fmt: skip
        assert match is not None and int(match.group(1)) < 24, line


def test_each_edit_finds_its_text_once_in_the_real_files() -> None:
    """The defects are planted where the tree has the text they replace (else stage.Edit
    refuses): checked offline, so a template change shows here before any boot."""
    planted = [
        (WARN_AT_INIT, HERE / "fwctl" / "main.c"),
        (NO_RESERVED_CHECK, GENERATED_DISPATCH),
        (NO_MAX_COUNT_CHECK, golden_kernel_dir("counted_arrays") / NO_MAX_COUNT_CHECK.file),
        (NO_VTD_MIN_LEN_CHECK, golden_kernel_dir("driver_data") / NO_VTD_MIN_LEN_CHECK.file),
    ]
    for edit, path in planted:
        assert path.read_text().count(edit.old) == 1, (path, edit.old)


def test_the_fuzzers_edits_delete_their_condition_only() -> None:
    """Each edit is the line it replaces less the one condition its control names (the
    replace finding nothing would leave the old text, which is not the new)."""
    assert NO_MAX_COUNT_CHECK.old.replace("count > max_count || ", "") == NO_MAX_COUNT_CHECK.new
    assert NO_VTD_MIN_LEN_CHECK.old.replace(" || cmd->data_len < 24", "") == (
        NO_VTD_MIN_LEN_CHECK.new
    )
