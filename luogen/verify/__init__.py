"""`luogen layout`: the model's struct layouts and ioctl numbers as a table, and their check
against libclang's reading of the generated headers on every architecture."""

from __future__ import annotations

from .clang import STAND_INS, Outcome, VerifyUnavailable, package, system_includes, verify
from .table import command_numbers, model_table, struct_table

__all__ = [
    "STAND_INS",
    "Outcome",
    "VerifyUnavailable",
    "command_numbers",
    "model_table",
    "package",
    "struct_table",
    "system_includes",
    "verify",
]
