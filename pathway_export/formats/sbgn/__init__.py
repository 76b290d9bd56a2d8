"""SBGN-ML 0.3 Process Description: the model as a diagram, laid out by :mod:`pathway_export.layout`.

SBGN is a picture of the model, not a store of it: rates, parameters, units, evidence and
identifiers stay in SBML and BioPAX. The document is written (:func:`to_sbgn`), checked
against the SBGN-ML schema (:func:`schema_problems`) and drawn as SVG (:mod:`.svg`).
"""

from .writer import (  # noqa: F401  (the format's verbs)
    NS, schema_problems, to_sbgn, write_sbgn,
)

__all__ = ["to_sbgn", "write_sbgn", "schema_problems"]
