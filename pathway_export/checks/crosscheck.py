"""Do the SBML and the BioPAX document of one model say the same biology?

:func:`crosscheck` compares the two models read back from the two documents on what both
formats carry: compartments (GO term, nesting), molecules (kind and identifiers), entities
(molecule, place, components, modifications, bound molecules, activity), reactions
(kind, direction, participants, template, controls) and pathways. Kinetics are SBML's alone
and are not compared. Each disagreement is one finding naming the element and both values.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from ..model import Model
from .findings import Finding

_ASPECTS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "compartments": ("compartment", lambda c: {"name": c.name, "go": c.go, "parent": c.parent}),
    "molecules": ("molecule", lambda m: {"type": m.type, "name": m.name, "symbol": m.symbol,
                                         "xrefs": sorted(m.xrefs), "organism": m.organism}),
    "entities": ("entity", lambda e: {
        "molecule": e.molecule, "compartment": e.compartment,
        "components": sorted((c.entity, c.stoichiometry) for c in e.components),
        "modifications": sorted((m.type, m.residue or "", m.position or 0) for m in e.modifications),
        "bound": sorted(e.bound), "active": e.active, "xrefs": sorted(e.xrefs)}),
    "reactions": ("reaction", lambda r: {
        "type": r.type, "reversible": r.reversible,
        "reactants": sorted((p.entity, float(p.stoichiometry)) for p in r.reactants),
        "products": sorted((p.entity, float(p.stoichiometry)) for p in r.products),
        "template": r.template, "controls": sorted((c.controller, c.type) for c in r.controls),
        "xrefs": sorted(r.xrefs)}),
    "pathways": ("pathway", lambda p: {"name": p.name, "steps": list(p.steps), "subpathways": list(p.subpathways)}),
}


def crosscheck(sbml_model: Model, biopax_model: Model, sbml_name: str = "SBML",
               biopax_name: str = "BioPAX") -> list[Finding]:
    """Findings (rule ``crosscheck:<kind>``) where the two models disagree; empty when they agree."""
    findings: list[Finding] = []
    for collection, (kind, facts) in _ASPECTS.items():
        findings.extend(_compare(kind, getattr(sbml_model, collection), getattr(biopax_model, collection),
                                 facts, sbml_name, biopax_name))
    return findings


def _compare(kind: str, left: Iterable, right: Iterable, facts, a: str, b: str) -> list[Finding]:
    rule = f"crosscheck:{kind}"
    by_left = {x.id: x for x in left}
    by_right = {x.id: x for x in right}
    out = []
    for ident, x in by_left.items():
        if ident not in by_right:
            out.append(Finding("error", rule, f"{kind} {ident!r} is in the {a} document only", element=ident))
            continue
        fa, fb = facts(x), facts(by_right[ident])
        for name in fa:
            if fa[name] != fb[name]:
                out.append(Finding("error", rule, f"{kind} {ident!r} {name}: {a} says {fa[name]!r}, "
                                                  f"{b} says {fb[name]!r}", element=ident))
    for ident in by_right:
        if ident not in by_left:
            out.append(Finding("error", rule, f"{kind} {ident!r} is in the {b} document only", element=ident))
    return out
