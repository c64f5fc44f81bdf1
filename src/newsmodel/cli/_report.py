"""Reporters: one per ``--format``, each fed the per-file results as they come.

Every reporter has the same two methods: ``file(result)`` for each file checked (in the order
the files were found) and ``finish(summary)`` once at the end. They write as they go (the
SARIF report keeps only the problems, the JUnit report spools its test cases to a temporary
file), so memory stays flat however many files are checked.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, TextIO
from urllib.parse import quote

from .. import codes
from .._version import __version__
from ..problems import Problem, format_problem

if TYPE_CHECKING:
    from ..cache import Stamp
    from ..site import FileFacts

_XML_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def escape(text: str) -> str:
    """XML character data (``xml.sax.saxutils`` would import ``urllib.request``: 40 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value in double quotes."""
    return '"' + "".join(_XML_ESCAPES.get(c, c) for c in text) + '"'


__all__ = [
    "FORMATS",
    "FileResult",
    "GithubReporter",
    "JsonReporter",
    "JunitReporter",
    "Reporter",
    "SarifReporter",
    "Summary",
    "TextReporter",
    "problem_dict",
    "sarif_rule",
    "summary_of",
]

INFORMATION_URI = "https://github.com/newsmodel/newsmodel"


def summary_of(code: str) -> str:
    """What ``code`` means, in one plain-text sentence (from :mod:`newsmodel.codes`)."""
    entry = codes.get(code)
    return entry.summary if entry is not None else f"Problem {code}."


class FileResult(NamedTuple):
    """What checking one file gave: its problems, whether it was checked, any tool failure."""

    file: str
    problems: list[Problem]
    checked: bool = True
    failure: str | None = None
    facts: FileFacts | None = None
    """What the file says of other files of its site (for the site rules)."""
    stamp: Stamp | None = None
    """The file's size, modification and change times (ns) and inode as it was read, for the
    results cache (``None`` when no cache asked for it, or the file was not read)."""


class Summary:
    """Running totals of a run."""

    def __init__(self) -> None:
        self.errors = 0
        self.warnings = 0
        self.files_with_problems = 0
        self.files_checked = 0
        self.failures = 0
        self.codes: Counter[str] = Counter()

    def add(self, result: FileResult) -> None:
        if result.failure is not None:
            self.failures += 1
        if result.checked:
            self.files_checked += 1
        if result.problems:
            self.files_with_problems += 1
        for p in result.problems:
            self.codes[p.code] += 1
            if p.is_error:
                self.errors += 1
            else:
                self.warnings += 1

    def line(self) -> str:
        """``F files checked: K files with problems (N errors, M warnings)``, or
        ``F files checked: no problems``."""

        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        text = f"{n(self.files_checked, 'file')} checked: "
        if self.files_with_problems:
            text += (
                f"{n(self.files_with_problems, 'file')} with problems "
                f"({n(self.errors, 'error')}, {n(self.warnings, 'warning')})"
            )
        elif self.files_checked:
            text += "no problems"
        else:
            text += "no article file found"
        if self.failures:
            text += f"; {n(self.failures, 'file')} could not be checked"
        return text

    def statistics(self) -> str:
        """Counts per code, most frequent first, with what each code means."""
        width = max((len(str(c)) for c in self.codes.values()), default=1)
        return "".join(
            f"{count:>{width}}  {code}  {summary_of(code)}\n"
            for code, count in sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))
        )


def problem_dict(problem: Problem) -> dict[str, object]:
    """The JSON object of a problem: exactly file, line, column, code, severity, message,
    pointer, hint."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "code": problem.code,
        "severity": problem.severity,
        "message": problem.message,
        "pointer": problem.pointer,
        "hint": problem.hint,
    }


class Reporter:
    """Base of the reporters: writes to ``out``; ``strict`` makes warnings fail (JUnit);
    ``verbose`` adds each problem's documentation link (text)."""

    def __init__(
        self,
        out: TextIO,
        *,
        color: bool = False,
        quiet: bool = False,
        verbose: bool = False,
        strict: bool = False,
        statistics: bool = False,
    ) -> None:
        self.out = out
        self.color = color
        self.quiet = quiet
        self.verbose = verbose
        self.strict = strict
        self.statistics = statistics

    def file(self, result: FileResult) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        """Called once, after the last file."""


_RED, _YELLOW, _BOLD, _DIM, _CYAN, _RESET = (
    "\033[31m",
    "\033[33m",
    "\033[1m",
    "\033[2m",
    "\033[36m",
    "\033[0m",
)


class TextReporter(Reporter):
    """``path:line:column: CODE message @ $.pointer`` per problem (the shared
    :func:`~newsmodel.format_problem`), the hint under it (and with ``verbose``, the link to
    the code's documentation), then the summary line."""

    def file(self, result: FileResult) -> None:
        write = self.out.write
        for p in result.problems:
            text = format_problem(p, location=True)
            if self.color:
                where, _, rest = text.partition(f": {p.code} ")
                tint = _RED if p.is_error else _YELLOW
                text = f"{_BOLD}{where}{_RESET}: {tint}{_BOLD}{p.code}{_RESET} {rest}"
            write(text + "\n")
            if p.hint and not self.quiet:
                hint = f"    hint: {p.hint}"
                write((f"{_CYAN}{hint}{_RESET}" if self.color else hint) + "\n")
            if self.verbose:
                entry = codes.get(p.code)
                if entry is not None:
                    docs = f"    docs: {entry.url}"
                    write((f"{_DIM}{docs}{_RESET}" if self.color else docs) + "\n")

    def finish(self, summary: Summary) -> None:
        if self.statistics and summary.codes:
            self.out.write(summary.statistics())
        if not self.quiet:
            line = summary.line()
            if self.color:
                tint = _RED if summary.errors else (_YELLOW if summary.warnings else "")
                line = f"{tint}{_BOLD}{line}{_RESET}"
            self.out.write(line + "\n")


class JsonReporter(Reporter):
    """One JSON array of problem objects, written as the files come."""

    def __init__(self, out: TextIO, **options: bool) -> None:
        super().__init__(out, **options)
        self.first = True
        out.write("[")

    def file(self, result: FileResult) -> None:
        for p in result.problems:
            self.out.write("\n  " if self.first else ",\n  ")
            self.first = False
            self.out.write(json.dumps(problem_dict(p), ensure_ascii=False))

    def finish(self, summary: Summary) -> None:
        self.out.write("]\n" if self.first else "\n]\n")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _gh_file(path: str) -> str:
    """A file as GitHub annotations name it: relative to the workspace (the current folder),
    with ``/`` and no ``./`` (an absolute path where the file is outside it)."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute) if path else path
    return (absolute if rel.startswith("..") else rel).replace(os.sep, "/")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=CODE::message``."""

    def file(self, result: FileResult) -> None:
        for p in result.problems:
            props = [f"file={_gh_prop(_gh_file(p.file or ''))}"]
            if p.line is not None:
                props.append(f"line={p.line}")
            if p.column is not None:
                props.append(f"col={p.column}")
            props.append(f"title={_gh_prop(p.code)}")
            message = format_problem(p)
            if p.hint:
                message += f"\n{p.hint}"
            self.out.write(f"::{p.severity} {','.join(props)}::{_gh_data(message)}\n")


def _uri(path: str) -> str:
    """A relative POSIX URI reference for a path (relative to the current folder if inside)."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:  # pragma: no cover - another drive on Windows
        rel = absolute
    if rel.startswith(".."):
        return "file://" + quote(absolute.replace(os.sep, "/"))
    return quote(rel.replace(os.sep, "/"))


class SarifReporter(Reporter):
    """SARIF 2.1.0: one run, a rule per code met, a result per problem."""

    SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

    def __init__(self, out: TextIO, **options: bool) -> None:
        super().__init__(out, **options)
        self.results: list[dict[str, object]] = []
        self.rule_index: dict[str, int] = {}
        self.failures: list[str] = []

    def file(self, result: FileResult) -> None:
        if result.failure is not None:
            self.failures.append(f"{result.file}: {result.failure}")
        for p in result.problems:
            index = self.rule_index.setdefault(p.code, len(self.rule_index))
            region: dict[str, int] = {}
            if p.line is not None:
                region["startLine"] = p.line
            if p.column is not None:
                region["startColumn"] = p.column
            location: dict[str, object] = {
                "artifactLocation": {"uri": _uri(p.file or result.file), "uriBaseId": "%SRCROOT%"}
            }
            if region:
                location["region"] = region
            message = format_problem(p)
            if p.hint:
                message += f"\n{p.hint}"
            self.results.append(
                {
                    "ruleId": p.code,
                    "ruleIndex": index,
                    "level": "error" if p.is_error else "warning",
                    "message": {"text": message},
                    "locations": [{"physicalLocation": location}],
                    "properties": {"pointer": p.pointer},
                }
            )

    def finish(self, summary: Summary) -> None:
        rules = [
            sarif_rule(code) for code in sorted(self.rule_index, key=self.rule_index.__getitem__)
        ]
        invocation: dict[str, object] = {"executionSuccessful": not self.failures}
        if self.failures:
            invocation["toolExecutionNotifications"] = [
                {"level": "error", "message": {"text": text}} for text in self.failures
            ]
        log = {
            "$schema": self.SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "newsmodel",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": rules,
                        }
                    },
                    "originalUriBaseIds": {"%SRCROOT%": {"uri": _srcroot()}},
                    "invocations": [invocation],
                    "results": self.results,
                }
            ],
        }
        json.dump(log, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")


def sarif_rule(code: str) -> dict[str, object]:
    """The SARIF ``reportingDescriptor`` of a code: plain-text descriptions from the registry
    of codes, its default level, and a ``helpUri`` to its section of the documentation."""
    entry = codes.get(code)
    if entry is None:  # a problem made outside the registry: say what little is known
        return {
            "id": code,
            "shortDescription": {"text": f"Problem {code}."},
            "defaultConfiguration": {"level": "error"},
        }
    full = entry.description or entry.summary
    return {
        "id": code,
        "name": entry.name,
        "shortDescription": {"text": entry.summary},
        "fullDescription": {"text": full},
        "help": {"text": f"{full}\n\nDocumentation: {entry.url}"},
        "helpUri": entry.url,
        "defaultConfiguration": {"level": entry.severity},
    }


def _srcroot() -> str:
    cwd = os.getcwd().replace(os.sep, "/")
    return "file://" + quote(cwd if cwd.endswith("/") else cwd + "/")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (shown as ``\\xNN``)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _attr(text: str) -> str:
    return quoteattr(_xml_text(text))


class JunitReporter(Reporter):
    """JUnit XML: one test case per file checked; a file with errors (or, with ``--strict``,
    warnings) fails, a file that could not be checked is an error."""

    def __init__(self, out: TextIO, **options: bool) -> None:
        super().__init__(out, **options)
        self.cases = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finish
        self.tests = self.failed = self.errored = 0

    def file(self, result: FileResult) -> None:
        if not result.checked and result.failure is None:
            return
        self.tests += 1
        write = self.cases.write
        name = _attr(result.file)
        write(f'    <testcase classname="newsmodel" name={name} file={name}>')
        errors = sum(p.is_error for p in result.problems)
        warnings = len(result.problems) - errors
        if result.failure is not None:
            self.errored += 1
            write(f"\n      <error message={_attr(result.failure)}/>\n    ")
        elif errors or (self.strict and warnings):
            self.failed += 1
            first = next((p for p in result.problems if p.is_error), result.problems[0])
            message = f"{errors} errors, {warnings} warnings: {first.code} {first.message}"
            body = "\n".join(
                format_problem(p, location=True) + (f"\n    hint: {p.hint}" if p.hint else "")
                for p in result.problems
            )
            write(
                f"\n      <failure type={_attr(first.code)} message={_attr(message)}>"
                f"{escape(_xml_text(body))}</failure>\n    "
            )
        elif warnings:
            body = "\n".join(format_problem(p, location=True) for p in result.problems)
            write(f"\n      <system-out>{escape(_xml_text(body))}</system-out>\n    ")
        write("</testcase>\n")

    def finish(self, summary: Summary) -> None:
        counts = f'tests="{self.tests}" failures="{self.failed}" errors="{self.errored}"'
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="newsmodel" {counts}>\n')
        self.out.write(f'  <testsuite name="newsmodel check" {counts} skipped="0">\n')
        self.cases.seek(0)
        while chunk := self.cases.read(1 << 16):
            self.out.write(chunk)
        self.cases.close()
        self.out.write("  </testsuite>\n</testsuites>\n")


FORMATS: dict[str, Callable[..., Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
}
