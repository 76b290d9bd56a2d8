"""The table of document formats.

Each format package offers the same verbs, reader and writer side by side:
``to_<fmt>(model) -> bytes``, ``from_<fmt>(data, source=...) -> Model``,
``write_<fmt>(model, path)``, ``read_<fmt>(path) -> Model``. The CLI, the round-trip
checks and the tests iterate over :data:`FORMATS`, so formats cannot drift apart.
A new format is one package and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import Problem
from ..model import Model
from . import biopax, cx2, sbgn, sbml


@dataclass(frozen=True)
class Format:
    """One format's reader and writer, as plain functions."""

    name: str
    extension: str
    description: str
    to_bytes: Callable[[Model], bytes]
    from_bytes: Callable[..., Model]
    write: Callable[..., object]
    read: Callable[..., Model]
    not_carried: Callable[[Model], Model]
    """``model -> model`` without what this format cannot carry (declared by the format)."""

    def filename(self, model_id: str) -> str:
        return f"{model_id}{self.extension}"


FORMATS: dict[str, Format] = {
    "sbml": Format("sbml", ".sbml.xml", "SBML Level 3 Version 2 core",
                   sbml.to_sbml, sbml.from_sbml, sbml.write_sbml, sbml.read_sbml, sbml.strip_uncarried),
    "biopax": Format("biopax", ".biopax.owl", "BioPAX Level 3 (RDF/XML)",
                     biopax.to_biopax, biopax.from_biopax, biopax.write_biopax, biopax.read_biopax,
                     biopax.strip_uncarried),
}


@dataclass(frozen=True)
class Diagram:
    """A document drawn from the model for people and viewers: written and checked, never
    read back (it holds the picture, not the model)."""

    name: str
    extension: str
    description: str
    to_bytes: Callable[[Model], bytes]
    problems: Callable[[bytes], list[Problem]]
    """What is wrong with a written document (its schema or structure); empty when nothing."""

    def filename(self, model_id: str) -> str:
        return f"{model_id}{self.extension}"


DIAGRAMS: dict[str, Diagram] = {
    "sbgn": Diagram("sbgn", ".sbgn", "SBGN-ML 0.3 Process Description", sbgn.to_sbgn, sbgn.schema_problems),
    "svg": Diagram("svg", ".sbgn.svg", "SVG drawing of the SBGN diagram", sbgn.to_svg, sbgn.svg_problems),
    "cx2": Diagram("cx2", ".cx2", "CX2 network for Cytoscape and NDEx", cx2.to_cx2, cx2.cx2_problems),
}
"""Diagram documents, laid out by :mod:`pathway_export.layout`; ``export`` writes them beside
:data:`FORMATS`."""
