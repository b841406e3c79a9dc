"""libclang reads every generated header exactly as the model describes it, and the two real
ABIs exactly as the kernel defines them (the facts below are written out, not taken from luogen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cheaders import Header, clang_view, headers

from luogen.model.arch import ALTERNATE

HEADERS = headers()


@pytest.mark.parametrize("header", HEADERS, ids=[h.model.name for h in HEADERS])
def test_libclang_layout_and_numbers_equal_the_model(header: Header, tmp_path: Path) -> None:
    structs, numbers, problems = clang_view(header, tmp_path)
    assert problems == []
    for struct in header.model.all_structs:
        seen = structs[struct.name]
        assert (seen.size, seen.align) == (struct.size, struct.align), struct.name
        assert seen.offsets == {m.name: o for m, o in struct.fields}, struct.name
    for command in header.model.commands:
        assert numbers[command.ioctl_name] == command.number(), command.ioctl_name


# (ioctl, number on x86, struct, size, minimum size, {member: offset}) from the kernel's headers.
LIVEUPDATE = [
    ("LIVEUPDATE_IOCTL_CREATE_SESSION", 0xBA00, "liveupdate_ioctl_create_session", 72, 72,
     {"size": 0, "fd": 4, "name": 8}),
    ("LIVEUPDATE_IOCTL_RETRIEVE_SESSION", 0xBA01, "liveupdate_ioctl_retrieve_session", 72, 72,
     {"size": 0, "fd": 4, "name": 8}),
    ("LIVEUPDATE_SESSION_PRESERVE_FD", 0xBA40, "liveupdate_session_preserve_fd", 16, 16,
     {"size": 0, "fd": 4, "token": 8}),
    ("LIVEUPDATE_SESSION_RETRIEVE_FD", 0xBA41, "liveupdate_session_retrieve_fd", 16, 16,
     {"size": 0, "fd": 4, "token": 8}),
    ("LIVEUPDATE_SESSION_FINISH", 0xBA42, "liveupdate_session_finish", 8, 8,
     {"size": 0, "reserved": 4}),
    ("LIVEUPDATE_SESSION_GET_NAME", 0xBA43, "liveupdate_session_get_name", 72, 72,
     {"size": 0, "reserved": 4, "name": 8}),
]  # fmt: skip
FWCTL = [
    ("FWCTL_INFO", 0x9A00, "fwctl_info", 24, 24,
     {"size": 0, "flags": 4, "out_device_type": 8, "device_data_len": 12, "out_device_data": 16}),
    ("FWCTL_RPC", 0x9A01, "fwctl_rpc", 32, 32,
     {"size": 0, "scope": 4, "in_len": 8, "out_len": 12, "in": 16, "out": 24}),
]  # fmt: skip
FACTS = {"liveupdate": LIVEUPDATE, "fwctl": FWCTL}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_real_abis_are_the_kernels(name: str, tmp_path: Path) -> None:
    (header,) = [h for h in HEADERS if h.model.name == name]
    structs, numbers, _ = clang_view(header, tmp_path)
    by_ioctl = {c.ioctl_name: c for c in header.model.commands}
    assert sorted(by_ioctl) == sorted(fact[0] for fact in FACTS[name])
    for ioctl, number, struct_name, size, min_size, offsets in FACTS[name]:
        command = by_ioctl[ioctl]
        assert numbers[ioctl] == number == command.number()
        assert command.struct is not None and command.struct.name == struct_name
        assert structs[struct_name].size == size == command.struct.size
        assert structs[struct_name].offsets == offsets
        assert command.struct.min_size == min_size


def test_liveupdate_constants_and_alternate_encoding() -> None:
    (header,) = [h for h in HEADERS if h.model.name == "liveupdate"]
    model = header.model
    assert (model.ioctl_type, model.ioctl_type_name) == (0xBA, "LIVEUPDATE_IOCTL_TYPE")
    assert [(c.name, c.value) for c in model.constants] == [("LIVEUPDATE_SESSION_NAME_LENGTH", 64)]
    assert [(r.base_name, r.base) for r in model.ranges] == [
        ("LIVEUPDATE_CMD_BASE", 0x00),
        ("LIVEUPDATE_CMD_SESSION_BASE", 0x40),
    ]
    preserve = next(c for c in model.commands if c.ioctl_name == "LIVEUPDATE_SESSION_PRESERVE_FD")
    assert preserve.number(ALTERNATE) == 0x2000BA40  # powerpc, mips, sparc, alpha
