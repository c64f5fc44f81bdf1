"""Key rules (``NM1xx``): keys the format does not know, with a did-you-mean hint.

Missing required keys (NM101) and values of the wrong type (NM100) are found when the file is
structured; see :mod:`newsmodel.converter`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import attrs

from ..model import Article, Model, model_in
from ..problems import Problem
from ..yamlio import MappingNode, Node, SequenceNode
from ._base import NOTHING, Context, PathPart, Rule, register
from ._fields import kind_of

__all__ = ["UnknownKey", "known_keys", "suggest_key"]


_SCHEMAS: dict[type[Model], dict[str, tuple[type[Model], bool] | None]] = {}
_PLANS: dict[type[Model], tuple[frozenset[str], dict[str, tuple[type[Model], bool]]]] = {}
_SUGGESTIONS: dict[tuple[type[Model], str], str | None] = {}


def _schema(cls: type[Model]) -> dict[str, tuple[type[Model], bool] | None]:
    """Each file key of ``cls`` and the model class of its value or of its items (with
    ``True`` for a list), if any."""
    found = _SCHEMAS.get(cls)
    if found is None:
        found = _SCHEMAS[cls] = _make_schema(cls)
    return found


def _plan(cls: type[Model]) -> tuple[frozenset[str], dict[str, tuple[type[Model], bool]]]:
    """The keys of ``cls``, and those whose value is a model (or a list of models) with it."""
    found = _PLANS.get(cls)
    if found is None:
        schema = _schema(cls)
        nested = {k: v for k, v in schema.items() if v is not None}
        found = _PLANS[cls] = (frozenset(schema), nested)
    return found


def _make_schema(cls: type[Model]) -> dict[str, tuple[type[Model], bool] | None]:
    out: dict[str, tuple[type[Model], bool] | None] = {}
    for field in attrs.fields(cls):  # type: ignore[arg-type]
        key = field.metadata.get("key")
        if key:
            sub = model_in(field.type)
            is_list = "tuple" in str(field.type)
            out[key] = None if sub is None else (sub, is_list)
    return out


def known_keys(cls: type[Model] = Article) -> frozenset[str]:
    """The keys the format knows in a mapping of ``cls``."""
    return frozenset(_schema(cls))


def suggest_key(key: str, cls: type[Model] = Article) -> str | None:
    """The known key of ``cls`` that an unknown ``key`` most likely meant (the NM102 hint)."""
    return _suggest(cls, key)


def _suggest(cls: type[Model], key: str) -> str | None:
    if (cls, key) not in _SUGGESTIONS:
        if len(_SUGGESTIONS) > 1024:
            _SUGGESTIONS.clear()
        _SUGGESTIONS[cls, key] = _closest(cls, key)
    return _SUGGESTIONS[cls, key]


def _fold(key: str) -> str:
    return key.casefold().replace("_", "").replace("-", "")


def _closest(cls: type[Model], key: str) -> str | None:
    known = list(_schema(cls))
    folded = _fold(key)
    for name in known:
        if name.casefold() == folded:
            return name
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return close[0] if close else None


@register
class UnknownKey(Rule):
    """A key the format does not know is a warning, with the closest known key as a hint.

    The keys known are those of the file's kind (an article's, a profile's...); a file of a kind
    the library does not know has no unknown key.

    Unknown keys are kept and written back, but nothing reads them: most are misspellings
    (``webURL``, ``publishedDate``) whose value is then silently missing where it was meant.

    Fails::

        webURL: "https://www.example.com/story"

    Passes::

        webUrl: "https://www.example.com/story"
    """

    code = "NM102"
    severity = "warning"
    name = "unknown-key"
    spec = "docs/rules.md#nm102"

    def check(self, ctx: Context) -> Iterator[Problem]:
        kind = kind_of(ctx)
        if not kind.known:  # a kind the library does not know: only a miswritten ``Type``
            return self._miswritten(ctx, kind.cls)
        if self._clean(ctx.root, kind.cls):
            return iter(NOTHING)
        return self._mapping(ctx, ctx.root, kind.cls, ())

    def _miswritten(self, ctx: Context, cls: type[Model]) -> Iterator[Problem]:
        """The keys of a file of an unknown kind that are known keys but for their case
        (``typE``), underscores or hyphens: misspelt surely, whatever the kind."""
        known = _schema(cls)
        for entry in ctx.root.entries:
            key = entry.key
            if key not in known:
                guess = _suggest(cls, key)
                if guess is not None and _fold(guess) == _fold(key):
                    yield ctx.problem(
                        self,
                        f"The key {key!r} is not part of the format; did you mean {guess!r}?",
                        (key,),
                        key=True,
                        hint=f"Rename it to '{guess}'.",
                    )

    def _clean(self, node: MappingNode, cls: type[Model]) -> bool:
        """Whether ``node`` and the model mappings in it have only known keys (the fast
        path of :meth:`_mapping` for the files it finds nothing in)."""
        index = node.index
        known, nested = _plan(cls)
        if not known.issuperset(index):
            return False
        if not nested:
            return True
        if len(index) == len(node.entries):  # no duplicate key: look up the nested keys
            for key, (sub, is_list) in nested.items():
                entry = index.get(key)
                if entry is not None and not self._clean_value(entry.value, sub, is_list):
                    return False
        else:
            for entry in node.entries:
                found = nested.get(entry.key)
                if found is not None and not self._clean_value(entry.value, *found):
                    return False
        return True

    def _clean_value(self, value: Node, cls: type[Model], is_list: bool) -> bool:
        if not is_list:
            return not isinstance(value, MappingNode) or self._clean(value, cls)
        if isinstance(value, SequenceNode):
            known, nested = _plan(cls)
            for item in value.items:
                mapping = item.value
                if isinstance(mapping, MappingNode):
                    if nested:
                        if not self._clean(mapping, cls):
                            return False
                    elif not known.issuperset(mapping.index):
                        return False
        return True

    def _mapping(
        self, ctx: Context, node: MappingNode, cls: type[Model], path: tuple[PathPart, ...]
    ) -> Iterator[Problem]:
        schema = _schema(cls)
        for entry in node.entries:
            key = entry.key
            if key not in schema:
                guess = _suggest(cls, key)
                yield ctx.problem(
                    self,
                    f"The key {key!r} is not part of the format"
                    + (f"; did you mean {guess!r}?" if guess else "; nothing reads it."),
                    (*path, key),
                    key=True,
                    hint=f"Rename it to '{guess}'." if guess else None,
                )
                continue
            sub = schema[key]
            if sub is not None:
                yield from self._value(ctx, entry.value, sub[0], sub[1], (*path, key))

    def _value(
        self,
        ctx: Context,
        node: Node,
        cls: type[Model],
        is_list: bool,
        path: tuple[PathPart, ...],
    ) -> Iterator[Problem]:
        # a value of the wrong shape is a type problem (NM100): nothing to say about its keys
        if not is_list and isinstance(node, MappingNode):
            yield from self._mapping(ctx, node, cls, path)
        elif is_list and isinstance(node, SequenceNode):
            for i, item in enumerate(node.items):
                if isinstance(item.value, MappingNode):
                    yield from self._mapping(ctx, item.value, cls, (*path, i))
