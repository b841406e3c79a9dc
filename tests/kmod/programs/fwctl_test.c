// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace test of the fwctl test module (tests/kmod/fwctl, a fake mlx5 device at
 * /dev/fwctl0) through luogen's generated uapi header only. One line per check:
 * "ok N - ..." or "not ok N - ...". Exit status 0 only when every check passed.
 *
 * Build: gcc -static -O2 -Wall -Wextra -I generated/fwctl/include/uapi fwctl_test.c
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

#include <fwctl/fwctl.h>

#include "checks.h"

#define PTR(p) ((__u64)(uintptr_t)(p))

/* What the fake device reports in out_device_data (see tests/kmod/fwctl/main.c). */
static const unsigned char device_data[16] = {
	0x78, 0x56, 0x34, 0x12, 0x01, 0x00, 0x00, 0x00,
	0x6c, 0x75, 0x6f, 0x67, 0x65, 0x6e, 0x00, 0x00,
};

static void test_info(int dev)
{
	unsigned char buf[128] __attribute__((aligned(8)));
	unsigned char data[64];
	struct fwctl_info info, *bi = (struct fwctl_info *)buf;

	memset(data, GUARD, sizeof(data));
	memset(buf, GUARD, sizeof(buf));
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.out_device_type = 0xdead;
	info.device_data_len = sizeof(data);
	info.out_device_data = PTR(data);
	memcpy(buf, &info, sizeof(info));
	expect(call(dev, FWCTL_INFO, buf), 0, "FWCTL_INFO exact size 24 (= min_size)");
	check(bi->out_device_type == FWCTL_DEVICE_TYPE_MLX5,
	      "out_device_type = FWCTL_DEVICE_TYPE_MLX5 (got %u)", bi->out_device_type);
	check(bi->device_data_len == sizeof(device_data),
	      "device_data_len = 16, the blob's size (got %u)", bi->device_data_len);
	check(!memcmp(data, device_data, sizeof(device_data)) &&
	      guard_intact(data + 16, sizeof(data) - 16),
	      "device data copied, nothing past the blob written");
	check(guard_intact(buf + 24, sizeof(buf) - 24),
	      "copy-back wrote nothing past size 24");
	check(bi->size == 24 && bi->flags == 0 && bi->out_device_data == PTR(data),
	      "input members came back unchanged");

	memset(data, GUARD, sizeof(data));
	info.device_data_len = 4;
	expect(call(dev, FWCTL_INFO, &info), 0, "FWCTL_INFO device_data_len 4");
	check(!memcmp(data, device_data, 4) && guard_intact(data + 4, sizeof(data) - 4),
	      "only 4 bytes of device data copied");
	check(info.device_data_len == 16, "device_data_len reports the full 16 (got %u)",
	      info.device_data_len);

	info.device_data_len = 0;
	info.out_device_data = 0;
	expect(call(dev, FWCTL_INFO, &info), 0, "FWCTL_INFO device_data_len 0, NULL buffer");
	check(info.device_data_len == 16 && info.out_device_type == FWCTL_DEVICE_TYPE_MLX5,
	      "device_data_len and type filled without a buffer");

	info.device_data_len = 16;
	info.out_device_data = 8;
	expect(call(dev, FWCTL_INFO, &info), EFAULT, "FWCTL_INFO bad out_device_data");

	info.out_device_data = PTR(data);
	info.flags = 1;
	expect(call(dev, FWCTL_INFO, &info), EOPNOTSUPP, "FWCTL_INFO flags = 1");
	info.flags = 0x80000000;
	expect(call(dev, FWCTL_INFO, &info), EOPNOTSUPP, "FWCTL_INFO flags = 0x80000000");
	info.flags = 0;

	for (unsigned int size = 0; size < 24; size += (size < 20 ? 4 : 3)) {
		char what[64];

		info.size = size;
		snprintf(what, sizeof(what), "FWCTL_INFO size %u < min_size 24", size);
		expect(call(dev, FWCTL_INFO, &info), EINVAL, what);
	}

	memset(buf, GUARD, sizeof(buf));
	memset(buf, 0, 40);
	info.size = 40;
	info.device_data_len = 16;
	info.out_device_type = 0;
	memcpy(buf, &info, sizeof(info));
	expect(call(dev, FWCTL_INFO, buf), 0, "FWCTL_INFO size 40, zero tail");
	check(bi->out_device_type == FWCTL_DEVICE_TYPE_MLX5 && guard_intact(buf + 40, 88),
	      "larger struct: type filled, guard past size 40 intact");
	buf[39] = 1;
	expect(call(dev, FWCTL_INFO, buf), E2BIG, "FWCTL_INFO size 40, non-zero tail");
	buf[39] = 0;
	buf[24] = 1;
	expect(call(dev, FWCTL_INFO, buf), E2BIG, "FWCTL_INFO size 40, byte 24 non-zero");

	info.size = 24;
	expect(call(dev, FWCTL_INFO, NULL), EFAULT, "FWCTL_INFO NULL pointer");
	expect(call(dev, FWCTL_INFO, at_edge(&info, 2)), EFAULT,
	       "FWCTL_INFO size header straddles an unmapped page");
	expect(call(dev, FWCTL_INFO, at_edge(&info, 4)), EFAULT,
	       "FWCTL_INFO size readable, rest unmapped");
	expect(call(dev, FWCTL_INFO, at_edge(&info, 24)), 0,
	       "FWCTL_INFO struct ending exactly at an unmapped page");
	expect(call(dev, FWCTL_INFO, read_only(&info, sizeof(info))), EFAULT,
	       "FWCTL_INFO on a read-only struct (copy-back faults)");
}

static void test_rpc(int dev)
{
	unsigned char buf[128] __attribute__((aligned(8)));
	static const char req[] = "hello firmware";
	unsigned char out[64];
	struct fwctl_rpc rpc, *br = (struct fwctl_rpc *)buf;
	static const char *const scopes[] = {
		"FWCTL_RPC_CONFIGURATION", "FWCTL_RPC_DEBUG_READ_ONLY", "FWCTL_RPC_DEBUG_WRITE",
	};
	char what[96];
	unsigned char *big;

	memset(out, GUARD, sizeof(out));
	memset(buf, GUARD, sizeof(buf));
	memset(&rpc, 0, sizeof(rpc));
	rpc.size = sizeof(rpc);
	rpc.scope = FWCTL_RPC_CONFIGURATION;
	rpc.in_len = sizeof(req) - 1;
	rpc.out_len = sizeof(out);
	rpc.in = PTR(req);
	rpc.out = PTR(out);
	memcpy(buf, &rpc, sizeof(rpc));
	expect(call(dev, FWCTL_RPC, buf), 0, "FWCTL_RPC echo, exact size 32 (= min_size)");
	check(br->out_len == rpc.in_len, "out_len = in_len = %u (got %u)", rpc.in_len,
	      br->out_len);
	check(!memcmp(out, req, rpc.in_len) && guard_intact(out + rpc.in_len,
							    sizeof(out) - rpc.in_len),
	      "response echoes the request, nothing past it written");
	check(guard_intact(buf + 32, sizeof(buf) - 32), "copy-back wrote nothing past size 32");

	for (unsigned int scope = 0; scope < 3; scope++) {
		rpc.scope = scope;
		rpc.out_len = sizeof(out);
		snprintf(what, sizeof(what), "FWCTL_RPC scope %s", scopes[scope]);
		expect(call(dev, FWCTL_RPC, &rpc), 0, what);
	}
	rpc.out_len = sizeof(out);
	rpc.scope = FWCTL_RPC_DEBUG_WRITE_FULL;
	expect(call(dev, FWCTL_RPC, &rpc), EPERM, "FWCTL_RPC scope FWCTL_RPC_DEBUG_WRITE_FULL");
	rpc.scope = 99;
	expect(call(dev, FWCTL_RPC, &rpc), EOPNOTSUPP, "FWCTL_RPC unknown scope 99");
	rpc.scope = 4;
	expect(call(dev, FWCTL_RPC, &rpc), EOPNOTSUPP, "FWCTL_RPC unknown scope 4");
	rpc.scope = 0xffffffff;
	expect(call(dev, FWCTL_RPC, &rpc), EOPNOTSUPP, "FWCTL_RPC unknown scope 0xffffffff");
	rpc.scope = FWCTL_RPC_DEBUG_READ_ONLY;

	memset(out, GUARD, sizeof(out));
	rpc.out_len = 5;
	expect(call(dev, FWCTL_RPC, &rpc), ENOSPC, "FWCTL_RPC out_len 5 < in_len 14");
	check(rpc.out_len == rpc.in_len && guard_intact(out, sizeof(out)),
	      "ENOSPC: out_len reports the needed %u (got %u), out untouched",
	      rpc.in_len, rpc.out_len);

	rpc.in_len = 0;
	rpc.out_len = 0;
	rpc.in = 0;
	rpc.out = 0;
	expect(call(dev, FWCTL_RPC, &rpc), 0, "FWCTL_RPC empty request, NULL buffers");
	check(rpc.out_len == 0, "empty response: out_len 0");

	rpc.in_len = sizeof(req) - 1;
	rpc.out_len = sizeof(out);
	rpc.in = 8;
	rpc.out = PTR(out);
	expect(call(dev, FWCTL_RPC, &rpc), EFAULT, "FWCTL_RPC bad in pointer");
	rpc.in = PTR(req);
	rpc.out = PTR(req);	/* read-only */
	expect(call(dev, FWCTL_RPC, &rpc), EFAULT, "FWCTL_RPC read-only out buffer");
	rpc.out = PTR(out);

	big = calloc(1, 0x20000);
	rpc.in = PTR(big);
	rpc.out = PTR(big);
	rpc.in_len = 0x10000;
	rpc.out_len = 0x20000;
	expect(call(dev, FWCTL_RPC, &rpc), 0, "FWCTL_RPC 64 KiB request (the largest)");
	rpc.in_len = 0x10001;
	expect(call(dev, FWCTL_RPC, &rpc), EINVAL, "FWCTL_RPC in_len 64 KiB + 1");
	free(big);
	rpc.in = PTR(req);
	rpc.out = PTR(out);
	rpc.in_len = sizeof(req) - 1;
	rpc.out_len = sizeof(out);

	for (unsigned int size = 0; size < 32; size += (size < 28 ? 8 : 3)) {
		rpc.size = size;
		snprintf(what, sizeof(what), "FWCTL_RPC size %u < min_size 32", size);
		expect(call(dev, FWCTL_RPC, &rpc), EINVAL, what);
	}
	memset(buf, GUARD, sizeof(buf));
	memset(buf, 0, 64);
	rpc.size = 64;
	memcpy(buf, &rpc, sizeof(rpc));
	expect(call(dev, FWCTL_RPC, buf), 0, "FWCTL_RPC size 64, zero tail");
	check(br->out_len == 14 && guard_intact(buf + 64, 64),
	      "larger struct: out_len filled, guard past size 64 intact");
	buf[63] = 0xff;
	expect(call(dev, FWCTL_RPC, buf), E2BIG, "FWCTL_RPC size 64, non-zero tail");

	rpc.size = 32;
	expect(call(dev, FWCTL_RPC, NULL), EFAULT, "FWCTL_RPC NULL pointer");
	expect(call(dev, FWCTL_RPC, at_edge(&rpc, 1)), EFAULT,
	       "FWCTL_RPC size header straddles an unmapped page");
	expect(call(dev, FWCTL_RPC, at_edge(&rpc, 16)), EFAULT,
	       "FWCTL_RPC struct cut short by an unmapped page");
	expect(call(dev, FWCTL_RPC, read_only(&rpc, sizeof(rpc))), EFAULT,
	       "FWCTL_RPC on a read-only struct (copy-back faults)");
}

static void test_numbers(int dev)
{
	struct fwctl_rpc rpc = { .size = sizeof(rpc) };

	expect(call(dev, _IO(FWCTL_TYPE, 2), &rpc), ENOTTY, "NR 2 (just past the range)");
	expect(call(dev, _IO(FWCTL_TYPE, 0x40), &rpc), ENOTTY, "NR 0x40");
	expect(call(dev, _IO(FWCTL_TYPE, 0xff), &rpc), ENOTTY, "NR 0xff");
	expect(call(dev, _IO(0x9B, FWCTL_CMD_INFO), &rpc), ENOTTY,
	       "wrong type byte 0x9B, right NR");
	expect(call(dev, _IO(0xBA, FWCTL_CMD_RPC), &rpc), ENOTTY,
	       "wrong type byte 0xBA (liveupdate's), right NR");
	expect(call(dev, _IOWR(FWCTL_TYPE, FWCTL_CMD_INFO, struct fwctl_info), &rpc), ENOTTY,
	       "_IOWR-encoded FWCTL_INFO");
	expect(call(dev, _IOW(FWCTL_TYPE, FWCTL_CMD_RPC, struct fwctl_rpc), &rpc), ENOTTY,
	       "_IOW-encoded FWCTL_RPC");
	expect(call(dev, _IOR(FWCTL_TYPE, FWCTL_CMD_RPC, struct fwctl_rpc), &rpc), ENOTTY,
	       "_IOR-encoded FWCTL_RPC");
}

int main(void)
{
	int dev;

	if (map_test_pages())
		return 2;

	dev = open("/dev/fwctl0", O_RDWR);
	if (!check(dev >= 0, "open /dev/fwctl0 (%s)", dev < 0 ? strerror(errno) : "ok"))
		return 1;
	test_info(dev);
	test_rpc(dev);
	test_numbers(dev);
	close(dev);

	printf("# fwctl_test: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
