"""The runtime of luogen's Python bindings of classic headers (`_IOR`, `_IOW`... and C types as
spelled), beside `_runtime.py`: which of luogen's 16 architectures the package runs on, and the
values that differ per architecture. Each package of a classic header gets this file as
`_classic.py`.

A classic struct's layout and a classic ioctl's number may differ per architecture: the package
spells each such value as `_per_arch(ARCH, default, **others)`, the value on most architectures
and the others by name, and picks this architecture's when it is imported.
"""

from __future__ import annotations

import ctypes
import platform
import struct
from typing import Final, TypeVar

_T = TypeVar("_T")

# luogen's architectures (Debian's names), in the order of luogen's model.
ARCHES: Final = (
    "amd64", "i386", "x32", "arm64", "armhf", "ppc64el", "ppc64", "powerpc", "s390x", "mips",
    "mips64el", "riscv64", "sparc64", "m68k", "alpha", "hppa",
)  # fmt: skip

# What identifies each architecture from inside a process: (platform.machine(), the size of a
# pointer, the alignment of `long long`). The machine is the kernel's: 32-bit userland on a
# 64-bit kernel (i386 or x32 on x86_64, armhf on aarch64, powerpc on ppc64) says the 64-bit
# machine, and its pointers tell it apart. Anything else (mips64 with 32-bit pointers, which is
# o32 or n32; 32-bit sparc; s390 31-bit) is none of luogen's architectures.
MACHINES: Final[dict[tuple[str, int, int], str]] = {
    ("x86_64", 8, 8): "amd64",
    ("x86_64", 4, 8): "x32",
    ("x86_64", 4, 4): "i386",
    ("i386", 4, 4): "i386",
    ("i486", 4, 4): "i386",
    ("i586", 4, 4): "i386",
    ("i686", 4, 4): "i386",
    ("aarch64", 8, 8): "arm64",
    ("arm64", 8, 8): "arm64",
    ("aarch64", 4, 8): "armhf",
    ("armv7l", 4, 8): "armhf",
    ("armv8l", 4, 8): "armhf",
    ("ppc64le", 8, 8): "ppc64el",
    ("ppc64", 8, 8): "ppc64",
    ("ppc64", 4, 8): "powerpc",
    ("ppc", 4, 8): "powerpc",
    ("s390x", 8, 8): "s390x",
    ("mips", 4, 8): "mips",
    ("mips64", 8, 8): "mips64el",
    ("riscv64", 8, 8): "riscv64",
    ("sparc64", 8, 8): "sparc64",
    ("m68k", 4, 2): "m68k",
    ("alpha", 8, 8): "alpha",
    ("parisc", 4, 8): "hppa",
    ("parisc64", 4, 8): "hppa",
}


def _arch_of(machine: str, pointer_size: int, long_long_align: int) -> str | None:
    """luogen's name of the architecture these facts identify, or None."""
    return MACHINES.get((machine, pointer_size, long_long_align))


def _this_arch() -> str:
    """The architecture this process runs as; ImportError when it is none of luogen's, whose
    layouts and numbers the package would not know."""
    facts = (platform.machine(), struct.calcsize("P"), ctypes.alignment(ctypes.c_longlong))
    arch = _arch_of(*facts)
    if arch is None:
        raise ImportError(
            f"machine {facts[0]!r} with {facts[1]}-byte pointers is none of luogen's "
            f"architectures ({', '.join(ARCHES)}): its C layouts and ioctl numbers are unknown"
        )
    return arch


def _per_arch(arch: str, default: _T, **others: _T) -> _T:
    """The value on `arch`: `others[arch]`, or `default` when it names none."""
    return others.get(arch, default)


def _packed(codec: struct.Struct, what: str, *values: object) -> bytearray:
    """The request buffer of `values` packed by `codec`, refusing values C cannot hold there."""
    try:
        return bytearray(codec.pack(*values))
    except struct.error as error:
        raise ValueError(f"{what}: {error}") from None
