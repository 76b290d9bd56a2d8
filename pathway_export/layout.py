"""A diagram layout of the canonical model: compartments as nested boxes, the signal left to right.

Every diagram format (SBGN-ML, CX2, SBML layout) draws the same picture from one
:class:`Layout`, so a glyph sits at the same place in each of them.

How the picture is made
-----------------------
* **Nodes.** One glyph per entity (a complex holds a glyph per kind of member; a pool
  that only ever appears bound is drawn only there), one per
  reaction (the process), and an empty-set glyph where a reaction creates from nothing
  (a source) or destroys into nothing (a sink).
* **Columns along the signal.** Arcs run from reactants, templates and controllers to the
  process and from the process to its products. Cycles (reversible steps, feedback) are
  broken where a depth-first walk from the model's inputs (entities nothing produces, in
  model order) closes them; each node's column is then its longest path from an input, so
  every arc not closing a cycle points right. An input is pulled right to just before the
  first process that uses it (ATP next to its kinase, not in column 0). Entities sit in even
  columns, processes in odd ones.
* **Compartments as nested boxes.** A compartment's box spans the columns of everything in it
  and in the compartments inside it; its own glyphs stand in rows at the top, the boxes of
  its inner compartments below them, side by side where their columns do not meet. A
  reaction belongs to the innermost compartment that encloses all its participants.
* **Order within a column.** Glyphs of one compartment and column are stacked; two sweeps
  order each stack by the mean height of its neighbours (fewer crossings).

No glyph overlaps another, each lies inside its compartment's box, and a box lies inside its
parent's (:func:`problems` checks all three). Work is linear in the model's size but for
the sorting of each stack. The result depends on the model only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .errors import PathwayExportError
from .model import Entity, Model

ENTITY_HEIGHT = 36.0
PROCESS_SIZE = 16.0
EMPTY_SET_SIZE = 20.0
SUBUNIT_HEIGHT = 24.0
CHAR_WIDTH = 6.6  # of an 11 px sans-serif label, on average
MAX_LABEL_CHARS = 24
MAX_SUBUNITS_PER_ROW = 3
COLUMN_GAP = 36.0
ROW_GAP = 18.0
BOX_PAD = 14.0
BOX_TITLE = 20.0
MARGIN = 20.0


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)

    def contains(self, other: Box) -> bool:
        return (self.x <= other.x and self.y <= other.y and other.x + other.w <= self.x + self.w
                and other.y + other.h <= self.y + self.h)


@dataclass(frozen=True)
class Subunit:
    """A member of a complex drawn inside its glyph: a molecule (or inner complex) and its count."""

    entity: str
    label: str
    count: int
    box: Box


@dataclass(frozen=True)
class Glyph:
    """A placed node: an entity, a process (``id`` is the reaction's) or an empty set."""

    id: str
    kind: str  # "entity", "process", "source", "sink"
    compartment: str
    label: str
    box: Box
    column: int
    subunits: tuple[Subunit, ...] = ()


@dataclass(frozen=True)
class Arc:
    """A drawn relation, from glyph to glyph, with its end points on their borders.

    ``role`` is one of ``consumption``, ``production``, ``template``, ``catalysis``,
    ``activation``, ``inhibition``, ``control`` (no effect stated) and ``participant`` (of an
    interaction); ``stoichiometry`` that of the participant.
    """

    id: str
    role: str
    source: str
    target: str
    start: tuple[float, float]
    end: tuple[float, float]
    stoichiometry: float = 1


@dataclass(frozen=True)
class Layout:
    """A whole placed diagram: compartment boxes, glyphs in model order, arcs, overall size."""

    compartments: dict[str, Box]
    glyphs: dict[str, Glyph]
    arcs: tuple[Arc, ...]
    width: float
    height: float


# --------------------------------------------------------------------------- labels and sizes

ENTITY_CLASSES = {
    "protein": "macromolecule",
    "small_molecule": "simple chemical",
    "gene": "nucleic acid feature",
    "dna": "nucleic acid feature",
    "rna": "nucleic acid feature",
    "complex": "complex",
    "physical_entity": "unspecified entity",
}
"""The SBGN Process Description class of each entity kind (the diagram's vocabulary)."""

PROCESS_CLASSES = {"binding": "association", "dissociation": "dissociation"}
"""The SBGN class of reaction kinds not drawn as a plain ``process``."""


def glyph_class(model: Model, glyph: Glyph) -> str:
    """The SBGN class of a placed glyph."""
    if glyph.kind == "entity":
        return ENTITY_CLASSES[model.entity_type(model.entity_by_id[glyph.id])]
    if glyph.kind == "process":
        return PROCESS_CLASSES.get(model.reaction_by_id[glyph.id].type, "process")
    return "source and sink"


def entity_label(model: Model, entity: Entity) -> str:
    """What a glyph says: a molecule's symbol (else its name); a complex's name (else its id)."""
    if entity.molecule is not None:
        mol = model.molecule_by_id[entity.molecule]
        return mol.symbol or mol.name
    return entity.name or entity.id


MODIFICATION_SYMBOLS = {
    "MOD:00046": "P", "MOD:00047": "P", "MOD:00048": "P", "MOD:00696": "P",
    "MOD:00064": "Ac", "MOD:00394": "Ac", "MOD:00427": "Me", "MOD:01148": "Ub",
}
"""The short sign a diagram shows for a PSI-MOD modification (SBGN state variable values)."""


def state_variables(model: Model, entity: Entity) -> list[tuple[str, str | None]]:
    """``(value, variable)`` pairs a glyph shows: each modification (``P`` at ``Y705``), each
    bound small molecule (``GTP``) and an explicit activity (``active`` / ``inactive``)."""
    out: list[tuple[str, str | None]] = []
    for mod in entity.modifications:
        site = f"{mod.residue or ''}{mod.position if mod.position is not None else ''}" or None
        out.append((MODIFICATION_SYMBOLS.get(mod.type, mod.type), site))
    for small in entity.bound:
        mol = model.molecule_by_id.get(small)
        out.append((mol.name if mol is not None else small, None))
    if entity.active is not None:
        out.append(("active" if entity.active else "inactive", None))
    return out


def label_lines(text: str, width: int = MAX_LABEL_CHARS) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` characters (a longer word
    is cut); at most three lines, the last ending in an ellipsis when text is left over."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    if len(lines) > 3:
        lines = lines[:3]
        lines[2] = lines[2][: width - 1] + "\u2026"
    return lines or [""]


def _text_width(lines: list[str]) -> float:
    return max(len(line) for line in lines) * CHAR_WIDTH + 16


def _subunits(model: Model, entity: Entity) -> list[tuple[str, str, int]]:
    """The members of a complex to draw inside it: its components, nested complexes opened
    up to their molecules, equal members merged with their counts, in model order."""
    counts: dict[str, int] = {}

    def walk(e: Entity, times: int) -> None:
        for c in e.components:
            inner = model.entity_by_id[c.entity]
            if inner.molecule is None:
                walk(inner, times * c.stoichiometry)
            else:
                counts[inner.id] = counts.get(inner.id, 0) + times * c.stoichiometry

    walk(entity, 1)
    return [(eid, entity_label(model, model.entity_by_id[eid]), n) for eid, n in counts.items()]


def _entity_size(model: Model, entity: Entity) -> tuple[float, float, list[tuple[str, str, int]], list[str]]:
    lines = label_lines(entity_label(model, entity))
    if entity.molecule is not None:
        return max(_text_width(lines), 64.0), ENTITY_HEIGHT + 12 * (len(lines) - 1), [], lines
    members = _subunits(model, entity)
    widths = [_text_width([f"{label} x{n}" if n > 1 else label]) for _, label, n in members]
    rows = [widths[i:i + MAX_SUBUNITS_PER_ROW] for i in range(0, len(widths), MAX_SUBUNITS_PER_ROW)]
    inner = max((math.fsum(r) + 4 * (len(r) - 1) for r in rows), default=0.0)
    width = max(_text_width(lines), inner + 12, 64.0)
    height = 14 * len(lines) + 8 + len(rows) * (SUBUNIT_HEIGHT + 4) + 6
    return width, height, members, lines


# --------------------------------------------------------------------------- the graph

@dataclass
class _Node:
    id: str
    kind: str
    compartment: str
    label: str
    w: float
    h: float
    members: list
    column: int = 0


def _graph(model: Model):
    """Nodes in model order, arcs (role, source, target, stoichiometry), adjacency for ranking."""
    nodes: dict[str, _Node] = {}
    used = {p.entity for r in model.reactions for p in r.reactants + r.products}
    used |= {x for r in model.reactions for c in r.controls for x in (c.controller, *c.more_controllers)}
    used |= {e for r in model.reactions for e in r.participants}
    used |= {r.template for r in model.reactions if r.template is not None}
    inside = {c.entity for e in model.entities for c in e.components}
    for e in model.entities:
        if e.id not in used and e.id in inside:
            continue  # a pool that only ever appears bound: drawn inside its complexes
        if e.compartment is None:
            raise PathwayExportError(f"entity '{e.id}' is located nowhere: a diagram draws every entity "
                                     "inside its compartment's box (give it a compartment)")
        w, h, members, lines = _entity_size(model, e)
        nodes[e.id] = _Node(e.id, "entity", e.compartment, " ".join(lines), w, h, members)
    ancestors: dict[str, list[str]] = {}

    def chain(cid: str) -> list[str]:
        if cid not in ancestors:
            ancestors[cid] = _chain(model, cid)
        return ancestors[cid]

    def enclosing(cids: list[str]) -> str:
        paths = [chain(c) for c in dict.fromkeys(cids)]
        common = set(paths[0]).intersection(*paths[1:])
        return next((c for c in paths[0] if c in common), paths[0][-1])

    arcs: list[tuple[str, str, str, str, float]] = []
    nodes_or_later = model.entity_by_id
    for r in model.reactions:
        places = [model.entity_by_id[e].compartment
                  for e in (*(p.entity for p in r.reactants + r.products), *r.participants)]
        if r.template is not None:
            places.append(model.entity_by_id[r.template].compartment)
        if not places:
            raise PathwayExportError(f"reaction '{r.id}' has no participant: a diagram cannot place it")
        home = enclosing(places)
        nodes[r.id] = _Node(r.id, "process", home, r.name or r.id, PROCESS_SIZE, PROCESS_SIZE, [])
        if not r.reactants:
            sid = f"{r.id}__source"
            nodes[sid] = _Node(sid, "source", home, "", EMPTY_SET_SIZE, EMPTY_SET_SIZE, [])
            arcs.append((f"{r.id}__consumption_source", "consumption", sid, r.id, 1))
        for i, p in enumerate(r.reactants):
            arcs.append((f"{r.id}__consumption_{i}", "consumption", p.entity, r.id, p.stoichiometry))
        if r.template is not None:
            arcs.append((f"{r.id}__template", "template", r.template, r.id, 1))
        for i, c in enumerate(r.controls):
            for j, controller in enumerate((c.controller, *c.more_controllers)):
                if controller is not None and controller in nodes_or_later:
                    suffix = f"_{j}" if j else ""
                    arcs.append((f"{r.id}__control_{i}{suffix}", c.type, controller, r.id, 1))
        for i, e in enumerate(r.participants):  # an interaction's participants, no sides
            arcs.append((f"{r.id}__participant_{i}", "participant", e, r.id, 1))
        for i, p in enumerate(r.products):
            arcs.append((f"{r.id}__production_{i}", "production", r.id, p.entity, p.stoichiometry))
        if not r.products:
            sid = f"{r.id}__sink"
            nodes[sid] = _Node(sid, "sink", home, "", EMPTY_SET_SIZE, EMPTY_SET_SIZE, [])
            arcs.append((f"{r.id}__production_sink", "production", r.id, sid, 1))
    return nodes, arcs


def _columns(nodes: dict[str, _Node], arcs) -> None:
    """Give each node its column: longest path from the inputs once cycles are broken."""
    succ: dict[str, list[str]] = defaultdict(list)
    indegree: dict[str, int] = dict.fromkeys(nodes, 0)
    for _, _, s, t, _ in arcs:
        succ[s].append(t)
        indegree[t] += 1
    # depth-first from the inputs (then from whatever is left, in model order): the arcs that
    # close a cycle are the back arcs; what remains is acyclic
    state: dict[str, int] = {}  # 1 on the path, 2 done
    order: list[str] = []  # reverse post-order = a topological order of the acyclic rest
    back: set[tuple[str, str]] = set()
    starts = [n for n in nodes if indegree[n] == 0] + list(nodes)
    for start in starts:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(succ[start]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                mark = state.get(child)
                if mark is None:
                    state[child] = 1
                    stack.append((child, iter(succ[child])))
                    break
                if mark == 1:
                    back.add((node, child))
            else:
                state[node] = 2
                order.append(node)
                stack.pop()
    order.reverse()
    forward_pred: dict[str, list[str]] = defaultdict(list)
    for node in order:
        for child in succ[node]:
            if (node, child) not in back:
                forward_pred[child].append(node)
    for node in order:
        preds = forward_pred[node]
        n = nodes[node]
        first = 1 if n.kind == "process" else 0
        n.column = max((nodes[p].column + 1 for p in preds), default=first)
    # an input stands just before the first process that uses it
    for node in order:
        if not forward_pred[node] and nodes[node].kind in ("entity", "source"):
            later = [nodes[c].column for c in succ[node] if (node, c) not in back]
            if later:
                nodes[node].column = min(later) - 1


# --------------------------------------------------------------------------- placing

def layout(model: Model) -> Layout:
    """The diagram of ``model``: see the module's description."""
    nodes, arcs = _graph(model)
    _columns(nodes, arcs)
    n_columns = max((n.column for n in nodes.values()), default=0) + 1
    widths = [0.0] * n_columns
    for n in nodes.values():
        widths[n.column] = max(widths[n.column], n.w)
    depth_of: dict[str, int] = {}
    children: dict[str | None, list[str]] = defaultdict(list)
    known = model.compartment_by_id
    for c in model.compartments:
        children[c.parent if c.parent in known else None].append(c.id)

    def height_of(cid: str) -> int:  # levels of boxes from here down (a leaf is 1)
        if cid not in depth_of:
            depth_of[cid] = 1 + max((height_of(k) for k in children[cid]), default=0)
        return depth_of[cid]

    pad = BOX_PAD
    indent = max((height_of(c) for c in children[None]), default=0) * pad
    lefts = [0.0] * n_columns
    x = MARGIN + indent
    for k, w in enumerate(widths):
        lefts[k] = x
        x += w + COLUMN_GAP
    total_width = x - COLUMN_GAP + indent + MARGIN

    cells: dict[tuple[str, int], list[str]] = defaultdict(list)
    for n in nodes.values():
        cells[(n.compartment, n.column)].append(n.id)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for _, _, s, t, _ in arcs:
        neighbours[s].append(t)
        neighbours[t].append(s)

    # the columns each compartment's subtree spans
    span: dict[str, tuple[int, int]] = {}
    for n in nodes.values():
        lo, hi = span.get(n.compartment, (n.column, n.column))
        span[n.compartment] = (min(lo, n.column), max(hi, n.column))

    def subtree_span(cid: str) -> tuple[int, int] | None:
        found = [span[cid]] if cid in span else []
        for k in children[cid]:
            s = subtree_span(k)
            if s is not None:
                found.append(s)
        if not found:
            return None
        return min(a for a, _ in found), max(b for _, b in found)

    spans = {c.id: subtree_span(c.id) for c in model.compartments}

    def borrow(cid: str, inherited: tuple[int, int]) -> None:
        """An empty compartment takes the columns of the nearest one around it with content."""
        if spans[cid] is None:
            spans[cid] = inherited
        for k in children[cid]:
            borrow(k, spans[cid])

    for root in children[None]:
        borrow(root, (0, 0))

    def x_extent(cid: str) -> tuple[float, float]:
        s = spans[cid]
        grow = height_of(cid) * pad
        return lefts[s[0]] - grow, lefts[s[1]] + widths[s[1]] + grow

    y_of: dict[str, float] = {}
    boxes: dict[str, Box] = {}

    def place(cid: str, top: float) -> float:
        """Place compartment ``cid`` with its box's top at ``top``; return its bottom."""
        y0 = top + BOX_TITLE
        own_bottom = y0
        columns = sorted(k for (c, k) in cells if c == cid)
        for k in columns:
            y = y0
            for nid in cells[(cid, k)]:
                y_of[nid] = y
                y += nodes[nid].h + ROW_GAP
            own_bottom = max(own_bottom, y)
        # inner boxes below, side by side where their columns do not meet (a skyline)
        placed: list[tuple[float, float, float]] = []  # (left, right, bottom)
        bottom = own_bottom
        for kid in children[cid]:
            left, right = x_extent(kid)
            start = max([own_bottom] + [b + ROW_GAP for (l, r, b) in placed if l < right + COLUMN_GAP / 2
                                        and left < r + COLUMN_GAP / 2])
            kid_bottom = place(kid, start)
            placed.append((left, right, kid_bottom))
            bottom = max(bottom, kid_bottom + ROW_GAP)
        bottom += pad - ROW_GAP if bottom > y0 else pad
        left, right = x_extent(cid)
        boxes[cid] = Box(left, top, right - left, bottom - top)
        return bottom

    def place_all() -> float:
        y = MARGIN
        placed: list[tuple[float, float, float]] = []
        for root in children[None]:
            left, right = x_extent(root)
            start = max([MARGIN] + [b + ROW_GAP for (l, r, b) in placed if l < right and left < r])
            bottom = place(root, start)
            placed.append((left, right, bottom))
            y = max(y, bottom)
        return y

    place_all()
    for _ in range(2):  # order each stack by its neighbours' mean height, then place again
        for key, members in cells.items():
            def barycentre(nid: str) -> float:
                around = neighbours[nid]
                return math.fsum(y_of[m] + nodes[m].h / 2 for m in around) / len(around) if around else y_of[nid]
            members.sort(key=lambda nid: (barycentre(nid), y_of[nid]))
        place_all()
    total_height = max((b.y + b.h for b in boxes.values()), default=MARGIN) + MARGIN
    outer_first = sorted(model.compartments, key=lambda c: len(_chain(model, c.id)))
    boxes = {c.id: boxes[c.id] for c in outer_first}

    glyphs: dict[str, Glyph] = {}
    for n in nodes.values():
        box = Box(lefts[n.column] + (widths[n.column] - n.w) / 2, y_of[n.id], n.w, n.h)
        glyphs[n.id] = Glyph(n.id, n.kind, n.compartment, n.label, box, n.column, _place_subunits(n, box))
    placed_arcs = tuple(
        Arc(aid, role, s, t, *_ends(glyphs[s].box, glyphs[t].box), stoichiometry=st)
        for aid, role, s, t, st in arcs)
    return Layout(boxes, glyphs, placed_arcs, total_width, total_height)


def _chain(model: Model, cid: str) -> list[str]:
    """``cid`` and the compartments around it, inside out (a cycle is cut where it closes)."""
    path: list[str] = []
    while cid is not None and cid in model.compartment_by_id and cid not in path:
        path.append(cid)
        cid = model.compartment_by_id[cid].parent
    return path


def _place_subunits(node: _Node, box: Box) -> tuple[Subunit, ...]:
    if not node.members:
        return ()
    out = []
    lines = len(label_lines(node.label))
    y = box.y + 14 * lines + 8
    for i in range(0, len(node.members), MAX_SUBUNITS_PER_ROW):
        row = node.members[i:i + MAX_SUBUNITS_PER_ROW]
        ws = [_text_width([f"{label} x{n}" if n > 1 else label]) for _, label, n in row]
        x = box.x + (box.w - (math.fsum(ws) + 4 * (len(ws) - 1))) / 2
        for (eid, label, n), w in zip(row, ws):
            out.append(Subunit(eid, label, n, Box(x, y, w, SUBUNIT_HEIGHT)))
            x += w + 4
        y += SUBUNIT_HEIGHT + 4
    return tuple(out)


def _border(box: Box, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from ``box``'s centre to ``towards`` leaves the box."""
    dx, dy = towards[0] - box.cx, towards[1] - box.cy
    if dx == 0 and dy == 0:
        return box.cx, box.cy
    tx = (box.w / 2) / abs(dx) if dx else float("inf")
    ty = (box.h / 2) / abs(dy) if dy else float("inf")
    t = min(tx, ty)
    return round(box.cx + dx * t, 2), round(box.cy + dy * t, 2)


def _ends(a: Box, b: Box) -> tuple[tuple[float, float], tuple[float, float]]:
    return _border(a, (b.cx, b.cy)), _border(b, (a.cx, a.cy))


# --------------------------------------------------------------------------- checking

def problems(model: Model, placed: Layout) -> list[str]:
    """What is wrong with a layout: overlapping glyphs, glyphs outside their compartment's
    box, boxes outside their parent's, overlapping sibling boxes. Empty when all is well."""
    found: list[str] = []
    glyphs = sorted(placed.glyphs.values(), key=lambda g: g.box.x)
    active: list[Glyph] = []
    for g in glyphs:  # a sweep over x: only glyphs whose x-ranges meet are compared
        active = [a for a in active if a.box.x + a.box.w > g.box.x]
        for a in active:
            if a.box.overlaps(g.box):
                found.append(f"glyphs {a.id!r} and {g.id!r} overlap")
        active.append(g)
    for g in placed.glyphs.values():
        box = placed.compartments.get(g.compartment)
        if box is None or not box.contains(g.box):
            found.append(f"glyph {g.id!r} lies outside the box of compartment {g.compartment!r}")
        for s in g.subunits:
            if not g.box.contains(s.box):
                found.append(f"subunit {s.entity!r} lies outside the glyph of {g.id!r}")
    by_parent: dict[str | None, list[str]] = defaultdict(list)
    for c in model.compartments:
        parent = c.parent if c.parent in placed.compartments else None
        by_parent[parent].append(c.id)
        if parent is not None and not placed.compartments[parent].contains(placed.compartments[c.id]):
            found.append(f"the box of {c.id!r} lies outside the box of its parent {parent!r}")
    for siblings in by_parent.values():
        for i, a in enumerate(siblings):
            for b in siblings[i + 1:]:
                if placed.compartments[a].overlaps(placed.compartments[b]):
                    found.append(f"the boxes of compartments {a!r} and {b!r} overlap")
    return found


def rightward_share(placed: Layout) -> float:
    """The share of arcs whose end lies right of (or level with) their start."""
    if not placed.arcs:
        return 1.0
    return sum(a.end[0] >= a.start[0] for a in placed.arcs) / len(placed.arcs)
