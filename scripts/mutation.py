"""Mutation testing of the modules where a silent bug costs users most (docs/quality.md).

Runs mutmut (``pip install -e '.[mutation]'``) on one group of functions at a time, each in a
copy of the project under ``.mutation/<group>/`` with a fast, targeted test selection, at low
priority, within a wall-clock budget, then writes every surviving mutant (with its diff) to a
report and prints the summary per group::

    python scripts/mutation.py                    # every group, 40 minutes in all
    python scripts/mutation.py urls split         # some groups
    python scripts/mutation.py --budget 600 -j 1  # ten minutes, one worker
    python scripts/mutation.py --list             # the groups and their tests

Mutants listed as equivalent in docs/quality.md (mutant name, mutated line, reason) count as
equivalent only while the mutated line is the one listed; anything else that survives is a
test to write. Exit status: 0 when every group ran to the end and all survivors are listed
as equivalent, 1 otherwise.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
QUALITY = ROOT / "docs" / "quality.md"


@dataclass(frozen=True)
class Group:
    """Functions to mutate (mutmut names, fnmatch patterns) and the tests that judge them."""

    source: str
    patterns: tuple[str, ...]
    tests: tuple[str, ...]
    about: str = ""


GROUPS: dict[str, Group] = {
    "urls": Group(
        "src/newsmodel/urls.py",
        ("newsmodel.urls.*",),
        ("tests/test_urls.py", "tests/test_rule_shortcuts.py"),
        "URL and AMP helpers",
    ),
    "converter": Group(
        "src/newsmodel/converter.py",
        # the hooks called for each value; the factories that build hooks (_tuple_factory,
        # _optional_factory, _model_hook and their predicates) run once, when the module's
        # converter is built at import, before mutmut can switch a mutant on (docs/quality.md)
        tuple(
            f"newsmodel.converter.x_{name}__mutmut_*"
            for name in (
                "describe",
                "_str",
                "_int",
                "_float",
                "_bool",
                "_datetime",
                "_extra_mapping",
                "_check_timestamps",
            )
        ),
        ("tests/test_converter.py", "tests/test_document.py"),
        "the converter's strict hooks",
    ),
    "split": Group(
        "src/newsmodel/yamlio/_split.py",
        ("newsmodel.yamlio._split.*",),
        ("tests/test_split.py", "tests/test_document.py"),
        "front-matter split",
    ),
    "atomic": Group(
        "src/newsmodel/document.py",
        tuple(
            f"newsmodel.document.x_{name}__mutmut_*"
            for name in ("dump", "write_atomic", "_fsync_folder")
        ),
        ("tests/test_atomic_write.py",),
        "atomic writes",
    ),
    "edit": Group(
        "src/newsmodel/yamlio/_edit.py",
        ("newsmodel.yamlio._edit.*",),
        (
            "tests/test_edit_cases.py",
            "tests/test_yaml_correctness.py",
            "tests/test_document.py",
            "tests/test_fix.py",
        ),
        "the edit splicer",
    ),
    "report": Group(
        "src/newsmodel/cli/_report.py",
        ("newsmodel.cli._report.*",),
        ("tests/test_report.py",),
        "the reporters of newsmodel check",
    ),
    "dates": Group(
        "src/newsmodel/rules/dates.py",
        ("newsmodel.rules.dates.*",),
        ("tests/test_rules.py", "tests/test_validate_api.py"),
        "date rules (NM5xx)",
    ),
    "provider": Group(
        "src/newsmodel/rules/provider.py",
        ("newsmodel.rules.provider.*",),
        ("tests/test_rules.py", "tests/test_rule_shortcuts.py"),
        "domain rules (NM4xx)",
    ),
    "fields": Group(
        "src/newsmodel/rules/_fields.py",
        ("newsmodel.rules._fields.*",),
        ("tests/test_rule_fields.py", "tests/test_kinds.py", "tests/test_rules.py"),
        "the model-driven rule engine (every field of a file by meaning)",
    ),
}

# mutmut's exit codes (mutmut.stats.status_by_exit_code), folded into the summary's columns
STATUS = {1: "killed", 3: "killed", 37: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
STATUS.update({36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout"})


@dataclass
class Outcome:
    group: str
    counts: Counter[str] = field(default_factory=Counter)
    survivors: list[tuple[str, str]] = field(default_factory=list)  # (name, diff)
    equivalent: list[str] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    error: str = ""

    @property
    def made(self) -> int:
        return sum(self.counts.values())

    @property
    def score(self) -> float:
        """Killed (timeouts count as killed) over the mutants that are not equivalent."""
        live = self.made - len(self.equivalent) - self.counts["not checked"]
        killed = self.counts["killed"] + self.counts["timeout"]
        return 100.0 * killed / live if live else 100.0


def equivalents() -> dict[str, str]:
    """Mutant name -> the mutated line docs/quality.md lists it with."""
    table: dict[str, str] = {}
    if QUALITY.is_file():
        row = re.compile(r"^\| `(newsmodel\.[\w.]+__mutmut_\d+)` \| `(.*)` \| .* \|$")
        for line in QUALITY.read_text(encoding="utf-8").splitlines():
            m = row.match(line)
            if m:
                table[m.group(1)] = m.group(2).replace("\\|", "|")
    return table


def mutated_line(diff: str) -> str:
    """The first added line of a mutant's diff, stripped (what docs/quality.md shows)."""
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()
    return ""


def prepare(name: str, group: Group, base: dict[str, object]) -> Path:
    """A fresh copy of the project for ``group``, with its mutmut settings."""
    work = WORK / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for folder in ("src", "tests", "examples", "docs"):
        shutil.copytree(
            ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy2(ROOT / "README.md", work / "README.md")  # tests read its examples
    _uncache(work / group.source)
    tests = [t for t in group.tests if (ROOT / t).is_file()]
    settings = {
        **base,
        "only_mutate": [group.source],
        "pytest_add_cli_args_test_selection": tests,
    }
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    text += "\n[tool.mutmut]\n" + "".join(
        f"{key} = {json.dumps(value)}\n" for key, value in settings.items()
    )
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    return work


# Functions whose cache stays: their bodies only build something expensive (a Public Suffix
# List, the detailed converter), and without the cache the tests would time out.
KEEP_CACHED = ("_psl", "_detailed")


def _uncache(source: Path) -> None:
    """Drop ``functools`` cache decorators in the copy of the mutated module.

    mutmut leaves decorated functions unmutated; without the decorator (the same results,
    only slower) their bodies are mutated and tested like any other.
    """
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        cached = re.fullmatch(r"\s*@functools\.(lru_cache|cache)(\(.*\))?\s*", line)
        if cached and not any(f"def {name}(" in nxt for name in KEEP_CACHED):
            continue
        out.append(line)
    source.write_text("".join(out), encoding="utf-8")


def base_settings() -> dict[str, object]:
    """The ``[tool.mutmut]`` table of pyproject.toml (shared by every group)."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(data.get("tool", {}).get("mutmut", {}))


def run_group(name: str, group: Group, jobs: int, budget: float) -> Outcome:
    outcome = Outcome(name)
    work = prepare(name, group, base_settings())
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation", "NO_COLOR": "1"}
    env.setdefault("NEWSMODEL_SHARED", str(ROOT.parent / "shared"))
    mutmut = [sys.executable, "-m", "mutmut"]
    command = ["nice", "-n", "10", *mutmut, "run", "--max-children", str(jobs), *group.patterns]
    log = (work / "mutmut.log").open("w", encoding="utf-8")
    start = time.monotonic()
    process = subprocess.Popen(
        command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        process.wait(timeout=max(budget, 1.0))
    except subprocess.TimeoutExpired:
        outcome.interrupted = True
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    outcome.seconds = time.monotonic() - start
    log.close()
    if process.returncode not in (0, None) and not outcome.interrupted:
        tail = (work / "mutmut.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        outcome.error = f"mutmut exited {process.returncode}:\n{tail}"

    meta = work / "mutants" / (group.source + ".meta")
    results: dict[str, int | None] = {}
    if meta.is_file():
        results = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    results = {
        key: code
        for key, code in results.items()
        if any(fnmatch.fnmatch(key, p) for p in group.patterns)
    }
    for code in results.values():
        outcome.counts["not checked" if code is None else STATUS.get(code, "suspicious")] += 1
    survived = sorted(
        (k for k, code in results.items() if code is not None and STATUS.get(code) == "survived"),
        key=_natural,
    )
    diffs = _diffs(work, survived, env)
    listed = equivalents()
    for key in survived:
        diff = diffs.get(key, "")
        if key in listed and listed[key] == mutated_line(diff):
            outcome.equivalent.append(key)
        else:
            outcome.survivors.append((key, diff))
    return outcome


def _natural(key: str) -> tuple[str, int]:
    head, _, number = key.rpartition("_")
    return head, int(number) if number.isdigit() else 0


def _diffs(work: Path, names: list[str], env: dict[str, str]) -> dict[str, str]:
    """Each mutant's diff, from one process (``mutmut show`` per mutant is slow)."""
    if not names:
        return {}
    code = (
        "import json, sys\n"
        "from mutmut.__main__ import find_mutant, get_diff_for_mutant\n"
        "out = {}\n"
        "for name in json.load(sys.stdin):\n"
        "    out[name] = get_diff_for_mutant(name, path=find_mutant(name).path)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=600,
    )
    if result.returncode == 0:
        return dict(json.loads(result.stdout.splitlines()[-1]))
    return {name: f"(no diff: {result.stderr.strip()[-300:]})" for name in names}


def summary_table(outcomes: list[Outcome]) -> str:
    head = (
        "| group | module | made | killed | timeout | survived | equivalent | not checked "
        "| score | time |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for o in outcomes:
        g = GROUPS[o.group]
        c = o.counts
        rows.append(
            f"| {o.group} | `{g.source.removeprefix('src/')}` | {o.made} | {c['killed']} "
            f"| {c['timeout']} | {len(o.survivors)} | {len(o.equivalent)} | {c['not checked']} "
            f"| {'error' if o.error else f'{o.score:.1f}%'} "
            f"| {o.seconds:.0f} s{' (budget hit)' if o.interrupted else ''} |"
        )
    return head + "\n".join(rows) + "\n"


def write_report(path: Path, outcomes: list[Outcome], jobs: int) -> None:
    lines = [
        "# Mutation testing report",
        "",
        f"mutmut on {jobs} worker(s), `nice -n 10`; written by `scripts/mutation.py` "
        f"on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        summary_table(outcomes),
    ]
    for o in outcomes:
        if o.error:
            lines += [f"## {o.group}: error", "", "```text", o.error, "```", ""]
        if o.survivors:
            lines += [f"## {o.group}: {len(o.survivors)} surviving mutants", ""]
            for name, diff in o.survivors:
                lines += [f"### `{name}`", "", "```diff", diff.strip(), "```", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "groups", nargs="*", help=f"groups to run (default all: {', '.join(GROUPS)})"
    )
    parser.add_argument(
        "--budget", type=float, default=2400.0, help="seconds in all (default 2400)"
    )
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutmut workers (default 2)")
    parser.add_argument(
        "--report", type=Path, default=WORK / "report.md", help="default .mutation/report.md"
    )
    parser.add_argument("--list", action="store_true", help="show the groups and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, g in GROUPS.items():
            print(f"{name:10} {g.source}  ({g.about})\n{'':10} tests: {' '.join(g.tests)}")
        return 0
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s): {', '.join(unknown)}")
    names = args.groups or list(GROUPS)
    deadline = time.monotonic() + args.budget
    outcomes: list[Outcome] = []
    for i, name in enumerate(names):
        left = deadline - time.monotonic()
        share = left / (len(names) - i)  # an even share of what is left
        if share < 10:
            print(f"{name}: no time left in the budget", file=sys.stderr)
            continue
        print(f"== {name} ({GROUPS[name].about}), up to {share:.0f} s", file=sys.stderr, flush=True)
        outcome = run_group(name, GROUPS[name], args.jobs, share)
        outcomes.append(outcome)
        write_report(args.report, outcomes, args.jobs)
    print(summary_table(outcomes))
    for o in outcomes:
        if o.error:
            print(f"{o.group}: {o.error}", file=sys.stderr)
    print(f"surviving mutants: {args.report}")
    done = len(outcomes) == len(names) and not any(o.interrupted or o.error for o in outcomes)
    return 0 if done and not any(o.survivors for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
