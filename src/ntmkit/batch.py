"""Batch scoring: many communes at once, as columns.

:func:`assess_frame` takes a pandas DataFrame (or a pyarrow Table) with one row per commune
and one column per indicator code, and returns a DataFrame of verdicts.  The set is compiled
once per distinct threshold context (region column × year), and every comparison runs on
whole numpy columns; there is no Python loop over rows.  Its verdicts agree with
:func:`ntmkit.assess` row by row.

numpy and pandas are imported on first use (install ``ntmkit[frame]``).
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ntmkit.errors import InvalidContext, InvalidValue, UnknownIndicator
from ntmkit.model.criteria import Context, CriteriaSet, Indicator
from ntmkit.model.enums import CommuneClass, Region, RuleKind, Verdict
from ntmkit.scoring import (
    ThresholdPolicy,
    candidate_value,
    check_declared_keys,
    declared_key,
    declared_verdict,
    declares_not_applicable,
    observable_indicators,
    split_sex_column,
)
from ntmkit.units import to_unit

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
    """Vectorised :func:`ntmkit.model.results.combine` over verdict-code arrays."""
    if not parts:
        return np.full(n, VERDICT_CODES[Verdict.UNKNOWN], dtype=np.int8)
    stack = np.vstack(parts)
    any_not_met = (stack == 0).any(axis=0)
    any_unknown = (stack == 1).any(axis=0) | (not complete)
    all_na = (stack == 2).all(axis=0)
    out = np.full(n, VERDICT_CODES[Verdict.MET], dtype=np.int8)
    out[all_na] = 2
    out[any_unknown] = 1
    out[any_not_met] = 0
    return out


def _regions(np: Any, pd: Any, frame: Any, region: Region | str | None) -> Any:
    n = len(frame)
    if region is not None:
        return np.full(n, Region(region).value, dtype=object)
    if "region" in frame.columns:
        codes, uniques = pd.factorize(frame["region"], use_na_sentinel=True)
        decoded = np.full(len(uniques) + 1, None, dtype=object)  # the last slot: missing
        for j, value in enumerate(uniques):
            if pd.isna(value) or value == "":
                continue
            try:
                decoded[j] = Region(str(value)).value
            except ValueError:
                row = int(np.flatnonzero(codes == j)[0])
                raise InvalidValue(f"row {frame.index[row]!r}, column 'region': unknown "
                                   f"region {value!r}") from None
        out = decoded[codes]  # code -1 (missing) picks the last slot
    else:
        out = np.full(n, None, dtype=object)
    if "province" in frame.columns:
        from ntmkit import places

        missing = pd.isna(out)
        if missing.any():
            editions = (frame["edition"].astype(object).where(frame["edition"].notna(), "")
                        if "edition" in frame.columns else pd.Series([""] * n, index=frame.index))
            provinces = frame["province"].astype(object).where(frame["province"].notna(), "")
            pairs = pd.MultiIndex.from_arrays([provinces.astype(str), editions.astype(str)])
            codes, uniques = pd.factorize(pairs)
            for j, (province, edition) in enumerate(uniques):
                rows = missing & (codes == j)
                if not province or not rows.any():
                    continue
                found = places.region_of(province, edition or "pre-2025-07")
                if found is not None:
                    out[rows] = found.value
    if pd.isna(out).any():
        row = int(np.flatnonzero(pd.isna(out))[0])
        raise InvalidContext(f"row {frame.index[row]!r}: no region (give a 'region' column, a "
                             "'province' whose region is known, or region=)")
    return out


def _classes(
    np: Any, pd: Any, frame: Any, classes: Any
) -> tuple[Any, list[frozenset[CommuneClass]]]:
    """Per-row codes into a list of distinct class sets (each distinct cell parsed once)."""
    n = len(frame)
    if classes is not None:
        return np.zeros(n, dtype=np.int64), [frozenset(CommuneClass(c) for c in classes)]
    if "classes" not in frame.columns:
        return np.zeros(n, dtype=np.int64), [frozenset()]
    col = frame["classes"].astype(object).where(frame["classes"].notna(), "")
    codes, uniques = pd.factorize(col.astype(str))
    sets = []
    for j, cell in enumerate(uniques):
        try:
            sets.append(frozenset(CommuneClass(c.strip()) for c in
                                  str(cell).replace(",", ";").split(";") if c.strip()))
        except ValueError as exc:
            row = int(np.flatnonzero(codes == j)[0])
            raise InvalidValue(f"row {frame.index[row]!r}, column 'classes': {exc}") from None
    return codes, sets


def _has_column(frame: Any, ind: Indicator) -> bool:
    return ind.code in frame.columns or (ind.by_sex and f"{ind.code}:men" in frame.columns)


def _observed_numbers(np: Any, pd: Any, frame: Any, ind: Indicator, unit: str | None) -> Any:
    """The indicator's column as floats; for men and women columns, the lower of the two."""
    if ind.by_sex and ind.code not in frame.columns:
        men = _numeric_column(np, pd, frame, ind, unit, f"{ind.code}:men")
        women = _numeric_column(np, pd, frame, ind, unit, f"{ind.code}:women")
        return np.minimum(men, women)  # NaN (missing) in either gives NaN
    return _numeric_column(np, pd, frame, ind, unit)


def _numeric_column(np: Any, pd: Any, frame: Any, ind: Indicator, unit: str | None,
                    column: str | None = None) -> Any:
    name = ind.code if column is None else column
    col = frame[name]
    try:
        values = pd.to_numeric(col, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (ValueError, TypeError):
        bad = next(i for i, v in enumerate(col) if _not_number(v))
        raise InvalidValue(f"row {frame.index[bad]!r}, column {name!r}: expected a number "
                           f"in {unit or ind.unit!r}, got {col.iloc[bad]!r}") from None
    if unit is not None:
        finite = np.isfinite(values)
        if finite.any():
            factor = to_unit(1.0, unit, ind.unit, indicator=ind.code)
            if factor != 1.0:
                # Same arithmetic as the scalar path: value * numerator / denominator.
                from ntmkit.units import _factor, _same_unit

                if not _same_unit(unit, ind.unit):
                    numerator, denominator = _factor(unit, ind.unit)
                    values = _snap(np, values * numerator / denominator)
    if np.isinf(values).any():
        bad = int(np.flatnonzero(np.isinf(values))[0])
        raise InvalidValue(f"row {frame.index[bad]!r}, column {name!r}: not finite")
    low = -math.inf if ind.minimum is None else ind.minimum
    high = math.inf if ind.maximum is None else ind.maximum
    outside = (values < low) | (values > high)
    if outside.any():
        bad = int(np.flatnonzero(outside)[0])
        raise InvalidValue(
            f"row {frame.index[bad]!r}, column {name!r}: {values[bad]:g} {ind.unit} is "
            f"outside the possible range {ind.minimum}–{ind.maximum} {ind.unit}")
    return values


def _snap(np: Any, values: Any) -> Any:
    """:func:`ntmkit.units.snap` over a column, with the same operations."""
    from ntmkit.units import SIGNIFICANT_DIGITS

    out = values.copy()
    ok = np.isfinite(values) & (values != 0)
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log10(np.abs(values[ok])))
    scale = 10.0 ** (SIGNIFICANT_DIGITS - 1 - exponent)
    out[ok] = np.round(values[ok] * scale) / scale
    return out


def _not_number(v: object) -> bool:
    if v is None or isinstance(v, bool):
        return isinstance(v, bool)
    try:
        float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return False


def _achieved_column(np: Any, pd: Any, frame: Any, ind: Indicator) -> tuple[Any, Any]:
    # Decode each distinct cell once (True/False, or text such as 'Đạt' / 'Chưa đạt').
    from ntmkit.io.observations import parse_achieved

    raw = frame[ind.code]
    if raw.dtype == bool:  # a plain boolean column: nothing to decode, nothing missing
        values = raw.to_numpy(dtype=bool)
        return np.ones(len(values), dtype=bool), values
    col = raw.astype(object)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    decoded_present = np.zeros(len(uniques), dtype=bool)
    decoded_value = np.zeros(len(uniques), dtype=bool)
    for j, v in enumerate(uniques):
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            decoded_present[j], decoded_value[j] = True, bool(v)
            continue
        if isinstance(v, str):
            try:
                parsed = parse_achieved(v)
            except ValueError as exc:
                row = int(np.flatnonzero(codes == j)[0])
                raise InvalidValue(f"row {frame.index[row]!r}, column {ind.code!r}: "
                                   f"{exc}") from None
            if parsed is not None:
                decoded_present[j], decoded_value[j] = True, parsed
            continue
        row = int(np.flatnonzero(codes == j)[0])
        raise InvalidValue(f"row {frame.index[row]!r}, column {ind.code!r}: indicator "
                           f"{ind.code} is a yes/no condition, got {v!r}")
    present = np.zeros(len(frame), dtype=bool)
    values = np.zeros(len(frame), dtype=bool)
    has = codes >= 0
    present[has] = decoded_present[codes[has]]
    values[has] = decoded_value[codes[has]]
    return present, values


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
    thresholds: ThresholdPolicy = "published",
) -> pd.DataFrame:
    """Assess every row of *frame* against *criteria_set*; return a frame of verdicts.

    *frame* has one row per commune and one column per indicator code (numbers in the
    indicator's unit, or in the unit declared in *units*; True/False for yes/no
    indicators; NaN/None for missing data, verdict UNKNOWN), plus ``region`` (or
    ``province`` and ``edition``), ``year`` and ``classes`` columns unless *region*,
    *year* or *classes* fix them for the whole frame.  Columns other than indicator codes
    and those identity columns are an error (a misspelt code must not pass silently).

    The result has the input's index and the columns ``verdict``, ``met``, ``total``,
    ``tier``, ``region_column``, ``v:<indicator>``, ``c:<criterion>`` and, with *gaps*,
    ``gap:<indicator>`` (how far an unmet numeric value is from its threshold).

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

    if not isinstance(frame, pd.DataFrame):
        if hasattr(frame, "to_pandas"):  # pyarrow Table, polars DataFrame
            frame = frame.to_pandas()
        else:
            raise InvalidValue(f"assess_frame takes a pandas DataFrame or a pyarrow Table, "
                               f"not {type(frame).__name__}")
    if registry is None:
        from ntmkit import registry as _registry

        registry = _registry.default()
    if thresholds not in ("published", "provisional"):
        raise ValueError(f"thresholds must be 'published' or 'provisional', not {thresholds!r}")
    if year is not None and (isinstance(year, bool) or not isinstance(year, numbers.Integral)
                             or not 1 <= int(year) <= 9999):
        shown = repr(year) if len(repr(year)) <= 12 else "a number of more than ten digits"
        raise InvalidContext(f"year {shown} is not a calendar year (1–9999)")
    if isinstance(criteria_set, str):
        return _assess_by_row_set(np, pd, frame, criteria_set, year=year, region=region,
                                  classes=classes, units=units, registry=registry, gaps=gaps,
                                  thresholds=thresholds)

    known = observable_indicators(criteria_set, registry)
    units = dict(units or {})
    renamed = {c: declared_key(str(c)) for c in frame.columns
               if declared_key(str(c)) is not None and c not in _IDENTITY}
    if renamed:
        check_declared_keys([k for k in renamed.values() if k is not None], criteria_set,
                            registry)
        frame = frame.rename(columns=renamed)
    columns = set(frame.columns)
    for column in frame.columns:
        if isinstance(column, str) and column.startswith("criterion:"):
            continue
        code, part = split_sex_column(column)
        if code not in known and column not in _IDENTITY:
            import difflib

            close = difflib.get_close_matches(str(column), sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownIndicator(f"column {column!r}: {criteria_set.key} has no indicator "
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
    return _assess_frame(np, pd, frame, criteria_set, year, region, classes, units, registry,
                         gaps, thresholds)


def _assess_by_row_set(np: Any, pd: Any, frame: Any, set_id: str, *, year: int | None,
                       region: Region | str | None, classes: Any,
                       units: Mapping[str, str] | None, registry: CriteriaRegistry, gaps: bool,
                       thresholds: ThresholdPolicy) -> Any:
    """Each row against the set in force for its year and province (one run per set)."""
    import datetime as dt

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
                raise InvalidContext(f"row {frame.index[row]!r}, column 'year': {y!r} is not a "
                                     "year; each row needs one to choose its set")
            chosen[(y, province)] = registry.resolve(
                set_id, on=dt.date(int(y), 12, 31), province=str(province) or None).set
        keys.append(chosen[(y, province)].key)
    parts = []
    key_array = np.array(keys, dtype=object)
    for key in dict.fromkeys(keys):
        rows = key_array == key
        part = assess_frame(frame[rows], registry.get(key), year=year, region=region,
                            classes=classes, units=units, registry=registry, gaps=gaps,
                            thresholds=thresholds)
        part.insert(0, "set", key)
        parts.append(part)
    out = pd.concat(parts).reindex(frame.index) if len(parts) > 1 else parts[0]
    for column in out.columns:  # verdict columns keep their categories across parts
        if column.startswith(("v:", "c:", "requires:")) or column == "verdict":
            out[column] = out[column].astype(pd.CategoricalDtype(
                [_NAMES[i] for i in range(4)]))
    return out


def _years(np: Any, frame: Any, cs: CriteriaSet, year: int | None) -> Any:
    n = len(frame)
    needs_year = cs.year_dependent
    if year is not None:
        years = np.full(n, year, dtype=np.int64)
    elif "year" in frame.columns:
        col = frame["year"]
        if col.isna().any() and needs_year:
            bad = int(np.flatnonzero(col.isna().to_numpy())[0])
            raise InvalidContext(f"row {frame.index[bad]!r}: no year, and {cs.key} has "
                                 "year-dependent thresholds")
        years = col.fillna(-1).astype("int64").to_numpy()
    elif needs_year:
        raise InvalidContext(f"{cs.key} has year-dependent thresholds: pass year= or a "
                             "'year' column")
    else:
        years = np.full(n, -1, dtype=np.int64)
    if needs_year and cs.years is not None:
        outside = (years < cs.years[0]) | (years > cs.years[1])
        if outside.any():
            bad = int(np.flatnonzero(outside)[0])
            raise InvalidContext(f"row {frame.index[bad]!r}: year {years[bad]} is outside the "
                                 f"years {cs.years[0]}-{cs.years[1]} of {cs.key}")
    return years


def _assess_frame(np: Any, pd: Any, frame: Any, cs: CriteriaSet, year: int | None,
                  region: Region | str | None, classes: Any, units: dict[str, str],
                  registry: CriteriaRegistry, gaps: bool,
                  policy: ThresholdPolicy = "published") -> Any:
    n = len(frame)
    base_regions = _regions(np, pd, frame, region)
    class_codes, class_sets = _classes(np, pd, frame, classes)
    years = _years(np, frame, cs, year)
    # Region column after substitution: decided once per distinct class set.
    columns = base_regions.copy()
    substituted = np.full(len(class_sets), None, dtype=object)
    for j, class_set in enumerate(class_sets):
        for sub in cs.region_substitutions:
            if sub.classes & class_set:
                substituted[j] = sub.region.value
                break
    hit = np.array([x is not None for x in substituted], dtype=bool)[class_codes]
    columns[hit] = substituted[class_codes][hit]
    # Distinct threshold contexts (column region, year, class set, commune group), as one
    # integer key per row.
    region_list = [r.value for r in Region]
    region_codes = pd.Index(region_list, dtype=object).get_indexer(columns).astype(np.int64)
    year_codes, year_values = pd.factorize(years)
    if "group" in frame.columns:
        group_values = pd.to_numeric(frame["group"], errors="coerce").fillna(-1)
        groups = group_values.astype(np.int64).to_numpy()
    else:
        groups = np.full(n, -1, dtype=np.int64)
    if cs.groups:
        bad = (groups < 0) if cs.has_group_values else np.zeros(n, dtype=bool)
        bad |= (groups >= 0) & ~np.isin(groups, np.array(cs.groups))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InvalidContext(
                f"row {frame.index[row]!r}, column 'group': {cs.key} has values per commune "
                f"group; give one of {', '.join(map(str, cs.groups))}")
    group_codes, group_values_u = pd.factorize(groups)
    n_years, n_classes, n_groups = len(year_values) + 1, len(class_sets), len(group_values_u)
    key = ((region_codes * n_years + year_codes) * n_classes + class_codes) * n_groups \
        + group_codes
    unique_keys, codes = np.unique(key, return_inverse=True)
    contexts = []
    for k in unique_keys:
        k = int(k)
        group = int(group_values_u[k % n_groups])
        k //= n_groups
        class_code = k % n_classes
        k //= n_classes
        y = int(year_values[k % n_years])
        contexts.append(Context(Region(region_list[k // n_years]), None if y < 0 else y,
                                class_sets[class_code], None if group < 0 else group))

    out: dict[str, Any] = {}
    criterion_codes: dict[str, Any] = {}
    criterion_prov: dict[str, Any] = {}
    basis_columns: dict[str, Any] = {}
    provisional = policy == "provisional"
    for pillar in cs.pillars:
        for criterion in pillar.criteria:
            parts, provs = [], []
            for ind in criterion.indicators:
                verdict, gap, prov = _indicator(np, pd, frame, ind, contexts, codes, units, n,
                                                policy)
                out[f"v:{ind.code}"] = verdict
                if gaps and ind.numeric:
                    out[f"gap:{ind.code}"] = gap
                parts.append(verdict)
                provs.append(prov)
            combined = _combine(np, parts, n, criterion.indicators_complete)
            prov_c = _provisional(np, combined, parts, provs, n)
            declared_column = f"criterion:{criterion.code}"
            if declared_column in frame.columns:
                combined, prov_c, basis_columns[f"basis:{criterion.code}"] = _with_declared(
                    np, pd, frame, declared_column, combined, prov_c)
            criterion_codes[criterion.code] = combined
            criterion_prov[criterion.code] = prov_c
    total = cs.criteria_count if cs.criteria_count is not None else len(cs.criteria)
    complete = cs.complete and len(cs.criteria) == total
    set_parts = list(criterion_codes.values())
    set_provs = list(criterion_prov.values())
    result_columns: dict[str, Any] = {}
    for pre_key in cs.requires:
        pre = registry.get(pre_key)
        wanted = observable_indicators(pre, registry)
        sub = frame[[c for c in frame.columns
                     if split_sex_column(c)[0] in wanted or c in _IDENTITY
                     or str(c).startswith(f"criterion:{pre.id}:")]]
        sub = sub.rename(columns={c: "criterion:" + str(c)[len(f"criterion:{pre.id}:"):]
                                  for c in sub.columns
                                  if str(c).startswith(f"criterion:{pre.id}:")})
        pre_out = _assess_frame(np, pd, sub, pre, year, region, classes,
                                {k: v for k, v in units.items() if k in wanted},
                                registry, False, policy)
        pre_codes = pre_out["verdict"].cat.codes.to_numpy(np.int8)
        set_parts.append(pre_codes)
        set_provs.append(pre_out["provisional"].to_numpy(dtype=bool) if provisional
                         else np.zeros(n, dtype=bool))
        result_columns[f"requires:{pre.key}"] = pre_out["verdict"].to_numpy()
    verdict = _combine(np, set_parts, n, complete)
    met = sum((c == VERDICT_CODES[Verdict.MET]).astype(np.int64)
              for c in criterion_codes.values()) if criterion_codes else np.zeros(n, np.int64)
    verdict_dtype = pd.CategoricalDtype([_NAMES[i] for i in range(4)])

    def names(codes: Any) -> Any:
        return _categorical(pd, codes, verdict_dtype)

    data: dict[str, Any] = {
        "verdict": names(verdict),
        "met": met,
        "total": np.full(n, total, dtype=np.int64),
        "tier": np.where(verdict == VERDICT_CODES[Verdict.MET],
                         cs.tier.value if cs.tier else None, None),
        "region_column": _categorical(pd, region_codes, pd.CategoricalDtype(region_list)),
    }
    if provisional:
        data["provisional"] = _provisional(np, verdict, set_parts, set_provs, n)
    data.update(result_columns)
    for code, arr in criterion_codes.items():
        data[f"c:{code}"] = names(arr)
    if provisional:
        for code, arr in criterion_prov.items():
            data[f"p:{code}"] = arr
    for name, arr in basis_columns.items():
        data[name] = pd.Categorical(arr, categories=["computed", "declared", "conflict"])
    for name, arr in out.items():
        data[name] = names(arr) if name.startswith("v:") else arr
    return pd.DataFrame(data, index=frame.index)


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
            raise InvalidValue(f"row {frame.index[row]!r}, column {column!r}: {exc}") from None
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
def _int8_codes(np: Any) -> dict[Verdict, Any]:
    """:data:`VERDICT_CODES` as numpy int8 scalars, so comparisons stay in int8."""
    return {v: np.int8(c) for v, c in VERDICT_CODES.items()}


def _categorical(pd: Any, codes: Any, dtype: Any) -> Any:
    # The codes are built here and always in range: pandas >= 2.1 can skip re-checking them.
    try:
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    except TypeError:  # pandas < 2.1
        return pd.Categorical.from_codes(codes, dtype=dtype)


def _indicator(np: Any, pd: Any, frame: Any, ind: Indicator, contexts: list[Context],
               codes: Any, units: dict[str, str], n: int,
               policy: ThresholdPolicy = "published") -> tuple[Any, Any, Any]:
    # Thresholds per context, then spread to rows by the context codes.
    t_value = np.full(len(contexts), np.nan)
    t_known = np.zeros(len(contexts), dtype=bool)
    t_applies = np.ones(len(contexts), dtype=bool)
    t_candidate = np.zeros(len(contexts), dtype=bool)
    for i, context in enumerate(contexts):
        found = ind.rule.candidates(context)
        if len(found) > 1:
            raise InvalidContext(f"indicator {ind.code}: {len(found)} thresholds match "
                                 f"equally ({context.region}, {context.year})")
        if not found:
            continue
        t = found[0]
        if t.relative_to is not None:
            raise InvalidValue(f"indicator {ind.code}: thresholds relative to another set are "
                               "not supported in batch scoring yet; use ntmkit.assess")
        t_applies[i] = t.applies
        t_known[i] = t.confidence.has_value
        if t.value is not None:
            t_value[i] = t.value
        elif policy == "provisional" and not t_known[i] and ind.numeric:
            candidate = candidate_value(t)
            if candidate is not None:
                t_known[i] = t_candidate[i] = True
                t_value[i] = candidate
    value_known = _spread(np, t_known, codes)
    applies = _spread(np, t_applies, codes)
    threshold = _spread(np, t_value, codes)
    code = _int8_codes(np)
    unknown, not_applicable = code[Verdict.UNKNOWN], code[Verdict.NOT_APPLICABLE]
    gap = np.full(n, np.nan) if ind.numeric else None
    no_provisional = np.zeros(n, dtype=bool)
    if not _has_column(frame, ind):
        if np.ndim(applies):
            return np.where(applies, unknown, not_applicable), gap, no_provisional
        return (np.full(n, unknown if applies else not_applicable, dtype=np.int8), gap,
                no_provisional)
    declared = None
    if ind.code in frame.columns and not (pd.api.types.is_numeric_dtype(frame[ind.code])
                                          or pd.api.types.is_bool_dtype(frame[ind.code])):
        declared = _declared_not_applicable(np, pd, frame, ind)
        if declared is not None:  # parse the other cells as usual
            frame = pd.DataFrame({ind.code: frame[ind.code].where(~declared, None)},
                                 index=frame.index)
    if ind.rule.kind is RuleKind.ACHIEVED:
        present, ok = _achieved_column(np, pd, frame, ind)
    elif ind.rule.kind in (RuleKind.AT_LEAST, RuleKind.AT_MOST):
        values = _observed_numbers(np, pd, frame, ind, units.get(ind.code))
        present = ~np.isnan(values)
        distance = threshold - values if ind.rule.kind is RuleKind.AT_LEAST \
            else values - threshold
        ok = distance <= 0
    else:
        raise InvalidValue(f"indicator {ind.code}: {ind.rule.kind.value} rules are not "
                           "supported in batch scoring yet; use ntmkit.assess")
    decided = present & value_known
    verdict = np.where(decided, np.where(ok, code[Verdict.MET], code[Verdict.NOT_MET]), unknown)
    if np.ndim(applies) or not applies:
        verdict = np.where(applies, verdict, not_applicable)
    if gap is not None:
        unmet = decided & ~ok & applies
        gap[unmet] = distance[unmet]
    if declared is not None:
        verdict = np.where(declared, not_applicable, verdict)
    provisional = no_provisional
    if t_candidate.any():
        provisional = (_spread(np, t_candidate, codes) & decided & applies
                       & ((verdict == code[Verdict.MET]) | (verdict == code[Verdict.NOT_MET])))
        provisional = np.broadcast_to(provisional, (n,)).copy()
    return verdict, gap, provisional


def _declared_not_applicable(np: Any, pd: Any, frame: Any, ind: Indicator) -> Any:
    """Rows whose cell declares the indicator not applicable, or None when there are none."""
    column = frame[ind.code]
    marks = [v for v in pd.unique(column.dropna()) if declares_not_applicable(v)]
    if not marks:
        return None
    marked = column.isin(marks).to_numpy(dtype=bool)
    if not ind.applies_if:
        row = int(np.flatnonzero(marked)[0])
        raise InvalidValue(f"row {frame.index[row]!r}, column {ind.code!r}: indicator "
                           f"{ind.code} applies to every unit and cannot be declared not "
                           "applicable: give its observed value, or leave the cell empty")
    return marked


def _spread(np: Any, per_context: Any, codes: Any) -> Any:
    """Per-context values spread to rows; a scalar when every context has the same value."""
    first = per_context[0]
    if (per_context == first).all() or (per_context.dtype.kind == "f"
                                        and np.isnan(per_context).all()):
        return first
    return per_context[codes]


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
