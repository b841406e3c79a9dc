"""Output is byte-for-byte deterministic: whatever the hash seed, and equal to what is committed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("spec/*.yaml"))


def _generate(out: Path, seed: str, cache: Path) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(cache)}
    subprocess.run(
        [sys.executable, "-m", "luogen", "generate", *SPECS, "-o", str(out)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_hash_seed_changes_nothing_and_matches_the_committed_tree(tmp_path: Path) -> None:
    first = _generate(tmp_path / "a", "1", tmp_path / "cache-a")
    second = _generate(tmp_path / "b", "2", tmp_path / "cache-b")
    assert first == second
    committed = {
        p.relative_to(ROOT / "generated").as_posix(): p.read_bytes()
        for p in (ROOT / "generated").rglob("*")
        if p.is_file()
    }
    assert first == committed
