"""Format-preserving edits: the exact text an edit writes, for the less common shapes.

Each test loads a small file, changes the article through the model, and checks the whole
text :func:`newsmodel.dumps` gives: only the lines the edit must change are touched, and the
text reads back as the edited article.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from newsmodel import Document, dumps, loads
from newsmodel.model import Article

HEAD = '---\ntitle: "T"\ntype: article\n'
PROVIDER = "provider:\n  name: P\n  domain: example.com\n"
TAIL = "---\nBody\n"


def _edit(text: str, **changes: Any) -> str:
    doc = loads(text)
    doc.article = attrs.evolve(doc.article, **changes)
    out = dumps(doc)
    again = loads(out)
    assert again.article == doc.article
    assert again.body == doc.body
    return out


def _extra(text: str, **extra: Any) -> str:
    doc = loads(text)
    return _edit(text, extra={**doc.article.extra, **extra})


def test_nested_list_item_edited_in_place() -> None:
    text = HEAD + "grid:\n  - - 1\n    - 2\n  - - 3\n" + PROVIDER + TAIL
    out = _extra(text, grid=[[1, 2], [4]])
    assert out == HEAD + "grid:\n  - - 1\n    - 2\n  - - 4\n" + PROVIDER + TAIL


def test_nested_list_item_appended() -> None:
    text = HEAD + "grid:\n  - - 1\n" + PROVIDER + TAIL
    out = _extra(text, grid=[[1], [2, 3]])
    assert out == HEAD + "grid:\n  - - 1\n  - - 2\n    - 3\n" + PROVIDER + TAIL


def test_list_of_timestamps_item_removed() -> None:
    text = HEAD + "when:\n  - 2020-01-01T00:00:00Z\n  - 2021-01-01T00:00:00Z\n" + PROVIDER + TAIL
    out = _extra(text, when=[dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)])
    assert out == HEAD + "when:\n  - 2021-01-01T00:00:00Z\n" + PROVIDER + TAIL


def test_new_unknown_key_with_empty_and_nested_values() -> None:
    text = HEAD + PROVIDER + TAIL
    out = _extra(text, mixed=[{}, [], [1, [2]], {"k": "v"}, "s"])
    assert out == (
        HEAD
        + PROVIDER
        + "\n"  # set apart from the provider section above it
        + "mixed:\n"
        + "  - {}\n"
        + "  - []\n"
        + "  - - 1\n"
        + "    - - 2\n"
        + '  - k: "v"\n'
        + '  - "s"\n'
        + TAIL
    )


def test_new_unknown_key_with_empty_mapping() -> None:
    text = HEAD + "heat: 1\n" + PROVIDER + TAIL
    out = _extra(text, empty={})
    assert out == HEAD + "heat: 1\n" + PROVIDER + "\nempty: {}\n" + TAIL


def test_several_new_unknown_keys_after_a_section_share_one_blank_line() -> None:
    text = HEAD + PROVIDER + TAIL
    out = _extra(text, a=1, b=2)
    # as render_front writes them: one blank line after the section, none between the two
    assert out == HEAD + PROVIDER + "\na: 1\nb: 2\n" + TAIL


def test_null_key_in_file_gets_a_value() -> None:
    # ``excerpt:`` with no value is in the file but not in the model (it is null)
    text = HEAD.replace("type:", "excerpt:\ntype:") + PROVIDER + TAIL
    out = _edit(text, excerpt="Now set")
    assert out == HEAD.replace("type:", 'excerpt: "Now set"\ntype:') + PROVIDER + TAIL


def test_explicit_null_key_gets_a_value() -> None:
    text = HEAD.replace("type:", "excerpt: null\ntype:") + PROVIDER + TAIL
    out = _edit(text, excerpt="x")
    assert out == HEAD.replace("type:", 'excerpt: "x"\ntype:') + PROVIDER + TAIL


def test_block_mapping_replaced_by_scalar_is_rewritten_as_entry() -> None:
    text = HEAD + "meta:\n  a: 1\n  b: 2\n" + PROVIDER + TAIL
    out = _extra(text, meta="flat")
    assert out == HEAD + 'meta: "flat"\n' + PROVIDER + TAIL


def test_block_mapping_emptied_is_rewritten_as_entry() -> None:
    text = HEAD + "meta:\n  a: 1\n" + PROVIDER + TAIL
    out = _extra(text, meta={})
    assert out == HEAD + "meta: {}\n" + PROVIDER + TAIL


def test_unknown_nested_mapping_key_replaced() -> None:
    # every key of a mapping outside the model goes; the new one takes their place
    text = HEAD + "meta:\n  a: 1\n" + PROVIDER + TAIL
    out = _extra(text, meta={"b": 2})
    assert out == HEAD + "meta:\n  b: 2\n" + PROVIDER + TAIL


def test_unknown_nested_mapping_key_added_after_kept_ones() -> None:
    text = HEAD + "meta:\n  a: 1\n  b: 2\n" + PROVIDER + TAIL
    out = _extra(text, meta={"a": 1, "b": 3, "c": [1]})
    assert out == HEAD + "meta:\n  a: 1\n  b: 3\n  c:\n    - 1\n" + PROVIDER + TAIL


def test_scalar_list_item_replaced_by_mapping_is_rewritten_as_item() -> None:
    text = HEAD + "things:\n  - a\n  - b\n" + PROVIDER + TAIL
    out = _extra(text, things=[{"x": 1, "w": "z"}, "b"])
    assert out == HEAD + 'things:\n  - x: 1\n    w: "z"\n  - b\n' + PROVIDER + TAIL


def test_flow_list_stays_a_flow_list() -> None:
    text = HEAD + PROVIDER + "topics: [A, B]\n" + TAIL
    out = _edit(text, topics=("A", "C"))
    assert out == HEAD + PROVIDER + "topics: [A, C]\n" + TAIL


def test_category_inserted_before_title() -> None:
    text = HEAD + PROVIDER + TAIL
    out = _edit(text, category="news")
    assert out == "---\ncategory: news\n" + HEAD[4:] + PROVIDER + TAIL


def test_section_inserted_after_provider_gets_blank_line() -> None:
    text = HEAD + PROVIDER + TAIL
    out = _edit(text, topics=("AI",))
    assert out == HEAD + PROVIDER + "\ntopics:\n  - AI\n" + TAIL


def test_key_removed_between_blank_lines_takes_one_blank_with_it() -> None:
    text = HEAD + "\n" + PROVIDER + "\ntopics:\n  - AI\n\nsecured: s\n" + TAIL
    out = _edit(text, topics=None)
    assert out == HEAD + "\n" + PROVIDER + "\nsecured: s\n" + TAIL


def test_crlf_file_keeps_crlf_on_new_lines() -> None:
    text = (HEAD + PROVIDER + TAIL).replace("\n", "\r\n")
    out = _edit(text, heat=3)
    assert out == (HEAD + "heat: 3\n" + PROVIDER + TAIL).replace("\n", "\r\n")


def test_four_space_file_is_edited_with_four_spaces() -> None:
    provider = "provider:\n    name: P\n    domain: example.com\n"
    text = HEAD + "levels:\n    - one\n" + provider + TAIL
    doc = loads(text)
    assert doc.article.provider is not None
    new_provider = attrs.evolve(doc.article.provider, extra={"x": {"w": 1}})
    out = _edit(text, provider=new_provider)
    assert out == HEAD + "levels:\n    - one\n" + provider + "    x:\n        w: 1\n" + TAIL


def test_new_document_is_written_in_reference_style() -> None:
    doc = loads(HEAD + PROVIDER + TAIL)
    fresh = Document(article=attrs.evolve(doc.article, topics=("AI",), heat=2), body="Hi\n")
    text = dumps(fresh)
    assert text == (
        '---\ntitle: "T"\ntype: article\nheat: 2\n\n'
        "provider:\n  name: P\n  domain: example.com\n\ntopics:\n  - AI\n---\nHi\n"
    )
    assert loads(text).article == fresh.article


def test_article_equal_but_body_changed_keeps_front_matter_bytes() -> None:
    text = "\ufeff" + (HEAD + "quality:   7 \n" + PROVIDER + TAIL)
    doc = loads(text)
    doc.article = Article(**{a.name: getattr(doc.article, a.name) for a in attrs.fields(Article)})
    doc.body = "New body\n"
    assert dumps(doc) == text.replace("Body\n", "New body\n")


def test_block_list_replaced_by_scalar_is_rewritten_as_entry() -> None:
    text = HEAD + "things:\n  - a\n  - b\n" + PROVIDER + TAIL
    out = _extra(text, things="none")
    assert out == HEAD + 'things: "none"\n' + PROVIDER + TAIL


def test_block_list_emptied_is_rewritten_as_entry() -> None:
    text = HEAD + "things:\n  - a\n" + PROVIDER + TAIL
    out = _extra(text, things=[])
    assert out == HEAD + "things: []\n" + PROVIDER + TAIL


# -- single points made many (issue 15): quoting kept, CRLF on every new line ----------------------


def _quoted(style: str, value: str) -> str:
    return {"double": f'"{value}"', "single": f"'{value}'", "plain": value}[style]


@pytest.mark.parametrize("style", ["double", "single", "plain"])
@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("title", lambda a: attrs.evolve(a, title="New")),
        ("provider.name", lambda a: attrs.evolve(a, provider=attrs.evolve(a.provider, name="New"))),
        ("topics[1]", lambda a: attrs.evolve(a, topics=("Old", "New"))),
    ],
)
def test_an_edited_scalar_keeps_its_quoting_wherever_it_is(
    style: str, where: str, change: Callable[[Article], Article]
) -> None:
    def text(title: str, name: str, topic: str) -> str:
        q = functools.partial(_quoted, style)
        return (
            f"---\ntitle: {q(title)}\ntype: article\n"
            f"provider:\n  name: {q(name)}\n  domain: example.com\n"
            f"topics:\n  - Old\n  - {q(topic)}\n---\nBody\n"
        )

    before = text("Old", "Old", "Old")
    doc = loads(before)
    doc.article = change(doc.article)
    expected = {
        "title": text("New", "Old", "Old"),
        "provider.name": text("Old", "New", "Old"),
        "topics[1]": text("Old", "Old", "New"),
    }[where]
    assert dumps(doc) == expected


CRLF_BASE = HEAD + PROVIDER + "topics:\n  - A\n" + TAIL


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"heat": 3}, HEAD + "heat: 3\n" + PROVIDER + "topics:\n  - A\n" + TAIL),
        ({"topics": ("A", "B")}, HEAD + PROVIDER + "topics:\n  - A\n  - B\n" + TAIL),
        ({"topics": None}, HEAD + PROVIDER + TAIL),
        (
            {"levels": ("x", "z")},
            # a new section after a section gets one blank line before it
            HEAD + PROVIDER + "\nlevels:\n  - x\n  - z\n" + "topics:\n  - A\n" + TAIL,
        ),
        (
            {"extra": {"mine": {"a": 1, "b": [2]}}},
            HEAD + PROVIDER + "topics:\n  - A\n" + "\nmine:\n  a: 1\n  b:\n    - 2\n" + TAIL,
        ),
    ],
)
def test_a_crlf_file_gets_crlf_on_every_new_line(change: dict[str, Any], expected: str) -> None:
    crlf = CRLF_BASE.replace("\n", "\r\n")
    out = _edit(crlf, **change)
    assert "\n" not in out.replace("\r\n", "")
    assert out == expected.replace("\n", "\r\n")
    # and the same edit of the LF file gives the same text with LF
    assert _edit(CRLF_BASE, **change) == expected
