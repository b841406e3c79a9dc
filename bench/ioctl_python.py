#!/usr/bin/env python3
"""Ioctls per second through the generated Python bindings vs raw fcntl.ioctl, for the same
ioctl, in the guest of bench/vm_ioctl.py (needs /dev/liveupdate and /dev/fwctl0 from the test
modules of tests/kmod/). Stdlib + the generated packages only.

Pairs (binding vs raw, same ioctl number and struct):
  get_name    Session.name (LIVEUPDATE_SESSION_GET_NAME) vs fcntl.ioctl on a prepacked bytearray
              (+ "lean": a fresh bytearray from a template, ioctl, decode: a wrapper's floor)
  fwctl_info  Fwctl.info(UserBuffer(16)) (FWCTL_INFO)    vs fcntl.ioctl on a prepacked bytearray
              (+ "lean": a fresh bytearray from a template, ioctl, unpack the two outputs)

Each side runs `--rounds` interleaved rounds of about `--seconds`; the best round counts.
Prints one line per pair (ratio = binding time / raw time):

    BENCH <pair> binding=<ops/s> binding_us=<us> raw=<ops/s> raw_us=<us> ... ratio=<x> ...
"""

from __future__ import annotations

import argparse
import fcntl
import struct
import sys
import time
from collections.abc import Callable

from fwctl_uapi import FWCTL_INFO, Fwctl, FwctlInfo, UserBuffer
from liveupdate_uapi import LIVEUPDATE_SESSION_GET_NAME, LiveUpdate, LiveupdateSessionGetName


def per_call(fn: Callable[[], object], n: int) -> float:
    """Seconds per call of fn over n calls (loop overhead included, as a caller would pay)."""
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def calibrate(fn: Callable[[], object], seconds: float) -> int:
    """A call count that takes about `seconds`."""
    n = 64
    while (spent := per_call(fn, n) * n) < seconds / 8:
        n *= 2
    return max(64, int(n * seconds / spent))


def compare(
    name: str,
    sides: dict[str, Callable[[], object]],
    seconds: float,
    rounds: int,
) -> None:
    """Interleaved rounds of each side (binding, raw, lean); the best round of each counts."""
    counts = {side: calibrate(fn, seconds) for side, fn in sides.items()}
    best = dict.fromkeys(sides, float("inf"))
    for _ in range(rounds):
        for side, fn in sides.items():
            best[side] = min(best[side], per_call(fn, counts[side]))
    rates = " ".join(f"{side}={1 / t:.0f}/s {side}_us={t * 1e6:.2f}" for side, t in best.items())
    ratios = " ".join(
        f"{side}_ratio={t / best['raw']:.2f}" for side, t in best.items() if side != "raw"
    )
    print(f"BENCH {name} {rates} ratio={best['binding'] / best['raw']:.2f} {ratios}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=0.2, help="per round and side")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    with LiveUpdate.open() as dev, dev.create_session("bench") as session:
        fd = session.fileno()
        packed = bytearray(LiveupdateSessionGetName(size=LiveupdateSessionGetName.SIZE).pack())
        assert session.name == "bench"

        def raw_get_name() -> object:
            return fcntl.ioctl(fd, LIVEUPDATE_SESSION_GET_NAME, packed, True)

        raw_get_name()
        assert packed[8:13] == b"bench"
        template = bytes(packed)

        def lean_get_name() -> str:
            # The least a wrapper must do: fresh buffer, ioctl, decode (the floor for a binding).
            buf = bytearray(template)
            fcntl.ioctl(fd, LIVEUPDATE_SESSION_GET_NAME, buf, True)
            return buf[8:].split(b"\0", 1)[0].decode()

        assert lean_get_name() == "bench"
        sides = {"binding": lambda: session.name, "raw": raw_get_name, "lean": lean_get_name}
        compare("get_name", sides, args.seconds, args.rounds)

    with Fwctl.open("/dev/fwctl0") as fw:
        ffd = fw.fileno()
        # A real 16-byte buffer: device_data_len (in/out) then stays 16 from call to call.
        data = UserBuffer(16)
        info_buf = bytearray(
            FwctlInfo(size=FwctlInfo.SIZE, device_data_len=16, out_device_data=data.address).pack()
        )

        def raw_info() -> object:
            return fcntl.ioctl(ffd, FWCTL_INFO, info_buf, True)

        raw_info()
        assert fw.info(data).device_data_len == 16 and info_buf[12] == 16
        info_template = bytes(info_buf)
        results = struct.Struct("=8xII8x")

        def lean_info() -> tuple[int, int]:
            # Fresh buffer, ioctl, decode the two outputs into a tuple: a wrapper's floor.
            buf = bytearray(info_template)
            fcntl.ioctl(ffd, FWCTL_INFO, buf, True)
            device_type, length = results.unpack_from(buf)
            return device_type, length

        assert lean_info() == (1, 16)
        sides = {"binding": lambda: fw.info(data), "raw": raw_info, "lean": lean_info}
        compare("fwctl_info", sides, args.seconds, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
