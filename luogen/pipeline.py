"""The library's way from spec files to outputs: what the CLI, the checks (`verify/`, `abi/`) and
the tests all call, so that there is one load path and one way to name and write outputs.

    model = pipeline.load("spec/x.yaml")          # read, schema-check, build: SpecError if bad
    texts = pipeline.outputs(model, ["uapi"], root)  # path -> text, banners included
    pipeline.write(model, ["uapi", "rust"], root)    # atomically, only what changed
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LuogenError

if TYPE_CHECKING:
    from .model import Model
    from .targets import Target


def load(path: str | Path) -> Model:
    """The model of one spec file; SpecError (located) when it is not a valid spec, with every
    schema error and every error of the rules in the parts that passed the schema."""
    from . import spec
    from .model import build

    loaded = spec.read_unchecked(path)
    return build(loaded, spec.schema_problems(loaded))


def load_bytes(name: str, raw: bytes) -> Model:
    """The model of a spec's bytes, errors located in `name` (e.g. `REV:path` read from git)."""
    from . import spec
    from .model import build

    loaded = spec.parse(name, raw)
    return build(loaded, spec.schema_problems(loaded))


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def each(
    paths: Sequence[str | Path], report: Callable[[str], None] = _to_stderr
) -> Iterator[Model | None]:
    """Every spec's model in turn (None for a spec that fails), once its warnings or errors are
    reported: a caller that lets each go holds one model at a time."""
    for path in paths:
        try:
            model = load(path)
        except LuogenError as exc:
            report(str(exc))
            yield None
            continue
        for warning in model.warnings:
            report(str(warning))
        yield model
        del model  # not held while the next spec loads: the caller decides how long one lives


def load_all(
    paths: Sequence[str | Path],
    report: Callable[[str], None] = _to_stderr,
    loaded: Callable[[Model], None] | None = None,
) -> list[Model] | None:
    """Every spec's model, reporting every spec's warnings and errors (all of them, not just the
    first failure's), and calling `loaded` with each model once its warnings are reported; None
    when any spec fails."""
    models, failed = [], False
    for model in each(paths, report):
        if model is None:
            failed = True
            continue
        if loaded is not None:
            loaded(model)
        models.append(model)
    return None if failed else models


def source_name(path: str) -> str:
    """The spec path as outputs name it: relative to the working folder when inside it."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def outputs(model: Model, targets: Sequence[str | Target], root: Path = Path()) -> dict[Path, str]:
    """Every output of `targets` for `model` below `root`, with its banner: path -> text."""
    from .render import outputs_of
    from .writer import with_banner

    source = source_name(model.path)
    result = {}
    for output in outputs_of(targets, model):
        rel = output.path_for(model)
        text = with_banner(rel, output.content(model), output.banner_source(source))
        result[root / rel] = text
    return result


def write(model: Model, targets: Sequence[str | Target], root: Path) -> list[Path]:
    """Write the outputs of `targets` below `root`, atomically and only those that changed;
    returns the paths written."""
    from .writer import changes, commit

    pending = changes(outputs(model, targets, root))
    commit(pending)
    return [change.path for change in pending]
