"""Which old item is which new one: match by name, then recognise renames by a key.

One matcher serves every list the comparison pairs up (constants, enums and flag sets, their
values, nested structs, members, commands); the identity rules of each (diff.py's docstring) are
its `name` and `keys`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from ..records import dataclass

T = TypeVar("T")


def _every(item: object) -> bool:
    return True


@dataclass(frozen=True)
class Key(Generic[T]):
    """One way to recognise an old item under a new name: the same `of` on both sides. `applies`
    limits it to some old items (a reserved member may match by size alone)."""

    of: Callable[[T], object]
    applies: Callable[[T], bool] = _every


@dataclass(frozen=True)
class Counterpart(Generic[T]):
    """What became of one old item."""

    old: T
    new: T | None  # None: removed
    renamed: bool = False  # found by a key, under another name


@dataclass(frozen=True)
class Matching(Generic[T]):
    each_old: tuple[Counterpart[T], ...]  # in the old side's order
    added: tuple[T, ...]  # the new items no old one became, in the new side's order

    @property
    def pairs(self) -> list[tuple[T, T]]:
        """(old, new) of the items that kept their name."""
        return [(c.old, c.new) for c in self.each_old if c.new is not None and not c.renamed]

    @property
    def renamed(self) -> list[tuple[T, T]]:
        """(old, new) of the items found under another name."""
        return [(c.old, c.new) for c in self.each_old if c.new is not None and c.renamed]

    @property
    def removed(self) -> list[T]:
        return [c.old for c in self.each_old if c.new is None]


def match(
    old: Sequence[T],
    new: Sequence[T],
    name: Callable[[T], Hashable],
    keys: Sequence[Key[T]] = (),
) -> Matching[T]:
    """Pair `old` and `new` items: first by `name`; an old item whose name is gone is then
    paired with the first new item, among those with a name new to the new side, that has the
    same value of a key (the keys tried in order, each new item taken at most once)."""
    new_by_name = {name(item): item for item in new}
    old_names = {name(item) for item in old}
    fresh = [item for item in new if name(item) not in old_names]
    each_old: list[Counterpart[T]] = []
    for item in old:
        same_name = new_by_name.get(name(item))
        if same_name is not None:
            each_old.append(Counterpart(item, same_name))
            continue
        renamed = _take_by_keys(fresh, item, keys)
        each_old.append(Counterpart(item, renamed, renamed=renamed is not None))
    return Matching(tuple(each_old), tuple(fresh))


def _take_by_keys(fresh: list[T], old: T, keys: Sequence[Key[T]]) -> T | None:
    """Remove from `fresh` and return the first item that matches `old` by a key."""
    for key in keys:
        if not key.applies(old):
            continue
        want = key.of(old)
        for i, item in enumerate(fresh):
            if key.of(item) == want:
                return fresh.pop(i)
    return None
