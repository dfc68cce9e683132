"""Score a frame of units against a points set: one row per unit (or per assessor) in.

Points schemes are small (a few dozen cells per unit) and are scored unit by unit with
:func:`ntmkit.points.score`, so that a frame and a single call give the same result by
construction; ranks are then computed over the whole frame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ntmkit.errors import InvalidValue, UnknownIndicator
from ntmkit.model.places import Commune, District, Province, Village
from ntmkit.points.model import PointsRuleKind, PointsSet
from ntmkit.points.results import PointsAssessment, PointsUnit, Product, Ratio
from ntmkit.points.scoring import rank_table, score

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["row_observations", "score_frame", "score_rows"]

_IDENTITY = ("code", "name", "province", "assessor")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def row_observations(ps: PointsSet, row: Mapping[str, Any], where: str = ""
                     ) -> tuple[dict[str, object], dict[str, bool | None]]:
    """The observations and gates of one row of a table (column name → cell).

    Columns are component or sub-indicator codes; a ratio sub-indicator takes two columns,
    ``<code>:a`` and ``<code>:b``; a band's mandatory criterion takes ``gate:<code>``
    (true/false).  ``code``, ``name``, ``province`` and ``assessor`` are identity columns.
    """
    observations: dict[str, object] = {}
    gates: dict[str, bool | None] = {}
    known = set(ps.component_map) | set(ps.sub_indicators)
    ratios = {c for c, s in ps.sub_indicators.items()
              if s.rule is not None and s.rule.kind is PointsRuleKind.RATIO}
    for column, cell in row.items():
        name = str(column)
        if name in _IDENTITY:
            continue
        if name.startswith("gate:"):
            gates[name[5:]] = None if _missing(cell) else _truth(cell, f"{where}{name}")
            continue
        code, _, part = name.rpartition(":")
        if part in ("a", "b") and code in ratios:
            continue
        if name not in known:
            raise UnknownIndicator(f"{where}column {name!r}: {ps.key} has no component or "
                                   "sub-indicator of that code")
        if _missing(cell):
            continue
        sub = ps.sub_indicators.get(name)
        kind = sub.rule.kind if sub is not None and sub.rule is not None else None
        if kind is PointsRuleKind.FIXED:
            observations[name] = _truth(cell, f"{where}{name}")
        elif kind is PointsRuleKind.ROLE:
            observations[name] = str(cell)
        else:
            observations[name] = _float(cell, f"{where}{name}")
    for code in ratios:
        a, b = row.get(f"{code}:a"), row.get(f"{code}:b")
        if not _missing(a) and not _missing(b):
            observations[code] = Ratio(_float(a, f"{where}{code}:a"), _float(b, f"{where}{code}:b"))
    return observations, gates


def _float(cell: object, where: str) -> float:
    try:
        return float(str(cell).replace(",", ".")) if isinstance(cell, str) else float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidValue(f"{where}: expected a number, got {cell!r}") from None


def _truth(cell: object, where: str) -> bool:
    if isinstance(cell, bool) or type(cell).__name__ == "bool_":
        return bool(cell)
    text = str(cell).strip().casefold()
    if text in ("true", "1", "yes", "đạt", "có", "x"):
        return True
    if text in ("false", "0", "no", "không đạt", "không", "chưa đạt"):
        return False
    raise InvalidValue(f"{where}: expected true or false, got {cell!r}")


def _unit(ps: PointsSet, code: str, name: str, province: str | None) -> PointsUnit:
    if ps.subject == "product":
        return Product(code=code, name=name or code)
    if ps.subject == "province":
        return Province(name=name or code, code=code or None)
    if ps.subject == "district":
        return District(name=name or code, code=code or None, province=province)
    if ps.subject == "village":
        return Village(name=name or code, code=code or None)
    return Commune(code=code, name=name or code, province=province)


def score_rows(ps: PointsSet, rows: Sequence[Mapping[str, Any]], *, origin: str = ""
               ) -> list[PointsAssessment]:
    """Score table rows (dicts of column → cell), one unit per ``code``.

    Rows sharing a ``code`` (with an ``assessor`` column) are one unit's assessors, averaged.
    """
    groups: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for n, row in enumerate(rows, start=1):
        code = "" if _missing(row.get("code")) else str(row.get("code"))
        if not code:
            raise InvalidValue(f"{origin}row {n}: the code column is empty")
        if code in groups and "assessor" not in row:
            raise InvalidValue(f"{origin}row {n}: code {code!r} appears twice; add an "
                               "'assessor' column to average several assessors' scores")
        groups.setdefault(code, []).append((n, row))
    out = []
    for code, members in groups.items():
        first = members[0][1]
        province = None if _missing(first.get("province")) else str(first.get("province"))
        unit = _unit(ps, code, "" if _missing(first.get("name")) else str(first["name"]),
                     province)
        panel = []
        gates: dict[str, bool | None] = {}
        for n, row in members:
            obs, row_gates = row_observations(ps, row, f"{origin}row {n}: ")
            panel.append(obs)
            gates.update({k: v for k, v in row_gates.items() if v is not None or k not in gates})
        try:
            if len(panel) == 1:
                out.append(score(unit, panel[0], ps, gates=gates))
            else:
                out.append(score(unit, None, ps, assessors=panel, gates=gates))
        except (InvalidValue, UnknownIndicator) as exc:
            rows_text = ", ".join(str(n) for n, _ in members)
            raise type(exc)(f"{origin}row {rows_text} ({code}): {exc}") from None
    return out


def score_frame(frame: Any, points_set: PointsSet) -> pd.DataFrame:
    """Score every unit of *frame* against *points_set*; return totals, bands and ranks.

    *frame* has a ``code`` column (and optionally ``name``, ``province``, ``assessor``)
    and one column per component or sub-indicator code (see :func:`row_observations`).
    Rows sharing a code with an ``assessor`` column are averaged.  The result has one row
    per unit (indexed by code) with ``total``, ``total_known``, ``share``, ``band``,
    ``band_known``, ``stars``, ``rank`` and, per component, ``p:<code>`` and
    ``rank:<code>``.

    >>> import pandas as pd
    >>> from ntmkit import points
    >>> ps = points.get("province/quang-nam/dti-commune@2021-08-13")
    >>> out = score_frame(pd.DataFrame({"code": ["a", "b"], "CQS": [40, 45],
    ...                                 "KTS": [15, 10], "XHS": [20, 25]}), ps)
    >>> out[["total", "rank"]].to_dict("index")
    {'a': {'total': 75.0, 'rank': 2}, 'b': {'total': 80.0, 'rank': 1}}
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise InvalidValue(f"score_frame takes a pandas DataFrame, not {type(frame).__name__}")
    if "code" not in frame.columns:
        raise InvalidValue("the frame needs a 'code' column naming each unit")
    results = score_rows(points_set, frame.to_dict("records"))
    table = rank_table(results)
    for row, r in zip(table, results, strict=True):
        row.update(total_known=r.total_known, band_known=r.band_known, stars=r.stars)
    out = pd.DataFrame(table).set_index("code")
    out["rank"] = out["rank"].astype("Int64")
    for column in out.columns:
        if column.startswith("rank:"):
            out[column] = out[column].astype("Int64")
    return out
