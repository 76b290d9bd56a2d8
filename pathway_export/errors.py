"""One small exception hierarchy; the CLI maps each to an exit code."""

from __future__ import annotations

from dataclasses import dataclass


class PathwayExportError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    ``where`` is a path into the document (``reactions[3].controls[0].controller``)
    or an element description (``<species id="S1">``); ``line``/``column`` are
    1-based when known.
    """

    message: str
    where: str = ""
    line: int | None = None
    column: int | None = None
    source: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        loc = self.source or ""
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        head = f"{loc}: " if loc else ""
        where = f"{self.where}: " if self.where else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{head}{where}{self.message}{hint}"


class InputError(PathwayExportError):
    """An input file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], source: str | None = None):
        self.problems = tuple(problems)
        self.source = source
        count = len(self.problems)
        head = f"{source}: " if source else ""
        super().__init__(
            f"{head}{count} problem{'s' if count != 1 else ''} found:\n"
            + "\n".join(f"  {p}" for p in self.problems)
        )


class CanonicalError(InputError):
    """A canonical (YAML/JSON) model file is malformed or inconsistent."""


class FormatError(InputError):
    """An SBML or BioPAX document is malformed or cannot be read."""


class UnsupportedFeatureError(PathwayExportError):
    """The input uses something the target cannot represent; refused by name.

    ``feature`` names what (``SBML event 'e1'``, ``BioPAX Level 2``), ``element`` where.
    """

    def __init__(self, feature: str, element: str = "", hint: str = ""):
        self.feature = feature
        self.element = element
        self.hint = hint
        where = f" at {element}" if element else ""
        fix = f"; {hint}" if hint else ""
        super().__init__(f"cannot represent {feature}{where}{fix}")

    @property
    def refusals(self) -> tuple["UnsupportedFeatureError", ...]:
        """Each refusal this error reports: itself, or all of an input's (see :func:`refuse_all`)."""
        return (self,)


class UnsupportedFeaturesError(UnsupportedFeatureError):
    """Every feature of one input that the target cannot represent, reported at once."""

    def __init__(self, refusals: list[UnsupportedFeatureError] | tuple[UnsupportedFeatureError, ...],
                 source: str = ""):
        self._refusals = tuple(refusals)
        first = self._refusals[0]
        self.feature, self.element, self.hint = first.feature, first.element, first.hint
        head = f"{source}: " if source else ""
        Exception.__init__(self, f"{head}cannot represent {len(self._refusals)} features:\n"
                           + "\n".join(f"  {r}" for r in self._refusals))

    @property
    def refusals(self) -> tuple[UnsupportedFeatureError, ...]:
        return self._refusals


def refuse_all(refusals: list[UnsupportedFeatureError], source: str = "") -> UnsupportedFeatureError:
    """One error for an input's refusals: the refusal itself when there is one."""
    if len(refusals) == 1:
        return refusals[0]
    return UnsupportedFeaturesError(refusals, source)


class WriteError(PathwayExportError):
    """A document could not be built or written (a library call failed)."""
