"""The generated uapi headers, their models, and what compilers and libclang make of them."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from luogen.cli import load
from luogen.model import Model

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Header:
    spec: Path
    model: Model
    include_root: Path  # what -I names, so that `#include <linux/x.h>` finds it

    @property
    def include(self) -> str:
        return self.model.header

    @property
    def path(self) -> Path:
        return self.include_root / self.model.header


def headers() -> list[Header]:
    """The two real specs' committed headers and every golden case's expected header."""
    found = []
    for spec in [*sorted(ROOT.glob("spec/*.yaml")), *sorted(ROOT.glob("tests/golden/*/spec.yaml"))]:
        model = load(str(spec))
        out = ROOT / "generated" if spec.parent.name == "spec" else spec.parent / "expected"
        found.append(Header(spec, model, out / model.name / "include" / "uapi"))
    return found


def layout_asserts(header: Header) -> str:
    """A C90 translation unit that fails to compile unless the compiler lays every struct out as
    the model says (x86-64) and every ioctl macro has the model's value."""
    lines = ["#include <stddef.h>", f"#include <{header.include}>", ""]
    checks = []
    for struct in header.model.all_structs:
        checks.append((f"sizeof(struct {struct.name}) == {struct.size}", f"size_{struct.name}"))
        for member, offset in struct.fields:
            checks.append(
                (f"offsetof(struct {struct.name}, {member.name}) == {offset}",
                 f"offset_{struct.name}_{member.name}")
            )  # fmt: skip
    for command in header.model.commands:
        checks.append((f"{command.ioctl_name} == {command.number()}u", f"number_{command.name}"))
    for i, (condition, name) in enumerate(checks):
        lines.append(f"typedef char luogen_{i}_{name}[({condition}) ? 1 : -1];")
    return "\n".join(lines) + "\n"


def compile_c(compiler: str, flags: list[str], source: str, header: Header, tmp: Path) -> str:
    """Compile `source` against the header; the compiler's complaints, empty when clean."""
    suffix = ".cpp" if compiler.endswith("++") else ".c"
    path = tmp / f"probe{suffix}"
    path.write_text(source)
    result = subprocess.run(
        [compiler, *flags, f"-I{header.include_root}", "-c", str(path), "-o", str(tmp / "probe.o")],
        capture_output=True,
        text=True,
    )
    return result.stderr if result.returncode else result.stderr.strip()


@dataclass(frozen=True)
class ClangLayout:
    size: int
    align: int
    offsets: dict[str, int]


def clang_view(
    header: Header, tmp: Path
) -> tuple[dict[str, ClangLayout], dict[str, int], list[str]]:
    """libclang's reading of the header: every struct's layout, the value of every ioctl macro
    (through enumerators, since libclang evaluates no function-like macro), and its diagnostics
    of warning severity or worse."""
    import clang.cindex as ci

    probes = [c.ioctl_name for c in header.model.commands if c.ioctl_name]
    source = tmp / "clang_probe.c"
    lines = [f"#include <{header.include}>", "enum {"]
    lines += [f"\tluogen_probe_{i} = {name}," for i, name in enumerate(probes)]
    source.write_text("\n".join([*lines, "};", ""]))
    unit = ci.Index.create().parse(
        str(source),
        args=["-std=gnu11", f"-I{header.include_root}", "-I/usr/include/x86_64-linux-gnu"],
    )
    problems = [str(d) for d in unit.diagnostics if d.severity >= ci.Diagnostic.Warning]
    structs: dict[str, ClangLayout] = {}
    numbers: dict[str, int] = {}
    for cursor in unit.cursor.walk_preorder():
        if cursor.kind == ci.CursorKind.STRUCT_DECL and cursor.is_definition():
            kind = cursor.type
            fields = {f.spelling: kind.get_offset(f.spelling) // 8 for f in kind.get_fields()}
            structs[cursor.spelling] = ClangLayout(kind.get_size(), kind.get_align(), fields)
        elif cursor.kind == ci.CursorKind.ENUM_CONSTANT_DECL and cursor.spelling.startswith(
            "luogen_probe_"
        ):
            numbers[probes[int(cursor.spelling.rsplit("_", 1)[1])]] = cursor.enum_value
    return structs, numbers, problems
