"""The results cache of ``newsmodel check``: a second run over unchanged files reads no file.

Results are kept per file in ``.newsmodel_cache/`` at the project root: the folder of the
nearest ``pyproject.toml`` or ``_config.yml`` above the paths checked, else the current folder
(``--cache-dir`` or ``NEWSMODEL_CACHE_DIR`` choose another). The folder holds a ``.gitignore``
of ``*`` (as ruff's cache does) and a ``CACHEDIR.TAG``, so neither git nor backup tools keep it.

What invalidates what:

- a file's entry holds its size, modification and change times (nanoseconds) and inode: any
  write, rename over it, ``touch`` or ``chmod`` makes it a miss. A file modified in the last
  two seconds is not cached at all (a later write in the same clock tick could keep the same
  modification time);
- the *context*: the library's version, the Python version, the settings (``[tool.newsmodel]``,
  ``--select``/``--ignore``) and the bytes of each site's ``_config.yml``: any change starts a
  new set of entries (the four most recent contexts are kept);
- the clock: a result that reports a date in the future (``NM501``, whose message names the
  time) is never reused, and no result is reused by a run whose time (``--now``, or the
  clock) is earlier than that of the run that made it. A date in the past stays in the past,
  so every other result holds for any later time;
- other files: site rules (``NM7xx``) are never cached. Each entry keeps the file's facts
  (its references and ``webUrl``) and the site rules run on every run over the facts of the
  whole site, so renaming or deleting a referenced file is seen at once.

The cache never changes an answer: a run with it and a run without it (``--no-cache``) print
the same report. Entries are JSON, never pickles; a cache that cannot be read or written is
left alone (the run goes on without it).
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ._version import __version__

__all__ = [
    "CACHE_DIR_NAME",
    "ENV_VAR",
    "Cache",
    "Entry",
    "context_key",
    "find_project_root",
    "folders_below",
]

CACHE_DIR_NAME = ".newsmodel_cache"
ENV_VAR = "NEWSMODEL_CACHE_DIR"
_DB_NAME = "results-v5.sqlite"
_KEEP_CONTEXTS = 4
_KEEP_RUNS = 16
_RACY_NS = 2_000_000_000
_GITIGNORE = "# Automatically created by newsmodel.\n*\n"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by newsmodel.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


class Entry(NamedTuple):
    """One file's cached result: ``result`` and ``facts`` are JSON texts."""

    explicit: bool
    size: int
    mtime: int
    ctime: int
    inode: int
    now: float
    clock: bool
    """Whether the result depends on the time (it reports a date in the future)."""
    result: str
    facts: str | None
    site: str
    """A digest of the ``_config.yml`` of the file's site (its defaults decide its kind)."""


def find_project_root(paths: Sequence[str | os.PathLike[str]] = ()) -> Path:
    """The folder of the nearest ``pyproject.toml`` or ``_config.yml`` at or above the paths'
    common folder (or the current folder), else the current folder."""
    cwd = Path.cwd()
    start = cwd
    if paths:
        absolute = [os.path.abspath(p) for p in paths]
        with contextlib.suppress(ValueError):
            start = Path(os.path.commonpath(absolute))
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file() or (folder / "_config.yml").is_file():
            return folder
    return cwd


def context_key(parts: Iterable[object]) -> str:
    """A short hash of what every result depends on besides the file itself."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (__version__, sys.version_info[:2], *parts):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class Cache:
    """The results of one context, read at start and written as files are checked."""

    def __init__(self, folder: Path, context: str, db: Any) -> None:
        self.folder = folder
        self.context = context
        self._db = db
        self._entries: dict[str, tuple[Any, ...]] = {}
        self._pending: list[tuple[Any, ...]] = []
        self._runs: list[tuple[Any, ...]] = []
        self._loaded = False
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, folder: str | os.PathLike[str], context: str) -> Cache | None:
        """The cache in ``folder`` (made with its ``.gitignore`` if needed), or ``None`` when it
        cannot be made or read (a read-only checkout: the run goes on without a cache)."""
        path = Path(folder)
        try:
            import sqlite3
        except ImportError:  # pragma: no cover - Python built without sqlite3
            return None
        try:
            path.mkdir(parents=True, exist_ok=True)
            for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _TAG)):
                if not (path / name).exists():
                    (path / name).write_text(text, encoding="utf-8")
        except OSError:
            return None
        for attempt in range(2):
            db = None
            try:
                db = _connect(path / _DB_NAME)
                cache = cls(path, context, db)
                db.execute("SELECT count(*) FROM files WHERE context = ?", (context,)).fetchone()
                return cache
            except sqlite3.DatabaseError:  # not a database (any more): start a new one
                if db is not None:
                    db.close()
                if attempt:
                    return None
                with contextlib.suppress(OSError):
                    (path / _DB_NAME).unlink()
            except (OSError, sqlite3.Error):
                return None
        return None  # pragma: no cover - the loop returns

    def replay(self, key: str, now: float) -> tuple[int, str, str, int] | None:
        """The exit status, report, messages and number of files of an earlier run with the
        same ``key`` (the same settings and paths) if no file it read and no folder it walked
        has changed since, and no file has a timestamp later than either run's time; else
        ``None``."""
        import sqlite3

        try:
            row = self._db.execute(
                "SELECT now, clock, code, stdout, stderr, folders, files, numbers FROM runs "
                "WHERE key = ? AND context = ?",
                (key, self.context),
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        stored_now, clock, code, stdout, stderr, folders, files, blob = row
        if clock or now < stored_now:
            return None
        stat = os.stat
        paths = files.split("\0") if files else []
        numbers = array.array("q")
        numbers.frombytes(blob)
        if len(numbers) != 4 * len(paths):
            return None
        try:
            for path, mtime in json.loads(folders):
                if stat(path).st_mtime_ns != mtime:
                    return None
            for i, path in enumerate(paths):
                st = stat(path)
                j = 4 * i
                if (
                    st.st_size != numbers[j]
                    or st.st_mtime_ns != numbers[j + 1]
                    or st.st_ctime_ns != numbers[j + 2]
                    or st.st_ino != numbers[j + 3]
                ):
                    return None
        except OSError:
            return None
        return code, stdout, stderr, len(paths)

    def record(
        self,
        key: str,
        *,
        now: float,
        clock: bool,
        code: int,
        stdout: str,
        stderr: str,
        folders: Sequence[tuple[str, int]],
        files: Iterable[tuple[str, int, int, int, int]],
    ) -> None:
        """Keep a whole run (see :meth:`replay`). A run that read a file modified in the last
        two seconds is not kept."""
        racy = time.time_ns() - _RACY_NS
        paths, numbers = _columns(files)
        if any(mtime > racy for mtime in numbers[1::4]) or any(f[1] > racy for f in folders):
            return
        self._runs.append(
            (
                key,
                self.context,
                time.time(),
                now,
                int(clock),
                code,
                stdout,
                stderr,
                dumps(list(folders)),
                "\0".join(paths),  # (a path holds no NUL character)
                numbers.tobytes(),
            )
        )

    def _load(self) -> None:
        rows = self._db.execute(
            "SELECT path, explicit, size, mtime, ctime, inode, now, clock, result, facts, site "
            "FROM files WHERE context = ?",
            (self.context,),
        )
        # the rows as SQLite gives them (an Entry is made only for a file looked up)
        self._entries = {row[0]: row for row in rows}

    def lookup(
        self, path: str, st: os.stat_result, explicit: bool, now: float, site: str = ""
    ) -> Entry | None:
        """The entry of ``path`` (absolute) if it still holds for the file as ``st`` shows it,
        for the time ``now`` (POSIX seconds) and the site configuration digest ``site``."""
        if not self._loaded:
            self._load_once()
        row = self._entries.get(path)
        if (
            row is None
            or row[10] != site
            or bool(row[1]) != explicit
            or row[2] != st.st_size
            or row[3] != st.st_mtime_ns
            or row[4] != st.st_ctime_ns
            or row[5] != st.st_ino
            or row[7]
            or now < row[6]
        ):
            self.misses += 1
            return None
        self.hits += 1
        return _entry(row)

    def entry(self, path: str) -> Entry | None:
        """The entry of ``path`` without checking it (see :meth:`lookup`)."""
        if not self._loaded:
            self._load_once()
        row = self._entries.get(path)
        return None if row is None else _entry(row)

    def _load_once(self) -> None:
        import sqlite3

        self._loaded = True
        try:
            self._load()
        except sqlite3.Error:  # pragma: no cover - checked when opened
            self._entries = {}

    def store(
        self,
        path: str,
        st: os.stat_result,
        explicit: bool,
        now: float,
        clock: bool,
        result: str,
        facts: str | None,
        site: str,
    ) -> None:
        """Keep a file's result (not if the file changed in the last two seconds)."""
        if st.st_mtime_ns > time.time_ns() - _RACY_NS:
            return
        self._pending.append(
            (
                self.context,
                path,
                int(explicit),
                st.st_size,
                st.st_mtime_ns,
                st.st_ctime_ns,
                st.st_ino,
                now,
                int(clock),
                result,
                facts,
                site,
            )
        )
        if len(self._pending) >= 2048:
            self._flush()

    def _flush(self) -> None:
        import sqlite3

        if not self._pending:
            return
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._pending,
            )
        except sqlite3.Error:  # locked by another run, disk full: this run keeps no cache
            self._pending = []
            self._db.rollback()
            return
        self._pending = []

    def close(self) -> None:
        """Write what is pending, note this context as used, drop the oldest contexts."""
        import sqlite3

        try:
            self._flush()
            db = self._db
            db.execute("INSERT OR REPLACE INTO contexts VALUES (?, ?)", (self.context, time.time()))
            if self._runs:
                db.executemany(
                    "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    self._runs,
                )
                db.execute(
                    "DELETE FROM runs WHERE key NOT IN "
                    "(SELECT key FROM runs ORDER BY used DESC LIMIT ?)",
                    (_KEEP_RUNS,),
                )
            old = [
                row[0]
                for row in db.execute(
                    "SELECT context FROM contexts ORDER BY used DESC LIMIT -1 OFFSET ?",
                    (_KEEP_CONTEXTS,),
                )
            ]
            for context in old:
                db.execute("DELETE FROM files WHERE context = ?", (context,))
                db.execute("DELETE FROM contexts WHERE context = ?", (context,))
                db.execute("DELETE FROM runs WHERE context = ?", (context,))
            db.commit()
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self._db.rollback()
        finally:
            self._db.close()
            self._entries = {}


def _columns(
    files: Iterable[tuple[str, int, int, int, int]],
) -> tuple[list[str], array.array[int]]:
    """The paths of ``files`` and their numbers (size, mtime, ctime, inode, one after the
    other); taken as they are from an object that keeps them so (``columns()``)."""
    columns = getattr(files, "columns", None)
    if callable(columns):
        paths, numbers = columns()
        return list(paths), array.array("q", numbers)
    paths = []
    numbers = array.array("q")
    for path, size, mtime, ctime, inode in files:
        paths.append(path)
        numbers.extend((size, mtime, ctime, inode))
    return paths, numbers


def _entry(row: tuple[Any, ...]) -> Entry:
    """The :class:`Entry` of a row of ``files`` as :meth:`Cache._load` selects it."""
    _path, explicit, size, mtime, ctime, inode, now, clock, result, facts, site = row
    return Entry(bool(explicit), size, mtime, ctime, inode, now, bool(clock), result, facts, site)


def _connect(path: Path) -> Any:
    import sqlite3

    db = sqlite3.connect(str(path), timeout=5.0, isolation_level="DEFERRED")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(
        "CREATE TABLE IF NOT EXISTS files (context TEXT, path TEXT, explicit INTEGER, "
        "size INTEGER, mtime INTEGER, ctime INTEGER, inode INTEGER, now REAL, clock INTEGER, "
        "result TEXT, facts TEXT, site TEXT, PRIMARY KEY (context, path))"
    )
    db.execute("CREATE TABLE IF NOT EXISTS contexts (context TEXT PRIMARY KEY, used REAL)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, context TEXT, used REAL, "
        "now REAL, clock INTEGER, code INTEGER, stdout TEXT, stderr TEXT, folders TEXT, "
        "files TEXT, numbers BLOB)"
    )
    db.commit()
    return db


def folders_below(
    paths: Iterable[str | os.PathLike[str]], follow_symlinks: bool = False
) -> list[tuple[str, int]]:
    """``(folder, mtime_ns)`` of each folder at or below ``paths`` (hidden ones left out, as
    the walk leaves them): a file added, removed or renamed changes its folder's time."""
    found: list[tuple[str, int]] = []
    seen: set[tuple[int, int]] = set()
    stack = [os.path.abspath(p) for p in paths if os.path.isdir(p)]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError:
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            continue
        seen.add(ident)
        found.append((folder, st.st_mtime_ns))
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    if entry.name.startswith("."):
                        continue
                    try:  # (no context manager per entry: a folder may hold thousands)
                        if entry.is_dir(follow_symlinks=follow_symlinks):
                            stack.append(entry.path)
                    except OSError:
                        continue
        except OSError:
            continue
    return found


def dumps(value: Any) -> str:
    """Compact JSON for an entry."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
