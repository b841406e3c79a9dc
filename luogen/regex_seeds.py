"""Compiled regular expressions shipped with the wheel, so that a run does not compile them.

PyYAML and jinja2 compile regular expressions as they are imported, two of them large Unicode
classes (jinja2's identifier pattern, PyYAML's non-printable class). Compiling them was about a
fifth of the instructions of a whole `luogen generate` of spec/liveupdate.yaml (valgrind: 497 M,
406 M with the seeds, from the installed wheel), paid again by every new process, since `re`
caches only within one. The wheel's build (luogen/_build.py) records every pattern compiled
while the modules of a run are imported (luogen's own are module constants, so their imports
compile them too) and every pattern of the schema, and stores each one's compiled program as
`re`'s own compiler makes it; a run then puts them into `re`'s cache before it imports those
modules, and `re.compile()` finds them there.

The programs are only valid for the interpreter that made them: the file is named after its
cache tag and holds its version and `_sre.MAGIC`, and any mismatch, missing file or error leaves
`re` to compile as usual. A pattern whose text changed (another PyYAML, say) is simply not
found: the seeds can make a run slower than they could, never different.
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a run reads the seeds with os alone: pathlib's import costs more than them
    from pathlib import Path

# What a `generate` run imports before it reads a spec (each module's patterns are recorded).
RUN_MODULES = (
    "yaml",
    "jinja2",
    "luogen.cli_parser",
    "luogen.pipeline",
    "luogen.spec",
    "luogen.model.build",
    "luogen.render",
    "luogen.writer",
)
FILE_PREFIX = "regex-seeds"


def seeds_name() -> str:
    """The seeds file's name for the running interpreter."""
    return f"{FILE_PREFIX}.{sys.implementation.cache_tag}.marshal"


def _signature() -> tuple[str, int]:
    import _sre  # type: ignore[import-not-found]  # re's engine: no stubs

    return sys.version, _sre.MAGIC


def seed(path: str | None = None) -> int:
    """Put the seeds of `path` (default: the package's own) into `re`'s cache; how many."""
    if path is None:
        path = os.path.join(os.path.dirname(__file__), seeds_name())
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return 0  # a source checkout, or another interpreter than the build's
    try:
        import _sre
        import re

        signature, entries = marshal.loads(data)
        if tuple(signature) != _signature():
            return 0
        cache: dict[Any, Any] = re._cache  # type: ignore[attr-defined]
        for pattern, flags, program in entries:
            key = (type(pattern), pattern, flags)
            if key not in cache:
                cache[key] = _sre.compile(pattern, *program)
        return len(entries)
    except Exception:  # a format this interpreter does not read: compile as usual
        return 0


def program(pattern: str | bytes, flags: int) -> tuple[Any, ...]:
    """The arguments after the pattern with which `re` builds the compiled `pattern`."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # int subclasses too
    indexgroup = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    state = parsed.state
    return flags | state.flags, code, state.groups - 1, state.groupdict, tuple(indexgroup)


_RECORDER = """
import marshal, re, sys
seen = {}
original = re._compile
def recording(pattern, flags):
    value = flags.value if isinstance(flags, re.RegexFlag) else flags
    if isinstance(pattern, (str, bytes)) and not value & re.DEBUG:
        seen.setdefault((pattern, value), None)
    return original(pattern, flags)
re._compile = recording
for name in sys.argv[1:]:
    __import__(name)
from luogen.schema_check import patterns
from luogen.spec import schema
for pattern in patterns(schema()):
    re.compile(pattern)  # as the schema check does, when a spec's strings meet them
sys.stdout.buffer.write(marshal.dumps(list(seen)))
"""


def recorded(modules: tuple[str, ...] = RUN_MODULES, path: list[str] | None = None) -> list[Any]:
    """The (pattern, flags) compiled while a fresh interpreter imports `modules`, in order."""
    import subprocess

    env_path = [p for p in (path or []) if p]
    code = f"import sys; sys.path[:0] = {env_path!r}\n{_RECORDER}"
    result = subprocess.run(
        [sys.executable, "-c", code, *modules], capture_output=True, check=True, timeout=120
    )
    return [tuple(entry) for entry in marshal.loads(result.stdout)]


def write_seeds(folder: Path, path: list[str] | None = None) -> Path:
    """Record the patterns of a run and write their programs to the seeds file in `folder`."""
    entries = [(p, f, program(p, f)) for p, f in recorded(path=path)]
    target = folder / seeds_name()
    target.write_bytes(marshal.dumps((_signature(), entries)))
    return target
