"""Rules for structs: nested and command structs, their members as a list, and their sizes."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.arch import ARCHES
from ..model.nodes import Struct
from . import codes
from .match import Key, match
from .members import MemberChange, Placed, compare_member, placed, size
from .record import Recorder, Renames

# Members are the same by name; failing that, a new member at the same offset with the same C
# type is a rename, and a reserved one may take any type of its size there (it is given a meaning).
_MEMBER_KEYS: tuple[Key[Placed], ...] = (
    Key(lambda p: (p.offset, p.member.kind.shape)),
    Key(lambda p: (p.offset, size(p.member)), applies=lambda p: p.member.reserved),
)


def _layout(struct: Struct) -> tuple[object, ...]:
    """What a renamed struct keeps: its members' names and C types."""
    return tuple((m.name, m.kind.shape) for m in struct.members)


class StructRules:
    """Compares structs, remembering the nested structs' renames for the members that hold them."""

    def __init__(self, record: Recorder, renames: Renames) -> None:
        self.record = record
        self.renames = renames

    def compare_nested(
        self, old: Sequence[Struct], new: Sequence[Struct], data: frozenset[str] = frozenset()
    ) -> None:
        """Nested structs are the same by name, then by layout (a rename); `data`: the names
        (new) of those only driver data chooses, which may grow at their end."""
        matching = match(old, new, lambda s: s.name, [Key(_layout)])
        for each in matching.each_old:
            if each.new is None:
                self.record.add(
                    codes.STRUCT_REMOVED,
                    f"struct {each.old.name}",
                    each.old.name,
                    None,
                    "API break: code using the struct no longer compiles",
                )
                continue
            if each.renamed:
                before, after = each.old.name, each.new.name
                self.record.renamed(
                    codes.STRUCT_RENAMED, f"struct {after}", before, after, "struct"
                )
                self.renames.structs[before] = after
            self.compare(each.old, each.new, command=False, data=each.new.name in data)
        for added in matching.added:
            path = f"struct {added.name}"
            self.record.add(codes.STRUCT_ADDED, path, None, added.name, "a new nested struct")

    def compare(self, old: Struct, new: Struct, *, command: bool, data: bool = False) -> None:
        """One struct and what it became; `command`: a command's struct, which may grow;
        `data`: a struct only driver data chooses, which may grow too."""
        path = f"struct {new.name}"
        if old.name != new.name and old.name not in self.renames.structs:
            self.record.renamed(codes.STRUCT_RENAMED, path, old.name, new.name, "struct")
        self.record.doc(path, old.doc, new.doc, "struct's description")
        matching = match(placed(old), placed(new), lambda p: p.member.name, _MEMBER_KEYS)
        for each in matching.each_old:
            if each.new is None:
                self.record.add(
                    codes.MEMBER_REMOVED,
                    f"{path}.{each.old.member.name}",
                    each.old.member.kind.c_resolved,
                    None,
                    "the member is gone: what binaries put there is read as something else "
                    "or ignored, and code naming it no longer compiles",
                )
                continue
            change = MemberChange(
                f"{path}.{each.new.member.name}", old, new, each.old, each.new, each.renamed
            )
            if each.renamed:
                self._report_renamed_member(change)
            compare_member(self.record, self.renames, change)
        for added in matching.added:
            where = f"{path}.{added.member.name}"
            if data and added.offset >= old.size:
                self.record.add(
                    codes.DATA_MEMBER_APPENDED,
                    where,
                    None,
                    added.offset,
                    "a member appended to a struct only driver data chooses: the kernel "
                    "zero-extends old binaries' shorter data (its minimum is judged with the "
                    "pointer)",
                )
                continue
            self._report_new_member(where, old, added, command)
        if not (data and old.size < new.size):
            self._compare_sizes(path, old, new, command)

    def _report_renamed_member(self, change: MemberChange) -> None:
        before, after = change.old.member, change.new.member
        if before.reserved and not after.reserved:
            self.record.add(
                codes.RESERVED_MEMBER_USED,
                change.path,
                before.name,
                after.name,
                "a must-be-zero member gets a meaning: old binaries pass zero, which must "
                "mean the old behaviour (code should never name reserved members)",
            )
        else:
            self.record.renamed(
                codes.MEMBER_RENAMED, change.path, before.name, after.name, "member"
            )

    def _report_new_member(self, path: str, old: Struct, added: Placed, command: bool) -> None:
        at = added.offset
        if at < old.size:
            self.record.add(
                codes.MEMBER_INSERTED,
                path,
                None,
                at,
                f"inserted at offset {at}, inside the old struct ({old.size} bytes): "
                "old binaries put something else there",
            )
        elif not command:
            self.record.add(
                codes.MEMBER_APPENDED_NESTED,
                path,
                None,
                at,
                "a nested struct grows: every struct or array that embeds it moves",
            )
        elif added.member.optional:
            self.record.add(
                codes.MEMBER_APPENDED,
                path,
                None,
                at,
                "an optional member appended past the old end: old binaries pass a shorter "
                "struct, which the kernel zero-fills",
            )
        else:
            self.record.add(
                codes.MEMBER_APPENDED_MANDATORY,
                path,
                None,
                at,
                "a mandatory member appended: old binaries pass a struct that lacks it and "
                "now fail the minimum-size check (EINVAL)",
            )

    def _compare_sizes(self, path: str, old: Struct, new: Struct, command: bool) -> None:
        if old.size > new.size:
            self.record.add(
                codes.STRUCT_SHRUNK,
                path,
                old.size,
                new.size,
                "binaries pass the old size: the kernel sees bytes past its struct (E2BIG unless "
                "zero) and copies back less than they expect",
            )
        elif old.size < new.size and command:
            self.record.add(
                codes.STRUCT_GROWN,
                path,
                old.size,
                new.size,
                "the struct grows at its end; old binaries' shorter size is zero-filled",
            )
        elif old.size < new.size:
            self.record.add(
                codes.STRUCT_SIZE_CHANGED,
                path,
                old.size,
                new.size,
                "a nested struct's size changed: everything that embeds it moves",
            )
        else:
            self._compare_sizes_elsewhere(path, old, new)
        if command and old.min_size != new.min_size:
            self._compare_min_sizes(path, old, new)

    def _compare_sizes_elsewhere(self, path: str, old: Struct, new: Struct) -> None:
        """The same size on the reference architecture may still differ on another."""
        for arch in ARCHES:
            before, after = old.layout(arch).size, new.layout(arch).size
            if before != after:
                self.record.add(
                    codes.STRUCT_SIZE_CHANGED,
                    path,
                    f"{arch.name}:{before}",
                    f"{arch.name}:{after}",
                    f"the size changes on {arch.name}",
                )
                return

    def _compare_min_sizes(self, path: str, old: Struct, new: Struct) -> None:
        if new.min_size > old.min_size:
            self.record.add(
                codes.MIN_SIZE_GROWN,
                path,
                old.min_size,
                new.min_size,
                "old binaries pass a struct shorter than the new minimum size and get EINVAL",
            )
        else:
            self.record.add(
                codes.MIN_SIZE_SHRUNK,
                path,
                old.min_size,
                new.min_size,
                "the kernel accepts shorter structs than before; old binaries pass enough",
            )
