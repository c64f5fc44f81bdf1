"""The fast parser and the ruamel.yaml path agree: same data, same problems, same places.

The fast parser reads the common forms itself and hands anything unusual to ruamel.yaml; either
way a file must read the same as with ``force_slow=True`` (and valid YAML as ruamel.yaml reads it).
"""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from newsmodel.yamlio import parse_text

_YAML = YAML(typ="safe", pure=True)

VALID = {
    "quoted key": '"odd key": 1\n',
    "key of two words": "title: x\nyes no: 2\n",
    "mixed line endings": "a: 1\r\nb: 2\n",
    "multi-line double quotes": 'a: "one\n  two"\n',
    "multi-line single quotes": "a: 'one\n  two'\n",
    "multi-line plain value": "a: one\n  two\n",
    "multi-line plain item": "a:\n  - one\n    two\n",
    "flow list": "a: [1, 2]\n",
    "octal int": "a: 0o17\n",
    "escaped line break": 'a: "one \\\n  two"\n',
    "long unicode escape": 'a: "\\U0001F600 smile"\n',
    "nested dash on dash": "a:\n  - - 1\n    - 2\n",
    "dash then block": "a:\n  -\n    b: 1\n  -\n",
    "dash glued to text": "a:\n  -x\n",
    "empty value": "a:\nb: 1\n",
    "comment after quotes": "a: 'x' # note\n",
}

INVALID = {
    "unknown escape": ('a: "\\q"\n', "NM005"),
    "short hex escape": ('a: "\\x4"\n', "NM005"),
    "non-hex escape": ('a: "\\xZZ"\n', "NM005"),
    "escape past unicode": ('a: "\\U00110000"\n', "NM005"),
    "bad plain start": ("a: @x\n", "NM005"),
    "unterminated single quote": ("a: 'open\n", "NM005"),
    "text after quotes": ('a: "x" y\n', "NM005"),
    "colon inside plain": ("a: b: c\n", "NM005"),
    "deeper line after scalar": ("a: 1\n  b: 2\n", "NM005"),
    "dedent below the first key": ("  a: 1\nb: 2\n", "NM005"),
    "tab inside a value": ("a: one\ttwo\n", "NM005"),  # ruamel.yaml refuses it too
    "control character": ("a: x\x07y\n", "NM005"),
    "boolean key": ("title: x\ntrue: 1\n", "NM012"),
    "only a comment": ("# nothing\n", "NM006"),
}


def _doc(front: str) -> str:
    return f"---\n{front}---\nbody\n"


@pytest.mark.parametrize("front", VALID.values(), ids=list(VALID))
def test_fast_and_slow_read_what_ruamel_reads(front: str) -> None:
    parsed = parse_text(_doc(front))
    slow = parse_text(_doc(front), force_slow=True)
    assert parsed.root is not None and slow.root is not None
    assert parsed.root.plain() == slow.root.plain() == _YAML.load(front)
    assert parsed.problems == slow.problems == []


@pytest.mark.parametrize(("front", "code"), INVALID.values(), ids=list(INVALID))
def test_fast_and_slow_report_the_same_problem(front: str, code: str) -> None:
    parsed = parse_text(_doc(front))
    slow = parse_text(_doc(front), force_slow=True)
    found = [(p.code, p.line, p.column) for p in parsed.problems]
    assert found == [(p.code, p.line, p.column) for p in slow.problems]
    assert found[0][0] == code
    if code != "NM006":  # an empty front matter is reported at the opening fence
        assert found[0][1] >= 2  # located in the file, below the opening fence
    assert not parsed.ok
