"""How the diagram exports scale: layout, its check, SBGN-ML, CX2 and the SVG drawing.

    python -m benchmarks.diagrams                     # the bundled model, 1,000 and 10,000 reactions
    python -m benchmarks.diagrams --sizes 1000 50000  # synthetic sizes of your choice

For each model: seconds per stage (one run each, in this process, after a warm-up on the
bundled model), the glyphs, arcs and picture size, the share of arcs pointing right, and the
glyph pairs overlapping by more than a quarter of the smaller glyph (the measure the issue
uses for Paxtools' CoSE layout). Results go to ``benchmarks/results/diagrams.json`` and a
Markdown table on standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from pathway_export import canonical, layout
from pathway_export.formats import cx2, sbgn
from pathway_export.formats.sbgn import svg

from .synth import synthetic_model

RESULTS = Path(__file__).resolve().parent / "results"


def heavy_overlaps(placed: layout.Layout) -> int:
    """Glyph pairs whose overlap exceeds a quarter of the smaller glyph's area."""
    glyphs = sorted(placed.glyphs.values(), key=lambda g: g.box.x)
    count, active = 0, []
    for g in glyphs:
        active = [a for a in active if a.box.x + a.box.w > g.box.x]
        for a in active:
            w = min(a.box.x + a.box.w, g.box.x + g.box.w) - max(a.box.x, g.box.x)
            h = min(a.box.y + a.box.h, g.box.y + g.box.h) - max(a.box.y, g.box.y)
            if w > 0 and h > 0 and w * h > 0.25 * min(a.box.w * a.box.h, g.box.w * g.box.h):
                count += 1
        active.append(g)
    return count


def measure(label: str, model) -> dict:
    row: dict = {"model": label, "reactions": len(model.reactions), "entities": len(model.entities)}

    def timed(stage: str, run):
        start = time.perf_counter()
        value = run()
        row[f"{stage}_s"] = round(time.perf_counter() - start, 3)
        return value

    placed = timed("layout", lambda: layout.layout(model))
    found = timed("check", lambda: layout.problems(model, placed))
    document = timed("sbgn", lambda: sbgn.to_sbgn(model, placed))
    timed("cx2", lambda: cx2.to_cx2(model, placed))
    picture = timed("svg", lambda: svg.render_svg(document))
    row.update(glyphs=len(placed.glyphs), arcs=len(placed.arcs), width=round(placed.width),
               height=round(placed.height), problems=len(found), heavy_overlaps=heavy_overlaps(placed),
               rightward=round(layout.rightward_share(placed), 3), sbgn_mb=round(len(document) / 1e6, 2),
               svg_mb=round(len(picture) / 1e6, 2))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--name", default="diagrams")
    args = parser.parse_args(argv)
    bundled = canonical.load(Path(__file__).resolve().parents[1] / "pathway_export" / "pathways" / "il6_stat3.yaml")
    layout.layout(bundled)  # warm-up: imports and first-call costs
    rows = [measure("bundled il6_stat3", bundled)]
    for n in args.sizes:
        rows.append(measure(f"synthetic {n}", synthetic_model(n)))
    columns = ["model", "reactions", "glyphs", "arcs", "layout_s", "check_s", "sbgn_s", "cx2_s", "svg_s",
               "problems", "heavy_overlaps", "rightward", "width", "height"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    RESULTS.mkdir(exist_ok=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    (RESULTS / f"{args.name}.json").write_text(json.dumps({"load_average": load, "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
