"""Member kinds: each knows its size and alignment per architecture and its C, Rust and Python
spelling. Templates read these spellings; they never switch on a kind.
"""

from .base import LOOP_VARIABLES, KernelCheck, Kind, loop_variables
from .compound import Array, Inline, Nested
from .ctypes import CEnum, CScalar, FlexibleArray, NativePointer
from .enums import EnumStorage, FlagStorage
from .ordered import BYTE_ORDERED, ByteOrdered
from .scalars import INTEGERS, Fd, Integer, UserBuffer, UserPointer

__all__ = [
    "BYTE_ORDERED",
    "INTEGERS",
    "LOOP_VARIABLES",
    "Array",
    "ByteOrdered",
    "CEnum",
    "CScalar",
    "EnumStorage",
    "Fd",
    "FlagStorage",
    "FlexibleArray",
    "Inline",
    "Integer",
    "KernelCheck",
    "Kind",
    "NativePointer",
    "Nested",
    "UserBuffer",
    "UserPointer",
    "loop_variables",
]
