"""What the spec's doc keys change in the documentation: member docs without luogen's prefix or
notes, notes only where true, a command's own brief, enums without one, enums placed next to
the struct that uses them."""

from __future__ import annotations

from typing import Any

import pytest
from specs import member, model_of, spec_data, with_members

from luogen.errors import SpecError
from luogen.model import Model
from luogen.render import render

FLAGS = [{"name": "t_flags", "doc": "Flags.", "bits": [{"name": "T_A", "bit": 0, "doc": "A."}]}]


def described(model: Model) -> dict[str, str]:
    struct = model.commands[0].struct
    assert struct is not None
    return {m.name: m.description for m in struct.members}


def model_with(*members: dict[str, Any], **changes: Any) -> Model:
    return model_of(with_members(*members, flags=FLAGS, **changes))


def test_member_docs_keep_their_prefix_and_notes_by_default() -> None:
    docs = described(model_with(member("mask", "u32", flags="t_flags")))
    assert docs["mask"] == "Input; The mask. Flags of &enum t_flags; other bits must be zero."


def test_doc_prefix_false_drops_who_writes_it() -> None:
    docs = described(model_with(member("mask", "u32", flags="t_flags", **{"doc-prefix": False})))
    assert docs["mask"] == "The mask. Flags of &enum t_flags; other bits must be zero."


def test_doc_notes_false_drops_what_luogen_adds() -> None:
    reserved = member("__pad", "u32", reserved=True, doc="Must be 0.", **{"doc-notes": False})
    later = member("extra", "u32", since="6.20", **{"doc-notes": False})
    docs = described(model_with(reserved, later))
    assert docs["__pad"] == "Must be 0."
    assert docs["extra"] == "Input; The extra."


def test_an_output_of_flags_has_no_rule_for_userspace() -> None:
    docs = described(model_with(member("state", "u32", flags="t_flags", dir="out")))
    assert docs["state"] == "Output; The state. Flags of &enum t_flags."
    inout = described(model_with(member("state", "u32", flags="t_flags", dir="inout")))
    assert inout["state"].endswith("other bits must be zero.")


def test_prefix_and_notes_go_around_verbatim_blocks() -> None:
    doc = "- one\n- two"
    struct = model_with(member("x", "u32", reserved=True, doc=doc)).commands[0].struct
    assert struct is not None
    blocks = struct.members[1].doc_blocks
    assert [b.text for b in blocks] == ["- one\n- two", "Must be zero."]
    struct = model_with(member("y", "u32", doc=doc)).commands[0].struct
    assert struct is not None
    assert [b.text for b in struct.members[1].doc_blocks] == ["Input;", "- one\n- two"]


def rendered(model: Model, suffix: str) -> str:
    texts = render(model, ["uapi", "rust", "python"])
    (text,) = [text for path, text in texts.items() if path.endswith(suffix)]
    return text


def test_a_command_may_give_its_structs_brief() -> None:
    data = with_members(member("x", "u32"))
    data["ranges"][0]["commands"][0]["brief"] = "the   op\nmultiplexer"
    header = rendered(model_of(data), ".h")
    assert " * struct t_op - the op multiplexer\n" in header
    default = rendered(model_of(with_members(member("x", "u32"))), ".h")
    assert " * struct t_op - ioctl(T_OP)\n" in default


def test_a_retired_command_has_no_brief() -> None:
    data = spec_data()
    data["ranges"][0]["commands"].append({"name": "gone", "retired": "Gone.", "brief": "B."})
    with pytest.raises(SpecError, match="retired command"):
        model_of(data)


def test_an_enum_may_have_no_brief() -> None:
    enums = [
        {"name": "t_mode", "values": [{"name": "T_OFF", "doc": "Off."}]},
        {
            "name": "t_kind",
            "doc": "- a list first\n- no brief",
            "values": [{"name": "T_K", "doc": "K."}],
        },
    ]
    model = model_of(with_members(member("m", "u32", enum="t_mode"), enums=enums))
    header = rendered(model, ".h")
    assert "/**\n * enum t_mode\n * @T_OFF: Off.\n */\n" in header
    assert "/**\n * enum t_kind\n * @T_K: K.\n *\n * - a list first\n * - no brief\n */" in header
    assert "/// `enum t_mode`.\n///\n/// A value the kernel" in rendered(model, "lib.rs")
    assert '    """enum t_kind.\n\n    - a list first\n' in rendered(model, "__init__.py")


def declared(header: str) -> list[str]:
    """The enums and structs of a header, in order."""
    return [line.split(" {")[0] for line in header.splitlines() if line.endswith(" {")]


def placed_spec(place: str) -> dict[str, Any]:
    values = [{"name": "T_OFF", "doc": "Off."}]
    enums = [
        {"name": "t_first", "doc": "First.", "values": values},
        {"name": "t_used", "doc": "Used.", "values": [{"name": "T_ON", "doc": "On."}]},
    ]
    enums[1]["place"] = place
    flags = [{**FLAGS[0], "place": place}]
    nested = {"name": "t_pair", "doc": "Pair.", "members": [member("f", "u32", flags="t_flags")]}
    data = with_members(member("m", "u32", enum="t_used"), enums=enums, flags=flags)
    data["structs"] = [nested]
    data["ranges"][0]["commands"][0]["members"].append(member("p", "struct", struct="t_pair"))
    return data


def test_enums_come_first_by_default() -> None:
    header = rendered(model_of(placed_spec("top")), ".h")
    assert declared(header) == [
        "enum", "enum t_first", "enum t_used", "enum t_flags", "struct t_pair", "struct t_op"
    ]  # fmt: skip


def test_an_enum_may_come_just_before_the_first_struct_that_uses_it() -> None:
    model = model_of(placed_spec("before-first-use"))
    assert declared(rendered(model, ".h")) == [
        "enum", "enum t_first", "enum t_flags", "struct t_pair", "enum t_used", "struct t_op"
    ]  # fmt: skip
    assert model.warnings == ()


def test_an_enum_placed_before_its_use_but_never_used_stays_at_the_top() -> None:
    data = placed_spec("before-first-use")
    data["ranges"][0]["commands"][0]["members"] = []
    data["structs"][0]["members"][0].pop("flags")
    model = model_of(data)
    assert declared(rendered(model, ".h"))[1:4] == ["enum t_first", "enum t_used", "enum t_flags"]
    assert [w.message for w in model.warnings] == [
        f"'{name}' has 'place: before-first-use' but no member holds it: the header declares "
        "it at the top with the others"
        for name in ("t_used", "t_flags")
    ]


@pytest.mark.parametrize(
    ("keys", "doc"),
    [
        ({}, "Input/Output; The val. Input with %T_OP_SET in @op; output with %T_OP_GET."),
        ({"doc-prefix": False}, "The val. Input with %T_OP_SET in @op; output with %T_OP_GET."),
        ({"doc-notes": False}, "Input/Output; The val."),
    ],
)
def test_a_directed_member_says_its_direction_under_each_value(
    keys: dict[str, bool], doc: str
) -> None:
    values = [{"name": n, "doc": f"{n}."} for n in ("T_OP_SET", "T_OP_GET")]
    enums = [{"name": "t_ops", "doc": "Ops.", "values": values}]
    val = member("val", "u32", **{"dir-by": {"T_OP_SET": "in", "T_OP_GET": "out"}}, **keys)
    op = member("op", "u32", enum="t_ops", **{"doc-notes": False})
    assert described(model_with(op, val, enums=enums))["val"] == doc
