"""The Python target's view of the model: names, `struct` formats, and the parts of each method
and of the module that vary with the spec. What does not vary is the runtime module
(`luogen/runtime/python_runtime.py`), which every generated package gets as `_runtime.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...text import fit
from ..arch import ENCODINGS, HOST_REFERENCE
from ..names import python_field, python_ident
from .data_inout import py_written_method, written_data
from .data_out import output_data, py_data_method, py_output_constants
from .py_classic import PyClassicModel
from .py_data import buffer_arg, data_constants
from .py_imports import module_imports
from .py_layout import PyLayout
from .safe import BINDING_RESERVED, SafeCommand, SafeStruct
from .shapes import SeveralValues

if TYPE_CHECKING:
    from ..direction import Direction
    from ..kinds import Kind
    from ..nodes import Command, CommandRange, Constant, Enum, FlagSet, Member


_METHOD_INDENT = "        "


class PyMember:
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def kind(self) -> Kind: ...
        @property
        def optional(self) -> bool: ...
        @property
        def description(self) -> str: ...
        @property
        def direction(self) -> Direction | None: ...
        @property
        def opens(self) -> CommandRange | None: ...

    @cached_property
    def python_name(self) -> str:
        """The attribute in Python: keywords and the class's own names escaped, and `__x`
        spelled `_x` (a class would mangle `__x`)."""
        name = self.name[1:] if self.name.startswith("__") else self.name
        return python_field(name)

    @cached_property
    def py_result_name(self) -> str:
        """The field of a Python result (a NamedTuple): no leading underscore, and not a name
        of tuple's own."""
        name = self.python_name
        if name.startswith("_") or name in ("count", "index"):
            return f"{name.lstrip('_')}_"
        return name

    @cached_property
    def py_out_annotation(self) -> str:
        """What a safe method returns for the member as an output: the object an fd opens, or
        what its kind returns."""
        if self.opens is not None:
            return self.opens.class_name
        return self.kind.py_out_annotation

    def py_out(self, expr: str) -> str:
        """The member's value `expr` (as `py_unpack` spells it) turned into `py_out_annotation`."""
        out = self.kind.py_out(expr)
        return f"{self.opens.class_name}({out})" if self.opens is not None else out

    @cached_property
    def argument_description(self) -> str:
        """The member's description as the doc of a safe method's argument."""
        note = self.kind.binding_note
        return f"{self.description} {note}" if note else self.description

    @cached_property
    def py_parameter(self) -> str:
        """The safe method's parameter, with a default that packs to zero when the member is
        optional."""
        if self.optional:
            kind = self.kind
            return f"{self.python_name}: {kind.py_optional_arg_annotation} = {kind.py_arg_default}"
        return f"{self.python_name}: {self.kind.py_arg_annotation}"


class PyStruct(PyLayout, SafeStruct):
    if TYPE_CHECKING:

        @property
        def members(self) -> tuple[Member, ...]: ...

    @cached_property
    def py_format(self) -> str:
        """The `struct` module format of the whole struct: native order, no implicit padding
        (the model rejects every hole, so none is needed)."""
        return "=" + "".join(m.kind.py_format for m in self.members)

    @cached_property
    def py_fields(self) -> tuple[tuple[Member, int], ...]:
        """(member, index of its first value in the tuple `py_format` unpacks to) pairs."""
        result, index = [], 0
        for member in self.members:
            result.append((member, index))
            index += member.kind.py_count
        return tuple(result)


class PyEnum:
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...

    @cached_property
    def py_by_value(self) -> str:
        """The Python dict from each value to its enum member."""
        return f"_{self.name.upper()}_BY_VALUE"


class PyCommand(SafeCommand):
    @cached_property
    def python_method(self) -> str:
        return python_ident(self.binding_method)

    @cached_property
    def python_property(self) -> str | None:
        """The read-only property a getter is also offered as in Python, unless it would shadow
        a name of the object type."""
        getter = self.getter
        return python_ident(getter) if getter and getter not in BINDING_RESERVED else None

    @cached_property
    def py_property_block(self) -> str:
        """The property line after the method, led by a blank line ("" without a property)."""
        name = self.python_property
        if name is None:
            return ""
        value = f'property({self.python_method}, doc="The result of `{self.python_method}()`.")'
        return "\n\n" + fit(f"{name} = ", value, "", "    ")

    @cached_property
    def py_arg_docs(self) -> tuple[tuple[str, str], ...]:
        """(name, description) of each argument, for the docstring's `Args:`."""
        return tuple(
            (m.python_name, f"{self.argument_doc(m, True)} {m.kind.py_arg_default_note}".rstrip())
            if m.optional
            else (m.python_name, self.argument_doc(m, True))
            for m in self.arguments
        )

    @cached_property
    def _buffer_arguments(self) -> tuple[Member, ...]:
        assert self.struct is not None
        return tuple(m for m in self.arguments if m in self.struct.buffer_pointers)

    @cached_property
    def py_buffers(self) -> tuple[tuple[str, str], ...]:
        """(local, expression) for each buffer argument: the `_Memory` the Python method
        builds from it before packing."""
        struct = self.struct
        assert struct is not None
        return tuple(
            (self.local(f"{m.name}_memory"), buffer_arg(self.ioctl_name, m, struct))
            for m in self._buffer_arguments
        )

    @cached_property
    def py_request_values(self) -> tuple[tuple[str, str], ...]:
        """What the Python method packs for each member, in order, as ("*" or "", expression)
        (see Kind.py_arg_packed): `size`, the checked arguments, each buffer's address and
        length, zero for the rest."""
        assert self.struct is not None
        memory = {m: self.local(f"{m.name}_memory") for m in self._buffer_arguments}
        by_length = {m.kind.measured_by: m for m in memory}  # type: ignore[attr-defined]
        by_selector = {m.kind.selector: m for m in memory if getattr(m.kind, "typed", False)}  # type: ignore[attr-defined]
        by_count = {m.kind.entries_counted_by: m for m in memory}  # type: ignore[attr-defined]
        values: list[tuple[str, str]] = []
        by, fixed = self.direction_by, self.fixed
        for member in self.struct.members:
            if member.implicit:
                values.append(("", str(self.struct.size)))
            elif member in memory:
                values.append(("", f"{memory[member]}[1]"))
            elif member in by_length:
                values.append(("", f"{memory[by_length[member]]}[2]"))
            elif member in by_selector:
                values.append(("", f"{memory[by_selector[member]]}[3]"))
            elif member in by_count:
                values.append(("", f"{memory[by_count[member]]}[4]"))
            elif member in self.arguments:
                values.append(member.kind.py_arg_packed(member.python_name, member.name))
            elif by is not None and fixed is not None and member is fixed[0]:
                values.append(("", by.py_value(fixed[1])))  # a variant's selector value
            else:
                values.append(("", member.kind.py_zero_values))
        return tuple(values)

    @cached_property
    def py_constant_stem(self) -> str:
        """What the module constants of the method are named after: `IOMMU_OPTION_SET`."""
        suffix = self.variant_suffix
        return f"{self.ioctl_name}_{suffix.upper()}" if suffix else str(self.ioctl_name)

    @cached_property
    def py_request(self) -> str:
        """The method's lines that build the request buffer: packed from the arguments, or a
        copy of the prepacked request of a command that takes none."""
        assert self.struct is not None
        request = self.local("request")
        buffers = [
            fit(f"{local} = ", value, "", _METHOD_INDENT) for local, value in self.py_buffers
        ]
        if not self.arguments:
            return f"{_METHOD_INDENT}{request} = bytearray({self.py_request_name})"
        values = [
            fit(star, value, ",", f"{_METHOD_INDENT}    ") for star, value in self.py_request_values
        ]
        lines = [
            *buffers,
            f"{_METHOD_INDENT}{request} = bytearray({self.struct.size})",
            f"{_METHOD_INDENT}{self.struct.rust_name}.STRUCT.pack_into(",
            f"{_METHOD_INDENT}    {request},",
            f"{_METHOD_INDENT}    0,",
            *values,
            f"{_METHOD_INDENT})",
        ]
        return "\n".join(lines)

    @cached_property
    def py_return(self) -> str:
        """The method's closing lines ("" when it returns nothing), led by a newline: the list
        arguments of output arrays filled, then the results."""
        fills = [
            m.kind.py_fill(m.python_name, self.local(f"{m.name}_memory"))  # type: ignore[attr-defined]
            for m in self._buffer_arguments
        ]
        filled = "".join(f"\n{_METHOD_INDENT}{fill}" for fill in fills if fill)
        return filled + self.result.py_return(
            self._command, self.local("request"), self.local("values")
        )

    @cached_property
    def py_call(self) -> str:
        """The method's lines that make the ioctl, its failure raised as the method's."""
        request, error = self.local("request"), self.local("error")
        return (
            f"{_METHOD_INDENT}try:\n"
            f"{_METHOD_INDENT}    {self.py_ioctl}(self._fd, {self.ioctl_name}, {request}, True)\n"
            f"{_METHOD_INDENT}except (OSError, ValueError) as {error}:\n"
            f'{_METHOD_INDENT}    raise self._failure({error}, "{self.ioctl_name}") from None'
        )

    @cached_property
    def py_ioctl(self) -> str:
        """The function the method calls the ioctl with: the runtime's `_ioctl`, or the query
        of the `_Elements` of an array that follows the query protocol."""
        for member in self._buffer_arguments:
            if getattr(member.kind, "query", False):
                return f"{self.local(f'{member.name}_memory')}.query"
        return "_ioctl"

    @cached_property
    def py_module_constants(self) -> tuple[str, ...]:
        """The module's lines for this command: its prepacked request when it takes no
        argument, and the `struct.Struct` that unpacks its results."""
        assert self.struct is not None
        lines = []
        if not self.arguments:
            packed = ", ".join(value for _, value in self.py_request_values)
            value = f"{self.struct.rust_name}.STRUCT.pack({packed})"
            lines.append(fit(f"{self.py_request_name}: Final = ", value, "", ""))
        if self.results:
            lines.append(
                f'{self.py_results_name}: Final = struct.Struct("{self.py_results_format}")'
            )
        lines += data_constants(self.ioctl_name, self._buffer_arguments)
        lines += py_output_constants(self._command)
        return tuple(lines)

    @cached_property
    def py_data_method(self) -> str:
        """The `_data` method of a command whose driver data the kernel writes or writes back,
        led by a blank line ("" for every other command): data_out.py, data_inout.py."""
        return py_data_method(self._command) or py_written_method(self._command)

    @cached_property
    def py_results_format(self) -> str:
        """The `struct` format that unpacks just the results from the whole struct: the other
        members are pad bytes."""
        assert self.struct is not None
        results = set(self.results)
        formats: list[str] = []
        skipped = 0
        for member in self.struct.members:
            if member in results:
                formats += [f"{skipped}x"] if skipped else []
                formats.append(member.kind.py_format)
                skipped = 0
            else:
                skipped += member.kind.size(HOST_REFERENCE)
        return "=" + "".join(formats) + (f"{skipped}x" if skipped else "")

    def py_results(self, values: str) -> tuple[str, ...]:
        """Each result as the Python method returns it, from the tuple `values` that
        `py_results_format` unpacks."""
        spelled, index = [], 0
        for member in self.results:
            spelled.append(member.py_out(member.kind.py_unpack(values, index)))
            index += member.kind.py_count
        return tuple(spelled)

    @cached_property
    def py_results_annotation(self) -> str:
        """The type of the tuple `py_results_format` unpacks to."""
        return f"tuple[{', '.join(t for m in self.results for t in m.kind.py_raw_types)}]"

    @cached_property
    def py_results_name(self) -> str:
        """The module's `struct.Struct` of `py_results_format`."""
        return f"_{self.py_constant_stem}_RESULTS"

    @cached_property
    def py_request_name(self) -> str:
        """The module's prepacked request of a command that takes no argument."""
        return f"_{self.py_constant_stem}_REQUEST"

    @cached_property
    def py_numbers(self) -> str:
        """The number under each encoding, as a tuple in the order of the runtime's columns."""
        return "(" + ", ".join(f"0x{self.number(e):08X}" for e in ENCODINGS) + ")"

    @cached_property
    def py_runtime_names(self) -> frozenset[str]:
        """The runtime's names the method and its results use."""
        names = {"_ioctl"} if self.py_ioctl == "_ioctl" else set()
        for member in self.arguments:
            names |= member.kind.py_arg_helpers
        for member in self.results:
            names |= member.kind.py_out_helpers
        if isinstance(self.result, SeveralValues):
            names.add("_tuple_new")
        if output_data(self._command) is not None:
            names |= {"_decoded", "UnknownData"}
        if written_data(self._command) is not None:
            names.add("_written")
        return frozenset(names)


class PyModel(PyClassicModel):
    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def enums(self) -> tuple[Enum, ...]: ...
        @property
        def flag_sets(self) -> tuple[FlagSet, ...]: ...
        @property
        def constants(self) -> tuple[Constant, ...]: ...
        @property
        def ranges(self) -> tuple[CommandRange, ...]: ...
        @property
        def commands(self) -> tuple[Command, ...]: ...
        @property
        def extensible_commands(self) -> tuple[Command, ...]: ...
        @property
        def classic_commands(self) -> tuple[Command, ...]: ...
        @property
        def classic_runtime(self) -> bool: ...

    @cached_property
    def python_package(self) -> str:
        return f"{self.name}_uapi"

    @cached_property
    def out_shapes(self) -> tuple[SeveralValues, ...]:
        """Every result type of a method that returns several values, in range order."""
        return tuple(shape for r in self.ranges for shape in r.out_shapes)

    @cached_property
    def py_method_constants(self) -> tuple[str, ...]:
        methods = (v for c in self.extensible_commands for v in c.variants)
        # Dict keys: the variants of one command share the constants of its typed data.
        extensible = dict.fromkeys(line for v in methods for line in v.py_module_constants)
        classic = [line for c in self.classic_commands for line in c.py_classic_constants]
        return (*extensible, *classic)

    @cached_property
    def py_imports(self) -> tuple[str, ...]:
        """The module's import lines, as ruff sorts them: only what the module uses."""
        return module_imports(self)
