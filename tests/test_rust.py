"""The Rust target: every crate luogen renders (spec/ and the golden specs) passes `cargo fmt
--check`, builds with and without `std`, passes clippy -D warnings and its own tests, lays out
every struct as the model says, and carries the model's ioctl number for each encoding under the
right `cfg`.

All crates are built as one cargo workspace in a temporary folder (the crates themselves are
rendered unchanged), offline, sharing one target folder; the time of each cargo step is printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from cheaders import Header, clang_view, header_cases
from specs import member, with_members
from strict_ci import missing

from luogen import spec
from luogen.cli import main
from luogen.model import ARCHES, Model, build
from luogen.render import render

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted([*(ROOT / "spec").glob("*.yaml"), *(ROOT / "tests" / "golden").glob("*/spec.yaml")])
CARGO = shutil.which("cargo")
TIMINGS: dict[str, float] = {}

pytestmark = pytest.mark.skipif(CARGO is None, reason=missing("cargo", "https://rustup.rs"))


def _model(path: Path) -> Model:
    loaded = spec.read(path)
    spec.validate(loaded)
    return build(loaded)


MODELS = {m.name: m for m in map(_model, SPECS)}
# Doc text that could break out of a doc comment, a string or TOML (as in test_robustness).
HOSTILE = [
    "100% of the {{ model.name }} and {% raw %} survive; %s %d %n too.",
    "Back\\slashes \\n and \\ at the end\\",
    'Quotes \' " ` and <angle> & ampersand; """ triple; @size and &struct refs.',
    "Line one.\nLine two.\n\n- a list?\n1. Or a number. 日本語   ",
]


def hostile_model(index: int) -> Model:
    text = HOSTILE[index]
    data = with_members(member("x", "u32", doc=text), overview=text, title="T " + text[:20])
    data["name"] = f"hostile{index}"
    data["ranges"][0]["commands"][0]["doc"] = text
    data["ranges"][0]["doc"] = text
    loaded = spec.parse("t.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    spec.validate(loaded)
    return build(loaded)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("crates")
    assert main(["generate", "-t", "rust", "-o", str(root), *map(str, SPECS)]) == 0
    for index in range(len(HOSTILE)):
        for rel, text in render(hostile_model(index), ("rust",)).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    members = sorted(p.parent.relative_to(root).as_posix() for p in root.glob("*/rust/Cargo.toml"))
    assert len(members) == len(MODELS) + len(HOSTILE)
    (root / "Cargo.toml").write_text(
        '[workspace]\nresolver = "2"\nmembers = [' + ", ".join(f'"{m}"' for m in members) + "]\n"
    )
    yield root
    total = sum(TIMINGS.values())
    print("\ncargo timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in TIMINGS.items()))
    print(f"cargo total: {total:.1f}s")


def _cargo(root: Path, step: str, *args: str, target: Path | None = None) -> str:
    env = {
        **os.environ,
        "CARGO_NET_OFFLINE": "true",
        "CARGO_TARGET_DIR": str(target or root / "target"),
        "CARGO_TERM_COLOR": "never",
        "RUSTFLAGS": "",
    }
    start = time.perf_counter()
    result = subprocess.run(
        [str(CARGO), *args], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )
    TIMINGS[step] = TIMINGS.get(step, 0.0) + time.perf_counter() - start
    assert result.returncode == 0, f"cargo {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_rendered_crates_are_rustfmt_clean(workspace: Path) -> None:
    _cargo(workspace, "fmt", "fmt", "--all", "--check")


def test_crates_build_with_std_and_no_std(workspace: Path) -> None:
    _cargo(workspace, "build", "build", "--workspace", "--lib", "--tests")
    # Every crate's example is `layout`: built together, cargo copies them all to one
    # target/debug/examples/layout, and two parallel copies race (one fails to remove the
    # other's file). One crate at a time, as a user builds the one crate they use.
    for manifest in sorted(workspace.glob("*/rust/Cargo.toml")):
        _cargo(workspace, "build", "build", "--manifest-path", str(manifest), "--examples")
    _cargo(workspace, "build no_std", "build", "--workspace", "--lib", "--no-default-features")


def test_clippy_finds_nothing(workspace: Path) -> None:
    _cargo(workspace, "clippy", "clippy", "--workspace", "--all-targets", "--", "-D", "warnings")


@pytest.mark.parametrize("name", ["rust_test", "drivers_rust", "ioas_rust"])
def test_the_e2e_rust_programs_are_clippy_and_rustfmt_clean(tmp_path: Path, name: str) -> None:
    """tests/kmod/rust_test, drivers_rust and ioas_rust use the committed crates as a binding
    author would."""
    program = ROOT / "tests" / "kmod" / name
    _cargo(program, "e2e fmt", "fmt", "--check")
    clippy = ("clippy", "--all-targets", "--", "-D", "warnings")
    _cargo(program, "e2e clippy", *clippy, target=tmp_path)


def test_crates_own_tests_pass(workspace: Path) -> None:
    out = _cargo(workspace, "test", "test", "--workspace")
    assert "test result: ok" in out


@pytest.mark.parametrize("name", sorted(MODELS))
def test_rust_layout_is_the_models(workspace: Path, name: str) -> None:
    model = MODELS[name]
    out = _cargo(workspace, "layout", "run", "-q", "-p", model.rust_crate, "--example", "layout")
    got = dict(line.rsplit(" ", 1) for line in out.splitlines())
    want: dict[str, str] = {}
    for struct in model.all_structs:
        want[f"{struct.name} size"] = str(struct.size)
        want[f"{struct.name} align"] = str(struct.align)
        for field, offset in zip(struct.field_names, struct.offsets, strict=True):
            want[f"{struct.name}.{field} offset"] = str(offset)
    assert got == want


def _selects(cfg: str, target_arch: str) -> bool:
    names = set(re.findall(r'target_arch = "(\w+)"', cfg))
    negated = cfg.startswith("#[cfg(not(")
    return (target_arch in names) != negated


_ENCODING_ARM = re.compile(
    r"#\[cfg\((?P<negated>not\()?any\((?P<arches>[^]]*?)\)\)?\)\]\s*"
    r"pub\(crate\) const ENCODING: usize = (?P<index>\d+);"
)
_IOCTL_CONST = re.compile(
    r"pub const (?P<name>\w+): c_ulong =\s*\[(?P<table>[^]]*)\]\[(?P<index>ENCODING|ARCH)\];"
)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_cfg_arm_selects_the_models_number(name: str) -> None:
    """On every Rust target architecture, the `ENCODING` that the runtime's `cfg` selects picks
    from each ioctl's number table the model's number for that architecture's encoding (read
    from the crate's source)."""
    model = MODELS[name]
    crate = render(model, ("rust",))
    (lib,) = [text for rel, text in crate.items() if rel.endswith("src/lib.rs")]
    (runtime,) = [text for rel, text in crate.items() if rel.endswith("src/runtime.rs")]
    arms = []
    for arm in _ENCODING_ARM.finditer(runtime):
        arches = set(re.findall(r'target_arch = "(\w+)"', arm["arches"]))
        arms.append((bool(arm["negated"]), arches, int(arm["index"])))
    tables = {
        m["name"]: (m["index"], [int(v, 16) for v in m["table"].split(",") if v.strip()])
        for m in _IOCTL_CONST.finditer(lib)
    }
    assert sorted(tables) == sorted(c.ioctl_name for c in model.commands if c.ioctl_name)
    for position, arch in enumerate(ARCHES):
        for rust_arch in arch.rust_arches:
            (column,) = [i for negated, arches, i in arms if (rust_arch in arches) != negated]
            for command in model.commands:
                # a table of every architecture is indexed by the classic runtime's ARCH
                by, values = tables[command.ioctl_name]
                got = values[position if by == "ARCH" else column]
                assert got == command.number_on(arch), (command.ioctl_name, rust_arch)


@pytest.mark.parametrize("header", header_cases(), ids=lambda h: h.name)
def test_rust_layout_is_libclangs(workspace: Path, header: Header) -> None:
    """The crate's structs, as rustc lays them out, against libclang's reading of the C header."""
    out = _cargo(
        workspace, "layout", "run", "-q", "-p", header.model.rust_crate, "--example", "layout"
    )
    got = dict(line.rsplit(" ", 1) for line in out.splitlines())
    structs, _, problems = clang_view(header)
    assert problems == []
    want: dict[str, str] = {}
    for name, seen in structs.items():
        want[f"{name} size"] = str(seen.size)
        want[f"{name} align"] = str(seen.align)
        for field_name, offset in seen.offsets.items():
            want[f"{name}.{field_name} offset"] = str(offset)
    assert got == want
