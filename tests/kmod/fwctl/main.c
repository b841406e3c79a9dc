// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl test module: a fake firmware behind /dev/fwctl0.
 *
 * Its ioctls go through the dispatch luogen generated from spec/fwctl.yaml,
 * which already rejects a non-zero FWCTL_INFO flags and an unknown RPC scope
 * (EOPNOTSUPP). The handlers here:
 *
 *  - FWCTL_INFO reports an mlx5 device and copies the first device_data_len
 *    bytes of a small device-data blob to out_device_data; device_data_len
 *    comes back as the size of the whole blob.
 *  - FWCTL_RPC answers every RPC by echoing the request: the response is the
 *    in_len bytes of @in, copied to @out. out_len comes back as in_len. When
 *    out_len < in_len nothing is copied, out_len is still set to the length
 *    the response needs and the call fails with ENOSPC. in_len above
 *    FWCTL_FAKE_MAX_RPC fails with EINVAL. FWCTL_RPC_DEBUG_WRITE_FULL is
 *    refused with EPERM: this fake firmware grants no such access.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "fwctl_ioctl.h"

#define FWCTL_FAKE_MAX_RPC SZ_64K

/* Mimics a struct fwctl_info_mlx5: uid and capabilities. */
static const u8 fwctl_fake_device_data[] = {
	0x78, 0x56, 0x34, 0x12, 0x01, 0x00, 0x00, 0x00,
	0x6c, 0x75, 0x6f, 0x67, 0x65, 0x6e, 0x00, 0x00,
};

int fwctl_device_cmd_info(struct luogen_ucmd *ucmd)
{
	struct fwctl_info *cmd = ucmd->cmd;
	u32 len = min_t(u32, cmd->device_data_len,
			sizeof(fwctl_fake_device_data));

	if (len && copy_to_user(u64_to_user_ptr(cmd->out_device_data),
				fwctl_fake_device_data, len))
		return -EFAULT;
	cmd->out_device_type = FWCTL_DEVICE_TYPE_MLX5;
	cmd->device_data_len = sizeof(fwctl_fake_device_data);
	return luogen_ucmd_respond(ucmd, sizeof(*cmd));
}

int fwctl_device_cmd_rpc(struct luogen_ucmd *ucmd)
{
	struct fwctl_rpc *cmd = ucmd->cmd;
	void *buf;
	int ret;

	if (cmd->scope == FWCTL_RPC_DEBUG_WRITE_FULL)
		return -EPERM;
	if (cmd->in_len > FWCTL_FAKE_MAX_RPC)
		return -EINVAL;
	if (cmd->out_len < cmd->in_len) {
		cmd->out_len = cmd->in_len;
		ret = luogen_ucmd_respond(ucmd, sizeof(*cmd));
		return ret ?: -ENOSPC;
	}

	buf = kvzalloc(cmd->in_len ?: 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, u64_to_user_ptr(cmd->in), cmd->in_len) ||
	    copy_to_user(u64_to_user_ptr(cmd->out), buf, cmd->in_len)) {
		ret = -EFAULT;
		goto out;
	}
	cmd->out_len = cmd->in_len;
	ret = luogen_ucmd_respond(ucmd, sizeof(*cmd));
out:
	kvfree(buf);
	return ret;
}

static const struct file_operations fwctl_fake_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = fwctl_device_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice fwctl_fake_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "fwctl0",
	.fops = &fwctl_fake_fops,
};

static int __init fwctl_fake_init(void)
{
	return misc_register(&fwctl_fake_miscdev);
}
module_init(fwctl_fake_init);

static void __exit fwctl_fake_exit(void)
{
	misc_deregister(&fwctl_fake_miscdev);
}
module_exit(fwctl_fake_exit);

MODULE_DESCRIPTION("fwctl ioctl test module with a fake device (luogen)");
MODULE_LICENSE("GPL");
