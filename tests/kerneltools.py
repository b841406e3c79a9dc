"""The kernel's own checkers, extracted from Debian's linux-source-6.1 by
tests/tools/setup-kernel-tools.sh, run on luogen's outputs.

`run_*` return the checker's process untouched; `kernel_doc`, `checkpatch` and
`headers_check` reduce it to what a test asserts on (empty / zero when clean).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest
from strict_ci import missing

ROOT = Path(__file__).resolve().parent.parent
SETUP = ROOT / "tests" / "tools" / "setup-kernel-tools.sh"
ARCH = "x86"  # the arch whose asm/ the setup script put in uapi-include/

# A kernel tree's top-level folders: checkpatch matches paths like ^include/uapi/
# or ^drivers/net/, so it must see a file by its path inside the tree.
# fmt: off
_TOP_DIRS = frozenset({
    "Documentation", "arch", "block", "certs", "crypto", "drivers", "fs", "include", "init",
    "io_uring", "ipc", "kernel", "lib", "mm", "net", "rust", "samples", "scripts", "security",
    "sound", "tools", "usr", "virt",
})
# fmt: on
_TOTALS = re.compile(
    r"^total: (\d+) errors, (\d+) warnings, (?:(\d+) checks, )?\d+ lines checked$", re.MULTILINE
)


@cache
def _setup() -> tuple[Path | None, str]:
    folder = ROOT / ".cache" / "kernel-tools"
    result = subprocess.run(["bash", str(SETUP), str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip() or result.stdout.strip()
    return folder, ""


def tools_dir() -> Path:
    """The extracted tools; without them the test skips (and fails under CI: strict_ci)."""
    folder, why = _setup()
    if folder is None:
        pytest.skip(missing(f"the kernel's checkers (linux-source-6.1: {why})"))
    return folder


def _run(argv: list[str | Path], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # HOME is the tools folder so that no ~/.checkpatch.conf changes the verdict; a fixed
    # locale keeps perl's "Setting locale failed" warnings off stderr.
    env = {**os.environ, "HOME": str(tools_dir()), "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def run_kernel_doc(header: Path) -> subprocess.CompletedProcess[str]:
    """6.1's kernel-doc has no -Wall/-Wreturn/-Wshort-desc (those came in 6.2+): -v is its
    strictest mode (adds missing short description, contents before sections, missing Return:
    checks) and -Werror makes any warning a non-zero exit. -v also prints one
    "info: Scanning doc for ..." line per comment on stderr."""
    return _run(["perl", tools_dir() / "scripts/kernel-doc", "-none", "-v", "-Werror", header])


def kernel_doc(path: Path) -> list[str]:
    """kernel-doc's complaints about `path`: its stderr less the info lines; empty when clean."""
    result = run_kernel_doc(path)
    lines = (result.stdout + result.stderr).splitlines()
    complaints = [line for line in lines if ": info: " not in line]
    if result.returncode != 0 and not complaints:
        complaints.append(f"kernel-doc exited {result.returncode}")
    return complaints


def _tree_root(path: Path) -> Path:
    """The nearest folder in which `path` starts with a kernel top-level folder."""
    path = path.resolve()
    for folder in path.parents:
        if path.relative_to(folder).parts[0] in _TOP_DIRS:
            return folder
    return path.parent


def run_checkpatch(path: Path) -> subprocess.CompletedProcess[str]:
    """checkpatch.pl --strict on a whole file, given by its path inside its kernel tree (for
    generated/x/include/uapi/linux/x.h that is include/uapi/linux/x.h), so that the rules that
    exempt include/uapi/ (BIT(), __constant_*, ...) apply as in the kernel. No --terse: it
    implies --quiet, which drops the "total:" line of a clean file."""
    root = _tree_root(path)
    relative = path.resolve().relative_to(root)
    # 6.1 tolerates // comments unless C99_COMMENT_TOLERANCE is ignored. A uapi header must
    # not have them: `make headers` compiles it with -std=c90. (Kernel .c files must keep
    # theirs: their SPDX line is a // comment.)
    c90 = ["--ignore=C99_COMMENT_TOLERANCE"] if relative.parts[:2] == ("include", "uapi") else []
    return _run(
        [
            "perl", tools_dir() / "scripts/checkpatch.pl", "--no-tree", "--strict", *c90,
            "--show-types", "--color=never", "-f", relative,
        ],
        cwd=root,
    )  # fmt: skip


def parse_checkpatch_totals(output: str) -> tuple[int, int, int]:
    """(errors, warnings, checks) from checkpatch's "total: ..." line."""
    match = _TOTALS.search(output)
    if match is None:
        raise ValueError(f"no checkpatch summary in:\n{output}")
    return int(match[1]), int(match[2]), int(match[3] or 0)


def checkpatch(path: Path) -> tuple[tuple[int, int, int], str]:
    """(errors, warnings, checks) of `checkpatch.pl --strict` on a whole file, and its report."""
    result = run_checkpatch(path)
    return parse_checkpatch_totals(result.stdout), result.stdout + result.stderr


def _uapi_root(header: Path) -> Path | None:
    for folder in header.resolve().parents:
        if folder.name == "uapi" and folder.parent.name == "include":
            return folder
    return None


def _overlay(dst: Path, src: Path) -> None:
    """Link src's entries into dst, merging the folders both have."""
    for entry in src.iterdir():
        link = dst / entry.name
        if entry.is_dir() and link.is_dir():
            if link.is_symlink():
                earlier = link.resolve()
                link.unlink()
                link.mkdir()
                _overlay(link, earlier)
            _overlay(link, entry)
            continue
        link.unlink(missing_ok=True)
        if entry.is_dir():
            link.symlink_to(entry)
        else:
            try:  # a hard link: here symlinks cost about 1 ms each, 0.5 s for linux/
                os.link(entry, link)
            except OSError:  # another filesystem
                link.symlink_to(entry)


def run_headers_check(
    header: Path, uapi_root: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """headers_check.pl as `make headers` runs it: `headers_check.pl <installed headers> <arch>
    <header>`. The installed headers are 6.1's uapi (with asm/ for ARCH) overlaid with
    `uapi_root` (default: the include/uapi folder holding `header`), so a header may include
    its siblings. It fails (exit 1) only on an include of a missing linux/ or asm/ header;
    its other findings (extern declarations, __u32 without <linux/types.h>, <asm/types.h>)
    are only printed, on stderr."""
    overlay = uapi_root or _uapi_root(header)
    roots = [tools_dir() / "uapi-include", *([overlay.resolve()] if overlay else [])]
    with tempfile.TemporaryDirectory(prefix="uapi-include-", dir=tools_dir()) as tmp:
        include = Path(tmp)
        for root in roots:  # later roots win
            _overlay(include, root)
        return _run(
            ["perl", tools_dir() / "usr/include/headers_check.pl", include, ARCH, header.resolve()]
        )


def headers_check(header: Path, uapi_root: Path | None = None) -> str:
    """headers_check.pl's complaints about a uapi header; empty when clean."""
    result = run_headers_check(header, uapi_root)
    complaints = result.stdout + result.stderr
    if result.returncode != 0 and not complaints:
        complaints = f"headers_check.pl exited {result.returncode}"
    return complaints
