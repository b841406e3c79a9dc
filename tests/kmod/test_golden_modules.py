"""Every golden case's kernel files build as a module against Debian's kernel headers, with W=1
and -Werror, as the real specs' do in the e2e run: the dispatch, its checks (over nested structs
and arrays too) and the op tables compile. A stub per handler stands in for the maintainer's
code; nothing is loaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from strict_ci import missing

from luogen.model import Model
from luogen.pipeline import load

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "e2e")]

import harness  # noqa: E402

GOLDEN = HERE.parent / "golden"
# The cases with a kernel target (a classic header's spec names none: no dispatch of its own).
CASES = sorted(
    p.name
    for p in GOLDEN.iterdir()
    if (p / "spec.yaml").is_file() and "kernel" in (load(p / "spec.yaml").targets or ("kernel",))
)
CANNOT_BUILD = not Path("/usr/share/doc/linux-headers-amd64").exists()


def _stubs(model: Model) -> tuple[str, str]:
    """(Kbuild, stubs.c) for the model's generated kernel files."""
    handlers = [c.handler for r in model.ranges for c in r.live]
    stubs = [
        "// SPDX-License-Identifier: GPL-2.0",
        "#include <linux/errno.h>",
        "#include <linux/module.h>",
        f'#include "{model.name}_ioctl.h"',
        "",
        *(f"int {h}(struct luogen_ucmd *ucmd)\n{{\n\treturn -EOPNOTSUPP;\n}}\n" for h in handlers),
        'MODULE_DESCRIPTION("luogen golden build check");',
        'MODULE_LICENSE("GPL");',
        "",
    ]
    kbuild = "\n".join(
        [
            f"{model.kernel.config} ?= m",
            f"include $(src)/{model.kernel.module}.kbuild",
            f"{model.kernel.module}-y += stubs.o",
            "",
        ]
    )
    return kbuild, "\n".join(stubs)


@pytest.mark.e2e
@pytest.mark.skipif(CANNOT_BUILD, reason=missing("linux-headers-amd64"))
@pytest.mark.parametrize("name", CASES)
def test_golden_kernel_files_build_warning_free(name: str, tmp_path: Path) -> None:
    case = GOLDEN / name
    model = load(str(case / "spec.yaml"))
    expected = case / "expected" / model.name
    module = tmp_path / "module"
    shutil.copytree(expected / model.kernel.dir, module)
    kbuild, stubs = _stubs(model)
    (module / "Kbuild").write_text(kbuild)
    (module / "stubs.c").write_text(stubs)
    kver = harness.kernel_version()
    flags = f"-Werror -I{expected / 'include'}"
    command = ["make", "-C", f"/lib/modules/{kver}/build", f"M={module}", "W=1", f"KCFLAGS={flags}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    harness._check_warnings(f"golden {name}", output)  # raises on any warning line
    assert (module / f"{model.kernel.module}.ko").is_file(), output
