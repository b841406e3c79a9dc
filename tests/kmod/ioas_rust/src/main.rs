//! The iommufd scenarios of programs/ioas_test.c against the iommufd-shaped test module
//! (tests/kmod/ioas, /dev/luogen-iommu), through the SAFE layer of the generated iommufd crate;
//! the raw layer only for what the safe one cannot express (driver data of a wrong length or
//! selector). One TAP-like line per check ("ok N - ..." / "not ok N - ..."); exit status 0 only
//! when every check passed. Built static by tests/kmod/test_iommufd_vm.py.

use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::process::ExitCode;

use iommufd_uapi::{
    iommu_hwpt_alloc, IommuHwInfoData, IommuHwInfoType, IommuHwInfoVtdFlags, IommuHwptAlloc,
    IommuHwptAllocData, IommuHwptArmSmmuv3, IommuHwptDataType, IommuHwptInvalidateData,
    IommuHwptVtdS1, IommuHwptVtdS1Flags, IommuHwptVtdS1Invalidate, IommuHwptVtdS1InvalidateFlags,
    IommuIovaRange, IommuViommuAllocData, IommuViommuArmSmmuv3Invalidate, IommuViommuTegra241Cmdqv,
    Iommufd, IommufdHwCapabilities, IommufdHwInfoFlags, IommufdHwptAllocFlags,
    IommufdHwptGetDirtyBitmapFlags, IommufdOption, Le64,
};

const DEVICE: &str = "/dev/luogen-iommu";
const DEV_ID: u32 = 1;
const SMMU_DEV_ID: u32 = 2; // an SMMUv3 with the Tegra241 CMDQV extension
const NEW_DEV_ID: u32 = 3; // a device of a newer kernel's driver
const NEW_TYPE: u32 = 0x7f; // the type it reports, which no crate names
const MSI_START: u64 = 0xfee0_0000;
const MSI_LAST: u64 = 0xfeef_ffff;
// The VINTF mmap offset the module writes back: this, plus the parent HWPT's ID in pages (the
// guest's are 4 KiB).
const VINTF_MMAP_OFFSET: u64 = 0x10_0000;
const PAGE_SIZE: u64 = 4096;

const ENOENT: i32 = 2;
const ENODEV: i32 = 19;
const EBUSY: i32 = 16;
const EINVAL: i32 = 22;
const ENOTTY: i32 = 25;
const EMSGSIZE: i32 = 90;
const EOPNOTSUPP: i32 = 95;
const EADDRINUSE: i32 = 98;

#[derive(Default)]
struct Tap {
    checks: u32,
    failures: u32,
}

impl Tap {
    fn check(&mut self, ok: bool, what: impl AsRef<str>) -> bool {
        self.checks += 1;
        if !ok {
            self.failures += 1;
        }
        let not = if ok { "" } else { "not " };
        println!("{not}ok {} - {}", self.checks, what.as_ref());
        ok
    }

    /// `result` succeeded; its value, if so.
    fn ok<T>(&mut self, result: io::Result<T>, what: &str) -> Option<T> {
        match result {
            Ok(value) => {
                self.check(true, format!("{what} -> success"));
                Some(value)
            }
            Err(e) => {
                self.check(false, format!("{what} -> success (got {e})"));
                None
            }
        }
    }

    /// `result` failed with errno `want`.
    fn errno<T>(&mut self, result: io::Result<T>, want: i32, what: &str) {
        let got = match &result {
            Ok(_) => "success".to_string(),
            Err(e) => format!("{:?}", e.raw_os_error()),
        };
        let ok = result.err().and_then(|e| e.raw_os_error()) == Some(want);
        self.check(ok, format!("{what} -> errno {want} (got {got})"));
    }
}

fn range(start: u64, last: u64) -> IommuIovaRange {
    IommuIovaRange { start, last }
}

fn vtd(addr_width: u32) -> IommuHwptVtdS1 {
    IommuHwptVtdS1 {
        flags: IommuHwptVtdS1Flags::IOMMU_VTD_S1_SRE,
        pgtbl_addr: 0x1234_5000,
        addr_width,
        ..IommuHwptVtdS1::ZERO
    }
}

/// IOMMU_HWPT_ALLOC through the raw layer: driver data the safe layer's enum cannot spell.
fn raw_hwpt(dev: &Iommufd, pt_id: u32, data_type: u32, data: &[u8], len: u32) -> io::Result<u32> {
    let mut arg = IommuHwptAlloc {
        size: IommuHwptAlloc::SIZE,
        dev_id: DEV_ID,
        pt_id,
        data_type: IommuHwptDataType(data_type),
        data_len: len,
        data_uptr: data.as_ptr() as usize as u64,
        ..IommuHwptAlloc::ZERO
    };
    assert!(len as usize <= data.len());
    // SAFETY: `arg` is a valid IommuHwptAlloc of its own size; data_uptr points to `len`
    // readable bytes.
    if unsafe { iommu_hwpt_alloc(dev.as_raw_fd(), &mut arg) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(arg.out_hwpt_id)
}

fn alloc_and_ranges(t: &mut Tap, dev: &Iommufd) -> u32 {
    let ioas = t.ok(dev.ioas_alloc(), "ioas_alloc").unwrap_or(0);
    t.check(
        ioas == 1,
        format!("  ... the first object of the file is ID 1 (got {ioas})"),
    );
    let second = t.ok(dev.ioas_alloc(), "ioas_alloc again").unwrap_or(0);
    t.check(
        second == 2,
        format!("  ... the next is ID 2 (got {second})"),
    );

    let mut one = [IommuIovaRange::ZERO; 1];
    t.errno(
        dev.ioas_iova_ranges(ioas, &mut one),
        EMSGSIZE,
        "ioas_iova_ranges into 1",
    );
    t.check(
        one[0] == range(0, MSI_START - 1),
        "  ... the kernel filled what fits",
    );
    let mut four = [IommuIovaRange::ZERO; 4];
    let out = t.ok(
        dev.ioas_iova_ranges(ioas, &mut four),
        "ioas_iova_ranges into 4",
    );
    let num = out.as_ref().map_or(0, |o| o.num_iovas);
    let alignment = out.as_ref().map_or(0, |o| o.out_iova_alignment);
    t.check(
        num == 2 && alignment == 4096,
        format!("  ... {num} ranges, alignment {alignment}"),
    );
    let vec = t.ok(
        dev.ioas_iova_ranges_vec(ioas),
        "ioas_iova_ranges_vec (asks again)",
    );
    let want = [range(0, MSI_START - 1), range(MSI_LAST + 1, u64::MAX)];
    t.check(
        vec.is_some_and(|(v, _)| v == want),
        "  ... the 2 ranges around the MSI window",
    );
    t.errno(
        dev.ioas_iova_ranges_vec(77),
        ENOENT,
        "ioas_iova_ranges_vec of an unknown IOAS",
    );
    ioas
}

fn allow(t: &mut Tap, dev: &Iommufd, ioas: u32) {
    let allowed = [
        range(0x1000, 0x1fff),
        range(0x10_0000, 0x1f_ffff),
        range(1 << 32, (2 << 32) - 1),
    ];
    t.ok(
        dev.ioas_allow_iovas(ioas, &allowed),
        "ioas_allow_iovas of 3 ranges",
    );
    let got = dev.ioas_iova_ranges_vec(ioas).map(|(v, _)| v);
    t.check(
        got.as_deref().ok() == Some(&allowed[..]),
        "  ... ioas_iova_ranges_vec: the 3",
    );
    let mut two = [IommuIovaRange::ZERO; 2];
    t.errno(
        dev.ioas_iova_ranges(ioas, &mut two),
        EMSGSIZE,
        "  ... into a slice of 2",
    );
    t.errno(
        dev.ioas_allow_iovas(ioas, &[range(0x2000, 0x1fff)]),
        EINVAL,
        "ioas_allow_iovas of a range with start > last",
    );
    t.errno(
        dev.ioas_allow_iovas(ioas, &[range(MSI_LAST, MSI_LAST + 1)]),
        EADDRINUSE,
        "ioas_allow_iovas of a range meeting the MSI window",
    );
    t.errno(
        dev.ioas_allow_iovas(99, &allowed),
        ENOENT,
        "ioas_allow_iovas of an unknown IOAS",
    );
    t.ok(dev.ioas_allow_iovas(ioas, &[]), "ioas_allow_iovas of none");
    let count = dev.ioas_iova_ranges_vec(ioas).map_or(0, |(v, _)| v.len());
    t.check(
        count == 2,
        format!("  ... the whole space again: {count} ranges"),
    );
}

/// The nested HWPT's ID.
fn hwpt(t: &mut Tap, dev: &Iommufd, ioas: u32) -> u32 {
    let none = IommufdHwptAllocFlags::EMPTY;
    let parent_flag = IommufdHwptAllocFlags::IOMMU_HWPT_ALLOC_NEST_PARENT;
    let data = IommuHwptAllocData::None;
    let plain = t.ok(
        dev.hwpt_alloc(none, DEV_ID, ioas, &data, 0),
        "hwpt_alloc, no data",
    );
    let parent = t.ok(
        dev.hwpt_alloc(parent_flag, DEV_ID, ioas, &data, 0),
        "hwpt_alloc parent",
    );
    let parent = parent.unwrap_or(0);
    let good = IommuHwptAllocData::VtdS1(vtd(48));
    let nested = t.ok(
        dev.hwpt_alloc(none, DEV_ID, parent, &good, 0),
        "hwpt_alloc VtdS1 data",
    );
    let nested = nested.unwrap_or(0);
    t.check(
        nested > parent,
        format!("  ... nested ID {nested} after its parent {parent}"),
    );
    let wide = IommuHwptAllocData::VtdS1(IommuHwptVtdS1 {
        addr_width: 39,
        ..vtd(48)
    });
    t.errno(
        dev.hwpt_alloc(none, DEV_ID, parent, &wide, 0),
        EINVAL,
        "VtdS1 addr_width 39",
    );
    let flags = IommuHwptVtdS1Flags(1 << 7);
    let bad = IommuHwptAllocData::VtdS1(IommuHwptVtdS1 { flags, ..vtd(48) });
    t.errno(
        dev.hwpt_alloc(none, DEV_ID, parent, &bad, 0),
        EOPNOTSUPP,
        "VtdS1 unknown flag",
    );
    let reserved = IommuHwptAllocData::VtdS1(IommuHwptVtdS1 {
        __reserved: 1,
        ..vtd(57)
    });
    t.errno(
        dev.hwpt_alloc(none, DEV_ID, parent, &reserved, 0),
        EOPNOTSUPP,
        "VtdS1 reserved",
    );
    let on_plain = dev.hwpt_alloc(none, DEV_ID, plain.unwrap_or(0), &good, 0);
    t.errno(
        on_plain,
        EINVAL,
        "VtdS1 data on a HWPT that is no nesting parent",
    );
    let ste = IommuHwptArmSmmuv3 {
        ste: [Le64::new(0x1), Le64::new(0x2)],
    };
    t.check(
        ste.ste[1].get() == 2,
        "Le64 holds the host value it was given",
    );
    let arm = IommuHwptAllocData::ArmSmmuv3(ste);
    t.errno(
        dev.hwpt_alloc(none, DEV_ID, parent, &arm, 0),
        EOPNOTSUPP,
        "ArmSmmuv3 data",
    );
    t.errno(
        dev.hwpt_alloc(none, 7, parent, &good, 0),
        ENOENT,
        "hwpt_alloc of device 7",
    );

    // The raw layer: the lengths and selectors the safe layer's enum never produces.
    let bytes = vtd(48);
    // SAFETY: IommuHwptVtdS1 is plain data of 24 bytes, read as bytes.
    let bytes: [u8; 24] = unsafe { core::mem::transmute(bytes) };
    let vtd_s1 = IommuHwptDataType::IOMMU_HWPT_DATA_VTD_S1.0;
    t.ok(
        raw_hwpt(dev, parent, vtd_s1, &bytes, 24),
        "raw: VT-d data of 24 bytes",
    );
    t.errno(
        raw_hwpt(dev, parent, vtd_s1, &bytes, 16),
        EINVAL,
        "raw: VT-d data of 16 bytes",
    );
    t.errno(
        raw_hwpt(dev, parent, 7, &bytes, 24),
        EOPNOTSUPP,
        "raw: unknown selector 7",
    );
    t.errno(
        raw_hwpt(dev, parent, 0, &bytes, 24),
        EINVAL,
        "raw: no selector with data_len 24",
    );
    t.errno(
        dev.destroy(ioas),
        EBUSY,
        "destroy of the IOAS its HWPTs use",
    );
    nested
}

fn hw_info(t: &mut Tap, dev: &Iommufd) {
    let flags = IommufdHwInfoFlags::EMPTY;
    let mut room = [0xaa_u8; 40];
    let any = IommuHwInfoType::IOMMU_HW_INFO_TYPE_NONE;
    let out = t.ok(
        dev.get_hw_info(flags, DEV_ID, &mut room, any),
        "get_hw_info into 40 bytes",
    );
    let vtd_type = IommuHwInfoType::IOMMU_HW_INFO_TYPE_INTEL_VTD;
    if let Some(out) = out {
        t.check(
            out.data_len == 24 && out.out_data_type == vtd_type,
            "  ... VT-d info, 24 bytes",
        );
        let caps = IommufdHwCapabilities::IOMMU_HW_CAP_DIRTY_TRACKING;
        t.check(
            out.out_capabilities == caps && out.out_max_pasid_log2 == 20,
            "  ... its caps",
        );
    } else {
        t.check(false, "  ... VT-d info, 24 bytes");
        t.check(false, "  ... its caps");
    }
    t.check(
        room[24..].iter().all(|&b| b == 0),
        "  ... the bytes past the info zeroed",
    );
    let asked = IommufdHwInfoFlags::IOMMU_HW_INFO_FLAG_INPUT_TYPE;
    let smmu = IommuHwInfoType::IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
    t.errno(
        dev.get_hw_info(asked, DEV_ID, &mut room, smmu),
        EOPNOTSUPP,
        "get_hw_info of SMMUv3",
    );
    t.errno(
        dev.get_hw_info(flags, 5, &mut room, any),
        ENOENT,
        "get_hw_info of device 5",
    );
}

/// The driver data read as its struct by `get_hw_info_data`: each type the devices report, and
/// one of a newer kernel, which no crate names.
fn hw_info_data(t: &mut Tap, dev: &Iommufd) {
    let (flags, asked) = (
        IommufdHwInfoFlags::EMPTY,
        IommufdHwInfoFlags::IOMMU_HW_INFO_FLAG_INPUT_TYPE,
    );
    let any = IommuHwInfoType::IOMMU_HW_INFO_TYPE_DEFAULT;
    let got = t.ok(dev.get_hw_info_data(flags, DEV_ID, any), "get_hw_info_data");
    let vtd = got.map(|(data, _)| data);
    t.check(
        matches!(vtd, Some(IommuHwInfoData::IntelVtd(info))
            if info.cap_reg == 0x00d2_008c_4066_0462 && info.ecap_reg == 0x0f05_0f8f_0c1a
                && info.flags == IommuHwInfoVtdFlags::IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17),
        "  ... IntelVtd with its registers",
    );
    let got = t.ok(
        dev.get_hw_info_data(flags, SMMU_DEV_ID, any),
        "get_hw_info_data of the SMMUv3 device",
    );
    t.check(
        matches!(&got, Some((IommuHwInfoData::ArmSmmuv3(info), out))
            if info.idr[5] == 0x75 && info.iidr == 0x4b1 && out.data_len == 40),
        "  ... ArmSmmuv3, 40 bytes",
    );
    let cmdqv = IommuHwInfoType::IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV;
    let got = t.ok(
        dev.get_hw_info_data(asked, SMMU_DEV_ID, cmdqv),
        "get_hw_info_data asking for CMDQV",
    );
    t.check(
        matches!(got, Some((IommuHwInfoData::Tegra241Cmdqv(info), _))
            if info.version == 1 && info.log2vcmdqs == 7 && info.log2vsids == 4),
        "  ... Tegra241Cmdqv",
    );
    let newer = IommuHwInfoType(NEW_TYPE);
    let got = t.ok(
        dev.get_hw_info_data(flags, NEW_DEV_ID, any),
        "get_hw_info_data of a newer kernel's type",
    );
    let bytes = 0x0123_4567_89ab_cdef_u64.to_ne_bytes().to_vec();
    t.check(
        matches!(got, Some((IommuHwInfoData::Unknown(selector, data), _))
            if selector == newer && data == bytes),
        "  ... Unknown, with its 8 bytes",
    );
}

/// vIOMMUs with Tegra241 CMDQV data, which the kernel writes back: into the caller's `&mut`
/// (`viommu_alloc`) or returned (`viommu_alloc_data`).
fn viommu(t: &mut Tap, dev: &Iommufd, ioas: u32) {
    let parent_flag = IommufdHwptAllocFlags::IOMMU_HWPT_ALLOC_NEST_PARENT;
    let no_data = IommuHwptAllocData::None;
    let Some(parent) = t.ok(
        dev.hwpt_alloc(parent_flag, DEV_ID, ioas, &no_data, 0),
        "hwpt_alloc parent for vIOMMUs",
    ) else {
        return;
    };
    let asked = IommuViommuTegra241Cmdqv {
        out_vintf_mmap_offset: 0xdead,
        ..IommuViommuTegra241Cmdqv::ZERO
    };
    let written = IommuViommuAllocData::Tegra241Cmdqv(IommuViommuTegra241Cmdqv {
        out_vintf_mmap_offset: VINTF_MMAP_OFFSET + u64::from(parent) * PAGE_SIZE,
        out_vintf_mmap_length: 0x1_0000,
    });
    let mut data = IommuViommuAllocData::Tegra241Cmdqv(asked);
    let id = t.ok(
        dev.viommu_alloc(SMMU_DEV_ID, parent, &mut data),
        "viommu_alloc Tegra241Cmdqv data",
    );
    t.check(
        data == written,
        format!("  ... written back into the caller's data ({data:?})"),
    );
    t.errno(
        dev.destroy(parent),
        EBUSY,
        "destroy of the HWPT the vIOMMU holds",
    );
    t.ok(dev.destroy(id.unwrap_or(0)), "destroy of the vIOMMU");
    let asked = IommuViommuAllocData::Tegra241Cmdqv(asked);
    if let Some((back, id)) = t.ok(
        dev.viommu_alloc_data(SMMU_DEV_ID, parent, asked),
        "viommu_alloc_data Tegra241Cmdqv",
    ) {
        t.check(
            back == written,
            format!("  ... returned as the kernel wrote it back ({back:?})"),
        );
        t.ok(dev.destroy(id), "destroy of the second vIOMMU");
    }
    let mut plain = IommuViommuAllocData::ArmSmmuv3;
    let id = t.ok(
        dev.viommu_alloc(SMMU_DEV_ID, parent, &mut plain),
        "viommu_alloc ArmSmmuv3, no data",
    );
    t.ok(dev.destroy(id.unwrap_or(0)), "  ... destroyed");
    t.errno(
        dev.viommu_alloc(DEV_ID, parent, &mut plain),
        EOPNOTSUPP,
        "viommu_alloc for the VT-d device",
    );
    t.errno(
        dev.viommu_alloc(SMMU_DEV_ID, ioas, &mut plain),
        EINVAL,
        "viommu_alloc on an IOAS, no nesting parent",
    );
    t.ok(
        dev.destroy(parent),
        "destroy of the nesting parent, unused again",
    );
}

/// Cache invalidation of the nested VT-d HWPT from a slice of entries, no `unsafe`: the method
/// sets the type, the stride and the count, and returns the entries the kernel handled.
fn invalidate(t: &mut Tap, dev: &Iommufd, ioas: u32, nested: u32) {
    let entry = |addr: u64, npages: u64| IommuHwptVtdS1Invalidate {
        addr,
        npages,
        ..IommuHwptVtdS1Invalidate::ZERO
    };
    let mut inv = [entry(0x1000, 1), entry(0, u64::MAX), entry(0x3000, 2)];
    inv[1].flags = IommuHwptVtdS1InvalidateFlags::IOMMU_VTD_INV_FLAGS_LEAF;
    let done = t.ok(
        dev.hwpt_invalidate(nested, &IommuHwptInvalidateData::HwptVtdS1(&inv)),
        "hwpt_invalidate of 3 VT-d entries",
    );
    t.check(done == Some(3), format!("  ... all 3 handled ({done:?})"));
    let none = IommuHwptInvalidateData::HwptVtdS1(&[]);
    let done = t.ok(
        dev.hwpt_invalidate(nested, &none),
        "no entries: the nested HWPT takes VT-d entries",
    );
    t.check(done == Some(0), format!("  ... none handled ({done:?})"));
    inv[1].addr = 0x1234;
    t.errno(
        dev.hwpt_invalidate(nested, &IommuHwptInvalidateData::HwptVtdS1(&inv)),
        EINVAL,
        "entry 1 not 4 KiB aligned (the driver's own check)",
    );
    inv[1].addr = 0;
    inv[2].__reserved = 1;
    t.errno(
        dev.hwpt_invalidate(nested, &IommuHwptInvalidateData::HwptVtdS1(&inv)),
        EOPNOTSUPP,
        "entry 2 with a non-zero reserved member",
    );
    let smmu = [IommuViommuArmSmmuv3Invalidate::ZERO];
    t.errno(
        dev.hwpt_invalidate(nested, &IommuHwptInvalidateData::ViommuArmSmmuv3(&smmu)),
        EINVAL,
        "SMMUv3 entries for the VT-d HWPT",
    );
    t.errno(
        dev.hwpt_invalidate(ioas, &none),
        EINVAL,
        "hwpt_invalidate of an IOAS",
    );
}

fn options(t: &mut Tap, dev: &Iommufd, ioas: u32) {
    let huge = IommufdOption::IOMMU_OPTION_HUGE_PAGES;
    let rlimit = IommufdOption::IOMMU_OPTION_RLIMIT_MODE;
    let value = dev.option_get(huge, ioas);
    t.check(
        value.as_ref().ok() == Some(&1),
        format!("option get HUGE_PAGES: 1 ({value:?})"),
    );
    t.ok(dev.option_set(huge, ioas, 0), "option set HUGE_PAGES 0");
    let value = dev.option_get(huge, ioas);
    t.check(
        value.as_ref().ok() == Some(&0),
        format!("  ... get: 0 ({value:?})"),
    );
    t.errno(
        dev.option_set(huge, ioas, 2),
        EINVAL,
        "option set HUGE_PAGES 2",
    );
    t.ok(dev.option_set(rlimit, 0, 1), "option set RLIMIT_MODE 1");
    let value = dev.option_get(rlimit, 0);
    t.check(
        value.as_ref().ok() == Some(&1),
        format!("  ... get: 1 ({value:?})"),
    );
    t.errno(
        dev.option_get(rlimit, ioas),
        EINVAL,
        "RLIMIT_MODE with an object ID",
    );
    t.errno(
        dev.option_get(IommufdOption(9), 0),
        EOPNOTSUPP,
        "unknown option 9",
    );
}

/// ioas_id by op, one method per op: an output of vfio_ioas_get, an input of vfio_ioas_set.
fn vfio_ioas(t: &mut Tap, dev: &Iommufd, ioas: u32) {
    t.errno(dev.vfio_ioas_get(), ENODEV, "vfio_ioas_get, none set");
    t.errno(
        dev.vfio_ioas_set(4321),
        ENOENT,
        "vfio_ioas_set of an unknown IOAS",
    );
    t.ok(dev.vfio_ioas_set(ioas), "vfio_ioas_set");
    let got = dev.vfio_ioas_get();
    t.check(
        got.as_ref().ok() == Some(&ioas),
        format!("  ... vfio_ioas_get: {ioas} ({got:?})"),
    );
    t.ok(dev.vfio_ioas_clear(), "vfio_ioas_clear");
    t.errno(
        dev.vfio_ioas_get(),
        ENODEV,
        "  ... then vfio_ioas_get: none",
    );
}

fn destroy(t: &mut Tap, dev: &Iommufd, nested: u32) {
    t.ok(dev.destroy(nested), "destroy of the nested HWPT");
    t.errno(dev.destroy(nested), ENOENT, "  ... twice");
    t.ok(dev.destroy(2), "destroy of the second IOAS");
    t.errno(dev.ioas_iova_ranges_vec(2), ENOENT, "  ... its ranges");
    let huge = IommufdOption::IOMMU_OPTION_HUGE_PAGES;
    t.errno(dev.option_get(huge, 2), ENOENT, "  ... its HUGE_PAGES");
    t.errno(
        dev.ioas_unmap(1, 0, 4096),
        EOPNOTSUPP,
        "ioas_unmap (no handler here)",
    );
    t.errno(dev.vdevice_alloc(1, DEV_ID, 0), EOPNOTSUPP, "vdevice_alloc");
}

/// out_fault_fd is a __u32 in the header (`fd: true`): the safe layer hands it over owned.
fn fault(t: &mut Tap, dev: &Iommufd) {
    let Some(out) = t.ok(dev.fault_queue_alloc(), "fault_queue_alloc") else {
        return;
    };
    let id = out.out_fault_id;
    t.check(id != 0, format!("  ... a FAULT object (ID {id})"));
    let mut file = std::fs::File::from(out.out_fault_fd);
    let mut byte = [0u8; 1];
    let read = file.read(&mut byte);
    t.check(
        matches!(read, Ok(0)),
        format!("  ... and its OwnedFd, which reads no fault ({read:?})"),
    );
    drop(file);
    t.ok(dev.destroy(id), "destroy of the FAULT");
}

/// IOMMU_HWPT_GET_DIRTY_BITMAP into a slice of words, no `unsafe`: the module reports every
/// third page dirty; a slice shorter than the range needs is refused before the ioctl.
fn dirty(t: &mut Tap, dev: &Iommufd, hwpt: u32) {
    let flags = IommufdHwptGetDirtyBitmapFlags::EMPTY;
    let page = 4096u64;
    let mut words = [0u64, 0, 0, u64::MAX];
    let got = dev.hwpt_get_dirty_bitmap(hwpt, flags, 0, 130 * page, page, &mut words[..3]);
    t.ok(got, "hwpt_get_dirty_bitmap of 130 pages into 3 words");
    let every_third = (0..130).all(|i| ((words[i / 64] >> (i % 64)) & 1 == 1) == (i % 3 == 0));
    t.check(
        every_third && words[2] >> 2 == 0,
        "  ... every third page's bit, none past them",
    );
    t.check(
        words[3] == u64::MAX,
        "  ... the word past the slice untouched",
    );
    let short = dev.hwpt_get_dirty_bitmap(hwpt, flags, 0, 130 * page, page, &mut words[..2]);
    let refused = short.as_ref().err().map(|e| (e.kind(), e.raw_os_error()));
    t.check(
        refused == Some((io::ErrorKind::InvalidInput, None)),
        format!("2 words for 130 pages: refused before the ioctl ({short:?})"),
    );
    let zero = dev.hwpt_get_dirty_bitmap(hwpt, flags, 0, page, 0, &mut words);
    t.check(
        zero.as_ref().is_err_and(|e| e.raw_os_error().is_none()),
        format!("a page size of 0: refused before the ioctl ({zero:?})"),
    );
    let mut one = [0u64];
    let unaligned = dev.hwpt_get_dirty_bitmap(hwpt, flags, page, page, 2 * page, &mut one);
    t.errno(unaligned, EINVAL, "an IOVA not page aligned");
    t.errno(
        dev.hwpt_get_dirty_bitmap(1234, flags, 0, page, page, &mut one),
        ENOENT,
        "an unknown HWPT",
    );
}

fn main() -> ExitCode {
    let mut t = Tap::default();
    let dev = match Iommufd::open(DEVICE) {
        Ok(dev) => dev,
        Err(e) => {
            t.check(false, format!("open {DEVICE} ({e})"));
            return ExitCode::FAILURE;
        }
    };
    t.check(true, format!("open {DEVICE}"));
    let ioas = alloc_and_ranges(&mut t, &dev);
    allow(&mut t, &dev, ioas);
    let nested = hwpt(&mut t, &dev, ioas);
    dirty(&mut t, &dev, nested);
    invalidate(&mut t, &dev, ioas, nested);
    hw_info(&mut t, &dev);
    hw_info_data(&mut t, &dev);
    viommu(&mut t, &dev, ioas);
    options(&mut t, &dev, ioas);
    vfio_ioas(&mut t, &dev, ioas);
    destroy(&mut t, &dev, nested);
    fault(&mut t, &dev);
    let other = Iommufd::open(DEVICE).and_then(|o| o.ioas_alloc());
    t.check(
        other.as_ref().ok() == Some(&1),
        format!("a second file has its own IDs ({other:?})"),
    );
    t.errno(
        Iommufd::open("/dev/null").and_then(|d| d.ioas_alloc()),
        ENOTTY,
        "/dev/null",
    );
    println!("# {} checks, {} failed", t.checks, t.failures);
    if t.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
