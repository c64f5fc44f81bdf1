"""Folder-driven tests: the valid and invalid example files, through the API and the CLI.

* ``tests/examples/**/*.md`` are valid: no error through ``check_file``, exit status 0 through
  ``python -m newsmodel check``.
* ``tests/invalid-examples/**/X.md`` each break a rule; ``X.errors.txt`` holds the expected
  ``line:column code pointer`` lines, exactly as ``check_file`` returns them (sorted).
* Property-based: every article of ``newsmodel.strategies.articles()`` validates with no error,
  and every single mutation of a valid example (``tests/mutations.py``) gives its rule's code
  at its pointer and line.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given

import newsmodel as nm
from newsmodel.codes import reader_codes
from newsmodel.rules import all_rules

from .mutations import Mutation, all_mutations, mutations

__all__: list[str] = []

HERE = Path(__file__).resolve().parent
VALID = HERE / "examples"
INVALID = HERE / "invalid-examples"
NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
LATER = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

VALID_FILES = sorted(VALID.rglob("*.md"))
INVALID_FILES = sorted(INVALID.rglob("*.md"))


def _id(path: Path) -> str:
    return path.relative_to(HERE).as_posix()


def _expected(path: Path) -> list[str]:
    return path.with_suffix(".errors.txt").read_text(encoding="utf-8").splitlines()


def _cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsmodel", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_there_are_examples() -> None:
    assert len(VALID_FILES) >= 4
    assert len(INVALID_FILES) >= len(all_rules())
    for path in INVALID_FILES:
        assert path.with_suffix(".errors.txt").is_file(), f"{_id(path)} has no .errors.txt"


def test_every_code_has_an_invalid_example() -> None:
    shown = {line.split()[1] for path in INVALID_FILES for line in _expected(path)}
    for rule in all_rules():
        assert rule.code in shown, f"no invalid example shows {rule.code}"
    # the reading codes too, but NM001 (a file that cannot be read is no example file)
    for code in {c.code for c in reader_codes()} - {"NM001"}:
        assert code in shown, f"no invalid example shows {code}"
    # and each file is named after a code it shows
    for path in INVALID_FILES:
        code = path.name.split("-", 1)[0]
        assert code in {line.split()[1] for line in _expected(path)}, _id(path)


@pytest.mark.parametrize("path", VALID_FILES, ids=_id)
def test_valid_example_api(path: Path) -> None:
    problems = nm.check_file(path, now=NOW)
    assert [p for p in problems if p.is_error] == []
    assert problems == [], "the valid examples have no warnings either"


@pytest.mark.parametrize("path", VALID_FILES, ids=_id)
def test_valid_example_cli(path: Path) -> None:
    result = _cli(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", INVALID_FILES, ids=_id)
def test_invalid_example_api(path: Path) -> None:
    problems = nm.check_file(path, now=NOW)
    got = [f"{p.line}:{p.column} {p.code} {p.pointer}" for p in problems]
    assert got == _expected(path)
    for p in problems:
        assert p.file == str(path)
        assert p.message.endswith((".", "?"))
        assert p.severity in ("error", "warning")


@pytest.mark.parametrize("path", INVALID_FILES, ids=_id)
def test_invalid_example_cli(path: Path) -> None:
    expected = _expected(path)
    problems = nm.check_file(path, now=NOW)
    result = _cli(path)
    assert result.returncode == (1 if any(p.is_error for p in problems) else 0), result.stderr
    for line in expected:
        assert line.split()[1] in result.stdout, (line, result.stdout)


# -- property-based -------------------------------------------------------------------------


def test_generated_articles_validate_clean() -> None:
    strategies = pytest.importorskip("newsmodel.strategies")

    @given(strategies.articles())
    def check(article: nm.Article) -> None:
        # the strategies draw past timestamps up to the end of 2024 (in any zone)
        errors = [p for p in nm.validate(article, now=LATER) if p.is_error]
        assert errors == []

    check()


def test_mutations_cover_the_rules() -> None:
    codes = {m.code for m in all_mutations()}
    # every rule that a one-value edit of a valid file can break
    for code in (
        "NM102",
        "NM201",
        "NM202",
        "NM204",
        "NM210",
        "NM301",
        "NM302",
        "NM401",
        "NM402",
        "NM403",
        "NM404",
        "NM501",
        "NM502",
        "NM602",
        "NM603",
        "NM604",
        "NM605",
        "NM606",
        "NM607",
        "NM608",
        "NM611",
        "NM612",
    ):
        assert code in codes


def _holds(m: Mutation) -> None:
    problems = nm.check_text(m.text, now=NOW)
    found = [(p.code, p.pointer, p.line) for p in problems]
    assert (m.code, m.pointer, m.line) in found, f"{m}: got {found}"


@given(mutations())
def test_a_mutation_gives_its_code_at_its_place(m: Mutation) -> None:
    _holds(m)


def test_every_mutation_gives_its_code_at_its_place() -> None:
    for m in all_mutations():
        _holds(m)
