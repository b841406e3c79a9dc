"""Read real uapi headers with libclang: ioctl commands, records, enums and constants, exactly and
with where each is written, per architecture (ir.py says what comes out).

    from luogen.cheader import read_headers, read_arches, merge
    scan = read_headers(["linux/uinput.h"], "amd64")
    scan.header("linux/uinput.h").command("UI_DEV_CREATE").number      # 0x5501
    merged = merge(read_arches(["linux/rtc.h"]))                        # the 16 architectures
"""

from __future__ import annotations

from .merge import MergedCommand, MergedHeader, MergedRecord, Varying, merge, read_arches
from .reader import IOCTL_PRELUDE, Session, read_headers

__all__ = [
    "IOCTL_PRELUDE",
    "MergedCommand",
    "MergedHeader",
    "MergedRecord",
    "Session",
    "Varying",
    "merge",
    "read_arches",
    "read_headers",
]
