"""The round trip over a corpus of installed uapi headers (roundtrip.py for one header).

    run(headers)   # every header: prepared on amd64, then checked on the 16 architectures

Two stages, each shared out over worker processes (libclang holds the GIL while it parses):
the headers are prepared (read, imported, built, generated, re-imported) in chunks, then each
architecture compiles the facts of every header against H and against G in as few translation
units as the headers allow.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..cheader.reader import Session
from ..model.arch import ARCH_BY_NAME, ARCHES
from ..records import dataclass, field
from . import asserts
from .asserts import Unit, Verdict
from .roundtrip import Outcome, Subject, judge, prepare

# The folders of the uapi tree (Debian's linux-libc-dev, as /usr/<triplet>/include has it).
DIRS = (
    "linux",
    "asm",
    "asm-generic",
    "drm",
    "misc",
    "mtd",
    "rdma",
    "scsi",
    "sound",
    "video",
    "xen",
)
# Every ioctl encoding and every helper of the corpus has this in its name (_IOWR, DRM_IOWR): a
# header without it in its text defines no ioctl and is not read.
ENCODING_MARK = "_IO"


def corpus_headers(arch: str = "amd64") -> list[str]:
    """Every header of the architecture's uapi tree that may define ioctls, as #include names
    them."""
    root = Path(Session(arch).chain.uapi)
    found = sorted(p.relative_to(root).as_posix() for d in DIRS for p in (root / d).rglob("*.h"))
    return [h for h in found if ENCODING_MARK in (root / h).read_text("latin-1")]


@dataclass
class CorpusRun:
    outcomes: list[Outcome]
    subjects: list[Subject]
    # Per architecture: the commands checked there whose facts hold on it, H and G alike.
    per_arch: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall clock
    arch_seconds: dict[str, float] = field(default_factory=dict)  # of CPU, in the workers

    @property
    def exact(self) -> int:
        return sum(o.reason is None for o in self.outcomes)


def _prepare_chunk(job: tuple[tuple[str, ...], str]) -> list[Subject]:
    headers, scratch = job
    session = Session("amd64")
    return [prepare(session, h, Path(scratch) / h.replace("/", "__")) for h in headers]


def _check_arch(
    job: tuple[str, list[Unit], list[list[Unit]]],
) -> tuple[str, list[Verdict], list[Verdict], float]:
    arch, headers, generated_batches = job
    start = time.process_time()
    try:
        verdicts = asserts.check(ARCH_BY_NAME[arch], headers)
        generated = [
            v for batch in generated_batches for v in asserts.check(ARCH_BY_NAME[arch], batch)
        ]
    except LookupError as missing:  # the architecture's own GCC is not installed
        verdicts = [Verdict(errors=[f"not checked: {missing}"]) for _ in headers]
        generated = [
            Verdict(errors=[f"not checked: {missing}"])
            for batch in generated_batches
            for _ in batch
        ]
    return arch, verdicts, generated, time.process_time() - start


def _closures(subjects: Sequence[Subject]) -> dict[str, set[str]]:
    """Every header each subject includes, directly or through others the corpus read."""
    direct = {s.header: set(s.includes) for s in subjects}
    out = {}
    for header in direct:
        seen: set[str] = set()
        queue = list(direct[header])
        while queue:
            name = queue.pop()
            if name not in seen:
                seen.add(name)
                queue += direct.get(name, ())
        out[header] = seen
    return out


def generated_batches(subjects: Sequence[Subject]) -> list[list[Subject]]:
    """The subjects packed so that no G shares a unit with a header whose real version another
    G of the unit includes (G and H have one guard: the first included would hide the other)."""
    closures = _closures(subjects)
    packed: list[tuple[list[Subject], set[str], set[str]]] = []
    for subject in subjects:
        mine = closures[subject.header]
        for members, names, included in packed:
            if subject.header not in included and not (mine & names):
                members.append(subject)
                names.add(subject.header)
                included |= mine
                break
        else:
            packed.append(([subject], {subject.header}, set(mine)))
    return [members for members, _, _ in packed]


def run(headers: Sequence[str], jobs: int = 2) -> CorpusRun:
    """The round trip of every header of `headers`."""
    seconds: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory(prefix="luogen-corpus-") as scratch,
        ProcessPoolExecutor(max_workers=jobs) as pool,
    ):
        start = time.perf_counter()
        chunks = [(tuple(headers[i::jobs]), scratch) for i in range(jobs)]
        subjects = sorted(
            (s for chunk in pool.map(_prepare_chunk, chunks) for s in chunk), key=lambda s: s.header
        )
        seconds["read, import, generate, re-import (amd64)"] = time.perf_counter() - start
        start = time.perf_counter()
        checked = [s for s in subjects if s.generated is not None]
        batches = generated_batches(checked)
        jobs_ = [
            (
                a.name,
                [s.unit(a.name, False) for s in checked],
                [[s.unit(a.name, True) for s in b] for b in batches],
            )
            for a in ARCHES
        ]
        results = list(pool.map(_check_arch, jobs_))
        seconds["checks on 16 architectures"] = time.perf_counter() - start
    return _combine(subjects, checked, batches, results, seconds)


def _combine(
    subjects: list[Subject],
    checked: list[Subject],
    batches: list[list[Subject]],
    results: list[tuple[str, list[Verdict], list[Verdict], float]],
    seconds: dict[str, float],
) -> CorpusRun:
    order = [s.header for b in batches for s in b]
    on_h: dict[str, dict[str, Verdict]] = {s.header: {} for s in checked}
    on_g: dict[str, dict[str, Verdict]] = {s.header: {} for s in checked}
    arch_seconds = {}
    for arch, verdicts, generated, cpu in results:
        arch_seconds[arch] = cpu
        for subject, verdict in zip(checked, verdicts, strict=True):
            on_h[subject.header][arch] = verdict
        for header, verdict in zip(order, generated, strict=True):
            on_g[header][arch] = verdict
    outcomes: list[Outcome] = []
    per_arch = dict.fromkeys((a.name for a in ARCHES), 0)
    for subject in subjects:
        if subject.generated is None:
            outcomes += judge(subject, {}, {})
            continue
        outcomes += judge(subject, on_h[subject.header], on_g[subject.header])
        _count_arches(subject, on_h[subject.header], on_g[subject.header], per_arch)
    return CorpusRun(outcomes, subjects, per_arch, seconds, arch_seconds)


def _count_arches(
    subject: Subject, on_h: dict[str, Verdict], on_g: dict[str, Verdict], per_arch: dict[str, int]
) -> None:
    for arch in per_arch:
        facts = subject.facts.get(arch, [])
        wrong = {facts[i][0] for v in (on_h[arch], on_g[arch]) for i in v.failed}
        absent = arch not in subject.arches and on_h[arch].errors == [subject.absent(arch)]
        broken = bool((on_h[arch].errors and not absent) or on_g[arch].errors)
        for name in subject.commands:
            if name in subject.decided or broken:
                continue
            if not ({name, *subject.depends.get(name, ())} & wrong):
                per_arch[arch] += 1
