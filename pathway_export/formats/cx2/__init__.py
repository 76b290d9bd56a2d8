"""CX2 (Cytoscape Exchange, version 2) for Cytoscape and NDEx: the diagram as a network.

Nodes are the glyphs of :mod:`pathway_export.layout` (entities, processes, empty sets) at
their centres, plus one node per compartment, as large as its box, behind everything
(``z`` below zero: outer compartments further back). Edges are its arcs, ``interaction``
naming the SBGN role. A visual style maps each node's ``sbgn_class`` to an SBGN-like shape
and colour, the role of an edge to its arrowhead (production: triangle, catalysis: circle,
stimulation: delta, inhibition: tee, template: square), and the glyph's width and height
pass through. The bytes are a function of the model only.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import Problem
from ...fsutil import atomic_write_bytes
from ...layout import Layout, glyph_class, layout as make_layout
from ...model import Model, located

__all__ = ["to_cx2", "write_cx2", "cx2_problems"]

SHAPES = {
    "macromolecule": "round-rectangle", "simple chemical": "ellipse", "nucleic acid feature": "rectangle",
    "complex": "octagon", "process": "rectangle", "association": "ellipse", "dissociation": "ellipse",
    "source and sink": "ellipse", "compartment": "round-rectangle", "unspecified entity": "ellipse",
}
COLOURS = {
    "macromolecule": "#E3F0FB", "simple chemical": "#EAF7E4", "nucleic acid feature": "#FDF1D8",
    "complex": "#F1E9F7", "process": "#FFFFFF", "association": "#222222", "dissociation": "#FFFFFF",
    "source and sink": "#FFFFFF", "compartment": "#F7F7F2", "unspecified entity": "#FFFFFF",
}
ARROWS = {
    "consumption": "none", "production": "triangle", "catalysis": "circle", "activation": "delta",
    "inhibition": "tee", "template": "square", "control": "diamond", "participant": "none",
}


def to_cx2(model: Model, placed: Layout | None = None) -> bytes:
    """The CX2 document of ``model`` (laid out afresh unless ``placed`` is given), UTF-8 JSON."""
    model = located(model)  # a drawing places every entity in a box
    placed = placed if placed is not None else make_layout(model)
    nodes, ids = [], {}
    depth = {}
    for cid in placed.compartments:  # outer first
        parent = model.compartment_by_id[cid].parent
        depth[cid] = depth.get(parent, 0) + 1 if parent in depth else 1
    for cid, box in placed.compartments.items():
        c = model.compartment_by_id[cid]
        ids[cid] = len(nodes)
        nodes.append({"id": len(nodes), "x": round(box.cx, 2), "y": round(box.cy, 2), "z": -100 + depth[cid],
                      "v": {"name": c.name or cid, "canonical_id": cid, "sbgn_class": "compartment",
                            "width": round(box.w, 2), "height": round(box.h, 2),
                            **({"go": c.go} if c.go else {})}})
    for g in placed.glyphs.values():
        values = {"name": g.label, "canonical_id": g.id, "compartment": g.compartment,
                  "sbgn_class": glyph_class(model, g)}
        if g.kind == "entity":
            entity = model.entity_by_id[g.id]
            if entity.molecule is not None:
                values["molecule"] = entity.molecule
            if g.subunits:
                values["members"] = [s.label if s.count == 1 else f"{s.label} x{s.count}" for s in g.subunits]
        elif g.kind == "process":
            r = model.reaction_by_id[g.id]
            values["name"] = ""
            values["reaction"] = r.name or r.id
            values["reaction_type"] = r.type
        else:
            values["name"] = ""
        values["width"], values["height"] = round(g.box.w, 2), round(g.box.h, 2)
        ids[g.id] = len(nodes)
        nodes.append({"id": len(nodes), "x": round(g.box.cx, 2), "y": round(g.box.cy, 2), "v": values})
    edges = [{"id": i, "s": ids[a.source], "t": ids[a.target],
              "v": {"interaction": a.role, "canonical_id": a.id,
                    **({"stoichiometry": float(a.stoichiometry)} if a.stoichiometry != 1 else {})}}
             for i, a in enumerate(placed.arcs)]
    declarations = {
        "networkAttributes": {"name": {"d": "string"}, "description": {"d": "string"},
                              "version": {"d": "string"}, "organism": {"d": "string"}},
        "nodes": {"name": {"d": "string"}, "canonical_id": {"d": "string"}, "sbgn_class": {"d": "string"},
                  "compartment": {"d": "string"}, "molecule": {"d": "string"}, "go": {"d": "string"},
                  "members": {"d": "list_of_string"}, "reaction": {"d": "string"},
                  "reaction_type": {"d": "string"}, "width": {"d": "double"}, "height": {"d": "double"}},
        "edges": {"interaction": {"d": "string"}, "canonical_id": {"d": "string"},
                  "stoichiometry": {"d": "double"}},
    }
    network = {"name": model.name}
    for key in ("description", "version", "organism"):
        if getattr(model, key):
            network[key] = getattr(model, key)
    document = [
        {"CXVersion": "2.0", "hasFragments": False},
        {"metaData": [{"name": "attributeDeclarations", "elementCount": 1},
                      {"name": "networkAttributes", "elementCount": 1},
                      {"name": "nodes", "elementCount": len(nodes)},
                      {"name": "edges", "elementCount": len(edges)},
                      {"name": "visualProperties", "elementCount": 1}]},
        {"attributeDeclarations": [declarations]},
        {"networkAttributes": [network]},
        {"nodes": nodes},
        {"edges": edges},
        {"visualProperties": [_style()]},
        {"status": [{"error": "", "success": True}]},
    ]
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_cx2(model: Model, path: str | Path) -> Path:
    """Write :func:`to_cx2` of ``model`` to ``path`` atomically."""
    return atomic_write_bytes(Path(path), to_cx2(model))


def _discrete(attribute: str, table: dict[str, str], kind: str = "string") -> dict:
    return {"type": "DISCRETE", "definition": {
        "attribute": attribute, "type": kind, "map": [{"v": k, "vp": v} for k, v in table.items()]}}


def _passthrough(attribute: str, kind: str) -> dict:
    return {"type": "PASSTHROUGH", "definition": {"attribute": attribute, "type": kind}}


def _style() -> dict:
    """An SBGN-like visual style: shapes and fills by class, arrowheads by role."""
    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#FFFFFF"},
            "node": {"NODE_SHAPE": "round-rectangle", "NODE_BACKGROUND_COLOR": "#FFFFFF",
                     "NODE_BORDER_COLOR": "#222222", "NODE_BORDER_WIDTH": 1.2, "NODE_LABEL_COLOR": "#000000",
                     "NODE_LABEL_FONT_SIZE": 11, "NODE_WIDTH": 60, "NODE_HEIGHT": 36,
                     "NODE_LABEL_MAX_WIDTH": 200},
            "edge": {"EDGE_LINE_COLOR": "#222222", "EDGE_WIDTH": 1.0, "EDGE_TARGET_ARROW_SHAPE": "none",
                     "EDGE_TARGET_ARROW_COLOR": "#222222", "EDGE_SOURCE_ARROW_SHAPE": "none"},
        },
        "nodeMapping": {
            "NODE_SHAPE": _discrete("sbgn_class", SHAPES),
            "NODE_BACKGROUND_COLOR": _discrete("sbgn_class", COLOURS),
            "NODE_BORDER_WIDTH": _discrete("sbgn_class", {"compartment": 4.0}),
            "NODE_LABEL": _passthrough("name", "string"),
            "NODE_WIDTH": _passthrough("width", "double"),
            "NODE_HEIGHT": _passthrough("height", "double"),
        },
        "edgeMapping": {
            "EDGE_TARGET_ARROW_SHAPE": _discrete("interaction", ARROWS),
        },
    }


def cx2_problems(data: bytes) -> list[Problem]:
    """What is wrong with a CX2 document's structure: JSON, the aspects Cytoscape needs, ids.

    Checks that it is a JSON list opening with ``CXVersion`` 2.0, that ``nodes`` and ``edges``
    have unique integer ids, that every edge joins two nodes, and that ``metaData`` counts
    what is there.
    """
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return [Problem(f"not JSON: {exc}")]
    if not isinstance(document, list) or not document or not isinstance(document[0], dict) \
            or document[0].get("CXVersion") != "2.0":
        return [Problem("not CX2: a CX2 document is a JSON list opening with {\"CXVersion\": \"2.0\"}")]
    aspects: dict[str, list] = {}
    for item in document[1:]:
        if not isinstance(item, dict) or len(item) != 1:
            return [Problem("each CX2 aspect is an object with one key")]
        (name, values), = item.items()
        aspects[name] = values if isinstance(values, list) else []
    found: list[Problem] = []
    ids: set = set()
    for node in aspects.get("nodes", []):
        if not isinstance(node.get("id"), int) or node["id"] in ids:
            found.append(Problem(f"node {node.get('id')!r}: ids are unique integers", where="nodes"))
        ids.add(node.get("id"))
    edge_ids: set = set()
    for edge in aspects.get("edges", []):
        if not isinstance(edge.get("id"), int) or edge["id"] in edge_ids:
            found.append(Problem(f"edge {edge.get('id')!r}: ids are unique integers", where="edges"))
        edge_ids.add(edge.get("id"))
        if edge.get("s") not in ids or edge.get("t") not in ids:
            found.append(Problem(f"edge {edge.get('id')!r} joins {edge.get('s')!r} and {edge.get('t')!r}, "
                                 "not both nodes", where="edges"))
    for meta in aspects.get("metaData", []):
        name, count = meta.get("name"), meta.get("elementCount")
        if name in aspects and count is not None and count != len(aspects[name]):
            found.append(Problem(f"metaData counts {count} {name}, the document holds {len(aspects[name])}",
                                 where="metaData"))
    return found
