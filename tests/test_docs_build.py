"""Each spec's documentation page is built, not only linted: Sphinx with the kernel's own
kernel-doc extension and warnings as errors (tests/docsbuild.py), and the HTML shows every struct
and enum of the header, each literal block as a <pre>, each list as a list, and the command table.
"""

from __future__ import annotations

import re
from pathlib import Path

import docsbuild
import pytest

from luogen import pipeline
from luogen.model import Model
from luogen.model.arch import ARCH_BY_NAME
from luogen.model.nodes import Doc
from luogen.prose import LIST, LITERAL, Block
from luogen.records import replace

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(ROOT.glob("spec/*.yaml")) + sorted(ROOT.glob("tests/golden/*/spec.yaml"))
IDS = lambda p: p.relative_to(ROOT).as_posix()  # noqa: E731
# Printed by Python's warnings module, not by Sphinx: 6.1's kerneldoc.py joins paths as strings.
DEPRECATION = re.compile(
    r"^\S+kerneldoc\.py:\d+: RemovedInSphinx\d+Warning: .*\n  doc = env\.srcdir .*\n", re.MULTILINE
)


def blocks_of(model: Model) -> list[Block]:
    """Every block the page shows: the overview's, and those of the header's kernel-doc."""
    docs = [model.overview, *(s.doc for s in model.structs), *(c.doc for c in model.commands)]
    for values in model.enums + model.flag_sets:
        docs += [values.doc, *(v.doc for v in values.values)]
    blocks = [block for doc in docs if doc is not None for block in doc.blocks]
    return blocks + [b for s in model.all_structs for m in s.members for b in m.doc_blocks]


def words(text: str) -> str:
    """Text as a page shows it, less markup: kernel-doc's @, & and %, Sphinx's curly quotes."""
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"", "@&%"))
    return " ".join(text.split())


@pytest.fixture(scope="module", params=SPECS, ids=IDS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> docsbuild.Built:
    model = pipeline.load(request.param)
    return docsbuild.build(model, tmp_path_factory.mktemp(model.name))


def test_there_is_every_construct_to_build() -> None:
    model = pipeline.load(ROOT / "tests/golden/docs/spec.yaml")
    kinds = [block.kind for block in blocks_of(model)]
    assert kinds.count(LITERAL) >= 3 and kinds.count(LIST) >= 5


def test_the_build_says_nothing_but_the_extensions_deprecation(built: docsbuild.Built) -> None:
    # kernel-doc's own warnings reach stderr too (the extension passes them on).
    assert DEPRECATION.sub("", built.stderr) == ""


def test_every_struct_and_enum_of_the_header_is_rendered(built: docsbuild.Built) -> None:
    page, model = docsbuild.read(built.html), built.model
    enums = model.enums + tuple(f for f in model.flag_sets if not f.wide)
    names = [s.name for s in model.all_structs] + [e.name for e in enums]
    assert [name for name in names if f"c.{name}" not in page.ids] == []


def test_a_wide_flag_set_is_a_section_listing_each_flag(built: docsbuild.Built) -> None:
    # A flag set with a bit past an int is macros under a DOC section: each flag is an item.
    items = [words(item) for item in docsbuild.read(built.html).items]
    for flag in (f for s in built.model.flag_sets if s.wide for f in s.values):
        assert any(i.startswith(f"{flag.name}: {words(flag.doc.first)}") for i in items), flag


def test_the_command_table_has_a_row_per_command(built: docsbuild.Built) -> None:
    rows = docsbuild.read(built.html).rows
    header = ["ioctl", "number", "argument", "issued", "on", "size", "minimum", "size"]
    assert rows[0].split() == header
    for command in built.model.commands:
        row = next(r for r in rows if r.split()[0] == command.ioctl_name)
        if command.struct is not None:  # extensible: its own struct, any size from the minimum
            assert f"struct {command.struct.name}" in row
            assert str(command.struct.size) in row.split()
            assert str(command.struct.min_size) in row.split()
        else:  # classic: the definition as the header has it, the size the number encodes
            assert command.c_io in row
            # _IOC_SIZE on x86-64: 14 bits from bit 16 (include/uapi/asm-generic/ioctl.h)
            encoded = command.number_on(ARCH_BY_NAME["amd64"]) >> 16 & 0x3FFF
            assert (str(encoded) if encoded else "none") in row.replace(";", " ").split()


def test_literal_blocks_are_preformatted_line_for_line(built: docsbuild.Built) -> None:
    pres = docsbuild.read(built.html).pres
    for block in blocks_of(built.model):
        if block.kind == LITERAL:
            assert "\n".join(block.dedented) + "\n" in pres


def test_lists_are_lists(built: docsbuild.Built) -> None:
    items = [words(item) for item in docsbuild.read(built.html).items]
    for block in blocks_of(built.model):
        if block.kind == LIST:
            for line in block.lines:
                first = re.match(r"^(?:[-*+]|\d+[.)]|#[.)])\s+(.*)", line)
                if first:
                    assert any(item.startswith(words(first[1])) for item in items), line


def test_a_sphinx_warning_fails_the_build(tmp_path: Path) -> None:
    model = pipeline.load(ROOT / "tests/golden/defaults/spec.yaml")
    broken = replace(model, overview=Doc("An :unknown-role:`x` here."))
    with pytest.raises(AssertionError, match="Unknown interpreted text role"):
        docsbuild.build(broken, tmp_path)


def test_a_build_takes_seconds(built: docsbuild.Built) -> None:
    assert built.seconds < 60
