"""luogen.cheader reads real installed uapi headers exactly.

Every fact asserted here is written out by hand from the header named: Debian's linux-libc-dev 6.1
as its cross packages install it (/usr/<triplet>/include/<header>), which is the kernel's
include/uapi/<header> (arch/<arch>/include/uapi/asm/ for asm/). Where a test needs the line a name
is defined on, it finds it in the installed text itself, not through the reader.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from luogen.cheader import Session, merge, read_arches
from luogen.cheader.ir import (
    Array,
    CInt,
    Decoded,
    Expr,
    FixedInt,
    FlexibleArray,
    HeaderFacts,
    Location,
    Padding,
    Pointer,
    RecordType,
)
from luogen.model.arch import ARCH_BY_NAME

U8 = FixedInt("__u8", 8, False, "native")
U32 = FixedInt("__u32", 32, False, "native")
S32 = FixedInt("__s32", 32, True, "native")
U64 = FixedInt("__u64", 64, False, "native")


@cache
def session(arch: str) -> Session:
    return Session(arch)


@cache
def facts(header: str, arch: str = "amd64") -> HeaderFacts:
    return session(arch).read(header)


def defined_at(header: str, name: str, arch: str = "amd64") -> Location:
    """Where `#define name` is in the installed header's own text."""
    text = (Path(session(arch).chain.uapi) / header).read_text(encoding="latin-1")
    for number, line in enumerate(text.splitlines(), 1):
        if match := re.match(rf"\s*#\s*define\s+({name})\b", line):
            return Location(header, number, match.start(1) + 1)
    raise AssertionError(f"no #define {name} in {header}")


def test_ui_dev_create_is_io_of_the_uinput_base() -> None:
    # linux/uinput.h: #define UINPUT_IOCTL_BASE 'U'; #define UI_DEV_CREATE _IO(UINPUT_IOCTL_BASE, 1)
    command = facts("linux/uinput.h").command("UI_DEV_CREATE")
    assert command.location == defined_at("linux/uinput.h", "UI_DEV_CREATE")
    assert command.encoding == "_IO"
    assert (command.type, command.nr) == (Expr("UINPUT_IOCTL_BASE", ord("U")), Expr("1", 1))
    assert command.arg is None
    assert command.number == 0x5501
    assert command.decoded == Decoded(direction=0, type=0x55, nr=1, size=0)


def test_loop_commands_are_plain_numbers_and_loop_info64_is_232_bytes() -> None:
    # linux/loop.h: #define LOOP_GET_STATUS64 0x4C05; struct loop_info64: five __u64, four
    # __u32, two __u8[LO_NAME_SIZE] (64), one __u8[LO_KEY_SIZE] (32), __u64 lo_init[2].
    loop = facts("linux/loop.h")
    define = next(d for d in loop.defines if d.name == "LOOP_GET_STATUS64")
    assert (define.value, define.spelling) == (0x4C05, "0x4C05")
    assert loop.commands == ()  # none of them is written with _IO
    info = loop.record("loop_info64")
    assert (info.size, info.align, info.packed, info.padding) == (232, 8, False, ())
    fields = {f.name: f for f in info.fields}
    assert (fields["lo_device"].offset_bits, fields["lo_device"].kind) == (0, U64)
    assert fields["lo_device"].comment == "ioctl r/o"
    name = fields["lo_file_name"]
    assert (name.offset_bits, name.spelling, name.suffix) == (56 * 8, "__u8", "[LO_NAME_SIZE]")
    assert name.kind == Array(U8, (64,))
    assert (fields["lo_init"].offset_bits, fields["lo_init"].kind) == (216 * 8, Array(U64, (2,)))


def test_uffdio_api_on_x86_64_and_powerpc() -> None:
    # linux/userfaultfd.h: #define UFFDIO 0xAA, _UFFDIO_API (0x3F),
    # #define UFFDIO_API _IOWR(UFFDIO, _UFFDIO_API, struct uffdio_api); struct uffdio_api is
    # three __u64. _IOWR is dir 3 << 30 on x86 (asm-generic/ioctl.h) and (2 | 4) << 29 on
    # powerpc (arch/powerpc/include/uapi/asm/ioctl.h): the same 0xC018AA3F, above 2^31.
    for arch, direction in (("amd64", 3), ("powerpc", 6)):
        command = facts("linux/userfaultfd.h", arch).command("UFFDIO_API")
        assert command.encoding == "_IOWR"
        assert (command.type, command.nr) == (Expr("UFFDIO", 0xAA), Expr("_UFFDIO_API", 0x3F))
        assert command.arg is not None
        assert (command.arg.spelling, command.arg.category, command.arg.size) == (
            "struct uffdio_api", "struct", 24)  # fmt: skip
        assert command.number == 0xC018AA3F
        assert command.decoded == Decoded(direction, 0xAA, 0x3F, 24)
    # _IOR differs: read is 2 << 30 on x86, 2 << 29 on powerpc.
    assert facts("linux/userfaultfd.h").command("UFFDIO_UNREGISTER").number == 0x8010AA01
    assert facts("linux/userfaultfd.h", "powerpc").command("UFFDIO_UNREGISTER").number == 0x4010AA01


def test_rtc_rd_time_and_struct_rtc_time() -> None:
    # linux/rtc.h: #define RTC_RD_TIME _IOR('p', 0x09, struct rtc_time); struct rtc_time is
    # nine ints, tm_sec first.
    rtc = facts("linux/rtc.h")
    command = rtc.command("RTC_RD_TIME")
    assert (command.type, command.nr) == (Expr("'p'", 0x70), Expr("0x09", 9))
    assert command.number == 0x80247009
    assert facts("linux/rtc.h", "powerpc").command("RTC_RD_TIME").number == 0x40247009
    record = rtc.record("rtc_time")
    assert record.size == 36
    assert [f.name for f in record.fields][:2] == ["tm_sec", "tm_min"]
    assert all(f.kind == CInt("int", True) and f.spelling == "int" for f in record.fields)
    assert [f.offset_bits for f in record.fields] == [32 * i for i in range(9)]


def test_wdioc_getsupport_and_struct_watchdog_info() -> None:
    # linux/watchdog.h: #define WATCHDOG_IOCTL_BASE 'W';
    # #define WDIOC_GETSUPPORT _IOR(WATCHDOG_IOCTL_BASE, 0, struct watchdog_info);
    # struct watchdog_info { __u32 options; __u32 firmware_version; __u8 identity[32]; };
    watchdog = facts("linux/watchdog.h")
    command = watchdog.command("WDIOC_GETSUPPORT")
    assert (command.encoding, command.type) == ("_IOR", Expr("WATCHDOG_IOCTL_BASE", ord("W")))
    assert command.number == 0x80285700
    record = watchdog.record("watchdog_info")
    assert record.size == 40
    assert [(f.name, f.offset_bits, f.kind) for f in record.fields] == [
        ("options", 0, U32), ("firmware_version", 32, U32), ("identity", 64, Array(U8, (32,))),
    ]  # fmt: skip


def test_a_union_argument_through_a_drm_helper() -> None:
    # drm/amdgpu_drm.h: DRM_IOCTL_AMDGPU_GEM_CREATE is DRM_IOWR(DRM_COMMAND_BASE +
    # DRM_AMDGPU_GEM_CREATE, union drm_amdgpu_gem_create); drm/drm.h: DRM_IOWR(nr, type) is
    # _IOWR(DRM_IOCTL_BASE, nr, type), DRM_IOCTL_BASE 'd', DRM_COMMAND_BASE 0x40. The union's
    # larger member, struct drm_amdgpu_gem_create_in, is four __u64: 32 bytes.
    amdgpu = facts("drm/amdgpu_drm.h")
    command = amdgpu.command("DRM_IOCTL_AMDGPU_GEM_CREATE")
    assert (command.encoding, command.via) == ("_IOWR", ("DRM_IOWR",))
    assert command.type == Expr("DRM_IOCTL_BASE", ord("d"))
    assert command.nr == Expr("DRM_COMMAND_BASE + DRM_AMDGPU_GEM_CREATE", 0x40)
    assert command.arg is not None
    assert (command.arg.category, command.arg.size) == ("union", 32)
    assert isinstance(command.arg.kind, RecordType)
    assert (command.arg.kind.tag, command.arg.kind.name) == ("union", "drm_amdgpu_gem_create")
    assert command.number == 0xC0206440
    helper = facts("drm/drm.h").family("DRM_IOWR")
    assert (helper.params, helper.helper) == (("nr", "type"), True)


def test_an_anonymous_union_member() -> None:
    # linux/kvm.h: struct kvm_irq_level { union { __u32 irq; __s32 status; }; __u32 level; };
    # #define KVM_IRQ_LINE_STATUS _IOWR(KVMIO, 0x67, struct kvm_irq_level)
    kvm = facts("linux/kvm.h")
    record = kvm.record("kvm_irq_level")
    anonymous, level = record.fields
    assert anonymous.name is None and isinstance(anonymous.kind, RecordType)
    assert (anonymous.kind.tag, anonymous.kind.name, anonymous.offset_bits) == ("union", None, 0)
    assert (level.name, level.offset_bits, record.size) == ("level", 32, 8)
    union = next(r for r in kvm.records if r.type == anonymous.kind)
    assert [(f.name, f.offset_bits, f.kind) for f in union.fields] == [
        ("irq", 0, U32), ("status", 0, S32)]  # fmt: skip
    assert kvm.command("KVM_IRQ_LINE_STATUS").arg.kind == record.type  # type: ignore[union-attr]


def test_a_packed_struct() -> None:
    # linux/userfaultfd.h: struct uffd_msg { __u8 event; ... } __packed, 32 bytes.
    record = facts("linux/userfaultfd.h").record("uffd_msg")
    assert (record.packed, record.size, record.align) == (True, 32, 1)


def test_flexible_array_members() -> None:
    # linux/vfio.h: struct vfio_irq_set { __u32 argsz, flags, index, start, count; __u8 data[]; }
    record = facts("linux/vfio.h").record("vfio_irq_set")
    data = record.fields[-1]
    assert (data.name, data.kind, data.size, data.suffix) == (
        "data", FlexibleArray(U8, zero_length=False), 0, "[]")  # fmt: skip
    assert (record.size, data.offset_bits) == (20, 160)
    # asm/kvm.h (x86): struct kvm_msrs { __u32 nmsrs; __u32 pad; struct kvm_msr_entry entries[]; }
    entries = facts("linux/kvm.h").record("kvm_msrs").fields[-1]
    assert isinstance(entries.kind, FlexibleArray) and isinstance(entries.kind.element, RecordType)


def test_bit_fields() -> None:
    # linux/cdrom.h: struct cdrom_tocentry { __u8 cdte_track; __u8 cdte_adr :4;
    # __u8 cdte_ctrl :4; __u8 cdte_format; union cdrom_addr cdte_addr; __u8 cdte_datamode; };
    fields = {f.name: f for f in facts("linux/cdrom.h").record("cdrom_tocentry").fields}
    assert (fields["cdte_adr"].bit_width, fields["cdte_adr"].offset_bits) == (4, 8)
    assert (fields["cdte_ctrl"].bit_width, fields["cdte_ctrl"].offset_bits) == (4, 12)
    assert fields["cdte_adr"].suffix == ":4" and fields["cdte_track"].bit_width is None


def test_parameterized_families_of_linux_input() -> None:
    # linux/input.h: #define EVIOCGNAME(len) _IOC(_IOC_READ, 'E', 0x06, len);
    # #define EVIOCGABS(abs) _IOR('E', 0x40 + (abs), struct input_absinfo) (24 bytes)
    input_h = facts("linux/input.h")
    name = input_h.family("EVIOCGNAME")
    assert (name.params, name.encoding, name.helper) == (("len",), "_IOC", False)
    assert name.direction == Expr("_IOC_READ", 2)
    assert (name.type, name.nr) == (Expr("'E'", 0x45), Expr("0x06", 6))
    assert name.size == Expr("len", None)  # a parameter: no value until the family is used
    absinfo = input_h.family("EVIOCGABS")
    assert absinfo.nr == Expr("0x40 + (abs)", None)
    assert absinfo.arg is not None and absinfo.arg.size == 24
    # linux/spi/spidev.h: #define SPI_IOC_MESSAGE(N) _IOW(SPI_IOC_MAGIC, 0, char[SPI_MSGSIZE(N)])
    message = facts("linux/spi/spidev.h").family("SPI_IOC_MESSAGE")
    assert (message.arg_spelling, message.helper) == ("char[SPI_MSGSIZE(N)]", False)
    assert message.arg is None  # its size depends on N
    assert "EVIOCGNAME" not in {c.name for c in input_h.commands}
    # linux/seccomp.h: #define SECCOMP_IO(nr) _IO(SECCOMP_IOC_MAGIC, nr), used by no command: a
    # helper still, as it passes its parameter on as the nr. linux/vboxguest.h:
    # VBG_IOCTL_HGCM_CALL(s) is VBG_IOCTL_HGCM_CALL_64(s) on x86-64; both are families.
    assert facts("linux/seccomp.h").family("SECCOMP_IO").helper
    vbox = facts("linux/vboxguest.h")
    call = vbox.family("VBG_IOCTL_HGCM_CALL")
    assert (call.via, call.helper, vbox.family("VBG_IOCTL_HGCM_CALL_64").helper) == (
        ("VBG_IOCTL_HGCM_CALL_64",), False, False)  # fmt: skip


def test_helpers_and_other_names_of_the_encodings() -> None:
    # linux/soundcard.h: #define _SIOR _IOR; #define MIXER_READ(dev) _SIOR('M', dev, int);
    # #define SOUND_MIXER_VOLUME 0; #define SOUND_MIXER_READ_VOLUME MIXER_READ(SOUND_MIXER_VOLUME)
    sound = facts("linux/soundcard.h")
    alias = next(a for a in sound.encoder_aliases if a.name == "_SIOR")
    assert (alias.target, alias.location) == ("_IOR", defined_at("linux/soundcard.h", "_SIOR"))
    helper = sound.family("MIXER_READ")
    assert (helper.helper, helper.via, helper.encoding) == (True, ("_SIOR",), "_IOR")
    command = sound.command("SOUND_MIXER_READ_VOLUME")
    assert command.via == ("MIXER_READ", "_SIOR")
    assert (command.type, command.nr) == (Expr("'M'", ord("M")), Expr("SOUND_MIXER_VOLUME", 0))
    assert command.number == 0x80044D00


def test_numbers_that_differ_between_i386_and_x86_64() -> None:
    # linux/kvm.h: struct kvm_dirty_tlb { __u64 bitmap; __u32 num_dirty; }; a plain __u64 is
    # 8-aligned on x86-64 (16 bytes, 4 of tail padding) and 4-aligned on i386 (12 bytes), so
    # KVM_DIRTY_TLB, _IOW(KVMIO, 0xaa, struct kvm_dirty_tlb), encodes two sizes.
    x86_64, i386 = facts("linux/kvm.h"), facts("linux/kvm.h", "i386")
    assert x86_64.command("KVM_DIRTY_TLB").number == 0x4010AEAA
    assert i386.command("KVM_DIRTY_TLB").number == 0x400CAEAA
    assert x86_64.record("kvm_dirty_tlb").padding == (Padding(96, 32, tail=True),)
    assert i386.record("kvm_dirty_tlb").padding == ()
    # linux/rtc.h: #define RTC_IRQP_READ _IOR('p', 0x0b, unsigned long): long is 8 and 4 bytes.
    assert facts("linux/rtc.h").command("RTC_IRQP_READ").number == 0x8008700B
    assert facts("linux/rtc.h", "i386").command("RTC_IRQP_READ").number == 0x8004700B


def test_vfio_commands_that_share_numbers() -> None:
    # linux/vfio.h: VFIO_IOMMU_GET_INFO and VFIO_DEVICE_GET_PCI_HOT_RESET_INFO are both
    # _IO(VFIO_TYPE, VFIO_BASE + 12) (VFIO_TYPE ';', VFIO_BASE 100): the container and the
    # device are different files, so their numbers may coincide.
    vfio = facts("linux/vfio.h")
    assert vfio.shared_numbers[0x3B70] == (
        "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO", "VFIO_IOMMU_GET_INFO",
        "VFIO_IOMMU_SPAPR_TCE_GET_INFO")  # fmt: skip
    assert vfio.command("VFIO_IOMMU_GET_INFO").nr == Expr("VFIO_BASE + 12", 112)
    assert vfio.type_bytes == (ord(";"),)


def test_a_header_with_several_type_bytes() -> None:
    # linux/fs.h: FIBMAP _IO(0x00,1), BLKROSET _IO(0x12,93), FIFREEZE _IOWR('X', 119, int),
    # FS_IOC_GETFLAGS _IOR('f', 1, long), FS_IOC_GETVERSION _IOR('v', 1, long),
    # FS_IOC_GETFSLABEL _IOR(0x94, 49, char[FSLABEL_MAX])
    fs = facts("linux/fs.h")
    assert fs.type_bytes == (0x00, 0x12, ord("X"), ord("f"), ord("v"), 0x94)
    label = fs.command("FS_IOC_GETFSLABEL").arg
    assert label is not None and label.category == "array"
    assert (label.spelling, label.kind) == ("char[FSLABEL_MAX]", Array(CInt("char", True), (256,)))


def test_kernel_doc_of_records_members_and_commands() -> None:
    # linux/gpio.h: /** struct gpio_v2_line_values - Values of GPIO lines  @bits: a bitmap
    # containing the value of the lines, ... */ struct gpio_v2_line_values { __aligned_u64 bits;
    # __aligned_u64 mask; };
    record = facts("linux/gpio.h").record("gpio_v2_line_values")
    assert record.doc is not None and record.doc.startswith("struct gpio_v2_line_values - ")
    bits = record.fields[0]
    assert bits.kdoc is not None and bits.kdoc.startswith("a bitmap containing the value of")
    assert (bits.spelling, bits.kind, bits.attributes) == ("__aligned_u64", U64, ("aligned",))
    # linux/uinput.h: a /** UI_DEV_SETUP - Set device parameters for setup ... */ block above it
    doc = facts("linux/uinput.h").command("UI_DEV_SETUP").doc
    assert doc is not None and doc.startswith("UI_DEV_SETUP - Set device parameters for setup")


def test_endian_fixed_width_and_plain_types() -> None:
    # linux/fsverity.h: struct fsverity_descriptor { __u8 version; ...; __le32 __reserved_0x04;
    # __le64 data_size; ... }
    fields = {f.name: f for f in facts("linux/fsverity.h").record("fsverity_descriptor").fields}
    assert fields["__reserved_0x04"].kind == FixedInt("__le32", 32, False, "little")
    assert fields["__reserved_0x04"].comment == "must be 0"
    # __u64 is unsigned long on ppc64 (asm-generic/int-l64.h), unsigned long long on x86-64:
    # fixed-width either way, through the same typedef.
    device = facts("linux/loop.h", "ppc64").record("loop_info64").fields[0]
    assert (device.kind, device.typedefs[0]) == (U64, "__u64")
    # linux/loop.h struct loop_info: char lo_name[LO_NAME_SIZE]; plain char is signed on x86,
    # unsigned on arm64; its unsigned long lo_inode is plain C.
    for arch, signed in (("amd64", True), ("arm64", False)):
        info = {f.name: f for f in facts("linux/loop.h", arch).record("loop_info").fields}
        assert info["lo_name"].kind == Array(CInt("char", signed), (64,))
        assert info["lo_inode"].kind == CInt("unsigned long", False)
    # linux/uinput.h: #define UI_SET_PHYS _IOW(UINPUT_IOCTL_BASE, 108, char*)
    phys = facts("linux/uinput.h").command("UI_SET_PHYS").arg
    assert phys is not None and (phys.category, phys.kind, phys.size) == (
        "pointer", Pointer("char"), 8)  # fmt: skip


def test_enums_and_constants() -> None:
    # linux/sed-opal.h: enum opal_lock_state { OPAL_RO = 0x01, OPAL_RW = 0x02, OPAL_LK = 0x04 };
    # enum opal_user { OPAL_ADMIN1, OPAL_USER1, ... }
    enums = {e.type.name: e for e in facts("linux/sed-opal.h").enums}
    lock = enums["opal_lock_state"]
    assert [(c.name, c.value, c.spelling) for c in lock.constants] == [
        ("OPAL_RO", 1, "0x01"), ("OPAL_RW", 2, "0x02"), ("OPAL_LK", 4, "0x04")]  # fmt: skip
    assert lock.flag_like and not enums["opal_user"].flag_like
    # linux/vfio.h: #define VFIO_REGION_TYPE_PCI_VENDOR_TYPE (1 << 31), an int: INT_MIN.
    vendor = next(d for d in facts("linux/vfio.h").defines
                  if d.name == "VFIO_REGION_TYPE_PCI_VENDOR_TYPE")  # fmt: skip
    assert (vendor.value, vendor.flag_like) == (-(2**31), True)
    # linux/kvm.h: #define KVM_REG_ARCH_MASK 0xff00000000000000ULL;
    # #define KVM_S390_STORE_STATUS_NOADDR (-1ul), as wide as unsigned long.
    for arch, long_bits in (("amd64", 64), ("i386", 32)):
        kvm = {d.name: d.value for d in facts("linux/kvm.h", arch).defines}
        assert kvm["KVM_REG_ARCH_MASK"] == 0xFF00000000000000
        assert kvm["KVM_S390_STORE_STATUS_NOADDR"] == 2**long_bits - 1


def test_merged_over_architectures() -> None:
    # linux/rtc.h: struct rtc_pll_info is six ints and a long (32 or 28 bytes); RTC_RD_TIME's
    # direction bits differ on powerpc; struct rtc_time (nine ints) is the same everywhere.
    arches = [ARCH_BY_NAME[a] for a in ("amd64", "i386", "powerpc")]
    (rtc,) = merge(read_arches(["linux/rtc.h"], arches, jobs=1))
    assert rtc.command("RTC_RD_TIME").number.groups == {
        0x80247009: ("amd64", "i386"), 0x40247009: ("powerpc",)}  # fmt: skip
    assert rtc.record("rtc_pll_info").size.groups == {32: ("amd64",), 28: ("i386", "powerpc")}
    assert rtc.record("rtc_time").size.value == 36
    assert rtc.command("RTC_RD_TIME").absent == () and rtc.unreadable == ()


def test_pointers_to_records_written_through_typedefs() -> None:
    # linux/cm4000_cs.h: typedef struct atreq { ... } atreq_t;
    # #define CM_IOCGATR _IOWR(CM_IOC_MAGIC, 1, atreq_t *)
    atr = facts("linux/cm4000_cs.h").command("CM_IOCGATR").arg
    assert atr is not None
    assert atr.kind == Pointer("atreq_t", typedef_of="struct atreq")
    # drm/radeon_drm.h: typedef union drm_radeon_clear_rect { ... } drm_radeon_clear_rect_t;
    # typedef struct { ... } drm_radeon_state_t; struct drm_radeon_clear holds
    # `drm_radeon_clear_rect_t *depth_boxes`, struct drm_radeon_vertex2 `drm_radeon_state_t *state`.
    radeon = facts("drm/radeon_drm.h")
    boxes = radeon.record("drm_radeon_clear").fields[-1]
    assert boxes.kind == Pointer("drm_radeon_clear_rect_t",
                                 typedef_of="union drm_radeon_clear_rect")  # fmt: skip
    state = next(f for f in radeon.record("drm_radeon_vertex2").fields if f.name == "state")
    assert state.kind == Pointer("drm_radeon_state_t", anonymous_record=True)


def test_kernel_doc_items_run_on_through_indented_paragraphs() -> None:
    # As scripts/kernel-doc reads a comment: an @item runs to a blank line, and on through each
    # paragraph after it written indented; a paragraph that is not indented is the description.
    from luogen.cheader.source import kdoc_members, kdoc_text

    text = "\n".join([
        "/**", " * struct foo - A foo.", " * @busy: Return busy", " *   status.", " *",
        " *   A return of 0 implies idle.", " *   Still idle.", " *", " *   More.",
        " * @other: Other.", " *", " * The foo's own text.", " */",
    ])  # fmt: skip
    assert kdoc_members(text) == {
        "busy": "Return busy status.\n\nA return of 0 implies idle. Still idle.\n\nMore.",
        "other": "Other.",
    }
    assert kdoc_text(text) == (
        "struct foo - A foo.\n@busy: Return busy\nstatus.\n@other: Other.\n\nThe foo's own text."
    )


def test_a_named_member_a_macro_declares_with_an_anonymous_one() -> None:
    # linux/omap3isp.h: struct omap3isp_stat_data { struct timeval ts; void *buf;
    # __struct_group(, frame, , __u32 buf_size; __u16 frame_number; ...); }; linux/stddef.h's
    # __struct_group is union { struct { MEMBERS } ATTRS; struct TAG { MEMBERS } ATTRS NAME; }.
    omap = facts("linux/omap3isp.h")
    (group,) = [f for f in omap.record("omap3isp_stat_data").fields if f.name is None]
    union = next(r for r in omap.records if r.type == group.kind)
    assert [f.name for f in union.fields] == [None, "frame"]


def test_a_record_packed_and_aligned() -> None:
    # sound/compress_offload.h: struct snd_compr_caps { __u32 num_codecs, direction,
    # min_fragment_size, max_fragment_size, min_fragments, max_fragments; __u32
    # codecs[MAX_NUM_CODECS]; __u32 reserved[11]; } __attribute__((packed, aligned(4)));
    # sound/compress_params.h: MAX_NUM_CODECS 32. 6 * 4 + 32 * 4 + 11 * 4 = 196 bytes.
    caps = facts("sound/compress_offload.h").record("snd_compr_caps")
    assert (caps.packed, caps.aligned, caps.align, caps.size) == (True, 4, 4, 196)
    assert facts("linux/rtc.h").record("rtc_time").aligned is None


def test_includes_are_the_headers_own_directives(tmp_path: Path) -> None:
    # An #include of a header already included (its guard makes it empty: linux/types.h, which
    # linux/ioctl.h does not bring, after <asm/bitsperlong.h>, which linux/types.h brings) is
    # one of the header's includes; one in a branch not taken is not.
    own = tmp_path / "own"
    own.mkdir()
    (own / "x.h").write_text(
        "#include <linux/types.h>\n#include <asm/bitsperlong.h>\n"
        "#if 0\n#include <linux/rtc.h>\n#endif\n#include <linux/ioctl.h>\n"
        "struct own_x { __u32 a; };\n#define OWN_X _IOW('x', 1, struct own_x)\n"
    )
    read = Session("amd64", [tmp_path]).read("own/x.h")
    assert read.includes == ("linux/types.h", "asm/bitsperlong.h", "linux/ioctl.h")
