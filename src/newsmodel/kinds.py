"""The kinds of item a site holds, and which one a file is.

A *kind* is a model class (a subclass of :class:`newsmodel.model.Item`) plus its registration
(:class:`Kind`): the value of ``type`` (or ``taxonomy``) that names it, the keys a file of the
kind cannot do without (NM601), and the site collections (``_people``) whose files are of it.

The kind of a file is, in this order:

1. the kind its folder says, where the file declares nothing else or declares a value that kind
   accepts (a ``_newsletters`` file says ``type: article``: it is a :class:`Newsletter`). The
   folder's kind comes from ``[tool.newsmodel] folders`` (globs, as ``exclude`` takes them),
   else from the Jekyll collection the file is in (``_config.yml``, or the ``_<name>`` folder);
2. the kind named by its ``type`` (or ``taxonomy``);
3. the kind named by the ``type`` (or ``taxonomy``) the site's ``_config.yml`` ``defaults``
   give the file (as Jekyll applies them);
4. else an *unknown kind*: the file is a :class:`~newsmodel.model.GenericItem`, still loaded,
   written back and checked field by field; at most a warning says so (NM611, NM613).

Kinds come from the library (:func:`builtin_kinds`), from installed packages (entry points of
the group ``newsmodel.kinds``: ``podcast = "mysite.kinds:Podcast"``, a :class:`Kind` or an
``Item`` class), from ``[tool.newsmodel] kinds`` (the same ``module:attr`` values), and from
:func:`register`. See ``docs/kinds.md``.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .errors import NewsModelError
from .model import (
    Article,
    Collection,
    Forum,
    GenericItem,
    Item,
    Newsletter,
    Organization,
    Profile,
    item_kinds,
    prepare,
)

if TYPE_CHECKING:
    from .layout import SiteLayout

__all__ = [
    "ENTRY_POINT_GROUP",
    "Kind",
    "KindError",
    "Selector",
    "all_kinds",
    "builtin_kinds",
    "get",
    "known_values",
    "load_plugins",
    "load_setting",
    "register",
    "resolve",
    "unknown",
]

ENTRY_POINT_GROUP = "newsmodel.kinds"
"""The entry-point group a package registers its kinds under."""

Selector = Literal["type", "taxonomy"]


class KindError(NewsModelError):
    """A kind that cannot be registered or loaded (a bad entry point or setting)."""


@attrs.frozen(kw_only=True)
class Kind:
    """A kind of item: its name, its model class and what a file of it must have."""

    name: str
    """The value of ``type`` (or of ``taxonomy``) that names the kind."""
    cls: type[Item]
    """The model class of its files."""
    required: tuple[str, ...] = ()
    """Keys a file of the kind cannot do without (NM601), besides the class's required keys."""
    selector: Selector = "type"
    """The key whose value names the kind: ``type``, or ``taxonomy`` (organizations)."""
    accepts: tuple[str, ...] = ()
    """Other values of the selector a file of this kind may say (a newsletter says ``article``)."""
    collections: tuple[str, ...] = ()
    """Jekyll collections (``people`` for ``_people/``) whose files are of this kind."""
    known: bool = True
    """False for the unknown kind of a file the library cannot place."""

    def __attrs_post_init__(self) -> None:
        if not (isinstance(self.cls, type) and issubclass(self.cls, Item)):
            raise KindError(f"kind {self.name!r}: {self.cls!r} is not a newsmodel.model.Item class")
        prepare(self.cls)


def _article(name: str) -> Kind:
    return Kind(name=name, cls=Article, required=item_kinds()[name])


_BUILTIN: tuple[Kind, ...] = (
    _article("article"),
    _article("video"),
    _article("course"),
    _article("download"),
    Kind(name="profile", cls=Profile, collections=("people",)),
    Kind(name="collection", cls=Collection, required=("excerpt", "items")),
    Kind(name="organization", cls=Organization, selector="taxonomy", required=("domain",)),
    Kind(name="forum", cls=Forum, collections=("communities",)),
    Kind(
        name="newsletter",
        cls=Newsletter,
        accepts=("article",),
        collections=("newsletters",),
        required=("title", "publishedDateTime"),
    ),
)


def builtin_kinds() -> tuple[Kind, ...]:
    """The kinds the library knows by itself."""
    return _BUILTIN


class _Registry:
    def __init__(self) -> None:
        self.kinds: dict[tuple[str, str], Kind] = {(k.selector, k.name): k for k in _BUILTIN}
        self.plugins_loaded = False

    def add(self, kind: Kind) -> None:
        key = (kind.selector, kind.name)
        old = self.kinds.get(key)
        if old is not None and old != kind:
            raise KindError(f"the kind {kind.name!r} is registered already")
        self.kinds[key] = kind
        _by_collection.cache_clear()
        _folder.cache_clear()
        _by_folder.cache_clear()

    def load_plugins(self) -> None:
        if self.plugins_loaded:
            return
        self.plugins_loaded = True
        from importlib.metadata import entry_points

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                obj = ep.load()
            except Exception as exc:
                raise KindError(
                    f"the kind {ep.name!r} of entry point {ep.value!r} cannot be loaded: {exc}"
                ) from exc
            self.add(_as_kind(ep.name, obj, f"entry point {ep.value!r}"))


_REGISTRY = _Registry()


def _as_kind(name: str, obj: Any, where: str) -> Kind:
    if isinstance(obj, Kind):
        return obj
    if isinstance(obj, type) and issubclass(obj, Item):
        return Kind(name=name, cls=obj)
    raise KindError(f"{where} is neither a newsmodel.kinds.Kind nor an Item class: {obj!r}")


def register(kind: Kind | type[Item], name: str | None = None) -> Kind:
    """Register a kind (a :class:`Kind`, or an ``Item`` class with its ``name``); returns it.

    A kind registered twice with the same settings is fine; two different kinds of one name are
    a :class:`KindError`."""
    if not isinstance(kind, Kind):
        if name is None:
            raise KindError("register(cls) needs the kind's name: register(cls, 'podcast')")
        kind = _as_kind(name, kind, f"register({kind!r})")
    _REGISTRY.add(kind)
    return kind


def load_setting(value: str, name: str) -> Kind:
    """The kind a ``[tool.newsmodel] kinds`` entry names (``"package.module:Class"``)."""
    module, sep, attr = value.partition(":")
    if not (module and sep and attr):
        raise KindError(f"kind {name!r}: expected 'package.module:Name', got {value!r}")
    try:
        obj: Any = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise KindError(f"kind {name!r}: {value!r} cannot be imported: {exc}") from exc
    return register(_as_kind(name, obj, f"kind {name!r} ({value!r})"))


def load_plugins() -> tuple[Kind, ...]:
    """Register the kinds of installed packages (entry points of :data:`ENTRY_POINT_GROUP`) now,
    also those installed since the first look (done by itself on first need); returns them."""
    _REGISTRY.plugins_loaded = False
    before = set(_REGISTRY.kinds.values())
    _REGISTRY.load_plugins()
    return tuple(k for k in _REGISTRY.kinds.values() if k not in before)


def all_kinds() -> tuple[Kind, ...]:
    """Every known kind: the built-in ones, those of installed packages, those registered."""
    _REGISTRY.load_plugins()
    return tuple(_REGISTRY.kinds.values())


def get(name: str, selector: Selector = "type") -> Kind | None:
    """The kind a ``type`` (or ``taxonomy``) value names, if any."""
    kind = _REGISTRY.kinds.get((selector, name))
    if kind is None and not _REGISTRY.plugins_loaded:
        _REGISTRY.load_plugins()
        kind = _REGISTRY.kinds.get((selector, name))
    return kind


def known_values(selector: Selector = "type") -> tuple[str, ...]:
    """The values of ``type`` (or ``taxonomy``) that name a kind, in registration order."""
    return tuple(k.name for k in all_kinds() if k.selector == selector)


def unknown(value: str | None = None, selector: Selector = "type") -> Kind:
    """The unknown kind (a :class:`~newsmodel.model.GenericItem`), named by what the file says."""
    return Kind(name=value or "", cls=GenericItem, selector=selector, known=False)


@functools.lru_cache(maxsize=64)
def _by_collection(name: str) -> Kind | None:
    for kind in _REGISTRY.kinds.values():
        if name in kind.collections:
            return kind
    return None


def _str(value: Any) -> str | None:
    return value if type(value) is str else None


def _declared(data: Mapping[str, Any]) -> tuple[Selector, str] | None:
    value = _str(data.get("type"))
    if value is not None:
        return "type", value
    value = _str(data.get("taxonomy"))
    if value is not None:
        return "taxonomy", value
    return None


def _accepts(kind: Kind, declared: tuple[Selector, str]) -> bool:
    selector, value = declared
    return selector == kind.selector and (value == kind.name or value in kind.accepts)


def resolve(
    data: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    *,
    site: bool = True,
) -> Kind:
    """The kind of a file whose front matter is ``data`` (see the module's docstring).

    With ``path``, the folder the file sits in counts too: ``[tool.newsmodel] folders`` and
    kinds of the nearest ``pyproject.toml``, and the Jekyll site (``_config.yml``) around it
    (``site=False`` leaves the files around out: only the path's ``_<collection>`` folder counts).
    """
    declared = _declared(data)
    folder: Kind | None = None
    if path is not None:
        where = _place(os.fspath(path), site)
        if declared is None and where.defaults is not None:
            declared = _declared(where.defaults)
        folder = where.kind
    if folder is not None and (declared is None or _accepts(folder, declared)):
        return folder
    if declared is None:
        return unknown()
    selector, value = declared
    return get(value, selector) or unknown(value, selector)


@attrs.frozen
class _Place:
    kind: Kind | None
    defaults: Mapping[str, Any] | None


def _place(path: str, site: bool) -> _Place:
    """What the folders around ``path`` say of its kind."""
    head, name = os.path.split(path)
    if name in ("", ".", ".."):
        folder, name = os.path.split(os.path.abspath(path))
    else:  # the folder made absolute once, not each of its files
        folder = _absolute(head, "" if os.path.isabs(head) else os.getcwd())
    settings, layout, by_path = _folder(folder, site)
    if settings is None and layout is None:  # the folder alone decides: the same for each file
        return _by_folder(by_path)
    kind = settings.folder_kind(os.path.join(folder, name)) if settings is not None else None
    defaults: Mapping[str, Any] | None = None
    if layout is not None:
        rel = Path(os.path.relpath(os.path.join(folder, name), layout.root)).as_posix()
        defaults = layout.defaults_for(rel) or None
        if kind is None:
            kind = _collection_kind(layout.collection_of(rel))
    return _Place(kind or by_path, defaults)


@functools.lru_cache(maxsize=1024)
def _absolute(folder: str, cwd: str) -> str:
    """``folder`` made absolute against ``cwd`` (part of the key: a change of the current
    folder is a new entry)."""
    return os.path.normpath(os.path.join(cwd, folder)) if cwd else os.path.normpath(folder)


@functools.lru_cache(maxsize=64)
def _by_folder(kind: Kind | None) -> _Place:
    return _Place(kind, None)


@functools.lru_cache(maxsize=4096)
def _folder(folder: str, site: bool) -> tuple[_Settings | None, SiteLayout | None, Kind | None]:
    """For the files of ``folder``: its ``[tool.newsmodel]`` folder settings, its Jekyll site,
    and the kind of its ``_<collection>`` folder (cleared when a kind is registered)."""
    by_path = _collection_kind(_collection_from_path(PurePath(folder)))
    if not site:
        return None, None, by_path
    return _settings(folder), _layout(folder), by_path


def _collection_kind(collection: str | None) -> Kind | None:
    if collection is None:
        return None
    kind = _by_collection(collection)
    if kind is None and not _REGISTRY.plugins_loaded:
        _REGISTRY.load_plugins()
        kind = _by_collection(collection)
    return kind


@functools.lru_cache(maxsize=4096)
def _collection_from_path(folder: PurePath) -> str | None:
    """The Jekyll collection of files in ``folder``: its last ``_name`` folder (``people``)."""
    for part in reversed(folder.parts):
        if part.startswith("_") and len(part) > 1:
            return part[1:]
    return None


@functools.lru_cache(maxsize=1024)
def _layout(folder: str) -> SiteLayout | None:
    """The Jekyll site around ``folder``, if any."""
    from .layout import SiteLayout

    try:
        return SiteLayout.find(folder)
    except NewsModelError:
        return None  # a broken _config.yml is reported by the site checks, not here


class _Settings:
    """The ``[tool.newsmodel]`` kinds and folders of one ``pyproject.toml``."""

    def __init__(self, root: Path, folders: tuple[tuple[str, str], ...]) -> None:
        self.root = root
        self.folders = folders

    def folder_kind(self, path: str) -> Kind | None:
        from .config import matches_glob

        for glob, name in self.folders:
            if matches_glob(glob, path, self.root):
                kind = get(name) or get(name, "taxonomy")
                if kind is None:
                    raise KindError(
                        f"[tool.newsmodel] folders: {glob!r} names the kind {name!r}, "
                        "which is not registered"
                    )
                return kind
        return None


@functools.lru_cache(maxsize=1024)
def _settings(folder: str) -> _Settings | None:
    from .config import find_pyproject, read_config

    found = find_pyproject(folder)
    if found is None:
        return None
    config = read_config(found)
    return _apply_settings(config.kinds, config.folders, config.root)


def _apply_settings(
    kinds: tuple[tuple[str, str], ...], folders: tuple[tuple[str, str], ...], root: Path
) -> _Settings | None:
    """Register the ``[tool.newsmodel] kinds`` and return what decides ``folders``."""
    for name, value in kinds:
        load_setting(value, name)
    return _Settings(root, folders) if folders else None
