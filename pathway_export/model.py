"""The canonical pathway model: plain, immutable data.

This module is the single source of truth that every format module renders from
and reads back into. It knows nothing about YAML, SBML or BioPAX: loading and
checking live in :mod:`pathway_export.canonical`, each document format in
:mod:`pathway_export.formats`.

Conventions a caller must know
------------------------------
* Every collection is a tuple, in the order the author wrote it; order is part
  of the model (it fixes the order of elements in written documents).
* Identifiers of external databases are CURIEs in their bioregistry-normalised
  form (``uniprot:P40763``, ``GO:0005737``, ``pubmed:29358674``).
* A rate law is the rate of the reaction in *extent per time* (as an SBML
  kinetic law); entity ids in it denote concentrations (amounts for entities
  declared with ``amount_based``), compartment ids their sizes.
* Optional scalars are ``None`` when absent; optional collections are empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cached_property
from typing import Any, Iterator

MOLECULE_TYPES = ("protein", "small_molecule", "gene", "rna", "dna")
"""Kinds of molecule (an entity reference in BioPAX terms)."""

ENTITY_TYPES = MOLECULE_TYPES + ("complex", "physical_entity")
"""Kinds of physical entity: a molecule kind, a complex of entities, or a physical entity
of no stated kind (``physical_entity``: a database's "some molecule", often a generic)."""

REACTION_TYPES = (
    "binding",  # complex assembly
    "dissociation",  # complex disassembly
    "state_change",  # covalent modification, GTP loading, activation ...
    "transport",  # translocation between compartments
    "degradation",
    "transcription",  # gene -> RNA, template reaction
    "translation",  # RNA -> protein, template reaction
    "gene_expression",  # gene -> protein in one step, template reaction
    "conversion",  # any other biochemical reaction
) + (
    # interactions that are not reactions (see "Pathway-database detail" below)
    "molecular_interaction",  # physical contact of participants, no sides
    "genetic_interaction",  # genes whose joint perturbation has a phenotype
    "interaction",  # any other relation of participants
)
"""Kinds of reaction; each format module maps every kind to its own terms."""

TEMPLATE_REACTION_TYPES = ("transcription", "translation", "gene_expression")
"""Reaction kinds that copy a template (a gene or RNA) rather than consume it."""

CONTROL_TYPES = ("catalysis", "activation", "inhibition", "control")
"""Kinds of control of a reaction by an entity (``control``: the source states no effect)."""

INTERACTION_TYPES = ("molecular_interaction", "genetic_interaction", "interaction")
"""Reaction kinds that relate participants without consuming or producing them."""

PROVENANCE_KINDS = ("literature", "model", "estimated", "fitted")
"""Where a parameter value comes from."""

AUTHOR_ROLES = ("author", "curator", "contributor")

RULE_TYPES = ("assignment", "rate", "algebraic")
"""Kinds of rule: ``variable = expr``, ``d variable/dt = expr``, ``0 = expr``."""

BASE_UNITS = (
    "ampere", "avogadro", "becquerel", "candela", "coulomb", "dimensionless",
    "farad", "gram", "gray", "henry", "hertz", "item", "joule", "katal",
    "kelvin", "kilogram", "litre", "lumen", "lux", "metre", "mole", "newton",
    "ohm", "pascal", "radian", "second", "siemens", "sievert", "steradian",
    "tesla", "volt", "watt", "weber",
)
"""Unit kinds a unit definition is built from (the SI-based set SBML L3 uses)."""


QUALIFIERS = tuple(f"bqbiol:{q}" for q in (
    "is", "hasPart", "isPartOf", "isVersionOf", "hasVersion", "isHomologTo", "isDescribedBy",
    "isEncodedBy", "encodes", "occursIn", "hasProperty", "isPropertyOf", "hasTaxon",
)) + tuple(f"bqmodel:{q}" for q in ("is", "isDescribedBy", "isDerivedFrom", "isInstanceOf", "hasInstance"))
"""The standard MIRIAM qualifiers (COMBINE ``bqbiol`` and ``bqmodel``), as written in terms."""


@dataclass(frozen=True)
class Person:
    """An author or curator of the model."""

    name: str
    family_name: str | None = None
    email: str | None = None
    orcid: str | None = None
    organisation: str | None = None
    role: str = "author"


@dataclass(frozen=True)
class Term:
    """One MIRIAM statement: this element stands in ``qualifier`` relation to each resource.

    ``resources`` are CURIEs in normal form when the registry knows the identifier, else the
    URI exactly as the source wrote it.
    """

    qualifier: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class History:
    """Who made an element and when (the MIRIAM model history): creators, created, modified dates."""

    creators: tuple[Person, ...] = ()
    created: str | None = None
    modified: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metadata:
    """What a source file said about one element, held exactly as it said it.

    Import fills it; an author rarely writes it. ``terms`` are the element's MIRIAM terms in
    order, each with its own qualifier; when there are any, they are written as they are and
    the terms derived from the typed fields (``xrefs``, ``go``, ``organism`` ...) add only
    resources the terms do not already name. ``sbo`` (``SBO:0000027``) replaces the SBO term
    derived from the element's kind; ``notes`` (XHTML) replace the notes written from its
    description; ``xml`` is annotation XML of other tools (CellDesigner, COPASI, fbc key-value
    pairs ...), written back verbatim.
    """

    terms: tuple[Term, ...] = ()
    history: History | None = None
    notes: str | None = None
    sbo: str | None = None
    xml: str | None = None


NO_METADATA = Metadata()


@dataclass(frozen=True)
class Annotations:
    """What the whole model is about, as ontology CURIEs."""

    diseases: tuple[str, ...] = ()
    cell_types: tuple[str, ...] = ()
    tissues: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """Support for an entity or reaction: a publication and an ECO code."""

    reference: str
    eco: str | None = None
    note: str | None = None
    more_references: tuple[str, ...] = ()  # further publications of the same evidence


@dataclass(frozen=True)
class UnitFactor:
    """One factor of a unit: ``(multiplier * 10**scale * kind) ** exponent``."""

    kind: str
    exponent: float = 1
    scale: int = 0
    multiplier: float = 1


@dataclass(frozen=True)
class UnitDefinition:
    """A named unit, the product of its factors."""

    id: str
    factors: tuple[UnitFactor, ...]
    name: str | None = None
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class ModelUnits:
    """Default units of the model's quantities (ids of units or base units)."""

    substance: str | None = None
    volume: str | None = None
    area: str | None = None
    length: str | None = None
    time: str | None = None
    extent: str | None = None


@dataclass(frozen=True)
class Compartment:
    """A place: a GO cellular component with a size and its enclosing place."""

    id: str
    name: str | None = None
    go: str | None = None
    spatial_dimensions: float | None = 3  # 0-3 as a rule; SBML allows any number, or none
    size: float | None = None
    units: str | None = None
    parent: str | None = None
    constant: bool = True
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Molecule:
    """What a physical entity is made of: a gene product, chemical, gene ..."""

    id: str
    type: str
    name: str
    symbol: str | None = None
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    organism: str | None = None
    description: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # pathway-database detail (see the section at the end of this module)
    members: tuple[str, ...] = ()
    formula: str | None = None
    molecular_weight: float | None = None
    sequence: str | None = None
    identities: tuple[str, ...] | None = None
    database_xrefs: tuple[Xref, ...] = ()


@dataclass(frozen=True)
class Modification:
    """A post-translational modification: a PSI-MOD term at a residue."""

    type: str
    residue: str | None = None
    position: int | None = None


@dataclass(frozen=True)
class Component:
    """A part of a complex: another entity, with its count."""

    entity: str
    stoichiometry: int = 1


@dataclass(frozen=True)
class Entity:
    """A pool of one molecule (or complex) in one compartment and one state.

    At most one of ``molecule`` and ``components`` is given; with neither, ``type`` says
    what kind of entity it is (a complex whose components are not known, a protein whose
    molecule is not named, a ``physical_entity`` of no stated kind) and ``members`` may list
    the entities it stands for. ``bound`` lists small molecules held non-covalently (GTP on
    Ras); ``active`` is ``None`` when the author makes no claim.
    """

    id: str
    compartment: str | None  # None: the source states no location
    name: str | None = None
    molecule: str | None = None
    components: tuple[Component, ...] = ()
    modifications: tuple[Modification, ...] = ()
    bound: tuple[str, ...] = ()
    active: bool | None = None
    xrefs: tuple[str, ...] = ()
    initial_concentration: float | None = None
    initial_amount: float | None = None
    units: str | None = None  # substance units, when not the model's
    amount_based: bool = False
    conversion_factor: str | None = None
    boundary: bool = False
    constant: bool = False
    description: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # pathway-database detail (see the section at the end of this module)
    type: str | None = None
    members: tuple[str, ...] = ()
    features: tuple[Feature, ...] = ()
    database_xrefs: tuple[Xref, ...] = ()
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Provenance:
    """Where a parameter value comes from."""

    kind: str
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Parameter:
    """A named constant of the kinetics, with its units and its source."""

    id: str
    value: float | None = None  # None: set by an initial assignment or rule
    units: str | None = None
    name: str | None = None
    provenance: Provenance | None = None
    description: str | None = None
    constant: bool = True
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Participant:
    """An entity consumed or produced by a reaction.

    ``id``, when given, names the stoichiometry in math, so that initial assignments, rules
    and events may set it (an SBML species reference id).
    """

    entity: str
    stoichiometry: float = 1
    id: str | None = None
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Control:
    """An entity that catalyses, activates or inhibits a reaction (or another control).

    ``controller`` is ``None`` when the source names none; ``more_controllers`` are further
    controllers of the same one control (a database's enzyme isoforms). ``controls`` are the
    controls of this control (a modulation of a catalysis).
    """

    controller: str | None
    type: str
    evidence: tuple[Evidence, ...] = ()
    # pathway-database detail (see the section at the end of this module)
    more_controllers: tuple[str, ...] = ()
    mechanism: str | None = None
    direction: str | None = None
    cofactors: tuple[str, ...] = ()
    controls: tuple[Control, ...] = ()
    name: str | None = None
    xrefs: tuple[str, ...] = ()
    description: str | None = None
    id: str | None = None  # names the control where a pathway lists it (Pathway.components)
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Reaction:
    """A process: participants, controls, kinetics and evidence.

    ``enzyme`` names the entity that does the work when it sits inside a reactant (a
    mass-action scheme writes catalysis as enzyme:substrate -> enzyme + product, where the
    enzyme is a component of a reactant complex, at any depth, or a reactant itself). It is
    a claim about mechanism only: the kinetics stay in ``rate_law``. A reaction may have no
    participants (its rate then only feeds math that names it).
    """

    id: str
    type: str
    name: str | None = None
    reversible: bool = False
    reactants: tuple[Participant, ...] = ()
    products: tuple[Participant, ...] = ()
    template: str | None = None
    controls: tuple[Control, ...] = ()
    enzyme: str | None = None
    rate_law: str | None = None
    local_parameters: tuple[Parameter, ...] = ()
    xrefs: tuple[str, ...] = ()
    description: str | None = None
    evidence: tuple[Evidence, ...] = ()
    compartment: str | None = None  # where it takes place
    fast: bool = False  # in fast equilibrium (SBML Level 2 and Level 3 Version 1)
    # pathway-database detail (see the section at the end of this module)
    participants: tuple[str, ...] = ()
    spontaneous: bool | None = None
    ec_numbers: tuple[str, ...] = ()
    database_xrefs: tuple[Xref, ...] = ()
    direction_unknown: bool = False  # the source states no direction ('reversible' is then false)
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Observable:
    """A named quantity computed from the state, e.g. total phospho-STAT3."""

    id: str
    expression: str
    name: str | None = None
    units: str | None = None
    description: str | None = None
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Stimulus:
    """A perturbation: at ``time`` the entity's concentration is set."""

    id: str
    entity: str
    time: float
    concentration: float
    name: str | None = None
    description: str | None = None
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class FunctionDefinition:
    """A named function usable in math: ``id(arguments) = body``."""

    id: str
    arguments: tuple[str, ...]
    body: str
    name: str | None = None
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class InitialAssignment:
    """The initial value of ``target`` (an entity, compartment or parameter) computed from math."""

    target: str
    expression: str | None = None  # None: not given yet, no effect
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Rule:
    """A rule over the state: assignment (``variable = e``), rate (``d variable/dt = e``), algebraic (``0 = e``)."""

    type: str
    expression: str | None = None  # None: not given yet, no effect
    variable: str | None = None
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class EventAssignment:
    """What an event sets when it fires."""

    variable: str
    expression: str | None = None  # None: not given yet, no effect
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Event:
    """A discrete change: when ``trigger`` becomes true (after ``delay``), apply the assignments.

    ``initial_value`` is the trigger's value before time zero (``False``: a trigger true at
    time zero fires then); ``persistent`` keeps a delayed event scheduled if the trigger turns
    false; ``use_values_from_trigger_time`` evaluates assignments when triggered, not when applied.
    An event without a ``trigger`` never fires.
    """

    id: str
    trigger: str | None = None
    assignments: tuple[EventAssignment, ...] = ()
    name: str | None = None
    delay: str | None = None
    priority: str | None = None
    persistent: bool = True
    initial_value: bool = True
    use_values_from_trigger_time: bool = True
    metadata: Metadata = NO_METADATA


@dataclass(frozen=True)
class Constraint:
    """A condition that should hold while the model runs, and what to say when it does not.

    ``message`` is plain text, or XHTML markup when it starts with ``<``.
    """

    expression: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Pathway:
    """A (sub-)pathway: its ordered steps and its own sub-pathways.

    ``components``, when given, are the reactions and controls (ids) it lists as its own,
    where these are not simply its steps with their controls.
    """

    id: str
    name: str
    steps: tuple[str, ...] = ()
    subpathways: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    description: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # pathway-database detail (see the section at the end of this module)
    database_xrefs: tuple[Xref, ...] = ()
    components: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Model:
    """A whole pathway model. Build it with :func:`canonical.load` or directly."""

    id: str
    name: str
    version: str | None = None
    description: str | None = None
    organism: str | None = None
    authors: tuple[Person, ...] = ()
    license: str | None = None
    created: str | None = None
    modified: str | None = None
    references: tuple[str, ...] = ()
    annotations: Annotations = field(default_factory=Annotations)
    units: ModelUnits = field(default_factory=ModelUnits)
    unit_definitions: tuple[UnitDefinition, ...] = ()
    compartments: tuple[Compartment, ...] = ()
    molecules: tuple[Molecule, ...] = ()
    entities: tuple[Entity, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    reactions: tuple[Reaction, ...] = ()
    observables: tuple[Observable, ...] = ()
    stimuli: tuple[Stimulus, ...] = ()
    pathways: tuple[Pathway, ...] = ()
    function_definitions: tuple[FunctionDefinition, ...] = ()
    initial_assignments: tuple[InitialAssignment, ...] = ()
    rules: tuple[Rule, ...] = ()
    events: tuple[Event, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    conversion_factor: str | None = None
    controls: tuple[Control, ...] = ()  # controls of no reaction (pathway-database detail)
    publications: tuple[Publication, ...] = ()  # details of publications (pathway-database detail)
    metadata: Metadata = NO_METADATA

    # Indexes, built once on first use: never scan a list to find an id.
    @cached_property
    def compartment_by_id(self) -> dict[str, Compartment]:
        return {c.id: c for c in self.compartments}

    @cached_property
    def molecule_by_id(self) -> dict[str, Molecule]:
        return {m.id: m for m in self.molecules}

    @cached_property
    def entity_by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    @cached_property
    def parameter_by_id(self) -> dict[str, Parameter]:
        return {p.id: p for p in self.parameters}

    @cached_property
    def reaction_by_id(self) -> dict[str, Reaction]:
        return {r.id: r for r in self.reactions}

    @cached_property
    def unit_by_id(self) -> dict[str, UnitDefinition]:
        return {u.id: u for u in self.unit_definitions}

    @cached_property
    def function_by_id(self) -> dict[str, FunctionDefinition]:
        return {f.id: f for f in self.function_definitions}

    @cached_property
    def event_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @cached_property
    def pathway_by_id(self) -> dict[str, Pathway]:
        return {p.id: p for p in self.pathways}

    @cached_property
    def math_ids(self) -> frozenset[str]:
        """Ids that math may name: entities, compartments, parameters, observables, reactions
        (their rates) and participants (their stoichiometries). Where one is spelt like a
        built-in constant (``avogadro``, ``time``), it shadows the constant (see
        :func:`pathway_export.mathexpr.builtin`)."""
        ids = {x.id for kind in (self.entities, self.compartments, self.parameters, self.observables,
                                 self.reactions) for x in kind}
        ids.update(p.id for r in self.reactions for p in r.reactants + r.products if p.id is not None)
        return frozenset(ids)

    @cached_property
    def publication_by_reference(self) -> dict[str, Publication]:
        return {p.reference: p for p in self.publications}

    def entity_type(self, entity: Entity) -> str:
        """The kind of an entity: its molecule's type, its own ``type``, or ``complex``."""
        if entity.molecule is None:
            return entity.type or "complex"
        return self.molecule_by_id[entity.molecule].type

    def flat_components(self, entity: Entity) -> dict[str, int]:
        """Molecule ids of a complex, nested complexes expanded, with counts."""
        counts: dict[str, int] = {}

        def walk(e: Entity, times: int) -> None:
            if e.molecule is not None:
                counts[e.molecule] = counts.get(e.molecule, 0) + times
                return
            for c in e.components:
                walk(self.entity_by_id[c.entity], times * c.stoichiometry)

        walk(entity, 1)
        return counts

    def enzyme_holder(self, reaction: Reaction) -> str | None:
        """The reactant that is or holds ``reaction.enzyme`` (at any depth), or ``None``."""
        if reaction.enzyme is None:
            return None
        for p in reaction.reactants:
            if p.entity == reaction.enzyme or reaction.enzyme in self.members(p.entity):
                return p.entity
        return None

    def members(self, entity_id: str) -> frozenset[str]:
        """Ids of the entities inside a complex, nested complexes included (empty for a molecule)."""
        found: set[str] = set()
        stack = [entity_id]
        while stack:
            e = self.entity_by_id.get(stack.pop())
            for c in e.components if e is not None else ():
                if c.entity not in found:
                    found.add(c.entity)
                    stack.append(c.entity)
        return frozenset(found)

    def root_pathways(self) -> tuple[Pathway, ...]:
        """Pathways that are no other pathway's sub-pathway, in model order."""
        children = {s for p in self.pathways for s in p.subpathways}
        return tuple(p for p in self.pathways if p.id not in children)


# --------------------------------------------------------------------------- pathway-database detail
#
# What pathway databases (Reactome, PID, HumanCyc, WikiPathways ...) say beyond a kinetic
# model: generic entities (``members``), sequence features other than one PSI-MOD term at one
# residue, controls with several controllers, cofactors and controls of their own, interactions
# that are not reactions. Every field is optional, so an authored model never needs them.

FEATURE_KINDS = ("modification", "fragment", "binding", "covalent_binding", "other")
"""Kinds of sequence feature: a modification (by a term), a fragment (part of a chain), a
binding site, a covalent bond to another chain, any other feature."""

CONTROL_MECHANISMS = ("allosteric", "nonallosteric", "competitive", "noncompetitive",
                      "uncompetitive", "irreversible", "other")
"""How an activation or inhibition acts, when the source says."""

DIRECTIONS = ("left_to_right", "right_to_left", "reversible")
"""Directions a catalysis may be restricted to."""


@dataclass(frozen=True)
class Feature:
    """A feature of an entity that :class:`Modification` cannot say.

    A modification named only by its words (``term``, ``type`` then ``None``) or with no type
    at all, a fragment from ``position`` to ``end``, a binding site, a covalent bond, or any
    feature; ``absent`` says the entity *lacks* it (this form is not phosphorylated there).
    """

    kind: str
    type: str | None = None
    term: str | None = None
    position: int | None = None
    end: int | None = None
    absent: bool = False
    description: str | None = None


@dataclass(frozen=True)
class Xref:
    """A cross-reference a CURIE cannot say: to a database the identifier registry does not
    know ('Reactome Database ID Release 40'), with the database named as the source names it.

    ``identity``: the record is the object itself (else a related record). A molecule's
    ``identities`` lists which of its CURIE ``xrefs`` are the molecule itself, where that is
    not just the first of its kind's own database (UniProt for a protein, ChEBI ...).
    """

    db: str
    identifier: str
    identity: bool = False


@dataclass(frozen=True)
class Publication:
    """What the source says of a publication it cites (or lists without citing): the details
    of ``reference``, the CURIE evidence and model references name it by."""

    reference: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    sources: tuple[str, ...] = ()  # journal, volume and pages, as written
    urls: tuple[str, ...] = ()

    @property
    def detailed(self) -> bool:
        return bool(self.title is not None or self.authors or self.year is not None or self.sources
                    or self.urls)


UNSPECIFIED_LOCATION = "unspecified_location"


def located(model: Model) -> Model:
    """``model`` with every entity located: those the source places nowhere go into one
    compartment of their own (``unspecified_location``, suffixed where the id is taken), for
    formats and drawings whose entities need a place. ``model`` itself when all have one."""
    if all(e.compartment is not None for e in model.entities):
        return model
    taken = {c.id for c in model.compartments} | {e.id for e in model.entities}
    place, n = UNSPECIFIED_LOCATION, 1
    while place in taken:
        n += 1
        place = f"{UNSPECIFIED_LOCATION}_{n}"
    return replace(model, compartments=model.compartments + (Compartment(place, name="unspecified location"),),
                   entities=tuple(e if e.compartment is not None else replace(e, compartment=place)
                                  for e in model.entities))


def iter_dataclass_fields(obj: Any) -> Iterator[tuple[str, Any]]:
    """Yield ``(name, value)`` for each declared field of a model object."""
    if not is_dataclass(obj):
        raise TypeError(f"{type(obj).__name__} is not a model class")
    for f in fields(obj):
        yield f.name, getattr(obj, f.name)
