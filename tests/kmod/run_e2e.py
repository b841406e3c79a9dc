"""Run the luogen kernel-module tests in a real kernel under qemu, through tests/e2e/harness.py.

Stages tests/kmod/liveupdate and tests/kmod/fwctl with their generated kernel files
(stage.py), then lets the harness build them (W=1, -Werror), build the static test programs
against the generated uapi headers, boot Debian's kernel and judge the results::

    python tests/kmod/run_e2e.py [-v] [--program NAME ...] [--cflags=-DFUZZ_ITERATIONS=1000]

The programs: luo_test, fwctl_test and fuzz (C, tests/kmod/programs/); luo_test_m32 and
fwctl_test_m32 (the same C tests built for i386: the compat ioctl path of the 64-bit kernel, with
the same struct layouts); rust_test (the crate
tests/kmod/rust_test/ on the generated Rust bindings, built static and offline with cargo);
drivers_rust (the crate tests/kmod/drivers_rust/: the real drivers of drivers_test, below,
through the Rust bindings imported from their headers);
python_test (tests/kmod/python_test.py on the generated Python bindings, run by the host's own
Python: the guest mounts the host's / read-only over 9p and chroots into it); drivers_test
(tests/kmod/drivers_test.py: real drivers of Debian's kernel, rtc-cmos, softdog, uinput, vgem,
loop and userfaultfd, through the bindings imported from their headers).

The run is compared with tests/kmod/expected-checks.txt: every check the guest reports, and how
many checks each program printed. A run of some programs only (--program) is compared for
theirs.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

KMOD_DIR = Path(__file__).resolve().parent
REPO_ROOT = KMOD_DIR.parents[1]
sys.path[:0] = [str(KMOD_DIR), str(KMOD_DIR.parent / "e2e")]

import harness  # noqa: E402
from stage import Edit, stage  # noqa: E402

MODULES = ("liveupdate", "fwctl")
C_PROGRAMS = ("luo_test", "fwctl_test", "fuzz")
# 32-bit builds of C tests: their ioctls take the kernel's compat path (compat_ptr_ioctl).
COMPAT_PROGRAMS = {
    "luo_test_m32": "luo_test",
    "fwctl_test_m32": "fwctl_test",
    "drivers_c_m32": "drivers_c",
}
# The Python programs: guest script tests/kmod/<name>.py, run by the host's Python.
PYTHON_PROGRAMS = ("python_test", "drivers_test")
# The Rust programs: each the crate tests/kmod/<name>/, built static with cargo.
RUST_PROGRAMS = ("rust_test", "drivers_rust")
# What needs the host's root shared (it also loads the real drivers and gives /dev/shm).
HOST_ROOT_PROGRAMS = ("drivers_c_m32", "drivers_rust", "python_test", "drivers_test")
PROGRAMS = ("luo_test", "fwctl_test", *COMPAT_PROGRAMS, "fuzz", *RUST_PROGRAMS, *PYTHON_PROGRAMS)

RUST_TARGET = "x86_64-unknown-linux-gnu"
CARGO_TARGET_DIR = REPO_ROOT / ".cache" / "cargo-target"
# The imported specs of real drivers that drivers_test drives (spec/imported/).
DRIVER_SPECS = ("rtc", "watchdog", "uinput", "drm_drm", "loop", "fs", "userfaultfd", "input")
PYTHON_PATH = [REPO_ROOT / "generated" / name / "python" for name in (*MODULES, *DRIVER_SPECS)]
# drivers_c's headers: the imported specs' generated uapi headers, before the system's;
# linux/input.h is the system's: uinput.h needs its struct input_absinfo, which the imported
# input.h leaves out (no command of its own takes it).
DRIVER_INCLUDES = [
    f"-I{REPO_ROOT / 'generated' / name / 'include' / 'uapi'}"
    for name in ("rtc", "watchdog", "uinput", "loop", "fs", "userfaultfd")
]
EXPECTED = KMOD_DIR / "expected-checks.txt"
# The host's interpreter itself (not the venv's symlink): the guest runs it with -S (no site:
# ~0.45 s less under TCG); the bindings and the guest scripts need the stdlib only.
HOST_PYTHON = Path(os.path.realpath(sys.executable))


def build_rust(name: str, out_dir: Path) -> Path:
    """cargo build the crate tests/kmod/<name>, static (crt-static, gnu), offline; return the
    binary."""
    crate = KMOD_DIR / name
    env = dict(
        os.environ,
        CARGO_NET_OFFLINE="true",
        CARGO_TARGET_DIR=str(CARGO_TARGET_DIR),
        RUSTFLAGS="-C target-feature=+crt-static",
    )
    cmd = ["cargo", "build", "--release", "--locked", "--quiet", "--target", RUST_TARGET]
    with harness.timed(f"build program {name} (cargo)"):
        try:
            proc = subprocess.run(
                cmd, cwd=crate, env=env, capture_output=True, text=True, check=False
            )
        except FileNotFoundError as exc:
            raise harness.HarnessError(f"{name} needs cargo: {exc}") from exc
    if proc.returncode != 0 or "warning" in proc.stderr:
        raise harness.HarnessError(f"cargo build of {crate} failed:\n{proc.stderr}")
    built = CARGO_TARGET_DIR / RUST_TARGET / "release" / name
    out = out_dir / name
    out.write_bytes(built.read_bytes())
    out.chmod(0o755)
    return out


def build_i386(source: Path, name: str, cflags: Sequence[str], out_dir: Path) -> Path:
    """Build the C program `source` for i386 as out_dir/`name` (Debian's i686 cross gcc, static,
    warnings as errors), with `cflags` (the include flags of its uapi headers, -D...); its
    ioctls take the 64-bit kernel's compat path. Return the binary."""
    harness.ensure_packages()  # the cross compiler among them
    out = out_dir / name
    cmd = ["i686-linux-gnu-gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", *cflags]
    with harness.timed(f"build program {name} (i686-linux-gnu-gcc)"):
        proc = subprocess.run(
            [*cmd, "-o", str(out), str(source)], capture_output=True, text=True, check=False
        )
    if proc.returncode != 0 or "warning" in proc.stderr:
        raise harness.HarnessError(f"i686-linux-gnu-gcc of {source} failed:\n{proc.stderr}")
    return out


def build_compat(name: str, cflags: Sequence[str], out_dir: Path) -> Path:
    """Build COMPAT_PROGRAMS[name] for i386 (build_i386); return it."""
    source = KMOD_DIR / "programs" / f"{COMPAT_PROGRAMS[name]}.c"
    if COMPAT_PROGRAMS[name] == "drivers_c":
        cflags = [*DRIVER_INCLUDES, *cflags]
    return build_i386(source, name, cflags, out_dir)


def guest_python(
    name: str,
    script: Path,
    out_dir: Path,
    args: Sequence[str] = (),
    python_path: Sequence[Path] = PYTHON_PATH,
) -> Path:
    """A guest program `name`: a shell script running `script` with the host's Python, chrooted
    into the host's root (harness share_host_root), the generated packages (`python_path`) on
    PYTHONPATH."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/dev/shm",
        "TMPDIR": "/dev/shm",
        "PYTHONPATH": os.pathsep.join(str(p) for p in python_path),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        "chroot",
        harness.HOST_MOUNT,
        "/usr/bin/env",
        "-i",
        *(f"{k}={v}" for k, v in env.items()),
        str(HOST_PYTHON),
        "-S",
        str(script.resolve()),
        *args,
    ]
    out = out_dir / name
    out.write_text(f"#!/bin/sh\nexec {shlex.join(command)}\n")
    out.chmod(0o755)
    return out


def expected_checks() -> dict[str, int | None]:
    """EXPECTED: each check the guest reports, in order, and for a test program the number of
    checks it prints (None for the guest's own: insmod, rmmod, dmesg, mount)."""
    found: dict[str, int | None] = {}
    for line in EXPECTED.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, count = line.partition(" ")
            found[name] = int(count) if count else None
    return found


def unexpected_checks(result: harness.Result, programs: Sequence[str]) -> list[str]:
    """How the run's checks differ from EXPECTED: all of them when it ran every one of PROGRAMS,
    else only the counts of `programs`."""
    want = expected_checks()
    got = {t.name: result.checks.get(t.name) for t in result.tests}
    if not set(PROGRAMS) <= set(programs):
        want = {name: count for name, count in want.items() if name in programs}
        got = {name: count for name, count in got.items() if name in programs}
    problems = [f"{name}: expected, not reported" for name in want if name not in got]
    problems += [f"{name}: reported, not expected" for name in got if name not in want]
    problems += [
        f"{name}: {got[name]} checks, expected {count}"
        for name, count in want.items()
        if name in got and got[name] != count
    ]
    return [f"{problem} ({EXPECTED.relative_to(REPO_ROOT)})" for problem in problems]


def run(
    programs: tuple[str, ...] = PROGRAMS,
    cflags: tuple[str, ...] = (),
    verbose: bool = False,
    timeout: float = harness.DEFAULT_TIMEOUT,
    guest_scripts: Sequence[tuple[str, Path, Sequence[str]]] = (),
    edits: Sequence[Edit] = (),
) -> harness.Result:
    """Boot once with the modules and `programs` (any of PROGRAMS, run in PROGRAMS' order), then
    each (name, script, args) of guest_scripts, run by the host's Python like python_test. The
    edits change the staged copies of the modules' files (negative controls)."""
    if unknown := {edit.module for edit in edits} - set(MODULES):
        raise harness.HarnessError(f"edits of modules that are not staged: {sorted(unknown)}")
    with tempfile.TemporaryDirectory(prefix="luogen-kmod-") as tmp:
        builds = [stage(name, Path(tmp) / name, edits) for name in MODULES]
        uapi = [*(f"-I{b.uapi_include}" for b in builds), *cflags]
        paths: list[Path] = []
        for program in PROGRAMS:
            if program not in programs:
                continue
            if program in C_PROGRAMS:
                paths.append(KMOD_DIR / "programs" / f"{program}.c")
            elif program in COMPAT_PROGRAMS:
                paths.append(build_compat(program, uapi, Path(tmp)))
            elif program in RUST_PROGRAMS:
                paths.append(build_rust(program, Path(tmp)))
            else:
                paths.append(guest_python(program, KMOD_DIR / f"{program}.py", Path(tmp)))
        for name, script, args in guest_scripts:
            paths.append(guest_python(name, script, Path(tmp), args))
        return harness.run(
            modules=[b.dir for b in builds],
            programs=paths,
            cflags=uapi,
            kcflags=[f"-I{b.include}" for b in builds],
            timeout=timeout,
            verbose=verbose,
            share_host_root=bool(set(HOST_ROOT_PROGRAMS) & set(programs)) or bool(guest_scripts),
            judge=None if guest_scripts else lambda result: unexpected_checks(result, programs),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--program", action="append", choices=PROGRAMS, default=[])
    parser.add_argument("--cflags", action="append", default=[], metavar="FLAGS")
    parser.add_argument("--timeout", type=float, default=harness.DEFAULT_TIMEOUT)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    cflags = tuple(f for chunk in args.cflags for f in shlex.split(chunk))
    try:
        result = run(tuple(args.program) or PROGRAMS, cflags, args.verbose, args.timeout)
    except harness.HarnessError as exc:
        print(f"LUOGEN-E2E-PROBLEM {exc}")
        return 1
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
