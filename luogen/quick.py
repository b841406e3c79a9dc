"""The command line's plain forms, read without argparse, and `generate --check` answered from
the cache (cache.py) before anything else is imported: what a pre-commit hook runs on every
commit.

A plain form is `generate` or `check` with specs and the options argparse knows for them, each
spelled whole and apart from its value (`-o DIR`, `-t TARGET`, `--check`, `-W`), the specs side by
side. Any other word (`--output=DIR`, `-h`, `--`, a word starting with `-`, specs split by an
option) leaves the run to argparse, which reads it or says what is wrong; the plain reading is the
one argparse gives (tests/test_cli_quick.py holds them equal). Building argparse's parser and
reading with it cost a `generate` run more than reading, checking and building its model.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

DEFAULT_OUTPUT = "generated"

# Per plain command: its flags and its options with a value, each to its argparse dest.
_FLAGS = {
    "generate": {"--check": "check"},
    "check": {"-W": "warnings_as_errors", "--warnings-as-errors": "warnings_as_errors"},
}
_VALUED = {
    "generate": {"-o": "output", "--output": "output", "-t": "target", "--target": "target"},
    "check": {},
}


class Plain:
    """The arguments of a plain command, with the attributes argparse's namespace has."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.specs: list[str] = []
        self.output = DEFAULT_OUTPUT
        self.target: list[str] | None = None  # argparse's `append`: None when never given
        self.check = False
        self.warnings_as_errors = False


def plain(argv: Sequence[str]) -> Plain | None:
    """The arguments of a plain `generate` or `check`, else None."""
    if not argv or argv[0] not in _FLAGS:
        return None
    args = Plain(argv[0])
    flags, valued = _FLAGS[args.command], _VALUED[args.command]
    words = iter(argv[1:])
    specs_ended = False  # an option came after the specs: argparse refuses any further spec
    for word in words:
        if word in flags:
            setattr(args, flags[word], True)
        elif word in valued:
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
            if valued[word] == "output":
                args.output = value
            else:
                args.target = [*(args.target or ()), value]
        elif word.startswith("-") or not word or specs_ended:
            return None
        else:
            args.specs.append(word)
            continue
        specs_ended = bool(args.specs)
    return args if args.specs else None


def answered(argv: Sequence[str]) -> bool:
    """Whether `argv` is a plain `generate --check` whose every spec's outputs are known current:
    then their warnings are printed again, as a full run would."""
    args = plain(argv)
    if args is None or args.command != "generate" or not args.check:
        return False
    from . import cache

    targets = tuple(args.target or ())
    known = [cache.current_messages(spec, targets, args.output) for spec in args.specs]
    if any(messages is None for messages in known):
        return False
    for messages in known:
        for message in messages or ():
            print(message, file=sys.stderr)
    return True
