"""The reporters of ``newsmodel check``, in process, against oracles that do not use them.

Every expected output here is written out by hand (or checked against the output format's own
rules: a hand-written subset of the SARIF 2.1.0 schema, XML parsed by ElementTree), never built
with ``problem_dict`` or ``format_problem``, the functions the reporters call.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import newsmodel as nm
from newsmodel.cli._report import (
    FileResult,
    GithubReporter,
    JsonReporter,
    JunitReporter,
    Reporter,
    SarifReporter,
    Summary,
    TextReporter,
)

__all__: list[str] = []

BAD = "content/bad.md"
ODD = "content/c&d <e>.md"

TYPE_ERROR = nm.Problem(
    code="NM100",
    severity="error",
    message="Expected a string, got the integer 5.",
    pointer="$.title",
    line=2,
    column=8,
    hint='Quote it to make it a string: "5".',
    file=BAD,
)
HTTP_WARNING = nm.Problem(
    code="NM210",
    severity="warning",
    message="URL 'http://img.example.com/a.jpg' uses plain http.",
    pointer="$.images[0].url",
    line=9,
    column=10,
    hint="https://img.example.com/a.jpg",
    file=BAD,
)
NO_FRONT_MATTER = nm.Problem(
    code="NM003", severity="error", message="No front matter.", pointer="$", file=ODD
)

RESULTS = [
    FileResult("content/ok.md", []),
    FileResult(BAD, [TYPE_ERROR, HTTP_WARNING]),
    FileResult(ODD, [NO_FRONT_MATTER]),
]
WARNING_ONLY = [FileResult(BAD, [HTTP_WARNING])]


def run(cls: type[Reporter], results: list[FileResult], **options: bool) -> str:
    out = io.StringIO()
    reporter = cls(out, **options)
    summary = Summary()
    for result in results:
        summary.add(result)
        reporter.file(result)
    reporter.finish(summary)
    return out.getvalue()


# -- text ----------------------------------------------------------------------------------------


def test_text_lines_written_out() -> None:
    assert run(TextReporter, RESULTS).splitlines() == [
        "content/bad.md:2:8: NM100 Expected a string, got the integer 5. @ $.title",
        '    hint: Quote it to make it a string: "5".',
        "content/bad.md:9:10: NM210 URL 'http://img.example.com/a.jpg' uses plain http. @ $.images[0].url",
        "    hint: https://img.example.com/a.jpg",
        "content/c&d <e>.md: NM003 No front matter. @ $",
        "3 files checked: 2 files with problems (2 errors, 1 warning)",
    ]


def test_text_quiet_drops_hints_and_summary() -> None:
    assert run(TextReporter, RESULTS, quiet=True).splitlines() == [
        "content/bad.md:2:8: NM100 Expected a string, got the integer 5. @ $.title",
        "content/bad.md:9:10: NM210 URL 'http://img.example.com/a.jpg' uses plain http. @ $.images[0].url",
        "content/c&d <e>.md: NM003 No front matter. @ $",
    ]


def test_text_color_tints_errors_red_and_warnings_yellow() -> None:
    lines = run(TextReporter, RESULTS, color=True).splitlines()
    assert lines[0] == (
        "\033[1mcontent/bad.md:2:8\033[0m: \033[31m\033[1mNM100\033[0m "
        "Expected a string, got the integer 5. @ $.title"
    )
    assert lines[1] == '\033[36m    hint: Quote it to make it a string: "5".\033[0m'
    assert lines[2].startswith("\033[1mcontent/bad.md:9:10\033[0m: \033[33m\033[1mNM210\033[0m ")
    assert (
        lines[-1]
        == "\033[31m\033[1m3 files checked: 2 files with problems (2 errors, 1 warning)\033[0m"
    )
    warn = run(TextReporter, WARNING_ONLY, color=True).splitlines()[-1]
    assert (
        warn == "\033[33m\033[1m1 file checked: 1 file with problems (0 errors, 1 warning)\033[0m"
    )
    clean = run(TextReporter, [FileResult("a.md", [])], color=True).splitlines()
    assert clean == ["\033[1m1 file checked: no problems\033[0m"]


def test_text_statistics_written_out() -> None:
    many = [FileResult(BAD, [HTTP_WARNING] * 4 + [TYPE_ERROR] * 10)]
    lines = run(TextReporter, many, statistics=True, quiet=True).splitlines()
    stats = [line for line in lines if not line.startswith("content/")]
    # most frequent first, counts right-aligned, then the code and what it means
    assert [line[:11] for line in stats] == ["10  NM100  ", " 4  NM210  "]
    assert all(len(line) > 11 for line in stats)


def test_summary_line_counts_and_plurals() -> None:
    summary = Summary()
    assert summary.line() == "0 files checked: no article file found"
    summary.add(FileResult("ok.md", []))
    assert summary.line() == "1 file checked: no problems"
    summary.add(FileResult("a.md", [TYPE_ERROR]))
    assert summary.line() == "2 files checked: 1 file with problems (1 error, 0 warnings)"
    summary.add(FileResult("b.md", [], checked=False, failure="gone"))
    assert summary.line() == (
        "2 files checked: 1 file with problems (1 error, 0 warnings); 1 file could not be checked"
    )
    summary.add(FileResult("c.md", [], checked=False, failure="gone"))
    assert summary.line().endswith("; 2 files could not be checked")
    assert (summary.errors, summary.warnings, summary.failures) == (1, 0, 2)
    # warnings are counted like errors, one by one (issue 15: not set to 1)
    summary.add(FileResult("d.md", [HTTP_WARNING, HTTP_WARNING]))
    summary.add(FileResult("e.md", [HTTP_WARNING, TYPE_ERROR]))
    assert summary.line() == (
        "4 files checked: 3 files with problems (2 errors, 3 warnings); "
        "2 files could not be checked"
    )


# -- JSON ----------------------------------------------------------------------------------------


def test_json_written_out() -> None:
    text = run(JsonReporter, RESULTS)
    data = json.loads(text)
    assert data == [
        {
            "file": "content/bad.md",
            "line": 2,
            "column": 8,
            "code": "NM100",
            "severity": "error",
            "message": "Expected a string, got the integer 5.",
            "pointer": "$.title",
            "hint": 'Quote it to make it a string: "5".',
        },
        {
            "file": "content/bad.md",
            "line": 9,
            "column": 10,
            "code": "NM210",
            "severity": "warning",
            "message": "URL 'http://img.example.com/a.jpg' uses plain http.",
            "pointer": "$.images[0].url",
            "hint": "https://img.example.com/a.jpg",
        },
        {
            "file": "content/c&d <e>.md",
            "line": None,
            "column": None,
            "code": "NM003",
            "severity": "error",
            "message": "No front matter.",
            "pointer": "$",
            "hint": None,
        },
    ]
    keys = ["file", "line", "column", "code", "severity", "message", "pointer", "hint"]
    assert all(list(p) == keys for p in data)
    assert text.startswith("[\n  {") and text.endswith("}\n]\n")
    assert text.count("\n") == 5  # "[", one problem a line, "]"


def test_json_of_nothing_is_an_empty_array() -> None:
    assert run(JsonReporter, [FileResult("a.md", [])]) == "[]\n"


def test_json_keeps_non_ascii_as_is() -> None:
    problem = nm.Problem(code="NM100", severity="error", message="Café", file="ü.md")
    assert '"Café"' in run(JsonReporter, [FileResult("ü.md", [problem])])


# -- GitHub --------------------------------------------------------------------------------------


def test_github_written_out() -> None:
    assert run(GithubReporter, RESULTS).splitlines() == [
        "::error file=content/bad.md,line=2,col=8,title=NM100::"
        'Expected a string, got the integer 5. @ $.title%0AQuote it to make it a string: "5".',
        "::warning file=content/bad.md,line=9,col=10,title=NM210::"
        "URL 'http://img.example.com/a.jpg' uses plain http. @ $.images[0].url"
        "%0Ahttps://img.example.com/a.jpg",
        "::error file=content/c&d <e>.md,title=NM003::No front matter. @ $",
    ]


def test_github_escapes_carriage_returns_and_property_separators() -> None:
    problem = nm.Problem(
        code="NM1:0,0", severity="error", message="a\r\nb%", file="x.md", line=3, column=None
    )
    assert run(GithubReporter, [FileResult("x.md", [problem])]) == (
        "::error file=x.md,line=3,title=NM1%3A0%2C0::a%0D%0Ab%25 @ $\n"
    )


# -- SARIF ---------------------------------------------------------------------------------------

LEVEL = {"enum": ["none", "note", "warning", "error"]}
SARIF_SUBSET: dict[str, Any] = {
    # The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) this report uses,
    # written from the specification: required properties, enums, minimums.
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                },
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {"level": LEVEL},
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "invocations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["executionSuccessful"],
                            "properties": {
                                "executionSuccessful": {"type": "boolean"},
                                "toolExecutionNotifications": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["message"],
                                        "properties": {"level": LEVEL},
                                    },
                                },
                            },
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": LEVEL,
                                "message": {"type": "object", "required": ["text"]},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "properties": {
                                                    "region": {
                                                        "type": "object",
                                                        "properties": {
                                                            "startLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "startColumn": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                        },
                                                    }
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def sarif(results: list[FileResult], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(cwd)
    log = json.loads(run(SarifReporter, results))
    jsonschema.validate(log, SARIF_SUBSET)
    return log


def test_sarif_level_of_an_nm210_warning_is_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planted bug (issue 15): every SARIF result at level "error"."""
    run_ = sarif(WARNING_ONLY, tmp_path, monkeypatch)["runs"][0]
    assert [r["level"] for r in run_["results"]] == ["warning"]
    rules = run_["tool"]["driver"]["rules"]
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in rules] == [("NM210", "warning")]


def test_sarif_written_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = sarif(RESULTS, tmp_path, monkeypatch)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "newsmodel"
    assert driver["version"] == driver["semanticVersion"] == nm.__version__
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in driver["rules"]] == [
        ("NM100", "error"),
        ("NM210", "warning"),
        ("NM003", "error"),
    ]
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    assert run_["invocations"] == [{"executionSuccessful": True}]
    assert run_["results"] == [
        {
            "ruleId": "NM100",
            "ruleIndex": 0,
            "level": "error",
            "message": {
                "text": "Expected a string, got the integer 5. @ $.title\n"
                'Quote it to make it a string: "5".'
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "content/bad.md", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 2, "startColumn": 8},
                    }
                }
            ],
            "properties": {"pointer": "$.title"},
        },
        {
            "ruleId": "NM210",
            "ruleIndex": 1,
            "level": "warning",
            "message": {
                "text": "URL 'http://img.example.com/a.jpg' uses plain http. @ $.images[0].url\n"
                "https://img.example.com/a.jpg"
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "content/bad.md", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 9, "startColumn": 10},
                    }
                }
            ],
            "properties": {"pointer": "$.images[0].url"},
        },
        {
            "ruleId": "NM003",
            "ruleIndex": 2,
            "level": "error",
            "message": {"text": "No front matter. @ $"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": "content/c%26d%20%3Ce%3E.md",
                            "uriBaseId": "%SRCROOT%",
                        }
                    }
                }
            ],
            "properties": {"pointer": "$"},
        },
    ]


def test_sarif_repeated_code_shares_one_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = [FileResult(BAD, [HTTP_WARNING, TYPE_ERROR, HTTP_WARNING])]
    run_ = sarif(results, tmp_path, monkeypatch)["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == ["NM210", "NM100"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in run_["results"]] == [
        ("NM210", 0, "warning"),
        ("NM100", 1, "error"),
        ("NM210", 0, "warning"),
    ]


def test_sarif_file_outside_the_folder_is_a_file_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here").mkdir()
    outside = str(tmp_path / "elsewhere" / "a b.md")
    problem = nm.Problem(code="NM003", severity="error", message="m", file=outside)
    run_ = sarif([FileResult(outside, [problem])], tmp_path / "here", monkeypatch)["runs"][0]
    location = run_["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == (tmp_path / "elsewhere").as_uri() + "/a%20b.md"


def test_sarif_failures_are_notifications(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = [FileResult("gone.md", [], checked=False, failure="vanished")]
    run_ = sarif(results, tmp_path, monkeypatch)["runs"][0]
    assert run_["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": "gone.md: vanished"}}
            ],
        }
    ]
    assert run_["results"] == [] and run_["tool"]["driver"]["rules"] == []


def test_sarif_problem_without_file_uses_the_results_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = nm.Problem(code="NM100", severity="error", message="m", line=1)
    run_ = sarif([FileResult("x.md", [problem])], tmp_path, monkeypatch)["runs"][0]
    location = run_["results"][0]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "x.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }


# -- JUnit ---------------------------------------------------------------------------------------


def test_junit_written_out() -> None:
    results = [*RESULTS, FileResult("gone.md", [], checked=False, failure="vanished <now>")]
    assert run(JunitReporter, results) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="newsmodel" tests="4" failures="2" errors="1">\n'
        '  <testsuite name="newsmodel check" tests="4" failures="2" errors="1" skipped="0">\n'
        '    <testcase classname="newsmodel" name="content/ok.md" file="content/ok.md">'
        "</testcase>\n"
        '    <testcase classname="newsmodel" name="content/bad.md" file="content/bad.md">\n'
        '      <failure type="NM100" message="1 errors, 1 warnings: NM100 Expected a string, '
        'got the integer 5.">content/bad.md:2:8: NM100 Expected a string, got the integer 5. '
        "@ $.title\n"
        '    hint: Quote it to make it a string: "5".\n'
        "content/bad.md:9:10: NM210 URL 'http://img.example.com/a.jpg' uses plain http. "
        "@ $.images[0].url\n"
        "    hint: https://img.example.com/a.jpg</failure>\n"
        "    </testcase>\n"
        '    <testcase classname="newsmodel" name="content/c&amp;d &lt;e&gt;.md" '
        'file="content/c&amp;d &lt;e&gt;.md">\n'
        '      <failure type="NM003" message="1 errors, 0 warnings: NM003 No front matter.">'
        "content/c&amp;d &lt;e&gt;.md: NM003 No front matter. @ $</failure>\n"
        "    </testcase>\n"
        '    <testcase classname="newsmodel" name="gone.md" file="gone.md">\n'
        '      <error message="vanished &lt;now&gt;"/>\n'
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_junit_warnings_pass_unless_strict() -> None:
    plain = ET.fromstring(run(JunitReporter, WARNING_ONLY))
    assert plain.attrib == {"name": "newsmodel", "tests": "1", "failures": "0", "errors": "0"}
    (case,) = plain.iter("testcase")
    assert case.find("failure") is None
    out = case.find("system-out")
    assert out is not None
    assert out.text == (
        "content/bad.md:9:10: NM210 URL 'http://img.example.com/a.jpg' uses plain http. "
        "@ $.images[0].url"
    )
    strict = ET.fromstring(run(JunitReporter, WARNING_ONLY, strict=True))
    assert strict.get("failures") == "1"
    (case,) = strict.iter("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "NM210"
    assert failure.get("message", "").startswith("0 errors, 1 warnings: NM210 URL")


def test_junit_skips_files_not_checked_without_a_failure() -> None:
    root = ET.fromstring(run(JunitReporter, [FileResult("skipped.md", [], checked=False)]))
    assert root.get("tests") == "0" and list(root.iter("testcase")) == []


def test_junit_first_error_names_the_failure_even_after_a_warning() -> None:
    root = ET.fromstring(run(JunitReporter, [FileResult(BAD, [HTTP_WARNING, TYPE_ERROR])]))
    failure = next(root.iter("failure"))
    assert failure.get("type") == "NM100"
    assert (
        failure.get("message")
        == "1 errors, 1 warnings: NM100 Expected a string, got the integer 5."
    )


def test_junit_characters_xml_cannot_hold_are_shown_escaped() -> None:
    problem = nm.Problem(
        code="NM002", severity="error", message="bad \x00\x1f byte\ttab", file="a\x01.md", line=1
    )
    text = run(JunitReporter, [FileResult("a\x01.md", [problem])])
    root = ET.fromstring(text)  # well-formed XML
    case = next(root.iter("testcase"))
    assert case.get("name") == "a\\x01.md"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "1 errors, 0 warnings: NM002 bad \\x00\\x1f byte\ttab"
    assert failure.text == "a\\x01.md:1: NM002 bad \\x00\\x1f byte\ttab @ $"


# -- the parts written from the registry of codes ---------------------------------------------


def test_sarif_rules_come_from_the_registry_of_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsmodel import codes

    results = [
        FileResult(
            BAD,
            [
                TYPE_ERROR,
                HTTP_WARNING,
                nm.Problem(code="XX999", severity="error", message="m", file=BAD),
            ],
        )
    ]
    rules = sarif(results, tmp_path, monkeypatch)["runs"][0]["tool"]["driver"]["rules"]
    for rule in rules[:2]:
        entry = codes.get(rule["id"])
        assert entry is not None
        full = entry.description or entry.summary
        assert rule == {
            "id": entry.code,
            "name": entry.name,
            "shortDescription": {"text": entry.summary},
            "fullDescription": {"text": full},
            "help": {"text": f"{full}\n\nDocumentation: {entry.url}"},
            "helpUri": entry.url,
            "defaultConfiguration": {"level": entry.severity},
        }
    assert [r["defaultConfiguration"]["level"] for r in rules[:2]] == ["error", "warning"]
    # a code outside the registry: what little is known
    assert rules[2] == {
        "id": "XX999",
        "shortDescription": {"text": "Problem XX999."},
        "defaultConfiguration": {"level": "error"},
    }
    assert all(r["helpUri"].startswith("https://") for r in rules[:2])


def test_sarif_is_indented_json_with_non_ascii_as_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    problem = nm.Problem(code="NM100", severity="error", message="Café", file="ü.md", line=1)
    text = run(SarifReporter, [FileResult("ü.md", [problem])])
    assert text.startswith('{\n  "$schema": ')
    assert '"text": "Café @ $"' in text and text.endswith("}\n")
    info = json.loads(text)["runs"][0]["tool"]["driver"]["informationUri"]
    assert info.startswith("https://")


def test_statistics_say_what_each_code_means() -> None:
    from newsmodel import codes

    # met in this order: NM100, NM210, NM003; most frequent first, then by code
    many = [FileResult(BAD, [TYPE_ERROR] * 2 + [HTTP_WARNING] * 3 + [NO_FRONT_MATTER] * 2)]
    summary = Summary()
    summary.add(many[0])
    lines = summary.statistics().splitlines()
    assert [line[:9] for line in lines] == ["3  NM210 ", "2  NM003 ", "2  NM100 "]
    for line in lines:
        entry = codes.get(line.split()[1])
        assert entry is not None and line.endswith("  " + entry.summary)
    other = Summary()
    other.add(FileResult("a.md", [nm.Problem(code="XX9", severity="error", message="m")]))
    assert other.statistics() == "1  XX9  Problem XX9.\n"
    assert Summary().statistics() == ""


def test_verbose_text_links_each_problem_to_its_documentation() -> None:
    from newsmodel import codes

    entry = codes.get("NM100")
    assert entry is not None
    unknown = nm.Problem(code="XX9", severity="error", message="m", file="a.md", line=1)
    lines = run(
        TextReporter, [FileResult(BAD, [TYPE_ERROR]), FileResult("a.md", [unknown])], verbose=True
    ).splitlines()
    assert lines[:3] == [
        "content/bad.md:2:8: NM100 Expected a string, got the integer 5. @ $.title",
        '    hint: Quote it to make it a string: "5".',
        f"    docs: {entry.url}",
    ]
    assert lines[3] == "a.md:1: XX9 m @ $"  # no link for a code outside the registry
    colored = run(TextReporter, [FileResult(BAD, [TYPE_ERROR])], verbose=True, color=True)
    assert f"\033[2m    docs: {entry.url}\033[0m\n" in colored
    assert "docs:" not in run(TextReporter, [FileResult(BAD, [TYPE_ERROR])])


def test_color_splits_the_location_at_the_first_code(tmp_path: Path) -> None:
    # a message that repeats ": CODE " must not move the split
    problem = nm.Problem(
        code="NM100",
        severity="error",
        message="see a.md: NM100 again",
        file="a.md",
        line=1,
        column=2,
    )
    (line,) = run(
        TextReporter, [FileResult("a.md", [problem])], color=True, quiet=True
    ).splitlines()
    assert line == "\033[1ma.md:1:2\033[0m: \033[31m\033[1mNM100\033[0m see a.md: NM100 again @ $"


def test_github_files_are_relative_to_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ws").mkdir()
    monkeypatch.chdir(tmp_path / "ws")
    inside = nm.Problem(
        code="NM100", severity="error", message="m", file=str(tmp_path / "ws" / "a.md")
    )
    dotted = nm.Problem(code="NM100", severity="error", message="m", file="./b/../c.md")
    outside = nm.Problem(code="NM100", severity="error", message="m", file=str(tmp_path / "o.md"))
    nameless = nm.Problem(code="NM100", severity="error", message="m")
    lines = run(GithubReporter, [FileResult("x", [inside, dotted, outside, nameless])]).splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "::error file=a.md",
        "::error file=c.md",
        f"::error file={tmp_path.as_posix()}/o.md",  # outside the workspace: absolute
        "::error file=",
    ]


def test_junit_counts_every_file_that_could_not_be_checked() -> None:
    gone = [FileResult(f"{i}.md", [], checked=False, failure="gone") for i in range(3)]
    root = ET.fromstring(run(JunitReporter, gone))
    assert (root.get("tests"), root.get("errors"), root.get("failures")) == ("3", "3", "0")


def test_junit_warnings_only_body_lists_each_warning_on_its_own_line() -> None:
    root = ET.fromstring(run(JunitReporter, [FileResult(BAD, [HTTP_WARNING, HTTP_WARNING])]))
    out = next(root.iter("system-out"))
    line = (
        "content/bad.md:9:10: NM210 URL 'http://img.example.com/a.jpg' uses plain http. "
        "@ $.images[0].url"
    )
    assert out.text == f"{line}\n{line}"


def test_junit_keeps_non_ascii_and_large_reports_whole() -> None:
    problems = [
        nm.Problem(code="NM100", severity="error", message=f"Café {i} " + "x" * 200, file="é.md")
        for i in range(400)
    ]
    text = run(JunitReporter, [FileResult("é.md", problems)])
    failure = next(ET.fromstring(text).iter("failure"))
    assert (failure.text or "").count("Café") == 400
    assert "\\x" not in text
