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
    (an id, or a path such as ``reactions[3].controls[0]``). ``hint`` says how to
    fix it when the message does not; ``check`` names the group of checks that
    produced it (``sbml:units``, ``roundtrip``), for reports that list checks.
    """

    severity: str
    rule: str
    message: str
    element: str = ""
    line: int | None = None
    column: int | None = None
    source: str | None = None
    hint: str | None = None
    check: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def rank(self) -> int:
        return SEVERITIES.index(self.severity)


@dataclass(frozen=True)
class Check:
    """One check run (or not run) on an input: its name, status and, when skipped, why.

    ``status`` is ``passed``, ``failed`` (it found an error), ``warned`` (it found
    warnings only), ``skipped`` (it could not run: ``reason`` says why) or ``off``
    (switched off by an option or the project configuration).
    """

    name: str
    status: str
    reason: str = ""


@dataclass
class Report:
    """The findings of every check run on one input.

    ``format`` is the detected format (``canonical``, ``sbml``, ``biopax``; empty when
    none was recognised) and ``format_detail`` says more (``SBML Level 2 Version 4``).
    ``suppressed`` holds findings the project configuration hides by rule id; they
    never count towards the exit status.
    """

    source: str
    findings: list[Finding] = field(default_factory=list)
    format: str = ""
    format_detail: str = ""
    checks: list[Check] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)

    def extend(self, findings) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def is_perfect(self) -> bool:
        return not self.findings

    def fails(self, fail_on: str = "error") -> bool:
        """Whether this report fails a gate that fails on ``fail_on`` (or worse)."""
        threshold = SEVERITIES.index(fail_on)
        return any(f.rank() >= threshold for f in self.findings)
