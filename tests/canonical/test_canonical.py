"""The canonical loader: valid files load, broken files are refused with a located message."""

from __future__ import annotations

import json
import math
from dataclasses import replace
import re
from pathlib import Path

import jsonschema
import pytest

from pathway_export import canonical
from pathway_export.errors import CanonicalError
from pathway_export.model import Model

DATA = Path(__file__).resolve().parents[1] / "data" / "canonical"
INVALID = sorted((DATA / "invalid").iterdir())


def expectations(path: Path) -> tuple[str, int | None]:
    """Each invalid fixture declares what must fail (``# expect:``) and where (``# line:``)."""
    head = path.read_bytes()[:400].decode("latin-1")
    expect = re.search(r"^# expect: (.+)$", head, re.M)
    line = re.search(r"^# line: (\d+)$", head, re.M)
    if path.name == "empty.yaml":
        return "file is empty", None
    if path.name == "json_syntax.json":
        return "JSON syntax error", 2
    assert expect, f"{path.name} declares no '# expect:' line"
    return expect.group(1), int(line.group(1)) if line else None


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(canonical.schema())
    assert canonical.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_minimal_model_loads_with_every_kind_of_element():
    model = canonical.load(DATA / "valid" / "minimal.yaml")
    assert isinstance(model, Model)
    assert model.molecule_by_id["NO"].type == "small_molecule"  # YAML 1.2: NO stays a string
    assert model.created == "2026-01-01"
    assert model.compartment_by_id["nucleus"].parent == "cytosol"
    # CURIEs come out in their normal form
    assert model.molecule_by_id["STAT3"].xrefs == ("uniprot:P40763", "hgnc:11364", "NCBIGene:6774")
    assert model.entity_by_id["pSTAT3_c"].modifications[0].type == "MOD:00048"
    assert model.entity_type(model.entity_by_id["pSTAT3_dimer_n"]) == "complex"
    assert model.flat_components(model.entity_by_id["pSTAT3_dimer_n"]) == {"STAT3": 2}
    assert model.reactions[1].reactants[0].stoichiometry == 2
    assert model.parameter_by_id["k_phos"].provenance.reference == "pubmed:29358674"


def test_yaml_1_1_booleans_stay_strings_as_ids():
    text = (DATA / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("id: NO,", "id: ON,").replace("molecule: NO,", "molecule: ON,")
    model = canonical.loads(text)
    assert "ON" in model.molecule_by_id


def test_dump_then_load_gives_the_same_model(tmp_path):
    model = canonical.load(DATA / "valid" / "minimal.yaml")
    for name in ("again.yaml", "again.json"):
        canonical.dump(model, tmp_path / name)
        assert canonical.load(tmp_path / name) == model
    assert canonical.dumps(model) == canonical.dumps(canonical.loads(canonical.dumps(model)))


def test_json_is_accepted():
    model = canonical.load(DATA / "valid" / "minimal.yaml")
    data = json.dumps(canonical.to_dict(model))
    assert canonical.loads(data, source="m.json") == model


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_broken_file_is_refused_with_a_located_message(path):
    expected, line = expectations(path)
    with pytest.raises(CanonicalError) as info:
        canonical.load(path)
    message = str(info.value)
    assert expected in message
    assert str(path) in message  # the file is named
    if line is not None:
        assert any(p.line == line for p in info.value.problems), message


ADVICE = sorted((DATA / "advice").iterdir())


@pytest.mark.parametrize("path", ADVICE, ids=[p.name for p in ADVICE])
def test_what_sbml_allows_loads_and_is_advice(path):
    """Strictness belongs to authoring: a model SBML allows loads, and the curator hears about
    what looks wrong as advice (a warning of validate), with its line."""
    expected, line = expectations(path)
    model = canonical.load(path)
    text = path.read_text(encoding="utf-8")
    advice = canonical.advice(model, canonical.positions(text, str(path)))
    assert any(expected in p.message and (line is None or p.line == line) for p in advice), advice


def test_sbml_values_a_curator_should_hear_about_are_advice_not_errors():
    model = canonical.load(DATA / "valid" / "minimal.yaml")
    odd = replace(model,
                  compartments=(replace(model.compartments[0], spatial_dimensions=2.5, size=-1.0),)
                  + model.compartments[1:],
                  entities=(replace(model.entities[0], initial_concentration=-1e-27),) + model.entities[1:],
                  parameters=(replace(model.parameters[0], value=math.nan),) + model.parameters[1:],
                  reactions=(replace(model.reactions[0], reactants=(), products=(), fast=True),)
                  + model.reactions[1:])
    assert canonical.check(odd) == []
    messages = [p.message for p in canonical.advice(odd)]
    for expected in ("2.5 spatial dimensions", "the size is negative (-1.0)",
                     "the initial concentration is negative (-1e-27)", "the value is nan, not a finite number",
                     "the reaction has no reactants and no products", "a fast reaction"):
        assert any(expected in m for m in messages), (expected, messages)
    assert canonical.dumps(canonical.loads(canonical.dumps(odd))) == canonical.dumps(odd)  # NaN != NaN


def test_every_problem_is_reported_at_once():
    text = (DATA / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("value: 0.1,", "value: fast,").replace("reactants: [STAT3_c]", "reactans: [STAT3_c]")
    with pytest.raises(CanonicalError) as info:
        canonical.loads(text, source="two.yaml")
    assert len(info.value.problems) == 2


def test_semantic_problems_are_all_reported_together():
    text = (DATA / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    text = (text.replace("controller: SOCS3_c", "controller: SOCS9_c")
                .replace("uniprot:P40763", "uniprot:nope")
                .replace("k_deg * SOCS3_c", "k_degg * SOCS3_c"))
    with pytest.raises(CanonicalError) as info:
        canonical.loads(text, source="three.yaml")
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 3, messages
    assert any("did you mean 'SOCS3_c'" in (p.hint or "") for p in info.value.problems)


def test_schema_and_model_classes_agree():
    """Every field of every model class is a key of the schema, and the reverse."""
    from dataclasses import fields

    from pathway_export import model as m

    schema = canonical.schema()
    defs = schema["$defs"]
    pairs = {
        m.Model: schema, m.Person: defs["person"], m.UnitDefinition: defs["unit_definition"],
        m.Compartment: defs["compartment"], m.Molecule: defs["molecule"],
        m.Modification: defs["modification"], m.Entity: defs["entity"],
        m.Provenance: defs["provenance"], m.Parameter: defs["parameter"],
        m.Control: defs["control"], m.Reaction: defs["reaction"], m.Observable: defs["observable"],
        m.Stimulus: defs["stimulus"], m.Pathway: defs["pathway"],
        m.FunctionDefinition: defs["function_definition"], m.InitialAssignment: defs["initial_assignment"],
        m.Rule: defs["rule"], m.EventAssignment: defs["event_assignment"], m.Event: defs["event"],
        m.Annotations: schema["properties"]["annotations"], m.ModelUnits: schema["properties"]["units"],
        m.UnitFactor: defs["unit_definition"]["properties"]["factors"]["items"],
        m.Evidence: defs["evidence"]["oneOf"][1], m.Component: defs["component"]["oneOf"][1],
        m.Participant: defs["participant"]["oneOf"][1],
    }
    for cls, sub in pairs.items():
        assert {f.name for f in fields(cls)} == set(sub["properties"]), cls.__name__
        assert sub.get("additionalProperties") is False, cls.__name__
    enum = defs["reaction"]["properties"]["type"]["enum"]
    assert tuple(enum) == m.REACTION_TYPES
    assert tuple(defs["molecule"]["properties"]["type"]["enum"]) == m.MOLECULE_TYPES
    assert tuple(defs["control"]["properties"]["type"]["enum"]) == m.CONTROL_TYPES
    assert tuple(defs["provenance"]["properties"]["kind"]["enum"]) == m.PROVENANCE_KINDS
    kinds = defs["unit_definition"]["properties"]["factors"]["items"]["properties"]["kind"]["enum"]
    assert tuple(kinds) == m.BASE_UNITS


def test_check_works_on_models_built_in_code():
    from dataclasses import replace

    model = canonical.load(DATA / "valid" / "minimal.yaml")
    broken = replace(model, entities=model.entities + (replace(model.entities[0], compartment="golgi"),))
    problems = canonical.check(broken)
    messages = " ".join(p.message for p in problems)
    assert "duplicate id 'IL6_e'" in messages and "'golgi' is not a declared compartment" in messages


def test_simulation_constructs_load_and_dump():
    model = canonical.load(DATA / "valid" / "sbml_features.yaml")
    assert model.function_by_id["mm"].arguments == ("s", "vmax", "km")
    assert model.reactions[0].local_parameters[0].id == "kcat"
    assert [r.type for r in model.rules] == ["assignment", "rate", "algebraic"]
    event = model.event_by_id["pulse"]
    assert (event.persistent, event.initial_value, event.use_values_from_trigger_time) == (False, False, False)
    assert canonical.loads(canonical.dumps(model)) == model


@pytest.mark.parametrize("old,new,message", [
    ('body: "vmax * s / (km + s)"', 'body: "vmax * s / (km + q)"', "'q' in"),
    ("rate_law: \"cell * mm(A_c, kcat, km)\"", "rate_law: \"cell * mm(A_c, kcatt, km)\"", "'kcatt' in"),
    ("{type: rate, variable: growing,", "{type: rate, variable: growin,", "'growin' is not an entity"),
    ("{type: algebraic, expression:", "{type: algebraic, variable: x, expression:", "an algebraic rule has no variable"),
    ("conversion_factor: cf\n", "conversion_factor: cff\n", "conversion factor 'cff'"),
])
def test_simulation_constructs_are_checked(old, new, message):
    text = (DATA / "valid" / "sbml_features.yaml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(CanonicalError) as info:
        canonical.loads(text.replace(old, new), source="f.yaml")
    assert message in str(info.value)


def test_parameter_without_value_needs_an_assignment():
    text = (DATA / "valid" / "sbml_features.yaml").read_text(encoding="utf-8")
    model = canonical.loads(text.replace("{id: total, value: 0, units: mole, constant: false}", "{id: total, units: mole, constant: false}"))
    assert model.parameter_by_id["total"].value is None  # set by its assignment rule
    broken = text.replace("{id: k, value: 0.5, units: per_second}", "{id: k, units: per_second}").replace("  - {type: algebraic, expression: \"x - 0.2\"}\n", "")
    with pytest.raises(CanonicalError) as info:
        canonical.loads(broken, source="f.yaml")
    assert "parameter 'k' has no value" in str(info.value)
