#!/usr/bin/env python3
"""Boot the e2e VM (tests/kmod/run_e2e.py: Debian's kernel under qemu, the LUO and fwctl test
modules) and run bench/ioctl_python.py in it with the host's Python (the host's / shared
read-only over 9p); print ioctls per second through the generated Python bindings vs raw
fcntl.ioctl, and their ratio (target: binding at most 1.5x the raw call's time)::

    python bench/vm_ioctl.py [--seconds 0.2] [--rounds 3] [--target 1.5]

Exit status 0 when the VM run passed (the ratio against the target is reported, not enforced).
Figures come from qemu TCG (or KVM with LUOGEN_E2E_KVM=1): compare the ratio, not the rates.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO_ROOT / "tests" / "kmod"), str(REPO_ROOT / "tests" / "e2e")]

import harness  # noqa: E402
import run_e2e  # noqa: E402

BENCH_RE = re.compile(r"^BENCH (\S+) (.*)$")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--target", type=float, default=1.5)
    parser.add_argument("--timeout", type=float, default=harness.DEFAULT_TIMEOUT)
    args = parser.parse_args(argv)
    script = REPO_ROOT / "bench" / "ioctl_python.py"
    guest_args = ["--seconds", str(args.seconds), "--rounds", str(args.rounds)]
    try:
        result = run_e2e.run(
            programs=(), timeout=args.timeout, guest_scripts=[("ioctl_bench", script, guest_args)]
        )
    except harness.HarnessError as exc:
        print(f"LUOGEN-E2E-PROBLEM {exc}")
        return 1
    print(f"\nPython binding vs raw fcntl.ioctl ({'kvm' if harness.use_kvm() else 'tcg'} guest):")
    found = False
    for line in result.log.splitlines():
        if m := BENCH_RE.match(line):
            found = True
            fields = dict(kv.split("=", 1) for kv in m.group(2).split())
            ratio = float(fields["ratio"])
            verdict = "within" if ratio <= args.target else "OVER"
            print(
                f"  {m.group(1):<11} binding {fields['binding']:>10} ({fields['binding_us']} us)"
                f"  raw {fields['raw']:>10} ({fields['raw_us']} us)"
                f"  ratio {ratio:.2f}x  {verdict} target {args.target}x"
            )
            if "lean" in fields:
                print(
                    f"  {'':<11} lean wrapper {fields['lean']:>10} ({fields['lean_us']} us)"
                    f"  ratio {float(fields['lean_ratio']):.2f}x (a hand-written floor)"
                )
    if not found:
        print("  no BENCH lines in the guest log")
    return 0 if result.ok and found else 1


if __name__ == "__main__":
    sys.exit(main())
