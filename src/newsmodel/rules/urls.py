"""URL rules (``NM2xx``): every URL value is an absolute ``http``/``https`` URL with a valid host.

The checks themselves are :func:`newsmodel.urls.url_problems`; each issue kind it reports has its
own code here. The URLs of a file are checked once and shared by every rule of this module.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..problems import Problem
from ..urls import UrlIssue, url_problems
from ..yamlio import ScalarNode
from ._base import Context, PathPart, Rule, register

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


class _UrlRule(Rule):
    """Report the issues of one kind (``slugs``) found by :func:`url_values`."""

    slugs: tuple[str, ...] = ()
    spec = RFC3986

    def check(self, ctx: Context) -> Iterator[Problem]:
        for path, _value, issues in url_values(ctx):
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
