"""The written SBML loads and runs in COPASI and libRoadRunner, and both agree."""

from __future__ import annotations

import pytest

import needs
from pathway_export.checks import simulate
from pathway_export.formats import sbml
from sbml_models import rich_model

needs.module("roadrunner", "libroadrunner is a test extra")
needs.module("COPASI", "python-copasi is a test extra")

RTOL = 1e-4


def _importer_warnings(messages: list[str]) -> list[str]:
    """COPASI SBML-importer messages at warning level or above.

    COPASI's ``CAnnotation (4)`` messages say a MIRIAM URI is missing from COPASI's own,
    older resource table (it predates ``https://identifiers.org/prefix:id`` URIs); they
    concern COPASI's table, not the document, and are left out.
    """
    return [m for m in messages if simulate.is_warning_or_worse(m) and "CAnnotation (4)" not in m]


def _agree(rr: dict, cp: dict) -> list[str]:
    problems = []
    shared = sorted(set(rr) & set(cp) - {"time"})
    assert shared, "no common trajectories"
    for key in shared:
        scale = max(max(abs(v) for v in rr[key]), 1e-12)
        worst = max(abs(a - b) for a, b in zip(rr[key], cp[key])) / scale
        if worst > RTOL:
            problems.append(f"{key}: relative difference {worst:.2e}")
    return problems


def test_rich_model_runs_in_copasi_and_roadrunner_alike():
    data = sbml.to_sbml(rich_model())
    cp, messages = simulate.simulate_copasi(data, 60, 121)
    assert _importer_warnings(messages) == []
    rr = simulate.simulate_roadrunner(data, 60, 121)
    assert rr["time"] == pytest.approx(cp["time"])
    assert _agree(rr, cp) == []
    # the stimulus at time 0 fires at the start in both tools
    assert rr["IL6_e"][0] == pytest.approx(1.0) and cp["IL6_e"][0] == pytest.approx(1.0)


def _seconds_per_time_unit(model) -> float:
    unit = model.units.time or "second"
    if unit == "second":
        return 1.0
    (factor,) = model.unit_by_id[unit].factors
    assert factor.kind == "second" and factor.exponent == 1
    return factor.multiplier * 10 ** factor.scale


def test_bundled_model_is_clean_and_shows_transient_pstat3(bundled_model):
    data = sbml.to_sbml(bundled_model)
    findings = sbml.check_consistency(data)
    assert [f for f in findings if f.severity in ("error", "warning")] == [], "\n".join(
        f"{f.rule} {f.element}: {f.message[:300]}" for f in findings)
    end = 120 * 60 / _seconds_per_time_unit(bundled_model)  # two hours after the IL-6 stimulus
    cp, messages = simulate.simulate_copasi(data, end, 241)
    assert _importer_warnings(messages) == []
    rr = simulate.simulate_roadrunner(data, end, 241)
    assert _agree(rr, cp) == []
    key = next(k for k in rr if k.startswith("total_pSTAT3"))
    series = rr[key]
    peak = max(series)
    assert peak > 2 * series[-1], f"{key} peaks at {peak} and ends at {series[-1]}"
    assert peak > series[0]


def test_missing_simulator_is_a_clear_error(monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "roadrunner":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(simulate.SimulationError, match="libroadrunner is not installed"):
        simulate.simulate_roadrunner(b"", 1, 2)
