"""Negative controls of the e2e run: a defect planted in a staged copy of a module must fail it,
in the way that names the defect. The real tree is never edited (stage.Edit works on the copy
in a temporary folder).

- a kernel WARN in a test module's init: the guest's dmesg check fails on it;
- the generated dispatch with one must-be-zero pre-check deleted: luo_test fails exactly the
  checks that set that reserved member, and the fuzzer finds calls the contract refuses.

Each boots the VM once with one or two programs (a few seconds under TCG).
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "e2e")]

import harness  # noqa: E402
import run_e2e  # noqa: E402
from stage import Edit  # noqa: E402
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


def _failed(result: harness.Result) -> list[str]:
    return [t.name for t in result.tests if not t.passed]


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


def test_each_edit_finds_its_text_once_in_the_real_files() -> None:
    """The defects are planted where the tree has the text they replace (else stage.Edit
    refuses): checked offline, so a template change shows here before any boot."""
    assert GENERATED_DISPATCH.read_text().count(GET_NAME_CHECK) == 1
    assert (HERE / "fwctl" / "main.c").read_text().count(WARN_AT_INIT.old) == 1
