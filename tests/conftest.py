"""Shared test helpers: where the real corpus and the reference article are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSMODEL_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "000_626c5405cc6bd1a5.txt"
EXAMPLES = ROOT / "examples"

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile("dev", max_examples=50, deadline=None)
# The YAML differential campaign (tests/test_yaml_differential.py; docs/round-trip.md): not run
# by default, where those tests draw a few dozen examples each.
settings.register_profile(
    "yaml-campaign",
    max_examples=int(os.environ.get("YAML_CAMPAIGN_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
# scripts/mutation.py: the same examples on every run, so that a mutant is killed or not by the
# tests, not by luck (and mutmut's trampolines make everything slower: no health checks)
settings.register_profile(
    "mutation",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def corpus_files() -> list[Path]:
    """Every article file of ``../shared/corpus`` (empty where the folder is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*.md") if p.name != "README.md")


def need_corpus() -> list[Path]:
    files = corpus_files()
    if not files:
        pytest.skip(f"the real corpus is not at {CORPUS} (it lives in ../shared/corpus)")
    return files


def need_seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"the reference article is not at {SEED}")
    return SEED


@pytest.fixture(scope="session")
def corpus() -> list[Path]:
    return need_corpus()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return need_seed().read_bytes().decode("utf-8")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's ``newsmodel check`` runs (in-process and in subprocesses) get a cache folder
    of their own: nothing is written into the checkout, no test sees another's results."""
    monkeypatch.setenv("NEWSMODEL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def write_file(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (making its folders); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """For in-process CLI runs: no colour unless asked, and the temporary folder as the
    current one (so relative paths and settings files are the test's own)."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
