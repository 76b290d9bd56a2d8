"""The bundled IL-6/STAT3 model says what its source texts say, with real identifiers and sources.

The source texts (the project's seeds) name the proteins, complexes, modifications,
translocations, controls and gene-expression events checked here.
"""

from __future__ import annotations

import pytest

from pathway_export import canonical

# Every protein the source texts name, by HGNC symbol (AP-1 = JUN/FOS, NF-IL-6 = CEBPB,
# 14-3-3 = YWHAZ, BCL-XL = BCL2L1, p21 = CDKN1A, SHP2 = PTPN11, gp130 = IL6ST, GLUT4 = SLC2A4,
# AMPK = PRKAA1, TNF-alpha = TNF, PI3K = PIK3CA/PIK3R1, NF-kB = RELA/NFKB1).
NAMED_PROTEINS = [
    "IL6", "IL6R", "IL6ST", "JAK1", "STAT3", "SHC1", "GRB2", "SOS1", "HRAS", "RAF1", "MAP2K1",
    "MAPK3", "MAPK1", "ELK1", "CEBPB", "JUN", "FOS", "SRF", "PIK3CA", "PIK3R1", "AKT1", "RELA",
    "NFKB1", "BAD", "YWHAZ", "BCL2L1", "BCL2", "CASP3", "TGFB1", "CDKN1A", "SOCS3", "PIAS3",
    "PTPN11", "PRKAA1", "SLC2A4", "TNF",
]


@pytest.fixture(scope="module")
def model():
    return canonical.load(canonical.bundled_model_path())


def symbols(model):
    return {m.symbol: m for m in model.molecules if m.symbol and m.type == "protein"}


def test_every_named_protein_is_there_with_uniprot_and_hgnc(model):
    by_symbol = symbols(model)
    for symbol in NAMED_PROTEINS:
        molecule = by_symbol.get(symbol)
        assert molecule is not None, f"{symbol} is missing"
        prefixes = {x.split(":")[0] for x in molecule.xrefs}
        assert "uniprot" in prefixes and "hgnc.symbol" in prefixes and "hgnc" in prefixes, (symbol, molecule.xrefs)
        assert f"hgnc.symbol:{symbol}" in molecule.xrefs


def test_every_protein_has_exactly_one_uniprot_accession(model):
    for molecule in model.molecules:
        if molecule.type == "protein":
            assert sum(x.startswith("uniprot:") for x in molecule.xrefs) == 1, molecule.id


def test_compartments_have_go_terms_and_nest(model):
    for compartment in model.compartments:
        assert compartment.go and compartment.go.startswith("GO:"), compartment.id
    assert model.compartment_by_id["nucleus"].parent is not None


def test_seed_references_and_diseases(model):
    # the nine references of the IL-6/STAT3 overview (one has no PubMed id: its DOI is given)
    seed = {"pubmed:30995492", "pubmed:29665292", "pubmed:29588647", "pubmed:29405201",
            "pubmed:33376351", "doi:10.1155/2019/9846312", "pubmed:33382511", "pubmed:30081609",
            "pubmed:32365499"}
    assert seed <= set(model.references)
    diseases = set(model.annotations.diseases)
    # multiple myeloma, osteosarcoma, colitis, non-small cell lung carcinoma, leukaemia, lymphoma
    assert {"DOID:9538", "DOID:3347", "DOID:0060180", "DOID:3908", "DOID:1240", "DOID:0060058"} <= diseases
    assert "GO:0070102" in model.annotations.processes  # interleukin-6-mediated signaling pathway


def _reaction(model, **where):
    return [r for r in model.reactions if all(getattr(r, k) == v for k, v in where.items())]


def _molecule_of(model, entity_id):
    entity = model.entity_by_id[entity_id]
    return entity.molecule


def test_stat3_y705_phosphorylation_dimerisation_and_nuclear_traffic(model):
    phospho = [e for e in model.entities if e.molecule == "STAT3"
               and any(m.type == "MOD:00048" and m.position == 705 for m in e.modifications)]
    assert phospho, "no STAT3 pY705 entity"
    assert any(model.flat_components(e).get("STAT3") == 2 for e in model.entities if e.molecule is None)
    moved = {r.id for r in _reaction(model, type="transport")}
    assert {"pSTAT3_dimer_nuclear_import", "STAT3_nuclear_export"} <= moved


def test_gene_expression_events_named_in_the_texts(model):
    expressed = {}
    for r in model.reactions:
        if r.template is not None:
            gene = model.molecule_by_id[model.entity_by_id[r.template].molecule]
            expressed.setdefault(gene.symbol, []).append(r)
    for symbol in ("SOCS3", "BCL2", "CDKN1A", "CRP", "FGB", "SAA1", "TNF"):
        assert symbol in expressed, f"no expression of {symbol}"
    # STAT3 induces SOCS3, BCL2 and p21; TNF-alpha production is suppressed
    for symbol, kind in (("SOCS3", "activation"), ("BCL2", "activation"), ("CDKN1A", "activation"),
                         ("TNF", "inhibition")):
        controls = [(c.controller, c.type) for r in expressed[symbol] for c in r.controls]
        assert any(_molecule_of(model, ctl) is None and "STAT3" in model.flat_components(
            model.entity_by_id[ctl]) and t == kind for ctl, t in controls), (symbol, controls)


def test_termination_mechanisms(model):
    names = " ".join(r.id for r in model.reactions)
    assert "internalisation" in names  # receptor internalisation via gp130
    assert any(r.type == "degradation" and "SOCS3" in r.id for r in model.reactions)  # proteasome
    shp2 = [r for r in model.reactions if any(
        model.flat_components(model.entity_by_id[c.controller]).get("PTPN11") for c in r.controls)]
    assert shp2, "SHP2 (PTPN11) controls nothing"
    pias = [r for r in model.reactions if any("PIAS3" in model.flat_components(model.entity_by_id[p.entity])
                                              for p in r.reactants)]
    assert pias, "PIAS3 takes part in no reaction"
    socs3 = [r for r in model.reactions for c in r.controls
             if c.type == "inhibition" and "SOCS3" in model.flat_components(model.entity_by_id[c.controller])]
    socs3 += [r for r in model.reactions if any(
        "SOCS3" in model.flat_components(model.entity_by_id[p.entity]) for p in r.reactants)]
    assert socs3, "SOCS3 acts on nothing"


def test_akt_phosphorylates_bad_which_binds_14_3_3(model):
    (bad_phos,) = [r for r in model.reactions if r.id == "BAD_phosphorylation"]
    assert any(model.flat_components(model.entity_by_id[c.controller]).get("AKT1")
               and c.type == "catalysis" for c in bad_phos.controls)
    # phospho-BAD bound to 14-3-3 releases BCL-XL
    captures = [r for r in model.reactions if any(
        {"BAD", "YWHAZ"} <= set(model.flat_components(model.entity_by_id[p.entity])) for p in r.products)]
    assert any(any(model.entity_by_id[p.entity].molecule == "BCL2L1" for p in r.products) for r in captures)


def test_glut4_translocation_and_caspase3(model):
    (glut4,) = [r for r in model.reactions if r.id == "GLUT4_translocation"]
    assert glut4.type == "transport"
    (casp,) = [r for r in model.reactions if r.id == "CASP3_activation"]
    roles = {(model.flat_components(model.entity_by_id[c.controller]).popitem()[0], c.type) for c in casp.controls}
    assert ("TGFB1", "activation") in roles and ("BCL2", "inhibition") in roles


def test_every_parameter_says_where_it_comes_from(model):
    for p in model.parameters:
        assert p.provenance is not None, p.id
        if p.provenance.kind in ("literature", "model"):
            assert p.provenance.reference, p.id
    core = {p.id for r in model.reactions if r.id in model.pathway_by_id["jak_stat"].steps
            for p in model.parameters if r.rate_law and p.id in r.rate_law}
    kinds = {model.parameter_by_id[p].provenance.kind for p in core}
    assert kinds <= {"literature", "model"}, "the JAK/STAT core must be quantitative from the literature"


def test_every_reaction_is_a_step_of_a_subpathway_and_has_a_rate_law(model):
    steps = [s for p in model.pathways for s in p.steps]
    assert sorted(steps) == sorted(r.id for r in model.reactions)
    assert all(r.rate_law for r in model.reactions)


def test_total_phospho_stat3_observable(model):
    obs = [o for o in model.observables if o.id.startswith("total_pSTAT3")]
    assert obs and "2 * pSTAT3_dimer" in obs[0].expression
