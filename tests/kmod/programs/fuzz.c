// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls against both objects of the liveupdate test module (/dev/liveupdate
 * and a session fd) and the fwctl test module (/dev/fwctl0), through luogen's
 * generated uapi headers only.
 *
 * Every call is judged by an oracle of the generated dispatch contract:
 *
 *   wrong type byte, direction or size bits, or NR outside the object's range: ENOTTY;
 *   the size header unreadable: EFAULT;   size < min_size: EINVAL;
 *   non-zero bytes past the kernel's struct: E2BIG;   the rest unreadable: EFAULT;
 *   a non-zero reserved member or an unknown enum value: EOPNOTSUPP;
 *
 * and, once the handler runs, by the errnos that handler may return. Any other
 * result is a failure. Counts per object and errno are printed at the end, then
 * the fuzzer's own checks (TAP-like "ok N - ..."): no unexpected result, as many
 * calls made as iterations asked for, and on every object some calls that got
 * past the dispatch's pre-checks into a handler (else the handlers went untested).
 *
 * Usage: fuzz [iterations [seed]]   (default FUZZ_ITERATIONS, seed FUZZ_SEED or the clock)
 * Build: gcc -static -O2 -I generated/liveupdate/include/uapi -I generated/fwctl/include/uapi
 */
#define _GNU_SOURCE
#include <fcntl.h>

#include <fwctl/fwctl.h>
#include <linux/liveupdate.h>

#include "fuzz.h"

#define REGION_PAGES 3

/* --------------------------------------------------------------- objects */

enum check_kind { CHECK_NONE, CHECK_ZERO_U32, CHECK_ENUM_MAX };

struct op {
	const char *name;
	unsigned int nr;
	unsigned int size;
	unsigned int min_size;
	enum check_kind check;	/* on the __u32 at offset 4 */
	uint32_t check_max;
	unsigned int allowed;	/* errnos the handler may return (BIT()) */
};

struct object {
	const char *name;
	int fd;
	unsigned int type;
	unsigned int base;
	unsigned int nr_ops;
	struct op ops[4];
	unsigned long counts[NR_ERRNOS + 1];
	unsigned long calls, handled;
};

enum { OBJ_LUO, OBJ_SESSION, OBJ_FWCTL, NR_OBJECTS };

static struct object objects[NR_OBJECTS];

static void init_objects(void)
{
	struct object *o = objects;

	o[OBJ_LUO] = (struct object){
		.name = "/dev/liveupdate", .type = LIVEUPDATE_IOCTL_TYPE,
		.base = LIVEUPDATE_CMD_BASE, .nr_ops = 2,
		.ops = {
			{ "CREATE_SESSION", LIVEUPDATE_CMD_CREATE_SESSION,
			  sizeof(struct liveupdate_ioctl_create_session), 72, CHECK_NONE, 0,
			  BIT(0) | BIT(EINVAL) | BIT(EEXIST) | BIT(ENOMEM) | BIT(EMFILE) },
			{ "RETRIEVE_SESSION", LIVEUPDATE_CMD_RETRIEVE_SESSION,
			  sizeof(struct liveupdate_ioctl_retrieve_session), 72, CHECK_NONE, 0,
			  BIT(0) | BIT(EINVAL) | BIT(ENOENT) | BIT(EMFILE) },
		},
	};
	o[OBJ_SESSION] = (struct object){
		.name = "session fd", .type = LIVEUPDATE_IOCTL_TYPE,
		.base = LIVEUPDATE_CMD_SESSION_BASE, .nr_ops = 4,
		.ops = {
			{ "PRESERVE_FD", LIVEUPDATE_CMD_SESSION_PRESERVE_FD,
			  sizeof(struct liveupdate_session_preserve_fd), 16, CHECK_NONE, 0,
			  BIT(0) | BIT(EBADF) | BIT(EEXIST) | BIT(EINVAL) | BIT(ENOMEM) },
			{ "RETRIEVE_FD", LIVEUPDATE_CMD_SESSION_RETRIEVE_FD,
			  sizeof(struct liveupdate_session_retrieve_fd), 16, CHECK_NONE, 0,
			  BIT(0) | BIT(ENOENT) | BIT(EMFILE) },
			{ "FINISH", LIVEUPDATE_CMD_SESSION_FINISH,
			  sizeof(struct liveupdate_session_finish), 8, CHECK_ZERO_U32, 0, BIT(0) },
			{ "GET_NAME", LIVEUPDATE_CMD_SESSION_GET_NAME,
			  sizeof(struct liveupdate_session_get_name), 72, CHECK_ZERO_U32, 0,
			  BIT(0) },
		},
	};
	o[OBJ_FWCTL] = (struct object){
		.name = "/dev/fwctl0", .type = FWCTL_TYPE, .base = FWCTL_CMD_BASE, .nr_ops = 2,
		.ops = {
			{ "INFO", FWCTL_CMD_INFO, sizeof(struct fwctl_info), 24, CHECK_ZERO_U32, 0,
			  BIT(0) | BIT(EFAULT) },
			{ "RPC", FWCTL_CMD_RPC, sizeof(struct fwctl_rpc), 32, CHECK_ENUM_MAX,
			  FWCTL_RPC_DEBUG_WRITE_FULL,
			  BIT(0) | BIT(EPERM) | BIT(ENOSPC) | BIT(EINVAL) | BIT(EFAULT) |
			  BIT(ENOMEM) },
		},
	};
}

/* --------------------------------------------------------------- memory */

static unsigned char *region;	/* REGION_PAGES read-write pages, then PROT_NONE */
static unsigned char *region_end;
static unsigned char *scratch;	/* a valid buffer for fwctl pointers */
static int memfd;

static int name_valid(const unsigned char *name)
{
	return name[0] && memchr(name, 0, LIVEUPDATE_SESSION_NAME_LENGTH);
}

/* Plausible member values, so that the handlers' own paths run too. */
static void fill_members(int obj, const struct op *op, unsigned char *s)
{
	static const int fds_pool[] = { -1, 0, 1, 2, 3, 4, 5, 6, 7, 100, 4096 };
	uint32_t *u32 = (uint32_t *)s;
	uint64_t *u64 = (uint64_t *)s;

	if (obj == OBJ_LUO) {
		memset(s + 8, 0, LIVEUPDATE_SESSION_NAME_LENGTH);
		if (chance(20))
			strcpy((char *)s + 8, "fuzz-main");
		else if (!chance(10))
			snprintf((char *)s + 8, LIVEUPDATE_SESSION_NAME_LENGTH, "fz%u", rnd(8));
		if (chance(5))
			memset(s + 8, 'n', LIVEUPDATE_SESSION_NAME_LENGTH);
	} else if (obj == OBJ_SESSION) {
		if (op->nr == LIVEUPDATE_CMD_SESSION_PRESERVE_FD)
			u32[1] = chance(50) ? (uint32_t)memfd
					    : (uint32_t)fds_pool[rnd(sizeof(fds_pool) /
								 sizeof(fds_pool[0]))];
		else if (op->nr == LIVEUPDATE_CMD_SESSION_FINISH ||
			 op->nr == LIVEUPDATE_CMD_SESSION_GET_NAME)
			u32[1] = chance(80) ? 0 : (uint32_t)rnd64();
		if (op->size == 16)
			u64[1] = rnd(8);
	} else if (op->nr == FWCTL_CMD_INFO) {
		struct fwctl_info *info = (struct fwctl_info *)s;

		info->flags = chance(80) ? 0 : (uint32_t)rnd64();
		info->device_data_len = rnd(40);
		info->out_device_data = chance(80) ? PTR(scratch) : rnd64();
	} else {
		struct fwctl_rpc *rpc = (struct fwctl_rpc *)s;

		rpc->scope = chance(90) ? rnd(5) : (uint32_t)rnd64();
		rpc->in_len = chance(90) ? rnd(300) : rnd(0x20000);
		rpc->out_len = chance(80) ? rnd(300) : (uint32_t)rnd64();
		rpc->in = chance(85) ? PTR(scratch) : rnd64();
		rpc->out = chance(85) ? PTR(scratch + 0x10000) : rnd64();
	}
}

/* --------------------------------------------------------------- one call */

struct call {
	int obj;
	unsigned long cmd;
	const struct op *op;	/* NULL: the number is not supported */
	unsigned char *arg;
	size_t avail;		/* readable bytes at arg */
	uint32_t user_size;
};

static void pick_command(struct call *c)
{
	struct object *o = &objects[c->obj];
	unsigned int type = o->type, dir = _IOC_NONE, size_bits = 0, nr;
	unsigned int r = rnd(100);

	/* A supported NR, or one around the range: base-3 .. base+nr_ops+2. */
	nr = o->base + (chance(50) ? rnd(o->nr_ops) : rnd(o->nr_ops + 6) - 3);
	nr &= 0xff;
	if (r < 8) {
		nr = rnd(256);
	} else if (r < 14) {
		dir = 1 + rnd(3);
		size_bits = rnd(_IOC_SIZEMASK + 1);
	} else if (r < 18) {
		size_bits = 1 + rnd(_IOC_SIZEMASK);
	} else if (r < 24) {
		type = wrong_types[rnd(sizeof(wrong_types) / sizeof(wrong_types[0]))];
	} else if (r < 28) {
		/* another object's type byte and range */
		const struct object *other = &objects[(c->obj + 1 + rnd(2)) % NR_OBJECTS];

		type = other->type;
		nr = other->base + rnd(other->nr_ops);
	}
	c->cmd = _IOC(dir, type, nr & 0xff, size_bits);
	c->op = NULL;
	if (type == o->type && dir == _IOC_NONE && !size_bits && nr >= o->base &&
	    nr < o->base + o->nr_ops)
		c->op = &o->ops[nr - o->base];
}

static void pick_buffer(struct call *c)
{
	const struct op *op = c->op ? c->op : &objects[c->obj].ops[rnd(objects[c->obj].nr_ops)];
	size_t region_size = region_end - region;
	unsigned int r = rnd(100);
	uint32_t len;
	unsigned char *s;

	/* How long the struct userspace "means" is. */
	if (chance(40))
		len = op->size;
	else if (chance(50))
		len = rnd(op->size + 16);
	else
		len = rnd(4097);

	/* Where it is. */
	if (r < 3) {
		c->arg = NULL;
		c->avail = 0;
	} else if (r < 5) {
		c->arg = (unsigned char *)(uintptr_t)(1 + rnd(4096));
		c->avail = 0;
	} else if (r < 25) {
		c->avail = rnd(len + 9);
		c->arg = region_end - c->avail;
	} else {
		size_t off = rnd(65);

		c->arg = region + off;
		c->avail = region_size - off;
	}
	if (!c->avail)
		return;

	/* What it holds. */
	s = c->arg;
	r = rnd(100);
	if (r < 30) {
		for (size_t i = 0; i < c->avail && i < len + 64; i++)
			s[i] = (unsigned char)rnd64();
	} else {
		memset(s, 0, c->avail < len + 64u ? c->avail : len + 64u);
		if (c->avail >= op->size + 64u) {
			fill_members(c->obj, op, s);
			if (r < 45)	/* a stray non-zero byte somewhere */
				s[rnd(len < c->avail ? len + 1 : c->avail)] = 1 + rnd(255);
		}
	}

	/* The size header: consistent, the kernel's, or anything. */
	if (c->avail >= 4) {
		uint32_t size;

		r = rnd(100);
		if (r < 45)
			size = len;
		else if (r < 75)
			size = op->size;
		else if (r < 90)
			size = rnd(op->size + 9);
		else
			size = (uint32_t)rnd64();
		memcpy(s, &size, 4);
	}
}

/* The errno the dispatch must return before any handler runs, or -1. */
static int predict(struct call *c)
{
	const struct op *op = c->op;
	size_t n, end;
	uint32_t u;

	if (!op)
		return ENOTTY;
	if (c->avail < 4)
		return EFAULT;
	memcpy(&c->user_size, c->arg, 4);
	if (c->user_size < op->min_size)
		return EINVAL;
	if (c->user_size > op->size) {
		end = c->user_size < c->avail ? c->user_size : c->avail;
		if (end > op->size && !all_zero(c->arg + op->size, end - op->size))
			return E2BIG;
		if (c->avail < c->user_size)
			return EFAULT;
	} else {
		n = c->user_size;
		if (c->avail < n)
			return EFAULT;
	}
	memcpy(&u, c->arg + 4, 4);
	if (op->check == CHECK_ZERO_U32 && u)
		return EOPNOTSUPP;
	if (op->check == CHECK_ENUM_MAX && u > op->check_max)
		return EOPNOTSUPP;
	return -1;
}

static unsigned long calls_made(void)
{
	unsigned long calls = 0;

	for (int obj = 0; obj < NR_OBJECTS; obj++)
		calls += objects[obj].calls;
	return calls;
}

static void report(const struct call *c, int got, const char *why)
{
	unexpected("%s on %s: cmd %#lx (%s) arg %p avail %zu size %u: %s", errno_name(got),
		   objects[c->obj].name, c->cmd, c->op ? c->op->name : "-",
		   (void *)c->arg, c->avail, c->user_size, why);
}

static void one_call(int obj)
{
	struct object *o = &objects[obj];
	struct call c = { .obj = obj };
	unsigned char name_ok = 0;
	uint32_t scope = 0;
	int want, got, ret;

	pick_command(&c);
	pick_buffer(&c);
	want = predict(&c);
	if (want < 0 && obj == OBJ_LUO)
		name_ok = name_valid(c.arg + 8);
	if (want < 0 && obj == OBJ_FWCTL && c.op->nr == FWCTL_CMD_RPC)
		memcpy(&scope, c.arg + 4, 4);

	ret = ioctl(o->fd, c.cmd, c.arg);
	got = ret < 0 ? errno : 0;
	if (ret > 0) {
		report(&c, ret, "positive return value");
		got = -1;
	}
	o->calls++;
	o->counts[errno_index(got)]++;

	if (want >= 0) {
		if (got != want) {
			char why[64];

			snprintf(why, sizeof(why), "the dispatch contract says %s",
				 errno_name(want));
			report(&c, got, why);
		}
		return;
	}
	o->handled++;
	if (got < 0 || errno_index(got) >= NR_ERRNOS || !(c.op->allowed & BIT(got)))
		report(&c, got, "not an errno this handler may return");
	else if (obj == OBJ_LUO && !name_ok != (got == EINVAL))
		report(&c, got, name_ok ? "valid name refused" : "invalid name accepted");
	else if (obj == OBJ_FWCTL && c.op->nr == FWCTL_CMD_RPC &&
		 (scope == FWCTL_RPC_DEBUG_WRITE_FULL) != (got == EPERM))
		report(&c, got, "EPERM iff scope is DEBUG_WRITE_FULL");

	/* Close the fds that successful calls handed out. */
	if (!got && (obj == OBJ_LUO ||
		     (obj == OBJ_SESSION && c.op->nr == LIVEUPDATE_CMD_SESSION_RETRIEVE_FD))) {
		int32_t fd;

		memcpy(&fd, c.arg + 4, 4);
		if (fd <= 2 || fd == objects[OBJ_LUO].fd || fd == objects[OBJ_SESSION].fd ||
		    fd == objects[OBJ_FWCTL].fd || fd == memfd || close(fd))
			report(&c, got, "success without a new fd");
	}
}

int main(int argc, char **argv)
{
	unsigned long iterations = fuzz_iterations(argc, argv);
	uint64_t seed = fuzz_seed(argc, argv);
	struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
	struct timespec t0, t1;
	double secs;

	printf("# fuzz: seed %#llx, %lu iterations\n", (unsigned long long)seed, iterations);
	rng_state = seed;
	init_objects();

	page_size = sysconf(_SC_PAGESIZE);
	region = mmap(NULL, (REGION_PAGES + 1) * page_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	scratch = mmap(NULL, 0x20000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || scratch == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	region_end = region + REGION_PAGES * page_size;
	if (mprotect(region_end, page_size, PROT_NONE)) {
		perror("mprotect");
		return 2;
	}
	memfd = memfd_create("fuzz", 0);
	objects[OBJ_LUO].fd = open("/dev/liveupdate", O_RDWR);
	objects[OBJ_FWCTL].fd = open("/dev/fwctl0", O_RDWR);
	strcpy((char *)cs.name, "fuzz-main");
	if (memfd < 0 || objects[OBJ_LUO].fd < 0 || objects[OBJ_FWCTL].fd < 0 ||
	    ioctl(objects[OBJ_LUO].fd, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs)) {
		perror("setup");
		return 2;
	}
	objects[OBJ_SESSION].fd = cs.fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < iterations; i++)
		one_call(rnd(NR_OBJECTS));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (int obj = 0; obj < NR_OBJECTS; obj++) {
		const struct object *o = &objects[obj];

		printf("# %s: %lu calls, %lu reached a handler:", o->name, o->calls, o->handled);
		for (unsigned int i = 0; i <= NR_ERRNOS; i++)
			if (o->counts[i])
				printf(" %s=%lu", i < NR_ERRNOS ? errno_names[i] : "other",
				       o->counts[i]);
		putchar('\n');
	}
	printf("# fuzz: %lu iterations in %.2f s (%.1f us/call), %lu unexpected\n",
	       iterations, secs, secs * 1e6 / (iterations ? iterations : 1), failures);
	tap(!failures, "fuzz: %lu random ioctls, %lu results the contract does not allow",
	    iterations, failures);
	tap(calls_made() == iterations, "fuzz: %lu calls made of %lu asked", calls_made(),
	    iterations);
	for (int obj = 0; obj < NR_OBJECTS; obj++)
		tap(objects[obj].handled > 0, "fuzz: %s: %lu of %lu calls reached a handler",
		    objects[obj].name, objects[obj].handled, objects[obj].calls);
	close(objects[OBJ_SESSION].fd);
	close(objects[OBJ_LUO].fd);
	close(objects[OBJ_FWCTL].fd);
	close(memfd);
	return tap_failures ? 1 : 0;
}
