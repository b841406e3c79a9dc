"""The kernel's own checkers, extracted from Debian's linux-source-6.1 by
tests/tools/setup-kernel-tools.sh, run on luogen's outputs."""

from __future__ import annotations

import os
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = ROOT / "tests" / "tools" / "setup-kernel-tools.sh"


@cache
def _setup() -> tuple[Path | None, str]:
    folder = ROOT / ".cache" / "kernel-tools"
    result = subprocess.run(["bash", str(SETUP), str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip() or result.stdout.strip()
    return folder, ""


def tools_dir() -> Path:
    """The extracted tools; on a machine that cannot have them, CI fails and a developer skips."""
    folder, why = _setup()
    if folder is None:
        if os.environ.get("CI"):
            raise RuntimeError(f"kernel tools unavailable: {why}")
        pytest.skip(f"kernel tools unavailable (needs linux-source-6.1): {why}")
    return folder


def _run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True)


def kernel_doc(path: Path) -> list[str]:
    """kernel-doc's complaints about `path` (6.1's strictest mode is -v: it adds the checks on
    missing descriptions and return sections); empty when clean."""
    result = _run("perl", tools_dir() / "scripts/kernel-doc", "-none", "-v", path)
    lines = (result.stdout + result.stderr).splitlines()
    complaints = [line for line in lines if not re.search(r": info: ", line)]
    if result.returncode != 0 and not complaints:
        complaints.append(f"kernel-doc exited {result.returncode}")
    return complaints


def checkpatch(path: Path) -> tuple[tuple[int, int, int], str]:
    """(errors, warnings, checks) of `checkpatch.pl --strict` on a whole file, and its report."""
    result = _run(
        "perl", tools_dir() / "scripts/checkpatch.pl", "--no-tree", "--strict", "--no-summary",
        "--show-types", "-f", path,
    )  # fmt: skip
    report = result.stdout
    counts = tuple(
        len(re.findall(rf"^{kind}:", report, re.MULTILINE))
        for kind in ("ERROR", "WARNING", "CHECK")
    )
    return (counts[0], counts[1], counts[2]), report


def headers_check(header: Path) -> str:
    """headers_check.pl's complaints about a uapi header, its includes looked up among the
    installed uapi headers (/usr/include, Debian's linux-libc-dev); empty when clean."""
    result = _run(
        "perl", tools_dir() / "usr/include/headers_check.pl", "/usr/include", "x86", header
    )
    complaints = result.stdout + result.stderr
    if result.returncode != 0 and not complaints:
        complaints = f"headers_check.pl exited {result.returncode}"
    return complaints
