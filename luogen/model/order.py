"""Where the uapi header declares each enum and flag set: with the others at the top (the
default, `place: top`), or just before the first struct a member of which holds it
(`place: before-first-use`), as real headers put an enum next to the struct that uses it.
Structs come in the header's order: nested structs first, then each command's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ..records import dataclass, field
from .kinds import Array, EnumStorage, Kind

if TYPE_CHECKING:
    from .nodes import Struct

BEFORE_FIRST_USE = "before-first-use"


class Placed(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def place(self) -> str: ...


def held(kind: Kind) -> str | None:
    """The enum or flag set whose values a member of `kind` holds (in every element of an
    array), or None."""
    while isinstance(kind, Array):
        kind = kind.element
    return kind.enum.name if isinstance(kind, EnumStorage) else None


@dataclass(frozen=True)
class Placement:
    top: tuple[Placed, ...]  # declared before every struct, in the spec's order
    before: dict[str, tuple[Placed, ...]] = field(default_factory=dict)  # struct name -> them

    @classmethod
    def of(cls, values: Sequence[Placed], structs: Sequence[Struct]) -> Placement:
        first_use: dict[str, str] = {}
        for struct in structs:
            for member in struct.members:
                name = held(member.kind)
                if name is not None:
                    first_use.setdefault(name, struct.name)
        before: dict[str, list[Placed]] = {}
        top = []
        for value in values:
            where = first_use.get(value.name) if value.place == BEFORE_FIRST_USE else None
            if where is None:
                top.append(value)
            else:
                before.setdefault(where, []).append(value)
        return cls(tuple(top), {name: tuple(group) for name, group in before.items()})

    def before_struct(self, name: str) -> tuple[Placed, ...]:
        """The enums and flag sets declared just before struct `name`."""
        return self.before.get(name, ())
