"""The command line, run as a real process (``python -m newsmodel``) for every format and exit."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

import newsmodel as nm
from newsmodel.cli import run
from newsmodel.cli._report import problem_dict

from .conftest import CORPUS, EXAMPLES, ROOT, need_corpus, write_file

NOW = "2021-07-01T00:00:00Z"
JSON_KEYS = ["file", "line", "column", "code", "severity", "message", "pointer", "hint"]
INVALID_EXAMPLES = ROOT / "tests" / "invalid-examples"

BAD_TYPE = "---\ntitle: 5\ntype: article\n---\nbody\n"
NO_FENCE = "# Just Markdown\n"


def newsmodel(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", **env}
    environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "newsmodel", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=600,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder with a valid file, an invalid one, a non-article Markdown file, a hidden one."""
    root = tmp_path / "content"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(EXAMPLES / "ai-article.md", root / "ok.md")
    (root / "sub" / "bad.md").write_text(BAD_TYPE, encoding="utf-8")
    (root / "README.md").write_text(NO_FENCE, encoding="utf-8")
    (root / ".hidden" / "bad.md").write_text(BAD_TYPE, encoding="utf-8")
    return root


def api(*files: Path) -> list[nm.Problem]:
    """The library's problems for ``files``, at the same ``now`` as the command line."""
    now = dt.datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    return [p for file in files for p in nm.check_file(file, now=now)]


def api_problems(*files: Path) -> list[dict[str, object]]:
    return [problem_dict(p) for p in api(*files)]


# ----------------------------------------------------------------------------- basics


def test_version_and_help() -> None:
    result = newsmodel("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"newsmodel {nm.__version__}"
    for command in ("check", "fix", "schema"):
        result = newsmodel(command, "--help")
        assert result.returncode == 0, command
        assert "examples:" in result.stdout, command


def test_no_command_is_a_usage_error() -> None:
    result = newsmodel()
    assert result.returncode == 2
    assert "COMMAND" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "xml", "."],
        ["check", "--select", "XX1"],
        ["check", "--ignore", "NM1,bogus"],
        ["check", "--now", "yesterday"],
        ["check", "--jobs", "0"],
        ["check", "--no-such-option"],
        ["check", "does-not-exist.md"],
        ["fix", "does-not-exist/"],
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], tmp_path: Path) -> None:
    result = newsmodel(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_missing_path_message(tmp_path: Path) -> None:
    result = newsmodel("check", "nope.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.md: does not exist" in result.stderr


def test_examples_check_clean() -> None:
    result = newsmodel("check", "--now", NOW, str(EXAMPLES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(list(EXAMPLES.rglob('*.md')))} files checked: no problems" in result.stdout


# ----------------------------------------------------------------------------- walking


def test_walk_skips_hidden_and_non_article_markdown(tree: Path) -> None:
    result = newsmodel("check", "--now", NOW, "--format", "json", str(tree))
    assert result.returncode == 1
    files = {p["file"] for p in json.loads(result.stdout)}
    assert files == {str(tree / "sub" / "bad.md")}
    text = newsmodel("check", "--now", NOW, str(tree))
    assert "2 files checked: 1 file with problems" in text.stdout


def test_explicit_file_without_front_matter_is_checked(tree: Path) -> None:
    result = newsmodel("check", "--format", "json", str(tree / "README.md"))
    assert result.returncode == 1
    assert [p["code"] for p in json.loads(result.stdout)] == ["NM003"]


def test_exclude_glob(tree: Path) -> None:
    result = newsmodel("check", "--exclude", "sub", str(tree))
    assert result.returncode == 0, result.stdout
    assert "1 file checked: no problems" in result.stdout
    result = newsmodel("check", "--exclude", "*/bad.md", str(tree), cwd=tree.parent)
    assert result.returncode == 0, result.stdout


def test_symlinked_folder_outside_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "bad.md").write_text(BAD_TYPE, encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(EXAMPLES / "ai-article.md", root / "ok.md")
    (root / "link").symlink_to(outside, target_is_directory=True)
    assert newsmodel("check", str(root)).returncode == 0
    followed = newsmodel("check", "--follow-symlinks", "--format", "json", str(root))
    assert followed.returncode == 1
    assert {p["file"] for p in json.loads(followed.stdout)} == {str(root / "link" / "bad.md")}


def test_symlink_loops_are_problems_not_crashes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    shutil.copy(EXAMPLES / "ai-article.md", root / "a" / "ok.md")
    (root / "a" / "up").symlink_to(root, target_is_directory=True)  # a folder loop
    (root / "self.md").symlink_to(root / "self.md")  # a link to itself
    result = newsmodel("check", "--follow-symlinks", "--format", "json", str(root))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = json.loads(result.stdout)
    assert {(p["file"], p["code"]) for p in problems} == {
        (str(root / "a" / "up"), "NM001"),
        (str(root / "self.md"), "NM001"),
    }


def test_broken_symlink_to_markdown_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    result = newsmodel("check", "--format", "json", str(tmp_path))
    assert result.returncode == 1
    assert [p["code"] for p in json.loads(result.stdout)] == ["NM001"]


# ----------------------------------------------------------------------------- formats


OK_ARTICLE = """---
title: "Hello"
excerpt: "An example."
publishedDateTime: 2021-03-04T10:15:00Z
webUrl: "https://www.example.com/hello"
type: article
provider:
  name: Example
  domain: example.com
---
Body.
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """``content/``: a valid file, one with one error (line 2), one with one warning (line 5).

    The format tests below run in ``tmp_path`` on ``content`` and compare with output written
    out by hand (issue 15: not built with ``problem_dict``/``format_problem``, which the
    reporters themselves call)."""
    root = tmp_path / "content"
    (root / "sub").mkdir(parents=True)
    (root / "ok.md").write_text(OK_ARTICLE, encoding="utf-8")
    # each file its own webUrl (one story in two files is a problem of its own)
    bad = OK_ARTICLE.replace('title: "Hello"', "title: 5").replace("/hello", "/bad")
    (root / "sub" / "bad.md").write_text(bad, encoding="utf-8")
    warn = OK_ARTICLE.replace('"https://www.example.com/hello"', '"http://www.example.com/warn"')
    (root / "sub" / "warn.md").write_text(warn, encoding="utf-8")
    return tmp_path


ERROR_LINE = "content/sub/bad.md:2:8: NM100 Expected a string, got the integer 5. @ $.title"
ERROR_HINT = 'Quote it to make it a string: "5".'
WARNING_MESSAGE = (
    "URL 'http://www.example.com/warn' uses plain http; prefer https if the site serves it."
)
WARNING_LINE = f"content/sub/warn.md:5:9: NM210 {WARNING_MESSAGE} @ $.webUrl"


def check_content(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return newsmodel("check", "--now", NOW, *args, "content", cwd=cwd)


def test_text_format(content: Path) -> None:
    result = check_content(content)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        ERROR_LINE,
        f"    hint: {ERROR_HINT}",
        WARNING_LINE,
        "    hint: https://www.example.com/warn",
        "3 files checked: 2 files with problems (1 error, 1 warning)",
    ]


def test_text_quiet_and_color(content: Path) -> None:
    quiet = check_content(content, "-q")
    assert quiet.returncode == 1
    assert quiet.stdout.splitlines() == [ERROR_LINE, WARNING_LINE]
    colored = check_content(content, "--color", "always")
    assert colored.stdout.splitlines()[0] == (
        "\033[1mcontent/sub/bad.md:2:8\033[0m: \033[31m\033[1mNM100\033[0m "
        "Expected a string, got the integer 5. @ $.title"
    )


def test_json_format(content: Path) -> None:
    result = check_content(content, "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert all(list(p) == JSON_KEYS for p in data)
    assert data == [
        {
            "file": "content/sub/bad.md",
            "line": 2,
            "column": 8,
            "code": "NM100",
            "severity": "error",
            "message": "Expected a string, got the integer 5.",
            "pointer": "$.title",
            "hint": ERROR_HINT,
        },
        {
            "file": "content/sub/warn.md",
            "line": 5,
            "column": 9,
            "code": "NM210",
            "severity": "warning",
            "message": WARNING_MESSAGE,
            "pointer": "$.webUrl",
            "hint": "https://www.example.com/warn",
        },
    ]


def test_json_of_a_clean_run_is_an_empty_array() -> None:
    result = newsmodel("check", "--format", "json", str(EXAMPLES))
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_github_format(content: Path) -> None:
    result = check_content(content, "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/sub/bad.md,line=2,col=8,title=NM100::"
        f"Expected a string, got the integer 5. @ $.title%0A{ERROR_HINT}",
        "::warning file=content/sub/warn.md,line=5,col=9,title=NM210::"
        f"{WARNING_MESSAGE} @ $.webUrl%0Ahttps://www.example.com/warn",
    ]


def test_github_escapes_newlines_and_percent() -> None:
    from newsmodel.cli._report import GithubReporter

    class Out:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

    out = Out()
    problem = nm.Problem(
        code="NM100", severity="warning", message="50% off,\nnow", file="a,b:c.md", line=1, column=2
    )
    from newsmodel.cli._report import FileResult

    GithubReporter(out).file(FileResult("a,b:c.md", [problem]))  # type: ignore[arg-type]
    assert (
        out.text == "::warning file=a%2Cb%3Ac.md,line=1,col=2,title=NM100::50%25 off,%0Anow @ $\n"
    )


def test_sarif_format(content: Path) -> None:
    """The SARIF log written to a file: checked against the SARIF 2.1.0 schema subset of
    test_report.py and written-out results (an NM210 warning is level "warning")."""
    from .test_report import SARIF_SUBSET

    report = content / "report.sarif"
    result = check_content(content, "--format", "sarif", "-o", str(report))
    assert result.returncode == 1
    assert result.stdout == ""
    log = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(log, SARIF_SUBSET)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in driver["rules"]] == [
        ("NM100", "error"),
        ("NM210", "warning"),
    ]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": content.as_uri() + "/"}}
    assert [
        (
            r["ruleId"],
            r["ruleIndex"],
            r["level"],
            r["message"]["text"],
            r["locations"][0]["physicalLocation"],
        )
        for r in run["results"]
    ] == [
        (
            "NM100",
            0,
            "error",
            f"Expected a string, got the integer 5. @ $.title\n{ERROR_HINT}",
            {
                "artifactLocation": {"uri": "content/sub/bad.md", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 2, "startColumn": 8},
            },
        ),
        (
            "NM210",
            1,
            "warning",
            f"{WARNING_MESSAGE} @ $.webUrl\nhttps://www.example.com/warn",
            {
                "artifactLocation": {"uri": "content/sub/warn.md", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 5, "startColumn": 9},
            },
        ),
    ]


def test_junit_format(content: Path) -> None:
    result = check_content(content, "--format", "junit")
    assert result.returncode == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    assert root.attrib == {"name": "newsmodel", "tests": "3", "failures": "1", "errors": "0"}
    (suite,) = root
    assert suite.attrib == {
        "name": "newsmodel check",
        "tests": "3",
        "failures": "1",
        "errors": "0",
        "skipped": "0",
    }
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert sorted(cases) == ["content/ok.md", "content/sub/bad.md", "content/sub/warn.md"]
    assert all(c.get("classname") == "newsmodel" for c in cases.values())
    assert list(cases["content/ok.md"]) == []
    (failure,) = cases["content/sub/bad.md"]
    assert failure.tag == "failure"
    assert failure.attrib == {
        "type": "NM100",
        "message": "1 errors, 0 warnings: NM100 Expected a string, got the integer 5.",
    }
    assert failure.text == f"{ERROR_LINE}\n    hint: {ERROR_HINT}"
    (out,) = cases["content/sub/warn.md"]
    assert (out.tag, out.text) == ("system-out", WARNING_LINE)
    strict = ET.fromstring(check_content(content, "--strict", "--format", "junit").stdout)
    assert strict.get("failures") == "2"


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_every_format_exit_status(fmt: str, tree: Path) -> None:
    assert newsmodel("check", "--format", fmt, str(EXAMPLES)).returncode == 0
    assert newsmodel("check", "--format", fmt, str(tree)).returncode == 1
    assert newsmodel("check", "--format", fmt, str(tree / "nope")).returncode == 2


# ----------------------------------------------------------------------------- options


def test_warnings_pass_unless_strict(content: Path) -> None:
    """A file with only a warning (NM210, plain http) passes; with --strict it fails."""
    warn = str(content / "content" / "sub" / "warn.md")
    result = newsmodel("check", "--format", "json", warn)
    assert result.returncode == 0
    assert [(p["code"], p["severity"]) for p in json.loads(result.stdout)] == [("NM210", "warning")]
    assert newsmodel("check", "--strict", warn).returncode == 1
    junit = ET.fromstring(newsmodel("check", "--strict", "--format", "junit", warn).stdout)
    assert junit.get("failures") == "1"


def test_select_and_ignore(tree: Path) -> None:
    bad = tree / "sub" / "bad.md"
    codes = sorted({str(p["code"]) for p in api_problems(bad)})
    assert "NM100" in codes
    only = newsmodel("check", "--format", "json", "--select", "NM100", str(bad))
    assert {p["code"] for p in json.loads(only.stdout)} == {"NM100"}
    ignored = newsmodel("check", "--format", "json", "--ignore", ",".join(codes), str(bad))
    assert json.loads(ignored.stdout) == []
    assert ignored.returncode == 0
    twice = newsmodel(
        "check", "--format", "json", "--ignore", codes[0], "--ignore", "NM1", str(bad)
    )
    left = {p["code"] for p in json.loads(twice.stdout)}
    assert codes[0] not in left and not any(c.startswith("NM1") for c in left)


def test_statistics(content: Path) -> None:
    result = check_content(content, "--statistics", "-q")
    stats = [line for line in result.stdout.splitlines() if not line.startswith("content/")]
    assert [line.split()[:2] for line in stats] == [["1", "NM100"], ["1", "NM210"]]
    machine = check_content(content, "--statistics", "--format", "json")
    assert len(json.loads(machine.stdout)) == 2  # the statistics went to stderr
    assert [line.split()[:2] for line in machine.stderr.splitlines()] == [
        ["1", "NM100"],
        ["1", "NM210"],
    ]


def test_pyproject_settings_are_used(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.newsmodel]\nexclude = ["sub"]\n', encoding="utf-8")
    assert newsmodel("check", str(tree)).returncode == 0
    assert newsmodel("check", "--isolated", str(tree)).returncode == 1
    (tree / "pyproject.toml").write_text("[tool.newsmodel]\nselect = 5\n", encoding="utf-8")
    broken = newsmodel("check", str(tree))
    assert broken.returncode == 2
    assert "select" in broken.stderr and "Traceback" not in broken.stderr


def test_parallel_matches_in_process(tmp_path: Path) -> None:
    # more files than the in-process threshold, so -j 2 really uses the pool
    for i in range(90):
        source = BAD_TYPE if i % 7 == 0 else (EXAMPLES / "ai-article.md").read_text("utf-8")
        (tmp_path / f"f{i:03}.md").write_text(source, encoding="utf-8")
    # the copies share one webUrl: the site rules (NM7xx) are left out of the comparison
    options = ("--now", NOW, "--format", "json", "--ignore", "NM7")
    one = newsmodel("check", "-j", "1", *options, str(tmp_path))
    two = newsmodel("check", "-j", "2", *options, str(tmp_path))
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert json.loads(two.stdout) == api_problems(*sorted(tmp_path.glob("*.md")))


def test_internal_failure_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # an output file below a file (no folder can be made there): a clean usage error
    (tmp_path / "no").write_text("a file\n", encoding="utf-8")
    result = newsmodel("check", "-o", str(tmp_path / "no" / "such" / "out.json"), str(EXAMPLES))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_invalid_examples_fail(tmp_path: Path) -> None:
    """Every invalid example is reported, each with the code its name starts with."""
    files = sorted(INVALID_EXAMPLES.rglob("*.md"))
    assert len(files) >= 50
    result = newsmodel("check", "--now", NOW, "--format", "json", "-j", "2", str(INVALID_EXAMPLES))
    assert result.returncode == 1
    reported: dict[str, set[str]] = {}
    for p in json.loads(result.stdout):
        reported.setdefault(p["file"], set()).add(p["code"])
    # a folder's Markdown files without front matter are not articles: skipped when walking
    no_front_matter = [f for f in files if f.name.startswith("NM003")]
    assert len(no_front_matter) == 2
    assert sorted(reported) == [str(f) for f in files if f not in no_front_matter]
    for f in files:
        if f not in no_front_matter:
            assert f.name[:5] in reported[str(f)], f
    named = newsmodel("check", "--format", "json", *map(str, no_front_matter))
    assert [p["code"] for p in json.loads(named.stdout)] == ["NM003", "NM003"]


# ----------------------------------------------------------------------------- fix, schema


def test_fix_diff_check_andwrite_file(tmp_path: Path) -> None:
    text = (EXAMPLES / "ai-article.md").read_text(encoding="utf-8")
    broken = text.replace("domain: example.com", "domain: Example.COM", 1)
    assert broken != text
    file = tmp_path / "a.md"
    file.write_text(broken, encoding="utf-8")
    check = newsmodel("fix", "--check", str(file))
    assert check.returncode == 1
    assert file.read_text(encoding="utf-8") == broken
    diff = newsmodel("fix", "--diff", str(file))
    assert diff.returncode == 0
    assert "-  domain: Example.COM\n+  domain: example.com\n" in diff.stdout
    assert file.read_text(encoding="utf-8") == broken
    done = newsmodel("fix", str(file))
    assert done.returncode == 0, done.stderr
    assert file.read_text(encoding="utf-8") == text
    assert newsmodel("fix", "--check", str(file)).returncode == 0


def test_fix_invalid_file_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(BAD_TYPE, encoding="utf-8")
    result = newsmodel("fix", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (tmp_path / "bad.md").read_text(encoding="utf-8") == BAD_TYPE


def test_schema_command(tmp_path: Path) -> None:
    from newsmodel.schema import json_schema

    result = newsmodel("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json_schema()
    out = tmp_path / "s.json"
    assert newsmodel("schema", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json_schema()


# ----------------------------------------------------------------------------- pre-commit


def test_pre_commit_hooks_run(tmp_path: Path) -> None:
    """Each hook's ``entry`` (and ``args``), run as pre-commit would: with file names appended."""
    import shlex

    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert {"newsmodel-check", "newsmodel-fix"} <= set(by_id)
    for hook_id, hook in by_id.items():
        entry = shlex.split(hook["entry"])
        assert entry[0] == "newsmodel"
        work = tmp_path / hook_id
        shutil.copytree(EXAMPLES, work)
        files = sorted(work.glob("*.md"))
        before = [f.read_bytes() for f in files]
        result = newsmodel(*entry[1:], *hook.get("args", []), *map(str, files))
        assert result.returncode == 0, (hook_id, result.stdout, result.stderr)
        assert [f.read_bytes() for f in files] == before  # clean files: not a byte changed
    bad = tmp_path / "bad.md"
    bad.write_text(BAD_TYPE, encoding="utf-8")
    check = by_id["newsmodel-check"]
    entry = shlex.split(check["entry"])
    assert newsmodel(*entry[1:], *check.get("args", []), str(bad)).returncode == 1
    fixable = tmp_path / "fixable.md"
    text = (EXAMPLES / "ai-article.md").read_text(encoding="utf-8")
    fixable.write_text(text.replace("domain: example.com", "domain: EXAMPLE.com", 1), "utf-8")
    fix = by_id["newsmodel-fix"]
    entry = shlex.split(fix["entry"])
    newsmodel(*entry[1:], *fix.get("args", []), str(fixable))
    assert fixable.read_text(encoding="utf-8") == text


# ----------------------------------------------------------------------------- light import


def test_cli_import_does_not_load_validation() -> None:
    code = (
        "import sys, newsmodel; before = set(sys.modules); import newsmodel.cli; "
        "new = set(sys.modules) - before; "
        "print(sorted(m for m in new if m.startswith(('newsmodel.', 'cattrs', 'ruamel'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = eval(result.stdout)
    assert not [m for m in loaded if m.split(".")[1:2] in (["validate"], ["rules"], ["document"])]
    assert not [m for m in loaded if m.startswith(("cattrs", "ruamel"))]


def test_version_does_not_import_cattrs_or_ruamel() -> None:
    code = (
        "import sys; sys.argv = ['newsmodel', '--version']\n"
        "from newsmodel.cli import run\n"
        "run(['--version'])\n"
        "print([m for m in sys.modules if m.startswith(('cattrs', 'ruamel'))])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("[]"), result.stdout


# ----------------------------------------------------------------------------- corpus


def test_corpus_checks_clean() -> None:
    need_corpus()
    result = newsmodel("check", "-j", "2", "--now", NOW, "--format", "json", str(CORPUS))
    assert result.returncode == 0, result.stdout[:2000] + result.stderr[:2000]
    assert not [p for p in json.loads(result.stdout) if p["severity"] == "error"]


def test_progress_on_a_terminal_only_on_stderr() -> None:
    need_corpus()
    import threading

    master, slave = os.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsmodel", "check", "-j", "1", str(CORPUS)],  # slow: > 1 s
            stdout=subprocess.PIPE,
            stderr=slave,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        os.close(slave)
        stdout, _ = proc.communicate(timeout=600)
        reader.join(timeout=10)
    finally:
        os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert "files checked" in stdout and "\r" not in stdout
    assert "\r\033[Kchecked " in err


def test_a_file_gone_before_its_turn_is_a_problem(tmp_path: Path) -> None:
    from newsmodel.cli._check import check_one

    result = check_one((str(tmp_path / "gone.md"), False, (), None, False))
    assert [p.code for p in result.problems] == ["NM001"]
    assert result.failure is None


def test_unexpected_exception_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.cli._check as check_module
    from newsmodel.cli import run

    def boom(**kwargs: object) -> int:
        raise RuntimeError("something broke")

    monkeypatch.setattr(check_module, "run_check", boom)
    assert run(["check", str(EXAMPLES)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "newsmodel check: internal error: RuntimeError: something broke "
        "(run with -v for the traceback)"
    ]
    assert run(["check", "-v", str(EXAMPLES)]) == 2
    assert "Traceback" in capsys.readouterr().err


# -- in process (``newsmodel.cli.run``): usage errors, settings, colour, interrupts ------------

CLEAN_ARTICLE = (EXAMPLES / "ai-article.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["check", "fix"])
@pytest.mark.usefixtures("cli_env")
def test_quiet_and_verbose_together_is_a_usage_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    assert run([command, "-q", "-v", str(file)]) == 2
    assert (
        capsys.readouterr().err
        == f"newsmodel {command}: error: -q and -v cannot be used together\n"
    )


@pytest.mark.usefixtures("cli_env")
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


@pytest.mark.usefixtures("cli_env")
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
@pytest.mark.usefixtures("cli_env")
def test_check_option_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    assert run(["check", *args, str(file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsmodel check: error: ")
    assert message in err


@pytest.mark.usefixtures("cli_env")
def test_output_below_a_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    target = file / "report.json"  # a.md is a file: no folder can be made there
    assert run(["check", "--format", "json", "-o", str(target), str(file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsmodel check: error: --output: {target}: ")


@pytest.mark.usefixtures("cli_env")
def test_bad_config_file_is_reported_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    config = write_file(tmp_path / "conf.toml", "[tool.newsmodel]\nselect = 5\n")
    assert run(["check", "--config", str(config), str(file)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"newsmodel check: error: {config}: [tool.newsmodel] select must be a list of strings\n"
    )


@pytest.mark.usefixtures("cli_env")
def test_check_date_only_now_and_verbose_settings_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    config = write_file(tmp_path / "pyproject.toml", '[tool.newsmodel]\nignore = ["NM9"]\n')
    assert run(["check", "-v", "--now", "2021-07-01", str(file)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"newsmodel: settings from {config}\n")


@pytest.mark.usefixtures("cli_env")
def test_check_verbose_says_which_files_were_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(tmp_path / "c" / "README.md", "# plain\n")
    assert run(["check", "-v", "--isolated", str(tmp_path / "c")]) == 0
    err = capsys.readouterr().err
    assert f"newsmodel: skipped {tmp_path / 'c' / 'README.md'} (no front matter fence)\n" in err


@pytest.mark.usefixtures("cli_env")
def test_check_force_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    file = write_file(tmp_path / "bad.md", BAD_TYPE)
    assert run(["check", "--isolated", "--now", "2021-07-01T00:00:00Z", str(file)]) == 1
    out = capsys.readouterr().out
    assert "\033[" in out
    assert "NM100" in out


@pytest.mark.usefixtures("cli_env")
def test_check_statistics_in_json_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_file(tmp_path / "bad.md", BAD_TYPE)
    assert run(["check", "--isolated", "--format", "json", "--statistics", str(file)]) == 1
    out, err = capsys.readouterr()
    assert '"code": "NM100"' in out
    assert "NM100" in err


@pytest.mark.usefixtures("cli_env")
def test_keyboard_interrupt_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.cli._check as check

    def interrupt(**kw: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(check, "run_check", interrupt)
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    assert run(["check", str(file)]) == 2
    assert capsys.readouterr().err == "newsmodel: interrupted\n"


@pytest.mark.usefixtures("cli_env")
def test_broken_pipe_is_exit_2_and_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.cli._check as check

    def pipe_gone(**kw: object) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(check, "run_check", pipe_gone)
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    saved = os.dup(1)
    try:
        assert run(["check", str(file)]) == 2
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("cli_env")
def test_library_error_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import newsmodel.cli._check as check
    from newsmodel.errors import NewsModelError

    def fail(**kw: object) -> int:
        raise NewsModelError("the rules could not be loaded")

    monkeypatch.setattr(check, "run_check", fail)
    file = write_file(tmp_path / "a.md", CLEAN_ARTICLE)
    assert run(["check", str(file)]) == 2
    assert capsys.readouterr().err == "newsmodel check: error: the rules could not be loaded\n"
