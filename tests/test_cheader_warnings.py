"""Every warning luogen.cheader gives, each from a real header where one shows it (named with its
kernel source, include/uapi/<header>) and otherwise from a small header written here; each names
where the problem is written and leaves out (or, where it says so, keeps) the facts concerned."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from luogen.cheader import IOCTL_PRELUDE, Session
from luogen.cheader.ir import HeaderFacts, Location, ReadWarning, Unreadable


@cache
def session(arch: str, check_with_gcc: bool = False) -> Session:
    return Session(arch, check_with_gcc=check_with_gcc)


def warnings(facts: HeaderFacts, code: str) -> list[ReadWarning]:
    return [w for w in facts.warnings if w.code == code]


def installed_line(arch: str, header: str, pattern: str) -> int:
    text = (Path(session(arch).chain.uapi) / header).read_text(encoding="latin-1")
    return next(n for n, line in enumerate(text.splitlines(), 1) if re.search(pattern, line))


def own_header(tmp_path: Path, text: str, name: str = "luogen_test/probe.h") -> HeaderFacts:
    """`text` as a header of its own include directory, read for amd64 after linux/ioctl.h."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Session("amd64", extra_dirs=[tmp_path]).read(name, IOCTL_PRELUDE)


def test_a_header_that_is_not_there() -> None:
    facts = session("amd64").read("linux/no_such_header.h")
    (warning,) = facts.warnings
    assert warning.code == "not-found"
    assert warning.location == Location("linux/no_such_header.h", 1, 1)
    assert not facts.readable and facts.commands == ()


def test_a_header_clang_cannot_compile() -> None:
    # linux/patchkey.h: #error "patchkey.h included directly" (linux/soundcard.h includes it)
    facts = session("amd64").read("linux/patchkey.h")
    (warning,) = warnings(facts, "compile-error")
    line = installed_line("amd64", "linux/patchkey.h", "#error")
    assert warning.location == Location("linux/patchkey.h", line, 2)
    assert "patchkey.h included directly" in warning.message and not facts.readable


def test_a_header_that_needs_the_c_library_is_read_with_the_architectures_own() -> None:
    # linux/input.h: #include <sys/time.h>; make tools installs libc6-dev-powerpc-cross, whose
    # headers share /usr/powerpc-linux-gnu/include with the uapi ones. EVIOCGVERSION is
    # _IOR('E', 0x01, int): 0x40044501 with powerpc's _IOC_READ of 2 << 29.
    chain = session("powerpc").chain
    assert chain.has_libc
    facts = session("powerpc").read("linux/input.h")
    assert facts.readable and not warnings(facts, "compile-error")
    assert facts.command("EVIOCGVERSION").number == 0x40044501


def test_a_header_that_uses_ioctl_encodings_without_including_them() -> None:
    # linux/userfaultfd.h includes <linux/types.h> only, and uses _IOWR: read after
    # <linux/ioctl.h>, as a program including <sys/ioctl.h> reads it.
    facts = session("amd64").read("linux/userfaultfd.h")
    (warning,) = warnings(facts, "needs-ioctl-h")
    assert facts.prelude == IOCTL_PRELUDE
    assert warning.location.file == "linux/userfaultfd.h" and "UFFDIO_API" in warning.message
    assert facts.command("UFFDIO_API").number == 0xC018AA3F


def test_encodings_that_even_linux_ioctl_h_does_not_define(tmp_path: Path) -> None:
    # A tree whose linux/ioctl.h is empty: its ioctls cannot be evaluated.
    (tmp_path / "linux").mkdir()
    (tmp_path / "linux" / "ioctl.h").write_text("/* empty */\n")
    facts = own_header(tmp_path, "#define PROBE_GET _IOR('x', 1, int)\nstruct probe { int a; };\n")
    (warning,) = warnings(facts, "no-encoding")
    assert warning.location == Location("luogen_test/probe.h", 1, 9)
    assert facts.commands == () and facts.record("probe").size == 4  # the rest is read


def test_ioctl_macros_the_reader_does_not_take_apart(tmp_path: Path) -> None:
    facts = own_header(
        tmp_path,
        "#define PROBE_ODD (_IOR('x', 1, int) | 1)\n#define PROBE_FAMILY(n) (_IO('x', n) + 1)\n",
    )
    found = warnings(facts, "unfollowed")
    assert [w.location.line for w in found] == [1, 2]
    assert facts.commands == () and facts.families == ()


def test_a_choice_between_commands_that_picks_none(tmp_path: Path) -> None:
    facts = own_header(
        tmp_path,
        "#define PROBE_OLD 0x1234\n#define PROBE_NEW _IO('x', 2)\n"
        "#define PROBE (sizeof(long) == 8 ? PROBE_OLD : PROBE_NEW)\n",
    )
    (warning,) = warnings(facts, "unfollowed")
    assert warning.location.line == 3 and "here it is 0x1234" in warning.message
    assert [c.name for c in facts.commands] == ["PROBE_NEW"]


def test_a_choice_between_commands_is_read_as_the_one_chosen() -> None:
    # sound/asound.h: #define SNDRV_TIMER_IOCTL_TREAD ((sizeof(__kernel_long_t) >= sizeof(time_t))
    # ? SNDRV_TIMER_IOCTL_TREAD_OLD : SNDRV_TIMER_IOCTL_TREAD64); on i386 both are 4 bytes.
    facts = session("i386").read("sound/asound.h")
    chosen = facts.command("SNDRV_TIMER_IOCTL_TREAD")
    assert chosen.alias_of == "SNDRV_TIMER_IOCTL_TREAD_OLD" and chosen.selected_by is not None
    assert chosen.number == facts.command("SNDRV_TIMER_IOCTL_TREAD_OLD").number
    assert warnings(facts, "unfollowed") == []


def test_a_command_clang_cannot_evaluate_on_this_architecture() -> None:
    # linux/kvm.h: #define KVM_PPC_GET_HTAB_FD _IOW(KVMIO, 0xaa, struct kvm_get_htab_fd); the
    # struct is defined by arch/powerpc's asm/kvm.h only.
    x86 = session("amd64").read("linux/kvm.h")
    line = installed_line("amd64", "linux/kvm.h", r"define KVM_PPC_GET_HTAB_FD\b")
    (warning,) = [w for w in warnings(x86, "unevaluated") if "KVM_PPC_GET_HTAB_FD" in w.message]
    assert warning.location == Location("linux/kvm.h", line, 9)
    assert "incomplete type 'struct kvm_get_htab_fd'" in warning.message
    assert "KVM_PPC_GET_HTAB_FD" not in {c.name for c in x86.commands}
    assert session("ppc64").read("linux/kvm.h").command("KVM_PPC_GET_HTAB_FD").number == 0x8020AEAA


def test_a_value_clang_warns_about_is_kept(tmp_path: Path) -> None:
    facts = own_header(tmp_path, "#define PROBE_WRAPS (0x7fffffff + 1)\n")
    (warning,) = warnings(facts, "clang-warning")
    assert warning.location.line == 1 and "overflow" in warning.message
    assert [(d.name, d.value) for d in facts.defines] == [("PROBE_WRAPS", -(2**31))]


def test_an_expression_where_a_type_belongs(tmp_path: Path) -> None:
    # The size encoded is that of size_t, sizeof's type, not of int.
    facts = own_header(tmp_path, "#define PROBE_SIZE _IOR('x', 3, sizeof(int))\n")
    (warning,) = warnings(facts, "expression-argument")
    arg = facts.command("PROBE_SIZE").arg
    assert warning.location.line == 1 and arg is not None
    assert (arg.category, arg.size) == ("expression", 8)


def test_an_argument_too_large_for_the_size_field() -> None:
    # sound/sb16_csp.h: SNDRV_SB_CSP_IOCTL_LOAD_CODE is _IOC(_IOC_WRITE, 'H', 0x11,
    # sizeof(struct snd_sb_csp_microcode)), 12306 bytes; powerpc's size field has 13 bits (its
    # own comment says so).
    facts = session("powerpc").read("sound/sb16_csp.h")
    (warning,) = warnings(facts, "field-overflow")
    assert "SNDRV_SB_CSP_IOCTL_LOAD_CODE" in warning.message and "12306" in warning.message
    command = facts.command("SNDRV_SB_CSP_IOCTL_LOAD_CODE")
    assert (command.arg.size, command.decoded.size) == (12306, 12306 & 0x1FFF)  # type: ignore[union-attr]
    assert warnings(session("amd64").read("sound/sb16_csp.h"), "field-overflow") == []


def test_a_type_or_nr_too_large_for_its_byte(tmp_path: Path) -> None:
    facts = own_header(tmp_path, "#define PROBE_WIDE _IO('x', 0x1ff)\n")
    assert {w.message.split(":")[1].split(" is ")[0] for w in warnings(facts, "field-overflow")} \
        == {" its type", " its nr"}  # fmt: skip


def test_a_pointer_to_a_struct_that_is_never_defined() -> None:
    # linux/agpgart.h: #define AGPIOC_INFO _IOR (AGPIOC_BASE, 0, struct agp_info*); it defines
    # struct _agp_info (typedef agp_info), never struct agp_info.
    facts = session("amd64").read("linux/agpgart.h")
    line = installed_line("amd64", "linux/agpgart.h", r"define AGPIOC_INFO\b")
    found = [w for w in warnings(facts, "incomplete-record") if "AGPIOC_INFO" in w.message]
    assert [w.location for w in found] == [Location("linux/agpgart.h", line, 9)]
    assert facts.command("AGPIOC_INFO").number == 0x80084100  # the pointer's size is known


def test_a_type_of_no_known_kind(tmp_path: Path) -> None:
    text = "struct probe_complex { _Complex double z; };\n"
    facts = own_header(tmp_path, text)
    (warning,) = warnings(facts, "unknown-type")
    assert warning.location == Location("luogen_test/probe.h", 1, text.index("z;") + 1)
    assert isinstance(facts.record("probe_complex").fields[0].kind, Unreadable)


def test_a_value_whose_expansion_breaks_the_probe(tmp_path: Path) -> None:
    # PROBE_LATE's text is balanced, its expansion leaves a parenthesis open: its probe line
    # takes the next ones along, so no value of that probe can be trusted.
    facts = own_header(
        tmp_path, "#define PROBE_OPEN (\n#define PROBE_LATE PROBE_OPEN 1\n#define PROBE_TWO 2\n"
    )
    (warning,) = warnings(facts, "probe-failure")
    assert warning.location == Location("luogen_test/probe.h", 1, 1)
    assert facts.defines == ()


def test_an_argument_that_is_no_expression_on_its_own(tmp_path: Path) -> None:
    # A brace in an ioctl's nr would break the second probe: it is not asked.
    facts = own_header(tmp_path, "#define PROBE_BRACE _IO('x', { 1)\n")
    (warning,) = warnings(facts, "unevaluated")
    assert "not an expression on its own" in warning.message and facts.commands == ()


@pytest.mark.parametrize("header", ["linux/rtc.h"])
def test_m68k_layouts_are_flagged_or_checked_by_its_gcc(header: str) -> None:
    # linux/rtc.h: struct rtc_wkalrm { unsigned char enabled, pending; struct rtc_time time; };
    # m68k's GCC aligns int to 2 (38 bytes); clang's M68k target to 4 (40).
    unchecked = session("m68k").read(header)
    assert [w.location for w in warnings(unchecked, "unchecked-layout")] == [Location(header, 1, 1)]
    if session("m68k").chain.arch and not _has_gcc("m68k"):
        pytest.skip("m68k-linux-gnu-gcc is not installed (tests/tools/install-cross-headers.sh)")
    checked = session("m68k", check_with_gcc=True).read(header)
    found = {w.message for w in warnings(checked, "gcc-disagrees")}
    assert "struct rtc_wkalrm size: reader 40, gcc 38 (clang's value is kept)" in found
    assert warnings(checked, "unchecked-layout") == []


def _has_gcc(arch: str) -> bool:
    from luogen.verify.gcc import compiler

    return compiler(session(arch).chain.arch) is not None
