#!/usr/bin/env python3
"""Real drivers of Debian's 6.1 kernel through the Python bindings luogen generated from the
kernel's own headers (`luogen import`, spec/imported/): rtc-cmos, softdog, uinput and vgem.

One program with a section per driver: the guest pays Python's start-up (~1 s under TCG) once.
Runs inside the guest of tests/kmod/run_e2e.py (the host's Python chrooted into the host's root
over 9p; PYTHONPATH holds generated/<spec>/python; the harness loaded the modules). Only the
generated safe layers touch the drivers (no fcntl.ioctl, no hand-written struct); every value
checked comes from outside the binding: the time of day, the name and ids given to uinput as
sysfs shows them, the driver's own identity strings. One TAP-like line per check; exit 0 only
when every check passed. Stdlib only.
"""

from __future__ import annotations

import errno
import glob
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drm_drm_uapi import DrmDrm, DrmModeCreateDumb, DrmVersion, UserBuffer
from rtc_uapi import Rtc, RtcTime
from uinput_uapi import InputId, Uinput, UinputSetup
from watchdog_uapi import Watchdog

UINPUT_NAME = b"luogen-uinput"
# linux/input.h: BUS_VIRTUAL (not imported: uinput.h only).
BUS_VIRTUAL = 6


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
        # Not UI_SET_EVBIT/UI_SET_KEYBIT: uinput.h declares them _IOW(.., int) but the driver takes
        # the bit number in the ioctl's argument itself, not behind a pointer; the imported
        # binding passes a pointer, so the real driver answers EINVAL (the address is no bit).
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
        tap.check(dev.get_version() >= 5, "uinput UI_GET_VERSION >= 5 (UI_DEV_SETUP's)")
        setup = UinputSetup(id=ident, name=UINPUT_NAME)
        tap.errno_of(lambda: dev.dev_setup(setup), errno.EINVAL, "uinput UI_DEV_SETUP once created")
        dev.dev_destroy()


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


def main() -> int:
    tap = Tap()
    for section in (rtc, softdog, uinput, vgem):
        try:
            section(tap)
        except Exception as exc:  # a section that dies is one failed check, the rest still run
            tap.check(False, f"{section.__name__}: {type(exc).__name__}: {exc}")
    return 1 if tap.failures else 0


if __name__ == "__main__":
    sys.exit(main())
