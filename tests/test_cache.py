"""Parsed canonical YAML kept between commands: the same model, the same problems, less time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from pathway_export import cache, canonical
from pathway_export.errors import CanonicalError

DATA = Path(__file__).resolve().parent / "data" / "canonical"
INVALID = sorted(p for p in (DATA / "invalid").iterdir() if p.suffix == ".yaml")


@pytest.fixture
def kept(tmp_path, monkeypatch) -> Path:
    """A fresh cache directory for this test; returns where parsed texts go."""
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    return tmp_path / "parsed"


@pytest.fixture
def parses(monkeypatch) -> list[int]:
    """Counts the YAML parser's runs."""
    calls: list[int] = []
    real = YAML.load

    def counted(self, stream):
        calls.append(1)
        return real(self, stream)
    monkeypatch.setattr(YAML, "load", counted)
    return calls


def _problems(path: Path) -> list[tuple]:
    with pytest.raises(CanonicalError) as exc:
        canonical.load(path)
    return [(p.message, p.line, p.column, p.where) for p in exc.value.problems]


def test_an_unchanged_file_is_not_parsed_again(kept, parses, tmp_path):
    path = canonical.bundled_model_path("il6_stat3")
    first = canonical.load(path)
    assert len(parses) == 1 and len(list(kept.glob("*.json"))) == 1
    again = canonical.load(path)
    assert len(parses) == 1  # read back, not parsed
    assert again == first
    # the same text elsewhere is the same entry; a changed text is parsed afresh
    copy = tmp_path / "copy.yaml"
    copy.write_text(path.read_text(encoding="utf-8").replace("name:", "name:", 1), encoding="utf-8")
    assert canonical.load(copy) == first and len(parses) == 1
    copy.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert canonical.load(copy) == first and len(parses) == 2


def test_the_model_read_back_equals_the_model_parsed(kept, monkeypatch):
    valid = sorted((DATA / "valid").glob("*.yaml")) + [canonical.bundled_model_path("il6_stat3")]
    monkeypatch.setenv(cache.ENV, "off")
    parsed = [canonical.load(p) for p in valid]
    monkeypatch.setenv(cache.ENV, str(kept.parent))
    for p, model in zip(valid, parsed):
        assert canonical.load(p) == model, p.name  # parsed and kept
        assert canonical.load(p) == model, p.name  # read back
    assert kept.is_dir()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_a_broken_file_is_refused_the_same_way_the_second_time(kept, path):
    assert _problems(path) == _problems(path)


def test_what_json_would_change_is_parsed_every_time(kept, parses, tmp_path):
    # dates (turned into ISO text by the loader), anchors (refused) and non-string keys (refused)
    model = canonical.bundled_model_path("il6_stat3").read_text(encoding="utf-8")
    dated = tmp_path / "dated.yaml"
    dated.write_text(re.sub(r'^created: .*$', "created: 2026-01-01", model, count=1, flags=re.M),
                     encoding="utf-8")
    assert canonical.load(dated).created == "2026-01-01"
    assert canonical.load(dated).created == "2026-01-01"
    assert len(parses) == 2 and not list(kept.glob("*.json"))
    for text in ("a: &x [1]\nb: *x\n", "1: one\n"):
        assert not cache._plain(YAML(typ="safe", pure=True).load(text))


def test_plain_data_survives_json_exactly():
    data = {"f": [1.0, -0.0, 1e300, float("inf"), 2 ** 80, True, None, "\u00e9\ud7ff"], "n": {"": []}}
    assert cache._plain(data)
    back = json.loads(json.dumps(data))
    assert back == data and [type(v) for v in back["f"]] == [type(v) for v in data["f"]]


def test_an_unreadable_entry_is_parsed_again(kept, parses):
    path = canonical.bundled_model_path("il6_stat3")
    model = canonical.load(path)
    (entry,) = kept.glob("*.json")
    entry.write_text('{"format": 1, "data": {"id": "trunc', encoding="utf-8")
    assert canonical.load(path) == model and len(parses) == 2
    assert json.loads(entry.read_text(encoding="utf-8"))["format"] == cache.PARSED_FORMAT
    entry.write_text(json.dumps({"format": 999, "data": {"id": "wrong"}}), encoding="utf-8")
    assert canonical.load(path) == model and len(parses) == 3


def test_an_unwritable_cache_changes_nothing_but_time(tmp_path, monkeypatch, parses):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory would go", encoding="utf-8")
    monkeypatch.setenv(cache.ENV, str(blocked))
    path = canonical.bundled_model_path("il6_stat3")
    assert canonical.load(path) == canonical.load(path)
    assert len(parses) == 2 and blocked.read_text(encoding="utf-8").startswith("a file")


def test_only_the_most_recently_used_entries_are_kept(kept, monkeypatch):
    monkeypatch.setattr(cache, "PARSED_KEEP", 3)
    for i in range(5):
        assert cache.parsed_yaml(f"n: {i}\n", "test parser", lambda text: {"n": int(text[3:])}) == {"n": i}
    assert len(list(kept.glob("*.json"))) == 3
    # the newest three are read back without parsing
    for i in (2, 3, 4):
        assert cache.parsed_yaml(f"n: {i}\n", "test parser", lambda text: pytest.fail("parsed again")) == {"n": i}
    # another parser never sees these entries
    assert cache.parsed_yaml("n: 4\n", "another parser", lambda text: {"other": True}) == {"other": True}


def test_switched_off_nothing_is_kept(monkeypatch, tmp_path, parses):
    monkeypatch.setenv(cache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = canonical.bundled_model_path("il6_stat3")
    canonical.load(path)
    canonical.load(path)
    assert len(parses) == 2 and not any(tmp_path.iterdir())
