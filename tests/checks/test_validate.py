"""checks/validate.py: detection by content, checks per format, suppression, renderers, the corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from junitparser import JUnitXml

from pathway_export.checks import config, report, validate
from pathway_export.checks.validate import Options, detect, parse_sbml_checks, validate_file

DATA = Path(__file__).resolve().parents[1] / "data"
MINIMAL = DATA / "canonical" / "valid" / "minimal.yaml"
HOSTILE = DATA / "hostile"


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("data, fmt, detail", [
    (b"id: m\nname: M\n", "canonical", "canonical YAML"),
    (b'  {"id": "m"}', "canonical", "canonical JSON"),
    (b'<?xml version="1.0"?>\n<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4"/>',
     "sbml", "SBML Level 2 Version 4"),
    (b'<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"><model/></sbml>',
     "sbml", "SBML Level 3 Version 2"),
    (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     b'xmlns:bp="http://www.biopax.org/release/biopax-level3.owl#"/>', "biopax", "BioPAX Level 3"),
    (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     b'xmlns:bp="http://www.biopax.org/release/biopax-level2.owl#"/>', "biopax", "BioPAX Level 2"),
    (b"", "", "empty"),
    (b"\x00\x01\x02garbage", "", "binary"),
    (b"PK\x03\x04rest", "", "binary"),
    (b"<!DOCTYPE html><html><body/></html>", "", "HTML"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "", "XML"),
])
def test_format_is_detected_from_content(data, fmt, detail):
    found = detect(data)
    assert (found.format, found.detail) == (fmt, detail)
    assert (found.problem is None) == bool(fmt)


def test_extension_does_not_decide(tmp_path):
    sbml = (DATA / "hostile" / "sbml_duplicate_id.xml").read_bytes()
    misnamed = tmp_path / "model.yaml"
    misnamed.write_bytes(sbml)
    result = validate_file(misnamed)
    assert result.format == "sbml"
    assert {f.rule for f in result.errors} >= {"sbml:10301"}


def test_gzip_is_read_and_bounded(tmp_path):
    import gzip

    path = tmp_path / "m.yaml.gz"
    path.write_bytes(gzip.compress(MINIMAL.read_bytes()))
    assert validate_file(path, Options(roundtrip=False)).is_valid
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b" " * 5_000_000))
    result = validate_file(bomb, Options(max_bytes=1_000_000))
    assert [f.rule for f in result.errors] == ["input:too-large"]


# --------------------------------------------------------------------------- options


def test_sbml_check_specs():
    every = set(validate.SBML_CATEGORIES)
    assert parse_sbml_checks([]) == every
    assert parse_sbml_checks(["-units,-practice"]) == every - {"units", "modelling_practice"}
    assert parse_sbml_checks(["general", "identifier"]) == {"general", "identifier"}
    assert parse_sbml_checks(["none", "+units"]) == {"units"}
    with pytest.raises(ValueError, match="unknown libsbml check category 'unitz'"):
        parse_sbml_checks(["-unitz"])


# --------------------------------------------------------------------------- checks per format


def test_canonical_model_is_loaded_and_tripped():
    result = validate_file(MINIMAL)
    assert result.format == "canonical" and result.is_valid, result.errors
    names = {c.name: c.status for c in result.checks}
    assert names["canonical"] == "passed"
    assert "roundtrip:sbml" in names and names["roundtrip:sbml"] != "skipped"
    assert "roundtrip:biopax" in names


def test_canonical_problems_carry_line_column_rule_and_fix():
    result = validate_file(DATA / "canonical" / "invalid" / "dangling_reference.yaml")
    [finding] = result.errors
    assert finding.rule == "canonical:dangling-reference"
    assert finding.element == "reactions[0].controls[1].controller"
    assert finding.line and finding.column
    assert "SOCS3_c" in finding.hint
    assert {c.name: c.status for c in result.checks}["roundtrip"] == "skipped"


def test_every_invalid_canonical_fixture_fails_with_a_named_rule():
    for path in sorted((DATA / "canonical" / "invalid").iterdir()):
        result = validate_file(path, Options(roundtrip=False))
        assert result.errors, path.name
        assert all(re.match(r"^[a-z]+:[a-z-]+$", f.rule) for f in result.errors), path.name


def test_sbml_categories_can_be_switched_off(corpus):
    path = corpus / "sbml" / "il6" / "BIOMD0000000151.xml"
    every = validate_file(path, Options(roundtrip=False))
    assert every.is_valid
    assert any(f.check == "sbml:units" for f in every.warnings)
    fewer = validate_file(path, Options(roundtrip=False,
                                        sbml_categories=parse_sbml_checks(["-units", "-practice"])))
    assert not any(f.check in ("sbml:units", "sbml:modelling_practice") for f in fewer.findings)
    statuses = {c.name: c.status for c in fewer.checks}
    assert statuses["sbml:units"] == statuses["sbml:modelling_practice"] == "off"
    assert len(fewer.findings) < len(every.findings)


def test_sbml_dangling_and_duplicate_ids_fail_with_libsbml_ids():
    dangling = validate_file(HOSTILE / "sbml_dangling_reference.xml")
    rules = {f.rule: f for f in dangling.errors}
    assert "sbml:20601" in rules and rules["sbml:20601"].element == "pSTAT3"
    assert any("pSTAT3_typo" in f.message for f in dangling.errors)
    duplicate = validate_file(HOSTILE / "sbml_duplicate_id.xml")
    assert {"sbml:10301"} <= {f.rule for f in duplicate.errors}
    assert all(f.line for f in duplicate.errors)


# --------------------------------------------------------------------------- suppression


def test_suppression_hides_warnings_not_errors(tmp_path, corpus):
    (tmp_path / "pathway-export.toml").write_text(
        '[validate]\nsuppress = ["sbml:8*", "sbml:10501", "sbml:20601"]\n')
    settings = config.load(start=tmp_path)
    assert settings.path == tmp_path / "pathway-export.toml"
    options = Options(roundtrip=False, suppress=settings.suppresses)
    result = validate_file(corpus / "sbml" / "il6" / "BIOMD0000000151.xml", options)
    assert result.suppressed and all(f.rule.startswith("sbml:8") or f.rule == "sbml:10501"
                                     for f in result.suppressed)
    assert not any(f.rule.startswith("sbml:8") for f in result.findings)
    dangling = validate_file(HOSTILE / "sbml_dangling_reference.xml", options)
    assert "sbml:20601" in {f.rule for f in dangling.errors}  # an error is never suppressed
    assert validate.unsuppressible(dangling, options)


def test_config_found_upward_in_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.pathway-export.validate]\nsuppress = ["sbml:10501"]\nfail-on = "warning"\n'
        '[tool.pathway-export.validate.per-file-suppress]\n"legacy/*.xml" = ["sbml:99505"]\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    settings = config.load(start=deep)
    assert settings.fail_on == "warning" and settings.suppresses("sbml:10501")
    assert settings.suppresses("sbml:99505", tmp_path / "legacy" / "m.xml")
    assert not settings.suppresses("sbml:99505", tmp_path / "current" / "m.xml")


def test_config_errors_name_the_key(tmp_path):
    (tmp_path / "pathway-export.toml").write_text('[validate]\nsupress = ["x:1"]\n')
    with pytest.raises(config.ConfigError, match="did you mean 'suppress'"):
        config.load(start=tmp_path)


# --------------------------------------------------------------------------- renderers


@pytest.fixture(scope="module")
def mixed_reports():
    return [validate_file(MINIMAL), validate_file(HOSTILE / "sbml_duplicate_id.xml"),
            validate_file(HOSTILE / "page.html")]


def test_json_follows_the_documented_schema(mixed_reports):
    schema = json.loads(report.schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(report.to_json(mixed_reports))
    jsonschema.validate(data, schema)
    assert data["ok"] is False and data["summary"]["failed"] == 2
    assert [f["format"] for f in data["files"]] == ["canonical", "sbml", None]


def test_junit_is_read_by_a_junit_parser(tmp_path, mixed_reports):
    path = tmp_path / "report.xml"
    path.write_bytes(report.to_junit(mixed_reports))
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert [s.name for s in suites] == [r.source for r in mixed_reports]
    failing = {case.name for case in suites[1] if not case.is_passed and not case.is_skipped}
    assert "sbml:identifier" in failing
    assert xml.failures == sum(1 for s in suites for c in s if c.result and not c.is_skipped)


def test_text_groups_by_file_and_element(mixed_reports):
    text = report.to_text(mixed_reports, show="all")
    assert "sbml_duplicate_id.xml [SBML Level 3 Version 2]: FAILED" in text
    assert "\n  STAT3\n    error [sbml:10301]" in text
    assert text.rstrip().splitlines()[-1].startswith("3 files checked: 2 failed")
    assert "\x1b[" not in text


def test_same_input_same_report(mixed_reports):
    again = [validate_file(Path(r.source)) for r in mixed_reports]
    assert report.to_json(again) == report.to_json(mixed_reports)
    assert report.to_junit(again) == report.to_junit(mixed_reports)


# --------------------------------------------------------------------------- the corpus


def _corpus_files(corpus: Path, folder: str, pattern: str) -> list[Path]:
    return sorted((corpus / folder).glob(pattern))


def test_corpus_il6_models_validate(corpus):
    for path in _corpus_files(corpus, "sbml/il6", "*.xml"):
        result = validate_file(path)
        assert result.is_valid, (path.name, result.errors[:3])
        assert result.format == "sbml"


def test_corpus_test_suite_cases_validate(corpus):
    cases = sorted((corpus / "sbml-test-suite" / "semantic").glob("*/*-sbml-l3v2.xml"))[:40]
    assert cases
    for path in cases:
        result = validate_file(path)
        assert result.is_valid, (path.name, result.errors[:3])


def test_corpus_invalid_sbml_fails_with_libsbml_errors(corpus):
    for path in _corpus_files(corpus, "sbml/invalid", "*.xml"):
        result = validate_file(path)
        assert not result.is_valid, path.name
        assert "sbml:20203" in {f.rule for f in result.errors}  # empty listOf: cobrapy's fixture


def test_corpus_biopax_level2_is_named(corpus):
    result = validate_file(corpus / "biopax" / "paxtools" / "biopax-example-short-pathway.owl")
    assert result.format_detail == "BioPAX Level 2"
    [error] = result.errors
    assert error.rule == "biopax:level2" and "Level 2" in error.message


def test_corpus_utf8_declared_latin1_is_an_error(corpus):
    """Decision: a file that declares UTF-8 but is not is refused (never guessed), naming the byte."""
    result = validate_file(corpus / "biopax" / "paxtoolsr" / "biopax3_utf8_char.xml")
    [error] = result.errors
    assert error.rule == "xml:encoding" and "0xe9" in error.message and error.line
    assert result.format_detail == "BioPAX Level 3"


BIOPAX_VALID = [
    "biopax/cpath2/PW000146.owl", "biopax/cpath2/hsa00010.owl", "biopax/cpath2/pid_60446.owl",
    "biopax/paxtools/Glycolysis_I_HumanCyc.owl", "biopax/paxtools/UreaCycle.owl", "biopax/paxtools/WP561.owl",
    "biopax/paxtools/activation.owl",
    "biopax/paxtools/controlchain.owl", "biopax/paxtools/modulation.owl",
    "biopax/pybiopax/molecular_interactions_test.owl",
    "biopax/validator/examples/biopax3-short-metabolic-pathway.owl",
    "biopax/validator/examples/biopax3-phosphorylation-reaction.owl",
    "biopax/validator/examples/testSimplePhysicalEntityFeaturesRuleFixed.owl",
    "biopax/validator/examples/testClonedUtilityClassRuleFixed.owl",
]
"""BioPAX Level 3 files from elsewhere that the reader accepts and that break no error-level rule."""


@pytest.mark.parametrize("relative", BIOPAX_VALID)
def test_corpus_biopax_files_the_reader_accepts_validate(corpus, relative):
    result = validate_file(corpus / relative)
    checks = {c.name: c for c in result.checks}
    assert checks["biopax:rules"].status != "skipped", checks["biopax:rules"].reason
    assert result.is_valid, result.errors[:3]


def _rule_breaking(corpus: Path) -> list[Path]:
    return [p for p in sorted((corpus / "biopax" / "validator" / "examples").glob("test*Rule.owl"))]


def test_corpus_rule_breaking_biopax_files_report_their_rule(corpus):
    """The BioPAX validator names each test file after the rule it breaks: that rule must fire."""
    from pathway_export.checks.biopax_rules import rule_for, rule_names

    implemented = set(rule_names())
    checked = 0
    for path in _rule_breaking(corpus):
        rule = rule_for(path.stem[len("test"):])
        result = validate_file(path)
        if rule not in implemented:
            continue
        fired = [f for f in result.findings if f.rule == f"biopax:{rule}"]
        assert fired, (path.name, [f.rule for f in result.findings])
        if any(f.severity == "error" for f in fired):
            assert not result.is_valid
        checked += 1
    assert checked >= 13


@pytest.mark.parametrize("relative, rule", [
    ("biopax/validator/examples/testControlTypeRule.owl", "biopax:range"),
    ("biopax/validator/examples/testAcyclicComplexRule.owl", "biopax:AcyclicComplexRule"),
    ("biopax/validator/examples/testSyntaxErrors.owl", "biopax:unknown-property"),
    ("biopax/validator/test-resources/testSyntaxErrors.xml", "biopax:DanglingPropertyValueRule"),
    ("biopax/validator/test-resources/testSyntaxErrors.xml", "biopax:unknown-property"),
    ("biopax/validator/test-resources/testSyntaxErrors.xml", "biopax:inverse-functional"),
    ("biopax/validator/test-resources/testMemberPhysicalEntityRange.xml", "biopax:range"),
    ("biopax/validator/examples/biopax3-genetic-interaction.owl", "biopax:cardinality"),
    # a property element with rdf:ID and no value: RDF reads an empty literal, not a reference
    ("biopax/paxtools/biopax3-short-metabolic-pathway.owl", "biopax:range"),
    ("biopax/cpath2/biopax-level3-test.owl", "biopax:DanglingPropertyValueRule"),
])
def test_corpus_invalid_biopax_fails_with_the_right_finding(corpus, relative, rule):
    result = validate_file(corpus / relative)
    assert rule in {f.rule for f in result.errors}


def test_every_corpus_biopax_file_gets_a_verdict_not_a_crash(corpus):
    for path in sorted((corpus / "biopax").rglob("*")):
        if not path.is_file() or path.name.endswith(".gz"):
            continue
        result = validate_file(path)
        assert result.format == "biopax", path
        assert all(f.rule.split(":")[0] in ("biopax", "xml", "roundtrip") for f in result.findings), path


# --------------------------------------------------------------------------- every error at once

THREE_BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m" substanceUnits="mole" timeUnits="second" volumeUnits="litre" extentUnits="mole">
    <listOfCompartments><compartment id="c" size="1" constant="true" spatialDimensions="3"/></listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="c" initialConcentration="1" hasOnlySubstanceUnits="false"
               boundaryCondition="false" constant="false"/>
      <species id="B" compartment="nowhere" initialConcentration="1" hasOnlySubstanceUnits="false"
               boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters><parameter id="k" value="1" constant="true"/></listOfParameters>
    <listOfReactions>
      <reaction id="r1" reversible="false">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/></listOfProducts>
      </reaction>
      <reaction id="r1" reversible="false">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="Ghost" stoichiometry="1" constant="true"/></listOfProducts>
        <listOfModifiers><modifierSpeciesReference species="Phantom"/></listOfModifiers>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">
          <apply><times/><ci>k</ci><ci>A</ci><ci>k_missing</ci></apply></math></kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
"""


def test_sbml_errors_libsbml_stops_before_are_reported_in_the_same_run(tmp_path):
    """libsbml stops at the duplicate id; the missing compartment and species come all the same."""
    path = tmp_path / "broken.xml"
    path.write_text(THREE_BROKEN, encoding="utf-8")
    result = validate_file(path)
    found = {(f.rule, f.element, f.line) for f in result.errors}
    assert ("sbml:10301", "r1", 17) in found  # libsbml: the duplicate reaction id
    assert ("sbml:20601", "B", 9) in found  # ours: compartment 'nowhere' (the line its start tag ends)
    assert ("sbml:21111", "r1", 19) in found and ("sbml:21111", "r1", 20) in found  # Ghost, Phantom
    assert ("sbml:10215", "r1", 22) in found  # k_missing in the kinetic law
    assert len(result.errors) == 5, result.errors
    by_rule = {f.rule: f for f in result.errors}
    assert "compartment='nowhere' names nothing in the model" in by_rule["sbml:20601"].message
    assert by_rule["sbml:20601"].check == "sbml:general"


def test_own_reference_checks_add_nothing_libsbml_already_says(tmp_path):
    path = tmp_path / "two.xml"
    path.write_text(THREE_BROKEN.replace('<reaction id="r1" reversible="false">\n        <listOfReactants>'
                                         '<speciesReference species="A" stoichiometry="1" constant="true"/>'
                                         '</listOfReactants>\n        <listOfProducts><speciesReference '
                                         'species="Ghost"', '<reaction id="r2" reversible="false">\n        '
                                         '<listOfReactants><speciesReference species="A" stoichiometry="1" '
                                         'constant="true"/></listOfReactants>\n        <listOfProducts>'
                                         '<speciesReference species="Ghost"'), encoding="utf-8")
    result = validate_file(path)
    rules = sorted(f.rule for f in result.errors)
    assert "sbml:10301" not in rules and rules.count("sbml:20601") == 1, result.errors


# --------------------------------------------------------------------------- clean under its own rules

ROOT = Path(__file__).resolve().parents[2]
OWN_FILES = sorted((ROOT / "out").glob("*")) + sorted((DATA / "canonical" / "valid").glob("*"))


@pytest.mark.parametrize("path", OWN_FILES, ids=[p.name for p in OWN_FILES])
def test_our_own_files_pass_a_gate_that_fails_on_warnings(path):
    result = validate_file(path)
    assert not result.fails("warning"), [(f.rule, f.element, f.message[:120]) for f in result.findings
                                         if f.severity != "info"]


def test_a_unit_warning_of_the_exported_sbml_is_placed_in_the_canonical_file(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8").replace("(1 + SOCS3_c / K_i)", "(1 + SOCS3_c)")
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    [finding] = [f for f in validate_file(path).findings if f.rule == "sbml:10501"]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "(1 + SOCS3_c)" in row)
    assert (finding.element, finding.line, finding.source) == ("reactions[0].rate_law", line, str(path))
    assert text.splitlines()[line - 1][finding.column - 1:].startswith('"cytosol * k_phos')
    assert finding.message.startswith("in the exported SBML: ")


def _many(n: int) -> report.Report:
    from pathway_export.checks.findings import Finding, Report

    findings = [Finding("warning", "sbml:80701", f"parameter p{i} has no units", element=f"p{i}", line=10 + i,
                        hint="declare its units") for i in range(n)]
    return Report("big.xml", findings + [Finding("error", "sbml:10301", "duplicate id 'r1'", element="r1", line=5)],
                  format="sbml", format_detail="SBML Level 3 Version 2")


def test_text_lists_each_rule_once_with_its_count_and_first_findings():
    text = report.to_text([_many(17_524)])
    lines = text.splitlines()
    assert len(lines) < 15, text
    assert lines[1] == "  error [sbml:10301] 1 finding"
    assert lines[3] == "  warning [sbml:80701] 17,524 findings, the first 3 shown"
    assert lines[4:8] == ["    p0 line 10: parameter p0 has no units", "      fix: declare its units",
                          "    p1 line 11: parameter p1 has no units", "    p2 line 12: parameter p2 has no units"]
    assert lines[8] == "    ... 17,521 more findings (--show all lists every one)"
    every = report.to_text([_many(17_524)], show="all")
    assert every.count("parameter p") == 17_524
    errors_only = report.to_text([_many(3)], min_severity="error")
    assert "sbml:80701" not in errors_only and "(3 findings below error not shown)" in errors_only


def test_progress_is_told_each_stage_and_nothing_is_printed(capsys):
    stages = []
    validate_file(MINIMAL, Options(progress=stages.append))
    assert stages[0] == "checking canonical YAML"
    assert "round trip through sbml" in stages and "round trip through biopax" in stages
    broken = []
    validate_file(HOSTILE / "sbml_duplicate_id.xml", Options(progress=broken.append))
    assert broken[:2] == ["checking SBML Level 3 Version 2", "libsbml consistency checks"]
    assert capsys.readouterr() == ("", "")
