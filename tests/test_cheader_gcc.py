"""The reader's numbers and layouts against GCC, a compiler that shares nothing with libclang.

On x86-64 a small C program includes each sample header as a program would and prints every ioctl
number, integer constant and record layout; it runs here. On i386 and on the architectures clang
only reads through a stand-in target (alpha, hppa), each architecture's own GCC computes the same
facts into array sizes (luogen.cheader.gcccheck). Sample headers: the kernel's include/uapi/ files
of the names below.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from luogen.cheader import Session
from luogen.cheader.gcccheck import check, facts_of
from luogen.cheader.ir import HeaderFacts
from luogen.verify.gcc import compiler

SAMPLE = (
    "linux/uinput.h", "linux/input.h", "linux/vfio.h", "linux/kvm.h", "drm/drm.h",
    "drm/i915_drm.h", "drm/amdgpu_drm.h", "linux/fs.h", "linux/userfaultfd.h", "sound/asound.h",
    "linux/videodev2.h", "linux/btrfs.h", "linux/usbdevice_fs.h", "linux/fd.h", "linux/rtc.h",
    "linux/watchdog.h", "linux/loop.h", "linux/gpio.h", "linux/cdrom.h",
)  # fmt: skip


@cache
def session(arch: str) -> Session:
    return Session(arch)


def _program(facts: HeaderFacts) -> tuple[str, dict[str, int]]:
    """A C program printing `key value` for each fact, and the reader's value of each key."""
    expected: dict[str, int] = {}
    lines = ["#include <stdio.h>", *(f"#include <{h}>" for h in (*facts.prelude, facts.header))]
    lines.append("int main(void) {")

    def emit(key: str, expr: str, value: int) -> None:
        expected[key] = value % 2**64
        lines.append(f'  printf("%s %llu\\n", "{key}", (unsigned long long)({expr}));')

    for command in facts.commands:
        emit(command.name, command.name, command.number)
    for define in facts.defines:
        emit(define.name, define.name, define.value)
    for record in facts.records:
        if record.type.name is None:
            continue
        tag = f"{record.type.tag} {record.type.name}"
        emit(f"sizeof({tag})", f"sizeof({tag})", record.size)
        for field in record.fields:
            if field.name is not None and field.bit_width is None:
                offsetof = f"__builtin_offsetof({tag}, {field.name})"
                emit(f"offsetof({tag}, {field.name})", offsetof, field.offset_bits // 8)
    lines += ["  return 0;", "}", ""]
    return "\n".join(lines), expected


@pytest.mark.skipif(shutil.which("gcc") is None, reason="no gcc")
@pytest.mark.parametrize("header", SAMPLE)
def test_x86_64_numbers_constants_and_layouts_equal_what_gcc_prints(
    header: str, tmp_path: Path
) -> None:
    facts = session("amd64").read(header)
    assert facts.readable
    source, expected = _program(facts)
    (tmp_path / "facts.c").write_text(source, encoding="utf-8")
    binary = tmp_path / "facts"
    uapi = session("amd64").chain.uapi
    subprocess.run(["gcc", "-w", "-isystem", uapi, str(tmp_path / "facts.c"), "-o", str(binary)],
                   check=True, capture_output=True)  # fmt: skip
    printed = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    got = {key: int(value) for key, value in (line.rsplit(" ", 1) for line in printed.splitlines())}
    assert got == expected
    assert len(expected) > 20  # each sample header has this much to compare at least


# With linux/ethtool.h (<limits.h>) and linux/idxd.h (<stdint.h>): the compiler's own headers,
# which GCC must take without a C library for alpha and hppa.
OWN_GCC_SAMPLE = (*SAMPLE[:8], "linux/ethtool.h", "linux/idxd.h")


@pytest.mark.parametrize("arch", ["i386", "alpha", "hppa"])
@pytest.mark.parametrize("header", OWN_GCC_SAMPLE)
def test_each_architectures_own_gcc_agrees(arch: str, header: str) -> None:
    if compiler(session(arch).chain.arch) is None:
        pytest.skip(f"no {session(arch).chain.arch.triplet}-gcc")
    facts = session(arch).read(header)
    if not facts.readable:  # not installed there, or it needs a C library there is none of
        chain = session(arch).chain
        assert not (Path(chain.uapi) / header).is_file() or chain.has_libc is False
        return
    assert facts_of(facts) != []
    assert [str(d) for d in check(facts, session(arch).chain)] == []
