"""Rules for members the kernel reads only under a flag (`when: FLAG`).

Without its flag, an input member must be zero (the kernel answers -EOPNOTSUPP otherwise) and an
inout member is an output only: the kernel ignores what userspace put there. Each change is
judged by what old binaries do on the new kernel: they set the member as the old spec said.
"""

from __future__ import annotations

from ..model.direction import Direction
from ..model.kinds import FlagStorage
from ..model.nodes import Member
from . import codes
from .record import Recorder, Renames


def _flag_of(member: Member, renames: Renames) -> tuple[str, int] | None:
    """The flag set (by its new name) and bit the member is read under, or None."""
    if member.when is None or member.when_in is None:
        return None
    holder = member.when_in.kind
    assert isinstance(holder, FlagStorage), "the builder ties `when` to a flags member"
    flag_set = holder.enum.name
    return renames.value_sets.get(flag_set, flag_set), member.when.number


def compare_when(record: Recorder, renames: Renames, path: str, old: Member, new: Member) -> None:
    """A member's `when` and what it became: added, removed or another flag."""
    before, after = _flag_of(old, renames), _flag_of(new, renames)
    if before == after:
        return  # the same bit of the same set (a renamed flag is reported on its own)
    was = old.when.name if old.when is not None else None
    now = new.when.name if new.when is not None else None
    inout = old.direction is Direction.INOUT
    if before is None:
        record.add(
            codes.MEMBER_WHEN_ADDED,
            path,
            "always read",
            f"read only with {now}",
            (
                f"the kernel now ignores what old binaries pass here unless they set {now}, "
                "which they do not know"
                if new.direction is Direction.INOUT
                else f"old binaries that set the member without {now} now get EOPNOTSUPP (it "
                "must be zero without the flag), and it is ignored where they meant it"
            ),
        )
    elif after is None and inout:
        record.add(
            codes.MEMBER_WHEN_REMOVED_INOUT,
            path,
            f"read only with {was}",
            "always read",
            f"old binaries leave the member as an output slot without {was} (anything may be "
            "there), which the kernel now reads as an input",
        )
    elif after is None:
        record.add(
            codes.MEMBER_WHEN_REMOVED,
            path,
            f"read only with {was}",
            "always read",
            f"old binaries pass zero without {was}, as the kernel required, so zero must mean "
            "what the member's absence meant; new binaries that set it without the flag get "
            "EOPNOTSUPP from old kernels",
        )
    else:
        record.add(
            codes.MEMBER_WHEN_CHANGED,
            path,
            f"read only with {was}",
            f"read only with {now}",
            f"old binaries set {was} to pass the member: the kernel now reads it only with "
            f"{now}" + ("" if inout else f", and refuses it non-zero without {now} (EOPNOTSUPP)"),
        )
