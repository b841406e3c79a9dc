"""The names a spec may not set (luogen/model/reserved.py): the table covers every name the
headers the generated files include define, and every name those files use that the spec does not
give; and a spec that sets one is refused, at the name."""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path

import pytest
from specs import member, model_of, spec_data, with_members

from luogen import pipeline
from luogen.errors import SpecError
from luogen.model import Model
from luogen.model.kernel_arrays import kernel_arrays
from luogen.model.kernel_data import kernel_data
from luogen.model.names import C_KEYWORDS
from luogen.model.reserved import KERNEL_PREFIX, RESERVED, SOURCES, reserved
from luogen.render import render

ROOT = Path(__file__).resolve().parent.parent
UAPI_ROOTS = [
    "/usr/include",
    "/usr/include/x86_64-linux-gnu",
    *glob.glob("/usr/*-linux-gnu*/include"),
]
TYPES_H = [
    "linux/types.h",
    "asm/types.h",
    "asm-generic/types.h",
    "asm-generic/int-ll64.h",
    "asm-generic/int-l64.h",
    "linux/posix_types.h",
    "asm/posix_types*.h",
    "asm-generic/posix_types.h",
    "asm/bitsperlong.h",
    "asm-generic/bitsperlong.h",
    "linux/stddef.h",
    "asm/sgidefs.h",
]
IOCTL_H = ["linux/ioctl.h", "asm/ioctl.h", "asm-generic/ioctl.h"]


def _uncommented(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', " ", text)


def _header_names(files: list[str]) -> set[str]:
    """Every macro, typedef and tag the installed uapi headers `files` define, on every
    architecture whose headers are installed, in every #if branch."""
    names: set[str] = set()
    for path in {
        os.path.realpath(p) for r in UAPI_ROOTS for f in files for p in glob.glob(f"{r}/{f}")
    }:
        text = _uncommented(Path(path).read_text(errors="replace")).replace("\\\n", " ")
        names |= set(re.findall(r"^\s*#\s*define\s+(\w+)", text, re.M))
        code = re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)  # macro bodies declare nothing
        names |= set(re.findall(r"\b(?:struct|union|enum)\s+(\w+)\s*\{", code))
        flat = re.sub(r"\{[^{}]*\}", " ", re.sub(r"\{[^{}]*\}", " ", code))  # struct bodies
        typedefs = re.findall(r"\btypedef\b[^;]*?\b(\w+)\s*(?:\[[^\]]*\])?\s*;", flat)
        names |= set(typedefs)
    return names


@pytest.mark.skipif(not Path("/usr/include/linux/types.h").exists(), reason="no uapi headers")
@pytest.mark.parametrize("files", [TYPES_H, IOCTL_H], ids=["linux/types.h", "linux/ioctl.h"])
def test_every_name_of_the_included_uapi_headers_is_reserved(files: list[str]) -> None:
    names = _header_names(files)
    assert "__u32" in names or "_IOC_NR" in names  # the headers were read
    assert {n for n in names if reserved(n) is None} == set()


def _identifiers(text: str) -> set[str]:
    text = re.sub(r"^#include[^\n]*", " ", _uncommented(text), flags=re.M)
    return set(re.findall(r"\b[A-Za-z_]\w*\b", text)) - C_KEYWORDS - {"define", "ifndef", "endif"}


def _spec_names(model: Model) -> set[str]:
    """The C names the spec gives, and those the kernel target derives from them."""
    names = set(model.c_names) | {model.kernel_guard}
    names |= {m.name for s in model.all_structs for m in s.members}
    for r in model.ranges:
        names |= {r.kernel_ioctl, r.kernel_ops, r.kernel_union}
        names |= {fn for _, fn in r.checked_commands}
        names |= {c.name for c in r.live} | {str(c.handler) for c in r.live}
        names |= {r.fallback} if r.fallback else set()
        names |= {c.config for c in r.live if c.config}
    names |= {f for array in kernel_arrays(model.ranges) for f in array.functions}
    names |= {f for data in kernel_data(model.ranges) for f in data.functions}
    return names


def test_every_name_the_generated_kernel_files_use_is_the_specs_or_reserved() -> None:
    dispatch = (ROOT / "luogen/runtime/luogen_dispatch.h").read_text()
    assert _identifiers(dispatch) - RESERVED.keys() == set()
    for spec in sorted(ROOT.glob("tests/golden/*/spec.yaml")) + sorted(ROOT.glob("spec/*.yaml")):
        model = pipeline.load(spec)
        if model.kernel_refusal is not None:
            continue  # classic commands: no kernel files (test_kernel_target)
        for path, text in render(model, ("kernel",)).items():
            if not path.endswith((".c", ".h")):
                continue
            left = _identifiers(text) - _spec_names(model) - RESERVED.keys()
            assert left == set(), f"{spec}: {path}"


def test_every_source_names_its_file_and_no_name_twice() -> None:
    seen: dict[str, str] = {}
    for source in SOURCES:
        for name in (source.macros + " " + source.others).split():
            assert name not in seen, f"{name}: {seen[name]} and {source.name}"
            seen[name] = source.name
    assert reserved(KERNEL_PREFIX + "anything") is not None


@pytest.mark.parametrize("name", sorted(RESERVED))
def test_a_reserved_name_is_refused_as_the_include_guard(name: str) -> None:
    with pytest.raises(SpecError) as raised:
        model_of(spec_data(guard=name))
    said = (
        f"include guard '{name}' is {'a macro of' if RESERVED[name].macro else 'already a name in'}"
    )
    messages = [d.message for d in raised.value.diagnostics]
    assert f"{said} {RESERVED[name].source}: rename it" in messages


@pytest.mark.parametrize("name", sorted(n for n, r in RESERVED.items() if r.macro))
def test_a_reserved_macro_is_refused_as_a_member_name(name: str) -> None:
    with pytest.raises(SpecError) as raised:
        model_of(with_members(member(name, "u32")))
    (error,) = raised.value.diagnostics
    assert error.message == f"member '{name}' is a macro of {RESERVED[name].source}: rename it"


def test_a_member_may_have_a_name_the_dispatch_core_declares() -> None:
    model_of(with_members(member("luogen_ucmd", "u32"), member("file", "u32")))


def test_a_macro_of_the_spec_may_not_spell_a_member_or_a_command() -> None:
    constants = [{"name": n, "value": 1, "doc": "A macro."} for n in ("flags", "probe")]
    data = with_members(member("flags", "u32"), constants=constants)
    data["ranges"][0]["commands"][0]["name"] = "probe"
    with pytest.raises(SpecError) as raised:
        model_of(data)
    errors = [d.message for d in raised.value.diagnostics if d.severity == "error"]
    assert errors == [
        "constant 'flags' is a macro, which would replace member 'flags' of struct t_probe "
        "wherever the header is included: rename it",
        "constant 'probe' is a macro, which would replace command 'probe' wherever the header "
        "is included: rename it",
    ]
