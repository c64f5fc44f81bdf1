"""What a code means and where its documentation is, for the server: from :mod:`newsmodel.codes`.

The registry of codes holds every code's name, plain-text summary and description, and the URL of
its section of the rules reference; this module only shapes that for the server's hovers and
diagnostics.
"""

from __future__ import annotations

import attrs

from .. import codes

__all__ = ["CodeInfo", "code_info"]


@attrs.frozen(kw_only=True)
class CodeInfo:
    """A code's name (``amp-cache-mismatch``), summary, documentation (plain text) and URL."""

    code: str
    name: str
    summary: str
    doc: str
    url: str


def code_info(code: str) -> CodeInfo:
    """What is known of ``code`` (a code nothing registered gets the rules page's URL)."""
    entry = codes.get(code)
    if entry is None:
        url = f"{codes.DOCS_URL}{codes.RULES_PAGE}"
        return CodeInfo(code=code, name=code, summary=f"Problem {code}.", doc="", url=url)
    return CodeInfo(
        code=code,
        name=entry.name,
        summary=entry.summary,
        doc=entry.description,
        url=entry.url,
    )
