"""Import hints (luogen/importer/hints.py): what a header cannot say of its commands, kept in
spec/imported/hints/ so that `luogen import` writes the committed specs again. Read against the
real linux/loop.h and linux/uinput.h of Debian's linux-libc-dev 6.1 (amd64)."""

from __future__ import annotations

from pathlib import Path

import pytest

from luogen.cheader.preludes import read_one
from luogen.cheader.reader import Session
from luogen.cli import main
from luogen.errors import SpecError
from luogen.importer import Imported, hints, import_header
from luogen.importer.yaml_out import dump
from luogen.model.arch import ARCH_BY_NAME, ARCHES
from luogen.pipeline import load_bytes

ROOT = Path(__file__).resolve().parent.parent
HINTS = ROOT / "spec" / "imported" / "hints"


@pytest.fixture(scope="module")
def session() -> Session:
    return Session("amd64")


def _import(session: Session, header: str, given: hints.Hints = hints.NONE) -> Imported:
    path = session.chain.locate(header)
    assert path is not None
    return import_header(read_one(session, header), path.read_text("latin-1"), None, given)


def _commands(imported: Imported) -> dict[str, dict[str, object]]:
    return {c["ioctl"]: c for r in imported.spec["ranges"] for c in r["commands"]}


def test_literal_numbers_carry_no_argument_without_a_hint(session: Session) -> None:
    imported = _import(session, "linux/loop.h")
    assert all("argument" not in c for c in _commands(imported).values())
    assert "structs" not in imported.spec  # no command needs struct loop_config
    (warning,) = [w for w in imported.warnings if "literals" in w]
    assert warning.endswith("give each command that takes one its 'argument' in hints/loop.yaml")


def test_the_loop_hints_give_the_arguments_and_their_records(session: Session) -> None:
    given = hints.read(HINTS / "loop.yaml", "linux/loop.h")
    imported = _import(session, "linux/loop.h", given)
    commands = _commands(imported)
    assert commands["LOOP_CONFIGURE"]["argument"] == {
        "type": "struct", "struct": "loop_config", "dir": "in",
    }  # fmt: skip
    assert commands["LOOP_SET_FD"]["argument"] == {"type": "int", "by-value": True}
    assert "argument" not in commands["LOOP_CTL_GET_FREE"]  # it returns the number
    # struct loop_config holds struct loop_info64: it comes first.
    names = [s["name"] for s in imported.spec["structs"]]
    assert names.index("loop_info64") < names.index("loop_config")
    # The spec says each hint above its command and builds: LOOP_GET_STATUS64 returns the record.
    text = dump(imported.spec, "linux/loop.h", imported.hinted)
    assert (
        "  # import hint: loop_get_status64() copies a struct loop_info64 to arg.\n"
        "  - name: get_status64\n    ioctl: LOOP_GET_STATUS64\n"
    ) in text
    model = load_bytes("loop.yaml", text.encode())
    (get,) = [c for r in model.ranges for c in r.commands if c.ioctl_name == "LOOP_GET_STATUS64"]
    assert get.classic_passing.py_result == "LoopInfo64"
    # A literal number is the same with an argument: LOOP_CONFIGURE is 0x4C0A (linux/loop.h).
    (configure,) = [c for r in model.ranges for c in r.commands if c.nr == 10]
    assert {configure.number_on(arch) for arch in ARCHES} == {0x4C0A}


def test_a_by_value_hint_marks_the_headers_argument(session: Session) -> None:
    given = hints.read(HINTS / "uinput.yaml", "linux/uinput.h")
    commands = _commands(_import(session, "linux/uinput.h", given))
    assert commands["UI_SET_EVBIT"]["argument"] == {"type": "int", "by-value": True}
    assert commands["UI_SET_PHYS"]["argument"] == {
        "type": "pointer", "to": "char", "by-value": True,
    }  # fmt: skip
    assert "by-value" not in commands["UI_DEV_SETUP"]["argument"]


BAD = [
    ("commands:\n  LOOP_CONFIGUR:\n    why: x\n    argument: {type: int}\n",
     "h.yaml:3:3: error: LOOP_CONFIGUR is no command import read from linux/loop.h (did you "
     "mean 'LOOP_CONFIGURE'?)"),
    ("commands:\n  LOOP_CLR_FD:\n    why: x\n    by-value: true\n",
     "h.yaml:3:3: error: LOOP_CLR_FD has no argument to pass by value: give its 'argument'"),
    ("commands:\n  LOOP_CONFIGURE:\n    why: x\n    argument: {type: struct, struct: loop_cfg}\n",
     "h.yaml:3:3: error: struct loop_cfg is no record of linux/loop.h (did you mean "
     "'loop_config'?)"),
    ("commands:\n  LOOP_CONFIGURE:\n    argument: {type: int}\n",
     "h.yaml:3:3: error: the hint of LOOP_CONFIGURE must say 'why' (where the driver reads its "
     "argument so)"),
    ("commands:\n  LOOP_CONFIGURE:\n    why: x\n    argumnet: {type: int}\n",
     "h.yaml:3:3: error: the hint of LOOP_CONFIGURE says nothing: give 'argument', 'by-value', "
     "'dir', 'transfers' or 'returns'\nh.yaml:5:5: error: unknown key 'argumnet' (did you mean "
     "'argument'?): a hint has why, argument, by-value, dir, transfers, returns"),
    ("commands:\n  LOOP_CLR_FD:\n    why: x\n    dir: inout\n",
     "h.yaml:3:3: error: LOOP_CLR_FD has no argument to say more of: give its 'argument'"),
    ("commands:\n  LOOP_CONFIGURE:\n    why: x\n    argument: {type: int}\n    dir: both\n",
     "h.yaml:6:10: error: 'dir' must be in, out or inout: who writes the argument"),
    ("commands:\n  LOOP_CTL_GET_FREE:\n    why: x\n    returns: fd\n",
     "h.yaml:5:14: error: 'returns' must be a mapping such as {type: fd, opens: RANGE}"),
    ("commands:\n  LOOP_CONFIGURE:\n    why: x\n    argument: {type: struct}\n",
     "h.yaml:5:15: error: an argument of type 'struct' names its record: give 'struct'"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "message"), BAD)
def test_a_hint_that_does_not_fit_is_a_located_error(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("h.yaml").write_text(f"header: linux/loop.h\n{body}")
    with pytest.raises(SpecError) as error:
        _import(session, "linux/loop.h", hints.read(Path("h.yaml"), "linux/loop.h"))
    assert str(error.value) == message


def test_a_hint_of_the_headers_own_argument_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text("header: linux/uinput.h\ncommands:\n  UI_DEV_SETUP:\n    why: x\n"
                    "    argument: {type: int}\n")  # fmt: skip
    with pytest.raises(SpecError) as error:
        _import(session, "linux/uinput.h", hints.read(path, "linux/uinput.h"))
    assert str(error.value) == (
        f"{path}:3:3: error: UI_DEV_SETUP: the header gives its argument already; a hint may "
        "only say 'by-value', 'dir' or 'transfers' of it"
    )


def test_import_reads_the_hints_beside_the_specs_and_reports_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hints").mkdir()
    (tmp_path / "hints" / "loop.yaml").write_text("header: linux/fs.h\ncommands: {}\n")
    assert main(["import", "-o", str(tmp_path), "linux/loop.h"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path}/hints/loop.yaml:1:9: error: 'header' must be 'linux/loop.h'" in err
    assert "Traceback" not in err and not (tmp_path / "loop.yaml").exists()


def test_a_returns_hint_makes_the_result_the_object_of_a_range(session: Session) -> None:
    given = hints.read(HINTS / "userfaultfd.yaml", "linux/userfaultfd.h")
    imported = _import(session, "linux/userfaultfd.h", given)
    new = _commands(imported)["USERFAULTFD_IOC_NEW"]
    assert new["returns"] == {"type": "fd", "opens": "ioctl"}
    model = load_bytes("userfaultfd.yaml", dump(imported.spec, "linux/userfaultfd.h").encode())
    (command,) = [
        c for r in model.ranges for c in r.commands if c.ioctl_name == "USERFAULTFD_IOC_NEW"
    ]
    assert command.returns_fd and command.returns_opens is model.ranges[0]
    assert command.classic_passing.py_result == "Userfaultfd"
    assert command.classic_passing.rust_result == "Userfaultfd"


def test_a_dir_hint_gives_the_direction_the_driver_uses(session: Session, tmp_path: Path) -> None:
    """RTC_PARAM_GET is _IOW('p', 0x13, struct rtc_param) in linux/rtc.h, and rtc_dev_ioctl()
    (drivers/rtc/dev.c of Linux 6.1) copies the parameter back: the bindings must return it, and
    the number stays _IOW's."""
    path = tmp_path / "rtc.yaml"
    path.write_text(
        "header: linux/rtc.h\ncommands:\n  RTC_PARAM_GET:\n    why: x\n    dir: inout\n"
    )
    imported = _import(session, "linux/rtc.h", hints.read(path, "linux/rtc.h"))
    assert _commands(imported)["RTC_PARAM_GET"]["argument"]["dir"] == "inout"
    model = load_bytes("rtc.yaml", dump(imported.spec, "linux/rtc.h", imported.hinted).encode())
    (get,) = [c for r in model.ranges for c in r.commands if c.ioctl_name == "RTC_PARAM_GET"]
    assert get.classic_passing.py_result == "RtcParam"
    # _IOW('p', 0x13, 24 bytes) on amd64: write bit 1 << 30, size 24 << 16, type 0x70 << 8.
    assert get.number_on(ARCH_BY_NAME["amd64"]) == (1 << 30) | (24 << 16) | (0x70 << 8) | 0x13
    (warning,) = [w for w in model.warnings if "_IOW says" in str(w)]
    assert "_IOW says the argument is 'in', the driver treats it as 'inout'" in str(warning)


def test_a_transfers_hint_gives_the_bindings_the_drivers_type(
    session: Session, tmp_path: Path
) -> None:
    """BLKGETSIZE64 is _IOR(0x12, 114, size_t) in linux/fs.h, and block/ioctl.c of Linux 6.1
    writes a u64 through it (put_u64, on the compat path too): the number keeps size_t's size
    (4 on i386), the bindings pass 8 bytes on every architecture."""
    path = tmp_path / "fs.yaml"
    path.write_text(
        "header: linux/fs.h\ncommands:\n  BLKGETSIZE64:\n    why: x\n    transfers: __u64\n"
    )
    imported = _import(session, "linux/fs.h", hints.read(path, "linux/fs.h"))
    assert _commands(imported)["BLKGETSIZE64"]["argument"] == {
        "type": "size_t", "transfers": "__u64",
    }  # fmt: skip
    model = load_bytes("fs.yaml", dump(imported.spec, "linux/fs.h", imported.hinted).encode())
    (get,) = [c for r in model.ranges for c in r.commands if c.ioctl_name == "BLKGETSIZE64"]
    # _IOR: read bit 2 << 30 (1 << 30 on powerpc), the size, type 0x12 << 8, nr 114.
    assert get.number_on(ARCH_BY_NAME["i386"]) == (2 << 30) | (4 << 16) | (0x12 << 8) | 114
    assert get.number_on(ARCH_BY_NAME["amd64"]) == (2 << 30) | (8 << 16) | (0x12 << 8) | 114
    assert get.argument_spelling == "size_t"
    assert all(get.argument.kind.size(arch) == 8 for arch in ARCHES)  # type: ignore[union-attr]
    (warning,) = [w for w in model.warnings if "transfers" in str(w)]
    assert "the two differ in size on i386, x32, armhf, powerpc, mips, m68k, hppa" in str(warning)
