"""SBML-qual: the logical model derived from the canonical reactions and controls, run as a Boolean network."""

from __future__ import annotations

import libsbml
import pytest

from pathway_export.formats import qual

IL6 = {"IL6_e": 1}
JAK1_ACTIVITY = "Ract_pm"  # the activated receptor complex: phospho-JAK1 on phospho-gp130
STAT3_ON = "pSTAT3_dimer_n"  # the transcriptionally active phospho-STAT3 dimer
SOCS3 = "SOCS3_c"


@pytest.fixture(scope="module")
def document(bundled_model) -> bytes:
    return qual.to_qual(bundled_model)


def test_libsbml_finds_nothing_wrong(document):
    assert qual.qual_problems(document) == []


def test_every_entity_is_a_qualitative_species_and_each_transition_is_signed(bundled_model, document):
    doc = libsbml.readSBMLFromString(document.decode())
    qm = doc.getModel().getPlugin("qual")
    assert qm.getNumQualitativeSpecies() == len(bundled_model.entities)
    tr = qm.getTransition(f"tr_{JAK1_ACTIVITY}")
    signs = {tr.getInput(i).getQualitativeSpecies(): tr.getInput(i).getSign() for i in range(tr.getNumInputs())}
    assert signs[SOCS3] == libsbml.INPUT_SIGN_NEGATIVE  # SOCS3 sequesters the active receptor
    assert signs["IL6_rec_dimer_pm"] == libsbml.INPUT_SIGN_POSITIVE
    assert tr.getOutput(0).getQualitativeSpecies() == JAK1_ACTIVITY
    casp3 = qm.getTransition("tr_aCASP3_c")
    signs = {casp3.getInput(i).getQualitativeSpecies(): casp3.getInput(i).getSign() for i in range(casp3.getNumInputs())}
    assert signs["TGFB1_e"] == libsbml.INPUT_SIGN_POSITIVE and signs["BCL2_mom"] == libsbml.INPUT_SIGN_NEGATIVE


def first(trajectory, name, level=1, after=0):
    return next((t for t, state in enumerate(trajectory) if t >= after and state[name] == level), None)


def test_il6_switches_stat3_and_socs3_on_and_socs3_switches_jak1_activity_off(document):
    run = qual.simulate(document, fixed=IL6, steps=40)
    on_jak1, on_stat3, on_socs3 = first(run, JAK1_ACTIVITY), first(run, STAT3_ON), first(run, SOCS3)
    assert None not in (on_jak1, on_stat3, on_socs3)
    assert on_jak1 < on_stat3 < on_socs3  # the signal runs receptor -> STAT3 -> SOCS3
    assert run[on_socs3 + 1][JAK1_ACTIVITY] == 0  # SOCS3 on: JAK1 activity off at the next step
    assert first(run, STAT3_ON, level=1, after=on_socs3 + 1) is not None  # ... and the loop goes round


def test_without_il6_nothing_happens_and_without_socs3_jak1_stays_active(document):
    quiet = qual.simulate(document, steps=40)
    assert all(state[STAT3_ON] == 0 and state[JAK1_ACTIVITY] == 0 for state in quiet)
    knocked_out = qual.simulate(document, fixed={**IL6, SOCS3: 0}, steps=40)
    on = first(knocked_out, JAK1_ACTIVITY)
    assert all(state[JAK1_ACTIVITY] == 1 for state in knocked_out[on:])


def test_asynchronous_updates_reach_stat3_and_socs3_too(document):
    run = qual.simulate(document, fixed=IL6, steps=40, mode="asynchronous")
    assert first(run, STAT3_ON) is not None and first(run, SOCS3) is not None


def test_the_simulator_refuses_what_it_cannot_run(document):
    with pytest.raises(Exception, match="not a qualitative species"):
        qual.simulate(document, fixed={"IL6": 1})
    with pytest.raises(ValueError, match="update mode"):
        qual.simulate(document, mode="random")
