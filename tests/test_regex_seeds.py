"""regex_seeds: the compiled patterns the wheel ships are exactly what `re` compiles, a run that
has them compiles none of the patterns its imports need, and a file another interpreter wrote,
or a damaged one, is ignored."""

from __future__ import annotations

import _sre
import marshal
import re
import subprocess
import sys
from pathlib import Path

from luogen import regex_seeds
from luogen.regex_seeds import seed, seeds_name, write_seeds
from luogen.schema_check import patterns
from luogen.spec import schema

ROOT = Path(__file__).resolve().parent.parent

# Counts what `re` compiles while RUN_MODULES are imported, after seed(argv[1]) (argv[1] "":
# no seeding).
_COUNT = """
import re, sys
from re import _compiler
from luogen.regex_seeds import RUN_MODULES, seed
seeded = seed(sys.argv[1]) if sys.argv[1] else 0
compiled = []
original = _compiler.compile
def counting(pattern, flags=0):
    compiled.append(pattern)
    return original(pattern, flags)
_compiler.compile = counting
for name in RUN_MODULES:
    __import__(name)
print(seeded, len(compiled))
"""


def _run(seeds: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", _COUNT, seeds], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seeded, compiled = out.stdout.split()
    return int(seeded), int(compiled)


def test_a_run_with_the_seeds_compiles_none_of_the_patterns_its_imports_need(
    tmp_path: Path,
) -> None:
    path = write_seeds(tmp_path, path=[str(ROOT)])
    assert path.name == seeds_name() == f"regex-seeds.{sys.implementation.cache_tag}.marshal"
    seeded, compiled = _run(str(path))
    unseeded, compiled_unseeded = _run("")
    assert seeded > 30 and compiled == 0
    # what the seeds spare a run: the imports' patterns, and the schema's (compiled as a spec's
    # strings meet them)
    assert unseeded == 0 and compiled_unseeded + len(set(patterns(schema()))) >= seeded


def test_the_seeds_hold_every_pattern_of_the_schema(tmp_path: Path) -> None:
    path = write_seeds(tmp_path, path=[str(ROOT)])
    _, entries = marshal.loads(path.read_bytes())
    seeded = {pattern for pattern, flags, _ in entries if flags == 0}
    wanted = set(patterns(schema()))
    assert len(wanted) > 10 and wanted <= seeded, sorted(wanted - seeded)


def test_every_seed_is_the_program_re_compiles(tmp_path: Path) -> None:
    """A Pattern compares equal only with the same text, flags and compiled code."""
    path = write_seeds(tmp_path, path=[str(ROOT)])
    (version, magic), entries = marshal.loads(path.read_bytes())
    assert (version, magic) == (sys.version, _sre.MAGIC)
    for pattern, flags, program in entries:
        seeded = _sre.compile(pattern, *program)
        assert seeded == re._compiler.compile(pattern, flags), pattern  # type: ignore[attr-defined]
        assert seeded.flags == re.compile(pattern, flags).flags
    # jinja2's identifier class (641 words of code here) and the standard library's bytes
    # patterns among them
    assert any(len(program[1]) > 500 for _, _, program in entries)
    assert any(isinstance(pattern, bytes) for pattern, _, _ in entries)


def test_seeds_of_another_interpreter_or_a_damaged_file_are_ignored(tmp_path: Path) -> None:
    other = tmp_path / "other.marshal"
    pattern = "luogen-regex-seeds-test-(a|b)+"
    program = regex_seeds.program(pattern, 0)
    other.write_bytes(marshal.dumps((("2.7.18", _sre.MAGIC), [(pattern, 0, program)])))
    assert seed(str(other)) == 0
    assert (str, pattern, 0) not in re._cache  # type: ignore[attr-defined]
    damaged = tmp_path / "damaged.marshal"
    damaged.write_bytes(b"\x00not marshal")
    assert seed(str(damaged)) == 0
    assert seed(str(tmp_path / "missing.marshal")) == 0
    good = tmp_path / "good.marshal"
    good.write_bytes(marshal.dumps(((sys.version, _sre.MAGIC), [(pattern, 0, program)])))
    assert seed(str(good)) == 1
    assert re._cache[(str, pattern, 0)] == re._compiler.compile(pattern, 0)  # type: ignore[attr-defined]
    del re._cache[(str, pattern, 0)]  # type: ignore[attr-defined]


def test_a_source_checkout_has_no_seeds_and_runs_without() -> None:
    """The file exists only in a built wheel; .gitignore keeps a stray one out of commits."""
    assert not (ROOT / "luogen" / seeds_name()).exists()
    assert "/luogen/regex-seeds.*.marshal" in (ROOT / ".gitignore").read_text().splitlines()
