"""``newsmodel check``: walk, check in worker processes, report as the results come.

Files are found lazily and handed to a process pool with ``imap`` (ordered, in chunks), so
neither the list of files nor any parsed document is ever held for the whole run: memory stays
flat however many files there are. ``-j 1`` (or a run of only a few files) checks in-process.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO

from ..cache import Stamp, stamp_of
from ..config import Config
from ..errors import DocumentError
from ..problems import Problem
from ..site import NO_FACTS, check_with_facts
from ._report import FORMATS, FileResult, Summary
from ._site import Task
from ._walk import Target, walk

__all__ = ["Task", "check_one", "run_check", "walk_each", "warn_no_articles"]


CHUNKSIZE = 16
_SMALL_RUN = 64  # fewer files than this are checked in-process: a pool would only cost time

_now: dt.datetime | None = None
_select: tuple[str, ...] | None = None
_stamps = False
"""Whether results carry the stamp of the file read (for the results cache)."""


def _init_worker(now: dt.datetime | None, select: tuple[str, ...] | None, stamps: bool) -> None:
    global _now, _select, _stamps
    _now, _select, _stamps = now, select, stamps
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def _starts_with_fence(data: bytes) -> bool:
    """Whether a file's bytes start with ``---`` (after a UTF-8 BOM)."""
    return data.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


@functools.lru_cache(maxsize=1)
def _reading() -> tuple[Any, type[DocumentError], Any]:
    """What checking a file needs, imported on first use, once (a run answered from the cache
    imports none of the model, the parser or the rules)."""
    from ..document import read_bytes_and_stat
    from ..validation import select_problems

    return read_bytes_and_stat, DocumentError, select_problems


def check_lean(task: Task) -> FileResult | Stamp | None:
    """:func:`check_one` for a worker. For a file checked with no problem and no facts (most
    files), only its stamp (with the cache) or ``None``, so that little crosses back to the
    parent (see ``SitePass.results``)."""
    result = check_one(task)
    if (
        result.checked
        and not result.problems
        and result.failure is None
        and (result.facts is None or result.facts is NO_FACTS)
    ):
        return result.stamp
    return result


def check_one(task: Task) -> FileResult:
    """Check one file (in a worker or in-process); never raises. The file is read once."""
    read_bytes_and_stat, document_error, select_problems = _reading()
    path, explicit, ignore, found, wanted = task
    if found is not None:
        return FileResult(path, [found], checked=False)
    try:
        try:
            data, info = read_bytes_and_stat(path)
        except document_error as exc:
            return FileResult(path, select_problems(list(exc.problems), _select, ignore or None))
        stamp = stamp_of(info) if _stamps else None
        if not explicit and not _starts_with_fence(data):
            return FileResult(path, [], checked=False, stamp=stamp)
        problems, facts = check_with_facts(
            data,
            file=path,
            now=_now,
            select=_select,
            ignore=ignore or None,
            facts=wanted,
        )
        return FileResult(path, problems, True, None, facts, stamp)
    except Exception as exc:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return FileResult(
            path,
            [],
            checked=False,
            failure=f"internal error: {type(exc).__name__}: {exc}\n{detail}",
        )


def _then_close(
    results: Iterable[FileResult | Stamp | None], pool: Any
) -> Iterator[FileResult | Stamp | None]:
    """``results``, then the pool's workers stopped: the site rules that run after the last
    result do not keep the workers' memory alive."""
    yield from results
    pool.close()
    pool.join()


def walk_each(
    paths: Sequence[str], origins: deque[int], config: Config, follow_symlinks: bool
) -> Iterator[Target | Problem]:
    """:func:`walk` over ``paths``, appending to ``origins`` the index of the path given that
    each item was found under (results come back in the same order, so they can be told apart
    per path: see :func:`warn_no_articles`)."""
    for index, path in enumerate(paths):
        for item in walk([path], excluded=config.excluded, follow_symlinks=follow_symlinks):
            origins.append(index)
            yield item


def warn_no_articles(command: str, paths: Sequence[str], found: Callable[[int], bool]) -> None:
    """A warning on stderr for each path given under which no article file was found: a run
    that checked nothing must not pass in silence."""
    for index, path in enumerate(paths):
        if not found(index):
            sys.stderr.write(
                f"newsmodel {command}: warning: no article file found under {path} "
                "(no file with a --- front matter fence)\n"
            )


def _tasks(items: Iterable[tuple[str, bool] | Problem], config: Config) -> Iterator[Task]:
    for item in items:
        if isinstance(item, Problem):
            yield (item.file or "", False, (), item, False)
        else:
            path, explicit = item
            yield (path, explicit, config.ignores_for(path), None, False)


class _Progress:
    """``checked N files`` on stderr, only for long runs on a terminal."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False

    def update(self, summary: Summary) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < 1.0 or now - self.last < 0.1:
            return
        self.last = now
        rate = summary.files_checked / max(now - self.start, 1e-9)
        self.stream.write(
            f"\r\033[Kchecked {summary.files_checked} files, {summary.errors} errors "
            f"({rate:,.0f} files/s)"
        )
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _site_pass(
    paths: list[str],
    config: Config,
    select: tuple[str, ...] | None,
    now: dt.datetime | None,
    cache_dir: str | None,
) -> Any:
    """The cache and site rules around the files checked (see :mod:`newsmodel.cli._site`)."""
    from ..cache import Cache
    from ._site import SitePass, run_context

    cache = None if cache_dir is None else Cache.open(cache_dir, run_context(config, select))
    return SitePass(paths=paths, config=config, select=select, now=now, cache=cache)


class _Tee:
    """A text stream that also keeps what is written (compressed, up to a limit: see
    :class:`newsmodel.cache.Transcript`), for the cache's record of a whole run; writes starting
    with ``skip`` (the progress bar's) are not kept."""

    def __init__(
        self, stream: TextIO, skip: str | None = None, stop: Callable[[], bool] = bool
    ) -> None:
        from ..cache import Transcript

        self.stream = stream
        self.skip = skip
        self.stop = stop
        """Once it says so, nothing more is kept (the run will not be recorded)."""
        self.transcript = Transcript()
        self._stopped = False

    def write(self, text: str) -> int:
        if not self._stopped and not (self.skip and text.startswith(self.skip)):
            if self.stop():
                self._stopped = True
                self.transcript.stop()
            else:
                self.transcript.write(text)
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def run_check(
    *,
    paths: list[str],
    config: Config,
    select: tuple[str, ...] | None,
    now: dt.datetime | None,
    jobs: int,
    fmt: str,
    out: TextIO,
    color: bool,
    quiet: bool,
    verbose: bool,
    strict: bool,
    statistics: bool,
    follow_symlinks: bool,
    progress: bool,
    cache_dir: str | None = None,
) -> int:
    """Check ``paths``; write the report to ``out``; return the exit status (``cache_dir``:
    the results cache, ``None`` for none).

    With the cache, a run whose files and folders are all unchanged since an earlier run with
    the same settings replays that run's report (see :meth:`newsmodel.cache.Cache.replay`)."""
    from ..cache import context_key, folders_below

    site = _site_pass(paths, config, select, now, cache_dir)
    options = dict(
        paths=paths,
        config=config,
        select=select,
        now=now,
        jobs=jobs,
        fmt=fmt,
        color=color,
        quiet=quiet,
        verbose=verbose,
        strict=strict,
        statistics=statistics,
        follow_symlinks=follow_symlinks,
        progress=progress,
        site=site,
    )
    cache = site.cache
    if cache is None:
        return _check_files(out=out, **options)
    key = context_key(
        (
            paths,
            os.getcwd(),
            repr(config),
            now,
            fmt,
            color,
            quiet,
            verbose,
            strict,
            statistics,
            follow_symlinks,
        )
    )
    replayed = cache.replay(key, site.now)
    if replayed is not None:
        code, text, messages, count = replayed
        code = int(code)
        out.write(text)
        out.flush()
        sys.stderr.write(messages)
        if verbose:
            sys.stderr.write(
                f"newsmodel: cache {cache.folder}: {count} files unchanged, 0 checked "
                "(the report of an earlier run)\n"
            )
        cache.close()
        return code
    full = site.touched.is_full
    tee_out, tee_err = _Tee(out, stop=full), _Tee(sys.stderr, skip="\r", stop=full)
    sys.stderr = tee_err
    try:
        code = _check_files(out=tee_out, **options)  # type: ignore[arg-type]
    finally:
        sys.stderr = tee_err.stream
    if not site.failed and not site.touched.full:
        site.watch_settings(paths)
        cache.record(
            key,
            now=site.now,
            clock=site.clock,
            code=code,
            stdout=tee_out.transcript,
            stderr=tee_err.transcript,
            folders=folders_below([*paths, *site.roots()], follow_symlinks),
            files=site.touched.files,
            count=site.files,
        )
    if verbose:
        sys.stderr.write(
            f"newsmodel: cache {cache.folder}: {cache.hits} files unchanged, "
            f"{cache.misses} checked\n"
        )
    cache.close()
    return code


def _check_files(
    *,
    paths: list[str],
    config: Config,
    select: tuple[str, ...] | None,
    now: dt.datetime | None,
    jobs: int,
    fmt: str,
    out: TextIO,
    color: bool,
    quiet: bool,
    verbose: bool,
    strict: bool,
    statistics: bool,
    follow_symlinks: bool,
    progress: bool,
    site: Any,
) -> int:
    """The run itself (see :func:`run_check`)."""
    reporter = FORMATS[fmt](
        out, color=color, quiet=quiet, verbose=verbose, strict=strict, statistics=statistics
    )
    summary = Summary()
    origins: deque[int] = deque()  # the path given of each file, in the order of the results
    found = [False] * len(paths)
    tasks = site.misses(_tasks(walk_each(paths, origins, config, follow_symlinks), config))
    head = list(itertools.islice(tasks, _SMALL_RUN))
    small = len(head) < _SMALL_RUN
    global _now, _select, _stamps
    stamps = site.cache is not None
    _now, _select, _stamps = now, select, stamps
    bar = _Progress(sys.stderr, progress)
    pool = None
    try:
        if jobs <= 1 or small:
            computed: Iterator[FileResult | Stamp | None]
            computed = map(check_one, itertools.chain(head, tasks))
        else:
            import multiprocessing

            from ..rules import all_rules

            all_rules()  # import the rules once, before any worker is forked
            pool = multiprocessing.Pool(
                jobs, initializer=_init_worker, initargs=(now, select, stamps)
            )
            computed = _then_close(
                pool.imap(check_lean, itertools.chain(head, tasks), chunksize=CHUNKSIZE), pool
            )
        counts = Summary()  # for the progress bar while files are checked

        def progressed(result: FileResult) -> None:
            counts.add(result)
            bar.update(counts)

        for result in site.results(computed, progressed):
            index = origins.popleft()
            found[index] = found[index] or result.checked
            summary.add(result)
            reporter.file(result)
            if result.failure is not None:
                message = result.failure if verbose else result.failure.splitlines()[0]
                sys.stderr.write(f"newsmodel: {result.file}: {message}\n")
            elif verbose and not result.checked and not result.problems:
                sys.stderr.write(f"newsmodel: skipped {result.file} (no front matter fence)\n")
        for result in site.extra:  # a _config.yml that cannot be used
            summary.add(result)
            reporter.file(result)
    finally:
        bar.close()
        if pool is not None:
            pool.terminate()
            pool.join()
    reporter.finish(summary)
    out.flush()
    warn_no_articles("check", paths, found.__getitem__)
    if statistics and fmt != "text" and summary.codes:
        sys.stderr.write(summary.statistics())
    if summary.failures:
        return 2
    if summary.errors or (strict and summary.warnings):
        return 1
    return 0
