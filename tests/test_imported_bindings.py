"""Real classic headers, end to end: `luogen import` reads six of the machine's installed uapi
headers (linux-libc-dev), and the Rust and Python bindings of the specs it writes build and
check as the flagships' do: rustfmt, std and no_std builds, clippy -D warnings and the crates'
own tests; import, mypy --strict and ruff for the packages. The crates' layouts on the host are
checked against the model like every crate's (test_rust.py does it for the golden cases).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from strict_ci import missing
from test_python_bindings import check_package
from test_rust import CARGO, _cargo

from luogen.cli import main
from luogen.model.arch import HOST_REFERENCE
from luogen.pipeline import load
from luogen.verify import clang as vclang

HEADERS = [
    "linux/uinput.h", "linux/userfaultfd.h", "linux/rtc.h", "linux/watchdog.h", "linux/vfio.h",
    "drm/drm.h",
]  # fmt: skip
# Where luogen import reads them: amd64's uapi headers (the cross package, or the host's).
INCLUDES = vclang.system_includes(HOST_REFERENCE) or ()
FOUND = all(any((folder / h).is_file() for folder in INCLUDES) for h in HEADERS)

pytestmark = [
    pytest.mark.skipif(CARGO is None, reason=missing("cargo", "https://rustup.rs")),
    pytest.mark.skipif(not FOUND, reason=missing(vclang.package(HOST_REFERENCE))),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The specs of the headers, and their bindings below `out/` (one cargo workspace)."""
    root = tmp_path_factory.mktemp("imported")
    assert main(["import", "-o", str(root / "specs"), *HEADERS]) == 0
    specs = sorted(str(p) for p in (root / "specs").glob("*.yaml"))
    assert len(specs) == len(HEADERS)
    for spec in specs:
        assert {"rust", "python"} <= set(load(spec).targets)  # import asks for the bindings
    out = root / "out"
    # The banners name the specs as given: relative, to stay within ruff's 100 columns.
    here = Path.cwd()
    os.chdir(root)
    try:
        relative = [str(Path(spec).relative_to(root)) for spec in specs]
        assert main(["generate", "-t", "rust", "-t", "python", "-o", "out", *relative]) == 0
    finally:
        os.chdir(here)
    members = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("*/rust/Cargo.toml"))
    (out / "Cargo.toml").write_text(
        '[workspace]\nresolver = "2"\nmembers = [' + ", ".join(f'"{m}"' for m in members) + "]\n"
    )
    return out


def test_the_crates_are_rustfmt_clean_build_and_pass_clippy_and_their_tests(
    imported: Path,
) -> None:
    _cargo(imported, "imported fmt", "fmt", "--all", "--check")
    _cargo(imported, "imported build no_std", "build", "--workspace", "--lib",
           "--no-default-features")  # fmt: skip
    clippy = ("clippy", "--workspace", "--all-targets", "--", "-D", "warnings")
    _cargo(imported, "imported clippy", *clippy)
    assert "test result: ok" in _cargo(imported, "imported test", "test", "--workspace")


@pytest.mark.parametrize("header", HEADERS)
def test_the_package_imports_and_is_clean_under_mypy_strict_and_ruff(
    imported: Path, header: str
) -> None:
    name = header.removesuffix(".h").replace("/", "_").removeprefix("linux_")
    check_package(imported / name / "python", f"{name}_uapi")
