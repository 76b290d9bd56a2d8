"""The scalable validator finds exactly what libsbml's whole-document checkConsistency finds.

Each case compares :func:`check_consistency_scalable` (forced to split the document into
small batches, so that every cross-batch path is exercised) with
:func:`pathway_export.formats.sbml.check_consistency` (libsbml on the whole document) as sets
of (rule, element, severity, message, line, column): lines are mapped back to the original
document, also inside messages. Cases: the IL-6 and large real models that libsbml checks
whole in seconds, a sample of the SBML Test Suite's semantic cases, and broken documents
whose faults cross batch boundaries.
"""

from __future__ import annotations

import gzip
import re

import pytest

from pathway_export.formats.sbml import check_consistency
from pathway_export.checks.sbml import CATEGORIES, check_consistency_scalable

# libsbml checks these whole in a few seconds at most; iJO1366, salmonella and Recon3D take
# longer and are covered by the benchmark (benchmarks/run.py), not by this suite.
REAL_MODELS = ["il6/BIOMD0000000093.xml", "il6/BIOMD0000000094.xml", "il6/BIOMD0000000151.xml",
               "large/e_coli_core.xml", "large/BIOMD0000000255.xml", "large/MODEL2001290001.xml",
               "large/Galactose_v128_Nc20_dilution.xml"]
SUITE_SAMPLE = 60  # every fifth of the 300 stored semantic cases


def _key(findings):
    return {(f.rule, f.element, f.severity, f.message, f.line, f.column) for f in findings}


def _assert_same(data: bytes, source: str, batch_size: int, **kw) -> set:
    whole = _key(check_consistency(data, source, **kw))
    split = _key(check_consistency_scalable(data, source, batch_size=batch_size, force_split=True,
                                            workers=1, **kw))
    missing, extra = sorted(whole - split), sorted(split - whole)
    assert not missing and not extra, (
        f"{source}: {len(missing)} findings missing, {len(extra)} extra\n"
        + "\n".join(f"  missing {m[:3]} line {m[4]}: {m[3][:160]}" for m in missing[:5])
        + "\n".join(f"  extra   {e[:3]} line {e[4]}: {e[3][:160]}" for e in extra[:5]))
    return whole


@pytest.mark.parametrize("name", REAL_MODELS)
def test_real_models(corpus, name):
    path = corpus / "sbml" / name
    data = path.read_bytes()
    batch = 5 if len(data) < 2_000_000 else 400
    _assert_same(data, name, batch)


def test_split_is_real(corpus):
    """The comparison is not vacuous: real models are split, not checked whole."""
    from pathway_export.checks import sbml as sv

    data = (corpus / "sbml" / "large" / "e_coli_core.xml").read_bytes()
    plan = sv._plan(data, 5, force_split=True)
    assert plan is not None
    assert len(sv._batches(plan)) > 10


def _suite_cases(corpus):
    root = corpus / "sbml-test-suite" / "semantic"
    cases = sorted(root.glob("*/*-sbml-l3v2.xml")) or sorted(root.glob("*/*-sbml-l3v1.xml"))
    return cases[::max(1, len(cases) // SUITE_SAMPLE)]


def test_test_suite_sample(corpus):
    cases = _suite_cases(corpus)
    assert cases, "no semantic cases found in the shared corpus"
    for path in cases:
        _assert_same(path.read_bytes(), path.name, 1)


# One fault per category subset below, in one document, so that each subset finds something
# (the real models are clean in most subsets, which would test false positives only).
FAULTS = [
    (r'sboTerm="SBO:0000252"', 'sboTerm="SBO:0000001"', 0),            # sbo: 10713
    (r'id="c19_pTF_n"', 'id="c0_TF_c"', 1),                            # identifier: 10301
    (r'(<parameter [^>]*id="c12_kimp"[^>]*) units="[^"]+"', r"\1", 1),  # units: 99505 ...
    (r'(<compartment [^>]*) size="[^"]+"', r"\1", 1),                   # modelling practice: 80501
]
SUBSETS = {
    "units": ({"units"}, {"sbml:10503", "sbml:99505"}),
    "identifier+general": ({"identifier", "general"}, {"sbml:10301"}),
    "modelling_practice+sbo": ({"modelling_practice", "sbo"}, {"sbml:10713", "sbml:80501"}),
}


@pytest.mark.parametrize("subset", sorted(SUBSETS))
def test_category_subsets(synthetic_sbml, subset):
    data = synthetic_sbml
    for pattern, replacement, count in FAULTS:
        data = _sub(data, pattern, replacement, count=count)
    categories, expected = SUBSETS[subset]
    rules = {rule for rule, *_ in _assert_same(data, subset, 20, categories=categories)}
    assert expected <= rules, f"{subset}: expected {sorted(expected)}, found {sorted(rules)}"
    others = set().union(*(e for name, (_, e) in SUBSETS.items() if name != subset))
    assert not rules & others, f"{subset} reports other categories' rules: {sorted(rules & others)}"


# --------------------------------------------------------------------------- broken documents


@pytest.fixture(scope="module")
def synthetic_sbml() -> bytes:
    """Our writer's document of a 200-reaction synthetic signalling model."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.synth import synthetic_model
    from pathway_export.formats.sbml import to_sbml

    return to_sbml(synthetic_model(200))


def _sub(data: bytes, pattern: str, replacement: str, count: int = 1) -> bytes:
    text, n = re.subn(pattern, replacement, data.decode("utf-8"), count=count)
    assert n, f"pattern {pattern!r} not found"
    return text.encode("utf-8")


BROKEN = {
    # a reactant naming a species that does not exist
    "dangling species reference": (r'species="c19_TF_c"', 'species="c19_TF_nowhere"'),
    # a kinetic law naming an undeclared parameter
    "dangling math reference": (r"<ci> c15_kdeg </ci>", "<ci> c15_kdeg_missing </ci>"),
    # a parameter whose units measure the wrong thing: unit mismatch in its kinetic law
    "unit mismatch": (r'(<parameter [^>]*id="c12_kimp"[^>]*units=")[^"]+"', r'\1nanomole"'),
    # the same id in the first and in the last batch
    "duplicate ids across batches": (r'id="c19_pTF_n"', 'id="c0_TF_c"'),
    # a metaid used twice
    "duplicate metaid": (r'metaid="([^"]*c18_kin_phos[^"]*)"', 'metaid="DUPLICATE"'),
    # SBO terms from the wrong branch
    "bad SBO terms": (r'sboTerm="SBO:0000252"', 'sboTerm="SBO:0000001"'),
    # the first reaction without its kinetic law: the law other laws' units are compared with
    # moves to the next reaction (libsbml allows a missing law, so this may find nothing)
    "missing kinetic law": (r"(<reaction [^>]*c0_binding[\s\S]*?)<kineticLaw>[\s\S]*?</kineticLaw>", r"\1"),
    # a constant, non-boundary species consumed by a reaction
    "constant species changed by a reaction": (r'(<species [^>]*id="c11_KIN_c"[^>]*)constant="false"', r'\1constant="true"'),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_documents(synthetic_sbml, name):
    pattern, replacement = BROKEN[name]
    count = 0 if name == "bad SBO terms" else 1
    data = _sub(synthetic_sbml, pattern, replacement, count=count)
    if name == "duplicate metaid":
        data = _sub(data, r'metaid="([^"]*c2_kin_phos[^"]*)"', 'metaid="DUPLICATE"')
    whole = _assert_same(data, name, 20)
    assert whole or name == "missing kinetic law", f"{name}: libsbml found nothing, so the case proves nothing"


def test_kinetic_law_units_compared_with_the_first_law(synthetic_sbml):
    """Rule 10503 compares every law with the model's first fully declared one, across batches."""
    # a law late in the model with other units than the first: only the anchor reveals it
    data = _sub(synthetic_sbml, r"(<reaction [^>]*c18_degradation[\s\S]*?<apply>\s*<times/>\s*)<ci> cytosol </ci>",
                r"\1<ci> c18_kdeg </ci>")
    whole = _assert_same(data, "10503", 20)
    assert any(rule == "sbml:10503" for rule, *_ in whole)


def test_read_errors_are_reported_as_libsbml_reports_them(synthetic_sbml):
    data = _sub(synthetic_sbml, r'(<species [^>]*id="c19_TF_c"[^>]*) compartment="[^"]*"', r"\1")
    whole = _assert_same(data, "missing attribute", 20)
    assert [(rule, element, severity) for rule, element, severity, *_ in whole] == [
        ("sbml:20614", "c19_TF_c", "error")]


def test_unknown_category():
    with pytest.raises(ValueError, match="unknown libsbml categories"):
        check_consistency_scalable(b"<sbml/>", categories={"spelling"})
    assert set(CATEGORIES) >= {"general", "units", "identifier"}


def test_large_documents_split_and_small_ones_do_not(synthetic_sbml, corpus):
    from pathway_export.checks import sbml as sv

    assert sv._plan(synthetic_sbml, sv.DEFAULT_BATCH_SIZE, force_split=False) is None
    assert sv._plan(synthetic_sbml, 20, force_split=False) is None  # under MONOLITHIC_BELOW
    recon = gzip.decompress((corpus / "sbml" / "large" / "Recon3D.xml.gz").read_bytes())
    plan = sv._plan(recon, sv.DEFAULT_BATCH_SIZE, force_split=False)
    assert plan is not None and len(plan.reactions) == 10600


def test_workers_are_not_forked_from_a_process_running_other_threads(synthetic_sbml, monkeypatch):
    """A caller's threads (a service, a test runner) would be copied into a forked worker with
    their locks held: workers then start from a fork server, and the findings are the same."""
    import threading
    import warnings

    from pathway_export.checks import sbml as sv

    data = _sub(synthetic_sbml, r'(<species [^>]*id="c19_TF_c"[^>]*) compartment="[^"]*"', r"\1")
    monkeypatch.setattr(sv.threading, "active_count", lambda: 1)
    assert sv._start_method().get_start_method() == "fork"
    monkeypatch.setattr(sv.threading, "active_count", lambda: 2)
    assert sv._start_method().get_start_method() == "forkserver"
    monkeypatch.undo()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)  # fork() from a threaded process
            split = _key(check_consistency_scalable(data, "threads", batch_size=20, force_split=True, workers=2))
    finally:
        stop.set()
    assert split == _key(check_consistency(data, "threads")) and split
