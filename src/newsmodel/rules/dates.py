"""Date rules (``NM5xx``): publication times are neither in the future nor implausibly old.

That a field the model types as a timestamp holds a full ISO 8601 timestamp with a time zone is a
type check, done when the file is structured (NM100: a date alone, a naive time or a quoted
string); NM503 does the same for keys the model does not type that are named like timestamps
(``startDateTime`` of a kind the library does not know). NM501 and NM502 look only at values of
the right type, so that no problem is reported twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..converter import describe
from ..model import PUBLISHED, TIMESTAMP
from ..problems import Problem
from ..yamlio import InvalidTimestamp, ScalarNode
from ._base import Context, PathPart, Rule, register
from ._fields import fields

__all__ = ["FUTURE_SKEW", "OLDEST", "DateInFuture", "DateTooOld", "TimestampValue"]

ISO8601 = "https://www.iso.org/iso-8601-date-and-time-format.html"

FUTURE_SKEW = dt.timedelta(minutes=10)
"""How far past ``now`` a timestamp may be (clocks and time zones are never quite right)."""

OLDEST = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc)
"""Before this, a publication date is most likely a typo (the web is younger)."""


def _timestamps(ctx: Context) -> list[tuple[tuple[PathPart, ...], dt.datetime]]:
    """Each aware publication timestamp of the file with its path (computed once per file):
    the fields the model says are publication times, at any depth, for any kind, and the keys
    it does not type named like one (``publishedDateTime``)."""
    return ctx.once(_gather_timestamps)


def _gather_timestamps(ctx: Context) -> list[tuple[tuple[PathPart, ...], dt.datetime]]:
    found = []
    for path, node, _typed in fields(ctx).of(PUBLISHED):
        value = node.value if isinstance(node, ScalarNode) else None
        if isinstance(value, dt.datetime) and value.utcoffset() is not None:
            found.append((path, value))
    return found


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
                        f"{path[-1]} {value.isoformat()} is in the future "
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
                        f"{path[-1]} {value.isoformat()} is before 1990; is the year right?",
                        path,
                    )
                )
        return iter(found)


@register
class TimestampValue(Rule):
    """A key named like a timestamp (``*DateTime``) must hold a timestamp with a time zone.

    This is the type check of ``publishedDateTime`` (NM100) for the keys the model does not type:
    those of a kind the library does not know (an event's ``startDateTime``) and unknown keys.
    A time without a zone means a different moment in every reader's time zone; a date alone or
    a quoted string is not read as a timestamp by Jekyll.

    Fails::

        startDateTime: 2021-06-12T19:03:00

    Passes::

        startDateTime: 2021-06-12T19:03:00Z
    """

    code = "NM503"
    name = "timestamp-value"
    spec = ISO8601

    def check(self, ctx: Context) -> Iterator[Problem]:
        found: list[Problem] = []
        gathered = fields(ctx)
        for meaning in (PUBLISHED, TIMESTAMP):
            for path, node, typed in gathered.of(meaning):
                value = node.value if isinstance(node, ScalarNode) else None
                if typed or value is None or isinstance(value, InvalidTimestamp):
                    continue  # typed: NM100; null: left empty; no real date: NM005
                if isinstance(value, dt.datetime):
                    if value.utcoffset() is not None:
                        continue
                    message = f"{path[-1]} {value.isoformat()} has no time zone."
                    hint = f"Add the zone: {value.strftime('%Y-%m-%dT%H:%M:%S')}Z for UTC."
                else:
                    message = (
                        f"{path[-1]} is {describe(value)}; expected a timestamp such as "
                        "2020-06-12T19:03:00Z."
                    )
                    hint = (
                        f"Add the time and zone: {value.isoformat()}T00:00:00Z."
                        if isinstance(value, dt.date)
                        else "Write an unquoted ISO 8601 timestamp such as 2020-06-12T19:03:00Z."
                    )
                found.append(ctx.problem(self, message, path, hint=hint))
        return iter(found)
