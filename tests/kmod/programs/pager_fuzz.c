// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls against the pager test module (tests/kmod/pager, /dev/pager):
 * the driver-data helpers luogen generated (a struct chosen by a selector,
 * copied in with copy_struct_from_user() semantics, or copied out into the
 * caller's room), through the generated uapi header only.
 *
 * Every call is judged by an oracle: the dispatch contract (fuzz.h), the
 * commands' checks (an unknown data_type, a non-zero reserved member:
 * EOPNOTSUPP), then:
 *
 *   PAGER_TABLE_ALLOC, data_type VTD: data_len under 24 EINVAL; a non-zero
 *   byte past the 24 bytes before any fault E2BIG; memory it cannot read
 *   EFAULT; an unknown flag or a non-zero reserved member EOPNOTSUPP; else
 *   out_table_id 1000 + addr_width. ARM: data_len under 8 EINVAL, the same
 *   past 16 bytes, shorter data zero-extended, out_table_id 2000 + ste +
 *   ste_hi. NONE: EINVAL unless data_len and data_uptr are 0, else 3000.
 *   PAGER_GET_INFO: the room of data_len bytes not all writable EFAULT; else
 *   the first min(data_len, 24) bytes of the facts, zeros up to data_len,
 *   the byte after untouched, data_len 24 and out_data_type VTD.
 *
 * The struct is unchanged by every call that fails. Counts per command and
 * errno are printed, then the fuzzer's own checks (fuzz.h, fuzz_finish()).
 *
 * Usage: pager_fuzz [iterations [seed]]   (default FUZZ_ITERATIONS, FUZZ_SEED)
 * Build: gcc -static -O2 -I tests/golden/driver_data/expected/pager/include/uapi
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>

#include <linux/pager.h>

#ifndef FUZZ_ITERATIONS
#define FUZZ_ITERATIONS 30000
#endif
#include "fuzz.h"

enum { TABLE_ALLOC, GET_INFO, NR_CMDS };

static struct fuzz_cmd cmds[NR_CMDS] = {
	[TABLE_ALLOC] = { "TABLE_ALLOC", PAGER_TABLE_ALLOC, sizeof(struct pager_table_alloc), 32,
			  offsetof(struct pager_table_alloc, data_uptr) },
	[GET_INFO] = { "GET_INFO", PAGER_GET_INFO, sizeof(struct pager_get_info), 32,
		       offsetof(struct pager_get_info, data_uptr) },
};

#define TABLE(c) ((struct pager_table_alloc *)(c)->arg)
#define INFO(c) ((struct pager_get_info *)(c)->arg)

static struct guarded args;	/* the structs */
static struct guarded data;	/* the driver data: two pages, a PROT_NONE hole, two pages */

static const struct pager_vtd_info facts = {
	.flags = 7, .cap_reg = 0x1122334455667788ULL, .ecap_reg = 0x99,
};

#define ROOM_FILL 0xaa
#define CANARY 0x5a
static int canary;		/* the byte after the room is ours: set to CANARY */
static uint32_t table_id;	/* the out_table_id a successful TABLE_ALLOC answers */

/* A length around each struct's minimum and size, or anything. */
static uint32_t pick_len(void)
{
	static const uint32_t around[] = { 0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 40, 64 };

	switch (rnd(10)) {
	case 0: return rnd(4097);
	case 1: return chance(50) ? 0xffffffffu : (uint32_t)rnd64();
	case 2: return 4096;
	default: return around[rnd(ARRAY_LEN(around))];
	}
}

/* Zero the room at p (as far as it is ours), then write `bytes` of src. */
static void put_data(uint64_t p, uint32_t len, const void *src, size_t bytes)
{
	size_t avail = guarded_avail(&data, p), room = len < 8192 ? len : 8192;

	if (!avail)
		return;
	memset((void *)(uintptr_t)p, 0, room < avail ? room : avail);
	memcpy((void *)(uintptr_t)p, src, bytes < avail ? bytes : avail);
	if (chance(10) && len > bytes && avail > bytes)	/* a byte past the struct */
		((unsigned char *)(uintptr_t)p)[bytes + rnd(len - bytes < avail - bytes ?
							      len - bytes : avail - bytes)] = 1;
}

static void fill_table(struct fuzz_call *c)
{
	union {
		struct pager_vtd_table vtd;
		struct pager_arm_table arm;
		unsigned char bytes[32];
	} d;
	uint32_t type = chance(94) ? rnd(3) : (chance(50) ? 3 + rnd(8) : (uint32_t)rnd64());

	memset(&d, 0, sizeof(d));
	TABLE(c)->flags = chance(70) ? 0 : (uint32_t)rnd64();
	TABLE(c)->data_type = type;
	TABLE(c)->__reserved2 = chance(95) ? 0 : (uint32_t)rnd64();
	TABLE(c)->out_table_id = (uint32_t)rnd64();
	if (type == PAGER_TABLE_NONE && chance(70)) {
		TABLE(c)->data_len = chance(80) ? 0 : pick_len();
		TABLE(c)->data_uptr = chance(80) ? 0 : pick_pointer(&data, 16);
		return;
	}
	if (chance(50))
		TABLE(c)->data_len = type == PAGER_TABLE_VTD ? sizeof(d.vtd) : sizeof(d.arm);
	else
		TABLE(c)->data_len = pick_len();
	TABLE(c)->data_uptr = pick_pointer(&data, TABLE(c)->data_len < 8192 ? TABLE(c)->data_len
									     : 8192);
	if (type == PAGER_TABLE_VTD) {
		d.vtd.flags = chance(90) ? rnd(4) : rnd64();
		d.vtd.pgtbl_addr = rnd64();
		d.vtd.addr_width = chance(80) ? 48 : (uint32_t)rnd64();
		d.vtd.__reserved = chance(95) ? 0 : 1 + rnd(255);
	} else {
		d.arm.ste = chance(50) ? rnd(100) : rnd64();
		d.arm.ste_hi = chance(50) ? rnd(100) : rnd64();
	}
	put_data(TABLE(c)->data_uptr, TABLE(c)->data_len, &d,
		 type == PAGER_TABLE_VTD ? sizeof(d.vtd) : sizeof(d.arm));
}

static void fill(struct fuzz_call *c)
{
	uint32_t len;

	if (c->cmd == &cmds[TABLE_ALLOC]) {
		fill_table(c);
		return;
	}
	INFO(c)->dev_id = rnd(4);
	len = chance(20) ? 0 : chance(40) ? sizeof(facts) : pick_len();
	INFO(c)->data_len = len;
	INFO(c)->__reserved = chance(95) ? 0 : (uint32_t)rnd64();
	INFO(c)->data_uptr = !len && chance(50) ? 0 : pick_pointer(&data, len < 8192 ? len : 8192);
	INFO(c)->out_data_type = chance(50) ? 0 : (uint32_t)rnd64();
	INFO(c)->__reserved2 = chance(95) ? 0 : (uint32_t)rnd64();
}

/* The generated checks (pager_ioctl.c). */
static int check(const struct fuzz_call *c)
{
	const struct pager_table_alloc *t = (const void *)c->k;
	const struct pager_get_info *i = (const void *)c->k;

	if (c->cmd == &cmds[TABLE_ALLOC])
		return t->data_type > PAGER_TABLE_ARM || t->__reserved2 ? EOPNOTSUPP : -1;
	return i->__reserved || i->__reserved2 ? EOPNOTSUPP : -1;
}

/* PAGER_TABLE_ALLOC: the generated copy-in helpers, then tests/kmod/pager's handler. */
static unsigned int predict_table(struct fuzz_call *c, const struct pager_table_alloc *t)
{
	struct pager_vtd_table vtd = { 0 };
	struct pager_arm_table arm = { 0 };
	const void *p = (const void *)(uintptr_t)t->data_uptr;
	int ret;

	c->ptr = t->data_uptr;
	c->ptr_len = t->data_len;
	switch (t->data_type) {
	case PAGER_TABLE_VTD:
		if (t->data_len < sizeof(vtd))
			return BIT(EINVAL);
		ret = predict_struct_copy(t->data_uptr, t->data_len, sizeof(vtd));
		if (ret >= 0)
			return BIT(ret);
		memcpy(&vtd, p, sizeof(vtd));
		if (vtd.flags & ~(__u64)(PAGER_VTD_SRE | PAGER_VTD_EAFE) || vtd.__reserved)
			return BIT(EOPNOTSUPP);
		table_id = 1000 + vtd.addr_width;
		return BIT(0);
	case PAGER_TABLE_ARM:
		if (t->data_len < 8)
			return BIT(EINVAL);
		ret = predict_struct_copy(t->data_uptr, t->data_len, sizeof(arm));
		if (ret >= 0)
			return BIT(ret);
		memcpy(&arm, p, t->data_len < sizeof(arm) ? t->data_len : sizeof(arm));
		table_id = (uint32_t)(2000 + arm.ste + arm.ste_hi);
		return BIT(0);
	default:
		table_id = 3000;
		return t->data_len || t->data_uptr ? BIT(EINVAL) : BIT(0);
	}
}

static unsigned int predict(struct fuzz_call *c)
{
	const struct pager_get_info *i = (const void *)c->k;
	unsigned char *room = (unsigned char *)(uintptr_t)i->data_uptr;
	size_t ours;

	canary = 0;
	if (c->cmd == &cmds[TABLE_ALLOC])
		return predict_table(c, (const void *)c->k);
	c->ptr = i->data_uptr;
	c->ptr_len = i->data_len;
	if (!user_ok(i->data_uptr, i->data_len))
		return BIT(EFAULT);
	/* Fill the room (when it is ours) so that what the kernel wrote shows. */
	ours = guarded_avail(&data, i->data_uptr);
	if (ours >= i->data_len) {
		memset(room, ROOM_FILL, i->data_len);
		canary = ours > i->data_len;
		if (canary)
			room[i->data_len] = CANARY;
	}
	return BIT(0);
}

static void verify_info(struct fuzz_call *c)
{
	struct pager_get_info answer;
	const unsigned char *room = (const unsigned char *)(uintptr_t)c->ptr;
	uint32_t len = c->ptr_len < sizeof(facts) ? c->ptr_len : sizeof(facts);

	memcpy(&answer, c->k, sizeof(answer));
	answer.data_len = sizeof(facts);
	answer.out_data_type = PAGER_INFO_VTD;
	if (!struct_is(c, &answer)) {
		report_call(c, 0, "not the answer: data_len 24, out_data_type VTD");
		return;
	}
	if (guarded_avail(&data, c->ptr) < c->ptr_len)
		return;		/* not our memory: not filled, not checked */
	if (memcmp(room, &facts, len))
		report_call(c, 0, "not the facts in the first %u bytes", len);
	else if (!all_zero(room + len, c->ptr_len - len))
		report_call(c, 0, "the room past the facts not zeroed");
	else if (canary && room[c->ptr_len] != CANARY)
		report_call(c, 0, "the byte after the room written");
}

static void verify(struct fuzz_call *c, int got)
{
	struct pager_table_alloc answer;

	if (got) {
		if (!struct_unchanged(c))
			report_call(c, got, "a failed call wrote its struct");
	} else if (c->cmd == &cmds[GET_INFO]) {
		verify_info(c);
	} else {
		memcpy(&answer, c->k, sizeof(answer));
		answer.out_table_id = table_id;
		if (!struct_is(c, &answer))
			report_call(c, got, "out_table_id %u, not %u",
				    ((const struct pager_table_alloc *)(void *)c->arg)->out_table_id,
				    table_id);
	}
}

static const struct fuzz_ops ops = { fill, check, predict, verify };

int main(int argc, char **argv)
{
	unsigned long iterations = fuzz_iterations(argc, argv);
	uint64_t seed = fuzz_seed(argc, argv);
	struct timespec t0;
	int fd;

	printf("# pager_fuzz: seed %#llx, %lu iterations\n", (unsigned long long)seed, iterations);
	rng_state = seed;
	fd = open("/dev/pager", O_RDWR);
	if (fd < 0 || guarded_map(&args, 2, 0) || guarded_map(&data, 5, 1u << 2)) {
		perror("setup");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < iterations; i++)
		fuzz_one(fd, cmds, NR_CMDS, PAGER_CMD_BASE, 1, &args, &ops);
	close(fd);
	return fuzz_finish("pager_fuzz", cmds, NR_CMDS, iterations, seconds_since(&t0));
}
