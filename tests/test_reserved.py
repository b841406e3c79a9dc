"""The names a spec may not set (luogen/model/reserved.py): the table covers every name the
headers the generated files include define, and every name those files use that the spec does not
give; and a spec that sets one is refused, at the name."""

from __future__ import annotations

import ast
import glob
import os
import re
from pathlib import Path

import pytest
from specs import member, model_of, spec_data, with_members

from luogen import pipeline
from luogen.errors import SpecError
from luogen.model import Model
from luogen.model.build import kernel_names
from luogen.model.kernel_arrays import kernel_arrays
from luogen.model.kernel_data import kernel_data
from luogen.model.names import C_KEYWORDS
from luogen.model.reserved import (
    BINDING_SOURCES,
    KERNEL_PREFIX,
    RESERVED,
    SOURCES,
    binding_reserved,
    reserved,
)
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
    words = set(re.findall(r"\b[A-Za-z_]\w*\b", text)) - C_KEYWORDS
    return words - {"define", "undef", "ifndef", "endif", "defined"}  # the preprocessor's


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
    names |= {
        f
        for array in kernel_arrays(model.ranges, model.kernel.ucmd_struct)
        for f in array.functions
    }
    names |= {f for data in kernel_data(model.ranges) for f in data.functions}
    if model.kernel.ucmd is not None:
        names |= {model.kernel.ucmd.struct, model.kernel.ucmd.context}
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


def test_every_name_the_generated_uapi_header_uses_is_the_specs_reserved_or_guarded() -> None:
    """Each identifier of every header is a name the spec gives, a reserved one, or a word of
    its structs (members, those of inline records, attributes), which no macro may spell."""
    specs = [
        *ROOT.glob("tests/golden/*/spec.yaml"),
        *ROOT.glob("spec/*.yaml"),
        *ROOT.glob("spec/imported/*.yaml"),
    ]
    for spec in sorted(specs):
        model = pipeline.load(spec)
        (text,) = render(model, ("uapi",)).values()
        used = _identifiers(re.sub(r"'(?:\\.|[^'\\])'", " ", text))  # char literals
        left = used - _spec_names(model) - set(kernel_names._words(model))
        assert {n for n in left if reserved(n) is None} == set(), spec


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


def test_a_macro_of_the_spec_may_not_spell_a_word_of_an_inline_record_or_an_attribute() -> None:
    """`#define code 1` breaks `union { __u32 code; ... };`, `#define packed 1` breaks
    `__attribute__((packed))`: both are refused, at the macro."""
    data = spec_data(constants=[
        {"name": n, "value": 1, "doc": "A macro."} for n in ("code", "packed")])  # fmt: skip
    data["targets"] = ["uapi"]
    data["structs"] = [{"name": "t_rec", "doc": "A record.", "packed": True, "members": [
        {"name": "kind", "type": "__u8", "doc": "K."},
        {"type": "union", "doc": "U.", "members": [{"name": "code", "type": "__u32", "doc": "C."}]},
    ]}]  # fmt: skip
    data["ranges"][0]["commands"] = [
        {"name": "rec", "ioctl": "T_REC", "encoding": "_IOW", "nr": 1, "doc": "R.",
         "argument": {"type": "struct", "struct": "t_rec"}}
    ]  # fmt: skip
    with pytest.raises(SpecError) as raised:
        model_of(data)
    errors = [d.message for d in raised.value.diagnostics if d.severity == "error"]
    assert errors == [
        "constant 'code' is a macro, which would replace member 'code' of struct t_rec wherever "
        "the header is included: rename it",
        "constant 'packed' is a macro, which would replace the attribute 'packed' of struct t_rec "
        "wherever the header is included: rename it",
    ]


def _module_scope(path: str, text: str) -> set[str]:
    """The names a generated Python package or Rust crate root defines or imports at module
    scope (Rust: the items and `use`d names outside every block)."""
    if path.endswith(".py"):
        names: set[str] = set()
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        return names
    text = re.sub(r"(?ms)^(\S[^\n]*?)\{\n.*?^\}", r"\1", text)  # the bodies of items
    item = r"^(?:pub(?:\(crate\))? )?(?:const|static|fn|struct|enum|type|mod|union|trait) (\w+)"
    names = set(re.findall(item, text, re.M))
    for used in re.findall(r"^(?:pub )?use ([\w:{}, ]+);", text, re.M):
        names |= set(re.findall(r"(\w+)\s*(?:[,}]|$)", used.rsplit("::", 1)[-1]))
    return names


def test_every_module_scope_name_of_the_bindings_is_the_specs_or_reserved() -> None:
    """What the generated Python package and Rust crate define at module scope is the spec's
    C name, made from a name of the spec (a type, a struct's result or helper table), or in
    BINDING_SOURCES, which a constant, macro or enumerator of the spec may not be."""
    tables = {target: set(names.split()) for target, (_, names) in BINDING_SOURCES.items()}
    specs = [
        *ROOT.glob("tests/golden/*/spec.yaml"),
        *ROOT.glob("spec/*.yaml"),
        *ROOT.glob("spec/imported/*.yaml"),
    ]
    for spec in sorted(specs):
        model = pipeline.load(spec)
        made_from = {model.name, *(r.name for r in model.ranges), *(c.name for c in model.commands)}
        made_from |= {s.name for s in model.all_structs}
        made_from |= {e.name for e in (*model.enums, *model.flag_sets)}
        forms = {w.replace("_", "").lower() for w in made_from}
        for path, text in render(model, ("python", "rust")).items():
            if not path.endswith(("/__init__.py", "/src/lib.rs")):
                continue
            target = "python" if path.endswith(".py") else "rust"
            left = {
                n for n in _module_scope(path, text) - set(model.c_names)
                if not any(f in n.replace("_", "").lower() for f in forms)
                and not re.fullmatch(r"(__kernel_\w+|KERNEL_\w+_(BYTES|SIGNED))", n)  # typedefs'
            }  # fmt: skip
            assert left - tables[target] == set(), f"{spec}: {path}"


@pytest.mark.parametrize(
    ("name", "targets"), [("ARCH", ["python"]), ("ENCODING", ["rust"]), ("ENCODING", ["python"])]
)
def test_a_binding_scope_name_is_refused_only_with_its_target(
    name: str, targets: list[str]
) -> None:
    constants = [{"name": name, "value": 1, "doc": "A constant."}]
    data = {**with_members(member("x", "u32"), constants=constants), "targets": targets}
    if binding_reserved(name, frozenset(targets)) is None:
        model_of(data)  # the crate's ENCODING is no Python name
        return
    with pytest.raises(SpecError) as raised:
        model_of(data)
    (error,) = raised.value.diagnostics
    assert error.message.startswith(f"constant '{name}' is already a name in the ")
