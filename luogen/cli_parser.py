"""The `luogen` command line's parser: built per run for the subcommand given (building every
subcommand's help costs more than a check of current outputs takes)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

from . import __version__
from .cli import (
    DEFAULT_OUTPUT,
    cmd_abi_diff,
    cmd_check,
    cmd_generate,
    cmd_import,
    cmd_layout,
    cmd_schema,
)

# A string: argparse's class cannot be subscripted at run time.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `command`, that subcommand's alone (building the help
    text of every subcommand costs a run more than a check of current outputs takes)."""
    top = argparse.ArgumentParser(
        prog="luogen",
        description="Generate Linux ioctl uapi headers and what goes with them from a YAML spec.",
    )
    top.add_argument("--version", action="version", version=f"luogen {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, add in COMMANDS.items():
        if command is None or name == command:
            add(sub)
    return top


def _add_check(sub: Subparsers) -> None:
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


def _add_generate(sub: Subparsers) -> None:
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


def _add_schema(sub: Subparsers) -> None:
    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of specs",
        description=(
            "Print the JSON Schema of the spec language, e.g. for editors through a "
            "'# yaml-language-server: $schema=...' modeline."
        ),
    )
    schema.set_defaults(func=cmd_schema)


def _add_layout(sub: Subparsers) -> None:
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


def _add_import(sub: Subparsers) -> None:
    command = sub.add_parser(
        "import",
        help="write specs of existing uapi headers",
        description=(
            "Read real uapi headers with libclang and write a spec of each (DIR/<name>.yaml): "
            "its ioctl macros as classic commands, their argument structs, its constants and "
            "enums. What a spec cannot say is reported as 'header:line:col: warning:' and left "
            "out. What a header cannot say of a command's argument, DIR/hints/<name>.yaml says "
            "(an 'argument', 'by-value', each with its 'why'). Exit 0: every header read; 1: a "
            "header unreadable or a hint that does not fit it (or --check: a spec stale); "
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


def _add_abi_diff(sub: Subparsers) -> None:
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


COMMANDS: dict[str, Callable[[Subparsers], None]] = {
    "check": _add_check,
    "generate": _add_generate,
    "schema": _add_schema,
    "abi-diff": _add_abi_diff,
    "layout": _add_layout,
    "import": _add_import,
}
