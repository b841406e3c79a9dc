// SPDX-License-Identifier: GPL-2.0
/*
 * tally test module: a fake accelerator behind /dev/tally whose handlers use
 * only the counted-array helpers luogen generated into tally_ioctl.h.
 *
 *  - TALLY_ALLOW_RANGES replaces the device's ranges with the ones passed
 *    (the helper bounds the count and checks every element); a range whose
 *    last address is below its start is refused with EINVAL.
 *  - TALLY_RANGES answers with the ranges by the query protocol, alignment
 *    4096.
 *  - TALLY_CONFIGURE toggles TALLY_COUNTER_WRAP in each counter's flags and
 *    writes them back.
 *  - TALLY_SAMPLE writes 10 * i + 1 into value i.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "tally_ioctl.h"

static DEFINE_MUTEX(tally_lock);
static struct tally_range *tally_ranges;
static u32 tally_nr_ranges;

int tally_device_cmd_allow_ranges(struct luogen_ucmd *ucmd)
{
	struct tally_allow_ranges *cmd = ucmd->cmd;
	struct tally_range *ranges;
	u32 i;

	ranges = tally_device_allow_ranges_ranges_copy_in(cmd);
	if (IS_ERR(ranges))
		return PTR_ERR(ranges);
	for (i = 0; i < cmd->num_ranges; i++) {
		if (ranges[i].last < ranges[i].start) {
			kvfree(ranges);
			return -EINVAL;
		}
	}
	mutex_lock(&tally_lock);
	kvfree(tally_ranges);
	tally_ranges = ranges;
	tally_nr_ranges = cmd->num_ranges;
	mutex_unlock(&tally_lock);
	return 0;
}

int tally_device_cmd_ranges(struct luogen_ucmd *ucmd)
{
	struct tally_ranges *cmd = ucmd->cmd;
	int ret;

	cmd->alignment = 4096;
	mutex_lock(&tally_lock);
	ret = tally_device_ranges_ranges_answer(ucmd, tally_ranges,
						tally_nr_ranges);
	mutex_unlock(&tally_lock);
	return ret;
}

int tally_device_cmd_configure(struct luogen_ucmd *ucmd)
{
	struct tally_configure *cmd = ucmd->cmd;
	u32 *counters;
	int ret;
	u16 i;

	counters = tally_device_configure_counters_copy_in(cmd);
	if (IS_ERR(counters))
		return PTR_ERR(counters);
	for (i = 0; i < cmd->num_counters; i++)
		counters[i] ^= TALLY_COUNTER_WRAP;
	ret = tally_device_configure_counters_copy_out(cmd, counters);
	kvfree(counters);
	return ret;
}

int tally_device_cmd_sample(struct luogen_ucmd *ucmd)
{
	struct tally_sample *cmd = ucmd->cmd;
	u64 *values;
	int ret;
	u32 i;

	values = tally_device_sample_values_alloc(cmd);
	if (IS_ERR(values))
		return PTR_ERR(values);
	for (i = 0; i < cmd->num_values; i++)
		values[i] = 10 * i + 1;
	ret = tally_device_sample_values_copy_out(cmd, values);
	kvfree(values);
	return ret;
}

static const struct file_operations tally_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = tally_device_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice tally_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "tally",
	.fops = &tally_fops,
};

static int __init tally_init(void)
{
	return misc_register(&tally_miscdev);
}
module_init(tally_init);

static void __exit tally_exit(void)
{
	misc_deregister(&tally_miscdev);
	kvfree(tally_ranges);
}
module_exit(tally_exit);

MODULE_DESCRIPTION("Counted arrays test module with a fake accelerator (luogen)");
MODULE_LICENSE("GPL");
