"""The generated uapi headers, and what real compilers and libclang make of them.

Everything here reads headers through their include path (`#include <linux/liveupdate.h>` with
`-I <include root>`), against the machine's real kernel uapi headers (Debian's linux-libc-dev:
`linux/ioctl.h`, `linux/types.h`, `asm/...`), never through an absolute path.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import clang.cindex as ci  # type: ignore[import-untyped]

from luogen.model import Model
from luogen.model.arch import ARCH_BY_NAME, Arch
from luogen.model.nodes import Struct
from luogen.pipeline import load

ROOT = Path(__file__).resolve().parent.parent

# The kernel's uapi headers as Debian installs them: the arch-independent ones in /usr/include,
# `asm/` below the multiarch folder. arch/x86's uapi asm headers serve i386, x32 and x86-64 alike
# (they switch on __i386__ / __ILP32__), so the same folders serve -m32 and -mx32 too.
MULTIARCH_INCLUDE = Path("/usr/include/x86_64-linux-gnu")
SYSTEM_INCLUDE = Path("/usr/include")
SYSTEM_INCLUDES: tuple[Path, ...] = (MULTIARCH_INCLUDE, SYSTEM_INCLUDE)

# The x86 family: what gcc's -m flag and clang's target are for each, and the model's arch.
X86_TARGETS = {"amd64": ("-m64", "x86_64-linux-gnu"), "i386": ("-m32", "i686-linux-gnu"),
               "x32": ("-mx32", "x86_64-linux-gnux32")}  # fmt: skip


# --- which headers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """One uapi header, the model it came from and the folder `-I` must name to find it."""

    spec: Path
    model: Model
    include_root: Path  # what -I names, so that `#include <linux/x.h>` finds it
    found_at: Path | None = None  # when not at include_root / model.header

    @property
    def path(self) -> Path:
        return self.found_at or self.include_root / self.model.header

    @property
    def include(self) -> str:
        """What `#include <...>` names: the path below include/uapi."""
        return self.path.relative_to(self.include_root).as_posix()

    @property
    def name(self) -> str:
        return self.model.name


@cache
def model_of(spec: Path) -> Model:
    return load(str(spec))


def include_root(header: Path) -> Path:
    """The `include/uapi` folder above `header` (what -I names)."""
    for parent in header.parents:
        if parent.name == "uapi" and parent.parent.name == "include":
            return parent
    raise ValueError(f"{header} is not below an include/uapi folder")


def _expected_headers(case: Path) -> list[Path]:
    """A golden case's expected header: where the spec says (expected/<name>/include/uapi/<h>),
    else whatever .h files lie below an include/uapi folder of expected/."""
    expected = case / "expected"
    if not expected.is_dir():
        return []
    try:
        model = model_of(case / "spec.yaml")
        where = expected / model.name / "include" / "uapi" / model.header
        if where.is_file():
            return [where]
    except Exception:  # a case that does not load is test_golden's business, not ours
        pass
    return sorted(p for p in expected.rglob("*.h") if "/include/uapi/" in p.as_posix())


def header_cases() -> list[Header]:
    """Every real spec's committed header, then every golden case's expected header."""
    found: list[Header] = []
    for spec in sorted(ROOT.glob("spec/*.yaml")):
        model = model_of(spec)
        path = ROOT / "generated" / model.name / "include" / "uapi" / model.header
        found.append(Header(spec, model, include_root(path)))
    for spec in sorted(ROOT.glob("tests/golden/*/spec.yaml")):
        for path in _expected_headers(spec.parent):
            root = include_root(path)
            model = model_of(spec)
            at = None if path == root / model.header else path
            found.append(Header(spec, model, root, at))
    return found


def headers() -> list[tuple[Path, Path]]:
    """(spec, header) for the real specs and the golden cases that have an expected header."""
    return [(h.spec, h.path) for h in header_cases()]


# --- compilers -----------------------------------------------------------------------------------


def compile_c(
    compiler: str,
    flags: Sequence[str],
    source: str,
    header: Header | Iterable[Path],
    tmp: Path,
) -> str:
    """Compile `source` (no linking) with `-I` for the header's include root (or each folder
    given); what the compiler printed, empty when it compiled cleanly."""
    roots = [header.include_root] if isinstance(header, Header) else list(header)
    suffix = ".cc" if compiler.endswith("++") else ".c"
    path = tmp / f"probe{suffix}"
    path.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [compiler, *flags, *(f"-I{root}" for root in roots), "-isystem", str(MULTIARCH_INCLUDE),
         "-c", str(path), "-o", str(tmp / "probe.o")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    output = (result.stdout + result.stderr).strip()
    if result.returncode and not output:
        return f"{compiler} exited with status {result.returncode}"
    return output


def twice(header: Header) -> str:
    """A translation unit that includes the header twice (the guard must hold)."""
    return f"#include <{header.include}>\n#include <{header.include}>\nint luogen_unused;\n"


def layout_asserts(model: Model, include: str, arch: Arch) -> str:
    """A C90 (and C++) translation unit that compiles only if the compiler lays every struct out
    as the model says for `arch`, and every ioctl macro has the model's value there."""
    checks: list[tuple[str, str]] = []
    for struct in model.all_structs:
        layout = struct.layout(arch)
        tag = f"struct {struct.name}"
        checks.append((f"sizeof({tag}) == {layout.size}", f"size_{struct.name}"))
        checks.append((f"__alignof__({tag}) == {layout.align}", f"align_{struct.name}"))
        for member, offset in zip(struct.members, layout.offsets, strict=True):
            if not member.name:
                continue  # an anonymous member has no name C can take the offset of
            checks.append((f"offsetof({tag}, {member.name}) == {offset}",
                           f"offset_{struct.name}_{member.name}"))  # fmt: skip
            checks.append((f"sizeof((({tag} *)0)->{member.name}) == {member.kind.size(arch)}",
                           f"msize_{struct.name}_{member.name}"))  # fmt: skip
    for command in model.commands:
        checks.append((f"{command.ioctl_name} == {command.number_on(arch)}u",
                       f"number_{command.ioctl_name}"))  # fmt: skip
    lines = ["#include <stddef.h>", f"#include <{include}>", ""]
    lines += [f"typedef char luogen_{i}_{tag}[({cond}) ? 1 : -1];"
              for i, (cond, tag) in enumerate(checks)]  # fmt: skip
    return "\n".join(lines) + "\n"


# --- libclang ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClangStruct:
    size: int
    align: int
    offsets: dict[str, int]  # member -> byte offset, in declaration order
    # an anonymous member (`anon_N`) -> the names of its own members
    inner: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class ClangView:
    """libclang's reading of one header."""

    structs: dict[str, ClangStruct] = field(default_factory=dict)
    macros: dict[str, int] = field(default_factory=dict)  # every object-like macro with a value
    enumerators: dict[str, int] = field(default_factory=dict)  # the header's enum constants
    included: list[str] = field(default_factory=list)  # every file the translation unit read
    diagnostics: list[str] = field(default_factory=list)  # severity warning or worse


def clang_args(target: str, roots: Iterable[Path], std: str = "c90") -> list[str]:
    return ["-x", "c", f"--target={target}", f"-std={std}", "-Wall", "-Wextra", "-nostdinc",
            *(f"-I{root}" for root in roots),
            *(arg for inc in SYSTEM_INCLUDES for arg in ("-isystem", str(inc)))]  # fmt: skip


def _header_macros(tu_path: Path, args: list[str], header: Path) -> tuple[list[str], list[str]]:
    """The object-like macros the header defines, with a body; and diagnostics."""
    unit = ci.TranslationUnit.from_source(
        str(tu_path), args=args, options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
    )
    names, functions = [], {"_IO", "_IOR", "_IOW", "_IOWR", "_IOC"}
    for cursor in unit.cursor.get_children():
        if cursor.kind != ci.CursorKind.MACRO_DEFINITION or cursor.location.file is None:
            continue
        if Path(cursor.location.file.name).resolve() != header.resolve():
            continue
        tokens = list(cursor.get_tokens())
        if len(tokens) < 2:
            continue  # the include guard: no body
        if tokens[1].spelling == "(" and (
            tokens[1].extent.start.offset == tokens[0].extent.end.offset
        ):
            functions.add(cursor.spelling)
            continue  # function-like: its parameter list touches its name
        if len(tokens) == 2 and tokens[1].spelling in functions:
            functions.add(cursor.spelling)
            continue  # another name of a function-like macro: `#define _SIOR _IOR`
        names.append(cursor.spelling)
    return names, _problems(unit)


def _problems(unit: ci.TranslationUnit) -> list[str]:
    return [str(d) for d in unit.diagnostics if d.severity >= ci.Diagnostic.Warning]


def clang_parse(
    header: Path,
    root: Path | None = None,
    target: str = "x86_64-linux-gnu",
    tmp: Path | None = None,
) -> ClangView:
    """Parse `header` (found through `-I root`) with libclang for `target`: every struct it
    defines, the value of every object-like macro it defines (through enumerators: libclang
    evaluates no function-like macro such as _IO), its enumerators, and diagnostics."""

    root = root or include_root(header)
    include = header.relative_to(root).as_posix()
    args = clang_args(target, [root])
    with tempfile.TemporaryDirectory(dir=tmp) as scratch:
        first = Path(scratch) / "luogen_macros.c"
        first.write_text(f"#include <{include}>\n", encoding="utf-8")
        macros, problems = _header_macros(first, args, header)
        probe = Path(scratch) / "luogen_probe.c"
        body = [f"#include <{include}>", "enum {"]
        body += [f"\tluogen_probe_{i} = ({name})," for i, name in enumerate(macros)]
        body += ["\tluogen_probe_end", "};", ""]
        probe.write_text("\n".join(body), encoding="utf-8")
        unit = ci.TranslationUnit.from_source(str(probe), args=args)
    view = ClangView(diagnostics=problems + _problems(unit))
    view.included = [str(inc.include.name) for inc in unit.get_includes()]
    mine = header.resolve()
    for cursor in unit.cursor.walk_preorder():
        where = cursor.location.file
        if cursor.kind == ci.CursorKind.ENUM_CONSTANT_DECL:
            match = re.fullmatch(r"luogen_probe_(\d+)", cursor.spelling)
            if match:
                view.macros[macros[int(match.group(1))]] = cursor.enum_value
            elif where is not None and Path(where.name).resolve() == mine:
                view.enumerators[cursor.spelling] = cursor.enum_value
        elif (cursor.kind == ci.CursorKind.STRUCT_DECL and cursor.is_definition()
              and where is not None and Path(where.name).resolve() == mine):  # fmt: skip
            kind = cursor.type
            offsets, inner = _field_offsets(kind)
            size, align = kind.get_size(), kind.get_align()
            view.structs[cursor.spelling] = ClangStruct(size, align, offsets, inner)
    return view


def _field_offsets(kind: ci.Type) -> tuple[dict[str, int], dict[str, tuple[str, ...]]]:
    """Each field's byte offset, an anonymous one numbered (`anon_N`, as the model numbers
    them); and each anonymous one's own field names."""
    offsets, inner, anonymous = {}, {}, 0
    for field_ in kind.get_fields():
        name = field_.spelling
        if field_.is_anonymous():
            anonymous += 1
            name = f"anon_{anonymous}"
            inner[name] = tuple(f.spelling for f in field_.type.get_fields())
        offsets[name] = field_.get_field_offsetof() // 8
    return offsets, inner


def named_as(struct: Struct, seen: ClangStruct) -> tuple[ClangStruct, list[str]]:
    """`seen` with each anonymous union that declares a member under its other names
    (`union { __u32 in_data_type; __u32 out_data_type; }`) named as that member, and a problem
    for each such union whose names are not the member's."""
    renames, problems, anonymous = {}, [], 0
    for member in struct.members:
        if member.name and not member.union_names:
            continue
        anonymous += 1
        if member.union_names:
            names = (*(other.name for other in member.union_names), member.name)
            got = seen.inner.get(f"anon_{anonymous}")
            if got != names:
                problems.append(f"struct {struct.name}: union of names {got}, model {names}")
            renames[f"anon_{anonymous}"] = member.name
    offsets = {renames.get(name, name): offset for name, offset in seen.offsets.items()}
    return ClangStruct(seen.size, seen.align, offsets, seen.inner), problems


ClangLayout = ClangStruct


def clang_view(
    header: Header, tmp: Path | None = None
) -> tuple[dict[str, ClangStruct], dict[str, int], list[str]]:
    """The x86-64 view of a Header as (structs, macro values, diagnostics)."""
    view = clang_parse(header.path, header.include_root, tmp=tmp)
    structs, problems = dict(view.structs), list(view.diagnostics)
    for struct in header.model.all_structs:
        if struct.name in structs:
            structs[struct.name], renamed = named_as(struct, structs[struct.name])
            problems += renamed
    return structs, view.macros, problems


def compare(model: Model, view: ClangView, arch: Arch | str = "amd64") -> list[str]:
    """Every way libclang's view differs from the model on `arch`; empty when they agree."""
    arch = ARCH_BY_NAME[arch] if isinstance(arch, str) else arch
    problems = [f"diagnostic: {d}" for d in view.diagnostics]
    for struct in model.all_structs:
        seen = view.structs.get(struct.name)
        if seen is None:
            problems.append(f"struct {struct.name}: not in the header")
            continue
        layout = struct.layout(arch)
        if seen.size != layout.size:
            problems.append(f"struct {struct.name}: size {seen.size}, model {layout.size}")
        if seen.align != layout.align:
            problems.append(f"struct {struct.name}: align {seen.align}, model {layout.align}")
        want = dict(zip(struct.field_names, layout.offsets, strict=True))
        seen, renamed = named_as(struct, seen)
        problems += renamed
        if list(seen.offsets.items()) != list(want.items()):
            problems.append(f"struct {struct.name}: offsets {seen.offsets}, model {want}")
    extra = sorted(set(view.structs) - {s.name for s in model.all_structs})
    if extra:
        problems.append(f"structs not in the model: {extra}")
    for command in model.commands:
        name = command.ioctl_name or ""
        got, want_number = view.macros.get(name), command.number_on(arch)
        if got != want_number:
            problems.append(f"{name}: {got!r}, model {want_number:#x}")
    return problems
