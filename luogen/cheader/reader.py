"""Read real uapi headers for one architecture: every fact a spec needs, with where it is written.

Each header is its own translation unit. The first parse, with the preprocessing record, has a
probe (probe.py) appended that makes clang evaluate every object-like macro the header defines:
its ioctl numbers and integer constants, on this architecture. Its macros then say which of them
are ioctls and how each is written; a second parse, only for headers with ioctl arguments or
expressions to evaluate, asks for those. A header clang cannot compile yields warnings, no facts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..model.arch import ARCH_BY_NAME, Arch
from ..records import replace
from ..verify.clang import STAND_INS, cindex
from . import freestanding, gcccheck
from .commands import LAYOUT_MACROS, Builder, ask, is_helper
from .cursors import DefineIndex, UnitMacros, children
from .ir import (
    ArchScan,
    Define,
    Enum,
    EnumType,
    HeaderFacts,
    IoctlCommand,
    IoctlFamily,
    Location,
    ReadWarning,
    Warn,
    WarningCode,
)
from .macros import MacroTable, Written, defined_names, join, self_contained, tokenize_directive
from .probe import Probe, ProbeResult
from .records import RecordReader, shifted_bit
from .sorting import Macros, selections, sort_macros
from .source import SourceFile, Sources
from .toolchain import Toolchain, include_lines, parse, toolchain
from .types import TypeReader

# What a program that calls ioctl() has included before a uapi header, as far as the encodings
# go: <sys/ioctl.h> brings <asm/ioctls.h>, which includes <linux/ioctl.h>. Many uapi headers
# (linux/userfaultfd.h, sound/asound.h) count on it and include none themselves.
IOCTL_PRELUDE = ("linux/ioctl.h",)
PROBE_DIR = "/luogen-probe"  # the probe unit is an unsaved file; no such directory exists
MAX_ERRORS = 5  # of an unreadable header, the first few errors are reported


class Session:
    """One architecture's reader; libclang, the toolchain and the header texts are reused."""

    def __init__(self, arch: Arch | str, extra_dirs: Sequence[str | Path] = (),
                 check_with_gcc: bool = False) -> None:  # fmt: skip
        """`check_with_gcc`: check every header's numbers and layouts with the architecture's
        own GCC too (gcccheck.py), and warn about each fact it computes differently."""
        self.chain: Toolchain = toolchain(arch, extra_dirs)
        self.arch = self.chain.arch
        self.check_with_gcc = check_with_gcc
        stand_in = STAND_INS.get(self.arch.name)
        self._clang_deviates = stand_in is not None and stand_in.aligns_like is not None
        self.ci = cindex()
        self.index = self.ci.Index.create()
        self.sources = Sources(dict(freestanding.unsaved_files()))
        self.defines = DefineIndex(self.sources)
        self.unit_path = f"{PROBE_DIR}/{self.arch.name}.c"

    def locate(self, cursor: Any) -> Location:
        where = cursor.location
        name = where.file.name if where.file is not None else self.unit_path
        return Location(self.chain.relative(name), where.line, where.column)

    def read(self, header: str, prelude: Sequence[str] = ()) -> HeaderFacts:
        """The facts of `header` (as #include names it), included after `prelude`."""
        facts = self._second_opinion(self._read(header, prelude))
        return replace(facts, warnings=tuple(sorted(facts.warnings, key=lambda w: w.location)))

    def _second_opinion(self, facts: HeaderFacts) -> HeaderFacts:
        """GCC's word on the facts, when asked for; a warning where clang is known to lay out
        records otherwise than the kernel's compiler and GCC was not asked."""
        if not facts.readable or not (facts.commands or facts.records):
            return facts
        where = Location(facts.header, 1, 1)
        found: list[ReadWarning] = []
        if self.check_with_gcc:
            try:
                for disagreement in gcccheck.check(facts, self.chain):
                    found.append(ReadWarning(disagreement.fact.location, "gcc-disagrees",
                                             f"{disagreement} (clang's value is kept)",
                                             self.arch.name))  # fmt: skip
            except (LookupError, RuntimeError) as exc:
                found.append(ReadWarning(where, "unchecked-layout", f"not checked with GCC: "
                                         f"{exc}", self.arch.name))  # fmt: skip
        elif self._clang_deviates:
            found.append(ReadWarning(where, "unchecked-layout", f"clang's {self.arch.name} "
                         "target aligns otherwise than the kernel's GCC: these layouts and "
                         "numbers are unchecked (Session(check_with_gcc=True) checks them)",
                         self.arch.name))  # fmt: skip
        return replace(facts, warnings=facts.warnings + tuple(found)) if found else facts

    def _read(self, header: str, prelude: Sequence[str]) -> HeaderFacts:
        warnings: list[ReadWarning] = []

        def warn(location: Location, code: WarningCode, message: str) -> None:
            warnings.append(ReadWarning(location, code, message, self.arch.name))

        path = self.chain.locate(header)
        if path is None:
            where = ", ".join(self.chain.include_dirs)
            warn(Location(header, 1, 1), "not-found", f"no {header} in {where}")
            return self._facts(header, prelude, warnings, readable=False)
        prologue = include_lines((*prelude, header))
        source = self.sources.get(str(path))
        first = Probe()
        number_ids = {w.name: first.value(w.name) for w in defined_names(source.text)
                      if not w.function_like and _probeable(source, w)}  # fmt: skip
        layout_ids = {name: first.value(name) for name in LAYOUT_MACROS}
        unit = self._parse(first.source(prologue), detailed=True)
        first_result = first.read(unit, self.ci, self.unit_path)
        if self._compile_errors(first_result.outside, header, warn):
            return self._facts(header, prelude, warnings, readable=False)
        if first_result.stray:
            warn(Location(header, 1, 1), "probe-failure", "a value breaks the first probe, so "
                 f"none of it is read ({'; '.join(first_result.stray)})")  # fmt: skip
        own_records, own_enums = self._own_decls(unit, str(path))
        includes = self._includes(unit, str(path))
        table = MacroTable(UnitMacros(self.ci, unit, self.defines, self.sources).find, str(path))
        macros = sort_macros(table, header, str(path), source, warn)
        if macros.unencoded and IOCTL_PRELUDE[0] not in prelude:
            return self._after_ioctl_h(header, prelude, macros, warnings)
        if macros.unencoded:  # even <linux/ioctl.h> does not define them: these are left out
            names = ", ".join(p.definition.name for p in macros.unencoded)
            warn(macros.unencoded[0].location, "no-encoding", f"{header} uses encodings that "
                 f"<linux/ioctl.h> does not define here: {names} are left out")  # fmt: skip
        for found, _ in macros.commands:
            found.number_id = number_ids.get(found.definition.name)
        second, second_result = self._second_probe(macros, prologue, header, warn)
        types = TypeReader(self.ci, self.locate)
        layout = {n: first_result.values[i] for n, i in layout_ids.items()
                  if i in first_result.values}  # fmt: skip
        builder = Builder(types, first_result, second_result, layout, warn, self.arch.name)
        commands = [c for p, doc in macros.commands if (c := builder.command(p, doc))]
        numbers = {n: first_result.values[i] for n, i in number_ids.items()
                   if i in first_result.values}  # fmt: skip
        commands += selections(macros, commands, numbers, warn)
        commands.sort(key=lambda c: c.location)
        families = self._families(macros, builder, commands)
        reader = RecordReader(self.ci, types, self.sources, self.locate, warn)
        roots = builder.roots + [types.record_type(d) for d in own_records]
        records, used_enums = reader.read(roots)
        enums = self._enums(own_enums, types, reader, used_enums)
        defines = _defines(macros, number_ids, first_result, warn)
        del second  # the second unit's cursors are read; it may go now
        return self._facts(
            header, prelude, warnings, readable=True, commands=commands, families=families,
            aliases=macros.aliases, records=records, enums=enums, defines=defines,
            others=macros.others, includes=includes,
        )  # fmt: skip

    def _after_ioctl_h(self, header: str, prelude: Sequence[str], macros: Macros,
                       warnings: list[ReadWarning]) -> HeaderFacts:  # fmt: skip
        """A header whose ioctl macros use encodings it does not include: read again as a
        program reads it, after <linux/ioctl.h>; said so with a warning."""
        names = ", ".join(p.definition.name for p in macros.unencoded)
        encodings = ", ".join(sorted({p.encoding for p in macros.unencoded}))
        facts = self._read(header, (*prelude, *IOCTL_PRELUDE))
        message = (f"{header} uses {encodings} but includes no <linux/ioctl.h>: it is read "
                   f"after <linux/ioctl.h>, as a program that includes <sys/ioctl.h> reads it "
                   f"({names})")  # fmt: skip
        note = ReadWarning(macros.unencoded[0].location, "needs-ioctl-h", message, self.arch.name)
        return replace(facts, warnings=(*warnings, note, *facts.warnings))

    def _parse(self, text: str, detailed: bool) -> Any:
        return parse(self.ci, self.index, self.chain, self.unit_path, text, detailed)

    def _second_probe(self, macros: Macros, prologue: str, header: str,
                      warn: Warn) -> tuple[Any, ProbeResult]:  # fmt: skip
        """Parse again with what the ioctl macros' arguments need, if they need anything."""
        probe = Probe()
        for found, _ in macros.commands + macros.families:
            ask(found, probe)
        if not len(probe):
            return None, ProbeResult()
        unit = self._parse(probe.source(prologue), detailed=False)
        result = probe.read(unit, self.ci, self.unit_path)
        if result.stray:
            warn(Location(header, 1, 1), "probe-failure", "a value breaks the second probe, "
                 f"so none of it is read ({'; '.join(result.stray)})")  # fmt: skip
        return unit, result

    def _facts(self, header: str, prelude: Sequence[str], warnings: list[ReadWarning],
               readable: bool, **facts: Any) -> HeaderFacts:  # fmt: skip
        def each(key: str) -> tuple[Any, ...]:
            return tuple(facts.get(key, ()))

        return HeaderFacts(
            header=header, arch=self.arch.name, target=self.chain.target, prelude=tuple(prelude),
            readable=readable, commands=each("commands"), families=each("families"),
            encoder_aliases=each("aliases"), records=each("records"), enums=each("enums"),
            defines=each("defines"), other_macros=each("others"), warnings=tuple(warnings),
            includes=each("includes"),
        )  # fmt: skip

    def _includes(self, unit: Any, path: str) -> list[str]:
        """What the header's own #include lines bring in, as #include names them: libclang's
        record of the directives it took (a conditional one not taken is not among them; one
        of a header already included, which its guard makes empty, is)."""
        found = []
        for cursor in unit.cursor.get_children():
            if cursor.kind != self.ci.CursorKind.INCLUSION_DIRECTIVE:
                continue
            where, included = cursor.location.file, cursor.get_included_file()
            if where is not None and where.name == path and included is not None:
                found.append(self.chain.relative(included.name))
        return list(dict.fromkeys(found))

    def _compile_errors(self, errors: list[Any], header: str, warn: Warn) -> bool:
        """Warn about the errors clang finds in the headers (not in the probe); any at all."""
        for diagnostic in errors[:MAX_ERRORS]:
            where = diagnostic.location
            file = self.chain.relative(where.file.name) if where.file is not None else header
            if file == self.unit_path:  # an #include line of the unit: the header's own fault
                file = header
            message = f"clang cannot compile {header} for {self.arch.name}: {diagnostic.spelling}"
            missing = re.match(r"'(.+)' file not found", diagnostic.spelling)
            if missing and not self.chain.has_libc and _is_libc_header(missing.group(1)):
                message += (f" (a C library header; none are installed for {self.arch.name}: "
                            f"Debian's libc6-dev-{self.arch.name}-cross)")  # fmt: skip
            warn(Location(file, where.line, where.column), "compile-error", message)
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            warn(Location(header, 1, 1), "compile-error", f"and {more} more errors")
        return bool(errors)

    def _own_decls(self, unit: Any, path: str) -> tuple[list[Any], list[Any]]:
        """The records and enums the header itself defines at file scope."""
        kinds = self.ci.CursorKind
        records: list[Any] = []
        enums: list[Any] = []
        for cursor in children(self.ci, unit.cursor,
                               (kinds.STRUCT_DECL, kinds.UNION_DECL, kinds.ENUM_DECL)):  # fmt: skip
            where = cursor.location.file
            if where is not None and where.name == path and cursor.is_definition():
                (enums if cursor.kind == kinds.ENUM_DECL else records).append(cursor)
        return records, enums

    def _families(self, macros: Macros, builder: Builder,
                  commands: Iterable[IoctlCommand]) -> list[IoctlFamily]:  # fmt: skip
        used = {name for c in commands for name in c.via}
        return [builder.family(p, is_helper(p, used), doc) for p, doc in macros.families]

    def _enums(self, decls: list[Any], types: TypeReader, reader: RecordReader,
               used: list[EnumType]) -> list[Enum]:  # fmt: skip
        seen = {types.enum_type(d) for d in decls}
        decls = decls + [types.decls[e] for e in used if e not in seen and e in types.decls]
        return sorted((reader.enum(d) for d in decls), key=lambda e: e.type.location)


def _defines(macros: Macros, ids: dict[str, int], result: ProbeResult,
             warn: Warn) -> list[Define]:  # fmt: skip
    defines = []
    for definition, location, doc in macros.constants:
        i = ids.get(definition.name)
        spelling = join(definition.body)
        if i is None or i in result.errors or i not in result.values:
            why = "not an integer constant expression"
            if i is not None and i in result.errors:
                why += f": {result.errors[i]}"
            macros.other(definition, location, why)
            continue
        if i in result.notes:
            warn(location, "clang-warning", f"{definition.name}: clang warns: {result.notes[i]}")
        value = result.values[i]
        defines.append(Define(definition.name, location, spelling, value, doc,
                              shifted_bit(spelling, value)))  # fmt: skip
    return defines


def _probeable(source: SourceFile, written: Written) -> bool:
    """Whether the first probe may ask for the value of this #define: a body that cannot be an
    integer expression is left out, and so is one that would take the next probe line along."""
    body = tokenize_directive(source, written.offset)[1:]
    return bool(body) and self_contained(body)


def _is_libc_header(name: str) -> bool:
    """Whether <name> is one of the C library's (what the host's glibc has, the kernel's not)."""
    host = Path("/usr/include")
    return not name.startswith(("linux/", "asm/", "asm-generic/")) and (
        (host / name).is_file() or any(host.glob(f"*-linux-gnu*/{name}"))
    )


def read_headers(headers: Iterable[str], arch: Arch | str, prelude: Sequence[str] = (),
                 extra_dirs: Sequence[str | Path] = ()) -> ArchScan:  # fmt: skip
    """Every header of `headers` (as #include names them) read for `arch`."""
    start = time.perf_counter()
    session = Session(ARCH_BY_NAME[arch] if isinstance(arch, str) else arch, extra_dirs)
    facts = tuple(session.read(h, prelude) for h in headers)
    chain = session.chain
    return ArchScan(chain.arch.name, chain.target, chain.include_dirs, chain.notes, facts,
                    time.perf_counter() - start)  # fmt: skip
