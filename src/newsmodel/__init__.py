"""newsmodel: typed, lossless reading, editing and validation of news-article Markdown files.

>>> import newsmodel as nm
>>> doc = nm.loads(text)                      # doctest: +SKIP
>>> doc.article.title                         # doctest: +SKIP
"""

from __future__ import annotations

from ._version import __version__
from .converter import structure, unstructure
from .document import Document, dump, dumps, load, loads
from .errors import DocumentError, FrontMatterError, NewsModelError, StructureError, YAMLError
from .model import Action, Article, Author, Image, Provider, Ratings, Related
from .problems import Problem, format_problem
from .validate import check_file, check_text, validate

__all__ = [
    "Action",
    "Article",
    "Author",
    "Document",
    "DocumentError",
    "FrontMatterError",
    "Image",
    "NewsModelError",
    "Problem",
    "Provider",
    "Ratings",
    "Related",
    "StructureError",
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
