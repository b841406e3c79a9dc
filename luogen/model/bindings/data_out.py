"""Output driver data in the safe layers: the kernel writes the struct its selector value
chooses (iommufd's IOMMU_GET_HW_INFO). The command's own method takes a byte buffer; a second
method, `<method>_data`, gives the kernel room for the largest struct and returns the data read
as its struct: a Rust enum with a variant per selector value and `Unknown` for a value the
bindings do not know (a newer kernel's), a Python struct instance, None or `UnknownData`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...text import fit, py_docstring, rust_signature, wrap
from ..direction import Direction
from ..kinds.selected import DriverData

if TYPE_CHECKING:
    from ..nodes import Command, Member

_BODY = "        "


def output_data(command: Command) -> Member | None:
    """The command's pointer to output driver data, if it has one."""
    if command.struct is None:
        return None
    for member in command.struct.buffer_pointers:
        if isinstance(member.kind, DriverData) and member.kind.direction is Direction.OUT:
            return member
    return None


def _kind(member: Member) -> DriverData:
    assert isinstance(member.kind, DriverData)
    return member.kind


def room(kind: DriverData) -> int:
    """The bytes the `_data` method gives the kernel: the largest struct's size."""
    return max((s.size for s in kind.structs), default=0)


# --- Rust ---------------------------------------------------------------------------------------


def rust_output_definition(kind: DriverData) -> str:
    """The enum of the data the kernel reports, and `decode`, which reads it from the room."""
    assert kind.selector is not None
    enum = kind.selector_enum.rust_name
    head = (
        f"The driver data of `struct {kind.owner}` that the kernel reports: the struct "
        f"`{kind.selector_name}` selects."
    )
    lines = [
        wrap(head, "/// ", width=100),
        "#[derive(Clone, Debug, PartialEq, Eq)]",
        f"pub enum {kind.rust_enum} {{",
    ]
    arms = []
    for variant, choice in zip(kind.variants, kind.choices, strict=True):
        value = f"{enum}::{choice.value.name}"
        if choice.struct is None:
            lines += [f"    /// `{choice.value.name}`: no data.", f"    {variant},"]
            arms.append(f"{value} => Self::{variant},")
        else:
            rust = choice.struct.rust_name
            lines += [f"    /// `{choice.value.name}`: [`{rust}`].", f"    {variant}({rust}),"]
            arms.append(f"{value} => Self::{variant}(read_plain(room)),")
    unknown = (
        f"A value of `{kind.selector_name}` that this crate does not know, and the bytes of its "
        f"data that the kernel wrote into the room (at most [`Self::ROOM`])."
    )
    arms.append("_ => Self::Unknown(selector, room[..room.len().min(written)].to_vec()),")
    lines += [wrap(unknown, "    /// ", width=100), f"    Unknown({enum}, Vec<u8>),", "}", ""]
    decode = (
        f"The data `selector` chooses, read from `room`, of which the kernel wrote `length` bytes "
        f"(`{kind.length.name}`)."
    )
    lines += [
        f"impl {kind.rust_enum} {{",
        "    /// The bytes the kernel gets for the data: the largest struct's size.",
        f"    pub const ROOM: usize = {room(kind)};",
        "",
        wrap(decode, "    /// ", width=100),
        f"    pub fn decode(selector: {enum}, room: &[u8; Self::ROOM], length: u32) -> Self {{",
        "        let written = usize::try_from(length).unwrap_or(usize::MAX);",
        "        match selector {",
        *(_rust_arm(arm, "            ") for arm in arms),
        "        }",
        "    }",
        "}",
    ]
    return "\n".join(lines)


def _rust_arm(arm: str, indent: str) -> str:
    """A match arm as rustfmt writes it: on one line when it fits, else its expression in a
    block."""
    if len(indent + arm) <= 100:
        return indent + arm
    pattern, expression = arm.removesuffix(",").split(" => ", 1)
    return f"{indent}{pattern} => {{\n{indent}    {expression}\n{indent}}}"


def rust_data_method(command: Command) -> str:
    """The `_data` method, led by a blank line ("" for a command without output data, and for
    an `unsafe` one: its caller vouches for pointers that this method could not)."""
    member = output_data(command)
    if member is None or command.rust_unsafe:
        return ""
    kind = _kind(member)
    assert kind.selector is not None
    others = [m for m in command.arguments if m is not member]
    room_var, out, data = command.local("room"), command.local("out"), command.local("data")
    method = command.rust_method.removeprefix("r#")
    docs = [
        wrap(
            f"{command.rust_doc_head} with the driver data read as its struct: "
            f"[`Self::{command.rust_method}`] given room for the largest "
            f"([`{kind.rust_enum}::ROOM`] bytes).",
            "    /// ",
            width=100,
        )
    ]
    if others:
        docs.append("    ///")
    docs += [
        wrap(command.argument_doc(m), f"    /// - `{m.rust_name}`: ", "    ///   ", 100)
        for m in others
    ]
    params = ["&self", *(f"{m.rust_name}: {m.kind.rust_arg_type}" for m in others)]
    result = f"({kind.rust_enum}, {command.result.rust_type})"
    args = [f"&mut {room_var}" if m is member else m.rust_name for m in command.arguments]
    call = f"let {out} = self.{command.rust_method}({', '.join(args)})?;"
    selector, length = kind.selector.rust_name, kind.length.rust_name
    decode = f"{kind.rust_enum}::decode({out}.{selector}, &{room_var}, {out}.{length})"
    lines = [
        *docs,
        rust_signature(f"pub fn {method}_data", params, f" -> io::Result<{result}> {{", "    "),
        f"{_BODY}let mut {room_var} = [0u8; {kind.rust_enum}::ROOM];",
        f"{_BODY}{call}",
        f"{_BODY}let {data} = {decode};",
        f"{_BODY}Ok(({data}, {out}))",
        "    }",
    ]
    return "\n\n" + "\n".join(lines)


# --- Python -------------------------------------------------------------------------------------


def py_structs_name(command: Command, member: Member) -> str:
    """The module constant from each selector value to the struct class it chooses."""
    return f"_{command.ioctl_name}_{member.name.upper()}_STRUCTS"


def py_output_constants(command: Command) -> list[str]:
    """The module's lines for the data: the type alias of what `_data` returns, and the
    constant `_decoded` looks the selector value up in."""
    member = output_data(command)
    if member is None:
        return []
    kind = _kind(member)
    enum = kind.selector_enum.rust_name
    names = [c.struct.rust_name for c in kind.choices if c.struct is not None]
    without = ["None"] if len(names) < len(kind.choices) else []
    alias = " | ".join([*names, "UnknownData", *without])
    items = "".join(
        f"    {enum}.{c.value.name}: {c.struct.rust_name if c.struct else 'None'},\n"
        for c in kind.choices
    )
    return [
        fit(f"{kind.rust_enum}: TypeAlias = ", alias, "", ""),
        f'"""The driver data of struct {kind.owner} that the kernel reports."""',
        f"{py_structs_name(command, member)}: Final[dict[int, type | None]] = {{\n{items}}}",
    ]


def py_data_method(command: Command) -> str:
    """The `_data` method, led by a blank line ("" for a command without output data)."""
    member = output_data(command)
    if member is None:
        return ""
    kind = _kind(member)
    assert kind.selector is not None
    others = [m for m in command.arguments if m is not member]
    room_var, out, data = command.local("room"), command.local("out"), command.local("data")
    method = command.python_method
    returns = (
        f"The data (a struct; None for a value that passes none; UnknownData for a value of "
        f"{kind.selector_name} this package does not know) and the output members, as a "
        f"`{command.result.py_annotation}`."
    )
    doc = py_docstring(
        [
            f"{command.doc_head} with the driver data read as its struct: "
            f"`{method}` given room for the largest ({room(kind)} bytes)."
        ],
        _BODY,
        '"""',
        [(m.python_name, command.argument_doc(m, True)) for m in others],
        returns,
    )
    args = "".join(
        f"{_BODY}    {m.python_name}={room_var if m is member else m.python_name},\n"
        for m in command.arguments
    )
    selector, length = kind.selector.python_name, kind.length.python_name
    decoded = (
        f"_decoded({room_var}, {out}.{length}, {out}.{selector}, "
        f"{py_structs_name(command, member)})"
    )
    lines = [
        f"    def {method}_data(",
        "        self,",
        *(f"        {m.py_parameter}," for m in others),
        f"    ) -> tuple[{kind.rust_enum}, {command.result.py_annotation}]:",
        doc,
        f"{_BODY}{room_var} = bytearray({room(kind)})",
        f"{_BODY}{out} = self.{method}(\n{args}{_BODY})",
        fit(f"{data} = ", decoded, "", _BODY),
        f"{_BODY}return {data}, {out}",
    ]
    return "\n\n" + "\n".join(lines)
