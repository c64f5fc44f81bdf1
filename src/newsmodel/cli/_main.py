"""Argument parsing and dispatch.

Exit status: 0 no errors (warnings allowed unless ``--strict``), 1 errors found, 2 usage error
or the tool itself failed. No command ever ends in a traceback: an unexpected exception is one
line on stderr and exit 2 (the traceback too with ``-v``).

This module stays light: the validation machinery (cattrs, ruamel.yaml, the rules) is imported
only inside the command that needs it, so ``newsmodel --version`` and ``--help`` are instant.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from .._version import __version__

__all__ = ["main", "run"]

FORMATS = ("text", "json", "github", "sarif", "junit")

_CHECK_EXAMPLES = """\
examples:
  newsmodel check                          check every article file below the current folder
  newsmodel check content/ extra.md        check a folder and a file
  newsmodel check --format github .        annotations in a GitHub Actions job
  newsmodel check --format sarif -o newsmodel.sarif .   for code scanning
  newsmodel check --format junit -o report.xml .        for a GitLab CI test report
  newsmodel check --select NM2,NM3 --ignore NM301 .     only URL and AMP rules, but not NM301
  newsmodel check --now 2021-07-01T00:00:00Z -j 4 .     reproducible run on 4 processes

exit status: 0 no errors (warnings allowed unless --strict), 1 errors found,
2 usage error or the tool failed.
"""

_FIX_EXAMPLES = """\
examples:
  newsmodel fix content/                   fix every article file in place
  newsmodel fix --diff content/            show the fixes as a unified diff, write nothing
  newsmodel fix --check content/           exit 1 if anything would be fixed

fixes: URLs lose the whitespace around them, provider.domain is lower-cased, cdnAmpWebUrl is
recomputed from ampWebUrl (top level and in related[]). Only the fixed lines change.

exit status: 0 done (or nothing to fix), 1 something would be fixed (--check) or a file does
not load, 2 usage error or a file was refused (it changed on disk, or the fix did not read back).
"""

_SCHEMA_EXAMPLES = """\
examples:
  newsmodel schema > newsmodel.schema.json
  newsmodel schema -o .vscode/newsmodel.schema.json

The schema is generated from the model (JSON Schema draft 2020-12); timestamps are strings in
date-time format. See docs/ci.md for the VS Code (YAML extension) set-up.
"""


class _UsageError(Exception):
    """A bad argument: a one-line message and exit 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that never takes an abbreviation of a long option (``--form`` is
    not ``--format``) and says which option was meant when one is unknown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.commands: dict[str, _Parser] = {}

    def unknown(self, extras: Sequence[str]) -> None:
        """Exit 2 with this parser's usage and the unknown arguments ``extras``."""
        import difflib

        message = f"unrecognized arguments: {' '.join(extras)}"
        options = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
        for extra in extras:
            name = extra.split("=", 1)[0]
            if name.startswith("--"):
                close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
                if close:
                    message += f" (did you mean {close[0]}?)"
                    break
        self.error(message)


def _parser() -> _Parser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="newsmodel",
        description="Check and fix Markdown article files with YAML front matter.",
        epilog="Run 'newsmodel COMMAND --help' for the options and examples of each command.",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"newsmodel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    common = _Parser(add_help=False)
    common.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="files and folders (default: .)"
    )
    common.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders matching GLOB (repeatable; added to the config's exclude)",
    )
    common.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links to folders (by default they are not followed)",
    )
    common.add_argument(
        "--config",
        metavar="FILE",
        help="read [tool.newsmodel] from FILE instead of the nearest pyproject.toml",
    )
    common.add_argument(
        "--isolated", action="store_true", help="ignore every pyproject.toml ([tool.newsmodel])"
    )
    common.add_argument("-q", "--quiet", action="store_true", help="print less")
    common.add_argument(
        "-v", "--verbose", action="store_true", help="print more (and tracebacks of failures)"
    )

    check = sub.add_parser(
        "check",
        parents=[common],
        help="check files and folders of article files",
        description="Check article files: reading, YAML, types and every rule.",
        epilog=_CHECK_EXAMPLES,
        formatter_class=formatter,
    )
    check.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    check.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: the number of CPUs; 1 checks in-process)",
    )
    check.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="report only these codes or prefixes, comma separated (repeatable)",
    )
    check.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="never report these codes or prefixes, comma separated (repeatable)",
    )
    check.add_argument(
        "--now",
        metavar="TIMESTAMP",
        help="the current time for date rules, ISO 8601 (for reproducible runs)",
    )
    check.add_argument("--strict", action="store_true", help="warnings fail the run too")
    check.add_argument("--statistics", action="store_true", help="print the counts per code")
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report (default: auto, on a terminal without NO_COLOR)",
    )
    check.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the results cache (.newsmodel_cache at the project root)",
    )
    check.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="keep the results cache in DIR (default: $NEWSMODEL_CACHE_DIR, else "
        ".newsmodel_cache in the folder of the nearest pyproject.toml or _config.yml)",
    )

    fix = sub.add_parser(
        "fix",
        parents=[common],
        help="apply the safe automatic fixes",
        description="Apply the safe automatic fixes, changing only the fixed lines.",
        epilog=_FIX_EXAMPLES,
        formatter_class=formatter,
    )
    fix.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fix.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything would change"
    )

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of the front matter",
        description="Print the JSON Schema (draft 2020-12) of the front matter, from the model.",
        epilog=_SCHEMA_EXAMPLES,
        formatter_class=formatter,
    )
    schema.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE")
    schema.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)

    lsp = sub.add_parser(
        "lsp",
        help="run the language server (LSP over stdio) for editors",
        description=(
            "Run the newsmodel language server over stdio: diagnostics as you type, quick "
            "fixes, hover and completion in any editor with an LSP client. Needs the extra "
            "newsmodel-frontmatter[lsp]."
        ),
        epilog="See docs/editors.md for VS Code, Neovim, Helix and Emacs.",
        formatter_class=formatter,
    )
    lsp.add_argument(
        "--stdio", action="store_true", help="talk over stdin/stdout (the default and only way)"
    )
    lsp.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    parser.commands.update(check=check, fix=fix, schema=schema, lsp=lsp)
    return parser


def _parse_now(value: str | None) -> Any:
    if value is None:
        return None
    import datetime as dt

    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        now = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            now = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        except ValueError:
            raise _UsageError(
                f"--now: {value!r} is not an ISO 8601 timestamp (such as 2021-07-01T00:00:00Z)"
            ) from None
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    return now


def _jobs(value: int | None) -> int:
    if value is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not Linux
            return max(1, os.cpu_count() or 1)
    if value < 1:
        raise _UsageError(f"--jobs: must be 1 or more, not {value}")
    return value


def _check_paths(paths: Sequence[str]) -> None:
    for path in paths:
        if not os.path.isfile(path) and not os.path.isdir(path):
            reason = "is a broken symbolic link" if os.path.islink(path) else "does not exist"
            if os.path.exists(path):
                reason = "is neither a file nor a folder"
            raise _UsageError(f"{path}: {reason}")


def _config(args: argparse.Namespace, ignore: tuple[str, ...] = ()) -> Any:
    from ..config import Config, load_config

    config = Config() if args.isolated else load_config(args.paths, config=args.config)
    return config.with_options(exclude=args.exclude, ignore=ignore)


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
        return
    try:
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        fh = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    except OSError as exc:
        raise _UsageError(f"--output: {path}: {exc.strerror or exc}") from None
    with fh:
        yield fh


def _color(choice: str, out: TextIO, to_file: bool) -> bool:
    if choice != "auto":
        return choice == "always"
    if to_file or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(out, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


def _cache_dir(args: argparse.Namespace) -> str | None:
    """Where the results cache is (``None`` with ``--no-cache``)."""
    if args.no_cache:
        return None
    from ..cache import CACHE_DIR_NAME, ENV_VAR, find_project_root

    chosen = args.cache_dir or os.environ.get(ENV_VAR)
    if chosen:
        return str(chosen)
    return str(find_project_root(args.paths) / CACHE_DIR_NAME)


def _cmd_check(args: argparse.Namespace) -> int:
    from ..config import parse_codes
    from ._check import run_check

    _check_paths(args.paths)
    now = _parse_now(args.now)
    jobs = _jobs(args.jobs)
    if args.quiet and args.verbose:
        raise _UsageError("-q and -v cannot be used together")
    select_cli = parse_codes(args.select, "--select")
    ignore_cli = parse_codes(args.ignore, "--ignore")
    config = _config(args, ignore_cli)
    select = select_cli or config.select
    if args.verbose and config.source is not None:
        sys.stderr.write(f"newsmodel: settings from {config.source}\n")
    with _output(args.output) as out:
        color = args.format == "text" and _color(args.color, out, args.output is not None)
        progress = (
            args.format == "text"
            and not args.no_progress
            and not args.quiet
            and sys.stderr.isatty()
        )
        return run_check(
            paths=args.paths,
            config=config,
            select=select,
            now=now,
            jobs=jobs,
            fmt=args.format,
            out=out,
            color=color,
            quiet=args.quiet,
            verbose=args.verbose,
            strict=args.strict,
            statistics=args.statistics,
            follow_symlinks=args.follow_symlinks,
            progress=progress,
            cache_dir=_cache_dir(args),
        )


def _cmd_fix(args: argparse.Namespace) -> int:
    from ._fix import run_fix

    _check_paths(args.paths)
    if args.quiet and args.verbose:
        raise _UsageError("-q and -v cannot be used together")
    return run_fix(
        paths=args.paths,
        config=_config(args),
        diff=args.diff,
        check=args.check,
        quiet=args.quiet,
        verbose=args.verbose,
        follow_symlinks=args.follow_symlinks,
        out=sys.stdout,
    )


def _cmd_schema(args: argparse.Namespace) -> int:
    from ..schema import schema_text

    text = schema_text()
    with _output(args.output) as out:
        out.write(text)
    return 0


def _cmd_lsp(args: argparse.Namespace) -> int:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        from ..lsp import LSP_EXTRA_MISSING

        raise _UsageError(LSP_EXTRA_MISSING) from None
    from ..lsp import serve

    return serve()


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (without the program name); return the exit status."""
    parser = _parser()
    try:
        args, extras = parser.parse_known_args(argv)
        if extras:
            # An unknown option of a command: that command's usage, not the top level's.
            parser.commands.get(args.command or "", parser).unknown(extras)
    except SystemExit as exc:
        return 0 if exc.code in (0, None) else 2
    commands = {"check": _cmd_check, "fix": _cmd_fix, "schema": _cmd_schema, "lsp": _cmd_lsp}
    command = commands.get(args.command)
    if command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return command(args)
    except _UsageError as exc:
        sys.stderr.write(f"newsmodel {args.command}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("newsmodel: interrupted\n")
        return 2
    except BrokenPipeError:
        # the reader went away (``newsmodel check | head``): nothing more to say
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 2
    except Exception as exc:
        from ..errors import NewsModelError

        if isinstance(exc, NewsModelError):
            sys.stderr.write(f"newsmodel {args.command}: error: {exc}\n")
        else:
            sys.stderr.write(
                f"newsmodel {args.command}: internal error: {type(exc).__name__}: {exc}"
                + ("" if args.verbose else " (run with -v for the traceback)")
                + "\n"
            )
        if getattr(args, "verbose", False):
            traceback.print_exc(file=sys.stderr)
        return 2


def main() -> int:
    """The console script: ``run(sys.argv[1:])``."""
    return run(sys.argv[1:])
