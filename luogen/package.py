"""Where luogen's own files are: beside its modules, as every install (regular or editable) puts
them. Read through this path rather than importlib.resources, whose import costs a first run
more than everything it reads."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def read(*parts: str) -> str:
    """A file of the package, e.g. read("schema.json")."""
    return FOLDER.joinpath(*parts).read_text(encoding="utf-8")
