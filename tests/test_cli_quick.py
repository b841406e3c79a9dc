"""The command line's plain forms (quick.py), read without argparse, read as argparse reads them:
on every command line of a vocabulary of specs, options, values and near misses, the plain
reading is either none (argparse reads it) or exactly argparse's."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from luogen.cli import cmd_check, cmd_generate
from luogen.cli_parser import parser
from luogen.quick import plain

ROOT = Path(__file__).resolve().parent.parent

WORDS = [
    *("a.yaml", "b.yaml", "generate", "check", "", "-", "-1", "x=y"),
    *("-o", "--output", "-t", "--target", "--check", "-W", "--warnings-as-errors"),
    *("--out", "--output=DIR", "-oDIR", "--", "-h", "--version", "--chec", "-Wo"),
    *("DIR", "uapi", "rust"),
]


def _argparse(argv: list[str]) -> dict[str, object] | None:
    """argparse's reading of `argv` (the attributes a plain reading has), None if it refuses."""
    quiet = io.StringIO()
    try:
        with contextlib.redirect_stderr(quiet), contextlib.redirect_stdout(quiet):
            args = parser(argv[0]).parse_args(argv)
    except SystemExit:
        return None
    return vars(args)


def _lines() -> Iterator[list[str]]:
    for command in ("generate", "check"):
        for length in range(4):
            for rest in itertools.product(WORDS, repeat=length):
                yield [command, *rest]
    chance = random.Random(14)
    for _ in range(4000):
        command = chance.choice(["generate", "check"])
        yield [command, *chance.choices(WORDS, k=chance.randint(4, 9))]


def test_a_plain_reading_is_argparse_s() -> None:
    read = 0
    for argv in _lines():
        quick = plain(argv)
        if quick is None:
            continue
        expected = _argparse(argv)
        assert expected is not None, argv  # argparse would refuse what was read plainly
        got = {key: getattr(quick, key) for key in expected if key not in ("func", "command")}
        assert got == {k: v for k, v in expected.items() if k in got}, argv
        assert expected["func"] is (cmd_generate if argv[0] == "generate" else cmd_check)
        read += 1
    assert read > 2000  # the usual command lines are read plainly


@pytest.mark.parametrize(
    "argv",
    [
        ["generate", "spec/fwctl.yaml", "-o", "out", "-t", "uapi", "-t", "rust", "--check"],
        ["generate", "--check", "-o", "a", "-o", "b", "spec/fwctl.yaml", "spec/x.yaml"],
        ["check", "-W", "spec/fwctl.yaml"],
    ],
)
def test_the_everyday_forms_are_plain(argv: list[str]) -> None:
    assert plain(argv) is not None


def test_a_plain_command_imports_no_argparse(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for argv in (
        ["generate", "-o", str(tmp_path), "spec/fwctl.yaml"],
        ["check", "spec/fwctl.yaml"],
    ):
        run = [sys.executable, "-c", _IMPORTED, *argv]
        result = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "imported:", argv


_IMPORTED = """
import sys
from luogen.cli import main
code = main(sys.argv[1:])
print("imported:", *(m for m in sys.modules if m in ("argparse", "luogen.cli_parser")))
sys.exit(code)
"""
