"""The Rust target's view of what classic headers add: raw records laid out per architecture
(`#[repr(C)]` structs and unions whose fields have each target's C layout, checked by the
runtime's `raw_struct!` against the model's size, alignment and offsets on every
architecture), the C typedefs whose size differs per architecture, and the crate-level items
that say which runtime parts the crate uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...text import rust_call, spelled_names, wrap
from ..arch import ARCHES, HOST_REFERENCE
from ..kinds import ByteOrdered, CScalar, Kind, Nested
from ..layout import StructLayout, lay_out
from .layouts import RecordLayout, kinds_within
from .perarch import PerArch

if TYPE_CHECKING:
    from ..nodes import Command, Constant, Struct, Typedef

_FIELD = "    "


def _same(one: StructLayout, other: StructLayout) -> bool:
    return (one.size, one.align, one.offsets) == (other.size, other.align, other.offsets)


def _bool(value: bool) -> str:
    return "true" if value else "false"


class RustClassicStruct(RecordLayout):
    """A classic record's raw item (`rust/classic_struct.rs.j2` reads these)."""

    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...
        @property
        def rust_name(self) -> str: ...
        @property
        def c_keyword(self) -> str: ...

    @cached_property
    def rust_keyword(self) -> str:
        return "pub union" if self.union else "pub struct"

    @cached_property
    def rust_repr(self) -> str:
        if self.packed and self.aligned:
            return self.rust_packed_aligned or "#[repr(C, packed)]"  # (refused: build/styles)
        if self.aligned:
            return f"#[repr(C, align({self.aligned}))]"
        return "#[repr(C, packed)]" if self.packed else "#[repr(C)]"

    @cached_property
    def rust_packed_aligned(self) -> str | None:
        """A packed record aligned to N as a Rust `repr` that lays it out as C does on every
        architecture (Rust cannot say packed and align together): align(N) when no member
        needs the packing, else packed(N), which aligns each member to at most N; or none."""
        n = self.aligned
        aligned = [lay_out(self.members, a, self.union, aligned=n) for a in ARCHES]
        packed = [lay_out(self.members, a, self.union, pack=n) for a in ARCHES]
        for spelled, layouts in ((f"align({n})", aligned), (f"packed({n})", packed)):
            if all(_same(lay, self.layouts[lay.arch.name]) for lay in layouts):
                return f"#[repr(C, {spelled})]"
        return None

    @cached_property
    def rust_packed(self) -> bool:
        """Whether the Rust item is packed (its members then hold nothing `repr(align)`)."""
        return self.packed and not self.rust_repr.startswith("#[repr(C, align")

    @cached_property
    def rust_derives(self) -> str:
        """What the item derives: a union (or a record holding one) only copies, floats are not
        `Eq`."""
        kinds = [k for m in self.members for k in kinds_within(m.kind)]
        if self.union or any(isinstance(k, Nested) and k.struct.union for k in kinds):
            return "#[derive(Clone, Copy)]"
        if any(isinstance(k, CScalar) and k.meaning == "float" for k in kinds):
            return "#[derive(Clone, Copy, Debug, PartialEq)]"
        return "#[derive(Clone, Copy, Debug, PartialEq, Eq)]"

    @cached_property
    def rust_field_names(self) -> tuple[str, ...]:
        """The fields' names: an anonymous member is bindgen's `__bindgen_anon_N`."""
        return tuple(
            member.rust_name if member.name else f"__bindgen_{name}"
            for member, name in zip(self.members, self.field_names, strict=True)
        )

    @cached_property
    def rust_layout_fields(self) -> tuple[tuple[str, str], ...]:
        """(name in the layout example's lines, Rust field) of each member."""
        return tuple(zip(self.field_names, self.rust_field_names, strict=True))

    @cached_property
    def rust_fields(self) -> str:
        """The item's fields, each with its doc comment."""
        lines = []
        for member, name in zip(self.members, self.rust_field_names, strict=True):
            kind = member.kind
            spelled = kind.rust_packed_type if self.rust_packed else kind.rust_c_type
            described = member.description or f"The anonymous {kind.c_type} (its members)."
            lines += [
                wrap(described, f"{_FIELD}/// ", width=100),
                f"{_FIELD}pub {name}: {spelled},",
            ]
        return "\n".join(lines)

    @cached_property
    def rust_layout_doc(self) -> str:
        """The doc comment lines on its layout."""
        size, align = self.size_on, self.align_on
        if (
            size.varies_for_rust
            or align.varies_for_rust
            or any(o.varies_for_rust for o in self.offsets_on)
        ):
            text = (
                f"Layout (checked at compile time below, for the architecture built for): "
                f"{size.on(HOST_REFERENCE)} bytes on {HOST_REFERENCE.name}, aligned to "
                f"{align.on(HOST_REFERENCE)}; sizes, alignments or offsets differ on other "
                "architectures, as their C compilers lay the record out."
            )
        else:
            text = (
                f"Layout (checked at compile time below): {size.reference} bytes, aligned to "
                f"{align.reference}, on every architecture."
            )
        extra = [
            f"`{m.name}` is a flexible array: its elements follow the record."
            for m in self.flexible
        ]
        return "\n///\n".join(wrap(t, "/// ", width=100) for t in [text, *extra])

    @cached_property
    def rust_classic_plumbing(self) -> str:
        """The runtime's `raw_struct!` of the record: `Default` and the layout checks."""
        lines = [
            "raw_struct! {",
            f"    {self.rust_name},",
            self.size_on.rust_lines("size ", ",", "    "),
            self.align_on.rust_lines("align ", ",", "    "),
            "    offsets {",
            *(
                offset.rust_lines(f"{name}: ", ",", "        ")
                for name, offset in zip(self.rust_field_names, self.offsets_on, strict=True)
            ),
            "    }",
            "}",
        ]
        return "\n".join(lines)


class RustConstant:
    if TYPE_CHECKING:

        @property
        def value(self) -> int: ...

    @cached_property
    def rust_type(self) -> str:
        """`usize` (what array lengths need), or a type that holds a value it cannot."""
        if 0 <= self.value < 1 << 32:
            return "usize"
        if self.value < 0:
            return "i32" if self.value >= -(1 << 31) else "i64"
        return "u64"


def _aliased(kind: Kind) -> CScalar | None:
    """`kind` when it is a C type the crate defines per architecture."""
    if isinstance(kind, CScalar) and kind.base is None and kind.rust_type == kind.spelling:
        return kind
    return None


_EXTENSIBLE_METHODS = (
    "Each method fills {size} itself, takes the command's input members as arguments (in the "
    "header's order) and returns its output members: nothing, the one output, or a `...Out` "
    "struct when there are several. An fd output is an [`OwnedFd`], or, when the spec says which "
    "range's object it opens, that object's type: what the method returns when it is the only "
    "output, a field of the `...Out` struct otherwise. A user pointer paired with its length is a "
    "byte slice (`&[u8]` for the kernel to read, `&mut [u8]` for it to write), and the method "
    "fills both members from it; a method whose struct carries any other user pointer is "
    "`unsafe`: the caller vouches for it."
)
_CLASSIC_METHODS = (
    "A method of a classic command passes its argument as the encoding says: `_IOR` returns "
    "it, `_IOW` takes it, `_IOWR` takes and returns it, and `_IO` without one returns the "
    "ioctl's result; an argument the command passes by value is the ioctl's argument itself. A "
    "method whose argument holds a pointer is `unsafe`: the caller vouches for it."
)


class RustClassicModel:
    if TYPE_CHECKING:

        @property
        def structs(self) -> tuple[Struct, ...]: ...
        @property
        def typedefs(self) -> tuple[Typedef, ...]: ...
        @property
        def classic_commands(self) -> tuple[Command, ...]: ...
        @property
        def commands(self) -> tuple[Command, ...]: ...
        @property
        def ioctl_type(self) -> int: ...
        @property
        def ioctl_type_spelling(self) -> str: ...
        @property
        def c_ioctl_type(self) -> str: ...
        @property
        def constants(self) -> tuple[Constant, ...]: ...
        @property
        def all_structs(self) -> tuple[Struct, ...]: ...
        @property
        def extensible_commands(self) -> tuple[Command, ...]: ...
        @property
        def size_member_names(self) -> tuple[str, ...]: ...

    @cached_property
    def rust_safe_doc(self) -> str:
        """The safe layer's paragraphs on its methods, for the styles of the spec's commands."""
        size = spelled_names(self.size_member_names, "`")
        extensible = _EXTENSIBLE_METHODS.format(size=size)
        paragraphs = [extensible] if self.extensible_commands else []
        paragraphs += [_CLASSIC_METHODS] if self.classic_commands else []
        return "\n//!\n".join(wrap(p, "//! ", width=100) for p in paragraphs)

    @cached_property
    def classic_runtime(self) -> bool:
        """Whether the bindings need the runtime of classic headers (`classic.rs`,
        `_classic.py`): a classic command or record."""
        return bool(self.classic_commands) or not all(s.extensible_style for s in self.structs)

    @cached_property
    def rust_plain_structs(self) -> tuple[Struct, ...]:
        return tuple(s for s in self.structs if s.extensible_style)

    @cached_property
    def rust_classic_structs(self) -> tuple[Struct, ...]:
        """Every classic record, those defined inside others included (each once)."""
        found: dict[str, Struct] = {}
        for struct in self.structs:
            for inner in struct.inline_records:
                found.setdefault(inner.name, inner)
            if not struct.extensible_style:
                found.setdefault(struct.name, struct)
        return tuple(found.values())

    @cached_property
    def rust_ioctl_type(self) -> str:
        """The type byte as a `u32` constant's value (a character literal as its byte)."""
        if self.ioctl_type_spelling:
            return f"b{chr(self.ioctl_type)!r} as u32"
        return self.c_ioctl_type

    @cached_property
    def _used_kinds(self) -> tuple[Kind, ...]:
        kinds = [
            k for s in self.rust_classic_structs for m in s.members for k in kinds_within(m.kind)
        ]
        kinds += [
            k for c in self.classic_commands if c.argument for k in kinds_within(c.argument.kind)
        ]
        kinds += [CScalar(t.type) for t in self.typedefs if not t.names_a_record]
        return tuple(kinds)

    @cached_property
    def rust_type_aliases(self) -> str:
        """The crate's type aliases: the spec's typedefs, and each C type it uses whose size or
        signedness differs per architecture, as the runtime's `Int` of this one's facts (led by
        a newline; "" for none)."""
        items = []
        for typedef in (t for t in self.typedefs if not t.names_a_record):
            spelled = CScalar(typedef.type).rust_type
            doc = wrap(f"`{typedef.name}`: {typedef.doc.first}", "/// ", width=100)
            items.append(
                f"{doc}\n#[allow(non_camel_case_types)]\npub type {typedef.name} = {spelled};"
            )
        varying = {k.spelling: k for k in map(_aliased, self._used_kinds) if k is not None}
        items += [_per_arch_alias(kind) for _, kind in sorted(varying.items())]
        return "".join(f"\n\n{item}" for item in items)

    @cached_property
    def rust_layout_main(self) -> str:
        """The body of the layout example's `main`: a line printed per size, alignment and
        offset of every struct (a classic header may have none: then it only names `ARCH`,
        which every classic crate has, for the crate's import to be used)."""
        lines = []
        for struct in self.all_structs:
            facts = [
                (f"{struct.name} size", f"core::mem::size_of::<{struct.rust_name}>()"),
                (f"{struct.name} align", f"core::mem::align_of::<{struct.rust_name}>()"),
            ]
            facts += [(f"{struct.name}.{name} offset",
                       f"core::mem::offset_of!({struct.rust_name}, {field})")
                      for name, field in struct.rust_layout_fields]  # fmt: skip
            lines += [rust_call("println!", [f'"{what} {{}}"', value], ";", "    ")
                      for what, value in facts]  # fmt: skip
        lines = lines or ["    let _ = ARCH; // the header has no struct to print"]
        return "{\n" + "\n".join(lines) + "\n}"

    @cached_property
    def rust_crate_attributes(self) -> str:
        """What follows `#![no_std]` (led by a newline): a classic header's docs are its C
        comments, not Markdown, so clippy's Markdown lints do not apply to them."""
        if not self.classic_runtime:
            return ""
        return (
            "\n// The docs are the header's C comments, not Markdown; the names are C's.\n"
            "#![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]\n"
            "#![allow(non_upper_case_globals)]"
        )

    @cached_property
    def rust_byte_ordered(self) -> str:
        """The re-export of the runtime's byte-ordered integers the structs hold (`Le64`...),
        a line of its own before the other imports, or nothing."""
        names = sorted(
            {
                kind.rust_type
                for struct in self.all_structs
                for member in struct.members
                for kind in kinds_within(member.kind)
                if isinstance(kind, ByteOrdered)
            }
        )
        if not names:
            return ""
        spelled = names[0] if len(names) == 1 else f"{{{', '.join(names)}}}"
        return f"pub use runtime::{spelled};\n\n"

    @cached_property
    def rust_uses(self) -> str:
        """The crate root's imports of what its items use."""
        if not self.classic_runtime:
            return f"{self.rust_byte_ordered}use core::ffi::c_ulong;\nuse runtime::ENCODING;"
        return self.rust_byte_ordered + (
            "#[macro_use]\nmod classic;\n"
            "pub use classic::{AlignedI64, AlignedU64, Int, IntType, ARCH};\n\n"
            "#[allow(unused_imports)] // each crate uses the C types and tables its spec needs\n"
            "use core::ffi::*;\n#[allow(unused_imports)]\nuse runtime::ENCODING;"
        )


def _per_arch_alias(kind: CScalar) -> str:
    """`pub type NAME = ...;` of the `Int` of the type's facts here, with its size and signedness
    per architecture as constants of their own."""
    upper = kind.spelling.upper().lstrip("_")
    facts = PerArch.of(lambda arch: kind.facts[arch.name])
    sizes = PerArch(tuple(f.size for f in facts.values))
    signed = PerArch(tuple(f.type_class == "signed" for f in facts.values))
    doc = wrap(
        f"`{kind.spelling}`: the C type, whose size or signedness differs per architecture "
        f"({kind.rust_types.on(HOST_REFERENCE)} on {HOST_REFERENCE.name}).",
        "/// ",
        width=100,
    )
    alias = f"pub type {kind.spelling} = <Int<{upper}_BYTES, {upper}_SIGNED> as IntType>::Type;"
    if len(alias) > 100:
        alias = alias.replace(" = ", " =\n    ", 1)
    return "\n".join([
        f"/// The size of `{kind.spelling}` on the architecture built for.",
        sizes.rust_lines(f"const {upper}_BYTES: usize = ", ";", ""),
        f"/// Whether `{kind.spelling}` is signed on the architecture built for.",
        signed.rust_lines(f"const {upper}_SIGNED: bool = ", ";", "", _bool),
        doc,
        "#[allow(non_camel_case_types)]",
        alias,
    ])  # fmt: skip
