"""Findings as data: what a check found, where, and how bad it is.

Checks return lists of :class:`Finding`; only the CLI prints them. A report is
*valid* when it holds no error and *perfect* when it holds nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True, order=True)
class Finding:
    """One finding of one check.

    ``rule`` names the check that fired, namespaced by its source:
    ``canonical:dangling-reference``, ``sbml:10501`` (a libsbml error id),
    ``biopax:controlType``, ``roundtrip:sbml``. ``element`` names the element
    (an id, or a path such as ``reactions[3].controls[0]``).
    """

    severity: str
    rule: str
    message: str
    element: str = ""
    line: int | None = None
    column: int | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def rank(self) -> int:
        return SEVERITIES.index(self.severity)


@dataclass
class Report:
    """The findings of every check run on one input."""

    source: str
    findings: list[Finding] = field(default_factory=list)

    def extend(self, findings) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def is_perfect(self) -> bool:
        return not self.findings
