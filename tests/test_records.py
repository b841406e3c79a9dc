"""luogen.records.dataclass behaves as the standard library's dataclass for what luogen uses: the
same class is built by both and every observable answer compared."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from luogen import records

ROOT = Path(__file__).resolve().parent.parent


def _pair(body: str) -> tuple[Any, Any]:
    """The classes `body` defines, once with each implementation."""
    built = []
    for module in (dataclasses, records):
        namespace: dict[str, Any] = {"dataclass": module.dataclass, "field": module.field}
        exec(f"from __future__ import annotations\n{body}", namespace)
        built.append(namespace)
    return built[0], built[1]


BODY = """
@dataclass(frozen=True)
class Base:
    name: str
    where: int = field(default=0, compare=False)

@dataclass(frozen=True)
class Point(Base):
    x: int = 1
    tags: tuple[str, ...] = ()
    seen: list[int] = field(default_factory=list, compare=False, repr=False)

@dataclass(frozen=True, order=True)
class Ordered:
    a: int
    b: str = "z"

@dataclass
class Mutable:
    items: list[int] = field(default_factory=list)

@dataclass(frozen=True)
class OwnHash:
    value: int
    def __hash__(self) -> int:
        return 7
"""


def _observe(ns: dict[str, Any]) -> list[object]:
    point, base = ns["Point"], ns["Base"]
    answers: list[object] = [
        repr(point("p", 3, 4, ("t",))),
        point("p", where=9) == point("p", where=1),  # where takes no part in equality
        point("p", x=2) == point("p", x=3),
        point("p") == base("p"),  # another class: never equal
        hash(point("p", 1)) == hash(point("p", 2)),
        point("p").seen is not point("p").seen,  # a new default each time
        sorted([ns["Ordered"](2), ns["Ordered"](1, "a"), ns["Ordered"](1)]),
        ns["Ordered"](1) < ns["Ordered"](1, "zz"),
        hash(ns["OwnHash"](1)),
        ns["Mutable"]() == ns["Mutable"](),
        ns["Mutable"].__hash__,
        point.x,  # a default stays readable on the class
        point.__match_args__,
    ]
    for call in (
        lambda: point(),
        lambda: point("p", 1, (), [], 5, 6),
        lambda: point("p", name="q"),
        lambda: point("p", nope=1),
    ):
        with pytest.raises(TypeError):
            call()
    frozen = point("p")
    with pytest.raises(AttributeError):
        frozen.x = 5
    with pytest.raises(AttributeError):
        del frozen.x
    mutable = ns["Mutable"]([1])
    mutable.items = [2]
    answers.append(repr(mutable))
    return answers


def test_answers_as_the_standard_library_does() -> None:
    standard, ours = _pair(BODY)
    assert _observe(ours) == [_answer_in(ours, a) for a in _observe(standard)]


def _answer_in(ours: dict[str, Any], answer: object) -> object:
    # Instances of the standard library's classes, in a sorted list, become ours to compare.
    if isinstance(answer, list) and answer and dataclasses.is_dataclass(answer[0]):
        return [ours[type(a).__name__](*dataclasses.astuple(a)) for a in answer]
    return answer


def test_replace_and_pickle() -> None:
    _, ours = _pair(BODY)
    point = ours["Point"]("p", 1, 2)
    moved = records.replace(point, x=5)
    assert (moved.name, moved.where, moved.x, point.x) == ("p", 1, 5, 2)
    globals()["Point"] = ours["Point"]  # where pickle looks the class up
    ours["Point"].__module__, ours["Point"].__qualname__ = __name__, "Point"
    try:
        assert pickle.loads(pickle.dumps(point)) == point
    finally:
        del globals()["Point"]


def test_the_model_imports_no_dataclasses() -> None:
    # The reason records exist: compiling dataclasses' methods was the largest part of a run.
    code = (
        "import sys, pathlib\n"
        "from luogen import pipeline\n"
        "from luogen.targets import TARGETS\n"
        "for spec in sys.argv[1:]:\n"
        "    model = pipeline.load(spec)\n"
        "    pipeline.outputs(model, model.targets or tuple(TARGETS), pathlib.Path('out'))\n"
        "print('dataclasses' in sys.modules)"
    )
    specs = [str(p) for p in sorted((ROOT / "tests" / "golden").glob("*/spec.yaml"))]
    result = subprocess.run([sys.executable, "-c", code, *specs], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
