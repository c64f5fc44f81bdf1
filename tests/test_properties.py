"""Property-based tests: the model, the converter and the writer agree for any valid article."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import newsmodel as nm
from newsmodel.model import GenericItem, Item
from newsmodel.strategies import articles, items, titles
from newsmodel.validation import kind_for

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


@given(articles())
def test_structure_inverts_unstructure(article: nm.Article) -> None:
    assert nm.structure(nm.unstructure(article)) == article


@given(articles(), st.sampled_from(["", "\n", "\nSome *Markdown* body.\n"]))
def test_new_documents_read_back_equal(article: nm.Article, body: str) -> None:
    text = nm.dumps(nm.Document(article=article, body=body))
    doc = nm.loads(text)
    assert doc.article == article
    assert doc.body == body
    assert nm.dumps(doc) == text  # and the text is stable


@given(articles(), articles())
def test_editing_one_article_into_another(first: nm.Article, second: nm.Article) -> None:
    # Whatever the edit, the written text reads back as the new article, and writing the
    # edited document again gives the same text.
    doc = nm.loads(nm.dumps(nm.Document(article=first)))
    doc.article = second
    text = nm.dumps(doc)
    again = nm.loads(text)
    assert again.article == second
    assert nm.dumps(again) == text


@given(articles())
def test_long_texts_are_not_folded(article: nm.Article) -> None:
    # Every text is written on its own single line: that line alone, read as YAML, gives it.
    from ruamel.yaml import YAML

    text = nm.dumps(nm.Document(article=article))
    lines = [ln for ln in text.splitlines() if ln.startswith(("title: ", "excerpt: "))]
    read = {k: v for ln in lines for k, v in YAML(typ="safe", pure=True).load(ln).items()}
    assert read.get("title") == article.title
    assert read.get("excerpt") == article.excerpt


# -- every kind ------------------------------------------------------------------------------


def _read(text: str, item: Item) -> nm.Document:
    return nm.loads(text, kind=kind_for(item))


@given(items())
def test_structure_inverts_unstructure_for_every_kind(item: Item) -> None:
    assert nm.structure(nm.unstructure(item), type(item)) == item


@given(items(), st.sampled_from(["", "\n", "\n<p>Some HTML</p>\r\n"]))
def test_every_kind_reads_back_equal(item: Item, body: str) -> None:
    text = nm.dumps(nm.Document(item=item, body=body))
    doc = _read(text, item)
    assert type(doc.item) is type(item)
    assert doc.item == item and doc.body == body
    assert nm.dumps(doc) == text


@given(items(), items())
def test_editing_an_item_into_another_of_any_kind(first: Item, second: Item) -> None:
    doc = _read(nm.dumps(nm.Document(item=first)), first)
    doc.item = second
    text = nm.dumps(doc)
    again = _read(text, second)
    assert again.item == second
    assert nm.dumps(again) == text


@given(items(), titles())
def test_renaming_an_item_changes_one_line(item: Item, label: str) -> None:
    text = nm.dumps(nm.Document(item=item, body="\nBody.\n"))
    doc = _read(text, item)
    name = "title" if getattr(item, "title", None) is not None else "name"
    assume(getattr(item, name, None) is not None and getattr(item, name) != label)
    doc.item = attrs.evolve(doc.item, **{name: label})
    before, after = text.splitlines(), nm.dumps(doc).splitlines()
    assert len(before) == len(after)
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1


@settings(max_examples=50)
@given(items())
def test_every_kind_drawn_is_valid(item: Item) -> None:
    problems = nm.validate(item, now=NOW)
    assert [p for p in problems if p.is_error] == []
    # the kind is known, or (an item of a kind the library does not know) warned about once
    kinds = [p.code for p in problems if p.code in ("NM611", "NM613")]
    assert kinds == (["NM611"] if isinstance(item, GenericItem) else [])
