"""The macros of a translation unit, and how an ioctl macro reaches its encoding.

clang evaluates the numbers (see probe.py); what it does not say is how a macro was written:
`DRM_IOCTL_VERSION` is `DRM_IOWR(0x00, struct drm_version)` and DRM_IOWR is
`_IOWR(DRM_IOCTL_BASE, nr, type)`. Following the head of each expansion, with the helper's
parameters replaced by the arguments as written, gives the encoding's own arguments as the header
author wrote them: type `DRM_IOCTL_BASE`, nr `0x00`, argument `struct drm_version`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from ..records import dataclass
from .source import SourceFile

ENCODINGS = frozenset({"_IO", "_IOR", "_IOW", "_IOWR", "_IOC"})
# The headers that define the encodings; their macros are the encoding, not ioctls.
ENCODER_HEADERS = frozenset({"asm-generic/ioctl.h", "asm/ioctl.h", "linux/ioctl.h"})
MAX_DEPTH = 32
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\(?)", re.M)
# C's preprocessing tokens, and what separates them (a comment, however long, is a blank).
_PP_TOKEN = re.compile(
    r"""(?P<blank>[ \t\f\v]+|\\\n|/\*.*?\*/|//[^\n]*)|(?P<newline>\n)
    |(?P<literal>L?"(?:\\.|[^"\\\n])*"|L?'(?:\\.|[^'\\\n])*')
    |(?P<identifier>[A-Za-z_]\w*)|(?P<number>\.?\d(?:[eEpP][+-]|[\w.])*)
    |(?P<punctuator>\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|\#\#|[^\s])""",
    re.S | re.X,
)


@dataclass(frozen=True)
class Token:
    text: str
    identifier: bool  # an identifier or a keyword
    file: str
    start: int  # offsets in the file's text
    end: int


Tokens = tuple[Token, ...]


def join(tokens: Iterable[Token]) -> str:
    """Tokens as text: a blank where the source had one (or they come from different places)."""
    parts: list[str] = []
    last: Token | None = None
    for token in tokens:
        if last is not None and (last.file != token.file or last.end != token.start):
            parts.append(" ")
        parts.append(token.text)
        last = token
    return "".join(parts)


@dataclass(frozen=True)
class MacroDef:
    name: str
    params: tuple[str, ...] | None  # None: object-like
    body: Tokens
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Invocation:
    """`encoding(args...)`, reached from a macro through `via`."""

    encoding: str
    args: tuple[Tokens, ...]
    via: tuple[str, ...]


@dataclass(frozen=True)
class EncoderName:
    """The macro stands for an encoding macro itself (`#define _SIOR _IOR`)."""

    encoding: str


@dataclass(frozen=True)
class Unresolved:
    why: str


Resolution = Invocation | EncoderName | Unresolved


@dataclass(frozen=True)
class Written:
    """A #define as the file's text has it, whether clang takes it or not."""

    name: str
    function_like: bool
    offset: int  # of the name


def defined_names(text: str) -> list[Written]:
    """Every #define of a file, active or not, in order."""
    return [Written(m.group(1), bool(m.group(2)), m.start(1)) for m in _DEFINE.finditer(text)]


def self_contained(tokens: Tokens) -> bool:
    """Whether a body can stand inside parentheses without taking what follows along: no braces,
    semicolons, strings or directives, and its own parentheses and brackets close."""
    depth = 0
    for token in tokens:
        text = token.text
        if text in ("{", "}", ";", "#", "##") or text[:1] == '"' or text[:2] == 'L"':
            return False
        depth += (text in "([") - (text in ")]")
        if depth < 0:
            return False
    return depth == 0


def tokenize_directive(source: SourceFile, offset: int) -> Tokens:
    """The tokens of the directive line from `offset` on (continued lines included)."""
    cached: Tokens | None = source.directives.get(offset)
    if cached is not None:
        return cached
    found = []
    for match in _PP_TOKEN.finditer(source.text, offset):
        kind = match.lastgroup
        if kind == "newline":
            break
        if kind != "blank":
            found.append(Token(match.group(), kind == "identifier", source.path, *match.span()))
    source.directives[offset] = tokens = tuple(found)
    return tokens


def _definition(name: str, tokens: Tokens, source: SourceFile) -> MacroDef:
    head = tokens[0]
    line, column = source.position(head.start)
    if len(tokens) > 1 and tokens[1].text == "(" and tokens[1].start == head.end:
        close = next(i for i, t in enumerate(tokens) if t.text == ")")
        params = tuple("__VA_ARGS__" if t.text == "..." else t.text
                       for t in tokens[2:close] if t.text != ",")  # fmt: skip
        return MacroDef(name, params, tokens[close + 1 :], source.path, line, column)
    return MacroDef(name, None, tokens[1:], source.path, line, column)


Finder = Callable[[str, "str | None"], "tuple[SourceFile, int] | None"]


class MacroTable:
    """The macros in force at the end of a translation unit, read from their file's text when
    first asked for; `find` says which definition that is (clang knows) and where, looking in
    `main` first (the header read: most names asked for are its own)."""

    def __init__(self, find: Finder, main: str | None = None) -> None:
        self._find = find
        self._main = main
        self._defs: dict[str, MacroDef | None] = {}
        self._reaches: dict[str, bool] = {}

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def file_of(self, name: str) -> str:
        definition = self.get(name)
        return definition.file if definition is not None else ""

    def get(self, name: str) -> MacroDef | None:
        if name not in self._defs:
            found = self._find(name, self._main)
            definition = None
            if found is not None:
                source, offset = found
                tokens = tokenize_directive(source, offset)
                if tokens and tokens[0].text == name:
                    definition = _definition(name, tokens, source)
            self._defs[name] = definition
        return self._defs[name]

    def reaches_encoding(self, name: str) -> bool:
        """Whether the expansion of `name` uses _IO, _IOR, _IOW, _IOWR or _IOC, at any depth."""
        if name in ENCODINGS:
            return True
        if name not in self._reaches:
            self._reaches[name] = False  # a macro that names itself stops there, as in C
            definition = self.get(name)
            if definition is not None:
                params = set(definition.params or ())
                self._reaches[name] = any(
                    t.identifier and t.text not in params and self.reaches_encoding(t.text)
                    for t in definition.body
                )
        return self._reaches[name]

    def resolve(self, name: str) -> Resolution:
        definition = self.get(name)
        if definition is None:
            return Unresolved("no definition")
        return self._follow(definition.body, (), 0)

    def _follow(self, tokens: Tokens, via: tuple[str, ...], depth: int) -> Resolution:
        tokens = strip_parens(tokens)
        if depth > MAX_DEPTH or not tokens or not tokens[0].identifier:
            return Unresolved("its expansion is not an ioctl encoding on its own")
        head = tokens[0].text
        if head in ENCODINGS:
            if len(tokens) == 1:
                return EncoderName(head)
            args = call_args(tokens)
            if args is None:
                return Unresolved(f"it uses {head}(...) inside a larger expression")
            return Invocation(head, args, via)
        definition = self.get(head)
        if definition is None:
            return Unresolved(f"{head} is not a macro the reader can follow")
        if definition.params is None:  # the head expands, then the rest is read again
            return self._follow(definition.body + tokens[1:], (*via, head), depth + 1)
        args = call_args(tokens)
        if args is None:
            return Unresolved(f"it uses {head}(...) inside a larger expression")
        body = substitute(definition, args)
        if isinstance(body, Unresolved):
            return body
        return self._follow(body, (*via, head), depth + 1)


def strip_parens(tokens: Tokens) -> Tokens:
    while len(tokens) >= 2 and tokens[0].text == "(" and _closing(tokens, 0) == len(tokens) - 1:
        tokens = tokens[1:-1]
    return tokens


def _closing(tokens: Sequence[Token], start: int) -> int:
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i].text == "(":
            depth += 1
        elif tokens[i].text == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def call_args(tokens: Tokens) -> tuple[Tokens, ...] | None:
    """The arguments of `name(args...)` when the call is all of `tokens`."""
    if len(tokens) < 3 or tokens[1].text != "(" or _closing(tokens, 1) != len(tokens) - 1:
        return None
    args: list[Tokens] = []
    depth, start = 0, 2
    for i in range(2, len(tokens) - 1):
        text = tokens[i].text
        depth += (text == "(") - (text == ")")
        if text == "," and depth == 0:
            args.append(tokens[start:i])
            start = i + 1
    args.append(tokens[start:-1])
    return tuple(args)


def substitute(definition: MacroDef, args: tuple[Tokens, ...]) -> Tokens | Unresolved:
    """The body with each parameter replaced by its argument as written (not expanded)."""
    params = definition.params or ()
    variadic = bool(params) and params[-1] == "__VA_ARGS__"
    if variadic and len(args) >= len(params) - 1:
        rest = args[len(params) - 1 :]
        joined: list[Token] = []
        for i, arg in enumerate(rest):
            if i:
                joined.append(Token(",", False, "", 0, 0))
            joined += arg
        args = (*args[: len(params) - 1], tuple(joined))
    if len(args) != len(params) and not (not params and args == ((),)):
        return Unresolved(f"{definition.name} takes {len(params)} arguments, not {len(args)}")
    bound = dict(zip(params, args, strict=False))
    out: list[Token] = []
    for token in definition.body:
        if token.text in ("#", "##"):
            return Unresolved(f"{definition.name} uses the {token.text} operator")
        out += bound.get(token.text, (token,)) if token.identifier else (token,)
    return tuple(out)


def mentions(tokens: Tokens, names: Iterable[str]) -> bool:
    wanted = set(names)
    return any(t.identifier and t.text in wanted for t in tokens)
