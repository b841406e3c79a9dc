"""The Rust safe layer's second method of a command whose output array follows the query
protocol: `<method>_vec` takes the other arguments, asks with an empty `Vec`, and asks again with
the count the kernel reported (EMSGSIZE) until every element fits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...text import rust_literal, rust_signature, wrap
from ..kinds.counted import CountedArray

if TYPE_CHECKING:
    from ..nodes import Command, Member

_BODY = "            "  # inside the method's loop


def query_array(command: Command) -> Member | None:
    """The command's output array that follows the query protocol, if any."""
    if command.struct is None:
        return None
    for member in command.struct.members:
        if isinstance(member.kind, CountedArray) and member.kind.query:
            return member
    return None


def _result(command: Command, kind: CountedArray, elems: str, arg: str) -> tuple[str, str]:
    """(the method's result type, its statements returning it) with the elements first: the
    elements alone when the count is the only other result."""
    element = f"Vec<{kind.rust_element}>"
    if all(m == kind.length for m in command.results):
        return element, f"{_BODY}    return Ok({elems});"
    out = command.result.rust_type
    fields = [f"{m.rust_name}: {m.rust_load(arg)}" for m in command.results]
    literal = rust_literal(f"let out = {out}", fields, ";", f"{_BODY}    ")
    return f"({element}, {out})", f"{literal}\n{_BODY}    return Ok(({elems}, out));"


def query_kind(command: Command) -> CountedArray:
    member = query_array(command)
    assert member is not None and isinstance(member.kind, CountedArray)
    return member.kind


def rust_query_method(command: Command) -> str:
    """The `_vec` method, led by a blank line ("" when the command has no query array)."""
    member = query_array(command)
    if member is None or command.struct is None:
        return ""
    kind = query_kind(command)
    struct = command.struct
    arg, elems = command.local("arg"), command.local(f"{member.name}_vec")
    assert struct.size_member is not None  # a query array is in a command's extensible struct
    size = struct.size_member.rust_name
    params = ["&self", *(f"{m.rust_name}: {m.kind.rust_arg_type}" for m in command.arguments
                         if m is not member)]  # fmt: skip
    result, value = _result(command, kind, elems, arg)
    name = f"{command.rust_method.removeprefix('r#')}_vec"
    docs = [
        wrap(
            f"ioctl(`{command.ioctl_name}`) with every element of `{member.name}`, in a `Vec`: "
            f"[`Self::{command.rust_method}`] asked again with the number of elements the "
            "kernel reports until they all fit.",
            "    /// ",
        )
    ]
    others = [m for m in command.arguments if m is not member]
    if others:
        docs.append("    ///")
    docs += [
        wrap(command.argument_doc(m), f"    /// - `{m.rust_name}`: ", "    ///   ", 100)
        for m in others
    ]
    stores = command.rust_stores.replace("\n        ", f"\n{_BODY}").replace("        ", _BODY, 1)
    signature = rust_signature(f"pub fn {name}", params, f" -> io::Result<{result}> {{", "    ")
    lines = [
        *docs,
        signature,
        f"        let mut {elems} = Vec::new();",
        "        loop {",
        f"{_BODY}let {member.rust_name} = {elems}.as_mut_slice();",
        f"{_BODY}let mut {arg} = {struct.rust_name}::ZERO;",
        f"{_BODY}{arg}.{size} = {struct.rust_name}::SIZE;",
        stores.rstrip("\n"),
        f"{_BODY}let fd = self.fd.as_raw_fd();",
        f"{_BODY}// SAFETY: `{arg}` is a valid, writable struct of the ioctl's type, `{size}` its "
        "size.",
        f"{_BODY}let ret = unsafe {{ {command.rust_raw_fn}(fd, &mut {arg}) }};",
        f"{_BODY}let zero = {kind.element.rust_zero};",
        f"{_BODY}if !query_again(ret, &mut {elems}, {arg}.{kind.length.rust_name}, zero)? {{",
        value,
        f"{_BODY}}}",
        "        }",
        "    }",
    ]
    return "\n\n" + "\n".join(lines)
