"""The newsmodel language server: diagnostics as you type, quick fixes, hover and completion.

``newsmodel lsp`` runs it over stdio for any editor with an LSP client (set-up in
``docs/editors.md``). It needs the optional dependencies of ``newsmodel-frontmatter[lsp]`` (pygls and
lsprotocol); the core install does not. It is built on the same engine as ``newsmodel check``
and ``newsmodel fix``: the same rules, codes, messages and fixes.
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Any

__all__ = ["LSP_EXTRA_MISSING", "create_server", "serve"]

LSP_EXTRA_MISSING = (
    "the language server needs the optional dependencies of newsmodel-frontmatter[lsp]: "
    "pip install 'newsmodel-frontmatter[lsp]'"
)


def create_server() -> Any:
    """A new :class:`pygls` language server with every newsmodel feature registered."""
    from ._server import create_server as make

    return make()


def serve(stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None) -> int:
    """Serve one client over stdio until it sends ``exit``; return the exit status.

    0 when the client asked to shut down first (as the protocol says), 1 otherwise.
    """
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(name)s: %(message)s")
    server = create_server()
    server.start_io(stdin, stdout)
    return 0 if server.shutdown_requested else 1
