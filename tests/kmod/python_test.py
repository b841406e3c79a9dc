#!/usr/bin/env python3
"""The LUO and fwctl scenarios of luo_test.c and fwctl_test.c, through the generated Python
bindings' object layer (liveupdate_uapi, fwctl_uapi) only.

Runs inside the guest of tests/kmod/run_e2e.py (the host's Python, chrooted into the host's root
shared over 9p; PYTHONPATH holds generated/{liveupdate,fwctl}/python). One TAP-like line per
check, "ok N - ..." or "not ok N - ..."; exit status 0 only when every check passed. Stdlib only.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import fwctl_uapi
import liveupdate_uapi
from fwctl_uapi import Fwctl, FwctlDeviceType, FwctlRpcScope, UserBuffer
from liveupdate_uapi import LIVEUPDATE_SESSION_NAME_LENGTH, LiveUpdate

# What the fake device reports in out_device_data (see tests/kmod/fwctl/main.c).
DEVICE_DATA = bytes.fromhex("78563412010000006c756f67656e0000")


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

    def raises(
        self, call: Callable[[], Any], want: type[BaseException], what: str, code: int = 0
    ) -> None:
        """call() raises `want` (with errno `code` when given, and the ioctl's name in it)."""
        try:
            call()
        except want as exc:
            got = getattr(exc, "errno", None)
            ok = not code or got == code
            detail = f" {errno.errorcode.get(got, got)}" if got else f": {exc}"
            self.check(ok, f"{what} -> {type(exc).__name__}{detail}")
        except Exception as exc:  # any other exception fails
            self.check(False, f"{what} -> {type(exc).__name__}: {exc} (wanted {want.__name__})")
        else:
            self.check(False, f"{what} -> no exception (wanted {want.__name__})")


@contextlib.contextmanager
def counting_ioctls() -> Iterator[list[int]]:
    """Counts the ioctl calls the bindings make inside the block."""
    calls: list[int] = []
    real = fcntl.ioctl

    def spy(*args: Any) -> Any:
        calls.append(args[1])
        return real(*args)

    setattr(liveupdate_uapi, "_ioctl", spy)  # noqa: B010 (a private name)
    try:
        yield calls
    finally:
        setattr(liveupdate_uapi, "_ioctl", real)  # noqa: B010


def luo(t: Tap) -> None:
    try:
        dev = LiveUpdate.open()
    except OSError as exc:
        t.check(False, f"LiveUpdate.open() ({exc})")
        return
    t.check(not dev.closed, "LiveUpdate.open()")
    t.raises(LiveUpdate.open, OSError, "second LiveUpdate.open()", errno.EBUSY)

    with counting_ioctls() as calls:
        t.raises(
            lambda: dev.create_session("x" * LIVEUPDATE_SESSION_NAME_LENGTH),
            ValueError,
            "create_session(64-byte name)",
        )
        t.raises(lambda: dev.create_session("a\0b"), ValueError, "create_session(name with NUL)")
        t.raises(
            lambda: dev.retrieve_session(b"y" * 100), ValueError, "retrieve_session(100 bytes)"
        )
    t.check(not calls, f"the ValueErrors came before any ioctl ({len(calls)} ioctls)")

    session = dev.create_session("py-alpha")
    t.check(isinstance(session, liveupdate_uapi.Session), "create_session('py-alpha') -> Session")
    t.check(
        fcntl.fcntl(session.fileno(), fcntl.F_GETFD) & fcntl.FD_CLOEXEC != 0,
        "session fd is close-on-exec",
    )
    t.raises(lambda: dev.create_session("py-alpha"), FileExistsError, "duplicate", errno.EEXIST)
    try:
        dev.create_session(b"py-alpha")
    except OSError as exc:
        t.check(
            "LIVEUPDATE_IOCTL_CREATE_SESSION" in str(exc),
            f"the OSError names the ioctl ({exc})",
        )
    t.raises(
        lambda: dev.retrieve_session("nosuch"), FileNotFoundError, "unknown session", errno.ENOENT
    )
    t.raises(lambda: dev.create_session(""), OSError, "create_session('')", errno.EINVAL)
    with dev.retrieve_session("py-alpha") as again:
        t.check(again.name == "py-alpha", f"retrieve_session('py-alpha').name = {again.name!r}")
    t.check(again.closed, "the with block closed the retrieved Session")

    memfd = os.memfd_create("luogen-python")
    session.preserve_fd(memfd, 7)
    t.check(True, "preserve_fd(memfd, 7)")
    t.raises(lambda: session.preserve_fd(memfd, 7), FileExistsError, "token 7 again", errno.EEXIST)
    t.raises(lambda: session.preserve_fd(-1, 8), ValueError, "preserve_fd(-1, 8)")
    t.raises(lambda: session.preserve_fd(memfd, -1), ValueError, "preserve_fd(memfd, -1)")
    t.raises(lambda: session.preserve_fd(session.fileno(), 8), OSError, "own fd", errno.EINVAL)
    t.raises(lambda: session.retrieve_fd(8), FileNotFoundError, "retrieve_fd(8)", errno.ENOENT)
    fd = session.retrieve_fd(7)
    t.check(isinstance(fd, int) and fd >= 0 and fd != memfd, f"retrieve_fd(7) -> new fd {fd}")
    os.write(memfd, b"luogen-python")
    t.check(os.pread(fd, 64, 0) == b"luogen-python", "written to the memfd, read through it")
    os.pwrite(fd, b"LUO", 0)
    t.check(os.pread(memfd, 64, 0) == b"LUOgen-python", "written through it, read from the memfd")
    t.check(os.fstat(fd).st_ino == os.fstat(memfd).st_ino, "same inode as the memfd")
    os.close(fd)
    t.check(session.get_name() == "py-alpha", f"get_name() = {session.get_name()!r}")
    t.check(session.name == "py-alpha", f"name property = {session.name!r}")
    session.finish()
    t.check(True, "finish()")
    t.raises(lambda: session.retrieve_fd(7), FileNotFoundError, "after finish", errno.ENOENT)
    os.close(memfd)
    long_name = "z" * (LIVEUPDATE_SESSION_NAME_LENGTH - 1)
    with dev.create_session(long_name) as longest:
        t.check(longest.name == long_name, "a 63-byte name round-trips")
    session.close()
    t.check(session.closed, "Session.close()")
    t.raises(session.get_name, ValueError, "get_name() on a closed Session")
    t.raises(lambda: dev.retrieve_session("py-alpha"), OSError, "gone once closed", errno.ENOENT)
    dev.close()
    with LiveUpdate.open() as dev2:
        t.check(not dev2.closed, "LiveUpdate.open() again after close()")


def fwctl(t: Tap) -> None:
    try:
        dev = Fwctl.open("/dev/fwctl0")
    except OSError as exc:
        t.check(False, f"Fwctl.open('/dev/fwctl0') ({exc})")
        return
    t.check(True, "Fwctl.open('/dev/fwctl0')")
    data = UserBuffer(b"\xa5" * 64)
    info = dev.info(data)
    t.check(
        info.out_device_type is FwctlDeviceType.FWCTL_DEVICE_TYPE_MLX5,
        f"info().out_device_type = {info.out_device_type!r}",
    )
    t.check(info.device_data_len == 16, f"info().device_data_len = {info.device_data_len}")
    t.check(
        bytes(data)[:16] == DEVICE_DATA and bytes(data)[16:] == b"\xa5" * 48,
        "info(UserBuffer) copied the 16-byte blob, nothing past it",
    )
    whole = bytearray(b"\xa5" * 32)
    info = dev.info(memoryview(whole)[8:16])
    t.check(
        info.device_data_len == 16 and whole == b"\xa5" * 8 + DEVICE_DATA[:8] + b"\xa5" * 16,
        "info(memoryview slice of a bytearray) wrote just its 8 bytes",
    )
    info = dev.info(bytearray())
    t.check(info.device_data_len == 16, "info(empty buffer: NULL, 0) reports the length")
    t.raises(lambda: dev.info(b"x"), ValueError, "info(bytes): not writable")  # type: ignore[arg-type]

    out = bytearray(64)

    def rpc(scope: int, into: bytearray | UserBuffer = out) -> int:
        return dev.rpc(scope, b"hello firmware", into)

    got = rpc(FwctlRpcScope.FWCTL_RPC_CONFIGURATION)
    t.check(got == 14 and out[:14] == b"hello firmware", f"rpc() echo -> out_len {got}")
    response = UserBuffer(14)
    got = dev.rpc(FwctlRpcScope.FWCTL_RPC_CONFIGURATION, UserBuffer(b"from a buffer!"), response)
    t.check(got == 14 and bytes(response) == b"from a buffer!", "rpc(UserBuffer, UserBuffer)")
    for scope in (FwctlRpcScope.FWCTL_RPC_DEBUG_READ_ONLY, FwctlRpcScope.FWCTL_RPC_DEBUG_WRITE):
        t.check(rpc(scope) == 14, f"rpc() scope {scope.name}")
    t.raises(
        lambda: rpc(FwctlRpcScope.FWCTL_RPC_DEBUG_WRITE_FULL),
        PermissionError,
        "rpc() scope FWCTL_RPC_DEBUG_WRITE_FULL",
        errno.EPERM,
    )
    t.raises(lambda: rpc(99), OSError, "rpc() unknown scope 99", errno.EOPNOTSUPP)
    t.raises(lambda: rpc(1, bytearray(5)), OSError, "rpc() out_len 5 < in_len 14", errno.ENOSPC)
    t.raises(lambda: rpc(-1), ValueError, "rpc(scope=-1)")
    dev.close()
    t.check(fwctl_uapi.FWCTL_INFO == 0x9A00, "FWCTL_INFO = 0x9a00 on this machine")


def main() -> int:
    t = Tap()
    for scenario in (luo, fwctl):
        try:
            scenario(t)
        except Exception as exc:  # one failed check
            t.check(False, f"{scenario.__name__}: unexpected {type(exc).__name__}: {exc}")
    print(f"# python_test: {t.checks} checks, {t.failures} failed")
    return 1 if t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
