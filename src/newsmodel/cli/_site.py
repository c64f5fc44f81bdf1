"""The site pass of ``newsmodel check``: the results cache, and the site rules over every file.

:class:`SitePass` wraps the stream of files to check: a file the cache answers is not handed
to a worker (:meth:`SitePass.misses` yields only the others), and every result, cached or
computed, is spooled to a temporary file in walk order together with the file's facts (its
references and ``webUrl``), which go into the :class:`~newsmodel.site.SiteIndex` of its site.
Once every file is checked, the site rules run (``NM7xx``) and :meth:`SitePass.results`
replays the results in walk order, each file with its site problems merged in. Memory holds
the facts, not the results: it stays flat however many files there are.

A file's site is the folder of the nearest ``_config.yml`` above it; a file with none above
belongs to the path given that holds it (a folder, or a file's own folder). When only some
files of a site with a ``_config.yml`` are checked (pre-commit passes the changed files), the
facts of the others come from the cache or are read, so that references resolve and
duplicates are found against the whole site; only the files checked are reported.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import attrs

from ..cache import ABSENT, Cache, FileList, Stamp, context_key, dumps, stamp_of
from ..config import Config
from ..layout import CONFIG_NAMES, SiteConfigError, SiteLayout
from ..problems import Problem, sort_key
from ..site import NO_FACTS, FileFacts, SiteIndex, facts_of
from ._report import FileResult

__all__ = ["SitePass", "run_context"]

Task = tuple[str, bool, tuple[str, ...], Problem | None, bool]
"""A file to check, whether it was named explicitly, the codes ignored for it, the problem met
while walking to it (then there is nothing to check), and whether its facts are wanted (it is a
file of a site: :meth:`SitePass.misses` says)."""


def run_context(config: Config, select: tuple[str, ...] | None) -> str:
    """The part of the cache key that every file shares: the settings that change results, the
    folders of installed packages (a package that adds kinds installed, upgraded or removed) and
    the files of the modules of the kinds ``[tool.newsmodel]`` names."""
    return context_key(
        (
            select,
            config.ignore,
            config.per_file_ignores,
            str(config.root),
            None if config.source is None else _digest_file(str(config.source)),
            _installed(),
            [_module_file(value.partition(":")[0]) for _name, value in config.kinds],
        )
    )


def _installed() -> list[tuple[str, int]]:
    """The folders of installed packages on ``sys.path`` and their modification times: a
    package installed, upgraded or removed adds or removes a folder in them (its
    ``.dist-info``), so a kind a plugin adds changes the key (without reading every package's
    metadata, which costs more than a run answered from the cache)."""
    found = []
    for entry in sys.path:
        if os.path.basename(entry) in ("site-packages", "dist-packages"):
            with contextlib.suppress(OSError):
                found.append((entry, os.stat(entry).st_mtime_ns))
    return found


def _module_file(module: str) -> tuple[str, int, int] | None:
    """The file of ``module`` as an import would find it on ``sys.path`` (not imported), with
    its size and modification time; ``None`` if it is not a plain file there."""
    relative = module.replace(".", os.sep)
    for entry in sys.path:
        base = os.path.join(entry or os.curdir, relative)
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            with contextlib.suppress(OSError):
                st = os.stat(candidate)
                return (os.path.abspath(candidate), st.st_size, st.st_mtime_ns)
    return None


def _digest_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.blake2b(fh.read(), digest_size=16).hexdigest()
    except OSError:
        return ""


class _Site:
    """One site of the run: its index and the digest of its ``_config.yml``."""

    def __init__(self, layout: SiteLayout, digest: str, config: str | None = None) -> None:
        self.layout = layout
        self.digest = digest
        self.config = config
        self.index = SiteIndex(layout)
        self._root = str(layout.root).rstrip(os.sep) + os.sep

    def relpath(self, absolute: str) -> str:
        if absolute.startswith(self._root):
            return absolute[len(self._root) :].replace(os.sep, "/")
        return self.index.relpath(absolute)


_CLEAN_TEXT = "[true,null,[]]"


def _split(path: str) -> tuple[str, str]:
    """``os.path.split(path)``, by one ``rpartition`` where that gives the same (a file's path
    as a walk gives it: a folder that does not end in a separator, then a name)."""
    head, _, name = path.rpartition(os.sep)
    if not head or not name or head.endswith(os.sep) or os.altsep:
        return os.path.split(path)
    return head, name


def _absolute(path: str, head: str, name: str, folders: dict[str, str]) -> str:
    """``os.path.abspath(path)`` (``head`` and ``name`` its :func:`_split`), each folder made
    absolute once in ``folders`` (the current folder does not change during a run)."""
    if name in ("", ".", ".."):
        return os.path.abspath(path)
    folder = folders.get(head)
    if folder is None:
        folder = folders[head] = os.path.abspath(head)
    return folder + name if folder.endswith(os.sep) else folder + os.sep + name


@functools.lru_cache(maxsize=1)
def _future_code() -> str:
    from ..rules.dates import DateInFuture

    return DateInFuture.code


class _Touched:
    """The files of a run and their stamps, for its record (a
    :class:`~newsmodel.cache.FileList`), until there are too many or one's stamp is unknown."""

    def __init__(self) -> None:
        self.files = FileList()
        self.full = False
        self._lock = threading.Lock()  # (files are added by the walk's and the results' threads)

    LIMIT = 200_000
    """Past this many files, a run is not recorded whole (its record would cost more memory
    than the per-file entries save time): the list is dropped."""

    def give_up(self) -> None:
        """No record of this run will be made (too many files, or a file's stamp unknown)."""
        self.full = True
        self.files = FileList()

    def append(self, path: str, st: os.stat_result | Stamp) -> None:
        """Add a file, by its ``os.stat`` result or its stamp (size, mtime, ctime, inode)."""
        if self.full:
            return
        with self._lock:
            if len(self.files) >= self.LIMIT:
                self.give_up()
                return
            self.files.append(path, stamp_of(st))

    def is_full(self) -> bool:
        return self.full


def _encode(result: FileResult) -> str:
    if result.checked and not result.problems and result.failure is None:
        return _CLEAN_TEXT
    return dumps(
        [
            result.checked,
            result.failure,
            [
                [p.code, p.severity, p.message, p.pointer, p.line, p.column, p.hint]
                for p in result.problems
            ],
        ]
    )


def _decode(file: str, text: str) -> FileResult:
    checked, failure, problems = json.loads(text)
    return FileResult(
        file,
        [
            Problem(
                code=code,
                severity=severity,
                message=message,
                pointer=pointer,
                line=line,
                column=column,
                hint=hint,
                file=file,
            )
            for code, severity, message, pointer, line, column, hint in problems
        ],
        checked,
        failure,
    )


class SitePass:
    """See the module docstring. ``cache`` is ``None`` with ``--no-cache``."""

    def __init__(
        self,
        *,
        paths: list[str],
        config: Config,
        select: tuple[str, ...] | None,
        now: dt.datetime | None,
        cache: Cache | None,
    ) -> None:
        self.config = config
        self.select = select
        self.cache = cache
        self.now = (now or dt.datetime.now(dt.timezone.utc)).timestamp()
        self._roots = [(os.path.abspath(p), os.path.isdir(p)) for p in paths]
        self._relative = any(not os.path.isabs(p) for p in paths)
        self._sites: dict[str, _Site] = {}
        self._config_root: dict[str, str | None] = {}
        self._by_folder: dict[str, _Site] = {}
        self._lock = threading.Lock()
        self._results: list[str | FileResult | None] = []
        """Each file's result in walk order, kept small: the path of a file with no problem,
        else the result."""
        self._pending: deque[tuple[int, str, bool, os.stat_result | None, bool, _Site | None]]
        self._pending = deque()
        self.touched = _Touched()
        """``(path, size, mtime, ctime, inode)`` of every file read or answered from the cache
        (for the record of the whole run, see :meth:`newsmodel.cache.Cache.record`)."""
        self.clock = False
        """Whether a result of the run depends on the time (a date in the future)."""
        self.files = 0
        """How many files the run checked or answered from the cache."""
        self.failed = False
        self.extra: list[FileResult] = []
        """Results of no file checked: a site configuration that cannot be used (NM700)."""

    # -- sites --------------------------------------------------------------------------------

    def _find_config(self, folder: str) -> str | None:
        seen: list[str] = []
        found: str | None = None
        current = folder
        while True:
            if current in self._config_root:
                found = self._config_root[current]
                break
            seen.append(current)
            if any(os.path.isfile(os.path.join(current, n)) for n in CONFIG_NAMES):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for folder_seen in seen:
            self._config_root[folder_seen] = found
        return found

    def _site_for(self, path: str) -> tuple[_Site, bool]:
        """The site of ``path`` (absolute), and whether every file of its folder has it."""
        folder = os.path.dirname(path)
        root = self._find_config(folder)
        bare = root is None
        shared = True
        if root is None:
            root = folder
            shared = False
            for given, is_dir in self._roots:
                if path == given or path.startswith(given.rstrip(os.sep) + os.sep):
                    root = given if is_dir else os.path.dirname(given)
                    shared = is_dir
                    break
        site = self._sites.get(root)
        if site is None:
            site = self._sites[root] = self._open(root, bare)
        # a folder's files share its site (in a bare site, below a folder given)
        return site, shared

    def _open(self, root: str, bare: bool) -> _Site:
        if bare:  # no _config.yml: a layout of the folders only (references are not judged)
            return _Site(SiteLayout(root=Path(root)), "")
        config = next(
            os.path.join(root, n) for n in CONFIG_NAMES if os.path.isfile(os.path.join(root, n))
        )
        try:
            layout = SiteLayout.load(root)
        except SiteConfigError as exc:
            file = self._display(config)
            self.extra.append(FileResult(file, [attrs.evolve(p, file=file) for p in exc.problems]))
            return _Site(SiteLayout(root=Path(root)), "broken")
        with contextlib.suppress(OSError):
            self.touched.append(config, os.stat(config))
        site = _Site(layout, _digest_file(config), config)
        # walked whole (a folder given at or above its root, no exclude globs): every file
        # of the site is added as it is checked, so no list of the paths checked is kept
        site.index.tracks_seen = not self._walks_whole(root)
        return site

    def _walks_whole(self, root: str) -> bool:
        """Whether this run walks every file of the site at ``root``."""
        if self.config.exclude or self.config.cli_exclude:
            return False
        return any(
            is_dir and (root == given or root.startswith(given.rstrip(os.sep) + os.sep))
            for given, is_dir in self._roots
        )

    def _display(self, path: str) -> str:
        return os.path.relpath(path) if self._relative else path

    # -- the stream of files ------------------------------------------------------------------

    def misses(self, tasks: Iterable[Task]) -> Iterator[Task]:
        """The tasks the cache does not answer (the others are spooled at once)."""
        cache = self.cache
        touched = self.touched
        pending = self._pending
        results = self._results
        by_folder = self._by_folder
        absolute_folders: dict[str, str] = {}
        known_folders: dict[str, bool] = {}  # whether the cache keeps entries of its files
        for task in tasks:
            path, explicit, ignore, found, _facts = task
            seq = len(results)  # (only this thread appends; its length: the files of the run)
            results.append(None)
            if found is not None:
                pending.append((seq, path, False, None, explicit, None))
                yield task
                continue
            # the site of a file is that of its folder (as written: no path is resolved)
            head, name = _split(path)
            site = by_folder.get(head)
            if site is None:
                site = self._site_of(path)
            task = (path, explicit, ignore, None, site.index.judges_references)
            if cache is None:
                pending.append((seq, path, False, None, explicit, site))
                yield task
                continue
            absolute = _absolute(path, head, name, absolute_folders)
            # (the cache names a folder as the part of a path before its last separator)
            folder = absolute.rpartition(os.sep)[0]
            known = known_folders.get(folder)
            if known is None:
                known = known_folders[folder] = cache.knows(folder)
            if not known:  # nothing kept of its folder: checked without a look (the worker
                cache.misses += 1  # says the stamp of the file it reads)
                pending.append((seq, path, True, None, explicit, site))
                yield task
                continue
            st: os.stat_result | None
            try:
                st = os.stat(absolute)
            except OSError:
                st = None
            if st is not None:
                touched.append(path, st)
                entry = cache.lookup(absolute, st, explicit, self.now, site.digest)
                if entry is not None:
                    try:
                        answer = (
                            path if entry.result == _CLEAN_TEXT else _decode(path, entry.result)
                        )
                        if entry.facts is not None or site.index.judges_references:
                            self._add_cached(path, absolute, site, entry.facts, entry.result)
                    except (ValueError, TypeError, AttributeError):  # a damaged entry: checked
                        cache.hits, cache.misses = cache.hits - 1, cache.misses + 1
                    else:
                        results[seq] = answer
                        continue
            else:
                cache.misses += 1
            pending.append((seq, path, True, st, explicit, site))
            yield task

    def _add_cached(
        self, path: str, absolute: str, site: _Site, facts: str | None, result: str
    ) -> None:
        """Add to its site's index the facts of a file answered from the cache."""
        parsed = None if facts is None else FileFacts.from_json(json.loads(facts))
        with self._lock:
            if parsed is not None:
                site.index.add(path, parsed, relpath=site.relpath(absolute))
            elif site.index.tracks_seen and result.startswith("[true"):
                site.index.seen.add(site.relpath(absolute))

    def _site_of(self, path: str) -> _Site:
        """The site of ``path`` (remembered for its folder where all its files share it)."""
        site, shared = self._site_for(os.path.abspath(path))
        if shared:
            self._by_folder[os.path.dirname(path)] = site
        return site

    def results(
        self,
        computed: Iterable[FileResult | Stamp | None],
        progress: Callable[[FileResult], None],
    ) -> Iterator[FileResult]:
        """Take the computed results (in the order of :meth:`misses`), run the site rules,
        then yield every result in walk order with its site problems."""
        cache = self.cache
        touched = self.touched
        absolute_folders: dict[str, str] = {}
        for computed_result in computed:
            seq, path, kept, st, explicit, site = self._pending.popleft()
            # (the absolute path is made again here, not kept while the file waits: memory)
            in_site = site is not None and site.index.judges_references
            absolute = _absolute(path, *_split(path), absolute_folders) if kept or in_site else None
            stamp: os.stat_result | Stamp | None
            if isinstance(computed_result, FileResult):
                result = computed_result
                stamp = result.stamp
            else:  # from a worker: checked, no problem, no facts (and the stamp, with the cache)
                stamp = computed_result
                result = FileResult(path, [], True)
            if kept and st is None:
                assert absolute is not None
                # not looked at before it was checked (nothing was kept of its folder, or it
                # could not be): the stamp is the worker's, taken before it read the file; a
                # file it could not read has none (its mode may have changed since), so it is
                # not kept, nor is the run recorded
                if stamp is not None:
                    touched.append(path, stamp)
                elif result.failure is None:
                    if os.path.lexists(absolute):
                        touched.give_up()
                    else:  # a run replays only while the file is still missing
                        touched.append(path, ABSENT)
            if stamp is None:
                stamp = st
            facts: FileFacts = result.facts or NO_FACTS
            clean = result.checked and not result.problems and result.failure is None
            text = _CLEAN_TEXT if clean else None
            # the site rules run only in a site (a _config.yml): elsewhere no facts are kept
            if in_site and result.checked:
                assert site is not None and absolute is not None
                with self._lock:
                    site.index.add(result.file, facts, relpath=site.relpath(absolute))
            # a result with a date in the future says what time it is: it holds only now
            clock = False
            if result.problems:
                future = _future_code()
                clock = any(p.code == future for p in result.problems)
                self.clock = self.clock or clock
            if cache is not None and kept and stamp is not None and result.failure is None:
                assert absolute is not None and site is not None
                has_facts = in_site and (bool(facts.references) or facts.web_url is not None)
                cache.store(
                    absolute,
                    stamp,
                    explicit,
                    self.now,
                    clock,
                    text or _encode(result),
                    dumps(facts.to_json()) if has_facts else None,
                    site.digest,
                )
            self._results[seq] = result.file if clean else result._replace(facts=None, stamp=None)
            if result.failure is not None:
                self.failed = True
            progress(result)
        self.files = len(self._results)  # (every file of the run is in by now)
        found = self._site_problems()
        results = self._results
        self._results = []
        for i, item in enumerate(results):
            results[i] = None  # let it go once reported
            if isinstance(item, str):
                result = FileResult(item, [])
            else:
                assert item is not None  # (every file's result is in by now)
                result = item
            more = found.get(result.file)
            if more:
                result = result._replace(problems=sorted(result.problems + more, key=sort_key))
            yield result

    def watch_settings(self, paths: list[str]) -> None:
        """Add to the files of the run the settings files that could apply to ``paths`` (a
        ``_config.yml`` or ``pyproject.toml`` in their folders or above), as they are or as
        missing, so that a run is not replayed once one is made, changed or removed."""
        folders: set[str] = set()
        for path in paths:
            absolute = os.path.abspath(path)
            folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
            while folder not in folders:
                folders.add(folder)
                parent = os.path.dirname(folder)
                if parent == folder:
                    break
                folder = parent
        for folder in sorted(folders):
            for name in (*CONFIG_NAMES, "pyproject.toml"):
                candidate = os.path.join(folder, name)
                try:
                    self.touched.append(candidate, os.stat(candidate))
                except OSError:
                    self.touched.append(candidate, ABSENT)

    def roots(self) -> list[str]:
        """The roots of the sites with a ``_config.yml`` met in this run."""
        return [str(s.layout.root) for s in self._sites.values() if s.config is not None]

    # -- the site rules -----------------------------------------------------------------------

    def _site_problems(self) -> dict[str, list[Problem]]:
        found: dict[str, list[Problem]] = {}
        for site in self._sites.values():
            index = site.index
            if not index.reported:
                continue
            if site.layout.config_file is not None and site.index.tracks_seen:
                self._complete(site)
            for file, problems in index.problems(
                select=self.select, ignores_for=self.config.ignores_for
            ).items():
                found.setdefault(file, []).extend(problems)
        return found

    def _complete(self, site: _Site) -> None:
        """Add the facts of the files of the site that were not checked in this run."""
        root = site.layout.root
        for rel in site.index.missing():
            absolute = str(root / rel)
            with contextlib.suppress(OSError):
                self.touched.append(absolute, os.stat(absolute))
            facts = self._facts(absolute, site)
            if facts is not None:
                site.index.add(self._display(absolute), facts, report=False)

    def _facts(self, absolute: str, site: _Site) -> FileFacts | None:
        cache = self.cache
        if cache is not None:
            entry = cache.entry(absolute)
            if entry is not None and entry.site == site.digest:
                try:
                    st = os.stat(absolute)
                except OSError:
                    return None
                if (entry.size, entry.mtime, entry.ctime, entry.inode) == (
                    st.st_size,
                    st.st_mtime_ns,
                    st.st_ctime_ns,
                    st.st_ino,
                ):
                    if not entry.result.startswith("[true"):
                        return None
                    return (
                        NO_FACTS
                        if entry.facts is None
                        else FileFacts.from_json(json.loads(entry.facts))
                    )
        from ..document import decode, read_bytes
        from ..errors import DocumentError
        from ..yamlio import parse_text

        try:
            data = read_bytes(absolute)
            if not data.removeprefix(b"\xef\xbb\xbf").startswith(b"---"):
                return None
            return facts_of(parse_text(decode(data, absolute)).root)
        except DocumentError:
            return NO_FACTS
