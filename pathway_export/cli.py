"""The ``pathway-export`` command: a thin layer over the library's functions.

Exit codes: 0 success, 1 the input has errors (or a check failed), 2 the command was
used wrongly (click's convention). No traceback reaches the user unless ``--debug``.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import click

from . import __version__, canonical
from .checks.report import FIRST, SHOW_CHOICES
from .errors import InputError, PathwayExportError, UnsupportedFeatureError
from .formats import DERIVED, FORMATS
from .fsutil import atomic_write_bytes
from .model import Model

log = logging.getLogger(__name__)

MAX_VALIDATE_BYTES = 256 * 1024 * 1024
"""Largest file ``validate`` reads unless told otherwise (``--max-bytes``)."""

FORMAT_CHOICES = click.Choice([*FORMATS, *DERIVED, "all"], case_sensitive=False)


def _formats(choice: str) -> list[str]:
    return [*FORMATS, *DERIVED] if choice.lower() == "all" else [choice.lower()]


def _spec(name: str):
    return FORMATS[name] if name in FORMATS else DERIVED[name]


class _ModelArgument(click.ParamType):
    """A canonical model file, or the name of a bundled model.

    A file that does not exist is a usage error (exit 2) worded as click words it for every
    command's input files: "File 'x.yaml' does not exist."
    """

    name = "model"

    def convert(self, value, param, ctx):
        if value in canonical.bundled_models() and not Path(value).exists():
            return value
        return str(click.Path(exists=True, dir_okay=False).convert(value, param, ctx))


MODEL = _ModelArgument()


def _model_path(model: str | None) -> Path:
    if model is None:
        return canonical.bundled_model_path()
    path = Path(model)
    if not path.exists() and model in canonical.bundled_models():
        return canonical.bundled_model_path(model)
    return path


def _load(model: str | None) -> Model:
    return canonical.load(_model_path(model))


def uncarried(model: Model, fmt: str) -> list[str]:
    """What ``fmt`` cannot carry of ``model``, summarised per kind of field."""
    from .checks.roundtrip import diff

    counts: Counter[str] = Counter()
    for d in diff(model, FORMATS[fmt].not_carried(model)):
        head = d.path.split("[")[0].split(".")[0]
        tail = d.path.rsplit(".", 1)[-1] if "." in d.path else ""
        many = len(d.expected) if isinstance(d.expected, tuple) and d.path == head else 1
        counts[f"{head}.{tail}" if tail and tail != head else head] += many
    return [f"{key} ({n})" for key, n in sorted(counts.items())]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pathway-export")
@click.option("--debug", is_flag=True, help="Show Python tracebacks of internal errors.")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug level).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: int) -> None:
    """Export pathway models to SBML and BioPAX, read them back, and validate them.

    The canonical model (YAML or JSON) is the single source of truth; run a command
    with --help for its options. With no MODEL, commands use the bundled IL-6/STAT3 model.
    """
    ctx.obj = {"debug": debug}
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@cli.command()
@click.argument("models", nargs=-1, metavar="[MODEL]...", type=MODEL)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the documents into.")
@click.option("-f", "--format", "fmt", type=FORMAT_CHOICES, default="all", show_default=True,
              help="Which documents to write.")
@click.option("--check", is_flag=True,
              help="Write nothing: exit 1 if OUT differs from a fresh export, naming stale and missing files.")
def export(models: tuple[str, ...], out_dir: Path, fmt: str, check: bool) -> None:
    """Write each MODEL as SBML, BioPAX and its diagrams into OUT as <model-id>.<extension>.

    Documents: SBML (.sbml.xml), BioPAX (.biopax.owl), SBGN-ML (.sbgn), its SVG drawing
    (.sbgn.svg), CX2 for Cytoscape/NDEx (.cx2), the SBML-qual logical model (.qual.sbml.xml)
    and SBML with the diagram's layout (.layout.sbml.xml); --format all writes every one.

    MODEL is a canonical YAML/JSON file or the name of a bundled model (default: il6_stat3).
    Every document of every MODEL is rendered before any is written, and each is written
    atomically. With --check nothing is written: the command compares OUT with a fresh export
    and exits 1 when a document there is stale or missing (the CI step for published files).
    """
    rendered: list[tuple[Path, bytes]] = []
    for model in models or (None,):
        loaded = _load(model)
        for name in _formats(fmt):
            spec = _spec(name)
            path = out_dir / spec.filename(loaded.id)
            if any(path == done for done, _ in rendered):
                raise click.UsageError(f"two models have the id '{loaded.id}' and would both be "
                                       f"written to {path}; give each model its own id")
            data = spec.to_bytes(loaded)
            if name in DERIVED:
                wrong = spec.problems(data)
                if wrong:  # our own writer's fault: publish nothing
                    raise PathwayExportError(f"the {spec.description} of '{loaded.id}' is not valid: "
                                             + "; ".join(str(p) for p in wrong[:5]))
            rendered.append((path, data))
            lost = uncarried(loaded, name) if name in FORMATS else []
            if lost and not check:
                click.echo(f"note: {spec.description} does not carry {', '.join(lost)}", err=True)
    if check:
        _check_fresh(rendered, models)
        return
    for path, data in rendered:
        atomic_write_bytes(path, data)
        click.echo(f"wrote {path} ({len(data)} bytes)")


def stale_files(rendered: list[tuple[Path, bytes]]) -> list[tuple[Path, str]]:
    """Which of the freshly rendered documents differ from the files on disk, and how."""
    out = []
    for path, data in rendered:
        try:
            on_disk = path.read_bytes()
        except FileNotFoundError:
            out.append((path, "missing"))
            continue
        except OSError as exc:
            out.append((path, f"unreadable ({exc.strerror or exc})"))
            continue
        if on_disk != data:
            out.append((path, f"stale ({len(on_disk)} bytes on disk, {len(data)} in a fresh export)"))
    return out


def _check_fresh(rendered: list[tuple[Path, bytes]], models: tuple[str, ...]) -> None:
    problems = stale_files(rendered)
    for path, data in rendered:
        if all(path != p for p, _ in problems):
            click.echo(f"{path}: up to date")
    for path, what in problems:
        click.echo(f"{path}: {what}", err=True)
    if problems:
        again = " ".join(["pathway-export export", *models])
        out_dir = rendered[0][0].parent
        if out_dir != Path("out"):
            again += f" --out {out_dir}"
        click.echo(f"{len(problems)} published document(s) out of date; regenerate them with "
                   f"'{again}' and commit the result", err=True)
        sys.exit(1)


@cli.command()
@click.argument("model", required=False, type=MODEL)
@click.option("-f", "--format", "fmt", type=FORMAT_CHOICES, default="all", show_default=True,
              help="Which formats to trip through.")
def roundtrip(model: str | None, fmt: str) -> None:
    """Export MODEL, read each document back, and compare it with the source.

    Derived documents (SBGN-ML, SVG, CX2, SBML-qual, SBML with layout) are views of the model,
    not read back: they are checked against their schema, structure or libsbml instead.

    Prints every difference and every libsbml consistency message (all categories,
    units and modelling practice included) with its element. Exits 0 only when every
    trip is exact and libsbml reports nothing.
    """
    from .checks.roundtrip import trip

    loaded = _load(model)
    failed = False
    for name in _formats(fmt):
        if name in DERIVED:  # a view of the model: checked, not read back
            spec = DERIVED[name]
            wrong = spec.problems(spec.to_bytes(loaded))
            click.echo(f"{spec.filename(loaded.id)}: derived, not read back; {len(wrong)} problem(s)")
            for p in wrong:
                click.echo(f"  error: {p}")
            failed = failed or bool(wrong)
            continue
        result = trip(loaded, name)
        status = "exact" if result.exact else f"{len(result.differences)} difference(s)"
        click.echo(f"{FORMATS[name].filename(loaded.id)}: round trip {status}; "
                   f"{len(result.findings) - len(result.differences)} consistency message(s)")
        for finding in result.findings:
            click.echo(f"  {finding.severity}: [{finding.rule}] {finding.element}: {finding.message}")
        failed = failed or bool(result.findings)
    if failed:
        sys.exit(1)


FORMAT_OUTPUTS = click.Choice(["text", "json", "junit"], case_sensitive=False)
SEVERITY_CHOICE = click.Choice(["error", "warning"], case_sensitive=False)


@cli.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=FORMAT_OUTPUTS, default="text", show_default=True,
              help="text for people, json for programs (schemas/validation-report.schema.json), "
                   "junit for CI dashboards.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--fail-on", type=SEVERITY_CHOICE, default=None,
              help="Least severity that makes the exit status 1  [default: error, or the config's].")
@click.option("--sbml-checks", "sbml_checks", multiple=True, metavar="SPEC",
              help="libsbml categories, e.g. '-units,-practice' (all but these) or 'general,identifier' "
                   "(only these). Categories: general, identifier, mathml, sbo, units, overdetermined, "
                   "modelling_practice (alias practice); all are on by default.")
@click.option("--no-check", "no_check", multiple=True, metavar="CATEGORY",
              help="Switch one libsbml category off (repeatable), e.g. --no-check units.")
@click.option("--no-roundtrip", is_flag=True, help="Skip the round trip through the canonical model.")
@click.option("--load-check", is_flag=True,
              help="Also load SBML in libRoadRunner and COPASI, and BioPAX in Paxtools.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help=f"Refuse larger files unread  [default: {MAX_VALIDATE_BYTES}, or the config's].")
@click.option("--show", type=click.Choice(SHOW_CHOICES, case_sensitive=False), default="grouped",
              show_default=True, help=f"Text output: 'grouped' lists each rule once, with its count and "
                                      f"its first {FIRST} findings; 'all' lists every finding, by element.")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"], case_sensitive=False),
              default="info", show_default=True,
              help="Least severity listed in text output (every finding still counts).")
@click.option("--progress/--no-progress", default=None,
              help="Show each file's current check on standard error (default: when it is a terminal).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Project configuration to use instead of the nearest pathway-export.toml or "
                   "pyproject.toml [tool.pathway-export].")
@click.option("--no-config", is_flag=True, help="Ignore any project configuration.")
def validate(files: tuple[Path, ...], output_format: str, output: Path | None, fail_on: str | None,
             sbml_checks: tuple[str, ...], no_check: tuple[str, ...], no_roundtrip: bool, load_check: bool,
             max_bytes: int | None, show: str, min_severity: str, progress: bool | None,
             config_path: Path | None, no_config: bool) -> None:
    """Check model FILES of any kind and report every problem; exit 1 if any file fails.

    The format is detected from the content: canonical YAML/JSON (schema, ids, references,
    identifiers, math, units, then export and read back), SBML of any Level/Version
    (libsbml's consistency categories, then a round trip through the canonical model),
    BioPAX Level 3 (BioPAX rules, round trip); BioPAX Level 2, HTML, other XML, binary and
    empty files are named and fail. Each finding has its severity, rule id, element, line and
    how to fix it. Warnings and infos can be suppressed by rule id in pathway-export.toml.
    Exit status: 0 clean or warnings only, 1 a file failed, 2 the command was used wrongly.
    """
    from .checks import config as project
    from .checks.report import RENDERERS
    from .checks.validate import Options, parse_sbml_checks, unsuppressible, validate_file

    try:
        settings = project.Config() if no_config else project.load(config_path)
    except project.ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        categories = parse_sbml_checks(settings.sbml_checks)
        categories = parse_sbml_checks(sbml_checks, categories) if sbml_checks else categories
        categories = parse_sbml_checks([f"-{c}" for c in no_check], categories)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--sbml-checks' / '--no-check'") from None
    fail_on = (fail_on or settings.fail_on or "error").lower()
    options = Options(sbml_categories=categories, roundtrip=not no_roundtrip, load_check=load_check,
                      max_bytes=max_bytes or settings.max_bytes or MAX_VALIDATE_BYTES,
                      suppress=settings.suppresses if (settings.suppress or settings.per_file_suppress) else None)
    reports = []
    if progress is None:
        progress = sys.stderr.isatty()
    for number, path in enumerate(files, 1):
        told = _progress_line(f"[{number}/{len(files)}] {path}") if progress else None
        report = validate_file(path, replace(options, progress=told))
        for f in unsuppressible(report, options):
            log.warning("%s: %s is an error and is not suppressed (suppression applies to warnings "
                        "and infos only)", path, f.rule)
        reports.append(report)
    if progress:
        click.echo("\r\x1b[K", err=True, nl=False)
    renderer = RENDERERS[output_format.lower()]
    rendered = (renderer(reports, fail_on, show.lower(), min_severity.lower())
                if output_format.lower() == "text" else renderer(reports, fail_on))
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    if output is not None:
        atomic_write_bytes(output, data)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)
    if any(r.fails(fail_on) for r in reports):
        sys.exit(1)


def _progress_line(prefix: str):
    """A progress callback: the file and its current check, on one line of standard error."""
    def show(stage: str) -> None:
        click.echo(f"\r\x1b[K{prefix}: {stage}", err=True, nl=False)
    return show


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The canonical model to write (.yaml, or .json for JSON).")
@click.option("--progress/--no-progress", default=None,
              help="Show progress on standard error (default: when it is a terminal).")
def import_(file: Path, output: Path, progress: bool | None) -> None:
    """Turn an SBML (Level 2 or 3) or BioPAX Level 3 FILE into a canonical model.

    The format is detected from the content. What the canonical model cannot hold is refused
    by name (exit 1, nothing written) or, for BioPAX details that have no place in it, named
    in a warning. The written model always passes `pathway-export validate`.
    """
    from .importer import run_import

    if progress is None:
        progress = sys.stderr.isatty()
    run_import(file, output, show_progress=progress)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning library errors into messages and exit codes."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="pathway-export", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UnsupportedFeatureError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except PathwayExportError as exc:
        click.echo(f"error: {exc}" if not isinstance(exc, InputError) else str(exc), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the user gets a message, never a traceback, unless --debug
        if debug:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for details and please report it)", err=True)
        sys.exit(3)
