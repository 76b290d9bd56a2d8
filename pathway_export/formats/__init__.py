"""The registry of document formats.

Each format module offers the same verbs, side by side with reader and writer:
``to_<fmt>(model) -> bytes``, ``from_<fmt>(data, source=...) -> Model``,
``write_<fmt>(model, path)``, ``read_<fmt>(path) -> Model``. The CLI, the round-trip
checks and the tests iterate over :data:`FORMATS`, so modules cannot drift apart.
A new format is one module and one line here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from ..model import Model


@dataclass(frozen=True)
class Format:
    """How to reach one format's reader and writer."""

    name: str
    module: str
    extension: str
    description: str

    def _load(self):
        return importlib.import_module(f"{__name__}.{self.module}")

    @property
    def to_bytes(self) -> Callable[[Model], bytes]:
        return getattr(self._load(), f"to_{self.name}")

    @property
    def from_bytes(self) -> Callable[..., Model]:
        return getattr(self._load(), f"from_{self.name}")

    @property
    def write(self) -> Callable[..., object]:
        return getattr(self._load(), f"write_{self.name}")

    @property
    def read(self) -> Callable[..., Model]:
        return getattr(self._load(), f"read_{self.name}")

    @property
    def not_carried(self) -> Callable[[Model], Model]:
        """``model -> model`` without what this format cannot carry (declared by the module)."""
        return getattr(self._load(), "strip_uncarried")

    def filename(self, model_id: str) -> str:
        return f"{model_id}{self.extension}"


FORMATS: dict[str, Format] = {
    "sbml": Format("sbml", "sbml", ".sbml.xml", "SBML Level 3 Version 2 core"),
    "biopax": Format("biopax", "biopax", ".biopax.owl", "BioPAX Level 3 (RDF/XML)"),
}
