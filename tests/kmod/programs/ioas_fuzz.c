// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls against the iommufd-shaped test module (tests/kmod/ioas,
 * /dev/luogen-iommu) through the uapi header luogen generated from
 * spec/iommufd.yaml, restricted to IOMMU_IOAS_ALLOC, IOMMU_IOAS_IOVA_RANGES,
 * IOMMU_IOAS_ALLOW_IOVAS, IOMMU_HWPT_ALLOC and IOMMU_DESTROY (their NRs only:
 * a wrong type byte, direction or size, never another command's number).
 *
 * Every call is judged by an oracle: the dispatch contract (fuzz.h), the
 * generated checks (a non-zero flags or reserved member, an unknown flag or
 * data_type: EOPNOTSUPP), then the generated helpers and the module's
 * handlers, against a model of the open file's objects (IDs are the lowest
 * free one from 1, xa_alloc()):
 *
 *   ALLOW_IOVAS: a counted array with no maximum: num_iovas whose byte size
 *   passes INT_MAX E2BIG; large counts below it ENOMEM or EFAULT (what the
 *   allocation gives); an array not all readable EFAULT; an element with
 *   start > last EINVAL, one meeting the reserved MSI window EADDRINUSE (the
 *   first bad element decides); no IOAS of that ID ENOENT.
 *   IOVA_RANGES: no IOAS ENOENT; the IOAS's allowed ranges, else the two
 *   default ones, as many as fit, the total in num_iovas, alignment 4096,
 *   EMSGSIZE when they did not all fit, EFAULT when the room faults.
 *   HWPT_ALLOC: dev_id not 1 ENOENT; FAULT_ID_VALID or PASID EOPNOTSUPP;
 *   VT-d stage-1 data copied in (data_len under 24 EINVAL, copy_struct_from_user,
 *   its flags and reserved member); no object pt_id ENOENT; the module's
 *   checks of parent and data (EINVAL, EOPNOTSUPP).
 *   DESTROY: no object ENOENT, one a HWPT uses EBUSY.
 *
 * Counts per command and errno are printed, then the fuzzer's own checks
 * (fuzz.h, fuzz_finish()).
 *
 * Usage: ioas_fuzz [iterations [seed]]   (default FUZZ_ITERATIONS, FUZZ_SEED)
 * Build: gcc -static -O2 -I generated/iommufd/include/uapi
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>

#include <linux/iommufd.h>

#ifndef FUZZ_ITERATIONS
#define FUZZ_ITERATIONS 30000
#endif
#include "fuzz.h"

enum { DESTROY, IOAS_ALLOC, ALLOW_IOVAS, IOVA_RANGES, HWPT_ALLOC, NR_CMDS };

static struct fuzz_cmd cmds[NR_CMDS] = {
	[DESTROY] = { "DESTROY", IOMMU_DESTROY, sizeof(struct iommu_destroy), 8, 0 },
	[IOAS_ALLOC] = { "IOAS_ALLOC", IOMMU_IOAS_ALLOC, sizeof(struct iommu_ioas_alloc), 12, 0 },
	[ALLOW_IOVAS] = { "ALLOW_IOVAS", IOMMU_IOAS_ALLOW_IOVAS,
			  sizeof(struct iommu_ioas_allow_iovas), 24,
			  offsetof(struct iommu_ioas_allow_iovas, allowed_iovas),
			  offsetof(struct iommu_ioas_allow_iovas, num_iovas) },
	[IOVA_RANGES] = { "IOVA_RANGES", IOMMU_IOAS_IOVA_RANGES,
			  sizeof(struct iommu_ioas_iova_ranges), 32,
			  offsetof(struct iommu_ioas_iova_ranges, allowed_iovas) },
	[HWPT_ALLOC] = { "HWPT_ALLOC", IOMMU_HWPT_ALLOC, sizeof(struct iommu_hwpt_alloc), 24,
			 offsetof(struct iommu_hwpt_alloc, data_uptr) },
};

/* tests/kmod/ioas/main.c */
#define DEV_ID 1
#define MSI_START 0xfee00000ULL
#define MSI_LAST 0xfeefffffULL

static struct guarded args;	/* the structs */
static struct guarded data;	/* arrays and driver data: two pages, a PROT_NONE hole, two */

/* --------------------------------------------------------------- the model */

enum obj_type { FREE, IOAS, HWPT };

#define MAX_IDS 1024
#define MANY 48		/* live objects past which the fuzzer mostly stops allocating */

static struct obj {
	enum obj_type type;
	unsigned int users;		/* HWPTs allocated from it */
	uint32_t parent, flags;		/* a HWPT's */
	uint32_t nr_allowed;		/* an IOAS's allowed ranges */
	struct iommu_iova_range *allowed;
} objs[MAX_IDS];
static uint32_t live[MAX_IDS], nr_live;

static const struct iommu_iova_range default_ranges[] = {
	{ .start = 0, .last = MSI_START - 1 },
	{ .start = MSI_LAST + 1, .last = ~0ULL },
};

static uint32_t lowest_free(void)
{
	uint32_t id = 1;

	while (id < MAX_IDS && objs[id].type != FREE)
		id++;
	return id;
}

static struct obj *find(uint32_t id, enum obj_type type)
{
	return id < MAX_IDS && objs[id].type != FREE && (type == FREE || objs[id].type == type)
		       ? &objs[id] : NULL;
}

static void add(uint32_t id, enum obj_type type, uint32_t parent, uint32_t flags)
{
	objs[id] = (struct obj){ .type = type, .parent = parent, .flags = flags };
	live[nr_live++] = id;
	if (type == HWPT)
		objs[parent].users++;
}

static void remove_obj(uint32_t id)
{
	for (uint32_t i = 0; i < nr_live; i++)
		if (live[i] == id)
			live[i] = live[--nr_live];
	if (objs[id].type == HWPT)
		objs[objs[id].parent].users--;
	free(objs[id].allowed);
	objs[id] = (struct obj){ .type = FREE };
}

/* An object ID: mostly a live one of `type` (FREE: any), else 0, just past, anything. */
static uint32_t pick_id(enum obj_type type)
{
	uint32_t id;

	for (int tries = 0; tries < 8 && nr_live && chance(85); tries++) {
		id = live[rnd(nr_live)];
		if (type == FREE || objs[id].type == type)
			return id;
	}
	switch (rnd(4)) {
	case 0: return 0;
	case 1: return lowest_free();
	case 2: return rnd(MAX_IDS);
	default: return (uint32_t)rnd64();
	}
}

/* A nest parent: a HWPT allocated with IOMMU_HWPT_ALLOC_NEST_PARENT, else any ID. */
static uint32_t pick_nest_parent(void)
{
	for (uint32_t i = 0; i < nr_live && chance(90); i++) {
		uint32_t id = live[rnd(nr_live)];

		if (objs[id].type == HWPT && objs[id].flags & IOMMU_HWPT_ALLOC_NEST_PARENT)
			return id;
	}
	return pick_id(FREE);
}

/* --------------------------------------------------------------- the calls */

#define DESTROY_OF(c) ((struct iommu_destroy *)(c)->arg)
#define ALLOC_OF(c) ((struct iommu_ioas_alloc *)(c)->arg)
#define ALLOW_OF(c) ((struct iommu_ioas_allow_iovas *)(c)->arg)
#define RANGES_OF(c) ((struct iommu_ioas_iova_ranges *)(c)->arg)
#define HWPT_OF(c) ((struct iommu_hwpt_alloc *)(c)->arg)

/* Counts whose byte size passes INT_MAX. */
static const uint32_t huge_counts[] = { 0x8000000, 0xffffffff, 0x80000000, 0x10000000 };

/*
 * A count: 0, 1, few, the huge ones, and rarely 0x10000 (1 MiB: kvzalloc()
 * gives the room, then the copy faults). Larger counts below the INT_MAX
 * bytes limit are left out: the guest has 512 MiB, and one allocation the
 * size of it takes seconds to fail with ENOMEM.
 */
static uint32_t pick_count(uint32_t have)
{
	if (!rnd(400))
		return 0x10000;
	switch (rnd(20)) {
	case 0: case 1: case 2: return 0;
	case 3: case 4: case 5: return 1;
	case 6: return huge_counts[rnd(ARRAY_LEN(huge_counts))];
	case 7: return 1 + rnd(512);
	default: return rnd(have + 4);
	}
}

static void fill_range(struct iommu_iova_range *r)
{
	switch (rnd(10)) {
	case 0:				/* meets the MSI window */
		r->start = MSI_START - rnd(0x10000);
		r->last = MSI_START + rnd(0x200000);
		break;
	case 1:				/* start > last */
		r->start = rnd64() | 1;
		r->last = r->start - 1 - rnd(16);
		break;
	case 2:				/* above the window */
		r->start = MSI_LAST + 1 + ((uint64_t)rnd(1u << 20) << 12);
		r->last = r->start + rnd(1u << 30);
		break;
	default:			/* below it */
		r->start = (uint64_t)rnd(0xfe000) << 12;
		r->last = r->start + rnd(0x100000);
		break;
	}
}

/* Write the bytes at user address p, as far as it is ours. */
static void put(uint64_t p, const void *src, size_t bytes)
{
	size_t avail = guarded_avail(&data, p);

	if (avail)
		memcpy((void *)(uintptr_t)p, src, bytes < avail ? bytes : avail);
}

static void fill_allow(struct fuzz_call *c)
{
	static struct iommu_iova_range elems[2 * 4096 / sizeof(struct iommu_iova_range) + 1];
	uint32_t n = pick_count(4);
	size_t k = n < ARRAY_LEN(elems) ? n : ARRAY_LEN(elems);

	ALLOW_OF(c)->ioas_id = pick_id(IOAS);
	ALLOW_OF(c)->num_iovas = n;
	ALLOW_OF(c)->__reserved = chance(95) ? 0 : (uint32_t)rnd64();
	ALLOW_OF(c)->allowed_iovas = pick_pointer(&data, k * sizeof(elems[0]));
	for (size_t i = 0; i < k; i++)
		fill_range(&elems[i]);
	put(ALLOW_OF(c)->allowed_iovas, elems, k * sizeof(elems[0]));
}

static void fill_hwpt(struct fuzz_call *c)
{
	static const uint32_t lens[] = { 0, 8, 16, 23, 24, 25, 32, 40, 4096, 0xffffffff };
	struct iommu_hwpt_vtd_s1 vtd = { 0 };
	uint32_t type = chance(90) ? (chance(50) ? IOMMU_HWPT_DATA_NONE : IOMMU_HWPT_DATA_VTD_S1)
				   : (chance(50) ? IOMMU_HWPT_DATA_ARM_SMMUV3 : (uint32_t)rnd64());
	struct iommu_hwpt_alloc *h = HWPT_OF(c);
	unsigned char room[64] = { 0 };

	switch (rnd(10)) {
	case 0: case 1: case 2: case 3: h->flags = 0; break;
	case 4: case 5: case 6: h->flags = IOMMU_HWPT_ALLOC_NEST_PARENT; break;
	case 7: h->flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING; break;
	case 8: h->flags = rnd(16); break;
	default: h->flags = (uint32_t)rnd64(); break;
	}
	h->dev_id = chance(85) && nr_live < MANY ? DEV_ID : rnd(4);
	h->pt_id = type == IOMMU_HWPT_DATA_VTD_S1 ? pick_nest_parent() : pick_id(IOAS);
	h->out_hwpt_id = (uint32_t)rnd64();
	h->__reserved = chance(95) ? 0 : (uint32_t)rnd64();
	h->data_type = type;
	h->fault_id = (uint32_t)rnd64();
	h->__reserved2 = chance(95) ? 0 : (uint32_t)rnd64();
	if (type != IOMMU_HWPT_DATA_VTD_S1 && chance(85))
		return;		/* no data: data_len and data_uptr 0 */
	h->data_len = chance(60) ? sizeof(vtd) : lens[rnd(ARRAY_LEN(lens))];
	h->data_uptr = pick_pointer(&data, h->data_len < 64 ? h->data_len : 64);
	vtd.flags = chance(90) ? rnd(8) : rnd64();
	vtd.pgtbl_addr = chance(80) ? (uint64_t)rnd(1u << 20) << 12 : rnd64();
	vtd.addr_width = chance(80) ? (chance(50) ? 48 : 57) : rnd(100);
	vtd.__reserved = chance(95) ? 0 : 1 + rnd(255);
	memcpy(room, &vtd, sizeof(vtd));
	if (chance(10))
		room[sizeof(vtd) + rnd(sizeof(room) - sizeof(vtd))] = 1;	/* past the struct */
	put(h->data_uptr, room, sizeof(room));
}

static void fill(struct fuzz_call *c)
{
	switch (c->cmd - cmds) {
	case DESTROY:
		DESTROY_OF(c)->id = pick_id(FREE);
		break;
	case IOAS_ALLOC:
		ALLOC_OF(c)->flags = chance(nr_live < MANY ? 95 : 10) ? 0 : 1 + rnd(255);
		ALLOC_OF(c)->out_ioas_id = (uint32_t)rnd64();
		break;
	case ALLOW_IOVAS:
		fill_allow(c);
		break;
	case IOVA_RANGES:
		RANGES_OF(c)->ioas_id = pick_id(IOAS);
		RANGES_OF(c)->num_iovas = chance(90) ? rnd(6) : pick_count(4);
		RANGES_OF(c)->__reserved = chance(95) ? 0 : (uint32_t)rnd64();
		RANGES_OF(c)->allowed_iovas = pick_pointer(&data, 16 * (RANGES_OF(c)->num_iovas < 8
									? RANGES_OF(c)->num_iovas : 8));
		RANGES_OF(c)->out_iova_alignment = rnd64();
		break;
	default:
		fill_hwpt(c);
		break;
	}
}

/* The generated checks (iommufd_ioctl.c). */
static int check(const struct fuzz_call *c)
{
	const struct iommu_ioas_alloc *alloc = (const void *)c->k;
	const struct iommu_ioas_allow_iovas *allow = (const void *)c->k;
	const struct iommu_ioas_iova_ranges *ranges = (const void *)c->k;
	const struct iommu_hwpt_alloc *h = (const void *)c->k;

	switch (c->cmd - cmds) {
	case IOAS_ALLOC:
		return alloc->flags ? EOPNOTSUPP : -1;
	case ALLOW_IOVAS:
		return allow->__reserved ? EOPNOTSUPP : -1;
	case IOVA_RANGES:
		return ranges->__reserved ? EOPNOTSUPP : -1;
	case HWPT_ALLOC:
		return h->flags & ~(__u32)(IOMMU_HWPT_ALLOC_NEST_PARENT |
					   IOMMU_HWPT_ALLOC_DIRTY_TRACKING |
					   IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID) ||
		       h->__reserved || h->data_type > IOMMU_HWPT_DATA_ARM_SMMUV3 ||
		       h->__reserved2 ? EOPNOTSUPP : -1;
	default:
		return -1;
	}
}

/* What the call in flight expects, set by predict(). */
static uint32_t new_id;
static const struct iommu_iova_range *answer_ranges;
static uint32_t answer_total;

static unsigned int predict_allow(struct fuzz_call *c, const struct iommu_ioas_allow_iovas *a)
{
	const struct iommu_iova_range *r = (const void *)(uintptr_t)a->allowed_iovas;
	uint64_t bytes = (uint64_t)a->num_iovas * sizeof(*r);

	c->ptr = a->allowed_iovas;
	c->ptr_len = bytes;
	if (bytes > 0x7fffffff)
		return BIT(E2BIG);
	if (bytes > ((uint64_t)16 << 20))	/* kvzalloc() may fail, else the copy faults */
		return user_ok(a->allowed_iovas, bytes) ? BIT(ENOMEM) | BIT(0) : BIT(ENOMEM) | BIT(EFAULT);
	if (!user_ok(a->allowed_iovas, bytes))
		return BIT(EFAULT);
	for (uint32_t i = 0; i < a->num_iovas; i++) {
		if (r[i].start > r[i].last)
			return BIT(EINVAL);
		if (r[i].start <= MSI_LAST && r[i].last >= MSI_START)
			return BIT(EADDRINUSE);
	}
	return find(a->ioas_id, IOAS) ? BIT(0) : BIT(ENOENT);
}

static unsigned int predict_ranges(struct fuzz_call *c, const struct iommu_ioas_iova_ranges *q)
{
	const struct obj *ioas = find(q->ioas_id, IOAS);
	uint32_t n;

	if (!ioas)
		return BIT(ENOENT);
	answer_ranges = ioas->nr_allowed ? ioas->allowed : default_ranges;
	answer_total = ioas->nr_allowed ? ioas->nr_allowed : ARRAY_LEN(default_ranges);
	n = q->num_iovas < answer_total ? q->num_iovas : answer_total;
	c->ptr = q->allowed_iovas;
	c->ptr_len = n * sizeof(struct iommu_iova_range);
	if (!user_ok(c->ptr, c->ptr_len))
		return BIT(EFAULT);
	return answer_total > q->num_iovas ? BIT(EMSGSIZE) : BIT(0);
}

/* The data, the parent and the module's checks of them (ioas_hwpt_check()). */
static unsigned int predict_hwpt(struct fuzz_call *c, const struct iommu_hwpt_alloc *h)
{
	struct iommu_hwpt_vtd_s1 vtd = { 0 };
	const struct obj *parent;
	int ret;

	if (h->dev_id != DEV_ID)
		return BIT(ENOENT);
	if (h->flags & (IOMMU_HWPT_FAULT_ID_VALID | IOMMU_HWPT_ALLOC_PASID))
		return BIT(EOPNOTSUPP);
	if (h->data_type == IOMMU_HWPT_DATA_VTD_S1) {
		c->ptr = h->data_uptr;
		c->ptr_len = h->data_len;
		if (h->data_len < sizeof(vtd))
			return BIT(EINVAL);
		ret = predict_struct_copy(h->data_uptr, h->data_len, sizeof(vtd));
		if (ret >= 0)
			return BIT(ret);
		memcpy(&vtd, (const void *)(uintptr_t)h->data_uptr, sizeof(vtd));
		if (vtd.flags & ~(__u64)(IOMMU_VTD_S1_SRE | IOMMU_VTD_S1_EAFE | IOMMU_VTD_S1_WPE) ||
		    vtd.__reserved)
			return BIT(EOPNOTSUPP);
	}
	parent = find(h->pt_id, FREE);
	if (!parent)
		return BIT(ENOENT);
	switch (h->data_type) {
	case IOMMU_HWPT_DATA_NONE:
		if (h->data_len || h->data_uptr || parent->type != IOAS)
			return BIT(EINVAL);
		break;
	case IOMMU_HWPT_DATA_VTD_S1:
		if (h->flags)
			return BIT(EOPNOTSUPP);
		if (parent->type != HWPT || !(parent->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) ||
		    vtd.pgtbl_addr & 0xfff || (vtd.addr_width != 48 && vtd.addr_width != 57))
			return BIT(EINVAL);
		break;
	default:
		return BIT(EOPNOTSUPP);
	}
	new_id = lowest_free();
	return BIT(0);
}

static unsigned int predict(struct fuzz_call *c)
{
	const struct iommu_destroy *d = (const void *)c->k;
	const struct obj *obj;

	switch (c->cmd - cmds) {
	case DESTROY:
		obj = find(d->id, FREE);
		return !obj ? BIT(ENOENT) : obj->users ? BIT(EBUSY) : BIT(0);
	case IOAS_ALLOC:
		new_id = lowest_free();
		return BIT(0);
	case ALLOW_IOVAS:
		return predict_allow(c, (const void *)c->k);
	case IOVA_RANGES:
		return predict_ranges(c, (const void *)c->k);
	default:
		return predict_hwpt(c, (const void *)c->k);
	}
}

/* An object allocated as new_id: the answer says so, the model takes it. */
static void verify_new(struct fuzz_call *c, size_t id_offset, enum obj_type type)
{
	unsigned char answer[FUZZ_MAX_STRUCT];
	const struct iommu_hwpt_alloc *h = (const void *)c->k;

	memcpy(answer, c->k, sizeof(answer));
	memcpy(answer + id_offset, &new_id, 4);
	if (!struct_is(c, answer))
		report_call(c, 0, "not the answer: ID %u", new_id);
	if (new_id >= MAX_IDS) {
		report_call(c, 0, "ID %u: more objects than the model keeps", new_id);
		return;
	}
	if (type == HWPT)
		add(new_id, HWPT, h->pt_id, h->flags);
	else
		add(new_id, IOAS, 0, 0);
}

static void verify(struct fuzz_call *c, int got)
{
	const struct iommu_destroy *d = (const void *)c->k;
	const struct iommu_ioas_allow_iovas *a = (const void *)c->k;
	struct iommu_ioas_iova_ranges answer;
	struct obj *ioas;

	if (c->cmd == &cmds[IOVA_RANGES] && (got == 0 || got == EMSGSIZE)) {
		memcpy(&answer, c->k, sizeof(answer));
		answer.num_iovas = answer_total;
		answer.out_iova_alignment = 4096;
		if (!struct_is(c, &answer))
			report_call(c, got, "not the answer: num_iovas %u, alignment 4096",
				    answer_total);
		else if (c->ptr_len && memcmp((const void *)(uintptr_t)c->ptr, answer_ranges,
					      c->ptr_len))
			report_call(c, got, "not the ranges the IOAS has");
		return;
	}
	if (got || (c->cmd != &cmds[IOAS_ALLOC] && c->cmd != &cmds[HWPT_ALLOC])) {
		if (!struct_unchanged(c))
			report_call(c, got, "a call that does not answer wrote its struct");
	}
	if (got)
		return;
	switch (c->cmd - cmds) {
	case DESTROY:
		remove_obj(d->id);
		break;
	case IOAS_ALLOC:
		verify_new(c, offsetof(struct iommu_ioas_alloc, out_ioas_id), IOAS);
		break;
	case HWPT_ALLOC:
		verify_new(c, offsetof(struct iommu_hwpt_alloc, out_hwpt_id), HWPT);
		break;
	case ALLOW_IOVAS:
		ioas = find(a->ioas_id, IOAS);
		free(ioas->allowed);
		ioas->allowed = NULL;
		ioas->nr_allowed = a->num_iovas;
		if (a->num_iovas) {
			ioas->allowed = malloc(c->ptr_len);
			/* what the kernel copied in: the array, which it leaves as it was */
			memcpy(ioas->allowed, (const void *)(uintptr_t)c->ptr, c->ptr_len);
		}
		break;
	}
}

static const struct fuzz_ops ops = { fill, check, predict, verify };

int main(int argc, char **argv)
{
	unsigned long iterations = fuzz_iterations(argc, argv);
	uint64_t seed = fuzz_seed(argc, argv);
	struct timespec t0;
	int fd;

	printf("# ioas_fuzz: seed %#llx, %lu iterations\n", (unsigned long long)seed, iterations);
	rng_state = seed;
	fd = open("/dev/luogen-iommu", O_RDWR);
	if (fd < 0 || guarded_map(&args, 2, 0) || guarded_map(&data, 5, 1u << 2)) {
		perror("setup");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < iterations; i++)
		fuzz_one(fd, cmds, NR_CMDS, IOMMUFD_CMD_BASE, 0, &args, &ops);
	printf("# ioas_fuzz: %u objects live at the end\n", nr_live);
	close(fd);
	return fuzz_finish("ioas_fuzz", cmds, NR_CMDS, iterations, seconds_since(&t0));
}
