"""Rule checks on BioPAX Level 3 documents: what Cytoscape and Pathway Commons users trip over.

Every document is first checked against the BioPAX Level 3 ontology
(:mod:`pathway_export.checks.biopax_conformance`: classes, properties, domains, ranges, datatypes,
cardinalities). The other checks follow rules of the public BioPAX validator (each finding's rule id is
``biopax:<validator rule name>``), re-stated on the parsed document rather than run through the
validator. Findings are data (:class:`~pathway_export.checks.findings.Finding`); a document that
cannot be parsed gives one ``biopax:syntax`` (or ``biopax:level``) finding, never an exception.

Severities follow what the rule means for a user: ``error`` where tools misread the document
(a catalysis that inhibits, a complex inside itself, a dangling reference), ``warning`` for
best practice (a shared unification xref, a missing organism), ``info`` for what the BioPAX
validator itself classes as information (its category ``information``: unbalanced
stoichiometry, ``stoichiometry.mismatch``; a complex component that is also a participant,
``ambiguous.feature``), which Level 3 allows: a conversion need not be mass-balanced (GTP
hydrolysis written without its phosphate), and a pool may be both free and bound.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable, Iterable, Iterator

from ..errors import FormatError, UnsupportedFeatureError
from ..formats.biopax.rdfxml import Document, Node, Ref, dangling_references, parse_document
from ..formats.biopax.terms import CONTROL_CLASSES, CONVERSION_CLASSES, ENTITY_CLASS_TYPES
from .biopax_conformance import RULE_IDS as CONFORMANCE_RULES, check_conformance
from .findings import Finding

SIMPLE_ENTITIES = set(ENTITY_CLASS_TYPES) - {"Complex"}
NAMED = set(ENTITY_CLASS_TYPES) | CONVERSION_CLASSES | CONTROL_CLASSES | {
    "Pathway", "TemplateReaction", "MolecularInteraction", "GeneticInteraction", "Gene", "PhysicalEntity",
    "ProteinReference", "SmallMoleculeReference", "DnaReference", "DnaRegionReference", "RnaReference",
    "RnaRegionReference", "BioSource", "Provenance"}
UTILITY_SKIP = NAMED | {"PathwayStep", "BiochemicalPathwayStep"}
"""Classes that are not utility classes for the clone check (entities, references, named things)."""
_BAD_URI = re.compile(r"[\s<>\"{}|\\^`]")


class _Context:
    """A parsed document with the inverse indexes rules need (who refers to whom, by property)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.nodes = doc.nodes
        self.source = doc.source
        self.inverse: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for node in self.nodes.values():
            for prop, values in node.props.items():
                for v in values:
                    if isinstance(v, Ref):
                        self.inverse[prop][v.uri].append(node.uri)

    def of(self, *classes: str) -> list[Node]:
        return self.doc.of(*classes)

    def get(self, uri: str) -> Node | None:
        return self.nodes.get(uri)

    def refs(self, node: Node, prop: str) -> list[Node]:
        return [self.nodes[u] for u in node.refs(prop) if u in self.nodes]

    def finding(self, severity: str, rule: str, node: Node, message: str) -> Finding:
        return Finding(severity, f"biopax:{rule}", message, element=f"{node.cls} {node.uri}", line=node.line,
                       source=self.source)


Rule = Callable[[_Context], Iterator[Finding]]
RULES: dict[str, Rule] = {}


def rule(name: str):
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn
    return register


def check_biopax(data: bytes, source: str = "<bytes>") -> list[Finding]:
    """Every finding of every rule on a BioPAX document (bytes), in rule order."""
    try:
        doc = parse_document(data, source, check_references=False)
    except FormatError as exc:
        return [Finding("error", "biopax:syntax", p.message + (f" ({p.hint})" if p.hint else ""), p.where,
                        p.line, p.column, source) for p in exc.problems]
    except UnsupportedFeatureError as exc:
        return [Finding("error", "biopax:level", str(exc), source=source)]
    ctx = _Context(doc)
    findings = [Finding("error", "biopax:DanglingPropertyValueRule", p.message, p.where, p.line, source=source)
                for p in dangling_references(doc)]
    findings.extend(check_conformance(doc))
    for check in RULES.values():
        findings.extend(check(ctx))
    return findings


# --------------------------------------------------------------------------- identity

@rule("BiopaxElementIdRule")
def _element_ids(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.nodes.values():
        if _BAD_URI.search(node.uri):
            yield ctx.finding("error", "BiopaxElementIdRule", node,
                              f"the URI {node.uri!r} holds characters a URI cannot (spaces, quotes, brackets)")


@rule("ClonedUtilityClassRule")
def _clones(ctx: _Context) -> Iterator[Finding]:
    seen: dict[tuple, Node] = {}
    for node in ctx.nodes.values():
        if node.cls in UTILITY_SKIP or not node.props:
            continue
        # a feature is the same feature only on the same entity reference (Paxtools' equivalence)
        owners = tuple(sorted(ctx.inverse["entityFeature"].get(node.uri, ())))
        values = tuple(sorted((p, tuple(sorted(map(str, v)))) for p, v in node.props.items() if p != "comment"))
        key = (node.cls, owners, values)
        if key in seen:
            yield ctx.finding("warning", "ClonedUtilityClassRule", node,
                              f"is a clone of {seen[key].uri} (same class, same values): use one object")
        else:
            seen[key] = node


@rule("SharedUnificationXrefRule")
def _shared_unification(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.of("UnificationXref"):
        owners = ctx.inverse["xref"].get(node.uri, [])
        if len(set(owners)) > 1:
            yield ctx.finding("warning", "SharedUnificationXrefRule", node,
                              f"is the unification xref of {len(set(owners))} objects ({', '.join(sorted(set(owners))[:3])}"
                              f"{' ...' if len(set(owners)) > 3 else ''}); a unification xref identifies one")


@rule("DisplayNameRule")
def _display_name(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.nodes.values():
        if node.cls in NAMED and node.cls not in CONTROL_CLASSES and not node.lit("displayName"):
            yield ctx.finding("warning", "DisplayNameRule", node,
                              "has no displayName (Cytoscape and SBGN label nodes with it)")


@rule("DuplicateNamesRule")
def _duplicate_names(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.nodes.values():
        names = node.lits("name")
        repeated = sorted({n for n in names if names.count(n) > 1}
                          | {n for n in names if n in (node.lit("displayName"), node.lit("standardName"))})
        if repeated:
            yield ctx.finding("warning", "DuplicateNamesRule", node,
                              f"repeats the name{'s' * (len(repeated) > 1)} {', '.join(map(repr, repeated))} "
                              "(displayName and standardName are names already; each name once)")


@rule("ProteinReferenceOrganismCRRule")
def _protein_organism(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.of("ProteinReference"):
        count = len(node.refs("organism"))
        if count != 1:
            yield ctx.finding("warning", "ProteinReferenceOrganismCRRule", node,
                              f"has {count} organisms; a protein reference needs exactly one (BioSource)")


# --------------------------------------------------------------------------- physical entities

@rule("AcyclicComplexRule")
def _acyclic(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.of("Complex"):
        stack, seen = list(node.refs("component")), set()
        while stack:
            uri = stack.pop()
            if uri == node.uri:
                yield ctx.finding("error", "AcyclicComplexRule", node, "is (through its components) a component of itself")
                break
            if uri in seen or uri not in ctx.nodes:
                continue
            seen.add(uri)
            stack.extend(ctx.nodes[uri].refs("component"))


@rule("SimplePhysicalEntityFeaturesRule")
def _features_declared(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.nodes.values():
        if node.cls not in SIMPLE_ENTITIES:
            continue
        references = ctx.refs(node, "entityReference")
        if not references:
            continue
        declared = set(references[0].refs("entityFeature"))
        for prop in ("feature", "notFeature"):
            for uri in node.refs(prop):
                if uri not in declared:
                    yield ctx.finding("error", "SimplePhysicalEntityFeaturesRule", node,
                                      f"{prop} {uri} is not among its entity reference's entityFeature")


@rule("PhysicalEntityAmbiguousFeatureRule")
def _ambiguous(ctx: _Context) -> Iterator[Finding]:
    participant_props = ("left", "right", "participant", "product", "template")
    for node in ctx.nodes.values():
        if node.cls not in ENTITY_CLASS_TYPES:
            continue
        participates = any(ctx.inverse[p].get(node.uri) for p in participant_props)
        if participates and ctx.inverse["component"].get(node.uri):
            features = ctx.refs(node, "feature") + ctx.refs(node, "notFeature")
            if not any(f.cls == "BindingFeature" for f in features):
                yield ctx.finding("info", "PhysicalEntityAmbiguousFeatureRule", node,
                                  "is both a reaction participant and a complex component without a BindingFeature")


@rule("participantLocation")
def _participant_location(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.nodes.values():
        if node.cls in ENTITY_CLASS_TYPES and not node.refs("cellularLocation"):
            if any(ctx.inverse[p].get(node.uri) for p in ("left", "right", "product", "template", "controller")):
                yield ctx.finding("warning", "participantLocation", node,
                                  "takes part in an interaction but has no cellularLocation")


# --------------------------------------------------------------------------- interactions

def _locations_equal(ctx: _Context, a: Node, b: Node) -> bool:
    la, lb = a.refs("cellularLocation"), b.refs("cellularLocation")
    if la == lb:
        return True
    terms = lambda uris: {(ctx.nodes[u].lit("term") or "").lower() for u in uris if u in ctx.nodes}  # noqa: E731
    return bool(la and lb and terms(la) == terms(lb))


def _names(node: Node) -> set[str]:
    return set(node.lits("name")) | {n for n in (node.lit("displayName"), node.lit("standardName")) if n}


@rule("BiochemReactParticipantsLocationRule")
def _biochem_locations(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.of("BiochemicalReaction", "TransportWithBiochemicalReaction"):
        transport = node.cls == "TransportWithBiochemicalReaction"
        for left in ctx.refs(node, "left"):
            for right in ctx.refs(node, "right"):
                if left.cls != right.cls:
                    continue
                if left.cls == "Complex":
                    same = bool(_names(left) & _names(right))
                else:
                    same = left.refs("entityReference") == right.refs("entityReference")
                if not same:
                    continue
                moved = not _locations_equal(ctx, left, right)
                if moved and not transport:
                    yield ctx.finding("error", "BiochemReactParticipantsLocationRule", node,
                                      f"{left.uri} and {right.uri} are the same kind in different places: "
                                      "a location change needs a Transport")
                elif not moved and transport:
                    yield ctx.finding("error", "BiochemReactParticipantsLocationRule", node,
                                      f"{left.uri} and {right.uri} stay in one place in a transport")


def _count(ctx: _Context, stoichiometries: list[Node], entities: list[Node], depth: int = 0) -> float:
    table = {}
    for s in stoichiometries:
        for pe in s.refs("physicalEntity"):
            try:
                table[pe] = float(s.lit("stoichiometricCoefficient") or 1)
            except ValueError:
                table[pe] = 1.0
    total = 0.0
    for pe in entities:
        if pe.cls == "Complex" and depth < 20:
            total += table.get(pe.uri, 1.0) * _count(ctx, ctx.refs(pe, "componentStoichiometry"),
                                                      ctx.refs(pe, "component"), depth + 1)
        else:
            total += table.get(pe.uri, 1.0)
    return total


@rule("ConversionStoichiometryCheckRule")
def _stoichiometry(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.of(*(CONVERSION_CLASSES - {"Degradation"})):
        stoichiometries = ctx.refs(node, "participantStoichiometry")
        left = _count(ctx, stoichiometries, ctx.refs(node, "left"))
        right = _count(ctx, stoichiometries, ctx.refs(node, "right"))
        if abs(left - right) > 1e-9:
            yield ctx.finding("info", "ConversionStoichiometryCheckRule", node,
                              f"left counts {left:g} molecules, right {right:g} (complexes expanded)")


@rule("ConversionToComplexAssemblyRule")
def _complex_formation(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.of(*(CONVERSION_CLASSES - {"ComplexAssembly", "Degradation"})):
        left, right = ctx.refs(node, "left"), ctx.refs(node, "right")
        for side, other in ((right, left), (left, right)):
            for complex_ in (n for n in side if n.cls == "Complex"):
                parts = set(complex_.refs("component"))
                if len(other) > 1 and {n.uri for n in other} == parts:
                    yield ctx.finding("warning", "ConversionToComplexAssemblyRule", node,
                                      f"forms or breaks complex {complex_.uri} from its components: "
                                      "make it a ComplexAssembly")


@rule("ComplexAssemblyHasComplexParticipantRule")
def _assembly_has_complex(ctx: _Context) -> Iterator[Finding]:
    for node in ctx.of("ComplexAssembly"):
        if not any(n.cls == "Complex" for n in ctx.refs(node, "left") + ctx.refs(node, "right")):
            yield ctx.finding("warning", "ComplexAssemblyHasComplexParticipantRule", node,
                              "is a complex assembly without a complex on either side")


VALIDATOR_RULES = {
    "ControlTypeRule": "range", "DegradationConversionDirectionRule": "range",
    "CatalysisControllerCRRule": "range", "CatalysisControlledCRRule": "range",
    "BiochemPathwayStepOneConversionRule": "range", "SyntaxErrors": "unknown-property",
}
"""BioPAX validator rules whose cases are ontology facts, with the rule of ours that reports them.

The validator reports these as ``range.violated`` (a controlType a Catalysis may not have, a
Degradation that is not LEFT-TO-RIGHT, a conversion as a BiochemicalPathwayStep's stepProcess)
or ``unknown.property`` (its ``testSyntaxErrors`` example); here the ontology tables hold those
facts and :mod:`pathway_export.checks.biopax_conformance` checks them. Every other validator rule this
module implements keeps its name.
"""


def rule_names() -> Iterable[str]:
    """Every rule this module checks (ids without the ``biopax:`` prefix)."""
    return ["DanglingPropertyValueRule", *CONFORMANCE_RULES, *RULES]


def rule_for(validator_rule: str) -> str:
    """Our rule id (without ``biopax:``) for a rule or example name of the BioPAX validator."""
    return VALIDATOR_RULES.get(validator_rule, validator_rule)
