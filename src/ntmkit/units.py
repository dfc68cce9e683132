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
import numbers
import re
from typing import TYPE_CHECKING, Any

from ntmkit.errors import InvalidValue, UnitMismatch

if TYPE_CHECKING:
    import pint

__all__ = [
    "SIGNIFICANT_DIGITS",
    "Q",
    "is_quantity",
    "readable_unit",
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


#: The longest unit spelling read (``million VND/person/month`` is 24 characters).
MAX_UNIT_LENGTH = 64
# A number raised to a power, a power of a power, or an exponent of more than one digit:
# pint would compute them (9**9**9 takes hours), and no unit needs them.
_RUNAWAY_POWER = re.compile(r"\d\s*(\*\*|\^)|(\*\*|\^)\s*[-+(]?\s*\d\s*(\*\*|\^|\d)")


def _checked_unit(unit: object, indicator: str | None = None) -> str:
    """*unit* as a unit spelling pint may parse, or a :class:`UnitMismatch`."""
    where = f"indicator {indicator}: " if indicator else ""
    if not isinstance(unit, str):
        raise UnitMismatch(f"{where}a unit is text such as 'million VND/person/month', not "
                           f"{unit!r}", indicator=indicator)
    if len(unit) > MAX_UNIT_LENGTH or _RUNAWAY_POWER.search(unit) or "\x00" in unit:
        shown = unit if len(unit) <= MAX_UNIT_LENGTH else unit[:MAX_UNIT_LENGTH] + "…"
        raise UnitMismatch(f"{where}{shown!r} is not a unit ntmkit reads: write a unit such "
                           "as '%', 'km' or 'million VND/person/month'",
                           indicator=indicator, unit=shown)
    return "fraction" if unit.strip() in _FRACTION else unit


#: Spellings of "no unit": a fraction of one (0.8 is 80 %), never a count or a ratio of units.
_FRACTION = frozenset({"", "1", "dimensionless", "fraction"})


def Q(value: float, unit: str) -> pint.Quantity[Any]:
    """Make a quantity in ntmkit's registry, e.g. ``Q(4.5, "million VND/person/month")``.

    *value* is a number (not text: pint would read text as an expression); *unit* a unit
    spelling of at most :data:`MAX_UNIT_LENGTH` characters.
    """
    if isinstance(value, (str, bytes, bool)):
        raise InvalidValue(f"Q() takes a number, not {value!r} ({type(value).__name__})")
    unit = _checked_unit(unit)
    try:
        return unit_registry().Quantity(value, _parsed_unit(unit_registry(), unit))
    except Exception as exc:  # pint raises several unrelated types for bad unit strings
        raise UnitMismatch(f"unit {unit!r} is not known to ntmkit ({_pint_reason(exc)}); "
                           "known units include %, count, household, person, km, m2, ha, "
                           "VND, thousand, million, billion, year, month", unit=unit) from None


@functools.lru_cache(maxsize=256)
def _parsed_unit(registry: pint.UnitRegistry[Any], unit: str) -> pint.Unit:
    """*unit* parsed by *registry*, once per spelling.

    Parsing a unit costs more than the rest of making a quantity.
    """
    return registry.Unit(unit)


def _pint_reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 120 else text[:120] + "…"


#: How units are written back in messages and results: the law's spelling, not pint's.
_SYMBOLS = {"dong": "VND", "percent": "%", "square_meter": "m2", "meter": "m",
            "kilometer": "km", "hectare": "ha"}
_MULTIPLIERS = ("billion", "million", "thousand")
_PER_FIRST = ("person", "household", "square_meter", "hectare")


@functools.lru_cache(maxsize=512)
def readable_unit(unit: str) -> str:
    """A unit spelled as the law spells it, e.g. ``million VND/person/month``.

    pint spells ``million VND/person/month`` as ``dong * million / month / person``; this
    writes multipliers first, then the units, then each ``/unit``.  A spelling ntmkit cannot
    parse comes back unchanged.

    >>> readable_unit("dong * million / month / person")
    'million VND/person/month'
    """
    try:
        parsed = unit_registry().parse_units(_checked_unit(unit))
    except Exception:
        return unit
    powers = {str(name): float(power)  # type: ignore[arg-type]
              for name, power in parsed._units.items()}
    if not powers:
        return unit

    def term(name: str, power: float) -> str:
        symbol = _SYMBOLS.get(name, name)
        p = abs(power)
        return symbol if p == 1 else f"{symbol}^{p:g}"

    up = [n for n in _MULTIPLIERS if powers.get(n, 0) > 0]
    up += sorted(n for n, p in powers.items() if p > 0 and n not in _MULTIPLIERS)
    down = sorted((n for n, p in powers.items() if p < 0),
                  key=lambda n: (n not in _PER_FIRST, n))
    text = " ".join(term(n, powers[n]) for n in up) or "1"
    return text + "".join(f"/{term(n, powers[n])}" for n in down)


def is_quantity(value: object) -> bool:
    """Tell whether *value* looks like a pint quantity (from any registry)."""
    return hasattr(value, "magnitude") and hasattr(value, "units")


def split_quantity(value: Any) -> tuple[Any, str]:
    """Return ``(magnitude, unit string)`` of a quantity from any pint registry.

    Quantities of a foreign registry are read by their unit string, so registries are never
    mixed.  The unit is spelled as :func:`readable_unit` spells it.
    """
    return value.magnitude, readable_unit(str(value.units))


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
    raw = float(registry.Quantity(1.0, _checked_unit(from_unit)).to(_checked_unit(to_unit)
                                                                     ).magnitude)
    if not math.isfinite(raw) or raw == 0:
        raise ValueError(f"the factor from {from_unit!r} to {to_unit!r} is {raw!r}")
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
        parsed = registry.parse_units(_checked_unit(a)), registry.parse_units(_checked_unit(b))
        return bool(parsed[0] == parsed[1])
    except Exception:
        return False


def to_unit(magnitude: float, from_unit: str, to_unit: str, *, indicator: str = "?") -> float:
    """Convert *magnitude* from *from_unit* to *to_unit*.

    Raises :class:`~ntmkit.errors.UnitMismatch` naming the indicator and both units when
    the units are incompatible or unknown.  No conversion (and so no rounding) happens when
    the two units are the same.
    """
    if isinstance(magnitude, bool) or not isinstance(magnitude, (numbers.Real)) or \
            type(magnitude).__name__ == "bool_":
        raise InvalidValue(
            f"indicator {indicator}: expected a number with unit {from_unit!r}, "
            f"got {magnitude!r} ({type(magnitude).__name__})", indicator=indicator,
            unit=from_unit)
    value = finite_float(magnitude, indicator=indicator, unit=from_unit)
    from_unit = _checked_unit(from_unit, indicator)
    if _same_unit(from_unit, to_unit):
        return value
    try:
        factor = _factor(from_unit, to_unit)
    except Exception as exc:
        shown_from, shown_to = readable_unit(from_unit), readable_unit(to_unit)
        reason = _pint_reason(exc) if isinstance(exc, UnitMismatch) or "not defined" in \
            str(exc) else f"{shown_from} and {shown_to} measure different things"
        raise UnitMismatch(
            f"indicator {indicator}: cannot convert {shown_from!r} to {shown_to!r}, the unit "
            f"this indicator is measured in ({reason})", indicator=indicator, unit=from_unit
        ) from None
    numerator, denominator = factor
    result = snap(value * numerator / denominator)
    if not math.isfinite(result):
        raise InvalidValue(f"indicator {indicator}: {magnitude!r} {readable_unit(from_unit)} is "
                           f"too large to convert to {readable_unit(to_unit)}",
                           indicator=indicator, unit=from_unit)
    return result


def finite_float(value: Any, *, indicator: str | None = None, unit: str | None = None) -> float:
    """*value* (an int, float, Decimal, Fraction, numpy number) as a finite float.

    Raises :class:`~ntmkit.errors.InvalidValue` naming *indicator* when it is NaN, infinite,
    or too large for a float (``10**400``).
    """
    where = f"indicator {indicator}: " if indicator else ""
    try:
        result = float(value)
    except OverflowError:
        raise InvalidValue(f"{where}{_short(value)} is too large to be a measured value",
                           indicator=indicator, unit=unit) from None
    except (ValueError, TypeError, ArithmeticError):
        raise InvalidValue(f"{where}{_short(value)} is not a number; leave the value out "
                           "(or the cell empty) when it is not known",
                           indicator=indicator, unit=unit) from None
    if math.isnan(result):
        raise InvalidValue(f"{where}NaN is not a value; leave the value out (None, or an "
                           "empty cell) when it is not known", indicator=indicator, unit=unit)
    if math.isinf(result):
        raise InvalidValue(f"{where}{_short(value)} is too large to be a measured value",
                           indicator=indicator, unit=unit)
    return result


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-8:]} ({len(text)} characters)"


#: Converted values are rounded to this many significant digits, which removes the binary
#: noise of the conversion (4.2 × 12 = 50.400000000000006 → 50.4) and no real digit.
SIGNIFICANT_DIGITS = 12


def snap(value: float) -> float:
    """Round a converted value to :data:`SIGNIFICANT_DIGITS` significant digits.

    The batch path applies the same operations to whole columns, so both agree exactly.
    """
    if value == 0 or not math.isfinite(value):
        return value
    power = SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(abs(value)))
    if power > 300:  # a value below 1e-289: the scale itself would overflow
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    scale = 10.0 ** power
    return round(value * scale) / scale
