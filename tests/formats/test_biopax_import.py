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

_FRAGMENT = ("BioPAX FragmentFeature", "a FragmentFeature (a cleaved or partial chain, e.g. "
             "Reactome's 'residues 1-120') has no canonical counterpart: Modification holds a "
             "PSI-MOD term at one residue, not a sequence interval")
_GENERIC = ("memberPhysicalEntity", "a generic entity (memberPhysicalEntity: 'any of these') "
            "has no canonical counterpart: an Entity is one molecule or one complex")
_GENERIC_REFERENCE = ("memberEntityReference", "a generic entity reference "
                      "(memberEntityReference: 'any of these molecules') has no canonical "
                      "counterpart: a Molecule is one molecule")
_NOT_FEATURE = ("notFeature", "notFeature ('this entity lacks that feature') has no canonical "
                "counterpart: Entity.modifications lists features present, not absent")
_NO_CONTROLLED = ("no controlled", "a Control without 'controlled' controls nothing the "
                  "canonical model can attach it to (Control lives inside its Reaction)")
_CONTROL_OF_CONTROL = ("(modulation of a catalysis|control of a Control)", "a Control whose "
                       "'controlled' is another Control: canonical Controls act on reactions only")
_BARE_INTERACTION = ("(BioPAX Interaction|BioPAX MolecularInteraction)", "an Interaction or "
                     "MolecularInteraction (no direction, no left/right) is not a reaction, and "
                     "the canonical model holds only reactions")

REFUSED: dict[str, tuple[str, str]] = {
    "paxtools/biopax-example-short-pathway.owl":
        (r"BioPAX Level 2", "BioPAX Level 2 document; the importer reads Level 3 only"),
    "cpath2/INOH_GPCR_signaling-pertussis_toxin-.owl":
        ("BindingFeature", "INOH BindingFeatures name no partner entity reference ('unknown "
                           "binding site'); canonical binding is expressed by complexes, and a "
                           "partnerless binding feature has nothing to point at"),
    "paxtools/test-inoh.owl":
        ("BindingFeature", "as INOH_GPCR_signaling: BindingFeature without a partner"),
    "cpath2/NetPath_7.owl":
        ("'ubiquitinated lysine' that is not a PSI-MOD term",
         "NetPath modificationType 'ubiquitinated lysine' has a term but no PSI-MOD xref; "
         "canonical Modification.type must be a PSI-MOD CURIE"),
    "cpath2/PW000146.owl": _BARE_INTERACTION,
    "paxtools/smpdb-beta-oxidation.owl": _BARE_INTERACTION,
    "pybiopax/molecular_interactions_test.owl": _BARE_INTERACTION,
    "cpath2/pid_60446.owl": _GENERIC,
    "paxtools/AR-TP53.owl": _GENERIC,
    "paxtools/UreaCycle.owl": _GENERIC_REFERENCE,
    "paxtools/hcyc.owl": _GENERIC_REFERENCE,
    "validator/test-resources/testMemberPhysicalEntityRange.xml": _GENERIC,
    "cpath2/pid_6349.owl": _NOT_FEATURE,
    "validator/examples/biopax3-phosphorylation-reaction.owl": _NOT_FEATURE,
    "validator/examples/testSimplePhysicalEntityFeaturesRule.owl": _NOT_FEATURE,
    "validator/examples/testSimplePhysicalEntityFeaturesRuleFixed.owl": _NOT_FEATURE,
    "paxtools/PC2v5test-Signaling-By-BMP-Pathway-REACT_12034.2.owl": _FRAGMENT,
    "paxtools/Stoic.owl": _FRAGMENT,
    "paxtools/TFAP2.owl": _FRAGMENT,
    "paxtools/raf_map_kinase_cascade_reactome.owl": _FRAGMENT,
    "paxtools/signaling-by-bmp.owl": _FRAGMENT,
    "paxtools/tca_cycle.owl": _FRAGMENT,
    "paxtools/translation-initiation-complex-formation.owl": _FRAGMENT,
    "paxtoolsr/REACT_12034-3.owl": _FRAGMENT,
    "paxtoolsr/dna_replication.owl": _FRAGMENT,
    "paxtools/Glycolysis_I_HumanCyc.owl":
        ("complex without components", "a HumanCyc Complex with no components: a canonical "
                                       "complex Entity is defined by its components"),
    "validator/examples/testBiochemReactParticipantsLocationRule.owl":
        ("complex without components", "as Glycolysis_I_HumanCyc: Complex without components"),
    "paxtools/WP561.owl":
        ("physical entity of no specific kind", "WikiPathways' plain PhysicalEntity (no "
         "protein/small molecule/gene/RNA/DNA class): canonical molecules need a type"),
    "paxtools/activation.owl": _CONTROL_OF_CONTROL,
    "paxtools/controlchain.owl": _CONTROL_OF_CONTROL,
    "paxtools/modulation.owl": _CONTROL_OF_CONTROL,
    "paxtools/biopax_other_xml_mix.xml":
        ("control without a controller", "the SBPAX mix's Catalysis has no controller "
                                         "(canonical Control.controller is required)"),
    "validator/examples/testBiochemPathwayStepOneConversionRule.owl": _NO_CONTROLLED,
    "validator/examples/testControlTypeRule.owl": _NO_CONTROLLED,
    "validator/examples/testBiochemReactParticipantsLocationRule_Transport.owl":
        ("modification without a type", "a ModificationFeature without modificationType: "
                                         "canonical Modification.type is required"),
    "validator/examples/biopax3-genetic-interaction.owl":
        ("BioPAX Gene", "a GeneticInteraction between Genes: neither is a canonical reaction "
                        "or entity"),
    "validator/examples/testAcyclicComplexRule.owl":
        ("cycle: complex -> component -> complex", "a Complex that contains itself: canonical "
                                                   "complexes are acyclic"),
    "validator/examples/testDegradationConversionDirectionRule.owl":
        ("a conversion with no participants", "a Degradation with no participants, which the "
                                              "BioPAX validator's rule refuses"),
    "validator/examples/testConversionStoichiometryCheckRule.owl":
        ("a degradation has no products", "a Degradation with a product (the validator's "
         "example): canonical degradations consume only"),
    "pybiopax/biopax_test.owl.gz":
        ("complex component of class PhysicalEntity", "Reactome complexes with generic "
         "PhysicalEntity components (no molecule type)"),
}
"""Files whose import must be refused: ``file -> (pattern the error must match, why)``.

The refusal is an :class:`UnsupportedFeatureError`, or a :class:`FormatError` when the reader
found that the document breaks a rule of the canonical model (a cycle, an empty reaction); either
way the message must name what."""

_UNSPECIFIED = (r"'unspecified location'", "the original physical entity has no "
                "cellularLocation; a canonical Entity needs a compartment, so the import puts it "
                "in one named 'unspecified location', which the writer then writes as a "
                "CellularLocationVocabulary")
_NO_REFERENCE = (r"(ProteinReference '\w+'\]: expected 'absent'|Protein\('(None|\w+)'\)"
                 r"[^@]*: expected 'present'|'unspecified location')",
                 "the original Protein has no entityReference; a canonical Entity needs a "
                 "Molecule, so the import makes one named after the protein, which the writer "
                 "writes as a ProteinReference (the Protein's key and every interaction or "
                 "complex keyed by it change accordingly)")
_SPLIT_REASON = ("a Catalysis with two controllers (KEGG: an enzyme's isoforms) comes back as one "
                 "Catalysis per controller, because canonical Control has one controller; the "
                 "pathway then lists the two Catalyses instead of the one")
_TWO = r"control by Protein\(\w+\[[^\]]*\]\) \+ Protein\("
_ONE = r"control by Protein\(\w+\[[^\]]*\]\) of"
_SPLIT_CONTROLLERS = {
    rf"\(missing\)\ninteractions\[{_TWO}": _SPLIT_REASON,
    rf"\(added\)\ninteractions\[{_ONE}": _SPLIT_REASON,
    rf"pathways\[.*\]\.components \(changed\)\n.*{_TWO}": _SPLIT_REASON,
}
_DEFAULT_CONTROL_TYPE = (r"\.controlType \(changed\)\n.*expected \[\], found \['ACTIVATION'\]",
                         "a Catalysis without controlType comes back ACTIVATION: canonical "
                         "Control.type is required and the import reads an untyped Catalysis as "
                         "'catalysis', which the writer writes with controlType ACTIVATION")
_REACTION_OF_LISTED_CONTROL = (r"pathways\[.*\]\.components \(changed\)\n.*expected '\(none missing\)'",
                               "the pathway lists a Catalysis but not the reaction it controls; "
                               "canonical Pathway.steps are reactions, so the reaction becomes a "
                               "step and the writer lists it beside its Catalysis")

GAPS: dict[str, dict[str, str]] = {
    "cpath2/hsa00010.owl": {**dict([_UNSPECIFIED, _DEFAULT_CONTROL_TYPE]), **_SPLIT_CONTROLLERS},
    "paxtools/demo-pathway.owl": dict([_REACTION_OF_LISTED_CONTROL]),
    "cpath2/test_merge_equiv_pe.owl": dict([_UNSPECIFIED]),
    "validator/examples/testConversionToComplexAssemblyRule.owl": dict([_NO_REFERENCE]),
    "validator/examples/testPhysicalEntityAmbiguousFeatureRule.owl": dict([_NO_REFERENCE]),
    "validator/examples/testDuplicateNamesByExporter.owl": dict([_NO_REFERENCE]),
}
"""Known, justified differences after import and re-export: ``file -> {pattern: reason}``.

A pattern is a regular expression searched in ``category(difference)`` (e.g.
``entity_references[*].relationship_xrefs (changed)``) or in the difference's text; the reason
states precisely what the canonical model cannot hold and why.
"""

BUGS: dict[str, str] = {
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
