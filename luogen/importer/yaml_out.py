"""An imported spec as YAML: the key order of the spec language, block style, a head comment that
says where it came from and what a maintainer may want to touch."""

from __future__ import annotations

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


def dump(spec: dict[str, Any], header: str) -> str:
    """The spec's YAML text."""
    head = (
        f"# The ioctl interface of <{header}>, as `luogen import` read it from the installed\n"
        "# uapi headers. Check it with `luogen check`; what import left out it said as warnings.\n"
        "# Hand touches a maintainer may want: each range's `object` (what its commands are\n"
        "# issued on: a header does not say), and docs import found none for.\n"
    )
    body = yaml.dump(spec, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return head + body
