"""The wheel users install carries every module, runtime file, template, the schema and the type
marker; installing it prints no setuptools warning."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_holds_every_template_and_data_file(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("luogen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {
        f"luogen/templates/{p.relative_to(ROOT / 'templates').as_posix()}"
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert templates <= names, sorted(templates - names)
    package = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "luogen").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert package <= names, sorted(package - names)  # modules, runtime files, data
    assert {"luogen/schema.json", "luogen/py.typed", "luogen/cli.py"} <= names
