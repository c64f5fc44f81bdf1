"""Settings from the ``[tool.newsmodel]`` table of the nearest ``pyproject.toml``.

.. code-block:: toml

    [tool.newsmodel]
    select = ["NM"]                  # codes or code prefixes to report (default: all)
    ignore = ["NM503"]               # codes or code prefixes never reported
    exclude = ["drafts", "archive/**"]   # globs of files and folders never checked
    per-file-ignores = { "legacy/*.md" = ["NM2"] }
    kinds = { podcast = "mysite.kinds:Podcast" }   # kinds of your own: name = "module:attr"
    folders = { "_podcasts" = "podcast" }          # globs of files and folders -> their kind

Globs without a ``/`` match a file or folder name anywhere (``drafts`` skips every folder
called ``drafts``); globs with a ``/`` match the path relative to the folder of the
``pyproject.toml`` (``archive/**``). The nearest ``pyproject.toml`` is the first one with a
``[tool.newsmodel]`` table found going up from the folder of the paths given.

``kinds`` registers kinds of your own (an ``Item`` class or a :class:`newsmodel.kinds.Kind`);
``folders`` says which kind the files of a folder are (globs as ``exclude`` takes them), where a
file's ``type`` does not say it (see :mod:`newsmodel.kinds`).
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from .errors import NewsModelError

__all__ = [
    "CODE_PATTERN",
    "Config",
    "ConfigError",
    "find_pyproject",
    "load_config",
    "matches_glob",
    "parse_codes",
    "read_config",
]

CODE_PATTERN = re.compile(r"^NM\d{0,3}$")
"""A code (``NM201``) or a code prefix (``NM2``, ``NM``) as ``select``/``ignore`` take them."""

_KEYS = ("select", "ignore", "exclude", "per-file-ignores", "kinds", "folders")


class ConfigError(NewsModelError):
    """A ``[tool.newsmodel]`` table or a command-line option that cannot be used."""


@attrs.frozen(kw_only=True)
class Config:
    """The settings that apply to a run (defaults: every code, nothing excluded)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: Path = attrs.field(factory=Path.cwd)
    """The folder relative globs are matched against (that of the ``pyproject.toml``)."""
    source: Path | None = None
    """The ``pyproject.toml`` the settings came from (``None`` for the defaults)."""
    cli_exclude: tuple[str, ...] = ()
    """Globs given on the command line (``--exclude``): relative to the current folder."""
    cwd: Path = attrs.field(factory=Path.cwd)
    kinds: tuple[tuple[str, str], ...] = ()
    """Kinds of your own: (name, ``"module:attr"``) pairs."""
    folders: tuple[tuple[str, str], ...] = ()
    """(glob, kind name) pairs: the kind of the files a glob matches."""

    def ignores_for(self, file: str | os.PathLike[str]) -> tuple[str, ...]:
        """``ignore`` plus the per-file ignores whose glob matches ``file``."""
        if not self.per_file_ignores:
            return self.ignore
        extra = [
            code
            for glob, codes in self.per_file_ignores
            if matches_glob(glob, file, self.root)
            for code in codes
        ]
        return self.ignore + tuple(extra)

    def excluded(self, path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` (a file or a folder) matches one of the ``exclude`` globs."""
        if not self.exclude and not self.cli_exclude:
            return False
        return any(matches_glob(glob, path, self.root) for glob in self.exclude) or any(
            matches_glob(glob, path, self.cwd) for glob in self.cli_exclude
        )

    def with_options(self, *, exclude: Sequence[str] = (), ignore: Sequence[str] = ()) -> Config:
        """These settings plus command-line ``--exclude`` globs and ``--ignore`` codes."""
        return attrs.evolve(
            self,
            cli_exclude=self.cli_exclude + tuple(exclude),
            ignore=self.ignore + tuple(ignore),
        )


def parse_codes(values: Iterable[str], what: str) -> tuple[str, ...]:
    """Split comma-separated codes (``"NM2,NM301"``), upper-cased; raise on a bad one."""
    codes: list[str] = []
    for value in values:
        for part in value.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if not CODE_PATTERN.match(code):
                raise ConfigError(
                    f"{what}: {part.strip()!r} is not a code or code prefix (such as NM201 or NM2)"
                )
            codes.append(code)
    return tuple(codes)


def matches_glob(glob: str, path: str | os.PathLike[str], root: Path) -> bool:
    """Whether ``path`` matches ``glob`` (see the module docstring for the two kinds of glob)."""
    pattern = glob.strip().rstrip("/")
    if not pattern:
        return False
    p = Path(path)
    try:
        rel = PurePosixPath(Path(os.path.abspath(p)).relative_to(os.path.abspath(root)).as_posix())
    except ValueError:
        rel = PurePosixPath(p.as_posix())
    if "/" not in pattern:
        return any(
            fnmatch.fnmatchcase(part, pattern) for part in rel.parts if part not in ("/", ".")
        )
    pattern = pattern.removeprefix("./")
    candidates = [str(rel)] + [str(parent) for parent in rel.parents if str(parent) != "."]
    for candidate in candidates:
        if fnmatch.fnmatchcase(candidate, pattern):
            return True
        if pattern.endswith("/**") and fnmatch.fnmatchcase(candidate, pattern[:-3]):
            return True
        if pattern.startswith("**/") and fnmatch.fnmatchcase(candidate, pattern[3:]):
            return True
    return False


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        with open(path, "rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _table(data: Mapping[str, Any]) -> Any:
    tool = data.get("tool")
    return tool.get("newsmodel") if isinstance(tool, Mapping) else None


def find_pyproject(start: str | os.PathLike[str]) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.newsmodel]`` table, going up from ``start``."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            try:
                if _table(_load_toml(path)) is not None:
                    return path
            except ConfigError:
                return path  # a broken file is reported by read_config, not skipped
    return None


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.newsmodel] {key} must be a list of strings")
    return tuple(value)


def _pairs(path: Path, key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{path}: [tool.newsmodel] {key} must be a table of strings")
    return tuple((str(k), v) for k, v in value.items())


def read_config(path: str | os.PathLike[str]) -> Config:
    """The settings of ``[tool.newsmodel]`` in the ``pyproject.toml`` at ``path``."""
    file = Path(path)
    table = _table(_load_toml(file))
    if table is None:
        return Config(root=file.parent.resolve(), source=file)
    if not isinstance(table, Mapping):
        raise ConfigError(f"{file}: [tool.newsmodel] must be a table")
    unknown = sorted(set(table) - set(_KEYS) - {"per_file_ignores"})
    if unknown:
        raise ConfigError(
            f"{file}: unknown [tool.newsmodel] key {unknown[0]!r} (known: {', '.join(_KEYS)})"
        )
    where = f"{file}: [tool.newsmodel]"
    select = (
        parse_codes(_strings(file, "select", table["select"]), f"{where} select")
        if "select" in table
        else None
    )
    ignore = parse_codes(_strings(file, "ignore", table.get("ignore", [])), f"{where} ignore")
    exclude = _strings(file, "exclude", table.get("exclude", []))
    raw_pfi = table.get("per-file-ignores", table.get("per_file_ignores", {}))
    if not isinstance(raw_pfi, Mapping):
        raise ConfigError(f"{where} per-file-ignores must be a table of glob = [codes]")
    pfi = tuple(
        (
            str(glob),
            parse_codes(
                _strings(file, f"per-file-ignores.{glob}", codes),
                f"{where} per-file-ignores {glob!r}",
            ),
        )
        for glob, codes in raw_pfi.items()
    )
    return Config(
        select=select,
        ignore=ignore,
        exclude=exclude,
        per_file_ignores=pfi,
        kinds=_pairs(file, "kinds", table.get("kinds", {})),
        folders=_pairs(file, "folders", table.get("folders", {})),
        root=file.parent.resolve(),
        source=file,
    )


def load_config(
    paths: Sequence[str | os.PathLike[str]] = (), *, config: str | os.PathLike[str] | None = None
) -> Config:
    """The settings for a run over ``paths``: those of ``config`` if given, else of the nearest
    ``pyproject.toml`` above the paths' common folder (or the current folder), else defaults."""
    if config is not None:
        return read_config(config)
    start: str
    if paths:
        absolute = [os.path.abspath(p) for p in paths]
        try:
            start = os.path.commonpath(absolute)
        except ValueError:
            start = os.getcwd()
    else:
        start = os.getcwd()
    found = find_pyproject(start)
    return read_config(found) if found is not None else Config()
