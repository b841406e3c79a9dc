// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace test of the pager test module (tests/kmod/pager, /dev/pager):
 * driver data chosen by a selector, through luogen's generated uapi header
 * only. Each struct a selector value chooses, lengths around the minimum size,
 * bytes beyond the struct, the struct's own checks, unknown or mismatched
 * selector values, unmapped memory, and output data in rooms smaller and
 * larger than the struct. One line per check: "ok N - ..." or "not ok N -
 * ...". Exit status 0 only when every check passed.
 *
 * Build: gcc -static -O2 -Wall -Wextra -I .../pager/include/uapi pager_test.c
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

#include <linux/pager.h>

#include "checks.h"

#define PTR(p) ((__u64)(uintptr_t)(p))

static int table(int dev, __u32 type, const void *data, __u32 len, __u32 *id)
{
	struct pager_table_alloc cmd = {
		.size = sizeof(cmd), .data_type = type, .data_len = len, .data_uptr = PTR(data),
	};
	int ret = call(dev, PAGER_TABLE_ALLOC, &cmd);

	*id = cmd.out_table_id;
	return ret;
}

static void test_in(int dev)
{
	struct pager_vtd_table vtd = { .flags = PAGER_VTD_SRE, .addr_width = 48 };
	struct pager_arm_table arm = { .ste = 5, .ste_hi = 6 };
	unsigned char longer[40];
	__u32 id = 0;

	expect(table(dev, PAGER_TABLE_VTD, &vtd, sizeof(vtd), &id), 0, "VTD table, whole struct");
	check(id == 1048, "  ... the kernel read addr_width 48 (id %u)", id);
	expect(table(dev, PAGER_TABLE_VTD, &vtd, sizeof(vtd) - 4, &id), EINVAL,
	       "VTD table 4 bytes under its minimum size");
	expect(table(dev, PAGER_TABLE_VTD, &vtd, 0, &id), EINVAL, "VTD table of length 0");
	memset(longer, 0, sizeof(longer));
	memcpy(longer, &vtd, sizeof(vtd));
	expect(table(dev, PAGER_TABLE_VTD, longer, sizeof(longer), &id), 0,
	       "VTD table longer than the struct, zero beyond it");
	longer[sizeof(longer) - 1] = 1;
	expect(table(dev, PAGER_TABLE_VTD, longer, sizeof(longer), &id), E2BIG,
	       "VTD table with a non-zero byte beyond the struct");
	vtd.flags = 1u << 5;
	expect(table(dev, PAGER_TABLE_VTD, &vtd, sizeof(vtd), &id), EOPNOTSUPP,
	       "VTD table with an unknown flag");
	vtd.flags = 0;
	vtd.__reserved = 1;
	expect(table(dev, PAGER_TABLE_VTD, &vtd, sizeof(vtd), &id), EOPNOTSUPP,
	       "VTD table with a non-zero reserved member");
	vtd.__reserved = 0;
	expect(table(dev, PAGER_TABLE_VTD, NULL, sizeof(vtd), &id), EFAULT, "VTD table at NULL");
	expect(table(dev, PAGER_TABLE_VTD, at_edge(&vtd, 16), sizeof(vtd), &id), EFAULT,
	       "VTD table whose last 8 bytes are unmapped");

	expect(table(dev, PAGER_TABLE_ARM, &arm, sizeof(arm), &id), 0, "ARM table, whole struct");
	check(id == 2011, "  ... the kernel read ste and ste_hi (id %u)", id);
	expect(table(dev, PAGER_TABLE_ARM, &arm, 8, &id), 0, "ARM table of its first version (8 bytes)");
	check(id == 2005, "  ... the kernel zero-extended ste_hi (id %u)", id);
	expect(table(dev, PAGER_TABLE_ARM, &arm, 7, &id), EINVAL, "ARM table under its minimum (7 bytes)");

	expect(table(dev, PAGER_TABLE_NONE, NULL, 0, &id), 0, "no data");
	check(id == 3000, "  ... the kernel saw no data (id %u)", id);
	expect(table(dev, 9, &arm, sizeof(arm), &id), EOPNOTSUPP, "unknown selector value 9");
	expect(table(dev, 0xffffffffu, &arm, sizeof(arm), &id), EOPNOTSUPP,
	       "unknown selector value 2^32-1");
	expect(table(dev, PAGER_TABLE_VTD, &arm, sizeof(arm), &id), EINVAL,
	       "VTD selected with an ARM table's length");
}

static void test_out(int dev)
{
	unsigned char room[64];
	struct pager_vtd_info info;
	struct pager_get_info cmd;

	memset(&cmd, 0, sizeof(cmd));
	memset(room, GUARD, sizeof(room));
	cmd.size = sizeof(cmd);
	cmd.data_len = sizeof(room);
	cmd.data_uptr = PTR(room);
	expect(call(dev, PAGER_GET_INFO, &cmd), 0, "GET_INFO into 64 bytes of room");
	memcpy(&info, room, sizeof(info));
	check(cmd.data_len == sizeof(info) && cmd.out_data_type == PAGER_INFO_VTD,
	      "  ... reports the length %u and the selector %u", cmd.data_len, cmd.out_data_type);
	check(info.flags == 7 && info.cap_reg == 0x1122334455667788ULL && info.ecap_reg == 0x99,
	      "  ... writes the VT-d facts");
	check(room[sizeof(info)] == 0 && room[sizeof(room) - 1] == 0,
	      "  ... zeroes the rest of the room");

	memset(room, GUARD, sizeof(room));
	cmd.data_len = 12;
	expect(call(dev, PAGER_GET_INFO, &cmd), 0, "GET_INFO into 12 bytes of room");
	check(cmd.data_len == sizeof(info) && guard_intact(room + 12, sizeof(room) - 12),
	      "  ... writes 12 bytes, nothing past them, and reports the whole length");

	cmd.data_len = 0;
	cmd.data_uptr = 0;
	expect(call(dev, PAGER_GET_INFO, &cmd), 0, "GET_INFO with no room: asks the length");
	check(cmd.data_len == sizeof(info), "  ... reports the length %u", cmd.data_len);

	cmd.data_len = sizeof(info);
	cmd.data_uptr = PTR(read_only(room, sizeof(info)));
	expect(call(dev, PAGER_GET_INFO, &cmd), EFAULT, "GET_INFO into read-only memory");
}

int main(void)
{
	int dev = open("/dev/pager", O_RDWR);

	if (dev < 0) {
		perror("/dev/pager");
		return 1;
	}
	if (map_test_pages())
		return 1;
	test_in(dev);
	test_out(dev);
	close(dev);
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
