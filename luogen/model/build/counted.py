"""Counted arrays: a user pointer with `elements`, paired with the member of its struct that
counts them, the element type resolved to the struct or integer it names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import Location, suggest
from ...records import replace
from ...spec import PathKey
from ..direction import Direction
from ..kinds import EnumStorage, Integer, Kind, Nested, UserPointer
from ..kinds.counted import ALLOCATION_LIMIT, CountedArray, ElementCount, element_summary
from ..kinds.scalars import UserBuffer
from ..nodes import CommandRange, Member
from .buffers import companion
from .context import Context

if TYPE_CHECKING:
    from .members import Members

_COUNT_TYPES = ("u8", "u16", "u32")


def _count_problem(count: Member, query: bool) -> str | None:
    """Why `count` cannot count an array's elements, or None."""
    if count.implicit:
        return "is the size header"
    if count.reserved:
        return "is reserved"
    kind = count.kind
    if type(kind) is not Integer or kind.signed:
        return f"holds {kind.summary}, not an unsigned integer (u8, u16 or u32)"
    if kind.name not in _COUNT_TYPES:
        return (
            f"is a {kind.name}: a count is a u8, u16 or u32, which every architecture can size "
            "an allocation with"
        )
    if query and count.direction is not Direction.INOUT:
        return (
            f"is 'dir: {count.direction}', but the query protocol needs 'dir: inout' (userspace "
            "passes the array's capacity, the kernel the number of elements it has)"
        )
    if not query and count.direction is not Direction.IN:
        return (
            f"is 'dir: {count.direction}': userspace passes the number of elements ('dir: in'; "
            "an output array whose count the kernel reports is 'query: true')"
        )
    return None


def _unbounded(name: str, kind: CountedArray) -> str:
    """The advice for an array without a maximum, whose count userspace sets at will."""
    most = kind.most_bytes
    if most == ALLOCATION_LIMIT:
        bound = "2 GiB (INT_MAX bytes, the most its helpers allocate)"
    else:
        bound = f"{most} bytes ({kind.max_value} elements of {kind.element_size})"
    return (
        f"array '{name}' has no 'max': the kernel allocates as many elements of "
        f"{kind.element_c} as userspace puts in '{kind.length.name}', up to {bound}; add "
        "'max:' (a number or a constant) with the most elements the driver needs, past which "
        "the kernel answers -E2BIG"
    )


class CountedArrays:
    """Pairs the pointers of one struct that have `elements` with their count members."""

    def __init__(self, builder: Members, item: dict[str, Any], path: PathKey) -> None:
        self.builder = builder
        self.context: Context = builder.context
        self.item = item
        self.path = path
        self.counted: dict[str, str] = {}  # count member -> the array it counts

    def at(self, *keys: str | int) -> Location:
        return self.context.spec.at((*self.path, *keys))

    def pair(self, members: list[Member], in_command: bool) -> list[Member]:
        """`members` with each pointer that has `elements` turned into a CountedArray and its
        count member into an ElementCount; every rule the pairing breaks is reported."""
        by_name = {m.name: m for m in members}
        dropped = {raw.get("name") for raw in self.item.get("members", [])} - by_name.keys()
        for m in members:
            if isinstance(m.kind, UserBuffer):
                self.counted[m.kind.length.name] = f"measures buffer '{m.name}'"
        for i, raw in enumerate(self.item.get("members", [])):
            pointer = by_name.get(raw.get("name", ""))
            if raw.get("elements") is None or pointer is None:
                continue
            if raw["elements"]["count"] in dropped:
                continue  # the count member's own error says it all
            paired = self.one(raw, i, pointer, by_name, in_command)
            if paired is not None:
                array, count = paired
                by_name[array.name], by_name[count.name] = array, count
        return [by_name[m.name] if m.name else m for m in members]

    def one(
        self,
        raw: dict[str, Any],
        i: int,
        pointer: Member,
        by_name: dict[str, Member],
        command: bool,
    ) -> tuple[Member, Member] | None:
        """The array member and its count member, or None (reported)."""
        spec, name = raw["elements"], raw["name"]
        if not self.check_pointer(raw, i, pointer, command):
            return None
        query = bool(spec.get("query", False))
        direction = Direction(spec["dir"])
        if not self.query_fits(spec, name, i, direction, query):
            return None
        count = self.count(spec["count"], name, i, by_name, query)
        element = self.element(spec, name, i)
        if count is None or element is None:
            return None
        maximum = resolve_maximum(
            self.builder,
            spec.get("max"),
            self.at("members", i, "elements", "max"),
            f"array '{name}' has at most {{n}} elements",
            count.kind,  # type: ignore[arg-type]
        )
        if maximum is None:
            return None
        count_kind = count.kind
        assert isinstance(count_kind, Integer)
        summary = element_summary(element)
        counted = replace(count, kind=ElementCount(count_kind.bits, False, name, summary, query))
        max_count, max_name = maximum
        kind = CountedArray(direction, counted, element, max_count, max_name, query)
        if max_count is None and not query:
            self.context.warn(self.at("members", i, "elements"), _unbounded(name, kind))
        return replace(pointer, kind=kind), counted

    def query_fits(
        self, spec: dict[str, Any], name: str, i: int, direction: Direction, query: bool
    ) -> bool:
        """Whether the query protocol, if asked for, fits the array's direction and maximum."""
        if query and direction is not Direction.OUT:
            self.context.error(
                self.at("members", i, "elements", "query"),
                f"array '{name}' is 'dir: {direction}', but the query protocol is for an output "
                "array: set 'dir: out' or drop 'query'",
            )
            return False
        if query and "max" in spec:
            self.context.error(
                self.at("members", i, "elements", "max"),
                f"array '{name}' follows the query protocol: the kernel allocates nothing for "
                "it and reports as many elements as it has, so it has no maximum; drop 'max'",
            )
            return False
        return True

    def check_pointer(self, raw: dict[str, Any], i: int, pointer: Member, command: bool) -> bool:
        name = raw["name"]
        if "buffer" in raw:
            self.context.error(
                self.at("members", i, "elements"),
                f"member '{name}' has both 'buffer' (bytes) and 'elements' (an array of counted "
                "elements): keep one",
            )
            return False
        if not command:
            self.context.error(
                self.at("members", i, "elements"),
                f"member '{name}' has elements, but only a command's own struct can pair a "
                "pointer with its count (the kernel's helpers and the safe bindings take them "
                "as one)",
            )
            return False
        if not isinstance(pointer.kind, UserPointer) or isinstance(pointer.kind, UserBuffer):
            self.context.error(
                self.at("members", i, "elements"),
                f"member '{name}' has elements, so its type must be 'ptr', not '{raw['type']}'",
            )
            return False
        if pointer.direction is not Direction.IN:
            self.context.error(
                self.at("members", i, "dir"),
                f"member '{name}' is an array's address, which userspace passes: drop "
                f"'dir: {pointer.direction}' (the 'dir' under 'elements' says which way the "
                "elements go)",
            )
            return False
        return True

    def count(
        self, count_name: str, name: str, i: int, by_name: dict[str, Member], query: bool
    ) -> Member | None:
        """The member `count` names, if it may count the array (else reported)."""
        where = self.at("members", i, "elements", "count")
        if count_name in self.counted and count_name in by_name:
            self.context.error(
                where,
                f"member '{count_name}' already {self.counted[count_name]}; each array needs a "
                "count member of its own",
            )
            return None
        subject, problem = f"array '{name}'", lambda m: _count_problem(m, query)
        count = companion(self.context, where, subject, "counted", count_name, by_name, problem)
        if count is None:
            return None
        self.counted[count_name] = f"counts array '{name}'"
        return count

    def element(self, spec: dict[str, Any], name: str, i: int) -> Kind | None:
        """The element type: a struct, or an integer (holding an enum or flags)."""
        path = (*self.path, "members", i, "elements")
        raw: dict[str, Any] = {k: spec[k] for k in ("type", "struct", "enum", "flags") if k in spec}
        raw["name"] = name
        element = self.builder.kind(raw, path, self.item["name"])
        if element is None:
            return None
        struct = element.struct if isinstance(element, Nested) else None
        if struct is not None and not struct.union and not struct.carries_pointer:
            return element
        if struct is None and (type(element) is Integer or isinstance(element, EnumStorage)):
            return element
        if struct is not None and struct.carries_pointer:
            problem = f"struct {struct.name} holds a user pointer, which no binding follows"
        else:
            problem = f"'{spec['type']}' is not a struct or a fixed-width integer"
        self.context.error(
            self.context.spec.at((*path, "type")),
            f"the elements of array '{name}' must be a struct or a fixed-width integer (u8..s64, "
            f"with 'enum' or 'flags' if need be): {problem}",
        )
        return None


def resolve_maximum(
    builder: Members, value: int | str | None, where: Location, subject: str, count: Integer
) -> tuple[int | None, str | None] | None:
    """(the most `count` may say, the constant that spells it; both None without a `max`), or
    None when `value` is an unknown constant or out of the count's range (reported at `where`).
    `subject` says what is bounded: "array 'a' has at most {n} elements"."""
    if value is None:
        return None, None
    context, constants = builder.context, builder.declarations.constants
    spelled: str | None = None
    if isinstance(value, str):
        constant = constants.get(value)
        if constant is None:
            hint = suggest(value, constants)
            context.unknown("constants", value, where, f"unknown constant '{value}'{hint}")
            return None
        number, spelled = constant.value, value
    else:
        number = value
    if not 1 <= number <= count.max_value:
        context.error(
            where,
            f"{subject.format(n=number)}, but its count is a {count.name}: the maximum must be "
            f"1..{count.max_value}",
        )
        return None
    return number, spelled


def check_query_methods(context: Context, ranges: tuple[CommandRange, ...]) -> None:
    """The Rust `_vec` method of a command with a query array is no other command's method."""
    for command_range in ranges:
        methods = {c.rust_method: c for c in command_range.live if c.struct is not None}
        for command in command_range.live:
            if command.struct is None or not any(
                isinstance(m.kind, CountedArray) and m.kind.query for m in command.struct.members
            ):
                continue
            vec = f"{command.rust_method.removeprefix('r#')}_vec"
            other = methods.get(vec)
            if other is not None:
                where = other.where or other.struct.where  # type: ignore[union-attr]
                context.error(
                    where,
                    f"command '{other.name}' is the Rust method '{vec}', which command "
                    f"'{command.name}' has for the elements of its query array: rename one "
                    "of them",
                )
