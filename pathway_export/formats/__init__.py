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
from . import biopax, cx2, qual, sbgn, sbml, sbml_layout


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
class Derived:
    """A document derived from the model for people and tools: the diagrams and the logical
    model. Written and checked, never read back (it holds a view of the model, not all of it)."""

    name: str
    extension: str
    description: str
    to_bytes: Callable[[Model], bytes]
    problems: Callable[[bytes], list[Problem]]
    """What is wrong with a written document (schema, structure, libsbml); empty when nothing."""

    def filename(self, model_id: str) -> str:
        return f"{model_id}{self.extension}"


DERIVED: dict[str, Derived] = {
    "sbgn": Derived("sbgn", ".sbgn", "SBGN-ML 0.3 Process Description", sbgn.to_sbgn, sbgn.schema_problems),
    "svg": Derived("svg", ".sbgn.svg", "SVG drawing of the SBGN diagram", sbgn.to_svg, sbgn.svg_problems),
    "cx2": Derived("cx2", ".cx2", "CX2 network for Cytoscape and NDEx", cx2.to_cx2, cx2.cx2_problems),
    "qual": Derived("qual", ".qual.sbml.xml", "SBML-qual logical model (Level 3 Version 1)",
                    qual.to_qual, qual.qual_problems),
    "sbml-layout": Derived("sbml-layout", ".layout.sbml.xml", "SBML with the diagram (layout and render)",
                           sbml_layout.to_sbml_layout, sbml_layout.sbml_layout_problems),
}
"""Documents derived from the model (the diagrams share :mod:`pathway_export.layout`);
``export`` writes them beside :data:`FORMATS`."""
