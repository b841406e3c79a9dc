"""The `luogen` command line."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import LuogenError, UsageError

if TYPE_CHECKING:
    from .model import Model

DEFAULT_OUTPUT = "generated"


def _counted(count: int, what: str) -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"


def check_summary(model: Model) -> str:
    """The line `luogen check` prints for a spec that passes."""
    ranges, commands = len(model.ranges), len(model.commands)
    counts = [_counted(ranges, "range"), _counted(commands, "command")]
    return f"{model.path}: ok: {', '.join(counts)}, {_counted(len(model.warnings), 'warning')}"


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import load_all

    def passed(model: Model) -> None:
        if not (args.warnings_as_errors and model.warnings):
            print(check_summary(model), file=sys.stderr)

    models = load_all(args.specs, loaded=passed)
    if models is None or (args.warnings_as_errors and any(m.warnings for m in models)):
        return 1
    return 0


def _checked_before(specs: Sequence[str], targets: tuple[str, ...], root: Path) -> bool:
    """True when every spec's outputs are known current (printing its warnings again)."""
    from . import cache

    known = [cache.current_messages(Path(s), targets, root) for s in specs]
    if any(messages is None for messages in known):
        return False
    for messages in known:
        for message in messages or ():
            print(message, file=sys.stderr)
    return True


def cmd_generate(args: argparse.Namespace) -> int:
    # The fast path of --check knows the targets asked for by their names ("" for all of them),
    # without importing the targets' code.
    asked = tuple(args.target or ())
    if asked:
        _known_targets(asked)
    root = Path(args.output)
    if args.check and _checked_before(args.specs, asked, root):
        return 0

    from . import cache
    from .targets import TARGETS

    targets = asked or tuple(TARGETS)
    from .pipeline import load_all, outputs
    from .writer import Transaction, changes

    models = load_all(args.specs)
    if models is None:
        return 1
    owned: dict[str, list[Path]] = {}
    changed: list[Path] = []
    with Transaction() as transaction:
        # One spec at a time: its outputs are compared and staged, then let go.
        for model in models:
            # Without -t, what the spec's `targets:` names (all targets when it names none).
            chosen = targets if args.target else (model.targets or targets)
            written = outputs(model, chosen, root)
            owned[model.path] = list(written)
            for change in changes(written):
                changed.append(change.path)
                if args.check:
                    sys.stdout.write(change.diff() or f"{change.path}: unreadable\n")
                else:
                    transaction.stage(change)
        total = sum(len(paths) for paths in owned.values())
        if args.check and changed:
            print(
                f"luogen: {len(changed)} of {total} outputs are stale; "
                "run 'luogen generate' to update them",
                file=sys.stderr,
            )
            return 1
        transaction.commit()
    for path in changed:
        print(f"wrote {path}")
    if not args.check:
        print(f"luogen: {len(changed)} written, {total - len(changed)} unchanged", file=sys.stderr)
    for model in models:
        messages = [str(w) for w in model.warnings]
        cache.remember(Path(model.path), asked, root, owned[model.path], messages)
    return 0


def _known_targets(names: tuple[str, ...]) -> None:
    from .targets import TARGETS

    for name in names:
        if name not in TARGETS:
            raise UsageError(f"unknown target '{name}'; choose from: {', '.join(TARGETS)}")


def cmd_schema(args: argparse.Namespace) -> int:
    from importlib import resources

    sys.stdout.write(resources.files("luogen").joinpath("schema.json").read_text(encoding="utf-8"))
    return 0


def cmd_abi_diff(args: argparse.Namespace) -> int:
    from . import abi

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


def _add_abi_diff(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    abi_diff = sub.add_parser(
        "abi-diff",
        help="classify the ABI changes between two specs",
        description=(
            "Compare two specs' models and classify every change as breaking or compatible. "
            "Each side is a spec file or REV:path read with 'git show'. Exit 0: nothing breaks; "
            "1: something breaks; 2: usage or spec error."
        ),
        usage="%(prog)s [-h] [--json] OLD NEW\n       %(prog)s --list-codes",
    )
    abi_diff.add_argument("old", metavar="OLD", nargs="?", help="the old spec: a file or REV:path")
    abi_diff.add_argument("new", metavar="NEW", nargs="?", help="the new spec: a file or REV:path")
    abi_diff.add_argument("--json", action="store_true", help="print the stable JSON report")
    abi_diff.add_argument(
        "--list-codes",
        action="store_true",
        help="print every finding code with its kind, scope and meaning, and exit",
    )
    abi_diff.set_defaults(func=cmd_abi_diff, usage_error=abi_diff.error)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="luogen",
        description="Generate Linux ioctl uapi headers and what goes with them from a YAML spec.",
    )
    top.add_argument("--version", action="version", version=f"luogen {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_check, _add_generate, _add_schema, _add_abi_diff, _add_layout, _add_import):
        add(sub)
    return top


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = sub.add_parser(
        "check",
        help="validate and lint specs",
        description=(
            "Validate specs against the schema and the ABI rules; print errors and style warnings."
        ),
    )
    check.add_argument("specs", nargs="+", metavar="SPEC", help="spec files (YAML)")
    check.add_argument(
        "--warnings-as-errors", "-W", action="store_true", help="exit 1 on style warnings too"
    )
    check.set_defaults(func=cmd_check)


class _GenerateHelp(argparse.HelpFormatter):
    """Names the targets in `generate --help` only: building the parser imports none of them."""

    def _expand_help(self, action: argparse.Action) -> str:
        text = super()._expand_help(action)
        if action.dest != "target":
            return text
        from .targets import TARGETS

        return f"{text} (default: all of {', '.join(TARGETS)})"


def _add_generate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    generate = sub.add_parser(
        "generate",
        formatter_class=_GenerateHelp,
        help="render outputs from specs",
        description=(
            "Render every output of the chosen targets. Files are written atomically and only when "
            "their content changes."
        ),
    )
    generate.add_argument("specs", nargs="+", metavar="SPEC", help="spec files (YAML)")
    generate.add_argument(
        "-o",
        "--output",
        default=DEFAULT_OUTPUT,
        metavar="DIR",
        help=f"output folder; each spec gets DIR/<name>/ (default: {DEFAULT_OUTPUT})",
    )
    generate.add_argument(
        "-t",
        "--target",
        action="append",
        metavar="TARGET",
        help="a target to render, repeatable",
    )
    generate.add_argument(
        "--check",
        action="store_true",
        help=("write nothing; exit 1 with a unified diff if any output is missing or stale"),
    )
    generate.set_defaults(func=cmd_generate)


def _add_schema(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of specs",
        description=(
            "Print the JSON Schema of the spec language, e.g. for editors through a "
            "'# yaml-language-server: $schema=...' modeline."
        ),
    )
    schema.set_defaults(func=cmd_schema)


def _add_layout(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    layout = sub.add_parser(
        "layout",
        help="print struct layouts and ioctl numbers; verify them with libclang",
        description=(
            "Print every struct as the model lays it out (pahole-like) and every ioctl number per "
            "encoding, then check them against libclang's reading of the generated header on "
            "each architecture, with that architecture's uapi headers (/usr/<triplet>/include, "
            "Debian's linux-libc-dev-<arch>-cross). Exit 0: all agree; 1: a mismatch or spec "
            "error; 2: headers or libclang missing."
        ),
    )
    layout.add_argument("specs", nargs="+", metavar="SPEC", help="spec files (YAML)")
    layout.add_argument(
        "--arch", action="append", metavar="NAME", help="an architecture to check, repeatable"
    )
    layout.add_argument("--no-verify", action="store_true", help="print the tables only")
    layout.add_argument(
        "--headers",
        metavar="DIR",
        help="check the headers in this 'luogen generate' output folder (default: render afresh)",
    )
    layout.set_defaults(func=cmd_layout)


def _architecture(name: str) -> str:
    """An --arch value, checked only when given: the model is not imported to build the parser
    (the `generate --check` fast path never needs it)."""
    from .model.arch import ARCH_BY_NAME

    if name not in ARCH_BY_NAME:
        raise argparse.ArgumentTypeError(
            f"unknown architecture '{name}'; choose one of: {', '.join(sorted(ARCH_BY_NAME))}"
        )
    return name


def _add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser(
        "import",
        help="write specs of existing uapi headers",
        description=(
            "Read real uapi headers with libclang and write a spec of each (DIR/<name>.yaml): "
            "its ioctl macros as classic commands, their argument structs, its constants and "
            "enums. What a spec cannot say is reported as 'header:line:col: warning:' and left "
            "out. Exit 0: every header read; 1: a header unreadable (or --check: a spec stale); "
            "2: libclang or the uapi headers missing."
        ),
    )
    command.add_argument(
        "headers", nargs="+", metavar="HEADER", help="as #include names them (linux/loop.h)"
    )
    command.add_argument(
        "-o", "--output", default="spec/imported", metavar="DIR", help="where the specs go"
    )
    command.add_argument(
        "-I", "--include", action="append", default=[], metavar="DIR",
        help="a directory searched first, e.g. a kernel tree's include/uapi (repeatable)",
    )  # fmt: skip
    command.add_argument(
        "--arch", default="amd64", type=_architecture, help="read for this architecture (amd64)"
    )
    command.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 with a diff if a spec is stale"
    )
    command.set_defaults(func=cmd_import)


def main(argv: Sequence[str] | None = None) -> int:
    # luogen allocates many small objects and frees them all at exit: the cyclic collector's
    # frequent passes over them are pure cost (they made a 5,000-command run superlinear).
    gc.set_threshold(50_000, 20, 1000)
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except LuogenError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
