#!/usr/bin/env python3
"""Real drivers of Debian's 6.1 kernel through the Python bindings luogen generated from the
kernel's own headers (`luogen import`, spec/imported/): rtc-cmos, softdog, uinput (read back
through evdev), vgem, loop (with linux/fs.h's BLKGETSIZE64) and userfaultfd.

One program with a section per driver: the guest pays Python's start-up (~1 s under TCG) once.
Runs inside the guest of tests/kmod/run_e2e.py (the host's Python chrooted into the host's root
over 9p; PYTHONPATH holds generated/<spec>/python; the harness loaded the modules). Only the
generated safe layers touch the drivers (no fcntl.ioctl, no hand-written struct); every value
checked comes from outside the binding: the time of day, the name and ids given to uinput as
sysfs shows them, the driver's own identity strings, the loop device's sysfs attributes and the
bytes of its backing file, the page userfaultfd filled. One TAP-like line per check; exit 0 only
when every check passed. Stdlib only.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import mmap
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drm_drm_uapi import DrmDrm, DrmModeCreateDumb, DrmVersion, UserBuffer
from fs_uapi import Fs
from input_uapi import EV_VERSION, Input
from input_uapi import InputId as EvdevId
from loop_uapi import Loop, LoopConfig, LoopInfo64
from rtc_uapi import Rtc, RtcTime
from uinput_uapi import InputId, Uinput, UinputSetup
from userfaultfd_uapi import (
    _UFFDIO_API,
    _UFFDIO_COPY,
    _UFFDIO_REGISTER,
    _UFFDIO_UNREGISTER,
    _UFFDIO_ZEROPAGE,
    UFFD_API,
    UFFD_EVENT_PAGEFAULT,
    UFFD_FEATURE_SIGBUS,
    UFFDIO_REGISTER_MODE_MISSING,
    UffdioApi,
    UffdioCopy,
    UffdioRange,
    UffdioRegister,
    UffdioZeropage,
    Userfaultfd,
)
from watchdog_uapi import Watchdog

UINPUT_NAME = b"luogen-uinput"
# linux/input.h and linux/input-event-codes.h (not imported: uinput.h only).
BUS_VIRTUAL = 6
EV_KEY = 0x01
KEY_A = 30
# userfaultfd(2) on x86_64 (arch/x86/entry/syscalls/syscall_64.tbl): the guest is x86_64.
NR_USERFAULTFD = 323


class Tap:
    def __init__(self) -> None:
        self.checks = 0
        self.failures = 0

    def check(self, ok: bool, what: str) -> bool:
        self.checks += 1
        if not ok:
            self.failures += 1
        print(f"{'' if ok else 'not '}ok {self.checks} - {what}", flush=True)
        return ok

    def errno_of(self, call: Callable[[], Any], code: int, what: str) -> None:
        """call() raises the binding's OSError with the kernel's errno `code`."""
        try:
            call()
        except OSError as exc:
            name = errno.errorcode.get(exc.errno or 0, exc.errno)
            self.check(exc.errno == code, f"{what} -> OSError {name}: {exc.strerror}")
        except Exception as exc:  # any other exception fails
            self.check(False, f"{what} -> {type(exc).__name__}: {exc}")
        else:
            self.check(False, f"{what} -> no error (wanted {errno.errorcode[code]})")


def rtc(tap: Tap) -> None:
    with Rtc._open("/dev/rtc0") as dev:
        now = dev.rd_time()
        wall = time.gmtime()
        got = (now.tm_year + 1900, now.tm_mon + 1, now.tm_mday, now.tm_hour, now.tm_min)
        seconds = abs(time.mktime((*got, now.tm_sec, 0, 0, 0)) - time.mktime((*wall[:6], 0, 0, 0)))
        tap.check(seconds < 120, f"rtc RTC_RD_TIME {got} within 2 min of the guest clock")
        alarm = RtcTime(tm_sec=7, tm_min=(now.tm_min + 5) % 60, tm_hour=now.tm_hour)
        dev.alm_set(alarm)
        back = dev.alm_read()
        tap.check(
            (back.tm_hour, back.tm_min, back.tm_sec) == (alarm.tm_hour, alarm.tm_min, alarm.tm_sec),
            f"rtc RTC_ALM_SET/RTC_ALM_READ round trip {back.tm_hour}:{back.tm_min}:{back.tm_sec}",
        )
        bad = RtcTime(tm_sec=7, tm_min=61, tm_hour=now.tm_hour)
        tap.errno_of(lambda: dev.alm_set(bad), errno.EINVAL, "rtc RTC_ALM_SET minute 61")


def softdog(tap: Tap) -> None:
    dev = Watchdog._open("/dev/watchdog")
    try:
        info = dev.getsupport()
        identity = info.identity.rstrip(b"\0")
        tap.check(identity == b"Software Watchdog", f"softdog WDIOC_GETSUPPORT {identity!r}")
        tap.check(dev.settimeout(17) == 17, "softdog WDIOC_SETTIMEOUT 17")
        tap.check(dev.gettimeout() == 17, "softdog WDIOC_GETTIMEOUT 17")
        tap.errno_of(lambda: dev.settimeout(0), errno.EINVAL, "softdog WDIOC_SETTIMEOUT 0")
    finally:
        os.write(dev.fileno(), b"V")  # the magic close: the timer stops instead of firing
        dev.close()


def uinput(tap: Tap) -> None:
    with Uinput._open("/dev/uinput") as dev:
        # uinput.h declares UI_SET_EVBIT/UI_SET_KEYBIT _IOW(.., int) but the driver takes the bit
        # number as arg itself: spec/imported/hints/uinput.yaml makes them by-value.
        dev.set_evbit(EV_KEY)
        dev.set_keybit(KEY_A)
        ident = InputId(bustype=BUS_VIRTUAL, vendor=0x1234, product=0x5678, version=1)
        dev.dev_setup(UinputSetup(id=ident, name=UINPUT_NAME))
        dev.dev_create()
        found = [
            Path(d)
            for d in glob.glob("/sys/devices/virtual/input/input*")
            if Path(d, "name").read_text().strip() == UINPUT_NAME.decode()
        ]
        tap.check(len(found) == 1, f"uinput UI_DEV_SETUP/UI_DEV_CREATE: {found}")
        if found:
            ids = {n: int((found[0] / "id" / n).read_text(), 16) for n in ("vendor", "product")}
            tap.check(ids == {"vendor": 0x1234, "product": 0x5678}, f"uinput ids in sysfs {ids}")
            bits = {n: (found[0] / "capabilities" / n).read_text().strip() for n in ("ev", "key")}
            # EV_SYN (bit 0) the input core sets itself; KEY_A is bit 30 of the key bitmap.
            tap.check(
                bits["ev"] == "3" and bits["key"].split()[-1] == f"{1 << KEY_A:x}",
                f"uinput UI_SET_EVBIT/UI_SET_KEYBIT by value: sysfs {bits}",
            )
            evdev(tap, found[0], ident)
        tap.check(dev.get_version() >= 5, "uinput UI_GET_VERSION >= 5 (UI_DEV_SETUP's)")
        setup = UinputSetup(id=ident, name=UINPUT_NAME)
        tap.errno_of(lambda: dev.dev_setup(setup), errno.EINVAL, "uinput UI_DEV_SETUP once created")
        dev.dev_destroy()


def evdev(tap: Tap, device: Path, ident: InputId) -> None:
    """The uinput device read back through evdev (linux/input.h), at /dev/input/eventN."""
    (event,) = [e.name for e in device.iterdir() if e.name.startswith("event")]
    with Input._open(f"/dev/input/{event}") as one, Input._open(f"/dev/input/{event}") as two:
        got = one.eviocgid()
        want = EvdevId(bustype=ident.bustype, vendor=ident.vendor, product=ident.product,
                       version=ident.version)  # fmt: skip
        tap.check(got == want, f"evdev EVIOCGID {got}")
        version = one.eviocgversion()
        tap.check(version == EV_VERSION, f"evdev EVIOCGVERSION {version:#x}")
        # By value (spec/imported/hints/input.yaml): non-zero grabs, 0 releases.
        tap.check(one.eviocgrab(1) == 0, f"evdev EVIOCGRAB 1 on {event}")
        tap.errno_of(lambda: two.eviocgrab(1), errno.EBUSY, "evdev EVIOCGRAB from a second fd")
        one.eviocgrab(0)


def vgem(tap: Tap) -> None:
    for path in sorted(glob.glob("/dev/dri/card*")):
        with DrmDrm._open(path) as dev:
            name = UserBuffer(64)
            got = dev.version(DrmVersion(name_len=name.length, name=name.address))
            text = bytes(name)[: got.name_len]
            if text != b"vgem":
                continue
            tap.check(True, f"vgem DRM_IOCTL_VERSION name {text!r} on {path}")
            dumb = dev.mode_create_dumb(DrmModeCreateDumb(height=64, width=64, bpp=32))
            tap.check(
                dumb.pitch == 64 * 4 and dumb.size >= 64 * 64 * 4 and dumb.handle > 0,
                f"vgem DRM_IOCTL_MODE_CREATE_DUMB pitch {dumb.pitch} size {dumb.size}",
            )
            tap.errno_of(
                lambda: dev.mode_create_dumb(DrmModeCreateDumb(height=64, width=64)),
                errno.EINVAL,
                "vgem DRM_IOCTL_MODE_CREATE_DUMB bpp 0",
            )
            return
    tap.check(False, "vgem: no /dev/dri/card* is vgem")


def loop(tap: Tap) -> None:
    backing = Path("/dev/shm/luogen-loop.img")
    backing.write_bytes(b"".join(bytes([n]) * 4096 for n in range(256)))  # page n: bytes n
    offset, limit = 8192, 65536
    with Loop._open("/dev/loop-control") as control:
        index = control.ctl_get_free()
    node = f"/dev/loop{index}"
    tap.check(index >= 0 and os.path.exists(node), f"loop LOOP_CTL_GET_FREE -> {node}")
    sysfs = Path(f"/sys/block/loop{index}/loop")
    fd = os.open(backing, os.O_RDWR | os.O_CLOEXEC)
    try:
        with Loop._open(node) as dev:
            info = LoopInfo64(lo_offset=offset, lo_sizelimit=limit, lo_file_name=b"luogen")
            dev.configure(LoopConfig(fd=fd, info=info))
            seen = {n: (sysfs / n).read_text().strip() for n in ("offset", "sizelimit")}
            tap.check(
                seen == {"offset": str(offset), "sizelimit": str(limit)}
                and (sysfs / "backing_file").read_text().strip() == str(backing),
                f"loop LOOP_CONFIGURE: sysfs {seen}",
            )
            status = dev.get_status64()
            name = status.lo_file_name.rstrip(b"\0")
            tap.check(
                (status.lo_offset, status.lo_sizelimit, status.lo_number, name)
                == (offset, limit, index, b"luogen")
                and status.lo_inode == os.stat(backing).st_ino,
                f"loop LOOP_GET_STATUS64 offset {status.lo_offset} sizelimit "
                f"{status.lo_sizelimit} number {status.lo_number} name {name!r}",
            )
            with Fs(os.dup(dev.fileno())) as block:
                size = block.blkgetsize64()
            tap.check(size == limit, f"loop BLKGETSIZE64 {size}")
            head = os.pread(dev.fileno(), 4, 0)
            wanted = bytes([offset // 4096]) * 4
            tap.check(head == wanted, f"loop reads the backing file from {offset}: {head!r}")
            again = LoopConfig(fd=fd, info=info)
            tap.errno_of(lambda: dev.configure(again), errno.EBUSY, "loop LOOP_CONFIGURE twice")
            dev.clr_fd()
            tap.errno_of(dev.get_status64, errno.ENXIO, "loop LOOP_GET_STATUS64 after LOOP_CLR_FD")
    finally:
        os.close(fd)
        backing.unlink()


def _userfaultfd_syscall(flags: int) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = int(libc.syscall(NR_USERFAULTFD, flags))
    if fd < 0:
        code = ctypes.get_errno()
        raise OSError(code, f"userfaultfd(2): {os.strerror(code)}")
    return fd


def userfaultfd(tap: Tap) -> None:
    page = mmap.PAGESIZE
    with Userfaultfd(_userfaultfd_syscall(os.O_CLOEXEC | os.O_NONBLOCK)) as uffd:
        bad = UffdioApi(api=0x55)
        tap.errno_of(lambda: uffd.uffdio_api(bad), errno.EINVAL, "userfaultfd UFFDIO_API api 0x55")
        # SIGBUS: a touch of a missing page kills the program rather than waiting for a handler.
        api = uffd.uffdio_api(UffdioApi(api=UFFD_API, features=UFFD_FEATURE_SIGBUS))
        # The ioctls are a 64-bit set: UFFDIO_API is bit 63.
        ioctls = 1 << _UFFDIO_API | 1 << _UFFDIO_REGISTER | 1 << _UFFDIO_UNREGISTER
        tap.check(
            api.api == UFFD_API and api.ioctls == ioctls and api.features & UFFD_FEATURE_SIGBUS,
            f"userfaultfd UFFDIO_API ioctls {api.ioctls:#x} features {api.features:#x}",
        )
        twice = UffdioApi(api=UFFD_API)
        tap.errno_of(lambda: uffd.uffdio_api(twice), errno.EINVAL, "userfaultfd UFFDIO_API twice")
        area = mmap.mmap(-1, 2 * page, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        start = ctypes.addressof(ctypes.c_char.from_buffer(area))
        wanted = UffdioRange(start=start, len=2 * page)
        reg = uffd.uffdio_register(UffdioRegister(range=wanted, mode=UFFDIO_REGISTER_MODE_MISSING))
        can = 1 << _UFFDIO_COPY | 1 << _UFFDIO_ZEROPAGE
        tap.check(reg.ioctls & can == can, f"userfaultfd UFFDIO_REGISTER ioctls {reg.ioctls:#x}")
        pattern = bytes(range(256)) * (page // 256)
        source = ctypes.create_string_buffer(pattern, page)
        copy = UffdioCopy(dst=start, src=ctypes.addressof(source), len=page)
        done = uffd.uffdio_copy(copy).copy
        # Only a page the kernel filled is read: touching a missing one raises SIGBUS.
        tap.check(done == page and area[:page] == pattern, f"userfaultfd UFFDIO_COPY {done}")
        zero = UffdioZeropage(range=UffdioRange(start=start + page, len=page))
        done = uffd.uffdio_zeropage(zero).zeropage
        filled = done == page and area[page:] == bytes(page)
        tap.check(filled, f"userfaultfd UFFDIO_ZEROPAGE {done}")
        tap.errno_of(lambda: uffd.uffdio_copy(copy), errno.EEXIST, "userfaultfd UFFDIO_COPY twice")
    # /dev/userfaultfd (Linux 6.1): USERFAULTFD_IOC_NEW returns a new userfaultfd, which the
    # binding returns as a Userfaultfd (hints/userfaultfd.yaml: returns, opens).
    with Userfaultfd._open("/dev/userfaultfd") as device:
        made = device.userfaultfd_ioc_new(os.O_CLOEXEC)
    with made:
        back = made.uffdio_api(UffdioApi(api=UFFD_API)).api
        tap.check(back == UFFD_API, "userfaultfd USERFAULTFD_IOC_NEW, then UFFDIO_API on it")
        _resolve_a_fault(tap, made, page)


def _resolve_a_fault(tap: Tap, uffd: Userfaultfd, page: int) -> None:
    """A thread touches a registered, missing page: the kernel holds it in the fault and queues
    a message on `uffd`; UFFDIO_COPY fills the page and wakes the thread, which reads the copy."""
    area = mmap.mmap(-1, page, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    start = ctypes.addressof(ctypes.c_char.from_buffer(area))
    wanted = UffdioRange(start=start, len=page)
    uffd.uffdio_register(UffdioRegister(range=wanted, mode=UFFDIO_REGISTER_MODE_MISSING))
    seen = ctypes.create_string_buffer(page)
    # ctypes.memmove lets go of the GIL: the thread waits in the fault while this one goes on.
    toucher = threading.Thread(target=ctypes.memmove, args=(seen, start, page), daemon=True)
    toucher.start()
    ready, _, _ = select.select([uffd], [], [], 10)
    # struct uffd_msg (32 bytes; not an ioctl's argument, so not imported): its event byte first.
    message = os.read(uffd.fileno(), 32) if ready else b""
    tap.check(
        len(message) == 32 and message[0] == UFFD_EVENT_PAGEFAULT,
        f"userfaultfd a thread's touch of a missing page: a {len(message)}-byte message",
    )
    pattern = bytes(range(255, -1, -1)) * (page // 256)
    source = ctypes.create_string_buffer(pattern, page)
    done = uffd.uffdio_copy(UffdioCopy(dst=start, src=ctypes.addressof(source), len=page)).copy
    toucher.join(10)
    tap.check(
        done == page and not toucher.is_alive() and seen.raw == pattern,
        f"userfaultfd UFFDIO_COPY {done} resolves the fault: the thread read the copy",
    )


def main() -> int:
    tap = Tap()
    for section in (rtc, softdog, uinput, vgem, loop, userfaultfd):
        try:
            section(tap)
        except Exception as exc:  # a section that dies is one failed check, the rest still run
            tap.check(False, f"{section.__name__}: {type(exc).__name__}: {exc}")
    return 1 if tap.failures else 0


if __name__ == "__main__":
    sys.exit(main())
