"""The safe automatic fixes: the library API and the ``fix`` command's safety checks."""

from __future__ import annotations

import difflib
import io
import os
import shutil
from pathlib import Path

import attrs
import pytest

import newsmodel as nm
from newsmodel.cli import run
from newsmodel.cli._fix import _fix_file, _Refused, run_fix
from newsmodel.config import Config
from newsmodel.fix import fix_article, fix_document, fixes_of
from newsmodel.urls import amp_cache_url

from .conftest import EXAMPLES, write_file

ARTICLE = EXAMPLES / "ai-article.md"


def _text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def _changed_lines(a: str, b: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_clean_article_has_nothing_to_fix() -> None:
    doc = nm.loads(_text())
    fixed, fixes = fixes_of(doc.article)
    assert fixes == ()
    assert fixed is doc.article
    assert not fix_document(doc).changed
    assert nm.dumps(fix_document(doc)) == _text()


def test_each_fix_changes_only_its_line() -> None:
    text = _text()
    web = '"https://www.example.com/news/open-weather-dataset"'
    cdn = '"https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/news/open-weather-dataset"'
    assert web in text and cdn in text
    broken = (
        text.replace(f"webUrl: {web}", f'webUrl: "  {web[1:-1]}\\t"', 1)
        .replace("domain: example.com", "domain: Example.COM", 1)
        .replace(f"cdnAmpWebUrl: {cdn}", 'cdnAmpWebUrl: "https://wrong.example/"', 1)
    )
    doc = nm.loads(broken)
    record: list[object] = []
    fixed = fix_document(doc, record=record)  # type: ignore[arg-type]
    assert fixed.changed and not doc.changed  # the original document is left alone
    assert {f.pointer for f in record} == {"$.webUrl", "$.provider.domain", "$.cdnAmpWebUrl"}  # type: ignore[attr-defined]
    out = nm.dumps(fixed)
    assert out == text  # exactly the original: nothing else moved
    assert len(_changed_lines(broken, out)) == 6  # three lines out, three in


def test_cdn_is_computed_when_missing_and_for_related() -> None:
    doc = nm.loads(_text())
    related = doc.article.related
    assert related
    amp = "https://blog.example.org/amp/radar-models"
    article = attrs.evolve(
        doc.article,
        cdn_amp_web_url=None,
        related=(attrs.evolve(related[0], amp_web_url=amp, cdn_amp_web_url="x"), *related[1:]),
    )
    fixed = fix_article(article)
    assert fixed.cdn_amp_web_url == amp_cache_url(str(doc.article.amp_web_url))
    assert fixed.related is not None
    assert fixed.related[0].cdn_amp_web_url == amp_cache_url(amp)


def test_nested_urls_are_trimmed() -> None:
    doc = nm.loads(_text())
    images = doc.article.images
    assert images
    padded = attrs.evolve(images[0], url=f" {images[0].url}\n")
    article = attrs.evolve(doc.article, images=(padded, *images[1:]))
    fixed, fixes = fixes_of(article)
    assert fixed.images is not None and fixed.images[0].url == images[0].url
    assert [f.pointer for f in fixes] == ["$.images[0].url"]


def test_unfixable_amp_url_is_left_alone() -> None:
    doc = nm.loads(_text())
    article = attrs.evolve(doc.article, amp_web_url="not a url", cdn_amp_web_url="keep")
    fixed, fixes = fixes_of(article)
    assert fixed.cdn_amp_web_url == "keep"
    assert fixes == ()


def test_fix_file_refuses_when_the_file_changes_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "a.md"
    broken = _text().replace("domain: example.com", "domain: EXAMPLE.com", 1)
    file.write_text(broken, encoding="utf-8")
    import newsmodel.fix as fixmod

    real = fixmod.fix_document

    def meddle(doc: nm.Document, **kw: object) -> nm.Document:
        file.write_text(broken + "\nsomeone else's edit\n", encoding="utf-8")
        return real(doc, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(fixmod, "fix_document", meddle)

    class Out:
        def write(self, s: str) -> None:
            pass

    with pytest.raises(_Refused, match="changed on disk"):
        _fix_file(str(file), diff=False, check=False, quiet=True, out=Out())  # type: ignore[arg-type]
    assert file.read_text(encoding="utf-8").endswith("someone else's edit\n")


def test_fix_file_refuses_text_that_does_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "a.md"
    broken = _text().replace("domain: example.com", "domain: EXAMPLE.com", 1)
    file.write_text(broken, encoding="utf-8")
    import newsmodel.document as docmod

    monkeypatch.setattr(docmod, "dumps", lambda doc: broken.replace("EXAMPLE", "other"))

    class Out:
        def write(self, s: str) -> None:
            pass

    with pytest.raises(_Refused, match="intended article"):
        _fix_file(str(file), diff=False, check=False, quiet=True, out=Out())  # type: ignore[arg-type]
    assert file.read_text(encoding="utf-8") == broken


def test_fix_keeps_crlf_bom_and_permissions(tmp_path: Path) -> None:
    text = "\ufeff" + _text().replace("\n", "\r\n")
    broken = text.replace("domain: example.com", "domain: Example.com", 1)
    file = tmp_path / "a.md"
    file.write_bytes(broken.encode("utf-8"))
    os.chmod(file, 0o640)

    class Out:
        def write(self, s: str) -> None:
            pass

    assert _fix_file(str(file), diff=False, check=False, quiet=True, out=Out()) == "fixed"  # type: ignore[arg-type]
    assert file.read_bytes() == text.encode("utf-8")
    assert os.stat(file).st_mode & 0o777 == 0o640


def test_corpus_needs_no_fix(corpus: list[Path]) -> None:
    # every 10th file: the corpus is correct, so nothing may be "fixed" in it
    for path in corpus[::10]:
        doc = nm.load(path)
        assert fixes_of(doc.article)[1] == (), path


def test_examples_are_unchanged_by_fix(tmp_path: Path) -> None:
    for src in sorted(EXAMPLES.glob("*.md")):
        copy = tmp_path / src.name
        shutil.copy(src, copy)

        class Out:
            def write(self, s: str) -> None:
                pass

        assert _fix_file(str(copy), diff=False, check=False, quiet=True, out=Out()) == "unchanged"  # type: ignore[arg-type]
        assert copy.read_bytes() == src.read_bytes()


# -- newsmodel fix, in process: what it writes, says and refuses -------------------------------

CLEAN = ARTICLE.read_text(encoding="utf-8")
BROKEN_TEXT = CLEAN.replace("domain: example.com", "domain: Example.COM", 1)
BAD_TYPE = "---\ntitle: 5\ntype: article\n---\nbody\n"


@pytest.mark.usefixtures("cli_env")
def test_fix_writes_and_reports_each_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    assert run(["fix", "--isolated", str(file)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{file}: fixed $.provider.domain: Lower-cased the provider's domain.\n"
    assert err == "1 file fixed, 1 checked\n"
    assert file.read_text(encoding="utf-8") == CLEAN


@pytest.mark.usefixtures("cli_env")
def test_fix_quiet_writes_silently(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    assert run(["fix", "-q", "--isolated", str(file)]) == 0
    assert capsys.readouterr() == ("", "")
    assert file.read_text(encoding="utf-8") == CLEAN


@pytest.mark.usefixtures("cli_env")
def test_fix_check_lists_what_would_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    assert run(["fix", "--check", "--isolated", str(file)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{file}: would fix $.provider.domain: Lower-cased the provider's domain.\n"
    assert err == "1 file would be fixed, 1 checked\n"
    assert file.read_text(encoding="utf-8") == BROKEN_TEXT


@pytest.mark.usefixtures("cli_env")
def test_fix_check_quiet_only_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    assert run(["fix", "--check", "-q", "--isolated", str(file)]) == 1
    assert capsys.readouterr() == ("", "")


@pytest.mark.usefixtures("cli_env")
def test_fix_diff_exits_0_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    assert run(["fix", "--diff", "--isolated", str(file)]) == 0
    out, err = capsys.readouterr()
    assert "--- a/a.md\n+++ b/a.md\n" in out  # relative to the current folder (tmp_path)
    assert "-  domain: Example.COM\n+  domain: example.com\n" in out
    assert err == "1 file would be fixed, 1 checked\n"
    assert file.read_text(encoding="utf-8") == BROKEN_TEXT


@pytest.mark.usefixtures("cli_env")
def test_fix_verbose_says_nothing_to_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", CLEAN)
    assert run(["fix", "-v", "--isolated", str(file)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"newsmodel: {file}: nothing to fix\n0 files fixed, 1 checked\n"


@pytest.mark.usefixtures("cli_env")
def test_fix_folder_skips_plain_markdown_and_reports_unloadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "content"
    write_file(root / "README.md", "# not an article\n")
    bad = write_file(root / "bad.md", BAD_TYPE)
    fixable = write_file(root / "sub" / "ok.md", BROKEN_TEXT)
    assert run(["fix", "--isolated", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{fixable}: fixed $.provider.domain: Lower-cased the provider's domain.\n"
    assert f"{bad}:2:8: NM100" in err
    assert f"newsmodel: {bad}: not fixed: it does not load (see newsmodel check)\n" in err
    assert err.endswith("1 file fixed, 2 checked, 1 not loadable\n")
    assert bad.read_text(encoding="utf-8") == BAD_TYPE


@pytest.mark.usefixtures("cli_env")
def test_fix_reports_a_symlink_loop_in_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "content"
    root.mkdir()
    (root / "loop.md").symlink_to(root / "loop.md")
    assert run(["fix", "--isolated", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"{root / 'loop.md'}:1:1: NM001" in err
    assert "loops back on itself" in err
    assert err.endswith("0 files fixed, 1 checked, 1 not loadable\n")


@pytest.mark.usefixtures("cli_env")
def test_fix_refuses_a_file_that_is_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "gone.md")
    status = run_fix(
        paths=[missing],
        config=Config(),
        diff=False,
        check=False,
        quiet=False,
        verbose=False,
        follow_symlinks=False,
        out=io.StringIO(),
    )
    assert status == 2
    err = capsys.readouterr().err
    assert (
        f"newsmodel: {missing}: refused to fix: cannot be read: No such file or directory\n" in err
    )
    assert err.endswith("0 files fixed, 1 checked, 1 refused\n")


@pytest.mark.usefixtures("cli_env")
def test_fix_refuses_when_the_writer_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.document as docmod
    from newsmodel.errors import NewsModelError

    def fail(doc: object) -> str:
        raise NewsModelError("internal error: the edited text reads back as another article")

    monkeypatch.setattr(docmod, "dumps", fail)
    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    assert run(["fix", "--isolated", str(file)]) == 2
    err = capsys.readouterr().err
    assert f"{file}: refused to fix: internal error: the edited text reads back" in err
    assert file.read_text(encoding="utf-8") == BROKEN_TEXT


@pytest.mark.usefixtures("cli_env")
def test_fix_refuses_text_that_does_not_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.document as docmod

    monkeypatch.setattr(docmod, "dumps", lambda doc: BAD_TYPE)
    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    assert run(["fix", "--isolated", str(file)]) == 2
    err = capsys.readouterr().err
    assert f"{file}: refused to fix: the fixed text does not read back:" in err
    assert file.read_text(encoding="utf-8") == BROKEN_TEXT


@pytest.mark.usefixtures("cli_env")
def test_fix_refuses_a_file_deleted_while_it_was_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.fix as fixmod

    file = write_file(tmp_path / "a.md", BROKEN_TEXT)
    real = fixmod.fix_document

    def delete_then_fix(doc: object, **kw: object) -> object:
        file.unlink()
        return real(doc, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(fixmod, "fix_document", delete_then_fix)
    assert run(["fix", "--isolated", str(file)]) == 2
    err = capsys.readouterr().err
    assert f"{file}: refused to fix: cannot be read again before writing: No such file" in err
    assert not file.exists()
