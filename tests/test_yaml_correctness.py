"""Issue 11: any valid YAML reads right and every edit writes right (one test per reported case).

Each case was reproduced on YAML written by hand, not by the site's generator; ``P`` is the
rest of a minimal valid article.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml as pyyaml
from ruamel.yaml import YAML

import newsmodel as nm
from newsmodel.yamlio import split_text

from .test_cli import newsmodel

P = "type: article\nprovider:\n  name: E\n  domain: e.com\n"
_YAML12 = YAML(typ="safe", pure=True)


def _doc(front: str, body: str = "") -> str:
    return f"---\n{front}---\n{body}"


def _front(text: str) -> str:
    split = split_text(text)
    assert not isinstance(split, nm.Problem)
    return split.front


def _read_alike(text: str) -> dict[str, Any]:
    """The front matter as YAML 1.2 and YAML 1.1 read it: they must agree (with newsmodel too)."""
    front = _front(text)
    new = _YAML12.load(front)
    old = pyyaml.load(front, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))
    assert nm.yamlio.same(new, old), (new, old)
    assert nm.yamlio.same(nm.yamlio.parse_text(text).root.plain(), new)  # type: ignore[union-attr]
    return new  # type: ignore[no-any-return]


def _edit(text: str, **changes: Any) -> str:
    doc = nm.loads(text)
    doc.article = attrs.evolve(doc.article, **changes)
    return nm.dumps(doc)


# -- wrong values, then corrupted files: folded block scalars -----------------------------------


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (">-", "First line folded here."),
        (">", "First line folded here.\n"),
        (">+", "First line folded here.\n\n"),
    ],
)
def test_folded_scalars_read_without_bel_and_edit_cleanly(header: str, value: str) -> None:
    text = _doc(f"title: {header}\n  First line\n  folded here.\n\n" + P)
    doc = nm.loads(text)
    assert doc.article.title == value == _YAML12.load(_front(text))["title"]
    out = _edit(text, title=value.rstrip("\n") + "!")
    assert "\a" not in out and "\\a" not in out
    assert nm.loads(out).article.title == "First line folded here.!"
    _read_alike(out)


# -- crashes on valid YAML -----------------------------------------------------------------------

CRASHES = {
    "overlap in comment": ("excerpt: # note\n  text\n\n", "text"),
    "comment before a block scalar": ("excerpt:\n  # note\n  > # c\n  text\n", "text\n"),
}


@pytest.mark.parametrize(("front", "excerpt"), CRASHES.values(), ids=list(CRASHES))
def test_comment_layouts_that_crash_ruamel_round_trip_read(front: str, excerpt: str) -> None:
    text = _doc("title: T\n" + P + front)
    assert nm.loads(text).article.excerpt == excerpt
    assert [p.code for p in nm.check_text(text) if p.code.startswith("NM0")] == []
    out = _edit(text, excerpt="changed")
    assert nm.loads(out).article.excerpt == "changed"


@pytest.mark.parametrize("front", [f for f, _ in CRASHES.values()], ids=list(CRASHES))
def test_comment_layouts_that_crash_ruamel_round_trip_check_in_cli(
    front: str, tmp_path: Path
) -> None:
    file = tmp_path / "a.md"
    file.write_text(_doc("title: T\n" + P + front), encoding="utf-8")
    result = newsmodel("check", "--select", "NM0", str(file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "internal error" not in result.stderr


def test_a_parser_crash_is_a_located_problem_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ruamel.yaml.parser import Parser

    def broken(self: Any) -> Any:
        raise AssertionError("a bug in the parser")

    monkeypatch.setattr(Parser, "check_event", broken)
    text = _doc("title: [T]\n" + P)  # not for the fast path
    problems = nm.check_text(text)
    assert [(p.code, p.line) for p in problems] == [("NM005", 2)]
    assert "AssertionError" in problems[0].message
    with pytest.raises(nm.YAMLError):
        nm.loads(text)


# -- text that does not read back, handed out without a word ----------------------------------


def test_body_after_a_closing_fence_that_ends_the_file() -> None:
    doc = nm.loads(_doc("title: T\n" + P).rstrip("\n"))
    assert doc.source is not None and doc.source.endswith("---")
    doc.body = "Hello"
    out = nm.dumps(doc)
    assert out.endswith("---\nHello")
    assert nm.loads(out).body == "Hello"


def test_a_utc_offset_with_seconds_is_refused_naming_the_field() -> None:
    text = _doc("title: T\n" + P + "publishedDateTime: 2020-01-01T00:00:00Z\n")
    zone = dt.timezone(dt.timedelta(hours=1, seconds=30))
    when = dt.datetime(2020, 1, 1, tzinfo=zone)
    with pytest.raises(nm.ModelValueError, match=r"Article\.published_date_time .* has seconds"):
        _edit(text, published_date_time=when)  # the model refuses it at once
    with attrs.validators.disabled(), pytest.raises(nm.UnwritableError) as info:
        _edit(text, published_date_time=when)  # and the writer, where it slipped past
    assert info.value.pointer == "$.publishedDateTime"
    assert "2020-01-01T00:00:00+01:00:30" in str(info.value)
    assert isinstance(info.value, nm.NewsModelError)


def test_a_year_before_1000_is_written_with_four_digits() -> None:
    text = _doc("title: T\n" + P + "publishedDateTime: 2020-01-01T00:00:00Z\n")
    when = dt.datetime(999, 1, 1, tzinfo=dt.timezone.utc)
    out = _edit(text, published_date_time=when)
    assert "publishedDateTime: 0999-01-01T00:00:00Z\n" in out
    assert nm.loads(out).article.published_date_time == when
    assert _read_alike(out)["publishedDateTime"] == when


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x85", "\u2028", "\x00", "\t"])
def test_non_characters_are_escaped_not_written_plain(char: str) -> None:
    text = _doc("title: T\n" + P + "category: a\n")
    out = _edit(text, category=f"a{char}b")
    assert char not in out
    assert nm.loads(out).article.category == f"a{char}b"
    assert _read_alike(out)["category"] == f"a{char}b"


def test_a_lone_surrogate_is_refused_naming_the_field() -> None:
    text = _doc("title: T\n" + P + "category: a\n")
    with pytest.raises(nm.UnwritableError, match=r"\$\.category"):
        _edit(text, category="a\ud800")  # UTF-8 cannot hold it; libyaml refuses its escape


@pytest.mark.parametrize("key", ["x: y", "123", "true", "#x", "no", "", "- a", "<<", "a\nb"])
def test_extra_keys_are_quoted_where_plain_would_not_read_back(key: str) -> None:
    text = _doc("title: T\n" + P)
    out = _edit(text, extra={key: 1})
    assert nm.loads(out).article.extra == {key: 1}
    assert _read_alike(out)[key] == 1
    fresh = nm.dumps(nm.Document(article=nm.loads(out).article))
    assert _read_alike(fresh)[key] == 1


def test_a_new_document_is_checked_as_an_edit_is() -> None:
    article = nm.loads(_doc("title: T\n" + P)).article
    with pytest.raises(nm.ModelValueError, match=r"Article\.title: expected str, got 123"):
        attrs.evolve(article, title=123)  # the model refuses it at once
    # and the writer refuses what slipped past the validators all the same
    with attrs.validators.disabled():
        bad = attrs.evolve(article, extra={"x": {1, 2}})
        wrong = attrs.evolve(article, title=123)
    with pytest.raises(nm.UnwritableError, match=r"\$\.x"):
        nm.dumps(nm.Document(article=bad))
    with pytest.raises(nm.StructureError, match=r"\$\.title"):
        nm.dumps(nm.Document(article=wrong))


# -- edits refused with "internal error" --------------------------------------------------------


def test_removing_the_first_key_of_a_list_item_keeps_its_dash() -> None:
    text = _doc("title: T\n" + P + "related:\n  - excerpt: first\n    title: R1\n  - title: R2\n")
    doc = nm.loads(text)
    related = doc.article.related
    assert related is not None
    out = _edit(text, related=(attrs.evolve(related[0], excerpt=None), related[1]))
    assert out == _doc("title: T\n" + P + 'related:\n  - title: "R1"\n  - title: R2\n')
    _read_alike(out)


def test_re_rendering_the_first_key_of_a_list_item_keeps_its_dash() -> None:
    text = _doc("title: T\n" + P + "related:\n  - excerpt: >\n      first\n    title: R1\n")
    related = nm.loads(text).article.related
    assert related is not None
    out = _edit(text, related=(attrs.evolve(related[0], excerpt="one\ntwo"),))
    assert nm.loads(out).article.related == (attrs.evolve(related[0], excerpt="one\ntwo"),)
    _read_alike(out)


def test_a_value_given_to_a_key_with_a_comment_keeps_the_comment() -> None:
    text = _doc("title: T\n" + P + "category: # later\n")
    out = _edit(text, category="news")
    assert out == _doc("title: T\n" + P + "category: news # later\n")


def test_a_quoted_key_stays_quoted() -> None:
    text = _doc("title: T\n" + P + '"odd: key": [1, 2]\n')
    out = _edit(text, extra={"odd: key": [1, 2, 3]})
    assert out == _doc("title: T\n" + P + '"odd: key": [1, 2, 3]\n')
    out = _edit(text, extra={"odd: key": {"a": 1}})
    assert '"odd: key": {a: 1}\n' in out
    assert _read_alike(out)["odd: key"] == {"a": 1}


def test_any_edit_of_a_file_with_nan() -> None:
    text = _doc("title: T\n" + P + "ratings:\n  count: 1\n  average: .nan\n")
    out = _edit(text, title="U")
    assert out == text.replace("title: T", "title: U")
    doc = nm.loads(text)
    assert not doc.changed
    doc.article = attrs.evolve(doc.article)  # an equal copy, NaN included
    assert not doc.changed and nm.dumps(doc) == text
    ratings = nm.loads(out).article.ratings
    assert ratings is not None and math.isnan(ratings.average)


# -- edits silently dropped ---------------------------------------------------------------------


def test_changing_only_a_timestamps_offset_is_written() -> None:
    text = _doc("title: T\n" + P + "publishedDateTime: 2020-01-01T00:00:00Z\n")
    plus_one = dt.timezone(dt.timedelta(hours=1))
    when = dt.datetime(2020, 1, 1, 1, tzinfo=plus_one)  # the same instant
    out = _edit(text, published_date_time=when)
    assert "publishedDateTime: 2020-01-01T01:00:00+01:00\n" in out
    assert nm.loads(out).article.published_date_time.utcoffset() == dt.timedelta(hours=1)  # type: ignore[union-attr]


def test_changing_only_a_type_is_written() -> None:
    text = _doc("title: T\n" + P + "x: 1\ny: 1\n")
    out = _edit(text, extra={"x": 1.0, "y": True})
    assert out.endswith("x: 1.0\ny: true\n---\n")


# -- Jekyll reads it differently (YAML 1.1) ------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["no", "off", "On", "y", "1:30", "010", "0o17", "1_000", "1e+16", "0x1F", ":sym", "="]
)
def test_plain_keys_quote_what_yaml_1_1_reads_otherwise(value: str) -> None:
    text = _doc("title: T\n" + P + "price: free\n")
    out = _edit(text, type=value, price=value)
    assert _read_alike(out)["type"] == value
    assert _read_alike(out)["price"] == value


@pytest.mark.parametrize("value", [1e16, 1e-7, 5e-324, 1.5e300, -2e20])
def test_floats_are_written_as_yaml_1_1_floats(value: float) -> None:
    text = _doc("title: T\n" + P)
    out = _edit(text, extra={"n": value})
    assert _read_alike(out)["n"] == value


# -- reading problems not where they are --------------------------------------------------------


def test_an_impossible_date_is_a_problem_of_its_field_and_other_rules_run() -> None:
    text = _doc("title: T\n" + P + "publishedDateTime: 2021-13-45T00:00:00Z\nwebUrl: 5\n")
    problems = nm.check_text(text)
    date = next(p for p in problems if p.pointer == "$.publishedDateTime")
    assert (date.code, date.line, date.column) == ("NM005", 7, 20)
    assert "month must be in 1..12" in date.message
    assert any(p.pointer == "$.webUrl" for p in problems)  # the other problems too
    with pytest.raises(nm.YAMLError) as info:  # NM005 comes first
        nm.loads(text)
    assert info.value.pointer == "$.publishedDateTime" and len(info.value.problems) == 2


def test_an_impossible_date_under_an_unknown_key_is_located_there() -> None:
    text = _doc("title: T\n" + P + "dates:\n  - 2021-02-30\n")
    (problem,) = [p for p in nm.check_text(text) if p.code == "NM005"]
    assert (problem.pointer, problem.line, problem.column) == ("$.dates[0]", 8, 5)


def test_an_unclosed_quote_is_reported_where_it_opens_with_a_hint() -> None:
    text = _doc('title: T\nexcerpt: "open\n' + P)
    (problem,) = nm.check_text(text)
    assert (problem.code, problem.line, problem.column) == ("NM005", 3, 10)
    assert problem.hint is not None and "quote" in problem.hint


def test_an_unclosed_bracket_is_reported_where_it_opens_with_a_hint() -> None:
    text = _doc("title: T\ntopics: [a, b\n" + P)
    (problem,) = nm.check_text(text)
    assert (problem.code, problem.line, problem.column) == ("NM005", 3, 9)
    assert problem.hint is not None and "]" in problem.hint


def test_a_missing_file_is_a_file_not_found_error_too(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    with pytest.raises(FileNotFoundError) as info:
        nm.load(missing)
    exc = info.value
    assert isinstance(exc, nm.NewsModelError) and isinstance(exc, nm.MissingFileError)
    assert exc.code == "NM001" and exc.filename == str(missing)
    assert (
        str(exc) == f"{missing}:1:1: NM001 The file cannot be read: No such file or directory. @ $"
    )
    again = pickle.loads(pickle.dumps(exc))
    assert isinstance(again, FileNotFoundError) and str(again) == str(exc)


def test_the_exception_and_the_cli_write_a_problem_the_same_way(tmp_path: Path) -> None:
    file = tmp_path / "x.md"
    file.write_text(_doc("title: T\n" + P + "quality: '625'\n"), encoding="utf-8")
    with pytest.raises(nm.StructureError) as info:
        nm.load(file)
    result = newsmodel("check", "--select", "NM100", str(file))
    assert str(info.value) in result.stdout


def test_the_readme_error_example_is_real_output(tmp_path: Path) -> None:
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = "x.md:17:12: NM100 Expected an integer, got the string '625'. @ $.images[0].width"
    assert f"`{example}`" in readme
    # lines 2-6 the keys of P and the title, 7-14 blank, 15-17 the image
    front = (
        "title: T\n" + P + "\n" * 8 + "images:\n  - url: https://e.com/a.png\n    width: '625'\n"
    )
    (tmp_path / "x.md").write_text(_doc(front), encoding="utf-8")
    with pytest.raises(nm.StructureError) as info:
        nm.loads(_doc(front), path="x.md")
    assert str(info.value) == example


# -- cosmetic -------------------------------------------------------------------------------------


def test_a_comment_on_a_flow_list_line_is_kept() -> None:
    text = _doc("title: T\n" + P + "topics: [a, b] # c\n")
    out = _edit(text, topics=("a", "b", "c"))
    assert out == _doc("title: T\n" + P + "topics: [a, b, c] # c\n")


def test_a_flow_mapping_key_with_a_comma_or_bracket_is_quoted() -> None:
    # found by the yaml-campaign profile: `{8,b: 1}` reads back as another mapping
    text = _doc("title: T\n" + P + "meta: {a: 1} # c\n")
    doc = nm.loads(text)
    meta = {"8,br1 =BA": 1, "x]": 2, "plain": 3}  # plain in a block mapping, not in braces
    doc.article = attrs.evolve(doc.article, extra={**doc.article.extra, "meta": meta})
    out = nm.dumps(doc)
    assert out == _doc("title: T\n" + P + 'meta: {"8,br1 =BA": 1, "x]": 2, plain: 3} # c\n')
    front = out.split("---\n")[1]
    assert pyyaml.safe_load(front)["meta"] == meta
    assert YAML(typ="safe").load(front)["meta"] == meta


def test_two_deleted_keys_that_share_a_blank_line_leave_the_rest_intact() -> None:
    # two deletions claim the blank line between them: merged, not applied twice
    text = _doc("title: T\n" + P + "\ncategory: x\n\nlevels:\n  - a\n")
    assert _edit(text, category=None, levels=None) == _doc("title: T\n" + P)


def test_deleting_two_entries_after_a_kept_block_keeps_the_blocks_text() -> None:
    # campaign find (Random(8504)): the blank line after the second deleted entry joined the
    # `|+` block's text; deletions now look past lines already deleted
    text = _doc(P + "excerpt: |+\n  a\n\ncategory: x\nlevels:\n  - a\n\ntitle: T\n")
    out = _edit(text, category=None, levels=None)
    assert out == _doc(P + "excerpt: |+\n  a\n\ntitle: T\n")
    assert nm.loads(out).article.excerpt == "a\n\n"


def test_removing_the_last_key_leaves_no_blank_line_before_the_fence() -> None:
    text = _doc("title: T\n" + P + "\ncategory: x\n")
    assert _edit(text, category=None) == _doc("title: T\n" + P)


def test_rewriting_a_literal_block_keeps_the_blank_line_after_it() -> None:
    text = _doc("title: T\nexcerpt: |\n  a\n  b\n\n" + P)
    out = _edit(text, excerpt="x\ny\n")
    assert out == _doc("title: T\nexcerpt: |\n  x\n  y\n\n" + P)
    out = _edit(text, excerpt="one line")
    assert out == _doc('title: T\nexcerpt: "one line"\n\n' + P)


def test_a_bug_of_the_fast_parser_falls_back_to_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsmodel.yamlio import _fast

    def broken(self: Any) -> Any:
        raise IndexError("a bug")

    monkeypatch.setattr(_fast._Parser, "parse", broken)
    parsed = nm.yamlio.parse_text(_doc("title: T\n" + P))
    assert parsed.ok and not parsed.fast
    assert parsed.root is not None and parsed.root.plain()["title"] == "T"


def test_removing_a_key_takes_its_deeper_comments_away_from_a_folded_block() -> None:
    # found by the campaign: left behind, "  # - x" became part of the title's text
    text = _doc("title: >-\n  one\n  two\n\ntopics:\n- AI\n  # - x\n" + P)
    out = _edit(text, topics=None)
    assert out == _doc("title: >-\n  one\n  two\n\n" + P)
    assert nm.loads(out).article.title == "one two"


# Found by the edit campaign (Random(66516567) and Random(73060), 3 December 2026): on the
# ruamel.yaml path (here, because of the flow list) an empty list item after another empty one
# ("- # later" then "-") was placed on the line of the first, so giving it a value wrote it there.
EMPTY_ITEMS = "---\ntitle: T\nk:\n  - a\n  - # later\n\n    # c\n  -\np: [a]\n---\n"


@pytest.mark.parametrize("force_slow", [False, True])
def test_an_empty_list_item_after_another_is_placed_after_its_own_dash(force_slow: bool) -> None:
    from newsmodel.yamlio import SequenceNode, parse_text

    root = parse_text(EMPTY_ITEMS, force_slow=force_slow).root
    assert root is not None
    seq = root.get("k")
    assert isinstance(seq, SequenceNode)
    # (0-based lines of the front matter and columns) written out by hand from the text above
    places = [(item.line, item.value.line, item.value.column) for item in seq.items]
    assert places == [(2, 2, 4), (3, 3, 4), (6, 6, 3)]


def test_a_value_given_to_an_empty_list_item_after_another_goes_on_its_own_line() -> None:
    doc = nm.loads(EMPTY_ITEMS)
    doc.item = attrs.evolve(doc.item, extra={**doc.item.extra, "k": ["a", None, True]})
    assert nm.dumps(doc) == EMPTY_ITEMS.replace("    # c\n  -\n", "    # c\n  - true\n")
