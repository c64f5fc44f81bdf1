"""The distribution's name and version, as the README, the docs, the CHANGELOG and the hooks
state them (docs/release.md): one name that is this project's, one version everywhere."""

from __future__ import annotations

import re
import sys

from newsmodel import __version__

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NAME = PYPROJECT["project"]["name"]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE_BLOCK = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
PIP_INSTALL = re.compile(r"pip install\s+(?P<args>[^\n&|;]*)")


def _install_lines() -> list[tuple[str, str]]:
    """``(page, the arguments of pip install)`` for each install command in a code block."""
    found = []
    for page in PAGES:
        for block in CODE_BLOCK.findall(page.read_text(encoding="utf-8")):
            for m in PIP_INSTALL.finditer(block):
                found.append((page.relative_to(ROOT).as_posix(), m.group("args").strip()))
    return found


def test_the_distribution_name_is_not_the_import_name_someone_else_holds() -> None:
    # `newsmodel` on the package index is an unrelated project (0.28, torch, transformers).
    assert NAME == "newsmodel-frontmatter"
    assert PYPROJECT["project"]["scripts"] == {"newsmodel": "newsmodel.cli:main"}
    # The extras that include other extras name the project by its own name.
    selves = [
        r
        for reqs in PYPROJECT["project"]["optional-dependencies"].values()
        for r in reqs
        if r.startswith("newsmodel")
    ]
    assert selves and all(r.startswith(f"{NAME}[") for r in selves), selves


def _other_names(args: str) -> list[str]:
    """The distributions named ``newsmodel...`` in ``pip install ARGS`` that are not ours."""
    wrong = []
    for word in args.split():
        if word.startswith(("-", ".", "/", "'.", '".', "dist/")):
            continue  # an option, a checkout or a wheel file
        name = re.split(r"[\[=<>~! ]", word.strip("'\""), maxsplit=1)[0]
        if name.startswith("newsmodel") and name != NAME:
            wrong.append(name)
    return wrong


def test_every_install_line_names_this_distribution() -> None:
    lines = _install_lines()
    wrong = [f"{page}: pip install {args}" for page, args in lines if _other_names(args)]
    assert not wrong
    assert any(NAME in args for page, args in lines if page == "README.md")
    assert any(NAME in args for page, args in lines if page == "docs/getting-started.md")


def test_install_line_check_catches_the_old_name() -> None:
    assert _other_names("newsmodel") == ["newsmodel"]
    assert _other_names("-q 'newsmodel[test]==0.1'") == ["newsmodel"]
    assert _other_names(f"-q {NAME}==1.0 .") == []
    assert _other_names("-e '.[test]'") == []


def _versions_named(text: str) -> set[str]:
    """The versions a text names in a pre-commit ``rev``, an action ref or a pinned install
    (``X.Y.Z``, the placeholder of docs/release.md, left out)."""
    version = r"(\d[\w.+-]*\w)"
    found = set(re.findall(rf"^\s*#?\s*rev:\s*v{version}", text, re.MULTILINE))
    found |= set(re.findall(rf"newsmodel/newsmodel@v{version}", text))
    found |= set(re.findall(rf"{re.escape(NAME)}=={version}", text))
    return found


def test_the_docs_name_the_packages_version() -> None:
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert _versions_named(ci) == {__version__}
    assert "rev: v" in ci and "newsmodel/newsmodel@v" in ci and f"{NAME}==" in ci
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert _versions_named(hooks) == {__version__}
    for page in PAGES:
        named = _versions_named(page.read_text(encoding="utf-8"))
        assert named <= {__version__}, f"{page.name} names {named - {__version__}}"


def test_the_changelog_has_the_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.count("## [Unreleased]") == 1
    released = re.findall(r"^## \[(\d[^\]]*)\] - \d{4}-\d{2}-\d{2}$", text, re.MULTILINE)
    unreleased = text.split("## [Unreleased]", 1)[1].split("\n## [", 1)[0]
    upcoming = re.findall(r"^To be released as (\S+) \(tag `v(\S+)`", unreleased, re.MULTILINE)
    if __version__ in released:
        assert released[0] == __version__, "the newest release section is not the version"
    else:
        assert upcoming == [(__version__, __version__)], (
            "CHANGELOG.md: neither a release section nor 'To be released as' names "
            f"{__version__} (see docs/release.md)"
        )


def test_the_release_page_says_how_a_tag_is_made() -> None:
    text = (ROOT / "docs" / "release.md").read_text(encoding="utf-8")
    assert "git tag -a vX.Y.Z" in text
    assert "release.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
