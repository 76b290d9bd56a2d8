"""SBML with the diagram: the core document plus the layout and render packages.

An optional export for CellDesigner, COPASI and Newt users who want to open the model with
its picture: the SBML of :mod:`pathway_export.formats.sbml` unchanged, with one
``layout:layout`` holding the glyphs of :mod:`pathway_export.layout` (a compartment glyph
per compartment, a species glyph and a text glyph per drawn entity, a reaction glyph per
reaction with a species reference glyph per reactant, product and modifier, in their SBGN
roles) and a local ``render`` style per kind of glyph, coloured as the SVG drawing. Empty
sets (sources and sinks) are not species: SBML layout draws no glyph for them. Both
packages are marked not required, so a tool without them reads the model as it is.
"""

from __future__ import annotations

from pathlib import Path

import libsbml

from ...errors import Problem, WriteError
from ...fsutil import atomic_write_bytes
from ...layout import Layout, glyph_class, layout as make_layout
from ...model import Model
from ..sbml import check_consistency, to_sbml

__all__ = ["to_sbml_layout", "write_sbml_layout", "sbml_layout_problems"]

ROLES = {
    "consumption": libsbml.SPECIES_ROLE_SUBSTRATE,
    "production": libsbml.SPECIES_ROLE_PRODUCT,
    "template": libsbml.SPECIES_ROLE_MODIFIER,
    "catalysis": libsbml.SPECIES_ROLE_MODIFIER,
    "activation": libsbml.SPECIES_ROLE_ACTIVATOR,
    "inhibition": libsbml.SPECIES_ROLE_INHIBITOR,
    "control": libsbml.SPECIES_ROLE_MODIFIER,
    "participant": libsbml.SPECIES_ROLE_SIDESUBSTRATE,
}
"""SBML layout role of each layout arc role."""

FILLS = {
    "compartment": "#f7f7f2", "macromolecule": "#e3f0fb", "simple chemical": "#eaf7e4",
    "nucleic acid feature": "#fdf1d8", "complex": "#f1e9f7", "unspecified entity": "#ffffff",
}


def _check(ret: int | bool | None, what: str) -> None:
    """Raise when a libsbml setter reports failure: a status code, or ``False`` from the
    render setters that answer with a flag (some layout setters report nothing)."""
    if ret is None or ret is True:
        return
    if ret is False:
        raise WriteError(f"libsbml could not set {what}")
    if ret != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise WriteError(f"libsbml could not set {what}: {libsbml.OperationReturnValue_toString(ret)}")


def to_sbml_layout(model: Model, placed: Layout | None = None) -> bytes:
    """The SBML document of ``model`` with its diagram in the layout and render packages."""
    placed = placed if placed is not None else make_layout(model)
    doc = libsbml.readSBMLFromString(to_sbml(model).decode("utf-8"))
    level, version = doc.getLevel(), doc.getVersion()
    for package, uri in (("layout", libsbml.LayoutExtension.getXmlnsL3V1V1()),
                         ("render", libsbml.RenderExtension.getXmlnsL3V1V1())):
        _check(doc.enablePackage(uri, package, True), f"the {package} package")
        _check(doc.setPackageRequired(package, False), f"the required flag of the {package} package")
    ns = libsbml.LayoutPkgNamespaces(level, version)
    lay = doc.getModel().getPlugin("layout").createLayout()
    _check(lay.setId(f"{model.id}__diagram"), "the layout id")
    _check(lay.setDimensions(libsbml.Dimensions(ns, placed.width, placed.height)), "the layout size")

    def box(ident: str, b) -> libsbml.BoundingBox:
        return libsbml.BoundingBox(ns, ident, round(b.x, 2), round(b.y, 2), round(b.w, 2), round(b.h, 2))

    for cid, b in placed.compartments.items():
        g = lay.createCompartmentGlyph()
        _check(g.setId(f"{cid}__glyph"), f"the glyph of compartment '{cid}'")
        _check(g.setCompartmentId(cid), f"the glyph of compartment '{cid}'")
        _check(g.setBoundingBox(box(f"{cid}__bb", b)), f"the box of compartment '{cid}'")
    drawn: dict[str, str] = {}
    for glyph in placed.glyphs.values():
        if glyph.kind != "entity":
            continue
        g = lay.createSpeciesGlyph()
        gid = f"{glyph.id}__glyph"
        _check(g.setId(gid), f"the glyph of '{glyph.id}'")
        _check(g.setSpeciesId(glyph.id), f"the glyph of '{glyph.id}'")
        _check(g.setBoundingBox(box(f"{glyph.id}__bb", glyph.box)), f"the box of '{glyph.id}'")
        drawn[glyph.id] = gid
        t = lay.createTextGlyph()
        _check(t.setId(f"{glyph.id}__text"), f"the label of '{glyph.id}'")
        _check(t.setGraphicalObjectId(gid), f"the label of '{glyph.id}'")
        _check(t.setOriginOfTextId(glyph.id), f"the label of '{glyph.id}'")
        _check(t.setBoundingBox(box(f"{glyph.id}__text_bb", glyph.box)), f"the label box of '{glyph.id}'")
    arcs_of: dict[str, list] = {}
    for arc in placed.arcs:
        arcs_of.setdefault(arc.target if arc.role != "production" else arc.source, []).append(arc)
    for glyph in placed.glyphs.values():
        if glyph.kind != "process":
            continue
        r = lay.createReactionGlyph()
        _check(r.setId(f"{glyph.id}__glyph"), f"the glyph of reaction '{glyph.id}'")
        _check(r.setReactionId(glyph.id), f"the glyph of reaction '{glyph.id}'")
        _check(r.setBoundingBox(box(f"{glyph.id}__bb", glyph.box)), f"the box of reaction '{glyph.id}'")
        b = glyph.box
        _segment(r.getCurve(), ns, (b.x, b.cy), (b.x + b.w, b.cy))
        for i, arc in enumerate(arcs_of.get(glyph.id, [])):
            entity = arc.source if arc.role != "production" else arc.target
            if entity not in drawn:  # an empty set
                continue
            s = r.createSpeciesReferenceGlyph()
            _check(s.setId(f"{glyph.id}__ref{i}"), f"a participant glyph of reaction '{glyph.id}'")
            _check(s.setSpeciesGlyphId(drawn[entity]), f"a participant glyph of reaction '{glyph.id}'")
            _check(s.setRole(ROLES[arc.role]), f"the role of '{entity}' in reaction '{glyph.id}'")
            _segment(s.getCurve(), ns, arc.start, arc.end)
    _render(lay, model, placed)
    text = libsbml.writeSBMLToString(doc)
    if not text:
        raise WriteError(f"libsbml wrote no document for '{model.id}' with its layout")
    return text.encode("utf-8")


def _segment(curve, ns, start: tuple[float, float], end: tuple[float, float]) -> None:
    seg = curve.createLineSegment()
    _check(seg.setStart(libsbml.Point(ns, round(start[0], 2), round(start[1], 2))), "a curve's start")
    _check(seg.setEnd(libsbml.Point(ns, round(end[0], 2), round(end[1], 2))), "a curve's end")


def _render(lay, model: Model, placed: Layout) -> None:
    """One local render information: a style per SBGN class, applied by glyph id."""
    plugin = lay.getPlugin("render")
    info = plugin.createLocalRenderInformation()
    _check(info.setId(f"{model.id}__style"), "the render information id")
    for name, colour in (("black", "#222222"), *((f"fill_{k.replace(' ', '_')}", v) for k, v in FILLS.items())):
        c = info.createColorDefinition()
        _check(c.setId(name), f"colour '{name}'")
        _check(c.setColorValue(colour), f"colour '{name}'")
    by_class: dict[str, list[str]] = {"compartment": [f"{cid}__glyph" for cid in placed.compartments]}
    for g in placed.glyphs.values():
        if g.kind == "entity":
            by_class.setdefault(glyph_class(model, g), []).append(f"{g.id}__glyph")
    for cls, ids in by_class.items():
        style = info.createStyle(f"style_{cls.replace(' ', '_')}")
        for gid in ids:
            style.addId(gid)
        group = style.getGroup()
        _check(group.setStroke("black"), f"the stroke of {cls}")
        _check(group.setStrokeWidth(4.0 if cls == "compartment" else 1.2), f"the stroke width of {cls}")
        shape = group.createRectangle()
        _check(shape.setCoordinatesAndSize(libsbml.RelAbsVector(0, 0), libsbml.RelAbsVector(0, 0),
                                           libsbml.RelAbsVector(0, 0), libsbml.RelAbsVector(0, 100),
                                           libsbml.RelAbsVector(0, 100)), f"the shape of {cls}")
        corner = 14 if cls == "compartment" else 8 if cls in ("macromolecule", "complex") else 0
        if cls == "simple chemical":
            corner = 50
        shape.setRadiusX(libsbml.RelAbsVector(0, corner) if cls == "simple chemical" else libsbml.RelAbsVector(corner, 0))
        shape.setRadiusY(libsbml.RelAbsVector(0, corner) if cls == "simple chemical" else libsbml.RelAbsVector(corner, 0))
        _check(shape.setFill(f"fill_{cls.replace(' ', '_')}"), f"the fill of {cls}")


def write_sbml_layout(model: Model, path: str | Path) -> Path:
    """Write :func:`to_sbml_layout` of ``model`` to ``path`` atomically."""
    return atomic_write_bytes(Path(path), to_sbml_layout(model))


def sbml_layout_problems(data: bytes) -> list[Problem]:
    """libsbml's warnings and errors on the document, the layout and render packages' included."""
    return [Problem(f"[{f.rule}] {f.message}", where=f.element, line=f.line)
            for f in check_consistency(data, source="layout") if f.severity in ("error", "warning")]
