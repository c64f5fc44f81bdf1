"""The language server, driven over stdio by a real LSP client (pygls's), as an editor would.

Each test starts ``python -m newsmodel lsp``, initializes it, and ends with ``shutdown`` and
``exit``; the server must then end with status 0. Every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "pygls", reason="the language server needs the extra newsmodel-frontmatter[lsp]"
)

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

import newsmodel as nm
from newsmodel.fix import fix_document

TIMEOUT = 20.0

BROKEN = """\
---
category: news
title: "Example Lab Opens a Weather Dataset"
excerpt: "A made-up article."
publishedDateTime: 2021-03-04T10:15:00Z
webURL: "https://www.example.com/news/weather-dataset"
webUrl: " https://www.example.com/news/weather-dataset "
ampWebUrl: "https://www.example.com/amp/news/weather-dataset"
cdnAmpWebUrl: "https://www.example.com.cdn.ampproject.org/c/s/www.example.com/amp/news/weather-dataset"
type: article
quality: 12
published: true

provider:
  name: Example News
  domain: Example.COM

topics: ["\U0001f326 Weather", ""]
levels:
  - Beginner
---
Body.
"""


def position_of(text: str, needle: str, occurrence: int = 0) -> t.Position:
    """The LSP (UTF-16) position of ``needle`` in ``text``."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at)
    before = text[text.rfind("\n", 0, at) + 1 : at]
    return t.Position(line, len(before.encode("utf-16-le")) // 2)


def span(text: str, needle: str) -> tuple[tuple[int, int], tuple[int, int]]:
    start = position_of(text, needle)
    end_text = text[: text.index(needle) + len(needle)]
    line = end_text.count("\n")
    col = len(end_text[end_text.rfind("\n") + 1 :].encode("utf-16-le")) // 2
    return (start.line, start.character), (line, col)


def as_span(r: t.Range) -> tuple[tuple[int, int], tuple[int, int]]:
    return (r.start.line, r.start.character), (r.end.line, r.end.character)


def apply_edits(text: str, edits: Sequence[t.TextEdit]) -> str:
    """Apply text edits (ASCII lines, UTF-16 positions) from the last to the first."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(p: t.Position) -> int:
        return starts[min(p.line, len(lines))] + p.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


class Session:
    """A client talking to one server process."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: asyncio.Queue[t.PublishDiagnosticsParams] = asyncio.Queue()
        self.logs: list[str] = []

    async def diagnostics(self, uri: str, version: int | None = None) -> list[t.Diagnostic]:
        """The next diagnostics published for ``uri`` (for ``version``, if given)."""
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.client.text_document_did_open(
            t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "markdown", version, text))
        )

    def change(self, uri: str, version: int, changes: list[Any]) -> None:
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(uri=uri, version=version), changes
            )
        )

    async def hover(self, uri: str, pos: t.Position) -> t.Hover | None:
        params = t.HoverParams(t.TextDocumentIdentifier(uri), pos)
        return await asyncio.wait_for(self.client.text_document_hover_async(params), TIMEOUT)

    async def complete(self, uri: str, pos: t.Position) -> list[str]:
        params = t.CompletionParams(t.TextDocumentIdentifier(uri), pos)
        result = await asyncio.wait_for(self.client.text_document_completion_async(params), TIMEOUT)
        assert isinstance(result, t.CompletionList)
        return [item.label for item in result.items]

    async def actions(
        self, uri: str, r: t.Range, diags: list[t.Diagnostic], only: list[str] | None = None
    ) -> list[t.CodeAction]:
        params = t.CodeActionParams(
            t.TextDocumentIdentifier(uri), r, t.CodeActionContext(diags, only=only)
        )
        found = await asyncio.wait_for(self.client.text_document_code_action_async(params), TIMEOUT)
        return [a for a in found or [] if isinstance(a, t.CodeAction)]


@asynccontextmanager
async def server(
    root: Path | None = None, options: Any = None, *, shutdown: bool = True
) -> AsyncIterator[Session]:
    client = LanguageClient("newsmodel-tests", "1")
    session = Session(client)

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: t.PublishDiagnosticsParams) -> None:
        session.published.put_nowait(params)

    @client.feature(t.WINDOW_LOG_MESSAGE)
    def logged(params: t.LogMessageParams) -> None:
        session.logs.append(params.message)

    await client.start_io(sys.executable, "-m", "newsmodel", "lsp")
    try:
        folders = None if root is None else [t.WorkspaceFolder(root.as_uri(), root.name)]
        init = t.InitializeParams(
            capabilities=t.ClientCapabilities(),
            workspace_folders=folders,
            initialization_options=options,
        )
        result = await asyncio.wait_for(client.initialize_async(init), TIMEOUT)
        assert result.server_info is not None and result.server_info.name == "newsmodel"
        sync = result.capabilities.text_document_sync
        assert isinstance(sync, t.TextDocumentSyncOptions)
        assert sync.change == t.TextDocumentSyncKind.Incremental
        client.initialized(t.InitializedParams())
        yield session
        if shutdown:
            await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
        assert client._server is not None
        code = await asyncio.wait_for(client._server.wait(), TIMEOUT)
        assert code == (0 if shutdown else 1), session.logs
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await asyncio.wait_for(client.stop(), TIMEOUT)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_diagnostics_fixes_hover_completion(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(BROKEN, encoding="utf-8")
    (tmp_path / "other.md").write_text(
        "---\ntitle: Other\ntopics:\n  - Quantum Computing\n  - Weather\n---\n", encoding="utf-8"
    )
    uri = path.as_uri()

    async def scenario() -> None:
        async with server(tmp_path) as s:
            s.open(uri, BROKEN)
            diags = await s.diagnostics(uri, 1)
            by_code = {d.code: d for d in diags}
            assert set(by_code) >= {"NM102", "NM202", "NM301", "NM403", "NM605"}
            expected = {p.code for p in nm.check_text(BROKEN)}
            assert set(by_code) == expected
            # exact ranges of the offending values (or keys), not just the line
            assert as_span(by_code["NM102"].range) == span(BROKEN, "webURL")
            assert as_span(by_code["NM301"].range) == span(
                BROKEN,
                '"https://www.example.com.cdn.ampproject.org/c/s/www.example.com/amp/news/weather-dataset"',
            )
            assert as_span(by_code["NM403"].range) == span(BROKEN, "Example.COM")
            # a non-BMP character counts two UTF-16 code units
            empty = position_of(BROKEN, '""]')
            assert empty.character == len('topics: ["') + len("Weather") + 2 + len('", ') + 1
            assert as_span(by_code["NM605"].range) == (
                (empty.line, empty.character),
                (empty.line, empty.character + 2),
            )
            for d in diags:
                assert d.source == "newsmodel"
                assert d.code_description is not None
                assert d.code_description.href.endswith(f"#{str(d.code).lower()}")
            assert by_code["NM102"].severity == t.DiagnosticSeverity.Warning
            assert by_code["NM301"].severity == t.DiagnosticSeverity.Error
            assert "Rename it to 'webUrl'." in by_code["NM102"].message  # the hint

            # a quick fix applied gives the text `newsmodel fix` writes for that value
            fixed_all = nm.dumps(fix_document(nm.loads(BROKEN)))
            actions = await s.actions(uri, by_code["NM301"].range, [by_code["NM301"]])
            quick = [a for a in actions if a.kind == t.CodeActionKind.QuickFix]
            assert len(quick) == 1 and quick[0].edit is not None
            edits = quick[0].edit.changes[uri]  # type: ignore[index]
            assert len(edits) == 1 and edits[0].range.start.line == 8
            after = apply_edits(BROKEN, edits)
            assert after.splitlines()[8] == fixed_all.splitlines()[8]
            assert (
                sum(a != b for a, b in zip(after.splitlines(), BROKEN.splitlines(), strict=True))
                == 1
            )

            # fix all: exactly what `newsmodel fix` writes
            fix_all = [a for a in actions if a.kind == "source.fixAll.newsmodel"]
            assert len(fix_all) == 1 and fix_all[0].edit is not None
            assert apply_edits(BROKEN, fix_all[0].edit.changes[uri]) == fixed_all  # type: ignore[index]
            only = await s.actions(uri, by_code["NM301"].range, [], only=["source.fixAll"])
            assert [a.kind for a in only] == ["source.fixAll.newsmodel"]

            # did-you-mean rename of an unknown key: not offered where it would duplicate
            actions = await s.actions(uri, by_code["NM102"].range, [by_code["NM102"]])
            assert not [a for a in actions if a.kind == t.CodeActionKind.QuickFix]

            # hover on a key and on a diagnostic
            hover = await s.hover(uri, position_of(BROKEN, "ampWebUrl"))
            assert hover is not None and isinstance(hover.contents, t.MarkupContent)
            assert "**`ampWebUrl`**: string" in hover.contents.value
            hover = await s.hover(uri, position_of(BROKEN, "publishedDateTime"))
            assert hover is not None and isinstance(hover.contents, t.MarkupContent)
            assert "timestamp" in hover.contents.value
            assert "`article`" in hover.contents.value  # the kinds that require it
            hover = await s.hover(uri, position_of(BROKEN, "Example.COM"))
            assert hover is not None and isinstance(hover.contents, t.MarkupContent)
            assert "**NM403**" in hover.contents.value and "#nm403" in hover.contents.value
            assert await s.hover(uri, t.Position(20, 0)) is None  # the body

            # completion: keys missing at top level and in a nested mapping, type values, topics
            text = BROKEN.replace("published: true\n", "published: true\nrel\n")
            s.change(uri, 2, [t.TextDocumentContentChangeWholeDocument(text)])
            pos = position_of(text, "rel\n")
            labels = await s.complete(uri, t.Position(pos.line, 3))
            assert "related" in labels and "images" in labels and "title" not in labels
            text2 = text.replace("  name: Example News\n", "  name: Example News\n  \n")
            s.change(uri, 3, [t.TextDocumentContentChangeWholeDocument(text2)])
            pos = position_of(text2, "  \n")
            labels = await s.complete(uri, t.Position(pos.line, 2))
            assert labels == ["images", "authors"]
            pos = position_of(text2, "type: article")
            labels = await s.complete(uri, t.Position(pos.line, 6))
            assert {"article", "video", "course", "download"} <= set(labels)
            pos = position_of(text2, "  - Beginner")
            labels = await s.complete(uri, t.Position(pos.line, 4))
            assert labels == ["Beginner"]  # levels used in the workspace (story.md on disk)
            text3 = text2.replace("levels:\n  - Beginner\n", "tags:\n  - \n")
            text3 = text3.replace('topics: ["\U0001f326 Weather", ""]\n', "topics:\n  - Q\n")
            s.change(uri, 4, [t.TextDocumentContentChangeWholeDocument(text3)])
            pos = position_of(text3, "  - Q")
            labels = await s.complete(uri, t.Position(pos.line, 5))
            assert "Quantum Computing" in labels

    run(scenario())


def test_incremental_changes_and_close(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "examples").glob("*.md").__next__().read_text("utf-8")
    uri = (tmp_path / "a.md").as_uri()

    async def scenario() -> None:
        async with server(None, {"debounce": 0.05}) as s:
            s.open(uri, text)
            assert await s.diagnostics(uri, 1) == []
            # type 'xyz' after 'type: ' one character at a time, as an editor sends it
            at = position_of(text, "\ntype: ")
            line = at.line + 1
            col = len("type: ")
            s.change(
                uri,
                2,
                [
                    t.TextDocumentContentChangePartial(
                        t.Range(t.Position(line, col), t.Position(line, 99)), ""
                    )
                ],
            )
            for n, ch in enumerate("xyz"):
                s.change(
                    uri,
                    3 + n,
                    [
                        t.TextDocumentContentChangePartial(
                            t.Range(t.Position(line, col + n), t.Position(line, col + n)), ch
                        )
                    ],
                )
            diags = await s.diagnostics(uri, 5)
            assert [d.code for d in diags] == ["NM611"]
            assert as_span(diags[0].range) == ((line, col), (line, col + 3))
            s.client.text_document_did_close(
                t.DidCloseTextDocumentParams(t.TextDocumentIdentifier(uri))
            )
            assert await s.diagnostics(uri) == []

    run(scenario())


def test_bad_input_never_kills_the_server(tmp_path: Path) -> None:
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    gone = tmp_path / "gone.md"
    gone.write_text(BROKEN, encoding="utf-8")
    huge = "---\ntitle: x\n---\n" + "y" * (9 * 1024 * 1024)

    async def scenario() -> None:
        async with server(tmp_path) as s:
            # a file that is not UTF-8 on disk: the editor decoded it somehow
            s.open(latin.as_uri(), "---\ntitle: café\n---\n")
            codes = [d.code for d in await s.diagnostics(latin.as_uri(), 1)]
            assert "NM002" in codes
            # an enormous file
            s.open("file:///huge.md", huge)
            diags = await s.diagnostics("file:///huge.md", 1)
            assert [d.code for d in diags] == ["NM011"]
            assert await s.hover("file:///huge.md", t.Position(1, 2)) is not None
            # a file deleted while open, then saved
            s.open(gone.as_uri(), BROKEN)
            await s.diagnostics(gone.as_uri(), 1)
            gone.unlink()
            s.client.text_document_did_save(
                t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(gone.as_uri()))
            )
            assert await s.diagnostics(gone.as_uri(), 1)
            # positions past the end, files never opened, a change to a closed file
            far = t.Position(10_000, 10_000)
            assert await s.hover(gone.as_uri(), far) is None
            assert await s.complete(gone.as_uri(), far) == []
            assert await s.actions(gone.as_uri(), t.Range(far, far), []) != []  # fix-all only
            assert await s.hover("file:///never.md", far) is None
            assert await s.actions("file:///never.md", t.Range(far, far), []) == []
            params = t.CompletionParams(t.TextDocumentIdentifier("file:///never.md"), far)
            never = await s.client.text_document_completion_async(params)
            assert never is None
            s.change("file:///never.md", 2, [t.TextDocumentContentChangeWholeDocument("x")])
            # a change whose range is past the end is clamped, not fatal
            s.change(
                gone.as_uri(),
                2,
                [t.TextDocumentContentChangePartial(t.Range(far, far), "\n# appended\n")],
            )
            assert await s.diagnostics(gone.as_uri(), 2)
            assert any("not open" in m for m in s.logs)

    run(scenario())


def test_exit_without_shutdown_is_status_1() -> None:
    async def scenario() -> None:
        async with server(shutdown=False):
            pass

    run(scenario())


SITE = Path(__file__).resolve().parents[2] / "shared" / "sites" / "microsoft-power-apps"


@pytest.mark.skipif(not SITE.is_dir(), reason=f"the real site is not at {SITE}")
def test_site_rules_when_the_workspace_is_a_site(tmp_path: Path) -> None:
    """A small copy of the real site: a collection and the courses it lists."""
    collection = SITE / "_learning" / "collections"
    source = next(
        p
        for p in sorted(collection.glob("*.md"))
        if "\nitems:\n  - courses/" in p.read_text("utf-8")
    )
    text = source.read_text(encoding="utf-8")
    items = [line[4:] for line in text.split("\n") if line.startswith("  - courses/")]
    (tmp_path / "_learning" / "collections").mkdir(parents=True)
    (tmp_path / "_learning" / "courses").mkdir(parents=True)
    (tmp_path / "_config.yml").write_bytes((SITE / "_config.yml").read_bytes())
    target = tmp_path / "_learning" / "collections" / source.name
    target.write_text(text, encoding="utf-8")
    for item in items:
        name = item.split("/", 1)[1] + ".md"
        (tmp_path / "_learning" / "courses" / name).write_bytes(
            (SITE / "_learning" / "courses" / name).read_bytes()
        )
    broken = text.replace(f"  - {items[0]}\n", f"  - {items[0]}x\n", 1)

    async def scenario() -> None:
        async with server(tmp_path) as s:
            s.open(target.as_uri(), text)
            before = [d.code for d in await s.diagnostics(target.as_uri(), 1)]
            assert not [c for c in before if c.startswith("NM7")]  # every reference resolves
            s.change(target.as_uri(), 2, [t.TextDocumentContentChangeWholeDocument(broken)])
            diags = await s.diagnostics(target.as_uri(), 2)
            (ref,) = [d for d in diags if d.code == "NM701"]
            assert sorted(d.code for d in diags if d is not ref) == sorted(before)
            assert as_span(ref.range) == span(broken, f"{items[0]}x")
            assert f"Did you mean '{items[0]}'" in ref.message
            target.write_text(broken, encoding="utf-8")  # saved: read again for the site
            s.client.text_document_did_save(
                t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(target.as_uri()))
            )
            again = await s.diagnostics(target.as_uri(), 2)
            assert [d.code for d in again] == [d.code for d in diags]

    run(scenario())
