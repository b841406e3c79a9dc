"""libclang reads every generated header exactly as the model describes it, and the two real ABIs
exactly as the kernel defines them: the facts below are written out from the kernel's headers
(see uapi-facts.md §3, §4, §5), not taken from luogen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cheaders import (
    SYSTEM_INCLUDE,
    X86_TARGETS,
    ClangView,
    Header,
    clang_parse,
    compare,
    header_cases,
)

from luogen.model.arch import ALTERNATE, GENERIC, HOST_REFERENCE

HEADERS = header_cases()
IDS = [h.name for h in HEADERS]
BY_NAME = {h.name: h for h in HEADERS}
_VIEWS: dict[tuple[str, str], ClangView] = {}


def _view(header: Header, target: str = "x86_64-linux-gnu") -> ClangView:
    key = (str(header.path), target)
    if key not in _VIEWS:
        _VIEWS[key] = clang_parse(header.path, header.include_root, target)
    return _VIEWS[key]


@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_libclang_is_silent_and_uses_the_include_path(header: Header) -> None:
    view = _view(header)
    assert view.diagnostics == []
    assert view.included[0] == str(header.include_root / header.include)
    for system in ("linux/ioctl.h", "linux/types.h"):
        assert str(SYSTEM_INCLUDE / system) in view.included


@pytest.mark.parametrize("arch", sorted(X86_TARGETS))
@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_libclang_layout_and_numbers_equal_the_model(header: Header, arch: str) -> None:
    assert compare(header.model, _view(header, X86_TARGETS[arch][1]), arch) == []


@pytest.mark.parametrize("header", HEADERS, ids=IDS)
def test_every_macro_and_enumerator_is_the_models(header: Header) -> None:
    """Nothing in the header the model does not know about, and every value as the model says."""
    model, view = header.model, _view(header)
    want = {model.ioctl_type_name: model.ioctl_type}
    want |= {c.name: c.value for c in model.constants}
    want |= {c.ioctl_name: c.number_on(HOST_REFERENCE) for c in model.commands if c.ioctl_name}
    # A flag set with a bit past an int is a macro per flag, an enum otherwise.
    want |= {f.name: f.value for s in model.flag_sets if s.wide for f in s.values}
    assert view.macros == want
    enumerators = {r.base_name: r.base for r in model.extensible_ranges}
    enumerators |= {c.cmd_name: c.nr for r in model.extensible_ranges for c in r.commands}
    enumerators |= {v.name: v.value for e in model.enums for v in e.values}
    enumerators |= {f.name: f.value for s in model.flag_sets if not s.wide for f in s.values}
    assert view.enumerators == enumerators


def test_compare_reports_a_changed_member_type(tmp_path: Path) -> None:
    """The negative control: a corrupted copy of a header makes the comparison fail."""
    luo = BY_NAME["liveupdate"]
    copy = tmp_path / "include" / luo.include
    copy.parent.mkdir(parents=True)
    text = luo.path.read_text(encoding="utf-8")
    copy.write_text(text.replace("__aligned_u64 token;", "__u32 token;", 1), encoding="utf-8")
    problems = compare(luo.model, clang_parse(copy, tmp_path / "include"))
    assert problems[:2] == [
        "struct liveupdate_session_preserve_fd: size 12, model 16",
        "struct liveupdate_session_preserve_fd: align 4, model 8",
    ]
    assert not any("retrieve_fd" in p for p in problems)  # the one edit, and only it
    copy.write_text(text.replace("LIVEUPDATE_CMD_SESSION_FINISH)", "0x41)", 1), encoding="utf-8")
    problems = compare(luo.model, clang_parse(copy, tmp_path / "include"))
    assert problems == ["LIVEUPDATE_SESSION_FINISH: 47681, model 0xba42"]


# The kernel's facts. (ioctl, NR, _IO number (generic), struct, size, minimum size, offsets)
LIVEUPDATE = [
    ("LIVEUPDATE_IOCTL_CREATE_SESSION", 0x00, 0xBA00, "liveupdate_ioctl_create_session", 72, 72,
     {"size": 0, "fd": 4, "name": 8}),
    ("LIVEUPDATE_IOCTL_RETRIEVE_SESSION", 0x01, 0xBA01, "liveupdate_ioctl_retrieve_session", 72, 72,
     {"size": 0, "fd": 4, "name": 8}),
    ("LIVEUPDATE_SESSION_PRESERVE_FD", 0x40, 0xBA40, "liveupdate_session_preserve_fd", 16, 16,
     {"size": 0, "fd": 4, "token": 8}),
    ("LIVEUPDATE_SESSION_RETRIEVE_FD", 0x41, 0xBA41, "liveupdate_session_retrieve_fd", 16, 16,
     {"size": 0, "fd": 4, "token": 8}),
    ("LIVEUPDATE_SESSION_FINISH", 0x42, 0xBA42, "liveupdate_session_finish", 8, 8,
     {"size": 0, "reserved": 4}),
    ("LIVEUPDATE_SESSION_GET_NAME", 0x43, 0xBA43, "liveupdate_session_get_name", 72, 72,
     {"size": 0, "reserved": 4, "name": 8}),
]  # fmt: skip
FWCTL = [
    ("FWCTL_INFO", 0, 0x9A00, "fwctl_info", 24, 24,
     {"size": 0, "flags": 4, "out_device_type": 8, "device_data_len": 12, "out_device_data": 16}),
    ("FWCTL_RPC", 1, 0x9A01, "fwctl_rpc", 32, 32,
     {"size": 0, "scope": 4, "in_len": 8, "out_len": 12, "in": 16, "out": 24}),
]  # fmt: skip
FACTS = {"liveupdate": LIVEUPDATE, "fwctl": FWCTL}
ENUMERATORS = {
    "liveupdate": {
        "LIVEUPDATE_CMD_BASE": 0x00, "LIVEUPDATE_CMD_CREATE_SESSION": 0x00,
        "LIVEUPDATE_CMD_RETRIEVE_SESSION": 0x01, "LIVEUPDATE_CMD_SESSION_BASE": 0x40,
        "LIVEUPDATE_CMD_SESSION_PRESERVE_FD": 0x40, "LIVEUPDATE_CMD_SESSION_RETRIEVE_FD": 0x41,
        "LIVEUPDATE_CMD_SESSION_FINISH": 0x42, "LIVEUPDATE_CMD_SESSION_GET_NAME": 0x43,
    },
    "fwctl": {
        "FWCTL_CMD_BASE": 0, "FWCTL_CMD_INFO": 0, "FWCTL_CMD_RPC": 1,
        "FWCTL_RPC_CONFIGURATION": 0, "FWCTL_RPC_DEBUG_READ_ONLY": 1, "FWCTL_RPC_DEBUG_WRITE": 2,
        "FWCTL_RPC_DEBUG_WRITE_FULL": 3,
    },
}  # fmt: skip
MACROS = {
    "liveupdate": {"LIVEUPDATE_IOCTL_TYPE": 0xBA, "LIVEUPDATE_SESSION_NAME_LENGTH": 64},
    "fwctl": {"FWCTL_TYPE": 0x9A},
}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_libclang_sees_the_kernels_abi(name: str) -> None:
    view = _view(BY_NAME[name])
    for ioctl, _nr, number, struct, size, _min_size, offsets in FACTS[name]:
        assert view.macros[ioctl] == number, ioctl
        assert view.structs[struct].size == size, struct
        assert view.structs[struct].align == (
            8 if {"token", "in", "out_device_data"} & set(offsets) else 4
        ), struct
        assert view.structs[struct].offsets == offsets, struct
    assert view.macros.items() >= MACROS[name].items()
    assert view.enumerators.items() >= ENUMERATORS[name].items()
    for ioctl, _nr, _number, struct, _size, _min_size, _offsets in FACTS[name]:
        assert struct in view.structs and ioctl in view.macros


@pytest.mark.parametrize("name", sorted(FACTS))
def test_the_model_is_the_kernels_abi(name: str) -> None:
    model = BY_NAME[name].model
    by_ioctl = {c.ioctl_name or "": c for c in model.commands}
    assert sorted(by_ioctl) == sorted(fact[0] for fact in FACTS[name])
    for ioctl, nr, number, struct_name, size, min_size, offsets in FACTS[name]:
        command = by_ioctl[ioctl]
        assert command.nr == nr
        assert command.number() == command.number(GENERIC) == number == (model.ioctl_type << 8) | nr
        assert command.struct is not None and command.struct.name == struct_name
        assert command.struct.size == size
        assert command.struct.min_size == min_size
        assert {m.name: o for m, o in command.struct.fields} == offsets


def test_the_alternate_ioctl_encoding() -> None:
    """powerpc, mips, sparc, alpha: _IOC_NONE is 1 and the direction field starts at bit 29."""
    commands = {c.ioctl_name: c for c in BY_NAME["liveupdate"].model.commands}
    assert commands["LIVEUPDATE_SESSION_PRESERVE_FD"].number(ALTERNATE) == 0x2000BA40
    assert commands["LIVEUPDATE_IOCTL_CREATE_SESSION"].number(ALTERNATE) == 0x2000BA00
    fwctl = {c.ioctl_name: c for c in BY_NAME["fwctl"].model.commands}
    assert fwctl["FWCTL_RPC"].number(ALTERNATE) == 0x20009A01
    ppc = commands["LIVEUPDATE_SESSION_GET_NAME"].numbers
    assert (ppc["ppc64el"], ppc["mips"], ppc["sparc64"], ppc["alpha"]) == (0x2000BA43,) * 4
    assert (ppc["amd64"], ppc["arm64"], ppc["s390x"], ppc["hppa"]) == (0xBA43,) * 4
