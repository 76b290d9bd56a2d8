"""Project configuration for ``pathway-export validate``: found upward from the working folder.

A project keeps its choices in ``pathway-export.toml`` (a ``[validate]`` table) or in
``pyproject.toml`` (a ``[tool.pathway-export.validate]`` table). The nearest folder,
from the working folder upward, that has either wins; ``pathway-export.toml`` wins over
``pyproject.toml`` in the same folder, and a ``pyproject.toml`` without the table is passed
over. ::

    [validate]
    suppress = ["sbml:80701", "sbml:10501"]     # rule ids (shell patterns allowed: "sbml:99*")
    fail-on = "error"                           # or "warning"
    sbml-checks = ["-modelling_practice"]       # libsbml categories switched on/off
    max-bytes = 268435456                       # larger files are refused unread

    [validate.per-file-suppress]
    "models/legacy/*.xml" = ["sbml:10513"]

Suppression is for warnings a team accepts knowingly: it hides warnings and infos, never
errors (an error stays an error; the report says the suppression did not apply).
"""

from __future__ import annotations

import difflib
import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import PathwayExportError

FILENAME = "pathway-export.toml"
KEYS = ("suppress", "fail-on", "sbml-checks", "max-bytes", "per-file-suppress")


class ConfigError(PathwayExportError):
    """The project configuration is malformed; the CLI treats it as a usage error (exit 2)."""


@dataclass(frozen=True)
class Config:
    """What the project configuration says; the defaults when there is none.

    ``path`` is the file it came from (``None``: no file). ``root`` is that file's
    folder: per-file patterns are matched against paths relative to it.
    """

    path: Path | None = None
    suppress: tuple[str, ...] = ()
    fail_on: str | None = None
    sbml_checks: tuple[str, ...] = ()
    max_bytes: int | None = None
    per_file_suppress: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path else None

    def suppresses(self, rule: str, file: str | Path | None = None) -> bool:
        """Whether ``rule`` (on ``file``) is suppressed by id or pattern."""
        patterns = list(self.suppress)
        if file is not None and self.per_file_suppress:
            rel = _relative(Path(file), self.root)
            for glob, rules in self.per_file_suppress:
                if PurePosixPath(rel).match(glob) or fnmatch.fnmatch(rel, glob):
                    patterns.extend(rules)
        return any(rule == p or fnmatch.fnmatchcase(rule, p) for p in patterns)


def _relative(path: Path, root: Path | None) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() if root else path.as_posix()
    except ValueError:
        return path.as_posix()


def find(start: str | Path | None = None) -> Path | None:
    """The nearest configuration file from ``start`` (default: the working folder) upward."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / FILENAME
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _table(_read(pyproject), pyproject) is not None:
            return pyproject
    return None


def load(path: str | Path | None = None, start: str | Path | None = None) -> Config:
    """Read the configuration at ``path``, or the nearest one (see :func:`find`); defaults if none."""
    path = Path(path) if path is not None else find(start)
    if path is None:
        return Config()
    table = _table(_read(path), path)
    if table is None:
        if path.name == "pyproject.toml":
            return Config(path=path)
        table = {}
    return _parse(table, path)


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML syntax error: {exc}") from None


def _table(doc: dict, path: Path) -> dict | None:
    if path.name == "pyproject.toml":
        tool = doc.get("tool", {}).get("pathway-export")
        if tool is None:
            return None
    else:
        tool = doc
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: the pathway-export configuration must be a table")
    unknown = sorted(set(tool) - {"validate"})
    if unknown:
        raise ConfigError(f"{path}: unknown table or key {unknown[0]!r}{_suggest(unknown[0], ['validate'])}")
    table = tool.get("validate", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'validate' must be a table")
    return table


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(options)}"


def _strings(value, where: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{path}: {where} must be a list of non-empty strings, "
                          f"e.g. [\"sbml:80701\"]; found {value!r}")
    return tuple(v.strip() for v in value)


def _parse(table: dict, path: Path) -> Config:
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} in [validate]{_suggest(key, KEYS)}")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in ("error", "warning"):
        raise ConfigError(f"{path}: fail-on must be \"error\" or \"warning\", not {fail_on!r}")
    max_bytes = table.get("max-bytes")
    if max_bytes is not None and (isinstance(max_bytes, bool) or not isinstance(max_bytes, int)
                                  or max_bytes < 1):
        raise ConfigError(f"{path}: max-bytes must be a positive whole number of bytes, not {max_bytes!r}")
    per_file = table.get("per-file-suppress", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{path}: per-file-suppress must be a table of pattern = [rule ids]")
    return Config(
        path=path,
        suppress=_strings(table.get("suppress", []), "suppress", path),
        fail_on=fail_on,
        sbml_checks=_strings(table.get("sbml-checks", []), "sbml-checks", path),
        max_bytes=max_bytes,
        per_file_suppress=tuple((glob, _strings(rules, f"per-file-suppress.{glob!r}", path))
                                for glob, rules in sorted(per_file.items())),
    )
