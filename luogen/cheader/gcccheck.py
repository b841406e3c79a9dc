"""Check the reader's facts of a header against an architecture's own GCC, a second compiler.

This is how the architectures libclang only reads through a stand-in (alpha, hppa, and m68k, whose
clang target aligns differently from the kernel's compiler) are known to be read right or wrong,
and how the others are cross-checked. Each fact becomes the size of an array, `fact + 1` bytes,
and the cross `nm -S` reads the sizes back (the approach of luogen.verify.gcc); ioctl numbers and
constants go byte by byte, as an array of 4 GiB would not do.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..records import dataclass
from ..verify.gcc import compiler
from . import freestanding
from .ir import HeaderFacts, Location, Record
from .toolchain import Toolchain, include_lines

GCC_ARGS = ("-std=gnu11", "-c", "-fno-common", "-nostdinc", "-w")
_NM_LINE = re.compile(r"^[0-9a-fA-F]+ ([0-9a-fA-F]+) [A-Za-z] luogen_fact_(\d+)$")


@dataclass(frozen=True)
class Fact:
    what: str  # UI_DEV_SETUP number, struct loop_info64 size, ...
    expr: str  # C, evaluated by GCC
    expected: int
    location: Location


@dataclass(frozen=True)
class Disagreement:
    fact: Fact
    gcc: int | None  # None: GCC's value could not be read back

    def __str__(self) -> str:
        return f"{self.fact.what}: reader {self.fact.expected}, gcc {self.gcc}"


def _bytes(what: str, expr: str, value: int, count: int, where: Location) -> Iterator[Fact]:
    for byte in range(count):
        yield Fact(f"{what} byte {byte}", f"((unsigned long long)({expr}) >> {8 * byte} & 0xff)",
                   value >> (8 * byte) & 0xFF, where)  # fmt: skip


def _record_facts(record: Record) -> Iterator[Fact]:
    """Size, alignment and each named member's offset and size, for a record C can name."""
    if record.type.name is not None:
        spelled = f"{record.type.tag} {record.type.name}"
    elif record.typedef is not None:
        spelled = record.typedef
    else:
        return
    where = record.type.location
    yield Fact(f"{spelled} size", f"sizeof({spelled})", record.size, where)
    yield Fact(f"{spelled} align", f"__alignof__({spelled})", record.align, where)
    for field in record.fields:
        if field.name is None or field.bit_width is not None:
            continue  # offsetof cannot name these; clang's layout stands alone for them
        member = f"{spelled} {field.name}"
        yield Fact(f"{member} offset", f"__builtin_offsetof({spelled}, {field.name})",
                   field.offset_bits // 8, field.location)  # fmt: skip
        if field.size:
            yield Fact(f"{member} size", f"sizeof((({spelled} *)0)->{field.name})", field.size,
                       field.location)  # fmt: skip


def facts_of(header: HeaderFacts) -> list[Fact]:
    facts: list[Fact] = []
    for command in header.commands:
        facts += _bytes(f"{command.name} number", command.name, command.number, 4,
                        command.location)  # fmt: skip
    for define in header.defines:
        if define.value >= 0:
            facts += _bytes(f"{define.name} value", define.name, define.value, 8, define.location)
    for record in header.records:
        facts += _record_facts(record)
    return facts


def gcc_include_dirs(gcc: str) -> list[str]:
    """GCC's own headers (stddef.h, limits.h), which -nostdinc leaves out."""
    found = []
    for name in ("include", "include-fixed"):
        path = subprocess.run([gcc, f"-print-file-name={name}"], capture_output=True, text=True,
                              check=True).stdout.strip()  # fmt: skip
        if Path(path).is_dir():
            found.append(path)
    return found


def check(header: HeaderFacts, chain: Toolchain) -> list[Disagreement]:
    """Every fact of `header` that the architecture's GCC computes differently. Raises
    LookupError when that GCC is not installed, RuntimeError when it cannot compile the header."""
    tools = compiler(chain.arch)
    if tools is None:
        raise LookupError(f"no {chain.arch.triplet}-gcc")
    gcc, nm = tools
    facts = facts_of(header)
    lines = [include_lines((*header.prelude, header.header))]
    lines += [f"char luogen_fact_{i}[({f.expr}) + 1];\n" for i, f in enumerate(facts)]
    dirs = [d for d in chain.include_dirs if d != freestanding.DIRECTORY]
    cross = dirs.index(chain.uapi)
    dirs[cross + 1 : cross + 1] = gcc_include_dirs(gcc)
    with tempfile.TemporaryDirectory(prefix="luogen-cheader-gcc-") as scratch:
        source, obj = Path(scratch) / "facts.c", Path(scratch) / "facts.o"
        source.write_text("".join(lines), encoding="utf-8")
        includes = [arg for d in dirs for arg in ("-isystem", d)]
        # Without a C library, GCC's stdint.h and limits.h must not look for one (its limits.h
        # chains to the library's unless told that one is already in).
        hosted = [] if chain.has_libc else ["-ffreestanding", "-D_LIBC_LIMITS_H_"]
        built = subprocess.run([gcc, *GCC_ARGS, *hosted, *includes, str(source), "-o", str(obj)],
                               capture_output=True, text=True)  # fmt: skip
        if built.returncode != 0:
            raise RuntimeError(f"{Path(gcc).name} cannot compile {header.header}: "
                               f"{built.stderr.strip()}")  # fmt: skip
        listed = subprocess.run([nm, "-S", "--defined-only", str(obj)], capture_output=True,
                                text=True, check=True).stdout  # fmt: skip
    values = {}
    for line in listed.splitlines():
        if match := _NM_LINE.match(line.strip()):
            values[int(match.group(2))] = int(match.group(1), 16) - 1
    return [Disagreement(fact, values.get(i)) for i, fact in enumerate(facts)
            if values.get(i) != fact.expected]  # fmt: skip
