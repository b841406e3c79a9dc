"""How clang is run for one architecture: its target, its include directories, what it cannot do.

The kernel's uapi headers of each architecture are Debian's cross packages (/usr/<triplet>/include,
which `luogen.verify.clang` also reads). The C library's headers are used where they are installed
for the architecture (the host's glibc for amd64, libc6-dev-i386-cross for i386): some uapi headers
include <sys/time.h> or <sys/socket.h> and cannot be read without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..model.arch import ARCH_BY_NAME, Arch
from ..records import dataclass
from ..verify.clang import STAND_INS, VerifyUnavailable, cindex, package
from . import freestanding

BASE_ARGS = ("-x", "c", "-std=gnu11", "-nostdinc", "-ferror-limit=0")

# Where clang parses another architecture in its place (STAND_INS), the headers still test the
# real one's identifying macros (linux/auto_fs.h: `#if defined(__alpha__)`) and plain char keeps
# the real one's sign: the stand-in's macros are removed and the real architecture's defined, as
# its own GCC predefines them (alpha-linux-gnu-gcc -dM -E).
STAND_IN_ARGS: dict[str, tuple[str, ...]] = {
    "alpha": ("-U__riscv", "-U__riscv_xlen", "-D__alpha__", "-D__alpha", "-fsigned-char"),
    "hppa": (
        "-U__powerpc__", "-U__powerpc", "-U__PPC__", "-U__PPC", "-U_ARCH_PPC",
        "-D__hppa__", "-D__hppa", "-fsigned-char",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Toolchain:
    arch: Arch
    target: str  # the clang target triple parsed for
    include_dirs: tuple[str, ...]  # in search order; the freestanding directory last
    uapi: str  # the architecture's installed uapi headers (one of include_dirs)
    has_libc: bool
    notes: tuple[str, ...]

    @property
    def args(self) -> list[str]:
        args = [*BASE_ARGS, f"--target={self.target}"]
        args += STAND_IN_ARGS.get(self.arch.name, ())
        for directory in self.include_dirs:
            args += ["-isystem", directory]
        return args

    def locate(self, header: str) -> Path | None:
        """The file `#include <header>` finds (the freestanding directory holds no real file)."""
        for directory in self.include_dirs:
            if directory != freestanding.DIRECTORY and (Path(directory) / header).is_file():
                return Path(directory) / header
        return None

    def relative(self, path: str) -> str:
        """`path` as an #include names it: relative to the first include directory holding it."""
        return _relative(self.include_dirs, path)


@cache
def _relative(include_dirs: tuple[str, ...], path: str) -> str:
    for directory in include_dirs:
        prefix = directory.rstrip("/") + "/"
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def _libc_dirs(arch: Arch, cross: Path) -> tuple[str, ...]:
    if (cross / "stdio.h").is_file():
        return ()  # the cross glibc shares the kernel headers' directory
    host = Path("/usr/include")
    if arch.name == "amd64" and (host / "stdio.h").is_file():
        return (str(host / arch.triplet), str(host))
    return ()


def toolchain(arch: Arch | str, extra_dirs: Sequence[str | Path] = ()) -> Toolchain:
    """How `arch` is read; `extra_dirs` (a kernel tree's include/uapi, say) are searched before
    the installed headers. Raises VerifyUnavailable when its uapi headers are not installed."""
    if isinstance(arch, str):
        arch = ARCH_BY_NAME[arch]
    cross = Path("/usr") / arch.triplet / "include"
    if not (cross / "asm" / "ioctl.h").is_file():
        raise VerifyUnavailable(
            f"luogen: no uapi headers for {arch.name} in {cross}; "
            f"install them with 'apt-get install {package(arch)}'"
        )
    libc = _libc_dirs(arch, cross)
    notes = []
    stand_in = STAND_INS.get(arch.name)
    if stand_in is not None:
        notes.append(f"{arch.name}: {stand_in.why}")
    if not libc and not (cross / "stdio.h").is_file():
        notes.append(
            f"{arch.name}: no C library headers are installed for it (Debian: "
            f"libc6-dev-{arch.name}-cross), so headers that include one are not read"
        )
    target = (stand_in.target if stand_in else None) or arch.clang_target
    dirs = (*(str(Path(d).resolve()) for d in extra_dirs), str(cross), *libc,
            freestanding.DIRECTORY)  # fmt: skip
    has_libc = bool(libc) or (cross / "stdio.h").is_file()
    return Toolchain(arch, target, dirs, str(cross), has_libc, tuple(notes))


def index() -> Any:
    """A libclang index (raises VerifyUnavailable when libclang does not load)."""
    return cindex().Index.create()


def parse(ci: Any, idx: Any, chain: Toolchain, path: str, source: str, detailed: bool) -> Any:
    options = ci.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES
    if detailed:
        options |= ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD
    unsaved = [(path, source), *freestanding.unsaved_files()]
    return idx.parse(path, args=chain.args, unsaved_files=unsaved, options=options)


def include_lines(headers: Sequence[str]) -> str:
    return "".join(f"#include <{h}>\n" for h in headers)
