"""Measure the C types uapi headers use, on each architecture, from that architecture's own uapi
headers (Debian's linux-libc-dev-<arch>-cross) parsed by libclang, and print them as the JSON of
luogen/model/c_types.json:

    .venv/bin/python tests/tools/extract_c_types.py > luogen/model/c_types.json

Each type's size, alignment and signedness per architecture comes from clang's reading of the
headers with the architecture's target (for m68k, alpha and hppa, which clang reads with
another ABI's rules, their own GCC: Debian's gcc-<triplet>). tests/test_c_types.py runs this
again and compares.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from luogen.cheader import freestanding  # noqa: E402
from luogen.model.arch import ARCHES  # noqa: E402
from luogen.verify import gcc  # noqa: E402
from luogen.verify.clang import STAND_INS, cindex, system_includes  # noqa: E402

# The C types of the standard and of userspace's <stdint.h>/<stddef.h>, which a uapi header may
# use; clang's predefined macros spell the latter as each target's ABI does.
BASE_TYPES = (
    "char", "signed char", "unsigned char", "short", "unsigned short", "int", "unsigned int",
    "long", "unsigned long", "long long", "unsigned long long", "_Bool", "float", "double",
    "void *",
)  # fmt: skip
USERSPACE_TYPEDEFS = {
    "size_t": "__SIZE_TYPE__",
    "ssize_t": "__PTRDIFF_TYPE__",  # glibc: the signed type of size_t's width
    "ptrdiff_t": "__PTRDIFF_TYPE__",
    "intptr_t": "__INTPTR_TYPE__",
    "uintptr_t": "__UINTPTR_TYPE__",
    **{f"int{n}_t": f"__INT{n}_TYPE__" for n in (8, 16, 32, 64)},
    **{f"uint{n}_t": f"__UINT{n}_TYPE__" for n in (8, 16, 32, 64)},
}
HEADERS = ("linux/types.h", "linux/posix_types.h", "asm/posix_types.h")
# glibc's own types that uapi headers reach through userspace's headers (<sys/time.h>'s struct
# timeval and struct timespec, which linux/videodev2.h and linux/ppdev.h use): x32 makes them
# 8 bytes where `long` is 4, sparc64's __suseconds_t is an int.
GLIBC_HEADERS = ("sys/types.h",)
GLIBC_TYPEDEFS = ("__time_t", "__suseconds_t", "__syscall_slong_t", "__syscall_ulong_t")


def _source() -> str:
    lines = [f"#include <{h}>" for h in (*HEADERS, *GLIBC_HEADERS)]
    lines += [f"typedef {spelled} {name};" for name, spelled in USERSPACE_TYPEDEFS.items()]
    lines += [f"{t} luogen_base_{i};" for i, t in enumerate(BASE_TYPES)]
    return "\n".join(lines) + "\n"


def _facts(ci, t) -> dict[str, object]:  # type: ignore[no-untyped-def]
    canonical = t.get_canonical()
    signed_kinds = {
        ci.TypeKind.CHAR_S, ci.TypeKind.SCHAR, ci.TypeKind.SHORT, ci.TypeKind.INT,
        ci.TypeKind.LONG, ci.TypeKind.LONGLONG,
    }  # fmt: skip
    if canonical.kind == ci.TypeKind.POINTER:
        kind = "pointer"
    elif canonical.kind in (ci.TypeKind.FLOAT, ci.TypeKind.DOUBLE):
        kind = "float"
    elif canonical.kind == ci.TypeKind.RECORD:
        kind = "record"
    else:
        kind = "signed" if canonical.kind in signed_kinds else "unsigned"
    return {"size": t.get_size(), "align": t.get_align(), "kind": kind}


def measure(arch):  # type: ignore[no-untyped-def]
    ci = cindex()
    stand_in = STAND_INS.get(arch.name)
    target = (stand_in.target if stand_in else None) or arch.clang_target
    includes = system_includes(arch)
    if includes is None:
        raise SystemExit(f"no uapi headers for {arch.name}: run install-cross-headers.sh")
    args = ["-x", "c", "-std=gnu11", "-nostdinc", f"--target={target}"]
    for inc in includes:
        args += ["-isystem", str(inc)]
    args += ["-isystem", freestanding.DIRECTORY]  # stddef.h, for glibc's headers
    unsaved = [("c_types.c", _source()), *freestanding.unsaved_files()]
    unit = ci.Index.create().parse("c_types.c", args=args, unsaved_files=unsaved)
    problems = [str(d) for d in unit.diagnostics if d.severity >= ci.Diagnostic.Warning]
    if problems:
        raise SystemExit(f"{arch.name}: {problems}")
    types: dict[str, dict[str, object]] = {}
    for cursor in unit.cursor.get_children():
        if cursor.kind == ci.CursorKind.TYPEDEF_DECL:
            name = cursor.spelling
            glibc = not _in_uapi(cursor) and name not in USERSPACE_TYPEDEFS
            if glibc and name not in GLIBC_TYPEDEFS:
                continue
            if name.startswith("__") or name in USERSPACE_TYPEDEFS:
                types[name] = _facts(ci, cursor.type)
        elif cursor.kind == ci.CursorKind.VAR_DECL and cursor.spelling.startswith("luogen_base_"):
            types[BASE_TYPES[int(cursor.spelling.rsplit("_", 1)[1])]] = _facts(ci, cursor.type)
    if stand_in is not None:
        _with_gcc(arch, types)
    return types


def _in_uapi(cursor) -> bool:  # type: ignore[no-untyped-def]
    """Whether the declaration is in the kernel's uapi headers (or the measuring source)."""
    where = cursor.location.file
    return (
        where is None
        or where.name == "c_types.c"
        or any(f"/include/{folder}/" in where.name for folder in ("linux", "asm", "asm-generic"))
    )


def _with_gcc(arch, types: dict[str, dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    """The sizes, alignments and signedness of `types` as the architecture's own GCC has them
    (clang reads m68k, alpha and hppa with another ABI's rules: see STAND_INS)."""
    tools = gcc.compiler(arch)
    if tools is None:
        raise SystemExit(f"{arch.name}: install {gcc.package(arch)} to measure its C types")
    names = sorted(types)
    lines = [_source()]
    for i, name in enumerate(names):
        lines.append(f"char luogen_fact_{3 * i}[sizeof({name}) + 1];")
        lines.append(f"char luogen_fact_{3 * i + 1}[_Alignof({name}) + 1];")
        if types[name]["kind"] in ("signed", "unsigned"):
            lines.append(f"char luogen_fact_{3 * i + 2}[(({name})-1 < ({name})1) + 1];")
    values = gcc.compile_facts(arch, tools, "\n".join(lines) + "\n", [])
    for i, name in enumerate(names):
        facts = types[name]
        facts["size"], facts["align"] = values[3 * i], values[3 * i + 1]
        if 3 * i + 2 in values:
            facts["kind"] = "signed" if values[3 * i + 2] else "unsigned"


def table() -> dict[str, dict[str, list[object]]]:
    """name -> {"*": the facts most architectures share, ARCH: the facts where they differ}, each
    facts [size, alignment, kind]; an architecture whose headers lack the type is listed as null."""
    measured = {arch.name: measure(arch) for arch in ARCHES}
    result = {}
    for name in sorted(set().union(*measured.values())):
        facts = {a: measured[a].get(name) for a in measured}
        spelled = {
            a: None if f is None else [f["size"], f["align"], f["kind"]] for a, f in facts.items()
        }
        values = [json.dumps(v) for v in spelled.values()]
        common = json.loads(max(set(values), key=values.count))
        result[name] = {"*": common, **{a: v for a, v in spelled.items() if v != common}}
    return result


def main() -> None:
    lines = [f"  {json.dumps(name)}: {json.dumps(facts)}" for name, facts in table().items()]
    source = (
        "Debian linux-libc-dev-<arch>-cross 6.1 uapi headers (and glibc's <sys/types.h> of "
        "libc6-dev-<arch>-cross), read by libclang"
    )
    head = f'{{\n "source": {json.dumps(source)},\n "types": {{\n'
    sys.stdout.write(head + ",\n".join(lines) + "\n }\n}\n")


if __name__ == "__main__":
    main()
