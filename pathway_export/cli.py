"""The ``pathway-export`` command: a thin layer over the library's functions.

Exit codes: 0 success, 1 the input has errors (or a check failed), 2 the command was
used wrongly (click's convention). No traceback reaches the user unless ``--debug``.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

import click

from . import __version__, canonical
from .errors import InputError, PathwayExportError, UnsupportedFeatureError
from .formats import FORMATS
from .fsutil import atomic_write_bytes
from .model import Model

log = logging.getLogger(__name__)

FORMAT_CHOICES = click.Choice([*FORMATS, "all"], case_sensitive=False)


def _formats(choice: str) -> list[str]:
    return list(FORMATS) if choice.lower() == "all" else [choice.lower()]


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
    from .roundtrip import diff

    counts: Counter[str] = Counter()
    for d in diff(model, FORMATS[fmt].not_carried(model)):
        head = d.path.split("[")[0].split(".")[0]
        tail = d.path.rsplit(".", 1)[-1] if "." in d.path else ""
        counts[f"{head}.{tail}" if tail and tail != head else head] += 1
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
@click.argument("model", required=False)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the documents into.")
@click.option("-f", "--format", "fmt", type=FORMAT_CHOICES, default="all", show_default=True,
              help="Which documents to write.")
def export(model: str | None, out_dir: Path, fmt: str) -> None:
    """Write MODEL as SBML and/or BioPAX into OUT as <model-id>.sbml.xml / <model-id>.biopax.owl.

    MODEL is a canonical YAML/JSON file or the name of a bundled model (default: il6_stat3).
    Every document is rendered before any is written, and each is written atomically.
    """
    loaded = _load(model)
    rendered: list[tuple[Path, bytes]] = []
    for name in _formats(fmt):
        spec = FORMATS[name]
        rendered.append((out_dir / spec.filename(loaded.id), spec.to_bytes(loaded)))
        lost = uncarried(loaded, name)
        if lost:
            click.echo(f"note: {spec.description} does not carry {', '.join(lost)}", err=True)
    for path, data in rendered:
        atomic_write_bytes(path, data)
        click.echo(f"wrote {path} ({len(data)} bytes)")


@cli.command()
@click.argument("model", required=False)
@click.option("-f", "--format", "fmt", type=FORMAT_CHOICES, default="all", show_default=True,
              help="Which formats to trip through.")
def roundtrip(model: str | None, fmt: str) -> None:
    """Export MODEL, read each document back, and compare it with the source.

    Prints every difference and every libsbml consistency message (all categories,
    units and modelling practice included) with its element. Exits 0 only when every
    trip is exact and libsbml reports nothing.
    """
    from .roundtrip import trip

    loaded = _load(model)
    failed = False
    for name in _formats(fmt):
        result = trip(loaded, name)
        status = "exact" if result.exact else f"{len(result.differences)} difference(s)"
        click.echo(f"{FORMATS[name].filename(loaded.id)}: round trip {status}; "
                   f"{len(result.findings) - len(result.differences)} consistency message(s)")
        for finding in result.findings:
            click.echo(f"  {finding.severity}: [{finding.rule}] {finding.element}: {finding.message}")
        failed = failed or bool(result.findings)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check canonical model FILES: syntax, schema, ids, references, identifiers, math, units.

    Reports every problem with file, line and column; exits 1 if any file has an error.
    """
    failed = False
    for path in files:
        try:
            loaded = canonical.load(path)
        except InputError as exc:
            failed = True
            click.echo(str(exc), err=True)
            continue
        click.echo(f"{path}: valid ({len(loaded.entities)} entities, {len(loaded.reactions)} reactions)")
    if failed:
        sys.exit(1)


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
