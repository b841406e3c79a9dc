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
OBJECT = "// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n"


def _driver_header(model: Model) -> tuple[str, str] | None:
    """(file name, text) of the driver's header that defines its struct of one call, for a spec
    whose handlers take one (`kernel: ucmd:`): the members the dispatch core sets."""
    if model.kernel.ucmd is None:
        return None
    ucmd = model.kernel.ucmd
    members = f"void *{ucmd.context};\n\tvoid __user *ubuffer;\n\tu32 user_size;\n\tvoid *cmd;"
    text = "/* SPDX-License-Identifier: GPL-2.0 */\n#include <linux/types.h>\n\n"
    return ucmd.header, text + f"struct {ucmd.struct} {{\n\t{members}\n}};\n"


def _stubs(model: Model) -> tuple[str, str]:
    """(Kbuild, stubs.c) for the model's generated kernel files."""
    handlers = dict.fromkeys(c.handler for r in model.ranges for c in r.live)
    fallbacks = [r.fallback for r in model.ranges if r.fallback]
    fallback = "long {}(struct file *file, unsigned int cmd, unsigned long arg)\n{{\n"
    ucmd = f"struct {model.kernel.ucmd_struct} *ucmd"
    stubs = [
        "// SPDX-License-Identifier: GPL-2.0",
        "#include <linux/errno.h>",
        "#include <linux/module.h>",
        f'#include "{model.name}_ioctl.h"',
        "",
        *(f"int {h}({ucmd})\n{{\n\treturn -EOPNOTSUPP;\n}}\n" for h in handlers),
        *(fallback.format(f) + "\treturn -ENOIOCTLCMD;\n}\n" for f in fallbacks),
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


def _configs(model: Model) -> set[str]:
    """The Kconfig symbols the spec makes commands or objects conditional on."""
    commands = {c.config for c in model.commands if c.config}
    return commands | {config for _, config in model.kernel.conditional}


# Each case as a kernel without its conditional symbols builds it, and, for a case that has
# some, with all of them enabled.
BUILDS = [(name, False) for name in CASES] + [
    (name, True) for name in CASES if _configs(load(GOLDEN / name / "spec.yaml"))
]


@pytest.mark.e2e
@pytest.mark.skipif(CANNOT_BUILD, reason=missing("linux-headers-amd64"))
@pytest.mark.parametrize(("name", "enabled"), BUILDS, ids=[f"{n}-{e}" for n, e in BUILDS])
def test_golden_kernel_files_build_warning_free(name: str, enabled: bool, tmp_path: Path) -> None:
    case = GOLDEN / name
    model = load(str(case / "spec.yaml"))
    expected = case / "expected" / model.name
    module = tmp_path / "module"
    shutil.copytree(expected / model.kernel.dir, module)
    kbuild, stubs = _stubs(model)
    (module / "Kbuild").write_text(kbuild)
    (module / "stubs.c").write_text(stubs)
    driver_header = _driver_header(model)
    if driver_header is not None:
        (module / driver_header[0]).write_text(driver_header[1])
    objects = [*model.kernel.objects, *(o for o, _ in model.kernel.conditional)]
    for name_o in objects:  # the maintainer's objects: empty here
        (module / name_o).with_suffix(".c").write_text(OBJECT)
    configs = sorted(_configs(model)) if enabled else []
    kver = harness.kernel_version()
    flags = " ".join(["-Werror", f"-I{expected / 'include'}", *(f"-D{c}" for c in configs)])
    command = ["make", "-C", f"/lib/modules/{kver}/build", f"M={module}", "W=1", f"KCFLAGS={flags}"]
    command += [f"{c}=y" for c in configs]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    harness._check_warnings(f"golden {name}", output)  # raises on any warning line
    assert (module / f"{model.kernel.module}.ko").is_file(), output
    built = {p.name for p in module.glob("*.o")}
    conditional = {o for o, _ in model.kernel.conditional}
    assert conditional <= built if enabled else not conditional & built, sorted(built)


def test_a_conditional_command_is_only_in_the_op_table_under_its_symbol() -> None:
    model = load(GOLDEN / "kernel_fit" / "spec.yaml")
    dispatch = (GOLDEN / "kernel_fit/expected/fit" / model.kernel.dir / "fit_ioctl.c").read_text()
    opened = dispatch.split("#if IS_ENABLED(CONFIG_FIT_TEST)\n")
    # The union member, the check function and the op: each between #if and #endif.
    assert len(opened) == 4
    guarded = [part.split("#endif")[0] for part in opened[1:]]
    assert not [g for g in guarded if "destroy" in g or "ioas_alloc" in g]
    assert [g.split("\n")[0] for g in guarded] == [
        "\tstruct fit_test test;",
        "static int fit_check_test(const void *buf)",
        "\tLUOGEN_IOCTL_OP(FIT_CMD_TEST - FIT_CMD_BASE, fit_ucmd_buffer, FIT_TEST,",
    ]
