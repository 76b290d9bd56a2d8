"""Running the Paxtools console on BioPAX documents, as Cytoscape and Pathway Commons users do.

The console jar ships inside the ``paxtools`` Python package; :func:`find_jar` locates it and
:func:`java` the Java runtime. Each wrapper runs one console command in a temporary folder
with a timeout and returns what it produced; a run that fails, times out, or logs an error or
exception raises :class:`PaxtoolsError` with the command and the log lines that say why.

The console has no ``validate`` command any more: :func:`read` runs ``summarize`` (which
parses the whole model) and counts the classes it found.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from ..errors import PathwayExportError

DEFAULT_TIMEOUT = 300.0
_PROBLEM = re.compile(r"\b(ERROR|FATAL)\b|Exception\b|^\s+at [\w.$]+\(", re.MULTILINE)
_NOISE = re.compile(r"^#logback")


class PaxtoolsError(PathwayExportError):
    """Paxtools is missing, failed, timed out, or logged errors."""


@dataclass(frozen=True)
class SifInteraction:
    """One line of a SIF file: ``source  relation  target``."""

    source: str
    relation: str
    target: str


@dataclass(frozen=True)
class Run:
    """What one console command printed."""

    command: tuple[str, ...]
    returncode: int
    log: str


def find_jar() -> Path:
    """The Paxtools console jar inside the installed ``paxtools`` package."""
    spec = find_spec("paxtools")
    if spec is None or not spec.submodule_search_locations:
        raise PaxtoolsError("the 'paxtools' Python package is not installed (pip install paxtools)")
    for folder in spec.submodule_search_locations:
        for jar in sorted(Path(folder).rglob("paxtools*.jar")):
            if jar.is_file():
                return jar
    raise PaxtoolsError("the 'paxtools' package holds no paxtools*.jar; reinstall it (pip install --force-reinstall paxtools)")


def java() -> str:
    """The ``java`` executable on the PATH."""
    path = shutil.which("java")
    if path is None:
        raise PaxtoolsError("no 'java' on the PATH; Paxtools needs Java 11 or newer")
    return path


def available() -> str | None:
    """``None`` when Java and the jar are both there, else what is missing."""
    try:
        java()
        find_jar()
    except PaxtoolsError as exc:
        return str(exc)
    return None


def _run(args: list[str], workdir: Path, timeout: float, add_opens: bool = False) -> Run:
    command = [java()]
    if add_opens:
        command += ["--add-opens", "java.base/java.lang=ALL-UNNAMED"]
    command += ["-jar", str(find_jar()), *args]
    try:
        done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=timeout,
                              errors="replace")
    except subprocess.TimeoutExpired as exc:
        raise PaxtoolsError(f"paxtools {args[0]} did not finish within {timeout:g} s") from exc
    except OSError as exc:
        raise PaxtoolsError(f"cannot run java: {exc}") from exc
    log = "\n".join(line for line in (done.stdout + "\n" + done.stderr).splitlines()
                    if line.strip() and not _NOISE.match(line))
    run = Run(tuple(command), done.returncode, log)
    problems = [line for line in log.splitlines() if _PROBLEM.search(line)]
    if done.returncode != 0 or problems:
        detail = "\n".join(problems[:20]) or log[-2000:]
        raise PaxtoolsError(f"paxtools {args[0]} failed (exit code {done.returncode}):\n{detail}")
    return run


def _input(data: bytes | str | Path, workdir: Path) -> Path:
    if isinstance(data, (str, Path)) and Path(data).is_file():
        return Path(data).resolve()
    target = workdir / "input.owl"
    target.write_bytes(data if isinstance(data, bytes) else str(data).encode("utf-8"))
    return target


def read(data: bytes | Path, timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
    """Have Paxtools read the document; return the number of instances of each BioPAX class.

    Raises :class:`PaxtoolsError` when the read fails or logs an error or exception.
    """
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = _input(data, workdir)
        _run(["summarize", str(source), "summary.json", "--model"], workdir, timeout)
        out = workdir / "summary.json"
        if not out.is_file():
            raise PaxtoolsError("paxtools summarize wrote no summary")
        summary = json.loads(out.read_text(encoding="utf-8"))
    return {t["type"]: int(t.get("direct_instances", 0)) for t in summary.get("types", ())}


def to_sif(data: bytes | Path, seq_db: str = "hgnc", chem_db: str = "chebi",
           timeout: float = DEFAULT_TIMEOUT) -> list[SifInteraction]:
    """The SIF interactions Paxtools infers; genes named by ``seq_db`` (HGNC symbols by default)."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = _input(data, workdir)
        _run(["toSIF", str(source), "out.sif", f"seqDb={seq_db}", f"chemDb={chem_db}"], workdir, timeout)
        out = workdir / "out.sif"
        text = out.read_text(encoding="utf-8") if out.is_file() else ""
    lines = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            lines.append(SifInteraction(parts[0], parts[1], parts[2]))
    return lines


def to_sbgn(data: bytes | Path, layout: bool = False, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The SBGN-ML document Paxtools converts the BioPAX document to."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = _input(data, workdir)
        args = ["toSBGN", str(source), "out.sbgn"] + ([] if layout else ["-nolayout"])
        _run(args, workdir, timeout, add_opens=True)
        out = workdir / "out.sbgn"
        if not out.is_file() or out.stat().st_size == 0:
            raise PaxtoolsError("paxtools toSBGN wrote no SBGN document")
        return out.read_bytes()
