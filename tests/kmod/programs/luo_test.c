// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace test of the Live Update Orchestrator test module (tests/kmod/liveupdate)
 * through luogen's generated uapi header only. One line per check:
 * "ok N - ..." or "not ok N - ...". Exit status 0 only when every check passed.
 *
 * Build: gcc -static -O2 -Wall -Wextra -I generated/liveupdate/include/uapi luo_test.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/liveupdate.h>

#include "checks.h"

#define NAME_LEN LIVEUPDATE_SESSION_NAME_LENGTH

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static void set_name(__u8 *name, const char *s)
{
	memset(name, 0, NAME_LEN);
	strncpy((char *)name, s, NAME_LEN);
}

static int create_session(int dev, const char *name, int *fd)
{
	struct liveupdate_ioctl_create_session cmd = { .size = sizeof(cmd), .fd = -1 };
	int ret;

	set_name(cmd.name, name);
	ret = call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &cmd);
	*fd = ret ? -1 : cmd.fd;
	return ret;
}

static int retrieve_session(int dev, const char *name, int *fd)
{
	struct liveupdate_ioctl_retrieve_session cmd = { .size = sizeof(cmd), .fd = -1 };
	int ret;

	set_name(cmd.name, name);
	ret = call(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &cmd);
	*fd = ret ? -1 : cmd.fd;
	return ret;
}

static int get_name(int session, char *out)
{
	struct liveupdate_session_get_name cmd = { .size = sizeof(cmd) };
	int ret;

	memset(cmd.name, GUARD, sizeof(cmd.name));
	ret = call(session, LIVEUPDATE_SESSION_GET_NAME, &cmd);
	if (!ret)
		memcpy(out, cmd.name, NAME_LEN);
	return ret;
}

static int preserve(int session, int fd, __u64 token)
{
	struct liveupdate_session_preserve_fd cmd = {
		.size = sizeof(cmd), .fd = fd, .token = token,
	};

	return call(session, LIVEUPDATE_SESSION_PRESERVE_FD, &cmd);
}

static int retrieve_fd(int session, __u64 token, int *fd)
{
	struct liveupdate_session_retrieve_fd cmd = {
		.size = sizeof(cmd), .fd = -1, .token = token,
	};
	int ret = call(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &cmd);

	*fd = ret ? -1 : cmd.fd;
	return ret;
}

static void test_device(int dev, int *alpha)
{
	struct liveupdate_ioctl_create_session cs;
	unsigned char buf[256] __attribute__((aligned(8)));
	char name[NAME_LEN];
	int fd, fd2, ret, before;

	ret = open("/dev/liveupdate", O_RDWR);
	check(ret < 0 && errno == EBUSY, "second open of /dev/liveupdate -> EBUSY (got %d, %s)",
	      ret, ret < 0 ? errname(errno) : "opened");
	if (ret >= 0)
		close(ret);

	ret = create_session(dev, "alpha", alpha);
	expect(ret, 0, "CREATE_SESSION \"alpha\", exact size 72");
	check(*alpha >= 0 && fcntl(*alpha, F_GETFD) >= 0,
	      "CREATE_SESSION filled fd with an open fd (%d)", *alpha);
	check(*alpha >= 0 && (fcntl(*alpha, F_GETFD) & FD_CLOEXEC),
	      "session fd is close-on-exec");
	ret = get_name(*alpha, name);
	expect(ret, 0, "GET_NAME on the new session");
	check(!ret && !strcmp(name, "alpha") && all_zero((unsigned char *)name + 5, NAME_LEN - 5),
	      "GET_NAME filled name \"alpha\", zero-padded");

	expect(create_session(dev, "alpha", &fd), EEXIST, "CREATE_SESSION duplicate \"alpha\"");
	expect(create_session(dev, "", &fd), EINVAL, "CREATE_SESSION empty name");
	memset(&cs, 0, sizeof(cs));
	cs.size = sizeof(cs);
	memset(cs.name, 'x', NAME_LEN);
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs), EINVAL,
	       "CREATE_SESSION name without NUL in 64 bytes");
	cs.name[NAME_LEN - 1] = 0;
	cs.fd = -1;
	ret = call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs);
	expect(ret, 0, "CREATE_SESSION 63-byte name (NUL in the last byte)");
	if (!ret) {
		check(get_name(cs.fd, name) == 0 && !memcmp(name, cs.name, NAME_LEN),
		      "GET_NAME returns the 63-byte name");
		close(cs.fd);
	}

	expect(retrieve_session(dev, "nosuch", &fd), ENOENT, "RETRIEVE_SESSION unknown name");
	expect(retrieve_session(dev, "", &fd), EINVAL, "RETRIEVE_SESSION empty name");
	memset(&cs, 0, sizeof(cs));
	cs.size = sizeof(cs);
	memset(cs.name, 'y', NAME_LEN);
	expect(call(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &cs), EINVAL,
	       "RETRIEVE_SESSION name without NUL");
	ret = retrieve_session(dev, "alpha", &fd);
	expect(ret, 0, "RETRIEVE_SESSION \"alpha\"");
	check(fd >= 0 && fd != *alpha && get_name(fd, name) == 0 && !strcmp(name, "alpha"),
	      "retrieved fd %d is a new fd of session \"alpha\"", fd);
	if (fd >= 0)
		close(fd);

	/* Dispatch paths, on /dev/liveupdate. */
	memset(&cs, 0, sizeof(cs));
	set_name(cs.name, "short");
	for (unsigned int size = 0; size < sizeof(cs); size += (size < 8 ? 4 : 63)) {
		char what[96];

		cs.size = size;
		snprintf(what, sizeof(what), "CREATE_SESSION size %u < min_size 72", size);
		expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs), EINVAL, what);
	}
	cs.size = 71;
	expect(call(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &cs), EINVAL,
	       "RETRIEVE_SESSION size 71 < min_size 72");

	/* Larger struct, zero tail, guard bytes past the user's size. */
	memset(buf, GUARD, sizeof(buf));
	memset(buf, 0, 72 + 64);
	memset(&cs, 0, sizeof(cs));
	cs.size = 72 + 64;
	cs.fd = -1;
	set_name(cs.name, "beta");
	memcpy(buf, &cs, sizeof(cs));
	ret = call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, buf);
	expect(ret, 0, "CREATE_SESSION size 136 with a zero tail");
	memcpy(&cs, buf, sizeof(cs));
	check(!ret && cs.fd >= 0 && get_name(cs.fd, name) == 0 && !strcmp(name, "beta"),
	      "larger struct: fd filled (%d) for session \"beta\"", cs.fd);
	check(all_zero(buf + 72, 64) && guard_intact(buf + 136, sizeof(buf) - 136),
	      "larger struct: tail still zero, guard bytes past size 136 intact");
	if (!ret)
		close(cs.fd);
	ret = call(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, buf);
	expect(ret, ENOENT, "RETRIEVE_SESSION \"beta\" after its last fd closed");

	/* Exact size with guard bytes right behind the struct. */
	memset(buf, GUARD, sizeof(buf));
	memset(&cs, 0, sizeof(cs));
	cs.size = sizeof(cs);
	cs.fd = -1;
	set_name(cs.name, "alpha");
	memcpy(buf, &cs, sizeof(cs));
	ret = call(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, buf);
	memcpy(&cs, buf, sizeof(cs));
	expect(ret, 0, "RETRIEVE_SESSION exact size, guard bytes behind");
	check(guard_intact(buf + 72, sizeof(buf) - 72) && cs.fd >= 0,
	      "copy-back wrote nothing past size 72, fd filled");
	if (!ret)
		close(cs.fd);

	memset(buf, 0, sizeof(buf));
	memset(&cs, 0, sizeof(cs));
	cs.size = 72 + 64;
	set_name(cs.name, "gamma");
	memcpy(buf, &cs, sizeof(cs));
	buf[72 + 63] = 1;
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, buf), E2BIG,
	       "CREATE_SESSION size 136, last tail byte non-zero");
	buf[72 + 63] = 0;
	buf[72] = 0x80;
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, buf), E2BIG,
	       "CREATE_SESSION size 136, first tail byte non-zero");
	expect(retrieve_session(dev, "gamma", &fd), ENOENT, "E2BIG created no session");
	cs.size = 4096;
	buf[72] = 0;
	{
		unsigned char *big = calloc(1, 8192);

		memcpy(big, &cs, sizeof(cs));
		big[4095] = 7;
		expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, big), E2BIG,
		       "CREATE_SESSION size 4096, byte 4095 non-zero");
		big[4095] = 0;
		ret = call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, big);
		expect(ret, 0, "CREATE_SESSION size 4096, zero tail");
		memcpy(&cs, big, sizeof(cs));
		if (!ret)
			close(cs.fd);
		free(big);
	}

	/* Unknown numbers. */
	memset(&cs, 0, sizeof(cs));
	cs.size = sizeof(cs);
	set_name(cs.name, "delta");
	expect(call(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x02), &cs), ENOTTY,
	       "NR 0x02 (just past the device range) on /dev/liveupdate");
	expect(call(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x20), &cs), ENOTTY,
	       "NR 0x20 (gap between ranges)");
	expect(call(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0x3f), &cs), ENOTTY,
	       "NR 0x3f (just below the session range)");
	expect(call(dev, LIVEUPDATE_SESSION_PRESERVE_FD, &cs), ENOTTY,
	       "session command SESSION_PRESERVE_FD on /dev/liveupdate");
	expect(call(dev, LIVEUPDATE_SESSION_GET_NAME, &cs), ENOTTY,
	       "session command SESSION_GET_NAME on /dev/liveupdate");
	expect(call(dev, _IO(LIVEUPDATE_IOCTL_TYPE, 0xff), &cs), ENOTTY,
	       "NR 0xff (outside any range)");
	expect(call(dev, _IO(0xBB, LIVEUPDATE_CMD_CREATE_SESSION), &cs), ENOTTY,
	       "wrong type byte 0xBB, right NR");
	expect(call(dev, _IO(0x9A, LIVEUPDATE_CMD_CREATE_SESSION), &cs), ENOTTY,
	       "wrong type byte 0x9A (fwctl's), right NR");
	expect(call(dev, _IOW(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_CREATE_SESSION,
			      struct liveupdate_ioctl_create_session), &cs), ENOTTY,
	       "_IOW-encoded CREATE_SESSION (right NR)");
	expect(call(dev, _IOWR(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_CREATE_SESSION,
			       struct liveupdate_ioctl_create_session), &cs), ENOTTY,
	       "_IOWR-encoded CREATE_SESSION");
	expect(call(dev, _IOR(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_RETRIEVE_SESSION,
			      struct liveupdate_ioctl_retrieve_session), &cs), ENOTTY,
	       "_IOR-encoded RETRIEVE_SESSION");
	expect(call(dev, _IOC(_IOC_NONE, LIVEUPDATE_IOCTL_TYPE, 0, 72), &cs), ENOTTY,
	       "_IOC_NONE with size bits 72, right NR");
	expect(retrieve_session(dev, "delta", &fd), ENOENT, "no ENOTTY call created a session");

	/* Faults. */
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, NULL), EFAULT,
	       "CREATE_SESSION NULL pointer (size unreadable)");
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, (void *)8), EFAULT,
	       "CREATE_SESSION pointer 0x8");
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, at_edge(&cs, 2)), EFAULT,
	       "CREATE_SESSION size header straddles an unmapped page");
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, at_edge(&cs, 4)), EFAULT,
	       "CREATE_SESSION size readable, rest of the struct unmapped");
	expect(call(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, at_edge(&cs, 40)), EFAULT,
	       "RETRIEVE_SESSION struct cut short by an unmapped page");
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, at_edge(&cs, 72)), 0,
	       "CREATE_SESSION struct ending exactly at an unmapped page");
	fd = ((struct liveupdate_ioctl_create_session *)(edge_page + page_size - 72))->fd;
	if (fd >= 0)
		close(fd);

	before = count_fds();
	set_name(cs.name, "epsilon");
	expect(call(dev, LIVEUPDATE_IOCTL_CREATE_SESSION, read_only(&cs, sizeof(cs))), EFAULT,
	       "CREATE_SESSION on a read-only struct (copy-back faults)");
	check(count_fds() == before, "failed copy-back leaked no fd (%d open, %d before)",
	      count_fds(), before);
	ret = create_session(dev, "epsilon", &fd2);
	expect(ret, 0, "failed CREATE_SESSION left no session behind (create again)");
	before = count_fds();
	expect(call(dev, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, read_only(&cs, sizeof(cs))), EFAULT,
	       "RETRIEVE_SESSION on a read-only struct (copy-back faults)");
	check(count_fds() == before, "failed RETRIEVE_SESSION copy-back leaked no fd");
	if (fd2 >= 0)
		close(fd2);
	expect(retrieve_session(dev, "epsilon", &fd), ENOENT,
	       "session \"epsilon\" freed once its only fd closed");
}

static void test_session(int s)
{
	unsigned char buf[256] __attribute__((aligned(8)));
	struct liveupdate_session_preserve_fd pf;
	struct liveupdate_session_retrieve_fd rf;
	struct liveupdate_session_finish fin;
	struct liveupdate_session_get_name gn;
	struct stat st1, st2;
	char rd[32] = "";
	int memfd, fd, ret, before;

	memfd = memfd_create("luogen-test", 0);
	check(memfd >= 0, "memfd_create");
	expect(preserve(s, memfd, 1), 0, "PRESERVE_FD memfd under token 1");
	expect(preserve(s, memfd, 1), EEXIST, "PRESERVE_FD duplicate token 1");
	expect(preserve(s, -1, 2), EBADF, "PRESERVE_FD fd -1");
	expect(preserve(s, 999999, 2), EBADF, "PRESERVE_FD fd 999999");
	fd = dup(memfd);
	close(fd);
	expect(preserve(s, fd, 2), EBADF, "PRESERVE_FD closed fd");
	expect(preserve(s, s, 2), EINVAL, "PRESERVE_FD of the session fd itself");
	expect(preserve(s, memfd, 0xffffffffffffffffULL), 0, "PRESERVE_FD same memfd, token ~0");

	ret = retrieve_fd(s, 1, &fd);
	expect(ret, 0, "RETRIEVE_FD token 1");
	check(fd >= 0 && fd != memfd, "RETRIEVE_FD filled a new fd (%d)", fd);
	if (fd >= 0) {
		check(write(memfd, "luogen", 6) == 6 && pread(fd, rd, sizeof(rd), 0) == 6 &&
		      !memcmp(rd, "luogen", 6),
		      "data written to the memfd reads back through the retrieved fd");
		check(pwrite(fd, "LUO", 3, 0) == 3 && pread(memfd, rd, sizeof(rd), 0) == 6 &&
		      !memcmp(rd, "LUOgen", 6),
		      "data written through the retrieved fd reads back through the memfd");
		check(!fstat(fd, &st1) && !fstat(memfd, &st2) && st1.st_ino == st2.st_ino &&
		      st1.st_dev == st2.st_dev, "retrieved fd and memfd are the same inode");
		check(fcntl(fd, F_GETFD) & FD_CLOEXEC, "retrieved fd is close-on-exec");
		close(fd);
	}
	expect(retrieve_fd(s, 2, &fd), ENOENT, "RETRIEVE_FD unknown token 2");
	expect(retrieve_fd(s, 1, &fd), 0, "RETRIEVE_FD token 1 a second time");
	if (fd >= 0)
		close(fd);

	before = count_fds();
	memset(&rf, 0, sizeof(rf));
	rf.size = sizeof(rf);
	rf.token = 1;
	expect(call(s, LIVEUPDATE_SESSION_RETRIEVE_FD, read_only(&rf, sizeof(rf))), EFAULT,
	       "RETRIEVE_FD on a read-only struct (copy-back faults)");
	check(count_fds() == before, "failed RETRIEVE_FD copy-back leaked no fd");

	/* GET_NAME: output member, guard bytes, reserved. */
	memset(buf, GUARD, sizeof(buf));
	memset(&gn, 0, sizeof(gn));
	gn.size = sizeof(gn);
	memcpy(buf, &gn, sizeof(gn));
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, buf), 0, "GET_NAME exact size 72");
	check(!strcmp((char *)buf + 8, "alpha") && guard_intact(buf + 72, sizeof(buf) - 72),
	      "GET_NAME filled name, guard bytes past size 72 intact");
	memset(buf, GUARD, sizeof(buf));
	memset(buf, 0, 80);
	gn.size = 80;
	memcpy(buf, &gn, sizeof(gn));
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, buf), 0, "GET_NAME size 80, zero tail");
	check(!strcmp((char *)buf + 8, "alpha") && all_zero(buf + 72, 8) &&
	      guard_intact(buf + 80, sizeof(buf) - 80),
	      "GET_NAME larger struct: name filled, tail zero, guard intact");
	buf[79] = 1;
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, buf), E2BIG, "GET_NAME non-zero tail");
	gn.size = sizeof(gn);
	gn.reserved = 1;
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, &gn), EOPNOTSUPP,
	       "GET_NAME reserved = 1");
	gn.reserved = 0x80000000;
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, &gn), EOPNOTSUPP,
	       "GET_NAME reserved = 0x80000000");
	gn.reserved = 0;
	gn.size = 71;
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, &gn), EINVAL, "GET_NAME size 71");

	memset(&pf, 0, sizeof(pf));
	pf.size = 15;
	pf.fd = memfd;
	pf.token = 3;
	expect(call(s, LIVEUPDATE_SESSION_PRESERVE_FD, &pf), EINVAL,
	       "PRESERVE_FD size 15 < min_size 16");
	pf.size = 8;
	expect(call(s, LIVEUPDATE_SESSION_PRESERVE_FD, &pf), EINVAL, "PRESERVE_FD size 8");
	rf.size = 12;
	expect(call(s, LIVEUPDATE_SESSION_RETRIEVE_FD, &rf), EINVAL, "RETRIEVE_FD size 12");
	memset(buf, 0, sizeof(buf));
	pf.size = 24;
	memcpy(buf, &pf, sizeof(pf));
	expect(call(s, LIVEUPDATE_SESSION_PRESERVE_FD, buf), 0,
	       "PRESERVE_FD size 24, zero tail (token 3)");
	buf[20] = 9;
	((struct liveupdate_session_preserve_fd *)buf)->token = 4;
	expect(call(s, LIVEUPDATE_SESSION_PRESERVE_FD, buf), E2BIG,
	       "PRESERVE_FD size 24, non-zero tail");
	expect(retrieve_fd(s, 4, &fd), ENOENT, "E2BIG preserved nothing");

	memset(&fin, 0, sizeof(fin));
	fin.size = 7;
	expect(call(s, LIVEUPDATE_SESSION_FINISH, &fin), EINVAL, "FINISH size 7");
	fin.size = 0;
	expect(call(s, LIVEUPDATE_SESSION_FINISH, &fin), EINVAL, "FINISH size 0");
	fin.size = sizeof(fin);
	fin.reserved = 2;
	expect(call(s, LIVEUPDATE_SESSION_FINISH, &fin), EOPNOTSUPP, "FINISH reserved = 2");
	expect(retrieve_fd(s, 1, &fd), 0, "EOPNOTSUPP FINISH released nothing");
	if (fd >= 0)
		close(fd);

	/* Unknown numbers and faults, on the session fd. */
	gn.size = sizeof(gn);
	expect(call(s, _IO(LIVEUPDATE_IOCTL_TYPE, 0x44), &gn), ENOTTY,
	       "NR 0x44 (just past the session range)");
	expect(call(s, _IO(LIVEUPDATE_IOCTL_TYPE, 0x3f), &gn), ENOTTY,
	       "NR 0x3f (just below the session range)");
	expect(call(s, _IO(LIVEUPDATE_IOCTL_TYPE, 0x7f), &gn), ENOTTY, "NR 0x7f on a session");
	expect(call(s, LIVEUPDATE_IOCTL_CREATE_SESSION, &gn), ENOTTY,
	       "device command CREATE_SESSION on a session fd");
	expect(call(s, _IO(0x42, LIVEUPDATE_CMD_SESSION_GET_NAME), &gn), ENOTTY,
	       "wrong type byte 0x42, right NR");
	expect(call(s, _IOR(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_GET_NAME,
			    struct liveupdate_session_get_name), &gn), ENOTTY,
	       "_IOR-encoded GET_NAME");
	expect(call(s, _IOW(LIVEUPDATE_IOCTL_TYPE, LIVEUPDATE_CMD_SESSION_PRESERVE_FD,
			    struct liveupdate_session_preserve_fd), &pf), ENOTTY,
	       "_IOW-encoded PRESERVE_FD");
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, NULL), EFAULT, "GET_NAME NULL pointer");
	expect(call(s, LIVEUPDATE_SESSION_FINISH, at_edge(&fin, 3)), EFAULT,
	       "FINISH size header straddles an unmapped page");
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, at_edge(&gn, 4)), EFAULT,
	       "GET_NAME size readable, rest unmapped");
	expect(call(s, LIVEUPDATE_SESSION_GET_NAME, read_only(&gn, sizeof(gn))), EFAULT,
	       "GET_NAME on a read-only struct (copy-back faults)");

	/* FINISH releases the preserved files. */
	fin.reserved = 0;
	expect(call(s, LIVEUPDATE_SESSION_FINISH, &fin), 0, "FINISH");
	expect(retrieve_fd(s, 1, &fd), ENOENT, "RETRIEVE_FD token 1 after FINISH");
	expect(retrieve_fd(s, 3, &fd), ENOENT, "RETRIEVE_FD token 3 after FINISH");
	check(pread(memfd, rd, 6, 0) == 6 && !memcmp(rd, "LUOgen", 6),
	      "memfd still intact after FINISH");
	expect(preserve(s, memfd, 1), 0, "PRESERVE_FD token 1 again after FINISH");
	close(memfd);
	ret = retrieve_fd(s, 1, &fd);
	expect(ret, 0, "RETRIEVE_FD after the original memfd was closed");
	check(fd >= 0 && pread(fd, rd, 6, 0) == 6 && !memcmp(rd, "LUOgen", 6),
	      "the session kept the memfd's file alive");
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	int dev, alpha = -1, fd;

	if (map_test_pages())
		return 2;

	dev = open("/dev/liveupdate", O_RDWR);
	if (!check(dev >= 0, "open /dev/liveupdate (%s)", dev < 0 ? strerror(errno) : "ok"))
		return 1;
	test_device(dev, &alpha);
	if (alpha >= 0)
		test_session(alpha);

	close(alpha);
	expect(retrieve_session(dev, "alpha", &fd), ENOENT,
	       "RETRIEVE_SESSION \"alpha\" after its last fd closed");
	close(dev);
	dev = open("/dev/liveupdate", O_RDWR);
	check(dev >= 0, "open /dev/liveupdate again after close");
	if (dev >= 0)
		close(dev);

	printf("# luo_test: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
