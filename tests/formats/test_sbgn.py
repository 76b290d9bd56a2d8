"""SBGN-ML Process Description: valid against the SBGN-ML 0.3 schema, laid out, drawn as SVG."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from pathway_export import layout
from pathway_export.formats import sbgn
from pathway_export.formats.sbgn import svg
from strategies import models


Q = "{%s}" % sbgn.NS


@pytest.fixture(scope="module")
def document(bundled_model) -> bytes:
    return sbgn.to_sbgn(bundled_model)


def test_the_bundled_diagram_is_valid_sbgn_ml(document):
    assert sbgn.schema_problems(document) == []


def test_the_schema_check_names_what_is_wrong(document):
    broken = document.replace(b'class="macromolecule"', b'class="protein"', 1)
    problems = sbgn.schema_problems(broken)
    assert problems and "'protein' is not an element of the set" in problems[0].message
    assert problems[0].line is not None


def test_every_drawn_entity_process_and_arc_is_there_at_its_place(bundled_model, document):
    placed = layout.layout(bundled_model)
    root = etree.fromstring(document)
    glyphs = {g.get("id"): g for g in root.iter(Q + "glyph")}
    for g in placed.glyphs.values():
        box = glyphs[g.id].find(Q + "bbox")
        assert (float(box.get("x")), float(box.get("y"))) == pytest.approx((g.box.x, g.box.y), abs=0.01)
    assert glyphs["STAT3_Y705_phosphorylation"].get("class") == "process"
    assert glyphs["IL6_binds_IL6R"].get("class") == "association"
    assert glyphs["Ract_pm"].get("class") == "complex"
    assert glyphs["SOCS3_gene_n"].get("class") == "nucleic acid feature"
    state = glyphs["pSTAT3_c"].find(f"{Q}glyph/{Q}state")
    assert (state.get("value"), state.get("variable")) == ("P", "Y705")
    arcs = root.findall(f"{Q}map/{Q}arc")
    assert len(arcs) == len(placed.arcs)
    classes = {a.get("id"): a.get("class") for a in arcs}
    assert classes["SOCS3_transcription__control_0"] == "stimulation"
    assert classes["SOCS3_transcription__template"] == "necessary stimulation"
    assert classes["CASP3_activation__control_1"] == "inhibition"


def test_the_same_model_gives_the_same_bytes(bundled_model, document):
    assert sbgn.to_sbgn(bundled_model) == document


def test_the_diagram_renders_to_svg(document):
    picture = svg.render_svg(document)
    root = etree.fromstring(picture)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"STAT3", "SOCS3", "nucleus"} <= texts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_any_model_gives_valid_sbgn_ml(model):
    assert sbgn.schema_problems(sbgn.to_sbgn(model)) == []


def test_validate_checks_an_sbgn_ml_file_against_the_schema(tmp_path, document):
    from pathway_export.checks.validate import validate_bytes

    good = validate_bytes(document, "good.sbgn")
    assert good.format == "sbgn" and not good.errors
    bad = validate_bytes(document.replace(b'class="macromolecule"', b'class="protein"', 1), "bad.sbgn")
    assert [f.rule for f in bad.errors] == ["sbgn:schema"] and bad.errors[0].line
