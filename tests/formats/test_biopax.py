"""BioPAX Level 3: exact round trips, deterministic bytes, foreign documents, refusals, rules.

Corpus files (``../shared/corpus/biopax``) are copies of public files: see the corpus README
and MANIFEST.tsv for their sources and licences.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from biopax_models import MODELS
from needs import missing
from pathway_export import canonical
from pathway_export.checks.biopax_rules import check_biopax
from pathway_export.checks.crosscheck import crosscheck
from pathway_export.errors import FormatError, UnsupportedFeatureError
from pathway_export.formats import biopax
from pathway_export.formats.biopax import write as biopax_write
from pathway_export.formats.biopax.terms import BP, RDF, XML
from pathway_export.checks.roundtrip import diff

CORPUS_BIOPAX = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "biopax"
CORPUS_FILES = sorted(p for p in CORPUS_BIOPAX.rglob("*") if p.is_file() and p.suffix in (".owl", ".xml", ".gz")) \
    if CORPUS_BIOPAX.is_dir() else []
LEVEL2 = "paxtools/biopax-example-short-pathway.owl"
VALIDATOR = CORPUS_BIOPAX / "validator" / "examples"


def _exact(model) -> None:
    data = biopax.to_biopax(model)
    back = biopax.from_biopax(data)
    expected = biopax.strip_uncarried(model)
    assert back == expected, "\n".join(str(d) for d in diff(expected, back)) or "models differ"


def _bp(data: bytes):
    return etree.fromstring(data)


# --------------------------------------------------------------------------- round trips

@pytest.mark.parametrize("name", sorted(MODELS))
def test_round_trip_is_exact(name):
    _exact(MODELS[name]())


def test_bundled_model_round_trips(bundled_model):
    _exact(bundled_model)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_double_export_is_byte_identical(name):
    assert biopax.to_biopax(MODELS[name]()) == biopax.to_biopax(MODELS[name]())


def test_bundled_double_export_is_byte_identical(bundled_model):
    path = canonical.bundled_model_path()
    assert biopax.to_biopax(bundled_model) == biopax.to_biopax(canonical.load(path))


def test_write_and_read_a_file(tmp_path):
    model = MODELS["signalling"]()
    path = biopax.write_biopax(model, tmp_path / "out" / "m.biopax.owl")
    assert biopax.read_biopax(path) == biopax.strip_uncarried(model)


def test_strip_uncarried_keeps_the_rest():
    model = MODELS["signalling"]()
    stripped = biopax.strip_uncarried(model)
    assert stripped.parameters == () and all(r.rate_law is None for r in stripped.reactions)
    assert stripped.entities[0].initial_concentration is None and not stripped.entities[0].boundary
    assert stripped.molecules == model.molecules and stripped.pathways == model.pathways


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(model=__import__("strategies").models())
def test_property_round_trip(model):
    data = biopax.to_biopax(model)
    back = biopax.from_biopax(data)
    assert back == biopax.strip_uncarried(model), "\n".join(str(d) for d in diff(biopax.strip_uncarried(model), back))
    assert biopax.to_biopax(back) == data


# --------------------------------------------------------------------------- what the document says

def test_document_speaks_biopax():
    data = biopax.to_biopax(MODELS["signalling"]())
    root = _bp(data)
    base = root.get(f"{{{XML}}}base")
    assert base == "https://pathway-export.org/id/signalling/"
    assert "biopax.org" not in base
    uris = [el.get(f"{{{RDF}}}about") for el in root]
    assert all(u.startswith(base) for u in uris if u), "every object lives under our own base"
    assert len(uris) == len(set(uris))
    ns = {"bp": BP, "rdf": RDF}

    def one(xpath):
        found = root.xpath(xpath, namespaces=ns)
        assert found, xpath
        return found[0]

    # protein reference: UniProt unification xref, HGNC symbol relationship xref
    il6 = one(f"bp:ProteinReference[@rdf:about='{base}IL6']")
    kinds = {root.xpath(f"*[@rdf:about='{x.get(f'{{{RDF}}}resource')}']", namespaces=ns)[0].tag.split('}')[1]
             for x in il6.findall(f"{{{BP}}}xref")}
    assert kinds == {"UnificationXref", "RelationshipXref"}
    assert root.xpath("bp:RelationshipXref[bp:db='HGNC Symbol' and bp:id='IL6']", namespaces=ns)
    assert root.xpath("bp:UnificationXref[bp:db='UniProt Knowledgebase' and bp:id='P05231']", namespaces=ns)
    # every physical entity has a cellular location and a display name
    for cls in ("Protein", "SmallMolecule", "Complex", "DnaRegion", "Dna", "Rna"):
        for el in root.findall(f"{{{BP}}}{cls}"):
            assert el.find(f"{{{BP}}}cellularLocation") is not None, el.get(f"{{{RDF}}}about")
            assert el.find(f"{{{BP}}}displayName") is not None
    # modification: PSI-MOD vocabulary and an EQUAL sequence site
    assert root.xpath("bp:SequenceModificationVocabulary[bp:term=\"O4'-phospho-L-tyrosine\"]", namespaces=ns)
    assert root.xpath("bp:SequenceSite[bp:sequencePosition='705' and bp:positionStatus='EQUAL']", namespaces=ns)
    # bound GTP: a BindingFeature pair between the HRAS and GTP references
    assert len(root.findall(f"{{{BP}}}BindingFeature")) == 4
    # dissociation: a ComplexAssembly written right to left
    undim = one(f"bp:ComplexAssembly[@rdf:about='{base}undimerisation']")
    assert undim.findtext(f"{{{BP}}}conversionDirection") == "RIGHT-TO-LEFT"
    # controls: catalysis, control, template reaction regulation
    assert one("bp:Catalysis").findtext(f"{{{BP}}}controlType") == "ACTIVATION"
    assert {c.findtext(f"{{{BP}}}controlType") for c in root.findall(f"{{{BP}}}Control")} == {"ACTIVATION", "INHIBITION"}
    assert len(root.findall(f"{{{BP}}}TemplateReactionRegulation")) == 3
    # pathway steps chained in order
    stat3 = one(f"bp:Pathway[@rdf:about='{base}stat3']")
    assert len(stat3.findall(f"{{{BP}}}pathwayOrder")) == 7
    # evidence with publication and ECO code
    assert root.xpath("bp:EvidenceCodeVocabulary[bp:xref]", namespaces=ns)
    assert root.xpath("bp:PublicationXref[bp:db='PubMed' and bp:id='16752369']", namespaces=ns)


def test_no_clock_in_the_document():
    data = biopax.to_biopax(MODELS["minimal"]())
    assert b"2026" not in data and b"Provenance" in data


# --------------------------------------------------------------------------- foreign documents

@pytest.mark.parametrize("path", CORPUS_FILES, ids=[str(p.relative_to(CORPUS_BIOPAX)) for p in CORPUS_FILES])
def test_corpus_file_imports_or_is_refused_by_name(path):
    """Only the files test_biopax_import.py declares refused or broken may fail to import
    (it checks each refusal's reason); every other file must import and round-trip."""
    from test_biopax_import import NOT_WELL_FORMED, REFUSED

    name = str(path.relative_to(CORPUS_BIOPAX))
    try:
        model = biopax.read_biopax(path)
    except UnsupportedFeatureError as exc:
        assert name in REFUSED, f"{name} was refused but is not declared in REFUSED: {exc}"
        assert exc.feature and exc.element, str(exc)
        return
    except FormatError as exc:
        assert name in NOT_WELL_FORMED or name in REFUSED, f"{name} failed to read: {exc}"
        assert exc.problems and all(p.message for p in exc.problems)
        return
    assert name not in REFUSED and name not in NOT_WELL_FORMED, f"{name} imported, yet is declared refused"
    # what was imported is a model: it writes and reads back unchanged
    assert biopax.from_biopax(biopax.to_biopax(model)) == model


def test_corpus_is_there():
    if not CORPUS_BIOPAX.is_dir():
        missing("the shared corpus is not beside this clone; CI always has it")
    assert len(CORPUS_FILES) > 50


def test_level2_is_refused_by_name():
    if not CORPUS_BIOPAX.is_dir():
        missing("the shared corpus is not beside this clone")
    with pytest.raises(UnsupportedFeatureError, match="Level 2"):
        biopax.read_biopax(CORPUS_BIOPAX / LEVEL2)


def test_a_known_pathway_imports():
    if not CORPUS_BIOPAX.is_dir():
        missing("the shared corpus is not beside this clone")
    model = biopax.read_biopax(CORPUS_BIOPAX / "paxtools" / "biopax3-short-metabolic-pathway.owl")
    assert len(model.pathways) == 1 and len(model.reactions) == 2
    assert any(c.type == "catalysis" for r in model.reactions for c in r.controls)
    assert any(x.startswith("kegg.compound:") for m in model.molecules for x in m.xrefs)
    assert {n for m in model.molecules for n in (m.name, *m.synonyms)} >= {"ATP", "ADP"}


def test_latin1_byte_in_utf8_file_is_a_clear_error():
    if not CORPUS_BIOPAX.is_dir():
        missing("the shared corpus is not beside this clone")
    with pytest.raises(FormatError) as info:
        biopax.read_biopax(CORPUS_BIOPAX / "paxtoolsr" / "biopax3_utf8_char.xml")
    assert info.value.problems[0].line == 324 and "UTF-8" in str(info.value)


SMALL = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:bp="http://www.biopax.org/release/biopax-level3.owl#" xml:base="http://example.org/x#">
  <!-- a comment pybiopax trips over -->
  <bp:Protein rdf:ID="p1">
    <bp:displayName>P1</bp:displayName><!-- inline -->
    <bp:entityReference rdf:resource="#pr1"/>
    <bp:cellularLocation>
      <bp:CellularLocationVocabulary rdf:about="http://example.org/x#cl">
        <bp:term>cytosol</bp:term>
        <bp:xref><bp:UnificationXref rdf:ID="go"><bp:db>GO</bp:db><bp:id>GO:0005829</bp:id></bp:UnificationXref></bp:xref>
      </bp:CellularLocationVocabulary>
    </bp:cellularLocation>
  </bp:Protein>
  <bp:ProteinReference rdf:about="http://example.org/x#pr1">
    <bp:standardName>Protein one</bp:standardName>
    <bp:xref rdf:resource="#uni"/>
  </bp:ProteinReference>
  <bp:UnificationXref rdf:ID="uni"><bp:db>UniProt</bp:db><bp:id>P40763</bp:id></bp:UnificationXref>
</rdf:RDF>
"""


def test_comments_ids_abouts_and_base_read():
    model = biopax.from_biopax(SMALL, "small.owl")
    assert model.id == "small"
    (entity,) = model.entities
    assert entity.id == "p1" and entity.name == "P1" and entity.compartment == "cytosol"
    assert model.compartments[0].go == "GO:0005829"
    assert model.molecules[0].xrefs == ("uniprot:P40763",) and model.molecules[0].name == "Protein one"


def test_dangling_reference_names_uri_and_property():
    broken = SMALL.replace(b'rdf:resource="#uni"', b'rdf:resource="#nowhere"')
    with pytest.raises(FormatError) as info:
        biopax.from_biopax(broken, "broken.owl")
    (problem,) = info.value.problems
    assert "http://example.org/x#nowhere" in problem.message and problem.where.endswith(".xref")
    assert "http://example.org/x#pr1" in problem.where


def test_parsed_objects_keep_values_in_document_order():
    from pathway_export.formats.biopax.rdfxml import Node, Ref, parse_document

    data = f"""<rdf:RDF xmlns:rdf="{RDF}" xmlns:bp="{BP}" xmlns:o="http://example.org/other#"
      xml:base="http://example.org/x">
  <bp:Protein rdf:about="#p1">
    <bp:name>first</bp:name>
    <bp:xref rdf:resource="#u1"/>
    <o:note>not BioPAX</o:note>
    <bp:name rdf:resource="#u1">text beside a resource: the resource wins</bp:name>
    <bp:name/>
    <bp:xref><bp:UnificationXref rdf:ID="u2"><bp:db>GO</bp:db></bp:UnificationXref></bp:xref>
    <bp:comment><o:Thing/></bp:comment>
  </bp:Protein>
  <bp:UnificationXref rdf:nodeID="n1"><bp:id>x</bp:id></bp:UnificationXref>
  <bp:UnificationXref rdf:about="http://example.org/y#u1"/>
  <bp:UnificationXref><bp:id>blank</bp:id></bp:UnificationXref>
</rdf:RDF>""".encode()
    doc = parse_document(data, check_references=False)
    assert list(doc.nodes) == ["http://example.org/x#p1", "http://example.org/x#u2", "_:n1",
                               "http://example.org/y#u1", "_:b1"]
    p1 = doc.nodes["http://example.org/x#p1"]
    assert p1.line == 3 and p1.cls == "Protein"
    assert list(p1.props) == ["name", "xref", "comment"]
    assert p1.props["name"] == ["first", Ref("http://example.org/x#u1"), ""]
    assert p1.props["xref"] == [Ref("http://example.org/x#u1"), Ref("http://example.org/x#u2")]
    assert p1.props["comment"] == []  # a nested object outside BioPAX is no value
    assert p1.lits("name") == ["first", ""] and p1.lit("name") == "first"
    assert p1.refs("name") == ["http://example.org/x#u1"] and p1.refs("xref")[1] == "http://example.org/x#u2"
    assert p1.lit("missing") is None and p1.refs("missing") == [] and p1.lits("missing") == []
    assert p1.unread() == ["comment"]
    assert doc.nodes["http://example.org/x#u2"].props == {"db": ["GO"]}
    assert doc.nodes["_:b1"].lit("id") == "blank"
    # compared and printed by class, URI, line and values (not by what was read)
    assert Node("Protein", "u", 1, {"name": ["a"]}) == Node("Protein", "u", 1, {"name": ["a"]}, {"name"})
    assert Node("Protein", "u", 1) != Node("Protein", "u", 2)
    assert repr(Node("Protein", "u", 1)) == "Node(cls='Protein', uri='u', line=1, props={})"
    with pytest.raises(FormatError) as info:
        parse_document(data)
    assert [(p.message, p.where, p.line) for p in info.value.problems] == [
        ("refers to http://example.org/x#u1, which the document does not define",
         "<bp:Protein http://example.org/x#p1>.name", 3),
        ("refers to http://example.org/x#u1, which the document does not define",
         "<bp:Protein http://example.org/x#p1>.xref", 3)]


def test_level2_namespace_is_refused_not_read_as_empty():
    level2 = SMALL.replace(b"biopax-level3.owl#", b"biopax-level2.owl#")
    with pytest.raises(UnsupportedFeatureError, match="Level 2"):
        biopax.from_biopax(level2)


def test_entities_in_doctype_are_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>' + SMALL.split(b"?>", 1)[1]
    with pytest.raises(FormatError, match="ENTITY"):
        biopax.from_biopax(bomb)


def test_not_xml_and_not_rdf():
    with pytest.raises(FormatError, match="well-formed"):
        biopax.from_biopax(b"<rdf:RDF")
    with pytest.raises(FormatError, match="rdf:RDF"):
        biopax.from_biopax(b"<sbml/>")


def test_unsupported_class_is_refused_by_class_and_uri():
    genetic = SMALL.replace(b"</rdf:RDF>", b"""
  <bp:Gene rdf:about="http://example.org/x#g1"><bp:displayName>g1</bp:displayName></bp:Gene>
  <bp:GeneticInteraction rdf:about="http://example.org/x#gi1"><bp:participant rdf:resource="#g1"/>
  </bp:GeneticInteraction>
</rdf:RDF>""")
    with pytest.raises(UnsupportedFeatureError) as info:
        biopax.from_biopax(genetic)
    assert "Gene" in str(info.value) and "http://example.org/x#gi1" in str(info.value)


def test_foreign_ids_are_valid_and_unique():
    twin = SMALL.replace(b"</rdf:RDF>", b"""
  <bp:Protein rdf:about="http://other.org/p1"><bp:entityReference rdf:resource="#pr1"/></bp:Protein>
  <bp:Protein rdf:about="http://other.org/2-p"><bp:entityReference rdf:resource="#pr1"/></bp:Protein>
</rdf:RDF>""")
    model = biopax.from_biopax(twin)
    ids = [e.id for e in model.entities]
    assert ids == ["p1", "p1_2", "_2_p"]
    assert model.entity_by_id["p1_2"].compartment is None  # no cellularLocation: located nowhere


# --------------------------------------------------------------------------- rule checks

# What our documents knowingly leave to the reader, as information (the BioPAX validator's
# category for both validator rules): an entity pool that is also a complex component (the
# canonical model has no separate component objects, so complexes share them) and reactions
# that are not mass-balanced (GTP hydrolysis releases phosphate, degradation through a complex).
TOLERATED = {"biopax:PhysicalEntityAmbiguousFeatureRule", "biopax:ConversionStoichiometryCheckRule",
             "biopax:inverse-functional"}


def test_exported_documents_break_no_rule(bundled_model):
    for model in [MODELS["signalling"](), bundled_model]:
        findings = check_biopax(biopax.to_biopax(model), model.id)
        assert [f for f in findings if f.rule not in TOLERATED] == [], findings
        assert {f.severity for f in findings if f.rule in TOLERATED} <= {"info"}
    assert check_biopax(biopax.to_biopax(MODELS["minimal"]()), "tiny")[0].rule == "biopax:ProteinReferenceOrganismCRRule"


def test_evidence_without_a_code_is_level3_evidence_and_reads_back_without_one():
    """A Level 3 Evidence needs an evidenceCode (or a confidence or an experimental form)."""
    model = MODELS["signalling"]()
    uncoded = [ev for r in model.reactions for ev in r.evidence if ev.eco is None]
    assert uncoded
    data = biopax.to_biopax(model)
    assert [f for f in check_biopax(data, "m") if f.rule == "biopax:cardinality"] == []
    codes = _bp(data).findall(f"{{{BP}}}EvidenceCodeVocabulary")
    assert "evidence" in {c.findtext(f"{{{BP}}}term") for c in codes}  # ECO's root term
    back = biopax.from_biopax(data)
    assert [ev for r in back.reactions for ev in r.evidence if ev.eco is None] == uncoded


# Validator rules not implemented here, each with why (checked: the list cannot go stale).
NOT_IMPLEMENTED = {"InteractionTypeRule": "needs the PSI-MI interaction type ontology"}

# Example files that are not named after a rule they break, with the rule they were written for
# and whether it fires (from the validator's own tests): testSyntaxErrors holds a property
# Level 3 does not define (the validator counts one unknown.property); testDuplicateNamesByExporter
# is what an exporter writes for a protein with a display name only, which must not repeat the
# name; testEvidenceEquivalence holds two Evidence objects that differ in their codes, which the
# clone check must not take for copies.
EXAMPLES = {
    "SyntaxErrors": ("SyntaxErrors", True),
    "DuplicateNamesByExporter": ("DuplicateNamesRule", False),
    "EvidenceEquivalence": ("ClonedUtilityClassRule", False),
}


def _example(path) -> tuple[str, bool]:
    """The validator rule an example file was written for, and whether that rule must fire."""
    stem = path.stem[len("test"):]
    if stem in EXAMPLES:
        return EXAMPLES[stem]
    return stem.removesuffix("Fixed").split("_")[0], not stem.endswith("Fixed")


ALL_EXAMPLES = sorted(VALIDATOR.glob("test*.owl")) if VALIDATOR.is_dir() else []
EXAMPLE_FILES = [p for p in ALL_EXAMPLES if _example(p)[0] not in NOT_IMPLEMENTED]


def test_every_validator_example_rule_is_implemented_or_declared():
    from pathway_export.checks.biopax_rules import rule_for, rule_names

    if not ALL_EXAMPLES:
        missing("the BioPAX validator examples of the shared corpus are not there")
    implemented = set(rule_names())
    for path in ALL_EXAMPLES:
        rule = _example(path)[0]
        assert (rule_for(rule) in implemented) != (rule in NOT_IMPLEMENTED), rule
    assert len(EXAMPLE_FILES) >= 19


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_validator_examples(path):
    from pathway_export.checks.biopax_rules import rule_for

    rule, fires = _example(path)
    findings = check_biopax(path.read_bytes(), path.name)
    fired = [f for f in findings if f.rule == f"biopax:{rule_for(rule)}"]
    if fires:
        assert fired, f"{path.name} breaks {rule}; findings: {findings}"
    else:
        assert fired == [], fired


def test_rules_on_broken_documents_report_not_raise():
    findings = check_biopax(b"<rdf:RDF", "x.owl")
    assert findings and findings[0].severity == "error" and findings[0].rule == "biopax:syntax"


# --------------------------------------------------------------------------- cross-format check

def test_crosscheck_of_the_two_documents(bundled_model):
    from pathway_export.formats import sbml

    sbml_model = sbml.from_sbml(sbml.to_sbml(bundled_model))
    biopax_model = biopax.from_biopax(biopax.to_biopax(bundled_model))
    assert crosscheck(sbml_model, biopax_model) == []


def test_crosscheck_names_what_differs():
    from dataclasses import replace

    model = MODELS["signalling"]()
    other = replace(model, reactions=model.reactions[1:],
                    molecules=(replace(model.molecules[0], xrefs=("uniprot:P40763",)),) + model.molecules[1:])
    findings = crosscheck(model, other)
    text = "\n".join(f"{f.element}: {f.message}" for f in findings)
    assert "phosphorylation" in text and "IL6" in text


def test_what_a_foreign_file_loses_is_named_not_silent(corpus, caplog):
    import logging

    from pathway_export.errors import UnsupportedFeatureError
    from pathway_export.formats.biopax import from_biopax

    data = (corpus / "biopax" / "paxtools" / "biopax3-short-metabolic-pathway.owl").read_bytes()
    with caplog.at_level(logging.WARNING):
        from_biopax(data, source="short.owl")
    assert "SmallMoleculeReference.structure" in caplog.text
    with pytest.raises(UnsupportedFeatureError, match="BioPAX property"):
        from_biopax(data, source="short.owl", strict=True)


# --------------------------------------------------------------------------- the writer writes text

_AWKWARD = ['a & b < c > d', 'say "hi" and \'bye\'', "tab\there", "two\nlines", "cr\rlf\r\n", "Zürich ☃ 😀 — µM",
            "]]> &amp; &#10;", "  padded  ", ""]


def _tree_document(model) -> bytes:
    """The document as lxml serialises the tree the writer used to build."""
    return biopax_write._Writer(model).document()


def _reserialised(data: bytes) -> bytes:
    """``data`` parsed and serialised again by lxml as the writer serialised its tree.

    lxml gives an empty literal (``<x></x>``) back as ``<x/>``: it is compared in that form.
    """
    return etree.tostring(etree.fromstring(data, etree.XMLParser(huge_tree=True)), xml_declaration=True,
                          encoding="UTF-8", pretty_print=True)


def _self_closed(data: bytes) -> bytes:
    """``data`` with each empty literal written as lxml writes it after a parse (``<x/>``)."""
    return re.sub(rb"<(bp:[A-Za-z]+)((?: [^>]*)?)></\1>", rb"<\1\2/>", data)


def _awkward_model(text: str, model_id: str | None = None):
    from dataclasses import replace

    model = MODELS["signalling"]()
    return replace(
        model, id=model_id or model.id, name=f"model {text}", description=f"about {text}",
        compartments=tuple(replace(c, name=f"{c.id} {text}") for c in model.compartments),
        molecules=tuple(replace(m, name=f"{m.id} {text}", synonyms=(text, f"also {text}")) for m in model.molecules),
        entities=tuple(replace(e, name=f"{e.id} {text}") for e in model.entities),
        reactions=tuple(replace(r, name=f"{r.id} {text}") for r in model.reactions),
        pathways=tuple(replace(p, name=f"{p.id} {text}") for p in model.pathways))


@pytest.mark.parametrize("text", _AWKWARD)
def test_text_writer_escapes_as_lxml(text):
    model = _awkward_model(text)
    data = biopax.to_biopax(model)
    assert data == _tree_document(model)
    assert _reserialised(data) == _self_closed(data)
    assert text in [el.text or "" for el in etree.fromstring(data).iter(f"{{{BP}}}name")]


@pytest.mark.parametrize("model_id", ['m&"x"', "m<1>", "m\tn"])
def test_text_writer_escapes_the_base_as_lxml(model_id):
    model = _awkward_model("plain", model_id)
    data = biopax.to_biopax(model)
    assert data == _tree_document(model)
    assert _reserialised(data) == _self_closed(data)


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"])
def test_characters_xml_cannot_carry_are_refused_as_lxml_refuses_them(bad):
    model = _awkward_model(f"x{bad}y")
    with pytest.raises((ValueError, UnicodeEncodeError)) as tree_error:
        _tree_document(model)
    with pytest.raises(type(tree_error.value), match=re.escape(str(tree_error.value))):
        biopax.to_biopax(model)


def test_text_writer_matches_the_tree_on_the_bundled_and_example_models(bundled_model):
    for model in [bundled_model] + [make() for make in MODELS.values()]:
        data = biopax.to_biopax(model)
        assert data == _tree_document(model)
        assert _reserialised(data) == _self_closed(data)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(model=__import__("strategies").models())
def test_property_text_writer_matches_the_tree(model):
    data = biopax.to_biopax(model)
    assert data == _tree_document(model)
    assert _reserialised(data) == _self_closed(data)
    assert biopax.to_biopax(model) == data, "deterministic"


def test_writer_leaves_the_garbage_collector_as_it_found_it():
    import gc

    model = MODELS["minimal"]()
    assert gc.isenabled()
    biopax.to_biopax(model)
    assert gc.isenabled()
    gc.disable()
    try:
        biopax.to_biopax(model)
        assert not gc.isenabled()
    finally:
        gc.enable()
