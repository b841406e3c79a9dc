// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator test module: /dev/liveupdate.
 *
 * A misc device that one process at a time may hold open. Its ioctls go through
 * the dispatch luogen generated from spec/liveupdate.yaml; this file only holds
 * the device and the two device command handlers. Sessions live in memory and
 * are kept by luo_session.c.
 */
#include <linux/atomic.h>
#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "luo_internal.h"

static atomic_t luo_device_busy = ATOMIC_INIT(0);

static int luo_device_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&luo_device_busy, 0, 1))
		return -EBUSY;
	return 0;
}

static int luo_device_release(struct inode *inode, struct file *file)
{
	atomic_set(&luo_device_busy, 0);
	return 0;
}

static const struct file_operations luo_device_fops = {
	.owner = THIS_MODULE,
	.open = luo_device_open,
	.release = luo_device_release,
	.unlocked_ioctl = liveupdate_device_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice luo_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "liveupdate",
	.fops = &luo_device_fops,
};

int liveupdate_device_cmd_create_session(struct luogen_ucmd *ucmd)
{
	struct liveupdate_ioctl_create_session *cmd = ucmd->cmd;
	struct luo_session *session;
	int ret;

	ret = luo_session_check_name(cmd->name);
	if (ret)
		return ret;
	session = luo_session_create(cmd->name);
	if (IS_ERR(session))
		return PTR_ERR(session);
	return luo_session_install(ucmd, session, &cmd->fd, sizeof(*cmd));
}

int liveupdate_device_cmd_retrieve_session(struct luogen_ucmd *ucmd)
{
	struct liveupdate_ioctl_retrieve_session *cmd = ucmd->cmd;
	struct luo_session *session;
	int ret;

	ret = luo_session_check_name(cmd->name);
	if (ret)
		return ret;
	session = luo_session_get_by_name(cmd->name);
	if (IS_ERR(session))
		return PTR_ERR(session);
	return luo_session_install(ucmd, session, &cmd->fd, sizeof(*cmd));
}

static int __init luo_init(void)
{
	return misc_register(&luo_miscdev);
}
module_init(luo_init);

static void __exit luo_exit(void)
{
	misc_deregister(&luo_miscdev);
}
module_exit(luo_exit);

MODULE_DESCRIPTION("Live Update Orchestrator ioctl test module (luogen)");
MODULE_LICENSE("GPL");
