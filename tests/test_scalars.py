"""Scalars: resolution checked against ruamel.yaml's own resolver, emitted forms read back."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode

from newsmodel.yamlio._scalars import (
    construct_timestamp,
    emit_scalar,
    format_datetime,
    is_plain_safe,
    resolve_plain,
)

_YAML = YAML(typ="safe", pure=True)
_TAG = "tag:yaml.org,2002:"


def _ruamel_tag(text: str) -> str:
    tag = str(_YAML.resolver.resolve(ScalarNode, text, (True, False)))
    assert tag.startswith(_TAG)
    return tag[len(_TAG) :]


def _read_back(text: str) -> Any:
    return _YAML.load(f"v: {text}\n")["v"]


@pytest.mark.parametrize(
    ("text", "tag", "value"),
    [
        ("", "null", None),
        ("~", "null", None),
        ("Null", "null", None),
        ("TRUE", "bool", True),
        ("false", "bool", False),
        ("-12", "int", -12),
        ("0", "int", 0),
        ("-4.5", "float", -4.5),
        ("2020-06-12", "timestamp", dt.date(2020, 6, 12)),
        ("12 monkeys", "str", "12 monkeys"),
        ("+x", "str", "+x"),
        ("nothing", "str", "nothing"),
    ],
)
def test_resolve_plain_agrees_with_ruamel(text: str, tag: str, value: Any) -> None:
    assert _ruamel_tag(text) == tag
    assert resolve_plain(text) == (tag, value)


@pytest.mark.parametrize(
    "text", ["<<", "=", "1_000", "0o17", "017", ".inf", "-.INF", ".nan", "1e3"]
)
def test_unusual_forms_are_left_to_ruamel(text: str) -> None:
    # ruamel.yaml claims every one of these for a non-string tag; the fast path declines
    assert _ruamel_tag(text) != "str"
    assert resolve_plain(text) is None


def test_impossible_date_is_left_to_ruamel() -> None:
    # looks like a timestamp to the resolver, but no such day exists
    assert _ruamel_tag("2020-02-30") == "timestamp"
    assert resolve_plain("2020-02-30") is None


def test_construct_timestamp_refuses_non_timestamp() -> None:
    with pytest.raises(ValueError, match="not a timestamp"):
        construct_timestamp("June 12th")


@pytest.mark.parametrize(
    "text",
    [
        "2020-06-12T19:03:00Z",
        "2020-06-12T19:03:00.25+02:00",
        "2020-06-12 19:03:00 -05",
        "2020-6-2t01:02:03.123456",
    ],
)
def test_construct_timestamp_matches_ruamel(text: str) -> None:
    ours = construct_timestamp(text)
    theirs = _read_back(text)
    assert ours == theirs
    assert ours.utcoffset() == theirs.utcoffset()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2021, 3, 4), "2021-03-04"),
        (dt.datetime(2021, 3, 4, 10, 15), "2021-03-04T10:15:00"),
        (
            dt.datetime(2021, 3, 4, 10, 15, 0, 250000, tzinfo=dt.timezone.utc),
            "2021-03-04T10:15:00.25Z",
        ),
        (
            dt.datetime(2021, 3, 4, 10, 15, tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30))),
            "2021-03-04T10:15:00-05:30",
        ),
    ],
)
def test_format_datetime_reads_back(value: dt.date, text: str) -> None:
    assert format_datetime(value) == text
    assert emit_scalar(value) == text
    assert _read_back(text) == value
    assert resolve_plain(text) == ("timestamp", value)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("", False),
        (" lead", False),
        ("trail ", False),
        ("[x", False),
        ("- x", False),
        ("-", False),
        ("a: b", False),
        ("a #b", False),
        ("---", False),
        ("--- x", False),
        ("...", False),
        ("true", False),
        ("42", False),
        ("plain words", True),
        ("a:b", True),
        ("-x", True),
    ],
)
def test_is_plain_safe(text: str, safe: bool) -> None:
    assert is_plain_safe(text) is safe
    if safe:
        assert _read_back(text) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (-7, "-7"),
        (1.5, "1.5"),
        (1e20, "1.0e+20"),  # YAML 1.1 reads 1e+20 as a string
        (float("inf"), ".inf"),
        (float("-inf"), "-.inf"),
    ],
)
def test_emit_non_strings_read_back(value: Any, text: str) -> None:
    assert emit_scalar(value) == text
    assert _read_back(text) == value


def test_emit_nan_reads_back_as_nan() -> None:
    text = emit_scalar(float("nan"))
    assert text == ".nan"
    assert math.isnan(_read_back(text))


@pytest.mark.parametrize(
    ("value", "style", "text"),
    [
        ("it's", "'", "'it''s'"),
        ("tab\there", "'", '"tab\\there"'),  # single quotes cannot carry a tab: double quotes
        ("\x01\ufeff\x1b\x85", '"', '"\\x01\\uFEFF\\e\\N"'),
        ("\x7f", '"', '"\\x7F"'),
        ('say "hi" \\ ok', '"', '"say \\"hi\\" \\\\ ok"'),
        ("plain words", "", "plain words"),
        ("true", "", '"true"'),  # plain would read back as a bool
    ],
)
def test_emit_strings_read_back(value: str, style: str, text: str) -> None:
    assert emit_scalar(value, style) == text
    assert _read_back(text) == value


def test_emit_refuses_other_types() -> None:
    with pytest.raises(TypeError, match="cannot write bytes as a YAML scalar"):
        emit_scalar(b"raw")


def test_timestamp_fractions_past_microseconds_round_as_ruamel_does() -> None:
    from ruamel.yaml import YAML

    for text in (
        "2020-06-02T01:02:03.1234567Z",
        "2020-06-02T01:02:03.1234564Z",
        "2020-06-02T01:02:03.9999995Z",
    ):
        ours = construct_timestamp(text)
        theirs = YAML(typ="safe", pure=True).load(f"t: {text}")["t"]
        assert isinstance(ours, dt.datetime)
        assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None), text
