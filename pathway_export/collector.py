"""Python's cyclic garbage collector, paused while a document is built or read."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off for the block, then back as it was.

    Writers and readers make a few objects per element (hundreds of thousands for a large
    model) and free none of them, and make no cycles, until they are done: the collector's
    passes over the growing heap find nothing and cost a tenth to a quarter of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
