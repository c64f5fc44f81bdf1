"""Run the steps of ``action.yml`` on this machine the way the GitHub runner does.

For the tests (``tests/test_action.py``) and for ``scripts/try_site.py``: each ``run:`` step of
the composite action runs with ``bash --noprofile --norc -eo pipefail`` (the runner's ``shell:
bash``), in the workspace, with ``${{ inputs.NAME }}`` replaced by the inputs (or their
defaults), the step's ``env:``, ``GITHUB_ACTION_PATH``, ``RUNNER_TEMP``, ``GITHUB_WORKSPACE``
and a ``GITHUB_ENV`` file whose ``NAME=value`` lines reach the later steps. The one ``uses:``
step, ``actions/setup-python``, is stood in for by putting ``python`` (the interpreter given)
first on ``PATH``.

    python scripts/action_steps.py --workspace DIR [--input NAME=VALUE ...] [--python PY]

prints each step's output and exits with the status of the first step that failed (or 0).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

__all__ = ["ACTION", "Step", "load_action", "main", "run_steps"]

ACTION = Path(__file__).resolve().parents[1] / "action.yml"
_EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


class Step:
    """A step that ran: its name, exit status and output."""

    def __init__(self, name: str, returncode: int, stdout: str, stderr: str) -> None:
        self.name = name
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        return f"Step({self.name!r}, {self.returncode})"


def load_action(path: Path = ACTION) -> dict[str, Any]:
    """``action.yml`` as plain data."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def _expand(text: str, inputs: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        return inputs[match.group(1)]

    return _EXPRESSION.sub(value, text)


def _github_env(path: Path) -> dict[str, str]:
    """The ``NAME=value`` lines a step appended to ``GITHUB_ENV``."""
    found: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.partition("=")
            if sep:
                found[name] = value
    return found


def run_steps(
    *,
    workspace: Path,
    inputs: Mapping[str, str] | None = None,
    action: Path = ACTION,
    runner_temp: Path | None = None,
    python: str = sys.executable,
    skip: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
) -> list[Step]:
    """Run the action's steps (those whose name is not in ``skip``); stop after a failure."""
    data = load_action(action)
    assert data["runs"]["using"] == "composite", "not a composite action"
    declared = data.get("inputs") or {}
    given = dict(inputs or {})
    unknown = set(given) - set(declared)
    assert not unknown, f"inputs the action does not declare: {sorted(unknown)}"
    values = {
        name: str(given.get(name, spec.get("default", ""))) for name, spec in declared.items()
    }
    temp = Path(runner_temp or tempfile.mkdtemp(prefix="runner-temp-"))
    shim = temp / "setup-python-bin"
    shim.mkdir(parents=True, exist_ok=True)
    (shim / "python").write_text(f'#!/bin/sh\nexec "{python}" "$@"\n', encoding="utf-8")
    (shim / "python").chmod(0o755)
    github_env = temp / "github-env"
    github_env.touch()
    base = {
        **os.environ,
        **(env or {}),
        "PATH": f"{shim}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_ACTION_PATH": str(action.parent),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTIONS": "true",
        "GITHUB_ENV": str(github_env),
        "RUNNER_TEMP": str(temp),
    }
    done: list[Step] = []
    for number, step in enumerate(data["runs"]["steps"], 1):
        name = str(step.get("name", f"step {number}"))
        if "uses" in step:
            assert str(step["uses"]).startswith("actions/setup-python@"), step["uses"]
            continue  # stood in for by the python on PATH
        if name in skip:
            continue
        assert step.get("shell") == "bash", f"{name}: every run step says shell: bash"
        step_env = {k: _expand(str(v), values) for k, v in (step.get("env") or {}).items()}
        result = subprocess.run(
            [
                "bash",
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                _expand(step["run"], values),
            ],
            cwd=workspace,
            env={**base, **_github_env(github_env), **step_env},
            capture_output=True,
            text=True,
            check=False,
        )
        done.append(Step(name, result.returncode, result.stdout, result.stderr))
        if result.returncode != 0:
            break
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--workspace", type=Path, default=Path.cwd())
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--runner-temp", type=Path)
    args = parser.parse_args(argv)
    inputs = dict(item.split("=", 1) for item in args.input)
    steps = run_steps(
        workspace=args.workspace.resolve(),
        inputs=inputs,
        python=args.python,
        runner_temp=args.runner_temp,
    )
    for step in steps:
        print(f"== {step.name}: exit {step.returncode}", flush=True)
        sys.stdout.write(step.stdout)
        sys.stderr.write(step.stderr)
    return next((s.returncode for s in steps if s.returncode), 0)


if __name__ == "__main__":
    sys.exit(main())
