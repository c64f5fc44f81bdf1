"""Tests for :mod:`newsmodel.urls`: unit tables plus checks against the real corpus."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
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

from .conftest import CORPUS, SHARED

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


# ---------------------------------------------------------------------------
# Independent oracles (issue 15): messages written out, AMP prefixes worked by hand
# ---------------------------------------------------------------------------

HOST_RULE = (
    "expected a host name such as www.example.com made of dot-separated "
    "labels of 1 to 63 letters, digits or inner hyphens."
)

# value, allow_relative -> every issue as (code, message, hint), written out from the
# message templates by hand
MESSAGES: list[tuple[str, bool, list[tuple[str, str, str | None]]]] = [
    ("", False, [("empty", "URL is an empty string; expected an absolute https URL.", None)]),
    (
        "  ",
        True,
        [
            (
                "empty",
                "URL is only whitespace ('  '); expected an absolute https URL or a "
                "site-relative path.",
                None,
            )
        ],
    ),
    (
        " https://example.com/a",
        False,
        [
            (
                "whitespace",
                "URL ' https://example.com/a' has leading or trailing whitespace; remove it.",
                "https://example.com/a",
            )
        ],
    ),
    (
        "https://example.com/a b\u00a0c",
        False,
        [
            (
                "whitespace",
                "URL 'https://example.com/a b\\xa0c' contains whitespace (U+0020 SPACE, "
                "U+00A0 NO-BREAK SPACE); percent-encode it (a space is %20) or remove it.",
                None,
            )
        ],
    ),
    (
        "https://example.com/a b",
        False,
        [
            (
                "whitespace",
                "URL 'https://example.com/a b' contains whitespace (U+0020 SPACE); "
                "percent-encode it (a space is %20) or remove it.",
                "https://example.com/a%20b",
            )
        ],
    ),
    (
        "https://exa mple.com/a b",
        False,
        [
            (
                "whitespace",
                "URL 'https://exa mple.com/a b' contains whitespace (U+0020 SPACE); "
                "percent-encode it (a space is %20) or remove it.",
                None,
            ),
            (
                "bad-host",
                "URL 'https://exa mple.com/a b' has the invalid label 'exa mple' in its host "
                f"'exa mple.com'; {HOST_RULE}",
                None,
            ),
        ],
    ),
    (
        "https://example.com/a\tb\x00",
        False,
        [
            (
                "control-char",
                "URL 'https://example.com/a\\tb\\x00' contains control or invisible "
                "characters (U+0000 NUL, U+0009 TAB); remove them.",
                "https://example.com/ab",
            )
        ],
    ),
    (
        "https://example.com/a\u200b",
        False,
        [
            (
                "control-char",
                "URL 'https://example.com/a\\u200b' contains control or invisible characters "
                "(U+200B ZERO WIDTH SPACE); remove them.",
                "https://example.com/a",
            )
        ],
    ),
    (
        "https://example.com/a\x85b",
        False,
        [
            (
                "control-char",
                "URL 'https://example.com/a\\x85b' contains control or invisible characters "
                "(U+0085); remove them.",
                "https://example.com/ab",
            )
        ],
    ),
    (
        "https://example.com/100%",
        False,
        [
            (
                "bad-escape",
                "URL 'https://example.com/100%' has a '%' not followed by two hex digits; "
                "write a literal percent sign as %25.",
                None,
            )
        ],
    ),
    (
        "//cdn.example.com/a.png",
        False,
        [
            (
                "not-absolute",
                "URL '//cdn.example.com/a.png' is protocol-relative; expected it to start "
                "with https://.",
                "https://cdn.example.com/a.png",
            )
        ],
    ),
    (
        "/a.png",
        False,
        [
            (
                "not-absolute",
                "URL '/a.png' is a site-relative path; expected an absolute URL such as "
                "https://www.example.com/page.",
                None,
            )
        ],
    ),
    (
        "ftp://example.com/f",
        False,
        [
            (
                "bad-scheme",
                "URL 'ftp://example.com/f' has the scheme 'ftp'; expected http or https.",
                None,
            )
        ],
    ),
    (
        "mailto:x@example.com",
        False,
        [
            (
                "bad-scheme",
                "URL 'mailto:x@example.com' has the scheme 'mailto'; expected http or https.",
                None,
            )
        ],
    ),
    (
        "HTTPS:/example.com/x/",
        False,
        [
            (
                "not-absolute",
                "URL 'HTTPS:/example.com/x/' lacks the '//' before its host; expected "
                "HTTPS://host/path.",
                "HTTPS://example.com/x/",
            )
        ],
    ),
    (
        "www.example.com/page",
        True,
        [
            (
                "not-absolute",
                "URL 'www.example.com/page' has no scheme; expected an absolute URL starting "
                "with https:// or a path starting with /.",
                "https://www.example.com/page",
            )
        ],
    ),
    (
        "page/a.html",
        False,
        [
            (
                "not-absolute",
                "URL 'page/a.html' has no scheme; expected an absolute URL starting with https://.",
                None,
            )
        ],
    ),
    (
        "http://user:pw@example.com:8o/",
        False,
        [
            (
                "http",
                "URL 'http://user:pw@example.com:8o/' uses plain http; prefer https if the "
                "site serves it.",
                "https://user:pw@example.com:8o/",
            ),
            (
                "credentials",
                "URL 'http://user:pw@example.com:8o/' embeds a user name or password before "
                "'@'; remove the credentials.",
                "http://example.com:8o/",
            ),
            (
                "bad-port",
                "URL 'http://user:pw@example.com:8o/' has the port '8o'; expected a number "
                "from 1 to 65535 after the host, or no port at all.",
                None,
            ),
        ],
    ),
    (
        # the last "@" ends the credentials (a password may hold an unescaped "@")
        "https://a@b@example.com/",
        False,
        [
            (
                "credentials",
                "URL 'https://a@b@example.com/' embeds a user name or password before '@'; "
                "remove the credentials.",
                "https://example.com/",
            )
        ],
    ),
    ("https:///x", False, [("bad-host", f"URL 'https:///x' has no host; {HOST_RULE}", None)]),
    (
        "https://[::1]x/",
        False,
        [
            (
                "bad-host",
                "URL 'https://[::1]x/' has the invalid IPv6 literal '[::1]x'; expected an "
                "address such as [2001:db8::1].",
                None,
            )
        ],
    ),
    (
        "https://[::1/",
        False,
        [
            (
                "bad-host",
                "URL 'https://[::1/' has the invalid IPv6 literal '[::1'; expected an address "
                "such as [2001:db8::1].",
                None,
            )
        ],
    ),
    (
        "https://[]:80/",
        False,
        [
            (
                "bad-host",
                "URL 'https://[]:80/' has the invalid IPv6 literal '[]'; expected an address "
                "such as [2001:db8::1].",
                None,
            )
        ],
    ),
    (
        "https://[::1]:80]/",
        False,
        [
            (
                "bad-port",
                "URL 'https://[::1]:80]/' has the port '80]'; expected a number from 1 to "
                "65535 after the host, or no port at all.",
                None,
            )
        ],
    ),
    (
        "https://[::1]:99999/",
        False,
        [
            (
                "bad-port",
                "URL 'https://[::1]:99999/' has the port '99999'; expected a number from 1 to "
                "65535 after the host, or no port at all.",
                None,
            )
        ],
    ),
    (
        "https://example.com:80:90/",
        False,
        [
            (
                "bad-host",
                "URL 'https://example.com:80:90/' has the invalid label 'com:80' in its host "
                f"'example.com:80'; {HOST_RULE}",
                None,
            )
        ],
    ),
    (
        # the host appears twice: only the host's own trailing dot goes in the hint
        "https://www.X./www.X./",
        False,
        [
            (
                "bad-host",
                f"URL 'https://www.X./www.X./' has a host ending in a dot ('www.X.'); {HOST_RULE}",
                "https://www.X/www.X./",
            )
        ],
    ),
    (
        "https://xn--zz.com/",
        False,
        [
            (
                "bad-host",
                "URL 'https://xn--zz.com/' has the host 'xn--zz.com', which cannot be "
                f"converted to an IDNA (punycode) name; {HOST_RULE}",
                None,
            )
        ],
    ),
    (
        "https://a..b.com/",
        False,
        [
            (
                "bad-host",
                f"URL 'https://a..b.com/' has an empty label in its host 'a..b.com'; {HOST_RULE}",
                None,
            )
        ],
    ),
    (
        "https://example.com:0/",
        False,
        [
            (
                "bad-port",
                "URL 'https://example.com:0/' has the port '0'; expected a number from 1 to "
                "65535 after the host, or no port at all.",
                None,
            )
        ],
    ),
]


@pytest.mark.parametrize(("value", "allow_relative", "expected"), MESSAGES)
def test_url_problems_messages_written_out(
    value: str, allow_relative: bool, expected: list[tuple[str, str, str | None]]
) -> None:
    issues = url_problems(value, allow_relative=allow_relative)
    assert [(i.code, i.message, i.hint) for i in issues] == expected


def _host_of_length(n: int) -> str:
    """A valid host name of exactly ``n`` characters (labels of at most 63)."""
    labels: list[str] = []
    left = n
    while left > 0:
        size = min(63, left if not labels else left - 1)
        if size <= 0:  # pragma: no cover - lengths used here never end on a dot
            break
        labels.append("abcdefghij"[len(labels)] * size)
        left -= size + (1 if len(labels) > 1 else 0)
    host = ".".join(labels)
    assert len(host) == n
    return host


def test_host_length_boundary_is_253() -> None:
    ok, long = _host_of_length(253), _host_of_length(254)
    assert url_problems(f"https://{ok}/") == []
    assert [(i.code, i.message) for i in url_problems(f"https://{long}/")] == [
        (
            "bad-host",
            f"URL 'https://{long}/' has a host of 254 characters; expected at most 253.",
        )
    ]


@pytest.mark.parametrize(
    ("port", "valid"), [("1", True), ("65535", True), ("0", False), ("65536", False)]
)
def test_port_boundaries(port: str, valid: bool) -> None:
    codes = [i.code for i in url_problems(f"https://example.com:{port}/")]
    assert codes == ([] if valid else ["bad-port"])


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://EXAMPLE.COM/", "example.com"),  # no separator but "/", "?", "#"
        ("https://a@b@example.com/", "example.com"),  # the last "@" ends the credentials
        ("https://[::1]/", "::1"),
        ("https://[::ffff:1.2.3.4]:8443/", "::ffff:1.2.3.4"),
        ("https://[::1/", "[::1"),  # no closing bracket: kept as written
        ("https://example.com:80:90/", "example.com:80"),  # the last ":" starts the port
    ],
)
def test_host_of_edges(url: str, host: str) -> None:
    assert host_of(url) == host


@pytest.mark.parametrize(
    "url",
    ["https://[::ffff:1.2.3.4]/", "https://[::1]:8080/", "https://xn--wgv.jp/", "https://日.jp/"],
)
def test_more_valid_urls(url: str) -> None:
    assert url_problems(url) == []


def test_same_or_subdomain_of_an_empty_domain_is_false() -> None:
    # "a.." keeps a trailing dot after normalising: it must not count as under ""
    assert is_same_or_subdomain("a..", ".") is False
    assert is_same_or_subdomain("a..", "") is False


def test_domains_with_labels_that_are_not_idna_keep_their_case_folded() -> None:
    # "xn--a-" is not valid punycode: the name is compared as written, lower-cased
    assert registrable_domain("WWW.XN--A-.COM") == "xn--a-.com"
    assert is_same_or_subdomain("WWW.XN--A-.COM", "xn--a-.com") is True


def _published_fallback(ascii_host: str) -> str:
    """The published fallback: base32 of the SHA-256 of the host, lower case, no padding."""
    import base64
    import hashlib

    digest = hashlib.sha256(ascii_host.encode("ascii")).digest()
    encoded = base64.b32encode(digest).decode("ascii")
    assert encoded.endswith("====")  # 32 bytes: 52 characters and 4 of padding
    return encoded[:52].lower()


# Worked by hand from the published steps: "-" -> "--", "." -> "-", then "0-...-0" only
# when the 3rd AND 4th characters are both "-".
AMP_WRAP = [
    ("ab-c.example.com", "0-ab--c-example-com-0"),  # "ab--c...": 3rd and 4th are "-"
    ("a-bc.example.com", "a--bc-example-com"),  # 2nd and 3rd
    ("abc-d.example.com", "abc--d-example-com"),  # 4th and 5th
    ("ab.c.example.com", "ab-c-example-com"),  # only the 3rd
    ("abc.-d.example", "abc---d-example"),  # 4th, 5th, 6th
    ("ab--c.example", "0-ab----c-example-0"),  # 3rd to 6th
    ("xy-z.com", "0-xy--z-com-0"),
]


@pytest.mark.parametrize(("host", "prefix"), AMP_WRAP)
def test_amp_wrap_worked_by_hand(host: str, prefix: str) -> None:
    assert amp_cache_subdomain(host) == prefix
    assert amp_cache_url(f"https://{host}/p") == f"https://{prefix}.{AMP_CACHE_SUFFIX}/c/s/{host}/p"


@pytest.mark.parametrize(
    "host",
    [
        "toplevelnohyphens",
        "no-dot-domain",
        "hello.xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",  # mixes directions
        "a" * 30 + "." + "b" * 29 + ".com",  # 64 characters
        "2001:db8::1",
    ],
)
def test_amp_fallback_is_the_published_hash(host: str) -> None:
    assert amp_cache_subdomain(host) == _published_fallback(host)
    assert amp_cache_subdomain(host.upper()) == _published_fallback(host)


def test_amp_cache_url_of_an_ipv6_literal_uses_the_hash_of_the_address() -> None:
    expected_prefix = _published_fallback("2001:db8::1")
    assert amp_cache_url("https://[2001:DB8::1]/a") == (
        f"https://{expected_prefix}.{AMP_CACHE_SUFFIX}/c/s/[2001:db8::1]/a"
    )


def test_amp_cache_url_error_messages() -> None:
    with pytest.raises(ValueError) as info:
        amp_cache_url("ftp://example.com/")
    assert str(info.value) == "'ftp://example.com/' is not an absolute http(s) URL with a host"
    with pytest.raises(ValueError) as info:
        amp_cache_url("https://u@example.com/")
    assert str(info.value) == (
        "'https://u@example.com/' carries credentials; the AMP Cache cannot fetch it"
    )
    with pytest.raises(ValueError) as info:
        amp_cache_url("https://example.com:8443/")
    assert str(info.value) == (
        "'https://example.com:8443/' uses port 8443; the AMP Cache only uses default ports"
    )


@pytest.mark.parametrize(
    ("host", "mixed"),
    [
        ("a.\u05d0\u05d1", True),  # a left-to-right label and a Hebrew one (R)
        ("a.\u0627\u0628", True),  # and an Arabic one (AL)
        ("\u05d0\u05d1.\u05d2\u05d3", False),  # right-to-left only
        ("\u0627\u0628.\u0627\u0628", False),
        ("1.\u05d0\u05d1", False),  # a digit is not left-to-right
        ("a.b", False),
    ],
)
def test_amp_prefix_of_mixed_directions_falls_back(host: str, mixed: bool) -> None:
    prefix = amp_cache_subdomain(host)
    ascii_host = host.encode("idna").decode("ascii")
    assert (prefix == _published_fallback(ascii_host)) is mixed
    if not mixed:
        # the published steps: "." -> "-", then Punycode when not ASCII
        expected = host.replace(".", "-")
        if not expected.isascii():
            expected = "xn--" + expected.encode("punycode").decode("ascii")
        assert prefix == expected


@pytest.mark.parametrize("address", ["::1", "2001:db8::1", "1.2.3.4", "[::1]"])
def test_an_ip_address_is_not_a_public_suffix(address: str) -> None:
    # the Public Suffix List's "*" rule would call "::1" (one label) public
    assert is_public_suffix(address) is False
    assert registrable_domain(address) is None


def test_relative_urls_are_refused_by_default() -> None:
    assert [i.code for i in url_problems("/a.png")] == ["not-absolute"]
    assert [i.code for i in url_problems("page.html")] == ["not-absolute"]


@pytest.mark.parametrize("host", ["A\u05d0.example", "a\u05d0.EXAMPLE", "bad\u0627x.com"])
def test_amp_fallback_of_a_host_that_is_not_idna_hashes_its_lower_case_text(host: str) -> None:
    """A label mixing directions cannot be IDNA-encoded at all: the hash is of the
    lower-cased host as written (UTF-8)."""
    import base64
    import hashlib

    digest = hashlib.sha256(host.lower().encode("utf-8")).digest()
    assert amp_cache_subdomain(host) == base64.b32encode(digest).decode("ascii")[:52].lower()


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        # 個人.香港 and 公司.cn are public suffixes, listed in Unicode only: their punycode
        # spelling must be understood too
        ("a.xn--gmqw5a.xn--j6w193g", "a.xn--gmqw5a.xn--j6w193g"),
        ("a.b.xn--55qx5d.cn", "b.xn--55qx5d.cn"),
        ("a.b.公司.cn", "b.xn--55qx5d.cn"),
    ],
)
def test_registrable_domain_under_an_idn_suffix(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain
    assert is_public_suffix(domain.split(".", 1)[1]) is True


def test_a_label_that_is_not_idna_is_still_compared_in_lower_case() -> None:
    assert is_same_or_subdomain("XN--A-.Example.COM", "example.com") is True
    assert is_same_or_subdomain("www.example.com", "XN--A-.EXAMPLE.com") is False


@pytest.mark.parametrize("host", ["a" * 64 + ".com", "b.c" + "d" * 70 + ".org"])
def test_amp_prefix_of_a_host_idna_cannot_decode_is_the_hash(host: str) -> None:
    # an ASCII label over 63 characters cannot be IDNA-decoded
    assert amp_cache_subdomain(host) == _published_fallback(host)


def test_amp_prefix_of_a_punycode_host_that_does_not_round_trip_is_the_hash() -> None:
    # "xn--zca" is the Punycode of "ß", which IDNA 2003 maps to "ss": it does not round-trip
    assert amp_cache_subdomain("xn--zca.de") == _published_fallback("xn--zca.de")


def test_the_missing_slashes_hint_keeps_the_host_as_written() -> None:
    (issue,) = url_problems("https:/X.example/a")
    assert (issue.code, issue.hint) == ("not-absolute", "https://X.example/a")
