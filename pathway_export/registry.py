"""The bioregistry's answers, kept on disk per installed registry.

Loading the bioregistry costs most of a second (it validates its whole registry on import),
more than a command spends on a model the size of the bundled one. Every question this
package asks it (a prefix's normal form and pattern, the identifiers.org URI of an
identifier, a database's prefix by its name ...) has an answer fixed by the registry's data.
So each answer is kept in a JSON file in the user's cache directory, one file per installed
registry (its version and the size and time of its data file): a command whose questions were
all asked before never loads the registry, and gives the same answers, hence the same bytes.

The directory is :func:`pathway_export.cache.directory` (``PATHWAY_EXPORT_CACHE=off``: none).
The file only ever saves time: a file that cannot be read is treated as empty, one that cannot
be written is not written, and what either changes is how long a command takes, never its
output.
"""

from __future__ import annotations

import atexit
import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata, util
from pathlib import Path

from . import cache

FORMAT = 1
MAX_ANSWERS = 500_000
"""A file that would hold more answers is started afresh (it only ever saves time)."""

_QUESTIONS: dict[str, Callable[..., object]] = {}


def question(name: str):
    """Register ``compute(*args)`` as the question ``name``; :func:`ask` answers it."""
    def register(compute: Callable[..., object]) -> Callable[..., object]:
        if name in _QUESTIONS:
            raise ValueError(f"registry question {name!r} registered twice")
        _QUESTIONS[name] = compute
        return compute
    return register


def registry_stamp() -> str | None:
    """The installed bioregistry: its version and its data file's size and time, or ``None``.

    Found without importing the registry (that import is what the answers save).
    """
    try:
        version = metadata.version("bioregistry")
        spec = util.find_spec("bioregistry")
    except (metadata.PackageNotFoundError, ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(list(spec.submodule_search_locations)[0]) / "data" / "bioregistry.json"
    try:
        st = data.stat()
    except OSError:
        return None
    digest = hashlib.sha256(f"{version}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:12]
    return f"{version}-{digest}"


class Answers:
    """Answers of one installed registry: read from the file on first use, new ones saved at exit."""

    def __init__(self, directory: Path | None, stamp: str | None):
        self.path = (directory / f"bioregistry-{stamp}.json") if directory is not None and stamp else None
        self.known: dict[str, object] | None = None
        self.new: dict[str, object] = {}

    def _read(self) -> dict[str, object]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        answers = data.get("answers") if isinstance(data, dict) and data.get("format") == FORMAT else None
        return answers if isinstance(answers, dict) else {}

    def ask(self, name: str, *args: str) -> object:
        if self.known is None:
            self.known = self._read()
        key = json.dumps([name, *args], ensure_ascii=False)
        try:
            return self.known[key]
        except KeyError:
            pass
        # through JSON, so an answer has the same types whether computed now or read back
        value = json.loads(json.dumps(_QUESTIONS[name](*args)))
        self.known[key] = value
        if self.path is not None:
            if not self.new:
                atexit.register(self.save)
            self.new[key] = value
        return value

    def save(self) -> None:
        """Add the new answers to the file (atomically; another process's answers are kept)."""
        if self.path is None or not self.new:
            return
        answers = self._read()
        if len(answers) + len(self.new) > MAX_ANSWERS:
            answers = {}
        answers.update(self.new)
        self.new = {}
        # a read-only or full cache directory: the answers are computed again next time
        cache.write_atomically(self.path, json.dumps({"format": FORMAT, "answers": answers}, sort_keys=True))


@lru_cache(maxsize=1)
def answers() -> Answers:
    """This process's answers (the directory and registry as they were on first use)."""
    return Answers(cache.directory(), registry_stamp())


def ask(name: str, *args: str) -> object:
    """The answer to the registered question ``name`` about ``args`` (strings)."""
    return answers().ask(name, *args)
