"""Site rules (``NM7xx``): what only the whole site shows.

A file can be right on its own and wrong in its site: a collection that names a video no file
holds, two files for one story. These rules read a :class:`~newsmodel.site.SiteIndex` (the
files of the site and what each says of the others) instead of one file's tree; ``newsmodel
check`` runs them whenever it checks a folder, and :meth:`newsmodel.site.Site.check` too.
Their problems are located in the file they concern, like every other problem.

``NM700`` is the site configuration (``_config.yml``) that cannot be used
(:class:`~newsmodel.layout.SiteConfigError`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from .. import codes, layout
from ..problems import Problem, Severity

if TYPE_CHECKING:
    from ..site import SiteIndex

__all__ = [
    "SITE_CONFIG",
    "SITE_RULES",
    "BrokenReference",
    "DuplicateWebUrl",
    "SiteRule",
    "site_rules",
]

SITE_PAGE = "docs/site.md"
SITE_CONFIG = layout.SITE_CONFIG
"""``NM700``: the site configuration cannot be used (defined with :mod:`newsmodel.layout`)."""


class SiteRule:
    """A rule over the whole site. Subclasses set ``code``, ``severity`` and ``name``, document
    the rule in their docstring (rationale, a failing and a passing example) and link the
    ``spec``; ``check`` yields located problems, each with its ``file``."""

    code: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    name: ClassVar[str]
    spec: ClassVar[str] = ""

    def check(self, index: SiteIndex) -> Iterator[Problem]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def problem(
        self, file: str, message: str, pointer: str, line: int, column: int, hint: str | None
    ) -> Problem:
        return Problem(
            code=self.code,
            severity=self.severity,
            message=message,
            pointer=pointer,
            line=line,
            column=column,
            hint=hint,
            file=file,
        )


SITE_RULES: list[SiteRule] = []


def register(cls: type[SiteRule]) -> type[SiteRule]:
    """Class decorator: add one instance of the site rule to :data:`SITE_RULES` and its code to
    the registry of codes."""
    codes.register(codes.for_rule(cls.code, cls.name, cls.severity, cls.__doc__, cls.spec))
    SITE_RULES.append(cls())
    return cls


def site_rules() -> list[SiteRule]:
    """Every site rule."""
    return list(SITE_RULES)


def _shorten(paths: list[str], limit: int = 3) -> str:
    shown = ", ".join(paths[:limit])
    more = len(paths) - limit
    return shown + (f" and {more} more" if more > 0 else "")


@register
class BrokenReference(SiteRule):
    """A reference to another file of the site (a collection's ``items``) must name a file.

    A collection that names a video no file holds publishes a broken page, and nothing else
    warns. How a reference resolves comes from the site's ``_config.yml`` (its collections and
    their folders: ``videos/<slug>`` is ``_learning/videos/<slug>.md`` where the collection
    ``learning`` has a ``videos`` folder); references are judged only in a folder with a
    ``_config.yml``. The message says where the file was looked for, the hint names the
    closest existing reference.

    Fails (no ``_learning/videos/power-apps-intro.md`` in the site)::

        items:
          - videos/power-apps-intro

    Passes (the file exists)::

        items:
          - videos/power-apps-intro
    """

    code = "NM701"
    name = "broken-reference"
    spec = f"{SITE_PAGE}#references"

    def check(self, index: SiteIndex) -> Iterator[Problem]:
        for file, ref in index.references:
            if index.resolve(ref.value):
                continue
            places = index.looked_for(ref.value)
            where = (
                f"looked for {_shorten(places)}"
                if places
                else "no collection folder of the site has such a file"
            )
            close = index.suggest(ref.value)
            yield self.problem(
                file,
                f"The reference {ref.value!r} names no file of the site ({where}).",
                ref.pointer,
                ref.line,
                ref.column,
                f"Did you mean {close!r}?" if close else None,
            )


@register
class DuplicateWebUrl(SiteRule):
    """Two files of one collection with the same ``webUrl`` are one story published twice.

    A common mistake of an aggregator: the same story picked up twice under two file names.
    Both files are reported, each naming the other. URLs are compared with the case of their
    scheme and host ignored and without trailing slashes; files of different collections (a
    news item about a course, and the course) may share a ``webUrl``. A warning: one of the
    files is most likely to be removed, but which one is the curator's call.

    Fails (``_news/2021-01-14-a.md`` and ``_news/2021-02-28-b.md`` both say)::

        webUrl: https://example.com/blog/story/

    Passes (each file has its own)::

        webUrl: https://example.com/blog/story
    """

    code = "NM702"
    severity = "warning"
    name = "duplicate-web-url"
    spec = f"{SITE_PAGE}#duplicates"

    def check(self, index: SiteIndex) -> Iterator[Problem]:
        for group in index.urls.values():
            if len(group) < 2:
                continue
            group = sorted(group, key=lambda e: (e.file, e.line))  # whatever came first
            for entry in group:
                if not entry.report:
                    continue
                others = [o for o in group if o is not entry]
                named = [f"{o.file}:{o.line}" for o in others[:3]]
                more = f" and {len(others) - 3} more" if len(others) > 3 else ""
                yield self.problem(
                    entry.file,
                    f"The same webUrl is in {', '.join(named)}{more}.",
                    "$.webUrl",
                    entry.line,
                    entry.column,
                    "One story, two files: keep one of them.",
                )
