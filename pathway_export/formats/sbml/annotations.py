"""The ``pe`` annotation: what SBML's own vocabulary cannot hold, compact and deterministic.

Every SBML element the writer makes may carry one ``<pe:NAME>`` element in its
``<annotation>``, in the namespace :data:`NS`. Ids, CURIEs, enumerations and numbers are
attributes; free text (names with line breaks, notes, descriptions, synonyms) is element
text, because libsbml writes attribute values without escaping line breaks and tabs, and
any XML reader then turns them into spaces. Defaults are omitted.
"""

from __future__ import annotations

import re
from typing import Iterable

import libsbml
from lxml import etree

from ...errors import UnsupportedFeatureError, WriteError
from ...model import Evidence

NS = "https://pathway-export.org/ns/canonical/1"
PREFIX = "pe"
_Q = "{%s}" % NS


def element(tag: str, attrs: dict[str, object] | None = None) -> etree._Element:
    """A new ``pe:tag`` element with the attributes whose value is not ``None``."""
    node = etree.Element(_Q + tag, nsmap={PREFIX: NS})
    for key, value in (attrs or {}).items():
        if value is not None:
            node.set(key, _attr_text(value))
    return node


def child(parent: etree._Element, tag: str, attrs: dict[str, object] | None = None,
          text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, _Q + tag)
    for key, value in (attrs or {}).items():
        if value is not None:
            node.set(key, _attr_text(value))
    if text is not None:
        if (text and not text.strip()) or mangled(text):
            # libsbml drops whitespace-only text as formatting, and writes '&#60;' in text
            # unescaped (so it reads back as '<'): carry the characters' codes
            node.set("space", " ".join(str(ord(ch)) for ch in text))
        else:
            node.text = text
    return node


_REFERENCE_LIKE = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def mangled(text: str) -> bool:
    """Whether libsbml would write ``text`` so that it reads back otherwise: it leaves an
    ``&`` that starts what looks like a character or entity reference unescaped."""
    return "&" in text and _REFERENCE_LIKE.search(text) is not None


def _text_of(node: etree._Element) -> str:
    codes = node.get("space")
    if codes is not None:
        return "".join(chr(int(c)) for c in codes.split())
    return node.text or ""


def _attr_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def attr_safe(text: str) -> bool:
    """Whether ``text`` survives as an XML attribute written by libsbml (no tab, CR, LF)."""
    return not any(ch in text for ch in "\t\n\r")


def lossy(value: float) -> bool:
    """Whether libsbml's 15-significant-digit output of ``value`` reads back as another number."""
    return float(f"{value:.15g}") != value


_MARKERS = {_Q + "template", _Q + "observable", _Q + "stimulus", _Q + "model"}  # model: this package wrote it


def is_empty(node: etree._Element) -> bool:
    """Whether a record says nothing (marker elements such as ``pe:template`` always say something)."""
    return node.tag not in _MARKERS and not len(node) and not node.attrib and not node.text


def append(sbase: libsbml.SBase, node: etree._Element, what: str) -> None:
    """Append ``node`` to the annotation of ``sbase`` unless it says nothing."""
    if is_empty(node):
        return
    if sbase.appendAnnotation(xml_node(node)) != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise WriteError(f"libsbml refused the pathway-export annotation of {what}")



class Pending:
    """The records of a document being built, given to libsbml together when it is complete.

    libsbml's XML parser costs most when started once per element, and an ``XMLNode``
    built call by call costs about as much; so the records are parsed in one text, and
    each element gets the node libsbml would have parsed from its record alone (the
    record's text declares its own namespace). Flush before the elements' MIRIAM terms
    and history are set: libsbml appends to an element without an annotation cheaply, and
    writes the RDF after the other annotations either way (the same bytes).
    """

    def __init__(self) -> None:
        self.items: list[tuple[libsbml.SBase, etree._Element, str]] = []

    def append(self, sbase: libsbml.SBase, node: etree._Element, what: str) -> None:
        if not is_empty(node):
            self.items.append((sbase, node, what))

    def flush(self) -> None:
        """Append every pending record to its element's annotation."""
        items, self.items = self.items, []
        if not items:
            return
        text = "".join(etree.tostring(node, encoding="unicode") for _, node, _ in items)
        parsed = libsbml.XMLNode.convertStringToXMLNode(text)
        nodes = []
        if parsed is not None:
            nodes = [parsed] if len(items) == 1 else [parsed.getChild(i) for i in range(parsed.getNumChildren())]
        if len(nodes) != len(items):  # pragma: no cover - libsbml parses what lxml wrote
            nodes = [xml_node(node) for _, node, _ in items]
        for (sbase, _, what), xml in zip(items, nodes):
            if sbase.appendAnnotation(xml) != libsbml.LIBSBML_OPERATION_SUCCESS:
                raise WriteError(f"libsbml refused the pathway-export annotation of {what}")


_TRIPLES: dict[str, libsbml.XMLTriple] = {}


def _triple(qualified_tag: str) -> libsbml.XMLTriple:
    triple = _TRIPLES.get(qualified_tag)
    if triple is None:
        triple = _TRIPLES[qualified_tag] = libsbml.XMLTriple(qualified_tag[len(_Q):], NS, PREFIX)
    return triple


def xml_node(node: etree._Element, top: bool = True) -> libsbml.XMLNode:
    """The libsbml ``XMLNode`` libsbml's parser makes of ``node``'s XML text, built directly.

    Giving libsbml the node instead of the text saves one XML parse per element; the node
    is the parser's: the namespace declared on the top element, attributes in order, text
    as one text child, and only childless elements marked as ended (``<pe:x/>``).
    """
    attributes = libsbml.XMLAttributes()
    for key, value in node.attrib.items():
        attributes.add(key, value)
    if top:
        namespaces = libsbml.XMLNamespaces()
        namespaces.add(NS, PREFIX)
        out = libsbml.XMLNode(_triple(node.tag), attributes, namespaces)
    else:
        out = libsbml.XMLNode(_triple(node.tag), attributes)
    if node.text:
        out.addChild(libsbml.XMLNode(node.text))
    for sub_node in node:
        out.addChild(xml_node(sub_node, False))
    if out.getNumChildren() == 0:
        out.setEnd()
    return out


def add_evidence(parent: etree._Element, evidence: Iterable[Evidence]) -> None:
    for ev in evidence:
        child(parent, "evidence", {"reference": ev.reference, "eco": ev.eco,
                                   "more": " ".join(ev.more_references) or None}, ev.note)


def read_evidence(node: etree._Element | None) -> tuple[Evidence, ...]:
    if node is None:
        return ()
    return tuple(Evidence(reference=e.get("reference"), eco=e.get("eco"),
                          note=_text_of(e) if (e.text or e.get("space")) else None,
                          more_references=tuple(e.get("more", "").split()))
                 for e in node.findall(_Q + "evidence"))


def find(sbase: libsbml.SBase, where: str) -> etree._Element | None:
    """The ``pe`` element in the annotation of ``sbase``, or ``None``."""
    annotation = sbase.getAnnotation()  # None when unset: one libsbml call, not two
    if annotation is None:
        return None
    for i in range(annotation.getNumChildren()):
        node = annotation.getChild(i)
        if node.getURI() == NS:
            try:
                return etree.fromstring(node.toXMLString().encode("utf-8"))
            except etree.XMLSyntaxError as exc:
                raise UnsupportedFeatureError(f"an unreadable pathway-export annotation on {where}",
                                              hint=str(exc)) from exc
    return None


def texts(node: etree._Element | None, tag: str) -> tuple[str, ...]:
    if node is None:
        return ()
    return tuple(_text_of(e) for e in node.findall(_Q + tag))


def text(node: etree._Element | None, tag: str) -> str | None:
    if node is None:
        return None
    found = node.find(_Q + tag)
    if found is None:
        return None
    return _text_of(found)


def sub(node: etree._Element | None, tag: str) -> etree._Element | None:
    return None if node is None else node.find(_Q + tag)


def subs(node: etree._Element | None, tag: str) -> list[etree._Element]:
    return [] if node is None else node.findall(_Q + tag)


def get_float(node: etree._Element | None, key: str, default: float | None) -> float | None:
    if node is None or node.get(key) is None:
        return default
    return float(node.get(key))


def get_bool(node: etree._Element | None, key: str) -> bool | None:
    value = None if node is None else node.get(key)
    return None if value is None else value == "true"


def tag(name: str) -> str:
    """The qualified tag of ``pe:name``."""
    return _Q + name
