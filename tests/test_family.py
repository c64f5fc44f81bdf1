"""The whole format family, on the real files: ``../shared/family`` (6,261 files of every kind,
historical versions of three sites) and ``../shared/sites`` (a whole site with ``_config.yml``).

Every file loads as its kind, gives back its text byte for byte, and an edit of its title (or
name) changes one line; ``check`` reports no error that is not a real problem of the file (the
family's README lists them: six related ``webUrl``s with a space). The checks and edits run on a
fixed sample of each folder, so that the suite stays fast; loading covers every file.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
from pathlib import Path

import attrs
import pytest

import newsmodel as nm
from newsmodel.document import read_text
from newsmodel.model import Article, Collection, Forum, Newsletter, Organization, Profile

from .conftest import SHARED

FAMILY = SHARED / "family"
SITES = SHARED / "sites"
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
SUFFIXES = (".md", ".html")


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and p.name != "README.md")


FILES = _files(FAMILY) + _files(SITES)
needs_data = pytest.mark.skipif(
    not FILES, reason=f"the family's real files are not here ({FAMILY}, {SITES})"
)


def _sample(per_folder: int) -> list[Path]:
    by_folder: dict[Path, list[Path]] = collections.defaultdict(list)
    for path in FILES:
        by_folder[path.parent].append(path)
    rng = random.Random(10)
    out: list[Path] = []
    for folder in sorted(by_folder):
        files = by_folder[folder]
        out.extend(files if len(files) <= per_folder else rng.sample(files, per_folder))
    return out


@pytest.mark.slow
@needs_data
def test_every_file_loads_as_its_kind_and_round_trips() -> None:
    classes: collections.Counter[str] = collections.Counter()
    for path in FILES:
        text = read_text(path)
        doc = nm.loads(text, path=path)
        assert nm.dumps(doc) == text, path
        classes[type(doc.item).__name__] += 1
    # every file is of a kind the library knows: none is a GenericItem
    assert set(classes) == {c.__name__ for c in (Article, Profile, Collection, Organization)} | {
        Forum.__name__,
        Newsletter.__name__,
    }, classes


@needs_data
def test_an_edit_of_the_title_or_name_changes_one_line() -> None:
    for path in _sample(30):
        text = read_text(path)
        doc = nm.loads(text, path=path)
        name = "title" if getattr(doc.item, "title", None) is not None else "name"
        doc.item = attrs.evolve(doc.item, **{name: "An edited label"})
        before, after = text.splitlines(), nm.dumps(doc).splitlines()
        assert len(before) == len(after), path
        assert sum(a != b for a, b in zip(before, after, strict=True)) == 1, path


@needs_data
def test_check_reports_only_the_real_problems() -> None:
    # every file of everyday-azure-news (where the real problems are), a sample of the others
    files = sorted(set(_sample(80)) | set(_files(FAMILY / "everyday-azure-news")))
    errors = [p for path in files for p in nm.check_file(path, now=NOW) if p.is_error]
    assert {p.code for p in errors} == {"NM202"}
    assert len(errors) == 6
    for p in errors:
        assert p.file is not None and "everyday-azure-news" in p.file
        assert p.pointer is not None and p.pointer.startswith("$.related[")
        assert "PR Newswire" in p.message


@needs_data
def test_the_site_defaults_and_folders_decide_kinds() -> None:
    site = SITES / "microsoft-power-apps"
    people = sorted((site / "_people").glob("*.md"))
    assert people and all(type(nm.load(p).item) is Profile for p in people)
    early = sorted((FAMILY / "power-apps" / "_communities").glob("*.md"))
    without_type = [p for p in early if "\ntype:" not in read_text(p)]
    assert without_type and all(type(nm.load(p).item) is Forum for p in without_type)
