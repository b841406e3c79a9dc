"""Arrays of driver data (`data: {count: ...}`): the model's spellings, the kernel helpers of
tests/golden/data_entries compiled for userspace over the stand-ins of tests/test_driver_data.py
(copy_struct_from_user()'s documented contract) and called with strides around the minimum and
the struct's size, tails zero and not, and counts 0, 1, the maximum and past it; and the
generated Python package's method against a fake kernel that handles some of the entries."""

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
from luogen.model.kinds.entries import DataEntries, EntryCount, EntryLength
from luogen.model.kinds.selected import value_stems
from luogen.pipeline import load

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "golden" / "data_entries" / "spec.yaml"


def test_the_pointer_is_an_array_of_entries() -> None:
    model = load(SPEC)
    (command,) = model.commands
    assert command.struct is not None
    members = {m.name: m for m in command.struct.members}
    data = members["data_uptr"].kind
    assert isinstance(data, DataEntries) and data.direction is Direction.IN and data.typed
    assert isinstance(members["entry_len"].kind, EntryLength)
    assert isinstance(members["entry_num"].kind, EntryCount)
    assert members["entry_num"].direction is Direction.INOUT
    assert (data.max_value, data.max_spelled) == (64, "TLBFLUSH_MAX_ENTRIES")
    assert [c.min_size for c in data.choices] == [24, 4]
    assert "more than TLBFLUSH_MAX_ENTRIES entries (E2BIG)" in data.refusals
    assert data.rust_arg_type == "&TlbflushFlushData<'_>"
    # The safe layers take the selector, the stride and the count from the entries, and give
    # back the entries handled.
    assert [m.name for m in command.arguments] == ["cache_id", "data_uptr"]
    assert [m.name for m in command.results] == ["entry_num"]


def test_the_names_of_the_entries_drop_the_words_every_value_has() -> None:
    # iommufd's enum iommu_hwpt_invalidate_data_type: no common prefix past IOMMU_.
    names = ("IOMMU_HWPT_INVALIDATE_DATA_VTD_S1", "IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3")
    assert value_stems(names) == dict(zip(names, ["HWPT_VTD_S1", "VIOMMU_ARM_SMMUV3"], strict=True))
    # A name of shared words only keeps what follows the common prefix.
    assert value_stems(("A_DATA", "A_DATA_B")) == {"A_DATA": "DATA", "A_DATA_B": "DATA_B"}
    assert value_stems(("X_ONLY",)) == {"X_ONLY": "ONLY"}


_MAIN = r"""
static void range_at(unsigned char *user, unsigned int stride, unsigned int i, unsigned int flags)
{
	memset(user + i * stride, 0, stride);
	user[i * stride] = i + 1; /* addr */
	if (stride >= 24)
		user[i * stride + 16] = flags;
}

int main(void)
{
	unsigned char user[4 * 40];
	struct tlbflush_flush cmd = { .size = sizeof(cmd), .data_type = TLBFLUSH_DATA_RANGE };
	struct tlbflush_range range;
	struct tlbflush_asid asid;
	unsigned int stride, i;
	int ret;

	cmd.data_uptr = (uintptr_t)user;
	cmd.entry_num = 3;
	for (stride = 16; stride <= 40; stride += 8) {
		memset(user, 0xee, sizeof(user));
		for (i = 0; i < 3; i++)
			range_at(user, stride, i, 0);
		cmd.entry_len = stride;
		printf("stride %u", stride);
		memset(&range, 0, sizeof(range));
		for (i = 0; i <= 3; i++) {
			ret = tlbflush_device_flush_range_copy_in(&cmd, i, &range);
			printf(" %d:%llu", ret, (unsigned long long)range.addr);
		}
		printf("\n");
	}
	cmd.entry_len = 32;
	user[32 + 28] = 1; /* past the struct in entry 1 */
	ret = tlbflush_device_flush_range_copy_in(&cmd, 0, &range);
	printf("tail %d %d\n", ret, tlbflush_device_flush_range_copy_in(&cmd, 1, &range));
	range_at(user, 32, 1, 0);
	user[32 + 16] = 2; /* an unknown flag */
	printf("flag %d\n", tlbflush_device_flush_range_copy_in(&cmd, 1, &range));
	user[32 + 16] = 1;
	user[32 + 20] = 1; /* __reserved */
	printf("reserved %d\n", tlbflush_device_flush_range_copy_in(&cmd, 1, &range));
	cmd.entry_num = 0;
	printf("count 0 %d\n", tlbflush_device_flush_range_copy_in(&cmd, 0, &range));
	cmd.entry_num = 1;
	ret = tlbflush_device_flush_range_copy_in(&cmd, 0, &range);
	printf("count 1 %d %d\n", ret, tlbflush_device_flush_range_copy_in(&cmd, 1, &range));
	cmd.entry_num = TLBFLUSH_MAX_ENTRIES;
	cmd.entry_len = 0x7fffffff;
	printf("max %d\n", tlbflush_device_flush_range_copy_in(&cmd, TLBFLUSH_MAX_ENTRIES, &range));
	cmd.entry_num = TLBFLUSH_MAX_ENTRIES + 1;
	printf("past max %d\n", tlbflush_device_flush_range_copy_in(&cmd, 0, &range));
	cmd.entry_num = 1;
	cmd.entry_len = 24;
	printf("mismatch %d\n", tlbflush_device_flush_asid_copy_in(&cmd, 0, &asid));
	cmd.data_type = TLBFLUSH_DATA_ASID;
	cmd.entry_len = 4;
	memset(user, 0, sizeof(user));
	user[0] = 9;
	asid.level = 5;
	ret = tlbflush_device_flush_asid_copy_in(&cmd, 0, &asid);
	printf("asid %d %u %u\n", ret, asid.asid, asid.level);
	cmd.entry_len = 3;
	printf("asid short %d\n", tlbflush_device_flush_asid_copy_in(&cmd, 0, &asid));
	cmd.entry_len = 4;
	cmd.data_uptr = UINT64_MAX - 2;
	cmd.entry_num = 2;
	printf("wrap %d\n", tlbflush_device_flush_asid_copy_in(&cmd, 1, &asid));
	return 0;
}
"""

# Under the minimum (24 bytes) every entry is refused; at 24, 32 and 40 each entry is found at its
# stride, a zero tail past the struct accepted and the 0xee past the last entry never read; a
# non-zero tail is E2BIG; the index past the count is EINVAL; more entries than the maximum
# E2BIG; an entry whose address would wrap is EFAULT.
_EXPECTED = """\
stride 16 -22:0 -22:0 -22:0 -22:0
stride 24 0:1 0:2 0:3 -22:3
stride 32 0:1 0:2 0:3 -22:3
stride 40 0:1 0:2 0:3 -22:3
tail 0 -7
flag -95
reserved -95
count 0 -22
count 1 0 -22
max -22
past max -7
mismatch -22
asid 0 9 0
asid short -22
wrap -14
"""


def test_the_kernel_helpers_copy_each_entry_at_its_stride(tmp_path: Path) -> None:
    prelude = (
        "typedef uint64_t u64;\n"
        "#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)\n"
    )
    assert kernel_helpers_run(SPEC, "tlbflush.h", _MAIN, tmp_path, prelude) == _EXPECTED


@pytest.fixture(scope="module")
def tlbflush(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated_package(tmp_path_factory.mktemp("tlbflush"), SPEC, "tlbflush")


def test_python_packs_the_entries_and_returns_the_number_handled(
    monkeypatch: pytest.MonkeyPatch, tlbflush: ModuleType
) -> None:
    """flush packs the entries one after the other, sets the selector, the stride (the struct's
    size) and the count, and returns the count the fake kernel set: the entries it handled."""
    seen: list[tuple[int, int, int, bytes]] = []

    def kernel(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        cmd = tlbflush.TlbflushFlush.unpack(bytes(request))
        size = cmd.entry_len * cmd.entry_num
        data = ctypes.string_at(cmd.data_uptr, size) if cmd.data_uptr else b""
        seen.append((int(cmd.data_type), cmd.entry_len, cmd.entry_num, data))
        request[:] = dataclasses.replace(cmd, entry_num=min(cmd.entry_num, 1)).pack()
        return 0

    monkeypatch.setattr(tlbflush, "_ioctl", kernel)
    device = tlbflush.Tlbflush(os.open("/dev/null", os.O_RDWR))
    try:
        ranges = [tlbflush.TlbflushRange(addr=0x1000, npages=1), tlbflush.TlbflushRange(addr=2)]
        assert device.flush(3, ranges) == 1
        assert device.flush(3, tlbflush.TlbflushAsid) == 0  # no entries: is the type known?
        assert seen == [
            (0, 24, 2, ranges[0].pack() + ranges[1].pack()),
            (1, 8, 0, b""),
        ]
        with pytest.raises(ValueError, match="no entries: pass their struct class"):
            device.flush(3, [])
        with pytest.raises(ValueError, match="entries of one struct class"):
            device.flush(3, [ranges[0], tlbflush.TlbflushAsid()])
        with pytest.raises(ValueError, match="65 entries, more than the 64 it takes"):
            device.flush(3, [tlbflush.TlbflushAsid()] * 65)
        with pytest.raises(ValueError, match="must hold one of TlbflushRange, TlbflushAsid"):
            device.flush(3, [tlbflush.TlbflushFlush()])
    finally:
        device.close()
