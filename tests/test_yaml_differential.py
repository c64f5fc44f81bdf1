"""Differential tests: newsmodel reads and writes YAML as two independent readers do.

Every text read or written here is also read by ruamel.yaml's safe loader (YAML 1.2, the
reference of the reading path) and by PyYAML with libyaml (YAML 1.1, as Jekyll's Psych and
python-frontmatter read front matter); the values must agree. The texts are drawn in every
style (:mod:`tests.yaml_styles`), then edited at random through the model.

The default run draws a few dozen examples per test; the campaign runs many more:
``HYPOTHESIS_PROFILE=yaml-campaign pytest tests/test_yaml_differential.py`` (see
docs/round-trip.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from typing import Any

import attrs
import pytest
import yaml as pyyaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import newsmodel as nm
from newsmodel.yamlio import parse_text, same, split_text

from .yaml_styles import Front, aware, extra_values, fronts, keys, texts

CAMPAIGN = os.environ.get("HYPOTHESIS_PROFILE") == "yaml-campaign"
SETTINGS = settings(
    max_examples=settings.default.max_examples if CAMPAIGN else 30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
_RUAMEL = YAML(typ="safe", pure=True)
_PYYAML_LOADER = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
_FAILED = object()
_KNOWN = {*nm.Article.KEYS.values(), *nm.Provider.KEYS.values()}


def yaml12(text: str) -> Any:
    try:
        return _RUAMEL.load(text)
    except Exception:
        return _FAILED


def yaml11(text: str) -> Any:
    try:
        return pyyaml.load(text, Loader=_PYYAML_LOADER)
    except Exception:
        return _FAILED


def _has_non_string_key(value: Any) -> bool:
    if isinstance(value, dict):
        return any(not isinstance(k, str) or _has_non_string_key(v) for k, v in value.items())
    if isinstance(value, list):
        return any(map(_has_non_string_key, value))
    return False


def check_reading(front: Front) -> None:
    text = f"---\n{front.text}---\nbody\n"
    reference = yaml12(front.text)
    parsed = parse_text(text)  # never raises
    nm.check_text(text)  # never raises either
    if reference is _FAILED:
        event("ruamel.yaml refuses the text")
        assert not parsed.ok, front
        assert all(p.code.startswith("NM0") for p in parsed.problems if p.is_error)
        return
    if parsed.root is None or not parsed.ok:
        codes = {p.code for p in parsed.problems if p.is_error}
        # refused on purpose: a key that is not a string, or no mapping at all
        assert codes <= {"NM012", "NM006"}, (front, parsed.problems)
        assert "NM012" not in codes or _has_non_string_key(reference), front
        event(f"refused: {sorted(codes)}")
        return
    assert same(parsed.root.plain(), reference), (front, parsed.root.plain(), reference)
    event("read, fast path" if parsed.fast else "read, ruamel.yaml path")
    if front.neutral:
        assert same(yaml11(front.text), reference), (front, yaml11(front.text))


@SETTINGS
@given(fronts())
def test_any_front_matter_reads_as_yaml_1_2_reads_it(front: Front) -> None:
    check_reading(front)


_OFFSET_SECONDS = dt.timezone(dt.timedelta(hours=1, seconds=30))


_FIELDS = (
    ("title", texts()),
    ("excerpt", st.none() | texts()),
    ("category", st.none() | texts()),
    ("topics", st.none() | st.lists(texts(), min_size=1, max_size=3).map(tuple)),
    ("published_date_time", st.none() | aware()),
    ("quality", st.none() | st.integers()),
)
_AVERAGES = st.floats(allow_nan=True) | st.sampled_from([float("nan"), 1e16])
_EXTRAS = st.dictionaries(keys().filter(lambda k: k not in _KNOWN), extra_values(), max_size=4)


@functools.cache
def edits() -> st.SearchStrategy[dict[str, Any]]:
    return _edits()


@st.composite
def _edits(draw: st.DrawFn) -> dict[str, Any]:
    """Changes to an article: fields set or removed, unknown keys added, changed or removed."""
    changes: dict[str, Any] = {}
    for name, strategy in _FIELDS:
        if draw(st.integers(0, 3)) == 0:
            changes[name] = draw(strategy)
    if draw(st.integers(0, 3)) == 0:
        average = draw(_AVERAGES)
        changes["ratings"] = nm.Ratings(count=draw(st.integers(0, 10)), average=average)
    if draw(st.booleans()):
        changes["extra"] = draw(_EXTRAS)
    return changes


def _agree(text: str, neutral: bool, changed: set[str]) -> None:
    """The library, YAML 1.2 and YAML 1.1 read the written text's front matter alike."""
    split = split_text(text)
    assert not isinstance(split, nm.Problem)
    mine = parse_text(text).root
    assert mine is not None
    reference = yaml12(split.front)
    assert reference is not _FAILED, text
    assert same(mine.plain(), reference), (text, mine.plain(), reference)
    old = yaml11(split.front)
    assert old is not _FAILED, text
    if neutral:
        assert same(old, reference), (text, old, reference)
    else:  # only what was written anew must read the same (the rest is the file's own text)
        for key in changed & set(reference):
            assert same(old.get(key), reference[key]), (key, text)


def check_editing(front: Front, changes: dict[str, Any], body: str | None) -> None:
    text = f"---\n{front.text}---\nbody\n"
    try:
        doc = nm.loads(text)
    except nm.NewsModelError:
        event("the drawn file does not load")
        return
    assert nm.dumps(doc) == text  # byte for byte
    before = doc.article.to_dict()
    extra = changes.pop("extra", None)
    article = attrs.evolve(doc.article, **changes)
    if extra is not None:
        article = attrs.evolve(article, extra={**article.extra, **extra})
    doc.article = article
    if body is not None:
        doc.body = body
    out = nm.dumps(doc)
    after = article.to_dict()
    changed = {k for k in set(before) | set(after) if not same(before.get(k), after.get(k))}
    event("edited" if changed else "unchanged front matter")
    again = nm.loads(out)
    assert same(again.article.to_dict(), after)
    assert again.body == doc.body
    assert nm.dumps(again) == out  # stable
    _agree(out, front.neutral, changed)
    if not changed:  # nothing to write in the front matter: its text is kept
        assert split_text(out).front == split_text(text).front  # type: ignore[union-attr]
    fresh = nm.dumps(nm.Document(article=article, body=doc.body))
    _agree(fresh, True, set(after))


@SETTINGS
@given(
    fronts(article=True),
    edits(),
    st.none() | st.sampled_from(["", "Hello", "\n---\n", "x\r\n"]),
)
def test_any_edit_writes_text_that_yaml_1_2_and_1_1_read_alike(
    front: Front, changes: dict[str, Any], body: str | None
) -> None:
    check_editing(front, changes, body)


@SETTINGS
@given(fronts(article=True), st.data())
def test_a_value_the_format_cannot_hold_is_refused_with_its_field(
    front: Front, data: st.DataObject
) -> None:
    text = f"---\n{front.text}---\n"
    try:
        doc = nm.loads(text)
    except nm.NewsModelError:
        return
    when = data.draw(st.datetimes()).replace(tzinfo=_OFFSET_SECONDS)
    doc.article = attrs.evolve(doc.article, published_date_time=when)
    with pytest.raises(nm.UnwritableError, match=r"\$\.publishedDateTime"):
        nm.dumps(doc)
