"""Do what a user of the docs does, on a copy of a real site: install, the action, pre-commit.

    python scripts/try_site.py [--wheel-dir DIR] [--site DIR]

1. A fresh virtual environment and the install line of docs/ci.md (``pip install
   newsmodel-frontmatter==X.Y.Z``), with ``--find-links`` to a wheel built from this checkout
   (``--wheel-dir``: the wheel .ci/run built; otherwise one is built here).
2. ``newsmodel check`` of the site copy with that install.
3. The action's steps (``scripts/action_steps.py``, as the GitHub runner runs them) on the site
   copy, with the inputs of the docs/ci.md recipe: annotations and a SARIF report.
4. The pre-commit hooks, with the ``.pre-commit-config.yaml`` of docs/ci.md pointed at a clone
   of this checkout tagged ``vX.Y.Z`` as docs/release.md says (``pre-commit`` comes with the
   ``dev`` extra; this part is skipped, saying so, where it is not installed).

The site is ``../shared/sites/microsoft-power-apps`` (or ``$NEWSMODEL_SHARED/sites/...``);
where it is absent, the script says so and exits 0. Nothing is fetched but what ``pip install``
needs (the wheel's dependencies, the build backend for the action's and the hooks' installs).
It asserts that each tool runs, exits 0 or 1 (never 2) and reports the same problems in each
form; with ``SITE_IS_CLEAN = True`` (the site has no error since newsmodel reads every kind of
file it holds) every run must also pass: ``newsmodel check``, the action and the hooks exit 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSMODEL_SHARED", ROOT.parent / "shared"))
SITE = SHARED / "sites" / "microsoft-power-apps"
SITE_IS_CLEAN = True
"""The site checks clean (warnings allowed): every step must exit 0."""

sys.path.insert(0, str(ROOT / "scripts"))
import action_steps  # noqa: E402

sys.path.pop(0)

_SUMMARY = re.compile(r"^(\d+) files? checked: (no problems|(\d+) files? with problems \(.*\))$")


def say(message: str) -> None:
    print(f"try_site: {message}", flush=True)


def run(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def must(result: subprocess.CompletedProcess[str], what: str, ok: tuple[int, ...] = (0,)) -> None:
    if result.returncode not in ok:
        sys.stdout.write(result.stdout[-4000:])
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"try_site: {what}: exit {result.returncode}, expected {ok}")


def yaml_blocks(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def version() -> str:
    text = (ROOT / "src" / "newsmodel" / "_version.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    assert found, "no __version__"
    return found.group(1)


def project_copy(target: Path) -> Path:
    """The files a build reads (and the action), without caches: an action's checkout."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in ("action.yml", "pyproject.toml", "README.md", "LICENSE"):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "src", target / "src", ignore=ignore)
    return target


def install_line() -> str:
    """The ``pip install`` line of the docs/ci.md recipes (the pinned one)."""
    for block in yaml_blocks(ROOT / "docs" / "ci.md"):
        found = re.search(r"pip install (newsmodel-frontmatter==\S+)", block)
        if found:
            return found.group(1)
    raise SystemExit("try_site: docs/ci.md has no `pip install newsmodel-frontmatter==` line")


def check_site(venv: Path, site: Path) -> tuple[int, int]:
    """``newsmodel check`` as the docs say; return (exit status, files with problems)."""
    result = run(venv / "bin" / "newsmodel", "check", ".", cwd=site)
    must(result, "newsmodel check (installed from the wheel)", (0, 1))
    last = result.stdout.splitlines()[-1] if result.stdout else ""
    summary = _SUMMARY.match(last)
    assert summary, f"no summary line: {last!r}"
    files, with_problems = int(summary.group(1)), int(summary.group(3) or 0)
    assert files > 0, "no file checked"
    assert (result.returncode == 1) <= (with_problems > 0)
    say(f"newsmodel check: exit {result.returncode}, {last}")
    return result.returncode, with_problems


def try_action(project: Path, site: Path, temp: Path, status: int) -> None:
    recipe = next(b for b in yaml_blocks(ROOT / "docs" / "ci.md") if "newsmodel/newsmodel@" in b)
    step = recipe.split("newsmodel/newsmodel@", 1)[1]
    inputs = dict(re.findall(r"^\s{10}([\w-]+): (.+)$", step.split("- uses:", 1)[0], re.MULTILINE))
    assert set(inputs) == {"paths", "sarif-file"}, inputs
    inputs["paths"] = "."  # the recipe's `content/` is the site's root here
    steps = action_steps.run_steps(
        workspace=site, inputs=inputs, action=project / "action.yml", runner_temp=temp
    )
    names = [s.name for s in steps]
    assert names == ["Install newsmodel", "Check the articles"], (names, steps[-1].stderr)
    install, check = steps
    assert install.returncode == 0, install.stderr
    assert check.returncode == status, (check.returncode, check.stderr[-2000:])
    annotations = check.stdout.splitlines()
    assert all(re.match(r"::(error|warning) file=[^/.]", a) for a in annotations), annotations[:3]
    sarif = json.loads((site / inputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == len(annotations), (len(results), len(annotations))
    say(f"action: exit {check.returncode}, {len(annotations)} annotations, SARIF {len(results)}")


def try_pre_commit(site: Path, temp: Path, status: int) -> None:
    if run(sys.executable, "-m", "pre_commit", "--version").returncode != 0:
        say("pre-commit is not installed here (pip install -e '.[dev]'): hooks not tried")
        return
    tag = f"v{version()}"
    # The hooks' repository: this checkout's files as they are, committed and tagged as
    # docs/release.md says (pre-commit clones it from its path instead of GitHub).
    clone = project_copy(temp / "newsmodel-repo")
    shutil.copy2(ROOT / ".pre-commit-hooks.yaml", clone / ".pre-commit-hooks.yaml")
    git = ("git", "-c", "user.name=try-site", "-c", "user.email=try-site@example.com")
    must(run(*git, "init", "-q", cwd=clone), "git init")
    must(run(*git, "add", "-A", cwd=clone), "git add")
    must(run(*git, "commit", "-qm", "the checkout as it is", cwd=clone), "git commit")
    must(run(*git, "tag", "-a", tag, "-m", f"newsmodel-frontmatter {version()}", cwd=clone), "tag")
    config = next(b for b in yaml_blocks(ROOT / "docs" / "ci.md") if "newsmodel-check" in b)
    assert f"rev: {tag}" in config, config
    config = config.replace("https://github.com/newsmodel/newsmodel", str(clone))
    (site / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {"PRE_COMMIT_HOME": str(temp / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    must(run(*git, "init", "-q", cwd=site), "git init")
    must(run(*git, "add", "-A", cwd=site), "git add")
    must(run(*git, "commit", "-qm", "site", cwd=site), "git commit")
    hooks = run(sys.executable, "-m", "pre_commit", "run", "--all-files", cwd=site, env=env)
    must(hooks, "pre-commit run --all-files", (0,) if status == 0 else (0, 1))
    out = hooks.stdout
    for hook in ("newsmodel fix", "newsmodel check"):
        assert re.search(rf"^{hook}\.+(Passed|Failed)$", out, re.MULTILINE), out[-3000:]
    assert "Traceback" not in out and "usage:" not in out, out[-3000:]
    check_line = re.search(r"^newsmodel check\.+(Passed|Failed)$", out, re.MULTILINE)
    assert check_line is not None
    if status == 0:
        assert check_line.group(1) == "Passed", out[-3000:]
    say(f"pre-commit: exit {hooks.returncode}, newsmodel check hook {check_line.group(1)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--wheel-dir", type=Path, help="a folder holding the wheel to install")
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        say(f"skipped: the site is not at {args.site} (it lives in ../shared/sites)")
        return 0
    start = time.monotonic()
    temp = Path(tempfile.mkdtemp(prefix="newsmodel-try-site-"))
    try:
        project = project_copy(temp / "project")
        wheels = args.wheel_dir
        if wheels is None:
            wheels = temp / "dist"
            must(
                run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, project),
                "building the wheel",
            )
        wheel = sorted(Path(wheels).glob(f"newsmodel_frontmatter-{version()}-*.whl"))
        assert wheel, f"no newsmodel_frontmatter-{version()} wheel in {wheels}"
        venv = temp / "venv"
        must(run(sys.executable, "-m", "venv", venv), "python -m venv")
        line = install_line()
        say(f"pip install {line} --find-links {wheels}")
        pip = run(venv / "bin" / "pip", "install", "-q", line, "--find-links", wheels)
        must(pip, f"pip install {line}")
        shown = run(venv / "bin" / "newsmodel", "--version")
        assert shown.stdout.strip() == f"newsmodel {version()}", shown.stdout
        site = temp / "site"
        shutil.copytree(args.site, site, symlinks=True)
        status, _with_problems = check_site(venv, site)
        if SITE_IS_CLEAN:
            assert status == 0, "the site is expected to check clean (SITE_IS_CLEAN)"
        try_action(project, site, temp / "runner-temp", status)
        try_pre_commit(site, temp, status)
    finally:
        if args.keep:
            say(f"kept {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)
    say(f"done in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
