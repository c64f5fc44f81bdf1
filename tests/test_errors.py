"""The exceptions: a DocumentError carries its problems, says the first, and pickles."""

from __future__ import annotations

import pickle

import pytest

from newsmodel.errors import DocumentError, StructureError
from newsmodel.problems import Problem


def test_document_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        StructureError([])


def test_document_error_pickles_with_its_problems() -> None:
    problems = [
        Problem(
            code="NM100", severity="error", message="Wrong type.", line=2, column=8, file="a.md"
        ),
        Problem(code="NM101", severity="error", message="Missing.", line=1, column=1, file="a.md"),
    ]
    exc = StructureError(problems, "a.md")
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is StructureError
    assert isinstance(again, DocumentError)
    assert again.problems == exc.problems
    assert str(again) == str(exc) == "a.md:2:8: NM100 Wrong type. @ $ (and 1 more problem)"
