// SPDX-License-Identifier: GPL-2.0
/*
 * pager test module: a fake accelerator behind /dev/pager whose handlers use
 * only the driver-data helpers luogen generated into pager_ioctl.h.
 *
 *  - PAGER_TABLE_ALLOC copies in the struct its data_type selects and
 *    answers with an id that encodes what it read: 1000 + addr_width for a
 *    VT-d table, 2000 + ste + ste_hi for an Arm one, 3000 for no data (which
 *    must then be empty: EINVAL otherwise).
 *  - PAGER_GET_INFO reports VT-d facts (flags 7, cap_reg 0x1122334455667788,
 *    ecap_reg 0x99).
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "pager_ioctl.h"

int pager_device_cmd_table_alloc(struct luogen_ucmd *ucmd)
{
	struct pager_table_alloc *cmd = ucmd->cmd;
	struct pager_vtd_table vtd;
	struct pager_arm_table arm;
	int ret;

	switch (cmd->data_type) {
	case PAGER_TABLE_VTD:
		ret = pager_device_table_alloc_vtd_copy_in(cmd, &vtd);
		cmd->out_table_id = 1000 + vtd.addr_width;
		break;
	case PAGER_TABLE_ARM:
		ret = pager_device_table_alloc_arm_copy_in(cmd, &arm);
		cmd->out_table_id = 2000 + arm.ste + arm.ste_hi;
		break;
	default:
		ret = cmd->data_len || cmd->data_uptr ? -EINVAL : 0;
		cmd->out_table_id = 3000;
		break;
	}
	if (ret)
		return ret;
	return luogen_ucmd_respond(ucmd, sizeof(*cmd));
}

int pager_device_cmd_get_info(struct luogen_ucmd *ucmd)
{
	struct pager_get_info *cmd = ucmd->cmd;
	static const struct pager_vtd_info facts = {
		.flags = 7, .cap_reg = 0x1122334455667788ULL, .ecap_reg = 0x99,
	};
	int ret;

	ret = pager_device_get_info_vtd_copy_out(cmd, &facts);
	if (ret)
		return ret;
	return luogen_ucmd_respond(ucmd, sizeof(*cmd));
}

static const struct file_operations pager_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = pager_device_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice pager_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pager",
	.fops = &pager_fops,
};

static int __init pager_init(void)
{
	return misc_register(&pager_miscdev);
}
module_init(pager_init);

static void __exit pager_exit(void)
{
	misc_deregister(&pager_miscdev);
}
module_exit(pager_exit);

MODULE_DESCRIPTION("Driver data test module with a fake accelerator (luogen)");
MODULE_LICENSE("GPL");
