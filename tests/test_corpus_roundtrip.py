"""The bar: every real file loads, structures, and round-trips byte for byte."""

from __future__ import annotations

from pathlib import Path

import newsmodel as nm

from .conftest import SEED


def test_every_corpus_file_round_trips(corpus: list[Path], tmp_path: Path) -> None:
    failures: list[str] = []
    crlf = 0
    for path in [*corpus, SEED]:
        data = path.read_bytes()
        text = data.decode("utf-8")
        crlf += "\r\n" in text
        try:
            doc = nm.loads(text, path=path)
        except nm.NewsModelError as exc:
            failures.append(f"{path}: {exc}")
            continue
        if nm.dumps(doc) != text:
            failures.append(f"{path}: dumps() differs")
    assert not failures, "\n".join(failures[:20])
    assert crlf >= 1000  # the corpus keeps its CRLF files (1,104 of them)


def test_dump_writes_identical_bytes(corpus: list[Path], tmp_path: Path) -> None:
    # A sample across all folders through the file API (the whole corpus is covered above).
    sample = corpus[::50]
    for path in sample:
        out = tmp_path / path.name
        nm.dump(nm.load(path), out)
        assert out.read_bytes() == path.read_bytes(), path


def test_fast_and_ruamel_paths_build_the_same_tree(corpus: list[Path]) -> None:
    from newsmodel.yamlio import MappingNode, ScalarNode, parse_text

    def sig(n: object) -> object:
        if isinstance(n, ScalarNode):
            return (n.value, type(n.value), n.tag, n.style, n.start, n.end, n.line, n.column)
        if isinstance(n, MappingNode):
            return tuple(
                (e.key, e.key_line, e.key_column, e.last_line, sig(e.value)) for e in n.entries
            )
        return tuple((i.line, i.column, i.last_line, sig(i.value)) for i in n.items)  # type: ignore[attr-defined]

    sample = corpus[::7]  # the ruamel.yaml path is slow: a seventh of the corpus, every folder
    for path in [*sample, SEED]:
        text = path.read_bytes().decode("utf-8")
        fast = parse_text(text)
        slow = parse_text(text, force_slow=True)
        assert fast.fast and not slow.fast
        assert not fast.problems and not slow.problems
        assert sig(fast.root) == sig(slow.root), path
