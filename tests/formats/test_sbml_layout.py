"""SBML with the diagram (layout and render packages): libsbml and COPASI read it without a word."""

from __future__ import annotations

import libsbml
import pytest

from needs import missing
from pathway_export import layout
from pathway_export.formats import sbml, sbml_layout

try:
    import COPASI
except ImportError:  # a user's clone without the test extra; CI has it
    COPASI = None


@pytest.fixture(scope="module")
def document(bundled_model) -> bytes:
    return sbml_layout.to_sbml_layout(bundled_model)


def test_libsbml_finds_nothing_wrong_with_the_layout_or_render(document):
    assert sbml_layout.sbml_layout_problems(document) == []


def test_the_glyphs_are_where_the_diagram_has_them(bundled_model, document):
    placed = layout.layout(bundled_model)
    doc = libsbml.readSBMLFromString(document.decode())
    lay = doc.getModel().getPlugin("layout").getLayout(0)
    entities = [g for g in placed.glyphs.values() if g.kind == "entity"]
    assert lay.getNumSpeciesGlyphs() == len(entities)
    assert lay.getNumReactionGlyphs() == len(bundled_model.reactions)
    assert lay.getNumCompartmentGlyphs() == len(bundled_model.compartments)
    glyph = lay.getSpeciesGlyph("STAT3_c__glyph").getBoundingBox()
    assert (glyph.getX(), glyph.getY()) == pytest.approx((placed.glyphs["STAT3_c"].box.x, placed.glyphs["STAT3_c"].box.y))


def test_the_model_itself_is_the_core_export(bundled_model, document):
    core = libsbml.readSBMLFromString(sbml.to_sbml(bundled_model).decode()).getModel()
    with_layout = libsbml.readSBMLFromString(document.decode()).getModel()
    for i in range(core.getNumReactions()):
        a, b = core.getReaction(i), with_layout.getReaction(i)
        assert libsbml.formulaToL3String(a.getKineticLaw().getMath()) == \
            libsbml.formulaToL3String(b.getKineticLaw().getMath())


def _import(text: str) -> tuple[bool, list[str], object]:
    from pathway_export.checks.simulate import _drain

    datamodel = COPASI.CRootContainer.addDatamodel()
    COPASI.CCopasiMessage.clearDeque()
    ok = datamodel.importSBMLFromString(text)
    # COPASI stamps each message with the clock: compare what they say
    messages = [m.split("< ", 1)[-1] for m in _drain(COPASI)]
    return ok, messages, datamodel


def test_copasi_imports_the_diagram_and_says_nothing_about_it(bundled_model, document):
    if COPASI is None:
        missing("python-copasi is not installed (pip install '.[test]')")
    ok_core, core_messages, core_model = _import(sbml.to_sbml(bundled_model).decode())
    ok, messages, datamodel = _import(document.decode())
    try:
        assert ok and ok_core
        assert sorted(messages) == sorted(core_messages)  # the layout and render add no message
        assert datamodel.getListOfLayouts().size() == 1  # the diagram came in
        assert core_model.getListOfLayouts().size() == 0
    finally:
        COPASI.CRootContainer.removeDatamodel(datamodel)
        COPASI.CRootContainer.removeDatamodel(core_model)
