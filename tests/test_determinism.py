"""Output is byte-for-byte deterministic: whatever the hash seed, however the specs are named, and
equal to what is committed under generated/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(
    p.relative_to(ROOT).as_posix()
    for g in ("spec/*.yaml", "spec/imported/*.yaml")
    for p in ROOT.glob(g)
)


def _luogen(args: list[str], seed: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """`python -m luogen ARGS` in a fresh interpreter, from the repository root, with its own
    hash seed and an empty cache (so nothing is answered from an earlier run)."""
    env = {**os.environ, "PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "luogen", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def test_hash_seed_and_spec_spelling_change_nothing_and_match_generated(tmp_path: Path) -> None:
    assert len(SPECS) >= 2
    relative = _luogen(["generate", *SPECS, "-o", str(tmp_path / "a")], "1", tmp_path / "ca")
    assert relative.returncode == 0, relative.stderr
    absolute = [str(ROOT / spec) for spec in reversed(SPECS)]  # absolute, in another order
    spelled = _luogen(["generate", *absolute, "-o", str(tmp_path / "b")], "2", tmp_path / "cb")
    assert spelled.returncode == 0, spelled.stderr
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first, "nothing was generated"
    assert first == second
    assert first == _tree(ROOT / "generated")


def test_generate_check_agrees_that_generated_is_current(tmp_path: Path) -> None:
    check = _luogen(["generate", "--check", *SPECS], "3", tmp_path / "cache")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == ""
