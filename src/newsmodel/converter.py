"""The cattrs converter between plain YAML data (the file's keys) and the model.

It is strict where cattrs by default is lenient: a string is never read as a bool (``"false"`` is
not ``True``), a float never as an int (``3.7`` is not ``3``), a string never as a list of its
characters. Every structuring error is collected (cattrs' detailed validation), and
:func:`structure_problems` turns the exception group into :class:`~newsmodel.Problem` values
whose paths use the file's key names (``images[0].width``), not attribute names.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn, override

from . import codes
from .errors import StructureError
from .fieldchecks import builder
from .model import MODELS, Article, Model, model_in, prepare
from .problems import Problem
from .yamlio import InvalidTimestamp

__all__ = [
    "converter",
    "describe",
    "structure",
    "structure_problems",
    "try_structure",
    "unstructure",
]

T = TypeVar("T")
PathPart = str | int
_EXTRA = "\x00extra"


class _WrongType(TypeError):
    """A value of the wrong type; ``expected`` is said in words (``an integer``)."""

    def __init__(self, expected: str, value: Any, hint: str | None = None) -> None:
        self.expected = expected
        self.value = value
        self.hint = hint
        super().__init__(f"expected {expected}, got {describe(value)}")


class _BadTimestamp(TypeError):
    """A timestamp that is no real date or time (``2021-13-45``), anywhere in a value;
    ``subpath`` is where it stands inside the value (for the ``extra`` mapping); ``others``
    are the further ones in the same value, each with its subpath."""

    def __init__(
        self,
        value: InvalidTimestamp,
        subpath: tuple[PathPart, ...] = (),
        others: tuple[tuple[InvalidTimestamp, tuple[PathPart, ...]], ...] = (),
    ) -> None:
        self.value = value
        self.subpath = subpath
        self.others = others
        super().__init__(f"the timestamp {str(value)!r} is not a real date or time")


def _check_timestamps(value: Any) -> None:
    """Raise :class:`_BadTimestamp` naming every impossible timestamp inside ``value``."""
    found: list[tuple[InvalidTimestamp, tuple[PathPart, ...]]] = []
    _find_timestamps(value, (), found)
    if found:
        (first, subpath), *others = found
        raise _BadTimestamp(first, subpath, tuple(others))


def _find_timestamps(
    value: Any,
    subpath: tuple[PathPart, ...],
    found: list[tuple[InvalidTimestamp, tuple[PathPart, ...]]],
) -> None:
    if isinstance(value, InvalidTimestamp):
        found.append((value, subpath))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(item, (str, int, float)) or isinstance(item, InvalidTimestamp):
                _find_timestamps(item, (*subpath, key), found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if not isinstance(item, (str, int, float)) or isinstance(item, InvalidTimestamp):
                _find_timestamps(item, (*subpath, i), found)


def describe(value: Any) -> str:
    """Say what a YAML value is, for messages: ``the string '625'``, ``a list``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {shown!r}"
    if isinstance(value, dt.datetime):
        return f"the timestamp {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def _str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    if isinstance(value, InvalidTimestamp):
        raise _BadTimestamp(value)
    hint = None
    if isinstance(value, (bool, int, float, dt.date)) and value is not None:
        from .yamlio import emit_scalar

        hint = f'Quote it to make it a string: "{emit_scalar(value)}".'
    raise _WrongType("a string", value, hint)


def _int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    hint = None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        hint = f"Write it without quotes: {value.strip()}."
    raise _WrongType("an integer", value, hint)


def _float(value: Any, _: Any) -> float:
    if type(value) in (int, float):
        return float(value)
    raise _WrongType("a number", value)


def _bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    hint = None
    if isinstance(value, str) and value.strip().lower() in (
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
    ):
        truth = value.strip().lower() in ("true", "yes", "on")
        hint = f"Write {'true' if truth else 'false'} without quotes."
    raise _WrongType("true or false", value, hint)


def _datetime(value: Any, _: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _WrongType(
                "a timestamp with a time zone",
                value,
                f"Add the zone: {value.strftime('%Y-%m-%dT%H:%M:%S')}Z for UTC.",
            )
        return value
    if isinstance(value, InvalidTimestamp):
        raise _BadTimestamp(value)
    hint = None
    if isinstance(value, dt.date):
        hint = f"Add the time and zone: {value.isoformat()}T00:00:00Z."
    elif isinstance(value, str):
        hint = "Write an unquoted ISO 8601 timestamp such as 2020-06-12T19:03:00Z."
    raise _WrongType("a timestamp such as 2020-06-12T19:03:00Z", value, hint)


def _extra_mapping(value: Any, _: Any) -> dict[str, Any]:
    _check_timestamps(value)
    return dict(value)


def _is_tuple_of(t: Any) -> bool:
    return (
        typing.get_origin(t) is tuple
        and len(typing.get_args(t)) == 2
        and typing.get_args(t)[1] is ...
    )


def _tuple_factory(t: Any, conv: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    item_type = typing.get_args(t)[0]
    handler = conv.get_structure_hook(item_type)

    def hook(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _WrongType("a list", value)
        out = []
        errors: list[Exception] = []
        for i, item in enumerate(value):
            try:
                out.append(handler(item, item_type))
            except Exception as exc:
                note = cattrs.IterableValidationNote(f"Structuring @ index {i}", i, item_type)
                setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
                errors.append(exc)
        if errors:
            raise cattrs.IterableValidationError(f"While structuring {t!r}", errors, t)
        return tuple(out)

    return hook


def _is_optional(t: Any) -> bool:
    args = typing.get_args(t)
    return (
        len(args) == 2
        and type(None) in args
        and typing.get_origin(t) in (typing.Union, types.UnionType)
    )


def _optional_factory(t: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """``X | None``: the hook of ``X`` bound once, not looked up on every value (cattrs'
    default dispatches at run time)."""
    inner_type = next(a for a in typing.get_args(t) if a is not type(None))
    inner = conv.get_structure_hook(inner_type)

    def hook(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return hook


def _make_converter(detailed: bool = True) -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=False)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(dt.datetime, _datetime)
    conv.register_structure_hook_func(lambda t: t == Mapping[str, Any], _extra_mapping)
    conv.register_structure_hook_factory(_is_tuple_of, _tuple_factory)
    conv.register_structure_hook_factory(_is_optional, _optional_factory)
    for cls in MODELS:
        conv.register_structure_hook(cls, _model_hook(conv, cls))
    # a model class of a kind of your own (newsmodel.kinds.register): the same hooks
    conv.register_structure_hook_factory(_is_model, lambda cls, c: _model_hook(c, cls))
    conv.register_unstructure_hook_func(_is_model, unstructure)
    return conv


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, Model)


def _model_hook(conv: cattrs.Converter, cls: type[Model]) -> Callable[[Any, Any], Any]:
    """The strict structuring hook of a model class: file keys, unknown keys to ``extra``."""
    prepare(cls)
    keys = cls.KEYS
    known = frozenset(keys.values())
    renames = {name: override(rename=key) for name, key in keys.items()}
    base: Any = make_dict_structure_fn(cls, conv, **renames, extra=override(rename=_EXTRA))  # type: ignore[arg-type]
    # The hooks above check every value as strictly as the model's validators: build the
    # object without running them again (cattrs' generated function takes the class it
    # calls as its argument ``__cl``; where it does not, the class checks, only slower).
    build = builder(cls)
    params = base.__code__.co_varnames[: base.__code__.co_argcount]
    if build is not cls and "__cl" in params and base.__defaults__:
        defaults = list(base.__defaults__)
        defaults[params.index("__cl") - (len(params) - len(defaults))] = build
        base.__defaults__ = tuple(defaults)  # the function is ours alone: made just above
    what = f"a mapping ({cls.__name__})"

    def structure_hook(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _WrongType(what, value)
        if not known.issuperset(value):  # (a C loop: most files have only known keys)
            extra = {k: v for k, v in value.items() if k not in known}
            value = {**value, _EXTRA: extra}
        return base(value, cls)

    return structure_hook


@typing.overload
def structure(data: Any) -> Article: ...
@typing.overload
def structure(data: Any, cls: type[T]) -> T: ...
def structure(data: Any, cls: Any = Article) -> Any:
    """Build a model object (an :class:`Article` by default) from plain data with the file's keys.

    Raises :class:`~newsmodel.StructureError` with every problem found (paths such as
    ``$.images[0].width``; no line numbers, since plain data has none).
    """
    value, problems = try_structure(data, cls)
    if problems:
        raise StructureError(problems)
    return value


Where = Callable[[tuple[PathPart, ...], bool], tuple[int, int]]
"""Gives the (line, column) of a path: of its value, or (``True``) of a missing key's mapping."""


def try_structure(
    data: Any, cls: type[T], where: Where | None = None
) -> tuple[T | None, list[Problem]]:
    """``(object, [])``, or ``(None, problems)`` with every problem found (never raises).

    With ``where``, each problem also gets the line and column ``where`` gives for its path.
    """
    try:
        return converter.structure(data, cls), []
    except Exception:  # run again, collecting every problem
        pass
    try:  # the detailed converter collects every error as an exception group
        return _detailed().structure(data, cls), []
    except Exception as exc:  # every cattrs error becomes problems
        return None, structure_problems(exc, cls, where)


def structure_problems(
    exc: BaseException, cls: type[Any] = Article, where: Where | None = None
) -> list[Problem]:
    """Turn a cattrs error (an exception group) into problems, with the file's key names
    (and, with ``where``, the line and column of each)."""
    from .yamlio import pointer

    out: list[Problem] = []
    for path, leaf in _leaves(exc, cls, ()):
        if where is not None:
            line, column = where(path, isinstance(leaf, KeyError))
            position: dict[str, Any] = {"line": line, "column": column}
        else:
            position = {}
        if isinstance(leaf, KeyError):
            key = path[-1] if path else "?"
            out.append(
                codes.MISSING_KEY.problem(
                    message=f"The required key {key!r} is missing.",
                    pointer=pointer(path),
                    hint=f"Add '{key}:' with its value.",
                    **position,
                )
            )
        elif isinstance(leaf, _BadTimestamp):
            for value, subpath in ((leaf.value, leaf.subpath), *leaf.others):
                at = path
                if subpath:  # inside the keys the model does not know: their own path
                    at = (*path[:-1], *subpath)
                    if where is not None:
                        line, column = where(at, False)
                        position = {"line": line, "column": column}
                out.append(
                    codes.YAML_SYNTAX.problem(
                        message=(
                            f"The timestamp {str(value)!r} is not a real date or time: "
                            f"{value.reason}."
                        ),
                        pointer=pointer(at),
                        hint="Write a real date, such as 2020-06-12T19:03:00Z.",
                        **position,
                    )
                )
        elif isinstance(leaf, _WrongType):
            out.append(
                codes.WRONG_TYPE.problem(
                    message=f"Expected {leaf.expected}, got {describe(leaf.value)}.",
                    pointer=pointer(path),
                    hint=leaf.hint,
                    **position,
                )
            )
        else:
            out.append(
                codes.WRONG_TYPE.problem(
                    message=f"The value cannot be read: {leaf}.",
                    pointer=pointer(path),
                    **position,
                )
            )
    return out


def _leaves(
    exc: BaseException, cls: Any, path: tuple[PathPart, ...]
) -> typing.Iterator[tuple[tuple[PathPart, ...], BaseException]]:
    if isinstance(exc, cattrs.ClassValidationError):
        keys = getattr(cls, "KEYS", {})
        for sub in exc.exceptions:
            name, sub_type = None, None
            for note in getattr(sub, "__notes__", []):
                if isinstance(note, cattrs.AttributeValidationNote):
                    name, sub_type = note.name, note.type
            key = keys.get(name, name) if name is not None else None
            yield from _leaves(sub, _model_of(sub_type), (*path, key) if key else path)
    elif isinstance(exc, cattrs.IterableValidationError):
        for sub in exc.exceptions:
            index, sub_type = None, None
            for note in getattr(sub, "__notes__", []):
                if isinstance(note, cattrs.IterableValidationNote):
                    index, sub_type = note.index, note.type
            yield from _leaves(
                sub, _model_of(sub_type), (*path, index) if index is not None else path
            )
    else:
        yield path, exc


def _model_of(t: Any) -> Any:
    """The model class inside ``X``, ``X | None`` or ``tuple[X, ...]``, if any."""
    return model_in(t)


@typing.overload
def unstructure(obj: Model) -> dict[str, Any]: ...
@typing.overload
def unstructure(obj: Any) -> Any: ...
def unstructure(obj: Any) -> Any:
    """Plain data with the file's keys in the format's order; ``None`` values are left out.

    Model objects become dicts (their ``extra`` keys last), tuples become lists, and scalars
    (datetimes included) stay as they are: the same data that reading the YAML gives.
    """
    if isinstance(obj, Model):
        out: dict[str, Any] = {}
        for name, key in type(obj).KEYS.items():
            value = getattr(obj, name)
            if value is not None:
                out[key] = unstructure(value)
        extra = obj.extra  # type: ignore[attr-defined]
        for key, value in extra.items():
            if key not in out:
                out[key] = unstructure(value)
        return out
    if isinstance(obj, (tuple, list)):
        return [unstructure(v) for v in obj]
    if isinstance(obj, Mapping):
        return {k: unstructure(v) for k, v in obj.items()}
    return obj


converter = _make_converter(detailed=False)
"""The cattrs converter of the model: strict hooks and the file's key names.

It stops at the first error; :func:`structure` then runs a converter with cattrs' detailed
validation (built on first need) to collect every problem. Valid data, nearly all data, takes
the fast path only."""


@functools.lru_cache(maxsize=1)
def _detailed() -> cattrs.Converter:
    return _make_converter(detailed=True)
