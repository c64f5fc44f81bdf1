"""The model checks its values: at construction and on ``attrs.evolve``, for every field of every
class (kinds of your own too), with an error naming the class, the field and the value; loading
builds the objects without checking twice."""

from __future__ import annotations

import datetime as dt
import math
import pickle
import typing
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsmodel as nm
from newsmodel import fieldchecks
from newsmodel.model import MODELS, Item, Model, Provider, extra_field, field
from newsmodel.strategies import items
from newsmodel.yamlio import InvalidTimestamp

from .conftest import CORPUS, SHARED

NAIVE = dt.datetime(2020, 1, 1, 12, 0)
AWARE = dt.datetime(2020, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
ODD_OFFSET = dt.datetime(2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1, seconds=30)))


def _inner(t: Any) -> Any:
    args = [a for a in typing.get_args(t) if a is not type(None)]
    return args[0] if type(None) in typing.get_args(t) and len(args) == 1 else t


def _good(t: Any) -> Any:
    t = _inner(t)
    if isinstance(t, type) and issubclass(t, Model):
        return _minimal(t)
    if typing.get_origin(t) is tuple:
        return (_good(typing.get_args(t)[0]),)
    return {str: "x", int: 1, float: 1.5, bool: True, dt.datetime: AWARE}[t]


def _minimal(cls: type[Any]) -> Any:
    return cls(**_required(cls))


def _required(cls: type[Any]) -> dict[str, Any]:
    return {a.name: _good(a.type) for a in attrs.fields(cls) if a.default is attrs.NOTHING}


def _wrong(t: Any) -> list[Any]:
    t = _inner(t)
    if isinstance(t, type) and issubclass(t, Model):
        return [nm.unstructure(_minimal(t)), "x", 1]
    if typing.get_origin(t) is tuple:
        item = typing.get_args(t)[0]
        good = _good(item)
        return ["AI", [good], (good, 1 if item is str else "x"), (None,)]
    if typing.get_origin(t) is not None:  # extra
        return [[], "x", {1: "x"}, {"x": object()}, {"x": {1, 2}}, {"x": [{1: "y"}]}]
    return {
        str: [123, True, b"x", ["x"], InvalidTimestamp("2021-13-45", "month must be in 1..12")],
        int: [True, "5", 5.0, None],
        float: ["4.5", True, False],
        bool: [1, 0, "true"],
        dt.datetime: [NAIVE, AWARE.date(), "2020-01-01T00:00:00Z", 1577836800, ODD_OFFSET],
    }[t]


CASES = [
    pytest.param(cls, a.name, wrong, id=f"{cls.__name__}.{a.name}-{i}")
    for cls in MODELS
    for a in attrs.fields(cls)  # type: ignore[arg-type]
    for i, wrong in enumerate(_wrong(a.type))
    if wrong is not None
]


@pytest.mark.parametrize(("cls", "name", "wrong"), CASES)
def test_a_wrong_value_is_refused_at_construction_and_on_evolve(
    cls: type[Any], name: str, wrong: Any
) -> None:
    base = _minimal(cls)
    with pytest.raises(nm.ModelValueError) as info:
        cls(**{**_required(cls), name: wrong})
    error = info.value
    assert (error.model, error.field, error.value) == (cls.__name__, name, wrong)
    assert str(error).startswith(f"{cls.__name__}.{name}")
    assert isinstance(error, nm.NewsModelError) and isinstance(error, (TypeError, ValueError))
    with pytest.raises(nm.ModelValueError, match=rf"^{cls.__name__}\.{name}\b"):
        attrs.evolve(base, **{name: wrong})


@pytest.mark.parametrize(
    ("cls", "name"),
    [(c, a.name) for c in MODELS for a in attrs.fields(c) if a.default is attrs.NOTHING],  # type: ignore[arg-type]
)
def test_a_required_field_refuses_none(cls: type[Any], name: str) -> None:
    with pytest.raises(nm.ModelValueError, match=rf"{cls.__name__}\.{name}: expected .*None"):
        attrs.evolve(_minimal(cls), **{name: None})


def test_the_issue_example_is_refused_field_by_field() -> None:
    provider = Provider(name="E", domain="e.com")
    article = nm.Article(title="T", type="article", provider=provider)
    for name, value, said in [
        ("title", 123, "Article.title: expected str, got 123 (int)"),
        ("quality", "5", "Article.quality: expected int, got '5' (str)"),
        ("topics", "AI", "Article.topics: expected tuple[str, ...], got 'AI' (str)"),
        ("topics", ["AI"], "got ['AI'] (list); write tuple(...)"),
        ("published_date_time", NAIVE, "('publishedDateTime'): expected a datetime with a time"),
    ]:
        with pytest.raises(nm.ModelValueError) as info:
            nm.Article(**{"title": "T", "type": "article", "provider": provider, name: value})
        assert said in str(info.value)
        with pytest.raises(nm.ModelValueError):
            attrs.evolve(article, **{name: value})


def test_what_the_reader_gives_is_accepted() -> None:
    ratings = nm.Ratings(count=3, average=4)  # an int is a number, as 4 in a file is
    assert ratings.average == 4
    assert math.isnan(nm.Ratings(count=3, average=math.nan).average)  # as `.nan` in a file
    item = nm.Image(url="u", extra={"when": NAIVE, "day": AWARE.date(), "list": [1, (2,)]})
    assert item.extra["when"] == NAIVE  # keys the model does not type hold any plain data


def test_the_error_pickles() -> None:
    with pytest.raises(nm.ModelValueError) as info:
        nm.Image(url=1)
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.model, again.field, again.key, again.value) == ("Image", "url", "url", 1)
    assert str(again) == str(info.value)


# -- kinds of your own: the same checks, from their annotations ---------------------------------

CALLS: list[Any] = []


def _count(instance: Any, attribute: Any, value: Any) -> None:
    CALLS.append(value)


@attrs.frozen(kw_only=True)
class Show(Item):
    title: str = field("title", required=True)
    mode: Literal["live", "taped"] | None = field("mode")
    hosts: list[str] | None = field("hosts")  # noqa: RUF009
    scores: dict[str, int] | None = field("scores")  # noqa: RUF009
    either: str | int | None = field("either")
    pair: tuple[str, int] | None = field("pair")
    day: dt.date | None = field("day")  # noqa: RUF009
    anything: Any = field("anything")  # noqa: RUF009
    counted: str | None = attrs.field(default=None, validator=_count, metadata={"key": "counted"})
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Counted(Item):
    title: str = field("title", required=True)
    hosts: tuple[str, ...] | None = field("hosts")
    counted: str | None = attrs.field(default=None, validator=_count, metadata={"key": "counted"})
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Hooked(Item):
    title: str = field("title", required=True)
    extra: Mapping[str, Any] = extra_field()

    def __attrs_post_init__(self) -> None:
        CALLS.append(self.title)


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("mode", "live", "radio"),
        ("mode", "taped", True),
        ("hosts", ["a"], ("a",)),
        ("hosts", ["a", "b"], ["a", 1]),
        ("scores", {"a": 1}, {"a": "1"}),
        ("scores", {}, {1: 1}),
        ("scores", {"b": 2}, [("a", 1)]),
        ("either", 1, 1.5),
        ("either", "x", b"x"),
        ("pair", ("a", 1), ("a", "b")),
        ("pair", ("b", 2), ("a",)),
        ("day", AWARE.date(), AWARE),
        ("anything", object(), None),
    ],
)
def test_a_kind_of_your_own_is_checked_by_its_annotations(name: str, good: Any, bad: Any) -> None:
    assert getattr(Show(title="T", **{name: good}), name) == good or name == "anything"
    if name == "anything":
        return
    with pytest.raises(nm.ModelValueError, match=rf"^Show\.{name}: "):
        Show(title="T", **{name: bad})


def test_loading_builds_without_running_the_validators() -> None:
    CALLS.clear()
    item = nm.structure({"title": "T", "counted": "n", "hosts": ["a"]}, Counted)
    assert (item.counted, item.hosts, CALLS) == ("n", ("a",), [])
    assert item == Counted(title="T", counted="n", hosts=("a",))
    assert CALLS == ["n"]  # made by hand: checked
    with pytest.raises(nm.StructureError, match=r"\$\.hosts"):
        nm.structure({"title": "T", "hosts": "a"}, Counted)  # the converter's own checks


def test_a_class_whose_init_does_more_is_built_by_its_init() -> None:
    assert fieldchecks.builder(Hooked) is Hooked
    assert fieldchecks.builder(Counted) is not Counted
    CALLS.clear()
    assert nm.structure({"title": "T"}, Hooked).title == "T"
    assert CALLS == ["T"]


# -- every valid value is accepted: drawn items, and every real file ----------------------------


def _validate_deep(obj: Any) -> None:
    if isinstance(obj, tuple):
        for item in obj:
            _validate_deep(item)
    elif isinstance(obj, Model):
        attrs.validate(obj)  # type: ignore[arg-type]
        for a in attrs.fields(type(obj)):  # type: ignore[misc]
            _validate_deep(getattr(obj, a.name))


@given(items())
def test_every_drawn_item_is_accepted_and_round_trips(item: Item) -> None:
    _validate_deep(item)
    assert attrs.evolve(item) == item
    again = nm.structure(nm.unstructure(item), type(item))
    _validate_deep(again)  # what loading builds unchecked passes the checks
    assert again == item
    text = nm.dumps(nm.Document(item=item))
    from newsmodel.validation import kind_for

    read = nm.loads(text, kind=kind_for(item))
    assert read.item == item
    _validate_deep(read.item)


_YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.dates()
    | st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


@given(st.sampled_from(MODELS), st.data())
def test_what_the_converter_accepts_the_model_accepts(cls: type[Any], data: st.DataObject) -> None:
    plain = nm.unstructure(_minimal(cls))
    key = data.draw(st.sampled_from([*sorted(cls.KEYS.values()), "someOtherKey"]))
    plain[key] = data.draw(_YAML_VALUES)
    try:
        item = nm.structure(plain, cls)
    except nm.StructureError:
        return
    _validate_deep(item)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the real corpus is not here (../shared/corpus)")
def test_every_real_file_is_accepted() -> None:
    count = 0
    for folder in (CORPUS, SHARED / "family"):
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".md", ".html") or path.name == "README.md":
                continue
            try:
                doc = nm.load(path)
            except nm.NewsModelError:
                continue
            _validate_deep(doc.item)
            count += 1
    assert count > 6000
