"""Benchmark job: set ``published: false`` in every file that has the key, in place.

Usage: ``python benchmarks/_bulk_edit.py newsmodel|ruamel FOLDER``. Run it on a COPY: it
rewrites files. Both modes read and parse every file and rewrite the ones that have
``published``; both print one JSON line (``edited`` = files written, ``problems`` = files
that did not parse).

- ``newsmodel``: ``nm.load`` -> ``attrs.evolve(article, published=False)`` -> ``nm.dump``
  (``nm.dump`` writes atomically: temporary file, fsync, rename).
- ``ruamel``: what a user would write without this project: split the front matter with a
  regular expression, ruamel.yaml round-trip (``preserve_quotes``, ``width=10**9``,
  ``indent(mapping=2, sequence=4, offset=2)``), set the key, dump, write the file back
  (keeping the file's CRLF line endings, so they do not count as changed lines).
"""

from __future__ import annotations

import io
import re
import sys
import time
from pathlib import Path

from _common import files_of, report

__all__ = ["main"]

FRONT = re.compile(r"\A---\r?\n(.*?\r?\n)---\r?\n(.*)\Z", re.S)


def _newsmodel(paths: list[Path]) -> tuple[int, int]:
    import attrs

    import newsmodel as nm

    edited = problems = 0
    for path in paths:
        try:
            doc = nm.load(path)
        except nm.DocumentError:
            problems += 1
            continue
        if doc.article.published is None:
            continue
        doc.article = attrs.evolve(doc.article, published=False)
        nm.dump(doc, path)
        edited += 1
    return edited, problems


def _ruamel(paths: list[Path]) -> tuple[int, int]:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 10**9
    yaml.indent(mapping=2, sequence=4, offset=2)
    edited = problems = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        match = FRONT.match(text)
        if not match:
            problems += 1
            continue
        data = yaml.load(match.group(1))
        if not isinstance(data, dict) or "published" not in data:
            continue
        data["published"] = False
        out = io.StringIO()
        yaml.dump(data, out)
        newline = "\r\n" if text.startswith("---\r\n") else "\n"
        front = out.getvalue()
        if newline != "\n":
            front = front.replace("\n", newline)
        path.write_bytes(f"---{newline}{front}---{newline}{match.group(2)}".encode())
        edited += 1
    return edited, problems


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("newsmodel", "ruamel"):
        print("usage: _bulk_edit.py newsmodel|ruamel FOLDER", file=sys.stderr)
        return 2
    mode, folder = argv
    t0 = time.perf_counter()
    paths = files_of([folder])
    edited, problems = (_newsmodel if mode == "newsmodel" else _ruamel)(paths)
    secs = time.perf_counter() - t0
    report(f"bulk-edit-{mode}", len(paths), secs, edited=edited, problems=problems)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
