// SPDX-License-Identifier: GPL-2.0
/*
 * luogen e2e smoke test: a misc device whose ioctls prove that a module built by the
 * harness loads, registers /dev/luogen_smoke and answers a static userspace test.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "luogen_smoke.h"

static long luogen_smoke_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	__u32 magic = LUOGEN_SMOKE_MAGIC;
	__u64 value;

	switch (cmd) {
	case LUOGEN_SMOKE_GET_MAGIC:
		if (copy_to_user(argp, &magic, sizeof(magic)))
			return -EFAULT;
		return 0;
	case LUOGEN_SMOKE_INCREMENT:
		if (copy_from_user(&value, argp, sizeof(value)))
			return -EFAULT;
		value++;
		if (copy_to_user(argp, &value, sizeof(value)))
			return -EFAULT;
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations luogen_smoke_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = luogen_smoke_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice luogen_smoke_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "luogen_smoke",
	.fops = &luogen_smoke_fops,
};

module_misc_device(luogen_smoke_dev);

MODULE_DESCRIPTION("luogen end-to-end smoke test device");
MODULE_LICENSE("GPL");
