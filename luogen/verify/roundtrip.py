"""The round trip of one real header H: import it as a spec S, build S's model, generate S's
header G, and import G again.

`prepare()` does the part that needs only amd64 (where luogen import reads): it reads H, imports
it, builds the model, writes G, re-imports G and compares the specs (fixedpoint.py), and states
every fact the model has of H's commands and records on each architecture (facts.py). The facts
are then asserted against H and against G on every architecture (asserts.py, batched over many
headers by corpus.py), and `judge()` gives each command of H one outcome: round-tripped exactly,
or the first reason it is not, in the order of `REASONS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..cheader.ir import HeaderFacts
from ..cheader.preludes import read_one
from ..cheader.reader import Session
from ..errors import LuogenError
from ..importer import import_header, installed_arches
from ..importer.yaml_out import dump
from ..model import Model
from ..model.arch import ARCHES
from ..model.kinds import FlexibleArray, Nested
from ..model.kinds.base import Kind
from ..model.kinds.compound import Array, Inline
from ..records import dataclass, field
from . import fixedpoint
from .asserts import Unit, Verdict
from .facts import Fact, command_fact, struct_facts

# Every reason a command is not round-tripped exactly, in the order they are looked for.
REASONS = {
    "unevaluated": "clang cannot evaluate the command on amd64 (the reader leaves it out)",
    "unfollowed": "the reader does not take the macro's form apart",
    "family": "a parameterized family of numbers (EVIOCGNAME(len)): no spec command says it",
    "not-imported": "the header gives no spec (no command of it can be said)",
    "spec-error": "luogen check refuses the imported spec",
    "arches": "the header is installed on an architecture the spec says it is not on",
    "not-on-arch": "the header is not installed for some architectures (an ABI of only some)",
    "uncompilable": "the header does not compile on an architecture (facts unchecked there)",
    "header-mismatch": "the model differs from the header on an architecture",
    "generated-uncompilable": "the generated header does not compile on an architecture",
    "generated-mismatch": "the generated header differs from the model on an architecture",
    "fixed-point": "importing the generated header gives another spec",
}
# What the importer leaves out is said by its own codes (luogen.importer: Unexpressible).
_NAMED = re.compile(r"^([A-Za-z_]\w*)\b")


@dataclass(frozen=True)
class Outcome:
    """One command: round-tripped exactly (`reason` None), or the first reason it is not."""

    header: str
    command: str
    reason: str | None = None
    detail: str = ""
    arches: tuple[str, ...] = ()  # where a check failed (empty: everywhere, or not checked)


@dataclass
class Subject:
    """One header made ready for the architectures' checks (picklable: plain data only)."""

    header: str
    prelude: tuple[str, ...]
    commands: list[str]  # every ioctl command of H, in order: what the figure counts
    includes: tuple[str, ...] = ()  # what H's own #include lines bring in
    decided: dict[str, tuple[str, str]] = field(default_factory=dict)  # before any check
    fixed_point: dict[str, str] = field(default_factory=dict)  # command -> first difference
    spec_differences: list[str] = field(default_factory=list)  # charged to no command
    generated: str | None = None  # the absolute path of G
    depends: dict[str, tuple[str, ...]] = field(default_factory=dict)  # command -> owners
    facts: dict[str, list[tuple[str, Fact]]] = field(default_factory=dict)  # arch -> facts
    records: int = 0  # records the spec takes from H and its includes
    arches: tuple[str, ...] = tuple(a.name for a in ARCHES)  # where the spec says the ABI is
    warnings: int = 0  # of the import

    def unit(self, arch: str, generated: bool) -> Unit:
        """H and G where the spec says the ABI is; elsewhere H alone (whose absence its
        compiler then shows), and no G (its includes are not there either)."""
        target = f'"{self.generated}"' if generated else f"<{self.header}>"
        includes = (*(f"<{h}>" for h in self.prelude), target)
        if arch not in self.arches:
            return Unit(() if generated else includes, ())
        return Unit(includes, tuple(f for _, f in self.facts.get(arch, [])))

    def absent(self, arch: str) -> str:
        """What the compiler says of H where the spec says the ABI is not."""
        return f"'{self.header}' file not found"


def all_commands(facts: HeaderFacts) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """Every ioctl command the reader finds in H (evaluated or not, and each family), and why
    those it could not read are left out."""
    names = [c.name for c in facts.commands]
    why: dict[str, tuple[str, str]] = {}
    for warning in facts.warnings:
        if warning.code in ("unevaluated", "unfollowed") and warning.location.file == facts.header:
            match = _NAMED.match(warning.message)
            if match and match.group(1) not in names and match.group(1) not in why:
                why[match.group(1)] = (warning.code, f"{warning.location}: {warning.message}")
    names += list(why)
    names += [f.name for f in facts.families if not f.helper]
    return names, why


def prepare(session: Session, header: str, scratch: Path) -> Subject:
    """Read, import, build, generate and re-import `header`; `scratch` holds its G."""
    facts = read_one(session, header)
    names, unread = all_commands(facts)
    subject = Subject(header, facts.prelude, names, facts.includes, decided=dict(unread))
    text = (session.chain.locate(header) or Path("/dev/null")).read_text("latin-1")
    imported = import_header(facts, text, installed_arches(header))
    subject.warnings = len(imported.warnings)
    subject.commands += [n for n in imported.literals if n not in subject.commands]
    subject.decided.update(imported.left_out)
    if not imported.spec.get("ranges"):
        _decide(subject, "not-imported", f"{header}: no command of it can be said")
        return subject
    spec_text = dump(imported.spec, header)
    try:
        model = _build(spec_text, imported.spec["name"])
    except LuogenError as error:
        lines = str(error).splitlines()
        _decide(subject, "spec-error", next((x for x in lines if ": error: " in x), lines[0]))
        return subject
    subject.generated = str(_generate(model, scratch))
    subject.arches = model.arches or subject.arches
    _describe(subject, model)
    _re_import(subject, scratch, imported.spec)
    return subject


def _decide(subject: Subject, reason: str, detail: str) -> None:
    for name in subject.commands:
        subject.decided.setdefault(name, (reason, detail))


def _build(spec_text: str, name: str) -> Model:
    from ..pipeline import load_bytes

    return load_bytes(f"{name}.yaml", spec_text.encode("utf-8"))


def _generate(model: Model, scratch: Path) -> Path:
    from ..pipeline import outputs
    from ..targets import uapi_include_dir

    root = scratch / uapi_include_dir(model)
    for path, text in outputs(model, ("uapi",), scratch).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / model.header


def _describe(subject: Subject, model: Model) -> None:
    """The model's facts on every architecture, and the records each command depends on."""
    subject.records = len(model.all_structs)
    for command in model.commands:
        owners = [] if command.argument is None else list(records_of(command.argument.kind))
        subject.depends[command.ioctl_name or command.cmd_name] = tuple(dict.fromkeys(owners))
    for arch in ARCHES:
        found = [(c.ioctl_name or c.cmd_name, command_fact(c, arch)) for c in model.commands]
        for struct in model.all_structs:
            key = f"{struct.c_keyword} {struct.name}"
            found += [(key, fact) for fact in struct_facts(struct, arch)]
        subject.facts[arch.name] = found


def records_of(kind: Kind) -> Iterable[str]:
    """The named records a member or argument of `kind` is or holds, through every member."""
    while isinstance(kind, Array | FlexibleArray):
        kind = kind.element
    if not isinstance(kind, Nested):
        return
    if not isinstance(kind, Inline):
        yield f"{kind.struct.c_keyword} {kind.struct.name}"
    for member in kind.struct.members:
        yield from records_of(member.kind)


def _re_import(subject: Subject, scratch: Path, spec: dict[str, object]) -> None:
    assert subject.generated is not None
    root = Path(subject.generated[: -len(subject.header) - 1])
    session = Session("amd64", (root,))
    facts = session.read(subject.header, subject.prelude)
    # Where the header is installed is the corpus's fact, not the header's: it is the same.
    arches = spec.get("arches")
    again = import_header(
        facts,
        Path(subject.generated).read_text("latin-1"),
        list(arches) if isinstance(arches, list) else None,
    ).spec
    differences = fixedpoint.compare(spec, again)
    charged = fixedpoint.charged(spec, differences)
    subject.fixed_point = {name: str(d) for name, d in charged.items()}
    parts = {d.part for d in charged.values()}
    subject.spec_differences = [str(d) for d in differences if d.part not in parts]


def judge(
    subject: Subject, headers: Mapping[str, Verdict], generated: Mapping[str, Verdict]
) -> list[Outcome]:
    """Each command's outcome, given the verdicts of H and G by architecture."""
    out = []
    for name in subject.commands:
        if name in subject.decided:
            reason, detail = subject.decided[name]
            out.append(Outcome(subject.header, name, reason, detail))
            continue
        owners = {name, *subject.depends.get(name, ())}
        found = _checked(subject, owners, headers, "uncompilable", "header-mismatch") or _checked(
            subject, owners, generated, "generated-uncompilable", "generated-mismatch"
        )
        if found is None and name in subject.fixed_point:
            found = ("fixed-point", subject.fixed_point[name], ())
        if found is None:
            out.append(Outcome(subject.header, name))
        else:
            out.append(Outcome(subject.header, name, *found))
    return out


def _checked(
    subject: Subject,
    owners: set[str],
    verdicts: Mapping[str, Verdict],
    uncompiled: str,
    mismatch: str,
) -> tuple[str, str, tuple[str, ...]] | None:
    """The first failure of `owners`' facts among `verdicts`, with every architecture of it."""
    broken = [a.name for a in ARCHES if verdicts[a.name].errors]
    if uncompiled == "uncompilable":  # H: where the spec says the ABI is not, H is not there
        wrongly = [
            a
            for a in ARCHES
            if a.name not in subject.arches and verdicts[a.name].errors != [subject.absent(a.name)]
        ]
        if wrongly:
            return "arches", f"{wrongly[0].name}: the header is installed there", ()
        broken = [a for a in broken if a in subject.arches]
    if broken:
        first = verdicts[broken[0]].errors[0]
        if uncompiled == "uncompilable" and first == f"'{subject.header}' file not found":
            uncompiled = "not-on-arch"
        first = first.replace(str(subject.generated), f"generated {subject.header}")
        return uncompiled, f"{broken[0]}: {first}", tuple(broken)
    first, arches = "", []
    for arch in ARCHES:  # (an error in G names it by its header, not its scratch path)
        facts = subject.facts.get(arch.name, [])
        wrong = [
            f
            for i, (owner, f) in enumerate(facts)
            if owner in owners and i in verdicts[arch.name].failed
        ]
        if wrong:
            arches.append(arch.name)
            first = (
                first
                or f"{arch.name}: {wrong[0].where}: {wrong[0].what} is not {wrong[0].expected}"
            )
    return (mismatch, first, tuple(arches)) if arches else None
