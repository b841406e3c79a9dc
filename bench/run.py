"""luogen's benchmarks: ratios against bindgen run in the same session, and scaling.

    .venv/bin/python bench/run.py [--reps N] [--out bench/results.md]

Needs Debian's `bindgen` and `libclang1-14` (the script says so when they are missing). Every
figure is the median of interleaved repetitions; ratios compare runs made minutes apart at most.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_specs

ROOT = Path(__file__).resolve().parent.parent
LUOGEN = [sys.executable, "-m", "luogen"]  # replaced by an installed wheel's command in main()
SPEC = "spec/liveupdate.yaml"
CPU_TIMES: list[float] = []  # of every timed() run, in order
HEADER = "generated/liveupdate/include/uapi/linux/liveupdate.h"


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in KiB of one run (which must succeed); its
    CPU time (user + system) is appended to CPU_TIMES."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    CPU_TIMES.append(usage.ru_utime + usage.ru_stime)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{process.stderr.read().decode()}")  # type: ignore[union-attr]
    return elapsed, usage.ru_maxrss


def bindgen_env() -> dict[str, str]:
    if shutil.which("bindgen") is None:
        raise SystemExit("bench: install Debian's bindgen: apt-get install bindgen libclang1-14")
    found = sorted(glob.glob("/usr/lib/llvm-*/lib/libclang.so.1"))
    if not found:
        raise SystemExit("bench: install Debian's libclang: apt-get install libclang1-14")
    return {**os.environ, "LIBCLANG_PATH": str(Path(found[-1]).parent)}


def compare(reps: int) -> list[str]:
    env = bindgen_env()
    work = Path(tempfile.mkdtemp(prefix="luogen-bench-"))
    bindgen = ["bindgen", HEADER, "-o", str(work / "bindings.rs")]
    timed(bindgen, env)  # load libclang into the page cache
    runs: dict[str, list[tuple[float, float]]] = {"ref": [], "first": [], "cold": [], "check": []}
    warm_cache = {**os.environ, "XDG_CACHE_HOME": str(work / "warm-cache")}
    timed([*LUOGEN, "generate", SPEC, "-o", str(work / "prime")], warm_cache)

    def run(name: str, argv: list[str], run_env: dict[str, str]) -> None:
        wall = timed(argv, run_env)[0]
        runs[name].append((wall, CPU_TIMES[-1]))

    for rep in range(reps):
        run("ref", bindgen, env)
        empty_cache = {**os.environ, "XDG_CACHE_HOME": str(work / f"cache{rep}")}
        run("first", [*LUOGEN, "generate", SPEC, "-o", str(work / f"f{rep}")], empty_cache)
        run("cold", [*LUOGEN, "generate", SPEC, "-o", str(work / f"c{rep}")], warm_cache)
        run("check", [*LUOGEN, "generate", "--check", SPEC, "-o", str(work / "prime")], warm_cache)
    shutil.rmtree(work)
    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in runs.items()}
    names = {
        "ref": "bindgen on the generated header (baseline)",
        "first": "luogen generate, all targets, first run (empty cache)",
        "cold": "luogen generate, all targets (a new process, cache warm)",
        "check": "luogen generate --check, nothing changed",
    }
    lines = [
        f"### {SPEC} against bindgen ({reps} interleaved runs, medians)",
        "",
        "| run | wall s | ratio | CPU s | CPU ratio |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {names[n]} | {wall[n]:.3f} | {wall[n] / wall['ref']:.2f}x | {cpu[n]:.3f} | "
        f"{cpu[n] / cpu['ref']:.2f}x |"
        for n in names
    ]
    return lines


def scaling(sizes: list[int], reps: int) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="luogen-scale-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    points: list[tuple[int, float, int]] = []
    for size in sizes:
        specs = [str(p) for p in write_specs(work / f"spec{size}", size)]
        runs = [
            timed([*LUOGEN, "generate", *specs, "-o", str(work / f"out{size}-{r}")], env)
            for r in range(reps)
        ]
        points.append((size, statistics.median(t for t, _ in runs), max(m for _, m in runs)))
    shutil.rmtree(work)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    slope, intercept = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    r2 = 1 - sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True)) / sum(
        (y - mean) ** 2 for y in ys
    )
    lines = [
        f"### Scaling: commands of 8 members, all targets ({reps} runs each, medians)",
        "",
        "| commands | specs | seconds | peak memory (MiB) |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n} | {-(-n // 250)} | {t:.3f} | {m / 1024:.0f} |" for n, t, m in points]
    lines += [
        "",
        f"Linear fit: t = {intercept:.3f} s + {slope * 1000:.3f} ms x commands (R^2 = {r2:.4f}).",
    ]
    return lines


def install_wheel(folder: Path) -> list[str]:
    """luogen as users get it: a regular (not editable) install in a fresh virtualenv, whose
    console script starts without the editable finder's import hook."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    # The clang extra: `luogen layout` is benchmarked too.
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "-q", f"{ROOT}[clang]"]
    subprocess.run(pip, check=True, stdout=subprocess.DEVNULL)
    return [str(folder / "bin" / "luogen")]


def layout_check(commands: int, reps: int) -> list[str]:
    """`luogen layout`: libclang on every architecture's real uapi headers (needs them
    installed: tests/tools/install-cross-headers.sh)."""
    work = Path(tempfile.mkdtemp(prefix="luogen-layout-"))
    specs = [str(p) for p in write_specs(work / "specs", commands)]
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    runs = [timed([*LUOGEN, "layout", *specs], env)[0] for _ in range(reps)]
    shutil.rmtree(work)
    return [
        f"### Layout check: {commands} structs on 16 architectures ({reps} runs, median)",
        "",
        f"`luogen layout` over {commands} commands: {statistics.median(runs):.2f} s.",
    ]


def main() -> None:
    global LUOGEN
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--sizes", default="10,100,1000,5000")
    parser.add_argument("--out", type=Path, help="also write the report here (Markdown)")
    args = parser.parse_args()
    venv = Path(tempfile.mkdtemp(prefix="luogen-bench-venv-"))
    LUOGEN = install_wheel(venv)
    report = [
        "## luogen benchmarks",
        "",
        *compare(args.reps),
        "",
        *scaling([int(s) for s in args.sizes.split(",")], max(3, args.reps // 3)),
        "",
        *layout_check(1000, 3),
    ]
    shutil.rmtree(venv)
    text = "\n".join(report) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
