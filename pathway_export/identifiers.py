"""CURIEs and identifiers.org URIs, through the bioregistry (no hand-written patterns).

A CURIE in the canonical model is always in its normal form: the registry's preferred
prefix (``GO``, ``CHEBI``, ``NCBITaxon``) or its normalised prefix (``uniprot``,
``pubmed``), a colon, and the local identifier.
"""

from __future__ import annotations

from functools import lru_cache

import bioregistry

IDENTIFIERS_ORG = "https://identifiers.org/"


class CurieError(ValueError):
    """A CURIE is malformed, its prefix unknown, or its identifier off-pattern."""


@lru_cache(maxsize=None)
def _prefix_info(prefix: str) -> tuple[str, str, str | None] | None:
    norm = bioregistry.normalize_prefix(prefix)
    if norm is None:
        return None
    preferred = bioregistry.get_preferred_prefix(norm)
    if preferred is None and norm.startswith("_"):
        # the registry escapes prefixes that start with a digit ("_3dmet"); write the public one
        resource = bioregistry.get_resource(norm)
        preferred = (resource.get_identifiers_org_prefix() if resource else None) or norm.lstrip("_")
    preferred = preferred or norm
    return norm, preferred, bioregistry.get_pattern(norm)


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
    norm, preferred, _pattern = info
    # Some registries (GO, CHEBI) embed the prefix in the local id ("GO:0005737" as "GO:GO:0005737").
    if local.upper().startswith(f"{prefix.upper()}:"):
        local = local[len(prefix) + 1:]
    if not bioregistry.is_valid_identifier(norm, local):
        pattern = bioregistry.get_pattern(norm)
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
    uri = bioregistry.get_identifiers_org_iri(prefix, local)
    if uri is None:
        # Prefixes that identifiers.org does not list still resolve through bioregistry's
        # own resolver, with the same prefix:identifier shape.
        uri = f"https://bioregistry.io/{norm}"
    return uri


@lru_cache(maxsize=None)
def from_uri(uri: str) -> str | None:
    """The normal-form CURIE of an identifiers.org (or other registered) URI, or ``None``."""
    parsed = bioregistry.parse_iri(uri)
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
    local = bioregistry.standardize_identifier(prefix, local) or local
    try:
        return normalize_curie(f"{prefix}:{local}")
    except CurieError:
        return None


def db_name(curie: str) -> str:
    """A human-facing database name for a CURIE's prefix (BioPAX ``xref.db``)."""
    prefix, _ = split(normalize_curie(curie))
    name = bioregistry.get_name(prefix)
    return name or prefix
