"""What an observed value is: one policy for every path that reads one.

Scalar :func:`ntmkit.assess` reads Python objects one at a time; the columnar engine behind
:func:`ntmkit.assess_frame` and the command line reads whole columns.  Both decide here what
a value is, so that the same value gets the same verdict (or the same error) on either path.

* **Missing** (verdict UNKNOWN): ``None`` and blank text; in a column also the column's own
  missing marker (NaN, ``pd.NA``, ``NaT``), which is how pandas stores an empty cell.  A
  NaN handed to :func:`ntmkit.assess` is refused: in a mapping it is a computation gone wrong
  more often than a missing value.
* **Declared not applicable**: :attr:`Verdict.NOT_APPLICABLE` or one of
  :data:`NOT_APPLICABLE_TEXTS`, and only for an indicator with ``applies_if``.
* **A number** (numeric indicators): ``int``, ``float``, ``Decimal``, ``Fraction``, numpy
  numbers, pint quantities (converted to the indicator's unit); a column of a numeric dtype
  (numpy or nullable).  Never ``bool``, text, complex numbers, dates or durations: text is
  parsed into numbers only by the file readers, which know the file's conventions.
* **A yes/no** (achieved indicators): ``True``/``False`` (numpy bools too) or a yes/no text
  (:func:`parse_achieved`); a bool or nullable-boolean column.  Never a number (``1``/``0``
  are yes/no only as text in a file).
* **A category** (one-of indicators): text.
* **A year or commune group**: an integer.  A column may hold integral floats (pandas
  stores integers with missing cells as floats); fractions, bools and text are refused.

Categorical columns are read through their categories, each category once.  Arrow-backed
columns follow the rule of their pandas counterpart.
"""

from __future__ import annotations

import decimal
import math
import numbers
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeGuard

from ntmkit.errors import InvalidContext, InvalidValue, NtmkitError
from ntmkit.model.enums import RuleKind, Verdict

if TYPE_CHECKING:
    from ntmkit.model.criteria import Indicator

__all__ = [
    "NOT_APPLICABLE_TEXTS",
    "NO_TEXTS",
    "YES_TEXTS",
    "array_column",
    "declares_not_applicable",
    "integer_column",
    "is_blank_text",
    "is_bool",
    "is_number",
    "parse_achieved",
    "parse_yes_no",
    "yes_no",
]

#: Texts that declare a conditional indicator (``Indicator.applies_if``) not applicable, in
#: observation files and data frames (compared case-insensitively).
NOT_APPLICABLE_TEXTS = frozenset({"không áp dụng", "khong ap dung", "not applicable", "n/a",
                                  Verdict.NOT_APPLICABLE.value})
#: Texts read as yes (Đạt) and no (Chưa đạt), compared case-insensitively with spaces
#: collapsed; shared by yes/no indicators and declared criterion verdicts.
YES_TEXTS = frozenset({"đạt", "dat", "yes", "true", "1", "có", "co", "x", "met"})
NO_TEXTS = frozenset({"chưa đạt", "chua dat", "không đạt", "khong dat", "no", "false", "0",
                      "không", "khong", "not met", "not_met"})


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def declares_not_applicable(value: object) -> bool:
    """Tell whether an observed value declares its indicator not applicable to the unit.

    >>> declares_not_applicable("Không áp dụng"), declares_not_applicable("Đạt")
    (True, False)
    """
    if value is Verdict.NOT_APPLICABLE:
        return True
    return isinstance(value, str) and _fold(value) in NOT_APPLICABLE_TEXTS


def is_blank_text(value: object) -> bool:
    """Tell whether *value* is text with nothing but white space (a missing value)."""
    return isinstance(value, str) and not value.strip()


def parse_yes_no(text: str) -> bool | None:
    """Read a yes/no text: ``Đạt`` → True, ``Chưa đạt`` → False, empty → None.

    Raises :class:`ValueError` for any other text.

    >>> parse_yes_no("Đạt"), parse_yes_no("chưa  đạt"), parse_yes_no(" ")
    (True, False, None)
    """
    t = _fold(text)
    if not t:
        return None
    if t in YES_TEXTS:
        return True
    if t in NO_TEXTS:
        return False
    raise ValueError(f"expected a yes/no value (Đạt / Chưa đạt, yes / no), got {text!r}")


#: The name the file readers use for :func:`parse_yes_no`.
parse_achieved = parse_yes_no


def is_bool(raw: object) -> bool:
    """Tell whether *raw* is a bool (Python's or numpy's, ``np.bool_`` / ``np.bool``)."""
    return isinstance(raw, bool) or (type(raw).__module__ == "numpy"
                                     and type(raw).__name__ in ("bool_", "bool"))


def is_number(raw: object) -> TypeGuard[float | decimal.Decimal]:
    """Tell whether *raw* is a plain number a numeric indicator takes (not bool, not text)."""
    if type(raw) is float or type(raw) is int:
        return True
    return isinstance(raw, (numbers.Real, decimal.Decimal)) and not is_bool(raw)


def yes_no(indicator: Indicator, raw: object) -> bool | None:
    """A yes/no observation: True/False, or a yes/no text (blank text is missing)."""
    if is_bool(raw):
        return bool(raw)
    if isinstance(raw, str):
        try:
            return parse_yes_no(raw)
        except ValueError as exc:
            raise InvalidValue(f"indicator {indicator.code} ({indicator.name_en}) is a yes/no "
                               f"condition: {exc}") from None
    raise InvalidValue(
        f"indicator {indicator.code} ({indicator.name_en}) is a yes/no condition: expected True "
        f"or False, got {raw!r} ({type(raw).__name__})"
    )


# --- columns ------------------------------------------------------------------------------

#: Formats a row position as the start of a message: ``"row 3, column '3.1'"``.
Where = Callable[[int], str]


def _missing_cell(np: Any, pd: Any, v: object) -> bool:
    """A column's missing marker (None, NaN, pd.NA, NaT) or blank text."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float | np.floating):
        return bool(v != v)
    return isinstance(v, str) and not v.strip()


def _kind(dtype: Any) -> str:
    """The numpy kind letter of a column dtype (nullable and Arrow dtypes included)."""
    kind = getattr(dtype, "kind", "O")
    return kind if isinstance(kind, str) else "O"


def _dtype_name(dtype: Any) -> str:
    return str(dtype)


def _show(value: Any) -> str:
    """A cell for a message: numpy scalars shown as the Python value they hold."""
    item = getattr(value, "item", None)
    return repr(item() if callable(item) and type(value).__module__ == "numpy" else value)


def _first(np: Any, mask: Any) -> int:
    return int(np.flatnonzero(mask)[0])


class Column:
    """An indicator column decoded by the policy.

    ``values``: floats (numeric, NaN where missing) or bools (yes/no); ``present``: where a
    value was given; ``declared``: where the cell declares the indicator not applicable
    (``None`` when no cell does).
    """

    __slots__ = ("declared", "present", "values")

    def __init__(self, values: Any, present: Any, declared: Any) -> None:
        self.values, self.present, self.declared = values, present, declared


def indicator_column(np: Any, pd: Any, col: Any, indicator: Indicator, unit: str | None,
                     where: Where) -> Column:
    """Decode one indicator column (a pandas Series) by the policy above.

    Numbers come back in the indicator's unit (*unit* is the unit of the column's plain
    numbers), checked to be finite and within the indicator's possible range.
    """
    n = len(col)
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _categorical(np, pd, col, indicator, unit, where)
    kind = _kind(dtype)
    achieved = indicator.rule.kind is RuleKind.ACHIEVED
    if kind in "fiu":
        values = col.to_numpy(dtype=float, na_value=np.nan)
        if achieved:
            if not np.isnan(values).all():
                bad = _first(np, ~np.isnan(values))
                raise InvalidValue(f"{where(bad)}: indicator {indicator.code} is a yes/no "
                                   f"condition: expected True or False, got "
                                   f"{_show(col.iloc[bad])} (a number)")
            return Column(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), None)
        values = _checked_numbers(np, values, indicator, unit, where)
        return Column(values, ~np.isnan(values), None)
    if kind == "b":
        if not achieved:
            mask = col.notna().to_numpy(dtype=bool)
            if mask.any():
                bad = _first(np, mask)
                raise InvalidValue(f"{where(bad)}: indicator {indicator.code} "
                                   f"({indicator.name_en}) takes a number in "
                                   f"{indicator.unit!r}, got {_show(col.iloc[bad])} (bool)")
            return Column(np.full(n, np.nan), np.zeros(n, dtype=bool), None)
        present = col.notna().to_numpy(dtype=bool)
        values = col.to_numpy(dtype=bool, na_value=False)
        return Column(values, present, None)
    if kind in "OSU" or isinstance(dtype, pd.StringDtype):
        return _objects(np, pd, col, indicator, unit, where)
    mask = col.notna().to_numpy(dtype=bool)
    if not mask.any():
        return Column(np.full(n, np.nan) if not achieved else np.zeros(n, dtype=bool),
                      np.zeros(n, dtype=bool), None)
    bad = _first(np, mask)
    what = "True or False" if achieved else f"a number in {indicator.unit!r}"
    raise InvalidValue(f"{where(bad)}: indicator {indicator.code} ({indicator.name_en}) takes "
                       f"{what}, got {_show(col.iloc[bad])} (a column of {_dtype_name(dtype)})")


def array_column(np: Any, pd: Any, arr: Any, indicator: Indicator, unit: str | None,
                 where: Where) -> Column | None:
    """Decode a column given as its numpy array, for its common forms; None for the others.

    The common forms: numbers (a float or integer array) for a numeric indicator; bools (a
    bool array, or an object array of bools with missing cells) for a yes/no indicator.
    They give what :func:`indicator_column` gives, without building a pandas Series; every
    other form takes :func:`indicator_column`.
    """
    if type(arr) is not np.ndarray:
        return None
    kind = arr.dtype.kind
    achieved = indicator.rule.kind is RuleKind.ACHIEVED
    if kind in "fiu" and not achieved:
        values = _checked_numbers(np, np.asarray(arr, dtype=float), indicator, unit, where)
        return Column(values, ~np.isnan(values), None)
    if kind == "b" and achieved:
        return Column(arr, np.ones(len(arr), dtype=bool), None)
    if kind == "O" and achieved and pd.api.types.infer_dtype(arr, skipna=True) == "boolean":
        # Bools and missing markers only: two comparisons decode it.  pd.NA cannot be
        # compared; such a column takes indicator_column.
        try:
            yes = arr == True  # noqa: E712 (element by element)
            no = arr == False  # noqa: E712
        except TypeError:
            return None
        return Column(yes, yes | no, None)
    return None


def _checked_numbers(np: Any, values: Any, indicator: Indicator, unit: str | None,
                     where: Where) -> Any:
    """Numbers of a numeric column: unit converted, finite, within the possible range."""
    if unit is not None and np.isfinite(values).any():
        from ntmkit.units import _factor, _same_unit, to_unit

        to_unit(1.0, unit, indicator.unit, indicator=indicator.code)  # raises on a bad unit
        if not _same_unit(unit, indicator.unit):
            # Same arithmetic as the scalar path: value * numerator / denominator, snapped.
            numerator, denominator = _factor(unit, indicator.unit)
            with np.errstate(over="ignore", invalid="ignore"):
                values = _snap(np, values * numerator / denominator)
    infinite = np.isinf(values)
    if infinite.any():
        raise InvalidValue(f"{where(_first(np, infinite))}: indicator {indicator.code}: "
                           "the value is not finite")
    low = -math.inf if indicator.minimum is None else indicator.minimum
    high = math.inf if indicator.maximum is None else indicator.maximum
    outside = (values < low) | (values > high)
    if outside.any():
        bad = _first(np, outside)
        bounds = (f"{low if indicator.minimum is not None else '-∞'}–"
                  f"{high if indicator.maximum is not None else '∞'}")
        raise InvalidValue(
            f"{where(bad)}: indicator {indicator.code} ({indicator.name_en}): {values[bad]:g} "
            f"{indicator.unit} is outside the possible range {bounds} {indicator.unit}")
    return values


def _snap(np: Any, values: Any) -> Any:
    """:func:`ntmkit.units.snap` over a column, with the same operations."""
    from ntmkit.units import SIGNIFICANT_DIGITS

    out = values.copy()
    ok = np.isfinite(values) & (values != 0)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        exponent = np.floor(np.log10(np.abs(values[ok])))
        scale = 10.0 ** (SIGNIFICANT_DIGITS - 1 - exponent)
        snapped = np.round(values[ok] * scale) / scale
    out[ok] = np.where(np.isfinite(snapped), snapped, values[ok])
    return out


def cell(indicator: Indicator, raw: object, unit: str | None = None) -> tuple[str, Any]:
    """One Python object of a column, as ``(state, value)``.

    *state* is ``"missing"``, ``"declared"`` (not applicable) or ``"value"``, with the value
    as :func:`ntmkit.scoring.coerce_value` gives it.

    *unit* is the column's unit, applied to plain numbers.  Missing markers of columns
    (NaN, ``pd.NA``, ``NaT``) must be filtered out by the caller.
    """
    from ntmkit.scoring import coerce_value

    if raw is None or is_blank_text(raw):
        return "missing", None
    if declares_not_applicable(raw):
        coerce_value(indicator, Verdict.NOT_APPLICABLE)  # raises unless it may be declared
        return "declared", None
    if unit is not None and is_number(raw):
        from ntmkit.units import Q

        raw = Q(float(raw), unit)
    value, _ = coerce_value(indicator, raw)
    return ("missing", None) if value is None else ("value", value)


def _decode(np: Any, pd: Any, cells: Any, indicator: Indicator, unit: str | None,
            where: Where, rows: Any | None) -> tuple[Any, Any, Any]:
    """Decode a sequence of Python objects: (values, present, declared) arrays.

    *rows* maps each position of *cells* to a row of the column for messages (``None``:
    the same position).
    """
    achieved = indicator.rule.kind is RuleKind.ACHIEVED
    n = len(cells)
    values = np.zeros(n, dtype=bool) if achieved else np.full(n, np.nan)
    present = np.zeros(n, dtype=bool)
    declared = np.zeros(n, dtype=bool)
    seen: dict[tuple[type, Any], tuple[str, Any]] = {}
    for i, raw in enumerate(cells):
        if _missing_cell(np, pd, raw):
            continue
        try:
            key = (type(raw), raw)
            found = seen.get(key)
        except TypeError:  # unhashable: decoded every time
            key, found = None, None
        if found is None:
            try:
                found = cell(indicator, raw, unit)
            except NtmkitError as exc:
                row = i if rows is None else int(rows[i])
                place = getattr(where, "fields", None)
                raise exc.relocated(f"{where(row)}: {exc}", indicator=indicator.code,
                                    **(place(row) if place is not None else {})) from None
            if key is not None:
                seen[key] = found
        state, value = found
        if state == "declared":
            declared[i] = True
        elif state == "value":
            values[i], present[i] = value, True
    return values, present, declared


def _objects(np: Any, pd: Any, col: Any, indicator: Indicator, unit: str | None,
             where: Where) -> Column:
    """A column of Python objects or text, decoded by the rules for Python objects.

    Each distinct value is decoded once when values can be told apart by hashing (text
    only, numbers only), else cell by cell.
    """
    inferred = pd.api.types.infer_dtype(col, skipna=True)
    n = len(col)
    achieved = indicator.rule.kind is RuleKind.ACHIEVED
    nothing = Column(np.zeros(n, dtype=bool) if achieved else np.full(n, np.nan),
                     np.zeros(n, dtype=bool), None)
    if inferred == "empty":
        return nothing
    if inferred in ("string", "boolean", "floating", "integer", "mixed-integer-float"):
        # Text only, bools only, or numbers only: hashing keeps distinct values apart (True
        # and 1 are never in the same column here), so each distinct value is decoded once.
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        if not len(uniques):
            return nothing
        seen = codes >= 0
        positions = np.flatnonzero(seen)
        first = np.zeros(len(uniques), dtype=np.int64)
        first[codes[positions][::-1]] = positions[::-1]  # each value's first row
        u_values, u_present, u_declared = _decode(
            np, pd, list(uniques), indicator, unit, where, first)
        safe = np.where(seen, codes, 0)
        values = u_values[safe]
        values = np.where(seen, values, np.nan) if values.dtype.kind == "f" else seen & values
        present = seen & u_present[safe]
        declared = seen & u_declared[safe]
        return Column(values, present, declared if declared.any() else None)
    values, present, declared = _decode(np, pd, col.to_numpy(dtype=object), indicator, unit,
                                        where, None)
    return Column(values, present, declared if declared.any() else None)


def _categorical(np: Any, pd: Any, col: Any, indicator: Indicator, unit: str | None,
                 where: Where) -> Column:
    codes = col.cat.codes.to_numpy()
    categories = list(col.cat.categories)
    # Decode the categories in the order the rows first use them, so that the first bad
    # row is the one reported.
    first = np.full(len(categories), len(col), dtype=np.int64)
    positions = np.flatnonzero(codes >= 0)
    first[codes[positions][::-1]] = positions[::-1]
    order = np.argsort(first, kind="stable")
    o_values, o_present, o_declared = _decode(np, pd, [categories[j] for j in order],
                                              indicator, unit, where, first[order])
    u_values, u_present, u_declared = (np.empty_like(o_values), np.empty_like(o_present),
                                       np.empty_like(o_declared))
    u_values[order], u_present[order], u_declared[order] = o_values, o_present, o_declared
    seen = codes >= 0
    safe = np.where(seen, codes, 0)
    if not len(categories):
        achieved = indicator.rule.kind is RuleKind.ACHIEVED
        n = len(col)
        return Column(np.zeros(n, dtype=bool) if achieved else np.full(n, np.nan),
                      np.zeros(n, dtype=bool), None)
    values = u_values[safe]
    if values.dtype.kind == "f":
        values = np.where(seen, values, np.nan)
    present = seen & u_present[safe]
    declared = seen & u_declared[safe]
    return Column(values, present, declared if declared.any() else None)


def integer_column(np: Any, pd: Any, col: Any, name: str, where: Where) -> Any:
    """A year or group column as int64, -1 where missing; refuses fractions, bools, text."""
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        col = col.astype(object)
        dtype = col.dtype
    kind = _kind(dtype)
    n = len(col)
    if kind in "iuf":
        values = col.to_numpy(dtype=float, na_value=np.nan)
    elif kind in "OSU" or isinstance(dtype, pd.StringDtype):
        cells = col.to_numpy(dtype=object)
        values = np.full(n, np.nan)
        for i, v in enumerate(cells):
            if _missing_cell(np, pd, v):
                continue
            if is_bool(v) or not is_number(v):
                raise InvalidContext(f"{where(i)}: expected an integer {name}, got {v!r} "
                                     f"({type(v).__name__})")
            try:
                values[i] = float(v)
            except (OverflowError, ValueError):
                raise InvalidContext(f"{where(i)}: {name} {v!r} is out of range") from None
    else:
        mask = col.notna().to_numpy(dtype=bool)
        if not mask.any():
            return np.full(n, -1, dtype=np.int64)
        bad = _first(np, mask)
        raise InvalidContext(f"{where(bad)}: expected an integer {name}, got "
                             f"{_show(col.iloc[bad])} (a column of {_dtype_name(dtype)})")
    known = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        wrong = known & ((values != np.floor(values)) | (values < 0) | (values > 9999))
    if wrong.any():
        bad = _first(np, wrong)
        raise InvalidContext(f"{where(bad)}: expected an integer {name} (0-9999), got "
                             f"{_show(col.iloc[bad])}")
    return np.where(known, values, -1).astype(np.int64)
