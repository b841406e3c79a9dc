// SPDX-License-Identifier: GPL-2.0
/*
 * Real drivers of Debian's kernel (rtc-cmos, softdog, uinput read back through evdev, loop with
 * linux/fs.h's BLKGETSIZE64, userfaultfd) through the uapi headers luogen generated from the
 * kernel's own headers (spec/imported/), the scenarios of drivers_test.py; evdev through the
 * system's linux/input.h, which uinput.h includes (the imported input.h has only the records
 * its own commands need, not uinput's struct input_absinfo). Built for i386
 * (drivers_c_m32): its ioctls take the 64-bit kernel's compat path, with the 32-bit layouts of
 * the generated headers. Every value checked comes from outside the headers: the clock, sysfs,
 * the identity string, the bytes of the backing memfd, the page userfaultfd filled. One line per
 * check: "ok N - ..." or "not ok N - ...". Exit status 0 only when every check passed.
 *
 * Build: i686-linux-gnu-gcc -static -I generated/<spec>/include/uapi ... drivers_c.c
 */
/*
 * No _GNU_SOURCE: the C library's GNU names (RENAME_NOREPLACE, SYNC_FILE_RANGE_WRITE_AND_WAIT)
 * would clash with the generated linux/fs.h, which writes their values as numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/fs.h>
#include <linux/loop.h>
#include <linux/rtc.h>
#include <linux/uinput.h>
#include <linux/userfaultfd.h>
#include <linux/watchdog.h>

#pragma GCC diagnostic ignored "-Wunused-function" /* checks.h's pointer helpers */
#include "checks.h"

#define PTR(p) ((__u64)(uintptr_t)(p))
#define NAME "luogen-uinput-c"

/* The first line of a sysfs file, without its newline ("" when it cannot be read). */
static const char *sysfs(char *buf, size_t n, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, (int)n, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void test_rtc(void)
{
	struct rtc_time now, alarm, back;
	struct tm tm;
	time_t rtc, wall = time(NULL);
	int dev = open("/dev/rtc0", O_RDWR);

	memset(&now, 0, sizeof(now));
	expect(call(dev, RTC_RD_TIME, &now), 0, "rtc RTC_RD_TIME");
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = now.tm_year, tm.tm_mon = now.tm_mon, tm.tm_mday = now.tm_mday;
	tm.tm_hour = now.tm_hour, tm.tm_min = now.tm_min, tm.tm_sec = now.tm_sec;
	rtc = timegm(&tm);
	check(llabs((long long)rtc - wall) < 120, "rtc time %lld within 2 min of the clock %lld",
	      (long long)rtc, (long long)wall);
	memset(&alarm, 0, sizeof(alarm));
	alarm.tm_sec = 7, alarm.tm_min = (now.tm_min + 5) % 60, alarm.tm_hour = now.tm_hour;
	expect(call(dev, RTC_ALM_SET, &alarm), 0, "rtc RTC_ALM_SET");
	memset(&back, 0, sizeof(back));
	expect(call(dev, RTC_ALM_READ, &back), 0, "rtc RTC_ALM_READ");
	check(back.tm_hour == alarm.tm_hour && back.tm_min == alarm.tm_min && back.tm_sec == 7,
	      "rtc alarm round trip %d:%d:%d", back.tm_hour, back.tm_min, back.tm_sec);
	alarm.tm_min = 61;
	expect(call(dev, RTC_ALM_SET, &alarm), EINVAL, "rtc RTC_ALM_SET minute 61");
	close(dev);
}

static void test_softdog(void)
{
	struct watchdog_info info;
	int dev = open("/dev/watchdog", O_RDWR), timeout = 17;

	memset(&info, 0, sizeof(info));
	expect(call(dev, WDIOC_GETSUPPORT, &info), 0, "softdog WDIOC_GETSUPPORT");
	check(!strcmp((const char *)info.identity, "Software Watchdog"), "softdog identity '%.32s'",
	      (const char *)info.identity);
	expect(call(dev, WDIOC_SETTIMEOUT, &timeout), 0, "softdog WDIOC_SETTIMEOUT 17");
	timeout = 0;
	expect(call(dev, WDIOC_GETTIMEOUT, &timeout), 0, "softdog WDIOC_GETTIMEOUT");
	check(timeout == 17, "softdog timeout read back %d", timeout);
	timeout = 0;
	expect(call(dev, WDIOC_SETTIMEOUT, &timeout), EINVAL, "softdog WDIOC_SETTIMEOUT 0");
	if (write(dev, "V", 1) != 1) /* the magic close: the timer stops instead of firing */
		perror("softdog magic close");
	close(dev);
}

static void test_evdev(int input)
{
	char node[64] = "/dev/input/none";
	struct input_id id;
	int one, two, version = 0;

	for (int event = 0; event < 32; event++) {
		snprintf(node, sizeof(node), "/sys/devices/virtual/input/input%d/event%d", input,
			 event);
		if (!access(node, F_OK)) {
			snprintf(node, sizeof(node), "/dev/input/event%d", event);
			break;
		}
	}
	one = open(node, O_RDWR);
	two = open(node, O_RDWR);
	memset(&id, 0, sizeof(id));
	expect(call(one, EVIOCGID, &id), 0, "evdev EVIOCGID");
	check(id.bustype == BUS_VIRTUAL && id.vendor == 0x1234 && id.product == 0x5678 &&
	      id.version == 1, "evdev ids %x:%x:%x:%x", id.bustype, id.vendor, id.product,
	      id.version);
	expect(call(one, EVIOCGVERSION, &version), 0, "evdev EVIOCGVERSION");
	check(version == EV_VERSION, "evdev version %#x", version);
	check(ioctl(one, EVIOCGRAB, 1) == 0, "evdev EVIOCGRAB 1 on %s", node);
	check(ioctl(two, EVIOCGRAB, 1) < 0 && errno == EBUSY, "evdev EVIOCGRAB from a second fd -> EBUSY");
	ioctl(one, EVIOCGRAB, 0);
	close(two);
	close(one);
}

static void test_uinput(void)
{
	struct uinput_setup setup;
	char buf[256];
	int dev = open("/dev/uinput", O_RDWR), input = -1;

	check(ioctl(dev, UI_SET_EVBIT, EV_KEY) == 0 && ioctl(dev, UI_SET_KEYBIT, KEY_A) == 0,
	      "uinput UI_SET_EVBIT EV_KEY, UI_SET_KEYBIT KEY_A");
	memset(&setup, 0, sizeof(setup));
	setup.id.bustype = BUS_VIRTUAL, setup.id.vendor = 0x1234, setup.id.product = 0x5678;
	setup.id.version = 1;
	strcpy(setup.name, NAME);
	expect(call(dev, UI_DEV_SETUP, &setup), 0, "uinput UI_DEV_SETUP");
	expect(call(dev, UI_DEV_CREATE, NULL), 0, "uinput UI_DEV_CREATE");
	for (int i = 0; i < 64 && input < 0; i++)
		if (!strcmp(sysfs(buf, sizeof(buf), "/sys/devices/virtual/input/input%d/name", i),
			    NAME))
			input = i;
	check(input >= 0, "uinput device in sysfs: input%d", input);
	sysfs(buf, sizeof(buf), "/sys/devices/virtual/input/input%d/capabilities/key", input);
	check(strlen(buf) >= 8 && !strcmp(buf + strlen(buf) - 8, "40000000"),
	      "uinput key bits in sysfs '%s'", buf);
	test_evdev(input);
	expect(call(dev, UI_DEV_SETUP, &setup), EINVAL, "uinput UI_DEV_SETUP once created");
	expect(call(dev, UI_DEV_DESTROY, NULL), 0, "uinput UI_DEV_DESTROY");
	close(dev);
}

static void test_loop(void)
{
	static unsigned char pages[256 * 4096];
	struct loop_config config;
	struct loop_info64 status;
	char node[32], buf[256];
	unsigned char head[4];
	uint64_t size = 0;
	int control = open("/dev/loop-control", O_RDWR), index, dev;
	int backing = (int)syscall(__NR_memfd_create, "luogen", 1 /* MFD_CLOEXEC */);

	for (int n = 0; n < 256; n++)
		memset(pages + n * 4096, n, 4096);
	if (write(backing, pages, sizeof(pages)) != (ssize_t)sizeof(pages))
		perror("memfd write");
	index = ioctl(control, LOOP_CTL_GET_FREE);
	check(index >= 0, "loop LOOP_CTL_GET_FREE -> %d", index);
	snprintf(node, sizeof(node), "/dev/loop%d", index);
	dev = open(node, O_RDWR);
	memset(&config, 0, sizeof(config));
	config.fd = (__u32)backing;
	config.info.lo_offset = 8192, config.info.lo_sizelimit = 65536;
	strcpy((char *)config.info.lo_file_name, "luogen");
	expect(call(dev, LOOP_CONFIGURE, &config), 0, "loop LOOP_CONFIGURE");
	check(!strcmp(sysfs(buf, sizeof(buf), "/sys/block/loop%d/loop/offset", index), "8192") &&
	      !strcmp(sysfs(buf, sizeof(buf), "/sys/block/loop%d/loop/sizelimit", index), "65536"),
	      "loop offset and sizelimit in sysfs");
	memset(&status, 0, sizeof(status));
	expect(call(dev, LOOP_GET_STATUS64, &status), 0, "loop LOOP_GET_STATUS64");
	check(status.lo_offset == 8192 && status.lo_sizelimit == 65536 &&
	      status.lo_number == (__u32)index && !strcmp((char *)status.lo_file_name, "luogen"),
	      "loop status offset %llu sizelimit %llu number %u", (unsigned long long)status.lo_offset,
	      (unsigned long long)status.lo_sizelimit, status.lo_number);
	/* On i386 BLKGETSIZE64 is _IOR(0x12, 114, size_t), 4 bytes, but the kernel writes a u64. */
	expect(call(dev, BLKGETSIZE64, &size), 0, "loop BLKGETSIZE64");
	check(size == 65536, "loop size %llu", (unsigned long long)size);
	check(pread(dev, head, 4, 0) == 4 && head[0] == 2 && head[3] == 2,
	      "loop reads the backing memfd from 8192");
	expect(call(dev, LOOP_CONFIGURE, &config), EBUSY, "loop LOOP_CONFIGURE twice");
	check(ioctl(dev, LOOP_CLR_FD) == 0, "loop LOOP_CLR_FD");
	expect(call(dev, LOOP_GET_STATUS64, &status), ENXIO, "loop LOOP_GET_STATUS64 after LOOP_CLR_FD");
	close(dev);
	close(backing);
	close(control);
}

static void test_userfaultfd(void)
{
	struct uffdio_api api;
	struct uffdio_register reg;
	struct uffdio_copy copy;
	struct uffdio_zeropage zero;
	static unsigned char pattern[4096];
	int uffd = (int)syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK), ok = 1;
	unsigned char *area = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(&api, 0, sizeof(api));
	api.api = 0x55;
	expect(call(uffd, UFFDIO_API, &api), EINVAL, "userfaultfd UFFDIO_API api 0x55");
	memset(&api, 0, sizeof(api));
	api.api = UFFD_API, api.features = UFFD_FEATURE_SIGBUS; /* no waiting on a missing page */
	expect(call(uffd, UFFDIO_API, &api), 0, "userfaultfd UFFDIO_API");
	check(api.ioctls == (1ULL << _UFFDIO_API | 1ULL << _UFFDIO_REGISTER |
			     1ULL << _UFFDIO_UNREGISTER), "userfaultfd ioctls %#llx (bit 63 set)",
	      (unsigned long long)api.ioctls);
	memset(&reg, 0, sizeof(reg));
	reg.range.start = PTR(area), reg.range.len = 2 * 4096;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	expect(call(uffd, UFFDIO_REGISTER, &reg), 0, "userfaultfd UFFDIO_REGISTER");
	for (int i = 0; i < 4096; i++)
		pattern[i] = (unsigned char)i;
	memset(&copy, 0, sizeof(copy));
	copy.dst = PTR(area), copy.src = PTR(pattern), copy.len = 4096;
	ok = expect(call(uffd, UFFDIO_COPY, &copy), 0, "userfaultfd UFFDIO_COPY") &&
	     copy.copy == 4096;
	/* Only a page the kernel filled is read: touching a missing one raises SIGBUS. */
	check(ok && !memcmp(area, pattern, 4096), "userfaultfd page 0 is the copy (%lld)",
	      (long long)copy.copy);
	memset(&zero, 0, sizeof(zero));
	zero.range.start = PTR(area + 4096), zero.range.len = 4096;
	ok = expect(call(uffd, UFFDIO_ZEROPAGE, &zero), 0, "userfaultfd UFFDIO_ZEROPAGE") &&
	     zero.zeropage == 4096;
	check(ok && area[4096] == 0 && !memcmp(area + 4096, area + 4097, 4095),
	      "userfaultfd page 1 is zero (%lld)", (long long)zero.zeropage);
	expect(call(uffd, UFFDIO_COPY, &copy), EEXIST, "userfaultfd UFFDIO_COPY twice");
	close(uffd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_rtc();
	test_softdog();
	test_uinput();
	test_loop();
	test_userfaultfd();
	printf("# drivers_c: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
