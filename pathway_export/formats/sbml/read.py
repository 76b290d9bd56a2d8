"""Read an SBML document into the canonical model.

A document this package wrote carries the ``pe`` annotation (:mod:`.annotations`) and reads
back exactly. Foreign SBML is read as far as the canonical model can hold it: molecules
are inferred from SBO terms and ``bqbiol:is``/``isVersionOf`` annotations, reaction kinds
and controls from SBO terms; anything the model cannot hold (rules other than observables,
function definitions, local parameters, events other than stimuli, packages ...) is
refused by name with :class:`UnsupportedFeatureError`, never dropped.
"""

from __future__ import annotations

import copy
import logging
from typing import Callable

import libsbml

from ... import identifiers, mathexpr
from ...collector import paused as collector_paused
from ...errors import UnsupportedFeatureError, refuse_all
from ...model import (
    INTERACTION_TYPES,
    Annotations, Compartment, Component, Constraint, Control, Entity, Event, EventAssignment, Evidence,
    FunctionDefinition, History, InitialAssignment, Metadata, Model, ModelUnits, NO_METADATA, Rule, Term,
    Modification, Molecule, Observable, Parameter, Participant, Pathway, Person,
    Provenance, Reaction, Stimulus, UnitDefinition, UnitFactor,
)
from . import annotations as pe
from .write import (
    CONTROL_SBO, DEPHOSPHORYLATION_SBO, ENTITY_SBO, PHOSPHORYLATION_SBO, REACTION_SBO,
    QUALIFIER_CODES, TEMPLATE_SBO, date_from_w3c, notes_text, qualifier_name,
)
from .mathml import from_ast, from_lambda

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""``progress(done, total)``, as the importer takes it."""

_REACTION_TYPES = {sbo: kind for kind, sbo in REACTION_SBO.items()}
_REACTION_TYPES.update({PHOSPHORYLATION_SBO: "state_change", DEPHOSPHORYLATION_SBO: "state_change"})
_ENTITY_TYPES = {sbo: kind for kind, sbo in ENTITY_SBO.items()}
_ENTITY_TYPES.update({354: "gene", 245: "protein", 278: "rna", 297: "complex", 327: "small_molecule"})
_CONTROL_TYPES = {sbo: kind for kind, sbo in CONTROL_SBO.items()}
_CONTROL_TYPES.update({460: "catalysis", 461: "activation", 462: "activation", 170: "activation",
                       21: "activation", 206: "inhibition", 207: "inhibition", 169: "inhibition",
                       536: "inhibition", 537: "inhibition"})
_CELL_TYPE_PREFIXES = ("CL", "CLO", "cellosaurus", "BTO_cell")
_DISEASE_PREFIXES = frozenset({"doid", "mondo", "orphanet", "omim", "icd10", "icd10cm", "icd9cm"})
"""Ontologies of diseases: a foreign model's ``bqbiol:hasProperty`` terms of these are its diseases
(other properties, such as MAMO's kinds of model, stay in its metadata only)."""


def read_document(doc: libsbml.SBMLDocument, source: str, progress: Progress | None = None) -> Model:
    """The canonical model of a parsed SBML document.

    Level 1 and 2 documents are read through their Level 3 equivalents (:func:`_to_level3`).
    A foreign document must give a model that passes :func:`canonical.check` (so it can be
    dumped, edited and loaded again). Every element the canonical model cannot hold is
    named, all in one :class:`UnsupportedFeatureError` (its ``refusals``); reading goes on
    past the first. ``progress(done, total)`` is told how far reading has got.
    """
    doc = _to_level3(_flatten_comp(doc, source), source)
    reader = _Reader(doc, source, progress)
    with collector_paused():
        model = reader.model()
    if progress is not None and reader.reported != 100:
        progress(100, 100)  # elements read on the way (an observable's rule) are not counted apart
    if reader.refusals:
        raise refuse_all(reader.refusals, source)
    if not reader.ours:
        from ...canonical import check

        problems = check(model)
        if problems:
            raise refuse_all([UnsupportedFeatureError(f"{p.where}: {p.message}" if p.where else p.message,
                                                      hint=p.hint or "") for p in problems], source)
    return model


def _to_level3(doc: libsbml.SBMLDocument, source: str) -> libsbml.SBMLDocument:
    """A Level 1 or 2 document as its Level 3 Version 1 equivalent (libsbml's converter).

    The converter writes what Level 2 left implicit: its built-in units ``substance``,
    ``volume``, ``area``, ``length`` and ``time`` become unit definitions and model units,
    ``stoichiometryMath`` an assignment rule on the species reference, defaults explicit
    attributes. Version 1 keeps ``fast``.
    """
    if doc.getLevel() >= 3:
        return doc
    props = libsbml.ConversionProperties(libsbml.SBMLNamespaces(3, 1))
    props.addOption("strict", False)
    props.addOption("setLevelAndVersion", True)
    level = f"SBML Level {doc.getLevel()} Version {doc.getVersion()}"
    if doc.convert(props) != libsbml.LIBSBML_OPERATION_SUCCESS:
        messages = "; ".join(doc.getError(i).getShortMessage() for i in range(doc.getNumErrors())
                             if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR)
        raise UnsupportedFeatureError(f"{level} that libsbml cannot convert to Level 3", hint=messages)
    log.info("%s: %s read as its Level 3 Version 1 equivalent", source, level)
    m = doc.getModel()
    _define_level2_units(m)
    ruled = {m.getRule(i).getVariable() for i in range(m.getNumRules()) if m.getRule(i).isSetVariable()}
    for reaction in _items(m, "Reaction"):
        for ref in [reaction.getReactant(j) for j in range(reaction.getNumReactants())] + \
                   [reaction.getProduct(j) for j in range(reaction.getNumProducts())]:
            # the converter made the assignment rule and leaves the Level 2 element behind
            if ref.isSetStoichiometryMath() and ref.isSetId() and ref.getId() in ruled:
                ref.unsetStoichiometryMath()
    return doc


def _uses_package(doc: libsbml.SBMLDocument, name: str) -> bool:
    namespaces = doc.getNamespaces()
    return any(namespaces.getURI(i).startswith(f"http://www.sbml.org/sbml/level3/version1/{name}/")
               or namespaces.getURI(i).startswith(f"http://www.sbml.org/sbml/level3/version2/{name}/")
               for i in range(namespaces.getLength()))


def _flatten_comp(doc: libsbml.SBMLDocument, source: str) -> libsbml.SBMLDocument:
    """A document using hierarchical composition (``comp``), flattened into core SBML.

    libsbml's flattening converter implements the comp specification: submodels are
    instantiated with their ids prefixed (``A__x``), replacements and deletions applied,
    conversion factors of ports honoured. The meaning is kept; the hierarchy is not (the
    canonical model has none). External model definitions are read only from files beside
    ``source``; any other location is refused by name.
    """
    if not _uses_package(doc, "comp"):
        return doc
    from pathlib import Path

    plugin = doc.getPlugin("comp")
    here = Path(source)
    for i in range(plugin.getNumExternalModelDefinitions() if plugin is not None else 0):
        ext = plugin.getExternalModelDefinition(i)
        target = ext.getSource()
        where = f"external model definition '{ext.getId()}'"
        if not here.is_file():
            raise UnsupportedFeatureError(f"{where} of a document that is not a file",
                                          hint="read the document from its file")
        if ":" in target or Path(target).is_absolute() or ".." in Path(target).parts \
                or not (here.resolve().parent / target).is_file():
            raise UnsupportedFeatureError(f"{where} from '{target}'",
                                          hint="only files beside the document are read")
    if here.is_file():
        doc.setLocationURI(here.resolve().as_uri())
    props = libsbml.ConversionProperties()
    props.addOption("flatten comp", True)
    props.addOption("abortIfUnflattenable", "none")
    if doc.convert(props) != libsbml.LIBSBML_OPERATION_SUCCESS:
        messages = "; ".join(doc.getError(i).getShortMessage() for i in range(doc.getNumErrors())
                             if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR)
        raise UnsupportedFeatureError("SBML package 'comp' (libsbml could not flatten the model)",
                                      hint=messages)
    log.info("%s: hierarchical model (comp) flattened into core SBML", source)
    flat = libsbml.readSBMLFromString(libsbml.writeSBMLToString(doc))
    if flat is None or flat.getModel() is None or flat.getNumErrors(libsbml.LIBSBML_SEV_ERROR):
        raise UnsupportedFeatureError("SBML package 'comp' (the flattened model does not read back)")
    return flat


def _curies(uris, where: str) -> tuple[str, ...]:
    """The registered identifiers among annotation resources, as CURIEs (any URI form).

    A resource no registry knows has no typed field to go to; the element's metadata keeps
    it, with its qualifier, as the URI it is.
    """
    out = []
    for uri in uris:
        curie = identifiers.from_uri(uri)
        if curie is not None:
            out.append(curie)
    return tuple(out)


def _terms(sbase: libsbml.SBase, count: int | None = None) -> tuple[Term, ...]:
    """The element's MIRIAM terms (the first ``count``), each resource a CURIE where registered.

    A term repeated exactly (BioModels files have some) is read once: it says nothing more,
    and libsbml writes it once.
    """
    out: list[Term] = []
    for i in range(sbase.getNumCVTerms() if count is None else count):
        term = sbase.getCVTerm(i)
        qualifier = qualifier_name(term)
        if qualifier is None:
            raise UnsupportedFeatureError(f"an annotation with an unknown qualifier on {_what(sbase)}",
                                          hint="use a bqbiol or bqmodel qualifier")
        read = Term(qualifier=qualifier, resources=tuple(
            identifiers.from_uri(uri) or uri
            for uri in (term.getResourceURI(j) for j in range(term.getNumResources()))))
        if read not in out:
            out.append(read)
    return tuple(out)


def _what(sbase: libsbml.SBase) -> str:
    ident = sbase.getIdAttribute() if sbase.isSetIdAttribute() else ""
    return f"{sbase.getElementName()} '{ident}'" if ident else f"a {sbase.getElementName()}"


def _history_of(sbase: libsbml.SBase) -> History | None:
    if not sbase.isSetModelHistory():
        return None
    h = sbase.getModelHistory()
    return History(
        creators=tuple(Person(name=c.getGivenName() or "", family_name=c.getFamilyName() or None,
                              email=c.getEmail() or None, organisation=c.getOrganisation() or None)
                       for c in (h.getCreator(i) for i in range(h.getNumCreators()))),
        created=h.getCreatedDate().getDateAsString() if h.isSetCreatedDate() else None,
        modified=tuple(h.getModifiedDate(i).getDateAsString() for i in range(h.getNumModifiedDates())))


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _notes_xml(sbase: libsbml.SBase) -> str | None:
    notes = sbase.getNotes()
    if notes is None:
        return None
    return "".join(notes.getChild(i).toXMLString() for i in range(notes.getNumChildren()))


def _bags(sbase: libsbml.SBase) -> list[tuple[int, int, list[str]]]:
    """``(qualifier type, qualifier, resources)`` of each annotation bag, in document order."""
    out = []
    for i in range(sbase.getNumCVTerms()):
        term = sbase.getCVTerm(i)
        qtype = term.getQualifierType()
        qualifier = (term.getBiologicalQualifierType() if qtype == libsbml.BIOLOGICAL_QUALIFIER
                     else term.getModelQualifierType())
        out.append((qtype, qualifier, [term.getResourceURI(j) for j in range(term.getNumResources())]))
    return out


def _resources(bags, qualifier: int, qtype: int = libsbml.BIOLOGICAL_QUALIFIER) -> list[list[str]]:
    return [uris for t, q, uris in bags if t == qtype and q == qualifier]


def _notes(sbase: libsbml.SBase) -> str | None:
    if not sbase.isSetNotes():
        return None
    return notes_text(sbase.getNotesString())


def _description(sbase: libsbml.SBase, record) -> str | None:
    carried = pe.text(record, "description")
    return carried if carried is not None else _notes(sbase)


def _name(sbase: libsbml.SBase, record) -> str | None:
    carried = pe.text(record, "name")
    if carried is not None:
        return carried
    return sbase.getName() if sbase.isSetName() else None


class _Reader:
    def __init__(self, doc: libsbml.SBMLDocument, source: str, progress: Progress | None = None):
        self.doc = doc
        self.source = source
        self.m = doc.getModel()
        self.refusals: list[UnsupportedFeatureError] = []
        self.progress = progress
        m = self.m
        self.total = sum((m.getNumCompartments(), m.getNumSpecies(), m.getNumParameters(), m.getNumReactions(),
                          m.getNumFunctionDefinitions(), m.getNumInitialAssignments(), m.getNumRules(),
                          m.getNumEvents(), m.getNumConstraints(), m.getNumUnitDefinitions())) or 1
        self.done = 0
        self.reported = 50  # hundredths: libsbml's parse was the first half
        self.level3 = doc.getLevel() > 2  # asked for every participant
        self.record = pe.find(self.m, "the model")
        self.ours = self.record is not None
        spaces = doc.getNamespaces()
        self._namespaces = "".join(
            f' xmlns:{spaces.getPrefix(i)}="{spaces.getURI(i)}"' for i in range(spaces.getLength())
            if spaces.getPrefix(i))
        self._index_assignments()
        self.functions = frozenset(self.m.getFunctionDefinition(i).getId()
                                   for i in range(self.m.getNumFunctionDefinitions()))
        self.declared = frozenset(_math_ids(self.m))

    def _index_assignments(self) -> None:
        """What rules, initial assignments and events set, looked up by id once.

        libsbml's look-ups by id (``getAssignmentRule``, ``getRuleByVariable``,
        ``getInitialAssignmentBySymbol``, ``Event.getEventAssignment``) scan their whole list
        on every call: asked per parameter and per participant, quadratic on large models.
        As libsbml answers, a variable's rule is the first rule that names it, and it is an
        assignment rule only if that first one is.
        """
        m = self.m
        self.rule_of: dict[str, libsbml.Rule] = {}
        self.algebraic = False
        for i in range(m.getNumRules()):
            rule = m.getRule(i)
            if rule.isAlgebraic():
                self.algebraic = True
            elif rule.isSetVariable():
                self.rule_of.setdefault(rule.getVariable(), rule)
        self.initially_assigned = {m.getInitialAssignment(i).getSymbol()
                                   for i in range(m.getNumInitialAssignments())}
        self.event_assigned = {e.getEventAssignment(j).getVariable()
                               for e in (m.getEvent(i) for i in range(m.getNumEvents()))
                               for j in range(e.getNumEventAssignments())}

    def _metadata(self, sbase: libsbml.SBase, record) -> Metadata:
        """What the source says of ``sbase`` beyond what the model's typed fields hold.

        From a foreign document, all of it; from one this package wrote, what its record
        marks as metadata (the typed fields' own terms, SBO term, notes and history are
        derived again from the fields).
        """
        annotated = sbase.isSetAnnotation()
        if not annotated and not sbase.isSetNotes() and not sbase.isSetSBOTerm():
            return NO_METADATA
        ours = self.ours
        count = None if not ours else int(record.get("terms", 0)) if record is not None else 0
        meta = Metadata(
            terms=_terms(sbase, count) if sbase.getNumCVTerms() else (),
            history=_history_of(sbase) if not ours or (record is not None and record.get("metaHistory")) else None,
            notes=_notes_xml(sbase) if not ours or (record is not None and record.get("notes")) else None,
            sbo=sbase.getSBOTermID() or None if sbase.isSetSBOTerm() and (
                not ours or (record is not None and record.get("kindSbo") is not None)) else None,
            xml=self._foreign_xml(sbase, record) if annotated else None)
        return NO_METADATA if meta == NO_METADATA else meta

    def _foreign_xml(self, sbase: libsbml.SBase, record) -> str | None:
        """Annotation XML of other tools on ``sbase`` (not MIRIAM RDF, not ours), verbatim."""
        annotation = sbase.getAnnotation()
        kept = [i for i in range(annotation.getNumChildren())
                if annotation.getChild(i).getURI() not in (_RDF, pe.NS) and annotation.getChild(i).isElement()]
        if not kept:
            return pe.text(record, "xml") if self.ours else None
        from lxml import etree

        declared = self._namespaces + "".join(
            f' xmlns:{ns.getPrefix(i)}="{ns.getURI(i)}"' if ns.getPrefix(i) else f' xmlns="{ns.getURI(i)}"'
            for ns in (annotation.getNamespaces(),) for i in range(ns.getLength()))
        text = "".join(annotation.getChild(i).toXMLString() for i in kept)
        try:
            wrapper = etree.fromstring(f"<wrapper{declared}>{text}</wrapper>".encode("utf-8"))
        except etree.XMLSyntaxError as exc:
            raise UnsupportedFeatureError(f"unreadable annotation XML on {_what(sbase)}", hint=str(exc)) from exc
        out = []
        for node in wrapper:
            node = copy.deepcopy(node)  # standalone: only the namespaces it uses are declared
            etree.cleanup_namespaces(node)
            out.append(etree.tostring(node, encoding="unicode"))
        return "".join(out)

    def _typed_bags(self, sbase: libsbml.SBase, record) -> list[tuple[int, int, list[str]]]:
        """The annotation bags the typed fields are read from: all of a foreign element's; of
        an element of ours with metadata terms, those after them and what they already said
        (its ``derived`` records)."""
        bags = _bags(sbase)
        count = record.get("terms") if self.ours and record is not None else None
        if count is None:
            return bags
        said = [(*QUALIFIER_CODES[n.get("qualifier")], [identifiers.resource_uri(c) for c in n.get("ids").split()])
                for n in pe.subs(record, "derived")]
        return bags[int(count):] + said

    def _kind_sbo(self, sbase: libsbml.SBase, record) -> int | None:
        """The SBO term the element's kind is read from: the one its kind gave when its metadata
        replaced it (``kindSbo`` of a record of ours), else its own."""
        kind = record.get("kindSbo") if record is not None else None
        if kind is not None:
            return int(kind.split(":")[1]) if kind != "none" else None
        return sbase.getSBOTerm() if sbase.isSetSBOTerm() else None

    def _assignment_rule(self, variable: str) -> libsbml.AssignmentRule | None:
        rule = self.rule_of.get(variable)
        return rule if rule is not None and rule.isAssignment() else None

    # ---- refusals
    def _refuse_unsupported(self) -> None:
        doc = self.doc
        # a package is in use when its namespace is declared (libsbml enables some plugins itself)
        namespaces = doc.getNamespaces()
        for i in range(namespaces.getLength()):
            uri = namespaces.getURI(i)
            if uri.startswith("http://www.sbml.org/sbml/level3/") and not uri.rstrip("/").endswith("/core"):
                name = namespaces.getPrefix(i) or uri.rstrip("/").split("/")[-2]
                self.refusals.append(UnsupportedFeatureError(f"SBML package '{name}'"))
        for i in range(doc.getNumUnknownPackages()):
            self.refusals.append(UnsupportedFeatureError(f"SBML package '{doc.getUnknownPackagePrefix(i)}'"))

    def _each(self, read: Callable, items) -> tuple:
        """``read(item)`` of each item the canonical model can hold; a refusal is kept in
        ``refusals`` and reading goes on, so that one import names every blocker."""
        out = []
        for item in items:
            try:
                out.append(read(item))
            except UnsupportedFeatureError as exc:
                self.refusals.append(exc)
            self.done += 1
            if self.progress is not None:
                now = 50 + 50 * min(self.done, self.total) // self.total
                if now != self.reported:
                    self.reported = now
                    self.progress(now, 100)
        return tuple(out)

    # ---- the whole model
    def model(self) -> Model:
        self._refuse_unsupported()
        m, record = self.m, self.record
        model_id = m.getId() if m.isSetId() else "model"
        try:
            model = self._header(model_id)
        except UnsupportedFeatureError as exc:
            self.refusals.append(exc)
            model = Model(id=model_id, name=model_id)
        model = _replace(
            model,
            unit_definitions=self._each(self._unit_definition, _items(m, "UnitDefinition")),
            compartments=self._each(self._compartment, _items(m, "Compartment")))
        if self.ours:
            molecules = tuple(self._molecule(node) for node in pe.subs(record, "molecule"))
            entities = self._each(self._entity, _items(m, "Species"))
        else:
            molecules, entities = self._infer_entities()
        parameters, observables = [], []

        def parameter(p: libsbml.Parameter) -> None:
            rule = self._assignment_rule(p.getId())
            own = pe.find(p, f"parameter '{p.getId()}'")
            observable = (own is not None and own.tag == pe.tag("observable")) if self.ours \
                else (rule is not None and not p.isSetValue())
            if observable:
                observables.append(self._observable(p, rule))
            else:
                parameters.append(self._parameter(p))

        self._each(parameter, _items(m, "Parameter"))
        observable_ids = {o.id for o in observables}
        entity_by_id = {x.id: x for x in entities}
        stimuli, events = [], []

        def event(i: int) -> None:
            e = m.getEvent(i)
            own = pe.find(e, f"SBML event '{e.getId()}'")
            if own is not None and own.tag == pe.tag("stimulus"):
                stimuli.append(self._stimulus(e, entity_by_id))
            else:
                events.append(self._event(e, own, i))

        self._each(event, range(m.getNumEvents()))
        rules = [rule for rule in _items(m, "Rule")
                 if not (rule.isAssignment() and rule.getVariable() in observable_ids)]
        return _replace(
            model, function_definitions=self._each(self._function, _items(m, "FunctionDefinition")),
            initial_assignments=self._each(self._initial_assignment, _items(m, "InitialAssignment")),
            rules=self._each(self._rule, rules),
            events=tuple(events), stimuli=tuple(stimuli),
            constraints=self._each(lambda i: self._constraint(m.getConstraint(i), i), range(m.getNumConstraints())),
            conversion_factor=m.getConversionFactor() or None,
            molecules=molecules, entities=entities, parameters=tuple(parameters),
            observables=tuple(observables),
            reactions=self._each(self._reaction, _items(m, "Reaction")),
            pathways=tuple(self._pathway(node) for node in pe.subs(record, "pathway")),
            metadata=self._metadata(m, record),
        )

    def _header(self, model_id: str) -> Model:
        """The model's own attributes: names, annotations, history, model units."""
        m, record = self.m, self.record
        bags = self._typed_bags(m, record)
        ann = self._annotations(bags)
        authors, created, modified = self._history()
        return Model(
            id=model_id,
            name=_name(m, record) or model_id,
            version=pe.text(record, "version"),
            description=_description(m, record),
            organism=next(iter(self._flat(bags, libsbml.BQB_HAS_TAXON, "the model")), None),
            authors=authors, license=pe.text(record, "license"),
            created=created, modified=modified,
            references=self._flat(bags, libsbml.BQM_IS_DESCRIBED_BY, "the model", libsbml.MODEL_QUALIFIER),
            annotations=ann,
            units=ModelUnits(**{key: self._model_unit(key) for key in
                                ("substance", "volume", "area", "length", "time", "extent")}),
        )

    def _flat(self, bags, qualifier: int, where: str, qtype: int = libsbml.BIOLOGICAL_QUALIFIER) -> tuple[str, ...]:
        return tuple(c for uris in _resources(bags, qualifier, qtype) for c in _curies(uris, where))

    def _annotations(self, bags) -> Annotations:
        occurs = self._flat(bags, libsbml.BQB_OCCURS_IN, "the model")
        count = self.record.get("cellTypes") if self.record is not None else None
        if count is not None:
            cells, tissues = occurs[:int(count)], occurs[int(count):]
        elif self.ours:
            # all cell types or all tissues: tell them apart by their ontology
            cells = occurs if occurs and identifiers.split(occurs[0])[0] in _CELL_TYPE_PREFIXES else ()
            tissues = () if cells else occurs
        else:
            cells = tuple(c for c in occurs if identifiers.split(c)[0] in _CELL_TYPE_PREFIXES)
            tissues = tuple(c for c in occurs if c not in cells)
        diseases = self._flat(bags, libsbml.BQB_HAS_PROPERTY, "the model")
        processes = self._flat(bags, libsbml.BQB_IS_VERSION_OF, "the model")
        if not self.ours:  # the rest of what a foreign model says of itself stays in its metadata
            diseases = tuple(c for c in diseases if identifiers.split(c)[0].lower() in _DISEASE_PREFIXES)
            processes = tuple(c for c in processes if identifiers.split(c)[0] == "GO")
        return Annotations(diseases=diseases, cell_types=cells, tissues=tissues, processes=processes)

    def _history(self) -> tuple[tuple[Person, ...], str | None, str | None]:
        m, record = self.m, self.record
        kept = record is not None and record.get("metaHistory") is not None  # the metadata's, not the authors'
        history = m.getModelHistory() if m.isSetModelHistory() and not kept else None
        created = modified = None
        creators = []
        if history is not None:
            if history.isSetCreatedDate():
                created = date_from_w3c(history.getCreatedDate().getDateAsString())
            if history.getNumModifiedDates():
                modified = date_from_w3c(history.getModifiedDate(0).getDateAsString())
            for i in range(history.getNumCreators()):
                c = history.getCreator(i)
                creators.append(Person(
                    name=c.getGivenName() or c.getFamilyName() or c.getOrganisation() or "unknown",
                    family_name=c.getFamilyName() or None if c.getGivenName() else None,
                    email=c.getEmail() or None, organisation=c.getOrganisation() or None))
        if record is None:
            return tuple(creators), created, modified
        created = record.get("created", created)
        modified = record.get("modified", modified)
        nodes = pe.subs(record, "author")
        if record.get("history") == "true":
            base = creators
        else:
            base = [Person(name=pe.text(n, "name") or "", family_name=pe.text(n, "family_name"),
                           email=pe.text(n, "email"), organisation=pe.text(n, "organisation"))
                    for n in nodes]
        authors = tuple(_replace(p, role=n.get("role", "author"), orcid=n.get("orcid"))
                        for p, n in zip(base, nodes))
        return authors, created, modified

    def _model_unit(self, key: str) -> str | None:
        getter = getattr(self.m, f"get{key.capitalize()}Units")
        value = getter()
        return value or None

    def _unit_definition(self, ud: libsbml.UnitDefinition) -> UnitDefinition:
        record = pe.find(ud, f"unit definition '{ud.getId()}'")
        exact = {int(n.get("index")): n for n in pe.subs(record, "factor")}
        factors = []
        for i in range(ud.getNumUnits()):
            u = ud.getUnit(i)
            node = exact.get(i)
            factors.append(UnitFactor(
                kind=libsbml.UnitKind_toString(u.getKind()),
                exponent=pe.get_float(node, "exponent", float(u.getExponentAsDouble())),
                scale=int(u.getScale()),
                multiplier=pe.get_float(node, "multiplier", float(u.getMultiplier()))))
        return UnitDefinition(id=ud.getId(), factors=tuple(factors), name=_name(ud, record),
                              metadata=self._metadata(ud, record))

    def _compartment(self, c: libsbml.Compartment) -> Compartment:
        where = f"compartment '{c.getId()}'"
        record = pe.find(c, where)
        dims = c.getSpatialDimensionsAsDouble() if c.isSetSpatialDimensions() else None
        bags = self._typed_bags(c, record)
        go = self._flat(bags, libsbml.BQB_IS, where)
        if not self.ours:
            go = go + self._flat(bags, libsbml.BQB_IS_VERSION_OF, where)
            go = tuple(g for g in go if identifiers.split(g)[0] == "GO")
        parent = record.get("parent") if record is not None else (c.getOutside() or None)
        return Compartment(
            id=c.getId(), name=_name(c, record), go=go[0] if go else None,
            spatial_dimensions=int(dims) if dims is not None and dims.is_integer() else dims,
            size=pe.get_float(record, "size", c.getSize() if c.isSetSize() else None),
            units=c.getUnits() or None, parent=parent,
            constant=c.getConstant() if c.isSetConstant() else True, metadata=self._metadata(c, record))

    def _molecule(self, node) -> Molecule:
        return Molecule(
            id=node.get("id"), type=node.get("type"), name=pe.text(node, "name"),
            symbol=pe.text(node, "symbol"), synonyms=pe.texts(node, "synonym"),
            xrefs=tuple(x.get("id") for x in pe.subs(node, "xref")), organism=node.get("organism"),
            description=pe.text(node, "description"), evidence=pe.read_evidence(node))

    def _species_common(self, s: libsbml.Species, record) -> dict:
        return dict(
            id=s.getId(), compartment=s.getCompartment(), name=_name(s, record),
            initial_concentration=pe.get_float(
                record, "initialConcentration",
                s.getInitialConcentration() if s.isSetInitialConcentration() else None),
            initial_amount=pe.get_float(record, "initialAmount",
                                        s.getInitialAmount() if s.isSetInitialAmount() else None),
            units=s.getSubstanceUnits() if s.isSetSubstanceUnits() else None,
            amount_based=bool(s.getHasOnlySubstanceUnits()), boundary=bool(s.getBoundaryCondition()),
            constant=bool(s.getConstant()), description=_description(s, record),
            conversion_factor=s.getConversionFactor() or None, metadata=self._metadata(s, record))

    def _entity(self, s: libsbml.Species) -> Entity:
        where = f"species '{s.getId()}'"
        record = pe.find(s, where)
        fields = self._species_common(s, record)
        molecule = record.get("molecule") if record is not None else None
        entity = Entity(
            **fields, molecule=molecule,
            components=tuple(Component(entity=n.get("entity"), stoichiometry=int(n.get("stoichiometry", 1)))
                             for n in pe.subs(record, "component")),
            modifications=tuple(Modification(
                type=n.get("type"), residue=n.get("residue"),
                position=None if n.get("position") is None else int(n.get("position")))
                for n in pe.subs(record, "modification")),
            bound=tuple(n.get("molecule") for n in pe.subs(record, "bound")),
            active=pe.get_bool(record, "active"), evidence=pe.read_evidence(record),
            type=record.get("type") if record is not None else None)
        xrefs = tuple(n.get("id") for n in pe.subs(record, "xref"))
        return _replace(entity, xrefs=xrefs)

    def _infer_entities(self) -> tuple[tuple[Molecule, ...], tuple[Entity, ...]]:
        """Molecules and entities of foreign SBML, from SBO terms and MIRIAM annotations."""
        m = self.m
        molecules: dict[tuple, Molecule] = {}
        taken = {m.getSpecies(i).getId() for i in range(m.getNumSpecies())}
        taken |= {x.getId() for x in _all(m)}

        def entity(s: libsbml.Species) -> Entity:
            where = f"species '{s.getId()}'"
            fields = self._species_common(s, None)
            bags = _bags(s)
            is_ = self._flat(bags, libsbml.BQB_IS, where)
            version_of = self._flat(bags, libsbml.BQB_IS_VERSION_OF, where)
            kind = _ENTITY_TYPES.get(s.getSBOTerm(), "protein") if s.isSetSBOTerm() else "protein"
            if kind == "complex":
                kind = "protein"  # parts cannot be matched to pools: keep it one named molecule
            xrefs = tuple(dict.fromkeys(is_ + version_of))
            if _resources(bags, libsbml.BQB_HAS_PART):
                log.info("%s: a complex read as one molecule; its bqbiol:hasPart terms are kept "
                         "in its metadata", where)
            key = (kind, xrefs) if xrefs else ("species", s.getId())
            if key not in molecules:
                mol_id = _fresh(f"{s.getId()}_molecule", taken)
                molecules[key] = Molecule(id=mol_id, type=kind, name=fields["name"] or s.getId(),
                                          xrefs=xrefs)
            return Entity(**fields, molecule=molecules[key].id)

        entities = self._each(entity, _items(m, "Species"))
        return tuple(molecules.values()), tuple(entities)

    # ---- parameters, observables
    def _parameter(self, p, where: str | None = None) -> Parameter:
        where = where or f"parameter '{p.getId()}'"
        record = pe.find(p, where)
        prov = pe.sub(record, "provenance")
        return Parameter(
            id=p.getId(), value=pe.get_float(record, "value", p.getValue() if p.isSetValue() else None), units=p.getUnits() or None,
            name=_name(p, record),
            provenance=None if prov is None else Provenance(
                kind=prov.get("kind"), reference=prov.get("reference"),
                note=pe.text(record, "provenance") if (prov.text or prov.get("space")) else None),
            description=_description(p, record),
            constant=bool(p.getConstant()) if isinstance(p, libsbml.Parameter) and p.isSetConstant() else True,
            metadata=self._metadata(p, record))

    def _math(self, math, record, where: str, tag: str = "math", declared: frozenset[str] | None = None) -> str:
        carried = pe.text(record, tag)
        if carried is not None:
            return carried
        if math is None:
            raise UnsupportedFeatureError(f"missing math in {where}")
        return mathexpr.render(from_ast(math, where, self.declared if declared is None else declared,
                                        self.functions))

    def _observable(self, p: libsbml.Parameter, rule) -> Observable:
        where = f"parameter '{p.getId()}'"
        record = pe.find(p, where)
        return Observable(id=p.getId(), expression=self._math(rule.getMath(), record, where),
                          name=_name(p, record), units=p.getUnits() or None,
                          description=_description(p, record), metadata=self._metadata(p, record))

    # ---- reactions
    def _reaction(self, r: libsbml.Reaction) -> Reaction:
        where = f"reaction '{r.getId()}'"
        record = pe.find(r, where)
        law = r.getKineticLaw() if r.isSetKineticLaw() else None
        local = ()
        if law is not None:
            pool = law.getListOfLocalParameters() if self.level3 else law.getListOfParameters()
            local = tuple(self._parameter(lp, f"local parameter '{lp.getId()}' of {where}") for lp in pool)
        declared = self.declared | {p.id for p in local}
        kind = _REACTION_TYPES.get(self._kind_sbo(r, record), "conversion")
        if kind in INTERACTION_TYPES and not self.ours and (r.getNumReactants() or r.getNumProducts()):
            kind = "conversion"  # an SBML reaction that converts something (CellDesigner's SBO:0000231)
        template = None
        controls = []
        for i in range(r.getNumModifiers()):
            ref = r.getModifier(i)
            control = pe.find(ref, f"modifier '{ref.getSpecies()}' of {where}")
            sbo = self._kind_sbo(ref, control)
            marked = control is not None and control.tag == pe.tag("template")
            if (marked or (sbo == TEMPLATE_SBO and not self.ours)) and template is None:
                template = ref.getSpecies()
                continue
            controls.append(Control(controller=ref.getSpecies(), type=_CONTROL_TYPES.get(sbo, "activation"),
                                    evidence=pe.read_evidence(control), metadata=self._metadata(ref, control)))
        from ...model import TEMPLATE_REACTION_TYPES

        if template is not None and kind not in TEMPLATE_REACTION_TYPES:
            if self.ours:
                raise UnsupportedFeatureError(f"a template of the {kind} {where}")
            controls.insert(0, Control(controller=template, type="activation"))
            template = None
        if template is None and kind in TEMPLATE_REACTION_TYPES and not self.ours:
            kind = "conversion"
        bags = self._typed_bags(r, record)
        xrefs = []
        for qtype, qualifier, uris in bags:
            if qtype == libsbml.BIOLOGICAL_QUALIFIER and qualifier in (libsbml.BQB_IS, libsbml.BQB_IS_VERSION_OF):
                xrefs.extend(_curies(uris, where))
        evidence = pe.read_evidence(record) if self.ours else tuple(
            Evidence(reference=c) for c in self._flat(bags, libsbml.BQM_IS_DESCRIBED_BY, where,
                                                        libsbml.MODEL_QUALIFIER))
        return Reaction(
            id=r.getId(), type=kind, name=_name(r, record),
            reversible=bool(r.getReversible()),
            reactants=tuple(self._participant(r.getReactant(i), where) for i in range(r.getNumReactants())),
            products=tuple(self._participant(r.getProduct(i), where) for i in range(r.getNumProducts())),
            template=template, controls=tuple(controls),
            enzyme=record.get("enzyme") if record is not None else None,
            rate_law=None if law is None or not law.isSetMath()
            else self._math(law.getMath(), record, where, declared=declared),
            local_parameters=local,
            xrefs=tuple(xrefs), description=_description(r, record), evidence=evidence,
            compartment=r.getCompartment() if r.isSetCompartment() else None,
            fast=bool(r.getFast()) if r.isSetFast() else pe.get_bool(record, "fast") is True,
            metadata=self._metadata(r, record))

    def _participant(self, ref: libsbml.SpeciesReference, where: str) -> Participant:
        what = f"participant '{ref.getSpecies()}' of {where}"
        if ref.isSetStoichiometryMath():
            raise UnsupportedFeatureError(f"stoichiometry math of {what}")
        ident = ref.getId() if ref.isSetId() and ref.getId() else None
        assigned = ident is not None and (ident in self.initially_assigned
                                          or self._assignment_rule(ident) is not None)
        stoichiometry = float(ref.getStoichiometry())
        if self.level3 and not ref.isSetStoichiometry():
            if not assigned:
                raise UnsupportedFeatureError(f"an unset stoichiometry of {what}")
            stoichiometry = 1.0  # never used: an initial assignment or rule sets it
        if self.level3 and not ref.getConstant() and self.algebraic and ident is not None:
            changed = ident in self.rule_of or ident in self.event_assigned
            if not changed:
                raise UnsupportedFeatureError(f"the non-constant stoichiometry '{ident}' of {what} "
                                              "beside algebraic rules",
                                              hint="an algebraic rule may determine it")
        record = pe.find(ref, what)
        return Participant(entity=ref.getSpecies(), id=ident,
                           stoichiometry=pe.get_float(record, "stoichiometry", stoichiometry),
                           metadata=self._metadata(ref, record))

    # ---- events
    def _stimulus(self, e: libsbml.Event, entity_by_id: dict[str, Entity]) -> Stimulus:
        where = f"SBML event '{e.getId()}'"
        record = pe.find(e, where)
        if e.isSetDelay():
            raise UnsupportedFeatureError(f"{where} with a delay")
        if e.isSetPriority():
            raise UnsupportedFeatureError(f"{where} with a priority")
        trigger = e.getTrigger()
        tree = from_ast(trigger.getMath() if trigger is not None else None, where, self.declared, self.functions)
        if not (isinstance(tree, mathexpr.Op) and tree.op == ">=" and isinstance(tree.args[0], mathexpr.Name)
                and mathexpr.builtin(tree.args[0].id, self.declared) == "time"
                and isinstance(tree.args[1], mathexpr.Num)):
            raise UnsupportedFeatureError(f"{where} with the trigger '{mathexpr.render(tree)}'",
                                          hint="only 'time >= t' stimuli are held")
        if e.getNumEventAssignments() != 1:
            raise UnsupportedFeatureError(f"{where} with {e.getNumEventAssignments()} assignments")
        assignment = e.getEventAssignment(0)
        target = assignment.getVariable()
        entity = entity_by_id.get(target)
        if entity is None:
            raise UnsupportedFeatureError(f"{where} assigning '{target}', which is not a species")
        value = from_ast(assignment.getMath(), where, self.declared, self.functions)
        if (entity.amount_based and isinstance(value, mathexpr.Op) and value.op == "*"
                and value.args[1] == mathexpr.Name(entity.compartment)):
            value = value.args[0]
        if not isinstance(value, mathexpr.Num):
            raise UnsupportedFeatureError(f"{where} assigning '{mathexpr.render(value)}' (not a number)")
        return Stimulus(id=e.getId(), entity=target,
                        time=pe.get_float(record, "time", tree.args[1].value),
                        concentration=pe.get_float(record, "concentration", value.value),
                        name=_name(e, record), description=_description(e, record),
                        metadata=self._metadata(e, record))

    def _function(self, f: libsbml.FunctionDefinition) -> FunctionDefinition:
        where = f"function definition '{f.getId()}'"
        record = pe.find(f, where)
        arguments, body = from_lambda(f.getMath() if f.isSetMath() else None, where, self.functions)
        text = pe.text(record, "math")
        return FunctionDefinition(id=f.getId(), arguments=arguments,
                                  body=text if text is not None else mathexpr.render(body), name=_name(f, record),
                                  metadata=self._metadata(f, record))

    def _optional_math(self, sbase, record, where: str, tag: str = "math", declared=None) -> str | None:
        """The math of ``sbase``, or ``None`` where it has none (SBML Level 3 Version 2 allows it)."""
        if sbase is None or not sbase.isSetMath():
            return pe.text(record, tag)
        return self._math(sbase.getMath(), record, where, tag, declared)

    def _initial_assignment(self, a: libsbml.InitialAssignment) -> InitialAssignment:
        where = f"the initial assignment of '{a.getSymbol()}'"
        record = pe.find(a, where)
        return InitialAssignment(target=a.getSymbol(), expression=self._optional_math(a, record, where),
                                 metadata=self._metadata(a, record))

    def _rule(self, rule: libsbml.Rule) -> Rule:
        kind = "algebraic" if rule.isAlgebraic() else "rate" if rule.isRate() else "assignment"
        variable = None if rule.isAlgebraic() else rule.getVariable()
        where = f"the {kind} rule" + (f" of '{variable}'" if variable else "")
        record = pe.find(rule, where)
        return Rule(type=kind, expression=self._optional_math(rule, record, where),
                    variable=variable, metadata=self._metadata(rule, record))

    def _event(self, e: libsbml.Event, record, index: int) -> Event:
        where = f"SBML event '{e.getId() or index}'"
        trigger = e.getTrigger() if e.isSetTrigger() else None
        assignments = []
        for j in range(e.getNumEventAssignments()):
            a = e.getEventAssignment(j)
            sub = f"assignment {j} of {where}"
            own = pe.find(a, sub)
            assignments.append(EventAssignment(variable=a.getVariable(), expression=self._optional_math(a, own, sub),
                                               metadata=self._metadata(a, own)))
        level3 = self.level3 and trigger is not None
        return Event(
            id=e.getId() or f"event_{index + 1}", trigger=self._optional_math(trigger, record, where, "trigger"),
            assignments=tuple(assignments), name=_name(e, record),
            delay=self._optional_math(e.getDelay() if e.isSetDelay() else None, record, where, "delay"),
            priority=self._optional_math(e.getPriority() if e.isSetPriority() else None, record, where, "priority"),
            persistent=bool(trigger.getPersistent()) if level3 else True,
            initial_value=bool(trigger.getInitialValue()) if level3 else True,
            use_values_from_trigger_time=bool(e.getUseValuesFromTriggerTime())
            if e.isSetUseValuesFromTriggerTime() else True, metadata=self._metadata(e, record))

    def _constraint(self, c: libsbml.Constraint, index: int) -> Constraint:
        where = f"constraint {index}"
        record = pe.find(c, where)
        return Constraint(expression=self._optional_math(c, record, where), message=_message(c))

    def _pathway(self, node) -> Pathway:
        return Pathway(
            id=node.get("id"), name=pe.text(node, "name") or "",
            steps=tuple(n.get("reaction") for n in pe.subs(node, "step")),
            subpathways=tuple(n.get("pathway") for n in pe.subs(node, "subpathway")),
            xrefs=tuple(n.get("id") for n in pe.subs(node, "xref")),
            description=pe.text(node, "description"), evidence=pe.read_evidence(node))


def _message(c: libsbml.Constraint) -> str | None:
    """A constraint's message: its text when it is one plain XHTML paragraph, else its markup."""
    if not c.isSetMessage():
        return None
    from lxml import etree

    root = etree.fromstring(c.getMessageString().encode("utf-8"))
    children = list(root)
    if len(children) == 1 and children[0].tag == "{http://www.w3.org/1999/xhtml}p" and not len(children[0]) \
            and not children[0].attrib and not (root.text or "").strip() and not (children[0].tail or "").strip():
        return children[0].text or ""
    inner = (root.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in children)
    return inner.strip()


_LEVEL2_UNITS = {"substance": ((libsbml.UNIT_KIND_MOLE, 1),), "volume": ((libsbml.UNIT_KIND_LITRE, 1),),
                 "area": ((libsbml.UNIT_KIND_METRE, 2),), "length": ((libsbml.UNIT_KIND_METRE, 1),),
                 "time": ((libsbml.UNIT_KIND_SECOND, 1),)}
"""Level 2's built-in units and what they are unless the model redefines them (L2V4 4.4.3)."""


def _define_level2_units(m: libsbml.Model) -> None:
    """A unit definition for each Level 2 built-in unit the converted model still names."""
    used = {m.getSubstanceUnits(), m.getVolumeUnits(), m.getAreaUnits(), m.getLengthUnits(), m.getTimeUnits(),
            m.getExtentUnits()}
    used |= {c.getUnits() for c in _items(m, "Compartment")}
    used |= {s.getSubstanceUnits() for s in _items(m, "Species")}
    used |= {p.getUnits() for p in _items(m, "Parameter")}
    for r in _items(m, "Reaction"):
        law = r.getKineticLaw()
        if law is not None:
            used |= {law.getLocalParameter(i).getUnits() for i in range(law.getNumLocalParameters())}
    for name, factors in _LEVEL2_UNITS.items():
        if name in used and m.getUnitDefinition(name) is None:
            definition = m.createUnitDefinition()
            definition.setId(name)
            for kind, exponent in factors:
                unit = definition.createUnit()
                unit.setKind(kind)
                unit.setExponent(exponent)
                unit.setScale(0)
                unit.setMultiplier(1.0)


def _items(m: libsbml.Model, kind: str) -> list:
    """Every element of one kind (``Species``, ``Rule`` ...) of a libsbml model, in order."""
    get = getattr(m, f"get{kind}")
    return [get(i) for i in range(getattr(m, f"getNum{kind}s" if kind != "Species" else "getNumSpecies")())]


def _math_ids(m: libsbml.Model):
    """Ids of the document that math may name (the canonical model's ``math_ids``)."""
    for getter, count in (("getCompartment", "getNumCompartments"), ("getSpecies", "getNumSpecies"),
                          ("getParameter", "getNumParameters"), ("getReaction", "getNumReactions")):
        for i in range(getattr(m, count)()):
            yield getattr(m, getter)(i).getId()
    for i in range(m.getNumReactions()):
        r = m.getReaction(i)
        for ref in [r.getReactant(j) for j in range(r.getNumReactants())] + \
                   [r.getProduct(j) for j in range(r.getNumProducts())]:
            if ref.isSetId() and ref.getId():
                yield ref.getId()


def _replace(obj, **changes):
    from dataclasses import replace

    return replace(obj, **changes)


def _all(m: libsbml.Model):
    for getter, count in (("getCompartment", "getNumCompartments"), ("getParameter", "getNumParameters"),
                          ("getReaction", "getNumReactions"), ("getUnitDefinition", "getNumUnitDefinitions"),
                          ("getEvent", "getNumEvents")):
        for i in range(getattr(m, count)()):
            yield getattr(m, getter)(i)


def _fresh(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate)
    return candidate
