"""In CI nothing a user relies on may skip: every skip goes through tests/needs.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# (an expected failure is declared by name in the test's own table, e.g. BUGS in
# test_biopax_import.py, and fails once the bug is gone: not a skip)
SKIPS = re.compile(r"importorskip\(|mark\.skipif\(|mark\.skip\(|pytest\.skip\(")
# Skips that are not about what the machine lacks, each with why it may skip in CI.
ALLOWED = {
    # a clone without tags (or a copy without git) has no tag to look up; the rev's spelling is
    # still checked against the version
    ("test_cli.py", 'pytest.skip("not a git clone: no tags to look up")'),
    ("test_cli.py", 'pytest.skip("this clone holds no tags (cloned without them)")'),
}


def test_no_test_skips_but_through_needs():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == "needs.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SKIPS.search(line) and (path.name, line.strip()) not in ALLOWED and path != Path(__file__):
                found.append(f"{path.relative_to(TESTS)}:{number}: {line.strip()}")
    assert not found, "skips that ignore CI mode (use needs.missing / needs.module / needs.slow):\n" + "\n".join(found)


_PROBE = '''
import needs

def test_missing():
    needs.missing("the probe lacks a thing")

def test_slow():
    needs.slow("the probe is slow")
'''

_PROBE_MODULE = '''
import needs
needs.module("no_such_module_for_the_probe", "the probe needs it")

def test_never_runs():
    pass
'''


@pytest.mark.parametrize("probe", [_PROBE, _PROBE_MODULE], ids=["missing-and-slow", "module"])
@pytest.mark.parametrize("ci", ["true", ""])
def test_needs_skip_in_a_clone_and_fail_in_ci(tmp_path, probe, ci):
    (tmp_path / "test_probe.py").write_text(probe, encoding="utf-8")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(TESTS)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "-o", "addopts=", "--rootdir", str(tmp_path), str(tmp_path / "test_probe.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    if not ci:  # (5: a module skipped whole collects no test)
        assert done.returncode in (0, 5) and "skipped" in output, output
    elif probe is _PROBE:
        # the missing thing fails; the slow case runs (and passes)
        assert done.returncode == 1 and "1 failed, 1 passed" in output, output
        assert "CI must run this check" in output
    else:
        assert done.returncode != 0 and "CI must run these checks" in output, output
