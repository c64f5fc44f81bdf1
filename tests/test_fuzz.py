"""Fuzzing: byte-level mutations of real and example files never crash the library.

For every mutated file:

* no exception but :class:`~newsmodel.NewsModelError` escapes ``nm.load`` and ``nm.loads``;
* ``nm.check_file`` and ``nm.check_text`` never raise;
* every problem has a code and a line within the file (1 .. number of lines + 1) and a column;
* whatever loads gives its text back byte for byte: ``dumps(loads(x)) == x``.

The ``ci`` profile (the default, 100 examples a test) runs in the test suite; for a long local
run use the ``fuzz`` profile registered in ``tests/conftest.py``::

    HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz.py
    pytest tests/test_fuzz.py --hypothesis-profile=fuzz --hypothesis-show-statistics
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import newsmodel as nm
from newsmodel.document import decode

from .conftest import EXAMPLES, corpus_files

ARTICLE = (
    "---\n"
    "category: news\n"
    'title: "Example Lab Publishes an Open Dataset"\n'
    'excerpt: "A small example article, with a quote: \\"yes\\"."\n'
    "publishedDateTime: 2021-03-04T10:15:00Z\n"
    'webUrl: "https://www.example.com/news/open-dataset"\n'
    'ampWebUrl: "https://www.example.com/amp/news/open-dataset"\n'
    'cdnAmpWebUrl: "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/news/open-dataset"\n'
    "type: article\n"
    "quality: 64\n"
    "heat: -1\n"
    "published: true\n"
    "\n"
    "provider:\n"
    "  name: Example News\n"
    "  domain: example.com\n"
    "  images:\n"
    '    - url: "/assets/images/organizations/example.com-50x50.jpg"\n'
    "      width: 50\n"
    "      height: 50\n"
    "\n"
    "topics:\n"
    "  - Machine Learning\n"
    "  - Weather # a comment\n"
    "\n"
    "images:\n"
    '  - url: "https://images.example.com/2021/03/dataset.jpg"\n'
    "    width: 625\n"
    "    height: 415\n"
    "    isCached: true\n"
    "related: [{title: 'A flow item', webUrl: 'https://example.org/a', type: article,"
    " provider: {name: Org, domain: example.org}}]\n"
    "---\n"
    "Body with *Markdown*.\n"
    "\n"
    "---\n"
    "A rule, not a fence.\n"
)

COURSE = (
    "---\n"
    'title: "Data Course"\n'
    "type: course\n"
    "length: PT1H2M\n"
    "levels:\n"
    "  - Beginner\n"
    "ratings:\n"
    "  count: 12\n"
    "  average: 4.5\n"
    "provider:\n"
    "  name: Example\n"
    "  domain: example.com\n"
    "description: |\n"
    "  A literal block\n"
    "    with indentation.\n"
    "summary: >-\n"
    "  A folded\n"
    "  block.\n"
    "---\n"
)

INLINE = [
    ARTICLE.encode(),
    ARTICLE.replace("\n", "\r\n").encode(),
    b"\xef\xbb\xbf" + ARTICLE.encode(),
    COURSE.encode(),
]

# Bytes that tend to matter: fences, line ends, YAML indicators, BOMs, NUL, invalid UTF-8.
SNIPPETS = [
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r" * 8,
    b"\n",
    b"\r\n",
    b"\t",
    b" ",
    b"  ",
    b"---\n",
    b"...\n",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b": ",
    b"- ",
    b"? ",
    b"#",
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ",
    b"!x ",
    b'"',
    b"'",
    b"\\",
    b"|",
    b">",
    b"%YAML 1.1\n",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"0x1F",
    b"2021-02-30",
    b"~",
    b"<<: ",
]


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[bytes, ...]:
    """The inline files, the project's examples, and a sample of the real corpus (if present)."""
    found = list(INLINE)
    if EXAMPLES.is_dir():
        found += [p.read_bytes() for p in sorted(EXAMPLES.glob("*.md"))]
    corpus = corpus_files()
    found += [p.read_bytes() for p in corpus[:: max(1, len(corpus) // 60)]]
    return tuple(found)


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    n = len(data)
    pos = draw(st.integers(0, n))
    kind = draw(
        st.sampled_from(
            [
                "truncate",
                "flip",
                "insert",
                "delete",
                "dup-line",
                "del-line",
                "swap-lines",
                "indent",
                "dedent",
                "tab",
            ]
        )
    )
    if kind == "truncate":
        return data[:pos]
    if kind == "flip":
        if not n:
            return data
        pos = min(pos, n - 1)
        return data[:pos] + bytes([draw(st.integers(0, 255))]) + data[pos + 1 :]
    if kind == "insert":
        snippet = draw(st.sampled_from(SNIPPETS) | st.binary(min_size=1, max_size=4))
        return data[:pos] + snippet + data[pos:]
    if kind == "delete":
        return data[:pos] + data[pos + draw(st.integers(1, 16)) :]
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "dup-line":
        lines.insert(i, lines[i])
    elif kind == "del-line":
        del lines[i]
    elif kind == "swap-lines":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = b" " * draw(st.integers(1, 4)) + lines[i]
    elif kind == "dedent":
        lines[i] = lines[i][min(len(lines[i]) - len(lines[i].lstrip(b" ")), 2) :]
    else:  # tab: the leading spaces become a tab
        lines[i] = b"\t" + lines[i].lstrip(b" ")
    return b"".join(lines)


@st.composite
def mutated(draw: st.DrawFn, pool: Callable[[], tuple[bytes, ...]]) -> bytes:
    data = draw(st.sampled_from(pool()))
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutation(data))
    return data


def inline_seeds() -> tuple[bytes, ...]:
    return tuple(INLINE)


def corpus_seeds() -> tuple[bytes, ...]:
    return seeds()[len(INLINE) :]


def _check_problems(problems: object, data: bytes) -> None:
    last = data.count(b"\n") + 1
    for p in problems:  # type: ignore[attr-defined]
        assert isinstance(p, nm.Problem), p
        assert p.code and p.code.startswith("NM") and p.message, p
        assert p.line is not None and 1 <= p.line <= last + 1, (p, last)
        assert p.column is not None and p.column >= 1, p


def check_invariants(data: bytes, folder: Path) -> None:
    path = folder / "fuzzed.md"
    path.write_bytes(data)

    problems = nm.check_file(path)  # never raises
    _check_problems(problems, data)

    try:
        doc = nm.load(path)
    except nm.NewsModelError as exc:
        assert isinstance(exc, nm.DocumentError), exc
        assert exc.code and exc.line is not None and exc.column is not None
        _check_problems(exc.problems, data)
        loaded = False
    else:
        assert nm.dumps(doc).encode("utf-8") == data
        loaded = True

    try:
        text = decode(data)
    except nm.NewsModelError:
        assert not loaded
        return
    _check_problems(nm.check_text(text), data)
    try:
        doc = nm.loads(text)
    except nm.NewsModelError as exc:
        assert not loaded
        assert isinstance(exc, nm.DocumentError), exc
        _check_problems(exc.problems, data)
    else:
        assert loaded
        assert nm.dumps(doc) == text


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@given(data=mutated(inline_seeds))
@example(data=b"")
@example(data=b"---\n")
@example(data=b"---\n---\n")
@example(data=b"---\r---\r")
@example(data=b"---\n\xef\xbb\xbf---\n")
@example(data=b"---\ntitle: a\rtype: b\r---\n")
@example(data=b"---\na:\n\t- b\n---\n")
@example(data=b"---\na: 1\rb: [" + b"\r" * 40 + b"\n---\n")  # YAML counts a lone CR as a line
@example(data=b"---\ntitle: 'a\xc2\x85b'\n---\n")
@example(data=b"---\n" + b"[" * 200 + b"\n---\n")
def test_mutated_inline_files(data: bytes, folder: Path) -> None:
    check_invariants(data, folder)


@given(data=mutated(corpus_seeds))
def test_mutated_corpus_files(data: bytes, folder: Path) -> None:
    check_invariants(data, folder)


@pytest.fixture(autouse=True)
def _need_corpus_for_corpus_test(request: pytest.FixtureRequest) -> None:
    if request.function.__name__ == "test_mutated_corpus_files" and not corpus_seeds():
        pytest.skip("neither the real corpus nor examples/ are present")


@given(data=st.binary(max_size=512))
def test_random_bytes(data: bytes, folder: Path) -> None:
    check_invariants(data, folder)


@given(
    head=st.sampled_from([b"---\n", b"---\r\n", b"\xef\xbb\xbf---\n"]),
    body=st.text(
        alphabet=st.sampled_from(list("ab:-[]{}#&*!|>'\"\\ \t\n\r,?%@`~0123.eE+x\x85\u2028\ufeff")),
        max_size=120,
    ),
)
def test_yaml_shaped_noise(head: bytes, body: str, folder: Path) -> None:
    check_invariants(head + body.encode("utf-8") + b"\n---\n", folder)


def test_docstring_says_how_many_examples_the_ci_profile_runs() -> None:
    import re

    from hypothesis import settings

    said = re.search(r"``ci`` profile \(the default, (\d+) examples a test\)", __doc__ or "")
    assert said is not None
    assert int(said.group(1)) == settings.get_profile("ci").max_examples
