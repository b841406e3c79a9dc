"""The suite's rules about what may pass without running, as a pytest plugin (tests/conftest.py
loads it).

Under CI (env CI set, as .ci/run does) nothing may pass by accident: every skip, whatever its
cause, becomes a failure that quotes the skip's reason, and the golden-overwrite mode (which
rewrites expectations instead of comparing) is refused before any test runs. Elsewhere a skip
stays a skip, and the closing summary line says what was missing and the command that installs
it.

A skip reason made by `missing()` is what the summary line understands; any other reason is
quoted as it is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator

import pytest

INSTALL = "make tools"  # installs every Debian package the suite uses (Makefile)
OVERWRITE_VARIABLE = "LUOGEN_OVERWRITE_EXPECTED"
_MISSING = re.compile(r"^(?P<what>.+) missing \(install: (?P<install>.+)\)$")


def in_ci() -> bool:
    """Whether this run is CI's: CI set to anything but an empty or a false value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def overwrite_expected() -> bool:
    """Whether golden and error-message tests rewrite their expectations (`make goldens`)."""
    return os.environ.get(OVERWRITE_VARIABLE) == "1"


def missing(what: str, install: str = INSTALL) -> str:
    """The reason of a skip for want of `what`, naming the command that installs it."""
    return f"{what} missing (install: {install})"


def pytest_configure(config: pytest.Config) -> None:
    if in_ci() and os.environ.get(OVERWRITE_VARIABLE):
        raise pytest.UsageError(
            f"{OVERWRITE_VARIABLE} is set under CI: golden and error-message tests would rewrite "
            "their expectations instead of comparing against them. Unset it."
        )


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def _fail_if_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where every test must run: {_reason(report)}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport]:
    report = yield
    _fail_if_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport]:
    report = yield
    _fail_if_ci(report)
    return report


def summary(reasons: list[str]) -> str:
    """How the closing line counts the skips: "skipped (g++ and abidiff missing, install: make
    tools; <any other reason>)"."""
    missed: dict[str, None] = {}  # dicts: unique, in order of appearance
    commands: dict[str, None] = {}
    others: dict[str, None] = {}
    for reason in reasons:
        if match := _MISSING.match(reason):
            missed[match["what"]] = None
            commands[match["install"]] = None
        else:
            others[reason] = None
    parts = list(others)
    if missed:
        names = list(missed)
        listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        parts.insert(0, f"{listed} missing, install: {' and '.join(commands)}")
    return f"skipped ({'; '.join(parts)})"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Generator[None]:
    # Outermost, so this runs after the short summary has listed each skip under "skipped";
    # the closing "N passed, M skipped" line is drawn from these keys right after.
    result = yield
    skips = terminalreporter.stats.pop("skipped", [])
    if skips:
        terminalreporter.stats[summary([_reason(r) for r in skips])] = skips
    return result
