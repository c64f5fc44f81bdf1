"""The results cache of ``newsmodel check`` (newsmodel.cache): it never changes an answer."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsmodel.cache import (
    CACHE_DIR_NAME,
    Cache,
    FileList,
    Transcript,
    context_key,
    find_project_root,
)

from .conftest import CORPUS, SHARED, need_corpus

SITE = SHARED / "sites" / "microsoft-power-apps"
NOW = "2021-07-01T00:00:00Z"
OLD = time.time() - 3600  # files older than the racy window are cached


def writable_copy(source: Path, dest: Path) -> Path:
    shutil.copytree(source, dest, copy_function=shutil.copy2)
    for folder, _, files in os.walk(dest):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return dest


def age(*paths: Path) -> None:
    """Make files look as a checkout's: not changed in the last seconds."""
    for path in paths:
        os.utime(path, (OLD, OLD))


def run(
    *args: str, cache: Path | None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "NEWSMODEL_CACHE_DIR"}
    environ["NO_COLOR"] = "1"
    environ.update(env or {})
    options = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    return subprocess.run(
        [sys.executable, "-m", "newsmodel", "check", "-v", "--now", NOW, *options, *args],
        capture_output=True,
        text=True,
        errors="surrogateescape",  # (file names that are not UTF-8 are printed as they are)
        env=environ,
        cwd=cwd,
        timeout=600,
    )


def unchanged(result: subprocess.CompletedProcess[str]) -> int:
    line = next(x for x in result.stderr.splitlines() if x.startswith("newsmodel: cache "))
    return int(line.split(": ")[2].split()[0])


def checked(result: subprocess.CompletedProcess[str]) -> int:
    line = next(x for x in result.stderr.splitlines() if x.startswith("newsmodel: cache "))
    return int(line.split(", ")[1].split()[0])


def same(a: subprocess.CompletedProcess[str], b: subprocess.CompletedProcess[str]) -> None:
    assert (a.returncode, a.stdout) == (b.returncode, b.stdout)


def test_corpus_same_report_with_and_without_cache_across_edits(tmp_path: Path) -> None:
    need_corpus()
    corpus = writable_copy(CORPUS, tmp_path / "corpus")
    # a site (the site rules run only in one): its duplicates are in the report, and the copy
    # made below is one more
    (corpus / "_config.yml").write_text("title: corpus\n", encoding="utf-8")
    cache = tmp_path / "cache"
    files = sorted(corpus.rglob("*.md"))
    plain = run(str(corpus), cache=None)
    cold = run(str(corpus), cache=cache)
    warm = run(str(corpus), cache=cache)
    same(plain, cold)
    same(plain, warm)
    assert unchanged(cold) == 0 and checked(cold) == len(files)
    # the whole run replayed: its files and the site's _config.yml unchanged, nothing checked
    assert unchanged(warm) >= len(files) and checked(warm) == 0
    assert not (corpus / CACHE_DIR_NAME).exists()
    # edits: a title (same size as before), a deleted file, a copy (a duplicate webUrl)
    first = next(p for p in files if "\nwebUrl:" in p.read_text(encoding="utf-8"))
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("title: ", "title: X", 1).replace("\n\n", "\n", 1))
    next(p for p in reversed(files) if p != first).unlink()
    shutil.copy2(first, first.with_name("copied-" + first.name))
    age(first)
    edited = run(str(corpus), cache=cache)
    same(run(str(corpus), cache=None), edited)
    assert unchanged(edited) == len(files) - 2
    assert "copied-" in edited.stdout


def test_site_same_report_with_and_without_cache_across_edits(tmp_path: Path) -> None:
    if not (SITE / "_config.yml").is_file():
        pytest.skip(f"the real site is not at {SITE}")
    site = writable_copy(SITE, tmp_path / "site")
    cache = tmp_path / "cache"
    same(run(str(site), cache=None), run(str(site), cache=cache))
    warm = run(str(site), cache=cache)
    same(run(str(site), cache=None), warm)
    assert unchanged(warm) > 800
    videos = site / "_learning" / "videos"
    video = sorted(videos.glob("april-dunnam-how-to-get-started*.md"))[0]
    # a referenced file renamed: only the collection that names it changes its report, and
    # the collection itself is unchanged (its cached result is used, its site problem is new)
    video.rename(videos / "renamed.md")
    after = run(str(site), cache=cache)
    same(run(str(site), cache=None), after)
    assert "NM701" in after.stdout and "NM701" not in warm.stdout
    # only the changed files passed (pre-commit), the rest from the cache
    partial = run(str(site / "_learning" / "collections"), cache=cache)
    same(run(str(site / "_learning" / "collections"), cache=None), partial)
    # the site's configuration changed: every entry of the site is checked again
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nexclude: [_samples]\n")
    changed = run(str(site), cache=cache)
    same(run(str(site), cache=None), changed)
    assert unchanged(changed) == 0


def test_settings_and_version_change_the_context(tmp_path: Path) -> None:
    assert context_key([("NM2",)]) != context_key([("NM3",)])
    assert context_key([1]) == context_key([1])
    folder = tmp_path / "p"
    folder.mkdir()
    article = folder / "a.md"
    article.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    age(article)
    cache = tmp_path / "cache"
    first = run(str(folder), cache=cache)
    assert unchanged(run(str(folder), cache=cache)) == 1
    (folder / "pyproject.toml").write_text('[tool.newsmodel]\nignore = ["NM1", "NM6"]\n')
    other = run(str(folder), cache=cache)
    assert unchanged(other) == 0 and other.stdout != first.stdout
    assert unchanged(run(str(folder), "--select", "NM1", cache=cache)) == 0


def test_cache_folder_at_the_project_root_ignored_by_git(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "content" / "news").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    article = project / "content" / "news" / "a.md"
    article.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    assert find_project_root([str(project / "content")]) == project
    assert find_project_root([str(article)]) == project
    env = {k: v for k, v in os.environ.items() if k != "NEWSMODEL_CACHE_DIR"}
    subprocess.run(
        [sys.executable, "-m", "newsmodel", "check", "content"],
        cwd=project,
        env=env,
        capture_output=True,
        check=False,
        timeout=600,
    )
    folder = project / CACHE_DIR_NAME
    assert (folder / ".gitignore").read_text() == "# Automatically created by newsmodel.\n*\n"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    subprocess.run(
        [sys.executable, "-m", "newsmodel", "check", "--no-cache", "content"],
        cwd=tmp_path / "project" / "content",
        env=env,
        capture_output=True,
        check=False,
        timeout=600,
    )
    assert not (project / "content" / CACHE_DIR_NAME).exists()


def test_project_root_is_the_current_folder_without_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_project_root([]) == tmp_path
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "_config.yml").write_text("title: x\n")
    assert find_project_root(["site"]) == tmp_path / "site"
    # paths with no common folder but the root: the root if it is a project, else here
    root_is_project = any((Path("/") / n).is_file() for n in ("pyproject.toml", "_config.yml"))
    assert find_project_root(["/", str(tmp_path)]) == (Path("/") if root_is_project else tmp_path)


def _stat(path: Path) -> os.stat_result:
    return os.stat(path)


def test_entries_hold_only_for_unchanged_files_and_past_dates(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("x", encoding="utf-8")
    age(path)
    cache = Cache.open(tmp_path / "c", "ctx")
    assert cache is not None
    now = time.time()
    st = _stat(path)
    cache.store(str(path), st, True, now, False, "[true,null,[]]", None, "")
    cache.store(str(tmp_path / "future.md"), st, True, now, True, "[true,null,[]]", None, "")
    cache.close()
    cache = Cache.open(tmp_path / "c", "ctx")
    assert cache is not None
    assert cache.lookup(str(path), st, True, now) is not None
    assert cache.lookup(str(path), st, False, now) is None  # named explicitly, or walked to
    # a result that depends on the time (NM501), or a run earlier than the entry: checked again
    assert cache.lookup(str(tmp_path / "future.md"), st, True, now + 7200) is None
    assert cache.lookup(str(path), st, True, now - 1) is None
    path.write_text("y", encoding="utf-8")  # same size, new times
    assert cache.lookup(str(path), _stat(path), True, now) is None
    assert (cache.hits, cache.misses) == (1, 4)
    # a file changed in the last seconds is not kept
    cache.store(str(path), _stat(path), True, now, False, "[true,null,[]]", None, "")
    cache.close()
    cache = Cache.open(tmp_path / "c", "ctx")
    assert cache is not None and cache.lookup(str(path), _stat(path), True, now) is None
    cache.close()
    assert Cache.open(tmp_path / "c", "other") is not None


def test_old_contexts_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("x", encoding="utf-8")
    age(path)
    for n in range(6):
        cache = Cache.open(tmp_path / "c", f"ctx{n}")
        assert cache is not None
        cache.store(str(path), _stat(path), True, time.time(), False, "[true,null,[]]", None, "")
        cache.close()
        time.sleep(0.01)
    db = sqlite3.connect(str(next((tmp_path / "c").glob("*.sqlite"))))
    kept = sorted(row[0] for row in db.execute("SELECT DISTINCT context FROM folders"))
    db.close()
    assert kept == ["ctx2", "ctx3", "ctx4", "ctx5"]


def test_broken_or_unwritable_cache_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    cache = Cache.open(folder, "ctx")
    assert cache is not None
    cache.close()
    db = next(folder.glob("*.sqlite"))
    db.write_bytes(b"not a database at all" * 100)
    cache = Cache.open(folder, "ctx")
    assert cache is not None  # made again
    cache.close()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert Cache.open(blocker / "c", "ctx") is None


def test_explicit_file_without_fence_and_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "notes.md").write_text("# no front matter\n", encoding="utf-8")
    (folder / "bad.md").write_bytes(b"---\ntitle: \xff\n---\n")
    age(*folder.iterdir())
    cache = tmp_path / "cache"
    for args in ([str(folder)], [str(folder / "notes.md")]):
        plain = run(*args, cache=None)
        same(plain, run(*args, cache=cache))
        same(plain, run(*args, cache=cache))


CLEAN = "[true,null,[]]"


def _files(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_text(f"---\ntitle: {name}\n---\n", encoding="utf-8")
        paths.append(path)
    age(*paths)
    return paths


def _open(folder: Path) -> Cache:
    cache = Cache.open(folder, "ctx")
    assert cache is not None
    return cache


def test_entries_of_folders_met_again_and_of_files_not_met(tmp_path: Path) -> None:
    a1, a2 = _files(tmp_path / "a", "1.md", "2.md")
    (b1,) = _files(tmp_path / "b", "1.md")
    now = time.time()
    cache = _open(tmp_path / "c")
    # a folder's entries are written when another folder's come; the first folder met again
    # (files named in any order) is read back and added to
    for path in (a1, b1, a2):
        cache.store(str(path), _stat(path), True, now, False, CLEAN, None, "")
    cache.close()
    cache = _open(tmp_path / "c")
    assert all(cache.lookup(str(p), _stat(p), True, now) is not None for p in (a1, a2, b1))
    cache.close()
    # a run that names one file keeps the entries of the others of its folder
    cache = _open(tmp_path / "c")
    assert cache.lookup(str(a1), _stat(a1), True, now) is not None
    cache.close()
    cache = _open(tmp_path / "c")
    assert cache.entry(str(a2)) is not None
    cache.close()
    # a run that lists the folder (the files were not named) drops the entries of files gone
    a2.unlink()
    cache = _open(tmp_path / "c")
    assert cache.lookup(str(a1), _stat(a1), False, now) is None  # (stored as named)
    cache.store(str(a1), _stat(a1), False, now, False, CLEAN, None, "")
    cache.close()
    cache = _open(tmp_path / "c")
    assert cache.entry(str(a2)) is None
    assert cache.lookup(str(a1), _stat(a1), False, now) is not None
    assert cache.entry(str(b1)) is not None
    cache.close()


def test_a_stale_entry_is_dropped_and_a_new_one_replaces_it(tmp_path: Path) -> None:
    (a,) = _files(tmp_path / "f", "a.md")
    now = time.time()
    cache = _open(tmp_path / "c")
    cache.store(str(a), _stat(a), True, now, False, "first", '{"f":1}', "site")
    cache.close()
    a.write_text("changed", encoding="utf-8")
    age(a)
    cache = _open(tmp_path / "c")
    assert cache.lookup(str(a), _stat(a), True, now, "site") is None  # stale: dropped at close
    cache.close()
    cache = _open(tmp_path / "c")
    assert cache.entry(str(a)) is None
    cache.store(str(a), _stat(a), True, now, True, "second", None, "site")
    cache.close()
    cache = _open(tmp_path / "c")
    entry = cache.entry(str(a))
    assert entry is not None
    assert (entry.result, entry.facts, entry.site, entry.clock, entry.explicit) == (
        "second",
        None,
        "site",
        True,
        True,
    )
    assert (entry.size, entry.mtime) == (_stat(a).st_size, _stat(a).st_mtime_ns)
    assert cache.lookup(str(a), _stat(a), True, now, "site") is None  # the clock: never reused
    cache.close()


def test_a_damaged_folder_row_is_as_if_empty(tmp_path: Path) -> None:
    a, b = _files(tmp_path / "f", "a.md", "b.md")
    now = time.time()
    cache = _open(tmp_path / "c")
    for path in (a, b):
        cache.store(str(path), _stat(path), True, now, False, CLEAN, None, "")
    cache.close()
    db = sqlite3.connect(str(tmp_path / "c" / "results-v6.sqlite"))
    rows = db.execute("SELECT folder, numbers, texts FROM folders").fetchall()
    assert [row[0] for row in rows] == [str(tmp_path / "f").encode()]
    for column, value in (
        ("numbers", b"\x01\x02\x03"),  # not whole numbers
        ("numbers", rows[0][1][:-72]),  # one file's numbers short
        ("texts", "not json"),
        ("texts", "[]"),  # indexes past the table
        ("texts", '{"a": 1}'),
    ):
        db.execute(f"UPDATE folders SET {column} = ?", (value,))
        db.commit()
        cache = _open(tmp_path / "c")
        assert cache.lookup(str(a), _stat(a), True, now) is None
        assert cache.entry(str(b)) is None
        cache.close()
        db.execute("UPDATE folders SET numbers = ?, texts = ?", (rows[0][1], rows[0][2]))
        db.commit()
    db.close()
    cache = _open(tmp_path / "c")
    assert cache.lookup(str(a), _stat(a), True, now) is not None
    cache.close()


def test_a_whole_run_is_replayed_until_a_file_or_folder_changes(tmp_path: Path) -> None:
    a, b = _files(tmp_path / "f", "a.md", "b.md")
    old = time.time_ns() - 3600 * 10**9
    os.utime(tmp_path / "f", ns=(old, old))
    now = time.time()
    out, err = Transcript(), Transcript()
    for text in ("a.md:1:1: NM101 é\n", "b.md: fine\n"):
        out.write(text)
    err.write("a warning\n")
    cache = _open(tmp_path / "c")
    stamps = [(str(p), *cache_stamp(p)) for p in (a, b)]
    folder = [(str(tmp_path / "f"), os.stat(tmp_path / "f").st_mtime_ns)]
    cache.record(
        "k", now=now, clock=False, code=1, stdout=out, stderr=err, folders=folder, files=stamps
    )
    cache.close()
    cache = _open(tmp_path / "c")
    assert cache.replay("k", now) == (1, "a.md:1:1: NM101 é\nb.md: fine\n", "a warning\n", 2)
    assert cache.replay("other", now) is None
    assert cache.replay("k", now - 60) is None  # a run earlier than the one recorded
    cache.close()
    os.utime(b, ns=(old + 1, old + 1))
    cache = _open(tmp_path / "c")
    assert cache.replay("k", now) is None
    cache.close()
    # a transcript past its limit, or stopped, keeps nothing: the run is not recorded
    long, stopped = Transcript(limit=10), Transcript()
    long.write("0123456789ab")
    stopped.write("x")
    stopped.stop()
    assert long.kept is None and stopped.kept is None
    cache = _open(tmp_path / "c")
    for transcript in (long, stopped):
        cache.record(
            "k2",
            now=now,
            clock=False,
            code=0,
            stdout=transcript,
            stderr="",
            folders=folder,
            files=stamps,
        )
    cache.close()
    cache = _open(tmp_path / "c")
    assert cache.replay("k2", now) is None
    cache.close()


def cache_stamp(path: Path) -> tuple[int, int, int, int]:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def test_databases_of_earlier_layouts_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "results-v5.sqlite").write_bytes(b"old")
    (folder / "notes.txt").write_text("mine")
    cache = _open(folder)
    cache.close()
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitignore",
        "CACHEDIR.TAG",
        "notes.txt",
        "results-v6.sqlite",
    ]


KIND = """import attrs
from newsmodel.model import URL, Item, extra_field, field

@attrs.frozen(kw_only=True)
class Meetup(Item):
    title: str = field("title", required=True)
    type: str | None = field("type")
    registration_url: str | None = field("{key}", meaning=URL)
    extra: dict = extra_field()
"""


def test_a_kind_of_the_settings_changed_or_a_package_installed_changes_the_context(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    (site / "_meetups").mkdir(parents=True)
    module = site / "site_kinds.py"
    module.write_text(KIND.format(key="registrationUrl"), encoding="utf-8")
    (site / "pyproject.toml").write_text(
        '[tool.newsmodel]\nkinds = { meetup = "site_kinds:Meetup" }\n'
        'folders = { "_meetups" = "meetup" }\n',
        encoding="utf-8",
    )
    summit = site / "_meetups" / "summit.md"
    summit.write_text(
        '---\ntitle: "Summit"\nregistrationUrl: "https://events.example.com/summit "\n---\n',
        encoding="utf-8",
    )
    age(module, summit, site / "pyproject.toml")
    cache = tmp_path / "cache"
    first = run("_meetups", cache=cache, cwd=site)
    again = run("_meetups", cache=cache, cwd=site)
    assert "NM" in first.stdout and unchanged(again) == 1
    same(first, again)
    # the kind's module edited (the field is another key now): checked again, as without cache
    module.write_text(KIND.format(key="signupUrl"), encoding="utf-8")
    age(module)
    edited = run("_meetups", cache=cache, cwd=site)
    assert unchanged(edited) == 0
    same(run("_meetups", cache=None, cwd=site), edited)
    assert edited.stdout != first.stdout
    # a package installed (a folder more in site-packages): a new context too
    packages = tmp_path / "venv" / "lib" / "site-packages"
    packages.mkdir(parents=True)
    env_path = {"PYTHONPATH": str(packages)}
    assert unchanged(run("_meetups", cache=cache, cwd=site, env=env_path)) == 0
    assert unchanged(run("_meetups", cache=cache, cwd=site, env=env_path)) == 1
    (packages / "plugin-1.0.dist-info").mkdir()
    os.utime(packages, ns=(time.time_ns() - 10**9, time.time_ns() - 10**9))
    assert unchanged(run("_meetups", cache=cache, cwd=site, env=env_path)) == 0


def test_replays_stop_once_a_settings_file_above_is_made(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "project" / "_news"
    folder.mkdir(parents=True)
    for name in ("a.md", "b.md"):  # one story twice: a duplicate, once in a site
        (folder / name).write_text(
            f"---\ntitle: {name}\nwebUrl: https://example.com/story\n---\n", encoding="utf-8"
        )
    age(*folder.iterdir(), folder, folder.parent)
    cache = tmp_path / "cache"
    # a _config.yml made above the folder: its files are a site's now (the duplicate is seen)
    before = run(str(folder), cache=cache)
    replayed = run(str(folder), cache=cache)
    assert "(the report of an earlier run)" in replayed.stderr and "NM702" not in before.stdout
    config = tmp_path / "project" / "_config.yml"
    config.write_text("title: x\n", encoding="utf-8")
    age(config)
    after = run(str(folder), cache=cache)
    assert "NM702" in after.stdout
    same(run(str(folder), cache=None), after)


def test_a_damaged_result_or_a_name_that_is_not_utf8_is_checked_again(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    bad = folder / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.md")
    with open(odd, "wb") as fh:
        fh.write(b"---\ntitle: Caf\xc3\xa9\nwebUrl: https://example.com/ \n---\n")
    age(bad, Path(os.fsdecode(odd)))
    cache = tmp_path / "cache"
    plain = run(str(folder), cache=None)
    assert "NM005" in plain.stdout
    same(plain, run(str(folder), cache=cache))
    same(plain, run(str(folder), cache=cache))  # (the names that are not UTF-8 are not kept)
    db = sqlite3.connect(str(cache / "results-v6.sqlite"))
    rows = db.execute("SELECT rowid, texts FROM folders").fetchall()
    assert rows
    for rowid, texts in rows:  # every result and facts text made unreadable
        damaged = ["{not json" if t.startswith("[") else t for t in json.loads(texts)]
        db.execute("UPDATE folders SET texts = ? WHERE rowid = ?", (json.dumps(damaged), rowid))
    db.execute("DELETE FROM runs")
    db.commit()
    db.close()
    again = run(str(folder), cache=cache)
    same(plain, again)
    assert checked(again) == 2


def test_a_cache_locked_by_another_run_is_left_alone(tmp_path: Path) -> None:
    cache = _open(tmp_path / "c")
    cache.close()
    holder = sqlite3.connect(str(tmp_path / "c" / "results-v6.sqlite"), timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert Cache.open(tmp_path / "c", "ctx") is None  # (after its 5 s wait)
    finally:
        holder.rollback()
        holder.close()
    assert (tmp_path / "c" / "results-v6.sqlite").stat().st_size > 0
    assert Cache.open(tmp_path / "c", "ctx") is not None


def test_a_file_list_gives_back_what_it_was_given() -> None:
    files = [(f"/site/_news/{i}-caf\udce9.md", i, i + 1, i + 2, i + 3) for i in range(5000)]
    listed = FileList()
    for path, *stamp in files:
        listed.append(path, stamp)
    assert len(listed) == 5000
    assert list(listed) == files  # (in batches: the separators between them too)
    assert list(FileList()) == []
