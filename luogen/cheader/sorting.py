"""A header's own macros sorted out: ioctl commands and families (with their encoding's arguments
as written), other names for the encodings, integer constant candidates, and the rest."""

from __future__ import annotations

import re

from ..records import dataclass, field, replace
from .commands import Plan, plan
from .ir import EncoderAlias, IoctlCommand, Location, OtherMacro, Warn
from .macros import (
    ENCODER_HEADERS,
    EncoderName,
    Invocation,
    MacroDef,
    MacroTable,
    defined_names,
    join,
    strip_parens,
)
from .source import SourceFile

# Macro bodies no integer constant expression has: strings, statements, attributes.
_NOT_AN_EXPRESSION = re.compile(r'^L?"|^[{};#]$|^##$|^__attribute__$|^__attribute$')


@dataclass
class Macros:
    commands: list[tuple[Plan, str | None]] = field(default_factory=list)
    families: list[tuple[Plan, str | None]] = field(default_factory=list)
    aliases: list[EncoderAlias] = field(default_factory=list)
    constants: list[tuple[MacroDef, Location, str | None]] = field(default_factory=list)
    others: list[OtherMacro] = field(default_factory=list)
    unencoded: list[Plan] = field(default_factory=list)  # their encoding is not defined
    # Object-like ioctl macros that are no single encoding: (definition, location, doc, why).
    unresolved: list[tuple[MacroDef, Location, str | None, str]] = field(default_factory=list)

    def other(self, definition: MacroDef, location: Location, why: str) -> None:
        self.others.append(OtherMacro(definition.name, location, definition.params,
                                      join(definition.body), why))  # fmt: skip


def macro_doc(source: SourceFile, definition: MacroDef) -> str | None:
    """The comment directly above a #define, else the one after it on its last line."""
    above = source.above(definition.line)
    if above is not None:
        return above.cleaned
    if definition.body:
        line, column = source.position(definition.body[-1].end)
    else:
        line, column = definition.line, definition.column
    after = source.trailing(line, column)
    return after.cleaned if after is not None else None


def sort_macros(table: MacroTable, header: str, path: str, source: SourceFile,
                warn: Warn) -> Macros:  # fmt: skip
    """The macros `path` defines that are in force at its end, sorted out."""
    names = [w.name for w in defined_names(source.text)]
    names = [n for n in dict.fromkeys(names) if n in table and table.file_of(n) == path]
    encoder = header in ENCODER_HEADERS
    out = Macros()
    for name in names:
        definition = table.get(name)
        if definition is None:
            continue
        location = Location(header, definition.line, definition.column)
        doc = macro_doc(source, definition)
        if not encoder and table.reaches_encoding(name):
            _ioctl_macro(table, definition, location, doc, out, warn)
        else:
            _other_macro(definition, location, doc, out)
    _check_encodings(table, out)
    return out


def _ioctl_macro(table: MacroTable, definition: MacroDef, location: Location, doc: str | None,
                 out: Macros, warn: Warn) -> None:  # fmt: skip
    name = definition.name
    resolved = table.resolve(name)
    if isinstance(resolved, EncoderName):
        out.aliases.append(EncoderAlias(name, location, resolved.encoding))
        return
    if not isinstance(resolved, Invocation):
        if definition.params is None:  # perhaps a choice between commands: see selections()
            out.unresolved.append((definition, location, doc, resolved.why))
        else:
            warn(location, "unfollowed", f"{name} uses an ioctl encoding in a form the reader "
                 f"does not take apart ({resolved.why}): {join(definition.body)}")  # fmt: skip
        return
    body = strip_parens(definition.body)
    alias_of = body[0].text if len(body) == 1 and body[0].text in table else None
    found = plan(definition, location, resolved, alias_of)
    if isinstance(found, str):
        warn(location, "unfollowed", f"{name}: {found}")
    elif definition.params is None:
        out.commands.append((found, doc))
    else:
        out.families.append((found, doc))


def _other_macro(definition: MacroDef, location: Location, doc: str | None, out: Macros) -> None:
    if definition.params is not None:
        out.other(definition, location, "a function-like macro that makes no ioctl")
    elif not definition.body:
        out.other(definition, location, "defined empty")
    elif any(_NOT_AN_EXPRESSION.match(t.text) for t in definition.body):
        out.other(definition, location, "not an expression")
    else:
        out.constants.append((definition, location, doc))


def _check_encodings(table: MacroTable, out: Macros) -> None:
    """ioctl macros whose unit lacks their encoding (the header uses _IOR but includes no
    linux/ioctl.h) cannot be evaluated: they are set aside in `out.unencoded`."""
    missing = {p.encoding for p, _ in out.commands + out.families} - {
        e for e in ("_IO", "_IOR", "_IOW", "_IOWR", "_IOC") if e in table
    }
    out.unencoded = [p for p, _ in out.commands + out.families if p.encoding in missing]
    out.commands = [(p, d) for p, d in out.commands if p.encoding not in missing]
    out.families = [(p, d) for p, d in out.families if p.encoding not in missing]


def selections(out: Macros, commands: list[IoctlCommand], numbers: dict[str, int],
               warn: Warn) -> list[IoctlCommand]:  # fmt: skip
    """Commands that choose between others by a condition (linux/sockios.h:
    `(sizeof(struct timeval) == 8 ? SIOCGSTAMP_OLD : SIOCGSTAMP_NEW)`): clang evaluated the
    choice; the one command named in it with that number is what it stands for here."""
    by_name = {c.name: c for c in commands}
    chosen = []
    for definition, location, doc, why in out.unresolved:
        named = [by_name[t.text] for t in definition.body if t.identifier and t.text in by_name]
        number = numbers.get(definition.name)
        matches = {c.name: c for c in named if c.number == number}
        if number is not None and named and not matches:
            warn(location, "unfollowed", f"{definition.name} chooses between ioctl numbers by a "
                 f"condition ({join(definition.body)}); here it is {number:#x}, none of the "
                 "commands it names")  # fmt: skip
            continue
        if number is None or len(matches) != 1:
            warn(location, "unfollowed", f"{definition.name} uses an ioctl encoding in a form "
                 f"the reader does not take apart ({why}): {join(definition.body)}")  # fmt: skip
            continue
        target = next(iter(matches.values()))
        chosen.append(replace(target, name=definition.name, location=location,
                              via=(target.name, *target.via), alias_of=target.name,
                              selected_by=join(definition.body), doc=doc))  # fmt: skip
    return chosen
