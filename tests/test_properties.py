"""Property-based tests: the model, the converter and the writer agree for any valid article."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import newsmodel as nm
from newsmodel.strategies import articles


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
