"""MkDocs hooks: the reference pages are generated from the code at build time, never retyped.

Markers in a page's Markdown are replaced with generated text:

* ``<!-- newsmodel:format -->``: the format reference, from :mod:`newsmodel.model` (every attrs
  field of every kind's class, its file key from ``metadata["key"]``, its type, whether it is
  required, what it means, and which kinds of :mod:`newsmodel.kinds` require it or use it in
  ``examples/``);
* ``<!-- newsmodel:item-kinds -->``: every kind, what names it and the keys it requires;
* ``<!-- newsmodel:rules -->``: the rules reference, from :func:`newsmodel.rules.all_rules` plus
  the reading codes of the parser and the converter, each with a real message;
* ``<!-- newsmodel:cli -->``: the CLI reference, walked from the ``argparse`` parser that
  ``newsmodel.cli._main._parser()`` returns;
* ``<!-- newsmodel:output LANG -->`` right after a ```` ```python ```` block: the block's
  standard output when the page's blocks are run in order (in a temporary folder holding a copy
  of ``examples/``), as a ```` ```LANG ```` block. The before/after diffs are made this way.

``docs/rules.md`` and ``docs/cli.md`` always hold the rules and the CLI reference: where such a
page has no marker for it, the reference is appended at its end (see ``REQUIRED``).

The functions are plain and importable (``tests/test_docs.py`` checks them); nothing here needs
the network.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import inspect
import io
import os
import posixpath
import re
import shutil
import tempfile
import textwrap
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

__all__ = [
    "EXAMPLES",
    "ROOT",
    "cli_reference",
    "find_parser",
    "format_reference",
    "in_examples_folder",
    "item_kinds_reference",
    "on_config",
    "on_page_markdown",
    "parser_code_examples",
    "python_blocks",
    "render_outputs",
    "rst_to_markdown",
    "rule_examples",
    "rules_reference",
    "site_config_example",
    "splice",
]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

MARKER = re.compile(r"<!--\s*newsmodel:(?P<name>[a-z-]+)(?:\s+(?P<arg>[^>]*?))?\s*-->")
FENCE = re.compile(
    r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n"
    r"(?P<code>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)

SKIP_INFO = re.compile(
    r"^(?P<open>[ ]*(?:`{3,}|~{3,})[ \t]*(?:python|py))[ \t]+skip-test[ \t]*$", re.M
)

# -- running the examples ---------------------------------------------------------------------


@attrs.frozen
class Block:
    """A ```` ```python ```` block of a page: its code, where it starts, whether to skip it."""

    code: str
    line: int
    start: int
    end: int
    skip: bool


def python_blocks(markdown: str) -> list[Block]:
    """The ```` ```python ```` blocks of a Markdown text, in order.

    A block is skipped when its info string says ``skip-test`` (```` ```python skip-test ````)
    or its first line is ``# doctest: +SKIP``.
    """
    blocks = []
    for m in FENCE.finditer(markdown):
        words = m.group("info").split()
        if not words or words[0] not in ("python", "py"):
            continue
        code = textwrap.dedent(m.group("code"))
        first = code.lstrip("\n").split("\n", 1)[0].strip()
        skip = "skip-test" in words[1:] or first.replace(" ", "") == "#doctest:+SKIP"
        line = markdown.count("\n", 0, m.start()) + 1
        blocks.append(Block(code=code, line=line, start=m.start(), end=m.end(), skip=skip))
    return blocks


@contextlib.contextmanager
def in_examples_folder() -> Iterator[Path]:
    """Change into a new temporary folder that holds a copy of ``examples/``; undo on exit."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="newsmodel-docs-") as tmp:
        shutil.copytree(EXAMPLES, Path(tmp) / "examples")
        os.chdir(tmp)
        try:
            yield Path(tmp)
        finally:
            os.chdir(old)


def _run_blocks(blocks: list[Block], where: str) -> list[str]:
    """Run the blocks in one namespace; return each block's standard output."""
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    outputs = []
    with in_examples_folder():
        for block in blocks:
            if block.skip:
                outputs.append("")
                continue
            out = io.StringIO()
            # dont_inherit: run as a reader runs it, without this module's ``__future__``
            code = compile(block.code, f"{where}:{block.line}", "exec", dont_inherit=True)
            with contextlib.redirect_stdout(out):
                exec(code, namespace)
            outputs.append(out.getvalue())
    return outputs


def render_outputs(markdown: str, where: str = "<page>") -> str:
    """Replace each ``<!-- newsmodel:output LANG -->`` with the output of the block before it."""
    if "newsmodel:output" not in markdown:
        return markdown
    blocks = python_blocks(markdown)
    outputs = _run_blocks(blocks, where)
    pieces = []
    pos = 0
    for m in MARKER.finditer(markdown):
        if m.group("name") != "output":
            continue
        before = [i for i, b in enumerate(blocks) if b.end <= m.start()]
        if not before or markdown[blocks[before[-1]].end : m.start()].strip():
            raise ValueError(
                f"{where}: <!-- newsmodel:output --> must follow a ```python block directly"
            )
        out = outputs[before[-1]].rstrip("\n")
        lang = (m.group("arg") or "text").strip()
        fence = "````" if "```" in out else "```"
        pieces.append(markdown[pos : m.start()])
        pieces.append(f"{fence}{lang}\n{out}\n{fence}")
        pos = m.end()
    pieces.append(markdown[pos:])
    return "".join(pieces)


# -- the format reference -----------------------------------------------------------------------


def _models() -> list[type[Any]]:
    """The item class of every built-in kind (in the registry's order), then the others."""
    from newsmodel import kinds, model

    order: list[type[Any]] = []
    for kind in kinds.builtin_kinds():
        if kind.cls not in order:
            order.append(kind.cls)
    for cls in model.MODELS:
        if cls not in order:
            order.append(cls)
    return order


_PY_TYPES: dict[Any, str] = {dt.datetime: "datetime"}


def _union_args(tp: Any) -> tuple[Any, ...] | None:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return typing.get_args(tp)
    return None


def _py_type(tp: Any) -> str:
    """``tuple[Image, ...] | None`` as written in the model."""
    args = _union_args(tp)
    if args is not None:
        return " | ".join(_py_type(a) for a in args)
    if tp is type(None):
        return "None"
    origin = typing.get_origin(tp)
    if origin is not None:
        inner = ", ".join("..." if a is Ellipsis else _py_type(a) for a in typing.get_args(tp))
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if tp is Any:
        return "Any"
    return _PY_TYPES.get(tp, getattr(tp, "__name__", str(tp)))


def _file_type(tp: Any) -> str:
    """``tuple[Image, ...] | None`` as the file has it: ``list of [Image](#image)``."""
    from newsmodel import model

    return model.file_type(tp, lambda cls: f"[{cls.__name__}](#{cls.__name__.lower()})")


def _instances(value: Any) -> Iterator[Any]:
    """Every attrs instance in a model tree, depth first."""
    if attrs.has(type(value)):
        yield value
        for a in attrs.fields(type(value)):
            yield from _instances(getattr(value, a.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _instances(item)


def _examples() -> list[tuple[str, Any, str]]:
    """``(file name, item, kind name)`` for each file of ``examples/`` (then of
    ``examples/kinds/``), in name order."""
    import newsmodel as nm

    paths = [*sorted(EXAMPLES.glob("*.md")), *sorted(EXAMPLES.glob("kinds/*.md"))]
    out = []
    for p in paths:
        doc = nm.load(p)
        assert doc.kind is not None
        out.append((p.relative_to(EXAMPLES).as_posix(), doc.item, doc.kind.name))
    return out


def _yaml(data: Mapping[str, Any]) -> str:
    from newsmodel.yamlio import render_front

    return render_front(data)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _short(line: str, width: int = 40) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _literal_blocks(text: str) -> str:
    """reStructuredText literal blocks (``Fails::`` and an indented block) as fenced blocks."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::") and not line.startswith(" "):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            k = j
            while k < len(lines) and (not lines[k].strip() or lines[k].startswith(" ")):
                k += 1
            block = textwrap.dedent("\n".join(lines[j:k])).strip("\n")
            if block:
                head = line.rstrip()[:-1]
                out.append(head if head.strip() else "")
                out.extend(["", "```yaml", block, "```", ""])
                i = k
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


_ROLE = re.compile(r":[a-z]+:`~?(?:[\w.]*\.)?([^`]+)`")


def rst_to_markdown(text: str) -> str:
    """The bits of reStructuredText the docstrings use: ``code`` and :role:`~mod.name`."""
    text = _ROLE.sub(r"`\1`", text)
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def format_reference() -> str:
    """The format reference: one section per model class, a row per key, a real example."""
    from newsmodel import kinds as registry
    from newsmodel import unstructure

    order = [k.name for k in registry.builtin_kinds()]
    examples = _examples()
    used: dict[tuple[type[Any], str], set[str]] = {}
    sample: dict[type[Any], tuple[str, Any]] = {}
    for name, item, kind in examples:
        for obj in _instances(item):
            sample.setdefault(type(obj), (name, obj))
            for a in attrs.fields(type(obj)):
                if getattr(obj, a.name) is not None and a.metadata.get("key"):
                    used.setdefault((type(obj), a.name), set()).add(kind)
    out: list[str] = []
    for cls in _models():
        doc = rst_to_markdown(inspect.cleandoc(cls.__doc__ or ""))
        of_class = [k for k in registry.builtin_kinds() if k.cls is cls]
        out.append(f"## {cls.__name__}\n")
        out.append(f"`newsmodel.model.{cls.__name__}`: {doc}\n")
        if of_class:
            names = ", ".join(f"`{k.selector}: {k.name}`" for k in of_class)
            out.append(f"The class of: {names}.\n")
        out.append(
            "| Key | Attribute | Type in the file | Python type | Required | "
            "Required by kinds | Used in examples by | Meaning |"
        )
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for a in attrs.fields(cls):
            key = a.metadata.get("key")
            if not key:
                continue
            required = a.default is attrs.NOTHING
            req_by = [k.name for k in of_class if key in k.required]
            seen = sorted(used.get((cls, a.name), set()), key=order.index)
            meaning = a.metadata.get("meaning")
            if a.metadata.get("site_paths"):
                meaning = "URLs inside may be site paths"
            out.append(
                f"| `{key}` | `{a.name}` | {_file_type(a.type)} | `{_cell(_py_type(a.type))}` | "
                f"{'yes' if required else 'no'} | {', '.join(req_by) or '—'} | "
                f"{', '.join(seen) or '—'} | {meaning or '—'} |"
            )
        out.append("")
        if any(a.name == "extra" for a in attrs.fields(cls)):
            out.append(
                "Keys the model does not know are kept in `extra` (a mapping from the file's key "
                "to its plain value) and written back where they were.\n"
            )
        if cls in sample:
            name, obj = sample[cls]
            out.append(f"Example, loaded from `examples/{name}` and written back by the model:\n")
            data = unstructure(obj)
            out.append("```yaml\n" + _yaml(data) + "```\n")
    return "\n".join(out)


def item_kinds_reference() -> str:
    """Every built-in kind: what names it, its class, the keys it requires, where it is told
    by its folder, and an example file (from :func:`newsmodel.kinds.builtin_kinds`)."""
    from newsmodel import kinds as registry
    from newsmodel.model import required_keys

    example_of: dict[str, str] = {}
    for name, _item, kind in _examples():
        example_of.setdefault(kind, name)
    out = [
        "| Kind | Named by | Class | Required keys | Folders (collections) | Example file |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind in registry.builtin_kinds():
        named = f"`{kind.selector}: {kind.name}`"
        if kind.accepts:
            named += " (in its folder also " + ", ".join(f"`{a}`" for a in kind.accepts) + ")"
        keys = [*sorted(required_keys(kind.cls)), *(k for k in kind.required)]
        keys = list(dict.fromkeys(keys))
        folders = ", ".join(f"`_{c}`" for c in kind.collections) or "—"
        example = f"`examples/{example_of[kind.name]}`" if kind.name in example_of else "—"
        out.append(
            f"| `{kind.name}` | {named} | [{kind.cls.__name__}](#{kind.cls.__name__.lower()}) | "
            f"{', '.join(f'`{k}`' for k in keys)} | {folders} | {example} |"
        )
    return "\n".join(out) + "\n"


# -- the rules reference ----------------------------------------------------------------------

#: An input that shows each code of the reader, the YAML parser and the converter (what each
#: code means comes from :mod:`newsmodel.codes`). ``str`` inputs go through ``check_text``;
#: ``bytes`` are written to a file and go through ``check_file``; ``None`` checks a file that
#: is not there.
PARSER_CODES: dict[str, str | bytes | None] = {
    "NM001": None,
    "NM002": b"---\ntitle: caf\xe9\n---\n",
    "NM003": "Just some Markdown.\n",
    "NM004": "---\ntitle: Hello\n",
    "NM005": "---\ntitle: [Hello\n---\n",
    "NM006": "---\n- Hello\n---\n",
    "NM007": "---\ntitle: A\ntitle: B\n---\n",
    "NM008": "---\ntitle: &t Hello\nexcerpt: *t\n---\n",
    "NM009": "---\ntitle: !!str Hello\n---\n",
    "NM011": "---\nx: " + "[" * 200 + "\n---\n",
    "NM012": "---\n1: Hello\n---\n",
    "NM013": "---\rtitle: Hello\r---\r",
    "NM100": (
        '---\ntitle: Hello\ntype: article\nheat: "12"\n'
        "provider:\n  name: Example\n  domain: example.com\n---\n"
    ),
    "NM101": "---\ntitle: Hello\ntype: article\n---\n",
}


#: A site configuration (``_config.yml``) that shows ``NM700``.
SITE_CONFIG_EXAMPLE = "collections_dir: [learning]\n"


def site_config_example() -> Any:
    """The problem that :data:`SITE_CONFIG_EXAMPLE` gives when the site is loaded."""
    from newsmodel.errors import SiteConfigError
    from newsmodel.layout import SiteLayout

    with tempfile.TemporaryDirectory(prefix="newsmodel-docs-") as tmp:
        (Path(tmp) / "_config.yml").write_text(SITE_CONFIG_EXAMPLE, encoding="utf-8")
        try:
            SiteLayout.load(Path(tmp))
        except SiteConfigError as exc:
            return attrs.evolve(exc.problems[0], file="_config.yml")
    return None


def parser_code_examples() -> dict[str, tuple[str, Any]]:
    """For each parser code: its input and the first problem with that code it gives (or None)."""
    from newsmodel import check_file, check_text

    now = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    found: dict[str, tuple[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="newsmodel-docs-") as tmp:
        for code, source in PARSER_CODES.items():
            path = Path(tmp) / f"{code.lower()}.md"
            if source is None:
                problems = check_file(path, now=now)
                shown = f"(no file at {path.name})"
            elif isinstance(source, bytes):
                path.write_bytes(source)
                problems = check_file(path, now=now)
                shown = source.decode("latin-1")
            else:
                problems = check_text(source, file=path.name, now=now)
                shown = source
            hit = next((p for p in problems if p.code == code), None)
            found[code] = (shown, hit)
    return found


BASE_EXAMPLE = "ai-article.md"
EXAMPLE_NOW = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


def rule_examples(doc: str) -> dict[str, str]:
    """The literal blocks of a rule's docstring, by their lead-in word: ``{"fails": ..., ...}``."""
    found: dict[str, str] = {}
    lines = doc.split("\n")
    for i, line in enumerate(lines):
        if line.rstrip().endswith("::") and not line.startswith(" "):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith(" ")):
                j += 1
            block = textwrap.dedent("\n".join(lines[i + 1 : j])).strip("\n")
            word = line.strip().rstrip(":").split()[0].lower() if line.strip(": ") else ""
            if block and word:
                found.setdefault(word, block)
    return found


def splice(front: str, snippet: str) -> str:
    """``front`` with its top-level entries for the snippet's top-level keys replaced by it."""
    top = re.compile(r"^([^\s#'\"-][^:]*):")
    keys = {m.group(1) for m in map(top.match, snippet.splitlines()) if m}
    kept = []
    skipping = False
    for line in front.splitlines(keepends=True):
        m = top.match(line)
        if m:
            skipping = m.group(1) in keys
        if not skipping or not line.strip():
            kept.append(line)
    body = "".join(kept).rstrip("\n") + "\n"
    return body + snippet.rstrip("\n") + "\n"


def example_problem(code: str, snippet: str) -> Any:
    """The first problem with ``code`` that ``snippet`` gives: spliced into the base example
    (``examples/ai-article.md``), or failing that, as a front matter of its own."""
    from newsmodel import check_text

    text = (EXAMPLES / BASE_EXAMPLE).read_text(encoding="utf-8")
    _, front, rest = text.split("---\n", 2)
    for candidate in (f"---\n{splice(front, snippet)}---\n{rest}", f"---\n{snippet}\n---\n"):
        problems = check_text(candidate, file=BASE_EXAMPLE, now=EXAMPLE_NOW)
        hit = next((p for p in problems if p.code == code), None)
        if hit is not None:
            return hit
    return None


def format_problem_short(problem: Any) -> str:
    return f"{problem.code} {problem.message} @ {problem.pointer}"


def _spec_link(spec: str, page: str) -> str:
    """A rule's ``spec`` as a Markdown link from ``page`` (``docs/x.md#a`` made relative)."""
    if spec.startswith("docs/"):
        target = posixpath.relpath(spec[len("docs/") :], posixpath.dirname(page) or ".")
        return f"[{spec[len('docs/') :]}]({target})"
    return f"<{spec}>"


def rules_reference(page: str = "rules.md") -> str:
    """The rules reference: the reading codes, then every rule of the registry.

    ``page`` is the page the text goes on (``docs/``-relative), for the rules' ``spec`` links;
    a spec that points at the rule's own section on that page is left out.
    """
    from newsmodel import codes
    from newsmodel.rules import all_rules

    readers = codes.reader_codes()
    out = [
        "## Reading codes\n",
        "These come from reading the file, parsing its YAML and fitting it to the model. A file "
        "with any of them cannot be loaded with `newsmodel.load` (it raises the "
        "`newsmodel.DocumentError` subclass named below, carrying these problems); "
        "`newsmodel.check_file` reports them. Each example message below was produced by "
        "running the checker on the input shown.\n",
        "| Code | Severity | Name | Meaning |",
        "| --- | --- | --- | --- |",
    ]
    for entry in readers:
        out.append(
            f"| [`{entry.code}`](#{entry.anchor}) | {entry.severity} | {entry.name} | "
            f"{_cell(entry.summary)} |"
        )
    out.append("")
    examples = parser_code_examples()
    for entry in readers:
        out.append(f"### {entry.code}\n")
        raises = f" · raises `{entry.error.__name__}`" if entry.error is not None else ""
        out.append(f"**{entry.name}** · severity: **{entry.severity}**{raises}\n")
        out.append(f"{entry.summary} {entry.description}\n")
        shown, hit = examples.get(entry.code, ("", None))
        if hit is not None:
            if PARSER_CODES.get(entry.code) is None:
                out.append("Checking a path where there is no file gives:\n")
            else:
                sample = "\n".join(
                    _short(line, 60) for line in shown.replace("\r", "\n").splitlines()
                )
                out.append(f"This input:\n\n```text\n{sample}\n```\n\ngives:\n")
            out.append(f"```text\n{format_problem_short(hit)}\n```\n")
    site = codes.SITE_CONFIG
    out.append("## Site configuration\n")
    out.append(f"### {site.code}\n")
    out.append(f"**{site.name}** · severity: **{site.severity}** · raises `SiteConfigError`\n")
    out.append(f"{site.summary} {site.description}\n")
    hit = site_config_example()
    if hit is not None:
        out.append(f"This `_config.yml`:\n\n```yaml\n{SITE_CONFIG_EXAMPLE}```\n\ngives:\n")
        out.append(f"```text\n{format_problem_short(hit)}\n```\n")
    from newsmodel.rules.site import site_rules

    out.append("## Site rules\n")
    out.append(
        "These read the whole site (a folder with a `_config.yml`) rather than one file; "
        "`newsmodel check` runs them when it checks a folder. Their problems are located in "
        "the file they concern.\n"
    )
    for site_rule in sorted(site_rules(), key=lambda r: r.code):
        out.append(f"### {site_rule.code}\n")
        out.append(f"**{site_rule.name}** · severity: **{site_rule.severity}**\n")
        doc = _literal_blocks(rst_to_markdown(inspect.cleandoc(type(site_rule).__doc__ or "")))
        if doc:
            out.append(doc + "\n")
    rules = sorted(all_rules(), key=lambda r: r.code)
    out.append("## Rules\n")
    if not rules:
        out.append("No rules are registered yet.\n")
    else:
        out.append("| Code | Severity | Name |")
        out.append("| --- | --- | --- |")
        for rule in rules:
            out.append(f"| [`{rule.code}`](#{rule.code.lower()}) | {rule.severity} | {rule.name} |")
        out.append("")
    for rule in rules:
        out.append(f"### {rule.code}\n")
        out.append(f"**{rule.name}** · severity: **{rule.severity}**\n")
        raw = inspect.cleandoc(type(rule).__doc__ or "")
        doc = _literal_blocks(rst_to_markdown(raw))
        if doc:
            out.append(doc + "\n")
        failing = rule_examples(raw).get("fails")
        hit = None if failing is None else example_problem(rule.code, failing)
        if hit is not None:
            hint = f" Hint: {_cell(hit.hint)}" if hit.hint else ""
            out.append(f"The failing example gives: `{_cell(format_problem_short(hit))}`.{hint}\n")
        if rule.spec and rule.spec != f"docs/{page}#{rule.code.lower()}":
            out.append(f"Specification: {_spec_link(rule.spec, page)}\n")
    return "\n".join(out)


# -- the CLI reference --------------------------------------------------------------------------


def find_parser() -> argparse.ArgumentParser:
    """The CLI's parser, from ``newsmodel.cli._main._parser()``; a clear error when absent."""
    module = importlib.import_module("newsmodel.cli._main")
    factory = getattr(module, "_parser", None)
    if not callable(factory):
        raise RuntimeError(
            "the CLI reference is generated from newsmodel.cli._main._parser(), a function "
            "returning the argparse.ArgumentParser of the `newsmodel` command, and there is no "
            "such function; restore it (or point docs/hooks.py:find_parser at the new one)"
        )
    parser = factory()
    if not isinstance(parser, argparse.ArgumentParser):
        raise RuntimeError(
            f"newsmodel.cli._main._parser() returned {type(parser).__name__}, "
            "not an argparse.ArgumentParser"
        )
    return parser


def _option_cell(action: argparse.Action) -> str:
    if action.option_strings:
        names = ", ".join(f"`{o}`" for o in action.option_strings)
        if action.nargs != 0:
            metavar = action.metavar or (action.dest or "").upper()
            if isinstance(metavar, tuple):
                metavar = " ".join(metavar)
            names += f" `{metavar}`"
        return names
    metavar = action.metavar or action.dest
    if isinstance(metavar, tuple):
        metavar = " ".join(metavar)
    suffix = {"*": " ...", "+": " ...", "?": " (optional)"}.get(str(action.nargs), "")
    return f"`{metavar}`{suffix}"


def _help_cell(action: argparse.Action, parser: argparse.ArgumentParser) -> str:
    text = action.help or ""
    if "%(" in text:
        params = {k: v for k, v in vars(action).items() if v is not argparse.SUPPRESS}
        params["prog"] = parser.prog
        text = text % params
    extra = []
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        extra.append("one of " + ", ".join(f"`{c}`" for c in action.choices))
    default = action.default
    if (
        default not in (None, False, argparse.SUPPRESS, "", [], ())
        and "%(default)" not in (action.help or "")
        and action.nargs != 0
        and not isinstance(action, argparse._VersionAction)
    ):
        shown = " ".join(default) if isinstance(default, list) else str(default)
        extra.append(f"default: `{shown}`")
    if extra:
        text = f"{text} ({'; '.join(extra)})" if text else "; ".join(extra)
    return _cell(text) or "—"


def _usage(parser: argparse.ArgumentParser) -> str:
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        return parser.format_usage().strip()
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def _prose(parser: argparse.ArgumentParser, text: str) -> str:
    """A description or epilog: as written when the parser keeps its layout, else a paragraph."""
    if issubclass(parser.formatter_class, argparse.RawDescriptionHelpFormatter):
        return "```text\n" + textwrap.dedent(text).strip("\n") + "\n```\n"
    return inspect.cleandoc(text) + "\n"


def _walk_parser(parser: argparse.ArgumentParser, level: int, out: list[str]) -> None:
    heading = "#" * level
    out.append(f"{heading} `{parser.prog}`\n")
    if parser.description:
        out.append(_prose(parser, parser.description))
    out.append("```text\n" + _usage(parser) + "\n```\n")
    rows = []
    subs: list[tuple[str, argparse.ArgumentParser, str]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:  # an alias of a command already listed
                    continue
                seen.add(id(sub))
                subs.append((name, sub, helps.get(name, "")))
            continue
        if action.help == argparse.SUPPRESS:
            continue
        rows.append(f"| {_option_cell(action)} | {_help_cell(action, parser)} |")
    if rows:
        out.append("| Argument | Description |")
        out.append("| --- | --- |")
        out.extend(rows)
        out.append("")
    if subs:
        out.append("| Command | Description |")
        out.append("| --- | --- |")
        for name, sub, help_text in subs:
            out.append(f"| [`{name}`](#{_anchor(sub.prog)}) | {_cell(help_text) or '—'} |")
        out.append("")
        for _name, sub, _help in subs:
            _walk_parser(sub, min(level + 1, 6), out)
    if parser.epilog:
        out.append(_prose(parser, parser.epilog))


def _anchor(title: str) -> str:
    """The id MkDocs' ``toc`` extension gives a heading of ``title`` in backticks."""
    slug = re.sub(r"[^\w\s-]", "", title.lower()).strip()
    return re.sub(r"[\s]+", "-", slug)


def cli_reference(parser: argparse.ArgumentParser | None = None) -> str:
    """The CLI reference: every command, argument and option, walked from the parser."""
    out: list[str] = []
    _walk_parser(parser or find_parser(), 2, out)
    return "\n".join(out)


# -- MkDocs events ------------------------------------------------------------------------------

GENERATORS: dict[str, Callable[[str], str]] = {
    "format": lambda page: format_reference(),
    "item-kinds": lambda page: item_kinds_reference(),
    "rules": lambda page: rules_reference(page),
    "cli": lambda page: cli_reference(),
}

#: Pages that always hold a generated reference: where the page has no marker for it, the
#: reference is appended under this heading (so the rules' ``spec`` anchors always exist).
REQUIRED: dict[str, tuple[str, str]] = {
    "rules.md": ("rules", "Rules reference"),
    "cli.md": ("cli", "CLI reference"),
}


def on_config(config: Any) -> Any:
    """The site's URL is :data:`newsmodel.codes.DOCS_URL`, where every code's ``helpUri`` and
    ``docs:`` link points (one place for it; ``mkdocs.yml`` does not repeat it)."""
    from newsmodel.codes import DOCS_URL

    config["site_url"] = DOCS_URL
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Expand the markers of a page."""
    uri = page.file.src_uri
    markdown = render_outputs(markdown, f"docs/{uri}")
    # ```python skip-test is for tests/test_docs.py; the Markdown fences want a bare language.
    markdown = SKIP_INFO.sub(r"\g<open>", markdown)
    if uri in REQUIRED:
        name, title = REQUIRED[uri]
        if f"newsmodel:{name}" not in markdown:
            markdown = f"{markdown.rstrip()}\n\n# {title}\n\n<!-- newsmodel:{name} -->\n"

    def expand(m: re.Match[str]) -> str:
        generator = GENERATORS.get(m.group("name"))
        return m.group(0) if generator is None else generator(uri)

    return MARKER.sub(expand, markdown)
