"""The same headers read on several architectures, and their facts merged: each one either the
same on every architecture that has it, or a map from architecture to value.

    scans = read_arches(["linux/uinput.h"])          # the 16 architectures of model/arch.py
    merged = merge(scans)[0].command("UI_DEV_SETUP")
    merged.number.uniform, merged.number.on("powerpc")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from ..model.arch import ARCHES, Arch
from ..records import dataclass
from .ir import (
    ArchScan,
    Define,
    HeaderFacts,
    IoctlArg,
    IoctlCommand,
    Location,
    Padding,
    ReadWarning,
    Record,
    RecordType,
    TypeKind,
)
from .reader import read_headers

T = TypeVar("T")
F = TypeVar("F")


@dataclass(frozen=True)
class Varying(Generic[T]):
    """One fact on each architecture that has it."""

    by_arch: tuple[tuple[str, T], ...]  # in the order the scans were given

    @property
    def uniform(self) -> bool:
        return len({repr(v) for _, v in self.by_arch}) <= 1

    @property
    def value(self) -> T:
        """The value every architecture agrees on (ValueError when they do not)."""
        if not self.uniform or not self.by_arch:
            raise ValueError(f"differs by architecture: {dict(self.by_arch)}")
        return self.by_arch[0][1]

    def on(self, arch: str) -> T:
        return dict(self.by_arch)[arch]

    @property
    def groups(self) -> dict[T, tuple[str, ...]]:
        """Each distinct value and the architectures that have it."""
        found: dict[T, list[str]] = {}
        for arch, value in self.by_arch:
            found.setdefault(value, []).append(arch)
        return {value: tuple(arches) for value, arches in found.items()}


def _vary(items: Sequence[tuple[str, F]], get: Callable[[F], T]) -> Varying[T]:
    return Varying(tuple((arch, get(item)) for arch, item in items))


@dataclass(frozen=True)
class MergedCommand:
    name: str
    location: Location
    number: Varying[int]
    direction: Varying[int]
    type: Varying[int]
    nr: Varying[int]
    size: Varying[int]
    arg: Varying[IoctlArg | None]
    absent: tuple[str, ...]  # architectures without it (not defined, not evaluated, unreadable)
    per_arch: tuple[tuple[str, IoctlCommand], ...]


@dataclass(frozen=True)
class MergedField:
    name: str | None
    offset_bits: Varying[int]
    size: Varying[int]
    align: Varying[int]
    bit_width: Varying[int | None]
    kind: Varying[TypeKind]


@dataclass(frozen=True)
class MergedRecord:
    type: RecordType
    size: Varying[int]
    align: Varying[int]
    packed: Varying[bool]
    padding: Varying[tuple[Padding, ...]]
    fields: tuple[MergedField, ...] | None  # None: the members differ by architecture
    absent: tuple[str, ...]
    per_arch: tuple[tuple[str, Record], ...]


@dataclass(frozen=True)
class MergedDefine:
    name: str
    location: Location
    value: Varying[int]
    absent: tuple[str, ...]


@dataclass(frozen=True)
class MergedHeader:
    header: str
    commands: tuple[MergedCommand, ...]
    records: tuple[MergedRecord, ...]
    defines: tuple[MergedDefine, ...]
    unreadable: tuple[str, ...]  # the architectures clang could not compile it for
    warnings: tuple[ReadWarning, ...]  # of every architecture

    def command(self, name: str) -> MergedCommand:
        return next(c for c in self.commands if c.name == name)

    def record(self, name: str, tag: str = "struct") -> MergedRecord:
        return next(r for r in self.records if r.type.name == name and r.type.tag == tag)


def _collect(facts: Sequence[tuple[str, HeaderFacts]], items: Callable[[HeaderFacts], Iterable[F]],
             key: Callable[[F], Any]) -> dict[Any, list[tuple[str, F]]]:  # fmt: skip
    """Each item of every architecture's facts, grouped by identity, in order of appearance."""
    grouped: dict[Any, list[tuple[str, F]]] = {}
    for arch, header in facts:
        for item in items(header):
            grouped.setdefault(key(item), []).append((arch, item))
    return grouped


def _absent(arches: Sequence[str], present: Sequence[tuple[str, Any]]) -> tuple[str, ...]:
    have = {arch for arch, _ in present}
    return tuple(a for a in arches if a not in have)


def _command(arches: Sequence[str], items: list[tuple[str, IoctlCommand]]) -> MergedCommand:
    return MergedCommand(
        name=items[0][1].name,
        location=items[0][1].location,
        number=_vary(items, lambda c: c.number),
        direction=_vary(items, lambda c: c.decoded.direction),
        type=_vary(items, lambda c: c.decoded.type),
        nr=_vary(items, lambda c: c.decoded.nr),
        size=_vary(items, lambda c: c.decoded.size),
        arg=_vary(items, lambda c: c.arg),
        absent=_absent(arches, items),
        per_arch=tuple(items),
    )


def _fields(items: list[tuple[str, Record]]) -> tuple[MergedField, ...] | None:
    names = {tuple(f.name for f in record.fields) for _, record in items}
    if len(names) != 1:
        return None
    merged = []
    for i, field in enumerate(items[0][1].fields):
        each = [(arch, record.fields[i]) for arch, record in items]
        merged.append(MergedField(
            name=field.name,
            offset_bits=_vary(each, lambda f: f.offset_bits),
            size=_vary(each, lambda f: f.size),
            align=_vary(each, lambda f: f.align),
            bit_width=_vary(each, lambda f: f.bit_width),
            kind=_vary(each, lambda f: f.kind),
        ))  # fmt: skip
    return tuple(merged)


def _record(arches: Sequence[str], items: list[tuple[str, Record]]) -> MergedRecord:
    return MergedRecord(
        type=items[0][1].type,
        size=_vary(items, lambda r: r.size),
        align=_vary(items, lambda r: r.align),
        packed=_vary(items, lambda r: r.packed),
        padding=_vary(items, lambda r: r.padding),
        fields=_fields(items),
        absent=_absent(arches, items),
        per_arch=tuple(items),
    )


def _define(arches: Sequence[str], items: list[tuple[str, Define]]) -> MergedDefine:
    first = items[0][1]
    return MergedDefine(first.name, first.location, _vary(items, lambda d: d.value),
                        _absent(arches, items))  # fmt: skip


def merge(scans: Sequence[ArchScan]) -> tuple[MergedHeader, ...]:
    """Every header of the scans, its facts merged over the architectures."""
    arches = [scan.arch for scan in scans]
    by_header: dict[str, list[tuple[str, HeaderFacts]]] = {}
    for scan in scans:
        for facts in scan.headers:
            by_header.setdefault(facts.header, []).append((scan.arch, facts))
    merged = []
    for header, all_facts in by_header.items():
        readable = [(arch, f) for arch, f in all_facts if f.readable]
        commands = _collect(readable, lambda f: f.commands, lambda c: c.name)
        records = _collect(readable, lambda f: f.records, lambda r: r.type)
        defines = _collect(readable, lambda f: f.defines, lambda d: d.name)
        merged.append(MergedHeader(
            header=header,
            commands=tuple(_command(arches, items) for items in commands.values()),
            records=tuple(_record(arches, items) for items in records.values()),
            defines=tuple(_define(arches, items) for items in defines.values()),
            unreadable=tuple(arch for arch, f in all_facts if not f.readable),
            warnings=tuple(w for _, f in all_facts for w in f.warnings),
        ))  # fmt: skip
    return tuple(merged)


Job = tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]


def _read(job: Job) -> ArchScan:
    headers, arch, prelude, extra_dirs = job
    return read_headers(headers, arch, prelude, extra_dirs)


def read_arches(headers: Iterable[str], arches: Sequence[Arch] = ARCHES, jobs: int = 2,
                prelude: Sequence[str] = (),
                extra_dirs: Sequence[str] = ()) -> tuple[ArchScan, ...]:  # fmt: skip
    """`headers` read on each of `arches`, `jobs` architectures at a time (each in a process of
    its own: libclang holds the GIL while it parses)."""
    work = [(tuple(headers), a.name, tuple(prelude), tuple(extra_dirs)) for a in arches]
    if jobs <= 1:
        return tuple(_read(job) for job in work)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return tuple(pool.map(_read, work))
