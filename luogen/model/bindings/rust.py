"""The Rust target's view of the model: type names, ioctl number tables, and the parts of each
safe method that vary with the spec. What does not vary is the runtime file
(`luogen/runtime/runtime.rs`), which every generated crate gets as `src/runtime.rs`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...text import rust_docs, wrap
from ..names import camel, rust_ident
from .data_inout import rust_written_method
from .data_out import output_data, rust_data_method, rust_output_definition
from .rust_arrays import rust_query_method
from .rust_classic import RustClassicModel, RustClassicStruct
from .safe import SafeCommand

if TYPE_CHECKING:
    from ..kinds import Integer, Kind
    from ..nodes import Command, CommandRange, Member

_SAFETY = """    ///
    /// # Safety
    ///
    /// Every user pointer argument is valid for what the kernel reads or writes through it, for
    /// the lengths the other arguments give."""


class RustNamed:
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...

    @cached_property
    def rust_name(self) -> str:
        return camel(self.name)


class RustStruct(RustClassicStruct, RustNamed):
    if TYPE_CHECKING:

        @property
        def size(self) -> int: ...
        @property
        def align(self) -> int: ...
        @property
        def fields(self) -> tuple[tuple[Member, int], ...]: ...

    @cached_property
    def rust_plumbing(self) -> str:
        """The runtime's `raw_struct!` of the struct: its `Default` and the compile-time checks
        of its layout (the offsets on one line when they fit)."""
        offsets = [f"{member.rust_name}: {offset}" for member, offset in self.fields]
        one = f"    offsets {{ {', '.join(offsets)} }}"
        if len(one) > 100:
            one = "\n".join(["    offsets {", *(f"        {o}," for o in offsets), "    }"])
        head = f"    {self.rust_name}, size {self.size}, align {self.align},"
        return f"raw_struct! {{\n{head}\n{one}\n}}"


class RustMember:
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def kind(self) -> Kind: ...
        @property
        def opens(self) -> CommandRange | None: ...

    @cached_property
    def rust_name(self) -> str:
        return rust_ident(self.name)

    @cached_property
    def rust_out_type(self) -> str:
        """What a safe method returns for the member as an output: the object an fd opens, or
        what its kind returns."""
        if self.opens is not None:
            return self.opens.class_name
        return self.kind.rust_out_type

    def rust_load(self, arg: str) -> str:
        """An expression (it may use `?`) of `rust_out_type` from the member of the raw struct
        `arg`."""
        loaded = self.kind.rust_load(f"{arg}.{self.rust_name}")
        return f"{self.opens.class_name}::from_fd({loaded})" if self.opens is not None else loaded


class RustValues(RustNamed):
    """An enum or flag set: a newtype over the integer its members are stored as."""

    if TYPE_CHECKING:

        @property
        def storage(self) -> Integer | None: ...
        @property
        def low(self) -> int: ...

    @cached_property
    def rust_repr(self) -> str:
        """The integer inside the newtype; when no member holds it, u32 (i32 for an enum with
        negative values)."""
        if self.storage is not None:
            return self.storage.rust_type
        return "i32" if self.low < 0 else "u32"


class RustCommand(SafeCommand):
    @cached_property
    def rust_raw_fn(self) -> str:
        """The raw layer's function: the ioctl macro in lower case."""
        return (self.ioctl_name or self.cmd_name).lower()

    @cached_property
    def rust_number_const(self) -> str:
        """The constant of the ioctl number: its value under each encoding, in the order of
        the runtime's `ENCODING` index (the value on one line of its own when rustfmt would),
        or, when it depends on more than the encoding, its value on every architecture, in
        the order of the classic runtime's `ARCH` index."""
        head = f"pub const {self.ioctl_name}: c_ulong ="
        columns = self.encoding_columns
        if columns is None:
            return self.numbers_on.rust_lines(f"{head} ", ";", "", lambda n: f"0x{n:08x}")
        table = "[" + ", ".join(f"0x{number:08x}" for number in columns) + "][ENCODING];"
        return f"{head} {table}" if len(head) + 1 + len(table) <= 100 else f"{head}\n    {table}"

    @cached_property
    def rust_unsafe(self) -> bool:
        """The safe method is `unsafe` when the struct (or a classic command's argument) holds
        a user pointer that is no buffer."""
        if self.argument is not None:
            return self.argument.kind.carries_pointer
        return self.struct is not None and self.struct.carries_pointer

    @cached_property
    def rust_fn(self) -> str:
        return "pub unsafe fn" if self.rust_unsafe else "pub fn"

    @cached_property
    def rust_params(self) -> list[str]:
        return ["&self", *(f"{m.rust_name}: {m.kind.rust_arg_type}" for m in self.arguments)]

    @cached_property
    def rust_method_docs(self) -> str:
        """The safe method's doc comment: the command's doc, its arguments, its safety rule."""
        assert self.doc is not None
        lines = [rust_docs(self.doc.headed(self.rust_doc_head), "    ")]
        if self.arguments:
            lines.append("    ///")
        for m in self.arguments:
            lines.append(
                wrap(self.argument_doc(m), f"    /// - `{m.rust_name}`: ", "    ///   ", 100)
            )
        if self.rust_unsafe:
            lines.append(_SAFETY)
            vouched = [m for m in self.arguments if m.safety]
            lines += ["    ///"] if vouched else []
            lines += [
                wrap(f"- `{m.rust_name}`: {m.safety}", "    /// ", "    ///   ", 100)
                for m in vouched
            ]
        return "\n".join(lines)

    @cached_property
    def rust_stores(self) -> str:
        """The statements storing each argument into the raw struct."""
        arg = self.local("arg")
        stores = [m.kind.rust_store(arg, m.rust_name) for m in self.arguments]
        if self.fixed is not None:  # a variant: its selector's value first
            selector, value = self.fixed
            spelled = self.direction_by.rust_value(value)  # type: ignore[union-attr]
            stores.insert(0, f"{arg}.{selector.rust_name} = {spelled};")
        return "".join("        " + s.replace("\n", "\n        ") + "\n" for s in stores)

    @cached_property
    def rust_safety_note(self) -> str:
        """What the SAFETY comment of the raw call adds for an `unsafe` method."""
        return "; the\n        // caller vouches for its user pointers" if self.rust_unsafe else ""

    @cached_property
    def rust_return(self) -> str:
        return self.result.rust_return(self.local("arg"))

    @cached_property
    def rust_query_method(self) -> str:
        """The `_vec` method of a command whose output array follows the query protocol, led
        by a blank line ("" for every other command): rust_arrays.py."""
        return rust_query_method(self._command)

    @cached_property
    def rust_data_method(self) -> str:
        """The `_data` method of a command whose driver data the kernel writes or writes back,
        led by a blank line ("" for every other command): data_out.py, data_inout.py."""
        return rust_data_method(self._command) or rust_written_method(self._command)


class RustModel(RustClassicModel):
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def ranges(self) -> tuple[CommandRange, ...]: ...

    @cached_property
    def rust_crate(self) -> str:
        return f"{self.name.replace('_', '-')}-uapi"

    @cached_property
    def rust_data_enums(self) -> tuple[str, ...]:
        """The safe layer's enums of driver data, one per pointer to data userspace passes
        (typed) or the kernel writes (output)."""
        typed = tuple(
            m.kind.rust_definition  # type: ignore[attr-defined]
            for r in self.ranges
            for c in r.live
            if c.struct is not None
            for m in c.struct.buffer_pointers
            if getattr(m.kind, "typed", False)
        )
        output = tuple(
            rust_output_definition(member.kind)  # type: ignore[arg-type]
            for r in self.ranges
            for c in r.live
            if (member := output_data(c)) is not None
        )
        return typed + output

    @cached_property
    def rust_enotty_tests(self) -> tuple[tuple[str, Command], ...]:
        """(object type, command) for each safe method a test can call on /dev/null: it takes
        no argument and vouches for every pointer."""
        return tuple(
            (r.class_name, v)
            for r in self.ranges
            for c in r.live
            for v in c.variants
            if v.parameterless and not v.rust_unsafe
        )
