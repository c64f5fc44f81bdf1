"""The parsed front matter: a small tree of nodes that remember where they stand.

Both parsers (the fast line parser and the ruamel.yaml event parser) build this same tree.
Lines are 0-based indexes into the front matter's lines; columns are 0-based; ``start`` and
``end`` are character offsets into the front matter text. :mod:`newsmodel.yamlio` turns them into
1-based file positions for problems.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Entry", "Item", "MappingNode", "Node", "ScalarNode", "SequenceNode"]


class ScalarNode:
    """A scalar: its Python value, its source text and its quoting style.

    ``style`` is ``""`` (plain), ``'"'``, ``"'"``, ``"|"`` or ``">"``; ``tag`` is the short
    resolved tag (``str``, ``int``, ``float``, ``bool``, ``null``, ``timestamp``).
    """

    __slots__ = ("column", "end", "end_line", "line", "start", "style", "tag", "value")
    kind = "scalar"

    def __init__(
        self,
        value: Any,
        tag: str,
        style: str,
        start: int,
        end: int,
        line: int,
        column: int,
        end_line: int,
    ) -> None:
        self.value = value
        self.tag = tag
        self.style = style
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.end_line = end_line

    @property
    def last_line(self) -> int:
        return self.end_line

    def plain(self) -> Any:
        return self.value

    def __repr__(self) -> str:
        return f"ScalarNode({self.value!r}, {self.tag}, style={self.style!r}, line={self.line})"


class Entry:
    """One ``key: value`` of a mapping."""

    __slots__ = ("key", "key_column", "key_line", "value")

    def __init__(self, key: str, key_line: int, key_column: int, value: Node) -> None:
        self.key = key
        self.key_line = key_line
        self.key_column = key_column
        self.value = value

    @property
    def last_line(self) -> int:
        return max(self.key_line, self.value.last_line)


class Item:
    """One ``- value`` of a sequence."""

    __slots__ = ("column", "line", "value")

    def __init__(self, line: int, column: int, value: Node) -> None:
        self.line = line
        self.column = column
        self.value = value

    @property
    def last_line(self) -> int:
        return max(self.line, self.value.last_line)


class MappingNode:
    """A mapping; ``flow`` is true for ``{...}``. Duplicate keys keep their first entry."""

    __slots__ = ("column", "data", "end", "end_line", "entries", "flow", "index", "line", "start")
    kind = "mapping"

    def __init__(self, line: int, column: int, flow: bool = False) -> None:
        self.line = line
        self.column = column
        self.flow = flow
        self.entries: list[Entry] = []
        self.index: dict[str, Entry] = {}
        self.data: dict[str, Any] = {}
        self.end_line = line
        self.start = self.end = -1  # character offsets of a flow mapping's braces

    @property
    def last_line(self) -> int:
        if self.flow or not self.entries:
            return self.end_line
        return self.entries[-1].last_line

    def get(self, key: str) -> Node | None:
        entry = self.index.get(key)
        return None if entry is None else entry.value

    def add(self, entry: Entry) -> None:
        """Append an entry; the first of duplicate keys is the one indexed."""
        self.entries.append(entry)
        if entry.key not in self.index:
            self.index[entry.key] = entry
            value = entry.value
            self.data[entry.key] = value.value if isinstance(value, ScalarNode) else value.data

    def plain(self) -> dict[str, Any]:
        """The plain data (built while parsing and shared: treat it as read-only)."""
        return self.data

    def __repr__(self) -> str:
        return f"MappingNode({[e.key for e in self.entries]}, line={self.line})"


class SequenceNode:
    """A sequence; ``flow`` is true for ``[...]``."""

    __slots__ = ("column", "data", "end", "end_line", "flow", "items", "line", "start")
    kind = "sequence"

    def __init__(self, line: int, column: int, flow: bool = False) -> None:
        self.line = line
        self.column = column
        self.flow = flow
        self.items: list[Item] = []
        self.data: list[Any] = []
        self.end_line = line
        self.start = self.end = -1  # character offsets of a flow sequence's brackets

    @property
    def last_line(self) -> int:
        if self.flow or not self.items:
            return self.end_line
        return self.items[-1].last_line

    def add(self, item: Item) -> None:
        self.items.append(item)
        value = item.value
        self.data.append(value.value if isinstance(value, ScalarNode) else value.data)

    def plain(self) -> list[Any]:
        """The plain data (built while parsing and shared: treat it as read-only)."""
        return self.data

    def __repr__(self) -> str:
        return f"SequenceNode({len(self.items)} items, line={self.line})"


Node = ScalarNode | MappingNode | SequenceNode
