/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the single-file userspace test programs (luo_test.c,
 * fwctl_test.c): TAP-like "ok N - ..." checks, ioctl() calls judged by errno,
 * guard-byte checks and user pointers that fault (an edge page followed by a
 * PROT_NONE page, and a read-only page).
 *
 * Include it after the program's own headers: #include "checks.h".
 */
#ifndef CHECKS_H
#define CHECKS_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUARD 0xAA

static int checks, failures;
static long page_size;
static unsigned char *edge_page;	/* page followed by a PROT_NONE page */
static unsigned char *ro_page;		/* page made read-only after filling */

static const char *errname(int e)
{
	switch (e) {
	case 0: return "success";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ENXIO: return "ENXIO";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case E2BIG: return "E2BIG";
	case ENODEV: return "ENODEV";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EOVERFLOW: return "EOVERFLOW";
	case EMSGSIZE: return "EMSGSIZE";
	case EADDRINUSE: return "EADDRINUSE";
	default: return "errno?";
	}
}

static int check(int cond, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (!cond)
		failures++;
	printf("%sok %d - ", cond ? "" : "not ", checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

/* ioctl() returning 0 or the errno; a positive return is reported as -1000 - ret. */
static int call(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	if (ret < 0)
		return errno;
	return ret ? -1000 - ret : 0;
}

static int expect(int got, int want, const char *what)
{
	return check(got == want, "%s -> %s (got %s, %d)", what, errname(want),
		     errname(got), got);
}

static int guard_intact(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != GUARD)
			return 0;
	return 1;
}

/* Map edge_page and ro_page; 0 on success, -1 after perror(). */
static int map_test_pages(void)
{
	page_size = sysconf(_SC_PAGESIZE);
	edge_page = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge_page == MAP_FAILED || ro_page == MAP_FAILED ||
	    mprotect(edge_page + page_size, page_size, PROT_NONE)) {
		perror("mmap");
		return -1;
	}
	return 0;
}

/* A pointer to the last n readable bytes before an inaccessible page. */
static void *at_edge(const void *data, size_t n)
{
	unsigned char *p = edge_page + page_size - n;

	memcpy(p, data, n);
	return p;
}

/* A read-only copy of data: the kernel can read it but its copy-back faults. */
static void *read_only(const void *data, size_t n)
{
	mprotect(ro_page, page_size, PROT_READ | PROT_WRITE);
	memset(ro_page, 0, page_size);
	memcpy(ro_page, data, n);
	mprotect(ro_page, page_size, PROT_READ);
	return ro_page;
}

#endif /* CHECKS_H */
