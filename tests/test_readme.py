"""The README's set-up promise: exactly two commands that work as typed, and CI runs the README's
test command, stopping at the first step that fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_setup_has_exactly_two_commands():
    commands = _setup_commands()
    assert len(commands) == 2, commands
    assert commands[0].startswith("python3 -m venv .venv") and commands[0].endswith("pathway-export export")
    script = ROOT / commands[1].split()[0]
    assert script.is_file() and os.access(script, os.X_OK), f"{commands[1]} is not an executable"
    assert "-m pytest" in script.read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command_verbatim_then_export_check():
    test_command = _setup_commands()[1]
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert test_command in lines
    after = lines[lines.index(test_command) + 1:]
    assert ".venv-test/bin/pathway-export export --check" in after
    assert "set -euo pipefail" in lines


def test_the_test_command_finds_python_313_with_nothing_set():
    """As typed on a fresh machine: no PYENV_VERSION, no activated environment."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYENV_VERSION", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    script = ROOT / _setup_commands()[1].split()[0]
    found = subprocess.run([script, "--which-python"], env=env, capture_output=True, text=True,
                           timeout=60)
    assert found.returncode == 0, found.stderr
    version = subprocess.run([found.stdout.strip(), "--version"], env=env, capture_output=True,
                             text=True, timeout=60)
    assert version.stdout.startswith("Python 3.13"), (found.stdout, version.stdout, version.stderr)


def test_the_test_command_says_when_python_313_is_missing(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "env", "dirname", "grep", "sort", "tail"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    script = ROOT / _setup_commands()[1].split()[0]
    done = subprocess.run([script, "--which-python"], env={"PATH": str(bin_dir)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Python 3.13 not found" in done.stderr, done


_FAKE = "#!/bin/sh\n{body}\n"


def _fake_checkout(tmp_path: Path, failing: str) -> tuple[Path, dict[str, str]]:
    """A copy of the CI scripts whose tools are stand-ins, with ``.venv-test`` left from a
    earlier run; the stand-in named ``failing`` exits 1, the others 0."""
    repo = tmp_path / "repo"
    for name in (".ci/run", _setup_commands()[1].split()[0]):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    bin_dir = tmp_path / "bin"
    venv_bin = repo / ".venv-test" / "bin"
    bin_dir.mkdir()
    venv_bin.mkdir(parents=True)
    fail = "exit 1" if failing else "exit 0"
    tools = {
        bin_dir / "java": "echo 'openjdk 17'",
        # -c: the version probe; -m venv: the environment made afresh
        bin_dir / "python3.13": ("case \"$1\" in -m) " + (fail if failing == "venv" else "exit 0")
                                 + ";; esac\nexit 0"),
        venv_bin / "pip": fail if failing == "pip" else "exit 0",
        venv_bin / "python": fail if failing == "pytest" else "exit 0",
        venv_bin / "pathway-export": f"touch '{tmp_path / 'export-check-ran'}'",
    }
    for path, body in tools.items():
        path.write_text(_FAKE.format(body=body), encoding="utf-8")
        path.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    return repo, env


@pytest.mark.parametrize("failing", ["venv", "pip", "pytest"])
def test_ci_fails_at_the_first_failing_step(tmp_path, failing):
    """A failed step fails the run, even with ``.venv-test`` left from an earlier run."""
    repo, env = _fake_checkout(tmp_path, failing)
    done = subprocess.run([repo / ".ci" / "run"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0, f"CI passed with a failing {failing} step:\n{done.stdout}{done.stderr}"
    assert not (tmp_path / "export-check-ran").exists()


def test_ci_passes_when_every_step_passes(tmp_path):
    """The stand-ins above are not failing the run on their own."""
    repo, env = _fake_checkout(tmp_path, "")
    done = subprocess.run([repo / ".ci" / "run"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "export-check-ran").exists()


def test_the_main_job_installs_on_python_311_without_the_test_tools():
    """The first command runs on ``python3`` (3.11): nothing it installs needs Python 3.13."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    assert not [d for d in project["dependencies"] if re.match(r"(paxtools|libroadrunner|python-copasi)\b", d)]
    paxtools = [d for d in project["optional-dependencies"]["test"] if d.startswith("paxtools")]
    assert paxtools and all("python_version >= '3.13'" in d for d in paxtools), paxtools
