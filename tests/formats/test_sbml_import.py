"""Import of models written elsewhere: the BioModels IL-6 / JAK-STAT models.

Each model is read into the canonical model, written back to SBML, and both documents are
simulated with libRoadRunner over two hours of model time (the models count in seconds; by
then every model is near its steady state). Every species, as amount and as concentration,
must follow the original's trajectory. The imported model must also survive canonical text
unchanged, and a change made in that text must reach the exported SBML: the import -> edit
-> validate -> export loop.
"""

from __future__ import annotations

import functools
from pathlib import Path

import libsbml
import numpy as np
import pytest

from conftest import CORPUS
from needs import missing
from pathway_export import canonical
from pathway_export.formats.sbml import from_sbml, to_sbml

IL6 = CORPUS / "sbml" / "il6"
MODELS = sorted(p.name for p in IL6.glob("*.xml")) if IL6.is_dir() else []
HORIZON, POINTS = 7200.0, 721
RTOL, ATOL = 1e-9, 1e-12


@pytest.fixture(scope="module", autouse=True)
def _need_models(corpus):
    if not MODELS:
        missing("the BioModels IL-6 models are not in the shared corpus")


@functools.lru_cache(maxsize=None)
def _imported(name: str):
    return from_sbml((IL6 / name).read_bytes(), source=name)


def _trajectories(sbml: str, species: list[str]) -> np.ndarray:
    import roadrunner

    roadrunner.Logger.setLevel(roadrunner.Logger.LOG_FATAL)
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    rr.timeCourseSelections = ["time"] + species + [f"[{s}]" for s in species]
    return np.asarray(rr.simulate(0.0, HORIZON, POINTS))


@pytest.mark.parametrize("name", MODELS or ["none"])
def test_reexport_follows_the_original_trajectories(name):
    original = (IL6 / name).read_text(encoding="utf-8")
    source = libsbml.readSBMLFromString(original).getModel()
    species = [source.getSpecies(i).getId() for i in range(source.getNumSpecies())]
    assert species
    model = _imported(name)
    assert [e.id for e in model.entities] == species
    want = _trajectories(original, species)
    got = _trajectories(to_sbml(model).decode("utf-8"), species)
    assert want.shape == got.shape
    assert np.max(np.abs(want[-1, 1:] - want[0, 1:])) > 0, "the horizon shows no dynamics"
    worst = np.max(np.abs(got - want) - RTOL * np.abs(want))
    assert np.allclose(got, want, rtol=RTOL, atol=ATOL), f"largest excess deviation {worst:g}"


@pytest.mark.parametrize("name", MODELS or ["none"])
def test_imported_model_survives_canonical_text(name, tmp_path):
    model = _imported(name)
    assert canonical.check(model) == []
    path = canonical.dump(model, tmp_path / f"{Path(name).stem}.yaml")
    assert canonical.load(path) == model


@pytest.mark.parametrize("name", MODELS or ["none"])
def test_edited_text_reaches_the_exported_sbml(name, tmp_path):
    model = _imported(name)
    path = canonical.dump(model, tmp_path / "model.yaml")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # the first parameter value (global or local) in the file, doubled by hand
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("value: "))
    indent, old = lines[at].split("value: ")
    lines[at] = f"{indent}value: {float(old) * 2 + 1!r}\n"
    path.write_text("".join(lines), encoding="utf-8")
    edited = canonical.load(path)  # checked again on load
    assert edited != model
    values = {(r.id, p.id): p.value for r in edited.reactions for p in r.local_parameters}
    values.update({(None, p.id): p.value for p in edited.parameters})
    assert float(old) * 2 + 1 in values.values()
    exported = to_sbml(edited)
    assert from_sbml(exported) == edited
