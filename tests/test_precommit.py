"""The pre-commit hooks, run as a user's repository runs them: ``pre-commit try-repo``.

No network: pip is told to use no index and to build this repository without isolation, and
the packages of the test environment are on PYTHONPATH, so the hook environment pre-commit
makes installs this repository and finds everything else already there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from needs import missing

ROOT = Path(__file__).resolve().parents[1]
MODEL = Path(__file__).resolve().parent / "data" / "canonical" / "valid" / "minimal.yaml"
# What pip needs to build and install the hook repository (pyproject's package data included).
HOOK_REPO_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "pathway_export")
GIT = ("git", "-c", "user.name=pathway-export tests", "-c", "user.email=tests@example.org",
       "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false")


def _git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This repository's hook files and package as one commit (what a ``rev`` names)."""
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        missing("pre-commit is a test extra and is not installed")
    if shutil.which("git") is None:
        missing("git is not on PATH")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in HOOK_REPO_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hooks")
    return repo


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict[str, str]:
    paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update({
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads this as --no-build-isolation
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONPATH": os.pathsep.join(paths),
    })
    return env


def _user_repo(tmp_path: Path) -> Path:
    """A user's repository: one canonical model and its published documents in out/."""
    repo = tmp_path / "user"
    (repo / "models").mkdir(parents=True)
    shutil.copy2(MODEL, repo / "models" / "minimal.yaml")
    (repo / "notes.txt").write_text("not a model\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pathway_export", "export", "models/minimal.yaml",
                           "--out", "out"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def _try_repo(hook_repo: Path, repo: Path, env: dict[str, str], *hooks: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), *hooks,
                           "--all-files", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_hooks_pass_on_a_fine_model_and_its_published_documents(hook_repo, environment, tmp_path):
    repo = _user_repo(tmp_path)
    done = _try_repo(hook_repo, repo, environment)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "pathway-export validate" in output and "pathway-export export --check" in output
    assert output.count("Passed") == 2, output


def test_validate_hook_names_the_problem_in_the_committed_model(hook_repo, environment, tmp_path):
    repo = _user_repo(tmp_path)
    model = repo / "models" / "minimal.yaml"
    text = model.read_text(encoding="utf-8")
    assert "controller: SOCS3_c" in text
    model.write_text(text.replace("controller: SOCS3_c", "controller: SOCS_3c", 1),
                     encoding="utf-8")
    _git(repo, "add", "-A")
    done = _try_repo(hook_repo, repo, environment, "pathway-export-validate")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "models/minimal.yaml" in output and "'SOCS_3c' is not a declared entity" in output


def test_check_hook_names_the_stale_published_document(hook_repo, environment, tmp_path):
    repo = _user_repo(tmp_path)
    model = repo / "models" / "minimal.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text.replace("name: Minimal signalling example", "name: Renamed example", 1),
                     encoding="utf-8")
    _git(repo, "add", "-A")
    done = _try_repo(hook_repo, repo, environment, "pathway-export-check")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "out/minimal.sbml.xml: stale" in output and "out/minimal.biopax.owl: stale" in output
