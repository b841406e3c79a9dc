"""luogen's runtime files (luogen/runtime/): tested as the source they are, and copied whole,
unchanged but for the banner, into every output that needs them."""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

import pytest

from luogen.model.arch import ALTERNATE, ARCHES
from luogen.pipeline import load, outputs
from luogen.runtime import python_runtime as rt
from luogen.targets import RUNTIME_BANNER, TARGETS, Runtime

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ROOT / "luogen" / "runtime"
SPECS = sorted([*(ROOT / "spec").glob("*.yaml"), *(ROOT / "tests" / "golden").glob("*/spec.yaml")])


def test_int_refuses_bools_other_types_and_values_out_of_range() -> None:
    assert rt._int(7, 0, 7, "x") == 7
    for bad, why in ((True, "must be an int, not bool"), ("7", "not str"), (8, "8, outside 0..7")):
        with pytest.raises(ValueError, match=why):
            rt._int(bad, 0, 7, "x")  # type: ignore[arg-type]


def test_cstring_needs_room_for_the_nul_and_no_nul_inside() -> None:
    assert rt._cstring("abc", 4, "name") == b"abc"
    assert rt._cstring(b"\xff", 2, "name") == b"\xff"
    with pytest.raises(ValueError, match="at most 3 fit with the NUL"):
        rt._cstring("abcd", 4, "name")
    with pytest.raises(ValueError, match="contains a NUL byte"):
        rt._cstring("a\0b", 8, "name")


def test_array_and_instance_check_length_and_type() -> None:
    assert rt._array([1, 2], 2, "a", lambda e: e * 2) == (2, 4)
    with pytest.raises(ValueError, match="has 1 elements, not 2"):
        rt._array([1], 2, "a", lambda e: e)
    assert rt._instance(3, int, "i") == 3
    with pytest.raises(ValueError, match="must be a int"):
        rt._instance("3", int, "i")


def test_fd_refuses_a_negative_fd_as_a_protocol_error() -> None:
    assert rt._fd(3) == 3
    with pytest.raises(OSError) as raised:
        rt._fd(-1)
    assert raised.value.errno == errno.EPROTO
    with pytest.raises(OSError):  # -1 as a `fd: true` member's __u32 holds it
        rt._fd(0xFFFFFFFF)


def test_memory_gives_the_address_and_length_the_kernel_uses() -> None:
    data = bytearray(b"hello")
    _, address, length = rt._memory(data, True, 255, "buf")
    assert length == 5 and ctypes.string_at(address, 5) == b"hello"
    _, address, _ = rt._memory(b"ro", False, 255, "buf")  # read-only: a copy
    assert ctypes.string_at(address, 2) == b"ro"
    assert rt._memory(bytearray(), True, 255, "buf")[1:] == (0, 0)  # NULL, 0
    user = rt.UserBuffer(b"xyz")
    assert rt._memory(user, True, 3, "buf") == (user, user.address, 3)
    assert bytes(user) == b"xyz" and len(user) == 3 and repr(user) == "UserBuffer(3)"


@pytest.mark.parametrize(
    ("value", "writable", "why"),
    [
        (b"ro", True, "must be writable"),
        ("text", False, "C-contiguous bytes-like"),
        (memoryview(bytearray(8))[::2], False, "C-contiguous bytes-like"),
        (bytearray(4), False, "4 bytes long; its length member holds at most 3"),
        (rt.UserBuffer(4), False, "4 bytes long; its length member holds at most 3"),
    ],
)
def test_memory_refuses_what_the_kernel_cannot_use(value: object, writable: bool, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        rt._memory(value, writable, 3, "buf")  # type: ignore[arg-type]


def test_fd_object_owns_its_fd() -> None:
    read, write = os.pipe()
    with rt._FdObject._open(f"/proc/self/fd/{write}") as obj:
        assert obj.fileno() >= 0 and not obj.closed
    assert obj.closed
    with pytest.raises(ValueError, match="closed _FdObject"):
        obj.fileno()
    kept = rt._FdObject(read)
    fd = kept.detach()
    assert kept.closed and os.fstat(fd)
    os.close(fd)
    os.close(write)
    failure = rt._FdObject(-1)._failure(OSError(errno.EBADF, "x"), "IOCTL")
    assert isinstance(failure, ValueError)


def test_failure_names_the_ioctl_and_keeps_the_kernels_errno() -> None:
    read, write = os.pipe()
    with rt._FdObject(read) as obj:
        failure = obj._failure(OSError(errno.ENOTTY, "x"), "LIVEUPDATE_SESSION_FINISH")
    os.close(write)
    assert isinstance(failure, OSError) and failure.errno == errno.ENOTTY
    assert str(failure).endswith("LIVEUPDATE_SESSION_FINISH: Inappropriate ioctl for device")


def test_the_python_runtimes_machines_are_the_models() -> None:
    """The runtime names the machines of the alternate encoding; the model's arch table is the
    source of that fact."""
    alternate = {m for arch in ARCHES if arch.encoding == ALTERNATE for m in arch.machines}
    assert alternate == rt.ALTERNATE_MACHINES
    numbers = {"X": (1, 2)}
    assert rt._numbers_on(numbers, "ppc64le") == {"X": 2}
    assert rt._numbers_on(numbers, "x86_64") == rt._numbers_on(numbers, "unknown") == {"X": 1}


def _targets_of(spec: Path) -> list[str]:
    """What `luogen generate` writes for the spec without -t."""
    return list(load(spec).targets or TARGETS)


def _runtime_outputs() -> list[tuple[Path, Runtime]]:
    """(spec, runtime file) for each runtime file the spec's outputs have."""
    return [
        (spec, output)
        for spec in SPECS
        for name in _targets_of(spec)
        for output in TARGETS[name].outputs
        if isinstance(output, Runtime) and output.wanted(load(spec))
    ]


def test_the_classic_runtime_goes_with_classic_headers_only() -> None:
    """The extensible specs' crates and packages are what they were before classic headers."""
    classic = {spec.parent.name for spec, output in _runtime_outputs() if output.needed_when}
    assert classic == {"classic"}


def test_every_runtime_file_is_an_output_of_some_target() -> None:
    used = {output.source for _, output in _runtime_outputs()}
    present = {p.name for p in RUNTIME.iterdir() if p.is_file() and p.name != "__init__.py"}
    assert used == present


@pytest.mark.parametrize(("spec", "output"), _runtime_outputs(), ids=str)
def test_runtime_outputs_are_the_source_and_a_banner(spec: Path, output: Runtime) -> None:
    model = load(spec)
    path = Path(output.path_for(model))
    (text,) = [t for p, t in outputs(model, _targets_of(spec)).items() if p == path]
    source = (RUNTIME / output.source).read_text()
    lines = source.splitlines(keepends=True)
    banner = [line for line in text.splitlines(keepends=True) if line not in lines]
    assert len(banner) == 1 and RUNTIME_BANNER in banner[0]
    assert text.replace(banner[0], "", 1) == source


@pytest.mark.parametrize(
    ("words", "length", "page_size", "fits"),
    [
        # The cases of runtime.rs's bitmap_room test: one bit per page, in 64-bit words.
        (1, 64 * 4096, 4096, True),
        (1, 65 * 4096, 4096, False),
        (2, 65 * 4096, 4096, True),
        (1, 64 * 4096 + 1, 12288, False),  # 12 KiB pages count as 4 KiB (the lowest set bit)
        (0, 1, 4096, False),
        (1 << 20, 0, 4096, False),  # a length of 0 wraps to the whole space: 2^46 words
        (1, 0, 1 << 63, True),
        (1, 2**64 - 1, 1 << 57, False),
        (2, 2**64 - 1, 1 << 57, True),
    ],
)
def test_bitmap_refuses_a_bitmap_shorter_than_the_kernel_writes(
    words: int, length: int, page_size: int, fits: bool
) -> None:
    """include/linux/iova_bitmap.h writes ((length - 1) / (64 << __ffs(page_size))) + 1 words."""
    room = bytearray(8 * words) if words < 1 << 20 else rt.UserBuffer(8 * words)
    if fits:
        assert rt._bitmap(room, length, page_size, "bits")[2] == 8 * words
    else:
        with pytest.raises(ValueError, match=r"^bits has"):
            rt._bitmap(room, length, page_size, "bits")


def test_bitmap_refuses_a_page_size_of_zero_and_read_only_memory() -> None:
    with pytest.raises(ValueError, match="a page size of 0"):
        rt._bitmap(bytearray(8), 4096, 0, "bits")
    with pytest.raises(ValueError, match="must be writable"):
        rt._bitmap(bytes(8), 4096, 4096, "bits")
