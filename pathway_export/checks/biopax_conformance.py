"""BioPAX Level 3 conformance: every class, property and value checked against the ontology.

The facts come from the BioPAX Level 3 OWL specification, held as tables in
:mod:`pathway_export.formats.biopax.level3` (generated from the OWL file). Each object of a
parsed document is checked for

* ``biopax:unknown-class``: a class Level 3 does not define;
* ``biopax:unknown-property``: a property Level 3 does not define (often a Level 2 name such as
  ``taxonXref``, or a misspelling);
* ``biopax:domain``: a property Level 3 defines, on a class it does not belong to;
* ``biopax:range``: a value of the wrong kind (a literal where an object is expected or the
  reverse), an object of a class outside the property's range or the class's restriction
  (``Catalysis.controlled`` takes conversions only), or a literal outside an enumeration
  (``controlType``, ``conversionDirection``, ...) or the one value a class fixes;
* ``biopax:datatype``: a literal that is not of the property's XML Schema datatype (a
  ``stoichiometricCoefficient`` of ``"two"``);
* ``biopax:cardinality``: more values than a functional property or a class restriction allows,
  or fewer than a class requires (a ``Stoichiometry`` without ``physicalEntity``);
* ``biopax:symmetric`` / ``biopax:inverse-functional``: ``bindsTo`` that does not point back,
  an entity feature owned by two entity references.

All are errors (but a component shared by complexes, see :data:`INVERSE_FUNCTIONAL_SEVERITY`): a
reader built on the ontology (Paxtools) drops or refuses such values. Enumerated values are
compared as Paxtools reads them: ``LEFT_TO_RIGHT`` (its own spelling) is ``LEFT-TO-RIGHT``. The
BioPAX validator reports the same cases as ``unknown.class``, ``unknown.property``,
``range.violated``, ``cardinality.violated``, ``symmetric.violated`` and
``inverse.functional.violated``.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Iterator

from ..formats.biopax.level3 import CLASSES, PROPERTIES
from ..formats.biopax.rdfxml import Document, Node, Ref
from .findings import Finding

RULE_IDS = ("unknown-class", "unknown-property", "domain", "range", "datatype", "cardinality",
            "symmetric", "inverse-functional")
"""The rules of this module (ids without the ``biopax:`` prefix)."""

INVERSE_FUNCTIONAL_SEVERITY = {"component": "info"}
"""``component`` is inverse functional in the ontology (a physical entity object is a component
of one complex), but neither Paxtools nor the BioPAX validator enforces it, Paxtools models a
physical entity's ``componentOf`` as a set, and 13 of the corpus's 40 published documents share
components (Reactome, Pathway Commons, PID): information. An entity feature shared by two entity
references is an error (Paxtools moves it to the last one it reads)."""

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_DATATYPES = {
    "xsd:string": lambda text: True,
    "xsd:float": lambda text: _FLOAT.fullmatch(text) is not None,
    "xsd:double": lambda text: _FLOAT.fullmatch(text) is not None,
    "xsd:int": lambda text: _INT.fullmatch(text) is not None and -2**31 <= int(text) < 2**31,
    "xsd:boolean": lambda text: text in ("true", "false", "1", "0"),
}
"""Lexical forms of the XML Schema datatypes BioPAX Level 3 uses (whitespace collapsed first)."""


@lru_cache(maxsize=None)
def ancestors(cls: str) -> frozenset[str]:
    """``cls`` and every class above it (empty for a class Level 3 does not define)."""
    if cls not in CLASSES:
        return frozenset()
    found = {cls}
    for parent in CLASSES[cls]["superclasses"]:
        found |= ancestors(parent)
    return frozenset(found)


def is_a(cls: str, classes) -> bool:
    """Whether ``cls`` is one of ``classes`` or a subclass of one."""
    return not ancestors(cls).isdisjoint(classes)


@lru_cache(maxsize=None)
def domain(prop: str) -> tuple[str, ...]:
    """The classes a property belongs to (a sub-property without its own: its parent's)."""
    facts = PROPERTIES[prop]
    if facts["domain"]:
        return tuple(facts["domain"])
    return tuple(sorted({c for parent in facts["superproperties"] for c in domain(parent)}))


@lru_cache(maxsize=None)
def properties_of(cls: str) -> tuple[str, ...]:
    """Every property Level 3 allows on ``cls``, sorted."""
    return tuple(sorted(p for p in PROPERTIES if is_a(cls, domain(p))))


@lru_cache(maxsize=None)
def restrictions(cls: str, prop: str) -> tuple[dict, ...]:
    """The restrictions ``cls`` and its superclasses put on ``prop``."""
    return tuple(r for c in sorted(ancestors(cls)) for r in CLASSES[c]["restrictions"]
                 if r["property"] == prop and "any_of" not in r)


def check_conformance(doc: Document) -> Iterator[Finding]:
    """Every finding of the ontology checks on a parsed document, object by object."""
    inverse_functional: dict[tuple[str, str], list[Node]] = {}
    for node in doc.nodes.values():
        yield from _check_node(doc, node)
        for prop, values in node.props.items():
            if prop in PROPERTIES and PROPERTIES[prop]["inverse_functional"]:
                for value in values:
                    if isinstance(value, Ref):
                        inverse_functional.setdefault((prop, value.uri), []).append(node)
    for (prop, uri), owners in inverse_functional.items():
        if len(owners) > 1 and not PROPERTIES[prop]["symmetric"]:
            names = ", ".join(o.uri for o in owners)
            yield _finding(doc, owners[1], "inverse-functional",
                           f"{prop} {uri} is also the {prop} of {owners[0].uri}; Level 3 allows one "
                           f"owner per value ({names})",
                           f"give each owner its own {_range_text(prop)} object",
                           severity=INVERSE_FUNCTIONAL_SEVERITY.get(prop, "error"))


def _check_node(doc: Document, node: Node) -> Iterator[Finding]:
    known = node.cls in CLASSES
    if not known:
        close = difflib.get_close_matches(node.cls, CLASSES, n=1)
        yield _finding(doc, node, "unknown-class", f"{node.cls} is not a BioPAX Level 3 class",
                       f"did you mean {close[0]!r}?" if close else "use a class of the BioPAX Level 3 ontology")
    for prop, values in node.props.items():
        if prop not in PROPERTIES:
            candidates = properties_of(node.cls) if known else tuple(PROPERTIES)
            close = difflib.get_close_matches(prop, candidates, n=1, cutoff=0.5)
            yield _finding(doc, node, "unknown-property", f"{prop} is not a BioPAX Level 3 property",
                           f"did you mean {close[0]!r}?" if close else
                           f"properties of {node.cls}: {', '.join(candidates)}")
            continue
        if not known:
            continue
        if not is_a(node.cls, domain(prop)):
            yield _finding(doc, node, "domain", f"{prop} is not a property of {node.cls} "
                           f"(Level 3 defines it on {', '.join(domain(prop))})",
                           f"properties of {node.cls}: {', '.join(properties_of(node.cls))}")
            continue
        yield from _check_values(doc, node, prop, values)
    if known:
        yield from _check_cardinality(doc, node)


def _check_values(doc: Document, node: Node, prop: str, values: list) -> Iterator[Finding]:
    facts = PROPERTIES[prop]
    limits = restrictions(node.cls, prop)
    if facts["kind"] == "object":
        allowed = [tuple(facts["range"]["classes"])]
        allowed += [tuple(r["all_values_from"]["classes"]) for r in limits if "all_values_from" in r]
        for value in values:
            if not isinstance(value, Ref):
                what = (f"holds the literal {value.strip()!r}" if value.strip() else
                        "is an empty element (rdf:ID on a property element names the statement, "
                        "not a value)")
                yield _finding(doc, node, "range", f"{prop} {what}; it takes a reference to a "
                               f"{' or '.join(allowed[-1])} object",
                               f'write <bp:{prop} rdf:resource="..."/> naming that object')
                continue
            target = doc.nodes.get(value.uri)
            if target is None or target.cls not in CLASSES:
                continue  # a dangling reference or an unknown class: reported on their own
            for classes in allowed:
                if not is_a(target.cls, classes):
                    on_class = classes != allowed[0]
                    yield _finding(doc, node, "range",
                                   f"{prop} {value.uri} is a {target.cls}; {prop} "
                                   f"{'of a ' + node.cls if on_class else ''}{' ' if on_class else ''}"
                                   f"takes {' or '.join(classes)} objects only",
                                   _range_hint(node.cls, prop, target.cls))
                    break
        return
    datatype = facts["range"].get("datatype")
    enumeration, allows = facts["range"].get("values"), "Level 3 allows"
    for limit in limits:
        if "values" in limit.get("all_values_from", {}):
            enumeration, allows = limit["all_values_from"]["values"], f"a {node.cls} allows"
    fixed = [r["has_value"] for r in limits if "has_value" in r]
    for value in values:
        if isinstance(value, Ref):
            yield _finding(doc, node, "range", f"{prop} refers to {value.uri}; it takes a literal "
                           f"({datatype or 'one of ' + ', '.join(enumeration or ())}), not an object",
                           f"write the value as the text of <bp:{prop}>")
            continue
        text = " ".join(value.split())
        # Paxtools writes enumerated values by their Java names (LEFT_TO_RIGHT) and reads both
        term = text.replace("_", "-") if enumeration else text
        if fixed and term not in fixed:
            yield _finding(doc, node, "range", f"{prop} is {text!r}; a {node.cls} has {prop} "
                           f"{fixed[0]!r} (or none)", f"set {prop} to {fixed[0]} or remove it")
        elif enumeration and term not in enumeration:
            close = difflib.get_close_matches(term.upper(), enumeration, n=1)
            yield _finding(doc, node, "range", f"{prop} is {text!r}; {allows} {', '.join(enumeration)}",
                           f"did you mean {close[0]!r}?" if close else None)
        elif datatype and not _DATATYPES.get(datatype, _DATATYPES["xsd:string"])(text):
            example = {"xsd:int": "2", "xsd:boolean": "true"}.get(datatype, "1.0")
            yield _finding(doc, node, "datatype", f"{prop} is {text!r}, not a valid {datatype}",
                           f"write {prop} as an {datatype} literal (e.g. {example})")


def _check_cardinality(doc: Document, node: Node) -> Iterator[Finding]:
    counts = {prop: len(values) for prop, values in node.props.items()}
    for prop, count in counts.items():
        if count > 1 and prop in PROPERTIES and PROPERTIES[prop]["functional"] and is_a(node.cls, domain(prop)):
            yield _finding(doc, node, "cardinality", f"{prop} has {count} values; it is functional "
                           "(at most one)", f"keep one {prop}")
    for cls in sorted(ancestors(node.cls)):
        for limit in CLASSES[cls]["restrictions"]:
            if "any_of" in limit:
                if not any(_holds(a, counts.get(a["property"], 0)) for a in limit["any_of"]):
                    names = " or ".join(a["property"] for a in limit["any_of"])
                    yield _finding(doc, node, "cardinality", f"has no {names}; a {cls} needs at least one",
                                   f"add a {names.split(' or ')[0]} (or one of the others)")
                continue
            count = counts.get(limit["property"], 0)
            if not _holds(limit, count):
                prop = limit["property"]
                wanted = (f"exactly {limit['cardinality']}" if "cardinality" in limit else
                          f"at least {limit['minCardinality']}" if "minCardinality" in limit else
                          f"at most {limit['maxCardinality']}")
                yield _finding(doc, node, "cardinality", f"has {count} {prop} value{'s' * (count != 1)}; "
                               f"a {cls} has {wanted}",
                               f"add the missing {prop}" if count < max(limit.get("cardinality", 0),
                                                                         limit.get("minCardinality", 0))
                               else f"keep {wanted.removeprefix('exactly ').removeprefix('at most ')} {prop}")
    for uri in node.refs("bindsTo"):
        partner = doc.nodes.get(uri)
        if partner is not None and node.uri not in partner.refs("bindsTo"):
            yield _finding(doc, node, "symmetric", f"bindsTo {uri}, which does not bind back",
                           f"add <bp:bindsTo rdf:resource=\"{node.uri}\"/> to {uri}")


def _holds(limit: dict, count: int) -> bool:
    if "cardinality" in limit:
        return count == limit["cardinality"]
    if "minCardinality" in limit:
        return count >= limit["minCardinality"]
    if "maxCardinality" in limit:
        return count <= limit["maxCardinality"]
    return True


def _range_text(prop: str) -> str:
    return " or ".join(PROPERTIES[prop]["range"].get("classes", ())) or "value"


def _range_hint(cls: str, prop: str, target: str) -> str | None:
    fitting = [p for p in properties_of(cls) if PROPERTIES[p]["kind"] == "object"
               and is_a(target, PROPERTIES[p]["range"]["classes"])
               and all(is_a(target, r["all_values_from"]["classes"])
                       for r in restrictions(cls, p) if "all_values_from" in r)]
    if fitting:
        return f"a {target} fits {', '.join(fitting)} of a {cls}"
    return None


def _finding(doc: Document, node: Node, rule: str, message: str, hint: str | None,
             severity: str = "error") -> Finding:
    return Finding(severity, f"biopax:{rule}", message, element=f"{node.cls} {node.uri}", line=node.line,
                   source=doc.source, hint=hint)
