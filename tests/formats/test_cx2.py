"""CX2 for Cytoscape and NDEx: loaded back with ndex2, at the places the layout gives."""

from __future__ import annotations

import json

import pytest

from needs import missing
from pathway_export import layout
from pathway_export.formats import cx2

try:
    from ndex2 import cx2 as ndex2_cx2
except ImportError:  # a user's clone without the test extra; CI has it
    ndex2_cx2 = None


@pytest.fixture(autouse=True)
def _ndex2_is_there():
    if ndex2_cx2 is None:
        missing("ndex2 is not installed (pip install '.[test]')")


@pytest.fixture(scope="module")
def network(bundled_model):
    net = ndex2_cx2.CX2Network()
    net.create_from_raw_cx2(json.loads(cx2.to_cx2(bundled_model)))
    return net


def test_ndex2_reads_every_glyph_and_arc(bundled_model, network):
    placed = layout.layout(bundled_model)
    assert len(network.get_nodes()) == len(placed.glyphs) + len(placed.compartments)
    assert len(network.get_edges()) == len(placed.arcs)
    assert network.get_name() == bundled_model.name


def test_nodes_sit_at_the_centres_of_their_glyphs(bundled_model, network):
    placed = layout.layout(bundled_model)
    by_id = {n["v"]["canonical_id"]: n for n in network.get_nodes().values()}
    for g in placed.glyphs.values():
        node = by_id[g.id]
        assert (node["x"], node["y"]) == pytest.approx((g.box.cx, g.box.cy), abs=0.01)
    assert by_id["STAT3_c"]["v"]["sbgn_class"] == "macromolecule"
    assert by_id["nucleus"]["v"]["sbgn_class"] == "compartment"


def test_edges_name_their_sbgn_role_and_the_style_draws_it(bundled_model, network):
    names = {n_id: n["v"]["canonical_id"] for n_id, n in network.get_nodes().items()}
    roles = {(names[e["s"]], names[e["t"]]): e["v"]["interaction"] for e in network.get_edges().values()}
    assert roles[("pSTAT3_dimer_n", "SOCS3_transcription")] == "activation"
    assert roles[("STAT3_Y705_phosphorylation", "pSTAT3_c")] == "production"
    style = network.get_visual_properties()
    arrows = style["edgeMapping"]["EDGE_TARGET_ARROW_SHAPE"]["definition"]["map"]
    assert {"v": "inhibition", "vp": "tee"} in arrows
    shapes = style["nodeMapping"]["NODE_SHAPE"]["definition"]["map"]
    assert {"v": "complex", "vp": "octagon"} in shapes


def test_the_same_model_gives_the_same_bytes(bundled_model):
    assert cx2.to_cx2(bundled_model) == cx2.to_cx2(bundled_model)


def test_validate_checks_the_structure_of_a_cx2_file(bundled_model):
    from pathway_export.checks.validate import validate_bytes

    data = cx2.to_cx2(bundled_model)
    assert validate_bytes(data, "x.cx2").format == "cx2"
    assert not validate_bytes(data, "x.cx2").errors
    broken = json.loads(data)
    next(a for a in broken if "edges" in a)["edges"][0]["t"] = 999999
    report = validate_bytes(json.dumps(broken).encode(), "broken.cx2")
    assert [f.rule for f in report.errors] == ["cx2:structure"]
    assert "not both nodes" in report.errors[0].message
