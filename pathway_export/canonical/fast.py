"""The fast path of loading: a compiled YAML 1.2 parser and a compiled schema validator.

Loading has one reference for what a text means and what is wrong with it: ruamel.yaml's
pure-Python YAML 1.2 loader and the Python ``jsonschema`` validator, whose errors carry the
words and positions a user is shown. Both cost far more than the model they read (tens of
seconds for 10,000 reactions). This module answers first, with yaml-rs (YAML 1.2, Rust) and
jsonschema-rs, and says when its answer is final:

- :func:`yaml_data` gives the data of a text whenever the reference would give the same,
  and ``None`` otherwise: a text it refuses (a syntax error, a duplicate key, an alias), a
  text using what it reads differently (a ``%`` directive, a tag, several documents), so the
  reference parses it and words its error;
- :func:`compile_schema` gives a test that is ``True`` only for data the reference validator accepts; on
  ``False`` the reference validator finds and words the errors;
- :func:`may_hold_unwritable` is ``False`` only for a text none of whose strings can hold a
  character that XML 1.0 cannot carry, so the walk looking for them can be skipped.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import jsonschema_rs
import yaml_rs

_TAG = re.compile(r"(?:^|[\s\[{,])!", re.M)
_DATE_TIME = re.compile(r"-\d\d?(?:[Tt]|[ \t]+)\d\d?:")


def _reference_only(text: str) -> bool:
    """Whether ``text`` may use what yaml-rs reads differently from the reference.

    A directive (``%YAML 1.1`` changes what scalars mean), a tag (``!!binary``, ``!local``), a
    tab (yaml-rs takes one as a space where the reference refuses it), a date with a time (the
    reference writes it in ISO 8601 form, ``2026-01-01T10:00:00``). Each test may also match text
    inside a string (``"wow !"``): that text only goes the slow way. Literal searches first:
    a regular expression that starts with a class is slow on megabytes.
    """
    return ("\t" in text or text.startswith("%") or "\n%" in text or "\r%" in text
            or ("!" in text and _TAG.search(text) is not None)
            or _DATE_TIME.search(text) is not None)


_NO_ALIASES = yaml_rs.AliasLimits(max_alias_expansions_per_anchor=0)
"""An alias makes yaml-rs fail, so the reference refuses it (or reads a scalar alias)."""

_FRAME = 1024
"""Stack bytes allowed per level of nesting (yaml-rs recurses; it needs about 500)."""
_MAX_STACK = 1 << 30


def yaml_data(text: str) -> Any | None:
    """The data of a YAML text, or ``None`` where the reference parser must read it."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if _reference_only(text):
        return None
    # Each level of block nesting starts at least half a column further right than the one
    # it is in (flow nesting is capped by yaml-rs itself): the longest line bounds the depth,
    # and the parse runs in a thread whose stack holds that depth.
    longest = max(map(len, text.splitlines()), default=0)
    stack = (8 << 20) + (2 * longest + 512) * _FRAME
    if stack > _MAX_STACK:
        return None
    outcome: list[Any] = []

    def parse() -> None:
        try:
            outcome.append(yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES,
                                         duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error))
        except Exception:  # noqa: BLE001 - whatever it refuses, the reference words
            pass

    previous = threading.stack_size(stack)
    try:
        worker = threading.Thread(target=parse, name="yaml-parse")
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join()
    if not outcome or isinstance(outcome[0], list):
        # a top-level list is how yaml-rs gives several documents, which the reference refuses
        return None
    return outcome[0]


def compile_schema(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """A test of validity against ``schema`` (draft 2020-12): ``False`` also when unsure.

    jsonschema-rs refuses what it cannot hold (a key that is not a string, bytes, a lone
    surrogate): those are left to the reference, as is every invalid document.
    """
    validator = jsonschema_rs.Draft202012Validator(schema)

    def valid(raw: Any) -> bool:
        try:
            return bool(validator.is_valid(raw))
        except (ValueError, TypeError, OverflowError):
            return False

    return valid


NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 (SBML, BioPAX) cannot carry: it holds tab, line feed, carriage return
and the characters from U+0020 on, except the surrogates and U+FFFE/U+FFFF; YAML and JSON
escapes can name the others."""
_ESCAPED_NOT_XML = re.compile(
    r"\\(?:[0abvfe]|x[01]|u00[01]|u[dD][89a-fA-F]|u[fF]{3}[eEfF]"
    r"|U0000(?:00[01]|[dD][89a-fA-F]|[fF]{3}[eEfF]))")
"""YAML and JSON escapes that may stand for a character XML 1.0 cannot carry (a control
character, a surrogate, U+FFFE or U+FFFF), and a few that do not (``\\x09``, surrogate pairs)."""


def may_hold_unwritable(text: str) -> bool:
    """Whether a string parsed from ``text`` may hold a character XML 1.0 cannot carry.

    Outside escapes every character of a parsed string stands in the text (line breaks
    folded into spaces or line feeds).
    """
    return bool(NOT_XML.search(text) or _ESCAPED_NOT_XML.search(text))
