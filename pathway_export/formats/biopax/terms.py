"""BioPAX Level 3 vocabulary shared by the writer, the reader and the rule checks.

Mapping tables (BioPAX spellings live here and nowhere else), the URI scheme of the
documents we write, and the one comment form that carries what BioPAX cannot say.

URI scheme
----------
Every document has ``xml:base`` = ``https://pathway-export.org/id/<model-id>/``. Objects that
are canonical objects (compartments, molecules, entities, reactions, pathways) get
``<base><canonical id>``; helper objects (xrefs, vocabularies, features, stoichiometries,
steps, controls, evidence, provenance) get ``<base><Class>/<key>``. Canonical ids never hold
``/``, so the two kinds cannot collide, and a reader recovers canonical ids from URIs.

Carried comments
----------------
What the model says that BioPAX cannot say in its own terms is written as one ``comment`` of
the element it belongs to, in the form::

    pathway-export: {"key": value, ...}

a JSON object (keys sorted) whose keys are field names of the canonical object and whose
values replace what the reader would otherwise derive from the BioPAX terms (for example
``{"active": true}`` on a physical entity, ``{"parent": "cytosol"}`` on a cellular location,
``{"type": "dissociation"}`` on a reaction the class and direction do not tell apart).
Every other comment is free text: the object's description.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from ... import identifiers

BP = "http://www.biopax.org/release/biopax-level3.owl#"
BP_L2 = "http://www.biopax.org/release/biopax-level2.owl#"
BP_L1 = "http://www.biopax.org/release/biopax-level1.owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XML = "http://www.w3.org/XML/1998/namespace"

BASE_PREFIX = "https://pathway-export.org/id/"
"""Our own URI space: a document of model ``m`` has ``xml:base`` ``BASE_PREFIX + m + '/'``."""

COMMENT_TAG = "pathway-export: "


def base_uri(model_id: str) -> str:
    return f"{BASE_PREFIX}{model_id}/"


def helper_uri(base: str, cls: str, *key: object) -> str:
    """URI of a helper object: ``<base><cls>/<key parts, percent-encoded>``."""
    if not key:
        return base + cls
    return base + cls + "/" + "/".join([_quoted(k if k.__class__ is str else str(k)) for k in key])


@lru_cache(maxsize=1 << 16)
def _quoted(text: str) -> str:
    """``quote(text, safe="")``, kept: a model names the same keys in many helper URIs."""
    return quote(text, safe="")


def encode_comment(values: dict[str, Any]) -> str:
    return COMMENT_TAG + json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def decode_comment(text: str) -> dict[str, Any] | None:
    """The carried values of a comment, or ``None`` for a free-text comment."""
    if not text.startswith(COMMENT_TAG):
        return None
    try:
        value = json.loads(text[len(COMMENT_TAG):])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


# --------------------------------------------------------------------------- classes

MOLECULE_CLASSES = {
    # canonical molecule type: (physical entity class, entity reference class)
    "protein": ("Protein", "ProteinReference"),
    "small_molecule": ("SmallMolecule", "SmallMoleculeReference"),
    "gene": ("DnaRegion", "DnaRegionReference"),
    "dna": ("Dna", "DnaReference"),
    "rna": ("Rna", "RnaReference"),
}
REFERENCE_TYPES = {ref: kind for kind, (_pe, ref) in MOLECULE_CLASSES.items()}
REFERENCE_TYPES["RnaRegionReference"] = "rna"
ENTITY_CLASS_TYPES = {pe: kind for kind, (pe, _ref) in MOLECULE_CLASSES.items()}
ENTITY_CLASS_TYPES["RnaRegion"] = "rna"
ENTITY_CLASS_TYPES["Complex"] = "complex"
ENTITY_CLASS_TYPES["PhysicalEntity"] = "physical_entity"
SEQUENCE_REFERENCES = {"ProteinReference", "DnaReference", "DnaRegionReference", "RnaReference",
                       "RnaRegionReference"}
"""Entity references that have an ``organism`` property (a small molecule has none)."""

REACTION_CLASSES = {
    "binding": "ComplexAssembly",
    "dissociation": "ComplexAssembly",
    "state_change": "BiochemicalReaction",
    "conversion": "BiochemicalReaction",
    "transport": "Transport",
    "degradation": "Degradation",
    "transcription": "TemplateReaction",
    "translation": "TemplateReaction",
    "gene_expression": "TemplateReaction",
}
REACTION_CLASSES.update({
    "molecular_interaction": "MolecularInteraction",
    "genetic_interaction": "GeneticInteraction",
    "interaction": "Interaction",
})
INTERACTION_KINDS = {"MolecularInteraction": "molecular_interaction", "GeneticInteraction": "genetic_interaction",
                     "Interaction": "interaction"}
INTERACTION_CLASSES = set(INTERACTION_KINDS)
"""Interactions with bare ``participant``s (no sides, no direction)."""
ENTITY_CLASSES = {kind: pe for kind, (pe, _ref) in MOLECULE_CLASSES.items()}
ENTITY_CLASSES.update({"complex": "Complex", "physical_entity": "PhysicalEntity"})
"""Canonical entity kind -> BioPAX physical entity class."""
FEATURE_CLASSES = {
    "modification": "ModificationFeature",
    "fragment": "FragmentFeature",
    "binding": "BindingFeature",
    "covalent_binding": "CovalentBindingFeature",
    "other": "EntityFeature",
}
FEATURE_KINDS = {cls: kind for kind, cls in FEATURE_CLASSES.items()}
CONTROL_MECHANISMS_OUT = {
    # (type, mechanism) -> controlType
    ("activation", "allosteric"): "ACTIVATION-ALLOSTERIC",
    ("activation", "nonallosteric"): "ACTIVATION-NONALLOSTERIC",
    ("inhibition", "allosteric"): "INHIBITION-ALLOSTERIC",
    ("inhibition", "competitive"): "INHIBITION-COMPETITIVE",
    ("inhibition", "irreversible"): "INHIBITION-IRREVERSIBLE",
    ("inhibition", "noncompetitive"): "INHIBITION-NONCOMPETITIVE",
    ("inhibition", "uncompetitive"): "INHIBITION-UNCOMPETITIVE",
    ("inhibition", "other"): "INHIBITION-OTHER",
}
CONTROL_MECHANISMS_IN = {value: key for key, value in CONTROL_MECHANISMS_OUT.items()}
CATALYSIS_DIRECTIONS = {"left_to_right": "LEFT-TO-RIGHT", "right_to_left": "RIGHT-TO-LEFT",
                        "reversible": "REVERSIBLE"}
CONVERSION_CLASSES = {"Conversion", "ComplexAssembly", "BiochemicalReaction", "Transport",
                      "TransportWithBiochemicalReaction", "Degradation"}
CONTROL_CLASSES = {"Control", "Catalysis", "Modulation", "TemplateReactionRegulation"}
PHYSICAL_ENTITY_CLASSES = set(ENTITY_CLASS_TYPES) | {"PhysicalEntity"}

L2R, R2L, REVERSIBLE = "LEFT-TO-RIGHT", "RIGHT-TO-LEFT", "REVERSIBLE"


# --------------------------------------------------------------------------- databases

# Normalised bioregistry prefix -> the xref ``db`` spelling Paxtools and Pathway Commons use
# (Paxtools names SIF nodes from "HGNC Symbol" relationship xrefs).
DB_NAMES = {
    "uniprot": "UniProt Knowledgebase",
    "hgnc": "HGNC",
    "hgnc.symbol": "HGNC Symbol",
    "ncbigene": "NCBI Gene",
    "ensembl": "Ensembl",
    "chebi": "ChEBI",
    "go": "GO",
    "pubmed": "PubMed",
    "doi": "DOI",
    "ncbitaxon": "Taxonomy",
    "mod": "PSI-MOD",
    "eco": "ECO",
    "mi": "PSI-MI",
    "reactome": "Reactome",
    "kegg.compound": "KEGG Compound",
    "pubchem.compound": "PubChem-compound",
    "hmdb": "HMDB",
    "refseq": "RefSeq",
}
_DB_SYNONYMS = {
    "uniprot knowledgebase": "uniprot", "uniprotkb": "uniprot", "uniprot isoform": "uniprot.isoform",
    "entrez gene": "ncbigene", "entrezgene": "ncbigene", "ncbi gene": "ncbigene",
    "gene ontology": "go", "psi-mod": "mod", "taxonomy": "ncbitaxon", "ncbi taxonomy": "ncbitaxon",
    "psi-mi": "mi", "mi": "mi", "chebi": "chebi", "hgnc symbol": "hgnc.symbol",
    "evidence code ontology": "eco", "protein modification ontology": "mod",
}

_EMBEDDED_PREFIX = {"go", "chebi", "mod", "eco", "mi", "cl", "uberon", "doid", "hgnc"}
"""Prefixes whose BioPAX ``id`` conventionally repeats the prefix (``GO:0005737``)."""


@lru_cache(maxsize=1 << 12)
def _norm_prefix(prefix: str) -> str:
    """Kept per prefix: a document names a handful of databases in thousands of xrefs."""
    return identifiers.normalize_prefix(prefix) or prefix.lower()


def xref_db_id(curie: str) -> tuple[str, str]:
    """``(db, id)`` of an xref for a normal-form CURIE."""
    prefix, local = identifiers.split(curie)
    norm = _norm_prefix(prefix)
    db = DB_NAMES.get(norm, prefix)
    return db, (curie if norm in _EMBEDDED_PREFIX else local)


@lru_cache(maxsize=1 << 16)
def curie_of(db: str | None, ident: str | None) -> str | None:
    """The normal-form CURIE of an xref's ``db``/``id``, or ``None`` when it has none.

    Kept per pair: a document names the same xrefs from many objects, and each answer costs
    bioregistry look-ups and a pattern check.
    """
    if not db or not ident:
        return None
    db, ident = db.strip(), ident.strip()
    prefix = _DB_SYNONYMS.get(db.lower()) or identifiers.normalize_prefix(db) \
        or identifiers.normalize_prefix(db.replace(" ", "")) or identifiers.prefix_by_name(db)
    if prefix is None:
        return None
    try:
        return identifiers.normalize_curie(f"{prefix}:{ident}")
    except identifiers.CurieError:
        return None


PRIMARY_XREFS = {
    # the one database whose id identifies a molecule of this kind (its UnificationXref)
    "protein": ("uniprot",),
    "small_molecule": ("chebi", "pubchem.compound", "kegg.compound", "hmdb", "cas", "drugbank", "pdb-ccd"),
    "gene": ("ncbigene", "ensembl"),
    "dna": ("ncbigene", "ensembl"),
    "rna": ("refseq", "ensembl"),
}
GENE_DATABASES = {"hgnc", "hgnc.symbol", "ncbigene", "ensembl"}


def prefix_of(curie: str) -> str:
    return _norm_prefix(identifiers.split(curie)[0])


# --------------------------------------------------------------------------- vocabularies

RELATIONSHIP_TYPES = {
    # term: PSI-MI id (branch "xref type")
    "gene product": "MI:0251",
    "see-also": "MI:0361",
}

MODIFICATION_TERMS = {
    "MOD:00046": "O-phospho-L-serine",
    "MOD:00047": "O-phospho-L-threonine",
    "MOD:00048": "O4'-phospho-L-tyrosine",
    "MOD:00696": "phosphorylated residue",
    "MOD:00064": "N6-acetyl-L-lysine",
    "MOD:01148": "ubiquitinylated lysine",
    "MOD:00033": "crosslinked residues",
}
MODIFICATION_BY_TERM = {term.lower(): mod for mod, term in MODIFICATION_TERMS.items()}
MODIFICATION_BY_TERM.update({
    "phosphorylation": "MOD:00696", "phosphorylated": "MOD:00696",
    "phosphoserine": "MOD:00046", "o-phospho-serine": "MOD:00046", "o-phospho-threonine": "MOD:00047",
    "o-phospho-tyrosine": "MOD:00048", "o4'-phospho-tyrosine": "MOD:00048", "phosphothreonine": "MOD:00047", "phosphotyrosine": "MOD:00048",
    "acetylation": "MOD:00394", "ubiquitination": "MOD:01148", "methylation": "MOD:00427",
})

UNSPECIFIED_EVIDENCE = "ECO:0000000"
"""ECO's root term ("evidence"): the code of an Evidence whose canonical evidence names none,
since a Level 3 Evidence needs an evidenceCode, a confidence or an experimentalForm."""

EVIDENCE_TERMS = {
    UNSPECIFIED_EVIDENCE: "evidence",
    "ECO:0000304": "traceable author statement used in manual assertion",
    "ECO:0000269": "experimental evidence used in manual assertion",
    "ECO:0000303": "author statement without traceable support used in manual assertion",
}

ORGANISM_NAMES = {
    "NCBITaxon:9606": "Homo sapiens",
    "NCBITaxon:10090": "Mus musculus",
    "NCBITaxon:10116": "Rattus norvegicus",
}

CONTROL_TYPES_OUT = {"catalysis": "ACTIVATION", "activation": "ACTIVATION", "inhibition": "INHIBITION"}
