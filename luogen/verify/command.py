"""`luogen layout SPEC... [--arch NAME ...] [--no-verify] [--headers DIR]`.

Exit status: 0 when libclang (and, for m68k, alpha and hppa, their own GCC when installed) agrees
with the model everywhere; 1 on a spec error or any mismatch
(every one printed, naming architecture, struct, member, expected and actual); 2 when the check
cannot run (an architecture's headers or libclang missing, an unknown --arch).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..model.arch import ARCH_BY_NAME, ARCHES, Arch
from ..pipeline import load_all
from .clang import VerifyUnavailable, verify
from .table import model_table


def selected_arches(names: list[str] | None) -> list[Arch]:
    if not names:
        return list(ARCHES)
    unknown = [n for n in names if n not in ARCH_BY_NAME]
    if unknown:
        raise VerifyUnavailable(
            f"luogen: unknown architecture {', '.join(unknown)}; choose from: "
            f"{', '.join(ARCH_BY_NAME)}"
        )
    return [ARCH_BY_NAME[n] for n in dict.fromkeys(names)]


def run(args: argparse.Namespace) -> int:
    try:
        arches = selected_arches(args.arch)
    except VerifyUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    models = load_all(args.specs)
    if models is None:
        return 1
    sys.stdout.write("\n".join(model_table(model, arches) for model in models))
    if args.no_verify:
        return 0
    start = time.perf_counter()
    try:
        outcome = verify(models, arches, Path(args.headers) if args.headers else None)
    except VerifyUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    for note in outcome.notes:
        print(f"luogen: note: {note}", file=sys.stderr)
    for problem in outcome.problems:
        print(f"luogen: mismatch: {problem}", file=sys.stderr)
    took = time.perf_counter() - start
    what = (
        f"{outcome.structs} structs and {outcome.commands} ioctl numbers on {len(arches)} "
        f"architectures ({took:.2f} s)"
    )
    if outcome.problems:
        print(f"luogen: {len(outcome.problems)} mismatches in {what}", file=sys.stderr)
        return 1
    print(f"luogen: the compilers agree with the model: {what}", file=sys.stderr)
    return 0
