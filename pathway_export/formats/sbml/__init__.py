"""SBML Level 3 Version 2 core: the writer (:mod:`.write`) and the reader (:mod:`.read`) side by side.

:mod:`.mathml` turns canonical math into libsbml's AST and back; :mod:`.annotations` is the
annotation namespace that carries what SBML's own vocabulary cannot hold.
"""

from .write import (
    CATEGORIES,
    check_consistency,
    from_sbml,
    read_sbml,
    reject_unsafe_xml,
    strip_uncarried,
    to_sbml,
    write_sbml,
)

__all__ = ["from_sbml", "read_sbml", "strip_uncarried", "to_sbml", "write_sbml",
           "CATEGORIES", "check_consistency", "reject_unsafe_xml"]
