"""Shared fixtures: where the repository, the bundled model and the shared corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest

from needs import missing
from pathway_export import canonical

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite golden files from the current code instead of comparing.")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of models written elsewhere (always present in CI)."""
    if not CORPUS.is_dir():
        missing(f"the shared corpus is not beside this clone (looked for {CORPUS.name}/ "
                "in ../shared); CI always has it")
    return CORPUS


@pytest.fixture(scope="session")
def bundled_model():
    """The bundled IL-6/STAT3 model, loaded and checked."""
    return canonical.load(canonical.bundled_model_path())
