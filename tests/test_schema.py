"""The JSON Schema generated from the model: valid 2020-12, faithful to the model and the corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

import newsmodel as nm
from newsmodel import model
from newsmodel.schema import SCHEMA_DIALECT, json_schema
from newsmodel.yamlio import parse_text

from .conftest import EXAMPLES


def as_json(value: Any) -> Any:
    """Plain YAML data as JSON tools see it: timestamps as ISO 8601 strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def front(path: Path) -> Any:
    parsed = parse_text(path.read_bytes().decode("utf-8"))
    assert parsed.root is not None, path
    return as_json(parsed.root.plain())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_dialect_and_root() -> None:
    schema = json_schema()
    assert schema["$schema"] == SCHEMA_DIALECT
    assert schema["type"] == "object"


def test_generated_from_the_model() -> None:
    for cls in model.MODELS:
        target = json_schema(cls)
        fields = [f for f in attrs.fields(cls) if f.metadata.get("key")]  # type: ignore[arg-type]
        assert list(target["properties"]) == [f.metadata["key"] for f in fields], cls
        required = [f.metadata["key"] for f in fields if f.default is attrs.NOTHING]
        assert target.get("required", []) == required, cls
        assert target["additionalProperties"] is True  # unknown keys go to ``extra``


def test_examples_validate(validator: jsonschema.Draft202012Validator) -> None:
    for path in sorted(EXAMPLES.glob("*.md")):
        errors = list(validator.iter_errors(front(path)))
        assert not errors, (path, errors[0].message)


def test_corpus_validates(corpus: list[Path], validator: jsonschema.Draft202012Validator) -> None:
    bad = []
    for path in corpus:
        error = jsonschema.exceptions.best_match(validator.iter_errors(front(path)))
        if error is not None:
            bad.append((path.name, error.message))
    assert not bad, bad[:5]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(title=5), "title"),
        (lambda d: d.pop("provider"), "provider"),
        (lambda d: d.update(quality="64"), "quality"),
        (lambda d: d.update(published="true"), "published"),
        (lambda d: d["provider"].update(domain=None), "domain"),
        (lambda d: d["images"][0].update(width=1.5), "width"),
        (lambda d: d.pop("webUrl"), "webUrl"),  # required for type: article
    ],
)
def test_wrong_data_is_rejected(
    change: Any, where: str, validator: jsonschema.Draft202012Validator
) -> None:
    data = front(EXAMPLES / "ai-article.md")
    change(data)
    errors = list(validator.iter_errors(data))
    assert errors
    assert any(where in repr([*e.absolute_path, e.message]) for e in errors)


def test_schema_agrees_with_the_converter_on_types() -> None:
    """What the schema rejects for type reasons, the converter rejects too (and vice versa)."""
    base = front(EXAMPLES / "ai-article.md")
    validator = jsonschema.Draft202012Validator(json_schema())
    root = parse_text((EXAMPLES / "ai-article.md").read_text("utf-8")).root
    assert root is not None
    for key, value in [("heat", True), ("heat", 3), ("title", ["a"]), ("excerpt", None)]:
        data = {**base, key: value}
        schema_ok = not list(validator.iter_errors(data))
        plain = {**root.plain(), key: value}
        try:
            nm.structure(plain, nm.Article)
            model_ok = True
        except nm.StructureError:
            model_ok = False
        assert schema_ok == model_ok, (key, value)


def test_each_kind_requires_its_keys() -> None:
    schema = json_schema(model.Collection)
    jsonschema.Draft202012Validator.check_schema(schema)
    check = jsonschema.Draft202012Validator(schema)
    good = {"title": "A", "type": "collection", "excerpt": "", "items": ["videos/a"]}
    assert not list(check.iter_errors(good))
    bad = {"title": "A", "type": "collection", "excerpt": ""}
    assert [e.message for e in check.iter_errors(bad)] == ["'items' is a required property"]
    assert json_schema(model.Organization)["allOf"][0]["if"]["properties"] == {
        "taxonomy": {"const": "organization"}
    }


# -- models other than Article ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Inner:
    """An inner model."""

    n: int = attrs.field(default=0, metadata={"key": "n"})


@attrs.frozen(kw_only=True)
class _Odd:
    """A model with the annotations the format's own models do not use."""

    either: int | str = attrs.field(metadata={"key": "either"})
    when: dt.datetime | dt.date | None = attrs.field(default=None, metadata={"key": "when"})
    num_or_inner: int | _Inner = attrs.field(default=0, metadata={"key": "numOrInner"})
    counts: list[int] = attrs.field(factory=list, metadata={"key": "counts"})
    anything: Any = attrs.field(default=None, metadata={"key": "anything"})


@attrs.frozen(kw_only=True)
class _Optional:
    """No required key."""

    x: str | None = attrs.field(default=None, metadata={"key": "x"})


def test_schema_of_other_annotations_validates_instances() -> None:
    schema = json_schema(_Odd)
    props = schema["properties"]
    assert props["either"] == {"type": ["integer", "string"]}
    assert props["when"] == {
        "anyOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "format": "date"},
            {"type": "null"},
        ]
    }
    assert props["numOrInner"] == {"anyOf": [{"type": "integer"}, {"$ref": "#/$defs/_Inner"}]}
    assert props["counts"] == {"type": "array", "items": {"type": "integer"}}
    assert props["anything"] == {}
    assert schema["required"] == ["either"]
    assert "allOf" not in schema  # the item kinds are an Article's only
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"either": "x", "numOrInner": {"n": 2}, "counts": [1]})
    assert not validator.is_valid({"either": 1.5})
    assert not validator.is_valid({"either": 1, "numOrInner": {"n": "two"}})
    assert not validator.is_valid({"counts": [1]})


def test_schema_without_required_keys_or_definitions() -> None:
    schema = json_schema(_Optional)
    assert "required" not in schema
    assert "$defs" not in schema
    assert schema["properties"] == {"x": {"type": ["string", "null"]}}


def test_schema_refuses_an_annotation_it_cannot_describe() -> None:
    @attrs.frozen
    class _Bad:
        raw: bytes = attrs.field(metadata={"key": "raw"})

    with pytest.raises(TypeError, match="no JSON Schema for the annotation <class 'bytes'>"):
        json_schema(_Bad)
