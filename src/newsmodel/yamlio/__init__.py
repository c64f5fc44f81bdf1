"""YAML I/O: split a file, parse its front matter into a located tree, and edit it in place.

* :func:`parse_text` splits a file's text (:mod:`._split`), parses the front matter with the
  fast line parser (:mod:`._fast`) or, where that gives up, with ruamel.yaml (:mod:`._slow`),
  and returns a :class:`Parsed` with the tree and every problem found, located in the file.
* :func:`apply_edit` (:mod:`._edit`) writes an edited model back by changing only the lines
  that changed; :func:`render_front` writes a new front matter; :func:`check_writable` refuses
  what YAML cannot hold; :func:`emit_scalar` writes one scalar so that YAML 1.2 and YAML 1.1
  (PyYAML, Jekyll) read it back as the same value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import codes
from ..problems import Problem
from ._edit import Layout, apply_edit, render_front, same
from ._fast import parse_fast
from ._nodes import Entry, Item, MappingNode, Node, ScalarNode, SequenceNode
from ._scalars import InvalidTimestamp, Unwritable, check_writable, emit_scalar
from ._slow import MAX_DEPTH, parse_slow
from ._split import Split, split_text

__all__ = [
    "FRONT_LINE_OFFSET",
    "MAX_FRONT_MATTER_CHARS",
    "Entry",
    "InvalidTimestamp",
    "Item",
    "Layout",
    "MappingNode",
    "Node",
    "Parsed",
    "ScalarNode",
    "SequenceNode",
    "Split",
    "Unwritable",
    "apply_edit",
    "check_writable",
    "emit_scalar",
    "locate",
    "node_at",
    "parse_front",
    "parse_pointer",
    "parse_text",
    "pointer",
    "render_front",
    "same",
    "split_text",
]

MAX_FRONT_MATTER_CHARS = 262_144
"""The largest front matter read (in characters); a larger one is refused with NM011."""

FRONT_LINE_OFFSET = 2
"""Line 0 of the front matter is line 2 of the file (the opening ``---`` is line 1)."""

PathPart = str | int

# In the fast parser's tree each column of indentation adds two levels at most (a mapping and a
# sequence at the same column), so a front matter with no line indented 24 spaces nests 49 deep
# at most, within ``_slow.MAX_DEPTH``; only other ones have their depth measured.
_DEEP_INDENT = " " * 24  # a line indented this far may nest deeper than MAX_DEPTH allows


def _deep_indent(front: str) -> bool:
    """Whether a line of ``front`` starts with :data:`_DEEP_INDENT` (a substring search: a
    multi-line ``^`` regex tries every position of the text)."""
    return front.startswith(_DEEP_INDENT) or f"\n{_DEEP_INDENT}" in front


def _depth(root: Node) -> int:
    """How deep mappings and sequences nest under ``root`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ScalarNode):
            continue
        deepest = max(deepest, depth)
        children = (
            [e.value for e in node.entries]
            if isinstance(node, MappingNode)
            else [i.value for i in node.items]
        )
        stack.extend((child, depth + 1) for child in children)
    return deepest


class Parsed:
    """A parsed file: its parts, its front matter tree, and the problems met on the way."""

    __slots__ = ("fast", "problems", "root", "split")

    def __init__(
        self,
        split: Split | None,
        root: MappingNode | None,
        problems: list[Problem],
        fast: bool,
    ) -> None:
        self.split = split
        self.root = root
        self.problems = problems
        self.fast = fast

    @property
    def ok(self) -> bool:
        return self.root is not None and not any(p.is_error for p in self.problems)


def _shift(problem: Problem) -> Problem:
    from attrs import evolve

    return evolve(
        problem,
        line=(problem.line or 0) + FRONT_LINE_OFFSET,
        column=(problem.column or 0) + 1,
    )


def parse_front(front: str, *, force_slow: bool = False) -> tuple[Node | None, list[Problem], bool]:
    """Parse a front matter; positions in problems are 1-based file positions."""
    if len(front) > MAX_FRONT_MATTER_CHARS:
        return (
            None,
            [
                codes.TOO_LARGE.problem(
                    message=(
                        f"The front matter has {len(front):,} characters; "
                        f"at most {MAX_FRONT_MATTER_CHARS:,} are read."
                    ),
                    line=FRONT_LINE_OFFSET,
                    column=1,
                )
            ],
            False,
        )
    if not force_slow:
        try:
            root = parse_fast(front)
        except Exception:  # GiveUp; RecursionError (deep nesting); a bug: ruamel.yaml reads it
            pass
        else:
            # too deep: the ruamel.yaml path refuses it with a located NM011
            if root is None or not _deep_indent(front) or _depth(root) <= MAX_DEPTH:
                return root, [], True

    root, problems = parse_slow(front)
    return root, [_shift(p) for p in problems], False


def parse_text(text: str, *, force_slow: bool = False) -> Parsed:
    """Split and parse a whole file's text."""
    split = split_text(text)
    if isinstance(split, Problem):
        return Parsed(None, None, [split], True)
    root, problems, fast = parse_front(split.front, force_slow=force_slow)
    if root is None:
        if not problems:
            problems.append(
                codes.NOT_A_MAPPING.problem(
                    message=(
                        "The front matter is empty; expected a mapping of keys such as 'title'."
                    ),
                    line=1,
                    column=1,
                )
            )
        return Parsed(split, None, problems, fast)
    if not isinstance(root, MappingNode):
        what = "a list" if isinstance(root, SequenceNode) else "a single value"
        problems.append(
            codes.NOT_A_MAPPING.problem(
                message=f"The front matter is {what}; expected a mapping of keys such as 'title'.",
                line=root.line + FRONT_LINE_OFFSET,
                column=root.column + 1,
            )
        )
        return Parsed(split, None, problems, fast)
    if not fast:  # the fast path gives up on duplicate keys
        _duplicates(root, (), problems)
    return Parsed(split, root, problems, fast)


def _duplicates(node: Node, path: tuple[PathPart, ...], problems: list[Problem]) -> None:
    if isinstance(node, MappingNode):
        if len(node.index) != len(node.entries):
            seen: set[str] = set()
            for entry in node.entries:
                if entry.key in seen:
                    first = node.index[entry.key]
                    problems.append(
                        codes.DUPLICATE_KEY.problem(
                            message=(
                                f"The key {entry.key!r} appears more than once "
                                f"(first on line {first.key_line + FRONT_LINE_OFFSET})."
                            ),
                            pointer=pointer((*path, entry.key)),
                            line=entry.key_line + FRONT_LINE_OFFSET,
                            column=entry.key_column + 1,
                            hint="Keep one of them; the first one is the one read.",
                        )
                    )
                seen.add(entry.key)
        for entry in node.index.values():
            if not isinstance(entry.value, ScalarNode):
                _duplicates(entry.value, (*path, entry.key), problems)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.items):
            if not isinstance(item.value, ScalarNode):
                _duplicates(item.value, (*path, i), problems)


def pointer(path: Sequence[PathPart]) -> str:
    """``("images", 0, "url")`` -> ``$.images[0].url``."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            out.append(f"['{escaped}']")
    return "".join(out)


_POINTER_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def parse_pointer(text: str) -> tuple[PathPart, ...] | None:
    """The path of a pointer that :func:`pointer` made (``None`` for anything else).

    ``"$.images[0].url"`` -> ``("images", 0, "url")``.
    """
    if not text.startswith("$"):
        return None
    path: list[PathPart] = []
    pos = 1
    while pos < len(text):
        m = _POINTER_PART.match(text, pos)
        if m is None:
            return None
        name, index, quoted = m.groups()
        if index is not None:
            path.append(int(index))
        elif quoted is not None:
            path.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            path.append(name)
        pos = m.end()
    return tuple(path)


def node_at(root: Node | None, path: Sequence[PathPart]) -> Node | None:
    node = root
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            node = node.items[part].value if 0 <= part < len(node.items) else None
        else:
            return None
    return node


def locate(root: Node | None, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
    """The 1-based file position of the value at ``path`` (of its key, with ``key=True``).

    Where the path does not exist, the position of the deepest part that does: a missing key is
    reported at the mapping that lacks it.
    """
    node = root
    line, col = 0, 0
    if isinstance(root, (MappingNode, SequenceNode, ScalarNode)):
        line, col = root.line, root.column
    for n, part in enumerate(path):
        last = n == len(path) - 1
        if isinstance(node, MappingNode) and isinstance(part, str):
            entry = node.index.get(part)
            if entry is None:
                break
            if last and key:
                line, col = entry.key_line, entry.key_column
                break
            node = entry.value
            line, col = _node_pos(node, entry.key_line, entry.key_column)
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.items):
                break
            item = node.items[part]
            node = item.value
            line, col = _node_pos(node, item.line, item.column)
        else:
            break
    return line + FRONT_LINE_OFFSET, col + 1


def _node_pos(node: Node, line: int, col: int) -> tuple[int, int]:
    if isinstance(node, ScalarNode) or node.flow:
        return node.line, node.column
    if isinstance(node, MappingNode) and node.entries:
        return node.entries[0].key_line, node.entries[0].key_column
    if isinstance(node, SequenceNode) and node.items:
        return node.items[0].line, node.items[0].column
    return line, col
