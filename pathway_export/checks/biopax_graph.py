"""What a BioPAX Level 3 document says, independent of how it spells it, and how two differ.

An imported-then-re-exported BioPAX document never has the original's URIs, element order or
utility-class layout, so comparing RDF triples would report every line. :func:`summarize`
instead reduces a document (RDF/XML, read with lxml, not with pybiopax or Paxtools, so that it
judges them rather than trusting them) to the things a pathway model means:

* entity references, each with its unification and relationship xrefs (``db`` normalised to a
  bioregistry prefix where it can be, so ``UniProt`` and ``UniProt Protein`` agree);
* physical entities: entity reference, cellular location, features, complex components, members;
* interactions: class, participants by role (left, right, participant, product, template) with
  stoichiometry, direction, controls (controlType, controllers, controlled), publications;
* pathways with their components, and every publication (``PublicationXref`` ``db:id``).

Objects are named by *keys* built from what they are (``ProteinReference[uniprot:P40763]``,
``Protein(uniprot:P40763)@GO:0005737{MOD:00048@705}``), never by URI. :func:`compare` matches
the two summaries (exact keys first, then by identity with the details reported as changes) and
returns one :class:`~pathway_export.checks.roundtrip.Difference` per thing missing, added or changed;
:func:`format_differences` prints them grouped.

The XML is parsed without entity expansion, DTD loading or network access. Comments and
processing instructions are ignored, ``rdf:about``/``rdf:ID``/``rdf:nodeID``/``rdf:resource``
are resolved against ``xml:base``, nested (inline) objects are followed, and elements outside
the BioPAX namespace are skipped with their content, as Paxtools does.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Union

from lxml import etree

from .. import identifiers
from ..errors import FormatError, Problem, UnsupportedFeatureError
from .roundtrip import Difference

log = logging.getLogger(__name__)

BP3 = "http://www.biopax.org/release/biopax-level3.owl#"
BP2 = "http://www.biopax.org/release/biopax-level2.owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_ABOUT, _ID, _NODE_ID = f"{{{RDF}}}about", f"{{{RDF}}}ID", f"{{{RDF}}}nodeID"
_RESOURCE, _PARSE_TYPE = f"{{{RDF}}}resource", f"{{{RDF}}}parseType"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

MAX_BYTES = 64 * 1024 * 1024
"""Largest document (after decompression) that :func:`summarize` reads."""

ENTITY_REFERENCE_CLASSES = frozenset({
    "EntityReference", "ProteinReference", "SmallMoleculeReference", "DnaReference",
    "RnaReference", "DnaRegionReference", "RnaRegionReference"})
PHYSICAL_ENTITY_CLASSES = frozenset({
    "PhysicalEntity", "Protein", "SmallMolecule", "Dna", "Rna", "DnaRegion", "RnaRegion",
    "Complex", "Gene"})
CONVERSION_CLASSES = frozenset({
    "Conversion", "BiochemicalReaction", "ComplexAssembly", "Degradation", "Transport",
    "TransportWithBiochemicalReaction"})
CONTROL_CLASSES = frozenset({"Control", "Catalysis", "Modulation", "TemplateReactionRegulation"})
INTERACTION_CLASSES = CONVERSION_CLASSES | CONTROL_CLASSES | frozenset({
    "Interaction", "TemplateReaction", "MolecularInteraction", "GeneticInteraction"})
FEATURE_CLASSES = frozenset({
    "EntityFeature", "ModificationFeature", "BindingFeature", "CovalentBindingFeature",
    "FragmentFeature"})
ROLES = ("left", "right", "participant", "product", "template")
"""Participant properties, in the order keys list them."""


# ----------------------------------------------------------------------------- RDF/XML


@dataclass(frozen=True)
class Ref:
    """A link to another node (an ``rdf:resource`` or a nested object), by resolved URI."""

    uri: str


Value = Union[Ref, str]


@dataclass
class Node:
    """One RDF subject: its BioPAX class (``None`` outside BioPAX) and its property values.

    Properties in the BioPAX namespace are keyed by local name (``entityReference``), others
    by Clark name (``{ns}local``).
    """

    uri: str
    cls: str | None = None
    props: dict[str, list[Value]] = field(default_factory=dict)

    def refs(self, prop: str) -> list[str]:
        return [v.uri for v in self.props.get(prop, ()) if isinstance(v, Ref)]

    def texts(self, prop: str) -> list[str]:
        return [v for v in self.props.get(prop, ()) if isinstance(v, str) and v]

    def text(self, prop: str) -> str | None:
        found = self.texts(prop)
        return found[0] if found else None


def _resolve(base: str, ref: str) -> str:
    """``ref`` made absolute against ``base``; one rule for ``rdf:about`` and ``rdf:resource``.

    A base ending in ``#`` or ``/`` is extended (as Paxtools reads BioPAX exports).
    """
    ref = ref.strip()
    if _SCHEME.match(ref) or not base:
        return ref
    stem = base.split("#", 1)[0]
    if ref.startswith("#"):
        return stem + ref
    if not ref:
        return stem
    if base.endswith(("#", "/")):
        return base + ref
    return stem.rsplit("/", 1)[0] + "/" + ref if "/" in stem else stem + ref


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def parse_document(data: bytes, source: str = "<bytes>") -> etree._Element:
    """The root element of an XML document, parsed safely; gzip is recognised by its magic.

    Raises :class:`FormatError` (with line and column) when the bytes are not well-formed XML.
    """
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                data = handle.read(MAX_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise FormatError([Problem(f"not a readable gzip file: {exc}")], source) from exc
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // 2**20
        raise FormatError([Problem(f"document larger than {limit} MiB; not read")], source)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = (exc.position if exc.position else (None, None))
        hint = ("fix the byte or declare the encoding the file really uses"
                if "encoding" in str(exc.msg).lower() else "")
        raise FormatError([Problem(f"not well-formed XML: {exc.msg}", line=line, column=column,
                                   source=source, hint=hint or None)], source) from exc


def biopax_level(root: etree._Element) -> int | None:
    """3 or 2 when the document uses that BioPAX namespace (3 wins), ``None`` when neither."""
    seen2 = False
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.startswith(f"{{{BP3}"):
            return 3
        if el.tag.startswith(f"{{{BP2}"):
            seen2 = True
    return 2 if seen2 else None


class _Reader:
    """RDF/XML node and property elements into :class:`Node` objects."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self._blank = 0

    def _fresh(self) -> str:
        self._blank += 1
        return f"_:b{self._blank}"

    def node(self, el: etree._Element, base: str) -> str:
        base = el.get(_XML_BASE, base)
        about, rid, nid = el.get(_ABOUT), el.get(_ID), el.get(_NODE_ID)
        if about is not None:
            uri = _resolve(base, about)
        elif rid is not None:
            uri = base.split("#", 1)[0] + "#" + rid.strip()
        elif nid is not None:
            uri = "_:" + nid
        else:
            uri = self._fresh()
        ns, local = _local(el.tag)
        node = self.nodes.setdefault(uri, Node(uri))
        if ns == BP3 and node.cls is None:
            node.cls = local
        for name, value in el.attrib.items():
            ans, alocal = _local(name)
            if ans in (RDF, "http://www.w3.org/XML/1998/namespace") or not ans:
                continue
            node.props.setdefault(alocal if ans == BP3 else name, []).append(value.strip())
        if ns != BP3 and not (ns == RDF and local == "Description"):
            return uri  # outside BioPAX: the object and its content are ignored
        for child in el:
            if isinstance(child.tag, str):
                self.prop(child, base, node)
        return uri

    def prop(self, el: etree._Element, base: str, node: Node) -> None:
        base = el.get(_XML_BASE, base)
        ns, local = _local(el.tag)
        if ns != BP3 and not (ns == RDF and local == "type"):
            return  # a foreign property is skipped with whatever it contains
        key = local if ns == BP3 else "rdf:type"
        values: list[Value] = []
        res, nid = el.get(_RESOURCE), el.get(_NODE_ID)
        children = [c for c in el if isinstance(c.tag, str)]
        if res is not None:
            values.append(Ref(_resolve(base, res)))
        elif nid is not None:
            values.append(Ref("_:" + nid))
        elif el.get(_PARSE_TYPE) == "Resource":
            inner = Node(self._fresh())
            self.nodes[inner.uri] = inner
            for child in children:
                self.prop(child, base, inner)
            values.append(Ref(inner.uri))
        elif children and el.get(_PARSE_TYPE) != "Literal":
            values.extend(Ref(self.node(child, base)) for child in children)
        else:
            values.append("".join(el.itertext()).strip())
        if key == "rdf:type":
            for v in values:
                if isinstance(v, Ref) and v.uri.startswith(BP3) and node.cls is None:
                    node.cls = v.uri[len(BP3):]
            return
        node.props.setdefault(key, []).extend(values)


def read_nodes(data: bytes, source: str = "<bytes>") -> dict[str, Node]:
    """Every RDF subject of a BioPAX Level 3 document, by resolved URI.

    Raises :class:`FormatError` for bytes that are not RDF/XML and
    :class:`UnsupportedFeatureError` for BioPAX Level 2.
    """
    root = parse_document(data, source)
    ns, local = _local(root.tag)
    if (ns, local) != (RDF, "RDF"):
        raise FormatError([Problem(f"the root element is <{local}> ({ns or 'no namespace'}), "
                                   "not rdf:RDF", source=source,
                                   hint="BioPAX documents are RDF/XML")], source)
    if biopax_level(root) == 2:
        raise UnsupportedFeatureError("BioPAX Level 2", source,
                                      "convert the file to Level 3 first (Paxtools 'toLevel3')")
    reader = _Reader()
    base = root.get(_XML_BASE, "")
    for child in root:
        if isinstance(child.tag, str):
            reader.node(child, base)
    return reader.nodes


# ----------------------------------------------------------------------------- summary


_DB_ALIASES = {
    "uniprot knowledgebase": "uniprot", "uniprot accession": "uniprot",
    "protein data bank": "pdb", "hugo gene nomenclature committee (hgnc)": "hgnc",
    "protein modification ontology": "mod", "molecular interactions ontology": "mi",
    "evidence code ontology": "eco", "reactome database id": "reactome",
}
"""``xref.db`` spellings common in BioPAX exports that the bioregistry does not resolve."""

_RELEASE = re.compile(r"\s+release\s+\d+$")


@lru_cache(maxsize=None)
def _prefix_for(db: str) -> str | None:
    db = " ".join(db.split())
    alias = _DB_ALIASES.get(_RELEASE.sub("", db.lower()))
    if alias:
        return alias
    for candidate in (db, db.replace(" ", ""), db.replace(" ", "_")):
        prefix = identifiers.normalize_prefix(candidate)
        if prefix:
            return prefix
    return identifiers.prefix_by_name(db)


@lru_cache(maxsize=None)
def xref_key(db: str | None, id_: str | None) -> str:
    """A CURIE for an xref: bioregistry-normalised where possible, else ``db:id`` as written."""
    db, id_ = (db or "").strip(), (id_ or "").strip()
    if not db or not id_:
        return f"{db or '?'}:{id_ or '?'}"
    prefix = _prefix_for(db)
    if prefix:
        try:
            return identifiers.normalize_curie(f"{prefix}:{id_}")
        except identifiers.CurieError:
            pass
    return f"{db}:{id_}"


@dataclass(frozen=True)
class EntityReference:
    uri: str
    cls: str
    name: str | None
    unification: frozenset[str]
    relationship: frozenset[str]
    members: tuple[str, ...]


@dataclass(frozen=True)
class PhysicalEntity:
    uri: str
    cls: str
    name: str | None
    reference: str | None
    location: str | None
    features: tuple[str, ...]
    not_features: tuple[str, ...]
    components: tuple[tuple[str, float], ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class Interaction:
    uri: str
    cls: str
    name: str | None
    roles: dict[str, tuple[tuple[str, float], ...]]
    direction: str | None
    control_type: str | None
    controllers: tuple[str, ...]
    controlled: tuple[str, ...]
    publications: frozenset[str]


@dataclass(frozen=True)
class PathwaySummary:
    uri: str
    name: str | None
    components: tuple[str, ...]
    publications: frozenset[str]


@dataclass
class Summary:
    """What one BioPAX document says, keyed by what things are (see the module docstring)."""

    source: str
    entity_references: dict[str, EntityReference]
    physical_entities: dict[str, PhysicalEntity]
    interactions: dict[str, Interaction]
    pathways: dict[str, PathwaySummary]
    publications: frozenset[str]
    nodes: dict[str, Node] = field(repr=False, default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many of each kind of thing the summary holds (for reports)."""
        return {"entity_references": len(self.entity_references),
                "physical_entities": len(self.physical_entities),
                "interactions": len(self.interactions),
                "controls": sum(1 for i in self.interactions.values() if i.cls in CONTROL_CLASSES),
                "pathways": len(self.pathways), "publications": len(self.publications)}


def _name(node: Node) -> str | None:
    return node.text("displayName") or node.text("standardName") or node.text("name")


def _enum(text: str | None) -> str | None:
    """A BioPAX enumeration value in one spelling (``LEFT-TO-RIGHT`` is ``LEFT_TO_RIGHT``)."""
    return text.strip().upper().replace("-", "_") if text else None


def _float(text: str | None) -> float:
    try:
        return float(text) if text is not None else 1.0
    except ValueError:
        return float("nan")


class _Summarizer:
    def __init__(self, nodes: dict[str, Node], source: str) -> None:
        self.nodes, self.source = nodes, source

    def get(self, uri: str) -> Node:
        return self.nodes.get(uri) or Node(uri)

    def xrefs(self, node: Node, cls: str) -> frozenset[str]:
        out = set()
        for uri in node.refs("xref"):
            x = self.get(uri)
            if x.cls == cls:
                out.add(xref_key(x.text("db"), x.text("id")))
        return frozenset(out)

    def publication(self, node: Node) -> str:
        if node.text("id") or node.text("db"):
            return xref_key(node.text("db"), node.text("id"))
        title = node.text("title") or " ".join(node.texts("source")) or node.uri
        return f"(no id) {title}"

    def publications_of(self, node: Node) -> frozenset[str]:
        out = set()
        for uri in node.refs("xref"):
            x = self.get(uri)
            if x.cls == "PublicationXref":
                out.add(self.publication(x))
        for ev in node.refs("evidence"):
            for uri in self.get(ev).refs("xref"):
                x = self.get(uri)
                if x.cls == "PublicationXref":
                    out.add(self.publication(x))
        return frozenset(out)

    def vocabulary(self, uri: str) -> str:
        """A controlled-vocabulary term: its unification xref CURIE, else its term text."""
        node = self.get(uri)
        curies = sorted(self.xrefs(node, "UnificationXref"))
        if curies:
            return curies[0]
        term = node.text("term")
        return f"'{term.lower()}'" if term else f"'{uri}'"

    def feature(self, uri: str) -> str:
        node = self.get(uri)
        kind = node.cls or "Feature"
        parts = []
        for t in node.refs("modificationType"):
            parts.append(self.vocabulary(t))
        for loc in node.refs("featureLocation"):
            site = self.get(loc)
            if site.cls == "SequenceSite":
                parts.append(f"@{site.text('sequencePosition') or '?'}")
            elif site.cls == "SequenceInterval":
                begin = self.get(site.refs("sequenceIntervalBegin")[0]).text("sequencePosition") \
                    if site.refs("sequenceIntervalBegin") else "?"
                end = self.get(site.refs("sequenceIntervalEnd")[0]).text("sequencePosition") \
                    if site.refs("sequenceIntervalEnd") else "?"
                parts.append(f"@{begin}-{end}")
        if kind == "ModificationFeature":
            return "".join(parts) or "modification"
        return f"{kind}({''.join(parts)})" if parts else kind

    def stoichiometry(self, node: Node, prop: str) -> dict[str, float]:
        out = {}
        for uri in node.refs(prop):
            st = self.get(uri)
            for pe in st.refs("physicalEntity"):
                out[pe] = _float(st.text("stoichiometricCoefficient"))
        return out

    def run(self) -> Summary:
        ers, pes, its, pws = {}, {}, {}, {}
        pubs = set()
        for uri, node in self.nodes.items():
            cls = node.cls
            if cls is None:
                continue
            if cls in ENTITY_REFERENCE_CLASSES:
                ers[uri] = EntityReference(
                    uri, cls, _name(node), self.xrefs(node, "UnificationXref"),
                    self.xrefs(node, "RelationshipXref"), tuple(node.refs("memberEntityReference")))
            elif cls in PHYSICAL_ENTITY_CLASSES:
                counts = self.stoichiometry(node, "componentStoichiometry")
                comps = tuple((c, counts.get(c, 1.0)) for c in node.refs("component"))
                ref = node.refs("entityReference")
                loc = node.refs("cellularLocation")
                pes[uri] = PhysicalEntity(
                    uri, cls, _name(node), ref[0] if ref else None,
                    self.vocabulary(loc[0]) if loc else None,
                    tuple(sorted(self.feature(f) for f in node.refs("feature"))),
                    tuple(sorted(self.feature(f) for f in node.refs("notFeature"))),
                    comps, tuple(node.refs("memberPhysicalEntity")))
            elif cls in INTERACTION_CLASSES:
                counts = self.stoichiometry(node, "participantStoichiometry")
                roles = {r: tuple((p, counts.get(p, 1.0)) for p in node.refs(r)) for r in ROLES}
                its[uri] = Interaction(
                    uri, cls, _name(node), {r: v for r, v in roles.items() if v},
                    _enum(node.text("conversionDirection") or node.text("templateDirection")),
                    _enum(node.text("controlType")), tuple(node.refs("controller")),
                    tuple(node.refs("controlled")), self.publications_of(node))
            elif cls == "Pathway":
                pws[uri] = PathwaySummary(uri, _name(node), tuple(node.refs("pathwayComponent")),
                                          self.publications_of(node))
            elif cls == "PublicationXref":
                pubs.add(self.publication(node))
        return Summary(self.source, ers, pes, its, pws, frozenset(pubs), self.nodes)


def summarize(data: bytes, source: str = "<bytes>") -> Summary:
    """The :class:`Summary` of a BioPAX Level 3 RDF/XML document (bytes, gzip allowed)."""
    return _Summarizer(read_nodes(data, source), source).run()


# ----------------------------------------------------------------------------- keys


def _count(n: float) -> str:
    return "" if n == 1 else (f"{int(n)} " if float(n).is_integer() else f"{n:g} ")


class _Keys:
    """Keys of one summary's objects; the ``*_alias`` maps rename this side's objects to the
    keys of the objects they were matched with on the other side."""

    def __init__(self, summary: Summary) -> None:
        self.s = summary
        self.er_alias: dict[str, str] = {}
        self.pe_alias: dict[str, str] = {}
        self.it_alias: dict[str, str] = {}
        self._pe: dict[str, tuple[str, str, str]] = {}
        self._it: dict[str, str] = {}
        self._busy: set[str] = set()

    def er_own(self, uri: str) -> str:
        er = self.s.entity_references.get(uri)
        if er is None:
            return f"<{uri}>"
        if er.unification:
            return f"{er.cls}[{', '.join(sorted(er.unification))}]"
        if er.relationship:
            return f"{er.cls}[~{', '.join(sorted(er.relationship))}]"
        return f"{er.cls} '{er.name}'"

    def er(self, uri: str) -> str:
        return self.er_alias.get(uri) or self.er_own(uri)

    def pe_parts(self, uri: str) -> tuple[str, str, str]:
        """``(what, where, state)`` of a physical entity: its class and identity, its location,
        its features; components and members are keyed through their (aliased) keys."""
        if uri in self._pe:
            return self._pe[uri]
        pe = self.s.physical_entities[uri]
        if uri in self._busy:
            return (f"{pe.cls}('{pe.name}' in a cycle)", "", "")
        self._busy.add(uri)
        try:
            if pe.reference:
                core = self.er(pe.reference)
            elif pe.components:
                parts = sorted(f"{_count(n)}{self.pe(c)}" for c, n in pe.components)
                core = "[" + " + ".join(parts) + "]"
            elif pe.members:
                core = "{" + " | ".join(sorted(self.pe(m) for m in pe.members)) + "}"
            else:
                core = f"'{pe.name}'"
            where = f"@{pe.location}" if pe.location else ""
            state = ("{" + ", ".join(pe.features) + "}" if pe.features else "") + \
                ("{not " + ", ".join(pe.not_features) + "}" if pe.not_features else "")
        finally:
            self._busy.discard(uri)
        self._pe[uri] = (f"{pe.cls}({core})", where, state)
        return self._pe[uri]

    def pe_own(self, uri: str) -> str:
        if uri not in self.s.physical_entities:
            return self.other(uri)
        return "".join(self.pe_parts(uri))

    def pe(self, uri: str) -> str:
        return self.pe_alias.get(uri) or self.pe_own(uri)

    def other(self, uri: str) -> str:
        """The key of anything a control or pathway may point at."""
        if uri in self.s.physical_entities:
            return self.pe(uri)
        if uri in self.s.interactions:
            return self.it(uri)
        if uri in self.s.pathways:
            return f"pathway '{self.s.pathways[uri].name}'"
        node = self.s.nodes.get(uri)
        return f"{node.cls if node and node.cls else 'unknown'} <{uri}>"

    def side(self, it: Interaction, role: str) -> str:
        parts = sorted(f"{_count(n)}{self.pe(p)}" for p, n in it.roles.get(role, ()))
        return " + ".join(parts) or "0"

    def it_own(self, uri: str) -> str:
        """An interaction's key: what it does to which participants (class and name left out)."""
        if uri in self._it:
            return self._it[uri]
        it = self.s.interactions[uri]
        if uri in self._busy:
            return f"{it.cls} '{it.name}' (in a cycle)"
        self._busy.add(uri)
        try:
            if it.cls in CONTROL_CLASSES:
                ctl = " + ".join(sorted(self.other(c) for c in it.controllers)) or "?"
                ctd = " ; ".join(sorted(self.other(c) for c in it.controlled)) or "?"
                key = f"control by {ctl} of ({ctd})"
            elif "template" in it.roles or it.cls == "TemplateReaction":
                key = f"template {self.side(it, 'template')} => {self.side(it, 'product')}"
            elif it.cls in CONVERSION_CLASSES:
                left, right = self.side(it, "left"), self.side(it, "right")
                if it.direction == "RIGHT_TO_LEFT":
                    left, right = right, left
                arrow = "<=>" if it.direction == "REVERSIBLE" else "->"
                key = f"{left} {arrow} {right}"
            else:
                key = "interaction of {" + self.side(it, "participant") + "}"
        finally:
            self._busy.discard(uri)
        self._it[uri] = key
        return key

    def it(self, uri: str) -> str:
        return self.it_alias.get(uri) or self.it_own(uri)


# ----------------------------------------------------------------------------- compare


def _pair(a_keys: dict[str, str], b_keys: dict[str, str],
          tiers: list[tuple[dict[str, str], dict[str, str]]]) -> dict[str, str]:
    """Match objects of two sides: ``b uri -> a uri``.

    Equal keys first; then, tier by tier, a core (e.g. identity without location) that names
    exactly one unmatched key on each side, so that the details can be reported as changes.
    """
    first: dict[str, str] = {}
    for uri in sorted(a_keys, key=lambda u: (a_keys[u], u)):
        first.setdefault(a_keys[uri], uri)
    match = {u: first[k] for u, k in b_keys.items() if k in first}
    done_a = {b_keys[u] for u in match}
    for core_a, core_b in tiers:
        groups_a: dict[str, set[str]] = defaultdict(set)
        groups_b: dict[str, set[str]] = defaultdict(set)
        for u, k in a_keys.items():
            if k not in done_a:
                groups_a[core_a[u]].add(k)
        for u, k in b_keys.items():
            if u not in match:
                groups_b[core_b[u]].add(k)
        for core, kb in groups_b.items():
            ka = groups_a.get(core, set())
            if len(ka) == 1 and len(kb) == 1:
                (key_a,), (key_b,) = ka, kb
                for u, k in b_keys.items():
                    if k == key_b and u not in match:
                        match[u] = first[key_a]
                done_a.add(key_a)
    return match


def _depth(summary: Summary, uri: str, seen: frozenset = frozenset()) -> int:
    pe = summary.physical_entities.get(uri)
    if pe is None or uri in seen or not (pe.components or pe.members):
        return 0
    kids = [c for c, _ in pe.components] + list(pe.members)
    return 1 + max(_depth(summary, c, seen | {uri}) for c in kids)


def _it_depth(summary: Summary, uri: str, seen: frozenset = frozenset()) -> int:
    it = summary.interactions.get(uri)
    if it is None or uri in seen or not it.controlled:
        return 0
    return 1 + max(_it_depth(summary, c, seen | {uri}) for c in it.controlled)


def _sorted_set(values: Iterable) -> list:
    return sorted({v for v in values if v is not None}, key=str)


def _groups(uris: Iterable[str], key) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for u in uris:
        out[key(u)].append(u)
    return out


def _set_change(out: list[Difference], where: str, a: Iterable, b: Iterable) -> None:
    sa, sb = _sorted_set(a), _sorted_set(b)
    if sa != sb:
        out.append(Difference(where, sa, sb))


def _compare_entity_references(a: _Keys, b: _Keys, out: list[Difference]) -> None:
    """Match entity references by own key, shared unification xref, any xref, class and name."""
    er_a, er_b = a.s.entity_references, b.s.entity_references
    index: dict[tuple, list[str]] = defaultdict(list)
    for uri in sorted(er_a, key=lambda u: (a.er_own(u), u)):
        er = er_a[uri]
        index[("k", a.er_own(uri))].append(uri)
        for x in sorted(er.unification):
            index[("u", x)].append(uri)
        for x in sorted(er.unification | er.relationship):
            index[("x", x)].append(uri)
        index[("n", er.cls, (er.name or "").lower())].append(uri)
    used: set[str] = set()
    for uri in sorted(er_b, key=lambda u: (b.er_own(u), u)):
        er = er_b[uri]
        probes = ([("k", b.er_own(uri))] + [("u", x) for x in sorted(er.unification)]
                  + [("x", x) for x in sorted(er.unification | er.relationship)]
                  + [("n", er.cls, (er.name or "").lower())])
        found = next((u for p in probes for u in index.get(p, ()) if u not in used), None) \
            or next((u for p in probes for u in index.get(p, ())), None)
        if found is not None:
            used.add(found)
            b.er_alias[uri] = a.er_own(found)
    groups_a = _groups(er_a, a.er_own)
    groups_b = _groups(b.er_alias, b.er_alias.get)
    for key in sorted(groups_a):
        where = f"entity_references[{key}]"
        xs = [er_a[u] for u in groups_a[key]]
        if key not in groups_b:
            out.append(Difference(where, "present", "missing"))
            continue
        ys = [er_b[u] for u in groups_b[key]]
        _set_change(out, f"{where}.class", (x.cls for x in xs), (y.cls for y in ys))
        ua = set().union(*(x.unification for x in xs))
        ub = set().union(*(y.unification for y in ys))
        _set_change(out, f"{where}.unification_xrefs", ua, ub)
        ra = set().union(*(x.relationship for x in xs))
        rb = set().union(*(y.relationship for y in ys))
        if ra - rb - ub:
            out.append(Difference(f"{where}.relationship_xrefs", sorted(ra), sorted(rb)))
        _set_change(out, f"{where}.members", (a.er(m) for x in xs for m in x.members),
                    (b.er(m) for y in ys for m in y.members))
    for key in sorted({b.er_own(u) for u in er_b if u not in b.er_alias}):
        out.append(Difference(f"entity_references[{key}]", "absent", "present"))


def _matched_groups(a: _Keys, b: _Keys, keys_a: dict[str, str], depth_b: dict[str, int],
                    kind: str, cores: list, objs_a: dict, objs_b: dict, out: list[Difference],
                    label: str):
    """Match ``b``'s objects onto ``a``'s keys level by level (inner objects first, so that outer
    keys see their parts' aliases), report the originals no re-exported object matches, and
    yield ``(key, originals, matches)`` for the others."""
    alias = getattr(b, f"{kind}_alias")
    own_b = getattr(b, f"{kind}_own")
    for level in sorted(set(depth_b.values())):
        ub = [u for u in objs_b if depth_b[u] == level]
        tiers = [({u: core(a, u) for u in objs_a}, {u: core(b, u) for u in ub}) for core in cores]
        for u, ua in _pair(keys_a, {u: own_b(u) for u in ub}, tiers).items():
            alias[u] = keys_a[ua]
    groups_a = _groups(objs_a, keys_a.get)
    groups_b = _groups(alias, alias.get)
    for key in sorted(groups_a):
        if key not in groups_b:
            out.append(Difference(f"{label}[{key}]", "present", "missing"))
            continue
        yield key, [objs_a[u] for u in groups_a[key]], [objs_b[u] for u in groups_b[key]]


def _compare_physical_entities(a: _Keys, b: _Keys, out: list[Difference]) -> None:
    """Match physical entities innermost first, so that complexes see their components' aliases."""
    pe_a, pe_b = a.s.physical_entities, b.s.physical_entities
    depth_b = {u: _depth(b.s, u) for u in pe_b}
    keys_a = {u: a.pe_own(u) for u in pe_a}
    cores = [lambda k, u: "".join(k.pe_parts(u)[:2]),  # identity and location
             lambda k, u: k.pe_parts(u)[0],  # class and identity
             lambda k, u: k.pe_parts(u)[0].split("(")[1]]  # identity
    for key, xs, ys in _matched_groups(a, b, keys_a, depth_b, "pe", cores, pe_a, pe_b, out,
                                       "physical_entities"):
        where = f"physical_entities[{key}]"
        if key in {b.pe_own(y.uri) for y in ys}:
            continue  # equal keys: class, identity, location, features and parts all agree
        _set_change(out, f"{where}.class", (x.cls for x in xs), (y.cls for y in ys))
        _set_change(out, f"{where}.location", (x.location for x in xs), (y.location for y in ys))
        _set_change(out, f"{where}.features", (f for x in xs for f in x.features),
                    (f for y in ys for f in y.features))
        _set_change(out, f"{where}.not_features", (f for x in xs for f in x.not_features),
                    (f for y in ys for f in y.not_features))
        _set_change(out, f"{where}.components",
                    (f"{_count(n)}{a.pe(c)}" for x in xs for c, n in x.components),
                    (f"{_count(n)}{b.pe(c)}" for y in ys for c, n in y.components))
        _set_change(out, f"{where}.members", (a.pe(m) for x in xs for m in x.members),
                    (b.pe(m) for y in ys for m in y.members))
        _set_change(out, f"{where}.entity_reference",
                    (a.er(x.reference) for x in xs if x.reference),
                    (b.er(y.reference) for y in ys if y.reference))
    for key in sorted({b.pe_own(u) for u in pe_b if u not in b.pe_alias}):
        out.append(Difference(f"physical_entities[{key}]", "absent", "present"))


def _compare_interactions(a: _Keys, b: _Keys, out: list[Difference]) -> None:
    """Match interactions by key (participants by role, controls by controller and controlled),
    controlled ones before their controls; then class and name."""
    it_a, it_b = a.s.interactions, b.s.interactions
    depth_b = {u: _it_depth(b.s, u) for u in it_b}
    keys_a = {u: a.it_own(u) for u in it_a}
    cores = [lambda k, u: f"{k.s.interactions[u].cls}|{k.s.interactions[u].name}",
             lambda k, u: str(k.s.interactions[u].name)]
    for key, xs, ys in _matched_groups(a, b, keys_a, depth_b, "it", cores, it_a, it_b, out,
                                       "interactions"):
        where = f"interactions[{key}]"
        _set_change(out, f"{where}.class", (x.cls for x in xs), (y.cls for y in ys))
        _set_change(out, f"{where}.controlType",
                    (x.control_type for x in xs if x.cls in CONTROL_CLASSES),
                    (y.control_type for y in ys if y.cls in CONTROL_CLASSES))
        _set_change(out, f"{where}.direction",
                    (x.direction for x in xs if x.cls not in CONTROL_CLASSES),
                    (y.direction for y in ys if y.cls not in CONTROL_CLASSES))
        _set_change(out, f"{where}.publications", (p for x in xs for p in x.publications),
                    (p for y in ys for p in y.publications))
        if key in {b.it_own(y.uri) for y in ys}:
            continue
        for role in ROLES:
            _set_change(out, f"{where}.{role}",
                        (f"{_count(n)}{a.pe(p)}" for x in xs for p, n in x.roles.get(role, ())),
                        (f"{_count(n)}{b.pe(p)}" for y in ys for p, n in y.roles.get(role, ())))
        _set_change(out, f"{where}.controller", (a.other(c) for x in xs for c in x.controllers),
                    (b.other(c) for y in ys for c in y.controllers))
        _set_change(out, f"{where}.controlled", (a.other(c) for x in xs for c in x.controlled),
                    (b.other(c) for y in ys for c in y.controlled))
    for key in sorted({b.it_own(u) for u in it_b if u not in b.it_alias}):
        out.append(Difference(f"interactions[{key}]", "absent", "present"))


def _compare_pathways(a: _Keys, b: _Keys, out: list[Difference]) -> None:
    pw_a = _groups(a.s.pathways, lambda u: str(a.s.pathways[u].name))
    pw_b = _groups(b.s.pathways, lambda u: str(b.s.pathways[u].name))
    for name in sorted(set(pw_a) | set(pw_b)):
        where = f"pathways['{name}']"
        if name not in pw_b:
            out.append(Difference(where, "present", "missing"))
            continue
        if name not in pw_a:
            out.append(Difference(where, "absent", "present"))
            continue
        ca = set(a.other(c) for u in pw_a[name] for c in a.s.pathways[u].components)
        cb = set(b.other(c) for u in pw_b[name] for c in b.s.pathways[u].components)
        if ca != cb:
            out.append(Difference(f"{where}.components", sorted(ca - cb) or "(none missing)",
                                  sorted(cb - ca) or "(none added)"))
        _set_change(out, f"{where}.publications",
                    (p for u in pw_a[name] for p in a.s.pathways[u].publications),
                    (p for u in pw_b[name] for p in b.s.pathways[u].publications))


def compare_summaries(original: Summary, reexported: Summary) -> list[Difference]:
    """Every difference in meaning between two summaries (empty when they say the same).

    Each :class:`Difference` has a path ``kind[key]`` (missing: expected ``'present'``, found
    ``'missing'``; added: ``'absent'``/``'present'``) or ``kind[key].field`` (changed, with
    the original's and the re-export's values). Keys are the original's.
    """
    a, b = _Keys(original), _Keys(reexported)
    out: list[Difference] = []
    _compare_entity_references(a, b, out)
    _compare_physical_entities(a, b, out)
    _compare_interactions(a, b, out)
    _compare_pathways(a, b, out)
    for pub in sorted(original.publications - reexported.publications):
        out.append(Difference(f"publications[{pub}]", "present", "missing"))
    for pub in sorted(reexported.publications - original.publications):
        out.append(Difference(f"publications[{pub}]", "absent", "present"))
    return out


def compare(original: bytes, reexported: bytes, source: str = "<original>") -> list[Difference]:
    """What ``reexported`` lost, added or changed relative to ``original`` (BioPAX L3 bytes)."""
    again = summarize(reexported, f"{source} (re-exported)")
    return compare_summaries(summarize(original, source), again)


def category(difference: Difference) -> str:
    """A difference's kind without the object's key: ``entity_references[*].unification_xrefs``."""
    head, _, rest = difference.path.partition("[")
    depth, i = 1, 0
    while i < len(rest) and depth:
        depth += {"[": 1, "]": -1}.get(rest[i], 0)
        i += 1
    tail = rest[i:]
    kind = {"present": "missing", "absent": "added"}.get(str(difference.expected), "changed") \
        if not tail else "changed"
    return f"{head}[*]{tail} ({kind})"


def format_differences(differences: list[Difference], limit: int = 40) -> str:
    """A readable, grouped report: counts per kind, then up to ``limit`` examples."""
    if not differences:
        return "no differences"
    groups = Counter(category(d) for d in differences)
    lines = [f"{len(differences)} difference(s):"]
    lines += [f"  {n:5d}  {cat}" for cat, n in sorted(groups.items())]
    lines.append("examples:")
    lines += [f"  {d}" for d in differences[:limit]]
    if len(differences) > limit:
        lines.append(f"  ... and {len(differences) - limit} more")
    return "\n".join(lines)
