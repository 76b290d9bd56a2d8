"""Render validation reports: text for people, JSON for programs, JUnit XML for CI dashboards.

Renderers take the reports of one run and the severity that fails it (``fail_on``) and return
text or bytes; they write nothing and hold no clock, so the same reports give the same output.
The JSON shape is described by ``schemas/validation-report.schema.json`` (see :func:`to_dict`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from lxml import etree

from .. import __version__
from .findings import SEVERITIES, Finding, Report

SCHEMA_VERSION = 1
"""``schema_version`` in the JSON output; it changes when the shape does."""
SCHEMA_FILE = "validation-report.schema.json"


def schema_path() -> Path:
    """Where the report's JSON Schema lives (``schemas/`` beside the package, or inside it)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "schemas" / SCHEMA_FILE, here / "schemas" / SCHEMA_FILE):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"the report JSON Schema {SCHEMA_FILE} is missing from the installation")


def failed(report: Report, fail_on: str) -> bool:
    """Whether ``report`` fails a run that fails on ``fail_on`` (``error`` or ``warning``)."""
    return report.fails(fail_on)


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


SHOW_CHOICES = ("grouped", "all")
FIRST = 3
"""Findings of each rule listed by default (``show="grouped"``)."""


# --------------------------------------------------------------------------- text


def _where(f: Finding) -> str:
    return f"line {f.line}" + (f":{f.column}" if f.column else "") if f.line else ""


def _by_rule(findings: list[Finding], first: int) -> list[str]:
    """Each rule once, errors first, with its count and its first occurrences."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.rule, []).append(f)
    lines = []
    ordered = sorted(groups.values(), key=lambda fs: -max(f.rank() for f in fs))
    for group in ordered:
        worst = max(group, key=Finding.rank).severity
        count = _plural(len(group), "finding")
        more = len(group) - first
        lines.append(f"  {worst} [{group[0].rule}] {count}" + (f", the first {first} shown" if more > 0 else ""))
        hints = set()
        for f in group[:first]:
            element = "" if f.element == f"line {f.line}" else f.element
            place = " ".join(p for p in (element, _where(f)) if p)
            lines.append(f"    {place + ': ' if place else ''}{f.message}")
            if f.hint and f.hint not in f.message and f.hint not in hints:
                lines.append(f"      fix: {f.hint}")
                hints.add(f.hint)
        if more > 0:
            lines.append(f"    ... {_plural(more, 'more finding')} (--show all lists every one)")
    return lines


def _by_element(findings: list[Finding]) -> list[str]:
    """Every finding, under the element it is about."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.element or "(document)", []).append(f)
    lines = []
    for element, group in groups.items():
        lines.append(f"  {element}")
        for f in group:
            where = _where(f) + ": " if f.line else ""
            if element == f"line {f.line}" and not f.column:
                where = ""
            lines.append(f"    {f.severity} [{f.rule}] {where}{f.message}")
            if f.hint and f.hint not in f.message:
                lines.append(f"      fix: {f.hint}")
    return lines


def to_text(reports: list[Report], fail_on: str = "error", show: str = "grouped",
            min_severity: str = "info", first: int = FIRST) -> str:
    """Findings per file, then one summary line.

    ``show="grouped"`` (the default) lists each rule once, with its count and its first
    ``first`` occurrences, errors first: a model with 17,000 findings of three rules reads
    in a screen. ``show="all"`` lists every finding, grouped by element. ``min_severity``
    hides findings below that severity (they still count in the summary).
    """
    if show not in SHOW_CHOICES:
        raise ValueError(f"show must be one of {SHOW_CHOICES}, not {show!r}")
    threshold = SEVERITIES.index(min_severity)
    lines: list[str] = []
    for report in reports:
        counts = _counts(report.findings)
        state = "FAILED" if failed(report, fail_on) else "ok"
        parts = [_plural(counts["error"], "error"), _plural(counts["warning"], "warning"),
                 _plural(counts["info"], "info")]
        if report.suppressed:
            parts.append(f"{len(report.suppressed)} suppressed")
        kind = f" [{report.format_detail}]" if report.format_detail else ""
        lines.append(f"{report.source}{kind}: {state} ({', '.join(parts)})")
        shown = [f for f in report.findings if f.rank() >= threshold]
        lines += _by_rule(shown, first) if show == "grouped" else _by_element(shown)
        hidden = len(report.findings) - len(shown)
        if hidden:
            lines.append(f"  ({_plural(hidden, 'finding')} below {min_severity} not shown)")
        not_run: dict[str, list[str]] = {}
        for c in report.checks:
            if c.status in ("skipped", "off"):
                not_run.setdefault(c.reason or c.status, []).append(c.name)
        for reason, names in not_run.items():
            lines.append(f"  not run ({reason}): {', '.join(names)}")
    total = _counts(f for r in reports for f in r.findings)
    bad = sum(1 for r in reports if failed(r, fail_on))
    suppressed = sum(len(r.suppressed) for r in reports)
    lines.append(f"{_plural(len(reports), 'file')} checked: {bad} failed; "
                 f"{_plural(total['error'], 'error')}, {_plural(total['warning'], 'warning')}, "
                 f"{_plural(total['info'], 'info')}"
                 + (f", {suppressed} suppressed" if suppressed else "")
                 + (" (warnings fail this run)" if fail_on == "warning" else ""))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- JSON


def _finding_dict(f: Finding) -> dict:
    return {"severity": f.severity, "rule": f.rule, "check": f.check or None, "element": f.element or None,
            "line": f.line, "column": f.column, "source": f.source, "message": f.message, "hint": f.hint}


def to_dict(reports: list[Report], fail_on: str = "error") -> dict:
    """The JSON report as plain data (shape: ``schemas/validation-report.schema.json``)."""
    files = []
    for r in reports:
        files.append({
            "path": r.source,
            "format": r.format or None,
            "format_detail": r.format_detail or None,
            "ok": not failed(r, fail_on),
            "counts": _counts(r.findings) | {"suppressed": len(r.suppressed)},
            "checks": [{"name": c.name, "status": c.status, "reason": c.reason or None} for c in r.checks],
            "findings": [_finding_dict(f) for f in r.findings],
            "suppressed": [_finding_dict(f) for f in r.suppressed],
        })
    total = _counts(f for r in reports for f in r.findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "pathway-export", "version": __version__},
        "fail_on": fail_on,
        "ok": not any(failed(r, fail_on) for r in reports),
        "summary": {"files": len(reports), "failed": sum(1 for r in reports if failed(r, fail_on)),
                    **total, "suppressed": sum(len(r.suppressed) for r in reports)},
        "files": files,
    }


def to_json(reports: list[Report], fail_on: str = "error") -> str:
    """:func:`to_dict` as indented JSON with sorted keys."""
    return json.dumps(to_dict(reports, fail_on), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- JUnit XML


def _clean(text: str) -> str:
    """Text safe for XML 1.0 (control characters from hostile input are replaced)."""
    return "".join(ch if ch in "\t\n\r" or ord(ch) >= 32 else "\ufffd" for ch in text)


def _line(f: Finding) -> str:
    where = f" at line {f.line}" + (f":{f.column}" if f.column else "") if f.line else ""
    element = f" {f.element}" if f.element else ""
    hint = f"\n    fix: {f.hint}" if f.hint else ""
    return f"{f.severity} [{f.rule}]{element}{where}: {f.message}{hint}"


def to_junit(reports: list[Report], fail_on: str = "error") -> bytes:
    """JUnit XML: a ``testsuite`` per file, a ``testcase`` per check.

    A check with a finding at or above ``fail_on`` has a ``failure`` (every such finding in
    its text; the first in ``message``); a check switched off or unable to run is ``skipped``;
    findings below ``fail_on`` go to the test case's ``system-out``.
    """
    threshold = SEVERITIES.index(fail_on)
    root = etree.Element("testsuites", name="pathway-export validate")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for r in reports:
        suite = etree.SubElement(root, "testsuite", name=_clean(r.source))
        props = etree.SubElement(suite, "properties")
        etree.SubElement(props, "property", name="format", value=_clean(r.format_detail or "unknown"))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        by_check: dict[str, list[Finding]] = {}
        for f in r.findings:
            by_check.setdefault(f.check or "other", []).append(f)
        names = [c.name for c in r.checks] + [n for n in by_check if n not in {c.name for c in r.checks}]
        status = {c.name: c for c in r.checks}
        for name in names:
            case = etree.SubElement(suite, "testcase", name=name, classname=_clean(r.source))
            counts["tests"] += 1
            findings = by_check.get(name, [])
            bad = [f for f in findings if f.rank() >= threshold]
            rest = [f for f in findings if f.rank() < threshold]
            check = status.get(name)
            if bad:
                counts["failures"] += 1
                failure = etree.SubElement(case, "failure", type=bad[0].rule,
                                           message=_clean(f"{len(bad)} finding(s); first: {bad[0].message}"[:1000]))
                failure.text = _clean("\n".join(_line(f) for f in bad))
            elif check is not None and check.status in ("skipped", "off"):
                counts["skipped"] += 1
                etree.SubElement(case, "skipped", message=_clean(check.reason or check.status))
            if rest:
                out = etree.SubElement(case, "system-out")
                out.text = _clean("\n".join(_line(f) for f in rest))
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


RENDERERS = {"text": to_text, "json": to_json, "junit": to_junit}
