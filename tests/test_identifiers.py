"""CURIEs and their URIs: what every writer and reader of this package stands on.

The package answers from the identifier tables it ships (``pathway_export/data/``); the
bioregistry release they were written from is a test dependency, so these tests can prove
the tables give its answers, and that the package never asks the bioregistry itself.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from importlib import metadata

import bioregistry
import pytest
from bioregistry import manager

from pathway_export import canonical, identifiers


# Prefixes whose identifiers.org URI is read back as another prefix's (or as none): identifiers.org
# serves them under another registry prefix's name. Named, so that a new release's new case fails
# by name instead of fitting under a count.
SERVED_UNDER_ANOTHER_NAME = {
    "miriam.collection": "served as MIR:",
    "miriam.resource": "served as MIR:",
    "GRO": "the registry maps GRO's URI to BOOTSTREP",
    "insdc.gcf": "served as ncbi.assembly",
    "oma.hog": "served as HOG:, which the registry does not resolve back",
    "psipar": "served as PAR:, which the registry does not resolve back",
}


def _registry_examples() -> tuple[list[str], int]:
    """The registry's example CURIEs that pass their own pattern, and how many examples it has."""
    curies, examples = [], 0
    for prefix, resource in sorted(bioregistry.read_registry().items()):
        example = resource.get_example()
        if not example:
            continue
        examples += 1
        try:
            curies.append(identifiers.normalize_curie(f"{prefix}:{example}"))
        except identifiers.CurieError:
            continue  # the registry's own example off its own pattern: nothing to write
    return curies, examples


def test_every_registered_prefix_reads_back_from_the_uri_it_is_written_as():
    """to_uri then from_uri is the identity, registry-wide, but for URIs the registry gives two prefixes.

    The registry's URI parser alone reads many written URIs as another prefix's
    (kegg.compound:C12345 as kegg:C12345, string:P53350 as uniprot:P53350).
    """
    curies, examples = _registry_examples()
    # nearly every example passes its own pattern (2,875 of 2,880 when this was written)
    assert examples and len(curies) >= 0.99 * examples, (len(curies), examples)
    wrong = {c: identifiers.from_uri(identifiers.to_uri(c)) for c in curies}
    wrong = {c: back for c, back in wrong.items() if back != c}
    unexpected = {c: back for c, back in wrong.items() if identifiers.split(c)[0] not in SERVED_UNDER_ANOTHER_NAME}
    assert not unexpected, unexpected


@pytest.mark.parametrize("curie", ["kegg.compound:C12345", "string:P53350", "ctd.gene:101",
                                   "uniprot:P40763", "GO:0005737", "CHEBI:15422", "NCBITaxon:9606"])
def test_written_uris_are_not_read_as_another_prefix(curie):
    uri = identifiers.to_uri(curie)
    assert identifiers.from_uri(uri) == curie
    assert identifiers.from_uri(uri.replace("https://", "http://", 1)) == curie


def test_every_identifier_of_the_bundled_model_reads_back():
    text = canonical.bundled_model_path().read_text(encoding="utf-8")
    model = canonical.loads(text)
    curies = set()
    for molecule in model.molecules:
        curies.update(molecule.xrefs)
    assert curies
    for curie in sorted(curies):
        assert identifiers.from_uri(identifiers.to_uri(curie)) == curie


def test_foreign_uri_forms_are_read_through_the_registered_uri_prefixes():
    assert identifiers.from_uri("http://identifiers.org/uniprot/P40763") == "uniprot:P40763"
    assert identifiers.from_uri("http://identifiers.org/go/GO:0005737") == "GO:0005737"
    assert identifiers.from_uri("http://purl.obolibrary.org/obo/GO_0005737") == "GO:0005737"
    assert identifiers.from_uri("https://www.uniprot.org/uniprot/P40763") == "uniprot:P40763"
    assert identifiers.from_uri("https://example.org/nothing") is None
    assert identifiers.from_uri("http://identifiers.org/uniprot/") is None


def test_miriam_urns_are_read_as_the_identifiers_org_urls_that_replaced_them():
    assert identifiers.from_uri("urn:miriam:uniprot:P40763") == "uniprot:P40763"
    assert identifiers.from_uri("urn:miriam:obo.go:GO%3A0005737") == "GO:0005737"
    assert identifiers.from_uri("urn:miriam:go:GO%3A0005737") == "GO:0005737"
    assert identifiers.from_uri("urn:miriam:taxonomy:9606") == "NCBITaxon:9606"
    assert identifiers.from_uri("urn:miriam:no-such-namespace:1") is None
    assert identifiers.from_uri("urn:miriam:uniprot") is None


def test_identifier_patterns_are_the_registrys():
    assert identifiers.normalize_curie("go:GO:0005737") == "GO:0005737"
    with pytest.raises(identifiers.CurieError, match="pattern"):
        identifiers.normalize_curie("uniprot:not-an-accession")
    for curie in ("uniprot:P40763", "CHEBI:15422", "pubmed:29665292", "hgnc:11364"):
        prefix, local = identifiers.split(curie)
        norm = identifiers.normalize_prefix(prefix)
        assert bioregistry.is_valid_identifier(norm, local)


def test_unknown_prefixes_and_bad_identifiers_are_refused_with_a_reason():
    with pytest.raises(identifiers.CurieError, match=r"unknown prefix 'nosuchdb' \(not in the bioregistry"):
        identifiers.normalize_curie("nosuchdb:1")
    with pytest.raises(identifiers.CurieError, match=r"'x' is not a valid CHEBI identifier \(pattern"):
        identifiers.normalize_curie("chebi:x")
    with pytest.raises(identifiers.CurieError, match="not a CURIE"):
        identifiers.normalize_curie("P40763")


def test_database_names_and_prefixes_by_name():
    assert identifiers.db_name("GO:0005737") == "Gene Ontology"
    assert identifiers.prefix_by_name("ENZYME NOMENCLATURE") == "ec"
    assert identifiers.prefix_by_name("no such database") is None


# --------------------------------------------------------------------------- the shipped tables


def test_the_tables_record_the_release_they_were_written_from():
    assert identifiers.registry_release() == f"bioregistry {metadata.version('bioregistry')}"


def test_the_shipped_tables_are_what_the_release_script_writes(repo_root, tmp_path):
    script = repo_root / "scripts" / "make_identifier_tables.py"
    check = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    # and the script writes the same bytes every time
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for path in sorted(tmp_path.iterdir()):
        assert path.read_bytes() == (repo_root / "pathway_export" / "data" / path.name).read_bytes()


def test_the_tables_answer_as_the_registry_does_for_every_prefix():
    """Normal forms, preferred prefixes, patterns, names, identifiers.org URIs and embedded prefixes."""
    wrong = []
    for key, norm in manager.synonyms.items():
        if identifiers.normalize_prefix(key) != norm:
            wrong.append(("synonym", key))
    for prefix, resource in sorted(manager.registry.items()):
        record = identifiers._record(prefix)
        for spelling in {prefix, prefix.upper(), resource.get_preferred_prefix() or prefix,
                         *resource.get_synonyms()}:
            if identifiers.normalize_prefix(spelling) != bioregistry.normalize_prefix(spelling):
                wrong.append(("prefix", spelling))
        if record.pattern != bioregistry.get_pattern(prefix) or record.name != bioregistry.get_name(prefix):
            wrong.append(("record", prefix))
        example = resource.get_example()
        if not example:
            continue
        banana = resource.get_banana() or prefix
        for local in (example, f"{prefix}:{example}", f"{banana}:{example}", f"{prefix.upper()}_{example}"):
            if identifiers._standardize(record, local) != bioregistry.standardize_identifier(prefix, local):
                wrong.append(("standardize", prefix, local))
            if identifiers._identifiers_org_uri(record, local) != bioregistry.get_identifiers_org_iri(prefix, local):
                wrong.append(("identifiers.org", prefix, local))
    assert not wrong, wrong[:20]


def test_the_tables_parse_every_registered_uri_prefix_as_the_registry_does():
    wrong = []
    for uri_prefix in manager.converter.reverse_prefix_map:
        for tail in ("12345", "ABC:1", ""):
            uri = uri_prefix + tail
            theirs = bioregistry.parse_iri(uri)
            theirs = None if theirs is None or theirs[0] is None else tuple(theirs)
            if identifiers.parse_uri(uri) != theirs:
                wrong.append(uri)
    assert not wrong, wrong[:20]


# A registry of another release, first on the path: it renames uniprot and says so if imported.
FAKE_REGISTRY = '''
import sys
sys.stderr.write("the fake bioregistry was imported\\n")
__version__ = "99.0.0"
def normalize_prefix(prefix, **kw):
    return "uniprotkb" if prefix.lower() == "uniprot" else prefix.lower()
def __getattr__(name):
    raise AttributeError(name)
'''

EXPORT = textwrap.dedent("""
    import hashlib, sys
    from pathway_export import canonical
    from pathway_export.formats import FORMATS
    model = canonical.load(canonical.bundled_model_path("il6_stat3"))
    for name in sorted(FORMATS):
        data = FORMATS[name].to_bytes(model)
        back = FORMATS[name].from_bytes(data, source=name)
        print(name, hashlib.sha256(data).hexdigest(), len(back.reactions))
    print("bioregistry imported:", "bioregistry" in sys.modules)
""")


def test_an_installed_registry_of_another_release_changes_no_exported_byte(tmp_path, repo_root):
    fake = tmp_path / "site" / "bioregistry"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(FAKE_REGISTRY, encoding="utf-8")
    dist = tmp_path / "site" / "bioregistry-99.0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: bioregistry\nVersion: 99.0.0\n",
                                   encoding="utf-8")
    code = f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r})\n" + EXPORT
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "fake bioregistry" not in out.stderr
    lines = out.stdout.splitlines()
    assert lines[-1] == "bioregistry imported: False"
    published = {"sbml": repo_root / "out" / "il6_stat3.sbml.xml",
                 "biopax": repo_root / "out" / "il6_stat3.biopax.owl"}
    assert len(lines[:-1]) == len(published)
    for line in lines[:-1]:
        name, digest, reactions = line.split()
        assert hashlib.sha256(published[name].read_bytes()).hexdigest() == digest, name
        assert int(reactions) > 0


def test_no_command_imports_the_registry(tmp_path, repo_root):
    model = canonical.bundled_model_path()
    code = ("import sys\nfrom click.testing import CliRunner\nfrom pathway_export.cli import cli\n"
            f"for args in (['--help'], ['roundtrip', {str(model)!r}], ['validate', {str(model)!r}]):\n"
            "    result = CliRunner().invoke(cli, args)\n"
            "    assert result.exit_code == 0, (args, result.output)\n"
            "print('bioregistry' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
