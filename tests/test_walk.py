"""Finding the files to check: order, hidden entries, excludes, links, unreadable entries."""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmodel.cli._fix import run_fix
from newsmodel.cli._walk import walk
from newsmodel.config import Config
from newsmodel.problems import Problem


def _touch(path: Path, text: str = "---\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _messages(items: list[tuple[str, bool] | Problem]) -> list[tuple[str, str]]:
    return [(i.file or "", i.message) for i in items if isinstance(i, Problem)]


def test_sorted_depth_first_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    for name in ("b.md", "a.md", "notes.txt", ".hidden.md", "sub/c.md", ".git/d.md", "z/e.md"):
        _touch(tmp_path / name)
    assert list(walk([str(tmp_path)])) == [
        (str(tmp_path / "a.md"), False),
        (str(tmp_path / "b.md"), False),
        (str(tmp_path / "sub" / "c.md"), False),
        (str(tmp_path / "z" / "e.md"), False),
    ]


def test_explicit_file_is_kept_unless_excluded(tmp_path: Path) -> None:
    keep = _touch(tmp_path / "keep.txt")
    drop = _touch(tmp_path / "drop.md")
    items = list(walk([str(keep), str(drop)], excluded=lambda p: p.endswith("drop.md")))
    assert items == [(str(keep), True)]


def test_current_folder_is_walked_even_if_excluded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _touch(tmp_path / "a.md")
    monkeypatch.chdir(tmp_path)
    assert list(walk(["."], excluded=lambda p: p == ".")) == [(os.path.join(".", "a.md"), False)]


def test_broken_links_only_reported_for_markdown(tmp_path: Path) -> None:
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "gone-dir").symlink_to(tmp_path / "missing-dir")
    items = list(walk([str(tmp_path)]))
    assert _messages(items) == [
        (str(tmp_path / "gone.md"), "The file cannot be read: No such file or directory.")
    ]
    assert len(items) == 1


def test_linked_folder_reached_twice_is_walked_once(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    _touch(shared / "x.md")
    top = tmp_path / "top"
    top.mkdir()
    (top / "a").symlink_to(shared)
    (top / "b").symlink_to(shared)
    assert list(walk([str(top)], follow_symlinks=True)) == [(str(top / "a" / "x.md"), False)]
    assert list(walk([str(top)])) == []  # links to folders are not followed by default


def test_link_back_to_a_folder_above_is_a_loop(tmp_path: Path) -> None:
    _touch(tmp_path / "top" / "sub" / "x.md")
    (tmp_path / "top" / "sub" / "up").symlink_to(tmp_path / "top")
    items = list(walk([str(tmp_path / "top")], follow_symlinks=True))
    assert items[1] == (str(tmp_path / "top" / "sub" / "x.md"), False)
    assert _messages(items) == [
        (str(tmp_path / "top" / "sub" / "up"), "The symbolic link loops back to a folder above it.")
    ]


def test_unreadable_subfolder_is_a_problem_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # permission bits do not stop root: simulate the refusal of one folder's listing
    _touch(tmp_path / "a" / "x.md")
    _touch(tmp_path / "b" / "y.md")
    real = os.scandir
    locked = str(tmp_path / "a")

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if path == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(walk([str(tmp_path)]))
    assert items == [
        Problem(
            code="NM001",
            severity="error",
            message="The folder cannot be read: Permission denied.",
            line=1,
            column=1,
            file=locked,
        ),
        (str(tmp_path / "b" / "y.md"), False),
    ]


def test_socket_named_md_is_not_loadable_for_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    path = folder / "x.md"
    if len(str(path)) > 100:
        pytest.skip("the temporary folder's path is too long for a Unix socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
        status = run_fix(
            paths=[str(folder)],
            config=Config(),
            diff=False,
            check=False,
            quiet=False,
            verbose=False,
            follow_symlinks=False,
            out=io.StringIO(),
        )
    finally:
        sock.close()
    assert status == 1
    err = capsys.readouterr().err
    assert f"{path}:1:1: NM001" in err
    assert err.endswith("0 files fixed, 1 checked, 1 not loadable\n")


def test_a_site_is_walked_as_jekyll_reads_it(tmp_path: Path) -> None:
    _touch(tmp_path / "_config.yml", "exclude:\n  - drafts\n  - README.md\n")
    for name in (
        "_people/ada.md",
        "_newsletters/2021-01-01.html",
        "_data/organizations/example.com.md",
        "index.markdown",
        "README.md",
        "drafts/wip.md",
        "_site/people/ada/index.html",
        "_layouts/post.html",
        "node_modules/x/readme.md",
        "assets/style.css",
    ):
        _touch(tmp_path / name)
    assert [p for p, _explicit in walk([str(tmp_path)])] == [  # type: ignore[misc]
        str(tmp_path / "index.markdown"),
        str(tmp_path / "_data" / "organizations" / "example.com.md"),
        str(tmp_path / "_newsletters" / "2021-01-01.html"),
        str(tmp_path / "_people" / "ada.md"),
    ]


def test_files_without_front_matter_are_not_reported(tmp_path: Path) -> None:
    from newsmodel.cli import run

    _touch(tmp_path / "README.md", "# A site\n")
    _touch(tmp_path / "page.html", "<html></html>\n")
    _touch(tmp_path / "_people" / "ada.md", '---\nname: "Ada"\ntype: profile\n---\n')
    out = tmp_path / "report.json"
    code = run(
        ["check", "--isolated", "--no-cache", "--format", "json", "-o", str(out), str(tmp_path)]
    )
    assert code == 0, out.read_text(encoding="utf-8")
    assert "README" not in out.read_text(encoding="utf-8")
