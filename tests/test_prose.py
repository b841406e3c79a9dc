"""The structure of the spec's prose (luogen/prose.py) and how each output lays it out: prose
wrapped, literal blocks and lists kept line for line, valid in every comment syntax."""

from __future__ import annotations

import re

import pytest

from luogen.model.nodes import Doc
from luogen.prose import LIST, LITERAL, PROSE, Block, parse, problem
from luogen.text import kdoc, kdoc_brief, kdoc_member, py_docstring, rust_docs, wrap

ALIGNMENT = """\
Some prose that goes on
over two lines. Values must satisfy::

  start % align == 0

  (start + length) % align == 0

After the block.
"""

LISTED = """\
The kernel returns:
- one item,
  continued
- another

  with a second paragraph

* a second list
"""


def kinds(text: str) -> list[str]:
    return [block.kind for block in parse(text)]


def test_a_literal_block_keeps_its_lines_indentation_and_blank_lines() -> None:
    blocks = parse(ALIGNMENT)
    assert [b.kind for b in blocks] == [PROSE, LITERAL, PROSE]
    assert blocks[0].text == "Some prose that goes on over two lines. Values must satisfy::"
    assert blocks[1].lines == ("  start % align == 0", "", "  (start + length) % align == 0")
    assert blocks[1].dedented[0] == "start % align == 0"


def test_a_list_keeps_its_line_breaks_and_its_lead_in_is_a_paragraph() -> None:
    blocks = parse(LISTED)
    assert [b.kind for b in blocks] == [PROSE, LIST, LIST]
    assert blocks[0].text == "The kernel returns:"
    assert blocks[1].lines == (
        "- one item,",
        "  continued",
        "- another",
        "",
        "  with a second paragraph",
    )
    assert blocks[2].text == "* a second list"


def test_a_list_item_continued_unindented_is_indented_under_its_text() -> None:
    assert parse("- one\ntwo\n10. three\nfour")[0].lines == (
        "- one",
        "  two",
        "10. three",
        "    four",
    )


@pytest.mark.parametrize("item", ["- a", "* a", "+ a", "1. a", "12) a", "#. a"])
def test_list_markers(item: str) -> None:
    assert kinds(f"{item}\n{item}") == [LIST]


def test_prose_collapses_whitespace_as_before() -> None:
    assert kinds("Line one.\n  Line two.\n\nSecond   paragraph.   ") == [PROSE, PROSE]
    assert Doc("Line one.\nLine two.\n\n\n  \nSecond   paragraph.").paragraphs == (
        "Line one. Line two.",
        "Second paragraph.",
    )
    assert kinds("1.5 is a number, not an item.") == [PROSE]
    assert kinds("-1 is a number, not an item.") == [PROSE]


def test_an_indented_paragraph_is_verbatim_and_tabs_become_spaces() -> None:
    blocks = parse("Prose.\n\n\tquoted\n\t  deeper")
    assert [b.kind for b in blocks] == [PROSE, LITERAL]
    assert blocks[1].lines == ("        quoted", "          deeper")


def test_a_doc_indented_as_a_whole_is_dedented() -> None:
    assert parse("    Just prose.\n    More.") == (Block(PROSE, "Just prose. More."),)


def test_brief_body_and_headed() -> None:
    doc = Doc(ALIGNMENT)
    assert doc.brief.startswith("Some prose") and len(doc.body) == 2
    listed = Doc("- a\n- b")
    assert listed.brief == "" and listed.body == listed.blocks
    assert listed.headed("enum x")[0] == Block(PROSE, "enum x.")
    assert Doc("Brief.").headed("enum x") == (Block(PROSE, "enum x: Brief."),)


def test_a_double_colon_without_a_literal_block_is_a_problem() -> None:
    assert "paragraph 1 ends in '::'" in problem(parse("Satisfies::\n\nNot indented."))
    assert "paragraph 2" in problem(parse("One.\n\nTwo::"))
    assert problem(parse(ALIGNMENT)) == ""


# --- how each output lays the blocks out ----------------------------------------------------


def test_kdoc_free_text_keeps_literal_blocks_under_the_star() -> None:
    text = kdoc(parse(ALIGNMENT))
    assert text.splitlines() == [
        " * Some prose that goes on over two lines. Values must satisfy::",
        " *",
        " *   start % align == 0",
        " *",
        " *   (start + length) % align == 0",
        " *",
        " * After the block.",
    ]


def test_kdoc_brief_may_be_absent() -> None:
    assert kdoc_brief("", "enum x") == " * enum x"
    assert kdoc_brief("Brief.", "enum x") == " * enum x - Brief."


def test_a_one_paragraph_member_continues_after_a_tab_as_before() -> None:
    text = kdoc_member("x", [Block(PROSE, "word " * 30)])
    assert text.splitlines()[1].startswith(" *\tword")


def test_a_member_of_several_blocks_continues_indented_by_spaces() -> None:
    text = kdoc_member("x", parse("First part.\n\n- a\n- b\n\nLast part."))
    assert text.splitlines() == [
        " * @x: First part.",
        " *",
        " *   - a",
        " *   - b",
        " *",
        " *   Last part.",
    ]
    starts_with_list = kdoc_member("x", parse("- a\n- b"))
    assert starts_with_list.splitlines() == [" * @x:", " *   - a", " *   - b"]


def test_rust_fences_a_literal_block_as_text_and_reads_the_double_colon() -> None:
    text = rust_docs(parse(ALIGNMENT), "    ")
    assert text.splitlines() == [
        "    /// Some prose that goes on over two lines. Values must satisfy:",
        "    ///",
        "    /// ```text",
        "    /// start % align == 0",
        "    ///",
        "    /// (start + length) % align == 0",
        "    /// ```",
        "    ///",
        "    /// After the block.",
    ]
    assert rust_docs(parse("Alone ::\n\n  x")).splitlines()[0] == "/// Alone"
    assert rust_docs(parse("::\n\n  x")).splitlines()[0] == "/// ```text"


def test_python_keeps_verbatim_lines_escaped() -> None:
    text = py_docstring(parse('Lead.\n\n- a \\\\ b\n- """'), "    ", '"""')
    assert text.splitlines() == [
        '    """Lead.',
        "",
        "    - a \\\\\\\\ b",
        '    - \\"\\"\\"',
        '    """',
    ]
    first_verbatim = py_docstring(parse("- a\n- b"), "    ", '"""')
    assert first_verbatim.splitlines()[:2] == ['    """', "    - a"]


def test_a_wrapped_line_never_starts_with_a_list_marker() -> None:
    # video/sisfb.h: "ioctls to relocate TV output (x=D[31:16], y=D[15:0], + 32)"; a line that
    # begins "+ 32)", "- the ..." or "1. Starting ..." reads back as a list item.
    for text, width in [
        ("ioctls to relocate TV output (x=D[31:16], y=D[15:0], + 32)", 58),
        ("snd_firewire_motu_register_dsp_parameter - the container for parameters", 44),
        ("the default value for this capability is 1. Starting kernel version 4.15", 44),
    ]:
        lines = wrap(text, " * ", width=width).split("\n")
        assert len(lines) == 2 and " ".join(line[3:] for line in lines) == text
        assert not re.match(r"^ \* ([-+*]|\d+[.)]) ", lines[1]), lines
