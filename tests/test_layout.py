"""The Jekyll layout of a site: collections, defaults, excludes and references (newsmodel.layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmodel.errors import NewsModelError
from newsmodel.layout import SiteConfigError, SiteLayout

from .conftest import SHARED

SITE = SHARED / "sites" / "microsoft-power-apps"


def need_site() -> Path:
    if not (SITE / "_config.yml").is_file():
        pytest.skip(f"the real site is not at {SITE} (it lives in ../shared/sites)")
    return SITE


def make_site(tmp_path: Path, config: str, files: dict[str, str] | None = None) -> SiteLayout:
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    for rel, text in (files or {}).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return SiteLayout.load(tmp_path)


# -- the real site ---------------------------------------------------------------------------


def test_real_site_collections_declared_and_found() -> None:
    layout = SiteLayout.load(need_site())
    by_label = {c.label: c for c in layout.collections}
    # declared in _config.yml
    assert by_label["people"].declared and by_label["people"].folder == "_people"
    # not declared there (a remote theme does): found from the folders that exist
    for label in ("news", "learning", "samples", "communities"):
        assert by_label[label].folder == f"_{label}"
        assert not by_label[label].declared
    assert "data" not in by_label  # the data folder is not a collection
    assert layout.collection_of("_people/april-dunnam.md") == "people"
    assert layout.collection_of("_learning/videos/x.md") == "learning"
    assert layout.collection_of("_data/organizations/amazon.com.md") is None


def test_real_site_defaults_from_anchors_and_merge_keys() -> None:
    layout = SiteLayout.load(need_site())
    people = layout.defaults_for("_people/april-dunnam.md")
    # values come from `<<: *default_people_settings`
    assert people["type"] == "profile"
    assert people["permalink"] == "/api/people/:path/index.json"
    # the longer path scope wins over the type scope
    coll = layout.defaults_for("_people/collections/top.md")
    assert coll["type"] == "collection" and coll["layout"] == "collection"
    assert coll["deleted"] is False  # kept from the type scope
    assert "type" not in layout.defaults_for("_news/2020-01-01-x.md")
    assert layout.defaults_for("api/videos/page1/index.md")["support_paging"] is True
    assert layout.defaults_for("api/videos.md") == {}


def test_real_site_every_file_has_its_reference_and_resolves() -> None:
    root = need_site()
    layout = SiteLayout.find(root / "_learning" / "videos")
    assert layout is not None and layout.root == root
    files = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".html"))
    assert len(files) > 800
    for path in files:
        rel = path.relative_to(root).as_posix()
        assert not layout.is_excluded(rel), rel
        keys = layout.reference_keys(rel)
        assert keys, rel
        for key in keys:
            assert path in layout.resolve(key), (rel, key)


def test_real_site_collection_items_resolve() -> None:
    root = need_site()
    layout = SiteLayout.load(root)
    assert layout.resolve("videos/april-dunnam-3-uses-for-power-apps-timer-controls") == [
        root / "_learning/videos/april-dunnam-3-uses-for-power-apps-timer-controls.md"
    ]
    assert layout.resolve("learning/videos/april-dunnam-3-uses-for-power-apps-timer-controls")
    assert layout.resolve("organizations/amazon.com") == [
        root / "_data/organizations/amazon.com.md"
    ]
    assert layout.resolve("videos/no-such-video") == []
    assert layout.resolve("../_config") == []
    assert layout.resolve("") == []


def test_real_site_excludes() -> None:
    layout = SiteLayout.load(need_site())
    assert layout.is_excluded("README.md")  # in `exclude`
    assert layout.is_excluded("Gemfile.lock")  # a Jekyll default exclude
    assert layout.is_excluded("_config.yml")
    assert layout.is_excluded(".github/x.md")
    assert not layout.is_excluded(".htaccess")  # in `include`
    assert not layout.is_excluded("about.md")


# -- hand-made configurations ----------------------------------------------------------------


def test_find_returns_none_without_config(tmp_path: Path) -> None:
    assert SiteLayout.find(tmp_path) is None
    assert SiteLayout.find(tmp_path / "missing.md") is None


def test_load_without_config_is_bare_jekyll(tmp_path: Path) -> None:
    (tmp_path / "_news").mkdir()
    layout = SiteLayout.load(tmp_path)
    assert layout.config_file is None
    assert layout.collection_of("_news/a.md") == "news"
    assert layout.defaults_for("_news/a.md") == {}


def test_collections_list_and_collections_dir(tmp_path: Path) -> None:
    layout = make_site(
        tmp_path,
        "collections_dir: my_coll\ncollections: [staff, 'odd name!']\n"
        "defaults:\n  - scope: {path: my_coll/_staff}\n    values: {a: 1}\n"
        "  - scope: {path: '', type: staff}\n    values: {b: 2}\n",
        {"my_coll/_staff/x.md": "", "my_coll/_extra/y.md": "", "_root/z.md": ""},
    )
    labels = {c.label: c.folder for c in layout.collections}
    assert labels["staff"] == "my_coll/_staff"
    assert labels["oddname"] == "my_coll/_oddname"
    assert labels["extra"] == "my_coll/_extra"  # exists, undeclared
    assert labels["posts"] == "my_coll/_posts"
    assert "root" not in labels  # outside the collections folder
    assert layout.collection_of("my_coll/_staff/x.md") == "staff"
    assert layout.collection_of("_staff/x.md") is None
    # scope paths are matched without the collections folder, as Jekyll strips it
    assert layout.defaults_for("my_coll/_staff/x.md") == {"a": 1, "b": 2}
    assert layout.resolve("extra/y") == [tmp_path / "my_coll/_extra/y.md"]
    assert layout.reference_keys("my_coll/_staff/x.md") == ("x", "staff/x")
    assert layout.is_excluded("_root/z.md")


def test_defaults_precedence_as_jekyll(tmp_path: Path) -> None:
    layout = make_site(
        tmp_path,
        """
defaults:
  - scope: {path: ""}
    values: {layout: default, nested: {a: 1, b: 1}}
  - scope: {path: "_posts/deep"}
    values: {layout: deep, nested: {b: 3}}
  - scope: {path: "_posts", type: posts}
    values: {layout: posts, extra: yes, nested: {b: 2, c: 2}}
  - scope: {path: "_posts", type: post}
    values: {later: on}
  - scope: {path: "_posts"}
    values: {layout: untyped, untyped: true}
  - scope: {type: pages}
    values: {page: true}
  - values: {everywhere: 1}
  - scope: {path: "x"}
    values: not a mapping
  - just a string
""",
    )
    # the longest scope path wins whatever its place in the list; YAML 1.1 booleans
    got = layout.defaults_for("_posts/deep/2020-01-01-a.md")
    assert got["layout"] == "deep"
    assert got["nested"] == {"a": 1, "b": 3, "c": 2}
    assert got["extra"] is True and got["later"] is True
    # same length: a typed scope beats an untyped one that comes later only where typed
    got = layout.defaults_for("_posts/2020-01-01-a.md")
    assert got["layout"] == "posts" and got["untyped"] is True
    assert layout.defaults_for("about.md") == {
        "layout": "default",
        "nested": {"a": 1, "b": 1},
        "page": True,
        "everywhere": 1,
    }
    assert layout.collection_of("_drafts/a.md") == "posts"


def test_defaults_globs(tmp_path: Path) -> None:
    layout = make_site(
        tmp_path,
        """
defaults:
  - scope: {path: "section/*/special-*.md"}
    values: {special: true}
  - scope: {path: "/assets/**/{a,b}[0-9].md"}
    values: {ab: true}
  - scope: {path: "docs/*"}
    values: {docs: true}
""",
    )
    assert layout.defaults_for("section/one/special-page.md") == {"special": True}
    assert layout.defaults_for("section/one/two/special-page.md") == {}
    assert layout.defaults_for("assets/x/y/a1.md") == {"ab": True}
    assert layout.defaults_for("assets/b2.md") == {"ab": True}
    assert layout.defaults_for("assets/c2.md") == {}
    assert layout.defaults_for("docs/sub/page.md") == {"docs": True}  # under a matched folder
    assert layout.defaults_for("docs.md") == {}
    assert layout.defaults_for("_data/x.md") == {}  # Jekyll applies no defaults to data


def test_exclude_include_and_special_names(tmp_path: Path) -> None:
    layout = make_site(
        tmp_path,
        "exclude: [drafts, '*.tmp.md', vendor]\ninclude: [_pages, .well-known, drafts/keep.md, keep.tmp.md]\n"
        "collections: {books: {output: true}}\n",
        {"_pages/a.md": "", "_books/b.md": "", "_layouts/post.html": ""},
    )
    assert layout.is_excluded("drafts/a.md")
    # an excluded folder is not entered, as in Jekyll: a file named in `include` stays out
    assert layout.is_excluded("drafts/keep.md")
    assert not layout.is_excluded("keep.tmp.md")  # include beats exclude
    assert layout.is_excluded("notes.tmp.md")
    assert layout.is_excluded("vendor/x.md")
    assert not layout.is_excluded("sub/vendor/x.md")  # exclude paths start at the root
    assert layout.is_excluded("node_modules/pkg/readme.md")  # Jekyll default exclude
    assert not layout.is_excluded("_pages/a.md")  # an included underscore folder: pages
    assert layout.collection_of("_pages/a.md") is None
    assert layout.is_excluded("_layouts/post.html")  # reserved, not a collection
    assert layout.collection_of("_layouts/post.html") is None
    assert not layout.is_excluded(".well-known/x.md")
    assert layout.is_excluded("docs/.hidden.md")
    assert layout.is_excluded("docs/#scratch.md")
    assert layout.is_excluded("docs/page.md~")
    assert layout.is_excluded("docs/_partial/x.md")
    assert not layout.is_excluded("_books/b.md")
    assert layout.is_excluded("_books/_draft.md")
    assert layout.is_excluded("_books/sub/.x.md")
    assert not layout.is_excluded("_data/orgs/a.md")
    assert layout.is_excluded("_data/.orgs/a.md")


def test_exclude_of_a_collection_folder(tmp_path: Path) -> None:
    layout = make_site(tmp_path, "exclude: [_books/old]\n", {"_books/old/a.md": ""})
    assert layout.is_excluded("_books/old/a.md")
    assert not layout.is_excluded("_books/new/a.md")


def test_reference_to_a_collection_of_its_own_name(tmp_path: Path) -> None:
    layout = make_site(
        tmp_path,
        "collections: [videos]\n",
        {"_videos/a.md": "", "_learning/videos/b.html": "", "_learning/videos/c.md": ""},
    )
    assert layout.resolve("videos/a") == [tmp_path / "_videos/a.md"]
    assert layout.resolve("videos/b") == [tmp_path / "_learning/videos/b.html"]
    assert layout.resolve("videos/c.md") == [tmp_path / "_learning/videos/c.md"]
    assert layout.reference_keys("_videos/a.md") == ("a", "videos/a")
    assert layout.reference_keys("about.md") == ()
    assert layout.reference_keys("_videos/a.txt") == ()
    assert "_learning/videos/x.md" in layout.candidates("videos/x")


@pytest.mark.parametrize(
    ("config", "line", "column", "pointer", "words"),
    [
        ("title: x\ncollections: [\n", 3, 1, "$", "not valid YAML"),
        ("- a\n- b\n", 1, 1, "$", "must be a mapping"),
        ("title: x\ncollections: 3\n", 2, 1, "$.collections", "mapping or a list"),
        ("collections:\n  - [a]\n", 2, 5, "$.collections[0]", "must be a string"),
        ("defaults: {a: 1}\n", 1, 1, "$.defaults", "must be a list"),
        ("defaults:\n  - scope: [a]\n    values: {}\n", 2, 5, "$.defaults[0].scope", "scope"),
        ("exclude: {a: 1}\n", 1, 1, "$.exclude", "list of paths"),
        ("exclude:\n  - a\n  - {b: 1}\n", 3, 5, "$.exclude[1]", "entry"),
        ("collections_dir: [x]\n", 1, 1, "$.collections_dir", "folder name"),
        ("a: *nowhere\n", 1, 4, "$", "not valid YAML"),
    ],
)
def test_bad_config_is_a_located_error(
    tmp_path: Path, config: str, line: int, column: int, pointer: str, words: str
) -> None:
    with pytest.raises(SiteConfigError) as info:
        make_site(tmp_path, config)
    err = info.value
    assert isinstance(err, NewsModelError)
    assert err.code == "NM700"
    assert err.file == str(tmp_path / "_config.yml")
    assert (err.line, err.column, err.pointer) == (line, column, pointer)
    assert words in str(err)


def test_unreadable_config(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_bytes(b"title: \xff\n")
    with pytest.raises(SiteConfigError, match="not UTF-8"):
        SiteLayout.load(tmp_path)


def test_duplicate_keys_keep_the_last_and_yaml_11(tmp_path: Path) -> None:
    layout = make_site(tmp_path, "title: a\ntitle: b\nflag: off\nempty:\n")
    assert layout.config["title"] == "b"
    assert layout.config["flag"] is False


def test_empty_config_and_from_text(tmp_path: Path) -> None:
    assert make_site(tmp_path, "").config == {}
    layout = SiteLayout.from_text(tmp_path, "collections: {talks: {}}\n")
    assert layout.collection_of("_talks/a.md") == "talks"


@pytest.mark.parametrize(
    ("glob", "path", "applies"),
    [
        ("p?ge*.md", "page1.md", True),
        ("p?ge*.md", "pa/e1.md", False),
        ("[!a]*.md", "b.md", True),
        ("[!a]*.md", "a.md", False),
        ("x[*.md", "x[1.md", True),
        ("x{*.md", "x{1.md", True),
        ("**/deep*.md", "a/b/deep1.md", True),
    ],
)
def test_glob_scope_syntax(tmp_path: Path, glob: str, path: str, applies: bool) -> None:
    layout = SiteLayout.from_text(
        tmp_path, f"defaults:\n  - scope: {{path: '{glob}'}}\n    values: {{hit: 1}}\n"
    )
    assert (layout.defaults_for(path) == {"hit": 1}) is applies


def test_a_site_is_read_once_until_its_config_or_folders_change(tmp_path: Path) -> None:
    first = make_site(tmp_path, "collections: [talks]\n")
    assert SiteLayout.load(tmp_path) is first  # asked again (once per folder of a walk)
    (tmp_path / "_config.yml").write_text("collections: [books, more]\n", encoding="utf-8")
    second = SiteLayout.load(tmp_path)
    assert second is not first and second.collection_of("_books/a.md") == "books"
    (tmp_path / "_extra").mkdir()
    third = SiteLayout.load(tmp_path)
    assert third is not second and "extra" in {c.label for c in third.collections}
