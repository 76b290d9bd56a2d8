"""Hostile and broken input: a clear message, exit 1, no traceback, no hang, bounded memory,
nothing written. Each case runs the real command in a subprocess (``python -m pathway_export``)
in an empty working folder, with a time limit, and measures the child's peak memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
TIME_LIMIT = 120
MEMORY_LIMIT = 1024 * 1024 * 1024
"""Peak resident memory allowed to one run (importing libsbml, lxml and the simulators is most of it)."""
SECRET = "s3cr3t-token-that-must-never-leak-7f4e2a"


def _run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run the CLI; return the result, the seconds it took and this child's peak RSS in bytes.

    The peak is the child's own (``os.wait4`` on its pid), not the largest of every child this
    test process has waited for.
    """
    command = [sys.executable, "-m", "pathway_export", *args]
    start = time.monotonic()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
    timer = threading.Timer(TIME_LIMIT, child.kill)
    timer.start()
    with ThreadPoolExecutor(2) as pool:
        out, err = pool.submit(child.stdout.read), pool.submit(child.stderr.read)
        _, status, usage = os.wait4(child.pid, 0)
        stdout, stderr = out.result().decode(), err.result().decode()
    timed_out = not timer.is_alive()
    timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    child.stderr.close()
    assert not timed_out, f"{' '.join(args)} ran longer than {TIME_LIMIT} s"
    elapsed = time.monotonic() - start
    return subprocess.CompletedProcess(command, child.returncode, stdout, stderr), elapsed, usage.ru_maxrss * 1024


def _assert_refused(proc: subprocess.CompletedProcess, *needles: str) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output}"


CASES = {
    "billion_laughs.xml": ["xml:entity-declaration", "ENTITY"],
    "quadratic_blowup.owl": ["xml:entity-declaration"],
    "truncated.sbml.xml": ["xml:syntax", "truncated"],
    "truncated.owl": ["xml:syntax", "truncated"],
    "garbage.bin": ["input:binary", "binary data"],
    "empty.xml": ["input:empty", "the file is empty"],
    "whitespace_only.yaml": ["input:empty"],
    "page.html": ["input:html", "HTML page"],
    "not_a_model.xml": ["input:not-a-model", "root element is <svg>"],
    "rdf_not_biopax.rdf": ["input:not-a-model", "not BioPAX"],
    "sbml_dangling_reference.xml": ["sbml:20601", "nucleus", "pSTAT3_typo"],
    "sbml_duplicate_id.xml": ["sbml:10301", "STAT3"],
    "latin1_declared_utf8.xml": ["xml:encoding", "0xe9", "declares UTF-8"],
    "biopax_dangling_reference.owl": ["pSTAT3_never_declared"],
    "biopax_unknown_controltype.owl": ["ENHANCEMENT"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_cleanly(tmp_path, name):
    work = tmp_path / "work"
    work.mkdir()
    target = work / name
    shutil.copyfile(HOSTILE / name, target)
    proc, elapsed, peak = _run(["validate", name], work)
    _assert_refused(proc, *CASES[name])
    assert sorted(p.name for p in work.iterdir()) == [name], "validate wrote a file"
    assert elapsed < 90
    assert peak < MEMORY_LIMIT, f"peak memory {peak / 2**20:.0f} MiB"


@pytest.mark.parametrize("name", ["xxe_sbml.xml", "xxe_parameter_entity.xml", "xxe_external_dtd.xml"])
def test_external_entity_never_leaks_the_file(tmp_path, name):
    from click.testing import CliRunner

    from pathway_export import cli
    from pathway_export.checks.validate import validate_file

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / name).write_text((HOSTILE / name).read_text(encoding="utf-8").replace("SECRET_PATH", str(secret)))
    report = work / "report.xml"
    proc, _, _ = _run(["validate", "--format", "junit", "--output", str(report), name], work)
    _assert_refused(proc)
    assert SECRET not in report.read_text(encoding="utf-8") + proc.stdout + proc.stderr
    assert "xml:e" in report.read_text(encoding="utf-8")
    for fmt in ("text", "json"):
        result = CliRunner().invoke(cli.cli, ["validate", "--no-config", "--format", fmt, str(work / name)])
        assert result.exit_code == 1 and "xml:e" in result.output
        assert SECRET not in result.output
    result = validate_file(work / name)
    assert not result.is_valid and SECRET not in repr(result)


def test_secret_stays_out_of_export_of_a_canonical_file_that_names_it(tmp_path):
    """A canonical model cannot include files: YAML has no entities and anchors are refused."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    model = tmp_path / "m.yaml"
    model.write_text(f"id: m\nname: !include {secret}\n")
    proc, _, _ = _run(["validate", str(model)], tmp_path)
    _assert_refused(proc)
    assert SECRET not in proc.stdout + proc.stderr


def test_huge_file_is_refused_unread(tmp_path):
    """A sparse 2 GiB file: refused by its size before a byte is read (no time, no memory)."""
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:
        handle.write(b'<?xml version="1.0"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core">')
        handle.truncate(2 * 1024**3)
    proc, elapsed, peak = _run(["validate", str(huge)], tmp_path)
    _assert_refused(proc, "input:too-large", "--max-bytes")
    assert elapsed < 30 and peak < MEMORY_LIMIT


def test_large_real_content_over_the_cap_is_refused(tmp_path):
    """A 30 MB generated SBML file above a lowered cap: refused with the limit named."""
    species = "".join(f'<species id="S{i}" compartment="c" initialConcentration="1" hasOnlySubstanceUnits="false" '
                      f'boundaryCondition="false" constant="false"/>\n' for i in range(200_000))
    big = tmp_path / "big.xml"
    big.write_text('<?xml version="1.0"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" '
                   'level="3" version="2"><model id="big"><listOfCompartments><compartment id="c" '
                   'constant="true"/></listOfCompartments><listOfSpecies>\n' + species
                   + "</listOfSpecies></model></sbml>\n")
    proc, elapsed, peak = _run(["validate", "--max-bytes", "10000000", str(big)], tmp_path)
    _assert_refused(proc, "input:too-large", "10,000,000")
    # unread: no more memory than refusing an empty file (reading this one whole takes ~4x)
    (tmp_path / "empty.xml").write_bytes(b"")
    _, _, baseline = _run(["validate", "empty.xml"], tmp_path)
    assert peak < baseline + 64 * 2**20, f"peak {peak / 2**20:.0f} MiB, empty file {baseline / 2**20:.0f} MiB"
    assert elapsed < 30


def test_corpus_level2_and_bad_encoding(corpus, tmp_path):
    level2 = corpus / "biopax" / "paxtools" / "biopax-example-short-pathway.owl"
    proc, _, _ = _run(["validate", str(level2)], tmp_path)
    _assert_refused(proc, "biopax:level2", "Level 2")
    latin = corpus / "biopax" / "paxtoolsr" / "biopax3_utf8_char.xml"
    proc, _, _ = _run(["validate", str(latin)], tmp_path)
    _assert_refused(proc, "xml:encoding", "0xe9")
    assert list(tmp_path.iterdir()) == []


def test_corpus_rule_breaking_biopax_fails(corpus, tmp_path):
    proc, _, _ = _run(["validate", str(corpus / "biopax/validator/examples/testControlTypeRule.owl")], tmp_path)
    _assert_refused(proc)


# --------------------------------------------------------------------------- atomic writes


@pytest.mark.parametrize("where", ["write", "rename"])
def test_interrupted_export_leaves_previous_output_intact(tmp_path, monkeypatch, where):
    """Interrupt the second document's write (halfway through the bytes, or just before the
    rename): every file in OUT is whole, old or new; the interrupted one is the previous file."""
    from click.testing import CliRunner

    from pathway_export import cli, fsutil
    from pathway_export.formats import DERIVED, FORMATS

    out = tmp_path / "out"
    minimal = Path(__file__).resolve().parent / "data" / "canonical" / "valid" / "minimal.yaml"
    runner = CliRunner()
    assert runner.invoke(cli.cli, ["export", str(minimal), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(before) == len(FORMATS) + len(DERIVED)  # every document, models' and derived
    source = tmp_path / "changed.yaml"
    source.write_text(minimal.read_text(encoding="utf-8").replace("\nname: ", "\nname: Changed ", 1))
    calls = {"n": 0}
    real_fdopen, real_replace = os.fdopen, os.replace

    class HalfWritten:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()
            return False

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    def fdopen(fd, *args, **kwargs):
        calls["n"] += 1
        handle = real_fdopen(fd, *args, **kwargs)
        return HalfWritten(handle) if calls["n"] == 2 else handle

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    if where == "write":
        monkeypatch.setattr(fsutil.os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(fsutil.os, "replace", replace)
    result = runner.invoke(cli.cli, ["export", str(source), "--out", str(out)])
    assert result.exit_code != 0
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(after) == set(before), f"left behind: {set(after) - set(before)}"
    first, second = [path.name for path, _ in _rendered_order(source, out)]
    assert after[second] == before[second], "the interrupted document is not the previous one"
    assert after[first] != before[first], "the first document should have been replaced whole"


def _rendered_order(model: Path, out: Path):
    from pathway_export import canonical
    from pathway_export.formats import FORMATS

    loaded = canonical.load(model)
    return [(out / spec.filename(loaded.id), None) for spec in FORMATS.values()]


def test_validate_output_file_is_written_atomically(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pathway_export import cli

    target = tmp_path / "report.json"
    target.write_text("previous")
    written = []
    monkeypatch.setattr(cli, "atomic_write_bytes", lambda path, data: written.append((path, data)))
    minimal = Path(__file__).resolve().parent / "data" / "canonical" / "valid" / "minimal.yaml"
    result = CliRunner().invoke(cli.cli, ["validate", "--no-config", "--format", "json", "-o", str(target),
                                          str(minimal)])
    assert result.exit_code == 0, result.output
    assert [p for p, _ in written] == [target] and target.read_text(encoding="utf-8") == "previous"
