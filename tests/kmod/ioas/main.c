// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd-shaped test module: /dev/luogen-iommu answers the iommufd uapi
 * through the dispatch luogen generated from spec/iommufd.yaml, with objects
 * held in memory (an xarray per open file) and no IOMMU behind them.
 *
 *  - IOMMU_IOAS_ALLOC makes an IOAS; IDs start at 1 in each open file.
 *  - IOMMU_IOAS_IOVA_RANGES answers through the generated counted-array
 *    helper: the allowed list once IOMMU_IOAS_ALLOW_IOVAS set one, else the
 *    whole IOVA space but the fake device's reserved MSI window
 *    (IOAS_MSI_START..IOAS_MSI_LAST), two ranges.
 *  - IOMMU_IOAS_ALLOW_IOVAS copies the list in with the generated helper;
 *    an element with start > last is -EINVAL, one that meets the reserved
 *    window -EADDRINUSE.
 *  - IOMMU_HWPT_ALLOC for the one fake device (IOAS_DEV_ID): without data
 *    from an IOAS, with IOMMU_HWPT_DATA_VTD_S1 (copied in by the generated
 *    typed-data helper, kept) from a HWPT allocated with
 *    IOMMU_HWPT_ALLOC_NEST_PARENT; the device is VT-d-like, so SMMUv3 data is
 *    -EOPNOTSUPP. An object in use by a HWPT cannot be destroyed (-EBUSY).
 *  - IOMMU_GET_HW_INFO, through the generated output-data helpers: fixed VT-d
 *    facts for IOAS_DEV_ID; for IOAS_SMMU_DEV_ID, an SMMUv3 with NVIDIA's
 *    Tegra241 CMDQV extension, the SMMUv3 facts, or with
 *    IOMMU_HW_INFO_FLAG_INPUT_TYPE those of CMDQV; for IOAS_NEW_DEV_ID, what a
 *    newer kernel's driver would report: 8 bytes of a type (IOAS_NEW_TYPE) the
 *    bindings do not know.
 *  - IOMMU_VIOMMU_ALLOC for IOAS_SMMU_DEV_ID on a HWPT allocated with
 *    IOMMU_HWPT_ALLOC_NEST_PARENT (which it then holds): IOMMU_VIOMMU_TYPE_ARM_SMMUV3
 *    without data, or IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, whose data the
 *    generated helpers copy in and write back with the VINTF's mmap offset
 *    (IOAS_VINTF_MMAP_OFFSET plus the parent HWPT's ID in pages) and length
 *    (SZ_64K); other devices are -EOPNOTSUPP.
 *  - IOMMU_FAULT_QUEUE_ALLOC makes a FAULT object and its fd (out_fault_fd,
 *    a __u32 in the header), installed only once the answer reached
 *    userspace; no device here faults, so reading it gives end of file.
 *  - IOMMU_OPTION: IOMMU_OPTION_RLIMIT_MODE per open file (object_id 0),
 *    IOMMU_OPTION_HUGE_PAGES per IOAS (1 by default).
 *  - IOMMU_VFIO_IOAS: the compatibility IOAS of the open file, set, got
 *    (-ENODEV without one) and cleared.
 *  - The handlers take the driver's struct iommufd_ucmd (iommufd_private.h),
 *    which the dispatch fills, ictx included.
 *  - IOMMU_HWPT_GET_DIRTY_BITMAP reports every third page dirty, into the
 *    caller's bitmap as the kernel's iova_bitmap lays it out.
 *  - IOMMU_DESTROY frees an object; every other command is -EOPNOTSUPP and
 *    the VFIO compatibility numbers (the fallback) are -ENOTTY.
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "iommufd_ioctl.h"

#define IOAS_DEV_ID 1
#define IOAS_SMMU_DEV_ID 2
#define IOAS_NEW_DEV_ID 3
#define IOAS_NEW_TYPE 0x7f
#define IOAS_MSI_START 0xfee00000ULL
#define IOAS_MSI_LAST 0xfeefffffULL
#define IOAS_VINTF_MMAP_OFFSET 0x100000ULL

enum ioas_obj_type {
	IOAS_OBJ_IOAS = 1,
	IOAS_OBJ_HWPT,
	IOAS_OBJ_FAULT,
	IOAS_OBJ_VIOMMU,
};

struct ioas_obj {
	enum ioas_obj_type type;
	unsigned int users; /* the HWPTs allocated from it */
};

struct ioas_ioas {
	struct ioas_obj obj;
	bool huge_pages;
	u32 nr_allowed;
	struct iommu_iova_range *allowed;
};

struct ioas_hwpt {
	struct ioas_obj obj;
	struct ioas_obj *parent;
	u32 flags;
	u32 data_type;
	struct iommu_hwpt_vtd_s1 vtd;
};

struct ioas_viommu {
	struct ioas_obj obj;
	struct ioas_obj *parent; /* the nesting parent HWPT */
	u32 type;
	struct iommu_viommu_tegra241_cmdqv cmdqv;
};

struct iommufd_ctx {
	struct mutex lock; /* objs and account_mode */
	struct xarray objs;
	u64 account_mode;
	u32 compat_ioas_id; /* IOMMU_VFIO_IOAS's; 0: none */
};

static const struct iommu_iova_range ioas_default_ranges[] = {
	{ .start = 0, .last = IOAS_MSI_START - 1 },
	{ .start = IOAS_MSI_LAST + 1, .last = U64_MAX },
};

static struct ioas_obj *ioas_find(struct iommufd_ctx *ctx, u32 id,
				  enum ioas_obj_type type)
{
	struct ioas_obj *obj = xa_load(&ctx->objs, id);

	return obj && obj->type == type ? obj : NULL;
}

static struct ioas_ioas *ioas_find_ioas(struct iommufd_ctx *ctx, u32 id)
{
	struct ioas_obj *obj = ioas_find(ctx, id, IOAS_OBJ_IOAS);

	return obj ? container_of(obj, struct ioas_ioas, obj) : NULL;
}

static void ioas_free(struct ioas_obj *obj)
{
	struct ioas_ioas *ioas;
	struct ioas_hwpt *hwpt;
	struct ioas_viommu *viommu;

	switch (obj->type) {
	case IOAS_OBJ_IOAS:
		ioas = container_of(obj, struct ioas_ioas, obj);
		kvfree(ioas->allowed);
		kfree(ioas);
		break;
	case IOAS_OBJ_HWPT:
		hwpt = container_of(obj, struct ioas_hwpt, obj);
		hwpt->parent->users--;
		kfree(hwpt);
		break;
	case IOAS_OBJ_FAULT:
		kfree(obj);
		break;
	case IOAS_OBJ_VIOMMU:
		viommu = container_of(obj, struct ioas_viommu, obj);
		viommu->parent->users--;
		kfree(viommu);
		break;
	}
}

int iommufd_destroy(struct iommufd_ucmd *ucmd)
{
	struct iommu_destroy *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	struct ioas_obj *obj;
	int ret = 0;

	mutex_lock(&ctx->lock);
	obj = xa_load(&ctx->objs, cmd->id);
	if (!obj) {
		ret = -ENOENT;
	} else if (obj->users) {
		ret = -EBUSY;
	} else {
		xa_erase(&ctx->objs, cmd->id);
		ioas_free(obj);
	}
	mutex_unlock(&ctx->lock);
	return ret;
}

/* Stores @obj under a new ID, answers with @id set to it; undone on failure. */
static int ioas_add(struct iommufd_ucmd *ucmd, struct ioas_obj *obj, u32 *id,
		    size_t cmd_len)
{
	struct iommufd_ctx *ctx = ucmd->ictx;
	int ret;

	ret = xa_alloc(&ctx->objs, id, obj, xa_limit_32b, GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;
	ret = luogen_ucmd_respond(ucmd, cmd_len);
	if (ret)
		xa_erase(&ctx->objs, *id);
	return ret;
}

int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_alloc *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	struct ioas_ioas *ioas;
	int ret;

	ioas = kzalloc(sizeof(*ioas), GFP_KERNEL_ACCOUNT);
	if (!ioas)
		return -ENOMEM;
	ioas->obj.type = IOAS_OBJ_IOAS;
	ioas->huge_pages = true;
	mutex_lock(&ctx->lock);
	ret = ioas_add(ucmd, &ioas->obj, &cmd->out_ioas_id, sizeof(*cmd));
	mutex_unlock(&ctx->lock);
	if (ret)
		kfree(ioas);
	return ret;
}

static int ioas_check_ranges(const struct iommu_iova_range *ranges, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		if (ranges[i].start > ranges[i].last)
			return -EINVAL;
		if (ranges[i].start <= IOAS_MSI_LAST &&
		    ranges[i].last >= IOAS_MSI_START)
			return -EADDRINUSE;
	}
	return 0;
}

int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_allow_iovas *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	struct iommu_iova_range *ranges;
	struct ioas_ioas *ioas;
	int ret;

	ranges = iommufd_ioas_allow_iovas_allowed_iovas_copy_in(cmd);
	if (IS_ERR(ranges))
		return PTR_ERR(ranges);
	ret = ioas_check_ranges(ranges, cmd->num_iovas);
	if (ret)
		goto out;
	mutex_lock(&ctx->lock);
	ioas = ioas_find_ioas(ctx, cmd->ioas_id);
	if (ioas) {
		swap(ioas->allowed, ranges);
		ioas->nr_allowed = cmd->num_iovas;
	} else {
		ret = -ENOENT;
	}
	mutex_unlock(&ctx->lock);
out:
	kvfree(ranges);
	return ret;
}

int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_iova_ranges *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	struct ioas_ioas *ioas;
	int ret;

	mutex_lock(&ctx->lock);
	ioas = ioas_find_ioas(ctx, cmd->ioas_id);
	if (!ioas) {
		ret = -ENOENT;
	} else {
		cmd->out_iova_alignment = SZ_4K;
		if (ioas->nr_allowed)
			ret = iommufd_ioas_iova_ranges_allowed_iovas_answer(ucmd,
				ioas->allowed, ioas->nr_allowed);
		else
			ret = iommufd_ioas_iova_ranges_allowed_iovas_answer(ucmd,
				ioas_default_ranges, ARRAY_SIZE(ioas_default_ranges));
	}
	mutex_unlock(&ctx->lock);
	return ret;
}

static int ioas_option_rlimit(struct iommufd_ucmd *ucmd, struct iommu_option *cmd)
{
	struct iommufd_ctx *ctx = ucmd->ictx;

	if (cmd->object_id)
		return -EINVAL;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = ctx->account_mode;
		return luogen_ucmd_respond(ucmd, sizeof(*cmd));
	}
	if (cmd->val64 > 1)
		return -EINVAL;
	if (!capable(CAP_SYS_RESOURCE))
		return -EPERM;
	ctx->account_mode = cmd->val64;
	return 0;
}

static int ioas_option_huge_pages(struct iommufd_ucmd *ucmd,
				  struct iommu_option *cmd)
{
	struct ioas_ioas *ioas = ioas_find_ioas(ucmd->ictx, cmd->object_id);

	if (!ioas)
		return -ENOENT;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = ioas->huge_pages;
		return luogen_ucmd_respond(ucmd, sizeof(*cmd));
	}
	if (cmd->val64 > 1)
		return -EINVAL;
	ioas->huge_pages = cmd->val64;
	return 0;
}

int iommufd_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	int ret;

	mutex_lock(&ctx->lock);
	if (cmd->option_id == IOMMU_OPTION_RLIMIT_MODE)
		ret = ioas_option_rlimit(ucmd, cmd);
	else
		ret = ioas_option_huge_pages(ucmd, cmd);
	mutex_unlock(&ctx->lock);
	return ret;
}

int iommufd_vfio_ioas(struct iommufd_ucmd *ucmd)
{
	struct iommu_vfio_ioas *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	int ret = 0;

	mutex_lock(&ctx->lock);
	switch (cmd->op) {
	case IOMMU_VFIO_IOAS_GET:
		if (!ioas_find_ioas(ctx, ctx->compat_ioas_id)) {
			ret = -ENODEV;
			break;
		}
		cmd->ioas_id = ctx->compat_ioas_id;
		ret = luogen_ucmd_respond(ucmd, sizeof(*cmd));
		break;
	case IOMMU_VFIO_IOAS_SET:
		if (ioas_find_ioas(ctx, cmd->ioas_id))
			ctx->compat_ioas_id = cmd->ioas_id;
		else
			ret = -ENOENT;
		break;
	default: /* IOMMU_VFIO_IOAS_CLEAR: the dispatch refuses other values */
		ctx->compat_ioas_id = 0;
	}
	mutex_unlock(&ctx->lock);
	return ret;
}

/* The driver's own checks of a HWPT from @parent with the data it copied in. */
static int ioas_hwpt_check(const struct iommu_hwpt_alloc *cmd,
			   const struct ioas_hwpt *hwpt)
{
	const struct ioas_obj *parent = hwpt->parent;

	switch (cmd->data_type) {
	case IOMMU_HWPT_DATA_NONE:
		if (cmd->data_len || cmd->data_uptr)
			return -EINVAL;
		return parent->type == IOAS_OBJ_IOAS ? 0 : -EINVAL;
	case IOMMU_HWPT_DATA_VTD_S1:
		if (cmd->flags)
			return -EOPNOTSUPP;
		if (parent->type != IOAS_OBJ_HWPT ||
		    !(container_of(parent, struct ioas_hwpt, obj)->flags &
		      IOMMU_HWPT_ALLOC_NEST_PARENT))
			return -EINVAL;
		if (!IS_ALIGNED(hwpt->vtd.pgtbl_addr, SZ_4K) ||
		    (hwpt->vtd.addr_width != 48 && hwpt->vtd.addr_width != 57))
			return -EINVAL;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

int iommufd_hwpt_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_alloc *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	struct ioas_hwpt *hwpt;
	int ret = 0;

	if (cmd->dev_id != IOAS_DEV_ID)
		return -ENOENT;
	if (cmd->flags & (IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID))
		return -EOPNOTSUPP;
	hwpt = kzalloc(sizeof(*hwpt), GFP_KERNEL_ACCOUNT);
	if (!hwpt)
		return -ENOMEM;
	hwpt->obj.type = IOAS_OBJ_HWPT;
	hwpt->flags = cmd->flags;
	hwpt->data_type = cmd->data_type;
	if (cmd->data_type == IOMMU_HWPT_DATA_VTD_S1)
		ret = iommufd_hwpt_alloc_vtd_s1_copy_in(cmd, &hwpt->vtd);
	if (ret)
		goto out_free;
	mutex_lock(&ctx->lock);
	hwpt->parent = xa_load(&ctx->objs, cmd->pt_id);
	ret = hwpt->parent ? ioas_hwpt_check(cmd, hwpt) : -ENOENT;
	if (!ret)
		ret = ioas_add(ucmd, &hwpt->obj, &cmd->out_hwpt_id, sizeof(*cmd));
	if (!ret)
		hwpt->parent->users++;
	mutex_unlock(&ctx->lock);
	if (!ret)
		return 0;
out_free:
	kfree(hwpt);
	return ret;
}

/* The driver data of @viommu's type: none, or a Tegra241 VINTF written back. */
static int ioas_viommu_data(struct iommu_viommu_alloc *cmd,
			    struct ioas_viommu *viommu)
{
	int ret;

	switch (cmd->type) {
	case IOMMU_VIOMMU_TYPE_ARM_SMMUV3:
		return cmd->data_len || cmd->data_uptr ? -EINVAL : 0;
	case IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV:
		ret = iommufd_viommu_alloc_tegra241_cmdqv_copy_in(cmd, &viommu->cmdqv);
		if (ret)
			return ret;
		viommu->cmdqv.out_vintf_mmap_offset =
			IOAS_VINTF_MMAP_OFFSET + ((u64)cmd->hwpt_id << PAGE_SHIFT);
		viommu->cmdqv.out_vintf_mmap_length = SZ_64K;
		return iommufd_viommu_alloc_tegra241_cmdqv_copy_back(cmd, &viommu->cmdqv);
	default:
		return -EOPNOTSUPP;
	}
}

static bool ioas_nest_parent(struct ioas_obj *obj)
{
	return obj && obj->type == IOAS_OBJ_HWPT &&
	       (container_of(obj, struct ioas_hwpt, obj)->flags &
		IOMMU_HWPT_ALLOC_NEST_PARENT);
}

int iommufd_viommu_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_viommu_alloc *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	struct ioas_viommu *viommu;
	int ret;

	if (cmd->dev_id == IOAS_DEV_ID || cmd->dev_id == IOAS_NEW_DEV_ID)
		return -EOPNOTSUPP;
	if (cmd->dev_id != IOAS_SMMU_DEV_ID)
		return -ENOENT;
	viommu = kzalloc(sizeof(*viommu), GFP_KERNEL_ACCOUNT);
	if (!viommu)
		return -ENOMEM;
	viommu->obj.type = IOAS_OBJ_VIOMMU;
	viommu->type = cmd->type;
	mutex_lock(&ctx->lock);
	viommu->parent = xa_load(&ctx->objs, cmd->hwpt_id);
	if (!viommu->parent)
		ret = -ENOENT;
	else if (!ioas_nest_parent(viommu->parent))
		ret = -EINVAL;
	else
		ret = ioas_viommu_data(cmd, viommu);
	if (!ret)
		ret = ioas_add(ucmd, &viommu->obj, &cmd->out_viommu_id, sizeof(*cmd));
	if (!ret)
		viommu->parent->users++;
	mutex_unlock(&ctx->lock);
	if (ret)
		kfree(viommu);
	return ret;
}

/* The answer of a newer kernel: a type no binding knows, 8 bytes of it. */
static int ioas_new_type_info(struct iommu_hw_info *cmd)
{
	static const __u64 info = 0x0123456789abcdefULL;
	void __user *uptr = u64_to_user_ptr(cmd->data_uptr);
	u32 len = min_t(u32, cmd->data_len, sizeof(info));

	if (copy_to_user(uptr, &info, len))
		return -EFAULT;
	if (cmd->data_len > len && clear_user(uptr + len, cmd->data_len - len))
		return -EFAULT;
	cmd->data_len = sizeof(info);
	cmd->out_data_type = IOAS_NEW_TYPE;
	return 0;
}

static int ioas_vtd_info(struct iommu_hw_info *cmd, u32 asked)
{
	static const struct iommu_hw_info_vtd vtd = {
		.flags = IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17,
		.cap_reg = 0x00d2008c40660462ULL,
		.ecap_reg = 0x00000f050f8f0c1aULL,
	};

	if (asked != IOMMU_HW_INFO_TYPE_DEFAULT && asked != IOMMU_HW_INFO_TYPE_INTEL_VTD)
		return -EOPNOTSUPP;
	return iommufd_get_hw_info_intel_vtd_copy_out(cmd, &vtd);
}

static int ioas_smmu_info(struct iommu_hw_info *cmd, u32 asked)
{
	static const struct iommu_hw_info_arm_smmuv3 smmu = {
		.idr = { 0x0f0c8dbb, 0x0e7b5a10, 0, 0x00000004, 0, 0x00000075 },
		.iidr = 0x4b1,
		.aidr = 0x2,
	};
	static const struct iommu_hw_info_tegra241_cmdqv cmdqv = {
		.version = 1, .log2vcmdqs = 7, .log2vsids = 4,
	};

	if (asked == IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV)
		return iommufd_get_hw_info_tegra241_cmdqv_copy_out(cmd, &cmdqv);
	if (asked != IOMMU_HW_INFO_TYPE_DEFAULT && asked != IOMMU_HW_INFO_TYPE_ARM_SMMUV3)
		return -EOPNOTSUPP;
	return iommufd_get_hw_info_arm_smmuv3_copy_out(cmd, &smmu);
}

int iommufd_get_hw_info(struct iommufd_ucmd *ucmd)
{
	struct iommu_hw_info *cmd = ucmd->cmd;
	u32 asked = cmd->flags & IOMMU_HW_INFO_FLAG_INPUT_TYPE ? cmd->out_data_type
							       : IOMMU_HW_INFO_TYPE_DEFAULT;
	int ret;

	if (cmd->dev_id == IOAS_DEV_ID)
		ret = ioas_vtd_info(cmd, asked);
	else if (cmd->dev_id == IOAS_SMMU_DEV_ID)
		ret = ioas_smmu_info(cmd, asked);
	else if (cmd->dev_id == IOAS_NEW_DEV_ID)
		ret = asked == IOMMU_HW_INFO_TYPE_DEFAULT ? ioas_new_type_info(cmd) : -EOPNOTSUPP;
	else
		return -ENOENT;
	if (ret)
		return ret;
	cmd->out_max_pasid_log2 = 20;
	cmd->out_capabilities = IOMMU_HW_CAP_DIRTY_TRACKING;
	return luogen_ucmd_respond(ucmd, sizeof(*cmd));
}

static ssize_t ioas_fault_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	return 0; /* no device here raises a page fault */
}

static const struct file_operations ioas_fault_fops = {
	.owner = THIS_MODULE,
	.read = ioas_fault_read,
	.llseek = noop_llseek,
};

int iommufd_fault_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_fault_alloc *cmd = ucmd->cmd;
	struct iommufd_ctx *ctx = ucmd->ictx;
	struct ioas_obj *fault;
	struct file *filep;
	int fd, ret;

	fault = kzalloc(sizeof(*fault), GFP_KERNEL_ACCOUNT);
	if (!fault)
		return -ENOMEM;
	fault->type = IOAS_OBJ_FAULT;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_free;
	}
	filep = anon_inode_getfile("[luogen-iommu-fault]", &ioas_fault_fops,
				   NULL, O_RDONLY);
	if (IS_ERR(filep)) {
		ret = PTR_ERR(filep);
		goto out_put_fd;
	}
	cmd->out_fault_fd = fd;
	mutex_lock(&ctx->lock);
	ret = ioas_add(ucmd, fault, &cmd->out_fault_id, sizeof(*cmd));
	mutex_unlock(&ctx->lock);
	if (ret)
		goto out_fput;
	/* Only now: an answer that did not reach userspace leaves no fd. */
	fd_install(fd, filep);
	return 0;

out_fput:
	fput(filep);
out_put_fd:
	put_unused_fd(fd);
out_free:
	kfree(fault);
	return ret;
}

/* Whether page @page (of page_size bytes from IOVA 0) is dirty: every third one. */
static bool ioas_page_dirty(u64 page)
{
	return page % 3 == 0;
}

/*
 * IOMMU_HWPT_GET_DIRTY_BITMAP over a fake dirty log (ioas_page_dirty()): the
 * bits of the range's dirty pages are set in the caller's bitmap as
 * include/linux/iova_bitmap.h lays it out, one bit per page_size bytes (its
 * lowest set bit, as __ffs()) in u64 words, the other bits left as they are.
 * A page size of 0 and a range not aligned to it are -EINVAL, as in iommufd.
 */
int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_get_dirty_bitmap *cmd = ucmd->cmd;
	u64 __user *words = u64_to_user_ptr(cmd->data);
	u64 first, pages, nr_words, i, bit;
	unsigned int shift;
	u64 word;

	if (!ioas_find(ucmd->ictx, cmd->hwpt_id, IOAS_OBJ_HWPT))
		return -ENOENT;
	if (!cmd->page_size || !cmd->length)
		return -EINVAL;
	shift = __ffs64(cmd->page_size);
	if ((cmd->iova | cmd->length) & (cmd->page_size - 1))
		return -EINVAL;
	first = cmd->iova >> shift;
	pages = cmd->length >> shift;
	nr_words = (cmd->length - 1) / (64ULL << shift) + 1;
	for (i = 0; i < nr_words; i++) {
		if (get_user(word, &words[i]))
			return -EFAULT;
		for (bit = 0; bit < 64 && i * 64 + bit < pages; bit++)
			if (ioas_page_dirty(first + i * 64 + bit))
				word |= 1ULL << bit;
		if (put_user(word, &words[i]))
			return -EFAULT;
		cond_resched();
	}
	return 0;
}

/*
 * The VT-d driver's handling of one invalidation entry, as
 * drivers/iommu/intel/nested.c checks it: a 4 KiB aligned address, and
 * npages U64_MAX (everything) only from address 0. This module has no IOTLB to
 * flush: a checked entry is handled.
 */
static int ioas_invalidate_vtd(const struct iommu_hwpt_vtd_s1_invalidate *inv)
{
	if (!IS_ALIGNED(inv->addr, SZ_4K) ||
	    (inv->npages == U64_MAX && inv->addr))
		return -EINVAL;
	return 0;
}

/*
 * IOMMU_HWPT_INVALIDATE of a nested VT-d HWPT, as
 * drivers/iommu/iommufd/hw_pagetable.c and the VT-d driver carry it out: the
 * entries are copied with the generated helper from 0 up, up to the first that
 * cannot be copied or handled, whose error the ioctl answers; entry_num is set
 * to the number handled either way. No entries only asks whether the HWPT
 * takes the data type.
 */
int iommufd_hwpt_invalidate(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_invalidate *cmd = ucmd->cmd;
	struct iommu_hwpt_vtd_s1_invalidate inv;
	struct ioas_obj *obj;
	u32 done = 0;
	int ret = 0;

	mutex_lock(&ucmd->ictx->lock);
	obj = xa_load(&ucmd->ictx->objs, cmd->hwpt_id);
	if (!obj)
		ret = -ENOENT;
	else if (obj->type != IOAS_OBJ_HWPT)
		ret = -EINVAL;
	else if (container_of(obj, struct ioas_hwpt, obj)->data_type !=
		 IOMMU_HWPT_DATA_VTD_S1)
		ret = -EOPNOTSUPP; /* no cache_invalidate_user: not nested */
	else if (cmd->data_type != IOMMU_HWPT_INVALIDATE_DATA_VTD_S1)
		ret = -EINVAL;
	for (; !ret && done < cmd->entry_num; done++) {
		ret = iommufd_hwpt_invalidate_hwpt_vtd_s1_copy_in(cmd, done, &inv);
		if (!ret)
			ret = ioas_invalidate_vtd(&inv);
		if (ret)
			break;
		cond_resched();
	}
	mutex_unlock(&ucmd->ictx->lock);
	cmd->entry_num = done;
	if (luogen_ucmd_respond(ucmd, sizeof(*cmd)))
		return -EFAULT;
	return ret;
}

/* The commands this module has no objects for. */
#define IOAS_NOT_SUPPORTED(fn)					\
	int fn(struct iommufd_ucmd *ucmd)			\
	{							\
		return -EOPNOTSUPP;				\
	}

IOAS_NOT_SUPPORTED(iommufd_ioas_copy)
IOAS_NOT_SUPPORTED(iommufd_ioas_map)
IOAS_NOT_SUPPORTED(iommufd_ioas_unmap)
IOAS_NOT_SUPPORTED(iommufd_hwpt_set_dirty_tracking)
IOAS_NOT_SUPPORTED(iommufd_ioas_map_file)
IOAS_NOT_SUPPORTED(iommufd_vdevice_alloc_ioctl)
IOAS_NOT_SUPPORTED(iommufd_ioas_change_process)
IOAS_NOT_SUPPORTED(iommufd_veventq_alloc)
IOAS_NOT_SUPPORTED(iommufd_hw_queue_alloc_ioctl)

long iommufd_vfio_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static int ioas_open(struct inode *inode, struct file *file)
{
	struct iommufd_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);

	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	xa_init_flags(&ctx->objs, XA_FLAGS_ALLOC1 | XA_FLAGS_ACCOUNT);
	file->private_data = ctx;
	return 0;
}

/* Frees the objects of @type that nothing uses any more. */
static void ioas_release_unused(struct iommufd_ctx *ctx, enum ioas_obj_type type)
{
	struct ioas_obj *obj;
	unsigned long id;

	xa_for_each(&ctx->objs, id, obj) {
		if (obj->type == type && !obj->users) {
			xa_erase(&ctx->objs, id);
			ioas_free(obj);
		}
	}
}

static int ioas_release(struct inode *inode, struct file *file)
{
	struct iommufd_ctx *ctx = file->private_data;

	/*
	 * A vIOMMU holds its nesting parent HWPT, and a nested HWPT its parent
	 * HWPT, which holds its IOAS: the vIOMMUs go first, then the nested
	 * HWPTs, then their parents.
	 */
	ioas_release_unused(ctx, IOAS_OBJ_VIOMMU);
	ioas_release_unused(ctx, IOAS_OBJ_HWPT);
	ioas_release_unused(ctx, IOAS_OBJ_HWPT);
	ioas_release_unused(ctx, IOAS_OBJ_IOAS);
	ioas_release_unused(ctx, IOAS_OBJ_FAULT);
	WARN_ON(!xa_empty(&ctx->objs));
	xa_destroy(&ctx->objs);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return 0;
}

static const struct file_operations ioas_fops = {
	.owner = THIS_MODULE,
	.open = ioas_open,
	.release = ioas_release,
	.unlocked_ioctl = iommufd_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice ioas_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "luogen-iommu",
	.fops = &ioas_fops,
};

static int __init ioas_init(void)
{
	return misc_register(&ioas_miscdev);
}
module_init(ioas_init);

static void __exit ioas_exit(void)
{
	misc_deregister(&ioas_miscdev);
}
module_exit(ioas_exit);

MODULE_DESCRIPTION("iommufd-shaped test module with in-memory IOAS objects (luogen)");
MODULE_LICENSE("GPL");
