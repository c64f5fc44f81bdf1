"""What a rule is: a small class with a code, a severity, a docstring and a ``check`` method."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, TypeVar

from .. import codes
from ..kinds import Kind
from ..model import Item
from ..problems import Problem, Severity
from ..yamlio import MappingNode, Node, ScalarNode, SequenceNode, locate, node_at, pointer

__all__ = [
    "NOTHING",
    "RULES",
    "Context",
    "PathPart",
    "Rule",
    "child",
    "register",
    "related_items",
]

PathPart = str | int
_T = TypeVar("_T")
_MISSING: Any = object()

NOTHING: tuple[Problem, ...] = ()
"""No problems: a rule that finds nothing returns ``iter(NOTHING)`` (cheaper than a generator)."""


class Context:
    """What a rule sees of one file: the located tree, the item (if it structured), ``now``,
    and the file's kind (:mod:`newsmodel.kinds`; ``None``: read as an article)."""

    __slots__ = ("_once", "_walks", "article", "cache", "file", "kind", "now", "root")

    def __init__(
        self,
        root: MappingNode,
        article: Item | None,
        now: dt.datetime,
        file: str | None = None,
        kind: Kind | None = None,
    ) -> None:
        self.root = root
        self.article = article
        self.now = now
        self.file = file
        self.kind = kind
        self.cache: dict[str, Any] = {}
        """Free for a rule's own use, per file (shared work is better done with :meth:`once`)."""
        self._once: dict[Callable[[Context], Any], Any] = {}
        self._walks: dict[tuple[PathPart | None, ...], list[tuple[tuple[PathPart, ...], Node]]] = {}

    def once(self, compute: Callable[[Context], _T]) -> _T:
        """``compute(self)``, computed once per file and shared by every rule that asks (the
        function itself is the key: no names to keep apart)."""
        found = self._once.get(compute, _MISSING)
        if found is _MISSING:  # not ``try``/``KeyError``: a miss per file would raise each time
            found = self._once[compute] = compute(self)
        return found  # type: ignore[no-any-return]

    def node(self, path: Sequence[PathPart]) -> Node | None:
        return node_at(self.root, path)

    def value(self, path: Sequence[PathPart], default: Any = None) -> Any:
        """The plain value at ``path`` (scalars only; ``default`` for collections or absence)."""
        node = node_at(self.root, path)
        return node.value if isinstance(node, ScalarNode) else default

    def walk(
        self, pattern: Sequence[PathPart | None]
    ) -> Iterator[tuple[tuple[PathPart, ...], Node]]:
        """Every node matching ``pattern``, where ``None`` stands for each item of a list.

        ``("related", None, "images", None, "url")`` yields each related image URL with its path.
        """
        key = tuple(pattern)
        walks = self._walks
        found = walks.get(key)
        if found is None:
            found = walks[key] = _walk(self.root, key)
        return iter(found)

    def problem(
        self,
        rule: Rule,
        message: str,
        path: Sequence[PathPart],
        *,
        hint: str | None = None,
        key: bool = False,
    ) -> Problem:
        """A problem of ``rule`` (its code and severity), located at the value at ``path`` (at
        its key with ``key=True``)."""
        line, column = locate(self.root, path, key=key)
        return Problem(
            code=rule.code,
            severity=rule.severity,
            message=message,
            pointer=pointer(path),
            line=line,
            column=column,
            hint=hint,
            file=self.file,
        )


def related_items(ctx: Context) -> Sequence[tuple[int, MappingNode]]:
    """Each ``related[]`` item that is a mapping, with its index (computed once per file)."""
    if "related" not in ctx.root.index:
        return ()
    return ctx.once(_related_items)


def _related_items(ctx: Context) -> list[tuple[int, MappingNode]]:
    seq = ctx.root.index["related"].value
    if not isinstance(seq, SequenceNode):
        return []
    return [
        (i, item.value) for i, item in enumerate(seq.items) if isinstance(item.value, MappingNode)
    ]


def _walk(
    root: Node, pattern: tuple[PathPart | None, ...]
) -> list[tuple[tuple[PathPart, ...], Node]]:
    """The nodes at ``pattern`` (``None`` for each item of a list), in document order."""
    current: list[tuple[tuple[PathPart, ...], Node]] = [((), root)]
    for head in pattern:
        found: list[tuple[tuple[PathPart, ...], Node]] = []
        for path, node in current:
            if head is None:
                if isinstance(node, SequenceNode):
                    found.extend(((*path, i), item.value) for i, item in enumerate(node.items))
            elif isinstance(node, MappingNode):
                entry = node.index.get(head)  # type: ignore[arg-type]
                if entry is not None:
                    found.append(((*path, head), entry.value))
        if not found:
            return found
        current = found
    return current


class Rule:
    """A semantic rule. Subclasses set ``code``, ``severity`` and ``name``, document the rule
    in their docstring (rationale, a failing and a passing example) and link the ``spec``."""

    code: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    name: ClassVar[str]
    spec: ClassVar[str] = ""

    def check(self, ctx: Context) -> Iterator[Problem]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield


RULES: list[Rule] = []


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add one instance of the rule to :data:`RULES` and its code to the
    registry of codes (:mod:`newsmodel.codes`); a code taken by another rule or by the reader
    is a :class:`ValueError`."""
    codes.register(codes.for_rule(cls.code, cls.name, cls.severity, cls.__doc__, cls.spec))
    RULES.append(cls())
    return cls


def child(node: Node | None, key: str) -> Node | None:
    """The value node of ``key`` in ``node`` if that is a mapping that has it, else ``None``."""
    if isinstance(node, MappingNode):
        entry = node.index.get(key)
        if entry is not None:
            return entry.value
    return None
