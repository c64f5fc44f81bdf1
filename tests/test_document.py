"""Unit tests of the foundation: loading, strict structuring, lossless dumping and edits."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from pathlib import Path

import attrs
import pytest

import newsmodel as nm
from newsmodel.yamlio import locate, node_at, parse_text

from .conftest import EXAMPLES

ARTICLE = (EXAMPLES / "ai-article.md").read_text(encoding="utf-8")
VIDEO_CRLF = (EXAMPLES / "canvas-video.md").read_bytes().decode("utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    """The -/+ lines of a diff (without headers)."""
    diff = difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
    return [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]


def edit(text: str, **changes: object) -> str:
    doc = nm.loads(text)
    doc.article = attrs.evolve(doc.article, **changes)
    return nm.dumps(doc)


# -- loading and the model ----------------------------------------------------------------------


def test_load_gives_typed_article() -> None:
    doc = nm.load(EXAMPLES / "ai-article.md")
    a = doc.article
    assert a.title.startswith("Example Lab")
    assert a.published_date_time == dt.datetime(2021, 3, 4, 10, 15, tzinfo=dt.timezone.utc)
    assert a.published_date_time.tzinfo is not None
    assert a.provider.domain == "example.com"
    assert a.topics == ("Machine Learning", "Weather")
    assert isinstance(a.images, tuple) and a.images[0].is_cached is True
    assert a.related is not None and a.related[0].provider is not None
    assert a.original_url is None and a.ratings is None
    assert doc.body == "\nThe body is Markdown and is kept exactly as written.\n"
    assert doc.path == str(EXAMPLES / "ai-article.md")


def test_models_are_frozen_and_keyword_only() -> None:
    image = nm.Image(url="https://example.com/a.jpg", width=1, height=2)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        image.width = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        nm.Image("https://example.com/a.jpg")  # type: ignore[misc]


def test_unstructure_uses_file_keys_in_format_order() -> None:
    article = nm.loads(ARTICLE).article
    data = nm.unstructure(article)
    assert list(data)[:4] == ["category", "title", "excerpt", "publishedDateTime"]
    assert "web_url" not in data and data["webUrl"].startswith("https://")
    assert data["images"][0]["isCached"] is True
    assert nm.structure(data) == article
    assert article.to_dict() == data and nm.Article.from_dict(data) == article


def test_unknown_keys_are_kept_and_written_back_in_place() -> None:
    text = ARTICLE.replace("heat: 12\n", "heat: 12\nmyCustomKey: [1, 2]  # mine\n")
    doc = nm.loads(text)
    assert doc.article.extra == {"myCustomKey": [1, 2]}
    assert nm.dumps(doc) == text
    after = edit(text, heat=13)
    assert changed_lines(text, after) == ["-heat: 12\n", "+heat: 13\n"]
    nested = ARTICLE.replace("  domain: example.com\n", "  domain: example.com\n  twitter: ex\n")
    assert nm.loads(nested).article.provider.extra == {"twitter": "ex"}


@pytest.mark.parametrize(
    ("yaml", "pointer", "expected"),
    [
        ("published: 'false'", "$.published", "true or false"),
        ('published: "yes"', "$.published", "true or false"),
        ("quality: 3.7", "$.quality", "an integer"),
        ("quality: '64'", "$.quality", "an integer"),
        ("heat: true", "$.heat", "an integer"),
        ("topics: AI", "$.topics", "a list"),
        ("title: 123", "$.title", "a string"),
    ],
)
def test_no_silent_coercion(yaml: str, pointer: str, expected: str) -> None:
    key = yaml.split(":")[0]
    text = ARTICLE.replace("topics:\n  - Machine Learning\n  - Weather\n", "")
    lines = [ln for ln in text.splitlines(True) if not ln.startswith(f"{key}:")]
    lines.insert(2, yaml + "\n")
    with pytest.raises(nm.StructureError) as info:
        nm.loads("".join(lines))
    err = info.value
    assert err.pointer == pointer
    assert expected in str(err)
    assert err.line == 3 and err.column == len(key) + 3
    assert isinstance(err, nm.NewsModelError)


@pytest.mark.parametrize(
    ("yaml", "shown"), [("published: 1", "the integer 1"), ("published: 0", "the integer 0")]
)
def test_planted_bug_integer_is_not_a_bool_published_1_does_not_load_as_true(
    yaml: str, shown: str
) -> None:
    """Planted bug (issue 15): a strict bool hook that lets an int through loads
    ``published: 1`` as ``True``. YAML 1.2 and 1.1 both read ``1`` as an integer, not a bool."""
    text = ARTICLE.replace("published: true\n", yaml + "\n")
    assert text != ARTICLE
    with pytest.raises(nm.StructureError) as info:
        nm.loads(text)
    err = info.value
    assert [p.code for p in err.problems] == ["NM100"]
    assert err.pointer == "$.published"
    assert str(err.problems[0].message) == f"Expected true or false, got {shown}."
    line = text.splitlines().index(yaml) + 1
    assert (err.line, err.column) == (line, len("published: ") + 1)


def test_structure_errors_are_all_reported_with_yaml_key_names(tmp_path: Path) -> None:
    text = ARTICLE.replace("    width: 1200", '    width: "1200"').replace(
        "    isCached: true", "    isCached: yes please"
    )
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(nm.StructureError) as info:
        nm.load(path)
    problems = info.value.problems
    assert [p.pointer for p in problems] == ["$.images[0].width", "$.images[0].isCached"]
    width_line = text.splitlines().index('    width: "1200"') + 1
    assert (problems[0].line, problems[0].column) == (width_line, 12)
    assert info.value.file == str(path)
    assert str(path) in str(info.value) and "images[0].width" in str(info.value)


def test_missing_required_key_points_at_its_mapping() -> None:
    text = ARTICLE.replace("  name: Example News\n", "")
    with pytest.raises(nm.StructureError) as info:
        nm.loads(text)
    assert info.value.code == "NM101"
    assert info.value.pointer == "$.provider.name"
    assert info.value.line == text.splitlines().index("provider:") + 1


def test_structure_of_plain_data_reports_paths() -> None:
    data = nm.unstructure(nm.loads(ARTICLE).article)
    data["images"][0]["width"] = 3.5
    data["related"][0]["provider"] = []
    with pytest.raises(nm.StructureError) as info:
        nm.structure(data)
    assert {p.pointer for p in info.value.problems} == {
        "$.images[0].width",
        "$.related[0].provider",
    }


def test_naive_and_date_only_timestamps_are_refused() -> None:
    for value in ("2021-03-04T10:15:00", "2021-03-04", '"2021-03-04T10:15:00Z"'):
        text = ARTICLE.replace(
            "publishedDateTime: 2021-03-04T10:15:00Z", f"publishedDateTime: {value}"
        )
        with pytest.raises(nm.StructureError) as info:
            nm.loads(text)
        assert info.value.pointer == "$.publishedDateTime"


def test_yaml_problems_are_located() -> None:
    text = ARTICLE.replace("heat: 12\n", "heat: 12\nheat: 13\n")
    with pytest.raises(nm.YAMLError) as info:
        nm.loads(text)
    assert info.value.code == "NM007"
    assert info.value.line == text.splitlines().index("heat: 13") + 1
    with pytest.raises(nm.FrontMatterError):
        nm.loads("no front matter here\n")
    with pytest.raises(nm.FrontMatterError):
        nm.loads("---\ntitle: x\n")


# -- the round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.md")))
def test_examples_round_trip_byte_for_byte(name: str, tmp_path: Path) -> None:
    source = EXAMPLES / name
    out = tmp_path / name
    nm.dump(nm.load(source), out)
    assert out.read_bytes() == source.read_bytes()


def test_bom_and_crlf_survive() -> None:
    text = "\ufeff" + VIDEO_CRLF
    assert nm.dumps(nm.loads(text)) == text
    after = edit(text, heat=41, images=None)
    assert after.startswith("\ufeff---\r\n")
    assert "\n" not in after.replace("\r\n", "")
    assert "heat: 41\r\n" in after


# -- edits change only what they must -----------------------------------------------------------


def test_changed_scalar_keeps_its_quoting() -> None:
    after = edit(ARTICLE, title='A "new" title: with colon')
    assert changed_lines(ARTICLE, after) == [
        '-title: "Example Lab Publishes an Open Dataset for Weather Forecasting"\n',
        '+title: "A \\"new\\" title: with colon"\n',
    ]
    single = ARTICLE.replace('\ntitle: "Example Lab', "\ntitle: 'Example Lab").replace(
        'Forecasting"\nexcerpt', "Forecasting'\nexcerpt"
    )
    assert changed_lines(single, edit(single, title="It's new")) == [
        "-title: 'Example Lab Publishes an Open Dataset for Weather Forecasting'\n",
        "+title: 'It''s new'\n",
    ]
    plain = (EXAMPLES / "data-course.md").read_text(encoding="utf-8")
    assert changed_lines(plain, edit(plain, web_url="https://learn.example.com/x")) == [
        "-webUrl: https://learn.example.com/modules/model-data/\n",
        "+webUrl: https://learn.example.com/x\n",
    ]
    # a plain scalar that would read back as something else gets quoted
    assert '+price: "true"\n' in changed_lines(plain, edit(plain, price="true"))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"published": False}, ["-published: true\n", "+published: false\n"]),
        ({"heat": -1}, ["-heat: 12\n", "+heat: -1\n"]),
        (
            {"published_date_time": dt.datetime(2021, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)},
            [
                "-publishedDateTime: 2021-03-04T10:15:00Z\n",
                "+publishedDateTime: 2021-05-06T07:08:09Z\n",
            ],
        ),
        (
            {
                "published_date_time": dt.datetime(
                    2021, 5, 6, 7, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=2))
                )
            },
            [
                "-publishedDateTime: 2021-03-04T10:15:00Z\n",
                "+publishedDateTime: 2021-05-06T07:08:09+02:00\n",
            ],
        ),
        ({"published": None}, ["-published: true\n"]),
        (
            {"original_url": "https://www.example.com/o"},
            ['+originalUrl: "https://www.example.com/o"\n'],
        ),
        ({"topics": ("Machine Learning",)}, ["-  - Weather\n"]),
        ({"topics": ("Machine Learning", "Weather", "Climate")}, ["+  - Climate\n"]),
    ],
)
def test_edits_touch_only_their_lines(changes: dict[str, object], expected: list[str]) -> None:
    assert changed_lines(ARTICLE, edit(ARTICLE, **changes)) == expected


def test_new_optional_field_goes_to_its_usual_place() -> None:
    after = edit(ARTICLE, original_url="https://www.example.com/o")
    lines = after.splitlines()
    assert lines[lines.index('originalUrl: "https://www.example.com/o"') - 1].startswith("webUrl:")
    after = edit(ARTICLE, featured_content="<p>x</p>")
    lines = after.splitlines()
    i = lines.index('featuredContent: "<p>x</p>"')
    assert lines[i - 2 : i + 3] == [
        "published: true",
        "",
        'featuredContent: "<p>x</p>"',
        "",
        "provider:",
    ]


def test_appending_and_removing_list_items() -> None:
    doc = nm.loads(ARTICLE)
    a = doc.article
    assert a.images is not None and a.related is not None
    image = nm.Image(url="https://images.example.com/second.jpg", width=10, height=20)
    after = edit(ARTICLE, images=(*a.images, image))
    assert changed_lines(ARTICLE, after) == [
        '+  - url: "https://images.example.com/second.jpg"\n',
        "+    width: 10\n",
        "+    height: 20\n",
    ]
    after = edit(ARTICLE, related=())
    assert "related: []\n" in after
    after = edit(ARTICLE, related=None)
    assert "related" not in after
    assert "\n\n\n" not in after  # the blank line between sections is not doubled
    nested = attrs.evolve(a.images[0], width=1300)
    assert changed_lines(ARTICLE, edit(ARTICLE, images=(nested,))) == [
        "-    width: 1200\n",
        "+    width: 1300\n",
    ]


def test_nested_edit_keeps_indentation_of_the_file() -> None:
    text = ARTICLE.replace('\n  - url: "https://images', '\n- url: "https://images').replace(
        "    width: 1200\n    height: 630\n    isCached: true\n    title:",
        "  width: 1200\n  height: 630\n  isCached: true\n  title:",
    )
    a = nm.loads(text).article
    assert a.images is not None
    extra = nm.Image(url="https://images.example.com/b.jpg", width=5)
    after = edit(text, images=(*a.images, extra))
    assert changed_lines(text, after) == [
        '+- url: "https://images.example.com/b.jpg"\n',
        "+  width: 5\n",
    ]


def test_document_from_scratch_looks_like_the_seed(seed_text: str) -> None:
    seed = nm.loads(seed_text)
    made = nm.dumps(nm.Document(article=seed.article, body=seed.body))
    assert made == seed_text


def test_document_from_scratch_reads_back() -> None:
    article = nm.loads(ARTICLE).article
    text = nm.dumps(nm.Document(article=article, body="\nHi\n"))
    assert text.startswith("---\ncategory: news\ntitle: ")
    assert nm.loads(text).article == article


def test_body_edit_keeps_front_matter() -> None:
    doc = nm.loads(VIDEO_CRLF)
    doc.body = "New body\r\n"
    assert nm.dumps(doc) == VIDEO_CRLF + "New body\r\n"


# -- atomic writes -------------------------------------------------------------------------------


def test_dump_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text(ARTICLE, encoding="utf-8")
    os.chmod(target, 0o640)
    doc = nm.load(target)
    doc.article = attrs.evolve(doc.article, heat=99)
    nm.dump(doc, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert "heat: 99\n" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_failed_dump_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    target.write_text(ARTICLE, encoding="utf-8")
    doc = nm.load(target)
    doc.article = attrs.evolve(doc.article, heat=99)

    def boom(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        nm.dump(doc, target)
    assert target.read_text(encoding="utf-8") == ARTICLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


# -- locating paths in the tree -------------------------------------------------------------------

LOCATE_TEXT = "---\ntitle: T\nimages:\n  - url: u\n    width: 5\ntopics: [A, B]\n---\n"


def test_locate_stops_at_the_deepest_part_that_exists() -> None:
    parsed = parse_text(LOCATE_TEXT)
    root = parsed.root
    assert parsed.ok and root is not None
    assert locate(root, ["images", 0, "width"]) == (5, 12)
    assert locate(root, ["images", 0, "width"], key=True) == (5, 5)
    assert locate(root, ["nope"]) == (2, 1)  # the mapping that lacks it
    assert locate(root, ["images", 3]) == (4, 3)  # no such item: the list (its first dash)
    assert locate(root, ["title", 0]) == (2, 8)  # not a list: the scalar itself
    assert locate(root, ["topics", 1]) == (6, 13)
    assert node_at(root, ["images", 9]) is None
    assert node_at(root, ["title", "x"]) is None
    node = node_at(root, ["images", 0, "width"])
    assert node is not None and node.plain() == 5
