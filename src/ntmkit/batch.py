"""Batch scoring: many communes at once, as columns.

:func:`assess_frame` takes a pandas DataFrame (or a pyarrow Table) with one row per commune
and one column per indicator code, and returns a DataFrame of verdicts.  The set is compiled
once per distinct threshold context (region column × year), and every comparison runs on
whole numpy columns; there is no Python loop over rows.  Its verdicts agree with
:func:`ntmkit.assess` row by row.

numpy and pandas are imported on first use.  The command line scores files through the
same engine; both follow one value policy (:mod:`ntmkit._values`) with :func:`ntmkit.assess`.
"""

from __future__ import annotations

import datetime as dt
import functools
import numbers
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ntmkit import _values
from ntmkit.errors import (
    InvalidContext,
    InvalidValue,
    StaleCriteriaError,
    StaleCriteriaWarning,
    UnknownIndicator,
    UnknownProvince,
)
from ntmkit.model.criteria import Context, CriteriaSet, Indicator
from ntmkit.model.enums import CommuneClass, Region, RuleKind, Verdict
from ntmkit.scoring import (
    Strict,
    ThresholdPolicy,
    check_declared_keys,
    declared_key,
    declared_verdict,
    observable_indicators,
    split_sex_column,
)

if TYPE_CHECKING:
    import pandas as pd

    from ntmkit.registry import CriteriaRegistry

__all__ = ["VERDICT_CODES", "assess_frame", "summarise"]

#: Verdicts as small integers, in the order the combination rule uses.
VERDICT_CODES = {Verdict.NOT_MET: 0, Verdict.UNKNOWN: 1, Verdict.NOT_APPLICABLE: 2,
                 Verdict.MET: 3}
_NAMES = {code: v.value for v, code in VERDICT_CODES.items()}
_IDENTITY = ("code", "name", "region", "province", "district", "edition", "classes", "year",
             "group", "synthetic")


def _combine(np: Any, parts: list[Any], n: int, complete: bool) -> Any:
    """Vectorised :func:`ntmkit.model.results.combine` over verdict-code arrays.

    Verdict codes are ordered NOT_MET < UNKNOWN < NOT_APPLICABLE < MET, so the whole is
    the lowest code of its parts while that is NOT_MET or UNKNOWN; when it is higher, every
    part is NOT_APPLICABLE or MET and the highest code decides (NOT_APPLICABLE only when all
    parts are).  An incomplete whole is NOT_MET or UNKNOWN; one without parts is UNKNOWN.
    """
    if not parts:
        return np.full(n, VERDICT_CODES[Verdict.UNKNOWN], dtype=np.int8)
    stacked = parts[0][None] if len(parts) == 1 else np.stack(parts)
    return _reduce(np, stacked, complete)


def _reduce(np: Any, parts: Any, complete: bool) -> Any:
    """:func:`_combine` over the rows of a 2-D array of verdict codes (at least one row)."""
    low = parts.min(axis=0)
    if not complete:
        return np.minimum(low, np.int8(1)).astype(np.int8, copy=False)
    if len(parts) == 1:
        return low.astype(np.int8, copy=False)
    return np.where(low >= 2, parts.max(axis=0), low).astype(np.int8, copy=False)


_REGIONS = tuple(Region)
_REGION_VALUES = [r.value for r in _REGIONS]


def _row(index: Any, position: int) -> str:
    """The label of the row at *position*, as a message shows it (numpy scalars unwrapped)."""
    label = index[position]
    item = getattr(label, "item", None)
    return repr(item() if callable(item) and type(label).__module__ == "numpy" else label)


def _where(index: Any, column: str | None = None) -> Any:
    """Message prefixes for a row position: ``row 3, column '3.1'``.

    ``at.fields(position)`` gives the same place as error fields: the row when its label is
    an integer (a CSV line, a frame's position), and the column.
    """
    def at(position: int) -> str:
        where = f"row {_row(index, position)}"
        return where if column is None else f"{where}, column {column!r}"

    def fields(position: int) -> dict[str, Any]:
        label = index[position]
        item = getattr(label, "item", None)
        label = item() if callable(item) and type(label).__module__ == "numpy" else label
        found: dict[str, Any] = {"column": column}
        if isinstance(label, int) and not isinstance(label, bool):
            found["row"] = label
        return found

    at.fields = fields  # type: ignore[attr-defined]
    return at


def _regions(np: Any, pd: Any, frame: Any, region: Region | str | None) -> Any:
    """Each row's region as a code into :data:`_REGIONS` (one decode per distinct value)."""
    n = len(frame)
    if region is not None:
        try:
            fixed = Region(region)
        except ValueError:
            raise InvalidValue(f"region={region!r} is not a region; use one of "
                               f"{', '.join(_REGION_VALUES)}") from None
        return np.full(n, _REGIONS.index(fixed), dtype=np.int64)
    out = np.full(n, -1, dtype=np.int64)
    if "region" in frame.columns:
        codes, uniques = pd.factorize(frame["region"], use_na_sentinel=True)
        decoded = np.full(len(uniques) + 1, -1, dtype=np.int64)  # the last slot: missing
        for j, value in enumerate(uniques):
            if _values_missing(pd, value):
                continue
            try:
                decoded[j] = _REGION_VALUES.index(Region(str(value)).value)
            except ValueError:
                row = int(np.flatnonzero(codes == j)[0])
                raise InvalidValue(f"row {_row(frame.index, row)}, column 'region': unknown "
                                   f"region {value!r}") from None
        out = decoded[codes]  # code -1 (missing) picks the last slot
    if "province" in frame.columns:
        missing = out < 0
        if missing.any():
            from ntmkit import places

            editions = (frame["edition"].astype(object).where(frame["edition"].notna(), "")
                        if "edition" in frame.columns else pd.Series([""] * n, index=frame.index))
            provinces = frame["province"].astype(object).where(frame["province"].notna(), "")
            pairs = pd.MultiIndex.from_arrays([provinces.astype(str), editions.astype(str)])
            codes, uniques = pd.factorize(pairs)
            for j, (province, edition) in enumerate(uniques):
                rows = missing & (codes == j)
                if not province or not rows.any():
                    continue
                try:
                    found = places.region_of(province, edition or "pre-2025-07")
                except UnknownProvince as exc:
                    row = int(np.flatnonzero(rows)[0])
                    raise InvalidContext(f"row {_row(frame.index, row)}, column 'province': "
                                         f"{exc}") from None
                if found is not None:
                    out[rows] = _REGIONS.index(found)
    if (out < 0).any():
        row = int(np.flatnonzero(out < 0)[0])
        raise InvalidContext(f"row {_row(frame.index, row)}: no region (give a 'region' column, a "
                             "'province' whose region is known, or region=)")
    return out


def _values_missing(pd: Any, value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _class_set(cells: Any) -> frozenset[CommuneClass]:
    return frozenset(CommuneClass(c.strip()) for c in str(cells).replace(",", ";").split(";")
                     if c.strip())


def _classes(
    np: Any, pd: Any, frame: Any, classes: Any
) -> tuple[Any, list[frozenset[CommuneClass]]]:
    """Per-row codes into a list of distinct class sets (each distinct cell parsed once)."""
    n = len(frame)
    if classes is not None:
        try:
            fixed = frozenset(CommuneClass(c) for c in
                              ([classes] if isinstance(classes, str) else classes))
        except (ValueError, TypeError):
            raise InvalidValue(f"classes={classes!r}: use commune classes such as "
                               f"{', '.join(c.value for c in list(CommuneClass)[:3])}") from None
        return np.zeros(n, dtype=np.int64), [fixed]
    if "classes" not in frame.columns:
        return np.zeros(n, dtype=np.int64), [frozenset()]
    codes, uniques = pd.factorize(frame["classes"], use_na_sentinel=True)
    sets = []
    for j, cell in enumerate(uniques):
        try:
            sets.append(frozenset() if _values_missing(pd, cell) else _class_set(cell))
        except ValueError as exc:
            row = int(np.flatnonzero(codes == j)[0])
            raise InvalidValue(f"row {_row(frame.index, row)}, column 'classes': {exc}") from None
    codes = codes.astype(np.int64)
    missing = codes < 0
    if missing.any() or not sets:  # an empty cell: no class
        sets.append(frozenset())
        codes[missing] = len(sets) - 1
    return codes, sets


def _has_column(columns: Any, ind: Indicator) -> bool:
    return ind.code in columns or (ind.by_sex and f"{ind.code}:men" in columns)


def _observed(np: Any, pd: Any, frame: Any, ind: Indicator,
              unit: str | None) -> _values.Column:
    """The indicator's column decoded by the value policy.

    For men's and women's columns: the lower of the two, missing when either is missing.
    """
    if ind.by_sex and ind.code not in frame.columns:
        halves = [_read(np, pd, frame, name, ind, unit)
                  for name in (f"{ind.code}:men", f"{ind.code}:women")]
        for name, half in zip(("men", "women"), halves, strict=True):
            if half.declared is not None:
                row = int(np.flatnonzero(half.declared)[0])
                raise InvalidValue(f"row {_row(frame.index, row)}, column '{ind.code}:{name}': "
                                   "one half of a value by sex cannot be declared not "
                                   "applicable")
        men, women = halves
        values = np.minimum(men.values, women.values)  # NaN (missing) in either gives NaN
        return _values.Column(values, men.present & women.present, None)
    return _read(np, pd, frame, ind.code, ind, unit)


def _read(np: Any, pd: Any, frame: Any, name: str, ind: Indicator,
          unit: str | None) -> _values.Column:
    """Column *name* decoded by the value policy; its common forms read from the bare array."""
    where = _where(frame.index, name)
    try:
        # The column as stored, without building a Series (pandas >= 1.4).
        arr = frame._get_column_array(frame.columns.get_loc(name))
    except (AttributeError, TypeError):
        arr = None
    found = None if arr is None else _values.array_column(np, pd, arr, ind, unit, where)
    if found is not None:
        return found
    return _values.indicator_column(np, pd, frame[name], ind, unit, where)


def _check_columns(frame: Any, cs: CriteriaSet, known: Mapping[str, Indicator],
                   units: Mapping[str, str]) -> None:
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise InvalidValue(f"column {duplicated[0]!r} appears more than once; give each "
                           "indicator one column")
    columns = set(frame.columns)
    for column in frame.columns:
        if isinstance(column, str) and column.startswith("criterion:"):
            continue
        code, part = split_sex_column(column)
        if code not in known and column not in _IDENTITY:
            import difflib

            close = difflib.get_close_matches(str(column), sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownIndicator(f"column {column!r}: {cs.key} has no indicator "
                                   f"{code!r}{hint}")
        if part is not None:
            if not known[code].by_sex:
                raise InvalidValue(f"column {column!r}: indicator {code} is not observed by "
                                   f"sex; give one column {code!r}")
            other = f"{code}:{'women' if part == 'men' else 'men'}"
            if other not in columns:
                raise InvalidValue(f"column {column!r} needs its pair {other!r}")
            if code in columns:
                raise InvalidValue(f"columns {code!r} and {column!r}: give either one value "
                                   "or the men's and women's values, not both")
    for code in units:
        if code not in columns and f"{code}:men" not in columns:
            raise UnknownIndicator(f"units names {code!r}, which is not a column of the frame")


def assess_frame(
    frame: Any,
    criteria_set: CriteriaSet | str,
    *,
    year: int | None = None,
    region: Region | str | None = None,
    classes: Any = None,
    units: Mapping[str, str] | None = None,
    registry: CriteriaRegistry | None = None,
    gaps: bool = True,
    on: dt.date | None = None,
    strict: Strict = "warn",
    thresholds: ThresholdPolicy = "published",
) -> pd.DataFrame:
    """Assess every row of *frame* against *criteria_set*; return a frame of verdicts.

    *frame* has one row per commune and one column per indicator code (numbers in the
    indicator's unit, or in the unit declared in *units*; True/False or yes/no text for
    yes/no indicators; NaN/None for missing data, verdict UNKNOWN), plus ``region`` (or
    ``province`` and ``edition``), ``year`` and ``classes`` columns unless *region*,
    *year* or *classes* fix them for the whole frame.  Columns other than indicator codes
    and those identity columns are an error (a misspelt code must not pass silently).
    What counts as a value is the same as for :func:`ntmkit.assess` (see the batch
    guide): a bool is not a number, text is not a number, a number is not a yes/no.

    *on* and *strict* work as in :func:`ntmkit.assess`: rows whose assessment date (*on*,
    or 31 December of the row's year) is after the set was last checked warn, raise, or
    get UNKNOWN verdicts.  *frame* may be a pyarrow Table, or a Dask DataFrame (scored
    partition by partition; the result is a Dask DataFrame with a declared schema).

    The result has the input's index and the columns ``verdict``, ``met``, ``total``,
    ``tier``, ``region_column``, ``v:<indicator>``, ``c:<criterion>`` and, with *gaps*,
    ``gap:<indicator>`` for every numeric indicator that has a column (how far an unmet
    value is from its threshold).

    Columns ``criterion:<code>`` (or ``Tiêu chí <code>``) declare a criterion's verdict
    (Đạt / Chưa đạt, True / False; empty declares nothing), as in :func:`ntmkit.assess`;
    the result then has ``basis:<code>`` (``computed``, ``declared`` or ``conflict``).  With
    ``thresholds="provisional"`` candidate values of uncertain thresholds are used and the
    result has ``provisional`` and ``p:<criterion>`` (True where the verdict rests on one).
    *criteria_set* may be a set id: each row then uses the version in force on 31 December
    of its year, and its province's own set where one is installed (column ``set``).

    >>> import pandas as pd, ntmkit
    >>> cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    >>> frame = pd.DataFrame({"region": ["red_river_delta", "southeast"], "3.1": [85.0, 70.0],
    ...                       "3.2": [True, True]})
    >>> out = assess_frame(frame, cs, year=2023)
    >>> list(out["c:3"])
    ['met', 'not_met']
    """
    import numpy as np
    import pandas as pd

    if strict not in ("warn", "raise", "unknown"):
        raise ValueError(f"strict must be 'warn', 'raise' or 'unknown', not {strict!r}")
    if year is not None and (isinstance(year, bool) or not isinstance(year, numbers.Integral)
                             or not 1 <= int(year) <= 9999):
        shown = repr(year) if len(repr(year)) <= 12 else "a number of more than ten digits"
        raise InvalidContext(f"year {shown} is not a calendar year (1–9999)")
    if on is not None and not isinstance(on, dt.date):
        raise InvalidContext(f"on= must be a datetime.date, not {type(on).__name__}")
    if isinstance(on, dt.datetime):
        on = on.date()
    if thresholds not in ("published", "provisional"):
        raise ValueError(f"thresholds must be 'published' or 'provisional', not {thresholds!r}")
    options = {"year": year, "region": region, "classes": classes, "units": units,
               "registry": registry, "gaps": gaps, "on": on, "strict": strict,
               "thresholds": thresholds}
    if type(frame).__module__.split(".")[0] == "dask":
        if isinstance(criteria_set, str):
            raise InvalidValue("a Dask DataFrame is scored against one CriteriaSet (its output "
                               "schema is declared in advance): pass the set, not a set id")
        return _assess_dask(frame, criteria_set, options)
    if not isinstance(frame, pd.DataFrame):
        if hasattr(frame, "to_pandas"):  # pyarrow Table, polars DataFrame
            frame = frame.to_pandas()
        else:
            raise InvalidValue(f"assess_frame takes a pandas DataFrame or a pyarrow Table, "
                               f"not {type(frame).__name__}")
    if registry is None:
        from ntmkit import registry as _registry

        registry = _registry.default()
    if isinstance(criteria_set, str):
        return _assess_by_row_set(np, pd, frame, criteria_set, {**options,
                                                                "registry": registry})
    units = dict(units or {})
    renamed = _checked_columns(frame, criteria_set, units, registry)
    if renamed:
        frame = frame.rename(columns=renamed)
    return _assess_frame(np, pd, frame, criteria_set, _Options(
        year, region, classes, units, registry, gaps, on, strict, thresholds))


def _checked_columns(frame: Any, cs: CriteriaSet, units: Mapping[str, str],
                     registry: CriteriaRegistry) -> dict[Any, str]:
    """Check the frame's columns against *cs*; return the renaming of declared columns.

    The answer for a list of column names is kept with the set: a frame of the same
    columns (the next chunk of a file, the next partition) is not checked again.
    """
    cache: dict[Any, Any] = cs._plans
    seen: dict[Any, dict[Any, str]] = cache.setdefault(("frame-columns", id(registry)), {})
    try:
        key: Any = (tuple(frame.columns), tuple(units))
        found = seen.get(key)
    except TypeError:  # a column name that cannot be hashed
        key, found = None, None
    if found is not None:
        return found
    known = observable_indicators(cs, registry)
    renamed: dict[Any, str] = {}
    for c in frame.columns:
        declared = declared_key(str(c)) if c not in _IDENTITY else None
        if declared is not None:
            renamed[c] = declared
    if renamed:
        check_declared_keys(list(renamed.values()), cs, registry)
    _check_columns(frame.rename(columns=renamed) if renamed else frame, cs, known, units)
    if key is not None:
        if len(seen) >= _MAX_COMPILED:
            seen.clear()
        seen[key] = renamed
    return renamed


def _assess_by_row_set(np: Any, pd: Any, frame: Any, set_id: str,
                       options: dict[str, Any]) -> Any:
    """Each row against the set in force for its year and province (one run per set)."""
    year, registry = options["year"], options["registry"]
    n = len(frame)
    if year is not None:
        years = np.full(n, year, dtype=object)
    elif "year" in frame.columns:
        years = frame["year"].to_numpy(dtype=object)
    else:
        raise InvalidContext(f"to choose the version of {set_id} in force, give year= or a "
                             "'year' column")
    provinces = (frame["province"].astype(object).where(frame["province"].notna(), "")
                 .to_numpy(dtype=object) if "province" in frame.columns
                 else np.full(n, "", dtype=object))
    chosen: dict[tuple[object, object], CriteriaSet] = {}
    keys = []
    for row, (y, province) in enumerate(zip(years, provinces, strict=True)):
        if (y, province) not in chosen:
            if isinstance(y, bool) or not isinstance(y, (int, np.integer)) or not 1 <= y <= 9999:
                raise InvalidContext(f"row {_row(frame.index, row)}, column 'year': {y!r} is "
                                     "not a year; each row needs one to choose its set")
            chosen[(y, province)] = registry.resolve(
                set_id, on=dt.date(int(y), 12, 31), province=str(province) or None).set
        keys.append(chosen[(y, province)].key)
    if not keys:
        raise InvalidContext(f"the frame has no rows to choose a version of {set_id} for; "
                             "pass a CriteriaSet")
    parts = []
    key_array = np.array(keys, dtype=object)
    for key in dict.fromkeys(keys):
        rows = key_array == key
        part = assess_frame(frame[rows], registry.get(key), **options)
        part.insert(0, "set", key)
        parts.append(part)
    out = pd.concat(parts).reindex(frame.index) if len(parts) > 1 else parts[0]
    for column in out.columns:  # verdict columns keep their categories across parts
        if column.startswith(("v:", "c:", "requires:")) or column == "verdict":
            out[column] = out[column].astype(pd.CategoricalDtype(
                [_NAMES[i] for i in range(4)]))
    return out


def _assess_dask(frame: Any, cs: CriteriaSet | str, options: dict[str, Any]) -> Any:
    """Score a Dask DataFrame partition by partition, with the output schema declared."""
    import numpy as np
    import pandas as pd

    meta = assess_frame(frame._meta, cs, **options)
    del np, pd
    return frame.map_partitions(assess_frame, cs, meta=meta, **options)


@attrs.frozen
class _Options:
    year: int | None
    region: Region | str | None
    classes: Any
    units: dict[str, str]
    registry: CriteriaRegistry
    gaps: bool
    on: dt.date | None
    strict: Strict
    policy: ThresholdPolicy = "published"
    #: When given, each prerequisite set's own result frame is stored here by set key.
    prerequisites: dict[str, Any] | None = None


def _years(np: Any, pd: Any, frame: Any, cs: CriteriaSet, year: int | None) -> Any:
    n = len(frame)
    needs_year = cs.year_dependent
    if year is not None:
        years = np.full(n, year, dtype=np.int64)
    elif "year" in frame.columns:
        years = _values.integer_column(np, pd, frame["year"], "year",
                                       _where(frame.index, "year"))
        if needs_year and (years < 0).any():
            bad = int(np.flatnonzero(years < 0)[0])
            raise InvalidContext(f"row {_row(frame.index, bad)}: no year, and {cs.key} has "
                                 "year-dependent thresholds")
    elif needs_year:
        raise InvalidContext(f"{cs.key} has year-dependent thresholds: pass year= or a "
                             "'year' column")
    else:
        years = np.full(n, -1, dtype=np.int64)
    if needs_year and cs.years is not None:
        outside = (years < cs.years[0]) | (years > cs.years[1])
        if outside.any():
            bad = int(np.flatnonzero(outside)[0])
            raise InvalidContext(f"row {_row(frame.index, bad)}: year {years[bad]} is outside "
                                 f"the years {cs.years[0]}-{cs.years[1]} that {cs.key} gives "
                                 "thresholds for")
    return years


def _groups(np: Any, pd: Any, frame: Any, cs: CriteriaSet) -> Any:
    n = len(frame)
    if "group" in frame.columns:
        groups = _values.integer_column(np, pd, frame["group"], "group",
                                        _where(frame.index, "group"))
    else:
        groups = np.full(n, -1, dtype=np.int64)
    if cs.groups:
        bad = (groups < 0) if cs.has_group_values else np.zeros(n, dtype=bool)
        bad |= (groups >= 0) & ~np.isin(groups, np.array(cs.groups))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InvalidContext(
                f"row {_row(frame.index, row)}, column 'group': {cs.key} has values per commune "
                f"group; give one of {', '.join(map(str, cs.groups))}")
    return groups


class _Rows:
    """Each row's threshold context, as a code into a list of distinct contexts.

    A context is built from factors (region column, year, class set, commune group), each
    a per-row integer code with its decoded values; more factors (a set per row, say) are
    one more entry in the list.
    """

    def __init__(self, np: Any, pd: Any, factors: list[tuple[Any, list[Any]]], n: int) -> None:
        key = np.zeros(n, dtype=np.int64)
        for codes, values in factors:
            key = key * max(len(values), 1) + codes
        self.codes, unique_keys = pd.factorize(key, sort=False)
        self.codes = self.codes.astype(np.intp)
        self.values: list[tuple[Any, ...]] = []
        for k in unique_keys.tolist() if hasattr(unique_keys, "tolist") else unique_keys:
            k = int(k)
            parts = []
            for _, values in reversed(factors):
                size = max(len(values), 1)
                parts.append(values[k % size])
                k //= size
            self.values.append(tuple(reversed(parts)))


def _stale(cs: CriteriaSet, on: dt.date | None, year: int | None) -> dt.date | None:
    """The assessment date when it is after the set was last checked, else None."""
    when = on if on is not None else (dt.date(year, 12, 31) if year is not None and year > 0
                                      else None)
    return when if when is not None and when > cs.checked_on else None


def _assess_frame(np: Any, pd: Any, frame: Any, cs: CriteriaSet, opt: _Options) -> Any:
    n = len(frame)
    base_regions = _regions(np, pd, frame, opt.region)
    class_codes, class_sets = _classes(np, pd, frame, opt.classes)
    years = _years(np, pd, frame, cs, opt.year)
    groups = _groups(np, pd, frame, cs)
    # The threshold column after substitution: decided once per distinct class set.
    region_codes = base_regions
    if cs.region_substitutions:
        substituted = np.full(len(class_sets), -1, dtype=np.int64)
        for j, class_set in enumerate(class_sets):
            for sub in cs.region_substitutions:
                if sub.classes & class_set:
                    substituted[j] = _REGIONS.index(sub.region)
                    break
        if (substituted >= 0).any():
            per_row = substituted[class_codes]
            region_codes = np.where(per_row >= 0, per_row, base_regions)
    year_codes, year_values = _small_factorize(np, pd, years)
    group_codes, group_values = _small_factorize(np, pd, groups)
    rows = _Rows(np, pd, [
        (region_codes, list(_REGIONS)),
        (year_codes, year_values),
        (class_codes, class_sets),
        (group_codes, group_values),
    ], n)
    contexts = tuple(Context(r, None if y < 0 else y, c, None if g < 0 else g)
                     for r, y, c, g in rows.values)
    # Assessment dates after the set was last checked (per distinct year).
    stale_dates = [_stale(cs, opt.on, None if y < 0 else y) for y in year_values]
    stale = None
    if any(d is not None for d in stale_dates):
        stale = np.array([d is not None for d in stale_dates], dtype=bool)[year_codes]
        dates = sorted({d for d in stale_dates if d is not None})
        message = (f"{cs.key} was last checked against the law on {cs.checked_on}; "
                   f"the assessment date {{}} is later")
        if opt.strict == "raise":
            raise StaleCriteriaError(message.format(dates[0]))
        if opt.strict == "warn":
            for date in dates:
                warnings.warn(message.format(date), StaleCriteriaWarning, stacklevel=3)
            stale = None

    layout = _layout(np, cs)
    plan = _compile(np, cs, contexts, opt.policy, opt.registry)
    provisional = opt.policy == "provisional"
    m = len(layout.indicators)
    columns = set(frame.columns)
    # Every indicator's verdict codes, one row per indicator in evaluation order.
    verdicts = np.empty((m, n), dtype=np.int8)
    observed = [i for i, ind in enumerate(layout.indicators) if _has_column(columns, ind)]
    absent = np.setdiff1d(np.arange(m), observed) if observed else np.arange(m)
    if len(absent):
        if plan.uniform[absent].all():
            verdicts[absent] = plan.absent[absent, :1]
        else:
            verdicts[absent] = plan.absent[absent][:, rows.codes]
    gaps: dict[int, Any] = {}
    flags = np.zeros((m, n), dtype=bool) if provisional else None
    for i in observed:
        ind = layout.indicators[i]
        gap, prov = _indicator(np, pd, frame, ind, plan, i, rows.codes, opt.units, n, stale,
                               verdicts[i], opt.gaps)
        if opt.gaps and gap is not None:
            gaps[i] = gap
        if flags is not None and prov is not None:
            flags[i] = prov
    criterion_codes = _criteria(np, layout, verdicts, n)
    criterion_prov: list[Any] = []
    no_provisional = np.zeros(n, dtype=bool)
    basis_columns: dict[str, Any] = {}
    for j, criterion in enumerate(layout.criteria):
        start, stop = layout.spans[j]
        prov_c = no_provisional
        if flags is not None:
            prov_c = _provisional(np, criterion_codes[j], list(verdicts[start:stop]),
                                  list(flags[start:stop]), n)
        declared_column = f"criterion:{criterion.code}"
        if declared_column in columns:
            criterion_codes[j], prov_c, basis_columns[f"basis:{criterion.code}"] = \
                _with_declared(np, pd, frame, declared_column, criterion_codes[j], prov_c)
        criterion_prov.append(prov_c)
    total = cs.criteria_count if cs.criteria_count is not None else len(cs.criteria)
    complete = cs.complete and len(cs.criteria) == total
    set_parts = list(criterion_codes)
    set_provs = criterion_prov
    result_columns: dict[str, Any] = {}
    for pre_key in cs.requires:
        pre = opt.registry.get(pre_key)
        wanted = observable_indicators(pre, opt.registry)
        prefix = f"criterion:{pre.id}:"
        sub = frame[[c for c in frame.columns
                     if split_sex_column(c)[0] in wanted or c in _IDENTITY
                     or str(c).startswith(prefix)]]
        sub = sub.rename(columns={c: "criterion:" + str(c)[len(prefix):]
                                  for c in sub.columns if str(c).startswith(prefix)})
        pre_out = _assess_frame(np, pd, sub, pre, attrs.evolve(
            opt, units={k: v for k, v in opt.units.items() if k in wanted}, gaps=False))
        if opt.prerequisites is not None:
            opt.prerequisites[pre.key] = pre_out
        pre_codes = pre_out["verdict"].cat.codes.to_numpy(np.int8)
        set_parts.append(pre_codes)
        set_provs.append(pre_out["provisional"].to_numpy(dtype=bool) if provisional
                         else no_provisional)
        result_columns[f"requires:{pre.key}"] = pre_out["verdict"].to_numpy()
    verdict = _combine(np, set_parts, n, complete)
    met = (np.stack(criterion_codes) == VERDICT_CODES[Verdict.MET]).sum(axis=0, dtype=np.int64) \
        if criterion_codes else np.zeros(n, np.int64)
    verdict_dtype = _verdict_dtype(pd)

    def names(codes: Any) -> Any:
        return _categorical(pd, codes, verdict_dtype)

    tier = np.full(n, None, dtype=object)
    if cs.tier is not None:
        tier[verdict == VERDICT_CODES[Verdict.MET]] = cs.tier.value
    data: dict[str, Any] = {
        "verdict": names(verdict),
        "met": met,
        "total": np.full(n, total, dtype=np.int64),
        "tier": tier,
        "region_column": _categorical(pd, region_codes, _region_dtype(pd)),
    }
    if provisional:
        data["provisional"] = _provisional(np, verdict, set_parts, set_provs, n)
    data.update(result_columns)
    for j, criterion in enumerate(layout.criteria):
        data[f"c:{criterion.code}"] = names(criterion_codes[j])
    if provisional:
        for j, criterion in enumerate(layout.criteria):
            data[f"p:{criterion.code}"] = criterion_prov[j]
    for name, arr in basis_columns.items():
        data[name] = pd.Categorical(arr, categories=["computed", "declared", "conflict"])
    for i, ind in enumerate(layout.indicators):
        data[f"v:{ind.code}"] = names(verdicts[i])
        if i in gaps:
            data[f"gap:{ind.code}"] = gaps[i]
    return _frame(np, pd, data, frame.index)


def _frame(np: Any, pd: Any, data: dict[str, Any], index: Any) -> Any:
    """A DataFrame of ready columns (numpy arrays and categoricals of the index's length).

    The columns are built here, each already in its final form, so pandas' checks of
    arbitrary input are skipped where the installed pandas offers that.
    """
    # Object columns (text) take the dtype pandas infers for them, as in pd.DataFrame(data).
    arrays = [pd.Series(a, copy=False).array
              if isinstance(a, np.ndarray) and a.dtype.kind == "O" else a
              for a in data.values()]
    try:
        return pd.DataFrame._from_arrays(arrays, columns=list(data), index=index,
                                         verify_integrity=False)
    except (AttributeError, TypeError):  # a pandas without _from_arrays
        return pd.DataFrame(data, index=index, copy=False)


def _small_factorize(np: Any, pd: Any, values: Any) -> tuple[Any, list[int]]:
    """Codes of an int64 column into its distinct values, without a sort.

    The common case (one value for the whole frame: a single year, no group) needs no
    hashing at all.
    """
    first = values[0] if len(values) else -1
    if not len(values) or (values == first).all():
        return np.zeros(len(values), dtype=np.intp), [int(first)]
    codes, uniques = pd.factorize(values, sort=False)
    return codes, [int(u) for u in uniques]


def _criteria(np: Any, layout: _Layout, verdicts: Any, n: int) -> list[Any]:
    """Each criterion's verdict codes from its indicators' (the rule of :func:`_combine`)."""
    out: list[Any] = []
    for criterion, (start, stop) in zip(layout.criteria, layout.spans, strict=True):
        if stop == start:
            out.append(np.full(n, VERDICT_CODES[Verdict.UNKNOWN], dtype=np.int8))
        else:
            out.append(_reduce(np, verdicts[start:stop], criterion.indicators_complete))
    return out


def _provisional(np: Any, whole: Any, parts: list[Any], provs: list[Any], n: int) -> Any:
    """Vectorised :func:`ntmkit.scoring.depends_on_provisional` over verdict-code arrays."""
    if not parts:
        return np.zeros(n, dtype=bool)
    v, p = np.vstack(parts), np.vstack(provs)
    met, not_met = VERDICT_CODES[Verdict.MET], VERDICT_CODES[Verdict.NOT_MET]
    firm_failure = ((v == not_met) & ~p).any(axis=0)
    return ((whole == met) & p.any(axis=0)) | ((whole == not_met) & ~firm_failure)


def _with_declared(np: Any, pd: Any, frame: Any, column: str, computed: Any,
                   provisional: Any) -> tuple[Any, Any, Any]:
    """A criterion's verdicts with the declared ones: (verdicts, provisional, basis)."""
    col = frame[column]
    codes, uniques = pd.factorize(col.astype(object).where(col.notna(), None),
                                  use_na_sentinel=True)
    decoded = np.full(len(uniques) + 1, -1, dtype=np.int8)  # -1: nothing declared
    for j, value in enumerate(uniques):
        try:
            found = declared_verdict(column, value)
        except InvalidValue as exc:
            row = int(np.flatnonzero(codes == j)[0])
            raise InvalidValue(f"row {_row(frame.index, row)}, column {column!r}: {exc}") from None
        if found is not None:
            decoded[j] = VERDICT_CODES[found]
    stated = decoded[codes]
    has = stated >= 0
    met, not_met = VERDICT_CODES[Verdict.MET], VERDICT_CODES[Verdict.NOT_MET]
    decided = (computed == met) | (computed == not_met)
    conflict = has & decided & (computed != stated)
    verdict = np.where(has, stated, computed).astype(np.int8)
    verdict[conflict] = VERDICT_CODES[Verdict.UNKNOWN]
    basis = np.where(conflict, "conflict", np.where(has, "declared", "computed"))
    return verdict, provisional & ~has, basis


@functools.cache
def _verdict_dtype(pd: Any) -> Any:
    return pd.CategoricalDtype([_NAMES[i] for i in range(4)])


@functools.cache
def _region_dtype(pd: Any) -> Any:
    return pd.CategoricalDtype(_REGION_VALUES)


def _categorical(pd: Any, codes: Any, dtype: Any) -> Any:
    # The codes are built here and always in range: pandas >= 2.1 can skip re-checking them.
    try:
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    except TypeError:  # pandas < 2.1
        return pd.Categorical.from_codes(codes, dtype=dtype)


class _Layout:
    """A set's indicators and criteria in evaluation order (pillar, criterion, indicator).

    Built once per set.  The indicators of a criterion are consecutive: ``spans`` holds,
    per criterion, its first row and the row after its last in the array of all indicator
    verdicts.
    """

    __slots__ = ("criteria", "indicators", "spans")

    def __init__(self, np: Any, cs: CriteriaSet) -> None:
        self.criteria = [c for p in cs.pillars for c in p.criteria]
        self.indicators = [i for c in self.criteria for i in c.indicators]
        self.spans: list[tuple[int, int]] = []
        start = 0
        for criterion in self.criteria:
            self.spans.append((start, start + len(criterion.indicators)))
            start += len(criterion.indicators)


def _layout(np: Any, cs: CriteriaSet) -> _Layout:
    cache: dict[Any, Any] = cs._plans
    found = cache.get("frame-layout")
    if found is None:
        found = cache["frame-layout"] = _Layout(np, cs)
    return found


class _Compiled:
    """The set compiled for the distinct threshold contexts of a frame, as arrays.

    One row per indicator (in :class:`_Layout` order), one column per context:
    ``fixed``: the verdict code when it does not depend on the value (-1 when it does);
    ``value``/``upper``: the threshold (NaN where none); ``candidate``: where it is a
    candidate value (``None`` when none is); ``absent``: the verdict of an indicator
    without a column; ``uniform``: whether the row is the same in every context, so that
    nothing needs spreading to rows.
    """

    __slots__ = ("absent", "candidate", "fixed", "uniform", "upper", "value")

    def __init__(self, np: Any, fixed: Any, value: Any, upper: Any, candidate: Any) -> None:
        self.fixed, self.value, self.upper = fixed, value, upper
        self.candidate = candidate if candidate.any() else None
        self.absent = np.where(fixed == 2, np.int8(2), np.int8(1)).astype(np.int8)

        def same(a: Any) -> Any:
            first = a[:, :1]
            return ((a == first) | ((a != a) & (first != first))).all(axis=1)

        self.uniform = (same(fixed) & same(value) & same(upper)
                        & (candidate == candidate[:, :1]).all(axis=1) & (fixed.shape[1] > 0))


_FIXED = {Verdict.UNKNOWN: 1, Verdict.NOT_APPLICABLE: 2}
#: How many compiled plans (distinct lists of contexts) and checked column lists a set keeps
#: per policy; the next one past it starts the cache afresh.
_MAX_COMPILED = 64


def _compile(np: Any, cs: CriteriaSet, contexts: tuple[Context, ...],
             policy: ThresholdPolicy = "published",
             registry: CriteriaRegistry | None = None) -> _Compiled:
    """The set compiled for these contexts, kept with the set for the next call.

    Each context is compiled once (the scalar path's plan, kept with the set), so both
    paths resolve thresholds, candidates and ambiguities the same way.
    """
    cache: dict[Any, Any] = cs._plans
    compiled: dict[tuple[Context, ...], _Compiled] = cache.setdefault(
        ("frame-plans", policy, id(registry)), {})
    found = compiled.get(contexts)
    if found is not None:
        return found
    from ntmkit.scoring import _plan

    m, k = len(_layout(np, cs).indicators), len(contexts)
    fixed = np.full((m, k), -1, dtype=np.int8)
    value = np.full((m, k), np.nan)
    upper = np.full((m, k), np.nan)
    candidate = np.zeros((m, k), dtype=bool)
    for j, context in enumerate(contexts):
        row = cache.get(("columns", context, policy, id(registry)))
        if row is None:
            f, v, u, c = [], [], [], []
            for _, criteria in _plan(cs, context, policy):
                for _, steps, _, _ in criteria:
                    for step, _ in steps:
                        t = step.threshold
                        if t is not None and t.relative_to is not None and step.fixed is None:
                            fixed_code, bound, on_candidate = _relative(np, step, context,
                                                                        registry)
                            f.append(fixed_code)
                            v.append(bound)
                            u.append(np.nan)
                            c.append(on_candidate)
                            continue
                        f.append(-1 if step.fixed is None else _FIXED[step.fixed])
                        v.append(np.nan if t is None or t.value is None else t.value)
                        u.append(np.nan if t is None or t.upper is None else t.upper)
                        c.append(step.provisional)
            row = (np.array(f, dtype=np.int8), np.array(v, dtype=float),
                   np.array(u, dtype=float), np.array(c, dtype=bool))
            cache[("columns", context, policy, id(registry))] = row
        fixed[:, j], value[:, j], upper[:, j], candidate[:, j] = row
    found = _Compiled(np, fixed, value, upper, candidate)
    if len(compiled) >= _MAX_COMPILED:
        compiled.clear()
    compiled[contexts] = found
    return found


def _relative(np: Any, step: Any, context: Context,
              registry: CriteriaRegistry | None) -> tuple[int, float, bool]:
    """A threshold relative to another set's value, as the scalar path resolves it.

    Returns the fixed verdict code (-1 when the value decides, 1 when the referenced value
    is unknown), the bound and whether it rests on a candidate.  The exact (rational)
    threshold becomes the nearest float on the side that keeps comparisons exact: for
    "at least w", the smallest float not below w (a float v is ≥ w exactly when it is ≥
    that bound); for "at most w", the largest float not above w.
    """
    import fractions

    from ntmkit.scoring import _resolve_relative

    effective, _, wanted, candidate = _resolve_relative(step.threshold, context, registry,
                                                        step.policy)
    if effective is None:
        return 1, float("nan"), False
    bound = float(wanted)
    if step.indicator.rule.kind is RuleKind.AT_LEAST and fractions.Fraction(bound) < wanted:
        bound = float(np.nextafter(bound, np.inf))
    elif step.indicator.rule.kind is RuleKind.AT_MOST and fractions.Fraction(bound) > wanted:
        bound = float(np.nextafter(bound, -np.inf))
    return -1, bound, bool(candidate or step.provisional)


def _indicator(np: Any, pd: Any, frame: Any, ind: Indicator, plan: _Compiled, i: int,
               codes: Any, units: dict[str, str], n: int, stale: Any,
               verdict: Any, want_gap: bool = True) -> tuple[Any, Any]:
    """One indicator's verdict codes for every row, written into *verdict* (int8).

    Returns its gaps (floats; None for yes/no indicators) and provisional flags (bools, or
    None when no verdict rests on a candidate threshold).
    """
    uniform = plan.uniform[i]
    if uniform:
        fixed, threshold, upper = plan.fixed[i, 0], plan.value[i, 0], plan.upper[i, 0]
    else:
        fixed, threshold, upper = plan.fixed[i][codes], plan.value[i][codes], plan.upper[i][codes]
    kind = ind.rule.kind
    numeric = ind.numeric
    if kind is not RuleKind.ACHIEVED and not numeric:
        raise InvalidValue(f"indicator {ind.code}: {kind.value} rules are not supported in "
                           "batch scoring yet; use ntmkit.assess")
    observed = _observed(np, pd, frame, ind, units.get(ind.code))
    values, present = observed.values, observed.present
    distance = None
    if kind is RuleKind.ACHIEVED:
        ok = values
    else:
        with np.errstate(invalid="ignore"):
            if kind is RuleKind.AT_LEAST:
                distance = threshold - values
            elif kind is RuleKind.AT_MOST:
                distance = values - threshold
            else:
                distance = np.where(values < threshold, threshold - values, values - upper)
            ok = distance <= 0
    decided = present if stale is None else present & ~stale
    # MET (3) where ok, NOT_MET (0) where not, UNKNOWN (1) where undecided.
    np.multiply(ok, 3, out=verdict, casting="unsafe")
    verdict[~decided] = 1
    if not uniform:
        np.copyto(verdict, fixed, where=fixed >= 0, casting="unsafe")
    elif fixed >= 0:
        verdict[:] = fixed
    if observed.declared is not None:
        verdict[observed.declared] = 2
    gap = None
    if numeric and want_gap:
        gap = np.where(verdict == 0, distance, np.nan)
    provisional = None
    if plan.candidate is not None:
        candidate = plan.candidate[i, 0] if uniform else plan.candidate[i][codes]
        provisional = candidate & ((verdict == 3) | (verdict == 0))
    return gap, provisional


def summarise(assessed: Any, by: str | list[str] | Any = "region_column") -> Any:
    """Summarise an :func:`assess_frame` result by group: the table an office reports upward.

    *by* is a column of *assessed* (e.g. ``"region_column"``), a list of columns, or any
    grouping key pandas accepts (e.g. a province Series aligned with the frame).  For each
    group: the number of units, how many meet the set / fail it / are unknown, the number per
    tier, and per criterion and per indicator the share of units that meet it
    (``met:c:<criterion>``, ``met:v:<indicator>``) and the share whose verdict is unknown
    (``unknown:c:…``, ``unknown:v:…``).  Shares are fractions of all units in the group.

    >>> import pandas as pd, ntmkit
    >>> cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    >>> frame = pd.DataFrame({"region": ["southeast", "southeast", "mekong_delta"],
    ...                       "3.1": [85.0, 70.0, 90.0], "3.2": [True, True, True]})
    >>> table = summarise(assess_frame(frame, cs, year=2023))
    >>> float(table.loc["southeast", "met:c:3"])
    0.5
    """
    import pandas as pd

    if isinstance(by, str):
        keys: Any = assessed[by]
    elif isinstance(by, list) and all(isinstance(b, str) for b in by):
        keys = [assessed[b] for b in by]
    else:
        keys = by

    def per_group(flags: Any, how: str) -> Any:
        grouped = flags.groupby(keys, observed=True, sort=True)
        return grouped.sum().astype("int64") if how == "count" else grouped.mean()

    parts = [assessed["verdict"].groupby(keys, observed=True, sort=True).size().rename("units")]
    verdicts = pd.DataFrame({v.value: assessed["verdict"] == v.value
                             for v in (Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN)})
    parts.append(per_group(verdicts, "count"))
    if "tier" in assessed.columns:
        tiers = sorted({t for t in assessed["tier"] if isinstance(t, str)})
        if tiers:
            parts.append(per_group(pd.DataFrame({f"tier:{t}": assessed["tier"] == t
                                                 for t in tiers}), "count"))
    columns = [c for c in assessed.columns if str(c).startswith(("c:", "v:"))]
    if columns:
        shares = {}
        for column in columns:
            shares[f"met:{column}"] = assessed[column] == "met"
            shares[f"unknown:{column}"] = assessed[column] == "unknown"
        parts.append(per_group(pd.DataFrame(shares), "mean"))
    return pd.concat(parts, axis=1)
