"""The floor under the SBML stages: libsbml building, writing, reading and checking on its own.

:func:`build_document` makes, with nothing but libsbml calls, a document of the same size and
shape as our writer's output for a model (compartments, unit definitions, species, parameters,
reactions with reactants, products, modifiers and kinetic laws). It is the least any SBML
writer built on libsbml can spend; our writer's time is reported as a ratio of it.
"""

from __future__ import annotations

import libsbml

from pathway_export import mathexpr
from pathway_export.model import Model

_KINDS = {name: getattr(libsbml, f"UNIT_KIND_{name.upper()}") for name in (
    "mole", "second", "litre", "metre", "gram", "kilogram", "dimensionless", "item")}


def _math(text: str):
    # parseL3Formula does not know '^' precedence differently from ours; use the normal form
    node = libsbml.parseL3Formula(mathexpr.normalize(text))
    if node is None:
        raise ValueError(f"libsbml cannot parse {text!r}: {libsbml.getLastParseL3Error()}")
    return node


def build_document(model: Model) -> libsbml.SBMLDocument:
    """A libsbml document of the model's size and shape, built with libsbml calls only."""
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    m.setId(model.id)
    m.setName(model.name)
    u = model.units
    for attr, value in (("SubstanceUnits", u.substance), ("VolumeUnits", u.volume),
                        ("TimeUnits", u.time), ("ExtentUnits", u.extent)):
        if value:
            getattr(m, f"set{attr}")(value)
    for ud in model.unit_definitions:
        d = m.createUnitDefinition()
        d.setId(ud.id)
        for f in ud.factors:
            unit = d.createUnit()
            unit.setKind(_KINDS[f.kind])
            unit.setExponent(f.exponent)
            unit.setScale(f.scale)
            unit.setMultiplier(f.multiplier)
    for c in model.compartments:
        comp = m.createCompartment()
        comp.setId(c.id)
        comp.setConstant(c.constant)
        comp.setSpatialDimensions(c.spatial_dimensions)
        if c.size is not None:
            comp.setSize(c.size)
        if c.units:
            comp.setUnits(c.units)
        comp.setMetaId(f"meta_{c.id}")
        comp.setSBOTerm(290)
    for e in model.entities:
        s = m.createSpecies()
        s.setId(e.id)
        s.setMetaId(f"meta_{e.id}")
        s.setCompartment(e.compartment)
        s.setHasOnlySubstanceUnits(e.amount_based)
        s.setBoundaryCondition(e.boundary)
        s.setConstant(e.constant)
        if e.initial_concentration is not None:
            s.setInitialConcentration(e.initial_concentration)
        elif e.initial_amount is not None:
            s.setInitialAmount(e.initial_amount)
        s.setSBOTerm(252 if e.molecule else 253)
    for p in model.parameters:
        par = m.createParameter()
        par.setId(p.id)
        par.setValue(p.value)
        par.setConstant(p.constant)
        if p.units:
            par.setUnits(p.units)
    for r in model.reactions:
        rx = m.createReaction()
        rx.setId(r.id)
        rx.setMetaId(f"meta_{r.id}")
        rx.setReversible(r.reversible)
        if r.name:
            rx.setName(r.name)
        for part in r.reactants:
            sr = rx.createReactant()
            sr.setSpecies(part.entity)
            sr.setStoichiometry(part.stoichiometry)
            sr.setConstant(True)
        for part in r.products:
            sr = rx.createProduct()
            sr.setSpecies(part.entity)
            sr.setStoichiometry(part.stoichiometry)
            sr.setConstant(True)
        modifiers = ([r.template] if r.template else []) + [c.controller for c in r.controls]
        for sid in dict.fromkeys(modifiers):
            rx.createModifier().setSpecies(sid)
        if r.rate_law:
            rx.createKineticLaw().setMath(_math(r.rate_law))
    return doc


def to_bytes(model: Model) -> bytes:
    """The floor document, written by libsbml."""
    return libsbml.writeSBMLToString(build_document(model)).encode("utf-8")
