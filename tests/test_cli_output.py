"""CLI output that other tools take as it is: ``fix --diff`` for ``git apply`` and ``patch -p1``,
the summary line and the "nothing found" warning, usage errors, ``--output`` folders."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsmodel.cli import run

from .conftest import EXAMPLES

ARTICLE = (EXAMPLES / "ai-article.md").read_text(encoding="utf-8")
BROKEN = ARTICLE.replace("domain: example.com", "domain: Example.COM", 1)
assert BROKEN != ARTICLE
NOW = "2021-07-01T00:00:00Z"


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


# ----------------------------------------------------------------------------- fix --diff


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with files to fix in ``content/`` (one with CRLF line endings, one
    without a newline at its end) and a valid one."""
    if shutil.which("git") is None or shutil.which("patch") is None:
        pytest.skip("git and patch are needed to apply the diffs")
    root = tmp_path / "site"
    content = root / "content" / "news"
    content.mkdir(parents=True)
    (content / "a.md").write_text(BROKEN, encoding="utf-8")
    (content / "crlf.md").write_bytes(BROKEN.replace("\n", "\r\n").encode("utf-8"))
    (content / "no-eol.md").write_text(BROKEN.rstrip("\n"), encoding="utf-8")
    (content / "ok.md").write_text(ARTICLE, encoding="utf-8")
    assert _git("init", "-q", cwd=root).returncode == 0
    _git("config", "core.autocrlf", "false", cwd=root)
    assert _git("add", ".", cwd=root).returncode == 0
    assert _git("commit", "-qm", "articles", cwd=root).returncode == 0
    return root


def _fixed(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What ``newsmodel fix`` writes, file by file (run on a copy)."""
    copy = tmp_path / "fixed-copy"
    shutil.copytree(root / "content", copy)
    assert run(["fix", "--quiet", "--isolated", str(copy)]) == 0
    return {p.relative_to(copy).as_posix(): p.read_bytes() for p in sorted(copy.rglob("*.md"))}


@pytest.mark.parametrize(
    ("where", "args"),
    [
        (".", ["content"]),
        (".", ["./content/"]),
        (".", ["ABS/content"]),
        (".", ["content/news/a.md", "ABS/content/news/crlf.md", "./content/news/no-eol.md"]),
        ("content", ["."]),
        ("content", ["ABS/content"]),
        ("content/news", ["."]),
        ("content/news", ["a.md", "ABS/content/news/crlf.md", "no-eol.md"]),
    ],
)
def test_fix_diff_applies_with_git_apply_and_patch(
    repo: Path,
    tmp_path: Path,
    where: str,
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = _fixed(repo, tmp_path)
    cwd = repo / where
    monkeypatch.chdir(cwd)
    argv = [a.replace("ABS", str(repo)) for a in args]
    assert run(["fix", "--diff", "--isolated", *argv]) == 0
    patch_text = capsys.readouterr().out
    assert "a/./" not in patch_text and "a//" not in patch_text
    assert patch_text.count("\n--- a/") + patch_text.startswith("--- a/") == 3
    patch_file = tmp_path / "fix.diff"
    patch_file.write_bytes(patch_text.encode("utf-8"))
    check = _git("apply", "--check", str(patch_file), cwd=cwd)
    assert check.returncode == 0, check.stderr
    dry = subprocess.run(
        ["patch", "-p1", "--dry-run", "-i", str(patch_file)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.returncode == 0, dry.stdout + dry.stderr
    # Applied for real, the diff gives exactly what `newsmodel fix` writes.
    applied = _git("apply", str(patch_file), cwd=cwd)
    assert applied.returncode == 0, applied.stderr
    content = repo / "content"
    got = {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*.md"))}
    assert got == expected
    assert _git("checkout", "--", ".", cwd=repo).returncode == 0
    applied = subprocess.run(
        ["patch", "-p1", "-s", "-i", str(patch_file)], cwd=cwd, capture_output=True, check=False
    )
    assert applied.returncode == 0, applied.stdout
    got = {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*.md"))}
    assert got == expected


def test_fix_diff_marks_a_last_line_without_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "---\ntitle: T\ntype: article\nprovider:\n  name: N\n  domain: Example.COM\n---"
    (tmp_path / "x.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(["fix", "--diff", "--isolated", "x.md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("--- a/x.md\n+++ b/x.md\n")
    assert out.endswith("+  domain: example.com\n ---\n\\ No newline at end of file\n")


# ----------------------------------------------------------------------------- summary, warning


def test_summary_says_how_many_files_were_checked_and_had_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: 5\ntype: article\n---\n", encoding="utf-8")
    warn = ARTICLE.replace('"https://images.example.com/', '"http://images.example.com/', 1)
    web_url = re.search(r"^webUrl: (.*)$", ARTICLE, re.MULTILINE)
    assert web_url is not None
    # its own webUrl: the same one in two files of a folder is a problem too (NM702)
    warn = warn.replace(web_url.group(0), 'webUrl: "https://www.example.com/news/warn"')
    (tmp_path / "warn.md").write_text(warn, encoding="utf-8")
    assert run(["check", "--isolated", "--now", NOW, "ok.md"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 file checked: no problems"
    assert run(["check", "--isolated", "--now", NOW, "."]) == 1
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("3 files checked: 2 files with problems (")
    assert last.endswith(" errors, 1 warning)")


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_path_without_article_files_gets_a_warning(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# Not an article\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "ok.md").write_text(ARTICLE, encoding="utf-8")
    assert run([command, "--isolated", "empty", "content", "docs"]) == 0
    out, err = capsys.readouterr()
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings == [
        f"newsmodel {command}: warning: no article file found under {name} "
        "(no file with a --- front matter fence)"
        for name in ("empty", "docs")
    ]
    if command == "check":
        assert out.splitlines()[-1] == "1 file checked: no problems"
    # Nothing at all: the summary says so too.
    assert run([command, "--isolated", "empty"]) == 0
    out, err = capsys.readouterr()
    assert "no article file found under empty" in err
    if command == "check":
        assert out == "0 files checked: no article file found\n"


def test_no_warning_when_every_path_has_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    assert run(["check", "--isolated", "-j", "2", "examples", "examples/ai-article.md"]) == 0
    assert "warning" not in capsys.readouterr().err


# ----------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize("command", ["check", "fix", "schema"])
def test_unknown_option_shows_the_commands_usage(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([command, "--fromat", "json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: newsmodel {command} ")
    assert f"newsmodel {command}: error: unrecognized arguments: --fromat" in err


def test_unknown_option_suggests_the_right_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--fromat", "json"]) == 2
    assert "(did you mean --format?)" in capsys.readouterr().err
    assert run(["--verison"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: newsmodel [-h]")
    assert "(did you mean --version?)" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--form", "json"],
        ["check", "--form=json"],
        ["check", "--stat"],
        ["fix", "--dif"],
        ["schema", "--out", "x.json"],
        ["--vers"],
    ],
)
def test_abbreviated_long_options_are_refused(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "json").mkdir()
    assert run(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "unrecognized arguments: " + argv[-1 if argv[-1].startswith("-") else -2] in err
    assert not (tmp_path / "x.json").exists()


# ----------------------------------------------------------------------------- --output


def test_schema_output_creates_its_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["schema", "--output", ".vscode/newsmodel.schema.json"]) == 0
    schema = json.loads((tmp_path / ".vscode" / "newsmodel.schema.json").read_text("utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert run(["schema", "--output", "here.json"]) == 0  # no folder to make
    assert json.loads((tmp_path / "here.json").read_text("utf-8")) == schema


def test_check_output_creates_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "deep" / "newsmodel.sarif"
    assert run(["check", "--isolated", "--format", "sarif", "-o", str(target), str(EXAMPLES)]) == 0
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"
    assert os.path.isfile(target)


# ----------------------------------------------------------------------------- annotations


def test_github_annotations_name_files_relative_to_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "bad.md").write_text(
        "---\ntitle: 5\ntype: article\n---\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    for path in (".", "./drafts", str(tmp_path), "drafts/bad.md"):
        assert run(["check", "--isolated", "--format", "github", path]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines and all(line.startswith("::error file=drafts/bad.md,") for line in lines)
    monkeypatch.chdir(tmp_path / "drafts")
    assert run(["check", "--isolated", "--format", "github", str(tmp_path)]) == 1
    assert capsys.readouterr().out.startswith("::error file=bad.md,")
    outside = tmp_path / "drafts" / "sub"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert run(["check", "--isolated", "--format", "github", ".."]) == 1
    bad = (tmp_path / "drafts" / "bad.md").as_posix()
    assert capsys.readouterr().out.startswith(f"::error file={bad},")


def test_fix_diff_of_a_file_outside_the_current_folder_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert run(["fix", "--diff", "--isolated", "../content"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("--- a/../content/a.md\n")
    assert "warning: the diff names files outside the current folder (../)" in err
    monkeypatch.chdir(tmp_path)
    assert run(["fix", "--diff", "--isolated", "content"]) == 0
    assert "outside" not in capsys.readouterr().err
