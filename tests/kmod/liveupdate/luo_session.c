// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator test module: sessions.
 *
 * A session is a name and the files preserved in it, each under a token. Every
 * session file descriptor holds a reference to its session; the session stays
 * in the list of sessions, and so can be retrieved by name, until its last file
 * descriptor is closed. It then drops its preserved files and is freed.
 *
 * A preserved file stays preserved after LIVEUPDATE_SESSION_RETRIEVE_FD (it
 * can be retrieved again) until LIVEUPDATE_SESSION_FINISH releases them all.
 */
#include <linux/anon_inodes.h>
#include <linux/compat.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

/**
 * struct luo_file - A file preserved in a session
 * @list: Entry in &luo_session.files.
 * @file: The preserved file; a reference is held.
 * @token: The token userspace chose for it.
 */
struct luo_file {
	struct list_head list;
	struct file *file;
	u64 token;
};

/**
 * struct luo_session - A live update session
 * @list: Entry in luo_sessions, under luo_sessions_lock.
 * @ref: One reference per session file descriptor.
 * @lock: Protects @files.
 * @files: The preserved files, &struct luo_file.
 * @name: The NUL-terminated session name.
 */
struct luo_session {
	struct list_head list;
	struct kref ref;
	struct mutex lock;	/* protects @files */
	struct list_head files;
	u8 name[LIVEUPDATE_SESSION_NAME_LENGTH];
};

static LIST_HEAD(luo_sessions);
static DEFINE_MUTEX(luo_sessions_lock);

static const struct file_operations luo_session_fops;

/**
 * luo_session_check_name() - Check a session name from userspace
 * @name: LIVEUPDATE_SESSION_NAME_LENGTH bytes.
 *
 * Return: 0 for a non-empty name NUL-terminated within the array, else -EINVAL.
 */
int luo_session_check_name(const u8 *name)
{
	if (!name[0] || !memchr(name, '\0', LIVEUPDATE_SESSION_NAME_LENGTH))
		return -EINVAL;
	return 0;
}

static struct luo_session *luo_session_find(const u8 *name)
{
	struct luo_session *session;

	lockdep_assert_held(&luo_sessions_lock);
	list_for_each_entry(session, &luo_sessions, list) {
		if (!strcmp(session->name, name))
			return session;
	}
	return NULL;
}

static void luo_session_drop_files(struct luo_session *session)
{
	struct luo_file *lf, *next;
	LIST_HEAD(files);

	mutex_lock(&session->lock);
	list_splice_init(&session->files, &files);
	mutex_unlock(&session->lock);

	list_for_each_entry_safe(lf, next, &files, list) {
		list_del(&lf->list);
		fput(lf->file);
		kfree(lf);
	}
}

/* Called by kref_put_mutex() with luo_sessions_lock held; drops it. */
static void luo_session_free(struct kref *ref)
	__releases(&luo_sessions_lock)
{
	struct luo_session *session = container_of(ref, struct luo_session, ref);

	list_del(&session->list);
	mutex_unlock(&luo_sessions_lock);

	luo_session_drop_files(session);
	mutex_destroy(&session->lock);
	kfree(session);
}

static void luo_session_put(struct luo_session *session)
{
	kref_put_mutex(&session->ref, luo_session_free, &luo_sessions_lock);
}

/**
 * luo_session_create() - Create a session and add it to the list
 * @name: A name checked by luo_session_check_name().
 *
 * Return: the new session, holding one reference for the caller, or
 * ERR_PTR(-EEXIST) when a session has this name, or ERR_PTR(-ENOMEM).
 */
struct luo_session *luo_session_create(const u8 *name)
{
	struct luo_session *session;

	session = kzalloc(sizeof(*session), GFP_KERNEL);
	if (!session)
		return ERR_PTR(-ENOMEM);
	kref_init(&session->ref);
	mutex_init(&session->lock);
	INIT_LIST_HEAD(&session->files);
	strscpy(session->name, name, sizeof(session->name));

	mutex_lock(&luo_sessions_lock);
	if (luo_session_find(session->name)) {
		mutex_unlock(&luo_sessions_lock);
		mutex_destroy(&session->lock);
		kfree(session);
		return ERR_PTR(-EEXIST);
	}
	list_add_tail(&session->list, &luo_sessions);
	mutex_unlock(&luo_sessions_lock);
	return session;
}

/**
 * luo_session_get_by_name() - Look a session up by name
 * @name: A name checked by luo_session_check_name().
 *
 * Return: the session, with a new reference for the caller, or
 * ERR_PTR(-ENOENT).
 */
struct luo_session *luo_session_get_by_name(const u8 *name)
{
	struct luo_session *session;

	mutex_lock(&luo_sessions_lock);
	session = luo_session_find(name);
	if (session)
		kref_get(&session->ref);
	mutex_unlock(&luo_sessions_lock);
	return session ?: ERR_PTR(-ENOENT);
}

/**
 * luo_session_install() - Give userspace a file descriptor for a session
 * @ucmd: The ioctl call; its struct is copied back to userspace.
 * @session: The session; the caller's reference passes to the new file.
 * @fd: The member of the command's struct that receives the new fd.
 * @cmd_len: The size of the command's struct.
 *
 * The fd is installed only once the struct was copied back, so a failed copy
 * leaves no file descriptor behind.
 *
 * Return: 0 or a negative errno.
 */
int luo_session_install(struct luogen_ucmd *ucmd,
			struct luo_session *session, __s32 *fd,
			size_t cmd_len)
{
	struct file *file;
	int ret;

	ret = get_unused_fd_flags(O_CLOEXEC);
	if (ret < 0) {
		luo_session_put(session);
		return ret;
	}
	*fd = ret;

	file = anon_inode_getfile("[liveupdate_session]", &luo_session_fops,
				  session, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(*fd);
		luo_session_put(session);
		return PTR_ERR(file);
	}

	ret = luogen_ucmd_respond(ucmd, cmd_len);
	if (ret) {
		put_unused_fd(*fd);
		fput(file);	/* luo_session_release() drops the reference */
		return ret;
	}
	fd_install(*fd, file);
	return 0;
}

static int luo_session_release(struct inode *inode, struct file *file)
{
	luo_session_put(file->private_data);
	return 0;
}

static struct luo_file *luo_file_find(struct luo_session *session, u64 token)
{
	struct luo_file *lf;

	lockdep_assert_held(&session->lock);
	list_for_each_entry(lf, &session->files, list) {
		if (lf->token == token)
			return lf;
	}
	return NULL;
}

int liveupdate_session_cmd_preserve_fd(struct luogen_ucmd *ucmd)
{
	struct liveupdate_session_preserve_fd *cmd = ucmd->cmd;
	struct luo_session *session = ucmd->file->private_data;
	struct luo_file *lf;
	struct file *file;
	int ret = 0;

	file = fget(cmd->fd);
	if (!file)
		return -EBADF;
	/* A session preserving a session fd could keep itself alive forever. */
	if (file->f_op == &luo_session_fops) {
		ret = -EINVAL;
		goto out_fput;
	}
	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf) {
		ret = -ENOMEM;
		goto out_fput;
	}
	lf->file = file;
	lf->token = cmd->token;

	mutex_lock(&session->lock);
	if (luo_file_find(session, cmd->token))
		ret = -EEXIST;
	else
		list_add_tail(&lf->list, &session->files);
	mutex_unlock(&session->lock);
	if (!ret)
		return 0;
	kfree(lf);
out_fput:
	fput(file);
	return ret;
}

int liveupdate_session_cmd_retrieve_fd(struct luogen_ucmd *ucmd)
{
	struct liveupdate_session_retrieve_fd *cmd = ucmd->cmd;
	struct luo_session *session = ucmd->file->private_data;
	struct file *file = NULL;
	struct luo_file *lf;
	int ret;

	mutex_lock(&session->lock);
	lf = luo_file_find(session, cmd->token);
	if (lf)
		file = get_file(lf->file);
	mutex_unlock(&session->lock);
	if (!file)
		return -ENOENT;

	ret = get_unused_fd_flags(O_CLOEXEC);
	if (ret < 0)
		goto out_fput;
	cmd->fd = ret;
	ret = luogen_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret) {
		put_unused_fd(cmd->fd);
		goto out_fput;
	}
	fd_install(cmd->fd, file);
	return 0;

out_fput:
	fput(file);
	return ret;
}

int liveupdate_session_cmd_finish(struct luogen_ucmd *ucmd)
{
	luo_session_drop_files(ucmd->file->private_data);
	return 0;
}

int liveupdate_session_cmd_get_name(struct luogen_ucmd *ucmd)
{
	struct liveupdate_session_get_name *cmd = ucmd->cmd;
	struct luo_session *session = ucmd->file->private_data;

	memcpy(cmd->name, session->name, sizeof(cmd->name));
	return luogen_ucmd_respond(ucmd, sizeof(*cmd));
}

static const struct file_operations luo_session_fops = {
	.owner = THIS_MODULE,
	.release = luo_session_release,
	.unlocked_ioctl = liveupdate_session_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
