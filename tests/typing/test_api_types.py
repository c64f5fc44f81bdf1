"""The public API as a user's typed code sees it: checked by ``mypy --strict`` and run by pytest.

``assert_type`` fails the type check when a public name's type changes (say ``nm.load`` starts
returning ``Any`` or ``body`` becomes ``str | None``); the ``type: ignore[...]`` lines in
``_misuse`` fail it when a wrong use stops being an error (mypy --strict reports unused ignores).
Running the file as tests checks that the same code also works.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from typing_extensions import assert_type

import newsmodel as nm
from newsmodel.model import ITEM_KINDS
from newsmodel.rules import Rule, all_rules

__all__: list[str] = []

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_load_edit_dump(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    shutil.copyfile(EXAMPLES / "ai-article.md", path)

    doc = nm.load(path)
    assert_type(doc, nm.Document)
    assert_type(nm.load(str(path)), nm.Document)
    article = doc.article
    assert_type(article, nm.Article)
    assert_type(doc.body, str)
    assert_type(doc.path, str | None)
    assert_type(doc.changed, bool)

    assert_type(article.title, str)
    assert_type(article.type, str)
    assert_type(article.excerpt, str | None)
    assert_type(article.published_date_time, dt.datetime | None)
    assert_type(article.heat, int | None)
    assert_type(article.published, bool | None)
    assert_type(article.topics, tuple[str, ...] | None)
    assert_type(article.images, tuple[nm.Image, ...] | None)
    assert_type(article.related, tuple[nm.Related, ...] | None)
    assert_type(article.actions, tuple[nm.Action, ...] | None)
    assert_type(article.ratings, nm.Ratings | None)
    assert_type(article.extra, Mapping[str, Any])
    provider = article.provider
    assert_type(provider, nm.Provider)
    assert_type(provider.domain, str)
    assert_type(provider.authors, tuple[nm.Author, ...] | None)

    new = attrs.evolve(article, title="New title", heat=(article.heat or 0) + 1)
    assert_type(new, nm.Article)
    doc.article = new
    text = nm.dumps(doc)
    assert_type(text, str)
    assert_type(nm.dump(doc, path), None)
    again = nm.loads(text, path=path)
    assert again.article.title == "New title"


def test_plain_data_and_new_documents() -> None:
    article = nm.Article(
        title="T",
        type="article",
        excerpt="E",
        published_date_time=dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.timezone.utc),
        web_url="https://example.com/t",
        provider=nm.Provider(name="Example", domain="example.com"),
        images=(nm.Image(url="https://example.com/i.png", width=10, height=10),),
    )
    data = nm.unstructure(article)
    assert_type(data, dict[str, Any])
    back = nm.structure(data)
    assert_type(back, nm.Article)
    assert_type(nm.Article.from_dict(data), nm.Article)
    assert_type(article.to_dict(), dict[str, Any])
    assert_type(nm.Article.KEYS, dict[str, str])
    assert_type(ITEM_KINDS, dict[str, tuple[str, ...]])
    doc = nm.Document(article=back, body="\nBody\n")
    assert nm.loads(nm.dumps(doc)).article == article


def test_validation_and_errors(tmp_path: Path) -> None:
    problems = nm.check_text("no front matter\n")
    assert_type(problems, list[nm.Problem])
    problem = problems[0]
    assert_type(problem.code, str)
    assert_type(problem.line, int | None)
    assert_type(problem.column, int | None)
    assert_type(problem.pointer, str)
    assert_type(problem.is_error, bool)
    assert_type(nm.format_problem(problem, location=True), str)
    assert_type(nm.check_file(tmp_path / "missing.md", select=["NM0"]), list[nm.Problem])
    doc = nm.load(EXAMPLES / "data-course.md")
    assert_type(nm.validate(doc, ignore=["NM5"]), list[nm.Problem])
    assert_type(nm.validate(doc.article), list[nm.Problem])

    try:
        nm.loads("---\ntitle: [\n---\n")
    except nm.DocumentError as exc:
        assert_type(exc.problems, tuple[nm.Problem, ...])
        assert_type(exc.line, int | None)
        assert isinstance(exc, nm.NewsModelError)
    else:  # pragma: no cover - the text above is not valid YAML
        raise AssertionError("expected a DocumentError")


def test_rules_registry() -> None:
    rules = all_rules()
    assert_type(rules, list[Rule])
    assert all(
        isinstance(rule.code, str) and rule.severity in ("error", "warning") for rule in rules
    )


def _misuse(doc: nm.Document, article: nm.Article) -> None:  # pragma: no cover - never run
    """Wrong uses that the types must reject (each ignore must stay in use)."""
    nm.loads(b"---\n")  # type: ignore[arg-type]
    nm.dumps(article)  # type: ignore[arg-type]
    article.title = "x"  # type: ignore[misc]
    doc.article = {"title": "x"}  # type: ignore[assignment]
    nm.Article("T", "article")  # type: ignore[call-arg]
    attrs.evolve(article, no_such_field=1)  # type: ignore[call-arg]
