"""BioPAX import proven on files written elsewhere: import, re-export, compare what they mean.

For every BioPAX file of the shared corpus (``../shared/corpus/biopax``; its README and
MANIFEST.tsv say where each file comes from, under which licence): ``from_biopax`` then
``to_biopax``, and :func:`pathway_export.checks.biopax_graph.compare` of the two documents. Every
entity reference with its unification xrefs, every physical entity with its location, features
and components, every interaction with its participants and controls, every pathway and every
publication must survive, or the import must be refused by name
(:class:`UnsupportedFeatureError` naming the class or feature). No other exception, no silent
loss. What the canonical model cannot hold is declared per file in :data:`GAPS`, one precise
statement each; a declared gap that no longer occurs fails the test, so the list stays true.

The first half of the file tests the comparison itself, without the importer: it must see no
difference between two spellings of one graph (rdf:ID/rdf:about, xml:base, nested objects,
comments, Paxtools' own re-serialisation) and must see each kind of loss.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest

from needs import missing, slow
from pathway_export.checks import biopax_graph as graph
from pathway_export.checks import paxtools
from pathway_export.formats import biopax
from pathway_export.errors import FormatError, UnsupportedFeatureError
from pathway_export.checks.roundtrip import Difference

CORPUS_BIOPAX = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "biopax"
FILES = sorted(str(p.relative_to(CORPUS_BIOPAX)) for p in CORPUS_BIOPAX.rglob("*")
               if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv")) \
    if CORPUS_BIOPAX.is_dir() else ["(corpus absent)"]

PYBIOPAX_CANNOT_READ = {
    # MANIFEST.tsv: pybiopax 0.1.5 fails on these (XML comments; the SBPAX mix; a Latin-1 byte)
    "cpath2/biopax-level3-test.owl", "cpath2/pid_6349.owl", "paxtools/hcyc.owl",
    "paxtools/signaling-by-bmp.owl", "paxtools/skip.owl", "paxtools/test-inoh.owl",
    "validator/test-resources/testSyntaxErrors.xml", "paxtools/biopax_other_xml_mix.xml",
    "paxtoolsr/biopax3_utf8_char.xml",
}
"""Files pybiopax cannot read: the import must still succeed or refuse them by name."""

NOT_WELL_FORMED = {
    "paxtoolsr/biopax3_utf8_char.xml":
        "declares UTF-8 but holds a Latin-1 byte (0xE9) at line 324: not well-formed XML, so "
        "the reader must raise FormatError naming the line, not guess the encoding",
    "validator/test-resources/testSyntaxErrors.xml":
        "ProteinReferences pr_1 and pr_2 point at entityFeature 'mf_1', but the object is "
        "declared as rdf:ID='mf_1' (URI '#mf_1'), so by the RDF rules the reference dangles",
    "cpath2/biopax-level3-test.owl":
        "SmallMoleculeReference_11 refers to rdf:resource='KEGG_C00002' under "
        "xml:base '.../myExample#'; by RFC 3986 that is '.../examples/KEGG_C00002', not the "
        "object declared as rdf:ID='KEGG_C00002' ('.../myExample#KEGG_C00002'): a dangling "
        "reference by the RDF rules (Paxtools concatenates base and reference instead)",
}
"""Files the reader must reject with :class:`FormatError` naming the line: not well-formed XML,
or references to objects the document does not define."""

REFUSED: dict[str, tuple[str, str]] = {
    "paxtools/biopax-example-short-pathway.owl":
        (r"BioPAX Level 2", "BioPAX Level 2 document; the importer reads Level 3 only"),
    "paxtools/WP561.owl":
        ("participant of class Interaction", "WikiPathways makes an Interaction a participant of "
         "another Interaction; canonical participants are entities"),
    "paxtools/raf_map_kinase_cascade_reactome.owl":
        ("control of a Pathway", "a Control whose controlled is a Pathway: canonical controls act on "
                                 "reactions and on other controls"),
    "validator/examples/biopax3-genetic-interaction.owl":
        ("participant of class Gene", "a GeneticInteraction between Genes: a BioPAX Gene is not a "
                                      "physical entity, and the canonical model has no place for it"),
    "validator/examples/testAcyclicComplexRule.owl":
        (r":\d+: <bp:Complex .*cycle: complex -> component -> complex",
         "a Complex that contains itself, which BioPAX forbids (AcyclicComplexRule): refused with "
         "the line of the complex"),
    "validator/examples/testDegradationConversionDirectionRule.owl":
        ("a conversion with no participants", "a Degradation with no participants, which the "
                                              "BioPAX validator's rule refuses"),
    "validator/examples/testBiochemPathwayStepOneConversionRule.owl":
        ("a conversion with no participants", "a BiochemicalReaction with no participants"),
    "paxtools/biopax_other_xml_mix.xml":
        ("a conversion with no participants", "the SBPAX mix's Conversion has no participants"),
    "validator/examples/testConversionStoichiometryCheckRule.owl":
        (r":\d+: <bp:Degradation .*a degradation has no products",
         "a Degradation with a product, which BioPAX forbids: refused with the line of the degradation"),
}
"""Files whose import must be refused: ``file -> (pattern the error must match, why)``.

The refusal is an :class:`UnsupportedFeatureError`, or a :class:`FormatError` when the reader
found that the document breaks a rule of the canonical model (a cycle, an empty reaction); either
way the message must name what."""

_CATALYSIS_TYPE = (r"\.controlType \(changed\)\n.*expected \[\], found \['ACTIVATION'\]",
                   "a Catalysis without controlType comes back with controlType ACTIVATION, the one "
                   "value BioPAX allows a Catalysis (the same meaning, written out)")
_UNNAMED = (r"'None'|'(protein[12]|proteinreference1|dnaref|rnaRef)'",
            "an unnamed molecule or entity comes back named by its id (canonical molecules need a "
            "name; an unnamed entity is written with its molecule's name or its id, for readers "
            "that show names)")
_OPEN_INTERVAL = (r"features \(changed\)\n.*@\?-\?|@\d+-None",
                  "a SequenceInterval with an end missing comes back as a SequenceSite (or no location)")

GAPS: dict[str, dict[str, str]] = {
    "cpath2/hsa00010.owl": dict([_CATALYSIS_TYPE]),
    "cpath2/INOH_GPCR_signaling-pertussis_toxin-.owl": dict([_CATALYSIS_TYPE]),
    "paxtools/test-inoh.owl": dict([_CATALYSIS_TYPE]),
    "pybiopax/molecular_interactions_test.owl": dict([_CATALYSIS_TYPE]),
    "paxtoolsr/dna_replication.owl": dict([_OPEN_INTERVAL]),
    "validator/examples/testBiochemReactParticipantsLocationRule.owl": dict([_UNNAMED]),
    "validator/examples/testBiochemReactParticipantsLocationRule_Transport.owl": dict([_UNNAMED]),
    "validator/examples/testConversionToComplexAssemblyRule.owl": dict([_UNNAMED]),
    "validator/examples/testPhysicalEntityAmbiguousFeatureRule.owl": dict([_UNNAMED]),
    "validator/examples/testSimplePhysicalEntityFeaturesRule.owl": dict([_UNNAMED]),
    "validator/examples/testSimplePhysicalEntityFeaturesRuleFixed.owl": dict([_UNNAMED]),
    "validator/examples/testControlTypeRule.owl": {
        r"\.class \(changed\)": "a TemplateReactionRegulation that controls nothing comes back as a "
                                  "Control (without a controlled process its class is not derived)"},
}
"""Known, justified differences after import and re-export: ``file -> {pattern: reason}``.

A pattern is a regular expression searched in ``category(difference)`` (e.g.
``entity_references[*].relationship_xrefs (changed)``) or in the difference's text; the reason
states precisely what the canonical model cannot hold and why.
"""

BUGS: dict[str, str] = {
    "cpath2/NetPath_7.owl": "locations named by a term only and by GO come back merged; features "
                            "of a PSI-MI term lose their unknown position",
    "pybiopax/biopax_test.owl.gz": "publications without an id (PhosphoSite curation sets), "
                                   "TransportWithBiochemicalReaction, open sequence intervals",
}
"""Losses that are reader bugs, not limits of the canonical model: the test is an expected
failure until they are fixed, and fails once a file here comes through clean."""

LARGE = 2 * 1024 * 1024

# ----------------------------------------------------------------------------- the comparison


ONE_SPELLING = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xml:base="http://example.org/a#"
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:bp="http://www.biopax.org/release/biopax-level3.owl#">
  <!-- a comment pybiopax trips over -->
  <bp:Pathway rdf:ID="pw"><bp:displayName>Toy</bp:displayName>
    <bp:pathwayComponent rdf:resource="#r1"/><bp:pathwayComponent rdf:resource="#c1"/>
    <bp:xref><bp:PublicationXref rdf:ID="pub"><bp:db>PubMed</bp:db><bp:id>29358674</bp:id>
    </bp:PublicationXref></bp:xref>
  </bp:Pathway>
  <bp:Protein rdf:ID="stat3"><bp:displayName>STAT3</bp:displayName>
    <bp:entityReference><bp:ProteinReference rdf:ID="stat3_ref">
      <bp:xref><bp:UnificationXref rdf:ID="ux1"><bp:db>UniProt</bp:db><bp:id>P40763</bp:id>
      </bp:UnificationXref></bp:xref></bp:ProteinReference></bp:entityReference>
    <bp:cellularLocation rdf:resource="#cyto"/>
  </bp:Protein>
  <bp:CellularLocationVocabulary rdf:ID="cyto"><bp:term>cytosol</bp:term>
    <bp:xref><bp:UnificationXref rdf:ID="ux2"><bp:db>GO</bp:db><bp:id>GO:0005829</bp:id>
    </bp:UnificationXref></bp:xref></bp:CellularLocationVocabulary>
  <bp:Protein rdf:ID="pstat3"><bp:entityReference rdf:resource="#stat3_ref"/>
    <bp:cellularLocation rdf:resource="#cyto"/>
    <bp:feature><bp:ModificationFeature rdf:ID="mf">
      <bp:modificationType><bp:SequenceModificationVocabulary rdf:ID="smv">
        <bp:term>O4'-phospho-L-tyrosine</bp:term>
        <bp:xref><bp:UnificationXref rdf:ID="ux3"><bp:db>MOD</bp:db><bp:id>MOD:00048</bp:id>
        </bp:UnificationXref></bp:xref></bp:SequenceModificationVocabulary></bp:modificationType>
      <bp:featureLocation><bp:SequenceSite rdf:ID="site"><bp:sequencePosition>705</bp:sequencePosition>
      </bp:SequenceSite></bp:featureLocation></bp:ModificationFeature></bp:feature>
  </bp:Protein>
  <bp:Protein rdf:ID="jak1"><bp:entityReference><bp:ProteinReference rdf:ID="jak1_ref">
      <bp:xref><bp:UnificationXref rdf:ID="ux4"><bp:db>uniprot knowledgebase</bp:db>
      <bp:id>P23458</bp:id></bp:UnificationXref></bp:xref></bp:ProteinReference>
    </bp:entityReference></bp:Protein>
  <bp:BiochemicalReaction rdf:ID="r1"><bp:left rdf:resource="#stat3"/>
    <bp:right rdf:resource="#pstat3"/>
    <bp:conversionDirection>LEFT-TO-RIGHT</bp:conversionDirection></bp:BiochemicalReaction>
  <bp:Catalysis rdf:ID="c1"><bp:controller rdf:resource="#jak1"/>
    <bp:controlled rdf:resource="#r1"/><bp:controlType>ACTIVATION</bp:controlType>
  </bp:Catalysis>
</rdf:RDF>
"""

OTHER_SPELLING = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://www.biopax.org/release/biopax-level3.owl#">
  <Catalysis rdf:about="urn:x:9"><controlType>ACTIVATION</controlType>
    <controller rdf:resource="urn:x:4"/><controlled rdf:resource="urn:x:8"/></Catalysis>
  <BiochemicalReaction rdf:about="urn:x:8"><right rdf:resource="urn:x:3"/>
    <left rdf:resource="urn:x:2"/><conversionDirection>LEFT_TO_RIGHT</conversionDirection>
  </BiochemicalReaction>
  <UnificationXref rdf:about="urn:x:u1"><db>UniProt Protein</db><id>P40763</id></UnificationXref>
  <UnificationXref rdf:about="urn:x:u4"><db>uniprot</db><id>P23458</id></UnificationXref>
  <UnificationXref rdf:about="urn:x:go"><db>Gene Ontology</db><id>GO:0005829</id></UnificationXref>
  <UnificationXref rdf:about="urn:x:mod"><db>PSI-MOD</db><id>MOD:00048</id></UnificationXref>
  <PublicationXref rdf:about="urn:x:pub"><db>pubmed</db><id>29358674</id></PublicationXref>
  <ProteinReference rdf:about="urn:x:r1"><xref rdf:resource="urn:x:u1"/></ProteinReference>
  <ProteinReference rdf:about="urn:x:r4"><xref rdf:resource="urn:x:u4"/></ProteinReference>
  <CellularLocationVocabulary rdf:about="urn:x:loc"><term>cytoplasm</term>
    <xref rdf:resource="urn:x:go"/></CellularLocationVocabulary>
  <SequenceModificationVocabulary rdf:about="urn:x:smv"><xref rdf:resource="urn:x:mod"/>
  </SequenceModificationVocabulary>
  <SequenceSite rdf:about="urn:x:site"><sequencePosition>705</sequencePosition></SequenceSite>
  <ModificationFeature rdf:about="urn:x:mf"><modificationType rdf:resource="urn:x:smv"/>
    <featureLocation rdf:resource="urn:x:site"/></ModificationFeature>
  <Protein rdf:about="urn:x:2"><entityReference rdf:resource="urn:x:r1"/>
    <cellularLocation rdf:resource="urn:x:loc"/></Protein>
  <Protein rdf:about="urn:x:3"><entityReference rdf:resource="urn:x:r1"/>
    <cellularLocation rdf:resource="urn:x:loc"/><feature rdf:resource="urn:x:mf"/></Protein>
  <Protein rdf:about="urn:x:4"><entityReference rdf:resource="urn:x:r4"/></Protein>
  <Pathway rdf:about="urn:x:pw"><displayName>Toy</displayName>
    <pathwayComponent rdf:resource="urn:x:9"/><pathwayComponent rdf:resource="urn:x:8"/>
    <xref rdf:resource="urn:x:pub"/></Pathway>
</rdf:RDF>
"""


def test_two_spellings_of_one_graph_are_equal():
    summary = graph.summarize(ONE_SPELLING, "one")
    assert summary.counts() == {"entity_references": 2, "physical_entities": 3, "interactions": 2,
                                "controls": 1, "pathways": 1, "publications": 1}
    assert graph.compare(ONE_SPELLING, OTHER_SPELLING) == []


def _categories(differences: list[Difference]) -> list[str]:
    return sorted(graph.category(d) for d in differences)


@pytest.mark.parametrize("old, new, expected", [
    (b"<bp:id>P23458</bp:id>", b"<bp:id>P23459</bp:id>",
     ["entity_references[*].unification_xrefs (changed)"]),
    (b'<bp:right rdf:resource="#pstat3"/>', b"", ["interactions[*].right (changed)"]),
    (b"<bp:controlType>ACTIVATION</bp:controlType>", b"<bp:controlType>INHIBITION</bp:controlType>",
     ["interactions[*].controlType (changed)"]),
    (b"<bp:sequencePosition>705</bp:sequencePosition>", b"<bp:sequencePosition>727</bp:sequencePosition>",
     ["physical_entities[*].features (changed)"]),
    (b'<bp:cellularLocation rdf:resource="#cyto"/>\n  </bp:Protein>\n  <bp:CellularLocationVocabulary',
     b"</bp:Protein>\n  <bp:CellularLocationVocabulary", ["physical_entities[*].location (changed)"]),
    (b"<bp:id>29358674</bp:id>", b"<bp:id>1</bp:id>",
     ["pathways[*].publications (changed)", "publications[*] (added)", "publications[*] (missing)"]),
    (b'<bp:pathwayComponent rdf:resource="#c1"/>', b"", ["pathways[*].components (changed)"]),
    (b'<bp:Catalysis rdf:ID="c1">', b'<bp:Modulation rdf:ID="c1">', ["interactions[*].class (changed)"]),
], ids=["xref", "participant", "controlType", "feature", "location", "publication", "pathway",
        "control-class"])
def test_each_kind_of_loss_is_seen(old, new, expected):
    assert old in ONE_SPELLING
    changed = ONE_SPELLING.replace(old, new, 1)
    if b"Modulation" in new:
        changed = changed.replace(b"</bp:Catalysis>", b"</bp:Modulation>")
    differences = graph.compare(ONE_SPELLING, changed)
    assert _categories(differences) == expected, graph.format_differences(differences)
    assert all(str(d) for d in differences)


def test_unnormalisable_xrefs_are_kept_as_written():
    assert graph.xref_key("UniProt", "P40763") == "uniprot:P40763"
    assert graph.xref_key("Gene Ontology", "GO:0005829") == "GO:0005829"
    assert graph.xref_key("Reactome Database ID Release 40", "123") == "Reactome Database ID Release 40:123"


def test_entities_are_not_expanded_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = ONE_SPELLING.replace(
        b"<rdf:RDF", f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n<rdf:RDF'.encode(), 1
    ).replace(b"<bp:displayName>STAT3</bp:displayName>", b"<bp:displayName>&x;</bp:displayName>")
    summary = graph.summarize(doc, "entity")
    assert not any("TOP-SECRET" in (pe.name or "") for pe in summary.physical_entities.values())


def test_level2_and_broken_xml_are_refused_by_name():
    level2 = ONE_SPELLING.replace(b"biopax-level3.owl#", b"biopax-level2.owl#")
    with pytest.raises(UnsupportedFeatureError, match="BioPAX Level 2"):
        graph.summarize(level2, "l2")
    with pytest.raises(FormatError, match=r"broken:\d+:\d+: not well-formed XML"):
        graph.summarize(ONE_SPELLING.replace(b"</bp:Pathway>", b"</bp:Pathway>>", 1)[:-30], "broken")


def test_gzip_is_read():
    assert graph.compare(gzip.compress(ONE_SPELLING), ONE_SPELLING) == []


@pytest.mark.parametrize("name", FILES)
def test_every_corpus_file_equals_itself(corpus, name):
    """The summary of every readable file is deterministic (a precondition of the import test).

    Files over 2 MB (dna_replication, the 29 MB pybiopax extract) take a minute together: they
    run in CI only.
    """
    path = corpus / "biopax" / name
    if path.stat().st_size > LARGE:
        slow(f"{name} is over 2 MB")
    data = path.read_bytes()
    try:
        first, again = graph.summarize(data, name), graph.summarize(data, name)
    except (UnsupportedFeatureError, FormatError) as exc:
        assert name in REFUSED or name in NOT_WELL_FORMED, f"{name}: {exc}"
        return
    assert graph.compare_summaries(first, again) == []


@pytest.mark.parametrize("name", ["paxtools/raf_map_kinase_cascade_reactome.owl"])
def test_paxtools_reserialisation_has_no_differences(corpus, tmp_path, name):
    """Paxtools writes the same graph with other URIs, order and layout: no difference."""
    unavailable = paxtools.available()
    if unavailable is not None:
        missing(f"Paxtools cannot run here: {unavailable}")
    out = tmp_path / "paxtools.owl"
    run = subprocess.run([sys.executable, "-m", "paxtools", "toLevel3", str(corpus / "biopax" / name),
                          str(out)], capture_output=True, timeout=300)
    assert run.returncode == 0 and out.is_file(), run.stderr.decode(errors="replace")[-2000:]
    original = (corpus / "biopax" / name).read_bytes()
    assert out.read_bytes() != original
    differences = graph.compare(original, out.read_bytes(), name)
    assert differences == [], graph.format_differences(differences)


# ----------------------------------------------------------------------------- the import


def _unexplained(name: str, differences: list[Difference]) -> tuple[list[Difference], list[str]]:
    """Differences no declared gap explains, and declared gaps that explain nothing."""
    gaps = GAPS.get(name, {})
    used = set()
    left = []
    for d in differences:
        text = f"{graph.category(d)}\n{d}"
        hit = [p for p in gaps if re.search(p, text)]
        used.update(hit)
        if not hit:
            left.append(d)
    return left, [f"{p!r}: {gaps[p]}" for p in gaps if p not in used]


@pytest.mark.parametrize("name", FILES)
def test_import_then_export_keeps_the_meaning(corpus, name):
    path = corpus / "biopax" / name
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        model = biopax.from_biopax(data, source=name)
    except (UnsupportedFeatureError, FormatError) as exc:
        if isinstance(exc, FormatError) and name in NOT_WELL_FORMED:
            assert exc.problems and exc.problems[0].line, f"{name}: the error names no line: {exc}"
            return
        assert name in REFUSED, (
            f"{name} was refused ({exc}); if the canonical model truly cannot hold this, "
            "declare it in REFUSED with the reason")
        pattern, _why = REFUSED[name]
        assert re.search(pattern, str(exc)), f"{name}: refused for {exc}, expected {pattern!r}"
        return
    assert name not in REFUSED, f"{name} imported, but REFUSED says: {REFUSED[name][1]}"
    assert name not in NOT_WELL_FORMED, f"{name} imported, but it is not well-formed XML"
    reexported = biopax.to_biopax(model)
    differences = graph.compare(data, reexported, name)
    unexplained, stale = _unexplained(name, differences)
    if name in BUGS:
        assert unexplained, f"{name} comes through clean now: remove it from BUGS"
        pytest.xfail(f"known reader bug: {BUGS[name]}")
    assert not unexplained and not stale, (
        f"{name}: {len(unexplained)} unexplained difference(s)\n"
        + graph.format_differences(unexplained, limit=25)
        + ("\nstale declared gaps (no longer occur):\n  " + "\n  ".join(stale) if stale else ""))


def test_the_corpus_is_all_there(corpus):
    """Every file the declarations name exists, so a renamed file cannot pass silently."""
    for name in [*PYBIOPAX_CANNOT_READ, *NOT_WELL_FORMED, *REFUSED, *GAPS, *BUGS]:
        assert (corpus / "biopax" / name).is_file(), name
    assert len(FILES) >= 60
