"""Both targets' view of a classic command beside the extensible ones': its number on every
architecture, its raw Rust function, and its safe methods, whose parts its `Passing` spells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cached import cached_property
from ...text import fit, py_docstring, rust_docs, wrap
from ..arch import ALTERNATE, ENCODINGS
from .calls import Passing, passing
from .perarch import RUST_ARCHES, PerArch

if TYPE_CHECKING:
    from ..arch import Arch
    from ..nodes import Doc, Member

_BODY = "        "


def _hex(number: int) -> str:
    return f"0x{number:08X}"


class ClassicCommand:
    if TYPE_CHECKING:

        @property
        def ioctl_name(self) -> str | None: ...
        @property
        def doc(self) -> Doc | None: ...
        @property
        def argument(self) -> Member | None: ...
        @property
        def argument_by_value(self) -> bool: ...
        @property
        def rust_raw_fn(self) -> str: ...
        @property
        def rust_unsafe(self) -> bool: ...
        @property
        def python_method(self) -> str: ...
        def number_on(self, arch: Arch) -> int: ...
        def local(self, name: str) -> str: ...

    @cached_property
    def numbers_on(self) -> PerArch[int]:
        return PerArch.of(self.number_on)

    @cached_property
    def encoding_columns(self) -> tuple[int, ...] | None:
        """The number under each encoding of the runtime's `ENCODING` (asm-generic's, then
        powerpc's, mips', sparc's), when that alone gives it on every architecture Rust builds
        for; None when it depends on more (the argument's size)."""
        columns = tuple(
            self.number_on(next(a for a in RUST_ARCHES if a.encoding == e)) for e in ENCODINGS
        )
        for arch in RUST_ARCHES:
            column = 1 if arch.encoding == ALTERNATE else 0
            if self.number_on(arch) != columns[column]:
                return None
        return columns

    @cached_property
    def classic_passing(self) -> Passing:
        return passing(self, self.argument_by_value)  # type: ignore[arg-type]

    @cached_property
    def rust_classic_raw(self) -> str:
        """The runtime's `classic_ioctl!` of the command's raw function."""
        assert self.doc is not None
        docs = wrap(self.doc.first, f"    /// ioctl(`{self.ioctl_name}`): ", "    /// ", 100)
        call = f"{self.rust_raw_fn}({self.classic_passing.raw_argument}) = {self.ioctl_name}"
        return f"classic_ioctl! {{\n{docs}\n    {call}\n}}"

    @cached_property
    def rust_classic_docs(self) -> str:
        """The safe method's doc comment."""
        assert self.doc is not None
        lines = [rust_docs(self.doc.headed(f"ioctl(`{self.ioctl_name}`)"), "    ")]
        call = self.classic_passing
        if not call.parameterless:
            lines += ["    ///", wrap(call.arg_doc, "    /// - `arg`: ", "    ///   ", 100)]
        if call.returns_doc:
            returns = f"Returns {call.returns_doc[0].lower()}{call.returns_doc[1:]}"
            lines += ["    ///", wrap(returns, "    /// ", width=100)]
        if self.rust_unsafe:
            safety = "Every pointer in the argument is valid for what the kernel does through it."
            lines += ["    ///", "    /// # Safety", "    ///", wrap(safety, "    /// ", width=100)]
        return "\n".join(lines)

    @cached_property
    def rust_classic_body(self) -> str:
        return self.classic_passing.rust_body("fd")

    # --- Python ---------------------------------------------------------------------------------

    @cached_property
    def py_classic_number(self) -> str:
        """The command's entry of `ioctl_numbers()`: its number on `arch`."""
        return self.numbers_on.python_lines(f'"{self.ioctl_name}": ', ",", _BODY, _hex, "arch")

    @cached_property
    def py_classic_method(self) -> str:
        """The safe method, whole."""
        call = self.classic_passing
        request, error = self.local("request"), self.local("error")
        before, argument, after = call.py_call(request)
        params = ["self", *call.py_params]
        head = f"    def {self.python_method}({', '.join(params)}) -> {call.py_result}:"
        if len(head) > 100:
            head = "\n".join([f"    def {self.python_method}(", *(f"{_BODY}{p}," for p in params),
                              f"    ) -> {call.py_result}:"])  # fmt: skip
        assert self.doc is not None
        args = () if call.parameterless else ((params[1].split(":")[0], call.arg_doc),)
        docs = py_docstring(self.doc.blocks, _BODY, f'"""ioctl({self.ioctl_name}): ', args,
                            call.py_returns_doc)  # fmt: skip
        # The ioctl's result is the method's when the argument does not carry it back.
        result = "return " if not after and call.py_result != "None" else ""
        call_ = call.py_wrap(f"_ioctl(self._fd, {self.ioctl_name}, {argument}, True)")
        ioctl = fit(result, call_, "", _BODY + "    ")
        lines = [
            head,
            docs,
            *([before.rstrip("\n")] if before else []),
            f"{_BODY}try:",
            ioctl,
            f"{_BODY}except (OSError, ValueError) as {error}:",
            f'{_BODY}    raise self._failure({error}, "{self.ioctl_name}") from None{after}',
        ]
        return "\n".join(lines)

    @cached_property
    def py_classic_constants(self) -> tuple[str, ...]:
        return self.classic_passing.py_module_constants

    @cached_property
    def py_classic_runtime_names(self) -> frozenset[str]:
        return frozenset({"_ioctl"}) | self.classic_passing.py_runtime_names
