"""Shape rules (``NM6xx``): required keys per item kind, sizes, lists, durations, codes.

Values of the wrong type are left to the converter (NM100): ``quality`` and ``heat`` must be
integers, ``width`` and ``height`` too; these rules look only at values of the right type.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs

from ..kinds import Selector, known_values
from ..kinds import get as get_kind
from ..model import DURATION, required_keys
from ..problems import Problem
from ..yamlio import MappingNode, Node, ScalarNode, SequenceNode, pointer
from ._base import NOTHING, Context, PathPart, Rule, child, register, related_items
from ._fields import fields, image_lists, kind_of

__all__ = [
    "KNOWN_CATEGORIES",
    "DuplicateImageUrl",
    "DuplicateListItem",
    "DuplicateRelatedUrl",
    "EmptyListItem",
    "EmptyText",
    "ImageSize",
    "LengthDuration",
    "MissingKindKey",
    "RatingsRange",
    "SecuredFormat",
    "UnknownCategory",
    "UnknownKind",
    "UnknownType",
]

ISO8601 = "https://www.iso.org/iso-8601-date-and-time-format.html"

KNOWN_CATEGORIES: frozenset[str] = frozenset({"news"})
"""The values of ``category`` the format uses (only news items have a category)."""

_DURATION = re.compile(
    r"P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d+)?S)?)?"
)
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
# The same strings, faster: a multiple of 4 long, base64 characters then at most two ``=``.
_BASE64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

_TEXT_FIELDS: tuple[tuple[PathPart | None, ...], ...] = (
    ("title",),
    ("provider", "name"),
    ("related", None, "title"),
    ("related", None, "provider", "name"),
)
_STRING_LISTS = ("topics", "levels")


def _string_lists(ctx: Context) -> list[tuple[str, SequenceNode]]:
    """The ``topics`` and ``levels`` lists of the file, with their keys."""
    found: list[tuple[str, SequenceNode]] = []
    index = ctx.root.index
    for key in _STRING_LISTS:
        entry = index.get(key)
        if entry is not None and isinstance(entry.value, SequenceNode):
            found.append((key, entry.value))
    return found


def _index_of(items: Sequence[object], item: object) -> int:
    """The index of ``item`` (this very object) in ``items``: found only for a problem, so
    that a clean list is walked without counting."""
    return next(i for i, other in enumerate(items) if other is item)


def _str(node: object) -> str | None:
    if isinstance(node, ScalarNode) and type(node.value) is str:
        return node.value
    return None


_ImageLists = list[tuple[tuple[PathPart, ...], SequenceNode]]


def _image_lists(ctx: Context) -> _ImageLists:
    """Each list of images of the file, with its path: every field of a list of images the
    model has, at any depth, for any kind, and ``images`` keys it does not type."""
    return image_lists(ctx)


def _texts(ctx: Context) -> list[tuple[tuple[PathPart, ...], str]]:
    """Each string of :data:`_TEXT_FIELDS`, with its path."""
    found: list[tuple[tuple[PathPart, ...], str]] = []
    root = ctx.root
    value = _str(child(root, "title"))
    if value is not None:
        found.append((("title",), value))
    value = _str(child(child(root, "provider"), "name"))
    if value is not None:
        found.append((("provider", "name"), value))
    related = related_items(ctx)
    for i, item in related:
        value = _str(child(item, "title"))
        if value is not None:
            found.append((("related", i, "title"), value))
    for i, item in related:
        value = _str(child(child(item, "provider"), "name"))
        if value is not None:
            found.append((("related", i, "provider", "name"), value))
    return found


@register
class MissingKindKey(Rule):
    """Each kind of item has keys it cannot do without.

    ``article``: excerpt, publishedDateTime, webUrl; ``video``: excerpt, publishedDateTime,
    originalUrl; ``course``: excerpt, webUrl; ``download``: excerpt, originalUrl, actions (besides
    title, type and provider, which every such file needs: NM101); ``collection``: excerpt,
    items; ``organization``: domain; ``newsletter``: publishedDateTime. The kinds a site adds say
    their own (:class:`newsmodel.kinds.Kind`). Every file of the real sites has them; a site
    cannot show or link an item without them. The problem is located at the ``type`` key, which
    is what asks for the missing key; its pointer names the missing key.

    Fails::

        title: "A video"
        type: video
        provider: {name: Example, domain: example.com}

    Passes::

        title: "A video"
        excerpt: "What it shows."
        publishedDateTime: 2021-02-03T04:05:06Z
        originalUrl: "https://www.youtube.com/watch?v=abc"
        type: video
        provider: {name: Example, domain: example.com}
    """

    code = "NM601"
    name = "missing-kind-key"
    spec = "docs/rules.md#nm601"

    def check(self, ctx: Context) -> Iterator[Problem]:
        kind = kind_of(ctx)
        if not kind.known or not kind.required:
            return iter(NOTHING)
        index = ctx.root.index
        skip = required_keys(kind.cls)  # NM101 when missing
        declared = _str(ctx.root.get(kind.selector))
        what = f"type {kind.name!r}" if declared == kind.name else f"kind {kind.name!r}"
        # located at the ``type:`` key, which is what asks for the missing key
        at: tuple[PathPart, ...] = (kind.selector,) if declared is not None else ()
        found: list[Problem] = []
        for key in kind.required:
            if key not in index and key not in skip:
                problem = ctx.problem(
                    self,
                    f"A file of {what} needs the key {key!r}, which is missing.",
                    at,
                    key=bool(at),
                    hint=f"Add '{key}:' with its value.",
                )
                found.append(attrs.evolve(problem, pointer=pointer((key,))))
        return iter(found)


@register
class EmptyText(Rule):
    """``title`` and ``provider.name`` must not be empty or blank.

    They are what readers see of an item and of its source; an empty one shows as a blank
    line or a bare link.

    Fails::

        title: ""

    Passes::

        title: "Power Apps gets a new formula bar"
    """

    code = "NM602"
    name = "empty-text"
    spec = "docs/rules.md#nm602"

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for path, value in _texts(ctx):
            if not value.strip():
                found.append(
                    ctx.problem(
                        self,
                        f"{path[-1]} is {'empty' if not value else 'blank'}; expected some text.",
                        path,
                    )
                )
        return iter(found)


@register
class ImageSize(Rule):
    """An image's ``width`` and ``height`` must be positive integers (pixels).

    Clients reserve the space of an image before it loads; zero or a negative size collapses it
    or breaks the layout. (A value that is not an integer at all is NM100.)

    Fails::

        images:
          - url: "https://img.example.com/a.jpg"
            width: -1
            height: 415

    Passes::

        images:
          - url: "https://img.example.com/a.jpg"
            width: 625
            height: 415
    """

    code = "NM603"
    name = "image-size"
    spec = "docs/rules.md#nm603"

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for base, seq in _image_lists(ctx):
            items = seq.items
            for item in items:
                node = item.value
                if not isinstance(node, MappingNode):
                    continue
                index = node.index
                for key in ("width", "height"):
                    entry = index.get(key)
                    if entry is None:
                        continue
                    value = entry.value
                    if (
                        isinstance(value, ScalarNode)
                        and type(value.value) is int
                        and value.value <= 0
                    ):
                        found.append(
                            ctx.problem(
                                self,
                                f"The image {key} is {value.value}; expected a positive number of pixels.",
                                (*base, _index_of(items, item), key),
                            )
                        )
        return iter(found)


@register
class RatingsRange(Rule):
    """``ratings.count`` must not be negative and ``ratings.average`` must lie from 0 to 5.

    Ratings are stars out of five, counted; anything else is a unit or typing mistake.

    Fails::

        ratings:
          count: 120
          average: 44.5

    Passes::

        ratings:
          count: 120
          average: 4.45
    """

    code = "NM604"
    name = "ratings-range"
    spec = "docs/rules.md#nm604"

    def check(self, ctx: Context) -> Iterator[Problem]:
        if "ratings" not in ctx.root.index:
            return iter(NOTHING)
        return self._check(ctx)

    def _check(self, ctx: Context) -> Iterator[Problem]:
        ratings = ctx.root.get("ratings")
        if not isinstance(ratings, MappingNode):
            return
        count = ratings.get("count")
        if isinstance(count, ScalarNode) and type(count.value) is int and count.value < 0:
            yield ctx.problem(
                self,
                f"ratings.count is {count.value}; expected 0 or more.",
                ("ratings", "count"),
            )
        average = ratings.get("average")
        if isinstance(average, ScalarNode) and type(average.value) in (int, float):
            value = average.value
            if not 0 <= value <= 5:
                yield ctx.problem(
                    self,
                    f"ratings.average is {value}; expected an average of stars from 0 to 5.",
                    ("ratings", "average"),
                )


@register
class EmptyListItem(Rule):
    """``topics`` and ``levels`` items must be non-empty strings.

    An empty topic makes an empty tag page and an empty chip on the item.

    Fails::

        topics:
          - AI
          - ""

    Passes::

        topics:
          - AI
          - Power Apps
    """

    code = "NM605"
    name = "empty-list-item"
    spec = "docs/rules.md#nm605"

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for key, seq in _string_lists(ctx):
            items = seq.items
            for item in items:
                node = item.value
                if not isinstance(node, ScalarNode):
                    continue
                value = node.value
                if type(value) is str and not value.strip():
                    found.append(
                        ctx.problem(
                            self,
                            f"An item of {key} is {'empty' if not value else 'blank'}.",
                            (key, _index_of(items, item)),
                        )
                    )
        return iter(found)


@register
class DuplicateListItem(Rule):
    """``topics`` and ``levels`` must not list the same value twice.

    A repeated topic is a copy-and-paste slip; it shows twice and counts twice.

    Fails::

        topics:
          - AI
          - AI

    Passes::

        topics:
          - AI
          - Computer Vision
    """

    code = "NM606"
    name = "duplicate-list-item"
    spec = "docs/rules.md#nm606"

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for key, seq in _string_lists(ctx):
            for i, first, value in _repeats(seq, _text):
                found.append(
                    ctx.problem(
                        self,
                        f"{key} lists {value!r} twice (first as item {first}).",
                        (key, i),
                        hint="Remove this item.",
                    )
                )
        return iter(found)


@register
class LengthDuration(Rule):
    """``length`` must be an ISO 8601 duration (``PT13M34S``, ``PT1H2M``, ``P1M``).

    Clients parse it to show "13 min"; free text such as ``13 minutes`` cannot be parsed. Every
    duration field of every kind is checked, and keys the model does not know named ``length``
    or ``*Duration``.

    Fails::

        length: "13 minutes"

    Passes::

        length: PT13M
    """

    code = "NM607"
    name = "length-duration"
    spec = ISO8601

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for path, node, _typed in fields(ctx).of(DURATION):
            value = _str(node)
            if value is not None and not _is_duration(value):
                found.append(
                    ctx.problem(
                        self,
                        f"{path[-1]} {value!r} is not an ISO 8601 duration; expected a value "
                        "such as PT13M34S (13 minutes 34 seconds) or PT1H2M.",
                        path,
                    )
                )
        return iter(found)


@register
class SecuredFormat(Rule):
    """``secured`` must be two base64 strings joined by ``;`` (a payload and its key).

    The site decodes both parts; anything else fails there, far from the file.

    Fails::

        secured: "not base64"

    Passes::

        secured: "SGVsbG8sIHdvcmxkIQ==;Bylbhbnd5ndxe8ylSW1CtA=="
    """

    code = "NM608"
    name = "secured-format"
    spec = "docs/rules.md#nm608"

    def check(self, ctx: Context) -> Iterator[Problem]:
        value = _str(ctx.root.get("secured"))
        if value is None or _is_secured(value):
            return iter(NOTHING)
        parts = value.split(";")
        found = ctx.problem(
            self,
            "secured is not two base64 strings joined by ';' "
            f"(it has {len(parts)} part{'s' if len(parts) != 1 else ''}).",
            ("secured",),
        )
        return iter((found,))


@functools.lru_cache(maxsize=1024)
def _is_duration(value: str) -> bool:
    return _DURATION.fullmatch(value) is not None


def _is_secured(value: str) -> bool:
    """Whether ``value`` is two non-empty parts joined by ``;``, each matching ``_BASE64``."""
    if not value.isascii():
        return False
    first, sep, second = value.partition(";")
    if not (sep and first and second) or len(first) % 4 or len(second) % 4:
        return False
    body1 = first.rstrip("=")
    body2 = second.rstrip("=")
    if len(first) - len(body1) > 2 or len(second) - len(body2) > 2:
        return False
    # what is left after deleting the base64 characters (a ``=`` inside, a second ``;``, ...)
    return not (body1 + body2).encode("ascii").translate(None, _BASE64_CHARS)


def _text(node: Node) -> str | None:
    """The string of a scalar node, unless it is empty or blank (that is NM605's concern)."""
    value = _str(node)
    return value if value is not None and value.strip() else None


def _repeats(
    seq: SequenceNode, value_of: Callable[[Node], str | None]
) -> Iterator[tuple[int, int, str]]:
    """``(index, index of the first, value)`` for each item whose string value (by
    ``value_of``; None is left out) an earlier item of ``seq`` already has."""
    items = seq.items
    if len(items) < 2:
        return
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = value_of(item.value)
        if value is None:
            continue
        first = seen.setdefault(value, i)
        if first != i:
            yield i, first, value


def _duplicate_urls(
    ctx: Context,
    rule: Rule,
    lists: Iterable[tuple[tuple[PathPart, ...], SequenceNode]],
    key: str,
    what: str,
) -> Iterator[Problem]:
    """A problem for each mapping item of each list whose string at ``key`` is a repeat."""

    def value_of(node: Node) -> str | None:
        return _str(child(node, key))

    found: list[Problem] = []
    for base, seq in lists:
        for i, first, value in _repeats(seq, value_of):
            found.append(
                ctx.problem(
                    rule,
                    f"The {what} {value!r} is listed twice (first as item {first}).",
                    (*base, i, key),
                    hint="Remove the duplicate item.",
                )
            )
    return iter(found)


@register
class DuplicateImageUrl(Rule):
    """The same image URL listed twice in one ``images`` list is a warning.

    Fails::

        images:
          - url: "https://img.example.com/a.jpg"
          - url: "https://img.example.com/a.jpg"

    Passes::

        images:
          - url: "https://img.example.com/a.jpg"
          - url: "https://img.example.com/b.jpg"
    """

    code = "NM609"
    severity = "warning"
    name = "duplicate-image-url"
    spec = "docs/rules.md#nm609"

    def check(self, ctx: Context) -> Iterator[Problem]:
        return _duplicate_urls(ctx, self, _image_lists(ctx), "url", "image URL")


@register
class DuplicateRelatedUrl(Rule):
    """The same ``webUrl`` listed twice in ``related`` is a warning.

    Fails::

        related:
          - title: "A"
            webUrl: "https://www.example.com/a"
          - title: "A again"
            webUrl: "https://www.example.com/a"

    Passes::

        related:
          - title: "A"
            webUrl: "https://www.example.com/a"
          - title: "B"
            webUrl: "https://www.example.com/b"
    """

    code = "NM610"
    severity = "warning"
    name = "duplicate-related-url"
    spec = "docs/rules.md#nm610"

    def check(self, ctx: Context) -> Iterator[Problem]:
        related = ctx.root.get("related")
        if not isinstance(related, SequenceNode):
            return iter(NOTHING)
        return _duplicate_urls(ctx, self, ((("related",), related),), "webUrl", "related article")


def _guess(value: str, known: frozenset[str] | list[str]) -> str | None:
    close = difflib.get_close_matches(value.strip().lower(), sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None


@register
class UnknownType(Rule):
    """An unknown ``type`` (or ``taxonomy``) is a warning: no kind has that name.

    Sites choose the layout of an item by its type; an unknown one is usually a typo and gets
    no layout (nor the NM601 checks of its kind). The file is still read, as an item of a kind
    the library does not know, and every field rule checks its keys. ``related[]`` items are
    checked too. A site's own kinds are known once registered (see the kinds guide).

    Fails::

        type: articel

    Passes::

        type: article
    """

    code = "NM611"
    severity = "warning"
    name = "unknown-type"
    spec = "docs/rules.md#nm611"

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for selector, pattern in _SELECTORS:
            for path, node in ctx.walk(pattern):
                value = _str(node)
                if value is not None and get_kind(value, selector) is None:
                    values = known_values(selector)
                    guess = _guess(value, list(values))
                    found.append(
                        ctx.problem(
                            self,
                            f"The {selector} {value!r} is not one of {', '.join(values)}.",
                            path,
                            hint=f"{selector}: {guess}" if guess else None,
                        )
                    )
        return iter(found)


_SELECTORS: tuple[tuple[Selector, tuple[PathPart | None, ...]], ...] = (
    ("type", ("type",)),
    ("taxonomy", ("taxonomy",)),
    ("type", ("related", None, "type")),
)


@register
class UnknownKind(Rule):
    """A file whose kind cannot be told is a warning.

    It has no ``type`` (nor ``taxonomy``), and neither its folder (a Jekyll collection such as
    ``_people``, or ``[tool.newsmodel] folders``) nor the site's ``_config.yml`` defaults give
    one. The file is still read, as an item of a kind the library does not know, and every field
    rule checks its keys; only the checks of its kind (NM601) cannot be made.

    Fails::

        title: "Something"

    Passes::

        title: "Something"
        type: article
    """

    code = "NM613"
    severity = "warning"
    name = "unknown-kind"
    spec = "docs/rules.md#nm613"

    def check(self, ctx: Context) -> Iterator[Problem]:
        kind = kind_of(ctx)
        if kind.known or kind.name:  # a kind, or a type no kind has (NM611)
            return iter(NOTHING)
        found = ctx.problem(
            self,
            "The file's kind is not known: it has no type, and neither its folder nor the "
            "site's settings give one.",
            (),
            hint="Add 'type:' with its kind (article, video, profile...).",
        )
        return iter((found,))


@register
class UnknownCategory(Rule):
    """An unknown ``category`` (the format knows ``news``) is a warning.

    Fails::

        category: nwes

    Passes::

        category: news
    """

    code = "NM612"
    severity = "warning"
    name = "unknown-category"
    spec = "docs/rules.md#nm612"

    def check(self, ctx: Context) -> Iterator[Problem]:
        value = _str(ctx.root.get("category"))
        if value is None or value in KNOWN_CATEGORIES:
            return iter(NOTHING)
        guess = _guess(value, KNOWN_CATEGORIES)
        found = ctx.problem(
            self,
            f"The category {value!r} is not one the format knows ({', '.join(sorted(KNOWN_CATEGORIES))}).",
            ("category",),
            hint=f"category: {guess}" if guess else None,
        )
        return iter((found,))
