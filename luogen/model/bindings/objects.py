"""Object kinds: what a range's commands are issued on, and how each binding gets hold of it."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from ...records import dataclass
from ...text import wrap


@dataclass(frozen=True)
class ObjectKind(ABC):
    """The object or fd of a command range, as the spec's `object` describes it."""

    text: str  # the spec's words: a path, a path with a placeholder, or a description

    @property
    @abstractmethod
    def openable(self) -> bool:
        """Whether a binding opens it from a path rather than only taking an fd it is given."""

    def py_how(self, class_name: str) -> str:
        """The sentence of the Python class's docstring on where its fd comes from."""
        return f"Opened from {self.text} with `{class_name}.open()`, or wraps an fd."

    @property
    def py_members(self) -> str:
        """The Python class's own members after `__slots__`, each led by a blank line."""
        return ""

    @abstractmethod
    def rust_doc(self, class_name: str) -> str:
        """The doc comment line(s) of the Rust type on where its fd comes from."""

    @property
    def rust_macro_args(self) -> str:
        """What follows the type's name in its `fd_object!` (the runtime's macro): how it is
        opened from a path."""
        return ""


_PY_OPEN = '''

    @classmethod
    def open(cls, {parameter}) -> Self:
        """Opens the object at `path` (read-write, close-on-exec)."""
        return cls._open(path)'''


@dataclass(frozen=True)
class DevicePath(ObjectKind):
    """A literal path (`/dev/liveupdate`): what a binding opens by default."""

    openable = True

    @property
    def py_members(self) -> str:
        default = f'\n\n    DEFAULT_PATH: ClassVar[str] = "{self.text}"'
        return default + _PY_OPEN.format(parameter=f'path: str = "{self.text}"')

    def rust_doc(self, class_name: str) -> str:
        return f"/// Opened from `{self.text}` ([`{class_name}::open_default`])."

    @property
    def rust_macro_args(self) -> str:
        return f', open "{self.text}"'


@dataclass(frozen=True)
class PathPattern(ObjectKind):
    """A path with a placeholder (`/dev/fwctl/fwctlN`: upper case marks it): opened from a path
    the caller passes."""

    openable = True

    @property
    def py_members(self) -> str:
        return _PY_OPEN.format(parameter="path: str")

    def rust_doc(self, class_name: str) -> str:
        return f"/// Opened from `{self.text}` ([`{class_name}::open`])."

    rust_macro_args = ", open"


@dataclass(frozen=True)
class ReturnedFd(ObjectKind):
    """An fd described in words (`session fd`): another command returns it."""

    openable = False

    def py_how(self, class_name: str) -> str:
        return f"An fd another command returns ({self.text})."

    def rust_doc(self, class_name: str) -> str:
        return wrap(f"An fd that another command returns ({self.text}).", "/// ", width=100)


_DEVICE_PATH = re.compile(r"/[a-z0-9_./-]+")


def object_kind(text: str) -> ObjectKind:
    """The kind of object the spec's `object` words describe."""
    if _DEVICE_PATH.fullmatch(text):
        return DevicePath(text)
    if text.startswith("/"):
        return PathPattern(text)
    return ReturnedFd(text)
