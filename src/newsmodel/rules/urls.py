"""URL rules (``NM2xx``): every URL value is an absolute ``http``/``https`` URL with a valid host.

The checks themselves are :func:`newsmodel.urls.url_problems`; each issue kind it reports has its
own code here. The URLs of a file are checked once and shared by every rule of this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import URL, URL_OR_PATH
from ..problems import Problem
from ..urls import UrlIssue, url_problems
from ..yamlio import ScalarNode
from ._base import NOTHING, Context, PathPart, Rule, register
from ._fields import fields

__all__ = [
    "UrlBadEscape",
    "UrlBadHost",
    "UrlBadPort",
    "UrlControlCharacter",
    "UrlCredentials",
    "UrlHttp",
    "UrlNotAbsolute",
    "UrlWhitespace",
    "url_fields",
    "url_values",
]

RFC3986 = "https://www.rfc-editor.org/rfc/rfc3986"


def url_fields(ctx: Context) -> list[tuple[tuple[PathPart, ...], ScalarNode, bool]]:
    """Every URL field of the file, at any depth, for any kind, with whether a site-relative
    path (``/assets/a.png``) is allowed there: the fields the model says are URLs, and the keys
    it does not type that are named like URLs (``audioUrl``). Computed once per file."""
    return ctx.once(_gather_urls)


def _gather_urls(ctx: Context) -> list[tuple[tuple[PathPart, ...], ScalarNode, bool]]:
    found = []
    gathered = fields(ctx)
    for meaning, relative in ((URL, False), (URL_OR_PATH, True)):
        for path, node, _typed in gathered.of(meaning):
            if isinstance(node, ScalarNode):
                found.append((path, node, relative))
    return found


def url_values(ctx: Context) -> list[tuple[tuple[PathPart, ...], str, list[UrlIssue]]]:
    """Each string URL of the file with its path and its issues (computed once per file).

    Values that are not strings are left out: the converter reports their type (NM100).
    """
    return [
        (path, node.value, _issues(node.value, relative))
        for path, node, relative in url_fields(ctx)
        if type(node.value) is str
    ]


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


def _bad_urls(ctx: Context) -> _BadUrls:
    """Each string URL of the file that has issues, with its path (computed once per file)."""
    return ctx.once(_gather_bad_urls)


def _gather_bad_urls(ctx: Context) -> _BadUrls:
    bad: _BadUrls = []
    for path, node, relative in url_fields(ctx):
        text = node.value
        if type(text) is str and text not in _GOOD[relative] and not _plain(text, relative):
            issues = _issues(text, relative)
            if issues:
                bad.append((path, issues))
    return bad


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
    value is a broken link. Only logos may be site-relative paths (``/...``): the images of a
    provider, an affiliation or an organization. Every URL field of every kind is checked, and
    keys the model does not know that are named like URLs (``audioUrl``) too.

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
