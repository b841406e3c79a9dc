"""Values that may differ per architecture (a classic struct's size, a classic ioctl's number), as
the bindings spell them: the value itself where it is the same everywhere the language runs, else
a table the runtime picks from (Rust: `[..][ARCH]`, in the order of the model's architectures;
Python: `_per_arch(ARCH, default, **others)`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Generic, TypeVar

from ...records import dataclass
from ..arch import ARCHES, Arch

T = TypeVar("T")
# The architectures Rust builds for (alpha and hppa have no Rust target): what a crate's tables
# must be right on. Python runs on all 16.
RUST_ARCHES: tuple[Arch, ...] = tuple(a for a in ARCHES if a.rust_arches)


def fill(items: list[str], indent: str, width: int = 100) -> list[str]:
    """`items`, comma-separated, as many to a line as fit in `width` (rustfmt's layout of an
    array of short elements); every line ends with a comma."""
    lines: list[str] = []
    line = ""
    for item in items:
        candidate = f"{line} {item}," if line else f"{indent}{item},"
        if line and len(candidate) > width:
            lines.append(line)
            candidate = f"{indent}{item},"
        line = candidate
    return [*lines, line] if line else lines


@dataclass(frozen=True)
class PerArch(Generic[T]):
    """One value per architecture of the model, in its order."""

    values: tuple[T, ...]

    @classmethod
    def of(cls, value: Callable[[Arch], T]) -> PerArch[T]:
        return cls(tuple(value(arch) for arch in ARCHES))

    def on(self, arch: Arch) -> T:
        return self.values[ARCHES.index(arch)]

    @property
    def reference(self) -> T:
        return self.values[0]

    @property
    def varies_for_rust(self) -> bool:
        return len({self.on(a) for a in RUST_ARCHES}) > 1

    @property
    def varies(self) -> bool:
        return len(set(self.values)) > 1

    def rust(self, spell: Callable[[T], str] = str) -> str:
        """The value, or `[v0, .., v15][ARCH]` where Rust's architectures disagree."""
        if not self.varies_for_rust:
            return spell(self.on(RUST_ARCHES[0]))
        return f"[{', '.join(spell(v) for v in self.values)}][ARCH]"

    def rust_lines(self, head: str, tail: str, indent: str, spell: Callable[[T], str] = str) -> str:
        """`head` + the value + `tail` as rustfmt lays it out: one line when it fits, else the
        table's elements filled to the width, `][ARCH]` + `tail` on a line of its own."""
        one = f"{indent}{head}{self.rust(spell)}{tail}"
        if len(one) <= 100 or not self.varies_for_rust:
            return one
        items = fill([spell(v) for v in self.values], indent + "    ")
        return "\n".join([f"{indent}{head}[", *items, f"{indent}][ARCH]{tail}"])

    @property
    def _default(self) -> T:
        """The value on most architectures (the first such in the model's order on a tie)."""
        counts = Counter(self.values)
        return max(self.values, key=lambda v: (counts[v], -self.values.index(v)))

    def python(self, spell: Callable[[T], str] = repr, arch: str = "ARCH") -> str:
        """The value, or `_per_arch(ARCH, default, arch=value, ...)` where architectures
        disagree (`arch`: the expression naming the architecture)."""
        if not self.varies:
            return spell(self.reference)
        return f"_per_arch({', '.join(self._python_parts(spell, arch))})"

    def _python_parts(self, spell: Callable[[T], str], arch: str) -> list[str]:
        default = self._default
        pairs = zip(ARCHES, self.values, strict=True)
        others = [f"{a.name}={spell(value)}" for a, value in pairs if value != default]
        return [arch, spell(default), *others]

    def python_lines(
        self,
        head: str,
        tail: str,
        indent: str,
        spell: Callable[[T], str] = repr,
        arch: str = "ARCH",
    ) -> str:
        """`head` + the value + `tail`, broken as a call with an argument per line when it does
        not fit on one line (as ruff format breaks it)."""
        one = f"{indent}{head}{self.python(spell, arch)}{tail}"
        if len(one) <= 100 or not self.varies:
            return one
        if head.endswith("("):  # the value is a call's argument: the call breaks first
            inner = self.python_lines("", "", indent + "    ", spell, arch)
            return f"{indent}{head}\n{inner}\n{indent}{tail}"
        items = [f"{indent}    {part}," for part in self._python_parts(spell, arch)]
        return "\n".join([f"{indent}{head}_per_arch(", *items, f"{indent}){tail}"])
