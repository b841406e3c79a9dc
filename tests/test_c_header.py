"""The generated uapi headers compile cleanly, in C and C++, and as the model lays them out."""

from __future__ import annotations

from pathlib import Path

import pytest
from cheaders import Header, compile_c, headers, layout_asserts

HEADERS = headers()
IDS = [h.model.name for h in HEADERS]

# The kernel's own uapi header test compiles with -std=c90 -Wall -Werror. C90's -pedantic is left
# out on purpose: it rejects the trailing comma after the last enumerator, which uapi headers keep
# so that appending a command touches one line. C99 allows it, so -pedantic holds there.
C_FLAGS = {
    "c90": ["-std=c90", "-Wall", "-Wextra", "-Werror"],
    "c99": ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"],
    "gnu11": ["-std=gnu11", "-Wall", "-Wextra", "-Werror"],
}


def _twice(header: Header) -> str:
    return f"#include <{header.include}>\n#include <{header.include}>\nint luogen_unused;\n"


@pytest.mark.parametrize("standard", sorted(C_FLAGS))
@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_compiles_standalone_in_c(header: Header, standard: str, tmp_path: Path) -> None:
    assert compile_c("gcc", C_FLAGS[standard], _twice(header), header, tmp_path) == ""


@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_compiles_standalone_in_cxx(header: Header, tmp_path: Path) -> None:
    flags = ["-std=c++17", "-Wall", "-Wextra", "-Werror"]
    assert compile_c("g++", flags, _twice(header), header, tmp_path) == ""


@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_compiler_layout_and_numbers_match_the_model(header: Header, tmp_path: Path) -> None:
    source = layout_asserts(header)
    assert source.count("typedef char") > len(header.model.commands)
    assert compile_c("gcc", C_FLAGS["c90"], source, header, tmp_path) == ""


def test_layout_asserts_can_fail(tmp_path: Path) -> None:
    (luo,) = [h for h in HEADERS if h.model.name == "liveupdate"]
    source = layout_asserts(luo).replace(
        "offsetof(struct liveupdate_session_preserve_fd, token) == 8",
        "offsetof(struct liveupdate_session_preserve_fd, token) == 4",
    )
    assert "negative" in compile_c("gcc", C_FLAGS["c90"], source, luo, tmp_path)
