"""The command line: exit codes, messages, help texts, README coverage, export --check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway_export import cli

DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "canonical" / "valid" / "minimal.yaml"
DANGLING = DATA / "canonical" / "invalid" / "dangling_reference.yaml"
README = Path(__file__).resolve().parents[1] / "README.md"


def run(*args: str):
    return CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- help and README


def test_every_command_has_help_and_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    listing = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    assert cli.cli.commands
    for name, command in cli.cli.commands.items():
        assert command.help and len(command.help.split()) > 5, f"{name} lacks help"
        result = run(name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output
        assert f"pathway-export {name}" in listing, f"{name} is missing from the README's command list"
        for param in command.params:
            if isinstance(param, cli.click.Option):
                assert param.help, f"{name} {param.opts[0]} has no help"
                assert any(opt in readme for opt in param.opts if opt.startswith("--")), \
                    f"{name} {param.opts} is not in README.md"


def test_readme_documents_validation_in_ci():
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## Validation in CI", 1)[1].split("\n## ", 1)[0]
    for needle in ("pathway-export-validate", "pathway-export-check", "--fail-on warning",
                   "export --check", "--format junit", "schemas/validation-report.schema.json",
                   "pathway-export.toml", "| 0 |", "| 1 |", "| 2 |"):
        assert needle in section, needle


def test_pre_commit_hooks_are_defined():
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((README.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"pathway-export-validate", "pathway-export-check"}
    assert by_id["pathway-export-validate"]["entry"].startswith("pathway-export validate")
    assert by_id["pathway-export-check"]["entry"].startswith("pathway-export export --check")
    # both check the files the user commits (tests/test_precommit.py runs them)
    assert all(h.get("pass_filenames", True) and h.get("files") for h in hooks)


def test_readme_pre_commit_rev_is_a_tag_of_this_repository_with_these_hooks():
    """The ``rev`` the README names exists, and its hooks are the ones the README lists."""
    import shutil
    import subprocess

    from ruamel.yaml import YAML

    from pathway_export import __version__

    readme = README.read_text(encoding="utf-8")
    rev = re.search(r"^    rev: (\S+)", readme, re.M).group(1)
    assert rev == f"v{__version__}", "the README's rev names the tag of this version"
    root = README.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git clone: no tags to look up")
    tags = subprocess.run(["git", "tag", "--list"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.split()
    if not tags:
        pytest.skip("this clone holds no tags (cloned without them)")
    assert rev in tags, f"the README's rev {rev} is not a tag of this repository ({tags})"
    shown = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=root,
                           capture_output=True, text=True, check=True).stdout
    tagged = {h["id"]: h for h in YAML(typ="safe").load(shown)}
    assert {"pathway-export-validate", "pathway-export-check"} <= set(tagged)
    assert tagged["pathway-export-check"].get("pass_filenames", True), \
        f"{rev}'s check hook checks the bundled model, not the user's files"


# --------------------------------------------------------------------------- validate


def test_valid_file_exits_0():
    result = run("validate", "--no-config", str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert "minimal.yaml [canonical YAML]: ok" in result.output


def test_file_with_errors_exits_1_with_located_fix():
    result = run("validate", "--no-config", str(MINIMAL), str(DANGLING))
    assert result.exit_code == 1
    assert ("  error [canonical:dangling-reference] 1 finding\n"
            "    reactions[0].controls[1].controller line 64:68: 'SOCS_3c' is not a declared entity") in result.output
    assert "fix: did you mean 'SOCS3_c'?" in result.output
    every = run("validate", "--no-config", "--show", "all", str(DANGLING))
    assert "error [canonical:dangling-reference] line 64:68: 'SOCS_3c' is not a declared entity" in every.output
    assert "2 files checked: 1 failed" in result.output


@pytest.mark.parametrize("args, message", [
    (["validate"], "Missing argument"),
    (["validate", "no/such/file.xml"], "File 'no/such/file.xml' does not exist."),
    (["export", "no/such/model.yaml"], "File 'no/such/model.yaml' does not exist."),
    (["export", "il6_stat3", "no/such/model.yaml", "--check"], "File 'no/such/model.yaml' does not exist."),
    (["roundtrip", "no/such/model.yaml"], "File 'no/such/model.yaml' does not exist."),
    (["import", "no/such/file.xml", "-o", "x.yaml"], "File 'no/such/file.xml' does not exist."),
    (["validate", "--show", "warning", str(MINIMAL)], "'warning' is not one of 'grouped', 'all'"),
    (["validate", "--sbml-checks=-unitz", str(MINIMAL)], "unknown libsbml check category 'unitz'"),
    (["validate", "--format", "xml", str(MINIMAL)], "'xml' is not one of"),
    (["validate", "--fail-on", "info", str(MINIMAL)], "'info' is not one of"),
    (["export", "--format", "pdf"], "'pdf' is not one of"),
])
def test_usage_errors_exit_2(args, message):
    result = CliRunner().invoke(cli.cli, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_fail_on_warning(corpus):
    model = str(corpus / "sbml" / "il6" / "BIOMD0000000151.xml")
    assert run("validate", "--no-config", "--no-roundtrip", model).exit_code == 0
    strict = run("validate", "--no-config", "--no-roundtrip", "--fail-on", "warning", model)
    assert strict.exit_code == 1 and "(warnings fail this run)" in strict.output


def test_sbml_checks_switch_categories(corpus):
    model = str(corpus / "sbml" / "il6" / "BIOMD0000000151.xml")
    every = json.loads(run("validate", "--no-config", "--no-roundtrip", "--format", "json", model).output)
    fewer = json.loads(run("validate", "--no-config", "--no-roundtrip", "--format", "json",
                           "--sbml-checks=-units,-practice", model).output)
    same = json.loads(run("validate", "--no-config", "--no-roundtrip", "--format", "json",
                          "--no-check", "units", "--no-check", "practice", model).output)
    checks = {c["name"]: c["status"] for c in fewer["files"][0]["checks"]}
    assert checks["sbml:units"] == "off" and checks["sbml:modelling_practice"] == "off"
    assert fewer["summary"]["warning"] < every["summary"]["warning"]
    assert fewer["files"][0]["findings"] == same["files"][0]["findings"]


def test_config_file_suppresses_and_sets_fail_on(tmp_path, corpus, monkeypatch):
    model = str(corpus / "sbml" / "il6" / "BIOMD0000000151.xml")
    (tmp_path / "pathway-export.toml").write_text(
        '[validate]\nfail-on = "warning"\nsuppress = ["sbml:*", "roundtrip:*"]\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # found upward from the working folder
    runner = CliRunner()
    result = runner.invoke(cli.cli, ["validate", "--format", "json", model])
    data = json.loads(result.output)
    assert data["fail_on"] == "warning"
    assert data["summary"]["suppressed"] > 100 and data["summary"]["warning"] == 0
    assert result.exit_code == 0, result.output
    (tmp_path / "pathway-export.toml").write_text('[validate]\nfail_on = "warning"\n')
    broken = runner.invoke(cli.cli, ["validate", model])
    assert broken.exit_code == 2 and "did you mean 'fail-on'" in broken.output


def test_json_and_junit_outputs(tmp_path):
    data = json.loads(run("validate", "--no-config", "--format", "json", str(MINIMAL), str(DANGLING)).output)
    assert data["ok"] is False and data["summary"]["files"] == 2
    finding = data["files"][1]["findings"][0]
    assert finding["rule"] == "canonical:dangling-reference" and finding["line"] == 64
    target = tmp_path / "junit.xml"
    result = run("validate", "--no-config", "--format", "junit", "-o", str(target), str(DANGLING))
    assert result.exit_code == 1 and target.read_bytes().startswith(b"<?xml")


def test_no_traceback_on_internal_error(monkeypatch):
    from pathway_export.checks import validate

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(validate, "validate_file", broken)
    with pytest.raises(SystemExit) as info:
        cli.main(["validate", "--no-config", str(MINIMAL)])
    assert info.value.code == 3


# --------------------------------------------------------------------------- export and export --check


def test_export_is_deterministic_and_check_passes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("export", str(MINIMAL), "--out", str(a), "--format", "sbml").exit_code == 0
    assert run("export", str(MINIMAL), "--out", str(b), "--format", "sbml").exit_code == 0
    assert [p.read_bytes() for p in sorted(a.iterdir())] == [p.read_bytes() for p in sorted(b.iterdir())]
    result = run("export", str(MINIMAL), "--out", str(a), "--format", "sbml", "--check")
    assert result.exit_code == 0 and "up to date" in result.output


def test_export_check_names_stale_and_missing_files_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    assert run("export", str(MINIMAL), "--out", str(out), "--format", "sbml").exit_code == 0
    [sbml] = list(out.iterdir())
    sbml.write_bytes(sbml.read_bytes().replace(b"<model", b"<model name=\"edited\"", 1))
    edited = sbml.read_bytes()
    runner = CliRunner()
    result = runner.invoke(cli.cli, ["export", str(MINIMAL), "--out", str(out), "--check"])
    assert result.exit_code == 1
    assert f"{sbml}: stale" in result.output
    assert re.search(r"minimal\.biopax\.owl: missing", result.output) or "biopax" not in cli.FORMATS
    assert "regenerate them with 'pathway-export export" in result.output
    assert sbml.read_bytes() == edited and sorted(p.name for p in out.iterdir()) == [sbml.name]


def test_export_and_check_several_models(tmp_path):
    """The pre-commit check hook passes every committed model at once."""
    out = tmp_path / "out"
    assert run("export", str(MINIMAL), "il6_stat3", "--out", str(out)).exit_code == 0
    from pathway_export.formats import DERIVED, FORMATS

    assert sorted(p.name for p in out.iterdir()) == sorted(
        spec.filename(m) for m in ("il6_stat3", "minimal") for spec in [*FORMATS.values(), *DERIVED.values()])
    (out / "il6_stat3.sbml.xml").unlink()
    result = CliRunner().invoke(cli.cli, ["export", "--check", str(MINIMAL), "il6_stat3", "--out", str(out)])
    assert result.exit_code == 1
    assert f"{out / 'il6_stat3.sbml.xml'}: missing" in result.output
    assert f"{out / 'minimal.sbml.xml'}: up to date" in result.output


def test_export_refuses_two_models_with_one_id(tmp_path):
    result = CliRunner().invoke(cli.cli, ["export", str(MINIMAL), str(MINIMAL), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "two models have the id 'minimal'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_export_check_of_the_published_documents(repo_root, tmp_path, monkeypatch):
    """CI runs 'export --check' on out/: the committed documents are a fresh export."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.cli, ["export", "--check", "--out", str(repo_root / "out")])
    assert result.exit_code == 0, result.output


def test_load_check_runs_the_real_tools(corpus):
    """--load-check loads SBML in libRoadRunner and COPASI and BioPAX in Paxtools, for real."""
    from needs import missing
    from pathway_export.checks import paxtools

    if paxtools.available() is not None:
        missing(f"Paxtools cannot run here: {paxtools.available()}")
    files = [str(MINIMAL), str(corpus / "biopax" / "paxtools" / "activation.owl")]
    result = run("validate", "--no-config", "--load-check", "--format", "json", *files)
    data = json.loads(result.output)
    statuses = [{c["name"]: c["status"] for c in f["checks"] if c["name"].startswith("load:")}
                for f in data["files"]]
    assert set(statuses[0]) == {"load:roadrunner", "load:copasi", "load:paxtools"}
    assert set(statuses[1]) == {"load:paxtools"}
    assert all(s in ("passed", "warned") for f in statuses for s in f.values()), statuses
    assert result.exit_code == 0, result.output


def test_import_writes_a_model_that_validates(corpus, tmp_path):
    from click.testing import CliRunner

    from pathway_export import canonical
    from pathway_export.cli import cli

    out = tmp_path / "singh.yaml"
    result = CliRunner().invoke(cli, ["import", str(corpus / "sbml" / "il6" / "BIOMD0000000151.xml"),
                                      "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    model = canonical.load(out)
    assert len(model.reactions) > 50


def test_import_refuses_by_name_and_writes_nothing(corpus, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "genetic.yaml"
    proc = subprocess.run([sys.executable, "-m", "pathway_export", "import",
                           str(corpus / "biopax" / "validator" / "examples" / "biopax3-genetic-interaction.owl"),
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "cannot represent" in proc.stderr and "Gene" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_missing_input_file_is_one_usage_error_in_every_command(tmp_path):
    """Exit 2 and click's wording, whichever command is given the file (README: exit status)."""
    outputs = set()
    for args in (["validate", "gone.xml"], ["import", "gone.xml", "-o", str(tmp_path / "m.yaml")],
                 ["export", "gone.xml", "--out", str(tmp_path)], ["roundtrip", "gone.xml"]):
        result = CliRunner().invoke(cli.cli, args)
        assert result.exit_code == 2, (args, result.output)
        outputs.add(result.output.splitlines()[-1].rsplit(": ", 1)[1])
    assert outputs == {"File 'gone.xml' does not exist."}
    assert not list(tmp_path.iterdir())


def test_progress_is_shown_on_standard_error_when_asked(tmp_path):
    result = CliRunner().invoke(cli.cli, ["validate", "--no-config", "--progress", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert f"[1/1] {MINIMAL}: round trip through sbml" in result.stderr
    assert "round trip" not in result.stdout
    quiet = CliRunner().invoke(cli.cli, ["validate", "--no-config", "--no-progress", str(MINIMAL)])
    assert quiet.stderr == ""
