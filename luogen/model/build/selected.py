"""Driver data: a user pointer with `data`, tied to the enum member that selects its struct and
the member that holds its length, each selector value resolved to the struct it chooses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import Location, suggest
from ...records import replace
from ...spec import PathKey
from ..direction import Direction
from ..kinds import EnumStorage, FlagStorage, Integer, UserBuffer, UserPointer
from ..kinds.selected import DataChoice, DataLength, DriverData
from ..nodes import Member
from ..values import Enum
from .buffers import companion
from .context import Context
from .entries import entries

if TYPE_CHECKING:
    from .members import Members


def _length_problem(length: Member, direction: Direction) -> str | None:
    """Why `length` cannot hold the length of data going `direction`, or None."""
    output = direction is Direction.OUT
    if length.implicit:
        return "is the size header"
    if length.reserved:
        return "is reserved"
    kind = length.kind
    if type(kind) is not Integer or kind.signed or kind.bits > 32:
        return f"holds {kind.summary}, not an unsigned integer (u8, u16 or u32)"
    wanted = Direction.INOUT if output else Direction.IN
    if length.direction is not wanted:
        why = (
            "userspace passes the room it gives, the kernel the length it has"
            if output
            else "userspace passes the data's length"
        )
        return (
            f"is 'dir: {length.direction}', but driver data 'dir: {direction}' needs "
            f"'dir: {wanted}' ({why})"
        )
    return None


def _selector_problem(selector: Member, data: Direction) -> str | None:
    """Why `selector` cannot choose the struct of data going `data`, or None."""
    kind = selector.kind
    if not isinstance(kind, EnumStorage) or isinstance(kind, FlagStorage):
        return f"holds {kind.summary}, not an enum (give it 'enum:')"
    direction = selector.direction
    if data is Direction.OUT and (direction is None or not direction.kernel_writes):
        return (
            f"is 'dir: {direction}', but the kernel says which struct it wrote: driver data "
            "'dir: out' needs a selector with 'dir: out' or 'dir: inout'"
        )
    if data is not Direction.OUT and direction is not Direction.IN:
        back = " (and gets the same struct back)" if data is Direction.INOUT else ""
        return (
            f"is 'dir: {direction}', but userspace says which struct it passes{back}: driver "
            f"data 'dir: {data}' needs a selector with 'dir: in'"
        )
    return None


class DriverDatas:
    """Ties the pointers of one command's struct that have `data` to their selector and length
    members."""

    def __init__(self, builder: Members, item: dict[str, Any], path: PathKey) -> None:
        self.builder = builder
        self.context: Context = builder.context
        self.item = item
        self.path = path

    def at(self, i: int, *keys: str | int) -> Location:
        return self.context.spec.at((*self.path, "members", i, "data", *keys))

    def pair(self, members: list[Member], in_command: bool) -> list[Member]:
        """`members` with each pointer that has `data` turned into a DriverData and its length
        member into a DataLength; every rule the pairing breaks is reported."""
        by_name = {m.name: m for m in members}
        dropped = {raw.get("name") for raw in self.item.get("members", [])} - by_name.keys()
        taken = {m.kind.length.name for m in members if isinstance(m.kind, UserBuffer)}
        for i, raw in enumerate(self.item.get("members", [])):
            pointer = by_name.get(raw.get("name", ""))
            spec = raw.get("data")
            if spec is None or pointer is None:
                continue
            if {spec["selector"], spec["length"], spec.get("count")} & dropped:
                continue  # the member's own error says it all
            paired = self.one(raw, i, pointer, by_name, taken, in_command)
            if paired is None:
                continue
            data, length = paired
            if {"count", "max"} & spec.keys():
                array = entries(self, raw, i, data.kind, by_name, taken)  # type: ignore[arg-type]
                if array is None:
                    continue
                kind, length, count = array
                data = replace(data, kind=kind)
                by_name[count.name] = count
                taken.add(count.name)
            by_name[data.name], by_name[length.name] = data, length
            taken.add(length.name)
        return [by_name[m.name] if m.name else m for m in members]

    def one(
        self,
        raw: dict[str, Any],
        i: int,
        pointer: Member,
        by_name: dict[str, Member],
        taken: set[str],
        command: bool,
    ) -> tuple[Member, Member] | None:
        spec, name = raw["data"], raw["name"]
        if not self.check_pointer(raw, i, pointer, command):
            return None
        direction = Direction(spec["dir"])
        selector = self.member(spec["selector"], name, i, "selector", by_name)
        length = self.member(spec["length"], name, i, "length", by_name)
        if selector is None or length is None:
            return None
        problem = _selector_problem(selector, direction)
        enum = next(
            (r.get("enum") for r in self.item["members"] if r.get("name") == selector.name), None
        )
        if problem and enum and self.context.skipped.missing("enums", enum):
            return None  # the enum's own error says it all
        if problem:
            self.context.error(
                self.at(i, "selector"),
                f"driver data '{name}' is selected by '{selector.name}', which {problem}",
            )
            return None
        problem = _length_problem(length, direction)
        if length.name in taken:
            problem = "already measures another buffer; each needs a length member of its own"
        if problem:
            self.context.error(
                self.at(i, "length"),
                f"driver data '{name}' is measured by '{length.name}', which {problem}",
            )
            return None
        assert isinstance(selector.kind, EnumStorage) and isinstance(selector.kind.enum, Enum)
        choices = self.choices(spec["types"], name, i, selector.kind.enum)
        if choices is None:
            return None
        kind = length.kind
        assert isinstance(kind, Integer)
        measured = replace(length, kind=DataLength(kind.bits, False, name, direction))
        data = DriverData(direction, measured, selector, choices, self.item["name"])
        return replace(pointer, kind=data), measured

    def check_pointer(self, raw: dict[str, Any], i: int, pointer: Member, command: bool) -> bool:
        name = raw["name"]
        problem = None
        if "buffer" in raw or "elements" in raw:
            other = "buffer" if "buffer" in raw else "elements"
            problem = f"member '{name}' has both '{other}' and 'data': keep one"
        elif not command:
            problem = (
                f"member '{name}' has driver data, but only a command's own struct can tie a "
                "pointer to its selector and length"
            )
        elif not isinstance(pointer.kind, UserPointer) or isinstance(pointer.kind, UserBuffer):
            problem = (
                f"member '{name}' has driver data, so its type must be 'ptr', not '{raw['type']}'"
            )
        elif pointer.direction is not Direction.IN:
            self.context.error(
                self.context.spec.at((*self.path, "members", i, "dir")),
                f"member '{name}' is the data's address, which userspace passes: drop "
                f"'dir: {pointer.direction}' (the 'dir' under 'data' says which way the data goes)",
            )
            return False
        if problem:
            self.context.error(self.at(i), problem)
            return False
        return True

    def member(
        self, wanted: str, name: str, i: int, key: str, by_name: dict[str, Member]
    ) -> Member | None:
        what = "selected" if key == "selector" else "measured"
        return companion(
            self.context, self.at(i, key), f"driver data '{name}'", what, wanted, by_name
        )

    def choices(
        self, types: list[dict[str, Any]], name: str, i: int, enum: Enum
    ) -> tuple[DataChoice, ...] | None:
        """The struct each selector value chooses, or None (reported)."""
        values = {v.name: v for v in enum.values}
        nested = self.builder.nested
        found: list[DataChoice] = []
        seen: set[str] = set()
        ok = True
        for j, entry in enumerate(types):
            value = values.get(entry["value"])
            if value is None:
                hint = suggest(entry["value"], values)
                self.context.error(
                    self.at(i, "types", j, "value"),
                    f"'{entry['value']}' is not a value of enum {enum.name}, which selects the "
                    f"data of '{name}'{hint}",
                )
                ok = False
                continue
            if value.alias_of is not None:
                self.context.error(
                    self.at(i, "types", j, "value"),
                    f"'{value.name}' is an alias of '{value.alias_of.name}': name the value "
                    f"itself for the data of '{name}'",
                )
                ok = False
                continue
            if value.name in seen:
                self.context.error(
                    self.at(i, "types", j, "value"),
                    f"'{value.name}' chooses the data of '{name}' twice: keep one",
                )
                ok = False
                continue
            seen.add(value.name)
            choice = self.choice(entry, value, nested, name, (i, j))
            ok = ok and choice is not None and self.distinct(choice, found, name, (i, j))
            if choice is not None:
                found.append(choice)
        return tuple(found) if ok else None

    def distinct(
        self, choice: DataChoice, found: list[DataChoice], name: str, at: tuple[int, int]
    ) -> bool:
        """Whether `choice` chooses what no earlier value does: the safe bindings tell the
        data apart by its struct (else reported)."""
        same = next((c for c in found if c.struct is choice.struct), None)
        if same is None:
            return True
        what = f"struct {choice.struct.name}" if choice.struct else "no data"
        self.context.error(
            self.at(at[0], "types", at[1], "value"),
            f"'{same.value.name}' and '{choice.value.name}' both choose {what} for '{name}': "
            "the safe bindings tell the data apart by its struct, so each value needs its own",
        )
        return False

    def choice(
        self,
        entry: dict[str, Any],
        value: Any,
        nested: dict[str, Any],
        name: str,
        at: tuple[int, int],
    ) -> DataChoice | None:
        i, j = at
        struct_name = entry.get("struct")
        if struct_name is None:
            if "min" in entry:
                self.context.error(
                    self.at(i, "types", j, "min"),
                    f"'{value.name}' passes no data, so it has no minimum: drop 'min'",
                )
                return None
            return DataChoice(value)
        struct = nested.get(struct_name)
        if struct is None:
            hint = suggest(struct_name, nested)
            self.context.unknown(
                "structs",
                struct_name,
                self.at(i, "types", j, "struct"),
                f"'{value.name}' chooses unknown struct '{struct_name}'{hint}",
            )
            return None
        if struct.union or struct.carries_pointer:
            what = (
                "is a union" if struct.union else "holds a user pointer, which no binding follows"
            )
            self.context.error(
                self.at(i, "types", j, "struct"),
                f"'{value.name}' chooses struct {struct.name}, which {what}: driver data is a "
                "struct of plain members",
            )
            return None
        minimum = entry.get("min")
        if minimum is not None and minimum not in {m.name for m in struct.members}:
            hint = suggest(minimum, [m.name for m in struct.members])
            self.context.error(
                self.at(i, "types", j, "min"),
                f"the minimum of struct {struct.name} is unknown member '{minimum}'{hint}",
            )
            return None
        return DataChoice(value, struct, minimum)
