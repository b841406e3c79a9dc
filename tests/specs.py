"""Small specs for unit tests, built from Python data so each test states only what it varies."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from luogen import spec
from luogen.model import Model, build

BASE: dict[str, Any] = {
    "name": "t",
    "title": "Test",
    "header": "linux/t.h",
    "overview": "Test interface.",
    "ioctl-type": 0x54,
    "ranges": [
        {
            "name": "device",
            "doc": "Device commands.",
            "base": 0x10,
            "commands": [{"name": "op", "doc": "An op.", "members": []}],
        }
    ],
}


def spec_data(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def with_members(*members: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = spec_data(**changes)
    data["ranges"][0]["commands"][0]["members"] = list(members)
    return data


def member(name: str, type_: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "doc": f"The {name}.", **extra}


def model_of(data: dict[str, Any], path: str = "t.yaml") -> Model:
    loaded = spec.parse(path, yaml.safe_dump(data, sort_keys=False).encode())
    spec.validate(loaded)
    return build(loaded)
