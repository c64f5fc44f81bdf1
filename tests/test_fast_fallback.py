"""The fast parser hands anything unusual to ruamel.yaml: same data, same problems either way."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from newsmodel.yamlio import parse_text

_YAML = YAML(typ="safe", pure=True)

# Each front matter is valid YAML that the fast parser declines (it gives up, ruamel.yaml reads it).
VALID = {
    "quoted key": '"odd key": 1\n',
    "bool key": "title: x\nyes no: 2\n",
    "multi-line double quotes": 'a: "one\n  two"\n',
    "multi-line single quotes": "a: 'one\n  two'\n",
    "flow list": "a: [1, 2]\n",
    "multi-line plain item": "a:\n  - one\n    two\n",
    "escaped line break": 'a: "one \\\n  two"\n',
    "long unicode escape": 'a: "\\U0001F600 smile"\n',
    "nested dash on dash": "a:\n  - - 1\n    - 2\n",
    "dash glued to comment": "a:\n  -#x\n",
}

INVALID = {
    "unknown escape": 'a: "\\q"\n',
    "short hex escape": 'a: "\\x4"\n',
    "non-hex escape": 'a: "\\xZZ"\n',
    "escape past unicode": 'a: "\\U00110000"\n',
    "bad plain start": "a: @x\n",
    "unterminated single quote": "a: 'open\n",
}


def _doc(front: str) -> str:
    return f"---\n{front}---\nbody\n"


@pytest.mark.parametrize("front", VALID.values(), ids=list(VALID))
def test_fallback_reads_what_ruamel_reads(front: str) -> None:
    parsed = parse_text(_doc(front))
    slow = parse_text(_doc(front), force_slow=True)
    assert parsed.root is not None and slow.root is not None
    assert parsed.root.plain() == slow.root.plain() == _YAML.load(front)
    assert [p.code for p in parsed.problems] == [p.code for p in slow.problems]


@pytest.mark.parametrize("front", INVALID.values(), ids=list(INVALID))
def test_fallback_reports_what_the_slow_path_reports(front: str) -> None:
    parsed = parse_text(_doc(front))
    slow = parse_text(_doc(front), force_slow=True)
    found = [(p.code, p.line, p.column) for p in parsed.problems]
    assert found == [(p.code, p.line, p.column) for p in slow.problems]
    assert found and found[0][0] == "NM005"
    assert found[0][1] >= 2  # located in the file, below the opening fence
    assert not parsed.ok
