"""The command line: generate, --check, targets, schema, and how failures surface."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from luogen import render
from luogen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SPECS = ["spec/liveupdate.yaml", "spec/fwctl.yaml"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_committed_outputs_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--check", *SPECS]) == 0
    assert capsys.readouterr().out == ""


def test_check_reports_a_hand_edit_with_a_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "generated", tmp_path / "out")
    header = tmp_path / "out" / "fwctl" / "include" / "uapi" / "fwctl" / "fwctl.h"
    header.write_text(header.read_text().replace("__u32 in_len;", "__u32 in_len; /* edited */"))
    before = header.read_text()
    assert main(["generate", "--check", "-o", str(tmp_path / "out"), *SPECS]) == 1
    captured = capsys.readouterr()
    assert "-\t__u32 in_len; /* edited */" in captured.out
    assert "+\t__u32 in_len;" in captured.out
    assert re.search(r"\b1 of \d+ outputs are stale", captured.err)
    assert header.read_text() == before  # --check writes nothing


def test_generate_writes_then_leaves_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "-o", str(tmp_path), "-t", "uapi", "spec/fwctl.yaml"]) == 0
    assert (tmp_path / "fwctl/include/uapi/fwctl/fwctl.h").exists()
    assert not (tmp_path / "fwctl/Documentation").exists()
    capsys.readouterr()
    assert main(["generate", "-o", str(tmp_path), "-t", "uapi", "spec/fwctl.yaml"]) == 0
    assert "0 written, 1 unchanged" in capsys.readouterr().err


def test_failing_template_mid_run_leaves_outputs_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "generated", tmp_path / "out")
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            path.write_text("stale\n")
    real = render.environment()

    class Failing:
        """Renders the first template, then fails as a broken template would."""

        def __init__(self) -> None:
            self.count = 0

        def get_template(self, name: str):  # type: ignore[no-untyped-def]
            self.count += 1
            if self.count > 1:
                raise RuntimeError("template exploded")
            return real.get_template(name)

    failing = Failing()
    monkeypatch.setattr(render, "environment", lambda: failing)
    with pytest.raises(RuntimeError):
        main(["generate", "-o", str(tmp_path / "out"), *SPECS])
    assert {p.read_text() for p in (tmp_path / "out").rglob("*") if p.is_file()} == {"stale\n"}


def test_generate_holds_one_model_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run over many specs lets each model go once its outputs are staged (before, a run over
    5,000 commands held every model and everything rendering cached on it: 235 MB)."""
    import gc
    import weakref

    from luogen import pipeline

    real_each = pipeline.each
    seen: list[weakref.ref[object]] = []
    alive_at_each: list[int] = []

    def watched(paths, report=print):  # type: ignore[no-untyped-def]
        for model in real_each(paths, report):
            gc.collect()  # what is only garbage does not count: what is still referenced does
            alive_at_each.append(sum(ref() is not None for ref in seen))
            seen.append(weakref.ref(model))
            yield model
            del model

    monkeypatch.setattr(pipeline, "each", watched)
    specs = [*SPECS, "spec/imported/loop.yaml"]
    assert main(["generate", "-o", str(tmp_path), *specs]) == 0
    assert alive_at_each == [0, 0, 0]


def test_a_failing_spec_fails_the_run_after_every_spec_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.yaml"
        path.write_text("name: x\nnot-a-key: 1\n")
        broken.append(str(path))
    out = tmp_path / "out"
    assert main(["generate", "-o", str(out), "spec/fwctl.yaml", *broken]) == 1
    err = capsys.readouterr().err
    assert all(f"{path}:" in err for path in broken), err
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_unknown_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "-t", "cobol", "spec/fwctl.yaml"]) == 1
    assert capsys.readouterr().err.startswith("luogen: error: unknown target 'cobol'")


def test_bad_arguments_exit_2_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "luogen", "generate"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "the following arguments are required: SPEC" in result.stderr


@pytest.mark.parametrize("command", [[], ["check"], ["generate"], ["schema"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    assert "usage: luogen" in capsys.readouterr().out


def test_schema_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((ROOT / "luogen" / "schema.json").read_text())
    assert printed["$schema"].endswith("2020-12/schema")


def test_the_command_ends_at_once_yet_says_everything(tmp_path: Path) -> None:
    """`luogen` (console()) skips the interpreter's shutdown: what it printed to a buffered
    stdout still arrives whole and its exit status is main()'s; a profiler gets its report."""
    luogen = [sys.executable, "-m", "luogen"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a buffered stdout
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    generate = [*luogen, "generate", "-o", str(tmp_path / "out"), "spec/fwctl.yaml"]
    wrote = subprocess.run(generate, cwd=ROOT, env=env, capture_output=True, text=True)
    assert wrote.returncode == 0, wrote.stderr
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert sorted(wrote.stdout.splitlines()) == sorted(f"wrote {p}" for p in written)
    stale = [*luogen, "generate", "--check", "-o", str(tmp_path / "none"), "spec/fwctl.yaml"]
    result = subprocess.run(stale, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "outputs are stale" in result.stderr
    assert result.stdout.count("+++ b/") == len(written)  # every diff
    profiled = [sys.executable, "-m", "cProfile", "-m", "luogen", "schema"]
    report = subprocess.run(profiled, cwd=ROOT, env=env, capture_output=True, text=True)
    assert "function calls" in report.stdout  # printed at the ordinary exit


def test_check_fast_path_still_catches_hand_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["generate", "-o", str(out), *SPECS]) == 0
    assert main(["generate", "--check", "-o", str(out), *SPECS]) == 0  # answered from the cache
    header = out / "liveupdate/include/uapi/linux/liveupdate.h"
    header.write_text(header.read_text().replace("__s32 fd;", "int fd;", 1))
    capsys.readouterr()
    assert main(["generate", "--check", "-o", str(out), *SPECS]) == 1
    assert "+\t__s32 fd;" in capsys.readouterr().out


def test_check_fast_path_sees_a_changed_spec(tmp_path: Path) -> None:
    spec = tmp_path / "fwctl.yaml"
    spec.write_text((ROOT / "spec/fwctl.yaml").read_text())
    out = tmp_path / "out"
    assert main(["generate", "-o", str(out), str(spec)]) == 0
    assert main(["generate", "--check", "-o", str(out), str(spec)]) == 0
    spec.write_text(spec.read_text().replace("ioctl-type: 0x9A", "ioctl-type: 0x9B"))
    assert main(["generate", "--check", "-o", str(out), str(spec)]) == 1


_IMPORTED = """
import sys
from luogen.cli import main
code = main(sys.argv[1:])
heavy = ("luogen.model", "luogen.spec", "luogen.cli_parser", "jinja2", "yaml", "argparse",
         "typing", "pathlib", "dataclasses")
print(" ".join(sorted(m for m in sys.modules if m.startswith(heavy))))
sys.exit(code)
"""


def test_a_check_answered_from_the_cache_imports_nothing_heavy(tmp_path: Path) -> None:
    """What makes `generate --check` of current outputs fast: the cache answers before the
    parser, the model, jinja2 or YAML is imported (a stale output imports them all)."""
    out, env = tmp_path / "out", {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    argv = ["generate", "--check", "-o", str(out), "spec/fwctl.yaml"]
    run = [sys.executable, "-c", _IMPORTED, *argv]
    stale = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True)
    assert stale.returncode == 1 and "luogen.model" in stale.stdout
    generate = [sys.executable, "-m", "luogen", "generate", "-o", str(out), "spec/fwctl.yaml"]
    subprocess.run(generate, cwd=ROOT, env=env, check=True, capture_output=True)
    current = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True)
    assert current.returncode == 0, current.stderr
    assert current.stdout.split() == []


WARNED_SPEC = """\
name: demo
title: Demo interface
header: linux/demo.h
overview: A demo interface.
ioctl-type: 0xD0
ranges:
  - name: device
    doc: The device ioctl commands.
    base: 0
    commands:
      - name: open
        struct: other_open
        doc: Opens something.
        members:
          - {name: flags, type: u32, doc: Flags.}
"""


def test_check_prints_one_summary_line_per_passing_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warned, broken = tmp_path / "warned.yaml", tmp_path / "broken.yaml"
    warned.write_text(WARNED_SPEC)
    broken.write_text(WARNED_SPEC.replace("type: u32", "type: u33"))
    assert main(["check", str(warned), str(broken), "spec/fwctl.yaml"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        f"{warned}:12:17: warning: struct 'other_open' does not start with 'demo_', the spec "
        "name and an underscore"
    )
    assert lines[1] == f"{warned}: ok: 1 range, 1 command, 1 warning"
    # A spec with errors gets its warnings and errors, and no summary line.
    assert lines[2] == lines[0].replace(str(warned), str(broken))
    assert lines[3] == f"{broken}:15:33: error: unknown type 'u33' (did you mean 'u32'?)"
    assert lines[4:] == ["spec/fwctl.yaml: ok: 1 range, 2 commands, 0 warnings"]


def test_check_w_prints_no_summary_for_a_spec_with_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warned = tmp_path / "warned.yaml"
    warned.write_text(WARNED_SPEC)
    assert main(["check", "-W", str(warned), "spec/fwctl.yaml"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and ": warning: struct 'other_open'" in lines[0]
    assert lines[1] == "spec/fwctl.yaml: ok: 1 range, 2 commands, 0 warnings"
