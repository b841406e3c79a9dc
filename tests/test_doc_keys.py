"""What the spec's doc keys change in the model's documentation: member docs without luogen's
prefix or notes, notes only where true."""

from __future__ import annotations

from typing import Any

from specs import member, model_of, with_members

from luogen.model import Model

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
