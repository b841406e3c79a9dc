"""An imported spec as YAML: the key order of the spec language, block style, a head comment that
says where it came from and what a maintainer may want to touch."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line text as `|` blocks, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.rstrip() + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def dump(spec: dict[str, Any], header: str, hinted: dict[str, str] | None = None) -> str:
    """The spec's YAML text; `hinted` (ioctl macro -> why) the commands import hints changed,
    each said in a comment above it."""
    head = (
        f"# The ioctl interface of <{header}>, as `luogen import` read it from the installed\n"
        "# uapi headers. Check it with `luogen check`; what import left out it said as warnings.\n"
        "# Hand touches a maintainer may want: each range's `object` (what its commands are\n"
        "# issued on: a header does not say), and docs import found none for.\n"
    )
    if hinted:
        head += (
            f"# Commands marked 'import hint' are as hints/{spec['name']}.yaml says, not as the\n"
            "# header alone does: edit the hint and import again, never this file.\n"
        )
    body = yaml.dump(spec, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return head + _noted(body, hinted or {})


def _noted(body: str, hinted: dict[str, str]) -> str:
    """`body` with each hinted command's `why` as a comment above its `- name:` line."""
    lines = body.split("\n")
    out: list[str] = []
    for line in lines:
        ioctl = line.strip().removeprefix("ioctl: ")
        if line.startswith("    ioctl: ") and ioctl in hinted and out:
            indent = out[-1][: len(out[-1]) - len(out[-1].lstrip())]
            note = textwrap.wrap(f"import hint: {hinted[ioctl]}", 98 - len(indent))
            out[-1:-1] = [f"{indent}# {text}" for text in note]
        out.append(line)
    return "\n".join(out)
