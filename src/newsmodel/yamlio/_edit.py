"""Write an edited model back into its front matter, changing only the lines that changed.

The edit is a diff of two plain trees, the article as loaded and the article now (both from
:func:`newsmodel.unstructure`), applied to the located node tree of the file:

* a changed scalar is rewritten in place, in the style it had (quoting kept);
* a removed key or list item loses its own lines (and one blank line where it stood between two);
* a new key is inserted at its usual place in the format's key order, with the file's indentation;
* lists are diffed item by item, so appending or removing touches only those items' lines;
* anything the tree cannot edit in place (a flow collection, a block scalar) is rewritten as
  one block entry.

New text is rendered in the style of the reference article: two-space mappings, sequences
indented under their key, double-quoted text, plain names, numbers, booleans and timestamps.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ._nodes import Entry, Item, MappingNode, Node, SequenceNode
from ._scalars import block_literal, double_quoted, emit_key, emit_scalar, is_plain_safe

__all__ = ["Layout", "apply_edit", "render_front", "same"]

# Keys whose text values are written plain where that reads back the same (as in the seed).
PLAIN_KEYS = frozenset({"category", "type", "name", "domain", "price", "length"})
PLAIN_ITEMS = frozenset({"topics", "levels"})
# Top-level keys that the reference article sets apart with a blank line.
SECTION_KEYS = frozenset(
    {"featuredContent", "actions", "provider", "levels", "topics", "images", "related", "secured"}
)


@attrs.frozen
class Layout:
    """How a file indents: mapping indent and the offset of ``-`` under its key."""

    map_indent: int = 2
    seq_offset: int = 2
    newline: str = "\n"


def same(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are written the same: ``true`` is not ``1``, ``1`` is not ``1.0``
    nor ``"1"``, a timestamp's offset counts (not only its instant), and NaN is NaN."""
    if a is b:
        return True
    kind = type(a)
    if kind is type(b) and (kind is str or kind is int or kind is bool):
        return bool(a == b)
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return _kind(a) is _kind(b) and a == b


def _kind(value: Any) -> type:
    """The type that decides how a value is written (a ``str`` subclass is written as text)."""
    for base in (bool, int, float, str, dt.datetime, dt.date):
        if isinstance(value, base):
            return base
    return type(value)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return ("d", tuple((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("l", tuple(_freeze(v) for v in value))
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    if isinstance(value, dt.datetime):
        return ("t", value.isoformat())
    return (_kind(value).__name__, value)


# -- rendering new text ----------------------------------------------------------------------


def _style(key: str | None, in_list_of: str | None) -> str:
    if key in PLAIN_KEYS or in_list_of in PLAIN_ITEMS:
        return ""
    return '"'


def _render_entry(key: str, value: Any, col: int, layout: Layout) -> list[str]:
    pad = " " * col
    name = emit_key(key)
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{name}: {{}}"]
        return [f"{pad}{name}:", *_render_mapping(value, col + layout.map_indent, layout)]
    if isinstance(value, list):
        if not value:
            return [f"{pad}{name}: []"]
        return [f"{pad}{name}:", *_render_sequence(value, col + layout.seq_offset, layout, key)]
    return [f"{pad}{name}: {emit_scalar(value, _style(key, None))}"]


def _render_flow(value: Any, key: str | None, list_key: str | None = None) -> str:
    """A value on one line in flow style (``[a, b]``, ``{k: v}``), strings quoted as in block
    style (double quotes unless plain is the usual style of the key and is plain here too)."""
    if isinstance(value, dict):
        inner = ", ".join(f"{_flow_key(k)}: {_render_flow(v, k)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_render_flow(v, None, key) for v in value) + "]"
    style = _style(key, list_key)
    if isinstance(value, str) and not (style == "" and _flow_plain(value)):
        style = '"'
    return emit_scalar(value, style)


def _flow_key(key: str) -> str:
    """A key inside ``{...}``: plain only where flow style reads it back the same (no ``,``,
    brackets or braces, which end or open a flow collection)."""
    return key if _flow_plain(key) and key[0] not in "-?" else double_quoted(key)


def _flow_plain(text: str) -> bool:
    return is_plain_safe(text) and not any(c in text for c in ",[]{}:?")


def _render_mapping(value: Mapping[str, Any], col: int, layout: Layout) -> list[str]:
    lines: list[str] = []
    for k, v in value.items():
        lines.extend(_render_entry(k, v, col, layout))
    return lines


def _render_item(value: Any, col: int, layout: Layout, list_key: str | None) -> list[str]:
    pad = " " * col
    if isinstance(value, dict) and value:
        lines = _render_mapping(value, col + 2, layout)
    elif isinstance(value, list) and value:
        lines = _render_sequence(value, col + 2, layout, None)
    elif isinstance(value, dict):
        return [f"{pad}- {{}}"]
    elif isinstance(value, list):
        return [f"{pad}- []"]
    else:
        return [f"{pad}- {emit_scalar(value, _style(None, list_key))}"]
    lines[0] = f"{pad}- {lines[0][col + 2 :]}"
    return lines


def _render_sequence(
    value: Sequence[Any], col: int, layout: Layout, list_key: str | None
) -> list[str]:
    lines: list[str] = []
    for item in value:
        lines.extend(_render_item(item, col, layout, list_key))
    return lines


def render_front(data: Mapping[str, Any], layout: Layout = Layout()) -> str:
    """A whole front matter in the reference style, sections set apart by blank lines."""
    lines: list[str] = []
    for key, value in data.items():
        section = key in SECTION_KEYS
        if lines and section and lines[-1] != "":
            lines.append("")
        lines.extend(_render_entry(key, value, 0, layout))
        if section:
            lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    nl = layout.newline
    return "".join(line + nl for line in lines)


# -- editing in place --------------------------------------------------------------------------


class _Editor:
    def __init__(self, front: str, root: MappingNode, layout: Layout) -> None:
        self.front = front
        self.root = root
        self.layout = layout
        self.lines = front.splitlines(keepends=True)
        self.starts: list[int] = []
        pos = 0
        for line in self.lines:
            self.starts.append(pos)
            pos += len(line)
        self.starts.append(pos)
        self.ops: list[tuple[int, int, int, int, str]] = []  # start, kind, seq, end, text
        self.separated: set[int] = set()  # lines after which a blank line was inserted
        self.keeps: set[int] | None = None
        self.cut: set[int] = set()  # lines deleted so far

    # -- primitive operations
    def _op(self, start: int, end: int, text: str, insert: bool = False) -> None:
        self.ops.append((start, 0 if insert else 1, len(self.ops), end, text))

    def _blank(self, i: int) -> bool:
        return 0 <= i < len(self.lines) and not self.lines[i].strip()

    def _text(self, lines: list[str]) -> str:
        nl = self.layout.newline
        return "".join(line + nl for line in lines)

    def _owned(self, first: int, last: int) -> int:
        """``last``, moved over the comment lines after it that are indented deeper than line
        ``first``: they belong to what goes. Left behind, a block scalar before them (``>``)
        would read them as its text."""
        line = self.lines[first]
        col = len(line) - len(line.lstrip(" "))
        end = last
        i = last + 1
        while i < len(self.lines):
            text = self.lines[i]
            stripped = text.strip()
            if stripped.startswith("#") and len(text) - len(text.lstrip(" ")) > col:
                end = i
            elif stripped:
                break
            i += 1
        return end

    def _keep_ends(self) -> set[int]:
        """The last lines of the kept block scalars (``|+``, ``>+``): blank lines after them are
        their text, so what follows one must not leave other blank lines next to it."""
        if self.keeps is None:
            self.keeps = set()
            stack: list[Node] = [self.root]
            while stack:
                node = stack.pop()
                if isinstance(node, MappingNode):
                    stack.extend(e.value for e in node.entries)
                elif isinstance(node, SequenceNode):
                    stack.extend(i.value for i in node.items)
                elif node.style in ("|", ">"):
                    header = self.front[node.start : self.front.find("\n", node.start)]
                    if "+" in header.split("#", 1)[0]:
                        self.keeps.add(node.end_line)
        return self.keeps

    def delete_lines(self, first: int, last: int, *, tidy: bool) -> None:
        last = self._owned(first, last)
        before = first - 1
        while before in self.cut:  # lines that go already: look past them
            before -= 1
        if before in self._keep_ends():  # the blank lines after it would join the block
            while self._blank(last + 1):
                last += 1
            tidy = False
        if tidy and (first == 0 or self._blank(first - 1)) and self._blank(last + 1):
            last += 1
        elif tidy and last + 1 >= len(self.lines) and self._blank(first - 1):
            first -= 1  # the last key goes: so does the blank line that set it apart
        self.cut.update(range(first, last + 1))
        self._op(self.starts[first], self.starts[min(last + 1, len(self.lines))], "")

    def replace_lines(self, first: int, last: int, lines: list[str]) -> None:
        last = self._owned(first, last)
        end = self.starts[min(last + 1, len(self.lines))]
        self._op(self.starts[first], end, self._text(lines))

    def insert_lines(self, before: int, lines: list[str]) -> None:
        before = min(before, len(self.lines))
        if before == len(self.lines) and self.lines and not self.lines[-1].endswith("\n"):
            # the last line has no newline: give it one, then add ours without the final one
            self._op(self.starts[before], self.starts[before], self.layout.newline, insert=True)
        self._op(self.starts[before], self.starts[before], self._text(lines), insert=True)

    def result(self) -> str:
        """The front matter with every operation applied. Two deletions may claim the same
        blank line (the entries on both sides of it go): they are merged into one. Any other
        overlap has no single meaning: the mapping is then written anew (:class:`_Rewrite`)."""
        ops: list[tuple[int, int, int, int, str]] = []
        cut = -1  # the index in ``ops`` of the replacement that reaches furthest so far
        for op in sorted(self.ops):
            start, kind, _seq, end, new = op
            if cut >= 0 and start < ops[cut][3]:
                c_start, c_kind, c_seq, c_end, c_new = ops[cut]
                if not kind and start == c_start:
                    pass  # an insert right before a cut: no overlap
                elif kind and not new and not c_new and cut == len(ops) - 1:
                    end = max(end, c_end)  # two deletions: one
                    if end >= len(self.front):  # the last keys go: so does a blank line before
                        line = bisect.bisect_right(self.starts, c_start) - 1
                        before = self.starts[line - 1] if line > 0 else 0
                        free = all(o[3] <= before for o in ops[:cut])  # not cut already
                        if c_start == self.starts[line] and self._blank(line - 1) and free:
                            c_start = before
                    ops[cut] = (c_start, c_kind, c_seq, end, "")
                    continue
                else:  # overlapping rewrites, or an insert inside a cut
                    raise _Rewrite
            ops.append(op)
            if kind and (cut < 0 or end > ops[cut][3]):
                cut = len(ops) - 1
        text = self.front
        for start, _kind, _seq, end, new in reversed(ops):
            text = text[:start] + new + text[end:]
        return text

    # -- the diff
    def mapping(
        self,
        node: MappingNode,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        cls: Any,
        top: bool,
    ) -> None:
        ordered = set(getattr(cls, "KEYS", {}).values())
        file_order = [e.key for e in node.entries if e.key in new and e.key not in ordered]
        new_order = [k for k in new if k in node.index and k not in ordered]
        if file_order != new_order:  # keys moved: the mapping is written anew
            raise _Rewrite
        for key, old_value in old.items():
            entry = node.index.get(key)
            if entry is None:
                continue
            if key not in new:
                self.delete_lines(entry.key_line, entry.last_line, tidy=top or key in SECTION_KEYS)
            elif not same(old_value, new[key]):
                self.value(entry, key, entry.value, old_value, new[key], _field_model(cls, key))
        for key, new_value in new.items():
            if key in old:
                continue
            entry = node.index.get(key)
            if entry is not None:  # in the file, but not in the model (a null value)
                self.value(entry, key, entry.value, None, new_value, _field_model(cls, key))
            else:
                self.insert_entry(node, key, new_value, cls, top, new)

    def value(
        self,
        holder: Entry | Item,
        key: str | None,
        node: Node,
        old: Any,
        new: Any,
        cls: Any,
        list_key: str | None = None,
    ) -> None:
        mark = len(self.ops)
        if isinstance(node, MappingNode) and not node.flow and node.entries:
            if isinstance(old, dict) and isinstance(new, dict) and new:
                try:
                    self.mapping(node, old, new, cls, top=False)
                except _Rewrite:
                    del self.ops[mark:]
                else:
                    if self._kept_dash(holder, mark, node.entries[0].key_line):
                        return
        elif isinstance(node, SequenceNode) and not node.flow and node.items:
            if isinstance(old, list) and isinstance(new, list) and new:
                self.sequence(node, old, new, cls, key)
                if self._kept_dash(holder, mark, node.items[0].line):
                    return
        elif isinstance(node, (MappingNode, SequenceNode)):
            if node.start >= 0 and isinstance(new, (dict, list)):
                # a flow collection stays one on its line: comments around it are kept
                self._op(node.start, node.end, _render_flow(new, key, list_key))
                return
        elif (
            node.style in ("", '"', "'")
            and node.line == node.end_line
            and not isinstance(new, (dict, list))
        ):
            style = node.style if node.tag == "str" else _style(key, list_key)
            text = emit_scalar(new, style)
            if node.start == node.end:  # an empty value: after its ':' or '-', before a comment
                if node.start > 0 and self.front[node.start - 1] in ":-":
                    text = " " + text
                if self.front.startswith("#", node.start):
                    text += " "
            self._op(node.start, node.end, text)
            return
        elif node.style in ("|", ">") and isinstance(new, str):
            block = block_literal(new)
            if block is not None:  # a block scalar stays a literal block
                self._block(holder, block, list_key)
                return
        # rewrite the whole entry or item as a block
        if isinstance(holder, Entry):
            lines = _render_entry(holder.key, new, holder.key_column, self.layout)
            self.replace_lines(holder.key_line, holder.last_line, lines)
        else:
            lines = _render_item(new, holder.column, self.layout, list_key)
            self.replace_lines(holder.line, holder.last_line, lines)

    def _kept_dash(self, holder: Entry | Item, mark: int, first_line: int) -> bool:
        """Whether the edits since ``mark`` leave the ``- `` of a list item in place.

        A mapping or list that starts on its item's dash line (``- key: value``) loses the dash
        if its first line is removed or rewritten; then the edits are undone (``False``) and
        the caller rewrites the whole item."""
        if not isinstance(holder, Item) or first_line != holder.line:
            return True
        at = self.starts[holder.line]
        if all(op[0] != at for op in self.ops[mark:]):
            return True
        del self.ops[mark:]
        return False

    def _block(
        self, holder: Entry | Item, block: tuple[str, list[str]], list_key: str | None
    ) -> None:
        header, body = block
        if isinstance(holder, Entry):
            col = holder.key_column
            pad = " " * (col + self.layout.map_indent)
            first = f"{' ' * col}{emit_key(holder.key)}: {header}"
            line = holder.key_line
        else:
            col = holder.column
            pad = " " * (col + 2)
            first = f"{' ' * col}- {header}"
            line = holder.line
        lines = [first, *(pad + text if text else "" for text in body)]
        self.replace_lines(line, holder.last_line, lines)

    def sequence(
        self, node: SequenceNode, old: list[Any], new: list[Any], cls: Any, key: str | None
    ) -> None:
        items = node.items
        if len(items) != len(old):  # duplicate keys or other oddities: rewrite the list
            raise _Rewrite
        matcher = difflib.SequenceMatcher(
            None, [_freeze(v) for v in old], [_freeze(v) for v in new], autojunk=False
        )
        col = items[0].column
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    self.value(items[i], None, items[i].value, old[i], new[j], cls, key)
                continue
            if tag in ("replace", "delete"):
                self.delete_lines(items[i1].line, items[i2 - 1].last_line, tidy=False)
            if tag in ("replace", "insert"):
                lines: list[str] = []
                for value in new[j1:j2]:
                    lines.extend(_render_item(value, col, self.layout, key))
                last = items[-1]
                where = (
                    items[i1].line
                    if i1 < len(items)
                    else self._owned(last.line, last.last_line) + 1
                )
                self.insert_lines(where, lines)

    def insert_entry(
        self,
        node: MappingNode,
        key: str,
        value: Any,
        cls: Any,
        top: bool,
        new: Mapping[str, Any],
    ) -> None:
        col = node.entries[0].key_column if node.entries else node.column
        lines = _render_entry(key, value, col, self.layout)
        order = list(getattr(cls, "KEYS", {}).values())
        section = top and key in SECTION_KEYS
        if key in order:
            at = order.index(key)
            for before in reversed(order[:at]):
                entry = node.index.get(before) if before in new else None
                if entry is not None:
                    self._insert_after(entry, lines, section, top)
                    return
            for after in order[at + 1 :]:
                entry = node.index.get(after) if after in new else None
                if entry is not None:
                    if section and not self._blank(entry.key_line - 1) and entry.key_line > 0:
                        lines = ["", *lines]
                    if section or (top and entry.key in SECTION_KEYS):
                        lines = [*lines, ""]
                    self.insert_lines(entry.key_line, lines)
                    return
        else:  # a key the format does not order: before the key that follows it in ``new``
            names = list(new)
            for after in names[names.index(key) + 1 :]:
                entry = node.index.get(after)
                if entry is not None:
                    self.insert_lines(entry.key_line, lines)
                    return
        kept = [e for e in node.entries if e.key in new]
        if kept:
            self._insert_after(kept[-1], lines, section, top)
        else:
            final = node.entries[-1]
            self.insert_lines(self._owned(final.key_line, final.last_line) + 1, lines)

    def _insert_after(self, entry: Entry, lines: list[str], section: bool, top: bool) -> None:
        last = self._owned(entry.key_line, entry.last_line)  # after its comments
        after_section = top and entry.key in SECTION_KEYS and not self._blank(last + 1)
        # several plain keys inserted after one section share a single blank line
        if section or (after_section and last not in self.separated):
            lines = ["", *lines]
            self.separated.add(last)
        self.insert_lines(last + 1, lines)


class _Rewrite(Exception):
    pass


def _field_model(cls: Any, key: str) -> Any:
    """The model class of ``cls``'s field with file key ``key`` (through ``| None``, tuples)."""
    return getattr(cls, "SUBMODELS", {}).get(key)


def detect_layout(root: MappingNode, newline: str) -> Layout:
    """Read the file's indentation from its first nested mapping and block sequence."""
    map_indent, seq_offset = 2, 2
    found_map = found_seq = False
    stack: list[tuple[Entry, Node]] = [(e, e.value) for e in root.entries]
    while stack and not (found_map and found_seq):
        entry, node = stack.pop(0)
        if (
            isinstance(node, MappingNode)
            and not node.flow
            and node.entries
            and not found_map
            and node.entries[0].key_line > entry.key_line
        ):
            map_indent = node.entries[0].key_column - entry.key_column
            found_map = map_indent > 0
        if (
            isinstance(node, SequenceNode)
            and not node.flow
            and node.items
            and not found_seq
            and node.items[0].line > entry.key_line
        ):
            seq_offset = node.items[0].column - entry.key_column
            found_seq = seq_offset >= 0
        if isinstance(node, MappingNode):
            stack.extend((e, e.value) for e in node.entries)
        elif isinstance(node, SequenceNode):
            for item in node.items:
                if isinstance(item.value, MappingNode):
                    stack.extend((e, e.value) for e in item.value.entries)
    return Layout(map_indent if map_indent > 0 else 2, max(seq_offset, 0), newline)


def apply_edit(
    front: str,
    root: MappingNode,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    cls: Any,
    newline: str,
) -> str:
    """The front matter with ``old`` changed into ``new``, touching only what changed."""
    editor = _Editor(front, root, detect_layout(root, newline))
    try:
        editor.mapping(root, old, new, cls, top=True)
        return editor.result()
    except _Rewrite:  # keys moved in the top mapping, or a tree the model cannot describe
        return render_front(new, detect_layout(root, newline))
