/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's own struct of one call, with the members and names of
 * drivers/iommu/iommufd/iommufd_private.h: spec/iommufd.yaml names it
 * (kernel: ucmd:), so the generated op table takes main.c's handlers as a
 * real iommufd's are written. The dispatch sets ictx to the file's
 * private_data.
 */
#ifndef __IOMMUFD_PRIVATE_H
#define __IOMMUFD_PRIVATE_H

#include <linux/types.h>

struct iommufd_ctx;

struct iommufd_ucmd {
	struct iommufd_ctx *ictx;
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

#endif
