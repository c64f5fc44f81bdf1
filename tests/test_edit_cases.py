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
from newsmodel.model import Article, Image
from newsmodel.yamlio import MappingNode, apply_edit, parse_text, same

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


# -- the splicer's helpers, pinned by mutation testing (issue 15) ---------------------------------


class _Text(str):
    """A ``str`` subclass: written as text, like ``str``."""


UTC = dt.timezone.utc
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (1, True, False),  # true is not 1
        (True, 1, False),
        (1, 1.0, False),  # 1 is not 1.0
        (1.0, 1, False),
        ("1", 1, False),
        ("a", "b", False),
        (1.5, float("1.5"), True),  # two equal floats, two objects
        (float("nan"), float("nan"), True),  # NaN is NaN
        (float("nan"), 1.5, False),
        ({"a": 1}, {"a": True}, False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),  # the order of keys is written
        ([1], [True], False),
        ([1.5], [float("1.5")], True),
        (
            dt.datetime(2020, 1, 1, tzinfo=UTC),
            dt.datetime(2020, 1, 1, 1, tzinfo=PLUS_ONE),  # the same instant, another offset
            False,
        ),
        (dt.date(2020, 1, 1), dt.date(2020, 1, 1), True),
        (_Text("a"), "a", True),  # a str subclass is written as text
    ],
)
def test_same_tells_apart_what_is_written_differently(a: Any, b: Any, expected: bool) -> None:
    assert same(a, b) is expected


def test_a_list_item_changed_from_1_to_true_is_written() -> None:
    # 1 == True in Python: the list diff must still see a change (and the text shows it)
    text = HEAD + "flags:\n  - 1\n  - 2\n" + PROVIDER + TAIL
    out = _extra(text, flags=[True, 2])
    assert out == HEAD + "flags:\n  - true\n  - 2\n" + PROVIDER + TAIL


def test_a_float_list_item_changed_in_place() -> None:
    text = HEAD + "scores:\n  - 1.5\n  - 2.5\n" + PROVIDER + TAIL
    out = _extra(text, scores=[1.5, 3.5])
    assert out == HEAD + "scores:\n  - 1.5\n  - 3.5\n" + PROVIDER + TAIL


# the layout of new lines is read from the file: its first nested block mapping and list

FLOW_PROVIDER = "provider: {name: P, domain: example.com}\n"


def test_no_nested_mapping_in_the_file_new_lines_take_two_spaces() -> None:
    text = HEAD + FLOW_PROVIDER + TAIL
    out = _extra(text, meta={"a": 1}, tags=[1])
    assert out == HEAD + FLOW_PROVIDER + "\nmeta:\n  a: 1\ntags:\n  - 1\n" + TAIL


def test_lists_at_the_key_column_give_new_lists_at_the_key_column() -> None:
    text = HEAD + PROVIDER + "levels:\n- one\n" + TAIL
    out = _edit(text, topics=("AI",))
    assert out == HEAD + PROVIDER + "levels:\n- one\n\ntopics:\n- AI\n" + TAIL


def test_the_first_list_sets_the_offset_not_a_later_one() -> None:
    text = HEAD + PROVIDER + "levels:\n- one\ntopics:\n  - AI\n" + TAIL
    out = _extra(text, tags=[1])
    assert out == HEAD + PROVIDER + "levels:\n- one\ntopics:\n  - AI\n\ntags:\n- 1\n" + TAIL


def test_a_one_space_file_is_edited_with_one_space() -> None:
    provider = "provider:\n name: P\n domain: example.com\n"
    text = HEAD + "meta:\n a: 1\n" + provider + TAIL
    doc = loads(text)
    assert doc.article.provider is not None
    new_provider = attrs.evolve(doc.article.provider, extra={"x": {"w": 1}})
    out = _edit(text, provider=new_provider)
    assert out == HEAD + "meta:\n a: 1\n" + provider + " x:\n  w: 1\n" + TAIL


def test_the_first_mapping_sets_the_indent_not_a_later_one() -> None:
    # one space under ``meta``, then two under ``provider``: the first one found counts
    text = HEAD + "meta:\n a: 1\n" + PROVIDER + TAIL
    out = _extra(text, more={"b": 2})
    assert out == HEAD + "meta:\n a: 1\n" + PROVIDER + "\nmore:\n b: 2\n" + TAIL


def test_the_mapping_indent_is_measured_from_an_indented_key() -> None:
    # the first nested block mapping is under ``a``, itself at column 4 in a list item
    text = HEAD + FLOW_PROVIDER + "things:\n  - a:\n      b: 1\n" + TAIL
    out = _extra(text, more={"c": [2]})
    assert (
        out == HEAD + FLOW_PROVIDER + "things:\n  - a:\n      b: 1\nmore:\n  c:\n    - 2\n" + TAIL
    )


def test_the_list_offset_is_measured_from_an_indented_key() -> None:
    # the first block list is under ``inner``, itself at column 2
    text = HEAD + FLOW_PROVIDER + "outer:\n  inner:\n    - 1\n" + TAIL
    out = _extra(text, more={"c": [2]})
    assert out == HEAD + FLOW_PROVIDER + "outer:\n  inner:\n    - 1\nmore:\n  c:\n    - 2\n" + TAIL


# flow collections are rewritten on their line, strings quoted only where flow style needs it


def test_a_flow_mapping_is_rewritten_with_plain_and_quoted_values() -> None:
    text = HEAD + PROVIDER + "meta: {name: P}\n" + TAIL
    out = _extra(text, meta={"name": "Xy", "title": "T", "domain": "a,b", "Xk": 1})
    assert out == HEAD + PROVIDER + 'meta: {name: Xy, title: "T", domain: "a,b", Xk: 1}\n' + TAIL


def test_a_flow_list_of_topics_quotes_only_what_flow_style_needs() -> None:
    text = HEAD + PROVIDER + "topics: [A]\n" + TAIL
    out = _edit(text, topics=("A", "X,Y", "Xz", "[b]"))
    assert out == HEAD + PROVIDER + 'topics: [A, "X,Y", Xz, "[b]"]\n' + TAIL


# new nested values are rendered with the file's layout wherever they go


def test_a_new_list_of_lists_of_mappings() -> None:
    text = HEAD + PROVIDER + TAIL
    out = _extra(text, grid=[[{"k": {"j": 1}}]])
    assert out == HEAD + PROVIDER + "\ngrid:\n  - - k:\n        j: 1\n" + TAIL


def test_an_item_appended_to_a_list_of_mappings() -> None:
    text = HEAD + "things:\n  - k: 1\n" + PROVIDER + TAIL
    out = _extra(text, things=[{"k": 1}, {"k": {"j": 2}}])
    assert out == HEAD + "things:\n  - k: 1\n  - k:\n      j: 2\n" + PROVIDER + TAIL


def test_a_scalar_item_replaced_by_a_nested_mapping() -> None:
    text = HEAD + "things:\n  - a\n  - b\n" + PROVIDER + TAIL
    out = _extra(text, things=["a", {"k": {"j": 2}}])
    assert out == HEAD + "things:\n  - a\n  - k:\n      j: 2\n" + PROVIDER + TAIL


def test_a_folded_topic_replaced_by_one_line_is_written_plain() -> None:
    text = HEAD + PROVIDER + "topics:\n  - >-\n    AI\n" + TAIL
    out = _edit(text, topics=("ML",))
    assert out == HEAD + PROVIDER + "topics:\n  - ML\n" + TAIL


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # the item's model (Related) orders excerpt right after title, here its last line
        ("  - type: video\n    title: R1\n", '  - type: video\n    title: R1\n    excerpt: "E"\n'),
        # after the first key, not after its siblings
        ("  - title: R1\n    type: video\n", '  - title: R1\n    excerpt: "E"\n    type: video\n'),
    ],
)
def test_a_key_new_in_a_related_item_goes_where_the_format_orders_it(
    item: str, expected: str
) -> None:
    text = HEAD + PROVIDER + "related:\n" + item + TAIL
    related = loads(text).article.related
    assert related is not None
    out = _edit(text, related=(attrs.evolve(related[0], excerpt="E"),))
    assert out == HEAD + PROVIDER + "related:\n" + expected + TAIL


def test_keys_moved_in_the_top_mapping_rewrite_it_in_the_files_layout() -> None:
    provider = "provider:\n    name: P\n    domain: example.com\n"
    text = (HEAD + "a: 1\nb: 2\n" + provider + TAIL).replace("\n", "\r\n")
    out = _edit(text, extra={"b": 2, "a": 1})
    assert out == (
        '---\ntitle: "T"\ntype: article\n\n' + provider + "\nb: 2\na: 1\n" + TAIL
    ).replace("\n", "\r\n")


# blank lines: the first line of the front matter, kept block scalars, sections


def test_a_key_after_a_blank_first_line_goes_with_one_blank_line() -> None:
    text = "---\n\ncategory: x\n\n" + HEAD[4:] + PROVIDER + TAIL
    out = _edit(text, category=None)
    assert out == "---\n\n" + HEAD[4:] + PROVIDER + TAIL


@pytest.mark.parametrize("header", ["|+", ">+", "|+ # c", "|2+"])
def test_a_key_right_after_a_kept_block_goes_without_adding_to_its_text(header: str) -> None:
    # the blank line after the deleted key would become the block's text: it goes too
    text = HEAD + PROVIDER + f"excerpt: {header}\n  a\ncategory: x\n\nsecured: C++\n" + TAIL
    out = _edit(text, category=None)
    assert out == HEAD + PROVIDER + f"excerpt: {header}\n  a\nsecured: C++\n" + TAIL
    assert loads(out).article.excerpt == "a\n"


@pytest.mark.parametrize("header", ["|", ">", "|-", "| # a+ # b"])
def test_a_key_right_after_a_clipped_block_leaves_the_blank_line(header: str) -> None:
    # not a kept block (a "+" in a comment or later in the file does not make one)
    text = HEAD + PROVIDER + f"excerpt: {header}\n  a\ncategory: x\n\nsecured: C++\n" + TAIL
    out = _edit(text, category=None)
    assert out == HEAD + PROVIDER + f"excerpt: {header}\n  a\n\nsecured: C++\n" + TAIL


def test_a_plain_key_after_the_last_section_and_its_blank_line() -> None:
    # the provider section is already followed by a blank line: no second one
    text = HEAD + PROVIDER + "\n" + TAIL
    out = _extra(text, a=1)
    assert out == HEAD + PROVIDER + "a: 1\n\n" + TAIL


def test_items_inserted_after_a_section_of_a_collection_get_a_blank_line() -> None:
    text = '---\ntitle: "C"\nlevels:\n  - one\n---\n'
    doc = loads(text, kind="collection")
    doc.item = attrs.evolve(doc.item, items=("a",))
    out = dumps(doc)
    assert out == '---\ntitle: "C"\nlevels:\n  - one\n\nitems:\n  - "a"\n---\n'


def test_category_inserted_before_a_title_after_a_comment() -> None:
    text = "---\n# a comment\n" + HEAD[4:] + PROVIDER + TAIL
    out = _edit(text, category="news")
    assert out == "---\n# a comment\ncategory: news\n" + HEAD[4:] + PROVIDER + TAIL


def test_an_unknown_key_goes_right_before_the_key_that_follows_it() -> None:
    text = HEAD + "meta:\n  a: 1\n  c: 3\n" + PROVIDER + TAIL
    out = _extra(text, meta={"a": 1, "b": 2, "c": 3})
    assert out == HEAD + "meta:\n  a: 1\n  b: 2\n  c: 3\n" + PROVIDER + TAIL


def test_a_key_inserted_next_to_a_deleted_one() -> None:
    # publishedDateTime goes after title, not after the excerpt that goes (with a blank line)
    text = '---\ntitle: "T"\n\nexcerpt: e\n\ntype: article\n' + PROVIDER + TAIL
    when = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    out = _edit(text, excerpt=None, published_date_time=when)
    assert out == (
        '---\ntitle: "T"\npublishedDateTime: 2020-01-02T03:04:05Z\n\ntype: article\n'
        + PROVIDER
        + TAIL
    )


# block scalars rewritten as blocks, in a mapping and in a list


def test_a_literal_block_in_a_nested_mapping_stays_a_block() -> None:
    text = HEAD + "meta:\n  note: |\n    a\n    b\n" + PROVIDER + TAIL
    out = _extra(text, meta={"note": "c\n\nd\n"})
    assert out == HEAD + "meta:\n  note: |\n    c\n\n    d\n" + PROVIDER + TAIL


def test_a_literal_block_list_item_stays_a_block() -> None:
    text = HEAD + "things:\n  - |\n    a\n    b\n  - z\n" + PROVIDER + TAIL
    out = _extra(text, things=["x\n\ny", "z"])
    assert out == HEAD + "things:\n  - |-\n    x\n\n    y\n  - z\n" + PROVIDER + TAIL


# list diffs: a run of items replaced by more or fewer items


def test_an_item_replaced_by_three() -> None:
    text = HEAD + PROVIDER + "topics:\n  - a\n  - b\n  - c\n" + TAIL
    out = _edit(text, topics=("a", "p", "q", "r", "c"))
    assert out == HEAD + PROVIDER + "topics:\n  - a\n  - p\n  - q\n  - r\n  - c\n" + TAIL


def test_three_items_replaced_by_one() -> None:
    text = HEAD + PROVIDER + "topics:\n  - a\n  - b\n  - c\n  - d\n  - e\n" + TAIL
    out = _edit(text, topics=("a", "x", "e"))
    assert out == HEAD + PROVIDER + "topics:\n  - a\n  - x\n  - e\n" + TAIL


# apply_edit on a front matter whose last line has no newline (yamlio's public function)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_apply_edit_gives_an_unterminated_last_line_its_newline(newline: str) -> None:
    text = "---\nt: 1\nu: 2\nw: 3\n---\n".replace("\n", newline)
    parsed = parse_text(text)
    assert isinstance(parsed.root, MappingNode)
    front = "t: 1\nu: 2\nw: 3\n".replace("\n", newline).removesuffix(newline)
    old = {"t": 1, "u": 2, "w": 3}
    out = apply_edit(front, parsed.root, old, {**old, "v": 4}, None, newline)
    assert out == "t: 1\nu: 2\nw: 3\nv: 4\n".replace("\n", newline)


def test_an_item_inserted_in_the_middle_of_a_list() -> None:
    text = HEAD + PROVIDER + "topics:\n  - a\n  - c\n" + TAIL
    out = _edit(text, topics=("a", "b", "c"))
    assert out == HEAD + PROVIDER + "topics:\n  - a\n  - b\n  - c\n" + TAIL


def test_two_separate_items_replaced() -> None:
    text = HEAD + PROVIDER + "topics:\n  - a\n  - b\n  - c\n  - d\n  - e\n" + TAIL
    out = _edit(text, topics=("a", "p", "c", "q", "e"))
    assert out == HEAD + PROVIDER + "topics:\n  - a\n  - p\n  - c\n  - q\n  - e\n" + TAIL


def test_an_appended_item_leaves_the_others_as_they_are_written() -> None:
    text = HEAD + PROVIDER + "topics:\n  - 'A'\n  - B # b\n" + TAIL
    out = _edit(text, topics=("A", "B", "C"))
    assert out == HEAD + PROVIDER + "topics:\n  - 'A'\n  - B # b\n  - C\n" + TAIL


def test_unchanged_items_keep_their_spelling() -> None:
    text = HEAD + "scores:\n  - 1.50\n  - 2\n" + PROVIDER + TAIL
    out = _extra(text, scores=[1.5, 3])
    assert out == HEAD + "scores:\n  - 1.50\n  - 3\n" + PROVIDER + TAIL


def test_the_first_item_of_a_long_list_changed_leaves_the_rest_as_written() -> None:
    # 200 items and more: difflib's "popular item" heuristic must stay off, or no item
    # matches and every one is written anew (1.50 as 1.5)
    items = "  - 1.50\n" * 200
    text = HEAD + "ones:\n  - 2\n" + items + PROVIDER + TAIL
    out = _extra(text, ones=[3] + [1.5] * 200)
    assert out == HEAD + "ones:\n  - 3\n" + items + PROVIDER + TAIL


def test_a_nested_rewrite_keeps_the_edits_made_before_it() -> None:
    # meta's keys moved: meta is written anew; the title edited before it stays edited
    text = HEAD + "meta:\n  a: 1\n  b: 2\n" + PROVIDER + TAIL
    doc = loads(text)
    doc.article = attrs.evolve(doc.article, title="U", extra={"meta": {"b": 2, "a": 1}})
    out = dumps(doc)
    assert out == HEAD.replace('"T"', '"U"') + "meta:\n  b: 2\n  a: 1\n" + PROVIDER + TAIL


def test_a_dropped_dash_rewrite_keeps_the_edits_made_before_it() -> None:
    text = HEAD + PROVIDER + "related:\n  - excerpt: first\n    title: R1\n" + TAIL
    doc = loads(text)
    related = doc.article.related
    assert related is not None
    doc.article = attrs.evolve(
        doc.article, title="U", related=(attrs.evolve(related[0], excerpt=None),)
    )
    out = dumps(doc)
    assert out == HEAD.replace('"T"', '"U"') + PROVIDER + 'related:\n  - title: "R1"\n' + TAIL


def test_the_first_item_of_a_list_in_a_list_removed_keeps_the_outer_dash() -> None:
    text = HEAD.replace('"T"', "T") + "grid:\n  - - 1\n    - 2\n  - - 3\n" + PROVIDER + TAIL
    doc = loads(text)
    doc.article = attrs.evolve(doc.article, title="U", extra={"grid": [[2], [3]]})
    out = dumps(doc)
    assert out == HEAD.replace('"T"', "U") + "grid:\n  - - 2\n  - - 3\n" + PROVIDER + TAIL


def test_a_key_of_a_section_name_in_a_nested_mapping_gets_no_blank_line() -> None:
    text = HEAD + PROVIDER + "topics:\n  - AI\n" + TAIL
    doc = loads(text)
    assert doc.article.provider is not None
    image = Image(url="https://example.com/a.png")
    provider = attrs.evolve(doc.article.provider, images=(image,))
    out = _edit(text, provider=provider)
    assert out == (
        HEAD
        + PROVIDER
        + '  images:\n    - url: "https://example.com/a.png"\n'
        + "topics:\n  - AI\n"
        + TAIL
    )


def test_a_quoted_scalar_over_two_lines_replaced_by_lines_is_quoted() -> None:
    text = HEAD + 'excerpt: "a\n  b"\n' + PROVIDER + TAIL
    out = _edit(text, excerpt="x\ny\n")
    assert out == HEAD + 'excerpt: "x\\ny\\n"\n' + PROVIDER + TAIL


def test_a_folded_block_replaced_by_lines_becomes_a_literal_block() -> None:
    text = HEAD + "excerpt: >\n  a\n  b\n" + PROVIDER + TAIL
    out = _edit(text, excerpt="x\ny\n")
    assert out == HEAD + "excerpt: |\n  x\n  y\n" + PROVIDER + TAIL


def test_a_scalar_replaced_by_a_mapping_is_written_as_a_block_entry() -> None:
    text = HEAD + "meta: flat\n" + PROVIDER + TAIL
    out = _extra(text, meta={"a": {"b": 1}})
    assert out == HEAD + "meta:\n  a:\n    b: 1\n" + PROVIDER + TAIL


def test_a_deleted_key_takes_its_deeper_comments_not_the_next_ones() -> None:
    text = "---\ncategory: x\n  # one\n  # two\n# three\n" + HEAD[4:] + PROVIDER + TAIL
    out = _edit(text, category=None)
    assert out == "---\n# three\n" + HEAD[4:] + PROVIDER + TAIL


def test_the_first_key_deleted_takes_the_blank_line_after_it() -> None:
    text = "---\ncategory: x\n\n" + HEAD[4:] + PROVIDER + TAIL
    out = _edit(text, category=None)
    assert out == HEAD + PROVIDER + TAIL


def test_the_second_to_last_key_deleted_keeps_the_blank_line_before_it() -> None:
    text = HEAD + PROVIDER + "\nsecured: s\nx: 1\n" + TAIL
    out = _edit(text, secured=None)
    assert out == HEAD + PROVIDER + "\nx: 1\n" + TAIL


def test_the_last_key_deleted_after_a_kept_block_keeps_the_blocks_blank_line() -> None:
    text = HEAD + PROVIDER + "excerpt: |+\n  a\n\ncategory: x\n" + TAIL
    out = _edit(text, category=None)
    assert out == HEAD + PROVIDER + "excerpt: |+\n  a\n\n" + TAIL
    assert loads(out).article.excerpt == "a\n\n"


def test_a_deleted_key_two_lines_after_another_is_not_next_to_the_kept_block() -> None:
    text = '---\ntitle: "T"\nexcerpt: |+\n  a\ncategory: x\ntype: article\nsecured: s\n\n'
    out = _edit(text + PROVIDER + TAIL, category=None, secured=None)
    assert out == '---\ntitle: "T"\nexcerpt: |+\n  a\ntype: article\n\n' + PROVIDER + TAIL


def test_a_null_nested_key_given_a_list() -> None:
    text = HEAD + PROVIDER + "  images:\n" + TAIL
    doc = loads(text)
    assert doc.article.provider is not None
    image = Image(url="https://example.com/a.png")
    out = _edit(text, provider=attrs.evolve(doc.article.provider, images=(image,)))
    assert out == HEAD + PROVIDER + '  images:\n    - url: "https://example.com/a.png"\n' + TAIL


def test_a_flow_list_replaced_by_a_scalar_is_written_as_a_new_entry() -> None:
    # a value that changes kind is a new entry (as a scalar given a list is), comment and all
    text = HEAD + "meta: [a, b] # note\n" + PROVIDER + TAIL
    out = _extra(text, meta="flat")
    assert out == HEAD + 'meta: "flat"\n' + PROVIDER + TAIL


def test_the_last_keys_deleted_with_an_earlier_edit() -> None:
    # two deletions share a blank line and reach the end: merged; the title edit stays
    text = HEAD + PROVIDER + "\ncategory: x\n\nlevels:\n  - a\n" + TAIL
    out = _edit(text, title="U", category=None, levels=None)
    assert out == HEAD.replace('"T"', '"U"') + PROVIDER + TAIL


def test_the_last_three_keys_deleted_take_the_blank_lines_between_them() -> None:
    text = HEAD + PROVIDER + "secured: s\n\ncategory: x\n\nlevels:\n  - a\n" + TAIL
    out = _edit(text, secured=None, category=None, levels=None)
    assert out == HEAD + PROVIDER + TAIL


def test_a_first_key_goes_before_the_next_key_that_stays_not_one_that_goes() -> None:
    # twitter's username comes first in its model; url (next) goes, so it lands before
    # followers, after the unknown key between them
    text = '---\nname: "N"\ntwitter:\n  url: "https://x.com/n"\n  x: 1\n  followers: 5\n---\n'
    doc = loads(text, kind="profile")
    twitter = doc.item.twitter
    assert twitter is not None
    doc.item = attrs.evolve(doc.item, twitter=attrs.evolve(twitter, username="n", url=None))
    out = dumps(doc)
    assert out == '---\nname: "N"\ntwitter:\n  x: 1\n  username: "n"\n  followers: 5\n---\n'


def test_the_last_two_keys_deleted_the_first_a_list_take_the_blank_line_before_them() -> None:
    text = HEAD + PROVIDER + "\nlevels:\n  - a\n\nsecured: s\n" + TAIL
    out = _edit(text, levels=None, secured=None)
    assert out == HEAD + PROVIDER + TAIL


def test_nested_images_deleted_between_blank_lines_take_one_with_them() -> None:
    provider = 'provider:\n  name: P\n\n  images:\n    - url: "https://example.com/a.png"\n\n'
    text = HEAD + provider + "  domain: example.com\n" + TAIL
    doc = loads(text)
    assert doc.article.provider is not None
    out = _edit(text, provider=attrs.evolve(doc.article.provider, images=None))
    assert out == HEAD + "provider:\n  name: P\n\n  domain: example.com\n" + TAIL
