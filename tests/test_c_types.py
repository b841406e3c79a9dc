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
