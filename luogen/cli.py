"""The `luogen` command line."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from .quick import DEFAULT_OUTPUT, answered, plain

# Imported by the commands that need them: a check answered from the cache imports none (not
# even typing, whose TYPE_CHECKING mypy also reads from this constant).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import NoReturn

    from .model import Model
    from .quick import Plain
    from .writer import Transaction

    Arguments = argparse.Namespace | Plain

__all__ = ["DEFAULT_OUTPUT", "check_summary", "console", "main"]


def _counted(count: int, what: str) -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"


def check_summary(model: Model) -> str:
    """The line `luogen check` prints for a spec that passes."""
    ranges, commands = len(model.ranges), len(model.commands)
    counts = [_counted(ranges, "range"), _counted(commands, "command")]
    return f"{model.path}: ok: {', '.join(counts)}, {_counted(len(model.warnings), 'warning')}"


def cmd_check(args: Arguments) -> int:
    from .pipeline import each
    from .targets import refusals

    failed = False
    for model in each(args.specs):
        if model is None:
            failed = True
            continue
        refused = refusals(model)  # what `generate` without -t would refuse
        for diagnostic in refused:
            print(diagnostic, file=sys.stderr)
        if refused or (args.warnings_as_errors and model.warnings):
            failed = True
            continue
        print(check_summary(model), file=sys.stderr)
        del model
    return 1 if failed else 0


def cmd_generate(args: Arguments) -> int:
    # The targets asked for by name ("" for all): the key of the cache (quick.py) is the same.
    asked = tuple(args.target or ())
    if asked:
        _known_targets(asked)
    from pathlib import Path

    from . import cache
    from .writer import Transaction

    root = Path(args.output)
    with Transaction() as transaction:
        run = _Run(args, root)
        if not run.stage_each(transaction):
            return 1
        total = sum(len(paths) for paths in run.owned.values())
        if args.check and run.changed:
            print(
                f"luogen: {len(run.changed)} of {total} outputs are stale; "
                "run 'luogen generate' to update them",
                file=sys.stderr,
            )
            return 1
        transaction.commit()
    for path in run.changed:
        print(f"wrote {path}")
    if not args.check:
        print(
            f"luogen: {len(run.changed)} written, {total - len(run.changed)} unchanged",
            file=sys.stderr,
        )
    for spec, paths in run.owned.items():
        cache.remember(Path(spec), asked, root, paths, run.messages[spec])
    return 0


class _Run:
    """What one `generate` run owns, changed and was told, spec by spec."""

    def __init__(self, args: Arguments, root: Path) -> None:
        from .targets import TARGETS

        self.args = args
        self.root = root
        self.targets = tuple(args.target or ()) or tuple(TARGETS)
        self.owned: dict[str, list[Path]] = {}
        self.messages: dict[str, list[str]] = {}
        self.changed: list[Path] = []

    def stage_each(self, transaction: Transaction) -> bool:
        """Load, compare and stage (or, with --check, diff) every spec; False if one failed.

        One spec at a time, loaded, compared and staged, then let go: a run over many specs
        holds one model at a time. A spec that fails still lets the rest report their errors;
        nothing staged is committed then. (Not enumerate(): its reused result tuple would hold
        the last model during the next load.)
        """
        from .pipeline import each, outputs
        from .writer import changes

        failed = False
        for model in each(self.args.specs):
            if self.owned:
                # The last model and what rendering cached on it are cyclic garbage that only
                # a full collection frees (main() makes those rare): cheap with one model live.
                gc.collect()
            if model is None or failed:
                failed = True
                continue
            # Without -t, what the spec's `targets:` names (all targets when it names none).
            chosen = self.targets if self.args.target else (model.targets or self.targets)
            written = outputs(model, chosen, self.root)
            self.owned[model.path] = list(written)
            self.messages[model.path] = [str(w) for w in model.warnings]
            for change in changes(written):
                self.changed.append(change.path)
                if self.args.check:
                    sys.stdout.write(change.diff() or f"{change.path}: unreadable\n")
                else:
                    transaction.stage(change)
            del model, written
        return not failed


def _known_targets(names: tuple[str, ...]) -> None:
    from .targets import TARGETS

    for name in names:
        if name not in TARGETS:
            from .errors import UsageError

            raise UsageError(f"unknown target '{name}'; choose from: {', '.join(TARGETS)}")


def cmd_schema(args: argparse.Namespace) -> int:
    from .package import read

    sys.stdout.write(read("schema.json"))
    return 0


def cmd_abi_diff(args: argparse.Namespace) -> int:
    from . import abi
    from .errors import LuogenError

    if args.list_codes:
        sys.stdout.write(abi.code_list())
        return 0
    missing = [name for name, side in (("OLD", args.old), ("NEW", args.new)) if side is None]
    if missing:  # optional only for --list-codes: otherwise argparse's own usage error (exit 2)
        args.usage_error(f"the following arguments are required: {', '.join(missing)}")
    try:
        old, new = abi.load_side(args.old), abi.load_side(args.new)
    except LuogenError as exc:  # an unreadable side or a spec error: usage-level, exit 2
        print(exc, file=sys.stderr)
        return 2
    findings = abi.compare(old, new)
    report = abi.to_json if args.json else abi.human
    sys.stdout.write(report(args.old, args.new, findings))
    return abi.exit_code(findings)


def cmd_import(args: argparse.Namespace) -> int:
    from .importer.command import run  # libclang: only this command and layout need it

    return run(args)


def cmd_layout(args: argparse.Namespace) -> int:
    from .verify.command import run  # libclang and the templates: only this command needs them

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    # luogen allocates many small objects and frees them all at exit: the cyclic collector's
    # frequent passes over them are pure cost (they made a 5,000-command run superlinear).
    gc.set_threshold(50_000, 20, 1000)
    argv = sys.argv[1:] if argv is None else list(argv)
    if answered(argv):
        return 0
    from .regex_seeds import seed

    seed()  # before PyYAML and jinja2 compile their patterns
    args: Arguments | None = plain(argv)
    if args is not None:
        command = cmd_generate if args.command == "generate" else cmd_check
    else:
        from .cli_parser import COMMANDS, parser

        args = parser(argv[0] if argv and argv[0] in COMMANDS else None).parse_args(argv)
        command = args.func
    from .errors import LuogenError

    try:
        code: int = command(args)
    except LuogenError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


def console() -> NoReturn:
    """The `luogen` command and `python -m luogen`: main(), then the process ends at once.

    By then every output is written, synced and closed, and every thread joined; what the
    interpreter's own shutdown would still do (free every module and object one at a time) was a
    fifth of a `generate` run. Under a tracer or profiler (coverage, cProfile), which reports
    from that shutdown, the exit is the ordinary one.
    """
    code = main()
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # e.g. a closed pipe: a failure, as main() answers one mid-run
            code = code or 1
    os._exit(code)


if __name__ == "__main__":
    console()
