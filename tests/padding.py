"""Where real compilers put padding in a struct of uapi integer types, on each of the 16
architectures luogen holds layouts to: an oracle that shares no code or table with luogen.

The struct is C written here from a member list. libclang lays it out for the 13 architectures
whose Linux ABI clang's targets follow; for m68k (in `{__u32 size; __u16 a; __u32 b;}` libclang
18.1 puts b at 8, Debian's m68k-linux-gnu-gcc 12, the kernel's compiler, at 6), alpha and hppa
(no such clang target), Debian's cross GCC of the architecture says where it pads (`-Wpadded`).
Each is given that architecture's own uapi headers (Debian's linux-libc-dev-<arch>-cross, below
/usr/<triplet>/include).
"""

from __future__ import annotations

import atexit
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import clang.cindex as ci  # type: ignore[import-untyped]

# Debian architecture -> (GNU triplet of its headers and GCC, clang target or None for GCC).
ARCHITECTURES: dict[str, tuple[str, str | None]] = {
    "amd64": ("x86_64-linux-gnu", "x86_64-linux-gnu"),
    "i386": ("i686-linux-gnu", "i686-linux-gnu"),
    "x32": ("x86_64-linux-gnux32", "x86_64-linux-gnux32"),
    "arm64": ("aarch64-linux-gnu", "aarch64-linux-gnu"),
    "armhf": ("arm-linux-gnueabihf", "armv7a-linux-gnueabihf"),
    "ppc64el": ("powerpc64le-linux-gnu", "powerpc64le-linux-gnu"),
    "ppc64": ("powerpc64-linux-gnu", "powerpc64-linux-gnu"),
    "powerpc": ("powerpc-linux-gnu", "powerpc-linux-gnu"),
    "s390x": ("s390x-linux-gnu", "s390x-linux-gnu"),
    "mips": ("mips-linux-gnu", "mips-linux-gnu"),
    "mips64el": ("mips64el-linux-gnuabi64", "mips64el-linux-gnuabi64"),
    "riscv64": ("riscv64-linux-gnu", "riscv64-linux-gnu"),
    "sparc64": ("sparc64-linux-gnu", "sparc64-linux-gnu"),
    "m68k": ("m68k-linux-gnu", None),
    "alpha": ("alpha-linux-gnu", None),
    "hppa": ("hppa-linux-gnu", None),
}
# How the spec language spells each member type in C (README, "The spec language").
C_TYPES = {"u8": "__u8", "u16": "__u16", "u32": "__u32", "u64": "__aligned_u64", "s8": "__s8",
           "s16": "__s16", "s32": "__s32", "s64": "__s64", "fd": "__s32",
           "ptr": "__aligned_u64"}  # fmt: skip
_PADDED = re.compile(r"^[^:]+:(\d+):\d+: warning: padding struct .*\[-Wpadded\]$")
_INDEX = ci.Index.create()
# Disposed of while libclang is loaded: during interpreter exit its bindings cannot.
atexit.register(lambda: globals().pop("_INDEX", None))

Member = dict[str, object]  # {"type": "u16", "array": 3, ...}, as in a spec's member list


def headers_of(arch: str) -> Path:
    return Path("/usr") / ARCHITECTURES[arch][0] / "include"


def c_source(structs: Sequence[Sequence[Member]]) -> str:
    """One line per struct, `struct probe<i>`, each led by the implicit `__u32 size`."""
    lines = ["#include <linux/types.h>"]
    for i, members in enumerate(structs):
        fields = ["__u32 size;"]
        for n, m in enumerate(members):
            length = f"[{m['array']}]" if "array" in m else ""
            fields.append(f"{C_TYPES[str(m['type'])]} m{n}{length};")
        lines.append(f"struct probe{i} {{ {' '.join(fields)} }};")
    return "\n".join(lines) + "\n"


def _clang_padded(source: str, arch: str, count: int) -> list[bool]:
    target = ARCHITECTURES[arch][1]
    args = ["-x", "c", f"--target={target}", "-std=c90", "-nostdinc", "-isystem",
            str(headers_of(arch))]  # fmt: skip
    unit = _INDEX.parse("probe.c", args=args, unsaved_files=[("probe.c", source)])
    problems = [str(d) for d in unit.diagnostics if d.severity >= ci.Diagnostic.Warning]
    assert not problems, f"clang --target={target}: {problems}\n{source}"
    padded = [False] * count
    for cursor in unit.cursor.get_children():
        if cursor.kind != ci.CursorKind.STRUCT_DECL or not cursor.spelling.startswith("probe"):
            continue
        kind, end = cursor.type, 0
        for field in kind.get_fields():
            if kind.get_offset(field.spelling) // 8 != end:
                padded[int(cursor.spelling[5:])] = True
            end = kind.get_offset(field.spelling) // 8 + field.type.get_size()
        if kind.get_size() != end:  # tail padding
            padded[int(cursor.spelling[5:])] = True
    return padded


def _gcc(arch: str, path: Path) -> subprocess.Popen[str]:
    compiler = f"{ARCHITECTURES[arch][0]}-gcc"
    return subprocess.Popen(
        [compiler, "-fsyntax-only", "-std=c90", "-Wpadded", "-nostdinc", "-isystem",
         str(headers_of(arch)), str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _gcc_padded(proc: subprocess.Popen[str], arch: str, count: int) -> list[bool]:
    output, _ = proc.communicate(timeout=60)
    lines = [line for line in output.splitlines() if ": warning: " in line or ": error: " in line]
    padded = [False] * count
    for line in lines:
        match = _PADDED.match(line)
        assert match, f"{arch} gcc: {output}"
        padded[int(match.group(1)) - 2] = True  # struct i is on line i + 2
    assert proc.returncode == 0, f"{arch} gcc: {output}"
    return padded


def padded_architectures(structs: Sequence[Sequence[Member]]) -> list[set[str]]:
    """For each member list, the architectures on which its struct has padding (holes or
    tail), by the compilers of those architectures."""
    source = c_source(structs)
    found: list[set[str]] = [set() for _ in structs]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "probe.c"
        path.write_text(source)
        gccs = {arch: _gcc(arch, path) for arch, (_, target) in ARCHITECTURES.items() if not target}
        verdicts = {
            arch: _clang_padded(source, arch, len(structs))
            for arch, (_, target) in ARCHITECTURES.items()
            if target
        }
        verdicts |= {arch: _gcc_padded(proc, arch, len(structs)) for arch, proc in gccs.items()}
    for arch, padded in verdicts.items():
        for i, is_padded in enumerate(padded):
            if is_padded:
                found[i].add(arch)
    return found
