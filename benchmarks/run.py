#!/usr/bin/env python3
"""Side-by-side benchmarks of newsmodel against hand-rolled baselines (issue 5).

Every measurement is a whole process (its own start-up included), run alternately with the
tools it is compared to (A B C, B C A, C A B, ...), after warm-up runs that are not counted.
Prints a table of ratios (ours / theirs throughput) with each target's PASS/MISS and writes
``docs/performance.md`` and ``docs/performance.svg``. See ``benchmarks/README.md``.

    python benchmarks/run.py             # 1 warm-up + 5 counted runs of everything
    python benchmarks/run.py --quick     # 1 warm-up + 3 counted runs (smoke)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_BASELINE = REPO.parent / "shared" / "bench" / "baseline.py"
DEFAULT_FAMILY = REPO.parent / "shared" / "family"
SECTIONS = ("check", "roundtrip", "edit", "startup", "100k", "lsp", "cache")
DEFAULT_LSP_FOLDER = REPO.parent / "shared" / "family" / "everyday-azure-news"
LSP_START = "<!-- lsp-benchmark:start -->"
LSP_END = "<!-- lsp-benchmark:end -->"
MB = 1024.0  # ru_maxrss and VmRSS are in KiB


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One whole-process run."""

    wall: float  # seconds, fork to reap
    cpu: float  # user + system seconds of the process and its reaped children
    maxrss_kib: int  # wait4's ru_maxrss: floored by this harness's own RSS (fork), raw only
    tree_kib: int  # peak: sampled sum of VmRSS over the tree, or a VmHWM (0: not sampled)
    pss_kib: int  # peak: sampled sum of Pss over the tree (shared pages counted once; 0: none)
    returncode: int
    lines: int  # lines written to stdout
    report: dict[str, object] | None  # the job's own JSON line, if it printed one
    head: str  # the first lines of output, for the log


def _tree_rss_kib(pid: int) -> tuple[int, int, int]:
    """Sum of VmRSS over ``pid`` and its descendants, the largest VmHWM among them (the
    high-water mark since exec; 0 where /proc cannot tell), and the sum of their Pss.

    RSS counts a page shared by the forked workers and their parent once in each process;
    Pss divides it among them (what the tree takes of the machine's memory)."""
    total, hwm, pss, todo, seen = 0, 0, 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        hwm = max(hwm, int(line.split()[1]))
                    elif line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with contextlib.suppress(OSError), open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total, hwm, pss


class _Sampler(threading.Thread):
    """Polls the process tree's total RSS until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.pss = pid, interval, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss, hwm, pss = _tree_rss_kib(self.pid)
            self.peak = max(self.peak, rss, hwm)
            self.pss = max(self.pss, pss)
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def run_once(cmd: Sequence[str], *, sample: bool = False) -> Run:
    """Run ``cmd`` to completion; time it from fork to reap and take its rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, start_new_session=True)
        sampler = _Sampler(proc.pid) if sample else None
        if sampler:
            sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: stop the child and its workers, then go on
            if sampler:
                sampler.stop()
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        wall = time.perf_counter() - t0
        tree = sampler.stop() if sampler else 0
        pss = sampler.pss if sampler else 0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        err.seek(0)
        errtext = err.read().decode("utf-8", "replace")
    report = None
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                report = json.loads(line)
            break
    head = "\n".join((text + errtext).splitlines()[:3])
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_kib=usage.ru_maxrss,
        tree_kib=tree,
        pss_kib=pss,
        returncode=proc.returncode,
        lines=text.count("\n"),
        report=report,
        head=head,
    )


@dataclass
class Case:
    """One tool in a comparison: its command, how many files it does, its runs."""

    key: str
    label: str
    cmd: list[str]
    files: int
    prepare: Callable[[], None] | None = None
    sample: bool = True
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rate(self) -> float:
        return self.files / self.wall

    @property
    def own_seconds(self) -> float | None:
        vals = [r.report["seconds"] for r in self.runs if r.report and "seconds" in r.report]
        nums = [float(v) for v in vals if isinstance(v, (int, float))]
        return statistics.median(nums) if nums else None

    @property
    def peak_mib(self) -> float:
        return max(r.tree_kib for r in self.runs) / MB

    @property
    def pss_mib(self) -> float:
        return max(r.pss_kib for r in self.runs) / MB

    def summary(self) -> dict[str, object]:
        walls = [r.wall for r in self.runs]
        return {
            "label": self.label,
            "command": shlex.join(self.cmd),
            "files": self.files,
            "runs": len(self.runs),
            "wall_median": self.wall,
            "wall_min": min(walls),
            "wall_max": max(walls),
            "cpu_median": self.cpu,
            "files_per_s": self.rate,
            "own_seconds_median": self.own_seconds,
            "peak_rss_mib": self.peak_mib,
            "peak_pss_mib": self.pss_mib,
            "wait4_maxrss_mib": max(r.maxrss_kib for r in self.runs) / MB,
            "returncodes": sorted({r.returncode for r in self.runs}),
            "output_lines": self.runs[-1].lines,
            "last_report": self.runs[-1].report,
        }


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench(title: str, cases: list[Case], warmup: int, runs: int) -> None:
    """Run every case ``warmup + runs`` times, rotating the order each round."""
    n = len(cases)
    for rnd in range(warmup + runs):
        counted = rnd >= warmup
        order = cases[rnd % n :] + cases[: rnd % n]
        for case in order:
            if case.prepare:
                case.prepare()
            run = run_once(case.cmd, sample=case.sample)
            if counted:
                case.runs.append(run)
            tag = f"run {rnd - warmup + 1}/{runs}" if counted else f"warm-up {rnd + 1}/{warmup}"
            mem = run.tree_kib / MB
            log(
                f"  [{title}] {tag:12} {case.label:34} {run.wall:8.3f} s wall"
                f" {run.cpu:8.3f} s cpu {mem:7.1f} MiB exit {run.returncode}"
            )
            if run.returncode not in (0, 1):
                log(f"    output: {run.head}")


# --------------------------------------------------------------------------- results


@dataclass
class Target:
    name: str
    value: str
    target: str
    ok: bool
    note: str = ""

    @property
    def verdict(self) -> str:
        return "PASS" if self.ok else "MISS"


def ratio_target(name: str, ours: Case, theirs: Case, want: float) -> Target:
    ratio = ours.rate / theirs.rate
    cpu_ratio = (theirs.cpu / theirs.files) / (ours.cpu / ours.files)
    note = f"cpu-time ratio {cpu_ratio:.2f}x"
    if ratio < want:
        note = f"{(1 - ratio / want) * 100:.0f}% short of {want:.1f}x; " + note
    return Target(name, f"{ratio:.2f}x", f">= {want:.1f}x", ratio >= want, note)


def compile_bytecode(py: str, *extra: Path | None) -> list[str]:
    """Compile newsmodel's modules (and each ``extra`` source folder) to bytecode, as ``pip
    install`` does; the folders compiled."""
    where = subprocess.run(
        [py, "-c", "import newsmodel, os; print(os.path.dirname(newsmodel.__file__))"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    folders = [f for f in (where, *(str(e) for e in extra if e is not None)) if f]
    for folder in folders:
        subprocess.run([py, "-m", "compileall", "-q", folder], capture_output=True, check=False)
    return folders


def changed_lines(old: str, new: str) -> tuple[int, list[str]]:
    """How many lines differ between two texts (line endings count), and the new lines."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if len(a) == len(b):
        new_lines = [y for x, y in zip(a, b, strict=True) if x != y]
        return len(new_lines), new_lines
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    count, new_lines = 0, []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            count += max(i2 - i1, j2 - j1)
            new_lines.extend(b[j1:j2])
    return count, new_lines


def verify_edit(original: list[Path], corpus: Path, edited_root: Path) -> dict[str, int]:
    """Compare every file of an edited copy with the original corpus, line by line."""
    counts = {"files": 0, "unchanged": 0, "one_line": 0, "one_line_published": 0, "more": 0}
    counts["changed_lines_total"] = counts["changed_lines_max"] = 0
    for src in original:
        rel = src.relative_to(corpus)
        old = src.read_bytes().decode("utf-8", "surrogateescape")
        new = (edited_root / rel).read_bytes().decode("utf-8", "surrogateescape")
        counts["files"] += 1
        if old == new:
            counts["unchanged"] += 1
            continue
        n, lines = changed_lines(old, new)
        counts["changed_lines_total"] += n
        counts["changed_lines_max"] = max(counts["changed_lines_max"], n)
        if n == 1:
            counts["one_line"] += 1
            counts["one_line_published"] += lines[0].rstrip("\r\n") == "published: false"
        else:
            counts["more"] += 1
    return counts


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(q for q in corpus.rglob("*.md") if q.name != "README.md")


def fresh_copy(files: list[Path], corpus: Path, dest: Path, total: int | None = None) -> None:
    """Copy ``files`` (relative to ``corpus``) into ``dest``; with ``total``, repeat them
    into ``copy00/``, ``copy01/``, ... until ``total`` files are written."""
    if dest.exists():
        shutil.rmtree(dest)
    if total is None:
        for src in files:
            target = dest / src.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
        return
    written = rep = 0
    made: set[Path] = set()
    while written < total:
        for src in files:
            if written >= total:
                break
            target = dest / f"copy{rep:02d}" / src.relative_to(corpus)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            shutil.copyfile(src, target)
            written += 1
        rep += 1


def importtime(cmd: list[str]) -> list[tuple[int, int, str]]:
    """``-X importtime`` lines of one run: (self us, cumulative us, module with indent)."""
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), m.group(3)[1:] + m.group(4)))
    return rows


# --------------------------------------------------------------------------- output


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_chart(groups: list[tuple[str, list[Case]]]) -> str:
    """A horizontal bar chart of files/s per tool, one block per comparison, hand-rolled."""
    left, bar_w, right, row_h, head_h = 330, 440, 130, 22, 26
    rows = sum(len(cases) for _, cases in groups)
    height = 50 + rows * row_h + len(groups) * (head_h + 8)
    width = left + bar_w + right
    top = max((c.files / min(r.wall for r in c.runs) for _, cs in groups for c in cs), default=1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        '<text x="10" y="22" font-size="15" font-weight="bold">Throughput, files/s'
        " (median; whisker: min-max over runs; longer is better)</text>",
    ]
    y = 40
    for title, cases in groups:
        out.append(f'<text x="10" y="{y + 16}" font-weight="bold">{esc(title)}</text>')
        y += head_h
        for case in cases:
            ours = case.key.startswith("ours")
            w = bar_w * case.rate / top
            lo = bar_w * case.files / max(r.wall for r in case.runs) / top
            hi = bar_w * case.files / min(r.wall for r in case.runs) / top
            colour = "#2b6cb0" if ours else "#a0aec0"
            mid = y + row_h / 2
            out += [
                f'<text x="{left - 8}" y="{mid + 4}" text-anchor="end">{esc(case.label)}</text>',
                f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}"'
                f' fill="{colour}"/>',
                f'<line x1="{left + lo:.1f}" y1="{mid}" x2="{left + hi:.1f}" y2="{mid}"'
                ' stroke="black"/>',
                f'<text x="{left + max(w, hi) + 6:.1f}" y="{mid + 4}">{case.rate:,.0f}</text>',
            ]
            y += row_h
        y += 8
    out.append("</svg>")
    return "\n".join(out) + "\n"


def fmt_case_table(cases: list[Case]) -> list[str]:
    lines = [
        "| tool | median wall s | min-max s | files/s | cpu s | own s | peak RSS MiB | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for c in cases:
        walls = [r.wall for r in c.runs]
        own = c.own_seconds
        codes = ",".join(str(x) for x in sorted({r.returncode for r in c.runs}))
        lines.append(
            f"| {c.label} | {c.wall:.3f} | {min(walls):.3f}-{max(walls):.3f} | {c.rate:,.0f} |"
            f" {c.cpu:.2f} | {'' if own is None else f'{own:.3f}'} | {c.peak_mib:.1f} | {codes} |"
        )
    lines.append("")
    lines.append("Commands:")
    lines.append("")
    for c in cases:
        lines.append(f"- {c.label}: `{shlex.join(c.cmd)}`")
    return lines


def print_table(targets: list[Target]) -> None:
    w = max(len(t.name) for t in targets)
    print()
    print(f"{'measure':{w}}  {'value':>12}  {'target':>10}  result  note")
    print("-" * (w + 50))
    for t in targets:
        print(f"{t.name:{w}}  {t.value:>12}  {t.target:>10}  {t.verdict:6}  {t.note}")
    print()


# --------------------------------------------------------------------------- main


def lsp_section(
    py: str, file: Path, changes: int, typing: int
) -> tuple[list[str], list[Target], dict[str, object]]:
    """Drive ``newsmodel lsp`` over stdio (``_lsp.py``): latency of diagnostics after a
    change to ``file``, and the server's memory over a ``typing``-change session."""
    run = run_once(
        [py, str(HERE / "_lsp.py"), str(file), "--changes", str(changes), "--typing", str(typing)]
    )
    rep = run.report or {}
    if run.returncode != 0 or not rep:
        log(f"  [lsp] failed ({run.returncode}): {run.head}")
        return [], [Target("lsp: diagnostics after a change", "failed", "< 100 ms", False, "")], {}
    median = float(rep["latency_ms_median"])  # type: ignore[arg-type]
    before = int(rep["rss_before_kib"]) / MB  # type: ignore[call-overload]
    after = int(rep["rss_after_kib"]) / MB  # type: ignore[call-overload]
    growth = after - before
    targets = [
        Target(
            "lsp: diagnostics after a change, largest family file (median)",
            f"{median:.1f} ms",
            "< 100 ms",
            median < 100,
            f"p90 {rep['latency_ms_p90']} ms, max {rep['latency_ms_max']} ms over {changes}",
        ),
        Target(
            f"lsp: server RSS over a {typing:,}-change typing session",
            f"{growth:+.1f} MiB",
            "flat (< +5 MiB)",
            growth < 5,
            f"{before:.1f} -> {after:.1f} MiB",
        ),
    ]
    md = [
        "## 6. Language server (`newsmodel lsp`)",
        "",
        f"`benchmarks/_lsp.py` starts `newsmodel lsp` and drives it over stdio with pygls's"
        f" client, as an editor does. File: `{file.name}` ({rep['bytes']:,} bytes,"
        f" {rep['problems']} problem(s)). Opening it: diagnostics after {rep['open_ms']} ms.",
        "",
        "| measure | median | p90 | min | max |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| one-character change -> diagnostics of that version ({changes} changes, ms) |"
        f" {rep['latency_ms_median']} | {rep['latency_ms_p90']} | {rep['latency_ms_min']} |"
        f" {rep['latency_ms_max']} |",
        "",
        f"Typing session: {typing:,} more changes, each checked and published before the next"
        f" (median {rep['typing_ms_median']} ms each; the server used"
        f" {rep.get('server_cpu_ms_per_change')} ms of CPU per change, which does not depend"
        f" on the machine's load: load average {rep.get('load_average_1min')} at the end). Server resident memory (VmRSS) before:"
        f" {before:.1f} MiB, after: {after:.1f} MiB ({growth:+.1f} MiB). The server exited with"
        f" status {rep['exit_status']} after shutdown and exit.",
        "",
        "RSS every 100 changes (MiB): "
        + ", ".join(f"{k / MB:.1f}" for k in rep.get("rss_kib_every_100") or [])  # type: ignore[attr-defined]
        + ".",
        "",
        "The latency is one whole check of the file and the protocol's messages: a change to a"
        " quiet file is checked at once (changes that come during a check are gathered 20 ms"
        " more and checked together; see docs/editors.md).",
        "",
    ]
    log(f"  [lsp] median {median} ms, RSS {before:.1f} -> {after:.1f} MiB")
    return md, targets, rep


def splice_lsp(out: Path, command: str, md: list[str], targets: list[Target]) -> None:
    """Put the language server section into an existing report (``--only lsp``), leaving
    the sections measured by earlier runs as they are."""
    when = dt.datetime.now(dt.timezone.utc)
    block = [
        LSP_START,
        *md,
        f"Measured by `{command}` on {when:%Y-%m-%d %H:%M} UTC ({os.cpu_count()} CPUs,"
        f" load average {os.getloadavg()[0]:.2f}).",
        "",
        "| measure | value | target | result | note |",
        "| --- | ---: | --- | --- | --- |",
        *[f"| {t.name} | {t.value} | {t.target} | {t.verdict} | {t.note} |" for t in targets],
        LSP_END,
    ]
    text = out.read_text(encoding="utf-8")
    if LSP_START in text and LSP_END in text:
        head, rest = text.split(LSP_START, 1)
        text = head + "\n".join(block) + rest.split(LSP_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(block) + "\n"
    out.write_text(text, encoding="utf-8")
    log(f"wrote the language server section into {out}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the article corpus")
    ap.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE, help="baseline.py")
    ap.add_argument("--python", default=sys.executable, help="interpreter (default: this one)")
    ap.add_argument("--runs", type=int, default=5, help="counted runs per tool (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="uncounted runs first (default 1)")
    ap.add_argument("--quick", action="store_true", help="smoke test: 1 warm-up, 3 runs")
    ap.add_argument("--startup-runs", type=int, default=0, help="runs for start-up (default 4x)")
    ap.add_argument("--big", type=int, default=100_000, help="files in the big tree")
    ap.add_argument("--skip-100k", action="store_true", help="skip the big-tree measurement")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"sections: {','.join(SECTIONS)}")
    ap.add_argument(
        "--lsp-file",
        type=Path,
        help="file for the language server section (default: the largest in"
        " ../shared/family/everyday-azure-news)",
    )
    ap.add_argument("--lsp-typing", type=int, default=1000, help="changes of the typing session")
    ap.add_argument("--family", type=Path, default=DEFAULT_FAMILY, help="the family files")
    ap.add_argument(
        "--before-src",
        type=Path,
        help="the src/ folder of newsmodel before the cache and site checks (e.g. of"
        " `git worktree add /tmp/nm-before 3a01887`): the cache section then also times it",
    )
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM: partial report
    if args.quick:
        args.warmup, args.runs = 1, 3
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if unknown := only - set(SECTIONS):
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if args.skip_100k:
        only.discard("100k")
    corpus: Path = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"run.py: corpus not found at {corpus} (use --corpus PATH)", file=sys.stderr)
        return 2
    if not args.baseline.is_file():
        print(f"run.py: baseline.py not found at {args.baseline} (use --baseline)", file=sys.stderr)
        return 2
    files = corpus_files(corpus)
    if not files:
        print(f"run.py: no *.md files below {corpus}", file=sys.stderr)
        return 2
    n = len(files)
    py = args.python
    script = Path(py).parent / "newsmodel"
    cli = [str(script)] if script.exists() else [py, "-m", "newsmodel"]
    base = [py, str(args.baseline)]
    warm, runs = args.warmup, args.runs
    started = dt.datetime.now(dt.timezone.utc)
    load_before = os.getloadavg()
    command = shlex.join([Path(py).name, *sys.argv]) if argv is None else shlex.join(argv)
    log(f"corpus {corpus}: {n} files; {warm} warm-up + {runs} counted runs per tool")

    datasets: list[tuple[str, Path, int, int]] = [("corpus", corpus, n, n)]
    family_dir: Path = args.family.resolve()
    if family_dir.is_dir():
        theirs = len(corpus_files(family_dir))
        ours = sum(1 for q in family_dir.rglob("*") if q.suffix in (".md", ".html") and q.is_file())
        ours -= sum(1 for q in family_dir.rglob("README.md"))
        datasets.append(("family", family_dir, ours, theirs))
    else:
        log(f"no family files at {family_dir}: the check and roundtrip rows are of the corpus only")
    # what `pip install` does: the library's bytecode is compiled once, not at every start
    # (PYTHONDONTWRITEBYTECODE or an editable install would otherwise make every run compile
    # newsmodel's source while the baselines' packages come precompiled)
    compiled = compile_bytecode(py, args.before_src)
    log(f"bytecode compiled for: {', '.join(compiled) or 'nothing'}")
    groups: list[tuple[str, list[Case]]] = []
    targets: list[Target] = []
    extra: dict[str, object] = {}
    md: list[str] = []

    def write_report(done: bool) -> None:
        """(Re)write the report with what has been measured so far."""
        load_after = os.getloadavg()
        version = subprocess.run([*cli, "--version"], capture_output=True, text=True, check=False)
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        cpu_model = ""
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        minutes = (dt.datetime.now(dt.timezone.utc) - started).total_seconds() / 60
        head = [
            "# Performance",
            "",
            "Written by `benchmarks/run.py` (see `benchmarks/README.md`); do not edit by hand.",
            "",
            f"- Command: `{command}` (from the repository root)",
            f"- Date: {started:%Y-%m-%d %H:%M} UTC (took {minutes:.1f} min)",
            f"- newsmodel: {(version.stdout or version.stderr).strip()} (commit {commit or '?'}"
            f"{', with uncommitted changes' if dirty else ''})",
            f"- Machine: {os.cpu_count()} CPUs ({cpu_model or platform.processor() or '?'}),"
            f" {platform.system()} {platform.release()}; Python {platform.python_version()}"
            f" ({platform.python_implementation()})",
            *(
                []
                if done
                else [
                    "- **Status: PARTIAL**: sections measured so far:"
                    f" {', '.join(k for k in extra if k != 'edit_verify') or 'none'}"
                    f" (asked for: {', '.join(s for s in SECTIONS if s in only)})"
                ]
            ),
            f"- Load average (1 min) at start / at writing: {load_before[0]:.2f} /"
            f" {load_after[0]:.2f}"
            " (the machine is shared; wall clock moves with it, cpu seconds less so)",
            f"- Method: every figure is a whole process; {warm} warm-up + {runs} counted runs per"
            " tool, tools alternated in rotating order; median, min-max over counted runs;"
            f" corpus {corpus} ({n} files).",
            "",
            "## Targets",
            "",
            "Ratios are ours / theirs throughput (files/s from median whole-process wall clock).",
            "",
            "| measure | value | target | result | note |",
            "| --- | ---: | --- | --- | --- |",
            *[f"| {t.name} | {t.value} | {t.target} | {t.verdict} | {t.note} |" for t in targets],
            "",
        ]
        if groups:
            head += ["![Throughput, files/s per tool](performance.svg)", ""]
            svg = args.out.with_suffix(".svg")
            svg.parent.mkdir(parents=True, exist_ok=True)
            svg.write_text(svg_chart(groups), encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(head + md).rstrip() + "\n", encoding="utf-8")
        log(f"wrote {args.out}")
        if args.json:
            raw = {
                "date": started.isoformat(),
                "command": command,
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "targets": [t.__dict__ for t in targets],
                **extra,
            }
            args.json.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")

    interrupted = False
    tmp = Path(tempfile.mkdtemp(prefix="newsmodel-bench-"))

    def cache_rows(name: str, folder: Path, count: int, before: bool = True) -> None:
        """`newsmodel check` of ``folder`` with an empty cache (cold), with the cache a first
        run filled (warm), and the version before the cache (``--before-src``; not for a site,
        whose site rules that version did not have), alternately."""
        slug = "".join(c if c.isalnum() else "-" for c in name)
        cold_dir, warm_dir = tmp / f"cache-cold-{slug}", tmp / f"cache-warm-{slug}"
        shutil.rmtree(warm_dir, ignore_errors=True)
        base_cmd = [py, "-m", "newsmodel", "check", str(folder)]
        fill = run_once([*base_cmd, "--cache-dir", str(warm_dir)])
        log(f"  [cache] {name}: first run to fill the cache: {fill.wall:.3f} s")
        cs = [
            Case(
                "cold",
                f"{name}: first run, empty cache",
                [*base_cmd, "--cache-dir", str(cold_dir)],
                count,
                prepare=lambda: shutil.rmtree(cold_dir, ignore_errors=True),
            ),
            Case(
                "warm",
                f"{name}: second run, unchanged",
                [*base_cmd, "--cache-dir", str(warm_dir)],
                count,
            ),
        ]
        if before and args.before_src is not None:
            cs.append(
                Case(
                    "before",
                    f"{name}: before the cache (no site rules)",
                    ["env", f"PYTHONPATH={args.before_src}", *base_cmd],
                    count,
                )
            )
        bench(f"cache {name}", cs, warm, runs)
        groups.append((f"cache: {name}", cs))
        targets.append(ratio_target(f"{name}: warm run vs cold run", cs[1], cs[0], 10.0))
        if len(cs) == 3:
            slower = cs[0].wall / cs[2].wall
            targets.append(
                Target(
                    f"{name}: cold run vs before the cache",
                    f"{slower:.2f}x the time",
                    "<= 1.10x",
                    slower <= 1.10,
                    f"{cs[0].wall:.2f} s vs {cs[2].wall:.2f} s; cpu {cs[0].cpu:.2f} s vs"
                    f" {cs[2].cpu:.2f} s",
                )
            )
        if count >= 100_000:
            targets.append(
                Target(
                    f"{name}: peak RSS with the cache (process tree)",
                    f"{max(cs[0].peak_mib, cs[1].peak_mib):.1f} MiB",
                    "< 150 MB",
                    max(cs[0].peak_mib, cs[1].peak_mib) * 1024 * 1024 < 150e6,
                    f"{max(cs[0].peak_mib, cs[1].peak_mib) * MB * 1024 / 1e6:.1f} MB; peak PSS"
                    f" {max(cs[0].pss_mib, cs[1].pss_mib):.1f} MiB",
                )
            )
        outputs = {c.key: c.runs[-1].lines for c in cs[:2]}
        md.extend(
            [
                f"## Cache: {name}",
                "",
                *fmt_case_table(cs),
                "",
                f"The cold and warm runs printed {outputs['cold']} and {outputs['warm']} lines.",
                "",
            ]
        )
        extra[f"cache {name}"] = [c.summary() for c in cs]
        write_report(done=False)

    try:
        if "check" in only:
            for name, folder, ours_n, theirs_n in datasets:
                log(f"== check: whole process over the {name}")
                cs = [
                    Case(
                        "ours-check",
                        "newsmodel check",
                        [*cli, "check", "--no-cache", str(folder)],
                        ours_n,
                    ),
                    Case(
                        "ours-check-j1",
                        "newsmodel check -j1 (one core)",
                        [*cli, "check", "--no-cache", "-j1", str(folder)],
                        ours_n,
                    ),
                    Case(
                        "fm-js",
                        "baseline frontmatter-jsonschema",
                        [*base, "frontmatter-jsonschema", str(folder)],
                        theirs_n,
                    ),
                    Case(
                        "fm", "baseline frontmatter", [*base, "frontmatter", str(folder)], theirs_n
                    ),
                ]
                bench(f"check {name}", cs, warm, runs)
                groups.append((f"check the {name} (whole process)", cs))
                label = "" if name == "corpus" else f"{name}: "
                targets.append(
                    ratio_target(f"{label}check vs frontmatter-jsonschema", cs[0], cs[2], 2.0)
                )
                targets.append(ratio_target(f"{label}check vs frontmatter", cs[0], cs[3], 1.0))
                targets.append(
                    ratio_target(f"{label}check -j1 vs frontmatter (one core)", cs[1], cs[3], 1.0)
                )
                number = "1" if name == "corpus" else "1b"
                md += [f"## {number}. Check the {name}", "", *fmt_case_table(cs), ""]
                md.append(
                    f"`newsmodel check` printed {cs[0].runs[-1].lines} line(s) and exited"
                    f" {cs[0].runs[-1].returncode} on its last run. Throughput counts the files"
                    f" each tool reads: {ours_n} for newsmodel (every `.md` and `.html` file with"
                    f" front matter, as Jekyll reads them), {theirs_n} for the baselines (the"
                    " `.md` files, README.md left out)."
                )
                md.append("")
                extra[f"check {name}" if name != "corpus" else "check"] = [c.summary() for c in cs]
                write_report(done=False)

        if "startup" in only:
            log("== startup")
            srun = args.startup_runs or max(4 * runs, 10)
            cs = [
                Case("bare", "python -c pass", [py, "-c", "pass"], 1, sample=False),
                Case(
                    "import",
                    "python -c 'import newsmodel'",
                    [py, "-c", "import newsmodel"],
                    1,
                    sample=False,
                ),
                Case("version", "newsmodel --version", [*cli, "--version"], 1, sample=False),
            ]
            bench("startup", cs, max(warm, 1), srun)
            imp_ms = (cs[1].wall - cs[0].wall) * 1000
            ver_ms = (cs[2].wall - cs[0].wall) * 1000
            targets.append(
                Target(
                    "import newsmodel (minus bare python)",
                    f"{imp_ms:.1f} ms",
                    "< 100 ms",
                    imp_ms < 100,
                    "" if imp_ms < 100 else f"{imp_ms - 100:.0f} ms over",
                )
            )
            targets.append(
                Target(
                    "newsmodel --version (minus bare python)",
                    f"{ver_ms:.1f} ms",
                    "(info)",
                    True,
                    f"whole process {cs[2].wall * 1000:.0f} ms",
                )
            )
            rows = importtime([py, "-c", "import newsmodel"])
            top_level = [r for r in rows if not r[2].startswith(" ")]
            self_total = {r[2].strip(): r[0] for r in rows}
            nm_cum = sum(r[1] for r in top_level if r[2].split(".")[0] == "newsmodel")
            heavy = sorted(rows, key=lambda r: -r[0])[:12]
            vrows = importtime([*([py] if cli[0] != py else []), *cli, "--version"])
            vmods = sorted(r[2].strip() for r in vrows if r[2].strip().startswith("newsmodel"))
            vthird = sorted(
                {
                    r[2].strip().split(".")[0]
                    for r in vrows
                    if r[2].strip().split(".")[0]
                    in ("ruamel", "cattrs", "attrs", "attr", "publicsuffixlist", "yaml")
                }
            )
            md += [
                "## 4. Start-up",
                "",
                "| run | median ms | min-max ms | minus bare python ms |",
                "| --- | ---: | ---: | ---: |",
            ]
            for c in cs:
                walls = [r.wall * 1000 for r in c.runs]
                md.append(
                    f"| `{c.label}` | {c.wall * 1000:.1f} | {min(walls):.1f}-{max(walls):.1f} |"
                    f" {(c.wall - cs[0].wall) * 1000:.1f} |"
                )
            md += [
                "",
                f"`python -X importtime -c 'import newsmodel'`: newsmodel's cumulative import"
                f" {nm_cum / 1000:.1f} ms ({len(rows)} modules imported in all). The modules"
                " with the largest import time of their own:",
                "",
                "| module | cumulative ms | self ms |",
                "| --- | ---: | ---: |",
                *[f"| {m.strip()} | {c / 1000:.1f} | {s / 1000:.1f} |" for s, c, m in heavy],
                "",
                f"`newsmodel --version` imports {len(vmods)} newsmodel module(s)"
                f" ({', '.join(vmods) or 'none'}) and these third-party packages:"
                f" {', '.join(vthird) or 'none'}.",
                "",
            ]
            extra["startup"] = {
                "cases": [c.summary() for c in cs],
                "import_ms": imp_ms,
                "version_ms": ver_ms,
                "importtime_newsmodel_cumulative_us": nm_cum,
                "importtime_top": heavy,
                "importtime_self_us": self_total,
                "version_imports": vmods,
                "version_third_party": vthird,
            }
            log(f"  [startup] import {imp_ms:.1f} ms, --version {ver_ms:.1f} ms over bare python")
            write_report(done=False)

        if "roundtrip" in only:
            for name, folder, _ours_n, theirs_n in datasets:
                log(f"== roundtrip: load + dump of every file of the {name}")
                cs = [
                    Case(
                        "ours-rt",
                        "newsmodel loads + dumps",
                        [py, str(HERE / "_roundtrip.py"), str(folder)],
                        theirs_n,
                    ),
                    Case(
                        "ruamel-rt",
                        "baseline ruamel-roundtrip",
                        [*base, "ruamel-roundtrip", str(folder)],
                        theirs_n,
                    ),
                ]
                bench(f"roundtrip {name}", cs, warm, runs)
                groups.append((f"load + dump every file of the {name} (whole process)", cs))
                label = "" if name == "corpus" else f"{name}: "
                targets.append(
                    ratio_target(f"{label}load+dump vs ruamel-roundtrip", cs[0], cs[1], 10.0)
                )
                rep = cs[0].runs[-1].report or {}
                number = "2" if name == "corpus" else "2b"
                md += [
                    f"## {number}. Load + dump every file of the {name}",
                    "",
                    *fmt_case_table(cs),
                    "",
                ]
                md.append(
                    f"newsmodel: {rep.get('problems')} file(s) failed to load,"
                    f" {rep.get('mismatches')} did not dump back byte for byte."
                )
                md.append("")
                extra[f"roundtrip {name}" if name != "corpus" else "roundtrip"] = [
                    c.summary() for c in cs
                ]
                write_report(done=False)

        if "edit" in only:
            log("== edit: published -> False on a fresh copy of the corpus, per run")
            ours_dir, theirs_dir = tmp / "edit-newsmodel", tmp / "edit-ruamel"
            cs = [
                Case(
                    "ours-edit",
                    "newsmodel load/evolve/dump",
                    [py, str(HERE / "_bulk_edit.py"), "newsmodel", str(ours_dir)],
                    n,
                    prepare=lambda: fresh_copy(files, corpus, ours_dir),
                ),
                Case(
                    "ruamel-edit",
                    "ruamel.yaml direct",
                    [py, str(HERE / "_bulk_edit.py"), "ruamel", str(theirs_dir)],
                    n,
                    prepare=lambda: fresh_copy(files, corpus, theirs_dir),
                ),
            ]
            bench("edit", cs, warm, runs)
            groups.append(("bulk edit published=False (whole process)", cs))
            targets.append(ratio_target("bulk edit vs ruamel.yaml direct", cs[0], cs[1], 2.0))
            ver = {
                "newsmodel": verify_edit(files, corpus, ours_dir),
                "ruamel": verify_edit(files, corpus, theirs_dir),
            }
            v = ver["newsmodel"]
            targets.append(
                Target(
                    "bulk edit: edited files differ in <= 1 line",
                    f"{v['more']} more",
                    "0 more",
                    v["more"] == 0,
                    f"{v['one_line']} one-line ({v['one_line_published']} the published line),"
                    f" {v['unchanged']} unchanged",
                )
            )
            md += ["## 3. Bulk edit: `published: false`", "", *fmt_case_table(cs), ""]
            md += [
                "Line diff of each edited copy against the corpus, after the last run:",
                "",
                "| tool | files written | unchanged | exactly one line | ... that line is"
                " `published: false` | more lines | changed lines total | max in one file |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for c, (name, counts) in zip(cs, ver.items(), strict=True):
                written = (c.runs[-1].report or {}).get("edited")
                md.append(
                    f"| {name} | {written} | {counts['unchanged']} | {counts['one_line']} |"
                    f" {counts['one_line_published']} | {counts['more']} |"
                    f" {counts['changed_lines_total']} | {counts['changed_lines_max']} |"
                )
                log(f"  [edit] verify {name}: written {written}, {counts}")
            md += [
                "",
                "Files that already said `published: false` are rewritten with the same text"
                " (unchanged).",
                "",
            ]
            extra["edit"] = [c.summary() for c in cs]
            extra["edit_verify"] = ver
            write_report(done=False)

        if "cache" in only:
            log("== cache: a second run over unchanged files")
            for name, folder, ours_n, _theirs_n in datasets:  # (the family where it exists)
                cache_rows(name, folder, ours_n)

        if "100k" in only:
            big = tmp / "big"
            log(f"== 100k: copying the corpus into {big} until {args.big} files")
            t0 = time.perf_counter()
            fresh_copy(files, corpus, big, total=args.big)
            log(f"  copied in {time.perf_counter() - t0:.1f} s")
            cs = [
                Case(
                    "ours-big",
                    f"newsmodel check, {args.big:,} files",
                    [*cli, "check", "--no-cache", str(big)],
                    args.big,
                ),
                Case(
                    "ours-corpus",
                    f"newsmodel check, corpus ({n:,})",
                    [*cli, "check", "--no-cache", str(corpus)],
                    n,
                ),
            ]
            bench("100k", cs, warm, runs)
            groups.append((f"newsmodel check: {args.big:,} files vs the corpus", cs))
            rel = cs[0].rate / cs[1].rate
            targets.append(
                Target(
                    f"{args.big:,} files: peak RSS (process tree)",
                    f"{cs[0].peak_mib:.1f} MiB",
                    "< 150 MB",
                    cs[0].peak_mib * 1024 * 1024 < 150e6,
                    f"{cs[0].peak_mib * MB * 1024 / 1e6:.1f} MB; peak PSS {cs[0].pss_mib:.1f} MiB;"
                    f" corpus run {cs[1].peak_mib:.1f} MiB",
                )
            )
            targets.append(
                Target(
                    f"{args.big:,} files: throughput vs corpus",
                    f"{rel:.2f}x",
                    ">= 0.80x",
                    rel >= 0.8,
                    f"{cs[0].rate:,.0f} vs {cs[1].rate:,.0f} files/s",
                )
            )
            md += [f"## 5. `newsmodel check` over {args.big:,} files", "", *fmt_case_table(cs)]
            md += [
                "",
                "Peak RSS: the largest sum of VmRSS over the whole process tree (workers"
                " included), sampled every 50 ms, or the largest single process's VmHWM if"
                " that is larger. RSS counts a page the forked workers share with their parent"
                " once in each of them; peak PSS (the sum of Pss, each shared page divided among"
                " the processes that map it) is what the tree takes of the machine's memory.",
                "",
            ]
            extra["100k"] = [c.summary() for c in cs]
            if "cache" in only:
                cache_rows(f"{args.big:,} files", big, args.big)
            # the same tree made a Jekyll site, so that the site rules run: every webUrl is in
            # each copy, so every file is a duplicate (NM702) of its copies (the worst case)
            (big / "_config.yml").write_text("title: copies of the corpus\n", encoding="utf-8")
            os.utime(big / "_config.yml", (time.time() - 3600, time.time() - 3600))
            log(f"== 100k as a site: {big} with a _config.yml")
            site_cases = [
                Case(
                    "ours-big-site",
                    f"newsmodel check, {args.big:,} files of a site (site rules on)",
                    [*cli, "check", "--no-cache", str(big)],
                    args.big,
                ),
            ]
            bench("100k site", site_cases, warm, runs)
            groups.append((f"newsmodel check: {args.big:,} files of a site", site_cases))
            peak = site_cases[0]
            targets.append(
                Target(
                    f"{args.big:,} files of a site (site rules on): peak RSS (process tree)",
                    f"{peak.peak_mib:.1f} MiB",
                    "< 150 MB",
                    peak.peak_mib * 1024 * 1024 < 150e6,
                    f"{peak.peak_mib * MB * 1024 / 1e6:.1f} MB; peak PSS {peak.pss_mib:.1f} MiB;"
                    f" {peak.runs[-1].lines:,} lines of report",
                )
            )
            md += [
                f"### The same {args.big:,} files as a site",
                "",
                *fmt_case_table(site_cases),
                "",
                "With a `_config.yml` at its root the tree is a Jekyll site, so the site rules"
                " run: every `webUrl` is in each copy of the corpus, so every file is reported"
                " as a duplicate (NM702) of its copies, the worst case for the site rules'"
                " memory.",
                "",
            ]
            extra["100k site"] = [c.summary() for c in site_cases]
            if "cache" in only:
                cache_rows(f"{args.big:,} files of a site", big, args.big, before=False)
            shutil.rmtree(big, ignore_errors=True)
            write_report(done=False)

        if "lsp" in only:
            lsp_file = args.lsp_file or max(
                DEFAULT_LSP_FOLDER.glob("*.md"), key=lambda p: p.stat().st_size, default=None
            )
            if lsp_file is None:
                log(f"== lsp: skipped, no file in {DEFAULT_LSP_FOLDER} (use --lsp-file)")
            else:
                log(f"== lsp: the language server over stdio on {lsp_file}")
                lsp_md, lsp_targets, lsp_raw = lsp_section(
                    py, lsp_file, max(runs, 3) * 10, args.lsp_typing
                )
                targets += lsp_targets
                md += [LSP_START, *lsp_md, LSP_END, ""]
                extra["lsp"] = lsp_raw
                if only == {"lsp"} and args.out.exists():
                    splice_lsp(args.out, command, lsp_md, lsp_targets)
                    print_table(targets)
                    return 0
                write_report(done=False)

    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: the report keeps the sections measured so far")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if not targets:
        log("nothing measured")
        return 2
    print_table(targets)
    write_report(done=not interrupted)
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
