"""CURIEs and identifiers.org URIs, from the bioregistry's tables shipped with this package.

A CURIE in the canonical model is always in its normal form: the registry's preferred
prefix (``GO``, ``CHEBI``, ``NCBITaxon``) or its normalised prefix (``uniprot``,
``pubmed``), a colon, and the local identifier.

What is asked of the registry (a prefix's synonyms, preferred spelling, identifier pattern,
name and identifiers.org form; the registered URI prefixes) is read from ``data/`` in this
package, written from one bioregistry release by ``scripts/make_identifier_tables.py`` when
a release of pathway-export is cut (:func:`registry_release` names it). The bioregistry
itself is never imported: exported bytes depend on the pathway-export release alone, and
whatever registry may be installed beside it changes nothing.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

IDENTIFIERS_ORG = "https://identifiers.org/"
DATA = Path(__file__).resolve().parent / "data"


class CurieError(ValueError):
    """A CURIE is malformed, its prefix unknown, or its identifier off-pattern."""


class Prefix(NamedTuple):
    """One registry prefix: a row of ``data/prefixes.json`` (its columns, in order)."""

    prefix: str
    """The registry's normalised prefix (``go``)."""
    preferred: str
    """The spelling CURIEs are written with (``GO``)."""
    pattern: str | None
    """The regular expression a local identifier matches in full, if the registry has one."""
    name: str
    identifiers_org: str | None
    """identifiers.org's prefix, or ``None`` when identifiers.org does not list it."""
    banana: str | None
    """The prefix embedded in local identifiers (``GO`` in ``GO:0005737``), if any."""
    banana_peel: str | None
    """The separator after the banana when the registry names one (see :attr:`peel`)."""

    @property
    def peel(self) -> str:
        """The separator after the banana: the one the registry names, else ``:``."""
        return ":" if self.banana_peel is None else self.banana_peel


class _Tables(NamedTuple):
    release: str
    prefixes: dict[str, Prefix]
    synonyms: dict[str, str]


_NOT_IN_KEYS = str.maketrans("", "", " -_./")


def _key(text: str) -> str:
    """The registry's key for a prefix or synonym: case and the characters `` -_./`` ignored."""
    return text.casefold().lower().translate(_NOT_IN_KEYS)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    data = json.loads((DATA / "prefixes.json").read_text(encoding="utf-8"))
    if data["columns"] != list(Prefix._fields[1:]):
        raise RuntimeError(f"{DATA / 'prefixes.json'} has columns {data['columns']}, "
                           f"this release reads {list(Prefix._fields[1:])}: reinstall pathway-export")
    prefixes = {prefix: Prefix(prefix, *row) for prefix, row in data["prefixes"].items()}
    synonyms = {_key(prefix): prefix for prefix in prefixes}
    synonyms.update(data["synonyms"])
    source = data["source"]
    return _Tables(f"{source['name']} {source['version']}", prefixes, synonyms)


def registry_release() -> str:
    """The registry release the shipped tables were written from (``bioregistry 0.15.6``)."""
    return _tables().release


@lru_cache(maxsize=1 << 12)
def normalize_prefix(prefix: str) -> str | None:
    """The registry's normalised form of ``prefix`` (``GO`` -> ``go``), or ``None`` if unknown."""
    return _tables().synonyms.get(_key(prefix))


def _record(prefix: str) -> Prefix | None:
    norm = normalize_prefix(prefix)
    return None if norm is None else _tables().prefixes[norm]


@lru_cache(maxsize=None)
def _prefix_info(prefix: str) -> tuple[Prefix, object] | None:
    """A prefix's record and the ``fullmatch`` of its identifier pattern (``None``: no pattern)."""
    record = _record(prefix)
    if record is None:
        return None
    return record, re.compile(record.pattern).fullmatch if record.pattern is not None else None


@lru_cache(maxsize=1)
def _prefixes_by_name() -> dict[str, str]:
    table: dict[str, str] = {}
    for prefix, record in sorted(_tables().prefixes.items()):
        table.setdefault(record.name.lower(), prefix)
    return table


@lru_cache(maxsize=1 << 12)
def prefix_by_name(name: str) -> str | None:
    """The registry prefix whose full name is ``name``, any case ("Enzyme Nomenclature" -> ec).

    Where names are shared, the first prefix in alphabetical order.
    """
    return _prefixes_by_name().get(name.lower())


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
    record, fullmatch = info
    # Some registries (GO, CHEBI) embed the prefix in the local id ("GO:0005737" as "GO:GO:0005737").
    if local.upper().startswith(f"{prefix.upper()}:"):
        local = local[len(prefix) + 1:]
    if fullmatch is not None and fullmatch(local) is None:
        raise CurieError(
            f"{curie!r}: {local!r} is not a valid {record.preferred} identifier"
            + (f" (pattern {record.pattern})" if record.pattern else "")
        )
    return f"{record.preferred}:{local}"


def split(curie: str) -> tuple[str, str]:
    """Prefix and local identifier of a normal-form CURIE."""
    prefix, _, local = curie.partition(":")
    return prefix, local


def _standardize(record: Prefix, local: str) -> str:
    """``local`` without a leading embedded prefix (``CHEBI:15377``, ``CHEBI_15377`` -> ``15377``).

    The embedded prefix is the banana or the registry prefix, followed by the banana's
    separator or ``_``, in any case.
    """
    folded = local.casefold()
    for peel in (record.peel, "_"):
        if record.banana:
            head = f"{record.banana}{peel}".casefold()
            if folded.startswith(head):
                return local[len(head):]
        if folded.startswith(f"{record.prefix.casefold()}{peel}"):
            return local[len(record.prefix) + len(peel):]
    return local


def _identifiers_org_uri(record: Prefix, local: str) -> str | None:
    """identifiers.org's URI of an identifier, or ``None`` where identifiers.org lacks the prefix.

    Embedded prefixes are written as identifiers.org writes them: ``GO:0005737`` alone (its
    prefix is its banana), ``cellosaurus:CVCL_0001`` with both.
    """
    if record.identifiers_org is None:
        return None
    local = _standardize(record, local)
    if record.banana:
        head = f"{record.banana}{record.peel}"
        if not local.startswith(head):
            local = head + local
        if record.banana_peel is None:
            return IDENTIFIERS_ORG + local
    return f"{IDENTIFIERS_ORG}{record.identifiers_org}:{local}"


@lru_cache(maxsize=None)
def to_uri(curie: str) -> str:
    """The identifiers.org URI of a CURIE (``https://identifiers.org/GO:0005737``)."""
    norm = normalize_curie(curie)
    prefix, local = split(norm)
    uri = _identifiers_org_uri(_record(prefix), local)
    if uri is None:
        # Prefixes that identifiers.org does not list still resolve through bioregistry's
        # own resolver, with the same prefix:identifier shape.
        uri = f"https://bioregistry.io/{norm}"
    return uri


@lru_cache(maxsize=1)
def _uri_prefixes() -> tuple[dict[str, str], int]:
    """Every registered URI prefix -> its registry prefix, and the longest one's length."""
    data = json.loads((DATA / "uri_prefixes.json").read_text(encoding="utf-8"))
    table = dict(data["exact"])
    for host, paths in data["both"].items():
        for path, prefix in paths.items():
            table[f"http://{host}{path}"] = table[f"https://{host}{path}"] = prefix
    return table, max(map(len, table))


def parse_uri(uri: str) -> tuple[str, str] | None:
    """The registry prefix and local identifier of ``uri``, by its longest registered URI prefix."""
    table, longest = _uri_prefixes()
    for end in range(min(len(uri), longest), 0, -1):
        prefix = table.get(uri[:end])
        if prefix is not None:
            return prefix, uri[end:]
    return None


_URN_MIRIAM = "urn:miriam:"


@lru_cache(maxsize=None)
def from_uri(uri: str) -> str | None:
    """The normal-form CURIE of an identifiers.org (or other registered) URI, or ``None``.

    MIRIAM URNs (``urn:miriam:obo.go:GO%3A0005737``) are read as the identifiers.org URLs
    that replaced them (``http://identifiers.org/obo.go/GO:0005737``).
    """
    if uri.startswith(_URN_MIRIAM):
        namespace, colon, local = uri[len(_URN_MIRIAM):].partition(":")
        if not colon or not namespace or not local:
            return None
        local = unquote(local)
        curie = from_uri(f"http://identifiers.org/{namespace}/{local}")
        if curie is None:
            try:
                curie = normalize_curie(f"{namespace}:{local}")
            except CurieError:
                return None
        return curie
    fast = _from_written_uri(uri)
    if fast is not None:
        return fast
    parsed = parse_uri(uri)
    if parsed is None:
        if uri.startswith("https://bioregistry.io/") or uri.startswith("http://bioregistry.io/"):
            tail = uri.split("bioregistry.io/", 1)[1]
            try:
                return normalize_curie(tail)
            except CurieError:
                return None
        return None
    prefix, local = parsed
    # identifiers.org spells some ids with their ontology's prefix ("mamo:MAMO_0000046")
    local = _standardize(_tables().prefixes[prefix], local) or local
    try:
        return normalize_curie(f"{prefix}:{local}")
    except CurieError:
        return None


_RESOLVERS = (IDENTIFIERS_ORG, "http://identifiers.org/", "https://bioregistry.io/", "http://bioregistry.io/")


def _from_written_uri(uri: str) -> str | None:
    """The CURIE whose URI (:func:`to_uri`) is exactly ``uri``, or ``None``.

    The registered URI prefixes read some URIs as another prefix's (identifiers.org's
    ``kegg.compound:C12345`` as ``kegg:C12345``, bioregistry.io's ``cutg:9606`` as
    ``NCBITaxon:9606``). A URI of the form :func:`to_uri` writes is read from its prefix's
    record and accepted only when writing the CURIE gives the same URI back (``http`` or
    ``https``); anything else goes to :func:`parse_uri`.
    """
    for head in _RESOLVERS:
        if uri.startswith(head):
            prefix, colon, local = uri[len(head):].partition(":")
            break
    else:
        return None
    if not colon or not prefix or "/" in prefix or not local:
        return None
    record = _record(prefix)
    if record is None:
        return None
    local = _standardize(record, local) or local
    try:
        curie = normalize_curie(f"{record.prefix}:{local}")
    except CurieError:
        return None
    written = to_uri(curie)
    secure = uri if uri.startswith("https:") else "https:" + uri[len("http:"):]
    return curie if written == secure else None


def db_name(curie: str) -> str:
    """A human-facing database name for a CURIE's prefix (BioPAX ``xref.db``)."""
    prefix, _ = split(normalize_curie(curie))
    record = _record(prefix)
    return record.name if record is not None and record.name else prefix


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+\Z|urn:\S+\Z")


def is_uri(text: str) -> bool:
    """Whether ``text`` is written as a URI (``scheme://...`` or ``urn:...``), not as a CURIE."""
    return _URI.match(text) is not None


def normalize_resource(text: str) -> str:
    """The normal form of an annotation resource: its CURIE when the registry knows the
    identifier (in any URI form), else a URI exactly as given; raise :class:`CurieError`
    for a CURIE the registry refuses."""
    if is_uri(text):
        return from_uri(text) or text
    return normalize_curie(text)


def resource_uri(resource: str) -> str:
    """The URI to write for a resource: identifiers.org for a CURIE, a URI as it is."""
    return resource if is_uri(resource) else to_uri(resource)
