"""SBML Level 3 Version 2 core: write a canonical model, read it back, check it with libsbml.

What SBML's own vocabulary holds is written there (units, kinetics, SBO terms, MIRIAM
annotations, model history, XHTML notes); everything else goes in one annotation
namespace (:mod:`.annotations`) so that ``from_sbml(to_sbml(m)) == m`` for every model.
Foreign SBML is read as far as the canonical model can hold it; what it cannot hold is
refused by name (:class:`~pathway_export.errors.UnsupportedFeatureError`), never dropped.

Every libsbml setter returns a status code and raises nothing, so each call goes
through :func:`_check`, which turns a failure into a :class:`WriteError` naming the element.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sys
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Callable

import libsbml

from ... import identifiers, mathexpr
from ...collector import paused as collector_paused
from ...errors import FormatError, Problem, WriteError
from ...fsutil import atomic_write_bytes
from ...model import Compartment, Control, Entity, History, Metadata, Model, Reaction, located
from ...checks.findings import Finding
from . import annotations as pe
from .mathml import MATH_CONSTANTS, from_ast, lambda_ast, to_ast

log = logging.getLogger(__name__)

LEVEL, VERSION = 3, 2

ENTITY_SBO = {"protein": 252, "complex": 253, "small_molecule": 247, "gene": 243,
              "rna": 250, "dna": 251, "physical_entity": 240}
REACTION_SBO = {"binding": 177, "dissociation": 180, "state_change": 182, "transport": 185,
                "degradation": 179, "transcription": 183, "translation": 184,
                "gene_expression": 589, "conversion": 176,
                "molecular_interaction": 344, "genetic_interaction": 343, "interaction": 231}
PHOSPHORYLATION_SBO, DEPHOSPHORYLATION_SBO = 216, 330
CONTROL_SBO = {"catalysis": 13, "activation": 459, "inhibition": 20, "control": 168}
TEMPLATE_SBO = 645
"""SBO "template"; SBO files it under participant role, not modifier, so libsbml's SBO check
(10708) warns on a modifier carrying it. The writer uses :data:`TEMPLATE_MODIFIER_SBO` and
marks the template in the ``pe`` annotation; the reader accepts both."""
TEMPLATE_MODIFIER_SBO = 19
COMPARTMENT_SBO = 290

PHOSPHO_MODS = frozenset({"MOD:00696", "MOD:00046", "MOD:00047", "MOD:00048", "MOD:00042"})
"""PSI-MOD terms that mean a phosphorylated residue (generic, Ser, Thr, Tyr, His)."""

NUMBER_UNITS = "dimensionless"
"""Units given to literal numbers in rate laws and observables, so libsbml can check units."""

BQB, BQM = libsbml.BIOLOGICAL_QUALIFIER, libsbml.MODEL_QUALIFIER

# Which MIRIAM qualifier carries which model-level annotation. Diseases are properties of
# the modelled system (bqbiol:hasProperty, as BioModels annotates disease terms); cell
# types and tissues are where it takes place (bqbiol:occursIn, the COMBINE qualifier for
# "the biological entity takes place in" a cell type, tissue or organ).
MODEL_QUALIFIERS = {"diseases": libsbml.BQB_HAS_PROPERTY, "cell_types": libsbml.BQB_OCCURS_IN,
                    "tissues": libsbml.BQB_OCCURS_IN, "processes": libsbml.BQB_IS_VERSION_OF}


def _check(ret: int, what: str) -> None:
    """Raise :class:`WriteError` naming ``what`` unless a libsbml call succeeded."""
    if ret != libsbml.LIBSBML_OPERATION_SUCCESS:
        reason = libsbml.OperationReturnValue_toString(ret) or f"code {ret}"
        raise WriteError(f"libsbml refused {what}: {reason}")


# --------------------------------------------------------------------------- public verbs


def to_sbml(model: Model) -> bytes:
    """The model as SBML L3V2 core, UTF-8 bytes; the same model always gives the same bytes."""
    carried = strip_uncarried(model)  # the export command names what is left out
    with collector_paused():
        doc = _Writer(carried).document()
    text = libsbml.writeSBMLToString(doc)
    if not text:
        raise WriteError(f"libsbml could not serialise model {model.id!r}")
    return text.encode("utf-8")


def write_sbml(model: Model, path: str | os.PathLike[str]) -> Path:
    """Write the model as SBML to ``path`` atomically."""
    return atomic_write_bytes(path, to_sbml(model))


def from_sbml(data: bytes, source: str = "<bytes>",
              progress: Callable[[int, int], None] | None = None) -> Model:
    """Read SBML bytes into a canonical model (see :mod:`.read`).

    ``progress(done, total)`` is told how far it has got, in hundredths: half for libsbml's
    parse, half for reading the elements.
    """
    from .read import read_document

    if progress is not None:
        progress(0, 100)
    doc = parse_document(data, source)
    if progress is not None:
        progress(50, 100)
    return read_document(doc, source, progress)


def read_sbml(path: str | os.PathLike[str], progress: Callable[[int, int], None] | None = None) -> Model:
    """Read an SBML file into a canonical model."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError([Problem(f"cannot read: {exc.strerror or exc}")], str(path)) from exc
    return from_sbml(data, source=str(path), progress=progress)


def strip_uncarried(model: Model) -> Model:
    """``model`` as SBML carries it: all of it but its pathway-database detail.

    SBML has no place for generic entities' members, sequence features beyond PSI-MOD
    modifications, a molecule's formula, weight, sequence and members, interaction
    participants, a reaction's spontaneity and EC numbers, or controls beyond one controller
    of one kind (several controllers, mechanisms, catalysis directions, cofactors, controls of
    controls, controls of nothing, a control's name, xrefs and description): these are left
    out, and a control without a controller with them. An entity located nowhere goes into a
    compartment of its own, ``unspecified_location``, as an SBML species needs one.
    The ``export`` command names what is left out, once.
    """
    if not _has_detail(model):
        return model
    model = located(model)
    return replace(
        model, controls=(), publications=(),
        molecules=tuple(replace(m, members=(), formula=None, molecular_weight=None, sequence=None,
                                identities=None, database_xrefs=()) for m in model.molecules),
        entities=tuple(replace(e, members=(), features=(), database_xrefs=()) for e in model.entities),
        pathways=tuple(replace(p, database_xrefs=(), components=None) for p in model.pathways),
        reactions=tuple(replace(r, participants=(), spontaneous=None, ec_numbers=(), database_xrefs=(),
                                direction_unknown=False, controls=tuple(
            Control(c.controller, c.type, c.evidence, metadata=c.metadata) for c in r.controls if c.controller is not None))
            for r in model.reactions))


def _has_detail(model: Model) -> bool:
    """Whether ``model`` holds anything :func:`strip_uncarried` leaves out (most models do not)."""
    return bool(model.controls) or bool(model.publications) or any(
        m.members or m.formula is not None or m.molecular_weight is not None or m.sequence is not None
        or m.identities is not None or m.database_xrefs for m in model.molecules) or any(
        e.members or e.features or e.database_xrefs or e.compartment is None for e in model.entities) or any(
        p.database_xrefs or p.components is not None for p in model.pathways) or any(
        r.participants or r.spontaneous is not None or r.ec_numbers or r.database_xrefs or r.direction_unknown or any(
            c != Control(c.controller, c.type, c.evidence, metadata=c.metadata) or c.controller is None for c in r.controls)
        for r in model.reactions)


# --------------------------------------------------------------------------- reading XML safely

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def reject_unsafe_xml(data: bytes, source: str = "<bytes>") -> None:
    """Refuse XML whose DOCTYPE declares entities (external entities, entity expansion bombs).

    Document formats need no DTD; libsbml's parser would expand internal entities, and
    other parsers may fetch external ones. Raise :class:`FormatError` naming the line.
    """
    head = data[:4] if isinstance(data, bytes) else b""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass
    match = _DOCTYPE.search(data)
    if match is None:
        return
    entity = _ENTITY.search(data, match.start())
    if entity is None:
        return
    line = data.count(b"\n", 0, entity.start()) + 1
    column = entity.start() - (data.rfind(b"\n", 0, entity.start()) + 1) + 1
    raise FormatError([Problem(
        "the DOCTYPE declares an ENTITY; entity declarations are refused "
        "(they allow external-entity reads and entity-expansion bombs)",
        where="<!DOCTYPE>", line=line, column=column, source=source,
        hint="remove the DOCTYPE: SBML and BioPAX need none")], source)


def parse_document(data: bytes, source: str = "<bytes>") -> libsbml.SBMLDocument:
    """Parse SBML bytes with libsbml; errors and fatals become one :class:`FormatError`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    reject_unsafe_xml(data, source)
    if not data.strip():
        raise FormatError([Problem("the document is empty", source=source)], source)
    doc = libsbml.readSBMLFromString(data.decode("utf-8", errors="replace")
                                     if not data.lstrip().startswith(b"<?xml") else data.decode("utf-8", "replace"))
    problems = []
    for i in range(doc.getNumErrors()):
        err = doc.getError(i)
        if err.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            problems.append(Problem(_message(err), where=f"sbml:{err.getErrorId()}",
                                    line=err.getLine() or None, column=err.getColumn() or None,
                                    source=source))
    if problems:
        raise FormatError(problems, source)
    if doc.getModel() is None:
        raise FormatError([Problem("the document holds no <model>", source=source)], source)
    return doc


def _message(err: libsbml.SBMLError) -> str:
    text = " ".join(err.getMessage().split())
    short = err.getShortMessage()
    return f"{short}: {text}" if short and short not in text else text


# --------------------------------------------------------------------------- consistency

CATEGORIES = {
    "general": libsbml.LIBSBML_CAT_GENERAL_CONSISTENCY,
    "identifier": libsbml.LIBSBML_CAT_IDENTIFIER_CONSISTENCY,
    "mathml": libsbml.LIBSBML_CAT_MATHML_CONSISTENCY,
    "sbo": libsbml.LIBSBML_CAT_SBO_CONSISTENCY,
    "units": libsbml.LIBSBML_CAT_UNITS_CONSISTENCY,
    "overdetermined": libsbml.LIBSBML_CAT_OVERDETERMINED_MODEL,
    "modelling_practice": libsbml.LIBSBML_CAT_MODELING_PRACTICE,
}
"""libsbml consistency categories by name; :func:`check_consistency` runs all by default."""

_SEVERITY = {libsbml.LIBSBML_SEV_INFO: "info", libsbml.LIBSBML_SEV_WARNING: "warning",
             libsbml.LIBSBML_SEV_ERROR: "error", libsbml.LIBSBML_SEV_FATAL: "error"}
_QUOTED_ID = re.compile(r"(?:id|variable|species|compartment)\s*=?\s*'([A-Za-z_][A-Za-z0-9_]*)'")


def check_consistency(data: bytes, source: str = "<bytes>",
                      categories: set[str] | None = None) -> list[Finding]:
    """libsbml's consistency checks on SBML bytes, as findings (rule ``sbml:<errorId>``).

    ``categories`` names the checks to run (keys of :data:`CATEGORIES`); all by default.
    """
    chosen = set(CATEGORIES) if categories is None else set(categories)
    unknown = chosen - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown libsbml categories {sorted(unknown)}; known: {sorted(CATEGORIES)}")
    if isinstance(data, str):
        data = data.encode("utf-8")
    reject_unsafe_xml(data, source)
    doc = libsbml.readSBMLFromString(data.decode("utf-8", "replace"))
    findings = [_finding(doc.getError(i), source) for i in range(doc.getNumErrors())]
    if any(f.severity == "error" for f in findings):
        return findings
    for name, category in CATEGORIES.items():
        doc.setConsistencyChecks(category, name in chosen)
    doc.checkConsistency()
    seen = set(findings)
    for i in range(doc.getNumErrors()):
        finding = _finding(doc.getError(i), source)
        if finding not in seen:
            seen.add(finding)
            findings.append(finding)
    return findings


def _finding(err: libsbml.SBMLError, source: str) -> Finding:
    message = " ".join(err.getMessage().split())
    match = _QUOTED_ID.search(message)
    line = err.getLine() or None
    return Finding(
        severity=_SEVERITY.get(err.getSeverity(), "error"),
        rule=f"sbml:{err.getErrorId()}",
        message=f"{err.getCategoryAsString()}: {message}",
        element=match.group(1) if match else (f"line {line}" if line else ""),
        line=line, column=err.getColumn() or None, source=source)


# --------------------------------------------------------------------------- writing


def _cv(qualifier_type: int, qualifier: int, uris: list[str]) -> libsbml.CVTerm:
    term = libsbml.CVTerm(qualifier_type)
    if qualifier_type == BQB:
        _check(term.setBiologicalQualifierType(qualifier), "a biology qualifier")
    else:
        _check(term.setModelQualifierType(qualifier), "a model qualifier")
    for uri in uris:
        _check(term.addResource(uri), f"the annotation resource {uri}")
    return term


QUALIFIER_CODES: dict[str, tuple[int, int]] = {
    **{f"bqbiol:{libsbml.BiolQualifierType_toString(code)}": (BQB, code)
       for code in range(libsbml.BQB_UNKNOWN) if libsbml.BiolQualifierType_toString(code)},
    **{f"bqmodel:{libsbml.ModelQualifierType_toString(code)}": (BQM, code)
       for code in range(libsbml.BQM_UNKNOWN) if libsbml.ModelQualifierType_toString(code)},
}
"""libsbml's qualifier type and code of each qualifier name (``bqbiol:hasPart``)."""
QUALIFIER_NAMES = {code: name for name, code in QUALIFIER_CODES.items()}


def _one_element_per_namespace(xml: str) -> bool:
    from lxml import etree

    try:
        nodes = etree.fromstring(f"<annotation>{xml}</annotation>".encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise WriteError(f"annotation XML that is not well formed: {exc}") from exc
    spaces = [etree.QName(node).namespace for node in nodes if isinstance(node.tag, str)]
    return len(spaces) == len(set(spaces)) and None not in spaces


def qualifier_name(term: libsbml.CVTerm) -> str | None:
    """The qualifier of a libsbml term as a name (``bqmodel:isDerivedFrom``), ``None`` if unknown."""
    if term.getQualifierType() == BQM:
        code = term.getModelQualifierType()
        return f"bqmodel:{libsbml.ModelQualifierType_toString(code)}" if code != libsbml.BQM_UNKNOWN else None
    code = term.getBiologicalQualifierType()
    return f"bqbiol:{libsbml.BiolQualifierType_toString(code)}" if code != libsbml.BQB_UNKNOWN else None


def notes_text(xhtml: str) -> str | None:
    """The text of XHTML notes: a single paragraph's text as it is, else whitespace collapsed."""
    from lxml import etree

    root = etree.fromstring(f"<notes>{xhtml}</notes>".encode("utf-8")) if not xhtml.lstrip().startswith("<notes") \
        else etree.fromstring(xhtml.encode("utf-8"))
    paragraphs = root.findall(".//{http://www.w3.org/1999/xhtml}p")
    if len(paragraphs) == 1 and len(paragraphs[0]) == 0:
        return paragraphs[0].text or ""
    text = " ".join("".join(root.itertext()).split())
    return text or None


def _model_history(history: History) -> libsbml.ModelHistory:
    out = libsbml.ModelHistory()
    for person in history.creators:
        creator = libsbml.ModelCreator()
        who = f"creator {person.name or person.family_name or person.organisation!r}"
        for value, setter in ((person.name, creator.setGivenName), (person.family_name, creator.setFamilyName),
                              (person.email, creator.setEmail), (person.organisation, creator.setOrganisation)):
            if value:
                _check(setter(value), f"the {setter.__name__[3:]} of {who}")
        _check(out.addCreator(creator), f"{who} in a history")
    if history.created is not None:
        _check(out.setCreatedDate(libsbml.Date(_w3c(history.created))), f"the created date {history.created}")
    for date in history.modified:
        _check(out.addModifiedDate(libsbml.Date(_w3c(date))), f"the modified date {date}")
    return out


def _w3c(date: str) -> str:
    return date if "T" in date else f"{date}T00:00:00Z"


def date_from_w3c(text: str) -> str:
    """A libsbml W3C date back into the canonical form (midnight UTC is a plain date)."""
    return text[:-len("T00:00:00Z")] if text.endswith("T00:00:00Z") else text


def _date(text: str | None) -> libsbml.Date | None:
    """A libsbml date that reads back as ``text`` exactly, or ``None``."""
    if text is None:
        return None
    date = libsbml.Date(_w3c(text))
    if not date.representsValidDate() or date_from_w3c(date.getDateAsString()) != text:
        return None
    return date


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PLAIN_OPS = frozenset({"+", "-", "*", "/", "^"})
_SPECIAL_NAMES = frozenset(MATH_CONSTANTS) | {"INF", "NaN"}


def _reads_back_unchanged(tree: mathexpr.Expr) -> bool:
    """Whether the MathML libsbml writes of ``tree`` certainly reads back as ``tree``.

    True for trees of binary ``+ - * / ^`` (no ``+`` or ``*`` right operand of the same
    operator) over ASCII names that are no SBML constant and
    non-negative finite numbers whose 15 significant digits (what libsbml writes) read back
    as the same number without an exponent: each becomes one MathML ``apply``, ``ci`` or
    ``cn`` that libsbml reads back as the node it was. Saves writing and parsing MathML
    for each rate law; any other tree is checked by the round trip itself.
    """
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, mathexpr.Op):
            if node.op not in _PLAIN_OPS or len(node.args) != 2:
                return False
            right = node.args[1]
            if node.op in ("+", "*") and isinstance(right, mathexpr.Op) and right.op == node.op:
                return False  # libsbml writes a + (b + c) as one n-ary plus, read back as (a + b) + c
            stack.extend(node.args)
        elif isinstance(node, mathexpr.Name):
            if node.id in _SPECIAL_NAMES or not _PLAIN_NAME.match(node.id):
                return False
        elif isinstance(node, mathexpr.Num):
            value = node.value
            if not (value > 0 or (value == 0 and math.copysign(1.0, value) > 0)):
                return False
            written = f"{value:.15g}"
            if "e" in written or "n" in written or float(written) != value:
                return False
        else:
            return False
    return True


def _math_text_survives(tree: mathexpr.Expr, text: str, ast: libsbml.ASTNode, where: str,
                        declared: frozenset[str], functions: frozenset[str]) -> bool:
    """Whether reading the written MathML gives back ``text`` exactly."""
    if _reads_back_unchanged(tree):
        return mathexpr.render(tree) == text
    written = libsbml.writeMathMLToString(ast)
    back = libsbml.readMathMLFromString(written)
    try:
        return back is not None and mathexpr.render(from_ast(back, where, declared, functions)) == text
    except Exception:  # any failure to read back means: carry the text
        return False


def _number_survives(value: float) -> bool:
    """Whether a MathML number written by libsbml reads back as ``value`` (e-notation may not)."""
    back = libsbml.readMathMLFromString(libsbml.writeMathMLToString(to_ast(mathexpr.Num(value))))
    return back is not None and from_ast(back, "a number") == mathexpr.Num(value)


def modifications_of(model: Model, entity: Entity) -> list[str]:
    """PSI-MOD terms of an entity, its complex components' included (with their counts)."""
    found: list[str] = [m.type for m in entity.modifications]
    for comp in entity.components:
        inner = model.entity_by_id.get(comp.entity)
        if inner is not None:
            found.extend(modifications_of(model, inner) * comp.stoichiometry)
    return found


def reaction_sbo(model: Model, reaction: Reaction) -> int:
    """The SBO term of a reaction: its kind's, or (de)phosphorylation for a state change."""
    if reaction.type == "state_change":
        def phospho(parts) -> float:
            total = 0.0
            for p in parts:
                entity = model.entity_by_id.get(p.entity)
                if entity is not None:
                    mods = modifications_of(model, entity)
                    total += p.stoichiometry * sum(1 for m in mods if m in PHOSPHO_MODS)
            return total
        before, after = phospho(reaction.reactants), phospho(reaction.products)
        if after > before:
            return PHOSPHORYLATION_SBO
        if after < before:
            return DEPHOSPHORYLATION_SBO
    return REACTION_SBO[reaction.type]


def is_plain_form(entity: Entity) -> bool:
    """An unmodified molecule: its xrefs say what it *is* (else what it is a version of)."""
    return not entity.modifications and not entity.bound and entity.active is None


def _notes(text: str) -> str:
    from xml.sax.saxutils import escape

    return f'<body xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></body>'


@dataclass
class _Writer:
    model: Model

    def document(self) -> libsbml.SBMLDocument:
        doc = libsbml.SBMLDocument(LEVEL, VERSION)
        if doc is None:  # pragma: no cover
            raise WriteError("libsbml could not create an SBML L3V2 document")
        m = doc.createModel()
        self.sbml = m
        self.pending = pe.Pending()
        # MIRIAM terms and the model history, given to libsbml after the pe records: libsbml
        # appends an annotation to an element without one cheaply, but to an element with
        # MIRIAM terms only after writing them out as RDF and parsing them back
        self.after: list[tuple[Callable[[], int], str]] = []  # (libsbml call, what it sets)
        self.uris: dict[str, str] = {}
        self.metaids = 0  # metaids of elements without an id that carry MIRIAM terms
        self.functions = frozenset(self.model.function_by_id)
        self.declared = self.model.math_ids
        # what rules and events change is not constant (species reference ids among them)
        self.changing = frozenset({r.variable for r in self.model.rules if r.variable is not None}
                                  | {a.variable for e in self.model.events for a in e.assignments})
        self._model_attributes(m)
        for f in self.model.function_definitions:
            self._function(f)
        for ud in self.model.unit_definitions:
            self._unit_definition(ud)
        for c in self.model.compartments:
            self._compartment(c)
        for e in self.model.entities:
            self._species(e)
        for p in self.model.parameters:
            self._parameter(p)
        for o in self.model.observables:
            self._observable(o)
        for r in self.model.reactions:
            self._reaction(r)
        for s in self.model.stimuli:
            self._event(s)
        for a in self.model.initial_assignments:
            self._initial_assignment(a)
        for rule in self.model.rules:
            self._rule(rule)
        for e in self.model.events:
            self._general_event(e)
        for i, c in enumerate(self.model.constraints):
            self._constraint(c, i)
        self.pending.flush()
        for call, what in self.after:
            _check(call(), what)
        self.after = []
        return doc

    # ---- shared pieces
    def _base(self, sbase: libsbml.SBase, ident: str, name: str | None, what: str,
              record: "pe.etree._Element", metaid: str | None = None) -> None:
        _check(sbase.setId(ident), f"the id of {what}")
        _check(sbase.setMetaId(metaid or f"meta_{ident}"), f"the metaid of {what}")
        if name is not None:
            if pe.attr_safe(name):
                _check(sbase.setName(name), f"the name of {what}")
            else:
                pe.child(record, "name", text=name)

    def _describe(self, sbase: libsbml.SBase, description: str | None, what: str, record) -> None:
        """A description as XHTML notes; whitespace-only text (which notes lose) in ``pe``."""
        if description is not None and description.strip() and not pe.mangled(description):
            _check(sbase.setNotes(_notes(description)), f"the notes of {what}")
        elif description is not None:
            pe.child(record, "description", text=description)

    def _annotate(self, sbase: libsbml.SBase, meta: Metadata, derived: list[tuple[int, int, list[str]]],
                  what: str, record, description: str | None = None) -> None:
        """The element's metadata, and the MIRIAM terms derived from its typed fields.

        The metadata's terms come first, as they are; a derived term keeps only resources
        they do not name. What the reader must tell apart from derived content is marked in
        ``record``: how many terms are the metadata's, the SBO term its kind gives
        (``kindSbo``), kept notes and history.
        """
        terms = [(*QUALIFIER_CODES[t.qualifier], list(t.resources)) for t in meta.terms]
        if meta.terms:
            record.set("terms", str(len(meta.terms)))
            named = {r for term in meta.terms for r in term.resources}
            for qtype, qualifier, curies in derived:
                # what the terms already say is not said twice; the record keeps which typed
                # field it came from, so the reader tells the typed fields from the terms
                said = [c for c in curies if c in named]
                if said:
                    pe.child(record, "derived", {"qualifier": QUALIFIER_NAMES[qtype, qualifier],
                                                 "ids": " ".join(said)})
                terms.append((qtype, qualifier, [c for c in curies if c not in named]))
        else:
            terms = derived
        if meta.sbo is not None:
            record.set("kindSbo", sbase.getSBOTermID() if sbase.isSetSBOTerm() else "none")
            _check(sbase.setSBOTerm(meta.sbo), f"the SBO term of {what}")
        if meta.notes is not None:
            record.set("notes", "kept")
            _check(sbase.setNotes(meta.notes), f"the notes of {what}")
            if description is not None and description != notes_text(meta.notes):
                pe.child(record, "description", text=description)
        if (terms and any(curies for _, _, curies in terms) or meta.history is not None) \
                and not sbase.isSetMetaId():
            self.metaids += 1
            _check(sbase.setMetaId(f"meta_{self.metaids}"), f"the metaid of {what}")
        if meta.xml is not None:
            if _one_element_per_namespace(meta.xml):
                self.after.append((partial(sbase.appendAnnotation, f"<annotation>{meta.xml}</annotation>"),
                                   f"the annotation XML of {what}"))
            else:  # SBML Level 3 allows one top-level element per namespace: keep them in ours
                pe.child(record, "xml", text=meta.xml)
        for qtype, qualifier, curies in terms:
            if curies:
                uris = [self._uri(c) for c in curies]
                self.after.append((partial(sbase.addCVTerm, _cv(qtype, qualifier, uris), True),
                                   f"an annotation of {what}"))
        if meta.history is not None:
            record.set("metaHistory", "kept")
            self.after.append((partial(sbase.setModelHistory, _model_history(meta.history)),
                               f"the history of {what}"))

    def _uri(self, curie: str) -> str:
        """The identifiers.org URI of ``curie``, looked up once per document (forms of one
        molecule share its xrefs)."""
        uri = self.uris.get(curie)
        if uri is None:
            uri = self.uris[curie] = identifiers.resource_uri(curie)
        return uri

    def _math(self, text: str, record, what: str, units: str | None = NUMBER_UNITS,
              tag: str = "math", declared: frozenset[str] | None = None) -> libsbml.ASTNode:
        """The libsbml tree of ``text``; the text goes in ``record`` unless the tree reads back as it.

        ``declared``: the ids in scope (the model's, unless a rate law adds its local parameters).
        """
        declared = self.declared if declared is None else declared
        tree = mathexpr.parse(text)
        ast = to_ast(tree, units, self.functions, declared)
        if not _math_text_survives(tree, text, ast, what, declared, self.functions):
            pe.child(record, tag, text=text)
        return ast

    @staticmethod
    def _exact(record, key: str, value: float | None) -> None:
        """Carry ``value`` in ``record`` when libsbml's 15 digits would not read back as it."""
        written = None if value is None else float(f"{value:.15g}")
        if written is not None and written != 0 and abs(written) < sys.float_info.min:
            raise WriteError(f"{key} {value!r} is written as a subnormal number, which SBML readers "
                             "(libsbml included) reject; round it to 0 or to a number above 1e-307")
        if value is not None and pe.lossy(value):
            record.set(key, repr(value))

    # ---- model
    def _model_attributes(self, m: libsbml.Model) -> None:
        model = self.model
        record = pe.element("model")
        for key in ("version", "license"):
            if getattr(model, key) is not None:
                pe.child(record, key, text=getattr(model, key))
        self._base(m, model.id, model.name, f"model '{model.id}'", record)
        for key in ("substance", "volume", "area", "length", "time", "extent"):
            unit = getattr(model.units, key)
            if unit is not None:
                setter = getattr(m, f"set{key.capitalize()}Units")
                _check(setter(unit), f"the {key} units of model '{model.id}'")
        if model.conversion_factor is not None:
            _check(m.setConversionFactor(model.conversion_factor), f"the conversion factor of model '{model.id}'")
        self._describe(m, model.description, f"model '{model.id}'", record)
        ann = model.annotations
        if ann.cell_types and ann.tissues:
            record.set("cellTypes", str(len(ann.cell_types)))
        terms = [(BQB, libsbml.BQB_HAS_TAXON, [model.organism] if model.organism else []),
                 (BQM, libsbml.BQM_IS_DESCRIBED_BY, list(model.references)),
                 (BQB, MODEL_QUALIFIERS["diseases"], list(ann.diseases)),
                 (BQB, libsbml.BQB_OCCURS_IN, list(ann.cell_types) + list(ann.tissues)),
                 (BQB, MODEL_QUALIFIERS["processes"], list(ann.processes))]
        self._history(m, record)
        self._annotate(m, model.metadata, terms, f"model '{model.id}'", record, model.description)
        for mol in model.molecules:
            node = pe.child(record, "molecule", {"id": mol.id, "type": mol.type,
                                                 "organism": mol.organism})
            for key in ("name", "symbol"):
                value = getattr(mol, key)
                if value is not None:
                    pe.child(node, key, text=value)
            for syn in mol.synonyms:
                pe.child(node, "synonym", text=syn)
            for xref in mol.xrefs:
                pe.child(node, "xref", {"id": xref})
            if mol.description is not None:
                pe.child(node, "description", text=mol.description)
            pe.add_evidence(node, mol.evidence)
        for pw in model.pathways:
            node = pe.child(record, "pathway", {"id": pw.id})
            pe.child(node, "name", text=pw.name)
            for step in pw.steps:
                pe.child(node, "step", {"reaction": step})
            for subpathway in pw.subpathways:
                pe.child(node, "subpathway", {"pathway": subpathway})
            for xref in pw.xrefs:
                pe.child(node, "xref", {"id": xref})
            if pw.description is not None:
                pe.child(node, "description", text=pw.description)
            pe.add_evidence(node, pw.evidence)
        self.pending.append(m, record, f"model '{model.id}'")

    def _history(self, m: libsbml.Model, record) -> None:
        """Creators and dates in the SBML model history when it can hold them, else in ``pe``.

        libsbml writes a history only with a creator, a created and a modified date, a
        creator only with given and family names, and the history only when the model also
        has a MIRIAM annotation (without one it silently leaves the history out).
        """
        model = self.model
        ann = model.annotations
        has_terms = bool(model.organism or model.references or ann.diseases or ann.cell_types
                         or ann.tissues or ann.processes)
        created, modified = _date(model.created), _date(model.modified)
        in_history = (model.metadata.history is None and has_terms and created is not None and modified is not None and bool(model.authors)
                      and all(a.family_name and a.name for a in model.authors))
        if in_history:
            history = libsbml.ModelHistory()
            for a in model.authors:
                creator = libsbml.ModelCreator()
                _check(creator.setGivenName(a.name), f"the given name of author {a.name!r}")
                _check(creator.setFamilyName(a.family_name), f"the family name of author {a.name!r}")
                if a.email is not None:
                    _check(creator.setEmail(a.email), f"the email of author {a.name!r}")
                if a.organisation is not None:
                    _check(creator.setOrganisation(a.organisation), f"the organisation of author {a.name!r}")
                _check(history.addCreator(creator), f"author {a.name!r} in the model history")
            _check(history.setCreatedDate(created), "the created date of the model history")
            _check(history.addModifiedDate(modified), "the modified date of the model history")
            self.after.append((partial(m.setModelHistory, history), f"the history of model '{model.id}'"))
        else:
            for key in ("created", "modified"):
                if getattr(model, key) is not None:
                    record.set(key, getattr(model, key))
        if model.authors:
            record.set("history", "true" if in_history else "false")
        for a in model.authors:
            node = pe.child(record, "author", {"role": None if a.role == "author" else a.role,
                                               "orcid": a.orcid})
            if not in_history:
                for key in ("name", "family_name", "email", "organisation"):
                    value = getattr(a, key)
                    if value is not None:
                        pe.child(node, key, text=value)

    # ---- units
    def _unit_definition(self, ud) -> None:
        what = f"unit definition '{ud.id}'"
        definition = self.sbml.createUnitDefinition()
        record = pe.element("unitDefinition")
        self._base(definition, ud.id, ud.name, what, record, self._unit_metaid(ud.id))
        for i, factor in enumerate(ud.factors):
            unit = definition.createUnit()
            kind = libsbml.UnitKind_forName(factor.kind)
            if kind == libsbml.UNIT_KIND_INVALID:
                raise WriteError(f"{what}: {factor.kind!r} is not an SBML base unit")
            _check(unit.setKind(kind), f"the kind of factor {i} of {what}")
            _check(unit.setExponent(float(factor.exponent)), f"the exponent of factor {i} of {what}")
            _check(unit.setScale(int(factor.scale)), f"the scale of factor {i} of {what}")
            _check(unit.setMultiplier(float(factor.multiplier)), f"the multiplier of factor {i} of {what}")
            if pe.lossy(float(factor.exponent)) or pe.lossy(float(factor.multiplier)):
                exact = pe.child(record, "factor", {"index": i})
                self._exact(exact, "exponent", float(factor.exponent))
                self._exact(exact, "multiplier", float(factor.multiplier))
        self._annotate(definition, ud.metadata, [], what, record)
        self.pending.append(definition, record, what)

    def _unit_metaid(self, unit_id: str) -> str:
        """``meta_<id>``, unless another element has that id (unit ids are a namespace of
        their own): then one no element's ``meta_<id>`` takes."""
        model = self.model
        others = {x.id for kind in (model.compartments, model.entities, model.parameters, model.observables,
                                    model.reactions, model.stimuli, model.function_definitions, model.events)
                  for x in kind} | {model.id}
        if unit_id not in others:
            return f"meta_{unit_id}"
        candidate, n = f"meta_unit_{unit_id}", 1
        while candidate[len("meta_"):] in others or candidate in {f"meta_{u.id}" for u in model.unit_definitions}:
            n += 1
            candidate = f"meta_unit_{unit_id}_{n}"
        return candidate

    # ---- compartments
    def _compartment(self, c) -> None:
        what = f"compartment '{c.id}'"
        comp = self.sbml.createCompartment()
        record = pe.element("compartment", {"parent": c.parent})
        self._base(comp, c.id, c.name, what, record)
        if c.spatial_dimensions is not None:
            _check(comp.setSpatialDimensions(float(c.spatial_dimensions)), f"the dimensions of {what}")
        _check(comp.setConstant(c.constant), f"the constant flag of {what}")
        if c.size is not None:
            _check(comp.setSize(c.size), f"the size of {what}")
            self._exact(record, "size", c.size)
        if c.units is not None:
            _check(comp.setUnits(c.units), f"the units of {what}")
        _check(comp.setSBOTerm(COMPARTMENT_SBO), f"the SBO term of {what}")
        self._annotate(comp, c.metadata, [(BQB, libsbml.BQB_IS, [c.go] if c.go else [])], what, record)
        self.pending.append(comp, record, what)

    # ---- species
    def _species(self, e: Entity) -> None:
        model = self.model
        what = f"species '{e.id}'"
        sp = self.sbml.createSpecies()
        record = pe.element("entity", {"molecule": e.molecule, "active": e.active, "type": e.type})
        self._base(sp, e.id, e.name, what, record)
        _check(sp.setCompartment(e.compartment), f"the compartment of {what}")
        if e.initial_concentration is not None:
            _check(sp.setInitialConcentration(e.initial_concentration), f"the initial concentration of {what}")
            self._exact(record, "initialConcentration", e.initial_concentration)
        if e.initial_amount is not None:
            _check(sp.setInitialAmount(e.initial_amount), f"the initial amount of {what}")
            self._exact(record, "initialAmount", e.initial_amount)
        if e.units is not None:
            _check(sp.setSubstanceUnits(e.units), f"the substance units of {what}")
        _check(sp.setHasOnlySubstanceUnits(e.amount_based), f"hasOnlySubstanceUnits of {what}")
        _check(sp.setBoundaryCondition(e.boundary), f"the boundary condition of {what}")
        _check(sp.setConstant(e.constant), f"the constant flag of {what}")
        if e.conversion_factor is not None:
            _check(sp.setConversionFactor(e.conversion_factor), f"the conversion factor of {what}")
        _check(sp.setSBOTerm(ENTITY_SBO[model.entity_type(e)]), f"the SBO term of {what}")
        self._describe(sp, e.description, what, record)
        terms: list[tuple[int, int, list[str]]] = []
        if e.molecule is not None:
            mol = model.molecule_by_id[e.molecule]
            qualifier = libsbml.BQB_IS if is_plain_form(e) else libsbml.BQB_IS_VERSION_OF
            terms.append((BQB, qualifier, list(mol.xrefs)))
        for mol_id in model.flat_components(e) if e.molecule is None else {}:
            terms.append((BQB, libsbml.BQB_HAS_PART, list(model.molecule_by_id[mol_id].xrefs)))
        terms.append((BQB, libsbml.BQB_IS, list(e.xrefs)))
        self._annotate(sp, e.metadata, terms, what, record, e.description)
        for comp in e.components:
            pe.child(record, "component", {"entity": comp.entity,
                                           "stoichiometry": None if comp.stoichiometry == 1 else comp.stoichiometry})
        for mod in e.modifications:
            pe.child(record, "modification", {"type": mod.type, "residue": mod.residue,
                                              "position": mod.position})
        for b in e.bound:
            pe.child(record, "bound", {"molecule": b})
        for xref in e.xrefs:  # also here: libsbml merges a bag equal to the molecule's
            pe.child(record, "xref", {"id": xref})
        pe.add_evidence(record, e.evidence)
        self.pending.append(sp, record, what)

    # ---- parameters and observables
    def _parameter(self, p, local_to: libsbml.KineticLaw | None = None) -> None:
        if local_to is None:
            what = f"parameter '{p.id}'"
            par = self.sbml.createParameter()
            record = pe.element("parameter")
            self._base(par, p.id, p.name, what, record)
            _check(par.setConstant(p.constant), f"the constant flag of {what}")
        else:
            what = f"local parameter '{p.id}' of reaction '{local_to.getParentSBMLObject().getId()}'"
            par = local_to.createLocalParameter()
            record = pe.element("parameter")
            _check(par.setId(p.id), f"the id of {what}")
            if p.name is not None:
                if pe.attr_safe(p.name):
                    _check(par.setName(p.name), f"the name of {what}")
                else:
                    pe.child(record, "name", text=p.name)
            if not p.constant:
                raise WriteError(f"{what} is not constant; SBML local parameters always are")
        if p.value is not None:
            _check(par.setValue(p.value), f"the value of {what}")
            self._exact(record, "value", p.value)
        if p.units is not None:
            _check(par.setUnits(p.units), f"the units of {what}")
        self._describe(par, p.description, what, record)
        if p.provenance is not None:
            prov = p.provenance
            pe.child(record, "provenance", {"kind": prov.kind, "reference": prov.reference}, prov.note)
        self._annotate(par, p.metadata, [], what, record, p.description)
        self.pending.append(par, record, what)

    def _observable(self, o) -> None:
        what = f"observable '{o.id}'"
        par = self.sbml.createParameter()
        record = pe.element("observable")  # a marker: a rule-computed parameter is an observable
        self._base(par, o.id, o.name, what, record)
        _check(par.setConstant(False), f"the constant flag of {what}")
        if o.units is not None:
            _check(par.setUnits(o.units), f"the units of {what}")
        self._describe(par, o.description, what, record)
        rule = self.sbml.createAssignmentRule()
        _check(rule.setVariable(o.id), f"the assignment rule of {what}")
        _check(rule.setMath(self._math(o.expression, record, what)), f"the math of {what}")
        self._annotate(par, o.metadata, [], what, record, o.description)
        self.pending.append(par, record, what)

    # ---- reactions
    def _reaction(self, r: Reaction) -> None:
        what = f"reaction '{r.id}'"
        rx = self.sbml.createReaction()
        record = pe.element("reaction")
        self._base(rx, r.id, r.name, what, record)
        _check(rx.setReversible(r.reversible), f"the reversible flag of {what}")
        if r.compartment is not None:
            _check(rx.setCompartment(r.compartment), f"the compartment of {what}")
        if r.fast:
            record.set("fast", "true")  # Level 3 Version 2 has no 'fast' attribute
        _check(rx.setSBOTerm(reaction_sbo(self.model, r)), f"the SBO term of {what}")
        for side, create in (("reactant", rx.createReactant), ("product", rx.createProduct)):
            for p in getattr(r, f"{side}s"):
                ref = create()
                where = f"{side} '{p.entity}' of {what}"
                _check(ref.setSpecies(p.entity), where)
                if p.id is not None:
                    _check(ref.setId(p.id), f"the id of {where}")
                _check(ref.setStoichiometry(float(p.stoichiometry)), f"the stoichiometry of {where}")
                _check(ref.setConstant(p.id not in self.changing), f"the constant flag of {where}")
                node = pe.element("participant", {"stoichiometry": repr(float(p.stoichiometry))
                                                  if pe.lossy(float(p.stoichiometry)) else None})
                self._annotate(ref, p.metadata, [], where, node)
                self.pending.append(ref, node, where)
        if r.template is not None:
            ref = rx.createModifier()
            _check(ref.setSpecies(r.template), f"template '{r.template}' of {what}")
            _check(ref.setSBOTerm(TEMPLATE_MODIFIER_SBO), f"the SBO term of template '{r.template}' of {what}")
            self.pending.append(ref, pe.element("template"), f"template '{r.template}' of {what}")
        for j, c in enumerate(r.controls):
            ref = rx.createModifier()
            where = f"controller '{c.controller}' of {what}"
            _check(ref.setSpecies(c.controller), where)
            _check(ref.setSBOTerm(CONTROL_SBO[c.type]), f"the SBO term of {where}")
            node = pe.element("control")
            pe.add_evidence(node, c.evidence)
            self._annotate(ref, c.metadata, [], where, node)
            self.pending.append(ref, node, where)
        if r.enzyme is not None:  # not a modifier: the pool of the free enzyme does not act here
            record.set("enzyme", r.enzyme)
        self._describe(rx, r.description, what, record)
        self._annotate(rx, r.metadata,
                       [(BQB, libsbml.BQB_IS_VERSION_OF if identifiers.split(x)[0] == "GO" else libsbml.BQB_IS, [x])
                        for x in r.xrefs]
                       + [(BQM, libsbml.BQM_IS_DESCRIBED_BY, [ev.reference for ev in r.evidence])],
                       what, record, r.description)
        if r.rate_law is not None or r.local_parameters:
            law = rx.createKineticLaw()
            if r.rate_law is not None:
                declared = self.declared | {p.id for p in r.local_parameters}
                _check(law.setMath(self._math(r.rate_law, record, what, declared=declared)),
                       f"the kinetic law of {what}")
            else:
                record.set("noRateLaw", "true")
            for p in r.local_parameters:
                self._parameter(p, local_to=law)
        pe.add_evidence(record, r.evidence)
        self.pending.append(rx, record, what)

    # ---- stimuli
    def _event(self, s) -> None:
        what = f"stimulus '{s.id}'"
        ev = self.sbml.createEvent()
        record = pe.element("stimulus")  # a marker: this event is a stimulus
        self._base(ev, s.id, s.name, what, record)
        _check(ev.setUseValuesFromTriggerTime(True), f"useValuesFromTriggerTime of {what}")
        trigger = ev.createTrigger()
        # initialValue false: a stimulus at time 0 fires at the start of a simulation
        _check(trigger.setInitialValue(False), f"the trigger initialValue of {what}")
        _check(trigger.setPersistent(True), f"the trigger persistence of {what}")
        time_tree = mathexpr.Op(">=", (mathexpr.Name("time"), mathexpr.Num(s.time)))
        _check(trigger.setMath(to_ast(time_tree, self.model.units.time)), f"the trigger of {what}")
        assignment = ev.createEventAssignment()
        _check(assignment.setVariable(s.entity), f"the event assignment of {what}")
        entity = self.model.entity_by_id[s.entity]
        units = self._concentration_units(entity)
        value = mathexpr.Num(s.concentration)
        if entity.amount_based:
            value = mathexpr.Op("*", (value, mathexpr.Name(entity.compartment)))
        _check(assignment.setMath(to_ast(value, units, declared=self.declared)),
               f"the event assignment math of {what}")
        for key, number in (("time", s.time), ("concentration", s.concentration)):
            self._exact(record, key, number)
            if not _number_survives(number):
                record.set(key, repr(number))
        self._describe(ev, s.description, what, record)
        self._annotate(ev, s.metadata, [], what, record, s.description)
        self.pending.append(ev, record, what)

    # ---- simulation constructs
    def _function(self, f) -> None:
        what = f"function definition '{f.id}'"
        fd = self.sbml.createFunctionDefinition()
        record = pe.element("function")
        self._base(fd, f.id, f.name, what, record)
        body = mathexpr.parse(f.body)
        ast = lambda_ast(tuple(f.arguments), body, self.functions)
        if mathexpr.render(body) != f.body:
            pe.child(record, "math", text=f.body)
        _check(fd.setMath(ast), f"the math of {what}")
        self._annotate(fd, f.metadata, [], what, record)
        self.pending.append(fd, record, what)

    def _initial_assignment(self, a) -> None:
        what = f"the initial assignment of '{a.target}'"
        ia = self.sbml.createInitialAssignment()
        record = pe.element("initialAssignment")
        _check(ia.setSymbol(a.target), what)
        if a.expression is not None:
            _check(ia.setMath(self._math(a.expression, record, what)), f"the math of {what}")
        self._annotate(ia, a.metadata, [], what, record)
        self.pending.append(ia, record, what)

    def _rule(self, rule) -> None:
        create = {"assignment": self.sbml.createAssignmentRule, "rate": self.sbml.createRateRule,
                  "algebraic": self.sbml.createAlgebraicRule}[rule.type]
        what = f"the {rule.type} rule" + (f" of '{rule.variable}'" if rule.variable else "")
        sr = create()
        record = pe.element("rule")
        if rule.variable is not None:
            _check(sr.setVariable(rule.variable), what)
        if rule.expression is not None:
            _check(sr.setMath(self._math(rule.expression, record, what)), f"the math of {what}")
        self._annotate(sr, rule.metadata, [], what, record)
        self.pending.append(sr, record, what)

    def _general_event(self, e) -> None:
        what = f"event '{e.id}'"
        ev = self.sbml.createEvent()
        record = pe.element("event")
        self._base(ev, e.id, e.name, what, record)
        _check(ev.setUseValuesFromTriggerTime(e.use_values_from_trigger_time), f"useValuesFromTriggerTime of {what}")
        trigger = ev.createTrigger()
        _check(trigger.setInitialValue(e.initial_value), f"the trigger initialValue of {what}")
        _check(trigger.setPersistent(e.persistent), f"the trigger persistence of {what}")
        if e.trigger is not None:
            _check(trigger.setMath(self._math(e.trigger, record, what, None, "trigger")), f"the trigger of {what}")
        if e.delay is not None:
            delay = ev.createDelay()
            _check(delay.setMath(self._math(e.delay, record, what, None, "delay")), f"the delay of {what}")
        if e.priority is not None:
            priority = ev.createPriority()
            _check(priority.setMath(self._math(e.priority, record, what, None, "priority")),
                   f"the priority of {what}")
        for j, a in enumerate(e.assignments):
            assignment = ev.createEventAssignment()
            where = f"assignment {j} of {what}"
            node = pe.element("assignment")
            _check(assignment.setVariable(a.variable), where)
            if a.expression is not None:
                _check(assignment.setMath(self._math(a.expression, node, where, None)), f"the math of {where}")
            self._annotate(assignment, a.metadata, [], where, node)
            self.pending.append(assignment, node, where)
        self._annotate(ev, e.metadata, [], what, record)
        self.pending.append(ev, record, what)

    def _constraint(self, c, index: int) -> None:
        what = f"constraint {index}"
        sc = self.sbml.createConstraint()
        record = pe.element("constraint")
        if c.expression is not None:
            _check(sc.setMath(self._math(c.expression, record, what, None)), f"the math of {what}")
        if c.message is not None:
            from xml.sax.saxutils import escape

            markup = c.message.startswith("<")
            text = c.message if markup else f'<p xmlns="http://www.w3.org/1999/xhtml">{escape(c.message)}</p>'
            _check(sc.setMessage(f"<message>{text}</message>"), f"the message of {what}")
        self.pending.append(sc, record, what)

    def _concentration_units(self, entity: Entity) -> str | None:
        """A declared unit identical to the entity's concentration unit, for the stimulus value."""
        substance = self.model.units.substance
        comp = self.model.compartment_by_id[entity.compartment]
        size_units = comp.units or {3: self.model.units.volume, 2: self.model.units.area,
                                    1: self.model.units.length}.get(comp.spatial_dimensions)
        if substance is None or size_units is None:
            return None
        wanted = libsbml.UnitDefinition.divide(self._unit(substance), self._unit(size_units))
        if wanted is None:
            return None
        wanted = libsbml.UnitDefinition.convertToSI(wanted)
        for ud in self.model.unit_definitions:
            candidate = libsbml.UnitDefinition.convertToSI(self.sbml.getUnitDefinition(ud.id))
            if libsbml.UnitDefinition.areIdentical(candidate, wanted):
                return ud.id
        return None

    def _unit(self, unit_id: str) -> libsbml.UnitDefinition:
        found = self.sbml.getUnitDefinition(unit_id)
        if found is not None:
            return found
        ud = libsbml.UnitDefinition(LEVEL, VERSION)
        unit = ud.createUnit()
        unit.setKind(libsbml.UnitKind_forName(unit_id))
        unit.setExponent(1.0)
        unit.setScale(0)
        unit.setMultiplier(1.0)
        return ud
