"""pathway-export: one canonical pathway description rendered to SBML and BioPAX, read back, and checked.

The public API::

    import pathway_export as pe
    model = pe.load("my_pathway.yaml")
    pe.write_sbml(model, "out/my_pathway.sbml.xml")
    for result in pe.roundtrip(model):
        print(result.format, result.exact, result.findings)
    report = pe.validate_file("somebody_elses.xml")

The package, in the order data flows: :mod:`.model` (the canonical model), :mod:`.canonical`
(canonical files), :mod:`.formats` (SBML and BioPAX, reader and writer side by side),
:mod:`.checks` (findings, libsbml and BioPAX rules, round trips, reports), :mod:`.importer`
and :mod:`.cli`.
"""

__version__ = "0.1.0"

from .canonical import bundled_model_path, check, dump, dumps, load, loads  # noqa: E402
from .checks.roundtrip import diff, roundtrip, trip  # noqa: E402
from .checks.validate import Options, validate_bytes, validate_file  # noqa: E402
from .errors import (  # noqa: E402
    CanonicalError,
    FormatError,
    InputError,
    PathwayExportError,
    UnsupportedFeatureError,
    WriteError,
)
from .formats import FORMATS  # noqa: E402
from .formats.biopax import from_biopax, read_biopax, to_biopax, write_biopax  # noqa: E402
from .formats.sbml import from_sbml, read_sbml, to_sbml, write_sbml  # noqa: E402
from .importer import import_file  # noqa: E402
from .model import Model  # noqa: E402

__all__ = [
    "__version__",
    "Model",
    "load", "loads", "check", "dump", "dumps", "bundled_model_path",
    "FORMATS",
    "to_sbml", "from_sbml", "write_sbml", "read_sbml",
    "to_biopax", "from_biopax", "write_biopax", "read_biopax",
    "roundtrip", "trip", "diff",
    "validate_file", "validate_bytes", "Options",
    "import_file",
    "PathwayExportError", "InputError", "CanonicalError", "FormatError", "UnsupportedFeatureError",
    "WriteError",
]
