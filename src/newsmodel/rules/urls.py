"""URL rules (``NM2xx``): every URL value is an absolute ``http``/``https`` URL with a valid host.

The checks themselves are :func:`newsmodel.urls.url_problems`; each issue kind it reports has its
own code here. The URLs of a file are checked once and shared by every rule of this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..problems import Problem
from ..urls import UrlIssue, url_problems
from ..yamlio import MappingNode, Node, ScalarNode, SequenceNode
from ._base import NOTHING, Context, PathPart, Rule, child, register, related_items

__all__ = [
    "URL_FIELDS",
    "UrlBadEscape",
    "UrlBadHost",
    "UrlBadPort",
    "UrlControlCharacter",
    "UrlCredentials",
    "UrlHttp",
    "UrlNotAbsolute",
    "UrlWhitespace",
    "url_values",
]

RFC3986 = "https://www.rfc-editor.org/rfc/rfc3986"

URL_FIELDS: tuple[tuple[tuple[PathPart | None, ...], bool], ...] = (
    (("webUrl",), False),
    (("originalUrl",), False),
    (("ampWebUrl",), False),
    (("cdnAmpWebUrl",), False),
    (("images", None, "url"), False),
    (("provider", "images", None, "url"), True),
    (("actions", None, "url"), False),
    (("related", None, "webUrl"), False),
    (("related", None, "ampWebUrl"), False),
    (("related", None, "cdnAmpWebUrl"), False),
    (("related", None, "images", None, "url"), False),
    (("related", None, "provider", "images", None, "url"), True),
)
"""Every URL field of the format (as a ``Context.walk`` pattern) and whether a site-relative
path (``/assets/a.png``) is allowed there."""

_KEY = "urls"


def url_values(ctx: Context) -> list[tuple[tuple[PathPart, ...], str, list[UrlIssue]]]:
    """Each string URL of the file with its path and its issues (computed once per file).

    Values that are not strings are left out: the converter reports their type (NM100).
    """
    cached = ctx.cache.get(_KEY)
    if cached is None:
        cached = []
        for pattern, relative in URL_FIELDS:
            for path, node in ctx.walk(pattern):
                if isinstance(node, ScalarNode) and type(node.value) is str:
                    cached.append((path, node.value, _issues(node.value, relative)))
        ctx.cache[_KEY] = cached
    return cached


_CLEAN_CACHE: dict[tuple[str, bool], list[UrlIssue]] = {}


def _issues(value: str, relative: bool) -> list[UrlIssue]:
    key = (value, relative)
    found = _CLEAN_CACHE.get(key)
    if found is None:
        found = url_problems(value, allow_relative=relative)
        if len(_CLEAN_CACHE) > 4096:
            _CLEAN_CACHE.clear()
        _CLEAN_CACHE[key] = found
    return found


# An ordinary https URL that :func:`url_problems` finds nothing wrong with: lower-case ``https``,
# a host of valid lower-case ASCII labels (no ``xn--`` label, no port, no user name), then only
# printable ASCII. A ``%`` must still start an escape (checked apart) and the host must be at most
# 253 characters. A value that does not match is checked in full.
_LABEL = r"(?!xn--)[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_PLAIN_HTTPS = re.compile(rf"https://({_LABEL}(?:\.{_LABEL})*)(?:[/?#][!-~]*)?")
# A site-relative path (``/assets/a.png``, not ``//host``) of printable ASCII.
_PLAIN_RELATIVE = re.compile(r"/(?!/)[!-~]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_MAX_HOST = 253

_BadUrls = list[tuple[tuple[PathPart, ...], list[UrlIssue]]]


def _plain(value: str, relative: bool) -> bool:
    """Whether ``value`` is surely fine (``url_problems`` would return nothing)."""
    match = _PLAIN_HTTPS.fullmatch(value)
    if match is None:
        if not relative or _PLAIN_RELATIVE.fullmatch(value) is None:
            return False
    elif match.end(1) - 8 > _MAX_HOST:
        return False
    if "%" in value and _BAD_ESCAPE.search(value) is not None:
        return False
    # files repeat their URLs (images, providers): remember the fine ones
    good = _GOOD[relative]
    if len(good) > 8192:
        good.clear()
    good.add(value)
    return True


_GOOD: dict[bool, set[str]] = {False: set(), True: set()}
"""URLs found fine by :func:`_plain` (without and with ``allow_relative``)."""


def _check_at(
    bad: _BadUrls, node: Node | None, path: tuple[PathPart, ...] | None, key: str, relative: bool
) -> None:
    """Check the URL at ``key`` of a mapping ``node`` (whose path is ``path``)."""
    if isinstance(node, MappingNode):
        entry = node.index.get(key)
        if entry is not None:
            value = entry.value
            if isinstance(value, ScalarNode):
                text = value.value
                if type(text) is str and text not in _GOOD[relative] and not _plain(text, relative):
                    issues = _issues(text, relative)
                    if issues:
                        bad.append(((*path, key) if path else (key,), issues))


def _check_list(
    bad: _BadUrls, seq: Node | None, path: tuple[PathPart, ...], key: str, relative: bool
) -> None:
    """Check the URL at ``key`` of each mapping item of the list ``seq`` (at ``path``)."""
    if isinstance(seq, SequenceNode):
        good = _GOOD[relative]
        for i, item in enumerate(seq.items):
            node = item.value
            if isinstance(node, MappingNode):
                entry = node.index.get(key)
                if entry is not None:
                    value = entry.value
                    if isinstance(value, ScalarNode):
                        text = value.value
                        if type(text) is str and text not in good and not _plain(text, relative):
                            issues = _issues(text, relative)
                            if issues:
                                bad.append(((*path, i, key), issues))


def _bad_urls(ctx: Context) -> _BadUrls:
    """Each string URL of the file that has issues, with its path, in the order of
    :data:`URL_FIELDS` (computed once per file; paths are built only for such URLs)."""
    bad: _BadUrls | None = ctx.cache.get(_BAD_KEY)
    if bad is not None:
        return bad
    bad = []
    root = ctx.root
    index = root.index
    for key in ("webUrl", "originalUrl", "ampWebUrl", "cdnAmpWebUrl"):
        if key in index:
            _check_at(bad, root, None, key, False)
    if "images" in index:
        _check_list(bad, index["images"].value, ("images",), "url", False)
    if "provider" in index:
        images = child(index["provider"].value, "images")
        if images is not None:
            _check_list(bad, images, ("provider", "images"), "url", True)
    if "actions" in index:
        _check_list(bad, index["actions"].value, ("actions",), "url", False)
    related = related_items(ctx)
    if related:
        for key in ("webUrl", "ampWebUrl", "cdnAmpWebUrl"):
            for i, item in related:
                _check_at(bad, item, ("related", i), key, False)
        for i, item in related:
            images = child(item, "images")
            if images is not None:
                _check_list(bad, images, ("related", i, "images"), "url", False)
        for i, item in related:
            images = child(child(item, "provider"), "images")
            if images is not None:
                _check_list(bad, images, ("related", i, "provider", "images"), "url", True)
    ctx.cache[_BAD_KEY] = bad
    return bad


_BAD_KEY = "urls.bad"


class _UrlRule(Rule):
    """Report the issues of one kind (``slugs``) found in the file's URLs."""

    slugs: tuple[str, ...] = ()
    spec = RFC3986

    def check(self, ctx: Context) -> Iterator[Problem]:
        bad = _bad_urls(ctx)
        if not bad:
            return iter(NOTHING)
        return self._report(ctx, bad)

    def _report(self, ctx: Context, bad: _BadUrls) -> Iterator[Problem]:
        for path, issues in bad:
            for issue in issues:
                if issue.code in self.slugs:
                    yield ctx.problem(self, issue.message, path, hint=issue.hint)


@register
class UrlNotAbsolute(_UrlRule):
    """A URL must be an absolute ``http`` or ``https`` URL.

    Readers follow these links from anywhere (a feed, an app, another site), so a relative path,
    a protocol-relative ``//host`` URL, another scheme (``ftp:``, ``javascript:``) or an empty
    value is a broken link. Only ``provider.images[].url`` may be a site-relative path (``/...``).

    Fails::

        webUrl: "www.example.com/story"

    Passes::

        webUrl: "https://www.example.com/story"
    """

    code = "NM201"
    name = "url-not-absolute"
    slugs = ("empty", "not-absolute", "bad-scheme")


@register
class UrlWhitespace(_UrlRule):
    """A URL must not contain whitespace, leading, trailing or inside.

    A space pasted with a link is invisible in review but breaks it (or changes it) for every
    client; a space that belongs in a path is written ``%20``.

    Fails::

        webUrl: "https://www.example.com/story "

    Passes::

        webUrl: "https://www.example.com/story"
    """

    code = "NM202"
    name = "url-whitespace"
    slugs = ("whitespace",)


@register
class UrlControlCharacter(_UrlRule):
    """A URL must not contain control or invisible format characters.

    Zero-width spaces, byte-order marks and control characters come from copy and paste; they
    are invisible, yet make the link point somewhere else.

    Fails::

        webUrl: "https://www.example.com/\\u200bstory"

    Passes::

        webUrl: "https://www.example.com/story"
    """

    code = "NM203"
    name = "url-control-character"
    slugs = ("control-char",)


@register
class UrlCredentials(_UrlRule):
    """A URL must not carry a user name or password (``user:secret@host``).

    Published files are public: credentials in a link leak them, and browsers warn about or
    refuse such links.

    Fails::

        webUrl: "https://editor:secret@www.example.com/story"

    Passes::

        webUrl: "https://www.example.com/story"
    """

    code = "NM204"
    name = "url-credentials"
    slugs = ("credentials",)


@register
class UrlBadHost(_UrlRule):
    """A URL's host must be a valid host name (IDNA) or IP literal.

    Labels of 1 to 63 letters, digits and inner hyphens, no empty label, no trailing dot, at most
    253 characters; an internationalised name must convert to punycode.

    Fails::

        webUrl: "https://www..example.com/story"

    Passes::

        webUrl: "https://www.example.com/story"
    """

    code = "NM205"
    name = "url-bad-host"
    slugs = ("bad-host",)


@register
class UrlBadPort(_UrlRule):
    """A URL's port, if any, must be a number from 1 to 65535.

    Fails::

        webUrl: "https://www.example.com:80a/story"

    Passes::

        webUrl: "https://www.example.com:8443/story"
    """

    code = "NM206"
    name = "url-bad-port"
    slugs = ("bad-port",)


@register
class UrlBadEscape(_UrlRule):
    """A ``%`` in a URL must start a percent-escape of two hex digits.

    A lone ``%`` is invalid in a URL (RFC 3986 section 2.1); clients disagree on what it means.
    Write a literal percent sign as ``%25``.

    Fails::

        webUrl: "https://www.example.com/100%-free"

    Passes::

        webUrl: "https://www.example.com/100%25-free"
    """

    code = "NM207"
    name = "url-bad-escape"
    slugs = ("bad-escape",)


@register
class UrlHttp(_UrlRule):
    """A URL should use ``https``; plain ``http`` is a warning.

    Plain ``http`` links are downgraded or blocked as mixed content on ``https`` pages; most
    sites serve the same page over ``https``. Some old hosts do not, hence only a warning.

    Fails::

        images:
          - url: "http://img.example.com/a.jpg"

    Passes::

        images:
          - url: "https://img.example.com/a.jpg"
    """

    code = "NM210"
    severity = "warning"
    name = "url-http"
    slugs = ("http",)
