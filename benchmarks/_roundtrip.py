"""Benchmark job: ``nm.loads`` + ``nm.dumps`` of every file (the model's load + dump).

Usage: ``python benchmarks/_roundtrip.py PATH...``. Prints one JSON line like the baselines,
with ``problems`` (files that did not load) and ``mismatches`` (dumps != the file's text).
The timer starts before ``import newsmodel``, so the library's import is part of the job.
"""

from __future__ import annotations

import sys
import time

from _common import files_of, report

__all__ = ["main"]


def main(argv: list[str]) -> int:
    paths = files_of(argv)
    t0 = time.perf_counter()
    import newsmodel as nm

    problems = mismatches = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        try:
            doc = nm.loads(text, path=path)
        except nm.DocumentError:
            problems += 1
            continue
        mismatches += nm.dumps(doc) != text
    secs = time.perf_counter() - t0
    report("newsmodel-roundtrip", len(paths), secs, problems=problems, mismatches=mismatches)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
