"""Import a model written elsewhere, SBML or BioPAX, into the canonical model.

:func:`detect` decides the format from the content, never from the file name: the root
element and its namespace say SBML (any Level and Version; the SBML reader decides what it
accepts), an ``rdf:RDF`` root with BioPAX Level 3 elements says BioPAX. BioPAX Level 2 and
anything else are refused by name. gzip-compressed files are recognised by their first bytes.

:func:`import_file` dispatches to the format's reader; :func:`run_import` is the body of the
``pathway-export import FILE -o MODEL.yaml`` command (it prints, so only the CLI calls it).
What the canonical model cannot hold is refused by the readers with
:class:`~pathway_export.errors.UnsupportedFeatureError`, never dropped.
"""

from __future__ import annotations

import gzip
import inspect
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from lxml import etree

from . import canonical
from .errors import CanonicalError, FormatError, Problem, UnsupportedFeatureError
from .formats import FORMATS
from .model import Model

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""``progress(done, total)``: how far an import has got, in bytes or in stages."""

SBML_NS = "http://www.sbml.org/sbml/level"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
BIOPAX3_NS = "http://www.biopax.org/release/biopax-level3.owl#"
BIOPAX2_NS = "http://www.biopax.org/release/biopax-level2.owl#"

MAX_BYTES = 512 * 1024 * 1024
"""Largest uncompressed document read from a gzip file (Recon3D unpacks to 29 MB)."""

SCAN_ELEMENTS = 10_000
"""How many elements of an ``rdf:RDF`` document :func:`detect` looks at for a BioPAX one."""

STAGES = ("detect", "read", "done")
"""Stages reported when the reader does not report bytes itself."""


@dataclass(frozen=True)
class Detected:
    """What a file holds: ``format`` (a key of :data:`~pathway_export.formats.FORMATS`),
    a human description, and whether it is gzip-compressed."""

    format: str
    description: str
    compressed: bool = False


def _open(path: Path) -> tuple[BinaryIO, bool]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FormatError([Problem(f"cannot read: {exc.strerror or exc}")], str(path)) from exc
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return gzip.GzipFile(fileobj=handle), True  # type: ignore[return-value]
    handle.seek(0)
    return handle, False


def detect(path: str | os.PathLike[str]) -> Detected:
    """The format of ``path`` from its content.

    Raises :class:`UnsupportedFeatureError` for BioPAX Level 2 and :class:`FormatError` for
    files that are not XML or are XML of another kind (the message names the root element).
    """
    path = Path(path)
    stream, compressed = _open(path)
    root_tag: str | None = None
    seen_level2 = False
    try:
        events = etree.iterparse(stream, events=("start",), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False,
                                 remove_comments=True, remove_pis=True)
        for count, (_, el) in enumerate(events):
            tag = el.tag if isinstance(el.tag, str) else ""
            if root_tag is None:
                root_tag = tag
                if tag.startswith("{" + SBML_NS):
                    level, version = el.get("level", "?"), el.get("version", "?")
                    return Detected("sbml", f"SBML Level {level} Version {version}", compressed)
                if tag != f"{{{RDF_NS}}}RDF":
                    break
                declared = set((el.nsmap or {}).values())
                if BIOPAX3_NS in declared or BIOPAX3_NS.rstrip("#") in declared:
                    return Detected("biopax", "BioPAX Level 3", compressed)
            if tag.startswith("{" + BIOPAX3_NS):
                return Detected("biopax", "BioPAX Level 3", compressed)
            if tag.startswith("{" + BIOPAX2_NS):
                seen_level2 = True
                break
            if count >= SCAN_ELEMENTS:
                break
            el.clear()
    except etree.XMLSyntaxError as exc:
        if root_tag is None:
            line, column = exc.position if exc.position else (None, None)
            raise FormatError([Problem(f"not an XML document: {exc.msg}", line=line, column=column,
                                       source=str(path),
                                       hint="import reads SBML and BioPAX Level 3 (RDF/XML)")],
                              str(path)) from exc
        # a fault after the root: leave the full report to the reader
    except (OSError, EOFError) as exc:
        raise FormatError([Problem(f"cannot read: {exc}")], str(path)) from exc
    finally:
        stream.close()
    if seen_level2:
        raise UnsupportedFeatureError("BioPAX Level 2", str(path),
                                      "convert it to Level 3 first (Paxtools: toLevel3)")
    if root_tag == f"{{{RDF_NS}}}RDF":
        raise FormatError([Problem(
            f"an RDF/XML document without BioPAX Level 3 elements in its first "
            f"{SCAN_ELEMENTS} elements", source=str(path),
            hint="import reads SBML and BioPAX Level 3")], str(path))
    ns, _, local = (root_tag or "").lstrip("{").rpartition("}")
    raise FormatError([Problem(
        f"neither SBML nor BioPAX: the root element is <{local or '?'}>"
        + (f" in namespace {ns}" if ns else " without a namespace"),
        source=str(path), hint="import reads SBML (<sbml>) and BioPAX Level 3 (<rdf:RDF>)")],
        str(path))


def _accepts_progress(func: Callable) -> bool:
    try:
        return "progress" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def import_file(path: str | os.PathLike[str], progress: Progress | None = None) -> Model:
    """Read an SBML or BioPAX Level 3 file (optionally gzip-compressed) into a canonical model.

    ``progress(done, total)`` is called as the import advances: with byte positions when the
    format's reader reports them, otherwise once per stage of :data:`STAGES`.
    Raises :class:`UnsupportedFeatureError` naming what the canonical model cannot hold and
    :class:`FormatError` for unreadable files.
    """
    path = Path(path)
    stages = len(STAGES)
    if progress:
        progress(0, stages)
    found = detect(path)
    log.info("%s: %s%s", path, found.description, " (gzip)" if found.compressed else "")
    spec = FORMATS[found.format]
    if found.compressed:
        reader, args = spec.from_bytes, (_decompress(path),)
        kwargs: dict = {"source": str(path)}
    else:
        reader, args, kwargs = spec.read, (path,), {}
    byte_progress = progress is not None and _accepts_progress(reader)
    if progress and not byte_progress:
        progress(1, stages)
    if byte_progress:
        kwargs["progress"] = progress
    model = reader(*args, **kwargs)
    if progress and not byte_progress:
        progress(stages, stages)
    return model


def _decompress(path: Path) -> bytes:
    stream, _ = _open(path)
    try:
        data = stream.read(MAX_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise FormatError([Problem(f"cannot decompress: {exc}")], str(path)) from exc
    finally:
        stream.close()
    if len(data) > MAX_BYTES:
        raise FormatError([Problem(f"larger than {MAX_BYTES // 2**20} MiB uncompressed; refused "
                                   "unread")], str(path))
    return data


class _Reporter:
    """Progress on standard error: a rewritten line on a terminal, a line per tenth otherwise."""

    def __init__(self, label: str, stream=None) -> None:
        self.label, self.stream = label, stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.last = -1
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        tenth = min(10, int(10 * done / total))
        percent = min(100, int(100 * done / total))
        if self.tty:
            self.stream.write(f"\r{self.label}: {percent:3d}%")
            if done >= total:
                self.stream.write("\n")
        elif tenth != self.last:
            self.stream.write(f"{self.label}: {percent}%\n")
        self.last = tenth
        self.stream.flush()


def run_import(path: str | os.PathLike[str], output: str | os.PathLike[str],
               show_progress: bool = False) -> Path:
    """The ``pathway-export import FILE -o MODEL.yaml`` command: import, check, write.

    The model is written (atomically; ``.json`` gives JSON) only after its canonical text has
    been loaded back and passed every check of :func:`canonical.loads`, so the output always
    validates. Prints what was written; returns the output path.
    """
    import click

    path, output = Path(path), Path(output)
    reporter = _Reporter(f"importing {path.name}") if show_progress else None
    model = import_file(path, progress=reporter)
    text = canonical.dumps(model, as_json=output.suffix.lower() == ".json")
    try:
        canonical.loads(text, source=str(output), is_json=output.suffix.lower() == ".json")
    except CanonicalError as exc:
        raise CanonicalError(
            [Problem(f"the imported model does not pass the canonical checks: {p.message}",
                     where=p.where, line=p.line, column=p.column, source=str(output))
             for p in exc.problems], str(path)) from exc
    from .fsutil import atomic_write_text

    atomic_write_text(output, text)
    click.echo(f"wrote {output} ({len(model.molecules)} molecules, {len(model.entities)} entities, "
               f"{len(model.reactions)} reactions, {len(model.pathways)} pathways)")
    return output


