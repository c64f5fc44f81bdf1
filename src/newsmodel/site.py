"""A whole site: its files, the references between them, and the problems only the whole shows.

.. code-block:: python

    from newsmodel.site import Site

    site = Site.open("path/to/site")          # the folder of _config.yml, or any folder
    for entry in site:                         # lazily, one file at a time
        print(entry.relpath, entry.kind)
    video = site.resolve("videos/some-slug")   # the entry a reference names, or None
    problems = site.check()                    # every problem of every file, and of the site

A site is the folder of the nearest ``_config.yml`` (its layout: :class:`~newsmodel.layout.
SiteLayout`); a folder without one is a site of its own, whose references are not judged (only
a site's layout says what a reference names). Site rules (``NM7xx``, :mod:`newsmodel.rules.site`)
read :class:`FileFacts`: what each file says about other files, taken from its parsed tree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import attrs

from .layout import DOCUMENT_SUFFIXES, SiteLayout
from .problems import Problem, sort_key

if TYPE_CHECKING:
    from .document import Document
    from .yamlio import Node

__all__ = [
    "FileFacts",
    "Located",
    "Site",
    "SiteEntry",
    "SiteIndex",
    "check_with_facts",
    "facts_of",
    "normalize_url",
    "reference_keys",
]


class Located(NamedTuple):
    """A string value of a file with where it stands (1-based line and column, pointer)."""

    value: str
    pointer: str
    line: int
    column: int


@attrs.frozen(kw_only=True)
class FileFacts:
    """What one file says that only the whole site can judge."""

    references: tuple[Located, ...] = ()
    """Each reference to another file of the site (``items: [videos/<slug>]``)."""
    web_url: Located | None = None
    """The top-level ``webUrl``."""

    def to_json(self) -> list[Any]:
        """A JSON-ready form (lists and scalars), read back by :meth:`from_json`."""
        return [
            [list(r) for r in self.references],
            None if self.web_url is None else list(self.web_url),
        ]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> FileFacts:
        refs, web = data
        return cls(
            references=tuple(Located(*r) for r in refs),
            web_url=None if web is None else Located(*web),
        )


NO_FACTS = FileFacts()


def reference_keys() -> frozenset[str]:
    """The top-level keys whose values reference other files: every field of the model whose
    ``meaning`` is ``reference`` (``items`` of a collection)."""
    return _reference_keys()


def _model_reference_keys() -> frozenset[str]:
    from . import model

    keys: set[str] = set()
    for value in vars(model).values():
        if isinstance(value, type) and attrs.has(value):
            for field in attrs.fields(value):
                if field.metadata.get("meaning") == "reference" and "key" in field.metadata:
                    keys.add(field.metadata["key"])
    return frozenset(keys)


_KEYS: frozenset[str] | None = None


def _reference_keys() -> frozenset[str]:
    global _KEYS
    if _KEYS is None:
        # ``items`` of a collection names files: the model says so once its fields carry a
        # meaning; until then the key is named here.
        _KEYS = _model_reference_keys() or frozenset({"items"})
    return _KEYS


@functools.lru_cache(maxsize=1)
def _nodes() -> tuple[Any, Any]:
    from .yamlio import ScalarNode, SequenceNode

    return ScalarNode, SequenceNode


@functools.lru_cache(maxsize=1)
def _locating() -> tuple[Any, Any]:
    from .yamlio import locate, pointer

    return locate, pointer


def _located(root: Node, path: tuple[str | int, ...], value: str) -> Located:
    locate, pointer = _locating()
    line, column = locate(root, path)
    return Located(value, pointer(path), line, column)


def facts_of(root: Node | None) -> FileFacts:
    """The :class:`FileFacts` of a parsed front matter (empty for one that did not parse)."""
    if root is None or root.kind != "mapping":
        return NO_FACTS
    index = root.index  # type: ignore[union-attr]
    keys = _reference_keys()
    if "webUrl" not in index and keys.isdisjoint(index):
        return NO_FACTS  # most files: nothing to say of other files
    ScalarNode, SequenceNode = _nodes()

    refs: list[Located] = []
    for key in keys:
        entry = index.get(key)
        if entry is None:
            continue
        node = entry.value
        if isinstance(node, ScalarNode) and isinstance(node.value, str):
            refs.append(_located(root, (key,), node.value))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.items):
                value = item.value
                if isinstance(value, ScalarNode) and isinstance(value.value, str):
                    refs.append(_located(root, (key, i), value.value))
    web: Located | None = None
    entry = index.get("webUrl")
    if entry is not None and isinstance(entry.value, ScalarNode):
        value = entry.value.value
        if isinstance(value, str) and value.strip():
            web = _located(root, ("webUrl",), value)
    if not refs and web is None:
        return NO_FACTS
    refs.sort(key=lambda r: (r.line, r.column))
    return FileFacts(references=tuple(refs), web_url=web)


def normalize_url(url: str) -> str:
    """``url`` with its scheme and host in lower case and no trailing ``/`` on its path, so
    that ``HTTPS://Example.com/a/`` and ``https://example.com/a`` compare equal."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return text.rstrip("/")
    if not parts.scheme or not parts.netloc:
        return text.rstrip("/")
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, "")
    ) + (f"#{parts.fragment}" if parts.fragment else "")


def check_with_facts(
    data: bytes,
    *,
    file: str | None = None,
    now: dt.datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    facts: bool = True,
) -> tuple[list[Problem], FileFacts]:
    """:func:`~newsmodel.check_bytes` that also gives the file's :class:`FileFacts` (the file
    is parsed once for both; ``facts=False``: :data:`NO_FACTS`, for a file of no site)."""
    decode, error, parse_text, check_parsed, select_problems = _checking()
    try:
        text = decode(data, file)
    except error as exc:
        return select_problems(list(exc.problems), select, ignore), NO_FACTS
    parsed = parse_text(text)
    found = facts_of(parsed.root) if facts else NO_FACTS
    return check_parsed(parsed, file=file, now=now, select=select, ignore=ignore), found


@functools.lru_cache(maxsize=1)
def _checking() -> tuple[Any, Any, Any, Any, Any]:
    """What checking needs, imported once (on first use: opening a site stays light)."""
    from .document import decode
    from .errors import DocumentError
    from .validation import check_parsed, select_problems
    from .yamlio import parse_text

    return decode, DocumentError, parse_text, check_parsed, select_problems


# -- the index the site rules read ---------------------------------------------------------------


class _Url(NamedTuple):
    """A file with a ``webUrl`` (at ``$.webUrl``, ``line`` and ``column``): kept small, there
    is one for most files of a news site."""

    file: str
    line: int
    column: int
    report: bool


class SiteIndex:
    """What the site rules read: the files of a site and the facts of each file.

    ``add`` each file's facts (``report``: its problems are wanted); :meth:`problems` then runs
    the site rules. They are judged only where the site has a ``_config.yml``: a folder of
    files that is no Jekyll site (an export, an archive of a site's past versions) is not known
    to publish its files side by side, nor to resolve references.
    """

    def __init__(self, layout: SiteLayout, existing: Iterable[str] | None = None) -> None:
        self.layout = layout
        self.judges_references = layout.config_file is not None
        self._existing: set[str] | None = None if existing is None else set(existing)
        self._keys: dict[str, list[str]] | None = None
        self._root = str(layout.root).rstrip(os.sep) + os.sep
        self.references: list[tuple[str, Located]] = []
        """``(file, reference)`` for each reference of a file whose problems are wanted."""
        self.urls: dict[tuple[str, str], list[_Url]] = {}
        """The files of each ``webUrl`` (by collection and normalised URL)."""
        self.reported = False
        """Whether any file added wants its problems."""
        self.seen: set[str] = set()
        """Relative paths of the files added (where references are judged), unless
        ``tracks_seen`` is off."""
        self.tracks_seen = True
        """Whether :attr:`seen` is kept, for :meth:`missing` (off where every file of the
        site is added anyway: a run that walks all of it keeps no list of the paths)."""

    # files of the site
    @property
    def existing(self) -> set[str]:
        """Every file of the site (POSIX paths relative to its root), listed once."""
        if self._existing is None:
            self._existing = set(map(sys.intern, walk_site(self.layout)))
        return self._existing

    def relpath(self, path: str) -> str:
        """``path`` relative to the root of the site, POSIX."""
        absolute = os.path.abspath(path)
        root = self._root
        if absolute.startswith(root):
            return absolute[len(root) :].replace(os.sep, "/")
        return Path(absolute).relative_to(self.layout.root).as_posix()  # raises ValueError

    def add(
        self, file: str, facts: FileFacts, *, report: bool = True, relpath: str | None = None
    ) -> None:
        """Add a file (``file`` as problems name it; ``relpath`` from the root if known) and
        its facts; ``report``: its site problems are wanted."""
        if report:
            self.reported = True
        if not self.judges_references:  # no site: no site rule reads the facts
            return
        rel = relpath if relpath is not None else self.relpath(file)
        if self.tracks_seen:
            # interned: the same text in ``existing`` (a walk of the whole site) is one string
            self.seen.add(sys.intern(rel))
        if report:
            self.references.extend((file, ref) for ref in facts.references)
        if facts.web_url is not None:
            scope = self.layout.collection_of(rel) or ""
            key = (scope, normalize_url(facts.web_url.value))
            web = facts.web_url
            self.urls.setdefault(key, []).append(_Url(file, web.line, web.column, report))

    def missing(self) -> Iterator[str]:
        """Files of the site not added yet (their facts are needed for duplicates)."""
        yield from sorted(self.existing - self.seen)

    # references
    def resolve(self, reference: str) -> list[str]:
        """The files of the site (relative paths) a reference names."""
        existing = self.existing
        return [c for c in self.layout.candidates(reference) if c in existing]

    def looked_for(self, reference: str) -> list[str]:
        """Where a reference was looked for: the candidates whose folder exists, else the
        collection folders (for the message of a broken reference)."""
        candidates = self.layout.candidates(reference)
        first = [
            c
            for c in candidates
            if c.endswith(DOCUMENT_SUFFIXES[0]) or reference.endswith(DOCUMENT_SUFFIXES)
        ]
        near = [c for c in first if (self.layout.root / c).parent.is_dir()]
        return near

    def suggest(self, reference: str) -> str | None:
        """The closest existing reference (same first segment), for a did-you-mean hint."""
        if self._keys is None:
            keys: dict[str, list[str]] = {}
            for rel in self.existing:
                for key in self.layout.reference_keys(rel):
                    keys.setdefault(key.partition("/")[0], []).append(key)
            self._keys = keys
        ref = reference.strip().strip("/")
        pool = self._keys.get(ref.partition("/")[0], [])
        close = difflib.get_close_matches(ref, pool, n=1, cutoff=0.75)
        return close[0] if close else None

    def problems(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        ignores_for: Any = None,
    ) -> dict[str, list[Problem]]:
        """The problems of the site rules, by file (only files added with ``report``)."""
        from .rules.site import site_rules
        from .validation import selected

        sel = None if select is None else tuple(select)
        ign = None if ignore is None else tuple(ignore)
        out: dict[str, list[Problem]] = {}
        for rule in site_rules():
            if not selected(rule.code, sel, ign):
                continue
            for problem in rule.check(self):
                file = problem.file or ""
                if ignores_for is not None and not selected(problem.code, None, ignores_for(file)):
                    continue
                out.setdefault(file, []).append(problem)
        for problems in out.values():
            problems.sort(key=sort_key)
        return out


def walk_site(layout: SiteLayout) -> Iterator[str]:
    """Every file of the site with front matter suffixes that Jekyll reads (relative POSIX
    paths, sorted folder by folder); folders Jekyll skips are not entered."""
    root = str(layout.root)
    stack = [""]
    while stack:
        rel = stack.pop()
        folder = os.path.join(root, rel) if rel else root
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subfolders: list[str] = []
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:  # pragma: no cover - vanished while listed
                continue
            if is_dir:
                # a folder is entered when a plain file in it would be read
                if not layout.is_excluded(f"{path}/page.md"):
                    subfolders.append(path)
            elif entry.name.endswith(DOCUMENT_SUFFIXES) and not layout.is_excluded(path):
                yield path
        stack.extend(reversed(subfolders))


# -- the Python API over a site ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SiteEntry:
    """One file of a site: where it is, its collection, and its loaded document."""

    relpath: str
    """POSIX path relative to the site's root."""
    path: Path
    collection: str | None
    document: Document

    @property
    def item(self) -> Any:
        """The typed item of the file (``document.item`` where the model has kinds)."""
        doc = self.document
        return getattr(doc, "item", None) or doc.article

    @property
    def kind(self) -> str | None:
        """The kind of the item (its ``type``, or its ``taxonomy``), if it says one."""
        item = self.item
        for name in ("kind", "type", "taxonomy"):
            value = getattr(item, name, None)
            if isinstance(value, str):
                return value
        return None


class Site:
    """A site: a folder of front-matter files and the layout of its ``_config.yml``.

    Every method reads files when called (nothing is held but the layout and, once asked, the
    list of files), so iterating a site of 100,000 files keeps one document at a time.
    """

    def __init__(self, layout: SiteLayout) -> None:
        self.layout = layout
        self._files: list[str] | None = None

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> Site:
        """The site that holds ``folder``: that of the nearest ``_config.yml`` at or above it,
        else ``folder`` itself. Raises :class:`~newsmodel.layout.SiteConfigError` for a bad
        ``_config.yml`` and :class:`NotADirectoryError` for a path that is not a folder."""
        if not os.path.isdir(folder):
            raise NotADirectoryError(f"{os.fspath(folder)}: not a folder")
        layout = SiteLayout.find(folder) or SiteLayout.load(folder)
        return cls(layout)

    @property
    def root(self) -> Path:
        return self.layout.root

    def files(self) -> list[str]:
        """Every file of the site (relative POSIX paths, in walk order)."""
        if self._files is None:
            self._files = list(walk_site(self.layout))
        return list(self._files)

    def __iter__(self) -> Iterator[SiteEntry]:
        """Each file that loads, as a :class:`SiteEntry` (files that do not load are skipped:
        :meth:`check` reports them)."""
        return self.entries(errors="skip")

    def entries(self, *, errors: str = "raise") -> Iterator[SiteEntry]:
        """Each file as a :class:`SiteEntry`, loaded when reached. ``errors="raise"`` raises the
        :class:`~newsmodel.DocumentError` of a file that does not load; ``"skip"`` skips it."""
        from .errors import DocumentError

        if errors not in ("raise", "skip"):
            raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
        for rel in self.files():
            try:
                yield self.get(rel)
            except DocumentError:
                if errors == "raise":
                    raise

    def get(self, relpath: str | os.PathLike[str]) -> SiteEntry:
        """The file at ``relpath`` (relative to the root, or absolute). Raises
        :class:`FileNotFoundError` or a :class:`~newsmodel.DocumentError`."""
        from .document import load

        path = Path(relpath)
        if not path.is_absolute():
            path = self.root / path
        rel = Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        if not path.is_file():
            raise FileNotFoundError(f"{rel}: no such file in the site at {self.root}")
        return SiteEntry(
            relpath=rel,
            path=path,
            collection=self.layout.collection_of(rel),
            document=load(path),
        )

    def resolve(self, reference: str) -> SiteEntry | None:
        """The file a reference such as ``videos/<slug>`` names (``None`` if none does)."""
        for path in self.layout.resolve(reference):
            return self.get(path)
        return None

    def check(
        self,
        *,
        now: dt.datetime | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
    ) -> list[Problem]:
        """Every problem of every file (file paths as absolute paths) and of the site rules,
        sorted by file and position."""
        from .validation import select_problems

        index = SiteIndex(self.layout, self.files())
        problems: list[Problem] = []
        for rel in self.files():
            file = str(self.root / rel)
            data = _read(file)
            if isinstance(data, list):
                problems.extend(select_problems(data, select, ignore))
                continue
            found, facts = check_with_facts(data, file=file, now=now, select=select, ignore=ignore)
            problems.extend(found)
            index.add(file, facts)
        for found in index.problems(select=select, ignore=ignore).values():
            problems.extend(found)
        problems.sort(key=sort_key)
        return problems


def _read(file: str) -> bytes | list[Problem]:
    from .document import read_bytes
    from .errors import DocumentError

    try:
        return read_bytes(file)
    except DocumentError as exc:
        return list(exc.problems)


def group_problems(problems: Iterable[Problem]) -> Mapping[str, list[Problem]]:
    """Problems by file."""
    out: dict[str, list[Problem]] = {}
    for p in problems:
        out.setdefault(p.file or "", []).append(p)
    return out
