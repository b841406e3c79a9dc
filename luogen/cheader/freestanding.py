"""The freestanding headers a C compiler brings along (C11 clause 4: stddef.h, stdint.h, limits.h,
stdbool.h, stdarg.h), for libclang as PyPI ships it: without its resource directory.

Each is written in terms of the macros clang predefines for the target (__SIZE_TYPE__,
__INT_MAX__, ...), so every type and limit is the target's own. They are handed to clang as unsaved
files below a directory that does not exist on disk, searched after the C library's headers (glibc's
limits.h includes the compiler's with #include_next).
"""

from __future__ import annotations

DIRECTORY = "/luogen-freestanding"

_STDDEF = """\
#ifndef __LUOGEN_STDDEF_H
#define __LUOGEN_STDDEF_H
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __WCHAR_TYPE__ wchar_t;
#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
#undef __need_size_t
#undef __need_ptrdiff_t
#undef __need_wchar_t
#undef __need_NULL
#undef __need_offsetof
"""

_STDINT_TYPES = "".join(
    f"typedef __INT{n}_TYPE__ int{n}_t;\ntypedef __UINT{n}_TYPE__ uint{n}_t;\n"
    f"#define INT{n}_MAX __INT{n}_MAX__\n#define UINT{n}_MAX __UINT{n}_MAX__\n"
    f"#define INT{n}_MIN (-__INT{n}_MAX__ - 1)\n"
    for n in (8, 16, 32, 64)
)

_STDINT = f"""\
#ifndef __LUOGEN_STDINT_H
#define __LUOGEN_STDINT_H
{_STDINT_TYPES}typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __INTMAX_TYPE__ intmax_t;
typedef __UINTMAX_TYPE__ uintmax_t;
#define SIZE_MAX __SIZE_MAX__
#endif
"""

_LIMITS = """\
#ifndef __LUOGEN_LIMITS_H
#define __LUOGEN_LIMITS_H
#define CHAR_BIT __CHAR_BIT__
#define SCHAR_MAX __SCHAR_MAX__
#define SCHAR_MIN (-__SCHAR_MAX__ - 1)
#define UCHAR_MAX (__SCHAR_MAX__ * 2 + 1)
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN 0
#define CHAR_MAX UCHAR_MAX
#else
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#endif
#define SHRT_MAX __SHRT_MAX__
#define SHRT_MIN (-__SHRT_MAX__ - 1)
#define USHRT_MAX (__SHRT_MAX__ * 2 + 1)
#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)
#define UINT_MAX (__INT_MAX__ * 2U + 1U)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-__LONG_MAX__ - 1L)
#define ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)
#define LLONG_MAX __LONG_LONG_MAX__
#define LLONG_MIN (-__LONG_LONG_MAX__ - 1LL)
#define ULLONG_MAX (__LONG_LONG_MAX__ * 2ULL + 1ULL)
#endif
"""

_STDBOOL = """\
#ifndef __LUOGEN_STDBOOL_H
#define __LUOGEN_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#endif
"""

_STDARG = """\
#ifndef __LUOGEN_STDARG_H
#define __LUOGEN_STDARG_H
typedef __builtin_va_list va_list;
typedef __builtin_va_list __gnuc_va_list;
#define va_start(list, last) __builtin_va_start(list, last)
#define va_end(list) __builtin_va_end(list)
#define va_arg(list, type) __builtin_va_arg(list, type)
#define va_copy(to, from) __builtin_va_copy(to, from)
#endif
#undef __need___va_list
"""

HEADERS: dict[str, str] = {
    "stddef.h": _STDDEF,
    "stdint.h": _STDINT,
    "limits.h": _LIMITS,
    "stdbool.h": _STDBOOL,
    "stdarg.h": _STDARG,
}


def unsaved_files() -> list[tuple[str, str]]:
    return [(f"{DIRECTORY}/{name}", text) for name, text in HEADERS.items()]
