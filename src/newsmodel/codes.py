"""The registry of problem codes: what each code means, how severe it is, where it is documented.

Every :class:`~newsmodel.Problem` carries a code. The codes of reading, parsing and structuring
a file (``NM0xx``, ``NM100``, ``NM101``) are defined here, one :class:`Code` each, and problems
with them are made by :meth:`Code.problem`, so the severity and the exception class live in one
place. The codes of the rules (``NM102``, ``NM2xx`` to ``NM6xx``) are declared on the rule
classes (``code``, ``severity``, ``name``, docstring) and collected here when a rule is
registered. The parser, the converter, :mod:`newsmodel.document`, the rules, the CLI's reports
(text, SARIF, ``--statistics``) and the documentation build all read this registry.

>>> from newsmodel import codes
>>> codes.get("NM007").summary
'A key appears twice in the same mapping.'
>>> codes.get("NM007").url
'https://newsmodel.github.io/newsmodel/rules/#nm007'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from .errors import DocumentError, FrontMatterError, SiteConfigError, StructureError, YAMLError
from .problems import Problem, Severity

__all__ = [
    "CR_LINE_ENDINGS",
    "DOCS_URL",
    "DUPLICATE_KEY",
    "KEY_NOT_STRING",
    "MISSING_KEY",
    "NOT_A_MAPPING",
    "NOT_UTF8",
    "NO_FRONT_MATTER",
    "RULES_PAGE",
    "SITE_CONFIG",
    "TOO_LARGE",
    "UNCLOSED_FRONT_MATTER",
    "UNREADABLE_FILE",
    "WRONG_TYPE",
    "YAML_ALIAS",
    "YAML_SYNTAX",
    "YAML_TAG",
    "Code",
    "all_codes",
    "error_class",
    "for_rule",
    "get",
    "plain_text",
    "reader_codes",
    "register",
]

DOCS_URL = "https://newsmodel.github.io/newsmodel/"
"""The base URL of the documentation site (the one place it is written; the MkDocs build
takes its ``site_url`` from here)."""

RULES_PAGE = "rules/"
"""The rules reference page, relative to :data:`DOCS_URL`: every code has a section there."""


@attrs.frozen(kw_only=True)
class Code:
    """One problem code: its meaning in plain text, its default severity, its documentation.

    ``summary`` is one sentence; ``description`` says more (plain text, paragraphs separated
    by blank lines). ``error`` is the :class:`~newsmodel.DocumentError` subclass that
    :func:`newsmodel.loads` raises when this is the first error of a file (reader codes only;
    rules never stop a file from loading). ``spec`` is the standard a rule follows, if any.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    description: str = ""
    error: type[DocumentError] | None = None
    spec: str = ""

    @property
    def anchor(self) -> str:
        """The id of the code's section on the rules page (``nm201``)."""
        return self.code.lower()

    @property
    def url(self) -> str:
        """The code's own section of the documentation site."""
        return f"{DOCS_URL}{RULES_PAGE}#{self.anchor}"

    def problem(
        self,
        message: str,
        *,
        pointer: str = "$",
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        file: str | None = None,
    ) -> Problem:
        """A :class:`~newsmodel.Problem` with this code and severity."""
        return Problem(
            code=self.code,
            severity=self.severity,
            message=message,
            pointer=pointer,
            line=line,
            column=column,
            hint=hint,
            file=file,
        )


_CODES: dict[str, Code] = {}


def register(entry: Code) -> Code:
    """Add a code to the registry (rules do this when they are registered).

    Registering the same code again with the same meaning is allowed (a module imported twice);
    a code already taken by something else is a :class:`ValueError`.
    """
    if not re.fullmatch(r"[A-Z]+[0-9]+", entry.code):
        raise ValueError(f"{entry.code!r} is not a code such as NM201")
    known = _CODES.get(entry.code)
    if known is not None and known != entry:
        raise ValueError(f"the code {entry.code} is already registered for {known.name!r}")
    _CODES[entry.code] = entry
    return entry


def _reader(
    code: str,
    name: str,
    summary: str,
    description: str,
    error: type[DocumentError],
) -> Code:
    return register(
        Code(
            code=code,
            name=name,
            severity="error",
            summary=summary,
            description=description,
            error=error,
        )
    )


UNREADABLE_FILE = _reader(
    "NM001",
    "unreadable-file",
    "The file cannot be read.",
    "The path is missing, is a folder or another file that is not a regular file (a FIFO, a "
    "device), cannot be opened, or is a symbolic link that loops. The checker reports it as a "
    "problem of that path and goes on with the other files.",
    FrontMatterError,
)
NOT_UTF8 = _reader(
    "NM002",
    "not-utf8",
    "The file is not UTF-8 text.",
    "The file starts with a UTF-16 or UTF-32 byte order mark, holds a NUL byte (it is binary) "
    "or holds bytes that are not UTF-8; the problem points at the first such byte. Save the "
    "file as UTF-8 (a UTF-8 byte order mark is allowed and kept).",
    FrontMatterError,
)
NO_FRONT_MATTER = _reader(
    "NM003",
    "no-front-matter",
    "The file has no front matter.",
    "The file is empty, or its first line is not the '---' line that opens the front matter.",
    FrontMatterError,
)
UNCLOSED_FRONT_MATTER = _reader(
    "NM004",
    "unclosed-front-matter",
    "The front matter has no closing '---' line.",
    "The front matter opens with '---' but no later line is '---', so there is no telling "
    "where the YAML ends and the body begins.",
    FrontMatterError,
)
YAML_SYNTAX = _reader(
    "NM005",
    "yaml-syntax",
    "The front matter is not valid YAML.",
    "A YAML syntax error: an unclosed bracket or quote, a tab used for indentation, more than "
    "one YAML document. The problem points where the mistake starts (an unclosed quote or "
    "bracket where it opens), with a hint where one helps. A timestamp that is not a real date "
    "(2021-13-45) is reported at its own field, and the rest of the file is still checked.",
    YAMLError,
)
NOT_A_MAPPING = _reader(
    "NM006",
    "not-a-mapping",
    "The front matter is not a mapping, or is empty.",
    "The front matter must be a mapping of keys such as 'title' to values; a list, a single "
    "value or nothing at all describes no item.",
    YAMLError,
)
DUPLICATE_KEY = _reader(
    "NM007",
    "duplicate-key",
    "A key appears twice in the same mapping.",
    "YAML forbids it, and readers disagree on which value wins (some take the first, some the "
    "last). Keep one of them.",
    YAMLError,
)
YAML_ALIAS = _reader(
    "NM008",
    "yaml-alias",
    "The front matter uses a YAML anchor or alias.",
    "Anchors (&name) and aliases (*name) make one value stand in several places: an edit of "
    "one place silently changes the others, and nested aliases can expand without bound. "
    "Write each value out.",
    YAMLError,
)
YAML_TAG = _reader(
    "NM009",
    "yaml-tag",
    "The front matter uses a YAML tag.",
    "Tags (such as !!str or !custom) ask the reader to build values of special types; front "
    "matter holds plain strings, numbers, booleans, timestamps, lists and mappings only.",
    YAMLError,
)
TOO_LARGE = _reader(
    "NM011",
    "too-large",
    "The front matter is too large or too deeply nested.",
    "The file or its front matter is larger than the reader's limits, or its lists and "
    "mappings nest deeper than they allow; the limits keep a hostile file from exhausting "
    "memory or time. A file too large to read raises FrontMatterError; a front matter too "
    "large or too deep, YAMLError.",
    YAMLError,
)
KEY_NOT_STRING = _reader(
    "NM012",
    "key-not-string",
    "A key is not a string.",
    "A mapping key is a number, a boolean, null, a timestamp or a collection; the keys of the "
    "format are names. Quote the key if it is meant as text.",
    YAMLError,
)
CR_LINE_ENDINGS = _reader(
    "NM013",
    "cr-line-endings",
    "The file uses CR-only line endings.",
    "YAML reads a lone carriage return as a line break, most editors and tools do not: lines "
    "would mean one thing to the parser and another to whoever reads the report. Use LF or "
    "CRLF line endings.",
    FrontMatterError,
)
WRONG_TYPE = _reader(
    "NM100",
    "wrong-type",
    "A value has the wrong type.",
    'The value does not fit the model: a string where a number is expected (quality: "64"), '
    "a date without a time or a time without a time zone, a quoted timestamp, a number with a "
    "fraction where a whole number is expected. Each such value is reported once; the rules "
    "skip it.",
    StructureError,
)
MISSING_KEY = _reader(
    "NM101",
    "missing-key",
    "A required key is missing.",
    "A key that every file of the format needs (such as title, type or provider) or that a "
    "nested mapping needs (such as the url of an image) is absent.",
    StructureError,
)

_READER_CODES = tuple(_CODES)

SITE_CONFIG = register(
    Code(
        code="NM700",
        name="site-config",
        severity="error",
        summary="The site configuration (_config.yml) cannot be read or used.",
        description=(
            "The site's _config.yml is not valid YAML, or a setting has a type Jekyll cannot "
            "use (collections, defaults, exclude, include, collections_dir, data_dir). "
            "Without it the site's layout is unknown, and its references are not judged."
        ),
        error=SiteConfigError,
        spec="https://jekyllrb.com/docs/configuration/",
    )
)


def reader_codes() -> list[Code]:
    """The codes of reading, parsing and structuring a file, in code order."""
    return [_CODES[code] for code in _READER_CODES]


def _load_rules() -> None:
    from .rules import all_rules

    all_rules()


def all_codes() -> list[Code]:
    """Every code: the reader's and every registered rule's, in code order."""
    _load_rules()
    return sorted(_CODES.values(), key=lambda c: c.code)


def get(code: str) -> Code | None:
    """The registered :class:`Code` of ``code``, or None (the rules are loaded if needed)."""
    found = _CODES.get(code)
    if found is None:
        _load_rules()
        found = _CODES.get(code)
    return found


def error_class(problems: Iterable[Problem]) -> type[DocumentError]:
    """The exception that stands for ``problems``: that of the first error's code."""
    for problem in problems:
        if problem.is_error:
            entry = _CODES.get(problem.code)
            if entry is not None and entry.error is not None:
                return entry.error
            break
    return DocumentError


# -- plain text from the rules' reStructuredText docstrings -------------------------------------

_ROLE = re.compile(r":[a-z]+:`~?(?:[\w.]*\.)?([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``")


def _quote(match: re.Match[str]) -> str:
    inner = match.group(1)
    return f'"{inner}"' if "'" in inner else f"'{inner}'"


def _cleandoc(doc: str) -> str:
    """``inspect.cleandoc`` without importing :mod:`inspect` (the CLI starts faster)."""
    lines = doc.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents, default=0)
    lines = [lines[0].strip()] + [line[margin:].rstrip() for line in lines[1:]]
    return "\n".join(lines).strip("\n")


def plain_text(doc: str) -> str:
    """A docstring's reStructuredText as plain text.

    Inline literals (double backquotes) become quoted text, roles (``:class:`~a.B```) their
    name, a paragraph's line breaks spaces, and a literal block's ``Fails::`` lead-in a colon;
    the literal blocks themselves keep their lines and indentation.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", _cleandoc(doc)):
        if not block.strip():
            continue
        if block.startswith((" ", "\t")):  # a literal block: as written
            paragraphs.append(block.rstrip())
            continue
        text = " ".join(line.strip() for line in block.splitlines())
        if text.endswith("::"):
            text = text[:-2].rstrip() if text[:-2].endswith(" ") or text == "::" else text[:-1]
        text = _LITERAL.sub(_quote, _ROLE.sub(r"\1", text))
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def for_rule(code: str, name: str, severity: Severity, doc: str | None, spec: str = "") -> Code:
    """The :class:`Code` of a rule, from what its class declares (its docstring in plain text:
    the first paragraph is the summary)."""
    description = plain_text(doc or "")
    summary = description.split("\n\n", 1)[0] if description else name
    return Code(
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        description=description,
        spec=spec,
    )
