"""What a rule is: a small class with a code, a severity, a docstring and a ``check`` method."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from ..model import Article
from ..problems import Problem, Severity
from ..yamlio import MappingNode, Node, ScalarNode, SequenceNode, locate, node_at, pointer

__all__ = ["RULES", "Context", "PathPart", "Rule", "register"]

PathPart = str | int
_Index = dict[tuple[PathPart | None, ...], list[tuple[tuple[PathPart, ...], Node]]]


class Context:
    """What a rule sees of one file: the located tree, the article (if it structured), ``now``."""

    __slots__ = ("_index", "article", "cache", "file", "now", "root")

    def __init__(
        self,
        root: MappingNode,
        article: Article | None,
        now: dt.datetime,
        file: str | None = None,
    ) -> None:
        self.root = root
        self.article = article
        self.now = now
        self.file = file
        self.cache: dict[str, Any] = {}
        """Computations shared by several rules for this file (keyed by a name of the rule module)."""
        self._index: _Index | None = None

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
        index = self._index
        if index is None:
            index = self._index = _index(self.root)
        return iter(index.get(tuple(pattern), ()))

    def problem(
        self,
        rule: Rule,
        message: str,
        path: Sequence[PathPart],
        *,
        hint: str | None = None,
        key: bool = False,
        severity: Severity | None = None,
        code: str | None = None,
    ) -> Problem:
        """A located problem: at the value at ``path`` (at its key with ``key=True``)."""
        line, column = locate(self.root, path, key=key)
        return Problem(
            code=code or rule.code,
            severity=severity or rule.severity,
            message=message,
            pointer=pointer(path),
            line=line,
            column=column,
            hint=hint,
            file=self.file,
        )


def _index(root: MappingNode) -> _Index:
    """Every node of the tree by its pattern (list indexes as ``None``), in document order.

    Built once per file by one walk, so that rules can ask for many patterns cheaply.
    """
    index: _Index = {}

    def visit(node: Node, path: tuple[PathPart, ...], pattern: tuple[PathPart | None, ...]) -> None:
        found = index.get(pattern)
        if found is None:
            index[pattern] = [(path, node)]
        else:
            found.append((path, node))
        if isinstance(node, MappingNode):
            for key, entry in node.index.items():
                visit(entry.value, (*path, key), (*pattern, key))
        elif isinstance(node, SequenceNode):
            sub = (*pattern, None)
            for i, item in enumerate(node.items):
                visit(item.value, (*path, i), sub)

    visit(root, (), ())
    return index


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
    """Class decorator: add one instance of the rule to :data:`RULES`."""
    RULES.append(cls())
    return cls
