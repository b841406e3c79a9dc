"""How a classic command's safe method passes its argument, in Rust and in Python: nothing (the
ioctl's int result is what it returns), the value itself (`by-value`), or a pointer to a value
the kernel reads (`_IOW`: the method takes it), writes (`_IOR`: the method returns it) or both
(`_IOWR`). Each passing spells its parts of the method; the templates only put them together."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from ...records import dataclass
from ...text import fit
from ..kinds import Kind, NativePointer, Nested
from .perarch import PerArch

if TYPE_CHECKING:
    from ..nodes import Command

_BODY = "        "
_ZEROED = (
    f"{_BODY}// SAFETY: all zero is a value of every raw type (integers, null pointers, records\n"
    f"{_BODY}// of them).\n"
)


@dataclass(frozen=True)
class Passing(ABC):
    """A classic command's argument, as its safe methods pass it."""

    command: Command

    @property
    def raw_argument(self) -> str:
        """The argument in the runtime's `classic_ioctl!`: `in T`, `value T`, ... ("" for
        none)."""
        return ""

    @property
    def rust_params(self) -> list[str]:
        return ["&self"]

    @property
    def rust_result(self) -> str:
        return "()"

    @abstractmethod
    def rust_body(self, fd: str) -> str:
        """The method's statements after `let fd = ...;`, the ioctl's on `fd` included."""

    @property
    def parameterless(self) -> bool:
        """Whether the safe method takes no argument (a test calls it on /dev/null)."""
        return len(self.rust_params) == 1

    @property
    def arg_doc(self) -> str:
        return "The ioctl's argument."

    @property
    def returns_doc(self) -> str:
        return ""

    # --- Python ---------------------------------------------------------------------------------

    @property
    def py_params(self) -> tuple[str, ...]:
        return ()

    @property
    def py_result(self) -> str:
        return "None"

    @property
    def py_returns_doc(self) -> str:
        """The `Returns:` text of the Python method's docstring."""
        return self.returns_doc

    @abstractmethod
    def py_call(self, request: str) -> tuple[str, str, str]:
        """(lines before the ioctl, the ioctl's argument expression, lines after it)."""

    @property
    def py_module_constants(self) -> tuple[str, ...]:
        """The module's lines for the method (the `struct.Struct` of a scalar argument)."""
        return ()

    @property
    def py_runtime_names(self) -> frozenset[str]:
        return frozenset()

    def py_wrap(self, call: str) -> str:
        """The method's result made of the `_ioctl(...)` expression `call`."""
        return call


@dataclass(frozen=True)
class NoArgument(Passing):
    """`_IO` with nothing to pass: the method returns what the ioctl returns, which classic
    drivers use (`VFIO_GET_API_VERSION`, `VFIO_CHECK_EXTENSION`)."""

    rust_result = "c_int"
    py_result = "int"
    returns_doc = "What the ioctl returns (0, or a value the driver gives)."

    def rust_call(self, fd: str) -> tuple[str, str]:
        """(the SAFETY comment, the `io::Result<c_int>` of the ioctl on `fd`)."""
        call = self.command.rust_raw_fn
        return "// SAFETY: the ioctl takes no argument.", f"check(unsafe {{ {call}({fd}) }})"

    def rust_body(self, fd: str) -> str:
        safety, call = self.rust_call(fd)
        return f"{_BODY}{safety}\n{_BODY}{call}"

    def py_call(self, request: str) -> tuple[str, str, str]:
        return "", "0", ""


@dataclass(frozen=True)
class WithArgument(Passing):
    """A passing of the command's argument, a value of `kind`."""

    kind: Kind

    @property
    def rust_type(self) -> str:
        return self.kind.rust_c_type

    @property
    def py_record(self) -> bool:
        """Whether Python passes it as its struct's dataclass (else through a `struct.Struct` of
        its own, `_<IOCTL>_ARGUMENT`)."""
        return isinstance(self.kind, Nested) and not self.kind.py_blob

    @property
    def py_codec(self) -> str:
        return f"_{self.command.ioctl_name}_ARGUMENT"

    @property
    def py_module_constants(self) -> tuple[str, ...]:
        if self.py_record:
            return ()
        formats = PerArch.of(lambda arch: "=" + self.kind.py_format_on(arch))
        spelled = formats.python_lines("struct.Struct(", ")", "", lambda f: f'"{f}"')
        return (fit(f"{self.py_codec}: Final = ", spelled, "", "") if "\n" not in spelled
                else f"{self.py_codec}: Final = {spelled}",)  # fmt: skip

    def py_pack(self, value: str) -> str:
        """The request buffer holding `value`, checked."""
        if self.py_record:
            name = self.kind.py_annotation
            return f'bytearray(_instance({value}, {name}, "{value}").pack())'
        return f'_packed({self.py_codec}, "{value}", {self.kind.py_pack(value)})'

    def py_unpack(self, request: str) -> str:
        if self.py_record:
            return f"{self.kind.py_annotation}.unpack({request})"
        return self.kind.py_unpack(f"{self.py_codec}.unpack({request})", 0)

    def py_empty(self) -> str:
        if self.py_record:
            return f"bytearray({self.kind.py_annotation}.SIZE)"
        return f"bytearray({self.py_codec}.size)"

    @property
    def py_pack_names(self) -> frozenset[str]:
        """The runtime's names `py_pack` spells."""
        return frozenset({"_instance"}) if self.py_record else frozenset({"_packed"})


@dataclass(frozen=True)
class ByValue(WithArgument):
    """The argument is the value itself, not a pointer to it (`by-value: true`: uinput's
    `UI_SET_EVBIT` is `_IOW(.., int)` but reads its int from `arg`)."""

    rust_result = "c_int"
    returns_doc = "What the ioctl returns (0, or a value the driver gives)."
    arg_doc = "The value the ioctl passes as its argument (a pointer: the bytes it points to)."

    @property
    def raw_argument(self) -> str:
        return f"value {self.rust_type}"

    @property
    def rust_params(self) -> list[str]:
        return ["&self", f"value: {self.rust_type}"]

    def rust_call(self, fd: str) -> tuple[str, str]:
        """(the SAFETY comment, the `io::Result<c_int>` of the ioctl on `fd`)."""
        call = self.command.rust_raw_fn
        return (
            "// SAFETY: the argument is a plain value.",
            f"check(unsafe {{ {call}({fd}, value) }})",
        )

    def rust_body(self, fd: str) -> str:
        safety, call = self.rust_call(fd)
        return f"{_BODY}{safety}\n{_BODY}{call}"

    py_module_constants = ()

    @property
    def _py_pointer(self) -> bool:
        """A pointer passed by value: in Python, the bytes it points to (fcntl passes the
        address of a copy of them, as a C string argument needs)."""
        return isinstance(self.kind, NativePointer)

    @property
    def py_params(self) -> tuple[str, ...]:
        return ("value: bytes",) if self._py_pointer else ("value: int",)

    @property
    def py_result(self) -> str:
        # fcntl returns the bytes of a buffer argument, not the ioctl's result.
        return "None" if self._py_pointer else "int"

    @property
    def py_returns_doc(self) -> str:
        return "" if self._py_pointer else self.returns_doc

    @property
    def py_runtime_names(self) -> frozenset[str]:
        return frozenset() if self._py_pointer else frozenset({"_int"})

    def py_call(self, request: str) -> tuple[str, str, str]:
        if self._py_pointer:
            return f"{_BODY}{request} = bytes(value)\n", request, ""
        # fcntl passes an int argument as a C int.
        checked = f'_int(value, {-(1 << 31)}, {(1 << 31) - 1}, "value")'
        return f"{_BODY}{request} = {checked}\n", request, ""


@dataclass(frozen=True)
class TakesArgument(WithArgument):
    """A passing whose method takes the argument (`arg`): the kernel reads it."""

    @property
    def rust_params(self) -> list[str]:
        return ["&self", f"arg: {self.rust_type}"]

    @property
    def py_params(self) -> tuple[str, ...]:
        return (f"arg: {self.kind.py_annotation}",)

    @property
    def py_runtime_names(self) -> frozenset[str]:
        return self.py_pack_names


@dataclass(frozen=True)
class Reads(TakesArgument):
    """`_IOW`: the kernel reads the argument; the method takes it."""

    @property
    def raw_argument(self) -> str:
        return f"in {self.rust_type}"

    def rust_body(self, fd: str) -> str:
        call = self.command.rust_raw_fn
        note = self.command.rust_safety_note
        return (
            f"{_BODY}// SAFETY: `arg` is a valid value of the ioctl's type{note}.\n"
            f"{_BODY}check(unsafe {{ {call}({fd}, &arg) }})?;\n{_BODY}Ok(())"
        )

    def py_call(self, request: str) -> tuple[str, str, str]:
        return f"{_BODY}{request} = {self.py_pack('arg')}\n", request, ""


@dataclass(frozen=True)
class Writes(WithArgument):
    """`_IOR`: the kernel writes the argument; the method returns it."""

    returns_doc = "The value the kernel wrote."

    @property
    def raw_argument(self) -> str:
        return f"out {self.rust_type}"

    @property
    def rust_result(self) -> str:
        return self.rust_type

    def _rust_call(self, fd: str) -> str:
        call = self.command.rust_raw_fn
        return (
            f"{_BODY}// SAFETY: `arg` is a valid, writable value of the ioctl's type"
            f"{self.command.rust_safety_note}.\n"
            f"{_BODY}check(unsafe {{ {call}({fd}, &mut arg) }})?;\n{_BODY}Ok(arg)"
        )

    def rust_body(self, fd: str) -> str:
        zero = f"{_BODY}let mut arg: {self.rust_type} = unsafe {{ core::mem::zeroed() }};\n"
        return _ZEROED + zero + self._rust_call(fd)

    @property
    def py_result(self) -> str:
        return self.kind.py_annotation

    def py_call(self, request: str) -> tuple[str, str, str]:
        result = fit(f"result: {self.py_result} = ", self.py_unpack(request), "", _BODY)
        after = f"\n{result}\n{_BODY}return result"
        return f"{_BODY}{request} = {self.py_empty()}\n", request, after


@dataclass(frozen=True)
class ReadsAndWrites(TakesArgument, Writes):
    """`_IOWR`: the kernel reads the argument and writes it back; the method takes it and returns
    what the kernel made of it."""

    returns_doc = "The argument as the kernel wrote it back."

    @property
    def raw_argument(self) -> str:
        return f"inout {self.rust_type}"

    def rust_body(self, fd: str) -> str:
        return f"{_BODY}let mut arg = arg;\n" + self._rust_call(fd)

    def py_call(self, request: str) -> tuple[str, str, str]:
        _, arg, after = Writes.py_call(self, request)
        return f"{_BODY}{request} = {self.py_pack('arg')}\n", arg, after


@dataclass(frozen=True)
class NewFd(Passing):
    """A command whose int result is a new fd (`returns: {type: fd}`), passing its argument as
    `inner` does: the method takes ownership of the fd (Rust `OwnedFd`, Python the int), as the
    object of the range it opens when it names one."""

    inner: NoArgument | ByValue

    @property
    def _class(self) -> str | None:
        opens = self.command.returns_opens
        return opens.class_name if opens is not None else None

    @property
    def raw_argument(self) -> str:
        return self.inner.raw_argument

    @property
    def rust_params(self) -> list[str]:
        return self.inner.rust_params

    @property
    def rust_result(self) -> str:
        return self._class or "OwnedFd"

    def rust_body(self, fd: str) -> str:
        safety, call = self.inner.rust_call(fd)
        owned = (
            "owned_fd(new)" if self._class is None else f"owned_fd(new).map({self._class}::from_fd)"
        )
        return f"{_BODY}{safety}\n{_BODY}let new = {call}?;\n{_BODY}{owned}"

    @property
    def arg_doc(self) -> str:
        return self.inner.arg_doc

    @property
    def returns_doc(self) -> str:
        return f"The new fd the ioctl returns{f', as a {self._class}' if self._class else ''}."

    @property
    def py_params(self) -> tuple[str, ...]:
        return self.inner.py_params

    @property
    def py_result(self) -> str:
        return self._class or "int"

    def py_call(self, request: str) -> tuple[str, str, str]:
        return self.inner.py_call(request)

    @property
    def py_runtime_names(self) -> frozenset[str]:
        return self.inner.py_runtime_names

    def py_wrap(self, call: str) -> str:
        return f"{self._class}({call})" if self._class else call


def passing(command: Command, by_value: bool) -> Passing:
    """How `command` (a classic one) passes its argument."""
    argument = command.argument
    if argument is None:
        return NewFd(command, NoArgument(command)) if command.returns_fd else NoArgument(command)
    if by_value:
        inner = ByValue(command, argument.kind)
        return NewFd(command, inner) if command.returns_fd else inner
    direction = argument.direction
    if direction is None or not direction.kernel_writes:
        return Reads(command, argument.kind)
    return (
        ReadsAndWrites(command, argument.kind)
        if direction.kernel_reads
        else Writes(command, argument.kind)
    )
