"""The round-trip matrix: every format x every example model, exact after what a format cannot carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathway_export import canonical
from pathway_export.formats import FORMATS
from pathway_export.checks.roundtrip import diff, roundtrip, trip

VALID = Path(__file__).resolve().parents[1] / "data" / "canonical" / "valid"
MODELS = sorted(VALID.glob("*.yaml")) + [canonical.bundled_model_path()]


def _load(path: Path):
    return canonical.load(path)


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_round_trip_is_exact(path, fmt):
    model = _load(path)
    result = trip(model, fmt)
    assert result.exact, "\n".join(str(d) for d in result.differences)


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_export_is_deterministic(path, fmt):
    model = _load(path)
    first = FORMATS[fmt].to_bytes(model)
    again = FORMATS[fmt].to_bytes(canonical.load(path))
    assert first == again


def test_bundled_model_round_trips_with_libsbml_silent(bundled_model):
    results = roundtrip(bundled_model)
    for result in results:
        assert result.exact, "\n".join(str(d) for d in result.differences)
        assert result.findings == [], "\n".join(f"{f.rule} {f.element}: {f.message}" for f in result.findings)


def test_diff_names_what_changed():
    from dataclasses import replace

    model = canonical.load(VALID / "minimal.yaml")
    changed = replace(model, reactions=model.reactions[:-1] + (
        replace(model.reactions[-1], rate_law="cytosol * 2 * k_deg * SOCS3_c"),))
    changed = replace(changed, entities=changed.entities[1:])
    messages = [str(d) for d in diff(model, changed)]
    assert any("reactions[SOCS3_degradation].rate_law" in m for m in messages), messages
    assert any("entities[IL6_e]" in m and "missing" in m for m in messages), messages
    # the same math written differently is not a difference
    same = replace(model, reactions=model.reactions[:-1] + (
        replace(model.reactions[-1], rate_law="cytosol*k_deg*SOCS3_c"),))
    assert diff(model, same) == []


def test_a_large_model_is_checked_batch_by_batch_with_libsbml_s_findings(monkeypatch):
    """libsbml's whole-document check is quadratic (about 16 minutes at 50,000 reactions):
    the SBML trip of a large model gets the same findings from bounded sub-documents."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.synth import synthetic_model
    from pathway_export.checks import sbml as sbml_validation
    from pathway_export.formats.sbml import check_consistency

    model = synthetic_model(sbml_validation.MONOLITHIC_BELOW + 100)
    plans = []
    run_plan = sbml_validation._run_plan
    monkeypatch.setattr(sbml_validation, "_run_plan", lambda plan, *a, **kw: plans.append(plan) or run_plan(plan, *a, **kw))
    result = trip(model, "sbml")
    assert result.exact, "\n".join(str(d) for d in result.differences[:20])
    assert plans, "the document was checked whole"
    whole = check_consistency(FORMATS["sbml"].to_bytes(model), source=FORMATS["sbml"].filename(model.id))
    assert set(result.findings) == set(whole)


def test_diff_tolerates_what_equality_does_not():
    """Equal models are answered at once; models unequal only within the tolerance (or in the
    spelling of their math) still have no differences, and a change just past it is named."""
    from dataclasses import replace

    model = canonical.load(VALID / "minimal.yaml")
    assert diff(model, canonical.loads(canonical.dumps(model))) == []
    parameter = next(p for p in model.parameters if isinstance(p.value, float) and p.value)
    near = replace(model, parameters=tuple(
        replace(p, value=p.value * (1 + 1e-14)) if p is parameter else p for p in model.parameters))
    assert near != model and diff(model, near) == []
    far = replace(model, parameters=tuple(
        replace(p, value=p.value * (1 + 1e-9)) if p is parameter else p for p in model.parameters))
    assert [d.path for d in diff(model, far)] == [f"parameters[{parameter.id}].value"]
