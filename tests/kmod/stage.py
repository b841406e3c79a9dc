"""Stage a test module folder next to the kernel files luogen generated for its spec.

``stage("liveupdate", dest)`` copies tests/kmod/liveupdate/ and the generated
``generated/liveupdate/kernel/liveupdate/{liveupdate_ioctl.c,liveupdate_ioctl.h,liveupdate.kbuild}``
into ``dest`` and returns what ``make`` needs to build it against a kernel's headers::

    python tests/kmod/stage.py liveupdate fwctl  # stage in $TMPDIR/luogen-kmod, build W=1 -Werror

The generated files are copied unchanged, their location coming from the spec's model, unless
edits are given: a negative control plants its defect (an `Edit`) in the staged copy only.
``stage_beside`` does the same with any folder of generated kernel files, e.g. a golden's
(``golden_kernel_dir("counted_arrays")``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from luogen.pipeline import load

KMOD_DIR = Path(__file__).resolve().parent
REPO_ROOT = KMOD_DIR.parents[1]
GENERATED = REPO_ROOT / "generated"


@dataclass(frozen=True)
class ModuleBuild:
    """A staged module folder and what make needs to build it."""

    name: str
    dir: Path
    config: str
    include: Path

    @property
    def uapi_include(self) -> Path:
        """The folder userspace programs put on their include path (<linux/...>)."""
        return self.include / "uapi"

    def make_command(self, kver: str, *extra_kcflags: str) -> list[str]:
        kcflags = " ".join(["-Werror", f"-I{self.include}", *extra_kcflags])
        return [
            "make",
            "-C",
            f"/lib/modules/{kver}/build",
            f"M={self.dir}",
            "W=1",
            f"KCFLAGS={kcflags}",
            f"{self.config}=m",
        ]


@dataclass(frozen=True)
class Edit:
    """A change to one file of a staged module folder: `old`, which must occur exactly once (so
    that a changed original cannot leave a negative control without its defect), becomes `new`."""

    module: str
    file: str
    old: str
    new: str

    def apply(self, folder: Path) -> None:
        path = folder / self.file
        text = path.read_text(encoding="utf-8")
        if text.count(self.old) != 1:
            raise ValueError(f"{self.file}: the text to edit occurs {text.count(self.old)} times")
        path.write_text(text.replace(self.old, self.new), encoding="utf-8")


def stage(name: str, dest: Path, edits: Sequence[Edit] = ()) -> ModuleBuild:
    """Fill dest with tests/kmod/<name>/ plus the generated kernel files of spec/<name>.yaml,
    then apply the edits of module `name`."""
    model = load(str(REPO_ROOT / "spec" / f"{name}.yaml"))
    src = KMOD_DIR / name
    kernel_dir = GENERATED / model.name / model.kernel.dir
    if not src.is_dir():
        raise FileNotFoundError(f"no test module folder {src}")
    if not kernel_dir.is_dir():
        raise FileNotFoundError(f"{kernel_dir} missing: run `python -m luogen generate`")
    dest = dest.resolve()
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.o", "*.ko", ".*.cmd", "*.mod*"))
    for generated in sorted(kernel_dir.iterdir()):
        if generated.is_file():
            if (dest / generated.name).exists():
                raise FileExistsError(f"{src / generated.name} shadows generated {generated}")
            shutil.copy2(generated, dest / generated.name)
    for edit in edits:
        if edit.module == name:
            edit.apply(dest)
    return ModuleBuild(
        name=name,
        dir=dest,
        config=model.kernel.config,
        include=GENERATED / model.name / "include",
    )


def golden_kernel_dir(case: str) -> Path:
    """The folder of generated kernel files in tests/golden/<case>/expected, from its model."""
    golden = REPO_ROOT / "tests" / "golden" / case
    model = load(str(golden / "spec.yaml"))
    return golden / "expected" / model.name / model.kernel.dir


def stage_beside(name: str, kernel_dir: Path, dest: Path, edits: Sequence[Edit] = ()) -> Path:
    """Fill dest with tests/kmod/<name>/ plus the files of kernel_dir (a golden's or a spec's
    generated kernel files), then apply the edits of module `name`; return dest."""
    shutil.copytree(KMOD_DIR / name, dest)
    for generated in sorted(kernel_dir.iterdir()):
        if (dest / generated.name).exists():
            raise FileExistsError(f"{KMOD_DIR / name / generated.name} shadows {generated}")
        shutil.copy2(generated, dest / generated.name)
    for edit in edits:
        if edit.module == name:
            edit.apply(dest)
    return dest


def kernel_version() -> str:
    """The ABI version the installed linux-headers-amd64 depends on (never uname -r)."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends}", "linux-headers-amd64"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"linux-headers-(\d[^\s,(]*)", out)
    if match is None:
        raise RuntimeError(f"cannot read the kernel version from linux-headers-amd64: {out!r}")
    return match.group(1)


def build(module: ModuleBuild, kver: str) -> str:
    """Build a staged module; return make's output. Raises on failure or any warning."""
    proc = subprocess.run(
        module.make_command(kver),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    warnings = [line for line in proc.stdout.splitlines() if re.search(r"(?i)\bwarning\b", line)]
    if proc.returncode != 0 or warnings:
        raise RuntimeError(f"building {module.dir} failed or warned:\n{proc.stdout}")
    return proc.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="stage and build the luogen test modules")
    parser.add_argument("names", nargs="*", default=["liveupdate", "fwctl"])
    parser.add_argument("--dest", type=Path, default=Path(tempfile.gettempdir()) / "luogen-kmod")
    args = parser.parse_args(argv)
    kver = kernel_version()
    for name in args.names:
        module = stage(name, args.dest / name)
        print(f"$ {' '.join(module.make_command(kver))}")
        print(build(module, kver), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
