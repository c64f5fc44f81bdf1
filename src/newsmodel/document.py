"""Documents: a typed article plus its Markdown body, loaded and saved without losing a byte.

A :class:`Document` made by :func:`load` or :func:`loads` remembers the text it came from. As
long as its ``article`` and ``body`` are unchanged, :func:`dumps` gives that text back exactly;
after an edit it changes only the lines that the edit must change (see :mod:`newsmodel.yamlio`).
A document made from scratch is written in the style of the format's reference article.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
import attrs

from .converter import converter, structure_problems, unstructure
from .errors import DocumentError, FrontMatterError, NewsModelError, StructureError, YAMLError
from .model import Article
from .problems import Problem
from .yamlio import MappingNode, Parsed, locate, parse_text
from .yamlio._edit import Layout, apply_edit, render_front

__all__ = ["Document", "dump", "dumps", "load", "loads", "read_text"]


@attrs.frozen
class _Origin:
    text: str
    parsed: Parsed
    article: Article
    body: str


@attrs.define(kw_only=True, eq=False)
class Document:
    """A file of the format: ``article`` (the front matter, typed) and ``body`` (the Markdown).

    Edit through the model: ``doc.article = attrs.evolve(doc.article, title="New")``.
    """

    article: Article
    body: str = ""
    path: str | None = None
    _origin: _Origin | None = attrs.field(default=None, repr=False, alias="_origin")

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
        return o is None or self.article is not o.article and self.article != o.article or (
            self.body != o.body
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return self.article == other.article and self.body == other.body


def _error_class(problems: list[Problem]) -> type[DocumentError]:
    code = next(p.code for p in problems if p.is_error)
    if code in ("NM001", "NM002", "NM003", "NM004", "NM013"):
        return FrontMatterError
    return YAMLError


def structure_located(
    parsed: Parsed, file: str | None = None
) -> tuple[Article | None, list[Problem]]:
    """Structure a parsed file's tree; problems carry the file's lines and columns."""
    root = parsed.root
    assert root is not None
    try:
        return converter.structure(root.plain(), Article), []
    except Exception as exc:  # noqa: BLE001 - cattrs errors become problems
        problems = []
        for p in structure_problems(exc, Article):
            path = _path_of(p.pointer)
            if p.code == "NM101":  # a missing key: point at the key of the mapping that lacks it
                line, col = locate(root, path[:-1], key=True) if len(path) > 1 else (1, 1)
            else:
                line, col = locate(root, path)
            problems.append(attrs.evolve(p, line=line, column=col, file=file))
        return None, problems


def _path_of(pointer: str) -> list[str | int]:
    """``$.images[0].url`` -> ``["images", 0, "url"]`` (the inverse of ``yamlio.pointer``)."""
    import re

    parts: list[str | int] = []
    for m in re.finditer(r"\.([^.\[]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]", pointer[1:]):
        if m.group(1) is not None:
            parts.append(m.group(1))
        elif m.group(2) is not None:
            parts.append(int(m.group(2)))
        else:
            parts.append(m.group(3).replace("\\'", "'").replace("\\\\", "\\"))
    return parts


def loads(text: str, *, path: str | os.PathLike[str] | None = None) -> Document:
    """Read a whole file's text (front matter and body) into a :class:`Document`.

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
        raise _error_class(errors)(errors, file)
    article, problems = structure_located(parsed, file)
    if article is None:
        raise StructureError(problems, file)
    split = parsed.split
    assert split is not None
    return Document(
        article=article,
        body=split.body,
        path=file,
        _origin=_Origin(text, parsed, article, split.body),
    )


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a file as UTF-8 with no newline translation; raises :class:`FrontMatterError`."""
    file = os.fspath(path)
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FrontMatterError(
            [
                Problem(
                    code="NM001",
                    severity="error",
                    message=f"The file cannot be read: {reason}.",
                    line=1,
                    column=1,
                    file=file,
                )
            ],
            file,
        ) from None
    return decode(data, file)


def decode(data: bytes, file: str | None = None) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is kept as U+FEFF); problems are located."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            message = "The file is UTF-16; expected UTF-8."
        elif b"\0" in data[:8192]:
            message = "The file is binary (it holds NUL bytes); expected UTF-8 text."
        else:
            message = f"The file is not valid UTF-8: byte 0x{data[exc.start]:02X} at offset {exc.start}."
        raise FrontMatterError(
            [
                Problem(
                    code="NM002",
                    severity="error",
                    message=message,
                    line=line,
                    column=col,
                    file=file,
                    hint="Save the file as UTF-8.",
                )
            ],
            file,
        ) from None


def load(path: str | os.PathLike[str]) -> Document:
    """Read the file at ``path`` into a :class:`Document` (see :func:`loads`)."""
    return loads(read_text(path), path=path)


def dumps(doc: Document) -> str:
    """The whole file's text: front matter and body.

    Unchanged documents give back their text byte for byte; edited ones change only the lines
    the edit must change; documents made from scratch are written in the reference style.
    """
    origin = doc._origin
    article = doc.article
    if not isinstance(article, Article):
        raise TypeError(f"Document.article must be an Article, not {type(article).__name__}")
    if origin is None:
        front = render_front(unstructure(article), Layout())
        return f"---\n{front}---\n{doc.body}"
    if article is origin.article or article == origin.article:
        if doc.body == origin.body:
            return origin.text
        split = origin.parsed.split
        assert split is not None
        return "".join((split.bom, split.open_fence, split.front, split.close_fence, doc.body))
    split = origin.parsed.split
    root = origin.parsed.root
    assert split is not None and isinstance(root, MappingNode)
    new_plain = unstructure(article)
    front = apply_edit(
        split.front, root, unstructure(origin.article), new_plain, Article, split.newline
    )
    text = "".join((split.bom, split.open_fence, front, split.close_fence, doc.body))
    _verify(text, article)
    return text


def _verify(text: str, article: Article) -> None:
    """Read back what an edit wrote; refuse to hand out text that says something else."""
    try:
        again = loads(text).article
    except DocumentError as exc:  # pragma: no cover - a bug in the writer
        raise NewsModelError(f"internal error: the edited text does not read back: {exc}") from exc
    if again != article:  # pragma: no cover - a bug in the writer
        raise NewsModelError("internal error: the edited text reads back as another article")


def dump(doc: Document, path: str | os.PathLike[str]) -> None:
    """Write the document to ``path`` atomically.

    The text goes to a temporary file in the same folder, is flushed and fsynced, takes the
    permission bits of the file it replaces, and is renamed over it; on any failure the
    temporary file is removed and the original is untouched.
    """
    write_atomic(path, dumps(doc).encode("utf-8"))


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path``'s content with ``data`` atomically (see :func:`dump`)."""
    target = Path(path)
    folder = target.parent
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise

