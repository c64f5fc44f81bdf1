"""The converter's strict hooks: no silent coercion, and every message and hint written out.

Each expected value here is written by hand from the YAML data model (an integer is not a
bool, a float is not an int, a string is not a list), not computed with the converter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import newsmodel as nm
from newsmodel.converter import describe, structure_problems, try_structure

__all__: list[str] = []

UTC = dt.timezone.utc


def article(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Hello",
        "type": "article",
        "provider": {"name": "Example", "domain": "example.com"},
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not _DROP}


_DROP = object()


def problems(**changes: Any) -> list[tuple[str, str, str, str | None]]:
    value, found = try_structure(article(**changes), nm.Article)
    assert (value is None) == bool(found)
    return [(p.code, p.pointer, p.message, p.hint) for p in found]


def one(**changes: Any) -> tuple[str, str, str | None]:
    (found,) = problems(**changes)
    code, pointer, message, hint = found
    assert code == "NM100"
    return pointer, message, hint


# -- describe --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (None, "nothing (null)"),
        (True, "the boolean true"),
        (False, "the boolean false"),
        (0, "the integer 0"),
        (-7, "the integer -7"),
        (1.5, "the number 1.5"),
        (float("inf"), "the number inf"),
        ("abc", "the string 'abc'"),
        ("", "the string ''"),
        ("x" * 60, "the string '" + "x" * 60 + "'"),
        ("x" * 61, "the string '" + "x" * 57 + "...'"),
        (dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC), "the timestamp 2020-01-02T03:04:05+00:00"),
        (dt.datetime(2020, 1, 2, 3, 4, 5), "the timestamp 2020-01-02T03:04:05"),
        (dt.date(2020, 1, 2), "the date 2020-01-02"),
        ({}, "a mapping"),
        ({"a": 1}, "a mapping"),
        ([], "a list"),
        ((1,), "a list"),
        ({1}, "a set"),
        (b"x", "a bytes"),
    ],
)
def test_describe(value: Any, said: str) -> None:
    assert describe(value) == said


# -- strings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "got", "hint"),
    [
        (5, "the integer 5", 'Quote it to make it a string: "5".'),
        (True, "the boolean true", 'Quote it to make it a string: "true".'),
        (1.5, "the number 1.5", 'Quote it to make it a string: "1.5".'),
        (dt.date(2020, 1, 2), "the date 2020-01-02", 'Quote it to make it a string: "2020-01-02".'),
        (["a"], "a list", None),
        ({"a": "b"}, "a mapping", None),
    ],
)
def test_a_string_is_only_a_string(value: Any, got: str, hint: str | None) -> None:
    assert one(title=value) == ("$.title", f"Expected a string, got {got}.", hint)


def test_null_in_a_required_string_is_not_the_string_none() -> None:
    assert one(title=None) == ("$.title", "Expected a string, got nothing (null).", None)


# -- integers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "got", "hint"),
    [
        ("64", "the string '64'", "Write it without quotes: 64."),
        (" -3 ", "the string ' -3 '", "Write it without quotes: -3."),
        ("6 4", "the string '6 4'", None),
        ("X5", "the string 'X5'", None),
        ("--5", "the string '--5'", "Write it without quotes: --5."),
        ("abc", "the string 'abc'", None),
        (3.7, "the number 3.7", None),
        (3.0, "the number 3.0", None),
        (True, "the boolean true", None),
        (False, "the boolean false", None),
    ],
)
def test_an_integer_is_only_an_integer(value: Any, got: str, hint: str | None) -> None:
    assert one(quality=value) == ("$.quality", f"Expected an integer, got {got}.", hint)


def test_integers_pass_as_themselves() -> None:
    value, found = try_structure(article(quality=0, heat=-5), nm.Article)
    assert found == [] and value is not None
    assert (value.quality, value.heat) == (0, -5)
    assert type(value.quality) is int


# -- numbers -------------------------------------------------------------------------------------


def test_a_number_is_an_int_or_a_float_and_becomes_a_float() -> None:
    ratings = nm.structure({"count": 3, "average": 4}, nm.Ratings)
    assert ratings.average == 4.0 and type(ratings.average) is float
    assert nm.structure({"count": 3, "average": 4.5}, nm.Ratings).average == 4.5
    for bad, got in [
        ("4.5", "the string '4.5'"),
        (True, "the boolean true"),
        (None, "nothing (null)"),
    ]:
        value, found = try_structure({"count": 3, "average": bad}, nm.Ratings)
        assert value is None
        assert [(p.pointer, p.message, p.hint) for p in found] == [
            ("$.average", f"Expected a number, got {got}.", None)
        ]


# -- booleans ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "got", "hint"),
    [
        (1, "the integer 1", None),
        (0, "the integer 0", None),
        (1.0, "the number 1.0", None),
        ("true", "the string 'true'", "Write true without quotes."),
        (" Yes ", "the string ' Yes '", "Write true without quotes."),
        ("ON", "the string 'ON'", "Write true without quotes."),
        ("false", "the string 'false'", "Write false without quotes."),
        ("no", "the string 'no'", "Write false without quotes."),
        ("Off", "the string 'Off'", "Write false without quotes."),
        ("maybe", "the string 'maybe'", None),
        ("", "the string ''", None),
    ],
)
def test_a_bool_is_only_a_bool(value: Any, got: str, hint: str | None) -> None:
    """Planted bug (issue 15): ``published: 1`` must not load as ``True``."""
    assert one(published=value) == ("$.published", f"Expected true or false, got {got}.", hint)


def test_bools_pass_as_themselves() -> None:
    value = nm.structure(article(published=False, removed=True))
    assert value.published is False and value.removed is True


# -- timestamps ----------------------------------------------------------------------------------


def test_a_timestamp_needs_a_time_zone() -> None:
    naive = dt.datetime(2020, 1, 2, 3, 4, 5)
    assert one(publishedDateTime=naive) == (
        "$.publishedDateTime",
        "Expected a timestamp with a time zone, got the timestamp 2020-01-02T03:04:05.",
        "Add the zone: 2020-01-02T03:04:05Z for UTC.",
    )


@pytest.mark.parametrize(
    ("value", "got", "hint"),
    [
        (
            dt.date(2020, 1, 2),
            "the date 2020-01-02",
            "Add the time and zone: 2020-01-02T00:00:00Z.",
        ),
        (
            "2020-01-02T03:04:05Z",
            "the string '2020-01-02T03:04:05Z'",
            "Write an unquoted ISO 8601 timestamp such as 2020-06-12T19:03:00Z.",
        ),
        (5, "the integer 5", None),
    ],
)
def test_a_timestamp_is_only_a_timestamp(value: Any, got: str, hint: str | None) -> None:
    assert one(publishedDateTime=value) == (
        "$.publishedDateTime",
        f"Expected a timestamp such as 2020-06-12T19:03:00Z, got {got}.",
        hint,
    )


def test_a_time_zone_without_an_offset_is_no_time_zone() -> None:
    class NoOffset(dt.tzinfo):
        def utcoffset(self, when: dt.datetime | None) -> dt.timedelta | None:
            return None

        def dst(self, when: dt.datetime | None) -> dt.timedelta | None:
            return None

        def tzname(self, when: dt.datetime | None) -> str | None:
            return None

    stamp = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=NoOffset())
    pointer, message, hint = one(publishedDateTime=stamp)
    assert pointer == "$.publishedDateTime"
    assert message.startswith("Expected a timestamp with a time zone, got the timestamp ")
    assert hint == "Add the zone: 2020-01-02T03:04:05Z for UTC."


def test_aware_timestamps_pass_unchanged() -> None:
    stamp = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert nm.structure(article(publishedDateTime=stamp)).published_date_time is stamp


# -- lists, mappings, nesting --------------------------------------------------------------------


def test_a_list_is_only_a_list() -> None:
    assert one(topics="AI") == ("$.topics", "Expected a list, got the string 'AI'.", None)
    assert one(topics={"a": 1}) == ("$.topics", "Expected a list, got a mapping.", None)
    assert one(topics=("a",)) == ("$.topics", "Expected a list, got a list.", None)


def test_every_bad_item_of_a_list_is_reported_with_its_index() -> None:
    assert problems(topics=["ok", 1, "fine", None]) == [
        (
            "NM100",
            "$.topics[1]",
            "Expected a string, got the integer 1.",
            'Quote it to make it a string: "1".',
        ),
        ("NM100", "$.topics[3]", "Expected a string, got nothing (null).", None),
    ]
    value = nm.structure(article(topics=["a", "b"]))
    assert value.topics == ("a", "b")


def test_null_is_none_for_optional_keys() -> None:
    value = nm.structure(article(topics=None, quality=None, images=None))
    assert (value.topics, value.quality, value.images) == (None, None, None)


def test_a_model_needs_a_mapping() -> None:
    assert one(provider="Example") == (
        "$.provider",
        "Expected a mapping (Provider), got the string 'Example'.",
        None,
    )
    assert one(images=["https://example.com/a.jpg"]) == (
        "$.images[0]",
        "Expected a mapping (Image), got the string 'https://example.com/a.jpg'.",
        None,
    )


def test_unknown_keys_are_kept_as_extra_and_known_keys_are_not() -> None:
    value = nm.structure(article(mine=[1, 2], provider={"name": "E", "domain": "e.com", "x": 1}))
    assert value.extra == {"mine": [1, 2]}
    assert value.provider.extra == {"x": 1}
    plain = nm.structure(article())
    assert plain.extra == {} and plain.provider.extra == {}


def test_nested_problems_use_the_files_key_names() -> None:
    data = article(
        images=[{"url": "https://example.com/a.jpg", "width": "640", "isCached": 1}],
        related=[{"title": 5}],
    )
    value, found = try_structure(data, nm.Article)
    assert value is None
    assert [(p.pointer, p.message) for p in found] == [
        ("$.images[0].width", "Expected an integer, got the string '640'."),
        ("$.images[0].isCached", "Expected true or false, got the integer 1."),
        ("$.related[0].title", "Expected a string, got the integer 5."),
    ]


def test_missing_required_keys_are_nm101_with_where() -> None:
    data = article(provider={"name": "E"})
    del data["title"]
    seen: list[tuple[tuple[str | int, ...], bool]] = []

    def where(path: tuple[str | int, ...], missing: bool) -> tuple[int, int]:
        seen.append((path, missing))
        return 7, 3

    value, found = try_structure(data, nm.Article, where)
    assert value is None
    assert sorted((p.code, p.pointer, p.message, p.hint, p.line, p.column) for p in found) == [
        (
            "NM101",
            "$.provider.domain",
            "The required key 'domain' is missing.",
            "Add 'domain:' with its value.",
            7,
            3,
        ),
        (
            "NM101",
            "$.title",
            "The required key 'title' is missing.",
            "Add 'title:' with its value.",
            7,
            3,
        ),
    ]
    assert sorted(seen) == [(("provider", "domain"), True), (("title",), True)]


def test_structure_raises_with_every_problem() -> None:
    with pytest.raises(nm.StructureError) as info:
        nm.structure(article(title=5, quality="x"))
    assert [p.pointer for p in info.value.problems] == ["$.title", "$.quality"]


def test_structure_problems_of_an_error_that_is_not_a_type_error() -> None:
    found = structure_problems(ValueError("boom"))
    assert [(p.code, p.pointer, p.message) for p in found] == [
        ("NM100", "$", "The value cannot be read: boom.")
    ]


# -- timestamps that are no real date or time ---------------------------------------------------

DOC = '---\ntitle: "T"\ntype: article\nprovider:\n  name: P\n  domain: example.com\n---\n'
REAL_DATE_HINT = "Write a real date, such as 2020-06-12T19:03:00Z."


def bad_timestamps(extra_lines: str) -> list[tuple[str, str, int | None, int | None, str]]:
    with pytest.raises(nm.NewsModelError) as info:
        nm.loads(DOC.replace("type: article\n", "type: article\n" + extra_lines))
    problems = info.value.problems  # type: ignore[attr-defined]
    assert all(p.hint == REAL_DATE_HINT for p in problems)
    return [(p.code, p.pointer, p.line, p.column, p.message) for p in problems]


@pytest.mark.parametrize(
    ("lines", "pointer", "line", "column", "text", "reason"),
    [
        # a field of the model that wants a timestamp, one that wants a string
        (
            "publishedDateTime: 2021-13-45T10:15:00Z\n",
            "$.publishedDateTime",
            4,
            20,
            "2021-13-45T10:15:00Z",
            "month must be in 1..12",
        ),
        (
            "category: 2021-02-30\n",
            "$.category",
            4,
            11,
            "2021-02-30",
            "day is out of range for month",
        ),
        # keys the model does not know: the path inside them
        ("mine: 2021-02-30\n", "$.mine", 4, 7, "2021-02-30", "day is out of range for month"),
        (
            "mine:\n  a: [1, {b: 2021-13-01}]\n",
            "$.mine.a[1].b",
            5,
            14,
            "2021-13-01",
            "month must be in 1..12",
        ),
        (
            "mine:\n  - x\n  - 2021-00-10\n",
            "$.mine[1]",
            6,
            5,
            "2021-00-10",
            "month must be in 1..12",
        ),
    ],
)
def test_a_timestamp_that_is_no_real_date_is_reported_where_it_is(
    lines: str, pointer: str, line: int, column: int, text: str, reason: str
) -> None:
    assert bad_timestamps(lines) == [
        (
            "NM005",
            pointer,
            line,
            column,
            f"The timestamp '{text}' is not a real date or time: {reason}.",
        )
    ]


def test_real_dates_and_plain_strings_inside_unknown_keys_pass() -> None:
    doc = nm.loads(
        DOC.replace("type: article\n", "type: article\nmine: {a: [x, 2021-02-28], b: 'z'}\n")
    )
    assert doc.article.extra == {"mine": {"a": ["x", dt.date(2021, 2, 28)], "b": "z"}}


def test_every_impossible_timestamp_among_unknown_keys_is_reported() -> None:
    # one problem each, at its own key (not only the first); NM503 leaves them to NM005
    lines = (
        "startDateTime: 2021-13-45T00:00:00Z\n"
        "endDateTime: 2021-02-30T00:00:00Z\n"
        "dates: [2021-02-29, 2020-02-29]\n"
    )
    problems = nm.check_text(DOC.replace("type: article\n", "type: article\n" + lines))
    got = [(p.code, p.pointer) for p in problems if p.code in ("NM005", "NM503")]
    assert got == [
        ("NM005", "$.startDateTime"),
        ("NM005", "$.endDateTime"),
        ("NM005", "$.dates[0]"),
    ]
