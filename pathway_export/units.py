"""Dimensions of units, so that a size in seconds or a concentration in litres is caught."""

from __future__ import annotations

from .model import BASE_UNITS, Model

# Base unit kind -> exponents over (mole, second, metre, kilogram, ampere, kelvin, candela).
_AXES = ("substance", "time", "length", "mass", "current", "temperature", "luminosity")
_KIND_DIMENSIONS: dict[str, tuple[float, ...]] = {
    "mole": (1, 0, 0, 0, 0, 0, 0), "item": (1, 0, 0, 0, 0, 0, 0),
    "second": (0, 1, 0, 0, 0, 0, 0), "metre": (0, 0, 1, 0, 0, 0, 0),
    "litre": (0, 0, 3, 0, 0, 0, 0), "kilogram": (0, 0, 0, 1, 0, 0, 0),
    "gram": (0, 0, 0, 1, 0, 0, 0), "ampere": (0, 0, 0, 0, 1, 0, 0),
    "kelvin": (0, 0, 0, 0, 0, 1, 0), "candela": (0, 0, 0, 0, 0, 0, 1),
    "dimensionless": (0,) * 7, "radian": (0,) * 7, "steradian": (0,) * 7, "avogadro": (0,) * 7,
    "hertz": (0, -1, 0, 0, 0, 0, 0), "becquerel": (0, -1, 0, 0, 0, 0, 0),
    "katal": (1, -1, 0, 0, 0, 0, 0), "newton": (0, -2, 1, 1, 0, 0, 0),
    "joule": (0, -2, 2, 1, 0, 0, 0), "watt": (0, -3, 2, 1, 0, 0, 0),
    "pascal": (0, -2, -1, 1, 0, 0, 0), "coulomb": (0, 1, 0, 0, 1, 0, 0),
    "volt": (0, -3, 2, 1, -1, 0, 0), "ohm": (0, -3, 2, 1, -2, 0, 0),
    "siemens": (0, 3, -2, -1, 2, 0, 0), "farad": (0, 4, -2, -1, 2, 0, 0),
    "henry": (0, -2, 2, 1, -2, 0, 0), "tesla": (0, -2, 0, 1, -1, 0, 0),
    "weber": (0, -2, 2, 1, -1, 0, 0), "lumen": (0, 0, 0, 0, 0, 0, 1),
    "lux": (0, 0, -2, 0, 0, 0, 1), "gray": (0, -2, 2, 0, 0, 0, 0),
    "sievert": (0, -2, 2, 0, 0, 0, 0),
}
assert set(_KIND_DIMENSIONS) == set(BASE_UNITS)

_NAMED = {
    (1, 0, 0, 0, 0, 0, 0): "substance", (0, 1, 0, 0, 0, 0, 0): "time",
    (0, 0, 1, 0, 0, 0, 0): "length", (0, 0, 2, 0, 0, 0, 0): "area",
    (0, 0, 3, 0, 0, 0, 0): "volume", (0, 0, 0, 1, 0, 0, 0): "mass",
    (0,) * 7: "dimensionless", (1, 0, -3, 0, 0, 0, 0): "concentration",
    (0, -1, 0, 0, 0, 0, 0): "per time",
}


class UnitError(KeyError):
    """A unit id is neither a base unit nor defined in the model."""


def dimension(unit: str, model: Model) -> tuple[float, ...]:
    """Exponents of a unit over (substance, time, length, mass, current, temperature, luminosity)."""
    if unit in _KIND_DIMENSIONS:
        return _KIND_DIMENSIONS[unit]
    definition = model.unit_by_id.get(unit)
    if definition is None:
        raise UnitError(unit)
    total = [0.0] * 7
    for factor in definition.factors:
        for axis, exp in enumerate(_KIND_DIMENSIONS[factor.kind]):
            total[axis] += exp * factor.exponent
    return tuple(0.0 if abs(x) < 1e-12 else x for x in total)


def dimension_name(dim: tuple[float, ...]) -> str:
    """A word for a dimension (``volume``), or its formula (``substance^1 time^-1``)."""
    key = tuple(int(x) if float(x).is_integer() else x for x in dim)
    if key in _NAMED:
        return _NAMED[key]
    return " ".join(f"{axis}^{_fmt(x)}" for axis, x in zip(_AXES, dim) if x)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
