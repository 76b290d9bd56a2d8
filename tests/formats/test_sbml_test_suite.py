"""SBML Test Suite semantic cases: import, re-export, simulate, compare with the expected results.

For every staged case: read the original into the canonical model (or have it refused by
name), check that the model survives canonical text (dump, load), write it back to SBML (which must
read back as the same model and export to the same bytes), simulate the re-exported document with libRoadRunner as the
case's settings say, and compare with its results within its tolerances. A case that
libRoadRunner passes on the original must pass after the trip, or be refused by name: no case
is silently wrong.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

import sbml_suite
from conftest import CORPUS
from needs import missing
from pathway_export import canonical
from pathway_export.errors import UnsupportedFeatureError
from pathway_export.formats.sbml import from_sbml, to_sbml

SUITE = CORPUS / "sbml-test-suite"
CASES = sbml_suite.load_cases(SUITE) if SUITE.is_dir() else []
BY_ID = {case.id: case for case in CASES}
README = Path(__file__).resolve().parents[2] / "README.md"

# The pass count this tool reaches (of the cases libRoadRunner passes on the original files);
# raise it when import widens, never lower it without saying why in the commit.
MIN_PASSING = 246
# Of those, the cases simulated after the trip and compared with the expected results (the
# README says this number); the others are refused by name or need what libRoadRunner lacks.
MIN_COMPARED = 246


@functools.lru_cache(maxsize=None)
def outcome(case_id: str) -> tuple[str, str]:
    """``(status, detail)``: pass, refused, baseline (libRoadRunner fails the original), wrong, error."""
    case = BY_ID[case_id]
    original = case.sbml.read_bytes()
    try:
        model = from_sbml(original, source=str(case.sbml))
    except UnsupportedFeatureError as exc:
        return "refused", str(exc)
    except Exception as exc:  # noqa: BLE001
        return "error", f"import raised {type(exc).__name__}: {exc}"
    try:
        if canonical.loads(canonical.dumps(model)) != model:
            return "error", "the imported model does not survive canonical dump and load"
    except Exception as exc:  # noqa: BLE001
        return "error", f"the imported model does not load as canonical text: {exc}"
    try:
        exported = to_sbml(model).decode()
    except Exception as exc:  # noqa: BLE001
        return "error", f"export raised {type(exc).__name__}: {exc}"
    try:
        again = from_sbml(exported.encode(), source=case.sbml.name)
    except Exception as exc:  # noqa: BLE001
        return "error", f"reading the re-exported document raised {type(exc).__name__}: {exc}"
    if again != model:
        return "error", "the re-exported document does not read back as the imported model"
    if to_sbml(again).decode() != exported:
        return "error", "a second export gives other bytes"
    if case.test_type != "TimeCourse":
        return "pass", "imported and exported (not a time course)"
    try:
        problem = sbml_suite.mismatch(case, sbml_suite.simulate(case, exported))
    except RuntimeError as exc:  # libRoadRunner's errors; a missing libRoadRunner is a failure
        limit = _roadrunner_limit(exc)
        if limit is None:
            return "error", f"libRoadRunner failed on the re-exported model: {exc}"
        try:
            sbml_suite.simulate(case, original.decode())
        except RuntimeError as again:
            if _roadrunner_limit(again) == limit:
                return "baseline", f"libRoadRunner does not support {limit} (nor on the original)"
        return "wrong", f"the re-exported model meets libRoadRunner's limit ({limit}), the original does not"
    if problem is None:
        return "pass", ""
    # the original decides whether we or libRoadRunner are to blame
    try:
        baseline_ok = sbml_suite.mismatch(case, sbml_suite.simulate(case, original.decode())) is None
    except RuntimeError as exc:
        limit = _roadrunner_limit(exc)
        if limit is None:
            return "error", f"libRoadRunner failed on the original: {exc}"
        return "baseline", f"libRoadRunner does not support {limit} in the original; the re-export: {problem}"
    return ("wrong" if baseline_ok else "baseline"), problem


# What libRoadRunner cannot simulate in any document: a case whose original meets one of these
# is imported and re-exported but cannot be compared numerically. (The re-export of a fast
# reaction, in Level 3 Version 2, which has no 'fast', simulates as an ordinary reaction.)
ROADRUNNER_LIMITS = ("algebraic rules", "delay differential equations", "'fast' reactions")


def _roadrunner_limit(exc: RuntimeError) -> str | None:
    return next((limit for limit in ROADRUNNER_LIMITS if f"Unable to support {limit}" in str(exc)), None)


def compared_numerically(case_id: str) -> bool:
    """The re-exported case was simulated and matched the expected results."""
    return BY_ID[case_id].test_type == "TimeCourse" and outcome(case_id) == ("pass", "")


@pytest.fixture(scope="module", autouse=True)
def _need_suite(corpus):
    if not CASES:
        missing("the SBML Test Suite cases are not in the shared corpus")


def _out_of_scope() -> str:
    """The README's table of what SBML import refuses, whitespace normalised."""
    text = README.read_text(encoding="utf-8")
    start = text.index("Out of scope, refused by name")
    return " ".join(text[start:text.index("\n\n", text.index("| --- |", start))].split())


@pytest.mark.parametrize("case_id", [c.id for c in CASES] or ["none"])
def test_case_round_trips_or_is_refused_by_name(case_id):
    status, detail = outcome(case_id)
    assert status in ("pass", "refused", "baseline"), f"case {case_id} ({status}): {detail}"
    if status == "refused":
        assert "cannot represent" in detail and len(detail) > 20
        # each refusal names a package the README lists as out of scope, with the reason
        packages = re.findall(r"SBML package '(\w+)'", detail)
        assert packages, f"case {case_id} is refused for something other than a package: {detail}"
        table = _out_of_scope()
        for package in packages:
            assert f"`{package}`" in table, f"the README does not list the package {package!r} as out of scope"


def test_at_least_99_percent_of_what_roadrunner_passes_passes_after_the_trip():
    """Of the time courses libRoadRunner simulates to the expected results from the original
    file, at least 99% pass after import and re-export (refused ones count as failed)."""
    runs = []
    for case in CASES:
        status, _ = outcome(case.id)
        if case.test_type != "TimeCourse" or status == "baseline":
            continue
        if status in ("pass", "wrong", "error"):
            runs.append(status == "pass")
            continue
        try:  # refused: does libRoadRunner pass the original?
            original_ok = sbml_suite.mismatch(case, sbml_suite.simulate(case, case.sbml.read_text())) is None
        except RuntimeError as exc:
            if _roadrunner_limit(exc) is None:
                raise
            original_ok = False
        if original_ok:
            runs.append(False)
    assert runs and sum(runs) >= 0.99 * len(runs), f"{sum(runs)} of {len(runs)} pass"


def test_pass_rate():
    results = {case.id: outcome(case.id) for case in CASES}
    passing = sorted(i for i, (s, _) in results.items() if s == "pass")
    summary = {s: sum(1 for v in results.values() if v[0] == s) for s in
               ("pass", "refused", "baseline", "wrong", "error")}
    assert len(passing) >= MIN_PASSING, summary
    compared = [i for i in results if compared_numerically(i)]
    assert len(compared) >= MIN_COMPARED, f"{len(compared)} compared numerically; {summary}"
    assert f"{len(CASES)} semantic cases, {MIN_COMPARED} are compared numerically" in " ".join(
        README.read_text(encoding="utf-8").split()), "the README states the number compared"


def test_a_missing_simulator_fails_and_is_never_a_baseline(monkeypatch):
    def without_roadrunner(case, sbml):
        raise ModuleNotFoundError("No module named 'roadrunner'")

    monkeypatch.setattr(sbml_suite, "simulate", without_roadrunner)
    with pytest.raises(ModuleNotFoundError):
        outcome.__wrapped__("00001")


def test_a_simulator_failure_other_than_its_known_limits_is_an_error(monkeypatch):
    def failing(case, sbml):
        raise RuntimeError("CVODE Error: CV_CONV_FAILURE")

    monkeypatch.setattr(sbml_suite, "simulate", failing)
    status, detail = outcome.__wrapped__("00001")
    assert status == "error" and "CV_CONV_FAILURE" in detail
