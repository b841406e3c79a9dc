"""Identifier rules shared by the checks: keywords of the languages luogen writes."""

from __future__ import annotations

import keyword
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


C_KEYWORDS = _words(
    """auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef union
    unsigned void volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary
    _Noreturn _Static_assert _Thread_local asm typeof bool true false alignas alignof nullptr
    static_assert thread_local"""
)
# C++ keywords matter too: uapi headers are included from C++ programs.
CXX_KEYWORDS = _words(
    """and and_eq bitand bitor catch char8_t char16_t char32_t class compl concept consteval
    constexpr constinit const_cast co_await co_return co_yield decltype delete dynamic_cast explicit
    export friend mutable namespace new noexcept not not_eq operator or or_eq private protected
    public reinterpret_cast requires static_cast template this throw try typeid typename using
    virtual wchar_t xor xor_eq"""
)
# Rust keywords that even a raw identifier (r#name) cannot spell.
RUST_UNRAWABLE = frozenset({"self", "Self", "super", "crate", "_"})
RUST_KEYWORDS = _words(
    """as break const continue crate else enum extern false fn for if impl in let loop match mod
    move mut pub ref return self Self static struct super trait true type unsafe use where while
    async await dyn abstract become box do final macro override priv typeof unsized virtual yield
    try gen"""
)
PYTHON_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)


def reserved_in(name: str) -> str | None:
    """Which language forbids `name` outright (no escape exists there), or None."""
    if name in C_KEYWORDS:
        return "C"
    if name in CXX_KEYWORDS:
        return "C++"
    if name in RUST_UNRAWABLE:
        return "Rust"
    return None


def rust_ident(name: str) -> str:
    """`name` as a Rust identifier: raw (`r#type`) where a keyword, and `self_` where no raw
    identifier can spell it (a classic header's member named `self`)."""
    if name in RUST_UNRAWABLE:
        return f"{name}_"
    return f"r#{name}" if name in RUST_KEYWORDS else name


# What a generated struct class names in its own body (its methods' annotations, `struct`,
# `Self`, `ClassVar`): a field of that name would hide it there (linux/soundcard.h's struct
# count_info has a member `bytes`). dataclasses renames its own `self` when a field has it.
PYTHON_CLASS_SCOPE = frozenset(
    {"bytes", "bytearray", "memoryview", "int", "str", "bool", "Self", "ClassVar", "struct",
     "dataclasses"}
)  # fmt: skip


def python_ident(name: str) -> str:
    return f"{name}_" if name in PYTHON_KEYWORDS else name


def python_field(name: str) -> str:
    """`name` as a field of a generated struct class: keywords and the class's own names
    escaped with a trailing underscore."""
    return f"{name}_" if name in PYTHON_KEYWORDS | PYTHON_CLASS_SCOPE else name


_UNDERSCORES = re.compile(r"_+")


def camel(name: str) -> str:
    """`liveupdate_session_finish` -> `LiveupdateSessionFinish` (Rust and Python type names)."""
    return "".join(part[:1].upper() + part[1:] for part in _UNDERSCORES.split(name) if part)
