"""The published documents in out/ are exactly what a fresh export of the bundled model gives.

``pytest --update-golden`` rewrites them (as does ``pathway-export export``).
"""

from __future__ import annotations

import pytest

from pathway_export.formats import DERIVED, FORMATS
from pathway_export.fsutil import atomic_write_bytes


@pytest.mark.parametrize("fmt", [*FORMATS, *DERIVED])
def test_published_document_is_fresh(fmt, bundled_model, repo_root, update_golden):
    spec = FORMATS[fmt] if fmt in FORMATS else DERIVED[fmt]
    path = repo_root / "out" / spec.filename(bundled_model.id)
    fresh = spec.to_bytes(bundled_model)
    if update_golden:
        atomic_write_bytes(path, fresh)
    assert path.is_file(), f"{path.name} is missing from out/: run 'pathway-export export'"
    assert path.read_bytes() == fresh, f"out/{path.name} is stale: run 'pathway-export export' and commit it"
