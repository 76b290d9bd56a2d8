"""BioPAX Level 3 (RDF/XML): the writer (:mod:`.write`) and the reader (:mod:`.read`) side by side.

:mod:`.terms` holds BioPAX's vocabulary and the URI scheme; :mod:`.rdfxml` parses a document
into plain nodes for the reader and the BioPAX rules.
"""

from .read import from_biopax
from .write import read_biopax, strip_uncarried, to_biopax, write_biopax

__all__ = ["from_biopax", "read_biopax", "strip_uncarried", "to_biopax", "write_biopax"]
