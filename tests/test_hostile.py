"""Hostile input: every bad file is a located problem, never a traceback, a hang or a blow-up.

Each case goes through the three doors a contributor's file can come in by:

* ``nm.check_file`` returns a problem with the expected code at the expected line, and every
  problem it returns points into the file;
* ``nm.load`` raises a :class:`~newsmodel.NewsModelError` subclass carrying file, line, column
  and code;
* ``python -m newsmodel check <case> <witness>`` exits 1, reports the code, and still checks the
  witness file given after the hostile one (its own code is reported too). The command runs
  under an address-space limit, so a case that blows up memory fails instead of swapping.

Limits (``docs/security.md``) each have a test here: the largest file, the largest front
matter, the deepest nesting (fast and ruamel.yaml paths), aliases and tags refused.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import newsmodel as nm
from newsmodel import document, yamlio
from newsmodel.yamlio import _slow

VALID = (
    "---\n"  # 1
    "category: news\n"  # 2
    'title: "Example Lab Publishes an Open Dataset"\n'  # 3
    'excerpt: "A small example article."\n'  # 4
    "publishedDateTime: 2021-03-04T10:15:00Z\n"  # 5
    'webUrl: "https://www.example.com/news/open-dataset"\n'  # 6
    "type: article\n"  # 7
    "quality: 64\n"  # 8
    "published: true\n"  # 9
    "\n"  # 10
    "provider:\n"  # 11
    "  name: Example News\n"  # 12
    "  domain: example.com\n"  # 13
    "\n"  # 14
    "images:\n"  # 15
    '  - url: "https://images.example.com/2021/03/dataset.jpg"\n'  # 16
    "    width: 625\n"  # 17
    "    height: 415\n"  # 18
    "---\n"  # 19
    "Body text.\n"  # 20
)

PARSE_CODES = ("NM0", "NM1")  # reading, YAML and structure; rules come and go elsewhere


def _sub(old: str, new: str, text: str = VALID) -> bytes:
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def _deep_block(levels: int) -> bytes:
    return ("---\n" + "".join(" " * i + "k:\n" for i in range(levels)) + "---\n").encode()


BILLION_LAUGHS = (
    "---\n"
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
    "title: *i\n"
    "---\n"
)


TITLE = b'"Example Lab Publishes an Open Dataset"'


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes
    code: str
    line: int  # the 1-based file line the problem with ``code`` must point at


def _no_close() -> bytes:
    data = _sub("---\nBody text.\n", "Body text.\n")
    return data


CASES = [
    Case("empty", b"", "NM003", 1),
    Case("blank-lines-only", b"\n  \n\n", "NM003", 1),
    Case("no-front-matter", b"# Just a Markdown title\n\nText.\n", "NM003", 1),
    Case("no-closing-fence", _no_close(), "NM004", _no_close().count(b"\n") + 1),
    Case("front-matter-list", b"---\n- title\n- type\n---\nBody\n", "NM006", 2),
    Case("front-matter-scalar", b"---\njust some words\n---\nBody\n", "NM006", 2),
    Case("front-matter-empty", b"---\n---\nBody\n", "NM006", 1),
    Case("front-matter-comment-only", b"---\n# nothing here\n---\n", "NM006", 1),
    Case("invalid-utf8", VALID.encode().replace(TITLE, b'"Caf\xc3\xa9 \xff"'), "NM002", 3),
    Case("utf16-bom", VALID.encode("utf-16"), "NM002", 1),
    Case("utf16-be-bom", b"\xfe\xff" + VALID.encode("utf-16-be"), "NM002", 1),
    Case("utf32-bom", VALID.encode("utf-32"), "NM002", 1),
    Case("utf16-no-bom", VALID.encode("utf-16-le"), "NM002", 1),
    Case("nul-in-front-matter", _sub("Example News", "Example\0News"), "NM002", 12),
    Case("nul-in-body", _sub("Body text.", "Body\0text."), "NM002", 20),
    Case("binary-png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0" + bytes(range(256)), "NM002", 1),
    Case("cr-only-line-endings", VALID.replace("\n", "\r").encode(), "NM013", 1),
    Case("lone-cr-in-front-matter", _sub("category: news\n", "category: news\r"), "NM013", 2),
    Case("lone-crs-shifting-lines", b"---\na: 1\rb: [" + b"\r" * 40 + b"\n---\n", "NM013", 2),
    Case("tab-indentation", _sub("  name: Example News", "\tname: Example News"), "NM005", 12),
    Case("duplicate-key", _sub("type: article\n", "type: article\ntitle: again\n"), "NM007", 8),
    Case(
        "anchor-and-alias",
        _sub('excerpt: "A small example article."', "excerpt: *t").replace(
            b'title: "', b'title: &t "'
        ),
        "NM008",
        3,
    ),
    Case("self-referencing-alias", b"---\ntitle: &a [*a]\ntype: article\n---\n", "NM008", 2),
    Case("billion-laughs", BILLION_LAUGHS.encode(), "NM008", 2),
    Case("python-tag", b'---\ntitle: !!python/object/apply:os.system ["true"]\n---\n', "NM009", 2),
    Case("local-tag", _sub("type: article", "type: !article article"), "NM009", 7),
    Case("binary-tag", _sub("type: article", "type: !!binary aGVsbG8="), "NM009", 7),
    Case("set-tag", b"---\ntitle: !!set {a, b}\n---\n", "NM009", 2),
    Case("non-string-key", _sub("type: article", "type: article\n[a, b]: c"), "NM012", 8),
    Case(
        "deep-flow-10000", b"---\ntitle: " + b"[" * 10_000 + b"]" * 10_000 + b"\n---\n", "NM011", 2
    ),
    Case("deep-flow-unclosed", b"---\ntitle: " + b"{a: " * 10_000 + b"\n---\n", "NM011", 2),
    Case("deep-block-compact-10000", b"---\n" + b"- " * 10_000 + b"x\n---\n", "NM011", 2),
    Case("deep-block-indented", _deep_block(300), "NM011", 2 + _slow.MAX_DEPTH),
    Case("front-matter-20MB", b'---\ntitle: "' + b"x" * 20_000_000 + b'"\n---\n', "NM011", 1),
    Case("front-matter-2MB", b'---\ntitle: "' + b"x" * 2_000_000 + b'"\n---\n', "NM011", 2),
    Case(
        "title-is-int",
        _sub('title: "Example Lab Publishes an Open Dataset"', "title: 123"),
        "NM100",
        3,
    ),
    Case(
        "images-is-mapping",
        _sub(
            '  - url: "https://images.example.com/2021/03/dataset.jpg"\n'
            "    width: 625\n    height: 415\n",
            "",
        ).replace(b"images:\n", b"images: {}\n"),
        "NM100",
        15,
    ),
    Case(
        "provider-is-list",
        _sub("provider:\n  name: Example News\n  domain: example.com\n", "provider: []\n"),
        "NM100",
        11,
    ),
    Case("width-is-string", _sub("width: 625", 'width: "625"'), "NM100", 17),
    Case("published-is-yes-string", _sub("published: true", 'published: "yes"'), "NM100", 9),
    Case(
        "provider-missing",
        _sub("provider:\n  name: Example News\n  domain: example.com\n", ""),
        "NM101",
        1,  # a missing key of the root mapping is reported at the opening fence
    ),
]
BY_ID = {case.id: case for case in CASES}


def lines_of(data: bytes) -> int:
    return data.count(b"\n") + 1


def assert_located(problems: Any, data: bytes, code: str, line: int) -> None:
    problems = list(problems)
    assert problems, "no problem reported"
    for p in problems:
        assert p.code and p.code.startswith("NM"), p
        assert p.line is not None and 1 <= p.line <= lines_of(data) + 1, p
        assert p.column is not None and p.column >= 1, p
    found = [(p.code, p.line) for p in problems]
    assert (code, line) in found, found


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for case in CASES:
        (folder / f"{case.id}.md").write_bytes(case.data)
    return folder


# -- the library -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_check_file_locates_the_problem(case: Case, case_dir: Path) -> None:
    path = case_dir / f"{case.id}.md"
    problems = nm.check_file(path)
    assert_located(problems, case.data, case.code, case.line)
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_load_raises_a_located_error(case: Case, case_dir: Path) -> None:
    path = case_dir / f"{case.id}.md"
    with pytest.raises(nm.NewsModelError) as info:
        nm.load(path)
    exc = info.value
    assert isinstance(exc, nm.DocumentError)
    assert exc.file == str(path)
    assert exc.code.startswith("NM") and exc.line is not None and exc.column is not None
    assert_located(exc.problems, case.data, case.code, case.line)
    assert str(path) in str(exc)


def test_load_error_classes() -> None:
    def raised(text: str) -> type[BaseException]:
        with pytest.raises(nm.NewsModelError) as info:
            nm.loads(text)
        return type(info.value)

    assert raised("") is nm.FrontMatterError
    assert raised("---\ntitle: a\n") is nm.FrontMatterError
    assert raised("---\ntitle: &a x\n---\n") is nm.YAMLError
    assert raised("---\ntitle: 123\n---\n") is nm.StructureError


def test_invalid_utf8_column_counts_characters() -> None:
    # 'title: "Café ' is 13 characters but 14 bytes: the column is in characters.
    with pytest.raises(nm.FrontMatterError) as info:
        document.decode(BY_ID["invalid-utf8"].data, "x.md")
    assert (info.value.code, info.value.line, info.value.column) == ("NM002", 3, 14)


def test_nul_is_located_at_its_column() -> None:
    with pytest.raises(nm.FrontMatterError) as info:
        document.decode(BY_ID["nul-in-front-matter"].data)
    assert (info.value.line, info.value.column) == (12, len("  name: Example") + 1)


def test_lone_cr_is_located_at_its_column() -> None:
    parsed = yamlio.parse_text(BY_ID["lone-cr-in-front-matter"].data.decode())
    assert [(p.code, p.line, p.column) for p in parsed.problems] == [
        ("NM013", 2, len("category: news") + 1)
    ]


def test_utf16_is_named() -> None:
    with pytest.raises(nm.FrontMatterError, match="UTF-16"):
        document.decode(BY_ID["utf16-bom"].data)
    with pytest.raises(nm.FrontMatterError, match="UTF-32"):
        document.decode(BY_ID["utf32-bom"].data)


# -- valid oddities: kept byte for byte -------------------------------------------------------

ODD_BUT_VALID = {
    "utf8-bom": b"\xef\xbb\xbf" + VALID.encode(),
    "crlf": VALID.replace("\n", "\r\n").encode(),
    "mixed-crlf-then-lf": VALID.replace("\n", "\r\n", 6).encode(),
    "mixed-lf-then-crlf": VALID.encode().replace(b"\n", b"\r\n").replace(b"\r\n", b"\n", 9),
    "crlf-body-only": VALID.replace("Body text.\n", "Body\r\ntext.\r\n").encode(),
    "bom-and-crlf": b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode(),
    "lone-cr-in-body": VALID.replace("Body text.\n", "Body\rtext.\n").encode(),
}


@pytest.mark.parametrize("name", sorted(ODD_BUT_VALID))
def test_odd_but_valid_files_load_and_round_trip(name: str, tmp_path: Path) -> None:
    data = ODD_BUT_VALID[name]
    path = tmp_path / "a.md"
    path.write_bytes(data)
    doc = nm.load(path)
    assert doc.article.title == "Example Lab Publishes an Open Dataset"
    assert nm.dumps(doc).encode("utf-8") == data
    out = tmp_path / "b.md"
    nm.dump(doc, out)
    assert out.read_bytes() == data
    assert not [p for p in nm.check_file(path) if p.code.startswith(PARSE_CODES)]


def test_utf8_bom_is_kept_after_an_edit(tmp_path: Path) -> None:
    import attrs

    path = tmp_path / "a.md"
    path.write_bytes(ODD_BUT_VALID["utf8-bom"])
    doc = nm.load(path)
    doc.article = attrs.evolve(doc.article, title="Another title")
    nm.dump(doc, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\n")
    assert nm.load(path).article.title == "Another title"


# -- tags are never constructed ---------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/apply:subprocess.call",
        "!!python/object/new:os.system",
        "!python/object/apply:os.system",
    ],
)
def test_code_execution_tags_never_run(tag: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    command = f"touch {marker}"
    texts = [
        f'---\ntitle: {tag} ["{command}"]\n---\n',
        f'---\ntitle: {tag}\n  - "{command}"\n---\n',
        f'---\ntitle: x\nimages: [{{url: {tag} ["{command}"]}}]\n---\n',
    ]
    for text in texts:
        path = tmp_path / "evil.md"
        path.write_text(text)
        with pytest.raises(nm.YAMLError) as info:
            nm.loads(text)
        assert info.value.code == "NM009"
        assert any(p.code == "NM009" for p in nm.check_file(path))
        assert any(p.code == "NM009" for p in nm.check_text(text))
        with pytest.raises(nm.YAMLError):
            nm.load(path)
    assert not marker.exists()


# -- limits -----------------------------------------------------------------------------------


def test_limits_exist() -> None:
    assert yamlio.MAX_FRONT_MATTER_CHARS == 262_144
    assert _slow.MAX_DEPTH == 64
    assert document.MAX_FILE_BYTES == 8 * 1024 * 1024


def _nested_block(levels: int) -> str:
    """``levels`` block mappings, one in another, ending in a scalar."""
    lines = [" " * i + f"k{i}:" for i in range(levels - 1)]
    lines.append(" " * (levels - 1) + f"k{levels - 1}: leaf")
    return "---\n" + "\n".join(lines) + "\n---\n"


def _nested_flow(levels: int) -> str:
    return "---\nk: " + "[" * (levels - 1) + "leaf" + "]" * (levels - 1) + "\n---\n"


@pytest.mark.parametrize("force_slow", [False, True], ids=["fast", "ruamel"])
@pytest.mark.parametrize("make", [_nested_block, _nested_flow], ids=["block", "flow"])
def test_depth_limit_is_exact(force_slow: bool, make: Callable[[int], str]) -> None:
    at_limit = yamlio.parse_text(make(_slow.MAX_DEPTH), force_slow=force_slow)
    assert at_limit.root is not None and not at_limit.problems
    beyond = yamlio.parse_text(make(_slow.MAX_DEPTH + 1), force_slow=force_slow)
    assert beyond.root is None
    assert [p.code for p in beyond.problems] == ["NM011"]


def test_deep_flow_nesting_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # ruamel.yaml's scanner reads ahead over every '[' before the first event (quadratic work
    # for 10,000 of them); it is stopped at the first level too many, not at the end of input.
    from ruamel.yaml.scanner import Scanner

    opened: list[int] = []
    real = Scanner.fetch_flow_collection_start

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        opened.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Scanner, "fetch_flow_collection_start", counting)
    parsed = yamlio.parse_text("---\ntitle: " + "[" * 10_000 + "\n---\n")
    (problem,) = parsed.problems
    assert (problem.code, problem.line) == ("NM011", 2)
    assert problem.column == len("title: ") + _slow.MAX_DEPTH + 1  # at the 65th '['
    assert len(opened) == _slow.MAX_DEPTH


def test_front_matter_size_limit_is_exact() -> None:
    limit = yamlio.MAX_FRONT_MATTER_CHARS
    filler = "x" * (limit - len('title: ""\n'))
    ok = yamlio.parse_text(f'---\ntitle: "{filler}"\n---\n')
    assert ok.root is not None and not ok.problems
    beyond = yamlio.parse_text(f'---\ntitle: "{filler}x"\n---\n')
    assert [(p.code, p.line) for p in beyond.problems] == [("NM011", 2)]


def test_file_size_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    head = b"---\ntitle: x\n---\n"
    path.write_bytes(head + b"a" * (document.MAX_FILE_BYTES - len(head)))
    assert not [p for p in nm.check_file(path) if p.code == "NM011"]
    with path.open("ab") as fh:
        fh.write(b"a")
    assert [p.code for p in nm.check_file(path)] == ["NM011"]
    with pytest.raises(nm.FrontMatterError) as info:
        nm.load(path)
    assert info.value.code == "NM011"


def test_huge_file_is_refused_without_reading_it(case_dir: Path) -> None:
    path = case_dir / "front-matter-20MB.md"
    tracemalloc.start()
    try:
        problems = nm.check_file(path)
        with pytest.raises(nm.FrontMatterError):
            nm.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.code for p in problems] == ["NM011"]
    assert peak < 1_000_000  # the 20 MB are never read


def test_huge_front_matter_text_is_refused_in_linear_memory() -> None:
    text = BY_ID["front-matter-20MB"].data.decode()
    tracemalloc.start()
    try:
        with pytest.raises(nm.YAMLError) as info:
            nm.loads(text)
        problems = nm.check_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (info.value.code, info.value.line) == ("NM011", 2)
    assert [p.code for p in problems] == ["NM011"]
    assert peak < 3 * len(text)  # a copy or two of the text, nothing built from it


def test_alias_bomb_is_refused_before_expansion() -> None:
    # Anchors alone are reported and parsing goes on; the first alias stops it, so nothing is
    # ever expanded: the problems are the anchor on line 2 and the first alias on line 3.
    parsed = yamlio.parse_text(BILLION_LAUGHS)
    assert parsed.root is None
    assert [(p.code, p.line) for p in parsed.problems] == [
        ("NM008", 2),  # &a
        ("NM008", 3),  # &b
        ("NM008", 3),  # *a: parsing stops here
    ]
    assert "*a" in parsed.problems[-1].message


# -- the file system --------------------------------------------------------------------------


@pytest.fixture
def broken_open(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, OSError], None]:
    """Make opening one path fail the way the OS would, whichever way the code opens it."""

    def arm(victim: Path, error: OSError) -> None:
        real_os_open = os.open
        real_read_bytes = Path.read_bytes

        def fake_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
            if os.fspath(path) == str(victim):
                raise error
            return real_os_open(path, *args, **kwargs)

        def fake_read_bytes(self: Path) -> bytes:
            if str(self) == str(victim):
                raise error
            return real_read_bytes(self)

        monkeypatch.setattr(os, "open", fake_os_open)
        monkeypatch.setattr(Path, "read_bytes", fake_read_bytes)

    return arm


def _assert_nm001(path: Path) -> None:
    problems = nm.check_file(path)
    assert [(p.code, p.line, p.column, p.file) for p in problems] == [("NM001", 1, 1, str(path))]
    with pytest.raises(nm.FrontMatterError) as info:
        nm.load(path)
    assert (info.value.code, info.value.line, info.value.column) == ("NM001", 1, 1)
    assert info.value.file == str(path)


def test_unreadable_file_simulated(tmp_path: Path, broken_open: Any) -> None:
    path = tmp_path / "secret.md"
    path.write_text(VALID)
    broken_open(path, PermissionError(errno.EACCES, "Permission denied", str(path)))
    _assert_nm001(path)
    assert "Permission denied" in nm.check_file(path)[0].message


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_unreadable_file_real_chmod(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text(VALID)
    path.chmod(0)
    try:
        _assert_nm001(path)
    finally:
        path.chmod(0o644)


def test_file_deleted_while_the_run_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "gone.md"
    path.write_text(VALID)
    real_os_open = os.open

    def vanish_then_open(p: Any, *args: Any, **kwargs: Any) -> int:
        if os.fspath(p) == str(path) and path.exists():
            path.unlink()
        return real_os_open(p, *args, **kwargs)

    monkeypatch.setattr(os, "open", vanish_then_open)
    _assert_nm001(path)


def test_folder_named_like_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "x.md"
    folder.mkdir()
    _assert_nm001(folder)
    assert "folder" in nm.check_file(folder)[0].message


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    other = tmp_path / "other.md"
    loop.symlink_to(other)
    other.symlink_to(loop)
    _assert_nm001(loop)
    self_loop = tmp_path / "self.md"
    self_loop.symlink_to(self_loop)
    _assert_nm001(self_loop)


def test_missing_file(tmp_path: Path) -> None:
    _assert_nm001(tmp_path / "nothing-here.md")


def test_impossible_paths(tmp_path: Path) -> None:
    _assert_nm001(tmp_path / "nul\0in-name.md")
    _assert_nm001(tmp_path / ("x" * 5000 + ".md"))
    _assert_nm001(tmp_path / "not-a-folder.md" / "child.md")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    # Opening a FIFO with no writer would block forever without O_NONBLOCK.
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    _assert_nm001(fifo)
    assert "regular file" in nm.check_file(fifo)[0].message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_device_is_refused() -> None:
    _assert_nm001(Path("/dev/zero"))


def test_check_file_reports_read_errors_met_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "eio.md"
    path.write_text(VALID)

    def failing_read(fd: int, n: int) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "read", failing_read)
    _assert_nm001(path)


# -- the command line -------------------------------------------------------------------------

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for each ``newsmodel check`` run

WITNESSES = {
    "NM007": b"---\ntitle: one\ntitle: two\n---\n",
    "NM009": b"---\ntitle: !!str tagged\n---\n",
    "NM012": b"---\n[a, b]: c\n---\n",
    "NM004": b"---\ntitle: never closed\n",
}

# Runs the CLI with opening one path failing (deleted first, or permission denied), whichever
# way the CLI opens it: os.open, open and io.open are all wrapped.
WRAPPER = r"""
import builtins, errno, io, os, runpy, sys
victim, mode = os.path.abspath(sys.argv[1]), sys.argv[2]
real_os_open, real_open = os.open, builtins.open
def before(path):
    try:
        hit = os.path.abspath(os.fsdecode(path)) == victim
    except TypeError:
        return
    if hit and mode == "delete":
        if os.path.lexists(victim):
            os.unlink(victim)
    elif hit:
        raise PermissionError(errno.EACCES, "Permission denied", victim)
def fake_os_open(path, *args, **kwargs):
    before(path)
    return real_os_open(path, *args, **kwargs)
def fake_open(file, *args, **kwargs):
    if not isinstance(file, int):
        before(file)
    return real_open(file, *args, **kwargs)
os.open, builtins.open, io.open = fake_os_open, fake_open, fake_open
sys.argv = ["newsmodel", *sys.argv[3:]]
runpy.run_module("newsmodel", run_name="__main__", alter_sys=True)
"""


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    try:
        import resource
    except ImportError:
        return
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass
class Run:
    argv: list[str]
    expect: dict[str, tuple[str, str]]  # test id -> codes that must appear in stdout
    out: Path
    proc: subprocess.Popen[bytes] | None = None
    returncode: int | None = None
    stdout: str = ""


def _run_all(runs: list[Run], parallel: int = 2) -> None:
    pending = list(runs)
    active: list[Run] = []
    use_limit = sys.platform.startswith("linux")

    def finish(run: Run) -> None:
        assert run.proc is not None
        try:
            run.returncode = run.proc.wait(timeout=300)  # a hang guard, not a timing assertion
        except subprocess.TimeoutExpired:
            run.proc.kill()
            run.returncode = run.proc.wait()
        run.stdout = run.out.read_text("utf-8", "replace")

    while pending or active:
        while pending and len(active) < parallel:
            run = pending.pop(0)
            with run.out.open("wb") as fh:
                run.proc = subprocess.Popen(
                    run.argv,
                    stdout=fh,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_limit_memory if use_limit else None,
                )
            active.append(run)
        finish(active.pop(0))


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsmodel", "check", *args]


def _batches(case_dir: Path) -> list[list[Case]]:
    """Group the cases so that, in one run, a case's code comes from that case's file only."""
    codes = {c.id: {p.code for p in nm.check_file(case_dir / f"{c.id}.md")} for c in CASES}
    batches: list[list[Case]] = []
    for case in CASES:
        for batch in batches:
            union = codes[case.id].union(*(codes[other.id] for other in batch))
            if any(code not in union for code in WITNESSES) and all(
                case.code not in codes[other.id] and other.code not in codes[case.id]
                for other in batch
            ):
                batch.append(case)
                break
        else:
            batches.append([case])
    return batches


@pytest.fixture(scope="module")
def cli_runs(case_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every run of ``newsmodel check``; each hostile file is followed by a witness file."""
    work = tmp_path_factory.mktemp("cli")
    runs: list[Run] = []
    for n, batch in enumerate(_batches(case_dir)):
        used = {p.code for c in batch for p in nm.check_file(case_dir / f"{c.id}.md")}
        witness_code = next(code for code in WITNESSES if code not in used)
        witness = work / f"witness-{witness_code}.md"
        witness.write_bytes(WITNESSES[witness_code])
        argv = _cli(*(str(case_dir / f"{c.id}.md") for c in batch), str(witness))
        expect = {c.id: (c.code, witness_code) for c in batch}
        runs.append(Run(argv, expect, work / f"batch-{n}.out"))
    # a folder named x.md is walked like any folder; a symlink loop met while walking
    tree = work / "tree"
    (tree / "x.md").mkdir(parents=True)
    (tree / "x.md" / "inner.md").write_bytes(BY_ID["tab-indentation"].data)
    (tree / "a-loop.md").symlink_to(tree / "a-loop.md")
    (tree / "z.md").write_bytes(WITNESSES["NM007"])
    expect = {"folder-named-x.md": ("NM005", "NM007"), "symlink-loop": ("NM001", "NM007")}
    runs.append(Run(_cli(str(tree)), expect, work / "tree.out"))
    # unreadable, and deleted after the folder was listed
    for mode in ("deny", "delete"):
        folder = work / f"tree-{mode}"
        folder.mkdir()
        victim = folder / "a-victim.md"
        victim.write_text(VALID)
        (folder / "z.md").write_bytes(WITNESSES["NM007"])
        argv = [sys.executable, "-c", WRAPPER, str(victim), mode, "check", str(folder)]
        runs.append(Run(argv, {f"file-{mode}": ("NM001", "NM007")}, work / f"{mode}.out"))
    _run_all(runs)
    return {name: run for run in runs for name in run.expect}


CLI_IDS = [c.id for c in CASES] + ["folder-named-x.md", "symlink-loop", "file-deny", "file-delete"]


@pytest.mark.parametrize("name", CLI_IDS)
def test_cli_reports_and_goes_on(name: str, cli_runs: dict[str, Run]) -> None:
    run = cli_runs[name]
    assert "Traceback" not in run.stdout, run.stdout[-3000:]
    assert run.returncode == 1, run.stdout[-3000:]
    for code in run.expect[name]:
        assert code in run.stdout, (code, run.stdout[-3000:])


def test_cli_deleted_file_was_listed_then_lost(cli_runs: dict[str, Run]) -> None:
    # the victim was really deleted during the run (not before it)
    run = cli_runs["file-delete"]
    assert "a-victim.md" in run.stdout
    assert not Path(run.argv[3]).exists()
    assert Path(run.argv[3]).parent.joinpath("z.md").exists()
