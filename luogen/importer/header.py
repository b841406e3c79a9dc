"""One header's facts as one spec."""

from __future__ import annotations

import re
from typing import Any

from ..cheader import ir
from ..model.arch import ARCHES
from ..records import dataclass, field
from ..verify.clang import system_includes
from . import hints as hints_
from . import literals
from .commands import command, command_names, unheaded
from .docs import from_comment
from .records import Records
from .types import Needs, Unexpressible

_GUARD = re.compile(r"^\s*#\s*ifndef\s+(\w+)\s*\n\s*#\s*define\s+\1\b", re.M)
# What luogen's generated header includes itself.
_ALWAYS_INCLUDED = ("linux/ioctl.h", "linux/types.h")


@dataclass
class Imported:
    header: str
    spec: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    commands: int = 0  # of the header's commands, how many the spec has
    literals: list[str] = field(default_factory=list)  # commands whose numbers are literals
    # Each command left out: its ioctl macro -> (reason code, message).
    left_out: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Each command an import hint changed: its ioctl macro -> the hint's `why`.
    hinted: dict[str, str] = field(default_factory=dict)


def spec_name(header: str) -> str:
    """`linux/loop.h` -> `loop`, `drm/drm.h` -> `drm`, `linux/usb/ch9.h` -> `usb_ch9`."""
    parts = header.removesuffix(".h").split("/")
    if parts[0] in ("linux", "asm", "asm-generic") and len(parts) > 1:
        parts = parts[1:]
    name = re.sub(r"[^a-z0-9_]", "_", "_".join(parts).lower())
    return name if name[:1].isalpha() else f"h_{name}"


def installed_arches(header: str) -> list[str]:
    """The architectures whose installed uapi headers have `header` (Debian's
    linux-libc-dev-<arch>-cross): linux/kvm.h is not installed for armhf, asm/mtrr.h on x86
    only."""
    found = []
    for arch in ARCHES:
        folders = system_includes(arch) or ()
        if any((folder / header).is_file() for folder in folders):
            found.append(arch.name)
    return found


class _Importer:
    def __init__(
        self, facts: ir.HeaderFacts, text: str, arches: list[str] | None, hints: hints_.Hints
    ) -> None:
        self.facts = facts
        self.hints = hints
        self.text = text
        self.arches = arches
        self.result = Imported(facts.header, {})
        # Enumerators are no constants: an array length spelled by one is written as its value.
        self.enumerators = frozenset(c.name for e in facts.enums for c in e.constants)
        self.needs = Needs(enumerators=self.enumerators)
        self.records = Records(facts)
        self.defines = {d.name: d for d in facts.defines}
        self.literal: set[str] = set()  # the defines read as literal ioctl numbers
        self.type_of: dict[str, int] = {}  # each command's type byte

    def warn(self, where: ir.Location, message: str) -> None:
        self.result.warnings.append(f"{where}: warning: {message}")

    def run(self) -> Imported:
        commands = self.commands()
        structs, failed = self.structs()
        kept = []
        for spec, records in commands:
            why = next((failed[r] for r in sorted(records) if r in failed), None)
            if why is None:
                kept.append((spec, records))
            else:
                self.result.left_out[spec["ioctl"]] = why
        ranges = self.ranges(kept)
        spec = self.head({s["name"] for s in structs})
        spec.update(self.declarations(structs))
        spec["structs"] = structs
        spec["ranges"] = ranges
        self.result.spec = {k: v for k, v in spec.items() if v != []}
        self.result.commands = sum(len(r["commands"]) for r in ranges)
        return self.result

    def head(self, struct_names: set[str]) -> dict[str, Any]:
        facts = self.facts
        guard = _GUARD.search(self.text)
        includes = [self.include(h) for h in facts.includes if h not in _ALWAYS_INCLUDED]
        name = spec_name(facts.header)
        if name in struct_names | {e.type.name for e in facts.enums}:
            name += "_h"  # the bindings name the first range's type after the spec
        spec: dict[str, Any] = {
            "name": name,
            "title": f"<{facts.header}>",
            "header": facts.header,
        }
        if guard:
            spec["guard"] = guard.group(1)
        spec["overview"] = f"The ioctl interface of <{facts.header}>, imported by luogen import."
        spec["targets"] = ["uapi", "docs", "rust", "python"]
        if self.arches is not None and len(self.arches) < len(ARCHES):
            spec["arches"] = self.arches  # the ABI is not on the others
        spec["includes"] = includes
        spec.update(self.type_byte())
        return spec

    def include(self, header: str) -> str | dict[str, str]:
        """An #include of the header, with the macro it is written between `#define` and
        `#undef` of when it is (linux/soundcard.h's linux/patchkey.h)."""
        around = re.search(
            rf"^\s*#\s*define\s+(\w+)\s*\n\s*#\s*include\s*<{re.escape(header)}>\s*\n"
            rf"\s*#\s*undef\s+\1\b",
            self.text,
            re.M,
        )
        return {"header": header, "defining": around.group(1)} if around else header

    def type_byte(self) -> dict[str, Any]:
        """The spec's type byte: the commands' most common one, named by the macro they spell
        it with when there is one."""
        counts: dict[int, int] = {}
        for c in self.facts.commands:
            counts[c.decoded.type] = counts.get(c.decoded.type, 0) + 1
        value = max(counts, key=lambda v: counts[v]) if counts else 0
        macro = next(
            (c.type.text for c in self.facts.commands
             if c.decoded.type == value and c.type.text in self.defines),
            None,
        )  # fmt: skip
        if macro is None:
            return {"ioctl-type": value}
        self.type_macro = macro
        spelled = self.defines[macro].spelling.strip()
        literal = re.match(r"^\(?'[^'\\]'\)?$", spelled)
        return {"ioctl-type": spelled if literal else value, "ioctl-type-name": macro}

    # --- commands ---------------------------------------------------------------------------

    def commands(self) -> list[tuple[dict[str, Any], set[str]]]:
        """Each command the spec can say, with the records its argument needs."""
        facts = self.facts
        for family in facts.families:
            if family.helper:
                continue  # a way of writing commands: each is imported with its encoding
            self.result.left_out[family.name] = ("family", f"{family.name} is a family")
            self.warn(
                family.location,
                f"{family.name}({', '.join(family.params)}) is a family of ioctl numbers; the "
                "spec language has no parameterized commands, so it is left out",
            )
        literal = [d for run in literals.runs(facts.defines, self.text) for d in run]
        self.literal = {d.name for d in literal}
        self.result.literals = [d.name for d in literal]
        hints_file = f"hints/{spec_name(facts.header)}.yaml"
        names = command_names([c.name for c in facts.commands] + [d.name for d in literal])
        constants = set(self.defines) - self.literal
        firsts = {run[0].name for run in literals.runs(facts.defines, self.text)}
        result = [(self.literal_command(d, names[d.name], d.name in firsts), set[str]())
                  for d in literal]  # fmt: skip
        for run in literals.runs(facts.defines, self.text):
            self.warn(
                run[0].location,
                f"{run[0].name} .. {run[-1].name} are read as ioctl "
                "commands whose numbers are written as literals (their comment calls "
                "them ioctls): check that they are; a literal number carries no argument, "
                f"so give each command that takes one its 'argument' in {hints_file}",
            )
        for source in facts.commands:
            needs = Needs(enumerators=self.enumerators)
            try:
                spec = command(source, names[source.name], constants, needs)
            except Unexpressible as why:
                self.warn(source.location, f"{source.name} left out: {why}")
                self.result.left_out[source.name] = (why.code, str(why))
                continue
            self.merge(needs)
            result.append((spec, {str(r) for r in needs.records}))
        return self.apply_hints(result)

    def apply_hints(
        self, commands: list[tuple[dict[str, Any], set[str]]]
    ) -> list[tuple[dict[str, Any], set[str]]]:
        """The commands as the import hints say (SpecError when one does not fit)."""
        records = hints_.apply_all(self.hints, commands, self.records.by_type, self.facts.header)
        self.needs.records += [r for r in records if r not in self.needs.records]
        self.result.hinted = {h.ioctl: h.why for h in self.hints.by_ioctl.values()}
        return commands

    def literal_command(self, define: ir.Define, name: str, first: bool) -> dict[str, Any]:
        """A literal number as a command; the first of a run takes the run's comment."""
        self.type_of[define.name] = define.value >> 8
        comment = literals.lead(self.text, define) if first else define.doc
        doc = from_comment(unheaded(comment, define.name), f"Undocumented in "
                           f"{define.location.file}.")  # fmt: skip
        return {"name": name, "ioctl": define.name, "doc": doc, "encoding": "literal",
                "type": define.value >> 8, "nr": define.value & 0xFF}  # fmt: skip

    def ranges(self, commands: list[tuple[dict[str, Any], set[str]]]) -> list[dict[str, Any]]:
        """One range per type byte, in the order the header first uses them."""
        by_type: dict[int, list[dict[str, Any]]] = {}
        for c in self.facts.commands:
            self.type_of[c.name] = c.decoded.type
        for spec, _ in commands:
            by_type.setdefault(self.type_of[spec["ioctl"]], []).append(spec)
        ranges = []
        for value, specs in by_type.items():
            ranges.append({
                "name": "ioctl" if len(by_type) == 1 else f"type_{value:02x}",
                "doc": f"The ioctl commands of type 0x{value:02X} of <{self.facts.header}>.",
                # The header does not say what the commands are issued on.
                "object": f"fd for <{self.facts.header}>",
                "commands": specs,
            })  # fmt: skip
        return ranges

    def merge(self, needs: Needs) -> None:
        self.needs.typedefs.update(needs.typedefs)
        self.needs.record_typedefs.update(needs.record_typedefs)
        self.needs.pointed_typedefs.update(needs.pointed_typedefs)
        self.needs.records += [r for r in needs.records if r not in self.needs.records]
        self.needs.enums += [e for e in needs.enums if e not in self.needs.enums]
        self.needs.constants.update(needs.constants)

    # --- records ----------------------------------------------------------------------------

    def structs(self) -> tuple[list[dict[str, Any]], dict[str, tuple[str, str]]]:
        """The records the commands need, each after the records it holds, and why the spec
        cannot say those it cannot (by name)."""
        done: dict[str, dict[str, Any]] = {}
        failed: dict[str, tuple[str, str]] = {}
        order: list[dict[str, Any]] = []

        def visit(record_type: ir.RecordType) -> bool:
            key = str(record_type)
            if key in done:
                return True
            if key in failed:
                return False
            record = self.records.by_type.get(record_type)
            needs = Needs(enumerators=self.enumerators)
            try:
                if record is None:
                    raise Unexpressible(
                        f"{record_type} is declared but not defined", "incomplete-record"
                    )
                spec = self.records.struct(record, needs)
            except Unexpressible as why:
                failed[key] = (why.code, f"{record_type}: {why}")
                where = record.type.location if record else record_type.location
                self.warn(where, f"{record_type} left out, and the commands that use it: {why}")
                return False
            if not all(visit(inner) for inner in needs.records):
                inner = next(str(r) for r in needs.records if str(r) in failed)
                failed[key] = failed[inner]
                return False
            if record.type.location.file != self.facts.header:
                spec["external"] = record.type.location.file
            self.merge(needs)
            done[key] = spec
            order.append(spec)
            return True

        for record_type in list(self.needs.records):
            visit(record_type)
        return order, failed

    # --- declarations -----------------------------------------------------------------------

    def declarations(self, structs: list[dict[str, Any]]) -> dict[str, Any]:
        undocumented = f"Undocumented in {self.facts.header}."
        found = _GUARD.search(self.text)
        guard = found.group(1) if found else None
        constants: list[dict[str, Any]] = []
        for define in self.facts.defines:
            if define.name in (getattr(self, "type_macro", None), guard):
                continue  # the spec's ioctl-type-name, or its include guard
            spelled = define.spelling.strip()
            if define.name in self.literal:
                continue  # a command
            if spelled == define.name or define.name in self.enumerators:
                continue  # `#define X X`: the enumerator X, said to be defined
            value: int | str = spelled if re.match(r"^\(?'[^'\\]'\)?$", spelled) else define.value
            constants.append({"name": define.name, "value": value,
                              "doc": from_comment(define.doc, undocumented)})  # fmt: skip
        known = {c["name"] for c in constants}
        for name, value in sorted(self.needs.constants.items()):
            if name not in known:
                constants.append({"name": name, "value": value, "doc": "Of an included header.",
                                  "external": True})  # fmt: skip
        return {
            "constants": constants,
            "typedefs": self.typedefs(undocumented),
            "enums": self.enums(undocumented),
        }

    def typedefs(self, undocumented: str) -> list[dict[str, Any]]:
        result = []
        for name, record in self.needs.record_typedefs.items():
            typedef: dict[str, Any] = {"name": name, "type": f"{record.tag} {record.name}",
                                       "doc": undocumented}  # fmt: skip
            if record.location.file != self.facts.header:
                typedef["external"] = True
            result.append(typedef)
        for name, record_name in self.needs.pointed_typedefs.items():
            if name in self.needs.record_typedefs:
                continue
            typedef = {"name": name, "type": record_name, "doc": undocumented}
            if not re.search(rf"\b{re.escape(name)}\s*;", self.text):
                typedef["external"] = True
            result.append(typedef)
        for name, base in self.needs.typedefs.items():
            typedef = {"name": name, "type": base, "doc": undocumented}
            if not re.search(rf"\btypedef\b[^;]*\b{re.escape(name)}\s*;", self.text):
                typedef["external"] = True
            result.append(typedef)
        return result

    def enums(self, undocumented: str) -> list[dict[str, Any]]:
        wanted = set(self.needs.enums)
        result = []
        for enum in self.facts.enums:
            name = enum.type.name
            mine = enum.type.location.file == self.facts.header
            if name is None or not (mine or name in wanted):
                continue
            values = _values(enum, undocumented)
            spec: dict[str, Any] = {"name": name, "doc": from_comment(enum.doc, undocumented),
                                    "values": values}  # fmt: skip
            if not mine:
                spec["external"] = enum.type.location.file
            result.append(spec)
        return result


def _values(enum: ir.Enum, undocumented: str) -> list[dict[str, Any]]:
    """An enum's values; one spelled as the name of an earlier value of its enum is a second name
    of it (`alias-of`, naming the value's first name, as a spec's alias may not name an alias).
    Any other repeated value stays a value of its own, which check reports."""
    first_of: dict[int, str] = {}  # each value's first name
    values: list[dict[str, Any]] = []
    for c in enum.constants:
        doc = from_comment(c.doc, undocumented)
        if (c.spelling or "").strip() in {v["name"] for v in values}:
            values.append({"name": c.name, "alias-of": first_of[c.value], "doc": doc})
        else:
            first_of.setdefault(c.value, c.name)
            values.append({"name": c.name, "value": c.value, "doc": doc})
    return values


def import_header(
    facts: ir.HeaderFacts,
    text: str,
    arches: list[str] | None = None,
    hints: hints_.Hints = hints_.NONE,
) -> Imported:
    """The spec of one header read by luogen.cheader; `text` is the header's source, `arches`
    those the header is installed for (None: not known, the spec says nothing of it), `hints`
    what import hints (luogen.importer.hints) say of its commands (SpecError when one does not
    fit the header)."""
    return _Importer(facts, text, arches, hints).run()
