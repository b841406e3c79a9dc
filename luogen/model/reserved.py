"""The C names a spec may not set: those the generated files define or use besides the spec's own,
kept here as data, each under the file that defines it, and read into one table at import.

The names the kernel target derives from the spec (`*_ioctl` dispatchers, `*_ucmd_buffer`
unions, `*_ops` tables, `*_check_*` functions, the kernel header's guard) vary with it: the
builder checks them against the spec's names itself (`build/kernel_names.py`).
"""

from __future__ import annotations

from typing import NamedTuple


class Source(NamedTuple):
    """Names one file defines, or one part of the generated code uses."""

    name: str  # as a message names it
    macros: str  # its macros: a spec name spelled so is replaced, a member's too
    others: str  # its other file-scope names: types, tags, functions, variables


SOURCES = (
    # The uapi headers of Linux 6.1 on all 16 architectures: every `#define`, typedef and tag of
    # <linux/types.h> and of what it includes (asm/types.h, asm-generic/int-ll64.h and int-l64.h,
    # linux/posix_types.h, asm/posix_types*.h, asm-generic/posix_types.h, asm/bitsperlong.h,
    # asm-generic/bitsperlong.h, linux/stddef.h, asm/sgidefs.h), in every #if branch; every
    # `__kernel_*` name besides (KERNEL_PREFIX). tests/test_reserved.py reads the installed headers.
    Source(
        "<linux/types.h>, which the uapi header includes",
        """_ALPHA_POSIX_TYPES_H _ALPHA_TYPES_H _ASM_GENERIC_INT_L64_H _ASM_GENERIC_INT_LL64_H
        _ASM_GENERIC_TYPES_H _ASM_POSIX_TYPES_H _ASM_POWERPC_POSIX_TYPES_H _ASM_POWERPC_TYPES_H
        _ASM_RISCV_BITSPERLONG_H _ASM_TYPES_H _ASM_X86_POSIX_TYPES_32_H _ASM_X86_POSIX_TYPES_64_H
        _ASM_X86_POSIX_TYPES_X32_H _LINUX_POSIX_TYPES_H _LINUX_STDDEF_H _LINUX_TYPES_H
        _MIPS_ISA_MIPS1 _MIPS_ISA_MIPS2 _MIPS_ISA_MIPS3 _MIPS_ISA_MIPS32 _MIPS_ISA_MIPS4
        _MIPS_ISA_MIPS5 _MIPS_ISA_MIPS64 _MIPS_SIM_ABI32 _MIPS_SIM_ABI64 _MIPS_SIM_NABI32
        _S390_TYPES_H __ARCH_ARM_POSIX_TYPES_H __ARCH_M68K_POSIX_TYPES_H
        __ARCH_PARISC_POSIX_TYPES_H __ARCH_S390_POSIX_TYPES_H __ASM_ALPHA_BITSPERLONG_H
        __ASM_BITSPERLONG_H __ASM_GENERIC_BITS_PER_LONG __ASM_GENERIC_POSIX_TYPES_H
        __ASM_MIPS_BITSPERLONG_H __ASM_PARISC_BITSPERLONG_H __ASM_POSIX_TYPES_H
        __ASM_POWERPC_BITSPERLONG_H __ASM_S390_BITSPERLONG_H __ASM_SGIDEFS_H
        __ASM_X86_BITSPERLONG_H __BITS_PER_LONG __BITS_PER_LONG_LONG __DECLARE_FLEX_ARRAY
        __FD_SETSIZE __INT32_TYPE__ __SPARC_POSIX_TYPES_H __UINT32_TYPE__ __UINTPTR_TYPE__
        __aligned_be64 __aligned_le64 __aligned_s64 __aligned_u64 __always_inline __bitwise
        __bitwise__ __counted_by __struct_group __struct_group_tag""",
        """__be16 __be32 __be64 __le16 __le32 __le64 __poll_t __s16 __s32 __s64 __s8 __sum16
        __u16 __u32 __u64 __u8 __vector128 __wsum addr_t saddr_t""",
    ),
    # The same for <linux/ioctl.h>: asm/ioctl.h and asm-generic/ioctl.h.
    Source(
        "<linux/ioctl.h>, which the uapi header includes",
        """IOCSIZE_MASK IOCSIZE_SHIFT IOC_IN IOC_INOUT IOC_OUT _ALPHA_IOCTL_H _ASM_GENERIC_IOCTL_H
        _ASM_PARISC_IOCTL_H _ASM_POWERPC_IOCTL_H _IO _IOC _IOC_DIR _IOC_DIRBITS _IOC_DIRMASK
        _IOC_DIRSHIFT _IOC_NONE _IOC_NR _IOC_NRBITS _IOC_NRMASK _IOC_NRSHIFT _IOC_READ _IOC_SIZE
        _IOC_SIZEBITS _IOC_SIZEMASK _IOC_SIZESHIFT _IOC_TYPE _IOC_TYPEBITS _IOC_TYPECHECK
        _IOC_TYPEMASK _IOC_TYPESHIFT _IOC_WRITE _IOC_XSIZEMASK _IOR _IOR_BAD _IOW _IOWR _IOWR_BAD
        _IOW_BAD _LINUX_IOCTL_H _SPARC_IOCTL_H __ASM_IOCTL_H""",
        "",
    ),
    # The OSS encoding macros a header of OSS commands defines as <linux/soundcard.h> does
    # (model/encodings.py: oss_macros), the parameters of their definitions, and the compilers'
    # predefined macros they test.
    Source(
        "the OSS macros of <linux/soundcard.h>, which the uapi header defines",
        "_SIO _SIOR _SIOW _SIOWR",
        "sparc __sparc__ __oss_typ __oss_nr __oss_arg",
    ),
    # luogen/runtime/luogen_dispatch.h: what it defines, and the members and parameters of its
    # definitions (a macro of the spec would replace them); the loop variables of the checks in
    # the generated NAME_ioctl.c (kinds.LOOP_VARIABLES). tests/test_reserved.py reads the file.
    Source(
        "the kernel dispatch luogen generates (luogen_dispatch.h, NAME_ioctl.c)",
        "LUOGEN_IOCTL_OP LUOGEN_UCMD LUOGEN_UCMD_OPEN _LUOGEN_DISPATCH_H",
        """luogen_dispatch luogen_in_table luogen_ioctl_op luogen_ucmd luogen_ucmd_respond
        _buffer _check _fn _index _ioctl _last _struct arg base buf check cmd cmd_len execute file
        filp ioctl_num min_size nr nr_ops op ops ret size ubuffer ucmd user_size i j k l m n
        luogen_array_alloc luogen_array_answer luogen_array_copy_in luogen_array_copy_out
        bytes capacity count elem_size elems max_count total uptr data len index""",
    ),
    # What the generated kernel files and the dispatch core use of the kernel, and the guards of
    # the kernel headers they include.
    Source(
        "the kernel headers the generated kernel files use",
        """ARRAY_SIZE BUILD_BUG_ON_ZERO EFAULT EINVAL ENOIOCTLCMD EOPNOTSUPP IS_ENABLED NULL __user
        copy_to_user get_user min_t offsetof offsetofend _LINUX_BUILD_BUG_H _LINUX_ERRNO_H
        _LINUX_FS_H _LINUX_KERNEL_H _LINUX_STRING_H_ __LINUX_UACCESS_H__
        E2BIG EMSGSIZE ENOMEM GFP_KERNEL_ACCOUNT INT_MAX IS_ERR_OR_NULL U16_MAX U32_MAX U8_MAX
        __GFP_NOWARN array_size u64_to_user_ptr _LINUX_ERR_H _LINUX_LIMITS_H _LINUX_SLAB_H
        __LINUX_OVERFLOW_H check_add_overflow""",
        """copy_struct_from_user memchr_inv size_t u32 ERR_PTR copy_from_user kvfree kvzalloc u16
        u64 u8 clear_user private_data""",
    ),
)
# The names only the kernel target's files define or use: free in a spec that asks for no kernel
# target (an imported classic header's guard may be _LINUX_FS_H).
KERNEL_TARGET_SOURCES = frozenset(source.name for source in SOURCES[3:])
KERNEL_PREFIX = "__kernel_"  # <linux/posix_types.h> and asm/posix_types.h: all their own


# The bindings' module scope: what the Python package (NAME_uapi/__init__.py) and the Rust crate
# (src/lib.rs) define or import there beside the spec's names. A constant, macro or enumerator of
# the spec is a module-scope name in both (`NAME: Final = ...`, `pub const NAME`), so it may be
# none of these. tests/test_reserved.py reads the generated modules.
BINDING_SOURCES = {
    "python": (
        "the Python bindings luogen generates (NAME_uapi/__init__.py)",
        """ARCH ARCHES ClassVar Final IOCTL_NUMBERS NamedTuple Self Sequence TypeAlias
        UnknownData UserBuffer _FdObject _NUMBERS _Scalar _array _bitmap _cstring _data _decoded
        _elements _entries _fd _instance _int _ioctl _memory _numbers_on _packed _per_arch
        _this_arch _tuple_new _written annotations dataclasses enum ioctl_numbers platform
        struct""",
    ),
    "rust": (
        "the Rust bindings luogen generates (src/lib.rs)",
        """ARCH AlignedI64 AlignedU64 Be16 Be32 Be64 ENCODING Int IntType Le16 Le32 Le64 c_ulong
        c_void classic errno runtime safe""",
    ),
}


def binding_reserved(name: str, targets: frozenset[str]) -> str | None:
    """Which of the bindings of `targets` define `name` at module scope beside the spec (None:
    none does)."""
    found = [
        source
        for target, (source, names) in BINDING_SOURCES.items()
        if target in targets and name in names.split()
    ]
    return " and ".join(found) or None


class Reserved(NamedTuple):
    source: str
    macro: bool


def _table() -> dict[str, Reserved]:
    table: dict[str, Reserved] = {}
    for source in SOURCES:
        for name in source.others.split():
            table.setdefault(name, Reserved(source.name, False))
        for name in source.macros.split():
            table[name] = Reserved(source.name, True)
    return table


RESERVED = _table()


def reserved(name: str) -> Reserved | None:
    """Which file defines or uses `name` beside the spec (None: none does)."""
    if name.startswith(KERNEL_PREFIX):
        return Reserved(SOURCES[0].name, True)
    return RESERVED.get(name)
