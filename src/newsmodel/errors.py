"""The exceptions of newsmodel: one root, :class:`NewsModelError`, and its subclasses."""

from __future__ import annotations

from collections.abc import Iterable

from .problems import Problem, format_problem

__all__ = [
    "DocumentError",
    "FrontMatterError",
    "NewsModelError",
    "SiteConfigError",
    "StructureError",
    "YAMLError",
]


class NewsModelError(Exception):
    """Root of every exception this library raises on purpose."""


class DocumentError(NewsModelError):
    """A file or text that cannot be read, parsed or structured.

    Carries every :class:`~newsmodel.Problem` found (not just the first); ``file``, ``line``,
    ``column``, ``pointer`` and ``code`` are those of the first error. Each problem is also
    attached as a note (``message @ $.path``), as cattrs does for its validation errors.
    """

    def __init__(self, problems: Iterable[Problem], file: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("DocumentError needs at least one problem")
        first = next((p for p in self.problems if p.is_error), self.problems[0])
        self.file = file if file is not None else first.file
        self.line = first.line
        self.column = first.column
        self.pointer = first.pointer
        self.code = first.code
        where = ":".join(str(x) for x in (self.file or "<string>", self.line, self.column) if x)
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{where}: {first.code} {first.message} in {first.pointer!r}{tail}")
        # ``add_note`` is Python 3.11+; setting the attribute works on 3.10 too.
        self.__notes__ = [format_problem(problem, location=True) for problem in self.problems]

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems, self.file))


class FrontMatterError(DocumentError):
    """The file has no readable front matter: not UTF-8, no ``---`` fences, and the like."""


class YAMLError(DocumentError):
    """The front matter is not the YAML this format allows (syntax, duplicate keys, aliases...)."""


class StructureError(DocumentError):
    """The front matter is YAML, but its values do not fit the model (wrong types, missing keys)."""


class SiteConfigError(DocumentError):
    """A site configuration (``_config.yml``) that cannot be read or used as Jekyll would.

    Located like every problem: ``file``, ``line``, ``column`` and ``pointer`` (such as
    ``$.defaults[2].scope``) say where; the code is ``NM700``. Raised by
    :mod:`newsmodel.layout` (and importable from there).
    """
