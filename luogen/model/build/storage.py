"""The builder's kinds that give an integer member a meaning: an enum's value, a flag set's
bits, an fd held in a __u32."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import Location, suggest
from ...spec import PathKey
from ..kinds import INTEGERS, EnumStorage, Fd, FlagStorage, Integer, Kind
from ..nodes import Enum, FlagSet

if TYPE_CHECKING:
    from .context import Context
    from .declarations import Declarations


class StorageKinds:
    """The Members pass's storage kinds (a mixin: `context`, `declarations` and `stored_as`
    are the pass's)."""

    if TYPE_CHECKING:
        context: Context
        declarations: Declarations
        stored_as: dict[str, tuple[Integer, str, Location]]

    def fd_storage(self, raw: dict[str, Any], path: PathKey) -> Kind | None:
        """A `fd: true` member: an fd in the __u32 a real header declares it as."""
        clash = next((key for key in ("enum", "flags") if key in raw), None)
        if raw["type"] == "u32" and clash is None:
            return Fd(INTEGERS["u32"])
        why = f"also has '{clash}'" if clash else f"is '{raw['type']}'"
        self.context.error(
            self.context.spec.at(path),
            f"member '{raw.get('name', '')}' has 'fd: true' but {why}: an fd held in a __u32 is "
            "'type: u32, fd: true', one of luogen's own 'type: fd' (__s32)",
        )
        return None

    def enum_storage(self, enum_name: str, storage: Integer, path: PathKey, member: str) -> Kind:
        enum = self.declarations.enums.get(enum_name)
        if enum is None:
            hint = suggest(enum_name, self.declarations.enums)
            where = self.context.spec.at(path)
            self.context.unknown("enums", enum_name, where, f"unknown enum '{enum_name}'{hint}")
            return storage
        if enum.low < storage.min_value or enum.high > storage.max_value:
            self.context.error(
                self.context.spec.at(path),
                f"enum '{enum_name}' has values {enum.low}..{enum.high}, which do not fit "
                f"member '{member}' of type {storage.name}",
            )
        self.same_storage(enum, "enum", storage, path, member)
        return EnumStorage(storage, enum)

    def flag_storage(self, flags_name: str, storage: Integer, path: PathKey, member: str) -> Kind:
        flag_sets = self.declarations.flag_sets
        flag_set = flag_sets.get(flags_name)
        where = self.context.spec.at(path)
        if flag_set is None:
            hint = suggest(flags_name, flag_sets) or (
                "" if flag_sets else " (the spec declares no flags: add them under 'flags')"
            )
            self.context.unknown("flags", flags_name, where, f"unknown flags '{flags_name}'{hint}")
            return storage
        if storage.signed:
            self.context.error(
                where, f"flags member '{member}' must be unsigned, not {storage.name}"
            )
        elif flag_set.high >= storage.bits:
            self.context.error(
                where,
                f"flags '{flags_name}' use bit {flag_set.high}, which does not fit member "
                f"'{member}' of type {storage.name}",
            )
        self.same_storage(flag_set, "flags", storage, path, member)
        return FlagStorage(storage, flag_set)

    def same_storage(
        self, values: Enum | FlagSet, what: str, storage: Integer, path: PathKey, member: str
    ) -> None:
        """Every member holding one enum or flag set has one width: the bindings give the enum a
        type of that width, used for all of them."""
        where = self.context.spec.at(path)
        first = self.stored_as.setdefault(values.name, (storage, member, where))
        if first[0] != storage:
            self.context.error(
                where,
                f"{what} '{values.name}' is stored as {first[0].name} in member '{first[1]}' "
                f"(line {first[2].line}) but as {storage.name} in member '{member}': every "
                "member holding it must have one type",
            )
