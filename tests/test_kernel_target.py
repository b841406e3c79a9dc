"""The kernel target: op tables, unions and checks follow the spec with no template edit."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from specs import member, model_of, spec_data, with_members

from luogen.cli import main
from luogen.errors import SpecError
from luogen.render import render
from luogen.text import c_call


def _dispatch(data: dict) -> str:  # type: ignore[type-arg]
    (text,) = [t for path, t in render(model_of(data), ("kernel",)).items() if path.endswith(".c")]
    return text


def _flat(text: str) -> str:
    """The text with every run of white space made one space: C does not care where lines break."""
    return re.sub(r"\s+", " ", text)


def test_min_size_follows_the_mandatory_flag() -> None:
    mandatory = _dispatch(with_members(member("a", "u32"), member("b", "u64")))
    optional = _dispatch(with_members(member("a", "u32"), member("b", "u64", optional=True)))
    assert "struct t_op, b, NULL," in _flat(mandatory)
    assert "static_assert(offsetofend(struct t_op, b) == 16);" in mandatory
    assert "struct t_op, a, NULL," in _flat(optional)
    assert "static_assert(offsetofend(struct t_op, a) == 8);" in optional


def test_an_added_command_joins_its_union_and_table() -> None:
    data = spec_data()
    data["ranges"][0]["commands"].append({"name": "added", "doc": "New.", "members": []})
    text = _dispatch(data)
    assert "\tstruct t_added added;\n" in text
    assert "T_CMD_ADDED - T_CMD_BASE, t_device_ucmd_buffer, T_ADDED, struct t_added" in _flat(text)
    assert "t_device_cmd_added)," in text


def test_retired_numbers_have_no_table_entry() -> None:
    data = spec_data()
    data["ranges"][0]["commands"] = [
        {"name": "gone", "retired": "Removed."},
        {"name": "live", "doc": "Live.", "members": []},
    ]
    text = _dispatch(data)
    assert "T_GONE" not in text
    assert "T_CMD_LIVE - T_CMD_BASE, t_device_ucmd_buffer, T_LIVE, struct t_live" in _flat(text)


def test_checks_reject_reserved_unknown_flags_and_enum_values() -> None:
    data = with_members(
        member("pad", "u32", reserved=True),
        member("bytes", "u8", array=4, reserved=True),
        member("flags", "u32", flags="t_flags"),
        member("mode", "u32", enum="t_mode"),
        member("sparse", "u32", enum="t_sparse"),
        member("result", "u32", enum="t_mode", dir="out"),
        flags=[
            {
                "name": "t_flags",
                "doc": "F.",
                "bits": [
                    {"name": "T_A", "bit": 0, "doc": "A."},
                    {"name": "T_B", "bit": 3, "doc": "B."},
                ],
            }
        ],
        enums=[
            {
                "name": "t_mode",
                "doc": "M.",
                "values": [{"name": "T_M0", "doc": "0."}, {"name": "T_M1", "doc": "1."}],
            },
            {
                "name": "t_sparse",
                "doc": "S.",
                "values": [
                    {"name": "T_S1", "value": 1, "doc": "1."},
                    {"name": "T_S4", "value": 4, "doc": "4."},
                ],
            },
        ],
    )
    text = _dispatch(data)
    assert "\tif (cmd->pad)\n\t\treturn -EOPNOTSUPP;" in text
    assert "\tif (memchr_inv(cmd->bytes, 0, sizeof(cmd->bytes)))\n" in text
    assert "\tif (cmd->flags & ~(T_A | T_B))\n" in text
    assert "\tif (cmd->mode > T_M1)\n" in text
    assert "\tif (cmd->sparse != T_S1 && cmd->sparse != T_S4)\n" in text
    assert "cmd->result" not in text  # an output is the kernel's to write
    assert "t_device_check_op," in text


def test_commands_without_checks_get_none() -> None:
    text = _dispatch(with_members(member("a", "u32")))
    assert "_check_" not in text
    assert ", NULL," in text


def test_checks_reach_into_nested_structs_and_arrays_of_them() -> None:
    inner = {
        "name": "t_inner",
        "doc": "I.",
        "members": [member("mode", "u32", enum="t_mode"), member("pad", "u32", reserved=True)],
    }
    outer = {
        "name": "t_outer",
        "doc": "O.",
        "members": [member("inners", "struct", struct="t_inner", array=3)],
    }
    data = with_members(
        member("one", "struct", struct="t_inner"),
        member("many", "struct", struct="t_outer", array=2),
        member("result", "struct", struct="t_inner", dir="out"),
        member("pad", "u32", reserved=True),
        structs=[inner, outer],
        enums=[
            {
                "name": "t_mode",
                "doc": "M.",
                "values": [{"name": "T_M0", "doc": "0."}, {"name": "T_M1", "doc": "1."}],
            }
        ],
    )
    text = _dispatch(data)
    assert "\tunsigned int i, j;\n" in text
    assert "\tif (cmd->one.mode > T_M1)\n\t\treturn -EOPNOTSUPP;\n" in text
    assert "\tif (cmd->one.pad)\n" in text
    loops = "\tfor (i = 0; i < 2; i++)\n\t\tfor (j = 0; j < 3; j++)\n"
    assert loops + "\t\t\tif (cmd->many[i].inners[j].mode > T_M1)\n\t\t\t\treturn" in text
    assert loops + "\t\t\tif (cmd->many[i].inners[j].pad)\n" in text
    assert "cmd->result" not in text  # an output's inner members are the kernel's to write


def test_a_long_check_breaks_after_an_operator_within_100_columns() -> None:
    values = [{"name": f"T_SPARSE_VALUE_{n}", "value": 2 * n, "doc": "V."} for n in range(8)]
    data = with_members(
        member("sparse", "u32", enum="t_sparse"),
        enums=[{"name": "t_sparse", "doc": "S.", "values": values}],
    )
    check = [line for line in _dispatch(data).splitlines() if "cmd->sparse" in line]
    assert len(check) > 1
    assert all(len(line.expandtabs(8)) <= 100 for line in check)
    assert all(line.endswith("&&") for line in check[:-1])
    assert check[0].startswith("\tif (cmd->sparse != T_SPARSE_VALUE_0 &&")
    assert all(line.startswith("\t    cmd->sparse") for line in check[1:])


def test_a_long_flag_mask_breaks_after_a_bar_aligned_in_its_parenthesis() -> None:
    """iommufd's IOMMU_HWPT_ALLOC flags: four long names make a mask past 100 columns, which
    checkpatch --strict reports unless it breaks, continued under the mask's `(`."""
    bits = [
        {"name": f"T_HWPT_ALLOC_A_RATHER_LONG_FLAG_NAME_{n}", "bit": n, "doc": "F."}
        for n in range(4)
    ]
    data = with_members(
        member("flags", "u32", flags="t_hwpt_alloc_flags"),
        flags=[{"name": "t_hwpt_alloc_flags", "doc": "F.", "bits": bits}],
    )
    text = _dispatch(data)
    start = text.index("\tif (cmd->flags & ~(")
    check = text[start : text.index("\t\treturn -EOPNOTSUPP;", start)].splitlines()
    assert len(check) > 1
    assert all(len(line.expandtabs(8)) <= 100 for line in check)
    assert all(line.endswith(" |") for line in check[:-1])
    column = len("\tif (cmd->flags & ~(".expandtabs(8))
    assert column == 27
    assert all(line.startswith("\t\t\t   T_HWPT_ALLOC_") for line in check[1:])
    assert _flat(" ".join(check)).endswith("T_HWPT_ALLOC_A_RATHER_LONG_FLAG_NAME_3))")


def test_classic_commands_are_refused_with_their_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = "tests/golden/classic/spec.yaml"
    assert main(["generate", "-t", "kernel", "-o", str(tmp_path), spec]) == 1
    (error,) = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert error.startswith(
        f"{spec}:91:15: error: the kernel target cannot dispatch classic command "
        "'CDEMO_GET_API_VERSION' (and 20 more): it generates the extensible dispatch"
    )
    assert not list(tmp_path.iterdir())  # nothing written, not even the other targets' files


def test_a_kernel_prefix_names_the_dispatch_and_default_handlers() -> None:
    data = spec_data()
    data["ranges"][0]["kernel-prefix"] = "t"
    text = _flat(_dispatch(data))
    assert "union t_ucmd_buffer {" in text and "struct luogen_ioctl_op t_ops[]" in text
    assert "long t_ioctl(struct file *file," in text and ", t_cmd_op)," in text
    assert "t_device" not in text  # the default prefix: <name>_<range>


def test_a_fallback_gets_every_number_outside_the_table_and_only_those() -> None:
    data = spec_data()
    data["ranges"][0]["fallback"] = "t_compat_ioctl"
    text = _dispatch(data)
    guard = "\tif (!luogen_in_table(cmd, ARRAY_SIZE(t_device_ops), T_CMD_BASE))\n"
    assert guard + "\t\treturn t_compat_ioctl(file, cmd, arg);\n\treturn luogen_dispatch(" in text
    (header,) = [
        t for p, t in render(model_of(data), ("kernel",)).items() if p.endswith("_ioctl.h")
    ]
    assert "long t_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg);" in header
    assert "luogen_in_table" not in _dispatch(spec_data())  # no fallback: the core answers


WHEN = Path(__file__).resolve().parent / "golden" / "when"
CHECK_PRELUDE = """#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/when.h>

void *memchr_inv(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (; n; n--, b++)
		if (*b != c)
			return (void *)b;
	return NULL;
}
"""
CHECK_MAIN = """
int main(void)
{
	struct when_map m;
	int ok = 1;

#define EXPECT(flags_, mode_, iova_, want) \\
	memset(&m, 0, sizeof(m)); \\
	m.flags = (flags_); m.cache_mode = (mode_); m.iova = (iova_); \\
	ok &= when_ioas_check_map(&m) == (want);
	EXPECT(0, 0, 0x1234, 0)                          /* iova: an output without the flag */
	EXPECT(0, WHEN_CACHE_UC, 0, -EOPNOTSUPP)         /* an input without its flag: zero */
	EXPECT(WHEN_MAP_CACHE, WHEN_CACHE_UC, 0, 0)
	EXPECT(WHEN_MAP_CACHE, 7, 0, -EOPNOTSUPP)        /* with its flag: its enum is checked */
	EXPECT(WHEN_MAP_FIXED_IOVA, 0, 0x1234, 0)
	return ok ? 0 : 1;
}
"""


def test_a_member_read_under_a_flag_is_checked_only_with_it(tmp_path: Path) -> None:
    text = _dispatch(yaml.safe_load((WHEN / "spec.yaml").read_text()))
    match = re.search(r"static int when_ioas_check_map\(.*?\n}\n", text, re.S)
    assert match is not None
    source = tmp_path / "check.c"
    source.write_text(CHECK_PRELUDE + "\n" + match[0] + CHECK_MAIN)
    include = WHEN / "expected" / "when" / "include" / "uapi"
    binary = tmp_path / "check"
    build = ["gcc", "-Wall", "-Werror", f"-I{include}", str(source), "-o", str(binary)]
    built = subprocess.run(build, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert subprocess.run([str(binary)]).returncode == 0


DIRECTION_BY = Path(__file__).resolve().parent / "golden" / "direction_by"
BY_MAIN = """
int main(void)
{
	struct direction_by_cache m;
	int ok = 1;

#define EXPECT(op_, mode_, want) \\
	memset(&m, 0, sizeof(m)); \\
	m.op = (op_); m.mode = (mode_); \\
	ok &= direction_by_ctx_check_cache(&m) == (want);
	EXPECT(DIRECTION_BY_CACHE_OP_SET, DIRECTION_BY_CACHE_UC, 0)
	EXPECT(DIRECTION_BY_CACHE_OP_SET, 7, -EOPNOTSUPP)   /* read with SET: its enum is checked */
	EXPECT(DIRECTION_BY_CACHE_OP_GET, 7, 0)             /* an output with GET: not read */
	EXPECT(2, 0, -EOPNOTSUPP)                           /* the selector's own check */
	return ok ? 0 : 1;
}
"""


def test_a_member_a_selector_directs_is_checked_only_under_the_values_that_read_it(
    tmp_path: Path,
) -> None:
    text = _dispatch(yaml.safe_load((DIRECTION_BY / "spec.yaml").read_text()))
    match = re.search(r"static int direction_by_ctx_check_cache\(.*?\n}\n", text, re.S)
    assert match is not None
    source = tmp_path / "check.c"
    prelude = CHECK_PRELUDE.replace("linux/when.h", "linux/direction_by.h")
    source.write_text(prelude + "\n" + match[0] + BY_MAIN)
    include = DIRECTION_BY / "expected" / "direction_by" / "include" / "uapi"
    binary = tmp_path / "check"
    build = ["gcc", "-Wall", "-Werror", f"-I{include}", str(source), "-o", str(binary)]
    built = subprocess.run(build, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert subprocess.run([str(binary)]).returncode == 0


def test_the_module_may_not_be_named_as_the_generated_dispatch() -> None:
    """kbuild would link t_ioctl.o from t_ioctl.o: refused at the module; without the kernel
    target nothing is linked, and the name is free."""
    data = spec_data(kernel={"module": "t_ioctl"})
    with pytest.raises(SpecError) as raised:
        model_of(data)
    (error,) = raised.value.diagnostics
    assert error.message.startswith("kernel module 't_ioctl' is named as the generated dispatch")
    model_of({**data, "targets": ["uapi", "python"]})


def test_a_prototype_too_long_to_align_puts_its_return_type_above_its_name() -> None:
    """iommufd's IOVA_RANGES answer helper: its name leaves no room to align the arguments
    with its parenthesis within checkpatch's 100 columns (nor may a line end with `(`)."""
    head = "static inline int iommufd_ioas_iova_ranges_allowed_iovas_answer("
    args = ["struct luogen_ucmd *ucmd", "const struct iommu_iova_range *elems", "u32 total"]
    name = "iommufd_ioas_iova_ranges_allowed_iovas_answer("
    assert c_call(args, head, ")").splitlines() == [
        "static inline int",
        name + "struct luogen_ucmd *ucmd,",
        "\t" * 5 + "      const struct iommu_iova_range *elems,",
        "\t" * 5 + "      u32 total)",
    ]
    assert len(name) == 46
    pointer = c_call(args, "static struct iommu_iova_range *" + head[len("static inline int ") :])
    assert pointer.splitlines()[0] == "static struct iommu_iova_range *"
    short = c_call(["int a", "int b"], "static int f(", ")")
    assert short == "static int f(int a, int b)"  # what fits stays aligned, as before
    aligned = c_call([f"int argument_{n}" for n in range(6)], "static int function_name(", ")")
    assert aligned.splitlines()[1] == "\t\t\t int argument_3, int argument_4, int argument_5)"


def test_python_numbers_are_written_as_ruff_formats_them() -> None:
    """ruff format writes hex digits upper case: 0x8A, not the header's 0x8a."""
    data = spec_data()
    data["ranges"][0]["base"] = 0xAB
    (text,) = [
        t for path, t in render(model_of(data), ("python",)).items() if path.endswith("__init__.py")
    ]
    assert "T_CMD_BASE: Final = 0xAB\n" in text and "T_CMD_OP: Final = 0xAB\n" in text


def test_a_handler_may_share_its_name_with_a_tag_but_not_an_enumerator() -> None:
    """C keeps struct and enum tags apart from functions: iommufd's iommufd_option() handles
    IOMMU_OPTION beside enum iommufd_option. An enumerator of the name still clashes."""
    enums = [{"name": "t_mode", "doc": "M.", "values": [{"name": "T_MODE_A", "doc": "A."}]}]
    data = with_members(member("mode", "u32", enum="t_mode"), enums=enums)
    data["ranges"][0]["commands"][0]["handler"] = "t_mode"
    header = next(t for p, t in render(model_of(data), ("kernel",)).items() if p.endswith(".h"))
    assert "int t_mode(struct luogen_ucmd *ucmd);" in header
    data["ranges"][0]["commands"][0]["handler"] = "T_MODE_A"
    with pytest.raises(SpecError) as raised:
        model_of(data)
    assert "handler 'T_MODE_A' is also the enum value of that name" in str(raised.value)


def test_handlers_take_the_drivers_own_struct_of_one_call() -> None:
    """`kernel: ucmd:` (iommufd's struct iommufd_ucmd): the kernel header includes the driver's
    header before the core and names its struct to it; every prototype and the counted-array
    answer helper take it, and struct luogen_ucmd appears nowhere. Without it, the core's."""
    spec = Path(__file__).parents[1] / "spec" / "iommufd.yaml"
    data = yaml.safe_load(spec.read_text())
    ucmd = {"struct": "drv_call", "header": "drv_private.h", "context": "state"}
    data["kernel"]["ucmd"] = ucmd
    files = render(model_of(data), ("kernel",))
    header = next(t for p, t in files.items() if p.endswith("iommufd_ioctl.h"))
    assert "struct luogen_ucmd" not in header
    lines = header.splitlines()
    core = lines.index('#include "luogen_dispatch.h"')
    assert lines[core - 6 : core - 1] == [
        '#include "drv_private.h"',
        "",
        "/* The handlers take struct drv_call; the dispatch sets its state. */",
        "#define LUOGEN_UCMD drv_call",
        "#define LUOGEN_UCMD_OPEN(ucmd, filp) ((ucmd)->state = (filp)->private_data)",
    ]
    handlers = [line for line in lines if line.startswith("int iommufd_")]
    assert len(handlers) == 21 and all(h.endswith("(struct drv_call *ucmd);") for h in handlers)
    assert "iommufd_ioas_iova_ranges_allowed_iovas_answer(struct drv_call *ucmd," in header
    del data["kernel"]["ucmd"]
    plain = next(t for p, t in render(model_of(data), ("kernel",)).items() if p.endswith(".h"))
    assert "LUOGEN_UCMD" not in plain and "int iommufd_destroy(struct luogen_ucmd *ucmd);" in plain
