"""The exceptions of newsmodel: one root, :class:`NewsModelError`, and its subclasses."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable

import attrs

from .problems import Problem, format_problem

__all__ = [
    "DocumentError",
    "FrontMatterError",
    "MissingFileError",
    "ModelValueError",
    "NewsModelError",
    "SiteConfigError",
    "StructureError",
    "UnwritableError",
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
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        # the CLI's text report writes a problem the same way (``file:line:col: CODE message @ $``)
        shown = first if first.file is not None or self.file is None else _with_file(first, file)
        super().__init__(format_problem(shown, location=True) + tail)
        # ``add_note`` is Python 3.11+; setting the attribute works on 3.10 too.
        self.__notes__ = [format_problem(problem, location=True) for problem in self.problems]

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems, self.file))


class FrontMatterError(DocumentError):
    """The file has no readable front matter: not UTF-8, no ``---`` fences, and the like."""


class MissingFileError(FrontMatterError, FileNotFoundError):
    """The file does not exist (NM001): both a :class:`NewsModelError` and a
    :class:`FileNotFoundError`, so ``except FileNotFoundError`` catches it too."""

    def __init__(self, problems: Iterable[Problem], file: str | None = None) -> None:
        super().__init__(problems, file)
        self.errno = errno.ENOENT
        self.strerror = os.strerror(errno.ENOENT)
        self.filename = self.file

    def __str__(self) -> str:
        return str(self.args[0])


class UnwritableError(NewsModelError, ValueError):
    """A value the file format cannot hold, found when writing (``pointer``: where it stands)."""

    def __init__(self, pointer: str, value: object, reason: str) -> None:
        self.pointer = pointer
        self.value = value
        self.reason = reason
        shown = value.isoformat() if hasattr(value, "isoformat") else repr(value)
        super().__init__(f"{pointer}: cannot write {shown}: {reason}.")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.pointer, self.value, self.reason))


class ModelValueError(NewsModelError, TypeError, ValueError):
    """A value a model class does not hold, refused when an object is made or evolved.

    ``model`` is the class's name, ``field`` the attribute (``published_date_time``), ``key``
    the file's key (``publishedDateTime``; ``None`` for ``extra``), ``value`` the value refused
    and ``reason`` what is wrong with it. Both a :class:`TypeError` (a value of the wrong type)
    and a :class:`ValueError` (a naive timestamp), so either ``except`` catches it.
    """

    def __init__(self, model: str, field: str, key: str | None, value: object, reason: str) -> None:
        self.model = model
        self.field = field
        self.key = key
        self.value = value
        self.reason = reason
        where = f"{model}.{field}" if key in (None, field) else f"{model}.{field} ({key!r})"
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.model, self.field, self.key, self.value, self.reason))


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


def _with_file(problem: Problem, file: str | None) -> Problem:
    return attrs.evolve(problem, file=file)
