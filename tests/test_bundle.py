"""bundle: a package with the bundle imports every luogen module from it, with the real source's
file and lines in tracebacks, runs as `python -m luogen`, and a bundle of another version or a
damaged one is ignored."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from luogen import __version__
from luogen.bundle import bundle_name, write_bundle

ROOT = Path(__file__).resolve().parent.parent

# Imports the model, then fails inside luogen/model/names.py; prints how each luogen module was
# loaded.
_PROBE = """
import sys, traceback
import luogen.model, luogen.cli
from luogen.model.names import camel
loaders = {type(m.__loader__).__name__ for n, m in sys.modules.items() if n.startswith("luogen.")}
print(sorted(loaders))
try:
    camel(None)
except TypeError:
    traceback.print_exc()
"""


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the source tree's package, as a wheel installs it, with its bundle."""
    copy = tmp_path / "site" / "luogen"
    shutil.copytree(ROOT / "luogen", copy, ignore=shutil.ignore_patterns("__pycache__"))
    write_bundle(copy, __version__)
    return copy


def _python(package: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package.parent), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(  # -P: not the source tree in the working directory
        [sys.executable, "-P", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_every_module_comes_from_the_bundle_with_its_source_in_tracebacks(package: Path) -> None:
    run = _python(package, "-c", _PROBE)
    loaders, *trace = run.stdout.splitlines() + run.stderr.splitlines()
    # luogen.bundle itself is found on the path, by the package's __init__
    assert loaders == "['Bundle', 'SourceFileLoader']", run.stderr
    names = package / "model" / "names.py"
    at = next(i for i, line in enumerate(trace) if str(names) in line)
    assert trace[at].startswith(f'  File "{names}", line ')
    assert "_UNDERSCORES.split(name)" in trace[at + 1]  # linecache read the installed source


def test_python_m_luogen_runs_from_the_bundle(package: Path) -> None:
    run = _python(package, "-m", "luogen", "--version")
    assert run.returncode == 0 and __version__ in run.stdout, run.stderr


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(None, id="another-version"),
        pytest.param(b"\xff" * 8 + b"not a bundle", id="size-past-the-end"),
        pytest.param(b"\x04\x00\x00\x00\x00\x00\x00\x00\x00junk", id="damaged-index"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_bundle_of_another_version_or_a_damaged_one_is_ignored(
    package: Path, content: bytes | None
) -> None:
    path = package / bundle_name()
    if content is None:
        write_bundle(package, __version__ + ".other")
    else:
        path.write_bytes(content)
    run = _python(package, "-c", _PROBE)
    assert run.stdout.splitlines()[0] == "['SourceFileLoader']", run.stderr


# The identity of luogen's code that keys the cache of `generate --check`, computed without
# walking the package's files.
_CODE_HASH = """
from luogen import cache
def walked(*args):
    raise AssertionError("walked the package's files")
cache._tree = walked
print(cache._code_hash())
"""


def test_the_bundle_stands_for_the_package_in_the_cache_key(package: Path) -> None:
    """Every install writes the bundle afresh with the package's other files: asking about the
    bundle alone is enough to see a reinstall, and spares the fast path some 200 stat calls."""
    first = _python(package, "-c", _CODE_HASH)
    assert first.returncode == 0, first.stderr
    stat = (package / bundle_name()).stat()
    os.utime(package / bundle_name(), ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    again = _python(package, "-c", _CODE_HASH)
    assert again.returncode == 0 and again.stdout != first.stdout, again.stderr
