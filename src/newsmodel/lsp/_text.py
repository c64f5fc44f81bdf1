"""Text positions as the protocol counts them: lines and code units, and incremental changes.

LSP lines end at ``\\n``, ``\\r\\n`` or ``\\r`` (not at the other characters ``str.splitlines``
breaks on, such as U+2028); a column is counted in UTF-16 code units unless the client and the
server agreed on UTF-8 or UTF-32. :class:`TextIndex` converts between those positions and
offsets into the text (code points), and never raises for a position past the end: it is
clamped to the nearest position that exists.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["TextIndex", "apply_change"]

_BREAK = re.compile(r"\r\n|\r|\n")


def _units(text: str, encoding: str) -> int:
    """How many code units ``text`` is in ``encoding`` (``utf-8``, ``utf-16``, ``utf-32``)."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if c > "\uffff")


def _column(line: str, units: int, encoding: str) -> int:
    """The code point column of the code unit column ``units`` of ``line`` (clamped)."""
    if units <= 0:
        return 0
    if encoding == "utf-32" or line.isascii():
        return min(units, len(line))
    count = 0
    for i, c in enumerate(line):
        if count >= units:
            return i
        if encoding == "utf-8":
            count += len(c.encode("utf-8", "surrogatepass"))
        else:
            count += 2 if c > "\uffff" else 1
    return len(line)


def _line_starts(text: str) -> list[int]:
    """The offset where each line starts (a line break is LF, CRLF or a lone CR)."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):  # lone CRs: the slow way
        return [0, *(m.end() for m in _BREAK.finditer(text))]
    starts = [0]
    at = 0
    for line in text.split("\n")[:-1]:  # str.split is C: ten times the regex's speed
        at += len(line) + 1
        starts.append(at)
    return starts


class TextIndex:
    """Where each line of a text starts, to convert positions and offsets both ways."""

    __slots__ = ("encoding", "starts", "text")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self.starts = _line_starts(text)

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """The text of ``line`` without its line break (``""`` past the end)."""
        if not 0 <= line < len(self.starts):
            return ""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP position (clamped to the text)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        text = self.line_text(line)
        return self.starts[line] + _column(text, character, self.encoding)

    def offset_of_column(self, line: int, column: int) -> int:
        """The offset of a 0-based line and code point column (clamped to the line)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + max(0, min(column, len(self.line_text(line))))

    def position(self, offset: int) -> tuple[int, int]:
        """The LSP ``(line, character)`` of an offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        text = self.line_text(line)
        column = min(offset - start, len(text))
        return line, _units(text[:column], self.encoding)

    def column(self, line: int, character: int) -> int:
        """The code point column of an LSP position on its line (clamped)."""
        return _column(self.line_text(line), character, self.encoding)


def apply_change(
    text: str, start: tuple[int, int], end: tuple[int, int], new: str, encoding: str
) -> str:
    """``text`` with the range from ``start`` to ``end`` (LSP positions) replaced by ``new``."""
    index = TextIndex(text, encoding)
    a = index.offset(*start)
    b = index.offset(*end)
    if b < a:
        a, b = b, a
    return text[:a] + new + text[b:]
