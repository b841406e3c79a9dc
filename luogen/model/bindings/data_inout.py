"""Driver data the kernel writes back in the safe layers: userspace passes the struct its
selector value chooses and the kernel writes it back over the same bytes (iommufd's
IOMMU_VIOMMU_ALLOC). The command's own method takes the data typed (in Rust as `&mut`, which
the kernel writes into); a second method, `<method>_data`, takes it by value and returns it as
the kernel left it, with the other results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...text import fit, py_docstring, rust_signature, wrap
from ..kinds.selected import DriverData

if TYPE_CHECKING:
    from ..nodes import Command, Member

_BODY = "        "


def written_data(command: Command) -> Member | None:
    """The command's pointer to driver data the kernel writes back, if it has one."""
    if command.struct is None:
        return None
    for member in command.struct.buffer_pointers:
        if isinstance(member.kind, DriverData) and member.kind.written_back:
            return member
    return None


def _kind(member: Member) -> DriverData:
    assert isinstance(member.kind, DriverData)
    return member.kind


# --- Rust ---------------------------------------------------------------------------------------


def rust_written_method(command: Command) -> str:
    """The `_data` method, led by a blank line ("" for a command without data written back,
    and for an `unsafe` one: its caller vouches for pointers that this method could not)."""
    member = written_data(command)
    if member is None or command.rust_unsafe:
        return ""
    kind = _kind(member)
    out = command.local("out")
    method = command.rust_method.removeprefix("r#")
    docs = [
        wrap(
            f"{command.rust_doc_head} with the driver data as the kernel wrote it back: "
            f"[`Self::{command.rust_method}`] given `{member.rust_name}`, which it returns "
            "with the results.",
            "    /// ",
            width=100,
        ),
        "    ///",
        *(
            wrap(command.argument_doc(m), f"    /// - `{m.rust_name}`: ", "    ///   ", 100)
            for m in command.arguments
        ),
    ]
    params = [
        "&self",
        *(
            f"mut {m.rust_name}: {kind.rust_enum}"
            if m is member
            else f"{m.rust_name}: {m.kind.rust_arg_type}"
            for m in command.arguments
        ),
    ]
    result = f"({kind.rust_enum}, {command.result.rust_type})"
    args = [f"&mut {m.rust_name}" if m is member else m.rust_name for m in command.arguments]
    lines = [
        *docs,
        rust_signature(f"pub fn {method}_data", params, f" -> io::Result<{result}> {{", "    "),
        f"{_BODY}let {out} = self.{command.rust_method}({', '.join(args)})?;",
        f"{_BODY}Ok(({member.rust_name}, {out}))",
        "    }",
    ]
    return "\n\n" + "\n".join(lines)


# --- Python -------------------------------------------------------------------------------------


def _py_returned(command: Command, out: str) -> tuple[list[str], str]:
    """The main method's closing lines with its results set to `out` instead of returned,
    and what `out` is annotated as."""
    closing = command.py_return
    head, returned, value = closing.rpartition(f"\n{_BODY}return ")
    if not returned:
        return [f"{_BODY}{out} = None"] if not closing else [closing], "None"
    lines = [head.removeprefix("\n")] if head else []
    return [*lines, f"{_BODY}{out} = {value}"], command.result.py_annotation


def _py_returns(command: Command) -> str:
    """The `Returns:` section of the `_data` method."""
    returns = command.result.py_returns_doc
    then = f" ({returns})" if returns else " (None)"
    return (
        "The struct the kernel wrote back (None for a value that passes none), and what "
        f"`{command.python_method}` returns{then}."
    )


def py_written_method(command: Command) -> str:
    """The `_data` method, led by a blank line ("" for a command without data written back):
    the main method's request and call, then the struct read back from what the kernel
    wrote."""
    member = written_data(command)
    if member is None:
        return ""
    kind = _kind(member)
    out, data = command.local("out"), command.local("data")
    memory = command.local(f"{member.name}_memory")
    method = command.python_method
    closing, annotation = _py_returned(command, out)
    doc = py_docstring(
        [
            f"{command.doc_head} with the driver data as the kernel wrote it back: "
            f"`{method}`, returning the struct with the results."
        ],
        _BODY,
        '"""',
        command.py_arg_docs,
        _py_returns(command),
    )
    lines = [
        f"    def {method}_data(",
        "        self,",
        *(f"        {m.py_parameter}," for m in command.arguments),
        f"    ) -> tuple[{kind.py_arg_annotation}, {annotation}]:",
        doc,
        command.py_request,
        command.py_call,
        fit(f"{data} = ", f"_written({member.python_name}, {memory})", "", _BODY),
        *closing,
        f"{_BODY}return {data}, {out}",
    ]
    return "\n\n" + "\n".join(lines)
