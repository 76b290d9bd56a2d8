"""CURIEs and their URIs: what every writer and reader of this package stands on."""

from __future__ import annotations

import subprocess
import sys

import bioregistry
import pytest

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


def test_foreign_uri_forms_still_go_through_the_registry():
    assert identifiers.from_uri("http://identifiers.org/uniprot/P40763") == "uniprot:P40763"
    assert identifiers.from_uri("http://purl.obolibrary.org/obo/GO_0005737") == "GO:0005737"
    assert identifiers.from_uri("https://example.org/nothing") is None


def test_identifier_patterns_are_the_registrys():
    assert identifiers.normalize_curie("go:GO:0005737") == "GO:0005737"
    with pytest.raises(identifiers.CurieError, match="pattern"):
        identifiers.normalize_curie("uniprot:not-an-accession")
    for curie in ("uniprot:P40763", "CHEBI:15422", "pubmed:29665292", "hgnc:11364"):
        prefix, local = identifiers.split(curie)
        norm = identifiers.normalize_prefix(prefix)
        assert bioregistry.is_valid_identifier(norm, local)


def test_the_command_line_answers_help_without_loading_the_registry():
    """The registry takes about a second to load; --help and usage errors do not need it."""
    code = ("import sys\nfrom click.testing import CliRunner\nfrom pathway_export.cli import cli\n"
            "result = CliRunner().invoke(cli, ['--help'])\nassert result.exit_code == 0\n"
            "print('bioregistry' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
