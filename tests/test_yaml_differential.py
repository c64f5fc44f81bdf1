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
import os
import random
from typing import Any

import attrs
import pytest
import yaml as pyyaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import newsmodel as nm
from newsmodel.yamlio import parse_text, same, split_text

from .yaml_styles import Front, edit_values, front_text, fronts, mutate

CAMPAIGN = os.environ.get("HYPOTHESIS_PROFILE") == "yaml-campaign"
SETTINGS = settings(
    max_examples=settings.default.max_examples if CAMPAIGN else 30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
# The campaign checks several drawn files per Hypothesis example (less overhead per file) and
# writes how many it checked to YAML_CAMPAIGN_LOG (a line per thousand).
BATCH = int(os.environ.get("YAML_CAMPAIGN_BATCH", "1"))
_LOG = os.environ.get("YAML_CAMPAIGN_LOG")
_COUNTS: dict[str, int] = {}


def _count(what: str) -> None:
    _COUNTS[what] = _COUNTS.get(what, 0) + 1
    if _LOG and _COUNTS[what] % 1000 == 0:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{dt.datetime.now(dt.timezone.utc):%H:%M:%S} {what} {_COUNTS[what]}\n")


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
@given(st.randoms(use_true_random=True))
def test_any_front_matter_reads_as_yaml_1_2_reads_it(r: random.Random) -> None:
    for _ in range(BATCH):
        check_reading(front_text(r, article=False, neutral=r.random() < 0.5))
        _count("read")


_OFFSET_SECONDS = dt.timezone(dt.timedelta(hours=1, seconds=30))


def _apply(article: nm.Article, changes: dict[str, Any]) -> nm.Article:
    changes = dict(changes)
    extra = changes.pop("extra", None)
    ratings = changes.pop("ratings", None)
    if ratings is not None:
        count, average = ratings
        changes["ratings"] = nm.Ratings(count=count, average=average)
    article = attrs.evolve(article, **changes)
    if extra is not None:
        article = attrs.evolve(article, extra={**article.extra, **extra})
    return article


def _mutate_extra(article: nm.Article, r: random.Random) -> nm.Article:
    """Change the values of keys the file already has (nested items, first keys of items)."""
    extra = dict(article.extra)
    for key in list(extra):
        if r.random() < 0.4:
            extra[key] = mutate(r, extra[key])
    return attrs.evolve(article, extra=extra)


def _agree(text: str, neutral: bool) -> None:
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
    if neutral:  # (else the file's own text may say ``no``, which YAML 1.1 reads as false)
        assert same(old, reference), (text, old, reference)


def check_editing(front: Front, r: random.Random, body: str | None) -> None:
    text = f"---\n{front.text}---\nbody\n"
    try:
        doc = nm.loads(text)
    except nm.NewsModelError:
        event("the drawn file does not load")
        return
    assert nm.dumps(doc) == text  # byte for byte
    before = doc.article.to_dict()
    article = _apply(doc.article, edit_values(r, _KNOWN))
    if r.random() < 0.7:
        article = _mutate_extra(article, r)
    doc.article = article
    if body is not None:
        doc.body = body
    out = nm.dumps(doc)
    after = article.to_dict()
    changed = {
        k
        for k in set(before) | set(after)
        if not same(before.get(k, _FAILED), after.get(k, _FAILED))
    }
    event("edited" if changed else "unchanged front matter")
    again = nm.loads(out)
    assert same(again.article.to_dict(), after)
    assert again.body == doc.body
    assert nm.dumps(again) == out  # stable
    _agree(out, front.neutral)
    if not changed:  # nothing to write in the front matter: its text is kept
        assert split_text(out).front == split_text(text).front  # type: ignore[union-attr]
    fresh = nm.dumps(nm.Document(article=article, body=doc.body))
    _agree(fresh, True)


@SETTINGS
@given(st.randoms(use_true_random=True))
def test_any_edit_writes_text_that_yaml_1_2_and_1_1_read_alike(r: random.Random) -> None:
    for _ in range(BATCH):
        front = front_text(r, article=True, neutral=r.random() < 0.5)
        body = r.choice([None, None, "", "Hello", "\n---\n", "x\r\n"])
        check_editing(front, r, body)
        _count("edit")


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
    with pytest.raises(nm.ModelValueError, match=r"^Article\.published_date_time "):
        attrs.evolve(doc.article, published_date_time=when)  # the model refuses it at once
    with attrs.validators.disabled():  # and the writer, where it slipped past
        doc.article = attrs.evolve(doc.article, published_date_time=when)
    with pytest.raises(nm.UnwritableError, match=r"\$\.publishedDateTime"):
        nm.dumps(doc)
