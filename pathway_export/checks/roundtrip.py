"""Write a model, read it back, and say exactly what changed.

:func:`diff` compares two models field by field; elements with ids are matched by
id (so a missing reaction is reported as missing, not as 200 shifted fields).
:func:`roundtrip` runs the trip through one or more formats and, for SBML, libsbml's
own consistency checks, returning findings as data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Iterable

from .. import mathexpr
from ..formats import FORMATS
from ..model import Model
from .findings import Finding


@dataclass(frozen=True)
class Difference:
    """One field that differs: its path, the expected (source) and the found (read-back) value."""

    path: str
    expected: Any
    found: Any

    def __str__(self) -> str:
        return f"{self.path}: expected {_short(self.expected)}, found {_short(self.found)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


_MATH_FIELDS = {"rate_law", "expression"}


def diff(expected: Model, found: Model, rel_tol: float = 1e-12) -> list[Difference]:
    """Every difference between two models; empty when they are equal.

    Floats are compared with ``rel_tol``; math is compared in its normal form.
    """
    # ``==`` is stricter than this comparison (exact floats and math text, the same fields),
    # so equal models have no differences; it runs at C speed, the walk below does not (25x)
    if expected == found:
        return []
    out: list[Difference] = []
    _diff(expected, found, "", out, rel_tol)
    return out


def _diff(a: Any, b: Any, path: str, out: list[Difference], tol: float, field: str = "") -> None:
    if a is b:
        return
    if is_dataclass(a) and is_dataclass(b) and type(a) is type(b):
        for f in fields(a):
            sub = f"{path}.{f.name}" if path else f.name
            _diff(getattr(a, f.name), getattr(b, f.name), sub, out, tol, f.name)
        return
    if isinstance(a, tuple) and isinstance(b, tuple):
        # match by id only when every element has one (a participant's id is optional)
        if a and b and all(getattr(x, "id", None) is not None for x in a + b):
            _diff_by_id(a, b, path, out, tol)
            return
        if len(a) != len(b):
            out.append(Difference(path, a, b))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            _diff(x, y, f"{path}[{i}]", out, tol, field)
        return
    if isinstance(a, float) and isinstance(b, float):
        if a == b or math.isclose(a, b, rel_tol=tol) or (math.isnan(a) and math.isnan(b)):
            return
        out.append(Difference(path, a, b))
        return
    if field in _MATH_FIELDS and isinstance(a, str) and isinstance(b, str):
        try:
            if mathexpr.normalize(a) == mathexpr.normalize(b):
                return
        except mathexpr.MathError:
            pass
    if a != b:
        out.append(Difference(path, a, b))


def _diff_by_id(a: tuple, b: tuple, path: str, out: list[Difference], tol: float) -> None:
    ids_a = [x.id for x in a]
    ids_b = [x.id for x in b]
    by_b = {x.id: x for x in b}
    set_b = set(ids_b)
    set_a = set(ids_a)
    for x in a:
        if x.id not in set_b:
            out.append(Difference(f"{path}[{x.id}]", "present", "missing"))
        else:
            _diff(x, by_b[x.id], f"{path}[{x.id}]", out, tol)
    for y in b:
        if y.id not in set_a:
            out.append(Difference(f"{path}[{y.id}]", "absent", "present"))
    common_a = [i for i in ids_a if i in set_b]
    common_b = [i for i in ids_b if i in set_a]
    if common_a != common_b:
        out.append(Difference(f"{path} (order)", common_a, common_b))


@dataclass
class TripResult:
    """What one format's trip found."""

    format: str
    differences: list[Difference]
    findings: list[Finding]
    size: int

    @property
    def exact(self) -> bool:
        return not self.differences


def trip(model: Model, fmt: str) -> TripResult:
    """Render ``model`` in ``fmt``, read it back and compare with what the format can carry."""
    spec = FORMATS[fmt]
    data = spec.to_bytes(model)
    back = spec.from_bytes(data, source=spec.filename(model.id))
    expected = spec.not_carried(model)
    differences = diff(expected, back)
    findings: list[Finding] = []
    if fmt == "sbml":
        # libsbml's findings, without its whole-document cost (quadratic in the model's size);
        # small documents are still checked whole
        from .sbml import check_consistency_scalable

        findings = check_consistency_scalable(data, source=spec.filename(model.id))
    findings = findings + [
        Finding("error", f"roundtrip:{fmt}", str(d), element=d.path, source=spec.filename(model.id))
        for d in differences
    ]
    return TripResult(fmt, differences, findings, len(data))


def roundtrip(model: Model, formats: Iterable[str] = tuple(FORMATS)) -> list[TripResult]:
    """:func:`trip` through each format."""
    return [trip(model, fmt) for fmt in formats]


def strip(model: Model, **empty: Any) -> Model:
    """``model`` with the named top-level fields replaced (helper for ``strip_uncarried``)."""
    return replace(model, **empty)
