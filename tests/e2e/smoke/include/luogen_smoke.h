/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Shared by the smoke module and its userspace test: one misc device with two ioctls.
 */
#ifndef _LUOGEN_SMOKE_H
#define _LUOGEN_SMOKE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LUOGEN_SMOKE_DEVICE	"/dev/luogen_smoke"
#define LUOGEN_SMOKE_MAGIC	0x4c554f47U	/* "LUOG" */

#define LUOGEN_SMOKE_IOC_TYPE	0xB7
/* Returns LUOGEN_SMOKE_MAGIC. */
#define LUOGEN_SMOKE_GET_MAGIC	_IOR(LUOGEN_SMOKE_IOC_TYPE, 0x01, __u32)
/* Adds one to the value passed in and hands it back. */
#define LUOGEN_SMOKE_INCREMENT	_IOWR(LUOGEN_SMOKE_IOC_TYPE, 0x02, __u64)

#endif /* _LUOGEN_SMOKE_H */
