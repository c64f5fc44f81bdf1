"""The model-driven rule engine (newsmodel.rules._fields): every field of a file by its meaning.

Each test states what the rules must find where, written out by hand; the expected pointers and
lines are read off the texts, not computed by the engine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

import newsmodel as nm
from newsmodel import kinds, model
from newsmodel.model import Image, Item, extra_field, field
from newsmodel.rules import Context
from newsmodel.rules._fields import fields, image_lists
from newsmodel.yamlio import parse_text

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
ARTICLE = (
    "---\n"
    "title: T\n"
    "excerpt: E\n"
    "publishedDateTime: 2021-01-01T00:00:00Z\n"
    "webUrl: https://example.com/a\n"
    "type: article\n"
    "provider:\n"
    "  name: P\n"
    "  domain: example.com\n"
    "  images:\n"
    "    - url: /assets/images/p.png\n"
    "---\n"
)


def found(text: str) -> list[tuple[str, str | None, int | None]]:
    """(code, pointer, line) of every problem of ``text``, sorted."""
    return sorted((p.code, p.pointer, p.line) for p in nm.check_text(text, now=NOW))


def where(text: str, prefix: str = "NM2") -> set[tuple[str | None, int | None]]:
    """(pointer, line) of the problems of ``text`` whose code starts with ``prefix`` (URLs)."""
    return {(p.pointer, p.line) for p in nm.check_text(text, now=NOW) if p.code.startswith(prefix)}


def test_the_reference_article_has_no_problem() -> None:
    assert found(ARTICLE) == []


def test_a_top_level_url_must_be_absolute_but_a_site_image_may_be_a_path() -> None:
    # webUrl is a URL: a site path is not one; provider.images[].url may be a site path
    relative = ARTICLE.replace("webUrl: https://example.com/a", "webUrl: /news/a")
    assert where(relative) == {("$.webUrl", 5)}


def test_a_site_image_path_is_still_judged_as_a_url() -> None:
    bad = ARTICLE.replace("url: /assets/images/p.png", "url: https://exa mple.com/p.png")
    assert where(bad) == {("$.provider.images[0].url", 11)}


def test_unknown_url_keys_in_a_site_image_follow_its_paths() -> None:
    # an unknown key named like a URL, inside an image whose URLs may be site paths
    ok = ARTICLE.replace(
        "    - url: /assets/images/p.png\n", "    - url: /p.png\n      thumbUrl: /t.png\n"
    )
    assert where(ok) == set()
    bad = ok.replace("thumbUrl: /t.png", "thumbUrl: https://exa mple.com/t.png")
    assert where(bad) == {("$.provider.images[0].thumbUrl", 12)}
    # nested deeper in an unknown mapping, the same
    nested = ARTICLE.replace(
        "    - url: /assets/images/p.png\n",
        "    - url: /p.png\n      source:\n        feedUrl: /feed.xml\n",
    )
    assert where(nested) == set()


def test_an_unknown_timestamp_key_in_a_site_image_is_a_timestamp_not_a_url() -> None:
    text = ARTICLE.replace(
        "    - url: /assets/images/p.png\n",
        "    - url: /p.png\n      takenDateTime: 2021-01-01T10:00:00\n",
    )
    assert ("NM503", "$.provider.images[0].takenDateTime", 12) in found(text)


def test_urls_in_a_list_of_unknown_mappings_are_judged() -> None:
    text = ARTICLE.replace(
        "type: article\n",
        "type: article\nsources:\n  - name: a\n    feedUrl: https://exa mple.com/f\n",
    )
    assert where(text) == {("$.sources[0].feedUrl", 9)}


def test_a_typed_images_list_is_an_image_list() -> None:
    text = ARTICLE.replace(
        "type: article\n",
        "type: article\nimages:\n  - url: https://example.com/i.png\n"
        "  - url: https://example.com/i.png\n",
    )
    ctx = _context(text)
    assert [path for path, _ in image_lists(ctx)] == [("images",), ("provider", "images")]
    assert ("NM609", "$.images[1].url", 9) in found(text)


# -- kinds of the tests' own: lists with a meaning, a single image with site paths ------------


@attrs.frozen(kw_only=True)
class Show(Item):
    """A show (a kind of this test's own) with lists of URLs and of times, and a logo."""

    title: str = field("title", required=True)
    type: str | None = field("type")
    mirrors: tuple[str, ...] | None = field("mirrors", meaning=model.URL)
    airings: tuple[dt.datetime, ...] | None = field("airings", meaning=model.TIMESTAMP)
    logo: Image | None = field("logo", site_paths=True)  # noqa: RUF009
    extra: Any = extra_field()  # noqa: RUF009


def _show() -> None:
    if kinds.get("fieldshow") is None:
        kinds.register(kinds.Kind(name="fieldshow", cls=Show))


SHOW = "---\ntitle: S\ntype: fieldshow\nmirrors:\n  - https://a.example.com/s\n  - https://b.example.com/s\n---\n"


def test_each_item_of_a_list_of_urls_is_judged_at_its_line() -> None:
    _show()
    assert found(SHOW) == []
    bad = SHOW.replace("https://b.example.com/s", "https://b exa.com/s")
    assert where(bad) == {("$.mirrors[1]", 6)}
    ctx = _context(SHOW)
    urls = fields(ctx).of(model.URL)
    assert [(path, node.value, typed) for path, node, typed in urls] == [  # type: ignore[union-attr]
        (("mirrors", 0), "https://a.example.com/s", True),
        (("mirrors", 1), "https://b.example.com/s", True),
    ]


def test_a_typed_list_of_times_is_left_to_the_type_check() -> None:
    _show()
    naive = SHOW.replace("---\ntitle", "---\nairings:\n  - 2021-01-01T10:00:00\ntitle", 1)
    # the model types each item: NM100 says it needs a zone; NM503 (for keys it does not type)
    # must not say it again
    assert [c[:2] for c in found(naive)] == [("NM100", "$.airings[0]")]


def test_a_single_model_value_with_site_paths_passes_them_on() -> None:
    _show()
    logo = SHOW.replace("---\ntitle", "---\nlogo:\n  url: /assets/logo.png\ntitle", 1)
    assert found(logo) == []
    bad = logo.replace("url: /assets/logo.png", "url: https://exa mple.com/l.png")
    assert where(bad) == {("$.logo.url", 3)}


# -- a context without a kind (a rule of your own may make one) --------------------------------


def _context(text: str, kind: kinds.Kind | None = None) -> Context:
    parsed = parse_text(text)
    assert parsed.root is not None
    return Context(parsed.root, None, NOW, None, kind)


def test_without_a_kind_the_engine_reads_the_kind_from_type() -> None:
    ctx = _context("---\nname: A\ntype: profile\nwebsite: https://a.example.com\n---\n")
    urls = [(path, typed) for path, _node, typed in fields(ctx).of(model.URL)]
    assert urls == [(("website",), True)]  # Profile types website as a URL
    assert ctx.kind is not None and ctx.kind.cls is model.Profile


def test_without_a_kind_the_engine_reads_the_kind_from_taxonomy() -> None:
    ctx = _context("---\n_id: example.com\nname: E\ntaxonomy: organization\n---\n")
    domains = [(path, typed) for path, _node, typed in fields(ctx).of(model.DOMAIN)]
    assert domains == [(("_id",), True)]  # Organization types _id as a domain
    assert ctx.kind is not None and ctx.kind.cls is model.Organization
