"""Benchmark job: the language server over stdio, as an editor drives it.

    python benchmarks/_lsp.py FILE [--changes 30] [--typing 1000]

Starts ``python -m newsmodel lsp`` with pygls's client, opens FILE, then:

* latency: ``--changes`` single-character edits, one at a time; for each, the time from
  sending ``didChange`` to receiving the diagnostics of that version (the server's debounce
  included, as a user sees it);
* typing: ``--typing`` more edits, each one checked and published before the next (every
  change goes through the whole pipeline), with the server's resident memory (VmRSS from
  ``/proc``) before and after.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

TIMEOUT = 30.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (``/proc/PID/stat``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def session(path: Path, changes: int, typing: int) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    client = LanguageClient("newsmodel-bench", "1")
    waiting: dict[int, asyncio.Future[tuple[float, int]]] = {}

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: t.PublishDiagnosticsParams) -> None:
        fut = waiting.pop(params.version or -1, None)
        if fut is not None and not fut.done():
            fut.set_result((time.perf_counter(), len(params.diagnostics)))

    await client.start_io(sys.executable, "-m", "newsmodel", "lsp")
    assert client._server is not None
    pid = client._server.pid
    await client.initialize_async(t.InitializeParams(capabilities=t.ClientCapabilities()))
    client.initialized(t.InitializedParams())
    loop = asyncio.get_running_loop()

    def expect(version: int) -> asyncio.Future[tuple[float, int]]:
        fut: asyncio.Future[tuple[float, int]] = loop.create_future()
        waiting[version] = fut
        return fut

    fut = expect(1)
    sent = time.perf_counter()
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "markdown", 1, text))
    )
    got, problems = await asyncio.wait_for(fut, TIMEOUT)
    open_ms = (got - sent) * 1000
    # the edit: one character of the title's line, alternately replaced and put back
    line = next(i for i, s in enumerate(text.split("\n")) if s.startswith("title:"))
    col = len('title: "')
    original = text.split("\n")[line][col]
    version = 1

    async def edit() -> float:
        nonlocal version
        version += 1
        ch = "Q" if version % 2 == 0 else original
        fut = expect(version)
        sent = time.perf_counter()
        client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [
                    t.TextDocumentContentChangePartial(
                        t.Range(t.Position(line, col), t.Position(line, col + 1)), ch
                    )
                ],
            )
        )
        got, _ = await asyncio.wait_for(fut, TIMEOUT)
        return (got - sent) * 1000

    for _ in range(5):  # warm-up: caches, first imports of rule modules
        await edit()
    latencies = [await edit() for _ in range(changes)]
    if version % 2:  # back to the original text before measuring memory
        await edit()
    rss_before = rss_kib(pid)
    cpu_before = cpu_seconds(pid)
    typing_ms = []
    rss_trace = [rss_before]
    for n in range(1, typing + 1):
        typing_ms.append(await edit())
        if n % 100 == 0:
            rss_trace.append(rss_kib(pid))
    rss_after = rss_kib(pid)
    cpu_per_change = (cpu_seconds(pid) - cpu_before) / max(typing, 1) * 1000
    await client.shutdown_async(None)
    client.exit(None)
    code = await asyncio.wait_for(client._server.wait(), TIMEOUT)
    await client.stop()
    lat = sorted(latencies)
    return {
        "mode": "lsp",
        "file": str(path),
        "bytes": len(text.encode("utf-8")),
        "problems": problems,
        "open_ms": round(open_ms, 1),
        "changes": changes,
        "latency_ms_median": round(statistics.median(lat), 1),
        "latency_ms_p90": round(lat[int(0.9 * (len(lat) - 1))], 1),
        "latency_ms_max": round(lat[-1], 1),
        "latency_ms_min": round(lat[0], 1),
        "typing_changes": typing,
        "typing_ms_median": round(statistics.median(typing_ms), 1) if typing_ms else None,
        "server_cpu_ms_per_change": round(cpu_per_change, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "rss_before_kib": rss_before,
        "rss_after_kib": rss_after,
        "rss_kib_every_100": rss_trace,
        "exit_status": code,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", type=Path)
    ap.add_argument("--changes", type=int, default=30)
    ap.add_argument("--typing", type=int, default=1000)
    args = ap.parse_args()
    print(json.dumps(asyncio.run(session(args.file, args.changes, args.typing))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
