"""`luogen generate --check` answered from the cache (cache.py) before the command line's parser
or anything else is imported: the check a pre-commit hook runs on every commit.

Only the plain forms are answered here (specs, `--check`, `-o DIR`, `-t TARGET`); any other
word, and any spec whose outputs the cache does not know current, leaves the run to the full
command line, which checks again and says why.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

DEFAULT_OUTPUT = "generated"


def _plain_check(argv: Sequence[str]) -> tuple[list[str], tuple[str, ...], str] | None:
    """(specs, targets asked for, output folder) of a plain `generate --check`, else None."""
    if not argv or argv[0] != "generate" or "--check" not in argv:
        return None
    specs: list[str] = []
    targets: list[str] = []
    output = DEFAULT_OUTPUT
    words = iter(argv[1:])
    for word in words:
        if word == "--check":
            continue
        if word in ("-o", "--output", "-t", "--target"):
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
            if word in ("-o", "--output"):
                output = value
            else:
                targets.append(value)
        elif word.startswith("-") or not word:
            return None
        else:
            specs.append(word)
    return (specs, tuple(targets), output) if specs else None


def answered(argv: Sequence[str]) -> bool:
    """Whether `argv` is a plain `generate --check` whose every spec's outputs are known current:
    then their warnings are printed again, as a full run would."""
    plain = _plain_check(argv)
    if plain is None:
        return False
    from . import cache

    specs, targets, output = plain
    known = [cache.current_messages(spec, targets, output) for spec in specs]
    if any(messages is None for messages in known):
        return False
    for messages in known:
        for message in messages or ():
            print(message, file=sys.stderr)
    return True
