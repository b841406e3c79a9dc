// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace test of the iommufd-shaped test module (tests/kmod/ioas,
 * /dev/luogen-iommu) through luogen's generated <linux/iommufd.h> only: IOAS
 * IDs, the IOVA ranges query protocol (-EMSGSIZE with the count the kernel
 * has, then a retry with room for it), allowed IOVAs and their element
 * checks, HWPT allocation with VT-d stage-1 driver data, the hardware info,
 * vIOMMU allocation with Tegra241 CMDQV data the kernel writes back, cache
 * invalidation with arrays of VT-d entries, options,
 * destroy, and numbers the module does not carry out. One line per
 * check: "ok N - ..." or "not ok N - ...". Exit status 0 only when every
 * check passed.
 *
 * Build: gcc -static -O2 -Wall -Wextra -I generated/iommufd/include/uapi ioas_test.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>

#include "checks.h"

#define DEVICE "/dev/luogen-iommu"
#define DEV_ID 1
#define SMMU_DEV_ID 2	/* an SMMUv3 with the Tegra241 CMDQV extension */
#define NEW_DEV_ID 3	/* a device of a newer kernel's driver */
#define NEW_TYPE 0x7f	/* the type it reports, which no header names */
#define MSI_START 0xfee00000ULL
#define MSI_LAST 0xfeefffffULL
#define PTR(p) ((__u64)(uintptr_t)(p))
#define VINTF_MMAP_OFFSET 0x100000ULL	/* the module's, plus the parent's ID in pages */

static __u32 ioas_alloc(int fd, int *ret)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	*ret = call(fd, IOMMU_IOAS_ALLOC, &cmd);
	return cmd.out_ioas_id;
}

static int ranges(int fd, __u32 ioas, struct iommu_iova_range *out, __u32 *num)
{
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .num_iovas = *num, .allowed_iovas = PTR(out),
	};
	int ret = call(fd, IOMMU_IOAS_IOVA_RANGES, &cmd);

	*num = cmd.num_iovas;
	return ret;
}

static int allow(int fd, __u32 ioas, const struct iommu_iova_range *in, __u32 num,
		 __u32 reserved)
{
	struct iommu_ioas_allow_iovas cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .num_iovas = num, .__reserved = reserved,
		.allowed_iovas = PTR(in),
	};

	return call(fd, IOMMU_IOAS_ALLOW_IOVAS, &cmd);
}

static int hwpt(int fd, __u32 flags, __u32 pt_id, __u32 type, const void *data, __u32 len,
		__u32 *id)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd), .flags = flags, .dev_id = DEV_ID, .pt_id = pt_id,
		.data_type = type, .data_len = len, .data_uptr = PTR(data),
	};
	int ret = call(fd, IOMMU_HWPT_ALLOC, &cmd);

	*id = cmd.out_hwpt_id;
	return ret;
}

static int viommu(int fd, __u32 dev_id, __u32 hwpt_id, __u32 type, void *data, __u32 len,
		  __u32 *id)
{
	struct iommu_viommu_alloc cmd = {
		.size = sizeof(cmd), .type = type, .dev_id = dev_id, .hwpt_id = hwpt_id,
		.data_len = len, .data_uptr = PTR(data),
	};
	int ret = call(fd, IOMMU_VIOMMU_ALLOC, &cmd);

	*id = cmd.out_viommu_id;
	return ret;
}

static int invalidate(int fd, __u32 hwpt, __u32 type, const void *data, __u32 len, __u32 *num)
{
	struct iommu_hwpt_invalidate cmd = {
		.size = sizeof(cmd), .hwpt_id = hwpt, .data_uptr = PTR(data), .data_type = type,
		.entry_len = len, .entry_num = *num,
	};
	int ret = call(fd, IOMMU_HWPT_INVALIDATE, &cmd);

	*num = cmd.entry_num;
	return ret;
}

static int option(int fd, __u32 option_id, __u16 op, __u32 object, __u64 *val)
{
	struct iommu_option cmd = {
		.size = sizeof(cmd), .option_id = option_id, .op = op, .object_id = object,
		.val64 = *val,
	};
	int ret = call(fd, IOMMU_OPTION, &cmd);

	*val = cmd.val64;
	return ret;
}

static int destroy(int fd, __u32 id)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	return call(fd, IOMMU_DESTROY, &cmd);
}

static void test_ioas_alloc(int fd, __u32 *first)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd), .flags = 1 };
	int ret;
	__u32 second;

	*first = ioas_alloc(fd, &ret);
	expect(ret, 0, "IOMMU_IOAS_ALLOC");
	check(*first == 1, "  ... the first object of the file is ID 1 (got %u)", *first);
	second = ioas_alloc(fd, &ret);
	expect(ret, 0, "IOMMU_IOAS_ALLOC again");
	check(second == 2, "  ... the next is ID 2 (got %u)", second);
	expect(call(fd, IOMMU_IOAS_ALLOC, &cmd), EOPNOTSUPP, "IOMMU_IOAS_ALLOC with flags 1");
	cmd.flags = 0;
	cmd.size = 8;
	expect(call(fd, IOMMU_IOAS_ALLOC, &cmd), EINVAL, "IOMMU_IOAS_ALLOC of 8 bytes (under its minimum)");
	cmd.size = sizeof(cmd);
	expect(call(fd, IOMMU_IOAS_ALLOC, read_only(&cmd, sizeof(cmd))), EFAULT,
	       "IOMMU_IOAS_ALLOC into a read-only struct (the object is undone)");
	expect(destroy(fd, 3), ENOENT, "  ... no ID 3 was left behind");
}

static void test_ranges(int fd, __u32 ioas)
{
	struct iommu_iova_range got[4];
	__u32 num = 1;

	memset(got, GUARD, sizeof(got));
	expect(ranges(fd, ioas, got, &num), EMSGSIZE, "IOVA ranges into room for 1");
	check(num == 2, "  ... the kernel reports the 2 it has (num_iovas %u)", num);
	check(got[0].start == 0 && got[0].last == MSI_START - 1,
	      "  ... and filled what fits: [0, 0x%llx]", (unsigned long long)got[0].last);
	check(guard_intact((unsigned char *)&got[1], sizeof(got[1])), "  ... and nothing past it");
	num = 0;
	expect(ranges(fd, ioas, NULL, &num), EMSGSIZE, "IOVA ranges with no room (count only)");
	check(num == 2, "  ... num_iovas %u", num);
	num = 4;
	expect(ranges(fd, ioas, got, &num), 0, "IOVA ranges into room for 4");
	check(num == 2 && got[1].start == MSI_LAST + 1 && got[1].last == UINT64_MAX,
	      "  ... 2 ranges, the second after the MSI window");
	num = 4;
	expect(ranges(fd, 77, got, &num), ENOENT, "IOVA ranges of an unknown IOAS");
}

static void test_allow(int fd, __u32 ioas)
{
	struct iommu_iova_range in[3] = {
		{ .start = 0x1000, .last = 0x1fff },
		{ .start = 0x100000, .last = 0x1fffff },
		{ .start = 0x100000000ULL, .last = 0x1ffffffffULL },
	};
	struct iommu_iova_range got[3], bad;
	__u32 num = 3;

	expect(allow(fd, ioas, in, 3, 0), 0, "IOMMU_IOAS_ALLOW_IOVAS of 3 ranges");
	memset(got, 0, sizeof(got));
	expect(ranges(fd, ioas, got, &num), 0, "  ... IOVA ranges");
	check(num == 3 && !memcmp(got, in, sizeof(in)), "  ... are the 3 allowed");
	expect(allow(fd, ioas, in, 3, 1), EOPNOTSUPP, "ALLOW_IOVAS with __reserved 1");
	bad = (struct iommu_iova_range){ .start = 0x2000, .last = 0x1fff };
	expect(allow(fd, ioas, &bad, 1, 0), EINVAL, "ALLOW_IOVAS of a range with start > last");
	bad = (struct iommu_iova_range){ .start = MSI_START, .last = MSI_START };
	expect(allow(fd, ioas, &bad, 1, 0), EADDRINUSE, "ALLOW_IOVAS of a range in the MSI window");
	expect(allow(fd, ioas, NULL, 2, 0), EFAULT, "ALLOW_IOVAS of 2 ranges at NULL");
	expect(allow(fd, ioas, at_edge(in, 16), 2, 0), EFAULT,
	       "ALLOW_IOVAS whose second range is unmapped");
	num = 1;
	expect(ranges(fd, ioas, got, &num), EMSGSIZE, "  ... the 3 ranges are still allowed");
	check(num == 3, "  ... num_iovas %u", num);
	expect(allow(fd, 99, in, 1, 0), ENOENT, "ALLOW_IOVAS of an unknown IOAS");
	expect(allow(fd, ioas, NULL, 0, 0), 0, "ALLOW_IOVAS of none clears the list");
	num = 4;
	expect(ranges(fd, ioas, got, &num), 0, "  ... IOVA ranges");
	check(num == 2, "  ... are the 2 around the MSI window again (num_iovas %u)", num);
}

static void test_hwpt(int fd, __u32 ioas, __u32 *nested)
{
	struct iommu_hwpt_vtd_s1 vtd = {
		.flags = IOMMU_VTD_S1_SRE, .pgtbl_addr = 0x12345000, .addr_width = 48,
	};
	struct iommu_hwpt_arm_smmuv3 ste = { .ste = { 1, 2 } };
	unsigned char longer[32];
	__u32 parent = 0, id = 0, plain = 0;

	expect(hwpt(fd, 0, ioas, IOMMU_HWPT_DATA_NONE, NULL, 0, &plain), 0,
	       "IOMMU_HWPT_ALLOC from the IOAS, no data");
	check(plain > 2, "  ... a new ID (%u)", plain);
	expect(hwpt(fd, IOMMU_HWPT_ALLOC_NEST_PARENT, ioas, IOMMU_HWPT_DATA_NONE, NULL, 0, &parent),
	       0, "HWPT_ALLOC of a nesting parent");
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, &vtd, sizeof(vtd), nested), 0,
	       "HWPT_ALLOC nested, VT-d stage-1 data");
	check(*nested > parent, "  ... a new ID (%u)", *nested);
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, &vtd, 16, &id), EINVAL,
	       "VT-d data of 16 bytes (under its 24)");
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, &vtd, 0, &id), EINVAL,
	       "VT-d data of length 0");
	memset(longer, 0, sizeof(longer));
	memcpy(longer, &vtd, sizeof(vtd));
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, longer, sizeof(longer), &id), 0,
	       "VT-d data longer than the struct, zero beyond it");
	longer[sizeof(longer) - 1] = 1;
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, longer, sizeof(longer), &id), E2BIG,
	       "VT-d data with a non-zero byte beyond the struct");
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_NONE, &vtd, sizeof(vtd), &id), EINVAL,
	       "no selector (IOMMU_HWPT_DATA_NONE) with data_len 24");
	expect(hwpt(fd, 0, parent, 7, &vtd, sizeof(vtd), &id), EOPNOTSUPP, "unknown selector 7");
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_ARM_SMMUV3, &ste, sizeof(ste), &id), EOPNOTSUPP,
	       "SMMUv3 data for the VT-d device");
	vtd.flags = 1u << 7;
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, &vtd, sizeof(vtd), &id), EOPNOTSUPP,
	       "VT-d data with an unknown flag");
	vtd.flags = 0;
	vtd.__reserved = 1;
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, &vtd, sizeof(vtd), &id), EOPNOTSUPP,
	       "VT-d data with a non-zero reserved member");
	vtd.__reserved = 0;
	vtd.addr_width = 39;
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, &vtd, sizeof(vtd), &id), EINVAL,
	       "VT-d data with addr_width 39 (the driver's own check)");
	vtd.addr_width = 57;
	expect(hwpt(fd, 0, plain, IOMMU_HWPT_DATA_VTD_S1, &vtd, sizeof(vtd), &id), EINVAL,
	       "VT-d data on a HWPT that is no nesting parent");
	expect(hwpt(fd, 0, parent, IOMMU_HWPT_DATA_VTD_S1, NULL, sizeof(vtd), &id), EFAULT,
	       "VT-d data at NULL");
	expect(hwpt(fd, 0, 1234, IOMMU_HWPT_DATA_NONE, NULL, 0, &id), ENOENT,
	       "HWPT_ALLOC from an unknown object");
	expect(destroy(fd, ioas), EBUSY, "IOMMU_DESTROY of the IOAS its HWPTs use");
	expect(destroy(fd, parent), EBUSY, "IOMMU_DESTROY of the nesting parent in use");
}

#define VTD_INV IOMMU_HWPT_INVALIDATE_DATA_VTD_S1

/* Each entry copied at its stride, up to the first refused; entry_num says how many went. */
static void test_invalidate(int fd, __u32 ioas, __u32 nested)
{
	struct iommu_hwpt_vtd_s1_invalidate inv[3] = {
		{ .addr = 0x1000, .npages = 1 },
		{ .addr = 0, .npages = UINT64_MAX, .flags = IOMMU_VTD_INV_FLAGS_LEAF },
		{ .addr = 0x3000, .npages = 2 },
	};
	unsigned char wide[3 * 40];
	__u32 num = 3, i;

	expect(invalidate(fd, nested, VTD_INV, inv, sizeof(inv[0]), &num), 0,
	       "IOMMU_HWPT_INVALIDATE of 3 VT-d entries");
	check(num == 3, "  ... all 3 handled (entry_num %u)", num);
	num = 0;
	expect(invalidate(fd, nested, VTD_INV, NULL, 0, &num), 0,
	       "no entries: the nested HWPT takes VT-d entries");
	check(num == 0, "  ... none handled (entry_num %u)", num);
	inv[1].addr = 0x1234;
	num = 3;
	expect(invalidate(fd, nested, VTD_INV, inv, sizeof(inv[0]), &num), EINVAL,
	       "entry 1 not 4 KiB aligned (the driver's own check)");
	check(num == 1, "  ... the entry before it handled (entry_num %u)", num);
	inv[1].addr = 0;
	inv[1].flags = 1u << 5;
	num = 3;
	expect(invalidate(fd, nested, VTD_INV, inv, sizeof(inv[0]), &num), EOPNOTSUPP,
	       "entry 1 with an unknown flag");
	check(num == 1, "  ... the entry before it handled (entry_num %u)", num);
	inv[1].flags = 0;
	inv[2].__reserved = 1;
	num = 3;
	expect(invalidate(fd, nested, VTD_INV, inv, sizeof(inv[0]), &num), EOPNOTSUPP,
	       "entry 2 with a non-zero reserved member");
	check(num == 2, "  ... the 2 entries before it handled (entry_num %u)", num);
	inv[2].__reserved = 0;
	memset(wide, 0, sizeof(wide));
	for (i = 0; i < 3; i++)
		memcpy(wide + i * 40, &inv[i], sizeof(inv[i]));
	num = 3;
	expect(invalidate(fd, nested, VTD_INV, wide, 40, &num), 0,
	       "entries 40 bytes apart, zero beyond the struct");
	check(num == 3, "  ... all 3 handled (entry_num %u)", num);
	wide[40 + 39] = 1;
	num = 3;
	expect(invalidate(fd, nested, VTD_INV, wide, 40, &num), E2BIG,
	       "entry 1 with a non-zero byte beyond the struct");
	check(num == 1, "  ... the entry before it handled (entry_num %u)", num);
	num = 3;
	expect(invalidate(fd, nested, VTD_INV, inv, 16, &num), EINVAL,
	       "entries of 16 bytes (under the struct's 32)");
	check(num == 0, "  ... none handled (entry_num %u)", num);
	num = 1;
	expect(invalidate(fd, nested, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3, inv, 16, &num),
	       EINVAL, "SMMUv3 entries for the VT-d HWPT");
	check(num == 0, "  ... none handled (entry_num %u)", num);
	num = 2;
	expect(invalidate(fd, nested, VTD_INV, NULL, sizeof(inv[0]), &num), EFAULT,
	       "entries at NULL");
	check(num == 0, "  ... none handled (entry_num %u)", num);
	num = 1;
	expect(invalidate(fd, ioas, VTD_INV, inv, sizeof(inv[0]), &num), EINVAL,
	       "IOMMU_HWPT_INVALIDATE of an IOAS");
	expect(invalidate(fd, 1234, VTD_INV, inv, sizeof(inv[0]), &num), ENOENT,
	       "IOMMU_HWPT_INVALIDATE of an unknown object");
}

static int dirty(int fd, __u32 hwpt, __u64 iova, __u64 length, __u64 page_size, __u64 *words)
{
	struct iommu_hwpt_get_dirty_bitmap cmd = {
		.size = sizeof(cmd), .hwpt_id = hwpt, .iova = iova, .length = length,
		.page_size = page_size, .data = PTR(words),
	};

	return call(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &cmd);
}

/* The module reports every third page dirty (page numbers from IOVA 0). */
static void test_dirty(int fd, __u32 hwpt)
{
	__u64 words[4] = { 0, 0, 0, ~0ULL };
	int i, bits = 0, right = 1;

	expect(dirty(fd, hwpt, 0, 130 * 4096ULL, 4096, words), 0,
	       "IOMMU_HWPT_GET_DIRTY_BITMAP of 130 pages");
	for (i = 0; i < 130; i++) {
		int set = (words[i / 64] >> (i % 64)) & 1;

		bits += set;
		right &= set == (i % 3 == 0);
	}
	check(right && bits == 44, "  ... every third page's bit set (%d bits)", bits);
	check(words[2] >> 2 == 0, "  ... no bit past the 130 pages");
	check(words[3] == ~0ULL, "  ... the word after the 3 the range needs untouched");
	memset(words, 0, sizeof(words));
	expect(dirty(fd, hwpt, 3 * 8192ULL, 64 * 8192ULL, 8192, words), 0,
	       "IOMMU_HWPT_GET_DIRTY_BITMAP from page 3 at 8 KiB pages");
	check(words[0] == 0x9249249249249249ULL && words[1] == 0,
	      "  ... bit 0 is page 3: %#llx", (unsigned long long)words[0]);
	expect(dirty(fd, hwpt, 0, 4096, 0, words), EINVAL, "a page size of 0");
	expect(dirty(fd, hwpt, 4096, 4096, 8192, words), EINVAL, "an IOVA not page aligned");
	expect(dirty(fd, 1234, 0, 4096, 4096, words), ENOENT, "an unknown HWPT");
	expect(dirty(fd, hwpt, 0, 4096, 4096, NULL), EFAULT, "a NULL bitmap");
}

static void test_hw_info(int fd)
{
	struct iommu_hw_info cmd;
	struct iommu_hw_info_vtd vtd;
	unsigned char room[40];

	memset(room, GUARD, sizeof(room));
	cmd = (struct iommu_hw_info){
		.size = sizeof(cmd), .dev_id = DEV_ID, .data_len = sizeof(room), .data_uptr = PTR(room),
	};
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), 0, "IOMMU_GET_HW_INFO into 40 bytes");
	memcpy(&vtd, room, sizeof(vtd));
	check(cmd.data_len == sizeof(vtd) && cmd.out_data_type == IOMMU_HW_INFO_TYPE_INTEL_VTD,
	      "  ... VT-d info of %u bytes (type %u)", cmd.data_len, cmd.out_data_type);
	check(vtd.flags == IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 &&
	      vtd.cap_reg == 0x00d2008c40660462ULL && vtd.ecap_reg == 0x00000f050f8f0c1aULL,
	      "  ... its registers");
	check(room[24] == 0 && room[39] == 0, "  ... the bytes past the info zeroed");
	check(cmd.out_capabilities == IOMMU_HW_CAP_DIRTY_TRACKING && cmd.out_max_pasid_log2 == 20,
	      "  ... capabilities and PASID width");
	memset(room, GUARD, sizeof(room));
	cmd = (struct iommu_hw_info){
		.size = sizeof(cmd), .dev_id = DEV_ID, .data_len = 8, .data_uptr = PTR(room),
	};
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), 0, "GET_HW_INFO into 8 bytes");
	check(cmd.data_len == 24 && guard_intact(room + 8, 32), "  ... 8 written, 24 reported");
	cmd = (struct iommu_hw_info){
		.size = sizeof(cmd), .flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE, .dev_id = DEV_ID,
		.out_data_type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3,
	};
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), EOPNOTSUPP, "GET_HW_INFO asking for SMMUv3 info");
	cmd = (struct iommu_hw_info){ .size = sizeof(cmd), .dev_id = 5 };
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), ENOENT, "GET_HW_INFO of an unknown device");
}

static void test_hw_info_types(int fd)
{
	struct iommu_hw_info_arm_smmuv3 smmu;
	struct iommu_hw_info_tegra241_cmdqv cmdqv;
	struct iommu_hw_info cmd;
	unsigned char room[48];
	__u64 newer;

	memset(room, GUARD, sizeof(room));
	cmd = (struct iommu_hw_info){
		.size = sizeof(cmd), .dev_id = SMMU_DEV_ID, .data_len = sizeof(room),
		.data_uptr = PTR(room),
	};
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), 0, "GET_HW_INFO of the SMMUv3 device");
	memcpy(&smmu, room, sizeof(smmu));
	check(cmd.data_len == sizeof(smmu) && cmd.out_data_type == IOMMU_HW_INFO_TYPE_ARM_SMMUV3 &&
	      smmu.idr[5] == 0x75 && smmu.iidr == 0x4b1 && smmu.aidr == 2,
	      "  ... SMMUv3 info of %u bytes (type %u)", cmd.data_len, cmd.out_data_type);
	check(room[sizeof(smmu)] == 0 && room[47] == 0, "  ... the bytes past it zeroed");
	memset(room, GUARD, sizeof(room));
	cmd = (struct iommu_hw_info){
		.size = sizeof(cmd), .flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE, .dev_id = SMMU_DEV_ID,
		.data_len = sizeof(room), .data_uptr = PTR(room),
		.out_data_type = IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV,
	};
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), 0, "GET_HW_INFO asking for CMDQV info");
	memcpy(&cmdqv, room, sizeof(cmdqv));
	check(cmd.data_len == sizeof(cmdqv) &&
	      cmd.out_data_type == IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV && cmdqv.version == 1 &&
	      cmdqv.log2vcmdqs == 7 && cmdqv.log2vsids == 4,
	      "  ... CMDQV info of %u bytes", cmd.data_len);
	cmd = (struct iommu_hw_info){
		.size = sizeof(cmd), .flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE, .dev_id = SMMU_DEV_ID,
		.out_data_type = IOMMU_HW_INFO_TYPE_INTEL_VTD,
	};
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), EOPNOTSUPP, "GET_HW_INFO of VT-d info from SMMUv3");
	memset(room, GUARD, sizeof(room));
	cmd = (struct iommu_hw_info){
		.size = sizeof(cmd), .dev_id = NEW_DEV_ID, .data_len = sizeof(room),
		.data_uptr = PTR(room),
	};
	expect(call(fd, IOMMU_GET_HW_INFO, &cmd), 0, "GET_HW_INFO of a newer kernel's type");
	memcpy(&newer, room, sizeof(newer));
	check(cmd.data_len == 8 && cmd.out_data_type == NEW_TYPE &&
	      newer == 0x0123456789abcdefULL && room[8] == 0,
	      "  ... %u bytes of type %#x", cmd.data_len, cmd.out_data_type);
}

/* The Tegra241 CMDQV data: read by the kernel, written back with the VINTF's mmap window. */
static void test_viommu_cmdqv(int fd, __u32 parent)
{
	struct iommu_viommu_tegra241_cmdqv cmdqv = { .out_vintf_mmap_offset = 0xdead };
	__u64 offset = VINTF_MMAP_OFFSET + (__u64)parent * page_size;
	unsigned char longer[32];
	__u32 id = 0, other = 0;

	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, &cmdqv,
		      sizeof(cmdqv), &id), 0, "IOMMU_VIOMMU_ALLOC with Tegra241 CMDQV data");
	check(id > parent, "  ... a new ID (%u)", id);
	check(cmdqv.out_vintf_mmap_offset == offset && cmdqv.out_vintf_mmap_length == 0x10000,
	      "  ... the VINTF's mmap offset 0x%llx and length 0x%llx written back",
	      (unsigned long long)cmdqv.out_vintf_mmap_offset,
	      (unsigned long long)cmdqv.out_vintf_mmap_length);
	expect(destroy(fd, parent), EBUSY, "IOMMU_DESTROY of the HWPT the vIOMMU holds");
	expect(destroy(fd, id), 0, "IOMMU_DESTROY of the vIOMMU");
	memset(&cmdqv, 0, sizeof(cmdqv));
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, &cmdqv, 8, &id),
	       EINVAL, "CMDQV data of 8 bytes (under its 16)");
	memset(longer, 0, sizeof(longer));
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, longer,
		      sizeof(longer), &other), 0, "CMDQV data longer than the struct, zero beyond it");
	memcpy(&cmdqv, longer, sizeof(cmdqv));
	check(cmdqv.out_vintf_mmap_length == 0x10000 && longer[16] == 0 && longer[31] == 0,
	      "  ... the struct written back, the bytes past it left zero");
	longer[31] = 1;
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, longer,
		      sizeof(longer), &id), E2BIG, "CMDQV data with a non-zero byte beyond the struct");
	memset(&cmdqv, 0, sizeof(cmdqv));
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV,
		      read_only(&cmdqv, sizeof(cmdqv)), sizeof(cmdqv), &id), EFAULT,
	       "CMDQV data in read-only memory (its write-back faults)");
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, NULL,
		      sizeof(cmdqv), &id), EFAULT, "CMDQV data at NULL");
	expect(destroy(fd, other), 0, "IOMMU_DESTROY of the second vIOMMU");
}

static void test_viommu(int fd, __u32 ioas)
{
	struct iommu_viommu_tegra241_cmdqv cmdqv = { 0 };
	__u32 parent = 0, id = 0;

	expect(hwpt(fd, IOMMU_HWPT_ALLOC_NEST_PARENT, ioas, IOMMU_HWPT_DATA_NONE, NULL, 0, &parent),
	       0, "HWPT_ALLOC of a nesting parent for vIOMMUs");
	test_viommu_cmdqv(fd, parent);
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, NULL, 0, &id), 0,
	       "VIOMMU_ALLOC of a plain SMMUv3, no data");
	expect(destroy(fd, id), 0, "  ... destroyed");
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, &cmdqv, sizeof(cmdqv),
		      &id), EINVAL, "a plain SMMUv3 with data");
	expect(viommu(fd, SMMU_DEV_ID, parent, IOMMU_VIOMMU_TYPE_DEFAULT, NULL, 0, &id), EOPNOTSUPP,
	       "VIOMMU_ALLOC of IOMMU_VIOMMU_TYPE_DEFAULT");
	expect(viommu(fd, SMMU_DEV_ID, parent, 3, NULL, 0, &id), EOPNOTSUPP,
	       "VIOMMU_ALLOC of type 3, past the enum");
	expect(viommu(fd, DEV_ID, parent, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, NULL, 0, &id), EOPNOTSUPP,
	       "VIOMMU_ALLOC for the VT-d device");
	expect(viommu(fd, SMMU_DEV_ID, ioas, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, NULL, 0, &id), EINVAL,
	       "VIOMMU_ALLOC on an IOAS, no nesting parent");
	expect(viommu(fd, SMMU_DEV_ID, 1234, IOMMU_VIOMMU_TYPE_ARM_SMMUV3, NULL, 0, &id), ENOENT,
	       "VIOMMU_ALLOC on an unknown HWPT");
	expect(destroy(fd, parent), 0, "IOMMU_DESTROY of the nesting parent, unused again");
}

static void test_options(int fd, __u32 ioas)
{
	__u64 val = 0;

	expect(option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, ioas, &val), 0,
	       "IOMMU_OPTION get HUGE_PAGES");
	check(val == 1, "  ... 1 by default (got %llu)", (unsigned long long)val);
	val = 0;
	expect(option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET, ioas, &val), 0,
	       "set HUGE_PAGES 0");
	val = 5;
	expect(option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, ioas, &val), 0,
	       "get HUGE_PAGES");
	check(val == 0, "  ... now 0 (got %llu)", (unsigned long long)val);
	val = 2;
	expect(option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET, ioas, &val), EINVAL,
	       "set HUGE_PAGES 2");
	expect(option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, 4321, &val), ENOENT,
	       "HUGE_PAGES of an unknown IOAS");
	val = 1;
	expect(option(fd, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_SET, 0, &val), 0,
	       "set RLIMIT_MODE 1 (global)");
	val = 0;
	expect(option(fd, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_GET, 0, &val), 0,
	       "get RLIMIT_MODE");
	check(val == 1, "  ... 1 (got %llu)", (unsigned long long)val);
	expect(option(fd, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_GET, ioas, &val), EINVAL,
	       "RLIMIT_MODE with an object ID");
	expect(option(fd, 9, IOMMU_OPTION_OP_GET, 0, &val), EOPNOTSUPP, "unknown option 9");
	expect(option(fd, IOMMU_OPTION_RLIMIT_MODE, 2, 0, &val), EOPNOTSUPP, "unknown op 2");
}

static int vfio_ioas(int fd, __u16 op, __u32 *ioas_id)
{
	struct iommu_vfio_ioas cmd = { .size = sizeof(cmd), .ioas_id = *ioas_id, .op = op };
	int ret = call(fd, IOMMU_VFIO_IOAS, &cmd);

	*ioas_id = cmd.ioas_id;
	return ret;
}

/* ioas_id by op: an output with GET, an input with SET, neither with CLEAR. */
static void test_vfio_ioas(int fd, __u32 ioas)
{
	__u32 id = 77;

	expect(vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id), ENODEV, "IOMMU_VFIO_IOAS get, none set");
	id = 4321;
	expect(vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id), ENOENT, "VFIO_IOAS set an unknown IOAS");
	id = ioas;
	expect(vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id), 0, "VFIO_IOAS set");
	id = 77;
	expect(vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id), 0, "VFIO_IOAS get");
	check(id == ioas, "  ... the IOAS set (got %u)", id);
	id = 4321;
	expect(vfio_ioas(fd, IOMMU_VFIO_IOAS_CLEAR, &id), 0, "VFIO_IOAS clear (ioas_id not read)");
	expect(vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id), ENODEV, "  ... then get: none");
	expect(vfio_ioas(fd, 3, &id), EOPNOTSUPP, "VFIO_IOAS op 3");
}

static void test_destroy(int fd, __u32 ioas, __u32 nested)
{
	__u64 val = 0;
	__u32 num = 0;

	expect(destroy(fd, nested), 0, "IOMMU_DESTROY of the nested HWPT");
	expect(destroy(fd, nested), ENOENT, "  ... twice");
	expect(destroy(fd, 2), 0, "IOMMU_DESTROY of the second IOAS");
	expect(ranges(fd, 2, NULL, &num), ENOENT, "  ... its IOVA ranges");
	expect(option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET, 2, &val), ENOENT,
	       "  ... its HUGE_PAGES");
	expect(destroy(fd, 0), ENOENT, "IOMMU_DESTROY of ID 0");
	expect(destroy(fd, ioas), EBUSY, "the first IOAS, still used by HWPTs");
}

static void test_fault(int fd)
{
	struct iommu_fault_alloc cmd = { .size = sizeof(cmd) };
	int flags, fault_fd;
	char byte;

	expect(call(fd, IOMMU_FAULT_QUEUE_ALLOC, &cmd), 0, "IOMMU_FAULT_QUEUE_ALLOC");
	check(cmd.out_fault_id != 0, "  ... a FAULT object (ID %u)", cmd.out_fault_id);
	fault_fd = (int)cmd.out_fault_fd; /* a __u32 in the header */
	flags = fcntl(fault_fd, F_GETFD);
	check(flags >= 0 && (flags & FD_CLOEXEC), "  ... and its close-on-exec fd %d", fault_fd);
	check(read(fault_fd, &byte, 1) == 0, "  ... which reads no fault");
	check(close(fault_fd) == 0, "  ... and closes");
	expect(destroy(fd, cmd.out_fault_id), 0, "IOMMU_DESTROY of the FAULT");
	cmd.flags = 1;
	expect(call(fd, IOMMU_FAULT_QUEUE_ALLOC, &cmd), EOPNOTSUPP,
	       "IOMMU_FAULT_QUEUE_ALLOC with flags 1");
}

static void test_numbers(int fd)
{
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_destroy big[2] = { { .size = sizeof(big) } };

	expect(call(fd, IOMMU_IOAS_MAP, &map), EOPNOTSUPP, "IOMMU_IOAS_MAP (no handler here)");
	expect(call(fd, _IO(IOMMUFD_TYPE, 100), &map), ENOTTY, "VFIO_GET_API_VERSION (the fallback)");
	expect(call(fd, _IO(IOMMUFD_TYPE, 0x95), &map), ENOTTY, "NR 0x95, past the table");
	expect(call(fd, _IOR(IOMMUFD_TYPE, 0x80, __u32), &map), ENOTTY,
	       "IOMMU_DESTROY's NR with another encoding");
	big[1].size = 1;
	expect(call(fd, IOMMU_DESTROY, big), E2BIG, "IOMMU_DESTROY with non-zero bytes past it");
}

int main(void)
{
	int fd = open(DEVICE, O_RDWR | O_CLOEXEC), other;
	__u32 ioas = 0, nested = 0;
	int ret;

	if (!check(fd >= 0, "open %s", DEVICE))
		return 1;
	if (map_test_pages())
		return 1;
	test_ioas_alloc(fd, &ioas);
	test_ranges(fd, ioas);
	test_allow(fd, ioas);
	test_hwpt(fd, ioas, &nested);
	test_dirty(fd, nested);
	test_invalidate(fd, ioas, nested);
	test_hw_info(fd);
	test_hw_info_types(fd);
	test_viommu(fd, ioas);
	test_options(fd, ioas);
	test_vfio_ioas(fd, ioas);
	test_destroy(fd, ioas, nested);
	test_fault(fd);
	test_numbers(fd);
	other = open(DEVICE, O_RDWR | O_CLOEXEC);
	check(other >= 0, "a second open file");
	check(ioas_alloc(other, &ret) == 1 && ret == 0, "  ... has its own IDs, from 1");
	close(other);
	close(fd);
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
