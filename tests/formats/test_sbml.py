"""SBML: exact round trips, deterministic bytes, clean libsbml checks, annotations, refusals."""

from __future__ import annotations

from pathlib import Path

import libsbml
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from pathway_export import canonical
from pathway_export.errors import FormatError, UnsupportedFeatureError
from pathway_export.formats import FORMATS, sbml
from pathway_export.checks.roundtrip import diff
from sbml_models import minimal_model, rich_model
from strategies import models

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "sbml" / "rich.sbml.xml"
NS = {"sbml": "http://www.sbml.org/sbml/level3/version2/core",
      "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "bqbiol": "http://biomodels.net/biology-qualifiers/",
      "bqmodel": "http://biomodels.net/model-qualifiers/",
      "pe": "https://pathway-export.org/ns/canonical/1"}
EXAMPLES = {"rich": rich_model, "minimal": minimal_model}
CANONICAL_FILES = ["minimal.yaml", "sbml_features.yaml"]


def _assert_same(expected, found) -> None:
    differences = diff(expected, found, rel_tol=0.0)
    assert not differences, "\n".join(str(d) for d in differences)
    assert found == expected, "\n".join(
        f"{name}: {getattr(expected, name)!r} != {getattr(found, name)!r}"
        for name in expected.__dataclass_fields__ if getattr(expected, name) != getattr(found, name))


def _xml(model) -> etree._Element:
    return etree.fromstring(sbml.to_sbml(model))


def _resources(xml: etree._Element, element_id: str, qualifier: str) -> list[list[str]]:
    """Resources of each bag under ``qualifier`` (e.g. ``bqbiol:is``) of the element with that id."""
    node = xml.find(f".//*[@id='{element_id}']")
    assert node is not None, element_id
    return [[li.get(f"{{{NS['rdf']}}}resource") for li in bag.findall(".//rdf:li", NS)]
            for bag in node.findall(f"sbml:annotation/rdf:RDF/rdf:Description/{qualifier}", NS)]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_round_trip_is_exact(name):
    model = EXAMPLES[name]()
    _assert_same(model, sbml.from_sbml(sbml.to_sbml(model)))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_double_export_gives_identical_bytes(name):
    model = EXAMPLES[name]()
    first = sbml.to_sbml(model)
    assert first == sbml.to_sbml(sbml.from_sbml(first))
    assert first == sbml.to_sbml(EXAMPLES[name]())


def test_bytes_carry_no_tool_stamp_or_date_of_today():
    text = sbml.to_sbml(rich_model()).decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<sbml ')
    assert "libSBML" not in text and "<!--" not in text


@pytest.mark.parametrize("name", CANONICAL_FILES)
def test_canonical_example_files_round_trip(repo_root, name):
    model = canonical.load(repo_root / "tests" / "data" / "canonical" / "valid" / name)
    _assert_same(model, sbml.from_sbml(sbml.to_sbml(model)))


def test_write_and_read_file(tmp_path):
    model = rich_model()
    path = sbml.write_sbml(model, tmp_path / "out" / "rich.sbml.xml")
    _assert_same(model, sbml.read_sbml(path))
    assert sbml.strip_uncarried(model) is model


def test_registry_reaches_this_module():
    spec = FORMATS["sbml"]
    assert spec.to_bytes is sbml.to_sbml and spec.from_bytes is sbml.from_sbml
    assert spec.not_carried(rich_model()) == rich_model()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(sbml=True))
def test_property_round_trip(model):
    assert canonical.check(model) == []
    data = sbml.to_sbml(model)
    _assert_same(model, sbml.from_sbml(data))
    assert sbml.to_sbml(model) == data


def test_golden_file(update_golden):
    data = sbml.to_sbml(rich_model())
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(data)
    assert GOLDEN.is_file(), f"the golden file {GOLDEN.name} is missing; write it with --update-golden"
    assert data == GOLDEN.read_bytes(), "SBML output changed; rerun with --update-golden if intended"


# --------------------------------------------------------------------------- libsbml checks


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_libsbml_category_is_clean(name):
    findings = sbml.check_consistency(sbml.to_sbml(EXAMPLES[name]()))
    assert findings == [], "\n".join(f"{f.rule} {f.element}: {f.message}" for f in findings)


def test_consistency_findings_are_data_with_rule_severity_and_place():
    model = rich_model()
    bad = sbml.to_sbml(model).replace(b'units="per_minute"', b'units="per_nM_per_minute"', 1)
    findings = sbml.check_consistency(bad)
    assert findings and all(f.rule.startswith("sbml:") for f in findings)
    assert {f.severity for f in findings} <= {"info", "warning", "error"}
    assert all(f.line for f in findings)
    assert sbml.check_consistency(bad, categories={"general", "identifier"}) == []
    with pytest.raises(ValueError, match="unknown libsbml categories"):
        sbml.check_consistency(bad, categories={"spelling"})


# --------------------------------------------------------------------------- vocabulary


def test_sbo_terms():
    xml = _xml(rich_model())
    sbo = {n.get("id"): n.get("sboTerm") for n in xml.iter() if n.get("id") and n.get("sboTerm")}
    assert sbo["STAT3_c"] == "SBO:0000252" and sbo["dimer_c"] == "SBO:0000253"
    assert sbo["GTP_c"] == "SBO:0000247" and sbo["SOCS3_gene_n"] == "SBO:0000243"
    assert sbo["SOCS3_rna_c"] == "SBO:0000250" and sbo["SOCS3_dna_n"] == "SBO:0000251"
    assert sbo["cytosol"] == "SBO:0000290"
    assert sbo["STAT3_phosphorylation"] == "SBO:0000216"
    assert sbo["STAT3_dephosphorylation"] == "SBO:0000330"
    assert sbo["STAT3_inactivation"] == "SBO:0000182"
    expected = {"dimerisation": 177, "dissociation": 180, "import": 185, "degradation": 179,
                "transcription": 183, "translation": 184, "expression": 589, "conversion": 176}
    for rid, term in expected.items():
        assert sbo[rid] == f"SBO:{term:07d}", rid
    modifiers = {m.get("species"): m.get("sboTerm") for m in
                 xml.find(".//sbml:reaction[@id='STAT3_phosphorylation']", NS).iterfind(".//sbml:modifierSpeciesReference", NS)}
    assert modifiers == {"JAK1_c": "SBO:0000013", "IL6_e": "SBO:0000459", "SOCS3_c": "SBO:0000020"}


def test_miriam_qualifiers():
    xml = _xml(rich_model())
    uri = "https://identifiers.org/"
    assert _resources(xml, "STAT3_c", "bqbiol:is")[0] == [
        uri + "uniprot:P40763", uri + "hgnc:11364", uri + "ncbigene:6774"]
    assert _resources(xml, "pSTAT3_c", "bqbiol:isVersionOf") == [[uri + "uniprot:P40763", uri + "hgnc:11364",
                                                                  uri + "ncbigene:6774"]]
    assert _resources(xml, "pSTAT3_c", "bqbiol:is") == []
    assert _resources(xml, "big_n", "bqbiol:hasPart") == [
        [uri + "uniprot:P40763", uri + "hgnc:11364", uri + "ncbigene:6774"], [uri + "uniprot:P23458"]]
    assert _resources(xml, "cytosol", "bqbiol:is") == [[uri + "GO:0005829"]]
    assert _resources(xml, "rich", "bqbiol:hasTaxon") == [[uri + "taxonomy:9606"]]
    assert _resources(xml, "rich", "bqmodel:isDescribedBy") == [[uri + "pubmed:29358674", uri + "pubmed:12345678"]]
    assert _resources(xml, "rich", "bqbiol:hasProperty") == [[uri + "DOID:9538"]]
    assert _resources(xml, "rich", "bqbiol:occursIn") == [[uri + "CL:0000182", uri + "UBERON:0002107"]]
    assert _resources(xml, "STAT3_phosphorylation", "bqbiol:isVersionOf") == [[uri + "GO:0042531"]]
    assert _resources(xml, "STAT3_phosphorylation", "bqmodel:isDescribedBy") == [
        [uri + "pubmed:29358674", uri + "pubmed:12345678"]]


def test_model_history_units_notes_and_events():
    doc = libsbml.readSBMLFromString(sbml.to_sbml(rich_model()).decode())
    m = doc.getModel()
    history = m.getModelHistory()
    assert history.getNumCreators() == 2 and history.getCreator(0).getFamilyName() == "Lovelace"
    assert history.getCreatedDate().getDateAsString() == "2026-01-01T00:00:00Z"
    assert (m.getSubstanceUnits(), m.getTimeUnits(), m.getExtentUnits()) == ("nanomole", "minute", "nanomole")
    assert m.getParameter("k_phos").getUnits() == "per_nM_per_minute"
    assert m.getCompartment("cytosol").getUnits() == "litre"
    assert "Two phospho-STAT3 form a dimer." in m.getReaction("dimerisation").getNotesString()
    assert m.getSpecies("SOCS3_c").getHasOnlySubstanceUnits()
    event = m.getEvent("IL6_stimulus")
    assert event.getTrigger().getInitialValue() is False and event.getTrigger().getPersistent()
    assert libsbml.formulaToL3String(event.getTrigger().getMath()).startswith("time >= 0")
    assert m.getAssignmentRule("total_pSTAT3") is not None
    assert not m.getParameter("total_pSTAT3").getConstant()
    for i in range(m.getNumReactions()):
        assert m.getReaction(i).isSetKineticLaw()


def test_metaids_derive_from_ids():
    xml = _xml(rich_model())
    for node in xml.iter():
        if node.get("id") and node.get("metaid"):
            assert node.get("metaid") == "meta_" + node.get("id")


def test_custom_annotation_holds_what_sbml_cannot():
    xml = _xml(rich_model())
    species = xml.find(".//sbml:species[@id='pSTAT3_c']", NS)
    mods = species.findall(".//pe:modification", NS)
    assert [(m.get("type"), m.get("residue"), m.get("position")) for m in mods] == [
        ("MOD:00048", "Y", "705"), ("MOD:00046", "S", "727")]
    assert xml.find(".//sbml:compartment[@id='nucleus']//pe:compartment", NS).get("parent") == "cytosol"
    assert xml.find(".//sbml:model/sbml:annotation/pe:model/pe:license", NS).text == "CC0-1.0"


def test_lossy_numbers_are_carried_exactly():
    model = rich_model()
    xml = _xml(model)
    assert xml.find(".//sbml:parameter[@id='k_deph']//pe:parameter", NS).get("value") == repr(1 / 3)
    assert xml.find(".//sbml:parameter[@id='k_phos']/sbml:annotation", NS) is not None


# --------------------------------------------------------------------------- refusals

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">\n'
         '<model id="m"><listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>\n'
         '<listOfSpecies><species id="x" compartment="c" initialConcentration="1" hasOnlySubstanceUnits="false" '
         'boundaryCondition="false" constant="false"/></listOfSpecies>\n'
         '<listOfParameters><parameter id="k" value="1" constant="true"/>'
         '<parameter id="y" value="1" constant="false"/></listOfParameters>\n')
_MATH = '<math xmlns="http://www.w3.org/1998/Math/MathML"><cn>1</cn></math>'
_TIME = ('<math xmlns="http://www.w3.org/1998/Math/MathML"><apply><geq/><csymbol encoding="text" '
         'definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol><cn>1</cn></apply></math>')
_REACTION = ('<listOfReactions><reaction id="R1" reversible="false"><listOfReactants>'
             '<speciesReference species="x" stoichiometry="1" constant="true"/></listOfReactants>'
             '<kineticLaw>%s</kineticLaw></reaction></listOfReactions>')

REFUSALS = {
    "unset stoichiometry": (
        (_REACTION % _MATH).replace(' stoichiometry="1"', ''),
        "an unset stoichiometry of participant 'x' of reaction 'R1'"),
    "comparison of one operand": (
        '<listOfRules><assignmentRule variable="y"><math xmlns="http://www.w3.org/1998/Math/MathML">'
        '<apply><lt/><cn>1</cn></apply></math></assignmentRule></listOfRules>', "a comparison of 1 operands"),
}


def _foreign(body: str, case: str = "") -> bytes:
    head = _HEAD
    if case == "species substance units":
        head = head.replace('<species id="x"', '<species id="x" substanceUnits="item"')
    if case == "parameter without a value":
        head = head.replace('<parameter id="y" value="1" constant="false"/>', '<parameter id="y" constant="false"/>')
    return (head + body + "</model></sbml>").encode()


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_foreign_constructs_are_refused_by_name(case):
    body, feature = REFUSALS[case]
    with pytest.raises(UnsupportedFeatureError) as info:
        sbml.from_sbml(_foreign(body, case))
    assert feature in str(info.value)


SUPPORTED = {
    "constraint with a message": (
        f'<listOfConstraints><constraint>{_MATH.replace("<cn>1</cn>", "<apply><gt/><ci>x</ci><cn>0</cn></apply>")}'
        '<message><p xmlns="http://www.w3.org/1999/xhtml">x &lt; 0</p></message></constraint>'
        f'<constraint>{_MATH.replace("<cn>1</cn>", "<true/>")}<message><p xmlns="http://www.w3.org/1999/xhtml">'
        'see <b>this</b></p></message></constraint></listOfConstraints>',
        lambda m: m.constraints[0].expression == "x > 0" and m.constraints[0].message == "x < 0"
        and m.constraints[1].message == '<p xmlns="http://www.w3.org/1999/xhtml">see <b>this</b></p>'),
    "reaction compartment": (
        (_REACTION % _MATH).replace('reversible="false"', 'reversible="false" compartment="c"'),
        lambda m: m.reactions[0].compartment == "c"),
    "reaction without participants": (
        (_REACTION % _MATH).replace('<speciesReference species="x" stoichiometry="1" constant="true"/>', ''),
        lambda m: m.reactions[0].reactants == () and m.reactions[0].rate_law == "1"),
    "rule, assignment and trigger without math": (
        '<listOfInitialAssignments><initialAssignment symbol="k"/></listOfInitialAssignments>'
        '<listOfRules><rateRule variable="y"/><algebraicRule/></listOfRules>'
        '<listOfEvents><event id="e1" useValuesFromTriggerTime="true"><listOfEventAssignments>'
        '<eventAssignment variable="y"/></listOfEventAssignments></event>'
        '<event id="e2" useValuesFromTriggerTime="false"><trigger initialValue="false" persistent="false"/>'
        '</event></listOfEvents>',
        lambda m: [r.expression for r in m.rules] == [None, None] and m.initial_assignments[0].expression is None
        and m.events[0].trigger is None and m.events[0].assignments[0].expression is None
        and m.events[1].trigger is None and not m.events[1].persistent and not m.events[1].initial_value),
    "ids spelt like built-in names": (
        '<listOfEvents><event id="pi" useValuesFromTriggerTime="true"><trigger initialValue="false" '
        f'persistent="true">{_TIME}</trigger><listOfEventAssignments><eventAssignment variable="y">'
        f'{_MATH}</eventAssignment></listOfEventAssignments></event></listOfEvents>',
        lambda m: m.events[0].id == "pi"),
    "event with delay": (
        f'<listOfEvents><event id="e1" useValuesFromTriggerTime="true"><trigger initialValue="false" persistent="true">'
        f'{_TIME}</trigger><delay>{_MATH}</delay><listOfEventAssignments><eventAssignment variable="x">{_MATH}'
        '</eventAssignment></listOfEventAssignments></event></listOfEvents>',
        lambda m: m.events[0].delay == "1" and m.events[0].trigger == "time >= 1"),
    "function definition": (
        '<listOfFunctionDefinitions><functionDefinition id="f"><math xmlns="http://www.w3.org/1998/Math/MathML">'
        '<lambda><bvar><ci>a</ci></bvar><ci>a</ci></lambda></math></functionDefinition></listOfFunctionDefinitions>',
        lambda m: m.function_definitions[0].arguments == ("a",)),
    "local parameter": (
        _REACTION % ('<math xmlns="http://www.w3.org/1998/Math/MathML"><ci>k2</ci></math>'
                     '<listOfLocalParameters><localParameter id="k2" value="1"/></listOfLocalParameters>'),
        lambda m: m.reactions[0].local_parameters[0].id == "k2"),
    "rate rule": (f'<listOfRules><rateRule variable="y">{_MATH}</rateRule></listOfRules>',
                  lambda m: m.rules[0].type == "rate" and m.rules[0].variable == "y"),
    "algebraic rule": (f'<listOfRules><algebraicRule>{_MATH}</algebraicRule></listOfRules>',
                       lambda m: m.rules[0].type == "algebraic"),
    "initial assignment": (f'<listOfInitialAssignments><initialAssignment symbol="k">{_MATH}</initialAssignment>'
                           '</listOfInitialAssignments>', lambda m: m.initial_assignments[0].target == "k"),
    "species substance units": ("", lambda m: m.entities[0].units == "item"),
    "parameter without a value": (
        f'<listOfInitialAssignments><initialAssignment symbol="y">{_MATH}</initialAssignment>'
        '</listOfInitialAssignments>', lambda m: m.parameters[1].value is None),
    "event trigger on a chained comparison": (
        '<listOfEvents><event id="e2" useValuesFromTriggerTime="true"><trigger initialValue="false" persistent="true">'
        '<math xmlns="http://www.w3.org/1998/Math/MathML"><apply><lt/><ci>x</ci><cn>1</cn><cn>2</cn></apply></math>'
        f'</trigger><listOfEventAssignments><eventAssignment variable="x">{_MATH}</eventAssignment>'
        '</listOfEventAssignments></event></listOfEvents>', lambda m: m.events[0].trigger == "x < 1 and 1 < 2"),
    "participant id set by a rule": (
        (_REACTION % _MATH).replace('<speciesReference species="x" stoichiometry="1" constant="true"/>',
                                    '<speciesReference id="sx" species="x" constant="false"/>')
        + '<listOfRules><assignmentRule variable="sx"><math xmlns="http://www.w3.org/1998/Math/MathML">'
          '<apply><times/><cn>2</cn><ci>k</ci></apply></math></assignmentRule></listOfRules>',
        lambda m: m.reactions[0].reactants[0].id == "sx" and m.rules[0].variable == "sx"),
    "xor, implies and sec": (
        '<listOfRules><assignmentRule variable="y"><math xmlns="http://www.w3.org/1998/Math/MathML">'
        '<piecewise><piece><apply><sec/><ci>k</ci></apply><apply><xor/><apply><implies/><true/><false/></apply>'
        '<apply><gt/><ci>k</ci><cn>0</cn></apply><false/></apply></piece><otherwise><cn>0</cn></otherwise>'
        '</piecewise></math></assignmentRule></listOfRules>',
        lambda m: m.rules[0].expression == "piecewise(sec(k), xor(implies(true, false), k > 0, false), 0)"),
}


@pytest.mark.parametrize("case", sorted(SUPPORTED))
def test_foreign_simulation_constructs_are_read(case):
    body, check = SUPPORTED[case]
    model = sbml.from_sbml(_foreign(body, case))
    assert check(model)
    assert canonical.check(model) == []
    _assert_same(model, sbml.from_sbml(sbml.to_sbml(model)))


def test_fast_reaction_is_held_and_written_where_the_level_allows():
    text = (_HEAD.replace("version2/core", "version1/core").replace('version="2"', 'version="1"')
            + (_REACTION % _MATH).replace('reversible="false"', 'reversible="false" fast="true"')
            + "</model></sbml>")
    model = sbml.from_sbml(text.encode())
    assert model.reactions[0].fast
    # Level 3 Version 2 has no 'fast': the export keeps it in its annotation, and says so
    xml = _xml(model)
    assert xml.find(".//sbml:reaction[@id='R1']", NS).get("fast") is None
    assert xml.find(".//sbml:reaction[@id='R1']//pe:reaction", NS).get("fast") == "true"
    assert sbml.from_sbml(sbml.to_sbml(model)) == model
    assert [p.message for p in canonical.advice(model)] == ["a fast reaction"]


_MATHML = '<math xmlns="http://www.w3.org/1998/Math/MathML">%s</math>'
_AVOGADRO = '<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/avogadro">avogadro</csymbol>'


def test_ids_shadow_built_in_names_as_in_sbml():
    """A local parameter ``avogadro`` is that parameter, not the constant; a global ``time`` is that
    parameter, not the clock; a function ``max`` is that function; the shadowed built-ins stay
    reachable and every meaning survives the trip."""
    body = (
        '<listOfFunctionDefinitions><functionDefinition id="max">' + _MATHML % (
            '<lambda><bvar><ci>pi</ci></bvar><apply><times/><ci>pi</ci><pi/></apply></lambda>')
        + '</functionDefinition></listOfFunctionDefinitions>'
        + (_REACTION % (_MATHML % (f'<apply><times/><ci>avogadro</ci>{_AVOGADRO}<apply><ci>max</ci><ci>time</ci>'
                                   '</apply><apply><max/><ci>x</ci><ci>lambda</ci></apply></apply>')
                        + '<listOfLocalParameters><localParameter id="avogadro" value="2"/></listOfLocalParameters>'))
        + '<listOfRules><assignmentRule variable="y">' + _MATHML % (
            f'<apply><plus/><ci>time</ci>{_AVOGADRO}<csymbol encoding="text" '
            'definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol></apply>')
        + '</assignmentRule></listOfRules>')
    head = _HEAD.replace('<parameter id="k" value="1" constant="true"/>',
                         '<parameter id="time" value="3" constant="true"/><parameter id="lambda" value="4" '
                         'constant="true"/>')
    model = sbml.from_sbml((head + body + "</model></sbml>").encode())
    assert model.function_definitions[0].body == "pi * builtin.pi"
    assert model.reactions[0].rate_law == "avogadro * builtin.avogadro * max(time) * builtin.max(x, lambda)"
    assert model.rules[0].expression == "time + avogadro + builtin.time"
    assert canonical.check(model) == []
    again = sbml.from_sbml(sbml.to_sbml(model))
    assert again == model
    doc = libsbml.readSBMLFromString(sbml.to_sbml(model).decode())
    law = doc.getModel().getReaction(0).getKineticLaw()
    leaves, stack = [], [law.getMath()]
    while stack:
        node = stack.pop()
        if node.getNumChildren() == 0:
            leaves.append((node.getType(), node.getName()))
        stack.extend(node.getChild(i) for i in reversed(range(node.getNumChildren())))
    assert leaves[:3] == [(libsbml.AST_NAME, "avogadro"), (libsbml.AST_NAME_AVOGADRO, "avogadro"),
                          (libsbml.AST_NAME, "time")]
    assert canonical.loads(canonical.dumps(model)) == model


def test_package_is_refused_by_name():
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" '
            'xmlns:fbc="http://www.sbml.org/sbml/level3/version1/fbc/version2" level="3" version="1" '
            'fbc:required="false"><model id="m" fbc:strict="true"/></sbml>')
    with pytest.raises(UnsupportedFeatureError, match="SBML package 'fbc'"):
        sbml.from_sbml(text.encode())


def test_foreign_sbml_is_read_as_far_as_the_model_holds_it():
    body = (_REACTION % '<math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>x</ci>'
            '<ci>c</ci></apply></math>').replace('reversible="false"', 'reversible="false" sboTerm="SBO:0000179"')
    model = sbml.from_sbml((_HEAD.replace('<parameter id="y" value="1" constant="false"/>', '') + body
                            + "</model></sbml>").encode())
    assert model.reactions[0].type == "degradation"
    assert model.reactions[0].rate_law == "k * x * c"
    assert model.entities[0].molecule == model.molecules[0].id
    assert canonical.check(model) == []


def test_malformed_document_names_line():
    text = _HEAD + "<listOfReactions><reaction id='R'></listOfReactions></model></sbml>"
    with pytest.raises(FormatError) as info:
        sbml.from_sbml(text.encode(), source="bad.xml")
    assert any(p.line for p in info.value.problems)
    assert "bad.xml:" in str(info.value)


def test_entity_declarations_are_refused():
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE sbml [\n <!ENTITY a "aaaaaaaaaa">\n <!ENTITY b "&a;&a;&a;&a;">\n]>\n'
            b'<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">'
            b'<model id="m" name="&b;"/></sbml>')
    with pytest.raises(FormatError, match="ENTITY") as info:
        sbml.from_sbml(bomb)
    assert info.value.problems[0].line == 3
    external = bomb.replace(b'"aaaaaaaaaa"', b'SYSTEM "file:///etc/passwd"')
    with pytest.raises(FormatError):
        sbml.reject_unsafe_xml(external)
    with pytest.raises(FormatError):
        sbml.check_consistency(bomb)


# --------------------------------------------------------------------------- corpus


IL6_MODELS = ["BIOMD0000000093.xml", "BIOMD0000000094.xml", "BIOMD0000000151.xml"]


@pytest.mark.parametrize("name", IL6_MODELS)
def test_corpus_models_are_read_whole_and_round_trip(corpus, name):
    """Every species, reaction, compartment and parameter of the BioModels IL-6 models is read,
    and the model writes and reads back unchanged (all three are within what we hold)."""
    path = corpus / "sbml" / "il6" / name
    model = sbml.read_sbml(path)
    document = libsbml.readSBMLFromFile(str(path)).getModel()
    assert model.id == document.getId()
    assert (len(model.entities), len(model.reactions), len(model.compartments), len(model.parameters)) == (
        document.getNumSpecies(), document.getNumReactions(), document.getNumCompartments(),
        document.getNumParameters())
    assert {e.id for e in model.entities} == {document.getSpecies(i).getId() for i in range(document.getNumSpecies())}
    assert sbml.from_sbml(sbml.to_sbml(model)) == model


# --------------------------------------------------------------------------- what sets a stoichiometry

_NAMED = ('<listOfReactions><reaction id="R1" reversible="false"><listOfReactants>'
          '<speciesReference id="s1" species="x" %s/></listOfReactants>'
          f'<kineticLaw>{_MATH}</kineticLaw></reaction></listOfReactions>')
_ALGEBRAIC = f'<algebraicRule>{_MATH}</algebraicRule>'
_SETS_S1 = {
    "a rate rule": (f'<listOfRules>{_ALGEBRAIC}<rateRule variable="s1">{_MATH}</rateRule></listOfRules>', ""),
    "an event": (f'<listOfRules>{_ALGEBRAIC}</listOfRules>',
                 f'<listOfEvents><event id="e1" useValuesFromTriggerTime="true"><trigger initialValue="false" '
                 f'persistent="true">{_TIME}</trigger><listOfEventAssignments><eventAssignment variable="s1">'
                 f'{_MATH}</eventAssignment></listOfEventAssignments></event></listOfEvents>'),
}


@pytest.fixture
def no_lookups_by_id(monkeypatch):
    """libsbml's look-ups by id scan a whole list per call: the reader indexes once instead."""
    import libsbml

    def refuse(name):
        real = getattr(libsbml.Model if name != "getEventAssignment" else libsbml.Event, name)

        def lookup(self, *args):
            if args and isinstance(args[0], str):
                raise AssertionError(f"{name}({args[0]!r}): a scan of the whole list per call")
            return real(self, *args)
        return lookup
    for name in ("getAssignmentRule", "getAssignmentRuleByVariable", "getRuleByVariable",
                 "getInitialAssignmentBySymbol", "getRateRule", "getRateRuleByVariable"):
        monkeypatch.setattr(libsbml.Model, name, refuse(name))
    monkeypatch.setattr(libsbml.Event, "getEventAssignment", refuse("getEventAssignment"))


def test_a_stoichiometry_beside_algebraic_rules_is_refused_unless_something_sets_it(no_lookups_by_id):
    body = (_NAMED % 'stoichiometry="1" constant="false"') + f'<listOfRules>{_ALGEBRAIC}</listOfRules>'
    with pytest.raises(UnsupportedFeatureError, match="the non-constant stoichiometry 's1' of participant 'x' "
                                                      "of reaction 'R1' beside algebraic rules"):
        sbml.from_sbml(_foreign(body))
    for what, (rules, events) in _SETS_S1.items():
        model = sbml.from_sbml(_foreign((_NAMED % 'stoichiometry="1" constant="false"') + rules + events))
        assert model.reactions[0].reactants[0].id == "s1", what


def test_an_unset_stoichiometry_set_by_an_initial_assignment_or_rule_is_read(no_lookups_by_id):
    for setter in (f'<listOfInitialAssignments><initialAssignment symbol="s1">{_MATH}</initialAssignment>'
                   '</listOfInitialAssignments>',
                   f'<listOfRules><assignmentRule variable="s1">{_MATH}</assignmentRule></listOfRules>'):
        model = sbml.from_sbml(_foreign((_NAMED % 'constant="false"') + setter))
        assert model.reactions[0].reactants[0].id == "s1"
    # a rate rule does not give an unset stoichiometry its initial value
    with pytest.raises(UnsupportedFeatureError, match="an unset stoichiometry of participant 'x'"):
        sbml.from_sbml(_foreign((_NAMED % 'constant="false"')
                                + f'<listOfRules><rateRule variable="s1">{_MATH}</rateRule></listOfRules>'))


def test_the_bundled_model_reads_back_without_lookups_by_id(no_lookups_by_id, bundled_model):
    assert sbml.from_sbml(sbml.to_sbml(bundled_model)) == bundled_model


_L2 = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4"><model id="m">'
       '<listOfCompartments><compartment id="c" size="1" units="volume"/></listOfCompartments>'
       '<listOfSpecies><species id="x" compartment="c" initialAmount="10" substanceUnits="substance"/>'
       '<species id="y" compartment="c" initialAmount="0"/></listOfSpecies>'
       '<listOfParameters><parameter id="k" value="0.5" units="time"/></listOfParameters>'
       '<listOfReactions><reaction id="R1" reversible="false"><listOfReactants><speciesReference species="x">'
       '<stoichiometryMath><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><cn>2</cn><ci>k</ci>'
       '</apply></math></stoichiometryMath></speciesReference></listOfReactants><listOfProducts>'
       '<speciesReference species="y"/></listOfProducts><kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">'
       '<apply><times/><ci>k</ci><ci>x</ci></apply></math></kineticLaw></reaction></listOfReactions>'
       '</model></sbml>')


def test_level2_constructs_are_read_through_their_level3_equivalents():
    """Level 2's built-in units become unit definitions and model units; stoichiometryMath an
    assignment rule on the species reference; the re-export simulates as the original."""
    model = sbml.from_sbml(_L2.encode())
    units = {u.id: u.factors for u in model.unit_definitions}
    assert {"volume", "substance", "time"} <= set(units)
    assert units["volume"][0].kind == "litre" and units["substance"][0].kind == "mole"
    assert model.compartments[0].units == "volume" and model.units.substance == "substance"
    reactant = model.reactions[0].reactants[0]
    assert reactant.id is not None
    assert [(r.type, r.variable, r.expression) for r in model.rules] == [("assignment", reactant.id, "2 * k")]
    assert canonical.check(model) == []
    assert sbml.from_sbml(sbml.to_sbml(model)) == model
    from pathway_export.checks.simulate import simulate_roadrunner

    original = simulate_roadrunner(_L2, 4, 9)
    again = simulate_roadrunner(sbml.to_sbml(model), 4, 9)
    for name in ("x", "y"):
        assert again[name] == pytest.approx(original[name], rel=1e-6, abs=1e-9)


def test_every_blocker_of_a_file_is_named_at_once():
    body = ('<listOfRules><assignmentRule variable="y"><math xmlns="http://www.w3.org/1998/Math/MathML">'
            '<apply><lt/><cn>1</cn></apply></math></assignmentRule></listOfRules>'
            + (_REACTION % _MATH).replace(' stoichiometry="1"', ''))
    text = _foreign(body).replace(b'<listOfParameters>', b'<listOfParameters><parameter id="and" value="1" '
                                                         b'constant="true"/>')
    with pytest.raises(UnsupportedFeatureError) as info:
        sbml.from_sbml(text, source="two.xml")
    refusals = [str(r) for r in info.value.refusals]
    assert len(refusals) == 2, refusals
    assert "a comparison of 1 operands" in refusals[0] + refusals[1]
    assert "an unset stoichiometry of participant 'x'" in refusals[0] + refusals[1]
    assert str(info.value).startswith("two.xml: cannot represent 2 features:")


def test_reading_reports_its_progress():
    seen = []
    sbml.from_sbml(sbml.to_sbml(rich_model()), progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 100) and seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 3
