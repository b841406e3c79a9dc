"""Member kinds: each knows its size and alignment per architecture and its C, Rust and Python
spelling. Templates read these spellings; they never switch on a kind.
"""

from .base import LOOP_VARIABLES, KernelCheck, Kind
from .compound import Array, Nested
from .enums import EnumStorage, FlagStorage
from .scalars import INTEGERS, Fd, Integer, UserBuffer, UserPointer

__all__ = [
    "INTEGERS",
    "LOOP_VARIABLES",
    "Array",
    "EnumStorage",
    "Fd",
    "FlagStorage",
    "Integer",
    "KernelCheck",
    "Kind",
    "Nested",
    "UserBuffer",
    "UserPointer",
]
