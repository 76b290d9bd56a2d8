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
