"""The cache `generate --check` answers from (luogen/cache.py) is never used stale: an entry a
full run recorded stops answering when luogen's version, a template, the spec or an output
changes, and answers again only once a full run has recorded the new state."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from luogen import cache
from luogen.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "uapi" / "header.h.j2"


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A copy of fwctl's spec and its uapi header as a full run recorded them."""
    monkeypatch.chdir(ROOT)
    spec = tmp_path / "fwctl.yaml"
    spec.write_bytes((ROOT / "spec" / "fwctl.yaml").read_bytes())
    out = tmp_path / "out"
    cache._code_hash.cache_clear()
    assert main(["generate", "-t", "uapi", "-o", str(out), str(spec)]) == 0
    assert _answer(spec, out) == []  # current, no warnings
    yield spec, out
    cache._code_hash.cache_clear()


def _answer(spec: Path, out: Path) -> list[str] | None:
    return cache.current_messages(spec, ("uapi",), out)


def test_a_new_luogen_version_is_not_answered(
    recorded: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    cache._code_hash.cache_clear()
    assert _answer(*recorded) is None


def test_a_changed_template_is_not_answered(recorded: tuple[Path, Path]) -> None:
    before = TEMPLATE.stat()
    try:  # an edit, as far as the cache can tell without reading the file: a new mtime
        os.utime(TEMPLATE, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
        cache._code_hash.cache_clear()
        assert _answer(*recorded) is None
    finally:
        os.utime(TEMPLATE, ns=(before.st_atime_ns, before.st_mtime_ns))
    cache._code_hash.cache_clear()
    assert _answer(*recorded) == []


def test_a_changed_spec_is_not_answered_even_same_size_and_time(
    recorded: tuple[Path, Path],
) -> None:
    spec, out = recorded
    before = spec.stat()
    text = spec.read_text()
    assert "0x9A" in text
    spec.write_text(text.replace("0x9A", "0x9B", 1))  # the same size
    os.utime(spec, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _answer(spec, out) is None


def test_an_edited_or_missing_output_is_not_answered(recorded: tuple[Path, Path]) -> None:
    spec, out = recorded
    (header,) = (p for p in out.rglob("*.h"))
    header.write_text(header.read_text() + "\n")
    assert _answer(spec, out) is None
    header.unlink()
    assert _answer(spec, out) is None


def test_another_jinja2_or_pyyaml_is_not_answered(
    recorded: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An upgrade rewrites the package's __init__.py; here another copy found first stands for it.
    spec, out = recorded
    for package in ("jinja2", "yaml"):
        shadow = tmp_path / f"shadow-{package}"
        (shadow / package).mkdir(parents=True)
        (shadow / package / "__init__.py").write_text("# another release\n")
        with monkeypatch.context() as patch:
            patch.syspath_prepend(str(shadow))
            cache._code_hash.cache_clear()
            assert _answer(spec, out) is None, package
        cache._code_hash.cache_clear()
        assert _answer(spec, out) == []
