"""Property test of the Python safe layer: for random accepted specs (every scalar kind, arrays,
optional tails, user pointers with and without a buffer), every method fills `size`, packs each
argument at its member's offset (a buffer as its address and length), leaves every other member
zero, and returns exactly what a stand-in kernel wrote into the outputs. What the method sent
is read, and the outputs written, at the offsets and in the types that libclang gives for the
generated C header (never with the package's own structs). `make fuzz` runs more examples.
"""

from __future__ import annotations

import ctypes
import importlib.util
import itertools
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import clang.cindex as ci  # type: ignore[import-untyped]
import pytest
from cheaders import clang_args
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import EXAMPLES, _model, specs

from luogen.model import Model
from luogen.model.kinds import INTEGERS, Array, UserBuffer
from luogen.model.nodes import Command, Member
from luogen.render import render

_loaded = itertools.count()
# libclang's canonical kinds of the uapi integer types (x86-64) -> struct module format codes.
_FORMATS = {ci.TypeKind.UCHAR: "B", ci.TypeKind.SCHAR: "b", ci.TypeKind.USHORT: "H",
            ci.TypeKind.SHORT: "h", ci.TypeKind.UINT: "I", ci.TypeKind.INT: "i",
            ci.TypeKind.ULONGLONG: "Q", ci.TypeKind.LONGLONG: "q"}  # fmt: skip


@dataclass(frozen=True)
class Field:
    """Where libclang puts one member and what it is: read and written with the struct module in
    the host's byte order, as an integer, a tuple (an array) or bytes (a __u8 array)."""

    offset: int
    code: str  # the struct format code of the integer type
    length: int | None  # of an array

    @property
    def format(self) -> str:
        if self.length is None:
            return "=" + self.code
        return f"={self.length}{'s' if self.code == 'B' else self.code}"

    def read(self, data: bytes) -> Any:
        values = struct.unpack_from(self.format, data, self.offset)
        return values if self.length is not None and self.code != "B" else values[0]

    def write(self, data: bytearray, value: Any) -> None:
        values = value if isinstance(value, tuple) else (value,)
        struct.pack_into(self.format, data, self.offset, *values)


def _field(offset: int, kind: ci.Type) -> Field:
    if kind.kind == ci.TypeKind.CONSTANTARRAY:
        code = _FORMATS[kind.element_type.get_canonical().kind]
        return Field(offset, code, kind.element_count)
    return Field(offset, _FORMATS[kind.get_canonical().kind], None)


def _clang_fields(model: Model, folder: Path) -> dict[str, tuple[int, dict[str, Field]]]:
    """struct name -> (size, member -> Field), as libclang lays out the generated header."""
    for rel, text in render(model, ("uapi",)).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    root = folder / model.name / "include" / "uapi"
    source = folder / "layout.c"
    source.write_text(f"#include <{model.header}>\n")
    unit = ci.TranslationUnit.from_source(str(source), args=clang_args("x86_64-linux-gnu", [root]))
    assert [d for d in unit.diagnostics if d.severity >= ci.Diagnostic.Warning] == []
    layouts = {}
    for cursor in unit.cursor.get_children():
        where = cursor.location.file
        if (
            cursor.kind == ci.CursorKind.STRUCT_DECL
            and cursor.is_definition()
            and where is not None
            and Path(where.name) == root / model.header
        ):
            kind = cursor.type
            fields = {f.spelling: _field(kind.get_offset(f.spelling) // 8, f.type)
                      for f in kind.get_fields()}  # fmt: skip
            layouts[cursor.spelling] = (kind.get_size(), fields)
    return layouts


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


def _call(
    module: ModuleType,
    model: Model,
    command: Command,
    layout: tuple[int, dict[str, Field]],
    monkeypatch: Any,
) -> None:
    assert command.struct is not None
    size, fields = layout
    arguments, expected = {}, {}
    for serial, member in enumerate(command.arguments, start=1):
        arguments[member.python_name], expected[member.name] = _argument(member, serial)
    outputs = {m.name: _output(m, n) for n, m in enumerate(command.results, start=1)}
    seen: list[Any] = []

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        seen.append((number, bytes(buffer)))
        for name, (written, _) in outputs.items():
            fields[name].write(buffer, written)
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
    assert len(sent) == size == command.struct.size
    assert list(fields) == [m.name for m in command.struct.members]
    lengths = {m.kind.length.name: m for m in command.struct.buffer_pointers}  # type: ignore[attr-defined]
    zeros = bytes(size)
    for member in command.struct.members:
        got = fields[member.name].read(sent)
        if member.name == "size":
            want = size
        elif member.name in expected:
            want = expected[member.name]
            if isinstance(member.kind, UserBuffer):  # its address
                want = ctypes.addressof(ctypes.c_char.from_buffer(want)) if want else 0
        elif member.name in lengths:
            want = len(expected[lengths[member.name].name])
        else:  # reserved or output-only: sent as zero
            want = fields[member.name].read(zeros)
        assert got == want, member.name
    returned = [outputs[m.name][1] for m in command.results]
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
    folder = tmp_path_factory.mktemp("py")
    module = _package(model, folder)
    layouts = _clang_fields(model, folder)
    for command in model.commands:
        assert command.struct is not None
        _call(module, model, command, layouts[command.struct.name], monkeypatch)


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
