"""`luogen import HEADER... [-o DIR] [-I DIR] [--arch NAME] [--check]`.

Exit status: 0 when every header was read (what a spec cannot say is a warning, not a failure);
1 when a header cannot be read, or with --check when a spec is missing or stale; 2 when libclang
or the architecture's uapi headers are missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..verify.clang import VerifyUnavailable


def run(args: argparse.Namespace) -> int:
    from ..cheader.preludes import read_one
    from ..cheader.reader import Session
    from ..writer import changes, commit
    from . import hints, import_header, installed_arches, spec_name
    from .yaml_out import dump

    try:
        session = Session(args.arch, args.include)
    except VerifyUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    out, failed, pending = Path(args.output), False, []
    for name in args.headers:
        header = _include_name(session, name)
        facts = read_one(session, header)
        for warning in facts.warnings:
            print(warning, file=sys.stderr)
        source = session.chain.locate(header)
        if not facts.readable or source is None:
            print(f"luogen: {header}: cannot be read; no spec written", file=sys.stderr)
            failed = True
            continue
        installed = str(source).startswith(session.chain.uapi + "/")
        arches = installed_arches(header) if installed and args.arch == "amd64" else None
        hinted = hints.read(hints.path_for(out, spec_name(header)), header)
        result = import_header(facts, source.read_text(encoding="latin-1"), arches, hinted)
        for message in result.warnings:
            print(message, file=sys.stderr)
        if not result.spec.get("ranges"):
            print(f"luogen: {header}: no ioctl command a spec can say; no spec written",
                  file=sys.stderr)  # fmt: skip
            continue
        path = out / f"{result.spec['name']}.yaml"
        pending += changes({path: dump(result.spec, header, result.hinted)})
        total = len(facts.commands) + len(facts.families) + len(result.literals)
        print(f"{header}: {result.commands} of {total} ioctl commands -> {path}", file=sys.stderr)
    if args.check:
        for change in pending:
            sys.stdout.write(change.diff())
        return 1 if pending or failed else 0
    commit(pending)
    return 1 if failed else 0


def _include_name(session: object, name: str) -> str:
    """`name` as an #include names it: given so, or a file below one of the include dirs."""
    path = Path(name)
    if not path.is_file():
        return name
    relative: str = session.chain.relative(str(path.resolve()))  # type: ignore[attr-defined]
    if relative == str(path.resolve()):
        raise UsageError(f"{name}: not below any include directory; add its root with -I")
    return relative
