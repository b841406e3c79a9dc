"""`luogen import`: real uapi headers, read with libclang (luogen.cheader), as specs.

Each header becomes one spec: its ioctl macros classic commands (grouped by type byte), their
argument records structs (records of included headers as external ones, which the generated
header does not define again), its integer macros constants, its enums enums. What the spec
language cannot say is left out with a located warning, never approximated.
"""

from __future__ import annotations

from .header import Imported, import_header, installed_arches, spec_name

__all__ = ["Imported", "import_header", "installed_arches", "spec_name"]
