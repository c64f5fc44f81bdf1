"""Tests for :mod:`newsmodel.urls`: unit tables plus checks against the real corpus."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from newsmodel.urls import (
    AMP_CACHE_SUFFIX,
    UrlIssue,
    amp_cache_subdomain,
    amp_cache_url,
    host_of,
    is_public_suffix,
    is_same_or_subdomain,
    registrable_domain,
    url_problems,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"


# ---------------------------------------------------------------------------
# AMP Cache URLs
# ---------------------------------------------------------------------------

# Host -> domain prefix.  Examples from the published algorithm ("AMP Cache URL
# Format and Request Handling") and from the amp-toolbox cache-url test suite.
AMP_PREFIXES = [
    ("example.com", "example-com"),
    ("foo.example.com", "foo-example-com"),
    ("foo-example.com", "foo--example-com"),
    ("something.com", "something-com"),
    ("SOMETHING.COM", "something-com"),
    ("hello-world.com", "hello--world-com"),
    ("hello--world.com", "hello----world-com"),
    ("www.buzzfeednews.com", "www-buzzfeednews-com"),
    # "-" in both 3rd and 4th positions: wrapped in "0-" ... "-0".
    ("en-us.example.com", "0-en--us-example-com-0"),
    ("ab-c.example.com", "0-ab--c-example-com-0"),
    ("a-b.example.com", "a--b-example-com"),
    # Punycode is decoded, transformed, and encoded again.
    ("xn--57hw060o.com", "xn---com-p33b41770a"),
    ("xn--bcher-kva.ch", "xn--bcher-ch-65a"),
    ("點看.com", "xn---com-k47jg78q"),
    # Wholly right-to-left host: allowed.
    ("xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c", "xn-------i5fvcbaopc6fkc0de0d9jybegt6cd"),
    # Fallback: base32(sha256(host)), lower-case, no padding.
    ("toplevelnohyphens", "qsgpfjzulvuaxb66z77vlhb5gu2irvcnyp6t67cz6tqo5ae6fysa"),
    ("no-dot-domain", "4lxc7wqq7b25walg4rdiil62veijrmqui5z3ept2lyfqqwpowryq"),
    (
        "itwasadarkandstormynight.therainfellintorrents."
        "exceptatoccasionalintervalswhenitwascheckedby."
        "aviolentgustofwindwhichsweptupthestreets.com",
        "dgz4cnrxufaulnwku4ow5biptyqnenjievjht56hd7wqinbdbteq",
    ),
    # A mix of left-to-right and right-to-left characters cannot be one label.
    (
        "hello.xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",
        "a6h5moukddengbsjm77rvbosevwuduec2blkjva4223o4bgafgla",
    ),
]


@pytest.mark.parametrize(("host", "prefix"), AMP_PREFIXES)
def test_amp_cache_subdomain(host: str, prefix: str) -> None:
    assert amp_cache_subdomain(host) == prefix


def test_amp_cache_subdomain_63_characters_is_not_hashed() -> None:
    host = "a" * 30 + "." + "b" * 28 + ".com"  # prefix is exactly 63 characters
    assert amp_cache_subdomain(host) == "a" * 30 + "-" + "b" * 28 + "-com"
    longer = "a" * 30 + "." + "b" * 29 + ".com"  # 64: falls back to the hash
    fallback = amp_cache_subdomain(longer)
    assert re.fullmatch(r"[a-z2-7]{52}", fallback)


def _reverse_prefix(prefix: str) -> str:
    """The published reverse algorithm (AMP Cache Origin -> publisher domain)."""
    if prefix.startswith("xn--"):
        prefix = prefix[4:].encode("ascii").decode("punycode")
    if prefix.startswith("0-") and prefix.endswith("-0"):
        prefix = prefix[2:-2]
    out: list[str] = []
    i = 0
    while i < len(prefix):
        if prefix[i] == "-":
            if prefix[i + 1 : i + 2] == "-":
                out.append("-")
                i += 2
                continue
            out.append(".")
        else:
            out.append(prefix[i])
        i += 1
    return "".join(out).encode("idna").decode("ascii")


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "a-b.c-d.example.co.uk",
        "en-us.example.com",
        "x--y.example.org",
        "0-0.example.net",
        "a.b.c.d.e.f",
        "xn--bcher-kva.ch",
        "xn--57hw060o.com",
        "smartableai.github.io",
        "1.2.3.4",
    ],
)
def test_amp_cache_subdomain_round_trips_through_published_reverse(host: str) -> None:
    prefix = amp_cache_subdomain(host)
    assert re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", prefix)
    assert _reverse_prefix(prefix) == host


AMP_URLS = [
    ("https://www.example.com", "https://www-example-com.cdn.ampproject.org/c/s/www.example.com"),
    ("http://www.example.com", "https://www-example-com.cdn.ampproject.org/c/www.example.com"),
    (
        "https://www.example.com/index.html",
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/index.html",
    ),
    (
        "http://www.example.com/index.html",
        "https://www-example-com.cdn.ampproject.org/c/www.example.com/index.html",
    ),
    (
        "https://example.com/g?value=Hello%20World",
        "https://example-com.cdn.ampproject.org/c/s/example.com/g?value=Hello%20World",
    ),
    (
        "https://amp.dev/documentation/examples/api/query?value=Hello%20World",
        "https://amp-dev.cdn.ampproject.org/c/s/amp.dev/documentation/examples/api/query?value=Hello%20World",
    ),
    ("https://點看.com", "https://xn---com-k47jg78q.cdn.ampproject.org/c/s/點看.com"),
    # The host is lower-cased, a default port dropped, the rest kept verbatim.
    (
        "HTTPS://WWW.Example.COM:443/A/B/",
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/A/B/",
    ),
    ("http://example.com:80/x", "https://example-com.cdn.ampproject.org/c/example.com/x"),
    (
        "https://example.com//a//b?q=1&r=!#top",
        "https://example-com.cdn.ampproject.org/c/s/example.com//a//b?q=1&r=!#top",
    ),
    ("https://example.com?q", "https://example-com.cdn.ampproject.org/c/s/example.com?q"),
    (
        "https://www.buzzfeednews.com/amphtml/carolinehaskins1/amazon-ibm",
        "https://www-buzzfeednews-com.cdn.ampproject.org/c/s/www.buzzfeednews.com/amphtml/carolinehaskins1/amazon-ibm",
    ),
    (
        "https://en-us.example.com/p",
        "https://0-en--us-example-com-0.cdn.ampproject.org/c/s/en-us.example.com/p",
    ),
]


@pytest.mark.parametrize(("url", "expected"), AMP_URLS)
def test_amp_cache_url(url: str, expected: str) -> None:
    assert amp_cache_url(url) == expected
    assert expected.split("/")[2].endswith("." + AMP_CACHE_SUFFIX)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/relative/path",
        "//example.com/x",
        "example.com/x",
        "ftp://example.com/x",
        "https:///x",
        "https://user:pw@example.com/x",
        "https://example.com:8443/x",
        "http://example.com:443/x",
        "https://example.com:abc/x",
    ],
)
def test_amp_cache_url_rejects(url: str) -> None:
    with pytest.raises(ValueError, match=r"AMP Cache|absolute http"):
        amp_cache_url(url)


# ---------------------------------------------------------------------------
# URL checks
# ---------------------------------------------------------------------------

VALID_URLS = [
    "https://example.com",
    "https://example.com/",
    "https://www.buzzfeednews.com/article/carolinehaskins1/amazon-ibm-and-microsoft",
    "https://powerusers.microsoft.com//jgvjg48436/attachments/jgvjg48436/thumbnailmain.PNG",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1s",
    "https://example.com/a%20b/%E2%9C%93?x=1&y=!&z=a=b#frag",
    "https://example.com/path;params?q=(1)*'2'+$,@:~",
    "https://EXAMPLE.com/Upper",
    "HTTPS://example.com/",
    "https://example.com:8080/x",
    "https://sub-domain.example.co.uk/x",
    "https://xn--bcher-kva.ch/",
    "https://bücher.ch/",
    "https://1.2.3.4/",
    "https://[2001:db8::1]:8443/",
    "https://a.b.c.d.example.com/",
    "https://" + "a" * 63 + ".com/",
    "https://example.com?q",
]


@pytest.mark.parametrize("url", VALID_URLS)
def test_url_problems_accepts(url: str) -> None:
    assert url_problems(url) == []
    assert url_problems(url, allow_relative=True) == []


# value, allow_relative, expected codes (in order)
BAD_URLS: list[tuple[str, bool, list[str]]] = [
    ("", False, ["empty"]),
    ("   ", True, ["empty"]),
    (" https://example.com/a", False, ["whitespace"]),
    ("https://example.com/a\n", False, ["whitespace"]),
    ("https://example.com/a b", False, ["whitespace"]),
    ("https://example.com/a\u00a0b", False, ["whitespace"]),
    ("https://exa mple.com/", False, ["whitespace", "bad-host"]),
    ("https://example.com/a\tb", False, ["control-char"]),
    ("https://example.com/a\x00b", False, ["control-char"]),
    ("https://example.com/a\u200bb", False, ["control-char"]),
    ("https://example.com/\ufeff", False, ["control-char"]),
    ("http://example.com/", False, ["http"]),
    ("ftp://example.com/file", False, ["bad-scheme"]),
    ("mailto:someone@example.com", False, ["bad-scheme"]),
    ("javascript:alert(1)", True, ["bad-scheme"]),
    ("file:///etc/passwd", False, ["bad-scheme", "bad-host"]),
    ("https:example.com", False, ["not-absolute"]),
    ("www.example.com/page", False, ["not-absolute"]),
    ("page.html", True, ["not-absolute"]),
    ("/assets/a.png", False, ["not-absolute"]),
    ("//cdn.example.com/a.png", False, ["not-absolute"]),
    ("//cdn.example.com/a.png", True, ["not-absolute"]),
    ("https://user:secret@example.com/", False, ["credentials"]),
    ("https://user@example.com/", False, ["credentials"]),
    ("http://user:secret@example.com/", False, ["http", "credentials"]),
    ("https:///path", False, ["bad-host"]),
    ("https://-example.com/", False, ["bad-host"]),
    ("https://example-.com/", False, ["bad-host"]),
    ("https://exa_mple.com/", False, ["bad-host"]),
    ("https://a..b.com/", False, ["bad-host"]),
    ("https://.example.com/", False, ["bad-host"]),
    ("https://example.com./", False, ["bad-host"]),
    ("https://" + "a" * 64 + ".com/", False, ["bad-host"]),
    ("https://" + ".".join(["a" * 63] * 4) + ".com/", False, ["bad-host"]),
    ("https://xn--zz.com/", False, ["bad-host"]),
    ("https://exa%6dple.com/", False, ["bad-host"]),
    ("https://[zz]/", False, ["bad-host"]),
    ("https://example.com:0/", False, ["bad-port"]),
    ("https://example.com:65536/", False, ["bad-port"]),
    ("https://example.com:/", False, ["bad-port"]),
    ("https://example.com:8o/", False, ["bad-port"]),
    ("https://example.com/100%", False, ["bad-escape"]),
    ("https://example.com/?q=%zz", False, ["bad-escape"]),
]


@pytest.mark.parametrize(("value", "allow_relative", "codes"), BAD_URLS)
def test_url_problems_codes(value: str, allow_relative: bool, codes: list[str]) -> None:
    issues = url_problems(value, allow_relative=allow_relative)
    assert [issue.code for issue in issues] == codes
    for issue in issues:
        assert isinstance(issue, UrlIssue)
        assert issue.severity == ("warning" if issue.code == "http" else "error")
        assert issue.is_error == (issue.severity == "error")
        # One sentence naming the bad value.
        assert issue.message.endswith(".")
        if value:
            assert repr(value) in issue.message


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://example.com/a", "https://example.com/a"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/a\tb", "https://example.com/ab"),
        ("https://user:pw@example.com/x", "https://example.com/x"),
        ("//cdn.example.com/a.png", "https://cdn.example.com/a.png"),
        ("www.example.com/page", "https://www.example.com/page"),
        ("https:example.com/x", "https://example.com/x"),
        ("https://example.com./x", "https://example.com/x"),
    ],
)
def test_url_problems_hints(value: str, hint: str) -> None:
    assert url_problems(value)[0].hint == hint


def test_url_problems_relative_allowed() -> None:
    assert (
        url_problems("/assets/images/organizations/microsoft.com-50x50.jpg", allow_relative=True)
        == []
    )
    assert url_problems("/", allow_relative=True) == []
    # Whitespace is still reported in a relative path.
    assert [i.code for i in url_problems("/a b.png", allow_relative=True)] == ["whitespace"]


def test_http_is_only_a_warning() -> None:
    (issue,) = url_problems("http://cherwell.org/wp-content/uploads/a.jpg")
    assert issue.code == "http"
    assert issue.severity == "warning"
    assert not issue.is_error


def test_url_issue_is_frozen() -> None:
    issue = UrlIssue("empty", "URL is empty.")
    assert issue.hint is None
    assert issue.severity == "error"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        issue.code = "other"  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Hosts and domains
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.Example.com/a", "www.example.com"),
        ("https://example.com:8080/a", "example.com"),
        ("https://user:pw@example.com/a", "example.com"),
        ("https://example.com?q=1", "example.com"),
        ("https://example.com#x", "example.com"),
        ("http://[2001:DB8::1]:80/", "2001:db8::1"),
        ("  https://example.com/  ", "example.com"),
        ("https://bücher.ch/", "bücher.ch"),
        ("/assets/a.png", None),
        ("//cdn.example.com/a", None),
        ("example.com/a", None),
        ("https:///a", None),
        ("", None),
    ],
)
def test_host_of(url: str, host: str | None) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    ("domain", "public"),
    [
        ("com", True),
        ("co.uk", True),
        ("CO.UK", True),
        ("co.uk.", True),
        ("github.io", True),  # private section of the list
        ("blogspot.com", True),  # private section of the list
        ("s3.amazonaws.com", True),
        ("unknowntld", True),  # the default "*" rule
        ("example.com", False),
        ("bbc.co.uk", False),
        ("smartableai.github.io", False),
        ("www.microsoft.com", False),
        ("microsoft.com", False),
        ("", False),
        ("1.2.3.4", False),
    ],
)
def test_is_public_suffix(domain: str, public: bool) -> None:
    assert is_public_suffix(domain) is public


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.example.com", "example.com"),
        ("WWW.Example.COM", "example.com"),
        ("example.com", "example.com"),
        ("example.com.", "example.com"),
        ("a.b.c.example.com", "example.com"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("smartableai.github.io", "smartableai.github.io"),
        ("a.smartableai.github.io", "smartableai.github.io"),
        ("docs.microsoft.com", "microsoft.com"),
        ("xn--bcher-kva.ch", "xn--bcher-kva.ch"),
        ("www.bücher.ch", "xn--bcher-kva.ch"),
        ("com", None),
        ("co.uk", None),
        ("github.io", None),
        ("1.2.3.4", None),
        ("2001:db8::1", None),
        ("", None),
    ],
)
def test_registrable_domain(host: str, domain: str | None) -> None:
    assert registrable_domain(host) == domain


@pytest.mark.parametrize(
    ("host", "domain", "expected"),
    [
        ("example.com", "example.com", True),
        ("www.example.com", "example.com", True),
        ("a.b.example.com", "example.com", True),
        ("WWW.EXAMPLE.COM", "example.com", True),
        ("www.example.com.", "example.com", True),
        ("www.bücher.ch", "xn--bcher-kva.ch", True),
        ("notexample.com", "example.com", False),
        ("example.com", "www.example.com", False),
        ("example.com.evil.net", "example.com", False),
        ("", "example.com", False),
        ("example.com", "", False),
    ],
)
def test_is_same_or_subdomain(host: str, domain: str, expected: bool) -> None:
    assert is_same_or_subdomain(host, domain) is expected


def test_public_suffix_list_is_imported_lazily() -> None:
    """Importing the module must not load the Public Suffix List."""
    module = importlib.import_module("newsmodel.urls")
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('_urls_probe', {module.__file__!r})\n"
        "mod = importlib.util.module_from_spec(spec)\n"
        "sys.modules['_urls_probe'] = mod\n"
        "spec.loader.exec_module(mod)\n"
        "assert 'publicsuffixlist' not in sys.modules, 'imported eagerly'\n"
        "assert mod.is_public_suffix('co.uk')\n"
        "assert 'publicsuffixlist' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------
# The real corpus (../shared/corpus) and seeds (../shared/seeds)
# ---------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_URL_KEY = re.compile(r"(?i)url$")


def _yaml_loader() -> Any:
    """A YAML safe-load function: libyaml through PyYAML when present (about 15
    times faster over the corpus), else ruamel.yaml's pure-Python safe loader."""
    try:
        yaml: Any = importlib.import_module("yaml")
    except ImportError:
        yaml = None
    if yaml is not None and getattr(yaml, "__with_libyaml__", False):
        c_loader = yaml.CSafeLoader
        return lambda text: yaml.load(text, Loader=c_loader)
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load


@pytest.fixture(scope="module")
def documents() -> list[tuple[str, dict[str, Any]]]:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus not found: {CORPUS} does not exist")
    load = _yaml_loader()
    paths = sorted(CORPUS.rglob("*.md"))
    if SEEDS.is_dir():
        paths += sorted(SEEDS.glob("*.txt"))
    docs: list[tuple[str, dict[str, Any]]] = []
    for path in paths:
        match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if match is None:
            continue  # README.md and anything else without front matter
        data = load(match.group(1))
        if isinstance(data, dict):
            docs.append((str(path.relative_to(SHARED)), data))
    assert len(docs) > 6000, f"only {len(docs)} front-matter files under {SHARED}"
    return docs


def _leaves(node: object, pointer: str = "$") -> Iterator[tuple[str, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{pointer}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{pointer}[{index}]")
    else:
        yield pointer, node


def _items(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The document itself and each of its ``related`` items."""
    yield doc
    for item in doc.get("related") or []:
        if isinstance(item, dict):
            yield item


def test_corpus_urls_have_no_errors(documents: list[tuple[str, dict[str, Any]]]) -> None:
    checked = relative = 0
    errors: list[str] = []
    warnings: list[str] = []
    for name, doc in documents:
        for pointer, value in _leaves(doc):
            key = re.sub(r"\[\d+\]", "", pointer).rsplit(".", 1)[-1]
            if not _URL_KEY.search(key):
                continue
            checked += 1
            # Only provider logos are site-relative (/assets/images/...).
            allow_relative = re.search(r"(^|\.)provider\.images\[\d+\]\.url$", pointer) is not None
            if isinstance(value, str) and value.startswith("/"):
                relative += 1
            if not isinstance(value, str):
                errors.append(f"{name} {pointer}: not a string: {value!r}")
                continue
            for issue in url_problems(value, allow_relative=allow_relative):
                line = f"{name} {pointer}: {issue.code}: {issue.message}"
                (errors if issue.is_error else warnings).append(line)
    assert checked > 18000, checked
    assert relative > 1000, relative
    assert errors == [], "\n".join(errors[:20])
    # Only the http image URLs warn.
    assert all(": http: " in line for line in warnings), warnings
    assert len(warnings) <= 5, warnings


def test_corpus_cdn_amp_urls(documents: list[tuple[str, dict[str, Any]]]) -> None:
    pairs = 0
    mismatches: list[str] = []
    for name, doc in documents:
        for item in _items(doc):
            if "ampWebUrl" not in item:
                continue
            pairs += 1
            expected = amp_cache_url(item["ampWebUrl"])
            if item.get("cdnAmpWebUrl") != expected:
                mismatches.append(f"{name}: {item.get('cdnAmpWebUrl')!r} != {expected!r}")
    assert pairs >= 50, pairs
    assert mismatches == [], "\n".join(mismatches[:20])


def test_corpus_provider_domains(documents: list[tuple[str, dict[str, Any]]]) -> None:
    domains: set[str] = set()
    bad: list[str] = []
    for name, doc in documents:
        for item in _items(doc):
            provider = item.get("provider")
            if not isinstance(provider, dict) or "domain" not in provider:
                continue
            domain = provider["domain"]
            if not isinstance(domain, str):
                bad.append(f"{name}: provider.domain is not a string: {domain!r}")
                continue
            domains.add(domain)
    assert len(domains) > 10, domains
    for domain in sorted(domains):
        if domain != domain.lower():
            bad.append(f"{domain!r} is not lower-case")
        if is_public_suffix(domain):
            bad.append(f"{domain!r} is a public suffix")
        if registrable_domain(domain) != domain:
            bad.append(f"{domain!r} is not registrable: {registrable_domain(domain)!r}")
        if url_problems(f"https://{domain}/"):
            bad.append(f"{domain!r} is not a valid host")
    assert bad == [], "\n".join(bad[:20])


def test_corpus_article_hosts_are_under_provider_domain(
    documents: list[tuple[str, dict[str, Any]]],
) -> None:
    checked = 0
    bad: list[str] = []
    for name, doc in documents:
        for item in _items(doc):
            if item.get("type") != "article" or not item.get("webUrl"):
                continue
            checked += 1
            host = host_of(item["webUrl"])
            domain = (item.get("provider") or {}).get("domain")
            if (
                host is None
                or not isinstance(domain, str)
                or not is_same_or_subdomain(host, domain)
            ):
                bad.append(
                    f"{name}: host {host!r} of webUrl is not under provider.domain {domain!r}"
                )
    assert checked >= 500, checked
    assert bad == [], "\n".join(bad[:20])
