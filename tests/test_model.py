"""The model: layouts per architecture, minimum sizes, ioctl numbers, default names."""

from __future__ import annotations

import re
from typing import Any

import pytest
from specs import member, model_of, spec_data, with_members

from luogen.errors import SpecError
from luogen.model import ARCHES, Model
from luogen.model.arch import ALTERNATE, ARCH_BY_NAME, GENERIC
from luogen.model.build.commands import binding_name
from luogen.render import render


def _struct(model):  # type: ignore[no-untyped-def]
    return model.commands[0].struct


def test_size_header_is_implicit_and_first() -> None:
    struct = _struct(model_of(with_members(member("x", "u32"))))
    assert [m.name for m in struct.members] == ["size", "x"]
    assert struct.members[0].kind.c_type == "__u32"
    assert struct.offsets == (0, 4)
    assert struct.size == 8


def test_u64_is_aligned_everywhere_and_spelled_aligned_u64() -> None:
    struct = _struct(model_of(with_members(member("pad", "u32"), member("v", "u64"))))
    assert struct.members[2].c_decl == "__aligned_u64 v"
    for arch in ARCHES:
        layout = struct.layout(arch)
        assert (layout.size, layout.align, layout.offsets) == (16, 8, (0, 4, 8)), arch.name


def test_s64_alignment_differs_by_architecture() -> None:
    struct = _struct(model_of(with_members(member("pad", "u32"), member("v", "s64"))))
    assert struct.layout(ARCH_BY_NAME["amd64"]).align == 8
    assert struct.layout(ARCH_BY_NAME["i386"]).align == 4
    assert struct.layout(ARCH_BY_NAME["m68k"]).align == 2
    # ... yet, with no holes anywhere, the offsets agree.
    assert {struct.layout(a).offsets for a in ARCHES} == {(0, 4, 8)}


def test_hole_only_on_m68k_is_still_reported() -> None:
    # u16 then u32: m68k aligns __u32 to 2, everyone else to 4.
    data = with_members(member("a", "u16"), member("b", "u32"))
    with pytest.raises(SpecError) as raised:
        model_of(data)
    message = str(raised.value)
    assert "2-byte hole at offset 6 before 'b'" in message
    assert "on every architecture but m68k" in message
    assert "'__u16 __reserved'" in message


def test_tail_padding_is_reported_with_its_size() -> None:
    with pytest.raises(SpecError) as raised:
        model_of(with_members(member("v", "u64"), member("x", "u8")))
    assert "7 bytes of tail padding after 'x' at offset 17" in str(raised.value)
    assert "'__u8 __reserved2[7]'" in str(raised.value)  # the hole before 'v' gets __reserved


def _advice(data: dict[str, Any]) -> list[str]:
    with pytest.raises(SpecError) as raised:
        model_of(data)
    return [d.message for d in raised.value.diagnostics]


def test_following_all_the_padding_advice_gives_an_accepted_struct() -> None:
    """A hole and a tail: the reserved members suggested do not clash with an existing one or
    with each other, and the reordering suggested needs no padding either."""
    members = [member("handle", "u64"), member("mode", "u16"),
               member("__reserved", "u16", reserved=True), member("flags", "u32"),
               member("count", "u32")]  # fmt: skip
    messages = _advice(with_members(*members))
    assert len(messages) == 2
    hole, tail = (re.search(r"'__u32 (__reserved\d*)'", m) for m in messages)
    assert hole is not None and tail is not None
    assert (hole[1], tail[1]) == ("__reserved2", "__reserved3")
    filled = [
        member(hole[1], "u32", reserved=True),
        *members,
        member(tail[1], "u32", reserved=True),
    ]
    model_of(with_members(*filled))  # accepted
    order = re.search(r"reorder the members as ([\w, ]+), which needs no padding", messages[0])
    assert order is not None and order[0] in messages[1]
    by_name = {m["name"]: m for m in members}
    model_of(with_members(*(by_name[name] for name in order[1].split(", "))))  # accepted


def test_no_reordering_is_suggested_when_none_removes_the_padding() -> None:
    messages = _advice(with_members(member("v", "u64"), member("x", "u8")))
    assert len(messages) == 2 and not any("reorder" in m for m in messages)


def test_reordering_keeps_optional_members_last() -> None:
    mandatory = _advice(with_members(member("a", "u64"), member("c", "u32")))
    assert all("reorder the members as c, a, which" in m for m in mandatory), mandatory
    optional = _advice(with_members(member("a", "u64"), member("c", "u32", optional=True)))
    assert len(optional) == 2 and not any("reorder" in m for m in optional)


def test_min_size_is_offsetofend_of_last_mandatory_member() -> None:
    struct = _struct(
        model_of(
            with_members(
                member("a", "u32"),
                member("b", "u64"),
                member("c", "u32", optional=True),
                member("d", "u32", since="6.20"),
            )
        )
    )
    assert struct.size == 24
    assert struct.min_size == 16
    assert struct.last_mandatory is not None and struct.last_mandatory.name == "b"


def test_marking_a_member_optional_lowers_min_size() -> None:
    mandatory = _struct(model_of(with_members(member("a", "u32"), member("b", "u64"))))
    optional = _struct(
        model_of(with_members(member("a", "u32"), member("b", "u64", optional=True)))
    )
    assert (mandatory.min_size, optional.min_size) == (16, 8)


def test_arrays_by_number_and_by_constant() -> None:
    data = with_members(
        member("name", "u8", array="T_LEN"),
        member("words", "u16", array=2),
        constants=[{"name": "T_LEN", "value": 12, "doc": "Length."}],
    )
    struct = _struct(model_of(data))
    assert [m.c_decl for m in struct.members[1:]] == ["__u8 name[T_LEN]", "__u16 words[2]"]
    assert struct.size == 4 + 12 + 4


def test_nested_struct_layout_is_embedded() -> None:
    data = with_members(
        member("pad", "u32"),
        member("inner", "struct", struct="t_pair", array=2),
        structs=[
            {"name": "t_pair", "doc": "Two.", "members": [member("a", "u64"), member("b", "u64")]}
        ],
    )
    model = model_of(data)
    assert model.structs[0].size == 16
    assert _struct(model).offsets == (0, 4, 8)
    assert _struct(model).size == 40


def test_ioctl_numbers_generic_and_alternate() -> None:
    command = model_of(spec_data()).commands[0]
    assert command.nr == 0x10
    assert command.number(GENERIC) == 0x5410
    assert command.number(ALTERNATE) == (1 << 29) | 0x5410
    numbers = command.numbers
    assert numbers["amd64"] == numbers["arm64"] == numbers["s390x"] == numbers["m68k"] == 0x5410
    assert (
        numbers["ppc64el"]
        == numbers["mips"]
        == numbers["sparc64"]
        == numbers["alpha"]
        == 0x20005410
    )


def test_commands_are_numbered_in_order_and_retired_numbers_stay_taken() -> None:
    data = spec_data()
    data["ranges"][0]["commands"] = [
        {"name": "a", "doc": "A.", "members": []},
        {"name": "gone", "retired": "Removed."},
        {"name": "c", "doc": "C.", "members": []},
    ]
    model = model_of(data)
    assert [(c.name, c.nr) for c in model.ranges[0].commands] == [
        ("a", 0x10),
        ("gone", 0x11),
        ("c", 0x12),
    ]
    assert [c.name for c in model.commands] == ["a", "c"]
    assert model.ranges[0].seq == "10-12"


def test_default_names() -> None:
    data = spec_data()
    data["ranges"].append(
        {
            "name": "obj",
            "doc": "Object commands.",
            "base": 0x20,
            "commands": [{"name": "get", "doc": "Get.", "members": []}],
        }
    )
    model = model_of(data)
    first, second = model.ranges
    assert model.ioctl_type_name == "T_TYPE"
    assert model.guard == "_UAPI_LINUX_T_H"
    assert (first.base_name, first.commands[0].cmd_name) == ("T_CMD_BASE", "T_CMD_OP")
    assert (first.commands[0].ioctl_name, first.commands[0].struct.name) == ("T_OP", "t_op")  # type: ignore[union-attr]
    assert (second.base_name, second.commands[0].cmd_name) == ("T_CMD_OBJ_BASE", "T_CMD_OBJ_GET")
    assert second.commands[0].ioctl_name == "T_OBJ_GET"
    assert second.commands[0].struct.name == "t_obj_get"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("liveupdate", "Live Update Orchestrator", "LiveUpdate"),
        ("iommufd", "IOMMUFD - IOMMU userspace API", "Iommufd"),  # an acronym is one word
        ("fwctl", "Firmware control", "Fwctl"),  # the title does not start with the name
        ("t", "T test", "T"),
    ],
)
def test_the_first_objects_type_is_named_in_the_titles_words(
    name: str, title: str, expected: str
) -> None:
    assert binding_name(name, title) == expected


def test_a_new_command_needs_no_template_change() -> None:
    data = spec_data()
    data["ranges"][0]["commands"].append({"name": "added", "doc": "New.", "members": []})
    model = model_of(data)
    assert [c.ioctl_name for c in model.commands] == ["T_OP", "T_ADDED"]


def test_style_problems_are_warnings_not_errors() -> None:
    data = with_members(member("MixedCase", "u32"))
    model = model_of(data)
    assert [d.severity for d in model.warnings] == ["warning"]
    assert "member 'MixedCase' should be lower_case" in str(model.warnings[0])


def test_structs_not_named_after_the_spec_are_warned_about_top_level_ones_too() -> None:
    """The prefix is the spec's name as a word: `tpair` is no struct of spec `t`."""
    pair = {"name": "tpair", "doc": "P.", "members": [member("a", "u32")]}
    data = with_members(member("pair", "struct", struct="tpair"), structs=[pair])
    data["ranges"][0]["commands"][0]["struct"] = "op_args"
    messages = [d.message for d in model_of(data).warnings]
    assert messages == [
        "struct 'tpair' does not start with 't_', the spec name and an underscore",
        "struct 'op_args' does not start with 't_', the spec name and an underscore",
    ]


def test_a_declared_struct_prefix_is_the_specs_namespace_too() -> None:
    """iommufd's structs are iommu_*: its range's struct-prefix says so, and `check -W` passes."""
    pair = {"name": "tx_pair", "doc": "P.", "members": [member("a", "u32")]}
    other = {"name": "other", "doc": "O.", "members": [member("a", "u32")]}
    data = with_members(member("pair", "struct", struct="tx_pair"), structs=[pair, other])
    data["ranges"][0]["struct-prefix"] = "tx_"
    messages = [d.message for d in model_of(data).warnings]
    assert messages == [
        "struct 'other' does not start with 't_', the spec name and an underscore, nor with a "
        "range's struct-prefix (tx_)"
    ]


def test_a_nested_structs_members_go_the_way_of_their_container() -> None:
    """Their kdoc says no direction, and the container's direction decides what is checked (an
    own `dir` is refused: tests/errors/abi_nested_member_dir)."""
    pair = {"name": "t_pair", "doc": "P.", "members": [member("a", "u32", doc="The a.")]}
    model = model_of(with_members(member("pair", "struct", struct="t_pair", dir="out"),
                                  structs=[pair]))  # fmt: skip
    (inner,) = model.structs[0].members
    assert inner.direction is None
    assert inner.description == "The a."
    (command,) = model.commands
    assert command.struct is not None
    assert command.struct.members[1].description.startswith("Output;")


def _flags_model(storage: str, *bits: int) -> Model:
    flags = {
        "name": "t_flags",
        "doc": "F.",
        "bits": [{"name": f"T_F{bit}", "bit": bit, "doc": "A bit."} for bit in bits],
    }
    pad = [member("pad", "u32", reserved=True)] if storage == "u64" else []
    return model_of(with_members(*pad, member("flags", storage, flags="t_flags"), flags=[flags]))


def test_every_bit_of_a_flag_sets_width_is_a_flag() -> None:
    (u32,) = _flags_model("u32", 0, 31).flag_sets
    assert u32.wide and u32.rust_repr == "u32" and u32.mask == 0x8000_0001
    assert u32.c_defines == (("T_F0", "(1U << 0)"), ("T_F31", "(1U << 31)"))
    (u64,) = _flags_model("u64", 0, 32, 63).flag_sets
    assert u64.wide and u64.rust_repr == "u64" and u64.mask == 0x8000_0001_0000_0001
    assert u64.c_defines[-1] == ("T_F63", "(1ULL << 63)")
    assert u64.values[-1].shifted == "1 << 63"  # Rust and Python: in the type of the set


def test_a_flag_set_whose_bits_fit_an_int_stays_an_enum_whatever_its_width() -> None:
    (flags,) = _flags_model("u64", 0, 30).flag_sets
    assert not flags.wide and flags.c_template == "uapi/enum.j2"
    assert flags.values[-1].c_value == "1 << 30" and flags.rust_repr == "u64"


def test_a_bit_past_the_members_width_is_an_error() -> None:
    with pytest.raises(SpecError, match="flags 't_flags' use bit 32, which does not fit member"):
        _flags_model("u32", 32)


def test_a_character_type_byte_is_spelled_as_the_header_and_ioctl_number_rst_spell_it() -> None:
    # include/uapi/linux/iommufd.h: `#define IOMMUFD_TYPE (';')`; and
    # Documentation/userspace-api/ioctl/ioctl-number.rst (torvalds/linux) lists the same byte
    # bare: `';'   80-FF  linux/iommufd.h`.
    model = model_of(spec_data(**{"ioctl-type": "(';')"}))
    assert (model.ioctl_type, model.c_ioctl_type, model.docs_ioctl_type) == (0x3B, "(';')", "';'")
    assert model.commands[0].number_on(ARCH_BY_NAME["amd64"]) == 0x3B10
    number_rst = render(model, ("docs",))[
        "t/Documentation/userspace-api/ioctl/ioctl-number.t.rst.txt"
    ]
    assert number_rst.startswith("';'   10     uapi/linux/t.h")
    assert "``_IO(';', 0x10)``" in render(model, ("docs",))["t/Documentation/userspace-api/t.rst"]


def _aliased_mode() -> Model:
    values = [
        {"name": "DEMO_MODE_OFF", "doc": "Off."},
        {"name": "DEMO_MODE_DEFAULT", "alias-of": "DEMO_MODE_OFF", "doc": "The default."},
        {"name": "DEMO_MODE_ON", "doc": "On."},
    ]
    data = with_members(member("mode", "u32", enum="demo_mode"))
    data["enums"] = [{"name": "demo_mode", "doc": "Modes.", "values": values}]
    return model_of(data)


def test_an_alias_is_the_value_object_it_names_and_numbers_on_as_c_does() -> None:
    (enum,) = _aliased_mode().enums
    off, default, on = enum.values
    assert default.alias_of is off and default.value == 0
    assert on.value == 1  # C numbers what follows `DEFAULT = OFF` from it: OFF + 1
    assert enum.distinct == (off, on)
    # C spells it with the value, as include/uapi/linux/iommufd.h does; Rust and Python name it.
    assert (default.c_value, default.rust_value, default.py_value) == (
        "0",
        "Self::DEMO_MODE_OFF",
        "DEMO_MODE_OFF",
    )


def test_an_alias_adds_no_value_to_the_kernel_check() -> None:
    """The must-be-known check is a range over the distinct values: 0..1, not a list of three."""
    mode = _struct(_aliased_mode()).members[1]
    assert mode.kind.c_unsupported("cmd->mode") == "cmd->mode > DEMO_MODE_ON"


def test_a_duplicate_value_without_the_alias_form_is_still_an_error() -> None:
    data = with_members(member("mode", "u32", enum="demo_mode"))
    values = [
        {"name": "DEMO_MODE_OFF", "doc": "Off."},
        {"name": "DEMO_MODE_NONE", "value": 0, "doc": "None."},
    ]
    data["enums"] = [{"name": "demo_mode", "doc": "Modes.", "values": values}]
    with pytest.raises(SpecError, match="'alias-of: DEMO_MODE_OFF'"):
        model_of(data)


def _directed(**directions: str) -> Model:
    """A command whose `val` a `u32 op` of enum t_mode (values T_MODE_SET, T_MODE_GET, T_MODE_NONE)
    directs as `directions` say."""
    values = [{"name": n, "doc": f"{n}."} for n in ("T_MODE_SET", "T_MODE_GET", "T_MODE_NONE")]
    enums = [{"name": "t_mode", "doc": "Ops.", "values": values}]
    val = member("val", "u32", **{"dir-by": directions})
    return model_of(with_members(member("op", "u32", enum="t_mode"), val, enums=enums))


@pytest.mark.parametrize(
    ("directions", "overall"),
    [
        ({"T_MODE_SET": "in", "T_MODE_GET": "none", "T_MODE_NONE": "in"}, "in"),
        ({"T_MODE_SET": "none", "T_MODE_GET": "out", "T_MODE_NONE": "none"}, "out"),
        ({"T_MODE_SET": "in", "T_MODE_GET": "out", "T_MODE_NONE": "none"}, "inout"),
        ({"T_MODE_SET": "inout", "T_MODE_GET": "none", "T_MODE_NONE": "none"}, "inout"),
    ],
)
def test_a_directed_members_direction_is_what_its_values_add_up_to(
    directions: dict[str, str], overall: str
) -> None:
    (command,) = _directed(**directions).commands
    val = command.struct.members[2]  # type: ignore[union-attr]
    assert str(val.direction) == overall
    assert val.direction_by is not None and val.direction_by.selector.name == "op"


def test_each_selector_value_is_a_method_taking_and_returning_what_it_chooses() -> None:
    (command,) = _directed(T_MODE_SET="in", T_MODE_GET="out", T_MODE_NONE="none").commands
    methods = {v.binding_method: v for v in command.variants}
    assert list(methods) == ["op_set", "op_get", "op_none"]  # T_MODE_ is what the values share
    taken = {name: [m.name for m in v.arguments] for name, v in methods.items()}
    returned = {name: [m.name for m in v.results] for name, v in methods.items()}
    assert taken == {"op_set": ["val"], "op_get": [], "op_none": []}
    assert returned == {"op_set": [], "op_get": ["val"], "op_none": []}
    assert [m.name for m in command.arguments] == ["op", "val"]  # the command itself: both


def _aliased_flags(*bits: int) -> Model:
    """A set of T_F<bit> for each bit, then T_FIRST, a second name of the first."""
    flags = {
        "name": "t_flags",
        "doc": "F.",
        "bits": [{"name": f"T_F{bit}", "bit": bit, "doc": "A bit."} for bit in bits],
    }
    flags["bits"].append({"name": "T_FIRST", "alias-of": f"T_F{bits[0]}", "doc": "The first."})
    pad = [member("pad", "u32", reserved=True)]
    return model_of(with_members(*pad, member("flags", "u64", flags="t_flags"), flags=[flags]))


def test_a_flag_alias_is_the_flag_object_it_names() -> None:
    (flags,) = _aliased_flags(0, 3).flag_sets
    f0, f3, first = flags.values
    assert first.alias_of is f0 and (first.bit, first.value) == (0, 1)
    assert flags.distinct == (f0, f3) and flags.mask == 0b1001
    # C spells it as the flag it names, as include/uapi/linux/netfilter/nf_tables.h does
    # (NFT_RULE_COMPAT_F_MASK = NFT_RULE_COMPAT_F_INV); Rust and Python name it too.
    assert (first.c_value, first.rust_value, first.py_value) == ("T_F0", "Self::T_F0", "T_F0")
    assert (f3.c_value, f3.rust_value, f3.py_value) == ("1 << 3", "Self(1 << 3)", "1 << 3")


def test_a_wide_flag_alias_is_a_macro_of_the_flags_name() -> None:
    (flags,) = _aliased_flags(0, 63).flag_sets
    assert flags.wide
    assert flags.c_defines == (
        ("T_F0", "(1ULL << 0)"),
        ("T_F63", "(1ULL << 63)"),
        ("T_FIRST", "T_F0"),
    )


def test_a_flag_alias_adds_no_bit_to_the_kernel_check() -> None:
    """The unknown-bits mask names each bit once: the alias's flag, not the alias."""
    flags = _struct(_aliased_flags(0, 3)).members[-1]
    assert flags.kind.c_unsupported("cmd->flags") == "cmd->flags & ~(T_F0 | T_F3)"


def test_a_second_flag_at_a_bit_without_the_alias_form_is_still_an_error() -> None:
    flags = {
        "name": "t_flags",
        "doc": "F.",
        "bits": [
            {"name": "T_F0", "bit": 0, "doc": "A bit."},
            {"name": "T_ALSO", "bit": 0, "doc": "The same bit."},
        ],
    }
    data = with_members(member("flags", "u32", flags="t_flags"), flags=[flags])
    with pytest.raises(SpecError, match="'alias-of: T_F0'"):
        model_of(data)
