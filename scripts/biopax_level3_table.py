"""Write ``pathway_export/formats/biopax/level3.py``: the BioPAX Level 3 ontology as tables.

The source is the BioPAX Level 3 OWL specification, ``biopax-level3.owl`` (release 1.0, the
file Paxtools ships in its jar as ``org/biopax/paxtools/model/biopax-level3.owl``). By default
the file is taken from the Paxtools jar of the ``paxtools`` package (a test dependency); give a
path to use another copy::

    python scripts/biopax_level3_table.py [biopax-level3.owl | paxtools.jar]

The OWL file is read as RDF triples (a small RDF/XML reader: node and property elements,
``rdf:parseType`` Resource and Collection, ``rdf:first``/``rdf:rest`` lists) and reduced to
facts: each class with its direct superclasses and its property restrictions (cardinalities,
``allValuesFrom``, ``hasValue``), each property with its kind, domain, range, enumerated values
and characteristics (functional, symmetric, inverse functional, super-properties). The output
is deterministic (sorted), so a rerun on the same file gives the same bytes; a test compares
the committed table with a fresh run.
"""

from __future__ import annotations

import argparse
import pprint
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

from lxml import etree

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BP = "http://www.biopax.org/release/biopax-level3.owl#"
JAR_MEMBER = "org/biopax/paxtools/model/biopax-level3.owl"
OUTPUT = Path(__file__).resolve().parent.parent / "pathway_export" / "formats" / "biopax" / "level3.py"


class Literal(str):
    """An RDF literal (its datatype is not needed for the tables)."""


class Graph:
    """RDF triples of an RDF/XML document: ``objects[subject][predicate] -> [object, ...]``."""

    def __init__(self):
        self.objects: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self._blank = 0

    def add(self, subject: str, predicate: str, obj) -> None:
        self.objects[subject][predicate].append(obj)

    def blank(self) -> str:
        self._blank += 1
        return f"_:b{self._blank}"

    def one(self, subject: str, predicate: str):
        values = self.objects.get(subject, {}).get(predicate, [])
        return values[0] if values else None

    def all(self, subject: str, predicate: str) -> list:
        return list(self.objects.get(subject, {}).get(predicate, []))

    def types(self, subject: str) -> set[str]:
        return set(self.all(subject, RDF + "type"))

    def items(self, head: str) -> list:
        """The members of an RDF list (``rdf:first``/``rdf:rest`` ... ``rdf:nil``)."""
        members = []
        while head and head != RDF + "nil":
            members.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return members


def read_rdfxml(data: bytes) -> Graph:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True,
                                                   remove_comments=True))
    base = root.get("{http://www.w3.org/XML/1998/namespace}base", "")
    graph = Graph()

    def resolve(value: str) -> str:
        if value.startswith("#"):
            return base + value
        return value

    def node(el) -> str:
        if el.get(f"{{{RDF}}}about") is not None:
            subject = resolve(el.get(f"{{{RDF}}}about"))
        elif el.get(f"{{{RDF}}}ID") is not None:
            subject = base + "#" + el.get(f"{{{RDF}}}ID")
        elif el.get(f"{{{RDF}}}nodeID") is not None:
            subject = "_:" + el.get(f"{{{RDF}}}nodeID")
        else:
            subject = graph.blank()
        if el.tag != f"{{{RDF}}}Description":
            graph.add(subject, RDF + "type", el.tag[1:].replace("}", ""))
        properties(subject, el)
        return subject

    def properties(subject: str, el) -> None:
        for prop in el:
            if not isinstance(prop.tag, str):
                continue
            predicate = prop.tag[1:].replace("}", "")
            parse_type = prop.get(f"{{{RDF}}}parseType")
            children = [c for c in prop if isinstance(c.tag, str)]
            if prop.get(f"{{{RDF}}}resource") is not None:
                graph.add(subject, predicate, resolve(prop.get(f"{{{RDF}}}resource")))
            elif parse_type == "Resource":
                blank = graph.blank()
                properties(blank, prop)
                graph.add(subject, predicate, blank)
            elif parse_type == "Collection":
                head = RDF + "nil"
                for child in reversed(children):
                    cell = graph.blank()
                    graph.add(cell, RDF + "first", node(child))
                    graph.add(cell, RDF + "rest", head)
                    head = cell
                graph.add(subject, predicate, head)
            elif children:
                for child in children:
                    graph.add(subject, predicate, node(child))
            else:
                graph.add(subject, predicate, Literal(prop.text or ""))

    for el in root:
        if isinstance(el.tag, str):
            node(el)
    return graph


def local(uri: str) -> str:
    """A BioPAX name without its namespace; XML Schema datatypes as ``xsd:name``."""
    if uri.startswith(BP):
        return uri[len(BP):]
    if uri.startswith(XSD):
        return "xsd:" + uri[len(XSD):]
    raise ValueError(f"unexpected name outside BioPAX and XML Schema: {uri}")


def class_set(graph: Graph, ref: str) -> list[str]:
    """A named class, or the members of an ``owl:unionOf`` class expression."""
    union = graph.one(ref, OWL + "unionOf")
    if union is not None:
        return sorted(local(member) for member in graph.items(union))
    return [local(ref)]


def value_range(graph: Graph, ref: str) -> dict:
    """A property's or restriction's range: classes, a datatype, or enumerated literals."""
    one_of = graph.one(ref, OWL + "oneOf")
    if one_of is not None:
        return {"values": sorted(str(v) for v in graph.items(one_of))}
    if ref.startswith(XSD):
        return {"datatype": local(ref)}
    return {"classes": class_set(graph, ref)}


def restriction(graph: Graph, ref: str) -> dict:
    """One ``owl:Restriction``: its property and what it requires of the property's values."""
    onto = graph.one(ref, OWL + "onProperty")
    if onto is None:
        raise ValueError(f"a class expression that is not a restriction: {dict(graph.objects[ref])}")
    fact = {"property": local(onto)}
    for kind in ("cardinality", "minCardinality", "maxCardinality"):
        value = graph.one(ref, OWL + kind)
        if value is not None:
            fact[kind] = int(value)
    if (target := graph.one(ref, OWL + "allValuesFrom")) is not None:
        fact["all_values_from"] = value_range(graph, target)
    if (target := graph.one(ref, OWL + "someValuesFrom")) is not None:
        fact["some_values_from"] = value_range(graph, target)
    if (value := graph.one(ref, OWL + "hasValue")) is not None:
        fact["has_value"] = str(value)
    return fact


def tables(graph: Graph) -> tuple[dict, dict]:
    classes: dict[str, dict] = {}
    properties: dict[str, dict] = {}
    for subject, predicates in sorted(graph.objects.items()):
        if not subject.startswith(BP):
            continue
        types = graph.types(subject)
        name = local(subject)
        if OWL + "Class" in types:
            supers, restrictions = [], []
            for parent in graph.all(subject, RDFS + "subClassOf"):
                if parent.startswith(BP):
                    supers.append(local(parent))
                    continue
                union = graph.one(parent, OWL + "unionOf")
                if union is not None:  # at least one of several restrictions holds
                    alternatives = [restriction(graph, r) for r in graph.items(union)]
                    restrictions.append({"property": alternatives[0]["property"], "any_of": alternatives})
                else:
                    restrictions.append(restriction(graph, parent))
            classes[name] = {
                "superclasses": sorted(supers),
                "restrictions": sorted(restrictions, key=lambda r: (r["property"], sorted(r))),
            }
        kinds = {OWL + "ObjectProperty": "object", OWL + "DatatypeProperty": "datatype"}
        kind = next((kinds[t] for t in sorted(types) if t in kinds), None)
        if kind is not None:
            domain = [c for ref in graph.all(subject, RDFS + "domain") for c in class_set(graph, ref)]
            ranges = [value_range(graph, ref) for ref in graph.all(subject, RDFS + "range")]
            if len(ranges) > 1:
                raise ValueError(f"{name} has {len(ranges)} ranges; the table holds one")
            properties[name] = {
                "kind": kind,
                "domain": sorted(domain),
                "range": ranges[0] if ranges else {},
                "functional": OWL + "FunctionalProperty" in types,
                "inverse_functional": OWL + "InverseFunctionalProperty" in types,
                "symmetric": OWL + "SymmetricProperty" in types,
                "superproperties": sorted(local(p) for p in graph.all(subject, RDFS + "subPropertyOf")),
            }
    return classes, properties


HEADER = '''"""The BioPAX Level 3 ontology as tables (generated: do not edit).

Written by ``scripts/biopax_level3_table.py`` from the BioPAX Level 3 OWL specification
(``biopax-level3.owl``, release 1.0, http://www.biopax.org/release/biopax-level3.owl) as shipped
in the Paxtools jar. Facts only: class and property names, the class hierarchy, each property's
kind, domain, range, enumerated values and characteristics, and each class's restrictions.

``CLASSES[name]``: ``superclasses`` (direct, named) and ``restrictions`` (each on a
``property``, with ``cardinality`` / ``minCardinality`` / ``maxCardinality``,
``all_values_from`` or ``has_value``; or ``any_of``: a list of such restrictions, at least one of
which must hold). ``PROPERTIES[name]``: ``kind`` (``object`` or
``datatype``), ``domain`` (classes; a value is allowed on their subclasses too), ``range``
(``classes``, ``datatype`` as ``xsd:...``, or enumerated ``values``), ``functional`` (at most
one value), ``inverse_functional``, ``symmetric`` and ``superproperties``.
"""

'''


def render(classes: dict, properties: dict) -> str:
    def block(name: str, value: dict) -> str:
        return f"{name} = {pprint.pformat(value, width=100, sort_dicts=True)}\n"

    return HEADER + block("CLASSES", classes) + "\n" + block("PROPERTIES", properties)


def owl_bytes(path: Path | None) -> bytes:
    if path is None:
        import paxtools  # the PyPI package bundles the Paxtools jar

        jars = sorted(Path(paxtools.__file__).parent.rglob("paxtools*.jar"))
        if not jars:
            raise SystemExit("no Paxtools jar found in the paxtools package; give the OWL file's path")
        path = jars[0]
    if path.suffix == ".jar":
        with zipfile.ZipFile(path) as jar:
            return jar.read(JAR_MEMBER)
    return path.read_bytes()


def generate(path: Path | None = None) -> str:
    """The text of the table module, from the OWL file (or jar) at ``path``."""
    return render(*tables(read_rdfxml(owl_bytes(path))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, help="biopax-level3.owl or a Paxtools jar")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    args.output.write_text(generate(args.source), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
