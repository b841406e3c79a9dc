"""What an ABI comparison reports: one classified difference between the two sides."""

from __future__ import annotations

from typing import Literal

from ..records import dataclass

FindingKind = Literal["breaking", "compatible"]
Scope = Literal["abi", "api", "doc"]
Value = str | int | None

BREAKING: FindingKind = "breaking"
COMPATIBLE: FindingKind = "compatible"


@dataclass(frozen=True)
class Finding:
    """One classified difference between the two sides."""

    kind: FindingKind
    code: str  # stable, kebab-case: what tools match on (see codes.py)
    scope: Scope
    path: str  # the C name: `struct liveupdate_session_finish.reserved`, `FWCTL_RPC`, ...
    old: Value
    new: Value
    message: str  # one line, for people

    def as_dict(self) -> dict[str, Value]:
        return {
            "kind": self.kind,
            "code": self.code,
            "scope": self.scope,
            "path": self.path,
            "old": self.old,
            "new": self.new,
            "message": self.message,
        }


def as_hex(value: int | None) -> str | None:
    """An ioctl type or number as a finding shows it: `0x42`."""
    return None if value is None else f"0x{value:02x}"
