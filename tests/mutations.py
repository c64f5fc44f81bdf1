"""Single mutations of the valid example files, each breaking one rule at a known place.

A :class:`Mutation` is a text-level edit of one file of ``tests/examples/`` (a value replaced, a
key renamed, a line removed) with the code it must give, the pointer of the problem and its
1-based line in the edited file. The place is found in the file as it was before the edit; the
expected line is counted in the text itself (the newlines before the edited characters, which
are checked to be the key or the value as written, read back by ruamel.yaml's safe loader), not
taken from the line numbers of ``parse_text``, the parser under test.

:func:`mutations` is a Hypothesis strategy over every such mutation of every example file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
from hypothesis import strategies as st
from ruamel.yaml import YAML

from newsmodel.rules import Context
from newsmodel.rules.urls import url_fields
from newsmodel.yamlio import MappingNode, ScalarNode, SequenceNode, parse_text, pointer

__all__ = ["EXAMPLES", "Mutation", "all_mutations", "mutations"]

EXAMPLES = Path(__file__).resolve().parent / "examples"

PathT = tuple[str | int, ...]


@attrs.frozen
class Mutation:
    """One edit of one example file, and the problem it must give."""

    name: str
    source: str  # the example file's name
    text: str  # the edited file
    code: str
    pointer: str
    line: int

    def __str__(self) -> str:
        return f"{self.source}: {self.name} -> {self.code} {self.pointer} line {self.line}"


class _File:
    """An example file, its tree, and edits of it by position."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.text = path.read_text(encoding="utf-8")
        parsed = parse_text(self.text)
        assert parsed.root is not None and parsed.split is not None, path
        self.root: MappingNode = parsed.root
        self.offset = len(parsed.split.bom) + len(parsed.split.open_fence)
        self.ctx = Context(self.root, None, _NOW)

    def scalars(
        self, *patterns: tuple[str | int | None, ...]
    ) -> Iterator[tuple[PathT, ScalarNode]]:
        for pattern in patterns:
            for path, node in self.ctx.walk(pattern):
                if isinstance(node, ScalarNode):
                    yield path, node

    def replace_value(self, node: ScalarNode, new_source: str) -> tuple[str, int]:
        """The edited text, and the 1-based line of the value as the text shows it."""
        start, end = self.offset + node.start, self.offset + node.end
        written = self.text[start:end]
        if isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
            assert _SAFE.load(written) == node.value, (written, node.value)
        return self.text[:start] + new_source + self.text[end:], self.line_of(start)

    def line_of(self, offset: int) -> int:
        """The 1-based line of a character offset, counted in the text."""
        return self.text.count("\n", 0, offset) + 1

    def key_offset(self, key: str, key_line: int, key_column: int) -> int:
        """Where ``key`` is written, checked against the text."""
        start = self.line_start(key_line + 2) + key_column
        assert self.text.startswith(key + ":", start), (key, self.text[start : start + 40])
        return start

    def line_start(self, file_line: int) -> int:
        """Offset of the start of a 1-based file line."""
        pos = 0
        for _ in range(file_line - 1):
            pos = self.text.index("\n", pos) + 1
        return pos


_NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
_SAFE = YAML(typ="safe", pure=True)

Mutator = Callable[[_File], Iterator[Mutation]]
_MUTATORS: list[Mutator] = []


def _mutator(fn: Mutator) -> Mutator:
    _MUTATORS.append(fn)
    return fn


def _value_edit(
    f: _File, name: str, path: PathT, node: ScalarNode, source: str, code: str
) -> Mutation:
    text, line = f.replace_value(node, source)
    return Mutation(name, f.name, text, code, pointer(path), line)


_IMAGE_SIZES = tuple(
    (*base, None, key)
    for base in (
        ("images",),
        ("provider", "images"),
        ("related", None, "images"),
        ("related", None, "provider", "images"),
    )
    for key in ("width", "height")
)


@_mutator
def _image_size(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(*_IMAGE_SIZES):
        yield _value_edit(f, f"{path[-1]} -1", path, node, "-1", "NM603")
        yield _value_edit(f, f"{path[-1]} 0", path, node, "0", "NM603")


@_mutator
def _image_size_type(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(*_IMAGE_SIZES):
        yield _value_edit(f, f"{path[-1]} quoted", path, node, '"640"', "NM100")


@_mutator
def _cdn_amp(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(("cdnAmpWebUrl",), ("related", None, "cdnAmpWebUrl")):
        broken = node.value.replace(".cdn.ampproject.org/c/s/", ".cdn.ampproject.org/c/", 1)
        yield _value_edit(f, "cdnAmpWebUrl without s/", path, node, json.dumps(broken), "NM301")
        host = node.value.split("//", 1)[1].split(".", 1)[0]
        wrong = node.value.replace(host, host.replace("-", "."), 1)
        yield _value_edit(f, "cdnAmpWebUrl dotted", path, node, json.dumps(wrong), "NM301")


@_mutator
def _amp_removed(f: _File) -> Iterator[Mutation]:
    items: list[tuple[PathT, MappingNode]] = [((), f.root)]
    items += [(p, n) for p, n in f.ctx.walk(("related", None)) if isinstance(n, MappingNode)]
    for path, item in items:
        amp, cdn = item.index.get("ampWebUrl"), item.index.get("cdnAmpWebUrl")
        if amp is None or cdn is None:
            continue
        amp_at = f.key_offset("ampWebUrl", amp.key_line, amp.key_column)
        cdn_at = f.key_offset("cdnAmpWebUrl", cdn.key_line, cdn.key_column)
        start = f.text.rfind("\n", 0, amp_at) + 1
        end = f.text.index("\n", amp_at) + 1
        text = f.text[:start] + f.text[end:]
        line = f.line_of(cdn_at) - (1 if amp_at < cdn_at else 0)
        yield Mutation(
            "ampWebUrl removed", f.name, text, "NM302", pointer((*path, "cdnAmpWebUrl")), line
        )


def _urls(f: _File) -> Iterator[tuple[PathT, ScalarNode]]:
    for path, node, _relative in url_fields(f.ctx):
        if isinstance(node.value, str) and node.value.startswith("https://"):
            yield path, node


@_mutator
def _url_space(f: _File) -> Iterator[Mutation]:
    for path, node in _urls(f):
        yield _value_edit(f, "URL + space", path, node, json.dumps(node.value + " "), "NM202")


@_mutator
def _url_http(f: _File) -> Iterator[Mutation]:
    for path, node in _urls(f):
        http = "http://" + node.value[len("https://") :]
        yield _value_edit(f, "URL http", path, node, json.dumps(http), "NM210")


@_mutator
def _url_credentials(f: _File) -> Iterator[Mutation]:
    for path, node in _urls(f):
        creds = "https://me:secret@" + node.value[len("https://") :]
        yield _value_edit(f, "URL credentials", path, node, json.dumps(creds), "NM204")


@_mutator
def _url_no_scheme(f: _File) -> Iterator[Mutation]:
    for path, node in _urls(f):
        yield _value_edit(
            f, "URL no scheme", path, node, json.dumps(node.value[len("https://") :]), "NM201"
        )


_DATES = (("publishedDateTime",), ("related", None, "publishedDateTime"))


@_mutator
def _dates(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(*_DATES):
        yield _value_edit(f, "naive date", path, node, "2020-01-02T03:04:05", "NM100")
        yield _value_edit(f, "date only", path, node, "2020-01-02", "NM100")
        yield _value_edit(f, "future date", path, node, "2099-01-01T00:00:00Z", "NM501")
        yield _value_edit(f, "old date", path, node, "1985-05-06T07:08:09+01:00", "NM502")


@_mutator
def _topics(f: _File) -> Iterator[Mutation]:
    for key in ("topics", "levels"):
        seq = f.root.get(key)
        if not isinstance(seq, SequenceNode) or not seq.items:
            continue
        first = seq.items[0].value
        assert isinstance(first, ScalarNode)
        for i, item in enumerate(seq.items):
            node = item.value
            assert isinstance(node, ScalarNode)
            yield _value_edit(f, f"{key} empty", (key, i), node, '""', "NM605")
            if i > 0:
                yield _value_edit(
                    f, f"{key} duplicate", (key, i), node, json.dumps(first.value), "NM606"
                )


@_mutator
def _renamed_keys(f: _File) -> Iterator[Mutation]:
    mappings: list[tuple[PathT, MappingNode]] = [((), f.root)]
    for pattern in (("provider",), ("images", None), ("related", None), ("actions", None)):
        mappings += [(p, n) for p, n in f.ctx.walk(pattern) if isinstance(n, MappingNode)]
    for path, mapping in mappings:
        for entry in mapping.entries:
            key = entry.key
            wrong = key[:-1] + key[-1].upper() if key[-1].islower() else key.lower()
            start = f.key_offset(key, entry.key_line, entry.key_column)
            text = f.text[:start] + wrong + f.text[start + len(key) :]
            yield Mutation(
                f"key {key} -> {wrong}",
                f.name,
                text,
                "NM102",
                pointer((*path, wrong)),
                f.line_of(start),
            )


@_mutator
def _texts(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(("title",), ("provider", "name"), ("related", None, "title")):
        yield _value_edit(f, "empty text", path, node, '""', "NM602")


@_mutator
def _types(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(("type",), ("related", None, "type")):
        yield _value_edit(f, "unknown type", path, node, node.value + "z", "NM611")
    for path, node in f.scalars(("category",)):
        yield _value_edit(f, "unknown category", path, node, "newz", "NM612")


@_mutator
def _domains(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(("provider", "domain"), ("related", None, "provider", "domain")):
        yield _value_edit(f, "public suffix", path, node, "co.uk", "NM402")
        yield _value_edit(f, "upper-case domain", path, node, node.value.upper(), "NM403")
        yield _value_edit(f, "sub-domain", path, node, "www." + node.value, "NM404")


@_mutator
def _outside(f: _File) -> Iterator[Mutation]:
    items: list[tuple[PathT, MappingNode]] = [((), f.root)]
    items += [(p, n) for p, n in f.ctx.walk(("related", None)) if isinstance(n, MappingNode)]
    for path, item in items:
        kind, url = item.get("type"), item.get("webUrl")
        if not (isinstance(kind, ScalarNode) and kind.value == "article"):
            continue
        if not isinstance(url, ScalarNode) or not isinstance(url.value, str):
            continue
        rest = url.value.split("//", 1)[1].split("/", 1)[1]
        moved = f"https://www.elsewhere-example.org/{rest}"
        yield _value_edit(f, "webUrl elsewhere", (*path, "webUrl"), url, json.dumps(moved), "NM401")


@_mutator
def _course(f: _File) -> Iterator[Mutation]:
    for path, node in f.scalars(("length",)):
        yield _value_edit(f, "length words", path, node, '"42 minutes"', "NM607")
    for path, node in f.scalars(("secured",)):
        yield _value_edit(f, "secured one part", path, node, '"bm90IHR3byBwYXJ0cw=="', "NM608")
        yield _value_edit(f, "secured not base64", path, node, '"a b;c d"', "NM608")
    for path, node in f.scalars(("ratings", "average")):
        yield _value_edit(f, "average out of 10", path, node, "7.5", "NM604")


def all_mutations() -> list[Mutation]:
    """Every mutation of every example file (sorted by file, then by place)."""
    out: list[Mutation] = []
    for path in sorted(EXAMPLES.rglob("*.md")):
        f = _File(path)
        for mutator in _MUTATORS:
            out.extend(mutator(f))
    return out


_CACHE: list[Mutation] = []


def mutations() -> st.SearchStrategy[Mutation]:
    """A strategy of single mutations of the valid example files."""
    if not _CACHE:
        _CACHE.extend(all_mutations())
    return st.sampled_from(_CACHE)
