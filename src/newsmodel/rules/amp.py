"""AMP rules (``NM3xx``): ``cdnAmpWebUrl`` is exactly the Google AMP Cache URL of ``ampWebUrl``."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..problems import Problem
from ..urls import AMP_CACHE_SUFFIX, amp_cache_subdomain, amp_cache_url
from ..yamlio import MappingNode, ScalarNode
from ._base import NOTHING, Context, PathPart, Rule, register, related_items

__all__ = ["AmpCacheMismatch", "AmpCacheWithoutAmp"]

AMP_SPEC = (
    "https://amp.dev/documentation/guides-and-tutorials/learn/amp-caches-and-cors/amp-cache-urls/"
)


def _items(ctx: Context) -> Iterator[tuple[tuple[PathPart, ...], MappingNode]]:
    """The file's root and each ``related[]`` item: every mapping that has AMP URLs."""
    yield (), ctx.root
    for i, node in related_items(ctx):
        yield ("related", i), node


def _str_at(node: MappingNode, key: str) -> str | None:
    value = node.get(key)
    if isinstance(value, ScalarNode) and type(value.value) is str:
        return value.value
    return None


# An https URL with a lower-case ASCII host (no port, no user name, no blank): its AMP Cache URL
# is the host's cache sub-domain, then the URL itself after ``https://``.
_PLAIN_HTTPS = re.compile(r"https://([a-z0-9.\-]+)(?:[/?#][!-~]*)?")


@functools.lru_cache(maxsize=4096)
def _expected(amp: str) -> str | None:
    """The AMP Cache URL of ``amp`` (None where it has none: the URL rules report why)."""
    match = _PLAIN_HTTPS.fullmatch(amp)
    if match is not None:
        return f"https://{amp_cache_subdomain(match[1])}.{AMP_CACHE_SUFFIX}/c/s/{amp[8:]}"
    try:
        return amp_cache_url(amp)
    except ValueError:
        return None


@register
class AmpCacheMismatch(Rule):
    """``cdnAmpWebUrl`` must be exactly the Google AMP Cache URL of ``ampWebUrl``.

    The cache URL is derived from the AMP page's URL by a published algorithm (host punycode-
    decoded, ``-`` doubled, ``.`` turned to ``-``, a ``0-...-0`` wrap where the 3rd and 4th
    characters are hyphens, a base32 SHA-256 fallback for long or dotless hosts, then
    ``.cdn.ampproject.org/c/``, ``s/`` for ``https``, and the page's host and path). A value
    written by hand or left over from an older ``ampWebUrl`` sends readers to the wrong page;
    the hint gives the right value. The same holds for each ``related[]`` item.

    Fails::

        ampWebUrl: "https://www.example.com/amp/story"
        cdnAmpWebUrl: "https://www.example.com.cdn.ampproject.org/c/s/www.example.com/amp/story"

    Passes::

        ampWebUrl: "https://www.example.com/amp/story"
        cdnAmpWebUrl: "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/story"
    """

    code = "NM301"
    name = "amp-cache-mismatch"
    spec = AMP_SPEC

    def check(self, ctx: Context) -> Iterator[Problem]:
        index = ctx.root.index
        if "cdnAmpWebUrl" not in index and "related" not in index:
            return iter(NOTHING)
        return self._check(ctx)

    def _check(self, ctx: Context) -> Iterator[Problem]:
        for path, node in _items(ctx):
            cdn = _str_at(node, "cdnAmpWebUrl")
            if cdn is None:
                continue
            amp = _str_at(node, "ampWebUrl")
            if amp is None:
                continue
            expected = _expected(amp)
            if expected is None:
                continue  # the URL rules report what is wrong with ampWebUrl
            if cdn != expected:
                yield ctx.problem(
                    self,
                    f"cdnAmpWebUrl {cdn!r} is not the AMP Cache URL of ampWebUrl; "
                    f"expected {expected!r}.",
                    (*path, "cdnAmpWebUrl"),
                    hint=f'cdnAmpWebUrl: "{expected}"',
                )


@register
class AmpCacheWithoutAmp(Rule):
    """``cdnAmpWebUrl`` needs ``ampWebUrl``: the cache URL is derived from it.

    Without the AMP page's URL the cache URL cannot be checked, and it usually means the AMP
    page was removed but its cache URL was left behind. Remove ``cdnAmpWebUrl`` or add
    ``ampWebUrl``.

    Fails::

        webUrl: "https://www.example.com/story"
        cdnAmpWebUrl: "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/story"

    Passes::

        webUrl: "https://www.example.com/story"
        ampWebUrl: "https://www.example.com/amp/story"
        cdnAmpWebUrl: "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/story"
    """

    code = "NM302"
    name = "amp-cache-without-amp"
    spec = AMP_SPEC

    def check(self, ctx: Context) -> Iterator[Problem]:
        index = ctx.root.index
        if ("cdnAmpWebUrl" not in index or "ampWebUrl" in index) and "related" not in index:
            return iter(NOTHING)
        return self._check(ctx)

    def _check(self, ctx: Context) -> Iterator[Problem]:
        for path, node in _items(ctx):
            if "cdnAmpWebUrl" in node.index and "ampWebUrl" not in node.index:
                yield ctx.problem(
                    self,
                    "cdnAmpWebUrl is given without ampWebUrl, the AMP page it is the cache URL of.",
                    (*path, "cdnAmpWebUrl"),
                    key=True,
                    hint="Add ampWebUrl, or remove cdnAmpWebUrl.",
                )
