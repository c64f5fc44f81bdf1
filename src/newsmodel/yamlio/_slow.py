"""The general path: ruamel.yaml's parser (YAML 1.2) turned into the same node tree.

It reads the event stream rather than composing nodes, so that anchors, aliases and tags are
refused before anything is built (no alias bomb can expand, no tag is ever constructed), and
so that nesting is walked with a stack of bounded depth instead of recursion.

The events come from ruamel.yaml's safe (YAML 1.2) scanner and parser, not its round-trip ones:
the round-trip scanner marks each fold of a ``>`` scalar with ``\a`` and raises its own
exceptions (``NotImplementedError``, ``AssertionError``) on some valid comment layouts, and this
path needs no comments. Any exception ruamel.yaml raises becomes a located problem.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .. import codes
from ..codes import Code
from ..problems import Problem
from ._nodes import Entry, Item, MappingNode, Node, ScalarNode, SequenceNode
from ._scalars import InvalidTimestamp, construct_timestamp

__all__ = ["MAX_DEPTH", "parse_slow"]

MAX_DEPTH = 64
"""The deepest nesting of mappings and sequences a front matter may have."""

_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
}

_resolver: Any = None
_constructor: Any = None
_scanner: Any = None


def _tools() -> tuple[Any, Any]:
    global _resolver, _constructor
    if _resolver is None:
        from ruamel.yaml import YAML

        safe = YAML(typ="safe", pure=True)
        _resolver = safe.resolver
        _constructor = safe.constructor
    return _resolver, _constructor


class _Problem(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _too_deep(mark: Any) -> _Problem:
    return _Problem(
        _at(
            codes.TOO_LARGE,
            f"The front matter nests deeper than {MAX_DEPTH} levels.",
            mark,
            "Flatten the structure; article files nest a few levels at most.",
        )
    )


def _scanner_class() -> Any:
    """ruamel.yaml's scanner, refusing flow nesting deeper than :data:`MAX_DEPTH`.

    The scanner reads ahead over every ``[`` and ``{`` before the parser hands out the first
    event, and keeps a possible simple key per level, so ``[[[[...`` ten thousand deep takes
    seconds before the event stream reaches the depth check in :func:`_build`; this stops it at
    the first level too many, in time proportional to the limit, not to the input.
    """
    global _scanner
    if _scanner is None:
        from ruamel.yaml.scanner import Scanner

        class _BoundedScanner(Scanner):
            def fetch_flow_collection_start(self, *args: Any, **kwargs: Any) -> None:
                if self.flow_level >= MAX_DEPTH:
                    raise _too_deep(self.reader.get_mark())
                super().fetch_flow_collection_start(*args, **kwargs)

        _scanner = _BoundedScanner
    return _scanner


def _at(code: Code, message: str, mark: Any, hint: str | None = None) -> Problem:
    # line 0 of the front matter is line 2 of the file; the caller shifts lines.
    return code.problem(message, line=mark.line, column=mark.column, hint=hint)


def parse_slow(front: str) -> tuple[Node | None, list[Problem]]:
    """Parse ``front`` with ruamel.yaml; positions are 0-based in the front matter."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    problems: list[Problem] = []
    try:
        yaml = YAML(typ="safe", pure=True)
        yaml.Scanner = _scanner_class()
        events = yaml.parse(front)
        root = _build(events, front, problems)
    except _Problem as exc:
        problems.append(exc.problem)
        return None, problems
    except MarkedYAMLError as exc:
        problems.append(_syntax_problem(exc))
        return None, problems
    except (YAMLError, ValueError) as exc:  # reader errors (non-printable characters) and the like
        mark = getattr(exc, "position", None)
        line = front.count("\n", 0, mark) if isinstance(mark, int) else 0
        col = (mark - (front.rfind("\n", 0, mark) + 1)) if isinstance(mark, int) else 0
        problems.append(
            codes.YAML_SYNTAX.problem(
                message=f"The front matter is not valid YAML: {exc}.",
                line=line,
                column=col,
            )
        )
        return None, problems
    except Exception as exc:  # a crash of the parser is reported, never raised
        problems.append(
            codes.YAML_SYNTAX.problem(
                message=(
                    "The front matter cannot be read: the YAML parser failed "
                    f"({type(exc).__name__}: {exc})."
                ),
                line=0,
                column=0,
                hint="Please report this file: valid YAML should always be read.",
            )
        )
        return None, problems
    return root, problems


def _syntax_problem(exc: Any) -> Problem:
    """A YAML syntax error, located where the mistake starts, with a hint where one helps."""
    context = str(exc.context or "")
    problem = str(exc.problem or "")
    mark = exc.problem_mark or exc.context_mark
    hint = None
    ran_off = "end of stream" in problem or "<stream end>" in problem
    unclosed = "flow" in context and "expected ','" in problem
    if (ran_off or unclosed) and exc.context_mark is not None:
        # an unclosed quote or bracket is found further on: point at where it opens
        mark = exc.context_mark
    text = " ".join(x for x in (context, problem) if x)
    text = text[:1].upper() + text[1:]
    if "'\\t'" in text:  # the commonest cause by far: say it plainly
        text = "A tab character stands where YAML allows only spaces"
        hint = "Indent with spaces; write a value that holds a tab in double quotes, as \\t."
    elif "quoted scalar" in context and ran_off:
        text = "A quoted value is never closed"
        hint = (
            'Close the quote on this value; inside double quotes write a quote as \\", '
            "inside single quotes as ''."
        )
    elif "flow" in context and (ran_off or unclosed):
        text = "A '[' or '{' is never closed"
        hint = (
            "Close the list with ']' (a mapping with '}'), or quote a value that starts with one."
        )
    elif "mapping values are not allowed" in problem:
        hint = "Quote a value that holds ': ' (a colon and a space) in double quotes."
    elif "cannot start any token" in problem:
        hint = "Quote a value that starts with this character in double quotes."
    return codes.YAML_SYNTAX.problem(
        message=f"The front matter is not valid YAML: {text}.",
        line=mark.line if mark else 0,
        column=mark.column if mark else 0,
        hint=hint,
    )


def _dash_before(front: str, index: int) -> int:
    """Where the ``-`` of the block sequence item whose node starts at ``index`` stands (-1 if
    not found): back over spaces, line breaks and comment lines (``- # note`` then the node)."""
    j = index - 1
    while j >= 0:
        while j >= 0 and front[j] in " \r\n":
            j -= 1
        if j < 0 or front[j] == "-":
            return j
        start = front.rfind("\n", 0, j) + 1
        segment = front[start : j + 1]
        hash_at = next(
            (i for i, c in enumerate(segment) if c == "#" and (i == 0 or segment[i - 1] in " \t")),
            -1,
        )
        if hash_at < 0:
            return -1
        j = start + hash_at - 1
    return -1


def _empty_start(front: str, index: int) -> tuple[int, int]:
    """Where an empty value stands: right after its ``:`` or ``-`` and the spaces after it."""
    i = index
    n = len(front)
    j = index - 1
    while j >= 0 and front[j] == " ":
        j -= 1
    line_start = front.rfind("\n", 0, max(j, 0)) + 1
    after_indicator = j >= 0 and (
        front[j] == ":" or (front[j] == "-" and not front[line_start:j].replace("-", " ").strip())
    )
    while not after_indicator and i < n and front[i] in " \r\n#":  # lines before a ``-``
        if front[i] == "#":
            i = front.find("\n", i) % (n + 1)
        else:
            i += 1
    if i >= n or front[i] not in ":-":
        i = index  # no indicator ahead (in a flow collection): where the last node ended
        while i < n and front[i] == " ":
            i += 1
    if i < n and front[i] in ":-":
        i += 1
    while i < n and front[i] == " ":
        i += 1
    return i, i - (front.rfind("\n", 0, i) + 1)


def _build(events: Any, front: str, problems: list[Problem]) -> Node | None:
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )
    from ruamel.yaml.nodes import ScalarNode as RScalarNode

    resolver, constructor = _tools()
    stack: list[list[Any]] = []  # [node, pending key entry or None]
    root: Node | None = None
    documents = 0
    prev_end = 0
    newlines: list[int] = []

    def line_of(index: int) -> int:
        """``front.count("\\n", 0, index)`` in O(log n): a long block sequence or a run of empty
        values would otherwise count from the start for each item (quadratic time)."""
        if not newlines:
            newlines.extend(m.start() for m in re.finditer("\n", front))
            newlines.append(len(front) + 1)  # never empty once computed
        return bisect.bisect_left(newlines, index)

    def attach(node: Node, ev: Any) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        parent = frame[0]
        if isinstance(parent, SequenceNode):
            line, col = ev.start_mark.line, ev.start_mark.column
            if not parent.flow:
                j = _dash_before(front, ev.start_mark.index)
                if j >= 0:
                    line = line_of(j)
                    col = j - (front.rfind("\n", 0, j) + 1)
            parent.add(Item(line, col, node))
            return
        key = frame[1]
        if key is None:
            # the node is a key
            if not isinstance(node, ScalarNode):
                raise _Problem(
                    _at(
                        codes.KEY_NOT_STRING,
                        "A mapping key must be a plain string, not a collection.",
                        ev.start_mark,
                    )
                )
            frame[1] = node
            return
        frame[1] = None
        if not isinstance(key.value, str):
            raise _Problem(
                codes.KEY_NOT_STRING.problem(
                    message=(
                        f"The key {key.value!r} is not a string; keys are names such as 'title'."
                    ),
                    line=key.line,
                    column=key.column,
                    hint=f"Quote it: '\"{key.value}\"', or use the right key name.",
                )
            )
        parent.add(Entry(key.value, key.line, key.column, node))

    for ev in events:
        if isinstance(ev, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Problem(
                    _at(
                        codes.YAML_SYNTAX,
                        "The front matter holds more than one YAML document.",
                        ev.start_mark,
                    )
                )
            continue
        if isinstance(ev, AliasEvent):
            raise _Problem(
                _at(
                    codes.YAML_ALIAS,
                    f"Aliases (*{ev.anchor}) are not allowed in front matter.",
                    ev.start_mark,
                    "Write the value out in full instead of referring to an anchor.",
                )
            )
        if isinstance(ev, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
            if ev.anchor is not None:
                problems.append(
                    _at(
                        codes.YAML_ALIAS,
                        f"Anchors (&{ev.anchor}) are not allowed in front matter.",
                        ev.start_mark,
                        f"Remove '&{ev.anchor}'.",
                    )
                )
            tag = getattr(ev, "ctag", None) or ev.tag
            if tag is not None and not (
                isinstance(ev, ScalarEvent) and str(tag) == "!" and ev.style
            ):
                raise _Problem(
                    _at(
                        codes.YAML_TAG,
                        f"Tags ({tag}) are not allowed in front matter; nothing tagged is built.",
                        ev.start_mark,
                        "Remove the tag and write a plain value.",
                    )
                )
        if isinstance(ev, ScalarEvent):
            style = ev.style or ""
            if style:
                tag_name, value = "str", ev.value
            else:
                rtag = str(resolver.resolve(RScalarNode, ev.value, (True, False)))
                tag_name = _TAGS.get(rtag, "")
                if not tag_name:
                    raise _Problem(
                        _at(
                            codes.YAML_SYNTAX,
                            f"The plain value {ev.value!r} is not allowed here.",
                            ev.start_mark,
                        )
                    )
                value = _construct(tag_name, ev, rtag, constructor)
            start, end = ev.start_mark.index, ev.end_mark.index
            line, col = ev.start_mark.line, ev.start_mark.column
            end_line = ev.end_mark.line
            if not style and ev.value == "":
                # ruamel.yaml marks the empty item of a block list right after its own ``-``,
                # and an empty mapping value at the next token: there, start from where the
                # previous event ended (after the ``-`` of an empty item before, that would
                # place this one on the line of the other)
                at = ev.start_mark.index
                in_list = bool(stack) and isinstance(stack[-1][0], SequenceNode)
                from_dash = in_list and not stack[-1][0].flow and at > 0 and front[at - 1] == "-"
                start, col = _empty_start(front, at if from_dash else prev_end)
                end = start
                line = end_line = line_of(start)
            elif style in ("|", ">"):
                header = front[start : front.find("\n", start) % (len(front) + 1)]
                if "+" in header.split("#", 1)[0]:  # kept: its trailing blank lines are its own
                    if ev.end_mark.column == 0 and end_line > line:
                        end_line -= 1
                else:  # it ends on its last line of text, not on the blank lines after it
                    last = end - 1
                    while last > start and front[last] in " \r\n":
                        last -= 1
                    end_line = line_of(last)
            attach(ScalarNode(value, tag_name, style, start, end, line, col, end_line), ev)
            prev_end = ev.end_mark.index
        elif isinstance(ev, (MappingStartEvent, SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise _too_deep(ev.start_mark)
            flow = bool(ev.flow_style)
            line, col = ev.start_mark.line, ev.start_mark.column
            node: Node = (
                MappingNode(line, col, flow)
                if isinstance(ev, MappingStartEvent)
                else SequenceNode(line, col, flow)
            )
            node.start = ev.start_mark.index
            attach(node, ev)
            stack.append([node, None])
            prev_end = ev.end_mark.index
        elif isinstance(ev, (MappingEndEvent, SequenceEndEvent)):
            node = stack.pop()[0]
            node.end_line = ev.end_mark.line
            node.end = ev.end_mark.index
            prev_end = ev.end_mark.index
    return root


def _construct(tag: str, ev: Any, rtag: str, constructor: Any) -> Any:
    text = ev.value
    if tag == "str":
        return text
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() == "true"
    if tag == "timestamp":
        try:
            return construct_timestamp(text)
        except ValueError as exc:  # the converter reports it as a problem of its field
            return InvalidTimestamp(text, str(exc))
    from ruamel.yaml.nodes import ScalarNode as RScalarNode

    node = RScalarNode(rtag, text, start_mark=ev.start_mark, end_mark=ev.end_mark)
    if tag == "int":
        return constructor.construct_yaml_int(node)
    return constructor.construct_yaml_float(node)
