"""Every test gets its own luogen cache, so no test sees another's (or the user's) entries; and
the suite's rules on skips and golden overwrites (tests/strict_ci.py) hold for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["strict_ci", "pytester"]


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder
