"""One measurement, run in a fresh process so that its peak memory is its own.

``python -m benchmarks.measure STAGE SUBJECT`` prepares the input (untimed), runs the stage
once, and prints one JSON object: ``seconds``, ``peak_mb`` (the process's peak resident
memory, VmHWM), ``base_mb`` (resident memory before the timed part), ``tree_peak_mb`` (the
peak of this process and its workers together, sampled every 20 ms) and stage-specific
``info``.

SUBJECT is ``synthetic:N`` (the synthetic model of N reactions, its documents cached by
:mod:`benchmarks.run`) or ``file:PATH`` (an SBML file read in place; ``.gz`` is
decompressed in memory).
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import resource
import sys
import time
from pathlib import Path
from typing import Any, Callable

from pathway_export import canonical
from pathway_export.checks import roundtrip

CACHE = Path(__file__).resolve().parent / ".cache"


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _TreeMemory(threading.Thread):
    """Samples the resident memory of this process and all its descendants every 20 ms.

    The peak of the sum (of proportional set sizes, so pages a forked worker shares with its
    parent count once) is what the machine must hold while a stage runs with workers.
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0.0
        self.stop = threading.Event()

    @staticmethod
    def _pids(pid: int) -> list[int]:
        out = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    for child in fh.read().split():
                        out += _TreeMemory._pids(int(child))
        except OSError:
            pass
        return out

    @staticmethod
    def _rss(pid: int) -> float:
        """Proportional set size: pages shared by forked workers are split between them."""
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        try:
            with open(f"/proc/{pid}/statm") as fh:
                return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
        except OSError:
            return 0.0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            self.peak = max(self.peak, sum(self._rss(p) for p in self._pids(me)))
            self.stop.wait(0.02)


def cached(n: int, suffix: str) -> Path:
    return CACHE / f"synthetic_{n}{suffix}"


def _subject_bytes(subject: str, suffix: str) -> bytes:
    kind, _, value = subject.partition(":")
    if kind == "file":
        data = Path(value).read_bytes()
        return gzip.decompress(data) if value.endswith(".gz") else data
    return cached(int(value), suffix).read_bytes()


def _model(subject: str):
    from benchmarks.synth import synthetic_model

    kind, _, value = subject.partition(":")
    if kind == "bundled":
        return canonical.load(canonical.bundled_model_path(value))
    return synthetic_model(int(value))


# Each stage: prepare(subject) -> state (untimed); run(state) -> info (timed).
def _prepare_and_run(stage: str, subject: str) -> tuple[Callable[[], Any], Any]:
    if stage == "load_yaml":
        path = cached(int(subject.split(":")[1]), ".yaml")
        return lambda: len(canonical.load(path).reactions), None
    if stage == "floor_yaml_parse":
        # the fastest YAML 1.2 parser to Python objects we found (the one the loader uses)
        import yaml_rs

        text = cached(int(subject.split(":")[1]), ".yaml").read_text(encoding="utf-8")
        return lambda: len(yaml_rs.loads(text, parse_datetime=False)["reactions"]), None
    if stage == "floor_ruamel_parse":
        from ruamel.yaml import YAML

        text = cached(int(subject.split(":")[1]), ".yaml").read_text(encoding="utf-8")
        return lambda: len(YAML(typ="safe", pure=True).load(text)["reactions"]), None
    if stage == "load_json":
        path = cached(int(subject.split(":")[1]), ".json")
        return lambda: len(canonical.load(path).reactions), None
    if stage == "floor_json_parse":
        text = cached(int(subject.split(":")[1]), ".json").read_text(encoding="utf-8")
        return lambda: len(json.loads(text)["reactions"]), None
    if stage == "export_sbml":
        from pathway_export.formats.sbml import to_sbml

        model = _model(subject)
        return lambda: {"bytes": len(to_sbml(model))}, None
    if stage == "floor_sbml_build_write":
        import libsbml

        from benchmarks.floor_sbml import build_document

        model = _model(subject)
        # the floor: libsbml building a document of the model's elements, then writing a
        # document of the same bytes as ours (our document, parsed beforehand)
        ours = libsbml.readSBMLFromString(_subject_bytes(subject, ".sbml.xml").decode("utf-8"))

        def run():
            build_document(model)
            return {"bytes": len(libsbml.writeSBMLToString(ours))}
        return run, None
    if stage == "read_sbml":
        from pathway_export.formats.sbml import from_sbml

        data = _subject_bytes(subject, ".sbml.xml")
        kept = {}

        def run():
            kept["model"] = from_sbml(data)
            return {"reactions": len(kept["model"].reactions)}
        return run, kept
    if stage == "floor_libsbml_read":
        import libsbml

        text = _subject_bytes(subject, ".sbml.xml").decode("utf-8", "replace")
        return lambda: {"reactions": libsbml.readSBMLFromString(text).getModel().getNumReactions()}, None
    if stage == "validate_sbml":
        from pathway_export.checks.sbml import check_consistency_scalable

        data = _subject_bytes(subject, ".sbml.xml")
        return lambda: {"findings": len(check_consistency_scalable(data, subject))}, None
    if stage == "floor_libsbml_check":
        import libsbml

        text = _subject_bytes(subject, ".sbml.xml").decode("utf-8", "replace")

        def run():
            doc = libsbml.readSBMLFromString(text)
            return {"findings": doc.checkConsistency()}
        return run, None
    if stage == "export_biopax":
        from pathway_export.formats.biopax import to_biopax

        model = _model(subject)
        return lambda: {"bytes": len(to_biopax(model))}, None
    if stage == "floor_lxml_serialise":
        from lxml import etree

        tree = etree.fromstring(_subject_bytes(subject, ".biopax.owl"), etree.XMLParser(huge_tree=True))
        return lambda: {"bytes": len(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))}, None
    if stage == "floor_pybiopax_write":
        import pybiopax

        bp = pybiopax.model_from_owl_str(_subject_bytes(subject, ".biopax.owl").decode("utf-8"))
        return lambda: {"bytes": len(pybiopax.model_to_owl_str(bp))}, None
    if stage == "read_biopax":
        from pathway_export.formats.biopax import from_biopax

        data = _subject_bytes(subject, ".biopax.owl")
        kept = {}

        def run():
            kept["model"] = from_biopax(data)
            return {"reactions": len(kept["model"].reactions)}
        return run, kept
    if stage == "floor_lxml_parse":
        from lxml import etree

        data = _subject_bytes(subject, ".biopax.owl")
        return lambda: {"elements": len(etree.fromstring(data, etree.XMLParser(huge_tree=True)))}, None
    if stage == "floor_pybiopax_read":
        import pybiopax

        text = _subject_bytes(subject, ".biopax.owl").decode("utf-8")
        return lambda: {"objects": len(pybiopax.model_from_owl_str(text).objects)}, None
    if stage in ("roundtrip_diff_sbml", "roundtrip_diff_biopax", "floor_model_eq_sbml", "floor_model_eq_biopax"):
        from pathway_export.formats import FORMATS

        fmt = stage.rsplit("_", 1)[1]
        spec = FORMATS[fmt]
        model = _model(subject)
        expected = spec.not_carried(model)
        back = _read_back(subject, fmt)
        if stage.startswith("floor"):
            return lambda: {"equal": expected == back}, None
        return lambda: {"differences": len(roundtrip.diff(expected, back))}, None
    if stage == "bundled_total":
        # the bundled model: export to each format, read back, compare, and validate the SBML
        # with libsbml (what ``pathway-export roundtrip`` does)
        model = _model(subject)

        def run():
            trips = roundtrip.roundtrip(model)
            return {"exact": all(t.exact for t in trips), "findings": sum(len(t.findings) for t in trips)}
        return run, None
    if stage in ("bundled_command", "floor_python_start"):
        # what a CI gate pays: the whole command in a new interpreter, start-up included,
        # beside starting an interpreter that imports the libraries the command stands on
        import subprocess

        command = ([sys.executable, "-m", "pathway_export", "roundtrip"] if stage == "bundled_command"
                   else [sys.executable, "-c", "import libsbml, lxml.etree, click, yaml_rs, jsonschema_rs"])

        def run():
            proc = subprocess.run(command, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"{' '.join(command[1:])} failed: {proc.stderr.strip()[-300:]}")
            return {"output": proc.stdout.strip().splitlines()}
        return run, None
    raise SystemExit(f"unknown stage {stage!r}")


def _back_path(subject: str, fmt: str) -> Path:
    return CACHE / f"{subject.replace(':', '_')}.{fmt}.back.pickle"


def _read_back(subject: str, fmt: str):
    """The model read back from our document: pickled by the read stage, else read now (small)."""
    import pickle

    path = _back_path(subject, fmt)
    if path.exists():
        return pickle.loads(path.read_bytes())
    n = int(subject.split(":")[1])
    if n >= 10000:
        raise SystemExit(f"no read-back model for {subject}: the read stage did not finish")
    from pathway_export.formats import FORMATS

    spec = FORMATS[fmt]
    return spec.from_bytes(_subject_bytes(subject, spec.extension), source=subject)


def _warm_up() -> None:
    """Pay one-time costs (the identifier tables, lazy imports) before timing."""
    from pathway_export import identifiers

    identifiers.normalize_curie("uniprot:P40763")
    identifiers.from_uri(identifiers.to_uri("uniprot:P40763"))


def main(argv: list[str]) -> int:
    stage, subject = argv[1], argv[2]
    run, kept = _prepare_and_run(stage, subject)
    if not stage.startswith("floor"):
        _warm_up()
    base = _rss_mb()
    tree = _TreeMemory()
    tree.start()
    start = time.perf_counter()
    info = run()
    seconds = time.perf_counter() - start
    tree.stop.set()
    tree.join()
    peak = _peak_mb()
    if kept and "model" in kept and subject.startswith("synthetic:"):
        import pickle  # for the round-trip stages, after the measurement

        _back_path(subject, stage.split("_")[1]).write_bytes(pickle.dumps(kept["model"]))
    print(json.dumps({"seconds": seconds, "peak_mb": round(peak, 1), "base_mb": round(base, 1),
                      "tree_peak_mb": round(max(tree.peak, peak), 1), "info": info}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
