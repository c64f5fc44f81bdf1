"""Schema of other models, error pickling, locating paths that do not exist, config details."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

from newsmodel.config import ConfigError, load_config, matches_glob, read_config
from newsmodel.errors import DocumentError, StructureError
from newsmodel.problems import Problem
from newsmodel.schema import json_schema
from newsmodel.yamlio import locate, node_at, parse_text

# -- schema of a model other than Article ---------------------------------------------------


@attrs.frozen(kw_only=True)
class _Inner:
    """An inner model."""

    n: int = attrs.field(default=0, metadata={"key": "n"})


@attrs.frozen(kw_only=True)
class _Odd:
    """A model with the annotations the format's own models do not use."""

    either: int | str = attrs.field(metadata={"key": "either"})
    when: dt.datetime | dt.date | None = attrs.field(default=None, metadata={"key": "when"})
    num_or_inner: int | _Inner = attrs.field(default=0, metadata={"key": "numOrInner"})
    counts: list[int] = attrs.field(factory=list, metadata={"key": "counts"})
    anything: Any = attrs.field(default=None, metadata={"key": "anything"})


@attrs.frozen(kw_only=True)
class _Optional:
    """No required key."""

    x: str | None = attrs.field(default=None, metadata={"key": "x"})


def test_schema_of_other_annotations_validates_instances() -> None:
    schema = json_schema(_Odd)
    props = schema["properties"]
    assert props["either"] == {"type": ["integer", "string"]}
    assert props["when"] == {
        "anyOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "format": "date"},
            {"type": "null"},
        ]
    }
    assert props["numOrInner"] == {"anyOf": [{"type": "integer"}, {"$ref": "#/$defs/_Inner"}]}
    assert props["counts"] == {"type": "array", "items": {"type": "integer"}}
    assert props["anything"] == {}
    assert schema["required"] == ["either"]
    assert "allOf" not in schema  # the item kinds are an Article's only
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"either": "x", "numOrInner": {"n": 2}, "counts": [1]})
    assert not validator.is_valid({"either": 1.5})
    assert not validator.is_valid({"either": 1, "numOrInner": {"n": "two"}})
    assert not validator.is_valid({"counts": [1]})


def test_schema_without_required_keys_or_definitions() -> None:
    schema = json_schema(_Optional)
    assert "required" not in schema
    assert "$defs" not in schema
    assert schema["properties"] == {"x": {"type": ["string", "null"]}}


def test_schema_refuses_an_annotation_it_cannot_describe() -> None:
    @attrs.frozen
    class _Bad:
        raw: bytes = attrs.field(metadata={"key": "raw"})

    with pytest.raises(TypeError, match="no JSON Schema for the annotation <class 'bytes'>"):
        json_schema(_Bad)


# -- errors ------------------------------------------------------------------------------------


def test_document_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        StructureError([])


def test_document_error_pickles_with_its_problems() -> None:
    problems = [
        Problem(
            code="NM100", severity="error", message="Wrong type.", line=2, column=8, file="a.md"
        ),
        Problem(code="NM101", severity="error", message="Missing.", line=1, column=1, file="a.md"),
    ]
    exc = StructureError(problems, "a.md")
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is StructureError
    assert isinstance(again, DocumentError)
    assert again.problems == exc.problems
    assert str(again) == str(exc) == "a.md:2:8: NM100 Wrong type. @ $ (and 1 more problem)"


# -- locating paths ----------------------------------------------------------------------------

TEXT = "---\ntitle: T\nimages:\n  - url: u\n    width: 5\ntopics: [A, B]\n---\n"


def test_locate_stops_at_the_deepest_part_that_exists() -> None:
    parsed = parse_text(TEXT)
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


# -- config ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("", "a/b.md", False),
        ("  /", "a/b.md", False),
        ("drafts", "content/drafts/x.md", True),
        ("./content/drafts", "content/drafts/x.md", True),
        ("content/**", "content/x/y.md", True),
        ("**/old", "a/b/old/x.md", True),
        ("other/*", "content/x.md", False),
    ],
)
def test_matches_glob(glob: str, path: str, matches: bool, tmp_path: Path) -> None:
    assert matches_glob(glob, tmp_path / path, tmp_path) is matches


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.newsmodel\n", "not valid TOML"),
        ("[tool]\nnewsmodel = 5\n", "[tool.newsmodel] must be a table"),
        ("[tool.newsmodel]\nselectt = []\n", "unknown [tool.newsmodel] key 'selectt'"),
        ("[tool.newsmodel]\nexclude = [1]\n", "exclude must be a list of strings"),
        ("[tool.newsmodel]\nper-file-ignores = 3\n", "per-file-ignores must be a table"),
    ],
)
def test_bad_settings_are_config_errors(toml: str, message: str, tmp_path: Path) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_config(file)
    assert message in str(info.value)
    assert str(file) in str(info.value)


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read: No such file or directory"):
        load_config(config=tmp_path / "none.toml")


def test_settings_string_values_and_per_file_ignores(tmp_path: Path) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text(
        '[tool.newsmodel]\nselect = "nm2"\nexclude = "drafts"\n'
        '[tool.newsmodel.per-file-ignores]\n"old/**" = ["NM5"]\n',
        encoding="utf-8",
    )
    (tmp_path / "content").mkdir()
    config = load_config([tmp_path / "content" / "a.md", tmp_path / "b.md"])
    assert config.source == file
    assert config.select == ("NM2",)
    assert config.excluded(str(tmp_path / "drafts" / "x.md"))
    assert config.ignores_for(str(tmp_path / "old" / "x" / "y.md")) == ("NM5",)
    assert config.ignores_for(str(tmp_path / "new" / "y.md")) == ()


def test_pyproject_without_table_is_skipped_on_the_way_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.newsmodel]\nignore = ["NM3"]\n', "utf-8")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n", "utf-8")
    config = load_config([inner])
    assert config.source == tmp_path / "pyproject.toml"
    assert config.ignore == ("NM3",)
    # read directly, a file without the table gives the defaults, rooted at its folder
    plain = read_config(inner / "pyproject.toml")
    assert plain.ignore == () and plain.source == inner / "pyproject.toml"
