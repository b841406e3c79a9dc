"""Facts asserted against real headers: one C translation unit of `_Static_assert`s per batch of
headers and architecture, compiled by libclang, or by the architecture's own GCC where libclang
cannot stand in for the kernel's compiler (clang.STAND_INS: m68k, alpha, hppa).

Each assertion is a line of its own, right after the includes of its header, so every error the
compiler reports on one of those lines is that fact failing (a wrong value, or a name the header
does not define); an error anywhere else is the headers' own: they do not compile together, or
at all, on the architecture. A batch with such errors is split in two and each half compiled
again, down to single headers, whose errors are then theirs.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..cheader import freestanding
from ..cheader.gcccheck import gcc_include_dirs
from ..cheader.toolchain import Toolchain, toolchain
from ..model.arch import Arch
from ..records import dataclass, field
from .clang import STAND_INS, cindex
from .facts import Fact
from .gcc import compiler

UNIT = "/luogen-roundtrip/unit.c"  # an unsaved file: no such directory exists
_GCC_ERROR = re.compile(r"^(.*?):(\d+):(\d+): (?:fatal )?error: (.*)$")
_GCC_MISSING = re.compile(r"^(\S+): No such file or directory$")
MAX_ERRORS = 3  # of a header that does not compile, the first few errors are kept


@dataclass(frozen=True)
class Unit:
    """One header's part of a translation unit: what it includes, and the facts to assert."""

    includes: tuple[str, ...]  # each as written after #include: <linux/loop.h> or "/path"
    facts: tuple[Fact, ...]


@dataclass
class Verdict:
    """What the compiler said of one unit: the facts that do not hold, by index, and the errors
    that are not the facts' (the unit's headers do not compile: no fact was checked)."""

    failed: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def gcc_checked(arch: Arch) -> bool:
    """Whether `arch` is checked by its own GCC rather than libclang."""
    return arch.name in STAND_INS


def check(arch: Arch, units: Sequence[Unit]) -> list[Verdict]:
    """Each unit's verdict on `arch`; units are compiled together as far as they allow.
    Raises LookupError when `arch` needs its own GCC and it is not installed."""
    compile_unit = _Compiler(arch)
    return _split(compile_unit, list(units))


def _split(compile_unit: _Compiler, units: list[Unit]) -> list[Verdict]:
    together = compile_unit(units)
    if len(units) == 1 or not together.errors:
        return _spread(together, units)
    half = len(units) // 2
    return _split(compile_unit, units[:half]) + _split(compile_unit, units[half:])


def _spread(verdict: Verdict, units: Sequence[Unit]) -> list[Verdict]:
    """The verdict of several units compiled together, unit by unit."""
    out, start = [], 0
    for unit in units:
        end = start + len(unit.facts)
        failed = {i - start for i in verdict.failed if start <= i < end}
        out.append(Verdict(failed, list(verdict.errors)))
        start = end
    return out


def source(units: Sequence[Unit]) -> tuple[str, dict[int, int]]:
    """The translation unit, and the fact each assertion's line asserts (by index). Each unit's
    facts follow its own includes at once: a header a later unit includes may define a macro
    again (sparc's asm/ioctls.h and asm-generic/ioctls.h both define TIOCGPTN), and must not
    change what an earlier unit's facts read."""
    lines: list[str] = []
    included: set[str] = set()
    facts: dict[int, int] = {}
    for unit in units:
        lines += [f"#include {line}" for line in unit.includes if line not in included]
        included.update(unit.includes)
        for fact in unit.facts:
            facts[len(lines) + 1] = len(facts)
            lines.append(
                f'_Static_assert(({fact.expr}) == {fact.expected}ULL, "luogen {len(facts) - 1}");'
            )
    return "\n".join(lines) + "\n", facts


class _Compiler:
    """Compiles units for one architecture: libclang, or the architecture's own GCC."""

    def __init__(self, arch: Arch) -> None:
        self.arch = arch
        self.chain: Toolchain = toolchain(arch)
        self.gcc = compiler(arch) if gcc_checked(arch) else None
        if gcc_checked(arch) and self.gcc is None:
            raise LookupError(f"no {arch.triplet}-gcc")
        self.ci: Any = None if self.gcc else cindex()
        self.index: Any = self.ci.Index.create() if self.ci else None
        self._gcc_args: list[str] | None = None

    def __call__(self, units: Sequence[Unit]) -> Verdict:
        text, facts = source(units)
        errors = self._gcc(text) if self.gcc else self._clang(text)
        verdict = Verdict()
        for file, line, message in errors:
            if file == "unit" and line in facts:
                verdict.failed.add(facts[line])
            elif len(verdict.errors) < MAX_ERRORS:
                where = "" if file == "unit" else f"{file}:{line}: "
                verdict.errors.append(f"{where}{message}")
        return verdict

    def _clang(self, text: str) -> list[tuple[str, int, str]]:
        options = self.ci.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES
        unsaved = [(UNIT, text), *freestanding.unsaved_files()]
        unit = self.index.parse(UNIT, args=self.chain.args, unsaved_files=unsaved, options=options)
        found = []
        for diagnostic in unit.diagnostics:
            if diagnostic.severity < self.ci.Diagnostic.Error:
                continue
            where = diagnostic.location
            name = where.file.name if where.file is not None else UNIT
            file = "unit" if name == UNIT else self.chain.relative(name)
            found.append((file, where.line, diagnostic.spelling))
        return found

    def _gcc(self, text: str) -> list[tuple[str, int, str]]:
        assert self.gcc is not None
        with tempfile.TemporaryDirectory(prefix="luogen-roundtrip-") as scratch:
            path = Path(scratch) / "unit.c"
            path.write_text(text, encoding="utf-8")
            built = subprocess.run(
                [self.gcc[0], *self._gcc_flags(), str(path)], capture_output=True, text=True
            )
        found = []
        for line in built.stderr.splitlines():
            if match := _GCC_ERROR.match(line):
                name, number, _, message = match.groups()
                if missing := _GCC_MISSING.match(message):  # said as clang says it
                    message = f"'{missing.group(1)}' file not found"
                file = "unit" if name == str(path) else self.chain.relative(name)
                found.append((file, int(number), message))
        if built.returncode != 0 and not found:
            found.append(("unit", 0, built.stderr.strip() or "GCC failed"))
        return found

    def _gcc_flags(self) -> list[str]:
        if self._gcc_args is None:
            assert self.gcc is not None
            dirs = [d for d in self.chain.include_dirs if d != freestanding.DIRECTORY]
            cross = dirs.index(self.chain.uapi)
            dirs[cross + 1 : cross + 1] = gcc_include_dirs(self.gcc[0])
            hosted = [] if self.chain.has_libc else ["-ffreestanding", "-D_LIBC_LIMITS_H_"]
            self._gcc_args = [
                "-std=gnu11",
                "-fsyntax-only",
                "-nostdinc",
                "-w",
                *hosted,
                *(a for d in dirs for a in ("-isystem", d)),
            ]
        return self._gcc_args
