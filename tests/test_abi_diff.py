"""`luogen abi-diff`: mutations of the real specs, each classified by luogen and by libabigail.

Every case mutates spec/liveupdate.yaml or spec/fwctl.yaml (the loaded YAML data) and states what
luogen must answer (classification and finding codes) and what libabigail's `abidiff` answers
for the same pair of headers, compiled into shared objects with debug info (one exported function
per struct and per named enum, so abidiff sees every type). Where the two disagree, `note` says
why luogen is right; the test asserts both answers, so a recorded disagreement stays true.

abidiff verdicts (its exit status bits): "none" (0), "change" (4: ABI change),
"incompatible" (12: incompatible ABI change, e.g. a function - so a struct - removed).

Every comparison in this module, the command line's too, is checked against the catalogue of
codes (luogen/abi/codes.py): each finding's code is catalogued, with the catalogue's kind and
scope; and every catalogued code is reached by a case.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import strict_ci
import yaml

from luogen import abi, cli, spec
from luogen.abi import codes
from luogen.abi.match import Key, match
from luogen.model import Model, build
from luogen.render import render

ROOT = Path(__file__).resolve().parent.parent
LU, FW, CL = "liveupdate", "fwctl", "classic"  # CL: the classic golden case's spec
# Golden cases' specs, for what the real specs do not have: flag-dependent members, counted
# arrays, driver data, members whose direction a selector chooses and IOVA bitmaps.
WH, CA, DD, DB, EK = "when", "counted_arrays", "driver_data", "direction_by", "every_kind"
DE = "data_entries"
GOLDEN = (CL, WH, CA, DD, DB, EK, DE)
Data = dict[str, Any]
Mutation = Callable[[Data], object]


@cache
def _original(name: str) -> str:
    path = ROOT / "spec" / f"{name}.yaml"
    if name in GOLDEN:
        path = ROOT / "tests" / "golden" / name / "spec.yaml"
    return path.read_text(encoding="utf-8")


def _data(name: str) -> Data:
    loaded: Data = yaml.safe_load(_original(name))
    return loaded


def _model(data: Data, path: str) -> Model:
    loaded = spec.parse(path, yaml.safe_dump(data, sort_keys=False).encode())
    spec.validate(loaded)
    return build(loaded)


# --- mutation helpers: each edits the loaded YAML in place -------------------------------------


def _range(d: Data, name: str) -> Data:
    found: Data = next(r for r in d["ranges"] if r["name"] == name)
    return found


def _cmd(d: Data, rng: str, name: str) -> Data:
    found: Data = next(c for c in _range(d, rng)["commands"] if c["name"] == name)
    return found


def _mem(d: Data, rng: str, cmd: str, name: str) -> Data:
    found: Data = next(m for m in _cmd(d, rng, cmd)["members"] if m["name"] == name)
    return found


def _struct(d: Data, name: str) -> Data:
    found: Data = next(s for s in d["structs"] if s["name"] == name)
    return found


def _classic(d: Data, ioctl: str) -> Data:
    found: Data = next(c for r in d["ranges"] for c in r["commands"] if c.get("ioctl") == ioctl)
    return found


def _enum(d: Data, name: str) -> Data:
    found: Data = next(e for e in d["enums"] if e["name"] == name)
    return found


def _value(d: Data, enum: str, name: str) -> Data:
    found: Data = next(v for v in _enum(d, enum)["values"] if v["name"] == name)
    return found


def member(name: str, type_: str, **extra: Any) -> Data:
    return {"name": name, "type": type_, "doc": f"The {name}.", **extra}


def _seq(*steps: Mutation) -> Mutation:
    def run(d: Data) -> None:
        for step in steps:
            step(d)

    return run


def _add_command(rng: str, name: str, *members: Data) -> Mutation:
    return lambda d: _range(d, rng)["commands"].append(
        {"name": name, "doc": f"The {name} command.", "members": list(members)}
    )


def _retire(rng: str, name: str) -> Mutation:
    def run(d: Data) -> None:
        commands = _range(d, rng)["commands"]
        i = next(i for i, c in enumerate(commands) if c["name"] == name)
        commands[i] = {"name": name, "retired": "Replaced; do not use."}

    return run


def _remove_command(rng: str, name: str) -> Mutation:
    def run(d: Data) -> None:
        _range(d, rng)["commands"].remove(_cmd(d, rng, name))

    return run


def _set_member(rng: str, cmd: str, which: str, **changes: Any) -> Mutation:
    def run(d: Data) -> None:
        m = _mem(d, rng, cmd, which)
        for key, value in changes.items():
            if value is None:
                m.pop(key, None)
            else:
                m[key] = value

    return run


_BYTES = {"union-names": [{"name": "bytes", "doc": "Bytes to map."}]}


def _members(rng: str, cmd: str, edit: Callable[[list[Data]], object]) -> Mutation:
    return lambda d: edit(_cmd(d, rng, cmd)["members"])


def _flags(*bits: tuple[str, int], name: str = "fwctl_rpc_flags") -> Mutation:
    """Give fwctl a flag set (fwctl has none) with these bits."""

    def run(d: Data) -> None:
        values = [{"name": n, "bit": b, "doc": f"Flag {n}."} for n, b in bits]
        d["flags"] = [{"name": name, "doc": "RPC flags.", "values": values}]
        d["flags"][0]["bits"] = d["flags"][0].pop("values")

    return run


def _flag_alias(target: str) -> Mutation:
    """fwctl's flag set of two bits (`_flags`), with a second name of `target` after them."""
    two = _flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1))
    alias = {"name": "FWCTL_RPC_F_ANY", "alias-of": target, "doc": "Another name."}
    return _seq(two, lambda d: d["flags"][0]["bits"].append(alias))


def _nested(*members: Data, name: str = "liveupdate_extent") -> Mutation:
    """Give liveupdate a nested struct (it has none), held by an optional member appended to
    preserve_fd."""

    def run(d: Data) -> None:
        d["structs"] = [{"name": name, "doc": "A range of bytes.", "members": list(members)}]
        holder = member("extent", "struct", struct=name, optional=True, since="6.20")
        _cmd(d, "session", "preserve_fd")["members"].append(holder)

    return run


def _add_retired(rng: str, name: str) -> Mutation:
    """Reserve the range's next number without ever using it."""
    return lambda d: _range(d, rng)["commands"].append({"name": name, "retired": "Never used."})


def _remove_session_range(d: Data) -> None:
    d["ranges"].remove(_range(d, "session"))
    for command in _range(d, "device")["commands"]:
        for m in command["members"]:
            m.pop("opens", None)  # the fds no longer open a session object


def _command_members(d: Data) -> list[Data]:
    return [m for r in d["ranges"] for c in r["commands"] for m in c.get("members", [])]


def _constant_spelled_out(d: Data) -> None:
    """Remove liveupdate's only constant, the arrays keeping its value as a number."""
    d.pop("constants")
    for m in _command_members(d):
        if m.get("array"):
            m["array"] = 64


def _rename_enum(old: str, new: str) -> Mutation:
    """Rename an enum and the members that hold it."""

    def run(d: Data) -> None:
        _enum(d, old)["name"] = new
        for m in _command_members(d):
            if m.get("enum") == old:
                m["enum"] = new

    return run


def _noop(d: Data) -> None:
    pass


def _alias(target: str) -> Mutation:
    """Give fwctl's device type a second name of `target`, after the values."""
    return lambda d: _enum(d, "fwctl_device_type")["values"].append(
        {"name": "FWCTL_DEVICE_TYPE_ANY", "alias-of": target, "doc": "Another name."}
    )


def _elements(cmd: str, which: str, **changes: Any) -> Mutation:
    """Edit the `elements` of a counted array of the counted_arrays case (None: drop a key)."""

    def run(d: Data) -> None:
        elements = _mem(d, "device", cmd, which)["elements"]
        for key, value in changes.items():
            if value is None:
                elements.pop(key, None)
            else:
                elements[key] = value

    return run


def _data_type(value: str, **changes: Any) -> Mutation:
    """Edit the choice of one selector value of the driver_data case's table_alloc."""

    def run(d: Data) -> None:
        types = _mem(d, "device", "table_alloc", "data_uptr")["data"]["types"]
        choice = next(t for t in types if t["value"] == value)
        for key, given in changes.items():
            if given is None:
                choice.pop(key, None)
            else:
                choice[key] = given

    return run


def _add_data_type(d: Data) -> None:
    """A new selector value of the driver_data case, choosing a new struct."""
    _enum(d, "pager_table_type")["values"].append({"name": "PAGER_TABLE_AMD", "doc": "AMD."})
    d["structs"].append(
        {"name": "pager_amd_table", "doc": "An AMD table.", "members": [member("gcr3", "u64")]}
    )
    types = _mem(d, "device", "table_alloc", "data_uptr")["data"]["types"]
    types.append({"value": "PAGER_TABLE_AMD", "struct": "pager_amd_table"})


def _rename_when_flag(d: Data) -> None:
    """Rename the flag a member of the when case is read under, keeping its bit."""
    d["flags"][0]["bits"][1]["name"] = "WHEN_MAP_CACHED"
    _mem(d, "ioas", "map", "cache_mode")["when"] = "WHEN_MAP_CACHED"


_WHEN_NOTE = "what the kernel reads under which flag is kernel behaviour: invisible to abidiff"
_BY_NOTE = (
    "what the kernel reads under which selector value is kernel behaviour: invisible to abidiff"
)


def _direction_by(cmd: str, which: str, **cases: str) -> Mutation:
    """Give member `which` of command `cmd` of the direction_by case the directions `cases`
    (value name: direction) over its golden ones."""

    def run(d: Data) -> None:
        _mem(d, "ctx", cmd, which)["dir-by"].update(cases)

    return run


def _plain_direction(cmd: str, which: str, direction: str) -> Mutation:
    """Member `which` of command `cmd` of the direction_by case as `dir: direction` alone."""
    return _set_member("ctx", cmd, which, **{"dir-by": None, "dir": direction})


def _data_dir(direction: str) -> Mutation:
    """Set the direction of the driver_data case's table_alloc data."""

    def run(d: Data) -> None:
        _mem(d, "device", "table_alloc", "data_uptr")["data"]["dir"] = direction

    return run


def _entries(**changes: Any) -> Mutation:
    """Edit the `data` of the data_entries case's flush (None: drop a key)."""

    def run(d: Data) -> None:
        data = _mem(d, "device", "flush", "data_uptr")["data"]
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value

    return run


def _entries_type(value: str, **changes: Any) -> Mutation:
    """Edit the choice of one selector value of the data_entries case's flush."""

    def run(d: Data) -> None:
        types = _mem(d, "device", "flush", "data_uptr")["data"]["types"]
        choice = next(t for t in types if t["value"] == value)
        for key, given in changes.items():
            if given is None:
                choice.pop(key, None)
            else:
                choice[key] = given

    return run


def _handled_count(d: Data) -> None:
    """The data_entries case's reserved member as a second inout count, counting the entries."""
    _mem(d, "device", "flush", "__reserved").update(
        name="handled", reserved=False, dir="inout", doc="The requests handled."
    )
    _mem(d, "device", "flush", "data_uptr")["data"]["count"] = "handled"


_POINTER_NOTE = (
    "what a pointer addresses, and the kernel's checks of it, are invisible to abidiff: it "
    "sees one __u64"
)


# --- the cases ---------------------------------------------------------------------------------

B, C, SAME = "breaking", "compatible", "identical"


@dataclass(frozen=True)
class Case:
    name: str
    spec: str
    mutation: Mutation  # applied to NEW (a copy of the original spec)
    expect: str  # luogen's verdict: breaking / compatible / identical
    codes: frozenset[str]  # every finding code luogen reports
    abidiff: str  # abidiff's observed verdict: none / change / incompatible
    note: str = ""  # why luogen is right where the two disagree
    old: Mutation = _noop  # applied to OLD only (a different starting point)


def case(
    name: str,
    spec_name: str,
    mutation: Mutation,
    expect: str,
    codes: str,
    abidiff: str,
    note: str = "",
    old: Mutation = _noop,
) -> Case:
    return Case(name, spec_name, mutation, expect, frozenset(codes.split()), abidiff, note, old)


_opt_flags = member("flags", "u64", optional=True, since="6.20")
_mand_flags = member("flags", "u64")
_extra = member("extra", "u64", optional=True, since="6.20")
_extra_mandatory = member("extra", "u64")

# fmt: off
CASES: tuple[Case, ...] = (
    # name, spec, mutation, luogen verdict, luogen codes, abidiff verdict, note on disagreement
    case("identical", LU, _noop, SAME, "", "none"),
    case("doc-only", LU,
         _set_member("session", "preserve_fd", "token", doc="Any 64-bit token."),
         C, "doc-changed", "none"),
    case("brief-only", LU,
         lambda d: _cmd(d, "session", "preserve_fd").update(brief="preserve an fd"),
         C, "doc-changed", "none"),
    case("doc-prefix-only", LU,
         _set_member("session", "preserve_fd", "token", **{"doc-prefix": False}),
         C, "doc-changed", "none"),
    case("command-appended", LU,
         _add_command("session", "get_state", member("state", "u32", dir="out")),
         C, "command-added", "change",
         "abidiff's exit status 4 also means 'function added' (the TU's user of the new "
         "struct); a command at an unused number is an addition"),
    case("range-added", LU,
         lambda d: d["ranges"].append({
             "name": "extra", "doc": "Extra commands.", "base": 0x80,
             "commands": [{"name": "ping", "doc": "Ping.",
                           "members": [member("cookie", "u32")]}]}),
         C, "range-added command-added", "change",
         "as for command-appended: abidiff's status 4 here is the added function of a new struct"),
    case("optional-member-appended", LU,
         _members("session", "preserve_fd", lambda ms: ms.append(_opt_flags)),
         C, "member-appended struct-grown", "change",
         "abidiff reports the size change; the kernel's size header zero-fills old binaries' "
         "shorter struct and min_size is unchanged, so nothing breaks"),
    case("mandatory-member-appended", LU,
         _members("session", "preserve_fd", lambda ms: ms.append(_mand_flags)),
         B, "member-appended-mandatory struct-grown min-size-grown", "change",
         "abidiff sees the same size change as in the optional case: it cannot see min_size, "
         "which old binaries now fail (EINVAL)"),
    case("command-retired", LU, _retire("session", "finish"),
         B, "command-retired", "incompatible"),
    case("last-command-removed", LU, _remove_command("session", "get_name"),
         B, "command-removed", "incompatible"),
    case("middle-command-removed", LU, _remove_command("session", "retrieve_fd"),
         B, "command-removed command-renumbered", "incompatible"),
    case("commands-swapped", LU,
         lambda d: _range(d, "session")["commands"].insert(
             0, _range(d, "session")["commands"].pop(1)),
         B, "command-renumbered", "none",
         "abidiff sees identical structs: _IO() numbers are macros, invisible to DWARF"),
    case("ioctl-type-changed", LU, lambda d: d.update({"ioctl-type": 0xBB}),
         B, "ioctl-type-changed", "none",
         "the type byte is a macro: every ioctl number changes, abidiff sees no type change"),
    case("member-type-changed", LU, _set_member("session", "preserve_fd", "token", type="s64"),
         B, "member-type-changed", "change"),
    case("array-length-changed", LU,
         lambda d: d["constants"][0].update({"value": 128}),
         B, "constant-value-changed member-size-changed struct-grown min-size-grown", "change"),
    case("member-inserted", LU,
         _members("session", "preserve_fd", lambda ms: ms.insert(1, _mand_flags)),
         B, "member-inserted member-offset-changed struct-grown min-size-grown", "change"),
    case("member-removed", LU,
         _members("session", "get_name", lambda ms: ms.pop(0)),
         B, "member-removed member-offset-changed struct-shrunk min-size-shrunk", "change"),
    case("member-renamed", LU, _set_member("session", "preserve_fd", "token", name="cookie"),
         B, "member-renamed", "none",
         "abidiff filters data-member renames (same layout); code spelling .token no longer "
         "compiles: an API break (scope api)"),
    case("struct-renamed", LU,
         lambda d: _cmd(d, "session", "preserve_fd").update({"struct": "liveupdate_preserve"}),
         B, "struct-renamed", "incompatible",
         "abidiff sees a function taking a renamed type; luogen: same layout and number, an API "
         "(source) break only"),
    case("ioctl-macro-renamed", LU,
         lambda d: _cmd(d, "session", "finish").update({"ioctl": "LIVEUPDATE_SESSION_DONE"}),
         B, "command-renamed", "none",
         "ioctl macros are invisible to abidiff; code spelling the old macro no longer compiles"),
    case("enumerator-renamed", LU,
         lambda d: _cmd(d, "session", "finish").update({"cmd": "LIVEUPDATE_CMD_SESSION_DONE"}),
         B, "enumerator-renamed", "none",
         "command enumerators live in an anonymous enum no function uses: invisible to abidiff"),
    case("constant-renamed", LU,
         lambda d: d["constants"][0].update({"name": "LIVEUPDATE_NAME_LEN"}) or [
             m.update({"array": "LIVEUPDATE_NAME_LEN"})
             for r in d["ranges"] for c in r["commands"] for m in c.get("members", [])
             if m.get("array")],
         B, "constant-renamed", "none",
         "#define constants are invisible to abidiff"),
    case("constant-added", LU,
         lambda d: d["constants"].append(
             {"name": "LIVEUPDATE_MAX_SESSIONS", "value": 16, "doc": "Most sessions."}),
         C, "constant-added", "none"),
    case("reserved-check-dropped", LU,
         _set_member("session", "finish", "reserved", reserved=None),
         B, "reserved-check-dropped", "none",
         "must-be-zero is kernel behaviour, not a type: abidiff cannot see it"),
    case("reserved-member-used", LU,
         _set_member("session", "finish", "reserved", name="flags", reserved=None),
         C, "reserved-member-used", "none"),
    case("direction-changed", LU, _set_member("session", "preserve_fd", "fd", dir="out"),
         B, "member-direction-changed", "none",
         "direction is a contract between kernel and userspace, invisible to abidiff"),
    case("member-made-optional", LU,
         _set_member("session", "get_name", "name", optional=True),
         C, "min-size-shrunk", "none"),
    case("retired-number-reused", LU, _noop,
         B, "retired-number-reused", "change",
         "abidiff sees only a struct (function) added; the number was retired, so binaries of "
         "the old command reach the new one with the wrong struct",
         old=_retire("session", "finish")),
    case("enum-value-added", FW,
         lambda d: _enum(d, "fwctl_device_type")["values"].insert(
             3, {"name": "FWCTL_DEVICE_TYPE_NEW", "value": 3, "doc": "New."}),
         C, "enum-value-added", "none"),
    case("enum-value-changed", FW, lambda d: _value(d, "fwctl_device_type",
                                                    "FWCTL_DEVICE_TYPE_PDS").update({"value": 5}),
         B, "enum-value-changed", "change"),
    case("enum-value-reused", FW,
         _seq(lambda d: _value(d, "fwctl_rpc_scope", "FWCTL_RPC_DEBUG_WRITE_FULL").update(
                  {"value": 4}),
              lambda d: _enum(d, "fwctl_rpc_scope")["values"].append(
                  {"name": "FWCTL_RPC_DEBUG_WRITE_SOME", "value": 3, "doc": "Some."})),
         B, "enum-value-changed enum-value-reused", "change"),
    case("enum-value-removed", FW,
         lambda d: _enum(d, "fwctl_device_type")["values"].pop(1),
         B, "enum-value-removed", "change"),
    case("enumerator-value-renamed", FW,
         lambda d: _value(d, "fwctl_device_type", "FWCTL_DEVICE_TYPE_CXL").update(
             {"name": "FWCTL_DEVICE_TYPE_CXL2"}),
         B, "enum-value-renamed", "change"),
    case("enum-alias-added", FW, _alias("FWCTL_DEVICE_TYPE_CXL"),
         C, "enum-alias-added", "none", "an enumerator's second name is no new type"),
    case("enum-alias-removed", FW, _noop,
         B, "enum-alias-removed", "none",
         "an enumerator gone at a value another keeps: the enum's values are unchanged",
         old=_alias("FWCTL_DEVICE_TYPE_CXL")),
    case("enum-alias-retargeted", FW, _alias("FWCTL_DEVICE_TYPE_MLX5"),
         B, "enum-alias-retargeted", "none",
         "only code that spells the name passes another value: abidiff sees the same values",
         old=_alias("FWCTL_DEVICE_TYPE_CXL")),
    case("enum-added", FW,
         lambda d: d["enums"].append({"name": "fwctl_new", "doc": "New.",
                                      "values": [{"name": "FWCTL_NEW_A", "doc": "A."}]}),
         C, "enum-added", "change",
         "abidiff's status 4 here is the added function of the new enum: an addition"),
    case("flag-added", FW, _flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1), ("FWCTL_RPC_F_C", 2)),
         C, "flag-added", "none",
         old=_flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1))),
    case("flag-bit-reused", FW, _flags(("FWCTL_RPC_F_A", 2), ("FWCTL_RPC_F_B", 1),
                                       ("FWCTL_RPC_F_C", 0)),
         B, "flag-bit-changed flag-bit-reused", "change",
         old=_flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1))),
    case("flag-alias-added", FW, _flag_alias("FWCTL_RPC_F_A"),
         C, "flag-alias-added", "none", "a flag's second name is no new bit",
         old=_flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1))),
    case("flag-alias-removed", FW, _flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1)),
         B, "flag-alias-removed", "none",
         "a flag gone at a bit another keeps: the set's bits are unchanged",
         old=_flag_alias("FWCTL_RPC_F_A")),
    case("flag-alias-retargeted", FW, _flag_alias("FWCTL_RPC_F_B"),
         B, "flag-alias-retargeted", "none",
         "only code that spells the name sets another bit: abidiff sees the same values",
         old=_flag_alias("FWCTL_RPC_F_A")),
    case("output-enum-dropped", FW,
         _set_member("device", "info", "out_device_type", enum=None),
         C, "member-meaning-changed", "none"),
    case("min-size-grown", FW, _members("device", "rpc", lambda ms: ms.append(_extra_mandatory)),
         B, "min-size-grown doc-changed", "none",
         "min_size is the kernel's offsetofend() of the last mandatory member: not a type",
         old=_members("device", "rpc", lambda ms: ms.append(_extra))),
    case("struct-shrunk", FW, _members("device", "rpc", lambda ms: ms.pop()),
         B, "member-removed struct-shrunk min-size-shrunk", "change"),
    case("members-swapped", FW,
         _members("device", "rpc", lambda ms: ms.insert(3, ms.pop(4))),
         B, "member-offset-changed", "change"),
    case("header-moved", FW, lambda d: d.update({"header": "linux/fwctl.h"}),
         B, "header-moved", "none", "the #include path is not part of the binary"),
    case("type-macro-renamed", FW, lambda d: d.update({"ioctl-type-name": "FWCTL_IOC_TYPE"}),
         B, "macro-renamed", "none", "macros are invisible to abidiff"),
    case("member-now-reserved", LU,
         _set_member("session", "preserve_fd", "token", reserved=True),
         B, "member-now-reserved", "none",
         "must-be-zero is a kernel contract, invisible to abidiff"),
    case("buffer-unpaired", FW,
         _set_member("device", "info", "out_device_data", buffer=None),
         B, "buffer-changed pointer-undescribed", "none",
         "the bindings' signatures are invisible to abidiff"),
    case("buffer-paired", FW, _noop,
         B, "buffer-changed pointer-described", "none",
         "the bindings' signatures are invisible to abidiff; the bytes are the same",
         old=_set_member("device", "info", "out_device_data", buffer=None)),
    # Cases for the codes no case above reaches (every catalogued code is reached by one).
    case("errnos-changed", LU,
         lambda d: _cmd(d, "session", "finish").setdefault("errnos", []).append(
             {"name": "EBUSY", "doc": "Files are still being retrieved."}),
         C, "errnos-changed", "none"),
    case("constant-removed", LU, _constant_spelled_out,
         B, "constant-removed", "none", "#define constants are invisible to abidiff"),
    case("enum-removed", FW, _noop,
         B, "enum-removed", "incompatible",
         old=lambda d: d["enums"].append({"name": "fwctl_new", "doc": "New.",
                                          "values": [{"name": "FWCTL_NEW_A", "doc": "A."}]})),
    case("enum-renamed", FW, _rename_enum("fwctl_device_type", "fwctl_device_kind"),
         B, "enum-renamed", "incompatible"),
    case("flags-added", FW, _flags(("FWCTL_RPC_F_A", 0)),
         C, "flags-added", "change",
         "abidiff's status 4 here is the added function of the new enum: an addition"),
    case("flags-removed", FW, _noop,
         B, "flags-removed", "incompatible", old=_flags(("FWCTL_RPC_F_A", 0))),
    case("flags-renamed", FW, _flags(("FWCTL_RPC_F_A", 0), name="fwctl_rpc_options"),
         B, "flags-renamed", "incompatible", old=_flags(("FWCTL_RPC_F_A", 0))),
    case("flag-renamed", FW, _flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_X", 1)),
         B, "flag-renamed", "change", old=_flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1))),
    case("flag-removed", FW, _flags(("FWCTL_RPC_F_A", 0)),
         B, "flag-removed", "change", old=_flags(("FWCTL_RPC_F_A", 0), ("FWCTL_RPC_F_B", 1))),
    case("struct-added", LU, _nested(member("start", "u64")),
         C, "struct-added member-appended struct-grown", "change",
         "as for optional-member-appended: the kernel zero-fills old binaries' shorter struct"),
    case("struct-removed", LU, _noop,
         B, "struct-removed member-removed struct-shrunk", "incompatible",
         old=_nested(member("start", "u64"))),
    case("nested-struct-renamed", LU, _nested(member("start", "u64"), name="liveupdate_span"),
         B, "struct-renamed", "incompatible", old=_nested(member("start", "u64"))),
    case("nested-member-appended", LU, _nested(member("start", "u64"), member("length", "u64")),
         B, "member-appended-nested struct-size-changed struct-grown", "change",
         old=_nested(member("start", "u64"))),
    case("range-removed", LU, _remove_session_range,
         B, "range-removed command-removed", "incompatible"),
    case("range-base-changed", LU, lambda d: _range(d, "session").update({"base": 0x50}),
         B, "range-base-changed command-renumbered", "none",
         "_IO() numbers are macros, invisible to DWARF"),
    case("command-number-reused", LU,
         _seq(_remove_command("session", "preserve_fd"),
              _add_command("session", "get_state", member("state", "u32", dir="out"))),
         B, "command-removed command-renumbered command-number-reused", "incompatible"),
    case("number-reserved", LU, _add_retired("session", "spare"),
         C, "number-reserved", "none"),
    case("retired-number-released", LU, _noop,
         B, "retired-number-released", "none",
         "a retired number is only an enumerator in an enum no function uses: invisible to "
         "abidiff, yet binaries of the retired command would reach whatever takes the number",
         old=_add_retired("session", "spare")),
    # Members read only under a flag (`when`): what old binaries set without the flag.
    case("when-added", WH, _set_member("ioas", "map", "length", when="WHEN_MAP_CACHE"),
         B, "member-when-added", "none", _WHEN_NOTE),
    case("when-added-inout", WH, _noop,
         B, "member-when-added", "none", _WHEN_NOTE,
         old=_set_member("ioas", "map", "iova", when=None)),
    case("when-removed", WH, _set_member("ioas", "map", "cache_mode", when=None),
         C, "member-when-removed", "none"),
    case("when-removed-inout", WH, _set_member("ioas", "map", "iova", when=None),
         B, "member-when-removed-inout", "none", _WHEN_NOTE),
    case("when-changed", WH, _set_member("ioas", "map", "cache_mode", when="WHEN_MAP_FIXED_IOVA"),
         B, "member-when-changed", "none", _WHEN_NOTE),
    case("when-flag-renamed", WH, _rename_when_flag,
         B, "flag-renamed", "change"),
    # A member's other name, in an anonymous union with it: the same bytes.
    case("union-name-added", WH, _set_member("ioas", "map", "length", **_BYTES),
         C, "union-name-added", "none"),
    case("union-name-removed", WH, _set_member("ioas", "map", "iova", **{"union-names": None}),
         B, "union-name-removed", "change"),
    # Members whose direction a selector chooses (`dir-by`): what old binaries do under a value.
    case("direction-by-added-inout", DB, _noop,
         B, "member-direction-by-narrowed binding-methods-changed", "none", _BY_NOTE,
         old=_plain_direction("option", "val64", "inout")),
    case("direction-by-narrowed", DB, _noop,
         C, "member-direction-by-narrowed", "none",
         old=_direction_by("vfio_ioas", "ioas_id", DIRECTION_BY_VFIO_IOAS_GET="inout")),
    case("direction-by-changed", DB,
         _direction_by("option", "val64", DIRECTION_BY_OPTION_OP_GET="in"),
         B, "member-direction-by-changed", "none", _BY_NOTE),
    case("direction-by-added-input", DB, _noop,
         B, "member-direction-by-changed binding-methods-changed", "none", _BY_NOTE,
         old=_plain_direction("cache", "mode", "in")),
    case("direction-by-removed", DB, _plain_direction("option", "val64", "inout"),
         B, "member-direction-by-changed binding-methods-changed", "none", _BY_NOTE),
    # What a user pointer addresses: the same __aligned_u64, another copy in the kernel.
    case("pointer-described-checked", CA, _noop,
         B, "pointer-described-checked buffer-changed", "none", _POINTER_NOTE,
         old=_set_member("device", "allow_ranges", "ranges", elements=None)),
    case("pointer-checks-dropped", CA,
         _set_member("device", "allow_ranges", "ranges", elements=None),
         B, "pointer-checks-dropped buffer-changed", "none", _POINTER_NOTE),
    case("array-to-buffer", CA,
         _set_member("device", "sample", "values", elements=None,
                     buffer={"length": "num_values", "dir": "out"}),
         B, "pointer-checks-dropped buffer-changed", "none", _POINTER_NOTE),
    case("pointer-redescribed", DD,
         _set_member("device", "table_alloc", "data_uptr", data=None,
                     elements={"type": "u64", "count": "data_len", "dir": "in", "max": 8}),
         B, "pointer-redescribed buffer-changed", "none", _POINTER_NOTE),
    case("buffer-to-driver-data", DD, _noop,
         B, "pointer-described-checked buffer-changed", "none", _POINTER_NOTE,
         old=_set_member("device", "table_alloc", "data_uptr", data=None,
                         buffer={"length": "data_len", "dir": "in"})),
    case("pointer-direction-changed", CA,
         _elements("configure", "counters", dir="in"),
         B, "pointer-direction-changed buffer-changed", "none", _POINTER_NOTE),
    case("pointer-companion-changed", CA,
         _elements("allow_ranges", "ranges", count="id"),
         B, "pointer-companion-changed buffer-changed", "none", _POINTER_NOTE),
    case("count-of-a-new-array", CA, _noop,
         B, "member-meaning-changed member-appended-mandatory struct-grown min-size-grown",
         "change", old=_members("device", "sample", lambda ms: ms.pop())),
    case("array-element-changed", CA, _elements("sample", "values", type="s64"),
         B, "array-element-changed buffer-changed", "none", _POINTER_NOTE),
    case("array-max-lowered", CA, _elements("sample", "values", max=512),
         B, "array-max-lowered", "none", _POINTER_NOTE),
    case("array-max-raised", CA, _elements("sample", "values", max=2048),
         C, "array-max-raised", "none"),
    case("array-query-added", CA,
         _seq(_elements("sample", "values", query=True, max=None),
              _set_member("device", "sample", "num_values", dir="inout")),
         B, "array-query-added member-direction-changed buffer-changed", "none", _POINTER_NOTE),
    case("array-query-removed", CA,
         _seq(_elements("ranges", "ranges", query=None, max=64),
              _set_member("device", "ranges", "num_ranges", dir="in")),
         B, "array-query-removed member-direction-changed buffer-changed", "none",
         _POINTER_NOTE),
    case("pointer-to-bitmap", EK, _noop,
         B, "buffer-changed pointer-described", "none",
         "the bindings' signatures are invisible to abidiff; the kernel copies nothing",
         old=_set_member("object", "dirty", "bitmap", bitmap=None)),
    case("bitmap-to-pointer", EK, _set_member("object", "dirty", "bitmap", bitmap=None),
         B, "buffer-changed pointer-undescribed", "none",
         "the bindings' signatures are invisible to abidiff; the kernel copies nothing"),
    case("bitmap-page-size-changed", EK,
         _set_member("object", "dirty", "bitmap", bitmap={"length": "length", "page-size": "iova"}),
         B, "buffer-changed", "none",
         "the bindings' signatures are invisible to abidiff; the kernel copies nothing"),
    case("pointer-to-driver-data", DD, _noop,
         B, "pointer-described-checked buffer-changed", "none", _POINTER_NOTE,
         old=_set_member("device", "table_alloc", "data_uptr", data=None)),
    case("data-type-added", DD, _add_data_type,
         C, "enum-value-added struct-added data-type-added", "change",
         "abidiff's status 4 here is the added function of the new struct: an addition"),
    case("data-type-removed", DD,
         _seq(_data_type("PAGER_TABLE_ARM", struct=None, min=None),
              _data_type("PAGER_TABLE_NONE", struct="pager_arm_table", min="ste")),
         B, "data-type-removed data-type-changed", "none", _POINTER_NOTE),
    case("data-type-changed", DD,
         _seq(_data_type("PAGER_TABLE_VTD", struct="pager_arm_table", min="ste"),
              _data_type("PAGER_TABLE_ARM", struct="pager_vtd_table", min=None)),
         B, "data-type-changed", "none", _POINTER_NOTE),
    case("data-min-raised", DD, _data_type("PAGER_TABLE_ARM", min=None),
         B, "data-min-raised", "none", _POINTER_NOTE),
    case("data-struct-grown", DD,
         lambda d: _struct(d, "pager_arm_table")["members"].append(member("cd_hi", "u64")),
         C, "data-member-appended", "change",
         "abidiff sees a struct grow; only driver data with a minimum (min: ste) holds it, and "
         "the kernel zero-extends old binaries' shorter data"),
    case("data-struct-grown-whole", DD,
         lambda d: _struct(d, "pager_vtd_table")["members"].append(member("pasid", "u64")),
         B, "data-member-appended data-min-raised", "change"),
    case("data-min-lowered", DD, _noop,
         C, "data-min-lowered", "none", old=_data_type("PAGER_TABLE_ARM", min=None)),
    # Data the kernel writes back: its bytes go both ways now, and the bindings take it so.
    case("data-written-back", DD, _data_dir("inout"),
         B, "pointer-direction-changed buffer-changed", "none", _POINTER_NOTE),
    case("data-no-longer-written-back", DD, _noop,
         B, "pointer-direction-changed buffer-changed", "none", _POINTER_NOTE,
         old=_data_dir("inout")),
    case("data-written-back-min-raised", DD,
         _seq(_data_dir("inout"), _data_type("PAGER_TABLE_ARM", min=None)),
         B, "data-min-raised", "none", _POINTER_NOTE, old=_data_dir("inout")),
    # Arrays of driver data: the count is a companion, the maximum an array's.
    case("data-to-entries", DE, _noop,
         B, "pointer-redescribed buffer-changed", "none", _POINTER_NOTE,
         old=_entries(count=None, max=None)),
    case("entries-to-data", DE, _entries(count=None, max=None),
         B, "pointer-redescribed buffer-changed", "none", _POINTER_NOTE),
    case("entries-count-changed", DE, _handled_count,
         B, "pointer-companion-changed buffer-changed reserved-member-used doc-changed", "none",
         _POINTER_NOTE),
    case("entries-max-lowered", DE, _entries(max=32),
         B, "array-max-lowered", "none", _POINTER_NOTE),
    case("entries-max-raised", DE, _entries(max=None),
         C, "array-max-raised", "none"),
    case("entries-min-raised", DE, _entries_type("TLBFLUSH_DATA_ASID", min=None),
         B, "data-min-raised", "none", _POINTER_NOTE),
    # Classic commands: the number carries the direction and the argument's size.
    case("classic-struct-grown", CL,
         lambda d: _struct(d, "cdemo_info")["members"].append(member("extra", "__u32")),
         B, "member-inserted struct-size-changed classic-number-changed", "change",
         "abidiff sees the struct grow on i386; the numbers that change with it are macros"),
    case("classic-direction-changed", CL,
         lambda d: _classic(d, "CDEMO_GET_COUNT").update(encoding="_IOWR"),
         B, "classic-number-changed", "none",
         "the direction is in the number, a macro: invisible to DWARF"),
    case("classic-argument-retyped", CL,
         lambda d: _classic(d, "CDEMO_GET_COUNT").update(argument={"type": "unsigned int"}),
         C, "classic-argument-retyped", "none"),
    case("classic-argument-resized", CL,
         lambda d: _classic(d, "CDEMO_GET_COUNT").update(argument={"type": "__u64"}),
         B, "classic-number-changed", "none",
         "the argument's size is in the number, a macro: invisible to DWARF"),
)
# fmt: on

ABIDIFF = shutil.which("abidiff")
GCC = shutil.which("gcc")


def _sides(c: Case) -> tuple[Data, Data]:
    old = _data(c.spec)
    new = copy.deepcopy(old)
    c.old(old)
    c.mutation(new)
    return old, new


def _diff(c: Case) -> list[abi.Finding]:
    old, new = _sides(c)
    return abi.compare(_model(old, f"old/{c.spec}.yaml"), _model(new, f"new/{c.spec}.yaml"))


def test_enough_cases() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.spec for c in CASES} == {LU, FW, *GOLDEN}


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_luogen_classifies(c: Case) -> None:
    findings = _diff(c)
    codes = {f.code for f in findings}
    summary = [(f.kind, f.code, f.path, f.old, f.new) for f in findings]
    assert codes == c.codes, summary
    verdict = (
        "breaking"
        if any(f.kind == "breaking" for f in findings)
        else ("compatible" if findings else "identical")
    )
    assert verdict == c.expect, summary
    for f in findings:
        assert f.message and "\n" not in f.message
        assert f.path


# --- abidiff -----------------------------------------------------------------------------------


def _tu(model: Model, header: Path) -> str:
    lines = [f'#include "{header}"', ""]
    for struct in model.all_structs:
        lines.append(f"void luogen_use_{struct.name}(struct {struct.name} *p) {{ (void)p; }}")
    for name in [e.name for e in model.enums] + [f.name for f in model.flag_sets]:
        lines.append(f"void luogen_use_enum_{name}(enum {name} v) {{ (void)v; }}")
    return "\n".join(lines) + "\n"


def _shared_object(model: Model, work: Path) -> Path:
    """The model's header compiled into a .so with debug info; cached by content."""
    header_rel, text = next(iter(render(model, ("uapi",)).items()))
    key = hashlib.sha256(text.encode()).hexdigest()[:16]
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:  # two cases may produce the same header: compile it once
        return _compile(model, work / key, header_rel, text)


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _compile(model: Model, folder: Path, header_rel: str, text: str) -> Path:
    so = folder / "use.so"
    if so.exists():
        return so
    folder.mkdir(parents=True, exist_ok=True)
    header = folder / Path(header_rel).name
    header.write_text(text, encoding="utf-8")
    source = folder / "use.c"
    source.write_text(_tu(model, header), encoding="utf-8")
    subprocess.run(
        [GCC or "gcc", "-g", "-O0", "-shared", "-fPIC", "-o", str(so), str(source)],
        check=True,
        capture_output=True,
    )
    return so


def _abidiff_verdict(c: Case, work: Path) -> str:
    old, new = _sides(c)
    a = _shared_object(_model(old, "old.yaml"), work)
    b = _shared_object(_model(new, "new.yaml"), work)
    done = subprocess.run([ABIDIFF or "abidiff", str(a), str(b)], capture_output=True, text=True)
    if done.returncode & 3:
        raise AssertionError(f"abidiff failed ({done.returncode}): {done.stderr}")
    if done.returncode & 8:
        return "incompatible"
    return "change" if done.returncode & 4 else "none"


@pytest.fixture(scope="module")
def abidiff_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if ABIDIFF is None or GCC is None:
        pytest.skip(strict_ci.missing("abidiff (abigail-tools) or gcc"))
    work = tmp_path_factory.mktemp("abidiff")
    started = time.perf_counter()
    # The unmutated specs first, so the parallel runs share their compiled objects.
    for name in (LU, FW):
        _shared_object(_model(_data(name), "old.yaml"), work)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        verdicts = dict(
            zip(
                (c.name for c in CASES),
                pool.map(lambda c: _abidiff_verdict(c, work), CASES),
                strict=True,
            )
        )
    elapsed = time.perf_counter() - started
    print(f"\nabidiff: {len(CASES)} cases compiled and compared in {elapsed:.1f} s")
    return verdicts


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_abidiff_verdict_is_recorded(c: Case, abidiff_verdicts: dict[str, str]) -> None:
    assert abidiff_verdicts[c.name] == c.abidiff
    # abidiff's exit status cannot tell a harmful layout change (4) from an added function (4):
    # read "change" or "incompatible" as breaking and "none" as not; anything else needs a note.
    agree = (c.expect == B) == (c.abidiff != "none")
    if not agree:
        assert c.note, f"{c.name}: luogen says {c.expect}, abidiff {c.abidiff}: add a note"


# --- the command line ----------------------------------------------------------------------------


def _write(path: Path, data: Data) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_cli_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "old.yaml", _data(LU))
    grown = _data(LU)
    _cmd(grown, "session", "preserve_fd")["members"].append(_opt_flags)
    new = _write(tmp_path / "new.yaml", grown)
    assert cli.main(["abi-diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "compatible" in out and "member-appended" in out

    _remove_command("session", "finish")(grown)
    _write(new, grown)
    assert cli.main(["abi-diff", str(old), str(new), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "luogen-abi-diff" and document["version"] == 1
    assert document["verdict"] == "breaking"
    assert set(document["findings"][0]) == {
        "kind",
        "code",
        "scope",
        "path",
        "old",
        "new",
        "message",
    }
    assert document["findings"][0]["kind"] == "breaking"
    codes = {f["code"] for f in document["findings"]}
    assert {"command-removed", "command-renumbered", "member-appended"} <= codes


def test_human_report_groups_breaking_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path / "old.yaml", _data(FW))
    new_data = _data(FW)
    _members("device", "rpc", lambda ms: ms.append(_extra))(new_data)
    _members("device", "rpc", lambda ms: ms.insert(3, ms.pop(4)))(new_data)
    new = _write(tmp_path / "new.yaml", new_data)
    assert cli.main(["abi-diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert out.index("Breaking changes:") < out.index("Compatible changes:")
    assert "member-offset-changed  struct fwctl_rpc.in: 16 -> 24" in out


def test_spec_error_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "good.yaml", _data(FW))
    bad = tmp_path / "bad.yaml"
    bad.write_text(_original(FW).replace("ioctl-type: 0x9A", "ioctl-type: 0x9AA"), encoding="utf-8")
    assert cli.main(["abi-diff", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "error:" in err and "Traceback" not in err
    assert cli.main(["abi-diff", str(tmp_path / "missing.yaml"), str(good)]) == 2
    assert "cannot read" in capsys.readouterr().err


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason=strict_ci.missing("git"))
def test_revision_sides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    target = repo / "spec" / "liveupdate.yaml"
    target.write_text(_original(LU), encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    changed = _data(LU)
    _retire("session", "finish")(changed)
    _write(target, changed)
    monkeypatch.chdir(repo)

    assert cli.main(["abi-diff", "main:spec/liveupdate.yaml", "spec/liveupdate.yaml"]) == 1
    assert "command-retired" in capsys.readouterr().out
    assert cli.main(["abi-diff", "HEAD:spec/liveupdate.yaml", "HEAD:spec/liveupdate.yaml"]) == 0
    capsys.readouterr()

    assert cli.main(["abi-diff", "nosuchrev:spec/liveupdate.yaml", "spec/liveupdate.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("luogen: error: cannot read 'nosuchrev:spec/liveupdate.yaml'")
    assert "Traceback" not in err
    assert cli.main(["abi-diff", "main:spec/missing.yaml", "spec/liveupdate.yaml"]) == 2
    assert "cannot read 'main:spec/missing.yaml'" in capsys.readouterr().err

    # A spec error on the git side is located at REV:path:line:col.
    target.write_text(_original(LU).replace("ioctl-type: 0xBA", "ioctl-type: 0x1BA"), "utf-8")
    _git(repo, "commit", "-q", "-am", "bad")
    assert cli.main(["abi-diff", "HEAD:spec/liveupdate.yaml", "main~1:spec/liveupdate.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("HEAD:spec/liveupdate.yaml:") and "ioctl-type" in err


# --- the catalogue of codes ----------------------------------------------------------------------

# Catalogued codes that no mutation of the two specs can produce, each with the reason. Empty:
# every code has a case above; a code added to the catalogue needs a case or a line here.
UNREACHED_CODES: frozenset[str] = frozenset()


@pytest.fixture(autouse=True)
def _findings_are_catalogued(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every comparison in these tests (the CLI's included: it calls `abi.compare`) yields only
    catalogued codes, each with a kind and scope the catalogue gives it."""
    compare = abi.compare

    def checked(old: Model, new: Model) -> list[abi.Finding]:
        findings = compare(old, new)
        for f in findings:
            code = codes.BY_NAME.get(f.code)
            assert code is not None, f"{f.code} is not in the catalogue"
            assert f.kind in code.kinds and f.scope == code.scope, f
        return findings

    monkeypatch.setattr(abi, "compare", checked)
    yield


def test_every_code_has_a_case() -> None:
    catalogued = {code.name for code in codes.CATALOGUE}
    reached = frozenset().union(*(c.codes for c in CASES))
    assert reached <= catalogued, f"cases expect uncatalogued codes: {reached - catalogued}"
    assert not UNREACHED_CODES & reached, "these have a case now: unlist them"
    assert catalogued - reached == UNREACHED_CODES, "a code has no case (or is listed wrongly)"


def test_codes_are_spelled_only_in_the_catalogue() -> None:
    """No rule module spells a code (a finding takes its code from the catalogue)."""
    names = {code.name for code in codes.CATALOGUE}
    for path in sorted((ROOT / "luogen" / "abi").glob("*.py")):
        if path.name == "codes.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                assert node.value not in names, f"{path.name}:{node.lineno} spells {node.value}"


def test_list_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["abi-diff", "--list-codes"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split() == ["CODE", "KIND", "SCOPE", "DESCRIPTION"]
    # Every code once, in the catalogue's order, with its kind(s), scope and description.
    assert [row.split()[0] for row in rows] == [code.name for code in codes.CATALOGUE]
    for row, code in zip(rows, codes.CATALOGUE, strict=True):
        assert row.split()[1:3] == ["/".join(code.kinds), code.scope]
        assert row.endswith(f"  {code.description}")


def test_sides_are_required_without_list_codes(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, missing in ((["abi-diff"], "OLD, NEW"), (["abi-diff", "old.yaml"], "NEW")):
        with pytest.raises(SystemExit) as stopped:
            cli.main(argv)
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: luogen abi-diff")
        assert err.rstrip().endswith(f"error: the following arguments are required: {missing}")


# --- the rename matcher --------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    name: str
    value: int = 0
    size: int = 4
    reserved: bool = False


_BY_VALUE = Key[Item](lambda i: i.value)
_RESERVED_BY_SIZE = Key[Item](lambda i: i.size, applies=lambda i: i.reserved)


def _names(pairs: list[tuple[Item, Item]]) -> list[tuple[str, str]]:
    return [(old.name, new.name) for old, new in pairs]


def test_match_pairs_names_first_in_old_order() -> None:
    found = match(
        [Item("a", 1), Item("b", 2)], [Item("b", 1), Item("a", 2)], lambda i: i.name, [_BY_VALUE]
    )
    assert _names(found.pairs) == [("a", "a"), ("b", "b")]
    assert (found.renamed, found.removed, found.added) == ([], [], ())


def test_match_finds_a_rename_by_key() -> None:
    found = match([Item("a", 1)], [Item("z", 1)], lambda i: i.name, [_BY_VALUE])
    assert _names(found.renamed) == [("a", "z")]
    assert found.each_old[0].renamed and not found.pairs


def test_match_takes_renames_only_among_new_names() -> None:
    # "b" keeps its name, so it is no rename of "a" although it now has a's value.
    found = match([Item("a", 1), Item("b", 2)], [Item("b", 1)], lambda i: i.name, [_BY_VALUE])
    assert [i.name for i in found.removed] == ["a"]
    assert _names(found.pairs) == [("b", "b")]


def test_match_takes_each_new_item_once_first_first() -> None:
    old = [Item("a", 1), Item("b", 1), Item("c", 1)]
    new = [Item("x", 1), Item("y", 1)]
    found = match(old, new, lambda i: i.name, [_BY_VALUE])
    assert _names(found.renamed) == [("a", "x"), ("b", "y")]
    assert [i.name for i in found.removed] == ["c"]


def test_match_tries_every_key_for_one_item_before_the_next() -> None:
    old = [Item("r", value=1, size=8, reserved=True), Item("s", value=2)]
    new = [Item("t", value=2, size=8)]
    found = match(old, new, lambda i: i.name, [_BY_VALUE, _RESERVED_BY_SIZE])
    # r has no value match, but takes t by size before s's turn comes.
    assert _names(found.renamed) == [("r", "t")]
    assert [i.name for i in found.removed] == ["s"]


def test_match_key_applies_only_to_the_old_items_it_accepts() -> None:
    old = [Item("p", value=1, size=8), Item("q", value=2, size=4, reserved=True)]
    new = [Item("x", value=9, size=8), Item("y", value=9, size=4)]
    found = match(old, new, lambda i: i.name, [_BY_VALUE, _RESERVED_BY_SIZE])
    assert _names(found.renamed) == [("q", "y")]  # p is not reserved: its size is no key
    assert [i.name for i in found.removed] == ["p"]
    assert [i.name for i in found.added] == ["x"]


def test_match_reports_the_fate_of_every_old_item_in_order() -> None:
    old = [Item("gone", 7), Item("kept"), Item("was", 3)]
    new = [Item("new", 5), Item("now", 3), Item("kept")]
    found = match(old, new, lambda i: i.name, [_BY_VALUE])
    fates = [(c.old.name, c.new.name if c.new else None, c.renamed) for c in found.each_old]
    assert fates == [("gone", None, False), ("kept", "kept", False), ("was", "now", True)]
    assert [i.name for i in found.added] == ["new"]  # in the new side's order
