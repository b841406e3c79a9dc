"""`dataclass`: the part of `dataclasses.dataclass` luogen uses, without compiling code.

`dataclasses` writes each class's `__init__`, `__eq__`, `__hash__`, `__repr__` and frozen
`__setattr__` as source and compiles it while the module is imported: 60 classes cost 40 ms of
a 230 ms `luogen generate` (18%), the largest single part of a run, paid again by every new
process. Here one generic method of each serves every class, read from the class's tuple of
fields; building an instance costs about what the compiled `__init__` did. Semantics follow
`dataclasses` where the model relies on them: fields in definition order, base classes' first;
defaults and default factories; `compare=False` fields left out of equality, ordering and
hashing; equality only between instances of the same class; `replace()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda decorator: decorator


T = TypeVar("T")
_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """An attribute of a frozen instance was assigned or deleted after it was built."""


class Field:
    __slots__ = ("compare", "default", "default_factory", "name", "repr")

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        compare: bool,
        repr: bool,
    ) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] = _MISSING,
    compare: bool = True,
    repr: bool = True,
) -> Any:
    """A field with a default (or a factory of defaults), or left out of comparisons."""
    return Field(default, default_factory, compare, repr)


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names: tuple[str, ...] = cls.__record_names__
    if len(args) > len(names):
        raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, {len(args)} given")
    values = self.__dict__
    values.update(zip(names, args, strict=False))  # the rest by keyword or default
    for name, value in kwargs.items():
        if name not in cls.__record_fields__ or name in values:
            raise TypeError(f"{cls.__name__}() got an unexpected or repeated argument {name!r}")
        values[name] = value
    if len(values) < len(names):
        for name in names:
            if name not in values:
                spec = cls.__record_fields__[name]
                if spec.default is not _MISSING:
                    values[name] = spec.default
                elif spec.default_factory is not _MISSING:
                    values[name] = spec.default_factory()
                else:
                    raise TypeError(f"{cls.__name__}() missing argument {name!r}")


def _key(self: Any) -> tuple[Any, ...]:
    values = self.__dict__
    return tuple([values[name] for name in type(self).__record_compared__])


def _eq(self: Any, other: object) -> object:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return other is self or bool(_key(self) == _key(other))


def _hash(self: Any) -> int:
    return hash(_key(self))


def _repr(self: Any) -> str:
    cls = type(self)
    shown = (f"{n}={self.__dict__[n]!r}" for n, f in cls.__record_fields__.items() if f.repr)
    return f"{cls.__qualname__}({', '.join(shown)})"


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _ordering(compare: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Any:
    def method(self: Any, other: object) -> object:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(compare(_key(self), _key(other)))

    return method


_ORDER = {
    "__lt__": _ordering(lambda a, b: a < b),
    "__le__": _ordering(lambda a, b: a <= b),
    "__gt__": _ordering(lambda a, b: a > b),
    "__ge__": _ordering(lambda a, b: a >= b),
}


def _make(cls: type[T], frozen: bool, order: bool) -> type[T]:
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(getattr(base, "__record_fields__", {}))
    # Only the class's own annotations (as dataclasses): inspect would cost its import.
    for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(value, _MISSING, True, True)
        spec.name = name
        fields[name] = spec
        if spec.default is _MISSING:
            if name in cls.__dict__:
                delattr(cls, name)
        else:
            setattr(cls, name, spec.default)
    methods: dict[str, Any] = {
        "__record_fields__": fields,
        "__record_names__": tuple(fields),
        "__record_compared__": tuple(n for n, f in fields.items() if f.compare),
        "__match_args__": tuple(fields),
        "__init__": _init,
        "__repr__": _repr,
        "__eq__": _eq,
        # As dataclasses: hashable by value when frozen, unhashable when not.
        "__hash__": _hash if frozen else None,
    }
    if frozen:
        methods.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    if order:
        methods.update(_ORDER)
    own = cls.__dict__
    # What the class body defines stays. Defining __eq__ sets __hash__ to None: not a choice.
    explicit_hash = own.get("__hash__", _MISSING) not in (_MISSING, None) or (
        "__hash__" in own and "__eq__" not in own
    )
    for name, method in methods.items():
        if name not in own or (name == "__hash__" and not explicit_hash):
            setattr(cls, name, method)
    return cls


@overload
def dataclass(cls: type[T], /) -> type[T]: ...


@overload
def dataclass(*, frozen: bool = False, order: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def dataclass(
    cls: type[T] | None = None, /, *, frozen: bool = False, order: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """The class with the methods `dataclasses.dataclass` would give it, with the same options
    (those luogen uses): frozen with `frozen=True`, ordered by its compared fields with
    `order=True`."""
    if cls is not None:
        return _make(cls, frozen, order)
    return lambda cls: _make(cls, frozen, order)


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of an instance with some fields changed."""
    cls = type(obj)
    values = {name: obj.__dict__[name] for name in cls.__record_names__}  # type: ignore[attr-defined]
    values.update(changes)
    return cls(**values)
