"""Import hints: what a header cannot say about its commands, kept beside the specs so that
`luogen import` stays reproducible (`--check` holds the committed specs to what it writes).

A hints file is `<output>/hints/<spec name>.yaml`::

    header: linux/loop.h
    commands:
      LOOP_CONFIGURE:
        why: drivers/block/loop.c copies a struct loop_config from arg
        argument: {type: struct, struct: loop_config, dir: in}
      UI_SET_EVBIT:
        why: drivers/input/misc/uinput.c reads the bit number from arg itself
        by-value: true

`argument` gives a command the header's number carries none of (a literal number, `_IO`): a spec
argument as the spec language writes it; a record it names comes into the spec with the records
it holds. `by-value` marks the argument, the header's or the hint's, as passed in `arg` itself;
`dir` says who writes the argument where the driver does otherwise than the header's encoding
(RTC_PARAM_GET is `_IOW`, and the kernel writes the result back), `transfers` the type the driver
reads or writes where the number encodes another (BLKGETSIZE64 encodes `size_t`, and the kernel
writes a `__u64`); `returns` (`{type: fd}`, with
the range it `opens`) says the ioctl's int result is a new fd.
Every hint says `why`; import writes it as a comment above the command in the spec. A hint that
does not fit the header is a located error of the hints file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..cheader import ir
from ..errors import Diagnostic, Location, SpecError, suggest
from ..records import dataclass
from ..spec import Spec, parse

_KEYS = ("why", "argument", "by-value", "dir", "transfers", "returns")
_ARGUMENT_KEYS = ("type", "struct", "typedef", "enum", "to", "array", "dir", "by-value")
_RECORDS = ("struct", "union")


@dataclass(frozen=True)
class Hint:
    ioctl: str
    why: str
    argument: dict[str, Any] | None
    by_value: bool
    where: Location  # the hint's key in the hints file
    returns: dict[str, Any] | None = None
    direction: str | None = None  # who writes the argument, where the driver and header differ
    transfers: str | None = None  # the type the driver transfers, where the number encodes another


@dataclass(frozen=True)
class Hints:
    path: str
    by_ioctl: dict[str, Hint]

    def record_names(self) -> dict[str, tuple[str, Location]]:
        """The records the hints' arguments name: name -> (tag, where the name is written)."""
        return {
            h.argument["struct"]: (h.argument["type"], h.where)
            for h in self.by_ioctl.values()
            if h.argument is not None and h.argument.get("type") in _RECORDS
        }


NONE = Hints("", {})


def path_for(output: Path, spec_name: str) -> Path:
    return output / "hints" / f"{spec_name}.yaml"


def read(path: Path, header: str) -> Hints:
    """The hints of `path` for `header` (NONE when there is no such file)."""
    if not path.is_file():
        return NONE
    spec = parse(str(path), path.read_bytes())
    problems: list[Diagnostic] = []

    def error(at: tuple[str | int, ...], message: str, key: bool = False) -> None:
        where = spec.key_at(at) if key else spec.at(at)
        problems.append(Diagnostic(where, "error", message))

    data = spec.data
    if not isinstance(data, dict) or not isinstance(data.get("commands"), dict):
        error((), "a hints file is a mapping with 'header' and 'commands' (ioctl macro -> hint)")
        raise SpecError(problems)
    for key in data:
        if key not in ("header", "commands"):
            error((key,), f"unknown key '{key}': a hints file has 'header' and 'commands'", True)
    if data.get("header") != header:
        error(("header",), f"'header' must be '{header}', the header these hints are for")
    hints = {}
    for ioctl, raw in data["commands"].items():
        hint = _hint(spec, str(ioctl), raw, error)
        if hint is not None:
            hints[hint.ioctl] = hint
    if problems:
        raise SpecError(problems)
    return Hints(str(path), hints)


def _hint(spec: Spec, ioctl: str, raw: Any, error: Any) -> Hint | None:
    at = ("commands", ioctl)
    if not isinstance(raw, dict):
        error(at, f"the hint of {ioctl} must be a mapping with 'why'")
        return None
    ok = True
    for key in raw:
        if key not in _KEYS:
            error((*at, key), f"unknown key '{key}'{suggest(str(key), _KEYS)}: a hint has "
                  f"{', '.join(_KEYS)}", True)  # fmt: skip
            ok = False
    why = raw.get("why")
    if not isinstance(why, str) or not why.strip():
        error(at, f"the hint of {ioctl} must say 'why' (where the driver reads its argument so)",
              True)  # fmt: skip
        ok = False
    argument = raw.get("argument")
    if argument is not None and not _argument(spec, (*at, "argument"), argument, error):
        ok = False
    by_value = raw.get("by-value", False)
    if not isinstance(by_value, bool):
        error((*at, "by-value"), "'by-value' must be true or false")
        ok = False
    direction = raw.get("dir")
    if direction is not None and direction not in ("in", "out", "inout"):
        error((*at, "dir"), "'dir' must be in, out or inout: who writes the argument")
        ok = False
    transfers = raw.get("transfers")
    if transfers is not None and not (isinstance(transfers, str) and transfers.strip()):
        error((*at, "transfers"), "'transfers' must be a type: what the driver reads or writes")
        ok = False
    returns = raw.get("returns")
    if returns is not None and not (isinstance(returns, dict) and returns.get("type") == "fd"):
        error((*at, "returns"), "'returns' must be a mapping such as {type: fd, opens: RANGE}")
        ok = False
    if not {"argument", "by-value", "dir", "transfers", "returns"} & set(raw):
        error(at, f"the hint of {ioctl} says nothing: give 'argument', 'by-value', 'dir', "
              "'transfers' or 'returns'", True)  # fmt: skip
        ok = False
    if not ok:
        return None
    why = " ".join(str(why).split())
    return Hint(ioctl, why, argument, by_value, spec.key_at(at), returns, direction, transfers)


def _argument(spec: Spec, at: tuple[str | int, ...], raw: Any, error: Any) -> bool:
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        error(at, "'argument' must be a spec argument, a mapping with 'type'")
        return False
    for key in raw:
        if key not in _ARGUMENT_KEYS:
            error((*at, key), f"unknown argument key '{key}'{suggest(str(key), _ARGUMENT_KEYS)}",
                  True)  # fmt: skip
            return False
    if raw["type"] in _RECORDS and not isinstance(raw.get("struct"), str):
        error(at, f"an argument of type '{raw['type']}' names its record: give 'struct'")
        return False
    return True


def apply(hint: Hint, command: dict[str, Any], error: Any) -> None:
    """`command` (a spec command import made) as the hint says; `error(hint, message)` when the
    hint does not fit it."""
    has = "argument" in command
    if hint.argument is not None:
        if has:
            error(hint, f"{hint.ioctl}: the header gives its argument already; a hint may only "
                  "say 'by-value', 'dir' or 'transfers' of it")  # fmt: skip
            return
        command["argument"] = dict(hint.argument)
    elif not has:
        what = "to pass by value" if hint.by_value else "to say more of"
        error(hint, f"{hint.ioctl} has no argument {what}: give its 'argument'")
        return
    if hint.direction is not None:
        command["argument"]["dir"] = hint.direction
    if hint.transfers is not None:
        command["argument"]["transfers"] = hint.transfers
    if hint.by_value:
        command["argument"]["by-value"] = True
    if hint.returns is not None:
        command["returns"] = dict(hint.returns)


def apply_all(
    hints: Hints,
    commands: list[tuple[dict[str, Any], set[str]]],
    records: dict[ir.RecordType, ir.Record],
    header: str,
) -> list[ir.RecordType]:
    """Each (command, the records it needs) of `commands` as `hints` say, in place; the records
    the hints' arguments name (SpecError, located in the hints file, when a hint does not fit
    `header`)."""
    problems: list[Diagnostic] = []

    def error(hint: Hint, message: str) -> None:
        problems.append(Diagnostic(hint.where, "error", message))

    by_ioctl = {spec["ioctl"]: (spec, needed) for spec, needed in commands}
    for hint in hints.by_ioctl.values():
        if hint.ioctl not in by_ioctl:
            error(hint, f"{hint.ioctl} is no command import read from {header}"
                  f"{suggest(hint.ioctl, by_ioctl)}")  # fmt: skip
        else:
            apply(hint, by_ioctl[hint.ioctl][0], error)
    by_name: dict[tuple[str, str | None], ir.RecordType] = {(r.tag, r.name): r for r in records}
    found = []
    for name, (tag, where) in hints.record_names().items():
        record = by_name.get((tag, name))
        if record is None:
            known = [n for t, n in by_name if t == tag and n]
            problems.append(Diagnostic(where, "error", f"{tag} {name} is no record of {header}"
                                       f"{suggest(name, known)}"))  # fmt: skip
            continue
        found.append(record)
        for hint in hints.by_ioctl.values():
            if (hint.argument or {}).get("struct") == name and hint.ioctl in by_ioctl:
                by_ioctl[hint.ioctl][1].add(str(record))
    if problems:
        raise SpecError(problems)
    return found
