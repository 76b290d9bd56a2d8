"""SBML-qual: the model's logic as a Boolean network, in a document of its own.

COPASI refuses the qual package in a core file, so the logical model is a separate SBML
Level 3 Version 1 document with qual Version 1. It is derived from the canonical model's
reactions, controls and enzymes; nothing in it is written by hand.

The rules
---------
* **A qualitative species per entity** (same id, same compartment, levels 0 and 1). Its
  initial level is 1 when the entity starts with a positive concentration or amount.
* **Basal pools stay on.** An entity present at the start that the model keeps (an initial
  pool of a protein, a gene, a constant or boundary species) has no transition of its own
  unless something sequesters it (below): the cell keeps it.
* **Inputs are set from outside.** A boundary entity absent at the start (IL-6 in the
  medium) has no transition: a simulation sets its level (the stimulus).
* **A product is on when a reaction making it runs**: all its reactants and its template
  on, every catalyst and activator on (one of them where a control names several), no
  inhibitor on. A control of no stated effect sets no condition. The forward direction is the
  signal's; reverse steps of reversible reactions are not drawn.
* **Sequestration into an inactive form switches the active partner off.** When a binding
  turns an entity stated ``active`` into a complex stated not active (SOCS3 binding the
  activated receptor), every other reactant of that binding inhibits the active entity.

Each transition lists its inputs with their sign (``positive`` for reactants, templates,
catalysts and activators, ``negative`` for inhibitors and sequestering partners) and
assigns the level of its one output. :func:`simulate` runs such a document, ours or
another's, synchronously or asynchronously.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import product
from pathlib import Path

import libsbml

from ...errors import PathwayExportError, Problem, WriteError
from ...fsutil import atomic_write_bytes
from ...model import Model, Reaction
from .boolean import simulate, states  # noqa: F401  (re-exported)

__all__ = ["to_qual", "write_qual", "qual_problems", "logic", "simulate", "states"]

QUAL_VERSION = 1


def _check(ret: int, what: str) -> None:
    if ret != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise WriteError(f"libsbml could not set {what}: {libsbml.OperationReturnValue_toString(ret)}")


def logic(model: Model) -> dict[str, tuple[list[list[tuple[str, bool]]], list[str]]]:
    """The rule of each entity that has one: ``(terms, sequesters)``.

    ``terms`` is a list of alternatives (one per reaction making the entity), each a list of
    ``(entity, wanted level is on)``; ``sequesters`` the entities whose presence switches it
    off. An entity without a rule keeps its level.
    """
    active = {e.id: e.active for e in model.entities}
    terms: dict[str, list[list[tuple[str, bool]]]] = defaultdict(list)
    sequesters: dict[str, list[str]] = defaultdict(list)
    for r in model.reactions:
        for term in _conditions(r):
            for p in r.products:
                if p.entity not in {q.entity for q in r.reactants} and term not in terms[p.entity]:
                    terms[p.entity].append(term)
        if r.type == "binding" and len(r.products) == 1 and active.get(r.products[0].entity) is False:
            on = [p.entity for p in r.reactants if active.get(p.entity) is True]
            for target in on:
                for p in r.reactants:
                    if p.entity != target and p.entity not in sequesters[target]:
                        sequesters[target].append(p.entity)
    out = {}
    for e in model.entities:
        basal = (e.initial_concentration or 0) > 0 or (e.initial_amount or 0) > 0
        if e.id in sequesters:
            out[e.id] = ([[]] if basal else terms.get(e.id, []), sequesters[e.id])
        elif e.id in terms and not basal and not e.boundary and not e.constant:
            out[e.id] = (terms[e.id], [])
    return out


def _conditions(r: Reaction) -> list[list[tuple[str, bool]]]:
    """The ways reaction ``r`` can run: one list of conditions per choice of controller where a
    control names several (isoforms: any one will do). A control of no stated effect
    (``control``) sets no condition: a logical model has no unsigned influence."""
    base: dict[str, bool] = {}
    for p in r.reactants:
        base.setdefault(p.entity, True)
    if r.template is not None:
        base.setdefault(r.template, True)
    choices: list[list[tuple[str, bool]]] = []
    for c in r.controls:
        controllers = [x for x in (c.controller, *c.more_controllers) if x is not None]
        if c.type == "control" or not controllers:
            continue
        if c.type == "inhibition":  # every inhibitor must be off
            for x in controllers:
                base.setdefault(x, False)
        else:
            choices.append([(x, True) for x in controllers])
    out = []
    for picked in product(*choices):
        wanted = dict(base)
        for x, on in picked:
            wanted.setdefault(x, on)
        out.append(list(wanted.items()))
    return out


def to_qual(model: Model) -> bytes:
    """The SBML-qual document of ``model``'s logic (see the module's description)."""
    ns = libsbml.SBMLNamespaces(3, 1, "qual", QUAL_VERSION)
    doc = libsbml.SBMLDocument(ns)
    _check(doc.setPackageRequired("qual", True), "the required flag of the qual package")
    m = doc.createModel()
    _check(m.setId(f"{model.id}_logic"), "the model id")
    _check(m.setName(f"{model.name} (logical model)"), "the model name")
    for c in model.compartments:
        comp = m.createCompartment()
        _check(comp.setId(c.id), f"compartment '{c.id}'")
        if c.name:
            _check(comp.setName(c.name), f"the name of compartment '{c.id}'")
        _check(comp.setConstant(True), f"the constant flag of compartment '{c.id}'")
        _check(comp.setSpatialDimensions(float(c.spatial_dimensions)), f"the dimensions of compartment '{c.id}'")
        _check(comp.setUnits("dimensionless"), f"the units of compartment '{c.id}'")
        _check(comp.setSize(1.0), f"the size of compartment '{c.id}'")
    qm = m.getPlugin("qual")
    rules = logic(model)
    for e in model.entities:
        qs = qm.createQualitativeSpecies()
        what = f"qualitative species '{e.id}'"
        _check(qs.setId(e.id), what)
        if e.name:
            _check(qs.setName(e.name), f"the name of {what}")
        _check(qs.setCompartment(e.compartment), f"the compartment of {what}")
        _check(qs.setConstant(False), f"the constant flag of {what}")
        _check(qs.setMaxLevel(1), f"the maximum level of {what}")
        basal = (e.initial_concentration or 0) > 0 or (e.initial_amount or 0) > 0
        _check(qs.setInitialLevel(1 if basal else 0), f"the initial level of {what}")
    for target, (terms, sequesters) in rules.items():
        _transition(qm, target, terms, sequesters)
    writer = libsbml.SBMLWriter()
    text = writer.writeSBMLToString(doc)
    if not text:
        raise WriteError(f"libsbml wrote no qual document for '{model.id}'")
    return text.encode("utf-8")


def _transition(qm, target: str, terms: list[list[tuple[str, bool]]], sequesters: list[str]) -> None:
    what = f"the transition of '{target}'"
    tr = qm.createTransition()
    _check(tr.setId(f"tr_{target}"), what)
    signs: dict[str, set[bool]] = defaultdict(set)
    for term in terms:
        for entity, on in term:
            signs[entity].add(on)
    for entity in sequesters:
        signs[entity].add(False)
    for i, (entity, seen) in enumerate(signs.items()):
        inp = tr.createInput()
        _check(inp.setId(f"tr_{target}_in{i}"), f"an input of {what}")
        _check(inp.setQualitativeSpecies(entity), f"input '{entity}' of {what}")
        _check(inp.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE), f"the effect of input '{entity}'")
        sign = (libsbml.INPUT_SIGN_DUAL if len(seen) == 2 else
                libsbml.INPUT_SIGN_POSITIVE if True in seen else libsbml.INPUT_SIGN_NEGATIVE)
        _check(inp.setSign(sign), f"the sign of input '{entity}' of {what}")
    out = tr.createOutput()
    _check(out.setId(f"tr_{target}_out"), f"the output of {what}")
    _check(out.setQualitativeSpecies(target), f"the output of {what}")
    _check(out.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL), f"the effect of {what}")
    default = tr.createDefaultTerm()
    _check(default.setResultLevel(0), f"the default level of {what}")
    alternatives = []
    for term in terms:
        parts = [f"{entity} {'==' if on else '!='} 1" for entity, on in term] or ["true"]
        alternatives.append("(" + " && ".join(parts) + ")")
    formula = " || ".join(alternatives) if alternatives else "false"
    if sequesters:
        formula = f"({formula}) && " + " && ".join(f"{s} == 0" for s in sequesters)
    ast = libsbml.parseL3Formula(formula)
    if ast is None:
        raise WriteError(f"cannot write the rule of {what}: {libsbml.getLastParseL3Error()}")
    ft = tr.createFunctionTerm()
    _check(ft.setResultLevel(1), f"the result level of {what}")
    _check(ft.setMath(ast), f"the rule of {what}")


def write_qual(model: Model, path: str | Path) -> Path:
    """Write :func:`to_qual` of ``model`` to ``path`` atomically."""
    return atomic_write_bytes(Path(path), to_qual(model))


def qual_problems(data: bytes) -> list[Problem]:
    """libsbml's errors about an SBML-qual document: reading, core and qual consistency."""
    doc = libsbml.readSBMLFromString(data.decode("utf-8", "replace"))
    if doc is None:
        raise PathwayExportError("libsbml could not read the document")
    doc.checkConsistency()
    found = []
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        if err.getSeverity() >= libsbml.LIBSBML_SEV_ERROR or err.getSeverity() == libsbml.LIBSBML_SEV_WARNING:
            found.append(Problem(f"[{err.getPackage() or 'core'} {err.getErrorId()}] {err.getMessage().strip()}",
                                 line=err.getLine() or None))
    return found
