"""The one jinja2 Environment, and what each target renders from a model.

Templates only read the model; the few filters here format text (wrapping, comment prefixes),
they compute nothing about the ABI.
"""

from __future__ import annotations

import textwrap
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .targets import TARGETS

if TYPE_CHECKING:
    from .model import Model

WIDTH = 80  # kernel style: prose wraps at 80 columns


def wrap(text: str, first: str, rest: str | None = None, width: int = WIDTH) -> str:
    """`text` wrapped to `width` columns, the first line after `first`, the others after `rest`."""
    if text and len(first) + len(text) <= width and " ".join(text.split()) == text:
        return first + text  # what textwrap makes of it, without its cost: one line
    rest = first if rest is None else rest
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
        tabsize=8,
    )
    return "\n".join(lines) if lines else first.rstrip()


def define(name: str, value: str, width: int = WIDTH) -> str:
    """A `#define`, its value on a continuation line when one line would pass `width`."""
    line = f"#define {name} {value}"
    if len(line) <= width:
        return line
    return f"#define {name} \\\n\t{value}"


def c_call(args: list[str], head: str, tail: str = "", indent: str = "") -> str:
    """`head` + `args` + `tail` in kernel style: the arguments fill lines of at most `WIDTH`
    columns, continuation lines aligned with the open parenthesis (tabs, then spaces)."""
    column = len((indent + head).expandtabs(8))
    continuation = "\t" * (column // 8) + " " * (column % 8)
    lines, line = [], indent + head
    for i, arg in enumerate(args):
        piece = arg + ("," if i < len(args) - 1 else tail)
        fresh = line in (indent + head, continuation)
        if not fresh and len(f"{line} {piece}".expandtabs(8)) > WIDTH:
            lines.append(line)
            line = continuation + piece
        else:
            line += piece if fresh else " " + piece
    lines.append(line)
    return "\n".join(lines)


def underline(title: str, char: str, overline: bool = False) -> str:
    """An reStructuredText title with its adornment."""
    rule = char * len(title)
    return f"{rule}\n{title}\n{rule}" if overline else f"{title}\n{rule}"


def _bytecode_cache(jinja2: Any) -> Any:
    """Compiled templates kept between runs (compiling them costs more than rendering)."""
    from .cache import folder

    path = folder() / f"templates-{jinja2.__version__}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(path))


@cache
def environment() -> Any:
    import jinja2  # costly to import; only generation needs it

    root = resources.files("luogen.templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        bytecode_cache=_bytecode_cache(jinja2),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["wrap"] = wrap
    env.filters["define"] = define
    env.filters["c_call"] = c_call
    env.filters["underline"] = underline
    return env


def render(model: Model, targets: tuple[str, ...]) -> dict[str, str]:
    """Every output of `targets` for `model`: path below the output folder -> text."""
    env = environment()
    outputs: dict[str, str] = {}
    for target in targets:
        for output in TARGETS[target]:
            text = env.get_template(output.template).render(model=model)
            outputs[output.path_for(model)] = text
    return outputs
