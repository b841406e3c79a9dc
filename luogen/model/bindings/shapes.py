"""Result shapes: what a safe method returns, in Python and in Rust.

A command returns nothing, its one output, or all its outputs as a small type of its own; an fd
output whose member says `opens` is the object it opens, returned or a field of that type.
Python blocks that may be empty start with a newline, so that a template appends them to the line
before (`{{- ... }}`) without an `if`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from ...records import dataclass
from ...text import fit, rust_literal

if TYPE_CHECKING:
    from ..nodes import Command, Member

_BODY = "        "  # a method body's indent, in both languages


def _py_unpacked(command: Command, request: str, values: str) -> str:
    """The line that unpacks the results from the request buffer into `values`."""
    head = f"{values}: {command.py_results_annotation} = "
    return "\n" + fit(head, f"{command.py_results_name}.unpack_from({request})", "", _BODY)


@dataclass(frozen=True)
class ResultShape(ABC):
    @property
    @abstractmethod
    def py_annotation(self) -> str: ...

    @property
    @abstractmethod
    def py_returns_doc(self) -> str:
        """The `Returns:` section of the method's docstring ("" for none)."""

    @abstractmethod
    def py_return(self, command: Command, request: str, values: str) -> str:
        """The method's last lines: unpack the results from `request` and return them."""

    @property
    @abstractmethod
    def rust_type(self) -> str: ...

    @abstractmethod
    def rust_return(self, arg: str) -> str:
        """The method's last lines, returning the results from the raw struct `arg`."""


@dataclass(frozen=True)
class NoResult(ResultShape):
    py_annotation = "None"
    py_returns_doc = ""
    rust_type = "()"

    def py_return(self, command: Command, request: str, values: str) -> str:
        return ""

    def rust_return(self, arg: str) -> str:
        return f"{_BODY}Ok(())"


@dataclass(frozen=True)
class OneValue(ResultShape):
    member: Member

    @property
    def py_annotation(self) -> str:
        return self.member.py_out_annotation

    @property
    def py_returns_doc(self) -> str:
        return self.member.description

    def py_return(self, command: Command, request: str, values: str) -> str:
        (result,) = command.py_results(values)
        return _py_unpacked(command, request, values) + f"\n{_BODY}return {result}"

    @property
    def rust_type(self) -> str:
        return self.member.rust_out_type

    def rust_return(self, arg: str) -> str:
        return f"{_BODY}let out = {self.member.rust_load(arg)};\n{_BODY}Ok(out)"


@dataclass(frozen=True)
class OpensObject(OneValue):
    """The one output is an fd of another range's object: the method returns that object."""

    @property
    def py_returns_doc(self) -> str:
        return f"A `{self.py_annotation}` that owns the new fd. {self.member.doc.first}"

    def rust_return(self, arg: str) -> str:
        return f"{_BODY}Ok({self.member.rust_load(arg)})"


@dataclass(frozen=True)
class SeveralValues(ResultShape):
    """Every output, as a type of the command's own (`...Out`: a NamedTuple, a Rust struct)."""

    command: Command
    owner: str  # the class whose method returns it

    @property
    def name(self) -> str:
        return self.command.out_type_name

    @property
    def members(self) -> tuple[Member, ...]:
        return self.command.results

    py_annotation = name
    rust_type = name

    @property
    def py_returns_doc(self) -> str:
        return f"The output members, as a `{self.name}`."

    def py_return(self, command: Command, request: str, values: str) -> str:
        results = "".join(f"{_BODY}        {r},\n" for r in command.py_results(values))
        built = f"{_BODY}return _tuple_new(\n{_BODY}    {self.name},\n{_BODY}    (\n"
        closed = f"{_BODY}    ),\n{_BODY})"
        return _py_unpacked(command, request, values) + "\n" + built + results + closed

    def rust_return(self, arg: str) -> str:
        fields = [f"{m.rust_name}: {m.rust_load(arg)}" for m in self.members]
        return rust_literal(f"Ok({self.name}", fields, ")", _BODY)
