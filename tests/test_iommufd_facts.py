"""spec/iommufd.yaml's header, read by libclang, against the real iommufd uapi.

Every fact below was written out by hand from include/uapi/linux/iommufd.h in the public
torvalds/linux tree at commit b4d90dbc4c1bc4bd3eb2d2989330af0eb95c98e8 (21 commands,
IOMMUFD_CMD_BASE 0x80 to IOMMUFD_CMD_HW_QUEUE_ALLOC 0x94), for x86-64: each struct's size and
alignment and each member's offset and size (__u8 1, __u16 2, __u32/__s32 4, __aligned_u64 and
__aligned_le64 8 with alignment 8, arrays as count * element), each ioctl number and each enum and
flag value. Nothing here is read from luogen's model.

Every ioctl of the header is `_IO(IOMMUFD_TYPE, IOMMUFD_CMD_X)` with IOMMUFD_TYPE ';' (0x3b). With
the generic encoding, _IOC(dir, type, nr, size) = dir << 30 | size << 16 | type << 8 | nr, and
_IO(type, nr) = _IOC(_IOC_NONE = 0, type, nr, 0) = 0x3b << 8 | nr: 0x3b80 + n for the command at
IOMMUFD_CMD_BASE + n.

What the spec leaves out, each for a reason its comments give, is listed in the LEFT_OUT tables,
and the test checks that exactly those are missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import clang.cindex as ci  # type: ignore[import-untyped]
import pytest
from cheaders import ROOT, clang_args, clang_parse

HEADER = ROOT / "generated/iommufd/include/uapi/linux/iommufd.h"
INCLUDE_ROOT = ROOT / "generated/iommufd/include/uapi"

# struct -> (size, align, {member: (offset, size)}), in the header's order of members.
STRUCTS: dict[str, tuple[int, int, dict[str, tuple[int, int]]]] = {
    "iommu_destroy": (8, 4, {"size": (0, 4), "id": (4, 4)}),
    "iommu_ioas_alloc": (12, 4, {"size": (0, 4), "flags": (4, 4), "out_ioas_id": (8, 4)}),
    "iommu_iova_range": (16, 8, {"start": (0, 8), "last": (8, 8)}),
    "iommu_ioas_iova_ranges": (32, 8, {
        "size": (0, 4), "ioas_id": (4, 4), "num_iovas": (8, 4), "__reserved": (12, 4),
        "allowed_iovas": (16, 8), "out_iova_alignment": (24, 8)}),
    "iommu_ioas_allow_iovas": (24, 8, {
        "size": (0, 4), "ioas_id": (4, 4), "num_iovas": (8, 4), "__reserved": (12, 4),
        "allowed_iovas": (16, 8)}),
    "iommu_ioas_map": (40, 8, {
        "size": (0, 4), "flags": (4, 4), "ioas_id": (8, 4), "__reserved": (12, 4),
        "user_va": (16, 8), "length": (24, 8), "iova": (32, 8)}),
    "iommu_ioas_map_file": (40, 8, {
        "size": (0, 4), "flags": (4, 4), "ioas_id": (8, 4), "fd": (12, 4), "start": (16, 8),
        "length": (24, 8), "iova": (32, 8)}),
    "iommu_ioas_copy": (40, 8, {
        "size": (0, 4), "flags": (4, 4), "dst_ioas_id": (8, 4), "src_ioas_id": (12, 4),
        "length": (16, 8), "dst_iova": (24, 8), "src_iova": (32, 8)}),
    "iommu_ioas_unmap": (24, 8, {
        "size": (0, 4), "ioas_id": (4, 4), "iova": (8, 8), "length": (16, 8)}),
    "iommu_option": (24, 8, {
        "size": (0, 4), "option_id": (4, 4), "op": (8, 2), "__reserved": (10, 2),
        "object_id": (12, 4), "val64": (16, 8)}),
    "iommu_vfio_ioas": (12, 4, {
        "size": (0, 4), "ioas_id": (4, 4), "op": (8, 2), "__reserved": (10, 2)}),
    "iommu_hwpt_vtd_s1": (24, 8, {
        "flags": (0, 8), "pgtbl_addr": (8, 8), "addr_width": (16, 4), "__reserved": (20, 4)}),
    "iommu_hwpt_arm_smmuv3": (16, 8, {"ste": (0, 16)}),
    "iommu_hwpt_alloc": (48, 8, {
        "size": (0, 4), "flags": (4, 4), "dev_id": (8, 4), "pt_id": (12, 4),
        "out_hwpt_id": (16, 4), "__reserved": (20, 4), "data_type": (24, 4),
        "data_len": (28, 4), "data_uptr": (32, 8), "fault_id": (40, 4), "__reserved2": (44, 4)}),
    "iommu_hw_info_vtd": (24, 8, {
        "flags": (0, 4), "__reserved": (4, 4), "cap_reg": (8, 8), "ecap_reg": (16, 8)}),
    "iommu_hw_info_arm_smmuv3": (40, 4, {
        "flags": (0, 4), "__reserved": (4, 4), "idr": (8, 24), "iidr": (32, 4),
        "aidr": (36, 4)}),
    "iommu_hw_info_tegra241_cmdqv": (8, 4, {
        "flags": (0, 4), "version": (4, 1), "log2vcmdqs": (5, 1), "log2vsids": (6, 1),
        "__reserved": (7, 1)}),
    # in_data_type and out_data_type: the two members of an anonymous union at offset 24.
    "iommu_hw_info": (40, 8, {
        "size": (0, 4), "flags": (4, 4), "dev_id": (8, 4), "data_len": (12, 4),
        "data_uptr": (16, 8), "in_data_type": (24, 4), "out_data_type": (24, 4),
        "out_max_pasid_log2": (28, 1), "__reserved": (29, 3), "out_capabilities": (32, 8)}),
    "iommu_hwpt_set_dirty_tracking": (16, 4, {
        "size": (0, 4), "flags": (4, 4), "hwpt_id": (8, 4), "__reserved": (12, 4)}),
    "iommu_hwpt_get_dirty_bitmap": (48, 8, {
        "size": (0, 4), "hwpt_id": (4, 4), "flags": (8, 4), "__reserved": (12, 4),
        "iova": (16, 8), "length": (24, 8), "page_size": (32, 8), "data": (40, 8)}),
    "iommu_hwpt_vtd_s1_invalidate": (24, 8, {
        "addr": (0, 8), "npages": (8, 8), "flags": (16, 4), "__reserved": (20, 4)}),
    "iommu_viommu_arm_smmuv3_invalidate": (16, 8, {"cmd": (0, 16)}),
    "iommu_hwpt_invalidate": (32, 8, {
        "size": (0, 4), "hwpt_id": (4, 4), "data_uptr": (8, 8), "data_type": (16, 4),
        "entry_len": (20, 4), "entry_num": (24, 4), "__reserved": (28, 4)}),
    "iommu_hwpt_pgfault": (40, 8, {
        "flags": (0, 4), "dev_id": (4, 4), "pasid": (8, 4), "grpid": (12, 4), "perm": (16, 4),
        "__reserved": (20, 4), "addr": (24, 8), "length": (32, 4), "cookie": (36, 4)}),
    "iommu_hwpt_page_response": (8, 4, {"cookie": (0, 4), "code": (4, 4)}),
    "iommu_fault_alloc": (16, 4, {
        "size": (0, 4), "flags": (4, 4), "out_fault_id": (8, 4), "out_fault_fd": (12, 4)}),
    "iommu_viommu_tegra241_cmdqv": (16, 8, {
        "out_vintf_mmap_offset": (0, 8), "out_vintf_mmap_length": (8, 8)}),
    "iommu_viommu_alloc": (40, 8, {
        "size": (0, 4), "flags": (4, 4), "type": (8, 4), "dev_id": (12, 4), "hwpt_id": (16, 4),
        "out_viommu_id": (20, 4), "data_len": (24, 4), "__reserved": (28, 4),
        "data_uptr": (32, 8)}),
    "iommu_vdevice_alloc": (24, 8, {
        "size": (0, 4), "viommu_id": (4, 4), "dev_id": (8, 4), "out_vdevice_id": (12, 4),
        "virt_id": (16, 8)}),
    "iommu_ioas_change_process": (8, 4, {"size": (0, 4), "__reserved": (4, 4)}),
    "iommufd_vevent_header": (8, 4, {"flags": (0, 4), "sequence": (4, 4)}),
    "iommu_vevent_arm_smmuv3": (32, 8, {"evt": (0, 32)}),
    "iommu_vevent_tegra241_cmdqv": (16, 8, {"lvcmdq_err_map": (0, 16)}),
    "iommu_veventq_alloc": (32, 4, {
        "size": (0, 4), "flags": (4, 4), "viommu_id": (8, 4), "type": (12, 4),
        "veventq_depth": (16, 4), "out_veventq_id": (20, 4), "out_veventq_fd": (24, 4),
        "__reserved": (28, 4)}),
    "iommu_hw_queue_alloc": (40, 8, {
        "size": (0, 4), "flags": (4, 4), "viommu_id": (8, 4), "type": (12, 4), "index": (16, 4),
        "out_hw_queue_id": (20, 4), "nesting_parent_iova": (24, 8), "length": (32, 8)}),
}  # fmt: skip

# ioctl -> (IOMMUFD_CMD_ enumerator, its NR, the number _IO(';', NR) = 0x3b << 8 | NR, struct)
IOCTLS: dict[str, tuple[str, int, int, str]] = {
    "IOMMU_DESTROY": ("IOMMUFD_CMD_DESTROY", 0x80, 0x3B80, "iommu_destroy"),
    "IOMMU_IOAS_ALLOC": ("IOMMUFD_CMD_IOAS_ALLOC", 0x81, 0x3B81, "iommu_ioas_alloc"),
    "IOMMU_IOAS_ALLOW_IOVAS": ("IOMMUFD_CMD_IOAS_ALLOW_IOVAS", 0x82, 0x3B82,
                               "iommu_ioas_allow_iovas"),
    "IOMMU_IOAS_COPY": ("IOMMUFD_CMD_IOAS_COPY", 0x83, 0x3B83, "iommu_ioas_copy"),
    "IOMMU_IOAS_IOVA_RANGES": ("IOMMUFD_CMD_IOAS_IOVA_RANGES", 0x84, 0x3B84,
                               "iommu_ioas_iova_ranges"),
    "IOMMU_IOAS_MAP": ("IOMMUFD_CMD_IOAS_MAP", 0x85, 0x3B85, "iommu_ioas_map"),
    "IOMMU_IOAS_UNMAP": ("IOMMUFD_CMD_IOAS_UNMAP", 0x86, 0x3B86, "iommu_ioas_unmap"),
    "IOMMU_OPTION": ("IOMMUFD_CMD_OPTION", 0x87, 0x3B87, "iommu_option"),
    "IOMMU_VFIO_IOAS": ("IOMMUFD_CMD_VFIO_IOAS", 0x88, 0x3B88, "iommu_vfio_ioas"),
    "IOMMU_HWPT_ALLOC": ("IOMMUFD_CMD_HWPT_ALLOC", 0x89, 0x3B89, "iommu_hwpt_alloc"),
    "IOMMU_GET_HW_INFO": ("IOMMUFD_CMD_GET_HW_INFO", 0x8A, 0x3B8A, "iommu_hw_info"),
    "IOMMU_HWPT_SET_DIRTY_TRACKING": ("IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING", 0x8B, 0x3B8B,
                                      "iommu_hwpt_set_dirty_tracking"),
    "IOMMU_HWPT_GET_DIRTY_BITMAP": ("IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP", 0x8C, 0x3B8C,
                                    "iommu_hwpt_get_dirty_bitmap"),
    "IOMMU_HWPT_INVALIDATE": ("IOMMUFD_CMD_HWPT_INVALIDATE", 0x8D, 0x3B8D,
                              "iommu_hwpt_invalidate"),
    "IOMMU_FAULT_QUEUE_ALLOC": ("IOMMUFD_CMD_FAULT_QUEUE_ALLOC", 0x8E, 0x3B8E,
                                "iommu_fault_alloc"),
    "IOMMU_IOAS_MAP_FILE": ("IOMMUFD_CMD_IOAS_MAP_FILE", 0x8F, 0x3B8F, "iommu_ioas_map_file"),
    "IOMMU_VIOMMU_ALLOC": ("IOMMUFD_CMD_VIOMMU_ALLOC", 0x90, 0x3B90, "iommu_viommu_alloc"),
    "IOMMU_VDEVICE_ALLOC": ("IOMMUFD_CMD_VDEVICE_ALLOC", 0x91, 0x3B91, "iommu_vdevice_alloc"),
    "IOMMU_IOAS_CHANGE_PROCESS": ("IOMMUFD_CMD_IOAS_CHANGE_PROCESS", 0x92, 0x3B92,
                                  "iommu_ioas_change_process"),
    "IOMMU_VEVENTQ_ALLOC": ("IOMMUFD_CMD_VEVENTQ_ALLOC", 0x93, 0x3B93, "iommu_veventq_alloc"),
    "IOMMU_HW_QUEUE_ALLOC": ("IOMMUFD_CMD_HW_QUEUE_ALLOC", 0x94, 0x3B94, "iommu_hw_queue_alloc"),
}  # fmt: skip

# enum tag -> {enumerator: value}; flag values as the header writes them (1 << n).
ENUMS: dict[str, dict[str, int]] = {
    "iommufd_ioas_map_flags": {
        "IOMMU_IOAS_MAP_FIXED_IOVA": 1, "IOMMU_IOAS_MAP_WRITEABLE": 2,
        "IOMMU_IOAS_MAP_READABLE": 4},
    "iommufd_option": {"IOMMU_OPTION_RLIMIT_MODE": 0, "IOMMU_OPTION_HUGE_PAGES": 1},
    "iommufd_option_ops": {"IOMMU_OPTION_OP_SET": 0, "IOMMU_OPTION_OP_GET": 1},
    "iommufd_vfio_ioas_op": {
        "IOMMU_VFIO_IOAS_GET": 0, "IOMMU_VFIO_IOAS_SET": 1, "IOMMU_VFIO_IOAS_CLEAR": 2},
    "iommufd_hwpt_alloc_flags": {
        "IOMMU_HWPT_ALLOC_NEST_PARENT": 1, "IOMMU_HWPT_ALLOC_DIRTY_TRACKING": 2,
        "IOMMU_HWPT_FAULT_ID_VALID": 4, "IOMMU_HWPT_ALLOC_PASID": 8},
    "iommu_hwpt_vtd_s1_flags": {"IOMMU_VTD_S1_SRE": 1, "IOMMU_VTD_S1_EAFE": 2,
                                "IOMMU_VTD_S1_WPE": 4},
    "iommu_hwpt_data_type": {
        "IOMMU_HWPT_DATA_NONE": 0, "IOMMU_HWPT_DATA_VTD_S1": 1, "IOMMU_HWPT_DATA_ARM_SMMUV3": 2},
    "iommu_hw_info_vtd_flags": {"IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17": 1},
    "iommu_hw_info_type": {
        "IOMMU_HW_INFO_TYPE_NONE": 0, "IOMMU_HW_INFO_TYPE_DEFAULT": 0,
        "IOMMU_HW_INFO_TYPE_INTEL_VTD": 1, "IOMMU_HW_INFO_TYPE_ARM_SMMUV3": 2,
        "IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV": 3},
    "iommufd_hw_capabilities": {
        "IOMMU_HW_CAP_DIRTY_TRACKING": 1, "IOMMU_HW_CAP_PCI_PASID_EXEC": 2,
        "IOMMU_HW_CAP_PCI_PASID_PRIV": 4},
    "iommufd_hw_info_flags": {"IOMMU_HW_INFO_FLAG_INPUT_TYPE": 1},
    "iommufd_hwpt_set_dirty_tracking_flags": {"IOMMU_HWPT_DIRTY_TRACKING_ENABLE": 1},
    "iommufd_hwpt_get_dirty_bitmap_flags": {"IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR": 1},
    "iommu_hwpt_invalidate_data_type": {
        "IOMMU_HWPT_INVALIDATE_DATA_VTD_S1": 0, "IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3": 1},
    "iommu_hwpt_vtd_s1_invalidate_flags": {"IOMMU_VTD_INV_FLAGS_LEAF": 1},
    "iommu_hwpt_pgfault_flags": {
        "IOMMU_PGFAULT_FLAGS_PASID_VALID": 1, "IOMMU_PGFAULT_FLAGS_LAST_PAGE": 2},
    "iommu_hwpt_pgfault_perm": {
        "IOMMU_PGFAULT_PERM_READ": 1, "IOMMU_PGFAULT_PERM_WRITE": 2,
        "IOMMU_PGFAULT_PERM_EXEC": 4, "IOMMU_PGFAULT_PERM_PRIV": 8},
    "iommufd_page_response_code": {"IOMMUFD_PAGE_RESP_SUCCESS": 0, "IOMMUFD_PAGE_RESP_INVALID": 1},
    "iommu_viommu_type": {
        "IOMMU_VIOMMU_TYPE_DEFAULT": 0, "IOMMU_VIOMMU_TYPE_ARM_SMMUV3": 1,
        "IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV": 2},
    "iommu_veventq_flag": {"IOMMU_VEVENTQ_FLAG_LOST_EVENTS": 1},
    "iommu_veventq_type": {
        "IOMMU_VEVENTQ_TYPE_DEFAULT": 0, "IOMMU_VEVENTQ_TYPE_ARM_SMMUV3": 1,
        "IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV": 2},
    "iommu_hw_queue_type": {
        "IOMMU_HW_QUEUE_TYPE_DEFAULT": 0, "IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV": 1},
}  # fmt: skip
MACROS = {"IOMMUFD_TYPE": ord(";")}
# The members the header declares `__aligned_le64 NAME[N]` (little-endian, 8-aligned): N.
LITTLE_ENDIAN_64 = {
    ("iommu_hwpt_arm_smmuv3", "ste"): 2,
    ("iommu_viommu_arm_smmuv3_invalidate", "cmd"): 2,
    ("iommu_vevent_arm_smmuv3", "evt"): 4,
    ("iommu_vevent_tegra241_cmdqv", "lvcmdq_err_map"): 2,
}

COMMAND_ENUM = {"IOMMUFD_CMD_BASE": 0x80} | {cmd: nr for cmd, nr, _n, _s in IOCTLS.values()}

# What the spec cannot say and leaves out (see spec/iommufd.yaml's comments).
LEFT_OUT_STRUCTS: set[str] = set()
LEFT_OUT_ENUMERATORS: dict[str, set[str]] = {}  # IOMMU_HW_INFO_TYPE_DEFAULT is an alias-of


@dataclass(frozen=True)
class Seen:
    structs: dict[str, tuple[int, int, dict[str, tuple[int, int]]]]
    enums: dict[str, dict[str, int]]
    anonymous_enums: dict[str, int]


def _members(kind: ci.Type, base: int = 0) -> dict[str, tuple[int, int]]:
    """Each member's (offset, size); an anonymous union's members at the union's offset."""
    members = {}
    for field in kind.get_fields():
        offset = base + field.get_field_offsetof() // 8
        if field.is_anonymous():
            members |= _members(field.type, offset)
        else:
            members[field.spelling] = (offset, field.type.get_size())
    return members


@pytest.fixture(scope="module")
def seen() -> Seen:
    unit = ci.TranslationUnit.from_source(
        str(HEADER), args=clang_args("x86_64-linux-gnu", [INCLUDE_ROOT])
    )
    assert [str(d) for d in unit.diagnostics] == []
    structs, enums, anonymous = {}, {}, {}
    for cursor in unit.cursor.get_children():
        if cursor.location.file is None or cursor.location.file.name != str(HEADER):
            continue
        if cursor.kind == ci.CursorKind.STRUCT_DECL and cursor.is_definition():
            kind = cursor.type
            structs[cursor.spelling] = (kind.get_size(), kind.get_align(), _members(kind))
        elif cursor.kind == ci.CursorKind.ENUM_DECL:
            values = {c.spelling: c.enum_value for c in cursor.get_children()}
            if cursor.is_anonymous():
                anonymous |= values
            else:
                enums[cursor.spelling] = values
    return Seen(structs, enums, anonymous)


def test_the_ioctl_numbers_follow_the_formula() -> None:
    """The table's numbers are _IO(';', NR) = 0x3b << 8 | NR (generic encoding, _IOC_NONE 0)."""
    for ioctl, (_cmd, nr, number, _struct) in IOCTLS.items():
        assert number == (0 << 30) | (0 << 16) | (ord(";") << 8) | nr, ioctl
    assert sorted(nr for _c, nr, _n, _s in IOCTLS.values()) == list(range(0x80, 0x95))


def test_every_struct_is_the_real_headers(seen: Seen) -> None:
    want = {name: fact for name, fact in STRUCTS.items() if name not in LEFT_OUT_STRUCTS}
    assert sorted(seen.structs) == sorted(want)
    for name, (size, align, members) in want.items():
        assert seen.structs[name] == (size, align, members), name
        assert list(seen.structs[name][2]) == list(members), name  # in the header's order


def test_the_little_endian_members_are_the_real_headers() -> None:
    """`__aligned_le64` is `__le64` aligned to 8: clang sees the typedef's name (the macro's
    attribute goes) as the element of an array of the header's length, at an 8-aligned
    offset in an 8-aligned struct."""
    unit = ci.TranslationUnit.from_source(
        str(HEADER), args=clang_args("x86_64-linux-gnu", [INCLUDE_ROOT])
    )
    found = {}
    for cursor in unit.cursor.get_children():
        if cursor.kind == ci.CursorKind.STRUCT_DECL and cursor.is_definition():
            for field in cursor.type.get_fields():
                kind = field.type
                if kind.kind == ci.TypeKind.CONSTANTARRAY:
                    element = kind.element_type
                    if element.spelling == "__le64":
                        assert cursor.type.get_align() == 8, cursor.spelling
                        assert field.get_field_offsetof() % 64 == 0, field.spelling
                        found[(cursor.spelling, field.spelling)] = kind.element_count
    assert found == LITTLE_ENDIAN_64


def test_every_ioctl_number_and_command_is_the_real_headers(seen: Seen) -> None:
    macros = clang_parse(HEADER, INCLUDE_ROOT).macros
    assert macros == MACROS | {ioctl: number for ioctl, (_c, _nr, number, _s) in IOCTLS.items()}
    assert seen.anonymous_enums == COMMAND_ENUM
    assert {s for _c, _nr, _n, s in IOCTLS.values()} <= set(seen.structs)


def test_every_enum_and_flag_value_is_the_real_headers(seen: Seen) -> None:
    want = {}
    for tag, values in ENUMS.items():
        gone = LEFT_OUT_ENUMERATORS.get(tag, set())
        want[tag] = {name: value for name, value in values.items() if name not in gone}
    assert seen.enums == want
    # IOMMU_HW_INFO_TYPE_DEFAULT, an alias of NONE's 0, sits where the real header has it.
    assert list(seen.enums["iommu_hw_info_type"]) == list(ENUMS["iommu_hw_info_type"])


def test_what_is_left_out_is_only_what_luogen_cannot_say(seen: Seen) -> None:
    """The omissions are exactly the listed ones: each is still in the real header's table."""
    assert set(STRUCTS) >= LEFT_OUT_STRUCTS
    assert not LEFT_OUT_STRUCTS & set(seen.structs)
    for tag, gone in LEFT_OUT_ENUMERATORS.items():
        assert gone <= set(ENUMS[tag]) and not gone & set(seen.enums[tag])
