"""The layout of a Jekyll site: which folder is which collection, what defaults apply where.

A site of this family is a Jekyll site: its ``_config.yml`` names collections (``_people/`` is the
collection ``people``), gives front-matter ``defaults`` per scope (``type: profile`` for every file
of ``_people``), and excludes files. :class:`SiteLayout` reads that file as Jekyll does (YAML 1.1,
anchors and ``<<`` merge keys allowed, a repeated key keeps its last value) and answers, for a file
given by its POSIX path relative to the site's root:

- :meth:`SiteLayout.collection_of` - the collection the file belongs to;
- :meth:`SiteLayout.defaults_for` - the ``defaults`` values Jekyll applies to it, merged in
  Jekyll's order of precedence;
- :meth:`SiteLayout.is_excluded` - whether Jekyll skips it (``exclude``/``include``, Jekyll's
  default excludes, and names starting with ``.``, ``_``, ``#`` or ``~``);
- :meth:`SiteLayout.resolve` - the files a reference such as ``videos/<slug>`` names.

Collections are those the ``collections`` key declares **and** every ``_name`` folder that exists
in the collections folder (a remote theme may declare them: the site must still resolve), except
the folders Jekyll reserves (``_layouts``, ``_includes``, ``_sass``, ``_plugins``, ``_site`` and
the data folder ``_data``; ``_posts`` and ``_drafts`` are the ``posts`` collection).

A reference names a file by its path inside a collection folder (or inside the data folder),
without the extension: ``videos/x`` is ``_learning/videos/x.md`` where the collection ``learning``
has a ``videos`` folder, and ``_videos/x.md`` where ``videos`` is itself a collection
(``learning/videos/x`` names the first one too). :meth:`SiteLayout.reference_keys` gives the
references that name a file; :meth:`SiteLayout.resolve` is its inverse, so both read the same rule.

Where this module departs from Jekyll, it is said at the method.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import codes
from .errors import SiteConfigError

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_EXCLUDES",
    "DOCUMENT_SUFFIXES",
    "SITE_CONFIG",
    "Collection",
    "DefaultsSet",
    "SiteConfigError",
    "SiteLayout",
]

CONFIG_NAMES = ("_config.yml", "_config.yaml")
"""The file names Jekyll reads the site configuration from, in its order."""

DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)
"""What Jekyll (4.x) always adds to the site's ``exclude`` list."""

DOCUMENT_SUFFIXES = (".md", ".markdown", ".html")
"""The extensions of files with front matter that a reference may name (first match wins)."""


_SPECIAL = (".", "_", "#", "~")
_POSTS = ("_posts", "_drafts")
_RESERVED_KEYS = {
    "layouts_dir": "_layouts",
    "includes_dir": "_includes",
    "plugins_dir": "_plugins",
    "destination": "_site",
}
_LABEL = re.compile(r"[^a-z0-9_\-.]", re.IGNORECASE)


SITE_CONFIG = codes.SITE_CONFIG
"""The code of a site configuration that cannot be used (``NM700``, raised as
:class:`SiteConfigError`); defined in :mod:`newsmodel.codes` with every other code."""


@attrs.frozen(kw_only=True)
class Collection:
    """One collection of the site: its label and its folder (POSIX, relative to the root)."""

    label: str
    folder: str
    declared: bool
    """Whether ``_config.yml`` declares it (else it was found as an existing ``_label`` folder)."""
    metadata: Mapping[str, Any] = attrs.field(factory=dict, eq=False, hash=False)


@attrs.frozen(kw_only=True)
class DefaultsSet:
    """One entry of ``defaults``: its scope and values (entries Jekyll skips are not kept)."""

    path: str | None
    """The scope's ``path`` (``None`` or ``""``: every file); may be a glob."""
    type: str | None
    """The scope's ``type``: a collection label, ``pages`` or ``posts`` (``None``: any)."""
    values: Mapping[str, Any] = attrs.field(eq=False, hash=False)
    has_type: bool = False


def _merge(base: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """Jekyll's ``Utils.deep_merge_hashes``: ``other`` wins, nested mappings are merged."""
    merged = dict(base)
    for key, value in other.items():
        old = merged.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            merged[key] = _merge(old, value)
        else:
            merged[key] = value
    return merged


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A Ruby ``Dir.glob`` pattern as a regex: ``*`` and ``?`` stay in one path segment,
    ``**/`` spans folders, ``[...]`` and ``{a,b}`` as in Ruby."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith(("!", "^")):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
                continue
        elif c == "{":
            end = pattern.find("}", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                options = pattern[i + 1 : end].split(",")
                out.append("(?:" + "|".join(_glob_regex(o).pattern[:-2] for o in options) + ")")
                i = end + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


@functools.lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...], without: tuple[str, ...] = ()) -> Callable[[str], bool]:
    """Jekyll's ``EntryFilter#glob_include?`` for ``patterns`` (less ``without``), paths
    relative to the root: a Ruby ``File.fnmatch?`` without flags (``*`` also matches ``/``),
    a string prefix, or the folder named with a trailing ``/``."""
    kept = tuple(p for p in patterns if p not in without)
    if not kept:
        return lambda entry: False
    regex = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in kept))
    folders = frozenset(p[:-1] for p in kept if p.endswith("/"))

    def match(entry: str) -> bool:
        return entry.startswith(kept) or regex.match(entry) is not None or entry in folders

    return match


def _is_special(name: str) -> bool:
    return name.startswith(_SPECIAL) or name.endswith("~")


_LOADED: dict[tuple[object, ...], SiteLayout] = {}
"""Layouts read by :meth:`SiteLayout.load`, by their configuration file and its times."""


@attrs.frozen(kw_only=True)
class SiteLayout:
    """The layout of the Jekyll site at ``root`` (see the module docstring)."""

    root: Path
    """The folder that holds ``_config.yml``."""
    config_file: Path | None = None
    config: Mapping[str, Any] = attrs.field(factory=dict, eq=False, hash=False)
    """The whole configuration as Jekyll reads it (YAML 1.1, merge keys applied)."""
    collections_dir: str = ""
    data_dir: str = "_data"
    collections: tuple[Collection, ...] = ()
    defaults: tuple[DefaultsSet, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    include: tuple[str, ...] = ()
    reserved: tuple[str, ...] = ("_layouts", "_includes", "_plugins", "_site", "_sass")
    labels: frozenset[str] = frozenset()
    """The labels of the declared collections (they win over ``include``)."""

    # -- finding and loading ------------------------------------------------------------------

    @classmethod
    def find(cls, start: str | os.PathLike[str]) -> SiteLayout | None:
        """The layout of the nearest site at or above ``start`` (a file or a folder), or ``None``
        when no folder up to the file system's root holds a ``_config.yml``."""
        folder = Path(os.path.abspath(start))
        if not folder.is_dir():
            folder = folder.parent
        for candidate in (folder, *folder.parents):
            if any((candidate / name).is_file() for name in CONFIG_NAMES):
                return cls.load(candidate)
        return None

    @classmethod
    def load(cls, root: str | os.PathLike[str]) -> SiteLayout:
        """Read the site at ``root``; raise :class:`SiteConfigError` for a configuration Jekyll
        could not use (YAML errors, a top level that is not a mapping, wrong types)."""
        folder = Path(os.path.abspath(root))
        config_file = next((folder / n for n in CONFIG_NAMES if (folder / n).is_file()), None)
        if config_file is None:
            return cls._build(folder, None, {}, None)
        # the same site asked for again (once per folder of a walk): read it once, for as long
        # as neither its configuration nor its top folder (its collections) changes
        try:
            stamp = (config_file.stat(), folder.stat())
            key: tuple[object, ...] | None = (
                str(config_file),
                *((st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino) for st in stamp),
            )
        except OSError:  # pragma: no cover - vanished since it was found
            key = None
        known = _LOADED.get(key) if key is not None else None
        if known is not None:
            return known
        try:
            text = config_file.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8"
            raise _error(config_file, f"The site configuration cannot be read: {reason}.") from None
        data, node = _read_yaml(config_file, text)
        layout = cls._build(folder, config_file, data, node)
        if key is not None:
            if len(_LOADED) >= 32:
                _LOADED.clear()
            _LOADED[key] = layout
        return layout

    @classmethod
    def from_text(cls, root: str | os.PathLike[str], text: str) -> SiteLayout:
        """The layout of a site at ``root`` whose ``_config.yml`` holds ``text``."""
        folder = Path(os.path.abspath(root))
        config_file = folder / CONFIG_NAMES[0]
        data, node = _read_yaml(config_file, text)
        return cls._build(folder, config_file, data, node)

    @classmethod
    def _build(cls, root: Path, config_file: Path | None, data: Any, node: Any) -> SiteLayout:
        where = _Locator(config_file, node)
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise where.error((), "The site configuration must be a mapping of settings.")
        collections_dir = _folder_setting(data, "collections_dir", "", where)
        data_dir = _folder_setting(data, "data_dir", "_data", where)
        reserved = [_folder_setting(data, k, v, where) for k, v in _RESERVED_KEYS.items()]
        sass = data.get("sass")
        sass_dir = sass.get("sass_dir") if isinstance(sass, Mapping) else None
        reserved.append(sass_dir.strip("/") if isinstance(sass_dir, str) else "_sass")
        include = _string_list(data, "include", where)
        exclude = tuple(dict.fromkeys((*_string_list(data, "exclude", where), *DEFAULT_EXCLUDES)))
        layout = cls(
            root=root,
            config_file=config_file,
            config=data,
            collections_dir=collections_dir,
            data_dir=data_dir,
            collections=(),
            defaults=_defaults(data, where),
            exclude=exclude,
            include=include,
            reserved=tuple(reserved),
        )
        found = layout._collections(data, where)
        return attrs.evolve(
            layout, collections=found, labels=frozenset(c.label for c in found if c.declared)
        )

    def _collections(self, data: Mapping[str, Any], where: _Locator) -> tuple[Collection, ...]:
        raw = data.get("collections")
        declared: dict[str, Mapping[str, Any]] = {}
        if isinstance(raw, Mapping):
            for label, meta in raw.items():
                declared[str(label)] = meta if isinstance(meta, Mapping) else {}
        elif isinstance(raw, list):
            for index, label in enumerate(raw):
                if not isinstance(label, str):
                    raise where.error(("collections", index), "A collection name must be a string.")
                declared[label] = {}
        elif raw is not None:
            raise where.error(
                ("collections",), "`collections` must be a mapping or a list of names."
            )
        prefix = f"{self.collections_dir}/" if self.collections_dir else ""
        found: dict[str, Collection] = {
            "posts": Collection(label="posts", folder=f"{prefix}_posts", declared=True)
        }
        for label, meta in declared.items():
            clean = _LABEL.sub("", label)
            found[clean] = Collection(
                label=clean, folder=f"{prefix}_{clean}", declared=True, metadata=meta
            )
        base = self.root / self.collections_dir if self.collections_dir else self.root
        try:
            names = sorted(e.name for e in os.scandir(base) if e.is_dir())
        except OSError:
            names = []
        for name in names:
            label = self._label_of_folder(name)
            if label is not None and label not in found:
                found[label] = Collection(label=label, folder=prefix + name, declared=False)
        return tuple(sorted(found.values(), key=lambda c: c.label))

    # -- questions about one file --------------------------------------------------------------

    def _label_of_folder(self, name: str) -> str | None:
        """The collection a top folder of the collections folder holds, if any (lexically)."""
        if name in _POSTS:
            return "posts"
        if not name.startswith("_") or len(name) < 2:
            return None
        top = f"{self.collections_dir}/{name}" if self.collections_dir else name
        if top in self.reserved or top == self.data_dir:
            return None
        label = name[1:]
        if label in self.labels:
            return label
        if self._included(top):
            return None  # an underscore folder named in `include` is read as pages
        return label

    def _split(self, relpath: str) -> tuple[str, str, str] | None:
        """``(label, folder, path inside it)`` for a file of a collection, else ``None``."""
        path = relpath.lstrip("/")
        if self.collections_dir:
            prefix = self.collections_dir + "/"
            if not path.startswith(prefix):
                return None
            path = path[len(prefix) :]
        head, sep, rest = path.partition("/")
        if not sep or not rest:
            return None
        label = self._label_of_folder(head)
        if label is None:
            return None
        folder = f"{self.collections_dir}/{head}" if self.collections_dir else head
        return label, folder, rest

    def collection_of(self, relpath: str) -> str | None:
        """The label of the collection that holds ``relpath`` (``'people'`` for
        ``_people/x.md``; ``'posts'`` for ``_posts`` and ``_drafts``), else ``None``."""
        split = self._split(relpath)
        return split[0] if split else None

    def in_data(self, relpath: str) -> bool:
        """Whether ``relpath`` lies in the data folder (``_data``)."""
        return relpath.lstrip("/").startswith(self.data_dir + "/")

    def type_of(self, relpath: str) -> str | None:
        """The Jekyll type scopes match for ``relpath``: its collection's label, ``'pages'`` for
        other files, ``None`` for files of the data folder (Jekyll applies no defaults there)."""
        if self.in_data(relpath):
            return None
        return self.collection_of(relpath) or "pages"

    def defaults_for(self, relpath: str) -> Mapping[str, Any]:
        """The ``defaults`` values that apply to ``relpath``, merged as Jekyll 4 merges them.

        A scope applies when its ``type`` (if any) is the file's type and its ``path`` is empty,
        a prefix of the file's path (Jekyll compares strings: ``_people`` also covers
        ``_people2/``), or a glob matching the file or a folder above it. Sets are taken in
        order; a set whose scope path is longer than the last winning one (or as long and with
        a ``type``) overrides it, else it only fills keys not set yet. Nested mappings merge.
        Departure: a glob scope is matched against the file and its folders, where Jekyll globs
        the disk and compares prefixes as strings.
        """
        kind = self.type_of(relpath)
        if kind is None:
            return {}
        path = relpath.lstrip("/")
        split = self._split(path)
        doc_path = path
        if split is not None and self.collections_dir:
            doc_path = path[len(self.collections_dir) + 1 :]
        merged: dict[str, Any] = {}
        winner: DefaultsSet | None = None
        for entry in self.defaults:
            if entry.has_type and entry.type != kind:
                continue
            if not self._scope_applies(entry.path, path, doc_path):
                continue
            if _has_precedence(winner, entry):
                merged = _merge(merged, entry.values)
                winner = entry
            else:
                merged = _merge(entry.values, merged)
        return merged

    def _strip_collections_dir(self, path: str) -> str:
        prefix = f"{self.collections_dir}/"
        if self.collections_dir and path.startswith(prefix):
            return path[len(prefix) :]
        return path

    def _scope_applies(self, scope: str | None, path: str, doc_path: str) -> bool:
        if not scope:
            return True
        scope = scope.lstrip("/")
        if "*" not in scope:
            return doc_path.startswith(self._strip_collections_dir(scope))
        regex = _glob_regex(scope)
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            candidate = "/".join(parts[:i])
            if regex.match(candidate) and doc_path.startswith(
                self._strip_collections_dir(candidate)
            ):
                return True
        return False

    def _included(self, entry: str) -> bool:
        match = _matcher(self.include)
        return match(entry) or match(entry.rsplit("/", 1)[-1])

    def _rejected(self, entry: str, relative: str) -> bool:
        """Jekyll's ``EntryFilter#filter`` for one entry (``relative``: from the root)."""
        if entry.endswith("."):
            return True
        included = self._included(entry)
        if not included and _matcher(self.exclude, self.include)(relative):
            return True
        if included:
            return False
        return _is_special(entry) or _is_special(entry.rsplit("/", 1)[-1])

    def is_excluded(self, relpath: str) -> bool:
        """Whether Jekyll skips ``relpath``: a file of a collection is checked as one entry
        (its path inside the collection folder); other files, and files of the data folder,
        folder by folder from the root. An ``include`` entry wins over the underscore and dot
        rules and over ``exclude``. Files of the data folder count as part of the site.
        Departure: Jekyll reads no ``.md`` file of ``_data``; this library checks them."""
        path = relpath.lstrip("/")
        if path in CONFIG_NAMES:
            return True
        split = self._split(path)
        if split is not None:
            rest = split[2]
            return self._rejected(rest, path)
        parts = path.split("/")
        start = 0
        if self.in_data(path):
            start = len(self.data_dir.split("/"))
        for i in range(start, len(parts)):
            if self._rejected(parts[i], "/".join(parts[: i + 1])):
                return True
        return False

    # -- references -----------------------------------------------------------------------------

    def _content_folders(self) -> Iterator[tuple[str | None, str]]:
        """``(label, folder)`` of each collection, then ``(None, data folder)``."""
        for collection in self.collections:
            yield collection.label, collection.folder
        yield None, self.data_dir

    def reference_keys(self, relpath: str) -> tuple[str, ...]:
        """The references that name ``relpath``: its path inside its collection (or the data
        folder) without the extension, and the same with the collection's label in front
        (``('videos/x', 'learning/videos/x')`` for ``_learning/videos/x.md``)."""
        path = relpath.lstrip("/")
        stem, dot, suffix = path.rpartition(".")
        if not dot or f".{suffix}" not in DOCUMENT_SUFFIXES:
            return ()
        split = self._split(path)
        if split is not None:
            label, folder, _ = split
            inner = stem[len(folder) + 1 :]
            return (inner, f"{label}/{inner}")
        if self.in_data(path):
            return (stem[len(self.data_dir) + 1 :],)
        return ()

    def candidates(self, reference: str) -> list[str]:
        """Where a reference is looked for: relative paths, in order, whether they exist or not
        (each collection folder and the data folder, each extension of
        :data:`DOCUMENT_SUFFIXES`; a reference with one of them is looked for as given)."""
        ref = reference.strip().strip("/")
        if not ref or ".." in ref.split("/"):
            return []
        stems: list[str] = []
        for label, folder in self._content_folders():
            stems.append(f"{folder}/{ref}")
            head, sep, rest = ref.partition("/")
            if label is not None and sep and head == label and rest:
                stems.append(f"{folder}/{rest}")
        has_suffix = ref.endswith(DOCUMENT_SUFFIXES)
        out: list[str] = []
        for stem in stems:
            if has_suffix:
                out.append(stem)
            else:
                out.extend(stem + suffix for suffix in DOCUMENT_SUFFIXES)
        return list(dict.fromkeys(out))

    def resolve(self, reference: str) -> list[Path]:
        """The files (absolute paths) that the reference names, such as ``videos/<slug>``."""
        return [self.root / c for c in self.candidates(reference) if (self.root / c).is_file()]


def _has_precedence(old: DefaultsSet | None, new: DefaultsSet) -> bool:
    """Jekyll's ``FrontmatterDefaults#has_precedence?``."""
    if old is None:
        return True
    new_path = (new.path or "").rstrip("/")
    old_path = (old.path or "").rstrip("/")
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    if new.has_type:
        return True
    return not old.has_type


_DEPRECATED_TYPES = {"page": "pages", "post": "posts", "draft": "drafts"}


def _defaults(data: Mapping[str, Any], where: _Locator) -> tuple[DefaultsSet, ...]:
    raw = data.get("defaults")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise where.error(("defaults",), "`defaults` must be a list of scope/values sets.")
    sets: list[DefaultsSet] = []
    for index, entry in enumerate(raw):
        # Jekyll skips (with a warning) a set whose values are not a mapping.
        if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping):
            continue
        scope = entry.get("scope")
        if scope is None:
            scope = {}
        if not isinstance(scope, Mapping):
            raise where.error(("defaults", index, "scope"), "A scope must be a mapping.")
        path = scope.get("path")
        has_type = "type" in scope
        kind = scope.get("type")
        kind = None if kind is None else str(kind)
        kind = _DEPRECATED_TYPES.get(kind, kind) if kind is not None else None
        if kind == "drafts":
            kind = "posts"
        sets.append(
            DefaultsSet(
                path=path if isinstance(path, str) else None,
                type=kind,
                values=entry["values"],
                has_type=has_type,
            )
        )
    return tuple(sets)


def _folder_setting(data: Mapping[str, Any], key: str, default: str, where: _Locator) -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise where.error((key,), f"`{key}` must be a folder name.")
    return value.strip().strip("/").removeprefix("./")


def _string_list(data: Mapping[str, Any], key: str, where: _Locator) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise where.error((key,), f"`{key}` must be a list of paths or globs.")
    out: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            raise where.error((key, index), f"An `{key}` entry must be a path or a glob.")
        out.append(str(item))
    return tuple(out)


def _error(
    file: Path | None, message: str, line: int = 1, column: int = 1, pointer: str = "$"
) -> SiteConfigError:
    problem = SITE_CONFIG.problem(
        message,
        pointer=pointer,
        line=line,
        column=column,
        file=str(file) if file is not None else None,
    )
    return SiteConfigError([problem])


def _pointer(path: Sequence[str | int]) -> str:
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


class _Locator:
    """Finds the line and column of a key path in the composed YAML of the configuration."""

    def __init__(self, file: Path | None, node: Any) -> None:
        self.file = file
        self.node = node

    def position(self, path: Sequence[str | int]) -> tuple[int, int]:
        node = self.node
        line, column = 1, 1
        if node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        for part in path:
            child = None
            if isinstance(part, str) and getattr(node, "id", None) == "mapping":
                for key, value in node.value:
                    if getattr(key, "value", None) == part:
                        child = value
                        line, column = key.start_mark.line + 1, key.start_mark.column + 1
            elif (
                isinstance(part, int)
                and getattr(node, "id", None) == "sequence"
                and part < len(node.value)
            ):
                child = node.value[part]
                line, column = child.start_mark.line + 1, child.start_mark.column + 1
            if child is None:
                break
            node = child
        return line, column

    def error(self, path: Sequence[str | int], message: str) -> SiteConfigError:
        line, column = self.position(path)
        return _error(self.file, message, line, column, _pointer(path))


def _read_yaml(file: Path, text: str) -> tuple[Any, Any]:
    """The configuration's data (YAML 1.1 as Jekyll reads it) and its composed node tree."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    def reader() -> YAML:
        yaml = YAML(typ="safe", pure=True)
        yaml.version = (1, 1)
        return yaml

    try:
        yaml = reader()
        node = yaml.compose(text)
        if node is None:
            return None, None
        _last_wins(node)
        data = SafeConstructor(loader=yaml).construct_document(node)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        reason = exc.problem or exc.context or "invalid YAML"
        raise _error(
            file, f"The site configuration is not valid YAML: {reason}.", line, column
        ) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise _error(file, f"The site configuration is not valid YAML: {exc}.") from None
    return data, node


def _last_wins(root: Any) -> None:
    """Keep the last value of a repeated key, at the place of the first, as Psych does."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.id == "mapping":
            kept: dict[tuple[str, str], int] = {}
            pairs: list[Any] = []
            for key, value in node.value:
                ident = (key.tag, key.value) if key.id == "scalar" else ("", str(id(key)))
                if ident in kept:
                    pairs[kept[ident]] = (pairs[kept[ident]][0], value)
                else:
                    kept[ident] = len(pairs)
                    pairs.append((key, value))
            node.value = pairs
            stack.extend(v for pair in pairs for v in pair)
        elif node.id == "sequence":
            stack.extend(node.value)
