"""The real-kernel harness: its pure parts offline, then the smoke module in a qemu guest.

The boots are skipped only when the packages are missing and we are not root (so cannot
install them); under CI any skip fails (tests/strict_ci.py).
"""

from __future__ import annotations

import lzma
import os
import stat
from pathlib import Path

import harness
import pytest
from strict_ci import missing

SMOKE = Path(__file__).resolve().parent / "smoke"
MODULE = SMOKE / "module"
PROGRAM = SMOKE / "smoke_test.c"
INCLUDE = SMOKE / "include"


# Root installs what is missing on first use; anyone else needs it installed.
needs_kernel = pytest.mark.skipif(
    os.geteuid() != 0 and bool(harness.missing_packages()),
    reason=missing(" ".join(harness.missing_packages())),
)


# ------------------------------------------------------------------ offline parts


def test_extract_vmlinux_finds_the_elf_after_false_magic() -> None:
    elf = b"\x7fELF" + bytes(range(256)) * 64
    image = b"MZ" + b"\xfd7zXZ\x00garbage" + lzma.compress(elf, format=lzma.FORMAT_XZ) + b"\0" * 99
    assert harness.extract_vmlinux(image) == elf


def test_extract_vmlinux_rejects_an_image_without_payload() -> None:
    with pytest.raises(harness.HarnessError):
        harness.extract_vmlinux(b"MZ" + b"\0" * 4096)


def _read_cpio(data: bytes) -> dict[str, tuple[int, bytes]]:
    entries: dict[str, tuple[int, bytes]] = {}
    pos = 0
    while True:
        assert data[pos : pos + 6] == b"070701"
        fields = [int(data[pos + 6 + 8 * i : pos + 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = fields[1], fields[6], fields[11]
        pos += 110
        name = data[pos : pos + namesize - 1].decode()
        pos += namesize + (-(110 + namesize) % 4)
        body = data[pos : pos + size]
        pos += size + (-size % 4)
        if name == "TRAILER!!!":
            return entries
        entries[name] = (mode, body)


def test_initramfs_layout(tmp_path: Path) -> None:
    if not harness.BUSYBOX.exists():
        pytest.skip(missing("busybox-static"))
    ko = tmp_path / "a.ko"
    ko.write_bytes(b"module")
    prog = tmp_path / "t1"
    prog.write_bytes(b"program")
    extra = tmp_path / "support"
    (extra / "sub").mkdir(parents=True)
    (extra / "sub" / "x.py").write_text("print(1)\n")
    out = harness.make_initramfs([ko], [prog], tmp_path / "i.cpio", [extra, (ko, "/opt/b.ko")])
    entries = _read_cpio(out.read_bytes())
    assert stat.S_ISCHR(entries["dev/console"][0])
    assert entries["luogen/modules/a.ko"][1] == b"module"
    assert entries["luogen/bin/t1"][0] & 0o111
    assert entries["luogen/extra/support/sub/x.py"][1] == b"print(1)\n"
    assert entries["opt/b.ko"][1] == b"module"
    init = entries["init"][1].decode()
    assert init.index("insmod /luogen/modules/a.ko") < init.index("/luogen/bin/t1")
    assert "LUOGEN-E2E-SUMMARY" in init and "/dev/port" in init and "poweroff -f" in init


GOOD_LOG = (
    "\x1b[2J\x1b[01;01HSeaBIOS\r\n"
    "LUOGEN-E2E insmod:m.ko PASS 0\r\n"
    "LUOGEN-E2E-RUN t\r\nt: fine\r\n"
    "LUOGEN-E2E t PASS 0\r\n"
    "LUOGEN-E2E rmmod:m PASS 0\r\n"
    "LUOGEN-E2E dmesg PASS 0\r\n"
    "LUOGEN-E2E-SUMMARY passed=4 failed=0\r\n"
)


def test_parse_log_pass() -> None:
    result = harness.parse_log(harness.clean_log(GOOD_LOG.encode()), 1, False, 4)
    assert result.ok, result.problems
    assert [t.name for t in result.tests] == ["insmod:m.ko", "t", "rmmod:m", "dmesg"]


@pytest.mark.parametrize(
    ("log", "qemu_exit", "timed_out", "expect"),
    [
        (
            GOOD_LOG.replace("t PASS 0", "t FAIL 1").replace("=4 failed=0", "=3 failed=1"),
            3,
            False,
            "t failed",
        ),
        (GOOD_LOG.split("LUOGEN-E2E-SUMMARY")[0], 0, False, "no LUOGEN-E2E-SUMMARY"),
        (GOOD_LOG, 3, False, "qemu exited 3"),
        (GOOD_LOG, 124, True, "timed out"),
        (GOOD_LOG.replace("t: fine", "Kernel panic - not syncing: x"), 0, False, "crash"),
        (GOOD_LOG.replace("LUOGEN-E2E t PASS 0\r\n", ""), 1, False, "disagrees"),
    ],
)
def test_parse_log_failures(log: str, qemu_exit: int, timed_out: bool, expect: str) -> None:
    result = harness.parse_log(harness.clean_log(log.encode()), qemu_exit, timed_out, 4)
    assert not result.ok
    assert any(expect in p for p in result.problems), result.problems


def test_warning_lines_fail_a_build() -> None:
    harness._check_warnings("ok", "  CC [M]  x.o\nSkipping BTF generation for x.ko\n")
    with pytest.raises(harness.HarnessError, match=r"x\.c:1:2: warning: unused"):
        harness._check_warnings("bad", "x.c:1:2: warning: unused variable\n")
    with pytest.raises(harness.HarnessError):
        harness._check_warnings("bad", "WARNING: modpost: x: section mismatch\n")


# ------------------------------------------------------------------ real kernel


@pytest.mark.e2e
@needs_kernel
def test_smoke_module_in_real_kernel() -> None:
    result = harness.run([MODULE], [PROGRAM], include_dirs=[INCLUDE])
    assert result.ok, "\n".join([*result.problems, result.log])
    assert [(t.name, t.passed) for t in result.tests] == [
        ("insmod:luogen_smoke.ko", True),
        ("smoke_test", True),
        ("rmmod:luogen_smoke", True),
        ("dmesg", True),
    ]
    assert result.summary == (4, 0)
    assert result.qemu_exit == 1  # isa-debug-exit with byte 0
    assert "smoke: magic 0x4c554f47" in result.log


@pytest.mark.e2e
@needs_kernel
def test_negative_control_wrong_value_fails() -> None:
    """The test program expecting a wrong magic must make the run fail, through both channels."""
    result = harness.run(
        [MODULE], [PROGRAM], include_dirs=[INCLUDE], cflags=["-DSMOKE_EXPECT_MAGIC=0xdeadbeef"]
    )
    assert not result.ok
    assert result.returncode != 0
    assert result.summary == (3, 1)
    assert result.qemu_exit == 3  # isa-debug-exit with byte 1
    assert [t.name for t in result.tests if not t.passed] == ["smoke_test"]
