"""Canonical model files (YAML 1.2 or JSON): load, check and dump them; the bundled models.

Loading validates at the door and reports everything at once (see :mod:`.load`); only a
file free of problems becomes a :class:`~pathway_export.model.Model`.
"""

from .load import (
    MAX_BYTES,
    SCHEMA_FILE,
    advice,
    bundled_model_path,
    bundled_models,
    check,
    dump,
    dumps,
    load,
    loads,
    locate,
    path_text,
    positions,
    schema,
    schema_path,
    to_dict,
)

__all__ = ["MAX_BYTES", "SCHEMA_FILE", "advice", "bundled_model_path", "bundled_models", "check", "dump",
           "dumps", "load", "loads", "locate", "path_text", "positions", "schema", "schema_path", "to_dict"]
