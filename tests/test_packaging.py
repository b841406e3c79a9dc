"""The wheel users install carries every module, runtime file, template, the schema and the type
marker, its templates, patterns and modules compiled; installing it prints no setuptools
warning."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from luogen.bundle import bundle_name
from luogen.regex_seeds import seeds_name

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (built,) = folder.glob("luogen-*.whl")
    return built


def test_wheel_holds_every_template_and_data_file(wheel: Path) -> None:
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
    compiled = {n for n in names if n.startswith("luogen/compiled_templates/tmpl_")}
    assert len(compiled) == len([t for t in templates if t.endswith(".j2")])
    assert "luogen/compiled_templates/jinja2-version" in names
    assert f"luogen/{seeds_name()}" in names  # the build's interpreter's compiled patterns
    assert f"luogen/{bundle_name()}" in names  # and its compiled modules


# Run from the installed wheel: it renders the flagships exactly as the source tree does, from
# its compiled templates (the first run compiles none: the bytecode cache stays empty), with
# every luogen module and compiled template from the wheel's bundle and no regular expression
# compiled: the regex seeds hold them all. It prints the patterns it compiled, the modules
# imported otherwise and the templates jinja2's ModuleLoader imported.
_RENDER_INSTALLED = """
import sys
from re import _compiler
compiled = []
original = _compiler.compile
def counting(pattern, flags=0):
    compiled.append(pattern)
    return original(pattern, flags)
_compiler.compile = counting
from luogen.regex_seeds import seed
assert seed() > 40  # as a run does, before it imports PyYAML and jinja2
import jinja2
from luogen.bundle import Bundle
from luogen.render import environment
assert isinstance(environment().loader, jinja2.ChoiceLoader), environment().loader
assert type(environment().loader.loaders[0]).__name__ == "BundledTemplates"
from luogen.cli import main
for spec in sys.argv[2:]:
    assert main(["generate", spec, "-o", sys.argv[1]]) == 0
unbundled = [
    name for name, module in sys.modules.items()
    if name.split(".")[0] == "luogen" and not isinstance(module.__loader__, Bundle)
]
by_module_loader = [name for name in sys.modules if name.startswith("_jinja2_module_templates")]
print(compiled, sorted(unbundled), by_module_loader, file=sys.stderr)
"""

FLAGSHIPS = ("liveupdate", "fwctl", "iommufd")


def test_installed_wheel_renders_from_its_compiled_templates(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), wheel],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(site), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "out"
    specs = [f"spec/{name}.yaml" for name in FLAGSHIPS]
    run = subprocess.run(  # -P: the source tree, the working directory, is not on sys.path
        [sys.executable, "-P", "-c", _RENDER_INSTALLED, str(out), *specs],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    # the package and the finder of the bundle are the only modules found on the path, and no
    # template is loaded by jinja2's ModuleLoader from the folder
    assert run.stderr.splitlines()[-1] == "[] ['luogen', 'luogen.bundle'] []"
    for name in FLAGSHIPS:
        expected = ROOT / "generated" / name
        files = [p.relative_to(expected) for p in expected.rglob("*") if p.is_file()]
        _, mismatch, errors = filecmp.cmpfiles(expected, out / name, files, shallow=False)
        assert files and not mismatch and not errors, (name, mismatch, errors)
    compiled_by_cache = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert not [p for p in compiled_by_cache if "templates-" in str(p)], compiled_by_cache
