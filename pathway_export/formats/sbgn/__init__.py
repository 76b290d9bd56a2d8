"""SBGN-ML 0.3 Process Description: the model as a diagram, laid out by :mod:`pathway_export.layout`.

SBGN is a picture of the model, not a store of it: rates, parameters, units, evidence and
identifiers stay in SBML and BioPAX. The document is written (:func:`to_sbgn`), checked
against the SBGN-ML schema (:func:`schema_problems`) and drawn as SVG (:func:`to_svg`).
"""

from __future__ import annotations

from ...model import Model
from .svg import render_svg, svg_problems  # noqa: F401  (the format's verbs)
from .writer import NS, schema_problems, to_sbgn, write_sbgn  # noqa: F401

__all__ = ["to_sbgn", "write_sbgn", "schema_problems", "to_svg", "svg_problems", "render_svg"]


def to_svg(model: Model) -> bytes:
    """The SBGN diagram of ``model`` drawn as SVG."""
    return render_svg(to_sbgn(model))
