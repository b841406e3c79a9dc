#!/usr/bin/env python3
"""The iommufd scenarios of programs/ioas_test.c against the iommufd-shaped test module
(tests/kmod/ioas, /dev/luogen-iommu), through the generated iommufd_uapi package: its object
layer, and its raw layer (struct classes and ioctl numbers, with fcntl.ioctl) only for what the
object layer cannot express (the EMSGSIZE answer it retries past, driver data of a wrong length
or selector).

Runs inside the guest of tests/kmod/test_iommufd_vm.py (the host's Python, chrooted into the
host's root shared over 9p; PYTHONPATH holds generated/iommufd/python). One TAP-like line per
check, "ok N - ..." or "not ok N - ..."; exit status 0 only when every check passed. Stdlib only.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import mmap
import os
import sys
from collections.abc import Callable
from typing import Any

import iommufd_uapi
from iommufd_uapi import (
    IOMMU_HWPT_ALLOC,
    IOMMU_IOAS_IOVA_RANGES,
    Iommufd,
    IommufdHwCapabilities,
    IommufdHwInfoFlags,
    IommufdHwptAllocFlags,
    IommufdHwptGetDirtyBitmapFlags,
    IommufdOption,
    IommuHwInfoArmSmmuv3,
    IommuHwInfoTegra241Cmdqv,
    IommuHwInfoType,
    IommuHwInfoVtd,
    IommuHwptAlloc,
    IommuHwptArmSmmuv3,
    IommuHwptDataType,
    IommuHwptVtdS1,
    IommuHwptVtdS1Flags,
    IommuHwptVtdS1Invalidate,
    IommuHwptVtdS1InvalidateFlags,
    IommuIoasIovaRanges,
    IommuIovaRange,
    IommuViommuArmSmmuv3Invalidate,
    IommuViommuTegra241Cmdqv,
    UnknownData,
    UserBuffer,
)

DEVICE = "/dev/luogen-iommu"
DEV_ID = 1
SMMU_DEV_ID = 2  # an SMMUv3 with the Tegra241 CMDQV extension
NEW_DEV_ID = 3  # a device of a newer kernel's driver
NEW_TYPE = 0x7F  # the type it reports, which no package names
MSI_START, MSI_LAST = 0xFEE00000, 0xFEEFFFFF
NONE = IommufdHwptAllocFlags(0)
VINTF_MMAP_OFFSET = 0x100000  # the module's, plus the parent HWPT's ID in pages
HUGE, RLIMIT = IommufdOption.IOMMU_OPTION_HUGE_PAGES, IommufdOption.IOMMU_OPTION_RLIMIT_MODE


class Tap:
    def __init__(self) -> None:
        self.checks = 0
        self.failures = 0

    def check(self, ok: bool, what: str) -> bool:
        self.checks += 1
        if not ok:
            self.failures += 1
        print(f"{'' if ok else 'not '}ok {self.checks} - {what}", flush=True)
        return ok

    def ok(self, call: Callable[[], Any], what: str) -> Any:
        """call() succeeds; its result (None when it raised)."""
        try:
            result = call()
        except Exception as exc:  # any exception fails
            self.check(False, f"{what} -> {type(exc).__name__}: {exc}")
            return None
        self.check(True, f"{what} -> success")
        return result

    def raises(
        self, call: Callable[[], Any], want: type[BaseException], what: str, code: int = 0
    ) -> None:
        """call() raises `want` (with errno `code` when given)."""
        try:
            call()
        except want as exc:
            got = getattr(exc, "errno", None)
            ok = not code or got == code
            detail = f" {errno.errorcode.get(got, got)}" if got else f": {exc}"
            self.check(ok, f"{what} -> {type(exc).__name__}{detail}")
        except Exception as exc:  # any other exception fails
            self.check(False, f"{what} -> {type(exc).__name__}: {exc} (wanted {want.__name__})")
        else:
            self.check(False, f"{what} -> no exception (wanted {want.__name__})")


def counting(calls: list[int]) -> Callable[[], None]:
    """Counts the ioctls the package makes (its modules' `_ioctl`); returns the undo."""
    real = fcntl.ioctl

    def spy(*args: Any) -> Any:
        calls.append(args[1])
        return real(*args)

    for module in (iommufd_uapi, iommufd_uapi._runtime):
        setattr(module, "_ioctl", spy)  # noqa: B010 (a private name)

    def undo() -> None:
        for module in (iommufd_uapi, iommufd_uapi._runtime):
            setattr(module, "_ioctl", real)  # noqa: B010

    return undo


def raw_ranges(dev: Iommufd, ioas: int, room: int) -> tuple[int, int, list[IommuIovaRange]]:
    """IOMMU_IOAS_IOVA_RANGES through the raw layer: (errno or 0, num_iovas, what was filled)."""
    array = ctypes.create_string_buffer(room * IommuIovaRange.SIZE)
    request = IommuIoasIovaRanges(
        size=IommuIoasIovaRanges.SIZE, ioas_id=ioas, num_iovas=room,
        allowed_iovas=ctypes.addressof(array),
    )  # fmt: skip
    buffer = bytearray(request.pack())
    code = 0
    try:
        fcntl.ioctl(dev.fileno(), IOMMU_IOAS_IOVA_RANGES, buffer, True)
    except OSError as exc:
        code = exc.errno or -1
    answer = IommuIoasIovaRanges.unpack(buffer)
    size = IommuIovaRange.SIZE
    filled = [IommuIovaRange.unpack(array.raw[i * size : (i + 1) * size]) for i in range(room)]
    return code, answer.num_iovas, filled


def raw_hwpt(dev: Iommufd, pt_id: int, data_type: int, data: bytes, length: int) -> int:
    """IOMMU_HWPT_ALLOC through the raw layer: the new ID, or OSError."""
    memory = ctypes.create_string_buffer(data, len(data))
    request = IommuHwptAlloc(
        size=IommuHwptAlloc.SIZE, dev_id=DEV_ID, pt_id=pt_id, data_type=data_type,
        data_len=length, data_uptr=ctypes.addressof(memory),
    )  # fmt: skip
    buffer = bytearray(request.pack())
    fcntl.ioctl(dev.fileno(), IOMMU_HWPT_ALLOC, buffer, True)
    return IommuHwptAlloc.unpack(buffer).out_hwpt_id


def vtd(addr_width: int = 48, **changes: Any) -> IommuHwptVtdS1:
    fields: dict[str, Any] = {
        "flags": IommuHwptVtdS1Flags.IOMMU_VTD_S1_SRE, "pgtbl_addr": 0x12345000,
        "addr_width": addr_width,
    }  # fmt: skip
    return IommuHwptVtdS1(**(fields | changes))


def alloc_and_ranges(t: Tap, dev: Iommufd) -> int:
    ioas = t.ok(dev.ioas_alloc, "ioas_alloc")
    t.check(ioas == 1, f"  ... the first object of the file is ID 1 (got {ioas})")
    second = t.ok(dev.ioas_alloc, "ioas_alloc again")
    t.check(second == 2, f"  ... the next is ID 2 (got {second})")
    code, num, filled = raw_ranges(dev, ioas, 1)
    t.check(code == errno.EMSGSIZE, f"raw IOVA ranges into room for 1 -> EMSGSIZE (got {code})")
    t.check(num == 2, f"  ... the kernel reports the 2 it has (num_iovas {num})")
    t.check(filled == [IommuIovaRange(0, MSI_START - 1)], "  ... and filled what fits")
    got: list[IommuIovaRange] = [IommuIovaRange()]
    calls: list[int] = []
    undo = counting(calls)
    try:
        out = t.ok(lambda: dev.ioas_iova_ranges(ioas, got), "ioas_iova_ranges into a list of 1")
    finally:
        undo()
    want = [IommuIovaRange(0, MSI_START - 1), IommuIovaRange(MSI_LAST + 1, 2**64 - 1)]
    t.check(got == want, f"  ... the list now holds the 2 ranges ({len(got)})")
    t.check(len(calls) == 2, f"  ... asked twice: EMSGSIZE, then with room ({len(calls)})")
    t.check(out is not None and out.out_iova_alignment == 4096, f"  ... alignment ({out})")
    t.raises(lambda: dev.ioas_iova_ranges(77, []), OSError, "IOVA ranges of IOAS 77", errno.ENOENT)
    return ioas


def allow(t: Tap, dev: Iommufd, ioas: int) -> None:
    allowed = [
        IommuIovaRange(0x1000, 0x1FFF), IommuIovaRange(0x100000, 0x1FFFFF),
        IommuIovaRange(1 << 32, (2 << 32) - 1),
    ]  # fmt: skip
    t.ok(lambda: dev.ioas_allow_iovas(ioas, allowed), "ioas_allow_iovas of 3 ranges")
    got: list[IommuIovaRange] = []
    dev.ioas_iova_ranges(ioas, got)
    t.check(got == allowed, "  ... ioas_iova_ranges: the 3")
    bad = [IommuIovaRange(0x2000, 0x1FFF)]
    t.raises(lambda: dev.ioas_allow_iovas(ioas, bad), OSError, "start > last", errno.EINVAL)
    msi = [IommuIovaRange(MSI_START - 1, MSI_START)]
    t.raises(lambda: dev.ioas_allow_iovas(ioas, msi), OSError, "MSI window", errno.EADDRINUSE)
    t.raises(lambda: dev.ioas_allow_iovas(ioas, [(1, 2)]), ValueError, "a tuple for an element")
    t.raises(lambda: dev.ioas_allow_iovas(99, allowed), OSError, "unknown IOAS", errno.ENOENT)
    t.ok(lambda: dev.ioas_allow_iovas(ioas, []), "ioas_allow_iovas of none")
    dev.ioas_iova_ranges(ioas, got)
    t.check(len(got) == 2, f"  ... the whole space again: {len(got)} ranges")


def hwpt(t: Tap, dev: Iommufd, ioas: int) -> int:
    """The nested HWPT's ID."""
    parent_flag = IommufdHwptAllocFlags.IOMMU_HWPT_ALLOC_NEST_PARENT
    plain = t.ok(lambda: dev.hwpt_alloc(NONE, DEV_ID, ioas), "hwpt_alloc, no data")
    parent = t.ok(lambda: dev.hwpt_alloc(parent_flag, DEV_ID, ioas), "hwpt_alloc of a parent")
    nested = t.ok(lambda: dev.hwpt_alloc(NONE, DEV_ID, parent, vtd()), "hwpt_alloc VT-d data")
    t.check(nested is not None and nested > parent, f"  ... nested {nested}, parent {parent}")

    def alloc(data: Any, pt_id: int = parent) -> Callable[[], Any]:
        return lambda: dev.hwpt_alloc(NONE, DEV_ID, pt_id, data)

    t.raises(alloc(vtd(39)), OSError, "VT-d addr_width 39", errno.EINVAL)
    t.raises(alloc(vtd(flags=1 << 7)), OSError, "VT-d unknown flag", errno.EOPNOTSUPP)
    t.raises(alloc(vtd(_reserved=1)), OSError, "VT-d reserved member", errno.EOPNOTSUPP)
    t.raises(alloc(vtd(), plain), OSError, "VT-d data on no nesting parent", errno.EINVAL)
    arm = IommuHwptArmSmmuv3(ste=(1, 2**64 - 1))
    t.check(arm.pack() == bytes([1] + [0] * 7 + [0xFF] * 8), "SMMUv3 ste packs little-endian")
    t.check(IommuHwptArmSmmuv3.unpack(arm.pack()) == arm, "  ... and unpacks to host ints")
    t.raises(alloc(arm), OSError, "SMMUv3 data", errno.EOPNOTSUPP)
    t.raises(alloc(IommuHwInfoVtd()), ValueError, "a struct no selector value names")
    t.raises(lambda: IommuHwptArmSmmuv3(ste=(-1, 0)).pack(), ValueError, "a negative le64")
    data = vtd().pack()
    selector = IommuHwptDataType.IOMMU_HWPT_DATA_VTD_S1
    t.ok(lambda: raw_hwpt(dev, parent, selector, data, 24), "raw: VT-d data of 24 bytes")
    t.raises(lambda: raw_hwpt(dev, parent, selector, data, 16), OSError, "raw: 16", errno.EINVAL)
    t.raises(lambda: raw_hwpt(dev, parent, 7, data, 24), OSError, "raw: selector 7",
             errno.EOPNOTSUPP)  # fmt: skip
    t.raises(lambda: raw_hwpt(dev, parent, 0, data, 24), OSError, "raw: none with 24 bytes",
             errno.EINVAL)  # fmt: skip
    t.raises(lambda: dev.destroy(ioas), OSError, "destroy of the IOAS in use", errno.EBUSY)
    return nested or 0


def hw_info(t: Tap, dev: Iommufd) -> None:
    room = UserBuffer(40)
    flags, any_type = IommufdHwInfoFlags(0), IommuHwInfoType.IOMMU_HW_INFO_TYPE_NONE
    out = t.ok(lambda: dev.get_hw_info(flags, DEV_ID, room, any_type), "get_hw_info into 40")
    vtd_type = IommuHwInfoType.IOMMU_HW_INFO_TYPE_INTEL_VTD
    t.check(out is not None and out.data_len == 24 and out.out_data_type == vtd_type,
            f"  ... VT-d info of 24 bytes ({out})")  # fmt: skip
    caps = IommufdHwCapabilities.IOMMU_HW_CAP_DIRTY_TRACKING
    t.check(out is not None and out.out_capabilities == caps and out.out_max_pasid_log2 == 20,
            "  ... its capabilities and PASID width")  # fmt: skip
    info = IommuHwInfoVtd.unpack(bytes(room)[:24])
    t.check(info.cap_reg == 0x00D2008C40660462 and info.ecap_reg == 0x0F050F8F0C1A,
            f"  ... its registers ({info.cap_reg:#x})")  # fmt: skip
    t.check(bytes(room)[24:] == bytes(16), "  ... the bytes past it zeroed")
    small = bytearray(8)
    out = t.ok(lambda: dev.get_hw_info(flags, DEV_ID, small, any_type), "get_hw_info into 8")
    t.check(out is not None and out.data_len == 24, "  ... 24 reported")
    asked = IommufdHwInfoFlags.IOMMU_HW_INFO_FLAG_INPUT_TYPE
    smmu = IommuHwInfoType.IOMMU_HW_INFO_TYPE_ARM_SMMUV3
    t.raises(lambda: dev.get_hw_info(asked, DEV_ID, room, smmu), OSError, "SMMUv3 info",
             errno.EOPNOTSUPP)  # fmt: skip
    t.raises(lambda: dev.get_hw_info(flags, DEV_ID, b"ro", any_type), ValueError,
             "a read-only buffer")  # fmt: skip


def hw_info_data(t: Tap, dev: Iommufd) -> None:
    """The driver data read as its struct by get_hw_info_data: each type the devices report,
    and one of a newer kernel, which no package names."""
    flags, asked = IommufdHwInfoFlags(0), IommufdHwInfoFlags.IOMMU_HW_INFO_FLAG_INPUT_TYPE
    default = IommuHwInfoType.IOMMU_HW_INFO_TYPE_DEFAULT
    got = t.ok(lambda: dev.get_hw_info_data(flags, DEV_ID, default), "get_hw_info_data")
    info = got[0] if got else None
    t.check(isinstance(info, IommuHwInfoVtd) and info.cap_reg == 0x00D2008C40660462,
            f"  ... an IommuHwInfoVtd with its registers ({info})")  # fmt: skip
    got = t.ok(lambda: dev.get_hw_info_data(flags, SMMU_DEV_ID, default), "of the SMMUv3 device")
    info = got[0] if got else None
    t.check(isinstance(info, IommuHwInfoArmSmmuv3) and info.idr[5] == 0x75 and info.aidr == 2,
            f"  ... an IommuHwInfoArmSmmuv3 ({info})")  # fmt: skip
    cmdqv = IommuHwInfoType.IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV
    got = t.ok(lambda: dev.get_hw_info_data(asked, SMMU_DEV_ID, cmdqv), "asking for CMDQV")
    info = got[0] if got else None
    t.check(isinstance(info, IommuHwInfoTegra241Cmdqv) and info.log2vcmdqs == 7,
            f"  ... an IommuHwInfoTegra241Cmdqv ({info})")  # fmt: skip
    got = t.ok(lambda: dev.get_hw_info_data(flags, NEW_DEV_ID, default), "of a newer type")
    newer = (0x0123456789ABCDEF).to_bytes(8, sys.byteorder)
    t.check(got is not None and got[0] == UnknownData(NEW_TYPE, newer) and got[1].data_len == 8,
            f"  ... UnknownData with its 8 bytes ({got})")  # fmt: skip


def viommu(t: Tap, dev: Iommufd, ioas: int) -> None:
    """vIOMMUs with Tegra241 CMDQV data, which the kernel writes back: viommu_alloc_data returns
    the struct as the kernel left it, viommu_alloc the new ID alone."""
    parent_flag = IommufdHwptAllocFlags.IOMMU_HWPT_ALLOC_NEST_PARENT
    parent = t.ok(lambda: dev.hwpt_alloc(parent_flag, DEV_ID, ioas), "hwpt_alloc of a parent")
    if parent is None:
        return
    asked = IommuViommuTegra241Cmdqv(out_vintf_mmap_offset=0xDEAD)
    written = IommuViommuTegra241Cmdqv(VINTF_MMAP_OFFSET + parent * mmap.PAGESIZE, 0x10000)
    got = t.ok(lambda: dev.viommu_alloc_data(SMMU_DEV_ID, parent, asked), "viommu_alloc_data")
    t.check(got is not None and got[0] == written, f"  ... the struct written back ({got})")
    t.raises(lambda: dev.destroy(parent), OSError, "destroy of the HWPT it holds", errno.EBUSY)
    t.ok(lambda: dev.destroy(got[1]), "destroy of the vIOMMU")
    new = t.ok(lambda: dev.viommu_alloc(SMMU_DEV_ID, parent, asked), "viommu_alloc CMDQV")
    t.check(isinstance(new, int) and new > parent, f"  ... returns the ID alone ({new})")
    t.ok(lambda: dev.destroy(new), "  ... destroyed")
    plain = t.ok(lambda: dev.viommu_alloc_data(SMMU_DEV_ID, parent, None), "SMMUv3, no data")
    t.check(plain is not None and plain[0] is None, f"  ... no struct back ({plain})")
    t.ok(lambda: dev.destroy(plain[1]), "  ... destroyed")
    t.raises(lambda: dev.viommu_alloc(DEV_ID, parent, None), OSError, "for the VT-d device",
             errno.EOPNOTSUPP)  # fmt: skip
    t.raises(lambda: dev.viommu_alloc(SMMU_DEV_ID, ioas, asked), OSError, "on an IOAS",
             errno.EINVAL)  # fmt: skip
    t.raises(lambda: dev.viommu_alloc(SMMU_DEV_ID, parent, vtd()), ValueError, "a VT-d struct")
    t.ok(lambda: dev.destroy(parent), "destroy of the nesting parent, unused again")


def invalidate(t: Tap, dev: Iommufd, ioas: int, nested: int) -> None:
    """Cache invalidation of the nested VT-d HWPT from a list of entries: the method packs them,
    sets the type, the stride and the count, and returns the entries the kernel handled."""
    leaf = IommuHwptVtdS1InvalidateFlags.IOMMU_VTD_INV_FLAGS_LEAF
    inv = [
        IommuHwptVtdS1Invalidate(addr=0x1000, npages=1),
        IommuHwptVtdS1Invalidate(addr=0, npages=2**64 - 1, flags=leaf),
        IommuHwptVtdS1Invalidate(addr=0x3000, npages=2),
    ]
    done = t.ok(lambda: dev.hwpt_invalidate(nested, inv), "hwpt_invalidate of 3 VT-d entries")
    t.check(done == 3, f"  ... all 3 handled ({done})")
    done = t.ok(lambda: dev.hwpt_invalidate(nested, IommuHwptVtdS1Invalidate), "no entries")
    t.check(done == 0, f"  ... none handled: the HWPT takes VT-d entries ({done})")
    bad = [inv[0], IommuHwptVtdS1Invalidate(addr=0x1234, npages=1)]
    t.raises(lambda: dev.hwpt_invalidate(nested, bad), OSError, "entry 1 not 4 KiB aligned",
             errno.EINVAL)  # fmt: skip
    smmu = [IommuViommuArmSmmuv3Invalidate()]
    t.raises(lambda: dev.hwpt_invalidate(nested, smmu), OSError, "SMMUv3 entries for VT-d",
             errno.EINVAL)  # fmt: skip
    t.raises(lambda: dev.hwpt_invalidate(ioas, inv), OSError, "of an IOAS", errno.EINVAL)
    t.raises(lambda: dev.hwpt_invalidate(nested, [inv[0], smmu[0]]), ValueError, "mixed entries")


def options(t: Tap, dev: Iommufd, ioas: int) -> None:
    value = t.ok(lambda: dev.option_get(HUGE, ioas), "option get HUGE_PAGES")
    t.check(value == 1, f"  ... 1 by default (got {value})")
    t.ok(lambda: dev.option_set(HUGE, ioas, 0), "option set HUGE_PAGES 0")
    value = dev.option_get(HUGE, ioas)
    t.check(value == 0, f"  ... get: 0 (got {value})")
    t.raises(lambda: dev.option_set(HUGE, ioas, 2), OSError, "HUGE_PAGES 2", errno.EINVAL)
    t.ok(lambda: dev.option_set(RLIMIT, 0, 1), "option set RLIMIT_MODE 1")
    value = dev.option_get(RLIMIT, 0)
    t.check(value == 1, f"  ... get: 1 (got {value})")
    t.raises(lambda: dev.option_get(RLIMIT, ioas), OSError, "RLIMIT_MODE of an object",
             errno.EINVAL)  # fmt: skip
    t.raises(lambda: dev.option_get(9, 0), OSError, "unknown option 9", errno.EOPNOTSUPP)
    t.raises(lambda: dev.option_set(HUGE, ioas, -1), ValueError, "a negative val64")


def vfio_ioas(t: Tap, dev: Iommufd, ioas: int) -> None:
    """ioas_id by op, one method per op: returned by vfio_ioas_get, taken by vfio_ioas_set."""
    t.raises(lambda: dev.vfio_ioas_get(), OSError, "vfio_ioas_get, none set", errno.ENODEV)
    t.raises(lambda: dev.vfio_ioas_set(4321), OSError, "vfio_ioas_set of 4321", errno.ENOENT)
    t.ok(lambda: dev.vfio_ioas_set(ioas), "vfio_ioas_set")
    got = t.ok(lambda: dev.vfio_ioas_get(), "vfio_ioas_get")
    t.check(got == ioas, f"  ... the IOAS set ({got})")
    t.ok(lambda: dev.vfio_ioas_clear(), "vfio_ioas_clear")
    t.raises(lambda: dev.vfio_ioas_get(), OSError, "  ... then none", errno.ENODEV)


def destroy(t: Tap, dev: Iommufd, nested: int) -> None:
    t.ok(lambda: dev.destroy(nested), "destroy of the nested HWPT")
    t.raises(lambda: dev.destroy(nested), OSError, "  ... twice", errno.ENOENT)
    t.ok(lambda: dev.destroy(2), "destroy of the second IOAS")
    t.raises(lambda: dev.ioas_iova_ranges(2, []), OSError, "  ... its ranges", errno.ENOENT)
    t.raises(lambda: dev.option_get(HUGE, 2), OSError, "  ... its HUGE_PAGES", errno.ENOENT)
    t.raises(lambda: dev.ioas_unmap(1, 0, 4096), OSError, "ioas_unmap", errno.EOPNOTSUPP)


def fault(t: Tap, dev: Iommufd) -> None:
    # out_fault_fd is a __u32 in the header (`fd: true`): the method returns it as an fd.
    out = t.ok(dev.fault_queue_alloc, "fault_queue_alloc")
    if out is None:
        return
    t.check(out.out_fault_id != 0, f"  ... a FAULT object (ID {out.out_fault_id})")
    flags = fcntl.fcntl(out.out_fault_fd, fcntl.F_GETFD)
    t.check(bool(flags & fcntl.FD_CLOEXEC), f"  ... and its close-on-exec fd {out.out_fault_fd}")
    t.check(os.read(out.out_fault_fd, 1) == b"", "  ... which reads no fault")
    os.close(out.out_fault_fd)
    t.ok(lambda: dev.destroy(out.out_fault_id), "destroy of the FAULT")


def dirty(t: Tap, dev: Iommufd, hwpt: int) -> None:
    """hwpt_get_dirty_bitmap into a bytearray and a UserBuffer: every third page's bit; a
    bitmap shorter than the range needs is refused before the ioctl."""
    flags, page = IommufdHwptGetDirtyBitmapFlags(0), 4096
    words = bytearray(24) + b"\xff" * 8
    view = memoryview(words)[:24]
    t.ok(lambda: dev.hwpt_get_dirty_bitmap(hwpt, flags, 0, 130 * page, page, view), "130 pages")
    bits = int.from_bytes(words[:24], "little")
    t.check(
        all((bits >> i & 1) == (i % 3 == 0 and i < 130) for i in range(192)),
        "  ... every third page's bit, none past the 130",
    )
    t.check(words[24:] == b"\xff" * 8, "  ... the bytes past the view untouched")
    pinned = UserBuffer(8)
    t.ok(lambda: dev.hwpt_get_dirty_bitmap(hwpt, flags, 3 * 8192, 64 * 8192, 8192, pinned), "UB")
    t.check(bytes(pinned) == (0x9249249249249249).to_bytes(8, "little"), "  ... from page 3")
    short = bytearray(16)
    t.raises(
        lambda: dev.hwpt_get_dirty_bitmap(hwpt, flags, 0, 130 * page, page, short),
        ValueError,
        "16 bytes for 130 pages",
    )
    t.raises(lambda: dev.hwpt_get_dirty_bitmap(hwpt, flags, 0, page, 0, short), ValueError, "0")
    t.raises(
        lambda: dev.hwpt_get_dirty_bitmap(hwpt, flags, page, page, 2 * page, short),
        OSError,
        "an IOVA not page aligned",
        errno.EINVAL,
    )


def main() -> int:
    t = Tap()
    try:
        dev = Iommufd.open(DEVICE)
    except OSError as exc:
        t.check(False, f"Iommufd.open({DEVICE}) ({exc})")
        return 1
    t.check(True, f"Iommufd.open({DEVICE})")
    with dev:
        ioas = alloc_and_ranges(t, dev)
        allow(t, dev, ioas)
        nested = hwpt(t, dev, ioas)
        dirty(t, dev, nested)
        invalidate(t, dev, ioas, nested)
        hw_info(t, dev)
        hw_info_data(t, dev)
        viommu(t, dev, ioas)
        options(t, dev, ioas)
        vfio_ioas(t, dev, ioas)
        destroy(t, dev, nested)
        fault(t, dev)
        with Iommufd.open(DEVICE) as other:
            got = t.ok(other.ioas_alloc, "a second file's ioas_alloc")
            t.check(got == 1, f"  ... has its own IDs, from 1 (got {got})")
    t.raises(dev.ioas_alloc, ValueError, "ioas_alloc on the closed object")
    print(f"# {t.checks} checks, {t.failures} failed")
    return 1 if t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
