"""The runtime of luogen's Python bindings: what every generated package needs and no spec
changes. Each package gets this file as `_runtime.py`; its `__init__` imports the names it uses.

Argument checks raise ValueError before any ioctl; `UserBuffer` and `_memory` turn buffer
arguments into addresses the kernel can use; `_FdObject` is the base of every object type.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import operator
import os
import struct
from collections.abc import Callable, Sequence
from typing import Any, Final, NamedTuple, Self, TypeVar

_T = TypeVar("_T")
_U = TypeVar("_U")
_S = TypeVar("_S")

# The machines (as platform.machine() names them) whose ioctl numbers use the encoding of powerpc,
# mips, sparc and alpha (`_IOC_NONE` is 1, the direction starts at bit 29): column 1 of a table
# of numbers. Every other machine uses asm-generic's, column 0.
ALTERNATE_MACHINES: Final = frozenset(
    {"alpha", "mips", "mips64", "ppc", "ppc64", "ppc64le", "sparc64"}
)


def _numbers_on(numbers: dict[str, tuple[int, int]], machine: str) -> dict[str, int]:
    """The numbers of `numbers` (name -> the number under each encoding) on `machine`."""
    column = 1 if machine in ALTERNATE_MACHINES else 0
    return {name: pair[column] for name, pair in numbers.items()}


_ioctl: Final = fcntl.ioctl
# `tuple.__new__(Result, values)` builds a NamedTuple without its Python-level __new__.
_tuple_new: Final = tuple.__new__


def _int(value: int, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{what} is {value}, outside {low}..{high}")
    return int(value)


def _cstring(value: str | bytes, length: int, what: str) -> bytes:
    """A C string for a `__u8 [length]` member: no NUL inside, room for the terminating NUL."""
    data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)
    if b"\0" in data:
        raise ValueError(f"{what} contains a NUL byte")
    if len(data) >= length:
        raise ValueError(f"{what} is {len(data)} bytes long; at most {length - 1} fit with the NUL")
    return data


def _array(
    value: Sequence[_T], length: int, what: str, check: Callable[[_T], _U]
) -> tuple[_U, ...]:
    if len(value) != length:
        raise ValueError(f"{what} has {len(value)} elements, not {length}")
    return tuple(check(e) for e in value)


def _instance(value: _S, cls: type[_S], what: str) -> _S:
    if not isinstance(value, cls):
        raise ValueError(f"{what} must be a {cls.__name__}")
    return value


def _fd(value: int) -> int:
    """An fd the kernel returned from a successful ioctl (a __u32 member holding -1 reads as
    0xffffffff, no fd either)."""
    if not 0 <= value <= 0x7FFFFFFF:
        raise OSError(errno.EPROTO, f"the ioctl succeeded but returned fd {value}")
    return value


_Memory = tuple[object, int, int]
"""A buffer argument as a method packs it: (keeper, address, length); `keeper` holds the memory
until the ioctl ends."""


class UserBuffer:
    """Memory at a fixed address for a user pointer: the kernel reads a request from it or writes
    a response into it. Any bytes-like object will do as a buffer argument; a UserBuffer is the
    fastest, as its address is known once and for all.

    `view` is a writable memoryview of the whole buffer; `bytes(buffer)` copies it.
    """

    __slots__ = ("_array", "address", "length", "pinned", "view")

    def __init__(self, length_or_data: int | bytes | bytearray | memoryview) -> None:
        """A zeroed buffer of `length_or_data` bytes, or a buffer holding a copy of it."""
        if isinstance(length_or_data, int):
            self._array = ctypes.create_string_buffer(length_or_data)
        else:
            data = bytes(length_or_data)
            self._array = ctypes.create_string_buffer(data, len(data))
        self.length: Final[int] = ctypes.sizeof(self._array)
        self.address: Final[int] = ctypes.addressof(self._array)
        self.view: Final[memoryview] = memoryview(self._array).cast("B")
        self.pinned: Final[_Memory] = (self, self.address, self.length)

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:
        return self.view.tobytes()

    def __repr__(self) -> str:
        return f"UserBuffer({self.length})"


_NO_MEMORY: Final[_Memory] = (None, 0, 0)


def _memory(
    value: bytes | bytearray | memoryview | UserBuffer | None, writable: bool, limit: int, what: str
) -> _Memory:
    """The address and length of the buffer `value` (None: no buffer, NULL and length 0),
    refusing one the kernel cannot use."""
    if isinstance(value, UserBuffer):  # the fast path: its address is known
        memory = value.pinned
    elif value is None:
        return _NO_MEMORY
    else:
        try:
            view = memoryview(value).cast("B")
        except (TypeError, ValueError):
            raise ValueError(f"{what} must be a C-contiguous bytes-like object") from None
        if writable and view.readonly:
            raise ValueError(f"{what} must be writable: the kernel writes into it")
        if view.nbytes == 0:
            memory = (view, 0, 0)
        else:
            # ctypes cannot point into read-only memory: point to a copy. Otherwise a c_char
            # over the first byte pins the memory (no resize) while it lives.
            keeper = (
                ctypes.create_string_buffer(view.tobytes(), view.nbytes)
                if view.readonly
                else ctypes.c_char.from_buffer(view)
            )
            memory = (keeper, ctypes.addressof(keeper), view.nbytes)
    length = memory[2]
    if length > limit:
        raise ValueError(f"{what} is {length} bytes long; its length member holds at most {limit}")
    return memory


def _bitmap(
    value: bytearray | memoryview | UserBuffer | None, length: int, page_size: int, what: str
) -> _Memory:
    """The memory of a bitmap argument, refusing one shorter than the kernel writes for
    `length` bytes of IOVA at one bit per `page_size` bytes: as include/linux/iova_bitmap.h
    computes it, ((length - 1) / (64 << __ffs(page_size))) + 1 64-bit words, in 64-bit
    arithmetic. A page size of 0, which the kernel refuses, is refused here."""
    length, page_size = operator.index(length) % 2**64, operator.index(page_size) % 2**64
    if page_size == 0:
        raise ValueError(f"{what}: a page size of 0 has no bits")
    granule = (page_size & -page_size).bit_length() - 1
    needed = ((length - 1) % 2**64 >> (granule + 6)) + 1
    memory = _memory(value, True, 2**64 - 1, what)
    if memory[2] < needed * 8:
        raise ValueError(
            f"{what} has {memory[2]} bytes; {length} bytes at page size {page_size} need "
            f"{needed} 64-bit words"
        )
    return memory


def _data(
    value: Any, choices: dict[type, int], limit: int, what: str
) -> tuple[object, int, int, int]:
    """(keeper, address, length, selector value) of the driver data `value`: an instance of one
    of the struct classes `choices` maps to their selector values, packed; or None, when a
    selector value passes no data (the key `type(None)`)."""
    selector = choices.get(type(value))
    if selector is None:
        names = ", ".join("None" if t is type(None) else t.__name__ for t in choices)
        raise ValueError(f"{what} must be one of {names}, not {type(value).__name__}")
    packed = None if value is None else value.pack()
    return (*_memory(packed, False, limit, what), selector)


def _entries(
    value: Any, choices: dict[type, int], most: int, what: str
) -> tuple[object, int, int, int, int]:
    """(keeper, address, stride, selector value, count) of the driver-data entries `value`: a
    sequence of instances of one of the struct classes `choices` maps to their selector values,
    packed one after the other; a struct class alone passes no entries of it (the kernel then
    says whether it knows the type); None, when a selector value passes no data."""
    kind: Any
    items: tuple[Any, ...]
    if isinstance(value, type):
        kind, items = value, ()
    elif value is None:
        kind, items = type(None), ()
    else:
        items = tuple(value)
        if not items:
            raise ValueError(f"{what} has no entries: pass their struct class to pass none")
        kind = type(items[0])
        if any(type(item) is not kind for item in items):
            raise ValueError(f"{what} must hold entries of one struct class")
    selector = choices.get(kind)
    if selector is None:
        names = ", ".join("None" if t is type(None) else t.__name__ for t in choices)
        raise ValueError(f"{what} must hold one of {names}, not {kind.__name__}")
    if len(items) > most:
        raise ValueError(f"{what} has {len(items)} entries, more than the {most} it takes")
    stride = 0 if kind is type(None) else kind.STRUCT.size
    packed = b"".join(item.pack() for item in items)
    keeper, address, _ = _memory(packed, False, 2**64 - 1, what)
    return keeper, address, stride, selector, len(items)


def _written(value: Any, memory: tuple[object, int, int, int]) -> Any:
    """The driver data the kernel wrote back over `value` (`memory`: what `_data` made of it),
    as an instance of `value`'s struct class; None when `value` passes no data."""
    if value is None:
        return None
    return type(value).unpack(ctypes.string_at(memory[1], memory[2]))


class UnknownData(NamedTuple):
    """Driver data of a selector value the package does not know (a newer kernel's): the value,
    and the bytes the kernel wrote of it, as many as the method had room for."""

    selector: int
    data: bytes


def _decoded(room: bytearray, length: int, selector: int, structs: dict[int, Any]) -> Any:
    """The driver data the kernel wrote into `room` (`length`: the length it reported), as the
    struct class `structs` maps `selector` to (None for a value that passes no data): the struct's
    first bytes are the room's, the rest of the room zero."""
    if selector not in structs:
        return UnknownData(selector, bytes(room[: min(length, len(room))]))
    cls = structs[selector]
    return None if cls is None else cls.unpack(room[: cls.STRUCT.size])


class _Scalar:
    """How an array of integers packs one element: its `struct` format and range, and `wrap`,
    what a value the kernel wrote becomes (int, an enum or a flag type)."""

    __slots__ = ("_codec", "high", "low", "size", "wrap")

    def __init__(self, fmt: str, low: int, high: int, wrap: Callable[[int], object] = int) -> None:
        self._codec = struct.Struct(fmt)
        self.size, self.low, self.high, self.wrap = self._codec.size, low, high, wrap

    def pack_one(self, value: int, what: str) -> bytes:
        return self._codec.pack(_int(value, self.low, self.high, what))

    def unpack(self, data: bytes) -> object:
        return self.wrap(self._codec.unpack(data)[0])


class _Elements:
    """The elements of an array argument as a method packs them: `count` of them at `address`
    (0 for none), each as `codec` (a struct's dataclass or a `_Scalar`) packs it. After the
    ioctl, `fill` puts what the kernel wrote into the caller's list; `query` is the ioctl of the
    query protocol, which asks again with room for the number of elements the kernel reported
    (EMSGSIZE) until they all fit. `[1]` and `[2]` are the address and the count, as a method
    packs a buffer's."""

    __slots__ = ("_at", "_keeper", "address", "codec", "count", "size", "what")

    def __init__(self, data: bytes, codec: Any, what: str, at: tuple[int, str, int] | None) -> None:
        self.codec, self.what, self._at = codec, what, at
        self.size: int = codec.size if isinstance(codec, _Scalar) else codec.STRUCT.size
        self._keeper: ctypes.Array[ctypes.c_char] | None = None
        self.address = self.count = 0
        self._hold(data)

    def _hold(self, data: bytes) -> None:
        self._keeper = ctypes.create_string_buffer(data, len(data)) if data else None
        self.address = ctypes.addressof(self._keeper) if self._keeper is not None else 0
        self.count = len(data) // self.size

    def __getitem__(self, index: int) -> int:
        return (0, self.address, self.count)[index]

    def query(self, fd: int, number: int, request: bytearray, mutate: bool) -> None:
        """The ioctl, asked again while the kernel answers EMSGSIZE with a count (at `_at`: its
        offset and format, then the pointer's offset) larger than the room."""
        assert self._at is not None, "an array without the query protocol"
        count_at, count_format, pointer_at = self._at
        while True:
            try:
                _ioctl(fd, number, request, mutate)
                break
            except OSError as error:
                total = struct.unpack_from(count_format, request, count_at)[0]
                if error.errno != errno.EMSGSIZE or total <= self.count:
                    raise
                self._hold(bytes(total * self.size))
                struct.pack_into("=Q", request, pointer_at, self.address)
                struct.pack_into(count_format, request, count_at, self.count)
        total = struct.unpack_from(count_format, request, count_at)[0]
        if total > self.count:
            message = f"the kernel reported {total} {self.what} for room for {self.count}"
            raise OSError(errno.EPROTO, message)
        self.count = total

    def fill(self, values: list[_T] | None) -> None:
        """Replaces the items of `values` (None: no list) with the elements the kernel wrote."""
        if values is None:
            return
        data = ctypes.string_at(self.address, self.count * self.size) if self.count else b""
        step, unpack = self.size, self.codec.unpack
        values[:] = [unpack(data[i : i + step]) for i in range(0, len(data), step)]


def _elements(
    values: Sequence[Any] | None,
    codec: Any,
    limit: int,
    what: str,
    reads: bool,
    at: tuple[int, str, int] | None = None,
) -> _Elements:
    """The elements of the sequence `values` (None: none) as `codec` packs them, when the kernel
    reads them, else zeroed room for as many; more than `limit` are refused."""
    if values is None:
        return _Elements(b"", codec, what, at)
    if isinstance(values, str | bytes | bytearray) or not isinstance(values, Sequence):
        raise ValueError(f"{what} must be a sequence of elements")
    if len(values) > limit:
        raise ValueError(f"{what} has {len(values)} elements, more than the {limit} it takes")
    if not reads:
        size = codec.size if isinstance(codec, _Scalar) else codec.STRUCT.size
        return _Elements(bytes(size * len(values)), codec, what, at)
    if isinstance(codec, _Scalar):
        data = b"".join(codec.pack_one(v, what) for v in values)
    else:
        data = b"".join(_instance(v, codec, what).pack() for v in values)
    return _Elements(data, codec, what, at)


class _FdObject:
    """What every object type shares: it owns one fd, closed by `close()` or a `with` block."""

    __slots__ = ("_fd",)

    def __init__(self, fd: int) -> None:
        """Takes ownership of `fd`, an open fd of this object."""
        self._fd = fd

    def fileno(self) -> int:
        if self._fd < 0:
            raise ValueError(f"I/O operation on a closed {type(self).__name__}")
        return self._fd

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    @classmethod
    def _open(cls, path: str) -> Self:
        """An object of the fd `path` opens (read-write, close-on-exec)."""
        return cls(os.open(path, os.O_RDWR | os.O_CLOEXEC))

    def detach(self) -> int:
        """Gives up ownership of the fd and returns it."""
        fd, self._fd = self.fileno(), -1
        return fd

    def _failure(self, error: OSError | ValueError, name: str) -> Exception:
        """What a method raises when ioctl `name` failed with `error`: ValueError on a closed
        object (fcntl refuses fd -1), else OSError with the kernel's errno, naming the ioctl."""
        if self._fd < 0:
            return ValueError(f"I/O operation on a closed {type(self).__name__}")
        code = getattr(error, "errno", None) or 0
        return OSError(code, f"{name}: {os.strerror(code)}")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
