// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace half of the smoke test. Exit status 0 means every check passed.
 * Build with -DSMOKE_EXPECT_MAGIC=<wrong value> for the negative control.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "luogen_smoke.h"

#ifndef SMOKE_EXPECT_MAGIC
#define SMOKE_EXPECT_MAGIC LUOGEN_SMOKE_MAGIC
#endif

static int failures;

static void check(int ok, const char *what)
{
	printf("smoke: %s: %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

int main(void)
{
	__u32 magic = 0;
	__u64 value = 41;
	int fd = open(LUOGEN_SMOKE_DEVICE, O_RDWR);

	if (fd < 0) {
		printf("smoke: open %s: %s\n", LUOGEN_SMOKE_DEVICE, strerror(errno));
		return 2;
	}
	check(ioctl(fd, LUOGEN_SMOKE_GET_MAGIC, &magic) == 0, "GET_MAGIC returns 0");
	printf("smoke: magic 0x%08x (expected 0x%08x)\n",
	       (unsigned int)magic, (unsigned int)SMOKE_EXPECT_MAGIC);
	check(magic == SMOKE_EXPECT_MAGIC, "GET_MAGIC value");
	check(ioctl(fd, LUOGEN_SMOKE_INCREMENT, &value) == 0 && value == 42, "INCREMENT 41 -> 42");
	check(ioctl(fd, LUOGEN_SMOKE_INCREMENT, NULL) == -1 && errno == EFAULT,
	      "INCREMENT bad pointer -> EFAULT");
	check(ioctl(fd, _IO(LUOGEN_SMOKE_IOC_TYPE, 0x7f)) == -1 && errno == ENOTTY,
	      "unknown ioctl -> ENOTTY");
	close(fd);
	return failures ? 1 : 0;
}
