"""Pure scoring of points schemes: points, totals, bands, ranks, merged units.

Points are added in exact rational arithmetic (``fractions.Fraction`` of the decimal text of
each value), so that 45.74 + 32.5 + … gives the printed total to the last digit, averages of
several assessors are exact, and a total sitting exactly on a band edge is placed exactly.

Band edges.  The sources print bands with integer edges (OCOP: 90–100, 70–89, …) and are
silent on an averaged total such as 89.6.  ntmkit's default (``edge_rule = "lower_edge"``):
a total reaches a band when it is at least the band's printed lower edge, with no rounding,
so 89.6 is below 90 and stays in the 70–89 class; a class is never given to a total below
its printed minimum.  A set (or your own file) may choose ``"round_half_up"`` instead
(89.5 → 90), and the result records which rule placed it.

Several assessors.  ``score(..., assessors=[obs1, obs2, …])`` scores each assessor's
observations and takes the arithmetic mean of each sub-indicator's and component's points
(OCOP councils rate on the average of their members' totals); the band is read from the
mean total.  Where a set does not state how assessors are combined, the mean is used and
the result says so in its notes.
"""

from __future__ import annotations

import collections
import decimal
import fractions
import functools
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ntmkit.errors import InvalidContext, InvalidValue, UnknownIndicator
from ntmkit.model.places import Commune, District, Province, Village
from ntmkit.points.model import (
    Band,
    Component,
    EdgeRule,
    MergeRule,
    PointsRuleKind,
    PointsSet,
    SubIndicator,
)
from ntmkit.points.results import (
    ComponentResult,
    PointsAssessment,
    PointsUnit,
    Product,
    Ratio,
    SubIndicatorResult,
)

__all__ = ["RankRow", "merge", "rank", "rank_table", "score"]

_Exact = fractions.Fraction | None
_SUBJECTS = {"province": Province, "district": District, "commune": Commune,
             "village": Village, "product": Product}


@functools.lru_cache(maxsize=4096)
def _exact(value: float | int) -> fractions.Fraction:
    # The decimal text of the value, so that 45.74 is 4574/100, not the nearest binary float.
    # Cached: maxima, weights and common observed values recur from unit to unit.
    return fractions.Fraction(str(value)) if isinstance(value, float) else \
        fractions.Fraction(value)


def _number(raw: object, where: str) -> fractions.Fraction:
    if isinstance(raw, bool) or not isinstance(raw, (numbers.Real, decimal.Decimal)):
        hint = " (convert the text to a number first)" if isinstance(raw, str) else ""
        raise InvalidValue(f"{where}: expected a number, got {raw!r} "
                           f"({type(raw).__name__}){hint}")
    if isinstance(raw, fractions.Fraction):
        return raw
    value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidValue(f"{where}: {raw!r} is not a finite number; pass None for missing "
                           "data")
    if isinstance(raw, decimal.Decimal):
        return fractions.Fraction(raw)
    return _exact(value) if isinstance(raw, float) else _exact(int(raw))  # type: ignore[call-overload]


def _in_range(value: fractions.Fraction, maximum: float | None, where: str) -> None:
    if value < 0 or (maximum is not None and value > _exact(maximum)):
        top = f"{maximum:g}" if maximum is not None else "∞"
        raise InvalidValue(f"{where}: {float(value):g} points is outside 0–{top}")


def _sub_points(sub: SubIndicator, raw: object) -> tuple[_Exact, str | None, str]:
    """The points of *sub* for the observation *raw*: (points, as observed, reason)."""
    where = f"sub-indicator {sub.code} ({sub.name_en})"
    rule = sub.rule
    kind = rule.kind if rule is not None else PointsRuleKind.POINTS
    if raw is None:
        return None, None, "no data"
    maximum = None if sub.max_points is None else _exact(sub.max_points)
    cap = _exact(rule.cap) if rule is not None and rule.cap is not None else maximum
    if kind is PointsRuleKind.POINTS:
        value = _number(raw, where)
        _in_range(value, sub.max_points, where)
        return value, str(raw), "points given"
    if kind is PointsRuleKind.FIXED:
        if not isinstance(raw, bool):
            raise InvalidValue(f"{where} is a yes/no condition: expected True or False, got "
                               f"{raw!r}")
        assert rule is not None
        award = rule.points if rule.points is not None else sub.max_points
        if award is None:
            return None, str(raw), f"points when achieved are {sub.confidence.value}"
        points = _exact(award) if raw else fractions.Fraction(0)
        return points, str(raw), "achieved" if raw else "not achieved"
    if kind is PointsRuleKind.STEPS:
        assert rule is not None
        count = _number(raw, where)
        if count < 0:
            raise InvalidValue(f"{where}: a count cannot be negative ({raw!r})")
        reached = [s for s in rule.steps if count >= _exact(s.at_least)]
        points = _exact(reached[-1].points) if reached else fractions.Fraction(0)
        why = (f"step ≥ {reached[-1].at_least:g} → {reached[-1].points:g}" if reached
               else f"below the lowest step ({rule.steps[0].at_least:g})")
        return (min(points, cap) if cap is not None else points), str(raw), why
    if kind is PointsRuleKind.RATIO:
        if isinstance(raw, Ratio):
            a, b = raw.a, raw.b
        elif isinstance(raw, Mapping) and set(raw) == {"a", "b"}:
            a, b = raw["a"], raw["b"]
        elif isinstance(raw, (tuple, list)) and len(raw) == 2:
            a, b = raw
        else:
            raise InvalidValue(f"{where} is a ratio a/b × maximum: give ntmkit.points.Ratio(a, b)"
                               f", not {raw!r}")
        ea, eb = _number(a, f"{where} (a)"), _number(b, f"{where} (b)")
        observed = f"{a}/{b}"
        if ea < 0 or eb < 0:
            raise InvalidValue(f"{where}: a ratio's parts cannot be negative ({observed})")
        if eb == 0:
            return None, observed, "the denominator is 0: the ratio is undefined"
        if maximum is None:
            return None, observed, f"maximum {sub.confidence.value}"
        points = ea / eb * maximum
        capped = min(points, cap) if cap is not None else points
        why = f"{observed} × {float(maximum):g}" + (
            f" = {float(points):g}, capped at {float(cap):g}" if cap is not None and points > cap
            else "")
        return capped, observed, why
    assert rule is not None
    roles = dict(rule.roles)
    if not isinstance(raw, str) or raw not in roles:
        raise InvalidValue(f"{where} gives partial credit by role: expected one of "
                           f"{', '.join(roles)}, got {raw!r}")
    if maximum is None:
        return None, raw, f"maximum {sub.confidence.value}"
    points = _exact(roles[raw]) * maximum
    return (min(points, cap) if cap is not None else points), raw, \
        f"role {raw} → {roles[raw]:g} × {float(maximum):g}"


def _component(c: Component, observations: Mapping[str, object]
               ) -> tuple[_Exact, str, str, list[tuple[SubIndicator, _Exact, str | None, str]]]:
    """(points, basis, reason, sub-indicator parts) of one component for one assessor."""
    subs_seen = [s for s in c.sub_indicators if observations.get(s.code) is not None]
    given = observations.get(c.code)
    if given is not None and subs_seen:
        raise InvalidValue(f"component {c.code}: give either its points or its "
                           f"sub-indicators ({', '.join(s.code for s in subs_seen)}), not both")
    parts = [(s, *_sub_points(s, observations.get(s.code))) for s in c.sub_indicators]
    if given is not None:
        value = _number(given, f"component {c.code} ({c.name_en})")
        # A component kept out of the total (maximum 0, "không tính điểm") may still carry
        # the points its data gives: only the lower bound applies to it.
        _in_range(value, c.max_points if c.scored else None, f"component {c.code} ({c.name_en})")
        return value, "given", "points given", parts
    if not c.sub_indicators:
        return None, "missing", "no data", parts
    if any(p is None for _, p, _, _ in parts):
        missing = [s.code for s, p, _, _ in parts if p is None]
        return None, "sub_indicators", f"sub-indicators without points: {', '.join(missing)}", \
            parts
    if not c.sub_indicators_complete:
        return None, "sub_indicators", ("the registry does not hold every sub-indicator of "
                                        "this component"), parts
    total = sum((p for _, p, _, _ in parts if p is not None), fractions.Fraction(0))
    if c.max_points is not None and total > _exact(c.max_points):
        return _exact(c.max_points), "sub_indicators", f"{float(total):g} capped at the " \
            f"component's maximum {c.max_points:g}", parts
    return total, "sub_indicators", "", parts


def _mean(values: list[_Exact]) -> _Exact:
    if len(values) == 1:
        return values[0]
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), fractions.Fraction(0)) / len(values)


def _urls(ps: PointsSet, ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s.url for i in ids for s in ps.sources if s.id == i)


def _float(value: _Exact) -> float | None:
    return None if value is None else float(value)


def _check_codes(ps: PointsSet, observations: Mapping[str, object]) -> None:
    import difflib

    known = set(ps.component_map) | set(ps.sub_indicators)
    for code in observations:
        if code not in known:
            close = difflib.get_close_matches(str(code), sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownIndicator(f"{ps.key} has no component or sub-indicator {code!r}{hint}")


def _round_half_up(value: fractions.Fraction) -> fractions.Fraction:
    return fractions.Fraction((2 * value.numerator + value.denominator)
                              // (2 * value.denominator))


def _band(ps: PointsSet, total: _Exact, gates: Mapping[str, bool | None]
          ) -> tuple[Band | None, Band | None, bool, str, tuple[str, ...], _Exact]:
    """(band, band by points, known, reason, failed gates, the total the bands were read at)."""
    if not ps.bands:
        return None, None, False, "the scheme has no bands", (), None
    if total is None:
        return None, None, False, "the total is unknown", (), None
    at = _round_half_up(total) if ps.edge_rule is EdgeRule.ROUND_HALF_UP else total
    by_points: Band | None = None
    for b in ps.bands:
        if b.min_points is None:
            return None, None, False, (f"the lower edge of {b.label_en} is "
                                       f"{b.confidence.value} in {ps.key}"), (), at
        if at >= b.min_points:
            by_points = b
            break
    if by_points is None:
        return None, None, False, "below every band's lower edge", (), at
    failed: list[str] = []
    index = ps.bands.index(by_points)
    for b in ps.bands[index:]:
        if b.min_points is None:
            return None, by_points, False, f"the lower edge of {b.label_en} is unknown", \
                tuple(failed), at
        if not b.gates_known:
            return None, by_points, False, (f"the mandatory criteria of {b.label_en} are not "
                                            "in the registry: the class cannot be confirmed"), \
                tuple(failed), at
        observed = {g: gates.get(g) for g in b.gates}
        not_met = [g for g, v in observed.items() if v is False]
        if not_met:
            failed.extend(not_met)
            continue
        unknown = [g for g, v in observed.items() if v is None]
        if unknown:
            return None, by_points, False, (f"mandatory criteria of {b.label_en} without "
                                            f"data: {', '.join(unknown)}"), tuple(failed), at
        reason = (f"{float(at):g} ≥ {b.min_points}" if b is by_points else
                  f"{by_points.label_en} by points, but mandatory criteria not met "
                  f"({', '.join(failed)}): {b.label_en}")
        return b, by_points, True, reason, tuple(failed), at
    return None, by_points, False, (f"mandatory criteria not met ({', '.join(failed)}) and "
                                    "no lower band"), tuple(failed), at


def _check_unit(unit: PointsUnit, ps: PointsSet) -> None:
    expected = _SUBJECTS.get(ps.subject)
    if expected is not None and not isinstance(unit, expected):
        raise InvalidContext(f"{ps.key} scores a {ps.subject}: give a {expected.__name__}, "
                             f"not a {type(unit).__name__}")


def score(
    unit: PointsUnit,
    observations: Mapping[str, object] | None,
    points_set: PointsSet,
    *,
    assessors: Sequence[Mapping[str, object]] | None = None,
    gates: Mapping[str, bool | None] | None = None,
) -> PointsAssessment:
    """Score *unit* against *points_set*.

    *observations* maps codes to values: a component's code to its points (as the scheme's
    published results give them), or a sub-indicator's code to what its rule takes (points;
    ``True``/``False`` for a fixed rule; a count for steps; :class:`Ratio` for a ratio; a
    role name for a role rule).  ``None`` or a missing code is missing data: the points are
    unknown, never 0.  *assessors* gives one such mapping per assessor instead (their points
    are averaged).  *gates* maps the mandatory criteria of the bands to ``True``/``False``.

    >>> from ntmkit.points import get, Product
    >>> ocop = get("product/ocop", version="2019-08-21")
    >>> r = score(Product("P1", "Example"), {"A": 30, "B": 20, "C": 39.6}, ocop)
    >>> r.total, r.stars
    (89.6, 4)
    """
    _check_unit(unit, points_set)
    if (observations is None) == (assessors is None):
        raise InvalidValue("give either observations or assessors=[…], not both or neither")
    panel = [observations] if assessors is None else list(assessors)
    if not panel:
        raise InvalidValue("assessors=[] holds no assessor's scores")
    for obs in panel:
        if not isinstance(obs, Mapping):
            raise InvalidValue(f"observations must be a mapping of code to value, not "
                               f"{type(obs).__name__}")
        _check_codes(points_set, obs)
    gates = dict(gates or {})
    known_gates = {g for b in points_set.bands for g in b.gates}
    for g in gates:
        if g not in known_gates:
            raise UnknownIndicator(f"{points_set.key} has no mandatory criterion {g!r} "
                                   f"(known: {', '.join(sorted(known_gates)) or 'none'})")
    results = []
    total: _Exact = fractions.Fraction(0)
    total_known = fractions.Fraction(0)
    for c in points_set.components:
        per = [_component(c, obs) for obs in panel]  # type: ignore[arg-type]
        points = _mean([p[0] for p in per])
        subs = []
        for i, s in enumerate(c.sub_indicators):
            sub_points = _mean([p[3][i][1] for p in per])
            first = per[0][3][i]
            subs.append(SubIndicatorResult(
                code=s.code, component=c.code, points=_float(sub_points),
                max_points=s.max_points,
                rule=(s.rule.kind if s.rule is not None else PointsRuleKind.POINTS).value,
                observed=first[2] if len(per) == 1 else f"{len(per)} assessors",
                reason=first[3] if len(per) == 1 else "mean of the assessors' points",
                exact=sub_points))
        reason = per[0][2] if len(per) == 1 else (
            f"mean of {len(per)} assessors" if points is not None else
            "; ".join(sorted({p[2] for p in per if p[0] is None})))
        if not c.scored:
            reason = ("not scored: kept, but out of the total" + (f"; {reason}" if reason
                                                                   else ""))
        results.append(ComponentResult(
            code=c.code, name_vi=c.name_vi, name_en=c.name_en, points=_float(points),
            max_points=c.max_points, scored=c.scored, weight=c.weight, basis=per[0][1],
            group=c.group, sub_indicators=tuple(subs), reason=reason, exact=points,
            max_confidence=c.confidence.value, max_sources=_urls(points_set, c.sources)))
        if c.scored:
            weighted = None if points is None else (
                points if c.weight == 1 else points * _exact(c.weight))
            if weighted is None:
                total = None
            else:
                total_known += weighted
                if total is not None:
                    total += weighted
    return _assessment(unit, points_set, results, total, total_known, gates, len(panel), ())


def _assessment(unit: PointsUnit, ps: PointsSet, results: list[ComponentResult],
                total: _Exact, total_known: fractions.Fraction,
                gates: Mapping[str, bool | None], assessors: int,
                notes: tuple[str, ...]) -> PointsAssessment:
    maximum = ps.maximum
    share = None if total is None or not maximum else float(total / _exact(maximum))
    band, by_points, known, reason, failed, at = _band(ps, total, gates)
    notes_out = list(notes)
    if assessors > 1 and (ps.averaging is None or not ps.averaging.known):
        notes_out.append(f"{ps.key} does not state how assessors' scores are combined; "
                         f"the mean of {assessors} was used")
    return PointsAssessment(
        unit=unit, set_id=ps.id, set_version=ps.version, fingerprint=ps.fingerprint,
        components=tuple(results), total=_float(total), total_known=float(total_known),
        maximum=maximum, share=share,
        band=band.code if band else None,
        band_label_vi=band.label_vi if band else "", band_label_en=band.label_en if band else "",
        stars=band.stars if band else None,
        band_by_points=by_points.code if by_points else None, band_known=known,
        band_reason=reason, gates_failed=failed, assessors=assessors,
        edge_rule=ps.edge_rule.value, banded_total=_float(at),
        legal_basis=ps.legal_basis.act, inconsistencies=ps.inconsistencies,
        notes=tuple(notes_out), exact_total=total)


def merge(unit: PointsUnit, former: Sequence[PointsAssessment], points_set: PointsSet
          ) -> PointsAssessment:
    """Score a unit formed by merging others from their results, by the set's merge rule.

    Under :attr:`MergeRule.MEAN_OF_COMPONENTS` (DTI 2024 for the provinces merged in 2025)
    each component is the arithmetic mean of the former units' points; the total follows.
    """
    rule = points_set.merge_rule
    if rule is None:
        raise InvalidContext(f"{points_set.key} states no rule for merged units")
    assert rule is MergeRule.MEAN_OF_COMPONENTS
    if not former:
        raise InvalidValue("merge() needs the results of the former units")
    _check_unit(unit, points_set)
    results = []
    total: _Exact = fractions.Fraction(0)
    total_known = fractions.Fraction(0)
    for c in points_set.components:
        found = [a.component_map.get(c.code) for a in former]
        points = _mean([f.exact if f is not None else None for f in found])
        results.append(ComponentResult(
            code=c.code, name_vi=c.name_vi, name_en=c.name_en, points=_float(points),
            max_points=c.max_points, scored=c.scored, weight=c.weight, basis="merged",
            group=c.group, reason=f"mean of {len(former)} former units" if points is not None
            else "unknown in a former unit", exact=points,
            max_confidence=c.confidence.value, max_sources=_urls(points_set, c.sources)))
        if c.scored:
            if points is None:
                total = None
            else:
                total_known += points * _exact(c.weight)
                if total is not None:
                    total += points * _exact(c.weight)
    names = ", ".join(a.unit.name for a in former)
    return _assessment(unit, points_set, results, total, total_known, {}, 1,
                       (f"merged from {names} ({rule.value})",))


@attrs.frozen
class RankRow:
    """One line of a ranking: the unit, the value ranked, its rank (``None`` if unknown)."""

    unit: PointsUnit
    value: float | None
    rank: int | None
    tied: bool = False


def _value(a: PointsAssessment, by: str) -> _Exact:
    if by == "total":
        return a.exact_total
    found = a.component_map.get(by)
    if found is None:
        raise UnknownIndicator(f"{a.key} has no component {by!r} to rank by")
    return found.exact


def rank(assessments: Sequence[PointsAssessment], by: str = "total") -> list[RankRow]:
    """Rank units by total (``by="total"``) or by one component's points, highest first.

    Ties share the best rank and the next rank skips (1, 2, 2, 4: "standard competition"
    ranking): the published DTI tables do not say how they break ties, and ntmkit does not
    invent a tie-breaker.  Values are compared exactly.  Units whose value is unknown are
    listed last, unranked.

    >>> from ntmkit.points import get, Product
    >>> ocop = get("product/ocop", version="2019-08-21")
    >>> rs = [score(Product(c, c), {"A": a, "B": 20, "C": 30}, ocop)
    ...       for c, a in [("x", 30), ("y", 31), ("z", 30)]]
    >>> [(r.unit.code, r.rank) for r in rank(rs)]
    [('y', 1), ('x', 2), ('z', 2)]
    """
    values = [_value(a, by) for a in assessments]
    ranks = _competition_ranks(values)
    counts = collections.Counter(v for v in values if v is not None)
    order = sorted(range(len(values)),
                   key=lambda i: (values[i] is None, -(values[i] or 0), i))
    rows = []
    for i in order:
        v = values[i]
        rows.append(RankRow(assessments[i].unit, _float(v), ranks[i],
                            v is not None and counts[v] > 1))
    return rows


def _competition_ranks(values: list[_Exact]) -> list[int | None]:
    # 1 + how many known values are strictly greater: sort once, first position of each value.
    # The values are put over their common denominator, so that plain integers are sorted
    # (exactly, and much faster than comparing fractions).
    known = [v for v in values if v is not None]
    common = math.lcm(*(v.denominator for v in known)) if known else 1
    scaled = {v: v.numerator * (common // v.denominator) for v in set(known)}
    first: dict[int, int] = {}
    for position, key in enumerate(sorted((scaled[v] for v in known), reverse=True), start=1):
        first.setdefault(key, position)
    return [None if v is None else first[scaled[v]] for v in values]


def rank_table(assessments: Sequence[PointsAssessment]) -> list[dict[str, Any]]:
    """One row per unit, in the given order, with its ranks in total and per component.

    Keys: ``code``, ``name``, ``total``, ``share``, ``band``, ``rank``, and for each
    component ``p:<code>`` (points) and ``rank:<code>``.
    """
    if not assessments:
        return []
    codes = [c.code for c in assessments[0].components]
    ranks = {by: _competition_ranks([_value(a, by) for a in assessments])
             for by in ["total", *codes]}
    out = []
    for i, a in enumerate(assessments):
        row: dict[str, Any] = {"code": getattr(a.unit, "code", None), "name": a.unit.name,
                               "total": a.total, "share": a.share, "band": a.band,
                               "rank": ranks["total"][i]}
        for c in a.components:
            row[f"p:{c.code}"] = c.points
            row[f"rank:{c.code}"] = ranks[c.code][i]
        out.append(row)
    return out
