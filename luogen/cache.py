"""A per-user cache that lets `generate --check` answer without parsing anything.

An entry is keyed by everything an output depends on: luogen's own code and templates, the
jinja2 and PyYAML it runs with, the spec's bytes, the targets and the output folder. It records
the hash of every output the last full run found current. When the key matches and every output
still has its recorded hash, the outputs are current; anything else (a hand edit, a new luogen
or library, a changed spec) takes the full path.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from functools import cache

from . import __version__, bundle

# Paths are strings here: the fast path imports neither pathlib nor anything else it can avoid.


def folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "luogen")


def _tree(folder: str, into: list[str]) -> None:
    """Each file below `folder` (following links, skipping bytecode) as "path size mtime"."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                if entry.name != "__pycache__":
                    _tree(entry.path, into)
            else:
                stat = entry.stat()
                into.append(f"{entry.path} {stat.st_size} {stat.st_mtime_ns}")


@cache
def _code_hash() -> str:
    """The identity of luogen's own modules, schema, runtime files and templates: what turns a
    spec into outputs. Their sizes and modification times stand for their bytes, so that the
    fast path reads no file of luogen's (an install or an edit changes them). An installed wheel
    has its modules' bundle (bundle.py), which every install writes afresh with the rest: the
    bundle's alone stand for them all, one file to ask about instead of some 200."""
    files: list[str] = []
    if bundle.INSTALLED is not None:
        files.append(_identity(bundle.INSTALLED.path))
    else:
        _tree(os.path.dirname(os.path.realpath(__file__)), files)
    files += _libraries()
    return hashlib.sha256("\n".join([__version__, *sorted(files)]).encode()).hexdigest()


def _identity(path: str) -> str:
    stat = os.stat(path)
    return f"{path} {stat.st_size} {stat.st_mtime_ns}"


def _libraries() -> list[str]:
    """What renders and reads for luogen, jinja2 and PyYAML, as "path size mtime" of the
    `__init__.py` an import would find first: upgrading either rewrites it."""
    found = []
    for package in ("jinja2", "yaml"):
        for entry in sys.path:
            try:
                stat = os.stat(os.path.join(entry or ".", package, "__init__.py"))
            except OSError:
                continue
            found.append(f"{entry} {package} {stat.st_size} {stat.st_mtime_ns}")
            break
    return found


def _read(path: str | os.PathLike[str]) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _key(
    spec: str | os.PathLike[str], targets: tuple[str, ...], output: str | os.PathLike[str]
) -> str:
    digest = hashlib.sha256(_code_hash().encode())
    digest.update(os.path.realpath(spec).encode() + b"\0" + _read(spec))
    digest.update(("\0".join(targets) + "\0" + os.path.realpath(output)).encode())
    return digest.hexdigest()


def _hash_file(path: str | os.PathLike[str]) -> str | None:
    try:
        return hashlib.sha256(_read(path)).hexdigest()
    except OSError:
        return None


def _entry_path(key: str) -> str:
    return os.path.join(folder(), "check", key[:2], f"{key}.json")


def current_messages(
    spec: str | os.PathLike[str], targets: tuple[str, ...], output: str | os.PathLike[str]
) -> list[str] | None:
    """The warnings of the spec if a full run already found exactly these outputs current;
    None when that is not known."""
    try:
        entry = json.loads(_read(_entry_path(_key(spec, targets, output))))
        outputs, messages = entry["outputs"], entry["messages"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not outputs or any(_hash_file(p) != h for p, h in outputs.items()):
        return None
    return list(messages)


def remember(
    spec: str | os.PathLike[str],
    targets: tuple[str, ...],
    output: str | os.PathLike[str],
    outputs: Sequence[str | os.PathLike[str]],
    messages: list[str],
) -> None:
    """Record that `outputs` are the current outputs of `spec` (best effort: never fails)."""
    with contextlib.suppress(OSError):
        entry = _entry_path(_key(spec, targets, output))
        os.makedirs(os.path.dirname(entry), exist_ok=True)
        recorded = {"outputs": {str(p): _hash_file(p) for p in outputs}, "messages": messages}
        tmp = f"{entry}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(recorded, sort_keys=True))
        os.replace(tmp, entry)
