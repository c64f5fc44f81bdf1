"""The command line in-process (``newsmodel.cli.run``): fix's refusals and summaries, usage errors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from newsmodel.cli import run
from newsmodel.cli._fix import run_fix
from newsmodel.config import Config

from .conftest import EXAMPLES

ARTICLE = (EXAMPLES / "ai-article.md").read_text(encoding="utf-8")
BROKEN = ARTICLE.replace("domain: example.com", "domain: Example.COM", 1)
BAD_TYPE = "---\ntitle: 5\ntype: article\n---\nbody\n"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- fix


def test_fix_writes_and_reports_each_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", BROKEN)
    assert run(["fix", "--isolated", str(file)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{file}: fixed $.provider.domain: Lower-cased the provider's domain.\n"
    assert err == "1 file fixed, 1 checked\n"
    assert file.read_text(encoding="utf-8") == ARTICLE


def test_fix_quiet_writes_silently(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = _write(tmp_path / "a.md", BROKEN)
    assert run(["fix", "-q", "--isolated", str(file)]) == 0
    assert capsys.readouterr() == ("", "")
    assert file.read_text(encoding="utf-8") == ARTICLE


def test_fix_check_lists_what_would_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", BROKEN)
    assert run(["fix", "--check", "--isolated", str(file)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{file}: would fix $.provider.domain: Lower-cased the provider's domain.\n"
    assert err == "1 file would be fixed, 1 checked\n"
    assert file.read_text(encoding="utf-8") == BROKEN


def test_fix_check_quiet_only_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = _write(tmp_path / "a.md", BROKEN)
    assert run(["fix", "--check", "-q", "--isolated", str(file)]) == 1
    assert capsys.readouterr() == ("", "")


def test_fix_diff_exits_0_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", BROKEN)
    assert run(["fix", "--diff", "--isolated", str(file)]) == 0
    out, err = capsys.readouterr()
    assert "--- a/a.md\n+++ b/a.md\n" in out  # relative to the current folder (tmp_path)
    assert "-  domain: Example.COM\n+  domain: example.com\n" in out
    assert err == "1 file would be fixed, 1 checked\n"
    assert file.read_text(encoding="utf-8") == BROKEN


def test_fix_verbose_says_nothing_to_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", ARTICLE)
    assert run(["fix", "-v", "--isolated", str(file)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"newsmodel: {file}: nothing to fix\n0 files fixed, 1 checked\n"


def test_fix_folder_skips_plain_markdown_and_reports_unloadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "content"
    _write(root / "README.md", "# not an article\n")
    bad = _write(root / "bad.md", BAD_TYPE)
    fixable = _write(root / "sub" / "ok.md", BROKEN)
    assert run(["fix", "--isolated", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{fixable}: fixed $.provider.domain: Lower-cased the provider's domain.\n"
    assert f"{bad}:2:8: NM100" in err
    assert f"newsmodel: {bad}: not fixed: it does not load (see newsmodel check)\n" in err
    assert err.endswith("1 file fixed, 2 checked, 1 not loadable\n")
    assert bad.read_text(encoding="utf-8") == BAD_TYPE


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


def test_fix_refuses_when_the_writer_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.document as docmod
    from newsmodel.errors import NewsModelError

    def fail(doc: object) -> str:
        raise NewsModelError("internal error: the edited text reads back as another article")

    monkeypatch.setattr(docmod, "dumps", fail)
    file = _write(tmp_path / "a.md", BROKEN)
    assert run(["fix", "--isolated", str(file)]) == 2
    err = capsys.readouterr().err
    assert f"{file}: refused to fix: internal error: the edited text reads back" in err
    assert file.read_text(encoding="utf-8") == BROKEN


def test_fix_refuses_text_that_does_not_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.document as docmod

    monkeypatch.setattr(docmod, "dumps", lambda doc: BAD_TYPE)
    file = _write(tmp_path / "a.md", BROKEN)
    assert run(["fix", "--isolated", str(file)]) == 2
    err = capsys.readouterr().err
    assert f"{file}: refused to fix: the fixed text does not read back:" in err
    assert file.read_text(encoding="utf-8") == BROKEN


def test_fix_refuses_a_file_deleted_while_it_was_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.fix as fixmod

    file = _write(tmp_path / "a.md", BROKEN)
    real = fixmod.fix_document

    def delete_then_fix(doc: object, **kw: object) -> object:
        file.unlink()
        return real(doc, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(fixmod, "fix_document", delete_then_fix)
    assert run(["fix", "--isolated", str(file)]) == 2
    err = capsys.readouterr().err
    assert f"{file}: refused to fix: cannot be read again before writing: No such file" in err
    assert not file.exists()


# ----------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize("command", ["check", "fix"])
def test_quiet_and_verbose_together_is_a_usage_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", ARTICLE)
    assert run([command, "-q", "-v", str(file)]) == 2
    assert (
        capsys.readouterr().err
        == f"newsmodel {command}: error: -q and -v cannot be used together\n"
    )


def test_path_that_is_neither_file_nor_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert run(["check", str(fifo)]) == 2
    assert (
        capsys.readouterr().err
        == f"newsmodel check: error: {fifo}: is neither a file nor a folder\n"
    )


def test_broken_symlink_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "a.md"
    link.symlink_to(tmp_path / "nowhere.md")
    assert run(["fix", str(link)]) == 2
    assert capsys.readouterr().err == f"newsmodel fix: error: {link}: is a broken symbolic link\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "--jobs: must be 1 or more, not 0"),
        (["--now", "yesterday"], "--now: 'yesterday' is not an ISO 8601 timestamp"),
        (["--select", "XX1"], "'XX1' is not a code or code prefix"),
    ],
)
def test_check_option_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", ARTICLE)
    assert run(["check", *args, str(file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsmodel check: error: ")
    assert message in err


def test_output_below_a_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", ARTICLE)
    target = file / "report.json"  # a.md is a file: no folder can be made there
    assert run(["check", "--format", "json", "-o", str(target), str(file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsmodel check: error: --output: {target}: ")


def test_bad_config_file_is_reported_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", ARTICLE)
    config = _write(tmp_path / "conf.toml", "[tool.newsmodel]\nselect = 5\n")
    assert run(["check", "--config", str(config), str(file)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"newsmodel check: error: {config}: [tool.newsmodel] select must be a list of strings\n"
    )


# ----------------------------------------------------------------------------- check


def test_check_date_only_now_and_verbose_settings_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "a.md", ARTICLE)
    config = _write(tmp_path / "pyproject.toml", '[tool.newsmodel]\nignore = ["NM9"]\n')
    assert run(["check", "-v", "--now", "2021-07-01", str(file)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"newsmodel: settings from {config}\n")


def test_check_verbose_says_which_files_were_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "c" / "README.md", "# plain\n")
    assert run(["check", "-v", "--isolated", str(tmp_path / "c")]) == 0
    err = capsys.readouterr().err
    assert f"newsmodel: skipped {tmp_path / 'c' / 'README.md'} (no front matter fence)\n" in err


def test_check_force_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    file = _write(tmp_path / "bad.md", BAD_TYPE)
    assert run(["check", "--isolated", "--now", "2021-07-01T00:00:00Z", str(file)]) == 1
    out = capsys.readouterr().out
    assert "\033[" in out
    assert "NM100" in out


def test_check_statistics_in_json_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "bad.md", BAD_TYPE)
    assert run(["check", "--isolated", "--format", "json", "--statistics", str(file)]) == 1
    out, err = capsys.readouterr()
    assert '"code": "NM100"' in out
    assert "NM100" in err


def test_keyboard_interrupt_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.cli._check as check

    def interrupt(**kw: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(check, "run_check", interrupt)
    file = _write(tmp_path / "a.md", ARTICLE)
    assert run(["check", str(file)]) == 2
    assert capsys.readouterr().err == "newsmodel: interrupted\n"


def test_broken_pipe_is_exit_2_and_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.cli._check as check

    def pipe_gone(**kw: object) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(check, "run_check", pipe_gone)
    file = _write(tmp_path / "a.md", ARTICLE)
    saved = os.dup(1)
    try:
        assert run(["check", str(file)]) == 2
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    assert capsys.readouterr().err == ""


def test_library_error_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.cli._check as check
    from newsmodel.errors import NewsModelError

    def fail(**kw: object) -> int:
        raise NewsModelError("the rules could not be loaded")

    monkeypatch.setattr(check, "run_check", fail)
    file = _write(tmp_path / "a.md", ARTICLE)
    assert run(["check", str(file)]) == 2
    assert capsys.readouterr().err == "newsmodel check: error: the rules could not be loaded\n"
