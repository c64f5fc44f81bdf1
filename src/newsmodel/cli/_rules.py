"""What each code means, for ``--statistics`` and the SARIF rule table.

Rule codes come from the rule registry (name, severity, docstring, spec link); the codes of
reading, parsing and structuring from :data:`~newsmodel.cli._report.BUILTIN_CODES`.
"""

from __future__ import annotations

import functools
import inspect
from typing import NamedTuple

__all__ = ["RuleInfo", "describe", "rule_info"]


class RuleInfo(NamedTuple):
    code: str
    name: str
    short: str
    full: str
    level: str
    help_uri: str


@functools.lru_cache(maxsize=1)
def _registry() -> dict[str, RuleInfo]:
    from ..rules import all_rules
    from ._report import BUILTIN_CODES

    table = {
        code: RuleInfo(code, code, text, "", "error", "") for code, text in BUILTIN_CODES.items()
    }
    for rule in all_rules():
        doc = inspect.getdoc(type(rule)) or ""
        paragraphs = [p.replace("\n", " ").strip() for p in doc.split("\n\n") if p.strip()]
        short = paragraphs[0] if paragraphs else getattr(rule, "name", rule.code)
        table[rule.code] = RuleInfo(
            rule.code,
            getattr(rule, "name", rule.code) or rule.code,
            short,
            doc,
            "error" if rule.severity == "error" else "warning",
            getattr(rule, "spec", "") or "",
        )
    return table


def rule_info(code: str) -> RuleInfo:
    """What is known of ``code`` (a placeholder for a code nothing describes)."""
    return _registry().get(code) or RuleInfo(code, code, f"Problem {code}.", "", "error", "")


def describe(code: str) -> str:
    """A one-line description of ``code``."""
    return rule_info(code).short
