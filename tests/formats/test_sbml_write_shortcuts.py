"""The SBML writer's shortcuts give what the slow paths they replace give.

- Rate laws whose MathML certainly reads back unchanged (``_reads_back_unchanged``) skip
  libsbml's MathML write and read; the decision must agree with that round trip.
- ``pe`` records are parsed by libsbml in one text (``annotations.Pending``); each element must
  get the annotation it gets from its own record's text.
"""

from __future__ import annotations

import math

import libsbml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pathway_export import mathexpr
from pathway_export.formats.sbml import write as sbml
from pathway_export.formats.sbml import annotations as pe
from pathway_export.formats.sbml.mathml import from_ast, to_ast

_NAMES = ["k1", "A", "B_2", "_x", "time", "pi", "avogadro", "exponentiale", "true", "INF", "NaN",
          "exp", "delay"]
_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(0, 10**6).map(float),
    st.sampled_from([0.0, -0.0, 0.1, 1 / 3, 1e15, 1e16, 1e-5, 123456789012345.0,
                     1234567890123456.0, 2.0**53, 5e-324, -1.0]))
_LEAVES = st.one_of(_NUMBERS.map(mathexpr.Num), st.sampled_from(_NAMES).map(mathexpr.Name))
_TREES = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.tuples(st.sampled_from(["+", "-", "*", "/", "^"]), inner, inner).map(
        lambda t: mathexpr.Op(t[0], (t[1], t[2]))),
    inner.map(lambda a: mathexpr.Op("neg", (a,))),
    inner.map(lambda a: mathexpr.Call("exp", (a,)))), max_leaves=8)


def _round_trip_survives(tree, text: str) -> bool:
    written = libsbml.writeMathMLToString(to_ast(tree, sbml.NUMBER_UNITS))
    back = libsbml.readMathMLFromString(written)
    return back is not None and mathexpr.render(from_ast(back, "a test")) == text


@settings(max_examples=2000, deadline=None)
@given(_TREES, st.booleans())
def test_math_shortcut_agrees_with_the_mathml_round_trip(tree, spaced):
    # every generated expression renders, parses and converts: a failure there is ours
    text = mathexpr.render(tree)
    tree = mathexpr.parse(text)
    ast = to_ast(tree, sbml.NUMBER_UNITS)
    if not spaced:
        text = text.replace(" ", "")
    assert sbml._math_text_survives(tree, text, ast, "a test", frozenset(), frozenset()) \
        == _round_trip_survives(tree, text)


def test_right_nested_sums_and_products_take_the_round_trip():
    for text in ("a * (b * c)", "a + (b + c)"):
        assert not sbml._reads_back_unchanged(mathexpr.parse(text))
    for text in ("a * b * c", "k1 * A - k2 * (B / C)^2", "0.5 * x"):
        assert sbml._reads_back_unchanged(mathexpr.parse(text))
    assert not sbml._reads_back_unchanged(mathexpr.Num(math.inf))
    assert not sbml._reads_back_unchanged(mathexpr.Num(1e20))


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, st.booleans()), min_size=1, max_size=5))
def test_pending_records_parse_as_each_alone(records):
    def build(annotate):
        doc = libsbml.SBMLDocument(3, 2)
        m = doc.createModel()
        for i, (attr, text, nested) in enumerate(records):
            s = m.createSpecies()
            s.setId(f"s{i}")
            s.setMetaId(f"meta_s{i}")
            try:
                node = pe.element("entity", {"molecule": attr} if attr else None)
                parent = pe.child(node, "group") if nested else node
                pe.child(parent, "name", text=text)
            except ValueError:  # characters XML cannot hold
                return None
            annotate(s, node)
        return doc

    pending = pe.Pending()
    batched = build(lambda s, node: pending.append(s, node, "a test"))
    if batched is None:
        return
    pending.flush()
    alone = build(lambda s, node: s.appendAnnotation(etree.tostring(node, encoding="unicode")))
    assert libsbml.writeSBMLToString(batched) == libsbml.writeSBMLToString(alone)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.lists(st.sampled_from(["uniprot:P40763", "CHEBI:15996", "GO:0005737"]),
                                          max_size=3), st.booleans()), min_size=1, max_size=4),
       st.booleans())
def test_records_before_miriam_terms_give_the_same_document(elements, history):
    """The writer gives libsbml each pe record before the element's MIRIAM terms and the
    model history (cheaper); the document must be the one the opposite order gives."""
    def build(records_first):
        doc = libsbml.SBMLDocument(3, 2)
        m = doc.createModel()
        m.setId("m")
        m.setMetaId("meta_m")
        targets = [m]
        for i in range(len(elements) - 1):
            s = m.createSpecies()
            s.setId(f"s{i}")
            s.setMetaId(f"meta_s{i}")
            targets.append(s)
        work = []
        for target, (text, curies, with_record) in zip(targets, elements):
            try:
                node = pe.element("entity")
                pe.child(node, "name", text=text or "x")
            except ValueError:  # characters XML cannot hold
                return None
            terms = [sbml._cv(sbml.BQB, libsbml.BQB_IS, [f"https://identifiers.org/{c}"]) for c in curies]
            work.append((target, node if with_record else None, terms))
        if history:
            h = libsbml.ModelHistory()
            creator = libsbml.ModelCreator()
            creator.setGivenName("A")
            creator.setFamilyName("B")
            h.addCreator(creator)
            h.setCreatedDate(libsbml.Date("2020-01-01T00:00:00Z"))
            h.addModifiedDate(libsbml.Date("2020-01-02T00:00:00Z"))
        for step in ((0, 1) if records_first else (1, 0)):
            for target, node, terms in work:
                if step == 0 and node is not None:
                    assert target.appendAnnotation(etree.tostring(node, encoding="unicode")) == 0
                if step == 1:
                    if history and target is m and terms:  # as the writer: a history only beside terms
                        assert m.setModelHistory(h) == 0
                    for term in terms:
                        assert target.addCVTerm(term, True) == 0
        return libsbml.writeSBMLToString(doc)

    first = build(True)
    if first is not None:
        assert first == build(False)


def test_collector_state_is_restored(bundled_model):
    import gc

    data = sbml.to_sbml(bundled_model)
    assert gc.isenabled()
    sbml.from_sbml(data)
    assert gc.isenabled()
    gc.disable()
    try:
        assert sbml.to_sbml(bundled_model) == data
        sbml.from_sbml(data)
        assert not gc.isenabled()
    finally:
        gc.enable()
