"""Property tests: every spec luogen accepts yields a header that compiles and that libclang lays
out exactly as the model does; luogen refuses exactly the member lists that the architectures'
compilers pad, with a located error. `make fuzz` runs many more examples than CI
(LUOGEN_EXAMPLES)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import padding
import yaml
from cheaders import Header, clang_view, compile_c
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luogen import spec
from luogen.errors import SpecError
from luogen.model import Model, build
from luogen.render import render

EXAMPLES = int(os.environ.get("LUOGEN_EXAMPLES", "500"))
SCALARS = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "fd", "ptr"]
ALIGN = {"u8": 1, "s8": 1, "u16": 2, "s16": 2, "u32": 4, "s32": 4, "fd": 4, "u64": 8, "s64": 8,
         "ptr": 8}  # fmt: skip
SIZE = ALIGN

names = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)


@st.composite
def member_lists(draw: st.DrawFn, prefix: str, base_offset: int) -> list[dict[str, Any]]:
    """Members that leave no hole after `base_offset` bytes: by alignment, largest first, then a
    reserved tail that rounds the struct up."""
    kinds = draw(st.lists(st.sampled_from(SCALARS), min_size=0, max_size=7))
    members, offset = [], base_offset
    if any(ALIGN[k] == 8 for k in kinds) and offset % 8:
        members.append({"name": f"{prefix}lead", "type": "u32", "doc": "Lead."})
        offset += 4
    for i, kind in enumerate(sorted(kinds, key=lambda k: -ALIGN[k])):
        member: dict[str, Any] = {"name": f"{prefix}m{i}", "type": kind, "doc": f"Member {i}."}
        length = draw(st.sampled_from([None, None, 1, 3, 4])) if ALIGN[kind] < 8 else None
        if length:
            member["array"] = length
        if draw(st.booleans()):
            member["dir"] = draw(st.sampled_from(["in", "out", "inout"]))
        members.append(member)
        offset += SIZE[kind] * (length or 1)
    align = max([4 if base_offset else 1, *(ALIGN[k] for k in kinds)])
    if offset % align:
        pad = align - offset % align
        members.append(
            {"name": f"{prefix}pad", "type": "u8", "array": pad, "reserved": True, "doc": "Pad."}
        )
    return members


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    ranges, base = [], draw(st.integers(0, 0x40))
    for r in range(draw(st.integers(1, 3))):
        count = draw(st.integers(1, 4))
        commands = []
        for c in range(count):
            if c and draw(st.integers(0, 9)) == 0:
                commands.append({"name": f"gone{r}x{c}", "retired": "Removed."})
                continue
            members = draw(member_lists(f"c{r}x{c}", 4))
            optional_from = draw(st.integers(0, len(members)))
            for m in members[optional_from:]:
                m["optional"] = True
            commands.append({"name": f"op{r}x{c}", "doc": "An op.", "members": members})
        ranges.append({"name": f"r{r}", "doc": "Commands.", "base": base, "commands": commands})
        base += count + draw(st.integers(0, 8))
    return {
        "name": "prop",
        "title": "Property",
        "header": "linux/prop.h",
        "overview": "Random.",
        "ioctl-type": draw(st.integers(1, 255)),
        "ranges": ranges,
    }


def _model(data: dict[str, Any]) -> Model:
    loaded = spec.parse("prop.yaml", yaml.safe_dump(data, sort_keys=False).encode())
    spec.validate(loaded)
    return build(loaded)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_accepted_specs_compile_and_match_libclang(
    tmp_path_factory: Any, data: dict[str, Any]
) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    model = _model(data)  # hole-free by construction: luogen must accept it
    root = tmp / "include"
    for rel, text in render(model, ("uapi",)).items():
        path = root / rel.split("/include/uapi/", 1)[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    header = Header(Path("prop.yaml"), model, root)
    source = f"#include <{model.header}>\n#include <{model.header}>\nint luogen_unused;\n"
    assert compile_c("gcc", ["-std=c90", "-Wall", "-Wextra", "-Werror"], source, header, tmp) == ""
    structs, numbers, problems = clang_view(header, tmp)
    assert problems == []
    for struct in model.all_structs:
        seen = structs[struct.name]
        assert (seen.size, seen.align) == (struct.size, struct.align)
        assert seen.offsets == {m.name: o for m, o in struct.fields}
        assert struct.min_size <= struct.size
    for command in model.commands:
        assert numbers[command.ioctl_name] == command.number()


@st.composite
def any_members(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [
        {"name": f"m{i}", "type": draw(st.sampled_from(SCALARS)), "doc": "M.",
         **({"array": draw(st.integers(1, 5))} if draw(st.booleans()) else {})}
        for i in range(draw(st.integers(0, 6)))
    ]  # fmt: skip


# "on every architecture", "on every architecture but m68k", "on i386, m68k", then " (" or ";"
ARCHES_NAMED = re.compile(
    r" on (every architecture(?: but (?P<but>[\w, ]+?))?|(?P<some>[\w, ]+?))(?: \(|;)"
)


def _named_architectures(error: SpecError) -> set[str]:
    """The architectures luogen's messages say the struct has padding on."""
    named: set[str] = set()
    for diagnostic in error.diagnostics:
        match = ARCHES_NAMED.search(diagnostic.message)
        assert match, diagnostic.message
        if match["some"]:
            named |= set(match["some"].split(", "))
        else:
            but = set(re.split(r", | and ", match["but"])) if match["but"] else set()
            named |= set(padding.ARCHITECTURES) - but
    return named


def _verdict(members: list[dict[str, Any]]) -> SpecError | None:
    data = {
        "name": "prop", "title": "P", "header": "prop.h", "overview": "P.", "ioctl-type": 1,
        "ranges": [{"name": "r", "doc": "R.", "base": 0,
                    "commands": [{"name": "op", "doc": "Op.", "members": members}]}],
    }  # fmt: skip
    try:
        _model(data)
    except SpecError as error:
        return error
    return None


@settings(max_examples=max(EXAMPLES // 8, 20), deadline=None)
@given(st.lists(any_members(), min_size=1, max_size=12))
def test_luogen_refuses_exactly_the_member_lists_compilers_pad(
    member_lists: list[list[dict[str, Any]]],
) -> None:
    """Judged by the compilers of the 16 architectures (tests/padding.py, which knows nothing of
    luogen): a member list is refused if and only if its struct has padding on some
    architecture, and the refusal names exactly those architectures, at a located node."""
    for members, padded in zip(
        member_lists, padding.padded_architectures(member_lists), strict=True
    ):
        error = _verdict(members)
        if error is None:
            assert padded == set(), members
            continue
        assert all(d.where.line >= 1 and d.where.col >= 1 for d in error.diagnostics)
        assert _named_architectures(error) == padded, (members, str(error))


ADVICE = re.compile(
    r"(?:before '(?P<before>\w+)'.*; add|; append) an explicit '__(?P<type>u\d+) "
    r"(?P<name>\w+)(?:\[(?P<length>\d+)\])?' member"
)


def _advised(members: list[dict[str, Any]], error: SpecError) -> list[dict[str, Any]]:
    """`members` with every reserved member the padding errors advise (one, where several
    messages advise the same), each where its message says."""
    result = list(members)
    found = (ADVICE.search(d.message) for d in error.diagnostics)
    for before, kind, name, length in sorted({a.groups(default="") for a in found if a}):
        added: dict[str, Any] = {"name": name, "type": kind, "doc": "R.", "reserved": True}
        if length:
            added["array"] = int(length)
        names = [m["name"] for m in result]
        result.insert(names.index(before) if before else len(result), added)
    return result


@settings(max_examples=EXAMPLES, deadline=None)
@given(any_members())
def test_following_every_piece_of_padding_advice_removes_all_padding(
    members: list[dict[str, Any]],
) -> None:
    """The reserved members the errors of one struct advise have names of their own and, added
    together, leave no padding on any architecture: a hole that another's member closes says
    so instead of advising one more."""
    error = _verdict(members)
    if error is None:
        return
    advised = _advised(members, error)
    assert len({m["name"] for m in advised}) == len(advised), str(error)
    assert _verdict(advised) is None, (members, str(error))
