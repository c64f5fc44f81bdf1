"""What a code means and where its documentation is, from :mod:`newsmodel.codes`.

The one place the server asks: diagnostics link each code's section of the documentation
(``codeDescription.href``), hover shows its summary and description.
"""

from __future__ import annotations

import attrs

from .. import codes

__all__ = ["CodeInfo", "code_info"]


@attrs.frozen(kw_only=True)
class CodeInfo:
    """A code's name (``amp-cache-mismatch``), summary, description (plain text) and URL."""

    code: str
    name: str
    summary: str
    doc: str
    url: str


def code_info(code: str) -> CodeInfo:
    """What the registry says of ``code`` (a code it does not know links the docs' home)."""
    entry = codes.get(code)
    if entry is None:
        return CodeInfo(
            code=code, name=code, summary=f"Problem {code}.", doc="", url=codes.DOCS_URL
        )
    return CodeInfo(
        code=entry.code,
        name=entry.name,
        summary=entry.summary,
        doc=entry.description,
        url=entry.url,
    )
