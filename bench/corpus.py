"""Measure luogen.cheader on the installed uapi corpus: what it finds and cannot read, how long.

    .venv/bin/python bench/corpus.py [--arch amd64] [--compare i386] [--all-arches] [--jobs 2]
                                     [--gcc-check ARCH ...]

The corpus is every header of Debian's linux-libc-dev for an architecture, as its cross package
installs it (/usr/<triplet>/include: linux/**, asm/, asm-generic/, drm/, misc/, mtd/, rdma/, scsi/,
sound/, video/, xen/). A header is read on its own first; one clang cannot compile alone is read
again after the C library's headers a program would include first (LIBC_PRELUDE), where the
architecture has them. Also a library: scan(), figures(), table().
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from luogen.cheader import Session, gcccheck
from luogen.cheader.ir import (
    Array,
    CInt,
    EnumType,
    FixedInt,
    FlexibleArray,
    HeaderFacts,
    IoctlCommand,
    Pointer,
    Record,
    RecordType,
    TypeKind,
)
from luogen.cheader.preludes import FREESTANDING_PRELUDE, read_one
from luogen.model.arch import ARCHES
from luogen.verify.corpus import DIRS


def corpus_headers(arch: str) -> list[str]:
    """Every header of the architecture's uapi tree, as #include names them."""
    root = Path(Session(arch).chain.uapi)
    return sorted(p.relative_to(root).as_posix() for d in DIRS for p in (root / d).rglob("*.h"))


def _read_chunk(job: tuple[str, tuple[str, ...]]) -> list[HeaderFacts]:
    arch, headers = job
    session = Session(arch)
    return [read_one(session, h) for h in headers]


@dataclass(frozen=True)
class CorpusScan:
    arch: str
    facts: tuple[HeaderFacts, ...]
    seconds: float  # wall clock
    cpu_seconds: float  # of every process that read


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)  # fmt: skip
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def scan(arch: str, jobs: int = 2, headers: Sequence[str] | None = None) -> CorpusScan:
    """The corpus read for `arch`, its headers shared out over `jobs` processes."""
    start, cpu = time.perf_counter(), _cpu()
    names = list(headers) if headers is not None else corpus_headers(arch)
    chunks = [(arch, tuple(names[i::jobs])) for i in range(jobs)]
    if jobs <= 1:
        read = [_read_chunk(chunks[0])]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            read = list(pool.map(_read_chunk, chunks))
    facts = sorted((f for chunk in read for f in chunk), key=lambda f: f.header)
    return CorpusScan(arch, tuple(facts), time.perf_counter() - start, _cpu() - cpu)


def _scan_arch(arch: str) -> CorpusScan:
    return scan(arch, jobs=1)


def scan_arches(arches: Iterable[str], jobs: int = 2) -> list[CorpusScan]:
    """The corpus of each architecture, `jobs` architectures at a time."""
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_scan_arch, arches))


# --- figures ---------------------------------------------------------------------------------


def _kinds(kind: TypeKind) -> Iterable[TypeKind]:
    yield kind
    if isinstance(kind, Array | FlexibleArray):
        yield from _kinds(kind.element)


def arg_records(facts: HeaderFacts) -> dict[RecordType, list[str]]:
    """The records ioctl arguments are, hold an array of, or point to: the commands of each."""
    by_name = {(r.type.tag, r.type.name): r.type for r in facts.records if r.type.name}
    found: dict[RecordType, list[str]] = {}
    for command in facts.commands:
        if command.arg is None:
            continue
        for kind in _kinds(command.arg.kind):
            target = kind
            if isinstance(kind, Pointer):
                tag, _, name = kind.target.partition(" ")
                target = by_name.get((tag, name), kind)  # type: ignore[arg-type]
            if isinstance(target, RecordType):
                found.setdefault(target, []).append(command.name)
    return found


def _contained(records: dict[RecordType, Record], roots: Iterable[RecordType]) -> set[RecordType]:
    seen: set[RecordType] = set()
    queue = list(roots)
    while queue:
        record_type = queue.pop()
        if record_type in seen or record_type not in records:
            continue
        seen.add(record_type)
        for field in records[record_type].fields:
            queue += [k for k in _kinds(field.kind) if isinstance(k, RecordType)]
    return seen


RECORD_TESTS: dict[str, Callable[[Record], bool]] = {
    "unions": lambda r: r.type.tag == "union",
    "anonymous unions": lambda r: r.type.tag == "union" and r.anonymous and not r.typedef,
    "anonymous structs": lambda r: r.type.tag == "struct" and r.anonymous and not r.typedef,
    "with bit-fields": lambda r: any(f.bit_width is not None for f in r.fields),
    "with a flexible array": lambda r: any(isinstance(f.kind, FlexibleArray) for f in r.fields),
    "with plain C integers": lambda r: any(_has(f.kind, CInt) for f in r.fields),
    "with long / size_t": lambda r: any(
        isinstance(k, CInt) and k.name in ("long", "unsigned long")
        for f in r.fields for k in _kinds(f.kind)
    ),
    "with native pointers": lambda r: any(isinstance(f.kind, Pointer) for f in r.fields),
    "packed": lambda r: r.packed,
    "with implicit padding": lambda r: bool(r.padding),
    "with enum-typed members": lambda r: any(_has(f.kind, EnumType) for f in r.fields),
    "with multi-dimensional arrays": lambda r: any(
        isinstance(f.kind, Array) and len(f.kind.dims) > 1 for f in r.fields
    ),
    "with __le/__be members": lambda r: any(
        isinstance(k, FixedInt) and k.endian != "native" for f in r.fields for k in _kinds(f.kind)
    ),
    "with plain __u64 members": lambda r: any(f.spelling == "__u64" for f in r.fields),
}  # fmt: skip


def _has(kind: TypeKind, cls: type) -> bool:
    return any(isinstance(k, cls) for k in _kinds(kind))


ARG_CLASSES = tuple(
    [f"_IOR/_IOW/_IOWR with a {c}" for c in ("struct", "union", "scalar", "enum", "pointer",
                                             "array", "expression")]
    + ["_IOC(..., sizeof(struct))", "_IOC(..., sizeof(union))", "_IOC(..., sizeof(scalar))",
       "_IOC with a size expression", "_IO, no argument"]
)  # fmt: skip


def _arg_class(command: IoctlCommand) -> str:
    arg = command.arg
    if command.encoding == "_IO":
        return "_IO, no argument"
    if arg is None:
        return "_IOC with a size expression"
    if arg.via_sizeof:
        return f"_IOC(..., sizeof({arg.category}))"
    return f"_IOR/_IOW/_IOWR with a {arg.category}"


def figures(facts: Sequence[HeaderFacts], under: str = "") -> Counter[str]:
    """The corpus figures of `facts` (only headers whose name starts with `under`)."""
    chosen = [f for f in facts if f.header.startswith(under)]
    out: Counter[str] = Counter()
    out["headers"] = len(chosen)
    out["headers clang cannot compile"] = sum(not f.readable for f in chosen)
    out["headers read after what a program includes first"] = sum(
        f.prelude[:1] == FREESTANDING_PRELUDE[:1] for f in chosen
    )
    out["headers defining ioctls"] = sum(bool(f.commands or f.families) for f in chosen)
    commands = [c for f in chosen for c in f.commands]
    out["ioctl commands"] = len(commands)
    out["  of which aliases (#define NEW OLD)"] = sum(c.alias_of is not None for c in commands)
    out["  of which chosen by a condition"] = sum(c.selected_by is not None for c in commands)
    classes = Counter(_arg_class(c) for c in commands)
    for label in ARG_CLASSES:
        out[f"  {label}"] = classes[label]
    scalars = Counter(c.arg.spelling for c in commands if c.arg and c.arg.category == "scalar")
    for spelling, count in scalars.most_common():
        out[f"    scalar {spelling}"] = count
    families = [m for f in chosen for m in f.families]
    out["parameterized families"] = sum(not m.helper for m in families)
    out["helper macros (DRM_IOWR...)"] = sum(m.helper for m in families)
    out["headers with several type bytes"] = sum(len(f.type_bytes) > 1 for f in chosen)
    out["headers reusing a number for different names"] = sum(
        bool(f.shared_numbers) for f in chosen
    )
    _record_figures(chosen, out)
    for f in chosen:
        for warning in f.warnings:
            out[f"warnings: {warning.code}"] += 1
    return out


def _record_figures(chosen: Sequence[HeaderFacts], out: Counter[str]) -> None:
    records: dict[RecordType, Record] = {}
    users: dict[RecordType, set[str]] = {}
    for facts in chosen:
        records.update({r.type: r for r in facts.records})
        for record_type, names in arg_records(facts).items():
            users.setdefault(record_type, set()).update(names)
    reachable = _contained(records, users)
    out["argument records (and what they contain)"] = len(reachable)
    for label, test in RECORD_TESTS.items():
        out[f"  {label}"] = sum(bool(test(records[t])) for t in reachable)
    out["  plain __u64 members"] = sum(
        f.spelling == "__u64" for t in reachable for f in records[t].fields
    )
    shared = {t: n for t, n in users.items() if len(n) > 1}
    out["records several commands take"] = len(shared)
    out["  commands taking them"] = sum(len(n) for n in shared.values())


def numbered_differently(a: CorpusScan, b: CorpusScan) -> int:
    """Commands both architectures have whose numbers differ."""
    numbers = {(f.header, c.name): c.number for f in a.facts for c in f.commands}
    return sum(
        1
        for f in b.facts
        for c in f.commands
        if (f.header, c.name) in numbers and numbers[(f.header, c.name)] != c.number
    )


def _keys(columns: Iterable[Counter[str]]) -> list[str]:
    """Every figure once, each after the one it follows in the first column that has it."""
    keys: list[str] = []
    for counts in columns:
        at = 0
        for key in counts:
            if key in keys:
                at = keys.index(key) + 1
            else:
                keys.insert(at, key)
                at += 1
    return keys


def table(rows: dict[str, Counter[str]]) -> str:
    """One row per figure, one column per label of `rows`."""
    labels = list(rows)
    keys = _keys(rows.values())
    width = max(len(k) for k in keys)
    lines = [f"{'':{width}}  " + "  ".join(f"{lab:>12}" for lab in labels)]
    for key in keys:
        cells = "  ".join(f"{rows[lab].get(key, 0):>12,}" for lab in labels)
        lines.append(f"{key:{width}}  {cells}")
    return "\n".join(lines)


def _gcc_check(job: tuple[str, tuple[HeaderFacts, ...]]) -> Counter[str]:
    arch, chosen = job
    chain, out = Session(arch).chain, Counter[str]()
    for facts in chosen:
        try:
            found = gcccheck.check(facts, chain)
        except RuntimeError:
            out["headers its GCC cannot compile"] += 1
            continue
        out["headers checked"] += 1
        out["facts checked"] += len(gcccheck.facts_of(facts))
        out["facts GCC computes otherwise"] += len(found)
        out["headers with such facts"] += bool(found)
    return out


def gcc_check(corpus: CorpusScan, jobs: int = 2) -> Counter[str]:
    """Every fact of the corpus scan computed again by the architecture's own GCC."""
    chosen = [f for f in corpus.facts if f.readable and (f.commands or f.records)]
    work = [(corpus.arch, tuple(chosen[i::jobs])) for i in range(jobs)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return sum(pool.map(_gcc_check, work), Counter())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="amd64")
    parser.add_argument("--compare", default="i386", help="count numbers that differ from it")
    parser.add_argument("--all-arches", action="store_true", help="also time all 16")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--gcc-check", nargs="*", default=[], metavar="ARCH",
                        help="check the corpus of each ARCH with its own GCC")  # fmt: skip
    args = parser.parse_args(argv)
    main_scan = scan(args.arch, args.jobs)
    other = scan(args.compare, args.jobs)
    rows = {
        f"{args.arch} linux/": figures(main_scan.facts, "linux/"),
        f"{args.arch} all": figures(main_scan.facts),
        f"{args.compare} all": figures(other.facts),
    }
    print(table(rows))
    print(f"\ncommands numbered differently on {args.compare} than on {args.arch}: "
          f"{numbered_differently(main_scan, other):,}")  # fmt: skip
    for each in (main_scan, other):
        print(f"{each.arch}: {each.seconds:.1f} s ({each.cpu_seconds:.1f} s of CPU), "
              f"{len(each.facts)} headers, {args.jobs} processes")  # fmt: skip
    if args.gcc_check:
        checked = {a: gcc_check(scan(a, args.jobs), args.jobs) for a in args.gcc_check}
        print(table(checked))
    if args.all_arches:
        start, cpu = time.perf_counter(), _cpu()
        scans = scan_arches([a.name for a in ARCHES], args.jobs)
        total = time.perf_counter() - start
        print(table({s.arch: figures(s.facts) for s in scans}))
        print(f"all {len(scans)} architectures: {total:.1f} s ({_cpu() - cpu:.1f} s of CPU), "
              f"{args.jobs} processes")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
