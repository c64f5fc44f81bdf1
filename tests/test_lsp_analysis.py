"""The language server's parts, in process: positions, ranges, fixes, hover, completion, workspace.

``tests/test_lsp.py`` drives the whole server over stdio; these check the edge cases of each
part directly (cheaper than a process per case).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "pygls", reason="the language server needs the extra newsmodel-frontmatter[lsp]"
)

from lsprotocol import types as t

from newsmodel.cli import _main
from newsmodel.lsp import _model, _text
from newsmodel.lsp._analysis import (
    Analysis,
    analyse,
    code_actions,
    completion,
    diagnostics,
    hover,
    line_edits,
    problem_span,
)
from newsmodel.lsp._codes import code_info
from newsmodel.lsp._server import NewsmodelServer, OpenFile, _options
from newsmodel.lsp._workspace import WorkspaceValues, site_checker, values_of
from newsmodel.problems import Problem

EXAMPLES = Path(__file__).parent / "examples"
ARTICLE = (EXAMPLES / "article.md").read_text(encoding="utf-8")


def text_of(an: Analysis, p: Problem) -> str:
    start, end = problem_span(an, p)
    return an.text[start:end]


# -- positions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "units"), [("utf-16", 2), ("utf-8", 4), ("utf-32", 1)])
def test_positions_in_each_encoding(encoding: str, units: int) -> None:
    text = "a\U0001f326b\r\nsecond\rthird\u2028same line\n"
    index = _text.TextIndex(text, encoding)
    assert index.line_count == 4  # LF, CRLF and a lone CR break lines; U+2028 does not
    assert index.line_text(0) == "a\U0001f326b"
    assert index.line_text(2) == "third\u2028same line"
    assert index.position(2) == (0, 1 + units)  # after the emoji
    assert index.offset(0, 1 + units) == 2
    assert index.column(0, 1 + units) == 2
    assert index.offset(1, 3) == text.index("second") + 3
    # clamped: past the end of a line, of the text, before the start
    assert index.offset(0, 99) == len("a\U0001f326b")
    assert index.offset(99, 0) == len(text)
    assert index.offset(-1, 0) == 0
    assert index.position(10_000) == (3, 0)
    assert index.line_text(99) == ""
    assert index.offset_of_column(-1, 0) == 0
    assert index.offset_of_column(99, 0) == len(text)


def test_apply_change() -> None:
    assert _text.apply_change("abc\ndef\n", (1, 1), (1, 2), "X", "utf-16") == "abc\ndXf\n"
    assert _text.apply_change("abc\n", (0, 2), (0, 1), "", "utf-16") == "ac\n"  # reversed range
    assert _text.apply_change("abc", (9, 9), (9, 9), "!", "utf-16") == "abc!"
    assert _text.apply_change("\U0001f326x", (0, 2), (0, 3), "y", "utf-16") == "\U0001f326y"
    assert _text.apply_change("\U0001f326x", (0, 4), (0, 5), "y", "utf-8") == "\U0001f326y"


# -- ranges -------------------------------------------------------------------------------------


def test_ranges_of_keys_values_blocks_and_missing_keys() -> None:
    title = next(line for line in ARTICLE.split("\n") if line.startswith("title:"))
    text = ARTICLE.replace("webUrl:", '"webURL":', 1).replace(title, 'title: "  "  # blank')
    an = analyse(text)
    by_code = {p.code: p for p in an.problems}
    assert text_of(an, by_code["NM102"]) == "webURL"  # a key, inside its quotes
    assert text_of(an, by_code["NM602"]) == '"  "'  # a value, without the comment after it
    missing = next(p for p in an.problems if p.code == "NM601")  # webUrl missing
    assert text_of(an, missing) == "type:"  # where the rule points: the key 'type'


def test_ranges_of_collections_and_parse_errors() -> None:
    an = analyse("---\ntitle: x\ntype: article\nprovider:\n  - a\n  - b\n---\n")
    wrong = next(p for p in an.problems if p.pointer == "$.provider")
    assert text_of(an, wrong) == "- a\n  - b"  # a block list: from its start to its end
    an = analyse("---\ntitle: [x\n---\n")
    assert [text_of(an, p) for p in an.problems] and an.parsed is not None
    an = analyse("no front matter\n")
    assert text_of(an, an.problems[0]) == "no"
    an = analyse("---\n\ntitle: x\n---\n")
    assert problem_span(an, Problem(code="NM1", severity="error", message="m")) == (0, 0)
    blank = Problem(code="NM1", severity="error", message="m", line=2, column=1)
    assert problem_span(an, blank) == (4, 4)  # an empty line: an empty range at it
    odd = Problem(code="NM1", severity="error", message="m", line=3, column=8, pointer="$[0]")
    assert text_of(an, odd) == "x"
    block = analyse("---\ntitle: |\n  two\n  lines\n\ntype: 1\n---\n")
    p = Problem(code="NM1", severity="error", message="m", line=2, column=8, pointer="$.title")
    assert text_of(block, p) == "|\n  two\n  lines"  # trailing line breaks left out


def test_diagnostics_link_the_docs_and_keep_the_hint() -> None:
    an = analyse(ARTICLE.replace("webUrl:", "webURL:", 1))
    found = {d.code: d for d in diagnostics(an)}
    assert found["NM102"].code_description is not None
    assert found["NM102"].code_description.href == code_info("NM102").url
    assert found["NM102"].message.endswith("Rename it to 'webUrl'.")
    assert diagnostics(an) is diagnostics(an)  # computed once
    assert code_info("NM999").summary == "Problem NM999."


def test_enormous_text_is_not_parsed() -> None:
    an = analyse("---\ntitle: x\n---\n" + "y" * (8 * 1024 * 1024 + 1))
    assert [p.code for p in an.problems] == ["NM011"] and an.parsed is None
    assert an.fixes() is None and an.front_lines() == range(1, 2)


# -- quick fixes --------------------------------------------------------------------------------


def test_rename_quick_fix_and_kinds_of_actions() -> None:
    text = ARTICLE.replace("webUrl:", "webURL:", 1)
    an = analyse(text)
    diags = [d for d in diagnostics(an) if d.code == "NM102"]
    actions = code_actions(an, "file:///a.md", diags)
    assert [a.title for a in actions] == ["Rename 'webURL' to 'webUrl'"]
    edit = actions[0].edit
    assert edit is not None and edit.changes is not None
    (change,) = edit.changes["file:///a.md"]
    assert change.new_text == "webUrl" and change.range.start.character == 0
    assert code_actions(an, "u", diags, only=["source"]) == []  # nothing to fix in the file
    other = t.Diagnostic(range=diags[0].range, message="x", source="other", code="NM102")
    assert code_actions(an, "u", [other]) == []
    # no guess, a nested key, a pointer that names nothing
    nested = analyse(ARTICLE.replace("  name:", "  nmae:", 1))
    diags = [d for d in diagnostics(nested) if d.code == "NM102"]
    assert [a.title for a in code_actions(nested, "u", diags)] == ["Rename 'nmae' to 'name'"]
    odd = analyse(ARTICLE.replace("webUrl:", "zzzzqqq:", 1))
    assert code_actions(odd, "u", [d for d in diagnostics(odd) if d.code == "NM102"]) == []
    for pointer in ("$.nothere.x", "$.topics[99].x", "$[0]"):
        fake = t.Diagnostic(
            range=diags[0].range,
            message="x",
            source="newsmodel",
            code="NM102",
            data={"pointer": pointer},
        )
        assert code_actions(nested, "u", [fake]) == []


def test_no_fixes_for_a_file_that_does_not_load() -> None:
    an = analyse("---\ntitle: [x\n---\n")
    assert an.fixes() is None
    assert code_actions(an, "u", diagnostics(an)) == []


def test_line_edits_change_only_changed_lines() -> None:
    edits = line_edits("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(e.range.start.line, e.range.end.line, e.new_text) for e in edits] == [
        (1, 2, "B\n"),
        (3, 3, "d\n"),
    ]
    assert line_edits("same", "same") == []


# -- hover --------------------------------------------------------------------------------------


def test_hover_on_keys() -> None:
    text = ARTICLE.replace("  name:", "  nmae:", 1)
    an = analyse(text)
    lines = text.split("\n")
    line = lines.index(next(s for s in lines if s.startswith("  nmae:")))
    found = hover(an, line, 3)
    assert found is not None and isinstance(found.contents, t.MarkupContent)
    assert "not a key of `Provider`" in found.contents.value and "`name`" in found.contents.value
    line = lines.index("provider:")
    found = hover(an, line, 2)
    assert found is not None and isinstance(found.contents, t.MarkupContent)
    assert "Required in every `Article`" in found.contents.value
    line = lines.index(next(s for s in lines if s.startswith("title:")))
    assert hover(an, line, 20) is None  # a value with no problem
    assert hover(an, 10_000, 0) is None


# -- completion ---------------------------------------------------------------------------------


def labels(
    text: str, line: int, character: int, workspace: dict[str, list[str]] | None = None
) -> list[str]:
    return [i.label for i in completion(analyse(text), line, character, workspace or {})]


def test_completion_in_nested_lists_and_mappings() -> None:
    text = (
        "---\ntitle: x\ntype: video\nrelated:\n  - title: a\n    \n  - \n"
        "    provider:\n      name: p\n      \nimages: [a]\n---\n"
    )
    # a new key of a related item (its title is there already)
    found = labels(text, 5, 4)
    assert "title" not in found and "webUrl" in found
    # the first key of a new related item
    assert "title" in labels(text, 6, 4)
    # a new key of a related item's provider
    assert labels(text, 9, 6) == ["domain", "images", "authors"]
    # top level: the kind's required keys come first
    items = completion(analyse(text.replace("images: [a]", "o")), 10, 1, {})
    first = min(items, key=lambda i: i.sort_text or "")
    assert first.label in ("excerpt", "publishedDateTime", "originalUrl", "provider")
    # values: after 'type:' of a related item, nothing after a flow opener, nothing in the body
    assert "video" in labels(text.replace("title: a", "type: "), 4, 10)
    assert labels(text, 10, 9) == []
    assert labels(text, 12, 0) == []
    assert labels(text, 0, 2) == []


def test_completion_of_workspace_values_and_odd_lines() -> None:
    text = "---\ntype: article\ntopics:\n- \n  - \nweird\n  x: 1\n: y\n---\n"
    ws = {"topics": ["Azure", "AI"]}
    assert labels(text, 3, 2, ws) == ["Azure", "AI"]  # a list at the key's own column
    assert labels(text, 2, 8, ws) == []  # after 'topics:' (a list value, no scalar values)
    assert labels(text, 6, 2, ws) == []  # under a line that is no key: nothing known
    assert labels("---\nprovider:\n  name: x  y\n---\n", 2, 11) == []
    assert labels("---\nfoo:\n  \n---\n", 2, 2) == []  # an unknown key's mapping
    assert labels("---\n  - \nx:\n---\n", 1, 4) == []  # a list with no owner
    # a file with no closing fence yet: the lines up to a '---' line, or all of them
    assert "title" in labels("---\nexcerpt: x\n\n", 2, 0)
    assert "title" in labels("---\nexcerpt: x\n\n---", 2, 0)
    # the kind from the text when the front matter does not parse
    assert "originalUrl" in labels("---\ntype: video\ntitle: [\n\n---\n", 3, 0)


# -- the model ----------------------------------------------------------------------------------


def test_model_metadata() -> None:
    root = _model.file_kind({"type": "article"}).cls
    assert _model.class_at(["related", None, "provider"], root).__name__ == "Provider"
    assert _model.class_at(["title", "x"], root) is None
    assert _model.class_at(["nothere"], root) is None
    info = _model.key_info(root, "related")
    assert info is not None and info.file_type == "list of Related (a mapping)"
    assert _model.key_info(root, "nothere") is None
    assert _model.file_type(int) == "integer"
    assert set(_model.selector_values("type")) >= {"article", "video", "profile", "collection"}
    assert "organization" in _model.selector_values("taxonomy")
    assert _model.selector_values("title") == []
    assert _model.file_kind({"type": "profile"}).cls.__name__ == "Profile"
    meaning = _model.KeyInfo(
        key="k",
        attribute="k",
        owner="O",
        file_type="string",
        required=False,
        required_by=(),
        meaning="a URL",
        owner_doc="",
    )
    assert "A URL." in meaning.markdown() and "Optional." in meaning.markdown()


# -- the workspace ------------------------------------------------------------------------------


def test_workspace_values(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntopics: [Azure, AI]\ncategory: news\n---\n", "utf-8")
    (tmp_path / "b.md").write_text("---\ntopics:\n  - Azure\n  - ' '\n---\n", "utf-8")
    (tmp_path / "c.md").write_bytes(b"---\ntopics: [caf\xe9]\n---\n")  # not UTF-8: still read
    (tmp_path / "d.md").write_text("no front matter, topics\n", "utf-8")
    (tmp_path / "e.md").write_text("---\ntitle: x\n---\n", "utf-8")
    (tmp_path / "f.md").write_text("---\ntopics: [x]\n", "utf-8")  # never closed
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.md").write_text("---\ntopics: [Hidden]\n---\n", "utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "gone.md")  # a dangling link: skipped
    values = WorkspaceValues()
    assert values.scan(tmp_path) == 3
    snap = values.snapshot({"topics": ["Open"]})
    assert snap["topics"][0] == "Azure" and "Open" in snap["topics"]
    assert "Hidden" not in snap["topics"] and snap["category"] == ["news"]
    assert values.scan(tmp_path, limit=1) == 1
    assert values_of(None) == {}
    assert site_checker(tmp_path) is None


# -- the server's own parts ---------------------------------------------------------------------


def test_server_settings_site_hook_and_disk(tmp_path: Path) -> None:
    server = NewsmodelServer()
    _options(server, {"debounce": 0.5, "select": ["NM1"], "ignore": ["NM102"]})
    assert (server.debounce, server.select, server.ignore) == (0.5, ("NM1",), ("NM102",))
    _options(server, {"debounce": "soon", "select": [1]})
    _options(server, None)
    assert server.debounce == 0.5 and server.select == ("NM1",)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.newsmodel]\nignore = ["NM601"]\n', encoding="utf-8"
    )
    file = tmp_path / "a.md"
    assert server.config_for(str(file)) == (("NM1",), ("NM102", "NM601"))
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "pyproject.toml").write_text(
        '[tool.newsmodel]\nexclude = ["drafts"]\n', encoding="utf-8"
    )
    draft = OpenFile((tmp_path / "drafts" / "x.md").as_uri(), "no front matter", 1)
    assert server.analyse(draft, draft.text, 1).problems == []  # excluded: nothing shown
    server.select = None
    assert server.config_for(None) == (None, ("NM102",))
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pyproject.toml").write_text("[tool.newsmodel]\nselect = 3\n", "utf-8")
    assert server.config_for(str(tmp_path / "bad" / "a.md"))[0] is None  # a bad config: defaults

    site_problem = Problem(code="NM701", severity="error", message="m", line=2, column=1)
    calls: list[str] = []

    def checker(path: str, text: str) -> list[Problem]:
        calls.append(path)
        return [site_problem]

    server.sites[tmp_path] = checker
    f = OpenFile(file.as_uri(), ARTICLE, 1)
    an = server.analyse(f, ARTICLE, 1)
    assert site_problem in an.problems and calls == [str(file)]
    assert server.site_of(None) is None
    assert server.site_of("/elsewhere/a.md") is None
    assert server.current(f) is server.current(f)

    file.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    assert [p.code for p in server.disk_problems(f)] == ["NM002"]
    file.write_text(ARTICLE, encoding="utf-8")
    assert server.disk_problems(f) == []
    assert server.disk_problems(OpenFile("untitled:1", "", 1)) == []


def test_cli_says_which_extra_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)
    assert _main.run(["lsp"]) == 2
    assert "[lsp]" in capsys.readouterr().err


def test_fixes_and_renames_inside_related_items() -> None:
    text = (EXAMPLES.parent / "invalid-examples" / "amp" / "NM301-related-mismatch.md").read_text(
        encoding="utf-8"
    )
    an = analyse(text)
    (diag,) = [d for d in diagnostics(an) if d.code == "NM301"]
    (action,) = code_actions(an, "u", [diag], only=[t.CodeActionKind.QuickFix])
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes["u"]
    assert "cdn.ampproject.org" in edit.new_text and edit.range.start.line == diag.range.start.line
    typo = analyse(text.replace("    webUrl:", "    webUrll:", 1))
    diags = [d for d in diagnostics(typo) if d.code == "NM102"]
    titles = [a.title for a in code_actions(typo, "u", diags, only=["quickfix"])]
    assert titles == ["Rename 'webUrll' to 'webUrl'"]
    no_data = t.Diagnostic(range=diags[0].range, message="x", source="newsmodel", code="NM102")
    assert code_actions(typo, "u", [no_data], only=["quickfix"]) == []


def test_server_logs_what_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import asyncio

    from newsmodel.lsp import _server

    server = NewsmodelServer()
    logged: list[str] = []
    published: list[t.PublishDiagnosticsParams] = []
    monkeypatch.setattr(server, "log", lambda message, kind=None: logged.append(message))
    monkeypatch.setattr(server, "text_document_publish_diagnostics", published.append)

    def broken(ls: NewsmodelServer, params: object) -> int:
        raise RuntimeError("boom")

    assert _server._guard(broken)(server, None) is None
    assert "boom" in logged[-1]

    def failing_site(path: str, text: str) -> list[Problem]:
        raise OSError("gone")

    server.sites[tmp_path] = failing_site
    f = OpenFile((tmp_path / "a.md").as_uri(), ARTICLE, 1)
    assert server.analyse(f, ARTICLE, 1).problems == []
    assert "site rules failed" in logged[-1]

    # a check overtaken by a newer version is not published; the newest one is
    server.files[f.uri] = f
    real = server.analyse
    calls = 0

    def racing(f: OpenFile, text: str, version: int) -> Analysis:
        nonlocal calls
        calls += 1
        if calls == 1:
            f.version, f.dirty = 2, True
        return real(f, text, version)

    monkeypatch.setattr(server, "analyse", racing)
    f.dirty = True
    asyncio.run(server._check(f, 0))
    assert [p.version for p in published] == [2] and calls == 2

    def failing(f: OpenFile, text: str, version: int) -> Analysis:
        raise RuntimeError("check failed")

    monkeypatch.setattr(server, "analyse", failing)
    f.dirty = True
    asyncio.run(server._check(f, 0))
    assert "check failed" in logged[-1]

    # initialize: a root URI instead of folders, and a folder that is a site
    class Checker:
        root = tmp_path

        def __call__(self, path: str, text: str) -> list[Problem]:
            return []

    monkeypatch.setattr(_server, "site_checker", lambda folder: Checker())
    full = _server.create_server()
    monkeypatch.setattr(full, "log", lambda message, kind=None: logged.append(message))
    initialize = full.protocol.fm.features[t.INITIALIZE]
    initialize(t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=tmp_path.as_uri()))
    assert tmp_path in full.sites
    full.scanner.shutdown(wait=True)
    assert any("read 0 files" in m for m in logged)


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("NM202", 'webUrl: " https://www.example.com/a "', 'webUrl: "https://www.example.com/a"'),
        ("NM403", "  domain: Example.COM", "  domain: example.com"),
    ],
)
def test_each_fix_is_a_quick_fix_of_its_problem(code: str, before: str, after: str) -> None:
    text = (
        "---\ntitle: T\nexcerpt: E\npublishedDateTime: 2021-01-01T00:00:00Z\n"
        'webUrl: "https://www.example.com/a"\ntype: article\n'
        "provider:\n  name: P\n  domain: example.com\n---\nBody\n"
    )
    key = before.split(":")[0]
    line = next(s for s in text.split("\n") if s.startswith(key + ":"))
    text = text.replace(line, before)
    an = analyse(text)
    (diag,) = [d for d in diagnostics(an) if d.code == code]
    (action,) = code_actions(an, "u", [diag], only=["quickfix"])
    assert action.title.startswith(f"Fix {code}: ")
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes["u"]
    assert edit.new_text == after + "\n"
    line_no = diag.range.start.line
    assert (edit.range.start.line, edit.range.end.line) == (line_no, line_no + 1)  # that line only


def test_site_rules_follow_the_files_on_disk(tmp_path: Path) -> None:
    from newsmodel.lsp._workspace import SiteRules

    assert site_checker(tmp_path) is None  # no _config.yml: not a site
    (tmp_path / "_config.yml").write_text("title: [unclosed\n", encoding="utf-8")
    assert site_checker(tmp_path) is None  # a configuration that cannot be read: no site rules
    (tmp_path / "_config.yml").write_text("title: Site\n", encoding="utf-8")
    checker = site_checker(tmp_path)
    assert isinstance(checker, SiteRules) and checker.root == tmp_path
    page = "---\ntitle: A\ntype: article\nwebUrl: https://example.com/a\n---\n"
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(page, encoding="utf-8")
    b.write_text(page.replace("/a", "/b"), encoding="utf-8")
    (tmp_path / "c.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")  # not UTF-8: no facts
    assert checker(str(b), b.read_text("utf-8")) == []
    dup = [p.code for p in checker(str(b), page)]  # b as typed says a's webUrl
    assert dup == ["NM702"]
    assert checker(str(b), b.read_text("utf-8")) == []  # b's own line on disk is not counted
    a.unlink()
    checker.forget(str(a))
    assert checker(str(b), page) == []  # a is gone
    a.write_text(page, encoding="utf-8")
    checker.forget(str(a))
    assert [p.code for p in checker(str(b), page)] == ["NM702"]
    checker = site_checker(tmp_path)
    assert checker is not None
    checker.forget(str(a))  # before the first check: nothing to forget
    assert [p.code for p in checker(str(b), page)] == ["NM702"]


def test_notifications_of_open_files_are_not_generators() -> None:
    """pygls keeps the future of a generator handler of a notification for ever (one per
    keystroke): the server's own handlers of the open files' notifications are plain."""
    import inspect

    from newsmodel.lsp._server import create_server

    builtin = create_server().protocol.fm.builtin_features
    for method in (t.TEXT_DOCUMENT_DID_OPEN, t.TEXT_DOCUMENT_DID_CHANGE, t.TEXT_DOCUMENT_DID_CLOSE):
        assert not inspect.isgeneratorfunction(builtin[method])
