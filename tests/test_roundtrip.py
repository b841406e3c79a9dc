"""The round trip of real headers (luogen/verify/roundtrip.py): a fixed sample of the installed
corpus (Debian's linux-libc-dev 6.1, as linux-libc-dev-<arch>-cross 6.1.4 installs it below
/usr/<triplet>/include), imported, generated and checked on the 16 architectures; and the
assertion units it is made of, against real headers and real compilers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from strict_ci import missing

from luogen.model.arch import ARCH_BY_NAME, ARCHES
from luogen.verify import asserts, corpus
from luogen.verify.clang import package, system_includes
from luogen.verify.facts import Fact
from luogen.verify.gcc import compiler
from luogen.verify.roundtrip import REASONS

UAPI = system_includes(ARCH_BY_NAME["amd64"])
HAVE_ALL = all(system_includes(a) for a in ARCHES) and all(
    compiler(ARCH_BY_NAME[n]) for n in ("m68k", "alpha", "hppa")
)
pytestmark = pytest.mark.skipif(
    not HAVE_ALL,
    reason=missing("the uapi headers and GCCs of 16 architectures", package(ARCHES[1])),
)

# Each header of the sample, and what the round trip says of its commands: exact, or a reason.
SAMPLE = {
    "linux/userfaultfd.h": {},
    "linux/watchdog.h": {},
    "linux/rtc.h": {},
    "linux/loop.h": {},  # its numbers are literals: 0x4C00...
    "linux/vfio.h": {},
    # UI_GET_SYSNAME(len) is _IOC(_IOC_READ, UINPUT_IOCTL_BASE, 44, len).
    "linux/uinput.h": {"UI_GET_SYSNAME": "family"},
    # struct drm_control's `enum { ... } func;` and struct drm_buf_desc's `enum { ... } flags;`
    "drm/drm.h": {
        "DRM_IOCTL_CONTROL": "anonymous-enum",
        "DRM_IOCTL_ADD_BUFS": "anonymous-enum",
        "DRM_IOCTL_MARK_BUFS": "anonymous-enum",
    },
    # OSS' _SIO.. macros, sparc's own numbers (see test_classic_bindings); patchkey.h is included
    # with _LINUX_PATCHKEY_H_INDIRECT defined. struct sbi_instrument's `sbi_instr_data operators`
    # and SOUND_MIXER_ACCESS's `mixer_record` are arrays through a typedef; SNDCTL_MIDI_MPUCMD's
    # argument is `mpu_command_rec`, a typedef of an anonymous struct.
    "linux/soundcard.h": {
        "SNDCTL_FM_LOAD_INSTR": "array-typedef",
        "SOUND_MIXER_ACCESS": "array-typedef",
        "SNDCTL_MIDI_MPUCMD": "anonymous-record",
    },
    # struct v4l2_buffer's struct timeval (glibc's __time_t and __suseconds_t: 8 bytes each on
    # x32, an int tv_usec on sparc64), and anonymous unions documented by a comment
    # (struct v4l2_frmsizeenum's `union { /* Frame size */ ... };`).
    "linux/videodev2.h": {},
    # asm/mtrr.h is x86's only; on i386 struct mtrr_sentry has `unsigned long base` (4 bytes),
    # on x86-64 `__u64 base`: MTRRIOC_ADD_ENTRY is _IOW('M', 0, struct mtrr_sentry).
    "asm/mtrr.h": {"MTRRIOC_ADD_ENTRY": "header-mismatch"},
}


@pytest.fixture(scope="module")
def run() -> corpus.CorpusRun:
    return corpus.run(list(SAMPLE), jobs=2)


def _header_text(header: str) -> str:
    assert UAPI is not None
    return next((d / header).read_text("latin-1") for d in UAPI if (d / header).is_file())


def test_every_command_of_the_sample_is_counted(run: corpus.CorpusRun) -> None:
    # Counted from the header's own text: each #define of RTC_* by an encoding.
    rtc = len(re.findall(r"^#define\s+RTC_\w+\s+_IO[RW]*\(", _header_text("linux/rtc.h"), re.M))
    assert rtc == 24
    assert sum(o.header == "linux/rtc.h" for o in run.outcomes) == rtc
    loop = len(
        re.findall(r"^#define\s+LOOP_\w+\s+0x4C[0-9A-F]{2}\b", _header_text("linux/loop.h"), re.M)
    )
    assert sum(o.header == "linux/loop.h" for o in run.outcomes) == loop == 14


def test_the_sample_round_trips_exactly_but_for_the_known_reasons(run: corpus.CorpusRun) -> None:
    for outcome in run.outcomes:
        expected = SAMPLE[outcome.header].get(outcome.command)
        if expected == "header-mismatch" and outcome.reason == "header-mismatch":
            assert outcome.arches == ("i386",), outcome
        elif outcome.header == "asm/mtrr.h" and outcome.reason == "header-mismatch":
            assert outcome.arches == ("i386",), outcome  # the other commands of mtrr_sentry
        else:
            assert outcome.reason == expected, outcome
    known = {None, *REASONS, *(r for reasons in SAMPLE.values() for r in reasons.values())}
    assert all(o.reason in known for o in run.outcomes)


def test_a_header_of_some_architectures_says_so(run: corpus.CorpusRun) -> None:
    (mtrr,) = [s for s in run.subjects if s.header == "asm/mtrr.h"]
    on_disk = [
        a.name for a in ARCHES if (Path("/usr") / a.triplet / "include/asm/mtrr.h").is_file()
    ]
    assert mtrr.arches == tuple(on_disk) == ("amd64", "i386", "x32")


def test_each_architecture_counts_the_commands_that_hold_there(run: corpus.CorpusRun) -> None:
    exact = run.exact
    assert all(run.per_arch[a.name] >= exact for a in ARCHES)
    # MTRRIOC_ADD_ENTRY and the others of struct mtrr_sentry fail on i386 only.
    assert run.per_arch["i386"] < run.per_arch["amd64"]


# --- the assertion units, alone -----------------------------------------------------------


def _unit(*facts: Fact) -> asserts.Unit:
    return asserts.Unit(("<linux/rtc.h>",), facts)


# linux/rtc.h: struct rtc_time is nine ints: 36 bytes, aligned to 4 (2 on m68k); RTC_RD_TIME is
# _IOR('p', 0x09, struct rtc_time): 0x80247009 with asm-generic's encoding.
SIZE = Fact("struct rtc_time", "size", "sizeof(struct rtc_time)", 36)
WRONG = Fact("struct rtc_time", "size", "sizeof(struct rtc_time)", 37)
NUMBER = Fact("RTC_RD_TIME", "ioctl number", "(unsigned int)(RTC_RD_TIME)", 0x80247009)


@pytest.mark.parametrize("arch", ["amd64", "arm64", "m68k", "hppa"])
def test_a_wrong_fact_fails_and_only_it(arch: str) -> None:
    (verdict,) = asserts.check(ARCH_BY_NAME[arch], [_unit(SIZE, WRONG)])
    assert verdict.errors == [] and verdict.failed == {1}


def test_the_number_of_each_encoding() -> None:
    (generic,) = asserts.check(ARCH_BY_NAME["riscv64"], [_unit(NUMBER)])
    (alternate,) = asserts.check(ARCH_BY_NAME["ppc64"], [_unit(NUMBER)])
    assert generic.failed == set() and alternate.failed == {0}  # powerpc's _IOC_READ is 2 << 29


@pytest.mark.parametrize("arch", ["arm64", "alpha"])
def test_a_header_an_architecture_has_not(arch: str) -> None:
    unit = asserts.Unit(("<asm/mtrr.h>",), (SIZE,))
    (verdict,) = asserts.check(ARCH_BY_NAME[arch], [unit])
    assert verdict.errors == ["'asm/mtrr.h' file not found"]


def test_a_later_header_does_not_change_what_an_earlier_units_facts_read() -> None:
    # sparc's asm/ioctls.h defines TIOCGPTN as _IOR('t', 134, unsigned int) (0x40047486 with its
    # encoding); asm-generic/ioctls.h, installed there too, as _IOR('T', 0x30, unsigned int):
    # 0x40045430. Each unit's facts are asserted before the next unit's includes.
    generic = Fact("TIOCGPTN", "ioctl number", "(unsigned int)(TIOCGPTN)", 0x40045430)
    own = Fact("TIOCGPTN", "ioctl number", "(unsigned int)(TIOCGPTN)", 0x40047486)
    units = [asserts.Unit(("<asm-generic/ioctls.h>",), (generic,)),
             asserts.Unit(("<asm/ioctls.h>",), (own,))]  # fmt: skip
    verdicts = asserts.check(ARCH_BY_NAME["sparc64"], units)
    assert [(v.failed, v.errors) for v in verdicts] == [(set(), []), (set(), [])]


def test_units_that_cannot_share_a_translation_unit_are_compiled_apart() -> None:
    # <linux/time.h> and the C library's <sys/time.h> both define struct timeval.
    clash = asserts.Unit(("<sys/time.h>", "<linux/time.h>"), ())
    verdicts = asserts.check(ARCH_BY_NAME["amd64"], [_unit(SIZE), clash, _unit(WRONG)])
    assert [v.failed for v in verdicts] == [set(), set(), {0}]
    assert verdicts[0].errors == verdicts[2].errors == [] and verdicts[1].errors


# --- the imported specs committed under spec/imported/ -------------------------------------

ROOT = Path(__file__).resolve().parent.parent
IMPORTED = sorted((ROOT / "spec" / "imported").glob("*.yaml"))
HEADERS = ["linux/loop.h", "linux/userfaultfd.h", "linux/uinput.h", "linux/rtc.h",
           "linux/watchdog.h", "linux/vfio.h", "drm/drm.h", "linux/fs.h",
           "linux/input.h"]  # fmt: skip


def test_the_committed_imported_specs_are_what_import_writes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from luogen.cli import main

    assert len(IMPORTED) == len(HEADERS)
    assert main(["import", "--check", "-o", str(ROOT / "spec" / "imported"), *HEADERS]) == 0
    assert capsys.readouterr().out == ""  # no diff


def test_the_imported_specs_hold_on_every_architecture() -> None:
    from luogen.cli import main

    assert main(["layout", *(str(p) for p in IMPORTED)]) == 0


@pytest.mark.parametrize("spec", IMPORTED, ids=lambda p: p.stem)
def test_each_generated_imported_header_compiles_cleanly(spec: Path, tmp_path: Path) -> None:
    import subprocess

    from luogen.pipeline import load

    model = load(spec)
    header = ROOT / "generated" / model.name / "include" / "uapi" / model.header
    source = tmp_path / "use.c"
    source.write_text(f'#include "{header}"\n')
    for std in ("gnu11", "c99"):
        argv = ["gcc", f"-std={std}", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", str(source)]
        built = subprocess.run(argv, capture_output=True, text=True)
        assert built.returncode == 0, built.stderr
