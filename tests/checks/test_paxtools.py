"""Our BioPAX loads where Cytoscape and Pathway Commons users load it: the Paxtools console.

Real runs of the console jar shipped with the ``paxtools`` package (Java needed). Skipped only
when Java or that package is missing, in a user's clone; in CI, which has both, that fails.
"""

from __future__ import annotations

import pytest
from lxml import etree

from biopax_models import MODELS
from needs import missing
from pathway_export.checks import paxtools
from pathway_export.formats import biopax

MISSING = paxtools.available()


@pytest.fixture(autouse=True)
def _paxtools_runs():
    if MISSING is not None:
        missing(f"Paxtools cannot run here: {MISSING}")


@pytest.fixture(scope="module")
def bundled_document(bundled_model) -> bytes:
    return biopax.to_biopax(bundled_model)


@pytest.fixture(scope="module")
def small_document() -> bytes:
    return biopax.to_biopax(MODELS["signalling"]())


def test_paxtools_reads_the_bundled_model(bundled_model, bundled_document):
    counts = paxtools.read(bundled_document)
    assert counts["Pathway"] == len(bundled_model.pathways)
    conversions = sum(counts.get(c, 0) for c in ("BiochemicalReaction", "ComplexAssembly", "Transport",
                                                 "Degradation", "TemplateReaction"))
    assert conversions == len(bundled_model.reactions)
    controls = sum(counts.get(c, 0) for c in ("Catalysis", "Control", "TemplateReactionRegulation"))
    assert controls == sum(len(r.controls) for r in bundled_model.reactions)
    entities = sum(counts.get(c, 0) for c in ("Protein", "SmallMolecule", "Complex", "DnaRegion", "Dna", "Rna"))
    assert entities == len(bundled_model.entities)


def test_paxtools_reads_every_kind(small_document):
    counts = paxtools.read(small_document)
    for cls in ("Protein", "SmallMolecule", "Complex", "DnaRegion", "Dna", "Rna", "ComplexAssembly",
                "BiochemicalReaction", "Transport", "Degradation", "TemplateReaction", "Catalysis", "Control",
                "TemplateReactionRegulation", "ModificationFeature", "BindingFeature", "PathwayStep", "Evidence"):
        assert counts.get(cls, 0) > 0, cls


def test_sif_states_the_model_interactions(bundled_document):
    sif = {(i.source, i.relation, i.target) for i in paxtools.to_sif(bundled_document)}
    assert ("STAT3", "controls-expression-of", "SOCS3") in sif
    assert ("AKT1", "controls-state-change-of", "BAD") in sif
    assert ("AKT1", "controls-phosphorylation-of", "BAD") in sif
    assert ("JAK1", "in-complex-with", "STAT3") in sif or ("IL6ST", "in-complex-with", "JAK1") in sif
    assert len(sif) > 100


def test_sif_of_the_small_model(small_document):
    sif = {(i.source, i.relation, i.target) for i in paxtools.to_sif(small_document)}
    assert ("IL6", "controls-state-change-of", "STAT3") in sif
    assert ("STAT3", "controls-expression-of", "SOCS3") in sif  # through the HGNC symbol of the mRNA


def test_sbgn_conversion(bundled_document):
    sbgn = paxtools.to_sbgn(bundled_document)
    root = etree.fromstring(sbgn)
    glyphs = root.findall(".//{*}glyph")
    assert glyphs and any(g.get("class") == "process" for g in glyphs)
    labels = {lab.get("text") for lab in root.iter("{*}label")}
    assert {"STAT3", "SOCS3", "26S proteasome"} <= labels


def test_a_broken_document_is_a_clear_error(tmp_path):
    with pytest.raises(paxtools.PaxtoolsError, match="summarize failed"):
        paxtools.read(b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><oops")
