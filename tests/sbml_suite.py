"""Running SBML Test Suite semantic cases: settings, expected results, simulation and comparison.

A case passes when every variable of its settings stays within
``absolute + relative * |expected|`` of its ``-results.csv`` at every time point (the
suite's own criterion). Simulation is libRoadRunner's, with tight integrator tolerances.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    id: str
    folder: Path
    sbml: Path
    settings: dict[str, str]
    tags: frozenset[str]
    test_type: str

    @property
    def variables(self) -> list[str]:
        return _names(self.settings.get("variables", ""))

    @property
    def concentrations(self) -> set[str]:
        return set(_names(self.settings.get("concentration", "")))


def _names(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def load_cases(root: Path) -> list[Case]:
    """Every staged case with an SBML Level 3 file, in id order."""
    index = {}
    with (root / "semantic_cases_index.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            index[row["case_id"]] = row
    cases = []
    for folder in sorted((root / "semantic").iterdir()):
        files = sorted(folder.glob(f"{folder.name}-sbml-l3v*.xml"))
        if not files:
            continue
        settings = {}
        for line in (folder / f"{folder.name}-settings.txt").read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition(":")
            if sep:
                settings[key.strip()] = value.strip()
        row = index.get(folder.name, {})
        tags = frozenset(_names(row.get("componentTags", "")) + _names(row.get("testTags", "")))
        cases.append(Case(folder.name, folder, files[-1], settings, tags, row.get("testType", "")))
    return cases


def expected(case: Case) -> dict[str, list[float]]:
    with (case.folder / f"{case.id}-results.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = [h.strip() for h in rows[0]]
    return {name: [float(r[i]) for r in rows[1:]] for i, name in enumerate(header)}


def simulate(case: Case, sbml: str) -> dict[str, list[float]]:
    import roadrunner

    roadrunner.Logger.setLevel(roadrunner.Logger.LOG_FATAL)
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-16
    concentrations = case.concentrations
    variables = case.variables
    rr.timeCourseSelections = ["time"] + [f"[{v}]" if v in concentrations else v for v in variables]
    start = float(case.settings["start"])
    duration = float(case.settings["duration"])
    steps = int(float(case.settings["steps"]))
    result = rr.simulate(start, start + duration, steps + 1)
    return {name: [float(x) for x in result[:, i + 1]] for i, name in enumerate(variables)}


def mismatch(case: Case, got: dict[str, list[float]]) -> str | None:
    """``None`` when the trajectories match the expected results, else what differs first."""
    want = expected(case)
    absolute = float(case.settings.get("absolute", 0))
    relative = float(case.settings.get("relative", 0))
    for name in case.variables:
        for i, (e, g) in enumerate(zip(want[name], got[name])):
            if math.isnan(e) and math.isnan(g):
                continue
            if math.isinf(e) and e == g:
                continue
            if not abs(g - e) <= absolute + relative * abs(e):
                return f"{name} at row {i}: expected {e!r}, simulated {g!r}"
        if len(want[name]) != len(got[name]):
            return f"{name}: expected {len(want[name])} points, simulated {len(got[name])}"
    return None
