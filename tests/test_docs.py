"""The documentation's promises, tested.

* Every ```` ```python ```` block of ``docs/*.md`` and ``README.md`` runs: a page's blocks run in
  order in one namespace, in a temporary folder holding a copy of ``examples/``. A block is
  skipped when its info string says ``skip-test`` or its first line is ``# doctest: +SKIP``.
* The generators of ``docs/hooks.py`` (the format, rules and CLI references) cover everything
  they are generated from, and the examples they show are real.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import inspect
import io
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import attrs
import pytest

import newsmodel as nm
from newsmodel import kinds, model
from newsmodel.codes import reader_codes
from newsmodel.rules import all_rules
from newsmodel.yamlio import parse_text

from .conftest import EXAMPLES, ROOT

__all__: list[str] = []

DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]
FENCE = re.compile(
    r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<code>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def blocks(text: str) -> list[tuple[int, str, bool]]:
    """``(line, code, skip)`` for each ```` ```python ```` block of a Markdown text."""
    found = []
    for m in FENCE.finditer(text):
        words = m.group("info").split()
        if not words or words[0] not in ("python", "py"):
            continue
        code = m.group("code")
        indent = m.group("indent")
        code = "".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in code.splitlines(keepends=True)
        )
        first = code.lstrip("\n").split("\n", 1)[0].replace(" ", "")
        skip = "skip-test" in words[1:] or first == "#doctest:+SKIP"
        found.append((text.count("\n", 0, m.start()) + 1, code, skip))
    return found


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("newsmodel_docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hooks = load_hooks()


# -- the code examples ------------------------------------------------------------------------


def test_block_extraction_and_skip_markers() -> None:
    text = (
        "Intro\n\n```python\nx = 1\n```\n\n```python skip-test\nraise SystemExit\n```\n\n"
        "```python\n# doctest: +SKIP\nraise SystemExit\n```\n\n```sh\nls\n```\n\n"
        "- item\n\n    ```python\n    y = 2\n    ```\n"
    )
    found = blocks(text)
    assert [(line, skip) for line, _code, skip in found] == [(3, False), (7, True), (11, True)]
    assert found[0][1] == "x = 1\n"
    # The site's Markdown gets a bare language (superfences refuses "python skip-test").
    assert "skip-test" not in hooks.SKIP_INFO.sub(r"\g<open>", text)
    # The hook's extractor (used for the outputs shown on the site) agrees.
    assert [(b.line, b.skip) for b in hooks.python_blocks(text)] == [
        (line, skip) for line, _code, skip in found
    ]


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_python_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's examples run from a folder laid out like the checkout (a copy of
    ``examples/``) and leave that folder as it was: run from a checkout, they change nothing
    in it (what they write goes to a scratch folder of their own)."""
    found = blocks(page.read_text(encoding="utf-8"))
    runnable = [(line, code) for line, code, skip in found if not skip]
    if not runnable:
        pytest.skip(f"{page.name} has no Python example to run")
    work = tmp_path / "checkout"
    shutil.copytree(EXAMPLES, work / "examples")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the snippets' scratch folders
    before = _tree(work)
    monkeypatch.chdir(work)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    where = page.relative_to(ROOT).as_posix()
    for line, code in runnable:
        compiled = compile(code, f"{where}:{line}", "exec", dont_inherit=True)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compiled, namespace)
    after = _tree(work)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"the examples of {where} changed the folder they ran from: {changed}"


def test_a_page_that_writes_into_its_folder_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nimport newsmodel as nm\n"
        'nm.dump(nm.load("examples/ai-article.md"), "examples/ai-article.md")\n'
        'open("examples/new.md", "w").close()\n```\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(
        AssertionError, match=r"changed the folder they ran from: \['examples/new.md'\]"
    ):
        test_python_examples_run(page, tmp_path / "run", monkeypatch)


def test_outputs_are_rendered_from_running_the_blocks() -> None:
    page = "```python\nprint(6 * 7)\n```\n<!-- newsmodel:output -->\n"
    assert hooks.render_outputs(page) == "```python\nprint(6 * 7)\n```\n```text\n42\n```\n"
    with pytest.raises(ValueError, match="must follow a ```python block"):
        hooks.render_outputs("Text\n\n<!-- newsmodel:output -->\n")


def test_examples_folder_is_restored() -> None:
    before = os.getcwd()
    with hooks.in_examples_folder() as tmp:
        assert Path.cwd() == tmp
        assert sorted(p.name for p in (tmp / "examples").iterdir()) == sorted(
            p.name for p in EXAMPLES.iterdir()
        )
    assert os.getcwd() == before


# -- the format reference -----------------------------------------------------------------------


def test_format_reference_has_every_key_of_every_class() -> None:
    text = hooks.format_reference()
    for cls in model.MODELS:
        section = text.split(f"## {cls.__name__}\n", 1)[1].split("\n## ", 1)[0]
        for field in attrs.fields(cast(Any, cls)):
            key = field.metadata.get("key")
            if key:
                assert f"| `{key}` | `{field.name}` |" in section, (cls.__name__, key)


def test_format_reference_types_and_required_flags() -> None:
    text = hooks.format_reference()
    assert "| `publishedDateTime` | `published_date_time` | timestamp | `datetime | None` |" in (
        text.replace("\\|", "|")
    )
    assert "| `images` | `images` | list of [Image](#image) |" in text
    row = next(line for line in text.splitlines() if line.startswith("| `actions` |"))
    cells = [c.strip() for c in row.split(" | ")]
    assert cells[4] == "no"  # optional in the model...
    assert cells[5] == "download"  # ...but every download must have it (ITEM_KINDS)


def test_format_reference_examples_read_back() -> None:
    # Each example block is the model's own rendering of a part of an example file: it must be
    # valid YAML for that class, and equal to an object of the examples.
    text = hooks.format_reference()
    samples = re.findall(r"## (\w+)\n(?:(?!\n## ).)*?```yaml\n(.*?)```", text, re.DOTALL)
    assert {name for name, _ in samples} >= {
        "Article",
        "Provider",
        "Image",
        "Related",
        "Profile",
        "Collection",
        "Organization",
        "Forum",
    }
    objects = [
        obj for p in sorted(EXAMPLES.rglob("*.md")) for obj in hooks._instances(nm.load(p).item)
    ]
    for name, yaml_text in samples:
        cls = getattr(model, name)
        parsed = parse_text(f"---\n{yaml_text}---\n")
        assert parsed.root is not None and not parsed.problems
        assert cls.from_dict(parsed.root.plain()) in objects


def test_item_kinds_reference() -> None:
    text = hooks.item_kinds_reference()
    for kind, keys in model.ITEM_KINDS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{kind}` |"))
        assert all(f"`{k}`" in row for k in keys)
    for kind in kinds.builtin_kinds():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{kind.name}` |"))
        assert f"[{kind.cls.__name__}]" in row and all(f"`{k}`" in row for k in kind.required)
    assert "| `profile` | `type: profile` |" in text and "`_people`" in text


def test_format_reference_says_what_fields_mean() -> None:
    text = hooks.format_reference()
    row = next(line for line in text.splitlines() if line.startswith("| `website` |"))
    assert row.endswith("| url |")
    assert "## GenericItem" in text and "The class of: `type: profile`." in text


# -- the rules reference ----------------------------------------------------------------------


def test_rules_reference_lists_every_code() -> None:
    text = hooks.rules_reference()
    for rule in all_rules():
        assert f"### {rule.code}\n" in text
        assert f"**{rule.name}** · severity: **{rule.severity}**" in text
    for entry in reader_codes():
        assert f"### {entry.code}\n" in text
        assert f"[`{entry.code}`](#{entry.anchor})" in text
    assert "### NM700\n" in text and "$.collections_dir" in text


@pytest.mark.parametrize("code", sorted(hooks.PARSER_CODES))
def test_parser_code_examples_give_their_code(code: str) -> None:
    _shown, problem = hooks.parser_code_examples()[code]
    assert problem is not None, f"the example input of {code} does not give {code}"
    assert problem.line is not None and problem.column is not None


def _rule_ids(rule: Any) -> str:
    return str(rule.code)


@pytest.mark.parametrize("rule", sorted(all_rules(), key=_rule_ids), ids=_rule_ids)
def test_rule_docstring_examples(rule: Any) -> None:
    """A rule's ``Fails::`` example gives its code; its ``Passes::`` example does not."""
    examples = hooks.rule_examples(inspect.cleandoc(type(rule).__doc__ or ""))
    assert "fails" in examples and "passes" in examples, f"{rule.code} documents no examples"
    assert hooks.example_problem(rule.code, examples["fails"]) is not None
    assert hooks.example_problem(rule.code, examples["passes"]) is None


def test_splice_replaces_whole_entries() -> None:
    front = "title: A\nprovider:\n  name: X\n  domain: x.com\n\ntopics:\n  - T\n"
    assert hooks.splice(front, "provider:\n  name: Y\n") == (
        "title: A\n\ntopics:\n  - T\nprovider:\n  name: Y\n"
    )


def test_rst_to_markdown() -> None:
    assert hooks.rst_to_markdown("``x`` and :class:`~newsmodel.Problem`") == "`x` and `Problem`"


# -- the CLI reference --------------------------------------------------------------------------


def _walk(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found.extend(_walk(sub))
    return found


def test_cli_reference_covers_every_command_and_option() -> None:
    parser = hooks.find_parser()
    text = hooks.cli_reference(parser)
    for each in _walk(parser):
        assert f"`{each.prog}`" in text
        for action in each._actions:
            if action.help == argparse.SUPPRESS:
                continue
            for option in action.option_strings:
                assert f"`{option}`" in text, (each.prog, option)


def test_cli_reference_of_a_made_up_parser() -> None:
    parser = argparse.ArgumentParser(prog="tool", description="A tool.")
    parser.add_argument("--level", choices=["a", "b"], default="a", help="how much")
    parser.add_argument("--secret", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run it", aliases=["r"])
    run.add_argument("files", nargs="+", metavar="FILE", help="files for %(prog)s")
    run.add_argument("--out", default="-", help="where to (default: %(default)s)")
    run.add_argument("--tag", action="append", default=[], help="a tag")
    text = hooks.cli_reference(parser)
    assert "## `tool`" in text and "### `tool run`" in text
    assert "| `--level` `LEVEL` | how much (one of `a`, `b`; default: `a`) |" in text
    assert "--secret" not in text
    assert "| `FILE` ... | files for tool run |" in text
    assert text.count("### `tool run`") == 1  # the alias is not a second command
    assert "[`run`](#tool-run)" in text
    assert "| `--out` `OUT` | where to (default: -) |" in text  # the default is said once
    assert "| `--tag` `TAG` | a tag |" in text  # an empty default is not shown
    raw = argparse.ArgumentParser(
        prog="raw",
        epilog="examples:\n  raw a   do a\n",
        formatter_class=argparse.RawTextHelpFormatter,
    )
    assert "```text\nexamples:\n  raw a   do a\n```" in hooks.cli_reference(raw)


def test_missing_parser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsmodel.cli._main as cli_main

    monkeypatch.delattr(cli_main, "_parser")
    with pytest.raises(RuntimeError, match=r"newsmodel\.cli\._main\._parser\(\)"):
        hooks.find_parser()
    monkeypatch.setattr(cli_main, "_parser", lambda: "not a parser", raising=False)
    with pytest.raises(RuntimeError, match=r"not an argparse\.ArgumentParser"):
        hooks.find_parser()
