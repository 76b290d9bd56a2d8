"""References inside an SBML document, checked without libsbml's validator.

libsbml's consistency checks run category by category and stop at the first category with
errors: a document with a duplicate id (identifier consistency) is never checked for a
species in an undeclared compartment or a reaction naming a missing species (general
consistency). :func:`check_references` checks what every SBML Level 2 and 3 document refers
to, in one pass over the XML, so that one run reports every broken reference. Each finding
carries the libsbml rule id of the same case (``sbml:20601`` ...), so a configuration that
suppresses or expects one applies to both.

Checked: a species' ``compartment`` (20601), a reaction's ``compartment`` (21107), the
``species`` of reactants, products and modifiers (21111), the ``symbol`` of an initial
assignment (20801), the ``variable`` of an assignment or rate rule (20901, 20902) and of an
event assignment (21211), and every ``<ci>`` name in math outside function definitions
(10215: it must name a model component, a local parameter of its kinetic law or a function).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from lxml import etree

from .findings import Finding

_MATHML = "http://www.w3.org/1998/Math/MathML"
_VALUES = ("compartment", "species", "parameter", "speciesReference")
"""Kinds of element whose value a rule, an initial assignment or an event may set."""

_CASES = {
    # (element, attribute): (libsbml rule, what the attribute must name, kinds it may name)
    ("species", "compartment"): ("20601", "a compartment", ("compartment",)),
    ("reaction", "compartment"): ("21107", "a compartment", ("compartment",)),
    ("speciesReference", "species"): ("21111", "a species", ("species",)),
    ("modifierSpeciesReference", "species"): ("21111", "a species", ("species",)),
    ("initialAssignment", "symbol"): ("20801", "a compartment, species, parameter or species reference", _VALUES),
    ("assignmentRule", "variable"): ("20901", "a compartment, species, parameter or species reference", _VALUES),
    ("rateRule", "variable"): ("20902", "a compartment, species, parameter or species reference", _VALUES),
    ("eventAssignment", "variable"): ("21211", "a compartment, species, parameter or species reference", _VALUES),
}


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _elements(model) -> Iterator:
    """The model's elements in document order, without annotations and notes (free XML)."""
    stack = [model]
    while stack:
        el = stack.pop()
        yield el
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)
                               and _local(c.tag) not in ("annotation", "notes")]))


def check_references(root: etree._Element, source: str, reported: Iterable[Finding] = ()) -> list[Finding]:
    """Every broken reference of an SBML document (its parsed root element).

    A case already among ``reported`` (libsbml's findings: the same rule, on the same element,
    naming the same value) is left out.
    """
    model = next((c for c in root if _local(c.tag) == "model"), None)
    if model is None:
        return []
    kinds: dict[str, str] = {}  # every id of the model's namespace, with the kind that holds it
    elements = list(_elements(model))
    for el in elements:
        ident, name = el.get("id"), _local(el.tag)
        if ident is None or name in ("localParameter", "unitDefinition"):
            continue
        if name == "parameter" and any(_local(a.tag) == "kineticLaw" for a in el.iterancestors()):
            continue  # a Level 2 local parameter
        kinds.setdefault(ident, name)
    said: dict[tuple[str, str], list[str]] = {}
    for f in reported:
        said.setdefault((f.rule, f.element), []).append(f.message)
    return [f for f, value in [*_attribute_findings(elements, kinds, source), *_math_findings(elements, kinds, source)]
            if not any(f"'{value}'" in message for message in said.get((f.rule, f.element), ()))]


def _owner(el) -> str:
    """The id that names where ``el`` is: its own, or its nearest ancestor's."""
    while el is not None:
        for attr in ("id", "variable", "symbol"):
            if el.get(attr):
                return el.get(attr)
        el = el.getparent()
    return ""


_BY_ELEMENT: dict[str, list[tuple[str, tuple[str, str, tuple[str, ...]]]]] = {}
for (_element, _attribute), _case in _CASES.items():
    _BY_ELEMENT.setdefault(_element, []).append((_attribute, _case))


def _attribute_findings(elements: list, kinds: dict[str, str], source: str) -> Iterator[tuple[Finding, str]]:
    for el in elements:
        name = _local(el.tag)
        for attribute, (rule, what, allowed) in _BY_ELEMENT.get(name, ()):
            value = el.get(attribute)
            if value is None:
                continue
            if kinds.get(value) in allowed:
                continue
            found = f"a {kinds[value]}" if value in kinds else "nothing in the model"
            yield Finding("error", f"sbml:{rule}", f"<{name}> {attribute}={value!r} names {found}; it must "
                          f"name {what}", element=_owner(el), line=el.sourceline, source=source,
                          hint=f"declare {value!r} or correct the {attribute}"), value


def _math_findings(elements: list, kinds: dict[str, str], source: str) -> Iterator[tuple[Finding, str]]:
    for math in (el for el in elements if el.tag == f"{{{_MATHML}}}math"):
        if any(_local(a.tag) == "functionDefinition" for a in math.iterancestors()):
            continue
        local = set()
        law = next((a for a in math.iterancestors() if _local(a.tag) == "kineticLaw"), None)
        if law is not None:
            local = {p.get("id") for p in law.iter() if _local(p.tag) in ("localParameter", "parameter")}
        for ci in math.iter(f"{{{_MATHML}}}ci"):
            value = (ci.text or "").strip()
            if value and value not in kinds and value not in local:
                yield Finding("error", "sbml:10215", f"the math names {value!r}, which the model does not "
                              "declare", element=_owner(math), line=ci.sourceline, source=source,
                              hint=f"declare {value!r} (a parameter, species, compartment ...) or correct the name"), value
