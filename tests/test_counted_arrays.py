"""Counted arrays (`elements` on a `ptr`): the model's spellings, the Python runtime's packing and
query protocol, and the generated Python package of tests/golden/counted_arrays driven against a
stand-in for the kernel that follows the protocol its kernel-doc states (copy what fits, set the
count to the total, fail with EMSGSIZE when the array is too small)."""

from __future__ import annotations

import ctypes
import errno
import importlib.util
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from luogen.cli import main
from luogen.model.kinds.counted import CountedArray, ElementCount
from luogen.pipeline import load
from luogen.runtime import python_runtime as rt

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "golden" / "counted_arrays" / "spec.yaml"


# --- the model -------------------------------------------------------------------------------


def _members(command: str) -> dict[str, Any]:
    model = load(SPEC)
    (found,) = [c for c in model.commands if c.name == command]
    assert found.struct is not None
    return {m.name: m for m in found.struct.members}


def test_the_pointer_and_its_count_know_each_other() -> None:
    members = _members("ranges")
    array, count = members["ranges"].kind, members["num_ranges"].kind
    assert isinstance(array, CountedArray) and isinstance(count, ElementCount)
    assert array.length is members["num_ranges"]
    assert array.query and array.max_value == 2**32 - 1
    assert (array.c_type, count.c_type) == ("__aligned_u64", "__u32")
    assert "sets @num_ranges to the number it has and fails with -EMSGSIZE" in array.kdoc_note
    assert count.kdoc_note.startswith("The capacity of @ranges, in elements of struct tally_range")


def test_the_maximum_is_the_constant_it_names() -> None:
    array = _members("allow_ranges")["ranges"].kind
    assert isinstance(array, CountedArray)
    assert (array.max_count, array.max_spelled, array.max_value) == (256, "TALLY_MAX_RANGES", 256)


def test_an_abi_diff_sees_a_pointer_become_an_array() -> None:
    members = _members("sample")
    assert members["values"].kind.meaning == "out array of __u64 counted by num_values"
    assert members["num_values"].kind.meaning == "count of values"


def test_the_safe_layers_take_the_count_from_the_array() -> None:
    model = load(SPEC)
    (command,) = [c for c in model.commands if c.name == "allow_ranges"]
    assert [m.name for m in command.arguments] == ["id", "ranges"]


# --- the Python runtime ----------------------------------------------------------------------

U32 = rt._Scalar("=I", 0, 2**32 - 1)


def test_elements_packs_checks_and_refuses_too_many() -> None:
    elements = rt._elements([1, 2, 3], U32, 3, "x", True)
    assert (elements[2], elements.count) == (3, 3)
    assert ctypes.string_at(elements[1], 12) == struct.pack("=3I", 1, 2, 3)
    with pytest.raises(ValueError, match="x has 4 elements, more than the 3 it takes"):
        rt._elements([1, 2, 3, 4], U32, 3, "x", True)
    with pytest.raises(ValueError, match="x is -1, outside"):
        rt._elements([-1], U32, 3, "x", True)
    with pytest.raises(ValueError, match="x must be a sequence of elements"):
        rt._elements("abc", U32, 3, "x", True)  # type: ignore[arg-type]
    assert (rt._elements([], U32, 3, "x", True)[1], rt._elements(None, U32, 3, "x", True)[2]) == (
        0,
        0,
    )


def test_an_output_array_is_zeroed_room_and_fill_replaces_the_list() -> None:
    values = [9, 9]
    elements = rt._elements(values, U32, 8, "x", False)
    assert ctypes.string_at(elements[1], 8) == bytes(8)
    ctypes.memmove(elements[1], struct.pack("=2I", 5, 6), 8)
    elements.fill(values)
    assert values == [5, 6]


class _Kernel:
    """A stand-in for a handler of the query protocol over a request `=I x4 Q`: the count at 0,
    the pointer at 8, with `held` u32 elements."""

    def __init__(self, held: list[int]) -> None:
        self.held, self.capacities = held, []

    def ioctl(self, fd: int, number: int, request: bytearray, mutate: bool) -> int:
        capacity, pointer = struct.unpack_from("=I4xQ", request)
        self.capacities.append(capacity)
        fits = self.held[:capacity]
        if fits:
            ctypes.memmove(pointer, struct.pack(f"={len(fits)}I", *fits), 4 * len(fits))
        struct.pack_into("=I", request, 0, len(self.held))
        if len(self.held) > capacity:
            raise OSError(errno.EMSGSIZE, "Message too long")
        return 0


def test_query_asks_again_with_the_total_the_kernel_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kernel = _Kernel([10, 20, 30, 40, 50])
    monkeypatch.setattr(rt, "_ioctl", kernel.ioctl)
    values: list[int] = [0]
    elements = rt._elements(values, U32, 2**32 - 1, "x", False, (0, "=I", 8))
    request = bytearray(struct.pack("=I4xQ", elements[2], elements[1]))
    elements.query(-1, 0, request, True)
    elements.fill(values)
    assert values == [10, 20, 30, 40, 50]
    assert kernel.capacities == [1, 5]
    kernel.held = [7]  # fewer than the room: the list is cut to them
    elements.query(-1, 0, request, True)
    elements.fill(values)
    assert values == [7]


def test_query_passes_other_errors_and_a_kernel_that_overreports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(rt, "_ioctl", failing)
    elements = rt._elements([], U32, 10, "x", False, (0, "=I", 8))
    with pytest.raises(OSError) as raised:
        elements.query(-1, 0, bytearray(16), True)
    assert raised.value.errno == errno.EINVAL

    def overreporting(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        struct.pack_into("=I", request, 0, 3)  # success, but more than the room
        return 0

    monkeypatch.setattr(rt, "_ioctl", overreporting)
    with pytest.raises(OSError) as raised:
        elements.query(-1, 0, bytearray(16), True)
    assert raised.value.errno == errno.EPROTO


# --- the generated package -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tally(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("tally")
    assert main(["generate", "-t", "python", "-o", str(root), str(SPEC)]) == 0
    init = root / "tally" / "python" / "tally_uapi" / "__init__.py"
    loaded = importlib.util.spec_from_file_location("_luogen_tally_uapi", init)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules["_luogen_tally_uapi"] = module
    try:
        loaded.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["_luogen_tally_uapi"]
        sys.modules.pop("_luogen_tally_uapi._runtime", None)


def _patch(monkeypatch: pytest.MonkeyPatch, tally: ModuleType, fake: Any) -> None:
    """Route both the package's and its runtime's ioctl to `fake`."""
    monkeypatch.setattr(tally, "_ioctl", fake)
    monkeypatch.setattr(sys.modules["_luogen_tally_uapi._runtime"], "_ioctl", fake)


def _device(tally: ModuleType) -> Any:
    """A Tally over /dev/null (its ioctls are the stand-in's); closed by each test."""
    return tally.Tally(os.open("/dev/null", os.O_RDWR))


def test_an_input_array_is_checked_before_any_ioctl(
    monkeypatch: pytest.MonkeyPatch, tally: ModuleType
) -> None:
    seen: list[bytes] = []

    def kernel(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        cmd = tally.TallyAllowRanges.unpack(bytes(request))
        seen.append(ctypes.string_at(cmd.ranges, 24 * cmd.num_ranges))
        return 0

    _patch(monkeypatch, tally, kernel)
    device = _device(tally)
    try:
        ranges = [tally.TallyRange(start=1, last=2), tally.TallyRange(start=3, last=4)]
        device.allow_ranges(7, ranges)
        assert seen == [b"".join(r.pack() for r in ranges)]
        with pytest.raises(ValueError, match="ranges has 257 elements, more than the 256"):
            device.allow_ranges(7, ranges[:1] * 257)
        with pytest.raises(ValueError, match="ranges must be a TallyRange"):
            device.allow_ranges(7, [(1, 2)])
        assert len(seen) == 1
    finally:
        device.close()


def test_a_query_returns_every_element_and_the_other_outputs(
    monkeypatch: pytest.MonkeyPatch, tally: ModuleType
) -> None:
    held = [tally.TallyRange(start=i, last=i + 9, kind=tally.TallyKind.TALLY_KIND_CODE)
            for i in range(3)]  # fmt: skip
    capacities: list[int] = []

    def kernel(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        cmd = tally.TallyRanges.unpack(bytes(request))
        capacities.append(cmd.num_ranges)
        fits = b"".join(r.pack() for r in held[: cmd.num_ranges])
        ctypes.memmove(cmd.ranges, fits, len(fits))
        answer = tally.TallyRanges(size=cmd.size, id=cmd.id, num_ranges=len(held),
                                   ranges=cmd.ranges, alignment=4096)  # fmt: skip
        request[:] = answer.pack()
        if len(held) > cmd.num_ranges:
            raise OSError(errno.EMSGSIZE, "Message too long")
        return 0

    _patch(monkeypatch, tally, kernel)
    device = _device(tally)
    try:
        found: list[Any] = []
        out = device.ranges(1, found)
        assert found == held and capacities == [0, 3]
        assert (out.num_ranges, out.alignment) == (3, 4096)
    finally:
        device.close()


def test_an_inout_array_reads_the_list_and_writes_it_back(
    monkeypatch: pytest.MonkeyPatch, tally: ModuleType
) -> None:
    def kernel(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        cmd = tally.TallyConfigure.unpack(bytes(request))
        values = struct.unpack(f"={cmd.num_counters}I", ctypes.string_at(cmd.counters, 4 * 2))
        ctypes.memmove(cmd.counters, struct.pack("=2I", *(v ^ 3 for v in values)), 8)
        return 0

    _patch(monkeypatch, tally, kernel)
    device = _device(tally)
    flags = tally.TallyCounterFlags
    try:
        counters = [flags.TALLY_COUNTER_RESET, flags(0)]
        device.configure(counters)
        assert counters == [flags.TALLY_COUNTER_WRAP, flags(3)]
        assert all(isinstance(c, flags) for c in counters)
        with pytest.raises(ValueError, match="counters has 65 elements, more than the 64"):
            device.configure([flags(0)] * 65)
    finally:
        device.close()


# --- the maximum ------------------------------------------------------------------------------


def _without_max(tmp_path: Path, line: str) -> Path:
    text = SPEC.read_text(encoding="utf-8")
    assert text.count(line) == 1
    path = tmp_path / "tally.yaml"
    path.write_text(text.replace(line, ""), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [
        (
            "              max: TALLY_MAX_RANGES\n",
            "74:15",
            "array 'ranges' has no 'max': the kernel allocates as many elements of struct "
            "tally_range as userspace puts in 'num_ranges', up to 2 GiB (INT_MAX bytes, the most "
            "its helpers allocate)",
        ),
        (
            "              max: 64\n",
            "123:15",
            "array 'counters' has no 'max': the kernel allocates as many elements of __u32 as "
            "userspace puts in 'num_counters', up to 262140 bytes (65535 elements of 4)",
        ),
    ],
)
def test_an_array_without_a_maximum_is_a_warning_with_the_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, where: str, message: str
) -> None:
    path = _without_max(tmp_path, line)
    advice = (
        "; add 'max:' (a number or a constant) with the most elements the driver needs, past "
        "which the kernel answers -E2BIG"
    )
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:{where}: warning: {message}{advice}",
        f"{path}: ok: 1 range, 4 commands, 1 warning",
    ]
    # Warnings as errors: the spec fails, and says why.
    assert main(["check", "-W", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"{path}:{where}: warning: {message}{advice}"]


def test_a_query_array_needs_no_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    """The query protocol allocates nothing at userspace's count: no warning (nor for arrays
    that have a maximum)."""
    assert main(["check", "-W", str(SPEC)]) == 0
    assert capsys.readouterr().err.endswith("ok: 1 range, 4 commands, 0 warnings\n")
