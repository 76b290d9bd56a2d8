"""libsbml's consistency checks, in time and memory that grow linearly with the model.

libsbml's own :meth:`SBMLDocument.checkConsistency` looks ids up by scanning whole lists,
so its time grows with the square of the model (a 50,000-reaction model: about 16 minutes
and 5.5 GB). Almost all of its rules are local: they look at one element and the elements
its attributes and math name. :func:`check_consistency_scalable` therefore validates
bounded sub-documents and merges what they find:

1. The document is parsed once (lxml). The model-level lists of species, parameters,
   reactions, rules, initial assignments, constraints, events, gene products (fbc) and
   groups are *split*; everything else (the header, the model's attributes, notes and
   annotation, function and unit definitions, compartments, objectives) is the
   *skeleton* that every sub-document keeps.
2. Each sub-document holds a batch of reactions (or of leftover elements nothing else
   pulled in) and everything they need: the elements whose ids they name (in attributes or
   MathML ``<ci>``), transitively, and the rules, initial assignments and events that set
   any element they hold (so rules about one variable are always seen together).
3. Sub-documents are made of the original document's own lines, in their original order,
   so libsbml reports the same messages at the same columns; each reported line is mapped
   back to the line of the original document (also inside messages that cite a line).
   A document not laid out one element per line (minified XML) is validated as a whole.
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
import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Iterable

import libsbml
from lxml import etree

from .validation import Finding

log = logging.getLogger(__name__)

CATEGORIES = {
    "general": libsbml.LIBSBML_CAT_GENERAL_CONSISTENCY,
    "identifier": libsbml.LIBSBML_CAT_IDENTIFIER_CONSISTENCY,
    "mathml": libsbml.LIBSBML_CAT_MATHML_CONSISTENCY,
    "sbo": libsbml.LIBSBML_CAT_SBO_CONSISTENCY,
    "units": libsbml.LIBSBML_CAT_UNITS_CONSISTENCY,
    "overdetermined": libsbml.LIBSBML_CAT_OVERDETERMINED_MODEL,
    "modelling_practice": libsbml.LIBSBML_CAT_MODELING_PRACTICE,
}
"""The categories of libsbml's checks, by the names :mod:`.formats.sbml` uses."""

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
    from .formats.sbml import reject_unsafe_xml

    reject_unsafe_xml(data, source)
    plan = _plan(data, batch_size, force_split)
    if plan is None:
        return _whole(data, source, chosen)
    return _run_plan(plan, data, source, chosen, workers)


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
                    e.getLine(), e.getColumn(), e.getCategory()))
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


@dataclass
class _Item:
    """One element of a split list: its lines, the ids it defines and the ids it names."""

    list_index: int
    start: int  # first line (0-based index into the document's lines)
    end: int  # one past its last line
    owns: tuple[str, ...]
    refs: frozenset[str]
    targets: tuple[str, ...] = ()  # ids it sets (rules, initial assignments, events)
    is_reaction: bool = False
    order: int = 0  # position among reactions (document order)


@dataclass
class _List:
    open_start: int
    open_end: int  # lines of the start tag (and the list's own notes), before the first item
    close: int  # the line of the end tag
    items: list[int] = field(default_factory=list)


@dataclass
class _Plan:
    lines: list[bytes]
    lists: list[_List]
    items: list[_Item]
    skeleton_refs: frozenset[str]
    owners: dict[str, list[int]]
    setters: dict[str, list[int]]
    reactions: list[int]
    batch_size: int
    duplicate_ids: bool
    algebraic_rules: bool
    level: int


def _plan(data: bytes, batch_size: int, force_split: bool) -> _Plan | None:
    """Index the document once; ``None`` when it is better (or only possible) to check it whole."""
    try:
        root = etree.fromstring(data, etree.XMLParser(huge_tree=True, resolve_entities=False,
                                                      remove_comments=False))
    except etree.XMLSyntaxError:
        return None  # libsbml reports what is wrong with the XML, with its own words
    model = next((c for c in root if _local(c.tag) == "model"), None)
    if model is None:
        return None
    try:
        level = int(root.get("level", "3"))
    except ValueError:
        return None
    if any("/comp/" in (uri or "") for uri in root.nsmap.values()):
        return None  # libsbml validates the flattened model: submodels are not local
    n_reactions = sum(len(c) for c in model if _local(c.tag) == "listOfReactions")
    if not force_split and n_reactions < max(MONOLITHIC_BELOW, 2 * batch_size):
        return None
    lines = data.splitlines(keepends=True)
    lists: list[_List] = []
    items: list[_Item] = []
    owners: dict[str, list[int]] = {}
    setters: dict[str, list[int]] = {}
    reactions: list[int] = []
    skeleton_refs: set[str] = set(v for k, v in model.attrib.items() if _local(k) not in _NOT_REFERENCES)
    skeleton_ids: set[str] = set()
    algebraic = False
    id_counts: dict[str, int] = {}
    metaid_counts: dict[str, int] = {}
    unit_counts: dict[str, int] = {}
    target_counts: dict[str, int] = {}

    def count_ids(element, in_kinetic_law: bool = False) -> None:
        stack = [(element, in_kinetic_law)]
        while stack:
            el, in_kl = stack.pop()
            name = _local(el.tag)
            if not name or name in _SKIP_SUBTREES:
                continue
            for key, value in el.attrib.items():
                local = _local(key)
                if local == "metaid":
                    metaid_counts[value] = metaid_counts.get(value, 0) + 1
                elif local == "id":
                    if name == "unitDefinition":
                        unit_counts[value] = unit_counts.get(value, 0) + 1
                    elif not in_kl:
                        id_counts[value] = id_counts.get(value, 0) + 1
            inner = in_kl or name == "kineticLaw"
            stack.extend((child, inner) for child in el)

    for key, value in root.attrib.items():
        if _local(key) == "metaid":
            metaid_counts[value] = metaid_counts.get(value, 0) + 1
    for key, value in model.attrib.items():
        local = _local(key)
        if local == "id":
            id_counts[value] = id_counts.get(value, 0) + 1
        elif local == "metaid":
            metaid_counts[value] = metaid_counts.get(value, 0) + 1

    for child in model:
        name = _local(child.tag)
        if not name:
            continue
        if name not in _SPLIT or len(child) == 0:
            count_ids(child)
            if name not in _SKIP_SUBTREES:
                skeleton_refs |= _references(child)
                skeleton_ids.update(_owned_ids(child))
            continue
        elements = [c for c in child if _local(c.tag)]
        if not elements:
            count_ids(child)
            continue
        # the layout must be one element per line for line-exact sub-documents
        qname = _qname(child)
        open_start = _tag_start(lines, child.sourceline - 1, qname, -1)
        first = _tag_start(lines, elements[0].sourceline - 1, _qname(elements[0]), open_start)
        if not _starts_line(lines, open_start, qname) or first <= open_start:
            log.debug("%s: start tag not alone on its line %d", name, open_start + 1)
            return None
        for key, value in child.attrib.items():
            if _local(key) == "metaid":
                metaid_counts[value] = metaid_counts.get(value, 0) + 1
        lst = _List(open_start, first, -1)
        list_index = len(lists)
        lists.append(lst)
        starts = []
        for e in elements:
            starts.append(_tag_start(lines, e.sourceline - 1, _qname(e), starts[-1] if starts else open_start))
        close = _find_close(lines, starts[-1], qname)
        if close is None:
            log.debug("%s: end tag not alone on its line", name)
            return None
        lst.close = close
        for k, el in enumerate(elements):
            start = starts[k]
            end = starts[k + 1] if k + 1 < len(elements) else close
            if end <= start or not _starts_line(lines, start, _qname(el)):
                log.debug("%s: element at line %d shares a line", name, start + 1)
                return None
            count_ids(el)
            owns = _owned_ids(el)
            refs = _references(el)
            targets: tuple[str, ...] = ()
            if name in _SETTERS:
                targets = tuple(el.get(a) for a in _SETTERS[name] if el.get(a) is not None)
            elif name == "listOfEvents":
                targets = tuple(ea.get("variable") for ea in el.iter("{*}eventAssignment")
                                if ea.get("variable") is not None)
            if name == "listOfRules" and _local(el.tag) == "algebraicRule":
                algebraic = True
            for t in set(targets):
                target_counts[t] = target_counts.get(t, 0) + (1 if name != "listOfEvents" else 0)
            index = len(items)
            item = _Item(list_index, start, end, owns, refs, targets, name == "listOfReactions")
            if item.is_reaction:
                item.order = len(reactions)
                reactions.append(index)
            items.append(item)
            lst.items.append(index)
            for i in owns:
                owners.setdefault(i, []).append(index)
            for t in targets:
                setters.setdefault(t, []).append(index)
    if algebraic:
        return None  # which variable an algebraic rule determines depends on the whole model
    duplicates = (any(v > 1 for v in id_counts.values()) or any(v > 1 for v in metaid_counts.values())
                  or any(v > 1 for v in unit_counts.values()) or any(v > 1 for v in target_counts.values()))
    # the skeleton is in every batch: so are what it names and what sets its elements
    skeleton_refs |= skeleton_ids
    return _Plan(lines, lists, items, frozenset(skeleton_refs), owners, setters, reactions,
                 batch_size, duplicates, algebraic, level)


def _qname(el) -> bytes:
    name = _local(el.tag)
    return (f"{el.prefix}:{name}" if el.prefix else name).encode()


def _tag_start(lines: list[bytes], index: int, qname: bytes, floor: int) -> int:
    """The line where an element's start tag begins (lxml gives the line where it ends)."""
    i = index
    while i > floor and i > index - 200:
        if _starts_line(lines, i, qname):
            return i
        i -= 1
    return index


def _starts_line(lines: list[bytes], index: int, qname: bytes) -> bool:
    if index < 0 or index >= len(lines):
        return False
    text = lines[index].lstrip()
    return text.startswith(b"<" + qname) and text[len(qname) + 1:len(qname) + 2] in (b" ", b">", b"/", b"\t", b"\r", b"\n", b"")


def _find_close(lines: list[bytes], start: int, qname: bytes) -> int | None:
    tag = b"</" + qname
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith(tag):
            rest = stripped[len(tag):].strip()
            return i if rest == b">" else None
        if tag in lines[i]:
            return None
    return None


def _owned_ids(element) -> tuple[str, ...]:
    """Ids an element defines: its own and its descendants' (not local parameters)."""
    out = []
    stack = [element]
    while stack:
        el = stack.pop()
        name = _local(el.tag)
        if not name or name in _SKIP_SUBTREES or name == "kineticLaw":
            continue
        for key, value in el.attrib.items():
            if _local(key) == "id":
                out.append(value)
        stack.extend(el)
    return tuple(out)


def _references(element) -> frozenset[str]:
    """Every attribute value and ``<ci>`` name in an element (a superset of the ids it names)."""
    refs: set[str] = set()
    stack = [element]
    while stack:
        el = stack.pop()
        name = _local(el.tag)
        if not name or name in _SKIP_SUBTREES:
            continue
        for key, value in el.attrib.items():
            if _local(key) not in _NOT_REFERENCES:
                refs.add(value.strip())
        if name == "ci" and el.text:
            refs.add(el.text.strip())
        stack.extend(el)
    return frozenset(refs)


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
        chosen = _closure(plan, rest[k:k + size])
        batches.append(chosen)
    return batches or [set()]


@dataclass
class _SubDocument:
    text: str
    segments: list[tuple[int, int]]  # (first line in sub-document, first line in original), 1-based
    owned_reactions: list[str]  # ids of the batch's own reactions, in order (anchor search)


def _render(plan: _Plan, chosen: set[int], owned: list[int]) -> _SubDocument:
    """The sub-document: skeleton lines plus the chosen items' lines, in document order."""
    lines = plan.lines
    pieces: list[bytes] = []
    segments: list[tuple[int, int]] = []
    out_line = 1
    cursor = 0  # next original line to consider

    def copy(a: int, b: int) -> None:
        nonlocal out_line
        if b <= a:
            return
        segments.append((out_line, a + 1))
        pieces.extend(lines[a:b])
        out_line += b - a

    for lst in plan.lists:
        keep = [i for i in lst.items if i in chosen]
        copy(cursor, lst.open_start)
        if keep:
            copy(lst.open_start, lst.open_end)
            for i in keep:
                copy(plan.items[i].start, plan.items[i].end)
            copy(lst.close, lst.close + 1)
        cursor = lst.close + 1
    copy(cursor, len(lines))
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
    error_id, severity, category, message, line, column, cat = raw
    if "line" in message:
        message = _LINE_IN_MESSAGE.sub(
            lambda m: f"{m.group(1)}{_map_line(segments, starts, int(m.group(2)))}", message)
    return (error_id, severity, category, message, _map_line(segments, starts, line), column, cat)


# --------------------------------------------------------------------------- running


def _validate(text: str, category_ids: tuple[int, ...], anchor_candidates: list[str]) -> tuple[list[tuple], list[tuple], str | None]:
    """In a worker: read and check one sub-document; also name its first fully-declared kinetic law."""
    doc = _read(text)
    read = _errors(doc)
    if any(r[1] >= libsbml.LIBSBML_SEV_ERROR for r in read):
        return read, [], None
    for category in CATEGORIES.values():
        doc.setConsistencyChecks(category, category in category_ids)
    doc.checkConsistency()
    checks = _errors(doc)  # read warnings stay in the log; merging drops the repeats
    anchor = None
    model = doc.getModel()
    if anchor_candidates and model is not None:
        wanted = set(anchor_candidates)
        for n in range(model.getNumReactions()):
            r = model.getReaction(n)
            if r.getId() not in wanted:
                continue
            kl = r.getKineticLaw()
            if kl is not None and kl.isSetMath() and not kl.containsUndeclaredUnits():
                anchor = r.getId()
                break
    return read, checks, anchor


def _run_plan(plan: _Plan, data: bytes, source: str, chosen: set[str], workers: int | None) -> list[Finding]:
    whole_categories: set[str] = set()
    if plan.duplicate_ids and "identifier" in chosen:
        whole_categories.add("identifier")
    batch_categories = tuple(CATEGORIES[c] for c in chosen - whole_categories)
    need_anchor = "units" in chosen and plan.level >= 3
    batches = _batches(plan)
    size = plan.batch_size
    owned = [plan.reactions[k:k + size] for k in range(0, len(plan.reactions), size)]
    owned += [[] for _ in range(len(batches) - len(owned))]

    n_workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    pool = None
    if n_workers > 1 and len(batches) > 1:
        pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=get_context("fork")
                                   if "fork" in get_context().get_all_start_methods() else None)

    def submit(b: int, extra: set[int]):
        sub = _render(plan, batches[b] | extra, owned[b])
        args = (sub.text, batch_categories, sub.owned_reactions if need_anchor else [])
        future = pool.submit(_validate, *args) if pool else None
        return sub, (future if future is not None else _validate(*args))

    def result(pending):
        sub, out = pending
        return sub, (out.result() if hasattr(out, "result") else out)

    results: dict[int, tuple] = {}
    try:
        anchor_extra: set[int] = set()
        first_with_anchor = 0
        if need_anchor:
            # the first batch whose own reactions hold a fully declared kinetic law names the anchor
            for b in range(len(batches)):
                results[b] = result(submit(b, set()))
                anchor_id = results[b][1][2]
                if anchor_id is not None or not owned[b]:
                    if anchor_id is not None:
                        anchor_extra = _closure(plan, plan.owners.get(anchor_id, [])[:1])
                    first_with_anchor = b
                    break
            # batches before the anchor's own batch compared against a later law: run them again
            if anchor_extra:
                for b in range(first_with_anchor):
                    results.pop(b, None)
        pending = {b: submit(b, anchor_extra) for b in range(len(batches)) if b not in results}
        for b, p in pending.items():
            results[b] = result(p)
    finally:
        if pool is not None:
            pool.shutdown()

    read: list[Finding] = []
    checks: list[Finding] = []
    for b in range(len(batches)):
        sub, (r, c, _) = results[b]
        starts = [s for s, _ in sub.segments]
        read.extend(_to_finding(_remap(x, sub.segments, starts), source) for x in r)
        checks.extend(_to_finding(_remap(x, sub.segments, starts), source) for x in c)
    if any(f.severity == "error" for f in read):
        return _whole(data, source, chosen, read_only=True)
    if whole_categories:
        whole = _whole(data, source, whole_categories)
        read_part = set(_dedupe(read))
        checks = [f for f in checks] + [f for f in whole if f not in read_part]
    return _order(_dedupe(read) + [f for f in _dedupe(checks) if f not in set(read)])


def _order(findings: list[Finding]) -> list[Finding]:
    """Read findings first, then checks, each by line: a stable order independent of batching."""
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.rule, f.element, f.message))
