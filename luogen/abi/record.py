"""The recorder every rule module writes its findings to, and the renames they share."""

from __future__ import annotations

from ..model.nodes import Doc
from ..records import dataclass, field
from . import codes
from .codes import Code
from .finding import Finding, Value


class Recorder:
    """The findings of one comparison, in the order the rules make them."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        code: Code,
        path: str,
        old: Value,
        new: Value,
        message: str,
        *,
        on_output: bool = False,
    ) -> None:
        """Record a finding of `code`; `on_output`: the member concerned is one the kernel never
        reads, which only a code with an `output_kind` distinguishes."""
        kind = code.kind
        if on_output and code.output_kind is not None:
            kind = code.output_kind
        self.findings.append(Finding(kind, code.name, code.scope, path, old, new, message))

    def renamed(self, code: Code, path: str, old: str, new: str, what: str) -> None:
        self.add(
            code,
            path,
            old,
            new,
            f"API break: the {what} is renamed; the binary interface is unchanged but code "
            f"spelling '{old}' no longer compiles",
        )

    def doc(self, path: str, old: Doc | str | None, new: Doc | str | None, what: str) -> None:
        """A `doc-changed` finding when the prose differs (a Doc's surrounding blanks do not
        count)."""
        if _prose(old) != _prose(new):
            self.add(
                codes.DOC_CHANGED,
                path,
                None,
                None,
                f"the {what} changed (prose only: no effect on the ABI)",
            )


def _prose(text: Doc | str | None) -> str | None:
    return text.text.strip() if isinstance(text, Doc) else text


@dataclass
class Renames:
    """Old name -> new name of the types found renamed so far: members that hold them compare
    equal when only the type's name changed (its rename is reported once, on its own)."""

    value_sets: dict[str, str] = field(default_factory=dict)  # enums and flag sets
    structs: dict[str, str] = field(default_factory=dict)  # nested structs

    def shape(self, shape: tuple[object, ...]) -> tuple[object, ...]:
        """An old member's shape with the nested structs renamed as the new side names them."""
        if shape[0] == "struct":
            return ("struct", self.structs.get(str(shape[1]), shape[1]))
        if shape[0] == "array":
            element = shape[1]
            assert isinstance(element, tuple)
            return ("array", self.shape(element), shape[2])
        return shape

    def meaning(self, meaning: str) -> str:
        """An old member's meaning with its enum or flag set renamed as the new side names it."""
        for old_name, new_name in self.value_sets.items():
            for noun in ("enum", "flags"):
                if meaning == f"{noun} {old_name}":
                    return f"{noun} {new_name}"
        return meaning

    def struct(self, name: str) -> str:
        """An old struct's name as the new side names it."""
        return self.structs.get(name, name)
