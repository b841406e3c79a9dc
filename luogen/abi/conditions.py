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


Cases = dict[int, Direction | None]


def _cases(member: Member, renames: Renames) -> tuple[str | None, Cases, dict[int, str]]:
    """The enum (by its new name) whose values choose the member's direction (None: no
    `dir-by`), the direction under each value, and each value's name."""
    by = member.direction_by
    if by is None:
        return None, {}, {}
    enum = renames.value_sets.get(by.enum.name, by.enum.name)
    return enum, {v.value: d for v, d in by.cases}, {v.value: v.name for v, _ in by.cases}


def _spelled(member: Member) -> str:
    by = member.direction_by
    if by is None:
        return str(member.direction)
    cases = ", ".join(f"{v.name} {d or 'none'}" for v, d in by.cases)
    return f"by {by.selector.name}: {cases}"


def _harm(value: str, old: Direction | None, new: Direction | None) -> str:
    """What old binaries meet under `value` when the member goes `new` instead of `old`."""
    reads = [d is not None and d.kernel_reads for d in (old, new)]
    writes = [d is not None and d.kernel_writes for d in (old, new)]
    if reads[1] and not reads[0]:
        return f"with {value} the kernel now reads the member, which old binaries leave unset"
    if reads[0] and not reads[1]:
        return f"with {value} the kernel no longer reads what old binaries pass in the member"
    if writes[0] and not writes[1]:
        return (
            f"with {value} the kernel no longer writes the member: old binaries read a stale value"
        )
    return f"with {value} the kernel now writes the member, which old binaries treat as input only"


def compare_direction_by(
    record: Recorder, renames: Renames, path: str, old: Member, new: Member
) -> None:
    """A member's directions under each selector value (`dir-by`), one side's plain direction
    standing for every value. Old binaries choose the value and treat the member as the old
    spec said under it. Where it was inout (passed, and read back), the kernel reading or
    writing it under fewer values leaves them their input or gives them the output, and the
    generated checks apply under fewer values: compatible. Any other change is not."""
    (old_enum, before, old_names), (new_enum, after, new_names) = (
        _cases(old, renames),
        _cases(new, renames),
    )
    if old_enum is None and new_enum is None:
        return
    spelled = _spelled(old), _spelled(new)
    if old_enum is not None and new_enum is not None and old_enum != new_enum:
        record.add(
            codes.MEMBER_DIRECTION_BY_CHANGED,
            path,
            *spelled,
            f"another member's values now choose the direction (enum {new_enum}, not "
            f"{old_enum}): old binaries choose it with values the kernel no longer reads so",
        )
        return
    names = old_names or new_names
    values = [v for v in names if (v in before or old_enum is None)]
    values = [v for v in values if v in after or new_enum is None]
    harms, narrowed = [], False
    for value in values:
        was, now = before.get(value, old.direction), after.get(value, new.direction)
        if was == now:
            continue
        if was is Direction.INOUT:
            narrowed = True
        else:
            harms.append(_harm(names[value], was, now))
    if harms:
        record.add(codes.MEMBER_DIRECTION_BY_CHANGED, path, *spelled, "; ".join(harms))
    elif narrowed:
        record.add(
            codes.MEMBER_DIRECTION_BY_NARROWED,
            path,
            *spelled,
            "old binaries pass the inout member and read it back under every value: where "
            "the kernel now only reads it they read back their input, where it only writes "
            "it they get its output; its checks now apply only under the values that read it",
        )
