"""Build a spec's documentation page as the kernel builds its docs: Sphinx, with Linux 6.1's own
kernel-doc extension (Documentation/sphinx/kerneldoc.py, extracted with the other kernel tools
by tests/tools/setup-kernel-tools.sh) running the kernel's scripts/kernel-doc on the generated
header, Sphinx's warnings made errors (-W). Then read back what the HTML shows."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from kerneltools import tools_dir

from luogen import pipeline
from luogen.model import Model

CONF = """\
import sys

sys.path.insert(0, {sphinx!r})
project = {title!r}
extensions = ["kerneldoc"]
kerneldoc_srctree = {tree!r}
kerneldoc_bin = {kernel_doc!r}
html_theme = "alabaster"
"""


@dataclass
class Built:
    model: Model
    html: str
    stderr: str
    seconds: float


def build(model: Model, folder: Path) -> Built:
    """The page of `model` built in `folder`: the uapi header and the page rendered into a
    kernel-like tree, the page as the index of a Sphinx project whose kernel-doc source tree is
    that tree. Raises AssertionError with Sphinx's output when the build fails."""
    tree = folder / "tree"
    for path, text in pipeline.outputs(model, ["uapi", "docs"], tree).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    source = folder / "source"
    source.mkdir()
    page = tree / model.name / "Documentation" / "userspace-api" / f"{model.name}.rst"
    (source / "index.rst").write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    tools = tools_dir()
    (source / "conf.py").write_text(
        CONF.format(
            sphinx=str(tools / "Documentation" / "sphinx"),
            title=model.title,
            tree=str(tree / model.name),
            kernel_doc=str(tools / "scripts" / "kernel-doc"),
        ),
        encoding="utf-8",
    )
    out = folder / "html"
    paths = (str(source), str(out))
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-q", "-b", "html", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    assert result.returncode == 0, f"sphinx-build failed:\n{result.stdout}\n{result.stderr}"
    html = (out / "index.html").read_text(encoding="utf-8")
    return Built(model, html, result.stderr, seconds)


@dataclass
class Page(HTMLParser):
    """What a built page shows: element ids, the text of each <pre>, <li> and table row."""

    ids: set[str] = field(default_factory=set)
    pres: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    lists: int = 0  # <ul> and <ol> elements
    _open: dict[str, list[list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
        if tag in ("ul", "ol"):
            self.lists += 1
        if tag in ("pre", "li", "tr"):
            self._open.setdefault(tag, []).append([])

    def handle_endtag(self, tag: str) -> None:
        if self._open.get(tag):
            text = "".join(self._open[tag].pop())
            {"pre": self.pres, "li": self.items, "tr": self.rows}[tag].append(text)

    def handle_data(self, data: str) -> None:
        for stack in self._open.values():
            for parts in stack:
                parts.append(data)


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page
