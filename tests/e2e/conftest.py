"""Registers the e2e marker: `pytest -m "not e2e"` leaves out the qemu boots."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: boots Debian's real kernel under qemu")
