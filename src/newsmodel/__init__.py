"""newsmodel: typed, lossless reading, editing and validation of news-article Markdown files.

``import newsmodel`` is cheap: the public names are imported on first use (PEP 562), so a
command that needs only the version, or only the YAML layer, does not pay for the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .converter import structure, unstructure
    from .document import Document, dump, dumps, load, loads
    from .errors import (
        DocumentError,
        FrontMatterError,
        MissingFileError,
        ModelValueError,
        NewsModelError,
        StructureError,
        UnwritableError,
        YAMLError,
    )
    from .model import Action, Article, Author, Image, Provider, Ratings, Related
    from .problems import Problem, format_problem
    from .validation import check_file, check_text, validate

_WHERE = {
    "structure": "converter",
    "unstructure": "converter",
    "Document": "document",
    "dump": "document",
    "dumps": "document",
    "load": "document",
    "loads": "document",
    "DocumentError": "errors",
    "FrontMatterError": "errors",
    "MissingFileError": "errors",
    "ModelValueError": "errors",
    "NewsModelError": "errors",
    "StructureError": "errors",
    "UnwritableError": "errors",
    "YAMLError": "errors",
    "Action": "model",
    "Article": "model",
    "Author": "model",
    "Image": "model",
    "Provider": "model",
    "Ratings": "model",
    "Related": "model",
    "Problem": "problems",
    "format_problem": "problems",
    "check_file": "validation",
    "check_text": "validation",
    "validate": "validation",
}

__all__ = [
    "Action",
    "Article",
    "Author",
    "Document",
    "DocumentError",
    "FrontMatterError",
    "Image",
    "MissingFileError",
    "ModelValueError",
    "NewsModelError",
    "Problem",
    "Provider",
    "Ratings",
    "Related",
    "StructureError",
    "UnwritableError",
    "YAMLError",
    "__version__",
    "check_file",
    "check_text",
    "dump",
    "dumps",
    "format_problem",
    "load",
    "loads",
    "structure",
    "unstructure",
    "validate",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'newsmodel' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
