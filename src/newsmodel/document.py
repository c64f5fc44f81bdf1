"""Documents: a typed item plus its body, loaded and saved without losing a byte.

A :class:`Document` made by :func:`load` or :func:`loads` remembers the text it came from. As
long as its ``item`` and ``body`` are unchanged, :func:`dumps` gives that text back exactly;
after an edit it changes only the lines that the edit must change (see :mod:`newsmodel.yamlio`).
A document made from scratch is written in the style of the format's reference article.

The ``item`` is of the class of the file's kind (:mod:`newsmodel.kinds`): an
:class:`~newsmodel.model.Article`, a :class:`~newsmodel.model.Profile`, ..., or a
:class:`~newsmodel.model.GenericItem` for a kind the library does not know.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import attrs

from . import codes
from .converter import try_structure, unstructure
from .errors import (
    DocumentError,
    FrontMatterError,
    MissingFileError,
    NewsModelError,
    StructureError,
    UnwritableError,
)
from .kinds import Kind, resolve
from .kinds import get as get_kind
from .model import Article, Item
from .problems import Problem
from .yamlio import (
    Layout,
    MappingNode,
    Parsed,
    ScalarNode,
    Split,
    Unwritable,
    apply_edit,
    check_writable,
    locate,
    parse_text,
    pointer,
    render_front,
    same,
    split_text,
)

__all__ = [
    "MAX_FILE_BYTES",
    "Document",
    "decode",
    "dump",
    "dumps",
    "kind_of",
    "load",
    "loads",
    "read_bytes",
    "read_bytes_and_stat",
    "read_text",
    "structure_located",
    "write_atomic",
]


@attrs.frozen
class _Origin:
    text: str
    parsed: Parsed
    item: Item
    body: str
    kind: Kind


@attrs.define(kw_only=True, eq=False, init=False)
class Document:
    """A file of the format: ``item`` (the front matter, typed) and ``body`` (Markdown or HTML).

    Edit through the model: ``doc.item = attrs.evolve(doc.item, title="New")``. For the
    article-like kinds (``article``, ``video``, ``course``, ``download``), ``doc.article`` is the
    same item, typed as an :class:`~newsmodel.model.Article`.
    """

    item: Item
    body: str = ""
    path: str | None = None
    _origin: _Origin | None = attrs.field(default=None, repr=False, alias="_origin")

    def __init__(
        self,
        *,
        item: Item | None = None,
        body: str = "",
        path: str | None = None,
        article: Article | None = None,
        _origin: _Origin | None = None,
    ) -> None:
        if article is not None:  # the name of 0.1 (``attrs.evolve(doc, article=...)`` too)
            item = article
        elif item is None:
            raise TypeError("Document() needs its item: Document(item=...)")
        self.__attrs_init__(item=item, body=body, path=path, _origin=_origin)

    @property
    def article(self) -> Article:
        """The item, where it is an :class:`~newsmodel.model.Article` (an article, video, course
        or download); ``AttributeError`` for other kinds (use :attr:`item`)."""
        item = self.item
        if not isinstance(item, Article):
            raise AttributeError(
                f"this document holds a {type(item).__name__}, not an Article; use Document.item"
            )
        return item

    @article.setter
    def article(self, value: Article) -> None:
        self.item = value

    @property
    def kind(self) -> Kind | None:
        """The kind the document was read as (``None`` for a document made from scratch)."""
        return None if self._origin is None else self._origin.kind

    @property
    def source(self) -> str | None:
        """The text the document was read from (``None`` for a document made from scratch)."""
        return None if self._origin is None else self._origin.text

    @property
    def parsed(self) -> Parsed | None:
        """The located front matter tree the document was read from, if any."""
        return None if self._origin is None else self._origin.parsed

    @property
    def changed(self) -> bool:
        """True where :func:`dumps` would not give back the text the document was read from."""
        o = self._origin
        return o is None or not _same_item(self.item, o.item) or self.body != o.body

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return self.item == other.item and self.body == other.body


def _same_item(a: Item, b: Item) -> bool:
    """Whether two items are written the same: attrs' ``==`` misses an offset-only change
    (equal instants) or a type-only one (``1`` and ``1.0``), and NaN is never equal to itself."""
    return a is b or (type(a) is type(b) and same(unstructure(a), unstructure(b)))


def structure_located(
    parsed: Parsed, file: str | None = None, kind: Kind | str | None = None
) -> tuple[Any, list[Problem]]:
    """Structure a parsed file's tree as an item of its kind; problems carry the file's lines
    and columns. The kind is ``kind`` if given, else the one :func:`newsmodel.kinds.resolve`
    finds from the file's keys and ``file``'s place (see :func:`kind_of`)."""
    item, problems, _kind = _structure(parsed, file, kind)
    return item, problems


def kind_of(parsed: Parsed, file: str | None = None, kind: Kind | str | None = None) -> Kind:
    """The kind of a parsed file: ``kind`` (a name or a :class:`Kind`) if given, else the one
    its keys and its place (``file``) give."""
    if isinstance(kind, Kind):
        return kind
    if isinstance(kind, str):
        found = get_kind(kind) or get_kind(kind, "taxonomy")
        if found is None:
            raise ValueError(f"no kind is named {kind!r}")
        return found
    data: dict[str, Any] = {}
    root = parsed.root
    if isinstance(root, MappingNode):
        for key in ("type", "taxonomy"):  # all resolve() reads of the keys
            node = root.get(key)
            if isinstance(node, ScalarNode):
                data[key] = node.value
    return resolve(data, file)


def _structure(
    parsed: Parsed, file: str | None, kind: Kind | str | None
) -> tuple[Any, list[Problem], Kind]:
    root = parsed.root
    assert root is not None
    found = kind_of(parsed, file, kind)

    def where(path: tuple[str | int, ...], missing: bool) -> tuple[int, int]:
        if missing:  # a missing key: point at the key of the mapping that lacks it
            return locate(root, path[:-1], key=True) if len(path) > 1 else (1, 1)
        return locate(root, path)

    item, problems = try_structure(root.plain(), found.cls, where)
    return item, [attrs.evolve(p, file=file) for p in problems], found


def loads(
    text: str, *, path: str | os.PathLike[str] | None = None, kind: Kind | str | None = None
) -> Document:
    """Read a whole file's text (front matter and body) into a :class:`Document`.

    The item's class is that of the file's kind: ``kind`` (a name such as ``"profile"``, or a
    :class:`~newsmodel.kinds.Kind`) if given, else what the file's ``type`` and its place
    (``path``: its folder, the site's ``_config.yml``) say (:func:`newsmodel.kinds.resolve`).

    Raises a :class:`~newsmodel.DocumentError` subclass with every problem found, located in
    the file: :class:`FrontMatterError`, :class:`YAMLError` or :class:`StructureError`.
    """
    file = None if path is None else os.fspath(path)
    if not isinstance(text, str):
        raise TypeError(f"loads() takes the file's text as str, not {type(text).__name__}")
    parsed = parse_text(text)
    errors = [attrs.evolve(p, file=file) for p in parsed.problems if p.is_error]
    if errors or parsed.root is None:
        errors = errors or [attrs.evolve(p, file=file) for p in parsed.problems]
        raise codes.error_class(errors)(errors, file)
    item, problems, found = _structure(parsed, file, kind)
    if item is None:
        raise codes.error_class(problems)(problems, file)
    split = parsed.split
    assert split is not None
    return Document(
        item=item,
        body=split.body,
        path=file,
        _origin=_Origin(text, parsed, item, split.body, found),
    )


MAX_FILE_BYTES = 8 * 1024 * 1024
"""The largest file read (in bytes); a larger one is refused with NM011 before it is read."""


def _unreadable(file: str, reason: str) -> FrontMatterError:
    problem = codes.UNREADABLE_FILE.problem(
        f"The file cannot be read: {reason}.", line=1, column=1, file=file
    )
    return FrontMatterError([problem], file)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A regular file's bytes, at most :data:`MAX_FILE_BYTES`; raises :class:`FrontMatterError`.

    Folders, FIFOs, devices and sockets are refused without blocking or reading (``O_NONBLOCK``
    keeps a FIFO with no writer from hanging the open); a file that is missing, unreadable or
    a symlink loop is NM001, a larger file NM011.
    """
    return read_bytes_and_stat(path)[0]


def read_bytes_and_stat(path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    """:func:`read_bytes`, and the ``os.fstat`` of the file as opened, taken before it is read
    (what a cache keys the bytes by: they are at least as new as the times it shows)."""
    file = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(file, flags)
    except OSError as exc:
        if isinstance(exc, IsADirectoryError):
            raise _unreadable(file, "it is a folder") from None
        if isinstance(exc, FileNotFoundError):
            missing = _unreadable(file, exc.strerror or str(exc))
            raise MissingFileError(missing.problems, file) from None
        raise _unreadable(file, exc.strerror or str(exc)) from None
    except ValueError:  # a NUL character in the path
        raise _unreadable(file, "the path holds a NUL character") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _unreadable(file, "it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise _unreadable(file, "it is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(file, info.st_size)
        chunks: list[bytes] = []
        size = 0
        want = info.st_size + 1  # one read for a file that does not change meanwhile
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read
            asked = min(want, MAX_FILE_BYTES + 1 - size)
            chunk = os.read(fd, asked)
            want = 65536
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < asked:  # a short read of a regular file: its end (no second call)
                break
        if size > MAX_FILE_BYTES:
            raise _too_large(file, size)
        return b"".join(chunks), info
    except OSError as exc:
        raise _unreadable(file, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _too_large(file: str, size: int) -> FrontMatterError:
    problem = codes.TOO_LARGE.problem(
        f"The file is too large: {size:,} bytes or more; at most {MAX_FILE_BYTES:,} are read.",
        line=1,
        column=1,
        file=file,
    )
    return FrontMatterError([problem], file)


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a file as UTF-8 with no newline translation; raises :class:`FrontMatterError`."""
    file = os.fspath(path)
    return decode(read_bytes(file), file)


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(data: bytes, file: str | None = None) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is kept as U+FEFF); problems are located.

    UTF-16 and UTF-32 (by their byte order mark), NUL bytes (binary files) and invalid UTF-8 are
    NM002, at the line and column (in characters) of the first offending byte.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _not_utf8(data, 0, f"The file is {name}; expected UTF-8.", file)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad: int | None = exc.start
    else:
        bad = None
    nul = data.find(b"\0", 0, len(data) if bad is None else bad)
    if nul >= 0:
        message = "The file is binary (it holds a NUL byte); expected UTF-8 text."
        return _not_utf8(data, nul, message, file)
    if bad is not None:
        message = f"The file is not valid UTF-8: byte 0x{data[bad]:02X} at offset {bad}."
        return _not_utf8(data, bad, message, file)
    return text


def _not_utf8(data: bytes, at: int, message: str, file: str | None) -> NoReturn:
    start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, at) + 1
    column = len(data[start:at].decode("utf-8", "replace")) + 1
    raise FrontMatterError(
        [
            codes.NOT_UTF8.problem(
                message=message,
                line=line,
                column=column,
                file=file,
                hint="Save the file as UTF-8 text.",
            )
        ],
        file,
    )


def load(path: str | os.PathLike[str], *, kind: Kind | str | None = None) -> Document:
    """Read the file at ``path`` into a :class:`Document` (see :func:`loads`)."""
    return loads(read_text(path), path=path, kind=kind)


def dumps(doc: Document) -> str:
    """The whole file's text: front matter and body.

    Unchanged documents give back their text byte for byte; edited ones change only the lines
    the edit must change; documents made from scratch are written in the reference style. Any
    text written anew is read back before it is handed out. Raises :class:`StructureError` for
    an article whose values do not fit the model and :class:`UnwritableError` for a value the
    format cannot hold.
    """
    origin = doc._origin
    item = doc.item
    if not isinstance(item, Item):
        raise TypeError(f"Document.item must be a newsmodel.model.Item, not {type(item).__name__}")
    new_plain: dict[str, Any] | None = None
    old_plain: dict[str, Any] | None = None
    if origin is not None:
        if item is not origin.item:
            old_plain, new_plain = unstructure(origin.item), unstructure(item)
        if old_plain is None or (type(item) is type(origin.item) and same(old_plain, new_plain)):
            return _with_body(origin, doc.body)
    new_plain = _writable(new_plain if new_plain is not None else unstructure(item))
    kind = None
    if origin is None:
        text = f"---\n{render_front(new_plain, Layout())}---\n{doc.body}"
    else:
        split = origin.parsed.split
        root = origin.parsed.root
        assert split is not None and isinstance(root, MappingNode) and old_plain is not None
        front = apply_edit(split.front, root, old_plain, new_plain, type(item), split.newline)
        text = "".join((split.bom, split.open_fence, front, _close(split, doc.body), doc.body))
        kind = origin.kind if type(item) is origin.kind.cls else None
    _verify(text, item, new_plain, doc.body, kind)
    return text


def _with_body(origin: _Origin, body: str) -> str:
    """The text read, with another body (the front matter unchanged)."""
    if body == origin.body:
        return origin.text
    split = origin.parsed.split
    assert split is not None
    text = "".join((split.bom, split.open_fence, split.front, _close(split, body), body))
    again = split_text(text)
    if isinstance(again, Problem) or again.body != body:  # pragma: no cover - a bug
        raise NewsModelError("internal error: the body does not read back")
    return text


def _close(split: Split, body: str) -> str:
    """The closing fence; a line break is added where the file ended with it and a body follows
    (``---Hello`` would not be a fence)."""
    close = split.close_fence
    return close + split.newline if body and not close.endswith("\n") else close


def _writable(plain: dict[str, Any]) -> dict[str, Any]:
    """The item's plain data, refused where YAML cannot hold a value."""
    try:
        check_writable(plain)
    except Unwritable as exc:
        raise UnwritableError(pointer(exc.path), exc.value, exc.reason) from None
    return plain


def _verify(text: str, item: Item, plain: dict[str, Any], body: str, kind: Kind | None) -> None:
    """Read back what was written; refuse to hand out text that says something else.

    An item whose values do not fit the model (``title=123``) is refused here with the
    :class:`StructureError` that reading the text would raise (without lines: the text is
    not handed out)."""
    try:
        if kind is not None:
            again = loads(text, kind=kind)
            again_item, again_body = again.item, again.body
        else:
            again_item, again_body = _reread(text, item)
    except StructureError as exc:
        raise StructureError(
            [attrs.evolve(p, line=None, column=None) for p in exc.problems]
        ) from None
    except DocumentError as exc:  # pragma: no cover - a bug in the writer
        raise NewsModelError(f"internal error: the written text does not read back: {exc}") from exc
    if not same(unstructure(again_item), plain) or again_body != body:  # pragma: no cover
        raise NewsModelError("internal error: the written text reads back as another item")


def _reread(text: str, item: Item) -> tuple[Item, str]:
    """``text`` read as an item of ``item``'s class (a new item, or one whose class changed)."""
    from .converter import structure

    parsed = parse_text(text)
    errors = [p for p in parsed.problems if p.is_error]
    if errors or parsed.root is None or parsed.split is None:  # pragma: no cover - a bug
        raise codes.error_class(errors)(errors or parsed.problems or [], None)
    result: Item = structure(parsed.root.plain(), type(item))
    return result, parsed.split.body


def dump(doc: Document, path: str | os.PathLike[str]) -> None:
    """Write the document to ``path`` atomically.

    The text goes to a temporary file in the same folder, is flushed and fsynced, takes the
    permission bits of the file it replaces, and is renamed over it; on any failure the
    temporary file is removed and the original is untouched.
    """
    write_atomic(path, dumps(doc).encode("utf-8"))


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path``'s content with ``data`` atomically (see :func:`dump`).

    A symlink is written through (the file it points to is replaced, the link is kept); the
    file's permission bits (and, where allowed, its owner) are kept; after the rename the folder
    is fsynced too, so that the rename itself survives a crash.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        try:
            fh = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if info is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        else:
            mode = stat.S_IMODE(info.st_mode)
            chown = getattr(os, "chown", None)
            if chown is not None:
                # not allowed to give the file away: it keeps our owner
                with contextlib.suppress(OSError):
                    chown(tmp, info.st_uid, info.st_gid)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable, where the platform allows it (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
