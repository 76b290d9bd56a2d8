"""What a test needs from the machine: skipped in a user's clone that lacks it, failed in CI.

CI (``.ci/run`` sets ``CI``) always has the shared corpus, Java and the Paxtools jar: a check
that cannot run there is a failure, never a quiet skip.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Skip with ``reason``; in CI, fail with it."""
    if in_ci():
        pytest.fail(f"{reason}; CI must run this check", pytrace=False)
    pytest.skip(reason)


def module(name: str, reason: str):
    """Import ``name`` for a test module: skip the module without it; in CI, fail the run.

    Use at module level in place of ``pytest.importorskip``, which skips in CI too.
    """
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if in_ci():
            pytest.fail(f"{name} cannot be imported ({exc}): {reason}; CI must run these checks",
                        pytrace=False)
        pytest.skip(f"{name} cannot be imported: {reason}", allow_module_level=True)


def slow(reason: str) -> None:
    """Skip a slow case in a user's clone to keep the suite quick; in CI, run it."""
    if not in_ci():
        pytest.skip(f"{reason}; runs in CI (set CI=true to run it here)")
