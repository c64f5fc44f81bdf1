"""The ``newsmodel`` command line: a pure ``run(argv) -> int`` behind a thin ``main``."""

from __future__ import annotations

from ._main import main, run

__all__ = ["main", "run"]
