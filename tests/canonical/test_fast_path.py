"""Loading the fast way (yaml-rs, jsonschema-rs) ends as loading the reference way does.

The reference is ruamel.yaml's YAML 1.2 loader and the Python jsonschema validator: every text
below, valid or broken in some way, gives the same model or the same problems (words, lines,
columns) both ways.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import random
from pathlib import Path

import jsonschema
import pytest

from pathway_export import canonical
from pathway_export.canonical import fast
from pathway_export.errors import CanonicalError

load_module = importlib.import_module("pathway_export.canonical.load")
DATA = Path(__file__).resolve().parents[1] / "data" / "canonical"
VALID = [DATA / "valid" / "minimal.yaml", DATA / "valid" / "sbml_features.yaml"]

# values that YAML 1.1 and 1.2, or a fast and a slow parser, could read differently
TOKENS = ["NO", "yes", "on", "2026-01-01", "2026-01-01 10:00:00", "&a x", "*a", "&a {k: 1}",
          "!!binary aGk=", "!foo x", "[1,", "{a: b, c}", "~", "1e3", ".nan", "-.inf", "0x1F", "0o17",
          "'unterminated", '"\\x07"', '"\\ud800"', '"\\u0001"', "!!set {a, b}", "- x", "? y",
          "{b: 1, b: 2}", "|\n  block", ">\n  folded", "[a, [b, [c]]]", "!!str 12", "%", "@x", "`x",
          "null", "True", ": x", "a: b: c", "\t1", "1: x", "{1: x}", "12345678901234567890123"]
LINES = ["%YAML 1.1", "---", "...", "# c", "x", "- y", "a: &anchor", "b: *anchor", "? [a, b]"]


def _yaml_mutants(text: str, rng: random.Random, count: int) -> list[str]:
    lines = text.split("\n")
    out = []
    for _ in range(count):
        edited = list(lines)
        at = rng.randrange(len(edited))
        kind = rng.randrange(7)
        if kind == 0:
            del edited[at]
        elif kind == 1:
            edited.insert(at, edited[at])  # a duplicate key, most often
        elif kind == 2 and ":" in edited[at]:
            edited[at] = edited[at].partition(":")[0] + ": " + rng.choice(TOKENS)
        elif kind == 3:
            edited[at] = edited[at].replace("  ", "\t", 1)
        elif kind == 4:
            edited[at] = " " + edited[at]
        elif kind == 5:
            edited.insert(at, rng.choice(LINES))
        elif edited[at]:
            cut = rng.randrange(len(edited[at]))
            edited[at] = edited[at][:cut] + edited[at][cut + 1:]
        out.append("\n".join(edited))
    return out


def _json_mutants(text: str, rng: random.Random, count: int) -> list[str]:
    lines = json.dumps(canonical.to_dict(canonical.loads(text)), indent=1).split("\n")
    out = []
    for _ in range(count):
        edited = list(lines)
        at = rng.randrange(len(edited))
        kind = rng.randrange(4)
        if kind == 0:
            edited.insert(at, edited[at])
        elif kind == 1 and edited[at]:
            cut = rng.randrange(len(edited[at]))
            edited[at] = edited[at][:cut] + edited[at][cut + 1:]
        elif kind == 2:
            edited[at] = edited[at].replace('"', "'", 1)
        else:
            edited[at] = edited[at].replace('": "', '": "\\u0007', 1)
        out.append("\n".join(edited))
    return out


def _cases() -> list[tuple[str, str]]:
    rng = random.Random(16)
    cases = []
    for path in VALID:
        text = path.read_text(encoding="utf-8")
        cases += [("yaml", t) for t in [text, *_yaml_mutants(text, rng, 120)]]
        cases += [("json", t) for t in _json_mutants(text, rng, 40)]
    cases += [("yaml", p.read_bytes().decode("utf-8", "replace")) for p in sorted((DATA / "invalid").glob("*.yaml"))]
    return cases


def _outcome(kind: str, text: str) -> str:
    try:
        model = canonical.loads(text, source=f"m.{kind}", is_json=kind == "json")
    except CanonicalError as exc:
        return str(exc)
    return "loads " + hashlib.sha256(canonical.dumps(model).encode()).hexdigest()


def test_the_fast_way_ends_as_the_reference_way_on_valid_and_broken_texts(monkeypatch):
    cases = _cases()
    fast_ways = sum(kind == "yaml" and fast.yaml_data(text) is not None for kind, text in cases)
    quick = [_outcome(kind, text) for kind, text in cases]
    monkeypatch.setattr(fast, "yaml_data", lambda text: None)
    monkeypatch.setattr(load_module, "_fast_valid", lambda: lambda raw: False)
    slow = [_outcome(kind, text) for kind, text in cases]
    differ = [(kind, text, a, b) for (kind, text), a, b in zip(cases, quick, slow) if a != b]
    assert not differ, differ[:3]
    # the comparison covers both ways, loaded models and many kinds of problem
    assert fast_ways > 100 and len(cases) - fast_ways > 100
    assert sum(o.startswith("loads ") for o in quick) > 20
    assert len({o.split("\n", 1)[-1] for o in quick}) > 100


def test_data_the_compiled_schema_accepts_the_reference_accepts():
    """jsonschema-rs is trusted only when it says valid: it must never accept what jsonschema refuses."""
    reference = jsonschema.Draft202012Validator(canonical.schema())
    valid = fast.compile_schema(canonical.schema())
    rng = random.Random(3)
    accepted = 0
    for kind, text in _cases():
        try:
            raw = (json.loads(text) if kind == "json" else fast.yaml_data(text))
        except ValueError:
            continue
        if raw is None:
            continue
        if valid(raw):
            accepted += 1
            assert reference.is_valid(raw), text[:300]
        # and a value of the wrong type somewhere in it
        if isinstance(raw, dict) and isinstance(raw.get("reactions"), list) and raw["reactions"]:
            reaction = rng.choice(raw["reactions"])
            if isinstance(reaction, dict) and reaction:
                key = rng.choice(sorted(reaction))
                reaction[key] = rng.choice([1, None, "x", [], {}, True, 1.5])
                assert valid(raw) <= reference.is_valid(raw), (key, reaction[key])
    assert accepted > 20


@pytest.mark.parametrize("text", [
    "id: m\nname: x\nnotes:\n" + "- " * 40000 + "x\n",  # yaml-rs alone overflows its stack here
    "id: m\nname: x\nnotes: " + "[" * 100000 + "\n",
])
def test_deep_nesting_is_refused_never_a_crash(text):
    with pytest.raises(CanonicalError):
        canonical.loads(text)


def test_what_only_the_reference_reads_goes_the_reference_way():
    assert fast.yaml_data("%YAML 1.1\n---\nid: NO\n") is None        # a directive
    assert fast.yaml_data("id: !!binary aGk=\n") is None               # a tag
    assert fast.yaml_data("created: 2026-01-01 10:00:00\n") is None    # a date with a time
    assert fast.yaml_data("id: a\n---\nid: b\n") is None               # two documents
    assert fast.yaml_data("a: &x {k: 1}\nb: *x\n") is None             # an alias
    assert fast.yaml_data("a: 1\na: 2\n") is None                      # a duplicate key
    assert fast.yaml_data("\ufeffid: NO\ncreated: 2026-01-01\n") == {"id": "NO", "created": "2026-01-01"}
