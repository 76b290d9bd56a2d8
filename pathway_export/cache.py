"""The user's cache directory: work whose result is fixed by its input, kept between commands.

What is kept is the data of canonical YAML files, per text (its SHA-256), parser release and
Python's major version (:func:`parsed_yaml`): pure-Python YAML 1.2 parsing costs as much as all
the rest of loading and checking a model, and a file read again unchanged need not be parsed
again. Keyed so that a stale entry can never be used.

The directory is ``$PATHWAY_EXPORT_CACHE``, else ``$XDG_CACHE_HOME/pathway-export``, else
``~/.cache/pathway-export``; ``PATHWAY_EXPORT_CACHE=off`` keeps nothing. Everything here only
ever saves time: an entry that cannot be read is treated as missing, one that cannot be written
is not written, and neither changes what a command reads, checks or writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from .errors import WriteError
from .fsutil import atomic_write_text

ENV = "PATHWAY_EXPORT_CACHE"
PARSED_FORMAT = 1
"""Raised whenever what :func:`parsed_yaml` keeps changes meaning."""
PARSED_KEEP = 32
"""Parsed files kept; the least recently used go first."""
PARSED_MAX_TEXT = 64 * 1024 * 1024
"""Texts larger than this are parsed every time (an entry would be as large)."""


def directory() -> Path | None:
    """Where things are kept, or ``None`` when ``PATHWAY_EXPORT_CACHE`` switches it off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no", "false") else Path(chosen)
    # a relative XDG_CACHE_HOME is ignored (the XDG specification); without a home, nothing is
    # kept rather than a "~" folder made wherever the command runs
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "pathway-export"
    home = os.path.expanduser("~")
    return Path(home) / ".cache" / "pathway-export" if os.path.isabs(home) else None


def write_atomically(path: Path, text: str) -> bool:
    """:func:`~pathway_export.fsutil.atomic_write_text`, ``False`` instead of an error."""
    try:
        atomic_write_text(path, text)
    except WriteError:
        # a read-only or full cache directory: the work is done again next time
        return False
    return True


# --------------------------------------------------------------------------- parsed YAML

_PLAIN = (str, int, float, bool, type(None))


def _plain(data: Any) -> bool:
    """Whether JSON gives ``data`` back exactly: str-keyed dicts, lists and scalars, no container twice.

    YAML's dates, binary values, sets, non-string keys and anchors (one container in two
    places) are left to the parser every time: the loader reports or converts them itself.
    """
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                return False
            seen.add(id(node))
            for key, value in node.items():
                if type(key) is not str:
                    return False
                if type(value) in (dict, list):
                    stack.append(value)
                elif type(value) not in _PLAIN:
                    return False
        elif isinstance(node, list):
            if id(node) in seen:
                return False
            seen.add(id(node))
            for value in node:
                if type(value) in (dict, list):
                    stack.append(value)
                elif type(value) not in _PLAIN:
                    return False
        else:
            return False
    return True


def _parsed_path(text: str, parser: str) -> Path | None:
    where = directory()
    if where is None or len(text) > PARSED_MAX_TEXT:
        return None
    key = hashlib.sha256(f"{PARSED_FORMAT}\0{parser}\0{sys.version_info[:2]}\0".encode()
                         + text.encode("utf-8", "surrogatepass")).hexdigest()
    return where / "parsed" / f"{key}.json"


def parsed_yaml(text: str, parser: str, parse) -> Any:
    """``parse(text)``, or its result kept from an earlier call on the same text and parser.

    ``parser`` names the parser and its settings (its release among them): a different one
    never sees another's entries. Only results that JSON gives back exactly are kept.
    """
    path = _parsed_path(text, parser)
    if path is not None:
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = None
        if isinstance(kept, dict) and kept.get("format") == PARSED_FORMAT and "data" in kept:
            try:
                os.utime(path)  # most recently used
            except OSError:
                pass
            return kept["data"]
    data = parse(text)
    if path is not None and _plain(data):
        if write_atomically(path, json.dumps({"format": PARSED_FORMAT, "data": data})):
            _prune(path.parent)
    return data


def _prune(folder: Path) -> None:
    """Keep the :data:`PARSED_KEEP` most recently used entries."""
    try:
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[PARSED_KEEP:]:
            old.unlink()
    except OSError:
        pass  # another process pruned first, or the folder is read-only
