"""The README's set-up promise: exactly two commands, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

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
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim_then_export_check():
    test_command = _setup_commands()[1]
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert test_command in lines
    after = lines[lines.index(test_command) + 1:]
    assert ".venv-test/bin/pathway-export export --check" in after
    assert "set -euo pipefail" in lines
