"""What a value of each field of the model must be: the validators of the model's fields.

Every field made by :func:`newsmodel.model.field` and :func:`newsmodel.model.extra_field` has
the validator :func:`validate`, derived from the field's type annotation, for the built-in
classes and for kinds of your own alike. It refuses what the converter refuses when it reads a
file, with no coercion: a ``bool`` is not an ``int``, an ``int`` not a ``str`` (nor a ``float``
field's ``bool``), a string not a tuple of strings, a list not a tuple; a timestamp needs a time
zone (and an offset in whole minutes, as YAML writes it); ``extra`` maps string keys, none a key
the class types, to plain YAML data. A field's default (``None``) is always accepted. NaN is a
number, as ``.nan`` in a file is.

Loading does not check twice: the converter checks each value as it reads it, then builds the
object with :func:`builder`, which sets the fields without running the validators.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

import attrs

from .errors import ModelValueError

__all__ = ["Check", "builder", "check_of", "validate"]

_T = TypeVar("_T")
_FACTORY: type[Any] = type(attrs.Factory(dict))

Check = Callable[[Any], "str | None"]
"""Says what is wrong with a value (``None``: nothing)."""

_CHECKS: dict[type, dict[str, Check]] = {}


def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The attrs validator of every field of the model (:func:`newsmodel.model.field` and
    :func:`newsmodel.model.extra_field` give it): raises :class:`ModelValueError` for a value
    the field does not hold, naming the class, the field and the value."""
    cls = type(instance)
    checks = _CHECKS.get(cls)
    if checks is None:
        checks = _checks_of(cls)
    reason = checks[attribute.name](value)
    if reason is not None:
        raise ModelValueError(
            cls.__name__, attribute.name, attribute.metadata.get("key"), value, reason
        )


def _checks_of(cls: type) -> dict[str, Check]:
    """The check of each field of ``cls`` (made once per class, on its first object)."""
    attrs_cls: Any = cls
    attrs.resolve_types(attrs_cls)
    fields = attrs.fields(attrs_cls)
    checks: dict[str, Check] = {}
    for a in fields:
        if "key" in a.metadata and a.metadata["key"] is None:
            typed = {f.metadata["key"]: f.name for f in fields if f.metadata.get("key")}
            checks[a.name] = _extra_check(typed)
        else:
            check = check_of(a.type)
            if a.default is not attrs.NOTHING and not isinstance(a.default, _FACTORY):
                check = _or_default(check, a.default)  # what an absent key reads as
            checks[a.name] = check
    _CHECKS[cls] = checks
    return checks


def _or_default(check: Check, default: Any) -> Check:
    return lambda value: None if value is default else check(value)


def _shown(value: Any) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


def _type_name(t: Any) -> str:
    if t is type(None):
        return "None"
    if isinstance(t, type) and not typing.get_args(t):
        return t.__name__
    return str(t).replace("typing.", "").replace("datetime.", "").replace("NoneType", "None")


def _exact(t: type, also: tuple[type, ...] = ()) -> Check:
    """A value of exactly type ``t`` (or ``also``): ``True`` is no ``int``, ``1`` no ``str``."""
    allowed = (t, *also)
    expected = f"expected {t.__name__}, got "

    def check(value: Any) -> str | None:
        return None if type(value) in allowed else expected + _shown(value)

    return check


def _check_datetime(value: Any) -> str | None:
    if not isinstance(value, dt.datetime):
        return "expected a datetime with a time zone, got " + _shown(value)
    offset = value.utcoffset()
    if offset is None:
        return (
            f"expected a datetime with a time zone, got the naive datetime {value.isoformat()} "
            "(give it a tzinfo, such as datetime.timezone.utc)"
        )
    if offset % dt.timedelta(minutes=1):
        return (
            f"the UTC offset {offset} of {value.isoformat()} has seconds; "
            "a timestamp of the format holds hours and minutes only"
        )
    return None


def _check_date(value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    return "expected a date, got " + _shown(value)


def _check_any(value: Any) -> str | None:
    return None


_SCALARS: dict[Any, Check] = {
    str: _exact(str),
    int: _exact(int),
    bool: _exact(bool),
    float: _exact(float, (int,)),
    dt.datetime: _check_datetime,
    dt.date: _check_date,
    type(None): _exact(type(None)),
    None: _exact(type(None)),
    Any: _check_any,
    object: _check_any,
}


def check_of(t: Any) -> Check:
    """The check of a value of type ``t``: no coercion (a ``bool`` is not an ``int``, a list
    not a tuple, a string not a tuple of strings), timestamps with a zone."""
    found = _SCALARS.get(t)
    if found is not None:
        return found
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is typing.Union or origin is types.UnionType:
        return _union_check(t, args)
    if origin is Literal:
        return _literal_check(args)
    if origin is tuple:
        return _tuple_check(t, args)
    if origin is list:
        return _items_check(list, t, check_of(args[0]) if args else _check_any)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return _mapping_check(t, origin, *(map(check_of, args) if args else ()))
    if isinstance(origin or t, type):
        return _instance_check(origin or t)
    return _check_any  # a type variable or another form the model does not use


def _instance_check(cls: type) -> Check:
    expected = f"expected {cls.__name__}, got "

    def check(value: Any) -> str | None:
        return None if isinstance(value, cls) else expected + _shown(value)

    return check


def _union_check(t: Any, args: tuple[Any, ...]) -> Check:
    members = [check_of(a) for a in args if a is not type(None)]
    optional = len(members) < len(args)
    if len(members) == 1:  # ``X | None``: the reason is X's (an item of a tuple, a naive time)
        only = members[0]
        return (lambda value: None if value is None else only(value)) if optional else only
    expected = f"expected {_type_name(t)}, got "

    def check(value: Any) -> str | None:
        if optional and value is None:
            return None
        for member in members:
            if member(value) is None:
                return None
        return expected + _shown(value)

    return check


def _literal_check(args: tuple[Any, ...]) -> Check:
    allowed = {(type(a), a) for a in args}
    expected = "expected one of " + ", ".join(map(repr, args)) + ", got "

    def check(value: Any) -> str | None:
        try:
            if (type(value), value) in allowed:
                return None
        except TypeError:  # unhashable
            pass
        return expected + _shown(value)

    return check


def _tuple_check(t: Any, args: tuple[Any, ...]) -> Check:
    if len(args) == 2 and args[1] is ...:
        return _items_check(tuple, t, check_of(args[0]))
    checks = [check_of(a) for a in args]
    expected = f"expected {_type_name(t)}, got "

    def check(value: Any) -> str | None:
        if type(value) is not tuple or (args and len(value) != len(checks)):
            return expected + _shown(value)
        for i, (item, item_check) in enumerate(zip(value, checks, strict=True)):
            reason = item_check(item)
            if reason is not None:
                return f"item {i}: {reason}"
        return None

    return check


def _items_check(kind: type[Any], t: Any, item_check: Check) -> Check:
    expected = f"expected {_type_name(t)}, got "
    hint = f"; write {kind.__name__}(...)"

    def check(value: Any) -> str | None:
        if type(value) is not kind:
            shown = expected + _shown(value)
            return shown + hint if isinstance(value, (list, tuple)) else shown
        for i, item in enumerate(value):
            reason = item_check(item)
            if reason is not None:
                return f"item {i}: {reason}"
        return None

    return check


def _mapping_check(
    t: Any, kind: type[Any], key_check: Check = _check_any, value_check: Check = _check_any
) -> Check:
    expected = f"expected {_type_name(t)}, got "

    def check(value: Any) -> str | None:
        if not isinstance(value, kind):
            return expected + _shown(value)
        for key, item in value.items():
            reason = key_check(key)
            if reason is not None:
                return f"key {key!r}: {reason}"
            reason = value_check(item)
            if reason is not None:
                return f"{key!r}: {reason}"
        return None

    return check


_PLAIN_SCALARS = frozenset({str, int, float, bool, type(None), dt.date})


def _plain(value: Any) -> str | None:
    """What is wrong with ``value`` as plain YAML data (``None``: nothing)."""
    if type(value) in _PLAIN_SCALARS or isinstance(value, dt.datetime):
        return None
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            reason = _plain(item)
            if reason is not None:
                return f"[{i}]: {reason}"
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if type(key) is not str:
                return f"the key {_shown(key)} is not a string"
            reason = _plain(item)
            if reason is not None:
                return f"{key!r}: {reason}"
        return None
    return (
        "expected plain YAML data (None, bool, int, float, str, date, datetime, list, dict), got "
        + _shown(value)
    )


def _extra_check(typed: Mapping[str, str]) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, Mapping):
            return "expected a mapping of the file's other keys, got " + _shown(value)
        for key, item in value.items():
            if type(key) is not str:
                return f"the key {_shown(key)} is not a string"
            if key in typed:
                return f"the key {key!r} is typed: set the field {typed[key]!r} instead"
            reason = _plain(item)
            if reason is not None:
                return f"{key!r}: {reason}"
        return None

    return check


def builder(cls: type[_T]) -> Callable[..., _T]:
    """A function that makes an object of ``cls`` from keyword arguments without running the
    field validators, for values checked as strictly already: the converter checks each value
    as it reads it, so loading a file does not check it twice. Objects made any other way
    (``cls(...)``, ``attrs.evolve``) are checked.

    ``cls`` itself where its ``__init__`` does more than set the fields (converters,
    ``__attrs_post_init__``, a cached hash...), or where attrs cannot say (attrs < 25.4).
    """
    found = _BUILDERS.get(cls)
    if found is None:
        found = _BUILDERS[cls] = _make_builder(cls)
    return found


_BUILDERS: dict[type, Callable[..., Any]] = {}


def _make_builder(cls: type[_T]) -> Callable[..., _T]:
    attrs_cls: Any = cls
    inspect = getattr(attrs, "inspect", None)
    try:
        props = inspect(attrs_cls) if inspect is not None else None
        plain_init = (
            props is not None
            and props.added_init
            and props.hashability is not props.Hashability.HASHABLE_CACHED
        )
    except Exception:  # pragma: no cover - an attrs whose experimental inspect() changed
        plain_init = False
    if (
        not plain_init
        or cls.__new__ is not object.__new__
        or hasattr(cls, "__attrs_pre_init__")
        or hasattr(cls, "__attrs_post_init__")
    ):
        return cls
    params: list[str] = []
    body: list[str] = []
    names: dict[str, Any] = {
        "_new": object.__new__,
        "_cls": cls,
        "_setter": object.__setattr__.__get__,  # as attrs' own __init__ sets a frozen field
        "_NOTHING": attrs.NOTHING,
    }
    for i, a in enumerate(attrs.fields(attrs_cls)):
        if not a.init or a.converter is not None or not a.alias.isidentifier():
            return cls
        arg = a.alias
        if a.default is attrs.NOTHING:
            params.append(arg)
        elif isinstance(a.default, _FACTORY):
            if a.default.takes_self:
                return cls
            params.append(f"{arg}=_NOTHING")
            names[f"_factory{i}"] = a.default.factory
            body.append(f"    if {arg} is _NOTHING:\n        {arg} = _factory{i}()")
        else:
            params.append(f"{arg}=_default{i}")
            names[f"_default{i}"] = a.default
        body.append(f"    _set({a.name!r}, {arg})")
    head = f"def build_{cls.__name__}(*, {', '.join(params)}):" if params else "def build():"
    source = "\n".join(
        [head, "    self = _new(_cls)", "    _set = _setter(self)", *body, "    return self"]
    )
    exec(compile(source, f"<newsmodel builder of {cls.__qualname__}>", "exec"), names)
    build: Callable[..., _T] = names[head[4 : head.index("(")]]
    return build
