"""The kerneltools wrappers run the real kernel checkers: a well-formed uapi header passes all
three with no finding, and each checker catches a defect planted in a copy of it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import kerneltools
import pytest
from kerneltools import (
    parse_checkpatch_totals,
    run_checkpatch,
    run_headers_check,
    run_kernel_doc,
    tools_dir,
)

# The style the three checkers accept with no finding; luogen's header template follows it.
CLEAN = """\
/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_LINUX_FOO_H
#define _UAPI_LINUX_FOO_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The ioctl type, documented in ioctl-number.rst */
#define FOO_TYPE 0xF0

/* The foo ioctl commands. */
enum {
	FOO_CMD_BASE = 0x00,
	FOO_CMD_BAR = FOO_CMD_BASE,
	FOO_CMD_BAZ = 0x01,
};

/**
 * struct foo_bar - ioctl(FOO_BAR)
 * @size: sizeof(struct foo_bar)
 * @x: Input; a value long enough to need a second line in the kernel-doc, which
 *	continues indented by one tab.
 *
 * Does bar. Free text comes after the member lines.
 *
 * Return: 0 on success, or -1 with errno set.
 */
struct foo_bar {
	__u32 size;
	__u32 x;
};

#define FOO_BAR _IO(FOO_TYPE, FOO_CMD_BAR)

#endif /* _UAPI_LINUX_FOO_H */
"""


def write(folder: Path, text: str, rel: str = "include/uapi/linux/foo.h") -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def planted(folder: Path, old: str, new: str) -> Path:
    assert old in CLEAN
    return write(folder, CLEAN.replace(old, new, 1))


def test_setup_is_idempotent_and_fast_when_done() -> None:
    folder = tools_dir()
    start = time.perf_counter()
    result = subprocess.run(
        ["bash", str(kerneltools.SETUP), str(folder)], capture_output=True, text=True, check=True
    )
    assert time.perf_counter() - start < 2
    assert "up to date" in result.stdout
    for rel in (
        "scripts/kernel-doc",
        "scripts/checkpatch.pl",
        "scripts/spelling.txt",
        "scripts/const_structs.checkpatch",
        "usr/include/headers_check.pl",
        "Documentation/sphinx/kerneldoc.py",
        "Documentation/sphinx/kernellog.py",
        "uapi-include/linux/ioctl.h",
        "uapi-include/asm/ioctl.h",
    ):
        assert (folder / rel).is_file(), rel


def test_unavailable_tools_skip_saying_what_installs_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """(Under CI that skip fails: tests/test_strict_ci.py.)"""
    monkeypatch.setattr(kerneltools, "_setup", lambda: (None, "no linux-source-6.1"))
    with pytest.raises(pytest.skip.Exception, match=r"no linux-source-6\.1.*install: make tools"):
        tools_dir()


# kernel-doc


def test_clean_header_passes_kernel_doc(tmp_path: Path) -> None:
    result = run_kernel_doc(write(tmp_path, CLEAN))
    assert result.returncode == 0
    assert result.stdout == ""
    # -v reports each comment it parsed, and nothing else when clean.
    assert result.stderr.splitlines() == [
        f"{tmp_path}/include/uapi/linux/foo.h:19: info: Scanning doc for struct foo_bar"
    ]
    assert kerneltools.kernel_doc(tmp_path / "include/uapi/linux/foo.h") == []


@pytest.mark.parametrize(
    ("old", "new", "warning"),
    [
        (" * @x: Input;", " * x: Input;", "member 'x' not described in 'foo_bar'"),
        # Only -v checks these two; the second wants free text after the member lines.
        (" * struct foo_bar - ioctl(FOO_BAR)", " * struct foo_bar", "missing initial short"),
        (" * @size:", " *\n * Text first.\n * @size:", "contents before sections"),
    ],
    ids=["missing-member", "missing-purpose", "text-before-members"],
)
def test_kernel_doc_warns(tmp_path: Path, old: str, new: str, warning: str) -> None:
    result = run_kernel_doc(planted(tmp_path, old, new))
    assert result.returncode != 0  # -Werror
    assert ": warning: " in result.stderr and warning in result.stderr


# checkpatch


def test_clean_header_passes_checkpatch(tmp_path: Path) -> None:
    result = run_checkpatch(write(tmp_path, CLEAN))
    assert parse_checkpatch_totals(result.stdout) == (0, 0, 0), result.stdout
    assert result.returncode == 0 and result.stderr == ""
    assert "include/uapi/linux/foo.h has no obvious style problems" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "totals", "kind"),
    [
        ("\t__u32 x;", "\t__u32 x; ", (1, 0, 0), "ERROR:TRAILING_WHITESPACE:"),
        ("\t__u32 x;", "\t__u32 x; // C99", (1, 0, 0), "ERROR:C99_COMMENTS:"),
        ("\t__u32 x;", "        __u32 x;", (1, 1, 0), "ERROR:CODE_INDENT:"),
        ("0xF0\n", "0xF0\n\n", (0, 0, 1), "CHECK:LINE_SPACING:"),
        ("0xF0", "0xF0 /*" + "x" * 80 + " */", (0, 0, 1), "CHECK:LONG_LINE_COMMENT:"),
    ],
    ids=["trailing-space", "c99-comment", "space-indent", "double-blank", "over-100-columns"],
)
def test_checkpatch_reports(
    tmp_path: Path, old: str, new: str, totals: tuple[int, int, int], kind: str
) -> None:
    result = run_checkpatch(planted(tmp_path, old, new))
    assert parse_checkpatch_totals(result.stdout) == totals, result.stdout
    assert result.returncode != 0 and kind in result.stdout


def test_checkpatch_judges_a_header_by_its_path_in_the_tree(tmp_path: Path) -> None:
    # BIT() is kernel-only, so checkpatch does not ask for it in include/uapi/ (and only there).
    text = CLEAN.replace("0xF0\n", "0xF0\n#define FOO_FLAG (1 << 3)\n")
    inside = run_checkpatch(write(tmp_path, text))
    assert parse_checkpatch_totals(inside.stdout) == (0, 0, 0), inside.stdout
    outside = run_checkpatch(write(tmp_path, text, "foo.h"))
    assert parse_checkpatch_totals(outside.stdout) == (0, 0, 1)
    assert "CHECK:BIT_MACRO:" in outside.stdout


def test_parse_checkpatch_totals() -> None:
    strict = "x\ntotal: 1 errors, 2 warnings, 3 checks, 9 lines checked\n"
    assert parse_checkpatch_totals(strict) == (1, 2, 3)
    assert parse_checkpatch_totals("total: 4 errors, 5 warnings, 9 lines checked") == (4, 5, 0)
    with pytest.raises(ValueError, match="no checkpatch summary"):
        parse_checkpatch_totals("Can't open foo.h\n")


# headers_check


def test_clean_header_passes_headers_check(tmp_path: Path) -> None:
    result = run_headers_check(write(tmp_path, CLEAN), tmp_path / "include/uapi")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_headers_check_finds_includes_in_the_uapi_root(tmp_path: Path) -> None:
    write(tmp_path, "/* empty */\n", "include/uapi/linux/foo_types.h")
    text = CLEAN.replace("<linux/types.h>\n", "<linux/types.h>\n#include <linux/foo_types.h>\n")
    header = write(tmp_path, text)
    assert run_headers_check(header).returncode == 0  # the uapi root defaults to the header's
    (tmp_path / "empty").mkdir()
    elsewhere = run_headers_check(header, tmp_path / "empty")
    assert elsewhere.returncode == 1
    assert "included file 'linux/foo_types.h' is not exported" in elsewhere.stderr


@pytest.mark.parametrize(
    ("old", "new", "returncode", "message"),
    [
        ("<linux/types.h>", "<linux/nope.h>", 1, "included file 'linux/nope.h' is not exported"),
        # headers_check.pl only warns about the rest: exit 0, but a message on stderr.
        ("<linux/types.h>", "<asm/types.h>", 0, "<linux/types.h> is preferred over <asm/types.h>"),
        ("#include <linux/types.h>\n", "", 0, "found __[us]{8,16,32,64} type without #include"),
        ("\n#endif", "extern int foo;\n\n#endif", 0, "userspace cannot reference function"),
    ],
    ids=["missing-include", "asm-types", "no-linux-types", "extern"],
)
def test_headers_check_reports(
    tmp_path: Path, old: str, new: str, returncode: int, message: str
) -> None:
    result = run_headers_check(planted(tmp_path, old, new), tmp_path / "include/uapi")
    assert result.returncode == returncode
    assert message in result.stderr
    assert message in kerneltools.headers_check(tmp_path / "include/uapi/linux/foo.h")
