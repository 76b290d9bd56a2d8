"""Run a written SBML document in the tools people use: libRoadRunner and COPASI.

Both simulators are optional (test extras): each function imports its library when
called and raises :class:`SimulationError` saying how to install it when missing.
Trajectories are returned as ``{id: [value per time point]}`` with ``"time"`` included;
species are concentrations (amounts for amount-based species), observables their values.
"""

from __future__ import annotations

import logging

from ..errors import PathwayExportError

log = logging.getLogger(__name__)


class SimulationError(PathwayExportError):
    """A simulator is missing, refused the model, or failed to integrate it."""


def _import(name: str, package: str):
    try:
        return __import__(name)
    except ImportError as exc:
        raise SimulationError(f"{package} is not installed; install it with "
                              f"'pip install pathway-export[test]' or 'pip install {package}'") from exc


def _text(sbml: bytes | str) -> str:
    return sbml.decode("utf-8") if isinstance(sbml, bytes) else sbml


def simulate_roadrunner(sbml: bytes | str, end: float, points: int) -> dict[str, list[float]]:
    """Integrate with libRoadRunner (CVODE) from 0 to ``end``, ``points`` time points."""
    roadrunner = _import("roadrunner", "libroadrunner")
    try:
        rr = roadrunner.RoadRunner(_text(sbml))
    except Exception as exc:  # roadrunner raises plain RuntimeError on bad models
        raise SimulationError(f"libRoadRunner could not load the model: {exc}") from exc
    model = rr.model
    species = list(model.getFloatingSpeciesIds()) + list(model.getBoundarySpeciesIds())
    amount_based = {s for s in species if _has_only_substance_units(rr, s)}
    columns = [f"[{s}]" if s not in amount_based else s for s in species]
    parameters = list(model.getGlobalParameterIds())
    rr.timeCourseSelections = ["time"] + columns + parameters
    integrator = rr.getIntegrator()
    integrator.setValue("relative_tolerance", 1e-10)
    integrator.setValue("absolute_tolerance", 1e-14)
    try:
        result = rr.simulate(0, end, points)
    except Exception as exc:
        raise SimulationError(f"libRoadRunner failed to simulate: {exc}") from exc
    out: dict[str, list[float]] = {"time": [float(v) for v in result[:, 0]]}
    for j, name in enumerate(species + parameters, start=1):
        out[name] = [float(v) for v in result[:, j]]
    return out


def _has_only_substance_units(rr, species_id: str) -> bool:
    import libsbml

    doc = libsbml.readSBMLFromString(rr.getSBML())
    found = doc.getModel().getSpecies(species_id)
    return bool(found is not None and found.getHasOnlySubstanceUnits())


def simulate_copasi(sbml: bytes | str, end: float, points: int) -> tuple[dict[str, list[float]], list[str]]:
    """Import into COPASI and run its deterministic (LSODA) time course.

    COPASI reports success even when its SBML importer warns, so its message queue is
    cleared before the import and returned afterwards: ``(trajectory, messages)``, each
    message as ``"<severity>: <text>"``.
    """
    COPASI = _import("COPASI", "python-copasi")
    datamodel = COPASI.CRootContainer.addDatamodel()
    try:
        COPASI.CCopasiMessage.clearDeque()
        try:
            imported = datamodel.importSBMLFromString(_text(sbml))
        except Exception as exc:
            raise SimulationError(f"COPASI could not import the model: {exc}") from exc
        messages = _drain(COPASI)
        if not imported:
            raise SimulationError("COPASI could not import the model: " + "; ".join(messages))
        task = datamodel.getTask("Time-Course")
        task.setMethodType(COPASI.CTaskEnum.Method_deterministic)
        method = task.getMethod()
        for name, value in (("Relative Tolerance", 1e-10), ("Absolute Tolerance", 1e-14)):
            parameter = method.getParameter(name)
            if parameter is not None:
                parameter.setValue(value)
        problem = task.getProblem()
        problem.setModel(datamodel.getModel())
        problem.setStepNumber(points - 1)
        problem.setDuration(float(end))
        problem.setTimeSeriesRequested(True)
        task.setScheduled(True)
        if not task.processWithOutputFlags(True, COPASI.CCopasiTask.ONLY_TIME_SERIES):
            raise SimulationError("COPASI failed to simulate: " + "; ".join(_drain(COPASI)))
        messages += _drain(COPASI)
        series = task.getTimeSeries()
        out: dict[str, list[float]] = {}
        steps = series.getRecordedSteps()
        for var in range(series.getNumVariables()):
            key = series.getSBMLId(var, datamodel) or series.getTitle(var)
            if var == 0:
                key = "time"
            out[key] = [float(series.getConcentrationData(step, var)) for step in range(steps)]
        return out, messages
    finally:
        COPASI.CRootContainer.removeDatamodel(datamodel)


_COPASI_SEVERITY = {"RAW": "info", "TRACE": "info", "COMMANDLINE": "info", "WARNING": "warning",
                    "ERROR": "error", "EXCEPTION": "error"}


def _drain(COPASI) -> list[str]:
    """Every message in COPASI's queue, oldest first, as ``"<severity>: <text>"``."""
    names = {getattr(COPASI.CCopasiMessage, key): value for key, value in _COPASI_SEVERITY.items()}
    names.update({getattr(COPASI.CCopasiMessage, f"{key}_FILTERED"): value
                  for key, value in _COPASI_SEVERITY.items() if hasattr(COPASI.CCopasiMessage, f"{key}_FILTERED")})
    out = []
    while COPASI.CCopasiMessage.size() > 0:
        message = COPASI.CCopasiMessage.getFirstMessage()
        severity = names.get(message.getType(), "info")
        out.append(f"{severity}: {' '.join(message.getText().split())}")
    return out


def is_warning_or_worse(message: str) -> bool:
    """Whether a message from :func:`simulate_copasi` is a warning or an error."""
    return message.startswith(("warning:", "error:"))
