"""Values only the compiler knows, asked of clang itself: a probe appended to the headers.

An enumerator must be an `int` constant in C, and ioctl numbers do not fit one (_IOWR on powerpc
is 0xc0000000 and up), nor do 64-bit constants. So each value `X` becomes four enumerators that
all do: its sign, and bits 0-30, 31-61 and 62-63 of `(unsigned long long)(X)`. `(X) & 0` in the
sign makes anything that is not of integer type (a string, a float, a pointer) an error rather
than a quietly converted number. Each value is on a line of its own, so an error names the value.

Types (an ioctl's argument type) become typedefs `__typeof__(T)`, whose clang type is read back.
The probe's declarations are found by their location, not by walking the whole unit.
"""

from __future__ import annotations

from typing import Any

from ..records import dataclass, field
from .cursors import children

PREFIX = "__luogen_"
_CHUNKS = ((0, 0x7FFFFFFF), (31, 0x7FFFFFFF), (62, 0x3))
_TYPEDEF = "typedef __typeof__({}) "
_ENUM_HEAD = f"enum {PREFIX}values {{"


@dataclass
class ProbeResult:
    values: dict[int, int] = field(default_factory=dict)
    types: dict[int, Any] = field(default_factory=dict)  # typedef cursors
    errors: dict[int, str] = field(default_factory=dict)  # the first error of a value or type
    notes: dict[int, str] = field(default_factory=dict)  # clang's warnings about a value
    stray: list[str] = field(default_factory=list)  # errors no probe line explains
    outside: list[Any] = field(default_factory=list)  # errors in the headers or their #includes


@dataclass
class _Layout:
    first_line: int
    lines: dict[int, int]  # line -> id
    typedefs: dict[int, tuple[int, int]]  # id -> line, column of its name
    first_value: tuple[int, int] | None  # line, column of the first enumerator


class Probe:
    def __init__(self) -> None:
        self._types: list[tuple[int, str]] = []
        self._values: list[tuple[int, str]] = []
        self._refused: dict[int, str] = {}
        self._layout: _Layout | None = None

    def __len__(self) -> int:
        return len(self._types) + len(self._values) + len(self._refused)

    def refuse(self, why: str) -> int:
        """An id for something not asked of clang (it would take the next probe line along):
        it reads back as an error."""
        i = len(self)
        self._refused[i] = why
        return i

    def value(self, expr: str) -> int:
        """Ask for the integer value of `expr`; returns the id to read it by."""
        i = len(self)
        x = f"({expr})"
        parts = [f"{PREFIX}{i}_s = ((({x}) < 0) | (int)(({x}) & 0))"]
        for n, (shift, mask) in enumerate(_CHUNKS):
            parts.append(f"{PREFIX}{i}_{n} = (int)((unsigned long long){x} >> {shift} & {mask})")
        self._values.append((i, "\t" + ", ".join(parts) + ","))
        return i

    def type(self, spelling: str) -> int:
        i = len(self)
        self._types.append((i, _TYPEDEF.format(spelling) + f"{PREFIX}t{i};"))
        return i

    def source(self, prologue: str) -> str:
        """The unit's text: the prologue (the #include lines), then the probe."""
        line = prologue.count("\n") + 1
        layout = _Layout(line, {}, {}, None)
        out = [prologue]
        for i, text in self._types:
            layout.lines[line] = i
            layout.typedefs[i] = (line, text.rindex(PREFIX) + 1)
            out.append(text + "\n")
            line += 1
        if self._values:
            out.append(_ENUM_HEAD + "\n")
            line += 1
            layout.first_value = (line, 2)
            for i, text in self._values:
                layout.lines[line] = i
                out.append(text + "\n")
                line += 1
            out.append(f"\t{PREFIX}end\n}};\n")
        self._layout = layout
        return "".join(out)

    def read(self, unit: Any, ci: Any, path: str) -> ProbeResult:
        assert self._layout is not None, "source() first"
        layout, result = self._layout, ProbeResult(errors=dict(self._refused))
        for diagnostic in unit.diagnostics:
            if diagnostic.severity < ci.Diagnostic.Warning:
                continue
            where = diagnostic.location
            on_probe = where.file is not None and where.file.name == path
            i = layout.lines.get(where.line) if on_probe else None
            error = diagnostic.severity >= ci.Diagnostic.Error
            if not on_probe or where.line < layout.first_line:
                if error:
                    result.outside.append(diagnostic)
            elif i is None:
                if error:
                    result.stray.append(diagnostic.spelling)
            elif diagnostic.severity >= ci.Diagnostic.Error:
                result.errors.setdefault(i, diagnostic.spelling)
            else:
                result.notes.setdefault(i, diagnostic.spelling)
        file = unit.get_file(path)
        for i, (line, column) in layout.typedefs.items():
            cursor = ci.Cursor.from_location(unit, ci.SourceLocation.from_position(
                unit, file, line, column))  # fmt: skip
            if i not in result.errors and cursor.kind == ci.CursorKind.TYPEDEF_DECL:
                result.types[i] = cursor
        if layout.first_value is not None:
            first = ci.Cursor.from_location(
                unit, ci.SourceLocation.from_position(unit, file, *layout.first_value)
            )
            if first.kind == ci.CursorKind.ENUM_CONSTANT_DECL:
                self._read_values(first.semantic_parent, ci, result)
        return result

    def _read_values(self, enum: Any, ci: Any, result: ProbeResult) -> None:
        """The enumerators come in the order written, an invalid one included (clang keeps
        it, flagged): four per value, then the end marker. A value whose expansion leaves a
        parenthesis open takes the following ones along: then the count is off."""
        constants = children(ci, enum, (ci.CursorKind.ENUM_CONSTANT_DECL,))
        expected = 4 * len(self._values) + 1
        if len(constants) != expected:  # a value took the next ones along
            result.stray.append(f"{len(constants)} enumerators, not {expected}")
        if result.stray:  # what follows a broken line is not what it seems
            for i, _ in self._values:
                result.errors.setdefault(i, "the probe failed")
            return
        value_of = ci.conf.lib.clang_getEnumConstantDeclValue  # every part fits an int
        for n, (i, _) in enumerate(self._values):
            if i not in result.errors:
                sign, *chunks = (value_of(c) for c in constants[4 * n : 4 * n + 4])
                result.values[i] = _assemble(sign, chunks)


def _assemble(sign: int, chunks: list[int]) -> int:
    unsigned = sum(chunk << shift for chunk, (shift, _) in zip(chunks, _CHUNKS, strict=True))
    return unsigned - (1 << 64) if sign else unsigned
