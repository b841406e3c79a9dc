"""The round trip of the installed uapi corpus (`make corpus`): every header that defines ioctls
imported, generated and checked on the 16 architectures; the report written to bench/roundtrip.md.

    .venv/bin/python bench/roundtrip.py [--out bench/roundtrip.md] [--jobs 2] [HEADER ...]

Also the benchmark of issue 12: the wall clock of the whole run, which must stay under 2 minutes
on a 2-core machine, is in the report's last table.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from luogen.verify import corpus, report
from luogen.writer import changes, commit


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/roundtrip.md")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("headers", nargs="*", help="default: the whole corpus")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    headers = args.headers or corpus.corpus_headers()
    run = corpus.run(headers, jobs=args.jobs)
    wall = time.perf_counter() - start
    text = report.render(run, len(headers), wall)
    commit(changes({Path(args.out): text}))
    total = len(run.outcomes)
    print(f"{run.exact} of {total} ioctl commands round-tripped exactly "
          f"({100 * run.exact / max(total, 1):.1f}%) in {wall:.1f} s -> {args.out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
