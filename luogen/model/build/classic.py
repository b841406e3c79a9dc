"""The builder's reading of classic commands: `_IO`, `_IOR`, `_IOW`, `_IOWR` and `_IOC` with the
number, type byte and argument a real header gives them."""

from __future__ import annotations

import re
from typing import Any

from ...errors import Location, suggest
from ...spec import PathKey
from ..arch import ARCHES
from ..direction import Direction
from ..encodings import Classic
from ..kinds import Kind
from ..nodes import Doc, Member
from .context import Context
from .declarations import Declarations
from .members import Members

_CHAR = re.compile(r"^\(?'([^'\\])'\)?$")
_SUM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?: *\+ *(0x[0-9A-Fa-f]+|[0-9]+))?$")


def char_value(text: str) -> int | None:
    """The value of a C character literal such as 'U' or (';'), or None."""
    match = _CHAR.match(text)
    return ord(match.group(1)) if match else None


class ClassicCommands:
    def __init__(self, context: Context, declarations: Declarations, members: Members) -> None:
        self.context = context
        self.declarations = declarations
        self.members = members

    def spelled_value(
        self, value: int | str, where: Location, what: str, type_macro: tuple[str, int] = ("", 0)
    ) -> int | None:
        """A number, a character literal, a constant plus a number ('VFIO_BASE + 3'), or
        (`type_macro`) the spec's type macro."""
        if isinstance(value, int):
            return value
        if value == type_macro[0]:
            return type_macro[1]
        char = char_value(value)
        if char is not None:
            return char
        match = _SUM.match(value)
        constant = self.declarations.constants.get(match.group(1)) if match else None
        if match is None or constant is None:
            names = self.declarations.constants
            hint = suggest(match.group(1), names) if match else ""
            self.context.error(where, f"{what} '{value}' names no constant{hint}")
            return None
        return constant.value + int(match.group(2) or "0", 0)

    def encoding(self, raw: dict[str, Any], path: PathKey, struct_name: str) -> Classic:
        macro = raw["encoding"]
        where = self.context.at(*path, "encoding")
        if macro == "_IOC" and "direction" not in raw:
            self.context.error(where, "an _IOC command needs a 'direction' (_IOC_READ, ...)")
        if macro != "_IOC" and ("direction" in raw or "size" in raw):
            self.context.error(
                where, f"'direction' and 'size' are _IOC's; {macro} says them itself"
            )
        needs = macro in ("_IOR", "_IOW", "_IOWR", "_SIOR", "_SIOW", "_SIOWR") or (
            macro == "_IOC" and "size" not in raw
        )
        if needs and "argument" not in raw:
            self.context.error(
                where, f"a {macro} command encodes its argument's size: give its 'argument'"
            )
        return Classic(
            macro, raw.get("direction"), raw.get("size"), self.encoded(raw, path, struct_name)
        )

    def encoded(self, raw: dict[str, Any], path: PathKey, struct_name: str) -> Kind | None:
        """With `transfers`: the argument's `type`, which the number encodes the size of."""
        item = raw.get("argument")
        if not isinstance(item, dict) or "transfers" not in item:
            return None
        header_type = {k: v for k, v in item.items() if k not in ("transfers", "dir", "by-value")}
        return self.members.kind({"name": "arg", **header_type}, (*path, "argument"), struct_name)

    def argument(
        self, raw: dict[str, Any], path: PathKey, encoding: Classic, struct_name: str
    ) -> Member | None:
        """The argument as a member of no struct: its kind, and who writes it."""
        item = raw.get("argument")
        if item is None:
            return None
        apath = (*path, "argument")
        kind = self.members.kind({"name": "arg", **self.transferred(item)}, apath, struct_name)
        if kind is None:
            return None
        encoded = encoding.encoded
        differ = [a.name for a in ARCHES if encoded is not None and kind.size(a) != encoded.size(a)]
        if differ:
            self.context.warn(
                self.context.at(*apath, "transfers"),
                f"the number encodes the size of {item['type']}, the driver transfers "
                f"{item['transfers']}: the bindings pass {item['transfers']}; the two differ in "
                f"size on {', '.join(differ)}",
            )
        direction = self.direction(item, apath, encoding)
        for arch in ARCHES:
            if kind.size(arch) > arch.encoding.max_size:
                # The header's own number: its size spills into the direction bits there.
                self.context.warn(
                    self.context.at(*apath),
                    f"the argument is {kind.size(arch)} bytes on {arch.name}, more than the "
                    f"{arch.encoding.max_size} an ioctl number's size field holds there: the "
                    "size spills into the direction bits of the number",
                )
                break
        where = self.context.at(*apath)
        return Member("arg", kind, Doc(""), direction, where=where)

    @staticmethod
    def transferred(item: dict[str, Any]) -> dict[str, Any]:
        """The argument as the driver transfers it: `transfers` for its `type` where given."""
        if "transfers" not in item:
            return item
        rest = {k: v for k, v in item.items() if k not in ("transfers", "struct", "typedef")}
        return {**rest, "type": item["transfers"]}

    def direction(self, item: dict[str, Any], apath: PathKey, encoding: Classic) -> Direction:
        """Who writes the argument: `dir` where the spec says it, else the encoding. A `dir`
        that contradicts the encoding is a driver's wart, described as it is: the bindings follow
        the driver, the number keeps the encoding's direction bits."""
        said = encoding.argument_direction
        if "dir" not in item:
            return said or Direction.IN
        direction = Direction(item["dir"])
        if said is not None and direction is not said:
            self.context.warn(
                self.context.at(*apath, "dir"),
                f"{encoding.macro} says the argument is '{said}', the driver treats it as "
                f"'{direction}': the bindings follow 'dir', the number keeps {encoding.macro}'s "
                "direction bits",
            )
        return direction

    def returns(self, raw: dict[str, Any], path: PathKey) -> bool:
        """Whether the command's `returns` may say its int result is a new fd: it passes no
        argument, or one by value (a kernel that writes the argument returns that), and the
        range it `opens` exists."""
        where = self.context.at(*path, "returns")
        argument = raw.get("argument")
        if argument is not None and not argument.get("by-value", False):
            self.context.error(
                where,
                "'returns' says what the ioctl's int result is; a command that passes its "
                "argument through a pointer returns that argument (say 'by-value: true' if the "
                "driver reads arg itself)",
            )
            return False
        if argument is not None and argument.get("type") == "pointer":
            self.context.error(
                where,
                "'returns' cannot be said of a pointer passed by value: Python's fcntl gives "
                "back the bytes it points to, not the ioctl's int result",
            )
            return False
        opens = raw["returns"].get("opens")
        ranges = [r["name"] for _, r in self.context.items("ranges")]
        if opens is not None and opens not in ranges:
            self.context.unknown(
                "ranges",
                opens,
                self.context.at(*path, "returns", "opens"),
                f"the fd of '{raw['name']}' opens unknown range '{opens}'{suggest(opens, ranges)}",
            )
            return False
        return True
