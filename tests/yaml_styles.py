"""Hypothesis strategies for front matter written in every YAML style, not only the corpus one.

A front matter is drawn as text (not as data): block mappings at any indentation, block
sequences with or without an offset, scalars plain, single- and double-quoted (on one line or
several), literal and folded block scalars with every indicator, flow collections (on one line
or several, with comments), quoted keys, comments and blank lines everywhere, and a ``...``
document end. The text is never computed from a value: what it means is what the independent
readers (ruamel.yaml's safe loader for YAML 1.2, PyYAML for YAML 1.1) say it means.

``neutral=True`` draws only text that YAML 1.1 and YAML 1.2 read the same (no ``no``, ``010``,
``1:30``, more than 6 digits of a second...); without it, anything valid in YAML 1.2.
"""

from __future__ import annotations

import datetime as dt
import functools
import string

from hypothesis import strategies as st

__all__ = ["Front", "aware", "extra_values", "fronts", "keys", "texts"]

_WORD = st.text(string.ascii_letters + string.digits + "_", min_size=1, max_size=8)
_YAML11_DIFFERENT = [
    "no",
    "No",
    "off",
    "OFF",
    "on",
    "yes",
    "Yes",
    "y",
    "n",
    "010",
    "0o17",
    "1:30",
    "-1:30:00",
    "1e+16",
    "1E5",
    "0x1F",
    "0b101",
    "1_000",
    "+0o7",
    "2020-06-12T19:03:00.1234567Z",
    ".5e3",
]
_SAME_SCALARS = [
    "true",
    "False",
    "TRUE",
    "null",
    "~",
    "Null",
    "42",
    "-7",
    "0",
    "+12",
    "3.25",
    "-0.5",
    "1.0e+16",
    "6.02e+23",
    ".inf",
    "-.inf",
    ".NaN",
    "2020-06-12",
    "2020-06-12T19:03:00Z",
    "2020-06-12 19:03:00 +02:00",
    "2020-6-1T1:02:03.5-05:30",
    "2020-06-12t19:03:00.123456+01",
    "2020-06-12T19:03:00",
    "0999-01-01T00:00:00Z",
]
_LOWER = string.ascii_lowercase
_PLAIN_WORDS = st.tuples(st.sampled_from(_LOWER), st.text(_LOWER + "0123456789", max_size=6)).map(
    "".join
)
_QUOTED_WORDS = st.text(_LOWER[:5] + "'\\", min_size=1, max_size=6)
_BLOCK_LINES = st.tuples(
    st.sampled_from(string.ascii_letters + string.digits),
    st.text(string.ascii_letters + string.digits + " .,:#'\"-", max_size=12),
).map("".join)
_INDENTED_LINES = st.tuples(
    st.sampled_from([" ", "  ", "   "]), st.text(_LOWER[:6], min_size=1, max_size=5)
).map("".join)
_PLAIN_KEYS = st.tuples(
    st.sampled_from(_LOWER),
    st.text(string.ascii_letters + string.digits + "_", max_size=8),
    st.sampled_from(["", "", " of", " a b"]),
).map("".join)
_PLAIN_CHARS = string.ascii_letters + string.digits + " _./()!&*%$@'\",=+-?:#ü中🙂"


class Front:
    """A drawn front matter: its text, and whether YAML 1.1 reads it as YAML 1.2 does."""

    __slots__ = ("neutral", "text")

    def __init__(self, text: str, neutral: bool) -> None:
        self.text = text
        self.neutral = neutral

    def __repr__(self) -> str:
        return f"Front(neutral={self.neutral}, text={self.text!r})"


@functools.cache
def texts() -> st.SearchStrategy[str]:
    """Any text a value may hold: control characters, line breaks, quotes, YAML indicators."""
    return st.one_of(
        st.text(max_size=30),
        st.text(
            st.sampled_from(
                list("ab :#-?[]{},'\"\\|>!&*%@`\t\n\r ~.0123456789")
                + ["\x00", "\x07", "\x1b", "\x85", "\xa0", "\u2028", "\ufeff", "\ufffe", "é"]
            ),
            max_size=20,
        ),
        st.sampled_from(["no", "off", "1:30", "010", "1e+16", "y", "#x", "x: y", "123", "true"]),
    )


@functools.cache
def keys() -> st.SearchStrategy[str]:
    return st.one_of(_WORD, texts().filter(lambda k: 0 < len(k) < 40))


@functools.cache
def aware() -> st.SearchStrategy[dt.datetime]:
    offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
        lambda m: dt.timezone(dt.timedelta(minutes=m))
    )
    return st.datetimes(
        min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=offsets
    )


@functools.cache
def extra_values() -> st.SearchStrategy[object]:
    """Values for keys the model does not know: every type YAML and the writer can hold."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([1e16, 1e-7, -0.0, 1e300, 5e-324]),
        texts(),
        aware(),
        st.dates(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(keys(), inner, max_size=3),
        ),
        max_leaves=6,
    )


# -- scalars as text ---------------------------------------------------------------------------


def _dq_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029\ufeff\ufffe\uffff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


@functools.cache
@st.composite
def _plain_text(draw: st.DrawFn, neutral: bool, flow: bool) -> str:
    """A plain scalar's text: words, numbers, booleans, timestamps, or text YAML 1.1 reads
    otherwise (when not ``neutral``)."""
    choice = draw(st.integers(0, 9))
    if choice < 3:
        return draw(st.sampled_from(_SAME_SCALARS))
    if choice == 3 and not neutral:
        return draw(st.sampled_from(_YAML11_DIFFERENT))
    text = draw(st.text(_PLAIN_CHARS, min_size=1, max_size=20)).strip(" ")
    bad = ",[]{}" if flow else ""
    if (
        not text
        or text[0] in "-?:,[]{}#&*!|>'\"%@`"
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or any(c in bad for c in text)
        or (flow and ":" in text)
        or text[0].isdigit()
        or text in ("=", "<<")
        or text in ("y", "n", "Y", "N", "yes", "no", "on", "off", "ON", "OFF", "No", "Yes")
        or text.lower() in ("true", "false", "null", "yes", "no", "on", "off", "y", "n")
    ):
        return "word"
    return text


@functools.cache
@st.composite
def _inline_scalar(draw: st.DrawFn, neutral: bool, flow: bool = False) -> str:
    """A scalar that fits on one line (plain, single- or double-quoted)."""
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "plain":
        return draw(_plain_text(neutral, flow))
    text = draw(texts())
    if style == "single" and all(c.isprintable() for c in text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + _dq_escape(text) + '"'


@functools.cache
@st.composite
def _scalar_lines(draw: st.DrawFn, col: int, indent: int, neutral: bool) -> list[str]:
    """A value after ``key:`` (its first line is what follows ``key:``; other lines are whole):
    one line, or several (plain, quoted, literal, folded)."""
    style = draw(st.sampled_from(["inline", "inline", "multi-plain", "multi-quoted", "block"]))
    pad = " " * indent
    if style == "inline":
        value = draw(_inline_scalar(neutral))
        comment = draw(st.sampled_from(["", "", " # note", "  #c:"]))
        return [" " + value + comment]
    if style == "multi-plain":
        words = draw(st.lists(_PLAIN_WORDS, min_size=2, max_size=5))
        lines = [" " + words[0]]
        for w in words[1:]:
            if draw(st.booleans()):
                lines.append("")
            lines.append(pad + w)
        return lines
    if style == "multi-quoted":
        words = draw(st.lists(_QUOTED_WORDS, min_size=2, max_size=4))
        if draw(st.booleans()):
            body = [w.replace("\\", "\\\\") for w in words]
            q = '"'
        else:
            body = [w.replace("'", "''").replace("\\", "/") for w in words]
            q = "'"
        lines = [" " + q + body[0]]
        for w in body[1:]:
            if draw(st.booleans()):
                lines.append("")
            lines.append(pad + w)
        lines[-1] += q
        return lines
    # a block scalar: | or >, an indentation indicator maybe, a chomping indicator maybe
    kind = draw(st.sampled_from("|>"))
    chomp = draw(st.sampled_from(["", "-", "+"]))
    extra = draw(st.integers(1, 3))
    use_indicator = draw(st.booleans())
    header = kind + (f"{extra}{chomp}" if use_indicator else chomp)
    if use_indicator and draw(st.booleans()):
        header = kind + chomp + str(extra)
    header += draw(st.sampled_from(["", "", " # header comment"]))
    content = draw(
        st.lists(
            st.one_of(
                _BLOCK_LINES,
                st.just(""),
                _INDENTED_LINES if use_indicator else st.just("x"),
            ),
            min_size=1,
            max_size=6,
        )
    )
    if not any(c.strip() for c in content):
        content.append("text")
    if not use_indicator:
        # the first line with text sets the indentation: it must not start with a space
        content = [c.lstrip(" ") for c in content]
    block_pad = " " * (col + extra if use_indicator else indent)
    lines = [" " + header]
    lines += [block_pad + c if c else "" for c in content]
    lines += [""] * draw(st.integers(0, 2))
    return lines


# -- collections ------------------------------------------------------------------------------


@functools.cache
@st.composite
def _flow(draw: st.DrawFn, neutral: bool, depth: int, indent: int) -> str:
    multi = draw(st.booleans()) and depth == 0
    sep = ",\n" + " " * (indent + 2) if multi else ", "
    if draw(st.booleans()):
        items = draw(
            st.lists(
                _inline_scalar(neutral, flow=True)
                if depth > 1
                else st.one_of(
                    _inline_scalar(neutral, flow=True), _flow(neutral, depth + 1, indent)
                ),
                max_size=3,
            )
        )
        text = "[" + sep.join(items)
        if items and draw(st.integers(0, 5)) == 0:
            text += ","  # a trailing comma
        return text + "]"
    names = draw(st.lists(_WORD.map(lambda w: "k" + w), max_size=3, unique=True))
    values = [draw(_inline_scalar(neutral, flow=True)) for _ in names]
    return "{" + sep.join(f"{k}: {v}" for k, v in zip(names, values)) + "}"


def _key_text(key: str, style: str) -> str:
    if style == "double":
        return '"' + _dq_escape(key) + '"'
    if style == "single":
        return "'" + key.replace("'", "''") + "'"
    return key


@functools.cache
@st.composite
def _key(draw: st.DrawFn) -> tuple[str, str]:
    """``(value, text)`` of a key: plain, or quoted (with characters a plain key cannot hold)."""
    style = draw(st.sampled_from(["plain", "plain", "plain", "double", "single"]))
    if style == "plain":
        name = draw(_PLAIN_KEYS)
        if name in ("y", "n", "no", "on", "off", "yes", "null", "true", "false"):
            name += "_"
        return name, name
    name = draw(st.sampled_from(["odd: key", "#hash", "123", "true", "a,b", "-dash", "", "x y"]))
    name = name + draw(_WORD) if draw(st.booleans()) else name
    return name, _key_text(name, style)


@functools.cache
@st.composite
def _mapping_lines(
    draw: st.DrawFn, col: int, neutral: bool, depth: int, reserved: frozenset[str] = frozenset()
) -> list[str]:
    """The lines of a block mapping whose keys stand at ``col``."""
    taken = set(reserved)
    lines: list[str] = []
    count = draw(st.integers(1, 3 if depth else 4))
    pad = " " * col
    for _ in range(count):
        key, text = draw(_key())
        if key in taken:
            continue
        taken.add(key)
        lines.extend(draw(_decor(col)))
        spacing = draw(st.sampled_from(["", "", " "])) if text[0] not in "'\"" else ""
        head = f"{pad}{text}{spacing}:"
        lines.extend(draw(_value_lines(head, col, neutral, depth)))
    if not lines or all(not line.strip() or line.lstrip().startswith("#") for line in lines):
        lines.append(f"{pad}k{depth}x: v")
    return lines


@functools.cache
@st.composite
def _decor(draw: st.DrawFn, col: int) -> list[str]:
    """Blank lines and comment lines (at any indentation) between entries."""
    out: list[str] = []
    for _ in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            out.append("")
        else:
            out.append(
                " " * draw(st.integers(0, col + 2))
                + "# "
                + draw(st.sampled_from(["c", "a: b", "- x", "#"]))
            )
    return out


@functools.cache
@st.composite
def _value_lines(draw: st.DrawFn, head: str, col: int, neutral: bool, depth: int) -> list[str]:
    """``head`` (``key:`` or ``-``) and its value: a scalar, a flow collection, or a block."""
    kind = draw(st.sampled_from(["scalar", "scalar", "flow", "map", "seq", "empty"]))
    if depth >= 2 and kind in ("map", "seq"):
        kind = "scalar"
    indent = col + draw(st.integers(1, 4))
    if kind == "scalar":
        first, *rest = draw(_scalar_lines(col, indent, neutral))
        return [head + first, *rest]
    if kind == "flow":
        comment = draw(st.sampled_from(["", " # flow comment"]))
        return [head + " " + draw(_flow(neutral, 0, col)) + comment]
    if kind == "empty":
        return [head + draw(st.sampled_from(["", " # later", " ~", " null"]))]
    comment = draw(st.sampled_from(["", " # nested"]))
    if kind == "map":
        return [head + comment, *draw(_mapping_lines(indent, neutral, depth + 1))]
    offset = col + draw(st.integers(0, 3)) if head.endswith(":") else indent
    return [head + comment, *draw(_sequence_lines(offset, neutral, depth + 1))]


@functools.cache
@st.composite
def _sequence_lines(draw: st.DrawFn, col: int, neutral: bool, depth: int) -> list[str]:
    lines: list[str] = []
    pad = " " * col
    for _ in range(draw(st.integers(1, 3))):
        lines.extend(draw(_decor(col)))
        kind = draw(st.sampled_from(["value", "value", "map-on-dash"]))
        if kind == "map-on-dash" and depth < 2:
            inner_col = col + 1 + draw(st.integers(1, 2))
            body = draw(_mapping_lines(inner_col, neutral, depth + 1))
            while body[0][inner_col : inner_col + 1] in ("", " ", "#"):
                lines.append(body.pop(0))  # blank and comment lines go before the dash
            first = body[0][inner_col:]
            lines.append(pad + "-" + " " * (inner_col - col - 1) + first)
            lines.extend(body[1:])
        else:
            lines.extend(draw(_value_lines(pad + "-", col, neutral, depth)))
    return lines


@st.composite
def fronts(draw: st.DrawFn, *, article: bool = False, neutral: bool | None = None) -> Front:
    """A front matter's text (with an item's required keys where ``article``)."""
    if neutral is None:
        neutral = draw(st.booleans())
    taken = frozenset(
        {"title", "type", "provider", "excerpt", "category", "topics", "publishedDateTime"}
    )
    lines: list[str] = []
    if article:
        core = [
            "title:" + "".join(draw(_text_value(2))),
            "type: article",
            "provider:",
            "  name: E",
            "  domain: e.com",
        ]
        if draw(st.booleans()):
            core[2:] = ["provider: {name: E, domain: e.com}" + draw(st.sampled_from(["", " # p"]))]
        lines.extend(core)
        if draw(st.booleans()):
            lines.append("excerpt:" + "\n".join(draw(_text_value(2))))
        if draw(st.booleans()):
            lines.append(
                "publishedDateTime: "
                + draw(st.sampled_from(["2020-06-12T19:03:00Z", "2021-01-02T03:04:05.5+05:30"]))
            )
        if draw(st.booleans()):
            lines.append(
                "topics:"
                + draw(st.sampled_from([" [AI, Data] # t", "\n  - AI\n  - Data", "\n- AI", " []"]))
            )
    lines.extend(draw(_mapping_lines(0, neutral, 0, taken)))
    if draw(st.integers(0, 4)) == 0:
        lines.append("...")
    return Front("".join(line + "\n" for line in lines), neutral)


@functools.cache
@st.composite
def _text_value(draw: st.DrawFn, indent: int) -> list[str]:
    """A string value in any style (never something that reads as another type)."""
    while True:
        lines = draw(_scalar_lines(0, indent, True))
        first = lines[0].strip()
        if first[:1] in "'\"|>" or len(lines) > 1:
            return ["\n".join(lines)] if len(lines) > 1 else lines
        if first and first[0].isalpha() and first.lower() not in ("true", "false", "null"):
            return lines
        lines = [' "' + _dq_escape(first) + '"']
        return lines
