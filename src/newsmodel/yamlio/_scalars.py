"""Scalars: YAML 1.2 resolution (as ruamel.yaml does it), construction, and writing back.

The fast parser resolves a plain scalar only where its form is simple (``true``, ``42``,
``4.5``, a timestamp, a string that no YAML 1.2 rule claims); anything else is left to
ruamel.yaml, whose resolver is the reference. Writing back chooses the file's style for the
value where it can, and double quotes where a plain scalar would read back as something else.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from typing import Any

__all__ = [
    "TIMESTAMP",
    "InvalidTimestamp",
    "Unwritable",
    "block_literal",
    "check_writable",
    "construct_timestamp",
    "emit_key",
    "emit_scalar",
    "format_datetime",
    "is_plain_safe",
    "resolve_plain",
]

# The YAML 1.2 implicit resolvers of ruamel.yaml (bool, float, int, merge, null, timestamp,
# value, yaml), written out so that the fast path needs no ruamel import.
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
TIMESTAMP = re.compile(
    r"""^(?P<year>[0-9][0-9][0-9][0-9])-(?P<month>[0-9][0-9]?)-(?P<day>[0-9][0-9]?)
    (?:(?:[Tt]|[ \t]+)(?P<hour>[0-9][0-9]?):(?P<minute>[0-9][0-9]):(?P<second>[0-9][0-9])
    (?:\.(?P<fraction>[0-9]*))?
    (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)(?::(?P<tz_minute>[0-9][0-9]))?))?)?$""",
    re.X,
)
_TIMESTAMP_RESOLVE = re.compile(
    r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    re.X,
)
_SIMPLE_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_SIMPLE_FLOAT = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_OTHER = re.compile(r"^(?:<<|=|!|&|\*)$")

# Where a plain scalar can start and what it must not contain (YAML 1.2, block context).
_PLAIN_START_BAD = frozenset("[]{}#&*!|>'\"%@`,")
_PLAIN_BAD_INSIDE = re.compile(
    ": |:$| #|[\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)
# What YAML 1.1 (PyYAML, Ruby's Psych: Jekyll) reads as something other than a string although
# YAML 1.2 reads a string: the 1.1 booleans (``no``, ``off``, ``y``), and number-like text (``010``
# octal, ``1:30`` sexagesimal, ``1,000`` in Psych); ``:x`` is a symbol in Psych. Such text is
# never written plain.
_YAML11_WORDS = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
)
_NUMBERISH = frozenset("0123456789_.,:+-eExXoObBaAcCdDfF")


@functools.lru_cache(maxsize=8192)
def resolve_plain(text: str) -> tuple[str, Any] | None:
    """Resolve a plain scalar the way ruamel.yaml (YAML 1.2) does.

    Returns ``(tag, value)``, or ``None`` where the form is unusual enough (octal, ``1_000``,
    ``.inf``, ``<<``...) that the fast path leaves it to ruamel.yaml.
    """
    if not text:
        return ("null", None)
    first = text[0]
    if first in "tTfF" and _BOOL.match(text):
        return ("bool", first in "tT")
    if first in "-+0123456789.":
        if _SIMPLE_INT.match(text):
            return ("int", int(text))
        if _FLOAT.match(text):
            return ("float", float(text)) if _SIMPLE_FLOAT.match(text) else None
        if _INT.match(text):
            return None
        if first.isdigit() and _TIMESTAMP_RESOLVE.match(text):
            try:
                return ("timestamp", construct_timestamp(text))
            except ValueError:
                return None
        return ("str", text)
    if first in "~nN" and _NULL.match(text):
        return ("null", None)
    if _OTHER.match(text):
        return None
    return ("str", text)


class InvalidTimestamp(str):
    """A plain scalar written as a timestamp that is no real date or time (``2021-13-45``).

    The tree keeps the text, so that the rest of the file is still read; the converter reports
    it as a problem of its field (``reason`` says what is wrong, such as ``month must be in 1..12``).
    """

    __slots__ = ("reason",)
    reason: str

    def __new__(cls, text: str, reason: str) -> InvalidTimestamp:
        self = super().__new__(cls, text)
        self.reason = reason
        return self


def construct_timestamp(text: str) -> dt.date | dt.datetime:
    """Build the value of a YAML timestamp: a ``date``, or a ``datetime`` (aware if it has a zone)."""
    m = TIMESTAMP.match(text)
    if m is None:
        raise ValueError(f"not a timestamp: {text!r}")
    g = m.groupdict()
    year, month, day = int(g["year"]), int(g["month"]), int(g["day"])
    if g["hour"] is None:
        return dt.date(year, month, day)
    fraction = g["fraction"] or ""
    micro = int((fraction[:6]).ljust(6, "0")) if fraction else 0
    # Past microseconds, round half up as ruamel.yaml does (carrying into the seconds).
    carry = len(fraction) > 6 and fraction[6] >= "5"
    tz: dt.tzinfo | None = None
    if g["tz_sign"]:
        delta = dt.timedelta(hours=int(g["tz_hour"]), minutes=int(g["tz_minute"] or 0))
        tz = dt.timezone(-delta if g["tz_sign"] == "-" else delta)
    elif g["tz"] == "Z":
        tz = dt.timezone.utc
    value = dt.datetime(
        year, month, day, int(g["hour"]), int(g["minute"]), int(g["second"]), micro, tzinfo=tz
    )
    return value + dt.timedelta(microseconds=1) if carry else value


def format_datetime(value: dt.datetime | dt.date) -> str:
    """Write a timestamp in the format's own form: ``2020-06-12T19:03:00Z``."""
    # the year always has four digits (``%Y`` writes 999 for 999, which reads as a string)
    date = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if not isinstance(value, dt.datetime):
        return date
    text = f"{date}T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    offset = value.utcoffset()
    if offset is None:
        return text
    if not offset:
        return text + "Z"
    if offset % dt.timedelta(minutes=1):
        raise ValueError(
            f"its UTC offset {offset} has seconds; a YAML timestamp holds hours and minutes only"
        )
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(offset) // dt.timedelta(minutes=1)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def is_plain_safe(text: str) -> bool:
    """True where ``text`` written plain reads back as the same string."""
    if not text or text != text.strip(" "):
        return False
    if text[0] in _PLAIN_START_BAD:
        return False
    if text[0] in "-?:" and (len(text) == 1 or text[1] == " "):
        return False
    if _PLAIN_BAD_INSIDE.search(text):
        return False
    if text in ("---", "...") or text.startswith(("--- ", "... ")):
        return False
    if text in _YAML11_WORDS or text[0] == ":":
        return False
    if text[0] in "0123456789+-." and _NUMBERISH.issuperset(text) and any(map(str.isdigit, text)):
        return False
    resolved = resolve_plain(text)
    return resolved is not None and resolved[0] == "str"


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')


def _escape(ch: str) -> str:
    known = _ESCAPES.get(ch)
    if known is not None:
        return known
    code = ord(ch)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"


def double_quoted(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _escape(m.group(0)), text) + '"'


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def single_quoted(text: str) -> str | None:
    """Single-quote ``text``, or ``None`` where that style cannot carry it on one line."""
    if _CONTROL.search(text):
        return None
    return "'" + text.replace("'", "''") + "'"


def emit_scalar(value: Any, style: str = '"') -> str:
    """Write one scalar on one line; ``style`` is the preferred style for strings."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = float.__repr__(value)
        mantissa, e, exponent = text.partition("e")
        if "." not in mantissa:  # YAML 1.1 reads ``1e+16`` as a string: write ``1.0e+16``
            mantissa += ".0"
        return mantissa + e + exponent
    if isinstance(value, (dt.datetime, dt.date)):
        return format_datetime(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar")
    if style == "" and is_plain_safe(value):
        return value
    if style == "'":
        quoted = single_quoted(value)
        if quoted is not None:
            return quoted
    return double_quoted(value)


_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_KEY = 1000
"""The longest key written: YAML allows an implicit key of 1024 characters at most."""


def emit_key(key: str) -> str:
    """Write a mapping key: plain where that reads back as the same string, else double-quoted."""
    if is_plain_safe(key) and key[0] not in "-?":
        return key
    return double_quoted(key)


class Unwritable(ValueError):
    """A value the format cannot hold; ``path`` is where it stands in the plain data."""

    def __init__(self, path: tuple[str | int, ...], value: Any, reason: str) -> None:
        self.path = path
        self.value = value
        self.reason = reason
        super().__init__(reason)


def check_writable(data: Any) -> None:
    """Raise :class:`Unwritable` for the first value of ``data`` that YAML cannot hold so that
    it reads back (in YAML 1.2 and 1.1) as the same value."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        kind = type(value)
        if kind is dict:
            children: Any = value.items()
        elif kind is list or kind is tuple:
            children = enumerate(value)
        else:
            _check_scalar(path, value)
            continue
        for key, item in children:
            if kind is dict and key not in _GOOD_KEYS:
                _check_key(path, key)
            what = type(item)
            if (what is str and item.isascii()) or what in _PLAIN_TYPES:
                continue  # the common case, written as it is
            stack.append(((*path, key), item))


_PLAIN_TYPES = frozenset({int, float, bool, type(None)})
_GOOD_KEYS: set[str] = set()


def _check_key(path: tuple[str | int, ...], key: Any) -> None:
    if not isinstance(key, str):
        raise Unwritable((*path, str(key)), key, f"the key {key!r} is not a string")
    if _SURROGATE.search(key):
        raise Unwritable((*path, key), key, "the key holds a lone surrogate")
    if len(emit_key(key)) > _MAX_KEY:
        raise Unwritable(
            (*path, key), key, f"the key has {len(key):,} characters; YAML keys are at most 1024"
        )
    if len(_GOOD_KEYS) < 4096:
        _GOOD_KEYS.add(key)


def _check_scalar(path: tuple[str | int, ...], value: Any) -> None:
    if isinstance(value, InvalidTimestamp):
        raise Unwritable(path, value, f"{value!r} is not a real date or time")
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise Unwritable(
                path, value, "it holds a lone surrogate, which neither UTF-8 nor YAML 1.1 can hold"
            )
    elif isinstance(value, (dt.datetime, dt.date)):
        try:
            format_datetime(value)
        except ValueError as exc:
            raise Unwritable(path, value, str(exc)) from None
    elif value is not None and not isinstance(value, (int, float)):
        raise Unwritable(path, value, f"a {type(value).__name__} cannot be written as a YAML value")


def block_literal(text: str) -> tuple[str, list[str]] | None:
    """A literal block scalar for ``text``: its header (``|`` or ``|-``) and its lines (without
    indentation), or ``None`` where double quotes are the safer style.

    Only plain multi-line text is written as a block: no control characters, no line that
    starts with a space (it would need an indentation indicator) and no trailing empty lines
    (they would need ``|+``, and a blank line after the block would then be part of it).
    """
    if (
        "\n" not in text.rstrip("\n")
        or text.endswith("\n\n")
        or _CONTROL.search(text.replace("\n", ""))
    ):
        return None
    body = text[:-1] if text.endswith("\n") else text
    lines = body.split("\n")
    if any(
        line[:1] == " " or (line and not line.strip(" ")) or line != line.rstrip(" ")
        for line in lines
    ):
        return None
    if not lines[0]:
        return None
    return ("|" if text.endswith("\n") else "|-"), lines
