"""YAML events -> plain data with the source position of every node.

luogen composes the data from PyYAML's event stream itself, so that every error points at its
cause: a duplicate key or anchor, an alias that names no anchor or contains itself, a document
that its aliases expand past MAX_NODES (found before anything is expanded). A node reached
through an alias is located at the alias: an error its copy causes points where the copy is made.

A duplicate key or anchor stops nothing: it is recorded in `problems` and the rest of the
document is read (a duplicate key's value is left out, the first one stays; an alias names the
anchor defined last before it, as YAML has it), so that the schema and the rules report their
errors with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import yaml

from .errors import Diagnostic, Location, SpecError

if TYPE_CHECKING:
    from .spec import PathKey, Spec

# A spec of 250 commands has ~50k nodes; far more can only come from alias expansion.
MAX_NODES = 1_000_000
MAX_DEPTH = 100  # a spec nests 8 deep; the schema check recurses per level
Mark = Any  # yaml.Mark, or the C parser's own mark: both have line and column
_STR = "tag:yaml.org,2002:str"
_DUPLICATE = "\0duplicate"  # the key of a duplicate key's value, which is left out
_MERGE = "tag:yaml.org,2002:merge"
_CORE = "tag:yaml.org,2002:"
# The tags a collection may carry: the data is plain lists and mappings whatever they say.
_COLLECTION_TAGS = {None, "!", *(_CORE + t for t in ("seq", "map", "set", "omap", "pairs"))}


def _unsupported_tag(tag: str) -> str:
    spelled = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    return f"invalid YAML: the tag '{spelled}' is not supported (a spec is plain YAML): remove it"


def location(path: str, mark: Mark | None) -> Location:
    if mark is None:
        return Location(path, 1, 1)
    return Location(path, mark.line + 1, mark.column + 1)


class _Anchor:
    __slots__ = ("is_key", "mark", "size", "uses", "value")

    def __init__(self, value: Any, size: int, mark: Mark, is_key: bool) -> None:
        self.value, self.size, self.mark, self.is_key = value, size, mark, is_key
        self.uses = 1


class _Open:
    """A mapping or sequence being composed."""

    __slots__ = ("anchor", "key", "mark", "path", "size", "value")

    def __init__(self, path: PathKey, value: Any, anchor: str | None, mark: Mark) -> None:
        self.path, self.value, self.anchor, self.mark = path, value, anchor, mark
        self.size = 1
        self.key: str | None = None  # a mapping's key whose value comes next


class Composer:
    """Composes one document, recording in `spec` where each value and key is written."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.resolve: Callable[..., str] = yaml.resolver.Resolver().resolve
        self.scalars = yaml.SafeLoader("")
        self.anchors: dict[str, _Anchor] = {}
        self.stack: list[_Open] = []
        self.aliased: list[tuple[PathKey, Location, Any]] = []  # (path, where, value) to locate
        self.root: Any = None
        self.root_size = 0
        self.documents = 0
        self.problems: list[Diagnostic] = []  # what it reads past: duplicate keys and anchors

    def error(self, mark: Mark | None, message: str) -> SpecError:
        return SpecError.at(location(self.spec.path, mark), message)

    def compose(self, events: Iterable[yaml.Event]) -> Any:
        for event in events:
            if isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.CollectionStartEvent):
                self.start(event, {} if isinstance(event, yaml.MappingStartEvent) else [])
            elif isinstance(event, yaml.CollectionEndEvent):
                self.end()
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self.error(
                        event.start_mark,
                        "invalid YAML: expected a single document in the stream, but found "
                        "another document",
                    )
        self.check_size()
        for path, where, value in self.aliased:
            self.locate(path, where, value)
        return self.root

    # --- the parts of a document ----------------------------------------------------------

    def place(self) -> PathKey | None:
        """The path of the node that comes next (None: it is a mapping's key)."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            return (*parent.path, len(parent.value))
        if parent.key is None:
            return None
        return (*parent.path, parent.key)

    def add(self, value: Any, size: int, path: PathKey) -> None:
        if not self.stack:
            self.root, self.root_size = value, size
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            parent.value.append(value)
        else:
            if parent.key != _DUPLICATE:
                parent.value[parent.key] = value
            parent.key = None

    def key(self, key: str, mark: Mark) -> None:
        parent = self.stack[-1]
        if key in parent.value:
            first = self.spec.keys[(*parent.path, key)]
            message = f"duplicate key '{key}' (first set at line {first.line})"
            self.problems.append(Diagnostic(location(self.spec.path, mark), "error", message))
            parent.key = _DUPLICATE
            parent.size += 1
            return
        parent.key = key
        parent.size += 1
        self.spec.keys[(*parent.path, key)] = location(self.spec.path, mark)

    def anchor(self, name: str | None, value: Any, size: int, mark: Mark, key: bool) -> None:
        if name is None:
            return
        if name in self.anchors:  # an error, read past as YAML reads it: the later one holds
            first = self.anchors[name].mark.line + 1
            message = f"anchor '&{name}' is defined twice (first at line {first}): rename one"
            self.problems.append(Diagnostic(location(self.spec.path, mark), "error", message))
        self.anchors[name] = _Anchor(value, size, mark, key)

    def scalar(self, event: yaml.ScalarEvent) -> None:
        tag, start = event.tag, event.start_mark
        if tag is None or tag == "!":
            tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
        path = self.place()
        if path is None:
            if tag == _MERGE:
                raise self.error(start, "merge keys ('<<') are not supported")
            if tag != _STR:
                raise self.error(start, f"key {event.value} must be a plain string")
            self.key(event.value, start)
            self.anchor(event.anchor, event.value, 1, start, True)
            return
        value = event.value if tag == _STR else self.construct(event, tag)
        self.spec.values[path] = location(self.spec.path, start)
        self.anchor(event.anchor, value, 1, start, tag == _STR)
        self.add(value, 1, path)

    def construct(self, event: yaml.ScalarEvent, tag: str) -> Any:
        start: Mark = event.start_mark
        end: Mark = event.end_mark
        node = yaml.ScalarNode(tag, event.value, start, end, event.style)
        if tag not in self.scalars.yaml_constructors:
            raise self.error(start, _unsupported_tag(tag))
        try:
            return self.scalars.construct_object(node)
        except Exception as exc:  # PyYAML's constructors fail in many ways
            kind = tag.rsplit(":", 1)[-1]
            if kind == "int" and "digits" in str(exc):
                raise self.error(start, "integer is too large") from None
            if isinstance(exc, yaml.MarkedYAMLError):  # its own text, without its position
                detail = exc.problem or ""
            elif isinstance(exc, (ValueError, ArithmeticError)):
                detail = str(exc)
            else:  # !!bool maybe, !!float '', !!timestamp '': a lookup that finds nothing
                detail = f"'{event.value}' is not a {kind}"
            raise self.error(start, f"invalid {kind}: {detail}") from None

    def start(self, event: yaml.CollectionStartEvent, value: Any) -> None:
        path = self.place()
        if path is None:
            raise self.error(event.start_mark, "key a collection must be a plain string")
        if event.tag not in _COLLECTION_TAGS:
            raise self.error(event.start_mark, _unsupported_tag(str(event.tag)))
        if len(self.stack) >= MAX_DEPTH:
            raise self.error(
                event.start_mark, f"the document nests more than {MAX_DEPTH} levels deep here"
            )
        self.spec.values[path] = location(self.spec.path, event.start_mark)
        self.stack.append(_Open(path, value, event.anchor, event.start_mark))

    def end(self) -> None:
        done = self.stack.pop()
        self.anchor(done.anchor, done.value, done.size, done.mark, False)
        self.add(done.value, done.size, done.path)

    def alias(self, event: yaml.AliasEvent) -> None:
        name, mark = str(event.anchor), event.start_mark
        for open_node in self.stack:
            if open_node.anchor == name:
                at = open_node.mark
                raise self.error(
                    mark,
                    f"alias '*{name}' is inside the node its anchor names (line {at.line + 1}, "
                    f"column {at.column + 1}): a node cannot contain itself",
                )
        target = self.anchors.get(name)
        if target is None:
            raise self.error(
                mark, f"alias '*{name}' names no anchor: define '&{name}' before it is used"
            )
        target.uses += 1
        path = self.place()
        if path is None:
            if not target.is_key:
                raise self.error(mark, f"key '*{name}' must be an alias of a plain string")
            self.key(target.value, mark)
            return
        where = location(self.spec.path, mark)
        self.spec.values[path] = where
        if isinstance(target.value, dict | list):
            self.aliased.append((path, where, target.value))
        self.add(target.value, target.size, path)

    # --- after the document ---------------------------------------------------------------

    def check_size(self) -> None:
        """Refuse a document whose aliases expand it past MAX_NODES, pointing at the anchor
        that is expanded most."""
        total = self.root_size
        if total <= MAX_NODES:
            return
        used = [a for a in self.anchors.values() if a.uses > 1]
        worst = max(used, key=lambda a: a.size * a.uses)
        message = (
            f"the document expands to {total:,} nodes through its aliases (at most "
            f"{MAX_NODES:,}); this anchor is used {worst.uses:,} times"
        )
        raise self.error(worst.mark, message)

    def locate(self, path: PathKey, where: Location, value: Any) -> None:
        """Every node of an alias's copy at `path` is where the alias is."""
        pending = [(path, value)]
        values, keys = self.spec.values, self.spec.keys
        while pending:
            at, node = pending.pop()
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, item in items:
                values[(*at, key)] = where
                if isinstance(node, dict):
                    keys[(*at, key)] = where
                if isinstance(item, dict | list):
                    pending.append(((*at, key), item))
