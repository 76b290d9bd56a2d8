"""What a BioPAX document says, read with rdflib: an independent check of our reader and writer.

The graph comparison of :mod:`pathway_export.formats.biopax` re-exports cannot compare triples:
URIs, helper objects and the way xrefs are shared all change on the trip. :func:`meaning` reads a
document with rdflib (not with our reader, nor with our own summariser) and keys each thing by
what it is: an entity reference by its class and xrefs, a physical entity by its class, reference,
location, features, components and members, an interaction by its class, direction and
participants, a control by its class, type, controllers, cofactors and what it controls. Each
category is a multiset; :func:`compare` names what one document has that the other lacks.
"""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, URIRef

from pathway_export.formats.biopax.terms import COMMENT_TAG
from pathway_export.checks.biopax_graph import xref_key

BP = "http://www.biopax.org/release/biopax-level3.owl#"
SOURCE_BASE = "urn:source/"

ENTITY_REFERENCES = {"ProteinReference", "SmallMoleculeReference", "DnaReference", "RnaReference",
                     "DnaRegionReference", "RnaRegionReference", "EntityReference"}
PHYSICAL_ENTITIES = {"PhysicalEntity", "Protein", "SmallMolecule", "Complex", "Dna", "Rna", "DnaRegion",
                     "RnaRegion"}
CONTROLS = {"Control", "Catalysis", "Modulation", "TemplateReactionRegulation"}
INTERACTIONS = {"Interaction", "MolecularInteraction", "GeneticInteraction", "Conversion", "ComplexAssembly",
                "BiochemicalReaction", "Transport", "TransportWithBiochemicalReaction", "Degradation",
                "TemplateReaction"}
ROLES = ("left", "right", "participant", "product", "template")
CATEGORIES = ("entity_references", "physical_entities", "interactions", "controls", "features",
              "publications", "comments")


@dataclass
class Meaning:
    """Multisets of keys, one per category (see :data:`CATEGORIES`)."""

    counts: dict[str, Counter] = field(default_factory=lambda: {c: Counter() for c in CATEGORIES})


def _graph(data: bytes) -> rdflib.Graph:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    graph = rdflib.Graph()
    graph.parse(data=data, format="xml", publicID=SOURCE_BASE)
    return graph


class _Reader:
    def __init__(self, graph: rdflib.Graph):
        self.g = graph
        self.memo: dict[tuple[str, URIRef], str] = {}

    def cls(self, node) -> str | None:
        for t in self.g.objects(node, RDF.type):
            if str(t).startswith(BP):
                return str(t)[len(BP):]
        return None

    def objs(self, node, prop: str) -> list:
        return list(self.g.objects(node, URIRef(BP + prop)))

    def texts(self, node, prop: str) -> list[str]:
        return sorted(str(v).strip() for v in self.objs(node, prop))

    def text(self, node, prop: str) -> str | None:
        values = self.texts(node, prop)
        return values[0] if values else None

    def xrefs(self, node, cls: str) -> list[str]:
        return sorted(xref_key(self.text(x, "db"), self.text(x, "id")) for x in self.objs(node, "xref")
                      if self.cls(x) == cls)

    def vocabulary(self, node) -> str:
        keys = self.xrefs(node, "UnificationXref")
        return ",".join(keys) if keys else f"'{(self.text(node, 'term') or '').lower()}'"

    def position(self, site) -> str:
        return self.text(site, "sequencePosition") or "?"

    def feature(self, node) -> str:
        parts = [self.cls(node) or "?"]
        parts += [self.vocabulary(v) for v in self.objs(node, "modificationType")]
        for loc in self.objs(node, "featureLocation"):
            if self.cls(loc) == "SequenceInterval":
                begin = [self.position(s) for s in self.objs(loc, "sequenceIntervalBegin")] or ["?"]
                end = [self.position(s) for s in self.objs(loc, "sequenceIntervalEnd")] or ["?"]
                parts.append(f"@{begin[0]}-{end[0]}")
            else:
                parts.append(f"@{self.position(loc)}")
        return " ".join(parts)

    def reference(self, node) -> str:
        key = ("er", node)
        if key not in self.memo:
            members = sorted(self.reference(m) for m in self.objs(node, "memberEntityReference"))
            self.memo[key] = (f"{self.cls(node)}[{' '.join(self.xrefs(node, 'UnificationXref'))}"
                              f" ~{' '.join(self.xrefs(node, 'RelationshipXref'))}]"
                              + (f"{{{' | '.join(members)}}}" if members else "")
                              + ("" if self.xrefs(node, "UnificationXref") or self.xrefs(node, "RelationshipXref")
                                 or members else f"'{self.text(node, 'displayName') or self.text(node, 'standardName')}'"))
        return self.memo[key]

    def stoichiometry(self, node, prop: str) -> dict:
        out = {}
        for s in self.objs(node, prop):
            for pe in self.objs(s, "physicalEntity"):
                out[pe] = self.text(s, "stoichiometricCoefficient") or "1"
        return out

    def entity(self, node, depth: int = 0) -> str:
        key = ("pe", node)
        if key in self.memo:
            return self.memo[key]
        if depth > 40:
            return "(cycle)"
        cls = self.cls(node)
        if cls not in PHYSICAL_ENTITIES:
            return f"{cls}'{self.text(node, 'displayName')}'"
        counts = self.stoichiometry(node, "componentStoichiometry")
        refs = [self.reference(r) for r in self.objs(node, "entityReference")]
        locations = [self.vocabulary(v) for v in self.objs(node, "cellularLocation")]
        features = sorted(self.feature(f) for f in self.objs(node, "feature"))
        absent = sorted(self.feature(f) for f in self.objs(node, "notFeature"))
        components = sorted(f"{float(counts.get(c, '1')):g} {self.entity(c, depth + 1)}"
                            for c in self.objs(node, "component"))
        members = sorted(self.entity(m, depth + 1) for m in self.objs(node, "memberPhysicalEntity"))
        named = "" if refs or components or members else f"'{self.text(node, 'displayName')}'"
        text = (f"{cls}{named}({' '.join(refs)})@{','.join(locations)}"
                + (f"{{{', '.join(features)}}}" if features else "")
                + (f"{{not {', '.join(absent)}}}" if absent else "")
                + (f"[{' + '.join(components)}]" if components else "")
                + (f"{{any of {' | '.join(members)}}}" if members else ""))
        self.memo[key] = text
        return text

    def interaction(self, node, depth: int = 0) -> str:
        key = ("it", node)
        if key in self.memo:
            return self.memo[key]
        if depth > 40:
            return "(cycle)"
        cls = self.cls(node)
        if cls in CONTROLS:
            controllers = sorted(self.entity(c) if self.cls(c) in PHYSICAL_ENTITIES else self.cls(c) or "?"
                                 for c in self.objs(node, "controller"))
            cofactors = sorted(self.entity(c) for c in self.objs(node, "cofactor"))
            controlled = sorted(self.interaction(c, depth + 1) if self.cls(c) != "Pathway"
                                else f"Pathway'{self.text(c, 'displayName')}'" for c in self.objs(node, "controlled"))
            text = (f"{cls} {self.text(node, 'controlType') or '-'} {self.text(node, 'catalysisDirection') or ''}"
                    f" by {' + '.join(controllers)}" + (f" with {' + '.join(cofactors)}" if cofactors else "")
                    + f" of ({' | '.join(controlled)})")
        elif cls in INTERACTIONS:
            counts = self.stoichiometry(node, "participantStoichiometry")
            sides = []
            for role in ROLES:
                values = sorted(f"{float(counts.get(p, '1')):g} {self.entity(p)}" for p in self.objs(node, role))
                if values:
                    sides.append(f"{role}: {' + '.join(values)}")
            direction = (self.text(node, "conversionDirection") or "").replace("_", "-")
            text = f"{cls} {direction} " + "; ".join(sides)
        else:
            text = f"{cls}'{self.text(node, 'displayName')}'"
        self.memo[key] = text
        return text

    def publication(self, node) -> str:
        return (f"{xref_key(self.text(node, 'db'), self.text(node, 'id'))} {self.text(node, 'title') or ''}"
                f" {'; '.join(self.texts(node, 'author'))} {self.text(node, 'year') or ''}"
                f" {'; '.join(self.texts(node, 'source'))}")

    def run(self) -> Meaning:
        out = Meaning()
        counts = out.counts
        for node in set(self.g.subjects(RDF.type, None)):
            cls = self.cls(node)
            if cls is None:
                continue
            if cls in ENTITY_REFERENCES:
                counts["entity_references"][self.reference(node)] += 1
            elif cls in PHYSICAL_ENTITIES:
                counts["physical_entities"][self.entity(node)] += 1
                owner = " ".join(self.reference(r) for r in self.objs(node, "entityReference")) or cls
                for prop in ("feature", "notFeature"):
                    for f in self.objs(node, prop):
                        counts["features"][f"{owner} {prop} {self.feature(f)}"] += 1
            elif cls in CONTROLS:
                counts["controls"][self.interaction(node)] += 1
            elif cls in INTERACTIONS:
                counts["interactions"][self.interaction(node)] += 1
            elif cls == "PublicationXref":
                counts["publications"][self.publication(node)] += 1
            for comment in self.texts(node, "comment"):
                if not comment.startswith(COMMENT_TAG):
                    counts["comments"][comment] += 1
        # a publication counts once, however many objects cite it
        counts["publications"] = Counter(set(counts["publications"]))
        counts["comments"] = Counter(set(counts["comments"]))
        return out


def meaning(data: bytes) -> Meaning:
    """What ``data`` says, category by category (see the module notes)."""
    return _Reader(_graph(data)).run()


@dataclass(frozen=True)
class Loss:
    """One key of ``category`` that one document holds more often than the other."""

    category: str
    key: str
    source: int
    reexport: int

    def __str__(self) -> str:
        return f"{self.category}: {self.key[:400]} (source x{self.source}, re-export x{self.reexport})"


def compare(source: bytes, reexport: bytes) -> list[Loss]:
    """Every key whose count differs between the two documents, category by category."""
    a, b = meaning(source), meaning(reexport)
    out = []
    for category in CATEGORIES:
        x, y = a.counts[category], b.counts[category]
        if category == "comments":  # the re-export may say more (descriptions of its own)
            y = Counter({k: v for k, v in y.items() if k in x})
        for key in sorted(set(x) | set(y)):
            if x[key] != y[key]:
                out.append(Loss(category, key, x[key], y[key]))
    return out
