"""One side of an ABI comparison: a spec file, or `REV:path` read from git."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..model import Model


def split_revision(arg: str) -> tuple[str, str] | None:
    """`REV:path` -> (REV, path); None when `arg` names a file (an existing path wins)."""
    if Path(arg).exists() or ":" not in arg:
        return None
    rev, _, path = arg.partition(":")
    if not rev or not path:
        raise UsageError(
            f"'{arg}': expected a spec file or REV:path (e.g. origin/main:spec/x.yaml)"
        )
    return rev, path


def git_show(rev: str, path: str) -> bytes:
    """The bytes of `path` at `rev`, as `git show REV:path` prints them (run in the cwd)."""
    try:
        done = subprocess.run(
            ["git", "show", f"{rev}:{path}"],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError(f"cannot read '{rev}:{path}': git is not installed") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else f"git exited with {done.returncode}"
        detail = detail.removeprefix("fatal: ")
        raise UsageError(f"cannot read '{rev}:{path}' from git: {detail}")
    return done.stdout


def load_side(arg: str) -> Model:
    """The model of one side; UsageError for an unreadable side, SpecError for a bad spec."""
    from ..pipeline import load, load_bytes

    revision = split_revision(arg)
    if revision is None:
        return load(arg)
    return load_bytes(arg, git_show(*revision))
