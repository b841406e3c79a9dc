"""Rules for one member and what it became: its type, meaning, offset, direction and checks."""

from __future__ import annotations

from typing import NamedTuple

from ..model.arch import ARCHES, HOST_REFERENCE
from ..model.direction import Direction
from ..model.nodes import Doc, Member, Struct
from ..records import dataclass
from . import codes
from .conditions import compare_direction_by, compare_when
from .pointers import compare_pointer, describes, plain_companion
from .record import Recorder, Renames


class Placed(NamedTuple):
    """A member where its struct puts it."""

    member: Member
    offset: int  # on the reference architecture
    position: int  # in its struct: where to read its offset on every architecture


def placed(struct: Struct) -> list[Placed]:
    return [Placed(m, offset, i) for i, (m, offset) in enumerate(struct.fields)]


def size(member: Member) -> int:
    """The member's size on the reference architecture."""
    return member.kind.size(HOST_REFERENCE)


@dataclass(frozen=True)
class MemberChange:
    """One old member and the new member it became, with their structs."""

    path: str  # the new member's: `struct fwctl_rpc.scope`
    old_struct: Struct
    new_struct: Struct
    old: Placed
    new: Placed
    renamed: bool  # found under another name (or a reserved member given a name)


def compare_member(record: Recorder, renames: Renames, change: MemberChange) -> None:
    before, after = change.old.member, change.new.member
    _compare_type(record, renames, change, before, after)
    if describes(before.kind) and describes(after.kind):
        old, new = (before, change.old_struct), (after, change.new_struct)
        compare_pointer(record, renames, change.path, old, new)
    _compare_offsets(record, change)
    _compare_direction(record, change)
    if before.kind.binding_form != after.kind.binding_form:
        record.add(
            codes.BUFFER_CHANGED,
            change.path,
            before.kind.binding_form,
            after.kind.binding_form,
            "the safe bindings take a different argument for this pointer (a byte buffer, "
            "or a raw address and a length): code that calls them must change",
        )
    _compare_reserved(record, change)
    compare_when(record, renames, change.path, before, after)
    _compare_union_names(record, change.path, before, after)
    compare_direction_by(record, renames, change.path, before, after)
    if before.implicit:
        return  # the size header's doc names the struct: a rename is reported once
    said = (before.doc_prefix, before.doc_notes) != (after.doc_prefix, after.doc_notes)
    if before.doc.text.strip() != after.doc.text.strip() or before.since != after.since or said:
        # A new `since`, or what luogen adds to the doc, counts as a change of the description.
        doc = after.doc if before.since == after.since and not said else Doc("")
        record.doc(change.path, before.doc, doc, "member's description")


def _compare_union_names(record: Recorder, path: str, before: Member, after: Member) -> None:
    """The member's other names: one gone breaks the source that names it; one more only adds."""
    old = {other.name for other in before.union_names}
    new = {other.name for other in after.union_names}
    for name in sorted(old - new):
        record.add(
            codes.UNION_NAME_REMOVED,
            path,
            name,
            None,
            f"code that names the member '{name}' no longer compiles (the bytes are the same)",
        )
    for name in sorted(new - old):
        record.add(codes.UNION_NAME_ADDED, path, None, name, "the same bytes under another name")


def _compare_type(
    record: Recorder, renames: Renames, change: MemberChange, before: Member, after: Member
) -> None:
    old, new = before.kind, after.kind
    path, structs = change.path, (change.old_struct, change.new_struct)
    if old.shape == new.shape and (describes(old) and describes(new)):
        pass  # what the pointer addresses: pointers.py judges it
    elif old.shape == new.shape and plain_companion(old, new, structs):
        pass  # the count or length of a pointer's memory: judged with the pointer
    elif old.shape == new.shape:
        _compare_meaning(record, renames, path, before, after)
    elif renames.shape(old.shape) == new.shape:
        pass  # the nested struct's rename is reported on its own
    elif size(before) != size(after):
        record.add(
            codes.MEMBER_SIZE_CHANGED,
            path,
            f"{old.c_resolved} ({size(before)} bytes)",
            f"{new.c_resolved} ({size(after)} bytes)",
            "binaries built against the old header read and write the wrong bytes",
        )
    else:
        record.add(
            codes.MEMBER_TYPE_CHANGED,
            path,
            old.c_resolved,
            new.c_resolved,
            "same size, different C type: values are interpreted differently "
            "(sign, element count or struct)",
        )


def _compare_meaning(
    record: Recorder, renames: Renames, path: str, before: Member, after: Member
) -> None:
    meaning = after.kind.meaning
    if renames.meaning(before.kind.meaning) == meaning:
        return
    reads = after.direction is None or after.direction.kernel_reads
    record.add(
        codes.MEMBER_MEANING_CHANGED,
        path,
        before.kind.meaning,
        meaning,
        (
            "the kernel now checks and interprets the value differently: what old "
            "binaries pass may be rejected or misread"
            if reads
            else "an output member's documented meaning changed; old binaries "
            "still read the same C type"
        ),
        on_output=not reads,
    )


def _compare_offsets(record: Recorder, change: MemberChange) -> None:
    """Offsets on every architecture: a member can move on one alone (a u64's alignment)."""
    old_layout, new_layout = change.old_struct.layout, change.new_struct.layout
    i, j = change.old.position, change.new.position
    differ = [arch for arch in ARCHES if old_layout(arch).offsets[i] != new_layout(arch).offsets[j]]
    if not differ:
        return
    if HOST_REFERENCE in differ:
        arch = HOST_REFERENCE
        where = "" if len(differ) == len(ARCHES) else f" on {', '.join(a.name for a in differ)}"
        before: int | str = old_layout(arch).offsets[i]
        after: int | str = new_layout(arch).offsets[j]
    else:
        arch = differ[0]
        where = f" on {', '.join(a.name for a in differ)}"
        before = f"{arch.name}:{old_layout(arch).offsets[i]}"
        after = f"{arch.name}:{new_layout(arch).offsets[j]}"
    record.add(
        codes.MEMBER_OFFSET_CHANGED,
        change.path,
        before,
        after,
        f"the member moved{where}: binaries built against the old header read and write the "
        "wrong bytes",
    )


def _compare_direction(record: Recorder, change: MemberChange) -> None:
    old, new = change.old.member.direction, change.new.member.direction
    if old is None or new is None or old == new:
        return  # nested structs' members have none: the member holding the struct says
    if change.old.member.direction_by or change.new.member.direction_by:
        return  # its direction under each selector value: compare_direction_by judges it
    if change.renamed and change.old.member.reserved:
        return  # a reserved member that takes a meaning may take any direction
    record.add(
        codes.MEMBER_DIRECTION_CHANGED, change.path, str(old), str(new), _direction_note(old, new)
    )


def _direction_note(old: Direction, new: Direction) -> str:
    if old.kernel_reads and not new.kernel_reads:
        return "the kernel no longer reads what binaries pass in this member"
    if not old.kernel_reads:
        return "the kernel now reads this member, which old binaries leave as an output slot"
    if old.kernel_writes and not new.kernel_writes:
        return "the kernel no longer writes this member back: old binaries read a stale value"
    return "the kernel now writes this member, which old binaries treat as input only"


def _compare_reserved(record: Recorder, change: MemberChange) -> None:
    before, after = change.old.member, change.new.member
    if before.reserved and not after.reserved and not change.renamed:
        record.add(
            codes.RESERVED_CHECK_DROPPED,
            change.path,
            "must be zero",
            "unchecked",
            "the kernel stops rejecting non-zero values: binaries may start passing "
            "garbage, and the member can never be given a meaning safely",
        )
    if after.reserved and not before.reserved:
        record.add(
            codes.MEMBER_NOW_RESERVED,
            change.path,
            "checked value" if before.direction is not Direction.OUT else "output",
            "must be zero",
            "the kernel now rejects non-zero values (EOPNOTSUPP) that old binaries pass",
        )
