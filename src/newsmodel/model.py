"""The typed model of the format's files: frozen, keyword-only attrs classes, one per kind.

A file holds one *item*: a news article, video, course or download (:class:`Article`), a person's
profile (:class:`Profile`), a collection of other items (:class:`Collection`), an organization
(:class:`Organization`), a community (:class:`Forum`), a newsletter issue (:class:`Newsletter`),
or an item of a kind the library does not know (:class:`GenericItem`). Which class a file gets is
decided by :mod:`newsmodel.kinds`.

Attribute names are the snake_case of the file's keys (``publishedDateTime`` ->
``published_date_time``); each attribute's file key is in its metadata (``key``), and the
attribute order is the usual key order of the format, which new keys follow when written.
A field may also say what its value *means* (metadata ``meaning``: a URL, a timestamp, a
domain...), so that the validation rules find every such field of every kind at any depth.
Optional keys are ``None`` when absent; lists are tuples; keys the model does not know are kept
in ``extra`` (a mapping from the file's key to its value), and written back where they were.

The boundary to plain data is explicit: ``Article.from_dict(mapping)`` and
``article.to_dict()`` (the same as :func:`newsmodel.structure` and :func:`newsmodel.unstructure`).

A kind of your own is a subclass of :class:`Item` declared with :func:`field` and
:func:`extra_field`, registered with :func:`newsmodel.kinds.register` (see ``docs/kinds.md``).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, TypeVar

import attrs

from .fieldchecks import validate

__all__ = [
    "DOMAIN",
    "DURATION",
    "MEANINGS",
    "PUBLISHED",
    "REFERENCE",
    "TIMESTAMP",
    "URL",
    "URL_OR_PATH",
    "Action",
    "Affiliation",
    "Article",
    "Author",
    "Collection",
    "Forum",
    "GenericItem",
    "Image",
    "Item",
    "LinkedIn",
    "Meaning",
    "Model",
    "Newsletter",
    "Organization",
    "Profile",
    "Provider",
    "Ratings",
    "Related",
    "Slot",
    "Twitter",
    "extra_field",
    "field",
    "file_type",
    "item_kinds",
    "meaning_of_key",
    "model_in",
    "prepare",
    "required_keys",
    "slots",
]

_T = TypeVar("_T", bound="Model")

Meaning = Literal["url", "url-or-path", "timestamp", "published", "domain", "duration", "reference"]
"""What a field's value is, beyond its Python type (``field(..., meaning=...)``)."""

URL: Meaning = "url"
"""An absolute ``http``/``https`` URL (the URL rules, ``NM2xx``)."""
URL_OR_PATH: Meaning = "url-or-path"
"""An absolute URL or a site-relative path such as ``/assets/a.png``."""
TIMESTAMP: Meaning = "timestamp"
"""A point in time with a zone (an event's start, for example)."""
PUBLISHED: Meaning = "published"
"""When the item was published: a timestamp with a zone, not in the future (``NM5xx``)."""
DOMAIN: Meaning = "domain"
"""A registrable domain name such as ``example.com`` (the domain rules, ``NM4xx``)."""
DURATION: Meaning = "duration"
"""An ISO 8601 duration such as ``PT13M34S`` (NM607)."""
REFERENCE: Meaning = "reference"
"""A reference to another file of the site, such as ``videos/<slug>``."""

MEANINGS: tuple[Meaning, ...] = (
    URL,
    URL_OR_PATH,
    TIMESTAMP,
    PUBLISHED,
    DOMAIN,
    DURATION,
    REFERENCE,
)


def field(
    key: str,
    *,
    meaning: Meaning | None = None,
    required: bool = False,
    default: Any = None,
    site_paths: bool = False,
) -> Any:
    """An attrs field for the file key ``key``.

    ``meaning`` says what the value is (:data:`URL`, :data:`TIMESTAMP`...); ``required`` makes
    the key one a file of the class cannot do without (NM101 when missing); ``site_paths``, on
    a field whose value is a model (or a list of them), lets the URLs inside be site-relative
    paths (logos such as ``/assets/images/organizations/x-50x50.jpg``).

    The field checks its value whenever an object is made or evolved (an attrs validator
    derived from the field's type annotation): a value of another type, a naive timestamp, a
    list where a tuple is expected raise :class:`~newsmodel.errors.ModelValueError`.
    """
    metadata: dict[str, Any] = {"key": key}
    if meaning is not None:
        if meaning not in MEANINGS:
            raise ValueError(f"unknown meaning {meaning!r}; expected one of {MEANINGS}")
        metadata["meaning"] = meaning
    if site_paths:
        metadata["site_paths"] = True
    if required:
        return attrs.field(metadata=metadata, validator=validate)
    return attrs.field(default=default, metadata=metadata, validator=validate)


def extra_field() -> Any:
    """The ``extra`` field every model class ends with: the keys the model does not know.

    Its value is a mapping from keys (strings, none of them a key the class types) to plain
    YAML data: ``None``, booleans, numbers, strings, dates and timestamps, lists and mappings.
    """
    return attrs.field(
        factory=dict, hash=False, repr=False, metadata={"key": None}, validator=validate
    )


_key = field
_extra = extra_field


class Model:
    """Shared behaviour of every model class: the explicit plain-data boundary."""

    __slots__ = ()
    KEYS: ClassVar[dict[str, str]]  # attribute name -> file key, filled in by prepare()
    SUBMODELS: ClassVar[dict[str, type[Model]]]  # file key -> model class of its value(s)

    @classmethod
    def from_dict(cls: type[_T], data: Mapping[str, Any]) -> _T:
        """Build from a mapping with the file's keys; raises :class:`~newsmodel.StructureError`."""
        from .converter import structure

        return structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The plain mapping with the file's keys, in the format's key order (``None`` left out)."""
        from .converter import unstructure

        return unstructure(self)


class Item(Model):
    """A whole file's front matter: the base of every kind's class."""

    __slots__ = ()

    @property
    def label(self) -> str | None:
        """What the item is called: its ``title``, else its ``name`` (``None`` if neither)."""
        for name in ("title", "name"):
            value = getattr(self, name, None)
            if isinstance(value, str):
                return value
        return None


@attrs.frozen(kw_only=True)
class Image(Model):
    """An image: of the item (``images[]``) or of its provider (``provider.images[]``)."""

    url: str = _key("url", required=True, meaning=URL)
    width: int | None = _key("width")
    height: int | None = _key("height")
    is_cached: bool | None = _key("isCached")
    title: str | None = _key("title")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Author(Model):
    """A person credited by the provider of a download (``provider.authors[]``)."""

    name: str = _key("name", required=True)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Provider(Model):
    """Who published the item: a name, the site's registrable domain, a logo.

    The logo's URL may be a site-relative path (``/assets/images/organizations/...``)."""

    name: str = _key("name", required=True)
    domain: str = _key("domain", required=True, meaning=DOMAIN)
    images: tuple[Image, ...] | None = _key("images", site_paths=True)
    authors: tuple[Author, ...] | None = _key("authors")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Ratings(Model):
    """A course's ratings: how many, and their average (for example ``4.45`` out of 5)."""

    count: int = _key("count", required=True)
    average: float = _key("average", required=True)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Action(Model):
    """A call to action of a download (``actions[]``): a link with a type and a title."""

    url: str = _key("url", required=True, meaning=URL)
    type: str | None = _key("type")
    title: str | None = _key("title")
    attribution: str | None = _key("attribution")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Related(Model):
    """An article listed under ``related``: a smaller article of its own."""

    title: str = _key("title", required=True)
    excerpt: str | None = _key("excerpt")
    published_date_time: dt.datetime | None = _key("publishedDateTime", meaning=PUBLISHED)
    web_url: str | None = _key("webUrl", meaning=URL)
    amp_web_url: str | None = _key("ampWebUrl", meaning=URL)
    cdn_amp_web_url: str | None = _key("cdnAmpWebUrl", meaning=URL)
    type: str | None = _key("type")
    provider: Provider | None = _key("provider")
    quality: int | None = _key("quality")
    images: tuple[Image, ...] | None = _key("images")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Article(Item):
    """A news item, video, course or download (``type: article``, ``video``, ``course``,
    ``download``).

    Which keys each of these kinds requires is in :func:`item_kinds` and checked by the
    validation rules (NM601), not by the model.
    """

    category: str | None = _key("category")
    title: str = _key("title", required=True)
    excerpt: str | None = _key("excerpt")
    published_date_time: dt.datetime | None = _key("publishedDateTime", meaning=PUBLISHED)
    web_url: str | None = _key("webUrl", meaning=URL)
    original_url: str | None = _key("originalUrl", meaning=URL)
    amp_web_url: str | None = _key("ampWebUrl", meaning=URL)
    cdn_amp_web_url: str | None = _key("cdnAmpWebUrl", meaning=URL)
    type: str = _key("type", required=True)
    price: str | None = _key("price")
    length: str | None = _key("length", meaning=DURATION)
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


@attrs.frozen(kw_only=True)
class Twitter(Model):
    """A person's Twitter account (``twitter``): user name, profile URL, followers."""

    username: str | None = _key("username")
    url: str | None = _key("url", meaning=URL)
    followers: int | None = _key("followers")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class LinkedIn(Model):
    """A person's LinkedIn profile (``linkedin``)."""

    url: str | None = _key("url", meaning=URL)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Affiliation(Model):
    """The organization a person works for (``affiliation``): name, domain, logo.

    The logo's URL may be a site-relative path."""

    name: str | None = _key("name")
    domain: str | None = _key("domain", meaning=DOMAIN)
    images: tuple[Image, ...] | None = _key("images", site_paths=True)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Profile(Item):
    """A person (``type: profile``, in a site's ``_people``): named by ``name``, with a short
    ``bio``, social accounts and an affiliation; no ``title`` and no ``provider``."""

    name: str = _key("name", required=True)
    bio: str | None = _key("bio")
    location: str | None = _key("location")
    type: str | None = _key("type")
    heat: int | None = _key("heat")
    affiliation: Affiliation | None = _key("affiliation")
    website: str | None = _key("website", meaning=URL)
    twitter: Twitter | None = _key("twitter")
    linkedin: LinkedIn | None = _key("linkedin")
    topics: tuple[str, ...] | None = _key("topics")
    images: tuple[Image, ...] | None = _key("images")
    secured: str | None = _key("secured")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Collection(Item):
    """A curated list of other items of the site (``type: collection``): ``items`` names them
    (``videos/<slug>``, ``courses/<slug>``); a course collection has the course keys too."""

    title: str = _key("title", required=True)
    excerpt: str | None = _key("excerpt")
    type: str | None = _key("type")
    price: str | None = _key("price")
    length: str | None = _key("length", meaning=DURATION)
    heat: int | None = _key("heat")
    removed: bool | None = _key("removed")
    published: bool | None = _key("published")
    provider: Provider | None = _key("provider")
    levels: tuple[str, ...] | None = _key("levels")
    items: tuple[str, ...] | None = _key("items", meaning=REFERENCE)
    topics: tuple[str, ...] | None = _key("topics")
    images: tuple[Image, ...] | None = _key("images")
    secured: str | None = _key("secured")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Organization(Item):
    """An organization (``taxonomy: organization``, in ``_data/organizations``): ``_id`` and
    ``domain`` are its domain; its logos are site-relative images (50x50 and 400x400)."""

    taxonomy: str | None = _key("taxonomy")
    id: str | None = _key("_id", meaning=DOMAIN)
    name: str = _key("name", required=True)
    domain: str | None = _key("domain", meaning=DOMAIN)
    description: str | None = _key("description")
    other_names: tuple[str, ...] | None = _key("otherNames")
    images: tuple[Image, ...] | None = _key("images", site_paths=True)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Forum(Item):
    """A community (``type: forum``, in ``_communities``): a group, its links and members."""

    name: str = _key("name", required=True)
    excerpt: str | None = _key("excerpt")
    original_url: str | None = _key("originalUrl", meaning=URL)
    web_url: str | None = _key("webUrl", meaning=URL)
    type: str | None = _key("type")
    members: int | None = _key("members")
    heat: int | None = _key("heat")
    provider: Provider | None = _key("provider")
    topics: tuple[str, ...] | None = _key("topics")
    images: tuple[Image, ...] | None = _key("images")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Newsletter(Item):
    """An issue of the site's own newsletter (in ``_newsletters``, usually ``.html``): it says
    ``type: article`` but has no provider, since the site itself sends it."""

    title: str = _key("title", required=True)
    excerpt: str | None = _key("excerpt")
    published_date_time: dt.datetime | None = _key("publishedDateTime", meaning=PUBLISHED)
    web_url: str | None = _key("webUrl", meaning=URL)
    type: str | None = _key("type")
    provider: Provider | None = _key("provider")
    topics: tuple[str, ...] | None = _key("topics")
    images: tuple[Image, ...] | None = _key("images")
    secured: str | None = _key("secured")
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class GenericItem(Item):
    """An item of a kind the library does not know (a new ``type``, a sibling site's folder).

    Only the keys every kind shares are typed; every other key is kept in ``extra``, and the
    validation rules judge it by its name (``*Url`` is a URL, ``*DateTime`` a timestamp...).
    """

    title: str | None = _key("title")
    name: str | None = _key("name")
    excerpt: str | None = _key("excerpt")
    type: str | None = _key("type")
    taxonomy: str | None = _key("taxonomy")
    extra: Mapping[str, Any] = _extra()


def meaning_of_key(key: str) -> Meaning | None:
    """What the value of a key the model does not type means, by the format's naming convention.

    ``url`` and ``*Url`` (``audioUrl``) are URLs; ``publishedDateTime`` and ``published*DateTime``
    are publication times, other ``*DateTime`` keys (``startDateTime``) timestamps; ``domain`` a
    domain; ``length`` and ``*Duration`` durations. Other keys mean nothing in particular.
    """
    if key.endswith(("Url", "URL")) or key == "url":
        return URL
    if key.endswith("DateTime"):
        return PUBLISHED if key.startswith("published") else TIMESTAMP
    if key == "domain":
        return DOMAIN
    if key == "length" or key.endswith("Duration"):
        return DURATION
    return None


_FILE_TYPES: dict[Any, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    dt.datetime: "timestamp",
}


def _mapping_of(cls: type[Any]) -> str:
    return f"{cls.__name__} (a mapping)"


def file_type(tp: Any, model_name: Callable[[type[Any]], str] = _mapping_of) -> str:
    """A field's type as the file has it (``list of Image (a mapping)``, ``string``): what the
    format reference and the editor's hover say. ``model_name`` names a model class."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = typing.get_args(tp)
        return " or ".join(file_type(a, model_name) for a in args if a is not type(None))
    if typing.get_origin(tp) is tuple:
        return "list of " + file_type(typing.get_args(tp)[0], model_name)
    if isinstance(tp, type) and attrs.has(tp):
        return model_name(tp)
    return _FILE_TYPES.get(tp, getattr(tp, "__name__", str(tp)))


def model_in(t: Any) -> type[Model] | None:
    """The model class inside a type: ``X``, ``X | None`` or ``tuple[X, ...]`` (else ``None``)."""
    if isinstance(t, type) and issubclass(t, Model):
        return t
    for arg in typing.get_args(t):
        found = model_in(arg)
        if found is not None:
            return found
    return None


@attrs.frozen
class Slot:
    """What the model says of one file key of a class: what its value means, the model class
    of its value (or of its items, ``is_list``), whether URLs inside may be site paths, and
    whether a mapping of the class must have the key."""

    key: str
    meaning: Meaning | None
    model: type[Model] | None
    is_list: bool
    site_paths: bool
    required: bool


_SLOTS: dict[type[Model], dict[str, Slot]] = {}


def prepare(cls: type[Model]) -> type[Model]:
    """Fill in ``KEYS`` and ``SUBMODELS`` of a model class and of the classes in it (once).

    Called for the built-in classes on import, and by :func:`newsmodel.kinds.register` for a
    kind of your own; returns ``cls``."""
    if cls in _SLOTS:
        return cls
    attrs_cls: Any = cls
    attrs.resolve_types(attrs_cls)
    found: dict[str, Slot] = {}
    for a in attrs.fields(attrs_cls):
        key = a.metadata.get("key")
        if not key:
            continue
        sub = model_in(a.type)
        is_list = typing.get_origin(_optional_inner(a.type)) is tuple
        found[key] = Slot(
            key,
            a.metadata.get("meaning"),
            sub,
            is_list,
            bool(a.metadata.get("site_paths")),
            a.default is attrs.NOTHING,
        )
    cls.KEYS = {a.name: a.metadata["key"] for a in attrs.fields(attrs_cls) if a.metadata.get("key")}
    cls.SUBMODELS = {k: s.model for k, s in found.items() if s.model is not None}
    _SLOTS[cls] = found
    for sub in cls.SUBMODELS.values():
        prepare(sub)
    return cls


def _optional_inner(t: Any) -> Any:
    args = typing.get_args(t)
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return t


def required_keys(cls: type[Model]) -> frozenset[str]:
    """The keys a mapping of the class must have (a missing one is NM101)."""
    found = _REQUIRED.get(cls)
    if found is None:
        found = _REQUIRED[cls] = frozenset(k for k, slot in slots(cls).items() if slot.required)
    return found


_REQUIRED: dict[type[Model], frozenset[str]] = {}


def slots(cls: type[Model]) -> dict[str, Slot]:
    """Each file key of a model class and what the model says of it (:class:`Slot`)."""
    found = _SLOTS.get(cls)
    if found is None:
        prepare(cls)
        found = _SLOTS[cls]
    return found


MODELS: tuple[type[Model], ...] = (
    Image,
    Author,
    Provider,
    Ratings,
    Action,
    Related,
    Article,
    Twitter,
    LinkedIn,
    Affiliation,
    Profile,
    Collection,
    Organization,
    Forum,
    Newsletter,
    GenericItem,
)
"""Every model class of the library (the classes of kinds registered later are not here)."""

for _cls in MODELS:
    prepare(_cls)


def item_kinds() -> dict[str, tuple[str, ...]]:
    """The article-like item kinds (``type:``) and the keys each one requires.

    Every kind, profiles and collections included, is in :func:`newsmodel.kinds.all_kinds`."""
    return dict(ITEM_KINDS)


ITEM_KINDS: dict[str, tuple[str, ...]] = {
    "article": ("title", "excerpt", "publishedDateTime", "webUrl", "type", "provider"),
    "video": ("title", "excerpt", "publishedDateTime", "originalUrl", "type", "provider"),
    "course": ("title", "excerpt", "webUrl", "type", "provider"),
    "download": ("title", "excerpt", "originalUrl", "type", "actions", "provider"),
}
"""Each article-like item kind (the value of ``type``) and the keys a file of that kind must have.

Taken from the real files: every file of a kind has these keys.
"""
