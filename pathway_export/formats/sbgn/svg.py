"""Drawing SBGN-ML Process Description documents as SVG.

A small renderer of the glyph and arc classes :mod:`.writer` produces, following the shapes
of the SBGN PD Level 1 specification: compartments as thick rounded boxes, macromolecules as
rounded rectangles, simple chemicals as stadiums, nucleic acid features with a rounded
bottom, complexes with cut corners, state variables as small stadiums on the border, units
of information as small boxes, process squares, association (filled) and dissociation
(double) circles, source and sink as a crossed circle; arcs with the arrowheads of their
class. Any other glyph class is drawn as a plain box with its label, so nothing is lost.
The output depends on the input bytes only.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from ...errors import Problem
from ...fsutil import atomic_write_bytes
from ...layout import label_lines
from .writer import NS

_Q = "{%s}" % NS
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
MARK = "pathway-export-sbgn"
"""The ``class`` of our drawings' root: how ``validate`` tells them from any other SVG."""

_MARKERS = """<defs>
<marker id="production" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#222"/></marker>
<marker id="stimulation" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#fff" stroke="#222"/></marker>
<marker id="catalysis" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto"><circle cx="5" cy="5" r="4.2" fill="#fff" stroke="#222"/></marker>
<marker id="inhibition" viewBox="0 0 4 12" refX="3" refY="6" markerWidth="4" markerHeight="12" orient="auto"><path d="M3,0 L3,12" stroke="#222" stroke-width="2"/></marker>
<marker id="necessary-stimulation" viewBox="0 0 14 12" refX="14" refY="6" markerWidth="12" markerHeight="11" orient="auto"><path d="M1,0 L1,12" stroke="#222" stroke-width="1.5"/><path d="M4,1 L14,6 L4,11 z" fill="#fff" stroke="#222"/></marker>
<marker id="modulation" viewBox="0 0 12 12" refX="12" refY="6" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,6 L6,0 L12,6 L6,12 z" fill="#fff" stroke="#222"/></marker>
</defs>"""

_ARC_MARKERS = {
    "production": "production", "stimulation": "stimulation", "catalysis": "catalysis",
    "inhibition": "inhibition", "necessary stimulation": "necessary-stimulation",
    "modulation": "modulation", "absolute stimulation": "stimulation", "absolute inhibition": "inhibition",
}

_FILLS = {
    "compartment": "#f7f7f2", "macromolecule": "#e3f0fb", "simple chemical": "#eaf7e4",
    "nucleic acid feature": "#fdf1d8", "complex": "#f1e9f7", "source and sink": "#ffffff",
}


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _box(el) -> tuple[float, float, float, float]:
    b = el.find(_Q + "bbox")
    return float(b.get("x")), float(b.get("y")), float(b.get("w")), float(b.get("h"))


def _text(out: list[str], x: float, y: float, text: str, size: float = 11, anchor: str = "middle",
          weight: str = "normal") -> None:
    out.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
               f'font-weight="{weight}">{escape(text)}</text>')


def _label(out: list[str], el, x: float, y: float, w: float, h: float, top: bool = False) -> None:
    label = el.find(_Q + "label")
    if label is None or not label.get("text"):
        return
    lines = label_lines(label.get("text"), max(4, int(w / 6.6) - 1))
    if top:
        for i, line in enumerate(lines[:1]):
            _text(out, x + w / 2, y + 13 + 12 * i, line, 11)
        return
    first = y + h / 2 - 6 * (len(lines) - 1) + 4
    for i, line in enumerate(lines):
        _text(out, x + w / 2, first + 12 * i, line)


def _shape(out: list[str], cls: str, x: float, y: float, w: float, h: float, fill: str | None = None) -> None:
    fill = fill or _FILLS.get(cls, "#ffffff")
    style = f'fill="{fill}" stroke="#222" stroke-width="1.2"'
    if cls == "compartment":
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="14" '
                   f'fill="{fill}" fill-opacity="0.55" stroke="#777" stroke-width="4"/>')
    elif cls in ("macromolecule", "unit of information"):
        r = 8 if cls == "macromolecule" else 0
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{r}" {style}/>')
    elif cls in ("simple chemical", "state variable"):
        r = min(w, h) / 2
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{_n(r)}" {style}/>')
    elif cls == "nucleic acid feature":
        r = min(8.0, h / 3)
        out.append(f'<path d="M{_n(x)},{_n(y)} H{_n(x + w)} V{_n(y + h - r)} Q{_n(x + w)},{_n(y + h)} '
                   f'{_n(x + w - r)},{_n(y + h)} H{_n(x + r)} Q{_n(x)},{_n(y + h)} {_n(x)},{_n(y + h - r)} Z" {style}/>')
    elif cls == "complex":
        c = min(10.0, h / 4, w / 4)
        out.append(f'<path d="M{_n(x + c)},{_n(y)} H{_n(x + w - c)} L{_n(x + w)},{_n(y + c)} V{_n(y + h - c)} '
                   f'L{_n(x + w - c)},{_n(y + h)} H{_n(x + c)} L{_n(x)},{_n(y + h - c)} V{_n(y + c)} Z" {style}/>')
    elif cls in ("association", "dissociation", "source and sink"):
        cx, cy, r = x + w / 2, y + h / 2, min(w, h) / 2
        if cls == "association":
            out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="#222" stroke="#222"/>')
        elif cls == "dissociation":
            out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" {style}/>')
            out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r * 0.55)}" fill="none" stroke="#222"/>')
        else:
            out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" {style}/>')
            out.append(f'<path d="M{_n(cx - r)},{_n(cy + r)} L{_n(cx + r)},{_n(cy - r)}" stroke="#222"/>')
    else:  # process, omitted/uncertain process and anything else: a square or box
        out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" {style}/>')


def _glyph(out: list[str], el) -> None:
    cls = el.get("class")
    x, y, w, h = _box(el)
    _shape(out, cls, x, y, w, h)
    for port in el.findall(_Q + "port"):
        px, py = float(port.get("x")), float(port.get("y"))
        ex = x if px < x else x + w
        out.append(f'<path d="M{_n(ex)},{_n(py)} L{_n(px)},{_n(py)}" stroke="#222" stroke-width="1.2"/>')
    children = el.findall(_Q + "glyph")
    if cls == "state variable":
        state = el.find(_Q + "state")
        if state is not None:
            value, variable = state.get("value") or "", state.get("variable")
            _text(out, x + w / 2, y + h / 2 + 3.5, f"{value}@{variable}" if variable else value, 9)
        return
    if cls == "unit of information":
        label = el.find(_Q + "label")
        if label is not None:
            _text(out, x + w / 2, y + h / 2 + 3.5, label.get("text") or "", 9)
        return
    if cls not in ("association", "dissociation", "process", "source and sink"):
        _label(out, el, x, y, w, h, top=cls == "compartment" or any(
            c.get("class") not in ("state variable", "unit of information") for c in children))
    for child in children:
        _glyph(out, child)


def render_svg(data: bytes) -> bytes:
    """An SVG picture of the SBGN-ML document ``data`` (compartments first, arcs under glyphs)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    root = etree.fromstring(data, parser)
    diagram = root.find(_Q + "map")
    bbox = diagram.find(_Q + "bbox")
    glyphs = diagram.findall(_Q + "glyph")
    if bbox is not None:
        width, height = float(bbox.get("w")), float(bbox.get("h"))
    else:
        boxes = [_box(g) for g in glyphs] or [(0, 0, 100, 100)]
        width = max(x + w for x, _, w, _ in boxes) + 20
        height = max(y + h for _, y, _, h in boxes) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{MARK}" width="{_n(width)}" height="{_n(height)}" '
           f'viewBox="0 0 {_n(width)} {_n(height)}" font-family={quoteattr(FONT)}>',
           _MARKERS, f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>']
    compartments = [g for g in glyphs if g.get("class") == "compartment"]
    for g in compartments:
        x, y, w, h = _box(g)
        _shape(out, "compartment", x, y, w, h)
    for g in compartments:  # names above everything inside
        x, y, w, h = _box(g)
        _label(out, g, x, y, w, h, top=True)
    for arc in diagram.findall(_Q + "arc"):
        start, end = arc.find(_Q + "start"), arc.find(_Q + "end")
        points = [start] + arc.findall(_Q + "next") + [end]
        path = " L".join(f"{_n(float(p.get('x')))},{_n(float(p.get('y')))}" for p in points)
        marker = _ARC_MARKERS.get(arc.get("class"))
        end_marker = f' marker-end="url(#{marker})"' if marker else ""
        out.append(f'<path d="M{path}" fill="none" stroke="#222" stroke-width="1"{end_marker}/>')
        for card in arc.findall(_Q + "glyph"):
            x, y, w, h = _box(card)
            out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="#fff" stroke="#222"/>')
            label = card.find(_Q + "label")
            _text(out, x + w / 2, y + h / 2 + 3.5, label.get("text") if label is not None else "", 9)
    for g in glyphs:
        if g.get("class") != "compartment":
            _glyph(out, g)
    out.append("</svg>\n")
    return "\n".join(out).encode("utf-8")


def svg_problems(data: bytes) -> list[Problem]:
    """Whether ``data`` is a well-formed SVG document: its problems, none when it is."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [Problem(f"not well-formed XML: {exc.msg}", line=exc.lineno)]
    if root.tag != "{http://www.w3.org/2000/svg}svg" or root.get("class") != MARK:
        return [Problem(f"the root element is {root.tag}, not the <svg class=\"{MARK}\"> of an SBGN drawing",
                        line=root.sourceline)]
    return []


def write_svg(data: bytes, path: str | Path) -> Path:
    """Write :func:`render_svg` of the SBGN-ML document ``data`` to ``path`` atomically."""
    return atomic_write_bytes(Path(path), render_svg(data))
