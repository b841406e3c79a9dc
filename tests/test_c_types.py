"""luogen/model/c_types.json, the sizes, alignments and signedness of the C types uapi headers
use on each architecture, is what the architectures' own headers and compilers say: measured
again here (libclang, and GCC for m68k, alpha and hppa) and compared whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "luogen" / "model" / "c_types.json"


def test_the_committed_table_is_what_the_headers_say() -> None:
    measured = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "tools" / "extract_c_types.py")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert json.loads(measured) == json.loads(TABLE.read_text())


def test_glibcs_time_types_as_each_architecture_has_them() -> None:
    # glibc 2.36's bits/typesizes.h: x32's __TIME_T_TYPE and __SUSECONDS_T_TYPE are
    # __SYSCALL_SLONG_TYPE, __SQUAD_TYPE there (8 bytes, where long is 4); sparc64's
    # __SUSECONDS_T_TYPE is __S32_TYPE. struct timeval is { __time_t tv_sec; __suseconds_t
    # tv_usec; } (bits/types/struct_timeval.h): linux/videodev2.h's struct v4l2_buffer holds one.
    from luogen.model.ctypes import CFacts, facts

    assert facts("__time_t")["x32"] == facts("__suseconds_t")["x32"] == CFacts(8, 8, "signed")
    assert facts("__suseconds_t")["sparc64"] == CFacts(4, 4, "signed")
    assert facts("__time_t")["sparc64"] == CFacts(8, 8, "signed")
    assert facts("__time_t")["i386"] == CFacts(4, 4, "signed")
