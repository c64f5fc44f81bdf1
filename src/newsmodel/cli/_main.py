"""Argument parsing and dispatch. Exit status: 0 valid, 1 invalid, 2 usage error or failure."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .._version import __version__

__all__ = ["main", "run"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsmodel",
        description="Check and fix Markdown article files with YAML front matter.",
    )
    parser.add_argument("--version", action="version", version=f"newsmodel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="check files and folders of article files")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    return parser


def _files(paths: Sequence[str]) -> Iterator[str]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.endswith(".md"):
                        yield os.path.join(folder, name)
        else:
            yield raw


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (without the program name); return the exit status."""
    from ..problems import format_problem
    from ..validate import check_file

    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if args.command != "check":
        parser.print_help(sys.stderr)
        return 2
    errors = 0
    for file in _files(args.paths):
        for problem in check_file(file):
            errors += problem.is_error
            print(format_problem(problem, location=True))
    return 1 if errors else 0


def main() -> int:
    """The console script: ``run(sys.argv[1:])``."""
    return run(sys.argv[1:])
