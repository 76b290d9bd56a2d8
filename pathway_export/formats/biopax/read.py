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
    Annotations, Compartment, Component, Control, Entity, Evidence, Model, Modification, Molecule,
    Participant, Pathway, Person, Reaction,
)
from .terms import (
    BASE_PREFIX, CONTROL_CLASSES, CONVERSION_CLASSES, ENTITY_CLASS_TYPES, L2R, MODIFICATION_BY_TERM, R2L,
    REFERENCE_TYPES, REVERSIBLE, curie_of, decode_comment,
)
from .rdfxml import Document, Node, parse_document

log = logging.getLogger(__name__)

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UNSET = object()


# --------------------------------------------------------------------------- reaction kinds

def infer_reaction_type(cls: str, direction: str | None, left: list[frozenset], right: list[frozenset],
                        template_type: str | None, product_types: list[str | None]) -> str:
    """The canonical reaction kind a BioPAX interaction says by its own terms.

    ``left``/``right`` hold the molecules of each participant (complexes expanded). The writer
    carries the kind in a comment only where this disagrees with the model.
    """
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
                     for i, r in enumerate(model.reactions) if not r.reactants and not r.products]
        if problems:
            raise FormatError([replace(p, source=source, hint=p.hint or "the BioPAX document says this; "
                                       "the canonical model does not allow it") for p in problems], source)
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
        self.default_compartment: Compartment | None = None
        self.feature_owner: dict[str, str] = {}
        self.generic_references: list[Node] = []
        self.curies: dict[str, str | None] = {}  # xref URI -> its CURIE (see ``curie``)
        self.decoded: dict[str, dict | None] = {}  # comment text -> its carried values

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

    def generic(self, node: Node) -> UnsupportedFeatureError:
        return self.unsupported("a generic entity reference (memberEntityReference)", node,
                                "the canonical model has no generic molecules")

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
            out.append(Evidence(publications[0], eco, note))
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
        entities, synthetic = self.entities()
        molecules += synthetic
        if self.default_compartment is not None:
            compartments.append(self.default_compartment)
        reactions = self.reactions(entities, molecules)
        pathways = self.pathways(reactions)
        if self.generic_references:
            raise self.generic(self.generic_references[0])
        return self.whole(compartments, molecules, entities, reactions, pathways)

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
            model_id = _sanitize(stem)
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
            reactions=tuple(reactions), pathways=tuple(pathways))

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

    def compartment(self, node: Node) -> str:
        locations = node.refs("cellularLocation")
        if locations:
            target = self.nodes[locations[0]]
            if target.uri not in self.compartment_of:
                raise self.unsupported(f"a cellular location of class {target.cls}", node)
            return self.compartment_of[target.uri]
        if self.default_compartment is None:
            ident = self.id_for("urn:unspecified-location", "unspecified_location")
            self.default_compartment = Compartment(ident, name="unspecified location")
        return self.default_compartment.id

    def molecules(self) -> list[Molecule]:
        out = []
        for node in self.nodes.values():
            if node.cls not in REFERENCE_TYPES:
                continue
            if node.refs("memberEntityReference"):
                self.generic_references.append(node)
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
            out.append(Molecule(
                ident, REFERENCE_TYPES[node.cls], name, symbol=carried.get("symbol", symbol),
                synonyms=tuple(names), xrefs=tuple(curies), organism=organism, description=description,
                evidence=tuple(pubs) + self.evidence(node)))
        return out

    def entities(self) -> tuple[list[Entity], list[Molecule]]:
        out, synthetic = [], []
        for node in self.nodes.values():
            if node.cls == "PhysicalEntity":
                raise self.unsupported("a physical entity of no specific kind", node,
                                       "the canonical model needs a protein, small molecule, gene, DNA, RNA or complex")
            if node.cls not in ENTITY_CLASS_TYPES:
                continue
            if node.refs("memberPhysicalEntity"):
                raise self.unsupported("a generic physical entity (memberPhysicalEntity)", node)
            if node.refs("notFeature"):
                raise self.unsupported("a feature the entity lacks (notFeature)", node)
            ident = self.id_for(node.uri)
            description, carried = self.carried(node)
            curies, pubs = self.xrefs(node)
            common = dict(id=ident, compartment=self.compartment(node), name=carried.get("name", self.name(node)),
                          xrefs=tuple(curies), active=carried.get("active"), description=description,
                          evidence=tuple(pubs) + self.evidence(node))
            modifications, bound, active = self.features(node)
            if active is not None and "active" not in carried:
                common["active"] = active
            if node.cls == "Complex":
                components = node.refs("component")
                if not components:
                    raise self.unsupported("a complex without components", node)
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
                if ref.refs("memberEntityReference"):
                    raise self.generic(ref)
                molecule = self.id_for(ref.uri)
            else:
                molecule = self.id_for(node.uri + "#molecule", f"{ident}_molecule")
                synthetic.append(Molecule(molecule, ENTITY_CLASS_TYPES[node.cls],
                                          self.name(node) or ident, synonyms=tuple(node.lits("name"))))
            out.append(Entity(**common, molecule=molecule, modifications=modifications, bound=bound))
        return out, synthetic

    def coefficient(self, node: Node) -> float:
        text = node.lit("stoichiometricCoefficient")
        try:
            return float(text) if text is not None else 1.0
        except ValueError:
            raise FormatError([Problem(f"stoichiometricCoefficient {text!r} is not a number",
                                       where=f"<bp:{node.cls} {node.uri}>", line=node.line,
                                       source=self.doc.source)], self.doc.source) from None

    def features(self, node: Node) -> tuple[tuple[Modification, ...], tuple[str, ...], bool | None]:
        mods, bound, active = [], [], None
        for uri in node.refs("feature"):
            f = self.nodes[uri]
            if f.cls == "ModificationFeature":
                _, carried = self.carried(f)
                mod_type, term = None, None
                for v in f.refs("modificationType"):
                    vocab = self.nodes[v]
                    term = (vocab.lit("term") or "").strip()
                    for x in vocab.refs("xref"):
                        curie = self.curie(x)
                        if curie and curie.startswith("MOD:"):
                            mod_type = curie
                    if mod_type is None:
                        mod_type = curie_of("MOD", term) if term.upper().startswith("MOD:") else \
                            MODIFICATION_BY_TERM.get(term.lower())
                if mod_type is None and term and term.lower() in ("active", "inactive"):
                    active = term.lower() == "active"
                    continue
                if mod_type is None:
                    what = f"a modification {term!r} that is not a PSI-MOD term" if term else \
                        "a modification without a type"
                    raise self.unsupported(what, f)
                position = None
                for loc in f.refs("featureLocation"):
                    site = self.nodes[loc]
                    text = site.lit("sequencePosition")
                    if site.cls == "SequenceSite" and text is not None:
                        try:
                            position = int(text.strip())
                        except ValueError:
                            raise self.unsupported(f"a sequence position {text!r}", site) from None
                mods.append(Modification(mod_type, carried.get("residue"), position))
            elif f.cls == "BindingFeature":
                partners = [self.feature_owner.get(b) for b in f.refs("bindsTo")]
                partners = [p for p in partners if p is not None]
                if not partners:
                    raise self.unsupported("a binding feature without a partner's entity reference", f)
                bound.append(self.id_for(partners[0]))
            else:
                raise self.unsupported("an entity feature the canonical model cannot hold", f)
        return tuple(mods), tuple(bound), active

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
            if node.cls in CONVERSION_CLASSES or node.cls == "TemplateReaction":
                by_uri[node.uri] = self.reaction(node, mols, etype)
                order.append(node.uri)
            elif node.cls in ("MolecularInteraction", "GeneticInteraction", "Interaction"):
                raise self.unsupported("an interaction that is not a conversion or template reaction", node,
                                       "the canonical model holds reactions, not bare interactions")
            elif node.cls in ("Gene",):
                raise self.unsupported("a gene of a genetic interaction", node)
        controls: dict[str, list[Control]] = {}
        enzymes: dict[str, str] = {}
        for node in self.nodes.values():
            if node.cls not in CONTROL_CLASSES:
                continue
            enzyme = self.enzyme(node, by_uri)
            if enzyme is not None:
                enzymes[enzyme[0]] = enzyme[1]
                continue
            for target, control in self.control(node, by_uri):
                controls.setdefault(target, []).append(control)
        out = []
        for uri in order:
            r = by_uri[uri]
            if uri in controls:
                r = replace(r, controls=tuple(controls[uri]))
            if uri in enzymes:
                r = replace(r, enzyme=enzymes[uri])
            out.append(r)
        return out

    def enzyme(self, node: Node, reactions: dict[str, Reaction]) -> tuple[str, str] | None:
        """``(reaction URI, enzyme id)`` for the catalysis our writer makes of a reaction's
        enzyme (a carried ``enzyme`` naming it), else ``None``: an ordinary control."""
        _, carried = self.carried(node)
        if "enzyme" not in carried:
            return None
        controlled = node.refs("controlled")
        if len(controlled) != 1 or controlled[0] not in reactions:
            raise self.unsupported("an enzyme catalysis that does not control exactly one reaction", node)
        return controlled[0], carried["enzyme"]

    def reaction(self, node: Node, mols: Callable, etype: Callable) -> Reaction:
        ident = self.id_for(node.uri)
        description, carried = self.carried(node)
        curies, pubs = self.xrefs(node)
        nodes, id_for = self.nodes, self.id_for
        lefts, rights, products, templates = (node.refs("left"), node.refs("right"), node.refs("product"),
                                              node.refs("template"))
        for prop, uris in (("left", lefts), ("right", rights), ("product", products), ("template", templates)):
            for uri in uris:
                if nodes[uri].cls not in ENTITY_CLASS_TYPES:
                    raise self.unsupported(f"a {prop} participant of class {nodes[uri].cls}", node)
        if node.cls == "TemplateReaction":
            direction = None
            template = templates[0] if templates else None
            template = id_for(template) if template else None
            left: list[str] = []
            right = [id_for(u) for u in products]
            coefficients: dict[str, float] = {}
        else:
            direction = (node.lit("conversionDirection") or L2R).strip().upper()
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
            description=description, evidence=tuple(pubs) + self.evidence(node))

    def control(self, node: Node, reactions: dict[str, Reaction]):
        if node.cls == "Modulation":
            raise self.unsupported("a modulation of a catalysis", node,
                                   "the canonical model controls reactions, not other controls")
        _, carried = self.carried(node)
        controlled = node.refs("controlled")
        if not controlled:
            raise self.unsupported("a control of nothing (no controlled)", node)
        for target in controlled:
            if target not in reactions:
                raise self.unsupported(f"a control of a {self.nodes[target].cls}", node,
                                       "the canonical model controls reactions only")
        controllers = node.refs("controller")
        if not controllers:
            raise self.unsupported("a control without a controller", node)
        for c in controllers:
            if self.nodes[c].cls not in ENTITY_CLASS_TYPES:
                raise self.unsupported(f"a controller of class {self.nodes[c].cls}", node)
        control_type = (node.lit("controlType") or "").strip().upper()
        if node.cls == "Catalysis":
            kind = "inhibition" if control_type.startswith("INHIBITION") else "catalysis"
        elif control_type.startswith("ACTIVATION"):
            kind = "activation"
        elif control_type.startswith("INHIBITION"):
            kind = "inhibition"
        else:
            raise self.unsupported(f"a control of type {control_type or 'unknown'!r}", node,
                                   "set controlType to ACTIVATION or INHIBITION")
        kind = carried.get("type", kind)
        evidence = self.evidence(node) + tuple(self.xrefs(node)[1])
        return [(target, Control(self.id_for(c), kind, evidence)) for target in controlled for c in controllers]

    def pathways(self, reactions: list[Reaction]) -> list[Pathway]:
        known = {r.id for r in reactions}
        out = []
        for node in self.doc.of("Pathway"):
            ident = self.id_for(node.uri)
            description, carried = self.carried(node)
            curies, pubs = self.xrefs(node)
            subpathways, members = [], []
            for uri in node.refs("pathwayComponent"):
                target = self.nodes[uri]
                if target.cls == "Pathway":
                    subpathways.append(self.id_for(uri))
                elif self.id_for(uri) in known:
                    members.append(self.id_for(uri))
            steps = self.step_chain(node, known)
            out.append(Pathway(
                ident, carried.get("name", self.name(node) or ident),
                steps=tuple(steps if steps is not None else members), subpathways=tuple(subpathways),
                xrefs=tuple(curies), description=description, evidence=tuple(pubs) + self.evidence(node)))
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
