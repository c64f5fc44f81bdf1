"""The rules' fast paths agree with the full checks of ``newsmodel.urls`` they stand in for.

``rules/urls.py`` accepts ordinary https URLs without calling ``url_problems``, ``rules/amp.py``
computes ordinary AMP cache URLs directly, ``rules/provider.py`` reads ordinary hosts with a
regex: each shortcut must say exactly what the full function says wherever it applies.
"""

from __future__ import annotations

import string

from hypothesis import example, given
from hypothesis import strategies as st

from newsmodel.rules.amp import _expected
from newsmodel.rules.provider import _host
from newsmodel.rules.urls import _plain
from newsmodel.urls import amp_cache_url, host_of, url_problems

from .conftest import corpus_files

_label = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=70)
_host_s = st.lists(_label, min_size=1, max_size=4).map(".".join)
_tail = st.text(string.printable + "é %", max_size=40)
_scheme = st.sampled_from(["https://", "http://", "HTTPS://", "https:/", "//", "/", ""])
urls = st.builds(lambda s, h, t: s + h + t, _scheme, _host_s, _tail)


@given(urls, st.booleans())
@example("https://a--b.com/x%zz", False)
@example("https://xn--bcher-kva.example/", False)
@example("/assets/a.png", True)
@example("//host/a.png", True)
def test_plain_url_shortcut_implies_no_problem(url: str, relative: bool) -> None:
    if _plain(url, relative):
        assert url_problems(url, allow_relative=relative) == []


_ldh = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True).filter(
    lambda label: not label.startswith("xn--")
)
_plain_host = st.lists(_ldh, min_size=1, max_size=4).map(".".join)
_escape = st.sampled_from(["%20", "%2F", "%e2%9c%93"])
_path_char = st.sampled_from(string.ascii_letters + string.digits + "/?#-._~!$&'()*+,;=:@")
_plain_path = st.lists(st.one_of(_path_char, _escape), max_size=30).map("".join)


@given(_plain_host, _plain_path, st.booleans())
@example("www.example.com", "/news/a?b=1#c", False)
@example("a", "", True)
def test_plain_url_shortcut_fires_for_ordinary_urls(host: str, path: str, relative: bool) -> None:
    """The shortcut must fire for an ordinary https URL (a shortcut that never fires would
    pass the test above) and agree with the full check there."""
    url = f"https://{host}/{path}"
    assert _plain(url, relative)
    assert url_problems(url, allow_relative=relative) == []
    if relative:
        assert _plain(f"/{path.lstrip('/')}", True)
        assert not _plain(f"/{path.lstrip('/')}", False)


@given(urls)
@example("https://www.example.com/amp/x?y=1")
@example("https://a-b.example.com/")
def test_amp_shortcut_matches_the_algorithm(url: str) -> None:
    try:
        expected = amp_cache_url(url)
    except ValueError:
        expected = None
    assert _expected(url) == expected


@given(urls)
def test_host_shortcut_matches_host_of(url: str) -> None:
    assert _host(url) == host_of(url)


def test_shortcuts_over_the_corpus_urls() -> None:
    import re

    found = 0
    pattern = re.compile(r"""(?:url|Url): "?([^"\s]+)"?""")
    for path in corpus_files()[::25]:
        for url in pattern.findall(path.read_text(encoding="utf-8")):
            found += 1
            if _plain(url, True):
                assert url_problems(url, allow_relative=True) == [], url
            assert _host(url) == host_of(url), url
    assert found or not corpus_files()
