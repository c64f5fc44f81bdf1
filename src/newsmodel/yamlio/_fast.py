"""The fast path: a line parser for the block-style YAML that article files are written in.

It accepts block mappings and sequences, plain, single- and double-quoted scalars on one line,
comments and blank lines. At the first thing it does not handle for certain (flow collections,
block scalars, multi-line scalars, anchors, tags, unusual numbers, tabs...) it gives up and the
caller parses the text with ruamel.yaml instead, so the tree it builds is always the one the
ruamel.yaml path would build. A test holds the two paths equal over the corpus.
"""

from __future__ import annotations

import re
from itertools import accumulate

from ._nodes import Entry, Item, MappingNode, Node, ScalarNode, SequenceNode
from ._scalars import resolve_plain

__all__ = ["GiveUp", "parse_fast"]


class GiveUp(Exception):
    """The fast path does not handle this text; use the ruamel.yaml path."""


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.\-/]*(?: +[A-Za-z0-9_.\-/]+)*) *:(?: +|$)")
# A key and, in the commonest case, a double-quoted value with no escape that ends the line.
_ENTRY = re.compile(
    r"([A-Za-z_][A-Za-z0-9_.\-/]*(?: +[A-Za-z0-9_.\-/]+)*) *:(?:$| +(?:\"([^\"\\\\]*)\"$)?)"
)
# Anything but LF, CR, printable ASCII and printable non-ASCII (NEL and the Unicode line
# separators included, which YAML may read as line breaks) sends the text to ruamel.yaml.
_UNSAFE = re.compile(
    "[^\\x0a\\x0d\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]"
)
_CONTROL = re.compile("[\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f]")
_DQ_SPECIAL = re.compile(r'["\\]')
_DQ_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_LEN = {"x": 2, "u": 4, "U": 8}
_HEX = re.compile(r"[0-9A-Fa-f]+")
_PLAIN_START_BAD = frozenset("[]{}#&*!|>'\"%@`,")
_GOOD_KEYS: set[str] = set()


def parse_fast(front: str) -> Node | None:
    """Parse the front matter text; ``None`` for an empty one. Raises :class:`GiveUp`."""
    if "\t" in front:
        raise GiveUp
    # isprintable() is False for any control, separator or unassigned character; only then is
    # the exact (slower) test needed.
    if not front.replace("\n", "").replace("\r", "").isprintable() and (
        _CONTROL if front.isascii() else _UNSAFE
    ).search(front):
        raise GiveUp
    return _Parser(front).parse()


# Lines repeat across the files of a site (``type: video``, ``    width: 50``, ``  - AI``), so
# what a line says is memoised, by its text: a hit costs one dict look-up instead of a regex
# and a scalar resolution. Positions are relative to the line; bounded in size.
_ENTRIES: dict[str, tuple[object, ...]] = {}
_ITEMS: dict[str, tuple[object, ...]] = {}
_MEMO_SIZE = 50_000


def _entry(line: str, col: int) -> tuple[object, ...]:
    """What a ``key: ...`` line at ``col`` says.

    ``(key, k)`` for a key with nothing after it (a nested block or null; ``k`` is where the
    value would start), or ``(key, value, tag, style, start, end)`` for an inline scalar.
    """
    m = _ENTRY.match(line, col)
    if m is None:
        raise GiveUp
    key, quoted = m.groups()
    if key not in _GOOD_KEYS:
        if resolve_plain(key) != ("str", key):
            raise GiveUp
        if len(_GOOD_KEYS) < 4096:
            _GOOD_KEYS.add(key)
    k = m.end()
    if quoted is not None:
        return (key, quoted, "str", '"', k - len(quoted) - 2, k)
    if k == len(line) or line[k] == "#":  # ``_ENTRY`` ends at the line's end or after a space
        return (key, k)
    return (key, *_scalar(line, k))


def _item(line: str, col: int) -> tuple[object, ...]:
    """What a ``- ...`` line at ``col`` says: ``(k,)`` for a block or null value after the dash,
    ``(k, None)`` for a ``- key: value`` mapping, or ``(value, tag, style, start, end)``."""
    k = col + 1
    n = len(line)
    while k < n and line[k] == " ":
        k += 1
    if k == n or line[k] == "#":  # callers pass only ``-`` followed by a space or the end
        return (k,)
    if line[k] == "-" and (k + 1 == n or line[k + 1] == " "):
        raise GiveUp
    if _KEY.match(line, k):
        return (k, None)
    return _scalar(line, k)


def _scalar(line: str, k: int) -> tuple[object, str, str, int, int]:
    """A scalar that starts at ``k`` and ends its line: ``(value, tag, style, start, end)``."""
    c = line[k]
    if c == '"':
        q = line.find('"', k + 1)
        if q == len(line) - 1 and "\\" not in line[k:q]:
            return (line[k + 1 : q], "str", '"', k, q + 1)
        end, value = _double(line, k)
        tag = "str"
        style = '"'
    elif c == "'":
        end = k + 1
        while True:
            q = line.find("'", end)
            if q < 0:
                raise GiveUp
            if q + 1 < len(line) and line[q + 1] == "'":
                end = q + 2
                continue
            end = q + 1
            break
        value = line[k + 1 : end - 1].replace("''", "'")
        tag = "str"
        style = "'"
    else:
        if c in _PLAIN_START_BAD or (c in "-?:" and (k + 1 == len(line) or line[k + 1] == " ")):
            raise GiveUp
        end = line.find(" #", k)
        if end < 0:
            end = len(line)
        text = line[k:end].rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise GiveUp
        resolved = resolve_plain(text)
        if resolved is None:
            raise GiveUp
        return (resolved[1], resolved[0], "", k, k + len(text))
    rest = line[end:]
    if rest:
        stripped = rest.lstrip(" ")
        if stripped and (stripped[0] != "#" or stripped == rest):
            raise GiveUp
    return (value, tag, style, k, end)


def _memo(table: dict[str, tuple[object, ...]], line: str, info: tuple[object, ...]) -> None:
    if len(table) >= _MEMO_SIZE:
        table.clear()
    table[line] = info


class _Parser:
    __slots__ = ("indents", "lines", "n", "pos", "sig", "starts")

    def __init__(self, front: str) -> None:
        lines = front.splitlines()
        width = 2 if "\r" in front else 1
        if width == 2 and front.count("\n") != front.count("\r\n"):
            raise GiveUp
        stripped = [line.lstrip(" ") for line in lines]
        self.lines = lines
        self.starts = list(accumulate([len(line) + width for line in lines], initial=0))
        self.indents = [len(a) - len(b) for a, b in zip(lines, stripped, strict=True)]
        self.sig = sig = [i for i, b in enumerate(stripped) if b and b[0] != "#"]
        self.n = len(sig)
        self.pos = 0

    def parse(self) -> Node | None:
        if not self.n:
            return None
        first = self.sig[0]
        line = self.lines[first]
        if line.startswith(("%", "---", "...")):
            raise GiveUp
        node = self.block(self.indents[first])
        if self.pos != self.n:
            raise GiveUp
        return node

    # -- blocks ----------------------------------------------------------------------------

    def block(self, col: int) -> Node:
        i = self.sig[self.pos]
        line = self.lines[i]
        if line[col] == "-" and (len(line) == col + 1 or line[col + 1] == " "):
            return self.sequence(col)
        return self.mapping(col, i)

    def mapping(self, col: int, first: int) -> MappingNode:
        node = MappingNode(first, col)
        lines, indents, sig, starts = self.lines, self.indents, self.sig, self.starts
        entries = node.entries
        index = node.index
        data = node.data
        memo = _ENTRIES
        n = self.n
        pos = self.pos
        while pos < n:
            i = sig[pos]
            ind = indents[i]
            if ind != col and i != first:
                if ind > col:
                    raise GiveUp
                break
            line = lines[i]
            info = memo.get(line) if ind == col else None
            if info is None:
                info = _entry(line, col)
                if ind == col:
                    _memo(memo, line, info)
            pos += 1
            key: str = info[0]  # type: ignore[assignment]
            value: Node
            if len(info) == 2:
                self.pos = pos
                value = self.nested(col, i, info[1], allow_same=True)  # type: ignore[arg-type]
                pos = self.pos
                data_value = value.value if value.__class__ is ScalarNode else value.data  # type: ignore[union-attr]
            else:
                _, data_value, tag, style, s, e = info
                base = starts[i]
                value = ScalarNode(data_value, tag, style, base + s, base + e, i, s, i)  # type: ignore[arg-type, operator]
                if pos < n and indents[sig[pos]] > col:
                    raise GiveUp
            if key in index:  # duplicate keys: the ruamel.yaml path reports them
                raise GiveUp
            entry = Entry(key, i, col, value)
            entries.append(entry)
            index[key] = entry
            data[key] = data_value
        self.pos = pos
        return node

    def sequence(self, col: int) -> SequenceNode:
        lines, indents, sig, starts = self.lines, self.indents, self.sig, self.starts
        node = SequenceNode(sig[self.pos], col)
        items = node.items
        data = node.data
        memo = _ITEMS
        n = self.n
        pos = self.pos
        while pos < n:
            i = sig[pos]
            line = lines[i]
            ind = indents[i]
            if ind != col:
                if ind > col:
                    raise GiveUp
                break
            if line[col] != "-" or not (len(line) == col + 1 or line[col + 1] == " "):
                break
            info = memo.get(line)
            if info is None:
                info = _item(line, col)
                _memo(memo, line, info)
            value: Node
            if len(info) == 1:
                self.pos = pos + 1
                value = self.nested(col, i, info[0], allow_same=False)  # type: ignore[arg-type]
                pos = self.pos
                data_value = value.value if value.__class__ is ScalarNode else value.data  # type: ignore[union-attr]
            elif len(info) == 2:
                self.pos = pos
                value = self.mapping(info[0], i)  # type: ignore[arg-type]
                pos = self.pos
                data_value = value.data
            else:
                data_value, tag, style, s, e = info
                base = starts[i]
                value = ScalarNode(data_value, tag, style, base + s, base + e, i, s, i)  # type: ignore[arg-type, operator]
                pos += 1
                if pos < n and indents[sig[pos]] > col:
                    raise GiveUp
            items.append(Item(i, col, value))
            data.append(data_value)
        self.pos = pos
        return node

    def nested(self, col: int, i: int, k: int, *, allow_same: bool) -> Node:
        """The value of ``key:`` or ``-`` with nothing after it on its line."""
        if self.pos < self.n:
            j = self.sig[self.pos]
            ind = self.indents[j]
            if ind > col:
                return self.block(ind)
            if allow_same and ind == col:
                line = self.lines[j]
                if line[col] == "-" and (len(line) == col + 1 or line[col + 1] == " "):
                    return self.sequence(col)
        # An empty value: null, placed right after the indicator, as ruamel.yaml places it.
        start = self.starts[i] + k
        return ScalarNode(None, "null", "", start, start, i, k, i)


def _double(line: str, k: int) -> tuple[int, str]:
    """Read a double-quoted scalar that closes on its line: ``(end, value)``."""
    parts: list[str] = []
    pos = k + 1
    while True:
        m = _DQ_SPECIAL.search(line, pos)
        if m is None:
            raise GiveUp
        j = m.start()
        parts.append(line[pos:j])
        if line[j] == '"':
            return j + 1, "".join(parts)
        if j + 1 >= len(line):
            raise GiveUp
        esc = line[j + 1]
        simple = _DQ_ESCAPES.get(esc)
        if simple is not None:
            parts.append(simple)
            pos = j + 2
            continue
        width = _HEX_LEN.get(esc)
        if width is None:
            raise GiveUp
        digits = line[j + 2 : j + 2 + width]
        if len(digits) != width or not _HEX.fullmatch(digits):
            raise GiveUp
        code = int(digits, 16)
        if code > 0x10FFFF:
            raise GiveUp
        parts.append(chr(code))
        pos = j + 2 + width
