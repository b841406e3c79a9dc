"""Compare two models and classify every difference as breaking or compatible.

Identity rules (what "the same thing" is across the two sides):

- a command is the same command when its ioctl macro keeps its name; failing that, the command
  at the same number is taken as a rename of it;
- a member is the same member when its name is kept; failing that, a new member at the same offset
  with the same C type is taken as a rename (a reserved member: any type of its size there);
- constants, enums, enumerators and flags are matched by name, then by value (a rename).

A rename keeps the binary interface but breaks code that spells the old name: it is breaking, with
scope "api". Layout, numbers, minimum sizes and value checks are scope "abi"; prose is "doc".

The rules live by subject in interface.py, values.py, structs.py (with members.py, and for
members read under a flag and what a user pointer addresses conditions.py and pointers.py) and
commands.py; match.py pairs the items up and codes.py holds every code a finding can carry.
"""

from __future__ import annotations

from ..model.nodes import Model
from .commands import CommandRules, compare_ranges
from .finding import BREAKING, COMPATIBLE, Finding
from .interface import compare_interface
from .pointers import data_structs
from .record import Recorder, Renames
from .structs import StructRules
from .values import ENUMS, FLAGS, compare_value_sets


def compare(old: Model, new: Model) -> list[Finding]:
    """Every difference from `old` to `new`, breaking ones first (then in header order)."""
    record = Recorder()
    renames = Renames()
    compare_interface(record, old, new)
    renames.value_sets.update(compare_value_sets(record, ENUMS, old.enums, new.enums))
    renames.value_sets.update(compare_value_sets(record, FLAGS, old.flag_sets, new.flag_sets))
    structs = StructRules(record, renames)
    structs.compare_nested(old.structs, new.structs, data_structs(old) & data_structs(new))
    compare_ranges(record, old.ranges, new.ranges)
    CommandRules(record, structs).compare(old.ranges, new.ranges)
    order = {BREAKING: 0, COMPATIBLE: 1}
    return sorted(record.findings, key=lambda f: order[f.kind])
