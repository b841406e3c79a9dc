"""luogen's own modules compiled into one file of the wheel, and imported from it.

A `luogen generate` imports about 85 of luogen's modules. Python's import finds each one on the
path, checks its cached bytecode against the source and reads it: 2.4 ms of a 73 ms run (medians
of 25 alternating runs of the installed wheel, with and without the bundle). The wheel's build
(luogen/_build.py) compiles every module into one marshal file; `luogen/__init__.py` puts a
finder for those modules first on `sys.meta_path`, which answers every luogen module from that
one read. A module's code is unmarshalled only when it is imported, and its filename is the
installed source's, so tracebacks, warnings and linecache show the real file and line. The
templates compiled to modules (render.COMPILED) are in it too, for render.py's loader: 1.4 ms of
rendering went to finding and reading them one file at a time.

The file is named after the interpreter's cache tag and holds its version, its bytecode magic,
the optimization level and luogen's version: any mismatch, a damaged or missing file leaves
Python's own import to find the modules, as it does in a source checkout or an editable install.
Editing an installed module's source has no effect while the bundle is there.
"""

from __future__ import annotations

import _imp
import marshal
import os
import sys

TYPE_CHECKING = False  # typing's import would cost the --check fast path more than this file
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from types import CodeType, ModuleType
    from typing import Any

FILE_PREFIX = "modules"


def bundle_name() -> str:
    """The bundle's file name for the running interpreter."""
    return f"{FILE_PREFIX}.{sys.implementation.cache_tag}.marshal"


def _signature(version: str) -> tuple[str, bytes, int, str]:
    """What the bundle's code depends on: the interpreter, its bytecode, -O, luogen's version."""
    # importlib.util, which exports the magic, costs a run more than this file saves; the frozen
    # module it takes it from is loaded at start-up.
    external: Any = sys.modules["_frozen_importlib_external"]
    return sys.version, bytes(external.MAGIC_NUMBER), sys.flags.optimize, version


# The file: the index's size in 8 bytes, little-endian; the index; each module's code, at its
# offset from the index's end.
_HEADER = 8


class Bundle:
    """A finder and loader of the modules in one bundle file (importlib's protocols).

    It reads only the index at first, and each module's code when that module is imported."""

    def __init__(
        self, path: str, fd: int, start: int, index: dict[str, tuple[str, bool, int, int]]
    ) -> None:
        self.path = path
        self.root = os.path.dirname(os.path.dirname(path))  # what holds the package folder
        self.fd = fd  # the bundle, open for the process's life (not inherited by children)
        self.start = start  # where the code begins
        self.index = index  # name -> (path below root, is a package, offset, size of its code)

    def find_spec(self, name: str, path: object = None, target: object = None) -> Any:
        entry = self.index.get(name)
        if entry is None:
            return None
        spec_class: Any = sys.modules["_frozen_importlib"].ModuleSpec  # loaded at start-up
        origin = self.origin(name)
        spec = spec_class(name, self, origin=origin, is_package=entry[1])
        spec.has_location = True  # so that the module's __file__ is its source
        if entry[1]:
            spec.submodule_search_locations = [os.path.dirname(origin)]
        return spec

    def create_module(self, spec: object) -> None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        exec(self.get_code(module.__name__), module.__dict__)

    def origin(self, name: str) -> str:
        """The installed source file of module `name`."""
        return os.path.join(self.root, self.index[name][0])

    def get_code(self, name: str) -> CodeType:
        _, _, offset, size = self.index[name]
        code: CodeType = marshal.loads(os.pread(self.fd, size, self.start + offset))
        fix_filename: Any = _imp._fix_co_filename  # type: ignore[attr-defined]  # no stub
        fix_filename(code, self.origin(name))  # as the path loader does
        return code

    def get_source(self, name: str) -> str:
        with open(self.origin(name), encoding="utf-8") as file:
            return file.read()

    def is_package(self, name: str) -> bool:
        return self.index[name][1]


INSTALLED: Bundle | None = None  # the bundle luogen's modules come from, if any


def install(version: str, folder: str) -> None:
    """Put the bundle of the package in `folder` first on sys.meta_path, if it matches."""
    global INSTALLED
    path = os.path.join(folder, bundle_name())
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # a source checkout, an editable install, or another interpreter's wheel
    try:
        size = int.from_bytes(os.pread(fd, _HEADER, 0), "little")
        if size > os.fstat(fd).st_size:
            raise ValueError(size)  # not a bundle of this format
        signature, index = marshal.loads(os.pread(fd, size, _HEADER))
        if signature != _signature(version):
            raise ValueError(signature)
    except (OSError, ValueError, EOFError, TypeError):
        os.close(fd)
        return  # another build's or a damaged bundle: import as usual
    INSTALLED = Bundle(path, fd, _HEADER + size, index)
    sys.meta_path.insert(0, INSTALLED)


def _sources(package: Path) -> Iterator[tuple[str, str, bool]]:
    """(module name, path below the package's parent, is a package) of each module in `package`."""
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent).as_posix()
        if "__pycache__" in path.parts:
            continue
        parts = relative[: -len(".py")].split("/")
        is_package = parts[-1] == "__init__"
        yield ".".join(parts[:-1] if is_package else parts), relative, is_package


def write_bundle(package: Path, version: str) -> Path:
    """Compile every module of `package` (a built luogen folder) into its bundle file."""
    index, codes, offset = {}, [], 0
    for name, relative, is_package in _sources(package):
        source = (package.parent / relative).read_bytes()
        code = compile(source, relative, "exec", dont_inherit=True, optimize=sys.flags.optimize)
        codes.append(marshal.dumps(code))
        index[name] = (relative, is_package, offset, len(codes[-1]))
        offset += len(codes[-1])
    head = marshal.dumps((_signature(version), index))
    target = package / bundle_name()
    target.write_bytes(b"".join([len(head).to_bytes(_HEADER, "little"), head, *codes]))
    return target
