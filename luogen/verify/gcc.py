"""Check layouts and ioctl numbers with an architecture's own GCC, where libclang cannot stand in
for the kernel's compiler (clang.STAND_INS: no alpha or hppa target, another m68k ABI).

Debian's cross compilers (gcc-<triplet>, e.g. gcc-m68k-linux-gnu) compile one probe file per
architecture: every fact the model states (struct size and alignment, each member's offset and
size, each ioctl number byte by byte) becomes the size of an array, `fact + 1` bytes, and the
cross `nm -S` reads the sizes back. So a mismatch reports the compiler's actual value, not just a
failed assertion.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.arch import Arch
from .facts import Fact, struct_facts

if TYPE_CHECKING:
    from .clang import Header

GCC_ARGS = ("-std=gnu11", "-c", "-ffreestanding", "-fno-common", "-Wall", "-Wextra", "-Werror")
NM_LINE = re.compile(r"^[0-9a-fA-F]+ ([0-9a-fA-F]+) [A-Za-z] luogen_fact_(\d+)$")


def package(arch: Arch) -> str:
    return f"gcc-{arch.triplet}"


def compiler(arch: Arch) -> tuple[str, str] | None:
    """The cross gcc and nm of `arch`, or None when they are not installed."""
    gcc, nm = shutil.which(f"{arch.triplet}-gcc"), shutil.which(f"{arch.triplet}-nm")
    return (gcc, nm) if gcc and nm else None


def _facts(headers: Sequence[Header], arch: Arch) -> list[Fact]:
    facts = []
    for header in headers:
        for struct in header.model.all_structs:
            facts += struct_facts(struct, arch)
        for command in header.model.commands:
            name = command.ioctl_name or command.cmd_name
            number = command.number_on(arch)
            for byte in range(4):  # an array of 4 GiB would not do: one fact per byte
                expr = f"((unsigned long)({name}) >> {8 * byte} & 0xff)"
                value = number >> 8 * byte & 0xFF
                facts.append(Fact(name, f"ioctl number byte {byte}", expr, value))
    return facts


def _number(facts: list[Fact], values: dict[int, int], start: int) -> tuple[int, int | None]:
    """The ioctl number whose 4 byte facts start at `start`: expected, actual (None if unread)."""
    got = [values.get(start + byte) for byte in range(4)]
    actual = None if None in got else sum(v << 8 * i for i, v in enumerate(got) if v is not None)
    expected = sum(facts[start + byte].expected << 8 * byte for byte in range(4))
    return expected, actual


class ProbeFailed(Exception):
    """The architecture's GCC could not compile a probe; the message is its output."""


def compile_facts(
    arch: Arch, tools: tuple[str, str], source: str, includes: Sequence[str]
) -> dict[int, int]:
    """Compile `source`, whose `char luogen_fact_N[X + 1]` arrays state facts, with `arch`'s own
    GCC, and read each X back by N from the object's symbol sizes."""
    gcc, nm = tools
    with tempfile.TemporaryDirectory(prefix="luogen-gcc-") as scratch:
        path, obj = Path(scratch) / "probe.c", Path(scratch) / "probe.o"
        path.write_text(source, encoding="utf-8")
        built = subprocess.run(
            [gcc, *GCC_ARGS, *includes, str(path), "-o", str(obj)],
            capture_output=True,
            text=True,
        )
        if built.returncode != 0:
            raise ProbeFailed(f"{arch.name}: {Path(gcc).name} cannot compile:\n{built.stderr}")
        listed = subprocess.run(
            [nm, "-S", "--defined-only", str(obj)], capture_output=True, text=True, check=True
        )
    values = {}
    for line in listed.stdout.splitlines():
        if m := NM_LINE.match(line.strip()):
            values[int(m.group(2))] = int(m.group(1), 16) - 1
    return values


def check(arch: Arch, tools: tuple[str, str], headers: Sequence[Header]) -> list[str]:
    """Every fact of `headers` that `arch`'s own GCC computes differently, as problem lines."""
    gcc = tools[0]
    facts = _facts(headers, arch)
    lines = [f"#include <{h.model.header}>" for h in headers] + [""]
    lines += [f"char luogen_fact_{i}[({f.expr}) + 1];" for i, f in enumerate(facts)]
    try:
        values = compile_facts(
            arch, tools, "\n".join(lines) + "\n", [f"-I{h.root}" for h in headers]
        )
    except ProbeFailed as failed:
        return [str(failed)]
    problems = []
    i = 0
    while i < len(facts):
        fact = facts[i]
        if fact.what.startswith("ioctl number"):
            expected, actual = _number(facts, values, i)
            if actual != expected:
                shown = "none" if actual is None else f"{actual:#010x}"
                problems.append(
                    f"{arch.name}: {fact.where}: ioctl number: expected {expected:#010x}, "
                    f"actual {shown} ({Path(gcc).name})"
                )
            i += 4
            continue
        actual_value = values.get(i)
        if actual_value != fact.expected:
            problems.append(
                f"{arch.name}: {fact.where}: {fact.what}: expected {fact.expected}, "
                f"actual {actual_value} ({Path(gcc).name})"
            )
        i += 1
    return problems
