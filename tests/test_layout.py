"""`luogen layout`: the model's pahole-like tables, and their check by libclang against the
generated headers on all 16 architectures, each with its own real uapi headers (Debian's
linux-libc-dev-<arch>-cross, installed by tests/tools/install-cross-headers.sh).

Missing cross headers skip the cross-architecture tests on a developer's machine and fail them
under CI (tests/strict_ci.py); `make tools` installs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import strict_ci
import yaml

from luogen.cli import main
from luogen.model.arch import ARCH_BY_NAME, ARCHES
from luogen.pipeline import load
from luogen.records import replace
from luogen.verify import clang as vclang
from luogen.verify import gcc as vgcc
from luogen.verify import model_table, struct_table, verify

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(ROOT.glob("spec/*.yaml")) + sorted(ROOT.glob("tests/golden/*/spec.yaml"))
SPEC_IDS = [p.relative_to(ROOT).as_posix() for p in SPECS]
REAL = [str(p) for p in sorted(ROOT.glob("spec/*.yaml"))]


def _need_headers(names: list[str] | None = None) -> None:
    arches = [ARCH_BY_NAME[n] for n in names] if names else list(ARCHES)
    missing = [vclang.package(a) for a in arches if vclang.system_includes(a) is None]
    if missing:
        pytest.skip(strict_ci.missing(" ".join(missing)))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# --- the check -----------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_libclang_agrees_with_the_model_on_every_architecture(spec: Path) -> None:
    _need_headers()
    outcome = verify([load(str(spec))], ARCHES)
    assert outcome.problems == []
    assert sorted(outcome.seconds) == sorted(a.name for a in ARCHES)


def test_both_real_specs_share_one_unit_per_architecture() -> None:
    """Batched: one translation unit per architecture holds both headers."""
    models = [load(p) for p in REAL]
    with vclang.headers_of(models, None) as headers:
        assert len(vclang.batches(headers)) == 1
        twice = vclang.batches([*headers, *headers])  # same names: cannot share a unit
        assert [len(b) for b in twice] == [len(headers), len(headers)]


def test_layout_command_verifies_the_real_specs(capsys: pytest.CaptureFixture[str]) -> None:
    _need_headers()
    assert main(["layout", *REAL]) == 0
    out, err = capsys.readouterr()
    assert "struct fwctl_info {" in out and "struct liveupdate_session_get_name {" in out
    assert "the compilers agree with the model" in err and "on 16 architectures" in err


def test_checks_committed_headers_with_headers_option() -> None:
    _need_headers(["amd64", "ppc64"])
    arches = ["--arch", "amd64", "--arch", "ppc64"]
    assert main(["layout", *REAL, "--headers", "generated", *arches]) == 0


# --- negative controls ---------------------------------------------------------------------------


def test_a_perturbed_model_offset_is_reported_by_member_and_arch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _need_headers()
    model = load("spec/liveupdate.yaml")
    struct = next(s for s in model.all_structs if s.name == "liveupdate_session_preserve_fd")
    good = struct.layout(ARCH_BY_NAME["arm64"])
    assert good.offsets == (0, 4, 8)
    monkeypatch.setitem(struct.layouts, "arm64", replace(good, offsets=(0, 4, 12)))
    problems = verify([model], ARCHES).problems
    assert problems == [
        "arm64: struct liveupdate_session_preserve_fd: member token: offset: expected 12, actual 8"
    ]


def test_an_edited_header_is_reported_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _need_headers(["i386", "mips"])
    assert main(["generate", "-o", str(tmp_path), "-t", "uapi", "spec/liveupdate.yaml"]) == 0
    header = tmp_path / "liveupdate" / "include" / "uapi" / "linux" / "liveupdate.h"
    text = header.read_text(encoding="utf-8")
    header.write_text(text.replace("__aligned_u64 token;", "__u32 token;", 1), encoding="utf-8")
    capsys.readouterr()
    code = main(["layout", "spec/liveupdate.yaml", "--headers", str(tmp_path),
                 "--arch", "i386", "--arch", "mips"])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    for arch in ("i386", "mips"):
        assert (
            f"mismatch: {arch}: struct liveupdate_session_preserve_fd: member token: size: "
            "expected 8, actual 4"
        ) in err
        assert f"mismatch: {arch}: struct liveupdate_session_preserve_fd: size: expected 16, " \
            "actual 12" in err  # fmt: skip
    assert "retrieve_fd" not in err  # the one edit, and only it


def test_an_edited_union_of_names_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member with another name is an anonymous union of both: a name missing from it, or a
    union member of another type, is a mismatch of that name."""
    assert main(["generate", "-o", str(tmp_path), "-t", "uapi", "spec/iommufd.yaml"]) == 0
    header = tmp_path / "iommufd" / "include" / "uapi" / "linux" / "iommufd.h"
    text = header.read_text(encoding="utf-8")
    for old, new, want in [
        ("\t\t__u32 in_data_type;\n", "", "names: expected ['in_data_type', 'out_data_type'], "
         "actual ['out_data_type']"),
        ("\t\t__u32 in_data_type;", "\t\t__u16 in_data_type;", "in_data_type: size: expected "
         "4, actual 2"),
    ]:  # fmt: skip
        assert old in text
        header.write_text(text.replace(old, new, 1), encoding="utf-8")
        capsys.readouterr()
        code = main(["layout", "spec/iommufd.yaml", "--headers", str(tmp_path), "--arch", "amd64"])
        assert code == 1
        err = capsys.readouterr().err
        assert f"amd64: struct iommu_hw_info: member out_data_type: {want}" in err, err


def test_an_edited_ioctl_number_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _need_headers(["sparc64"])
    assert main(["generate", "-o", str(tmp_path), "-t", "uapi", "spec/fwctl.yaml"]) == 0
    header = tmp_path / "fwctl" / "include" / "uapi" / "fwctl" / "fwctl.h"
    text = header.read_text(encoding="utf-8")
    edited = text.replace("_IO(FWCTL_TYPE, FWCTL_CMD_RPC)", "(FWCTL_TYPE << 8 | FWCTL_CMD_RPC)")
    assert edited != text
    header.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["layout", "spec/fwctl.yaml", "--headers", str(tmp_path), "--arch", "sparc64"]) == 1
    err = capsys.readouterr().err
    assert "sparc64: FWCTL_RPC: ioctl number: expected 0x20009a01, actual 0x00009a01" in err


def test_missing_headers_exit_2_naming_the_package(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = vclang.system_includes

    def without_hppa(arch: object) -> tuple[Path, ...] | None:
        return None if getattr(arch, "name", "") == "hppa" else real(arch)  # type: ignore[arg-type]

    monkeypatch.setattr(vclang, "system_includes", without_hppa)
    assert main(["layout", "spec/fwctl.yaml", "--arch", "hppa", "--arch", "amd64"]) == 2
    err = capsys.readouterr().err
    assert "linux-libc-dev-hppa-cross" in err and "install-cross-headers.sh" in err
    assert "amd64-cross" not in err or vclang.system_includes(ARCH_BY_NAME["amd64"]) is None
    assert "Traceback" not in err


def test_without_libclang_layout_exits_2_naming_the_extra(tmp_path: Path) -> None:
    """libclang is an extra (`luogen[clang]`): without it, `layout` says how to get it. A Python
    that cannot import `clang` is one whose path starts with a `clang` that fails to import."""
    (tmp_path / "clang").mkdir()
    (tmp_path / "clang" / "__init__.py").write_text("raise ImportError('no libclang here')\n")
    done = subprocess.run(
        [sys.executable, "-m", "luogen", "layout", "spec/fwctl.yaml", "--arch", "amd64"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "pip install luogen[clang]" in done.stderr and "Traceback" not in done.stderr


def test_unknown_arch_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["layout", "spec/fwctl.yaml", "--arch", "vax"]) == 2
    assert "unknown architecture vax" in capsys.readouterr().err


# --- the model rule: one layout on every architecture ---------------------------------------------


def test_check_rejects_s64_after_u32(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`__u32 size` then an s64: i386 aligns a plain __s64 to 4 where amd64 aligns it to 8 (shown
    by libclang with the real headers), so the struct would differ between architectures: luogen
    check rejects it."""
    data = {
        "name": "t", "title": "Test", "header": "linux/t.h", "overview": "Test interface.",
        "ioctl-type": 0x54,
        "ranges": [{"name": "device", "doc": "Device commands.", "base": 0x10, "commands": [
            {"name": "op", "doc": "An op.",
             "members": [{"name": "value", "type": "s64", "doc": "A value."}]}]}],
    }  # fmt: skip
    spec = tmp_path / "t.yaml"
    spec.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["check", str(spec)]) == 1
    err = capsys.readouterr().err
    assert "struct t_op has a 4-byte hole at offset 4 before 'value'" in err
    assert main(["layout", "--no-verify", str(spec)]) == 1  # no table for a rejected spec

    _need_headers(["amd64", "i386"])
    ci = vclang.cindex()
    source = "#include <linux/types.h>\nstruct t { __u32 size; __s64 value; };\n"
    offsets = {}
    for name in ("amd64", "i386"):
        arch = ARCH_BY_NAME[name]
        args = [*vclang.CLANG_ARGS, f"--target={arch.clang_target}"]
        for inc in vclang.system_includes(arch) or ():
            args += ["-isystem", str(inc)]
        unit = ci.Index.create().parse("t.c", args=args, unsaved_files=[("t.c", source)])
        record = next(c for c in unit.cursor.get_children() if c.spelling == "t")
        offsets[name] = record.type.get_offset("value") // 8
    assert offsets == {"amd64": 8, "i386": 4}


# --- the table -----------------------------------------------------------------------------------


FWCTL_INFO = """\
FWCTL_INFO = _IO(FWCTL_TYPE, FWCTL_CMD_INFO) /* nr 0x00 */
	0x00009a00  generic, parisc: amd64, i386, x32, arm64, armhf, s390x, riscv64, m68k, hppa
	0x20009a00  powerpc/mips/sparc/alpha: ppc64el, ppc64, powerpc, mips, mips64el, sparc64, alpha

struct fwctl_info {
	__u32                           size;                    /*     0     4 */
	__u32                           flags;                   /*     4     4 */
	__u32                           out_device_type;         /*     8     4 */
	__u32                           device_data_len;         /*    12     4 */
	__aligned_u64                   out_device_data;         /*    16     8 */

	/* size: 24, min_size: 24, align: 8 */
};
"""


def test_fwctl_info_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["layout", "--no-verify", "spec/fwctl.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("/* fwctl: fwctl/fwctl.h */\n\n" + FWCTL_INFO + "\n")


def test_table_names_architectures_that_align_differently() -> None:
    model = load("spec/liveupdate.yaml")
    struct = next(s for s in model.all_structs if s.name == "liveupdate_session_finish")
    assert struct_table(struct, ARCHES) == textwrap.dedent("""\
        struct liveupdate_session_finish {
        \t__u32                           size;                    /*     0     4 */
        \t__u32                           reserved;                /*     4     4 */

        \t/* size: 8, min_size: 8, align: 4 (2 on m68k) */
        };""")
    amd64_only = model_table(model, [ARCH_BY_NAME["amd64"]])
    assert "0x2000ba" not in amd64_only and "(2 on m68k)" not in amd64_only


# --- the architectures libclang cannot read as the kernel's compiler does -------------------------


def _need_gcc(names: list[str]) -> None:
    arches = [ARCH_BY_NAME[n] for n in names]
    missing = [vgcc.package(a) for a in arches if vgcc.compiler(a) is None]
    if missing:
        pytest.skip(strict_ci.missing(" ".join(missing)))


def test_m68k_alpha_and_hppa_are_checked_with_their_own_gcc() -> None:
    _need_headers(list(vclang.STAND_INS))
    _need_gcc(list(vclang.STAND_INS))
    arches = [ARCH_BY_NAME[n] for n in vclang.STAND_INS]
    outcome = verify([load(p) for p in REAL], arches)
    assert outcome.problems == []
    for name in vclang.STAND_INS:
        gcc = f"checked with {ARCH_BY_NAME[name].triplet}-gcc"
        assert any(n.startswith(f"{name}: ") and gcc in n for n in outcome.notes), outcome.notes


def test_gcc_reports_the_m68k_alignment_clang_cannot_see(monkeypatch: pytest.MonkeyPatch) -> None:
    _need_headers(["m68k"])
    _need_gcc(["m68k"])
    model = load("spec/liveupdate.yaml")
    struct = next(s for s in model.all_structs if s.name == "liveupdate_session_finish")
    good = struct.layout(ARCH_BY_NAME["m68k"])
    assert good.align == 2  # GCC's m68k ABI: __u32 is 2-aligned
    monkeypatch.setitem(struct.layouts, "m68k", replace(good, align=4))
    assert verify([model], [ARCH_BY_NAME["m68k"]]).problems == [
        "m68k: struct liveupdate_session_finish: align: expected 4, actual 2 (m68k-linux-gnu-gcc)"
    ]


def test_gcc_reports_an_edited_header_with_actual_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _need_headers(["alpha", "hppa"])
    _need_gcc(["alpha", "hppa"])
    assert main(["generate", "-o", str(tmp_path), "-t", "uapi", "spec/fwctl.yaml"]) == 0
    header = tmp_path / "fwctl" / "include" / "uapi" / "fwctl" / "fwctl.h"
    text = header.read_text(encoding="utf-8")
    edited = text.replace("_IO(FWCTL_TYPE, FWCTL_CMD_RPC)", "(FWCTL_TYPE << 8 | FWCTL_CMD_RPC)")
    edited = edited.replace("__u32 in_len;", "__u16 in_len;", 1)
    assert edited.count("__u16") == 1
    header.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    code = main(["layout", "spec/fwctl.yaml", "--headers", str(tmp_path),
                 "--arch", "alpha", "--arch", "hppa"])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    for arch in ("alpha", "hppa"):
        gcc = f"({ARCH_BY_NAME[arch].triplet}-gcc)"
        assert f"{arch}: struct fwctl_rpc: member in_len: size: expected 4, actual 2 {gcc}" in err
    # hppa uses the generic encoding, where the edit changes nothing; alpha's differs.
    assert (
        "alpha: FWCTL_RPC: ioctl number: expected 0x20009a01, actual 0x00009a01 "
        "(alpha-linux-gnu-gcc)"
    ) in err
    assert "hppa: FWCTL_RPC" not in err


def test_without_its_gcc_the_gap_is_named_with_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    _need_headers(["hppa"])
    monkeypatch.setattr(vgcc, "compiler", lambda arch: None)
    outcome = verify([load("spec/fwctl.yaml")], [ARCH_BY_NAME["hppa"]])
    assert outcome.problems == []
    assert (
        "hppa: its own GCC is not installed, so what clang cannot check stays unchecked; "
        "'apt-get install gcc-hppa-linux-gnu' adds the check"
    ) in outcome.notes
