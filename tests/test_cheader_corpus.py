"""bench/corpus.py as a library: which headers the corpus is, how a header that counts on what a
program includes first is read, and what its figures count (each written out from the header)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from luogen.cheader import Session

ROOT = Path(__file__).resolve().parent.parent


def _corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus"] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


corpus = _corpus()


def test_the_corpus_is_every_header_of_the_uapi_tree() -> None:
    headers = corpus.corpus_headers("amd64")
    uapi = Path(Session("amd64").chain.uapi)
    on_disk = {p.relative_to(uapi).as_posix() for d in corpus.DIRS for p in (uapi / d).rglob("*.h")}
    assert set(headers) == on_disk
    assert {"linux/uinput.h", "drm/drm.h", "asm/ioctls.h", "sound/asound.h"} <= on_disk


def test_a_header_that_counts_on_size_t_is_read_after_stddef_h() -> None:
    # linux/fs.h: #define BLKBSZGET _IOR(0x12,112,size_t), and it includes no <stddef.h>.
    session = Session("amd64")
    alone = session.read("linux/fs.h")
    assert any(w.code == "unevaluated" and "BLKBSZGET" in w.message for w in alone.warnings)
    facts = corpus.read_one(session, "linux/fs.h")
    assert facts.prelude[:1] == ("stddef.h",)
    assert facts.command("BLKBSZGET").number == 0x80081270


def test_figures_of_linux_rtc_h() -> None:
    # linux/rtc.h: every command is _IO('p', n) or _IOR/_IOW('p', n, T); those of T unsigned
    # long (RTC_IRQP_*, RTC_EPOCH_*) and struct rtc_pll_info (six ints and a long) differ
    # between i386 and x86-64.
    text = (Path(Session("amd64").chain.uapi) / "linux/rtc.h").read_text()
    plain_io = len(re.findall(r"^#define\s+RTC_\w+\s+_IO\(", text, re.M))
    every = len(re.findall(r"^#define\s+RTC_\w+\s+_IO[RW]*\(", text, re.M))
    x86_64 = corpus.scan("amd64", jobs=1, headers=["linux/rtc.h"])
    i386 = corpus.scan("i386", jobs=1, headers=["linux/rtc.h"])
    figures = corpus.figures(x86_64.facts)
    assert figures["  _IO, no argument"] == plain_io
    assert figures["ioctl commands"] == every
    assert corpus.numbered_differently(x86_64, i386) == 6
    assert figures["headers defining ioctls"] == 1
