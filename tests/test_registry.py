"""The bioregistry's answers kept on disk: the same answers, the same bytes, without the registry."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pathway_export import cache, identifiers, registry

# A new interpreter exports the bundled model to both formats, reads both back, and says
# whether it had to load the bioregistry to do so.
EXPORT = """
import hashlib, sys
from pathway_export import canonical
from pathway_export.formats import FORMATS
model = canonical.load(canonical.bundled_model_path("il6_stat3"))
for name in sorted(FORMATS):
    data = FORMATS[name].to_bytes(model)
    back = FORMATS[name].from_bytes(data, source=name)
    print(name, hashlib.sha256(data).hexdigest(), len(back.reactions))
print("loaded the registry:", "bioregistry" in sys.modules)
"""


def _export(directory: str) -> list[str]:
    env = dict(os.environ, **{cache.ENV: directory})
    out = subprocess.run([sys.executable, "-c", EXPORT], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_a_command_whose_questions_were_asked_before_does_not_load_the_registry(tmp_path, repo_root):
    cold = _export(str(tmp_path))
    assert cold[-1] == "loaded the registry: True"
    files = list(tmp_path.glob("bioregistry-*.json"))
    assert len(files) == 1, files
    warm = _export(str(tmp_path))
    assert warm[-1] == "loaded the registry: False"
    # the same documents, byte for byte, as without the kept answers and as published in out/
    assert warm[:-1] == cold[:-1] == _export("off")[:-1]
    import hashlib

    published = {"sbml": repo_root / "out" / "il6_stat3.sbml.xml", "biopax": repo_root / "out" / "il6_stat3.biopax.owl"}
    for line in warm[:-1]:
        name, digest, _ = line.split()
        assert hashlib.sha256(published[name].read_bytes()).hexdigest() == digest, name


def test_answers_kept_on_disk_equal_the_registrys(tmp_path):
    stamp = registry.registry_stamp()
    assert stamp is not None and stamp.startswith(registry.metadata.version("bioregistry") + "-")
    questions = [("prefix", "GO"), ("prefix", "uniprot"), ("prefix", "no-such-prefix"),
                 ("normalize_prefix", "ChEBI"), ("identifiers_org_iri", "GO", "0005737"),
                 ("standardize_identifier", "chebi", "CHEBI:15377"), ("name", "go"),
                 ("parse_iri", "http://purl.obolibrary.org/obo/GO_0005737"),
                 ("prefix_by_name", "enzyme nomenclature")]
    first = registry.Answers(tmp_path, stamp)
    computed = [first.ask(*q) for q in questions]
    first.save()
    again = registry.Answers(tmp_path, stamp)
    assert [again.ask(*q) for q in questions] == computed
    assert not again.new  # every answer came from the file
    assert computed[0][:2] == ["go", "GO"] and computed[2] is None
    assert computed[4] == "https://identifiers.org/GO:0005737"
    assert computed[7] == ["go", "0005737"]
    assert computed[8] == "ec"


def test_an_unreadable_answer_file_is_asked_again_and_rewritten(tmp_path):
    stamp = registry.registry_stamp()
    path = tmp_path / f"bioregistry-{stamp}.json"
    path.write_text('{"format": 1, "answers": {"["prefix", "GO"]": [trunc', encoding="utf-8")
    answers = registry.Answers(tmp_path, stamp)
    assert answers.ask("prefix", "GO")[:2] == ["go", "GO"]
    answers.save()
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["format"] == registry.FORMAT and '["prefix", "GO"]' in kept["answers"]


def test_an_answer_file_of_another_format_is_not_believed(tmp_path):
    stamp = registry.registry_stamp()
    path = tmp_path / f"bioregistry-{stamp}.json"
    path.write_text(json.dumps({"format": 999, "answers": {'["prefix", "GO"]': ["wrong", "WRONG", None, None]}}),
                    encoding="utf-8")
    assert registry.Answers(tmp_path, stamp).ask("prefix", "GO")[:2] == ["go", "GO"]


def test_answers_that_cannot_be_written_change_nothing_but_time(tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory would go", encoding="utf-8")
    answers = registry.Answers(blocked, registry.registry_stamp())
    assert answers.ask("normalize_prefix", "GO") == "go"
    answers.save()  # no error: the file only ever saves time
    assert blocked.read_text(encoding="utf-8").startswith("a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-directory"]


def test_the_cache_can_be_switched_off_or_moved(monkeypatch, tmp_path):
    for off in ("off", "", "0"):
        monkeypatch.setenv(cache.ENV, off)
        assert cache.directory() is None
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    assert cache.directory() == tmp_path
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.directory() == tmp_path / "pathway-export"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as XDG says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == tmp_path / "home" / ".cache" / "pathway-export"
    monkeypatch.setattr(cache.os.path, "expanduser", lambda path: path)  # no home at all
    assert cache.directory() is None
    assert registry.Answers(None, registry.registry_stamp()).path is None


def test_the_same_prefix_record_whether_computed_or_read_back(tmp_path):
    """The matcher compiled from a kept pattern accepts and refuses what the registry's does."""
    import bioregistry

    for prefix in ("uniprot", "GO", "chebi", "pubmed", "hgnc", "ncbigene", "reactome"):
        norm, preferred, pattern, fullmatch = identifiers._prefix_info(prefix)
        compiled = bioregistry.get_resource(norm).get_pattern_re()
        assert compiled is not None and fullmatch.__self__.pattern == compiled.pattern
        example = bioregistry.get_example(norm)
        assert fullmatch(example) is not None
        assert fullmatch(example + " x") is None


def test_only_registered_questions_are_answered():
    with pytest.raises(KeyError):
        registry.Answers(None, None).ask("no such question", "x")
    with pytest.raises(ValueError, match="registered twice"):
        registry.question("prefix")(lambda prefix: None)
