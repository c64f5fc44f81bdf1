"""``newsmodel fix``: apply the safe fixes, write atomically, or show them (``--diff``).

Safety, in the spirit of black's ``--safe``: the new text is read back and must give exactly
the fixed article and the same body; right before the atomic replace the file is read again
and must still be what it was (same bytes, same modification time), otherwise it is left alone.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections import deque
from typing import TextIO

from ..config import Config
from ..problems import Problem, format_problem
from ._check import walk_each, warn_no_articles

__all__ = ["diff_path", "run_fix", "unified_diff"]


class _Refused(Exception):
    """A file the fixer will not write (its reason is the message)."""


def _lines(text: str) -> list[str]:
    """The lines of ``text``, each with its ``\\n`` (only ``\\n`` ends a line in a patch; a
    ``\\r`` before it stays part of the line)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def diff_path(path: str) -> str:
    """The name of ``path`` in a patch header: relative to the current folder, with ``/``, no
    ``./`` (``a/content/x.md``), so that ``git apply`` and ``patch -p1`` run from the current
    folder find the file, whether it was given as a relative or an absolute path."""
    name = os.path.relpath(os.path.abspath(path))
    return name.replace(os.sep, "/")


def unified_diff(old: str, new: str, path: str) -> str:
    """A unified diff of a file from ``old`` to ``new`` that ``git apply`` and ``patch -p1``
    take: ``a/``/``b/`` headers from :func:`diff_path`, and a last line without a newline
    marked ``\\ No newline at end of file``."""
    name = diff_path(path)
    out = []
    for line in difflib.unified_diff(
        _lines(old), _lines(new), fromfile=f"a/{name}", tofile=f"b/{name}"
    ):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _fix_file(path: str, *, diff: bool, check: bool, quiet: bool, out: TextIO) -> str:
    """Fix one file; return ``"unchanged"``, ``"fixed"``, ``"would fix"`` or ``"invalid"``."""
    import attrs

    from ..document import decode, dumps, loads, read_bytes, write_atomic
    from ..errors import DocumentError, NewsModelError
    from ..fix import Fix, fix_document

    try:
        before = os.stat(path)
    except OSError as exc:
        raise _Refused(f"cannot be read: {exc.strerror or exc}") from None
    try:
        data = read_bytes(path)  # the same limits as check: regular files, at most 8 MiB
        doc = loads(decode(data, path), path=path)
    except DocumentError as exc:
        for p in exc.problems:
            err = format_problem(attrs.evolve(p, file=p.file or path), location=True)
            sys.stderr.write(err + "\n")
        sys.stderr.write(f"newsmodel: {path}: not fixed: it does not load (see newsmodel check)\n")
        return "invalid"
    fixes: list[Fix] = []
    fixed = fix_document(doc, record=fixes)
    if not fixes:
        return "unchanged"
    try:
        new_text = dumps(fixed)
    except NewsModelError as exc:
        raise _Refused(str(exc)) from None
    try:
        again = loads(new_text, path=path)
    except DocumentError as exc:
        raise _Refused(f"the fixed text does not read back: {exc}") from None
    if again.item != fixed.item or again.body != doc.body:
        raise _Refused("the fixed text does not read back as the intended article")
    old_text = doc.source or ""
    if diff:
        out.write(unified_diff(old_text, new_text, path))
    if check or diff:
        if check and not quiet:
            for f in fixes:
                out.write(f"{path}: would fix {f.pointer}: {f.message}\n")
        return "would fix"
    try:
        with open(path, "rb") as fh:
            current = fh.read()
        now = os.stat(path)
    except OSError as exc:
        raise _Refused(f"cannot be read again before writing: {exc.strerror or exc}") from None
    if current != data or now.st_mtime_ns != before.st_mtime_ns or now.st_size != before.st_size:
        raise _Refused("the file changed on disk while it was being fixed; run fix again")
    write_atomic(path, new_text.encode("utf-8"))
    if not quiet:
        for f in fixes:
            out.write(f"{path}: fixed {f.pointer}: {f.message}\n")
    return "fixed"


def run_fix(
    *,
    paths: list[str],
    config: Config,
    diff: bool,
    check: bool,
    quiet: bool,
    verbose: bool,
    follow_symlinks: bool,
    out: TextIO,
) -> int:
    """Fix ``paths``; return the exit status (see ``newsmodel fix --help``)."""
    counts = {"unchanged": 0, "fixed": 0, "would fix": 0, "invalid": 0, "refused": 0}
    origins: deque[int] = deque()
    found = [False] * len(paths)
    outside = False  # a diffed file outside the current folder (its patch name has "../")
    for item in walk_each(paths, origins, config, follow_symlinks):
        index = origins.popleft()
        if isinstance(item, Problem):
            sys.stderr.write(format_problem(item, location=True) + "\n")
            counts["invalid"] += 1
            continue
        path, explicit = item
        if not explicit:
            try:
                with open(path, "rb") as fh:
                    if not fh.read(8).removeprefix(b"\xef\xbb\xbf").startswith(b"---"):
                        continue
            except OSError:
                pass  # reported by _fix_file
        found[index] = True
        try:
            status = _fix_file(path, diff=diff, check=check, quiet=quiet, out=out)
        except _Refused as exc:
            sys.stderr.write(f"newsmodel: {path}: refused to fix: {exc}\n")
            counts["refused"] += 1
            continue
        counts[status] += 1
        if diff and status == "would fix" and diff_path(path).startswith("../"):
            outside = True
        if verbose and status == "unchanged":
            sys.stderr.write(f"newsmodel: {path}: nothing to fix\n")
    warn_no_articles("fix", paths, found.__getitem__)
    if outside:
        sys.stderr.write(
            "newsmodel fix: warning: the diff names files outside the current folder (../): "
            "run it from a folder that holds them all for git apply or patch -p1 to take it\n"
        )
    if not quiet:
        done = counts["would fix"] if (diff or check) else counts["fixed"]
        verb = "would be fixed" if (diff or check) else "fixed"
        files = sum(counts.values())
        line = f"{done} file{'' if done == 1 else 's'} {verb}, {files} checked"
        if counts["invalid"]:
            line += f", {counts['invalid']} not loadable"
        if counts["refused"]:
            line += f", {counts['refused']} refused"
        sys.stderr.write(line + "\n")
    if counts["refused"]:
        return 2
    if counts["invalid"] or (check and counts["would fix"]):
        return 1
    return 0
