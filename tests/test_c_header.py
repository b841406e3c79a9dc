"""The generated uapi headers are real C: they compile standalone (twice, for the include guard)
with gcc in C90, C99 and GNU11 and with g++, and gcc lays every struct out as the model says on
x86-64, i386 and x32.

Flags: the kernel's own uapi header test (usr/include/Makefile) compiles every header with
`-std=c90 -Wall -Werror=implicit-function-declaration`; ours is stricter (`-Wall -Wextra -Werror`).
`-pedantic` is not used with C90 (or C++98): it rejects the comma after the last enumerator, a C99
feature that uapi headers use throughout (fuse.h, for one), and `linux/stddef.h`'s named variadic
macros. Both stop mattering from C99 / C++11 on, where `-pedantic` holds and is used. (`__u64` is
`unsigned long long` behind `__extension__` in asm-generic/int-ll64.h, so it never trips -pedantic.)
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

import pytest
from cheaders import (
    X86_TARGETS,
    Header,
    compile_c,
    header_cases,
    layout_asserts,
    twice,
)
from strict_ci import missing

from luogen.model.arch import ARCH_BY_NAME

HEADERS = header_cases()
IDS = [h.name for h in HEADERS]
STRICT = ["-Wall", "-Wextra", "-Werror"]
FLAGS = {
    "gcc -std=c90": ("gcc", ["-std=c90", *STRICT]),
    "gcc -std=c99 -pedantic": ("gcc", ["-std=c99", *STRICT, "-pedantic"]),
    "gcc -std=gnu11 -pedantic": ("gcc", ["-std=gnu11", *STRICT, "-pedantic"]),
    "g++ -std=c++98": ("g++", ["-std=c++98", *STRICT]),
    "g++ -std=c++17 -pedantic": ("g++", ["-std=c++17", *STRICT, "-pedantic"]),
}
C90 = ["-std=c90", *STRICT]


@cache
def _can_compile(flag: str) -> bool:
    """Whether gcc builds for this x86 ABI here (-m32/-mx32 need no multilib to compile only:
    the kernel's x86 uapi asm headers serve all three ABIs)."""

    with tempfile.TemporaryDirectory() as scratch:
        output = compile_c("gcc", [flag, *C90], "#include <linux/types.h>\n__u64 x;\n", [],
                           Path(scratch))  # fmt: skip
    return output == ""


def test_headers_are_found() -> None:
    names = {h.name for h in HEADERS}
    assert {"liveupdate", "fwctl"} <= names
    for header in HEADERS:
        assert header.path.is_file(), header.path
        assert header.include == header.model.header


@pytest.mark.skipif(not shutil.which("g++"), reason=missing("g++"))
@pytest.mark.parametrize("compiler", sorted(FLAGS))
@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_compiles_standalone_twice(header: Header, compiler: str, tmp_path: Path) -> None:
    program, flags = FLAGS[compiler]
    anonymous = any(m.union_names for s in header.model.all_structs for m in s.members)
    if header.model.classic_commands:
        # A classic header is written as real ones are (anonymous unions, GNU's zero-length
        # arrays), which -pedantic refuses before C11 and in C++: the kernel's own header test
        # uses no -pedantic.
        flags = [f for f in flags if f != "-pedantic"]
    elif anonymous and "-std=c99" in flags:
        # A member with other names is an anonymous union, C11's (as iommufd.h has it).
        flags = [f for f in flags if f != "-pedantic"]
    assert compile_c(program, flags, twice(header), header, tmp_path) == ""


def test_every_header_together(tmp_path: Path) -> None:
    """All headers in one translation unit: no clash of guards, tags or macros between them."""
    source = "".join(f"#include <{h.include}>\n" for h in HEADERS) + "int luogen_unused;\n"
    assert compile_c("gcc", C90, source, [h.include_root for h in HEADERS], tmp_path) == ""


@pytest.mark.parametrize("arch", sorted(X86_TARGETS))
@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_gcc_layout_and_numbers_match_the_model(header: Header, arch: str, tmp_path: Path) -> None:
    flag = X86_TARGETS[arch][0]
    if not _can_compile(flag):
        pytest.skip(f"gcc {flag} does not compile here")
    source = layout_asserts(header.model, header.include, ARCH_BY_NAME[arch])
    assert source.count("typedef char") > 2 * len(header.model.commands)
    for program in ("gcc", "g++"):
        flags = [flag, *C90] if program == "gcc" else [flag, *STRICT]
        assert compile_c(program, flags, source, header, tmp_path) == "", f"{program} {flag}"


def _corrupt(header: Header, tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the header's include tree with one edit, at the same include path."""
    root = tmp_path / "include"
    copy = root / header.include
    copy.parent.mkdir(parents=True)
    text = header.path.read_text(encoding="utf-8")
    assert old in text
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_layout_asserts_catch_a_changed_member_type(tmp_path: Path) -> None:
    (luo,) = [h for h in HEADERS if h.name == "liveupdate"]
    root = _corrupt(luo, tmp_path, "__aligned_u64 token;", "__u32 token;")
    source = layout_asserts(luo.model, luo.include, ARCH_BY_NAME["amd64"])
    output = compile_c("gcc", C90, source, [root], tmp_path)
    assert "error: size of array" in output
    assert "size_liveupdate_session_preserve_fd" in output
    assert "msize_liveupdate_session_preserve_fd_token" in output


def test_only_i386_sees_a_plain_u64(tmp_path: Path) -> None:
    """`__u64` for `__aligned_u64` lays out the same on x86-64 but not on i386: why -m32 runs."""
    if not _can_compile("-m32"):
        pytest.skip("gcc -m32 does not work here")
    (fw,) = [h for h in HEADERS if h.name == "fwctl"]
    root = _corrupt(fw, tmp_path, "__aligned_u64 out_device_data;", "__u64 out_device_data;")
    for arch, fails in (("amd64", False), ("i386", True)):
        source = layout_asserts(fw.model, fw.include, ARCH_BY_NAME[arch])
        output = compile_c("gcc", [X86_TARGETS[arch][0], *C90], source, [root], tmp_path)
        if fails:
            assert "align_fwctl_info" in output and "error" in output
        else:
            assert output == ""
