"""Every field of a file by what it means, for the rules that judge values of one meaning.

The model says what each typed field means (``field(..., meaning=URL)``), for every kind at any
depth; keys the model does not type (unknown keys, every key of an unknown kind) are judged by
their names (:func:`newsmodel.model.meaning_of_key`: ``audioUrl`` is a URL, ``startDateTime`` a
timestamp). One walk of the file's tree gathers them all, once per file.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..kinds import Kind, resolve
from ..model import (
    URL,
    URL_OR_PATH,
    Image,
    Meaning,
    Model,
    meaning_of_key,
    slots,
)
from ..yamlio import MappingNode, Node, ScalarNode, SequenceNode
from ._base import Context, PathPart

__all__ = ["Field", "Fields", "fields", "image_lists", "kind_of"]

Field = tuple[tuple[PathPart, ...], Node, bool]
"""A field: its path, its value's node, and whether the model types it (``False``: judged by
its name)."""


class Fields:
    """The fields of one file: by meaning, plus every list of images."""

    __slots__ = ("by_meaning", "images")

    def __init__(self) -> None:
        self.by_meaning: dict[Meaning, list[Field]] = {}
        self.images: list[tuple[tuple[PathPart, ...], SequenceNode]] = []

    def of(self, meaning: Meaning) -> Sequence[Field]:
        """Every field of ``meaning`` (in document order)."""
        return self.by_meaning.get(meaning, ())

    def add(self, meaning: Meaning, path: tuple[PathPart, ...], node: Node, typed: bool) -> None:
        found = self.by_meaning.get(meaning)
        if found is None:
            self.by_meaning[meaning] = [(path, node, typed)]
        else:
            found.append((path, node, typed))


def kind_of(ctx: Context) -> Kind:
    """The kind the file is checked as (that of its ``type`` where the caller gave none)."""
    kind = ctx.kind
    if kind is None:
        data = {}
        for key in ("type", "taxonomy"):
            node = ctx.root.get(key)
            if isinstance(node, ScalarNode):
                data[key] = node.value
        kind = ctx.kind = resolve(data)
    return kind


def fields(ctx: Context) -> Fields:
    """The fields of the file (computed once per file)."""
    return ctx.once(_gather)


def _gather(ctx: Context) -> Fields:
    found = Fields()
    _model(found, ctx.root, kind_of(ctx).cls, (), False)
    return found


def image_lists(ctx: Context) -> list[tuple[tuple[PathPart, ...], SequenceNode]]:
    """Every list of images of the file (``images``, ``provider.images``...), with its path."""
    return fields(ctx).images


_Step = tuple[Meaning | None, "type[Model] | None", bool, bool]
_PLANS: dict[type[Model], dict[str, _Step | None]] = {}
_UNKNOWN: _Step = (None, None, False, False)  # a key the class does not type


def _plan(cls: type[Model]) -> dict[str, _Step | None]:
    """Each key of ``cls``: ``None`` where there is nothing to gather in its value, else what
    its value means, its model class, whether it is a list, whether URLs in it may be paths."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = {
            key: (slot.meaning, slot.model, slot.is_list, slot.site_paths)
            if slot.meaning is not None or slot.model is not None
            else None
            for key, slot in slots(cls).items()
        }
    return plan


def _model(
    out: Fields, node: MappingNode, cls: type[Model], path: tuple[PathPart, ...], paths: bool
) -> None:
    plan = _plan(cls)
    for entry in node.entries:
        key = entry.key
        step = plan.get(key, _UNKNOWN)
        if step is None:
            continue
        value = entry.value
        if step is _UNKNOWN:
            _named(out, key, value, (*path, key), paths)
            continue
        meaning, sub, is_list, site_paths = step
        if sub is not None:
            inner = paths or site_paths
            if is_list:
                if isinstance(value, SequenceNode):
                    here = (*path, key)
                    if sub is Image:
                        out.images.append((here, value))
                    for i, item in enumerate(value.items):
                        if isinstance(item.value, MappingNode):
                            _model(out, item.value, sub, (*here, i), inner)
            elif isinstance(value, MappingNode):
                _model(out, value, sub, (*path, key), inner)
            continue
        assert meaning is not None
        if meaning == URL and paths:
            meaning = URL_OR_PATH
        if is_list:
            if isinstance(value, SequenceNode):
                for i, item in enumerate(value.items):
                    out.add(meaning, (*path, key, i), item.value, True)
        else:
            out.add(meaning, (*path, key), value, True)


def _named(out: Fields, key: str, value: Node, path: tuple[PathPart, ...], paths: bool) -> None:
    """A value the model does not type: judged by its key's name, and so is what it holds."""
    if isinstance(value, ScalarNode):
        meaning = meaning_of_key(key)
        if meaning is not None:
            if meaning == URL and paths:
                meaning = URL_OR_PATH
            out.add(meaning, path, value, False)
    elif isinstance(value, MappingNode):
        for entry in value.entries:
            _named(out, entry.key, entry.value, (*path, entry.key), paths)
    elif isinstance(value, SequenceNode):
        # the images of items the model does not know may be the site's own (``/assets/...``)
        images = key == "images"
        if images:
            out.images.append((path, value))
        for i, item in enumerate(value.items):
            node = item.value
            if isinstance(node, MappingNode):
                for entry in node.entries:
                    _named(out, entry.key, entry.value, (*path, i, entry.key), paths or images)
