"""Small canonical models, built in code, that use every kind of element SBML must carry."""

from __future__ import annotations

from pathway_export.model import (
    Annotations, Compartment, Component, Control, Entity, Evidence, Model, ModelUnits,
    Modification, Molecule, Observable, Parameter, Participant, Pathway, Person, Provenance,
    Reaction, Stimulus, UnitDefinition, UnitFactor,
)

EV = Evidence(reference="pubmed:29358674", eco="ECO:0000304", note="reviewed in the source")


def _uf(kind: str, exponent: float = 1, scale: int = 0, multiplier: float = 1) -> UnitFactor:
    return UnitFactor(kind=kind, exponent=float(exponent), scale=scale, multiplier=float(multiplier))


def rich_model() -> Model:
    """Every element kind, with units consistent enough for libsbml to find nothing."""
    units = (
        UnitDefinition("nanomole", (_uf("mole", scale=-9),), name="nanomole"),
        UnitDefinition("minute", (_uf("second", multiplier=60),)),
        UnitDefinition("micrometre", (_uf("metre", scale=-6),)),
        UnitDefinition("square_micrometre", (_uf("metre", 2, -6),)),
        UnitDefinition("nM", (_uf("mole", scale=-9), _uf("litre", -1))),
        UnitDefinition("per_minute", (_uf("second", -1, multiplier=60),)),
        UnitDefinition("per_nM_per_minute", (_uf("mole", -1, -9), _uf("litre"), _uf("second", -1, multiplier=60))),
        UnitDefinition("nmol_per_minute", (_uf("mole", scale=-9), _uf("second", -1, multiplier=60))),
    )
    comps = (
        Compartment("extracellular", name="extracellular region", go="GO:0005576", size=1.0, units="litre"),
        Compartment("cytosol", name="cytosol", go="GO:0005829", size=1.0, units="litre", parent="extracellular"),
        Compartment("nucleus", name="nucleus", go="GO:0005634", size=0.2, units="litre", parent="cytosol"),
    )
    mols = (
        Molecule("IL6", "protein", "Interleukin-6", symbol="IL6", xrefs=("uniprot:P05231",),
                 organism="NCBITaxon:9606"),
        Molecule("STAT3", "protein", "Signal transducer and activator of transcription 3", symbol="STAT3",
                 synonyms=("APRF", "ADMIO"), xrefs=("uniprot:P40763", "hgnc:11364", "ncbigene:6774"),
                 description="A transcription factor.\nActivated by JAK kinases.", evidence=(EV,)),
        Molecule("JAK1", "protein", "Tyrosine-protein kinase JAK1", xrefs=("uniprot:P23458",)),
        Molecule("GTP", "small_molecule", "GTP", xrefs=("CHEBI:15996",)),
        Molecule("SOCS3_gene", "gene", "SOCS3 gene", xrefs=("ncbigene:9021",)),
        Molecule("SOCS3_rna", "rna", "SOCS3 mRNA"),
        Molecule("SOCS3", "protein", "Suppressor of cytokine signaling 3", xrefs=("uniprot:O14543",)),
        Molecule("SOCS3_dna", "dna", "SOCS3 promoter"),
    )
    nM = dict(initial_concentration=0.0)
    ents = (
        Entity("IL6_e", "extracellular", molecule="IL6", **nM, name="IL-6"),
        Entity("JAK1_c", "cytosol", molecule="JAK1", initial_concentration=10.0, bound=("GTP",)),
        Entity("STAT3_c", "cytosol", molecule="STAT3", initial_concentration=100.0, evidence=(EV,),
               xrefs=("reactome:R-HSA-6785888",)),
        Entity("pSTAT3_c", "cytosol", molecule="STAT3", active=True, **nM,
               modifications=(Modification("MOD:00048", "Y", 705), Modification("MOD:00046", "S", 727))),
        Entity("iSTAT3_c", "cytosol", molecule="STAT3", active=False, **nM),
        Entity("dimer_c", "cytosol", components=(Component("pSTAT3_c", 2),), **nM,
               description="pSTAT3 homodimer"),
        Entity("dimer_n", "nucleus", components=(Component("pSTAT3_c", 2),), **nM),
        Entity("big_n", "nucleus", components=(Component("dimer_n"), Component("JAK1_c")), **nM),
        Entity("SOCS3_gene_n", "nucleus", molecule="SOCS3_gene", initial_concentration=1.0, constant=True),
        Entity("SOCS3_dna_n", "nucleus", molecule="SOCS3_dna", initial_concentration=1.0, constant=True),
        Entity("SOCS3_rna_c", "cytosol", molecule="SOCS3_rna", **nM),
        Entity("SOCS3_c", "cytosol", molecule="SOCS3", initial_amount=0.0, amount_based=True),
        Entity("GTP_c", "cytosol", molecule="GTP", initial_concentration=5.0, boundary=True),
    )
    params = (
        Parameter("k_phos", 0.1, "per_nM_per_minute", name="phosphorylation rate",
                  provenance=Provenance("literature", "pubmed:29358674", "table 2")),
        Parameter("k_bind", 0.01, "per_nM_per_minute", provenance=Provenance("estimated", note="mass action")),
        Parameter("k_off", 0.3, "per_minute", provenance=Provenance("model", "biomodels.db:BIOMD0000000151")),
        Parameter("k_deph", 1 / 3, "per_minute", provenance=Provenance("fitted"), description="fitted to data"),
        Parameter("k_imp", 0.05, "per_minute"),
        Parameter("k_deg", 0.05, "per_minute"),
        Parameter("k_tx", 0.5, "per_minute"),
        Parameter("k_tl", 0.2, "per_minute"),
        Parameter("k_conv", 0.02, "per_minute"),
        Parameter("K_i", 2.0, "nM", name="inhibition constant"),
    )
    P = Participant
    rxns = (
        Reaction("STAT3_phosphorylation", "state_change", name="STAT3 phosphorylation",
                 reactants=(P("STAT3_c"),), products=(P("pSTAT3_c"),),
                 controls=(Control("JAK1_c", "catalysis", (EV,)), Control("IL6_e", "activation"),
                           Control("SOCS3_c", "inhibition")),
                 rate_law="cytosol * k_phos * JAK1_c * STAT3_c / (1 + SOCS3_c / (K_i * cytosol))",
                 xrefs=("GO:0042531", "reactome:R-HSA-6785888"), evidence=(EV, Evidence("pubmed:12345678"))),
        Reaction("STAT3_dephosphorylation", "state_change", reactants=(P("pSTAT3_c"),),
                 products=(P("STAT3_c"),), rate_law="cytosol * k_deph * pSTAT3_c"),
        Reaction("STAT3_inactivation", "state_change", reactants=(P("STAT3_c"),), products=(P("iSTAT3_c"),),
                 rate_law="cytosol * k_conv * STAT3_c"),
        Reaction("dimerisation", "binding", reversible=True, reactants=(P("pSTAT3_c", 2),),
                 products=(P("dimer_c"),), rate_law="cytosol * (k_bind * pSTAT3_c^2 - k_off * dimer_c)",
                 description="Two phospho-STAT3 form a dimer."),
        Reaction("dissociation", "dissociation", reactants=(P("big_n"),),
                 products=(P("dimer_n"), P("JAK1_c")), rate_law="nucleus * k_off * big_n"),
        Reaction("import", "transport", reactants=(P("dimer_c"),), products=(P("dimer_n"),),
                 rate_law="cytosol * k_imp * dimer_c"),
        Reaction("transcription", "transcription", template="SOCS3_gene_n", products=(P("SOCS3_rna_c"),),
                 controls=(Control("dimer_n", "activation"),),
                 rate_law="nucleus * k_tx * SOCS3_gene_n * dimer_n / (K_i + dimer_n)"),
        Reaction("translation", "translation", template="SOCS3_rna_c", products=(P("SOCS3_c"),),
                 rate_law="cytosol * k_tl * SOCS3_rna_c"),
        Reaction("expression", "gene_expression", template="SOCS3_dna_n", products=(P("SOCS3_c"),),
                 rate_law="nucleus * k_tx * SOCS3_dna_n"),
        Reaction("degradation", "degradation", reactants=(P("SOCS3_c"),), rate_law="k_deg * SOCS3_c"),
        Reaction("conversion", "conversion", reactants=(P("SOCS3_rna_c"),), products=(P("SOCS3_rna_c", 0.5),),
                 rate_law="cytosol * k_conv * SOCS3_rna_c"),
    )
    return Model(
        id="rich", name="Rich example", version="1.2", description="Every element kind.\n  Indented line.",
        organism="NCBITaxon:9606",
        authors=(Person("Ada", "Lovelace", "ada@example.org", "0000-0002-1825-0097", "Analytical Engines",
                        "curator"),
                 Person("Charles", "Babbage", organisation="Difference Engines")),
        license="CC0-1.0", created="2026-01-01", modified="2026-02-01T10:30:00Z",
        references=("pubmed:29358674", "pubmed:12345678"),
        annotations=Annotations(diseases=("DOID:9538",), cell_types=("CL:0000182",),
                                tissues=("UBERON:0002107",), processes=("GO:0070102",)),
        units=ModelUnits(substance="nanomole", volume="litre", area="square_micrometre", length="micrometre",
                         time="minute", extent="nanomole"),
        unit_definitions=units, compartments=comps, molecules=mols, entities=ents, parameters=params,
        reactions=rxns,
        observables=(Observable("total_pSTAT3", "pSTAT3_c + 2 * dimer_c + 2 * dimer_n", name="total pSTAT3",
                                units="nM", description="all phospho-STAT3"),),
        stimuli=(Stimulus("IL6_stimulus", "IL6_e", 0.0, 1.0, name="IL-6 addition"),
                 Stimulus("SOCS3_pulse", "SOCS3_c", 30.0, 2.5, description="a pulse of SOCS3")),
        pathways=(Pathway("signalling", "Signalling", subpathways=("core", "feedback"), xrefs=("GO:0070102",),
                          description="root", evidence=(EV,)),
                  Pathway("core", "Core", steps=("STAT3_phosphorylation", "dimerisation", "import")),
                  Pathway("feedback", "Feedback", steps=("transcription", "translation", "degradation"))),
    )


def minimal_model() -> Model:
    """The smallest model: one compartment, one molecule, one pool."""
    return Model(id="tiny", name="tiny",
                 units=ModelUnits(substance="mole", volume="litre", area="dimensionless",
                                  length="metre", time="second", extent="mole"),
                 compartments=(Compartment("c", size=1.0, units="litre"),),
                 molecules=(Molecule("A", "protein", "A"),),
                 entities=(Entity("A_c", "c", molecule="A", initial_concentration=1.0),))
