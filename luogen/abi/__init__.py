"""ABI comparison of two specs: `luogen abi-diff OLD NEW`.

The comparison reads the two resolved models, never the text: layouts, minimum sizes and ioctl
numbers come from the model, so a reformatted spec compares equal and a renumbered command cannot
hide behind an unchanged struct.
"""

from .diff import BREAKING, COMPATIBLE, Finding, compare
from .report import JSON_SCHEMA_VERSION, exit_code, human, to_json
from .source import load_side

__all__ = [
    "BREAKING",
    "COMPATIBLE",
    "JSON_SCHEMA_VERSION",
    "Finding",
    "compare",
    "exit_code",
    "human",
    "load_side",
    "to_json",
]
