"""The Python target: every package luogen renders (spec/ and the golden specs) lays out each struct
as the model says, picks the model's ioctl numbers for the machine it runs on, refuses bad
arguments with ValueError before any ioctl, raises OSError with errno and the ioctl's name when the
kernel refuses, and is clean under `mypy --strict` and `ruff check`.
"""

from __future__ import annotations

import ctypes
import dataclasses
import errno
import importlib.util
import os
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cheaders import Header, clang_view, header_cases
from test_rust import HOSTILE, hostile_model

from luogen import spec
from luogen.cli import main
from luogen.model import ARCHES, Model, build
from luogen.model.arch import HOST_REFERENCE
from luogen.render import render

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted([*(ROOT / "spec").glob("*.yaml"), *(ROOT / "tests" / "golden").glob("*/spec.yaml")])


def _model(path: Path) -> Model:
    loaded = spec.read(path)
    spec.validate(loaded)
    return build(loaded)


MODELS = {m.name: m for m in map(_model, SPECS)}
# The specs whose packages pick numbers by encoding (`ioctl_numbers(machine)`); a classic
# header's pick them by architecture (`ioctl_numbers(arch)`, test_classic_bindings.py).
EXTENSIBLE = sorted(name for name, model in MODELS.items() if not model.classic_runtime)
# The rules luogen holds its own code to; the generated pyproject.toml carries no ruff table (a
# nested one would make ruff keep a cache inside the generated folders).
RUFF_RULES = ["--line-length", "100", "--target-version", "py311"]
RUFF_RULES += ["--select", "E,F,W,I,B,UP,SIM,RUF"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("python")
    assert main(["generate", "-t", "python", "-o", str(root), *map(str, SPECS)]) == 0
    for index in range(len(HOSTILE)):
        for rel, text in render(hostile_model(index), ("python",)).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    return root


def _load(root: Path, name: str, alias: str | None = None) -> ModuleType:
    """The package of spec `name`, imported under `alias` (a fresh module each call)."""
    package = MODELS[name].python_package
    init = root / name / "python" / package / "__init__.py"
    module_name = alias or f"_luogen_test_{package}"
    loaded = importlib.util.spec_from_file_location(module_name, init)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules[module_name] = module  # dataclasses look their module up while building
    try:
        loaded.loader.exec_module(module)
    finally:
        del sys.modules[module_name]
    return module


@pytest.fixture(scope="module")
def modules(rendered: Path) -> dict[str, ModuleType]:
    return {name: _load(rendered, name) for name in MODELS}


@pytest.fixture
def no_ioctl(monkeypatch: pytest.MonkeyPatch, modules: dict[str, ModuleType]) -> list[Any]:
    """Makes every package's ioctl fail the test if called; returns the calls."""
    calls: list[Any] = []

    def forbidden(*args: Any) -> int:
        calls.append(args)
        raise AssertionError(f"ioctl called: {args}")

    for module in modules.values():
        monkeypatch.setattr(module, "_ioctl", forbidden)
    return calls


@pytest.fixture
def dev_null() -> Iterator[Callable[[], int]]:
    opened: list[int] = []

    def open_one() -> int:
        fd = os.open("/dev/null", os.O_RDWR)
        opened.append(fd)
        return os.dup(fd)  # the object under test owns the dup

    yield open_one
    for fd in opened:
        os.close(fd)


# --- layout --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MODELS))
def test_struct_sizes_and_offsets_are_the_models(name: str, modules: dict[str, ModuleType]) -> None:
    module = modules[name]
    for s in (s for s in MODELS[name].all_structs if not s.union):  # a union is bytes
        cls = getattr(module, s.rust_name)
        assert cls.STRUCT.size == cls.SIZE == s.size, s.name
        assert cls.STRUCT.format == s.py_format_on(HOST_REFERENCE)
        assert dict(zip(s.field_names, s.offsets, strict=True)) == cls.OFFSETS
        if not s.extensible_style:
            continue  # holes are pad bytes: test_classic_bindings checks each architecture
        # the offset `struct` puts each member at is the model's (no implicit padding anywhere)
        for i, (member, offset) in enumerate(s.fields):
            before = "=" + "".join(m.kind.py_format for m in s.members[:i])
            assert struct.calcsize(before) == offset, (s.name, member.name)
        zero = cls()
        assert zero.pack() == bytes(s.size)
        assert cls.unpack(zero.pack()) == zero


def test_members_land_at_their_c_offsets(modules: dict[str, ModuleType]) -> None:
    lu = modules["liveupdate"]
    packed = lu.LiveupdateSessionPreserveFd(size=24, fd=7, token=0x1122334455667788).pack()
    offsets = lu.LiveupdateSessionPreserveFd.OFFSETS
    assert packed[offsets["fd"] : offsets["fd"] + 4] == (7).to_bytes(4, sys.byteorder)
    assert packed[offsets["token"] :] == (0x1122334455667788).to_bytes(8, sys.byteorder)
    demo = modules["demo"]
    extent = demo.DemoExtent(range=demo.DemoRange(start=1, length=2), label=b"ab")
    opened = demo.DemoOpen(extents=(extent, demo.DemoExtent()), more=(1, 2, 3, 4), cookie=9)
    again = demo.DemoOpen.unpack(opened.pack())
    assert again.extents[0].range == demo.DemoRange(start=1, length=2)
    assert again.extents[0].label.rstrip(b"\0") == b"ab"
    assert (again.more, again.cookie) == ((1, 2, 3, 4), 9)
    query = demo.DemoQuery.unpack(bytes(demo.DemoQuery.SIZE))
    assert query.mode is demo.DemoMode.DEMO_MODE_OFF
    # an alias (`alias-of`) is the member it names, not a value of its own
    assert demo.DemoMode.DEMO_MODE_DEFAULT is demo.DemoMode.DEMO_MODE_OFF
    assert [m.name for m in demo.DemoMode] == ["DEMO_MODE_OFF", "DEMO_MODE_ON", "DEMO_MODE_TURBO"]
    assert demo.DemoMode(0) is demo.DemoMode.DEMO_MODE_DEFAULT
    # a value this package does not name (a newer kernel's) stays a plain int
    raw = bytearray(demo.DemoQuery.SIZE)
    raw[demo.DemoQuery.OFFSETS["mode"]] = 99
    assert demo.DemoQuery.unpack(bytes(raw)).mode == 99


def test_a_flag_alias_is_the_member_it_names(modules: dict[str, ModuleType]) -> None:
    """tests/golden/wide_flags: WIDE_HW_DEFAULT (an enum's flag) and WIDE_CAP_HIGH_WORD (a
    macro's) are second names (`alias-of`), no flags of their own."""
    flags, caps = modules["wide"].WideHwFlags, modules["wide"].WideCaps
    assert flags.WIDE_HW_DEFAULT is flags.WIDE_HW_A
    assert caps.WIDE_CAP_HIGH_WORD is caps.WIDE_CAP_HIGH and caps.WIDE_CAP_HIGH_WORD == 1 << 32
    assert [f.name for f in flags] == ["WIDE_HW_A", "WIDE_HW_B"]
    assert flags.WIDE_HW_DEFAULT | flags.WIDE_HW_B == flags.WIDE_HW_A | flags.WIDE_HW_B
    assert flags(1).name == "WIDE_HW_A"


# --- ioctl numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("machine", ["x86_64", "ppc64le", "mips", "aarch64", "sparc64"])
@pytest.mark.parametrize("name", EXTENSIBLE)
def test_ioctl_numbers_per_machine_are_the_models(
    name: str, machine: str, modules: dict[str, ModuleType]
) -> None:
    (arch,) = [a for a in ARCHES if machine in a.machines]
    numbers = modules[name].ioctl_numbers(machine)
    assert numbers == {c.ioctl_name: c.number(arch.encoding) for c in MODELS[name].commands}


def test_numbers_are_chosen_at_import_by_platform_machine(
    rendered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = MODELS["liveupdate"]
    for machine in ("x86_64", "ppc64le", "mips", "riscv64", "something-new"):
        monkeypatch.setattr("platform.machine", lambda m=machine: m)
        module = _load(rendered, "liveupdate", alias=f"_lu_{machine.replace('-', '_')}")
        arches = [a for a in ARCHES if machine in a.machines] or [ARCHES[0]]  # unknown: generic
        for command in model.commands:
            assert getattr(module, command.ioctl_name or "") == command.number(arches[0].encoding)


# --- arguments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda lu, fd: lu.LiveUpdate(fd).create_session("x" * 64),
        lambda lu, fd: lu.LiveUpdate(fd).create_session(b"x" * 200),
        lambda lu, fd: lu.LiveUpdate(fd).create_session("a\0b"),
        lambda lu, fd: lu.LiveUpdate(fd).retrieve_session(b"\0"),
        lambda lu, fd: lu.Session(fd).preserve_fd(-1, 1),
        lambda lu, fd: lu.Session(fd).preserve_fd(2**31, 1),
        lambda lu, fd: lu.Session(fd).preserve_fd(0, -1),
        lambda lu, fd: lu.Session(fd).preserve_fd(0, 2**64),
        lambda lu, fd: lu.Session(fd).preserve_fd(0, "1"),
        lambda lu, fd: lu.Session(fd).preserve_fd(True, 1),
        lambda lu, fd: lu.Session(fd).retrieve_fd(2**64),
        lambda lu, fd: lu.Session(fd).retrieve_fd(-5),
    ],
    ids=[
        "name-64-bytes", "name-200-bytes", "name-nul", "name-only-nul", "fd-negative",
        "fd-too-big", "token-negative", "token-too-big", "token-str", "fd-bool",
        "retrieve-token-too-big", "retrieve-token-negative",
    ],
)  # fmt: skip
def test_bad_arguments_raise_valueerror_before_any_ioctl(
    call: Callable[[ModuleType, int], object],
    modules: dict[str, ModuleType],
    no_ioctl: list[Any],
    dev_null: Callable[[], int],
) -> None:
    with pytest.raises(ValueError):
        call(modules["liveupdate"], dev_null())
    assert no_ioctl == []


def test_other_specs_check_their_arguments_too(
    modules: dict[str, ModuleType], no_ioctl: list[Any], dev_null: Callable[[], int]
) -> None:
    fw, demo = modules["fwctl"], modules["demo"]
    config = fw.FwctlRpcScope.FWCTL_RPC_CONFIGURATION
    with pytest.raises(ValueError, match="scope"):
        fw.Fwctl(dev_null()).rpc(2**32, b"", bytearray())
    with pytest.raises(ValueError, match=r"^in must be a C-contiguous bytes-like object$"):
        fw.Fwctl(dev_null()).rpc(config, 5, bytearray())
    with pytest.raises(ValueError, match=r"^out must be writable: the kernel writes into it$"):
        fw.Fwctl(dev_null()).rpc(config, b"request", b"read-only")
    with pytest.raises(ValueError, match=r"^out_device_data must be a C-contiguous"):
        fw.Fwctl(dev_null()).info(memoryview(bytearray(8))[::2])
    with pytest.raises(ValueError, match="extents"):
        demo.Demo(dev_null()).ioctl_open(0, 0, 0, [demo.DemoExtent()])
    with pytest.raises(ValueError, match="more"):
        demo.Demo(dev_null()).ioctl_open(0, 0, 0, [demo.DemoExtent()] * 2, 0, (1, 2, 3, 2**16))
    assert no_ioctl == []


def test_a_buffer_longer_than_its_length_member_holds_is_refused(
    modules: dict[str, ModuleType],
) -> None:
    memory = modules["fwctl"]._memory
    assert memory(b"abc", False, 3, "in")[2] == 3
    with pytest.raises(ValueError, match=r"^in is 4 bytes long; its length member holds at most"):
        memory(b"abcd", False, 3, "in")


def test_a_closed_object_raises_valueerror(
    modules: dict[str, ModuleType], dev_null: Callable[[], int]
) -> None:
    closed = modules["demo"].Demo(dev_null())
    closed.close()
    with pytest.raises(ValueError, match=r"^I/O operation on a closed Demo$"):
        closed.query()


def test_good_arguments_reach_the_kernel_as_the_struct_says(
    modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, dev_null: Callable[[], int]
) -> None:
    lu = modules["liveupdate"]
    seen: list[tuple[int, bytes]] = []
    session_fd = dev_null()

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        seen.append((number, bytes(buffer)))
        arg = lu.LiveupdateIoctlCreateSession.unpack(buffer)
        out = lu.LiveupdateIoctlCreateSession(size=arg.size, fd=session_fd, name=arg.name)
        buffer[:] = out.pack()
        return 0

    monkeypatch.setattr(lu, "_ioctl", kernel)
    with lu.LiveUpdate(dev_null()) as device:
        session = device.create_session("my-session")
    assert device.closed
    assert isinstance(session, lu.Session) and session.fileno() == session_fd
    ((number, sent),) = seen
    assert number == lu.LIVEUPDATE_IOCTL_CREATE_SESSION
    arg = lu.LiveupdateIoctlCreateSession.unpack(sent)
    assert arg.size == lu.LiveupdateIoctlCreateSession.SIZE == 72
    assert arg.name == b"my-session".ljust(64, b"\0")
    session.close()


def test_each_selector_value_is_a_method_that_takes_and_returns_what_it_chooses(
    modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, dev_null: Callable[[], int]
) -> None:
    """tests/golden/direction_by: `option_set` passes val64 with op SET, `option_get` passes
    op GET and returns what the kernel wrote in val64; `vfio_ioas_clear` passes op CLEAR alone."""
    db = modules["direction_by"]
    seen: list[Any] = []

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        record = (
            db.DirectionByOption if number == db.DIRECTION_BY_OPTION else db.DirectionByVfioIoas
        )
        arg = record.unpack(buffer)
        seen.append(arg)
        if number == db.DIRECTION_BY_OPTION:
            buffer[:] = dataclasses.replace(arg, val64=42).pack()
        return 0

    monkeypatch.setattr(db, "_ioctl", kernel)
    rlimit = db.DirectionByOptionId.DIRECTION_BY_OPTION_RLIMIT_MODE
    with db.DirectionBy(dev_null()) as ctx:
        assert ctx.option_set(rlimit, 7, 5) is None
        assert ctx.option_get(rlimit, 7) == 42
        assert ctx.vfio_ioas_clear() is None
    put, got, cleared = seen
    assert (put.op, put.object_id, put.val64) == (
        db.DirectionByOptionOp.DIRECTION_BY_OPTION_OP_SET,
        7,
        5,
    )
    assert (got.op, got.val64) == (db.DirectionByOptionOp.DIRECTION_BY_OPTION_OP_GET, 0)
    assert cleared.op == db.DirectionByVfioIoasOp.DIRECTION_BY_VFIO_IOAS_CLEAR
    assert not hasattr(db.DirectionBy, "option")  # one method per value, none for the command


def test_byte_ordered_members_reach_the_kernel_in_their_order_as_host_ints(
    modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, dev_null: Callable[[], int]
) -> None:
    """le/be members are packed in their byte order whatever the host's (struct's `<`/`>`) and
    read back as host ints: tests/golden/byte_order's struct smmu_set_entry."""
    smmu = modules["smmu"]
    at = smmu.SmmuSetEntry.OFFSETS
    seen: list[bytes] = []

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        seen.append(bytes(buffer))
        buffer[at["out_hits"] : at["out_hits"] + 2] = b"\x02\x01"  # le16 0x0102
        buffer[at["cookie"] : at["cookie"] + 8] = bytes(range(1, 9))  # be64 0x0102..08
        old = at["out_old"]
        buffer[old : old + 8] = bytes(range(8, 0, -1))  # its ste[0], le64 0x0102..08
        return 0

    monkeypatch.setattr(smmu, "_ioctl", kernel)
    entry = smmu.SmmuSte(ste=(0x1122334455667788, 1), sid=0x01020304, tag=0x0A0B, vmid=0x0C0D)
    with smmu.Smmu(dev_null()) as device:
        out = device.set_entry(0, 0x01020304, 0x1112131415161718, entry)
    (sent,) = seen
    assert sent[at["cfg"] : at["cfg"] + 4] == bytes([4, 3, 2, 1])
    assert sent[at["cookie"] : at["cookie"] + 8] == bytes.fromhex("1112131415161718")
    want = "88776655443322110100000000000000040302010a0b0c0d"
    assert sent[at["entry"] : at["entry"] + 24] == bytes.fromhex(want)
    assert out.out_hits == 0x0102 and out.cookie == 0x0102030405060708
    assert out.out_old.ste == (0x0102030405060708, 0)
    assert smmu.SmmuSte.unpack(entry.pack()) == entry
    with pytest.raises(ValueError, match="smmu_ste"):
        smmu.SmmuSte(sid=1 << 32).pack()


def _fake_fwctl(fw: ModuleType, device_type: int) -> Callable[[int, int, bytearray, bool], int]:
    """A stand-in for the fwctl kernel: it reads and writes user memory through the pointers, as
    the real one does (the real one runs in tests/kmod)."""

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        if number == fw.FWCTL_INFO:
            arg = fw.FwctlInfo.unpack(buffer)
            blob = b"device-blob"
            ctypes.memmove(arg.out_device_data, blob, min(len(blob), arg.device_data_len))
            out = dataclasses.replace(arg, out_device_type=device_type, device_data_len=len(blob))
        else:
            arg = fw.FwctlRpc.unpack(buffer)
            request = ctypes.string_at(arg.in_, arg.in_len)
            ctypes.memmove(arg.out, request.upper(), min(arg.in_len, arg.out_len))
            out = dataclasses.replace(arg, out_len=arg.in_len)
        buffer[:] = out.pack()
        return 0

    return kernel


def test_buffers_reach_the_kernel_as_address_and_length(
    modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, dev_null: Callable[[], int]
) -> None:
    fw = modules["fwctl"]
    monkeypatch.setattr(fw, "_ioctl", _fake_fwctl(fw, 1))
    with fw.Fwctl(dev_null()) as device:
        user = fw.UserBuffer(32)
        info = device.info(user)
        assert info.device_data_len == 11
        assert info.out_device_type is fw.FwctlDeviceType.FWCTL_DEVICE_TYPE_MLX5
        assert bytes(user) == b"device-blob".ljust(32, b"\0") and len(user) == 32
        whole = bytearray(b"." * 16)
        assert device.info(memoryview(whole)[4:8]).device_data_len == 11
        assert whole == b"....devi........"  # only the 4 bytes of the slice were written
        assert device.info(bytearray()).device_data_len == 11  # NULL, length 0
        out = bytearray(8)
        assert device.rpc(fw.FwctlRpcScope.FWCTL_RPC_CONFIGURATION, b"hello", out) == 5
        assert out == b"HELLO\0\0\0"
        assert device.rpc(0, fw.UserBuffer(b"abc"), memoryview(out)) == 3
        assert out == b"ABCLO\0\0\0"
    monkeypatch.setattr(fw, "_ioctl", _fake_fwctl(fw, 77))
    with fw.Fwctl(dev_null()) as device:
        unknown = device.info(bytearray(4)).out_device_type
        assert unknown == 77 and type(unknown) is int  # a value this package does not name yet


def test_an_fd_that_opens_an_object_is_that_object_among_several_outputs(
    modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, dev_null: Callable[[], int]
) -> None:
    demo = modules["demo"]
    object_fd = dev_null()

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        arg = demo.DemoOpen.unpack(buffer)
        buffer[:] = dataclasses.replace(arg, fd=object_fd, buffer_len=3).pack()
        return 0

    monkeypatch.setattr(demo, "_ioctl", kernel)
    with demo.Demo(dev_null()) as device:
        out = device.ioctl_open(0, 8, 0, [demo.DemoExtent()] * 2)
    assert isinstance(out, demo.DemoOpenOut) and out.buffer_len == 3
    assert isinstance(out.fd, demo.Object) and out.fd.fileno() == object_fd
    out.fd.close()


def test_optional_buffers_and_strings_default_to_none_passed(
    modules: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch, dev_null: Callable[[], int]
) -> None:
    """An optional buffer left out is no buffer (NULL, length 0), in and out; an optional
    string left out is all zeros: the ioctl is made, nothing raises ValueError."""
    demo = modules["demo"]
    sent: list[Any] = []

    def kernel(fd: int, number: int, buffer: bytearray, mutate: bool) -> int:
        sent.append(demo.DemoObjectTransfer.unpack(buffer))
        return 0

    monkeypatch.setattr(demo, "_ioctl", kernel)
    with demo.Object(dev_null()) as obj:
        assert obj.transfer(7) == 0
        assert obj.transfer(7, None, None) == 0
        obj.transfer(7, b"abc", bytearray(5), "x")
    for arg in sent[:2]:
        assert (arg.channel, arg.request, arg.request_len) == (7, 0, 0)
        assert (arg.response, arg.response_len, arg.label) == (0, 0, b"\0" * 16)
    given = sent[2]
    assert given.request != 0 and given.response != 0
    assert (given.request_len, given.response_len) == (3, 5)
    assert given.label == b"x".ljust(16, b"\0")


# --- errors --------------------------------------------------------------------------------------


def test_failing_ioctls_raise_oserror_with_errno_and_the_ioctls_name(
    modules: dict[str, ModuleType], dev_null: Callable[[], int]
) -> None:
    lu = modules["liveupdate"]
    calls: list[tuple[str, Callable[[], object]]] = []
    with lu.LiveUpdate(dev_null()) as device, lu.Session(dev_null()) as session:
        calls += [
            ("LIVEUPDATE_IOCTL_CREATE_SESSION", lambda: device.create_session("s")),
            ("LIVEUPDATE_IOCTL_RETRIEVE_SESSION", lambda: device.retrieve_session(b"s")),
            ("LIVEUPDATE_SESSION_PRESERVE_FD", lambda: session.preserve_fd(0, 1)),
            ("LIVEUPDATE_SESSION_RETRIEVE_FD", lambda: session.retrieve_fd(1)),
            ("LIVEUPDATE_SESSION_FINISH", session.finish),
            ("LIVEUPDATE_SESSION_GET_NAME", session.get_name),
            ("LIVEUPDATE_SESSION_GET_NAME", lambda: session.name),
        ]
        for ioctl_name, call in calls:
            with pytest.raises(OSError) as caught:
                call()
            assert caught.value.errno == errno.ENOTTY, ioctl_name
            assert ioctl_name in str(caught.value)


def test_every_argumentless_command_of_every_spec_fails_on_dev_null(
    modules: dict[str, ModuleType], dev_null: Callable[[], int]
) -> None:
    tried = 0
    for name, model in MODELS.items():
        for command_range in model.ranges:
            cls = getattr(modules[name], command_range.class_name)
            for command in (v for c in command_range.live for v in c.variants):
                if not command.parameterless:
                    continue
                with cls(dev_null()) as obj, pytest.raises(OSError) as caught:
                    getattr(obj, command.python_method)()
                assert caught.value.errno == errno.ENOTTY
                assert str(command.ioctl_name) in str(caught.value)
                tried += 1
    assert tried >= 4


def test_open_uses_the_spec_path_and_fails_with_its_errno(modules: dict[str, ModuleType]) -> None:
    lu, fw = modules["liveupdate"], modules["fwctl"]
    assert lu.LiveUpdate.DEFAULT_PATH == "/dev/liveupdate"
    with lu.LiveUpdate.open("/dev/null") as device:
        assert device.fileno() >= 0
    with pytest.raises(FileNotFoundError):
        fw.Fwctl.open("/nonexistent/fwctl0")


# --- static checks -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MODELS) + [f"hostile{i}" for i in range(len(HOSTILE))])
def test_package_is_clean_under_mypy_strict_and_ruff(name: str, rendered: Path) -> None:
    folder = rendered / name / "python"
    assert (folder / f"{name}_uapi" / "py.typed").exists()
    check_package(folder, f"{name}_uapi")


def check_package(folder: Path, package: str) -> None:
    """The package below `folder` imports warning-free, mypy --strict and ruff check pass it, and
    ruff format would change nothing."""
    for command in (
        [sys.executable, "-W", "error", "-c", f"import {package}"],
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", package],
        [sys.executable, "-m", "ruff", "check", "--no-cache", *RUFF_RULES, "."],
        [sys.executable, "-m", "ruff", "format", "--no-cache", "--check", "--line-length=100", "."],
    ):
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("header", header_cases(), ids=lambda h: h.name)
def test_python_layout_and_numbers_are_libclangs(
    header: Header, modules: dict[str, ModuleType]
) -> None:
    """Sizes and offsets of every struct class, and the x86-64 ioctl numbers, against libclang's
    reading of the generated C header (not the model)."""
    structs, macros, problems = clang_view(header)
    assert problems == []
    module = modules[header.name]
    for struct_name, seen in structs.items():
        cls = next(
            getattr(module, s.rust_name) for s in header.model.all_structs if s.name == struct_name
        )
        assert (seen.size, seen.offsets) == (cls.SIZE, cls.OFFSETS), struct_name
    numbers = module.ioctl_numbers("amd64" if header.model.classic_runtime else "x86_64")
    assert numbers
    assert numbers == {name: macros[name] for name in numbers}
