/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctl dispatch core of luogen-generated interfaces: the same in every one.
 *
 * A command is looked up in the op table of the object it was issued on, its
 * struct copied in through copy_struct_from_user() and checked before its
 * handler runs:
 *
 *  - an unknown number: -ENOIOCTLCMD (userspace sees ENOTTY), or, outside
 *    the op table, what the driver's fallback for the range answers;
 *  - a struct shorter than the command's minimum size: -EINVAL;
 *  - non-zero bytes past the struct the kernel knows: -E2BIG;
 *  - a check of the command's values failed: what the check returns
 *    (-EOPNOTSUPP for a non-zero reserved member, an unknown flag or enum value).
 *
 * Everything here is static inline: every generated folder has its own copy,
 * and two interfaces built into one kernel never clash at link time.
 *
 * Handlers take a struct luogen_ucmd, or the driver's own struct of one call
 * when the includer defines LUOGEN_UCMD as its tag first: a struct with the
 * members ubuffer, user_size and cmd of struct luogen_ucmd, and
 * LUOGEN_UCMD_OPEN(ucmd, filp), which sets what its handlers find their
 * context by from the file.
 */
#ifndef _LUOGEN_DISPATCH_H
#define _LUOGEN_DISPATCH_H

#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#ifndef LUOGEN_UCMD
/**
 * struct luogen_ucmd - One ioctl call, as its handler sees it
 * @file: The file the ioctl was issued on.
 * @ubuffer: The user's struct.
 * @user_size: The size userspace wrote in the first member of its struct.
 * @cmd: The struct, copied in and checked: zero past @user_size.
 */
struct luogen_ucmd {
	struct file *file;
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

#define LUOGEN_UCMD luogen_ucmd
#define LUOGEN_UCMD_OPEN(ucmd, filp) ((ucmd)->file = (filp))
#endif

/**
 * struct luogen_ioctl_op - One command of an op table
 * @size: The size of the command's struct as the kernel knows it.
 * @min_size: The smallest size userspace may pass.
 * @ioctl_num: The full ioctl number.
 * @check: Checks the copied-in struct; NULL when there is nothing to check.
 * @execute: The command's handler.
 */
struct luogen_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*check)(const void *cmd);
	int (*execute)(struct LUOGEN_UCMD *ucmd);
};

/*
 * The op of command _ioctl at _index of a table: its struct _struct must fit
 * the table's buffer union _buffer, and its last mandatory member is _last.
 */
#define LUOGEN_IOCTL_OP(_index, _buffer, _ioctl, _struct, _last, _check, _fn) \
	[_index] = {							\
		.size = sizeof(_struct) +					\
			BUILD_BUG_ON_ZERO(sizeof(union _buffer) <		\
					  sizeof(_struct)),			\
		.min_size = offsetofend(_struct, _last),			\
		.ioctl_num = _ioctl,						\
		.check = _check,						\
		.execute = _fn,							\
	}

/**
 * luogen_ucmd_respond() - Copy a command's struct back to userspace
 * @ucmd: The call.
 * @cmd_len: The size of the struct the kernel knows.
 *
 * Copies no more than userspace gave: the smaller of @cmd_len and
 * @ucmd->user_size.
 *
 * Return: 0, or -EFAULT.
 */
static inline int luogen_ucmd_respond(struct LUOGEN_UCMD *ucmd, size_t cmd_len)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, cmd_len)))
		return -EFAULT;
	return 0;
}

/**
 * luogen_in_table() - Whether an ioctl number falls within an op table
 * @cmd: The ioctl number.
 * @nr_ops: The entries of the table.
 * @base: The number of its first entry.
 *
 * A number within the table may still be unknown (a retired number, a
 * command its Kconfig symbol leaves out, another type or encoding): then
 * luogen_dispatch() answers -ENOIOCTLCMD. A number outside it is what a
 * dispatcher with a fallback hands to the driver.
 *
 * Return: true when the number's NR is one of the table's entries.
 */
static inline bool luogen_in_table(unsigned int cmd, unsigned int nr_ops,
				   unsigned int base)
{
	return _IOC_NR(cmd) - base < nr_ops;
}

/**
 * luogen_dispatch() - Carry out an ioctl through an op table
 * @file: The file the ioctl was issued on.
 * @cmd: The ioctl number.
 * @arg: The user pointer to the command's struct.
 * @ops: The op table of the object, indexed by number - @base.
 * @nr_ops: The entries of @ops.
 * @base: The number of the first entry.
 * @buf: Room for the largest struct of the table, zeroed.
 *
 * Return: what the command's handler returns, or a negative errno.
 */
static inline long luogen_dispatch(struct file *file, unsigned int cmd,
				   unsigned long arg,
				   const struct luogen_ioctl_op *ops,
				   unsigned int nr_ops, unsigned int base,
				   void *buf)
{
	struct LUOGEN_UCMD ucmd = {};
	const struct luogen_ioctl_op *op;
	int ret;

	if (!luogen_in_table(cmd, nr_ops, base))
		return -ENOIOCTLCMD;
	op = &ops[_IOC_NR(cmd) - base];
	if (!op->execute || op->ioctl_num != cmd)
		return -ENOIOCTLCMD;

	LUOGEN_UCMD_OPEN(&ucmd, file);
	ucmd.ubuffer = (void __user *)arg;
	ucmd.cmd = buf;
	ret = get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer);
	if (ret)
		return ret;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	ret = copy_struct_from_user(ucmd.cmd, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	if (op->check) {
		ret = op->check(ucmd.cmd);
		if (ret)
			return ret;
	}
	return op->execute(&ucmd);
}

/*
 * Counted arrays: a user pointer to elements whose number is another member
 * of the command's struct. Each command's helpers (in its ioctl header) call
 * these with the element's size and the command's maximum count.
 */

/**
 * luogen_array_alloc() - Room for the elements of a counted array
 * @count: The number of elements.
 * @max_count: The most elements the command accepts.
 * @elem_size: The size of one element.
 *
 * The size is computed with array_size(), which saturates on overflow, and
 * must fit one allocation.
 *
 * Return: zeroed memory for @count elements, to free with kvfree(); NULL when
 * @count is 0; ERR_PTR(-E2BIG) for more than @max_count elements or a size
 * past INT_MAX; ERR_PTR(-ENOMEM).
 */
static inline void *luogen_array_alloc(u32 count, u32 max_count,
				       size_t elem_size)
{
	size_t bytes = array_size(count, elem_size);
	void *elems;

	if (count > max_count || bytes > INT_MAX)
		return ERR_PTR(-E2BIG);
	if (!count)
		return NULL;
	elems = kvzalloc(bytes, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	return elems ? elems : ERR_PTR(-ENOMEM);
}

/**
 * luogen_array_copy_in() - Copy the elements of a counted array in
 * @uptr: The user pointer to the elements.
 * @count: The number of elements.
 * @max_count: The most elements the command accepts.
 * @elem_size: The size of one element.
 *
 * Return: the elements, to free with kvfree(); NULL when @count is 0; an
 * ERR_PTR() of what luogen_array_alloc() refuses, or of -EFAULT.
 */
static inline void *luogen_array_copy_in(u64 uptr, u32 count, u32 max_count,
					 size_t elem_size)
{
	void *elems = luogen_array_alloc(count, max_count, elem_size);

	if (IS_ERR_OR_NULL(elems))
		return elems;
	if (copy_from_user(elems, u64_to_user_ptr(uptr),
			   array_size(count, elem_size))) {
		kvfree(elems);
		return ERR_PTR(-EFAULT);
	}
	return elems;
}

/**
 * luogen_array_copy_out() - Copy elements of a counted array out
 * @uptr: The user pointer to the elements.
 * @elems: The elements.
 * @count: How many of them to copy.
 * @elem_size: The size of one element.
 *
 * Return: 0, or -EFAULT.
 */
static inline int luogen_array_copy_out(u64 uptr, const void *elems, u32 count,
					size_t elem_size)
{
	if (!count)
		return 0;
	if (copy_to_user(u64_to_user_ptr(uptr), elems,
			 array_size(count, elem_size)))
		return -EFAULT;
	return 0;
}

/**
 * luogen_array_answer() - Answer a query for the elements of a counted array
 * @ucmd: The call; its struct's count member already holds the total.
 * @cmd_len: The size of the command's struct.
 * @capacity: The count userspace gave: the room its array has.
 * @total: The number of elements the kernel has.
 *
 * Copies the struct back, then tells userspace whether its array held them
 * all.
 *
 * Return: 0; -EMSGSIZE when @total exceeds @capacity; -EFAULT.
 */
static inline int luogen_array_answer(struct LUOGEN_UCMD *ucmd, size_t cmd_len,
				      u32 capacity, u32 total)
{
	int ret = luogen_ucmd_respond(ucmd, cmd_len);

	if (ret)
		return ret;
	return total > capacity ? -EMSGSIZE : 0;
}

#endif /* _LUOGEN_DISPATCH_H */
