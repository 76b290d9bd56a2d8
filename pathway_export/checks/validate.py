"""Validate any model file: detect its format by content, run every check that applies.

:func:`validate_file` (and :func:`validate_bytes`) return one
:class:`~pathway_export.checks.findings.Report` per input, never raising for anything wrong
with the input itself: a hostile, broken or foreign file becomes error findings.

Detection looks at the bytes, not the file name (:func:`detect`): canonical YAML or JSON,
SBML of any Level and Version, BioPAX Level 3 (Level 2 is recognised and refused by
name), gzip-compressed forms of these; HTML, other XML, binary data and empty files are
named as what they are.

Checks by format (each finding carries the name of its check in ``Finding.check``):

* canonical: ``canonical`` (syntax, schema, ids, references, identifiers, math, units:
  :func:`pathway_export.canonical.loads`), then ``roundtrip`` (export to every format,
  read back, compare; libsbml's checks of the exported SBML in the chosen categories);
* SBML: ``sbml:read`` and one check per libsbml consistency category
  (``sbml:general``, ``sbml:identifier``, ``sbml:mathml``, ``sbml:sbo``, ``sbml:units``,
  ``sbml:overdetermined``, ``sbml:modelling_practice``; all on by default), then
  ``roundtrip`` (read, write, read again, compare);
* BioPAX Level 3: ``biopax:rules``, then ``roundtrip``;
* with ``load_check``: ``load:roadrunner`` and ``load:copasi`` (SBML, canonical) and
  ``load:paxtools`` (BioPAX, canonical).

Before any parser sees XML, the bytes are checked: size (a cap, :data:`MAX_BYTES`),
declared encoding, DOCTYPE entity declarations (refused: external entities and expansion
bombs), well-formedness (a streaming parse that resolves no entities and fetches nothing).
"""

from __future__ import annotations

import logging
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from lxml import etree

from ..errors import InputError, PathwayExportError, Problem, UnsupportedFeatureError
from ..formats.sbgn.svg import MARK as SVG_MARK
from .findings import SEVERITIES, Check, Finding, Report

log = logging.getLogger(__name__)

MAX_BYTES = 256 * 1024 * 1024
"""Largest input read (after decompression); larger files are refused unread."""

SBML_CATEGORIES = ("general", "identifier", "mathml", "sbo", "units", "overdetermined",
                   "modelling_practice")
"""libsbml's consistency categories by the names the SBML module uses; all on by default."""

CATEGORY_ALIASES = {
    "practice": "modelling_practice", "modeling_practice": "modelling_practice",
    "modelling-practice": "modelling_practice", "modeling-practice": "modelling_practice",
    "unit": "units", "ids": "identifier", "id": "identifier", "identifiers": "identifier",
    "math": "mathml", "overdetermination": "overdetermined", "consistency": "general",
}

_SBML_NS = re.compile(r"^http://www\.sbml\.org/sbml/level(\d)(?:/version(\d))?")
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_BIOPAX_NS = re.compile(rb"http://www\.biopax\.org/release/biopax-level(\d)\.owl")
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_EXTERNAL_DTD = re.compile(rb"<!DOCTYPE\s+(?!html\b)[^\[>]*?\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_MAGIC = {b"PK\x03\x04": "a ZIP archive (a COMBINE archive or .docx?)", b"%PDF": "a PDF document",
          b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"BZh": "bzip2-compressed data",
          b"\xfd7zXZ": "xz-compressed data", b"SQLite format 3": "an SQLite database"}
_SBGN_NS = "http://sbgn.org/libsbgn/0.3"
_VIEW_PACKAGES = re.compile(rb'xmlns:\w+="http://www\.sbml\.org/sbml/level3/version\d/(?:qual|layout|render)/')
_SVG_NS = "http://www.w3.org/2000/svg"
_CX2 = re.compile(rb'^\[\s*\{\s*"CXVersion"\s*:\s*"2')
_FOREIGN_XML = {"sbgn": "SBGN-ML", "sedML": "SED-ML", "omexManifest": "a COMBINE archive manifest",
                "gpml": "GPML (WikiPathways)", "Pathway": "GPML (WikiPathways)", "celldesigner": "CellDesigner"}


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class Options:
    """What to check. ``sbml_categories``: libsbml categories switched on (all by default);
    ``suppress``: ``rule_id, file -> bool`` hiding warnings and infos a team accepts."""

    sbml_categories: frozenset[str] = frozenset(SBML_CATEGORIES)
    roundtrip: bool = True
    load_check: bool = False
    max_bytes: int = MAX_BYTES
    suppress: Callable[[str, str], bool] | None = None
    progress: Callable[[str], None] | None = None
    """Told each stage as it starts ("libsbml consistency checks" ...): the CLI shows it on a
    terminal during long runs; the library itself prints nothing."""


def parse_sbml_checks(items: Iterable[str], start: Iterable[str] = SBML_CATEGORIES) -> frozenset[str]:
    """Turn ``["-units", "-practice"]`` or ``["general", "identifier"]`` into a category set.

    Signed items switch a category off (``-``) or on (``+``) starting from ``start`` (all);
    if any item is bare, the set starts empty and bare items switch categories on.
    ``all`` and ``none`` are accepted. Raise :class:`ValueError` naming an unknown category.
    """
    parts = [p.strip() for item in items for p in item.split(",") if p.strip()]
    chosen = set(start)
    if any(p[0] not in "+-" and p.lower() not in ("all", "none") for p in parts):
        chosen = set()
    for part in parts:
        sign, name = (part[0], part[1:]) if part[0] in "+-" else ("+", part)
        name = name.strip().lower()
        if name == "all":
            chosen = set(SBML_CATEGORIES) if sign == "+" else set()
            continue
        if name == "none":
            chosen = set()
            continue
        name = CATEGORY_ALIASES.get(name, name)
        if name not in SBML_CATEGORIES:
            raise ValueError(f"unknown libsbml check category {part.lstrip('+-')!r}; "
                             f"known: {', '.join(SBML_CATEGORIES)} (and 'practice', 'all', 'none')")
        (chosen.add if sign == "+" else chosen.discard)(name)
    return frozenset(chosen)


# --------------------------------------------------------------------------- detection


@dataclass(frozen=True)
class Detected:
    """What a file is. ``format`` is ``canonical``, ``sbml`` or ``biopax`` when it is a model
    this tool reads (``biopax`` with ``level`` 2 is recognised but refused); otherwise empty,
    and ``problem`` says what the file is instead."""

    format: str
    detail: str
    level: int | None = None
    version: int | None = None
    is_json: bool = False
    problem: Problem | None = None
    rule: str = ""


def _not_a_model(detail: str, message: str, rule: str, hint: str | None = None,
                 line: int | None = None, column: int | None = None) -> Detected:
    return Detected("", detail, problem=Problem(message, line=line, column=column, hint=hint), rule=rule)


def detect(data: bytes) -> Detected:
    """Say what ``data`` is, from its content alone (decompress gzip first: :func:`decompress`)."""
    if not data.strip():
        return _not_a_model("empty", "the file is empty", "input:empty",
                            hint="a model file holds SBML, BioPAX Level 3 or a canonical YAML/JSON model")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return _not_a_model("binary", f"this is {what}, not a model file", "input:binary",
                                hint="give the model file itself (SBML, BioPAX or canonical YAML/JSON)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _not_a_model("UTF-16 text", "the file is UTF-16 encoded; models are read as UTF-8",
                            "input:encoding", hint="save the file as UTF-8")
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.1:
        return _not_a_model("binary", "this is binary data, not a text model file", "input:binary",
                            hint="give an SBML, BioPAX Level 3 or canonical YAML/JSON file")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    stripped = body.lstrip()
    if not stripped.startswith(b"<"):
        if _CX2.match(stripped[:200]):
            return Detected("cx2", "CX2 (Cytoscape Exchange 2)")
        is_json = stripped[:1] in (b"{", b"[")
        return Detected("canonical", "canonical JSON" if is_json else "canonical YAML", is_json=is_json)
    if _HTML.search(body[:4096]):
        return _not_a_model("HTML", "this is an HTML page, not a model (a web page or a download's "
                            "error page saved under a model's name?)", "input:html",
                            hint="download the model file itself, e.g. the raw SBML or BioPAX")
    return _detect_xml(body)


def _control_ratio(head: bytes) -> float:
    if not head:
        return 0.0
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head)


def _detect_xml(body: bytes) -> Detected:
    parser = etree.XMLPullParser(events=("start", "start-ns"), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False)
    namespaces: dict[str, str] = {}
    root = None
    try:
        for offset in range(0, min(len(body), 4 * 1024 * 1024), 65536):
            parser.feed(body[offset:offset + 65536])
            for event, payload in parser.read_events():
                if event == "start-ns":
                    namespaces[payload[0]] = payload[1]
                elif event == "start":
                    root = payload
                    break
            if root is not None:
                break
    except etree.XMLSyntaxError as exc:
        line, column = (exc.position if exc.position else (None, None))
        return _not_a_model("XML (not well formed)", f"not well-formed XML: {exc.msg}", "xml:syntax",
                            line=line, column=column, hint="fix the XML syntax at that line")
    if root is None:
        return _not_a_model("XML (no root element)", "the XML has no root element within its first 4 MB",
                            "xml:syntax", hint="a model is an <sbml> or <rdf:RDF> document")
    qname = etree.QName(root.tag)
    local, ns = qname.localname, qname.namespace or ""
    if local == "sbml":
        match = _SBML_NS.match(ns)
        level = _int(root.get("level")) or (int(match.group(1)) if match else None)
        version = _int(root.get("version")) or (int(match.group(2)) if match and match.group(2) else None)
        if level is None:
            return _not_a_model("XML", "an <sbml> root without a level (and no SBML namespace)",
                                "sbml:no-level", line=root.sourceline,
                                hint='give <sbml> its namespace, level="3" and version="2"')
        detail = f"SBML Level {level}" + (f" Version {version}" if version else "")
        return Detected("sbml", detail, level, version)
    if local == "sbgn" and ns == _SBGN_NS:
        return Detected("sbgn", "SBGN-ML 0.3")
    if local == "svg" and ns == _SVG_NS and root.get("class") == SVG_MARK:
        return Detected("svg", "SVG drawing of an SBGN diagram")
    if local == "RDF" and ns == _RDF_NS:
        levels = {int(m.group(1)) for uri in namespaces.values()
                  if (m := _BIOPAX_NS.match(uri.encode()))}
        if not levels:
            levels = {int(m.group(1)) for m in _BIOPAX_NS.finditer(body[:1024 * 1024])}
        if 3 in levels:
            return Detected("biopax", "BioPAX Level 3", 3)
        if levels:
            level = max(levels)
            return Detected("biopax", f"BioPAX Level {level}", level)
        return _not_a_model("RDF/XML", "RDF/XML, but not BioPAX: no BioPAX Level 3 namespace is declared",
                            "input:not-a-model", line=root.sourceline,
                            hint='BioPAX Level 3 declares xmlns:bp="http://www.biopax.org/release/biopax-level3.owl#"')
    if local.lower() == "html":
        return _not_a_model("HTML", "this is an (X)HTML page, not a model", "input:html",
                            hint="download the model file itself, e.g. the raw SBML or BioPAX")
    what = _FOREIGN_XML.get(local)
    named = f"{what} ({{{ns}}}{local})" if what else f"<{local}>" + (f" in namespace {ns}" if ns else "")
    return _not_a_model("XML", f"XML, but not a model: the root element is {named}", "input:not-a-model",
                        line=root.sourceline,
                        hint="expected <sbml> (SBML) or <rdf:RDF> holding BioPAX Level 3")


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- reading safely


def read_input(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, decompressed if gzip; :class:`InputError` if unreadable or too large."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError([Problem("is a folder, not a model file")], source)
        if size > max_bytes:
            raise InputError([Problem(
                f"the file is {size:,} bytes, more than the {max_bytes:,} this validator reads",
                hint="raise the limit with --max-bytes (or max-bytes in pathway-export.toml) "
                     "if the file really is a model")], source)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError([Problem(f"cannot read: {exc.strerror or exc}")], source) from None
    if len(data) > max_bytes:
        raise InputError([Problem(f"the file grew beyond {max_bytes:,} bytes while being read")], source)
    return decompress(data, source, max_bytes)


def decompress(data: bytes, source: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Inflate gzip data, refusing (not reading past) output larger than ``max_bytes``."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError([Problem(f"gzip data is corrupt: {exc}", hint="re-download or re-compress the file")],
                         source) from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise InputError([Problem(f"the gzip data inflates to more than {max_bytes:,} bytes",
                                  hint="raise --max-bytes if this really is a model")], source)
    if not inflater.eof:
        raise InputError([Problem("the gzip data ends early: the file is truncated",
                                  hint="re-download or re-compress the file")], source)
    return out


def _unsafe_xml(data: bytes, source: str) -> list[Finding]:
    """Entity declarations (external entities, expansion bombs) are refused before any parse."""
    try:
        from ..formats.sbml.write import reject_unsafe_xml

        reject_unsafe_xml(data, source)
    except InputError as exc:
        return _problem_findings(exc, "xml:entity-declaration", "xml", source)
    external = _EXTERNAL_DTD.search(data[:1024 * 1024])
    if external is not None:
        line = data.count(b"\n", 0, external.start()) + 1
        return [Finding("error", "xml:external-dtd",
                        "the DOCTYPE names an external DTD; external DTDs are refused (reading them "
                        "would open other files or the network)", element="<!DOCTYPE>", line=line,
                        source=source, hint="remove the DOCTYPE: SBML and BioPAX need none", check="xml")]
    return []


def _encoding(data: bytes, source: str) -> list[Finding]:
    """XML that declares (or defaults to) UTF-8 must be UTF-8: refused, not guessed, otherwise."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    declared = _XML_DECL.match(body)
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding in ("utf-8", "utf8"):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = body.count(b"\n", 0, exc.start) + 1
            column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
            said = "declares UTF-8" if declared else "is read as UTF-8 (the XML default)"
            return [Finding("error", "xml:encoding",
                            f"byte 0x{body[exc.start]:02x} is not valid UTF-8, but the file {said}",
                            element=f"line {line}", line=line, column=column, source=source,
                            hint="re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), "
                                 "or declare its real encoding in <?xml ... encoding=\"...\"?>",
                            check="xml")]
    return []


def _well_formed(body: bytes, source: str) -> list[Finding]:
    parser = etree.XMLPullParser(events=("end",), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=True, remove_comments=True)
    try:
        for offset in range(0, len(body), 1 << 20):
            parser.feed(body[offset:offset + (1 << 20)])
            for _event, element in parser.read_events():
                element.clear(keep_tail=False)
        parser.close()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        last = body.rstrip().count(b"\n") + 1
        truncated = (line is not None and line >= last
                     and "Extra content" not in exc.msg and "mismatch" not in exc.msg)
        if truncated:
            message = f"the XML ends before the document is complete ({exc.msg}): the file looks truncated"
            hint = "re-download or re-export the file; it was cut off"
        else:
            message = f"not well-formed XML: {exc.msg}"
            hint = "fix the XML syntax at that line"
        return [Finding("error", "xml:syntax", message, element=f"line {line}" if line else "",
                        line=line, column=column, source=source, hint=hint, check="xml")]
    return []


# --------------------------------------------------------------------------- the checks


_CANONICAL_RULES = (
    ("syntax error", "canonical:syntax"), ("duplicate key", "canonical:duplicate-key"),
    ("anchors and aliases", "canonical:alias"), ("unknown key", "canonical:unknown-key"),
    ("is missing", "canonical:missing-key"), ("is not one of", "canonical:enum"),
    ("does not match", "canonical:pattern"), ("expected ", "canonical:type"),
    ("duplicate id", "canonical:duplicate-id"), ("is not a declared", "canonical:dangling-reference"),
    ("is not an entity", "canonical:dangling-reference"),
    ("is not a parameter", "canonical:dangling-reference"),
    ("unknown function", "canonical:unknown-function"), ("cycle:", "canonical:cycle"),
    ("cannot contain itself", "canonical:cycle"), ("measures", "canonical:units"),
    ("not valid UTF-8", "canonical:encoding"), ("binary", "canonical:binary"),
    ("is empty", "canonical:empty"), ("holds no data", "canonical:empty"),
    ("top level is", "canonical:not-a-mapping"), ("prefix", "canonical:identifier"),
    ("identifier", "canonical:identifier"), ("cannot parse", "canonical:math"),
    ("not a string", "canonical:type"), ("larger than", "input:too-large"),
)


def canonical_rule(message: str) -> str:
    """A stable rule id for a canonical loader problem (for suppression and reports)."""
    for needle, rule in _CANONICAL_RULES:
        if needle in message:
            return rule
    return "canonical:invalid"


def _problem_findings(exc: InputError, rule: str | Callable[[str], str], check: str,
                      source: str, severity: str = "error") -> list[Finding]:
    out = []
    for p in exc.problems:
        named = p.where if p.where.startswith("sbml:") else ""
        out.append(Finding(severity, named or (rule(p.message) if callable(rule) else rule), p.message,
                           element=p.where if not named else (f"line {p.line}" if p.line else ""),
                           line=p.line, column=p.column, source=source, hint=p.hint, check=check))
    return out


def _sbml_check_name(rule: str, level: int, version: int) -> str:
    """``sbml:<category>`` for a libsbml error id, ``sbml:read`` for read-time errors."""
    try:
        import libsbml

        error_id = int(rule.split(":", 1)[1])
        category = libsbml.SBMLError(error_id, level or 3, version or 2).getCategory()
    except (ValueError, IndexError, ImportError, TypeError):
        return "sbml:read"
    names = {getattr(libsbml, f"LIBSBML_CAT_{c}"): n for c, n in (
        ("GENERAL_CONSISTENCY", "general"), ("IDENTIFIER_CONSISTENCY", "identifier"),
        ("MATHML_CONSISTENCY", "mathml"), ("SBO_CONSISTENCY", "sbo"),
        ("UNITS_CONSISTENCY", "units"), ("OVERDETERMINED_MODEL", "overdetermined"),
        ("MODELING_PRACTICE", "modelling_practice"))}
    return f"sbml:{names[category]}" if category in names else "sbml:read"


_CATEGORY_HINTS = {
    "sbml:units": "declare units on every parameter, compartment and species (and on numbers in "
                  "math), or accept the rule with suppress = [\"<rule>\"] in pathway-export.toml",
    "sbml:modelling_practice": "good practice, not an error: follow the message, or accept the rule "
                               "in pathway-export.toml",
    "sbml:sbo": "use an SBO term from the branch the element's kind requires",
}


class _Collect(logging.Handler):
    """Gather what readers log while they read, to report it as findings."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())


@contextmanager
def _collecting() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("pathway_export")
    old = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old


def _format_spec(name: str):
    from ..formats import FORMATS

    return FORMATS[name]


def _reader_trip(fmt: str, data: bytes, source: str, report: Report) -> None:
    """Read ``data``, write it, read that again, and compare the two models."""
    from .roundtrip import diff

    spec = _format_spec(fmt)
    findings: list[Finding] = []
    try:
        with _collecting() as notes:
            first = spec.from_bytes(data, source=source)
        for note in dict.fromkeys(notes.messages):
            findings.append(Finding("info", f"roundtrip:{fmt}-read-note", note, source=source,
                                    check="roundtrip"))
        again = spec.to_bytes(first)
        with _collecting():
            second = spec.from_bytes(again, source=f"{source} (rewritten)")
    except UnsupportedFeatureError as exc:
        findings.extend(Finding("warning", "roundtrip:unsupported", str(refusal), element=refusal.element,
                                source=source, hint=refusal.hint or None, check="roundtrip")
                        for refusal in exc.refusals)
        _add_check(report, "roundtrip", findings)
        return
    except InputError as exc:
        findings.extend(_problem_findings(exc, f"{fmt}:read", "roundtrip", source))
        _add_check(report, "roundtrip", findings)
        return
    except PathwayExportError as exc:
        findings.append(Finding("warning", f"roundtrip:{fmt}-write",
                                f"the model read from this file cannot be written back: {exc}",
                                source=source, check="roundtrip",
                                hint="report it: the file is readable, the writer failed"))
        _add_check(report, "roundtrip", findings)
        return
    for d in diff(first, second):
        findings.append(Finding("warning", f"roundtrip:{fmt}",
                                f"changes when written and read back: {d}", element=d.path,
                                source=source, check="roundtrip",
                                hint="the file holds something the canonical model does not carry "
                                     "faithfully; check that element"))
    _add_check(report, "roundtrip", findings)


def _add_check(report: Report, name: str, findings: list[Finding], status: str = "",
               reason: str = "") -> None:
    report.findings.extend(findings)
    if not status:
        ranks = {f.severity for f in findings}
        status = "failed" if "error" in ranks else "warned" if "warning" in ranks else "passed"
    report.checks.append(Check(name, status, reason))


def _skip(report: Report, name: str, reason: str, status: str = "skipped") -> None:
    report.checks.append(Check(name, status, reason))


def _check_canonical(data: bytes, detected: Detected, source: str, options: Options, report: Report) -> None:
    from .. import canonical
    from ..errors import CanonicalError

    try:
        model = canonical.loads(data, source=source, is_json=detected.is_json)
    except CanonicalError as exc:
        _add_check(report, "canonical", _problem_findings(exc, canonical_rule, "canonical", source))
        _skip(report, "roundtrip", "the model has errors")
        return
    _add_check(report, "canonical", [
        Finding("warning", "canonical:advice", p.message, element=p.where, line=p.line, column=p.column,
                source=source, hint=p.hint, check="canonical")
        for p in canonical.advice(model, canonical.positions(data, source))])
    if options.roundtrip:
        _canonical_trip(model, data.decode("utf-8", "replace"), options, report)
    else:
        _skip(report, "roundtrip", "switched off (--no-roundtrip)", "off")
    if options.load_check:
        _load_checks_canonical(model, report)


def _canonical_trip(model, text: str, options: Options, report: Report) -> None:
    """Export to each format, read back, compare (:func:`pathway_export.checks.roundtrip.trip`).

    libsbml's findings on the exported SBML are placed in the canonical file (``text``): the
    user never sees the exported document.
    """
    from ..formats import FORMATS
    from .roundtrip import trip

    for fmt in FORMATS:
        name = f"roundtrip:{fmt}"
        _stage(options, f"round trip through {fmt}")
        try:
            with _collecting():
                result = trip(model, fmt)
        except (ImportError, AttributeError) as exc:
            _skip(report, name, f"the {fmt} reader or writer is not available: {exc}")
            continue
        except PathwayExportError as exc:
            _add_check(report, name, [Finding("error", f"roundtrip:{fmt}-export", f"export failed: {exc}",
                                              source=report.source, check=name)])
            continue
        findings: list[Finding] = []
        place = None
        for f in result.findings:
            if f.rule.startswith("sbml:"):
                check = _sbml_check_name(f.rule, 3, 2)
                if check != "sbml:read" and check.split(":", 1)[1] not in options.sbml_categories:
                    continue
                place = place or _exported_places(model, text, report.source)
                f = place(replace(f, check=name, hint=f.hint or _CATEGORY_HINTS.get(check, "").replace(
                    "<rule>", f.rule) or None))
            else:
                f = replace(f, check=name, hint=f.hint or "the exported document does not read back "
                            "as the model; report it with this model")
            findings.append(f)
        _add_check(report, name, findings)


_PLACED_BY_ID = ("reactions", "entities", "parameters", "compartments", "unit_definitions", "stimuli",
                 "function_definitions", "events", "observables")
"""Canonical lists whose items an exported SBML element stands for by its id."""


def _exported_places(model, text: str, source: str) -> Callable[[Finding], Finding]:
    """A function that moves a finding located in the exported SBML into the canonical file.

    The SBML is rendered again (the same bytes: export is deterministic); the finding's line is
    taken to the SBML element there, then up to the nearest element written from a canonical
    object (by its id, a rule's variable, an initial assignment's symbol), whose path and
    line:column the finding gets (inside math: the object's ``rate_law`` or ``expression``). A
    finding that cannot be placed says which line of the exported SBML it is about.
    """
    from ..canonical import locate, path_text
    from ..formats import FORMATS

    at_line: dict[int, etree._Element] = {}
    for el in etree.fromstring(FORMATS["sbml"].to_bytes(model)).iter():
        if isinstance(el.tag, str):
            at_line.setdefault(el.sourceline, el)
    by_id = {item.id: (name, i) for name in reversed(_PLACED_BY_ID)
             for i, item in enumerate(getattr(model, name))}
    by_symbol = {a.target: ("initial_assignments", i) for i, a in enumerate(model.initial_assignments)}
    by_variable = {o.id: ("observables", i) for i, o in enumerate(model.observables)}
    by_variable.update({r.variable: ("rules", i) for i, r in enumerate(model.rules) if r.variable})

    def canonical_of(el) -> tuple | None:
        tag = etree.QName(el).localname
        if tag == "initialAssignment":
            return by_symbol.get(el.get("symbol"))
        if tag in ("assignmentRule", "rateRule"):
            return by_variable.get(el.get("variable"))
        return by_id.get(el.get("id")) if tag != "eventAssignment" else None

    def place(f: Finding) -> Finding:
        start = at_line.get(f.line) if f.line else None
        path, el = None, start
        while el is not None and path is None:
            path, el = canonical_of(el), el.getparent()
        if path is None:
            where = f" (line {f.line})" if f.line else ""
            return replace(f, message=f"in the exported SBML{where}: {f.message}", line=None, column=None,
                           source=source)
        in_math = {etree.QName(a).localname for a in (start, *start.iterancestors())}
        if path[0] == "reactions" and "kineticLaw" in in_math:
            path += ("rate_law",)
        elif path[0] in ("observables", "rules", "initial_assignments") and "math" in in_math:
            path += ("expression",)
        line, column = locate(text, path)
        return replace(f, element=path_text(path), line=line, column=column, source=source,
                       message=f"in the exported SBML: {f.message}")

    return place


def _check_sbml(data: bytes, detected: Detected, source: str, options: Options, report: Report) -> None:
    categories = set(options.sbml_categories)
    try:
        _stage(options, "libsbml consistency checks")
        raw = _consistency(data, source, categories)
    except InputError as exc:
        _add_check(report, "sbml:read", _problem_findings(exc, "sbml:read", "sbml:read", source))
        return
    read_failed = any(f.severity == "error" for f in raw) and _unreadable(data)
    by_check: dict[str, list[Finding]] = {"sbml:read": []}
    for f in raw:
        check = "sbml:read" if read_failed else _sbml_check_name(f.rule, detected.level or 3,
                                                                 detected.version or 2)
        by_check.setdefault(check, []).append(
            replace(f, check=check, hint=f.hint or (_CATEGORY_HINTS.get(check, "").replace("<rule>", f.rule)
                                                    or None)))
    _add_check(report, "sbml:read", by_check.pop("sbml:read"))
    if not read_failed and any(f.severity == "error" for f in raw):
        # libsbml stops at the first category with errors: our reference checks report the rest
        _stage(options, "reference checks")
        for f in _own_references(data, source, raw):
            check = _sbml_check_name(f.rule, detected.level or 3, detected.version or 2)
            if check.split(":", 1)[1] in categories:
                by_check.setdefault(check, []).append(replace(f, check=check))
    has_errors = any(f.severity == "error" for fs in by_check.values() for f in fs)
    for name in SBML_CATEGORIES:
        check = f"sbml:{name}"
        if name not in categories:
            _skip(report, check, "switched off", "off")
        elif read_failed:
            _skip(report, check, "the document cannot be read")
        else:
            _add_check(report, check, by_check.pop(check, []))
    for check, leftovers in by_check.items():  # categories libsbml reports beyond the seven
        _add_check(report, check, leftovers)
    if not options.roundtrip:
        _skip(report, "roundtrip", "switched off (--no-roundtrip)", "off")
    elif read_failed or has_errors:
        _skip(report, "roundtrip", "the document has errors")
    elif _VIEW_PACKAGES.search(data[:8192]):
        _skip(report, "roundtrip", "a logical model (qual) or a diagram (layout, render): libsbml's "
              "checks of those packages ran; the canonical model does not hold them")
    else:
        _stage(options, "round trip through the canonical model")
        _reader_trip("sbml", data, source, report)
    if options.load_check:
        _stage(options, "loading in libRoadRunner and COPASI")
        if read_failed:
            _skip(report, "load:roadrunner", "the document cannot be read")
            _skip(report, "load:copasi", "the document cannot be read")
        else:
            _load_sbml(data, source, report)


def _own_references(data: bytes, source: str, libsbml_found: list[Finding]) -> list[Finding]:
    """Broken references libsbml did not report (it stopped early), from our own pass."""
    from .sbml_references import check_references

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True,
                                                      load_dtd=False, huge_tree=True))
    except etree.XMLSyntaxError:
        return []
    return check_references(root, source, reported=libsbml_found)


def _consistency(data: bytes, source: str, categories: set[str]) -> list[Finding]:
    """libsbml's checks: the SBML module's linear-time checker when present, else its plain one."""
    try:
        from .sbml import check_consistency_scalable
    except ImportError:
        from ..formats.sbml.write import check_consistency

        return check_consistency(data, source=source, categories=categories)
    return check_consistency_scalable(data, source=source, categories=categories)


def _unreadable(data: bytes) -> bool:
    """Whether libsbml stops at reading (its consistency checks then do not run)."""
    import libsbml

    doc = libsbml.readSBMLFromString(data.decode("utf-8", "replace"))
    return doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) + doc.getNumErrors(libsbml.LIBSBML_SEV_FATAL) > 0


def _load_sbml(data: bytes, source: str, report: Report) -> None:
    from . import simulate

    try:
        simulate.simulate_roadrunner(data, 1.0, 2)
        _add_check(report, "load:roadrunner", [])
    except PathwayExportError as exc:
        _add_check(report, "load:roadrunner", [Finding(
            "error", "load:roadrunner", str(exc), source=source, check="load:roadrunner",
            hint="libRoadRunner must load and integrate the model; fix what the message names")])
    try:
        _, messages = simulate.simulate_copasi(data, 1.0, 2)
        _add_check(report, "load:copasi", [
            Finding("warning", "load:copasi", m, source=source, check="load:copasi")
            for m in messages if simulate.is_warning_or_worse(m)])
    except PathwayExportError as exc:
        _add_check(report, "load:copasi", [Finding(
            "error", "load:copasi", str(exc), source=source, check="load:copasi",
            hint="COPASI must import and simulate the model; fix what the message names")])


def _load_biopax(data: bytes, source: str, report: Report) -> None:
    from . import paxtools

    missing = paxtools.available()
    if missing is not None:
        _skip(report, "load:paxtools", missing)
        return
    try:
        paxtools.read(data)
        found: list[Finding] = []
    except PathwayExportError as exc:
        found = [Finding("error", "load:paxtools", str(exc), source=source, check="load:paxtools",
                         hint="Paxtools (Cytoscape, Pathway Commons) must read the document; "
                              "fix what its log names")]
    _add_check(report, "load:paxtools", found)


def _load_checks_canonical(model, report: Report) -> None:
    from ..formats import FORMATS

    _load_sbml(FORMATS["sbml"].to_bytes(model), FORMATS["sbml"].filename(model.id), report)
    try:
        data = FORMATS["biopax"].to_bytes(model)
    except (ImportError, AttributeError) as exc:
        _skip(report, "load:paxtools", f"the BioPAX writer is not available: {exc}")
        return
    _load_biopax(data, FORMATS["biopax"].filename(model.id), report)


def _check_biopax(data: bytes, detected: Detected, source: str, options: Options, report: Report) -> None:
    if detected.level != 3:
        message = (f"this is BioPAX Level {detected.level}; only BioPAX Level 3 is read")
        try:
            from ..formats.biopax import from_biopax

            from_biopax(data, source=source)
        except (UnsupportedFeatureError, InputError) as exc:
            message = str(exc)
        except ImportError:
            pass
        _add_check(report, "biopax:level", [Finding(
            "error", "biopax:level2" if detected.level == 2 else "biopax:level", message,
            element="rdf:RDF", source=source, check="biopax:level",
            hint="convert it to Level 3 first (Paxtools: 'toLevel3 in.owl out.owl')")])
        _skip(report, "biopax:rules", "not BioPAX Level 3")
        _skip(report, "roundtrip", "not BioPAX Level 3")
        return
    try:
        from .biopax_rules import check_biopax
    except ImportError as exc:
        _skip(report, "biopax:rules", f"the BioPAX rule checks are not available: {exc}")
        check_biopax = None
    read_failed = False
    if check_biopax is not None:
        _stage(options, "BioPAX ontology and rule checks")
        try:
            found = [replace(f, check="biopax:rules") for f in check_biopax(data, source)]
        except InputError as exc:
            found = _problem_findings(exc, "biopax:read", "biopax:rules", source)
            read_failed = True
        _add_check(report, "biopax:rules", found)
    has_errors = any(f.severity == "error" for f in report.findings)
    if not options.roundtrip:
        _skip(report, "roundtrip", "switched off (--no-roundtrip)", "off")
    elif read_failed or has_errors:
        _skip(report, "roundtrip", "the document has errors")
    else:
        try:
            _format_spec("biopax").from_bytes
        except (ImportError, AttributeError) as exc:
            _skip(report, "roundtrip", f"the BioPAX reader is not available: {exc}")
        else:
            _stage(options, "round trip through the canonical model")
            _reader_trip("biopax", data, source, report)
    if options.load_check:
        _stage(options, "loading in Paxtools")
        _load_biopax(data, source, report)


def _check_diagram(data: bytes, detected: Detected, source: str, options: Options, report: Report) -> None:
    """A diagram document: its schema (SBGN-ML) or structure (CX2); nothing to read back."""
    from ..formats import DERIVED

    spec = DERIVED[detected.format]
    try:
        wrong = spec.problems(data)
    except PathwayExportError as exc:  # the SBGN-ML schema's package is missing
        _skip(report, "schema", str(exc))
        return
    rule = f"{detected.format}:schema" if detected.format == "sbgn" else f"{detected.format}:structure"

    _add_check(report, "schema", [Finding("error", rule, p.message, element=p.where or (f"line {p.line}" if p.line else ""),
                                          line=p.line, source=source, hint=p.hint, check="schema")
                                  for p in wrong])


_CHECKERS = {"canonical": _check_canonical, "sbml": _check_sbml, "biopax": _check_biopax,
             "sbgn": _check_diagram, "cx2": _check_diagram, "svg": _check_diagram}


# --------------------------------------------------------------------------- entry points


def _stage(options: Options, what: str) -> None:
    if options.progress is not None:
        options.progress(what)


def validate_bytes(data: bytes, source: str = "<bytes>", options: Options = Options()) -> Report:
    """Detect the format of ``data`` and run every check that applies; see the module docstring."""
    report = Report(source)
    try:
        data = decompress(data, source, options.max_bytes)
        if len(data) > options.max_bytes:
            raise InputError([Problem(f"the input is more than {options.max_bytes:,} bytes",
                                      hint="raise --max-bytes if it really is a model")], source)
    except InputError as exc:
        _add_check(report, "input", _problem_findings(exc, "input:unreadable", "input", source))
        return _finish(report, options)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        unsafe = _unsafe_xml(data, source) or _encoding(data, source)
        if unsafe:
            sniffed = detect(data.decode("utf-8", "replace").encode("utf-8")) if unsafe[0].rule == "xml:encoding" \
                else None
            report.format = sniffed.format if sniffed else ""
            report.format_detail = sniffed.detail if sniffed else "XML"
            _add_check(report, "xml", unsafe)
            return _finish(report, options)
    detected = detect(data)
    report.format, report.format_detail = detected.format, detected.detail
    if detected.problem is not None:
        p = detected.problem
        _add_check(report, "detect", [Finding("error", detected.rule, p.message,
                                              element=f"line {p.line}" if p.line else "",
                                              line=p.line, column=p.column, source=source,
                                              hint=p.hint, check="detect")])
        return _finish(report, options)
    _add_check(report, "detect", [])
    if detected.format in ("sbml", "biopax"):
        problems = _well_formed(data[3:] if data.startswith(b"\xef\xbb\xbf") else data, source)
        _add_check(report, "xml", problems)
        if problems:
            return _finish(report, options)
    try:
        _stage(options, f"checking {detected.detail}")
        _CHECKERS[detected.format](data, detected, source, options, report)
    except RecursionError:
        _add_check(report, "internal", [Finding("error", "input:too-deep", "the document nests too deeply "
                                                "to be a model", source=source, check="internal")])
    return _finish(report, options)


def validate_file(path: str | Path, options: Options = Options()) -> Report:
    """:func:`validate_bytes` on a file, refusing files larger than ``options.max_bytes`` unread."""
    source = str(path)
    try:
        data = read_input(path, options.max_bytes)
    except InputError as exc:
        report = Report(source)
        _add_check(report, "input", _problem_findings(exc, _input_rule, "input", source))
        return _finish(report, options)
    return validate_bytes(data, source, options)


def _input_rule(message: str) -> str:
    if "bytes, more than" in message or "inflates to more" in message:
        return "input:too-large"
    if "gzip" in message:
        return "input:gzip"
    return "input:unreadable"


def _finish(report: Report, options: Options) -> Report:
    """Sort findings (stable: by severity, then position) and apply suppression to non-errors."""
    kept, hidden = [], []
    for f in report.findings:
        if f.severity != "error" and options.suppress is not None and options.suppress(f.rule, report.source):
            hidden.append(f)
        else:
            kept.append(f)
    order = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    report.findings = sorted(kept, key=lambda f: (order[f.severity], f.line or 0, f.column or 0, f.rule))
    report.suppressed = hidden
    return report


def unsuppressible(report: Report, options: Options) -> list[Finding]:
    """Errors whose rule the configuration asks to suppress (errors are never suppressed)."""
    if options.suppress is None:
        return []
    return [f for f in report.errors if options.suppress(f.rule, report.source)]
