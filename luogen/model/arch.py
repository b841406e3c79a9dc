"""The architectures a uapi must hold on: how each aligns integers and encodes ioctl numbers.

Facts, not derived: alignment of the fixed-width uapi types and the `_IOC` layout of each
architecture's `asm/ioctl.h`. `__aligned_u64` forces 8 everywhere, which is why luogen spells every
64-bit member with it.
"""

from __future__ import annotations

from ..records import dataclass


@dataclass(frozen=True)
class IoctlEncoding:
    """How `_IOC(dir, type, nr, size)` is built: the values of `_IOC_NONE`, `_IOC_READ` and
    `_IOC_WRITE`, and the width of the size field (the direction field follows it)."""

    name: str
    dir_none: int
    dir_read: int
    dir_write: int
    size_bits: int
    masks_size: bool = False  # the size is cut to its field (`sizeof(t) & SIOCPARM_MASK`)

    @property
    def dir_shift(self) -> int:
        return 16 + self.size_bits

    @property
    def max_size(self) -> int:
        return (1 << self.size_bits) - 1

    def ioc(self, direction: int, ioctl_type: int, nr: int, size: int) -> int:
        size = size & self.max_size if self.masks_size else size
        return (direction << self.dir_shift) | (size << 16) | (ioctl_type << 8) | nr

    def io(self, ioctl_type: int, nr: int) -> int:
        return self.ioc(self.dir_none, ioctl_type, nr, 0)


# asm-generic/ioctl.h: 14 size bits, 2 direction bits.
GENERIC = IoctlEncoding("generic", dir_none=0, dir_read=2, dir_write=1, size_bits=14)
# powerpc, mips, sparc and alpha: 13 size bits, 3 direction bits, and _IOC_NONE is 1.
ALTERNATE = IoctlEncoding(
    "powerpc/mips/sparc/alpha", dir_none=1, dir_read=2, dir_write=4, size_bits=13
)
# parisc (arch/parisc/include/uapi/asm/ioctl.h): asm-generic's fields, but _IOC_READ and
# _IOC_WRITE swapped. `_IO()` numbers are asm-generic's.
HPPA = IoctlEncoding("parisc", dir_none=0, dir_read=1, dir_write=2, size_bits=14)
# <linux/soundcard.h>'s own encoding where `sparc` or `__sparc__` is defined (its _SIO, _SIOR,
# _SIOW and _SIOWR; elsewhere they are the architecture's _IO.. macros): SIOC_VOID 0, SIOC_OUT
# 0x20000000, SIOC_IN 0x40000000, and the size cut to 13 bits by SIOCPARM_MASK 0x1fff.
OSS_SPARC = IoctlEncoding(
    "OSS on sparc", dir_none=0, dir_read=1, dir_write=2, size_bits=13, masks_size=True
)


@dataclass(frozen=True)
class Arch:
    name: str  # Debian architecture name
    triplet: str  # where its uapi headers live: /usr/<triplet>/include
    clang_target: str
    machines: tuple[str, ...]  # what platform.machine() / uname -m says there
    rust_arches: tuple[str, ...]  # Rust's `target_arch` names of it
    encoding: IoctlEncoding
    int_align: int = 4  # alignment of __u32 (m68k: 2)
    s64_align: int = 8  # alignment of a plain __s64 (i386: 4, m68k: 2); __aligned_u64 is 8
    char_signed: bool = True  # whether plain `char` is signed (arm, powerpc, s390, riscv: no)
    oss_encoding: IoctlEncoding | None = None  # <linux/soundcard.h>'s, where not the arch's own

    def align_of(self, size: int) -> int:
        """Alignment of a plain fixed-width integer (__u8 .. __s64) of `size` bytes."""
        if size == 8:
            return self.s64_align
        return min(size, self.int_align)


# alpha has no Rust target; the sparc entry also covers 32-bit sparc, whose asm/ioctl.h is the
# same file; mips32r6/mips64r6 are Rust's names for the R6 ISA of the same kernels.
ARCHES: tuple[Arch, ...] = (
    Arch("amd64", "x86_64-linux-gnu", "x86_64-linux-gnu", ("x86_64",), ("x86_64",), GENERIC),
    Arch(
        "i386", "i686-linux-gnu", "i686-linux-gnu", ("i386", "i486", "i586", "i686"), ("x86",),
        GENERIC, s64_align=4,
    ),
    Arch("x32", "x86_64-linux-gnux32", "x86_64-linux-gnux32", (), ("x86_64",), GENERIC),
    Arch(
        "arm64", "aarch64-linux-gnu", "aarch64-linux-gnu", ("aarch64", "arm64"), ("aarch64",),
        GENERIC, char_signed=False,
    ),
    Arch(
        "armhf", "arm-linux-gnueabihf", "armv7a-linux-gnueabihf", ("armv7l", "armv8l"), ("arm",),
        GENERIC, char_signed=False,
    ),
    Arch(
        "ppc64el", "powerpc64le-linux-gnu", "powerpc64le-linux-gnu", ("ppc64le",),
        ("powerpc64",), ALTERNATE, char_signed=False,
    ),
    Arch(
        "ppc64", "powerpc64-linux-gnu", "powerpc64-linux-gnu", ("ppc64",), ("powerpc64",),
        ALTERNATE, char_signed=False,
    ),
    Arch(
        "powerpc", "powerpc-linux-gnu", "powerpc-linux-gnu", ("ppc",), ("powerpc",), ALTERNATE,
        char_signed=False,
    ),
    Arch(
        "s390x", "s390x-linux-gnu", "s390x-linux-gnu", ("s390x",), ("s390x",), GENERIC,
        char_signed=False,
    ),
    Arch("mips", "mips-linux-gnu", "mips-linux-gnu", ("mips",), ("mips", "mips32r6"), ALTERNATE),
    Arch(
        "mips64el", "mips64el-linux-gnuabi64", "mips64el-linux-gnuabi64", ("mips64",),
        ("mips64", "mips64r6"), ALTERNATE,
    ),
    Arch(
        "riscv64", "riscv64-linux-gnu", "riscv64-linux-gnu", ("riscv64",), ("riscv64",), GENERIC,
        char_signed=False,
    ),
    Arch(
        "sparc64", "sparc64-linux-gnu", "sparc64-linux-gnu", ("sparc64",), ("sparc64", "sparc"),
        ALTERNATE, oss_encoding=OSS_SPARC,
    ),
    Arch(
        "m68k", "m68k-linux-gnu", "m68k-linux-gnu", ("m68k",), ("m68k",), GENERIC, int_align=2,
        s64_align=2,
    ),
    Arch("alpha", "alpha-linux-gnu", "alpha-linux-gnu", ("alpha",), (), ALTERNATE),
    Arch("hppa", "hppa-linux-gnu", "hppa-linux-gnu", ("parisc", "parisc64"), (), HPPA),
)  # fmt: skip

ARCH_BY_NAME = {arch.name: arch for arch in ARCHES}
HOST_REFERENCE = ARCHES[0]  # the architecture a layout is quoted for when all agree
# The encodings `_IO()` numbers differ by: the columns of the bindings' tables of them (parisc's
# `_IO()` numbers are asm-generic's).
ENCODINGS: tuple[IoctlEncoding, ...] = (GENERIC, ALTERNATE)
