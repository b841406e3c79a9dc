// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls against the tally test module (tests/kmod/tally, /dev/tally):
 * the counted-array helpers luogen generated (luogen_array_alloc(),
 * luogen_array_copy_in/copy_out/answer() and each array's element checks),
 * through the generated uapi header only.
 *
 * Every call is judged by an oracle: the dispatch contract (fuzz.h:
 * ENOTTY, EFAULT, EINVAL, E2BIG before any check), the commands' checks (a
 * non-zero reserved member: EOPNOTSUPP), then per command what the helpers
 * and the module's handlers answer:
 *
 *   a count over the array's maximum (256 ranges, 64 counters, 1024 values),
 *   2^32-1 and counts whose byte size wraps 32 bits among them: E2BIG;
 *   count 0: success without touching the pointer;
 *   an array that is not all accessible (a PROT_NONE page after it or in its
 *   middle, a bad pointer): EFAULT;
 *   an element with an unknown kind or flag or a non-zero reserved member:
 *   EOPNOTSUPP; a range whose last address is below its start: EINVAL;
 *   TALLY_RANGES: the ranges the last successful TALLY_ALLOW_RANGES set,
 *   as many as fit the caller's count, the total in num_ranges, alignment
 *   4096, EMSGSIZE when they did not all fit;
 *
 * and the outputs are checked (the values, the toggled counters, the ranges,
 * the byte after each array untouched). Counts per command and errno are
 * printed, then the fuzzer's own checks (fuzz.h, fuzz_finish()).
 *
 * Usage: tally_fuzz [iterations [seed]]   (default FUZZ_ITERATIONS, FUZZ_SEED)
 * Build: gcc -static -O2 -I tests/golden/counted_arrays/expected/tally/include/uapi
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>

#include <linux/tally.h>

#ifndef FUZZ_ITERATIONS
#define FUZZ_ITERATIONS 30000
#endif
#include "fuzz.h"

enum { ALLOW_RANGES, RANGES, CONFIGURE, SAMPLE, NR_CMDS };

static struct fuzz_cmd cmds[NR_CMDS] = {
	[ALLOW_RANGES] = { "ALLOW_RANGES", TALLY_ALLOW_RANGES, sizeof(struct tally_allow_ranges), 24,
			   offsetof(struct tally_allow_ranges, ranges) },
	[RANGES] = { "RANGES", TALLY_RANGES, sizeof(struct tally_ranges), 32,
		     offsetof(struct tally_ranges, ranges) },
	[CONFIGURE] = { "CONFIGURE", TALLY_CONFIGURE, sizeof(struct tally_configure), 16,
			offsetof(struct tally_configure, counters) },
	[SAMPLE] = { "SAMPLE", TALLY_SAMPLE, sizeof(struct tally_sample), 16,
		     offsetof(struct tally_sample, values) },
};

/* The struct of each command at a call's arg. */
#define ALLOW(c) ((struct tally_allow_ranges *)(c)->arg)
#define QUERY(c) ((struct tally_ranges *)(c)->arg)
#define CONF(c) ((struct tally_configure *)(c)->arg)
#define SAMP(c) ((struct tally_sample *)(c)->arg)

static struct guarded args;	/* the structs */
static struct guarded data;	/* the arrays: two pages, a PROT_NONE hole, two pages */

/* The model: the ranges the device holds. */
static struct tally_range ranges[TALLY_MAX_RANGES];
static uint32_t nr_ranges;

/* What the call in flight expects, set by predict(). */
static uint64_t elems_at;	/* the array's user address */
static size_t elems_bytes;	/* the bytes the kernel reads or writes there */
static int canary;		/* the byte after them is accessible: set to CANARY */
static uint32_t counters_before[64];
static struct tally_range allowed[TALLY_MAX_RANGES];
#define CANARY 0x5a

/* A count: 0, 1, few, up to the maximum, max, max + 1, 2^32-1, byte sizes that wrap. */
static uint32_t pick_count(uint32_t max, size_t elem_size)
{
	switch (rnd(24)) {
	case 0: case 1: case 2: return 0;
	case 3: case 4: case 5: return 1;
	case 6: return max;
	case 7: return max + 1;
	case 8: return 0xffffffffu;
	case 9: return (uint32_t)(0x100000000ULL / elem_size) + 1;	/* bytes wrap 32 bits */
	case 10: return 0x80000000u;
	case 11: return (uint32_t)rnd64();
	case 12: case 13: case 14: return 1 + rnd(max);
	default: return 2 + rnd(7);
	}
}

/* Write n elements of elem_size from src at user address p, as far as it is accessible. */
static void put_elems(uint64_t p, const void *src, size_t bytes)
{
	size_t avail = guarded_avail(&data, p);

	if (avail)
		memcpy((void *)(uintptr_t)p, src, bytes < avail ? bytes : avail);
}

static void fill_range(struct tally_range *r)
{
	r->start = chance(50) ? rnd(1u << 20) << 12 : rnd64();
	r->last = chance(95) ? r->start + rnd(0x100000) : rnd64();
	r->kind = chance(97) ? rnd(2) : (uint32_t)rnd64();
	r->__reserved = chance(98) ? 0 : 1 + rnd(255);
}

static void fill(struct fuzz_call *c)
{
	static struct tally_range elems[2 * 4096 / sizeof(struct tally_range) + 1];
	static uint32_t words[2 * 4096 / 4];
	size_t n;

	switch (c->cmd - cmds) {
	case ALLOW_RANGES:
		ALLOW(c)->id = rnd(4);
		ALLOW(c)->num_ranges = pick_count(TALLY_MAX_RANGES, sizeof(struct tally_range));
		ALLOW(c)->__reserved = chance(95) ? 0 : (uint32_t)rnd64();
		n = ALLOW(c)->num_ranges < ARRAY_LEN(elems) ? ALLOW(c)->num_ranges : ARRAY_LEN(elems);
		ALLOW(c)->ranges = pick_pointer(&data, n * sizeof(elems[0]));
		for (size_t i = 0; i < n; i++)
			fill_range(&elems[i]);
		put_elems(ALLOW(c)->ranges, elems, n * sizeof(elems[0]));
		break;
	case RANGES:
		QUERY(c)->id = rnd(4);
		QUERY(c)->num_ranges = chance(80) ? rnd(nr_ranges + 3)
						  : pick_count(TALLY_MAX_RANGES, sizeof(elems[0]));
		QUERY(c)->__reserved = chance(95) ? 0 : (uint32_t)rnd64();
		n = QUERY(c)->num_ranges < nr_ranges ? QUERY(c)->num_ranges : nr_ranges;
		QUERY(c)->ranges = pick_pointer(&data, n * sizeof(elems[0]));
		QUERY(c)->alignment = rnd64();
		break;
	case CONFIGURE:
		CONF(c)->num_counters = chance(90) ? pick_count(64, 4) : (uint16_t)rnd64();
		CONF(c)->__reserved = chance(95) ? 0 : (uint16_t)rnd64();
		n = CONF(c)->num_counters;
		CONF(c)->counters = pick_pointer(&data, n * 4);
		for (size_t i = 0; i < n && i < ARRAY_LEN(words); i++)
			words[i] = chance(98) ? rnd(4) : (uint32_t)rnd64();
		put_elems(CONF(c)->counters, words, (n < ARRAY_LEN(words) ? n : ARRAY_LEN(words)) * 4);
		break;
	default:
		SAMP(c)->num_values = pick_count(1024, 8);
		SAMP(c)->values = pick_pointer(&data, (size_t)(SAMP(c)->num_values < 1025 ?
								SAMP(c)->num_values : 0) * 8);
		break;
	}
}

/* The generated checks (tally_ioctl.c): a non-zero reserved member. */
static int check(const struct fuzz_call *c)
{
	switch (c->cmd - cmds) {
	case ALLOW_RANGES:
		return ((const struct tally_allow_ranges *)c->k)->__reserved ? EOPNOTSUPP : -1;
	case RANGES:
		return ((const struct tally_ranges *)c->k)->__reserved ? EOPNOTSUPP : -1;
	case CONFIGURE:
		return ((const struct tally_configure *)c->k)->__reserved ? EOPNOTSUPP : -1;
	default:
		return -1;
	}
}

/* Arms the canary after the elems_bytes at elems_at when that byte is accessible. */
static void arm_canary(struct fuzz_call *c)
{
	c->ptr = elems_at;
	c->ptr_len = elems_bytes;
	canary = elems_bytes && guarded_avail(&data, elems_at) > elems_bytes;	/* ours only */
	if (canary)
		((unsigned char *)(uintptr_t)elems_at)[elems_bytes] = CANARY;
}

static unsigned int predict_allow(struct fuzz_call *c, const struct tally_allow_ranges *k)
{
	const struct tally_range *r = (const void *)(uintptr_t)k->ranges;
	int bad_kind = 0, bad_order = 0;

	if (k->num_ranges > TALLY_MAX_RANGES)
		return BIT(E2BIG);
	if (!k->num_ranges)
		return BIT(0);
	c->ptr = k->ranges;
	c->ptr_len = (uint64_t)k->num_ranges * sizeof(*r);
	if (!user_ok(k->ranges, (uint64_t)k->num_ranges * sizeof(*r)))
		return BIT(EFAULT);
	for (uint32_t i = 0; i < k->num_ranges; i++) {
		bad_kind |= r[i].kind > TALLY_KIND_CODE || r[i].__reserved;
		bad_order |= r[i].last < r[i].start;
	}
	if (bad_kind)
		return BIT(EOPNOTSUPP);
	if (bad_order)
		return BIT(EINVAL);
	memcpy(allowed, r, k->num_ranges * sizeof(*r));
	return BIT(0);
}

static unsigned int predict(struct fuzz_call *c)
{
	const struct tally_ranges *q = (const void *)c->k;
	const struct tally_configure *conf = (const void *)c->k;
	const struct tally_sample *samp = (const void *)c->k;
	uint32_t n;

	elems_at = 0;
	elems_bytes = 0;
	canary = 0;
	switch (c->cmd - cmds) {
	case ALLOW_RANGES:
		return predict_allow(c, (const void *)c->k);
	case RANGES:
		n = q->num_ranges < nr_ranges ? q->num_ranges : nr_ranges;
		elems_at = q->ranges;
		elems_bytes = n * sizeof(struct tally_range);
		c->ptr = elems_at;
		c->ptr_len = elems_bytes;
		if (!user_ok(elems_at, elems_bytes))
			return BIT(EFAULT);
		arm_canary(c);
		return nr_ranges > q->num_ranges ? BIT(EMSGSIZE) : BIT(0);
	case CONFIGURE:
		if (conf->num_counters > 64)
			return BIT(E2BIG);
		elems_at = conf->counters;
		elems_bytes = conf->num_counters * 4u;
		c->ptr = elems_at;
		c->ptr_len = elems_bytes;
		if (!user_ok(elems_at, elems_bytes))
			return BIT(EFAULT);
		if (elems_bytes)
			memcpy(counters_before, (void *)(uintptr_t)elems_at, elems_bytes);
		for (unsigned int i = 0; i < conf->num_counters; i++)
			if (counters_before[i] & ~(TALLY_COUNTER_RESET | TALLY_COUNTER_WRAP))
				return BIT(EOPNOTSUPP);
		arm_canary(c);
		return BIT(0);
	default:
		if (samp->num_values > 1024)
			return BIT(E2BIG);
		elems_at = samp->values;
		elems_bytes = samp->num_values * 8u;
		c->ptr = elems_at;
		c->ptr_len = elems_bytes;
		if (!user_ok(elems_at, elems_bytes))
			return BIT(EFAULT);
		arm_canary(c);
		return BIT(0);
	}
}

static void verify(struct fuzz_call *c, int got)
{
	struct tally_ranges answer;
	const uint32_t *counters = (const void *)(uintptr_t)elems_at;
	const uint64_t *values = (const void *)(uintptr_t)elems_at;
	unsigned int cmd = c->cmd - cmds;

	if (cmd == RANGES && (got == 0 || got == EMSGSIZE)) {
		memcpy(&answer, c->k, sizeof(answer));
		answer.num_ranges = nr_ranges;
		answer.alignment = 4096;
		if (!struct_is(c, &answer))
			report_call(c, got, "not the answer: num_ranges %u, alignment 4096", nr_ranges);
		else if (elems_bytes && memcmp(values, ranges, elems_bytes))
			report_call(c, got, "not the ranges the device holds");
	} else if (!struct_unchanged(c)) {
		report_call(c, got, "the struct changed: the handler answers without it");
		return;
	}
	if (got && got != EMSGSIZE)
		return;
	if (canary && ((const unsigned char *)(uintptr_t)elems_at)[elems_bytes] != CANARY)
		report_call(c, got, "a byte written past the %zu bytes of the array", elems_bytes);
	if (cmd == ALLOW_RANGES) {
		nr_ranges = ((const struct tally_allow_ranges *)c->k)->num_ranges;
		memcpy(ranges, allowed, nr_ranges * sizeof(ranges[0]));
	} else if (cmd == CONFIGURE) {
		for (size_t i = 0; i < elems_bytes / 4; i++)
			if (counters[i] != (counters_before[i] ^ TALLY_COUNTER_WRAP)) {
				report_call(c, got, "counter %zu is %#x, not toggled", i, counters[i]);
				break;
			}
	} else if (cmd == SAMPLE) {
		for (size_t i = 0; i < elems_bytes / 8; i++)
			if (values[i] != 10 * i + 1) {
				report_call(c, got, "value %zu is %llu", i, (unsigned long long)values[i]);
				break;
			}
	}
}

static const struct fuzz_ops ops = { fill, check, predict, verify };

int main(int argc, char **argv)
{
	unsigned long iterations = fuzz_iterations(argc, argv);
	uint64_t seed = fuzz_seed(argc, argv);
	struct timespec t0;
	int fd;

	printf("# tally_fuzz: seed %#llx, %lu iterations\n", (unsigned long long)seed, iterations);
	rng_state = seed;
	fd = open("/dev/tally", O_RDWR);
	if (fd < 0 || guarded_map(&args, 2, 0) || guarded_map(&data, 5, 1u << 2)) {
		perror("setup");
		return 2;
	}
	/* The device's ranges as the model starts: none (tally_test ran before). */
	struct tally_allow_ranges reset = { .size = sizeof(reset) };

	if (ioctl(fd, TALLY_ALLOW_RANGES, &reset)) {
		perror("TALLY_ALLOW_RANGES of no ranges");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < iterations; i++)
		fuzz_one(fd, cmds, NR_CMDS, TALLY_CMD_BASE, 1, &args, &ops);
	close(fd);
	return fuzz_finish("tally_fuzz", cmds, NR_CMDS, iterations, seconds_since(&t0));
}
