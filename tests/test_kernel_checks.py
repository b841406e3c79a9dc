"""Every generated header and kernel source passes the kernel's own checkers: kernel-doc,
checkpatch.pl --strict and headers_check.pl. Negative controls prove each checker really runs.

The one finding allowed is the one a spec asks for: an enum or flag set without a brief is
`enum name` alone, which kernel-doc accepts and its -v mode reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from kerneltools import checkpatch, headers_check, kernel_doc

from luogen import pipeline

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "generated", *sorted(ROOT.glob("tests/golden/*/expected"))]
HEADERS = sorted(h for f in FOLDERS for h in f.glob("*/include/uapi/**/*.h"))
KERNEL = sorted(
    p for f in FOLDERS for p in f.glob("*/**/*.[ch]") if "include/uapi" not in p.as_posix()
)
IDS = lambda p: p.relative_to(ROOT).as_posix()  # noqa: E731


def test_there_is_something_to_check() -> None:
    assert len(HEADERS) >= 4 and len(KERNEL) >= 8


def spec_of(path: Path) -> Path:
    """The spec an output was generated from: spec/NAME.yaml, spec/imported/NAME.yaml or
    tests/golden/CASE/spec.yaml."""
    parts = path.relative_to(ROOT).parts
    if parts[0] == "generated":
        own = ROOT / "spec" / f"{parts[1]}.yaml"
        return own if own.is_file() else ROOT / "spec" / "imported" / f"{parts[1]}.yaml"
    return ROOT.joinpath(*parts[:3], "spec.yaml")


def briefless_warnings(path: Path) -> list[str]:
    """What kernel-doc -v says of a header's enums and flag sets that have no brief."""
    text = path.read_text().splitlines()
    model = pipeline.load(spec_of(path))
    found = sorted(
        (text.index(f" * enum {values.name}") + 1, f" * enum {values.name}")
        for values in model.enums + model.flag_sets
        if not values.doc.brief
    )
    lines = []
    for number, line in found:
        lines += [f"{path}:{number}: warning: missing initial short description on line:", line]
    count = len(found)
    plural = "s" if count > 1 else ""
    if not found:
        return []
    return [*lines, f"{count} warning{plural}", f"{count} warning{plural} as Errors"]


@pytest.mark.parametrize("path", HEADERS + KERNEL, ids=IDS)
def test_kernel_doc_is_clean(path: Path) -> None:
    expected = briefless_warnings(path) if path in HEADERS else []
    assert kernel_doc(path) == expected


def test_an_enum_without_a_brief_is_only_what_kernel_doc_v_reports() -> None:
    header = ROOT / "tests/golden/docs/expected/prose/include/uapi/linux/prose.h"
    assert len(briefless_warnings(header)) == 2 * 2 + 2


@pytest.mark.parametrize("path", HEADERS + KERNEL, ids=IDS)
def test_checkpatch_strict_is_clean(path: Path) -> None:
    counts, report = checkpatch(path)
    # An imported header keeps the real header's typedefs (drm/drm.h: drm_magic_t), which
    # checkpatch warns a new header of.
    kept = report.count("WARNING:NEW_TYPEDEFS:") if spec_of(path).parent.name == "imported" else 0
    assert counts == (0, kept, 0), report


@pytest.mark.parametrize("path", HEADERS, ids=IDS)
def test_headers_check_is_clean(path: Path) -> None:
    assert headers_check(path) == ""


def _copy_with(path: Path, tmp_path: Path, old: str, new: str) -> Path:
    # Keep the include/uapi part of the path: checkpatch judges uapi headers by it.
    copy = tmp_path / path.relative_to(ROOT / "generated")
    copy.parent.mkdir(parents=True)
    text = path.read_text()
    assert old in text
    copy.write_text(text.replace(old, new, 1))
    return copy


LUO = ROOT / "generated/liveupdate/include/uapi/linux/liveupdate.h"


def test_kernel_doc_sees_a_missing_member_description(tmp_path: Path) -> None:
    broken = _copy_with(LUO, tmp_path, " * @token: Input; A token", " * token: Input; A token")
    assert any("token" in line for line in kernel_doc(broken))


def test_checkpatch_sees_a_style_error(tmp_path: Path) -> None:
    broken = _copy_with(LUO, tmp_path, "\t__s32 fd;", "\t__s32 fd; // C99 comment   ")
    errors, warnings, _ = checkpatch(broken)[0]
    assert errors + warnings >= 1


def test_headers_check_sees_a_kernel_only_declaration(tmp_path: Path) -> None:
    broken = _copy_with(LUO, tmp_path, "#endif /* _UAPI", "extern int luogen_x;\n#endif /* _UAPI")
    assert "userspace cannot reference function or variable" in headers_check(broken)
