"""The workspace around the open files: values its files use, and the site it may be.

:class:`WorkspaceValues` reads the front matter of every article file under the workspace
folders once (in a background thread, bounded) and remembers the values of a few keys
(``topics``...) for completion. :func:`site_checker` is the one place where site-level rules
(references between files, duplicates) are hooked in for a folder that is a site.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import NewsModelError
from ..problems import Problem
from ..yamlio import MappingNode, parse_text

__all__ = [
    "COMPLETED_KEYS",
    "SiteChecker",
    "SiteRules",
    "WorkspaceValues",
    "site_checker",
    "values_of",
]

COMPLETED_KEYS = ("topics", "levels", "category")
"""The keys whose values used across the workspace are offered as completions."""

MAX_FILES = 50_000
"""At most this many files are read by one scan of a workspace folder."""

_SUFFIXES = (".md", ".markdown", ".html")
_SKIP = {"node_modules", "_site", ".git", ".venv", "venv", "__pycache__", ".jekyll-cache"}
_READ = 65_536  # front matter is at the top: topics are within the first bytes of a file

SiteChecker = Callable[[str, str], list[Problem]]
"""Site-level problems of one file: ``checker(path, text)``."""


class SiteRules:
    """The site rules (references between files, duplicates: :mod:`newsmodel.site`) for the
    open files of one site.

    What the site's other files say (their references and ``webUrl``) is read from disk once,
    on the first check, into a :class:`~newsmodel.site.SiteIndex`, and again for a file when it
    is saved (:meth:`forget`); what an open file says comes from its text in the editor, as
    typed. Each check copies that index without the open file's entries on disk and adds the
    file's text's: it does not walk the site again.
    """

    def __init__(self, layout: Any) -> None:
        self.layout = layout
        self.root: Path = layout.root
        self._lock = threading.Lock()
        self._facts: dict[str, Any] | None = None
        self._index: Any = None

    def _read(self, file: str) -> Any:
        from ..document import decode, read_bytes
        from ..site import facts_of

        try:
            return facts_of(parse_text(decode(read_bytes(file), file)).root)
        except NewsModelError:  # unreadable, not UTF-8: nothing to say about other files
            return facts_of(None)

    def index(self) -> Any:
        """The index of every file of the site as it is on disk (built once)."""
        from ..site import SiteIndex, walk_site

        with self._lock:
            if self._facts is None:
                files = [str(self.root / rel) for rel in walk_site(self.layout)]
                self._facts = {file: self._read(file) for file in files}
            if self._index is None:
                rels = [os.path.relpath(f, self.root) for f in self._facts]
                index = SiteIndex(self.layout, rels)
                for file, facts in self._facts.items():
                    if facts.web_url is not None:  # only what others' problems can come from
                        index.add(file, facts, report=False)
                self._index = index
            return self._index

    def forget(self, file: str) -> None:
        """Read ``file`` again at the next check (it was saved, created or deleted)."""
        with self._lock:
            if self._facts is not None:
                if os.path.isfile(file):
                    self._facts[file] = self._read(file)
                else:
                    self._facts.pop(file, None)
                self._index = None

    def __call__(self, file: str, text: str) -> list[Problem]:
        from ..site import facts_of

        base = self.index()
        index = copy.copy(base)  # the shared caches (the site's files) are read only
        index.references = []
        index.reported = set()
        index.seen = set(base.seen)
        index.urls = {key: [u for u in urls if u.file != file] for key, urls in base.urls.items()}
        index.add(file, facts_of(parse_text(text).root))
        return list(index.problems().get(file, []))


def site_checker(folder: Path) -> SiteRules | None:
    """The site rules of a workspace folder that is in a site (a ``_config.yml`` at or above
    it), else ``None``: the one call that hooks site-level rules into the server."""
    from ..layout import SiteLayout

    try:
        layout = SiteLayout.find(folder)
    except NewsModelError:  # a _config.yml that cannot be read: no site rules
        return None
    if layout is None or layout.config_file is None:
        return None
    return SiteRules(layout)


def values_of(
    root: MappingNode | None, keys: Iterable[str] = COMPLETED_KEYS
) -> dict[str, list[str]]:
    """The string values (or list items) of ``keys`` in a front matter tree."""
    out: dict[str, list[str]] = {}
    if root is None:
        return out
    for key in keys:
        value = root.data.get(key)
        items = value if isinstance(value, list) else [value]
        found = [v.strip() for v in items if isinstance(v, str) and v.strip()]
        if found:
            out[key] = found
    return out


def _files(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(_SUFFIXES):
                yield Path(dirpath, name)


class WorkspaceValues:
    """Values of :data:`COMPLETED_KEYS` across the workspace's files, most used first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, Counter[str]] = {k: Counter() for k in COMPLETED_KEYS}
        self.files = 0

    def scan(self, folder: Path, limit: int = MAX_FILES) -> int:
        """Read the files under ``folder``; return how many were read. Never raises for a
        file that vanished, is unreadable or is not UTF-8: it is skipped."""
        read = 0
        for path in _files(folder):
            if read >= limit:
                break
            try:
                with open(path, "rb") as fh:
                    data = fh.read(_READ)
            except OSError:
                continue
            text = data.decode("utf-8", "replace")
            if "topics" not in text and "category" not in text and "levels" not in text:
                continue
            end = text.find("\n---", 3)
            if not text.startswith("---") or end < 0:
                continue
            self.add(values_of(parse_text(text[: end + 5]).root))
            read += 1
        with self._lock:
            self.files += read
        return read

    def add(self, values: Mapping[str, Iterable[str]]) -> None:
        with self._lock:
            for key, found in values.items():
                self._counts.setdefault(key, Counter()).update(found)

    def snapshot(self, extra: Mapping[str, Iterable[str]] = {}) -> dict[str, list[str]]:
        """Each key's values, most used first (``extra``: values of the open files)."""
        with self._lock:
            counts = {k: Counter(c) for k, c in self._counts.items()}
        for key, found in extra.items():
            counts.setdefault(key, Counter()).update(found)
        return {k: [v for v, _ in c.most_common()] for k, c in counts.items() if c}
