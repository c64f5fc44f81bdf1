"""The registry of codes (``newsmodel.codes``): every code emitted is in it, described once.

Problems are made in few places: :meth:`newsmodel.codes.Code.problem` (the reader, the parser,
the converter and the site layout, through the registry's entries), ``Context.problem`` of the
rules and ``SiteRule.problem`` of the site rules (each with the rule's own code, registered when
the rule is), and the CLI's site cache reading back what it stored. The first test proves that
from the syntax tree of the library (no other ``Problem(...)`` call, no code changed by
``evolve``); the others check the registry against what the library really emits.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest

import newsmodel as nm
from newsmodel import codes
from newsmodel.rules import RULES, Rule, all_rules, register
from newsmodel.rules.site import site_rules
from newsmodel.site import Site

from .conftest import ROOT
from .mutations import all_mutations

__all__: list[str] = []

SRC = ROOT / "src" / "newsmodel"
INVALID = Path(__file__).resolve().parent / "invalid-examples"
NOW = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
# Where a Problem may be constructed, and why that cannot carry an unregistered code.
MAKERS = {
    SRC / "codes.py": "Code.problem: the registry's own factory",
    SRC / "rules" / "_base.py": "Context.problem: the rule's code, registered with the rule",
    SRC / "rules" / "site.py": "SiteRule.problem: the site rule's code, registered with it",
    SRC / "cli" / "_site.py": "reads back problems it stored itself (no new code)",
}


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "newsmodel_codes_hooks", ROOT / "docs" / "hooks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _calls(path: Path) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            yield node


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def test_problems_are_made_only_through_the_registry() -> None:
    makers = set()
    for path in sorted(SRC.rglob("*.py")):
        for call in _calls(path):
            name = _name(call)
            if name == "Problem":
                makers.add(path)
                assert path in MAKERS, f"{path.relative_to(ROOT)}:{call.lineno} makes a Problem"
            if name == "evolve":
                changed = {k.arg for k in call.keywords}
                assert not changed & {"code", "severity"}, f"{path}:{call.lineno} changes a code"
    assert makers == set(MAKERS)  # the test sees the real makers (it is not vacuous)


def test_rules_emit_only_their_registered_code() -> None:
    # Context.problem takes no code or severity: a rule's problems carry the rule's own.
    for rule in [*all_rules(), *site_rules()]:
        entry = codes.get(rule.code)
        assert entry is not None, rule.code
        assert (entry.severity, entry.name, entry.spec) == (rule.severity, rule.name, rule.spec)
        assert entry.error is None


def _emitted() -> Iterator[nm.Problem]:
    """Every problem of the invalid examples, the mutations, the docs' reader-code inputs and a
    path with no file."""
    for path in sorted(INVALID.rglob("*.md")):
        yield from nm.check_file(path, now=NOW)
    for mutation in all_mutations():
        yield from nm.check_text(mutation.text, now=NOW)
    for _shown, hit in _hooks().parser_code_examples().values():
        if hit is not None:
            yield hit
    yield from nm.check_file(INVALID / "no-such-file.md")
    yield _hooks().site_config_example()
    yield from _site_problems()


def _site_problems() -> list[nm.Problem]:
    """The site rules' problems of a small site: a broken reference, a story in two files."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "_config.yml").write_text("collections:\n  news: {}\n  learning: {}\n")
        news = "---\ntitle: A\ntype: article\nwebUrl: https://example.com/a\n---\n"
        for name in ("a", "b"):
            _write(root / "_news" / f"{name}.md", news)
        collection = "---\ntitle: C\ntype: collection\nitems:\n  - videos/none\n---\n"
        _write(root / "_learning" / "collections" / "c.md", collection)
        return Site.open(root).check(now=NOW)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_every_emitted_code_is_registered_with_its_severity() -> None:
    seen: dict[str, str] = {}
    for problem in _emitted():
        entry = codes.get(problem.code)
        assert entry is not None, f"{problem.code} is emitted but not registered"
        assert problem.severity == entry.severity, problem
        seen[problem.code] = problem.severity
    # and the other way round: every registered code is really emitted by these inputs
    assert set(seen) == {entry.code for entry in codes.all_codes()}


def test_every_code_has_its_section_in_the_rules_reference() -> None:
    # the anchor each helpUri and docs link points to: MkDocs makes ``nm201`` of "### NM201"
    text = _hooks().rules_reference()
    for entry in codes.all_codes():
        assert text.count(f"\n### {entry.code}\n") == 1, entry.code
        assert entry.url.endswith(f"/rules/#{entry.code.lower()}")


def test_every_reader_code_has_a_docs_example() -> None:
    hooks = _hooks()
    assert list(hooks.PARSER_CODES) == [entry.code for entry in codes.reader_codes()]
    problem = hooks.site_config_example()
    assert problem.code == codes.SITE_CONFIG.code and problem.pointer == "$.collections_dir"


@pytest.mark.parametrize("entry", codes.reader_codes(), ids=lambda e: e.code)
def test_loads_raises_the_registered_exception(entry: codes.Code, tmp_path: Path) -> None:
    source = _hooks().PARSER_CODES[entry.code]
    if source is None:  # a path with no file: reading it fails
        with pytest.raises(nm.FrontMatterError) as info:
            nm.load(tmp_path / "missing.md")
    else:
        path = tmp_path / "x.md"
        path.write_bytes(source if isinstance(source, bytes) else source.encode())
        with pytest.raises(nm.DocumentError) as info:
            nm.load(path)
    assert info.value.code == entry.code
    assert isinstance(info.value, entry.error)  # NM001 of a missing file: MissingFileError


def test_a_file_too_large_to_read_is_a_front_matter_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsmodel import document

    path = tmp_path / "big.md"
    path.write_text("---\ntitle: x\n---\n" + "x" * 100)
    monkeypatch.setattr(document, "MAX_FILE_BYTES", 50)
    with pytest.raises(nm.FrontMatterError) as info:
        document.read_bytes(path)
    assert info.value.code == codes.TOO_LARGE.code


def test_registry_is_well_formed() -> None:
    entries = codes.all_codes()
    assert [e.code for e in entries] == sorted({e.code for e in entries})
    assert len({e.name for e in entries}) == len(entries), "two codes share a name"
    for entry in entries:
        assert re.fullmatch(r"NM\d{3}", entry.code), entry.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.name), entry.name
        assert entry.severity in ("error", "warning")
        assert entry.summary.endswith(".") and "\n" not in entry.summary, entry.code
        assert entry.description, entry.code
        for text in (entry.summary, entry.description):
            assert "``" not in text and "::" not in text and ":class:" not in text, entry.code
        assert entry.url == f"{codes.DOCS_URL}rules/#{entry.code.lower()}"
        if entry.code < "NM102":
            assert entry.error is not None and issubclass(entry.error, nm.DocumentError)


def test_the_docs_url_is_written_once() -> None:
    host = codes.DOCS_URL.split("//", 1)[1].split("/", 1)[0]
    places = [
        path.relative_to(ROOT).as_posix()
        for folder in ("src", "docs")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".md", ".yml")
        and host in path.read_text(encoding="utf-8", errors="replace")
    ]
    places += ["mkdocs.yml"] if host in (ROOT / "mkdocs.yml").read_text() else []
    assert places == ["src/newsmodel/codes.py"]


def test_a_taken_code_cannot_be_registered() -> None:
    before = list(RULES)

    class Clash(Rule):
        """Takes the reader's code.

        More.
        """

        code: ClassVar[str] = "NM005"
        name: ClassVar[str] = "clash"

    with pytest.raises(ValueError, match="NM005 is already registered"):
        register(Clash)
    with pytest.raises(ValueError, match="not a code"):
        codes.register(codes.Code(code="nm1", name="x", severity="error", summary="x."))
    assert before == RULES
    # the same entry again is fine (a module imported twice)
    assert codes.register(codes.YAML_SYNTAX) is codes.YAML_SYNTAX


def test_unknown_code() -> None:
    assert codes.get("XX999") is None
    assert codes.error_class([]) is nm.DocumentError
    warning = codes.get("NM102")
    assert warning is not None
    assert codes.error_class([warning.problem("only a warning")]) is nm.DocumentError


def test_plain_text_of_restructured_text() -> None:
    doc = """``title`` and :class:`~newsmodel.Problem` must not be empty;
    a ``'`` quote.

    Fails (on 2021-06-30)::

        title: ""

    Passes ::

        title: "A"
    """
    assert codes.plain_text(doc) == (
        "'title' and Problem must not be empty; a \"'\" quote.\n\n"
        "Fails (on 2021-06-30):\n\n"
        '    title: ""\n\n'
        "Passes\n\n"
        '    title: "A"'
    )
    assert codes.plain_text("") == ""
    entry = codes.for_rule("NM999", "no-doc", "warning", None)
    assert (entry.summary, entry.description) == ("no-doc", "")
