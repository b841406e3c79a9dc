"""Rules for the interface as a whole: its header, ioctl type, prose, errnos and constants."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.nodes import Constant, Errno, Model
from . import codes
from .finding import as_hex
from .match import Key, match
from .record import Recorder


def compare_interface(record: Recorder, old: Model, new: Model) -> None:
    if old.header != new.header:
        record.add(
            codes.HEADER_MOVED,
            "header",
            old.header,
            new.header,
            f"API break: code including <{old.header}> no longer finds the header",
        )
    if old.ioctl_type != new.ioctl_type:
        record.add(
            codes.IOCTL_TYPE_CHANGED,
            new.ioctl_type_name,
            as_hex(old.ioctl_type),
            as_hex(new.ioctl_type),
            "every ioctl number changes: binaries built against the old header reach no "
            "command at all (ENOTTY)",
        )
    if old.ioctl_type_name != new.ioctl_type_name:
        record.renamed(
            codes.MACRO_RENAMED,
            new.ioctl_type_name,
            old.ioctl_type_name,
            new.ioctl_type_name,
            "ioctl type macro",
        )
    record.doc("overview", old.overview, new.overview, "overview")
    record.doc("title", old.title, new.title, "title")
    compare_errnos(record, "errnos", old.errnos, new.errnos)
    compare_constants(record, old.constants, new.constants)


def compare_errnos(record: Recorder, path: str, old: Sequence[Errno], new: Sequence[Errno]) -> None:
    """The errnos documented for the interface (`path` "errnos") or for one command."""
    before = {e.name: e.doc.text.strip() for e in old}
    after = {e.name: e.doc.text.strip() for e in new}
    if before == after:
        return
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    detail = ", ".join([*(f"+{e}" for e in added), *(f"-{e}" for e in removed)])
    record.add(
        codes.ERRNOS_CHANGED,
        path,
        None,
        None,
        f"the documented errnos changed ({detail or 'their descriptions'}); the dispatch "
        "contract itself is the same",
    )


def compare_constants(record: Recorder, old: Sequence[Constant], new: Sequence[Constant]) -> None:
    """Constants are the same by name, then by value (a rename)."""
    matching = match(old, new, lambda c: c.name, [Key(lambda c: c.value)])
    for before, after in matching.pairs:  # every kept constant first, then what was lost
        if before.value != after.value:
            record.add(
                codes.CONSTANT_VALUE_CHANGED,
                before.name,
                before.value,
                after.value,
                "binaries keep the old value compiled in while the kernel uses the new one",
            )
        record.doc(before.name, before.doc, after.doc, "constant's description")
    for each in matching.each_old:
        if each.new is None:
            record.add(
                codes.CONSTANT_REMOVED,
                each.old.name,
                each.old.value,
                None,
                "API break: code using the constant no longer compiles",
            )
        elif each.renamed:
            name = each.new.name
            record.renamed(codes.CONSTANT_RENAMED, name, each.old.name, name, "constant")
    for added in matching.added:
        record.add(
            codes.CONSTANT_ADDED,
            added.name,
            None,
            added.value,
            "a new constant; nothing existing moves",
        )
