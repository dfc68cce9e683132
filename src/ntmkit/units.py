"""Units of measure: a small pint registry of ntmkit's own, built on first use.

Thresholds are stored in the unit the law writes them in (80 %, 58 million VND per person
per year).  Observed values may arrive in any compatible unit; :func:`to_unit` converts them
once, at the boundary, and the comparison then runs on plain floats.  A value already in the
indicator's unit is never converted, so a value exactly at a threshold compares exactly.

pint is imported the first time a conversion is needed, never at ``import ntmkit``.
"""

from __future__ import annotations

import fractions
import functools
import importlib.resources
import math
from typing import TYPE_CHECKING, Any

from ntmkit.errors import InvalidValue, UnitMismatch

if TYPE_CHECKING:
    import pint

__all__ = [
    "SIGNIFICANT_DIGITS",
    "Q",
    "is_quantity",
    "snap",
    "split_quantity",
    "to_unit",
    "unit_registry",
]


@functools.lru_cache(maxsize=1)
def unit_registry() -> pint.UnitRegistry[Any]:
    """Return ntmkit's unit registry, building it on the first call.

    The registry knows only the units NTM indicators use (dong/VND, person, household,
    percent, km, m², hectare, time, and the multipliers thousand / million / billion).
    """
    import pint

    definitions = importlib.resources.files("ntmkit").joinpath("units.txt")
    with importlib.resources.as_file(definitions) as path:
        registry: pint.UnitRegistry[Any] = pint.UnitRegistry(
            str(path), autoconvert_offset_to_baseunit=False, cache_folder=None
        )
    return registry


def Q(value: float, unit: str) -> pint.Quantity[Any]:
    """Make a quantity in ntmkit's registry, e.g. ``Q(4.5, "million VND/person/month")``."""
    try:
        return unit_registry().Quantity(value, unit)
    except Exception as exc:  # pint raises several unrelated types for bad unit strings
        raise UnitMismatch(f"unit {unit!r} is not known to ntmkit: {exc}") from None


def is_quantity(value: object) -> bool:
    """Tell whether *value* looks like a pint quantity (from any registry)."""
    return hasattr(value, "magnitude") and hasattr(value, "units")


def split_quantity(value: Any) -> tuple[Any, str]:
    """Return ``(magnitude, unit string)`` of a quantity from any pint registry.

    Quantities of a foreign registry are read by their unit string, so registries are never
    mixed.
    """
    return value.magnitude, str(value.units)


@functools.lru_cache(maxsize=512)
def _factor(from_unit: str, to_unit: str) -> tuple[float, float]:
    """The conversion factor as ``(numerator, denominator)``.

    pint's factors carry rounding noise that differs between pint versions (per month to per
    year may come out as 11.999999999999998).  Unit factors here are ratios of small whole
    numbers, so the factor is snapped to the nearest such ratio; converting by multiplying by
    the numerator and dividing by the denominator then gives the same, exact-where-possible
    result everywhere (3.25 million per month is exactly 39 million per year).
    """
    registry = unit_registry()
    raw = float(registry.Quantity(1.0, from_unit).to(to_unit).magnitude)
    snapped = fractions.Fraction(raw).limit_denominator(10**9)
    if raw != 0 and abs(float(snapped) - raw) <= 1e-12 * abs(raw):
        return float(snapped.numerator), float(snapped.denominator)
    return raw, 1.0


@functools.lru_cache(maxsize=512)
def _same_unit(a: str, b: str) -> bool:
    if a == b:
        return True
    registry = unit_registry()
    try:
        return bool(registry.parse_units(a) == registry.parse_units(b))
    except Exception:
        return False


def to_unit(magnitude: float, from_unit: str, to_unit: str, *, indicator: str = "?") -> float:
    """Convert *magnitude* from *from_unit* to *to_unit*.

    Raises :class:`~ntmkit.errors.UnitMismatch` naming the indicator and both units when
    the units are incompatible or unknown.  No conversion (and so no rounding) happens when
    the two units are the same.
    """
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        raise InvalidValue(
            f"indicator {indicator}: expected a number with unit {from_unit!r}, "
            f"got {magnitude!r} ({type(magnitude).__name__})"
        )
    if _same_unit(from_unit, to_unit):
        return float(magnitude)
    try:
        factor = _factor(from_unit, to_unit)
    except Exception as exc:
        raise UnitMismatch(
            f"indicator {indicator}: cannot convert {from_unit!r} to {to_unit!r}, the unit "
            f"this indicator is measured in ({type(exc).__name__}: {exc})"
        ) from None
    numerator, denominator = factor
    result = snap(float(magnitude) * numerator / denominator)
    if not math.isfinite(result):
        raise InvalidValue(f"indicator {indicator}: {magnitude!r} {from_unit} is not finite")
    return result


#: Converted values are rounded to this many significant digits, which removes the binary
#: noise of the conversion (4.2 × 12 = 50.400000000000006 → 50.4) and no real digit.
SIGNIFICANT_DIGITS = 12


def snap(value: float) -> float:
    """Round a converted value to :data:`SIGNIFICANT_DIGITS` significant digits.

    The batch path applies the same operations to whole columns, so both agree exactly.
    """
    if value == 0 or not math.isfinite(value):
        return value
    scale = 10.0 ** (SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(abs(value))))
    return round(value * scale) / scale
