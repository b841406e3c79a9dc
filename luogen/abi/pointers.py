"""Rules for what a user pointer addresses: a raw pointer, a byte buffer, a counted array or
driver data. All are the same `__aligned_u64`; what changes is the kernel's copy of what they
address (and its checks) and the members that count, measure or select it.

A raw pointer's memory is its handler's business, and so is a byte buffer's (only the bindings
read `buffer:`); a counted array or driver data is copied by the kernel's generated helpers,
whose checks may refuse what a handler took before."""

from __future__ import annotations

from ..model.direction import Direction
from ..model.kinds import Kind
from ..model.kinds.counted import CountedArray
from ..model.kinds.entries import DataEntries
from ..model.kinds.scalars import UserBuffer
from ..model.kinds.selected import DataChoice, DriverData
from ..model.nodes import Member, Model, Struct
from . import codes
from .record import Recorder, Renames


def _held(shape: tuple[object, ...]) -> set[str]:
    """The names of the structs a member of `shape` embeds."""
    if shape[0] == "struct":
        return {str(shape[1])}
    if shape[0] == "array":
        element = shape[1]
        assert isinstance(element, tuple)
        return _held(element)
    return set()


def data_structs(model: Model) -> frozenset[str]:
    """The nested structs that only driver data chooses: nothing embeds them, so they may grow
    at their end as the command structs do (copy_struct_from_user() zero-extends shorter data,
    and the pointer's rules judge each one's minimum)."""
    chosen: set[str] = set()
    held: set[str] = set()
    for struct in model.all_structs:
        for member in struct.members:
            kind = member.kind
            if isinstance(kind, DriverData):
                chosen |= {s.name for s in kind.structs}
                continue
            if isinstance(kind, CountedArray):
                kind = kind.element
            held |= _held(kind.shape)
    return frozenset(chosen - held)


def describes(kind: Kind) -> bool:
    """Whether a member of `kind` holds a user pointer, which these rules judge."""
    return kind.addresses is not None


def plain_companion(before: Kind, after: Kind, structs: tuple[Struct, Struct]) -> bool:
    """A plain integer that became (or stopped being) the count or length of a pointer's
    memory, or counts another: when each pointer it counts is a pointer on both sides, that
    pointer's rules report what changed. (A member that starts counting a new pointer is a
    change of its own: old binaries set it for what it meant before.)"""
    plain = all(k.companion_of is not None or k.meaning == "integer" for k in (before, after))
    pointers = {k.companion_of for k in (before, after)} - {None}
    if not plain or not pointers:
        return False
    return all(_is_pointer(struct, p) for struct in structs for p in pointers)


def _is_pointer(struct: Struct, name: str | None) -> bool:
    return any(m.name == name and describes(m.kind) for m in struct.members)


def _offset(struct: Struct, name: str) -> int:
    return next(offset for member, offset in struct.fields if member.name == name)


def _copied(kind: Kind) -> bool:
    """Whether the kernel's generated helpers copy what a pointer of `kind` addresses (a raw
    pointer's and a byte buffer's memory is the handler's)."""
    return isinstance(kind, CountedArray | DriverData)


def compare_pointer(
    record: Recorder,
    renames: Renames,
    path: str,
    old: tuple[Member, Struct],
    new: tuple[Member, Struct],
) -> None:
    """A pointer member and what it became, the structs holding them beside."""
    (before, old_struct), (after, new_struct) = old, new
    a, b = before.kind, after.kind
    if isinstance(a, UserBuffer) and isinstance(b, UserBuffer):
        if a.direction is not b.direction:
            record.add(
                codes.POINTER_DIRECTION_CHANGED,
                path,
                a.addresses,
                b.addresses,
                "the memory at this pointer goes the other way: the kernel reads what old "
                "binaries leave for it to write, or writes what they expect it only to read",
            )
        _companions(record, path, (a, old_struct), (b, new_struct))
    if type(a) is type(b):
        if isinstance(a, CountedArray) and isinstance(b, CountedArray):
            _arrays(record, renames, path, a, b)
        elif isinstance(a, DriverData) and isinstance(b, DriverData):
            _data(record, renames, path, a, b)
        if isinstance(a, DataEntries) and isinstance(b, DataEntries):
            _most_changed(record, path, a, b, "entries")
    elif _copied(a) and _copied(b):
        record.add(
            codes.POINTER_REDESCRIBED,
            path,
            a.addresses,
            b.addresses,
            "the kernel copies the memory at this pointer in another way: what old binaries "
            "put there is misread",
        )
    else:
        _described(record, path, a, b)


def _described(record: Recorder, path: str, a: Kind, b: Kind) -> None:
    """A pointer that got a description (raw to a buffer; raw or a buffer to what the kernel
    copies), or lost it."""
    assert a.addresses is not None and b.addresses is not None
    if not _copied(a) and (_copied(b) or not isinstance(a, UserBuffer)):
        refused = "; ".join(b.refusals)
        if refused:
            record.add(
                codes.POINTER_DESCRIBED_CHECKED,
                path,
                a.addresses,
                b.addresses,
                "the same bytes, now copied by the kernel's generated helpers, which refuse "
                f"{refused}: what old binaries passed the handler may now be refused",
            )
        else:
            record.add(
                codes.POINTER_DESCRIBED,
                path,
                a.addresses,
                b.addresses,
                "the same bytes, now described: the kernel refuses nothing old binaries passed",
            )
    elif a.refusals:
        record.add(
            codes.POINTER_CHECKS_DROPPED,
            path,
            a.addresses,
            b.addresses,
            "the kernel no longer copies what the pointer addresses with its checks (it refused "
            f"{'; '.join(a.refusals)}): binaries may start passing what was refused, and the "
            "refused values can never be given a meaning safely",
        )
    else:
        record.add(
            codes.POINTER_UNDESCRIBED,
            path,
            a.addresses,
            b.addresses,
            "the same bytes, no longer described: the handler reads them as before",
        )


def _companions(
    record: Recorder, path: str, old: tuple[UserBuffer, Struct], new: tuple[UserBuffer, Struct]
) -> None:
    """The members that count, measure or select the memory, by where they are (a renamed
    member is the same member)."""
    (a, old_struct), (b, new_struct) = old, new
    role = "count" if isinstance(a, CountedArray) else "length"
    pairs = [(role, a.length.name, b.length.name)]
    if isinstance(a, DriverData) and isinstance(b, DriverData):
        pairs.append(("selector", a.selector_name, b.selector_name))
    if isinstance(a, DataEntries) and isinstance(b, DataEntries):
        pairs.append(("count", a.entry_count.name, b.entry_count.name))
    for role, was, now in pairs:
        if _offset(old_struct, was) != _offset(new_struct, now):
            record.add(
                codes.POINTER_COMPANION_CHANGED,
                path,
                f"{role} {was}",
                f"{role} {now}",
                f"the kernel takes the {role} of what the pointer addresses from another member: "
                f"old binaries set {was}",
            )


def _arrays(
    record: Recorder, renames: Renames, path: str, a: CountedArray, b: CountedArray
) -> None:
    if renames.shape(a.element.shape) != b.element.shape or (
        renames.meaning(a.element.meaning) != b.element.meaning
    ):
        record.add(
            codes.ARRAY_ELEMENT_CHANGED,
            path,
            _element(a),
            _element(b),
            "the elements are of another type: the kernel reads, checks or writes what old "
            "binaries pass otherwise",
        )
    if a.query != b.query:
        code = codes.ARRAY_QUERY_ADDED if b.query else codes.ARRAY_QUERY_REMOVED
        record.add(
            code,
            path,
            "query protocol" if a.query else "no query protocol",
            "query protocol" if b.query else "no query protocol",
            (
                "old binaries ask for as many elements as they want: the kernel now fails with "
                "EMSGSIZE when it has more, and overwrites their count"
                if b.query
                else "old binaries rely on the kernel reporting how many elements it has (and "
                "EMSGSIZE when they are more): it no longer does"
            ),
        )
    elif not a.query:
        _most_changed(record, path, a, b, "elements")


def _most_changed(
    record: Recorder,
    path: str,
    a: CountedArray | DataEntries,
    b: CountedArray | DataEntries,
    what: str,
) -> None:
    """The most elements (or entries) the kernel takes, if it changed."""
    if a.max_value == b.max_value:
        return
    lowered = b.max_value < a.max_value
    record.add(
        codes.ARRAY_MAX_LOWERED if lowered else codes.ARRAY_MAX_RAISED,
        path,
        _most(a),
        _most(b),
        (
            f"old binaries passing more than {b.max_value} {what} now get E2BIG"
            if lowered
            else f"the kernel accepts more {what}; old binaries pass no more than before"
        ),
    )


def _most(kind: CountedArray | DataEntries) -> str:
    """An array's maximum count as a finding shows it: `at most 1024`, `at most X_MAX (256)`."""
    spelled = kind.max_spelled
    number = str(kind.max_value)
    return f"at most {number}" if spelled == number else f"at most {spelled} ({number})"


def _element(kind: CountedArray) -> str:
    """An array's element as a finding shows it: its C type, and what it holds."""
    meaning = kind.element.meaning
    return kind.element_c if meaning == "integer" else f"{kind.element_c} ({meaning})"


def _data(record: Recorder, renames: Renames, path: str, a: DriverData, b: DriverData) -> None:
    """Each selector value's struct, by value (an enumerator's rename is reported on its own)."""
    new_choices = {c.value.value: c for c in b.choices}
    old_values = {c.value.value for c in a.choices}
    for was in a.choices:
        now = new_choices.get(was.value.value)
        if now is None:
            continue  # the value is gone from its enum: reported there
        _data_choice(record, renames, path, a.direction, was, now)
    for now in b.choices:
        if now.value.value not in old_values and now.struct is not None:
            record.add(
                codes.DATA_TYPE_ADDED,
                path,
                None,
                now.summary,
                f"a new selector value chooses {now.c_struct}: old binaries never pass it",
            )


def _data_choice(
    record: Recorder,
    renames: Renames,
    path: str,
    direction: Direction,
    was: DataChoice,
    now: DataChoice,
) -> None:
    name = now.value.name
    if was.struct is not None and now.struct is None:
        record.add(
            codes.DATA_TYPE_REMOVED,
            path,
            was.summary,
            now.summary,
            f"{name} chooses no data any more: the kernel ignores or refuses the "
            f"{was.c_struct} old binaries pass with it",
        )
    elif now.struct is not None and (
        was.struct is None or renames.struct(was.struct.name) != now.struct.name
    ):
        record.add(
            codes.DATA_TYPE_CHANGED,
            path,
            was.summary,
            now.summary,
            f"{name} chooses another struct: the kernel reads what old binaries pass with it "
            "as another type, or data they never passed (EINVAL)",
        )
    elif now.struct is not None and direction.kernel_reads and was.min_size != now.min_size:
        raised = now.min_size > was.min_size
        record.add(
            codes.DATA_MIN_RAISED if raised else codes.DATA_MIN_LOWERED,
            f"{path}[{name}]",
            was.min_size,
            now.min_size,
            (
                f"old binaries passing {was.min_size} bytes of {now.c_struct} now get EINVAL"
                if raised
                else f"the kernel accepts shorter {now.c_struct}; old binaries pass enough"
            ),
        )
