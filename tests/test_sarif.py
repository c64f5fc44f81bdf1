"""The CLI's reports as other tools read them: SARIF against the SARIF 2.1.0 JSON schema, and
plain-text rule descriptions with a documentation link per code (SARIF, ``--statistics``,
``-v``).

The schema is the official one, shipped in ``tests/sarif/`` (see its README): nothing is fetched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from newsmodel import codes
from newsmodel.cli import run
from newsmodel.cli._report import sarif_rule, summary_of
from newsmodel.rules import all_rules

__all__: list[str] = []

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
INVALID = HERE / "invalid-examples"
NOW = "2024-01-01T00:00:00Z"
# What plain text must not hold: reStructuredText markup from the rules' docstrings.
RST = re.compile(r"``|::|:[a-z]+:`|\*\*")

# Every code a check of single files can give, reader codes included (NM7xx need a site).
FILE_CODES = {entry.code for entry in codes.reader_codes()} | {rule.code for rule in all_rules()}
ALL_CODES = {entry.code for entry in codes.all_codes()}

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return bool(parts.scheme) and " " not in str(value)


@FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    return " " not in str(value) and "\\" not in str(value)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def every_code(tmp_path: Path) -> Path:
    """A folder whose files give every code: the invalid examples and an unreadable file."""
    folder = tmp_path / "content"
    shutil.copytree(INVALID, folder)
    os.symlink("loop.md", folder / "loop.md")  # NM001: a link to itself
    return folder


def _args(folder: Path) -> list[str]:
    """The folder, and its files without front matter by name (a walk skips those)."""
    return [str(folder), *(str(p) for p in sorted(folder.rglob("NM003-*.md")))]


def _sarif(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    status = run(["check", "--isolated", "--now", NOW, "--format", "sarif", *_args(folder)])
    assert status == 1
    log: dict[str, Any] = json.loads(capsys.readouterr().out)
    return log


def test_the_schema_is_the_sarif_2_1_0_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    # and it rejects what it should: a result without a message, a rule with a bad level
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=FORMATS)
    bad = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "x", "rules": [{"id": "A", "helpUri": "no scheme"}]}},
                "results": [{"ruleId": "A"}],
            }
        ],
    }
    messages = {e.message for e in validator.iter_errors(bad)}
    assert "'message' is a required property" in messages
    assert any("'no scheme' is not a 'uri'" in m for m in messages)


def test_sarif_output_is_valid_and_describes_every_code(
    every_code: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = _sarif(every_code, capsys)
    errors = sorted(
        jsonschema.Draft7Validator(SCHEMA, format_checker=FORMATS).iter_errors(log), key=str
    )
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    seen = {rule["id"] for rule in rules}
    assert FILE_CODES <= seen <= ALL_CODES
    for rule in rules:
        entry = codes.get(rule["id"])
        assert entry is not None
        short, full = rule["shortDescription"]["text"], rule["fullDescription"]["text"]
        assert short == entry.summary and full
        for text in (short, full, rule["help"]["text"]):
            assert not RST.search(text), (rule["id"], text)
        # its own section of the docs site, never a standard's page
        assert rule["helpUri"] == f"{codes.DOCS_URL}rules/#{rule['id'].lower()}"
        assert rule["helpUri"] in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == entry.severity


def test_reader_codes_and_nm210_link_to_their_rule_page() -> None:
    for code in ("NM005", "NM101", "NM001", "NM700", "NM701"):
        assert sarif_rule(code)["helpUri"] == codes.DOCS_URL + "rules/#" + code.lower()
    nm210 = sarif_rule("NM210")
    assert nm210["helpUri"] == codes.DOCS_URL + "rules/#nm210"
    assert "rfc-editor" not in json.dumps(nm210)
    # a rule's docstring, in plain text: inline literals quoted, literal blocks kept
    full = str(nm210["fullDescription"]["text"])  # type: ignore[index]
    assert "'http'" in full and "Fails:" in full and "``" not in full


def test_a_code_nothing_registered() -> None:
    rule = sarif_rule("XX001")
    assert rule["shortDescription"] == {"text": "Problem XX001."}
    assert "helpUri" not in rule
    assert summary_of("XX001") == "Problem XX001."


def test_statistics_are_plain_text(every_code: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--isolated", "--now", NOW, "--statistics", *_args(every_code)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if re.match(r"\s*\d+  NM\d{3}  ", line)]
    shown = {line.split()[1] for line in lines}
    assert FILE_CODES <= shown <= ALL_CODES
    for line in lines:
        code, summary = line.split(None, 2)[1:]
        assert summary == summary_of(code)
        assert not RST.search(summary), line


def test_verbose_text_links_each_problem_to_its_docs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\ntitle: B\n---\n", encoding="utf-8")
    assert run(["check", "--isolated", "--now", NOW, str(path)]) == 1
    assert "docs:" not in capsys.readouterr().out
    assert run(["check", "--isolated", "--now", NOW, "-v", str(path)]) == 1
    out = capsys.readouterr().out
    assert "NM007 The key 'title' appears more than once" in out
    assert f"    docs: {codes.DOCS_URL}rules/#nm007\n" in out
    assert run(["check", "--isolated", "--now", NOW, "-v", "--color", "always", str(path)]) == 1
    assert f"\033[2m    docs: {codes.DOCS_URL}rules/#nm007\033[0m" in capsys.readouterr().out
