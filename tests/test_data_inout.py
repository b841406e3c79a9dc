"""Driver data the kernel writes back (`data: {dir: inout}`): the model's spellings, the kernel
helpers of tests/golden/data_inout compiled for userspace over the stand-ins of
tests/test_driver_data.py (copy_struct_from_user()'s documented contract) and called with data
of every length around the minimum and the struct's size, and the generated Python package's
`_data` method against a fake kernel that writes the struct back."""

from __future__ import annotations

import ctypes
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from test_driver_data import generated_package, kernel_helpers_run

from luogen.model.direction import Direction
from luogen.model.kinds.selected import DataLength, DriverData
from luogen.pipeline import load

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "golden" / "data_inout" / "spec.yaml"


def test_the_pointer_is_read_and_written_back() -> None:
    model = load(SPEC)
    (command,) = model.commands
    assert command.struct is not None
    members = {m.name: m for m in command.struct.members}
    data, length = members["data_uptr"].kind, members["data_len"].kind
    assert isinstance(data, DriverData) and isinstance(length, DataLength)
    assert data.direction is Direction.INOUT and data.typed and data.written_back
    # The selector and the length stay the caller's: the kernel writes back the same struct.
    assert members["type"].direction is Direction.IN
    assert members["data_len"].direction is Direction.IN
    (queue,) = data.structs
    assert [c.min_size for c in data.choices if c.struct] == [16]
    assert "reads and writes back" in data.kdoc_note
    assert data.refusals  # the copy in refuses what input data's does
    assert data.rust_arg_type == "&mut VsliceAllocData"
    assert queue.name == "vslice_queue"


_MAIN = r"""
int main(void)
{
	unsigned char user[40];
	struct vslice_alloc cmd = { .size = sizeof(cmd), .type = VSLICE_TYPE_QUEUE };
	struct vslice_queue queue = { 0 };
	unsigned int len, i;
	int ret;

	cmd.data_uptr = (uintptr_t)user;
	for (len = 8; len <= 32; len += 8) {
		memset(user, 0, sizeof(user));
		memset(user + len, 0xee, sizeof(user) - len); /* past the caller's data */
		user[0] = 5;
		cmd.data_len = len;
		ret = vslice_device_alloc_queue_copy_in(&cmd, &queue);
		printf("in %u %d %u\n", len, ret, queue.depth_log2);
		if (ret)
			continue;
		queue.out_mmap_offset = 0x1011;
		queue.out_mmap_length = 0x2022;
		ret = vslice_device_alloc_queue_copy_back(&cmd, &queue);
		printf("back %u %d", len, ret);
		for (i = 0; i < sizeof(user); i += 8)
			printf(" %02x", user[i]);
		printf("\n");
	}
	memset(user, 0, sizeof(user));
	cmd.data_len = 24;
	user[4] = 1; /* __reserved */
	printf("reserved %d\n", vslice_device_alloc_queue_copy_in(&cmd, &queue));
	cmd.type = VSLICE_TYPE_DEFAULT;
	ret = vslice_device_alloc_queue_copy_in(&cmd, &queue);
	printf("mismatch %d %d\n", ret, vslice_device_alloc_queue_copy_back(&cmd, &queue));
	return 0;
}
"""

# Under the minimum (16 bytes) the copy in refuses; at it, the copy back writes the 16 bytes the
# caller passed (out_mmap_offset) and leaves the rest alone; longer data gets the whole struct,
# and the bytes past the struct stay as the caller left them (zero: the copy in checked).
_EXPECTED = """\
in 8 -22 0
in 16 0 5
back 16 0 05 11 ee ee ee
in 24 0 5
back 24 0 05 11 22 ee ee
in 32 0 5
back 32 0 05 11 22 00 ee
reserved -95
mismatch -22 -22
"""


def test_the_kernel_helpers_copy_in_and_write_back(tmp_path: Path) -> None:
    assert kernel_helpers_run(SPEC, "vslice.h", _MAIN, tmp_path) == _EXPECTED


@pytest.fixture(scope="module")
def vslice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated_package(tmp_path_factory.mktemp("vslice"), SPEC, "vslice")


def test_python_returns_the_struct_the_kernel_wrote_back(
    monkeypatch: pytest.MonkeyPatch, vslice: ModuleType
) -> None:
    """alloc_data passes the struct, selector and length as alloc does and returns the struct
    as the fake kernel wrote it over the same bytes; alloc returns the results alone."""
    seen: list[tuple[int, int, bytes]] = []

    def kernel(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        cmd = vslice.VsliceAlloc.unpack(bytes(request))
        data = ctypes.string_at(cmd.data_uptr, cmd.data_len) if cmd.data_uptr else b""
        seen.append((int(cmd.type), cmd.data_len, data))
        if cmd.data_uptr:
            written = vslice.VsliceQueue.unpack(data)
            back = vslice.VsliceQueue(written.depth_log2, 0, 0x1000, 0x2000)
            ctypes.memmove(cmd.data_uptr, back.pack(), cmd.data_len)
        request[:] = dataclasses.replace(cmd, out_slice_id=7).pack()
        return 0

    monkeypatch.setattr(vslice, "_ioctl", kernel)
    device = vslice.Vslice(os.open("/dev/null", os.O_RDWR))
    try:
        asked = vslice.VsliceQueue(depth_log2=6)
        data, slice_id = device.alloc_data(asked)
        assert data == vslice.VsliceQueue(6, 0, 0x1000, 0x2000) and slice_id == 7
        assert device.alloc_data(None) == (None, 7)
        assert device.alloc(asked) == 7
        assert seen == [(1, 24, asked.pack()), (0, 0, b""), (1, 24, asked.pack())]
        with pytest.raises(ValueError, match="data_uptr must be one of None, VsliceQueue"):
            device.alloc_data(vslice.VsliceAlloc())
    finally:
        device.close()
