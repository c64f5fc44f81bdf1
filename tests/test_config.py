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
