"""Safe automatic fixes: edits that only ever make a file say what it already meant.

* every URL (``url`` and ``*_url`` attributes, at any depth) loses the whitespace around it;
* ``provider.domain`` (top level and in ``related[]``) is lower-cased and trimmed;
* ``cdnAmpWebUrl`` (top level and in ``related[]``) is recomputed from ``ampWebUrl``.

The fixes go through the model (``attrs.evolve``) and the format-preserving writer
(:func:`newsmodel.dumps`), so only the fixed lines of a file change.

>>> import newsmodel as nm
>>> from newsmodel.fix import fix_document
>>> doc = nm.load("article.md")                                   # doctest: +SKIP
>>> fixed = fix_document(doc)                                     # doctest: +SKIP
>>> nm.dumps(fixed)                                               # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import attrs

from .document import Document
from .model import Article, Provider, Related
from .urls import amp_cache_url
from .yamlio import pointer

__all__ = ["Fix", "fix_article", "fix_document", "fixes_of"]

T = TypeVar("T")
PathPart = str | int


@attrs.frozen(kw_only=True)
class Fix:
    """One fix: where (``pointer``, with the file's keys), what it did, the old and new value."""

    pointer: str
    message: str
    before: Any
    after: Any


def _key(obj: Any, name: str) -> str:
    return str(type(obj).KEYS.get(name, name))


def _trim_urls(obj: T, path: tuple[PathPart, ...], fixes: list[Fix]) -> T:
    """Every ``url``/``*_url`` string of ``obj`` and of the models inside it, trimmed."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):  # type: ignore[arg-type]
        value = getattr(obj, field.name)
        key = _key(obj, field.name)
        if isinstance(value, str) and (field.name == "url" or field.name.endswith("_url")):
            trimmed = value.strip()
            if trimmed != value and trimmed:
                fixes.append(
                    Fix(
                        pointer=pointer((*path, key)),
                        message="Removed the whitespace around the URL.",
                        before=value,
                        after=trimmed,
                    )
                )
                changes[field.name] = trimmed
        elif attrs.has(type(value)):
            new = _trim_urls(value, (*path, key), fixes)
            if new is not value:
                changes[field.name] = new
        elif isinstance(value, tuple) and any(attrs.has(type(v)) for v in value):
            items = tuple(
                _trim_urls(v, (*path, key, i), fixes) if attrs.has(type(v)) else v
                for i, v in enumerate(value)
            )
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[field.name] = items
    return attrs.evolve(obj, **changes) if changes else obj  # type: ignore[misc]


def _fix_provider(
    provider: Provider | None, path: tuple[PathPart, ...], fixes: list[Fix]
) -> Provider | None:
    if provider is None or not isinstance(provider.domain, str):
        return provider
    domain = provider.domain.strip().lower()
    if domain == provider.domain or not domain:
        return provider
    fixes.append(
        Fix(
            pointer=pointer((*path, "domain")),
            message="Lower-cased the provider's domain.",
            before=provider.domain,
            after=domain,
        )
    )
    return attrs.evolve(provider, domain=domain)


_A = TypeVar("_A", Article, Related)


def _fix_item(item: _A, path: tuple[PathPart, ...], fixes: list[Fix]) -> _A:
    provider = _fix_provider(item.provider, (*path, "provider"), fixes)
    if provider is not item.provider:
        item = attrs.evolve(item, provider=provider)  # type: ignore[arg-type]
    amp = item.amp_web_url
    if isinstance(amp, str) and amp:
        try:
            cdn = amp_cache_url(amp)
        except ValueError:
            cdn = None
        if cdn is not None and cdn != item.cdn_amp_web_url:
            fixes.append(
                Fix(
                    pointer=pointer((*path, "cdnAmpWebUrl")),
                    message="Recomputed cdnAmpWebUrl from ampWebUrl.",
                    before=item.cdn_amp_web_url,
                    after=cdn,
                )
            )
            item = attrs.evolve(item, cdn_amp_web_url=cdn)
    return item


def fixes_of(article: Article) -> tuple[Article, tuple[Fix, ...]]:
    """The fixed article and the fixes made (the same article object when nothing was fixed)."""
    fixes: list[Fix] = []
    fixed = _trim_urls(article, (), fixes)
    fixed = _fix_item(fixed, (), fixes)
    if fixed.related:
        related: Sequence[Related] = fixed.related
        items = tuple(_fix_item(r, ("related", i), fixes) for i, r in enumerate(related))
        if any(a is not b for a, b in zip(items, related, strict=True)):
            fixed = attrs.evolve(fixed, related=items)
    return (fixed if fixes else article), tuple(fixes)


def fix_article(article: Article) -> Article:
    """``article`` with every safe fix applied."""
    return fixes_of(article)[0]


def fix_document(doc: Document, *, record: list[Fix] | None = None) -> Document:
    """A copy of ``doc`` with every safe fix applied to its article (``doc`` is not changed).

    ``newsmodel.dumps`` of the result changes only the fixed lines of the original text; the
    fixes made are appended to ``record`` when given (``fixed.changed`` says whether any was).
    """
    if not isinstance(doc.item, Article):  # the fixes are those of articles' keys
        return attrs.evolve(doc)
    fixed, fixes = fixes_of(doc.item)
    if record is not None:
        record.extend(fixes)
    return attrs.evolve(doc, item=fixed)
