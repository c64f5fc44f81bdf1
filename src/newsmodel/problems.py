"""Problems: what is wrong in a file, where, and how to fix it.

Every error the library reports, raised or returned, is made of :class:`Problem` values, and one
function, :func:`format_problem`, turns them into the ``message @ $.path`` lines that the API,
the text report and the JSON report all share.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Problem", "Severity", "format_problem", "sort_key"]

Severity = Literal["error", "warning"]


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in a file.

    ``line`` and ``column`` are 1-based positions in the whole file (the opening ``---`` is
    line 1); they are ``None`` only where there is no file to point into (an :class:`Article`
    validated on its own).
    """

    code: str
    severity: Severity
    message: str
    pointer: str = "$"
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    file: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def format_problem(problem: Problem, *, location: bool = False) -> str:
    """Return ``message @ $.path`` (with ``file:line:column: CODE`` in front when asked)."""
    text = f"{problem.message} @ {problem.pointer}"
    if location:
        where = ":".join(
            str(x)
            for x in (problem.file or "<string>", problem.line, problem.column)
            if x is not None
        )
        text = f"{where}: {problem.code} {text}"
    return text


def sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    """Order problems by file, then position, then code."""
    return (
        problem.file or "",
        problem.line or 0,
        problem.column or 0,
        problem.code,
        problem.pointer,
    )
