"""``nm.validate`` on documents and articles agrees with ``nm.check_file``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

import newsmodel as nm

from .conftest import EXAMPLES

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def _broken(tmp_path: Path) -> Path:
    text = (EXAMPLES / "ai-article.md").read_text(encoding="utf-8")
    text = text.replace("www-example-com.cdn.ampproject.org", "www-example-org.cdn.ampproject.org")
    path = tmp_path / "broken.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_unchanged_document_matches_check_file(tmp_path: Path) -> None:
    path = _broken(tmp_path)
    doc = nm.load(path)
    problems = nm.validate(doc, now=NOW)
    assert [p.code for p in problems] == ["NM301"]
    assert problems == nm.check_file(path, now=NOW)
    assert problems[0].file == str(path) and problems[0].line == 8


def test_validate_sees_edits_and_articles(tmp_path: Path) -> None:
    doc = nm.load(_broken(tmp_path))
    original = doc.article
    doc.article = attrs.evolve(original, cdn_amp_web_url=None, heat=3)
    assert nm.validate(doc, now=NOW) == []  # an AMP URL without its cache URL is fine
    doc.article = attrs.evolve(original, amp_web_url=None)
    problems = nm.validate(doc, now=NOW)
    assert [(p.code, p.pointer, p.line) for p in problems] == [("NM302", "$.cdnAmpWebUrl", 7)]
    article = attrs.evolve(original, amp_web_url=None, cdn_amp_web_url=None)
    assert nm.validate(article, now=NOW) == []
    future = attrs.evolve(
        article, published_date_time=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    )
    assert [p.code for p in nm.validate(future, now=NOW)] == ["NM501"]
    assert nm.validate(future, now=NOW, ignore=["NM5"]) == []


def test_tab_indentation_is_explained() -> None:
    problems = nm.check_text('---\ntitle: "x"\nprovider:\n\tname: a\n---\n')
    assert [(p.code, p.line, p.column) for p in problems] == [("NM005", 4, 1)]
    assert "tab" in problems[0].message and "spaces" in (problems[0].hint or "")
