"""libsbml's consistency checks, in time and memory that grow linearly with the model.

libsbml's own :meth:`SBMLDocument.checkConsistency` looks ids up by scanning whole lists,
so its time grows with the square of the model (a 50,000-reaction model: about 16 minutes
and 5.5 GB). Almost all of its rules are local: they look at one element and the elements
its attributes and math name. :func:`check_consistency_scalable` therefore validates
bounded sub-documents and merges what they find:

1. The document is read once, streaming (lxml iterparse; elements are freed as they end).
   The model-level lists of species, parameters, reactions, rules, initial assignments,
   constraints, events, gene products (fbc) and groups are *split*; everything else (the
   header, the model's attributes and notes, function and unit definitions, compartments,
   objectives) is the *skeleton* that every sub-document keeps. The model's annotation
   (which may list every molecule) goes into the first sub-document only.
2. Each sub-document holds a batch of reactions (or of leftover elements nothing else
   pulled in) and everything they need: the elements whose ids they name (in attributes or
   MathML ``<ci>``), transitively, and the rules, initial assignments and events that set
   any element they hold (so rules about one variable are always seen together).
3. Sub-documents are made of the original document's own lines, in their original order,
   so libsbml reports the same messages at the same columns; each reported line is mapped
   back to the line of the original document (also inside messages that cite a line).
   A document not laid out one element per line (minified XML) is validated as a whole,
   and so is one with fewer than :data:`MONOLITHIC_BELOW` reactions.
4. The few rules that look at the whole model are handled where they are:
   * id, metaid and rule-variable uniqueness (identifier category): an index of every id
     finds duplicates in one pass; only when there is one is the identifier category run
     on the whole document (it uses hash maps in libsbml, so it is fast);
   * over-determination (10601), and which variable an algebraic rule determines, depend
     on the whole system of equations: a document with algebraic rules is checked whole
     (so is one using hierarchical composition, which libsbml validates flattened);
   * kinetic-law unit agreement (10503) compares every kinetic law with the *first* one
     whose units are fully declared: that reaction (the anchor) is found in the first
     batch and put in every other batch;
   * libsbml runs its validators in stages (identifier, general, SBO, MathML, units,
     over-determination, modelling practice) and stops after a stage that failed (an
     error; for identifiers and MathML any failure). Each sub-document runs the stages
     one by one; the merged findings are cut where the whole document would have stopped.
     A sub-document fails no more than the whole, so every stage the whole runs was run
     by every sub-document and its union is exact;
   * read errors (severity error) stop libsbml before its checks: when any sub-document
     has one, the whole document is read once (reading is linear) and its read findings
     are returned, as :func:`pathway_export.formats.sbml.check_consistency` does.

Findings have the shape of :func:`pathway_export.formats.sbml.check_consistency`: rule
``sbml:<errorId>``, severity, message ``<category>: <text>``, element (the id a message
quotes, else ``line N``), and line and column in the original document. The set of
findings equals libsbml's on the whole document; ``tests/test_sbml_validation.py`` proves
it on real models, test-suite cases and broken documents.
"""

from __future__ import annotations

import bisect
import io
import logging
import os
import re
import threading
from array import array
from itertools import accumulate
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from typing import Iterable

import libsbml
from lxml import etree

from ..formats.sbml.write import CATEGORIES, reject_unsafe_xml  # the same names as the format module
from .findings import Finding

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000
"""Reactions per sub-document: large enough that libsbml's fixed cost per document is
small, small enough that its quadratic lookups stay cheap (1,000 reactions: about 0.3 s)."""

MONOLITHIC_BELOW = 2000
"""Documents with fewer reactions than this (and fewer than ``2 * batch_size``) are checked
whole: splitting them saves nothing."""

_SEVERITY = {libsbml.LIBSBML_SEV_INFO: "info", libsbml.LIBSBML_SEV_WARNING: "warning",
             libsbml.LIBSBML_SEV_ERROR: "error", libsbml.LIBSBML_SEV_FATAL: "error"}
_QUOTED_ID = re.compile(r"(?:id|variable|species|compartment)\s*=?\s*'([A-Za-z_][A-Za-z0-9_]*)'")
_LINE_IN_MESSAGE = re.compile(r"\b(line\s+)(\d+)")

# Model-level lists of the core and the elements they hold.
_CORE_LISTS = {
    "listOfFunctionDefinitions": ("functionDefinition",), "listOfUnitDefinitions": ("unitDefinition",),
    "listOfCompartments": ("compartment",), "listOfSpecies": ("species",),
    "listOfParameters": ("parameter",), "listOfInitialAssignments": ("initialAssignment",),
    "listOfRules": ("assignmentRule", "rateRule", "algebraicRule"),
    "listOfConstraints": ("constraint",), "listOfReactions": ("reaction",), "listOfEvents": ("event",),
}
# Model-level lists split into batches; every other child of <model> is skeleton.
_SPLIT = {"listOfSpecies", "listOfParameters", "listOfReactions", "listOfRules",
          "listOfInitialAssignments", "listOfConstraints", "listOfEvents",
          "listOfGeneProducts", "listOfGroups"}
# Items that set the value of the ids they target: pulled in with any holder of the target.
_SETTERS = {"listOfRules": ("variable",), "listOfInitialAssignments": ("symbol",)}
_SKIP_SUBTREES = {"annotation", "notes"}
_NOT_REFERENCES = {"id", "metaid", "name", "sboTerm"}


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


# --------------------------------------------------------------------------- public API


def check_consistency_scalable(data: bytes | str, source: str = "<bytes>",
                               categories: Iterable[str] | None = None,
                               batch_size: int = DEFAULT_BATCH_SIZE,
                               workers: int | None = None,
                               force_split: bool = False) -> list[Finding]:
    """libsbml's consistency findings on SBML bytes, found batch by batch.

    Parameters
    ----------
    data
        The SBML document.
    source
        Name of the document for the findings.
    categories
        Names from :data:`CATEGORIES`; all by default.
    batch_size
        Reactions (or leftover elements) per sub-document.
    workers
        Processes validating sub-documents in parallel; by default one per CPU (at most 4).
        ``1`` runs everything in this process.
    force_split
        Split even small documents (the equivalence tests use it).

    Returns
    -------
    list[Finding]
        The same findings as :func:`pathway_export.formats.sbml.check_consistency`:
        equal rules, severities, elements, messages, lines and columns.
    """
    chosen = set(CATEGORIES) if categories is None else set(categories)
    unknown = chosen - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown libsbml categories {sorted(unknown)}; known: {sorted(CATEGORIES)}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    if isinstance(data, str):
        data = data.encode("utf-8")
    reject_unsafe_xml(data, source)
    if not force_split and data.count(b"<reaction") < max(MONOLITHIC_BELOW, 2 * batch_size):
        return _whole(data, source, chosen)  # small: splitting would save nothing
    # start the workers before the document is indexed, while this process is small
    n_workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    pool = None
    if n_workers > 1:
        pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=_start_method())
    try:
        plan = _plan(data, batch_size, force_split)
        if plan is None:
            return _whole(data, source, chosen)
        return _run_plan(plan, data, source, chosen, pool, n_workers)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _start_method():
    """How workers start: forked (at once, sharing the loaded libsbml) from a process with one
    thread; from a fork server where other threads run, since a fork copies their locks in
    whatever state they are (a caller's threads, a test runner's) and can deadlock the child."""
    methods = get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return get_context("fork")
    if "forkserver" in methods:
        return get_context("forkserver")
    return None


# --------------------------------------------------------------------------- whole document


def _to_finding(raw: tuple, source: str) -> Finding:
    error_id, severity, category, message, line, column = raw[:6]
    text = " ".join(message.split())
    match = _QUOTED_ID.search(text)
    return Finding(severity=_SEVERITY.get(severity, "error"), rule=f"sbml:{error_id}",
                   message=f"{category}: {text}",
                   element=match.group(1) if match else (f"line {line}" if line else ""),
                   line=line or None, column=column or None, source=source)


def _errors(doc: libsbml.SBMLDocument, start: int = 0) -> list[tuple]:
    out = []
    for i in range(start, doc.getNumErrors()):
        e = doc.getError(i)
        out.append((e.getErrorId(), e.getSeverity(), e.getCategoryAsString(), e.getMessage(),
                    e.getLine(), e.getColumn(), e.getPackage() or "core", e.getCategory()))
    return out


def _read(text: str) -> libsbml.SBMLDocument:
    return libsbml.readSBMLFromString(text)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def _whole(data: bytes, source: str, chosen: set[str], read_only: bool = False) -> list[Finding]:
    """libsbml on the whole document, exactly as the format module runs it."""
    doc = _read(data.decode("utf-8", "replace"))
    findings = [_to_finding(r, source) for r in _errors(doc)]
    if read_only or any(f.severity == "error" for f in findings):
        return _dedupe(findings)
    for name, category in CATEGORIES.items():
        doc.setConsistencyChecks(category, name in chosen)
    doc.checkConsistency()
    return _dedupe(findings + [_to_finding(r, source) for r in _errors(doc)])


# --------------------------------------------------------------------------- planning


class _Lines:
    """Line offsets of a document: line ``i`` (0-based) is ``data[offsets[i]:offsets[i + 1]]``."""

    def __init__(self, data: bytes):
        self.data = data
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
            lengths = map(len, data.splitlines(keepends=True))  # lone CRs end lines too
        else:
            lengths = map(len, io.BytesIO(data))
        self.offsets = array("q", accumulate(lengths, initial=0))
        self.count = len(self.offsets) - 1

    def line(self, i: int) -> bytes:
        return self.data[self.offsets[i]:self.offsets[i + 1]]

    def span(self, a: int, b: int) -> bytes:
        return self.data[self.offsets[a]:self.offsets[b]]


@dataclass
class _Item:
    """One element of a split list: its lines, the ids it defines and the ids it names."""

    start: int  # first line (0-based)
    end: int  # one past its last line
    owns: tuple[str, ...]
    refs: frozenset[str]
    targets: tuple[str, ...] = ()  # ids it sets (rules, initial assignments, events)


@dataclass
class _List:
    open_start: int
    open_end: int  # lines of the start tag (and the list's own notes), before the first item
    close: int  # the line of the end tag
    items: list[int] = field(default_factory=list)


@dataclass
class _Plan:
    lines: _Lines
    lists: list[_List]
    items: list[_Item]
    skeleton_refs: frozenset[str]
    owners: dict[str, list[int]]
    setters: dict[str, list[int]]
    reactions: list[int]
    batch_size: int
    duplicate_ids: bool
    level: int
    annotation: tuple[int, int] | None = None  # lines of the model's annotation


class _Whole(Exception):
    """The document is better (or only) checked whole; the message says why."""


@dataclass
class _Scan:
    owns: tuple[str, ...]
    metaids: list[str]
    refs: set[str]


def _scan(el) -> _Scan:
    """Ids an element defines (not local parameters), its metaids, and every name it uses.

    Notes and annotations are dropped first: they hold neither SBML ids nor references. The
    names used are every attribute value and every MathML ``<ci>``: a superset of the ids the
    element refers to, which is all that matters (an extra element in a batch is harmless).
    """
    for node in el.xpath(".//*[local-name()='annotation' or local-name()='notes']"):
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)
    ids: list[str] = []
    metaids: list[str] = []
    refs: set[str] = set()
    for e in el.iter():
        tag = e.tag
        if not isinstance(tag, str):
            continue
        for key, value in e.attrib.items():
            if key == "id" or key.endswith("}id"):
                ids.append(value)
            elif key == "metaid" or key.endswith("}metaid"):
                metaids.append(value)
            elif key not in _NOT_REFERENCES:
                refs.add(value)
        if tag.endswith("}ci") and e.text:
            refs.add(e.text.strip())
    local: set[str] = set()
    for law in el.iter("{*}kineticLaw"):
        for e in law.iter():
            if isinstance(e.tag, str) and e.get("id") is not None:
                local.add(e.get("id"))
    owns = tuple(i for i in ids if i not in local) if local else tuple(ids)
    return _Scan(owns, metaids, refs)


def _plan(data: bytes, batch_size: int, force_split: bool) -> _Plan | None:
    """Index the document once; ``None`` when it is better (or only possible) to check it whole."""
    try:
        return _Planner(data, batch_size, force_split).run()
    except _Whole as why:
        log.debug("checking the document whole: %s", why)
        return None
    except etree.XMLSyntaxError:
        return None  # libsbml reports what is wrong with the XML, in its own words


class _Planner:
    """One streaming pass over the document (lxml iterparse, elements freed as they end)."""

    def __init__(self, data: bytes, batch_size: int, force_split: bool):
        self.data = data
        self.batch_size = batch_size
        self.force_split = force_split
        self.lines = _Lines(data)
        self.lists: list[_List] = []
        self.items: list[_Item] = []
        self.owners: dict[str, list[int]] = {}
        self.setters: dict[str, list[int]] = {}
        self.reactions: list[int] = []
        self.skeleton_refs: set[str] = set()
        self.skeleton_ids: set[str] = set()
        self.id_counts: dict[str, int] = {}
        self.metaid_counts: dict[str, int] = {}
        self.unit_counts: dict[str, int] = {}
        self.target_counts: dict[str, int] = {}
        self.level = 3
        self.annotation: tuple[int, int] | None = None

    def _annotation_lines(self, el) -> tuple[int, int] | None:
        """The lines of the model's annotation, when it stands alone on them."""
        start = _tag_start(self.lines, el.sourceline - 1, b"annotation", -1)
        if not _starts_line(self.lines, start, b"annotation"):
            return None
        for i in range(start, self.lines.count):
            line = self.lines.line(i)
            if b"</annotation>" in line:
                return (start, i + 1) if line.strip() == b"</annotation>" and i > start else None
        return None

    def _count(self, counts: dict[str, int], values: Iterable[str]) -> None:
        for v in values:
            counts[v] = counts.get(v, 0) + 1

    def run(self) -> _Plan:
        # the namespaces first (one start tag), then one pass that only reports the elements
        # that matter: the model's lists and their elements (filtered in C, not in Python)
        _, root = next(etree.iterparse(io.BytesIO(self.data), events=("start",), huge_tree=True,
                                       resolve_entities=False))
        if any("/comp/" in (uri or "") for uri in root.nsmap.values()):
            raise _Whole("hierarchical composition: libsbml validates the flattened model")
        core = etree.QName(root).namespace
        tags = [f"{{{core}}}{name}" for name in ("sbml", "model", "annotation", *_CORE_LISTS.keys(),
                                                   *{t for ts in _CORE_LISTS.values() for t in ts})]
        tags += [f"{{*}}{name}" for name in ("listOfGeneProducts", "geneProduct", "listOfGroups", "group",
                                             "listOfObjectives")]
        handled: set = set()
        model = None
        current: _List | None = None
        current_el = None
        current_name = ""
        starts: list[int] = []
        pending: list[tuple[int, _Scan, str, tuple[str, ...]]] = []
        for event, el in etree.iterparse(io.BytesIO(self.data), events=("start", "end"), tag=tags,
                                         huge_tree=True, resolve_entities=False, remove_comments=True,
                                         remove_pis=True):
            name = _local(el.tag)
            if event == "start":
                if name == "sbml" and el.getparent() is None:
                    try:
                        self.level = int(el.get("level", "3"))
                    except ValueError:
                        raise _Whole("the level is not a number") from None
                    self._count(self.metaid_counts, [v for k, v in el.attrib.items() if _local(k) == "metaid"])
                elif name == "model" and model is None:
                    model = el
                    for key, value in el.attrib.items():
                        local = _local(key)
                        if local == "id":
                            self._count(self.id_counts, [value])
                        elif local == "metaid":
                            self._count(self.metaid_counts, [value])
                        elif local not in _NOT_REFERENCES:
                            self.skeleton_refs.add(value)
                elif name == "annotation" and model is not None and el.getparent() is model:
                    self.annotation = self._annotation_lines(el)
                elif name.startswith("listOf") and model is not None and el.getparent() is model:
                    current_name, current_el, current, starts, pending = name, el, None, [], []
                    if name in _SPLIT:
                        qname = _qname(el)
                        open_start = _tag_start(self.lines, el.sourceline - 1, qname, -1)
                        if not _starts_line(self.lines, open_start, qname):
                            raise _Whole(f"<{name}> does not start its line")
                        current = _List(open_start, -1, -1)
                        self._count(self.metaid_counts, [v for k, v in el.attrib.items() if _local(k) == "metaid"])
                continue
            if current is not None and current_el is not None and el.getparent() is current_el:
                qname = _qname(el)
                floor = starts[-1] if starts else current.open_start
                start = _tag_start(self.lines, el.sourceline - 1, qname, floor)
                if start <= floor or not _starts_line(self.lines, start, qname):
                    raise _Whole(f"an element of <{current_name}> shares a line")
                if name == "algebraicRule":
                    raise _Whole("algebraic rules: what they determine depends on the whole model")
                targets: tuple[str, ...] = ()
                if current_name in _SETTERS:
                    targets = tuple(el.get(a) for a in _SETTERS[current_name] if el.get(a) is not None)
                elif current_name == "listOfEvents":
                    targets = tuple(ea.get("variable") for ea in el.iter("{*}eventAssignment")
                                    if ea.get("variable") is not None)
                starts.append(start)
                pending.append((start, _scan(el), current_name, targets))
                el.clear()
                while el.getprevious() is not None:
                    del current_el[0]
            elif el is current_el:
                handled.add(el)
                if current is not None and pending:
                    self._add_list(current, starts, pending, _qname(el))
                else:
                    self._skeleton(el)
                current, current_el = None, None
                el.clear()
        if model is None:
            raise _Whole("no <model>")
        for child in model:  # the model's other children: notes, annotation, lists of packages ...
            if isinstance(child.tag, str) and child not in handled and _local(child.tag) not in _SKIP_SUBTREES:
                self._skeleton(child)
        if not self.force_split and len(self.reactions) < max(MONOLITHIC_BELOW, 2 * self.batch_size):
            raise _Whole("small enough to check whole")
        duplicates = any(v > 1 for counts in (self.id_counts, self.metaid_counts, self.unit_counts,
                                              self.target_counts) for v in counts.values())
        # the skeleton is in every batch: so are what it names and what sets its elements
        refs = frozenset(self.skeleton_refs | self.skeleton_ids)
        return _Plan(self.lines, self.lists, self.items, refs, self.owners, self.setters,
                     self.reactions, self.batch_size, duplicates, self.level, self.annotation)

    def _skeleton(self, el) -> None:
        scan = _scan(el)
        if _local(el.tag) == "listOfUnitDefinitions":
            self._count(self.unit_counts, scan.owns)
        else:
            self._count(self.id_counts, scan.owns)
        self._count(self.metaid_counts, scan.metaids)
        self.skeleton_refs |= scan.refs
        self.skeleton_ids.update(scan.owns)

    def _add_list(self, lst: _List, starts: list[int], pending: list, qname: bytes) -> None:
        close = _find_close(self.lines, starts[-1], qname)
        if close is None:
            raise _Whole(f"</{qname.decode()}> does not stand alone on its line")
        lst.open_end = starts[0]
        lst.close = close
        self.lists.append(lst)
        for k, (start, scan, name, targets) in enumerate(pending):
            end = starts[k + 1] if k + 1 < len(starts) else close
            index = len(self.items)
            self.items.append(_Item(start, end, scan.owns, frozenset(scan.refs), targets))
            lst.items.append(index)
            if name == "listOfReactions":
                self.reactions.append(index)
            self._count(self.id_counts, scan.owns)
            self._count(self.metaid_counts, scan.metaids)
            if name != "listOfEvents":
                self._count(self.target_counts, set(targets))
            for i in scan.owns:
                self.owners.setdefault(i, []).append(index)
            for t in targets:
                self.setters.setdefault(t, []).append(index)


def _qname(el) -> bytes:
    name = _local(el.tag)
    return (f"{el.prefix}:{name}" if el.prefix else name).encode()


def _tag_start(lines: _Lines, index: int, qname: bytes, floor: int) -> int:
    """The line where an element's start tag begins (lxml gives a line at or after its end)."""
    i = min(index, lines.count - 1)
    while i > floor and i > index - 200:
        if _starts_line(lines, i, qname):
            return i
        i -= 1
    return index


def _starts_line(lines: _Lines, index: int, qname: bytes) -> bool:
    if index < 0 or index >= lines.count:
        return False
    text = lines.line(index).lstrip()
    return text.startswith(b"<" + qname) and text[len(qname) + 1:len(qname) + 2] in (
        b" ", b">", b"/", b"\t", b"\r", b"\n", b"")


def _find_close(lines: _Lines, start: int, qname: bytes) -> int | None:
    tag = b"</" + qname
    for i in range(start + 1, lines.count):
        line = lines.line(i)
        stripped = line.strip()
        if stripped.startswith(tag):
            return i if stripped[len(tag):].strip() == b">" else None
        if tag in line:
            return None
    return None


# --------------------------------------------------------------------------- batches


def _closure(plan: _Plan, seeds: Iterable[int]) -> set[int]:
    """Seeds and every item they need: named ids (transitively) and the setters of held ids."""
    chosen: set[int] = set()
    todo = list(seeds)
    for ref in plan.skeleton_refs:
        todo.extend(plan.owners.get(ref, ()))
        todo.extend(plan.setters.get(ref, ()))
    while todo:
        i = todo.pop()
        if i in chosen:
            continue
        chosen.add(i)
        item = plan.items[i]
        for ref in item.refs:
            todo.extend(plan.owners.get(ref, ()))
            todo.extend(plan.setters.get(ref, ()))
        for own in item.owns:
            todo.extend(plan.setters.get(own, ()))
    return chosen


def _batches(plan: _Plan) -> list[set[int]]:
    size = plan.batch_size
    batches = [_closure(plan, plan.reactions[k:k + size]) for k in range(0, len(plan.reactions), size)]
    covered = set().union(*batches) if batches else set()
    rest = [i for i in range(len(plan.items)) if i not in covered]
    for k in range(0, len(rest), size):
        batches.append(_closure(plan, rest[k:k + size]))
    return batches or [set()]


@dataclass
class _SubDocument:
    text: str
    segments: list[tuple[int, int]]  # (first line in sub-document, first line in original), 1-based
    owned_reactions: list[str]  # ids of the batch's own reactions, in order (anchor search)


def _render(plan: _Plan, chosen: set[int], owned: list[int], annotation: bool = True) -> _SubDocument:
    """The sub-document: skeleton lines plus the chosen items' lines, in document order.

    The model's annotation (which may list every molecule of the model) goes into one
    sub-document only: nothing outside it depends on its content.
    """
    lines = plan.lines
    pieces: list[bytes] = []
    segments: list[tuple[int, int]] = []
    out_line = 1
    run_start = run_end = 0  # the current run of consecutive original lines
    skip = None if annotation else plan.annotation

    def flush() -> None:
        nonlocal out_line
        if run_end > run_start:
            segments.append((out_line, run_start + 1))
            pieces.append(lines.span(run_start, run_end))
            out_line += run_end - run_start

    def copy(a: int, b: int) -> None:
        nonlocal run_start, run_end
        if b <= a:
            return
        if skip is not None and a < skip[1] and skip[0] < b:
            copy(a, skip[0])
            copy(skip[1], b)
            return
        if a == run_end:
            run_end = b
            return
        flush()
        run_start, run_end = a, b

    cursor = 0
    for lst in plan.lists:
        keep = [i for i in lst.items if i in chosen]
        copy(cursor, lst.open_start)
        if keep:
            copy(lst.open_start, lst.open_end)
            for i in keep:
                copy(plan.items[i].start, plan.items[i].end)
            copy(lst.close, lst.close + 1)
        cursor = lst.close + 1
    copy(cursor, lines.count)
    flush()
    text = b"".join(pieces).decode("utf-8", "replace")
    ids = [plan.items[i].owns[0] if plan.items[i].owns else "" for i in owned]
    return _SubDocument(text, segments, ids)


def _map_line(segments: list[tuple[int, int]], starts: list[int], line: int) -> int:
    if not line:
        return line
    k = bisect.bisect_right(starts, line) - 1
    if k < 0:
        return line
    sub_start, orig_start = segments[k]
    return orig_start + (line - sub_start)


def _remap(raw: tuple, segments: list[tuple[int, int]], starts: list[int]) -> tuple:
    error_id, severity, category, message, line, column, package, category_id = raw
    if "line" in message:
        message = _LINE_IN_MESSAGE.sub(
            lambda m: f"{m.group(1)}{_map_line(segments, starts, int(m.group(2)))}", message)
    return (error_id, severity, category, message, _map_line(segments, starts, line), column, package,
            category_id)


# --------------------------------------------------------------------------- running


STAGES = ("identifier", "general", "sbo", "mathml", "units", "overdetermined", "modelling_practice")
"""The order in which libsbml runs its validators; an early stage's failures can stop later ones."""

_INVALID_UNIT_ID_SYNTAX, _DANGLING_UNIT_REF, _PARAMETER_UNITS_PRACTICE = 10311, 10313, 80701


_TOGETHER = ("units", "overdetermined", "modelling_practice")
"""Stages run in one call: libsbml reports 80701 (parameter without units) only when the unit
checks run in the same call. Their findings are told apart by category."""


def _run_stages(doc: libsbml.SBMLDocument, stages: tuple[str, ...], read: list[tuple]) -> dict[str, list[tuple]]:
    """Each stage as its own ``checkConsistency`` call, stopping where libsbml would stop."""
    out: dict[str, list[tuple]] = {}
    so_far = list(read)
    calls = [(s,) for s in stages if s not in _TOGETHER]
    late = tuple(s for s in stages if s in _TOGETHER)
    if late:
        calls.append(late)
    by_category = {CATEGORIES[s]: s for s in _TOGETHER}
    for call in calls:
        for name, category in CATEGORIES.items():
            doc.setConsistencyChecks(category, name in call)
        before = doc.getNumErrors()
        doc.checkConsistency()
        found = _errors(doc, before)
        if len(call) == 1:
            out[call[0]] = found
        else:
            for stage in call:
                out[stage] = []
            for f in found:
                out[by_category.get(f[7], call[0]) if by_category.get(f[7]) in call else call[0]].append(f)
        so_far += found
        if len(call) == 1 and _core_bails(call[0], [f for f in found if f[6] == "core"], so_far, read):
            break
    return out


def _core_bails(stage: str, core: list[tuple], log: list[tuple], read: list[tuple]) -> bool:
    """Whether libsbml's core validation stops after ``stage`` (SBMLInternalValidator's rules)."""
    if not core:
        return False
    if stage == "identifier":
        ids = {f[0] for f in log}
        if read and _INVALID_UNIT_ID_SYNTAX in ids:
            return any(f[0] != _DANGLING_UNIT_REF for f in core)
        if _DANGLING_UNIT_REF not in ids:
            return True
        return any(f[0] != _DANGLING_UNIT_REF for f in log)
    if stage == "mathml":
        return True  # any math failure stops libsbml: unit checks could crash on it
    return any(f[1] >= libsbml.LIBSBML_SEV_ERROR for f in log)


def _validate(text: str, stages: tuple[str, ...], anchor_candidates: list[str]) -> tuple[list[tuple], dict[str, list[tuple]], str | None]:
    """In a worker: read and check one sub-document; also name its first fully-declared kinetic law."""
    doc = _read(text)
    read = _errors(doc)
    if any(r[1] >= libsbml.LIBSBML_SEV_ERROR for r in read):
        return read, {}, None
    found = _run_stages(doc, stages, read)
    anchor = None
    model = doc.getModel()
    if anchor_candidates and model is not None and "units" in found:
        wanted = set(anchor_candidates)
        for n in range(model.getNumReactions()):
            r = model.getReaction(n)
            if r.getId() not in wanted:
                continue
            kl = r.getKineticLaw()
            if kl is not None and kl.isSetMath() and not kl.containsUndeclaredUnits():
                anchor = r.getId()
                break
    return read, found, anchor


def _merge(read: list[tuple], found: dict[str, list[tuple]], chosen: set[str]) -> list[tuple]:
    """Findings of every batch, stage by stage, cut where libsbml would have stopped on the whole.

    A batch's failures are a subset of the whole document's, so a batch stops no earlier than
    the whole; every stage the whole runs was run by every batch, and its union is exact.
    Package validators (fbc, groups ...) run after the core whatever it found; their own
    general checks stop when their identifier checks failed and the log holds an error.
    """
    out: list[tuple] = []
    log = list(read)
    core_stopped = False
    for stage in STAGES:
        if stage not in chosen:
            continue
        items = list(dict.fromkeys(found.get(stage, ())))
        core = [f for f in items if f[6] == "core"]
        packages = [f for f in items if f[6] != "core"]
        if stage == "modelling_practice" and "units" not in chosen:
            core = [f for f in core if f[0] != _PARAMETER_UNITS_PRACTICE]
        if not core_stopped:
            if stage == "identifier" and read and any(f[0] == _INVALID_UNIT_ID_SYNTAX for f in read + core):
                core = [f for f in core if f[0] != _DANGLING_UNIT_REF]
            out += core
            log += core
            core_stopped = _core_bails(stage, core, log, read)
        if stage == "general" and any(f[0] for f in found.get("identifier", ()) if f[6] != "core") \
                and any(f[1] >= libsbml.LIBSBML_SEV_ERROR for f in log):
            packages = []
        out += packages
        log += packages
    return out


def _run_plan(plan: _Plan, data: bytes, source: str, chosen: set[str],
              pool: ProcessPoolExecutor | None, n_workers: int) -> list[Finding]:
    whole_stages: set[str] = set()
    if plan.duplicate_ids and "identifier" in chosen:
        whole_stages.add("identifier")  # duplicates may sit in different batches
    batch_stages = tuple(s for s in STAGES if s in chosen and s not in whole_stages)
    need_anchor = "units" in chosen and plan.level >= 3
    batches = _batches(plan)
    size = plan.batch_size
    owned = [plan.reactions[k:k + size] for k in range(0, len(plan.reactions), size)]
    owned += [[] for _ in range(len(batches) - len(owned))]

    def run(indices: list[int], extra: set[int]) -> None:
        """Validate batches, at most two per worker in flight (sub-documents are built lazily)."""
        window: deque = deque()
        for b in indices:
            sub = _render(plan, batches[b] | extra, owned[b], annotation=b == 0)
            args = (sub.text, batch_stages, sub.owned_reactions if need_anchor else [])
            if pool is None:
                results[b] = (sub.segments, _validate(*args))
                stop_on_read_errors(b)
                continue
            window.append((b, sub.segments, pool.submit(_validate, *args)))
            del sub, args
            while len(window) >= 2 * n_workers:
                k, segments, future = window.popleft()
                results[k] = (segments, future.result())
                stop_on_read_errors(k)
        while window:
            k, segments, future = window.popleft()
            results[k] = (segments, future.result())
            stop_on_read_errors(k)

    def stop_on_read_errors(b: int) -> None:
        if any(r[1] >= libsbml.LIBSBML_SEV_ERROR for r in results[b][1][0]):
            raise _ReadErrors

    results: dict[int, tuple] = {}
    try:
        _run_batches(run, results, len(batches), owned, need_anchor, plan)
    except _ReadErrors:
        # libsbml stops at read errors: read the whole document (linear) and report them
        return _whole(data, source, chosen, read_only=True)

    read: list[tuple] = []
    found: dict[str, list[tuple]] = {}
    for b in range(len(batches)):
        segments, (r, stages, _) = results[b]
        starts = [s for s, _ in segments]
        read.extend(_remap(x, segments, starts) for x in r)
        for stage, items in stages.items():
            found.setdefault(stage, []).extend(_remap(x, segments, starts) for x in items)
    read = list(dict.fromkeys(read))
    if any(f[1] >= libsbml.LIBSBML_SEV_ERROR for f in read):
        return _whole(data, source, chosen, read_only=True)
    if whole_stages:
        doc = _read(data.decode("utf-8", "replace"))
        whole_read = _errors(doc)
        found.update(_run_stages(doc, tuple(whole_stages), whole_read))
    # read warnings are repeated in the log of every checkConsistency call: keep them once
    read_set = set(read)
    found = {k: [f for f in v if f not in read_set] for k, v in found.items()}
    raw = read + _merge(read, found, chosen)
    return _order(_dedupe(_to_finding(r, source) for r in raw))


class _ReadErrors(Exception):
    """A sub-document has read errors: libsbml stops before its checks."""


def _run_batches(run, results: dict, n_batches: int, owned: list, need_anchor: bool, plan: _Plan) -> None:
    """All batches; with unit checks, the anchor's batch first (see rule 10503 above)."""
    anchor_extra: set[int] = set()
    if need_anchor:
        # the first batch whose own reactions hold a fully declared kinetic law names the anchor
        for b in range(n_batches):
            run([b], set())
            anchor_id = results[b][1][2]
            if anchor_id is not None:
                anchor_extra = _closure(plan, plan.owners.get(anchor_id, [])[:1])
                for earlier in range(b):  # they compared against a later law: again
                    results.pop(earlier, None)
                break
            if not owned[b]:
                break
    run([b for b in range(n_batches) if b not in results], anchor_extra)


def _order(findings: list[Finding]) -> list[Finding]:
    """Read findings first, then checks, each by line: a stable order independent of batching."""
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.rule, f.element, f.message))
