"""The validation rules: the registry, the documentation, the corpus, and each rule's edges."""

from __future__ import annotations

import collections
import datetime as dt
import importlib.util
import inspect
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

import newsmodel as nm
from newsmodel.codes import reader_codes
from newsmodel.rules import Context, all_rules
from newsmodel.yamlio import MappingNode, SequenceNode, node_at, parse_text

from .conftest import ROOT, need_seed

__all__: list[str] = []

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
SRC = ROOT / "src" / "newsmodel"
EXAMPLES = Path(__file__).resolve().parent / "examples"

BASE = """---
title: "Hello"
excerpt: "An example."
publishedDateTime: 2021-03-04T10:15:00Z
webUrl: "https://www.example.com/hello"
type: article
provider:
  name: Example
  domain: example.com
---
"""


def check(text: str, **kw: object) -> list[tuple[str, str, int | None, int | None]]:
    return [
        (p.code, p.pointer, p.line, p.column)
        for p in nm.check_text(text, now=kw.pop("now", NOW), **kw)  # type: ignore[arg-type]
    ]


def codes(text: str, **kw: object) -> list[str]:
    return [c for c, *_ in check(text, **kw)]


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# -- the registry ------------------------------------------------------------------------------


def test_registry_is_well_formed() -> None:
    rules = all_rules()
    seen = [r.code for r in rules]
    assert len(seen) == len(set(seen)), "a code is registered twice"
    for rule in rules:
        assert re.fullmatch(r"NM[1-9]\d\d", rule.code), rule.code
        assert rule.severity in ("error", "warning")
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.spec.startswith(("https://", "docs/rules.md#")), rule.spec
        doc = inspect.getdoc(type(rule)) or ""
        assert "Fails" in doc and "Passes" in doc, f"{rule.code} has no examples"
        assert len(doc.split("\n\n")) >= 3, f"{rule.code} gives no rationale"


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "newsmodel_rules_hooks", ROOT / "docs" / "hooks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_cover_every_code() -> None:
    """docs/rules.md (with its generated reference) names every rule code and parser code."""
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "<!-- newsmodel:rules -->" in page
    rendered = page.replace("<!-- newsmodel:rules -->", _hooks().rules_reference("rules.md"))
    for entry in reader_codes():
        assert f"### {entry.code}" in rendered, f"{entry.code} is not documented"
    for rule in all_rules():
        assert f"### {rule.code}" in rendered, f"{rule.code} is not documented"


# -- the corpus --------------------------------------------------------------------------------


def test_corpus_has_no_errors(corpus: list[Path]) -> None:
    seed = need_seed()
    errors = []
    warnings: collections.Counter[str] = collections.Counter()
    for path in [*corpus, seed]:
        for p in nm.check_file(path):
            if p.is_error:
                errors.append(f"{p.file}:{p.line}:{p.column}: {p.code} {p.message}")
            else:
                warnings[p.code] += 1
    assert errors == []
    print("warnings over the corpus:", dict(warnings))


def test_seed_is_clean() -> None:
    assert nm.check_file(need_seed(), now=NOW) == []


# -- how rules see a file ----------------------------------------------------------------------


def test_walk_index_matches_the_tree() -> None:
    """``Context.walk`` yields exactly the nodes at the paths it names, in document order."""
    for path in sorted(EXAMPLES.rglob("*.md")):
        root = parse_text(path.read_text(encoding="utf-8")).root
        assert isinstance(root, MappingNode)
        ctx = Context(root, None, NOW)
        for pattern in [
            ("related", None, "images", None, "url"),
            ("topics", None),
            ("provider", "images", None, "width"),
            ("title",),
            ("nothing", None),
        ]:
            found = list(ctx.walk(pattern))
            for p, node in found:
                assert node_at(root, p) is node
                assert len(p) == len(pattern)
                assert all(
                    (q is None and isinstance(x, int)) or q == x
                    for q, x in zip(pattern, p, strict=True)
                )
            assert [p for p, _ in found] == sorted(p for p, _ in found)
        topics = root.get("topics")
        assert isinstance(topics, SequenceNode)
        assert len(list(ctx.walk(("topics", None)))) == len(topics.items)


def test_wrong_types_are_reported_once() -> None:
    text = """---
title: 12
excerpt: "x"
publishedDateTime: "2021-03-04"
webUrl: 42
ampWebUrl: [a]
cdnAmpWebUrl: true
type: article
length: 13
secured: 5
topics: "AI"
category: 3
provider:
  name: [x]
  domain: 7
images:
  - url: 1
    width: "-1"
    height: 1.5
related:
  - title: "r"
    webUrl: {a: b}
    publishedDateTime: 2021-01-01
---
"""
    found = check(text)
    typed = {ptr for code, ptr, *_ in found if code == "NM100"}
    assert {"$.title", "$.webUrl", "$.images[0].width", "$.provider.domain"} <= typed
    others = [(code, ptr) for code, ptr, *_ in found if code != "NM100" and ptr in typed]
    assert others == []


def test_rules_run_when_structuring_fails() -> None:
    text = edit(
        "  name: Example\n", "", edit('"https://www.example.com/hello"', '"ftp://x.example.com/"')
    )
    found = codes(text)
    assert "NM101" in found and "NM201" in found


def test_select_and_ignore_take_prefixes() -> None:
    text = edit('"https://www.example.com/hello"', '"http://www.example.org/hello"')
    assert sorted(codes(text)) == ["NM210", "NM401"]
    assert codes(text, select=["NM2"]) == ["NM210"]
    assert codes(text, ignore=["NM2"]) == ["NM401"]
    assert codes(text, select=["NM4", "NM210"], ignore=["NM401"]) == ["NM210"]


# -- URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.example.com/a b", "NM202"),
        (" https://www.example.com/a", "NM202"),
        ("https://www.example.com/\u200ba", "NM203"),
        ("https://u:p@www.example.com/a", "NM204"),
        ("https://-bad-.example.com/a", "NM205"),
        ("https://www.example.com:0/a", "NM206"),
        ("https://www.example.com/%zz", "NM207"),
        ("mailto:someone@example.com", "NM201"),
        ("//www.example.com/a", "NM201"),
        ("", "NM201"),
    ],
)
def test_url_codes(url: str, code: str) -> None:
    quoted = url.replace("\\", "\\\\").replace('"', '\\"').replace("\u200b", "\\u200b")
    text = edit('webUrl: "https://www.example.com/hello"', f'webUrl: "{quoted}"')
    assert (code, "$.webUrl", 5, 9) in check(text)


def test_http_is_a_warning_and_relative_provider_images_are_fine() -> None:
    text = (
        BASE.replace("---\n", "", 1)
        .replace(
            "  domain: example.com\n",
            "  domain: example.com\n  images:\n    - url: /assets/a.png\n",
        )
        .replace("---\n", "images:\n  - url: http://img.example.com/a.png\n---\n")
    )
    problems = nm.check_text("---\n" + text, now=NOW)
    assert [(p.code, p.severity, p.pointer) for p in problems] == [
        ("NM210", "warning", "$.images[0].url")
    ]
    assert problems[0].hint == "https://img.example.com/a.png"


def test_international_hosts_are_urls() -> None:
    text = edit('"https://www.example.com/hello"', '"https://bücher.example.com/hello"')
    assert check(text) == []


# -- AMP -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amp", "right"),
    [
        # worked by hand from the published format (not with newsmodel.urls)
        (
            "https://www.example.com/amp/hello",
            "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/hello",
        ),
        (
            "http://www.example.com/amp/hello",
            "https://www-example-com.cdn.ampproject.org/c/www.example.com/amp/hello",
        ),
        (
            # "news-bücher-example-com" Punycode-encoded (RFC 3492)
            "https://news.bücher.example.com/amp/hello?x=1",
            "https://xn--news-bcher-example-com-xlc.cdn.ampproject.org/c/s/"
            "news.bücher.example.com/amp/hello?x=1",
        ),
        (
            "https://a-b--c.example.com/amp",
            "https://a--b----c-example-com.cdn.ampproject.org/c/s/a-b--c.example.com/amp",
        ),
        (
            "https://ab-c.example.com/amp",
            "https://0-ab--c-example-com-0.cdn.ampproject.org/c/s/ab-c.example.com/amp",
        ),
    ],
)
def test_amp_cache_url_is_checked_and_hinted(amp: str, right: str) -> None:
    good = edit("type: article\n", f'ampWebUrl: "{amp}"\ncdnAmpWebUrl: "{right}"\ntype: article\n')
    assert [c for c in codes(good) if c.startswith("NM3")] == []
    wrong = right.replace(".cdn.ampproject.org/c/", ".cdn.ampproject.org/v/")
    bad = edit("type: article\n", f'ampWebUrl: "{amp}"\ncdnAmpWebUrl: "{wrong}"\ntype: article\n')
    problems = [p for p in nm.check_text(bad, now=NOW) if p.code == "NM301"]
    assert [(p.pointer, p.line) for p in problems] == [("$.cdnAmpWebUrl", 7)]
    assert problems[0].hint == f'cdnAmpWebUrl: "{right}"'


def test_amp_cache_url_without_amp() -> None:
    text = edit(
        "type: article\n",
        'cdnAmpWebUrl: "https://x-com.cdn.ampproject.org/c/s/x.com/a"\ntype: article\n',
    )
    assert ("NM302", "$.cdnAmpWebUrl", 6, 1) in check(text)


# -- provider --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "code"),
    [
        ("co.uk", "NM402"),
        ("github.io", "NM402"),
        ("com", "NM402"),
        ("Example.com", "NM403"),
        ("example.com/news", "NM403"),
        ("example.com.", "NM403"),
        ("exa mple.com", "NM403"),
        ("www.example.com", "NM404"),
    ],
)
def test_domain_codes(domain: str, code: str) -> None:
    text = edit("  domain: example.com", f'  domain: "{domain}"')
    assert (code, "$.provider.domain", 9, 11) in check(text)


@pytest.mark.parametrize("domain", ["example.com", "someone.github.io", "bbc.co.uk", "bücher.de"])
def test_registrable_domains_pass(domain: str) -> None:
    host = {"example.com": "www.example.com"}.get(domain, "news." + domain)
    text = edit("  domain: example.com", f"  domain: {domain}", edit("www.example.com", host))
    assert check(text) == []


def test_web_url_outside_domain_only_for_articles() -> None:
    text = edit("  domain: example.com", "  domain: example.org")
    assert ("NM401", "$.webUrl", 5, 9) in check(text)
    course = edit("type: article", "type: course", text)
    assert "NM401" not in codes(course)
    sibling = edit("  domain: example.com", "  domain: notexample.com")
    assert "NM401" in codes(edit("www.example.com", "www.xnotexample.com", sibling))


NOT_BARE = "is not a bare domain name; expected only the domain, without scheme, path or port."


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("", ("NM403", "provider.domain is empty; expected a domain such as example.com.", None)),
        ("  ", ("NM403", "provider.domain is blank; expected a domain such as example.com.", None)),
        (
            " example.com",
            (
                "NM403",
                "provider.domain ' example.com' has leading or trailing whitespace.",
                "domain: example.com",
            ),
        ),
        (
            "https://www.Example.com/x",
            (
                "NM403",
                f"provider.domain 'https://www.Example.com/x' {NOT_BARE}",
                "domain: example.com",
            ),
        ),
        (
            "example.com/news",
            ("NM403", f"provider.domain 'example.com/news' {NOT_BARE}", "domain: example.com"),
        ),
        (
            "www.example.com:80",
            ("NM403", f"provider.domain 'www.example.com:80' {NOT_BARE}", "domain: example.com"),
        ),
        (
            "me@ex@example.com",
            ("NM403", f"provider.domain 'me@ex@example.com' {NOT_BARE}", "domain: example.com"),
        ),
        (
            "wwwexample.com?",
            ("NM403", f"provider.domain 'wwwexample.com?' {NOT_BARE}", "domain: wwwexample.com?"),
        ),
        ("://", ("NM403", f"provider.domain '://' {NOT_BARE}", None)),
        (
            "Example.com",
            ("NM403", "provider.domain 'Example.com' is not lower-case.", "domain: example.com"),
        ),
        (
            "example.com.",
            ("NM403", "provider.domain 'example.com.' ends with a dot.", "domain: example.com"),
        ),
        (
            "exa_mple.com",
            (
                "NM403",
                "provider.domain 'exa_mple.com' is not a valid domain name; expected "
                "dot-separated labels of letters, digits and inner hyphens.",
                None,
            ),
        ),
        (
            "co.uk",
            (
                "NM402",
                "provider.domain 'co.uk' is a public suffix shared by unrelated sites; "
                "expected the provider's own domain, such as example.co.uk.",
                None,
            ),
        ),
        (
            "www.example.com",
            (
                "NM404",
                "provider.domain 'www.example.com' is a sub-domain; expected the registrable "
                "domain 'example.com'.",
                "domain: example.com",
            ),
        ),
    ],
)
def test_domain_messages_written_out(domain: str, expected: tuple[str, str, str | None]) -> None:
    text = edit("  domain: example.com", f"  domain: {json.dumps(domain)}")
    found = [(p.code, p.message, p.hint) for p in nm.check_text(text, now=NOW) if p.code != "NM401"]
    assert found == [expected]


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("https://www.other.org/story", "Check the link, or set provider.domain to 'other.org'."),
        (
            "https://WWW.Other.org:8443/story",
            "Check the link, or set provider.domain to 'other.org'.",
        ),
        ("https://1.2.3.4/story", None),
    ],
)
def test_web_url_outside_domain_message_written_out(url: str, hint: str | None) -> None:
    text = edit('"https://www.example.com/hello"', json.dumps(url))
    found = [
        (p.code, p.pointer, p.message, p.hint)
        for p in nm.check_text(text, now=NOW)
        if p.code == "NM401"
    ]
    host = url.split("/")[2].split(":")[0].lower()
    assert found == [
        (
            "NM401",
            "$.webUrl",
            f"webUrl is on {host!r}, which is not provider.domain 'example.com' or a sub-domain of it.",
            hint,
        )
    ]


def test_an_item_the_web_url_rule_skips_does_not_stop_it() -> None:
    """Items that cannot be judged (no string webUrl, no provider mapping, no string domain,
    a misspelt domain, a webUrl without a host) are skipped; the items after them are still
    checked."""
    text = edit(
        "  domain: example.com\n",
        "  domain: example.com\n"
        "related:\n"
        "  - title: A\n    type: article\n"
        '    webUrl: "https://www.a.org/x"\n'
        "    provider: just a name\n"
        "  - title: B\n    type: article\n"
        '    webUrl: "https://www.a.org/x"\n'
        "    provider:\n      name: B\n"
        "  - title: C\n    type: article\n"
        '    webUrl: "https://www.a.org/x"\n'
        "    provider:\n      name: C\n      domain: Bad.org\n"
        "  - title: D\n    type: article\n"
        '    webUrl: "no host here"\n'
        "    provider:\n      name: D\n      domain: d.org\n"
        "  - title: E\n    type: article\n"
        '    webUrl: "https://www.e.org/x"\n'
        "    provider:\n      name: E\n      domain: other.org\n",
        edit('webUrl: "https://www.example.com/hello"', "webUrl: 5"),
    )
    found = [p.pointer for p in nm.check_text(text, now=NOW) if p.code == "NM401"]
    assert found == ["$.related[4].webUrl"]


def test_every_domain_is_checked_and_each_reported() -> None:
    text = edit(
        "  domain: example.com\n",
        "  domain: Example.com\n"
        "related:\n"
        "  - title: A\n"
        "    provider:\n"
        "      name: A\n"
        "      domain: co.uk\n"
        "  - title: B\n"
        "    provider:\n"
        "      name: B\n"
        "      domain: news.example.org\n"
        "  - title: C\n"
        "    provider: [not, a, mapping]\n"
        "  - title: D\n"
        "    provider:\n"
        "      name: D\n"
        "      domain: 5\n",
    )
    found = [
        (p.code, p.pointer, p.line) for p in nm.check_text(text, now=NOW) if p.code[:4] == "NM40"
    ]
    assert found == [
        ("NM403", "$.provider.domain", 9),
        ("NM402", "$.related[0].provider.domain", 14),
        ("NM404", "$.related[1].provider.domain", 18),
    ]


def test_a_related_items_domain_is_named_and_hinted_like_the_articles() -> None:
    # the message names ``provider.domain`` (not ``related.1.provider.domain``, nor ``domain``)
    # and the hint is the line to write, ``domain: ...``, whatever the depth (issue 15)
    text = edit(
        "  domain: example.com\n",
        "  domain: example.com\n"
        "related:\n"
        "  - title: A\n"
        "    provider:\n"
        "      name: A\n"
        "      domain: Bad.org\n"
        "  - title: B\n"
        "    provider:\n"
        "      name: B\n"
        "      domain: www.example.org\n",
    )
    found = [
        (p.code, p.pointer, p.message, p.hint)
        for p in nm.check_text(text, now=NOW)
        if p.code[:4] == "NM40"
    ]
    assert found == [
        (
            "NM403",
            "$.related[0].provider.domain",
            "provider.domain 'Bad.org' is not lower-case.",
            "domain: bad.org",
        ),
        (
            "NM404",
            "$.related[1].provider.domain",
            "provider.domain 'www.example.org' is a sub-domain; expected the registrable "
            "domain 'example.org'.",
            "domain: example.org",
        ),
    ]


def test_related_articles_webUrl_is_checked_against_their_own_provider() -> None:
    text = edit(
        "  domain: example.com\n",
        "  domain: example.com\n"
        "related:\n"
        "  - title: A\n"
        "    type: article\n"
        '    webUrl: "https://www.a.org/x"\n'
        "    provider:\n"
        "      name: A\n"
        "      domain: a.org\n"
        "  - title: B\n"
        "    type: article\n"
        '    webUrl: "https://www.a.org/y"\n'
        "    provider:\n"
        "      name: B\n"
        "      domain: b.org\n"
        "  - title: C\n"
        "    type: video\n"
        '    webUrl: "https://www.youtube.com/watch?v=1"\n'
        "    provider:\n"
        "      name: C\n"
        "      domain: c.org\n",
        edit("type: article", "type: video"),
    )
    found = [(p.code, p.pointer, p.line) for p in nm.check_text(text, now=NOW) if p.code == "NM401"]
    assert found == [("NM401", "$.related[1].webUrl", 19)]


# -- dates ---------------------------------------------------------------------------------------


def test_future_dates_allow_a_small_skew() -> None:
    stamp = dt.datetime(2021, 3, 4, 10, 15, tzinfo=dt.timezone.utc)
    assert "NM501" not in codes(BASE, now=stamp + dt.timedelta(minutes=-9))
    assert "NM501" in codes(BASE, now=stamp + dt.timedelta(minutes=-11))
    # a naive now is read as UTC
    assert "NM501" in codes(BASE, now=dt.datetime(2021, 3, 4, 9, 0))
    later = edit("2021-03-04T10:15:00Z", "2021-03-04T10:15:00+05:00")  # 05:15 UTC
    assert "NM501" not in codes(later, now=dt.datetime(2021, 3, 4, 6, 0, tzinfo=dt.timezone.utc))


def test_planted_bug_future_date_boundary_is_exact() -> None:
    """Planted bug (issue 15): the NM501 limit off by one at its exact boundary. A timestamp
    exactly ``FUTURE_SKEW`` (10 minutes) after now passes; one microsecond more fails."""
    stamp = dt.datetime(2021, 3, 4, 10, 15, tzinfo=dt.timezone.utc)
    at_limit = stamp - dt.timedelta(minutes=10)
    assert codes(BASE, now=at_limit) == []
    assert codes(BASE, now=at_limit - dt.timedelta(microseconds=1)) == ["NM501"]
    assert codes(BASE, now=at_limit - dt.timedelta(seconds=1)) == ["NM501"]
    assert codes(BASE, now=at_limit + dt.timedelta(seconds=1)) == []
    # the same boundary for a fractional timestamp in the file, and in another zone
    fraction = edit("2021-03-04T10:15:00Z", "2021-03-04T15:15:00.000001+05:00")
    assert codes(fraction, now=at_limit) == ["NM501"]
    assert codes(fraction, now=at_limit + dt.timedelta(microseconds=1)) == []
    # and for a related item's date (the item's own date is older)
    related = edit(
        "  domain: example.com\n",
        "  domain: example.com\n"
        "related:\n"
        "  - title: R\n"
        "    publishedDateTime: 2021-03-04T10:15:00Z\n",
        edit("2021-03-04T10:15:00Z", "2021-03-04T09:00:00Z"),
    )
    problems = nm.check_text(related, now=at_limit - dt.timedelta(microseconds=1))
    assert [(p.code, p.pointer) for p in problems] == [("NM501", "$.related[0].publishedDateTime")]
    assert nm.check_text(related, now=at_limit) == []


def test_old_dates_warn() -> None:
    problems = nm.check_text(edit("2021-03-04", "1989-12-31"), now=NOW)
    assert [(p.code, p.severity) for p in problems] == [("NM502", "warning")]
    assert codes(edit("2021-03-04", "1990-01-01")) == []


def test_date_messages_written_out() -> None:
    future = nm.check_text(BASE, now=dt.datetime(2021, 3, 4, 10, 0, 30, tzinfo=dt.timezone.utc))
    assert [
        (p.code, p.severity, p.pointer, p.line, p.column, p.message, p.hint) for p in future
    ] == [
        (
            "NM501",
            "error",
            "$.publishedDateTime",
            4,
            20,
            "publishedDateTime 2021-03-04T10:15:00+00:00 is in the future "
            "(now is 2021-03-04T10:00:30+00:00).",
            "Check the year, the month and the time zone.",
        )
    ]
    # a naive now is read as UTC, and said so
    naive = nm.check_text(BASE, now=dt.datetime(2021, 3, 4, 10, 0, 30))
    assert [p.message for p in naive] == [future[0].message]
    old = nm.check_text(edit("2021-03-04T10:15:00Z", "1990-01-01T00:59:59+01:00"), now=NOW)
    assert [(p.code, p.severity, p.pointer, p.line, p.column, p.message, p.hint) for p in old] == [
        (
            "NM502",
            "warning",
            "$.publishedDateTime",
            4,
            20,
            "publishedDateTime 1990-01-01T00:59:59+01:00 is before 1990; is the year right?",
            None,
        )
    ]


def test_old_date_boundary_is_1990_utc() -> None:
    assert codes(edit("2021-03-04T10:15:00Z", "1990-01-01T00:00:00Z")) == []
    assert codes(edit("2021-03-04T10:15:00Z", "1989-12-31T23:59:59.999999Z")) == ["NM502"]
    # 1990-01-01T00:30:00+01:00 is 1989-12-31T23:30:00 UTC
    assert codes(edit("2021-03-04T10:15:00Z", "1990-01-01T00:30:00+01:00")) == ["NM502"]


def test_every_date_is_checked_and_each_reported() -> None:
    """The root's and every related item's date: each bad one reported at its own place."""
    text = edit(
        "  domain: example.com\n",
        "  domain: example.com\n"
        "related:\n"
        "  - title: A\n"
        "    publishedDateTime: 1980-01-01T00:00:00Z\n"
        "  - title: B\n"
        "    publishedDateTime: 2021-01-01T00:00:00Z\n"
        "  - just text\n"
        "  - title: C\n"
        "    publishedDateTime: 2099-01-01T00:00:00Z\n",
        edit("2021-03-04T10:15:00Z", "2098-01-01T00:00:00Z"),
    )
    assert [(c, p, line) for c, p, line, _ in check(text) if c.startswith("NM5")] == [
        ("NM501", "$.publishedDateTime", 4),
        ("NM502", "$.related[0].publishedDateTime", 12),
        ("NM501", "$.related[3].publishedDateTime", 17),
    ]


def test_an_aware_now_keeps_its_zone() -> None:
    plus5 = dt.timezone(dt.timedelta(hours=5))
    now = dt.datetime(2021, 3, 4, 15, 0, 30, tzinfo=plus5)  # 10:00:30 UTC
    (problem,) = nm.check_text(BASE, now=now)
    assert problem.message == (
        "publishedDateTime 2021-03-04T10:15:00+00:00 is in the future "
        "(now is 2021-03-04T15:00:30+05:00)."
    )
    assert codes(BASE, now=now + dt.timedelta(minutes=5)) == []  # 10:05:30 UTC + 10 minutes


@pytest.mark.parametrize("value", ["[2099-01-01T00:00:00Z]", "{at: 2099-01-01T00:00:00Z}"])
def test_a_date_that_is_not_a_scalar_is_only_a_type_problem(value: str) -> None:
    text = edit("2021-03-04T10:15:00Z", value)
    related = edit(
        "  domain: example.com\n",
        f"  domain: example.com\nrelated:\n  - title: R\n    publishedDateTime: {value}\n",
    )
    assert codes(text) == ["NM100"]
    assert codes(related) == ["NM100"]


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            "2021-06-12T19:03:00",
            "eventDateTime 2021-06-12T19:03:00 has no time zone.",
            "Add the zone: 2021-06-12T19:03:00Z for UTC.",
        ),
        (
            "2021-06-12",
            "eventDateTime is the date 2021-06-12; expected a timestamp such as 2020-06-12T19:03:00Z.",
            "Add the time and zone: 2021-06-12T00:00:00Z.",
        ),
        (
            '"2021-06-12T19:03:00Z"',
            "eventDateTime is the string '2021-06-12T19:03:00Z'; expected a timestamp such as "
            "2020-06-12T19:03:00Z.",
            "Write an unquoted ISO 8601 timestamp such as 2020-06-12T19:03:00Z.",
        ),
    ],
)
def test_an_unknown_key_named_like_a_timestamp_holds_one(
    value: str, message: str, hint: str
) -> None:
    # an empty key and a fine one first: they are skipped, the keys after them still checked
    lines = f"emptyDateTime:\nfineDateTime: 2021-06-12T19:03:00Z\neventDateTime: {value}\nlaterDateTime: 5\n"
    text = edit("type: article\n", "type: article\n" + lines)
    found = [
        (p.code, p.pointer, p.line, p.message, p.hint)
        for p in nm.check_text(text, now=NOW)
        if p.code == "NM503"
    ]
    assert found == [
        ("NM503", "$.eventDateTime", 9, message, hint),
        (
            "NM503",
            "$.laterDateTime",
            10,
            "laterDateTime is the integer 5; expected a timestamp such as 2020-06-12T19:03:00Z.",
            "Write an unquoted ISO 8601 timestamp such as 2020-06-12T19:03:00Z.",
        ),
    ]


def test_a_naive_timestamp_is_a_type_problem_not_a_date_problem() -> None:
    text = edit("2021-03-04T10:15:00Z", "2099-03-04T10:15:00")
    assert codes(text) == ["NM100"]
    assert codes(edit("2021-03-04T10:15:00Z", "1980-03-04")) == ["NM100"]


# -- shape ---------------------------------------------------------------------------------------


def test_missing_kind_keys_point_at_type() -> None:
    text = edit('excerpt: "An example."\n', "")
    assert check(text) == [("NM601", "$.excerpt", 5, 1)]
    unknown = edit("type: article", "type: podcast", text)
    assert codes(unknown) == ["NM611"]


@pytest.mark.parametrize(
    "length", ["PT13M34S", "PT57M", "PT1H2M", "P1M", "P2DT3H", "PT1.5S", "P1W"]
)
def test_good_durations(length: str) -> None:
    assert codes(edit("type: article\n", f"type: article\nlength: {length}\n")) == []


@pytest.mark.parametrize("length", ["P", "PT", "13M", "PT13m", "P1H", "PT-1M", "1:02:03"])
def test_bad_durations(length: str) -> None:
    assert codes(edit("type: article\n", f'type: article\nlength: "{length}"\n')) == ["NM607"]


@pytest.mark.parametrize(
    ("secured", "ok"),
    [
        ("QQ==;QUI=", True),
        ("QUJD;QUJDRA==", True),
        ("QQ==", False),
        ("QQ==;", False),
        ("QQ=;QUI=", False),
        ("QQ==;QUI=;QQ==", False),
        ("Q Q==;QUI=", False),
    ],
)
def test_secured(secured: str, ok: bool) -> None:
    text = edit("type: article\n", f'type: article\nsecured: "{secured}"\n')
    assert codes(text) == ([] if ok else ["NM608"])


def test_unknown_key_hints() -> None:
    text = edit("webUrl:", "WebURL:")
    problems = [p for p in nm.check_text(text, now=NOW) if p.code == "NM102"]
    assert [(p.pointer, p.line, p.column, p.hint) for p in problems] == [
        ("$.WebURL", 5, 1, "Rename it to 'webUrl'.")
    ]
    nothing_like = edit("type: article\n", "type: article\nzzz: 1\n")
    (p,) = [p for p in nm.check_text(nothing_like, now=NOW) if p.code == "NM102"]
    assert p.hint is None and p.severity == "warning"


def test_validate_an_article() -> None:
    article = nm.loads(BASE).article
    assert nm.validate(article, now=NOW) == []
    import attrs

    broken = attrs.evolve(article, topics=("AI", "AI"))
    (p,) = nm.validate(broken, now=NOW)
    assert (p.code, p.pointer) == ("NM606", "$.topics[1]")
    assert p.line is not None


def test_context_once_computes_once_per_file() -> None:
    parsed = parse_text(BASE)
    assert parsed.root is not None
    calls: list[int] = []

    def titles(ctx: Context) -> list[str]:
        calls.append(1)
        return [str(ctx.value(("title",)))]

    ctx = Context(parsed.root, None, NOW)
    assert ctx.once(titles) == ["Hello"]
    assert ctx.once(titles) is ctx.once(titles)
    assert len(calls) == 1
    assert Context(parsed.root, None, NOW).once(titles) == ["Hello"]  # a new file: again
    assert len(calls) == 2
