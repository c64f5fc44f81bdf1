"""Front matter written in every YAML style, not only the corpus one, and random edits.

A front matter is drawn as text (not as data): block mappings at any indentation, block
sequences with or without an offset, scalars plain, single- and double-quoted (on one line or
several), literal and folded block scalars with every indicator, flow collections (on one line
or several, with comments), quoted keys, comments and blank lines everywhere, and a ``...``
document end. The text is never computed from a value: what it means is what the independent
readers (ruamel.yaml's safe loader for YAML 1.2, PyYAML for YAML 1.1) say it means.

``neutral=True`` draws only text that YAML 1.1 and YAML 1.2 read the same (no ``no``, ``010``,
``1:30``, more than 6 digits of a second...); without it, anything valid in YAML 1.2.

The generators take a :class:`random.Random`; the strategies draw it from Hypothesis
(``st.randoms``), so that a failure is reproduced by its seed and a campaign of many thousand
cases costs little more than the parsers' own time.
"""

from __future__ import annotations

import datetime as dt
import random
import string

from hypothesis import strategies as st

__all__ = [
    "Front",
    "edit_values",
    "fronts",
    "mutate",
    "random_key",
    "random_text",
    "random_value",
]

_LOWER = string.ascii_lowercase
_ALNUM = string.ascii_letters + string.digits
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
_PLAIN_CHARS = _ALNUM + " _./()!&*%$@'\",=+-?:#ü中🙂"
_SPECIAL = [
    *list("ab :#-?[]{},'\"\\|>!&*%@`\t\n\r ~.0123456789"),
    "\x00",
    "\x07",
    "\x1b",
    "\x85",
    "\xa0",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "é",
    "🙂",
]
_TRICKY = ["no", "off", "1:30", "010", "1e+16", "y", "#x", "x: y", "123", "true", "- a", "<<", ""]


class Front:
    """A drawn front matter: its text, and whether YAML 1.1 reads it as YAML 1.2 does."""

    __slots__ = ("neutral", "text")

    def __init__(self, text: str, neutral: bool) -> None:
        self.text = text
        self.neutral = neutral

    def __repr__(self) -> str:
        return f"Front(neutral={self.neutral}, text={self.text!r})"


# -- values (for edits) ---------------------------------------------------------------------------


def random_text(r: random.Random) -> str:
    """Any text a value may hold: control characters, line breaks, quotes, YAML indicators."""
    kind = r.randrange(4)
    if kind == 0:
        return r.choice(_TRICKY)
    size = r.randrange(0, 20)
    if kind == 1:
        return "".join(r.choice(_SPECIAL) for _ in range(size))
    if kind == 2:
        return "".join(chr(r.randrange(0x20, 0x2FFF)) for _ in range(size)).replace("\ud800", "")
    return "".join(r.choice(_PLAIN_CHARS) for _ in range(size))


def random_key(r: random.Random) -> str:
    if r.randrange(3):
        return r.choice(_LOWER) + "".join(r.choice(_ALNUM + "_") for _ in range(r.randrange(8)))
    return random_text(r)[:40]


def _aware(r: random.Random) -> dt.datetime:
    zone = dt.timezone(dt.timedelta(minutes=r.randrange(-23 * 60 - 59, 23 * 60 + 60)))
    day = dt.date(1, 1, 2) + dt.timedelta(days=r.randrange(3_652_000))
    micro = r.choice([0, 0, r.randrange(1_000_000)])
    return dt.datetime(
        day.year, day.month, day.day, r.randrange(24), r.randrange(60), r.randrange(60), micro
    ).replace(tzinfo=zone)


def random_value(r: random.Random, depth: int = 0) -> object:
    """A value for a key the model does not know: every type YAML and the writer can hold."""
    kind = r.randrange(12 if depth < 2 else 10)
    if kind == 0:
        return None
    if kind == 1:
        return r.random() < 0.5
    if kind == 2:
        return r.randrange(-(2**70), 2**70) if r.random() < 0.3 else r.randrange(-1000, 1000)
    if kind == 3:
        return r.choice([1e16, 1e-7, -0.0, 1e300, 5e-324, float("nan"), float("inf"), 0.1, -2.5])
    if kind == 4:
        return r.uniform(-1e6, 1e6)
    if kind in (5, 6):
        return random_text(r)
    if kind == 7:
        return _aware(r)
    if kind == 8:
        return _aware(r).date()
    if kind == 9:
        return random_text(r)
    if kind == 10:
        return [random_value(r, depth + 1) for _ in range(r.randrange(4))]
    return {random_key(r): random_value(r, depth + 1) for _ in range(r.randrange(4))}


def edit_values(r: random.Random, known: set[str]) -> dict[str, object]:
    """Random changes to an article's fields and unknown keys (``extra``)."""
    changes: dict[str, object] = {}
    if r.random() < 0.3:
        changes["title"] = random_text(r)
    if r.random() < 0.3:
        changes["excerpt"] = r.choice([None, random_text(r)])
    if r.random() < 0.3:
        changes["category"] = r.choice([None, random_text(r)])
    if r.random() < 0.3:
        changes["topics"] = r.choice([None, tuple(random_text(r) for _ in range(1, 4))])
    if r.random() < 0.3:
        changes["published_date_time"] = r.choice([None, _aware(r)])
    if r.random() < 0.2:
        changes["quality"] = r.choice([None, r.randrange(-5, 10**20)])
    if r.random() < 0.2:
        changes["ratings"] = (
            r.randrange(10),
            r.choice([float("nan"), 1e16, 4.5, float("inf"), r.random()]),
        )
    if r.random() < 0.6:
        extra = {}
        for _ in range(r.randrange(1, 4)):
            key = random_key(r)
            if key not in known:
                extra[key] = random_value(r)
        changes["extra"] = extra
    return changes


def mutate(r: random.Random, value: object) -> object:
    """A value changed a little: one item or key of a list or mapping removed, changed, added
    (at the front too), or a scalar replaced; nested values are reached at random."""
    if isinstance(value, list):
        items = list(value)
        what = r.randrange(4)
        if what == 0 and items:
            del items[r.randrange(len(items))]
        elif what == 1 and items:
            i = r.randrange(len(items))
            items[i] = mutate(r, items[i])
        elif what == 2:
            items.insert(r.randrange(len(items) + 1), random_value(r, 2))
        else:
            return random_value(r)
        return items
    if isinstance(value, dict):
        entries = dict(value)
        what = r.randrange(4)
        if what == 0 and entries:
            del entries[r.choice(list(entries))]  # the first key of a list item too
        elif what == 1 and entries:
            key = r.choice(list(entries))
            entries[key] = mutate(r, entries[key])
        elif what == 2:
            entries = {random_key(r): random_value(r, 2), **entries}
        else:
            return random_value(r)
        return entries
    if isinstance(value, str) and r.random() < 0.5:
        return value + r.choice(["!", "\nmore", " #x", ""])
    return random_value(r, 2)


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


def _plain_text(r: random.Random, neutral: bool, flow: bool) -> str:
    """A plain scalar's text: words, numbers, booleans, timestamps, or text YAML 1.1 reads
    otherwise (when not ``neutral``)."""
    choice = r.randrange(10)
    if choice < 3:
        return r.choice(_SAME_SCALARS)
    if choice == 3 and not neutral:
        return r.choice(_YAML11_DIFFERENT)
    text = "".join(r.choice(_PLAIN_CHARS) for _ in range(r.randrange(1, 20))).strip(" ")
    if (
        not text
        or text[0] in "-?:,[]{}#&*!|>'\"%@`"
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or (flow and any(c in ",[]{}:" for c in text))
        or text[0].isdigit()
        or text in ("=", "<<")
        or text.lower() in ("true", "false", "null", "yes", "no", "on", "off", "y", "n")
    ):
        return "word"
    return text


def _inline_scalar(r: random.Random, neutral: bool, flow: bool = False) -> str:
    """A scalar that fits on one line (plain, single- or double-quoted)."""
    style = r.choice(["plain", "plain", "single", "double"])
    if style == "plain":
        return _plain_text(r, neutral, flow)
    text = random_text(r)
    if style == "single" and all(c.isprintable() for c in text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + _dq_escape(text) + '"'


def _word(r: random.Random, alphabet: str = _LOWER + string.digits) -> str:
    return r.choice(_LOWER) + "".join(r.choice(alphabet) for _ in range(r.randrange(6)))


def _scalar_lines(r: random.Random, col: int, indent: int, neutral: bool) -> list[str]:
    """A value after ``key:`` (its first line is what follows ``key:``; other lines are whole):
    one line, or several (plain, quoted, literal, folded)."""
    style = r.choice(["inline", "inline", "multi-plain", "multi-quoted", "block"])
    pad = " " * indent
    if style == "inline":
        return [" " + _inline_scalar(r, neutral) + r.choice(["", "", " # note", "  #c:"])]
    if style in ("multi-plain", "multi-quoted"):
        words = [_word(r) for _ in range(r.randrange(2, 5))]
        quote = ""
        if style == "multi-quoted":
            quote = r.choice("'\"")
            extra = "'\\" if quote == '"' else "'"
            words = [w + r.choice(["", extra]) for w in words]
            words = [
                w.replace("\\", "\\\\") if quote == '"' else w.replace("'", "''") for w in words
            ]
        lines = [" " + quote + words[0]]
        for w in words[1:]:
            if r.random() < 0.3:
                lines.append("")
            lines.append(pad + w)
        lines[-1] += quote
        return lines
    # a block scalar: | or >, an indentation indicator maybe, a chomping indicator maybe
    kind = r.choice("|>")
    chomp = r.choice(["", "-", "+"])
    step = r.randrange(1, 4)
    indicator = r.random() < 0.5
    header = kind + (
        (f"{step}{chomp}" if r.random() < 0.5 else f"{chomp}{step}") if indicator else chomp
    )
    header += r.choice(["", "", " # header comment"])
    content = []
    for _ in range(r.randrange(1, 7)):
        shape = r.randrange(5)
        if shape == 0:
            content.append("")
        elif shape == 1 and indicator:
            content.append(" " * r.randrange(1, 4) + _word(r))
        else:
            size = r.randrange(13)
            content.append(
                r.choice(_ALNUM) + "".join(r.choice(_ALNUM + " .,:#'\"-") for _ in range(size))
            )
    if not any(c.strip() for c in content):
        content.append("text")
    block_pad = " " * (col + step if indicator else indent)
    lines = [" " + header] + [block_pad + c if c else "" for c in content]
    return lines + [""] * r.randrange(3)


# -- collections ------------------------------------------------------------------------------


def _flow(r: random.Random, neutral: bool, depth: int, indent: int) -> str:
    multi = depth == 0 and r.random() < 0.4
    sep = (
        ",\n" + " " * (indent + 2) + r.choice(["", "# c\n" + " " * (indent + 2)]) if multi else ", "
    )
    if r.random() < 0.5:
        items = []
        for _ in range(r.randrange(4)):
            if depth < 2 and r.random() < 0.2:
                items.append(_flow(r, neutral, depth + 1, indent))
            else:
                items.append(_inline_scalar(r, neutral, flow=True))
        text = "[" + sep.join(items)
        if items and r.random() < 0.15:
            text += ","  # a trailing comma
        return text + "]"
    names = list(dict.fromkeys("k" + _word(r) for _ in range(r.randrange(4))))
    return "{" + sep.join(f"{k}: {_inline_scalar(r, neutral, flow=True)}" for k in names) + "}"


def _key(r: random.Random) -> tuple[str, str]:
    """``(value, text)`` of a key: plain, or quoted (with characters a plain key cannot hold)."""
    style = r.choice(["plain", "plain", "plain", "double", "single"])
    if style == "plain":
        name = _word(r, _ALNUM + "_") + r.choice(["", "", " of", " a b"])
        if name in ("y", "n", "no", "on", "off", "yes", "null", "true", "false"):
            name += "_"
        return name, name
    name = r.choice(["odd: key", "#hash", "123", "true", "a,b", "-dash", "", "x y", "é"])
    if r.random() < 0.5:
        name += _word(r)
    if style == "double":
        return name, '"' + _dq_escape(name) + '"'
    return name, "'" + name.replace("'", "''") + "'"


def _decor(r: random.Random, col: int) -> list[str]:
    """Blank lines and comment lines (at any indentation) between entries."""
    out: list[str] = []
    for _ in range(r.choice([0, 0, 1, 2])):
        if r.random() < 0.5:
            out.append("")
        else:
            out.append(" " * r.randrange(col + 3) + "# " + r.choice(["c", "a: b", "- x", "#"]))
    return out


def _mapping_lines(
    r: random.Random, col: int, neutral: bool, depth: int, taken: set[str] | None = None
) -> list[str]:
    """The lines of a block mapping whose keys stand at ``col``."""
    taken = set() if taken is None else taken
    lines: list[str] = []
    pad = " " * col
    for _ in range(r.randrange(1, 4 if depth else 6)):
        key, text = _key(r)
        if key in taken:
            continue
        taken.add(key)
        lines.extend(_decor(r, col))
        spacing = r.choice(["", "", " "]) if text[0] not in "'\"" else ""
        lines.extend(_value_lines(r, f"{pad}{text}{spacing}:", col, neutral, depth))
    if not any(line.strip() and not line.lstrip().startswith("#") for line in lines):
        lines.append(f"{pad}k{depth}x: v")
    return lines


def _value_lines(r: random.Random, head: str, col: int, neutral: bool, depth: int) -> list[str]:
    """``head`` (``key:`` or ``-``) and its value: a scalar, a flow collection, or a block."""
    kind = r.choice(["scalar", "scalar", "flow", "map", "seq", "empty"])
    if depth >= 3 and kind in ("map", "seq"):
        kind = "scalar"
    indent = col + r.randrange(1, 5)
    if kind == "scalar":
        first, *rest = _scalar_lines(r, col, indent, neutral)
        return [head + first, *rest]
    if kind == "flow":
        return [head + " " + _flow(r, neutral, 0, col) + r.choice(["", " # flow comment"])]
    if kind == "empty":
        return [head + r.choice(["", " # later", " ~", " null"])]
    comment = r.choice(["", " # nested"])
    if kind == "map":
        return [head + comment, *_mapping_lines(r, indent, neutral, depth + 1)]
    offset = col + r.randrange(4) if head.endswith(":") else indent
    return [head + comment, *_sequence_lines(r, offset, neutral, depth + 1)]


def _sequence_lines(r: random.Random, col: int, neutral: bool, depth: int) -> list[str]:
    lines: list[str] = []
    pad = " " * col
    for _ in range(r.randrange(1, 4)):
        lines.extend(_decor(r, col))
        if depth < 3 and r.random() < 0.3:  # a mapping that starts on the dash's line
            inner = col + 1 + r.randrange(1, 3)
            body = _mapping_lines(r, inner, neutral, depth + 1)
            while body[0][inner : inner + 1] in ("", " ", "#"):
                lines.append(body.pop(0))  # blank and comment lines go before the dash
            lines.append(pad + "-" + " " * (inner - col - 1) + body[0][inner:])
            lines.extend(body[1:])
        else:
            lines.extend(_value_lines(r, pad + "-", col, neutral, depth))
    return lines


def _text_value(r: random.Random) -> str:
    """A string value in any style (never something that reads as another type)."""
    lines = _scalar_lines(r, 0, 2, True)
    first = lines[0].strip()
    if len(lines) > 1 or first[:1] in "'\"|>":
        return "\n".join(lines)
    if first and first[0].isalpha() and first.lower() not in ("true", "false", "null"):
        return lines[0]
    return ' "' + _dq_escape(first) + '"'


def front_text(r: random.Random, *, article: bool, neutral: bool) -> Front:
    taken = {"title", "type", "provider", "excerpt", "category", "topics", "publishedDateTime"}
    lines: list[str] = []
    if article:
        entries = ["title:" + _text_value(r), "type: article"]
        if r.random() < 0.5:
            entries.append("provider: {name: E, domain: e.com}" + r.choice(["", " # p"]))
        else:
            indent = " " * r.randrange(1, 5)
            entries.append(f"provider:\n{indent}name: E\n{indent}domain: e.com")
        if r.random() < 0.5:
            entries.append("excerpt:" + _text_value(r))
        if r.random() < 0.5:
            when = r.choice(["2020-06-12T19:03:00Z", "2021-01-02T03:04:05.5+05:30"])
            entries.append("publishedDateTime: " + when)
        if r.random() < 0.5:
            entries.append(
                "topics:" + r.choice([" [AI, Data] # t", "\n  - AI\n  - Data", "\n- AI", " []"])
            )
        r.shuffle(entries)
        for entry in entries:
            lines.extend(entry.split("\n"))
    lines.extend(_mapping_lines(r, 0, neutral, 0, taken))
    if r.random() < 0.2:
        lines.append("...")
    return Front("".join(line + "\n" for line in lines), neutral)


def fronts(*, article: bool = False) -> st.SearchStrategy[Front]:
    """A front matter's text (with an item's required keys where ``article``)."""
    return st.builds(
        lambda r, neutral: front_text(r, article=article, neutral=neutral),
        st.randoms(use_true_random=True),
        st.booleans(),
    )
