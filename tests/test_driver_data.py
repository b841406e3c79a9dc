"""Driver data (`data` on a `ptr`): the model's spellings, the generated Python package's typed
argument, and the kernel helpers of
tests/golden/driver_data compiled for userspace over stand-ins for the kernel's user-copy
functions that follow their documented contracts (copy_struct_from_user(): a shorter source is
zero-extended, a longer one must be zero beyond the destination, else -E2BIG), then called with
data of every length around the minimum."""

from __future__ import annotations

import ctypes
import dataclasses
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from luogen.cli import main
from luogen.model.kinds.selected import DataLength, DriverData
from luogen.pipeline import load, outputs

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "golden" / "driver_data" / "spec.yaml"


def _members(command: str) -> dict[str, Any]:
    model = load(SPEC)
    (found,) = [c for c in model.commands if c.name == command]
    assert found.struct is not None
    return {m.name: m for m in found.struct.members}


def test_the_pointer_knows_its_selector_length_and_structs() -> None:
    members = _members("table_alloc")
    data, length = members["data_uptr"].kind, members["data_len"].kind
    assert isinstance(data, DriverData) and isinstance(length, DataLength)
    assert data.selector is members["data_type"] and data.length is members["data_len"]
    choices = {c.value.name: c for c in data.choices}
    assert choices["PAGER_TABLE_NONE"].struct is None
    # The whole struct, and offsetofend(struct pager_arm_table, ste) for the one with 'min'.
    assert choices["PAGER_TABLE_VTD"].min_size == 24
    assert choices["PAGER_TABLE_ARM"].min_size == 8
    assert "PAGER_TABLE_VTD: struct pager_vtd_table" in data.kdoc_note
    assert data.c_type == "__aligned_u64"


def test_output_data_reports_its_length() -> None:
    members = _members("get_info")
    data = members["data_uptr"].kind
    assert isinstance(data, DriverData) and not data.direction.kernel_reads
    assert members["data_len"].kind.kdoc_note.endswith("sets it to the length of the data it has.")


_SHIM = r"""
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#define __user
typedef uint32_t u32;
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
static void *u64_to_user_ptr(uint64_t p) { return (void *)(uintptr_t)p; }
static int copy_struct_from_user(void *dst, size_t ksize, const void *src, size_t usize)
{
	size_t i;
	if (usize > ksize)
		for (i = ksize; i < usize; i++)
			if (((const unsigned char *)src)[i])
				return -E2BIG;
	memset(dst, 0, ksize);
	memcpy(dst, src, usize < ksize ? usize : ksize);
	return 0;
}
static unsigned long copy_to_user(void *d, const void *s, unsigned long n)
{ memcpy(d, s, n); return 0; }
static unsigned long clear_user(void *d, unsigned long n) { memset(d, 0, n); return 0; }
"""

_MAIN = r"""
int main(void)
{
	unsigned char user[64];
	struct pager_table_alloc cmd = { .size = sizeof(cmd) };
	struct pager_vtd_table vtd;
	struct pager_arm_table arm;
	struct pager_get_info info = { .size = sizeof(info) };
	struct pager_vtd_info facts = { .flags = 7, .cap_reg = 0x1122334455667788ULL };
	unsigned int len;
	int ret;

	memset(user, 0, sizeof(user));
	cmd.data_uptr = (uintptr_t)user;
	cmd.data_type = PAGER_TABLE_VTD;
	for (len = 0; len <= 32; len += 4) {
		cmd.data_len = len;
		printf("vtd %u %d\n", len, pager_device_table_alloc_vtd_copy_in(&cmd, &vtd));
	}
	cmd.data_len = 24;
	user[0] = 4; /* an unknown flag */
	printf("flag %d\n", pager_device_table_alloc_vtd_copy_in(&cmd, &vtd));
	user[0] = 0;
	user[20] = 1; /* __reserved */
	printf("reserved %d\n", pager_device_table_alloc_vtd_copy_in(&cmd, &vtd));
	user[20] = 0;
	cmd.data_len = 32;
	user[28] = 1; /* beyond the struct */
	printf("tail %d\n", pager_device_table_alloc_vtd_copy_in(&cmd, &vtd));
	memset(user, 0, sizeof(user));
	printf("mismatch %d\n", pager_device_table_alloc_arm_copy_in(&cmd, &arm));
	cmd.data_type = PAGER_TABLE_ARM;
	user[0] = 9;
	user[8] = 0xff;
	cmd.data_len = 8;
	ret = pager_device_table_alloc_arm_copy_in(&cmd, &arm);
	printf("arm8 %d %llu\n", ret, (unsigned long long)arm.ste);
	printf("arm8 hi %llu\n", (unsigned long long)arm.ste_hi);
	cmd.data_len = 7;
	printf("arm7 %d\n", pager_device_table_alloc_arm_copy_in(&cmd, &arm));

	memset(user, 0xaa, sizeof(user));
	info.data_uptr = (uintptr_t)user;
	info.data_len = 12;
	ret = pager_device_get_info_vtd_copy_out(&info, &facts);
	printf("out %d %u %u %u %u\n", ret, info.data_len, info.out_data_type, user[0], user[12]);
	memset(user, 0xaa, sizeof(user));
	info.data_len = 40;
	ret = pager_device_get_info_vtd_copy_out(&info, &facts);
	printf("room %d %u %u %u\n", ret, info.data_len, user[8], user[39]);
	return 0;
}
"""

_EXPECTED = """\
vtd 0 -22
vtd 4 -22
vtd 8 -22
vtd 12 -22
vtd 16 -22
vtd 20 -22
vtd 24 0
vtd 28 0
vtd 32 0
flag -95
reserved -95
tail -7
mismatch -22
arm8 0 9
arm8 hi 0
arm7 -22
out 0 24 1 7 170
room 0 24 136 0
"""


def kernel_helpers_run(
    spec: Path, header: str, program: str, tmp_path: Path, prelude: str = ""
) -> str:
    """What `program` prints, built with gcc -Werror after the spec's uapi header `header`
    and its kernel helpers (_SHIM and `prelude` standing in for the kernel's definitions)."""
    model = load(spec)
    texts = outputs(model, ["uapi"], tmp_path)
    (text,) = [text for path, text in texts.items() if str(path).endswith(f"/{header}")]
    (tmp_path / header).write_text(text)
    helpers = "\n\n".join(model.kernel_data_helpers)
    source = f'{_SHIM}\n{prelude}#include "{header}"\n\n{helpers}\n{program}'
    (tmp_path / "t.c").write_text(source)
    binary = tmp_path / "t"
    subprocess.run(
        ["gcc", "-Wall", "-Werror", "-Wno-unused-function", "-o", binary, tmp_path / "t.c"],
        check=True,
    )
    return subprocess.run([binary], check=True, capture_output=True, text=True).stdout


def test_the_kernel_helpers_copy_the_chosen_struct(tmp_path: Path) -> None:
    assert kernel_helpers_run(SPEC, "pager.h", _MAIN, tmp_path) == _EXPECTED


# --- the Python package ----------------------------------------------------------------------


def generated_package(root: Path, spec: Path, name: str) -> Iterator[ModuleType]:
    """The Python package luogen generates from `spec` (its name `name`) below `root`,
    imported for the length of a fixture."""
    assert main(["generate", "-t", "python", "-o", str(root), str(spec)]) == 0
    init = root / name / "python" / f"{name}_uapi" / "__init__.py"
    module_name = f"_luogen_{name}_uapi"
    loaded = importlib.util.spec_from_file_location(module_name, init)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules[module_name] = module
    try:
        loaded.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[module_name]
        sys.modules.pop(f"{module_name}._runtime", None)


@pytest.fixture(scope="module")
def pager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated_package(tmp_path_factory.mktemp("pager"), SPEC, "pager")


def test_python_takes_the_struct_and_sets_selector_pointer_and_length(
    monkeypatch: pytest.MonkeyPatch, pager: ModuleType
) -> None:
    seen: list[tuple[int, int, bytes]] = []

    def kernel(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        cmd = pager.PagerTableAlloc.unpack(bytes(request))
        data = ctypes.string_at(cmd.data_uptr, cmd.data_len) if cmd.data_uptr else b""
        seen.append((int(cmd.data_type), cmd.data_len, data))
        return 0

    monkeypatch.setattr(pager, "_ioctl", kernel)
    device = pager.Pager(os.open("/dev/null", os.O_RDWR))
    try:
        vtd = pager.PagerVtdTable(flags=pager.PagerVtdFlags.PAGER_VTD_SRE, addr_width=48)
        device.table_alloc(0, vtd)
        device.table_alloc(0, pager.PagerArmTable(ste=9))
        device.table_alloc(0, None)
        assert seen == [
            (1, 24, vtd.pack()),
            (2, 16, pager.PagerArmTable(ste=9).pack()),
            (0, 0, b""),
        ]
        with pytest.raises(ValueError, match="data_uptr must be one of None, PagerVtdTable"):
            device.table_alloc(0, pager.PagerVtdInfo())
        assert len(seen) == 3
    finally:
        device.close()


def test_python_reads_output_data_as_the_struct_its_selector_names(
    monkeypatch: pytest.MonkeyPatch, pager: ModuleType
) -> None:
    """get_info_data gives the kernel room for the largest struct and reads what it wrote: the
    struct of the selector value, None for a value without data, UnknownData (the bytes written,
    no more than the room) for a value the package does not know."""
    answers: list[tuple[int, bytes]] = []  # (selector, data) the fake kernel writes
    rooms: list[int] = []

    def kernel(fd: int, number: int, request: bytearray, mutate: bool) -> int:
        cmd = pager.PagerGetInfo.unpack(bytes(request))
        rooms.append(cmd.data_len)
        selector, data = answers.pop(0)
        ctypes.memmove(cmd.data_uptr, data, min(len(data), cmd.data_len))
        answer = dataclasses.replace(cmd, data_len=len(data), out_data_type=selector)
        request[:] = answer.pack()
        return 0

    monkeypatch.setattr(pager, "_ioctl", kernel)
    device = pager.Pager(os.open("/dev/null", os.O_RDWR))
    info = pager.PagerVtdInfo(flags=3, cap_reg=0x1122, ecap_reg=0x3344)
    try:
        answers[:] = [(1, info.pack()), (1, info.pack()[:16]), (0, b""), (9, bytes(range(30)))]
        data, out = device.get_info_data(7)
        assert (data, out.data_len, out.out_data_type) == (info, 24, 1)
        data, out = device.get_info_data(7)  # an older kernel's shorter struct: zero-extended
        assert data == dataclasses.replace(info, ecap_reg=0) and out.data_len == 16
        assert device.get_info_data(7)[0] is None
        data, out = device.get_info_data(7)
        assert data == pager.UnknownData(9, bytes(range(24))) and out.data_len == 30
        assert rooms == [24, 24, 24, 24]
    finally:
        device.close()
