"""Splitting a file into BOM, fences, front matter and body: every part written out by hand."""

from __future__ import annotations

import pytest

from newsmodel.problems import Problem
from newsmodel.yamlio import Split, parse_text

__all__: list[str] = []


def split(text: str) -> Split:
    parsed = parse_text(text)
    assert parsed.split is not None, parsed
    assert parsed.split.text() == text  # every byte is kept
    return parsed.split


def parts(text: str) -> tuple[str, str, str, str, str, str]:
    s = split(text)
    return (s.bom, s.open_fence, s.front, s.close_fence, s.body, s.newline)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\na: 1\n---\nbody\n", ("", "---\n", "a: 1\n", "---\n", "body\n", "\n")),
        ("---\r\na: 1\r\n---\r\nb\r\n", ("", "---\r\n", "a: 1\r\n", "---\r\n", "b\r\n", "\r\n")),
        ("\ufeff---\na: 1\n---\n", ("\ufeff", "---\n", "a: 1\n", "---\n", "", "\n")),
        ("--- \t\na: 1\n---  \nx", ("", "--- \t\n", "a: 1\n", "---  \n", "x", "\n")),
        ("---\na: 1\n---", ("", "---\n", "a: 1\n", "---", "", "\n")),  # no newline at the end
        ("---\n---\nbody", ("", "---\n", "", "---\n", "body", "\n")),  # empty front matter
        # "---x" and "----" are not fences: the first line that is only "---" closes
        (
            "---\na: |\n  ---x\n  ----\n---\nb\n",
            ("", "---\n", "a: |\n  ---x\n  ----\n", "---\n", "b\n", "\n"),
        ),
        ("---\na: 1\n----\n---\n", ("", "---\n", "a: 1\n----\n", "---\n", "", "\n")),
        ("---\na: 1\n---x\n--- \n", ("", "---\n", "a: 1\n---x\n", "--- \n", "", "\n")),
        # after a line that only starts like a fence, the next fence closes, not the last
        (
            "---\na: 1\n---x\n---\nb\n---\nc\n",
            ("", "---\n", "a: 1\n---x\n", "---\n", "b\n---\nc\n", "\n"),
        ),
        # an empty front matter after a BOM
        ("\ufeff---\n---\nbody", ("\ufeff", "---\n", "", "---\n", "body", "\n")),
        # a second "---" in the body stays in the body
        ("---\na: 1\n---\nb\n---\nc\n", ("", "---\n", "a: 1\n", "---\n", "b\n---\nc\n", "\n")),
    ],
)
def test_parts_written_out(text: str, expected: tuple[str, ...]) -> None:
    assert parts(text) == expected


def test_text_with_a_replacement_front_matter() -> None:
    s = split("\ufeff---\na: 1\n---\nbody\n")
    assert s.text() == "\ufeff---\na: 1\n---\nbody\n"
    assert s.text("b: 2\n") == "\ufeff---\nb: 2\n---\nbody\n"
    assert s.text("") == "\ufeff---\n---\nbody\n"


def problem(text: str) -> tuple[str, str, int | None, int | None, str | None]:
    parsed = parse_text(text)
    assert parsed.split is None
    (p,) = [p for p in parsed.problems if isinstance(p, Problem)]
    return (p.code, p.message, p.line, p.column, p.hint)


START = "Start the file with a line '---', the YAML keys, and a closing '---' line."
CR_HINT = "Convert the file's line endings to LF (or CRLF)."
CLOSE_HINT = "Add a line '---' after the last front matter key."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "",
            (
                "NM003",
                "The file is empty; expected a front matter between '---' lines.",
                1,
                1,
                START,
            ),
        ),
        (
            " \n\t\n",
            (
                "NM003",
                "The file is empty; expected a front matter between '---' lines.",
                1,
                1,
                START,
            ),
        ),
        (
            "\ufeff",
            (
                "NM003",
                "The file is empty; expected a front matter between '---' lines.",
                1,
                1,
                START,
            ),
        ),
        (
            "# Title\n---\na: 1\n---\n",
            (
                "NM003",
                "The file does not start with a front matter fence '---'.",
                1,
                1,
                START,
            ),
        ),
        (
            "---x\na: 1\n---\n",
            (
                "NM003",
                "The file does not start with a front matter fence '---'.",
                1,
                1,
                START,
            ),
        ),
        (
            " ---\na: 1\n---\n",
            (
                "NM003",
                "The file does not start with a front matter fence '---'.",
                1,
                1,
                START,
            ),
        ),
        (
            "---\ra: 1\r---\r",
            (
                "NM013",
                "The file uses CR-only line endings; expected LF or CRLF.",
                1,
                4,
                CR_HINT,
            ),
        ),
        # a CR before other characters of the first line: CR-only line endings
        (
            "---\rX",
            ("NM013", "The file uses CR-only line endings; expected LF or CRLF.", 1, 4, CR_HINT),
        ),
        (
            "---\r \r",
            ("NM013", "The file uses CR-only line endings; expected LF or CRLF.", 1, 4, CR_HINT),
        ),
        # only CRs at the end of the first line, or a CR on a later line: not CR-only endings
        (
            "---\r",
            ("NM003", "The file does not start with a front matter fence '---'.", 1, 1, START),
        ),
        (
            "---x\na\rb\n",
            ("NM003", "The file does not start with a front matter fence '---'.", 1, 1, START),
        ),
        (
            "---\na: 1\rb: 2\n---\n",
            (
                "NM013",
                "The front matter has a CR-only line ending; expected LF or CRLF.",
                2,
                5,
                CR_HINT,
            ),
        ),
        (
            "---\r\na: 1\r\nbb: 2\rc: 3\r\n---\r\n",
            (
                "NM013",
                "The front matter has a CR-only line ending; expected LF or CRLF.",
                3,
                6,
                CR_HINT,
            ),
        ),
        (
            "---\na: 1\nb: 2\n",
            ("NM004", "The front matter has no closing '---' line.", 4, 1, CLOSE_HINT),
        ),
        ("---", ("NM004", "The front matter has no closing '---' line.", 1, 1, CLOSE_HINT)),
        (
            "---\na: 1\n---x\n",
            ("NM004", "The front matter has no closing '---' line.", 4, 1, CLOSE_HINT),
        ),
        (
            "---\na: 1\n ---\n",
            ("NM004", "The front matter has no closing '---' line.", 4, 1, CLOSE_HINT),
        ),
    ],
)
def test_problems_written_out(
    text: str, expected: tuple[str, str, int | None, int | None, str | None]
) -> None:
    assert problem(text) == expected


def test_crlf_front_matter_is_not_a_lone_cr() -> None:
    s = split("---\r\na: 1\r\nb: 2\r\n---\r\n")
    assert s.front == "a: 1\r\nb: 2\r\n" and s.newline == "\r\n"
