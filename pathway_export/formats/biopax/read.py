"""Reading BioPAX Level 3 RDF/XML into the canonical model.

The document is parsed once (secure lxml settings: no DTD, no entities, no network), every
object indexed by its URI, every reference checked, and only then turned into a model, so
each lookup is a dictionary access. Our own documents come back exactly as written (ids from
URIs, carried comments applied; see :mod:`.terms`); documents from elsewhere are read
as far as the canonical model can hold them:

* ids are derived from URIs (compartments from their terms), made valid and unique in
  document order;
* what the model cannot hold is refused with :class:`~pathway_export.errors.UnsupportedFeatureError`
  naming the BioPAX class and URI: Level 1/2 documents, generic entities
  (``memberPhysicalEntity``, plain ``PhysicalEntity``, complexes without components),
  interactions other than conversions and template reactions, ``Modulation`` and controls
  of controls or by pathways, features other than modifications and our binding pairs;
* details the model has no place for (chemical structures, free energies, EC numbers,
  scores, comments of controls, xrefs of databases the bioregistry does not know) are left
  out, and named: every property of the document that the reader did not take is counted by
  class and property (:func:`left_out`) and reported as one warning; with ``strict=True`` the
  first such property, or an xref or evidence that cannot be held, is refused instead.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Callable
from urllib.parse import unquote


from ...collector import paused as collector_paused
from ...errors import FormatError, Problem, UnsupportedFeatureError
from ...model import (
    INTERACTION_TYPES, Annotations, Compartment, Component, Control, Entity, Evidence, Feature, Model, Modification, Molecule,
    Participant, Pathway, Person, Publication, Reaction, Xref,
)
from .terms import (
    BASE_PREFIX, CATALYSIS_DIRECTIONS, CONTROL_CLASSES, CONTROL_MECHANISMS_IN, CONVERSION_CLASSES,
    ENTITY_CLASS_TYPES, FEATURE_KINDS, INTERACTION_CLASSES, INTERACTION_KINDS, L2R, MODIFICATION_TERMS, R2L,
    PRIMARY_XREFS, REFERENCE_TYPES, REVERSIBLE, curie_of, decode_comment, prefix_of,
)
from .rdfxml import Document, Node, Ref, parse_document

log = logging.getLogger(__name__)

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH_HEAD = re.compile(r"^(\w+)\[(\d+)\]")
_UNSET = object()


# --------------------------------------------------------------------------- reaction kinds

def infer_reaction_type(cls: str, direction: str | None, left: list[frozenset], right: list[frozenset],
                        template_type: str | None, product_types: list[str | None]) -> str:
    """The canonical reaction kind a BioPAX interaction says by its own terms.

    ``left``/``right`` hold the molecules of each participant (complexes expanded). The writer
    carries the kind in a comment only where this disagrees with the model.
    """
    if cls in INTERACTION_KINDS:
        return INTERACTION_KINDS[cls]
    if cls == "ComplexAssembly":
        return "dissociation" if direction == R2L else "binding"
    if cls in ("Transport", "TransportWithBiochemicalReaction"):
        return "transport"
    if cls == "Degradation":
        return "degradation"
    if cls == "TemplateReaction":
        if template_type == "rna":
            return "translation"
        if template_type in ("gene", "dna") and product_types and all(t == "rna" for t in product_types):
            return "transcription"
        return "gene_expression"
    lefts = frozenset().union(*left) if left else frozenset()
    rights = frozenset().union(*right) if right else frozenset()
    return "state_change" if lefts and lefts == rights else "conversion"


# --------------------------------------------------------------------------- model building

def from_biopax(data: bytes, source: str = "<bytes>", strict: bool = False) -> Model:
    """Read a BioPAX Level 3 document into a canonical model (see the module notes).

    A document from elsewhere must also make a valid canonical model (no complex that holds
    itself, no degradation with products ...): its problems are raised as one
    :class:`FormatError`.
    """
    with collector_paused():
        doc = parse_document(data, source)
        reader = _Reader(doc, strict)
        model = reader.model()
    if not reader.own:
        _report_left_out(doc, source, strict)
        from ... import canonical

        problems = canonical.check(model)
        # SBML allows a reaction without participants; a BioPAX conversion converts something
        problems += [Problem("a conversion with no participants", where=f"reactions[{i}]",
                             hint="give it a left or right participant")
                     for i, r in enumerate(model.reactions)
                     if not r.reactants and not r.products and r.type not in INTERACTION_TYPES
                     and r.template is None]
        if problems:
            raise FormatError([reader.locate(model, p, source) for p in problems], source)
    return model


def left_out(doc: Document) -> Counter[tuple[str, str]]:
    """``(class, property)`` pairs present in the document that the reader did not take, with counts."""
    return Counter((node.cls, prop) for node in doc.nodes.values() for prop in node.unread())


def _report_left_out(doc: Document, source: str, strict: bool) -> None:
    """Never drop silently: name what the canonical model had no place for (``strict``: refuse it)."""
    counts = left_out(doc)
    if not counts:
        return
    if strict:
        (cls, prop), _ = counts.most_common(1)[0]
        node = next(n for n in doc.nodes.values() if n.cls == cls and prop in n.unread())
        raise UnsupportedFeatureError(f"BioPAX property {cls}.{prop}", element=node.uri,
                                      hint="the canonical model has no place for it; import without "
                                           "strict mode to leave such properties out with a warning")
    listed = ", ".join(f"{cls}.{prop} x{n}" for (cls, prop), n in sorted(counts.items()))
    log.warning("%s: left out %d BioPAX property value(s) the canonical model has no place for: %s",
                source, sum(counts.values()), listed)


def _control_ids(control: Control) -> list[str | None]:
    """Ids of a control and of the controls of it, in the order the writer lists them."""
    out = [control.id]
    for sub in control.controls:
        out += _control_ids(sub)
    return out


def _sanitize(text: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    if not ident:
        ident = "x"
    if not re.match(r"[A-Za-z_]", ident[0]):
        ident = "_" + ident
    return ident


def _local(uri: str) -> str:
    tail = re.split(r"[#/]", uri.rstrip("/#"))[-1]
    return unquote(tail)


class _Reader:
    def __init__(self, doc: Document, strict: bool):
        self.doc = doc
        self.nodes = doc.nodes
        self.strict = strict
        self.own = doc.base.startswith(BASE_PREFIX) and doc.base.endswith("/")
        self.ids: dict[str, str] = {}
        self.taken: set[str] = set()
        self.suffixes: dict[str, int] = {}  # stem -> the last suffix id_for gave it
        self.compartment_of: dict[str, str] = {}
        self.free_controls: list[Control] = []  # controls of nothing
        self.feature_owner: dict[str, str] = {}
        self.curies: dict[str, str | None] = {}  # xref URI -> its CURIE (see ``curie``)
        self.decoded: dict[str, dict | None] = {}  # comment text -> its carried values

    def locate(self, model: Model, problem: Problem, source: str) -> Problem:
        """A problem of the model read, placed at the BioPAX object it comes from (its line)."""
        found = _PATH_HEAD.match(problem.where or "")
        node = None
        if found:
            items = getattr(model, found.group(1), ())
            index = int(found.group(2))
            if index < len(items):
                uris = {ident: uri for uri, ident in self.ids.items()}
                node = self.nodes.get(uris.get(getattr(items[index], "id", None), ""))
        hint = problem.hint or "the BioPAX document says this; the canonical model does not allow it"
        if node is None:
            return replace(problem, source=source, hint=hint)
        return replace(problem, source=source, line=node.line, hint=hint,
                       where=f"<bp:{node.cls} {node.uri}> ({problem.where})")

    def curie(self, uri: str) -> str | None:
        """The CURIE of the xref at ``uri`` (its ``db``/``id``), worked out once per xref."""
        curie = self.curies.get(uri, _UNSET)
        if curie is _UNSET:
            x = self.nodes[uri]
            curie = self.curies[uri] = curie_of(x.lit("db"), x.lit("id"))
        return curie

    # ---- helpers
    def unsupported(self, what: str, node: Node, hint: str = "") -> UnsupportedFeatureError:
        return UnsupportedFeatureError(f"{what} (BioPAX {node.cls})", element=node.uri, hint=hint)

    def id_for(self, uri: str, hint: str | None = None) -> str:
        ident = self.ids.get(uri)
        if ident is not None:
            return ident
        if self.own and uri.startswith(self.doc.base) and _ID.match(uri[len(self.doc.base):]):
            ident = uri[len(self.doc.base):]
        else:
            ident = _sanitize(hint if hint else _local(uri))
            stem, n = ident, self.suffixes.get(ident, 1)
            while ident in self.taken:
                n += 1
                ident = f"{stem}_{n}"
            # ids are only ever added: the suffixes below n stay taken, so the next search for
            # this stem starts at n (helper URIs share local names: Control/<reaction>/0 ...)
            self.suffixes[stem] = n
        self.ids[uri] = ident
        self.taken.add(ident)
        return ident

    def carried(self, node: Node) -> tuple[str | None, dict]:
        texts = node.lits("comment")
        if not texts:
            return None, {}
        free, carried = [], {}
        decoded = self.decoded
        for text in texts:
            # many objects carry the same comment ({"active": true} ...): each text decoded once;
            # the decoded values are only copied from, never changed
            values = decoded.get(text, _UNSET)
            if values is _UNSET:
                values = decoded[text] = decode_comment(text)
            if values is None:
                free.append(text)
            else:
                carried.update(values)
        description = "\n".join(free) if free else None
        if "description" in carried:
            description = carried.pop("description")
        return description, carried

    def name(self, node: Node) -> str | None:
        return node.lit("displayName") or node.lit("standardName") or (node.lits("name") or [None])[0]

    def xrefs(self, node: Node) -> tuple[list[str], list[Evidence]]:
        """CURIEs of a node's unification/relationship xrefs; its publication xrefs as evidence."""
        curies, identities, evidence = [], [], []
        for uri in node.refs("xref"):
            x = self.nodes[uri]
            curie = self.curie(uri)
            if x.cls == "PublicationXref":
                if curie is not None:
                    evidence.append(Evidence(curie))
                elif self.strict:
                    raise self.unsupported("a publication without a database id", x)
                continue
            if curie is None:
                if self.strict:
                    raise self.unsupported(f"an xref to an unknown database {x.lit('db')!r}", x)
                continue
            (identities if x.cls == "UnificationXref" and not self.own else curies).append(curie)
        # elsewhere the identity may come after other xrefs; ours lists it first, as we write it
        return identities + curies, evidence

    def database_xrefs(self, node: Node) -> tuple[Xref, ...]:
        """A node's unification and relationship xrefs to databases the registry does not know."""
        out = []
        for uri in node.refs("xref"):
            x = self.nodes[uri]
            if x.cls != "PublicationXref" and self.curie(uri) is None and (x.lit("db") or x.lit("id")):
                out.append(Xref((x.lit("db") or "").strip(), (x.lit("id") or "").strip(), x.cls == "UnificationXref"))
        return tuple(out)

    def identities(self, node: Node, curies: list[str], kind: str) -> tuple[str, ...] | None:
        """The CURIEs of a reference's unification xrefs, or ``None`` where they are what the
        writer makes of ``curies`` anyway (the first xref of the kind's own database)."""
        found = tuple(dict.fromkeys(c for uri in node.refs("xref") if self.nodes[uri].cls == "UnificationXref"
                                    for c in [self.curie(uri)] if c is not None))
        primary = next((x for x in curies if prefix_of(x) in PRIMARY_XREFS[kind]), None)
        return None if found == ((primary,) if primary else ()) else found

    def evidence(self, node: Node) -> tuple[Evidence, ...]:
        uris = node.refs("evidence")
        if not uris:
            return ()
        out = []
        nodes, curie = self.nodes, self.curie
        for uri in uris:
            ev = nodes[uri]
            publications = [curie(x) for x in ev.refs("xref") if nodes[x].cls == "PublicationXref"]
            publications = [p for p in publications if p]
            if not publications:
                if self.strict:
                    raise self.unsupported("evidence without a publication", ev)
                continue
            eco = None
            for code in ev.refs("evidenceCode"):
                vocab = self.nodes[code]
                for x in vocab.refs("xref"):
                    code_curie = curie(x)
                    if code_curie and code_curie.startswith("ECO:"):
                        eco = code_curie
                if eco is None:
                    term = vocab.lit("term") or ""
                    eco = curie_of("ECO", term) if term.upper().startswith("ECO:") else None
            note, carried = self.carried(ev)
            note = carried.get("note", note)
            eco = carried.get("eco", eco)  # ECO's root term written for evidence without a code
            out.append(Evidence(publications[0], eco, note, tuple(dict.fromkeys(publications[1:]))))
        return tuple(out)

    def organism(self, node: Node) -> str | None:
        for uri in node.refs("organism"):
            for x in self.nodes[uri].refs("xref"):
                curie = self.curie(x)
                if curie and curie.startswith("NCBITaxon:"):
                    return curie
        return None

    # ---- model parts
    def model(self) -> Model:
        compartments = self.compartments()
        molecules = self.molecules()
        entities = self.entities()
        reactions = self.reactions(entities, molecules)
        pathways = self.pathways(reactions)
        return self.whole(compartments, molecules, entities, reactions, pathways)

    def publications(self) -> list[Publication]:
        """Details of the document's publications, and the publications nothing cites."""
        cited = {v.uri for node in self.nodes.values() for values in node.props.values()
                 for v in values if v.__class__ is Ref}
        out, seen = [], set()
        for node in self.doc.of("PublicationXref"):
            curie = self.curie(node.uri)
            if curie is None or curie in seen:
                continue
            year = node.lit("year")
            try:
                year_value = int(year.strip()) if year is not None else None
            except ValueError:
                raise FormatError([Problem(f"year {year!r} is not a number", where=f"<bp:{node.cls} {node.uri}>",
                                           line=node.line, source=self.doc.source)], self.doc.source) from None
            publication = Publication(curie, node.lit("title"), tuple(node.lits("author")), year_value,
                                      tuple(node.lits("source")), tuple(node.lits("url")))
            if publication.detailed or node.uri not in cited:
                seen.add(curie)
                out.append(publication)
        return out

    def whole(self, compartments, molecules, entities, reactions, pathways) -> Model:
        provenance = None
        if self.own:
            provenance = self.nodes.get(self.doc.base + "Provenance")
        description, carried, references = None, {}, []
        if provenance is not None:
            name = provenance.lit("displayName") or provenance.lit("standardName") or ""
            description, carried = self.carried(provenance)
            _, pubs = self.xrefs(provenance)
            references = [e.reference for e in pubs]
            model_id = self.doc.base[len(BASE_PREFIX):-1]
        else:
            stem = Path(self.doc.source).name.split(".")[0] if self.doc.source != "<bytes>" else "biopax_model"
            model_id = self.id_for("urn:pathway-export:model", stem)  # unique among the object ids
            for node in self.doc.of("Provenance"):
                references += [e.reference for e in self.xrefs(node)[1] if e.reference not in references]
            roots = [p for p in pathways if not any(p.id in q.subpathways for q in pathways)]
            name = roots[0].name if roots else (model_id)
        organism = carried.get("organism")
        if provenance is None:
            for node in self.doc.of("Pathway"):
                organism = self.organism(node)
                if organism:
                    break
        annotations = Annotations(**{k: tuple(v) for k, v in carried.get("annotations", {}).items()})
        authors = tuple(Person(**p) for p in carried.get("authors", ()))
        return Model(
            id=model_id, name=name, version=carried.get("version"), description=description,
            organism=organism, authors=authors, license=carried.get("license"),
            created=carried.get("created"), modified=carried.get("modified"),
            references=tuple(references), annotations=annotations,
            compartments=tuple(compartments), molecules=tuple(molecules), entities=tuple(entities),
            reactions=tuple(reactions), pathways=tuple(pathways), controls=tuple(self.free_controls),
            publications=tuple(self.publications()))

    def compartments(self) -> list[Compartment]:
        out: list[Compartment] = []
        by_key: dict[tuple, str] = {}
        for node in self.doc.of("CellularLocationVocabulary"):
            term = node.lit("term")
            curies, _ = self.xrefs(node)
            go = next((c for c in curies if c.startswith("GO:")), None)
            _, carried = self.carried(node)
            key = (node.uri,) if self.own else (term, go)
            if key in by_key:
                self.compartment_of[node.uri] = by_key[key]
                continue
            ident = self.id_for(node.uri, hint=term or (go and go.replace(":", "_")))
            by_key[key] = self.compartment_of[node.uri] = ident
            out.append(Compartment(ident, name=carried.get("name", term), go=go, parent=carried.get("parent")))
        return out

    def compartment(self, node: Node) -> str | None:
        """The compartment of an entity's ``cellularLocation``; ``None`` where it states none."""
        locations = node.refs("cellularLocation")
        if locations:
            target = self.nodes[locations[0]]
            if target.uri not in self.compartment_of:
                raise self.unsupported(f"a cellular location of class {target.cls}", node)
            return self.compartment_of[target.uri]
        return None

    def molecules(self) -> list[Molecule]:
        out = []
        for node in self.nodes.values():
            if node.cls not in REFERENCE_TYPES:
                continue
            for f in node.refs("entityFeature"):
                self.feature_owner.setdefault(f, node.uri)
            display, standard, names = node.lit("displayName"), node.lit("standardName"), node.lits("name")
            ident = self.id_for(node.uri)
            if self.own:  # our convention: standardName = name, displayName = symbol
                name, symbol = standard if standard is not None else (display or ident), display
            else:
                name, symbol = display or standard or (names[0] if names else ident), None
                if standard is not None and standard != name and standard not in names:
                    names = [standard] + names
            description, carried = self.carried(node)
            curies, pubs = self.xrefs(node)
            derived = set(carried.get("derived_xrefs", ()))
            curies = [c for c in curies if c not in derived]
            organism = carried.get("organism", self.organism(node))
            weight = node.lit("molecularWeight")
            identities = self.identities(node, curies, REFERENCE_TYPES[node.cls])
            if self.own:
                identities = carried.get("identities")
                identities = tuple(identities) if identities is not None else None
            out.append(Molecule(
                ident, REFERENCE_TYPES[node.cls], name, symbol=carried.get("symbol", symbol),
                synonyms=tuple(names), xrefs=tuple(curies), organism=organism, description=description,
                evidence=tuple(pubs) + self.evidence(node),
                members=tuple(self.id_for(m) for m in node.refs("memberEntityReference")),
                formula=carried.get("formula", node.lit("chemicalFormula")),
                molecular_weight=carried.get("molecular_weight", self.number(node, "molecularWeight", weight)),
                sequence=carried.get("sequence", node.lit("sequence")), identities=identities,
                database_xrefs=self.database_xrefs(node)))
        return out

    def number(self, node: Node, prop: str, text: str | None) -> float | None:
        if text is None:
            return None
        try:
            return float(text)
        except ValueError:
            raise FormatError([Problem(f"{prop} {text!r} is not a number", where=f"<bp:{node.cls} {node.uri}>",
                                       line=node.line, source=self.doc.source)], self.doc.source) from None

    def entities(self) -> list[Entity]:
        out = []
        for node in self.nodes.values():
            if node.cls not in ENTITY_CLASS_TYPES:
                continue
            ident = self.id_for(node.uri)
            description, carried = self.carried(node)
            curies, pubs = self.xrefs(node)
            common = dict(id=ident, compartment=self.compartment(node), name=carried.get("name", self.name(node)),
                          xrefs=tuple(curies), active=carried.get("active"), description=description,
                          evidence=tuple(pubs) + self.evidence(node), database_xrefs=self.database_xrefs(node))
            modifications, bound, active, features = self.features(node)
            if active is not None and "active" not in carried:
                common["active"] = active
            common["members"] = tuple(self.id_for(m) for m in node.refs("memberPhysicalEntity"))
            common["features"] = features
            for m in node.refs("memberPhysicalEntity"):
                if self.nodes[m].cls not in ENTITY_CLASS_TYPES:
                    raise self.unsupported(f"a member of class {self.nodes[m].cls}", node)
            if node.cls == "Complex":
                components = node.refs("component")
                if not components:
                    out.append(Entity(**common, type="complex", modifications=modifications, bound=bound))
                    continue
                counts: dict[str, float] = {}
                for s in node.refs("componentStoichiometry"):
                    st = self.nodes[s]
                    for pe in st.refs("physicalEntity"):
                        counts[pe] = self.coefficient(st)
                parts = []
                for c in components:
                    if self.nodes[c].cls not in ENTITY_CLASS_TYPES:
                        raise self.unsupported(f"a complex component of class {self.nodes[c].cls}", node)
                    count = counts.get(c, 1.0)
                    if count != int(count) or count < 1:
                        raise self.unsupported(f"a complex component count of {count}", node)
                    parts.append(Component(self.id_for(c), int(count)))
                out.append(Entity(**common, components=tuple(parts), modifications=modifications, bound=bound))
                continue
            refs = node.refs("entityReference")
            if refs:
                ref = self.nodes[refs[0]]
                if ref.cls not in REFERENCE_TYPES:
                    raise self.unsupported(f"an entity reference of class {ref.cls}", node)
                out.append(Entity(**common, molecule=self.id_for(ref.uri), modifications=modifications,
                                  bound=bound))
            else:  # a protein (or other) whose molecule is not named, or a plain physical entity
                out.append(Entity(**common, type=ENTITY_CLASS_TYPES[node.cls], modifications=modifications,
                                  bound=bound))
        return out

    def coefficient(self, node: Node) -> float:
        text = node.lit("stoichiometricCoefficient")
        try:
            return float(text) if text is not None else 1.0
        except ValueError:
            raise FormatError([Problem(f"stoichiometricCoefficient {text!r} is not a number",
                                       where=f"<bp:{node.cls} {node.uri}>", line=node.line,
                                       source=self.doc.source)], self.doc.source) from None

    def features(self, node: Node) -> tuple[tuple[Modification, ...], tuple[str, ...], bool | None,
                                             tuple[Feature, ...]]:
        """A physical entity's features: PSI-MOD modifications at a residue, small molecules bound
        through a pair of binding features (as we write them), an "active"/"inactive" term, and
        every other feature (or feature the entity lacks) as a :class:`Feature`."""
        mods, bound, active, features = [], [], None, []
        for prop in ("feature", "notFeature"):
            absent = prop == "notFeature"
            for uri in node.refs(prop):
                f = self.nodes[uri]
                kind = FEATURE_KINDS.get(f.cls)
                if kind is None:
                    raise self.unsupported(f"a {prop} of class {f.cls}", f)
                mod_type, term = self.modification_type(f)
                start, end = self.location(f)
                description, carried = self.carried(f)
                if carried.get("end_only"):
                    start, end = None, start
                if kind == "modification" and not absent:
                    if mod_type is None and term and term.lower() in ("active", "inactive") and start is None:
                        active = term.lower() == "active"
                        continue
                    if mod_type is not None and mod_type.startswith("MOD:") and end is None and description is None and (
                            term is None or term == MODIFICATION_TERMS.get(mod_type, mod_type) or not self.own):
                        mods.append(Modification(mod_type, carried.get("residue"), start))
                        continue
                if kind == "binding" and not absent and not f.refs("modificationType") and start is None:
                    partners = [self.feature_owner.get(b) for b in f.refs("bindsTo")]
                    partners = [p for p in partners if p is not None]
                    if partners and self.nodes[partners[0]].cls == "SmallMoleculeReference":
                        bound.append(self.id_for(partners[0]))
                        continue
                if mod_type is not None and term == MODIFICATION_TERMS.get(mod_type, mod_type):
                    term = None
                features.append(Feature(kind, mod_type, term, start, end, absent, description))
        return tuple(mods), tuple(bound), active, tuple(features)

    def modification_type(self, f: Node) -> tuple[str | None, str | None]:
        """The ontology CURIE (PSI-MOD first, else the vocabulary's unification xref, else
        ``None``) and the words of a feature's modification type."""
        mod_type, term = None, None
        for v in f.refs("modificationType"):
            vocab = self.nodes[v]
            term = vocab.lit("term")
            term = term.strip() if term is not None else None
            found = [self.curie(x) for x in vocab.refs("xref") if self.nodes[x].cls == "UnificationXref"]
            found = [c for c in found if c]
            mod_type = next((c for c in found if c.startswith("MOD:")), found[0] if found else None)
            if mod_type is None and term and term.upper().startswith("MOD:"):
                mod_type = curie_of("MOD", term)
        return mod_type, term

    def location(self, f: Node) -> tuple[int | None, int | None]:
        """``(position, end)`` of a feature: a site gives its position, an interval both ends."""
        for loc in f.refs("featureLocation"):
            site = self.nodes[loc]
            if site.cls == "SequenceSite":
                return self.position(site), None
            if site.cls == "SequenceInterval":
                begin = [self.position(self.nodes[s]) for s in site.refs("sequenceIntervalBegin")]
                end = [self.position(self.nodes[s]) for s in site.refs("sequenceIntervalEnd")]
                return (begin[0] if begin else None), (end[0] if end else None)
            raise self.unsupported(f"a feature location of class {site.cls}", site)
        return None, None

    def position(self, site: Node) -> int | None:
        text = site.lit("sequencePosition")
        if text is None:
            return None
        try:
            value = int(text.strip())
        except ValueError:
            raise self.unsupported(f"a sequence position {text!r}", site) from None
        return value

    def reactions(self, entities: list[Entity], molecules: list[Molecule]) -> list[Reaction]:
        entity_by_id = {e.id: e for e in entities}
        mol_type = {m.id: m.type for m in molecules}
        memo: dict[str, frozenset] = {}

        def mols(eid: str, depth: int = 0) -> frozenset:
            if eid in memo:
                return memo[eid]
            e = entity_by_id.get(eid)
            if e is None or depth > 50:
                return frozenset()
            value = frozenset([e.molecule]) if e.molecule else frozenset().union(
                *(mols(c.entity, depth + 1) for c in e.components))
            memo[eid] = value
            return value

        def etype(eid: str | None) -> str | None:
            e = entity_by_id.get(eid) if eid else None
            return None if e is None else (mol_type.get(e.molecule) if e.molecule else "complex")

        by_uri: dict[str, Reaction] = {}
        order: list[str] = []
        for node in self.nodes.values():
            if node.cls in CONVERSION_CLASSES or node.cls == "TemplateReaction" or node.cls in INTERACTION_CLASSES:
                by_uri[node.uri] = self.reaction(node, mols, etype)
                order.append(node.uri)
        self.enzyme_catalyses = [n.uri for n in self.nodes.values()
                                 if n.cls in CONTROL_CLASSES and "enzyme" in self.carried(n)[1]]
        roots = self.control_tree()
        controls: dict[str, list[Control]] = {}
        enzymes: dict[str, str] = {}  # reaction URI -> the enzyme our writer's catalysis names
        for uri in self.enzyme_catalyses:
            reaction, enzyme = self.enzyme(self.nodes[uri], by_uri)
            enzymes[reaction] = enzyme
        for uri, control in roots:
            target = self.nodes[uri].refs("controlled")
            if not target:
                self.free_controls.append(control)
            for t in target:
                if t not in by_uri:
                    raise self.unsupported(f"a control of a {self.nodes[t].cls}", self.nodes[uri],
                                           "the canonical model controls reactions and other controls")
                controls.setdefault(t, []).append(control)
        out = []
        for uri in order:
            r = by_uri[uri]
            if uri in controls:
                r = replace(r, controls=tuple(controls[uri]))
            if uri in enzymes:
                r = replace(r, enzyme=enzymes[uri])
            out.append(r)
        return out

    def enzyme(self, node: Node, reactions: dict[str, Reaction]) -> tuple[str, str]:
        """``(reaction URI, enzyme id)`` of the catalysis our writer makes of a reaction's enzyme
        (a carried ``enzyme`` naming it)."""
        _, carried = self.carried(node)
        controlled = node.refs("controlled")
        if len(controlled) != 1 or controlled[0] not in reactions:
            raise self.unsupported("an enzyme catalysis that does not control exactly one reaction", node)
        return controlled[0], carried["enzyme"]

    def control_tree(self) -> list[tuple[str, Control]]:
        """Every control that controls no other control, with the controls of it nested inside."""
        children: dict[str, list[str]] = {}
        roots: list[str] = []
        enzymes = set(self.enzyme_catalyses)
        for node in self.nodes.values():
            if node.cls not in CONTROL_CLASSES or node.uri in enzymes:
                continue
            targets = node.refs("controlled")
            if any(self.nodes[t].cls in CONTROL_CLASSES for t in targets):
                for t in targets:
                    if self.nodes[t].cls not in CONTROL_CLASSES:
                        raise self.unsupported("a control of a control and of a process at once", node)
                    children.setdefault(t, []).append(node.uri)
            else:
                roots.append(node.uri)
        done: set[str] = set()

        def build(uri: str, path: tuple[str, ...]) -> Control:
            if uri in path:
                raise self.unsupported("a cycle of controls (a control that controls itself)", self.nodes[uri])
            done.add(uri)
            control = self.control(self.nodes[uri])
            subs = tuple(build(c, path + (uri,)) for c in children.get(uri, ()))
            return replace(control, controls=subs) if subs else control

        out = [(uri, build(uri, ())) for uri in roots]
        for uri in children:  # controls reached from no root: a cycle
            for c in children[uri]:
                if c not in done:
                    raise self.unsupported("a cycle of controls (a control that controls itself)", self.nodes[c])
        return out

    def reaction(self, node: Node, mols: Callable, etype: Callable) -> Reaction:
        ident = self.id_for(node.uri)
        description, carried = self.carried(node)
        curies, pubs = self.xrefs(node)
        nodes, id_for = self.nodes, self.id_for
        lefts, rights, products, templates = (node.refs("left"), node.refs("right"), node.refs("product"),
                                              node.refs("template"))
        participants = node.refs("participant") if node.cls in INTERACTION_CLASSES else []
        for prop, uris in (("left", lefts), ("right", rights), ("product", products), ("template", templates),
                           ("participant", participants)):
            for uri in uris:
                if nodes[uri].cls not in ENTITY_CLASS_TYPES:
                    raise self.unsupported(f"a {prop} participant of class {nodes[uri].cls}", node)
        spontaneous = node.lit("spontaneous")
        extra = dict(
            database_xrefs=self.database_xrefs(node), participants=tuple(id_for(u) for u in participants),
            spontaneous=carried.get("spontaneous", None if spontaneous is None else
                                    spontaneous.strip().lower() in ("true", "1")),
            ec_numbers=tuple(carried.get("ec_numbers", [n.strip() for n in node.lits("eCNumber")])))
        if node.cls in INTERACTION_CLASSES:
            return Reaction(ident, carried.get("type", INTERACTION_KINDS[node.cls]),
                            name=carried.get("name", self.name(node)), xrefs=tuple(curies),
                            description=description, evidence=tuple(pubs) + self.evidence(node), **extra)
        if node.cls == "TemplateReaction":
            direction = None
            template = templates[0] if templates else None
            template = id_for(template) if template else None
            left: list[str] = []
            right = [id_for(u) for u in products]
            coefficients: dict[str, float] = {}
        else:
            stated = node.lit("conversionDirection")
            direction = (stated or L2R).strip().upper().replace("_", "-")
            extra["direction_unknown"] = stated is None
            template = None
            left = [id_for(u) for u in lefts]
            right = [id_for(u) for u in rights]
            coefficients = {}
            for s in node.refs("participantStoichiometry"):
                st = self.nodes[s]
                for pe in st.refs("physicalEntity"):
                    coefficients[self.id_for(pe)] = self.coefficient(st)
        inferred = infer_reaction_type(node.cls, direction, [mols(e) for e in left], [mols(e) for e in right],
                                       etype(template), [etype(e) for e in right])
        kind = carried.get("type", inferred)
        if direction == R2L or (node.cls == "ComplexAssembly" and kind == "dissociation"):
            left, right = right, left
        reactants = tuple(Participant(e, coefficients.get(e, 1.0)) for e in left)
        products = tuple(Participant(e, coefficients.get(e, 1.0)) for e in right)
        if "reactants" in carried:
            reactants = tuple(Participant(e, s) for e, s in carried["reactants"])
        if "products" in carried:
            products = tuple(Participant(e, s) for e, s in carried["products"])
        return Reaction(
            ident, kind, name=carried.get("name", self.name(node)),
            reversible=carried.get("reversible", direction == REVERSIBLE), reactants=reactants,
            products=products, template=carried.get("template", template), xrefs=tuple(curies),
            description=description, evidence=tuple(pubs) + self.evidence(node), **extra)

    def control(self, node: Node) -> Control:
        """One control, without the controls of it (see :meth:`control_tree`)."""
        description, carried = self.carried(node)
        controllers = node.refs("controller")
        for c in controllers:
            if self.nodes[c].cls not in ENTITY_CLASS_TYPES:
                raise self.unsupported(f"a controller of class {self.nodes[c].cls}", node)
        written = (node.lit("controlType") or "").strip().upper().replace("_", "-")
        kind, mechanism = CONTROL_MECHANISMS_IN.get(written, (None, None))
        if kind is None:
            if written.startswith("ACTIVATION"):
                kind = "activation"
            elif written.startswith("INHIBITION"):
                kind = "inhibition"
            elif not written:
                kind = "catalysis" if node.cls == "Catalysis" else "control"
            else:
                raise self.unsupported(f"a control of type {written or 'unknown'!r}", node,
                                       "set controlType to ACTIVATION or INHIBITION")
        if node.cls == "Catalysis" and kind == "activation":
            kind = "catalysis"
        direction = (node.lit("catalysisDirection") or "").strip().upper().replace("_", "-")
        directions = {v: k for k, v in CATALYSIS_DIRECTIONS.items()}
        if direction and direction not in directions:
            raise self.unsupported(f"a catalysisDirection {direction!r}", node,
                                   f"expected one of {', '.join(sorted(directions))}")
        curies, pubs = self.xrefs(node)
        ids = [self.id_for(c) for c in controllers]
        controller = carried.get("controller", ids[0] if ids else None)
        more = ids if controller is None and ids else ids[1:]
        return Control(
            controller, carried.get("type", kind),
            evidence=self.evidence(node) + tuple(pubs), more_controllers=tuple(more),
            mechanism=carried.get("mechanism", mechanism),
            direction=carried.get("direction", directions.get(direction)),
            cofactors=tuple(carried.get("cofactors", [self.id_for(c) for c in node.refs("cofactor")])),
            name=carried.get("name") if self.own else self.name(node),
            xrefs=tuple(curies), description=description, id=self.control_id(node))

    def control_id(self, node: Node) -> str | None:
        """A control's id: from its URI, except for the helper URIs our writer gives unnamed controls."""
        if self.own:
            local = node.uri[len(self.doc.base):] if node.uri.startswith(self.doc.base) else ""
            return local if _ID.match(local) else None
        return self.id_for(node.uri)

    def pathways(self, reactions: list[Reaction]) -> list[Pathway]:
        known = {r.id for r in reactions}
        by_id = {r.id: r for r in reactions}
        out = []
        for node in self.doc.of("Pathway"):
            ident = self.id_for(node.uri)
            description, carried = self.carried(node)
            curies, pubs = self.xrefs(node)
            subpathways, members, listed = [], [], []
            for uri in node.refs("pathwayComponent"):
                target = self.nodes[uri]
                if target.cls == "Pathway":
                    subpathways.append(self.id_for(uri))
                elif self.id_for(uri) in known:
                    members.append(self.id_for(uri))
                    listed.append(self.id_for(uri))
                elif target.cls in CONTROL_CLASSES and uri not in self.enzyme_catalyses:
                    listed.append(self.control_id(target))
            steps = self.step_chain(node, known)
            steps = steps if steps is not None else members
            default = list(dict.fromkeys(steps))
            for rid in dict.fromkeys(steps):
                for control in by_id[rid].controls:
                    default += _control_ids(control)
            same = listed == default if self.own else set(listed) == set(default)
            out.append(Pathway(
                ident, carried.get("name", self.name(node) or ident),
                steps=tuple(steps), subpathways=tuple(subpathways),
                xrefs=tuple(curies), description=description, evidence=tuple(pubs) + self.evidence(node),
                database_xrefs=self.database_xrefs(node), components=None if same else tuple(listed)))
        return out

    def step_chain(self, node: Node, known: set[str]) -> list[str] | None:
        """The reactions of a pathway's steps when they form one chain, else ``None``."""
        steps = node.refs("pathwayOrder")
        if not steps:
            return None
        members = set(steps)
        nexts = {n for s in steps for n in self.nodes[s].refs("nextStep") if n in members}
        starts = [s for s in steps if s not in nexts]
        if len(starts) != 1:
            return None
        chain, current, seen = [], starts[0], set()
        while current is not None:
            if current in seen:
                return None
            seen.add(current)
            step = self.nodes[current]
            processes = [self.id_for(p) for p in step.refs("stepProcess") + step.refs("stepConversion")
                         if self.id_for(p) in known]
            if len(processes) != 1:
                return None
            chain.append(processes[0])
            following = [n for n in step.refs("nextStep") if n in members]
            if len(following) > 1:
                return None
            current = following[0] if following else None
        return chain if len(seen) == len(members) else None
