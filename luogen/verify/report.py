"""The corpus round trip as a Markdown report: the figure, each reason with its count and
examples, the figures of each architecture, and the timings."""

from __future__ import annotations

from collections import Counter

from ..model.arch import ARCHES
from .corpus import CorpusRun
from .roundtrip import REASONS, Outcome

EXAMPLES = 3  # of each reason


def _reason_text(reason: str) -> str:
    return REASONS.get(reason, "the importer cannot say it (luogen.importer: Unexpressible)")


def _examples(outcomes: list[Outcome], reason: str) -> list[str]:
    """A few commands of `reason`, each from another header where there are several."""
    shown: list[Outcome] = []
    for outcome in outcomes:
        if outcome.reason == reason and all(o.header != outcome.header for o in shown):
            shown.append(outcome)
        if len(shown) == EXAMPLES:
            break
    return [f"`{o.header}` {o.command}: {o.detail}".replace("|", "\\|") for o in shown]


def reasons_table(run: CorpusRun) -> list[str]:
    counts = Counter(o.reason for o in run.outcomes if o.reason is not None)
    lines = ["| reason | commands | headers | what it is | examples |", "|---|---:|---:|---|---|"]
    for reason, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        headers = len({o.header for o in run.outcomes if o.reason == reason})
        examples = "<br>".join(_examples(run.outcomes, reason))
        lines.append(
            f"| `{reason}` | {count:,} | {headers} | {_reason_text(reason)} | {examples} |"
        )
    return lines


def arches_table(run: CorpusRun) -> list[str]:
    checked = sum(1 for s in run.subjects if s.generated for n in s.commands if n not in s.decided)
    lines = [
        f"Of the {checked:,} commands that reach the checks (imported, and their spec built), "
        "those whose facts hold on each architecture, in the original header and the generated "
        "one alike:",
        "",
        "| architecture | commands | compiler | CPU seconds |",
        "|---|---:|---|---:|",
    ]
    for arch in ARCHES:
        compiler = "its own GCC" if arch.name in ("m68k", "alpha", "hppa") else "libclang"
        seconds = run.arch_seconds.get(arch.name, 0.0)
        lines.append(f"| {arch.name} | {run.per_arch[arch.name]:,} | {compiler} | {seconds:.1f} |")
    return lines


def render(run: CorpusRun, headers: int, wall: float) -> str:
    total, exact = len(run.outcomes), run.exact
    share = 100 * exact / total if total else 0.0
    subjects = run.subjects
    lines = [
        "# The corpus round trip",
        "",
        "Made by `make corpus` (`bench/roundtrip.py`); see luogen/verify/roundtrip.py.",
        "",
        f"**{exact:,} of {total:,} ioctl commands round-tripped exactly ({share:.1f}%).**",
        "",
        f"The corpus: the {headers} headers of Debian's linux-libc-dev 6.1 (amd64's uapi tree, "
        "/usr/x86_64-linux-gnu/include: linux/**, asm, asm-generic, drm, misc, mtd, rdma, scsi, "
        "sound, video, xen) whose text has `_IO` in it; "
        f"{sum(bool(s.commands) for s in subjects)} of them define ioctl commands. A command "
        "is every macro that reaches `_IO`, `_IOR`, `_IOW`, `_IOWR` or `_IOC`, as libclang reads "
        "the header on amd64 (luogen.cheader): the evaluated ones, those clang cannot evaluate, "
        "and each parameterized family (`EVIOCGNAME(len)`) once. Numbers written as literals "
        "(`#define LOOP_SET_FD 0x4C00`) reach no encoding and are not counted.",
        "",
        "A command is round-tripped exactly when its number, and the size, alignment, member "
        "offsets and member sizes of every record its argument is or holds, are as the model of "
        "the imported spec says on all 16 architectures, in the header itself (read with each "
        "architecture's own uapi headers; m68k, alpha and hppa by their own GCC) and in the "
        "header luogen generates from the spec; and when importing the generated header gives "
        "the command's part of the spec again (its entry, its records, the enums, constants and "
        "typedefs they name, its range and the spec's head). Every other command has one reason, "
        "the first found in the order below.",
        "",
        "## Reasons",
        "",
        *reasons_table(run),
        "",
        "## Architectures",
        "",
        *arches_table(run),
        "",
        "## Timings",
        "",
        "| stage | seconds |",
        "|---|---:|",
        *(f"| {stage} | {seconds:.1f} |" for stage, seconds in run.seconds.items()),
        f"| all, wall clock (2 processes) | {wall:.1f} |",
        "",
    ]
    return "\n".join(lines)
