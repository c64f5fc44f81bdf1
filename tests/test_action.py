"""The GitHub Action (``action.yml``): its steps' commands run as the runner runs them
(``scripts/action_steps.py``), from a copy of the repository, on a workspace of articles."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import EXAMPLES, ROOT

BAD = "---\ntitle: 5\ntype: article\n---\nbody\n"
NOW = "2021-07-01T00:00:00Z"
# What the action installs from: the files a build of the project reads.
PROJECT_FILES = ("action.yml", "pyproject.toml", "README.md", "LICENSE", "src", "scripts")


def _load_steps_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "newsmodel_action_steps", ROOT / "scripts" / "action_steps.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


steps = _load_steps_module()


def copy_project(target: Path) -> Path:
    """A copy of the project (as an action's checkout) without caches or build output."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".mypy_cache")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target / "action.yml"


def test_action_declares_its_inputs_and_steps() -> None:
    data: dict[str, Any] = steps.load_action()
    assert data["runs"]["using"] == "composite"
    assert set(data["inputs"]) >= {"paths", "args", "sarif-file"}
    assert data["inputs"]["paths"]["default"] == "."
    assert data["inputs"]["sarif-file"]["default"] == ""
    first = data["runs"]["steps"][0]
    assert first["uses"].startswith("actions/setup-python@")
    assert first["with"]["python-version"] == "${{ inputs.python-version }}"
    runs = [s for s in data["runs"]["steps"] if "run" in s]
    assert any('"${GITHUB_ACTION_PATH:?}"' in s["run"] for s in runs)  # its own checkout
    assert any("--format github" in s["run"] for s in runs)
    # Every input reaches a step (through env: never pasted into a script, where a quote in it
    # would be code).
    used = " ".join(str(v) for s in runs for v in (s.get("env") or {}).values())
    for name in data["inputs"]:
        if name != "python-version":
            assert f"${{{{ inputs.{name} }}}}" in used, name
    assert all("${{" not in s["run"] for s in runs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The action's install step, run once from a copy of the project: (action, runner
    temp, the Python it set up)."""
    if shutil.which("bash") is None:
        pytest.skip("bash is needed to run the action's steps")
    action = copy_project(tmp_path_factory.mktemp("action"))
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("empty-workspace")
    done = steps.run_steps(
        workspace=workspace,
        action=action,
        runner_temp=temp,
        skip=("Check the articles",),
    )
    assert [s.name for s in done] == ["Install newsmodel"]
    assert done[0].returncode == 0, done[0].stdout + done[0].stderr
    env = (temp / "github-env").read_text(encoding="utf-8")
    python = env.split("NEWSMODEL_ACTION_PYTHON=", 1)[1].splitlines()[0]
    assert Path(python).is_file()
    return action, temp, python


def _check(installed: tuple[Path, Path, str], workspace: Path, **inputs: str) -> Any:
    action, temp, _python = installed
    done = steps.run_steps(
        workspace=workspace,
        inputs=inputs,
        action=action,
        runner_temp=temp,
        skip=("Install newsmodel",),
    )
    assert [s.name for s in done] == ["Check the articles"]
    return done[0]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLES, content)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "bad one.md").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_the_installed_newsmodel_is_the_projects(installed: tuple[Path, Path, str]) -> None:
    import subprocess

    _action, _temp, python = installed
    version = subprocess.run(
        [python, "-m", "newsmodel", "--version"], capture_output=True, text=True, check=True
    )
    from newsmodel import __version__

    assert version.stdout.strip() == f"newsmodel {__version__}"


def test_action_annotations_and_sarif_on_errors(
    installed: tuple[Path, Path, str], workspace: Path
) -> None:
    step = _check(
        installed,
        workspace,
        paths="content\ndrafts",
        args=f"--now {NOW}",
        **{"sarif-file": "reports/newsmodel.sarif"},
    )
    assert step.returncode == 1, step.stderr
    lines = step.stdout.splitlines()
    assert lines and all(line.startswith("::error file=drafts/bad one.md,") for line in lines)
    sarif = json.loads((workspace / "reports" / "newsmodel.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert len(results) == len(lines)
    assert {r["ruleId"] for r in results} == {
        line.split("title=", 1)[1].split("::", 1)[0] for line in lines
    }


def test_action_passes_on_valid_articles_and_takes_extra_arguments(
    installed: tuple[Path, Path, str], workspace: Path
) -> None:
    clean = _check(installed, workspace, paths="content", args=f"--now {NOW} --strict")
    assert (clean.returncode, clean.stdout) == (0, "")
    # Extra arguments reach newsmodel: --ignore silences the bad file's codes.
    codes = _check(installed, workspace, paths="drafts", args=f"--now {NOW}")
    found = {line.split("title=", 1)[1].split("::", 1)[0] for line in codes.stdout.splitlines()}
    assert codes.returncode == 1 and found
    ignored = _check(installed, workspace, paths="drafts", args=f"--ignore {','.join(found)}")
    assert (ignored.returncode, ignored.stdout) == (0, "")


def test_action_default_paths_and_a_usage_error(
    installed: tuple[Path, Path, str], workspace: Path
) -> None:
    everything = _check(installed, workspace, args=f"--now {NOW}")  # paths: "." by default
    assert everything.returncode == 1
    assert "::error file=drafts/bad one.md," in everything.stdout
    # A path that does not exist is a usage error (2), also when the SARIF report is asked for.
    missing = _check(installed, workspace, paths="nope", **{"sarif-file": "x.sarif"})
    assert missing.returncode == 2
    assert "nope: does not exist" in missing.stderr


def test_inputs_are_not_code(installed: tuple[Path, Path, str], workspace: Path) -> None:
    hostile = '$(touch pwned) "; touch pwned2; echo "'
    step = _check(installed, workspace, paths=hostile)
    assert step.returncode == 2
    assert not (workspace / "pwned").exists() and not (workspace / "pwned2").exists()


def test_try_site_skips_cleanly_without_the_site(tmp_path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "try_site.py"), "--site", str(tmp_path / "no")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == f"try_site: skipped: the site is not at {tmp_path / 'no'} (it lives in ../shared/sites)\n"
    )
