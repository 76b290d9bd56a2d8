"""``import_file`` / ``run_import``: detection by content, dispatch, progress, loadable output."""

from __future__ import annotations

import gzip
import shutil

import pytest

from pathway_export import canonical, importer
from pathway_export.errors import FormatError, PathwayExportError, UnsupportedFeatureError

SBML_CASES = ["sbml-test-suite/semantic/00001/00001-sbml-l3v2.xml",
              "sbml-test-suite/semantic/00008/00008-sbml-l3v2.xml",
              "sbml/il6/BIOMD0000000151.xml"]
BIOPAX_CASES = ["paxtools/biopax3-short-metabolic-pathway.owl", "paxtools/demo-pathway.owl",
                "cpath2/hsa00010.owl", "validator/examples/testClonedUtilityClassRule.owl"]


def _copy(corpus, name, tmp_path, new_name="model.data"):
    """A corpus file under a name that says nothing about its format (detection is by content)."""
    target = tmp_path / new_name
    shutil.copyfile(corpus / name, target)
    return target


@pytest.mark.parametrize("name, fmt", [
    ("sbml/il6/BIOMD0000000093.xml", "sbml"),
    ("sbml-test-suite/semantic/00001/00001-sbml-l3v2.xml", "sbml"),
    ("biopax/paxtools/hcyc.owl", "biopax"),                   # comments, default namespace
    ("biopax/paxtools/biopax_other_xml_mix.xml", "biopax"),   # SBPAX mix
    ("biopax/validator/examples/testSyntaxErrors.owl", "biopax"),
])
def test_format_is_detected_by_content(corpus, tmp_path, name, fmt):
    assert importer.detect(_copy(corpus, name, tmp_path)).format == fmt


def test_sbml_level_is_described(corpus):
    found = importer.detect(corpus / "sbml/il6/BIOMD0000000093.xml")
    assert found.description == "SBML Level 2 Version 1" and not found.compressed


def test_gzip_is_recognised(corpus, tmp_path):
    found = importer.detect(corpus / "biopax/pybiopax/biopax_test.owl.gz")
    assert (found.format, found.compressed) == ("biopax", True)
    packed = tmp_path / "m.bin"
    packed.write_bytes(gzip.compress((corpus / "sbml-test-suite/semantic/00001/00001-sbml-l3v2.xml").read_bytes()))
    assert importer.detect(packed).format == "sbml"


def test_biopax_level2_is_refused_by_name(corpus):
    with pytest.raises(UnsupportedFeatureError, match="BioPAX Level 2"):
        importer.import_file(corpus / "biopax/paxtools/biopax-example-short-pathway.owl")


@pytest.mark.parametrize("content, message", [
    (b"not xml at all", "not an XML document"),
    (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>",
     "neither SBML nor BioPAX: the root element is <html>"),
    (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description/></rdf:RDF>",
     "without BioPAX Level 3 elements"),
    (b"", "not an XML document"),
])
def test_other_files_are_refused_saying_what_they_are(tmp_path, content, message):
    path = tmp_path / "x.xml"
    path.write_bytes(content)
    with pytest.raises(FormatError, match=message):
        importer.import_file(path)


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="cannot read"):
        importer.import_file(tmp_path / "absent.xml")


def test_an_entity_bomb_is_not_expanded(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE sbml [<!ENTITY a "aaaaaaaaaa">'
                     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                     b'<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" '
                     b'version="2"><model id="m" name="&b;"/></sbml>')
    assert importer.detect(path).format == "sbml"
    with pytest.raises(PathwayExportError):
        importer.import_file(path)  # the SBML reader refuses entity declarations


# Every case here imports (a refusal would be a regression, never a skip).
@pytest.mark.parametrize("name", [*SBML_CASES, *(f"biopax/{n}" for n in BIOPAX_CASES)])
def test_import_dump_load_gives_the_same_model(corpus, tmp_path, name):
    model = importer.import_file(corpus / name)
    out = canonical.dump(model, tmp_path / "model.yaml")
    assert canonical.load(out) == model


def test_progress_is_reported_to_the_end(corpus):
    calls = []
    importer.import_file(corpus / SBML_CASES[0], progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_run_import_writes_a_loadable_model(corpus, tmp_path, capsys):
    out = importer.run_import(corpus / SBML_CASES[0], tmp_path / "m.yaml", show_progress=True)
    printed = capsys.readouterr()
    assert out == tmp_path / "m.yaml" and f"wrote {out}" in printed.out
    assert "100%" in printed.err
    assert canonical.load(out) == importer.import_file(corpus / SBML_CASES[0])


def test_run_import_writes_json_when_asked(corpus, tmp_path):
    out = importer.run_import(corpus / SBML_CASES[0], tmp_path / "m.json")
    assert out.read_text(encoding="utf-8").lstrip().startswith("{")
    assert canonical.load(out) == importer.import_file(corpus / SBML_CASES[0])


def test_run_import_writes_nothing_when_refused(corpus, tmp_path):
    with pytest.raises(UnsupportedFeatureError):
        importer.run_import(corpus / "biopax/paxtools/biopax-example-short-pathway.owl",
                            tmp_path / "m.yaml")
    assert not (tmp_path / "m.yaml").exists()
