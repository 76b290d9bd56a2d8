"""How each stage scales, against the floor the libraries it stands on set.

Usage::

    python -m benchmarks.run                      # 100, 1,000, 10,000, 50,000 reactions + real models
    python -m benchmarks.run --quick              # 100 and 1,000 reactions, one repeat: under 2 minutes
    python -m benchmarks.run --sizes 1000,10000 --repeats 3 --name mine

Every measurement runs in a fresh process (:mod:`benchmarks.measure`), so its peak memory is
its own; the median of ``--repeats`` runs is kept. Each of our stages is printed beside its
floor, measured in the same run on the same bytes:

======================  =====================================================================
stage                   floor
======================  =====================================================================
load canonical          yaml-rs (YAML 1.2) or json (JSON) parsing the same text
export SBML             libsbml building the model's elements and writing a same-size document
read SBML               libsbml reading the same bytes
export BioPAX           lxml serialising the same document (and pybiopax writing it)
read BioPAX             lxml parsing the same bytes (and pybiopax reading them)
round-trip diff         ``==`` on the same two models
validate SBML           libsbml reading and ``checkConsistency`` on the whole document
======================  =====================================================================

The table gives seconds, peak resident memory, the ratio ours / floor and the growth from
the previous size (time ratio, and the exponent ``log(t2/t1) / log(n2/n1)``: 1 is linear,
2 quadratic). Results go to ``benchmarks/results/<name>.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results"
CORPUS = ROOT.parent / "shared" / "corpus" / "sbml" / "large"

SYNTHETIC_STAGES = [
    # (label, our stage, floor stages; the first floor is the one the ratio uses)
    ("load canonical YAML", "load_yaml", ["floor_yaml_parse", "floor_ruamel_parse"]),
    ("load canonical JSON", "load_json", ["floor_json_parse"]),
    ("export SBML", "export_sbml", ["floor_sbml_build_write"]),
    ("read SBML", "read_sbml", ["floor_libsbml_read"]),
    ("export BioPAX", "export_biopax", ["floor_lxml_serialise", "floor_pybiopax_write"]),
    ("read BioPAX", "read_biopax", ["floor_lxml_parse", "floor_pybiopax_read"]),
    ("round-trip diff SBML", "roundtrip_diff_sbml", ["floor_model_eq_sbml"]),
    ("round-trip diff BioPAX", "roundtrip_diff_biopax", ["floor_model_eq_biopax"]),
    ("validate SBML", "validate_sbml", ["floor_libsbml_check"]),
]
REAL_STAGES = [
    ("read SBML", "read_sbml", ["floor_libsbml_read"]),
    ("validate SBML", "validate_sbml", ["floor_libsbml_check"]),
]
REAL_MODELS = ["e_coli_core.xml", "BIOMD0000000255.xml", "MODEL2001290001.xml",
               "Galactose_v128_Nc20_dilution.xml", "iJO1366.xml", "salmonella.xml", "Recon3D.xml.gz"]


# --------------------------------------------------------------------------- inputs


def _synth_key() -> str:
    return hashlib.sha256((HERE / "synth.py").read_bytes()).hexdigest()[:12]


def prepare(n: int, formats: dict[str, bool]) -> dict[str, str]:
    """Write the canonical files (cached while synth.py is unchanged) and our documents."""
    from benchmarks.synth import synthetic_model
    from pathway_export import canonical

    CACHE.mkdir(exist_ok=True)
    model = synthetic_model(n)
    key = _synth_key()
    stamp = CACHE / f"synthetic_{n}.key"
    yaml_path, json_path = CACHE / f"synthetic_{n}.yaml", CACHE / f"synthetic_{n}.json"
    if not (stamp.exists() and stamp.read_text() == key and yaml_path.exists() and json_path.exists()):
        json_path.write_text(canonical.dumps(model, as_json=True), encoding="utf-8")
        yaml_path.write_text(canonical.dumps(model), encoding="utf-8")
        stamp.write_text(key)
    status = {}
    for stale in CACHE.glob(f"synthetic_{n}.*.back.pickle"):
        stale.unlink()  # read-back models of an earlier run's documents
    for fmt, ext in (("sbml", ".sbml.xml"), ("biopax", ".biopax.owl")):
        if not formats.get(fmt):
            status[fmt] = "writer unavailable"
            continue
        from pathway_export.formats import FORMATS

        try:
            (CACHE / f"synthetic_{n}{ext}").write_bytes(FORMATS[fmt].to_bytes(model))
            status[fmt] = "ok"
        except Exception as exc:  # the benchmark reports a broken writer, it does not stop
            status[fmt] = f"writer failed: {type(exc).__name__}: {exc}"
    return status


def available_formats() -> dict[str, bool]:
    out = {}
    for fmt in ("sbml", "biopax"):
        try:
            __import__(f"pathway_export.formats.{fmt}")
            out[fmt] = True
        except ImportError:
            out[fmt] = False
    return out


# --------------------------------------------------------------------------- measuring


def measure(stage: str, subject: str, repeats: int, timeout: float) -> dict:
    """Median of ``repeats`` fresh-process runs of one stage on one subject."""
    runs = []
    for _ in range(repeats):
        try:
            proc = subprocess.run([sys.executable, "-m", "benchmarks.measure", stage, subject],
                                  cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"status": f"timeout after {timeout:.0f} s"}
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return {"status": f"failed: {tail[:200]}"}
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    seconds = statistics.median(r["seconds"] for r in runs)
    best = min(runs, key=lambda r: abs(r["seconds"] - seconds))
    return {"status": "ok", "seconds": seconds, "runs": [r["seconds"] for r in runs],
            "peak_mb": max(r["peak_mb"] for r in runs),
            "tree_peak_mb": max(r["tree_peak_mb"] for r in runs),
            "base_mb": best["base_mb"], "info": best["info"]}


def _skip_floor(stage: str, n: int | None, args) -> str | None:
    if stage == "floor_libsbml_check" and n is not None and n > args.floor_check_max:
        return (f"skipped above {args.floor_check_max} reactions (quadratic: 954 s and 5.5 GB "
                "at 50,000 reactions when last measured); raise --floor-check-max to run it")
    if stage == "floor_ruamel_parse" and n is not None and n > 10000:
        return "skipped above 10,000 reactions (the pure-Python parser the loader no longer uses)"
    return None


def run_subject(label: str, subject: str, n: int | None, stages, args, missing: dict[str, str]) -> list[dict]:
    rows = []
    for title, ours, floors in stages:
        if args.stages and not any(s in ours for s in args.stages):
            continue
        fmt = "biopax" if "biopax" in ours else ("sbml" if "sbml" in ours else None)
        row = {"subject": label, "reactions": n, "stage": title, "ours_stage": ours}
        if fmt and missing.get(fmt, "ok") != "ok":
            row["ours"] = {"status": missing[fmt]}
            row["floors"] = {}
            rows.append(row)
            _print_progress(row)
            continue
        repeats = args.repeats_large if (n or 0) >= 50000 else args.repeats
        row["ours"] = measure(ours, subject, repeats, args.timeout)
        row["floors"] = {}
        for floor in floors:
            reason = _skip_floor(floor, n, args)
            row["floors"][floor] = {"status": reason} if reason else measure(floor, subject, repeats, args.timeout)
        first = row["floors"].get(floors[0], {}) if floors else {}
        if row["ours"].get("status") == "ok" and first.get("status") == "ok" and first["seconds"] > 0:
            row["ratio"] = row["ours"]["seconds"] / first["seconds"]
        if "floor_pybiopax_read" in row["floors"] and row["floors"]["floor_pybiopax_read"].get("status") == "ok" \
                and row["ours"].get("status") == "ok":
            row["speedup_vs_pybiopax"] = row["floors"]["floor_pybiopax_read"]["seconds"] / row["ours"]["seconds"]
        rows.append(row)
        _print_progress(row)
    return rows


def _print_progress(row: dict) -> None:
    ours = row["ours"]
    text = f"{ours['seconds']:.3f} s" if ours.get("status") == "ok" else ours.get("status")
    print(f"  {row['subject']:>22}  {row['stage']:<24} {text}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- reporting


def add_growth(rows: list[dict]) -> None:
    """Time ratio and exponent against the previous synthetic size, per stage."""
    by_stage: dict[str, list[dict]] = {}
    for row in rows:
        if row["subject"].startswith("synthetic") and row["ours"].get("status") == "ok":
            by_stage.setdefault(row["stage"], []).append(row)
    for series in by_stage.values():
        series.sort(key=lambda r: r["reactions"])
        for prev, cur in zip(series, series[1:]):
            t1, t2 = prev["ours"]["seconds"], cur["ours"]["seconds"]
            n1, n2 = prev["reactions"], cur["reactions"]
            if t1 > 0 and t2 > 0:
                cur["growth"] = {"from": n1, "time_ratio": t2 / t1,
                                 "exponent": math.log(t2 / t1) / math.log(n2 / n1)}


def _fmt_s(m: dict) -> str:
    if not m:
        return ""
    if m.get("status") != "ok":
        return "n/a"
    return f"{m['seconds']:.3f}"


def _fmt_mb(m: dict) -> str:
    if not m or m.get("status") != "ok":
        return ""
    peak = max(m["peak_mb"], m.get("tree_peak_mb", 0))
    return f"{peak:.0f}"


def table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    head = ("| subject | stage | ours s | ours peak MB | floor s | floor peak MB | ours/floor | "
            "growth (x time, exponent) | note |")
    lines = [head, "| " + " | ".join(["---"] * 9) + " |"]
    for row in rows:
        floors = row.get("floors", {})
        first = next(iter(floors.values()), {})
        notes = []
        for name, m in list(floors.items())[1:]:
            if m.get("status") == "ok":
                notes.append(f"{name.replace('floor_', '')} {m['seconds']:.3f} s")
        if "speedup_vs_pybiopax" in row:
            notes.append(f"{row['speedup_vs_pybiopax']:.1f}x faster than pybiopax")
        for m in [row["ours"], *floors.values()]:
            if m.get("status") not in (None, "ok"):
                notes.append(m["status"])
        growth = row.get("growth")
        g = f"x{growth['time_ratio']:.1f} ({growth['exponent']:.2f})" if growth else ""
        ratio = f"{row['ratio']:.2f}" if "ratio" in row else ""
        lines.append(f"| {row['subject']} | {row['stage']} | {_fmt_s(row['ours'])} | {_fmt_mb(row['ours'])} | "
                     f"{_fmt_s(first)} | {_fmt_mb(first)} | {ratio} | {g} | {'; '.join(notes)} |")
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[str]:
    """The issue's targets, each with the numbers that decide it."""
    out = []

    def find(subject: str, stage: str) -> dict | None:
        return next((r for r in rows if r["subject"] == subject and r["stage"] == stage), None)

    for row in rows:
        if row["stage"] in ("load canonical YAML", "load canonical JSON") and "ratio" in row \
                and row["subject"] == "synthetic 10000":
            ok = row["ratio"] <= 5
            out.append(f"{'MET' if ok else 'NOT MET'}: {row['stage']} at {row['subject']}: "
                       f"{row['ratio']:.2f}x the bare parse (target <= 5x)")
    stages = {r["stage"] for r in rows}
    for stage in sorted(stages):
        a, b = find("synthetic 10000", stage), find("synthetic 50000", stage)
        if a and b and a["ours"].get("status") == "ok" and b["ours"].get("status") == "ok":
            ratio = b["ours"]["seconds"] / a["ours"]["seconds"]
            out.append(f"{'MET' if ratio <= 5.5 else 'NOT MET'}: {stage} linear: 50k/10k time = "
                       f"{ratio:.2f} (target <= 5.5)")
    v = find("synthetic 50000", "validate SBML")
    if v and v["ours"].get("status") == "ok":
        mb = max(v["ours"]["peak_mb"], v["ours"]["tree_peak_mb"])
        ok = v["ours"]["seconds"] < 60 and mb < 2048
        out.append(f"{'MET' if ok else 'NOT MET'}: validate 50k: {v['ours']['seconds']:.1f} s, "
                   f"peak {mb:.0f} MB, process and workers together (target < 60 s, < 2 GB)")
    b = find("bundled il6_stat3", "export + round trip + validate")
    if b and b["ours"].get("status") == "ok":
        ok = b["ours"]["seconds"] < 2
        out.append(f"{'MET' if ok else 'NOT MET'}: bundled IL-6/STAT3 export + round trip + validation: "
                   f"{b['ours']['seconds']:.2f} s (target < 2 s)")
    c = find("bundled il6_stat3", "the roundtrip command")
    if c and "ratio" in c:
        ok = c["ratio"] <= 3
        out.append(f"{'MET' if ok else 'NOT MET'}: bundled IL-6/STAT3, the roundtrip command in a new "
                   f"interpreter: {c['ours']['seconds']:.2f} s, {c['ratio']:.2f}x an interpreter importing "
                   "its libraries (target <= 3x)")
    return out


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000,50000",
                        help="reaction counts of the synthetic models (comma-separated)")
    parser.add_argument("--repeats", type=int, default=3, help="fresh-process runs per measurement (median kept)")
    parser.add_argument("--repeats-large", type=int, default=1,
                        help="runs per measurement for models of 50,000 reactions or more")
    parser.add_argument("--quick", action="store_true",
                        help="100 and 1,000 reactions, one repeat, one small real model: under 2 minutes")
    parser.add_argument("--real", default=",".join(REAL_MODELS),
                        help="real models of the shared corpus to read and validate ('' for none)")
    parser.add_argument("--stages", default="", help="only stages whose name contains one of these (comma-separated)")
    parser.add_argument("--floor-check-max", type=int, default=10000,
                        help="largest synthetic model for libsbml's whole-document checkConsistency floor")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per measurement")
    parser.add_argument("--name", default=None, help="results file name (default: 'quick' or 'full')")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats, args.real = "100,1000", 1, "e_coli_core.xml"
    args.stages = [s for s in args.stages.split(",") if s]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    name = args.name or ("quick" if args.quick else "full")

    formats = available_formats()
    rows: list[dict] = []
    started = time.time()
    print(f"bundled model and {len(sizes)} synthetic sizes; each measurement in a fresh process",
          file=sys.stderr)
    if not args.stages or any(s in "bundled_total" for s in args.stages):
        from pathway_export import canonical

        if "il6_stat3" in canonical.bundled_models():
            rows += run_subject("bundled il6_stat3", "bundled:il6_stat3", None,
                                [("export + round trip + validate", "bundled_total", []),
                                 ("the roundtrip command", "bundled_command",
                                  ["floor_python_start"])], args, formats_status(formats))
    for n in sizes:
        status = prepare_apart(n, formats)
        rows += run_subject(f"synthetic {n}", f"synthetic:{n}", n, SYNTHETIC_STAGES, args, status)
    for file_name in [f for f in args.real.split(",") if f]:
        path = CORPUS / file_name
        if not path.exists():
            print(f"  {file_name}: not in the shared corpus, skipped", file=sys.stderr)
            continue
        rows += run_subject(file_name, f"file:{path}", None, REAL_STAGES, args,
                            {"sbml": "ok" if formats.get("sbml") else "reader unavailable"})
    add_growth(rows)
    result = {"name": name, "python": platform.python_version(), "machine": platform.machine(),
              "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(), "repeats": args.repeats, "sizes": sizes,
              "elapsed_s": round(time.time() - started, 1), "rows": rows, "targets": targets(rows)}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(rows))
    print()
    for line in result["targets"]:
        print(f"- {line}")
    print(f"\n{len(rows)} measurements in {result['elapsed_s']:.0f} s; written to benchmarks/results/{out.name}")
    return 0


def prepare_apart(n: int, formats: dict[str, bool]) -> dict[str, str]:
    """:func:`prepare` in a process of its own, so that the runner stays small while it measures.

    A runner that built the 50,000-reaction model itself kept 2.7 GB resident beside every
    measurement that followed, on a machine where memory is reclaimed in the background.
    """
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from benchmarks import run as this  # by its module name, also when started with -m

    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(this.prepare, n, formats).result()


def formats_status(formats: dict[str, bool]) -> dict[str, str]:
    return {fmt: "ok" if ok else "writer unavailable" for fmt, ok in formats.items()}


if __name__ == "__main__":
    sys.exit(main())
