"""Writing SBGN-ML 0.3 Process Description documents, and checking them against the schema.

What a document holds
---------------------
* a ``compartment`` glyph per compartment (its box from the layout), drawn first;
* a glyph per entity, its class from the entity's kind (``macromolecule``, ``simple
  chemical``, ``nucleic acid feature`` with unit of information ``ct:gene`` / ``ct:mRNA``,
  ``complex`` with a subunit glyph per member and ``N:count`` for repeated members), its
  ``compartmentRef``, a ``state variable`` per modification (``P@Y705``), bound small molecule
  or stated activity;
* a ``process`` (``association`` for binding, ``dissociation``) glyph per reaction, with an
  input and an output port, and a ``source and sink`` glyph where it starts from or ends in
  nothing;
* ``consumption`` arcs into the input port, ``production`` arcs out of the output port
  (``cardinality`` for a stoichiometry other than 1), ``necessary stimulation`` from a
  template, ``catalysis`` / ``stimulation`` / ``inhibition`` from controllers.

Ids are the canonical ids (glyphs inside glyphs, ports and arcs derive theirs from them);
element order is model order; numbers are written with two decimals: the same model gives the
same bytes.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from lxml import etree

from ...errors import PathwayExportError, Problem
from ...fsutil import atomic_write_bytes
from ...layout import Glyph, Layout, ENTITY_CLASSES, glyph_class, layout as make_layout, state_variables
from ...model import Model, located

NS = "http://sbgn.org/libsbgn/0.3"
_Q = "{%s}" % NS

MATERIAL_TYPES = {"gene": "ct:gene", "rna": "ct:mRNA", "dna": "mt:DNA"}
"""Unit of information naming the material of a nucleic acid feature."""

ARC_CLASSES = {
    "consumption": "consumption",
    "production": "production",
    "template": "necessary stimulation",
    "catalysis": "catalysis",
    "activation": "stimulation",
    "inhibition": "inhibition",
    "control": "modulation",  # a control whose sign the source does not give
    "participant": "consumption",
}
"""SBGN arc class of each layout arc role (an interaction's participants feed its process)."""

PORT_OFFSET = 10.0


def to_sbgn(model: Model, placed: Layout | None = None) -> bytes:
    """The SBGN-ML document of ``model`` (laid out afresh unless ``placed`` is given)."""
    model = located(model)  # a drawing places every entity in a box
    placed = placed if placed is not None else make_layout(model)
    root = etree.Element(_Q + "sbgn", nsmap={None: NS})
    diagram = etree.SubElement(root, _Q + "map", id=f"{model.id}__map", language="process description")
    _bbox(diagram, 0, 0, placed.width, placed.height)
    names = {c.id: c.name or c.id for c in model.compartments}
    for cid, box in placed.compartments.items():
        g = etree.SubElement(diagram, _Q + "glyph", {"class": "compartment", "id": cid})
        etree.SubElement(g, _Q + "label", text=names[cid])
        _bbox(g, box.x, box.y, box.w, box.h)
    for glyph in placed.glyphs.values():
        if glyph.kind == "entity":
            _entity(diagram, model, glyph)
        elif glyph.kind == "process":
            _process(diagram, model, glyph)
        else:
            g = etree.SubElement(diagram, _Q + "glyph", {"class": "source and sink", "id": glyph.id,
                                                         "compartmentRef": glyph.compartment})
            _bbox(g, glyph.box.x, glyph.box.y, glyph.box.w, glyph.box.h)
    for arc in placed.arcs:
        start, end = arc.start, arc.end
        source, target = arc.source, arc.target
        if arc.role == "production":
            box = placed.glyphs[source].box
            start = (box.x + box.w + PORT_OFFSET, box.cy)
            source = f"{source}__out"
        elif arc.role in ("consumption", "participant"):
            box = placed.glyphs[target].box
            end = (box.x - PORT_OFFSET, box.cy)
            target = f"{target}__in"
        el = etree.SubElement(diagram, _Q + "arc", {"class": ARC_CLASSES[arc.role], "id": arc.id,
                                                    "source": source, "target": target})
        if arc.stoichiometry != 1:
            card = etree.SubElement(el, _Q + "glyph", {"class": "cardinality", "id": f"{arc.id}__cardinality"})
            etree.SubElement(card, _Q + "label", text=f"{arc.stoichiometry:g}")
            _bbox(card, (start[0] + end[0]) / 2 - 8, (start[1] + end[1]) / 2 - 8, 16, 16)
        _point(el, "start", start)
        _point(el, "end", end)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_sbgn(model: Model, path: str | Path) -> Path:
    """Write :func:`to_sbgn` of ``model`` to ``path`` atomically."""
    return atomic_write_bytes(Path(path), to_sbgn(model))


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _bbox(parent, x: float, y: float, w: float, h: float) -> None:
    etree.SubElement(parent, _Q + "bbox", x=_num(x), y=_num(y), w=_num(w), h=_num(h))


def _point(parent, tag: str, xy: tuple[float, float]) -> None:
    etree.SubElement(parent, _Q + tag, x=_num(xy[0]), y=_num(xy[1]))


def _entity(diagram, model: Model, glyph: Glyph) -> None:
    entity = model.entity_by_id[glyph.id]
    kind = model.entity_type(entity)
    g = etree.SubElement(diagram, _Q + "glyph", {"class": glyph_class(model, glyph), "id": glyph.id,
                                                 "compartmentRef": glyph.compartment})
    etree.SubElement(g, _Q + "label", text=glyph.label)
    box = glyph.box
    _bbox(g, box.x, box.y, box.w, box.h)
    _decorations(g, glyph.id, kind, state_variables(model, entity), box)
    for sub in glyph.subunits:
        inner = model.entity_by_id[sub.entity]
        inner_kind = model.entity_type(inner)
        s = etree.SubElement(g, _Q + "glyph", {"class": ENTITY_CLASSES[inner_kind], "id": f"{glyph.id}__{sub.entity}"})
        etree.SubElement(s, _Q + "label", text=sub.label)
        _bbox(s, sub.box.x, sub.box.y, sub.box.w, sub.box.h)
        extra = [(f"N:{sub.count}", None)] if sub.count > 1 else []
        _decorations(s, f"{glyph.id}__{sub.entity}", inner_kind, state_variables(model, inner), sub.box,
                     units=extra)


def _decorations(g, owner: str, kind: str, states: list[tuple[str, str | None]], box,
                 units: list[tuple[str, None]] | None = None) -> None:
    """State variables along the top border, units of information along the bottom one."""
    infos = list(units or [])
    if kind in MATERIAL_TYPES:
        infos.insert(0, (MATERIAL_TYPES[kind], None))
    for row, (items, cls, y) in enumerate(((states, "state variable", box.y - 7),
                                           (infos, "unit of information", box.y + box.h - 7))):
        x = box.x + 6
        for i, (value, variable) in enumerate(items):
            text = f"{value}@{variable}" if variable else value
            w = max(18.0, 6.0 * len(text) + 6)
            child = etree.SubElement(g, _Q + "glyph", {"class": cls, "id": f"{owner}__{'sv' if row == 0 else 'ui'}{i}"})
            if cls == "state variable":
                attrs = {"value": value}
                if variable:
                    attrs["variable"] = variable
                etree.SubElement(child, _Q + "state", attrs)
            else:
                etree.SubElement(child, _Q + "label", text=value)
            _bbox(child, x, y, w, 14)
            x += w + 4


def _process(diagram, model: Model, glyph: Glyph) -> None:
    r = model.reaction_by_id[glyph.id]
    g = etree.SubElement(diagram, _Q + "glyph", {"class": glyph_class(model, glyph), "id": r.id,
                                                 "compartmentRef": glyph.compartment})
    box = glyph.box
    _bbox(g, box.x, box.y, box.w, box.h)
    etree.SubElement(g, _Q + "port", id=f"{r.id}__in", x=_num(box.x - PORT_OFFSET), y=_num(box.cy))
    etree.SubElement(g, _Q + "port", id=f"{r.id}__out", x=_num(box.x + box.w + PORT_OFFSET), y=_num(box.cy))


# --------------------------------------------------------------------------- the schema

def schema() -> etree.XMLSchema:
    """The SBGN-ML 0.3 XML Schema, as shipped with libsbgnpy (a test dependency).

    Raises :class:`PathwayExportError` when libsbgnpy is not installed.
    """
    try:
        folder = files("libsbgnpy") / "schema"
    except ModuleNotFoundError as exc:
        raise PathwayExportError("the SBGN-ML schema ships with libsbgnpy, which is not installed "
                                 "(pip install libsbgnpy)") from exc
    with open(str(folder / "SBGN.xsd"), "rb") as handle:  # a real file: render.xsd is found beside it
        doc = etree.parse(handle, base_url=str(folder / "SBGN.xsd"))
    return etree.XMLSchema(doc)


def schema_problems(data: bytes) -> list[Problem]:
    """What the SBGN-ML schema says about ``data``, one problem per error, with its line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        doc = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        return [Problem(f"not well-formed XML: {exc.msg}", line=exc.lineno)]
    checker = schema()
    if checker.validate(doc):
        return []
    return [Problem(e.message, line=e.line, hint="see the SBGN-ML 0.3 schema") for e in checker.error_log]
