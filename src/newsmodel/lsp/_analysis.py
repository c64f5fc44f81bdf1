"""One version of an open file, checked: its problems as ranges, and what the editor can ask.

An :class:`Analysis` holds a text, its located tree (:func:`newsmodel.yamlio.parse_text`) and
the problems :func:`newsmodel.validation.check_parsed` found in it. Everything the server
answers (diagnostics, quick fixes, hover, completion) is computed from it by the functions
here, which take and return plain values and ``lsprotocol`` types, and never raise for bad
input: a position past the end is clamped, a text that does not parse answers what it can.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from lsprotocol import types as lsp

from .. import codes
from ..document import MAX_FILE_BYTES, Document, dumps, loads
from ..errors import NewsModelError
from ..fix import Fix, fixes_of
from ..problems import Problem
from ..rules.keys import suggest_key
from ..validation import check_parsed, select_problems
from ..yamlio import MappingNode, Node, Parsed, ScalarNode, SequenceNode, parse_pointer, parse_text
from ._codes import code_info
from ._model import class_at, file_kind, key_info, keys_of, selector_values
from ._text import TextIndex

__all__ = [
    "SOURCE",
    "Analysis",
    "analyse",
    "code_actions",
    "completion",
    "diagnostics",
    "fix_all_edits",
    "hover",
    "line_edits",
]

SOURCE = "newsmodel"
FIX_ALL_KIND = "source.fixAll.newsmodel"

PathPart = str | int | None


class Analysis:
    """A text as checked: the tree, the problems, their ranges (computed once, on demand)."""

    def __init__(
        self,
        text: str,
        *,
        version: int | None = None,
        file: str | None = None,
        encoding: str = "utf-16",
        parsed: Parsed | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.text = text
        self.version = version
        self.file = file
        self.encoding = encoding
        self.parsed = parsed
        self.problems = list(problems)
        self._index: TextIndex | None = None
        self._diagnostics: list[lsp.Diagnostic] | None = None
        self._fixes: tuple[Document, tuple[Fix, ...]] | bool | None = False

    @property
    def index(self) -> TextIndex:
        if self._index is None:
            self._index = TextIndex(self.text, self.encoding)
        return self._index

    @property
    def front_start(self) -> int:
        """The offset of the front matter's first character (after the opening fence)."""
        split = None if self.parsed is None else self.parsed.split
        return 0 if split is None else len(split.bom) + len(split.open_fence)

    def front_lines(self) -> range:
        """The file lines (0-based) of the front matter, fences left out."""
        split = None if self.parsed is None else self.parsed.split
        if split is None:
            # no closing fence (yet): a file being written; up to a line '---' or the end
            lines = range(1, self.index.line_count)
            for n in lines:
                if self.index.line_text(n).rstrip() == "---":
                    return range(1, n)
            return lines
        return range(1, 1 + split.front.count("\n"))

    def fixes(self) -> tuple[Document, tuple[Fix, ...]] | None:
        """The loaded document and every safe fix of it (``None`` if it does not load)."""
        if self._fixes is False:
            found: tuple[Document, tuple[Fix, ...]] | None = None
            if self.parsed is not None and self.parsed.root is not None:
                try:
                    doc = loads(self.text, path=self.file)
                except NewsModelError:
                    pass
                else:
                    found = (doc, fixes_of(doc.article)[1])
            self._fixes = found
        return self._fixes  # type: ignore[return-value]


def analyse(
    text: str,
    *,
    version: int | None = None,
    file: str | None = None,
    encoding: str = "utf-16",
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    extra: Iterable[Problem] = (),
) -> Analysis:
    """Check ``text`` (``extra``: problems found elsewhere, such as on disk or by site rules)."""
    if len(text) > MAX_FILE_BYTES:
        problem = codes.TOO_LARGE.problem(
            (
                f"The file is too large: {len(text):,} characters; "
                f"at most {MAX_FILE_BYTES:,} are checked."
            ),
            line=1,
            column=1,
            file=file,
        )
        return Analysis(text, version=version, file=file, encoding=encoding, problems=[problem])
    parsed = parse_text(text)
    select = None if select is None else tuple(select)
    ignore = None if ignore is None else tuple(ignore)
    problems = check_parsed(parsed, file=file, select=select, ignore=ignore)
    if extra:
        problems = select_problems([*problems, *extra], select, ignore)
    return Analysis(
        text, version=version, file=file, encoding=encoding, parsed=parsed, problems=problems
    )


# -- ranges -------------------------------------------------------------------------------------


def _key_span(an: Analysis, line: int, column: int, key: str) -> tuple[int, int]:
    """The offsets of a key's text (inside its quotes, if quoted) on a file line."""
    text = an.index.line_text(line)
    start = an.index.offset_of_column(line, column)
    rest = text[column:]
    if rest[:1] in ("'", '"'):
        close = rest.find(rest[0], 1)
        return start + 1, start + (close if close > 0 else len(rest))
    if rest.startswith(key):
        return start, start + len(key)
    colon = rest.find(":")
    return start, start + (colon if colon > 0 else len(rest.rstrip()))


def _value_span(an: Analysis, node: Node, line: int, column: int) -> tuple[int, int]:
    base = an.front_start
    if isinstance(node, ScalarNode):
        start, end = base + node.start, base + node.end
        while end > start and an.text[end - 1] in " \t\r\n":
            end -= 1
        return start, end
    start = an.index.offset_of_column(line, column)
    last = node.last_line + 1
    return start, max(start, an.index.offset_of_column(last, len(an.index.line_text(last))))


def _token_span(an: Analysis, offset: int) -> tuple[int, int]:
    """A visible range at ``offset``: the run of non-blanks there, else the rest of the line."""
    text = an.text
    m = re.compile(r"[^\s]+").match(text, offset)
    if m is not None:
        return offset, m.end()
    line, _ = an.index.position(offset)
    end = an.index.offset_of_column(line, len(an.index.line_text(line)))
    if end <= offset:  # a blank line: the whole line
        start = an.index.starts[line] if line < an.index.line_count else offset
        return start, end
    return offset, end


def problem_span(an: Analysis, problem: Problem) -> tuple[int, int]:
    """The offsets of what a problem is about: its value, or its key for a key problem."""
    if problem.line is None:
        return 0, 0
    line = problem.line - 1
    column = (problem.column or 1) - 1
    offset = an.index.offset_of_column(line, column)
    root = None if an.parsed is None else an.parsed.root
    path = parse_pointer(problem.pointer)
    if root is not None and path:
        node: Node = root
        key: tuple[int, int, str] | None = None
        for part in path:
            if isinstance(node, MappingNode) and isinstance(part, str):
                entry = node.index.get(part)
                if entry is None:
                    node = None  # type: ignore[assignment]
                    break
                key = (entry.key_line + 1, entry.key_column, entry.key)
                node = entry.value
            elif (
                isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.items)
            ):
                key = None
                node = node.items[part].value
            else:
                node = None  # type: ignore[assignment]
                break
        if node is not None:
            if key is not None and (key[0], key[1]) == (line, column):
                return _key_span(an, *key)
            start, end = _value_span(an, node, line, column)
            if end > start:
                return start, end
            if key is not None:
                return _key_span(an, *key)
    return _token_span(an, offset)


def _range(an: Analysis, start: int, end: int) -> lsp.Range:
    a = an.index.position(start)
    b = an.index.position(end)
    return lsp.Range(start=lsp.Position(*a), end=lsp.Position(*b))


def diagnostics(an: Analysis) -> list[lsp.Diagnostic]:
    """The problems as diagnostics: code, severity, exact range, hint, link to the docs."""
    if an._diagnostics is None:
        out = []
        for problem in an.problems:
            info = code_info(problem.code)
            message = problem.message if not problem.hint else f"{problem.message}\n{problem.hint}"
            out.append(
                lsp.Diagnostic(
                    range=_range(an, *problem_span(an, problem)),
                    message=message,
                    severity=(
                        lsp.DiagnosticSeverity.Error
                        if problem.is_error
                        else lsp.DiagnosticSeverity.Warning
                    ),
                    code=problem.code,
                    code_description=lsp.CodeDescription(href=info.url),
                    source=SOURCE,
                    data={"pointer": problem.pointer},
                )
            )
        an._diagnostics = out
    return an._diagnostics


# -- quick fixes --------------------------------------------------------------------------------


def _split_lines(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def line_edits(old: str, new: str) -> list[lsp.TextEdit]:
    """The edits that turn ``old`` into ``new``, each replacing whole lines that changed."""
    a, b = _split_lines(old), _split_lines(new)
    edits = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(
            lsp.TextEdit(
                range=lsp.Range(start=lsp.Position(i1, 0), end=lsp.Position(i2, 0)),
                new_text="".join(b[j1:j2]),
            )
        )
    return edits


def _replace(obj: Any, path: Sequence[str | int], value: Any) -> Any:
    """``obj`` (a model, a tuple of them) with the value at ``path`` (file keys) replaced."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, tuple) and isinstance(head, int):
        return (*obj[:head], _replace(obj[head], rest, value), *obj[head + 1 :])
    names = {key: name for name, key in type(obj).KEYS.items()}
    name = names[head]
    return attrs.evolve(obj, **{name: _replace(getattr(obj, name), rest, value)})


def _fix_edits(an: Analysis, fixes: Sequence[Fix]) -> list[lsp.TextEdit]:
    found = an.fixes()
    if found is None or not fixes:
        return []
    doc, _ = found
    article = doc.article
    for fix in fixes:
        path = parse_pointer(fix.pointer)
        assert path is not None
        article = _replace(article, path, fix.after)
    return line_edits(an.text, dumps(attrs.evolve(doc, article=article)))


def fix_all_edits(an: Analysis) -> list[lsp.TextEdit]:
    """The edits of every safe fix of the file (what ``newsmodel fix`` would write)."""
    found = an.fixes()
    return [] if found is None else _fix_edits(an, found[1])


def _action(
    title: str, kind: str, uri: str, edits: list[lsp.TextEdit], diags: list[lsp.Diagnostic]
) -> lsp.CodeAction:
    return lsp.CodeAction(
        title=title,
        kind=kind,
        diagnostics=diags or None,
        edit=lsp.WorkspaceEdit(changes={uri: edits}),
    )


def _pointer_of(diagnostic: lsp.Diagnostic) -> str | None:
    data = diagnostic.data
    if isinstance(data, Mapping) and isinstance(data.get("pointer"), str):
        return str(data["pointer"])
    return None


def _rename(an: Analysis, uri: str, diagnostic: lsp.Diagnostic) -> lsp.CodeAction | None:
    """Rename an unknown key (NM102) to the key it most likely meant."""
    path = parse_pointer(_pointer_of(diagnostic) or "")
    if not path or not isinstance(path[-1], str):
        return None
    cls = class_at(path[:-1], _kind(an).cls)
    guess = None if cls is None else suggest_key(path[-1], cls)
    if guess is None:
        return None
    root = None if an.parsed is None else an.parsed.root
    node: Any = root
    for part in path[:-1]:
        if isinstance(node, MappingNode) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.items):
            node = node.items[part].value
        else:
            return None
    if not isinstance(node, MappingNode) or guess in node.index:
        return None  # renaming would make a duplicate key
    entry = node.index.get(path[-1])
    if entry is None:
        return None
    start, end = _key_span(an, entry.key_line + 1, entry.key_column, entry.key)
    edit = lsp.TextEdit(range=_range(an, start, end), new_text=guess)
    return _action(
        f"Rename '{path[-1]}' to '{guess}'", lsp.CodeActionKind.QuickFix, uri, [edit], [diagnostic]
    )


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def code_actions(
    an: Analysis,
    uri: str,
    context: Sequence[lsp.Diagnostic],
    only: Sequence[str] | None = None,
) -> list[lsp.CodeAction]:
    """Quick fixes for the diagnostics of ``context``, and a fix-all source action."""
    out: list[lsp.CodeAction] = []
    if _wants(only, lsp.CodeActionKind.QuickFix):
        found = an.fixes()
        by_pointer: dict[str, list[Fix]] = {}
        for fix in () if found is None else found[1]:
            by_pointer.setdefault(fix.pointer, []).append(fix)
        for diagnostic in context:
            if diagnostic.source != SOURCE:
                continue
            pointer = _pointer_of(diagnostic)
            fixes = by_pointer.get(pointer or "")
            if fixes:
                edits = _fix_edits(an, fixes)
                if edits:
                    title = f"Fix {diagnostic.code}: " + " ".join(f.message for f in fixes)
                    out.append(
                        _action(title, lsp.CodeActionKind.QuickFix, uri, edits, [diagnostic])
                    )
            elif diagnostic.code == "NM102":
                action = _rename(an, uri, diagnostic)
                if action is not None:
                    out.append(action)
    if _wants(only, FIX_ALL_KIND):
        edits = fix_all_edits(an)
        if edits:
            out.append(
                _action("Fix all newsmodel problems in this file", FIX_ALL_KIND, uri, edits, [])
            )
    return out


# -- where the cursor is ------------------------------------------------------------------------

_KEY = re.compile(r"""(["']?)([^\s"'#:\-\[\]{},][^:#]*?|-[^\s:#][^:#]*?)\1[ \t]*:(?=\s|$)""")


@attrs.frozen
class _Shape:
    """A front matter line: where its content starts, its ``- `` columns, its key if any."""

    content: int
    dashes: tuple[int, ...]
    key: str | None
    key_end: int


def _shape(text: str) -> _Shape | None:
    """The shape of a line (``None`` for a blank or comment line)."""
    i = len(text) - len(text.lstrip(" "))
    dashes = []
    while text.startswith("-", i) and (i + 1 == len(text) or text[i + 1] in " \t"):
        dashes.append(i)
        i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
    if not dashes and (i == len(text) or text[i] == "#"):
        return None
    m = _KEY.match(text, i)
    if m is None:
        return _Shape(i, tuple(dashes), None, i)
    return _Shape(i, tuple(dashes), m.group(2).strip(), m.end())


UNKNOWN = "\x00"
"""A path part no key has: the lines above the cursor do not say where it is."""


class _Lines:
    """The front matter lines of an analysis, shaped on demand."""

    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.first = an.front_lines().start
        self._shapes: dict[int, _Shape | None] = {}

    def shape(self, line: int) -> _Shape | None:
        if line not in self._shapes:
            self._shapes[line] = _shape(self.an.index.line_text(line))
        return self._shapes[line]

    def mapping_path(self, line: int, column: int, dashes: tuple[int, ...] = ()) -> list[PathPart]:
        """The path of the mapping whose keys stand at ``column``, for a key on ``line``."""
        if dashes:  # the first key of a list item
            return [*self.list_path(line, dashes[0]), *([None] * len(dashes))]
        if column == 0:
            return []
        for j in range(line - 1, self.first - 1, -1):
            s = self.shape(j)
            if s is None:
                continue
            if s.content == column and s.dashes:
                return self.mapping_path(j, column, s.dashes)
            if s.content < column:
                if s.key is not None:
                    return [*self.mapping_path(j, s.content, s.dashes), s.key]
                if s.dashes:
                    return [*self.list_path(j, s.dashes[0]), *([None] * len(s.dashes))]
                return [UNKNOWN]
        return [UNKNOWN]

    def list_path(self, line: int, dash: int) -> list[PathPart]:
        """The path of the list whose items' dashes stand at column ``dash``."""
        for j in range(line - 1, self.first - 1, -1):
            s = self.shape(j)
            if s is None or (s.dashes and s.dashes[0] == dash) or s.content > dash:
                continue
            if s.key is not None and (s.content < dash or not s.dashes):
                return [*self.mapping_path(j, s.content, s.dashes), s.key]
            return [UNKNOWN]
        return [UNKNOWN]

    def siblings(self, line: int, column: int, new_item: bool = False) -> set[str]:
        """The keys already in the mapping whose keys stand at ``column`` around ``line``
        (``new_item``: ``line`` starts a list item, so nothing above it is in its mapping)."""
        found: set[str] = set()
        front = self.an.front_lines()
        for step in (1,) if new_item else (-1, 1):
            j = line + step
            while j in front:
                s = self.shape(j)
                if s is not None:
                    if s.content < column:
                        break
                    if s.content == column and s.key is not None:
                        found.add(s.key)
                        if s.dashes and step < 0:
                            break  # the first key of this list item
                    if s.dashes and s.content == column and step > 0:
                        break  # the next list item
                    if s.dashes and s.dashes[0] < column:
                        break
                j += step
        return found


def _cursor(an: Analysis, line: int, character: int) -> tuple[_Lines, str, int] | None:
    """The shaped lines, the text of the cursor's line before it, and its code point column."""
    if line not in an.front_lines():
        return None
    column = an.index.column(line, character)
    return _Lines(an), an.index.line_text(line)[:column], column


def _key_path_at(an: Analysis, line: int, character: int) -> tuple[list[PathPart], str] | None:
    """The key under the cursor and the path of its mapping."""
    where = _cursor(an, line, character)
    if where is None:
        return None
    lines, _, column = where
    s = lines.shape(line)
    if s is None or s.key is None or not s.content <= column <= s.key_end:
        return None
    return lines.mapping_path(line, s.content, s.dashes), s.key


# -- hover --------------------------------------------------------------------------------------


def _contains(r: lsp.Range, line: int, character: int) -> bool:
    start = (r.start.line, r.start.character)
    end = (r.end.line, r.end.character)
    return start <= (line, character) <= end


def hover(an: Analysis, line: int, character: int) -> lsp.Hover | None:
    """The docs of the diagnostics at the cursor and of the key under it."""
    parts: list[str] = []
    for diagnostic in diagnostics(an):
        if _contains(diagnostic.range, line, character) and isinstance(diagnostic.code, str):
            info = code_info(diagnostic.code)
            head = (
                f"**{info.code}** `{info.name}`" if info.name != info.code else f"**{info.code}**"
            )
            rest = info.doc.split("\n\n", 1)[1] if "\n\n" in info.doc else ""
            body = f"{head}: {info.summary}" + (f"\n\n{rest}" if rest else "")
            parts.append(f"{body}\n\n[Documentation]({info.url})")
    found = _key_path_at(an, line, character)
    if found is not None:
        path, key = found
        cls = class_at(path, _kind(an).cls)
        known = None if cls is None else key_info(cls, key)
        if known is not None:
            parts.append(known.markdown())
        elif cls is not None:
            guess = suggest_key(key, cls)
            parts.append(
                f"**`{key}`** is not a key of `{cls.__name__}`: it is kept but nothing reads it."
                + (f" Did you mean `{guess}`?" if guess else "")
            )
    if not parts:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
    )


# -- completion ---------------------------------------------------------------------------------

_WORD = re.compile(r"[\w$.-]*$")


def _key_items(cls: type[Any], present: set[str], kind: str | None) -> list[lsp.CompletionItem]:
    items = []
    for n, info in enumerate(keys_of(cls)):
        if info.key in present:
            continue
        needed = info.required or (kind is not None and kind in info.required_by)
        items.append(
            lsp.CompletionItem(
                label=info.key,
                kind=lsp.CompletionItemKind.Field,
                detail=info.file_type + (" (required)" if needed else ""),
                documentation=lsp.MarkupContent(
                    kind=lsp.MarkupKind.Markdown, value=info.markdown()
                ),
                insert_text=f"{info.key}: ",
                sort_text=f"{0 if needed else 1}{n:03d}",
            )
        )
    return items


def _value_items(values: Iterable[str], kind: lsp.CompletionItemKind) -> list[lsp.CompletionItem]:
    return [
        lsp.CompletionItem(label=v, kind=kind, sort_text=f"{n:05d}")
        for n, v in enumerate(dict.fromkeys(values))
    ]


def _kind(an: Analysis) -> Any:
    """The file's kind (:class:`newsmodel.kinds.Kind`), from its tree or, where the front
    matter does not parse (while it is typed), from its ``type:``/``taxonomy:`` line."""
    root = None if an.parsed is None else an.parsed.root
    if root is not None:
        data: Mapping[str, Any] = root.data
    else:
        head = an.text[: an.front_start + 65536]
        found = re.findall(r"(?m)^(type|taxonomy):[ \t]*['\"]?([\w-]+)", head)
        data = dict(found[:1])
    return file_kind(data, an.file)


def completion(
    an: Analysis, line: int, character: int, workspace: Mapping[str, Sequence[str]]
) -> list[lsp.CompletionItem]:
    """Keys valid at the cursor for the file's kind, ``type`` values, values used elsewhere.

    ``workspace`` maps a key (``topics``) to the values the workspace's files give it.
    """
    where = _cursor(an, line, character)
    if where is None:
        return []
    lines, before, _ = where
    s = _shape(before)
    kind = _kind(an)
    root_cls = kind.cls
    if s is not None and s.key is not None:  # after 'key:': its values
        if before[s.key_end :].lstrip().startswith(("[", "{", '"', "'")):
            return []
        path = [*lines.mapping_path(line, s.content, s.dashes), s.key]
        return _values(path, root_cls, workspace)
    word = _WORD.search(before)
    start = len(before) - len(word.group(0)) if word else len(before)
    content = start if s is None else s.content
    if before[content:start].strip():
        return []
    dashes = () if s is None else s.dashes
    if dashes and content == start:
        list_path = lines.list_path(line, dashes[0])
        item_cls = class_at(list_path, root_cls)
        if item_cls is None or not _is_model_list(list_path, root_cls):
            return _values([*list_path, *([None] * len(dashes))], root_cls, workspace)
    path = lines.mapping_path(line, content, dashes)
    cls = class_at(path, root_cls)
    if cls is None:
        return []
    present = lines.siblings(line, content, new_item=bool(dashes))
    return _key_items(cls, present, kind.name if cls is root_cls else None)


def _is_model_list(path: Sequence[PathPart], root: type[Any]) -> bool:
    """Whether the value at ``path`` is a list of mappings of the model."""
    if not path or not isinstance(path[-1], str):
        return False
    parent = class_at(path[:-1], root)
    info = None if parent is None else key_info(parent, path[-1])
    return (
        info is not None
        and info.file_type.startswith("list of ")
        and "(a mapping)" in (info.file_type)
    )


def _values(
    path: Sequence[PathPart], root: type[Any], workspace: Mapping[str, Sequence[str]]
) -> list[lsp.CompletionItem]:
    keys = [p for p in path if isinstance(p, str)]
    if not keys:
        return []
    key = keys[-1]
    if path[-1] == key and selector_values(key):  # 'type:', 'taxonomy:' (of related items too)
        parent = class_at(path[:-1], root)
        if len(path) == 1 or (parent is not None and key_info(parent, key) is not None):
            return _value_items(selector_values(key), lsp.CompletionItemKind.EnumMember)
    if key in workspace:
        if path[-1] is not None:  # 'key: ' itself: not for a list's values
            parent = class_at(path[:-1], root)
            info = None if parent is None else key_info(parent, key)
            if info is not None and info.file_type.startswith("list of"):
                return []
        return _value_items(workspace[key], lsp.CompletionItemKind.Value)
    return []
