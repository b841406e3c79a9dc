"""What every builder pass shares: the spec, the diagnostics found so far and the header's C
namespace, in which every macro, enumerator and tag must be unique."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ...errors import Diagnostic, Location
from ...spec import Spec
from ..names import reserved_in
from ..nodes import Doc
from ..reserved import KERNEL_TARGET_SOURCES, reserved
from .partial import Skipped

_LOWER = re.compile(r"^_*[a-z][a-z0-9_]*$")
_UPPER = re.compile(r"^_*[A-Z][A-Z0-9_]*$")


def since(item: dict[str, Any]) -> str | None:
    value = item.get("since")
    return None if value is None else str(value)


class Context:
    def __init__(self, spec: Spec, skipped: Skipped | None = None) -> None:
        self.spec = spec
        self.skipped = skipped or Skipped(spec.data, ())  # parts with schema errors
        self.data: dict[str, Any] = self.skipped.read(spec.data)  # stand-ins for bad keys
        self.diagnostics: list[Diagnostic] = []
        self.global_names: dict[str, tuple[str, Location]] = {}
        self.upper = self.data["name"].upper()
        targets = self.data.get("targets")
        every = frozenset({"uapi", "docs", "kernel", "rust", "python"})
        # What `luogen generate` writes without -t: the names of each target's files matter.
        self.targets = frozenset(targets) if isinstance(targets, list) and targets else every
        self.kernel_target = "kernel" in self.targets

    def items(self, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """(index, item) of each item of the top-level list `section` that passed the schema."""
        return self.skipped.items(self.data, section)

    # --- reporting -----------------------------------------------------------------------------

    def error(self, where: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(where, "error", message))

    def unknown(self, section: str, name: str, where: Location, message: str) -> None:
        """Report a reference to an unknown `name` of `section`, unless a part of the spec that
        failed the schema declares it (its own error says it all)."""
        if not self.skipped.missing(section, name):
            self.error(where, message)

    def warn(self, where: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(where, "warning", message))

    def at(self, *path: str | int) -> Location:
        return self.spec.at(path)

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    # --- names ---------------------------------------------------------------------------------

    def claim(self, name: str, what: str, where: Location, style: str = "upper") -> None:
        """Register a name in the header's global C namespace (macros, enumerators, tags)."""
        if name in self.global_names:
            other, first = self.global_names[name]
            self.error(
                where, f"{what} '{name}' clashes with the {other} of that name (line {first.line})"
            )
            return
        self.global_names[name] = (what, where)
        self.check_identifier(name, what, where, style, file_scope=True)

    def check_struct_prefix(self, name: str, where: Location) -> None:
        """Warn about a struct whose name does not start with the spec's name and an underscore
        (or is not the spec's name itself), nor with a `struct-prefix` a range declares (the
        maintainer's own namespace: iommufd's structs are `iommu_*`)."""
        spec_name = self.data["name"]
        declared = [
            r["struct-prefix"]
            for r in self.data.get("ranges", ())
            if isinstance(r, dict)
            and isinstance(r.get("struct-prefix"), str)
            and r["struct-prefix"]
        ]
        if name == spec_name or name.startswith((f"{spec_name}_", *declared)):
            return
        also = f", nor with a range's struct-prefix ({', '.join(declared)})" if declared else ""
        self.warn(
            where,
            f"struct '{name}' does not start with '{spec_name}_', the spec name and an "
            f"underscore{also}",
        )

    def check_identifier(
        self,
        name: str,
        what: str,
        where: Location,
        style: str,
        file_scope: bool = False,
        cxx: bool = True,
    ) -> None:
        """Report a keyword, a name the generated files define or use beside the spec's (a
        macro breaks the name wherever it is; any other, a name of the C file scope: a macro,
        enumerator, tag or function), or else a style problem. `cxx=False` leaves C++'s and
        Rust's keywords to the caller (a classic struct's member may be one: C programs compile
        it, and the Rust binding spells it another way)."""
        language, taken = reserved_in(name), reserved(name)
        if taken is not None and taken.source in KERNEL_TARGET_SOURCES and not self.kernel_target:
            taken = None
        if language in ("C++", "Rust") and not cxx:
            language = None
        if language:
            self.error(where, f"{what} '{name}' is a {language} keyword; choose another name")
        elif taken is not None and taken.macro:
            self.error(where, f"{what} '{name}' is a macro of {taken.source}: rename it")
        elif taken is not None and file_scope:
            self.error(where, f"{what} '{name}' is already a name in {taken.source}: rename it")
        elif style == "upper" and not _UPPER.match(name):
            self.warn(where, f"{what} '{name}' should be UPPER_CASE")
        elif style == "lower" and not _LOWER.match(name):
            self.warn(where, f"{what} '{name}' should be lower_case")

    # --- prose ---------------------------------------------------------------------------------

    def text(self, text: str, *path: str | int) -> str:
        """Free text that luogen writes into C comments: it must not open or close one."""
        for token, effect in (("*/", "end the C comment"), ("/*", "nest a C comment")):
            if token in text:
                self.error(self.at(*path), f"text must not contain '{token}' (it would {effect})")
                break
        return text

    def doc(self, text: str, *path: str | int) -> Doc:
        doc = Doc(self.text(text, *path))
        if doc.problem:
            self.error(self.at(*path), doc.problem)
        return doc
