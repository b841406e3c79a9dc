"""Every warning of `luogen import`, each on a real installed header where one has it (Debian's
linux-libc-dev 6.1, amd64's uapi tree) and on a small header of its own where none does; and
import over every installed header, which never raises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luogen.cheader.preludes import read_one
from luogen.cheader.reader import Session
from luogen.errors import LuogenError
from luogen.importer import Imported, import_header
from luogen.importer.yaml_out import dump
from luogen.pipeline import load_bytes
from luogen.verify.corpus import DIRS


@pytest.fixture(scope="module")
def session() -> Session:
    return Session("amd64")


def _imported(session: Session, header: str) -> Imported:
    facts = read_one(session, header)
    path = session.chain.locate(header)
    assert path is not None
    return import_header(facts, path.read_text("latin-1"))


def _line(session: Session, header: str, pattern: str) -> int:
    """The line of `header` (1-based) that `pattern` first matches, read from the file."""
    path = session.chain.locate(header)
    assert path is not None
    for number, line in enumerate(path.read_text("latin-1").splitlines(), 1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern} not in {header}")


# header, the command left out, its reason, the declaration the warning points at, and what the
# warning says of it. Each is the header's own text (linux-libc-dev 6.1).
REAL = [
    # #define UI_GET_SYSNAME(len) _IOC(_IOC_READ, UINPUT_IOCTL_BASE, 44, len)
    ("linux/uinput.h", "UI_GET_SYSNAME", "family", r"#define UI_GET_SYSNAME\(",
     "is a family of ioctl numbers"),
    # struct drm_control { enum { DRM_ADD_COMMAND, ... } func; int irq; };
    ("drm/drm.h", "DRM_IOCTL_CONTROL", "anonymous-enum", r"^struct drm_control \{",
     "a member of an anonymous enum type"),
    # struct floppy_fdc_state { ... unsigned int rawcmd:2; ... }
    ("linux/fd.h", "FDGETFDCSTAT", "bit-field", r"^struct floppy_fdc_state \{",
     "has a bit-field ('rawcmd')"),
    # typedef char floppy_drive_name[16]; #define FDGETDRVTYP _IOR(2, 0x0f, floppy_drive_name)
    ("linux/fd.h", "FDGETDRVTYP", "array-typedef", r"#define FDGETDRVTYP",
     "an array type written through a typedef"),
    # typedef __u16 WORD; struct _IOCTL_Command_struct { ... WORD ...
    ("linux/cciss_ioctl.h", "CCISS_PASSTHRU", "typedef-spelling",
     r"^typedef struct _IOCTL_Command_struct", "is written through '__u16'"),
    # #define XSDFEC_SET_BYPASS _IOW(XSDFEC_MAGIC, 9, bool)
    ("misc/xilinx_sdfec.h", "XSDFEC_SET_BYPASS", "unknown-type", r"#define XSDFEC_SET_BYPASS",
     "no architecture facts for C type 'bool'"),
    # typedef struct { int context; ... } drm_sis_mem_t; _IOWR(..., drm_sis_mem_t)
    ("drm/sis_drm.h", "DRM_IOCTL_SIS_FB_ALLOC", "anonymous-record",
     r"#define DRM_IOCTL_SIS_FB_ALLOC", "an anonymous record outside a member"),
    # typedef struct { ... } drm_radeon_state_t; struct drm_radeon_vertex2 { ...
    # drm_radeon_state_t *state; ... }; _IOW(..., drm_radeon_vertex2_t)
    ("drm/radeon_drm.h", "DRM_IOCTL_RADEON_VERTEX2", "anonymous-record",
     r"^typedef struct drm_radeon_vertex2 \{",
     "a pointer to an anonymous record written through a typedef ('drm_radeon_state_t *')"),
    # struct snd_emu10k1_fx8010_code { ... __EMU10K1_DECLARE_BITMAP(gpr_valid, 0x200); ...
    ("sound/emu10k1.h", "SNDRV_EMU10K1_IOCTL_CODE_POKE", "macro-member",
     r"^struct snd_emu10k1_fx8010_code \{", "declared through macro __EMU10K1_DECLARE_BITMAP"),
]  # fmt: skip


@pytest.mark.parametrize(("header", "macro", "code", "where", "says"), REAL)
def test_each_warning_on_a_real_header(session: Session, header: str, macro: str, code: str,
                                       where: str, says: str) -> None:  # fmt: skip
    imported = _imported(session, header)
    assert imported.left_out[macro][0] == code
    line = _line(session, header, where)
    located = [w for w in imported.warnings if w.startswith(f"{header}:{line}:")]
    assert any(": warning: " in w and says in w for w in located), imported.warnings


def test_literal_ioctl_numbers_are_read_with_a_warning(session: Session) -> None:
    # linux/loop.h: "IOCTL commands --- we will commandeer 0x4C ('L')", then LOOP_SET_FD 0x4C00
    # .. LOOP_CONFIGURE 0x4C0A and LOOP_CTL_ADD 0x4C80 .. LOOP_CTL_GET_FREE 0x4C82.
    imported = _imported(session, "linux/loop.h")
    line = _line(session, "linux/loop.h", r"#define LOOP_SET_FD")
    (warning,) = [w for w in imported.warnings if "literals" in w]
    assert warning.startswith(f"linux/loop.h:{line}:9: warning: LOOP_SET_FD .. LOOP_CTL_GET_FREE")
    (commands,) = [r["commands"] for r in imported.spec["ranges"]]
    assert {c["ioctl"]: c["type"] << 8 | c["nr"] for c in commands}["LOOP_CONFIGURE"] == 0x4C0A
    assert all(c["encoding"] == "literal" for c in commands) and len(commands) == 14


# What no installed header has: a header of the test's own, read from an extra include dir.
OWN = [
    ("typedef int (*handler_t)(int);\nstruct own_a { handler_t fn; };\n"
     "#define OWN_A _IOW('x', 1, struct own_a)\n", "OWN_A", "function-pointer"),
    ("struct own_b {};\n#define OWN_B _IOW('x', 2, struct own_b)\n", "OWN_B", "empty-record"),
    ("struct own_e { int x; };\ntypedef struct own_e own_e_t;\ntypedef own_e_t own_e2_t;\n"
     "#define OWN_E _IOW('x', 5, own_e2_t)\n", "OWN_E", "record-typedef"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "macro", "code"), OWN)
def test_each_warning_on_a_header_of_its_own(tmp_path: Path, body: str, macro: str,
                                             code: str) -> None:  # fmt: skip
    folder = tmp_path / "own"
    folder.mkdir()
    text = "#include <linux/ioctl.h>\n" + body
    (folder / "x.h").write_text(text)
    session = Session("amd64", [tmp_path])
    imported = import_header(session.read("own/x.h"), text)
    assert imported.left_out[macro][0] == code
    assert any(re.match(r"^own/x\.h:\d+:\d+: warning: ", w) for w in imported.warnings)


def _every_installed_header(session: Session) -> list[str]:
    root = Path(session.chain.uapi)
    return sorted(p.relative_to(root).as_posix() for d in DIRS for p in (root / d).rglob("*.h"))


def test_import_never_raises_on_any_installed_header(session: Session) -> None:
    headers = _every_installed_header(session)
    assert len(headers) > 900
    specs = 0
    for header in headers:
        facts = session.read(header)
        path = session.chain.locate(header)
        assert path is not None
        imported = import_header(facts, path.read_text("latin-1"))
        assert all(": warning: " in w for w in imported.warnings)
        if imported.spec.get("ranges"):
            specs += 1
            try:
                load_bytes(f"{header}.yaml", dump(imported.spec, header).encode())
            except LuogenError as error:  # located errors only, never a traceback
                assert all(re.match(r"^\S+\.yaml:\d+:\d+: ", x) for x in str(error).splitlines())
    assert specs > 150


def test_the_oss_macros_and_an_include_between_define_and_undef(session: Session) -> None:
    # linux/soundcard.h: #define SNDCTL_DSP_RESET _SIO ('P', 0), SNDCTL_DSP_SPEED
    # _SIOWR('P', 2, int), SOUND_MIXER_READ_VOLUME is MIXER_READ(SOUND_MIXER_VOLUME), which is
    # _SIOR('M', dev, int); and `#define _LINUX_PATCHKEY_H_INDIRECT`, `#include
    # <linux/patchkey.h>`, `#undef _LINUX_PATCHKEY_H_INDIRECT`.
    spec = _imported(session, "linux/soundcard.h").spec
    commands = {c["ioctl"]: c for r in spec["ranges"] for c in r["commands"]}
    assert commands["SNDCTL_DSP_RESET"]["encoding"] == "_SIO"
    assert commands["SNDCTL_DSP_SPEED"]["encoding"] == "_SIOWR"
    assert commands["SOUND_MIXER_READ_VOLUME"]["encoding"] == "_SIOR"
    assert {"header": "linux/patchkey.h", "defining": "_LINUX_PATCHKEY_H_INDIRECT"} in spec[
        "includes"
    ]


def test_glibcs_time_types_are_c_types_not_amd64s_typedefs(session: Session) -> None:
    # linux/videodev2.h's struct v4l2_buffer holds a struct timeval (glibc's: __time_t tv_sec,
    # __suseconds_t tv_usec): their sizes are each architecture's, not amd64's `long`.
    spec = _imported(session, "linux/videodev2.h").spec
    (timeval,) = [s for s in spec["structs"] if s["name"] == "timeval"]
    assert [m["type"] for m in timeval["members"]] == ["__time_t", "__suseconds_t"]
    assert not {"__time_t", "__suseconds_t"} & {t["name"] for t in spec.get("typedefs", [])}


def test_a_member_no_rust_identifier_can_spell_is_a_warning(session: Session) -> None:
    # linux/scif_ioctl.h: struct scifioctl_connect { struct scif_port_id self; struct
    # scif_port_id peer; }; SCIF_CONNECT is _IOWR('s', 2, struct scifioctl_connect). The spec
    # says the header as it is; the Rust binding spells the member `self_`.
    spec = _imported(session, "linux/scif_ioctl.h").spec
    model = load_bytes("scif.yaml", dump(spec, "linux/scif_ioctl.h").encode())
    (connect,) = [s for s in model.all_structs if s.name == "scifioctl_connect"]
    member = connect.members[0]
    assert (member.name, member.rust_name) == ("self", "self_")
    assert any(
        str(w).endswith(
            "warning: member 'self' of struct scifioctl_connect is a Rust keyword no raw "
            "identifier can spell: the Rust binding names it 'self_'"
        )
        for w in model.warnings
    ), model.warnings


def test_a_value_spelled_as_an_earlier_name_is_imported_as_its_alias(session: Session) -> None:
    # linux/comedi.h's enum configuration_ids: `INSN_CONFIG_SET_COUNTER_MODE = 4097,` then
    # `INSN_CONFIG_8254_SET_MODE = INSN_CONFIG_SET_COUNTER_MODE,` (kdoc: "(Deprecated) Same as
    # %INSN_CONFIG_SET_COUNTER_MODE."); enum i8254_mode's `I8254_BINARY = 0` shares
    # I8254_MODE0's value but is spelled as a number, a value of its own.
    spec = _imported(session, "linux/comedi.h").spec
    enums = {e["name"]: {v["name"]: v for v in e["values"]} for e in spec["enums"]}
    alias = enums["configuration_ids"]["INSN_CONFIG_8254_SET_MODE"]
    assert alias["alias-of"] == "INSN_CONFIG_SET_COUNTER_MODE" and "value" not in alias
    assert enums["i8254_mode"]["I8254_BINARY"]["value"] == 0
    model = load_bytes("comedi.yaml", dump(spec, "linux/comedi.h").encode())
    (ids,) = [e for e in model.enums if e.name == "configuration_ids"]
    named = {v.name: v for v in ids.values}
    assert named["INSN_CONFIG_8254_SET_MODE"].alias_of is named["INSN_CONFIG_SET_COUNTER_MODE"]
    assert named["INSN_CONFIG_8254_SET_MODE"].value == 4097
    repeated = [str(w) for w in model.warnings if "is already used by" in str(w)]
    assert not any("INSN_CONFIG_8254_SET_MODE" in w for w in repeated)
    assert any("'I8254_BINARY' is already used by 'I8254_MODE0'" in w for w in repeated), repeated
