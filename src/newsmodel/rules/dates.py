"""Date rules (``NM5xx``): ``publishedDateTime`` is neither in the future nor implausibly old.

That it is a full ISO 8601 timestamp with a time zone is a type check, done when the file is
structured (NM100: a date alone, a naive time or a quoted string); these rules look only at
values of the right type, so that no problem is reported twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..problems import Problem
from ..yamlio import ScalarNode
from ._base import Context, PathPart, Rule, register, related_items

__all__ = ["FUTURE_SKEW", "OLDEST", "DateInFuture", "DateTooOld"]

ISO8601 = "https://www.iso.org/iso-8601-date-and-time-format.html"

FUTURE_SKEW = dt.timedelta(minutes=10)
"""How far past ``now`` a timestamp may be (clocks and time zones are never quite right)."""

OLDEST = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc)
"""Before this, a publication date is most likely a typo (the web is younger)."""

_PATTERNS: tuple[tuple[PathPart | None, ...], ...] = (
    ("publishedDateTime",),
    ("related", None, "publishedDateTime"),
)


_KEY = "timestamps"


def _timestamps(ctx: Context) -> list[tuple[tuple[PathPart, ...], dt.datetime]]:
    """Each aware timestamp of :data:`_PATTERNS` with its path (computed once per file)."""
    cached: list[tuple[tuple[PathPart, ...], dt.datetime]] | None = ctx.cache.get(_KEY)
    if cached is None:
        cached = []
        entry = ctx.root.index.get("publishedDateTime")
        if entry is not None:
            node = entry.value
            value = node.value if isinstance(node, ScalarNode) else None
            if isinstance(value, dt.datetime) and value.utcoffset() is not None:
                cached.append((("publishedDateTime",), value))
        for i, item in related_items(ctx):
            entry = item.index.get("publishedDateTime")
            if entry is not None:
                node = entry.value
                value = node.value if isinstance(node, ScalarNode) else None
                if isinstance(value, dt.datetime) and value.utcoffset() is not None:
                    cached.append((("related", i, "publishedDateTime"), value))
        ctx.cache[_KEY] = cached
    return cached


def _aware(now: dt.datetime) -> dt.datetime:
    return now if now.utcoffset() is not None else now.replace(tzinfo=dt.timezone.utc)


_LIMITS: dict[dt.datetime, dt.datetime] = {}


def _limit(now: dt.datetime) -> dt.datetime:
    """``now`` (made aware) plus :data:`FUTURE_SKEW`, for each ``now`` seen (a few per process)."""
    limit = _LIMITS.get(now)
    if limit is None:
        if len(_LIMITS) > 64:
            _LIMITS.clear()
        limit = _LIMITS[now] = _aware(now) + FUTURE_SKEW
    return limit


@register
class DateInFuture(Rule):
    """``publishedDateTime`` must not be later than now (plus ten minutes of clock skew).

    A future date is a typo (a wrong year or month) or a wrong time zone; sites sort by this
    date, so such an item sticks at the top of every list.

    Fails (on 2021-06-30)::

        publishedDateTime: 2031-06-12T19:03:00Z

    Passes::

        publishedDateTime: 2021-06-12T19:03:00Z
    """

    code = "NM501"
    name = "date-in-future"
    spec = ISO8601

    def check(self, ctx: Context) -> Iterator[Problem]:
        limit = _limit(ctx.now)
        found: list[Problem] = []
        for path, value in _timestamps(ctx):
            if value > limit:
                found.append(
                    ctx.problem(
                        self,
                        f"publishedDateTime {value.isoformat()} is in the future "
                        f"(now is {_aware(ctx.now).isoformat(timespec='seconds')}).",
                        path,
                        hint="Check the year, the month and the time zone.",
                    )
                )
        return iter(found)


@register
class DateTooOld(Rule):
    """``publishedDateTime`` before 1990 is most likely a typo (a warning).

    Fails::

        publishedDateTime: 1920-06-12T19:03:00Z

    Passes::

        publishedDateTime: 2020-06-12T19:03:00Z
    """

    code = "NM502"
    severity = "warning"
    name = "date-too-old"
    spec = ISO8601

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        for path, value in _timestamps(ctx):
            if value < OLDEST:
                found.append(
                    ctx.problem(
                        self,
                        f"publishedDateTime {value.isoformat()} is before 1990; is the year right?",
                        path,
                    )
                )
        return iter(found)
