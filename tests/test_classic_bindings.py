"""The bindings of classic headers (tests/golden/classic) on every architecture: the classic
runtimes tell the architecture as the model names it (Python by machine, pointer size and
`long long` alignment; Rust by the `cfg` of every Linux target rustc knows), and the package,
imported as each of the 16 architectures, has that architecture's struct formats, sizes, offsets
and ioctl numbers: the model's, and libclang's reading of the generated header for that
architecture with its own uapi headers. The crate's number tables are the model's for all 16.

The generic Rust and Python checks (build, clippy, rustfmt, mypy, ruff, layouts on the host)
cover this golden case with the others, in test_rust.py and test_python_bindings.py.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from strict_ci import missing

from luogen.model import Model
from luogen.model.arch import ARCH_BY_NAME, ARCHES, Arch
from luogen.model.ctypes import facts
from luogen.pipeline import load
from luogen.render import render
from luogen.runtime import python_classic as rt

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "classic"
EXPECTED = GOLDEN / "expected" / "cdemo"


@pytest.fixture(scope="module")
def model() -> Model:
    return load(GOLDEN / "spec.yaml")


# --- the Python runtime ------------------------------------------------------------------------


def _identity(arch: Arch) -> tuple[int, int]:
    """(pointer size, alignment of long long) on `arch`, from the model's C facts."""
    return facts("void *")[arch.name].size, facts("long long")[arch.name].align


def test_the_python_runtime_knows_the_models_architectures() -> None:
    assert tuple(arch.name for arch in ARCHES) == rt.ARCHES
    for arch in ARCHES:
        for machine in arch.machines:
            assert rt._arch_of(machine, *_identity(arch)) == arch.name, (machine, arch.name)
    assert rt._arch_of("x86_64", *_identity(ARCHES[2])) == "x32"  # x32 has no machine of its own
    by_name = {arch.name: arch for arch in ARCHES}
    for (machine, pointer, align), name in rt.MACHINES.items():
        arch = by_name[name]
        assert (pointer, align) == _identity(arch), name
        # the machine is the architecture's own, or (32-bit userland) its 64-bit kernel's
        kin = [a for a in ARCHES if machine in a.machines and a.encoding == arch.encoding]
        assert machine in arch.machines or kin, (machine, name)


def test_an_unknown_machine_is_an_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    assert rt._arch_of("sparc64", 4, 8) is None  # 32-bit sparc userland: no model of it
    assert rt._arch_of("mips64", 4, 8) is None  # o32 or n32: unknowable
    monkeypatch.setattr("platform.machine", lambda: "vax")
    with pytest.raises(ImportError, match=r"'vax' with .-byte pointers is none of luogen's"):
        rt._this_arch()


def test_per_arch_and_packed() -> None:
    assert rt._per_arch("i386", 8, i386=4) == 4
    assert rt._per_arch("amd64", 8, i386=4) == 8
    assert rt._packed(struct.Struct("=h"), "x", 7) == bytearray(b"\x07\x00")
    with pytest.raises(ValueError, match=r"^x: "):
        rt._packed(struct.Struct("=h"), "x", 1 << 20)


# --- the Python package as each architecture -----------------------------------------------------


def _package_as(arch: Arch) -> ModuleType:
    """The golden package, imported as if it ran on `arch`."""
    folder = EXPECTED / "python" / "cdemo_uapi"
    name = f"_luogen_classic_{arch.name}"
    classic = importlib.util.spec_from_file_location(f"{name}._classic", folder / "_classic.py")
    package = importlib.util.spec_from_file_location(name, folder / "__init__.py")
    assert classic and classic.loader and package and package.loader
    runtime = importlib.util.module_from_spec(classic)
    classic.loader.exec_module(runtime)
    runtime._this_arch = lambda: arch.name  # type: ignore[attr-defined]
    module = importlib.util.module_from_spec(package)
    sys.modules[f"{name}._classic"], sys.modules[name] = runtime, module
    try:
        package.loader.exec_module(module)
    finally:
        del sys.modules[name], sys.modules[f"{name}._classic"]
    return module


@pytest.mark.parametrize("arch", ARCHES, ids=lambda a: a.name)
def test_the_package_has_each_architectures_layouts_and_numbers(model: Model, arch: Arch) -> None:
    package = _package_as(arch)
    assert arch.name == package.ARCH
    for struct_ in model.py_structs:
        cls = getattr(package, struct_.rust_name)
        layout = struct_.layout(arch)
        assert cls.STRUCT.format == struct_.py_format_on(arch)
        assert cls.STRUCT.size == cls.SIZE == layout.size, struct_.name
        assert list(cls.OFFSETS.values()) == list(layout.offsets), struct_.name
        # where `struct` puts each member's first value is the model's offset on `arch`
        starts, index = _value_starts(cls.STRUCT.format), 0
        for member, offset in zip(struct_.members, layout.offsets, strict=True):
            if member.kind.py_count:
                assert starts[index] == offset, (struct_.name, member.name)
            index += member.kind.py_count
        assert cls.unpack(cls().pack()) == cls()
    numbers = {c.ioctl_name: c.number_on(arch) for c in model.commands}
    assert package.ioctl_numbers(arch.name) == numbers
    assert {name: getattr(package, name) for name in numbers} == numbers


def _value_starts(fmt: str) -> list[int]:
    """The offset of each value a `struct` format packs (pad bytes skipped)."""
    starts, offset = [], 0
    for count, code in re.findall(r"(\d*)([xbBhHiIqQfds?])", fmt):
        size = struct.calcsize(f"={count}{code}")
        if code != "x":
            starts += [offset] if code == "s" else [offset + i * struct.calcsize(f"={code}")
                                                    for i in range(int(count or 1))]  # fmt: skip
        offset += size
    return starts


# --- libclang, architecture by architecture -----------------------------------------------------

# clang has its own target for these (alpha and hppa have none; its m68k ABI aligns as GCC's
# does not: test_layout checks those three with their own GCC).
CLANG_ARCHES = [a for a in ARCHES if a.name not in ("alpha", "hppa", "m68k")]


def _clang_records(arch: Arch) -> dict[str, tuple[int, list[int]]]:
    """struct name -> (size, offset of each field) as libclang lays the golden header out for
    `arch`, with that architecture's uapi headers."""
    ci = pytest.importorskip("clang.cindex")
    system = Path("/usr") / arch.triplet / "include"
    if not (system / "asm" / "ioctl.h").is_file():
        pytest.skip(f"no uapi headers for {arch.name} (make tools)")
    include = EXPECTED / "include" / "uapi"
    args = ["-x", "c", f"--target={arch.clang_target}", "-nostdinc", f"-I{include}",
            "-isystem", str(system)]  # fmt: skip
    unit = ci.TranslationUnit.from_source(
        "probe.c", args=args, unsaved_files=[("probe.c", "#include <linux/cdemo.h>\n")]
    )
    assert [str(d) for d in unit.diagnostics if d.severity >= ci.Diagnostic.Error] == []
    records: dict[str, tuple[int, list[int]]] = {}
    for cursor in unit.cursor.get_children():
        if cursor.kind == ci.CursorKind.STRUCT_DECL and cursor.is_definition() and cursor.spelling:
            offsets = [f.get_field_offsetof() // 8 for f in cursor.type.get_fields()]
            records[cursor.spelling] = (cursor.type.get_size(), offsets)
    return records


@pytest.mark.parametrize("arch", CLANG_ARCHES, ids=lambda a: a.name)
def test_the_packages_layouts_are_libclangs(model: Model, arch: Arch) -> None:
    records = _clang_records(arch)
    package = _package_as(arch)
    for struct_ in model.py_structs:
        cls = getattr(package, struct_.rust_name)
        assert (cls.SIZE, list(cls.OFFSETS.values())) == records[struct_.name], struct_.name


# --- the crate's tables -------------------------------------------------------------------------

_TABLE = re.compile(r"pub const (?P<name>\w+): c_ulong =\s*\[(?P<values>[^]]*)\]\[(?P<by>\w+)\];")


def test_the_crates_number_tables_are_the_models_on_every_architecture(model: Model) -> None:
    lib = render(model, ("rust",))["cdemo/rust/src/lib.rs"]
    tables = {m["name"]: m for m in _TABLE.finditer(lib)}
    assert sorted(tables) == sorted(c.ioctl_name or "" for c in model.commands)
    by_arch = 0
    for command in model.commands:
        table = tables[command.ioctl_name or ""]
        values = [int(v, 16) for v in table["values"].split(",") if v.strip()]
        if table["by"] == "ARCH":
            by_arch += 1
            assert values == [command.number_on(a) for a in ARCHES], command.ioctl_name
        else:
            for arch in (a for a in ARCHES if a.rust_arches):
                column = 1 if arch.encoding.name.startswith("powerpc") else 0
                assert values[column] == command.number_on(arch), (command.ioctl_name, arch.name)
    assert by_arch >= 4  # the sizes of long, pointers and cdemo_info differ per architecture


def test_the_crate_spells_each_classic_construct(model: Model) -> None:
    lib = render(model, ("rust",))["cdemo/rust/src/lib.rs"]
    for spelled in (
        "pub union CdemoEventAnon1 {",  # the anonymous union, its own type
        "pub __bindgen_anon_1: CdemoEventAnon1,",  # and its member, named as bindgen names it
        "#[repr(C, packed)]",
        "pub data: [u8; 0],",  # a flexible array
        "pub cells: [[c_int; 3]; 2],",
        "pub cookie: AlignedU64,",
        "pub counter: u64,",  # plain __u64: 4-aligned on i386, as u64 is there
        "pub timeout: c_long,",
        "pub lease: __kernel_long_t,",
        "pub type cdemo_id_t = u32;",
        "classic_ioctl! {",
        "cdemo_set_mode(value c_int) = CDEMO_SET_MODE",
        "cdemo_get_api_version() = CDEMO_GET_API_VERSION",
        "cdemo_exchange(inout CdemoEvent) = CDEMO_EXCHANGE",
        "cdemo_set_info(in CdemoInfo) = CDEMO_SET_INFO",
        "cdemo_get_info(out CdemoInfo) = CDEMO_GET_INFO",
    ):
        assert spelled in lib, spelled
    safe = render(model, ("rust",))["cdemo/rust/src/safe.rs"]
    for spelled in (
        "pub fn get_api_version(&self) -> io::Result<c_int> {",
        "pub fn set_mode(&self, value: c_int) -> io::Result<c_int> {",
        # cdemo_info holds a pointer: a driver may follow it, whichever way the struct goes
        "pub unsafe fn get_info(&self) -> io::Result<CdemoInfo> {",
        "pub unsafe fn set_info(&self, arg: CdemoInfo) -> io::Result<()> {",
        "pub fn exchange(&self, arg: CdemoEvent) -> io::Result<CdemoEvent> {",
        "pub unsafe fn set_label(&self, value: *mut c_void) -> io::Result<c_int> {",
    ):
        assert spelled in safe, spelled


# --- the Python safe layer ----------------------------------------------------------------------


def test_python_methods_pass_what_the_encoding_says(monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package_as(ARCHES[0])
    calls: list[tuple[int, Any]] = []

    def kernel(fd: int, number: int, arg: Any, mutate: bool = True) -> int:
        calls.append((number, bytes(arg) if not isinstance(arg, int) else arg))
        if isinstance(arg, bytearray) and number == package.CDEMO_GET_INFO:
            arg[:] = package.CdemoInfo(version=3, timeout=-2, name=b"dev").pack()
        if isinstance(arg, bytearray) and number == package.CDEMO_EXCHANGE:
            event = package.CdemoEvent.unpack(arg)
            arg[:] = package.CdemoEvent(type=event.type + 1, flags=3).pack()
        return 7

    monkeypatch.setattr(package, "_ioctl", kernel)
    device = package.Cdemo(os.open("/dev/null", os.O_RDONLY))
    assert device.get_api_version() == 7  # the ioctl's result
    assert device.set_mode(2) == 7 and calls[-1] == (package.CDEMO_SET_MODE, 2)
    info = device.get_info()
    assert (info.version, info.timeout, info.name.rstrip(b"\0")) == (3, -2, b"dev")
    answer = device.exchange(package.CdemoEvent(type=1, anon_1=b"\xff" * 8))
    assert (answer.type, answer.flags, answer.anon_1) == (2, 3, bytes(8))
    assert package.CdemoBlob.SIZE == 8 and not hasattr(package.CdemoBlob(), "data")
    device.set_timeout(-5)
    assert calls[-1] == (package.CDEMO_SET_TIMEOUT, (-5).to_bytes(8, sys.byteorder, signed=True))
    assert device.get_timeouts() == (0, 0)
    assert device.get_matrix().cells == ((0, 0, 0), (0, 0, 0))
    device.set_label(b"usb-1/input0\0")
    assert calls[-1] == (package.CDEMO_SET_LABEL, b"usb-1/input0\0")
    with pytest.raises(ValueError, match="value"):
        device.set_mode(1 << 40)
    with pytest.raises(ValueError, match="arg"):
        device.set_timeout(1 << 70)
    with pytest.raises(ValueError, match="arg must be a CdemoInfo"):
        device.set_info(3)
    device.close()


# --- the Rust runtime's ARCH, for every Linux target rustc knows --------------------------------

RUSTC = shutil.which("rustc")
_ARM = re.compile(r"#\[cfg\((?P<cfg>.*?)\)\]\s*pub const ARCH: usize = (?P<index>\d+);", re.S)
_REFUSED = re.compile(r"#\[cfg\((?P<cfg>not\(any\(.*?\)\))\)\]\s*compile_error!", re.S)


def _holds(cfg: str, facts: dict[str, set[str]]) -> bool:
    """Whether the `cfg` predicate `cfg` (all/any/not of key = "value") holds for `facts`."""
    text = cfg.strip()
    match = re.fullmatch(r'(\w+)\s*=\s*"([^"]*)"', text)
    if match:
        return match[2] in facts.get(match[1], set())
    head, _, rest = text.partition("(")
    parts, depth, current = [], 0, ""
    for char in rest[:-1]:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts = [p for p in [*parts, current] if p.strip()]
    values = [_holds(p, facts) for p in parts]
    return {"all": all, "any": any, "not": lambda v: not v[0]}[head.strip()](values)


def _target_facts(target: str) -> dict[str, set[str]]:
    out = subprocess.run([str(RUSTC), "--print", "cfg", "--target", target],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    found: dict[str, set[str]] = {}
    for key, value in re.findall(r'^(\w+)="([^"]*)"$', out, re.M):
        found.setdefault(key, set()).add(value)
    return found


@pytest.mark.skipif(RUSTC is None, reason=missing("rustc", "https://rustup.rs"))
def test_the_rust_runtime_selects_the_models_architecture_on_every_linux_target() -> None:
    """Each arm of classic.rs's `ARCH`, evaluated with the `cfg` rustc gives every Linux target:
    at most one holds, and the architecture it names has that target's `target_arch` and pointer
    width; where none holds the crate refuses to build, and every architecture with a Rust target
    is selected by some target."""
    source = (ROOT / "luogen" / "runtime" / "classic.rs").read_text()
    arms = [(m["cfg"], int(m["index"])) for m in _ARM.finditer(source)]
    (refused,) = [m["cfg"] for m in _REFUSED.finditer(source)]
    assert sorted(i for _, i in arms) == [i for i, a in enumerate(ARCHES) if a.rust_arches]
    listed = subprocess.run([str(RUSTC), "--print", "target-list"], capture_output=True,
                            text=True, check=True).stdout.split()  # fmt: skip
    selected: set[str] = set()
    for target in (t for t in listed if "-linux" in t):
        facts_ = _target_facts(target)
        chosen = [i for cfg, i in arms if _holds(cfg, facts_)]
        assert len(chosen) <= 1, target
        assert _holds(refused, facts_) == (not chosen), target
        if chosen:
            arch = ARCHES[chosen[0]]
            assert facts_["target_arch"] & set(arch.rust_arches), (target, arch.name)
            width = int(next(iter(facts_["target_pointer_width"])))
            assert width == 8 * facts("void *")[arch.name].size, (target, arch.name)
            selected.add(arch.name)
    assert selected == {a.name for a in ARCHES if a.rust_arches}


# linux/soundcard.h (linux-libc-dev 6.1): where `sparc` or `__sparc__` is defined, _SIOR(x,y,t)
# is ((int)(SIOC_OUT|((sizeof(t)&SIOCPARM_MASK)<<16)|(x<<8)|y)) with SIOC_OUT 0x20000000,
# _SIOWR's SIOC_INOUT is 0x60000000 and _SIO's SIOC_VOID 0; elsewhere they are _IOR, _IOWR, _IO.
OSS_NUMBERS = {
    "sparc64": {"CDEMO_OSS_SYNC": 0x430F, "CDEMO_OSS_GET_RATE": 0x20044310,
                "CDEMO_OSS_SET_RATE": 0x60044311},
    "amd64": {"CDEMO_OSS_SYNC": 0x430F, "CDEMO_OSS_GET_RATE": 0x80044310,
              "CDEMO_OSS_SET_RATE": 0xC0044311},
    "ppc64": {"CDEMO_OSS_SYNC": 0x2000430F, "CDEMO_OSS_GET_RATE": 0x40044310,
              "CDEMO_OSS_SET_RATE": 0xC0044311},
}  # fmt: skip


@pytest.mark.parametrize("arch", sorted(OSS_NUMBERS))
def test_the_oss_macros_give_sparc_its_own_numbers(model: Model, arch: str) -> None:
    ci = pytest.importorskip("clang.cindex")
    target = ARCH_BY_NAME[arch]
    expected = OSS_NUMBERS[arch]
    assert {n: model_command.number_on(target) for n, model_command in _by_name(model).items()
            if n in expected} == expected  # fmt: skip
    asserts = "".join(
        f'_Static_assert((unsigned int){name} == {value:#x}u, "{name}");\n'
        for name, value in expected.items()
    )
    include, system = EXPECTED / "include" / "uapi", f"/usr/{target.triplet}/include"
    args = ["-x", "c", f"--target={target.clang_target}", "-nostdinc", f"-I{include}",
            "-isystem", system]  # fmt: skip
    source = "#include <linux/cdemo.h>\n" + asserts
    unit = ci.TranslationUnit.from_source("oss.c", args=args, unsaved_files=[("oss.c", source)])
    assert [str(d) for d in unit.diagnostics if d.severity >= ci.Diagnostic.Warning] == []


def _by_name(model: Model) -> dict[str, Any]:
    return {c.ioctl_name or "": c for c in model.commands}


def test_a_typedef_of_a_record_needs_no_alias_in_the_bindings() -> None:
    """`typedef struct x x_t;` (linux/soundcard.h has 9): the bindings spell the record itself;
    the Rust crate once looked the record up as a C scalar and the generation failed."""
    import yaml

    from luogen.pipeline import load_bytes

    data = yaml.safe_load((GOLDEN / "spec.yaml").read_text())
    data["typedefs"].append({"name": "cdemo_info_t", "type": "struct cdemo_info", "doc": "Info."})
    model = load_bytes("cdemo.yaml", yaml.safe_dump(data).encode())
    texts = render(model, ("uapi", "rust", "python"))
    (header,) = [t for p, t in texts.items() if p.endswith("cdemo.h")]
    (crate,) = [t for p, t in texts.items() if p.endswith("src/lib.rs")]
    assert "typedef struct cdemo_info cdemo_info_t;" in header
    assert "pub type cdemo_id_t = u32;" in crate and "cdemo_info_t" not in crate


def test_a_member_named_as_what_the_class_uses_is_escaped(tmp_path: Path) -> None:
    """linux/soundcard.h's struct count_info has a member `bytes`: as a field it hid the type
    `bytes` that pack() and unpack() are annotated with, and mypy --strict refused the package."""
    import yaml

    from luogen.pipeline import load_bytes

    data = yaml.safe_load((GOLDEN / "spec.yaml").read_text())
    names = ("bytes", "memoryview", "blocks")
    members = [{"name": n, "type": "int", "doc": "A count."} for n in names]
    data["structs"].append({"name": "cdemo_count", "doc": "Counts.", "members": members})
    data["ranges"][0]["commands"].append(
        {"name": "get_tally", "ioctl": "CDEMO_GET_TALLY", "doc": "Counts.", "encoding": "_IOR",
         "nr": 0x7E, "argument": {"type": "struct", "struct": "cdemo_count"}}
    )  # fmt: skip
    model = load_bytes("cdemo.yaml", yaml.safe_dump(data).encode())
    for path, text in render(model, ("python",)).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (package,) = tmp_path.rglob("__init__.py")
    assert "    bytes_: int = 0\n" in package.read_text()
    assert "    memoryview_: int = 0\n" in package.read_text()
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(package.parent)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout
