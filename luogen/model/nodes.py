"""The model: frozen, fully resolved declarations. Layout, minimum sizes and ioctl numbers are
computed here and nowhere else; every output and check reads them from these objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Literal

from ..errors import Diagnostic, Location
from .arch import ARCHES, ENCODINGS, GENERIC, HOST_REFERENCE, Arch, IoctlEncoding
from .kinds import LOOP_VARIABLES, Array, KernelCheck, Kind, UserBuffer
from .names import python_ident, rust_ident

Direction = Literal["in", "out", "inout"]
DIRECTION_WORDS = {"in": "Input", "out": "Output", "inout": "Input/Output"}


def camel(name: str) -> str:
    """`liveupdate_session_finish` -> `LiveupdateSessionFinish` (Rust and Python type names)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"_+", name) if part)


# Rust's `target_arch` names of each architecture (bindings choose ioctl numbers with `cfg`).
# alpha has no Rust target; the sparc entry also covers 32-bit sparc, whose asm/ioctl.h is the
# same file; mips32r6/mips64r6 are Rust's names for the R6 ISA of the same kernels.
RUST_TARGET_ARCHES: dict[str, tuple[str, ...]] = {
    "amd64": ("x86_64",),
    "i386": ("x86",),
    "x32": ("x86_64",),
    "arm64": ("aarch64",),
    "armhf": ("arm",),
    "ppc64el": ("powerpc64",),
    "ppc64": ("powerpc64",),
    "powerpc": ("powerpc",),
    "s390x": ("s390x",),
    "mips": ("mips", "mips32r6"),
    "mips64el": ("mips64", "mips64r6"),
    "riscv64": ("riscv64",),
    "sparc64": ("sparc64", "sparc"),
    "m68k": ("m68k",),
    "alpha": (),
    "hppa": (),
}
# What the object types of the safe layers (Rust and Python) define themselves; a command of that
# name becomes the method `ioctl_<name>`.
BINDING_RESERVED = frozenset(
    {"open", "open_default", "from_fd", "into_fd", "close", "closed", "fileno", "detach"}
    | {"as_fd", "as_raw_fd", "from", "into", "drop", "fmt", "clone"}
)
# How the bindings name each encoding (Python keys, and comments in Rust).
ENCODING_KEYS = {GENERIC.name: "GENERIC"}


def encoding_key(encoding: IoctlEncoding) -> str:
    return ENCODING_KEYS.get(encoding.name, "ALTERNATE")


def _rust_arches(encodings: list[IoctlEncoding]) -> tuple[str, ...]:
    names = {
        rust
        for arch in ARCHES
        if arch.encoding in encodings
        for rust in RUST_TARGET_ARCHES[arch.name]
    }
    return tuple(f'target_arch = "{name}"' for name in sorted(names))


@cache
def _rust_cfg(encoding: IoctlEncoding) -> tuple[str, tuple[str, ...], str]:
    """The `cfg` predicate true on the Rust targets that use `encoding`, as (head, predicates,
    tail) so that a template may break it across lines. The generic encoding is asm-generic's
    default: it holds wherever no other encoding does."""
    if encoding == GENERIC:
        return "not(any(", _rust_arches([e for e in ENCODINGS if e != GENERIC]), "))"
    return "any(", _rust_arches([encoding]), ")"


@dataclass(frozen=True)
class Doc:
    """Prose from the spec: paragraphs separated by blank lines, each paragraph one string."""

    text: str

    @cached_property
    def paragraphs(self) -> tuple[str, ...]:
        blocks = re.split(r"\n\s*\n", self.text.strip())
        return tuple(" ".join(block.split()) for block in blocks if block.strip())

    @cached_property
    def first(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""

    @cached_property
    def rest(self) -> tuple[str, ...]:
        return self.paragraphs[1:]


@dataclass(frozen=True)
class Errno:
    name: str
    doc: Doc


@dataclass(frozen=True)
class Constant:
    name: str
    value: int
    doc: Doc
    where: Location = field(compare=False)


@dataclass(frozen=True)
class EnumValue:
    name: str
    value: int
    doc: Doc
    since: str | None = None

    @cached_property
    def c_value(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Enum:
    name: str
    doc: Doc
    values: tuple[EnumValue, ...]
    where: Location = field(compare=False)

    @cached_property
    def rust_name(self) -> str:
        return camel(self.name)

    @cached_property
    def low(self) -> int:
        return min(v.value for v in self.values)

    @cached_property
    def high(self) -> int:
        return max(v.value for v in self.values)

    @cached_property
    def py_by_value(self) -> str:
        """The Python dict from each value to its enum member."""
        return f"_{self.name.upper()}_BY_VALUE"


@dataclass(frozen=True)
class Flag(EnumValue):
    bit: int = 0

    @cached_property
    def c_value(self) -> str:
        return f"1 << {self.bit}"


@dataclass(frozen=True)
class FlagSet:
    name: str
    doc: Doc
    values: tuple[Flag, ...]
    where: Location = field(compare=False)

    @cached_property
    def rust_name(self) -> str:
        return camel(self.name)

    @cached_property
    def mask(self) -> int:
        mask = 0
        for flag in self.values:
            mask |= flag.value
        return mask

    @cached_property
    def high(self) -> int:
        return max(flag.bit for flag in self.values)


@dataclass(frozen=True)
class Member:
    name: str
    kind: Kind
    doc: Doc
    direction: Direction | None = "in"  # None in nested structs: their container says
    reserved: bool = False  # must be zero
    optional: bool = False  # past the minimum size
    since: str | None = None
    implicit: bool = False  # the `__u32 size` header luogen adds
    opens: str | None = None  # an fd output: the range whose object it is
    where: Location | None = field(default=None, compare=False)

    @cached_property
    def c_decl(self) -> str:
        return f"{self.kind.c_type} {self.name}{self.kind.c_suffix}"

    def c_checks(
        self, expr: str, direction: Direction | None, depth: int = 0
    ) -> tuple[KernelCheck, ...]:
        """The kernel's checks of the member at `expr` (`direction`: its own, or its
        container's), each true when it must answer EOPNOTSUPP: a reserved member that is not
        zero, or an input holding an unknown enum value or flag, at any depth of nested structs
        and arrays."""
        if self.reserved:
            if isinstance(self.kind, Array):
                return (KernelCheck((), f"memchr_inv({expr}, 0, sizeof({expr}))"),)
            return (KernelCheck((), expr),)
        if direction in ("in", "inout"):
            return self.kind.c_checks(expr, depth)
        return ()

    @cached_property
    def rust_name(self) -> str:
        return rust_ident(self.name)

    @cached_property
    def python_name(self) -> str:
        """The attribute in Python: keywords escaped, and `__x` spelled `_x` (a class would
        mangle `__x`)."""
        name = self.name[1:] if self.name.startswith("__") else self.name
        return python_ident(name)

    @cached_property
    def description(self) -> str:
        """The member's one-paragraph kdoc: who writes it, what it is, its rules."""
        if self.implicit:
            return self.doc.first
        parts = (
            [f"{DIRECTION_WORDS[self.direction]};"] if self.direction and not self.reserved else []
        )
        parts.append(" ".join(self.doc.paragraphs))
        if self.kind.kdoc_note:
            parts.append(self.kind.kdoc_note)
        if self.reserved:
            parts.append("Must be zero.")
        if self.since:
            parts.append(f"Optional: appended in {self.since}.")
        return " ".join(parts)

    @cached_property
    def py_result_name(self) -> str:
        """The field of a Python result (a NamedTuple): no leading underscore, and not a name
        of tuple's own."""
        name = self.python_name
        if name.startswith("_") or name in ("count", "index"):
            return f"{name.lstrip('_')}_"
        return name

    @cached_property
    def argument_description(self) -> str:
        """The member's description as the doc of a safe method's argument."""
        note = self.kind.binding_note
        return f"{self.description} {note}" if note else self.description


@dataclass(frozen=True)
class Hole:
    """Padding a compiler inserts: `length` bytes at `offset` before `before` (None: at the end)."""

    offset: int
    length: int
    before: Member | None


@dataclass(frozen=True)
class StructLayout:
    arch: Arch
    size: int
    align: int
    offsets: tuple[int, ...]
    holes: tuple[Hole, ...]


@dataclass(frozen=True)
class Struct:
    name: str
    doc: Doc
    members: tuple[Member, ...]
    where: Location = field(compare=False)

    @cached_property
    def rust_name(self) -> str:
        return camel(self.name)

    def layout(self, arch: Arch) -> StructLayout:
        return self.layouts[arch.name]

    @cached_property
    def layouts(self) -> dict[str, StructLayout]:
        # Architectures that align every integer alike lay a struct out alike: compute once.
        by_rules: dict[tuple[int, int], StructLayout] = {}
        result = {}
        for arch in ARCHES:
            rules = (arch.int_align, arch.s64_align)
            if rules not in by_rules:
                by_rules[rules] = _lay_out(self.members, arch)
            same = by_rules[rules]
            result[arch.name] = StructLayout(arch, same.size, same.align, same.offsets, same.holes)
        return result

    @cached_property
    def reference(self) -> StructLayout:
        return self.layout(HOST_REFERENCE)

    @cached_property
    def size(self) -> int:
        return self.reference.size

    @cached_property
    def align(self) -> int:
        return self.reference.align

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        return self.reference.offsets

    @cached_property
    def fields(self) -> tuple[tuple[Member, int], ...]:
        """(member, offset) pairs on the reference architecture."""
        return tuple(zip(self.members, self.offsets, strict=True))

    @cached_property
    def min_size(self) -> int:
        """offsetofend() of the last mandatory member."""
        end = 0
        for member, offset in self.fields:
            if not member.optional:
                end = offset + member.kind.size(HOST_REFERENCE)
        return end

    @cached_property
    def last_mandatory(self) -> Member | None:
        mandatory = [m for m in self.members if not m.optional]
        return mandatory[-1] if mandatory else None

    @cached_property
    def reserved_members(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.reserved)

    # --- bindings ------------------------------------------------------------------------------

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

    @cached_property
    def carries_pointer(self) -> bool:
        return any(m.kind.carries_pointer for m in self.members)

    @cached_property
    def buffer_of_length(self) -> dict[str, Member]:
        """Each member that holds a buffer's length -> the buffer (a user pointer) it measures."""
        return {m.kind.length: m for m in self.members if isinstance(m.kind, UserBuffer)}


def _round_up(value: int, align: int) -> int:
    return (value + align - 1) // align * align


def _lay_out(members: tuple[Member, ...], arch: Arch) -> StructLayout:
    """The C layout of `members` on `arch`, with every hole the compiler would insert."""
    offsets: list[int] = []
    holes: list[Hole] = []
    cursor = 0
    align = 1
    for member in members:
        member_align = member.kind.align(arch)
        align = max(align, member_align)
        offset = _round_up(cursor, member_align)
        if offset > cursor:
            holes.append(Hole(cursor, offset - cursor, member))
        offsets.append(offset)
        cursor = offset + member.kind.size(arch)
    size = _round_up(cursor, align)
    if size > cursor:
        holes.append(Hole(cursor, size - cursor, None))
    return StructLayout(arch, size, align, tuple(offsets), tuple(holes))


@dataclass(frozen=True)
class Command:
    """One ioctl: a command number in its range, its struct and macro; or a retired number."""

    name: str
    nr: int
    cmd_name: str  # the enumerator
    doc: Doc | None
    ioctl_name: str | None
    struct: Struct | None  # None when retired
    ioctl_type: int
    ioctl_type_name: str
    errnos: tuple[Errno, ...] = ()
    handler: str | None = None  # the kernel function that carries it out
    retired: str | None = None
    since: str | None = None
    where: Location | None = field(default=None, compare=False)

    def number(self, encoding: IoctlEncoding = GENERIC) -> int:
        """The value of `_IO(type, nr)` under `encoding`."""
        return encoding.io(self.ioctl_type, self.nr)

    @cached_property
    def numbers(self) -> dict[str, int]:
        return {arch.name: self.number(arch.encoding) for arch in ARCHES}

    @cached_property
    def kernel_checks(self) -> tuple[KernelCheck, ...]:
        """Checks of `cmd`, each true when the dispatcher must answer EOPNOTSUPP."""
        if self.struct is None:
            return ()
        return tuple(
            check
            for m in self.struct.members
            for check in m.c_checks(f"cmd->{m.name}", m.direction)
        )

    @cached_property
    def kernel_loop_variables(self) -> str:
        """The loop variables the checks use, as a C declarator list ("" when none)."""
        depth = max((len(c.loops) for c in self.kernel_checks), default=0)
        return ", ".join(LOOP_VARIABLES[:depth])

    @cached_property
    def c_io(self) -> str:
        """The macro's value: the number carries no size and no direction."""
        return f"_IO({self.ioctl_type_name}, {self.cmd_name})"

    @cached_property
    def c_nr(self) -> str:
        return f"0x{self.nr:02x}"

    @cached_property
    def c_number(self) -> str:
        return f"0x{self.number():08x}"

    # --- bindings ------------------------------------------------------------------------------

    @cached_property
    def arguments(self) -> tuple[Member, ...]:
        """What a safe method takes: the in and inout members but `size`, reserved ones and
        buffer lengths (the method takes them from the buffer)."""
        if self.struct is None:
            return ()
        lengths = self.struct.buffer_of_length
        return tuple(
            m
            for m in self.struct.members
            if m.direction in ("in", "inout")
            and not m.reserved
            and not m.implicit
            and m.name not in lengths
        )

    def local(self, name: str) -> str:
        """`name`, or `name_`, `name__`, ...: a local variable of a safe method that no argument
        shadows."""
        taken = {m.python_name for m in self.arguments} | {m.rust_name for m in self.arguments}
        while name in taken:
            name += "_"
        return name

    @cached_property
    def py_buffers(self) -> tuple[tuple[str, str], ...]:
        """(local, expression) for each buffer argument: the `_Memory` the Python method
        builds from it before packing."""
        return tuple(
            (self.local(f"{m.name}_memory"), m.kind.py_arg(m.python_name, m.name))
            for m in self._buffer_arguments
        )

    @cached_property
    def py_request_values(self) -> tuple[tuple[str, str], ...]:
        """What the Python method packs for each member, in order, as ("*" or "", expression)
        (see Kind.py_arg_packed): `size`, the checked arguments, each buffer's address and
        length, zero for the rest."""
        assert self.struct is not None
        buffers = {m.name: self.local(f"{m.name}_memory") for m in self._buffer_arguments}
        lengths = self.struct.buffer_of_length
        values: list[tuple[str, str]] = []
        for member in self.struct.members:
            if member.implicit:
                values.append(("", str(self.struct.size)))
            elif member.name in buffers:
                values.append(("", f"{buffers[member.name]}[1]"))
            elif member.name in lengths and lengths[member.name].name in buffers:
                values.append(("", f"{buffers[lengths[member.name].name]}[2]"))
            elif member in self.arguments:
                values.append(member.kind.py_arg_packed(member.python_name, member.name))
            else:
                values.append(("", member.kind.py_zero_values))
        return tuple(values)

    @cached_property
    def _buffer_arguments(self) -> tuple[Member, ...]:
        return tuple(m for m in self.arguments if isinstance(m.kind, UserBuffer))

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
            spelled.append(member.kind.py_out(member.kind.py_unpack(values, index)))
            index += member.kind.py_count
        return tuple(spelled)

    @cached_property
    def py_results_annotation(self) -> str:
        """The type of the tuple `py_results_format` unpacks to."""
        return f"tuple[{', '.join(t for m in self.results for t in m.kind.py_raw_types)}]"

    @cached_property
    def py_results_name(self) -> str:
        """The module's `struct.Struct` of `py_results_format`."""
        return f"_{self.ioctl_name}_RESULTS"

    @cached_property
    def py_request_name(self) -> str:
        """The module's prepacked request of a command that takes no argument."""
        return f"_{self.ioctl_name}_REQUEST"

    @cached_property
    def results(self) -> tuple[Member, ...]:
        """What a safe method returns: the out and inout members."""
        if self.struct is None:
            return ()
        return tuple(m for m in self.struct.members if m.direction in ("out", "inout"))

    @cached_property
    def getter(self) -> str | None:
        """`x` for a command `get_x` that takes nothing and returns one value: the safe layers
        also offer it as a property (Python) or a method named `x` (Rust)."""
        if self.name.startswith("get_") and not self.arguments and len(self.results) == 1:
            return self.name[4:]
        return None

    @cached_property
    def binding_method(self) -> str:
        """The command's name as a method of its object, in both safe layers: the command name,
        or `ioctl_<name>` when that is one of the names the object type has of its own."""
        return f"ioctl_{self.name}" if self.name in BINDING_RESERVED else self.name

    @cached_property
    def rust_method(self) -> str:
        getter = self.getter
        return rust_ident(
            getter if getter and getter not in BINDING_RESERVED else self.binding_method
        )

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
    def rust_raw_fn(self) -> str:
        """The raw layer's function: the ioctl macro in lower case."""
        return (self.ioctl_name or self.cmd_name).lower()

    @cached_property
    def out_type_name(self) -> str:
        """The type a safe method returns when it has several results."""
        return camel(self.struct.name if self.struct else self.name) + "Out"

    @cached_property
    def rust_numbers(self) -> tuple[tuple[str, tuple[str, ...], str, str, str], ...]:
        """(cfg head, cfg predicates, cfg tail, encoding key, hex literal) for each encoding: the
        number on the Rust targets that the `cfg` selects."""
        return tuple((*_rust_cfg(e), encoding_key(e), f"0x{self.number(e):08x}") for e in ENCODINGS)

    @cached_property
    def py_numbers(self) -> tuple[tuple[str, str], ...]:
        """(encoding key, hex literal) for each encoding."""
        return tuple((encoding_key(e), f"0x{self.number(e):08x}") for e in ENCODINGS)


@dataclass(frozen=True)
class CommandRange:
    """The commands of one object or fd, numbered contiguously from `base`."""

    name: str
    doc: Doc
    issued_on: str
    base: int
    base_name: str
    commands: tuple[Command, ...]
    where: Location = field(compare=False)
    kernel_prefix: str = ""  # of the range's dispatch, op table and buffer union

    @cached_property
    def last(self) -> int:
        return self.base + len(self.commands) - 1

    @cached_property
    def c_base(self) -> str:
        return f"0x{self.base:02x}"

    @cached_property
    def seq(self) -> str:
        """The NRs in use, as ioctl-number.rst writes them: `40-43`."""
        if self.last == self.base:
            return f"{self.base:02X}"
        return f"{self.base:02X}-{self.last:02X}"

    @cached_property
    def live(self) -> tuple[Command, ...]:
        """The commands that still exist (not retired)."""
        return tuple(c for c in self.commands if c.struct is not None)

    @cached_property
    def device_path(self) -> str | None:
        """The object when the spec names it by a literal path (`/dev/liveupdate`): what a
        binding opens by default. None for a path with a placeholder (`/dev/fwctl/fwctlN`, upper
        case marks it) or an fd described in words."""
        if re.fullmatch(r"/[a-z0-9_./-]+", self.issued_on):
            return self.issued_on
        return None

    @cached_property
    def openable(self) -> bool:
        """Whether a binding opens this object from a path (`open`) rather than only taking an
        fd another command returned: it has a path, literal or with a placeholder."""
        return self.issued_on.startswith("/")


@dataclass(frozen=True)
class KernelBuild:
    """Where the generated dispatch lives in a kernel tree and what it is linked with."""

    dir: str
    config: str
    module: str
    objects: tuple[str, ...]  # the maintainer's own, besides the generated dispatch


@dataclass(frozen=True)
class Model:
    path: str  # the spec file, as given
    name: str
    title: str
    header: str  # below include/uapi/
    kernel: KernelBuild
    spdx: str
    guard: str
    copyright: tuple[str, ...]
    contact: str | None
    overview: Doc
    errnos: tuple[Errno, ...]
    ioctl_type: int
    ioctl_type_name: str
    constants: tuple[Constant, ...]
    enums: tuple[Enum, ...]
    flag_sets: tuple[FlagSet, ...]
    structs: tuple[Struct, ...]  # nested (non-command) structs, each after what it embeds
    ranges: tuple[CommandRange, ...]
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @cached_property
    def commands(self) -> tuple[Command, ...]:
        return tuple(c for r in self.ranges for c in r.live)

    @cached_property
    def multi_result_commands(self) -> tuple[Command, ...]:
        """The commands whose safe method returns a struct of results (an `...Out` type)."""
        return tuple(c for c in self.commands if len(c.results) > 1)

    @cached_property
    def all_structs(self) -> tuple[Struct, ...]:
        return self.structs + tuple(c.struct for c in self.commands if c.struct is not None)

    @cached_property
    def c_ioctl_type(self) -> str:
        return f"0x{self.ioctl_type:02X}"

    # --- bindings ------------------------------------------------------------------------------

    @cached_property
    def binding_name(self) -> str:
        """The type name of the spec's first object: the spec name, in words as the title spells
        them when the title starts with those words (`liveupdate` + "Live Update Orchestrator"
        -> `LiveUpdate`), else `camel(name)` (`fwctl` -> `Fwctl`)."""
        words = re.findall(r"[A-Za-z0-9]+", self.title)
        for count in range(1, len(words) + 1):
            if "".join(words[:count]).lower() == self.name.replace("_", "").lower():
                return "".join(w[:1].upper() + w[1:] for w in words[:count])
        return camel(self.name)

    def class_name(self, command_range: CommandRange) -> str:
        """The binding type of a range's object: the first range is the spec's own object
        (`binding_name`), every other is `camel(range name)` (`session` -> `Session`)."""
        if command_range == self.ranges[0]:
            return self.binding_name
        return camel(command_range.name)

    def opens(self, command: Command) -> CommandRange | None:
        """The range whose object a command's only result, an fd, is (the member's `opens`)."""
        results = command.results
        if len(results) != 1 or results[0].opens is None:
            return None
        return next(r for r in self.ranges if r.name == results[0].opens)

    def rust_enum_repr(self, enum: Enum | FlagSet) -> str:
        """The integer inside the Rust newtype of an enum or flag set: the storage of the members
        that hold it (a C enum has no width of its own; the model gives all of them one).
        Unused: u32, or i32 for an enum with negative values."""
        for struct in self.all_structs:
            for member in struct.members:
                kind = member.kind.element if isinstance(member.kind, Array) else member.kind
                if getattr(kind, "enum", None) == enum and kind.scalar is not None:
                    return kind.scalar.rust_type
        return "i32" if isinstance(enum, Enum) and enum.low < 0 else "u32"

    @cached_property
    def rust_crate(self) -> str:
        return f"{self.name.replace('_', '-')}-uapi"

    @cached_property
    def python_package(self) -> str:
        return f"{self.name}_uapi"

    @cached_property
    def py_machines(self) -> tuple[tuple[str, str], ...]:
        """(platform.machine() name, encoding key) for every machine the model knows."""
        return tuple(
            (machine, encoding_key(arch.encoding)) for arch in ARCHES for machine in arch.machines
        )
