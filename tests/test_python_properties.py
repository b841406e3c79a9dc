"""Property test of the Python safe layer: for random accepted specs (every scalar kind, arrays,
optional tails, user pointers with and without a buffer), every method packs each argument at
its member's offset (a buffer as its address and length), leaves every other member zero, and
returns exactly what a stand-in kernel wrote into the outputs. `make fuzz` runs more examples.
"""

from __future__ import annotations

import ctypes
import dataclasses
import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import EXAMPLES, _model, specs

from luogen.model import Model
from luogen.model.kinds import INTEGERS, Array, UserBuffer
from luogen.model.nodes import Command, Member
from luogen.render import render

_loaded = itertools.count()


@st.composite
def specs_with_buffers(draw: st.DrawFn) -> dict[str, Any]:
    """specs(), with some user pointers paired with an unsigned integer member as their length."""
    data = draw(specs())
    for command in (c for r in data["ranges"] for c in r.get("commands", [])):
        members = command.get("members", [])
        lengths = [
            m for m in members
            if m["type"] in ("u8", "u16", "u32", "u64") and "array" not in m
            and not m.get("reserved")
            and m.get("dir", "in") in ("in", "inout")
        ]  # fmt: skip
        for pointer in (m for m in members if m["type"] == "ptr" and m.get("dir", "in") == "in"):
            if lengths and draw(st.booleans()):
                length = lengths.pop(0)
                direction = draw(st.sampled_from(["in", "out"]))
                pointer["buffer"] = {"length": length["name"], "dir": direction}
    return data


def _package(model: Model, folder: Path) -> ModuleType:
    for rel, text in render(model, ("python",)).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    init = folder / model.name / "python" / model.python_package / "__init__.py"
    name = f"_luogen_prop_{next(_loaded)}"
    loaded = importlib.util.spec_from_file_location(name, init)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules[name] = module  # dataclasses look their module up while building
    try:
        loaded.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def _argument(member: Member, serial: int) -> tuple[Any, Any]:
    """(what the method is given, what the struct must then hold) for an argument member."""
    kind = member.kind
    if isinstance(kind, UserBuffer):
        data = bytearray(serial % 7 + 1)
        return data, data
    if isinstance(kind, Array):
        if kind.element == INTEGERS["u8"]:
            text = f"s{serial}"[: kind.length - 1].encode()
            return text, text.ljust(kind.length, b"\0")
        values = tuple(serial + i for i in range(kind.length))
        return values, values
    scalar = kind.scalar
    assert scalar is not None
    value = min(scalar.max_value, serial)
    return value, value


def _output(member: Member, serial: int) -> tuple[Any, Any]:
    """(what the stand-in kernel writes into a result member, what the method must return)."""
    kind = member.kind
    if isinstance(kind, Array):
        if kind.element == INTEGERS["u8"]:
            text = f"r{serial}"[: kind.length - 1]
            return text.encode().ljust(kind.length, b"\0"), text
        values = tuple(serial * 2 + i for i in range(kind.length))
        return values, values
    scalar = kind.scalar
    assert scalar is not None
    value = min(scalar.max_value, serial + 1000)
    return value, value


def _call(module: ModuleType, model: Model, command: Command, monkeypatch: Any) -> None:
    assert command.struct is not None
    raw = getattr(module, command.struct.rust_name)
    arguments, expected = {}, {}
    for serial, member in enumerate(command.arguments, start=1):
        arguments[member.python_name], expected[member.python_name] = _argument(member, serial)
    outputs = {m.python_name: _output(m, n) for n, m in enumerate(command.results, start=1)}
    seen: list[Any] = []

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        sent = raw.unpack(buffer)
        seen.append((number, sent))
        buffer[:] = dataclasses.replace(sent, **{k: v[0] for k, v in outputs.items()}).pack()
        return 0

    monkeypatch.setattr(module, "_ioctl", kernel)
    cls = getattr(module, next(r for r in model.ranges if command in r.live).class_name)
    obj = cls(1_000_000)  # never used as an fd: the stand-in kernel answers
    try:
        result = getattr(obj, command.python_method)(**arguments)
    finally:
        obj._fd = -1  # nothing to close
    ((number, sent),) = seen
    assert number == getattr(module, command.ioctl_name or "")
    assert sent.size == raw.SIZE == command.struct.size
    lengths = {m.kind.length.name: m for m in command.struct.buffer_pointers}  # type: ignore[attr-defined]
    zero = raw()
    for member in command.struct.members[1:]:
        got = getattr(sent, member.python_name)
        if member.python_name in expected:
            want = expected[member.python_name]
            if isinstance(member.kind, UserBuffer):  # its address
                want = ctypes.addressof(ctypes.c_char.from_buffer(want)) if want else 0
        elif member.name in lengths:
            want = len(expected[lengths[member.name].python_name])
        else:  # reserved or output-only: sent as zero
            want = getattr(zero, member.python_name)
        assert got == want, member.name
    returned = [outputs[m.python_name][1] for m in command.results]
    if not returned:
        assert result is None
    elif len(returned) == 1:  # (no `opens` in these specs: an fd result is an int)
        assert result == returned[0]
    else:
        assert tuple(result) == tuple(returned)


@settings(
    max_examples=max(EXAMPLES // 5, 20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(specs_with_buffers())
def test_every_method_packs_its_arguments_and_returns_the_kernels_outputs(
    tmp_path_factory: Any, monkeypatch: Any, data: dict[str, Any]
) -> None:
    model = _model(data)
    module = _package(model, tmp_path_factory.mktemp("py"))
    for command in model.commands:
        _call(module, model, command, monkeypatch)


def test_a_buffer_longer_than_a_narrow_length_member_is_refused_before_any_ioctl(
    tmp_path: Path, monkeypatch: Any
) -> None:
    members = [
        {"name": "len", "type": "u8", "doc": "L."},
        {"name": "pad", "type": "u8", "array": 3, "reserved": True, "doc": "P."},
        {"name": "data", "type": "ptr", "buffer": {"length": "len", "dir": "out"}, "doc": "D."},
    ]
    data = {
        "name": "narrow", "title": "N", "header": "linux/narrow.h", "overview": "N.",
        "ioctl-type": 1, "ranges": [{"name": "r", "doc": "R.", "base": 0, "commands": [
            {"name": "read", "doc": "Reads.", "members": members}]}],
    }  # fmt: skip
    module = _package(_model(data), tmp_path)
    calls: list[Any] = []
    monkeypatch.setattr(module, "_ioctl", lambda *args: calls.append(args))
    device = module.Narrow(1_000_000)
    try:
        for buffer in (module.UserBuffer(256), bytearray(256)):
            with pytest.raises(ValueError, match=r"^data is 256 bytes long; its length member"):
                device.read(buffer)
        device.read(module.UserBuffer(255))
    finally:
        device._fd = -1  # nothing to close
    assert len(calls) == 1
