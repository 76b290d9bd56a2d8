"""Small canonical models for the BioPAX tests: every entity, reaction and control kind.

Built directly from the model classes (no file loading), each a valid model: ids unique across
kinds, references resolved, CURIEs in normal form.
"""

from __future__ import annotations

from dataclasses import replace

from pathway_export.model import (
    Annotations, Compartment, Component, Control, Entity, Evidence, Model, Modification, Molecule,
    Parameter, Participant, Pathway, Person, Reaction,
)

EV = Evidence("pubmed:16752369", "ECO:0000304")
EV_NOTE = Evidence("pubmed:12773095", "ECO:0000269", note="Fig. 3, <western blot> & \"IP\"")
EV_DOI = Evidence("doi:10.1093/bioinformatics/btad437")


def signalling() -> Model:
    """A receptor, a kinase cascade, GTP loading, transport, degradation and gene expression."""
    compartments = (
        Compartment("extracellular", "extracellular region", go="GO:0005576"),
        Compartment("cytosol", "cytosol", go="GO:0005829", parent="extracellular"),
        Compartment("nucleus", "nucleus", go="GO:0005634", parent="cytosol"),
        Compartment("vesicle"),
    )
    molecules = (
        Molecule("IL6", "protein", "Interleukin-6", symbol="IL6", synonyms=("BSF-2", "IFNB2"),
                 xrefs=("uniprot:P05231", "hgnc:6018", "hgnc.symbol:IL6", "NCBIGene:3569"),
                 organism="NCBITaxon:9606", evidence=(EV,)),
        Molecule("STAT3", "protein", "Signal transducer and activator of transcription 3", symbol="STAT3",
                 xrefs=("uniprot:P40763", "hgnc:11364", "NCBIGene:6774"), organism="NCBITaxon:9606",
                 description="latent transcription factor"),
        Molecule("HRAS", "protein", "GTPase HRas", symbol="HRAS", xrefs=("uniprot:P01112",)),
        Molecule("GTP", "small_molecule", "GTP", xrefs=("CHEBI:15996",)),
        Molecule("GDP", "small_molecule", "GDP", xrefs=("CHEBI:17552",), organism="NCBITaxon:9606"),
        Molecule("SOCS3_gene", "gene", "SOCS3 gene", symbol="SOCS3",
                 xrefs=("NCBIGene:9021", "ensembl:ENSG00000184557")),
        Molecule("SOCS3_mRNA", "rna", "SOCS3 mRNA", symbol="SOCS3", xrefs=("NCBIGene:9021",)),
        Molecule("SOCS3", "protein", "Suppressor of cytokine signaling 3", symbol="SOCS3",
                 xrefs=("uniprot:O14543",)),
        Molecule("plasmid", "dna", "reporter plasmid"),
        Molecule("unused", "small_molecule", "an unused metabolite", symbol="unused"),
    )
    entities = (
        Entity("IL6_e", "extracellular", "IL-6", molecule="IL6", initial_concentration=1.0, boundary=True),
        Entity("STAT3_c", "cytosol", "STAT3", molecule="STAT3", initial_concentration=10.0),
        Entity("pSTAT3_c", "cytosol", "pY705-STAT3", molecule="STAT3",
               modifications=(Modification("MOD:00048", "Y", 705), Modification("MOD:00696")),
               active=True, evidence=(EV, EV_NOTE)),
        Entity("pSTAT3_n", "nucleus", None, molecule="STAT3",
               modifications=(Modification("MOD:00048", "Y", 705),), active=True),
        Entity("dimer_n", "nucleus", "pSTAT3 dimer", components=(Component("pSTAT3_n", 2),),
               xrefs=("GO:0000502",), description="pathway-export: looks like a carried comment"),
        Entity("IL6_STAT3", "cytosol", "nested", components=(Component("IL6_e"), Component("dimer_n"))),
        Entity("HRAS_GDP", "cytosol", "HRAS-GDP", molecule="HRAS", bound=("GDP",), active=False),
        Entity("HRAS_GTP", "cytosol", "HRAS-GTP", molecule="HRAS", bound=("GTP",), active=True),
        Entity("GTP_c", "cytosol", molecule="GTP", constant=True),
        Entity("GDP_c", "cytosol", molecule="GDP"),
        Entity("gene_n", "nucleus", "SOCS3 gene", molecule="SOCS3_gene"),
        Entity("mRNA_n", "nucleus", "SOCS3 mRNA", molecule="SOCS3_mRNA"),
        Entity("mRNA_c", "cytosol", "SOCS3 mRNA (c)", molecule="SOCS3_mRNA"),
        Entity("SOCS3_c", "cytosol", "SOCS3", molecule="SOCS3"),
        Entity("plasmid_v", "vesicle", molecule="plasmid"),
    )
    reactions = (
        Reaction("phosphorylation", "state_change", "STAT3 phosphorylation", reactants=(Participant("STAT3_c"),),
                 products=(Participant("pSTAT3_c"),), controls=(Control("IL6_e", "catalysis", (EV,)),),
                 rate_law="k1 * STAT3_c", xrefs=("GO:0006468",), evidence=(EV, EV_DOI)),
        Reaction("import", "transport", "nuclear import", reactants=(Participant("pSTAT3_c"),),
                 products=(Participant("pSTAT3_n"),), description="import\nthrough the pore"),
        Reaction("dimerisation", "binding", "dimerisation", reversible=True,
                 reactants=(Participant("pSTAT3_n", 2),), products=(Participant("dimer_n"),)),
        Reaction("undimerisation", "dissociation", None, reactants=(Participant("dimer_n"),),
                 products=(Participant("pSTAT3_n", 2),)),
        Reaction("reversible_dissociation", "dissociation", "reversible dissociation", reversible=True,
                 reactants=(Participant("IL6_STAT3"),), products=(Participant("IL6_e"), Participant("dimer_n"))),
        Reaction("exchange", "conversion", "GDP/GTP exchange",
                 reactants=(Participant("HRAS_GDP"), Participant("GTP_c")),
                 products=(Participant("HRAS_GTP"), Participant("GDP_c")),
                 controls=(Control("STAT3_c", "activation"), Control("SOCS3_c", "inhibition", (EV_NOTE,)))),
        Reaction("transcription", "transcription", "SOCS3 transcription", template="gene_n",
                 products=(Participant("mRNA_n"),),
                 controls=(Control("dimer_n", "activation"), Control("SOCS3_c", "inhibition"))),
        Reaction("export", "transport", "mRNA export", reactants=(Participant("mRNA_n"),),
                 products=(Participant("mRNA_c"),)),
        Reaction("translation", "translation", "SOCS3 translation", template="mRNA_c",
                 products=(Participant("SOCS3_c"),), controls=(Control("HRAS_GTP", "catalysis"),)),
        Reaction("expression", "gene_expression", "SOCS3 expression", template="gene_n",
                 products=(Participant("SOCS3_c"),)),
        Reaction("degradation", "degradation", "SOCS3 degradation", reactants=(Participant("SOCS3_c"),),
                 controls=(Control("dimer_n", "inhibition"),)),
        Reaction("odd_stoichiometry", "conversion", "half a GTP",
                 reactants=(Participant("GTP_c", 0.5), Participant("GTP_c", 1.5)),
                 products=(Participant("GDP_c", 0.1 + 0.2),)),
    )
    pathways = (
        Pathway("signalling", "IL-6 signalling", subpathways=("stat3", "ras"), xrefs=("GO:0070102",),
                evidence=(EV,), description="the whole thing"),
        Pathway("stat3", "STAT3 branch", steps=("phosphorylation", "import", "dimerisation", "transcription",
                                                  "export", "translation", "degradation")),
        Pathway("ras", "Ras branch", steps=("exchange", "exchange")),
        Pathway("empty", "nothing yet"),
    )
    return Model(
        id="signalling", name="IL-6 & STAT3 <test>", version="0.1", description="A small model.",
        organism="NCBITaxon:9606",
        authors=(Person("Ada", "Lovelace", email="ada@example.org", orcid="0000-0002-1825-0097", role="curator"),
                 Person("Bob")),
        license="CC-BY-4.0", created="2026-01-01", modified="2026-02-01T10:00:00Z",
        references=("pubmed:16752369", "doi:10.1093/bioinformatics/btad437"),
        annotations=Annotations(diseases=("DOID:9538",), processes=("GO:0070102",)),
        compartments=compartments, molecules=molecules, entities=entities,
        parameters=(Parameter("k1", 0.1),), reactions=reactions, pathways=pathways)


def minimal() -> Model:
    """One compartment, one molecule, one entity: nothing optional."""
    return Model(id="tiny", name="tiny", compartments=(Compartment("c"),),
                 molecules=(Molecule("m", "protein", "M"),), entities=(Entity("e", "c", molecule="m"),))


def unnamed() -> Model:
    """Names left out wherever the model allows it."""
    m = signalling()
    return replace(m, name="unnamed parts", organism=None, authors=(), description=None,
                   entities=tuple(replace(e, name=None) for e in m.entities),
                   reactions=tuple(replace(r, name=None) for r in m.reactions),
                   compartments=tuple(replace(c, name=None) for c in m.compartments))


MODELS = {"signalling": signalling, "minimal": minimal, "unnamed": unnamed}
