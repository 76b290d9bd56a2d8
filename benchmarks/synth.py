"""Synthetic signalling models of any size, as canonical :class:`~pathway_export.model.Model` objects.

A model is a chain of *cassettes*, each a small receptor-to-gene signalling module of ten
reactions, built the way curated signalling models are:

* ligand binding to its receptor at the plasma membrane, and the complex dissociating;
* receptor-driven phosphorylation of a cytosolic kinase, and its dephosphorylation;
* kinase-driven phosphorylation of a transcription factor (on a tyrosine), its import into
  the nucleus and its export back;
* expression of a target gene (a template reaction activated by the nuclear factor), and
  degradation of the product, which feeds back by inhibiting the kinase's activation;
* every protein with UniProt-like accessions and NCBI Gene ids, every step with a PubMed
  reference and an ECO code, mass-action rate laws over parameters with units.

Neighbouring cassettes are coupled (a cassette's product is the next cassette's ligand
source), so the reaction network is one connected component rather than disjoint copies.
The same ``(n_reactions, seed)`` gives the same model.
"""

from __future__ import annotations

import random

from pathway_export.model import (
    Compartment,
    Component,
    Control,
    Entity,
    Evidence,
    Model,
    ModelUnits,
    Modification,
    Molecule,
    Parameter,
    Participant,
    Pathway,
    Provenance,
    Reaction,
    UnitDefinition,
    UnitFactor,
)

REACTIONS_PER_CASSETTE = 10

COMPARTMENTS = (
    Compartment(id="extracellular", name="extracellular region", go="GO:0005615", size=10.0, units="litre"),
    Compartment(id="membrane", name="plasma membrane", go="GO:0005886", size=1.0, units="litre",
                parent="extracellular"),
    Compartment(id="cytosol", name="cytosol", go="GO:0005829", size=1.0, units="litre", parent="membrane"),
    Compartment(id="nucleus", name="nucleus", go="GO:0005634", size=0.2, units="litre", parent="cytosol"),
)

UNIT_DEFINITIONS = (
    UnitDefinition(id="nanomole", factors=(UnitFactor(kind="mole", scale=-9),)),
    UnitDefinition(id="minute", factors=(UnitFactor(kind="second", multiplier=60),)),
    UnitDefinition(id="per_minute", factors=(UnitFactor(kind="second", multiplier=60, exponent=-1),)),
    UnitDefinition(id="nM", factors=(UnitFactor(kind="mole", scale=-9), UnitFactor(kind="litre", exponent=-1))),
    UnitDefinition(id="per_nM_per_minute", factors=(
        UnitFactor(kind="mole", scale=-9, exponent=-1), UnitFactor(kind="litre"),
        UnitFactor(kind="second", multiplier=60, exponent=-1))),
    UnitDefinition(id="nM_per_minute", factors=(
        UnitFactor(kind="mole", scale=-9), UnitFactor(kind="litre", exponent=-1),
        UnitFactor(kind="second", multiplier=60, exponent=-1))),
)

PHOSPHO_TYR = "MOD:00048"
PHOSPHO_SER = "MOD:00046"
ECO_EXPERIMENTAL = "ECO:0000269"


def _accession(rng: random.Random, used: set[str]) -> str:
    """A UniProt-shaped accession ([OPQ][0-9][A-Z0-9]{3}[0-9]), unique within the model."""
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    while True:
        acc = (rng.choice("OPQ") + str(rng.randrange(10)) + "".join(rng.choice(alnum) for _ in range(3))
               + str(rng.randrange(10)))
        if acc not in used:
            used.add(acc)
            return acc


def synthetic_model(n_reactions: int, seed: int = 0) -> Model:
    """A connected signalling model with ``n_reactions`` reactions (rounded up to a cassette)."""
    rng = random.Random(seed)
    cassettes = max(1, -(-n_reactions // REACTIONS_PER_CASSETTE))
    used: set[str] = set()
    molecules: list[Molecule] = []
    entities: list[Entity] = []
    parameters: list[Parameter] = []
    reactions: list[Reaction] = []
    pathways: list[Pathway] = []
    gene_id = 100000

    def protein(mid: str, name: str) -> Molecule:
        nonlocal gene_id
        gene_id += 1
        m = Molecule(id=mid, type="protein", name=name, symbol=mid,
                     xrefs=(f"uniprot:{_accession(rng, used)}", f"NCBIGene:{gene_id}"),
                     organism="NCBITaxon:9606")
        molecules.append(m)
        return m

    def entity(eid: str, **kw) -> str:
        entities.append(Entity(id=eid, **kw))
        return eid

    def param(pid: str, value: float, units: str) -> str:
        parameters.append(Parameter(id=pid, value=value, units=units,
                                    provenance=Provenance(kind="estimated", note="synthetic benchmark value")))
        return pid

    def evidence() -> tuple[Evidence, ...]:
        return (Evidence(reference=f"pubmed:{rng.randrange(10_000_000, 39_000_000)}", eco=ECO_EXPERIMENTAL),)

    previous_product: str | None = None
    for c in range(cassettes):
        p = f"c{c}"
        protein(f"{p}_LIG", f"Ligand {c}")
        protein(f"{p}_REC", f"Receptor {c}")
        protein(f"{p}_KIN", f"Kinase {c}")
        protein(f"{p}_TF", f"Transcription factor {c}")
        protein(f"{p}_TGT", f"Target protein {c}")
        gene_id += 1
        molecules.append(Molecule(id=f"{p}_TGT_gene", type="gene", name=f"Target gene {c}",
                                  xrefs=(f"NCBIGene:{gene_id}",), organism="NCBITaxon:9606"))
        conc = lambda: round(rng.uniform(1, 200), 3)  # noqa: E731
        lig = entity(f"{p}_LIG_e", molecule=f"{p}_LIG", compartment="extracellular", initial_concentration=conc())
        rec = entity(f"{p}_REC_m", molecule=f"{p}_REC", compartment="membrane", initial_concentration=conc())
        cplx = entity(f"{p}_LR_m", compartment="membrane", initial_concentration=0.0,
                      components=(Component(entity=lig), Component(entity=rec)), active=True)
        kin = entity(f"{p}_KIN_c", molecule=f"{p}_KIN", compartment="cytosol", initial_concentration=conc())
        pkin = entity(f"{p}_pKIN_c", molecule=f"{p}_KIN", compartment="cytosol", initial_concentration=0.0,
                      modifications=(Modification(type=PHOSPHO_SER, residue="S", position=rng.randrange(10, 900)),),
                      active=True)
        tf = entity(f"{p}_TF_c", molecule=f"{p}_TF", compartment="cytosol", initial_concentration=conc())
        site = rng.randrange(10, 900)
        ptf = entity(f"{p}_pTF_c", molecule=f"{p}_TF", compartment="cytosol", initial_concentration=0.0,
                     modifications=(Modification(type=PHOSPHO_TYR, residue="Y", position=site),), active=True)
        ptf_n = entity(f"{p}_pTF_n", molecule=f"{p}_TF", compartment="nucleus", initial_concentration=0.0,
                       modifications=(Modification(type=PHOSPHO_TYR, residue="Y", position=site),), active=True)
        gene = entity(f"{p}_TGT_gene_n", molecule=f"{p}_TGT_gene", compartment="nucleus",
                      initial_concentration=1.0, constant=True)
        tgt = entity(f"{p}_TGT_c", molecule=f"{p}_TGT", compartment="cytosol", initial_concentration=0.0)

        k = lambda name, lo, hi, units: param(f"{p}_{name}", round(rng.uniform(lo, hi), 5), units)  # noqa: E731
        kon = k("kon", 0.001, 0.1, "per_nM_per_minute")
        koff = k("koff", 0.01, 1, "per_minute")
        kp1 = k("kcat_kin", 0.001, 0.1, "per_nM_per_minute")
        kd1 = k("kdp_kin", 0.01, 1, "per_minute")
        kp2 = k("kcat_tf", 0.001, 0.1, "per_nM_per_minute")
        kimp = k("kimp", 0.01, 1, "per_minute")
        kexp = k("kexp", 0.01, 1, "per_minute")
        ksyn = k("ksyn", 0.001, 0.1, "per_nM_per_minute")
        krel = k("krel", 0.01, 1, "per_minute")
        kdeg = k("kdeg", 0.001, 0.1, "per_minute")
        ki = k("Ki", 1, 100, "nM")

        steps = []

        def rx(rid: str, rtype: str, reactants, products, rate: str, controls=(), template=None, reversible=False):
            reactions.append(Reaction(
                id=f"{p}_{rid}", type=rtype, name=f"{rid.replace('_', ' ')} ({c})", reversible=reversible,
                reactants=tuple(Participant(entity=e) for e in reactants),
                products=tuple(Participant(entity=e) for e in products),
                template=template, controls=tuple(controls), rate_law=rate, evidence=evidence()))
            steps.append(f"{p}_{rid}")

        rx("binding", "binding", [lig, rec], [cplx], f"membrane * {kon} * {lig} * {rec}")
        rx("dissociation", "dissociation", [cplx], [lig, rec], f"membrane * {koff} * {cplx}")
        rx("kin_phos", "state_change", [kin], [pkin],
           f"cytosol * {kp1} * {cplx} * {kin} / (1 + {tgt} / {ki})",
           controls=[Control(controller=cplx, type="catalysis"), Control(controller=tgt, type="inhibition")])
        rx("kin_dephos", "state_change", [pkin], [kin], f"cytosol * {kd1} * {pkin}")
        rx("tf_phos", "state_change", [tf], [ptf], f"cytosol * {kp2} * {pkin} * {tf}",
           controls=[Control(controller=pkin, type="catalysis")])
        rx("tf_import", "transport", [ptf], [ptf_n], f"cytosol * {kimp} * {ptf}")
        rx("tf_export", "transport", [ptf_n], [tf], f"nucleus * {kexp} * {ptf_n}")
        rx("expression", "gene_expression", [], [tgt], f"nucleus * {ksyn} * {gene} * {ptf_n}",
           controls=[Control(controller=ptf_n, type="activation")], template=gene)
        rx("degradation", "degradation", [tgt], [], f"cytosol * {kdeg} * {tgt}")
        # coupling: the previous cassette's product releases this cassette's ligand
        source = previous_product or tgt
        rx("ligand_release", "conversion", [], [lig], f"extracellular * {krel} * {source}",
           controls=[Control(controller=source, type="activation")])
        previous_product = tgt
        pathways.append(Pathway(id=f"{p}_pathway", name=f"Signalling cassette {c}", steps=tuple(steps)))

    reactions = reactions[:max(n_reactions, 1)] if n_reactions % REACTIONS_PER_CASSETTE else reactions
    kept = {r.id for r in reactions}
    pathways = [Pathway(id=pw.id, name=pw.name, steps=tuple(s for s in pw.steps if s in kept)) for pw in pathways]
    pathways = [pw for pw in pathways if pw.steps]
    return Model(
        id=f"synthetic_{n_reactions}",
        name=f"Synthetic signalling model, {n_reactions} reactions",
        description="Generated for benchmarks: coupled receptor-kinase-transcription-factor cassettes.",
        organism="NCBITaxon:9606",
        created="2026-01-01",
        references=("pubmed:29358674",),
        units=ModelUnits(substance="nanomole", volume="litre", time="minute", extent="nanomole"),
        unit_definitions=UNIT_DEFINITIONS,
        compartments=COMPARTMENTS,
        molecules=tuple(molecules),
        entities=tuple(entities),
        parameters=tuple(parameters),
        reactions=tuple(reactions),
        pathways=tuple(pathways),
    )
