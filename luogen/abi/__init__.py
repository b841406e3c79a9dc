"""ABI comparison of two specs: `luogen abi-diff OLD NEW`.

The comparison reads the two resolved models, never the text: layouts, minimum sizes and ioctl
numbers come from the model, so a reformatted spec compares equal and a renumbered command cannot
hide behind an unchanged struct.
"""

from .diff import compare
from .finding import BREAKING, COMPATIBLE, Finding
from .report import JSON_SCHEMA_VERSION, code_list, exit_code, human, to_json
from .source import load_side

__all__ = [
    "BREAKING",
    "COMPATIBLE",
    "JSON_SCHEMA_VERSION",
    "Finding",
    "code_list",
    "compare",
    "exit_code",
    "human",
    "load_side",
    "to_json",
]
