"""Hypothesis strategies that generate valid canonical models with consistent references."""

from __future__ import annotations

from hypothesis import strategies as st

from pathway_export.identifiers import normalize_curie

from pathway_export.model import (
    BASE_UNITS, CONTROL_TYPES, PROVENANCE_KINDS, Annotations, Compartment, Component, Control,
    Entity, Evidence, Model, ModelUnits, Modification, Molecule, Observable, Parameter,
    Participant, Pathway, Person, Provenance, Reaction, Stimulus, UnitDefinition, UnitFactor,
)

XREFS = {
    "protein": ["uniprot:P40763", "uniprot:P05231", "hgnc:11364", "ncbigene:6774"],
    "small_molecule": ["CHEBI:16480", "CHEBI:15996"],
    "gene": ["ncbigene:9021", "ensembl:ENSG00000184557"],
    "rna": ["ncbigene:9021"],
    "dna": ["ncbigene:9021"],
}
REFERENCES = ["pubmed:29358674", "pubmed:12345678", "doi:10.1093/bioinformatics/btad437"]
ECO = ["ECO:0000304", "ECO:0000269"]
MODS = ["MOD:00046", "MOD:00047", "MOD:00048", "MOD:00696", "MOD:00064"]
GO_COMPARTMENTS = ["GO:0005737", "GO:0005634", "GO:0005576", "GO:0005829"]

def _normal(values: list[str]) -> list[str]:
    return [normalize_curie(v) for v in values]


XREFS = {kind: _normal(values) for kind, values in XREFS.items()}
REFERENCES, ECO, MODS, GO_COMPARTMENTS = map(_normal, (REFERENCES, ECO, MODS, GO_COMPARTMENTS))

# Printable text with spaces, tabs and line breaks (names may carry them too: the writer
# moves such names into the pe annotation), markup characters and non-ASCII letters.
_ALPHABET = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"),
                          exclude_characters="\r\x85\u2028\u2029") | st.sampled_from(" \n\t<&>\"'")
texts = st.text(_ALPHABET, min_size=1, max_size=20)
finite = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False,
                   allow_subnormal=False).filter(lambda v: v == 0 or v > 1e-300)
maybe = lambda s: st.none() | s  # noqa: E731


@st.composite
def evidence(draw) -> Evidence:
    return Evidence(draw(st.sampled_from(REFERENCES)), draw(maybe(st.sampled_from(ECO))), draw(maybe(texts)))


evidences = st.lists(evidence(), max_size=2).map(tuple)


@st.composite
def models(draw, sbml: bool = False) -> Model:
    """Valid canonical models; ``sbml`` adds what only SBML carries (participant ids, substance
    units per entity, parameters set by initial assignments)."""
    units = tuple(
        UnitDefinition(f"u{i}", tuple(
            UnitFactor(draw(st.sampled_from(BASE_UNITS)), draw(st.sampled_from([1.0, -1.0, 2.0, 0.5, 1 / 3])),
                       draw(st.integers(-9, 3)), draw(st.sampled_from([1.0, 60.0, 0.1 + 0.2])))
            for _ in range(draw(st.integers(1, 3)))), name=draw(maybe(texts)))
        for i in range(draw(st.integers(0, 2))))
    unit_ids = [u.id for u in units]

    n_comp = draw(st.integers(1, 3))
    comps = tuple(
        Compartment(f"c{i}", name=draw(maybe(texts)), go=draw(maybe(st.sampled_from(GO_COMPARTMENTS))),
                    size=draw(maybe(finite)), units=draw(st.sampled_from([None, "litre"])),
                    parent=f"c{draw(st.integers(0, i - 1))}" if i and draw(st.booleans()) else None,
                    constant=draw(st.booleans()))
        for i in range(n_comp))

    mols = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(sorted(XREFS)))
        mols.append(Molecule(
            f"m{i}", kind, draw(texts), symbol=draw(maybe(texts)),
            synonyms=tuple(draw(st.lists(texts, max_size=2))),
            xrefs=tuple(draw(st.lists(st.sampled_from(XREFS[kind]), max_size=2, unique=True))),
            organism=draw(maybe(st.just("NCBITaxon:9606"))), description=draw(maybe(texts)),
            evidence=draw(evidences)))
    small = [m.id for m in mols if m.type == "small_molecule"]

    ents: list[Entity] = []
    for i in range(draw(st.integers(1, 5))):
        common = dict(
            id=f"e{i}", compartment=draw(st.sampled_from([c.id for c in comps])), name=draw(maybe(texts)),
            xrefs=tuple(draw(st.lists(st.sampled_from(XREFS["protein"]), max_size=1))),
            amount_based=draw(st.booleans()), boundary=draw(st.booleans()),
            description=draw(maybe(texts)), evidence=draw(evidences))
        amount = draw(st.sampled_from(["concentration", "amount", None]))
        if amount == "concentration":
            common["initial_concentration"] = draw(finite)
        elif amount == "amount":
            common["initial_amount"] = draw(finite)
        if ents and draw(st.booleans()):
            parts = draw(st.lists(st.sampled_from([e.id for e in ents]), min_size=1, max_size=2, unique=True))
            ents.append(Entity(**common, components=tuple(Component(p, draw(st.integers(1, 3))) for p in parts)))
        else:
            ents.append(Entity(
                **common, molecule=draw(st.sampled_from([m.id for m in mols])),
                modifications=tuple(Modification(draw(st.sampled_from(MODS)),
                                                 draw(maybe(st.sampled_from("STY"))),
                                                 draw(maybe(st.integers(1, 2000))))
                                    for _ in range(draw(st.integers(0, 2)))),
                bound=tuple(draw(st.lists(st.sampled_from(small), max_size=1))) if small else (),
                active=draw(st.sampled_from([None, True, False]))))
    ent_ids = [e.id for e in ents]
    ent_by_id = {e.id: e for e in ents}

    def member_ids(eid: str) -> set[str]:
        found = set()
        for c in ent_by_id[eid].components:
            found |= {c.entity} | member_ids(c.entity)
        return found

    mol_type = {m.id: m.type for m in mols}
    templates = [e.id for e in ents if e.molecule and mol_type[e.molecule] in ("gene", "rna", "dna")]

    params = tuple(
        Parameter(f"p{i}", draw(finite), units=draw(maybe(st.sampled_from(unit_ids + ["dimensionless"]))),
                  name=draw(maybe(texts)),
                  provenance=draw(maybe(st.builds(Provenance, st.sampled_from(PROVENANCE_KINDS),
                                                  maybe(st.sampled_from(REFERENCES)), maybe(texts)))),
                  description=draw(maybe(texts)))
        for i in range(draw(st.integers(0, 3))))
    names = ent_ids + [p.id for p in params] + [c.id for c in comps]

    def expression() -> str:
        ops = draw(st.lists(st.sampled_from([" + ", " * ", " - ", " / "]), min_size=0, max_size=3))
        terms = [draw(st.sampled_from(names + ["2", "0.5", "time", "exp(-0.1 * time)", "(1 + @)"]))
                 for _ in range(len(ops) + 1)]
        terms = [t.replace("@", names[0]) for t in terms]
        text = terms[0]
        for op, term in zip(ops, terms[1:]):
            text += op + term
        return text if draw(st.booleans()) else text.replace(" ", "")

    rxns = []
    for i in range(draw(st.integers(0, 4))):
        kinds = ["binding", "dissociation", "state_change", "transport", "conversion", "degradation"]
        if templates:
            kinds += ["transcription", "translation", "gene_expression"]
        kind = draw(st.sampled_from(kinds))
        reactants = tuple(Participant(e, draw(st.sampled_from([1.0, 2.0, 0.1 + 0.2])))
                          for e in draw(st.lists(st.sampled_from(ent_ids), max_size=2)))
        products = () if kind == "degradation" else tuple(
            Participant(e) for e in draw(st.lists(st.sampled_from(ent_ids), max_size=2)))
        if not reactants and not products:
            products = (Participant(ent_ids[0]),) if kind != "degradation" else ()
            reactants = reactants or ((Participant(ent_ids[0]),) if kind == "degradation" else ())
        inside = [x for p in reactants for x in (p.entity, *sorted(member_ids(p.entity)))]
        enzyme = draw(st.sampled_from(inside)) if inside and draw(st.booleans()) else None
        rxns.append(Reaction(
            f"r{i}", kind, name=draw(maybe(texts)), reversible=draw(st.booleans()),
            reactants=reactants, products=products,
            template=draw(st.sampled_from(templates)) if kind in ("transcription", "translation",
                                                                  "gene_expression") else None,
            controls=tuple(Control(draw(st.sampled_from(ent_ids)), draw(st.sampled_from(CONTROL_TYPES)),
                                   draw(evidences)) for _ in range(draw(st.integers(0, 2)))),
            enzyme=enzyme,
            rate_law=draw(st.sampled_from([None, "x"])) and expression(),
            xrefs=tuple(draw(st.lists(st.sampled_from(["GO:0042531", "reactome:R-HSA-6785888"]),
                                      max_size=2, unique=True))),
            description=draw(maybe(texts)), evidence=draw(evidences)))
    rxn_ids = [r.id for r in rxns]

    observables = tuple(Observable(f"o{i}", expression(), name=draw(maybe(texts)),
                                   units=draw(maybe(st.sampled_from(unit_ids + ["dimensionless"]))),
                                   description=draw(maybe(texts)))
                        for i in range(draw(st.integers(0, 2))))
    stimuli = tuple(Stimulus(f"s{i}", draw(st.sampled_from(ent_ids)), draw(finite), draw(finite),
                             name=draw(maybe(texts)), description=draw(maybe(texts)))
                    for i in range(draw(st.integers(0, 2))))
    pathways = []
    for i in range(draw(st.integers(0, 3))):
        pathways.append(Pathway(
            f"pw{i}", draw(texts), steps=tuple(draw(st.lists(st.sampled_from(rxn_ids), max_size=3))) if rxn_ids else (),
            subpathways=tuple(f"pw{j}" for j in range(i) if draw(st.booleans()))[::-1],
            xrefs=tuple(draw(st.lists(st.just("GO:0070102"), max_size=1))), description=draw(maybe(texts)),
            evidence=draw(evidences)))
    has_history = draw(st.booleans())
    authors = tuple(
        Person(draw(texts), family_name=draw(texts) if has_history else draw(maybe(texts)),
               email=draw(maybe(st.just("a@example.org"))),
               orcid=draw(maybe(st.just("0000-0002-1825-0097"))), organisation=draw(maybe(texts)),
               role=draw(st.sampled_from(["author", "curator", "contributor"])))
        for _ in range(draw(st.integers(0, 2))))
    dates = st.sampled_from(["2026-01-01", "2025-12-31T23:59:59Z", "2025-06-01T12:00:00+02:00",
                             "2025-06-01T12:00:00.5Z", "2026-02-30"])
    model = Model(
        id="model", name=draw(texts), version=draw(maybe(texts)), description=draw(maybe(texts)),
        organism=draw(maybe(st.just("NCBITaxon:9606"))), authors=authors, license=draw(maybe(texts)),
        created=draw(maybe(dates)), modified=draw(maybe(dates)),
        references=tuple(draw(st.lists(st.sampled_from(REFERENCES), max_size=2, unique=True))),
        annotations=Annotations(
            diseases=tuple(draw(st.lists(st.just("DOID:9538"), max_size=1))),
            cell_types=tuple(draw(st.lists(st.sampled_from(["CL:0000182", "CL:0000057"]), max_size=2, unique=True))),
            tissues=tuple(draw(st.lists(st.just("UBERON:0002107"), max_size=1))),
            processes=tuple(draw(st.lists(st.just("GO:0070102"), max_size=1)))),
        units=ModelUnits(substance=draw(st.sampled_from([None, "mole", "item"])),
                         volume=draw(st.sampled_from([None, "litre"])),
                         time=draw(st.sampled_from([None, "second"]))),
        unit_definitions=units, compartments=comps, molecules=tuple(mols), entities=tuple(ents),
        parameters=params, reactions=tuple(rxns), observables=observables, stimuli=stimuli,
        pathways=tuple(pathways))
    return _sbml_only(draw, model) if sbml else model


def _sbml_only(draw, model: Model) -> Model:
    from dataclasses import replace

    from pathway_export.model import InitialAssignment

    entities = tuple(replace(e, units=draw(st.sampled_from([None, "mole", "item"]))) for e in model.entities)
    assignments = []
    parameters = model.parameters
    if parameters and draw(st.booleans()):
        parameters = (replace(parameters[0], value=None),) + parameters[1:]
        assignments.append(InitialAssignment(parameters[0].id, "2 * " + model.entities[0].id))
    reactions = model.reactions
    if reactions and reactions[0].reactants and draw(st.booleans()):
        first = reactions[0]
        named = replace(first.reactants[0], id="sr0")
        reactions = (replace(first, reactants=(named,) + first.reactants[1:]),) + reactions[1:]
        if draw(st.booleans()):
            assignments.append(InitialAssignment("sr0", "3"))
    return replace(model, entities=entities, parameters=parameters, reactions=reactions,
                   initial_assignments=tuple(assignments))
