"""tests/tools/apt-install.sh, the one helper every install goes through: silent when nothing is
missing; waits for another process's apt lock, then names it; prints apt's output only on
failure. apt-get runs for real, on package lists of its own (APT_CONFIG) so that the machine's
own lists and locks are never touched."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELPER = ROOT / "tests" / "tools" / "apt-install.sh"
NO_SUCH_PACKAGE = "luogen-no-such-package"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="apt-get runs only as root here")


@pytest.fixture
def apt_dirs(tmp_path: Path) -> dict[str, str]:
    """An environment whose apt-get reads no sources and keeps its lists and cache in tmp_path."""
    for folder in ("lists/partial", "cache/archives/partial", "sources.list.d"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "sources.list").write_text("")
    config = tmp_path / "apt.conf"
    config.write_text(
        f'Dir::State::Lists "{tmp_path}/lists/";\n'
        f'Dir::Cache "{tmp_path}/cache/";\n'
        f'Dir::Etc::SourceList "{tmp_path}/sources.list";\n'
        f'Dir::Etc::SourceParts "{tmp_path}/sources.list.d/";\n'
    )
    return {**os.environ, "APT_CONFIG": str(config)}


@pytest.fixture
def held_lists_lock(apt_dirs: dict[str, str]) -> Iterator[int]:
    """The package lists lock, held by this process with an fcntl write lock, which apt-get
    takes for its own (it then says "It is held by process <this pid>")."""
    lock = Path(apt_dirs["APT_CONFIG"]).parent / "lists" / "lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o640)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        yield fd
    finally:
        os.close(fd)


def _helper(env: dict[str, str], *packages: str, wait: int = 300) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["bash", str(HELPER), "testing", *packages],
        env={**env, "LUOGEN_APT_LOCK_WAIT": str(wait), "LUOGEN_APT_LOCK_RETRY": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_nothing_missing_runs_no_apt_and_prints_nothing(apt_dirs: dict[str, str]) -> None:
    out, err = _helper(apt_dirs, "bash", "coreutils").communicate(timeout=60)
    assert (out, err) == ("", "")


def test_a_lock_held_too_long_names_its_holder(
    apt_dirs: dict[str, str], held_lists_lock: int
) -> None:
    started = time.monotonic()
    helper = _helper(apt_dirs, NO_SUCH_PACKAGE, wait=2)
    out, err = helper.communicate(timeout=60)
    assert helper.returncode == 1
    assert time.monotonic() - started >= 2
    assert out.splitlines() == [
        f"testing: installing {NO_SUCH_PACKAGE}",
        f"testing: waiting up to 2 s for {Path(apt_dirs['APT_CONFIG']).parent}/lists/lock",
    ]
    assert "lists/lock still held after 2 s by:" in err
    assert f"  pid {os.getpid()}: " in err  # this test's process, found through /proc
    assert "gave up waiting for" in err and "E: Could not get lock" in err


def test_the_install_goes_on_once_the_lock_is_released(
    apt_dirs: dict[str, str], held_lists_lock: int
) -> None:
    helper = _helper(apt_dirs, NO_SUCH_PACKAGE)
    time.sleep(2)
    fcntl.lockf(held_lists_lock, fcntl.LOCK_UN)
    out, err = helper.communicate(timeout=120)
    assert helper.returncode == 1
    assert "testing: waiting up to 300 s for" in out
    # It updated and went on to install, which fails only because the package does not exist;
    # then, and only then, apt's output is shown.
    assert err.startswith("testing: apt-get install failed; apt's output:\n")
    assert f"  | E: Unable to locate package {NO_SUCH_PACKAGE}" in err
