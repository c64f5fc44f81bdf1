"""The results cache of ``newsmodel check``: a second run over unchanged files reads no file.

Results are kept per file in ``.newsmodel_cache/`` at the project root: the folder of the
nearest ``pyproject.toml`` or ``_config.yml`` above the paths checked, else the current folder
(``--cache-dir`` or ``NEWSMODEL_CACHE_DIR`` choose another). The folder holds a ``.gitignore``
of ``*`` (as ruff's cache does) and a ``CACHEDIR.TAG``, so neither git nor backup tools keep it.
The entries of a folder's files are one row of packed columns (reading or writing the entries
of many files costs a few rows, not a row each).

What invalidates what:

- a file's entry holds its size, modification and change times (nanoseconds) and inode: any
  write, rename over it, ``touch`` or ``chmod`` makes it a miss. A file modified in the last
  two seconds is not cached at all (a later write in the same clock tick could keep the same
  modification time);
- the *context*: the library's version, the Python version, the settings (``[tool.newsmodel]``,
  ``--select``/``--ignore``), the bytes of each site's ``_config.yml``, the installed packages
  (their kinds) and the files of the kind modules the settings name: any change starts a new
  set of entries (the four most recent contexts are kept);
- the clock: a result that reports a date in the future (``NM501``, whose message names the
  time) is never reused, and no result is reused by a run whose time (``--now``, or the
  clock) is earlier than that of the run that made it. A date in the past stays in the past,
  so every other result holds for any later time;
- other files: site rules (``NM7xx``) are never cached. Each entry keeps the file's facts
  (its references and ``webUrl``) and the site rules run on every run over the facts of the
  whole site, so renaming or deleting a referenced file is seen at once.

The cache never changes an answer: a run with it and a run without it (``--no-cache``) print
the same report. Entries are JSON texts and packed integers, never pickles; a cache that
cannot be read or written is left alone (the run goes on without it), and a row that does not
hold together is as if empty.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import itertools
import json
import os
import sys
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ._version import __version__

__all__ = [
    "ABSENT",
    "CACHE_DIR_NAME",
    "ENV_VAR",
    "Cache",
    "Entry",
    "FileList",
    "Stamp",
    "Transcript",
    "context_key",
    "find_project_root",
    "folders_below",
    "stamp_of",
]

CACHE_DIR_NAME = ".newsmodel_cache"
ENV_VAR = "NEWSMODEL_CACHE_DIR"
_DB_NAME = "results-v6.sqlite"
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
    for part in (__version__, sys.version_info[:2], sys.byteorder, *parts):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


_WIDTH = 9
"""The numbers kept for each file of a folder: its stamp (size, modification and change times,
inode), the time of the run that checked it (microseconds), flags, and the indexes
in the folder's texts of its site digest, result and facts (-1: none)."""
_EXPLICIT, _CLOCK = 1, 2
_ABSENT = -1
"""The size recorded for a file that did not exist (see :data:`ABSENT`)."""

ABSENT = (_ABSENT, _ABSENT, _ABSENT, _ABSENT)
"""The stamp of a file that does not exist, for :meth:`Cache.record`: a run replays only while
it still does not."""

Stamp = tuple[int, int, int, int]
"""A file's size, modification and change times (ns) and inode: what an entry must match."""


def stamp_of(st: os.stat_result | Sequence[int]) -> Stamp:
    """``(size, mtime_ns, ctime_ns, inode)`` of a file, from its ``os.stat`` result or as given:
    what an entry must match to be used."""
    if isinstance(st, os.stat_result):
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    size, mtime, ctime, inode = st
    return (size, mtime, ctime, inode)


class _Folder:
    """The entries of one folder, as stored: its file names, their numbers (``_WIDTH`` each) and
    the distinct texts they index; and, for this run, which were looked up (1: used, 2: stale)
    and the entries stored (``new``: name -> numbers, with the texts in ``new_texts``)."""

    __slots__ = ("index", "names", "new", "new_texts", "numbers", "seen", "texts", "walked")

    def __init__(self, names: list[str], numbers: array.array[int], texts: list[str]) -> None:
        self.names = names
        self.numbers = numbers
        self.texts = texts
        self.index: dict[str, int] | None = None
        self.seen = bytearray(len(names))
        self.new: dict[str, tuple[int, ...]] = {}
        self.new_texts: dict[str, int] = {}
        self.walked = False
        """Whether the run listed the whole folder: entries of files it did not meet are of
        files that are gone, and are dropped."""

    def find(self, name: str) -> int:
        index = self.index
        if index is None:
            index = self.index = dict(zip(self.names, range(len(self.names)), strict=False))
        return index.get(name, -1)

    def text_id(self, text: str | None) -> int:
        if text is None:
            return -1
        found = self.new_texts.get(text)
        if found is None:
            found = self.new_texts[text] = len(self.new_texts)
        return found

    @property
    def changed(self) -> bool:
        if self.new:
            return True
        if 2 in self.seen:
            return True
        return self.walked and 0 in self.seen

    def merged(self) -> tuple[list[str], array.array[int], list[str]]:
        """The entries to keep: the stored ones still in use (or not met by this run), then the
        new ones, with a table of the texts they use (the columns are remapped as a whole)."""
        old, seen, new, stored = self.numbers, self.seen, self.new, self.names
        drop_unmet = self.walked
        keep = [
            i
            for i, name in enumerate(stored)
            if not (name in new or seen[i] == 2 or (seen[i] == 0 and drop_unmet))
        ]
        if len(keep) == len(stored):
            numbers = array.array("q", old)
        else:
            numbers = array.array("q")
            for i in keep:
                numbers.extend(old[_WIDTH * i : _WIDTH * i + _WIDTH])
        names = [stored[i] for i in keep]
        ids: dict[str, int] = {}
        from_old = {-1: -1}
        used = set(numbers[6::_WIDTH]) | set(numbers[7::_WIDTH]) | set(numbers[8::_WIDTH])
        for i in sorted(used - {-1}):
            from_old[i] = ids.setdefault(self.texts[i], len(ids))
        from_new = {-1: -1}
        for text, i in self.new_texts.items():
            from_new[i] = ids.setdefault(text, len(ids))
        added = array.array("q", itertools.chain.from_iterable(new.values()))
        for column, mapping in ((numbers, from_old), (added, from_new)):
            for k in (6, 7, 8):
                column[k::_WIDTH] = array.array("q", map(mapping.__getitem__, column[k::_WIDTH]))
        numbers.extend(added)
        names.extend(new)
        return names, numbers, list(ids)


def _parse(names: bytes, numbers: bytes, texts: str) -> _Folder | None:
    """A folder's row, or ``None`` if it does not hold together (then it is as if empty)."""
    try:
        table = json.loads(texts)
        column = array.array("q")
        column.frombytes(numbers)
        listed = _decoded(names).split("\0") if names else []
    except (ValueError, TypeError, AttributeError):  # (a column of another type: damaged)
        return None
    if (
        not isinstance(table, list)
        or not all(isinstance(t, str) for t in table)
        or len(column) != _WIDTH * len(listed)
    ):
        return None
    for k in (6, 7, 8):
        ids = column[k::_WIDTH]
        lowest = 0 if k == 7 else -1  # (every entry has a result)
        if ids and (max(ids) >= len(table) or min(ids) < lowest):
            return None
    return _Folder(listed, column, table)


class _Deflated:
    """Text compressed as it is added (the whole is never one string)."""

    def __init__(self) -> None:
        self._compressor: Any = zlib.compressobj(1)
        self._chunks: list[bytes] = []

    def add(self, text: str) -> None:
        chunk = self._compressor.compress(_encoded(text))
        if chunk:
            self._chunks.append(chunk)

    @property
    def data(self) -> bytes:
        """What was added so far, compressed (more may be added after)."""
        return b"".join((*self._chunks, self._compressor.copy().flush()))


class Transcript:
    """Text as it is written (a run's report, its messages), kept compressed for
    :meth:`Cache.record`; past ``limit`` characters nothing is kept (the run is not recorded)."""

    def __init__(self, limit: int = 256 * 1024 * 1024) -> None:
        self.limit = limit
        self.size = 0
        self._text: _Deflated | None = _Deflated()

    def write(self, text: str) -> None:
        if self._text is None:
            return
        self.size += len(text)
        if self.size > self.limit:
            self.stop()
        else:
            self._text.add(text)

    def stop(self) -> None:
        """Keep nothing more: the run will not be recorded."""
        self._text = None

    @property
    def kept(self) -> bytes | None:
        """The compressed text, ``None`` once too long (or stopped)."""
        return None if self._text is None else self._text.data


class FileList:
    """The files a run met and their stamps (size, mtime, ctime, inode; :data:`ABSENT` for a
    file that did not exist), kept compact for :meth:`Cache.record`: the paths compressed as
    they come (a few thousand at a time), the numbers packed."""

    _BATCH = 2048

    def __init__(self) -> None:
        self.numbers = array.array("q")
        self._paths = _Deflated()
        self._batch: list[str] = []
        self._count = 0

    def append(self, path: str, stamp: Sequence[int]) -> None:
        self._batch.append(path)
        self.numbers.extend(stamp)
        self._count += 1
        if len(self._batch) >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            text = "\0".join(self._batch)  # (a path holds no NUL character)
            if self._count > len(self._batch):
                text = "\0" + text
            self._batch = []
            self._paths.add(text)

    def __len__(self) -> int:
        return self._count

    def packed(self) -> tuple[bytes, array.array[int]]:
        """The paths (NUL-separated, compressed) and the numbers (four per file)."""
        self._flush()
        return self._paths.data, self.numbers

    def __iter__(self) -> Iterator[tuple[str, int, int, int, int]]:
        packed, n = self.packed()
        listed = _unpack(packed)
        for i, path in enumerate(listed.split("\0") if listed else []):
            yield (path, n[4 * i], n[4 * i + 1], n[4 * i + 2], n[4 * i + 3])


def _packed(value: str | Transcript) -> bytes | None:
    """A text or a transcript's text, compressed."""
    if isinstance(value, Transcript):
        return value.kept
    return zlib.compress(_encoded(value), 1)


def _encoded(text: str) -> bytes:
    """UTF-8, any string (a name that is not UTF-8 holds lone surrogates: kept as they are)."""
    return text.encode("utf-8", "surrogatepass")


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def _unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


class Cache:
    """The results of one context, read at start and written as files are checked.

    Entries are kept per folder (one row of the folder's file names and their numbers, packed),
    so that reading or writing the entries of many files costs a few rows, not a row each."""

    def __init__(self, folder: Path, context: str, db: Any) -> None:
        self.folder = folder
        self.context = context
        self._db = db
        self._lock = threading.RLock()
        """The connection and the folders are shared by the thread that looks files up (the
        pool's task feeder) and the one that stores results."""
        self._rows: dict[str, tuple[bytes, bytes, str] | None] | None = None
        self._folders: dict[str, _Folder | None] = {}
        self._current: str | None = None
        self._runs: list[tuple[Any, ...]] = []
        self._failed = False
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
                db.execute("SELECT count(*) FROM contexts WHERE context = ?", (context,)).fetchone()
                _drop_old_versions(path)
                return cache
            except sqlite3.OperationalError:  # locked by another run, unreadable: none this time
                if db is not None:
                    db.close()
                return None
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

    # -- a whole run --------------------------------------------------------------------------
    def replay(self, key: str, now: float) -> tuple[int, str, str, int] | None:
        """The exit status, report, messages and number of files of an earlier run with the
        same ``key`` (the same settings and paths) if no file it read and no folder it walked
        has changed since, and no file has a timestamp later than either run's time; else
        ``None``."""
        import sqlite3

        try:
            row = self._db.execute(
                "SELECT now, clock, code, stdout, stderr, folders, files, numbers, count FROM runs "
                "WHERE key = ? AND context = ?",
                (key, self.context),
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return self._replay(row, now)
        except (OSError, zlib.error, TypeError, ValueError, AttributeError):  # changed, damaged
            return None

    def _replay(self, row: tuple[Any, ...], now: float) -> tuple[int, str, str, int] | None:
        stored_now, clock, code, stdout, stderr, folders, files, blob, count = row
        if clock or now < stored_now:
            return None
        stat = os.stat
        listed = _unpack(files)
        numbers = array.array("q")
        numbers.frombytes(blob)
        paths = listed.split("\0") if listed else []
        if len(numbers) != 4 * len(paths):
            return None
        for path, mtime in json.loads(folders):
            if stat(path).st_mtime_ns != mtime:
                return None
        for i, path in enumerate(paths):
            j = 4 * i
            if numbers[j] == _ABSENT:  # a file that did not exist (a missing file named, a
                if os.path.lexists(path):  # settings file that may be made above the paths)
                    return None
                continue
            st = stat(path)
            if (
                st.st_size != numbers[j]
                or st.st_mtime_ns != numbers[j + 1]
                or st.st_ctime_ns != numbers[j + 2]
                or st.st_ino != numbers[j + 3]
            ):
                return None
        return int(code), _unpack(stdout), _unpack(stderr), int(count)

    def record(
        self,
        key: str,
        *,
        now: float,
        clock: bool,
        code: int,
        stdout: str | Transcript,
        stderr: str | Transcript,
        folders: Sequence[tuple[str, int]],
        files: FileList | Iterable[tuple[str, int, int, int, int]],
        count: int | None = None,
    ) -> None:
        """Keep a whole run (see :meth:`replay`): its report and messages (as texts, or as
        :class:`Transcript` objects that kept them while they were written), the folders it
        walked and the files it met (``(path, size, mtime, ctime, inode)``, or a
        :class:`FileList` that kept them as they came). A run that read a file modified in the
        last two seconds, or whose transcript was too long, is not kept. ``count`` is the
        number of files the run checked (default: as many as ``files``), which :meth:`replay`
        gives back."""
        out, err = _packed(stdout), _packed(stderr)
        if out is None or err is None:
            return
        if not isinstance(files, FileList):
            listed = FileList()
            for path, *stamp in files:
                listed.append(path, stamp)
            files = listed
        racy = time.time_ns() - _RACY_NS
        paths, numbers = files.packed()
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
                out,
                err,
                json.dumps(list(folders)),  # (ASCII: a folder's name may not be UTF-8)
                paths,
                numbers.tobytes(),
                len(files) if count is None else count,
            )
        )

    # -- the entries of files -----------------------------------------------------------------

    def _load(self) -> dict[str, tuple[bytes, bytes, str] | None]:
        """Every folder's row of this context, as stored (a folder's row is parsed when one of
        its files is first looked up)."""
        import sqlite3

        with self._lock:
            if self._rows is None:
                try:
                    self._rows = {
                        _decoded(folder): (names, numbers, texts)
                        for folder, names, numbers, texts in self._db.execute(
                            "SELECT folder, names, numbers, texts FROM folders WHERE context = ?",
                            (self.context,),
                        )
                    }
                except (sqlite3.Error, ValueError, AttributeError):  # (damaged: as if empty)
                    self._rows = {}
            return self._rows

    def _folder(self, folder: str) -> _Folder | None:
        """The entries of ``folder`` (absolute), ``None`` when none are kept."""
        import sqlite3

        with self._lock:
            found = self._folders.get(folder)
            if found is not None:
                return found
            rows = self._load()
            if folder not in rows:
                return None
            raw = rows[folder]
            rows[folder] = None  # parsed (or, once written, read back from the database)
            if raw is None:
                try:
                    raw = self._db.execute(
                        "SELECT names, numbers, texts FROM folders WHERE context = ? AND folder = ?",
                        (self.context, _encoded(folder)),
                    ).fetchone()
                except (sqlite3.Error, ValueError):
                    raw = None
            parsed = None if raw is None else _parse(*raw)
            if parsed is None:
                parsed = _Folder([], array.array("q"), [])
            self._folders[folder] = parsed
            return parsed

    def knows(self, folder: str) -> bool:
        """Whether entries of files of ``folder`` (absolute) are kept: if not, :meth:`lookup`
        would miss for each of them, so they need not even be looked at."""
        rows = self._load()
        return folder in rows or folder in self._folders

    def lookup(
        self,
        path: str,
        st: os.stat_result,
        explicit: bool,
        now: float,
        site: str = "",
    ) -> Entry | None:
        """The entry of ``path`` (absolute) if it still holds for the file as ``st`` shows it,
        for the time ``now`` (POSIX seconds) and the site configuration digest ``site``.

        A file looked up that was not named explicitly was found by listing its folder: the
        entries of files of that folder that this run does not meet are dropped when the cache
        is closed (the files are gone)."""
        head, _, name = path.rpartition(os.sep)
        folder = self._folders.get(head)
        if folder is None:
            folder = self._folder(head)
            if folder is None:
                self.misses += 1
                return None
        if not explicit:
            folder.walked = True
        i = folder.find(name)
        if i < 0:
            self.misses += 1
            return None
        n = folder.numbers
        j = _WIDTH * i
        s = n[j + 6]
        if (
            n[j] != st.st_size
            or n[j + 1] != st.st_mtime_ns
            or n[j + 2] != st.st_ctime_ns
            or n[j + 3] != st.st_ino
            or n[j + 5] != (_EXPLICIT if explicit else 0)  # (a result with the clock: never)
            or round(now * 1e6) < n[j + 4]
            or (folder.texts[s] if s >= 0 else "") != site
        ):
            folder.seen[i] = 2
            self.misses += 1
            return None
        folder.seen[i] = 1
        self.hits += 1
        return _entry(folder, i)

    def entry(self, path: str) -> Entry | None:
        """The entry of ``path`` without checking it (see :meth:`lookup`)."""
        head, _, name = path.rpartition(os.sep)
        folder = self._folder(head)
        if folder is None:
            return None
        i = folder.find(name)
        if i < 0:
            return None
        if not folder.seen[i]:
            folder.seen[i] = 1
        return _entry(folder, i)

    def store(
        self,
        path: str,
        st: os.stat_result | Sequence[int],
        explicit: bool,
        now: float,
        clock: bool,
        result: str,
        facts: str | None,
        site: str,
    ) -> None:
        """Keep a file's result (not if the file changed in the last two seconds).
        ``st`` is the file's ``os.stat`` result, or its :func:`stamp_of`.

        The new entries of a folder are written when results of another folder come (the files
        of a folder come together in a walk), so that memory holds one folder's new entries."""
        size, mtime, ctime, inode = stamp_of(st)
        if self._failed or mtime > time.time_ns() - _RACY_NS:
            return
        head, _, name = path.rpartition(os.sep)
        with self._lock:
            if head != self._current:
                if self._current is not None:
                    self._finish(self._current)
                self._current = head
            folder = self._folders.get(head) or self._folder(head)
            if folder is None:
                folder = self._folders[head] = _Folder([], array.array("q"), [])
            folder.new[name] = (
                size,
                mtime,
                ctime,
                inode,
                round(now * 1e6),
                (_EXPLICIT if explicit else 0) | (_CLOCK if clock else 0),
                folder.text_id(site or None),
                folder.text_id(result),
                folder.text_id(facts),
            )

    def _finish(self, path: str) -> None:
        """Write the entries of folder ``path`` if they changed; forget them here."""
        import sqlite3

        folder = self._folders.pop(path, None)
        if folder is None or self._failed or not folder.changed:
            return
        rows = self._load()
        names, numbers, texts = folder.merged()
        try:
            if names:
                self._db.execute(
                    "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?, ?)",
                    (
                        self.context,
                        _encoded(path),
                        _encoded("\0".join(names)),
                        numbers.tobytes(),
                        json.dumps(texts),  # (ASCII: any text, a lone surrogate too)
                    ),
                )
                rows[path] = None  # written: read back if needed again
            else:
                self._db.execute(
                    "DELETE FROM folders WHERE context = ? AND folder = ?",
                    (self.context, _encoded(path)),
                )
                rows.pop(path, None)
        except sqlite3.Error:  # locked by another run, disk full: this run keeps no cache
            self._failed = True
            with contextlib.suppress(sqlite3.Error):
                self._db.rollback()

    def close(self) -> None:
        """Write what is pending, note this context as used, drop the oldest contexts."""
        import sqlite3

        with self._lock:
            try:
                for path in list(self._folders):
                    self._finish(path)
                if self._failed:
                    return
                db = self._db
                db.execute(
                    "INSERT OR REPLACE INTO contexts VALUES (?, ?)", (self.context, time.time())
                )
                if self._runs:
                    db.executemany(
                        "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    db.execute("DELETE FROM folders WHERE context = ?", (context,))
                    db.execute("DELETE FROM contexts WHERE context = ?", (context,))
                    db.execute("DELETE FROM runs WHERE context = ?", (context,))
                db.commit()
            except (sqlite3.Error, ValueError):
                with contextlib.suppress(sqlite3.Error):
                    self._db.rollback()
            finally:
                self._db.close()
                self._rows, self._folders, self._current = {}, {}, None


def _drop_old_versions(folder: Path) -> None:
    """Remove the databases of earlier versions of the cache's layout."""
    for path in folder.glob("results-v*.sqlite*"):
        if not path.name.startswith(_DB_NAME):
            with contextlib.suppress(OSError):
                path.unlink()


def _entry(folder: _Folder, i: int) -> Entry:
    """The :class:`Entry` of the ``i``-th file of ``folder``."""
    n, texts = folder.numbers, folder.texts
    j = _WIDTH * i
    site, facts = n[j + 6], n[j + 8]
    return Entry(
        bool(n[j + 5] & _EXPLICIT),
        n[j],
        n[j + 1],
        n[j + 2],
        n[j + 3],
        n[j + 4] / 1e6,
        bool(n[j + 5] & _CLOCK),
        texts[n[j + 7]],
        None if facts < 0 else texts[facts],
        "" if site < 0 else texts[site],
    )


def _connect(path: Path) -> Any:
    import sqlite3

    db = sqlite3.connect(
        str(path), timeout=5.0, isolation_level="DEFERRED", check_same_thread=False
    )
    db.execute("PRAGMA synchronous = OFF")
    db.execute(
        "CREATE TABLE IF NOT EXISTS folders (context TEXT, folder BLOB, names BLOB, "
        "numbers BLOB, texts TEXT, PRIMARY KEY (context, folder))"
    )
    db.execute("CREATE TABLE IF NOT EXISTS contexts (context TEXT PRIMARY KEY, used REAL)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, context TEXT, used REAL, "
        "now REAL, clock INTEGER, code INTEGER, stdout BLOB, stderr BLOB, folders TEXT, "
        "files BLOB, numbers BLOB, count INTEGER)"
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
