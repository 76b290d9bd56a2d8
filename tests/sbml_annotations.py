"""The MIRIAM annotations of an SBML document, element by element, read with libsbml alone.

Used to check that an import -> export trip keeps every CV term (qualifier + resource) and
the model history on the element it stood on, without going through pathway-export's own
SBML reader. Elements are keyed by their id, or (when they have none) by their parent's key,
their element name and what they point at (variable, species, symbol).
"""

from __future__ import annotations

import libsbml

from pathway_export import identifiers

_POINTERS = ("getVariable", "getSpecies", "getSymbol")
_SAME_ELEMENT = {"localParameter": "parameter"}  # Level 3 names of Level 2 elements


def qualifier_name(term: libsbml.CVTerm) -> str:
    if term.getQualifierType() == libsbml.MODEL_QUALIFIER:
        return "bqmodel:" + libsbml.ModelQualifierType_toString(term.getModelQualifierType())
    return "bqbiol:" + libsbml.BiolQualifierType_toString(term.getBiologicalQualifierType())


def element_key(sbase: libsbml.SBase) -> str:
    name = sbase.getElementName()
    name = _SAME_ELEMENT.get(name, name)
    if sbase.getTypeCode() == libsbml.SBML_MODEL:
        return "model"
    ident = sbase.getIdAttribute() if sbase.isSetIdAttribute() else ""
    if ident and sbase.getTypeCode() not in (libsbml.SBML_SPECIES_REFERENCE, libsbml.SBML_MODIFIER_SPECIES_REFERENCE):
        return f"{name}:{ident}"
    parent = sbase.getParentSBMLObject()
    while parent is not None and parent.getTypeCode() == libsbml.SBML_LIST_OF:
        parent = parent.getParentSBMLObject()
    head = element_key(parent) if parent is not None else ""
    for getter in _POINTERS:
        if hasattr(sbase, getter):
            return f"{head}/{name}:{getattr(sbase, getter)()}"
    siblings = sbase.getParentSBMLObject()
    index = 0
    if siblings is not None and siblings.getTypeCode() == libsbml.SBML_LIST_OF:
        for i in range(siblings.size()):
            if siblings.get(i) is sbase or siblings.get(i).this == sbase.this:
                index = i
                break
    return f"{head}/{name}[{index}]"


def resource_key(uri: str) -> str:
    """One spelling per identifier: identifiers.org (any form) and ``urn:miriam:`` as a CURIE."""
    return identifiers.from_uri(uri) or uri


def annotation_terms(doc: libsbml.SBMLDocument) -> set[tuple[str, str, str]]:
    """``(element key, qualifier, resource)`` of every CV term of every element."""
    model = doc.getModel()
    out: set[tuple[str, str, str]] = set()
    elements = [model] + list(model.getListOfAllElements())
    for sbase in elements:
        if sbase.getTypeCode() == libsbml.SBML_LIST_OF or not sbase.getNumCVTerms():
            continue
        key = element_key(sbase)
        for i in range(sbase.getNumCVTerms()):
            term = sbase.getCVTerm(i)
            qualifier = qualifier_name(term)
            for j in range(term.getNumResources()):
                out.add((key, qualifier, resource_key(term.getResourceURI(j))))
    return out


def histories(doc: libsbml.SBMLDocument) -> dict[str, tuple]:
    """The model history of every element that has one: creators, created and modified dates."""
    model = doc.getModel()
    out = {}
    for sbase in [model] + list(model.getListOfAllElements()):
        if sbase.getTypeCode() == libsbml.SBML_LIST_OF or not sbase.isSetModelHistory():
            continue
        h = sbase.getModelHistory()
        creators = tuple((c.getGivenName(), c.getFamilyName(), c.getEmail(), c.getOrganisation())
                         for c in (h.getCreator(i) for i in range(h.getNumCreators())))
        created = h.getCreatedDate().getDateAsString() if h.isSetCreatedDate() else None
        modified = tuple(h.getModifiedDate(i).getDateAsString() for i in range(h.getNumModifiedDates()))
        out[element_key(sbase)] = (creators, created, modified)
    return out
