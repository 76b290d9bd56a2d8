"""Parsing BioPAX Level 3 RDF/XML into objects indexed by URI (no interpretation).

Secure lxml settings (no DTD, no entity expansion, no network, no huge trees); a DOCTYPE that
declares entities is refused by name. Comments and processing instructions are dropped,
``rdf:about``/``rdf:ID``/``rdf:nodeID``/``rdf:resource`` are resolved against ``xml:base``,
nested objects are followed, and elements outside the BioPAX namespace are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit, uses_netloc, uses_relative

from lxml import etree

from ...errors import FormatError, Problem, UnsupportedFeatureError
from .terms import BP, BP_L1, BP_L2, RDF, XML


class Ref(NamedTuple):
    """A property value that names another object."""

    uri: str


class Node:
    """One BioPAX object: its class, URI, source line and property values in document order.

    ``props`` maps each property to its values (``str`` literals and :class:`Ref` references)
    in document order; ``read`` holds the properties a reader asked for: what is left is what
    it did not take (see ``unread``). Equality and ``repr`` cover class, URI, line and values.
    """

    __slots__ = ("cls", "uri", "line", "props", "read")

    def __init__(self, cls: str, uri: str, line: int | None, props: dict[str, list] | None = None,
                 read: set[str] | None = None):
        self.cls = cls
        self.uri = uri
        self.line = line
        self.props = {} if props is None else props
        self.read = set() if read is None else read

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.cls, self.uri, self.line, self.props) == (other.cls, other.uri, other.line, other.props)

    __hash__ = None  # mutable, compared by value

    def __repr__(self) -> str:
        return f"Node(cls={self.cls!r}, uri={self.uri!r}, line={self.line!r}, props={self.props!r})"

    def lits(self, prop: str) -> list[str]:
        self.read.add(prop)
        values = self.props.get(prop)
        if not values:
            return []
        return [v for v in values if isinstance(v, str)]

    def lit(self, prop: str) -> str | None:
        self.read.add(prop)
        values = self.props.get(prop)
        if values:
            for v in values:
                if isinstance(v, str):
                    return v
        return None

    def refs(self, prop: str) -> list[str]:
        self.read.add(prop)
        values = self.props.get(prop)
        if not values:
            return []
        if len(values) == 1:
            value = values[0]
            return [value.uri] if value.__class__ is Ref else []
        return [v.uri for v in values if v.__class__ is Ref]

    def unread(self) -> list[str]:
        """Properties present on this object that no reader asked for."""
        return [prop for prop in self.props if prop not in self.read]


@dataclass
class Document:
    """A parsed BioPAX document: objects by URI, in document order."""

    base: str
    nodes: dict[str, Node]
    source: str

    def of(self, *classes: str) -> list[Node]:
        wanted = set(classes)
        return [n for n in self.nodes.values() if n.cls in wanted]


# --------------------------------------------------------------------------- parsing

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


_ABOUT, _ID, _NODE_ID, _RESOURCE = (f"{{{RDF}}}{name}" for name in ("about", "ID", "nodeID", "resource"))
_XML_BASE = f"{{{XML}}}base"
_UNSEEN = object()


class _Resolver:
    """``urljoin(base, value)``, with the same results, at a dictionary access per value.

    Documents name every object by URI, so a document of 50,000 reactions resolves some
    600,000 values against the same base. Two forms need no parsing, because ``urljoin``
    returns them as a function of the base alone: ``#fragment`` (the base without its
    fragment, then the value) and an absolute URI of the base's scheme with a plain host and
    path (no query, fragment, parameters, whitespace or brackets, which ``urljoin`` would
    normalise). Everything else goes through ``urljoin``; every result is kept per value.
    """

    def __init__(self, base: str):
        self.base = base
        self.cache: dict[str, str] = {}
        self.fragment_prefix: str | None = None
        self.absolute = None
        if base:
            probe = urljoin(base, "#x")
            if probe.endswith("#x"):
                self.fragment_prefix = probe[:-2]
            scheme = urlsplit(base).scheme
            if scheme and scheme in uses_relative and scheme in uses_netloc:
                self.absolute = re.compile(re.escape(scheme) + r"://[A-Za-z0-9._~:@!$&'()*+,=%-]+"
                                           r"(?:/[^?#;\t\r\n]*)?").fullmatch

    def __call__(self, value: str) -> str:
        resolved = self.cache.get(value)
        if resolved is not None:
            return resolved
        if not self.base:
            resolved = value
        elif (value[:1] == "#" and len(value) > 1 and self.fragment_prefix is not None
              and "\t" not in value and "\r" not in value and "\n" not in value):
            resolved = self.fragment_prefix + value
        elif self.absolute is not None and self.absolute(value) is not None:
            resolved = value
        else:
            resolved = urljoin(self.base, value)
        self.cache[value] = resolved
        return resolved


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           remove_comments=True, remove_pis=True, dtd_validation=False)


def parse_document(data: bytes, source: str = "<bytes>", check_references: bool = True) -> Document:
    """Parse and index a BioPAX Level 3 document; refuse other levels and unsafe XML.

    Raises :class:`FormatError` for XML that is not well formed, not RDF, or whose references
    dangle (every one listed), :class:`UnsupportedFeatureError` for BioPAX Level 1 or 2.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    doctype = _DOCTYPE.search(data)
    if doctype is not None:
        entity = _ENTITY.search(data, doctype.start())
        if entity is not None:
            line = data.count(b"\n", 0, entity.start()) + 1
            raise FormatError([Problem(
                "the DOCTYPE declares an ENTITY; entity declarations are refused (they allow "
                "external-entity reads and entity-expansion bombs)", where="<!DOCTYPE>", line=line,
                source=source, hint="remove the DOCTYPE: BioPAX needs none")], source)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        hint = None
        if "encoding" in message.lower() or "utf-8" in message.lower():
            hint = ("the bytes do not match the declared encoding (e.g. a Latin-1 byte in a file "
                    "declared UTF-8); re-encode the file as UTF-8")
        line, column = (exc.position if getattr(exc, "position", None) else (None, None))
        raise FormatError([Problem(f"not well-formed XML: {message}", line=line, column=column,
                                   source=source, hint=hint)], source) from exc
    _refuse_other_levels(root, source)
    if root.tag != f"{{{RDF}}}RDF":
        raise FormatError([Problem(f"the root element is {root.tag!r}, not rdf:RDF", line=root.sourceline,
                                   source=source, hint="BioPAX documents are RDF/XML")], source)
    base = root.get(_XML_BASE) or ""
    nodes: dict[str, Node] = {}
    problems: list[Problem] = []
    counter = [0]
    resolve = _Resolver(base)
    local_of: dict = {}  # tag -> its BioPAX local name, or None outside BioPAX (one QName per tag)
    refs: dict[str, Ref] = {}  # rdf:resource value -> its Ref, resolved once and shared
    local_get = local_of.get
    refs_get = refs.get
    unseen = _UNSEEN
    resource_key = _RESOURCE

    def bp_local(tag) -> str | None:
        local = None
        if isinstance(tag, str):
            qname = etree.QName(tag)
            if qname.namespace == BP:
                local = qname.localname
        local_of[tag] = local
        return local

    def read_node(el, cls: str) -> str:
        about = el.get(_ABOUT)
        if about is not None:
            uri = resolve(about)
        elif (ident := el.get(_ID)) is not None:
            uri = resolve("#" + ident)
        elif (node_id := el.get(_NODE_ID)) is not None:
            uri = "_:" + node_id
        else:
            counter[0] += 1
            uri = f"_:b{counter[0]}"
        node = nodes.get(uri)
        if node is None:
            node = nodes[uri] = Node(cls, uri, el.sourceline)
        elif node.cls != cls:
            problems.append(Problem(f"{uri} is declared both as {node.cls} and as {cls}",
                                    where=f"<bp:{cls}>", line=el.sourceline, source=source))
        props = node.props
        props_get = props.get
        for prop in el:
            tag = prop.tag
            pname = local_get(tag, unseen)
            if pname is unseen:
                pname = bp_local(tag)
            if pname is None:
                continue  # comments, other vocabularies (SBPAX, ...): not BioPAX
            resource = prop.get(resource_key)
            if resource is not None:
                value = refs_get(resource)
                if value is None:
                    value = refs[resource] = Ref(resolve(resource))
                values = props_get(pname)
                if values is None:
                    props[pname] = [value]
                else:
                    values.append(value)
                continue
            if len(prop):
                children = [c for c in prop if isinstance(c.tag, str)]
                if children:
                    values = props_get(pname)
                    if values is None:
                        values = props[pname] = []
                    for child in children:
                        cls_ = local_get(child.tag, unseen)
                        if cls_ is unseen:
                            cls_ = bp_local(child.tag)
                        if cls_ is not None:
                            values.append(Ref(read_node(child, cls_)))
                    continue
            value = prop.text or ""
            values = props_get(pname)
            if values is None:
                props[pname] = [value]
            else:
                values.append(value)
        return uri

    for el in root:
        tag = el.tag
        cls = local_get(tag, unseen)
        if cls is unseen:
            cls = bp_local(tag)
        if cls is not None:
            read_node(el, cls)
    if not nodes:
        raise FormatError([Problem("the document holds no BioPAX Level 3 object", source=source,
                                   hint=f"BioPAX Level 3 elements are in the namespace {BP}")], source)
    document = Document(base, nodes, source)
    if check_references and any(ref.uri not in nodes for ref in refs.values()):
        # nested objects are always defined: only rdf:resource references can dangle
        problems += dangling_references(document)
    if problems:
        raise FormatError(problems, source)
    return document


def dangling_references(doc: Document) -> list[Problem]:
    """A problem per reference to an object the document does not define."""
    problems = []
    for node in doc.nodes.values():
        for prop, values in node.props.items():
            for v in values:
                if isinstance(v, Ref) and v.uri not in doc.nodes:
                    problems.append(Problem(
                        f"refers to {v.uri}, which the document does not define",
                        where=f"<bp:{node.cls} {node.uri}>.{prop}", line=node.line, source=doc.source,
                        hint="add the object or remove the reference (dangling reference)"))
    return problems


def _refuse_other_levels(root, source: str) -> None:
    namespaces = set(root.nsmap.values())
    if BP in namespaces:
        return  # a Level 3 document, whatever else it declares
    seen_tags = set()
    for el in root.iter():
        tag = el.tag
        if tag in seen_tags:
            continue
        seen_tags.add(tag)
        if isinstance(tag, str) and tag.startswith("{"):
            namespaces.add(tag[1:].split("}", 1)[0])
            if BP in namespaces:
                return
        if len(namespaces) > 12:
            break
    for ns, level in ((BP_L2, "Level 2"), (BP_L1, "Level 1")):
        if ns in namespaces and BP not in namespaces:
            raise UnsupportedFeatureError(
                f"BioPAX {level} (namespace {ns})", element=source,
                hint="convert it to Level 3 first (Paxtools: toLevel3)")
