"""Every test gets its own luogen cache, so no test sees another's (or the user's) entries; and
the suite's rules on skips and golden overwrites (tests/strict_ci.py) hold for every test."""

from __future__ import annotations

import gc
import sys
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


def pytest_sessionfinish() -> None:
    """Free what the test modules cache (libclang sessions among them) while libclang is still
    loaded: its bindings cannot dispose of an index during interpreter exit, and say so on
    stderr once per index."""
    tests = Path(__file__).resolve().parent
    for module in list(sys.modules.values()):
        if not str(getattr(module, "__file__", "") or "").startswith(str(tests)):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    gc.collect()
