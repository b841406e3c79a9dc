"""The model of a spec: built once, resolved, then only read."""

from .arch import ARCHES, ENCODINGS, Arch, IoctlEncoding
from .build import build
from .nodes import Command, CommandRange, Model, Struct

__all__ = [
    "ARCHES",
    "ENCODINGS",
    "Arch",
    "Command",
    "CommandRange",
    "IoctlEncoding",
    "Model",
    "Struct",
    "build",
]
