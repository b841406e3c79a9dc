"""A per-user cache that lets `generate --check` answer without parsing anything.

An entry is keyed by everything an output depends on: luogen's own code and templates, the spec's
bytes, the targets and the output folder. It records the hash of every output the last full run
found current. When the key matches and every output still has its recorded hash, the outputs
are current; anything else (a hand edit, a new luogen, a changed spec) takes the full path.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache
from pathlib import Path

from . import __version__


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "luogen"


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
    fast path reads no file of luogen's (an install or an edit changes them)."""
    files: list[str] = []
    _tree(os.path.dirname(os.path.realpath(__file__)), files)
    return hashlib.sha256("\n".join([__version__, *sorted(files)]).encode()).hexdigest()


def _key(spec: Path, targets: tuple[str, ...], output: Path) -> str:
    digest = hashlib.sha256(_code_hash().encode())
    digest.update(str(spec.resolve()).encode() + b"\0" + spec.read_bytes())
    digest.update(("\0".join(targets) + "\0" + str(output.resolve())).encode())
    return digest.hexdigest()


def _hash_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _entry_path(key: str) -> Path:
    return folder() / "check" / key[:2] / f"{key}.json"


def current_messages(spec: Path, targets: tuple[str, ...], output: Path) -> list[str] | None:
    """The warnings of the spec if a full run already found exactly these outputs current;
    None when that is not known."""
    try:
        entry = json.loads(_entry_path(_key(spec, targets, output)).read_text())
        outputs, messages = entry["outputs"], entry["messages"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not outputs or any(_hash_file(Path(p)) != h for p, h in outputs.items()):
        return None
    return list(messages)


def remember(
    spec: Path, targets: tuple[str, ...], output: Path, outputs: list[Path], messages: list[str]
) -> None:
    """Record that `outputs` are the current outputs of `spec` (best effort: never fails)."""
    with contextlib.suppress(OSError):
        entry = _entry_path(_key(spec, targets, output))
        entry.parent.mkdir(parents=True, exist_ok=True)
        recorded = {"outputs": {str(p): _hash_file(p) for p in outputs}, "messages": messages}
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(recorded, sort_keys=True))
        os.replace(tmp, entry)
