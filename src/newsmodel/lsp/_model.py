"""What the model says about keys: their type, whether they are required, by which kinds.

Everything here is read from the model's metadata (each attrs field's file ``key``, type,
default and ``meaning``) and from the registry of kinds (:mod:`newsmodel.kinds`: each kind's
class and required keys), the same facts the docs' format reference is generated from, so a
kind or a key added to the model, by the library or by a site's plugin, shows up in hover and
completion with no change here.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .. import kinds as registry
from ..model import file_type, model_in

__all__ = ["KeyInfo", "class_at", "file_kind", "key_info", "keys_of", "selector_values"]

PathPart = str | int | None


@attrs.frozen(kw_only=True)
class KeyInfo:
    """One key of a mapping of the model."""

    key: str
    attribute: str
    owner: str
    file_type: str
    required: bool
    required_by: tuple[str, ...]
    meaning: str | None
    owner_doc: str

    def markdown(self) -> str:
        """The key described for a hover or a completion item."""
        lines = [f"**`{self.key}`**: {self.file_type}", ""]
        if self.meaning:
            lines += [f"{self.meaning[:1].upper()}{self.meaning[1:]}.", ""]
        if self.required:
            lines.append(f"Required in every `{self.owner}`.")
        elif self.required_by:
            kinds = ", ".join(f"`{k}`" for k in self.required_by)
            lines.append(f"Required by the kinds {kinds}; optional otherwise.")
        else:
            lines.append("Optional.")
        lines += ["", f"Attribute `{self.owner}.{self.attribute}`. {self.owner_doc}"]
        return "\n".join(lines).strip()


def file_kind(data: Mapping[str, Any], path: str | None = None) -> registry.Kind:
    """The kind of a file whose front matter says ``data`` (its folder counts too)."""
    return registry.resolve(data, path)


def selector_values(selector: str) -> list[str]:
    """The values of ``type`` (or ``taxonomy``) that name a kind; ``[]`` for another key."""
    if selector not in ("type", "taxonomy"):
        return []
    return list(registry.known_values(selector))  # type: ignore[arg-type]


_KEYS: dict[type[Any], tuple[KeyInfo, ...]] = {}


def keys_of(cls: type[Any]) -> tuple[KeyInfo, ...]:
    """Every key of a model class, in the format's key order."""
    found = _KEYS.get(cls)
    if found is None:
        found = _KEYS[cls] = _keys_of(cls)
    return found


def _keys_of(cls: type[Any]) -> tuple[KeyInfo, ...]:
    kinds = {k.name: k.required for k in registry.all_kinds() if k.cls is cls}
    doc = inspect.getdoc(cls) or ""
    summary = doc.split("\n\n", 1)[0].replace("\n", " ").replace("``", "`")
    out = []
    for field in attrs.fields(cls):
        key = field.metadata.get("key")
        if not key:
            continue
        required = field.default is attrs.NOTHING
        out.append(
            KeyInfo(
                key=key,
                attribute=field.name,
                owner=cls.__name__,
                file_type=file_type(field.type),
                required=required,
                required_by=tuple(k for k, keys in kinds.items() if key in keys),
                meaning=field.metadata.get("meaning"),
                owner_doc=summary,
            )
        )
    return tuple(out)


def key_info(cls: type[Any], key: str) -> KeyInfo | None:
    """What the model says about ``key`` in a mapping of ``cls`` (``None``: not a known key)."""
    return next((k for k in keys_of(cls) if k.key == key), None)


def class_at(path: Sequence[PathPart], root: type[Any]) -> type[Any] | None:
    """The model class of the mapping at ``path`` (list items as ``int`` or ``None``)."""
    cls: type[Any] | None = root
    for part in path:
        if cls is None:
            return None
        if part is None or isinstance(part, int):
            continue
        field = next(
            (f for f in attrs.fields(cls) if f.metadata.get("key") == part),
            None,
        )
        cls = None if field is None else model_in(field.type)
    return cls
