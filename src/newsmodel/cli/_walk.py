"""Finding the files to check: lazily, in a stable order, without following links out.

Folders are walked for ``*.md``, ``*.markdown`` and ``*.html`` files, as Jekyll reads them
(whether each starts with a ``---`` fence is decided by the worker that reads it: a file
without front matter, such as a ``README.md`` or a plain HTML page, is not reported); hidden
files and folders are skipped, as are paths matching an exclude glob, and, inside a Jekyll site
(a folder with a ``_config.yml``), the files and folders the site excludes (its ``exclude``
list and Jekyll's own rules, see :meth:`newsmodel.layout.SiteLayout.is_excluded`). A symbolic link to a folder is followed only with ``follow_symlinks`` (and then
each folder is walked once; a link back into a folder being walked is reported as a loop).
A link that cannot be resolved (a loop) is reported as a problem, never raised.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable, Iterator, Sequence

from .. import codes
from ..layout import DOCUMENT_SUFFIXES, SiteLayout
from ..problems import Problem

__all__ = ["Target", "walk"]

Target = tuple[str, bool]
"""A file to check and whether it was named explicitly (then it is checked whatever it holds)."""


def _problem(path: str, message: str) -> Problem:
    return codes.UNREADABLE_FILE.problem(message, line=1, column=1, file=path)


def walk(
    paths: Sequence[str],
    *,
    excluded: Callable[[str], bool] = lambda _: False,
    follow_symlinks: bool = False,
) -> Iterator[Target | Problem]:
    """Yield each file to check (``(path, explicit)``) or a :class:`Problem` for a bad entry."""
    for raw in paths:
        if excluded(raw) and raw not in (".", ""):
            continue
        if os.path.isdir(raw):
            yield from _walk_folder(raw, excluded, follow_symlinks)
        else:
            yield raw, True


def _walk_folder(
    top: str, excluded: Callable[[str], bool], follow: bool
) -> Iterator[Target | Problem]:
    try:
        st = os.stat(top)
    except OSError as exc:
        yield _problem(top, f"The folder cannot be read: {exc.strerror or exc}.")
        return
    visited = {(st.st_dev, st.st_ino)}
    # Each entry: a folder to list and the (dev, inode) of the folders above it (for loops).
    stack: list[tuple[str, frozenset[tuple[int, int]]]] = [(top, frozenset(visited))]
    while stack:
        folder, above = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield _problem(folder, f"The folder cannot be read: {exc.strerror or exc}.")
            continue
        subfolders: list[tuple[str, frozenset[tuple[int, int]]]] = []
        skips = _site_skips(folder)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = entry.path
            if excluded(path):
                continue
            link = entry.is_symlink()
            if link:
                try:
                    target = os.stat(path)
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        yield _problem(path, "The symbolic link loops back on itself.")
                    elif entry.name.endswith(DOCUMENT_SUFFIXES):
                        yield _problem(path, f"The file cannot be read: {exc.strerror or exc}.")
                    continue
                is_dir = os.path.isdir(path)
            else:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
            if is_dir:
                if link:
                    if not follow:
                        continue
                    ident = (target.st_dev, target.st_ino)
                else:
                    try:
                        inode = entry.stat(follow_symlinks=False)
                    except OSError as exc:  # deleted since it was listed
                        yield _problem(path, f"The folder cannot be read: {exc.strerror or exc}.")
                        continue
                    ident = (inode.st_dev, inode.st_ino)
                if ident in above:
                    yield _problem(path, "The symbolic link loops back to a folder above it.")
                    continue
                if ident in visited:
                    continue  # reached twice through links: walk it once
                if skips is not None and skips(entry.name, True):
                    continue
                visited.add(ident)
                subfolders.append((path, above | {ident}))
            elif entry.name.endswith(DOCUMENT_SUFFIXES) and not (
                skips is not None and skips(entry.name, False)
            ):
                yield path, False
        stack.extend(reversed(subfolders))


@functools.lru_cache(maxsize=1024)
def _site(folder: str) -> SiteLayout | None:
    """The Jekyll site around ``folder``, if any (a broken ``_config.yml``: none here; the site
    checks report it)."""
    from ..errors import NewsModelError

    try:
        return SiteLayout.find(folder)
    except NewsModelError:
        return None


def _site_skips(folder: str) -> Callable[[str, bool], bool] | None:
    """For the entries of ``folder``: whether the site around it excludes an entry (by its name:
    a file, or a folder all of whose files it would exclude); ``None`` outside any site."""
    absolute = os.path.abspath(folder)
    site = _site(absolute)
    if site is None:
        return None
    rel = os.path.relpath(absolute, site.root).replace(os.sep, "/")
    if rel == ".." or rel.startswith("../"):
        return lambda _name, _is_dir: False
    prefix = "" if rel == "." else f"{rel}/"

    def skips(name: str, is_dir: bool) -> bool:
        return site.is_excluded(f"{prefix}{name}/index.md" if is_dir else f"{prefix}{name}")

    return skips
