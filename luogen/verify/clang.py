"""Check the model's layouts and ioctl numbers against libclang's reading of the generated headers,
parsed for each architecture against that architecture's real uapi headers (Debian's
linux-libc-dev-<arch>-cross: /usr/<triplet>/include).

One translation unit per architecture holds every header that can share it (no two define the same
name) and one probe enum that evaluates every ioctl macro and the alignment of the uapi integer
types; struct layouts are read from libclang's record layouts. Cost grows with the number of
architectures, not of headers or structs.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import LuogenError
from ..model import Model
from ..model.arch import ARCH_BY_NAME, Arch
from ..records import dataclass, field
from ..targets import uapi_include_dir
from . import gcc
from .clang_records import struct_problems

INSTALL_SCRIPT = "tests/tools/install-cross-headers.sh"
CLANG_ARGS = ("-x", "c", "-std=c90", "-Wall", "-Wextra", "-nostdinc")
# The uapi integer types whose alignment the model states per architecture (arch.py); 8-byte
# members are always __aligned_u64/__aligned_s64 (macros: checked through the struct layouts).
INTEGER_PROBES = (("__u8", 1), ("__u16", 2), ("__u32", 4), ("__s32", 4))


class VerifyUnavailable(LuogenError):
    """The verification cannot run here (headers or libclang missing): exit status 2."""


@dataclass(frozen=True)
class StandIn:
    """How clang reads an architecture it does not know, or knows with another ABI."""

    target: str | None  # the triple parsed instead of arch.clang_target (None: the real one)
    aligns_like: str | None  # the arch whose model layout predicts clang's alignments
    why: str


# What libclang 18 cannot do as the kernel's compilers do. Checked against the real target at run
# time only for the alignment facts (INTEGER_PROBES): any other disagreement is an error.
STAND_INS: dict[str, StandIn] = {
    "alpha": StandIn(
        "riscv64-linux-gnu", None,
        "clang has no Alpha target (LLVM removed it in 3.1); alpha's own headers are parsed as "
        "riscv64-linux-gnu, the same LP64 little-endian data model with natural alignment",
    ),
    "hppa": StandIn(
        "powerpc-linux-gnu", None,
        "clang has no PA-RISC target; hppa's own headers are parsed as powerpc-linux-gnu, the "
        "same ILP32 big-endian data model with 8-byte aligned 64-bit integers",
    ),
    "m68k": StandIn(
        None, "amd64",
        "clang 18's M68k target aligns __u32 to 4 where GCC's m68k ABI (the kernel's) aligns "
        "it to 2: sizes, offsets and ioctl numbers are checked against the model's m68k "
        "layout, struct alignment only against clang's own (amd64's) rules",
    ),
}  # fmt: skip


def package(arch: Arch) -> str:
    return f"linux-libc-dev-{arch.name}-cross"


def system_includes(arch: Arch) -> tuple[Path, ...] | None:
    """Where `arch`'s uapi headers are (linux/ and asm/), or None when they are not installed.
    amd64 may also use the host's own linux-libc-dev."""
    cross = Path("/usr") / arch.triplet / "include"
    if (cross / "linux" / "ioctl.h").is_file() and (cross / "asm" / "ioctl.h").is_file():
        return (cross,)
    if arch.name == "amd64":
        host = Path("/usr/include")
        multiarch = host / arch.triplet
        if (host / "linux" / "ioctl.h").is_file() and (multiarch / "asm" / "ioctl.h").is_file():
            return (multiarch, host)
    return None


def require_headers(arches: Sequence[Arch]) -> dict[str, tuple[Path, ...]]:
    found, missing = {}, []
    for arch in arches:
        where = system_includes(arch)
        if where is None:
            missing.append(arch)
        else:
            found[arch.name] = where
    if missing:
        names = " ".join(package(a) for a in missing)
        raise VerifyUnavailable(
            f"luogen: no uapi headers for {', '.join(a.name for a in missing)} "
            f"(/usr/<triplet>/include); install them with 'apt-get install {names}' "
            f"(or run {INSTALL_SCRIPT}), or limit the check with --arch"
        )
    return found


def cindex() -> Any:
    try:
        import clang.cindex as ci  # type: ignore[import-untyped]

        ci.Index.create()
    except Exception as exc:  # ImportError, or a libclang.so that does not load
        raise VerifyUnavailable(
            f"luogen: libclang is not usable ({exc}); install it with "
            "'pip install luogen[clang]' (or 'pip install libclang')"
        ) from exc
    return ci


# --- headers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    model: Model
    root: Path  # what -I names

    @property
    def path(self) -> Path:
        return self.root / self.model.header


@contextmanager
def headers_of(models: Sequence[Model], output: Path | None) -> Iterator[list[Header]]:
    """Each model's uapi header: in `output` (a `luogen generate -o` folder) when given, else
    written afresh into a temporary folder exactly as `luogen generate` writes it."""
    if output is not None:
        found = [Header(m, output / uapi_include_dir(m)) for m in models]
        for header in found:
            if not header.path.is_file():
                raise VerifyUnavailable(f"luogen: {header.path}: no such header")
        yield found
        return
    from ..pipeline import write

    with tempfile.TemporaryDirectory(prefix="luogen-layout-") as scratch:
        made = []
        for i, model in enumerate(models):
            root = Path(scratch) / str(i)  # two specs may have one header path
            write(model, ("uapi",), root)
            made.append(Header(model, root / uapi_include_dir(model)))
        yield made


def _names(model: Model) -> set[str]:
    """Every name a header defines (a second header defining one cannot share its unit)."""
    return {f"file:{model.header}", *model.c_names}


def batches(headers: Sequence[Header]) -> list[list[Header]]:
    """Headers packed into as few translation units as their names allow."""
    packed: list[tuple[list[Header], set[str]]] = []
    for header in headers:
        names = _names(header.model)
        for members, taken in packed:
            if not names & taken:
                members.append(header)
                taken |= names
                break
        else:
            packed.append(([header], set(names)))
    return [members for members, _ in packed]


# --- one translation unit ---------------------------------------------------------------------


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per arch
    structs: int = 0
    commands: int = 0


def _probe_source(batch: Sequence[Header]) -> tuple[str, list[str]]:
    """The unit: every header, then one enum evaluating each ioctl macro and each integer
    type's alignment. Returns the source and what each probe enumerator stands for."""
    lines = [f"#include <{h.model.header}>" for h in batch]
    probes: list[str] = []
    body = []
    for h in batch:
        for command in h.model.commands:
            probes.append(command.ioctl_name or command.cmd_name)
            body.append(f"\tluogen_probe_{len(probes) - 1} = ({probes[-1]}),")
    for c_type, _ in INTEGER_PROBES:
        probes.append(f"__alignof__({c_type})")
        body.append(f"\tluogen_probe_{len(probes) - 1} = {probes[-1]},")
    lines += ["", "enum luogen_probes {", *body, "\tluogen_probe_end", "};", ""]
    return "\n".join(lines), probes


def _read_unit(
    ci: Any, unit: Any, batch: Sequence[Header]
) -> tuple[dict[int, int], dict[str, Any], set[str]]:
    """The probe enum's values by index, every record the unit defines by name, and the names
    of those the batch's own headers define."""
    values: dict[int, int] = {}
    structs: dict[str, Any] = {}
    own: set[str] = set()
    mine = {str(h.path.resolve()) for h in batch}
    for cursor in unit.cursor.walk_preorder():
        if cursor.kind == ci.CursorKind.ENUM_DECL and cursor.spelling == "luogen_probes":
            for constant in cursor.get_children():
                name = constant.spelling
                if name.startswith("luogen_probe_") and name != "luogen_probe_end":
                    values[int(name.rsplit("_", 1)[1])] = constant.enum_value
        elif cursor.kind in (ci.CursorKind.STRUCT_DECL, ci.CursorKind.UNION_DECL) and (
            cursor.is_definition()
            and cursor.spelling
            and "(anonymous" not in cursor.spelling
            and "(unnamed" not in cursor.spelling
        ):
            structs.setdefault(cursor.spelling, cursor.type)
            where = cursor.location.file
            if where is not None and str(Path(where.name).resolve()) in mine:
                own.add(cursor.spelling)
    return values, structs, own


def _number_problems(arch: Arch, batch: Sequence[Header], probes: list[str],
                     values: dict[int, int]) -> list[str]:  # fmt: skip
    """Each ioctl number clang computed differently from the model."""
    problems = []
    commands = [command for header in batch for command in header.model.commands]
    for index, command in enumerate(commands):
        want, got = command.number_on(arch), values.get(index)
        if got != want:
            shown = "none" if got is None else f"{got:#010x}"
            problems.append(
                f"{arch.name}: {probes[index]}: ioctl number: expected {want:#010x}, actual {shown}"
            )
    return problems


def check_unit(
    ci: Any, index: Any, arch: Arch, includes: Sequence[Path], batch: Sequence[Header],
    scratch: Path,
) -> list[str]:  # fmt: skip
    stand_in = STAND_INS.get(arch.name, StandIn(None, None, ""))
    target = stand_in.target or arch.clang_target
    args = [*CLANG_ARGS, f"--target={target}", *(f"-I{h.root}" for h in batch)]
    for inc in includes:
        args += ["-isystem", str(inc)]
    # The compiler's own headers (stddef.h), which the C library's include (linux/input.h
    # includes <sys/time.h>): libclang from PyPI has none of its own.
    from ..cheader import freestanding  # (luogen.cheader reads this module's STAND_INS)

    args += ["-isystem", freestanding.DIRECTORY]
    source, probes = _probe_source(batch)
    path = scratch / f"luogen_layout_{arch.name}.c"
    unsaved = [(str(path), source), *freestanding.unsaved_files()]
    try:
        unit = index.parse(str(path), args=args, unsaved_files=unsaved)
    except ci.TranslationUnitLoadError as exc:
        return [f"{arch.name}: clang cannot parse for --target={target}: {exc}"]
    problems = [
        f"{arch.name}: diagnostic: {d}"
        for d in unit.diagnostics
        if d.severity >= ci.Diagnostic.Warning
    ]
    values, structs, own = _read_unit(ci, unit, batch)
    # The architecture's integer alignment, as the model states it (or as clang is known to
    # deviate from it on this target).
    align_arch = ARCH_BY_NAME[stand_in.aligns_like] if stand_in.aligns_like else arch
    first_integer = len(probes) - len(INTEGER_PROBES)
    for i, (c_type, size) in enumerate(INTEGER_PROBES):
        want, got = align_arch.align_of(size), values.get(first_integer + i)
        if got != want:
            problems.append(f"{arch.name}: __alignof__({c_type}): expected {want}, actual {got}")
    if stand_in.aligns_like and gcc.compiler(arch) is not None:
        return problems  # clang lays records out by another ABI here; its GCC checks them
    problems += _number_problems(arch, batch, probes, values)
    for header in batch:
        for struct in header.model.all_structs:
            kind = structs.get(struct.name)
            own.discard(struct.name)
            if kind is None:
                problems.append(f"{arch.name}: struct {struct.name}: not in {header.path}")
                continue
            problems += struct_problems(struct, kind, arch, align_arch, ci)
    for name in sorted(own):
        problems.append(f"{arch.name}: struct {name}: in the header, not in the model")
    return problems


def verify(models: Sequence[Model], arches: Sequence[Arch], output: Path | None = None) -> Outcome:
    """Every difference between the models and libclang's reading of their headers on `arches`.
    Raises VerifyUnavailable (exit 2) when an architecture's headers or libclang are missing."""
    includes = require_headers(arches)
    ci = cindex()
    outcome = Outcome()
    outcome.structs = sum(len(m.all_structs) for m in models)
    outcome.commands = sum(len(m.commands) for m in models)
    index = ci.Index.create()
    with headers_of(models, output) as headers, tempfile.TemporaryDirectory() as scratch:
        units = batches(headers)
        for arch in arches:
            start = time.perf_counter()
            for batch in units:
                outcome.problems += check_unit(
                    ci, index, arch, includes[arch.name], batch, Path(scratch)
                )
            stand_in = STAND_INS.get(arch.name)
            if stand_in is not None:
                outcome.notes.append(f"{arch.name}: {stand_in.why}")
                outcome.notes.append(_with_gcc(arch, units, outcome))
            outcome.seconds[arch.name] = time.perf_counter() - start
    return outcome


def _with_gcc(arch: Arch, units: Sequence[Sequence[Header]], outcome: Outcome) -> str:
    """Check `arch` with its own GCC when installed; say what was or was not checked."""
    tools = gcc.compiler(arch)
    if tools is None:
        return (
            f"{arch.name}: its own GCC is not installed, so what clang cannot check stays "
            f"unchecked; 'apt-get install {gcc.package(arch)}' adds the check"
        )
    for batch in units:
        outcome.problems += gcc.check(arch, tools, batch)
    return (
        f"{arch.name}: sizes, alignments, offsets and ioctl numbers also checked with "
        f"{Path(tools[0]).name}, the kernel's own compiler for it"
    )
