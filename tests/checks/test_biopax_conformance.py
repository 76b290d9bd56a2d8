"""BioPAX Level 3 conformance: classes, properties, domains, ranges, datatypes, cardinalities.

The ontology tables are generated from the BioPAX Level 3 OWL file in the Paxtools jar
(``scripts/biopax_level3_table.py``); one test regenerates them and compares.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from needs import missing
from pathway_export.checks.biopax_rules import check_biopax
from pathway_export.formats.biopax.level3 import CLASSES, PROPERTIES

ROOT = Path(__file__).resolve().parents[2]

HEAD = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:bp="http://www.biopax.org/release/biopax-level3.owl#" xml:base="http://example.org/">
"""


def _findings(body: bytes, rule: str | None = None):
    findings = check_biopax(HEAD + body + b"\n</rdf:RDF>", "t.owl")
    return [f for f in findings if rule is None or f.rule == f"biopax:{rule}"]


def test_the_tables_hold_the_level3_ontology():
    assert len(CLASSES) == 68 and len(PROPERTIES) == 96
    assert CLASSES["Protein"]["superclasses"] == ["PhysicalEntity"]  # no SimplePhysicalEntity in the OWL
    assert PROPERTIES["stoichiometricCoefficient"]["range"] == {"datatype": "xsd:float"}
    assert PROPERTIES["displayName"]["functional"] and PROPERTIES["displayName"]["superproperties"] == ["name"]
    assert {"property": "controlType", "has_value": "ACTIVATION"} in CLASSES["Catalysis"]["restrictions"]
    assert "taxonXref" not in PROPERTIES  # a Level 2 property


def test_the_tables_are_generated_from_the_owl_file_in_the_paxtools_jar():
    if importlib.util.find_spec("paxtools") is None:
        missing("the paxtools package (Python 3.13) is not installed")
    spec = importlib.util.spec_from_file_location("biopax_level3_table", ROOT / "scripts" / "biopax_level3_table.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    committed = (ROOT / "pathway_export" / "formats" / "biopax" / "level3.py").read_text(encoding="utf-8")
    assert script.generate() == committed, "rerun scripts/biopax_level3_table.py"


def test_unknown_property_is_named_with_the_likely_one():
    [f] = _findings(b'<bp:BioSource rdf:about="b"><bp:taxonXref rdf:resource="x"/></bp:BioSource>'
                    b'<bp:UnificationXref rdf:about="x"><bp:db>taxonomy</bp:db><bp:id>9606</bp:id></bp:UnificationXref>',
                    "unknown-property")
    assert f.severity == "error" and "taxonXref" in f.message and f.hint == "did you mean 'xref'?"
    assert f.element == "BioSource http://example.org/b" and f.line == 4


def test_unknown_class():
    [f] = _findings(b'<bp:Protien rdf:about="p"/>', "unknown-class")
    assert "Protien" in f.message and f.hint == "did you mean 'Protein'?"


def test_property_outside_its_domain():
    [f] = _findings(b'<bp:Complex rdf:about="c"><bp:entityReference rdf:resource="r"/></bp:Complex>'
                    b'<bp:ProteinReference rdf:about="r"><bp:organism rdf:resource="o"/></bp:ProteinReference>',
                    "domain")
    assert "entityReference is not a property of Complex" in f.message
    assert "Dna, DnaRegion, Protein" in f.message


def test_ranges_classes_restrictions_literals_and_enumerations():
    body = (b'<bp:Catalysis rdf:about="k"><bp:controlled rdf:resource="tr"/>'
            b'<bp:controller rdf:resource="p"/><bp:controlType>INHIBITION</bp:controlType></bp:Catalysis>'
            b'<bp:TemplateReaction rdf:about="tr"/><bp:Catalysis rdf:about="k2"><bp:controlled rdf:resource="p"/></bp:Catalysis>'
            b'<bp:Protein rdf:about="p"><bp:cellularLocation>cytosol</bp:cellularLocation>'
            b'<bp:displayName rdf:resource="k"/></bp:Protein>'
            b'<bp:BiochemicalReaction rdf:about="r"><bp:conversionDirection>LEFT_TO_RIGHT</bp:conversionDirection>'
            b'<bp:spontaneous>yes</bp:spontaneous></bp:BiochemicalReaction>'
            b'<bp:Transport rdf:about="t"><bp:conversionDirection>SIDEWAYS</bp:conversionDirection></bp:Transport>')
    messages = sorted(f.message for f in _findings(body, "range"))
    assert "controlled http://example.org/tr is a TemplateReaction; controlled of a Catalysis takes Conversion " \
        "objects only" in messages
    assert "controlled http://example.org/p is a Protein; controlled takes Interaction or Pathway objects only" \
        in messages
    assert any("controlType is 'INHIBITION'; a Catalysis has controlType 'ACTIVATION'" in m for m in messages)
    assert any("cellularLocation holds the literal 'cytosol'" in m for m in messages)
    assert any("displayName refers to http://example.org/k" in m for m in messages)
    assert any("conversionDirection is 'SIDEWAYS'" in m for m in messages)
    assert not any("LEFT_TO_RIGHT" in m for m in messages)  # Paxtools' spelling of LEFT-TO-RIGHT
    [datatype] = _findings(body, "datatype")
    assert "spontaneous is 'yes', not a valid xsd:boolean" in datatype.message


def test_datatypes():
    body = (b'<bp:Stoichiometry rdf:about="s"><bp:stoichiometricCoefficient>two</bp:stoichiometricCoefficient>'
            b'<bp:physicalEntity rdf:resource="p"/></bp:Stoichiometry><bp:Protein rdf:about="p"/>'
            b'<bp:SequenceSite rdf:about="q"><bp:sequencePosition>7.5</bp:sequencePosition></bp:SequenceSite>'
            b'<bp:Stoichiometry rdf:about="ok"><bp:stoichiometricCoefficient> 1.5E0 </bp:stoichiometricCoefficient>'
            b'<bp:physicalEntity rdf:resource="p"/></bp:Stoichiometry>')
    found = _findings(body, "datatype")
    assert sorted(f.element for f in found) == ["SequenceSite http://example.org/q", "Stoichiometry http://example.org/s"]


def test_cardinalities_functional_exact_minimum_and_any_of():
    body = (b'<bp:Protein rdf:about="p"><bp:displayName>A</bp:displayName><bp:displayName>B</bp:displayName></bp:Protein>'
            b'<bp:Stoichiometry rdf:about="s"><bp:stoichiometricCoefficient>1</bp:stoichiometricCoefficient></bp:Stoichiometry>'
            b'<bp:Evidence rdf:about="e"><bp:comment>no code</bp:comment></bp:Evidence>')
    messages = {f.element.split()[0]: f.message for f in _findings(body, "cardinality")}
    assert messages["Protein"] == "displayName has 2 values; it is functional (at most one)"
    assert messages["Stoichiometry"] == "has 0 physicalEntity values; a Stoichiometry has exactly 1"
    assert "confidence or evidenceCode or experimentalForm" in messages["Evidence"]


def test_symmetric_and_inverse_functional():
    body = (b'<bp:BindingFeature rdf:about="a"><bp:bindsTo rdf:resource="b"/></bp:BindingFeature>'
            b'<bp:BindingFeature rdf:about="b"/>'
            b'<bp:ProteinReference rdf:about="r1"><bp:entityFeature rdf:resource="a"/></bp:ProteinReference>'
            b'<bp:ProteinReference rdf:about="r2"><bp:entityFeature rdf:resource="a"/></bp:ProteinReference>'
            b'<bp:Protein rdf:about="p"/><bp:Complex rdf:about="c1"><bp:component rdf:resource="p"/></bp:Complex>'
            b'<bp:Complex rdf:about="c2"><bp:component rdf:resource="p"/></bp:Complex>')
    [symmetric] = _findings(body, "symmetric")
    assert symmetric.element == "BindingFeature http://example.org/a"
    shared = {f.message.split()[0]: f.severity for f in _findings(body, "inverse-functional")}
    assert shared == {"entityFeature": "error", "component": "info"}


@pytest.mark.parametrize("name", ["biopax3-short-metabolic-pathway.owl", "biopax3-phosphorylation-reaction.owl"])
def test_the_specifications_own_examples_conform(name):
    path = ROOT.parent / "shared" / "corpus" / "biopax" / "validator" / "examples" / name
    if not path.is_file():
        missing(f"{path.name} of the shared corpus is not there")
    assert [f for f in check_biopax(path.read_bytes(), name) if f.severity == "error"] == []
