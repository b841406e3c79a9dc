"""text._wrapped: the wrapping of prose is line for line what textwrap makes of it, for any text:
words between single spaces (wrapped by luogen itself), runs of spaces, tabs, newlines, words
longer than a line, indents wider than the width, and Unicode spaces that textwrap does not
break at."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from luogen.text import _wrapped

# Words of letters, punctuation and the no-break space the list-marker rule puts in; separators
# of single spaces mostly, sometimes what textwrap treats otherwise.
_WORD = st.text(alphabet="ab-.(\u00a0\u2003", min_size=1, max_size=14)
_SEPARATOR = st.sampled_from([" "] * 12 + ["  ", "\t", "\n", " \n ", "\r", "\x0c"])
_INDENT = st.sampled_from(["", " * ", " *   ", "/* ", "\t", "/// ", " " * 30, "x" * 90])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """Half of them prose (words between single spaces), half anything."""
    words = draw(st.lists(_WORD, min_size=0, max_size=30))
    if draw(st.booleans()):
        return " ".join(words)
    text = "".join(word + draw(_SEPARATOR) for word in words)
    edges = draw(st.sampled_from(["strip", "keep", "lead"]))
    return text.strip(" ") if edges == "strip" else (" " + text if edges == "lead" else text)


def _reference(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
        tabsize=8,
    )


@settings(max_examples=3000, deadline=None)
@given(_texts(), st.integers(min_value=1, max_value=100), _INDENT, _INDENT)
def test_wrapping_is_what_textwrap_makes_of_any_text(
    text: str, width: int, first: str, rest: str
) -> None:
    assert _wrapped(text, width, first, rest) == _reference(text, width, first, rest)


def test_the_cases_that_decide_a_line_break() -> None:
    """Each written out: the word that just fits, the one a space too long, a word longer than
    the line after a short one and on its own, and an indent as wide as the line."""
    cases = [
        ("aaaa bbbb", 9, "", ""),
        ("aaaa bbbb", 8, "", ""),
        ("aa bbbbbbbbbbbb cc", 6, "", ""),
        ("bbbbbbbbbbbb cc dd", 6, "> ", "  "),
        ("aa bb cc", 4, "", "    "),
        ("aa bb cc", 4, "xxxxx", "y"),
    ]
    for text, width, first, rest in cases:
        assert _wrapped(text, width, first, rest) == _reference(text, width, first, rest), text
    assert _wrapped("aa bbbbbbbbbbbb cc", 6, "", "") == ["aa", "bbbbbbbbbbbb", "cc"]
