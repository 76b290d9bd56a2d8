"""CURIEs and identifiers.org URIs, through the bioregistry (no hand-written patterns).

A CURIE in the canonical model is always in its normal form: the registry's preferred
prefix (``GO``, ``CHEBI``, ``NCBITaxon``) or its normalised prefix (``uniprot``,
``pubmed``), a colon, and the local identifier.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import registry

# The bioregistry takes about a second to load (it validates its whole registry), so it is
# imported only where a question is first asked whose answer is not already kept on disk
# (:mod:`pathway_export.registry`): ``--help``, errors about the command line and commands
# whose identifiers were all seen before come at once.

IDENTIFIERS_ORG = "https://identifiers.org/"


class CurieError(ValueError):
    """A CURIE is malformed, its prefix unknown, or its identifier off-pattern."""


@registry.question("prefix")
def _registry_prefix(prefix: str) -> list | None:
    """Normalised prefix, preferred prefix, the pattern to print and the pattern to match."""
    import bioregistry

    norm = bioregistry.normalize_prefix(prefix)
    if norm is None:
        return None
    preferred = bioregistry.get_preferred_prefix(norm)
    resource = bioregistry.get_resource(norm)
    if preferred is None and norm.startswith("_"):
        # the registry escapes prefixes that start with a digit ("_3dmet"); write the public one
        preferred = (resource.get_identifiers_org_prefix() if resource else None) or norm.lstrip("_")
    compiled = resource.get_pattern_re() if resource is not None else None
    return [norm, preferred or norm, bioregistry.get_pattern(norm),
            compiled.pattern if compiled is not None else None]


@lru_cache(maxsize=None)
def _prefix_info(prefix: str) -> tuple[str, str, str | None, object] | None:
    """Normalised prefix, preferred prefix, identifier pattern and its compiled ``fullmatch``.

    The pattern matched is the registry's own (``Resource.get_pattern_re`` compiles it with
    ``re.compile``), so matching it here is ``bioregistry.is_valid_identifier`` without the
    registry lookups per identifier.
    """
    info = registry.ask("prefix", prefix)
    if info is None:
        return None
    norm, preferred, pattern, to_match = info
    return norm, preferred, pattern, re.compile(to_match).fullmatch if to_match is not None else None


@registry.question("normalize_prefix")
def _registry_normalize_prefix(prefix: str) -> str | None:
    import bioregistry

    return bioregistry.normalize_prefix(prefix)


@lru_cache(maxsize=1 << 12)
def normalize_prefix(prefix: str) -> str | None:
    """The registry's normalised form of ``prefix`` (``GO`` -> ``go``), or ``None`` if unknown."""
    return registry.ask("normalize_prefix", prefix)


@registry.question("identifiers_org_iri")
def _registry_identifiers_org_iri(prefix: str, local: str) -> str | None:
    import bioregistry

    return bioregistry.get_identifiers_org_iri(prefix, local)


@registry.question("standardize_identifier")
def _registry_standardize_identifier(prefix: str, local: str) -> str | None:
    import bioregistry

    return bioregistry.standardize_identifier(prefix, local)


@registry.question("parse_iri")
def _registry_parse_iri(uri: str) -> list | None:
    import bioregistry

    parsed = bioregistry.parse_iri(uri)
    return None if parsed is None else list(parsed)


@registry.question("name")
def _registry_name(prefix: str) -> str | None:
    import bioregistry

    return bioregistry.get_name(prefix)


@lru_cache(maxsize=1)
def _prefixes_by_name() -> dict[str, str]:
    import bioregistry

    table: dict[str, str] = {}
    for prefix, resource in sorted(bioregistry.read_registry().items()):
        name = resource.get_name()
        if name:
            table.setdefault(name.lower(), prefix)
    return table


@registry.question("prefix_by_name")
def _registry_prefix_by_name(name: str) -> str | None:
    return _prefixes_by_name().get(name)


@lru_cache(maxsize=1 << 12)
def prefix_by_name(name: str) -> str | None:
    """The registry prefix whose full name is ``name``, any case ("Enzyme Nomenclature" -> ec).

    Where names are shared, the first prefix in alphabetical order.
    """
    return registry.ask("prefix_by_name", name.lower())


@lru_cache(maxsize=None)
def normalize_curie(curie: str) -> str:
    """Return the normal form of ``curie``; raise :class:`CurieError` saying why not.

    >>> normalize_curie("go:0005737")
    'GO:0005737'
    """
    if not isinstance(curie, str) or ":" not in curie:
        raise CurieError(f"{curie!r} is not a CURIE (expected prefix:identifier, e.g. uniprot:P40763)")
    prefix, _, local = curie.partition(":")
    if not prefix or not local or local != local.strip() or " " in local:
        raise CurieError(f"{curie!r} is not a CURIE (expected prefix:identifier without spaces)")
    info = _prefix_info(prefix)
    if info is None:
        raise CurieError(
            f"{curie!r}: unknown prefix {prefix!r} (not in the bioregistry; "
            "use a registered prefix such as uniprot, hgnc, ncbigene, CHEBI, GO, pubmed)"
        )
    norm, preferred, pattern, fullmatch = info
    # Some registries (GO, CHEBI) embed the prefix in the local id ("GO:0005737" as "GO:GO:0005737").
    if local.upper().startswith(f"{prefix.upper()}:"):
        local = local[len(prefix) + 1:]
    if fullmatch is not None and fullmatch(local) is None:
        raise CurieError(
            f"{curie!r}: {local!r} is not a valid {preferred} identifier"
            + (f" (pattern {pattern})" if pattern else "")
        )
    return f"{preferred}:{local}"


def split(curie: str) -> tuple[str, str]:
    """Prefix and local identifier of a normal-form CURIE."""
    prefix, _, local = curie.partition(":")
    return prefix, local


@lru_cache(maxsize=None)
def to_uri(curie: str) -> str:
    """The identifiers.org URI of a CURIE (``https://identifiers.org/GO:0005737``)."""
    norm = normalize_curie(curie)
    prefix, local = split(norm)
    uri = registry.ask("identifiers_org_iri", prefix, local)
    if uri is None:
        # Prefixes that identifiers.org does not list still resolve through bioregistry's
        # own resolver, with the same prefix:identifier shape.
        uri = f"https://bioregistry.io/{norm}"
    return uri


@lru_cache(maxsize=None)
def from_uri(uri: str) -> str | None:
    """The normal-form CURIE of an identifiers.org (or other registered) URI, or ``None``."""
    fast = _from_written_uri(uri)
    if fast is not None:
        return fast
    parsed = registry.ask("parse_iri", uri)
    if parsed is None or parsed[0] is None:
        if uri.startswith("https://bioregistry.io/") or uri.startswith("http://bioregistry.io/"):
            tail = uri.split("bioregistry.io/", 1)[1]
            try:
                return normalize_curie(tail)
            except CurieError:
                return None
        return None
    prefix, local = parsed
    # identifiers.org spells some ids with their ontology's prefix ("mamo:MAMO_0000046")
    local = registry.ask("standardize_identifier", prefix, local) or local
    try:
        return normalize_curie(f"{prefix}:{local}")
    except CurieError:
        return None


_RESOLVERS = (IDENTIFIERS_ORG, "http://identifiers.org/", "https://bioregistry.io/", "http://bioregistry.io/")


def _from_written_uri(uri: str) -> str | None:
    """The CURIE whose URI (:func:`to_uri`) is exactly ``uri``, or ``None``.

    The registry's URI parser builds an index of every provider's URI formats the first time
    it is asked (over a second), and reads some URIs as another prefix's (identifiers.org's
    ``kegg.compound:C12345`` as ``kegg:C12345``, bioregistry.io's ``cutg:9606`` as
    ``NCBITaxon:9606``). A URI of the form :func:`to_uri` writes is read from its prefix's
    record and accepted only when writing the CURIE gives the same URI back (``http`` or
    ``https``); anything else goes to the registry's parser.
    """
    for head in _RESOLVERS:
        if uri.startswith(head):
            prefix, colon, local = uri[len(head):].partition(":")
            break
    else:
        return None
    if not colon or not prefix or "/" in prefix or not local:
        return None
    info = _prefix_info(prefix)
    if info is None:
        return None
    local = registry.ask("standardize_identifier", info[0], local) or local
    try:
        curie = normalize_curie(f"{info[0]}:{local}")
    except CurieError:
        return None
    written = to_uri(curie)
    secure = uri if uri.startswith("https:") else "https:" + uri[len("http:"):]
    return curie if written == secure else None


def db_name(curie: str) -> str:
    """A human-facing database name for a CURIE's prefix (BioPAX ``xref.db``)."""
    prefix, _ = split(normalize_curie(curie))
    name = registry.ask("name", prefix)
    return name or prefix
