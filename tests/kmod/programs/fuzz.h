/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel fuzzers (fuzz.c, tally_fuzz.c, pager_fuzz.c, ioas_fuzz.c)
 * share: the errnos they count results by, a seeded PRNG, TAP-like self-checks
 * ("ok N - ..."), guarded memory (mapped pages with PROT_NONE pages after them,
 * so that what a pointer can reach is known exactly), the UNEXPECTED report
 * and per-command counters.
 *
 * Include it after the program's own headers: #include "fuzz.h". A program
 * defines FUZZ_ITERATIONS before including it to change the default; the
 * build may set FUZZ_ITERATIONS and FUZZ_SEED (-DFUZZ_SEED=0x...).
 */
#ifndef FUZZ_H
#define FUZZ_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#ifndef FUZZ_ITERATIONS
#define FUZZ_ITERATIONS 300000
#endif
#define MAX_REPORTS 20

#define PTR(p) ((__u64)(uintptr_t)(p))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --------------------------------------------------------------- errnos */

static const int errnos[] = {
	0, EPERM, ENOENT, EBADF, ENOMEM, EFAULT, EBUSY, EEXIST, EINVAL, EMFILE,
	ENOSPC, ENOTTY, E2BIG, EOPNOTSUPP, EOVERFLOW, ENODEV, EMSGSIZE, EADDRINUSE,
};
static const char *const errno_names[] = {
	"success", "EPERM", "ENOENT", "EBADF", "ENOMEM", "EFAULT", "EBUSY", "EEXIST",
	"EINVAL", "EMFILE", "ENOSPC", "ENOTTY", "E2BIG", "EOPNOTSUPP", "EOVERFLOW", "ENODEV",
	"EMSGSIZE", "EADDRINUSE",
};
#define NR_ERRNOS ARRAY_LEN(errnos)
#define BIT(e) (1u << errno_index(e))

static inline unsigned int errno_index(int e)
{
	for (unsigned int i = 0; i < NR_ERRNOS; i++)
		if (errnos[i] == e)
			return i;
	return NR_ERRNOS;	/* "other" */
}

static inline const char *errno_name(int e)
{
	unsigned int i = errno_index(e);

	return i < NR_ERRNOS ? errno_names[i] : "other";
}

/* --------------------------------------------------------------- PRNG */

static uint64_t rng_state;

static inline uint64_t rnd64(void)	/* splitmix64 */
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint32_t rnd(uint32_t n)	/* 0 .. n-1 */
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

static inline int chance(unsigned int percent)
{
	return rnd(100) < percent;
}

/* The seed: argv[2], else FUZZ_SEED when the build sets it, else the clock. */
static inline uint64_t fuzz_seed(int argc, char **argv)
{
	if (argc > 2)
		return strtoull(argv[2], NULL, 0);
#ifdef FUZZ_SEED
	return FUZZ_SEED;
#else
	return ((uint64_t)time(NULL) << 16) ^ (uint64_t)getpid();
#endif
}

static inline unsigned long fuzz_iterations(int argc, char **argv)
{
	return argc > 1 ? strtoul(argv[1], NULL, 0) : FUZZ_ITERATIONS;
}

/* --------------------------------------------------------------- TAP */

static int tap_checks, tap_failures;

/* One of the fuzzer's own checks, printed as "ok N - ..." or "not ok N - ...". */
static inline void __attribute__((format(printf, 2, 3))) tap(int ok, const char *fmt, ...)
{
	va_list ap;

	tap_checks++;
	tap_failures += !ok;
	printf("%sok %d - ", ok ? "" : "not ", tap_checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* --------------------------------------------------------------- reports */

static unsigned long failures;

/* A result the oracle does not allow: counted, and the first MAX_REPORTS printed. */
static inline void __attribute__((format(printf, 1, 2))) unexpected(const char *fmt, ...)
{
	va_list ap;

	if (++failures > MAX_REPORTS)
		return;
	fputs("UNEXPECTED ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline int all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* Type bytes of no test module, and none the VFS answers ioctls of itself. */
static const unsigned int wrong_types[] = { 0xBB, 0xB9, 0x9B, 0x99, 0x01, 0xFF, 0x3A };

/* --------------------------------------------------------------- memory */

static size_t page_size;

/*
 * Guarded memory: `pages` pages, each mapped read-write unless its bit is set
 * in `holes` (then PROT_NONE), and one PROT_NONE page after them. What a
 * pointer into it can reach ends at the next PROT_NONE page.
 */
struct guarded {
	unsigned char *base;
	size_t size;		/* pages * page_size */
	unsigned int pages;
	unsigned long holes;
};

static const struct guarded *guarded_all[4];	/* every region mapped, for user_ok() */

/* Map it; 0, or -1 after perror(). */
static inline int guarded_map(struct guarded *g, unsigned int pages, unsigned long holes)
{
	for (unsigned int i = 0; i < ARRAY_LEN(guarded_all); i++) {
		if (!guarded_all[i]) {
			guarded_all[i] = g;
			break;
		}
	}
	if (!page_size)
		page_size = sysconf(_SC_PAGESIZE);
	g->pages = pages;
	g->holes = holes;
	g->size = pages * page_size;
	g->base = mmap(NULL, g->size + page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->base == MAP_FAILED) {
		perror("mmap");
		return -1;
	}
	for (unsigned int i = 0; i <= pages; i++) {
		if ((i == pages || (holes >> i & 1)) &&
		    mprotect(g->base + i * page_size, page_size, PROT_NONE)) {
			perror("mprotect");
			return -1;
		}
	}
	return 0;
}

static inline int guarded_page_mapped(const struct guarded *g, size_t page)
{
	return page < g->pages && !(g->holes >> page & 1);
}

/* How many bytes from user address p are accessible (0 outside the mapped pages). */
static inline size_t guarded_avail(const struct guarded *g, uint64_t p)
{
	uint64_t base = PTR(g->base);
	size_t page, n;

	if (p < base || p >= base + g->size)
		return 0;
	page = (p - base) / page_size;
	if (!guarded_page_mapped(g, page))
		return 0;
	n = (page + 1) * page_size - (p - base);
	while (guarded_page_mapped(g, ++page))
		n += page_size;
	return n;
}

/* Whether the n bytes at p are all accessible (n == 0 always is). */
static inline int guarded_ok(const struct guarded *g, uint64_t p, uint64_t n)
{
	return !n || guarded_avail(g, p) >= n;
}

/*
 * How many bytes from p the process can read and write, outside the guarded
 * regions: from /proc/self/maps (only a pointer a stray byte or random bytes
 * made gets here).
 */
static inline uint64_t mapped_avail(uint64_t p, int write)
{
	unsigned long long lo, hi, end = p;
	char perms[8], line[512];
	FILE *maps;

	if (p < 0x10000 || p >= (1ULL << 47) || (sizeof(void *) == 4 && p >> 32))
		return 0;
	maps = fopen("/proc/self/maps", "r");
	if (!maps)
		return 0;
	while (fgets(line, sizeof(line), maps))
		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) == 3 && lo <= end && end < hi &&
		    perms[0] == 'r' && (!write || perms[1] == 'w'))
			end = hi;	/* maps are sorted: a following one may continue it */
	fclose(maps);
	return end - p;
}

/*
 * How many bytes from user address p are readable, and writable too with
 * `write`, exactly: the kernel reads what the program may only read (its own
 * text and read-only data, where a pointer cut short by the size may land),
 * and writes only where it may write.
 */
static inline uint64_t user_avail_for(uint64_t p, int write)
{
	for (unsigned int i = 0; i < ARRAY_LEN(guarded_all) && guarded_all[i]; i++) {
		const struct guarded *g = guarded_all[i];

		if (p >= PTR(g->base) && p < PTR(g->base) + g->size + page_size)
			return guarded_avail(g, p);
	}
	return mapped_avail(p, write);
}

/* How many bytes from user address p are readable and writable, exactly. */
static inline uint64_t user_avail(uint64_t p)
{
	return user_avail_for(p, 1);
}

/* Whether the n bytes at user address p are all readable (n == 0 always are). */
static inline int user_readable(uint64_t p, uint64_t n)
{
	return !n || (p + n >= p && user_avail_for(p, 0) >= n);
}

/* Whether the n bytes at user address p are all readable and writable (n == 0 always are). */
static inline int user_ok(uint64_t p, uint64_t n)
{
	return !n || (p + n >= p && user_avail(p) >= n);
}

/*
 * What copy_struct_from_user() of usize bytes at p into a ksize-byte struct
 * answers: E2BIG for a non-zero byte past ksize before any fault (the tail is
 * checked first), EFAULT for memory it cannot read, else -1.
 */
static inline int predict_struct_copy(uint64_t p, uint64_t usize, uint64_t ksize)
{
	if (usize > ksize) {
		uint64_t avail = user_avail_for(p + ksize, 0);
		uint64_t scan = avail < usize - ksize ? avail : usize - ksize;

		if (!all_zero((const unsigned char *)(uintptr_t)(p + ksize), scan))
			return E2BIG;
		if (avail < usize - ksize)
			return EFAULT;
	}
	return user_readable(p, usize < ksize ? usize : ksize) ? -1 : EFAULT;
}

/* The start and end of mapped segment `segment` (its pages up to the next PROT_NONE one). */
static inline void guarded_segment(const struct guarded *g, unsigned int segment,
				   unsigned char **start, unsigned char **end)
{
	unsigned int found = 0;

	*start = *end = g->base;
	for (unsigned int page = 0; page < g->pages; page++) {
		if (!guarded_page_mapped(g, page))
			continue;
		if (!page || !guarded_page_mapped(g, page - 1))
			*start = g->base + page * page_size;
		if (!guarded_page_mapped(g, page + 1) && found++ == segment) {
			*end = g->base + (page + 1) * page_size;
			return;
		}
	}
}

static inline unsigned int guarded_segments(const struct guarded *g)
{
	unsigned int n = 0;

	for (unsigned int page = 0; page < g->pages; page++)
		n += guarded_page_mapped(g, page) && !guarded_page_mapped(g, page + 1);
	return n;
}

/* Addresses nothing is mapped at, in a 64-bit kernel's view of any caller. */
static inline uint64_t bad_pointer(const struct guarded *g)
{
	switch (rnd(5)) {
	case 0: return 0;
	case 1: return 1 + rnd(4096);
	case 2: return PTR(g->base + g->size) + rnd(page_size);	/* the final guard page */
	case 3: return 0xdead000000000000ULL + rnd(4096);		/* not canonical */
	default: return (1ULL << 63) | rnd64();				/* the kernel's half */
	}
}

/*
 * A pointer to n bytes in g: mostly all of them accessible, some ending right
 * at a PROT_NONE page, some running into one (a hole in the middle or the
 * end), some bad pointers.
 */
static inline uint64_t pick_pointer(const struct guarded *g, size_t n)
{
	unsigned int r = rnd(100);
	unsigned char *start, *end;
	uint64_t p;

	if (r < 5)
		return bad_pointer(g);
	guarded_segment(g, rnd(guarded_segments(g)), &start, &end);
	if (r < 40)			/* ends exactly at a PROT_NONE page */
		p = PTR(end) - n;
	else if (r < 50 && n)		/* runs 1..16 bytes into one */
		p = PTR(end) - n + 1 + rnd(n < 16 ? n : 16);
	else if (r < 60 && n)		/* starts anywhere in its last n bytes */
		p = PTR(end) - 1 - rnd(n);
	else				/* the segment's start: mostly all fits */
		p = PTR(start) + rnd((end - start) / 2);
	/* Never below the segment: what lies there is not known. */
	return p < PTR(start) || p > PTR(end) ? PTR(start) : p;
}


/* --------------------------------------------------------------- counters */

struct fuzz_counts {
	unsigned long counts[NR_ERRNOS + 1];
	unsigned long calls, handled, succeeded;
	double secs;	/* in ioctl() */
};

static inline void count_result(struct fuzz_counts *c, int got, int handled)
{
	c->calls++;
	c->counts[errno_index(got)]++;
	c->handled += !!handled;
	c->succeeded += handled && !got;
}

static inline void print_counts(const char *name, const struct fuzz_counts *c)
{
	printf("# %s: %lu calls (%.2f s), %lu reached a handler, %lu succeeded:", name, c->calls,
	       c->secs, c->handled, c->succeeded);
	for (unsigned int i = 0; i <= NR_ERRNOS; i++)
		if (c->counts[i])
			printf(" %s=%lu", i < NR_ERRNOS ? errno_names[i] : "other", c->counts[i]);
	putchar('\n');
}

static inline double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* --------------------------------------------------------------- commands */

/*
 * The commands of luogen's generated dispatch (luogen_dispatch.h): a struct
 * whose first __u32 is its size, copied in with copy_struct_from_user() and
 * checked before the handler runs. fuzz_one() makes one random call of one of
 * them and judges it: the dispatch's own answers here, the command's value
 * checks and its handler by the program's fuzz_ops.
 */
#define FUZZ_MAX_STRUCT 64

struct fuzz_cmd {
	const char *name;
	unsigned long number;
	unsigned int size, min_size;
	unsigned int ptr_offset;	/* of its user pointer member; 0: none */
	unsigned int count_offset;	/* of a __u32 count with no maximum; 0: none */
	struct fuzz_counts counts;
};

struct fuzz_call {
	struct fuzz_cmd *cmd;	/* the command whose struct is built */
	unsigned long number;	/* the number issued */
	int supported;		/* number is cmd's */
	unsigned char *arg;
	size_t avail;		/* accessible bytes at arg */
	uint32_t len;		/* the length the caller "means" */
	uint32_t user_size;	/* the size header, as the kernel reads it */
	unsigned char k[FUZZ_MAX_STRUCT];	/* the struct as the dispatch copies it in */
	unsigned char before[FUZZ_MAX_STRUCT];	/* arg's bytes before the call */
	uint64_t ptr, ptr_len;	/* the user memory the handler accesses (for reports) */
};

struct fuzz_ops {
	/* Plausible members in c->arg (size bytes accessible, zeroed). */
	void (*fill)(struct fuzz_call *c);
	/* The command's generated value checks on c->k: an errno, or -1. */
	int (*check)(const struct fuzz_call *c);
	/* The errnos the handler may return (BIT()), before the call. */
	unsigned int (*predict)(struct fuzz_call *c);
	/* After a call that reached the handler: its outputs (report_call()s). */
	void (*verify)(struct fuzz_call *c, int got);
};

static inline void report_call(const struct fuzz_call *c, int got, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An unexpected result of call c, why it is one after the details of the call. */
static inline void report_call(const struct fuzz_call *c, int got, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	unexpected("%s on %s: cmd %#lx arg %p avail %zu size %u ptr %#llx len %llu: %s",
		   errno_name(got), c->cmd->name, c->number, (void *)c->arg, c->avail,
		   c->user_size, (unsigned long long)c->ptr, (unsigned long long)c->ptr_len, why);
}

/*
 * The number: mostly the command's own; else other direction or size bits, a
 * wrong type byte, or (other_nrs: the NRs around and in the range [base,
 * base + n)) another NR. The struct is then built for the command the number
 * names, when it names one.
 */
static inline void pick_number(struct fuzz_call *c, struct fuzz_cmd *cmds, unsigned int n,
			       unsigned int base, int other_nrs)
{
	unsigned long num = c->cmd->number;
	unsigned int type = _IOC_TYPE(num), nr = _IOC_NR(num), dir = _IOC_DIR(num);
	unsigned int size = _IOC_SIZE(num), r = rnd(100);

	if (r < 75) {
	} else if (r < 81) {
		dir = rnd(4);
		size = rnd(_IOC_SIZEMASK + 1);
	} else if (r < 85) {
		size = 1 + rnd(_IOC_SIZEMASK);
	} else if (r < 92 || !other_nrs) {
		type = wrong_types[rnd(ARRAY_LEN(wrong_types))];
	} else if (r < 97) {
		nr = base - 3 + rnd(n + 6);
	} else {
		nr = rnd(256);
	}
	c->number = _IOC(dir, type, nr & 0xff, size);
	c->supported = 0;
	for (unsigned int i = 0; i < n; i++) {
		if (cmds[i].number == c->number) {
			c->cmd = &cmds[i];
			c->supported = 1;
		}
	}
}

/*
 * A non-zero byte anywhere in the struct or just past it, but in its user
 * pointer (where it would point nobody knows where) or in a count with no
 * maximum (a count of millions: an allocation that takes long to fail).
 */
static inline void stray_byte(struct fuzz_call *c)
{
	size_t at = rnd(c->len < c->avail ? c->len + 1 : c->avail);
	unsigned int ptr = c->cmd->ptr_offset, count = c->cmd->count_offset;

	if ((!ptr || at < ptr || at >= ptr + 8) && (!count || at < count || at >= count + 4))
		c->arg[at] = 1 + rnd(255);
}

/* Where the struct is (in g), what it holds and its size header. */
static inline void pick_struct(struct fuzz_call *c, const struct guarded *g,
			       const struct fuzz_ops *ops)
{
	const struct fuzz_cmd *cmd = c->cmd;
	unsigned char *end = g->base + g->size;
	unsigned int r = rnd(100);
	uint32_t size;

	if (chance(45))
		c->len = cmd->size;
	else if (chance(50))
		c->len = rnd(cmd->size + 16);
	else if (chance(50))
		c->len = cmd->min_size - 1 + rnd(3);
	else
		c->len = rnd(4097);

	if (r < 3) {
		c->arg = NULL;
		c->avail = 0;
	} else if (r < 5) {
		c->arg = (unsigned char *)(uintptr_t)(1 + rnd(4096));
		c->avail = 0;
	} else if (r < 25) {
		c->avail = rnd(c->len + 9);
		c->arg = end - c->avail;
	} else {
		c->arg = g->base + rnd(65);
		c->avail = end - c->arg;
	}
	memset(c->before, 0, sizeof(c->before));
	if (!c->avail)
		return;

	if (chance(25)) {
		for (size_t i = 0; i < c->avail && i < c->len + 64u; i++)
			c->arg[i] = (unsigned char)rnd64();
	} else {
		memset(c->arg, 0, c->avail < c->len + 64u ? c->avail : c->len + 64u);
		if (c->avail >= cmd->size + 64u) {
			ops->fill(c);
			if (chance(20))	/* a stray non-zero byte somewhere */
				stray_byte(c);
		}
	}
	if (c->avail >= 4) {
		r = rnd(100);
		if (r < 50)
			size = c->len;
		else if (r < 80)
			size = cmd->size;
		else if (r < 88)
			size = cmd->min_size - 1 + rnd(3);
		else if (r < 96)
			size = rnd(cmd->size + 9);
		else
			size = (uint32_t)rnd64();
		memcpy(c->arg, &size, 4);
	}
	memcpy(c->before, c->arg, c->avail < FUZZ_MAX_STRUCT ? c->avail : FUZZ_MAX_STRUCT);
}

/*
 * The errno luogen_dispatch() must return before the command's checks run,
 * or -1, with c->k then the struct as copied in (zero past the user's size).
 */
static inline int predict_dispatch(struct fuzz_call *c)
{
	const struct fuzz_cmd *cmd = c->cmd;
	size_t end;

	c->user_size = 0;
	if (!c->supported)
		return ENOTTY;
	if (c->avail < 4)
		return EFAULT;
	memcpy(&c->user_size, c->arg, 4);
	if (c->user_size < cmd->min_size)
		return EINVAL;
	if (c->user_size > cmd->size) {
		/* copy_struct_from_user(): the tail is checked before the head is copied */
		end = c->user_size < c->avail ? c->user_size : c->avail;
		if (end > cmd->size && !all_zero(c->arg + cmd->size, end - cmd->size))
			return E2BIG;
	}
	if (c->avail < c->user_size)
		return EFAULT;
	memset(c->k, 0, sizeof(c->k));
	memcpy(c->k, c->arg, c->user_size < cmd->size ? c->user_size : cmd->size);
	return -1;
}

/* Whether the struct the kernel copies back (min(size, user_size) bytes) is `want`. */
static inline int struct_is(const struct fuzz_call *c, const void *want)
{
	size_t n = c->user_size < c->cmd->size ? c->user_size : c->cmd->size;

	return !memcmp(c->arg, want, n);
}

/* Whether the caller's struct is as it was before the call. */
static inline int struct_unchanged(const struct fuzz_call *c)
{
	return !memcmp(c->arg, c->before, c->avail < FUZZ_MAX_STRUCT ? c->avail : FUZZ_MAX_STRUCT);
}

/* One random call on fd of one of the n commands, judged. */
static inline void fuzz_one(int fd, struct fuzz_cmd *cmds, unsigned int n, unsigned int base,
			    int other_nrs, const struct guarded *g, const struct fuzz_ops *ops)
{
	struct fuzz_call c = { .cmd = &cmds[rnd(n)] };
	struct timespec t0;
	unsigned int allowed;
	int want, got, ret;

	pick_number(&c, cmds, n, base, other_nrs);
	pick_struct(&c, g, ops);
	want = predict_dispatch(&c);
	if (want < 0)
		want = ops->check(&c);
	allowed = want < 0 ? ops->predict(&c) : BIT(want);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = ioctl(fd, c.number, c.arg);
	got = ret < 0 ? errno : 0;
	c.cmd->counts.secs += seconds_since(&t0);
	if (ret > 0) {
		report_call(&c, ret, "a positive return value");
		got = -1;
	}
	count_result(&c.cmd->counts, got, want < 0);
	if (errno_index(got) >= NR_ERRNOS || !(allowed & BIT(got))) {
		if (want >= 0) {
			report_call(&c, got, "the dispatch contract says %s", errno_name(want));
		} else {
			char names[128] = "";

			for (unsigned int i = 0; i < NR_ERRNOS; i++)
				if (allowed & (1u << i))
					snprintf(names + strlen(names), sizeof(names) - strlen(names),
						 "%s%s", *names ? "|" : "", errno_names[i]);
			report_call(&c, got, "the handler's contract says %s", names);
		}
	} else if (want >= 0) {
		if (c.avail && !struct_unchanged(&c))
			report_call(&c, got, "a call refused before its handler wrote its struct");
	} else {
		ops->verify(&c, got);
	}
}

/*
 * The self-checks every fuzzer ends with: no unexpected result, as many calls
 * made as asked for, and per command some calls into its handler and some
 * successes (else its handler, or its success path, went untested). Returns
 * the exit status.
 */
static inline int fuzz_finish(const char *prog, const struct fuzz_cmd *cmds, unsigned int n,
		       unsigned long iterations, double secs)
{
	unsigned long calls = 0;

	for (unsigned int i = 0; i < n; i++) {
		print_counts(cmds[i].name, &cmds[i].counts);
		calls += cmds[i].counts.calls;
	}
	printf("# %s: %lu iterations in %.2f s (%.1f us/call), %lu unexpected\n", prog,
	       iterations, secs, secs * 1e6 / (iterations ? iterations : 1), failures);
	tap(!failures, "%s: %lu random ioctls, %lu results the contract does not allow", prog,
	    iterations, failures);
	tap(calls == iterations, "%s: %lu calls made of %lu asked", prog, calls, iterations);
	for (unsigned int i = 0; i < n; i++)
		tap(cmds[i].counts.handled > 0 && cmds[i].counts.succeeded > 0,
		    "%s: %s: %lu of %lu calls reached its handler, %lu succeeded", prog,
		    cmds[i].name, cmds[i].counts.handled, cmds[i].counts.calls, cmds[i].counts.succeeded);
	return tap_failures ? 1 : 0;
}

#endif /* FUZZ_H */
