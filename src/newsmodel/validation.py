"""Validation: read, parse, structure and check a file, and report every problem found.

``check_file`` and ``check_text`` never raise for bad content: an unreadable, undecodable,
unparsable or unstructurable file becomes problems too.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from .document import Document, decode, dumps, kind_of, read_bytes, structure_located
from .errors import DocumentError
from .kinds import Kind, all_kinds, unknown
from .kinds import get as get_kind
from .model import GenericItem, Item
from .problems import Problem, sort_key
from .yamlio import Parsed, parse_text

if TYPE_CHECKING:
    from .rules import Context, Rule

__all__ = [
    "check_bytes",
    "check_file",
    "check_parsed",
    "check_text",
    "kind_for",
    "select_problems",
    "selected",
    "validate",
]


def selected(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Whether ``code`` passes ``select`` and ``ignore`` (codes or code prefixes)."""
    if select is not None and not any(code.startswith(s) for s in select):
        return False
    return not (ignore is not None and any(code.startswith(s) for s in ignore))


def select_problems(
    problems: list[Problem],
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Problem]:
    """The problems whose code passes ``select`` and ``ignore``, in report order (by file,
    position and code); ``problems`` is sorted in place and returned when nothing is left out."""
    sel = None if select is None else tuple(select)
    ign = None if ignore is None else tuple(ignore)
    if sel is not None or ign is not None:
        problems = [p for p in problems if selected(p.code, sel, ign)]
    problems.sort(key=sort_key)
    return problems


def check_text(
    text: str,
    *,
    file: str | None = None,
    now: dt.datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    kind: Kind | str | None = None,
) -> list[Problem]:
    """Every problem in a file's text: reading, YAML, types and every rule.

    The file is read as ``kind`` if given, else as the kind its keys and its place (``file``)
    give (:func:`newsmodel.kinds.resolve`)."""
    return _check_parsed(parse_text(text), file, now, select, ignore, kind=kind)


def check_parsed(
    parsed: Parsed,
    *,
    file: str | None = None,
    now: dt.datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    kind: Kind | str | None = None,
) -> list[Problem]:
    """Every problem of a file already parsed with :func:`newsmodel.yamlio.parse_text`.

    The same as :func:`check_text` of the text it was parsed from, without parsing it again:
    for callers that keep the located tree (the language server maps problems to ranges
    with it).
    """
    return _check_parsed(parsed, file, now, select, ignore, kind=kind)


def _check_parsed(
    parsed: Parsed,
    file: str | None,
    now: dt.datetime | None,
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    article: Item | None = None,
    kind: Kind | str | None = None,
) -> list[Problem]:
    """Every problem of a parsed file (``article``: the item already structured from it, if
    known; ``kind``: the kind to read it as, else the one its keys and place give)."""
    registry, context = _engine()
    problems = [attrs.evolve(p, file=file) for p in parsed.problems] if parsed.problems else []
    root = parsed.root
    if root is not None:
        found = kind_of(parsed, file, kind)
        if article is None:
            article, structure_problems = structure_located(parsed, file, found)
            problems.extend(structure_problems)
        ctx = context(root, article, now or dt.datetime.now(dt.timezone.utc), file, found)
        select = None if select is None else tuple(select)
        ignore = None if ignore is None else tuple(ignore)
        for rule in _rules(select, ignore, len(registry)):
            problems.extend(rule.check(ctx))
    return select_problems(problems, select, ignore)


@functools.lru_cache(maxsize=1)
def _engine() -> tuple[Sequence[Rule], type[Context]]:
    """The rule registry and the rules' context class, imported on first use (``import
    newsmodel`` stays light) and once, not per file."""
    from .rules import RULES, Context

    return RULES, Context


@functools.lru_cache(maxsize=64)
def _rules(
    select: tuple[str, ...] | None, ignore: tuple[str, ...] | None, registered: int
) -> tuple[Rule, ...]:
    """The rules to run: a rule reports only its own code, so one not selected need not run.

    ``registered`` (the size of the registry) is part of the cache key: a rule registered
    later is not missed."""
    from .rules import all_rules

    return tuple(r for r in all_rules() if selected(r.code, select, ignore))


def check_file(
    path: str | os.PathLike[str],
    *,
    now: dt.datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Problem]:
    """Read and check the file at ``path``; never raises for bad content."""
    file = os.fspath(path)
    try:
        data = read_bytes(file)
    except DocumentError as exc:
        return select_problems(list(exc.problems), select, ignore)
    return check_bytes(data, file=file, now=now, select=select, ignore=ignore)


def check_bytes(
    data: bytes,
    *,
    file: str | None = None,
    now: dt.datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Problem]:
    """Check a file's bytes (UTF-8, a BOM allowed); never raises for bad content."""
    try:
        text = decode(data, file)
    except DocumentError as exc:
        return select_problems(list(exc.problems), select, ignore)
    return check_text(text, file=file, now=now, select=select, ignore=ignore)


def validate(
    target: Document | Item,
    *,
    now: dt.datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Problem]:
    """Every problem of a document (as it is now, edits included) or of an item (an article...).

    A document that was not edited is checked against the text it was read from, so lines and
    columns are those of the file; an edited one or an article is checked as it would be written.
    """
    if isinstance(target, Document) and not target.changed and target.parsed is not None:
        # read from a file and not edited: the tree it was read from has the file's positions
        return _check_parsed(
            target.parsed, target.path, now, select, ignore, target.item, target.kind
        )
    kind: Kind | None
    if isinstance(target, Item):
        text = dumps(Document(item=target))
        file, kind = None, kind_for(target)
    elif isinstance(target, Document):
        text = dumps(target)
        file, kind = target.path, target.kind
        if kind is None or type(target.item) is not kind.cls:
            kind = kind_for(target.item)
    else:
        raise TypeError(f"validate() takes a Document or an Item, not {type(target).__name__}")
    return check_text(text, file=file, now=now, select=select, ignore=ignore, kind=kind)


def kind_for(item: Item) -> Kind:
    """The kind an item of this class is checked as: the one its ``type`` (or ``taxonomy``)
    names if that kind has the item's class, else the first kind of the class."""
    cls = type(item)
    found = None
    for selector in ("type", "taxonomy"):
        value = getattr(item, selector, None)
        if isinstance(value, str):
            found = get_kind(value, selector)
            break
    if found is not None and found.cls is cls:
        return found
    for kind in all_kinds():
        if kind.cls is cls:
            return kind
    return unknown(getattr(item, "type", None)) if cls is GenericItem else Kind(name="", cls=cls)
