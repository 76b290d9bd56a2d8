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
    assert controls == sum(len(r.controls) + (r.enzyme is not None) for r in bundled_model.reactions)
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


# Directed relations the source texts of the bundled model state, as Paxtools' SIF names them
# (HGNC symbols). The JAK/STAT core is a mass-action scheme whose enzymes sit inside reactant
# complexes: these edges exist only through the reactions' ``enzyme``.
SEED_RELATIONS = [
    ("IL6R", "controls-state-change-of", "JAK1"),      # the receptor activates JAK1
    ("IL6R", "controls-state-change-of", "IL6ST"),     # ... and phosphorylates gp130
    ("JAK1", "controls-state-change-of", "STAT3"),     # JAK1 phosphorylates STAT3 (Tyr705)
    ("PTPN11", "controls-state-change-of", "JAK1"),    # SHP2 down-regulates JAK activity
    ("PTPN11", "controls-state-change-of", "IL6ST"),   # ... and dephosphorylates gp130
    ("SOCS3", "controls-state-change-of", "JAK1"),     # SOCS3 terminates JAK1 signalling
    ("SOCS3", "controls-state-change-of", "IL6ST"),
    ("PTPN2", "controls-state-change-of", "STAT3"),    # the tyrosine phosphatase TC-PTP on STAT3
    ("STAT3", "controls-expression-of", "SOCS3"),      # STAT3 targets
    ("STAT3", "controls-expression-of", "BCL2"),
    ("STAT3", "controls-expression-of", "CDKN1A"),
    ("STAT3", "controls-expression-of", "CRP"),
    ("STAT3", "controls-expression-of", "FGB"),
    ("STAT3", "controls-expression-of", "SAA1"),
    ("JAK1", "controls-phosphorylation-of", "SHC1"),   # Ras/MAPK
    ("SOS1", "controls-state-change-of", "HRAS"),
    ("HRAS", "controls-state-change-of", "RAF1"),
    ("RAF1", "controls-phosphorylation-of", "MAP2K1"),
    ("MAP2K1", "controls-phosphorylation-of", "MAPK3"),
    ("MAP2K1", "controls-phosphorylation-of", "MAPK1"),
    ("MAPK3", "controls-phosphorylation-of", "ELK1"),
    ("MAPK1", "controls-phosphorylation-of", "CEBPB"),
    ("JAK1", "controls-state-change-of", "PIK3R1"),    # PI3K/AKT
    ("PIK3CA", "controls-state-change-of", "AKT1"),
    ("AKT1", "controls-phosphorylation-of", "BAD"),
    ("AKT1", "controls-phosphorylation-of", "CHUK"),
]


@pytest.mark.parametrize("relation", SEED_RELATIONS, ids=" ".join)
def test_sif_carries_the_directed_relations_of_the_seed_texts(bundled_sif, relation):
    assert relation in bundled_sif


@pytest.fixture(scope="module")
def bundled_sif(bundled_document) -> set[tuple[str, str, str]]:
    return {(i.source, i.relation, i.target) for i in paxtools.to_sif(bundled_document, seq_db="hgnc")}


def test_an_enzyme_catalysis_reads_back_as_the_enzyme(bundled_model, bundled_document):
    back = biopax.from_biopax(bundled_document)
    enzymes = {r.id: r.enzyme for r in bundled_model.reactions if r.enzyme is not None}
    assert enzymes["STAT3_Y705_phosphorylation"] == "pJAK1_c"
    assert {r.id: r.enzyme for r in back.reactions if r.enzyme is not None} == enzymes
    assert all(not r.controls for r in back.reactions if r.id in enzymes and not
               bundled_model.reaction_by_id[r.id].controls)
