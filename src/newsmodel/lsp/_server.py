"""The language server: pygls wiring around :mod:`._analysis`.

The server keeps the text of each open file itself (incremental changes applied with the
protocol's line and column rules, see :mod:`._text`), checks it in one worker thread after a
short pause in typing (only the newest version is checked and published), and answers hover,
completion and code actions from the newest check. Every handler catches what it raises: the
error goes to the client's log and the request gets an empty answer, the server goes on.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from .._version import __version__
from ..config import Config, load_config
from ..document import MAX_FILE_BYTES, decode
from ..errors import NewsModelError
from ..problems import Problem
from ._analysis import (
    FIX_ALL_KIND,
    Analysis,
    analyse,
    code_actions,
    completion,
    diagnostics,
    hover,
)
from ._text import apply_change
from ._workspace import (
    COMPLETED_KEYS,
    SiteChecker,
    SiteRules,
    WorkspaceValues,
    site_checker,
    values_of,
)

__all__ = ["DEFAULT_DEBOUNCE", "NewsmodelServer", "create_server"]

DEFAULT_DEBOUNCE = 0.02
"""Seconds to gather the changes that arrived during a check before checking them
(``initializationOptions``: ``{"debounce": 0.1}``). A change to a quiet file is checked at
once, and a check runs at most once at a time per file (about 20 ms of CPU for the largest
real file), so a burst of keystrokes is checked once, not once per keystroke."""

logger = logging.getLogger("newsmodel.lsp")

T = TypeVar("T")


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, except that the server keeps the open files' text itself.

    The three notifications are plain methods here, not generators as in pygls: pygls keeps
    the future of a generator handler of a notification in its table of requests under a new
    id and never removes it, one future (about 2 KiB) per keystroke.
    """

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: lsp.DidOpenTextDocumentParams) -> None:
        self._user(lsp.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> None:
        self._user(lsp.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: lsp.DidCloseTextDocumentParams) -> None:
        self._user(lsp.TEXT_DOCUMENT_DID_CLOSE, params)

    def _user(self, method: str, params: Any) -> None:
        handler = self.fm.features.get(method)
        if handler is not None:
            handler(params)


class OpenFile:
    """An open file: its newest text and version, and the newest check of it."""

    __slots__ = ("analysis", "dirty", "disk", "file", "task", "text", "uri", "version")

    def __init__(self, uri: str, text: str, version: int) -> None:
        self.uri = uri
        self.text = text
        self.version = version
        self.file = to_fs_path(uri) if uri.startswith("file:") else None
        self.analysis: Analysis | None = None
        self.task: asyncio.Task[None] | None = None
        self.dirty = False
        self.disk: list[Problem] = []


class NewsmodelServer(LanguageServer):
    """The newsmodel language server (see :func:`newsmodel.lsp.serve`)."""

    def __init__(self) -> None:
        super().__init__(
            "newsmodel",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=_Protocol,
        )
        self.files: dict[str, OpenFile] = {}
        self.debounce = DEFAULT_DEBOUNCE
        self.select: tuple[str, ...] | None = None
        self.ignore: tuple[str, ...] = ()
        self.values = WorkspaceValues()
        self.sites: dict[Path, SiteChecker] = {}
        self.shutdown_requested = False
        self.checker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="newsmodel")
        self.scanner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="nm-scan")

    # -- helpers ---------------------------------------------------------------------------

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Warning) -> None:
        """A line in the client's log (and on stderr if the client is gone)."""
        try:
            self.window_log_message(lsp.LogMessageParams(type=kind, message=message))
        except Exception:  # pragma: no cover - no client to write to
            logger.warning("%s", message)

    @property
    def encoding(self) -> str:
        try:
            return str(self.workspace.position_encoding or "utf-16")
        except RuntimeError:  # pragma: no cover - not initialized
            return "utf-16"

    def config_for(self, file: str | None) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
        """``select`` and ``ignore`` for a file: ``[tool.newsmodel]``, then the client's options."""
        config = _config(os.path.dirname(file)) if file else Config()
        select = self.select if self.select is not None else config.select
        ignore = self.ignore + (config.ignores_for(file) if file else config.ignore)
        return select, ignore

    def site_of(self, file: str | None) -> SiteChecker | None:
        if file is None:
            return None
        path = Path(file)
        for folder, checker in self.sites.items():
            if path.is_relative_to(folder):
                return checker
        return None

    def analyse(self, f: OpenFile, text: str, version: int) -> Analysis:
        """Check one version of a file (in the worker thread, or in the handler's)."""
        select, ignore = self.config_for(f.file)
        extra = list(f.disk)
        checker = self.site_of(f.file)
        if checker is not None and f.file is not None:
            try:
                extra.extend(checker(f.file, text))
            except Exception as exc:
                self.log(f"newsmodel: site rules failed on {f.file}: {exc!r}")
        an = analyse(
            text,
            version=version,
            file=f.file,
            encoding=self.encoding,
            select=select,
            ignore=ignore,
            extra=extra,
        )
        if f.file is not None and _config(os.path.dirname(f.file)).excluded(f.file):
            an.problems = []  # excluded by [tool.newsmodel]: no diagnostics, as for `check`
        return an

    def current(self, f: OpenFile) -> Analysis:
        """The check of the file's newest version (made now if the worker has not yet)."""
        an = f.analysis
        if an is None or an.version != f.version or an.text is not f.text:
            an = f.analysis = self.analyse(f, f.text, f.version)
        return an

    def schedule(self, f: OpenFile, delay: float) -> None:
        """Check the file's newest version and publish its diagnostics.

        At most one check of a file runs at a time: a change to a quiet file is checked at
        once; changes that arrive during a check are checked together when it ends, after
        ``delay`` seconds more of gathering; the result of a version that is no longer the
        newest is never published. Typing never queues up checks, and a single change is
        shown after one check.
        """
        f.dirty = True
        if f.task is None or f.task.done():
            f.task = asyncio.ensure_future(self._check(f, delay))

    async def _check(self, f: OpenFile, delay: float) -> None:
        loop = asyncio.get_running_loop()
        wait = 0.0  # a change to a quiet file is checked at once (after the changes already read)
        while f.dirty and self.files.get(f.uri) is f:
            try:
                await asyncio.sleep(wait)
                wait = delay  # changes that came during a check: gather a burst, then check
                f.dirty = False
                version, text = f.version, f.text
                an = await loop.run_in_executor(self.checker, self.analyse, f, text, version)
                if self.files.get(f.uri) is not f or f.version != version:
                    continue  # a newer version is on its way (or the file was closed)
                f.analysis = an
                params = lsp.PublishDiagnosticsParams(
                    uri=f.uri, diagnostics=diagnostics(an), version=version
                )
                self.text_document_publish_diagnostics(params)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.log(f"newsmodel: checking {f.uri} failed: {exc!r}\n{traceback.format_exc()}")

    def disk_problems(self, f: OpenFile) -> list[Problem]:
        """NM002 if the file on disk is not UTF-8 (the editor shows it decoded somehow)."""
        if f.file is None:
            return []
        try:
            with open(f.file, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError:
            return []  # not saved yet, deleted, unreadable: the editor's text is what counts
        try:
            decode(data, f.file)
        except NewsModelError as exc:
            return [
                p
                for p in getattr(exc, "problems", ())
                if isinstance(p, Problem) and p.code == "NM002"
            ]
        return []

    def scan(self, folder: Path) -> None:
        try:
            count = self.values.scan(folder)
            self.log(f"newsmodel: read {count} files under {folder}", lsp.MessageType.Info)
        except Exception as exc:  # pragma: no cover - scan never raises for files
            self.log(f"newsmodel: reading {folder} failed: {exc!r}")


@functools.lru_cache(maxsize=64)
def _config(folder: str) -> Config:
    try:
        return load_config([folder or "."])
    except NewsModelError as exc:
        logger.warning("newsmodel: %s", exc)
        return Config()


def _guard(handler: Callable[..., T]) -> Callable[..., T | None]:
    """Run a handler; on any error log it to the client and answer ``None``."""

    @functools.wraps(handler)
    def run(ls: NewsmodelServer, params: Any) -> T | None:
        try:
            return handler(ls, params)
        except Exception as exc:
            ls.log(
                f"newsmodel: {handler.__name__} failed: {exc!r}\n{traceback.format_exc()}",
                lsp.MessageType.Error,
            )
            return None

    return run


def _options(ls: NewsmodelServer, options: Any) -> None:
    if not isinstance(options, dict):
        return
    debounce = options.get("debounce")
    if isinstance(debounce, (int, float)) and 0 <= debounce <= 10:
        ls.debounce = float(debounce)
    for name in ("select", "ignore"):
        value = options.get(name)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            setattr(ls, name, tuple(value))


def create_server() -> NewsmodelServer:
    """A new server with every feature registered (start it with ``start_io()``)."""
    server = NewsmodelServer()

    @server.feature(lsp.INITIALIZE)
    @_guard
    def initialize(ls: NewsmodelServer, params: lsp.InitializeParams) -> None:
        _options(ls, params.initialization_options)
        folders = [f.uri for f in params.workspace_folders or ()]
        if not folders and params.root_uri:
            folders = [params.root_uri]
        for uri in folders:
            path = to_fs_path(uri) if uri.startswith("file:") else None
            if path and os.path.isdir(path):
                folder = Path(path)
                checker = site_checker(folder)
                if checker is not None:
                    ls.sites[checker.root] = checker
                ls.scanner.submit(ls.scan, folder)

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: NewsmodelServer, params: Any) -> None:
        ls.shutdown_requested = True
        for f in ls.files.values():
            if f.task is not None:
                f.task.cancel()
        ls.scanner.shutdown(wait=False, cancel_futures=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @_guard
    def did_open(ls: NewsmodelServer, params: lsp.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        f = OpenFile(doc.uri, doc.text, doc.version)
        f.disk = ls.disk_problems(f)
        ls.files[doc.uri] = f
        ls.schedule(f, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @_guard
    def did_change(ls: NewsmodelServer, params: lsp.DidChangeTextDocumentParams) -> None:
        f = ls.files.get(params.text_document.uri)
        if f is None:
            ls.log(f"newsmodel: a change to {params.text_document.uri}, which is not open")
            return
        text = f.text
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                r = change.range
                text = apply_change(
                    text,
                    (r.start.line, r.start.character),
                    (r.end.line, r.end.character),
                    change.text,
                    ls.encoding,
                )
            else:
                text = change.text
        f.text = text
        f.version = params.text_document.version
        ls.schedule(f, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @_guard
    def did_save(ls: NewsmodelServer, params: lsp.DidSaveTextDocumentParams) -> None:
        f = ls.files.get(params.text_document.uri)
        if f is not None:
            f.disk = ls.disk_problems(f)
            f.analysis = None
            checker = ls.site_of(f.file)
            if f.file is not None and isinstance(checker, SiteRules):
                checker.forget(f.file)  # what it says on disk, for the site's other files
            ls.schedule(f, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @_guard
    def did_close(ls: NewsmodelServer, params: lsp.DidCloseTextDocumentParams) -> None:
        f = ls.files.pop(params.text_document.uri, None)
        if f is not None and f.task is not None:
            f.task.cancel()
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @_guard
    def on_hover(ls: NewsmodelServer, params: lsp.HoverParams) -> lsp.Hover | None:
        f = ls.files.get(params.text_document.uri)
        if f is None:
            return None
        return hover(ls.current(f), params.position.line, params.position.character)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=[" ", "-"]),
    )
    @_guard
    def on_completion(
        ls: NewsmodelServer, params: lsp.CompletionParams
    ) -> lsp.CompletionList | None:
        f = ls.files.get(params.text_document.uri)
        if f is None:
            return None
        an = ls.current(f)
        opened: dict[str, list[str]] = {}
        for other in ls.files.values():
            done = other.analysis
            if done is not None and done.parsed is not None:
                for key, found in values_of(done.parsed.root, COMPLETED_KEYS).items():
                    opened.setdefault(key, []).extend(found)
        items = completion(
            an, params.position.line, params.position.character, ls.values.snapshot(opened)
        )
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(
            code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND],
        ),
    )
    @_guard
    def on_code_action(
        ls: NewsmodelServer, params: lsp.CodeActionParams
    ) -> list[lsp.CodeAction] | None:
        f = ls.files.get(params.text_document.uri)
        if f is None:
            return None
        an = ls.current(f)
        return code_actions(an, f.uri, params.context.diagnostics, params.context.only) or None

    return server
