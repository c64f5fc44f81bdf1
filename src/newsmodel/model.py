"""The typed model of an article file: frozen, keyword-only attrs classes.

Attribute names are the snake_case of the file's keys (``publishedDateTime`` ->
``published_date_time``); each attribute's file key is in its metadata (``key``), and the
attribute order is the usual key order of the format, which new keys follow when written.
Optional keys are ``None`` when absent; lists are tuples; keys the model does not know are kept in
``extra`` (a mapping from the file's key to its value), and written back where they were.

The boundary to plain data is explicit: ``Article.from_dict(mapping)`` and
``article.to_dict()`` (the same as :func:`newsmodel.structure` and :func:`newsmodel.unstructure`).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

import attrs

__all__ = [
    "Action",
    "Article",
    "Author",
    "Image",
    "Provider",
    "Ratings",
    "Related",
    "item_kinds",
    "model_in",
]

_T = TypeVar("_T", bound="_Model")


def _key(name: str, *, default: Any = None, required: bool = False) -> Any:
    if required:
        return attrs.field(metadata={"key": name})
    return attrs.field(default=default, metadata={"key": name})


def _extra() -> Any:
    return attrs.field(factory=dict, hash=False, repr=False, metadata={"key": None})


class _Model:
    """Shared behaviour: the explicit plain-data boundary."""

    __slots__ = ()
    KEYS: ClassVar[dict[str, str]]  # attribute name -> file key, filled in below
    SUBMODELS: ClassVar[dict[str, type[_Model]]]  # file key -> model class of its value(s)

    @classmethod
    def from_dict(cls: type[_T], data: Mapping[str, Any]) -> _T:
        """Build from a mapping with the file's keys; raises :class:`~newsmodel.StructureError`."""
        from .converter import structure

        return structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The plain mapping with the file's keys, in the format's key order (``None`` left out)."""
        from .converter import unstructure

        return unstructure(self)


@attrs.frozen(kw_only=True)
class Image(_Model):
    """An image: of the item (``images[]``) or of its provider (``provider.images[]``)."""

    url: str = _key("url", required=True)
    width: int | None = _key("width")
    height: int | None = _key("height")
    is_cached: bool | None = _key("isCached")
    title: str | None = _key("title")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Author(_Model):
    """A person credited by the provider of a download (``provider.authors[]``)."""

    name: str = _key("name", required=True)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Provider(_Model):
    """Who published the item: a name, the site's registrable domain, a logo."""

    name: str = _key("name", required=True)
    domain: str = _key("domain", required=True)
    images: tuple[Image, ...] | None = _key("images")
    authors: tuple[Author, ...] | None = _key("authors")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Ratings(_Model):
    """A course's ratings: how many, and their average (for example ``4.45`` out of 5)."""

    count: int = _key("count", required=True)
    average: float = _key("average", required=True)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Action(_Model):
    """A call to action of a download (``actions[]``): a link with a type and a title."""

    url: str = _key("url", required=True)
    type: str | None = _key("type")
    title: str | None = _key("title")
    attribution: str | None = _key("attribution")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Related(_Model):
    """An article listed under ``related``: a smaller article of its own."""

    title: str = _key("title", required=True)
    excerpt: str | None = _key("excerpt")
    published_date_time: dt.datetime | None = _key("publishedDateTime")
    web_url: str | None = _key("webUrl")
    amp_web_url: str | None = _key("ampWebUrl")
    cdn_amp_web_url: str | None = _key("cdnAmpWebUrl")
    type: str | None = _key("type")
    provider: Provider | None = _key("provider")
    quality: int | None = _key("quality")
    images: tuple[Image, ...] | None = _key("images")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Article(_Model):
    """One item of the format: an ``article``, ``video``, ``course`` or ``download``.

    Every file is one of these, whatever its ``type``; which keys each kind uses is in
    :func:`item_kinds` and checked by the validation rules, not by the model.
    """

    category: str | None = _key("category")
    title: str = _key("title", required=True)
    excerpt: str | None = _key("excerpt")
    published_date_time: dt.datetime | None = _key("publishedDateTime")
    web_url: str | None = _key("webUrl")
    original_url: str | None = _key("originalUrl")
    amp_web_url: str | None = _key("ampWebUrl")
    cdn_amp_web_url: str | None = _key("cdnAmpWebUrl")
    type: str = _key("type", required=True)
    price: str | None = _key("price")
    length: str | None = _key("length")
    ratings: Ratings | None = _key("ratings")
    quality: int | None = _key("quality")
    heat: int | None = _key("heat")
    removed: bool | None = _key("removed")
    published: bool | None = _key("published")
    featured_content: str | None = _key("featuredContent")
    actions: tuple[Action, ...] | None = _key("actions")
    provider: Provider = _key("provider", required=True)
    levels: tuple[str, ...] | None = _key("levels")
    topics: tuple[str, ...] | None = _key("topics")
    images: tuple[Image, ...] | None = _key("images")
    related: tuple[Related, ...] | None = _key("related")
    secured: str | None = _key("secured")
    extra: Mapping[str, Any] = _extra()


MODELS: tuple[type[_Model], ...] = (Image, Author, Provider, Ratings, Action, Related, Article)


def model_in(t: Any) -> type[_Model] | None:
    """The model class inside a type: ``X``, ``X | None`` or ``tuple[X, ...]`` (else ``None``)."""
    if isinstance(t, type) and issubclass(t, _Model):
        return t
    for arg in typing.get_args(t):
        found = model_in(arg)
        if found is not None:
            return found
    return None


for _cls in MODELS:
    _attrs_cls: Any = _cls
    attrs.resolve_types(_attrs_cls)
    _fields = [a for a in attrs.fields(_attrs_cls) if a.metadata.get("key")]
    _cls.KEYS = {a.name: a.metadata["key"] for a in _fields}
    _cls.SUBMODELS = {a.metadata["key"]: m for a in _fields if (m := model_in(a.type)) is not None}


def item_kinds() -> dict[str, tuple[str, ...]]:
    """The item kinds (``type:``) of the format and the keys each one requires."""
    return dict(ITEM_KINDS)


ITEM_KINDS: dict[str, tuple[str, ...]] = {
    "article": ("title", "excerpt", "publishedDateTime", "webUrl", "type", "provider"),
    "video": ("title", "excerpt", "publishedDateTime", "originalUrl", "type", "provider"),
    "course": ("title", "excerpt", "webUrl", "type", "provider"),
    "download": ("title", "excerpt", "originalUrl", "type", "actions", "provider"),
}
"""Each item kind (the value of ``type``) and the keys a file of that kind must have.

Taken from the real files: every file of a kind has these keys.
"""
