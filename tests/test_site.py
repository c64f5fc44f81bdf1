"""Site checks: references between files, duplicates, the Python API over a site (newsmodel.site)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from newsmodel.cli import _main
from newsmodel.layout import SiteConfigError
from newsmodel.rules.site import site_rules
from newsmodel.site import FileFacts, Located, Site, SiteIndex, facts_of, normalize_url
from newsmodel.yamlio import parse_text

from .conftest import SHARED

SITE = SHARED / "sites" / "microsoft-power-apps"
NOW = "2021-07-01T00:00:00Z"
COLLECTION = "_learning/collections/april-dunnam-beginner-power-apps-topics-by-april-dunnam.md"
VIDEO = "april-dunnam-how-to-get-started-with-power-apps"
COURSES = "_learning/collections/microsoft-learn-administer-power-apps-portals.md"
COURSE = "microsoft-learn-portals-integration"
DUP_A = "_news/2021-01-14-on-boarding-user-external-user-to-tenant-through-powerapps-portal.md"
DUP_B = "_news/2021-02-28-user-on-boarding-walkthrough-powerapps-portal-way.md"


def need_site() -> Path:
    if not (SITE / "_config.yml").is_file():
        pytest.skip(f"the real site is not at {SITE} (it lives in ../shared/sites)")
    return SITE


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the real site (times kept, as a checkout's are)."""
    dest = tmp_path / "site"
    shutil.copytree(need_site(), dest, copy_function=shutil.copy2)
    for folder, _, files in os.walk(dest):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return dest


def check(
    capsys: pytest.CaptureFixture[str], *args: str, cwd: Path | None = None
) -> tuple[int, list[dict[str, Any]]]:
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = _main.run(["check", "-j", "1", "--now", NOW, "--format", "json", *args])
    finally:
        os.chdir(old)
    out = capsys.readouterr().out
    return code, json.loads(out)


def site_problems(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in problems if p["code"].startswith("NM7")]


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


# -- the real site ---------------------------------------------------------------------------


def test_real_site_every_reference_resolves_one_true_duplicate(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, problems = check(capsys, str(site))
    found = site_problems(problems)
    # the snapshot has one story published twice (two news files, one webUrl), and no
    # broken reference
    assert sorted((p["code"], Path(p["file"]).relative_to(site).as_posix()) for p in found) == [
        ("NM702", DUP_A),
        ("NM702", DUP_B),
    ]
    by_file = {Path(p["file"]).relative_to(site).as_posix(): p for p in found}
    assert DUP_B in by_file[DUP_A]["message"] and DUP_A in by_file[DUP_B]["message"]
    assert by_file[DUP_A]["line"] == line_of(site / DUP_A, "webUrl:")
    assert by_file[DUP_A]["pointer"] == "$.webUrl"


def test_renamed_video_is_a_broken_reference_at_its_line(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    videos = site / "_learning" / "videos"
    (videos / f"{VIDEO}.md").rename(videos / f"{VIDEO}-renamed.md")
    _, problems = check(capsys, str(site))
    [broken] = [p for p in problems if p["code"] == "NM701"]
    assert Path(broken["file"]) == site / COLLECTION
    assert broken["line"] == line_of(site / COLLECTION, f"videos/{VIDEO}")
    assert broken["column"] == 5
    assert broken["pointer"] == "$.items[0]"
    assert broken["severity"] == "error"
    assert f"'videos/{VIDEO}'" in broken["message"]
    assert f"_learning/videos/{VIDEO}.md" in broken["message"]  # where it was looked for
    assert broken["hint"] == f"Did you mean 'videos/{VIDEO}-renamed'?"


def test_deleted_course_is_a_broken_reference(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "_learning" / "courses" / f"{COURSE}.md").unlink()
    code, problems = check(capsys, str(site))
    assert code == 1
    [broken] = [p for p in problems if p["code"] == "NM701"]
    assert Path(broken["file"]) == site / COURSES
    assert broken["line"] == line_of(site / COURSES, f"courses/{COURSE}")
    assert f"_learning/courses/{COURSE}.md" in broken["message"]


def test_typo_in_an_item_gets_a_did_you_mean(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site / COLLECTION
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"videos/{VIDEO}", "videos/april-dunam-how-to-get-started"))
    _, problems = check(capsys, str(site))
    [broken] = [p for p in problems if p["code"] == "NM701"]
    assert broken["line"] == line_of(path, "april-dunam-how")
    assert broken["hint"] == f"Did you mean 'videos/{VIDEO}'?"


def test_copied_news_file_is_a_duplicate_in_both_files(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a news file with a webUrl, picked up again under another name, the URL's host in
    # capitals and a trailing slash
    news = next(p for p in sorted((site / "_news").glob("*.md")) if "\nwebUrl:" in p.read_text())
    text = news.read_text(encoding="utf-8")
    url = next(line for line in text.splitlines() if line.startswith("webUrl:"))
    value = url.split(":", 1)[1].strip().strip('"')
    host = value.split("/")[2]
    shouted = value.replace("https://", "HTTPS://").replace(host, host.upper()) + "/"
    copy = site / "_news" / "2021-06-01-the-same-story-again.md"
    copy.write_text(text.replace(url, f'webUrl: "{shouted}"'), encoding="utf-8")
    _, problems = check(capsys, str(site))
    dups = {Path(p["file"]): p for p in problems if p["code"] == "NM702"}
    assert dups[copy]["message"].count(news.name) == 1
    assert dups[news]["message"].count(copy.name) == 1
    assert dups[copy]["line"] == line_of(copy, "webUrl:")


def test_only_some_files_still_resolve_against_the_whole_site(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pre-commit passes the changed files only: the rest of the site still counts
    _, problems = check(capsys, str(site / COLLECTION), str(site / DUP_A))
    found = site_problems(problems)
    assert [(p["code"], Path(p["file"])) for p in found] == [("NM702", site / DUP_A)]
    assert DUP_B.split("/")[1] in found[0]["message"]
    (site / "_learning" / "videos" / f"{VIDEO}.md").unlink()
    _, problems = check(capsys, str(site / COLLECTION))
    assert [p["code"] for p in site_problems(problems)] == ["NM701"]


def test_relative_paths_name_the_other_file_relatively(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, problems = check(capsys, DUP_A, cwd=site)
    [dup] = site_problems(problems)
    assert dup["file"] == DUP_A
    assert dup["message"] == f"The same webUrl is in {DUP_B}:7."


def test_site_rules_follow_select_and_ignore(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, problems = check(capsys, "--ignore", "NM702", str(site))
    assert not site_problems(problems)
    _, problems = check(capsys, "--select", "NM702", str(site))
    assert {p["code"] for p in problems} == {"NM702"}
    (site / "pyproject.toml").write_text(
        '[tool.newsmodel]\nper-file-ignores = { "_news/*" = ["NM7"] }\n', encoding="utf-8"
    )
    _, problems = check(capsys, str(site))
    assert not site_problems(problems)


def test_a_folder_without_config_is_no_site_no_duplicate_nor_reference_is_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    front = "---\ntitle: T\ntype: collection\nitems:\n  - videos/nowhere\nwebUrl: {url}\n---\n"
    (tmp_path / "a.md").write_text(front.format(url="https://x.com/a"), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(front.format(url="https://X.com/a/"), encoding="utf-8")
    (tmp_path / "c.md").write_text(front.format(url="https://x.com/c"), encoding="utf-8")
    _, problems = check(capsys, str(tmp_path))
    assert site_problems(problems) == []
    # the same files in a site: the duplicate is found (in both files), the reference judged
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    _, problems = check(capsys, str(tmp_path))
    found = site_problems(problems)
    assert sorted((p["code"], Path(p["file"]).name) for p in found) == [
        ("NM701", "a.md"),
        ("NM701", "b.md"),
        ("NM701", "c.md"),
        ("NM702", "a.md"),
        ("NM702", "b.md"),
    ]


def test_bad_site_config_is_reported_located(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "_config.yml").write_text("title: x\ncollections: 3\n", encoding="utf-8")
    code, problems = check(capsys, str(site / "_people"))
    assert code == 1
    [bad] = [p for p in problems if p["code"] == "NM700"]
    assert (Path(bad["file"]), bad["line"], bad["pointer"]) == (
        site / "_config.yml",
        2,
        "$.collections",
    )


# -- facts and the index ---------------------------------------------------------------------


def test_facts_of_a_file() -> None:
    text = (
        "---\ntitle: T\nitems:\n  - videos/a\n  - 3\n  - courses/b\nwebUrl: https://x.com/a\n"
        "publishedDateTime: 2020-01-02T03:04:05Z\n---\n"
    )
    facts = facts_of(parse_text(text).root)
    assert facts.references == (
        Located("videos/a", "$.items[0]", 4, 5),
        Located("courses/b", "$.items[2]", 6, 5),
    )
    assert facts.web_url == Located("https://x.com/a", "$.webUrl", 7, 9)
    assert FileFacts.from_json(json.loads(json.dumps(facts.to_json()))) == facts
    assert facts_of(parse_text("---\nitems: videos/a\n---\n").root).references == (
        Located("videos/a", "$.items", 2, 8),
    )
    assert facts_of(None) == FileFacts()
    assert facts_of(parse_text("---\ntitle: T\n---\n").root) == FileFacts()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://Example.COM/a/", "https://example.com/a"),
        ("HTTPS://example.com/a//", "https://example.com/a"),
        ("https://example.com/a?q=1#f", "https://example.com/a?q=1#f"),
        (" https://example.com ", "https://example.com/"),
        ("/site/path/", "/site/path"),
        ("http://[::1", "http://[::1"),
    ],
)
def test_normalize_url(a: str, b: str) -> None:
    assert normalize_url(a) == normalize_url(b)


def test_paths_differ_in_case() -> None:
    assert normalize_url("https://x.com/A") != normalize_url("https://x.com/a")


def test_site_rules_are_documented() -> None:
    from newsmodel import codes

    for rule in site_rules():
        assert rule.code.startswith("NM7")
        entry = codes.get(rule.code)
        assert entry is not None and entry.name == rule.name
        doc = type(rule).__doc__ or ""
        assert "Fails" in doc and "Passes" in doc and rule.spec


def test_index_without_reported_files_reports_nothing(tmp_path: Path) -> None:
    from newsmodel.layout import SiteLayout

    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    index = SiteIndex(SiteLayout.load(tmp_path), existing=[])
    facts = FileFacts(references=(Located("videos/x", "$.items[0]", 3, 5),))
    index.add(str(tmp_path / "a.md"), facts, report=False)
    assert index.problems() == {}
    index.add(str(tmp_path / "b.md"), facts)
    [problem] = index.problems()[str(tmp_path / "b.md")]
    assert "no collection folder of the site has such a file" in problem.message
    assert problem.hint is None


# -- the Python API ----------------------------------------------------------------------------


def test_site_api_over_the_real_site() -> None:
    site = Site.open(need_site() / "_learning")  # any folder of the site finds its root
    assert site.root == SITE
    files = site.files()
    assert len(files) > 800 and files == sorted(files, key=lambda f: f.split("/"))
    entries = iter(site)
    first = next(entries)
    assert first.relpath in files and first.path == SITE / first.relpath
    video = site.resolve(f"videos/{VIDEO}")
    assert video is not None
    assert video.relpath == f"_learning/videos/{VIDEO}.md"
    assert (video.kind, video.collection) == ("video", "learning")
    assert video.item.title
    assert site.resolve("videos/no-such-video") is None
    assert site.get(f"_learning/videos/{VIDEO}.md").relpath == video.relpath
    with pytest.raises(FileNotFoundError):
        site.get("_news/missing.md")


def test_site_check_gives_every_problem(site: Path) -> None:
    (site / "_learning" / "videos" / f"{VIDEO}.md").unlink()
    problems = Site.open(site).check(select=["NM7"])
    assert sorted(p.code for p in problems) == ["NM701", "NM702", "NM702"]
    broken = next(p for p in problems if p.code == "NM701")
    assert broken.file == str(site / COLLECTION)


def test_site_entries_raise_or_skip_files_that_do_not_load(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nname: B\ntype: profile\n---\n", encoding="utf-8")
    site = Site.open(tmp_path)
    assert site.layout.config_file is None
    from newsmodel import DocumentError

    with pytest.raises(DocumentError):
        list(site.entries())
    with pytest.raises(ValueError, match="errors"):
        list(site.entries(errors="ignore"))
    codes = {p.code for p in site.check()}
    assert "NM005" in codes
    with pytest.raises(NotADirectoryError):
        Site.open(tmp_path / "a.md")


def test_site_open_with_a_bad_config(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("collections: 3\n", encoding="utf-8")
    with pytest.raises(SiteConfigError):
        Site.open(tmp_path)
