"""Split a file's text into BOM, fences, front matter and body, keeping every byte."""

from __future__ import annotations

import re

from .. import codes
from ..problems import Problem

__all__ = ["Split", "split_text"]

_FENCE = re.compile(r"---[ \t]*(?:\r\n|\n|\Z)")
_LONE_CR = re.compile(r"\r(?!\n)")


class Split:
    """The parts of a front-matter file; ``"".join`` of them gives the text back."""

    __slots__ = ("body", "bom", "close_fence", "front", "newline", "open_fence")

    def __init__(
        self, bom: str, open_fence: str, front: str, close_fence: str, body: str, newline: str
    ) -> None:
        self.bom = bom
        self.open_fence = open_fence
        self.front = front
        self.close_fence = close_fence
        self.body = body
        self.newline = newline

    def text(self, front: str | None = None) -> str:
        return "".join(
            (
                self.bom,
                self.open_fence,
                self.front if front is None else front,
                self.close_fence,
                self.body,
            )
        )


def split_text(text: str) -> Split | Problem:
    """Split ``text``; a :class:`Problem` (line 1-based) says why it cannot be split."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    start = len(bom)
    m = _FENCE.match(text, start)
    if m is None and not text[start:].strip():
        return codes.NO_FRONT_MATTER.problem(
            message="The file is empty; expected a front matter between '---' lines.",
            line=1,
            column=1,
            hint="Start the file with a line '---', the YAML keys, and a closing '---' line.",
        )
    if m is None:
        first = text[start:].split("\n", 1)[0]
        if first.startswith("---") and "\r" in first.rstrip("\r"):
            return codes.CR_LINE_ENDINGS.problem(
                message="The file uses CR-only line endings; expected LF or CRLF.",
                line=1,
                column=4,
                hint="Convert the file's line endings to LF (or CRLF).",
            )
        return codes.NO_FRONT_MATTER.problem(
            message="The file does not start with a front matter fence '---'.",
            line=1,
            column=1,
            hint="Start the file with a line '---', the YAML keys, and a closing '---' line.",
        )
    open_fence = m.group(0)
    newline = "\r\n" if open_fence.endswith("\r\n") else "\n"
    if not open_fence.endswith("\n"):
        return _no_close(text)
    c = _close(text, m.end())
    if c is None:
        return _no_close(text)
    close_start, close_end = c
    front = text[m.end() : close_start]
    if "\r" in front:
        cr = _LONE_CR.search(front)
        if cr is not None:
            # YAML reads a lone CR as a line break, editors and tools mostly do not: lines
            # would not mean the same thing to the parser and to whoever reads the report.
            at = m.end() + cr.start()
            return codes.CR_LINE_ENDINGS.problem(
                message="The front matter has a CR-only line ending; expected LF or CRLF.",
                line=text.count("\n", 0, at) + 1,
                column=at - (text.rfind("\n", 0, at) + 1) + 1,
                hint="Convert the file's line endings to LF (or CRLF).",
            )
    return Split(bom, open_fence, front, text[close_start:close_end], text[close_end:], newline)


def _close(text: str, pos: int) -> tuple[int, int] | None:
    """Where the closing fence line starts and ends (``str.find`` is ten times faster than a
    multi-line regex search over the whole text)."""
    at = pos if text.startswith("---", pos) else text.find("\n---", pos) + 1
    while at > 0:
        m = _FENCE.match(text, at)
        if m is not None:
            return at, m.end()
        at = text.find("\n---", at) + 1
    return None


def _no_close(text: str) -> Problem:
    lines = text.count("\n") + 1
    return codes.UNCLOSED_FRONT_MATTER.problem(
        message="The front matter has no closing '---' line.",
        line=lines,
        column=1,
        hint="Add a line '---' after the last front matter key.",
    )
