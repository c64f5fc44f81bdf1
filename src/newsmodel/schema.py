"""A JSON Schema (draft 2020-12) of the front matter, generated from the attrs model.

Nothing here is written per key: :func:`json_schema` walks ``attrs.fields`` of each model
class, takes each attribute's file key from its ``metadata["key"]``, its JSON type from its
annotation, and whether it is required from whether it has a default. Keys the model does not
know are allowed (the model keeps them in ``extra``). Timestamps are strings in ``date-time``
format, the way editors and JSON tools see an unquoted YAML timestamp.

>>> from newsmodel.schema import json_schema
>>> json_schema()["properties"]["title"]
{'type': 'string'}
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from ._version import __version__
from .kinds import all_kinds
from .model import Article

__all__ = ["SCHEMA_DIALECT", "SCHEMA_ID", "json_schema", "schema_text"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://newsmodel.invalid/schema/article.json"
"""The schema's ``$id``; a placeholder base URI (it is never fetched)."""

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.datetime: {"type": "string", "format": "date-time"},
    dt.date: {"type": "string", "format": "date"},
}


def _description(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return doc.split("\n\n")[0].replace("\n", " ").strip()


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def type_schema(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            schemas = [self.type_schema(a) for a in options]
            if type(None) in args:
                schemas.append({"type": "null"})
            if len(schemas) == 1:
                return schemas[0]
            if all(set(s) <= {"type", "format"} for s in schemas):
                merged: dict[str, Any] = {"type": [s["type"] for s in schemas]}
                formats = {s["format"] for s in schemas if "format" in s}
                if len(formats) == 1:
                    merged["format"] = formats.pop()
                    return merged
                if not formats:
                    return merged
            return {"anyOf": schemas}
        if origin is tuple and len(args) == 2 and args[1] is ...:
            return {"type": "array", "items": self.type_schema(args[0])}
        if origin is list:
            return {"type": "array", "items": self.type_schema(args[0])}
        if tp in _SCALARS:
            return dict(_SCALARS[tp])
        if attrs.has(tp):
            name = tp.__name__
            if name not in self.defs:
                self.defs[name] = {}  # reserve first: a model may refer to itself
                self.defs[name] = self.model_schema(tp)
            return {"$ref": f"#/$defs/{name}"}
        if tp is Any:
            return {}
        raise TypeError(f"no JSON Schema for the annotation {tp!r}")

    def model_schema(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            key = field.metadata.get("key")
            if not key:  # ``extra``: the keys the model does not know
                continue
            properties[key] = self.type_schema(hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(key)
        schema: dict[str, Any] = {
            "title": cls.__name__,
            "description": _description(cls),
            "type": "object",
            "properties": properties,
        }
        if required:
            schema["required"] = required
        schema["additionalProperties"] = True
        return schema


def _kinds(cls: type) -> list[dict[str, Any]]:
    """``if type is X then require X's keys``, for each registered kind of the class
    (:mod:`newsmodel.kinds`) that requires keys."""
    return [
        {
            "if": {
                "properties": {kind.selector: {"const": kind.name}},
                "required": [kind.selector],
            },
            "then": {"required": list(kind.required)},
        }
        for kind in all_kinds()
        if kind.cls is cls and kind.required
    ]


def json_schema(cls: type = Article) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a model class's plain data (an article by default;
    :class:`~newsmodel.model.Profile`, :class:`~newsmodel.model.Collection`... for the other
    kinds), with the keys each kind of the class requires."""
    builder = _Builder()
    body = builder.model_schema(cls)
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID}
    schema.update(body)
    schema["title"] = f"newsmodel {cls.__name__} front matter"
    schema["$comment"] = f"Generated by newsmodel {__version__} from its attrs model."
    kinds = _kinds(cls)
    if kinds:
        schema["allOf"] = kinds
    if builder.defs:
        schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema


def schema_text(cls: type = Article, *, indent: int | None = 2) -> str:
    """:func:`json_schema` as JSON text (with a final newline)."""
    schema: Mapping[str, Any] = json_schema(cls)
    return json.dumps(schema, indent=indent, ensure_ascii=False) + "\n"
