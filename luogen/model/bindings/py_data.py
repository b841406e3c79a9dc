"""The Python methods' spellings of driver data: the module constant that maps each struct
class to the selector value that chooses it, and the `_data` call that packs the argument."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..nodes import Member, Struct


def _typed(member: Member) -> bool:
    return bool(getattr(member.kind, "typed", False))


def data_name(ioctl: str | None, member: Member) -> str:
    """The module constant of the struct classes of `member`'s driver data."""
    return f"_{ioctl}_{member.name.upper()}_TYPES"


def buffer_arg(ioctl: str | None, member: Member, struct: Struct) -> str:
    """What the method builds from the buffer argument `member` before packing: a `_data` of
    typed driver data, the kind's `py_buffer_arg` otherwise."""
    kind: Any = member.kind
    if _typed(member):
        spelled: str = kind.py_data_arg(member.python_name, member.name, data_name(ioctl, member))
    else:
        spelled = kind.py_buffer_arg(member.python_name, member.name, struct)
    return spelled


def data_constants(ioctl: str | None, buffers: Iterable[Member]) -> list[str]:
    """The module constants of the typed driver data among `buffers`."""
    kinds: list[Any] = [(m, m.kind) for m in buffers if _typed(m)]
    return [kind.py_choices_constant(data_name(ioctl, m)) for m, kind in kinds]
