"""BioPAX Level 3 (RDF/XML): writer and reader of the canonical model.

What a document holds
---------------------
* one ``Provenance`` naming the model (``dataSource`` of every entity), with the model's
  references as ``PublicationXref`` and its version, licence, dates, authors and
  annotations as a carried comment;
* a ``CellularLocationVocabulary`` per compartment (GO ``UnificationXref``);
* an entity reference per molecule (``ProteinReference``, ``SmallMoleculeReference``,
  ``DnaRegionReference`` for genes, ``DnaReference``, ``RnaReference``): the first xref of
  the kind's primary database (UniProt, ChEBI, NCBI Gene ...) as ``UnificationXref``, the
  others as ``RelationshipXref`` ("gene product" for gene databases of proteins and RNAs,
  "see-also" otherwise; HGNC symbols as db "HGNC Symbol", which Paxtools names SIF nodes
  from), organism as ``BioSource``;
* a physical entity per entity, with ``cellularLocation``, ``ModificationFeature`` (PSI-MOD
  ``SequenceModificationVocabulary``, ``SequenceSite`` with ``positionStatus`` EQUAL) and, for
  bound small molecules, a ``BindingFeature`` pair: one on the entity's reference, ``bindsTo``
  one on the small molecule's reference. A bound GTP stays a feature of the protein (rather
  than making Ras-GTP a ``Complex``) so the entity keeps its kind and its reference, SIF and
  SBGN still name it by its gene, and the reader can tell bound nucleotide from a true complex
  component with its own pool. Complexes have ``component`` and ``componentStoichiometry``;
* a conversion per reaction: ``ComplexAssembly`` for binding and, written right to left, for
  dissociation; ``BiochemicalReaction`` for state changes and other conversions; ``Transport``;
  ``Degradation``; ``TemplateReaction`` (``template``, ``product``) for transcription,
  translation and gene expression; each with ``participantStoichiometry`` and
  ``conversionDirection``;
* controls as ``Catalysis`` (controlType ACTIVATION), ``Control`` (ACTIVATION / INHIBITION) or,
  on template reactions, ``TemplateReactionRegulation``;
* a ``Pathway`` per pathway: reactions and sub-pathways as ``pathwayComponent``, the steps as a
  chain of ``PathwayStep`` (``stepProcess``, ``nextStep``) in ``pathwayOrder``;
* evidence as ``Evidence`` (``PublicationXref`` and ECO ``EvidenceCodeVocabulary``; ECO's
  root term, marked as not given, where the canonical evidence names no code).

Kinetics and simulation settings are not BioPAX's business: :func:`strip_uncarried` declares
them. Anything else BioPAX cannot say goes into a carried comment (see
:mod:`.terms`); URIs follow the scheme described there. The bytes are a function of
the model only: objects appear in model order, helpers at first use, no clock.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, fields, replace
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ... import identifiers
from ...collector import paused as collector_paused
from ...fsutil import atomic_write_bytes
from ...model import (
    Compartment, Control, Entity, Evidence, Feature, Model, ModelUnits, Molecule, Pathway, Person, Reaction,
)
from .read import from_biopax, infer_reaction_type  # noqa: F401  (re-exported verbs)
from .terms import (
    BP, CATALYSIS_DIRECTIONS, CONTROL_CLASSES, CONTROL_MECHANISMS_OUT, CONTROL_TYPES_OUT, CONVERSION_CLASSES,
    ENTITY_CLASSES, FEATURE_CLASSES, INTERACTION_CLASSES, EVIDENCE_TERMS, GENE_DATABASES, L2R, MODIFICATION_TERMS,
    UNSPECIFIED_EVIDENCE,
    MOLECULE_CLASSES, ORGANISM_NAMES, OWL, PRIMARY_XREFS, R2L, RDF, REACTION_CLASSES,
    RDFS, RELATIONSHIP_TYPES, REVERSIBLE, SEQUENCE_REFERENCES, XML, XSD, base_uri, encode_comment,
    helper_uri, prefix_of, xref_db_id, COMMENT_TAG,
)

__all__ = ["to_biopax", "from_biopax", "write_biopax", "read_biopax", "strip_uncarried"]


# --------------------------------------------------------------------------- what BioPAX cannot carry

def strip_uncarried(model: Model) -> Model:
    """``model`` without what BioPAX cannot carry: kinetics and simulation settings.

    Gone: parameters, unit definitions and model units, rate laws and local parameters,
    observables, stimuli, function definitions, initial assignments, rules, events,
    conversion factors, initial values and substance units, compartment sizes/units/dimensions/constancy, the
    boundary/constant/amount_based flags of entities and the math names of stoichiometries.
    """
    return replace(
        model,
        units=ModelUnits(), unit_definitions=(), parameters=(), observables=(), stimuli=(),
        function_definitions=(), initial_assignments=(), rules=(), events=(), conversion_factor=None,
        compartments=tuple(replace(c, spatial_dimensions=3, size=None, units=None, constant=True)
                           for c in model.compartments),
        entities=tuple(replace(e, initial_concentration=None, initial_amount=None, units=None,
                               amount_based=False, conversion_factor=None, boundary=False, constant=False)
                       for e in model.entities),
        reactions=tuple(replace(r, rate_law=None, local_parameters=(), reactants=_unnamed(r.reactants),
                                products=_unnamed(r.products)) for r in model.reactions),
    )


def _unnamed(participants: tuple) -> tuple:
    """Participants without the names their stoichiometries carry in math (kinetics, not BioPAX)."""
    return tuple(replace(p, id=None) if getattr(p, "id", None) is not None else p for p in participants)


# --------------------------------------------------------------------------- files

def write_biopax(model: Model, path: str | Path) -> Path:
    """Write ``model`` as BioPAX to ``path`` atomically."""
    return atomic_write_bytes(path, to_biopax(model))


def read_biopax(path: str | Path) -> Model:
    """Read a BioPAX Level 3 file (``.gz`` too) into a canonical model."""
    import gzip

    from ...errors import FormatError, Problem

    target = Path(path)
    try:
        data = target.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise FormatError([Problem(f"cannot read the file: {exc}", source=str(target))], str(target)) from exc
    return from_biopax(data, source=str(target))


# --------------------------------------------------------------------------- writing

def to_biopax(model: Model) -> bytes:
    """The BioPAX Level 3 RDF/XML document of ``model`` (deterministic bytes).

    Written as text (:class:`_TextWriter`): the bytes lxml would serialise from the same tree
    (:class:`_Writer`), without building one. A model holding a character XML cannot carry
    goes to the tree writer, which refuses it as lxml does.
    """
    with collector_paused():
        document = _TextWriter(model).document()
        if document is None:
            return _Writer(model).document()
        return document


def _num(value: float) -> str:
    return repr(float(value))


def _evidence_key(ev: Evidence) -> str:
    return _evidence_key_of(ev.reference, ev.eco, ev.note, ev.more_references)


@lru_cache(maxsize=1 << 14)
def _evidence_key_of(reference, eco, note, more=()) -> str:
    """Kept per evidence: a model cites the same references from many objects."""
    key = [reference, eco, note] + ([list(more)] if more else [])
    return hashlib.sha1(json.dumps(key).encode("utf-8")).hexdigest()[:16]


def _person(p: Person) -> dict:
    defaults = {f.name: f.default for f in fields(Person) if f.name != "name"}
    return {k: v for k, v in asdict(p).items() if k == "name" or v != defaults[k]}


_SubElement = etree.SubElement
_ABOUT, _DATATYPE, _RESOURCE = f"{{{RDF}}}about", f"{{{RDF}}}datatype", f"{{{RDF}}}resource"
_XSD_TYPES = {t: XSD + t for t in ("string", "float", "int")}


@lru_cache(maxsize=None)
def _bp_tag(local: str) -> str:
    """The Clark name of a BioPAX class or property (a fixed vocabulary: the cache stays small)."""
    return f"{{{BP}}}{local}"


class _Writer:
    def __init__(self, model: Model):
        self.m = model
        self.base = base_uri(model.id)
        self.seen: set[str] = set()
        self.provenance = helper_uri(self.base, "Provenance")
        self.features: dict[str, list[str]] = {}  # molecule id -> feature URIs on its reference
        self.identities: set[str] = set()  # CURIEs already some reference's UnificationXref
        self.helpers: dict[tuple, str] = {}  # (class, key...) -> URI of a helper object already written
        self.molecule_sets: dict[str, frozenset[str]] = {}
        self.entity_types: dict[str, str | None] = {}
        self.start()

    def start(self) -> None:
        """The document's root, its namespaces and its ``owl:Ontology`` header."""
        self.root = etree.Element(f"{{{RDF}}}RDF", nsmap={
            "rdf": RDF, "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": OWL, "xsd": XSD, "bp": BP})
        self.root.set(f"{{{XML}}}base", self.base)
        onto = etree.SubElement(self.root, f"{{{OWL}}}Ontology", {f"{{{RDF}}}about": self.base})
        etree.SubElement(onto, f"{{{OWL}}}imports", {f"{{{RDF}}}resource": BP[:-1]})

    # ---- element helpers (a few hundred thousand calls for a large model: tags are built once)
    def new(self, cls: str, uri: str) -> etree._Element | None:
        """A new top-level object, or ``None`` when ``uri`` was already written."""
        if uri in self.seen:
            return None
        self.seen.add(uri)
        el = _SubElement(self.root, _bp_tag(cls))
        el.set(_ABOUT, uri)
        return el

    def lit(self, el, prop: str, value, datatype: str = "string") -> None:
        child = _SubElement(el, _bp_tag(prop))
        child.set(_DATATYPE, _XSD_TYPES.get(datatype) or XSD + datatype)
        child.text = value if isinstance(value, str) else str(value)

    def ref(self, el, prop: str, uri: str) -> None:
        _SubElement(el, _bp_tag(prop)).set(_RESOURCE, uri)

    def comments(self, el, description: str | None, carried: dict) -> None:
        if description is not None:
            if description.startswith(COMMENT_TAG):
                carried["description"] = description
            else:
                self.lit(el, "comment", description)
        if carried:
            self.lit(el, "comment", encode_comment(carried))

    def document(self) -> bytes:
        self.objects()
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def objects(self) -> None:
        """Every object of the document, in document order."""
        m = self.m
        for publication in m.publications:  # first, so that they come back in model order
            self.publication(publication.reference)
        self.provenance_object()
        for c in m.compartments:
            self.compartment(c)
        self.collect_features()
        for mol in m.molecules:
            self.molecule(mol)
        for e in m.entities:
            self.entity(e)
        for r in m.reactions:
            self.reaction(r)
        for i, control in enumerate(m.controls):
            self.control(control, None, None, "nothing", ("", i))

        for p in m.pathways:
            self.pathway(p)

    # ---- utility objects
    def helper(self, cls: str, *key: str) -> str:
        """:func:`helper_uri` kept per key: a model names the same xrefs, vocabularies and
        evidence from thousands of objects."""
        uri = self.helpers.get((cls, *key))
        if uri is None:
            uri = self.helpers[(cls, *key)] = helper_uri(self.base, cls, *key)
        return uri

    def unification(self, curie: str) -> str:
        uri = self.helper("UnificationXref", curie)
        el = self.new("UnificationXref", uri)
        if el is not None:
            db, ident = xref_db_id(curie)
            self.lit(el, "db", db)
            self.lit(el, "id", ident)
        return uri

    def relationship(self, curie: str, kind: str) -> str:
        uri = self.helper("RelationshipXref", curie, kind)
        el = self.new("RelationshipXref", uri)
        if el is not None:
            db, ident = xref_db_id(curie)
            self.lit(el, "db", db)
            self.lit(el, "id", ident)
            self.ref(el, "relationshipType", self.vocabulary("RelationshipTypeVocabulary", kind,
                                                             RELATIONSHIP_TYPES[kind]))
        return uri

    def database_xrefs(self, el, xrefs) -> None:
        """Xrefs to databases the registry does not know, with the database's name as written."""
        for x in xrefs:
            cls = "UnificationXref" if x.identity else "RelationshipXref"
            uri = self.helper(cls, x.db, x.identifier)
            obj = self.new(cls, uri)
            if obj is not None:
                self.lit(obj, "db", x.db)
                self.lit(obj, "id", x.identifier)
            self.ref(el, "xref", uri)

    def publication(self, curie: str) -> str:
        uri = self.helper("PublicationXref", curie)
        el = self.new("PublicationXref", uri)
        if el is not None:
            db, ident = xref_db_id(curie)
            self.lit(el, "db", db)
            self.lit(el, "id", ident)
            details = self.m.publication_by_reference.get(curie) if self.m.publications else None
            if details is not None:
                if details.title is not None:
                    self.lit(el, "title", details.title)
                for author in details.authors:
                    self.lit(el, "author", author)
                if details.year is not None:
                    self.lit(el, "year", details.year, "int")
                for source in details.sources:
                    self.lit(el, "source", source)
                for url in details.urls:
                    self.lit(el, "url", url)
        return uri

    def vocabulary(self, cls: str, term: str, curie: str | None) -> str:
        uri = self.helper(cls, curie or term)
        el = self.new(cls, uri)
        if el is not None:
            self.lit(el, "term", term)
            if curie:
                self.ref(el, "xref", self.unification(curie))
        return uri

    def biosource(self, taxon: str) -> str:
        uri = self.helper("BioSource", taxon)
        el = self.new("BioSource", uri)
        if el is not None:
            name = ORGANISM_NAMES.get(taxon, taxon)
            self.lit(el, "displayName", name)
            self.lit(el, "standardName", name)
            self.ref(el, "xref", self.unification(taxon))
        return uri

    def evidence(self, el, evidence: tuple[Evidence, ...]) -> None:
        for ev in evidence:
            uri = self.helper("Evidence", _evidence_key(ev))
            obj = self.new("Evidence", uri)
            if obj is not None:
                self.ref(obj, "xref", self.publication(ev.reference))
                for more in ev.more_references:
                    self.ref(obj, "xref", self.publication(more))
                eco = ev.eco or UNSPECIFIED_EVIDENCE
                self.ref(obj, "evidenceCode", self.vocabulary(
                    "EvidenceCodeVocabulary", EVIDENCE_TERMS.get(eco, eco), eco))
                carried = {} if ev.eco else {"eco": None}
                if ev.note is not None:
                    if ev.note.startswith(COMMENT_TAG):
                        carried["note"] = ev.note
                    else:
                        self.lit(obj, "comment", ev.note)
                if carried:
                    self.lit(obj, "comment", encode_comment(carried))
            self.ref(el, "evidence", uri)

    def stoichiometry(self, entity: str, coefficient: float) -> str:
        number = _num(coefficient)
        uri = self.helper("Stoichiometry", entity, number)
        el = self.new("Stoichiometry", uri)
        if el is not None:
            self.lit(el, "stoichiometricCoefficient", number, "float")
            self.ref(el, "physicalEntity", self.base + entity)
        return uri

    # ---- model-level objects
    def provenance_object(self) -> None:
        m = self.m
        el = self.new("Provenance", self.provenance)
        self.lit(el, "displayName", m.name)
        self.lit(el, "standardName", m.name)
        for ref in m.references:
            self.ref(el, "xref", self.publication(ref))
        carried: dict = {}
        for key in ("version", "license", "created", "modified", "organism"):
            if getattr(m, key) is not None:
                carried[key] = getattr(m, key)
        if m.authors:
            carried["authors"] = [_person(p) for p in m.authors]
        notes = {k: list(v) for k, v in asdict(m.annotations).items() if v}
        if notes:
            carried["annotations"] = notes
        self.comments(el, m.description, carried)

    def compartment(self, c: Compartment) -> None:
        el = self.new("CellularLocationVocabulary", self.base + c.id)
        self.lit(el, "term", c.name if c.name is not None else c.id)
        if c.go:
            self.ref(el, "xref", self.unification(c.go))
        carried: dict = {}
        if c.name is None:
            carried["name"] = None
        if c.parent is not None:
            carried["parent"] = c.parent
        if carried:
            self.lit(el, "comment", encode_comment(carried))

    def collect_features(self) -> None:
        """Features of each molecule's entities, declared on its reference (entityFeature)."""
        for e in self.m.entities:
            owner = e.molecule or e.id
            for mod in e.modifications:
                self.features.setdefault(owner, [])
                uri = self.modification_uri(owner, mod)
                if uri not in self.features[owner]:
                    self.features[owner].append(uri)
            for partner in e.bound:
                for a, b in ((owner, partner), (partner, owner)):
                    uri = helper_uri(self.base, "BindingFeature", a, b)
                    self.features.setdefault(a, [])
                    if uri not in self.features[a]:
                        self.features[a].append(uri)
            for feature in e.features:
                listed = self.features.setdefault(owner, [])
                uri = self.feature_uri(owner, feature)
                if uri not in listed:
                    listed.append(uri)

    def modification_uri(self, owner: str, mod) -> str:
        return helper_uri(self.base, "ModificationFeature", owner, mod.type, mod.residue or "",
                          "" if mod.position is None else mod.position)

    def modification(self, owner: str, mod) -> str:
        uri = self.modification_uri(owner, mod)
        el = self.new("ModificationFeature", uri)
        if el is not None:
            self.ref(el, "modificationType", self.vocabulary(
                "SequenceModificationVocabulary", MODIFICATION_TERMS.get(mod.type, mod.type), mod.type))
            if mod.position is not None:
                self.ref(el, "featureLocation", self.site(mod.position))
            if mod.residue is not None:
                self.lit(el, "comment", encode_comment({"residue": mod.residue}))
        return uri

    def feature_uri(self, owner: str, f: Feature) -> str:
        key = (owner, f.type or "", f.term or "", "" if f.position is None else f.position,
               "" if f.end is None else f.end)
        if f.description is not None:  # features told apart only by their comments stay apart
            key += (hashlib.sha1(f.description.encode("utf-8")).hexdigest()[:12],)
        return helper_uri(self.base, FEATURE_CLASSES[f.kind], *key)

    def feature(self, owner: str, f: Feature) -> str:
        """A feature of any kind; a fragment or other interval as a ``SequenceInterval``."""
        cls = FEATURE_CLASSES[f.kind]
        uri = self.feature_uri(owner, f)
        el = self.new(cls, uri)
        if el is None:
            return uri
        if f.type is not None or f.term is not None:
            term = f.term if f.term is not None else MODIFICATION_TERMS.get(f.type, f.type)
            self.ref(el, "modificationType", self.vocabulary("SequenceModificationVocabulary", term, f.type))
        if f.position is not None and f.end is not None:
            interval = helper_uri(self.base, "SequenceInterval", f.position, f.end)
            self.ref(el, "featureLocation", interval)
            s = self.new("SequenceInterval", interval)
            if s is not None:
                self.ref(s, "sequenceIntervalBegin", self.site(f.position))
                self.ref(s, "sequenceIntervalEnd", self.site(f.end))
        elif f.position is not None or f.end is not None:
            self.ref(el, "featureLocation", self.site(f.position if f.position is not None else f.end))
            if f.position is None:
                self.lit(el, "comment", encode_comment({"end_only": True}))
        if f.description is not None:
            self.lit(el, "comment", f.description)
        return uri

    def site(self, position: int) -> str:
        uri = helper_uri(self.base, "SequenceSite", position)
        s = self.new("SequenceSite", uri)
        if s is not None:
            self.lit(s, "sequencePosition", position, "int")
            self.lit(s, "positionStatus", "EQUAL")
        return uri

    def binding(self, owner: str, partner: str) -> str:
        uri = helper_uri(self.base, "BindingFeature", owner, partner)
        for a, b in ((owner, partner), (partner, owner)):
            el = self.new("BindingFeature", helper_uri(self.base, "BindingFeature", a, b))
            if el is not None:
                self.ref(el, "bindsTo", helper_uri(self.base, "BindingFeature", b, a))
        return uri

    def molecule(self, mol: Molecule) -> None:
        pe_cls, ref_cls = MOLECULE_CLASSES[mol.type]
        el = self.new(ref_cls, self.base + mol.id)
        carried: dict = {}
        self.lit(el, "displayName", mol.symbol if mol.symbol is not None else mol.name)
        if mol.symbol is None:
            carried["symbol"] = None
        self.lit(el, "standardName", mol.name)
        for syn in mol.synonyms:
            self.lit(el, "name", syn)
        if mol.identities is not None:
            chosen = set(mol.identities)
            carried["identities"] = list(mol.identities)
        else:
            primary = next((x for x in mol.xrefs if prefix_of(x) in PRIMARY_XREFS[mol.type]), None)
            if primary in self.identities:
                primary = None  # a unification xref identifies one reference only
            elif primary is not None:
                self.identities.add(primary)
            chosen = {primary}
        for x in mol.xrefs:
            if x in chosen:
                self.ref(el, "xref", self.unification(x))
            else:
                kind = "gene product" if (mol.type in ("protein", "rna") and prefix_of(x) in GENE_DATABASES) \
                    else "see-also"
                self.ref(el, "xref", self.relationship(x, kind))
        self.database_xrefs(el, mol.database_xrefs)
        derived = self.symbol_xref(mol)
        if derived:
            self.ref(el, "xref", self.relationship(derived, "gene product" if mol.type in ("protein", "rna")
                                                   else "see-also"))
            carried["derived_xrefs"] = [derived]
        organism = mol.organism or (self.m.organism if ref_cls in SEQUENCE_REFERENCES else None)
        if organism and ref_cls in SEQUENCE_REFERENCES:
            # a sequence reference needs its organism: the model's when the molecule names none
            self.ref(el, "organism", self.biosource(organism))
            if mol.organism is None:
                carried["organism"] = None
        elif mol.organism:
            carried["organism"] = mol.organism
        for feature in self.features.get(mol.id, ()):
            self.ref(el, "entityFeature", feature)
        for member in mol.members:
            self.ref(el, "memberEntityReference", self.base + member)
        if ref_cls == "SmallMoleculeReference":
            if mol.formula is not None:
                self.lit(el, "chemicalFormula", mol.formula)
            if mol.molecular_weight is not None:
                self.lit(el, "molecularWeight", _num(mol.molecular_weight), "float")
        else:
            for key in ("formula", "molecular_weight"):
                if getattr(mol, key) is not None:
                    carried[key] = getattr(mol, key)
        if mol.sequence is not None:
            if ref_cls in SEQUENCE_REFERENCES:
                self.lit(el, "sequence", mol.sequence)
            else:
                carried["sequence"] = mol.sequence
        self.evidence(el, mol.evidence)
        self.comments(el, mol.description, carried)

    def symbol_xref(self, mol: Molecule) -> str | None:
        """An "HGNC Symbol" xref from a human gene product's symbol, so SIF can name it."""
        if mol.symbol is None or mol.type == "small_molecule" or mol.organism not in (None, "NCBITaxon:9606"):
            return None
        if any(prefix_of(x) == "hgnc.symbol" for x in mol.xrefs):
            return None
        try:
            curie = identifiers.normalize_curie(f"hgnc.symbol:{mol.symbol}")
        except identifiers.CurieError:
            return None
        return curie if curie not in mol.xrefs else None

    def entity(self, e: Entity) -> None:
        m = self.m
        mol = m.molecule_by_id[e.molecule] if e.molecule is not None else None
        cls = ENTITY_CLASSES[m.entity_type(e)]
        el = self.new(cls, self.base + e.id)
        carried: dict = {}
        if e.name is not None:
            self.lit(el, "displayName", e.name)
        else:
            carried["name"] = None
            self.lit(el, "displayName", mol.name if mol is not None else e.id)
        self.ref(el, "dataSource", self.provenance)
        if e.compartment is not None:
            self.ref(el, "cellularLocation", self.base + e.compartment)
        if mol is not None:
            self.ref(el, "entityReference", self.base + mol.id)
        for comp in e.components:
            self.ref(el, "component", self.base + comp.entity)
        for comp in e.components:
            self.ref(el, "componentStoichiometry", self.stoichiometry(comp.entity, comp.stoichiometry))
        owner = e.molecule or e.id
        for mod in e.modifications:
            self.ref(el, "feature", self.modification(owner, mod))
        for partner in e.bound:
            self.ref(el, "feature", self.binding(owner, partner))
        for f in e.features:
            self.ref(el, "notFeature" if f.absent else "feature", self.feature(owner, f))
        for member in e.members:
            self.ref(el, "memberPhysicalEntity", self.base + member)
        for x in e.xrefs:
            self.ref(el, "xref", self.relationship(x, "see-also"))
        self.database_xrefs(el, e.database_xrefs)
        if e.active is not None:
            carried["active"] = e.active
        self.evidence(el, e.evidence)
        self.comments(el, e.description, carried)

    def molecules_of(self, entity_id: str) -> frozenset[str]:
        found = self.molecule_sets.get(entity_id)
        if found is None:
            e = self.m.entity_by_id.get(entity_id)
            found = self.molecule_sets[entity_id] = \
                frozenset(self.m.flat_components(e)) if e is not None else frozenset()
        return found

    def entity_type(self, entity_id: str) -> str | None:
        if entity_id in self.entity_types:
            return self.entity_types[entity_id]
        e = self.m.entity_by_id.get(entity_id)
        found = self.entity_types[entity_id] = self.m.entity_type(e) if e is not None else None
        return found

    def reaction(self, r: Reaction) -> None:
        cls = REACTION_CLASSES[r.type]
        el = self.new(cls, self.base + r.id)
        carried: dict = {}
        self.lit(el, "displayName", r.name if r.name is not None else r.id)
        if r.name is None:
            carried["name"] = None
        self.ref(el, "dataSource", self.provenance)
        reactants = [(p.entity, p.stoichiometry) for p in r.reactants]
        products = [(p.entity, p.stoichiometry) for p in r.products]
        if cls in INTERACTION_CLASSES:
            direction, left, right = None, [], []
            for ent in r.participants:
                self.ref(el, "participant", self.base + ent)
        elif cls == "TemplateReaction":
            direction = None
            if r.template is not None:
                self.ref(el, "template", self.base + r.template)
            for ent in dict.fromkeys(e for e, _ in products):
                self.ref(el, "product", self.base + ent)
            if reactants:
                carried["reactants"] = [list(p) for p in reactants]
            if len(set(e for e, _ in products)) != len(products) or any(s != 1 for _, s in products):
                carried["products"] = [list(p) for p in products]
            if r.reversible:
                carried["reversible"] = True
            left, right = [], products
        else:
            if r.template is not None:
                carried["template"] = r.template
            if r.type == "dissociation":
                left, right = products, reactants
                direction = REVERSIBLE if r.reversible else R2L
            elif r.type == "degradation":
                left, right, direction = reactants, products, L2R
                if r.reversible:
                    carried["reversible"] = True
            else:
                left, right = reactants, products
                direction = REVERSIBLE if r.reversible else L2R
            for ent in dict.fromkeys(e for e, _ in left):
                self.ref(el, "left", self.base + ent)
            for ent in dict.fromkeys(e for e, _ in right):
                self.ref(el, "right", self.base + ent)
            coefficients: dict[str, float] = {}
            ambiguous = (len({e for e, _ in left}) != len(left) or len({e for e, _ in right}) != len(right))
            for ent, s in left + right:
                if coefficients.setdefault(ent, s) != s:
                    ambiguous = True
            if ambiguous:
                carried["reactants"] = [list(p) for p in reactants]
                carried["products"] = [list(p) for p in products]
            for ent, s in coefficients.items():
                self.ref(el, "participantStoichiometry", self.stoichiometry(ent, s))
            if r.direction_unknown:
                direction = None  # the reader then takes left to right, as BioPAX readers do
            else:
                self.lit(el, "conversionDirection", direction)
            if r.spontaneous is not None:
                self.lit(el, "spontaneous", "true" if r.spontaneous else "false", "boolean")
        if r.spontaneous is not None and cls not in CONVERSION_CLASSES:
            carried["spontaneous"] = r.spontaneous
        if cls == "BiochemicalReaction":
            for number in r.ec_numbers:
                self.lit(el, "eCNumber", number)
        elif r.ec_numbers:
            carried["ec_numbers"] = list(r.ec_numbers)
        inferred = infer_reaction_type(
            cls, direction, [self.molecules_of(e) for e, _ in left], [self.molecules_of(e) for e, _ in right],
            self.entity_type(r.template) if r.template else None,
            [self.entity_type(e) for e, _ in products])
        if inferred != r.type:
            carried["type"] = r.type
        for x in r.xrefs:
            self.ref(el, "xref", self.relationship(x, "see-also"))
        self.database_xrefs(el, r.database_xrefs)
        self.evidence(el, r.evidence)
        self.comments(el, r.description, carried)
        for i, control in enumerate(r.controls):
            self.control(control, cls, self.base + r.id, r.name or r.id, (r.id, i))
        if r.enzyme is not None:
            self.enzyme(r, cls)

    def control(self, control: Control, target_cls: str | None, target: str | None, target_name: str,
                key: tuple) -> None:
        """A control of ``target`` (a reaction, another control, or nothing), then its own controls."""
        if target_cls == "TemplateReaction":
            cls = "TemplateReactionRegulation"
        elif target_cls == "Catalysis":
            cls = "Modulation"  # the class BioPAX has for a control of a catalysis
        elif target_cls in CONTROL_CLASSES:
            cls = "Control"
        else:
            cls = "Catalysis" if control.type == "catalysis" else "Control"
        uri = self.control_uri(control, key)
        el = self.new(cls, uri)
        carried: dict = {}
        if control.name is not None:
            self.lit(el, "displayName", control.name)
            carried["name"] = control.name
        else:
            controller = self.m.entity_by_id.get(control.controller) if control.controller else None
            label = (controller.name if controller is not None and controller.name else control.controller)
            self.lit(el, "displayName", f"{label} {control.type} of {target_name}")
        self.ref(el, "dataSource", self.provenance)
        if control.type != "control":  # a control of no stated effect has no controlType
            self.lit(el, "controlType", CONTROL_MECHANISMS_OUT.get((control.type, control.mechanism))
                     or CONTROL_TYPES_OUT[control.type])
        if control.mechanism is not None and (control.type, control.mechanism) not in CONTROL_MECHANISMS_OUT:
            carried["mechanism"] = control.mechanism
        for controller in ((control.controller,) if control.controller else ()) + control.more_controllers:
            self.ref(el, "controller", self.base + controller)
        if control.controller is None and control.more_controllers:
            carried["controller"] = None
        if target is not None:
            self.ref(el, "controlled", target)
        if cls == "Catalysis":
            for cofactor in control.cofactors:
                self.ref(el, "cofactor", self.base + cofactor)
            if control.direction is not None:
                self.lit(el, "catalysisDirection", CATALYSIS_DIRECTIONS[control.direction])
        else:
            if control.cofactors:
                carried["cofactors"] = list(control.cofactors)
            if control.direction is not None:
                carried["direction"] = control.direction
        for x in control.xrefs:
            self.ref(el, "xref", self.relationship(x, "see-also"))
        self.evidence(el, control.evidence)
        if cls in ("TemplateReactionRegulation", "Modulation") and control.type == "catalysis":
            carried["type"] = "catalysis"
        self.comments(el, control.description, carried)
        for i, sub in enumerate(control.controls):
            self.control(sub, cls, uri, control.name or control.controller or "control", key + (i,))

    def control_uri(self, control: Control, key: tuple) -> str:
        """``<base><id>`` for a control with an id, else a helper URI from its place in the model."""
        return self.base + control.id if control.id is not None else helper_uri(self.base, "Control", *key)

    def control_uris(self, control: Control, key: tuple) -> Iterator[str]:
        """URIs of a control and of the controls of it, in document order."""
        yield self.control_uri(control, key)
        for i, sub in enumerate(control.controls):
            yield from self.control_uris(sub, key + (i,))

    def default_components(self, p: Pathway) -> Iterator[str]:
        """URIs of what a pathway lists unless it says otherwise: its steps, then their controls."""
        for rid in dict.fromkeys(p.steps):
            yield self.base + rid
        for rid in dict.fromkeys(p.steps):  # the controls of its reactions belong to it too
            for i, control in enumerate(self.m.reaction_by_id[rid].controls):
                yield from self.control_uris(control, (rid, i))
            if self.m.reaction_by_id[rid].enzyme is not None:
                yield helper_uri(self.base, "Enzyme", rid)

    def enzyme(self, r: Reaction, reaction_cls: str) -> None:
        """A ``Catalysis`` by the reactant that holds the enzyme, the enzyme carried by id.

        BioPAX controllers are whole physical entities, so the controller is the reactant
        complex itself; Paxtools reads such a control as "controller is also an input"
        (its controls-state-change pattern for enzyme:substrate complexes) and names every
        gene that leaves the step still bound to the holder as acting on the changed one.
        Of a reversible step, the catalysis is of the forward direction (Paxtools reads no
        input side of a reversible conversion otherwise).
        """
        holder = self.m.enzyme_holder(r)
        cls = "TemplateReactionRegulation" if reaction_cls == "TemplateReaction" else "Catalysis"
        el = self.new(cls, helper_uri(self.base, "Enzyme", r.id))
        enzyme = self.m.entity_by_id.get(r.enzyme)
        label = enzyme.name if enzyme is not None and enzyme.name else r.enzyme
        self.lit(el, "displayName", f"{label} catalysis of {r.name or r.id}")
        self.ref(el, "dataSource", self.provenance)
        self.lit(el, "controlType", CONTROL_TYPES_OUT["catalysis"])
        self.ref(el, "controller", self.base + (holder if holder is not None else r.enzyme))
        self.ref(el, "controlled", self.base + r.id)
        if r.reversible and cls == "Catalysis":  # the enzyme drives the step forwards
            self.lit(el, "catalysisDirection", R2L if r.type == "dissociation" else L2R)
        self.lit(el, "comment", encode_comment({"enzyme": r.enzyme}))

    def pathway(self, p: Pathway) -> None:
        el = self.new("Pathway", self.base + p.id)
        self.lit(el, "displayName", p.name)
        self.lit(el, "standardName", p.name)
        self.ref(el, "dataSource", self.provenance)
        if self.m.organism:
            self.ref(el, "organism", self.biosource(self.m.organism))
        if p.components is not None:
            for part in p.components:
                self.ref(el, "pathwayComponent", self.base + part)
            for part in p.components:  # an enzyme's catalysis goes with its reaction
                if part in self.m.reaction_by_id and self.m.reaction_by_id[part].enzyme is not None:
                    self.ref(el, "pathwayComponent", helper_uri(self.base, "Enzyme", part))
        else:
            for uri in self.default_components(p):
                self.ref(el, "pathwayComponent", uri)
        for sub in p.subpathways:
            self.ref(el, "pathwayComponent", self.base + sub)
        steps = [helper_uri(self.base, "PathwayStep", p.id, i) for i in range(len(p.steps))]
        for uri in steps:
            self.ref(el, "pathwayOrder", uri)
        for x in p.xrefs:
            self.ref(el, "xref", self.relationship(x, "see-also"))
        self.database_xrefs(el, p.database_xrefs)
        self.evidence(el, p.evidence)
        self.comments(el, p.description, {})
        for i, (uri, rid) in enumerate(zip(steps, p.steps)):
            step = self.new("PathwayStep", uri)
            self.ref(step, "stepProcess", self.base + rid)
            if i + 1 < len(steps):
                self.ref(step, "nextStep", steps[i + 1])


# --------------------------------------------------------------------------- writing text

_TEXT_ESCAPES = re.compile("[&<>\r]")
_ATTR_ESCAPES = re.compile('[&<>"\t\n\r]')
_ESCAPED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_XML_BYTES = bytes(range(0x20, 0x100)) + b"\t\n\r"
"""Bytes a UTF-8 document may hold: all but the control characters lxml refuses (surrogates
cannot be encoded at all, and U+FFFE/U+FFFF are looked for as their UTF-8 sequences)."""
_BLOCK = 1 << 14


def _blocks(pieces: Sequence[str]) -> Iterator[str]:
    """``pieces`` run together a block of :data:`_BLOCK` pieces at a time."""
    for i in range(0, len(pieces), _BLOCK):
        yield "".join(pieces[i:i + _BLOCK])


def _escaped(match: re.Match) -> str:
    return _ESCAPED[match.group()]


def _text(value: str) -> str:
    """``value`` as element text, escaped as libxml2 escapes it (``&amp; &lt; &gt; &#13;``)."""
    return _TEXT_ESCAPES.sub(_escaped, value) if _TEXT_ESCAPES.search(value) else value


def _attr(value: str) -> str:
    """``value`` as an attribute value, escaped as libxml2 escapes it (also ``&quot; &#9; &#10; &#13;``)."""
    return _ATTR_ESCAPES.sub(_escaped, value) if _ATTR_ESCAPES.search(value) else value


class _LitParts(dict):
    """(property, datatype) -> the text around a literal's value: start tag, end tag and newline."""

    def __missing__(self, key: tuple[str, str]) -> tuple[str, str]:
        prop, datatype = key
        parts = self[key] = (f'    <bp:{prop} rdf:datatype="{_attr(XSD + datatype)}">', f"</bp:{prop}>\n")
        return parts


class _RefStarts(dict):
    """property -> the text before a reference's URI."""

    def __missing__(self, prop: str) -> str:
        start = self[prop] = f'    <bp:{prop} rdf:resource="'
        return start


_LIT_PARTS = _LitParts()
_REF_STARTS = _RefStarts()


class _TextWriter(_Writer):
    """The tree writer's document written as text, byte for byte what lxml serialises.

    An object is the list of its property lines (pretty-printed, indented by four spaces); the
    document is the objects in the order they were made, each between its start and end tags
    (an object without properties is one empty-element tag, as lxml writes it).

    Values are written as they are and kept aside (``texts``, ``uris``): one search of them all
    at the end tells whether any needed escaping, far cheaper than a search of each. When one
    did, the document is written again with ``escape=True``, escaping each value.
    """

    def __init__(self, model: Model, escape: bool = False):
        self.escape = escape
        if escape:
            self.lit, self.ref = self.lit_escaped, self.ref_escaped
        super().__init__(model)

    def start(self) -> None:
        self.made: list[tuple[str, str, list[str]]] = []  # (class, URI, property lines)
        self.texts: list[str] = []
        self.uris: list[str] = []

    def new(self, cls: str, uri: str) -> list[str] | None:
        if uri in self.seen:
            return None
        self.seen.add(uri)
        lines: list[str] = []
        self.made.append((cls, uri, lines))
        return lines

    def lit(self, el, prop: str, value, datatype: str = "string") -> None:
        start, end = _LIT_PARTS[prop, datatype]
        if value.__class__ is not str:
            value = str(value)
        el.append(start + value + end)
        self.texts.append(value)

    def ref(self, el, prop: str, uri: str) -> None:
        el.append(_REF_STARTS[prop] + uri + '"/>\n')
        self.uris.append(uri)

    def lit_escaped(self, el, prop: str, value, datatype: str = "string") -> None:
        start, end = _LIT_PARTS[prop, datatype]
        el.append(start + _text(value if isinstance(value, str) else str(value)) + end)

    def ref_escaped(self, el, prop: str, uri: str) -> None:
        el.append(_REF_STARTS[prop] + _attr(uri) + '"/>\n')

    def _scan(self) -> str | None:
        """``"escape"`` when a value needs escaping, ``"refuse"`` when one holds what XML cannot
        carry (a control character, U+FFFE, U+FFFF, a lone surrogate), else ``None``.

        The values are searched a block at a time: one substring search per character and
        block (a scan at memory speed, where a pattern's character class steps through the
        text one character at a time), without ever holding them all run together (a large
        fresh buffer costs more to fault in than to search).
        """
        for specials, pieces in (("&<>\r", self.texts),
                                 ('&<>"\t\n\r', (*self.uris, *self.seen, self.base))):
            for block in _blocks(pieces):
                if any(c in block for c in specials):
                    return "escape"  # the escaped document is searched for what XML refuses
                # the markup around the values is ours: only a value can hold what XML refuses
                if block.isascii():
                    data = block.encode("ascii")
                else:
                    if "\ufffe" in block or "\uffff" in block:
                        return "refuse"
                    try:
                        data = block.encode("utf-8")
                    except UnicodeEncodeError:  # a surrogate
                        return "refuse"
                if data.translate(None, _XML_BYTES):
                    return "refuse"  # a control character
        return None

    def document(self) -> bytes | None:
        """The document, or ``None`` when the model holds a character XML cannot carry."""
        self.objects()
        if not self.escape:
            verdict = self._scan()
            if verdict == "escape":
                return _TextWriter(self.m, escape=True).document()
            if verdict == "refuse":
                return None
        base = _attr(self.base)
        out = [
            "<?xml version='1.0' encoding='UTF-8'?>\n",
            f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:rdfs="{RDFS}" xmlns:owl="{OWL}" xmlns:xsd="{XSD}" '
            f'xmlns:bp="{BP}" xml:base="{base}">\n',
            f'  <owl:Ontology rdf:about="{base}">\n',
            f'    <owl:imports rdf:resource="{BP[:-1]}"/>\n',
            "  </owl:Ontology>\n",
        ]
        append, extend = out.append, out.extend
        escape = self.escape
        for cls, uri, lines in self.made:
            if escape:
                uri = _attr(uri)
            if lines:
                append(f'  <bp:{cls} rdf:about="{uri}">\n')
                extend(lines)
                append(f"  </bp:{cls}>\n")
            else:
                append(f'  <bp:{cls} rdf:about="{uri}"/>\n')
        append("</rdf:RDF>\n")
        # encoded a block at a time, then joined once: the bytes without the whole text first
        chunks = []
        for block in _blocks(out):
            try:
                chunk = block.encode("utf-8")
            except UnicodeEncodeError:  # a surrogate
                return None
            if escape and (chunk.translate(None, _XML_BYTES) or b"\xef\xbf\xbe" in chunk
                           or b"\xef\xbf\xbf" in chunk):
                # a control character, U+FFFE or U+FFFF (values escaped one by one were not
                # searched); a character's bytes never straddle two blocks
                return None
            chunks.append(chunk)
        return b"".join(chunks)
