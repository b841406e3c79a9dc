"""Run the luogen kernel-module tests in a real kernel under qemu, through tests/e2e/harness.py.

Stages tests/kmod/liveupdate and tests/kmod/fwctl with their generated kernel files
(stage.py), then lets the harness build them (W=1, -Werror), build the three static test
programs against the generated uapi headers, boot Debian's kernel and judge the results::

    python tests/kmod/run_e2e.py [-v] [--program NAME ...] [--cflags=-DFUZZ_ITERATIONS=1000]
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

KMOD_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(KMOD_DIR), str(KMOD_DIR.parent / "e2e")]

import harness  # noqa: E402
from stage import stage  # noqa: E402

MODULES = ("liveupdate", "fwctl")
PROGRAMS = ("luo_test", "fwctl_test", "fuzz")


def run(
    programs: tuple[str, ...] = PROGRAMS,
    cflags: tuple[str, ...] = (),
    verbose: bool = False,
    timeout: float = harness.DEFAULT_TIMEOUT,
) -> harness.Result:
    with tempfile.TemporaryDirectory(prefix="luogen-kmod-") as tmp:
        builds = [stage(name, Path(tmp) / name) for name in MODULES]
        return harness.run(
            modules=[b.dir for b in builds],
            programs=[KMOD_DIR / "programs" / f"{p}.c" for p in programs],
            cflags=[*(f"-I{b.uapi_include}" for b in builds), *cflags],
            kcflags=[f"-I{b.include}" for b in builds],
            timeout=timeout,
            verbose=verbose,
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
