"""Result shapes: what a safe method returns, in Python and in Rust.

A command returns nothing, its one output, the object its one output (an fd) opens, or all its
outputs as a small type of its own. Python blocks that may be empty start with a newline, so that
a template appends them to the line before (`{{- ... }}`) without an `if`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...text import fit, rust_literal

if TYPE_CHECKING:
    from ..nodes import Command, CommandRange, Member

_BODY = "        "  # a method body's indent, in both languages


def _py_unpacked(command: Command, request: str, values: str) -> str:
    """The line that unpacks the results from the request buffer into `values`."""
    head = f"{values}: {command.py_results_annotation} = "
    return "\n" + fit(head, f"{command.py_results_name}.unpack_from({request})", "", _BODY)


def _rust_loaded(member: Member, arg: str) -> str:
    return member.kind.rust_load(f"{arg}.{member.rust_name}")


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
        return self.member.kind.py_out_annotation

    @property
    def py_returns_doc(self) -> str:
        return self.member.description

    def py_return(self, command: Command, request: str, values: str) -> str:
        (result,) = command.py_results(values)
        return _py_unpacked(command, request, values) + f"\n{_BODY}return {result}"

    @property
    def rust_type(self) -> str:
        return self.member.kind.rust_out_type

    def rust_return(self, arg: str) -> str:
        return f"{_BODY}let out = {_rust_loaded(self.member, arg)};\n{_BODY}Ok(out)"


@dataclass(frozen=True)
class OpensObject(ResultShape):
    """The one output is an fd of another range's object: the method returns that object."""

    member: Member
    opened: CommandRange

    @property
    def py_annotation(self) -> str:
        return self.opened.class_name

    @property
    def py_returns_doc(self) -> str:
        return f"A `{self.py_annotation}` that owns the new fd. {self.member.doc.first}"

    def py_return(self, command: Command, request: str, values: str) -> str:
        (result,) = command.py_results(values)
        unpacked = _py_unpacked(command, request, values)
        return unpacked + f"\n{_BODY}return {self.py_annotation}({result})"

    @property
    def rust_type(self) -> str:
        return self.opened.class_name

    def rust_return(self, arg: str) -> str:
        return f"{_BODY}Ok({self.rust_type}::from_fd({_rust_loaded(self.member, arg)}))"


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
        fields = [f"{m.rust_name}: {_rust_loaded(m, arg)}" for m in self.members]
        return rust_literal(f"Ok({self.name}", fields, ")", _BODY)
