"""The validation rules: one small class per rule, each with a code, in a registry.

Codes by family: ``NM0xx`` reading and YAML, ``NM1xx`` types and keys, ``NM2xx`` URLs,
``NM3xx`` AMP, ``NM4xx`` provider and domains, ``NM5xx`` dates, ``NM6xx`` other shape rules.
"""

from __future__ import annotations

from ._base import RULES, Context, Rule, register

__all__ = ["RULES", "Context", "Rule", "all_rules", "register"]


def all_rules() -> list[Rule]:
    """Every registered rule (importing the rule modules registers them)."""
    from . import _load  # noqa: F401

    return list(RULES)
