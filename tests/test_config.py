"""``[tool.newsmodel]`` in the nearest pyproject.toml: select, ignore, exclude, per-file ignores."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmodel.config import (
    Config,
    ConfigError,
    find_pyproject,
    load_config,
    matches_glob,
    parse_codes,
    read_config,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    config = load_config([tmp_path])
    assert config.select is None and config.ignore == () and config.exclude == ()
    assert config.source is None


def test_reads_every_key(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
[project]
name = "site"

[tool.newsmodel]
select = ["NM2", "nm301"]
ignore = ["NM503"]
exclude = ["drafts", "archive/**"]
per-file-ignores = { "legacy/*.md" = ["NM2", "NM4"] }
""",
    )
    (tmp_path / "content" / "news").mkdir(parents=True)
    config = load_config([tmp_path / "content" / "news"])
    assert config.source == tmp_path / "pyproject.toml"
    assert config.select == ("NM2", "NM301")
    assert config.ignore == ("NM503",)
    assert config.excluded(tmp_path / "content" / "drafts" / "x.md")
    assert config.excluded(tmp_path / "archive" / "2019" / "x.md")
    assert not config.excluded(tmp_path / "content" / "news" / "x.md")
    assert config.ignores_for(tmp_path / "legacy" / "old.md") == ("NM503", "NM2", "NM4")
    assert config.ignores_for(tmp_path / "news" / "new.md") == ("NM503",)


def test_nearest_with_a_newsmodel_table_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.newsmodel]\nignore = ["NM1"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')  # no table: skipped
    write(tmp_path / "sub" / "deeper" / "pyproject.toml", '[tool.newsmodel]\nignore = ["NM2"]\n')
    assert find_pyproject(tmp_path / "sub") == tmp_path / "pyproject.toml"
    assert (
        find_pyproject(tmp_path / "sub" / "deeper")
        == tmp_path / "sub" / "deeper" / "pyproject.toml"
    )
    assert load_config([tmp_path / "sub"]).ignore == ("NM1",)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.newsmodel]\nselect = 5\n", "select"),
        ('[tool.newsmodel]\nignore = ["E501"]\n', "E501"),
        ('[tool.newsmodel]\nexlude = ["x"]\n', "exlude"),
        ("[tool.newsmodel]\nper-file-ignores = 3\n", "per-file-ignores"),
        ("[tool.newsmodel\n", "TOML"),
        ("[tool]\nnewsmodel = 1\n", "table"),
    ],
)
def test_bad_settings_raise_config_error(tmp_path: Path, toml: str, message: str) -> None:
    path = write(tmp_path / "pyproject.toml", toml)
    with pytest.raises(ConfigError, match=message):
        read_config(path)


def test_parse_codes() -> None:
    assert parse_codes(["NM2,nm301", " NM4 ", ""], "--select") == ("NM2", "NM301", "NM4")
    with pytest.raises(ConfigError, match="--ignore"):
        parse_codes(["NM2,X1"], "--ignore")


def test_globs(tmp_path: Path) -> None:
    assert matches_glob("drafts", tmp_path / "a" / "drafts" / "b.md", tmp_path)
    assert matches_glob("*.tmp.md", tmp_path / "a" / "b.tmp.md", tmp_path)
    assert not matches_glob("drafts", tmp_path / "a" / "b.md", tmp_path)
    # a name glob never matches folders above the root
    assert not matches_glob(tmp_path.name, tmp_path / "a.md", tmp_path)
    assert matches_glob("a/*.md", tmp_path / "a" / "b.md", tmp_path)
    assert not matches_glob("a/*.md", tmp_path / "b" / "a" / "b.md", tmp_path)
    assert matches_glob("**/b.md", tmp_path / "x" / "y" / "b.md", tmp_path)
    assert matches_glob("a/", tmp_path / "a" / "deep" / "b.md", tmp_path)


def test_command_line_options_add_to_the_file(tmp_path: Path) -> None:
    config = Config(ignore=("NM1",), exclude=("drafts",), root=tmp_path).with_options(
        exclude=["tmp"], ignore=["NM2"]
    )
    assert config.ignore == ("NM1", "NM2")
    assert config.excluded(tmp_path / "drafts" / "a.md")
    assert config.excluded(Path("tmp") / "a.md")


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
