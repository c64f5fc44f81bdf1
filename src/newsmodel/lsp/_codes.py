"""What a code means and where its documentation is: the one place the server asks.

Until the project has one registry of codes, rule codes are described by the rule registry
(name, severity, docstring) and the reading codes by the CLI's table; the documentation URL of
every code is its section of the rules page. Point :func:`code_info` at the registry when it
exists: nothing else in the server knows where these facts come from.
"""

from __future__ import annotations

import functools
import inspect
import re

import attrs

__all__ = ["DOCS_RULES_URL", "CodeInfo", "code_info"]

DOCS_RULES_URL = "https://github.com/newsmodel/newsmodel/blob/main/docs/rules.md"
"""The rules reference; each code has a section there (``#nm301``)."""

_ROLE = re.compile(r":[a-z]+:`~?(?:[\w.]*\.)?([^`]+)`")


@attrs.frozen(kw_only=True)
class CodeInfo:
    """A code's name (``amp-cache-mismatch``), summary, documentation (Markdown) and URL."""

    code: str
    name: str
    summary: str
    doc: str
    url: str


def _markdown(doc: str) -> str:
    """The bits of reStructuredText the rules' docstrings use, as Markdown."""
    doc = _ROLE.sub(r"`\1`", doc)
    doc = re.sub(r"``([^`]+)``", r"`\1`", doc)
    out: list[str] = []
    lines = doc.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::") and not line.startswith(" "):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith(" ")):
                j += 1
            block = inspect.cleandoc("\n".join(lines[i + 1 : j]))
            out.extend([line.rstrip()[:-1].rstrip() + ":", "", "```yaml", block, "```", ""])
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out).strip()


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, CodeInfo]:
    from ..cli._report import BUILTIN_CODES
    from ..rules import all_rules

    table = {
        code: CodeInfo(code=code, name=code, summary=text, doc=text, url=_url(code))
        for code, text in BUILTIN_CODES.items()
    }
    for rule in all_rules():
        doc = inspect.getdoc(type(rule)) or ""
        summary = doc.split("\n\n", 1)[0].replace("\n", " ").strip() or rule.name
        table[rule.code] = CodeInfo(
            code=rule.code,
            name=rule.name,
            summary=_markdown(summary),
            doc=_markdown(doc),
            url=_url(rule.code),
        )
    return table


def _url(code: str) -> str:
    return f"{DOCS_RULES_URL}#{code.lower()}"


def code_info(code: str) -> CodeInfo:
    """What is known of ``code`` (a code nothing describes still gets its docs URL)."""
    found = _table().get(code)
    if found is None:
        return CodeInfo(code=code, name=code, summary=f"Problem {code}.", doc="", url=_url(code))
    return found
