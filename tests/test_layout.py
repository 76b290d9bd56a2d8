"""The diagram layout: nested compartment boxes, no overlapping glyphs, the signal left to right."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from pathway_export import layout
from pathway_export.model import Compartment, Entity, Model, Molecule, Participant, Reaction
from strategies import models


def test_the_bundled_diagram_has_no_overlap_and_every_glyph_in_its_compartment(bundled_model):
    placed = layout.layout(bundled_model)
    assert layout.problems(bundled_model, placed) == []
    assert set(placed.compartments) == {c.id for c in bundled_model.compartments}
    processes = [g for g in placed.glyphs.values() if g.kind == "process"]
    assert len(processes) == len(bundled_model.reactions)


def test_the_bundled_diagram_reads_left_to_right(bundled_model):
    placed = layout.layout(bundled_model)
    assert layout.rightward_share(placed) >= 0.85
    glyphs = placed.glyphs
    # the signal: IL-6 binding left of STAT3 phosphorylation, left of SOCS3 transcription
    assert glyphs["IL6_binds_IL6R"].box.x < glyphs["STAT3_Y705_phosphorylation"].box.x \
        < glyphs["SOCS3_transcription"].box.x


def test_the_layout_is_a_function_of_the_model(bundled_model):
    assert layout.layout(bundled_model) == layout.layout(bundled_model)


def test_a_pool_only_ever_bound_is_drawn_inside_its_complexes(bundled_model):
    placed = layout.layout(bundled_model)
    assert "pJAK1_c" not in placed.glyphs  # only a member of receptor complexes
    assert any(s.entity == "pJAK1_c" for s in placed.glyphs["Ract_pm"].subunits)


def test_the_checker_finds_overlaps_and_escapes(bundled_model):
    placed = layout.layout(bundled_model)
    stat3, jak1 = placed.glyphs["STAT3_c"], placed.glyphs["PTPN11_c"]
    moved = dict(placed.glyphs)
    moved["PTPN11_c"] = layout.Glyph(jak1.id, jak1.kind, jak1.compartment, jak1.label, stat3.box, jak1.column)
    moved["IL6_e"] = layout.Glyph("IL6_e", "entity", "extracellular", "IL6",
                                  layout.Box(-500, -500, 10, 10), 0)
    broken = layout.Layout(placed.compartments, moved, placed.arcs, placed.width, placed.height)
    found = layout.problems(bundled_model, broken)
    assert "glyphs 'STAT3_c' and 'PTPN11_c' overlap" in found or "glyphs 'PTPN11_c' and 'STAT3_c' overlap" in found
    assert "glyph 'IL6_e' lies outside the box of compartment 'extracellular'" in found


def test_compartments_without_a_parent_and_reactions_across_them_are_boxed():
    m = Model(
        id="m", name="m",
        compartments=(Compartment("a"), Compartment("b"), Compartment("a1", parent="a")),
        molecules=(Molecule("X", "protein", "X"),),
        entities=(Entity("x_a", "a", molecule="X"), Entity("x_b", "b", molecule="X"),
                  Entity("x_a1", "a1", molecule="X")),
        reactions=(Reaction("t1", "transport", reactants=(Participant("x_a"),), products=(Participant("x_b"),)),
                   Reaction("t2", "transport", reactants=(Participant("x_b"),), products=(Participant("x_a1"),)),
                   Reaction("d", "degradation", reactants=(Participant("x_a1"),))))
    placed = layout.layout(m)
    assert layout.problems(m, placed) == []
    assert placed.glyphs["d__sink"].kind == "sink"
    assert placed.glyphs["t1"].compartment in ("a", "b")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_any_model_is_laid_out_without_overlap(model):
    placed = layout.layout(model)
    assert layout.problems(model, placed) == []
