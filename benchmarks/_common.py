"""Shared helpers for the benchmark jobs: the file list, exactly as the baselines walk it."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["files_of", "report"]


def files_of(args: list[str]) -> list[Path]:
    """Every ``*.md`` below each folder (sorted, ``README.md`` left out), or the file itself.

    The same walk as ``../shared/bench/baseline.py``, so every side does the same files.
    """
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            out.extend(sorted(q for q in path.rglob("*.md") if q.name != "README.md"))
        else:
            out.append(path)
    return out


def report(mode: str, files: int, seconds: float, **extra: int) -> None:
    """Print one JSON line in the baselines' format (plus ``extra`` counters)."""
    line: dict[str, object] = {
        "mode": mode,
        "files": files,
        "seconds": round(seconds, 3),
        "files_per_s": round(files / seconds, 1) if seconds else None,
    }
    line.update(extra)
    print(json.dumps(line))
