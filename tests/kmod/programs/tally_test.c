// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace test of the tally test module (tests/kmod/tally, /dev/tally):
 * counted arrays through luogen's generated uapi header only. Each direction,
 * the maximum count, counts whose byte size overflows, element checks, memory
 * that faults in the middle of an array, and the query protocol. One line per
 * check: "ok N - ..." or "not ok N - ...". Exit status 0 only when every check
 * passed.
 *
 * Build: gcc -static -O2 -Wall -Wextra -I .../tally/include/uapi tally_test.c
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

#include <linux/tally.h>

#include "checks.h"

#define PTR(p) ((__u64)(uintptr_t)(p))

/* expect(), with EMSGSIZE (which checks.h does not name) spelled out. */
static int expect_errno(int got, int want, const char *what)
{
	if (got != EMSGSIZE && want != EMSGSIZE)
		return expect(got, want, what);
	return check(got == want, "%s -> %s (got %s, %d)", what,
		     want == EMSGSIZE ? "EMSGSIZE" : errname(want),
		     got == EMSGSIZE ? "EMSGSIZE" : errname(got), got);
}

static int allow(int dev, const struct tally_range *ranges, __u32 n)
{
	struct tally_allow_ranges cmd = {
		.size = sizeof(cmd), .id = 1, .num_ranges = n, .ranges = PTR(ranges),
	};

	return call(dev, TALLY_ALLOW_RANGES, &cmd);
}

static const struct tally_range three[3] = {
	{ .start = 0x1000, .last = 0x1fff, .kind = TALLY_KIND_DATA },
	{ .start = 0x4000, .last = 0x4fff, .kind = TALLY_KIND_CODE },
	{ .start = 0x9000, .last = 0x9fff, .kind = TALLY_KIND_DATA },
};

static void test_allow(int dev)
{
	struct tally_range bad[2];

	expect_errno(allow(dev, three, 3), 0, "ALLOW_RANGES of 3 ranges");
	expect_errno(allow(dev, three, TALLY_MAX_RANGES + 1), E2BIG,
		     "ALLOW_RANGES over the maximum count");
	expect_errno(allow(dev, three, 0xffffffffu), E2BIG,
		     "ALLOW_RANGES of 2^32-1 ranges (the byte size overflows 32 bits)");
	memcpy(bad, three, sizeof(bad));
	bad[1].kind = 7;
	expect_errno(allow(dev, bad, 2), EOPNOTSUPP,
		     "ALLOW_RANGES with an unknown enum value in element 1");
	memcpy(bad, three, sizeof(bad));
	bad[1].__reserved = 1;
	expect_errno(allow(dev, bad, 2), EOPNOTSUPP,
		     "ALLOW_RANGES with a non-zero reserved member in element 1");
	memcpy(bad, three, sizeof(bad));
	bad[0].last = 0;
	expect_errno(allow(dev, bad, 2), EINVAL, "ALLOW_RANGES: the handler's own check");
	expect_errno(allow(dev, at_edge(three, sizeof(three[0])), 2), EFAULT,
		     "ALLOW_RANGES whose second element is unmapped");
	expect_errno(allow(dev, NULL, 1), EFAULT, "ALLOW_RANGES of 1 range at NULL");
}

static int ranges(int dev, struct tally_ranges *cmd, void *to, __u32 room)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->size = sizeof(*cmd);
	cmd->id = 1;
	cmd->num_ranges = room;
	cmd->ranges = PTR(to);
	return call(dev, TALLY_RANGES, cmd);
}

static void test_query(int dev)
{
	struct tally_range got[4];
	struct tally_ranges cmd;

	memset(got, GUARD, sizeof(got));
	expect_errno(ranges(dev, &cmd, NULL, 0), EMSGSIZE, "RANGES with no room");
	check(cmd.num_ranges == 3 && cmd.alignment == 4096,
	      "  ... reports 3 ranges and alignment 4096 (got %u, %llu)", cmd.num_ranges,
	      (unsigned long long)cmd.alignment);
	expect_errno(ranges(dev, &cmd, got, 1), EMSGSIZE, "RANGES with room for 1");
	check(cmd.num_ranges == 3 && !memcmp(got, three, sizeof(three[0])) &&
	      guard_intact((unsigned char *)&got[1], 3 * sizeof(got[0])),
	      "  ... fills the first, reports 3 and writes nothing past the room");
	memset(got, GUARD, sizeof(got));
	expect_errno(ranges(dev, &cmd, got, 3), 0, "RANGES with room for exactly 3");
	check(cmd.num_ranges == 3 && !memcmp(got, three, sizeof(three)) &&
	      guard_intact((unsigned char *)&got[3], sizeof(got[0])),
	      "  ... fills all 3 and nothing past them");
	expect_errno(ranges(dev, &cmd, got, 4), 0, "RANGES with room for 4");
	check(cmd.num_ranges == 3, "  ... reports 3 (got %u)", cmd.num_ranges);
	expect_errno(ranges(dev, &cmd, read_only(got, sizeof(got)), 3), EFAULT,
		     "RANGES into read-only memory");
	expect_errno(ranges(dev, &cmd, edge_page + page_size - sizeof(got[0]), 3), EFAULT,
		     "RANGES whose second element is unmapped");
	expect_errno(allow(dev, NULL, 0), 0, "ALLOW_RANGES of none");
	expect_errno(ranges(dev, &cmd, NULL, 0), 0, "RANGES of none fits no room");
	check(cmd.num_ranges == 0, "  ... reports 0 (got %u)", cmd.num_ranges);
}

static int configure(int dev, __u32 *counters, __u16 n)
{
	struct tally_configure cmd = {
		.size = sizeof(cmd), .num_counters = n, .counters = PTR(counters),
	};

	return call(dev, TALLY_CONFIGURE, &cmd);
}

static void test_inout_and_out(int dev)
{
	__u32 counters[65] = { TALLY_COUNTER_RESET, TALLY_COUNTER_WRAP, 0 };
	__u64 values[5];
	/* Room for 1025 values: a kernel that wrongly takes them writes no further. */
	static __u64 room[1025];
	struct tally_sample sample = { .size = sizeof(sample), .num_values = 4 };

	expect_errno(configure(dev, counters, 3), 0, "CONFIGURE 3 counters");
	check(counters[0] == (TALLY_COUNTER_RESET | TALLY_COUNTER_WRAP) &&
	      counters[1] == 0 && counters[2] == TALLY_COUNTER_WRAP,
	      "  ... writes each counter's flags back");
	counters[1] = 1u << 5;
	expect_errno(configure(dev, counters, 2), EOPNOTSUPP,
		     "CONFIGURE with an unknown flag in element 1");
	expect_errno(configure(dev, counters, 65), E2BIG, "CONFIGURE of 65 counters (max 64)");

	memset(values, GUARD, sizeof(values));
	sample.values = PTR(values);
	expect_errno(call(dev, TALLY_SAMPLE, &sample), 0, "SAMPLE 4 values");
	check(values[0] == 1 && values[1] == 11 && values[2] == 21 && values[3] == 31 &&
	      guard_intact((unsigned char *)&values[4], sizeof(values[4])),
	      "  ... writes the 4 values and nothing past them");
	sample.num_values = 1025;
	sample.values = PTR(room);
	expect_errno(call(dev, TALLY_SAMPLE, &sample), E2BIG, "SAMPLE of 1025 values (max 1024)");
	sample.num_values = 0;
	expect_errno(call(dev, TALLY_SAMPLE, &sample), 0, "SAMPLE of no value");
	sample.num_values = 2;
	sample.values = PTR(read_only(values, sizeof(values)));
	expect_errno(call(dev, TALLY_SAMPLE, &sample), EFAULT, "SAMPLE into read-only memory");
}

int main(void)
{
	int dev = open("/dev/tally", O_RDWR);

	if (dev < 0) {
		perror("/dev/tally");
		return 1;
	}
	if (map_test_pages())
		return 1;
	test_allow(dev);
	test_query(dev);
	test_inout_and_out(dev);
	close(dev);
	printf("# %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
