"""A Griffe extension for the API reference: the docstrings' reStructuredText roles as Markdown.

The docstrings say :class:`~newsmodel.Problem` and ``code`` (Sphinx style); Markdown would show
the role names literally. This turns ``:role:`~a.b.Name``` into ```Name``` (and
``:role:`a.b``` into ```a.b```) before mkdocstrings renders the docstring.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["RstRoles"]

_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj|const):`(~?)([^`]+)`")


def _role(m: re.Match[str]) -> str:
    target = m.group(2)
    return f"`{target.rsplit('.', 1)[-1] if m.group(1) else target}`"


class RstRoles(griffe.Extension):
    """Rewrite Sphinx cross-reference roles in every docstring as inline code."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_role, obj.docstring.value)
